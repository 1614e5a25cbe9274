//! [`VtlLayer`] and [`VtlService`]: the method pipeline around an inner HTTP service.

use std::convert::Infallible;
use std::fmt;
use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use tower::{Layer, Service};
use vtl_gateway::{
    Api, EndpointRequest, EndpointResponse, GatewayResponse, GatewayResponseType, IntegrationType,
    MethodRequest, MethodResponse,
};

use crate::convert;

/// The error type inner services may return (anything that converts into it).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// API Gateway's payload limit: 10 MB, for request bodies and integration responses.
pub const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// An [`Api`] that can be replaced while requests run (each request keeps the version it
/// started with). Cloning shares it.
#[derive(Clone)]
pub struct SharedApi(Arc<RwLock<Arc<Api>>>);

impl SharedApi {
    /// Shares `api`.
    pub fn new(api: Api) -> SharedApi {
        SharedApi(Arc::new(RwLock::new(Arc::new(api))))
    }

    /// The current version.
    pub fn get(&self) -> Arc<Api> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the API for the requests that start from now on.
    pub fn replace(&self, api: Api) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(api);
    }
}

impl fmt::Debug for SharedApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedApi")
    }
}

/// The request extension the inner service finds on each endpoint request: the integration
/// type and what the pipeline decided (the body is in the request itself).
#[derive(Clone, Debug)]
pub struct Endpoint(pub EndpointRequest);

/// A request extension the server sets: the client's address (`$context.identity.sourceIp`).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub SocketAddr);

/// An inner-service error with the status the client gets (the layer answers any other error
/// with 502).
#[derive(Clone, Debug)]
pub struct IntegrationError {
    /// The status: 502 (bad gateway) or 504 (timed out), usually.
    pub status: u16,
    /// The client-facing message (the body's `message`).
    pub message: String,
}

impl IntegrationError {
    /// A 502 with `message`.
    pub fn bad_gateway(message: impl Into<String>) -> IntegrationError {
        IntegrationError {
            status: 502,
            message: message.into(),
        }
    }

    /// API Gateway's 504 `Endpoint request timed out`.
    pub fn timed_out() -> IntegrationError {
        IntegrationError {
            status: 504,
            message: "Endpoint request timed out".into(),
        }
    }
}

impl fmt::Display for IntegrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IntegrationError {}

/// One finished request, for [`VtlLayer::on_completed`].
#[derive(Debug)]
pub struct Completed {
    /// The API version that ran it.
    pub api: Arc<Api>,
    /// The client's request.
    pub request: MethodRequest,
    /// What the inner service was sent (`None` for MOCK and rejected requests).
    pub endpoint_request: Option<EndpointRequest>,
    /// What it answered (`None` when it was not called or failed).
    pub endpoint_response: Option<EndpointResponse>,
    /// Why the inner service gave no answer.
    pub integration_error: Option<String>,
    /// What the client got.
    pub response: MethodResponse,
    /// The execution log ([`Completed::execution_log`]).
    log: String,
}

impl Completed {
    /// The TestInvokeMethod execution log of this request: the log of the run that answered
    /// it (the pipeline is not run again), with the failure of the inner service in place of
    /// an answer when it gave none.
    pub fn execution_log(&self) -> String {
        self.log.clone()
    }
}

type Observer = Arc<dyn Fn(&Completed) + Send + Sync>;

/// Runs each request through a method of an [`Api`] around an inner service.
#[derive(Clone)]
pub struct VtlLayer {
    api: SharedApi,
    limit: usize,
    observer: Option<Observer>,
}

impl fmt::Debug for VtlLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VtlLayer")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl VtlLayer {
    /// A layer for `api`.
    pub fn new(api: Api) -> VtlLayer {
        VtlLayer::shared(SharedApi::new(api))
    }

    /// A layer for an API that may be replaced while it serves.
    pub fn shared(api: SharedApi) -> VtlLayer {
        VtlLayer {
            api,
            limit: BODY_LIMIT,
            observer: None,
        }
    }

    /// Sets the body limit (request and integration response), [`BODY_LIMIT`] by default.
    pub fn body_limit(mut self, bytes: usize) -> VtlLayer {
        self.limit = bytes;
        self
    }

    /// Calls `f` after each request (for access and execution logs). With an observer, each
    /// request keeps its execution log as it runs ([`Completed::execution_log`]); without
    /// one, no log line is built.
    pub fn on_completed(mut self, f: impl Fn(&Completed) + Send + Sync + 'static) -> VtlLayer {
        self.observer = Some(Arc::new(f));
        self
    }
}

impl<S> Layer<S> for VtlLayer {
    type Service = VtlService<S>;

    fn layer(&self, inner: S) -> VtlService<S> {
        VtlService {
            inner,
            config: self.clone(),
        }
    }
}

/// The service [`VtlLayer`] makes.
#[derive(Clone, Debug)]
pub struct VtlService<S> {
    inner: S,
    config: VtlLayer,
}

impl<S, B, RB> Service<Request<B>> for VtlService<S>
where
    S: Service<Request<Full<Bytes>>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
    RB: Body + Send + 'static,
    RB::Data: Send,
    RB::Error: Into<BoxError>,
{
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    /// Always ready: MOCK methods and gateway responses need no inner service, so its
    /// readiness is awaited in the call that uses it.
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let inner = self.inner.clone();
        let config = self.config.clone();
        Box::pin(async move { Ok(run(config, inner, request).await) })
    }
}

/// 413 `Request Too Long`, API Gateway's fixed answer past the payload limit.
fn too_large() -> MethodResponse {
    MethodResponse {
        status: 413,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"message":"Request Too Long"}"#.to_vec(),
    }
}

fn integration_failure(status: u16, message: &str) -> MethodResponse {
    let mut r = GatewayResponse::with_message(GatewayResponseType::IntegrationFailure, message)
        .to_method_response();
    r.status = status;
    r
}

async fn run<S, B, RB>(config: VtlLayer, mut inner: S, request: Request<B>) -> Response<Full<Bytes>>
where
    S: Service<Request<Full<Bytes>>, Response = Response<RB>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
    RB: Body,
    RB::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > config.limit as u64) {
        return convert::http_response(too_large());
    }
    let body = match Limited::new(body, config.limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return convert::http_response(too_large())
        }
        Err(_) => {
            let g = GatewayResponse::new(GatewayResponseType::BadRequestBody);
            return convert::http_response(g.to_method_response());
        }
    };
    let client = parts.extensions.get::<ClientAddr>().map(|c| c.0);
    let method_request = convert::method_request(&parts, body, client);
    let api = config.api.get();
    let mut endpoint_request = None;
    let mut endpoint_response = None;
    let mut integration_error = None;
    let mut call = api.call(&method_request, config.observer.is_some());
    let mut response = match call.integration_request() {
        Err(g) => call.gateway_response(&g),
        Ok(endpoint) if endpoint.integration_type == IntegrationType::Mock => {
            call.integration_response(&endpoint, EndpointResponse::new(200))
        }
        Ok(endpoint) => {
            let outcome = call_inner(&mut inner, &endpoint, config.limit).await;
            let response = match outcome {
                // The answer is kept only for an observer.
                Ok(answer) if config.observer.is_some() => {
                    let r = call.integration_response(&endpoint, answer.clone());
                    endpoint_response = Some(answer);
                    r
                }
                Ok(answer) => call.integration_response(&endpoint, answer),
                Err(e) => {
                    let r = integration_failure(e.status, &e.message);
                    integration_error = Some(e.message);
                    r
                }
            };
            endpoint_request = Some(endpoint);
            response
        }
    };
    if !call.request_id().is_empty() && response.header("x-amzn-RequestId").is_none() {
        response
            .headers
            .push(("x-amzn-RequestId".into(), call.request_id().to_string()));
    }
    let log = call.log();
    drop(call);
    if let Some(observe) = &config.observer {
        let mut log = log.unwrap_or_default();
        if let Some(e) = &integration_error {
            // The run up to the call, then the failure instead of an answer.
            log.push_str(&format!(
                "Execution failed due to an internal error: {e}\nMethod completed with status: {}\n",
                response.status
            ));
        }
        let done = Completed {
            api: api.clone(),
            request: method_request,
            endpoint_request,
            endpoint_response,
            integration_error,
            response,
            log,
        };
        observe(&done);
        return convert::http_response(done.response);
    }
    convert::http_response(response)
}

async fn call_inner<S, RB>(
    inner: &mut S,
    endpoint: &EndpointRequest,
    limit: usize,
) -> Result<EndpointResponse, IntegrationError>
where
    S: Service<Request<Full<Bytes>>, Response = Response<RB>>,
    S::Error: Into<BoxError>,
    RB: Body,
    RB::Error: Into<BoxError>,
{
    let mut request = convert::http_request(endpoint).map_err(|g| IntegrationError {
        status: g.status(),
        message: g.message.clone(),
    })?;
    request
        .extensions_mut()
        .insert(Endpoint(endpoint.without_body()));
    let failed = |e: S::Error| {
        let e: BoxError = e.into();
        match e.downcast::<IntegrationError>() {
            Ok(e) => *e,
            Err(e) => IntegrationError::bad_gateway(e.to_string()),
        }
    };
    poll_fn(|cx| inner.poll_ready(cx)).await.map_err(failed)?;
    let response = inner.call(request).await.map_err(failed)?;
    let (parts, body) = response.into_parts();
    let body = match Limited::new(body, limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Err(IntegrationError::bad_gateway(
                "Integration response is larger than the payload limit",
            ))
        }
        Err(e) => {
            return Err(IntegrationError::bad_gateway(format!(
                "Integration response could not be read: {e}"
            )))
        }
    };
    Ok(convert::endpoint_response(&parts, body))
}
