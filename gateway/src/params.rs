//! Parameter mappings: `requestParameters` (`integration.request.{header|querystring|path}.N =
//! method.request.…`) and `responseParameters` (`method.response.header.N =
//! integration.response.…`), with every right-hand form of request-response-data-mappings:
//! path, query string, header, their multi-value forms, the body and a JSONPath into it,
//! `stageVariables.V`, `context.V` and `'STATIC'` literals.
//!
//! A value that is missing (no such parameter, header or variable) leaves the target unset.

use std::cell::OnceCell;

use serde_json::Value as Json;
use vtl::JsonPath;

use crate::exchange::{last_value, Pairs};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};

/// A mapped value: one, or (for `multivaluequerystring`) several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mapped {
    One(String),
    Many(Vec<String>),
}

/// Whether a parameter name is one API Gateway accepts (`^[a-zA-Z0-9._$-]+$`).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._$-".contains(&b))
}

fn invalid(expr: &str) -> String {
    format!("Invalid mapping expression specified: {expr}")
}

/// Checks a mapping when the spec is loaded (`prefix` is `integration.request.` or
/// `method.response.`): the target's form, and that the source is one of the forms that side
/// allows. The message is API Gateway's deploy-time one.
pub(crate) fn check_mapping(target: &str, source: &str, prefix: &str) -> Result<(), String> {
    let Some(rest) = target.strip_prefix(prefix) else {
        return Err(invalid(target));
    };
    let request = prefix == "integration.request.";
    let locations: &[&str] = if request {
        &["header", "querystring", "path"]
    } else {
        &["header"]
    };
    match rest.split_once('.') {
        Some((loc, name)) if locations.contains(&loc) && valid_name(name) => {}
        _ => return Err(invalid(target)),
    }
    if is_static(source).is_some() {
        return Ok(());
    }
    if let Some(v) = source
        .strip_prefix("stageVariables.")
        .or_else(|| source.strip_prefix("context."))
    {
        return if v.is_empty() {
            Err(invalid(source))
        } else {
            Ok(())
        };
    }
    let (body, params): (&str, &[&str]) = if request {
        (
            "method.request.body",
            &[
                "path",
                "querystring",
                "multivaluequerystring",
                "header",
                "multivalueheader",
            ],
        )
    } else {
        ("integration.response.body", &["header", "multivalueheader"])
    };
    if source == body {
        return Ok(());
    }
    if let Some(path) = source.strip_prefix(body).and_then(|p| p.strip_prefix('.')) {
        return JsonPath::compile(&format!("$.{path}"))
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", invalid(source)));
    }
    let base = if request {
        "method.request."
    } else {
        "integration.response."
    };
    match source.strip_prefix(base).and_then(|r| r.split_once('.')) {
        Some((loc, name)) if params.contains(&loc) && valid_name(name) => Ok(()),
        _ => Err(invalid(source)),
    }
}

/// `'text'` → `text`.
fn is_static(source: &str) -> Option<&str> {
    source
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .filter(|_| source.len() >= 2)
}

/// `$context` as JSON for `context.V` mappings, built on first use (most methods map
/// nothing from it).
pub(crate) struct LazyContext<'a> {
    request: Option<&'a vtl::Request>,
    without_body: bool,
    json: OnceCell<Json>,
}

impl<'a> LazyContext<'a> {
    /// The `$context` of `request`.
    pub(crate) fn new(request: &'a vtl::Request) -> LazyContext<'a> {
        LazyContext {
            request: Some(request),
            without_body: false,
            json: OnceCell::new(),
        }
    }

    /// A `$context` given as JSON.
    #[cfg(test)]
    pub(crate) fn from_json(json: Json) -> LazyContext<'static> {
        LazyContext {
            request: None,
            without_body: false,
            json: OnceCell::from(json),
        }
    }

    /// The `$context` of `request` with an empty body (the ids derived from the request
    /// differ with the body).
    pub(crate) fn without_body(request: &'a vtl::Request) -> LazyContext<'a> {
        LazyContext {
            without_body: true,
            ..LazyContext::new(request)
        }
    }

    pub(crate) fn get(&self) -> &Json {
        self.json.get_or_init(|| match self.request {
            Some(r) if self.without_body && !r.body.is_empty() => {
                let mut bodiless = r.clone();
                bodiless.body.clear();
                vtl::context_json(&bodiless)
            }
            Some(r) => vtl::context_json(r),
            None => Json::Null,
        })
    }
}

/// What request-side mappings read.
pub(crate) struct RequestValues<'a> {
    pub path: &'a Pairs,
    pub query: &'a Pairs,
    pub headers: &'a Pairs,
    pub body: &'a str,
    pub stage_variables: &'a Pairs,
    pub context: &'a LazyContext<'a>,
}

/// What response-side mappings read.
pub(crate) struct ResponseValues<'a> {
    pub headers: &'a Pairs,
    pub body: &'a str,
    pub stage_variables: &'a Pairs,
    pub context: &'a LazyContext<'a>,
}

/// A body as JSON for `body.JSONPATH` mappings: `Ok(None)` when it does not look like JSON,
/// an error when it starts like JSON (`{ [ " '`) but does not parse.
fn body_json(body: &str) -> Result<Option<Json>, ()> {
    let t = body.trim_start();
    if t.is_empty() {
        return Ok(Some(Json::Object(Default::default())));
    }
    if !t.starts_with(['{', '[', '"', '\'']) {
        return Ok(None);
    }
    serde_json::from_str(t).map(Some).map_err(|_| ())
}

/// A JSONPath read as a mapping value: strings as they are, other values as JSON text,
/// nothing for no match or null.
fn read_path(doc: &Json, path: &str) -> Option<String> {
    let compiled = JsonPath::compile(&format!("$.{path}")).ok()?;
    let value = compiled.read(&vtl::Value::from_json(doc)).ok()?;
    match value.to_json() {
        Json::Null => None,
        Json::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// A dotted lookup into `$context` (`identity.sourceIp`).
fn context_value(context: &Json, path: &str) -> Option<String> {
    let mut v = context;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn exact_last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn exact_all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// Evaluates a request-side source. Header and parameter names are case-sensitive.
pub(crate) fn request_value(
    source: &str,
    v: &RequestValues<'_>,
) -> Result<Option<Mapped>, GatewayResponse> {
    if let Some(s) = is_static(source) {
        return Ok(Some(Mapped::One(s.to_string())));
    }
    if let Some(name) = source.strip_prefix("stageVariables.") {
        return Ok(last_value_exact(v.stage_variables, name));
    }
    if let Some(path) = source.strip_prefix("context.") {
        return Ok(context_value(v.context.get(), path).map(Mapped::One));
    }
    if source == "method.request.body" {
        let body = if v.body.is_empty() { "{}" } else { v.body };
        return Ok(Some(Mapped::One(body.to_string())));
    }
    if let Some(path) = source.strip_prefix("method.request.body.") {
        return match body_json(v.body) {
            Ok(Some(doc)) => Ok(read_path(&doc, path).map(Mapped::One)),
            Ok(None) => Ok(None),
            Err(()) => Err(GatewayResponse::with_message(
                GatewayResponseType::BadRequestBody,
                "Invalid JSON in request body",
            )
            .logged("Execution failed: Invalid JSON in request body")),
        };
    }
    let Some((loc, name)) = source
        .strip_prefix("method.request.")
        .and_then(|r| r.split_once('.'))
    else {
        return Ok(None);
    };
    let one = |o: Option<&str>| o.map(|s| Mapped::One(s.to_string()));
    Ok(match loc {
        "path" => one(exact_last(v.path, name)),
        "querystring" => one(exact_last(v.query, name)),
        "header" => one(exact_last(v.headers, name)),
        "multivaluequerystring" => {
            let all = exact_all(v.query, name);
            (!all.is_empty()).then_some(Mapped::Many(all))
        }
        "multivalueheader" => {
            let all = exact_all(v.headers, name);
            (!all.is_empty()).then(|| Mapped::One(all.join(",")))
        }
        _ => None,
    })
}

fn last_value_exact(pairs: &Pairs, name: &str) -> Option<Mapped> {
    exact_last(pairs, name).map(|s| Mapped::One(s.to_string()))
}

/// A Lambda custom error carries JSON in its `errorMessage` string; body mappings see it
/// deserialized (`integration.response.body.errorMessage.httpStatus`) [DOC].
fn unpack_error_message(doc: &mut Json) {
    if let Some(slot) = doc.get_mut("errorMessage") {
        if let Some(text) = slot.as_str() {
            if let Ok(inner @ (Json::Object(_) | Json::Array(_))) =
                serde_json::from_str::<Json>(text)
            {
                *slot = inner;
            }
        }
    }
}

/// Evaluates a response-side source (integration response header names ignore case, as
/// HTTP's do).
pub(crate) fn response_value(
    source: &str,
    v: &ResponseValues<'_>,
) -> Result<Option<String>, GatewayResponse> {
    if let Some(s) = is_static(source) {
        return Ok(Some(s.to_string()));
    }
    if let Some(name) = source.strip_prefix("stageVariables.") {
        return Ok(exact_last(v.stage_variables, name).map(str::to_string));
    }
    if let Some(path) = source.strip_prefix("context.") {
        return Ok(context_value(v.context.get(), path));
    }
    if source == "integration.response.body" {
        let body = if v.body.is_empty() { "{}" } else { v.body };
        return Ok(Some(body.to_string()));
    }
    if let Some(path) = source.strip_prefix("integration.response.body.") {
        return match body_json(v.body) {
            Ok(Some(mut doc)) => {
                unpack_error_message(&mut doc);
                Ok(read_path(&doc, path))
            }
            Ok(None) => Ok(None),
            Err(()) => Err(GatewayResponse::configuration(
                "Unable to parse the integration response body as JSON for a response parameter mapping",
            )),
        };
    }
    if let Some(name) = source.strip_prefix("integration.response.header.") {
        return Ok(last_value(v.headers, name).map(str::to_string));
    }
    if let Some(name) = source.strip_prefix("integration.response.multivalueheader.") {
        let all: Vec<&str> = v
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        return Ok((!all.is_empty()).then(|| all.join(",")));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn req<'a>(
        path: &'a Pairs,
        query: &'a Pairs,
        headers: &'a Pairs,
        body: &'a str,
        sv: &'a Pairs,
        ctx: &'a LazyContext<'a>,
    ) -> RequestValues<'a> {
        RequestValues {
            path,
            query,
            headers,
            body,
            stage_variables: sv,
            context: ctx,
        }
    }

    #[test]
    fn every_request_form() {
        let path = pairs(&[("id", "7")]);
        let query = pairs(&[("q", "a"), ("q", "b")]);
        let headers = pairs(&[("X-H", "1"), ("X-H", "2"), ("header_value", "lower")]);
        let sv = pairs(&[("env", "prod")]);
        let ctx = LazyContext::from_json(
            serde_json::json!({"identity": {"sourceIp": "10.0.0.1"}, "stage": "test"}),
        );
        let body = r#"{"a": {"b": [{"c": "deep"}]}, "n": 3}"#;
        let v = req(&path, &query, &headers, body, &sv, &ctx);
        let one = |s: &str| Some(Mapped::One(s.to_string()));
        let get = |s: &str| request_value(s, &v).unwrap();
        assert_eq!(get("method.request.path.id"), one("7"));
        // a single-value source takes the last value
        assert_eq!(get("method.request.querystring.q"), one("b"));
        assert_eq!(get("method.request.header.X-H"), one("2"));
        assert_eq!(
            get("method.request.multivaluequerystring.q"),
            Some(Mapped::Many(vec!["a".into(), "b".into()]))
        );
        assert_eq!(get("method.request.multivalueheader.X-H"), one("1,2"));
        // names are case-sensitive
        assert_eq!(get("method.request.header.HEADER_value"), None);
        assert_eq!(get("method.request.body"), one(body));
        assert_eq!(get("method.request.body.a.b[0].c"), one("deep"));
        assert_eq!(get("method.request.body.n"), one("3"));
        assert_eq!(get("method.request.body.missing"), None);
        assert_eq!(get("stageVariables.env"), one("prod"));
        assert_eq!(get("stageVariables.none"), None);
        assert_eq!(get("context.identity.sourceIp"), one("10.0.0.1"));
        assert_eq!(get("'static'"), one("static"));
        assert_eq!(get("method.request.path.none"), None);
    }

    #[test]
    fn request_body_rules() {
        let e = Pairs::new();
        let ctx = LazyContext::from_json(Json::Null);
        let v = req(&e, &e, &e, "", &e, &ctx);
        assert_eq!(
            request_value("method.request.body", &v).unwrap(),
            Some(Mapped::One("{}".into()))
        );
        let v = req(&e, &e, &e, "{not json", &e, &ctx);
        let g = request_value("method.request.body.a", &v).unwrap_err();
        assert_eq!(
            (g.status(), g.message.as_str()),
            (400, "Invalid JSON in request body")
        );
        let v = req(&e, &e, &e, "plain text", &e, &ctx);
        assert_eq!(request_value("method.request.body.a", &v).unwrap(), None);
    }

    #[test]
    fn every_response_form() {
        let headers = pairs(&[("X-Up", "1"), ("x-up", "2"), ("Content-Type", "text/xml")]);
        let sv = pairs(&[("v", "s")]);
        let ctx = LazyContext::from_json(serde_json::json!({"requestId": "r"}));
        let v = ResponseValues {
            headers: &headers,
            body: r#"{"id": 5, "o": {"k": true}}"#,
            stage_variables: &sv,
            context: &ctx,
        };
        let get = |s: &str| response_value(s, &v).unwrap();
        assert_eq!(
            get("integration.response.header.X-Up").as_deref(),
            Some("2")
        );
        assert_eq!(
            get("integration.response.multivalueheader.X-Up").as_deref(),
            Some("1,2")
        );
        assert_eq!(get("integration.response.body.id").as_deref(), Some("5"));
        assert_eq!(
            get("integration.response.body.o").as_deref(),
            Some(r#"{"k":true}"#)
        );
        assert_eq!(get("integration.response.body").as_deref(), Some(v.body));
        assert_eq!(get("stageVariables.v").as_deref(), Some("s"));
        assert_eq!(get("context.requestId").as_deref(), Some("r"));
        assert_eq!(get("'*'").as_deref(), Some("*"));
        let bad = ResponseValues { body: "[1,", ..v };
        assert_eq!(
            response_value("integration.response.body.a", &bad)
                .unwrap_err()
                .status(),
            500
        );
    }

    #[test]
    fn mappings_are_checked_at_load() {
        let r = "integration.request.";
        assert!(check_mapping("integration.request.header.X", "method.request.path.id", r).is_ok());
        assert!(check_mapping("integration.request.path.id", "'x'", r).is_ok());
        assert!(check_mapping(
            "integration.request.querystring.q",
            "method.request.body.a.b",
            r
        )
        .is_ok());
        assert!(check_mapping("integration.request.cookie.x", "'x'", r).is_err());
        assert!(
            check_mapping("integration.request.header.X", "method.request.bogus.a", r).is_err()
        );
        assert!(check_mapping(
            "integration.request.header.X",
            "method.request.header.a b",
            r
        )
        .is_err());
        assert!(check_mapping(
            "integration.request.header.X",
            "integration.response.body",
            r
        )
        .is_err());
        let m = "method.response.";
        assert!(check_mapping(
            "method.response.header.X",
            "integration.response.header.Y",
            m
        )
        .is_ok());
        assert!(check_mapping("method.response.header.X", "method.request.header.Y", m).is_err());
        let e = check_mapping("method.response.body", "'x'", m).unwrap_err();
        assert_eq!(
            e,
            "Invalid mapping expression specified: method.response.body"
        );
    }
}
