//! The pets API (`examples/pets/openapi.yaml`) embedded in an axum app: `VtlLayer` runs each
//! method's pipeline, and an axum router stands in for the backends it calls (the Lambda
//! Invoke API and the XML registry), routed by the endpoint request's path.
//! Run it, then `curl localhost:3000/pets/1` or `curl localhost:3000/pets`.

use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower::Layer;
use vtl_gateway::{Api, Options};
use vtl_tower::VtlLayer;

/// The `pets` Lambda function: the payload the request template built, the function's result.
async fn pets_function(payload: String) -> Json<Value> {
    let event: Value = serde_json::from_str(&payload).unwrap_or_default();
    Json(match event["id"].as_str() {
        Some("1") => json!({"id": "1", "name": "Rex", "species": "dog", "adoptable": true}),
        id => json!({"errorMessage": format!("Pet {} not found", id.unwrap_or("?")),
                     "errorType": "NotFoundError"}),
    })
}

/// The legacy registry: XML, which the response template turns into JSON.
async fn animals() -> ([(axum::http::HeaderName, &'static str); 2], &'static str) {
    let xml =
        r#"<animals><animal id="1"><name>Rex</name><species>dog</species></animal></animals>"#;
    (
        [
            (CONTENT_TYPE, "application/xml"),
            ("x-total-count".parse().unwrap(), "1"),
        ],
        xml,
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = Options {
        stage: "prod".into(),
        stage_variables: vec![("registryHost".into(), "registry.local".into())],
        ..Options::default()
    };
    let api = Api::load(include_str!("../../pets/openapi.yaml"))?.with_options(options)?;
    let backends = Router::new()
        .route(
            "/2015-03-31/functions/{arn}/invocations",
            post(pets_function),
        )
        .route("/v1/animals", get(animals));
    // Client paths reach the layer through the fallback; the layer calls `backends` with the
    // endpoint requests (MOCK methods and gateway responses never reach it).
    let app = Router::new().fallback_service(VtlLayer::new(api).layer(backends));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("Listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
