//! The exported functions called through wasm-bindgen with JavaScript values, as the npm
//! package's users call them. Runs on wasm32 only, under Node (scripts/test-wasm).
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value as Json};
use vtl_wasm::{ast, check, normalize_request, render, tokens, version};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn js_parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify)]
    fn js_stringify(value: &JsValue) -> String;
}

/// A JavaScript object (or array, number, …) with the value of `value`.
fn js(value: Json) -> JsValue {
    js_parse(&value.to_string())
}

/// A result read back; every function returns a plain object, never JSON text.
fn rs(value: JsValue) -> Json {
    assert!(value.is_object(), "not an object: {value:?}");
    serde_json::from_str(&js_stringify(&value)).expect("JSON.stringify gives JSON")
}

fn render_with(template: &str, request: JsValue, options: JsValue) -> Json {
    rs(render(template, request, options))
}

#[wasm_bindgen_test]
fn renders_a_request_object() {
    let request = js(json!({
        "body": "{\"name\": \"Ada\"}",
        "params": {"path": {"id": "7"}, "header": {"Accept": ["a", "b"]}},
        "stageVariables": {"env": "prod"},
        "context": {"stage": "beta"},
    }));
    let template = "$input.path('$.name') $input.params('id') $input.params('Accept') \
                    $stageVariables.env $context.stage";
    let r = render_with(template, request, JsValue::UNDEFINED);
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["output"], "Ada 7 b prod beta");
    assert_eq!(r["errors"], json!([]));
    assert_eq!(r["warnings"], json!([]));
    assert!(r["timings"]["compileMs"].is_number(), "{r}");
    assert!(r["timings"]["renderMs"].is_number(), "{r}");
}

#[wasm_bindgen_test]
fn accepts_json_text_null_and_undefined() {
    let text = JsValue::from_str(r#"{"body": "raw"}"#);
    assert_eq!(
        render_with("$input.body", text, JsValue::NULL)["output"],
        "raw"
    );
    // An empty body reads as {} (as on API Gateway).
    let r = render_with("[$input.body]", JsValue::NULL, JsValue::UNDEFINED);
    assert_eq!(r["output"], "[{}]", "{r}");
}

#[wasm_bindgen_test]
fn returns_the_overrides() {
    let template = "#set($context.responseOverride.status = 201)\
                    #set($context.requestOverride.header.X-A = 'b')done";
    let r = render_with(template, js(json!({})), js(json!({})));
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["output"], "done");
    assert_eq!(r["responseOverride"]["status"], 201, "{r}");
    assert_eq!(r["requestOverride"]["header"]["X-A"], "b", "{r}");
}

#[wasm_bindgen_test]
fn a_syntax_error_has_kind_and_position() {
    let r = render_with("line one\n#if($x)\nunclosed", js(json!({})), JsValue::NULL);
    assert_eq!(r["ok"], false);
    let errors = r["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{r}");
    let e = &errors[0];
    assert_eq!(e["kind"], "syntax", "{e}");
    assert!(e["message"].is_string(), "{e}");
    for key in ["line", "column", "start", "end"] {
        assert!(e[key].is_u64(), "{key}: {e}");
    }
    assert_eq!(e["openedAt"]["line"], 2, "{e}");
    assert!(e["hint"].is_string(), "{e}");
    assert!(r["timings"]["compileMs"].is_number(), "{r}");
}

#[wasm_bindgen_test]
fn positions_are_bytes_and_columns_are_characters() {
    let e = &render_with("é€ #set($a = )", JsValue::NULL, JsValue::NULL)["errors"][0];
    assert_eq!(e["kind"], "syntax", "{e}");
    assert_eq!(
        (&e["line"], &e["column"], &e["start"]),
        (&json!(1), &json!(14), &json!(16))
    );
}

#[wasm_bindgen_test]
fn render_warnings_point_into_the_template() {
    let template = "ok #set($a = $b)";
    let r = render_with(template, JsValue::NULL, JsValue::NULL);
    assert_eq!(r["ok"], true, "{r}");
    let w = &r["warnings"][0];
    assert!(w["message"].as_str().unwrap_or("").contains("$b"), "{w}");
    let (start, end) = (w["start"].as_u64().unwrap(), w["end"].as_u64().unwrap());
    assert_eq!(&template[start as usize..end as usize], "$b");
    assert_eq!((&w["line"], &w["column"]), (&json!(1), &json!(14)));
}

#[wasm_bindgen_test]
fn check_reports_errors_and_warnings() {
    let bad = rs(check("#include('x.vtl')", JsValue::UNDEFINED));
    assert_eq!(bad["ok"], false, "{bad}");
    assert_eq!(bad["diagnostics"][0]["severity"], "error", "{bad}");

    let warn = rs(check("$util.noSuchThing('a')", js(json!({}))));
    assert_eq!(warn["ok"], true, "{warn}");
    let d = &warn["diagnostics"][0];
    assert_eq!(d["severity"], "warning", "{warn}");
    for key in ["code", "message", "line", "column", "start", "end"] {
        assert!(!d[key].is_null(), "{key}: {d}");
    }
    assert_eq!(
        rs(check("$input.body", JsValue::NULL))["diagnostics"],
        json!([])
    );
}

#[wasm_bindgen_test]
fn tokens_and_ast() {
    let template = "#set($a = 1)$a";
    let t = rs(tokens(template));
    assert_eq!(t["ok"], true, "{t}");
    let list = t["tokens"].as_array().expect("tokens");
    assert!(list.len() > 3, "{t}");
    for tok in list {
        let (start, end) = (tok["start"].as_u64().unwrap(), tok["end"].as_u64().unwrap());
        assert_eq!(tok["text"], template[start as usize..end as usize], "{tok}");
        assert!(tok["kind"].is_string(), "{tok}");
    }

    let a = rs(ast("#if($a)x#end"));
    assert_eq!(a["ok"], true, "{a}");
    assert!(a["ast"].as_str().unwrap_or("").contains("If"), "{a}");
    let broken = rs(ast("#if("));
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["errors"][0]["kind"], "syntax", "{broken}");
    // The lexer alone rejects an unterminated text block.
    let unlexable = rs(tokens("#[[never closed"));
    assert_eq!(unlexable["ok"], false, "{unlexable}");
    assert_eq!(unlexable["errors"][0]["kind"], "syntax", "{unlexable}");
}

#[wasm_bindgen_test]
fn normalize_request_gives_the_request_file_shape() {
    let event = js(json!({
        "resource": "/pets/{id}",
        "path": "/pets/7",
        "httpMethod": "GET",
        "multiValueHeaders": {"Accept": ["a", "b"]},
        "multiValueQueryStringParameters": {"q": ["1"]},
        "pathParameters": {"id": "7"},
        "requestContext": {"stage": "dev"},
        "body": "b",
    }));
    let n = rs(normalize_request(event));
    assert_eq!(
        n,
        json!({
            "body": "b",
            "contentType": null,
            "params": {
                "path": {"id": "7"},
                "querystring": {"q": "1"},
                "header": {"Accept": ["a", "b"]},
            },
            "stageVariables": {},
            "context": {"stage": "dev", "path": "/dev/pets/7", "httpMethod": "GET"},
        })
    );
    // The normalised form reads back as itself.
    assert_eq!(rs(normalize_request(js(n.clone()))), n);

    let invoke = rs(normalize_request(JsValue::from_str(
        r#"{"pathWithQueryString": "/p?type=dog", "body": "x"}"#,
    )));
    assert_eq!(invoke["params"]["querystring"], json!({"type": "dog"}));
    assert_eq!(invoke["context"], json!({"resourcePath": "/p"}));

    let empty = rs(normalize_request(JsValue::NULL));
    assert_eq!(
        empty["params"],
        json!({"path": {}, "querystring": {}, "header": {}})
    );

    let e = rs(normalize_request(js(json!({"bdy": 1}))));
    assert_eq!(e["errors"][0]["kind"], "input", "{e}");
}

#[wasm_bindgen_test]
fn limits_stop_a_render() {
    let template = "#foreach($i in [1..1000])$i#end";
    let starved = render_with(template, JsValue::NULL, js(json!({"fuel": 50})));
    assert_eq!(starved["ok"], false, "{starved}");
    assert_eq!(starved["errors"][0]["kind"], "limit", "{starved}");
    assert!(starved["timings"]["renderMs"].is_number(), "{starved}");
    // A large budget lets it finish.
    let plenty = render_with(template, JsValue::NULL, js(json!({"fuel": 1e9})));
    assert_eq!(plenty["ok"], true, "{plenty}");
    let small = render_with(template, JsValue::NULL, js(json!({"maxOutput": 100})));
    assert_eq!(small["errors"][0]["kind"], "limit", "{small}");
}

#[wasm_bindgen_test]
fn bad_input_is_reported_not_thrown() {
    let cases = [
        (JsValue::from_str("{not json"), js(json!({}))),
        (js(json!({"bdy": "typo"})), js(json!({}))),
        (js(json!([1, 2])), js(json!({}))),
        (js(json!({})), js(json!({"profile": "nope"}))),
    ];
    for (request, options) in cases {
        let r = render_with("x", request, options);
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["errors"][0]["kind"], "input", "{r}");
    }
}

#[wasm_bindgen_test]
fn profiles_and_version() {
    let options = js(json!({"profile": "velocity", "vars": {"who": "Ada"}}));
    let r = render_with("[$nothing] $who", JsValue::NULL, options);
    assert_eq!(r["output"], "[$nothing] Ada", "{r}");
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

/// Every class of hostile template ends in an error object, and the instance keeps working.
#[wasm_bindgen_test]
fn hostile_templates_return_errors_and_the_instance_stays_usable() {
    let shared = "#set($l = [1])#foreach($i in [1..40])#set($l = [$l, $l])#end";
    let cases = [
        format!("#set($x = 1{})$x", "+1".repeat(8000)),
        format!("#if({}true)#end", "!".repeat(10_000)),
        "#set($s = 'x')#foreach($i in [1..64])#set($s = \"$s$s\")#end".to_string(),
        "#set($l = [1])#foreach($i in [1..64])#set($_ = $l.addAll($l))#end".to_string(),
        "#set($s = 'abcdefgh')#foreach($i in [1..20])#set($s = $s.replace('', $s))#end".to_string(),
        format!("{shared}$l"),
        format!("{shared}$l.hashCode()"),
        "#set($t = '#evaluate($t)')#evaluate($t)".to_string(),
    ];
    // Only API Gateway limits the template's size (300 KB).
    let oversized = ("x".repeat(400 * 1024), vec!["aws"]);
    let cases = cases
        .into_iter()
        .map(|t| (t, vec!["aws", "velocity"]))
        .chain([oversized]);
    for (t, profiles) in &cases.collect::<Vec<_>>() {
        for &profile in profiles {
            let r = render_with(t, JsValue::NULL, js(json!({ "profile": profile })));
            assert_eq!(r["ok"], false, "{profile} {:.60}: {r:.300}", t);
            assert_eq!(
                r["errors"][0]["kind"], "limit",
                "{profile} {:.60}: {r:.300}",
                t
            );
            // The instance is still usable.
            let ok = render_with("#set($a = 1 + 1)$a", JsValue::NULL, JsValue::UNDEFINED);
            assert_eq!(ok["output"], "2", "{ok}");
        }
    }
    let c = rs(check(
        &format!("#set($x = 1{})", "+1".repeat(8000)),
        JsValue::UNDEFINED,
    ));
    assert!(c.to_string().contains("limit"), "{c}");
}
