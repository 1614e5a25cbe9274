//! A compiled template as a JavaScript object: compile once, render any number of requests
//! with the same limits, result and error shapes as [`crate::render`].

use serde_json::{json, Value as Json};
use vtl::Request;
use wasm_bindgen::prelude::*;

use crate::{engine_for, failed, from_js, performance_now, to_js};

/// A template compiled with its options (profile, extensions, limits). `new CompiledTemplate`
/// never throws: a template that does not compile keeps its errors ([`CompiledTemplate::errors`])
/// and renders as a failure carrying them.
#[wasm_bindgen]
pub struct CompiledTemplate {
    source: String,
    compiled: Result<vtl::Template, Json>,
    compile_ms: f64,
}

#[wasm_bindgen]
impl CompiledTemplate {
    /// Compiles `template` with `options` as for [`crate::render`] (`vars` is ignored: pass
    /// variables to each render).
    #[wasm_bindgen(constructor)]
    pub fn new(template: &str, options: JsValue) -> CompiledTemplate {
        let t0 = performance_now();
        let compiled = compile_json(template, from_js(&options));
        CompiledTemplate {
            source: template.to_string(),
            compiled,
            compile_ms: performance_now() - t0,
        }
    }

    /// The compile errors (`[]` when it compiled), in the shape of [`crate::render`]'s.
    pub fn errors(&self) -> JsValue {
        to_js(&match &self.compiled {
            Ok(_) => json!([]),
            Err(e) => e["errors"].clone(),
        })
    }

    /// Milliseconds the compilation took.
    #[wasm_bindgen(js_name = compileMs)]
    pub fn compile_ms(&self) -> f64 {
        self.compile_ms
    }

    /// The template text.
    pub fn source(&self) -> String {
        self.source.clone()
    }

    /// Renders for `request` (any shape [`crate::render`] reads; `null` for an empty request)
    /// with `vars` (an object, or `null`). Returns [`crate::render`]'s result, with
    /// `timings.compileMs` 0.
    pub fn render(&self, request: JsValue, vars: JsValue) -> JsValue {
        let result = match (from_js(&request), from_js(&vars)) {
            (Ok(request), Ok(vars)) => {
                render_compiled_json(&self.compiled, &request, &vars, performance_now)
            }
            (Err(e), _) | (_, Err(e)) => failed(&e),
        };
        to_js(&result)
    }
}

/// Compiles on JSON values; `Err` is a failed render result (`{ok: false, errors, warnings}`).
pub fn compile_json(
    template: &str,
    options: Result<Json, vtl::Error>,
) -> Result<vtl::Template, Json> {
    let engine = options
        .and_then(|o| engine_for(&o))
        .map_err(|e| failed(&e))?;
    engine.compile(template).map_err(|e| failed(&e))
}

/// Renders a compiled template on JSON values, in [`crate::render_json`]'s result shape.
pub fn render_compiled_json(
    compiled: &Result<vtl::Template, Json>,
    request: &Json,
    vars: &Json,
    now: fn() -> f64,
) -> Json {
    let template = match compiled {
        Ok(t) => t,
        Err(failure) => {
            let mut out = failure.clone();
            out["timings"] = json!({ "compileMs": 0.0, "renderMs": 0.0 });
            return out;
        }
    };
    let request = match request {
        Json::Null => Request::default(),
        other => match Request::from_json(other) {
            Ok(request) => request,
            Err(e) => return failed(&e),
        },
    };
    let t0 = now();
    let rendered = template.render_request(&request, vars);
    let timings = json!({ "compileMs": 0.0, "renderMs": now() - t0 });
    match rendered {
        Ok(r) => json!({
            "ok": true,
            "output": r.output,
            "requestOverride": r.request_override,
            "responseOverride": r.response_override,
            "errors": [],
            "warnings": r.warnings.iter().map(|w| w.to_json(template.source())).collect::<Vec<_>>(),
            "timings": timings,
        }),
        Err(e) => {
            let mut out = failed(&e);
            out["timings"] = timings;
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render_json;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn renders_like_render() {
        let template = "$input.path('$.name') $x#set($context.responseOverride.status = 201)";
        let request = json!({"body": "{\"name\": \"Ada\"}"});
        let compiled = compile_json(template, Ok(Json::Null));
        let vars = json!({"x": 1});
        let once = render_compiled_json(&compiled, &request, &vars, clock);
        let direct = render_json(template, &request, &json!({"vars": vars}), clock);
        assert_eq!(once, direct, "{once}");
        assert_eq!(once["output"], "Ada 1");
        // A second request through the same handle.
        let other =
            render_compiled_json(&compiled, &json!({"body": "{\"name\": 2}"}), &vars, clock);
        assert_eq!(other["output"], "2 1", "{other}");
    }

    #[test]
    fn keeps_compile_errors_and_limits() {
        let compiled = compile_json("#if($x", Ok(Json::Null));
        let out = render_compiled_json(&compiled, &Json::Null, &Json::Null, clock);
        assert_eq!(out["ok"], false);
        assert_eq!(out["errors"][0]["kind"], "syntax", "{out}");
        let starved = compile_json("#foreach($i in [1..100])$i#end", Ok(json!({"fuel": 10})));
        let out = render_compiled_json(&starved, &Json::Null, &Json::Null, clock);
        assert_eq!(out["errors"][0]["kind"], "limit", "{out}");
        let bad = compile_json("", Ok(json!({"profile": "nope"})));
        assert!(bad.is_err());
    }
}
