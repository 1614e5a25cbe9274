//! `vtl check`: exact diagnostics and exit statuses of the built binary.

mod common;

use common::{parts, vtl, vtl_in};

const LINT_HUMAN: &str = r##"error[not_allowed]: #include is not available in API Gateway mapping templates
 --> lint.vtl:1:1
  |
1 | #include("header.vtl")
  | ^^^^^^^^
  = help: API Gateway has no template files to include; inline the content

warning[escapejs-json]: $util.escapeJavaScript turns ' into \', which is not valid inside a JSON string
 --> lint.vtl:2:8
  |
2 | {"q": "$util.escapeJavaScript($input.params('q'))", "n": "$util.trim($x)", "s": $input.size()}
  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: append .replaceAll("\\'", "'") when the result goes into JSON

warning[unknown-util]: $util.trim does not exist on API Gateway; it renders as nothing
 --> lint.vtl:2:65
  |
2 | {"q": "$util.escapeJavaScript($input.params('q'))", "n": "$util.trim($x)", "s": $input.size()}
  |                                                                 ^^^^^^^^
  = help: API Gateway's $util has escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode and base64Decode

warning[unknown-input]: $input.size does not exist on API Gateway; it renders as nothing
 --> lint.vtl:2:88
  |
2 | {"q": "$util.escapeJavaScript($input.params('q'))", "n": "$util.trim($x)", "s": $input.size()}
  |                                                                                        ^^^^^^
  = help: $input has body, json(path), path(path) and params()/params(name)

warning[extension]: $vtl is an extension of this tool and extensions are off; it is undefined here and on API Gateway
 --> lint.vtl:3:1
  |
3 | $vtl.toJson($input.path('$'))
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: use it only for local tooling, or with a backend that runs this engine

1 error, 4 warnings
"##;

#[test]
fn reports_aws_pitfalls_like_rustc() {
    let run = vtl(&["check", "lint.vtl", "--color", "never"]);
    assert_eq!(parts(&run), (3, "", LINT_HUMAN));
}

#[test]
fn json_format() {
    let run = vtl(&["check", "lint.vtl", "--error-format", "json"]);
    let stdout = r##"{"severity":"error","code":"not_allowed","message":"#include is not available in API Gateway mapping templates","line":1,"column":1,"start":0,"end":8,"hint":"API Gateway has no template files to include; inline the content","file":"lint.vtl"}
{"severity":"warning","code":"escapejs-json","message":"$util.escapeJavaScript turns ' into \\', which is not valid inside a JSON string","line":2,"column":8,"start":30,"end":72,"hint":"append .replaceAll(\"\\\\'\", \"'\") when the result goes into JSON","file":"lint.vtl"}
{"severity":"warning","code":"unknown-util","message":"$util.trim does not exist on API Gateway; it renders as nothing","line":2,"column":65,"start":87,"end":95,"hint":"API Gateway's $util has escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode and base64Decode","file":"lint.vtl"}
{"severity":"warning","code":"unknown-input","message":"$input.size does not exist on API Gateway; it renders as nothing","line":2,"column":88,"start":110,"end":116,"hint":"$input has body, json(path), path(path) and params()/params(name)","file":"lint.vtl"}
{"severity":"warning","code":"extension","message":"$vtl is an extension of this tool and extensions are off; it is undefined here and on API Gateway","line":3,"column":1,"start":118,"end":147,"hint":"use it only for local tooling, or with a backend that runs this engine","file":"lint.vtl"}
"##;
    assert_eq!(parts(&run), (3, stdout, ""));
}

#[test]
fn warnings_pass_unless_denied() {
    let stderr = r##"warning[escapejs-json]: $util.escapeJavaScript turns ' into \', which is not valid inside a JSON string
 --> escape-trap.vtl:1:8
  |
1 | {"q": "$util.escapeJavaScript($input.params('q'))"}
  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: append .replaceAll("\\'", "'") when the result goes into JSON

0 errors, 1 warning
"##;
    let run = vtl(&["check", "clean.vtl", "escape-trap.vtl"]);
    assert_eq!(parts(&run), (0, "", stderr));
    let run = vtl(&["check", "escape-trap.vtl", "--deny-warnings"]);
    assert_eq!(parts(&run), (1, "", stderr));
    let run = vtl(&["check", "clean.vtl"]);
    assert_eq!(parts(&run), (0, "", ""));
}

#[test]
fn syntax_errors_and_unreadable_files() {
    let run = vtl(&["check", "unclosed.vtl", "missing.vtl", "--color", "never"]);
    assert_eq!(run.code, 2, "an unreadable file wins over errors");
    assert!(
        run.stderr.starts_with(
            "error[syntax]: Encountered end of template; `#if` is not closed by #end
 --> unclosed.vtl:3:1
"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\nerror: missing.vtl: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("\n1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn profiles_and_extensions() {
    // The velocity profile allows #include; only the extension warning is left.
    let run = vtl(&[
        "check",
        "lint.vtl",
        "--profile",
        "velocity",
        "--error-format",
        "json",
    ]);
    assert_eq!(
        parts(&run),
        (
            0,
            "{\"severity\":\"warning\",\"code\":\"extension\",\"message\":\"$vtl is an extension of this tool and extensions are off; it is undefined here and in Apache Velocity\",\"line\":3,\"column\":1,\"start\":118,\"end\":147,\"hint\":\"use it only for local tooling, or with a backend that runs this engine\",\"file\":\"lint.vtl\"}\n",
            ""
        )
    );
    // With --extensions the aws profile still warns that API Gateway lacks `$vtl`.
    let run = vtl_in(&["check", "-", "--extensions"], "$vtl.toJson(1)");
    let stderr =
        "warning[extension]: $vtl is an extension of this tool; API Gateway does not have it
 --> <stdin>:1:1
  |
1 | $vtl.toJson(1)
  | ^^^^^^^^^^^^^^
  = help: use it only for local tooling, or with a backend that runs this engine

0 errors, 1 warning
";
    assert_eq!(parts(&run), (0, "", stderr));
}

#[test]
fn templates_over_300_kb() {
    let big = "x".repeat(310_000);
    let run = vtl_in(&["check", "-", "--error-format", "json"], &big);
    assert_eq!(
        parts(&run),
        (3, "{\"severity\":\"error\",\"code\":\"limit\",\"message\":\"the template is 310000 bytes; API Gateway accepts at most 307200 bytes\",\"line\":1,\"column\":307201,\"start\":307200,\"end\":310000,\"hint\":null,\"file\":\"<stdin>\"}\n", "")
    );
    let run = vtl_in(&["check", "-", "--color", "never"], &big);
    let window = "x".repeat(100);
    let carets = "^".repeat(51);
    let expected = format!(
        "error[limit]: the template is 310000 bytes; API Gateway accepts at most 307200 bytes
 --> <stdin>:1:307201
  |
1 | …{window}…
  | {}{carets}

1 error, 0 warnings
",
        " ".repeat(50)
    );
    assert_eq!(parts(&run), (3, "", expected.as_str()));
}
