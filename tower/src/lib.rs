//! `vtl-tower`: API Gateway REST API methods as a tower layer.
//!
//! [`VtlLayer`] wraps any `Service<http::Request<Full<Bytes>>>` (an axum router, a hyper
//! client, a Lambda adapter). For each request it buffers the body (10 MB at most, like API
//! Gateway; 413 past it), routes it to a method of the [`Api`](vtl_gateway::Api), runs the integration request,
//! and either answers itself (MOCK integrations, and the gateway responses: 415, 400, 403
//! `Missing Authentication Token`, 500 configuration errors) or calls the inner service with
//! the endpoint request (its URI, headers and body, and an [`Endpoint`] extension). The inner
//! service's answer is buffered and run through the integration response. Errors become HTTP
//! responses: the service never returns `Err` and never panics.
//!
//! ```
//! use bytes::Bytes;
//! use http_body_util::{BodyExt, Full};
//! use tower::{service_fn, Layer, ServiceExt};
//! use vtl_gateway::Api;
//! use vtl_tower::VtlLayer;
//!
//! let api = Api::load(r#"
//! paths:
//!   /hello:
//!     get:
//!       x-amazon-apigateway-integration:
//!         type: mock
//!         requestTemplates: {application/json: '{"statusCode": 200}'}
//!         responses:
//!           default:
//!             statusCode: "200"
//!             responseTemplates: {application/json: '{"hello": "$context.stage"}'}
//! "#).unwrap();
//! let backend = service_fn(|_req: http::Request<Full<Bytes>>| async {
//!     Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::new())))
//! });
//! let service = VtlLayer::new(api).layer(backend);
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let request = http::Request::get("/hello").body(Full::new(Bytes::new())).unwrap();
//! let response = service.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! let body = response.into_body().collect().await.unwrap().to_bytes();
//! assert_eq!(body, r#"{"hello": "test"}"#);
//! # });
//! ```
//!
//! Files: `layer.rs` (the layer and its service), `convert.rs` (between `http` types and the
//! pipeline's), and with the `serve` feature `serve/` (the `vtl serve` server).

mod convert;
mod layer;
#[cfg(feature = "serve")]
pub mod serve;

pub use convert::title_case;
pub use layer::{
    BoxError, ClientAddr, Completed, Endpoint, IntegrationError, SharedApi, VtlLayer, VtlService,
    BODY_LIMIT,
};
