//! The integration request stage: route, validate, convert the body, choose the request
//! template by the MIME type of `Content-Type` (absent = `application/json`) or pass the body
//! through per `passthroughBehavior` (else 415), map parameters, render, apply
//! `$context.requestOverride`, check Lambda payloads are JSON, and fill the integration URI.

use serde_json::{Map, Value as Json};

use crate::content::{self, mime_type, same_type};
use crate::exchange::{last_value, set_value, Carry, EndpointRequest, Pairs};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::log::java_map;
use crate::model::{Integration, IntegrationType, MappingTemplate, PassthroughBehavior};
use crate::params::{self, LazyContext, Mapped, RequestValues};
use crate::route;
use crate::{mock, Error, Run};

/// [OPEN] LocalStack falls back to a `$default` request template; that key is documented for
/// WebSocket APIs only. Chosen: REST APIs have no `$default` fallback.
pub(crate) const DEFAULT_TEMPLATE_KEY_FALLBACK: bool = false;

/// [OPEN] What a request template that fails (or a body that cannot go through one) logs,
/// with a 500: believed to be AWS's "Unable to transform request" [COMM].
pub(crate) const TRANSFORM_REQUEST_FAILED: &str = "Unable to transform request";

/// The content type assumed when a request has none [DOC].
pub(crate) const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// Headers that cannot be the target of a mapping (500), and the extra ones for AWS
/// integrations [LS-code `_validate_headers_mapping`].
const UNMAPPABLE: [&str; 4] = [
    "Content-Length",
    "Transfer-Encoding",
    "X-Amzn-Trace-Id",
    "X-Amzn-Apigateway-Api-Id",
];
const UNMAPPABLE_AWS: [&str; 5] = [
    "Authorization",
    "Connection",
    "Expect",
    "Proxy-Authenticate",
    "TE",
];

/// Headers dropped after mapping, and per integration type.
const DROPPED: [&str; 3] = ["Expect", "Proxy-Authenticate", "TE"];

pub(crate) fn run(run: &mut Run<'_>) -> Result<EndpointRequest, GatewayResponse> {
    let api = run.api;
    let req = run.req;
    if run.log.on() {
        let id = run.request_id.clone();
        run.log
            .line(format!("Starting execution for request: {id}"));
        run.log.line(format!(
            "HTTP Method: {}, Resource Path: {}",
            req.http_method, req.path
        ));
    }
    let Some(found) = route::route(&api.spec.resources, &req.http_method, &req.path) else {
        return Err(GatewayResponse::new(
            GatewayResponseType::MissingAuthenticationToken,
        ));
    };
    run.path_params = found.path_params.clone();
    let resource = &api.spec.resources[found.resource];
    let method = &resource.methods[found.method];
    crate::front::check(run, &resource.path, method, &found.path_params)?;
    let content_type = req.header("Content-Type");
    let binary = content::is_binary(content_type, &api.spec.binary_media_types);
    if run.log.on() {
        run.log.line(format!(
            "Method request path: {}",
            java_map(&found.path_params)
        ));
        run.log.line(format!(
            "Method request query string: {}",
            java_map(&req.query)
        ));
        run.log.line(format!(
            "Method request headers: {}",
            java_map(&req.headers)
        ));
        if binary {
            run.log
                .line("Method request body before transformations: [Binary Data]");
        } else {
            let body = String::from_utf8_lossy(&req.body);
            run.log
                .value("Method request body before transformations: ", &body);
        }
    }
    let mime = content_type
        .map(mime_type)
        .filter(|m| !m.is_empty() && !api.options.force_json_content_type)
        .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_string());
    crate::validate::run(run, method, &found.path_params, &mime)?;
    let Some(integration) = &method.integration else {
        return Err(GatewayResponse::configuration(
            "No integration defined for method",
        ));
    };
    let mut carry = Carry {
        resource: found.resource,
        method: found.method,
        path_params: found.path_params.clone(),
        front_context: ["authorizer", "identity"]
            .iter()
            .filter(|_| method.security.any())
            .filter_map(|k| run.context.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect(),
        ..Carry::default()
    };
    if integration.kind.is_proxy() {
        return proxy_request(run, integration, &resource.path, carry);
    }

    // The body, converted per contentHandling, then the template.
    let converted = content::convert_request(&req.body, binary, integration.content_handling)?;
    let template = choose_template(integration, &mime)?;
    let renders = template.is_some_and(|t| t.compiled.is_some());
    if renders && converted.binary {
        return Err(GatewayResponse::configuration(TRANSFORM_REQUEST_FAILED));
    }
    let mut template_request = run.take_template(&resource.path, &found.path_params);
    {
        let body_text = crate::text(&converted.body);
        if template_request.body != body_text {
            template_request.body = body_text.into_owned();
        }
    }
    let outcome = map_and_render(
        run,
        integration,
        template,
        &template_request,
        &found.path_params,
    );
    run.keep_template(template_request);
    let Mapping {
        mut headers,
        mut query,
        mut path,
        rendered,
    } = outcome?;
    let mut body = converted.body;
    let mut output = None;
    if let Some(r) = rendered {
        carry.request_override = r.request_override.unwrap_or(Json::Null);
        carry.response_override = r.response_override.unwrap_or(Json::Null);
        if integration.kind == IntegrationType::Mock {
            body = r.output.as_bytes().to_vec();
            output = Some(r.output);
        } else {
            body = r.output.into_bytes();
        }
    }
    apply_request_override(&carry.request_override, &mut headers, &mut query, &mut path);

    if integration.kind == IntegrationType::Mock {
        carry.mock_status = match &output {
            Some(out) => Some(
                mock::status_code(out)
                    .ok_or_else(|| GatewayResponse::configuration(mock::UNPARSABLE_STATUS))?,
            ),
            None if mock::MOCK_WITHOUT_TEMPLATE_USES_DEFAULT => None,
            None => return Err(GatewayResponse::configuration(mock::UNPARSABLE_STATUS)),
        };
        carry.path_params = found.path_params;
        return Ok(EndpointRequest {
            integration_type: IntegrationType::Mock,
            http_method: String::new(),
            uri: String::new(),
            headers,
            body,
            carry,
        });
    }

    if integration.is_lambda() && integration.kind == IntegrationType::Aws {
        check_lambda_payload(&body)?;
    }
    for name in DROPPED {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }
    let dropped_too = match integration.kind {
        IntegrationType::Aws => "Referer",
        _ => "Via",
    };
    headers.retain(|(k, _)| !k.eq_ignore_ascii_case(dropped_too));
    let uri = endpoint_uri(run, integration, &path, &query)?;
    add_default_headers(run, integration, &mut headers);
    let http_method = if integration.is_lambda() {
        "POST".to_string()
    } else {
        integration
            .http_method
            .clone()
            .filter(|m| !m.eq_ignore_ascii_case("ANY"))
            .unwrap_or_else(|| req.http_method.clone())
            .to_ascii_uppercase()
    };
    let endpoint = EndpointRequest {
        integration_type: integration.kind,
        http_method,
        uri,
        headers,
        body,
        carry,
    };
    log_endpoint_request(run, &endpoint);
    Ok(endpoint)
}

/// The mapped parameters and the rendered template.
struct Mapping {
    headers: Pairs,
    query: Pairs,
    path: Pairs,
    rendered: Option<vtl::Rendered>,
}

/// The parameter mappings, then the request template (if one renders), over `request`.
fn map_and_render(
    run: &mut Run<'_>,
    integration: &Integration,
    template: Option<&MappingTemplate>,
    request: &vtl::Request,
    path_params: &Pairs,
) -> Result<Mapping, GatewayResponse> {
    let req = run.req;
    let mut headers = Pairs::new();
    let mut query = Pairs::new();
    let mut path = Pairs::new();
    if !integration.request_parameters.is_empty() {
        let context = LazyContext::new(request);
        let values = RequestValues {
            path: path_params,
            query: &req.query,
            headers: &req.headers,
            body: &request.body,
            stage_variables: &run.stage_variables,
            context: &context,
        };
        for m in &integration.request_parameters {
            let Some(value) = params::request_value(&m.source, &values)? else {
                continue;
            };
            let rest = &m.target["integration.request.".len()..];
            let (loc, name) = rest.split_once('.').unwrap_or((rest, ""));
            match loc {
                "header" => {
                    let forbidden = UNMAPPABLE.iter().any(|h| h.eq_ignore_ascii_case(name))
                        || (integration.kind == IntegrationType::Aws
                            && UNMAPPABLE_AWS.iter().any(|h| h.eq_ignore_ascii_case(name)));
                    if forbidden {
                        return Err(GatewayResponse::configuration(format!(
                            "the header {name} cannot be mapped"
                        )));
                    }
                    set_value(&mut headers, name, joined(value));
                }
                "querystring" => {
                    query.retain(|(k, _)| k != name);
                    match value {
                        Mapped::One(v) => query.push((name.to_string(), v)),
                        Mapped::Many(vs) => {
                            query.extend(vs.into_iter().map(|v| (name.to_string(), v)))
                        }
                    }
                }
                _ => crate::exchange::set_value_exact(&mut path, name, joined(value)),
            }
        }
    }
    let mut rendered = None;
    if let Some(t) = template {
        if let Some(compiled) = &t.compiled {
            match crate::render(compiled, request) {
                Ok(r) => rendered = Some(r),
                Err(e) => {
                    run.template_error = Some(Error::template(&t.pointer, e));
                    return Err(GatewayResponse::configuration(TRANSFORM_REQUEST_FAILED));
                }
            }
        }
    }
    Ok(Mapping {
        headers,
        query,
        path,
        rendered,
    })
}

fn joined(v: Mapped) -> String {
    match v {
        Mapped::One(s) => s,
        Mapped::Many(vs) => vs.join(","),
    }
}

/// The request template for `mime`, `None` to pass the body through, or the 415.
fn choose_template<'i>(
    integration: &'i Integration,
    mime: &str,
) -> Result<Option<&'i MappingTemplate>, GatewayResponse> {
    let templates = &integration.request_templates;
    let found = templates
        .iter()
        .find(|t| same_type(&t.content_type, mime))
        .or_else(|| {
            DEFAULT_TEMPLATE_KEY_FALLBACK
                .then(|| templates.iter().find(|t| t.content_type == "$default"))
                .flatten()
        });
    if found.is_some() {
        return Ok(found);
    }
    let passthrough = match integration.passthrough {
        PassthroughBehavior::WhenNoMatch => true,
        PassthroughBehavior::WhenNoTemplates => templates.is_empty(),
        PassthroughBehavior::Never => false,
    };
    if passthrough {
        Ok(None)
    } else {
        Err(GatewayResponse::new(
            GatewayResponseType::UnsupportedMediaType,
        ))
    }
}

/// `$context.requestOverride.{header,querystring,path}` over the mapped values (a list makes
/// several values).
fn apply_request_override(ro: &Json, headers: &mut Pairs, query: &mut Pairs, path: &mut Pairs) {
    let values = |v: &Json| -> Vec<String> {
        match v {
            Json::Array(items) => items.iter().map(crate::spec::scalar_text).collect(),
            other => vec![crate::spec::scalar_text(other)],
        }
    };
    if let Some(Json::Object(h)) = ro.get("header") {
        for (k, v) in h {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
            headers.extend(values(v).into_iter().map(|v| (k.clone(), v)));
        }
    }
    if let Some(Json::Object(q)) = ro.get("querystring") {
        for (k, v) in q {
            query.retain(|(n, _)| n != k);
            query.extend(values(v).into_iter().map(|v| (k.clone(), v)));
        }
    }
    if let Some(Json::Object(p)) = ro.get("path") {
        for (k, v) in p {
            crate::exchange::set_value_exact(path, k, values(v).join(","));
        }
    }
}

/// A Lambda (non-proxy) payload must be JSON: 400 `Could not parse request body into json`.
fn check_lambda_payload(body: &[u8]) -> Result<(), GatewayResponse> {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return Ok(());
    }
    match serde_json::from_str::<Json>(&text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let full = e.to_string();
            let message = full
                .rfind(" at line ")
                .map_or(full.as_str(), |i| &full[..i]);
            Err(GatewayResponse::with_message(
                GatewayResponseType::BadRequestBody,
                format!(
                    "Could not parse request body into json: {message} (line: {}, column: {})",
                    e.line(),
                    e.column()
                ),
            ))
        }
    }
}

/// Fills `{name}` from the path mappings and `${stageVariables.x}` from the stage, turns an
/// `arn:aws:apigateway:` URI into its HTTPS endpoint, and appends the mapped query string.
fn endpoint_uri(
    run: &Run<'_>,
    integration: &Integration,
    path: &Pairs,
    query: &[(String, String)],
) -> Result<String, GatewayResponse> {
    let mut uri = fill_stage_variables(&integration.uri, &run.stage_variables)
        .replace("${AWS::Region}", run.api.options.region());
    for (name, value) in path {
        uri = uri.replace(&format!("{{{name}}}"), value);
    }
    let base = match integration.kind {
        IntegrationType::Aws | IntegrationType::AwsProxy => {
            aws_endpoint(&uri, run.api.options.region())
                .ok_or_else(|| GatewayResponse::configuration("Invalid endpoint address"))?
        }
        _ => {
            if !valid_http_uri(&uri) {
                return Err(GatewayResponse::configuration("Invalid endpoint address"));
            }
            uri
        }
    };
    if query.is_empty() {
        return Ok(base);
    }
    let qs: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{sep}{}", qs.join("&")))
}

/// An `http://` or `https://` URI with a host.
fn valid_http_uri(uri: &str) -> bool {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with(['/', '?', '#']))
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `${stageVariables.name}` → the stage variable's value (empty when unset).
pub(crate) fn fill_stage_variables(text: &str, vars: &Pairs) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${stageVariables.") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "${stageVariables.".len()..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if let Some((_, v)) = vars.iter().rev().find(|(k, _)| k == name) {
                    out.push_str(v);
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `arn:aws:apigateway:REGION:SERVICE:path/P` → `https://SERVICE.REGION.amazonaws.com/P`;
/// `…:action/A` → `https://SERVICE.REGION.amazonaws.com/?Action=A`.
fn aws_endpoint(uri: &str, default_region: &str) -> Option<String> {
    let rest = uri.strip_prefix("arn:aws:apigateway:")?;
    let (region, rest) = rest.split_once(':')?;
    let (service, rest) = rest.split_once(':')?;
    let region = if region.is_empty() {
        default_region
    } else {
        region
    };
    let service = service.rsplit('.').next().unwrap_or(service);
    if service.is_empty() {
        return None;
    }
    if let Some(path) = rest.strip_prefix("path/") {
        Some(format!("https://{service}.{region}.amazonaws.com/{path}"))
    } else {
        rest.strip_prefix("action/")
            .map(|a| format!("https://{service}.{region}.amazonaws.com/?Action={a}"))
    }
}

fn api_id(run: &Run<'_>) -> String {
    run.context
        .get("apiId")
        .and_then(Json::as_str)
        .unwrap_or(vtl::DEFAULT_API_ID)
        .to_string()
}

/// `Root=1-<time>-<24 hex>`, derived from the request id.
pub(crate) fn trace_id(run: &Run<'_>) -> String {
    let secs = run.log.now().div_euclid(1000);
    let hex: String = run
        .request_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(24)
        .collect();
    format!("Root=1-{secs:08x}-{hex}")
}

/// API Gateway's own headers: `x-amzn-apigateway-api-id` (not for AWS integrations),
/// `Accept: application/json` and `User-Agent` unless mapped, and `X-Amzn-Trace-Id`.
fn add_default_headers(run: &Run<'_>, integration: &Integration, headers: &mut Pairs) {
    let api = api_id(run);
    if integration.kind != IntegrationType::Aws {
        headers.push(("x-amzn-apigateway-api-id".into(), api.clone()));
    }
    if last_value(headers, "Accept").is_none() {
        headers.push(("Accept".into(), "application/json".into()));
    }
    if last_value(headers, "User-Agent").is_none() {
        headers.push(("User-Agent".into(), format!("AmazonAPIGateway_{api}")));
    }
    headers.push(("X-Amzn-Trace-Id".into(), trace_id(run)));
}

fn log_endpoint_request(run: &mut Run<'_>, endpoint: &EndpointRequest) {
    if !run.log.on() {
        return;
    }
    run.log
        .line(format!("Endpoint request URI: {}", endpoint.uri));
    let mut shown = Pairs::new();
    let signed = endpoint.integration_type == IntegrationType::Aws
        || endpoint.integration_type == IntegrationType::AwsProxy;
    if signed {
        // What SigV4 signing adds; the values are placeholders.
        shown.push((
            "x-amzn-lambda-integration-tag".into(),
            run.request_id.clone(),
        ));
        shown.push(("Authorization".into(), masked(run, 300)));
        shown.push(("X-Amz-Date".into(), amz_date(run.log.now())));
        shown.push(("x-amzn-apigateway-api-id".into(), api_id(run)));
    }
    for (k, v) in &endpoint.headers {
        shown.push((k.clone(), v.clone()));
        if k == "User-Agent" && signed {
            // The session token of the integration's role comes after the user agent.
            shown.push(("X-Amz-Security-Token".into(), masked(run, 900)));
        }
    }
    run.log
        .value("Endpoint request headers: ", &java_map(&shown));
    let body = endpoint.body_text();
    run.log
        .value("Endpoint request body after transformations: ", &body);
    run.log.line(format!("Sending request to {}", endpoint.uri));
}

/// A secret as the log shows it: stars, then the last four characters (derived from the
/// request id, as there is no real signature or token offline).
fn masked(run: &Run<'_>, stars: usize) -> String {
    let tail: String = run
        .request_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(4)
        .collect();
    format!("{}{tail}", "*".repeat(stars))
}

/// `20170831T010725Z`.
fn amz_date(epoch_ms: i64) -> String {
    let d = crate::log::http_date(epoch_ms);
    // "Thu, 31 Aug 2017 01:07:25 GMT"
    let p: Vec<&str> = d.split([' ', ':']).collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == p[2])
    .unwrap_or(0)
        + 1;
    format!("{}{:02}{}T{}{}{}Z", p[3], month, p[1], p[4], p[5], p[6])
}

/// AWS_PROXY: the Lambda-proxy event; HTTP_PROXY: the request as it came.
fn proxy_request(
    run: &mut Run<'_>,
    integration: &Integration,
    resource_path: &str,
    carry: Carry,
) -> Result<EndpointRequest, GatewayResponse> {
    let req = run.req;
    let mut path = carry.path_params.clone();
    let mut headers = Pairs::new();
    let mut query = Pairs::new();
    {
        let template_request =
            run.template_request(String::new(), resource_path, &carry.path_params, Map::new());
        let context = LazyContext::new(&template_request);
        let body_text = String::from_utf8_lossy(&req.body).into_owned();
        let values = RequestValues {
            path: &carry.path_params,
            query: &req.query,
            headers: &req.headers,
            body: &body_text,
            stage_variables: &run.stage_variables,
            context: &context,
        };
        for m in &integration.request_parameters {
            if let Some(v) = params::request_value(&m.source, &values)? {
                let rest = &m.target["integration.request.".len()..];
                let (loc, name) = rest.split_once('.').unwrap_or((rest, ""));
                match loc {
                    "header" => set_value(&mut headers, name, joined(v)),
                    "querystring" => query.push((name.to_string(), joined(v))),
                    _ => crate::exchange::set_value_exact(&mut path, name, joined(v)),
                }
            }
        }
    }
    if integration.kind == IntegrationType::AwsProxy {
        let event = proxy_event(run, resource_path, &carry.path_params);
        let uri = endpoint_uri(run, integration, &path, &[])?;
        let mut headers = Pairs::new();
        add_default_headers(run, integration, &mut headers);
        let endpoint = EndpointRequest {
            integration_type: integration.kind,
            http_method: "POST".into(),
            uri,
            headers,
            body: event.to_string().into_bytes(),
            carry,
        };
        log_endpoint_request(run, &endpoint);
        return Ok(endpoint);
    }
    let mut forwarded: Pairs = req
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("Host"))
        .cloned()
        .collect();
    for (k, v) in headers {
        set_value(&mut forwarded, &k, v);
    }
    let mut all_query = req.query.clone();
    all_query.extend(query);
    let uri = endpoint_uri(run, integration, &path, &all_query)?;
    add_default_headers(run, integration, &mut forwarded);
    let endpoint = EndpointRequest {
        integration_type: integration.kind,
        http_method: integration
            .http_method
            .clone()
            .filter(|m| !m.eq_ignore_ascii_case("ANY"))
            .unwrap_or_else(|| req.http_method.clone()),
        uri,
        headers: forwarded,
        body: req.body.clone(),
        carry,
    };
    log_endpoint_request(run, &endpoint);
    Ok(endpoint)
}

/// The Lambda-proxy event (payload format 1.0).
fn proxy_event(run: &Run<'_>, resource_path: &str, path_params: &Pairs) -> Json {
    let req = run.req;
    let single = |pairs: &Pairs| -> Json {
        if pairs.is_empty() {
            return Json::Null;
        }
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert(k.clone(), Json::from(v.clone()));
        }
        Json::Object(m)
    };
    let multi = |pairs: &Pairs| -> Json {
        if pairs.is_empty() {
            return Json::Null;
        }
        let mut m = Map::new();
        for (k, vs) in crate::group(pairs) {
            m.insert(k, Json::from(vs));
        }
        Json::Object(m)
    };
    let binary = content::is_binary(req.header("Content-Type"), &run.api.spec.binary_media_types);
    let body = if req.body.is_empty() {
        Json::Null
    } else if binary {
        use base64::Engine as _;
        Json::from(base64::engine::general_purpose::STANDARD.encode(&req.body))
    } else {
        Json::from(String::from_utf8_lossy(&req.body).into_owned())
    };
    let template_request =
        run.template_request(String::new(), resource_path, path_params, Map::new());
    let mut context = vtl::context_json(&template_request);
    if let Json::Object(c) = &mut context {
        c.remove("requestOverride");
        c.remove("responseOverride");
    }
    serde_json::json!({
        "resource": resource_path,
        "path": req.path,
        "httpMethod": req.http_method,
        "headers": single(&req.headers),
        "multiValueHeaders": multi(&req.headers),
        "queryStringParameters": single(&req.query),
        "multiValueQueryStringParameters": multi(&req.query),
        "pathParameters": single(path_params),
        "stageVariables": single(&run.stage_variables),
        "requestContext": context,
        "body": body,
        "isBase64Encoded": binary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_variables_fill_uris() {
        let vars = vec![("host".to_string(), "example.com".to_string())];
        assert_eq!(
            fill_stage_variables(
                "https://${stageVariables.host}/a/${stageVariables.none}",
                &vars
            ),
            "https://example.com/a/"
        );
        assert_eq!(
            fill_stage_variables("x${stageVariables.", &vars),
            "x${stageVariables."
        );
    }

    #[test]
    fn aws_service_uris() {
        assert_eq!(
            aws_endpoint(
                "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/f/invocations",
                "us-east-1"
            )
            .as_deref(),
            Some("https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f/invocations")
        );
        assert_eq!(
            aws_endpoint("arn:aws:apigateway:us-east-1:sqs:action/SendMessage", "x").as_deref(),
            Some("https://sqs.us-east-1.amazonaws.com/?Action=SendMessage")
        );
        assert_eq!(aws_endpoint("https://x", "r"), None);
    }

    #[test]
    fn amz_dates() {
        assert_eq!(amz_date(1_504_141_645_000), "20170831T010725Z");
    }
}
