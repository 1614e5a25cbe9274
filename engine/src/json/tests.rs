//! The json-smart parser and writer against outputs recorded from the Java library.

use super::*;
use crate::print::{
    to_json_smart, try_write_json_smart, write_json_smart, write_json_smart_string,
};
use crate::value::{Entries, ListKind};

/// Class-annotated dump, in the shape of the Java probe used to record the expectations.
fn desc(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Map(m) => {
            let inner: Vec<String> = m
                .entries
                .borrow()
                .iter()
                .map(|(k, v)| format!("{}: {}", desc(&k.0), desc(v)))
                .collect();
            format!("LinkedHashMap{{{}}}", inner.join(", "))
        }
        Value::List(l) => {
            let inner: Vec<String> = l.items.borrow().iter().map(desc).collect();
            format!("JSONArray[{}]", inner.join(", "))
        }
        other => {
            let class = other.class_name();
            let short = class.rsplit('.').next().unwrap_or(class);
            format!("{short}({})", other.to_java_string().unwrap_or_default())
        }
    }
}

fn parsed(text: &str) -> String {
    match parse_json_smart(text) {
        Ok(v) => format!("{}  ||  {}", desc(&v), to_json_smart(&v)),
        Err(_) => "ERROR".into(),
    }
}

// Expected strings recorded from json-smart 2.2 through Jayway's JsonSmartJsonProvider.
#[test]
fn numbers() {
    let cases = [
        ("1", "Integer(1)  ||  1"),
        ("-0", "Integer(0)  ||  0"),
        ("-0.0", "Double(-0.0)  ||  -0.0"),
        ("1.50", "Double(1.5)  ||  1.5"),
        ("1e3", "Double(1000.0)  ||  1000.0"),
        ("1.0E400", "Double(Infinity)  ||  null"),
        ("2147483648", "Long(2147483648)  ||  2147483648"),
        ("-2147483648", "Integer(-2147483648)  ||  -2147483648"),
        (
            "9223372036854775808",
            "BigInteger(9223372036854775808)  ||  9223372036854775808",
        ),
        (
            "-9223372036854775808",
            "Long(-9223372036854775808)  ||  -9223372036854775808",
        ),
        (
            "1.0000000000000000001",
            "BigDecimal(1.0000000000000000001)  ||  1.0000000000000000001",
        ),
        ("1.0000000000000000", "Double(1.0)  ||  1.0"),
        (
            "1.7976931348623157E308",
            "BigDecimal(1.7976931348623157E+308)  ||  1.7976931348623157E+308",
        ),
        ("0.00000000000000000", "BigDecimal(0E-17)  ||  0E-17"),
        (
            "0.000000123456789012345",
            "BigDecimal(1.23456789012345E-7)  ||  1.23456789012345E-7",
        ),
        (
            "100000000000000000.0E10",
            "BigDecimal(1.000000000000000000E+27)  ||  1.000000000000000000E+27",
        ),
        (
            "12345678901234567890123.5e-3",
            "BigDecimal(12345678901234567890.1235)  ||  12345678901234567890.1235",
        ),
        ("0000000000000000000.5", "BigDecimal(0.5)  ||  0.5"),
        ("01", "Integer(1)  ||  1"),
        ("-", "Integer(0)  ||  0"),
        ("5.", "Double(5.0)  ||  5.0"),
        ("-.5", "Double(-0.5)  ||  -0.5"),
        ("1.e5", "Double(100000.0)  ||  100000.0"),
        ("NaN", "Float(NaN)  ||  NaN"),
        ("[-]", "JSONArray[Integer(0)]  ||  [0]"),
        ("[1e-]", "ERROR"),
        ("-.", "ERROR"),
        ("1e99999999999999999999", "ERROR"),
        ("1e+", "ERROR"),
    ];
    for (input, want) in cases {
        assert_eq!(parsed(input), want, "input {input:?}");
    }
}

#[test]
fn permissive_text() {
    let cases = [
        (".5", "String(.5)  ||  \".5\""),
        ("1e", "String(1e)  ||  \"1e\""),
        ("+1", "String(+1)  ||  \"+1\""),
        ("Infinity", "String(Infinity)  ||  \"Infinity\""),
        ("123abc", "String(123abc)  ||  \"123abc\""),
        ("1 2", "String(1 2)  ||  \"1 2\""),
        ("True", "String(True)  ||  \"True\""),
        ("", "String()  ||  \"\""),
        (" ", "String()  ||  \"\""),
        ("abc def", "String(abc def)  ||  \"abc def\""),
        ("<a>x</a>", "String(<a>x</a>)  ||  \"<a>x<\\/a>\""),
        ("\"abc\"", "String(abc)  ||  \"abc\""),
        ("\"abc", "ERROR"),
        ("'single'", "String(single)  ||  \"single\""),
        ("null", "null  ||  null"),
        ("true x", "String(true x)  ||  \"true x\""),
        ("\u{b}{}", "String({})  ||  \"{}\""),
        ("\u{1a}", "String()  ||  \"\""),
        ("}", "ERROR"),
    ];
    for (input, want) in cases {
        assert_eq!(parsed(input), want, "input {input:?}");
    }
}

#[test]
fn permissive_structures() {
    let cases = [
            ("[1,]", "JSONArray[Integer(1)]  ||  [1]"),
            ("[,1]", "JSONArray[Integer(1)]  ||  [1]"),
            ("{\"a\":1,}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{a:1}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{'a':'b'}", "LinkedHashMap{String(a): String(b)}  ||  {\"a\":\"b\"}"),
            ("{a:b c}", "LinkedHashMap{String(a): String(b c)}  ||  {\"a\":\"b c\"}"),
            ("{\"a\":1} x", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{\"a\":1}}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{\"a\":1,\"a\":2}", "LinkedHashMap{String(a): Integer(2)}  ||  {\"a\":2}"),
            ("[abc, def]", "JSONArray[String(abc), String(def)]  ||  [\"abc\",\"def\"]"),
            ("[1é]", "JSONArray[Integer(1), String(é)]  ||  [1,\"é\"]"),
            ("[1~]", "JSONArray[Integer(1), String(~)]  ||  [1,\"~\"]"),
            ("[\"a\" \"b\"]", "JSONArray[String(a), String(b)]  ||  [\"a\",\"b\"]"),
            ("{\"a\":,\"b\":1}", "LinkedHashMap{String(a): String(), String(b): Integer(1)}  ||  {\"a\":\"\",\"b\":1}"),
            ("{a b:1}", "LinkedHashMap{String(a b): Integer(1)}  ||  {\"a b\":1}"),
            ("{\"a\":1 \"b\":2}", "LinkedHashMap{String(a): String(1 \"b\":2)}  ||  {\"a\":\"1 \\\"b\\\":2\"}"),
            ("[1 [2]]", "JSONArray[String(1 [2)]  ||  [\"1 [2\"]"),
            ("[[1] 2]", "JSONArray[JSONArray[Integer(1)], Integer(2)]  ||  [[1],2]"),
            ("[{\"a\":1} {\"b\":2}]", "JSONArray[LinkedHashMap{String(a): Integer(1)}, LinkedHashMap{String(b): Integer(2)}]  ||  [{\"a\":1},{\"b\":2}]"),
            ("{\"a\"}", "ERROR"),
            ("{a}", "ERROR"),
            ("{:1}", "ERROR"),
            ("{\"a\":[}", "ERROR"),
            ("{\"a\":\"b\" x}", "ERROR"),
            ("[1,\u{1a}]", "ERROR"),
        ];
    for (input, want) in cases {
        assert_eq!(parsed(input), want, "input {input:?}");
    }
}

#[test]
fn strings_and_escapes() {
    let cases = [
        (
            r#"["\u00e9\x41\q\\"]"#,
            "JSONArray[String(éA\\)]  ||  [\"éA\\\\\"]",
        ),
        (r#"["\ud83d\ude00"]"#, "JSONArray[String(😀)]  ||  [\"😀\"]"),
        (r#"["\u12"]"#, "ERROR"),
        (r#"["\u12g4"]"#, "ERROR"),
        (
            "[\"a\u{1}b\"]",
            "JSONArray[String(a\u{1}b)]  ||  [\"a\\u0001b\"]",
        ),
        (
            "[\"a\u{1}b\\n\"]",
            "JSONArray[String(ab\n)]  ||  [\"ab\\n\"]",
        ),
        ("[\"a\u{1a}b\\n\"]", "ERROR"),
        (r#"["\é"]"#, "JSONArray[String()]  ||  [\"\"]"),
        ("['a\"b']", "JSONArray[String(a\"b)]  ||  [\"a\\\"b\"]"),
        (
            r#"{"a\u0000b":1}"#,
            "LinkedHashMap{String(a\u{0}b): Integer(1)}  ||  {\"a\\u0000b\":1}",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(parsed(input), want, "input {input:?}");
    }
}

#[test]
fn depth_limit() {
    let ok = format!("{}{}", "[".repeat(400), "]".repeat(400));
    assert!(parse_json_smart(&ok).is_ok());
    let too_deep = format!("{}{}", "[".repeat(401), "]".repeat(401));
    assert!(parse_json_smart(&too_deep).is_err());
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(400), "}".repeat(400));
    assert!(parse_json_smart(&deep_objects).is_ok());
    // Many sibling objects are fine (Debian's 2.2 wrongly rejects this one).
    let siblings = format!("[{}]", vec!["{\"a\":1}"; 1000].join(","));
    assert!(parse_json_smart(&siblings).is_ok());
    // Deep unterminated input fails without exhausting the stack.
    assert!(parse_json_smart(&"[{\"a\":".repeat(100_000)).is_err());
}

#[test]
fn escaping_table() {
    let mut out = String::new();
    write_json_smart_string("\u{0}\u{8}\t\n\u{b}\u{c}\r\u{1f} \"/\\\u{7f}\u{9f}\u{a0}é\u{2000}\u{2028}\u{20ff}\u{2100}😀", &mut out);
    assert_eq!(
            out,
            "\"\\u0000\\b\\t\\n\\u000B\\f\\r\\u001F \\\"\\/\\\\\\u007F\\u009F\u{a0}é\\u2000\\u2028\\u20FF\u{2100}😀\""
        );
}

#[test]
fn writer_shapes() {
    let v = parse_json_smart(
        r#"{"u":"http://x/y","f":1.50,"e":1e3,"s":"é","n":null,"l":[true,{"k":[]}]}"#,
    )
    .unwrap();
    assert_eq!(
        to_json_smart(&v),
        r#"{"u":"http:\/\/x\/y","f":1.5,"e":1000.0,"s":"é","n":null,"l":[true,{"k":[]}]}"#
    );
    // Non-string keys are written through toString(); host objects as `{}`.
    let mut m = Entries::default();
    m.insert(Key(Value::Int(1)), Value::str("one"));
    let list = Value::list(
        ListKind::ArrayList,
        vec![Value::map(m), Value::Long(10_000_000_000)],
    );
    assert_eq!(to_json_smart(&list), r#"[{"1":"one"},10000000000]"#);
}

#[test]
fn cyclic_write_is_bounded() {
    let list = Value::list(ListKind::JsonArray, vec![]);
    if let Value::List(l) = &list {
        l.items.borrow_mut().push(list.clone());
    }
    let mut out = String::new();
    assert!(try_write_json_smart(&list, &mut out).is_err());
    let mut out = String::new();
    write_json_smart(&list, &mut out);
    assert!(out.contains("[null]") && out.ends_with("]]"));
    if let Value::List(l) = &list {
        l.items.borrow_mut().clear(); // break the cycle so the Rc can be freed
    }
}

#[test]
fn big_decimal_strings() {
    let cases = [
        ("1.0000000000000000001", "1.0000000000000000001"),
        ("-0.00000000000000000", "0E-17"),
        ("1234567890123456789e-30", "1.234567890123456789E-12"),
        ("1.23456789012345678E+5", "123456.789012345678"),
        ("1E+5", "1E+5"),
        ("0.0000001", "1E-7"),
        ("0.000001", "0.000001"),
    ];
    for (input, want) in cases {
        assert_eq!(parse_big_decimal(input).unwrap().to_java_string(), want);
    }
    for bad in ["", "-", ".", "1e", "1e+", "1.2.3", "1e2147483648", "0x1"] {
        assert!(parse_big_decimal(bad).is_none(), "{bad}");
    }
}

#[test]
fn large_body_round_trips() {
    // A 1 MB body parses and writes back unchanged (json-smart's compact form is this
    // body's own). How long it takes is for the benchmarks, not for a test.
    let item = r#"{"id":12345,"name":"a \"quoted\" name","tags":["x","y"],"price":12.5},"#;
    let body = format!("[{}1]", item.repeat(15_000));
    assert!(body.len() > 1_000_000);
    let v = parse_json_smart(&body).unwrap();
    let mut out = String::new();
    write_json_smart(&v, &mut out);
    assert_eq!(out, body);
}

/// `$input.json('$')` the plain way: parse, then write (null written as `""`).
fn parse_then_write(text: &str) -> Result<(String, bool), String> {
    let v = parse_json_smart(text).map_err(|e| e.message)?;
    let null = v.is_null();
    let v = if null { Value::str("") } else { v };
    let mut out = String::new();
    write_json_smart(&v, &mut out);
    Ok((out, null))
}

/// The same through the writer that builds no values (after text already in `out`).
fn streamed(text: &str) -> Result<(String, bool), String> {
    let mut out = String::from("before");
    let result = write_json_smart_of_text(text, &mut out);
    match result {
        Ok(null) => Ok((out["before".len()..].to_string(), null)),
        Err(e) => {
            assert_eq!(out, "before", "{text:?}: a failed write leaves the text");
            Err(e.message)
        }
    }
}

fn assert_same(text: &str) {
    assert_eq!(streamed(text), parse_then_write(text), "input {text:?}");
}

/// Every string under a `body` key of the conformance corpus and the benchmark cases.
fn corpus_bodies() -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    match v {
                        serde_json::Value::String(s) if k == "body" => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![root.join("conformance/cases"), root.join("benches/cases")];
    let mut bodies = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Ok(v) = serde_json::from_str(&text) {
                    walk(&v, &mut bodies);
                }
            }
        }
    }
    bodies
}

#[test]
fn writing_while_reading_equals_parse_then_write_on_the_corpus() {
    let bodies = corpus_bodies();
    assert!(bodies.len() > 100, "found {} bodies", bodies.len());
    for body in &bodies {
        assert_same(body);
    }
}

#[test]
fn writing_while_reading_equals_parse_then_write_on_odd_input() {
    let cases = [
        "",
        " ",
        "null",
        " null ",
        "null x",
        "nul",
        "true",
        "false x",
        "NaN",
        "Nan",
        "[NaN]",
        "-",
        "-0",
        "-0.0",
        "1.50",
        "1e3",
        "1.0E400",
        "2147483648",
        "9223372036854775808",
        "-9223372036854775808",
        "123456789012345678901234567890",
        "1.0000000000000000001",
        "0.00000000000000000",
        "01",
        "5.",
        "-.5",
        "1.e5",
        "[-]",
        "[1e-]",
        "-.",
        "1e+",
        "1e99999999999999999999",
        ".5",
        "1e",
        "+1",
        "0x10",
        "Infinity",
        "123abc",
        "1 2",
        "abc def",
        "<a>x</a>",
        "\"abc\"",
        "\"abc",
        "'single'",
        "\u{b}{}",
        "\u{1a}",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{a:1}",
        "{'a':'b'}",
        "{a:b c}",
        "{\"a\":1} x",
        "{\"a\":1}}",
        "[abc, def]",
        "[1é]",
        "[1~]",
        "[\"a\" \"b\"]",
        "{\"a\":,\"b\":1}",
        "{a b:1}",
        "{\"a\":1 \"b\":2}",
        "[1 [2]]",
        "[[1] 2]",
        "[{\"a\":1} {\"b\":2}]",
        "{\"a\"}",
        "{a}",
        "{:1}",
        "{\"a\":[}",
        "{\"a\":\"b\" x}",
        "[1,\u{1a}]",
        r#"["\u00e9\x41\q\\"]"#,
        r#"["\ud83d\ude00"]"#,
        r#"["\ud83d"]"#,
        r#"["\u12"]"#,
        r#"["\u12g4"]"#,
        "[\"a\u{1}b\"]",
        "[\"a\u{1}b\\n\"]",
        "[\"a\u{1a}b\\n\"]",
        r#"["\é"]"#,
        "['a\"b']",
        r#"{"a\u0000b":1}"#,
        "[\"/\u{2028}\u{85}\u{7f}\"]",
        "{\"u\":\"http://x/y\",\"f\":1.50,\"n\":null,\"l\":[true,{\"k\":[]}]}",
        // Repeated keys: the first place, the last value, at every level.
        "{\"a\":1,\"b\":2,\"a\":3}",
        "{\"a\":{\"x\":1,\"x\":[2]},\"b\":0,\"a\":{\"y\":[1,{\"z\":1,\"z\":2}],\"y\":5}}",
        "{a:1, a :2, 'a':3}",
        r#"{"\u0061":1,"a":2,"b":{}}"#,
        "[{\"k\":1,\"k\":2},{\"k\":3,\"j\":4,\"k\":5}]",
        "{\"a\":1,\"a\":2,}x",
        "{\"a\":1,\"a\":{\"b\":1,\"b\":}}",
    ];
    for text in cases {
        assert_same(text);
    }
    // Objects with many keys, some repeated.
    let many: Vec<String> = (0..40).map(|i| format!("\"k{}\":{i}", i % 23)).collect();
    assert_same(&format!("{{{}}}", many.join(",")));
    let distinct: Vec<String> = (0..40).map(|i| format!("\"k{i}\":[{i}]")).collect();
    assert_same(&format!("{{{}}}", distinct.join(",")));
}

#[test]
fn writing_while_reading_equals_parse_then_write_on_deep_input() {
    for depth in [399, 400, 401] {
        assert_same(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        assert_same(&format!(
            "{}1{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        ));
    }
    let too_deep = streamed(&"[{\"a\":".repeat(100_000));
    assert!(too_deep.unwrap_err().contains("Malicious payload"));
}

/// Parsing with a selection: the same error as the whole parse, and every path that
/// starts with one of the chains reads the same value from the pruned document.
fn assert_selection_reads_the_same(text: &str, chains: &[Vec<&str>]) {
    use crate::aws::jsonpath::JsonPath;
    let Some(selection) = Selection::new(chains.iter().cloned()) else {
        return;
    };
    let whole = parse_json_smart(text);
    let pruned = parse_json_smart_selected(text, true, Some(&selection));
    let (whole, pruned) = match (whole, pruned) {
        (Ok(w), Ok(p)) => (w, p),
        (Err(w), Err(p)) => {
            assert_eq!(w.message, p.message, "{text:?} {chains:?}");
            return;
        }
        (w, p) => panic!("{text:?} {chains:?}: {w:?} against {p:?}"),
    };
    for chain in chains {
        let base = format!(
            "${}",
            chain.iter().map(|n| format!("['{n}']")).collect::<String>()
        );
        for tail in ["", "[0]", ".*", "..k", "[*].k", ".length()", "['k','j']"] {
            let Ok(path) = JsonPath::compile(&format!("{base}{tail}")) else {
                continue;
            };
            if path.selected_chain().is_none() {
                continue;
            }
            let (w, p) = (path.read_or_null(&whole), path.read_or_null(&pruned));
            assert_eq!(
                to_json_smart(&w),
                to_json_smart(&p),
                "{text:?} {}",
                path.source()
            );
        }
    }
}

/// Chains made of the document's own keys (down to three levels), so that selections
/// pick real parts of it.
fn chains_of(text: &str) -> Vec<Vec<Vec<String>>> {
    fn keys(v: &Value) -> Vec<String> {
        match v {
            Value::Map(m) => m
                .entries
                .borrow()
                .keys()
                .take(3)
                .map(|k| k.0.as_str().unwrap_or("").to_string())
                .collect(),
            _ => Vec::new(),
        }
    }
    fn child(v: &Value, name: &str) -> Value {
        match v {
            Value::Map(m) => m.get_str(name).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
    let Ok(doc) = parse_json_smart(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in keys(&doc) {
        let below = child(&doc, &a);
        out.push(vec![vec![a.clone()]]);
        let mut deeper = Vec::new();
        for b in keys(&below) {
            deeper.push(vec![a.clone(), b.clone()]);
            for c in keys(&child(&below, &b)) {
                out.push(vec![vec![a.clone(), b.clone(), c]]);
            }
        }
        out.push(deeper);
    }
    out
}

#[test]
fn a_selection_reads_what_the_whole_document_does() {
    let fixed: Vec<Vec<Vec<&str>>> = vec![
        vec![vec!["a"]],
        vec![vec!["a", "x"]],
        vec![vec!["a", "x"], vec!["b"]],
        vec![vec!["a", "y", "z"], vec!["k"], vec!["a", "x"]],
        vec![vec!["a", "y"], vec!["a"]],
        vec![vec!["k", "j"], vec!["k", "k"]],
        vec![vec!["order", "customer"], vec!["order", "id"]],
    ];
    let mut texts = corpus_bodies();
    texts.extend(
        [
            "{\"a\":{\"x\":1,\"x\":[2]},\"b\":0,\"a\":{\"y\":[1,{\"z\":1,\"z\":2}],\"y\":5}}",
            "{\"a\":{\"x\":1},\"a\":7}",
            "{\"a\":[{\"x\":1,\"k\":2}],\"b\":{\"x\":{}}}",
            "{a:{x:'1', y:{z:[1,2]}}, k:{k:1,j:[2]}} tail",
            "[{\"a\":1}]",
            "\"a\"",
            "{\"a\":{\"x\":[}",
            "{\"b\":{\"x\":1},\"a\":{\"x\":{\"k\":2}},\"a\"",
            "{\"a\":{\"y\":{\"z\":\"\\u00e9\"},\"q\":[[{}]]}}",
        ]
        .map(String::from),
    );
    assert!(texts.len() > 100);
    for text in &texts {
        for chains in &fixed {
            assert_selection_reads_the_same(text, chains);
        }
        for chains in chains_of(text) {
            let chains: Vec<Vec<&str>> = chains
                .iter()
                .map(|c| c.iter().map(String::as_str).collect())
                .collect();
            assert_selection_reads_the_same(text, &chains);
        }
    }
}

#[test]
fn a_selection_leaves_out_what_no_chain_names() {
    let selection = Selection::new([vec!["a", "x"], vec!["b"]]).unwrap();
    let doc = parse_json_smart_selected(
        r#"{"a":{"x":{"p":1},"y":[1,2]},"b":[{"q":2}],"c":{"x":1}}"#,
        true,
        Some(&selection),
    )
    .unwrap();
    assert_eq!(to_json_smart(&doc), r#"{"a":{"x":{"p":1}},"b":[{"q":2}]}"#);
    assert!(
        Selection::new([vec!["a"], vec![]]).is_none(),
        "the whole document"
    );
}

/// Random text over the characters that steer the parser, compared both ways.
#[test]
fn writing_while_reading_equals_parse_then_write_on_random_input() {
    const PIECES: [&str; 30] = [
        "{", "}", "[", "]", ",", ":", "\"", "'", "\\", "a", "b", "1", "-", ".", "e", "E", "+",
        "null", "true", "NaN", "0", " ", "\n", "\u{1a}", "é", "\\u00", "\"k\"", "\"k\":", "9",
        "\u{1}",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..30_000 {
        let len = (next() % 24) as usize;
        let mut text = String::new();
        // Most start like JSON, so that the structures get exercised.
        if next() % 4 != 0 {
            text.push(if next() % 2 == 0 { '{' } else { '[' });
        }
        for _ in 0..len {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        assert_same(&text);
    }
}

/// Both ways charge the same fuel and memory (for documents without repeated keys), and
/// both fail under a budget too small for the document.
#[test]
fn writing_while_reading_charges_what_parse_then_write_does() {
    let body = r#"{"a":[1,2.5,"x",{"b":null,"c":12345678901234567890123}],"d":"\/é","e":true}"#;
    let left = |f: &dyn Fn()| {
        let _scope = crate::budget::install(1_000_000, 1_000_000, usize::MAX);
        f();
        (crate::budget::fuel_left(), crate::budget::memory_left())
    };
    let plain = left(&|| {
        parse_then_write(body).unwrap();
    });
    let stream = left(&|| {
        streamed(body).unwrap();
    });
    assert_eq!(stream, plain);
    assert!(plain.0 < 1_000_000 && plain.1 < 1_000_000);
    for (fuel, memory) in [(1, 1_000_000), (1_000_000, 200), (5, 1_000_000)] {
        let _scope = crate::budget::install(fuel, memory, usize::MAX);
        let _ = streamed(body);
        assert!(
            crate::budget::tripped().is_some(),
            "fuel {fuel}, memory {memory}"
        );
    }
}
