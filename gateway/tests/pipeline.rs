//! The rules of the method pipeline, one or more tests each, numbered as in the behaviour
//! spec's sections (2.1 request templates and passthrough, 2.2 parameter mappings, 2.3
//! integration responses, 2.4 MOCK, 2.5 overrides, 2.6 the TestInvokeMethod log, 2.7 Lambda).

use vtl_gateway::{Api, EndpointRequest, EndpointResponse, MethodRequest};

const LAMBDA_URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations";

/// An OpenAPI document with one method `METHOD /path` and `integration` (JSON text).
fn api(path: &str, method: &str, extra: &str, integration: &str) -> Api {
    let doc = format!(
        r#"{{"openapi": "3.0.1", "paths": {{"{path}": {{"{method}": {{{extra} "x-amazon-apigateway-integration": {integration}}}}}}}}}"#
    );
    Api::load(&doc).unwrap_or_else(|e| panic!("{e:#}\n{doc}"))
}

fn http(templates: &str, passthrough: &str) -> Api {
    api(
        "/a",
        "post",
        "",
        &format!(
            r#"{{"type": "http", "httpMethod": "POST", "uri": "https://backend.example/a", "passthroughBehavior": "{passthrough}", "requestTemplates": {templates}, "responses": {{"default": {{"statusCode": "200"}}}}}}"#
        ),
    )
}

/// Runs `req`, returning the response and what the backend got.
fn call(
    api: &Api,
    req: &MethodRequest,
    answer: EndpointResponse,
) -> (vtl_gateway::Invocation, Option<EndpointRequest>) {
    let mut seen = None;
    let out = api.invoke(req, |e| {
        seen = Some(e.clone());
        answer
    });
    (out, seen)
}

fn post(body: &str, content_type: Option<&str>) -> MethodRequest {
    let r = MethodRequest::new("POST", "/a").with_body(body);
    match content_type {
        Some(ct) => r.with_header("Content-Type", ct),
        None => r,
    }
}

// ---- 2.1 request template choice and passthrough -------------------------------------------

#[test]
fn charset_parameters_are_ignored_when_choosing_the_template() {
    // LocalStack looks up the whole header and misses the template.
    let api = http(
        r#"{"application/json": "mapped $input.json('$.a')"}"#,
        "NEVER",
    );
    let (_, e) = call(
        &api,
        &post(r#"{"a": 1}"#, Some("application/json; charset=UTF-8")),
        EndpointResponse::new(200),
    );
    assert_eq!(e.unwrap().body_text(), "mapped 1");
}

#[test]
fn an_absent_content_type_is_application_json() {
    let api = http(
        r#"{"application/json": "json", "text/plain": "text"}"#,
        "NEVER",
    );
    let (_, e) = call(&api, &post("x", None), EndpointResponse::new(200));
    assert_eq!(e.unwrap().body_text(), "json");
    let (_, e) = call(
        &api,
        &post("x", Some("text/plain")),
        EndpointResponse::new(200),
    );
    assert_eq!(e.unwrap().body_text(), "text");
}

#[test]
fn passthrough_behaviour_table() {
    let templates = r#"{"application/json": "T"}"#;
    // (templates, behaviour, content type, expected: Some(body sent) or None for 415)
    let rows: [(&str, &str, &str, Option<&str>); 9] = [
        (templates, "WHEN_NO_MATCH", "application/json", Some("T")),
        (
            templates,
            "WHEN_NO_TEMPLATES",
            "application/json",
            Some("T"),
        ),
        (templates, "NEVER", "application/json", Some("T")),
        (templates, "WHEN_NO_MATCH", "text/plain", Some("raw")),
        (templates, "WHEN_NO_TEMPLATES", "text/plain", None),
        (templates, "NEVER", "text/plain", None),
        ("{}", "WHEN_NO_MATCH", "text/plain", Some("raw")),
        ("{}", "WHEN_NO_TEMPLATES", "text/plain", Some("raw")),
        ("{}", "NEVER", "text/plain", None),
    ];
    for (t, behaviour, ct, want) in rows {
        let api = http(t, behaviour);
        let (out, e) = call(&api, &post("raw", Some(ct)), EndpointResponse::new(200));
        match want {
            Some(body) => assert_eq!(
                e.map(|e| e.body_text()).as_deref(),
                Some(body),
                "{behaviour} {ct} {t}"
            ),
            None => {
                assert!(
                    e.is_none(),
                    "{behaviour} {ct}: the backend must not be called"
                );
                assert_eq!(out.response.status, 415);
                assert_eq!(
                    out.response.body_text(),
                    r#"{"message": "Unsupported Media Type"}"#
                );
                assert_eq!(
                    out.response.header("x-amzn-ErrorType"),
                    Some("BadRequestException")
                );
            }
        }
    }
}

#[test]
fn an_unset_passthrough_behaviour_is_when_no_match() {
    let api = api(
        "/a",
        "post",
        "",
        r#"{"type": "http", "httpMethod": "POST", "uri": "https://b.example", "requestTemplates": {"application/json": "T"}, "responses": {"default": {"statusCode": "200"}}}"#,
    );
    let (_, e) = call(
        &api,
        &post("raw", Some("text/csv")),
        EndpointResponse::new(200),
    );
    assert_eq!(e.unwrap().body_text(), "raw");
}

#[test]
fn an_empty_template_passes_the_body_through() {
    let api = http(r#"{"application/json": ""}"#, "NEVER");
    let (_, e) = call(&api, &post(r#"{"x": 1}"#, None), EndpointResponse::new(200));
    assert_eq!(e.unwrap().body_text(), r#"{"x": 1}"#);
}

#[test]
fn convert_to_binary_with_a_template_is_a_500() {
    let api = api(
        "/a",
        "post",
        "",
        r#"{"type": "http", "httpMethod": "POST", "uri": "https://b.example", "contentHandling": "CONVERT_TO_BINARY", "requestTemplates": {"application/json": "T"}, "responses": {"default": {"statusCode": "200"}}}"#,
    );
    let (out, e) = call(&api, &post("aGk=", None), EndpointResponse::new(200));
    assert!(e.is_none());
    assert_eq!(out.response.status, 500);
    assert!(out
        .log
        .contains("Execution failed due to configuration error: Unable to transform request"));
}

#[test]
fn binary_request_bodies_convert_per_content_handling() {
    let doc = r#"{"openapi": "3.0.1", "x-amazon-apigateway-binary-media-types": ["image/png"], "paths": {"/a": {"post": {"x-amazon-apigateway-integration": {"type": "http", "httpMethod": "POST", "uri": "https://b.example", "contentHandling": "CONVERT_TO_TEXT", "responses": {"default": {"statusCode": "200"}}}}}}}"#;
    let api = Api::load(doc).unwrap();
    let req = MethodRequest::new("POST", "/a")
        .with_header("Content-Type", "image/png")
        .with_body(vec![0u8, 1, 2]);
    let (out, e) = call(&api, &req, EndpointResponse::new(200));
    assert_eq!(e.unwrap().body_text(), "AAEC");
    assert!(out
        .log
        .contains("Method request body before transformations: [Binary Data]"));
}

#[test]
fn lambda_payloads_must_be_json() {
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "requestTemplates": {{"application/json": "not json $input.body"}}, "responses": {{"default": {{"statusCode": "200"}}}}}}"#
    );
    let api = api("/a", "post", "", &integration);
    let (out, e) = call(&api, &post("{}", None), EndpointResponse::lambda("{}"));
    assert!(e.is_none());
    assert_eq!(out.response.status, 400);
    assert!(out
        .response
        .body_text()
        .starts_with(r#"{"message": "Could not parse request body into json: "#));
}

// ---- 2.2 request parameter mappings -------------------------------------------------------

fn mapped(params: &str, extra: &str, uri: &str) -> Api {
    api(
        "/pets/{id}",
        "get",
        extra,
        &format!(
            r##"{{"type": "http", "httpMethod": "GET", "uri": "{uri}", "requestParameters": {params}, "requestTemplates": {{"application/json": "#set($context.requestOverride.header.X-Over = 'over')"}}, "responses": {{"default": {{"statusCode": "200"}}}}}}"##
        ),
    )
}

const PARAMS: &str = r#""parameters": [{"name": "q", "in": "query"}, {"name": "X-In", "in": "header"}, {"name": "X-Multi", "in": "header"}],"#;

#[test]
fn mappings_fill_headers_query_strings_and_the_uri() {
    let api = mapped(
        r#"{"integration.request.path.petId": "method.request.path.id",
            "integration.request.header.X-Id": "method.request.path.id",
            "integration.request.header.X-Static": "'fixed'",
            "integration.request.header.X-Stage": "stageVariables.env",
            "integration.request.header.X-Missing": "method.request.header.X-In",
            "integration.request.header.X-Multi": "method.request.multivalueheader.X-Multi",
            "integration.request.header.X-Over": "'mapped'",
            "integration.request.querystring.query": "method.request.querystring.q"}"#,
        PARAMS,
        "https://${stageVariables.host}/pets/{petId}",
    );
    let req = MethodRequest::new("GET", "/pets/42?q=a&q=b")
        .with_header("X-Multi", "1")
        .with_header("X-Multi", "2")
        .with_stage_variable("host", "backend.example")
        .with_stage_variable("env", "prod");
    let (_, e) = call(&api, &req, EndpointResponse::new(200));
    let e = e.unwrap();
    assert_eq!(e.uri, "https://backend.example/pets/42?query=b");
    assert_eq!(e.http_method, "GET");
    assert_eq!(e.header("X-Id"), Some("42"));
    assert_eq!(e.header("X-Static"), Some("fixed"));
    assert_eq!(e.header("X-Stage"), Some("prod"));
    assert_eq!(e.header("X-Multi"), Some("1,2"));
    // a missing value leaves the target unset
    assert_eq!(e.header("X-Missing"), None);
    // the request override beats the mapping
    assert_eq!(e.header("X-Over"), Some("over"));
    // API Gateway's defaults
    assert_eq!(e.header("Accept"), Some("application/json"));
    assert_eq!(e.header("User-Agent"), Some("AmazonAPIGateway_a1b2c3d4e5"));
    assert!(e.header("X-Amzn-Trace-Id").unwrap().starts_with("Root=1-"));
    assert_eq!(e.header("x-amzn-apigateway-api-id"), Some("a1b2c3d4e5"));
}

#[test]
fn some_headers_cannot_be_mapped() {
    let api = mapped(
        r#"{"integration.request.header.Content-Length": "'5'"}"#,
        "",
        "https://b.example",
    );
    let (out, e) = call(
        &api,
        &MethodRequest::new("GET", "/pets/1"),
        EndpointResponse::new(200),
    );
    assert!(e.is_none());
    assert_eq!(out.response.status, 500);
}

#[test]
fn some_mapped_headers_are_dropped() {
    let api = mapped(
        r#"{"integration.request.header.Expect": "'100-continue'", "integration.request.header.Via": "'x'", "integration.request.header.Keep": "'y'"}"#,
        "",
        "https://b.example",
    );
    let (_, e) = call(
        &api,
        &MethodRequest::new("GET", "/pets/1"),
        EndpointResponse::new(200),
    );
    let e = e.unwrap();
    assert_eq!((e.header("Expect"), e.header("Via")), (None, None));
    assert_eq!(e.header("Keep"), Some("y"));
}

#[test]
fn malformed_json_bodies_fail_body_mappings() {
    let api = api(
        "/a",
        "post",
        "",
        r#"{"type": "http", "httpMethod": "POST", "uri": "https://b.example", "requestParameters": {"integration.request.header.X": "method.request.body.a"}, "responses": {"default": {"statusCode": "200"}}}"#,
    );
    let (out, e) = call(&api, &post("{broken", None), EndpointResponse::new(200));
    assert!(e.is_none());
    assert_eq!(out.response.status, 400);
    assert_eq!(
        out.response.body_text(),
        r#"{"message": "Invalid JSON in request body"}"#
    );
    let (_, e) = call(
        &api,
        &post(r#"{"a": "v"}"#, None),
        EndpointResponse::new(200),
    );
    assert_eq!(e.unwrap().header("X"), Some("v"));
}

#[test]
fn an_invalid_endpoint_address_is_a_configuration_error() {
    let api = mapped("{}", "", "not-a-url");
    let (out, e) = call(
        &api,
        &MethodRequest::new("GET", "/pets/1"),
        EndpointResponse::new(200),
    );
    assert!(e.is_none());
    assert_eq!(out.response.status, 500);
    assert_eq!(
        out.response.body_text(),
        r#"{"message": "Internal server error"}"#
    );
    assert_eq!(
        out.response.header("x-amzn-ErrorType"),
        Some("InternalServerErrorException")
    );
    let lines: Vec<&str> = out.log.lines().map(strip_date).collect();
    assert_eq!(
        &lines[lines.len() - 2..],
        [
            "Execution failed due to configuration error: Invalid endpoint address",
            "Method completed with status: 500"
        ]
    );
}

// ---- 2.3 integration responses --------------------------------------------------------------

fn lambda_selection() -> Api {
    // The recorded case: patterns ""→200, .*four hundred.*→405, .+→502, 200→504.
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}",
            "responses": {{"default": {{"statusCode": "200"}}, ".*four hundred.*": {{"statusCode": "405"}}, ".+": {{"statusCode": "502"}}, "200": {{"statusCode": "504"}}}}}}"#
    );
    api(
        "/a",
        "post",
        r#""responses": {"200": {}, "405": {}, "502": {}, "504": {}},"#,
        &integration,
    )
}

#[test]
fn lambda_selection_uses_the_error_message_and_empty_on_success() {
    let api = lambda_selection();
    let status = |payload: &str| {
        call(&api, &post("{}", None), EndpointResponse::lambda(payload))
            .0
            .response
            .status
    };
    assert_eq!(
        status(r#"{"errorMessage": "this is four hundred", "errorType": "E"}"#),
        405
    );
    assert_eq!(status(r#"{"errorMessage": "this is five hundred"}"#), 502);
    // success: the value is "", so .+ does not match and the 200 pattern is never tried on "200"
    assert_eq!(status(r#""Pass""#), 200);
    assert_eq!(status(r#"{"statusCode": 200}"#), 200);
}

fn http_selection(patterns: &str, method_responses: &str) -> Api {
    api(
        "/a",
        "get",
        method_responses,
        &format!(
            r#"{{"type": "http", "httpMethod": "GET", "uri": "https://b.example", "responses": {patterns}}}"#
        ),
    )
}

#[test]
fn http_selection_uses_the_status_code() {
    let api = http_selection(
        r#"{"default": {"statusCode": "200"}, "4\\d{2}": {"statusCode": "400"}}"#,
        "",
    );
    let status = |s: u16| {
        call(
            &api,
            &MethodRequest::new("GET", "/a"),
            EndpointResponse::new(s),
        )
        .0
        .response
        .status
    };
    assert_eq!(status(404), 400);
    assert_eq!(status(201), 200);
}

#[test]
fn selection_patterns_match_the_whole_value() {
    // LocalStack's prefix match would select 400 for 404 with pattern "4".
    let api = http_selection(
        r#"{"default": {"statusCode": "200"}, "4": {"statusCode": "400"}}"#,
        "",
    );
    let status = |s: u16| {
        call(
            &api,
            &MethodRequest::new("GET", "/a"),
            EndpointResponse::new(s),
        )
        .0
        .response
        .status
    };
    assert_eq!(status(404), 200);
    let api = http_selection(
        r#"{"default": {"statusCode": "200"}, "4..": {"statusCode": "400"}}"#,
        "",
    );
    assert_eq!(
        call(
            &api,
            &MethodRequest::new("GET", "/a"),
            EndpointResponse::new(404)
        )
        .0
        .response
        .status,
        400
    );
}

#[test]
fn dot_does_not_match_a_newline_in_error_messages() {
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "responses": {{"default": {{"statusCode": "200"}}, ".*bad.*": {{"statusCode": "400"}}, "(\\n|.)+": {{"statusCode": "500"}}}}}}"#
    );
    let api = api("/a", "post", "", &integration);
    let status = |p: &str| {
        call(&api, &post("{}", None), EndpointResponse::lambda(p))
            .0
            .response
            .status
    };
    assert_eq!(status(r#"{"errorMessage": "a bad thing"}"#), 400);
    assert_eq!(status(r#"{"errorMessage": "a bad\nthing"}"#), 500);
}

#[test]
fn no_match_and_no_default_is_a_500() {
    let api = http_selection(r#"{"2\\d{2}": {"statusCode": "200"}}"#, "");
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a"),
        EndpointResponse::new(404),
    );
    assert_eq!(out.response.status, 500);
    assert!(out.log.contains("No match for output mapping and no default output mapping configured. Endpoint Response Status Code: 404"));
}

#[test]
fn the_selected_status_needs_a_method_response() {
    let api = http_selection(
        r#"{"default": {"statusCode": "201"}}"#,
        r#""responses": {"200": {}},"#,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 500);
    assert!(out
        .log
        .contains("Output mapping refers to an invalid method response: 201"));
}

fn with_templates(templates: &str) -> Api {
    http_selection(
        &format!(r#"{{"default": {{"statusCode": "200", "responseTemplates": {templates}}}}}"#),
        "",
    )
}

fn accept(api: &Api, value: Option<&str>) -> vtl_gateway::MethodResponse {
    let mut req = MethodRequest::new("GET", "/a");
    if let Some(v) = value {
        req = req.with_header("Accept", v);
    }
    call(api, &req, EndpointResponse::new(200).with_body("backend"))
        .0
        .response
}

#[test]
fn the_response_template_follows_the_first_accept_type() {
    // LocalStack uses the whole (last) Accept header line.
    let api = with_templates(
        r#"{"application/json": "json", "application/xml": "xml", "text/html": "html"}"#,
    );
    assert_eq!(
        accept(&api, Some("application/xml, text/html")).body_text(),
        "xml"
    );
    assert_eq!(
        accept(&api, Some("text/html;q=0.9, application/xml")).body_text(),
        "html"
    );
    assert_eq!(accept(&api, None).body_text(), "json");
    assert_eq!(accept(&api, Some("image/png")).body_text(), "json");
    let api = with_templates(r#"{"text/plain": "first", "application/xml": "second"}"#);
    assert_eq!(accept(&api, Some("image/png")).body_text(), "first");
    assert_eq!(
        accept(&api, Some("image/png")).header("Content-Type"),
        Some("text/plain")
    );
}

#[test]
fn no_template_or_an_empty_one_leaves_the_body_unchanged() {
    let api = with_templates("{}");
    let r = accept(&api, None);
    assert_eq!(r.body_text(), "backend");
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    let api = with_templates(r#"{"application/json": ""}"#);
    assert_eq!(accept(&api, None).body_text(), "backend");
}

#[test]
fn response_parameters_map_headers() {
    let api = http_selection(
        r#"{"default": {"statusCode": "200", "responseParameters": {
            "method.response.header.X-Up": "integration.response.header.X-Backend",
            "method.response.header.X-All": "integration.response.multivalueheader.X-Backend",
            "method.response.header.X-Id": "integration.response.body.id",
            "method.response.header.Access-Control-Allow-Origin": "'*'",
            "method.response.header.Server": "'mine'"}}}"#,
        "",
    );
    let answer = EndpointResponse::new(200)
        .with_header("X-Backend", "1")
        .with_header("X-Backend", "2")
        .with_header("X-Unmapped", "gone")
        .with_body(r#"{"id": 9}"#);
    let (out, _) = call(&api, &MethodRequest::new("GET", "/a"), answer);
    let r = out.response;
    assert_eq!(r.header("X-Up"), Some("2"));
    assert_eq!(r.header("X-All"), Some("1,2"));
    assert_eq!(r.header("X-Id"), Some("9"));
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("x-amzn-Remapped-Server"), Some("mine"));
    // only mapped headers reach the client
    assert_eq!(r.header("X-Unmapped"), None);
}

#[test]
fn binary_responses_follow_accept_and_content_handling() {
    let doc = r#"{"openapi": "3.0.1", "x-amazon-apigateway-binary-media-types": ["image/png"], "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http", "httpMethod": "GET", "uri": "https://b.example", "responses": {"default": {"statusCode": "200"}}}}}}}"#;
    let api = Api::load(doc).unwrap();
    let png = EndpointResponse::new(200)
        .with_header("Content-Type", "image/png")
        .with_body(vec![0u8, 255]);
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a").with_header("Accept", "image/png"),
        png.clone(),
    );
    assert_eq!(out.response.body, vec![0u8, 255]);
    let (out, _) = call(&api, &MethodRequest::new("GET", "/a"), png);
    assert_eq!(out.response.body_text(), "AP8=");
}

// ---- 2.4 MOCK -----------------------------------------------------------------------------

fn mock(template: &str, responses: &str) -> Api {
    api(
        "/m",
        "get",
        "",
        &format!(
            r#"{{"type": "mock", "requestTemplates": {{"application/json": {}}}, "responses": {responses}}}"#,
            serde_json::to_string(template).unwrap()
        ),
    )
}

#[test]
fn mock_status_comes_from_the_rendered_template() {
    // Floci and fakecloud always answer 200.
    let api = mock(
        r#"#if($input.params('scope') == "internal"){"statusCode": 200}#else{"statusCode": 500}#end"#,
        r#"{"default": {"statusCode": "200"}, "5\\d{2}": {"statusCode": "500", "responseTemplates": {"application/json": "{\"error\": true}"}}}"#,
    );
    let (out, e) = call(
        &api,
        &MethodRequest::new("GET", "/m?scope=internal"),
        EndpointResponse::new(418),
    );
    assert!(e.is_none(), "MOCK calls no backend");
    assert_eq!(out.response.status, 200);
    assert_eq!(out.response.body_text(), "");
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m?scope=public"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 500);
    assert_eq!(out.response.body_text(), r#"{"error": true}"#);
}

#[test]
fn mock_status_is_parsed_leniently() {
    let api = mock(
        "{statusCode: 404}",
        r#"{"default": {"statusCode": "200"}, "404": {"statusCode": "404"}}"#,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 404);
}

#[test]
fn a_mock_template_without_a_status_is_a_500() {
    let api = mock(r#"{"nothing": 1}"#, r#"{"default": {"statusCode": "200"}}"#);
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 500);
    assert!(out.log.contains("Unable to parse statusCode"));
}

#[test]
fn a_mock_without_a_request_template_returns_the_default_response() {
    let api = api(
        "/m",
        "get",
        "",
        r#"{"type": "mock", "responses": {"default": {"statusCode": "204"}}}"#,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 204);
}

// ---- 2.5 overrides --------------------------------------------------------------------------

#[test]
fn response_override_in_a_mock_request_template_is_applied() {
    let api = api(
        "/m",
        "get",
        r#""responses": {"200": {}},"#,
        r##"{"type": "mock", "requestTemplates": {"application/json": "#set($context.responseOverride.status = 444)#set($context.responseOverride.header.foo = \"bar\")#set($context.responseOverride.custom = \"c\"){\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200"}}}"##,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 444);
    assert_eq!(out.response.header("foo"), Some("bar"));
}

#[test]
fn request_override_data_reaches_the_response_template() {
    let api = api(
        "/m",
        "get",
        "",
        r##"{"type": "mock", "requestTemplates": {"application/json": "#set($context.requestOverride.path.body = $input.params('v')){\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "got $context.requestOverride.path.body"}}}}"##,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m?v=passed"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.body_text(), "got passed");
}

#[test]
fn request_overrides_rewrite_headers_query_and_path() {
    let api = api(
        "/a/{p}",
        "get",
        "",
        r##"{"type": "http", "httpMethod": "GET", "uri": "https://b.example/{p}", "requestParameters": {"integration.request.path.p": "method.request.path.p"}, "requestTemplates": {"application/json": "#set($context.requestOverride.path.p = 'new')#set($context.requestOverride.querystring.q = 'v')#set($context.requestOverride.header.H = ['1', '2'])"}, "responses": {"default": {"statusCode": "200"}}}"##,
    );
    let (_, e) = call(
        &api,
        &MethodRequest::new("GET", "/a/old"),
        EndpointResponse::new(200),
    );
    let e = e.unwrap();
    assert_eq!(e.uri, "https://b.example/new?q=v");
    let hs: Vec<&str> = e
        .headers
        .iter()
        .filter(|(k, _)| k == "H")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(hs, ["1", "2"]);
}

#[test]
fn response_override_status_outside_100_to_599_is_ignored() {
    let api = with_templates(
        r##"{"application/json": "#set($context.responseOverride.status = 700)x"}"##,
    );
    assert_eq!(accept(&api, None).status, 200);
    let api = with_templates(
        r##"{"application/json": "#set($context.responseOverride.status = 201)x"}"##,
    );
    assert_eq!(accept(&api, None).status, 201);
}

// ---- 2.6 the TestInvokeMethod log -----------------------------------------------------------

fn strip_date(line: &str) -> &str {
    match line.find(" UTC ") {
        Some(i) if line.len() > i + 10 && &line[i + 9..i + 12] == " : " => &line[i + 12..],
        _ => line,
    }
}

#[test]
fn mock_log_shape() {
    let api = api(
        "/pets/{petId}",
        "get",
        "",
        r#"{"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "{\"id\": \"$input.params('petId')\"}"}}}}"#,
    );
    let req = MethodRequest::new("GET", "/pets/123?queryTest=value")
        .with_header("content-type", "application/json");
    let out = api.invoke(&req, |_| unreachable!());
    let lines: Vec<&str> = out.log.lines().collect();
    let id = lines[0].strip_prefix("Execution log for request ").unwrap();
    let body: Vec<&str> = lines[1..].iter().map(|l| strip_date(l)).collect();
    assert_eq!(
        body,
        [
            format!("Starting execution for request: {id}").as_str(),
            "HTTP Method: GET, Resource Path: /pets/123",
            "Method request path: {petId=123}",
            "Method request query string: {queryTest=value}",
            "Method request headers: {content-type=application/json}",
            "Method request body before transformations: ",
            r#"Method response body after transformations: {"id": "123"}"#,
            "Method response headers: {Content-Type=application/json}",
            "Successfully completed execution",
            "Method completed with status: 200",
        ]
    );
    assert!(out.log.ends_with('\n'));
    assert!(lines[1].starts_with("Mon Jan 01 00:00:00 UTC 2024 : "));
    assert_eq!(
        out.response.headers,
        vec![("Content-Type".to_string(), "application/json".to_string())]
    );
}

#[test]
fn lambda_log_shape() {
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "responses": {{"default": {{"statusCode": "200"}}}}}}"#
    );
    let api = api("/foo", "get", "", &integration);
    let req = MethodRequest::new("GET", "/foo?queryTest=value")
        .with_header("content-type", "application/json")
        .with_body(r#"{"test": "val123"}"#);
    let out = api.invoke(&req, |_| EndpointResponse::lambda(r#"{"ok": true}"#));
    let body: Vec<&str> = out.log.lines().skip(1).map(strip_date).collect();
    let prefixes = [
        "Starting execution for request: ",
        "HTTP Method: GET, Resource Path: /foo",
        "Method request path: {}",
        "Method request query string: {queryTest=value}",
        "Method request headers: {content-type=application/json}",
        r#"Method request body before transformations: {"test": "val123"}"#,
        "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations",
        "Endpoint request headers: {x-amzn-lambda-integration-tag=",
        r#"Endpoint request body after transformations: {"test": "val123"}"#,
        "Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/",
        "Received response. Status: 200, Integration latency: ",
        "Endpoint response headers: {Date=",
        r#"Endpoint response body before transformations: {"ok": true}"#,
        r#"Method response body after transformations: {"ok": true}"#,
        "Method response headers: {X-Amzn-Trace-Id=Root=1-",
        "Successfully completed execution",
        "Method completed with status: 200",
    ];
    assert_eq!(body.len(), prefixes.len(), "{}", out.log);
    for (line, prefix) in body.iter().zip(prefixes) {
        assert!(
            line.starts_with(prefix),
            "{line:?} should start with {prefix:?}"
        );
    }
    assert!(body[7].contains("Authorization="));
    assert!(body[7].contains("User-Agent=AmazonAPIGateway_"));
    assert!(body[14].ends_with(", Content-Type=application/json}"));
    assert!(out.response.header("X-Amzn-Trace-Id").is_some());
}

#[test]
fn long_log_values_are_truncated() {
    let api = http(r#"{"application/json": ""}"#, "WHEN_NO_MATCH");
    let long = "x".repeat(3000);
    let (out, _) = call(&api, &post(&long, None), EndpointResponse::new(200));
    let line = out
        .log
        .lines()
        .find(|l| l.contains("Method request body before"))
        .unwrap();
    assert!(line.ends_with(" [TRUNCATED]"));
    assert!(line.len() < 1100);
}

#[test]
fn the_clock_and_request_id_can_be_injected() {
    let api = http(r#"{"application/json": ""}"#, "WHEN_NO_MATCH")
        .with_options(vtl_gateway::Options {
            request_id: Some("req-1".into()),
            clock: Some(std::sync::Arc::new(|| 1_504_141_645_000)),
            ..Default::default()
        })
        .unwrap();
    let (out, _) = call(&api, &post("{}", None), EndpointResponse::new(200));
    assert!(out.log.starts_with("Execution log for request req-1\nThu Aug 31 01:07:25 UTC 2017 : Starting execution for request: req-1\n"));
}

#[test]
fn unknown_routes_are_403_missing_authentication_token() {
    let api = http("{}", "WHEN_NO_MATCH");
    let (out, e) = call(
        &api,
        &MethodRequest::new("GET", "/nope"),
        EndpointResponse::new(200),
    );
    assert!(e.is_none());
    assert_eq!(out.response.status, 403);
    assert_eq!(
        out.response.body_text(),
        r#"{"message": "Missing Authentication Token"}"#
    );
}

// ---- 2.7 Lambda non-proxy -------------------------------------------------------------------

#[test]
fn lambda_is_invoked_with_post_on_the_invoke_api() {
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "requestTemplates": {{"application/json": "{{\"id\": \"$input.params('id')\"}}"}}, "responses": {{"default": {{"statusCode": "200"}}}}}}"#
    );
    let api = api("/p/{id}", "get", "", &integration);
    let (out, e) = call(
        &api,
        &MethodRequest::new("GET", "/p/5"),
        EndpointResponse::lambda(r#"{"errorMessage": "unmapped", "errorType": "Error"}"#),
    );
    let e = e.unwrap();
    assert_eq!(e.http_method, "POST");
    assert!(e.uri.ends_with(
        "/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations"
    ));
    assert_eq!(e.body_text(), r#"{"id": "5"}"#);
    // an unmatched error goes to the client as 200 OK
    assert_eq!(out.response.status, 200);
    assert!(out.response.body_text().contains("unmapped"));
}

#[test]
fn custom_lambda_errors_carry_json_in_the_message() {
    let integration = format!(
        r##"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "responses": {{"default": {{"statusCode": "200"}}, ".*\"httpStatus\":500.*": {{"statusCode": "500", "responseTemplates": {{"application/json": "#set($e = $util.parseJson($input.path('$.errorMessage')))$e.message"}}}}}}}}"##
    );
    let api = api("/a", "post", "", &integration);
    let payload = serde_json::json!({"errorMessage": r#"{"httpStatus":500,"message":"db down"}"#})
        .to_string();
    let (out, _) = call(&api, &post("{}", None), EndpointResponse::lambda(payload));
    assert_eq!(out.response.status, 500);
    assert_eq!(out.response.body_text(), "db down");
}

#[test]
fn a_render_error_is_a_500_naming_the_template() {
    let api = with_templates(r##"{"application/json": "#foreach($i in [1..100000000])$i#end"}"##);
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 500);
    let e = out.template_error.expect("the template error is reported");
    assert!(
        e.pointer()
            .unwrap()
            .ends_with("/responseTemplates/application~1json"),
        "{e}"
    );
}

// ---- more of 2.1–2.6 ------------------------------------------------------------------------

#[test]
fn media_types_ignore_case() {
    let api = http(r#"{"application/json": "json"}"#, "NEVER");
    let (out, e) = call(
        &api,
        &post("x", Some("Application/JSON")),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 200);
    assert_eq!(e.unwrap().body_text(), "json");
}

#[test]
fn rest_apis_have_no_default_template_key() {
    let api = http(r#"{"$default": "fallback"}"#, "WHEN_NO_TEMPLATES");
    let (out, e) = call(
        &api,
        &post("x", Some("text/plain")),
        EndpointResponse::new(200),
    );
    assert!(e.is_none());
    assert_eq!(out.response.status, 415);
}

#[test]
fn test_invoke_can_force_application_json() {
    let api = http(
        r#"{"application/json": "json", "text/plain": "text"}"#,
        "NEVER",
    )
    .with_options(vtl_gateway::Options {
        force_json_content_type: true,
        ..Default::default()
    })
    .unwrap();
    let (_, e) = call(
        &api,
        &post("x", Some("text/plain")),
        EndpointResponse::new(200),
    );
    assert_eq!(e.unwrap().body_text(), "json");
}

#[test]
fn request_validators_check_required_parameters() {
    let doc = r#"{"openapi": "3.0.1",
      "x-amazon-apigateway-request-validators": {"params": {"validateRequestParameters": true, "validateRequestBody": false}},
      "paths": {"/a": {"get": {"x-amazon-apigateway-request-validator": "params",
        "parameters": [{"name": "q", "in": "query", "required": true}, {"name": "X-K", "in": "header", "required": true}],
        "x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
          "responses": {"default": {"statusCode": "200"}}}}}}}"#;
    let api = Api::load(doc).unwrap();
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 400);
    assert_eq!(
        out.response.body_text(),
        r#"{"message": "Missing required request parameters: [X-K, q]"}"#
    );
    let ok = MethodRequest::new("GET", "/a?q=1").with_header("x-k", "v");
    let (out, _) = call(&api, &ok, EndpointResponse::new(200));
    assert_eq!(out.response.status, 200);
    let lines: Vec<&str> = out.log.lines().map(strip_date).collect();
    assert_eq!(
        lines[7],
        "Request validation succeeded for content type application/json"
    );
    assert!(lines[6].starts_with("Method request body before transformations"));
}

#[test]
fn a_dot_star_pattern_catches_lambda_successes_too() {
    let integration = format!(
        r#"{{"type": "aws", "httpMethod": "POST", "uri": "{LAMBDA_URI}", "responses": {{"default": {{"statusCode": "200"}}, ".*": {{"statusCode": "400"}}}}}}"#
    );
    let api = api("/a", "post", "", &integration);
    let (out, _) = call(
        &api,
        &post("{}", None),
        EndpointResponse::lambda(r#"{"ok": 1}"#),
    );
    assert_eq!(out.response.status, 400);
}

#[test]
fn binary_bodies_cannot_go_through_a_response_template() {
    let doc = r#"{"openapi": "3.0.1", "x-amazon-apigateway-binary-media-types": ["image/png"], "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http", "httpMethod": "GET", "uri": "https://b.example", "responses": {"default": {"statusCode": "200", "contentHandling": "CONVERT_TO_BINARY", "responseTemplates": {"application/json": "t"}}}}}}}}"#;
    let api = Api::load(doc).unwrap();
    let answer = EndpointResponse::new(200).with_body("AAE=");
    let (out, _) = call(&api, &MethodRequest::new("GET", "/a"), answer);
    assert_eq!(out.response.status, 500);
}

#[test]
fn custom_response_override_keys_reach_the_response_template() {
    let api = api(
        "/m",
        "get",
        "",
        r##"{"type": "mock", "requestTemplates": {"application/json": "#set($context.responseOverride.custom = 'kept'){\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "$context.responseOverride.custom"}}}}"##,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/m"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.body_text(), "kept");
}

#[test]
fn a_resource_template_as_the_path_is_a_test_invoke_without_path() {
    let api = api(
        "/pets/{petId}",
        "get",
        "",
        r#"{"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "$input.params('petId')"}}}}"#,
    );
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/pets/{petId}"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.body_text(), "{petId}");
    assert!(out.log.contains("Method request path: {petId={petId}}"));
}

// ---- 2.8 gateway responses --------------------------------------------------------------------

#[test]
fn gateway_responses_can_be_customized() {
    let doc = r#"{"openapi": "3.0.1",
      "x-amazon-apigateway-gateway-responses": {
        "DEFAULT_4XX": {"responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
                                               "gatewayresponse.header.X-Req": "method.request.header.X-Req"}},
        "UNSUPPORTED_MEDIA_TYPE": {"statusCode": "400", "responseTemplates": {"application/json": "{\"error\": $context.error.messageString, \"type\": \"$context.error.responseType\", \"stage\": \"$context.stage\"}"}}},
      "paths": {"/a": {"post": {"x-amazon-apigateway-integration": {"type": "mock", "passthroughBehavior": "NEVER",
        "requestTemplates": {"application/json": "{\"statusCode\": 200}"}, "responses": {"default": {"statusCode": "200"}}}}}}}"#;
    let api = Api::load(doc).unwrap();
    // The type's own customization.
    let req = post("x", Some("text/plain"));
    let (out, _) = call(&api, &req, EndpointResponse::new(200));
    assert_eq!(out.response.status, 400);
    assert_eq!(
        out.response.body_text(),
        r#"{"error": "Unsupported Media Type", "type": "UNSUPPORTED_MEDIA_TYPE", "stage": "test"}"#
    );
    assert_eq!(
        out.response.header("x-amzn-ErrorType"),
        Some("BadRequestException")
    );
    // DEFAULT_4XX for the others: the default body with the mapped headers.
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/none").with_header("X-Req", "r1"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 403);
    assert_eq!(
        out.response.body_text(),
        r#"{"message": "Missing Authentication Token"}"#
    );
    assert_eq!(
        out.response.header("Access-Control-Allow-Origin"),
        Some("*")
    );
    assert_eq!(out.response.header("X-Req"), Some("r1"));
    // The two-stage API applies them too.
    let g = api.integration_request(&req).unwrap_err();
    assert_eq!(api.gateway_response(&req, &g).status, 400);
}

#[test]
fn cloudformation_gateway_responses() {
    let doc = r#"
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Default5xx:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      ResponseType: DEFAULT_5XX
      RestApiId: !Ref Api
      ResponseParameters: {gatewayresponse.header.X-Err: "'yes'"}
  Res: {Type: AWS::ApiGateway::Resource, Properties: {ParentId: !GetAtt Api.RootResourceId, PathPart: a}}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: !Ref Res
      Integration: {Type: HTTP, IntegrationHttpMethod: GET, Uri: "not-a-url"}
"#;
    let api = Api::load(doc).unwrap();
    let (out, _) = call(
        &api,
        &MethodRequest::new("GET", "/a"),
        EndpointResponse::new(200),
    );
    assert_eq!(out.response.status, 500);
    assert_eq!(out.response.header("X-Err"), Some("yes"));
}
