//! WebAssembly bindings of `vtl` for browsers and Node.js.
//!
//! Every function takes and returns plain JavaScript values (objects, strings, numbers) and
//! never throws for a bad template or request: failures come back in `errors`, in the same JSON
//! shape as the CLI's (`{kind, message, line, column, start, end, hint?, openedAt?}`; `start` and
//! `end` are UTF-8 byte offsets, `line`/`column` 1-based, columns in characters).
//!
//! The work is done on `serde_json` values by the `*_json` functions, which also build and
//! run natively; the `#[wasm_bindgen]` wrappers only convert to and from JavaScript.
//! `compiled.rs` holds compiled templates (`CompiledTemplate`), `gateway.rs` the whole method
//! (`GatewayApi`, over `vtl_gateway`) and `compareBody`, and `trace.rs` why a method ran as it
//! did (for the playground), with the cargo feature `gateway`.

mod compiled;
#[cfg(feature = "gateway")]
mod gateway;
#[cfg(feature = "gateway")]
mod trace;

pub use compiled::{compile_json, render_compiled_json, CompiledTemplate};
#[cfg(feature = "gateway")]
pub use gateway::{
    compare_body_json, invocation_json, load_json, method_request, spec_document,
    spec_document_json, GatewayApi,
};

use serde_json::{json, Value as Json};
use vtl::{Engine, Error, ErrorKind, Limits, Profile, Request};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Renders `template` for `request` (a request-file object, Lambda-proxy event or
/// TestInvokeMethod request, as an object or JSON text; `null` for an empty request).
///
/// `options`: `{profile: "aws"|"velocity", extensions: bool, fuel: number, maxOutput: number,
/// maxMemory: number, vars: object}`, all optional. Returns `{ok, output, requestOverride, responseOverride,
/// errors, warnings, timings: {compileMs, renderMs}}`.
#[wasm_bindgen]
pub fn render(template: &str, request: JsValue, options: JsValue) -> JsValue {
    let result = match (from_js(&request), from_js(&options)) {
        (Ok(request), Ok(options)) => render_json(template, &request, &options, performance_now),
        (Err(e), _) | (_, Err(e)) => failed(&e),
    };
    to_js(&result)
}

/// Lints `template` without rendering it. `options` as for [`render`] (profile, extensions).
/// Returns `{ok, diagnostics: [{severity, code, message, line, column, start, end, hint}]}`.
#[wasm_bindgen]
pub fn check(template: &str, options: JsValue) -> JsValue {
    let result = match from_js(&options) {
        Ok(options) => check_json(template, &options),
        Err(e) => failed(&e),
    };
    to_js(&result)
}

/// The lexer's tokens: `{ok, tokens: [{kind, start, end, text}], errors}`.
#[wasm_bindgen]
pub fn tokens(template: &str) -> JsValue {
    to_js(&tokens_json(template))
}

/// The syntax tree as indented text: `{ok, ast, errors}`.
#[wasm_bindgen]
pub fn ast(template: &str) -> JsValue {
    to_js(&ast_json(template))
}

/// Reads a request (any accepted shape) and returns it in the request-file shape
/// `{body, contentType, params: {path, querystring, header}, stageVariables, context}`, or
/// `{errors}` if it cannot be read.
#[wasm_bindgen(js_name = normalizeRequest)]
pub fn normalize_request(request: JsValue) -> JsValue {
    let result = match from_js(&request) {
        Ok(request) => normalize_request_json(&request),
        Err(e) => json!({ "errors": [e.to_json()] }),
    };
    to_js(&result)
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn from_js(value: &JsValue) -> Result<Json, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let text = match value.as_string() {
        Some(text) => text,
        None => json_stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| Error::new(ErrorKind::Input, "a value is not JSON-serializable"))?,
    };
    if text.trim().is_empty() {
        return Ok(Json::Null);
    }
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::Input,
            format!(
                "not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

fn to_js(value: &Json) -> JsValue {
    json_parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

fn failed(e: &Error) -> Json {
    json!({ "ok": false, "errors": [e.to_json()], "warnings": [] })
}

/// The engine configured by `options` (see [`render`]).
pub fn engine_for(options: &Json) -> Result<Engine, Error> {
    let profile = match options.get("profile").and_then(Json::as_str) {
        None => Profile::Aws,
        Some(name) => name
            .parse::<Profile>()
            .map_err(|m| Error::new(ErrorKind::Input, m))?,
    };
    let mut limits = Limits::for_profile(profile);
    if let Some(fuel) = options.get("fuel").and_then(positive) {
        limits.fuel = fuel;
    }
    if let Some(max) = options.get("maxOutput").and_then(positive) {
        limits.max_output = usize::try_from(max).unwrap_or(usize::MAX);
    }
    if let Some(max) = options.get("maxMemory").and_then(positive) {
        limits.max_memory = usize::try_from(max).unwrap_or(usize::MAX);
    }
    let extensions = options
        .get("extensions")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    Ok(Engine::new(profile)
        .with_extensions(extensions)
        .with_limits(limits))
}

/// A positive whole number (JavaScript numbers arrive as floats, e.g. `1e9`).
fn positive(v: &Json) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_f64().filter(|f| *f >= 1.0).map(|f| f as u64))
        .filter(|n| *n > 0)
}

/// [`render`] on JSON values; `now` reads a millisecond clock.
pub fn render_json(template: &str, request: &Json, options: &Json, now: fn() -> f64) -> Json {
    let engine = match engine_for(options) {
        Ok(engine) => engine,
        Err(e) => return failed(&e),
    };
    let request = match request {
        Json::Null => Request::default(),
        other => match Request::from_json(other) {
            Ok(request) => request,
            Err(e) => return failed(&e),
        },
    };
    let vars = options.get("vars").cloned().unwrap_or(Json::Null);
    let t0 = now();
    let compiled = engine.compile(template);
    let t1 = now();
    let compiled = match compiled {
        Ok(t) => t,
        Err(e) => {
            let mut out = failed(&e);
            out["timings"] = json!({ "compileMs": t1 - t0, "renderMs": 0.0 });
            return out;
        }
    };
    let rendered = compiled.render_request(&request, &vars);
    let t2 = now();
    let timings = json!({ "compileMs": t1 - t0, "renderMs": t2 - t1 });
    match rendered {
        Ok(r) => json!({
            "ok": true,
            "output": r.output,
            "requestOverride": r.request_override,
            "responseOverride": r.response_override,
            "errors": [],
            "warnings": r.warnings.iter().map(|w| w.to_json(template)).collect::<Vec<_>>(),
            "timings": timings,
        }),
        Err(e) => {
            let mut out = failed(&e);
            out["timings"] = timings;
            out
        }
    }
}

/// [`check`] on JSON values.
pub fn check_json(template: &str, options: &Json) -> Json {
    match engine_for(options) {
        Ok(engine) => {
            let diagnostics: Vec<Json> = vtl::check(&engine, template)
                .iter()
                .map(|d| d.to_json())
                .collect();
            let ok = !diagnostics.iter().any(|d| d["severity"] == "error");
            json!({ "ok": ok, "diagnostics": diagnostics })
        }
        Err(e) => failed(&e),
    }
}

/// [`tokens`] on JSON values.
pub fn tokens_json(template: &str) -> Json {
    match vtl::dump_tokens(template) {
        Ok(toks) => json!({
            "ok": true,
            "tokens": toks.iter().map(|t| t.to_json()).collect::<Vec<_>>(),
            "errors": [],
        }),
        Err(e) => json!({ "ok": false, "tokens": [], "errors": [e.to_json()] }),
    }
}

/// [`ast`] on JSON values.
pub fn ast_json(template: &str) -> Json {
    match vtl::dump_ast(template) {
        Ok(text) => json!({ "ok": true, "ast": text, "errors": [] }),
        Err(e) => json!({ "ok": false, "ast": "", "errors": [e.to_json()] }),
    }
}

/// [`normalize_request`] on JSON values.
pub fn normalize_request_json(request: &Json) -> Json {
    match request {
        Json::Null => Request::default().to_json(),
        other => match Request::from_json(other) {
            Ok(r) => r.to_json(),
            Err(e) => json!({ "errors": [e.to_json()] }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn renders_a_request() {
        let request = json!({"body": "{\"name\": \"Ada\"}", "params": {"path": {"id": "7"}}});
        let out = render_json(
            "$input.path('$.name') $input.params('id')",
            &request,
            &Json::Null,
            clock,
        );
        assert_eq!(out["ok"], true, "{out}");
        assert_eq!(out["output"], "Ada 7");
        assert_eq!(out["responseOverride"]["header"], json!({}), "{out}");
    }

    #[test]
    fn reports_errors_with_positions() {
        let out = render_json("line\n#if($x", &Json::Null, &Json::Null, clock);
        assert_eq!(out["ok"], false);
        let e = &out["errors"][0];
        assert_eq!(e["kind"], "syntax", "{out}");
        assert_eq!(e["line"], 2, "{out}");
    }

    #[test]
    fn options_choose_profile_and_fuel() {
        let velocity = json!({"profile": "velocity", "vars": {"x": "y"}});
        let out = render_json("$x $missing", &Json::Null, &velocity, clock);
        assert_eq!(out["output"], "y $missing", "{out}");
        let starved = json!({"fuel": 10});
        let out = render_json(
            "#foreach($i in [1..100])$i#end",
            &Json::Null,
            &starved,
            clock,
        );
        assert_eq!(out["errors"][0]["kind"], "limit", "{out}");
        let bad = json!({"profile": "nope"});
        assert_eq!(
            render_json("", &Json::Null, &bad, clock)["errors"][0]["kind"],
            "input"
        );
    }

    #[test]
    fn normalizes_a_lambda_proxy_event() {
        let event = json!({"requestContext": {"stage": "dev"}, "path": "/p", "body": "b",
            "multiValueHeaders": {"h": ["1", "2"]}, "queryStringParameters": {"q": "x"}});
        let out = normalize_request_json(&event);
        assert_eq!(out["body"], "b");
        assert_eq!(out["params"]["header"]["h"], json!(["1", "2"]));
        assert_eq!(out["params"]["querystring"]["q"], "x");
        assert_eq!(out["context"]["path"], "/dev/p");
        // The normalized form reads back as the same request.
        let again = normalize_request_json(&out);
        assert_eq!(again, out);
    }

    #[test]
    fn check_tokens_and_ast() {
        let out = check_json("#include('x')", &Json::Null);
        assert_eq!(out["ok"], false, "{out}");
        let out = tokens_json("$a");
        assert!(!out["tokens"].as_array().unwrap().is_empty(), "{out}");
        let out = ast_json("#set($a = 1)");
        assert!(out["ast"].as_str().unwrap().contains("Set"), "{out}");
    }
}
