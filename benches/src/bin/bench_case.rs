//! `bench_case`: the steady-state render time of one reference case, in the same protocol
//! as the reference engines' harnesses, so `benches/side-by-side` can alternate them.
//!
//! ```text
//! bench_case --bench CASE.json [--engine vtl|baseline] [--profile aws|velocity]
//!            [--mode compiled|parse] [--rounds 5] [--round-ms 1000] [--warmup-ms 2000]
//! ```
//!
//! Warms up for `--warmup-ms`, then runs `--rounds` timed rounds of at least `--round-ms`
//! each, and prints one JSON line: `{"engine", "median_us", "rounds_us", "output_len"}`.
//! `vtl` renders the case's template (compiled once in `compiled` mode, compiled on every
//! render in `parse` mode); `baseline` runs the hand-written serde_json transform of the same
//! case. Each render takes the case's request; `.apigw` cases parse the raw body every time.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vtl::{Engine, Profile, Request, Vars};
use vtl_benches::Case;

/// The allocator the `vtl` binary ships with (mimalloc), for vtl and the baseline alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    case: String,
    engine: String,
    profile: Profile,
    parse: bool,
    rounds: usize,
    round: Duration,
    warmup: Duration,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        case: String::new(),
        engine: "vtl".into(),
        profile: Profile::Aws,
        parse: false,
        rounds: 5,
        round: Duration::from_millis(1000),
        warmup: Duration::from_millis(2000),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let ms = |v: String| -> Result<Duration, String> {
            v.parse()
                .map(Duration::from_millis)
                .map_err(|_| format!("{flag}: not a number of milliseconds: {v}"))
        };
        match flag.as_str() {
            "--bench" => o.case = value()?,
            "--engine" => o.engine = value()?,
            "--profile" => {
                o.profile = match value()?.as_str() {
                    "aws" => Profile::Aws,
                    "velocity" => Profile::Velocity,
                    other => return Err(format!("unknown profile {other}")),
                }
            }
            "--mode" => {
                o.parse = match value()?.as_str() {
                    "compiled" => false,
                    "parse" => true,
                    other => return Err(format!("unknown mode {other}")),
                }
            }
            "--rounds" => {
                let v = value()?;
                o.rounds = v.parse().map_err(|_| format!("--rounds: {v}"))?;
            }
            "--round-ms" => o.round = ms(value()?)?,
            "--warmup-ms" => o.warmup = ms(value()?)?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if o.case.is_empty() {
        return Err("usage: bench_case --bench CASE.json [--engine vtl|baseline] ...".into());
    }
    Ok(o)
}

fn load(path: &str) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    // The case's short name is its id without the form (`a_small_mapping.apigw`).
    let id = json["id"].as_str().unwrap_or_default();
    let name = id.split('.').next().unwrap_or_default().to_string();
    Case::from_json(Box::leak(name.into_boxed_str()), json)
}

/// Runs `f` for at least `at_least`; returns µs per call.
fn round(at_least: Duration, f: &mut dyn FnMut() -> usize) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    loop {
        black_box(f());
        n += 1;
        let spent = start.elapsed();
        if spent >= at_least {
            return spent.as_secs_f64() * 1e6 / n as f64;
        }
    }
}

fn run(o: Options) -> Result<String, String> {
    let case = load(&o.case)?;
    let request = match &case.apigw {
        Some(r) => Request::from_json(r).map_err(|e| e.to_string())?,
        None => Request::default(),
    };
    let vars = Vars::from_json(&case.vars).map_err(|e| e.to_string())?;
    let engine = Engine::new(o.profile);
    let compiled = engine.compile(&case.template).map_err(|e| e.to_string())?;
    let apigw_form = case.raw_body().is_some();
    let label;
    let mut render: Box<dyn FnMut() -> usize> = match o.engine.as_str() {
        "vtl" => {
            label = format!(
                "vtl {} ({}{})",
                env!("CARGO_PKG_VERSION"),
                o.profile.name(),
                if o.parse { ", parse" } else { "" }
            );
            Box::new(|| {
                let fresh;
                let t = if o.parse {
                    fresh = engine.compile(&case.template).expect("compiles");
                    &fresh
                } else {
                    &compiled
                };
                let out = if apigw_form {
                    t.render_request(&request, &serde_json::Value::Null)
                } else {
                    t.render_request_vars(&request, &vars)
                };
                out.expect("renders").output.len()
            })
        }
        "baseline" => {
            label = "hand-written serde_json".into();
            Box::new(|| case.baseline().len())
        }
        other => return Err(format!("unknown engine {other} (vtl or baseline)")),
    };
    let output_len = render();
    round(o.warmup, &mut render);
    let mut rounds: Vec<f64> = (0..o.rounds.max(1))
        .map(|_| round(o.round, &mut render))
        .collect();
    let rounds_us = serde_json::json!(rounds);
    rounds.sort_by(f64::total_cmp);
    let median = rounds[rounds.len() / 2];
    Ok(serde_json::json!({
        "engine": label,
        "median_us": median,
        "rounds_us": rounds_us,
        "output_len": output_len,
    })
    .to_string())
}

fn main() -> ExitCode {
    match options().and_then(run) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_case: {e}");
            ExitCode::from(2)
        }
    }
}
