//! Criterion benchmarks over the four reference cases (`cases/*.core.json`), in both profiles:
//! `compile/<case>/<profile>` parses and compiles the template; `render/<case>/<profile>`
//! renders an already compiled template (building the variables from JSON on every render, as
//! the peer engines build their context); `context/<case>` renders an empty template with the
//! case's variables, which is the share of `render` spent building them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use vtl::{Engine, Profile};
use vtl_benches::core_cases;

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
        for profile in PROFILES {
            let template = Engine::new(profile).compile(&case.template).unwrap();
            group.bench_function(BenchmarkId::new(case.name, profile.name()), |b| {
                b.iter(|| template.render(black_box(&case.vars)).unwrap())
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

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = compile, render, context
}
criterion_main!(benches);
