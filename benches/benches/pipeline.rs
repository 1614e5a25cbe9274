//! Criterion benchmarks of the method pipeline in-process (`Api::invoke`, MOCK integration):
//! `pipeline/plain` is a method without validator, API key or authorizer (the front door must
//! cost nothing there); `pipeline/validated` adds a request validator and a body model;
//! `pipeline/authorized` adds an API key and a TOKEN authorizer answered from the result cache.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use vtl_gateway::{Api, AuthorizerCache, EndpointResponse, FrontOptions, MethodRequest, Options};

const TEMPLATE: &str = r#"{"id": "$input.path('$.id')", "n": $input.json('$.items').length()}"#;

fn spec(front_door: bool, validator: bool) -> String {
    let mut op = json!({
        "x-amazon-apigateway-integration": {"type": "mock",
            "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "responses": {"default": {"statusCode": "200",
                "responseTemplates": {"application/json": TEMPLATE}}}}});
    if validator {
        op["x-amazon-apigateway-request-validator"] = json!("all");
        op["requestBody"] = json!({"content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "items"],
            "properties": {"id": {"type": "string"}, "items": {"type": "array", "items": {"type": "integer"}}}}}}});
    }
    if front_door {
        op["security"] = json!([{"key": [], "tok": []}]);
    }
    json!({"openapi": "3.0.1",
        "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": true, "validateRequestParameters": true}},
        "components": {"securitySchemes": {
            "key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
            "tok": {"type": "apiKey", "name": "Authorization", "in": "header",
                "x-amazon-apigateway-authtype": "custom",
                "x-amazon-apigateway-authorizer": {"type": "token", "authorizerResultTtlInSeconds": 300}}}},
        "paths": {"/orders": {"post": op}}})
    .to_string()
}

fn api(front_door: bool, validator: bool) -> Api {
    let front = FrontOptions {
        enforce: true,
        api_keys: vec!["k-1".into()],
        authorizer: Some(Arc::new(|_: &str, _: &serde_json::Value| {
            Ok(json!({"principalId": "u", "policyDocument": {"Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}))
        })),
        cache: Some(Arc::new(AuthorizerCache::new())),
        ..FrontOptions::default()
    };
    Api::load(&spec(front_door, validator))
        .and_then(|a| {
            a.with_options(Options {
                front,
                ..Options::default()
            })
        })
        .unwrap()
}

fn pipeline(c: &mut Criterion) {
    let request = MethodRequest::new("POST", "/orders")
        .with_header("Content-Type", "application/json")
        .with_header("x-api-key", "k-1")
        .with_header("Authorization", "token-1")
        .with_body(r#"{"id": "o-1", "items": [1, 2, 3]}"#);
    let mut group = c.benchmark_group("pipeline");
    for (name, front_door, validator) in [
        ("plain", false, false),
        ("validated", false, true),
        ("authorized", true, true),
    ] {
        let api = api(front_door, validator);
        assert_eq!(
            api.invoke(&request, |_| EndpointResponse::new(200))
                .response
                .status,
            200
        );
        group.bench_function(name, |b| {
            b.iter(|| black_box(api.invoke(black_box(&request), |_| EndpointResponse::new(200))))
        });
    }
    group.finish();
}

mod settings;
use settings::config;

criterion_group! {
    name = benches;
    config = config();
    targets = pipeline
}
criterion_main!(benches);
