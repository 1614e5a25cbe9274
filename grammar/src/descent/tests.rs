//! The recursive descent against the LR parser: on every template one of them accepts,
//! both give the same tree; where the descent gives up, the LR parser fails too (the
//! reported error is then the LR parser's by construction).

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::path::Path;

use proptest::prelude::*;

use super::{INTERPOLATION_COST, RECURSION_BUDGET};
use crate::parser::{parse_fast_for_test, parse_lr, ParseOptions};

/// Checks one template; returns whether the descent accepted it.
fn agree(src: &str, options: ParseOptions) -> bool {
    let budget = Cell::new(RECURSION_BUDGET);
    let fast = parse_fast_for_test(src, options, &RefCell::new(HashSet::new()), &budget);
    let lr = parse_lr(src, options);
    match fast {
        Ok(nodes) => {
            if lr.as_ref() != Ok(&nodes) {
                let (a, b) = (format!("{lr:?}"), format!("{:?}", Ok::<_, ()>(&nodes)));
                let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                let from = at.saturating_sub(300);
                panic!(
                    "the two parsers differ on {src:?}:\n  lr: …{}\n  rd: …{}",
                    a.get(from..(at + 100).min(a.len())).unwrap_or(&a),
                    b.get(from..(at + 100).min(b.len())).unwrap_or(&b),
                );
            }
            assert_eq!(budget.get(), RECURSION_BUDGET, "budget not given back");
            true
        }
        Err(_) => {
            assert!(
                lr.is_err() || budget.get() == 0,
                "the descent refused {src:?}, which the LR parser accepts: {lr:?}"
            );
            // What the public function reports is the LR parser's result.
            assert_eq!(crate::parse(src, options), lr, "{src:?}");
            false
        }
    }
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn walk(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let v: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                strings(&v, out);
            }
            Some("jsonl") => {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    let v: serde_json::Value = serde_json::from_str(line)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    strings(&v, out);
                }
            }
            _ => {}
        }
    }
}

/// Every string of the conformance cases (templates, and the bodies and outputs beside
/// them, which make more inputs) and of the benchmark cases, the templates the fuzz
/// target is seeded with.
#[test]
fn the_case_files_parse_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    walk(&root.join("conformance/cases"), &mut all);
    walk(&root.join("benches/cases"), &mut all);
    all.sort();
    all.dedup();
    assert!(
        all.len() > 1000,
        "only {} strings in the case files",
        all.len()
    );
    let accepted = all
        .iter()
        .filter(|src| agree(src, ParseOptions::default()))
        .count();
    // Most of the corpus is templates that parse: the descent must take them.
    assert!(accepted * 2 > all.len(), "{accepted} of {}", all.len());
}

#[test]
fn the_grammar_corners_parse_the_same() {
    for src in [
        "",
        "text $a $!b ${c} $!{d.e} \\$f \\\\$g $h.i.j() $k.l(1, 'x', [1..2], {'a': $b})",
        "$a[0][$b].c[\"k\"].d(true)[false]",
        "#set($a = 1 + 2 * 3 - -4 / 5 % 6)#set($b = !$a && $c || !!$d == $e != ($f < 1))",
        "#set($m = {})#set($l = [])#set($r = [$a..$b])#set($s = [1, 2.5, 'x', {}, []])",
        "#if($a)x#elseif($b)y#elseif($c)z#else w#end",
        "#if($a)#if($b)#end#{else}#end",
        "#foreach($i in [1..3])$i#{end}#foreach($i in $list)#break#end",
        "#macro(m $a $b)$a$b#end#m(1 2)#m('x', \"y$a\")",
        "#define($d)text#end$d #evaluate('#set($x = 1)')#stop after",
        "\"$a\" 'b' #[[ raw ]]# ## comment\n#* block *# \\#if \\\\#if #@blk()x#end",
        "#set($x = \"a $b #if($c)c#end \")",
        "#set($x = \"$a.b(\\\"q\\\")\")",
        "$a.b(",
        "#if(",
        "#set($a = )",
        "#foreach($i in $l)",
        "#macro(m)#m(x)#end#m(x)",
        "#macro()#end",
        "#foreach('a' in $b)#end",
        "#set($a = \"#if(\")",
        "#end",
        "#else",
        "$a.b($c.d($e.f($g)))",
        "$a[$b[$c[$d]]]",
        "#set($a = [[[[[1]]]]])",
        "#set($a = ((((1)))))",
    ] {
        agree(src, ParseOptions::default());
    }
}

/// Nesting beyond the recursion budget: the LR parser takes over, with the same result.
#[test]
fn deep_nesting_falls_back() {
    let options = ParseOptions {
        max_depth: 10_000,
        max_expr_depth: 10_000,
        ..ParseOptions::default()
    };
    for (open, close) in [("(", ")"), ("[", "]"), ("{'a': ", "}")] {
        let n = RECURSION_BUDGET + 10;
        let src = format!("#set($a = {}1{})", open.repeat(n), close.repeat(n));
        let budget = Cell::new(RECURSION_BUDGET);
        assert!(
            parse_fast_for_test(&src, options, &RefCell::new(HashSet::new()), &budget).is_err()
        );
        assert!(crate::parse(&src, options).is_ok(), "{open}");
        assert_eq!(crate::parse(&src, options), parse_lr(&src, options));
    }
    let n = RECURSION_BUDGET + 10;
    let src = format!("{}$x{}", "#if(true)".repeat(n), "#end".repeat(n));
    assert!(agree(&src, options), "blocks do not spend the budget");
}

/// The deepest nesting the descent takes (just within its budget) runs in a 128 KiB stack,
/// for each kind of nesting and for them mixed.
#[test]
fn the_recursion_budget_fits_a_small_stack() {
    const STACK: usize = 128 * 1024;
    let options = ParseOptions {
        max_depth: 10_000,
        max_expr_depth: 10_000,
        ..ParseOptions::default()
    };
    let n = RECURSION_BUDGET - 2;
    let templates = [
        format!("#set($a = {}1{})", "(".repeat(n), ")".repeat(n)),
        format!("#set($a = {}1{})", "[".repeat(n), "]".repeat(n)),
        format!("#set($a = {}1{})", "{1: ".repeat(n), "}".repeat(n)),
        format!("$a{}{}", "[$a".repeat(n), "]".repeat(n)),
        format!("$a{}{}", ".b($a".repeat(n), ")".repeat(n)),
        format!("#set($a = {}1{})", "(!-1 + ".repeat(n), ")".repeat(n)),
        format!(
            "#set($a = {}1{})",
            "[{1: $a.b(".repeat(n / 3),
            ")}]".repeat(n / 3)
        ),
        // Interpolated strings, each costing the budget of a few levels.
        format!(
            "#set($a = \"{}1{}\")",
            "[{1: $a.b(".repeat((n - INTERPOLATION_COST) / 3),
            ")}]".repeat((n - INTERPOLATION_COST) / 3)
        ),
        // Interpolated strings, each costing the budget of a few levels.
        format!(
            "#set($a = \"{}1{}\")",
            "[{1: $a.b(".repeat((n - INTERPOLATION_COST) / 3),
            ")}]".repeat((n - INTERPOLATION_COST) / 3)
        ),
    ];
    for src in templates {
        let (fast, src) = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let budget = Cell::new(RECURSION_BUDGET);
                let macros = RefCell::new(HashSet::new());
                (parse_fast_for_test(&src, options, &macros, &budget), src)
            })
            .expect("a thread")
            .join()
            .expect("no stack overflow");
        let fast = fast.unwrap_or_else(|_| panic!("the descent takes {}", &src[..40]));
        assert_eq!(Ok(fast), parse_lr(&src, options));
    }
}

/// Fragments that steer the lexer through its states far more often than random text.
    #[rustfmt::skip]
    const TOKENS: &[&str] = &[
        "$", "$!", "${", "$!{", "#", "#if(", "#elseif(", "#else", "#{else}", "#end", "#{end}",
        "#set(", "#foreach(", " in ", "#macro(", "#define(", "#evaluate(", "#break", "#stop",
        "#include(", "#parse(", "#@", "#[[", "]]#", "(", ")", "[", "]", "{", "}", "\"", "'",
        "\\", "\\\\", "##", "#*", "*#", ".", "..", ",", ":", "=", "==", "!=", "!", "&&", "||",
        "+", "-", "*", "/", "%", "<", ">=", " ", "\t", "\n", "true", "false", "a", "b", "foo",
        "x1", "0", "1", "42", "-7", "3.5", "1e3", "é", "$a", "$a.b", "$a.b(", "$a[", "#if($a)",
        "#set($a = ", "#foreach($i in $l)", "#macro(m $x)", "#m(", "\"$a\"", "'x'", "$!a.b()",
    ];

fn soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,6}",
        1 => "[0-9]{1,4}",
    ];
    proptest::collection::vec(token, 0..48).prop_map(|t| t.concat())
}

/// A name for a variable, property or method.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(&["a", "b", "foo", "input", "util", "x_1", "Item-2"][..])
            .prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
    ]
}

/// Templates built from the grammar (so that most of them parse), with the blanks and
/// spellings Velocity allows.
fn template() -> impl Strategy<Value = String> {
    let literal = prop_oneof![
        "-?[0-9]{1,3}",
        "-?[0-9]{1,2}\\.[0-9]{1,2}",
        "'[a-z $#]{0,4}'",
        "\"[a-z ]{0,3}(\\$[a-z]{1,2})?[a-z ]{0,2}\"",
        Just("true".to_string()),
        Just("false".to_string()),
    ];
    let reference = (
        proptest::sample::select(&["$", "$!", "${", "$!{"][..]),
        name(),
        proptest::collection::vec((0u8..4, name(), "-?[0-9]{1,2}"), 0..3),
    )
        .prop_map(|(start, root, parts)| {
            let mut out = format!("{start}{root}");
            for (kind, n, i) in parts {
                match kind {
                    0 => out.push_str(&format!(".{n}")),
                    1 => out.push_str(&format!(".{n}()")),
                    2 => out.push_str(&format!(".{n}({i}, 'x')")),
                    _ => out.push_str(&format!("[{i}]")),
                }
            }
            if start.ends_with('{') {
                out.push('}');
            }
            out
        })
        .boxed();
    // Method arguments, list items, map entries and directive arguments.
    let param = prop_oneof![literal, reference.clone()]
        .prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
                (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("{{{k}: {v}}}")),
                ("-?[0-9]{1,2}", "[0-9]{1,2}").prop_map(|(a, b)| format!("[{a}..{b}]")),
            ]
        })
        .boxed();
    let expr = param
        .clone()
        .prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (
                    inner.clone(),
                    proptest::sample::select(
                        &[
                            " + ", "-", " * ", "/", " % ", " == ", " != ", " < ", "<=", " > ",
                            ">=", " && ", " || ", " and ", " or ", " eq ", " lt ",
                        ][..]
                    ),
                    inner.clone()
                )
                    .prop_map(|(a, op, b)| format!("{a}{op}{b}")),
                inner.clone().prop_map(|a| format!("!{a}")),
                inner.clone().prop_map(|a| format!("({a})")),
            ]
        })
        .boxed();
    let text = prop_oneof![
        "[a-z ]{1,6}",
        Just("\n".to_string()),
        Just("{\"k\": ".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just("## note\n".to_string()),
        Just("#* block *#".to_string()),
        Just("\\$a".to_string()),
        Just("#[[ $raw ]]#".to_string()),
    ];
    let statement = prop_oneof![
        3 => text,
        3 => reference.clone(),
        2 => (reference.clone(), expr.clone())
            .prop_map(|(r, e)| format!("#set({} = {e})", r.replace('!', ""))),
        1 => Just("#stop".to_string()),
        1 => Just("#break".to_string()),
        1 => (name(), proptest::collection::vec(param.clone(), 0..3), " |, ")
            .prop_map(|(n, args, sep)| format!("#{n}({})", args.join(&sep))),
    ];
    statement.prop_recursive(3, 32, 4, move |body| {
        let block = proptest::collection::vec(body, 0..4).prop_map(|v| v.concat());
        prop_oneof![
            (
                expr.clone(),
                block.clone(),
                proptest::option::of((expr.clone(), block.clone())),
                proptest::option::of(block.clone())
            )
                .prop_map(|(c, b, elif, otherwise)| {
                    let mut out = format!("#if({c}){b}");
                    if let Some((c2, b2)) = elif {
                        out.push_str(&format!("#elseif({c2}){b2}"));
                    }
                    if let Some(o) = otherwise {
                        out.push_str(&format!("#else{o}"));
                    }
                    out + "#end"
                }),
            (name(), param.clone(), block.clone())
                .prop_map(|(v, e, b)| format!("#foreach(${v} in {e}){b}#end")),
            (name(), block.clone()).prop_map(|(n, b)| format!("#macro({n} $p){b}#end#{n}(1)")),
            (reference.clone(), block.clone()).prop_map(|(r, b)| format!("#define({r}){b}#end")),
            block,
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn token_soups_parse_the_same(src in soup()) {
        agree(&src, ParseOptions::default());
    }

    #[test]
    fn grammar_built_templates_parse_the_same(
        parts in proptest::collection::vec(template(), 1..6)
    ) {
        agree(&parts.concat(), ParseOptions::default());
    }
}
