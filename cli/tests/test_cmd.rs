//! `vtl test`: runs the built binary on copies of `fixtures-test/` and the shipped examples,
//! checking stdout, stderr and the exit status exactly.

mod common;

use std::path::Path;

use common::{vtl_at as vtl, Scratch};

impl Scratch {
    /// A scratch copy of `fixtures-test/`.
    fn new(tag: &str) -> Scratch {
        Scratch::copy_of("fixtures-test", &format!("test-cmd-{tag}"))
    }
}

#[test]
fn passing_folders() {
    let s = Scratch::new("pass");
    let (code, out, err) = vtl(
        &s.0,
        &[
            "test",
            "greet",
            "json-map",
            "xml-out",
            "override",
            "error-case",
        ],
    );
    assert_eq!(
        out,
        "PASS greet\nPASS json-map\nPASS xml-out\nPASS override\nPASS error-case\n\n5 passed, 0 failed\n"
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn everything_with_a_failure_and_a_skip() {
    let s = Scratch::new("all");
    let (code, out, err) = vtl(&s.0, &["test"]);
    assert_eq!(
        out,
        "FAIL bad-expect
  output differs
  --- expected
  +++ actual
  @@ -1,2 +1,2 @@
  -count: 3
  +count: 2
   same line
PASS error-case
PASS greet
PASS json-map
PASS override
PASS small.cases.json: upper
PASS small.cases.json: json
PASS small.cases.json: velocity vars
PASS small.cases.json: bad directive
PASS small.cases.json: status
PASS small.cases.yaml: escape
PASS small.cases.yaml: extension
SKIP small.cases.yaml: todo (no expected output)
PASS xml-out

12 passed, 1 failed, 1 skipped
"
    );
    assert_eq!((code, err.as_str()), (1, ""));
}

#[test]
fn filter() {
    let s = Scratch::new("filter");
    let (code, out, _) = vtl(&s.0, &["test", "--filter", "cases.json"]);
    assert_eq!(code, 0);
    assert!(out.ends_with("\n\n5 passed, 0 failed\n"), "{out}");
    let (code, out, _) = vtl(&s.0, &["test", "--filter", "nothing-matches"]);
    assert_eq!((code, out.as_str()), (0, "0 passed, 0 failed\n"));
}

#[test]
fn update_rewrites_expectations() {
    let s = Scratch::new("update");
    let (code, out, err) = vtl(
        &s.0,
        &["test", "--update", "bad-expect", "small.cases.yaml"],
    );
    assert_eq!(
        err,
        "warning: small.cases.yaml: rewritten by --update; its YAML comments were not kept\n"
    );
    assert_eq!(
        out,
        "UPDATED bad-expect (wrote expected.txt)
PASS small.cases.yaml: escape
PASS small.cases.yaml: extension
UPDATED small.cases.yaml: todo (wrote expected)

4 passed, 0 failed
"
    );
    assert_eq!(code, 0);
    let expected = std::fs::read_to_string(s.0.join("bad-expect/expected.txt")).unwrap();
    assert_eq!(expected, "count: 2\nsame line\n");
    let doc = std::fs::read_to_string(s.0.join("small.cases.yaml")).unwrap();
    assert!(doc.contains("expected: nothing expected yet"), "{doc}");
    let (code, out, _) = vtl(&s.0, &["test", "bad-expect", "small.cases.yaml"]);
    assert_eq!(
        (code, out.as_str().rsplit('\n').nth(1)),
        (0, Some("4 passed, 0 failed"))
    );
}

#[test]
fn json_semantic_and_exact() {
    let s = Scratch::new("exact");
    let (code, _, _) = vtl(&s.0, &["test", "json-map"]);
    assert_eq!(code, 0);
    let (code, out, _) = vtl(&s.0, &["test", "--exact", "json-map"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("FAIL json-map\n  JSON output differs\n  --- expected\n"),
        "{out}"
    );
    assert!(out.ends_with("\n0 passed, 1 failed\n"), "{out}");
}

#[test]
fn xml_whitespace_is_normalised_unless_exact() {
    let s = Scratch::new("xml");
    assert_eq!(vtl(&s.0, &["test", "xml-out"]).0, 0);
    assert_eq!(vtl(&s.0, &["test", "--exact", "xml-out"]).0, 1);
    std::fs::write(
        s.0.join("xml-out/expected.xml"),
        "<order><id>8</id></order>\n",
    )
    .unwrap();
    let (code, out, _) = vtl(&s.0, &["test", "xml-out"]);
    assert_eq!(code, 1);
    assert!(out.contains("  XML output differs\n"), "{out}");
}

#[test]
fn override_mismatch_fails() {
    let s = Scratch::new("override");
    std::fs::write(
        s.0.join("override/case.json"),
        r#"{"responseOverride": {"status": 200}}"#,
    )
    .unwrap();
    let (code, out, _) = vtl(&s.0, &["test", "override"]);
    assert_eq!(
        out,
        "FAIL override\n  responseOverride differs: expected {\"status\":200} within {\"header\":{},\"status\":201}\n\n0 passed, 1 failed\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn expected_error_mismatch() {
    let s = Scratch::new("error");
    std::fs::write(s.0.join("error-case/expected-error.txt"), "render error").unwrap();
    let (code, out, _) = vtl(&s.0, &["test", "error-case"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "FAIL error-case\n  expected an error containing `render error`, got: syntax error: "
        ),
        "{out}"
    );
}

#[test]
fn json_and_junit_formats() {
    let s = Scratch::new("formats");
    let (code, out, err) = vtl(&s.0, &["test", "--format", "json", "greet", "bad-expect"]);
    assert_eq!(code, 1);
    assert_eq!(err, "1 passed, 1 failed\n");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc,
        serde_json::json!({
            "cases": [
                {"name": "greet", "status": "pass"},
                {"name": "bad-expect", "status": "fail", "message": "output differs",
                 "diff": "--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n-count: 3\n+count: 2\n same line\n"}
            ],
            "passed": 1, "failed": 1, "skipped": 0
        })
    );
    let (code, out, err) = vtl(&s.0, &["test", "--format", "junit", "greet"]);
    assert_eq!((code, err.as_str()), (0, "1 passed, 0 failed\n"));
    assert_eq!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="vtl" tests="1" failures="0" skipped="0">
  <testsuite name="vtl" tests="1" failures="0" skipped="0">
    <testcase name="greet" classname="vtl"/>
  </testsuite>
</testsuites>
"#
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let s = Scratch::new("missing");
    let (code, out, err) = vtl(&s.0, &["test", "nope"]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (2, "", "error: nope: no such file or directory\n")
    );
}

#[test]
fn shipped_examples_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (code, out, err) = vtl(&root, &["test", "examples/"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(!out.contains("FAIL") && !out.contains("SKIP"), "{out}");
    assert!(out.ends_with(" passed, 0 failed\n"), "{out}");
}
