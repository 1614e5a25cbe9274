//! JsonPath reads against outputs recorded from Jayway JsonPath 2.0.0.

use super::compile::split_operators;
use super::*;
use crate::json::parse_json_smart;
use crate::print::to_json_smart;

const DOC: &str = r#"{"store":{"book":[{"category":"reference","author":"Nigel Rees","title":"Sayings","price":8.95},{"category":"fiction","author":"Evelyn Waugh","title":"Sword","price":12.99,"isbn":"0-553"},{"category":"fiction","author":"Herman","title":"Moby","isbn":"0-395","price":8.99},{"category":"fiction","author":"Tolkien","title":"Lord","isbn":"0-395-1","price":22.99}],"bicycle":{"color":"red","price":19.95}},"expensive":10,"arr":[1,"two",null,true,{"k":"v"},[5,6]],"n":null,"e":[],"o":{},"s":"str","a.b":1,"x y":2,"q'q":3}"#;

fn read(path: &str) -> String {
    let doc = parse_json_smart(DOC).unwrap();
    match JsonPath::compile(path).and_then(|p| p.read(&doc)) {
        Ok(v) => to_json_smart(&v),
        Err(e) => format!("EXC {:?}", e.kind),
    }
}

// Expected values recorded from Jayway JsonPath 2.0.0 over json-smart 2.2.
#[test]
fn basic_forms() {
    let cases = [
        ("$.store.book[0].author", "\"Nigel Rees\""),
        (
            "$.store.book[*].author",
            r#"["Nigel Rees","Evelyn Waugh","Herman","Tolkien"]"#,
        ),
        (
            "$..author",
            r#"["Nigel Rees","Evelyn Waugh","Herman","Tolkien"]"#,
        ),
        ("$.store..price", "[8.95,12.99,8.99,22.99,19.95]"),
        ("$..book[2].title", r#"["Moby"]"#),
        ("$..book[-1:].title", r#"["Lord"]"#),
        ("$..book[:2].price", "[8.95,12.99]"),
        ("$..book[1:3].price", "[12.99,8.99]"),
        ("$['store']['bicycle']", r#"{"color":"red","price":19.95}"#),
        ("$['a.b']", "1"),
        ("$['x y']", "2"),
        ("store.bicycle.color", "\"red\""),
        ("  $.s  ", "\"str\""),
        ("@.s", "\"str\""),
        (
            "$.store['bicycle','nope']",
            r#"{"bicycle":{"color":"red","price":19.95}}"#,
        ),
        (
            "$.store.book[0]['author','title']",
            r#"{"author":"Nigel Rees","title":"Sayings"}"#,
        ),
        ("$.arr[*]", r#"[1,"two",null,true,{"k":"v"},[5,6]]"#),
        ("$.arr[*].k", r#"["v"]"#),
        ("$.arr..k", r#"["v"]"#),
        ("$.arr[*].x", "[]"),
        ("$.n", "null"),
        ("$.e[*]", "[]"),
        ("$.o.*", "[]"),
        ("$.arr[0:2]", r#"[1,"two"]"#),
        ("$.arr[-2:]", r#"[{"k":"v"},[5,6]]"#),
        ("$.arr[:-2]", r#"[1,"two",null,true]"#),
        ("$.arr[1:-1]", "[]"),
        ("$.arr[:-10]", "[]"),
        ("$.arr[0,0]", "[1,1]"),
        ("$.arr[(@.length-1)]", "[5,6]"),
        ("$.arr[(@.size()-2)]", r#"{"k":"v"}"#),
        ("$.arr[5][1]", "6"),
        ("$.q'q", "EXC PathNotFound"),
        ("$.store..[0].title", r#"["Sayings","Sword","Moby","Lord"]"#),
    ];
    for (path, want) in cases {
        assert_eq!(read(path), want, "path {path}");
    }
}

#[test]
fn failures() {
    let cases = [
        ("$..book[-1]", "EXC PathNotFound"),
        ("$.arr[-1]", "EXC PathNotFound"),
        ("$.arr[-3:-1]", "EXC PathNotFound"),
        ("$.missing", "EXC PathNotFound"),
        ("$.missing.x", "EXC PathNotFound"),
        ("$.s.x", "EXC PathNotFound"),
        ("$.n.x", "EXC PathNotFound"),
        ("$.arr[10]", "EXC PathNotFound"),
        ("$.e[0]", "EXC PathNotFound"),
        ("$[\"store\"]", "EXC InvalidPath"),
        ("$.x y", "EXC InvalidPath"),
        ("$['store','expensive'].x", "EXC InvalidPath"),
        ("$.arr[0,10]", "EXC PathNotFound"),
        ("$.s[0]", "EXC InvalidPath"),
        ("$..[0]", "EXC PathNotFound"),
        ("$..", "EXC InvalidPath"),
        ("$.", "EXC InvalidPath"),
        ("$[0]", "EXC InvalidPath"),
        ("$ .store", "EXC InvalidPath"),
        ("$x", "EXC InvalidPath"),
        ("$.store.*.price", "EXC PathNotFound"),
        ("$.arr[*][0]", "EXC InvalidPath"),
        ("$.store.book[0,1].isbn", "EXC PathNotFound"),
        ("$.s[?(@)]", "EXC InvalidPath"),
        ("$.store.book.length()", "EXC PathNotFound"),
    ];
    for (path, want) in cases {
        assert_eq!(read(path), want, "path {path}");
    }
}

#[test]
fn filters() {
    let cases = [
        ("$..book[?(@.isbn)].title", r#"["Sword","Moby","Lord"]"#),
        ("$..book[?(@.price < 10)].title", r#"["Sayings","Moby"]"#),
        (
            "$.store.book[?(@.category == 'fiction')].title",
            r#"["Sword","Moby","Lord"]"#,
        ),
        (
            "$..book[?(@.price > 10 && @.isbn)].title",
            r#"["Sword","Lord"]"#,
        ),
        (
            "$..book[?(@.price > 20 || @.price < 9)].title",
            r#"["Sayings","Moby","Lord"]"#,
        ),
        ("$..book[?(@.author =~ /.*ee.*/)].title", r#"["Sayings"]"#),
        ("$..book[?(@.author =~ /.*EE.*/i)].title", r#"["Sayings"]"#),
        ("$..book[?(!@.isbn)].title", r#"["Sayings"]"#),
        ("$.arr[?(@.k)]", r#"[{"k":"v"}]"#),
        ("$.arr[?(@ == 1)]", "[1]"),
        ("$.store.book[?(@.price == 8.95)].title", r#"["Sayings"]"#),
        ("$.store.book[?(@.price == '8.95')].title", r#"["Sayings"]"#),
        ("$.store.book[?(@.title == Moby)].price", "[8.99]"),
        ("$.store.book[?(@.title > 'M')].price", "[8.95,12.99,8.99]"),
        ("$.store.book[?(@.nope == null)].price", "[]"),
        (
            "$.store.book[?(@.isbn != null)].price",
            "[12.99,8.99,22.99]",
        ),
        ("$.arr[?(@)]", r#"[1,"two",true,{"k":"v"},[5,6]]"#),
        ("$.arr[?(@ > 0)]", r#"[1,"two",true]"#),
        ("$.arr[?(@ == 'two')]", "EXC Other"),
        ("$.arr[?(@ == null)]", "[null]"),
        (
            "$..book[?(@.price < $.expensive)].title",
            r#"["Sayings","Moby"]"#,
        ),
        ("$..[?(@.color)]", r#"[{"color":"red","price":19.95}]"#),
        ("$.store.bicycle[?(@.color)].price", "[19.95]"),
        ("$..book[?(@.price > 10)][0]", "EXC InvalidPath"),
    ];
    for (path, want) in cases {
        assert_eq!(read(path), want, "path {path}");
    }
}

#[test]
fn shared_results_and_definiteness() {
    let doc = parse_json_smart(r#"{"a":[1],"m":{"k":1}}"#).unwrap();
    let p = JsonPath::compile("$.a").unwrap();
    assert!(p.is_definite());
    let Value::List(first) = p.read(&doc).unwrap() else {
        panic!("not a list")
    };
    first.items.borrow_mut().push(Value::Int(2));
    assert_eq!(to_json_smart(&p.read(&doc).unwrap()), "[1,2]");
    assert!(!JsonPath::compile("$.a[*]").unwrap().is_definite());
    assert_eq!(
        input_json(&doc, &JsonPath::compile("$.nope").unwrap()),
        "\"\""
    );
    assert_eq!(
        input_json(&doc, &JsonPath::compile("$.m").unwrap()),
        r#"{"k":1}"#
    );
    let cache = PathCache::new();
    let a = cache.get("$.m.k").unwrap();
    let b = cache.get("$.m.k").unwrap();
    assert!(Rc::ptr_eq(&a, &b));
}

#[test]
fn cyclic_documents_fail_cleanly() {
    let doc = parse_json_smart(r#"{"a":{"b":1}}"#).unwrap();
    if let Value::Map(m) = &doc {
        m.entries
            .borrow_mut()
            .insert(Key::from("self"), doc.clone());
    }
    let r = JsonPath::compile("$..b").unwrap().read(&doc);
    assert_eq!(r.unwrap_err().kind, PathErrorKind::Other);
    if let Value::Map(m) = &doc {
        m.entries.borrow_mut().clear();
    }
}

/// Replays the generated conformance cases whose templates are plain `$input`/`$util` calls
/// joined by `|`, computing each call with this module, `json` and `util` (the renderer is
/// not involved). Expectations come from the AWS model.
#[test]
fn conformance_cases_for_plain_calls() {
    use crate::aws::util;
    const CASES: &str = include_str!("../../../../conformance/cases/aws-src/jsonpath-util.jsonl");
    let mut checked = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap();
        let template = case["template"].as_str().unwrap();
        let body = case["body"].as_str().unwrap_or("");
        let body = if body.is_empty() { "{}" } else { body };
        let doc = parse_json_smart(body).unwrap_or(Value::Null);
        let print = |v: &Value| v.to_java_string().unwrap_or_default();
        let call = |expr: &str| -> Option<Result<String, ()>> {
            let quoted = |prefix: &str| -> Option<String> {
                let rest = expr.strip_prefix(prefix)?.strip_suffix(')')?;
                let q = rest.chars().next()?;
                Some(rest.strip_prefix(q)?.strip_suffix(q)?.to_string())
            };
            if expr == "$input.body" {
                return Some(Ok(body.to_string()));
            }
            if let Some(p) = quoted("$input.json(") {
                return Some(Ok(match JsonPath::compile(&p) {
                    Ok(p) => input_json(&doc, &p),
                    Err(_) => "\"\"".to_string(),
                }));
            }
            if let Some(p) = quoted("$input.path(") {
                let v = JsonPath::compile(&p)
                    .map(|p| p.read_or_null(&doc))
                    .unwrap_or(Value::Null);
                return Some(Ok(print(&v)));
            }
            let arg = JsonPath::compile("$.s").unwrap().read_or_null(&doc);
            let text = arg.as_str()?;
            let r = match expr {
                "$util.escapeJavaScript($input.path('$.s'))" => Ok(util::escape_javascript(text)),
                "$util.urlEncode($input.path('$.s'))" => Ok(util::url_encode(text)),
                "$util.urlDecode($input.path('$.s'))" => util::url_decode(text),
                "$util.base64Encode($input.path('$.s'))" => Ok(util::base64_encode(text)),
                "$util.base64Decode($input.path('$.s'))" => util::base64_decode(text),
                "#set($v = $util.parseJson($input.path('$.s')))[$v]" => {
                    util::parse_json(text).map(|v| format!("[{}]", print(&v)))
                }
                _ => return None,
            };
            Some(r.map_err(|_| ()))
        };
        let mut parts = Vec::new();
        let mut plain = true;
        for expr in template.split('|') {
            match call(expr) {
                Some(r) => parts.push(r),
                None => plain = false,
            }
        }
        if !plain {
            continue;
        }
        checked += 1;
        let got: Result<Vec<String>, ()> = parts.into_iter().collect();
        match (got, case.get("expected").and_then(|e| e.as_str())) {
            (Ok(parts), Some(want)) => assert_eq!(parts.join("|"), want, "case {id}"),
            (Err(()), None) => assert!(case.get("expected_error").is_some(), "case {id}"),
            (got, want) => panic!("case {id}: got {got:?}, want {want:?}"),
        }
    }
    assert!(checked > 200, "only {checked} plain cases");
}

#[test]
fn deep_documents_and_long_paths_stay_on_the_stack() {
    // A structure deeper than the parser allows (templates can build one), read through
    // long paths, on a thread with a 2 MiB stack (debug builds use big frames).
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut doc = Value::Int(7);
            for _ in 0..700 {
                doc = Value::list(ListKind::JsonArray, vec![doc]);
            }
            let path = JsonPath::compile(&format!("${}", "[0]".repeat(600))).unwrap();
            assert_eq!(path.read(&doc).unwrap_err().kind, PathErrorKind::Other);
            let path = JsonPath::compile(&format!("${}", "[0]".repeat(450))).unwrap();
            assert!(path.read(&doc).is_ok());
            let scan = JsonPath::compile("$..*").unwrap().read(&doc);
            assert_eq!(scan.unwrap_err().kind, PathErrorKind::Other);
            let mut out = String::new();
            crate::print::write_json_smart(&doc, &mut out);
            assert_eq!(out.len(), 1401);
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn operator_split() {
    assert_eq!(split_operators("a&&b"), vec!["a", "&&", "b"]);
    assert_eq!(split_operators("&&b||"), vec!["&&", "b", "||"]);
    assert_eq!(split_operators("a"), vec!["a"]);
}
