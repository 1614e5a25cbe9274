//! Parses template files a number of times, for instruction counts under callgrind.
//!
//! `parse_bench N FILE...`: each file's text (or, for a `.json` file, its `template` field)
//! is parsed `N` times. Running it with two values of `N` and taking the difference gives the
//! cost of one parse without the start-up.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .expect("usage: parse_bench N FILE...");
    for path in args {
        let text = std::fs::read_to_string(&path).expect("a readable file");
        let src = if path.ends_with(".json") {
            let v: serde_json::Value = serde_json::from_str(&text).expect("a JSON file");
            v["template"]
                .as_str()
                .expect("a `template` field")
                .to_string()
        } else {
            text
        };
        for _ in 0..n {
            let nodes = vtl_grammar::parse(std::hint::black_box(&src), Default::default());
            std::hint::black_box(nodes.map(|n| n.len()).unwrap_or(0));
        }
    }
}
