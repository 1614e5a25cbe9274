//! Criterion benchmarks of the hand-written serde_json baselines (`baseline/<case>/<form>`):
//! the same transforms as the reference templates, written directly in Rust, as the practical
//! limit for `render/…` (`.core` form) and `apigw/…` (`.apigw` form, the body parsed on every
//! call).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use vtl_benches::{apigw_cases, core_cases};

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

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = baseline
}
criterion_main!(benches);
