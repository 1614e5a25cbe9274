//! Benchmarks of the Java regular expressions templates use most (`replaceAll`, `split`,
//! `matches`) on a body of a few kilobytes, rendered through the public API.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vtl::{Engine, Profile};

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

fn regex(c: &mut Criterion) {
    let mut group = c.benchmark_group("regex");
    let vars = serde_json::json!({ "s": text() });
    for (name, template) in [
        ("escape-quotes", r#"$s.replaceAll('"', '\\"')"#),
        ("collapse-space", r#"$s.replaceAll("\s+", " ")"#),
        ("split-comma", r#"$s.split(",").size()"#),
        (
            "split-lines-trim",
            r#"#foreach($l in $s.split("\n"))$l.replaceAll("^\s+|\s+$", "")#end"#,
        ),
        ("digits-groups", r#"$s.replaceAll("(\d+)", "<$1>")"#),
        (
            "matches-id",
            r#"#foreach($i in [1..200])$s.matches("(?s)\{.*\}\s*")#end"#,
        ),
        ("case-insensitive", r#"$s.replaceAll("(?i)ITEM", "x")"#),
    ] {
        let t = Engine::new(Profile::Aws).compile(template).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| black_box(t.render(black_box(&vars)).unwrap()));
        });
    }
    group.finish();
}

criterion_group!(benches, regex);
criterion_main!(benches);
