//! The handle classes called through wasm-bindgen with JavaScript values: a compiled template
//! rendering like `render`, and an API run with a JavaScript function as its backend. Runs on
//! wasm32 only, under Node (scripts/test-wasm).
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value as Json};
use vtl_wasm::{render, CompiledTemplate};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn js_parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify)]
    fn js_stringify(value: &JsValue) -> String;
    /// `new Function(arg, body)`.
    #[wasm_bindgen(js_name = Function)]
    fn js_function(arg: &str, body: &str) -> JsValue;
}

fn js(value: Json) -> JsValue {
    js_parse(&value.to_string())
}

fn rs(value: JsValue) -> Json {
    serde_json::from_str(&js_stringify(&value)).expect("JSON.stringify gives JSON")
}

/// The result without its timings (which differ between runs).
fn untimed(mut v: Json) -> Json {
    if let Some(o) = v.as_object_mut() {
        o.remove("timings");
    }
    v
}

#[wasm_bindgen_test]
fn a_compiled_template_renders_like_render() {
    let template = "$input.path('$.n') $x #foreach($i in [1..$input.path('$.n')])$i#end";
    let options = js(json!({"fuel": 500}));
    let t = CompiledTemplate::new(template, options.clone());
    assert_eq!(rs(t.errors()), json!([]));
    for n in [1, 3, 1000] {
        let request = js(json!({"body": format!("{{\"n\": {n}}}")}));
        let once = untimed(rs(t.render(request.clone(), js(json!({"x": "v"})))));
        let direct = untimed(rs(render(
            template,
            request,
            js(json!({"fuel": 500, "vars": {"x": "v"}})),
        )));
        assert_eq!(once, direct, "n = {n}");
    }
}

#[wasm_bindgen_test]
fn a_template_that_does_not_compile_keeps_its_errors() {
    let t = CompiledTemplate::new("#if($x", JsValue::UNDEFINED);
    let errors = rs(t.errors());
    assert_eq!(errors[0]["kind"], "syntax", "{errors}");
    let r = rs(t.render(JsValue::NULL, JsValue::NULL));
    assert_eq!(r["ok"], false);
    assert_eq!(r["errors"], errors);
}

#[cfg(feature = "gateway")]
mod gateway {
    use super::*;
    use vtl_wasm::GatewayApi;

    const SPEC: &str = r#"{"paths": {"/pets/{id}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true}],
        "x-amazon-apigateway-integration": {"type": "http", "httpMethod": "GET",
            "uri": "https://example.com/pets/{id}",
            "requestParameters": {"integration.request.path.id": "method.request.path.id"},
            "responses": {"default": {"statusCode": "200"}}}}}}}"#;

    #[wasm_bindgen_test]
    fn a_javascript_function_is_the_backend() {
        let api = GatewayApi::new(SPEC, JsValue::UNDEFINED);
        assert!(api.error().is_null());
        let backend = js_function(
            "sent",
            "return {status: 200, headers: {'X-Uri': sent.uri}, body: {seen: sent.httpMethod}}",
        );
        let out = rs(api.invoke(js(json!({"httpMethod": "GET", "path": "/pets/7"})), backend));
        assert_eq!(out["ok"], true, "{out}");
        let result = &out["result"];
        assert_eq!(result["status"], 200, "{out}");
        assert_eq!(result["body"], r#"{"seen":"GET"}"#);
        assert_eq!(
            result["endpointRequest"]["uri"],
            "https://example.com/pets/7"
        );
    }

    #[wasm_bindgen_test]
    fn what_the_backend_throws_comes_back() {
        let api = GatewayApi::new(SPEC, JsValue::UNDEFINED);
        let backend = js_function("sent", "throw new RangeError('down')");
        let out = api.invoke(js(json!({"httpMethod": "GET", "path": "/pets/7"})), backend);
        let thrown = js_sys_get(&out, "thrown");
        assert!(thrown.is_object(), "{:?}", rs(out));
    }

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
        fn reflect_get(target: &JsValue, key: &JsValue) -> JsValue;
    }

    fn js_sys_get(target: &JsValue, key: &str) -> JsValue {
        reflect_get(target, &JsValue::from_str(key))
    }

    #[wasm_bindgen_test]
    fn a_bad_spec_is_an_error_not_a_throw() {
        let api = GatewayApi::new("paths: [", JsValue::UNDEFINED);
        let e = rs(api.error());
        assert_eq!(e["kind"], "syntax", "{e}");
        let out = rs(api.invoke(
            js(json!({"httpMethod": "GET", "path": "/"})),
            JsValue::UNDEFINED,
        ));
        assert_eq!(out["ok"], false);
    }
}
