//! Gateway responses declared by the spec (`x-amazon-apigateway-gateway-responses`,
//! `AWS::ApiGateway::GatewayResponse`): the status, headers and body of a rejection, by
//! response type, falling back to `DEFAULT_4XX` / `DEFAULT_5XX` and then to the defaults.
//!
//! Header values are `'static'` text or `method.request.{header|querystring|path}.X`,
//! `stageVariables.X`, `context.X`; templates substitute `$context.*` (with
//! `$context.error.message`, `$context.error.messageString`, `$context.error.responseType`)
//! and `$stageVariables.*` as plain text. They are not VTL [DOC
//! x-amazon-apigateway-gateway-responses.responseTemplates]. `REQUEST_TOO_LARGE` cannot be
//! customized [DOC known issues].

use serde_json::{Map, Value as Json};

use crate::error::push_pointer;
use crate::exchange::{last_value, MethodResponse, Pairs};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::Error;

/// The response types a spec may customize, with their default statuses.
const TYPES: [(&str, u16); 21] = [
    ("ACCESS_DENIED", 403),
    ("API_CONFIGURATION_ERROR", 500),
    ("AUTHORIZER_CONFIGURATION_ERROR", 500),
    ("AUTHORIZER_FAILURE", 500),
    ("BAD_REQUEST_BODY", 400),
    ("BAD_REQUEST_PARAMETERS", 400),
    ("DEFAULT_4XX", 0),
    ("DEFAULT_5XX", 0),
    ("EXPIRED_TOKEN", 403),
    ("INTEGRATION_FAILURE", 504),
    ("INTEGRATION_TIMEOUT", 504),
    ("INVALID_API_KEY", 403),
    ("INVALID_SIGNATURE", 403),
    ("MISSING_AUTHENTICATION_TOKEN", 403),
    ("QUOTA_EXCEEDED", 429),
    ("REQUEST_TOO_LARGE", 413),
    ("RESOURCE_NOT_FOUND", 404),
    ("THROTTLED", 429),
    ("UNAUTHORIZED", 401),
    ("UNSUPPORTED_MEDIA_TYPE", 415),
    ("WAF_FILTERED", 403),
];

/// One customized gateway response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomResponse {
    /// The response type (`BAD_REQUEST_BODY`, `DEFAULT_4XX`, …).
    pub response_type: String,
    /// `statusCode`, if set.
    pub status: Option<u16>,
    /// `responseParameters`: `(header name, source)`.
    pub headers: Vec<(String, String)>,
    /// `responseTemplates`: `(content type, template)`.
    pub templates: Vec<(String, String)>,
    /// Where it is in the spec.
    pub pointer: String,
}

/// Reads `x-amazon-apigateway-gateway-responses`.
pub(crate) fn read_openapi(v: &Json, at: &str) -> Result<Vec<CustomResponse>, Error> {
    let Json::Object(map) = v else {
        return Err(Error::spec(at, "gateway responses must be an object"));
    };
    let mut out = Vec::new();
    for (ty, r) in map {
        let r_at = push_pointer(at, ty);
        out.push(read_one(
            ty,
            r,
            &r_at,
            &["statusCode", "responseParameters", "responseTemplates"],
        )?);
    }
    Ok(out)
}

/// Reads the `Properties` of an `AWS::ApiGateway::GatewayResponse`.
pub(crate) fn read_cloudformation(props: &Json, at: &str) -> Result<CustomResponse, Error> {
    let ty = props
        .get("ResponseType")
        .and_then(Json::as_str)
        .ok_or_else(|| Error::spec(at, "a gateway response needs a ResponseType"))?;
    read_one(
        ty,
        props,
        at,
        &["StatusCode", "ResponseParameters", "ResponseTemplates"],
    )
}

fn read_one(ty: &str, r: &Json, at: &str, keys: &[&str; 3]) -> Result<CustomResponse, Error> {
    if !TYPES.iter().any(|(n, _)| *n == ty) {
        return Err(Error::spec(
            at,
            format!("{ty:?} is not a gateway response type (ACCESS_DENIED, BAD_REQUEST_BODY, DEFAULT_4XX, …)"),
        ));
    }
    if ty == "REQUEST_TOO_LARGE" {
        return Err(Error::spec(
            at,
            "customizing the 413 REQUEST_TOO_LARGE gateway response isn't supported by API Gateway",
        ));
    }
    let Json::Object(obj) = r else {
        return Err(Error::spec(at, "a gateway response must be an object"));
    };
    let status = match obj.get(keys[0]) {
        None => None,
        Some(v) => {
            let s_at = push_pointer(at, keys[0]);
            let n = match v {
                Json::Number(n) => n.as_u64(),
                Json::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            Some(
                n.filter(|n| (100..=599).contains(n))
                    .map(|n| n as u16)
                    .ok_or_else(|| {
                        Error::spec(&s_at, "statusCode must be a status from 100 to 599")
                    })?,
            )
        }
    };
    let mut headers = Vec::new();
    if let Some(v) = obj.get(keys[1]) {
        let p_at = push_pointer(at, keys[1]);
        let Json::Object(m) = v else {
            return Err(Error::spec(&p_at, "responseParameters must be an object"));
        };
        for (k, src) in m {
            let e_at = push_pointer(&p_at, k);
            let Some(name) = k.strip_prefix("gatewayresponse.header.") else {
                return Err(Error::spec(&e_at, "expected gatewayresponse.header.NAME"));
            };
            let Some(src) = src.as_str() else {
                return Err(Error::spec(
                    &e_at,
                    "a response parameter's source must be a string",
                ));
            };
            check_source(src).map_err(|m| Error::spec(&e_at, m))?;
            headers.push((name.to_string(), src.to_string()));
        }
    }
    let mut templates = Vec::new();
    if let Some(v) = obj.get(keys[2]) {
        let t_at = push_pointer(at, keys[2]);
        let Json::Object(m) = v else {
            return Err(Error::spec(&t_at, "responseTemplates must be an object"));
        };
        for (ct, t) in m {
            let Some(t) = t.as_str() else {
                return Err(Error::spec(
                    &push_pointer(&t_at, ct),
                    "a template must be a string",
                ));
            };
            templates.push((ct.clone(), t.to_string()));
        }
    }
    Ok(CustomResponse {
        response_type: ty.to_string(),
        status,
        headers,
        templates,
        pointer: at.to_string(),
    })
}

fn check_source(src: &str) -> Result<(), String> {
    let ok = (src.len() >= 2 && src.starts_with('\'') && src.ends_with('\''))
        || [
            "method.request.header.",
            "method.request.querystring.",
            "method.request.path.",
        ]
        .iter()
        .any(|p| src.strip_prefix(p).is_some_and(|n| !n.is_empty()))
        || src
            .strip_prefix("stageVariables.")
            .is_some_and(|n| !n.is_empty())
        || src.strip_prefix("context.").is_some_and(|n| !n.is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Invalid mapping expression specified: {src} (expected 'text', method.request.header.X, method.request.querystring.X, method.request.path.X, stageVariables.X or context.X)"
        ))
    }
}

/// What a gateway response template and header source can read.
pub(crate) struct Values<'a> {
    pub headers: &'a Pairs,
    pub query: &'a Pairs,
    pub path: &'a Pairs,
    pub stage_variables: &'a Pairs,
    /// `$context` (without `error`).
    pub context: &'a Map<String, Json>,
}

/// The client's response for `g`: the spec's response for its type, else `DEFAULT_4XX` /
/// `DEFAULT_5XX`, else the default.
pub(crate) fn respond(
    customs: &[CustomResponse],
    g: &GatewayResponse,
    values: &Values<'_>,
) -> MethodResponse {
    let default = g.to_method_response();
    if customs.is_empty() || g.kind == GatewayResponseType::RequestTooLarge {
        return default;
    }
    let class = if g.status() >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    let Some(custom) = customs
        .iter()
        .find(|c| c.response_type == g.kind.name())
        .or_else(|| customs.iter().find(|c| c.response_type == class))
    else {
        return default;
    };
    let mut out = default;
    if let Some(s) = custom.status {
        out.status = s;
    }
    for (name, src) in &custom.headers {
        let value = if let Some(text) = src.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            Some(text.to_string())
        } else if let Some(n) = src.strip_prefix("method.request.header.") {
            last_value(values.headers, n).map(str::to_string)
        } else if let Some(n) = src.strip_prefix("method.request.querystring.") {
            exact(values.query, n)
        } else if let Some(n) = src.strip_prefix("method.request.path.") {
            exact(values.path, n)
        } else if let Some(n) = src.strip_prefix("stageVariables.") {
            exact(values.stage_variables, n)
        } else if let Some(n) = src.strip_prefix("context.") {
            context_value(g, values.context, n)
        } else {
            None
        };
        if let Some(v) = value {
            out.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            out.headers.push((name.clone(), v));
        }
    }
    let accept = last_value(values.headers, "Accept").map(crate::content::mime_type);
    let template = custom
        .templates
        .iter()
        .find(|(ct, _)| {
            accept
                .as_deref()
                .is_some_and(|a| ct.eq_ignore_ascii_case(a))
        })
        .or_else(|| {
            custom
                .templates
                .iter()
                .find(|(ct, _)| ct.eq_ignore_ascii_case("application/json"))
        })
        .or_else(|| custom.templates.first());
    if let Some((ct, t)) = template {
        out.body = substitute(t, g, values).into_bytes();
        out.headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
        out.headers.insert(0, ("Content-Type".into(), ct.clone()));
    }
    out
}

fn exact(pairs: &Pairs, name: &str) -> Option<String> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// `$context.X.Y` as text.
fn context_value(g: &GatewayResponse, context: &Map<String, Json>, path: &str) -> Option<String> {
    match path {
        "error.message" => return Some(g.message.clone()),
        "error.messageString" => return Some(g.message_string()),
        "error.responseType" => return Some(g.kind.name().to_string()),
        "error.validationErrorString" => return Some(g.message.clone()),
        _ => {}
    }
    let mut v = context.get(path.split('.').next()?)?;
    for seg in path.split('.').skip(1) {
        v = v.get(seg)?;
    }
    Some(match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    })
}

/// Replaces `$context.a.b`, `${context.a.b}`-free plain references and `$stageVariables.x`
/// in `template`; unknown references become empty, as API Gateway renders them.
fn substitute(template: &str, g: &GatewayResponse, values: &Values<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (braced, body) = match after.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, after),
        };
        let len = body
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '-'))
            .map_or(body.len(), |(j, _)| j);
        let mut name = &body[..len];
        let closes = !braced || body[len..].starts_with('}');
        if !braced {
            name = name.trim_end_matches('.');
        }
        let (root, path) = name.split_once('.').unwrap_or((name, ""));
        let known = closes && !path.is_empty() && (root == "context" || root == "stageVariables");
        if !known {
            out.push('$');
            rest = after;
            continue;
        }
        let value = if root == "context" {
            context_value(g, values.context, path)
        } else {
            exact(values.stage_variables, path)
        };
        out.push_str(&value.unwrap_or_default());
        let consumed = if braced {
            1 + name.len() + 1
        } else {
            name.len()
        };
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values<'a>(headers: &'a Pairs, empty: &'a Pairs, ctx: &'a Map<String, Json>) -> Values<'a> {
        Values {
            headers,
            query: empty,
            path: empty,
            stage_variables: empty,
            context: ctx,
        }
    }

    #[test]
    fn custom_status_headers_and_template() {
        let spec = json!({
            "BAD_REQUEST_BODY": {
                "statusCode": 422,
                "responseParameters": {
                    "gatewayresponse.header.X-Why": "'validation'",
                    "gatewayresponse.header.X-Req": "method.request.header.X-Req"
                },
                "responseTemplates": {"application/json": "{\"error\": $context.error.messageString, \"id\": \"$context.requestId\", \"t\": \"$context.error.responseType\"}"}
            }
        });
        let customs = read_openapi(&spec, "/x-amazon-apigateway-gateway-responses").unwrap();
        let headers = vec![("X-Req".to_string(), "abc".to_string())];
        let empty = Pairs::new();
        let ctx = json!({"requestId": "r-1"}).as_object().unwrap().clone();
        let g = GatewayResponse::new(GatewayResponseType::BadRequestBody);
        let r = respond(&customs, &g, &values(&headers, &empty, &ctx));
        assert_eq!(r.status, 422);
        assert_eq!(r.header("X-Why"), Some("validation"));
        assert_eq!(r.header("X-Req"), Some("abc"));
        assert_eq!(r.header("x-amzn-ErrorType"), Some("BadRequestException"));
        assert_eq!(
            r.body_text(),
            r#"{"error": "Invalid request body", "id": "r-1", "t": "BAD_REQUEST_BODY"}"#
        );
    }

    #[test]
    fn default_4xx_and_5xx_fall_back() {
        let spec = json!({
            "DEFAULT_4XX": {"responseTemplates": {"application/json": "{\"m\": \"$context.error.message\"}"}},
            "DEFAULT_5XX": {"statusCode": "503"}
        });
        let customs = read_openapi(&spec, "").unwrap();
        let empty = Pairs::new();
        let ctx = Map::new();
        let v = values(&empty, &empty, &ctx);
        let r = respond(
            &customs,
            &GatewayResponse::new(GatewayResponseType::InvalidApiKey),
            &v,
        );
        assert_eq!(
            (r.status, r.body_text()),
            (403, r#"{"m": "Forbidden"}"#.to_string())
        );
        let r = respond(&customs, &GatewayResponse::configuration("x"), &v);
        assert_eq!(r.status, 503);
        assert_eq!(r.body_text(), r#"{"message": "Internal server error"}"#);
        let r = respond(
            &customs,
            &GatewayResponse::new(GatewayResponseType::RequestTooLarge),
            &v,
        );
        assert_eq!(r.status, 413);
    }

    #[test]
    fn not_vtl() {
        let spec = json!({"DEFAULT_4XX": {"responseTemplates": {"application/json": "#if($x) $ 5 ${context.error.message} $context.nope $$"}}});
        let customs = read_openapi(&spec, "").unwrap();
        let empty = Pairs::new();
        let ctx = Map::new();
        let r = respond(
            &customs,
            &GatewayResponse::new(GatewayResponseType::Unauthorized),
            &values(&empty, &empty, &ctx),
        );
        assert_eq!(r.body_text(), "#if($x) $ 5 Unauthorized  $$");
    }

    #[test]
    fn malformed_are_located() {
        let e = read_openapi(&json!({"NOPE": {}}), "/g").unwrap_err();
        assert_eq!(e.pointer(), Some("/g/NOPE"));
        let e = read_openapi(&json!({"REQUEST_TOO_LARGE": {}}), "/g").unwrap_err();
        assert_eq!(e.pointer(), Some("/g/REQUEST_TOO_LARGE"));
        let e = read_openapi(
            &json!({"DEFAULT_4XX": {"responseParameters": {"gatewayresponse.header.A": "body.x"}}}),
            "/g",
        )
        .unwrap_err();
        assert_eq!(
            e.pointer(),
            Some("/g/DEFAULT_4XX/responseParameters/gatewayresponse.header.A")
        );
    }
}
