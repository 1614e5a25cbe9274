//! Property tests: compiling and rendering random soups of VTL-ish tokens, and random templates
//! of properly nested directives, never panics in either profile; errors point inside the
//! template; and text without `$`, `#` and `\` renders as itself.

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

/// Names the generated templates use: most are defined by [`vars`] or by `#set`.
#[rustfmt::skip]
const NAMES: &[&str] = &["a", "b", "s", "n", "foo", "list", "map", "i", "v", "undefined"];

fn name() -> impl Strategy<Value = String> {
    proptest::sample::select(NAMES).prop_map(str::to_string)
}

/// A reference: `$x`, `$!x`, `${x}`, with properties and method calls.
fn reference(arg: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    #[rustfmt::skip]
    const METHODS: &[&str] = &[
        "size", "get", "isEmpty", "toString", "substring", "contains", "keySet", "put", "add",
        "remove", "length", "toUpperCase", "indexOf", "split", "equals", "entrySet", "values",
    ];
    let suffix = prop_oneof![
        proptest::sample::select(&["k", "n", "list", "size", "empty", "class", "first"][..])
            .prop_map(|p| format!(".{p}")),
        (
            proptest::sample::select(METHODS),
            proptest::collection::vec(arg, 0..3),
        )
            .prop_map(|(m, args)| format!(".{m}({})", args.join(", "))),
    ];
    (
        proptest::sample::select(&["$", "$!", "${", "$!{"][..]),
        name(),
        proptest::collection::vec(suffix, 0..3),
    )
        .prop_map(|(sigil, name, suffixes)| {
            let close = if sigil.ends_with('{') { "}" } else { "" };
            format!("{sigil}{name}{}{close}", suffixes.concat())
        })
}

/// What Velocity 1.7 accepts as a method argument, list element or macro argument: literals,
/// references, lists, maps and ranges (no operators).
fn param() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        (-5i64..100).prop_map(|n| n.to_string()),
        proptest::sample::select(&["2147483647", "9223372036854775807", "1.5", "-0.0", "1e3"][..])
            .prop_map(str::to_string),
        "[a-z $]{0,5}".prop_map(|s| format!("\"{s}\"")),
        "[a-z]{0,5}".prop_map(|s| format!("'{s}'")),
        proptest::sample::select(&["true", "false", "$a", "$list", "$map", "$n", "$i"][..])
            .prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let bound = prop_oneof![
            (-3i64..20).prop_map(|n| n.to_string()),
            Just("$b".to_string())
        ];
        prop_oneof![
            reference(inner.clone()),
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            proptest::collection::vec((inner.clone(), inner), 0..3).prop_map(|kv| {
                let kv: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", kv.join(", "))
            }),
            (bound.clone(), bound).prop_map(|(a, b)| format!("[{a}..{b}]")),
        ]
    })
    .boxed()
}

/// An expression (`#set` right-hand sides, conditions): parameters joined by operators.
fn expr() -> BoxedStrategy<String> {
    #[rustfmt::skip]
    const OPERATORS: &[&str] = &[
        "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "and", "or", "eq", "lt",
    ];
    param()
        .prop_recursive(3, 16, 2, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    proptest::sample::select(OPERATORS),
                    inner.clone()
                )
                    .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
                inner.clone().prop_map(|e| format!("!{e}")),
                inner.prop_map(|e| format!("({e})")),
            ]
        })
        .boxed()
}

/// Arguments of generated `#evaluate` calls.
#[rustfmt::skip]
const EVALUATED: &[&str] = &[
    "$a", "$s", "'$a#if(true)x#end'", "\"#set($v = $b + 1)$v\"", "'#m($a)'", "'#end'",
];

/// Fixed statements mixed into generated templates (`#m` is the macro they may define).
#[rustfmt::skip]
const SNIPPETS: &[&str] = &[
    "#break", "#stop", "#[[raw $a #if]]#", "## note\n", "#* block *#", "\\$a", "\\#if",
    "$foreach.count", "$foreach.hasNext", "$velocityCount", "#m()", "#m($a $b)", "$d", "$!d",
];

/// A template built from directives that nest properly (so that most of them compile and the
/// renderer gets exercised, not only the parser).
fn template() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z ,.:{}\"\n]{0,8}",
        reference(param()),
        (name(), expr()).prop_map(|(n, e)| format!("#set(${n} = {e})")),
        proptest::sample::select(EVALUATED).prop_map(|e| format!("#evaluate({e})")),
        param().prop_map(|e| format!("#m({e})")),
        proptest::sample::select(SNIPPETS).prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let body = proptest::collection::vec(inner, 0..5).prop_map(|v| v.concat());
        prop_oneof![
            body.clone(),
            (expr(), body.clone(), body.clone())
                .prop_map(|(c, t, e)| format!("#if({c}){t}#else{e}#end")),
            (expr(), body.clone(), expr(), body.clone())
                .prop_map(|(c, t, c2, e)| format!("#if({c}){t}#elseif({c2}){e}#end")),
            (name(), param(), body.clone())
                .prop_map(|(n, e, b)| format!("#foreach(${n} in {e}){b}#end")),
            (body.clone(), name()).prop_map(|(b, p)| format!("#macro(m ${p}){b}#end")),
            body.clone().prop_map(|b| format!("#define($d){b}#end")),
            body.prop_map(|b| format!("#@m(){b}#end")),
        ]
    })
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
    fn nested_directives_never_panic(src in template()) {
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
