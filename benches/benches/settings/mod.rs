//! The criterion settings the reference-case benchmarks share (included by each bench file):
//! 30 samples, 1 s warm-up, 3 s measurement.

use std::time::Duration;

use criterion::Criterion;

/// The shared configuration.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}
