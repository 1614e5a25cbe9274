//! Compiles and renders arbitrary bytes as a template, in both profiles, with small limits
//! (so that each run is quick) and a request whose body is the input's tail. Any panic,
//! abort, stack overflow or allocation failure is a bug: hostile input must cost one error.
//!
//! Run with `cargo +nightly fuzz run render -- -max_total_time=900` from this folder's parent
//! (seed the corpus with `fuzz/seed.sh`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use vtl::{Engine, Limits, Profile, Request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // `\u{1}` separates the template from the body, when present.
    let (template, body) = text.split_once('\u{1}').unwrap_or((text, "{\"a\":[1,2,{\"b\":\"c\"}]}"));
    for profile in [Profile::Aws, Profile::Velocity] {
        let limits = Limits {
            fuel: 200_000,
            max_output: 1 << 20,
            max_memory: 16 << 20,
            max_stack: 128 * 1024,
            ..Limits::for_profile(profile)
        };
        let engine = Engine::new(profile).with_limits(limits).with_extensions(true);
        let Ok(t) = engine.compile(template) else {
            let _ = vtl::check::check(&engine, template);
            continue;
        };
        let request = Request {
            body: body.to_string(),
            ..Request::default()
        };
        match t.render_request(&request, &serde_json::Value::Null) {
            Ok(_) => {}
            Err(e) => {
                let _ = format!("{e:#}");
            }
        }
    }
});
