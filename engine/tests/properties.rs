//! Property tests: compiling and rendering random soups of VTL-ish tokens never panics in
//! either profile, errors point inside the template, and text without `$`, `#` and `\` renders
//! as itself.

use proptest::prelude::*;
use serde_json::json;
use vtl::{Engine, Limits, Profile};

/// Fragments that steer the lexer, parser and renderer through directives, references,
/// strings, comments and escapes far more often than random text would.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "$", "$!", "${", "$!{", "#", "#if(", "#elseif(", "#else", "#{else}", "#end", "#{end}",
    "#set(", "#foreach(", " in ", "#macro(", "#define(", "#evaluate(", "#break", "#stop",
    "#include(", "#parse(", "#@", "#[[", "]]#", "(", ")", "[", "]", "{", "}", "\"", "'", "\\",
    "\\\\", "##", "#*", "*#", ".", "..", ",", ":", "=", "==", "!=", "!", "&&", "||", "+", "-",
    "*", "/", "%", "<", ">=", " ", "\t", "\n", "\r\n", "true", "false", "null", "a", "b",
    "foo", "list", "map", "n", "s", "x1", "_y", "foreach", "velocityCount", "hasNext", "size",
    "get", "0", "1", "42", "-7", "3.5", "1e3", "é", "😀",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,6}",
        1 => "[0-9]{1,4}",
    ]
}

/// A random concatenation of VTL-ish tokens.
fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..64).prop_map(|t| t.concat())
}

/// Engines for both profiles with small limits, so that runaway templates stop quickly.
fn engines() -> [Engine; 2] {
    [Profile::Velocity, Profile::Aws].map(|p| {
        Engine::new(p).with_limits(Limits {
            fuel: 100_000,
            max_output: 100_000,
            max_range: 100_000,
            ..Limits::for_profile(p)
        })
    })
}

fn vars() -> serde_json::Value {
    json!({
        "a": "text", "b": 2, "s": "héllo", "n": null, "foo": true,
        "list": [1, "two", 3.5, null, [4], {"k": "v"}],
        "map": {"k": "v", "n": 1, "list": [1, 2], "map": {"x": "y"}},
    })
}

/// Compiles and renders `src` in both profiles; every error must be well formed.
fn check(src: &str) {
    let vars = vars();
    for engine in engines() {
        let result = engine.compile(src).and_then(|t| t.render(&vars));
        if let Err(e) = result {
            if let Some(span) = e.span() {
                assert!(
                    span.start <= span.end && span.end <= src.len(),
                    "{:?}: error span {span:?} outside a {}-byte template: {e:?}",
                    engine.profile(),
                    src.len()
                );
            }
            // Both renderings of the error must work.
            let _ = e.to_string();
            let _ = format!("{:#}", e.with_name("t.vtl"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn token_soup_never_panics(src in soup()) {
        check(&src);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    /// Text with no `$`, `#` or `\` has nothing for the engine to interpret.
    #[test]
    fn plain_text_renders_as_itself(src in "[^$#\\\\]{0,200}") {
        for engine in engines() {
            let out = engine.compile(&src).and_then(|t| t.render(&json!({})));
            prop_assert_eq!(out.as_deref(), Ok(src.as_str()), "profile {:?}", engine.profile());
        }
    }
}
