//! `vtl render` with API Gateway requests and the output options: exact stdout, stderr and
//! exit status of the built binary.

mod common;

use common::{parts, vtl, vtl_in};

const PETS_OUT: &str = r#"{"id": "7", "name": "Rex", "accept": "application/json", "limit": "", "env": "beta", "stage": "dev", "user": "ada"}
"#;

#[test]
fn request_file() {
    let run = vtl(&["render", "pets.vtl", "--request", "pets-request.json"]);
    assert_eq!(parts(&run), (0, PETS_OUT, ""));
}

#[test]
fn flags_override_the_request_file_and_context_is_deep_merged() {
    let run = vtl(&[
        "render",
        "pets.vtl",
        "--request",
        "pets-request.json",
        "--context",
        "context.json",
        "--header",
        "Accept=a",
        "--header",
        "Accept=b",
        "--query",
        "limit=10",
        "--stage-var",
        "env=qa",
        "--emit",
        "json",
    ]);
    // Repeated headers keep every value; templates see the last. `context.json` replaces only
    // `identity.user`; the request file's `stage` stays.
    let expected = r#"{"output":"{\"id\": \"7\", \"name\": \"Rex\", \"accept\": \"b\", \"limit\": \"10\", \"env\": \"qa\", \"stage\": \"dev\", \"user\": \"bob\"}\n","requestOverride":{"path":{},"header":{},"querystring":{}},"responseOverride":{"header":{}},"warnings":[]}
"#;
    assert_eq!(parts(&run), (0, expected, ""));
}

#[test]
fn lambda_proxy_event_with_pretty_json_emit() {
    let run = vtl(&[
        "render",
        "pets.vtl",
        "--request",
        "proxy-event.json",
        "--emit",
        "json",
        "--pretty",
    ]);
    let expected = r#"{
  "output": "{\n  \"id\": \"9\",\n  \"name\": \"Tom\",\n  \"accept\": \"text/plain\",\n  \"limit\": \"5\",\n  \"env\": \"prod\",\n  \"stage\": \"v1\",\n  \"user\": \"eve\"\n}\n",
  "requestOverride": {
    "path": {},
    "header": {},
    "querystring": {}
  },
  "responseOverride": {
    "header": {}
  },
  "warnings": []
}
"#;
    assert_eq!(parts(&run), (0, expected, ""));
}

#[test]
fn empty_request_in_aws_profile_shows_override_and_warnings() {
    let run = vtl(&["render", "pets.vtl", "--emit", "json"]);
    let expected = r#"{"output":"{\"id\": \"\", \"name\": \"\", \"accept\": \"\", \"limit\": \"\", \"env\": \"\", \"stage\": \"test\", \"user\": \"\"}\n","requestOverride":{"path":{},"header":{},"querystring":{}},"responseOverride":{"header":{},"status":400},"warnings":[{"message":"property 'name' is missing or null","line":2,"column":48,"start":77,"end":81},{"message":"property 'env' is missing or null","line":2,"column":151,"start":180,"end":183},{"message":"property 'name' is missing or null","line":3,"column":10,"start":256,"end":260}]}
"#;
    assert_eq!(parts(&run), (0, expected, ""));
}

#[test]
fn body_from_stdin_path_param_expect_and_pretty() {
    let run = vtl_in(
        &[
            "render", "pets.vtl", "--body", "-", "--path", "petId=1", "--expect", "json",
            "--pretty",
        ],
        r#"{"name": "Kim"}"#,
    );
    let expected = "{\n  \"id\": \"1\",\n  \"name\": \"Kim\",\n  \"accept\": \"\",\n  \"limit\": \"\",\n  \"env\": \"\",\n  \"stage\": \"test\",\n  \"user\": \"\"\n}\n";
    assert_eq!(parts(&run), (0, expected, ""));
}

#[test]
fn expect_json_failure_shows_the_output_line() {
    let run = vtl(&[
        "render",
        "not-json.vtl",
        "--expect",
        "json",
        "--color",
        "never",
    ]);
    let stderr = "error: the output is not well-formed JSON: expected value
 --> <output>:1:18
  |
1 | {\"items\": [1,2,3,]}
  |                  ^
";
    assert_eq!(parts(&run), (1, "{\"items\": [1,2,3,]}\n", stderr));

    let run = vtl(&[
        "render",
        "not-json.vtl",
        "--expect",
        "json",
        "--error-format",
        "json",
    ]);
    let stderr = r#"{"kind":"expect","message":"the output is not well-formed JSON: expected value","line":1,"column":18}
"#;
    assert_eq!(parts(&run), (1, "{\"items\": [1,2,3,]}\n", stderr));
}

#[test]
fn expect_xml_and_pretty_xml() {
    let run = vtl(&[
        "render",
        "xml-out.vtl",
        "--query",
        "a=1",
        "--expect",
        "xml",
        "--pretty",
    ]);
    assert_eq!(parts(&run), (0, "<r>\n  <a>1</a>\n  <b/>\n</r>\n", ""));

    let run = vtl(&[
        "render",
        "not-json.vtl",
        "--expect",
        "xml",
        "--color",
        "never",
    ]);
    let stderr = "error: the output is not well-formed XML: text outside the root element
 --> <output>:1:1
  |
1 | {\"items\": [1,2,3,]}
  | ^
";
    assert_eq!(parts(&run), (1, "{\"items\": [1,2,3,]}\n", stderr));
}

#[test]
fn output_file() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("render-request-out.json");
    let _ = std::fs::remove_file(&out);
    let run = vtl(&[
        "render",
        "pets.vtl",
        "--request",
        "pets-request.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(parts(&run), (0, "", ""));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), PETS_OUT);
}

#[test]
fn request_file_errors_name_the_file() {
    let run = vtl(&["render", "pets.vtl", "--request", "bad-request.json"]);
    assert_eq!(
        parts(&run),
        (
            2,
            "",
            "error: bad-request.json:4:1: invalid JSON: EOF while parsing an object\n"
        )
    );
    let run = vtl(&[
        "render",
        "pets.vtl",
        "--request",
        "unknown-key-request.json",
    ]);
    assert_eq!(
        parts(&run),
        (2, "", "error: unknown-key-request.json: unknown key 'headers' in the request (expected body, contentType, params, stageVariables, context)\n")
    );
    let run = vtl(&["render", "pets.vtl", "--request", "missing.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: missing.json: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn usage_errors() {
    let run = vtl(&["render", "pets.vtl", "--path", "petId"]);
    assert_eq!(
        parts(&run),
        (2, "", "error: invalid value 'petId' for '--path <K=V>': expected NAME=VALUE, got 'petId'\n\nFor more information, try '--help'.\n")
    );
    let run = vtl(&["render", "-", "--request", "-"]);
    assert_eq!(
        parts(&run),
        (2, "", "error: only one input can be read from standard input (got the template and --request)\n")
    );
}

#[test]
fn compile_error_human_and_colour() {
    let run = vtl(&["render", "unclosed.vtl", "--color", "never"]);
    let stderr = "error[syntax]: Encountered end of template; `#if` is not closed by #end
 --> unclosed.vtl:3:1
  |
3 |
  | ^
note: opened here
 --> unclosed.vtl:1:1
  |
1 | #if($input.params(\"x\"))
  | ^^^
  = help: every #if, #foreach, #macro and #define needs a matching #end
";
    assert_eq!(parts(&run), (3, "", stderr));

    let run = vtl(&["render", "unclosed.vtl", "--color", "always"]);
    let coloured = stderr
        .replacen("error[", "\x1b[1;31merror\x1b[0m[", 1)
        .replacen("note:", "\x1b[1;36mnote\x1b[0m:", 1)
        .replacen("  | ^\n", "  | \x1b[1;31m^\x1b[0m\n", 1)
        .replacen("  | ^^^\n", "  | \x1b[1;31m^^^\x1b[0m\n", 1);
    assert_eq!(parts(&run), (3, "", coloured.as_str()));

    // `auto` never colours a pipe.
    let run = vtl(&["render", "unclosed.vtl"]);
    assert_eq!(parts(&run), (3, "", stderr));
}

#[test]
fn render_errors_exit_4() {
    let run = vtl(&[
        "render",
        "loop.vtl",
        "--fuel",
        "1000",
        "--error-format",
        "json",
    ]);
    let stderr = r#"{"kind":"limit","message":"the template used up its fuel (1000 steps); it may loop too much","line":1,"column":16,"start":15,"end":26}
"#;
    assert_eq!(parts(&run), (4, "", stderr));

    let run = vtl(&[
        "render",
        "pets.vtl",
        "--max-output",
        "10",
        "--color",
        "never",
    ]);
    // The error points at the reference whose value passed the limit.
    let stderr = "error[limit]: the output is larger than the limit of 10 bytes
 --> pets.vtl:2:31
  |
2 | {\"id\": \"$input.params('petId')\", \"name\": \"$pet.name\", \"accept\": \"$input.params('Accept')\", \"limit\": \"$...
  |                               ^^^^^^^^^^^^
";
    assert_eq!(parts(&run), (4, "", stderr));
}

#[test]
fn warnings_flag() {
    let run = vtl(&[
        "render",
        "hello.vtl",
        "--vars",
        "vars.json",
        "--warnings",
        "--color",
        "never",
    ]);
    let stderr = "warning: $title is not defined
 --> hello.vtl:1:14
  |
1 | Hello $name, $title.
  |              ^^^^^^
";
    assert_eq!(parts(&run), (0, "Hello Ada, .\n", stderr));
    // Without the flag, nothing on stderr.
    let run = vtl(&["render", "hello.vtl", "--vars", "vars.json"]);
    assert_eq!(parts(&run), (0, "Hello Ada, .\n", ""));
}

#[test]
fn extensions_and_profiles() {
    let run = vtl_in(
        &["render", "-", "--extensions"],
        r#"$vtl.toJson({"a": [1, "x"]})"#,
    );
    assert_eq!(parts(&run), (0, r#"{"a":[1,"x"]}"#, ""));
    // Without --extensions `$vtl` is undefined (nothing in aws, literal in velocity).
    let run = vtl_in(&["render", "-"], "[$vtl.toJson(1)]");
    assert_eq!(parts(&run), (0, "[]", ""));
    let run = vtl_in(
        &["render", "-", "--profile", "velocity"],
        "[$vtl.toJson(1)]",
    );
    assert_eq!(parts(&run), (0, "[$vtl.toJson(1)]", ""));
    // Request options give the velocity profile `$input` too.
    let run = vtl_in(
        &["render", "-", "--profile", "velocity", "--query", "q=v"],
        "$input.params('q')",
    );
    assert_eq!(parts(&run), (0, "v", ""));
}

#[test]
fn help_documents_options_and_exit_codes() {
    let run = vtl(&["render", "--help"]);
    assert_eq!(run.code, 0);
    for needle in [
        "--request <FILE>",
        "--stage-var <K=V>",
        "--emit <FORMAT>",
        "--expect <FORMAT>",
        "--error-format <FORMAT>",
        "--color <WHEN>",
        "--max-output <BYTES>",
        "Exit status: 0 success; 1 --expect failed; 2 usage or input error",
        "vtl render template.vtl --request event.json --emit json",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stdout
        );
    }
}
