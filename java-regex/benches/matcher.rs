//! Benchmarks of the crate's API on a text of about 8 KB: the searches templates use most
//! (`replaceAll`, `split`, `matches`), a cold compile, and a backtracking-heavy search.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use java_regex::{JavaRegex, RegexCache};

/// A JSON-ish text of about 8 KB with quotes, spaces, digits and separators.
fn text() -> String {
    let mut s = String::new();
    for i in 0..100 {
        s.push_str(&format!(
            "{{\"id\": {i}, \"name\": \"Item  {i}\",\t\"tags\": \"a,b , c\"}}\n"
        ));
    }
    s
}

fn matcher(c: &mut Criterion) {
    let mut group = c.benchmark_group("java-regex");
    let text = text();
    let mut cache = RegexCache::default();
    for (name, pattern, replacement) in [
        ("replace-quotes", "\"", "\\\\\""),
        ("collapse-space", r"\s+", " "),
        ("digits-groups", r"(\d+)", "<$1>"),
        ("case-insensitive", "(?i)ITEM", "x"),
        ("trim-lines", r"(?m)^\s+|\s+$", ""),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                java_regex::replace_all(black_box(&text), pattern, replacement, &mut cache).unwrap()
            });
        });
    }
    group.bench_function("split-comma", |b| {
        b.iter(|| {
            java_regex::split(black_box(&text), ",", 0, &mut cache)
                .unwrap()
                .len()
        });
    });
    group.bench_function("split-regex", |b| {
        b.iter(|| {
            java_regex::split(black_box(&text), r"\s*,\s*", 0, &mut cache)
                .unwrap()
                .len()
        });
    });
    let whole = JavaRegex::new(r"(?s)\{.*\}\s*").unwrap();
    group.bench_function("matches-whole", |b| {
        b.iter(|| whole.matches(black_box(&text)).unwrap());
    });
    let backtrack = JavaRegex::new(r"(\w+\s*)+:").unwrap();
    let words = "word ".repeat(12);
    group.bench_function("backtracking", |b| {
        b.iter(|| backtrack.find_at(black_box(&words), 0).unwrap());
    });
    group.bench_function("compile", |b| {
        b.iter(|| {
            JavaRegex::new(black_box(
                r"^(?<user>[\w.+-]+)@(?<host>[\w-]+(?:\.[\w-]+)+)$",
            ))
            .unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, matcher);
criterion_main!(benches);
