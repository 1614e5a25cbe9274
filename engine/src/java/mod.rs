//! Java-compatible formatting and `java.lang.String` behaviour.

pub mod math;
pub mod regex;
pub mod string;

use std::fmt::Write as _;

/// Appends Java `Double.toString(d)` to `out`.
pub fn write_double(d: f64, out: &mut String) {
    // Placeholder until the exact algorithm lands: Rust's shortest repr with Java's shape.
    if d.is_nan() {
        out.push_str("NaN");
    } else if d.is_infinite() {
        out.push_str(if d > 0.0 { "Infinity" } else { "-Infinity" });
    } else if d == d.trunc() && d.abs() < 1e7 {
        let _ = write!(out, "{d:.1}");
    } else {
        let _ = write!(out, "{d}");
    }
}
