//! Tests of reading a spec into the model (OpenAPI exports, CloudFormation/SAM templates).

use super::*;

fn err(text: &str) -> Error {
    read(&parse_document(text).unwrap()).unwrap_err()
}

#[test]
fn openapi_integration_is_read() {
    let doc = parse_document(
            r#"{"openapi": "3.0.1", "paths": {"/pets/{id}": {"get": {
                "parameters": [{"name": "limit", "in": "query"}],
                "responses": {"200": {}},
                "x-amazon-apigateway-integration": {"type": "aws", "httpMethod": "POST",
                  "uri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations",
                  "requestTemplates": {"application/json": "{}"},
                  "responses": {"default": {"statusCode": "200"}, ".*bad.*": {"statusCode": 400}}}}}}}"#,
        )
        .unwrap();
    let spec = read(&doc).unwrap();
    let m = &spec.resources[0].methods[0];
    assert_eq!(spec.resources[0].path, "/pets/{id}");
    assert_eq!(m.http_method, "GET");
    assert_eq!(m.responses, vec![200]);
    assert_eq!(m.parameters.len(), 2);
    let i = m.integration.as_ref().unwrap();
    assert!(i.is_lambda());
    assert_eq!(i.passthrough, PassthroughBehavior::WhenNoMatch);
    assert_eq!(i.timeout_ms, 29_000);
    assert!(i.responses[0].is_default());
    assert_eq!(i.responses[1].status, 400);
    assert_eq!(
            i.request_templates[0].pointer,
            "/paths/~1pets~1{id}/get/x-amazon-apigateway-integration/requestTemplates/application~1json"
        );
}

#[test]
fn malformed_parts_are_located() {
    let e =
        err(r#"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "SOAP"}}}}}"#);
    assert_eq!(
        e.pointer(),
        Some("/paths/~1a/get/x-amazon-apigateway-integration/type")
    );
    let e = err(
        r#"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "MOCK", "responses": {"(": {"statusCode": 200}}}}}}}"#,
    );
    assert_eq!(
        e.pointer(),
        Some("/paths/~1a/get/x-amazon-apigateway-integration/responses/(")
    );
    assert!(e.message().contains("Unclosed group"), "{e}");
    let e = err(
        r#"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "MOCK", "responses": {"default": {"statusCode": 99}}}}}}}"#,
    );
    assert_eq!(
        e.pointer(),
        Some("/paths/~1a/get/x-amazon-apigateway-integration/responses/default/statusCode")
    );
    let e =
        err(r#"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "HTTP"}}}}}"#);
    assert!(e.message().contains("needs a \"uri\""), "{e}");
    let e = err(r#"{"paths": {"/{a": {}}}"#);
    assert_eq!(e.pointer(), Some("/paths/~1{a"));
    let e = err(r#"{"paths": []}"#);
    assert_eq!(e.pointer(), Some("/paths"));
    let e = err(r#"{"x": 1}"#);
    assert_eq!(e.pointer(), Some(""));
}

#[test]
fn cloudformation_methods_and_resources() {
    let doc = parse_document(
            r#"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BinaryMediaTypes: ["image~1png"]
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: {ParentId: !GetAtt Api.RootResourceId, PathPart: pets}
  Pet:
    Type: AWS::ApiGateway::Resource
    Properties: {ParentId: !Ref Pets, PathPart: "{id}"}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: get
      ResourceId: !Ref Pet
      RequestParameters: {method.request.header.X-Key: true}
      MethodResponses: [{StatusCode: 200}]
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations"
        RequestTemplates: {application/json: !Sub "{\"id\": \"$input.params('id')\"}"}
        IntegrationResponses:
          - StatusCode: 200
          - StatusCode: 404
            SelectionPattern: ".*not found.*"
"#,
        )
        .unwrap();
    let spec = read(&doc).unwrap();
    assert_eq!(spec.binary_media_types, vec!["image/png"]);
    let r = &spec.resources[0];
    assert_eq!(r.path, "/pets/{id}");
    let m = &r.methods[0];
    assert_eq!(m.http_method, "GET");
    assert!(m.parameters.iter().any(|p| p.name == "X-Key" && p.required));
    let i = m.integration.as_ref().unwrap();
    assert!(i.is_lambda());
    assert_eq!(
        i.responses[1].selection_pattern.as_deref(),
        Some(".*not found.*")
    );
    assert_eq!(
        i.request_templates[0].source,
        "{\"id\": \"$input.params('id')\"}"
    );
}

#[test]
fn sam_definition_body_is_read() {
    let doc = parse_document(
            r#"{"Resources": {"Api": {"Type": "AWS::Serverless::Api", "Properties": {"DefinitionBody": {"swagger": "2.0", "paths": {"/x": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": {"type": "mock", "responses": {"default": {"statusCode": "200"}}}}}}}}}}}"#,
        )
        .unwrap();
    let spec = read(&doc).unwrap();
    assert_eq!(spec.resources[0].methods[0].http_method, "ANY");
    let e = err(
        r#"{"Resources": {"Api": {"Type": "AWS::Serverless::Api", "Properties": {"DefinitionBody": {"paths": {"/x": {"get": {"x-amazon-apigateway-integration": {"type": 1}}}}}}}}}"#,
    );
    assert!(e
        .pointer()
        .unwrap()
        .starts_with("/Resources/Api/Properties/DefinitionBody/paths/~1x/get/"));
}

#[test]
fn fanning_out_references_are_bounded() {
    let mut schemas = serde_json::Map::new();
    for i in 0..40 {
        schemas.insert(
                format!("s{i}"),
                json!({"allOf": [{"$ref": format!("#/components/schemas/s{}", i + 1)}, {"$ref": format!("#/components/schemas/s{}", i + 1)}]}),
            );
    }
    schemas.insert("s40".into(), json!({"type": "object"}));
    let doc = json!({"openapi": "3.0.1", "components": {"schemas": schemas},
          "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": true}},
          "paths": {"/a": {"post": {"x-amazon-apigateway-request-validator": "all",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/s0"}}}},
            "x-amazon-apigateway-integration": {"type": "mock"}}}}});
    let e = read(&doc).unwrap_err();
    assert!(e.message().contains("fan out"), "{e}");
    assert_eq!(
        e.pointer(),
        Some("/paths/~1a/post/requestBody/content/application~1json/schema")
    );
}

#[test]
fn syntax_errors_give_a_position() {
    let e = parse_document("{\"a\": }").unwrap_err();
    assert!(e.message().contains("line 1, column 7"), "{e}");
    assert!(parse_document("a: [").is_err());
}
