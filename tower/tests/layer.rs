//! The layer through `ServiceExt::oneshot`, no sockets: each gateway response, MOCK, and a full
//! HTTP method whose inner service records what it was sent.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use tower::{service_fn, Layer, ServiceExt};
use vtl_gateway::{Api, IntegrationType};
use vtl_tower::{Endpoint, IntegrationError, SharedApi, VtlLayer};

const SPEC: &str = r##"
openapi: 3.0.1
paths:
  /mock:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 201}'}
        responses:
          "201":
            statusCode: "201"
            responseParameters:
              method.response.header.X-Mock: "'yes'"
            responseTemplates: {application/json: '{"stage": "$context.stage", "id": "$context.requestId"}'}
  /broken:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": "abc"}'}
  /fn:
    post:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations
        passthroughBehavior: when_no_match
        responses: {default: {statusCode: "200"}}
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true}
        - {name: X-Trace, in: header}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: POST
        uri: http://backend.test/v1/items/{id}
        passthroughBehavior: never
        requestParameters:
          integration.request.path.id: method.request.path.id
          integration.request.header.X-Correlation: method.request.header.X-Trace
          integration.request.querystring.kind: "'pet'"
        requestTemplates:
          application/json: '{"item": "$input.params(''id'')", "verb": "$context.httpMethod"}'
        responses:
          default:
            statusCode: "200"
          "404":
            statusCode: "410"
            responseParameters:
              method.response.header.X-Reason: integration.response.header.X-Why
            responseTemplates:
              application/json: '{"gone": $input.json(''$.id''), "status": 410}'
"##;

type Recorded = Arc<Mutex<Vec<(String, String, Vec<(String, String)>, String, bool)>>>;

/// A backend that records each request and answers 404 `{"id": 7}` with `X-Why: sold`.
fn recording() -> (
    Recorded,
    impl tower::Service<
            Request<Full<Bytes>>,
            Response = Response<Full<Bytes>>,
            Error = Infallible,
            Future = impl Send,
        > + Clone
        + Send
        + 'static,
) {
    let seen: Recorded = Arc::default();
    let log = seen.clone();
    let svc = service_fn(move |req: Request<Full<Bytes>>| {
        let log = log.clone();
        async move {
            let is_http = req
                .extensions()
                .get::<Endpoint>()
                .is_some_and(|e| e.0.integration_type == IntegrationType::Http);
            let (parts, body) = req.into_parts();
            let body = body.collect().await.unwrap().to_bytes();
            let headers = parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
                .collect();
            log.lock().unwrap().push((
                parts.method.to_string(),
                parts.uri.to_string(),
                headers,
                String::from_utf8(body.to_vec()).unwrap(),
                is_http,
            ));
            Ok::<_, Infallible>(
                Response::builder()
                    .status(404)
                    .header("content-type", "application/json")
                    .header("x-why", "sold")
                    .body(Full::new(Bytes::from_static(br#"{"id": 7}"#)))
                    .unwrap(),
            )
        }
    });
    (seen, svc)
}

fn api() -> Api {
    Api::load(SPEC).unwrap()
}

async fn send(layer: VtlLayer, req: Request<Full<Bytes>>) -> (u16, http::HeaderMap, String) {
    let (_, backend) = recording();
    send_to(layer, backend, req).await
}

async fn send_to<S>(
    layer: VtlLayer,
    backend: S,
    req: Request<Full<Bytes>>,
) -> (u16, http::HeaderMap, String)
where
    S: tower::Service<Request<Full<Bytes>>, Response = Response<Full<Bytes>>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    S::Error: Into<vtl_tower::BoxError>,
{
    let response = layer.layer(backend).oneshot(req).await.unwrap();
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        status,
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn get(uri: &str) -> Request<Full<Bytes>> {
    Request::get(uri).body(Full::new(Bytes::new())).unwrap()
}

#[tokio::test]
async fn mock_is_answered_without_the_inner_service() {
    let (seen, backend) = recording();
    let (status, headers, body) = send_to(VtlLayer::new(api()), backend, get("/mock")).await;
    assert_eq!(status, 201);
    assert_eq!(headers["x-mock"], "yes");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["stage"], "test");
    let id = json["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(headers["x-amzn-requestid"], id);
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_full_http_method() {
    let (seen, backend) = recording();
    let req = Request::get("/items/7?x=1")
        .header("X-Trace", "t-1")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, headers, body) = send_to(VtlLayer::new(api()), backend, req).await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(headers["x-reason"], "sold");
    assert_eq!(body, r#"{"gone": 7, "status": 410}"#);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let (method, uri, sent_headers, sent_body, is_http) = &seen[0];
    assert_eq!(method, "POST");
    assert_eq!(uri, "http://backend.test/v1/items/7?kind=pet");
    assert!(
        sent_headers.contains(&("x-correlation".to_string(), "t-1".to_string())),
        "{sent_headers:?}"
    );
    assert_eq!(sent_body, r#"{"item": "7", "verb": "GET"}"#);
    assert!(is_http);
}

#[tokio::test]
async fn unknown_route_is_missing_authentication_token() {
    for uri in ["/nowhere", "/items", "/mock/extra"] {
        let (status, headers, body) = send(VtlLayer::new(api()), get(uri)).await;
        assert_eq!(status, 403, "{uri}");
        assert_eq!(body, r#"{"message": "Missing Authentication Token"}"#);
        assert_eq!(
            headers["x-amzn-errortype"],
            "MissingAuthenticationTokenException"
        );
    }
    let post = Request::post("/mock")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(VtlLayer::new(api()), post).await.0, 403);
}

#[tokio::test]
async fn unmapped_content_type_is_415() {
    let req = Request::get("/items/1")
        .header("Content-Type", "text/plain")
        .body(Full::new(Bytes::from_static(b"hi")))
        .unwrap();
    let (status, headers, body) = send(VtlLayer::new(api()), req).await;
    assert_eq!(status, 415);
    assert_eq!(body, r#"{"message": "Unsupported Media Type"}"#);
    assert_eq!(headers["x-amzn-errortype"], "BadRequestException");
}

#[tokio::test]
async fn a_lambda_payload_that_is_not_json_is_400() {
    let req = Request::post("/fn")
        .header("Content-Type", "application/json")
        .body(Full::new(Bytes::from_static(b"{not json")))
        .unwrap();
    let (status, headers, body) = send(VtlLayer::new(api()), req).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Could not parse request body into json"),
        "{body}"
    );
    assert_eq!(headers["x-amzn-errortype"], "BadRequestException");
}

#[tokio::test]
async fn a_configuration_error_is_500() {
    let (status, headers, body) = send(VtlLayer::new(api()), get("/broken")).await;
    assert_eq!(status, 500);
    assert_eq!(body, r#"{"message": "Internal server error"}"#);
    assert_eq!(headers["x-amzn-errortype"], "InternalServerErrorException");
}

#[tokio::test]
async fn bodies_past_the_limit_are_413() {
    let layer = VtlLayer::new(api()).body_limit(1024);
    // Declared too large.
    let req = Request::post("/fn")
        .header("Content-Length", "2000")
        .body(Full::new(Bytes::from(vec![b' '; 2000])))
        .unwrap();
    let (status, _, body) = send(layer.clone(), req).await;
    assert_eq!(
        (status, body.as_str()),
        (413, r#"{"message":"Request Too Long"}"#)
    );
    // No length given: the limit stops the read.
    let req = Request::post("/fn")
        .body(Full::new(Bytes::from(vec![b' '; 2000])))
        .unwrap();
    assert_eq!(send(layer.clone(), req).await.0, 413);
    // Under the limit it goes through.
    let req = Request::post("/fn")
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    assert_eq!(send(layer, req).await.0, 200);
}

#[tokio::test]
async fn inner_errors_become_502_and_504() {
    let failing = service_fn(|_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(std::io::Error::other("connection refused"))
    });
    let (status, headers, body) = send_to(VtlLayer::new(api()), failing, get("/items/1")).await;
    assert_eq!(status, 502);
    assert_eq!(body, r#"{"message": "connection refused"}"#);
    assert_eq!(headers["x-amzn-errortype"], "InternalServerErrorException");

    let slow = service_fn(|_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(IntegrationError::timed_out())
    });
    let (status, _, body) = send_to(VtlLayer::new(api()), slow, get("/items/1")).await;
    assert_eq!(
        (status, body.as_str()),
        (504, r#"{"message": "Endpoint request timed out"}"#)
    );
}

#[tokio::test]
async fn integration_responses_past_the_limit_are_502() {
    let big = service_fn(|_req: Request<Full<Bytes>>| async {
        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(vec![b'x'; 5000]))))
    });
    let layer = VtlLayer::new(api()).body_limit(1024);
    let (status, _, body) = send_to(layer, big, get("/items/1")).await;
    assert_eq!(status, 502);
    assert!(body.contains("payload limit"), "{body}");
}

#[tokio::test]
async fn a_replaced_api_serves_the_next_request() {
    let shared = SharedApi::new(api());
    let layer = VtlLayer::shared(shared.clone());
    assert_eq!(send(layer.clone(), get("/other")).await.0, 403);
    shared.replace(
        Api::load(r#"{"paths": {"/other": {"get": {"x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200"}}}}}}}"#)
            .unwrap(),
    );
    assert_eq!(send(layer, get("/other")).await.0, 200);
}

#[tokio::test]
async fn a_failed_call_is_logged_as_such() {
    let logs = Arc::new(Mutex::new(String::new()));
    let sink = logs.clone();
    let layer = VtlLayer::new(api()).on_completed(move |done| {
        *sink.lock().unwrap() = done.execution_log();
    });
    let failing = service_fn(|_req: Request<Full<Bytes>>| async {
        Err::<Response<Full<Bytes>>, _>(std::io::Error::other("connection refused"))
    });
    assert_eq!(send_to(layer, failing, get("/items/1")).await.0, 502);
    let log = logs.lock().unwrap().clone();
    assert!(
        log.contains("Sending request to http://backend.test/v1/items/1"),
        "{log}"
    );
    assert!(!log.contains("Received response"), "{log}");
    assert!(!log.contains("Endpoint response"), "{log}");
    assert!(log.ends_with("Execution failed due to an internal error: connection refused\nMethod completed with status: 502\n"), "{log}");
}

#[tokio::test]
async fn completed_requests_are_observed_with_their_log() {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let layer = VtlLayer::new(api()).on_completed(move |done| {
        sink.lock()
            .unwrap()
            .push((done.response.status, done.execution_log()));
    });
    let req = Request::get("/items/7")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(layer, req).await.0, 410);
    let logs = logs.lock().unwrap();
    assert_eq!(logs[0].0, 410);
    assert!(
        logs[0]
            .1
            .contains("Endpoint request URI: http://backend.test/v1/items/7?kind=pet"),
        "{}",
        logs[0].1
    );
    assert!(
        logs[0].1.contains("Method completed with status: 410"),
        "{}",
        logs[0].1
    );
}

#[tokio::test]
async fn an_observed_request_runs_the_pipeline_once() {
    // A TOKEN authorizer without caching is called on every run of the pipeline: the log an
    // observer gets must be the run that answered, not a second one.
    let calls = Arc::new(Mutex::new(0));
    let counter = calls.clone();
    let authorizer: vtl_gateway::AuthorizerFn = Arc::new(move |_name: &str, event| {
        *counter.lock().unwrap() += 1;
        let effect = if event["authorizationToken"] == "allow" {
            "Allow"
        } else {
            "Deny"
        };
        Ok(
            serde_json::json!({"principalId": "u-1", "policyDocument": {"Statement": [
            {"Action": "execute-api:Invoke", "Effect": effect, "Resource": "*"}]}}),
        )
    });
    let api = Api::load(
        r#"{"openapi": "3.0.1",
          "components": {"securitySchemes": {"tok": {"type": "apiKey", "name": "Authorization",
            "in": "header", "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {"type": "token", "authorizerResultTtlInSeconds": 0}}}},
          "paths": {"/secret": {"get": {"security": [{"tok": []}],
            "x-amazon-apigateway-integration": {"type": "mock",
              "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
              "responses": {"default": {"statusCode": "200",
                "responseTemplates": {"application/json": "{\"who\": \"$context.authorizer.principalId\"}"}}}}}}}}"#,
    )
    .and_then(|api| {
        api.with_options(vtl_gateway::Options {
            front: vtl_gateway::FrontOptions {
                enforce: true,
                authorizer: Some(authorizer),
                ..Default::default()
            },
            ..Default::default()
        })
    })
    .unwrap();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = logs.clone();
    let layer = VtlLayer::new(api).on_completed(move |done| {
        sink.lock().unwrap().push(done.execution_log());
    });
    let req = Request::get("/secret")
        .header("Authorization", "allow")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, _, body) = send(layer.clone(), req).await;
    assert_eq!((status, body.as_str()), (200, r#"{"who": "u-1"}"#));
    assert_eq!(*calls.lock().unwrap(), 1);
    let req = Request::get("/secret")
        .header("Authorization", "deny")
        .body(Full::new(Bytes::new()))
        .unwrap();
    assert_eq!(send(layer, req).await.0, 403);
    assert_eq!(*calls.lock().unwrap(), 2);
    let logs = logs.lock().unwrap();
    assert_eq!(logs.len(), 2);
    assert!(
        logs[0].contains("Method completed with status: 200"),
        "{}",
        logs[0]
    );
    assert!(
        logs[1].contains("Method completed with status: 403"),
        "{}",
        logs[1]
    );
    assert!(
        !logs[1].contains("Method completed with status: 200"),
        "{}",
        logs[1]
    );
}
