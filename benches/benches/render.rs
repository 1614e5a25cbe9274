//! Criterion benchmarks over the four reference cases, in both profiles:
//! `compile/<case>/<profile>` parses and compiles the template; `render/<case>/<profile>`
//! renders a compiled `.core` template with its API Gateway request and variables converted
//! once (as the peer engines reuse their pre-parsed variables); `render-json-vars/…` converts
//! the JSON variables on every render; `apigw/<case>/<profile>` renders the `.apigw` form,
//! which parses the raw request body on every render as a gateway does; `context/<case>`
//! renders an empty template with the case's variables (the cost of converting them);
//! `baseline/<case>/<form>` runs the hand-written serde_json transform of the same case.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use vtl::{Engine, Profile, Request, Vars};
use vtl_benches::{apigw_cases, core_cases};

fn request_of(case: &vtl_benches::Case) -> Request {
    case.apigw
        .as_ref()
        .map(|r| Request::from_json(r).unwrap())
        .unwrap_or_default()
}

const PROFILES: [Profile; 2] = [Profile::Velocity, Profile::Aws];

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for case in core_cases() {
        for profile in PROFILES {
            let engine = Engine::new(profile);
            group.bench_function(BenchmarkId::new(case.name, profile.name()), |b| {
                b.iter(|| engine.compile(black_box(&case.template)).unwrap())
            });
        }
    }
    group.finish();
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    for case in core_cases() {
        let request = request_of(&case);
        let vars = Vars::from_json(&case.vars).unwrap();
        for profile in PROFILES {
            let template = Engine::new(profile).compile(&case.template).unwrap();
            group.bench_function(BenchmarkId::new(case.name, profile.name()), |b| {
                b.iter(|| {
                    template
                        .render_request_vars(black_box(&request), &vars)
                        .unwrap()
                })
            });
        }
    }
    group.finish();
}

fn render_json_vars(c: &mut Criterion) {
    let mut group = c.benchmark_group("render-json-vars");
    for case in core_cases() {
        let request = request_of(&case);
        let template = Engine::new(Profile::Aws).compile(&case.template).unwrap();
        group.bench_function(case.name, |b| {
            b.iter(|| {
                template
                    .render_request(black_box(&request), black_box(&case.vars))
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn apigw(c: &mut Criterion) {
    let mut group = c.benchmark_group("apigw");
    for case in apigw_cases() {
        let request = request_of(&case);
        for profile in PROFILES {
            let template = Engine::new(profile).compile(&case.template).unwrap();
            group.bench_function(BenchmarkId::new(case.name, profile.name()), |b| {
                b.iter(|| {
                    template
                        .render_request(black_box(&request), &serde_json::Value::Null)
                        .unwrap()
                })
            });
        }
    }
    group.finish();
}

fn context(c: &mut Criterion) {
    let mut group = c.benchmark_group("context");
    let empty = Engine::new(Profile::Velocity).compile("").unwrap();
    for case in core_cases() {
        group.bench_function(case.name, |b| {
            b.iter(|| empty.render(black_box(&case.vars)).unwrap())
        });
    }
    group.finish();
}

/// The hand-written serde_json baselines (`baseline/<case>/<form>`): the same transforms as
/// the templates, written directly in Rust, the practical limit for `render/…` (`core`) and
/// `apigw/…` (`apigw`, the body parsed on every call).
fn baseline(c: &mut Criterion) {
    let mut group = c.benchmark_group("baseline");
    for (form, cases) in [("core", core_cases()), ("apigw", apigw_cases())] {
        for case in cases {
            group.bench_function(BenchmarkId::new(case.name, form), |b| {
                b.iter(|| black_box(&case).baseline())
            });
        }
    }
    group.finish();
}

mod settings;
use settings::config;

criterion_group! {
    name = benches;
    config = config();
    targets = compile, render, render_json_vars, apigw, context, baseline
}
criterion_main!(benches);
