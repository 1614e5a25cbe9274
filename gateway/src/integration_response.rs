//! The integration response stage: the selection value (a Lambda function's `errorMessage`,
//! `""` on success; the status code as text otherwise), `selectionPattern` as a Java regex
//! matching the whole value, the default response, response parameters, the response template
//! chosen by the first `Accept` media type, `$context.responseOverride`, and the response side
//! of `contentHandling`.

use serde_json::{Map, Value as Json};

use crate::content::{self, first_accept, DEFAULT_RESPONSE_TYPE};
use crate::exchange::{
    last_value, set_value, EndpointRequest, EndpointResponse, MethodResponse, Pairs,
};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::log::{http_date, java_map};
use crate::model::{Integration, IntegrationResponse, IntegrationType};
use crate::params::{self, LazyContext, ResponseValues};
use crate::{Error, Run};

/// [OPEN] Whether `selectionPattern` must match the whole selection value (Java
/// `Matcher.matches()`), or only somewhere in it (`find()`). The docs say "Java pattern-style
/// regexes" and their examples (`.*Invalid request.*`, `(\n|.)+`) only make sense as whole
/// matches; Floci and serverless-offline match whole, LocalStack a prefix. Chosen: whole.
pub(crate) const WHOLE_STRING_MATCH: bool = true;

/// [OPEN] The order in which selection patterns are tried when several match. AWS stores
/// integration responses by status code; the recorded case (`.*four hundred.*`→405 chosen over
/// `.+`→502) fits ascending status order. Chosen: ascending status code, then spec order.
pub(crate) const SELECTION_BY_ASCENDING_STATUS: bool = true;

/// [OPEN] Whether the chosen response template's key becomes the response `Content-Type`
/// (when no mapping sets it). Chosen: yes; without a template the type is `application/json`.
pub(crate) const CONTENT_TYPE_FROM_TEMPLATE: bool = true;

/// [OPEN] What a response template that fails (or a binary body meeting one) logs, with a 500.
pub(crate) const TRANSFORM_RESPONSE_FAILED: &str = "Unable to transform response";

/// Mapped headers renamed `x-amzn-Remapped-…` (all integrations, then non-proxy only).
const REMAPPED: [&str; 4] = ["Connection", "Content-Length", "Date", "Server"];
const REMAPPED_NON_PROXY: [&str; 10] = [
    "Authorization",
    "Content-MD5",
    "Expect",
    "Host",
    "Max-Forwards",
    "Proxy-Authenticate",
    "Trailer",
    "Upgrade",
    "User-Agent",
    "WWW-Authenticate",
];

pub(crate) fn run(
    run: &mut Run<'_>,
    endpoint: &EndpointRequest,
    response: EndpointResponse,
) -> Result<MethodResponse, GatewayResponse> {
    let api = run.api;
    let carry = &endpoint.carry;
    let resource = api
        .spec
        .resources
        .get(carry.resource)
        .ok_or_else(|| GatewayResponse::configuration("unknown resource"))?;
    let method = resource
        .methods
        .get(carry.method)
        .ok_or_else(|| GatewayResponse::configuration("unknown method"))?;
    let integration = method
        .integration
        .as_ref()
        .ok_or_else(|| GatewayResponse::configuration("No integration defined for method"))?;
    let mock = integration.kind == IntegrationType::Mock;
    let response = if mock {
        EndpointResponse::new(carry.mock_status.unwrap_or(200))
    } else {
        log_endpoint_response(run, integration, &response);
        response
    };
    if integration.kind.is_proxy() {
        return proxy_response(run, integration, response);
    }

    // Selection.
    let body_text = crate::text(&response.body);
    let value = if mock {
        carry.mock_status.map(|s| s.to_string())
    } else if integration.is_lambda() {
        Some(lambda_selection_value(&body_text)?)
    } else {
        Some(response.status.to_string())
    };
    let chosen = select(integration, value.as_deref()).ok_or_else(|| {
        GatewayResponse::configuration(format!(
            "No match for output mapping and no default output mapping configured. Endpoint Response Status Code: {}",
            response.status
        ))
    })?;
    let mut status = chosen.status;

    // Body conversion.
    let accept = run.req.header("Accept");
    let payload_binary = content::is_binary(
        response.header("Content-Type"),
        &api.spec.binary_media_types,
    );
    let accept_binary = content::is_binary(
        first_accept(accept).as_deref(),
        &api.spec.binary_media_types,
    );
    let converted = content::convert_response(
        &response.body,
        payload_binary,
        accept_binary,
        chosen.content_handling,
    )?;

    // Response parameters (from the backend's headers and raw body).
    let mut request = run.take_template(&resource.path, &carry.path_params);
    let mut headers = Pairs::new();
    if !chosen.response_parameters.is_empty() {
        let context = LazyContext::without_body(&request);
        let values = ResponseValues {
            headers: &response.headers,
            body: &body_text,
            stage_variables: &run.stage_variables,
            context: &context,
        };
        for m in &chosen.response_parameters {
            let v = match params::response_value(&m.source, &values) {
                Ok(v) => v,
                Err(g) => {
                    run.keep_template(request);
                    return Err(g);
                }
            };
            if let Some(v) = v {
                let name = &m.target["method.response.header.".len()..];
                let remapped = REMAPPED
                    .iter()
                    .chain(REMAPPED_NON_PROXY.iter())
                    .any(|h| h.eq_ignore_ascii_case(name));
                let name = if remapped {
                    format!("x-amzn-Remapped-{name}")
                } else {
                    name.to_string()
                };
                set_value(&mut headers, &name, v);
            }
        }
    }

    // The template.
    let template = content::response_template(&chosen.response_templates, accept);
    let mut body = converted.body;
    let mut response_override = carry.response_override.clone();
    let mut rendered_type = None;
    if let Some(t) = template {
        if let Some(compiled) = &t.compiled {
            if converted.binary {
                run.keep_template(request);
                return Err(GatewayResponse::configuration(TRANSFORM_RESPONSE_FAILED));
            }
            // `$input` reads the integration response here, with the overrides the request
            // template left in `$context`.
            request.body.clear();
            request.body.push_str(&crate::text(&body));
            request.content_type = response.header("Content-Type").map(str::to_string);
            for (name, value) in [
                ("requestOverride", &carry.request_override),
                ("responseOverride", &carry.response_override),
            ] {
                if !value.is_null() && !is_initial_override(&request.context, name, value) {
                    let mut extra = Map::new();
                    extra.insert(name.into(), value.clone());
                    crate::vtl_merge(&mut request.context, &extra);
                }
            }
            let result = crate::render(compiled, &request);
            run.keep_template(request);
            match result {
                Ok(r) => {
                    body = r.output.into_bytes();
                    response_override = r.response_override.unwrap_or(Json::Null);
                    rendered_type = Some(t.content_type.clone());
                }
                Err(e) => {
                    run.template_error = Some(Error::template(&t.pointer, e));
                    return Err(GatewayResponse::configuration(TRANSFORM_RESPONSE_FAILED));
                }
            }
        } else {
            run.keep_template(request);
        }
    } else {
        run.keep_template(request);
    }

    // Overrides are final.
    let mut overridden = false;
    if let Some(s) = response_override.get("status").and_then(override_status) {
        status = s;
        overridden = true;
    }
    if let Some(Json::Object(h)) = response_override.get("header") {
        for (k, v) in h {
            set_value(&mut headers, k, crate::spec::scalar_text(v));
        }
    }
    if !overridden && !method.responses.is_empty() && !method.responses.contains(&status) {
        return Err(GatewayResponse::configuration(format!(
            "Output mapping refers to an invalid method response: {status}"
        )));
    }
    if !mock {
        headers.push((
            "X-Amzn-Trace-Id".into(),
            crate::integration_request::trace_id(run),
        ));
    }
    if last_value(&headers, "Content-Type").is_none() {
        let ty = rendered_type
            .filter(|_| CONTENT_TYPE_FROM_TEMPLATE)
            .unwrap_or_else(|| DEFAULT_RESPONSE_TYPE.to_string());
        headers.push(("Content-Type".into(), ty));
    }
    let out = MethodResponse {
        status,
        headers,
        body,
    };
    log_method_response(run, &out, converted.binary);
    Ok(out)
}

/// Whether merging `value` as `$context.<name>` into `context` would change nothing that a
/// template can see: `context` has no `name` of its own and every member of `value` is an
/// empty object, as the defaults of `$context` are (what a request template that touched no
/// override leaves).
fn is_initial_override(context: &Map<String, Json>, name: &str, value: &Json) -> bool {
    let expected: &[&str] = match name {
        "requestOverride" => &["path", "header", "querystring"],
        _ => &["header"],
    };
    !context.contains_key(name)
        && value.as_object().is_some_and(|o| {
            o.len() == expected.len()
                && o.keys().zip(expected).all(|(k, e)| k == e)
                && o.values()
                    .all(|v| v.as_object().is_some_and(|m| m.is_empty()))
        })
}

/// A `responseOverride.status`: an integer (or integer text) from 100 to 599, else ignored.
fn override_status(v: &Json) -> Option<u16> {
    let n = match v {
        Json::Number(n) => n.as_u64()?,
        Json::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    u16::try_from(n).ok().filter(|n| (100..=599).contains(n))
}

/// The selection value of a Lambda (non-proxy) answer: the error payload's `errorMessage`, or
/// `""` for a success. An `AccessDeniedException` of the Invoke API is a 500.
fn lambda_selection_value(body: &str) -> Result<String, GatewayResponse> {
    let Ok(Json::Object(m)) = serde_json::from_str::<Json>(body) else {
        return Ok(String::new());
    };
    if m.get("__type")
        .and_then(Json::as_str)
        .is_some_and(|t| t.contains("AccessDeniedException"))
    {
        return Err(GatewayResponse::configuration(
            "Invalid permissions on Lambda function",
        ));
    }
    Ok(match m.get("errorMessage") {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(other) => other.to_string(),
    })
}

/// The integration response for `value` (`None`: a MOCK without a status, which takes the
/// default): the first pattern that matches the whole value, else the default.
pub(crate) fn select<'i>(
    integration: &'i Integration,
    value: Option<&str>,
) -> Option<&'i IntegrationResponse> {
    let mut order: Vec<&IntegrationResponse> = integration.responses.iter().collect();
    if SELECTION_BY_ASCENDING_STATUS {
        order.sort_by_key(|r| r.status);
    }
    if let Some(value) = value {
        for r in &order {
            if let Some(re) = &r.regex {
                let matched = if WHOLE_STRING_MATCH {
                    re.matches(value)
                } else {
                    re.find_at(value, 0).map(|m| m.is_some())
                };
                if matched.unwrap_or(false) {
                    return Some(r);
                }
            }
        }
    }
    order.into_iter().find(|r| r.is_default())
}

fn log_endpoint_response(run: &mut Run<'_>, integration: &Integration, r: &EndpointResponse) {
    if !run.log.on() {
        return;
    }
    run.log.line(format!(
        "Received response. Status: {}, Integration latency: {} ms",
        r.status, run.integration_latency
    ));
    let mut shown = r.headers.clone();
    if integration.is_lambda() {
        // The Lambda Invoke API's own headers, where the recorded answer has none.
        let now = run.log.now();
        let defaults = [
            ("Date", http_date(now)),
            ("Content-Type", "application/json".to_string()),
            ("Content-Length", r.body.len().to_string()),
            ("Connection", "keep-alive".to_string()),
            ("x-amzn-RequestId", run.request_id.clone()),
            ("X-Amz-Executed-Version", "$LATEST".to_string()),
        ];
        let mut all: Pairs = Vec::new();
        for (k, v) in defaults {
            if last_value(&shown, k).is_none() {
                all.push((k.to_string(), v));
            } else {
                all.extend(
                    shown
                        .iter()
                        .filter(|(n, _)| n.eq_ignore_ascii_case(k))
                        .cloned(),
                );
                shown.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
            }
        }
        all.extend(shown);
        shown = all;
    }
    run.log
        .value("Endpoint response headers: ", &java_map(&shown));
    let binary = content::is_binary(r.header("Content-Type"), &run.api.spec.binary_media_types);
    if binary {
        run.log
            .line("Endpoint response body before transformations: [Binary Data]");
    } else {
        let body = String::from_utf8_lossy(&r.body).into_owned();
        run.log
            .value("Endpoint response body before transformations: ", &body);
    }
}

fn log_method_response(run: &mut Run<'_>, r: &MethodResponse, binary: bool) {
    if !run.log.on() {
        return;
    }
    if binary {
        run.log
            .line("Method response body after transformations: [Binary Data]");
    } else {
        run.log.value(
            "Method response body after transformations: ",
            &r.body_text(),
        );
    }
    run.log
        .value("Method response headers: ", &java_map(&r.headers));
}

/// AWS_PROXY: the function's `{statusCode, headers, multiValueHeaders, body,
/// isBase64Encoded}` (anything else is a 502); HTTP_PROXY: the backend's answer as it is.
fn proxy_response(
    run: &mut Run<'_>,
    integration: &Integration,
    response: EndpointResponse,
) -> Result<MethodResponse, GatewayResponse> {
    if integration.kind == IntegrationType::HttpProxy {
        let out = MethodResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        };
        log_method_response(run, &out, false);
        return Ok(out);
    }
    let malformed = || {
        GatewayResponse::new(GatewayResponseType::IntegrationFailure)
            .logged("Execution failed due to configuration error: Malformed Lambda proxy response")
    };
    let Ok(Json::Object(m)) = serde_json::from_slice::<Json>(&response.body) else {
        return Err(malformed());
    };
    const KNOWN: [&str; 5] = [
        "statusCode",
        "headers",
        "multiValueHeaders",
        "body",
        "isBase64Encoded",
    ];
    // `{}` is refused although every key is optional [SNAP].
    if m.is_empty() || m.keys().any(|k| !KNOWN.contains(&k.as_str())) {
        return Err(malformed());
    }
    let status = match m.get("statusCode") {
        None => 200,
        Some(v) => override_status(v).ok_or_else(malformed)?,
    };
    let mut headers = Pairs::new();
    if let Some(h) = m.get("headers").filter(|h| !h.is_null()) {
        headers = crate::exchange::header_pairs(h).map_err(|_| malformed())?;
    }
    if let Some(h) = m.get("multiValueHeaders").filter(|h| !h.is_null()) {
        // Every value must be a list [SNAP].
        let Json::Object(multi) = h else {
            return Err(malformed());
        };
        for (k, v) in multi {
            let Json::Array(values) = v else {
                return Err(malformed());
            };
            for v in values {
                headers.push((k.clone(), crate::spec::scalar_text(v)));
            }
        }
    }
    let body = match m.get("body") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::String(s)) => {
            // A base64 body is decoded only when the response or the client's Accept is a
            // binary media type; otherwise the client gets the base64 text [SNAP].
            let binary_types = &run.api.spec.binary_media_types;
            let binary = content::is_binary(last_value(&headers, "Content-Type"), binary_types)
                || content::is_binary(
                    first_accept(run.req.header("Accept")).as_deref(),
                    binary_types,
                );
            if binary && m.get("isBase64Encoded").and_then(Json::as_bool) == Some(true) {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map_err(|_| malformed())?
            } else {
                s.clone().into_bytes()
            }
        }
        Some(_) => return Err(malformed()),
    };
    if last_value(&headers, "Content-Type").is_none() {
        headers.push(("Content-Type".into(), DEFAULT_RESPONSE_TYPE.into()));
    }
    let out = MethodResponse {
        status,
        headers,
        body,
    };
    log_method_response(run, &out, false);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_selection_values() {
        assert_eq!(
            lambda_selection_value(r#"{"errorMessage": "boom", "errorType": "E"}"#).unwrap(),
            "boom"
        );
        assert_eq!(lambda_selection_value(r#"{"ok": true}"#).unwrap(), "");
        assert_eq!(lambda_selection_value(r#""Pass""#).unwrap(), "");
        assert_eq!(lambda_selection_value("not json").unwrap(), "");
        let g = lambda_selection_value(r#"{"__type": "AccessDeniedException"}"#).unwrap_err();
        assert_eq!(g.status(), 500);
    }

    #[test]
    fn override_statuses() {
        assert_eq!(override_status(&serde_json::json!(444)), Some(444));
        assert_eq!(override_status(&serde_json::json!("201")), Some(201));
        assert_eq!(override_status(&serde_json::json!(600)), None);
        assert_eq!(override_status(&serde_json::json!("x")), None);
        assert_eq!(override_status(&serde_json::json!(99)), None);
    }
}
