//! The front door: API keys, Lambda TOKEN/REQUEST authorizers (policy evaluation against the
//! method ARN, the context map, the result cache), Cognito claims and expiry, `AWS_IAM`, request
//! validation, gateway responses for each rejection, and located errors for malformed specs.
//! The example API's method cases (examples/front-door) run here too.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value as Json};
use vtl_gateway::case::{Case, SpecCache};
use vtl_gateway::{Api, AuthorizerCache, EndpointResponse, FrontOptions, MethodRequest, Options};

fn api(doc: &Json, front: FrontOptions) -> Api {
    Api::load(&doc.to_string())
        .and_then(|a| {
            a.with_options(Options {
                front,
                ..Options::default()
            })
        })
        .expect("loads")
}

fn mock(template: &str) -> Json {
    json!({"type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
           "responses": {"default": {"statusCode": "200",
             "responseTemplates": {"application/json": template}}}})
}

/// An API whose GET /items/{id} is guarded by a TOKEN authorizer `tok` (ttl 300).
fn token_api() -> Json {
    json!({"openapi": "3.0.1",
      "components": {"securitySchemes": {"tok": {"type": "apiKey", "name": "Authorization", "in": "header",
         "x-amazon-apigateway-authtype": "custom",
         "x-amazon-apigateway-authorizer": {"type": "token", "authorizerResultTtlInSeconds": 300}}}},
      "paths": {"/items/{id}": {"get": {"security": [{"tok": []}],
         "x-amazon-apigateway-integration": mock("$context.authorizer.principalId|$context.authorizer.n|$context.authorizer.ok")}}}})
}

fn allow(resource: &str) -> Json {
    json!({"principalId": "u-1",
           "policyDocument": {"Version": "2012-10-17", "Statement": [
             {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resource}]},
           "context": {"n": 7, "ok": true}})
}

fn with_authorizer(
    answer: impl Fn(&Json) -> Result<Json, String> + Send + Sync + 'static,
) -> (FrontOptions, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let front = FrontOptions {
        enforce: true,
        authorizer: Some(Arc::new(move |_name: &str, event: &Json| {
            c.fetch_add(1, Ordering::SeqCst);
            answer(event)
        })),
        cache: Some(Arc::new(AuthorizerCache::new())),
        ..FrontOptions::default()
    };
    (front, calls)
}

fn get(path: &str, token: Option<&str>) -> MethodRequest {
    let mut r = MethodRequest::new("GET", path);
    if let Some(t) = token {
        r = r.with_header("Authorization", t);
    }
    r
}

fn run(api: &Api, req: &MethodRequest) -> (u16, String, String) {
    let inv = api.invoke(req, |_| EndpointResponse::new(200));
    (inv.response.status, inv.response.body_text(), inv.log)
}

#[test]
fn token_authorizer_allows_and_fills_context() {
    let (front, _) = with_authorizer(|e| {
        assert_eq!(e["type"], "TOKEN");
        assert_eq!(e["authorizationToken"], "tok-1");
        assert_eq!(
            e["methodArn"]
                .as_str()
                .unwrap()
                .rsplit_once(":")
                .unwrap()
                .1
                .split_once('/')
                .unwrap()
                .1,
            "test/GET/items/9"
        );
        Ok(allow("arn:aws:execute-api:*:*:*/test/GET/items/*"))
    });
    let a = api(&token_api(), front);
    let (status, body, log) = run(&a, &get("/items/9", Some("tok-1")));
    assert_eq!(status, 200, "{log}");
    assert_eq!(body, "u-1|7|true");
}

#[test]
fn policy_wildcards_are_matched_against_the_method_arn() {
    for (resource, status) in [
        ("*", 200),
        ("arn:aws:execute-api:us-east-1:123456789012:*", 200),
        ("arn:aws:execute-api:*:*:*/*/GET/items/9", 200),
        ("arn:aws:execute-api:*:*:*/*/GET/items/?", 200),
        ("arn:aws:execute-api:*:*:*/*/POST/items/*", 403),
        ("arn:aws:execute-api:*:*:*/prod/GET/*", 403),
    ] {
        let r = resource.to_string();
        let (front, _) = with_authorizer(move |_| Ok(allow(&r)));
        let (s, body, log) = run(&api(&token_api(), front), &get("/items/9", Some("t")));
        assert_eq!(s, status, "{resource}: {body}\n{log}");
        if status == 403 {
            assert_eq!(
                body,
                r#"{"Message": "User is not authorized to access this resource"}"#
            );
        }
    }
}

#[test]
fn explicit_deny_wins_over_allow() {
    let (front, _) = with_authorizer(|_| {
        Ok(json!({"principalId": "u", "policyDocument": {"Statement": [
            {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"},
            {"Action": "execute-api:*", "Effect": "Deny", "Resource": "*"}]}}))
    });
    let (s, body, _) = run(&api(&token_api(), front), &get("/items/1", Some("t")));
    assert_eq!(s, 403);
    assert!(body.contains("explicit deny"), "{body}");
}

#[test]
fn unauthorized_missing_token_and_bad_answers() {
    let (front, calls) = with_authorizer(|_| Err("Unauthorized".into()));
    let a = api(&token_api(), front);
    let (s, body, _) = run(&a, &get("/items/1", Some("t")));
    assert_eq!((s, body.as_str()), (401, r#"{"message": "Unauthorized"}"#));
    // No token: 401 without calling the function.
    let before = calls.load(Ordering::SeqCst);
    let (s, _, _) = run(&a, &get("/items/1", None));
    assert_eq!(s, 401);
    assert_eq!(calls.load(Ordering::SeqCst), before);
    // A failing function or an unusable answer: 500.
    let (front, _) = with_authorizer(|_| Err("boom".into()));
    let (s, _, log) = run(&api(&token_api(), front), &get("/items/1", Some("t")));
    assert_eq!(s, 500, "{log}");
    let (front, _) = with_authorizer(|_| Ok(json!({"principalId": "u"})));
    let (s, _, log) = run(&api(&token_api(), front), &get("/items/1", Some("t")));
    assert_eq!(s, 500);
    assert!(log.contains("policyDocument is missing"), "{log}");
    let (front, _) = with_authorizer(|_| {
        let mut r = allow("*");
        r["context"] = json!({"nested": {"a": 1}});
        Ok(r)
    });
    let (s, _, _) = run(&api(&token_api(), front), &get("/items/1", Some("t")));
    assert_eq!(s, 500);
}

#[test]
fn results_are_cached_by_identity_source() {
    let (front, calls) = with_authorizer(|_| Ok(allow("*")));
    let a = api(&token_api(), front);
    for _ in 0..3 {
        assert_eq!(run(&a, &get("/items/1", Some("same"))).0, 200);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(run(&a, &get("/items/1", Some("other"))).0, 200);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // ttl 0: no caching.
    let mut doc = token_api();
    doc["components"]["securitySchemes"]["tok"]["x-amazon-apigateway-authorizer"]
        ["authorizerResultTtlInSeconds"] = json!(0);
    let (front, calls) = with_authorizer(|_| Ok(allow("*")));
    let a = api(&doc, front);
    run(&a, &get("/items/1", Some("same")));
    run(&a, &get("/items/1", Some("same")));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn request_authorizer_gets_the_request() {
    let doc = json!({"openapi": "3.0.1",
      "components": {"securitySchemes": {"req": {"type": "apiKey", "name": "x", "in": "header",
         "x-amazon-apigateway-authtype": "custom",
         "x-amazon-apigateway-authorizer": {"type": "request",
            "identitySource": "method.request.header.X-Tenant, method.request.querystring.s"}}}},
      "paths": {"/r/{id}": {"get": {"security": [{"req": []}],
         "x-amazon-apigateway-integration": mock("$context.authorizer.tenant")}}}});
    let (front, _) = with_authorizer(|e| {
        assert_eq!(e["type"], "REQUEST");
        assert_eq!(e["headers"]["X-Tenant"], "acme");
        assert_eq!(e["queryStringParameters"]["s"], "1");
        assert_eq!(e["pathParameters"]["id"], "5");
        let mut r = allow("*");
        r["context"] = json!({"tenant": e["headers"]["X-Tenant"]});
        Ok(r)
    });
    let a = api(&doc, front);
    let mut req = MethodRequest::new("GET", "/r/5").with_header("X-Tenant", "acme");
    req.query.push(("s".into(), "1".into()));
    let (s, body, log) = run(&a, &req);
    assert_eq!((s, body.as_str()), (200, "acme"), "{log}");
    // One identity source missing: 401.
    let (s, _, _) = run(
        &a,
        &MethodRequest::new("GET", "/r/5").with_header("X-Tenant", "acme"),
    );
    assert_eq!(s, 401);
}

fn cognito_api() -> Json {
    json!({"openapi": "3.0.1",
      "components": {"securitySchemes": {"pool": {"type": "apiKey", "name": "Authorization", "in": "header",
         "x-amazon-apigateway-authtype": "cognito_user_pools",
         "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": ["arn:x"]}}}},
      "paths": {"/me": {"get": {"security": [{"pool": []}],
         "x-amazon-apigateway-integration": mock("$context.authorizer.claims.sub")}}}})
}

fn jwt(claims: &Json) -> String {
    use base64::Engine as _;
    let e = |v: &Json| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.sig", e(&json!({"alg": "RS256"})), e(claims))
}

#[test]
fn cognito_claims_expiry_and_verifier() {
    let front = FrontOptions {
        enforce: true,
        ..FrontOptions::default()
    };
    let a = api(&cognito_api(), front);
    // The default clock is 2024-01-01T00:00:00Z (1704067200).
    let good = jwt(&json!({"sub": "s-1", "exp": 1704067201}));
    let (s, body, log) = run(&a, &get("/me", Some(&good)));
    assert_eq!((s, body.as_str()), (200, "s-1"));
    assert!(log.contains("signature is NOT checked"), "{log}");
    let expired = jwt(&json!({"sub": "s-1", "exp": 1704067200}));
    let (s, body, _) = run(&a, &get("/me", Some(&expired)));
    assert_eq!(s, 401);
    assert_eq!(body, r#"{"message": "The incoming token has expired"}"#);
    let (s, _, _) = run(&a, &get("/me", Some("not-a-jwt")));
    assert_eq!(s, 401);
    // A verifier refusing the signature: 401, and no warning.
    let front = FrontOptions {
        enforce: true,
        jwt_verifier: Some(Arc::new(|t: &str| {
            if t.ends_with(".sig") {
                Err("bad".into())
            } else {
                Ok(())
            }
        })),
        ..FrontOptions::default()
    };
    let (s, _, log) = run(&api(&cognito_api(), front), &get("/me", Some(&good)));
    assert_eq!(s, 401);
    assert!(!log.contains("NOT checked"));
}

#[test]
fn api_keys_missing_unknown_and_accepted() {
    let doc = json!({"swagger": "2.0",
      "securityDefinitions": {"k": {"type": "apiKey", "name": "x-api-key", "in": "header"}},
      "paths": {"/p": {"get": {"security": [{"k": []}],
         "x-amazon-apigateway-integration": mock("$context.identity.apiKey")}}}});
    let front = FrontOptions {
        enforce: true,
        api_keys: vec!["good-key".into()],
        ..FrontOptions::default()
    };
    let a = api(&doc, front);
    let (s, body, log) = run(&a, &MethodRequest::new("GET", "/p"));
    assert_eq!((s, body.as_str()), (403, r#"{"message": "Forbidden"}"#));
    assert!(log.contains("API Key not provided"));
    let (s, _, log) = run(
        &a,
        &MethodRequest::new("GET", "/p").with_header("x-api-key", "bad"),
    );
    assert_eq!(s, 403);
    assert!(log.contains("not authorized"));
    let (s, body, _) = run(
        &a,
        &MethodRequest::new("GET", "/p").with_header("x-api-key", "good-key"),
    );
    assert_eq!((s, body.as_str()), (200, "good-key"));
    // Not enforced (TestInvokeMethod): no key needed.
    let a = api(&doc, FrontOptions::default());
    assert_eq!(run(&a, &MethodRequest::new("GET", "/p")).0, 200);
}

#[test]
fn gateway_responses_shape_every_front_door_rejection() {
    let mut doc = token_api();
    doc["x-amazon-apigateway-gateway-responses"] = json!({
        "UNAUTHORIZED": {"statusCode": 401, "responseTemplates": {"application/json": "{\"why\": $context.error.messageString}"}},
        "ACCESS_DENIED": {"responseParameters": {"gatewayresponse.header.X-Denied": "'yes'"}},
        "DEFAULT_5XX": {"statusCode": 503}});
    let (front, _) = with_authorizer(|e| match e["authorizationToken"].as_str() {
        Some("deny") => Ok(allow("arn:none")),
        Some("fail") => Err("crash".into()),
        _ => Err("Unauthorized".into()),
    });
    let a = api(&doc, front);
    let inv = a.invoke(&get("/items/1", Some("x")), |_| EndpointResponse::new(200));
    assert_eq!(inv.response.status, 401);
    assert_eq!(inv.response.body_text(), r#"{"why": "Unauthorized"}"#);
    let inv = a.invoke(&get("/items/1", Some("deny")), |_| {
        EndpointResponse::new(200)
    });
    assert_eq!(inv.response.status, 403);
    assert_eq!(inv.response.header("X-Denied"), Some("yes"));
    let inv = a.invoke(&get("/items/1", Some("fail")), |_| {
        EndpointResponse::new(200)
    });
    assert_eq!(inv.response.status, 503);
}

#[test]
fn malformed_front_doors_are_located_errors() {
    let cases = [
        (
            json!({"openapi": "3.0.1", "components": {"securitySchemes": {"a": {"type": "apiKey", "name": "x", "in": "header",
               "x-amazon-apigateway-authorizer": {"type": "request"}}}}, "paths": {}}),
            "/components/securitySchemes/a/x-amazon-apigateway-authorizer",
            "no identity source",
        ),
        (
            json!({"openapi": "3.0.1", "paths": {"/a": {"get": {"x-amazon-apigateway-request-validator": "nope",
               "x-amazon-apigateway-integration": mock("")}}}}),
            "/paths/~1a/get/x-amazon-apigateway-request-validator",
            "nope",
        ),
        (
            json!({"openapi": "3.0.1", "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": true}},
               "paths": {"/a": {"post": {"x-amazon-apigateway-request-validator": "all",
               "requestBody": {"content": {"application/json": {"schema": {"type": 12}}}},
               "x-amazon-apigateway-integration": mock("")}}}}),
            "/paths/~1a/post/requestBody/content/application~1json/schema",
            "",
        ),
        (
            json!({"openapi": "3.0.1", "paths": {"/a": {"get": {"security": [{"missing": []}],
               "x-amazon-apigateway-integration": mock("")}}}}),
            "/paths/~1a/get/security/0/missing",
            "no security scheme",
        ),
        (
            json!({"openapi": "3.0.1", "x-amazon-apigateway-gateway-responses": {"NOT_A_TYPE": {}}, "paths": {}}),
            "/x-amazon-apigateway-gateway-responses/NOT_A_TYPE",
            "not a gateway response type",
        ),
    ];
    for (doc, pointer, words) in cases {
        let e = Api::load(&doc.to_string())
            .err()
            .unwrap_or_else(|| panic!("{doc} loaded"));
        let text = e.to_string();
        assert!(
            e.pointer().is_some_and(|p| p.starts_with(pointer)),
            "{text} (pointer {:?}, wanted {pointer})",
            e.pointer()
        );
        assert!(text.contains(words), "{text}");
    }
}

#[test]
fn the_example_api_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/front-door");
    let text = std::fs::read_to_string(dir.join("front-door.cases.yaml")).unwrap();
    let doc: Json = serde_yaml_ng::from_str(&text).unwrap();
    let mut cache = SpecCache::new();
    let mut n = 0;
    for entry in doc["cases"].as_array().unwrap() {
        let case = Case::from_json(entry, &dir).unwrap();
        let api = cache.api(&case).unwrap();
        let result = case.run(&api);
        let mismatches = case.check(&result, false);
        assert!(mismatches.is_empty(), "{}: {mismatches:?}", case.name);
        n += 1;
    }
    assert!(n >= 15);
}
