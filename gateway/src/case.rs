//! Method-level test cases: one request run through a whole method, with expectations on the
//! status, headers, body, what the backend received and the execution log. Shared by `vtl test`
//! and the conformance runner.
//!
//! A case (one entry of a `{"cases": [...]}` document, or a folder's `case.json`):
//!
//! ```text
//! {"name" (or "id"), "evidence"?, "source"?,
//!  "spec": "path/relative/to/the/case/file" | {inline spec},
//!  "stage"?, "method": "GET", "path": "/pets/1?limit=2",
//!  "headers"?: {"Name": "v" | ["v1", "v2"]}, "body"?: "text" | JSON value,
//!  "stageVariables"?, "context"?, "extensions"?: bool,
//!  "endpointResponse"?: {"status", "headers"?, "body"?},
//!  "expectedStatus"?, "expectedHeaders"? (subset, names ignore case),
//!  "expected"? | "expectedJson"? | "expectedXml"? (the body),
//!  "expectedEndpointRequest"?: null | {"httpMethod"?, "uri"?, "headers"?, "body"? | "bodyJson"?},
//!  "expectedLog"?: ["substring", ...] (in this order),
//!  "frontDoor"?: {"apiKeys"?: ["key", ...], "authorizers"?: {"NAME": result | "Unauthorized"},
//!                 "callerIdentity"?: {...}}}
//! ```
//!
//! A case with `frontDoor` runs the front door as a live call does (API keys checked,
//! authorizers answering with the given results; `TestInvokeMethod` skips both).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::compare::{self, Expected, Mismatch};
use crate::exchange::{header_pairs, EndpointResponse, MethodRequest};
use crate::{Api, Error, Invocation, Options};

/// Where a case's spec is.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecSource {
    /// A file (already resolved against the case file's folder).
    File(PathBuf),
    /// The spec itself, inline.
    Inline(Json),
}

/// Expectations on the endpoint request.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExpectedEndpoint {
    /// The integration's HTTP method.
    pub http_method: Option<String>,
    /// The full URI (with the query string).
    pub uri: Option<String>,
    /// A subset of the headers (a list is a multi-value header).
    pub headers: Vec<(String, Vec<String>)>,
    /// The body.
    pub body: Option<Expected>,
}

/// One method-level case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The name (`name` or `id`).
    pub name: String,
    /// The evidence level (`SNAP`, `DOC`, …), if given.
    pub evidence: Option<String>,
    /// Where the expectation comes from, if given.
    pub source: Option<String>,
    /// The spec.
    pub spec: SpecSource,
    /// The stage name.
    pub stage: Option<String>,
    /// Whether `$vtl` extensions are on.
    pub extensions: bool,
    /// The request.
    pub request: MethodRequest,
    /// The backend's answer (an empty 200 when absent).
    pub endpoint_response: Option<EndpointResponse>,
    /// `expectedStatus`.
    pub status: Option<u16>,
    /// `expectedHeaders` (a list is several values).
    pub headers: Vec<(String, Vec<String>)>,
    /// The body expectation.
    pub body: Option<Expected>,
    /// `expectedEndpointRequest`: `Some(None)` = the backend must not be called.
    pub endpoint_request: Option<Option<ExpectedEndpoint>>,
    /// `expectedLog`.
    pub log: Vec<String>,
    /// `frontDoor`: run API keys and authorizers, as a live call does.
    pub front: Option<FrontDoor>,
}

/// A case's `frontDoor`: the accepted API keys, each authorizer's answer, the `AWS_IAM` caller.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FrontDoor {
    /// `apiKeys`.
    pub api_keys: Vec<String>,
    /// `authorizers`: the result by authorizer name (`"Unauthorized"` is a refusal).
    pub authorizers: Map<String, Json>,
    /// `callerIdentity`.
    pub caller_identity: Map<String, Json>,
}

impl FrontDoor {
    fn from_json(v: &Json) -> Result<FrontDoor, String> {
        let Json::Object(o) = v else {
            return Err("\"frontDoor\" must be an object".into());
        };
        if let Some(k) = o
            .keys()
            .find(|k| !["apiKeys", "authorizers", "callerIdentity"].contains(&k.as_str()))
        {
            return Err(format!("unknown key {k:?} in frontDoor"));
        }
        let api_keys = match o.get("apiKeys") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(a)) => a
                .iter()
                .map(|k| k.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or("\"frontDoor.apiKeys\" must be a list of strings")?,
            Some(_) => return Err("\"frontDoor.apiKeys\" must be a list of strings".into()),
        };
        let object = |key: &str| match o.get(key) {
            None | Some(Json::Null) => Ok(Map::new()),
            Some(Json::Object(m)) => Ok(m.clone()),
            Some(_) => Err(format!("\"frontDoor.{key}\" must be an object")),
        };
        Ok(FrontDoor {
            api_keys,
            authorizers: object("authorizers")?,
            caller_identity: object("callerIdentity")?,
        })
    }

    /// The gateway's options for it.
    pub fn options(&self) -> crate::FrontOptions {
        let results = std::sync::Arc::new(self.authorizers.clone());
        crate::FrontOptions {
            enforce: true,
            api_keys: self.api_keys.clone(),
            authorizer: Some(std::sync::Arc::new(
                move |name: &str, _event: &Json| match results.get(name) {
                    Some(Json::String(s)) if s == "Unauthorized" => Err(s.clone()),
                    Some(r) => Ok(r.clone()),
                    None => Err(format!(
                        "the case gives no result for the authorizer {name}"
                    )),
                },
            )),
            iam_identity: self.caller_identity.clone(),
            ..crate::FrontOptions::default()
        }
    }
}

/// Whether a JSON entry is a method-level case (it names a `spec` and a `method`).
pub fn is_method_case(entry: &Json) -> bool {
    entry.get("spec").is_some() && entry.get("method").is_some()
}

const KNOWN: &[&str] = &[
    "name",
    "id",
    "evidence",
    "source",
    "spec",
    "stage",
    "method",
    "path",
    "headers",
    "body",
    "stageVariables",
    "context",
    "extensions",
    "endpointResponse",
    "expectedStatus",
    "expectedHeaders",
    "expected",
    "expectedJson",
    "expectedXml",
    "expectedEndpointRequest",
    "expectedLog",
    "frontDoor",
    "description",
    "comment",
];

fn text_field(obj: &Map<String, Json>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

fn body_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

fn multi_headers(v: &Json, what: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let Json::Object(m) = v else {
        return Err(format!("\"{what}\" must be an object of names to values"));
    };
    Ok(m.iter()
        .map(|(k, v)| {
            let values = match v {
                Json::Array(items) => items.iter().map(body_text).collect(),
                other => vec![body_text(other)],
            };
            (k.clone(), values)
        })
        .collect())
}

fn body_expectation(
    obj: &Map<String, Json>,
    text: &str,
    json: &str,
    xml: Option<&str>,
) -> Result<Option<Expected>, String> {
    if let Some(s) = text_field(obj, text)? {
        return Ok(Some(Expected::Text(s)));
    }
    if let Some(v) = obj.get(json) {
        return Ok(Some(Expected::Json(v.to_string())));
    }
    if let Some(xml) = xml {
        if let Some(s) = text_field(obj, xml)? {
            return Ok(Some(Expected::Xml(s)));
        }
    }
    Ok(None)
}

impl Case {
    /// Reads a case; `base` is the folder its relative `spec` path is resolved against.
    pub fn from_json(entry: &Json, base: &Path) -> Result<Case, String> {
        let Json::Object(obj) = entry else {
            return Err("a case must be an object".into());
        };
        if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(format!("unknown key {k:?} in the case"));
        }
        let name = text_field(obj, "name")?
            .or(text_field(obj, "id")?)
            .unwrap_or_default();
        let spec = match obj.get("spec") {
            Some(Json::String(p)) => SpecSource::File(base.join(p)),
            Some(v @ Json::Object(_)) => SpecSource::Inline(v.clone()),
            _ => return Err("\"spec\" must be a file path or an inline spec object".into()),
        };
        let method = text_field(obj, "method")?.ok_or("the case has no \"method\"")?;
        let path = text_field(obj, "path")?.unwrap_or_else(|| "/".into());
        let mut request = MethodRequest::new(&method, &path);
        if let Some(h) = obj.get("headers") {
            request.headers = header_pairs(h).map_err(|m| format!("\"headers\": {m}"))?;
        }
        if let Some(b) = obj.get("body") {
            request.body = body_text(b).into_bytes();
        }
        if let Some(sv) = obj.get("stageVariables") {
            request.stage_variables =
                header_pairs(sv).map_err(|m| format!("\"stageVariables\": {m}"))?;
        }
        match obj.get("context") {
            None | Some(Json::Null) => {}
            Some(Json::Object(c)) => request.context = c.clone(),
            Some(_) => return Err("\"context\" must be an object".into()),
        }
        let extensions = match obj.get("extensions") {
            None | Some(Json::Null) => false,
            Some(Json::Bool(b)) => *b,
            Some(_) => return Err("\"extensions\" must be true or false".into()),
        };
        let endpoint_response = match obj.get("endpointResponse") {
            None | Some(Json::Null) => None,
            Some(v) => Some(EndpointResponse::from_json(v)?),
        };
        let status = match obj.get("expectedStatus") {
            None | Some(Json::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or("\"expectedStatus\" must be a status code")?,
            ),
        };
        let headers = match obj.get("expectedHeaders") {
            None | Some(Json::Null) => Vec::new(),
            Some(v) => multi_headers(v, "expectedHeaders")?,
        };
        let body = body_expectation(obj, "expected", "expectedJson", Some("expectedXml"))?;
        let endpoint_request = match obj.get("expectedEndpointRequest") {
            None => None,
            Some(Json::Null) => Some(None),
            Some(Json::Object(e)) => {
                if let Some(k) = e.keys().find(|k| {
                    !["httpMethod", "uri", "headers", "body", "bodyJson"].contains(&k.as_str())
                }) {
                    return Err(format!("unknown key {k:?} in expectedEndpointRequest"));
                }
                Some(Some(ExpectedEndpoint {
                    http_method: text_field(e, "httpMethod")?,
                    uri: text_field(e, "uri")?,
                    headers: match e.get("headers") {
                        None | Some(Json::Null) => Vec::new(),
                        Some(h) => multi_headers(h, "expectedEndpointRequest.headers")?,
                    },
                    body: body_expectation(e, "body", "bodyJson", None)?,
                }))
            }
            Some(_) => return Err("\"expectedEndpointRequest\" must be null or an object".into()),
        };
        let log = match obj.get("expectedLog") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .ok_or("\"expectedLog\" must be a list of strings")
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("\"expectedLog\" must be a list of strings".into()),
        };
        Ok(Case {
            name,
            evidence: text_field(obj, "evidence")?,
            source: text_field(obj, "source")?,
            spec,
            stage: text_field(obj, "stage")?,
            extensions,
            request,
            endpoint_response,
            status,
            headers,
            body,
            endpoint_request,
            log,
            front: match obj.get("frontDoor") {
                None | Some(Json::Null) => None,
                Some(v) => Some(FrontDoor::from_json(v)?),
            },
        })
    }

    /// Whether the case expects anything at all.
    pub fn has_expectations(&self) -> bool {
        self.status.is_some()
            || !self.headers.is_empty()
            || self.body.is_some()
            || self.endpoint_request.is_some()
            || !self.log.is_empty()
    }

    /// The options the case runs with.
    pub fn options(&self) -> Options {
        Options {
            stage: self.stage.clone().unwrap_or_default(),
            extensions: self.extensions,
            front: self
                .front
                .as_ref()
                .map(FrontDoor::options)
                .unwrap_or_default(),
            ..Options::default()
        }
    }

    /// Runs the case on `api`; also tells whether the backend was called.
    pub fn run(&self, api: &Api) -> Run {
        let mut called = false;
        let answer = self.endpoint_response.clone().unwrap_or_default();
        let invocation = api.invoke(&self.request, |e| {
            called = true;
            if e.is_lambda() {
                answer.as_lambda_payload()
            } else {
                answer
            }
        });
        Run {
            invocation,
            backend_called: called,
        }
    }

    /// Checks a run against the expectations: every mismatch (none = the case passes).
    /// `exact` compares JSON and XML bodies byte for byte.
    pub fn check(&self, run: &Run, exact: bool) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let r = &run.invocation.response;
        let fail = |message: String| Mismatch {
            message,
            diff: None,
        };
        if let Some(e) = &run.invocation.template_error {
            out.push(fail(format!("a template failed: {e:#}")));
        }
        if let Some(want) = self.status {
            if want != r.status {
                out.push(fail(format!("status: expected {want}, got {}", r.status)));
            }
        }
        for (name, want) in &self.headers {
            let got: Vec<&str> = r
                .headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect();
            if !header_matches(want, &got) {
                out.push(fail(format!(
                    "header {name}: expected {}, got {}",
                    show_values(want),
                    if got.is_empty() {
                        "none".to_string()
                    } else {
                        show_values(&got)
                    }
                )));
            }
        }
        if let Some(want) = &self.body {
            if let Err(m) = compare::compare(want, &r.body_text(), exact, "body") {
                out.push(m);
            }
        }
        match (&self.endpoint_request, &run.invocation.endpoint_request) {
            (None, _) => {}
            (Some(None), None) => {}
            (Some(None), Some(e)) => out.push(fail(format!(
                "the backend must not be called, but got {} {}",
                e.http_method, e.uri
            ))),
            (Some(Some(_)), None) => out.push(fail(
                "expected an endpoint request, but the backend was not called".into(),
            )),
            (Some(Some(want)), Some(got)) => {
                if let Some(m) = &want.http_method {
                    if !m.eq_ignore_ascii_case(&got.http_method) {
                        out.push(fail(format!(
                            "endpoint request method: expected {m}, got {}",
                            got.http_method
                        )));
                    }
                }
                if let Some(u) = &want.uri {
                    if *u != got.uri {
                        out.push(fail(format!(
                            "endpoint request URI: expected {u}, got {}",
                            got.uri
                        )));
                    }
                }
                for (name, values) in &want.headers {
                    let actual: Vec<&str> = got
                        .headers
                        .iter()
                        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                        .collect();
                    if !header_matches(values, &actual) {
                        out.push(fail(format!(
                            "endpoint request header {name}: expected {}, got {}",
                            show_values(values),
                            if actual.is_empty() {
                                "none".to_string()
                            } else {
                                show_values(&actual)
                            }
                        )));
                    }
                }
                if let Some(b) = &want.body {
                    if let Err(mut m) =
                        compare::compare(b, &got.body_text(), exact, "endpoint request body")
                    {
                        m.message = m
                            .message
                            .replace("JSON endpoint request body", "endpoint request body (JSON)");
                        out.push(m);
                    }
                }
            }
        }
        let log = &run.invocation.log;
        let mut at = 0;
        for want in &self.log {
            match log[at..].find(want.as_str()) {
                Some(i) => at += i + want.len(),
                None => {
                    let anywhere = log.contains(want.as_str());
                    out.push(Mismatch {
                        message: if anywhere {
                            format!("log line {want:?} is out of order")
                        } else {
                            format!("the log lacks {want:?}")
                        },
                        diff: Some(log.clone()),
                    });
                    break;
                }
            }
        }
        out
    }

    /// Rewrites the expectations of a case entry to what `run` produced: the status, the body
    /// (keeping its kind, else guessing JSON/XML/text), the values of the headers it already
    /// names, and the endpoint request (null when the backend was not called). The log
    /// expectation is left as it is.
    pub fn update(&self, entry: &mut Map<String, Json>, run: &Run) {
        let r = &run.invocation.response;
        entry.insert("expectedStatus".into(), Json::from(r.status));
        if !self.headers.is_empty() {
            let mut m = Map::new();
            for (name, _) in &self.headers {
                let got: Vec<Json> = r
                    .headers
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| Json::from(v.clone()))
                    .collect();
                let v = match got.len() {
                    0 => Json::Null,
                    1 => got[0].clone(),
                    _ => Json::Array(got),
                };
                m.insert(name.clone(), v);
            }
            entry.insert("expectedHeaders".into(), Json::Object(m));
        }
        for k in ["expected", "expectedJson", "expectedXml"] {
            entry.remove(k);
        }
        let body = r.body_text();
        let kind = match &self.body {
            Some(Expected::Json(_)) if serde_json::from_str::<Json>(&body).is_ok() => {
                Expected::Json(body.clone())
            }
            Some(Expected::Xml(_)) => Expected::Xml(body.clone()),
            Some(Expected::Text(_)) => Expected::Text(body.clone()),
            _ => compare::guess(&body),
        };
        match kind {
            Expected::Json(t) => {
                entry.insert(
                    "expectedJson".into(),
                    serde_json::from_str(&t).unwrap_or(Json::Null),
                );
            }
            Expected::Xml(t) => {
                entry.insert("expectedXml".into(), Json::from(t));
            }
            Expected::Text(t) => {
                entry.insert("expected".into(), Json::from(t));
            }
        }
        let endpoint = match &run.invocation.endpoint_request {
            None => Json::Null,
            Some(e) => {
                let mut m = Map::new();
                m.insert("httpMethod".into(), Json::from(e.http_method.clone()));
                m.insert("uri".into(), Json::from(e.uri.clone()));
                let wanted: Vec<String> = match &self.endpoint_request {
                    Some(Some(w)) => w.headers.iter().map(|(k, _)| k.clone()).collect(),
                    _ => Vec::new(),
                };
                if !wanted.is_empty() {
                    let mut h = Map::new();
                    for name in wanted {
                        let got: Vec<Json> = e
                            .headers
                            .iter()
                            .filter(|(k, _)| k.eq_ignore_ascii_case(&name))
                            .map(|(_, v)| Json::from(v.clone()))
                            .collect();
                        h.insert(
                            name,
                            match got.len() {
                                0 => Json::Null,
                                1 => got[0].clone(),
                                _ => Json::Array(got),
                            },
                        );
                    }
                    m.insert("headers".into(), Json::Object(h));
                }
                let body = e.body_text();
                match serde_json::from_str::<Json>(&body) {
                    Ok(v) if body.trim_start().starts_with(['{', '[']) => {
                        m.insert("bodyJson".into(), v);
                    }
                    _ => {
                        m.insert("body".into(), Json::from(body));
                    }
                }
                Json::Object(m)
            }
        };
        entry.insert("expectedEndpointRequest".into(), endpoint);
    }
}

fn header_matches(want: &[String], got: &[&str]) -> bool {
    match want {
        [one] => got.last().is_some_and(|g| g == one) || (got.len() > 1 && got.join(",") == *one),
        many => many.len() == got.len() && many.iter().zip(got).all(|(a, b)| a == b),
    }
}

fn show_values<S: AsRef<str>>(v: &[S]) -> String {
    let parts: Vec<String> = v.iter().map(|s| format!("{:?}", s.as_ref())).collect();
    parts.join(", ")
}

/// A case's result.
#[derive(Clone, Debug)]
pub struct Run {
    /// What the pipeline did.
    pub invocation: Invocation,
    /// Whether the backend closure was called.
    pub backend_called: bool,
}

/// Loaded specs by file, so cases that share one load it once.
#[derive(Default)]
pub struct SpecCache {
    files: HashMap<(PathBuf, bool), Result<Api, String>>,
}

impl SpecCache {
    /// An empty cache.
    pub fn new() -> SpecCache {
        SpecCache::default()
    }

    /// The API of a case (loaded, or from the cache), with the case's options. The error is a
    /// message naming the spec file (and, for a template, the rustc-style snippet).
    pub fn api(&mut self, case: &Case) -> Result<Api, String> {
        let api = match &case.spec {
            SpecSource::Inline(doc) => load_json(doc, case.extensions)
                .map_err(|e| format!("the inline spec: {}", describe(&e)))?,
            SpecSource::File(path) => {
                let key = (path.clone(), case.extensions);
                self.files
                    .entry(key)
                    .or_insert_with(|| {
                        let text = std::fs::read_to_string(path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        let doc = crate::spec::parse_document(&text)
                            .map_err(|e| format!("{}: {}", path.display(), describe(&e)))?;
                        load_json(&doc, case.extensions)
                            .map_err(|e| format!("{}: {}", path.display(), describe(&e)))
                    })
                    .clone()?
            }
        };
        let mut options = case.options();
        options.extensions = case.extensions;
        api.with_options(options).map_err(|e| describe(&e))
    }
}

fn load_json(doc: &Json, extensions: bool) -> Result<Api, Error> {
    let spec = crate::spec::read(doc)?;
    Api::with(
        spec,
        Options {
            extensions,
            ..Options::default()
        },
    )
}

fn describe(e: &Error) -> String {
    if e.template_error().is_some() {
        format!("{e:#}")
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(v: Json) -> Case {
        Case::from_json(&v, Path::new(".")).unwrap()
    }

    const SPEC: &str = r#"{"paths": {"/m": {"get": {"x-amazon-apigateway-integration": {"type": "mock",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "responses": {"default": {"statusCode": "200", "responseParameters": {"method.response.header.X-A": "'1'"},
          "responseTemplates": {"application/json": "{\"ok\": true}"}}}}}}}}"#;

    fn spec() -> Json {
        serde_json::from_str(SPEC).unwrap()
    }

    #[test]
    fn a_passing_case() {
        let c = case(serde_json::json!({
            "name": "m", "spec": spec(), "method": "GET", "path": "/m",
            "expectedStatus": 200, "expectedHeaders": {"x-a": "1"},
            "expectedJson": {"ok": true}, "expectedEndpointRequest": null,
            "expectedLog": ["Starting execution", "Method completed with status: 200"]
        }));
        let api = SpecCache::new().api(&c).unwrap();
        let run = c.run(&api);
        assert!(!run.backend_called);
        assert_eq!(c.check(&run, false), vec![]);
    }

    #[test]
    fn failures_are_reported() {
        let c = case(serde_json::json!({
            "name": "m", "spec": spec(), "method": "GET", "path": "/m",
            "expectedStatus": 201, "expectedHeaders": {"X-B": "2"},
            "expected": "nope", "expectedEndpointRequest": {"uri": "x"},
            "expectedLog": ["Method completed", "Starting execution"]
        }));
        let api = SpecCache::new().api(&c).unwrap();
        let m = c.check(&c.run(&api), false);
        let messages: Vec<&str> = m.iter().map(|m| m.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "status: expected 201, got 200",
                "header X-B: expected \"2\", got none",
                "body differs",
                "expected an endpoint request, but the backend was not called",
                "log line \"Starting execution\" is out of order"
            ]
        );
    }

    #[test]
    fn update_fills_expectations() {
        let entry = serde_json::json!({"name": "m", "spec": spec(), "method": "GET", "path": "/m", "expectedHeaders": {"X-A": "0"}});
        let c = case(entry.clone());
        let api = SpecCache::new().api(&c).unwrap();
        let run = c.run(&api);
        let mut m = entry.as_object().unwrap().clone();
        c.update(&mut m, &run);
        let updated = case(Json::Object(m.clone()));
        assert_eq!(updated.check(&updated.run(&api), false), vec![]);
        assert_eq!(m["expectedJson"], serde_json::json!({"ok": true}));
        assert_eq!(m["expectedEndpointRequest"], Json::Null);
    }

    #[test]
    fn malformed_cases_are_rejected() {
        for bad in [
            serde_json::json!({"spec": {}, "method": "GET", "typo": 1}),
            serde_json::json!({"spec": 1, "method": "GET"}),
            serde_json::json!({"spec": {}}),
            serde_json::json!({"spec": {}, "method": "GET", "expectedStatus": "x"}),
            serde_json::json!({"spec": {}, "method": "GET", "expectedLog": [1]}),
        ] {
            assert!(Case::from_json(&bad, Path::new(".")).is_err(), "{bad}");
        }
    }
}
