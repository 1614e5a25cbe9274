//! `vtl invoke`: runs the built binary on the specs in `fixtures-invoke/` and the shipped pets
//! example, checking the printed response, the TestInvokeMethod log line by line (request ids
//! and dates replaced), the JSON form and the exit statuses.

mod common;

use std::path::{Path, PathBuf};

use common::vtl_at;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-invoke")
}

fn vtl(args: &[&str]) -> (i32, String, String) {
    vtl_at(&dir(), args)
}

/// The log with the request id replaced by `<id>`, the dates by `<date>` and trace ids by
/// `<trace>`.
fn normalise(log: &str) -> String {
    let first = log.lines().next().unwrap_or_default();
    let id = first
        .strip_prefix("Execution log for request ")
        .expect("the log's first line names the request");
    normalise_with(log, id)
}

fn normalise_with(log: &str, id: &str) -> String {
    let mut out = String::new();
    for line in log.lines() {
        let line = match line.find(" UTC ") {
            Some(i) if line[i + 5..].len() >= 7 && &line[i + 9..i + 12] == " : " => {
                format!("<date>{}", &line[i + 9..])
            }
            _ => line.to_string(),
        };
        let line = line.replace(id, "<id>");
        let line = match line.find("Root=1-") {
            Some(i) => format!("{}<trace>{}", &line[..i], &line[i + 7 + 8 + 1 + 24..]),
            None => line,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn mock_log_is_testinvoke_s() {
    let (code, out, err) = vtl(&[
        "invoke",
        "api.yaml",
        "GET",
        "/pets/123?queryTest=value",
        "--header",
        "content-type=application/json",
        "--log",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let (response, log) = out.split_once("\nExecution log").unwrap();
    assert_eq!(
        response,
        "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"123\"}\n"
    );
    assert_eq!(
        normalise(&format!("Execution log{log}")),
        "Execution log for request <id>
<date> : Starting execution for request: <id>
<date> : HTTP Method: GET, Resource Path: /pets/123
<date> : Method request path: {petId=123}
<date> : Method request query string: {queryTest=value}
<date> : Method request headers: {content-type=application/json}
<date> : Method request body before transformations: 
<date> : Method response body after transformations: {\"id\": \"123\"}
<date> : Method response headers: {Content-Type=application/json}
<date> : Successfully completed execution
<date> : Method completed with status: 200
"
    );
}

#[test]
fn lambda_log_is_testinvoke_s() {
    let (code, out, err) = vtl(&[
        "invoke",
        "api.yaml",
        "GET",
        "/foo?queryTest=value",
        "-H",
        "content-type: application/json",
        "--endpoint-response",
        "lambda-ok.json",
        "--log",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let (response, log) = out.split_once("\nExecution log").unwrap();
    assert_eq!(
        normalise_with(response, "\u{0}"),
        "HTTP/1.1 200 OK\nX-Amzn-Trace-Id: <trace>\nContent-Type: application/json\n\n{\"ok\":true}\n"
    );
    let uri = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:foo/invocations";
    // The signed request's headers, in the recorded order with the session token, are cut at
    // 1000 characters.
    let log = format!("Execution log{log}");
    let id = log.lines().next().unwrap()["Execution log for request ".len()..].to_string();
    let tail: String = id.chars().filter(char::is_ascii_hexdigit).take(4).collect();
    let headers_line = log
        .lines()
        .find_map(|l| {
            l.split_once(" : Endpoint request headers: ")
                .map(|(_, v)| v)
        })
        .unwrap();
    let full = format!(
        "{{x-amzn-lambda-integration-tag={id}, Authorization={}{tail}, X-Amz-Date=20240101T000000Z, x-amzn-apigateway-api-id=a1b2c3d4e5, Accept=application/json, User-Agent=AmazonAPIGateway_a1b2c3d4e5, X-Amz-Security-Token={}{tail}, X-Amzn-Trace-Id=",
        "*".repeat(300),
        "*".repeat(900)
    );
    assert_eq!(headers_line, format!("{} [TRUNCATED]", &full[..1000]));
    let log = log.replace(headers_line, "HEADERS");
    assert_eq!(
        normalise(&log),
        format!(
            "Execution log for request <id>
<date> : Starting execution for request: <id>
<date> : HTTP Method: GET, Resource Path: /foo
<date> : Method request path: {{}}
<date> : Method request query string: {{queryTest=value}}
<date> : Method request headers: {{content-type=application/json}}
<date> : Method request body before transformations: 
<date> : Endpoint request URI: {uri}
<date> : Endpoint request headers: HEADERS
<date> : Endpoint request body after transformations: 
<date> : Sending request to {uri}
<date> : Received response. Status: 200, Integration latency: 0 ms
<date> : Endpoint response headers: {{Date=Mon, 01 Jan 2024 00:00:00 GMT, Content-Type=application/json, Content-Length=11, Connection=keep-alive, x-amzn-RequestId=<id>, X-Amz-Executed-Version=$LATEST}}
<date> : Endpoint response body before transformations: {{\"ok\":true}}
<date> : Method response body after transformations: {{\"ok\":true}}
<date> : Method response headers: {{X-Amzn-Trace-Id=<trace>, Content-Type=application/json}}
<date> : Successfully completed execution
<date> : Method completed with status: 200
"
        )
    );
}

#[test]
fn lambda_errors_select_by_error_message() {
    let (code, out, _) = vtl(&[
        "invoke",
        "api.yaml",
        "GET",
        "/foo",
        "--endpoint-response",
        "lambda-error.json",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\n"), "{out}");
}

#[test]
fn json_output_has_testinvoke_fields_and_the_endpoint_request() {
    let (code, out, err) = vtl(&[
        "invoke",
        "api.yaml",
        "POST",
        "/orders",
        "--request",
        "test-invoke-request.json",
        "--endpoint-response",
        "order-created.json",
        "--format",
        "json",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "status",
            "body",
            "headers",
            "multiValueHeaders",
            "log",
            "latency",
            "endpointRequest"
        ]
    );
    assert_eq!(v["status"], 200);
    assert_eq!(v["headers"]["X-Order"], "o-1");
    assert_eq!(
        v["multiValueHeaders"]["Content-Type"][0],
        "application/json"
    );
    let e = &v["endpointRequest"];
    assert_eq!(e["httpMethod"], "POST");
    assert_eq!(e["uri"], "https://orders.example.com/orders");
    assert_eq!(e["headers"]["X-Tenant"], "t-9");
    assert_eq!(e["body"], r#"{"order": {"item":"ball"}, "stage": "test"}"#);
    assert!(v["log"]
        .as_str()
        .unwrap()
        .ends_with("Method completed with status: 200\n"));
}

#[test]
fn mock_has_no_endpoint_request() {
    let (code, out, _) = vtl(&["invoke", "api.yaml", "GET", "/pets/1", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["endpointRequest"], serde_json::Value::Null);
    assert_eq!(v["body"], r#"{"id": "1"}"#);
}

#[test]
fn options_build_the_request() {
    let (code, out, err) = vtl(&[
        "invoke",
        "api.yaml",
        "POST",
        "/orders",
        "--body",
        "-",
        "--stage-var",
        "host=o.example",
        "--stage",
        "prod",
        "--header",
        "X-Tenant=a",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "note: no --endpoint-response given; the backend answered 200 with an empty body\n"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["endpointRequest"]["uri"], "https://o.example/orders");
    // an empty body reads as `{}` in templates
    assert_eq!(
        v["endpointRequest"]["body"],
        r#"{"order": {}, "stage": "prod"}"#
    );
}

#[test]
fn a_rejected_request_still_exits_0() {
    let (code, out, _) = vtl(&[
        "invoke",
        "api.yaml",
        "POST",
        "/orders",
        "--header",
        "Content-Type=text/plain; charset=utf-8",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "HTTP/1.1 415 Unsupported Media Type\nContent-Type: application/json\nx-amzn-ErrorType: BadRequestException\n\n{\"message\": \"Unsupported Media Type\"}\n"
    );
}

#[test]
fn a_malformed_spec_names_the_json_pointer() {
    let (code, out, err) = vtl(&["invoke", "broken-spec.json", "GET", "/a"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: broken-spec.json: /paths/~1a/get/x-amazon-apigateway-integration/type: unknown integration type \"SOAP\" (expected MOCK, AWS, HTTP, AWS_PROXY or HTTP_PROXY)\n"
    );
}

#[test]
fn a_template_that_does_not_compile_exits_3_with_a_snippet() {
    let (code, out, err) = vtl(&["invoke", "broken-template.yaml", "GET", "/a"]);
    assert_eq!((code, out.as_str()), (3, ""));
    assert!(err.starts_with("error[syntax]: "), "{err}");
    assert!(
        err.contains(" --> broken-template.yaml#/paths/~1a/get/x-amazon-apigateway-integration/requestTemplates/application~1json:1:7\n"),
        "{err}"
    );
    assert!(err.contains("1 | #if($x\n"), "{err}");
}

#[test]
fn a_template_that_fails_to_render_exits_4() {
    let (code, out, err) = vtl(&["invoke", "api.yaml", "GET", "/loop"]);
    assert_eq!(code, 4);
    assert!(
        out.starts_with("HTTP/1.1 500 Internal Server Error\n"),
        "{out}"
    );
    assert!(err.starts_with("error[limit]: "), "{err}");
    assert!(err.contains("api.yaml#/paths/~1loop/get/"), "{err}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let (code, _, err) = vtl(&["invoke", "api.yaml", "GET", "/foo", "--header", "novalue"]);
    assert_eq!(code, 2);
    assert!(err.contains("expected NAME=VALUE"), "{err}");
    let (code, _, err) = vtl(&["invoke", "missing.yaml", "GET", "/"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: missing.yaml: "), "{err}");
    let (code, _, err) = vtl(&[
        "invoke",
        "api.yaml",
        "GET",
        "/foo",
        "--endpoint-response",
        "test-invoke-request.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown key \"pathWithQueryString\""), "{err}");
}

#[test]
fn the_shipped_example_runs() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/pets/openapi.yaml");
    let (code, out, err) = vtl(&["invoke", spec.to_str().unwrap(), "OPTIONS", "/pets"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.starts_with("HTTP/1.1 200 OK\n"), "{out}");
    assert!(out.contains("Access-Control-Allow-Origin: *\n"), "{out}");
}

/// The step of each log line (its text before the first `:` after the date), in order.
fn steps(log: &str) -> Vec<String> {
    normalise(log)
        .lines()
        .map(|l| {
            let l = l.strip_prefix("<date> : ").unwrap_or(l);
            match l.find(": ") {
                Some(i) => l[..i].to_string(),
                None => l.to_string(),
            }
        })
        .collect()
}

#[test]
fn the_shipped_example_gives_testinvoke_s_log_shapes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/pets");
    let spec = root.join("openapi.yaml");
    let spec = spec.to_str().unwrap();
    // MOCK (the CORS preflight): no Endpoint lines.
    let (code, out, _) = vtl(&["invoke", spec, "OPTIONS", "/pets", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        steps(v["log"].as_str().unwrap()),
        [
            "Execution log for request <id>",
            "Starting execution for request",
            "HTTP Method",
            "Method request path",
            "Method request query string",
            "Method request headers",
            "Method request body before transformations",
            "Method response body after transformations",
            "Method response headers",
            "Successfully completed execution",
            "Method completed with status",
        ]
    );
    // Lambda (a function error selected by its message).
    let answer = root.join("responses/get-pet-not-found.json");
    let (code, out, _) = vtl(&[
        "invoke",
        spec,
        "GET",
        "/pets/99",
        "--endpoint-response",
        answer.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], 404);
    let log = v["log"].as_str().unwrap();
    // The request template's output spans lines; keep the lines that start a step.
    let steps: Vec<String> = steps(log)
        .into_iter()
        .filter(|s| {
            !s.starts_with(' ') && !s.starts_with('{') && !s.starts_with('}') && !s.is_empty()
        })
        .collect();
    assert_eq!(
        steps,
        [
            "Execution log for request <id>",
            "Starting execution for request",
            "HTTP Method",
            "Method request path",
            "Method request query string",
            "Method request headers",
            "Method request body before transformations",
            "Endpoint request URI",
            "Endpoint request headers",
            "Endpoint request body after transformations",
            "Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations",
            "Received response. Status",
            "Endpoint response headers",
            "Endpoint response body before transformations",
            "Method response body after transformations",
            "Method response headers",
            "Successfully completed execution",
            "Method completed with status",
        ]
    );
    assert!(log.ends_with("Method completed with status: 404\n"));
}

#[test]
fn the_console_s_content_type_rule_is_an_option() {
    let args = [
        "invoke",
        "api.yaml",
        "POST",
        "/orders",
        "--header",
        "Content-Type=text/plain",
        "--stage-var",
        "host=o.example",
    ];
    let (_, out, _) = vtl(&args);
    assert!(out.starts_with("HTTP/1.1 415 "), "{out}");
    let mut forced = args.to_vec();
    forced.push("--force-json-content-type");
    let (code, out, _) = vtl(&forced);
    assert_eq!(code, 0);
    assert!(out.starts_with("HTTP/1.1 200 OK\n"), "{out}");
}
