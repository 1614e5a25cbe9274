//! The messages that flow through a method: the client's [`MethodRequest`], the
//! [`EndpointRequest`] sent to the backend, the backend's [`EndpointResponse`] and the
//! [`MethodResponse`] the client gets. Plain owned data: bodies are bytes, headers are lists
//! that keep repeated names and their case.

use serde_json::{Map, Value as Json};

use crate::model::IntegrationType;

/// A header or parameter list: `(name, value)` pairs in order, repeated names kept.
pub type Pairs = Vec<(String, String)>;

/// The last value of `name` in `pairs`, ignoring ASCII case.
pub fn last_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Replaces every `name` (ignoring case) in `pairs` with one `name: value`.
pub(crate) fn set_value(pairs: &mut Pairs, name: &str, value: String) {
    pairs.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    pairs.push((name.to_string(), value));
}

/// A request as the client sent it.
///
/// ```
/// use vtl_gateway::MethodRequest;
///
/// let r = MethodRequest::new("GET", "/pets/1?limit=2&tag=a%20b")
///     .with_header("Accept", "application/json")
///     .with_body("{}");
/// assert_eq!(r.path, "/pets/1");
/// assert_eq!(r.query, vec![("limit".into(), "2".into()), ("tag".into(), "a b".into())]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodRequest {
    /// `GET`, `POST`, …
    pub http_method: String,
    /// The path without the query string (`/pets/1`), URL-encoded as sent.
    pub path: String,
    /// Query-string parameters, decoded, in order.
    pub query: Pairs,
    /// Headers in order, names as sent.
    pub headers: Pairs,
    /// The body.
    pub body: Vec<u8>,
    /// Stage variables (added to, and winning over, [`crate::Options::stage_variables`]).
    pub stage_variables: Pairs,
    /// Values deep-merged over the default `$context` (e.g. an authorizer's `{"authorizer": …}`).
    pub context: Map<String, Json>,
}

impl MethodRequest {
    /// A request for `path_with_query` (`/pets?limit=2`: the query string is decoded into
    /// [`MethodRequest::query`]).
    pub fn new(http_method: &str, path_with_query: &str) -> MethodRequest {
        let (path, query) = path_with_query
            .split_once('?')
            .unwrap_or((path_with_query, ""));
        MethodRequest {
            http_method: http_method.to_ascii_uppercase(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
            query: parse_query(query),
            ..MethodRequest::default()
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> MethodRequest {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a query-string parameter.
    pub fn with_query(mut self, name: &str, value: &str) -> MethodRequest {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> MethodRequest {
        self.body = body.into();
        self
    }

    /// Adds a stage variable.
    pub fn with_stage_variable(mut self, name: &str, value: &str) -> MethodRequest {
        self.stage_variables
            .push((name.to_string(), value.to_string()));
        self
    }

    /// A header's last value, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        last_value(&self.headers, name)
    }

    /// A request from the engine's request shape (a request file, a TestInvokeMethod request
    /// or a Lambda-proxy event: its headers, query string, body, stage variables and context).
    /// Path parameters come from routing `path_with_query`, not from the file.
    pub fn from_request(
        http_method: &str,
        path_with_query: &str,
        request: &vtl::Request,
    ) -> MethodRequest {
        let mut r = MethodRequest::new(http_method, path_with_query);
        for (k, vs) in &request.params.querystring {
            for v in vs {
                r.query.push((k.clone(), v.clone()));
            }
        }
        for (k, vs) in &request.params.header {
            for v in vs {
                r.headers.push((k.clone(), v.clone()));
            }
        }
        if let Some(ct) = &request.content_type {
            if r.header("Content-Type").is_none() {
                r.headers.push(("Content-Type".into(), ct.clone()));
            }
        }
        r.body = request.body.clone().into_bytes();
        r.stage_variables = request
            .stage_variables
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        r.context = request.context.clone();
        r
    }
}

/// Parses `a=1&b=x%20y` (`+` is a space; malformed escapes stay as written).
pub fn parse_query(query: &str) -> Pairs {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set) into UTF-8 text (lossy).
pub fn percent_decode(s: &str, plus: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
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

/// What the integration sends to the backend.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointRequest {
    /// The integration type.
    pub integration_type: IntegrationType,
    /// The integration's HTTP method (`POST` for Lambda).
    pub http_method: String,
    /// The integration URI with its placeholders filled (for Lambda, the Invoke API URL).
    pub uri: String,
    /// Headers: the mapped ones plus API Gateway's defaults.
    pub headers: Pairs,
    /// The body after transformations.
    pub body: Vec<u8>,
    pub(crate) carry: Carry,
}

/// What the request stage hands to the response stage.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Carry {
    pub resource: usize,
    pub method: usize,
    pub path_params: Pairs,
    /// The status a MOCK request template chose (None: no template).
    pub mock_status: Option<u16>,
    /// `$context.requestOverride` after the request template.
    pub request_override: Json,
    /// `$context.responseOverride` after the request template.
    pub response_override: Json,
    /// What the front door put in `$context` (`authorizer`, `identity`), for the response
    /// stage.
    pub front_context: serde_json::Map<String, Json>,
}

impl EndpointRequest {
    /// A copy without the body (for a request whose body travels elsewhere).
    pub fn without_body(&self) -> EndpointRequest {
        EndpointRequest {
            integration_type: self.integration_type,
            http_method: self.http_method.clone(),
            uri: self.uri.clone(),
            headers: self.headers.clone(),
            body: Vec::new(),
            carry: self.carry.clone(),
        }
    }

    /// The body as text (lossy for binary bodies).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's last value, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        last_value(&self.headers, name)
    }

    /// True when the backend is a Lambda function's Invoke API (non-proxy or proxy).
    pub fn is_lambda(&self) -> bool {
        matches!(
            self.integration_type,
            IntegrationType::Aws | IntegrationType::AwsProxy
        ) && self.uri.starts_with("https://lambda.")
    }
}

/// What the backend answered. For a Lambda function (non-proxy) the status is that of the
/// Invoke API (200, also for a function error) and the body the function's result or error
/// payload (`{"errorMessage": …, "errorType": …}`).
///
/// ```
/// use vtl_gateway::EndpointResponse;
///
/// let r = EndpointResponse::new(404).with_header("Content-Type", "text/plain").with_body("no");
/// assert_eq!((r.status, r.body.as_slice()), (404, &b"no"[..]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers in order.
    pub headers: Pairs,
    /// The body.
    pub body: Vec<u8>,
}

impl Default for EndpointResponse {
    fn default() -> Self {
        EndpointResponse::new(200)
    }
}

impl EndpointResponse {
    /// An empty response with `status`.
    pub fn new(status: u16) -> EndpointResponse {
        EndpointResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A Lambda function's result or error payload (Invoke API status 200).
    pub fn lambda(payload: impl Into<Vec<u8>>) -> EndpointResponse {
        EndpointResponse::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(payload)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> EndpointResponse {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> EndpointResponse {
        self.body = body.into();
        self
    }

    /// A header's last value, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        last_value(&self.headers, name)
    }

    /// A recorded answer as a Lambda function's payload: Lambda's Invoke API always answers
    /// JSON, so a body that is not JSON is taken as the function's string result and sent as a
    /// JSON string (`Pass` → `"Pass"`).
    pub fn as_lambda_payload(mut self) -> EndpointResponse {
        if !self.body.is_empty() && serde_json::from_slice::<Json>(&self.body).is_err() {
            let text = String::from_utf8_lossy(&self.body).into_owned();
            self.body = Json::String(text).to_string().into_bytes();
        }
        self
    }

    /// Reads `{"status": 200, "headers": {"Name": "v" | ["v1", "v2"]}, "body": "text" | JSON}`
    /// (a JSON body is sent as its compact text; every key optional, status 200 by default).
    pub fn from_json(v: &Json) -> Result<EndpointResponse, String> {
        let Json::Object(obj) = v else {
            return Err("an endpoint response must be an object {status, headers, body}".into());
        };
        if let Some(k) = obj
            .keys()
            .find(|k| !["status", "statusCode", "headers", "body"].contains(&k.as_str()))
        {
            return Err(format!(
                "unknown key {k:?} in the endpoint response (expected status, headers, body)"
            ));
        }
        let status = match obj.get("status").or_else(|| obj.get("statusCode")) {
            None | Some(Json::Null) => 200,
            Some(s) => s
                .as_u64()
                .or_else(|| s.as_str().and_then(|t| t.parse().ok()))
                .filter(|n| (100..=599).contains(n))
                .ok_or_else(|| {
                    format!("the endpoint response status must be 100 to 599, not {s}")
                })? as u16,
        };
        let mut r = EndpointResponse::new(status);
        if let Some(h) = obj.get("headers") {
            r.headers = header_pairs(h).map_err(|m| format!("endpoint response headers: {m}"))?;
        }
        r.body = match obj.get("body") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::String(s)) => s.clone().into_bytes(),
            Some(other) => other.to_string().into_bytes(),
        };
        Ok(r)
    }
}

/// `{"Name": "v" | ["v1", "v2"] | 1}` as pairs.
pub fn header_pairs(v: &Json) -> Result<Pairs, String> {
    let Json::Object(m) = v else {
        return Err("expected an object of names to values".into());
    };
    let mut out = Vec::new();
    for (k, v) in m {
        match v {
            Json::Array(items) => {
                for item in items {
                    out.push((k.clone(), crate::spec::scalar_text(item)));
                }
            }
            other => out.push((k.clone(), crate::spec::scalar_text(other))),
        }
    }
    Ok(out)
}

/// What the client gets.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MethodResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers in order.
    pub headers: Pairs,
    /// The body.
    pub body: Vec<u8>,
}

impl MethodResponse {
    /// The body as text (lossy for binary bodies).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's last value, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        last_value(&self.headers, name)
    }
}

/// Replaces every `name` (exact case) in `pairs` with one `name: value`.
pub(crate) fn set_value_exact(pairs: &mut Pairs, name: &str, value: String) {
    pairs.retain(|(k, _)| k != name);
    pairs.push((name.to_string(), value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            parse_query("a=1&b=x+y&c=%41%zz&d"),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".into(), "x y".into()),
                ("c".into(), "A%zz".into()),
                ("d".into(), "".into())
            ]
        );
        assert_eq!(percent_decode("%", false), "%");
        assert_eq!(percent_decode("a%2", false), "a%2");
        assert_eq!(percent_decode("%e2%82%ac", false), "€");
    }

    #[test]
    fn endpoint_response_file_shape() {
        let r = EndpointResponse::from_json(&serde_json::json!({
            "status": 404, "headers": {"X": ["1", "2"]}, "body": {"a": 1}
        }))
        .unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.body, b"{\"a\":1}");
        assert!(EndpointResponse::from_json(&serde_json::json!({"stat": 1})).is_err());
        assert!(EndpointResponse::from_json(&serde_json::json!({"status": 1000})).is_err());
    }
}
