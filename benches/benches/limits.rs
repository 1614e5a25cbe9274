//! The cost of the resource limits: each of the four reference cases rendered with the
//! profile's default [`Limits`] (`limits/<case>/<profile>/on`) and with limits so large that
//! nothing can reach them (`…/off`), in one run so that the two are measured under the same
//! conditions. The budget's checks run in both; what differs is that with the defaults the
//! budgets are real (fuel and memory counted down from their limits, the stack measured
//! against 128 KiB), so a ratio near 1 means the bounds cost nothing beyond their checks.
//! Renders the `.core` form with its request and variables converted once, like
//! `render/<case>/<profile>` in the `render` bench.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use vtl::{Engine, Limits, Profile, Request, Vars};
use vtl_benches::core_cases;

/// Limits nothing reaches: the checks still run, none can fail.
fn off(profile: Profile) -> Limits {
    Limits {
        fuel: u64::MAX / 2,
        max_output: usize::MAX / 2,
        max_foreach: None,
        max_memory: usize::MAX / 2,
        // The bench thread's stack is 8 MiB; the renders use a few KiB of it.
        max_stack: 4 << 20,
        ..Limits::for_profile(profile)
    }
}

fn limits(c: &mut Criterion) {
    let mut group = c.benchmark_group("limits");
    for case in core_cases() {
        let request = case
            .apigw
            .as_ref()
            .map(|r| Request::from_json(r).unwrap())
            .unwrap_or_default();
        let vars = Vars::from_json(&case.vars).unwrap();
        for profile in [Profile::Velocity, Profile::Aws] {
            for (name, limits) in [("on", Limits::for_profile(profile)), ("off", off(profile))] {
                let template = Engine::new(profile)
                    .with_limits(limits)
                    .compile(&case.template)
                    .unwrap();
                let id = BenchmarkId::new(case.name, format!("{}/{name}", profile.name()));
                group.bench_function(id, |b| {
                    b.iter(|| {
                        template
                            .render_request_vars(black_box(&request), &vars)
                            .unwrap()
                    })
                });
            }
        }
    }
    group.finish();
}

mod settings;
use settings::config;

criterion_group! {
    name = benches;
    config = config();
    targets = limits
}
criterion_main!(benches);
