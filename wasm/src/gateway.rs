//! The whole method from JavaScript: an API loaded from an OpenAPI export or a
//! CloudFormation/SAM template (`vtl_gateway::Api`), requests run through it with the result
//! fields of `vtl invoke --format json`, and bodies compared as `vtl test` compares them.

use serde_json::{json, Value as Json};
use vtl_gateway::compare::{self, Expected};
use vtl_gateway::{
    header_maps, header_pairs, Api, EndpointRequest, EndpointResponse, Invocation, MethodRequest,
    Options,
};
use wasm_bindgen::prelude::*;

use crate::{from_js, to_js};

#[wasm_bindgen]
extern "C" {
    /// A JavaScript function called with one argument.
    pub type Backend;
    #[wasm_bindgen(method, catch, js_name = call)]
    fn call1(this: &Backend, this_arg: &JsValue, arg: &JsValue) -> Result<JsValue, JsValue>;
}

/// A loaded API. `new GatewayApi` never throws: a spec that cannot be loaded keeps its error
/// ([`GatewayApi::error`]).
#[wasm_bindgen]
pub struct GatewayApi {
    api: Result<Api, Json>,
}

#[wasm_bindgen]
impl GatewayApi {
    /// Loads `spec` (OpenAPI 2/3 or CloudFormation/SAM, JSON or YAML) with `options`:
    /// `{stage, stageVariables, region, requestId, extensions, forceJsonContentType}`, all
    /// optional.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &str, options: JsValue) -> GatewayApi {
        let api = match from_js(&options) {
            Ok(options) => load_json(spec, &options),
            Err(e) => Err(json!({"kind": "input", "message": e.message()})),
        };
        GatewayApi { api }
    }

    /// Why the spec could not be loaded (`{kind, message, pointer, template}`), or `null`.
    pub fn error(&self) -> JsValue {
        match &self.api {
            Ok(_) => JsValue::NULL,
            Err(e) => to_js(e),
        }
    }

    /// The methods: `[{httpMethod, path, integrationType, lambda, pointer, templates}]`, where
    /// `templates` are the method's mapping templates `[{kind: "request" | "response",
    /// contentType, status?, pattern?, pointer, source}]` (`pointer`: where each is in the
    /// spec document, see [`spec_document`]).
    pub fn methods(&self) -> JsValue {
        to_js(&match &self.api {
            Ok(api) => methods_json(api),
            Err(_) => json!([]),
        })
    }

    /// Runs `request` through its method. `endpoint` is the backend's answer
    /// (`{status, headers, body}`, or a function called with the endpoint request that returns
    /// one; `undefined`: 200 with an empty body). Returns `{ok: true, result}` with the fields
    /// of `vtl invoke --format json` plus `templateError`, or `{ok: false, error}` for a request
    /// or answer that cannot be read, or `{ok: false, thrown}` when the function threw.
    /// With `trace`, `result.trace` also tells why it ran as it did (the playground's stages:
    /// `{method, requestTemplate, integrationResponse}`, see `trace.rs`).
    pub fn invoke(&self, request: JsValue, endpoint: JsValue, trace: Option<bool>) -> JsValue {
        let api = match &self.api {
            Ok(api) => api,
            Err(e) => return to_js(&json!({"ok": false, "error": e})),
        };
        let request = match from_js(&request).map_err(|e| e.message().to_string()) {
            Ok(r) => method_request(&r),
            Err(m) => Err(m),
        };
        let request = match request {
            Ok(r) => r,
            Err(m) => return to_js(&input_failure(format!("request: {m}"))),
        };
        let backend = endpoint
            .is_function()
            .then(|| endpoint.unchecked_ref::<Backend>());
        let fixed = match backend {
            Some(_) => None,
            None => match from_js(&endpoint).map_err(|e| e.message().to_string()) {
                Ok(Json::Null) => None,
                Ok(v) => match EndpointResponse::from_json(&v) {
                    Ok(r) => Some(r),
                    Err(m) => return to_js(&input_failure(format!("endpoint response: {m}"))),
                },
                Err(m) => return to_js(&input_failure(format!("endpoint response: {m}"))),
            },
        };
        let mut problem: Option<Result<JsValue, String>> = None;
        let mut answered: Option<EndpointResponse> = None;
        let invocation = api.invoke(&request, |sent| {
            let answer = match backend {
                None => fixed,
                Some(f) => {
                    let arg = to_js(&endpoint_request_json(sent));
                    match f.call1(&JsValue::NULL, &arg) {
                        Err(thrown) => {
                            problem = Some(Ok(thrown));
                            None
                        }
                        Ok(v) => match from_js(&v)
                            .map_err(|e| e.message().to_string())
                            .and_then(|v| EndpointResponse::from_json(&v))
                        {
                            Ok(r) => Some(r),
                            Err(m) => {
                                problem = Some(Err(format!("the endpoint function's answer: {m}")));
                                None
                            }
                        },
                    }
                }
            };
            let answer = match answer {
                Some(a) if sent.is_lambda() => a.as_lambda_payload(),
                Some(a) => a,
                None => EndpointResponse::new(200),
            };
            answered = Some(answer.clone());
            answer
        });
        match problem {
            Some(Ok(thrown)) => {
                let out = to_js(&json!({"ok": false}));
                let _ = js_set(&out, "thrown", &thrown);
                out
            }
            Some(Err(m)) => to_js(&input_failure(m)),
            None => {
                let mut result = invocation_json(&invocation);
                if trace == Some(true) {
                    result["trace"] =
                        crate::trace::trace_json(api, &request, &invocation, answered.as_ref());
                }
                to_js(&json!({"ok": true, "result": result}))
            }
        }
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;
}

fn js_set(target: &JsValue, key: &str, value: &JsValue) -> Result<bool, JsValue> {
    reflect_set(target, &JsValue::from_str(key), value)
}

fn input_failure(message: String) -> Json {
    json!({"ok": false, "error": {"kind": "input", "message": message, "pointer": null, "template": null}})
}

/// The spec as the JSON document the gateway reads (YAML converted, CloudFormation tags in
/// their long form): `{ok: true, document}` or `{ok: false, error}`. Templates are edited at
/// their JSON pointers in it, and it is what an exported case holds inline.
#[wasm_bindgen(js_name = specDocument)]
pub fn spec_document(spec: &str) -> JsValue {
    to_js(&spec_document_json(spec))
}

/// [`spec_document`] on JSON values.
pub fn spec_document_json(spec: &str) -> Json {
    match vtl_gateway::spec::parse_document(spec) {
        Ok(document) => json!({"ok": true, "document": document}),
        Err(e) => json!({"ok": false, "error": gateway_error_json(&e)}),
    }
}

/// Loads a spec with options on JSON values; `Err` is the error as JSON.
pub fn load_json(spec: &str, options: &Json) -> Result<Api, Json> {
    let options = api_options(options).map_err(|m| {
        json!({"kind": "input", "message": format!("options: {m}"), "pointer": null, "template": null})
    })?;
    Api::load(spec)
        .and_then(|a| a.with_options(options))
        .map_err(|e| gateway_error_json(&e))
}

fn api_options(v: &Json) -> Result<Options, String> {
    let mut o = Options::default();
    let Json::Object(m) = v else {
        return match v {
            Json::Null => Ok(o),
            _ => Err("expected an object".into()),
        };
    };
    for (k, v) in m {
        match (k.as_str(), v) {
            (_, Json::Null) => {}
            ("stage", Json::String(s)) => o.stage = s.clone(),
            ("region", Json::String(s)) => o.region = s.clone(),
            ("requestId", Json::String(s)) => o.request_id = Some(s.clone()),
            ("extensions", Json::Bool(b)) => o.extensions = *b,
            ("forceJsonContentType", Json::Bool(b)) => o.force_json_content_type = *b,
            ("stageVariables", v @ Json::Object(_)) => o.stage_variables = header_pairs(v)?,
            ("stage" | "region" | "requestId", _) => return Err(format!("{k} must be a string")),
            ("extensions" | "forceJsonContentType", _) => {
                return Err(format!("{k} must be a boolean"))
            }
            ("stageVariables", _) => return Err("stageVariables must be an object".into()),
            _ => {
                return Err(format!(
                    "unknown option {k:?} (expected stage, stageVariables, region, requestId, extensions, forceJsonContentType)"
                ))
            }
        }
    }
    Ok(o)
}

/// A gateway error as `{kind, message, pointer, template}` (`template`: the engine's error in
/// [`crate::render`]'s shape, for a template at fault).
pub fn gateway_error_json(e: &vtl_gateway::Error) -> Json {
    let kind = match e.kind() {
        vtl_gateway::ErrorKind::Syntax => "syntax",
        vtl_gateway::ErrorKind::Spec => "spec",
        vtl_gateway::ErrorKind::TemplateCompile => "templateCompile",
        vtl_gateway::ErrorKind::TemplateRender => "templateRender",
        _ => "spec",
    };
    json!({
        "kind": kind,
        "message": e.to_string(),
        "pointer": e.pointer(),
        "template": e.template_error().map(|t| t.to_json()),
    })
}

/// Reads `{httpMethod, path, headers, query, body, stageVariables, context}`.
pub fn method_request(v: &Json) -> Result<MethodRequest, String> {
    let Json::Object(m) = v else {
        return Err(
            "expected an object {httpMethod, path, headers, query, body, stageVariables, context}"
                .into(),
        );
    };
    const KEYS: [&str; 8] = [
        "httpMethod",
        "method",
        "path",
        "headers",
        "query",
        "body",
        "stageVariables",
        "context",
    ];
    if let Some(k) = m.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key {k:?} (expected httpMethod, path, headers, query, body, stageVariables, context)"
        ));
    }
    let text = |key: &str| -> Result<Option<&str>, String> {
        match m.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("{key} must be a string")),
        }
    };
    let method = text("httpMethod")?
        .or(text("method")?)
        .ok_or("httpMethod is missing (GET, POST, ...)")?;
    let path = text("path")?.ok_or("path is missing (/pets/7?limit=2)")?;
    let mut r = MethodRequest::new(method, path);
    let pairs = |key: &str| -> Result<Vec<(String, String)>, String> {
        match m.get(key) {
            None | Some(Json::Null) => Ok(Vec::new()),
            Some(v) => header_pairs(v).map_err(|e| format!("{key}: {e}")),
        }
    };
    r.headers = pairs("headers")?;
    r.query.extend(pairs("query")?);
    r.stage_variables = pairs("stageVariables")?;
    r.body = match m.get("body") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::String(s)) => s.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
    };
    match m.get("context") {
        None | Some(Json::Null) => {}
        Some(Json::Object(c)) => r.context = c.clone(),
        Some(_) => return Err("context must be an object".into()),
    }
    Ok(r)
}

/// What the backend was sent: `{httpMethod, uri, headers, body}`, as `vtl invoke` prints it
/// (with `integrationType` and `multiValueHeaders` for an endpoint function).
pub fn endpoint_request_json(e: &EndpointRequest) -> Json {
    let (headers, multi) = header_maps(&e.headers);
    json!({
        "integrationType": e.integration_type.name(),
        "httpMethod": e.http_method,
        "uri": e.uri,
        "headers": headers,
        "multiValueHeaders": multi,
        "body": e.body_text(),
    })
}

/// The fields of `vtl invoke --format json`: `{status, body, headers, multiValueHeaders, log,
/// latency, endpointRequest}`, plus `templateError` (a template that failed while rendering;
/// the CLI's exit status 4).
pub fn invocation_json(inv: &Invocation) -> Json {
    let mut out = inv.to_json();
    out["templateError"] = inv
        .template_error
        .as_ref()
        .map_or(Json::Null, gateway_error_json);
    out
}

fn methods_json(api: &Api) -> Json {
    let mut out = Vec::new();
    for r in &api.spec().resources {
        for m in &r.methods {
            let mut templates = Vec::new();
            if let Some(i) = &m.integration {
                for t in &i.request_templates {
                    templates.push(json!({"kind": "request", "contentType": t.content_type,
                        "pointer": t.pointer, "source": t.source}));
                }
                for resp in &i.responses {
                    for t in &resp.response_templates {
                        templates.push(json!({"kind": "response", "contentType": t.content_type,
                            "status": resp.status,
                            "pattern": resp.selection_pattern.clone().filter(|p| !p.is_empty()),
                            "pointer": t.pointer, "source": t.source}));
                    }
                }
            }
            out.push(json!({
                "httpMethod": m.http_method,
                "path": r.path,
                "integrationType": m.integration.as_ref().map(|i| i.kind.name()),
                "lambda": m.integration.as_ref().is_some_and(|i| i.is_lambda()),
                "pointer": m.pointer,
                "templates": templates,
            }));
        }
    }
    Json::Array(out)
}

/// Compares `actual` with `expected` as `vtl test` does: `as` is `"json"` (by value, key order
/// ignored), `"xml"` (ignoring whitespace between tags), `"text"` (byte for byte) or `"auto"`
/// (by what `expected` looks like); `exact` compares JSON and XML byte for byte. Returns
/// `{ok, message?, diff?}`, the diff unified (expected → actual).
#[wasm_bindgen(js_name = compareBody)]
pub fn compare_body(expected: &str, actual: &str, kind: &str, exact: bool) -> JsValue {
    to_js(&compare_body_json(expected, actual, kind, exact))
}

/// `compare_body` on JSON values.
pub fn compare_body_json(expected: &str, actual: &str, kind: &str, exact: bool) -> Json {
    let expected = match kind {
        "json" => Expected::Json(expected.to_string()),
        "xml" => Expected::Xml(expected.to_string()),
        "text" => Expected::Text(expected.to_string()),
        _ => compare::guess(expected),
    };
    match compare::compare(&expected, actual, exact, "output") {
        Ok(()) => json!({"ok": true, "message": null, "diff": null}),
        Err(m) => json!({"ok": false, "message": m.message, "diff": m.diff}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"{"paths": {"/pets/{id}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true}],
        "responses": {"200": {}},
        "x-amazon-apigateway-integration": {"type": "http", "httpMethod": "GET",
            "uri": "https://example.com/pets/{id}",
            "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            "requestTemplates": {"application/json": "{\"id\": \"$input.params('id')\"}"},
            "responses": {"default": {"statusCode": "200",
                "responseTemplates": {"application/json": "{\"name\": $input.json('$.name')}"}}}}}}}}"#;

    #[test]
    fn invokes_with_the_cli_fields() {
        let api = load_json(SPEC, &json!({"stage": "dev"})).unwrap();
        let request = method_request(&json!({"httpMethod": "get", "path": "/pets/7",
            "headers": {"Accept": "application/json"}}))
        .unwrap();
        let inv = api.invoke(&request, |sent| {
            assert_eq!(sent.body_text(), r#"{"id": "7"}"#);
            EndpointResponse::new(200).with_body(r#"{"name": "Rex"}"#)
        });
        let out = invocation_json(&inv);
        assert_eq!(out["status"], 200, "{out}");
        assert_eq!(out["body"], r#"{"name": "Rex"}"#);
        assert_eq!(out["endpointRequest"]["uri"], "https://example.com/pets/7");
        assert!(out["log"]
            .as_str()
            .unwrap()
            .contains("Method completed with status: 200"));
        let keys: Vec<&str> = out
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for k in [
            "status",
            "body",
            "headers",
            "multiValueHeaders",
            "log",
            "latency",
            "endpointRequest",
        ] {
            assert!(keys.contains(&k), "{k} in {out}");
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(load_json("{", &Json::Null).unwrap_err()["kind"], "syntax");
        let e = load_json(SPEC, &json!({"stag": "x"})).unwrap_err();
        assert!(
            e["message"].as_str().unwrap().contains("unknown option"),
            "{e}"
        );
        assert!(method_request(&json!({"path": "/"})).is_err());
        assert!(method_request(&json!({"httpMethod": "GET", "path": "/", "hdrs": {}})).is_err());
    }

    #[test]
    fn compares_like_vtl_test() {
        assert_eq!(
            compare_body_json(r#"{"a": 1, "b": 2}"#, r#"{"b":2,"a":1.0}"#, "json", false)["ok"],
            true
        );
        let out = compare_body_json(r#"{"a": 1}"#, r#"{"a": 2}"#, "auto", false);
        assert_eq!(out["ok"], false);
        assert!(
            out["diff"].as_str().unwrap().contains("+  \"a\": 2"),
            "{out}"
        );
    }
}
