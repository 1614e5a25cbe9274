//! The request a mapping template sees: body, parameters, stage variables and `$context`
//! overrides, read from a request file, an API Gateway Lambda-proxy event, or a
//! TestInvokeMethod request.

use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

use crate::error::{Error, ErrorKind};

/// Method-request parameters by location. Each name maps to its values in order; templates
/// see one value per name (the last one, as API Gateway's single-value maps do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// Path parameters (`/pets/{petId}`).
    pub path: IndexMap<String, Vec<String>>,
    /// Query-string parameters (already URL-decoded).
    pub querystring: IndexMap<String, Vec<String>>,
    /// Headers.
    pub header: IndexMap<String, Vec<String>>,
}

/// A request, as mapping templates see it.
///
/// ```
/// use vtl::{Engine, Profile, Request};
///
/// let mut request = Request::with_body(r#"{"pet": {"name": "Rex"}}"#);
/// request.params.header.insert("X-Id".into(), vec!["7".into()]);
/// let template = Engine::new(Profile::Aws).compile(r#"$input.path('$.pet.name') $input.params('X-Id')"#)?;
/// assert_eq!(template.render_request(&request, &serde_json::Value::Null)?.output, "Rex 7");
/// # Ok::<(), vtl::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// The raw body (an empty body reads as `{}` in templates).
    pub body: String,
    /// The Content-Type (chooses the template on API Gateway; informational here).
    pub content_type: Option<String>,
    /// Path, query-string and header parameters.
    pub params: Params,
    /// Stage variables.
    pub stage_variables: IndexMap<String, String>,
    /// Values deep-merged over the default `$context` (e.g. `{"stage": "prod"}`).
    pub context: Map<String, Json>,
}

impl Request {
    /// A request with just a body.
    pub fn with_body(body: impl Into<String>) -> Request {
        Request {
            body: body.into(),
            ..Request::default()
        }
    }

    /// Reads a request from JSON text: the request-file shape
    /// (`{"body", "contentType", "params": {"path","querystring","header"}, "stageVariables",
    /// "context"}`, every key optional), a Lambda-proxy event, or a TestInvokeMethod request.
    pub fn from_json_str(text: &str) -> Result<Request, Error> {
        let json: Json = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Input,
                format!(
                    "the request is not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Request::from_json(&json)
    }

    /// Reads a request from a JSON value (see [`Request::from_json_str`]).
    pub fn from_json(json: &Json) -> Result<Request, Error> {
        let Json::Object(obj) = json else {
            return Err(Error::new(
                ErrorKind::Input,
                "a request must be a JSON object",
            ));
        };
        // First: a TestInvokeMethod request may have `multiValueHeaders` too.
        if obj.contains_key("pathWithQueryString") {
            return Ok(from_test_invoke(obj));
        }
        if obj.contains_key("requestContext") || obj.contains_key("multiValueHeaders") {
            return Ok(from_proxy_event(obj));
        }
        from_request_file(obj)
    }

    /// The request in the request-file shape (`{"body", "contentType", "params": {"path",
    /// "querystring", "header"}, "stageVariables", "context"}`, every key present; a parameter
    /// with one value as a string, with several as an array), which [`Request::from_json`] reads
    /// back as the same request.
    pub fn to_json(&self) -> Json {
        let stage_variables = self
            .stage_variables
            .iter()
            .map(|(k, v)| (k.clone(), Json::String(v.clone())))
            .collect::<Map<_, _>>();
        json!({
            "body": self.body,
            "contentType": self.content_type,
            "params": {
                "path": multimap_json(&self.params.path),
                "querystring": multimap_json(&self.params.querystring),
                "header": multimap_json(&self.params.header),
            },
            "stageVariables": stage_variables,
            "context": self.context,
        })
    }

    /// A header's last value, matching the name without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.params
            .header
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.last())
            .map(String::as_str)
    }

    /// Deep-merges `over` into the request's `context` (objects key by key; anything else
    /// replaces).
    pub fn merge_context(&mut self, over: &Map<String, Json>) {
        merge_json(&mut self.context, over);
    }

    /// The value templates see for a parameter: the last of its values.
    pub fn param(&self, name: &str) -> Option<&str> {
        [
            &self.params.path,
            &self.params.querystring,
            &self.params.header,
        ]
        .into_iter()
        .find_map(|m| m.get(name))
        .and_then(|v| v.last())
        .map(String::as_str)
    }
}

/// Merges `over` into `base`: objects merge key by key, anything else replaces.
pub(crate) fn merge_json(base: &mut Map<String, Json>, over: &Map<String, Json>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Json::Object(b)), Json::Object(o)) => merge_json(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Name → values as JSON: one value as a string, none or several as an array.
fn multimap_json(map: &IndexMap<String, Vec<String>>) -> Json {
    let entries = map.iter().map(|(k, v)| {
        let value = match v.as_slice() {
            [one] => Json::String(one.clone()),
            many => json!(many),
        };
        (k.clone(), value)
    });
    Json::Object(entries.collect())
}

fn input_error(message: String) -> Error {
    Error::new(ErrorKind::Input, message)
}

fn from_request_file(obj: &Map<String, Json>) -> Result<Request, Error> {
    const KNOWN: &[&str] = &[
        "body",
        "contentType",
        "params",
        "stageVariables",
        "context",
        "stage_variables",
        "content_type",
    ];
    if let Some(unknown) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(input_error(format!(
            "unknown key '{unknown}' in the request (expected body, contentType, params, stageVariables, context)"
        )));
    }
    let mut req = Request::default();
    match obj.get("body") {
        None | Some(Json::Null) => {}
        Some(Json::String(s)) => req.body = s.clone(),
        // A JSON body given as a value is taken as its compact text.
        Some(other) => req.body = other.to_string(),
    }
    req.content_type = obj
        .get("contentType")
        .or_else(|| obj.get("content_type"))
        .and_then(Json::as_str)
        .map(str::to_string);
    if let Some(params) = obj.get("params") {
        let Json::Object(p) = params else {
            return Err(input_error(
                "'params' must be an object with path, querystring and header".into(),
            ));
        };
        for (k, v) in p {
            let target = match k.as_str() {
                "path" => &mut req.params.path,
                "querystring" => &mut req.params.querystring,
                "header" => &mut req.params.header,
                other => {
                    return Err(input_error(format!(
                    "unknown parameter location '{other}' (expected path, querystring or header)"
                )))
                }
            };
            *target = string_multimap(v, k)?;
        }
    }
    if let Some(sv) = obj
        .get("stageVariables")
        .or_else(|| obj.get("stage_variables"))
    {
        req.stage_variables = string_multimap(sv, "stageVariables")?
            .into_iter()
            .filter_map(|(k, v)| v.into_iter().last().map(|v| (k, v)))
            .collect();
    }
    match obj.get("context") {
        None | Some(Json::Null) => {}
        Some(Json::Object(c)) => req.context = c.clone(),
        Some(_) => return Err(input_error("'context' must be an object".into())),
    }
    if req.content_type.is_none() {
        req.content_type = req.header("content-type").map(str::to_string);
    }
    Ok(req)
}

/// `{"a": "1", "b": ["x", "y"], "c": 2}` → name → values (numbers and booleans as text).
fn string_multimap(v: &Json, what: &str) -> Result<IndexMap<String, Vec<String>>, Error> {
    let Json::Object(m) = v else {
        return Err(input_error(format!(
            "'{what}' must be an object of names to values"
        )));
    };
    let mut out = IndexMap::with_capacity(m.len());
    for (k, v) in m {
        let values = match v {
            Json::Array(items) => items.iter().map(scalar_text).collect(),
            other => vec![scalar_text(other)],
        };
        out.insert(k.clone(), values);
    }
    Ok(out)
}

fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

fn from_proxy_event(obj: &Map<String, Json>) -> Request {
    let mut req = Request::default();
    let body = obj.get("body").and_then(Json::as_str).unwrap_or("");
    let base64 = obj
        .get("isBase64Encoded")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    req.body = if base64 {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| body.to_string())
    } else {
        body.to_string()
    };
    let single_or_multi = |single: &str, multi: &str| -> IndexMap<String, Vec<String>> {
        if let Some(Json::Object(m)) = obj.get(multi) {
            return m
                .iter()
                .map(|(k, v)| {
                    let vals = match v {
                        Json::Array(a) => a.iter().map(scalar_text).collect(),
                        other => vec![scalar_text(other)],
                    };
                    (k.clone(), vals)
                })
                .collect();
        }
        match obj.get(single) {
            Some(Json::Object(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), vec![scalar_text(v)]))
                .collect(),
            _ => IndexMap::new(),
        }
    };
    req.params.header = single_or_multi("headers", "multiValueHeaders");
    req.params.querystring =
        single_or_multi("queryStringParameters", "multiValueQueryStringParameters");
    req.params.path = single_or_multi("pathParameters", "pathParameters");
    if let Some(Json::Object(sv)) = obj.get("stageVariables") {
        req.stage_variables = sv
            .iter()
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect();
    }
    if let Some(Json::Object(rc)) = obj.get("requestContext") {
        let mut ctx = rc.clone();
        // The proxy event's `path` is the resource path with values; `$context.path` has the stage.
        if let (Some(Json::String(path)), Some(Json::String(stage))) =
            (obj.get("path"), rc.get("stage"))
        {
            ctx.entry("path")
                .or_insert_with(|| Json::String(format!("/{stage}{path}")));
        }
        for k in ["httpMethod", "resourcePath"] {
            if let Some(v) = obj.get(k).filter(|_| !ctx.contains_key(k)) {
                ctx.insert(k.to_string(), v.clone());
            }
        }
        req.context = ctx;
    }
    req.content_type = req.header("content-type").map(str::to_string);
    req
}

fn from_test_invoke(obj: &Map<String, Json>) -> Request {
    let mut req = Request {
        body: obj
            .get("body")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string(),
        ..Request::default()
    };
    let pwq = obj
        .get("pathWithQueryString")
        .and_then(Json::as_str)
        .unwrap_or("");
    let (path, query) = pwq.split_once('?').unwrap_or((pwq, ""));
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        req.params
            .querystring
            .entry(form_decode(k))
            .or_default()
            .push(form_decode(v));
    }
    if let Some(Json::Object(h)) = obj.get("multiValueHeaders").or_else(|| obj.get("headers")) {
        for (k, v) in h {
            let vals = match v {
                Json::Array(a) => a.iter().map(scalar_text).collect(),
                other => vec![scalar_text(other)],
            };
            req.params.header.insert(k.clone(), vals);
        }
    }
    if let Some(Json::Object(sv)) = obj.get("stageVariables") {
        req.stage_variables = sv
            .iter()
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect();
    }
    req.context
        .insert("resourcePath".into(), Json::String(path.to_string()));
    req.content_type = req.header("content-type").map(str::to_string);
    req
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space); malformed escapes stay.
fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_file_shape() {
        let r = Request::from_json_str(
            r#"{"body": "{\"a\":1}", "params": {"path": {"id": "7"}, "querystring": {"q": ["a", "b"]}, "header": {"Content-Type": "application/json"}}, "stageVariables": {"env": "prod"}, "context": {"stage": "prod"}}"#,
        )
        .unwrap();
        assert_eq!(r.body, "{\"a\":1}");
        assert_eq!(r.param("id"), Some("7"));
        assert_eq!(r.param("q"), Some("b"));
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        assert_eq!(
            r.stage_variables.get("env").map(String::as_str),
            Some("prod")
        );
        assert_eq!(r.context.get("stage"), Some(&Json::String("prod".into())));
    }

    #[test]
    fn unknown_keys_are_reported() {
        let e = Request::from_json_str(r#"{"bdy": "x"}"#).unwrap_err();
        assert!(e.message().contains("unknown key 'bdy'"), "{e}");
        let e = Request::from_json_str("{").unwrap_err();
        assert!(e.message().contains("line 1"), "{e}");
    }

    #[test]
    fn lambda_proxy_event() {
        let r = Request::from_json_str(
            r#"{"resource": "/pets/{id}", "path": "/pets/7", "httpMethod": "POST", "headers": {"h": "1"}, "multiValueHeaders": {"h": ["0", "1"]}, "queryStringParameters": {"q": "x"}, "pathParameters": {"id": "7"}, "stageVariables": null, "requestContext": {"stage": "dev", "requestId": "r-1"}, "body": "eyJhIjoxfQ==", "isBase64Encoded": true}"#,
        )
        .unwrap();
        assert_eq!(r.body, "{\"a\":1}");
        assert_eq!(r.param("h"), Some("1"));
        assert_eq!(r.params.header["h"], vec!["0", "1"]);
        assert_eq!(r.param("id"), Some("7"));
        assert_eq!(
            r.context.get("path"),
            Some(&Json::String("/dev/pets/7".into()))
        );
    }

    #[test]
    fn test_invoke_request() {
        let r = Request::from_json_str(
            r#"{"pathWithQueryString": "/pets?type=dog%20x&x=1", "body": "b", "headers": {"A": "1"}}"#,
        )
        .unwrap();
        assert_eq!(r.param("type"), Some("dog x"));
        assert_eq!(r.param("A"), Some("1"));
        assert_eq!(r.body, "b");
    }

    /// `to_json` then `from_json` gives the same request, and `to_json` is stable.
    fn assert_round_trips(r: &Request) -> Json {
        let out = r.to_json();
        let again = Request::from_json(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(&again, r, "{out}");
        assert_eq!(again.to_json(), out);
        out
    }

    #[test]
    fn to_json_round_trips_a_request_file() {
        let r = Request::from_json_str(
            r#"{"body": {"a": [1, 2]}, "contentType": "text/plain", "params": {"path": {"id": 7}, "querystring": {"q": ["a", "b"], "none": [], "flag": true}, "header": {"Content-Type": "application/json"}}, "stageVariables": {"env": "prod", "n": 3}, "context": {"stage": "prod", "identity": {"sourceIp": "10.0.0.1"}}}"#,
        )
        .unwrap();
        let out = assert_round_trips(&r);
        assert_eq!(
            out,
            json!({
                "body": "{\"a\":[1,2]}",
                "contentType": "text/plain",
                "params": {
                    "path": {"id": "7"},
                    "querystring": {"q": ["a", "b"], "none": [], "flag": "true"},
                    "header": {"Content-Type": "application/json"},
                },
                "stageVariables": {"env": "prod", "n": "3"},
                "context": {"stage": "prod", "identity": {"sourceIp": "10.0.0.1"}},
            })
        );
    }

    #[test]
    fn to_json_of_an_empty_request_has_every_key() {
        let out = assert_round_trips(&Request::default());
        assert_eq!(
            out,
            json!({
                "body": "",
                "contentType": null,
                "params": {"path": {}, "querystring": {}, "header": {}},
                "stageVariables": {},
                "context": {},
            })
        );
    }

    #[test]
    fn to_json_normalises_a_lambda_proxy_event() {
        let r = Request::from_json_str(
            r#"{"resource": "/pets/{id}", "path": "/pets/7", "httpMethod": "POST", "multiValueHeaders": {"Content-Type": ["application/json"], "h": ["0", "1"]}, "queryStringParameters": {"q": "x"}, "pathParameters": {"id": "7"}, "stageVariables": {"env": "dev"}, "requestContext": {"stage": "dev"}, "body": "eyJhIjoxfQ==", "isBase64Encoded": true}"#,
        )
        .unwrap();
        let out = assert_round_trips(&r);
        assert_eq!(
            out,
            json!({
                "body": "{\"a\":1}",
                "contentType": "application/json",
                "params": {
                    "path": {"id": "7"},
                    "querystring": {"q": "x"},
                    "header": {"Content-Type": "application/json", "h": ["0", "1"]},
                },
                "stageVariables": {"env": "dev"},
                "context": {"stage": "dev", "path": "/dev/pets/7", "httpMethod": "POST"},
            })
        );
    }

    #[test]
    fn to_json_normalises_a_test_invoke_request() {
        let r = Request::from_json_str(
            r#"{"pathWithQueryString": "/pets?type=dog%20x&type=cat&x=1", "body": "b", "multiValueHeaders": {"A": ["1", "2"]}, "stageVariables": {"env": "test"}}"#,
        )
        .unwrap();
        let out = assert_round_trips(&r);
        assert_eq!(
            out,
            json!({
                "body": "b",
                "contentType": null,
                "params": {
                    "path": {},
                    "querystring": {"type": ["dog x", "cat"], "x": "1"},
                    "header": {"A": ["1", "2"]},
                },
                "stageVariables": {"env": "test"},
                "context": {"resourcePath": "/pets"},
            })
        );
    }
}
