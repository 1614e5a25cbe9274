//! `vtl dump`: exact token and tree listings of the built binary.

mod common;

use common::{parts, vtl};

#[test]
fn tokens_text_and_json() {
    let run = vtl(&["dump", "tokens", "hello.vtl"]);
    let stdout = r#"Text 0..6 "Hello "
Identifier 6..11 "$name"
Text 11..13 ", "
Identifier 13..19 "$title"
Text 19..21 ".\n"
"#;
    assert_eq!(parts(&run), (0, stdout, ""));
    let run = vtl(&["dump", "tokens", "hello.vtl", "--format", "json"]);
    let stdout = r#"[{"kind":"Text","start":0,"end":6,"text":"Hello "},{"kind":"Identifier","start":6,"end":11,"text":"$name"},{"kind":"Text","start":11,"end":13,"text":", "},{"kind":"Identifier","start":13,"end":19,"text":"$title"},{"kind":"Text","start":19,"end":21,"text":".\n"}]
"#;
    assert_eq!(parts(&run), (0, stdout, ""));
}

#[test]
fn ast_text_and_json() {
    let run = vtl(&["dump", "ast", "hello.vtl"]);
    let stdout = "Text \"Hello \" @0..6\nPrint $name @6..11\nText \", \" @11..13\nPrint $title @13..19\nText \".\\n\" @19..21\n";
    assert_eq!(parts(&run), (0, stdout, ""));
    let run = vtl(&["dump", "ast", "hello.vtl", "--format", "json"]);
    let stdout = r#"{"ast":"Text \"Hello \" @0..6\nPrint $name @6..11\nText \", \" @11..13\nPrint $title @13..19\nText \".\\n\" @19..21\n"}
"#;
    assert_eq!(parts(&run), (0, stdout, ""));
}

#[test]
fn syntax_error_exits_3() {
    let run = vtl(&["dump", "ast", "unclosed.vtl", "--error-format", "json"]);
    assert_eq!(run.code, 3);
    assert_eq!(run.stdout, "");
    let err: serde_json::Value = serde_json::from_str(run.stderr.trim_end()).unwrap();
    assert_eq!(err["kind"], "syntax");
    assert_eq!(
        (err["line"].as_u64(), err["column"].as_u64()),
        (Some(3), Some(1))
    );
    let run = vtl(&["dump", "ast", "missing.vtl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: missing.vtl: "),
        "{}",
        run.stderr
    );
}
