//! Native timings of the reference cases through the same entry point the WebAssembly build
//! uses (`render_json`), for comparison with `wasm/web/bench.mjs` (browser and Node.js).
//!
//! `cargo run --release -p vtl-wasm --example bench`

use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

fn now_ms() -> f64 {
    0.0
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bench");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    println!("case\tmean_us\toutput_bytes");
    for name in names {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("read");
        let case: Json = serde_json::from_str(&text).expect("json");
        let template = case["template"].as_str().expect("template");
        let request = &case["apigw"];
        let options = match case.get("vars") {
            Some(vars) => json!({ "vars": vars }),
            None => json!({}),
        };
        let run = || vtl_wasm::render_json(template, request, &options, now_ms);
        let first = run();
        assert_eq!(first["ok"], true, "{name}: {}", first["errors"]);
        let bytes = first["output"].as_str().map_or(0, str::len);
        for _ in 0..20 {
            run();
        }
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_secs(1) || n < 50 {
            std::hint::black_box(run());
            n += 1;
        }
        let mean = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("{}\t{mean:.1}\t{bytes}", name.trim_end_matches(".json"));
    }
}
