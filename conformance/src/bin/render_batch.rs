//! `render_batch PROFILE < CASES.jsonl`: renders many cases in one process (for the template
//! fuzzer in `conformance/tools/fuzz_templates.py`; not a user-facing tool).
//!
//! Each input line is a case (`id`, `template`, optional `vars`, optional `request` in the
//! request-file shape). Each output line is `{"id", "output", "error", "error_kind", "class",
//! "panic"}`: `error_kind` is the engine's error kind name, `class` is `parse` or `render` as the
//! conformance runner compares them, and `panic` is set when the engine panicked (a bug).

use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::{json, Value};
use vtl::{Engine, Profile, Request};

fn main() {
    let profile: Profile = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "velocity".into())
        .parse()
        .unwrap_or(Profile::Velocity);
    let engine = Engine::new(profile);
    std::panic::set_hook(Box::new(|_| {}));
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => json!({"id": null, "bad": e.to_string()}),
        };
        let result = catch_unwind(AssertUnwindSafe(|| render(&engine, &case)));
        let mut res = match result {
            Ok(r) => r,
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                json!({"output": null, "error": format!("panic: {msg}"), "error_kind": "panic",
                       "class": "panic", "panic": true})
            }
        };
        res["id"] = case.get("id").cloned().unwrap_or(Value::Null);
        let _ = writeln!(out, "{res}");
        let _ = out.flush();
    }
}

fn render(engine: &Engine, case: &Value) -> Value {
    let template = case.get("template").and_then(Value::as_str).unwrap_or("");
    let vars = case.get("vars").cloned().unwrap_or(Value::Null);
    let compiled = engine.compile(template);
    let result = match case.get("request") {
        Some(req) if !req.is_null() => match Request::from_json(req) {
            Ok(request) => compiled.and_then(|t| t.render_request(&request, &vars)),
            Err(e) => Err(e),
        },
        _ => compiled.and_then(|t| t.render_full(&vars)),
    };
    match result {
        Ok(r) => json!({"output": r.output, "error": null, "panic": false}),
        Err(e) => json!({"output": null, "error": e.to_string(), "error_kind": e.kind().name(),
                         "class": vtl_conformance::error_class(e.kind()), "panic": false}),
    }
}
