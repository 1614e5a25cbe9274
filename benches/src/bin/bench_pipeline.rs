//! `bench_pipeline`: runs one method of the pipeline in-process a given number of times, for
//! counting instructions per invocation under callgrind (`benches/instructions --pipeline`).
//!
//! ```text
//! bench_pipeline --method plain|health|orders [--runs N] [--log | --layer]
//! ```
//!
//! Methods:
//! * `plain`: the MOCK method of `cargo bench --bench pipeline` (`pipeline/plain`): a request
//!   template, then a response template reading the body with `$input.path` and `$input.json`;
//! * `health`: the MOCK method of `serve_load` (a response template printing a fixed body);
//! * `orders`: the HTTP method of `serve_load`, the `a_small_mapping` template as request and
//!   as response template, the backend's answer (the case's 656-byte body) given in-process.
//!
//! By default each invocation runs `Api::integration_request` then `Api::integration_response`
//! (two separate stages); with `--layer`, the two stages of one `Api::call` without the
//! execution log, as the tower layer runs a request when no log is wanted; with `--log`,
//! `Api::invoke`, which also writes the TestInvokeMethod execution log. Prints the total
//! length of the response bodies (and logs), so the work cannot be optimized away.

use std::hint::black_box;
use std::process::ExitCode;

use serde_json::json;
use vtl_gateway::{Api, EndpointResponse, MethodRequest};

/// The response template of `pipeline/plain`.
const PLAIN_TEMPLATE: &str =
    r#"{"id": "$input.path('$.id')", "n": $input.json('$.items').length()}"#;

/// The MOCK body of `serve_load`'s `/health`.
const HEALTH_BODY: &str = r#"{"status": "ok", "service": "orders", "version": 3}"#;

struct Method {
    api: Api,
    request: MethodRequest,
    answer: EndpointResponse,
}

fn method(name: &str) -> Result<Method, String> {
    let case = vtl_benches::apigw_cases()
        .into_iter()
        .find(|c| c.name == "a_small_mapping")
        .ok_or("no a_small_mapping case")?;
    let order_body = case
        .raw_body()
        .ok_or("a_small_mapping has no body")?
        .to_string();
    let (spec, request) = match name {
        "plain" => (
            json!({"openapi": "3.0.1", "paths": {"/orders": {"post": {
                "x-amazon-apigateway-integration": {"type": "mock",
                    "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200",
                        "responseTemplates": {"application/json": PLAIN_TEMPLATE}}}}}}}}),
            MethodRequest::new("POST", "/orders")
                .with_header("Content-Type", "application/json")
                .with_header("x-api-key", "k-1")
                .with_header("Authorization", "token-1")
                .with_body(r#"{"id": "o-1", "items": [1, 2, 3]}"#),
        ),
        "health" => (
            json!({"openapi": "3.0.1", "paths": {"/health": {"get": {
                "x-amazon-apigateway-integration": {"type": "mock",
                    "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200",
                        "responseTemplates": {"application/json": HEALTH_BODY}}}}}}}}),
            MethodRequest::new("GET", "/health")
                .with_header("Host", "bench")
                .with_header("Content-Type", "application/json"),
        ),
        "orders" => (
            json!({"openapi": "3.0.1", "paths": {"/orders": {"post": {
                "x-amazon-apigateway-integration": {"type": "http", "httpMethod": "POST",
                    "uri": "http://127.0.0.1:9/orders", "passthroughBehavior": "never",
                    "requestTemplates": {"application/json": case.template},
                    "responses": {"default": {"statusCode": "200",
                        "responseTemplates": {"application/json": case.template}}}}}}}}),
            MethodRequest::new("POST", "/orders")
                .with_header("Host", "bench")
                .with_header("Content-Type", "application/json")
                .with_body(order_body.clone()),
        ),
        other => return Err(format!("unknown method {other} (plain, health or orders)")),
    };
    let api = Api::load(&spec.to_string()).map_err(|e| e.to_string())?;
    let answer = EndpointResponse::new(200)
        .with_header("Content-Type", "application/json")
        .with_body(order_body);
    Ok(Method {
        api,
        request,
        answer,
    })
}

/// How an invocation runs.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Steps,
    Layer,
    Invoke,
}

/// One invocation; the length of what it produced.
fn invoke(m: &Method, mode: Mode) -> usize {
    if mode == Mode::Layer {
        let mut call = m.api.call(&m.request, false);
        let endpoint = call.integration_request().expect("the method runs");
        let r = call.integration_response(&endpoint, m.answer.clone());
        assert_eq!(r.status, 200);
        r.body.len()
    } else if mode == Mode::Invoke {
        let inv = m.api.invoke(&m.request, |_| m.answer.clone());
        assert_eq!(inv.response.status, 200, "{}", inv.log);
        inv.response.body.len() + inv.log.len()
    } else {
        let endpoint = m
            .api
            .integration_request(&m.request)
            .expect("the method runs");
        let r = m
            .api
            .integration_response(&m.request, &endpoint, m.answer.clone());
        assert_eq!(r.status, 200);
        r.body.len()
    }
}

fn run() -> Result<String, String> {
    let mut name = String::new();
    let mut runs = 1usize;
    let mut mode = Mode::Steps;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--method" => name = args.next().ok_or("--method needs a value")?,
            "--runs" => {
                let v = args.next().ok_or("--runs needs a value")?;
                runs = v
                    .parse()
                    .map_err(|_| format!("--runs: not a number: {v}"))?;
            }
            "--log" => mode = Mode::Invoke,
            "--layer" => mode = Mode::Layer,
            other => return Err(format!("unknown option {other}")),
        }
    }
    if name.is_empty() {
        return Err(
            "usage: bench_pipeline --method plain|health|orders [--runs N] [--log | --layer]"
                .into(),
        );
    }
    let m = method(&name)?;
    let mut total = 0;
    for _ in 0..runs {
        total += black_box(invoke(black_box(&m), mode));
    }
    Ok(format!("{name}: {runs} runs, {total} bytes"))
}

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_pipeline: {e}");
            ExitCode::from(2)
        }
    }
}
