//! Property tests: random specs and random requests never panic; a spec that fails to load
//! names a JSON pointer that exists in the document.

use proptest::prelude::*;
use serde_json::{json, Value as Json};
use vtl_gateway::{Api, EndpointResponse, ErrorKind, MethodRequest};

/// Keys a spec may hold, so random documents reach deep into the loader.
const KEYS: &[&str] = &[
    "openapi",
    "paths",
    "/a",
    "/a/{id}",
    "/{proxy+}",
    "get",
    "post",
    "x-amazon-apigateway-any-method",
    "x-amazon-apigateway-integration",
    "type",
    "uri",
    "httpMethod",
    "requestTemplates",
    "responseTemplates",
    "responses",
    "default",
    "statusCode",
    "requestParameters",
    "responseParameters",
    "passthroughBehavior",
    "contentHandling",
    "parameters",
    "in",
    "name",
    "application/json",
    "Resources",
    "Type",
    "Properties",
    "Integration",
    "IntegrationResponses",
    "AWS::ApiGateway::Method",
    "AWS::Serverless::Api",
    "DefinitionBody",
    "x-amazon-apigateway-binary-media-types",
    "$ref",
    "timeoutInMillis",
    "x-amazon-apigateway-request-validators",
    "x-amazon-apigateway-request-validator",
    "x-amazon-apigateway-gateway-responses",
    "DEFAULT_4XX",
    "gatewayresponse.header.X",
    "AWS::ApiGateway::GatewayResponse",
    "ResponseType",
    "requestBody",
    "content",
    "schema",
];

fn leaf() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        (0u32..700).prop_map(|n| json!(n)),
        prop::sample::select(KEYS).prop_map(|k| json!(k)),
        "[a-zA-Z0-9 .*(){}$#'\"\\\\/:-]{0,12}".prop_map(Json::String),
        prop::sample::select(
            &[
                "MOCK",
                "mock",
                "AWS",
                "HTTP",
                "AWS_PROXY",
                "HTTP_PROXY",
                "NEVER",
                "WHEN_NO_MATCH",
                "method.request.path.id",
                "'x'",
                "integration.request.header.X",
                "4\\d{2}",
                "#if($x",
                "$input.json('$')"
            ][..]
        )
        .prop_map(|s| json!(s)),
    ]
}

fn value() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(|kv| {
                Json::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn base_spec() -> Json {
    json!({"openapi": "3.0.1", "paths": {
        "/a/{id}": {"get": {
            "parameters": [{"name": "q", "in": "query"}],
            "x-amazon-apigateway-integration": {
                "type": "http", "httpMethod": "GET", "uri": "https://b.example/{id}",
                "requestParameters": {"integration.request.path.id": "method.request.path.id"},
                "requestTemplates": {"application/json": "{\"q\": \"$input.params('q')\"}"},
                "responses": {"default": {"statusCode": "200", "responseTemplates": {"application/json": "$input.body"}},
                              "4\\d{2}": {"statusCode": "400"}}}}},
        "/m": {"post": {"x-amazon-apigateway-integration": {
                "type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                "responses": {"default": {"statusCode": "200"}}}}}}})
}

/// Every pointer into `v` (the root is "").
fn pointers(v: &Json, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Json::Object(m) => {
            for (k, child) in m {
                pointers(
                    child,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Json::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn check_located(doc: &Json) {
    match Api::load(&doc.to_string()) {
        Ok(api) => {
            // A loaded API runs any of its routes without panicking.
            let r = api.invoke(&MethodRequest::new("GET", "/a/1?q=x"), |_| {
                EndpointResponse::new(404)
            });
            assert!((100..=599).contains(&r.response.status));
        }
        Err(e) => match e.kind() {
            ErrorKind::Spec | ErrorKind::TemplateCompile => {
                let p = e.pointer().expect("a spec error names a pointer");
                assert!(doc.pointer(p).is_some(), "{p} is not in {doc}: {e}");
            }
            ErrorKind::Syntax => panic!("JSON text failed to parse: {e}"),
            _ => {}
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_load_or_give_located_errors(doc in value()) {
        check_located(&doc);
        check_located(&json!({"paths": doc.clone()}));
        check_located(&json!({"Resources": {"M": {"Type": "AWS::ApiGateway::Method", "Properties": doc}}}));
    }

    #[test]
    fn mutated_specs_load_or_give_located_errors(choice in any::<prop::sample::Index>(), replacement in value()) {
        let mut doc = base_spec();
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let target = choice.get(&all).clone();
        if let Some(slot) = doc.pointer_mut(&target) {
            *slot = replacement;
        }
        check_located(&doc);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let _ = Api::load(&text);
    }

    #[test]
    fn random_requests_never_panic(
        method in prop::sample::select(&["GET", "POST", "PUT", "OPTIONS", "DELETE", "get"][..]),
        path in "(/[a-z0-9{}%+.~-]{0,6}){0,4}(\\?[a-z=&%+]{0,12})?",
        headers in prop::collection::vec(("[A-Za-z-]{1,12}", "\\PC{0,20}"), 0..4),
        content_type in prop::option::of(prop::sample::select(&["application/json", "application/json; charset=utf-8", "text/plain", "image/png", "application/xml", ""][..])),
        body in prop::collection::vec(any::<u8>(), 0..64),
        status in 100u16..600,
        answer in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let pets = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/pets/openapi.yaml")).unwrap();
        for api in [Api::load(&pets).unwrap(), Api::load(&base_spec().to_string()).unwrap()] {
            let mut req = MethodRequest::new(method, &path).with_body(body.clone());
            for (k, v) in &headers {
                req = req.with_header(k, v);
            }
            if let Some(ct) = content_type {
                req = req.with_header("Content-Type", ct);
            }
            let out = api.invoke(&req, |_| EndpointResponse::new(status).with_body(answer.clone()));
            prop_assert!((100..=599).contains(&out.response.status));
            let last = out.log.lines().last().unwrap_or_default().to_string();
            prop_assert!(last.ends_with(&format!("Method completed with status: {}", out.response.status)), "{}", out.log);
        }
    }
}
