//! Property tests: the parser never panics and its error spans stay inside the template, for
//! arbitrary bytes and for random soups of VTL-ish tokens.

use proptest::prelude::*;
use vtl_grammar::{parse, ParseOptions};

/// Fragments that steer the lexer through its states (directives, references, strings,
/// comments, escapes) far more often than random text would.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "$", "$!", "${", "$!{", "#", "#if(", "#elseif(", "#else", "#{else}", "#end", "#{end}",
    "#set(", "#foreach(", " in ", "#macro(", "#define(", "#evaluate(", "#break", "#stop",
    "#include(", "#parse(", "#@", "#[[", "]]#", "(", ")", "[", "]", "{", "}", "\"", "'", "\\",
    "\\\\", "##", "#*", "*#", ".", "..", ",", ":", "=", "==", "!=", "!", "&&", "||", "+", "-",
    "*", "/", "%", "<", ">=", " ", "\t", "\n", "\r\n", "true", "false", "null", "a", "b",
    "foo", "list", "map", "x1", "_y", "foreach", "velocityCount", "0", "1", "42", "-7", "3.5",
    "1e3", "é", "😀",
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

fn check(src: &str) {
    if let Err(e) = parse(src, ParseOptions::default()) {
        assert!(
            e.span.start <= e.span.end && e.span.end <= src.len(),
            "error span {:?} outside a {}-byte template: {e:?}",
            e.span,
            src.len()
        );
        if let Some(open) = &e.opened_at {
            assert!(open.start <= open.end && open.end <= src.len(), "{e:?}");
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

    #[test]
    fn random_text_never_panics(src in any::<String>()) {
        check(&src);
    }
}

/// Openers that nest.
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "(", "[", "{", "#if(true)", "$a(", "${", "#foreach($i in $l)", "\"$a(", "#set($a = [",
    "#macro(m)", "#define($d)", "#{if}(true)",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Deep nesting is refused with an error, not a stack overflow.
    #[test]
    fn deep_nesting_never_overflows(
        open in proptest::sample::select(OPENERS),
        n in 0usize..3000,
    ) {
        check(&open.repeat(n));
    }
}
