//! `vtl-gateway`: the API Gateway REST API method pipeline, offline and deterministic.
//!
//! Load an OpenAPI export or a CloudFormation/SAM template once ([`Api::load`]); templates are
//! compiled at load and an [`Api`] is `Send + Sync`. Then run a request through a method:
//! [`Api::integration_request`] gives what the backend would receive (or the gateway response
//! that stops the request), [`Api::integration_response`] turns the backend's answer into the
//! client's response, and [`Api::invoke`] does both around a backend closure and writes the
//! TestInvokeMethod execution log. [`Api::call`] runs the two stages of one request with the
//! I/O in between (one request context for both; the log only when asked for). No sockets, no
//! async runtime: the caller owns the I/O.
//!
//! ```
//! use vtl_gateway::{Api, EndpointResponse, MethodRequest};
//!
//! let api = Api::load(r#"
//! openapi: 3.0.1
//! paths:
//!   /pets/{id}:
//!     get:
//!       responses: {"200": {}, "404": {}}
//!       x-amazon-apigateway-integration:
//!         type: aws
//!         httpMethod: POST
//!         uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations
//!         requestTemplates:
//!           application/json: '{"id": "$input.params(''id'')"}'
//!         responses:
//!           default: {statusCode: "200"}
//!           ".*not found.*":
//!             statusCode: "404"
//!             responseTemplates:
//!               application/json: '{"error": "$input.path(''$.errorMessage'')"}'
//! "#)?;
//!
//! let request = MethodRequest::new("GET", "/pets/7");
//! let out = api.invoke(&request, |endpoint| {
//!     assert_eq!(endpoint.body_text(), r#"{"id": "7"}"#);
//!     EndpointResponse::lambda(r#"{"errorMessage": "pet 7 not found"}"#)
//! });
//! assert_eq!(out.response.status, 404);
//! assert_eq!(out.response.body_text(), r#"{"error": "pet 7 not found"}"#);
//! assert!(out.log.contains("Method completed with status: 404"));
//! # Ok::<(), vtl_gateway::Error>(())
//! ```
//!
//! Files, one per stage: `spec.rs` (reading specs), `model.rs` (the API model), `route.rs`,
//! `validate.rs` and `model_schema.rs` (request validators and models), `front.rs`, `api_key.rs`, `authorizer.rs` and `gateway_responses.rs` (the front door), `integration_request.rs`, `params.rs` (parameter
//! mappings), `mock.rs`,
//! `integration_response.rs`, `content.rs` (media types, binary payloads), `log.rs`
//! (TestInvokeMethod logs), `gateway_response.rs`, `exchange.rs` (the request and response
//! types), `error.rs`, `case.rs` and `compare.rs` (method-level test cases).

mod api_key;
pub mod authorizer;
pub mod case;
pub mod compare;
pub mod content;
mod error;
mod exchange;
pub mod front;
mod gateway_response;
pub mod gateway_responses;
mod integration_request;
mod integration_response;
pub mod log;
mod mock;
pub mod model;
pub mod model_schema;
mod params;
mod route;
pub mod spec;
mod validate;

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value as Json};
use vtl::{Engine, Profile};

pub use authorizer::AuthorizerCache;
pub use error::{Error, ErrorKind};
pub use exchange::{
    header_pairs, last_value, parse_query, percent_decode, EndpointRequest, EndpointResponse,
    MethodRequest, MethodResponse, Pairs,
};
pub use front::{AuthorizerFn, FrontOptions, JwtVerifierFn};
pub use gateway_response::{GatewayResponse, GatewayResponseType};
pub use log::Clock;
pub use model::{IntegrationType, Spec};

use crate::log::Log;

/// How an [`Api`] runs requests: the stage, its variables, and the request id and clock that
/// the execution log and `$context` use.
#[derive(Clone, Default)]
pub struct Options {
    /// The stage name (`$context.stage`); `test` when empty.
    pub stage: String,
    /// Stage variables (a request's own win).
    pub stage_variables: Pairs,
    /// The request id; by default `$context.requestId`, a hash of the request.
    pub request_id: Option<String>,
    /// The clock; by default fixed at `$context.requestTimeEpoch` (2024-01-01 unless the
    /// request's context says otherwise), so logs repeat exactly.
    pub clock: Option<Clock>,
    /// The AWS region of Lambda and service URIs; `us-east-1` when empty.
    pub region: String,
    /// Turn on this project's `$vtl` extensions in every template (a spec can also turn them
    /// on with `x-vtl-extensions: true`).
    pub extensions: bool,
    /// Choose the request template as the console's Test button does: it "uses the default
    /// content type of application/json and ignores specifications of any other content types"
    /// [DOC known issues]. Off by default: the request's `Content-Type` counts, as in a live
    /// call.
    pub force_json_content_type: bool,
    /// API keys and authorizers (skipped unless [`FrontOptions::enforce`], as
    /// `TestInvokeMethod` skips them).
    pub front: FrontOptions,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("stage", &self.stage)
            .field("stage_variables", &self.stage_variables)
            .field("request_id", &self.request_id)
            .field("clock", &self.clock.as_ref().map(|_| "<fn>"))
            .field("region", &self.region)
            .field("extensions", &self.extensions)
            .field("force_json_content_type", &self.force_json_content_type)
            .field("front", &self.front)
            .finish()
    }
}

impl Options {
    pub(crate) fn stage(&self) -> &str {
        if self.stage.is_empty() {
            vtl::DEFAULT_STAGE
        } else {
            &self.stage
        }
    }

    pub(crate) fn region(&self) -> &str {
        if self.region.is_empty() {
            "us-east-1"
        } else {
            &self.region
        }
    }
}

/// A loaded API: its methods with templates compiled, ready to run requests.
#[derive(Clone, Debug)]
pub struct Api {
    spec: Spec,
    options: Options,
}

/// The result of [`Api::invoke`].
#[derive(Clone, Debug)]
pub struct Invocation {
    /// What the client gets.
    pub response: MethodResponse,
    /// What the backend was sent (`None` for MOCK, or when the request was rejected first).
    pub endpoint_request: Option<EndpointRequest>,
    /// The TestInvokeMethod execution log (ends with a newline).
    pub log: String,
    /// Milliseconds between the first and last log line, by the clock.
    pub latency_ms: i64,
    /// A template that failed while rendering (the response is then a 500), with its place in
    /// the spec.
    pub template_error: Option<Error>,
}

impl Invocation {
    /// The fields of TestInvokeMethod's response as `vtl invoke --format json` prints them:
    /// `{status, body, headers, multiValueHeaders, log, latency, endpointRequest}`, where
    /// `endpointRequest` is `{httpMethod, uri, headers, body}` or null.
    pub fn to_json(&self) -> Json {
        let r = &self.response;
        let (headers, multi) = header_maps(&r.headers);
        let endpoint = match &self.endpoint_request {
            None => Json::Null,
            Some(e) => serde_json::json!({
                "httpMethod": e.http_method,
                "uri": e.uri,
                "headers": header_maps(&e.headers).0,
                "body": e.body_text(),
            }),
        };
        serde_json::json!({
            "status": r.status,
            "body": r.body_text(),
            "headers": headers,
            "multiValueHeaders": multi,
            "log": self.log,
            "latency": self.latency_ms,
            "endpointRequest": endpoint,
        })
    }
}

/// Headers as `{name: last value}` and `{name: [values]}` (TestInvokeMethod's `headers` and
/// `multiValueHeaders`).
pub fn header_maps(pairs: &[(String, String)]) -> (Json, Json) {
    let mut single = Map::new();
    let mut multi: Map<String, Json> = Map::new();
    for (k, v) in pairs {
        single.insert(k.clone(), Json::from(v.clone()));
        match multi.get_mut(k) {
            Some(Json::Array(a)) => a.push(Json::from(v.clone())),
            _ => {
                multi.insert(k.clone(), Json::Array(vec![Json::from(v.clone())]));
            }
        }
    }
    (Json::Object(single), Json::Object(multi))
}

impl Api {
    /// Loads an OpenAPI document or a CloudFormation/SAM template (JSON or YAML), whichever it
    /// is.
    pub fn load(text: &str) -> Result<Api, Error> {
        Api::from_spec(spec::read(&spec::parse_document(text)?)?)
    }

    /// Loads an OpenAPI 2/3 document (JSON or YAML).
    pub fn from_openapi(text: &str) -> Result<Api, Error> {
        Api::from_spec(spec::read_openapi(&spec::parse_document(text)?)?)
    }

    /// Loads a CloudFormation or SAM template (JSON or YAML).
    pub fn from_cloudformation(text: &str) -> Result<Api, Error> {
        Api::from_spec(spec::read_cloudformation(&spec::parse_document(text)?)?)
    }

    /// Compiles a spec's templates.
    pub fn from_spec(spec: Spec) -> Result<Api, Error> {
        Api::with(spec, Options::default())
    }

    /// The same API run with `options` (templates are recompiled only when the extensions
    /// setting changes).
    pub fn with_options(self, options: Options) -> Result<Api, Error> {
        if options.extensions != self.options.extensions {
            return Api::with(self.spec, options);
        }
        Ok(Api { options, ..self })
    }

    pub(crate) fn with(mut spec: Spec, options: Options) -> Result<Api, Error> {
        let engine =
            Engine::new(Profile::Aws).with_extensions(spec.extensions || options.extensions);
        for r in &mut spec.resources {
            for m in &mut r.methods {
                let declared = m.parameters.clone();
                let Some(i) = &mut m.integration else {
                    continue;
                };
                for mapping in &i.request_parameters {
                    check_declared(&mapping.source, &declared, &mapping.pointer)?;
                }
                let templates = i.request_templates.iter_mut().chain(
                    i.responses
                        .iter_mut()
                        .flat_map(|r| r.response_templates.iter_mut()),
                );
                for t in templates {
                    t.compiled = if t.source.is_empty() {
                        None
                    } else {
                        Some(
                            engine
                                .compile(&t.source)
                                .map_err(|e| Error::template_compile(&t.pointer, e))?,
                        )
                    };
                }
            }
        }
        Ok(Api { spec, options })
    }

    /// The model.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The integration request stage: routing, validation, the request template or
    /// passthrough, parameter mappings, overrides and the integration URI. `Err` is the
    /// gateway response that stops the request (415, 400, 403, 500).
    ///
    /// ```
    /// use vtl_gateway::{Api, EndpointResponse, MethodRequest};
    ///
    /// let api = Api::load(r#"{"openapi": "3.0.1", "paths": {"/orders": {"post": {
    ///   "parameters": [{"name": "X-Tenant", "in": "header"}],
    ///   "x-amazon-apigateway-integration": {"type": "http", "httpMethod": "POST",
    ///     "uri": "https://orders.example.com/v1/orders", "passthroughBehavior": "NEVER",
    ///     "requestParameters": {"integration.request.header.X-Tenant": "method.request.header.X-Tenant"},
    ///     "requestTemplates": {"application/json": "{\"item\": $input.json('$.item')}"},
    ///     "responses": {"default": {"statusCode": "200"}, "4\\d{2}": {"statusCode": "400"}}}}}}}"#)?;
    ///
    /// let request = MethodRequest::new("POST", "/orders")
    ///     .with_header("Content-Type", "application/json; charset=utf-8")
    ///     .with_header("X-Tenant", "t-1")
    ///     .with_body(r#"{"item": "ball"}"#);
    /// let endpoint = api.integration_request(&request).expect("not rejected");
    /// assert_eq!(endpoint.uri, "https://orders.example.com/v1/orders");
    /// assert_eq!(endpoint.header("X-Tenant"), Some("t-1"));
    /// assert_eq!(endpoint.body_text(), r#"{"item": "ball"}"#);
    ///
    /// let response = api.integration_response(&request, &endpoint, EndpointResponse::new(409));
    /// assert_eq!(response.status, 400);
    ///
    /// // No template for text/plain and NEVER: the 415 gateway response.
    /// let rejected = api.integration_request(&request.clone().with_header("Content-Type", "text/plain"));
    /// assert_eq!(rejected.unwrap_err().status(), 415);
    /// # Ok::<(), vtl_gateway::Error>(())
    /// ```
    pub fn integration_request(
        &self,
        request: &MethodRequest,
    ) -> Result<EndpointRequest, GatewayResponse> {
        let mut run = Run::new(self, request, false);
        integration_request::run(&mut run)
    }

    /// The integration response stage: selects the integration response for the backend's
    /// answer, maps headers, renders the response template and applies overrides. For a MOCK
    /// integration `response` is ignored (the request template chose the status).
    pub fn integration_response(
        &self,
        request: &MethodRequest,
        endpoint: &EndpointRequest,
        response: EndpointResponse,
    ) -> MethodResponse {
        let mut run = Run::new(self, request, false);
        run.path_params = endpoint.carry.path_params.clone();
        for (k, v) in &endpoint.carry.front_context {
            run.context.insert(k.clone(), v.clone());
        }
        match integration_response::run(&mut run, endpoint, response) {
            Ok(r) => r,
            Err(g) => run.gateway_response(&g),
        }
    }

    /// The method a request for `http_method` and `path` (without its query string) reaches,
    /// with its resource, as API Gateway routes it.
    pub fn method_for(
        &self,
        http_method: &str,
        path: &str,
    ) -> Option<(&model::Resource, &model::Method)> {
        let found = route::route(&self.spec.resources, http_method, path)?;
        let resource = &self.spec.resources[found.resource];
        Some((resource, &resource.methods[found.method]))
    }

    /// The client's response for a gateway response that [`Api::integration_request`]
    /// returned: the default `{"message": …}` response, or the spec's customization of its
    /// type (`x-amazon-apigateway-gateway-responses`, `DEFAULT_4XX`, `DEFAULT_5XX`).
    pub fn gateway_response(&self, request: &MethodRequest, g: &GatewayResponse) -> MethodResponse {
        let mut run = Run::new(self, request, false);
        if let Some(found) = route::route(&self.spec.resources, &request.http_method, &request.path)
        {
            run.path_params = found.path_params;
        }
        run.gateway_response(g)
    }

    /// Starts `request` on its way through a method, for callers that do the I/O between
    /// the stages (as the tower layer does): one request context serves both stages. With
    /// `log`, the [`Call`] keeps the TestInvokeMethod execution log; without it no log line
    /// is built.
    pub fn call<'a>(&'a self, request: &'a MethodRequest, log: bool) -> Call<'a> {
        let run = Run::new(self, request, log);
        let start = run.log.now();
        Call {
            run,
            start,
            sent: start,
        }
    }

    /// Runs a request through the whole method, calling `backend` unless the integration is
    /// MOCK or the request is rejected first, and writes the TestInvokeMethod execution log.
    pub fn invoke(
        &self,
        request: &MethodRequest,
        backend: impl FnOnce(&EndpointRequest) -> EndpointResponse,
    ) -> Invocation {
        let mut call = self.call(request, true);
        let (response, endpoint_request) = match call.integration_request() {
            Err(g) => (call.gateway_response(&g), None),
            Ok(endpoint) => {
                let mock = endpoint.integration_type == IntegrationType::Mock;
                let answer = if mock {
                    EndpointResponse::new(200)
                } else {
                    backend(&endpoint)
                };
                let response = call.integration_response(&endpoint, answer);
                (response, (!mock).then_some(endpoint))
            }
        };
        Invocation {
            response,
            endpoint_request,
            latency_ms: call.latency_ms(),
            template_error: call.take_template_error(),
            log: call.log().unwrap_or_default(),
        }
    }
}

/// A request on its way through a method, one stage at a time ([`Api::call`]):
/// [`Call::integration_request`], then (unless it was rejected) the backend call by the
/// caller and [`Call::integration_response`], or [`Call::gateway_response`] for a rejection.
pub struct Call<'a> {
    run: Run<'a>,
    start: i64,
    sent: i64,
}

impl fmt::Debug for Call<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("request_id", &self.run.request_id)
            .field("log", &self.run.log.on())
            .finish_non_exhaustive()
    }
}

impl Call<'_> {
    /// The integration request stage (see [`Api::integration_request`]).
    pub fn integration_request(&mut self) -> Result<EndpointRequest, GatewayResponse> {
        let r = integration_request::run(&mut self.run);
        self.sent = self.run.log.now();
        r
    }

    /// The integration response stage for the backend's answer (ignored for MOCK), with the
    /// method's completion in the log (see [`Api::integration_response`]).
    pub fn integration_response(
        &mut self,
        endpoint: &EndpointRequest,
        response: EndpointResponse,
    ) -> MethodResponse {
        let run = &mut self.run;
        run.integration_latency = run.log.now() - self.sent;
        match integration_response::run(run, endpoint, response) {
            Ok(r) => {
                if run.log.on() {
                    run.log.line("Successfully completed execution");
                    run.log
                        .line(format!("Method completed with status: {}", r.status));
                }
                r
            }
            Err(g) => run.fail(&g),
        }
    }

    /// The client's response for a gateway response that [`Call::integration_request`]
    /// returned (see [`Api::gateway_response`]), with the failure in the log.
    pub fn gateway_response(&mut self, g: &GatewayResponse) -> MethodResponse {
        self.run.fail(g)
    }

    /// The request id (`$context.requestId`, the log's).
    pub fn request_id(&self) -> &str {
        &self.run.request_id
    }

    /// The execution log so far (ending with a newline), `None` when the call keeps none.
    pub fn log(&self) -> Option<String> {
        self.run
            .log
            .on()
            .then(|| self.run.log.text(&self.run.request_id))
    }

    /// Milliseconds since the call started, by the clock.
    pub fn latency_ms(&self) -> i64 {
        self.run.log.now() - self.start
    }

    /// A template that failed while rendering (the response was then a 500), with its place
    /// in the spec.
    pub fn take_template_error(&mut self) -> Option<Error> {
        self.run.template_error.take()
    }
}

fn check_declared(source: &str, declared: &[model::Parameter], pointer: &str) -> Result<(), Error> {
    let Some((loc, name)) = source
        .strip_prefix("method.request.")
        .and_then(|r| r.split_once('.'))
    else {
        return Ok(());
    };
    let location = match loc {
        "path" => model::ParamLocation::Path,
        "querystring" | "multivaluequerystring" => model::ParamLocation::Query,
        "header" | "multivalueheader" => model::ParamLocation::Header,
        _ => return Ok(()),
    };
    if declared
        .iter()
        .any(|p| p.location == location && p.name == name)
    {
        Ok(())
    } else {
        Err(Error::spec(
            pointer,
            format!(
                "Invalid mapping expression specified: {source} (the method request does not declare the {} parameter {name:?})",
                location.name()
            ),
        ))
    }
}

/// One request's way through the pipeline: the log, the route, and the base `$context`.
pub(crate) struct Run<'a> {
    pub api: &'a Api,
    pub req: &'a MethodRequest,
    pub log: Log,
    pub request_id: String,
    pub integration_latency: i64,
    pub template_error: Option<Error>,
    /// The path parameters, once routed.
    pub path_params: Pairs,
    pub stage_variables: Pairs,
    /// The request's `context` with the values the pipeline knows (stage, path, method,
    /// request id, time), to merge into `$context`.
    pub context: Map<String, Json>,
    /// The engine's request that the templates read ([`Run::take_template`]): its
    /// parameters, stage variables and `$context` values are built once per request.
    template: Option<vtl::Request>,
    /// Whether `template` has its path parameters and `$context` values (it is made with
    /// the rest before routing, for the request id).
    template_routed: bool,
}

impl<'a> Run<'a> {
    fn new(api: &'a Api, req: &'a MethodRequest, logged: bool) -> Run<'a> {
        let opts = &api.options;
        let mut stage_variables = opts.stage_variables.clone();
        for (k, v) in &req.stage_variables {
            exchange::set_value_exact(&mut stage_variables, k, v.clone());
        }
        let mut context = Map::new();
        context.insert("stage".into(), Json::from(opts.stage()));
        context.insert("httpMethod".into(), Json::from(req.http_method.clone()));
        if let Some(id) = &opts.request_id {
            context.insert("requestId".into(), Json::from(id.clone()));
        }
        if let Some(clock) = &opts.clock {
            context.insert("requestTimeEpoch".into(), Json::from(clock()));
        }
        vtl_merge(&mut context, &req.context);
        let template = vtl::Request {
            body: text(&req.body).into_owned(),
            content_type: req.header("Content-Type").map(str::to_string),
            params: vtl::Params {
                path: Default::default(),
                querystring: group(&req.query),
                header: group(&req.headers),
            },
            stage_variables: stage_variables
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            context: Map::new(),
        };
        // The values $context would take: the given ones, else the defaults (the request id
        // derived from the body and parameters, the fixed clock).
        let request_id = match context.get("requestId") {
            Some(id) => id.as_str().unwrap_or_default().to_string(),
            None => vtl::default_request_id(&template),
        };
        let epoch = context
            .get("requestTimeEpoch")
            .and_then(Json::as_i64)
            .unwrap_or(vtl::DEFAULT_EPOCH_MS);
        context.insert("requestId".into(), Json::from(request_id.clone()));
        context.insert("requestTimeEpoch".into(), Json::from(epoch));
        let clock: Clock = opts
            .clock
            .clone()
            .unwrap_or_else(|| Arc::new(move || epoch));
        Run {
            api,
            req,
            log: Log::new(clock, logged),
            request_id,
            integration_latency: 0,
            template_error: None,
            path_params: Pairs::new(),
            stage_variables,
            context,
            template: Some(template),
            template_routed: false,
        }
    }

    /// The engine's request for this request's templates on `resource_path` (what
    /// [`Run::template_request`] builds, with the method request's body and `Content-Type`),
    /// taken out to be rendered with; give it back with [`Run::keep_template`] so that the
    /// next stage reuses it.
    pub(crate) fn take_template(
        &mut self,
        resource_path: &str,
        path_params: &Pairs,
    ) -> vtl::Request {
        match self.template.take() {
            Some(t) if self.template_routed => t,
            Some(mut t) => {
                t.params.path = group(path_params);
                t.context = self.template_context(resource_path, &Map::new());
                self.template_routed = true;
                t
            }
            None => {
                let body = text(&self.req.body).into_owned();
                self.template_routed = true;
                self.template_request(body, resource_path, path_params, Map::new())
            }
        }
    }

    /// Gives back what [`Run::take_template`] took.
    pub(crate) fn keep_template(&mut self, template: vtl::Request) {
        self.template = Some(template);
    }

    /// Logs a failure and gives the client's response.
    fn fail(&mut self, g: &GatewayResponse) -> MethodResponse {
        if !g.log_line.is_empty() {
            self.log.line(g.log_line.clone());
        }
        let r = self.gateway_response(g);
        if self.log.on() {
            self.log
                .line(format!("Method completed with status: {}", r.status));
        }
        r
    }

    /// The client's response for a gateway response: the spec's customization of its type
    /// (or `DEFAULT_4XX` / `DEFAULT_5XX`), else the default.
    pub(crate) fn gateway_response(&self, g: &GatewayResponse) -> MethodResponse {
        let customs = &self.api.spec.front.gateway_responses;
        if customs.is_empty() {
            return g.to_method_response();
        }
        let path = route::route(
            &self.api.spec.resources,
            &self.req.http_method,
            &self.req.path,
        )
        .map(|f| f.path_params)
        .unwrap_or_default();
        let probe = self.template_request(String::new(), "", &path, Map::new());
        let ctx = vtl::context_json(&probe);
        let ctx = ctx.as_object().cloned().unwrap_or_default();
        gateway_responses::respond(
            customs,
            g,
            &gateway_responses::Values {
                headers: &self.req.headers,
                query: &self.req.query,
                path: &path,
                stage_variables: &self.stage_variables,
                context: &ctx,
            },
        )
    }

    /// The engine's request for a template: `body`, the method request's parameters, stage
    /// variables and `$context` (resource path, actual path, stage, overrides in `extra`).
    pub(crate) fn template_request(
        &self,
        body: String,
        resource_path: &str,
        path_params: &Pairs,
        extra: Map<String, Json>,
    ) -> vtl::Request {
        let context = self.template_context(resource_path, &extra);
        vtl::Request {
            body,
            content_type: self.req.header("Content-Type").map(str::to_string),
            params: vtl::Params {
                path: group(path_params),
                querystring: group(&self.req.query),
                header: group(&self.req.headers),
            },
            stage_variables: self
                .stage_variables
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            context,
        }
    }

    /// The values merged over `$context`'s defaults in a template: resource path, actual
    /// path, the run's values, then `extra`.
    fn template_context(
        &self,
        resource_path: &str,
        extra: &Map<String, Json>,
    ) -> Map<String, Json> {
        let mut context = Map::new();
        context.insert("resourcePath".into(), Json::from(resource_path));
        context.insert(
            "path".into(),
            Json::from(format!("/{}{}", self.api.options.stage(), self.req.path)),
        );
        vtl_merge(&mut context, &self.context);
        vtl_merge(&mut context, extra);
        context
    }
}

/// Renders `template` over `request`. A template that is only text is not run: its text,
/// and the overrides as `$context` holds them before any template (left `None`, which reads
/// as the defaults, when the request sets none).
pub(crate) fn render(
    template: &vtl::Template,
    request: &vtl::Request,
) -> Result<vtl::Rendered, vtl::Error> {
    let Some(text) = template.static_output() else {
        return template.render_request(request, &Json::Null);
    };
    let mut rendered = vtl::Rendered {
        output: text.to_string(),
        ..vtl::Rendered::default()
    };
    if request.context.contains_key("requestOverride")
        || request.context.contains_key("responseOverride")
    {
        let (req, resp) = vtl::initial_overrides(request);
        rendered.request_override = Some(req);
        rendered.response_override = Some(resp);
    }
    Ok(rendered)
}

/// Bytes as text, invalid UTF-8 replaced by U+FFFD (borrowed when valid: checking is much
/// cheaper than `String::from_utf8_lossy`'s walk).
pub(crate) fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Pairs grouped by exact name, in first-seen order.
pub(crate) fn group(pairs: &[(String, String)]) -> indexmap::IndexMap<String, Vec<String>> {
    let mut out: indexmap::IndexMap<String, Vec<String>> = indexmap::IndexMap::new();
    for (k, v) in pairs {
        out.entry(k.clone()).or_default().push(v.clone());
    }
    out
}

/// Deep-merges `over` into `base` (objects key by key).
pub(crate) fn vtl_merge(base: &mut Map<String, Json>, over: &Map<String, Json>) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Json::Object(b)), Json::Object(o)) => vtl_merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn api_is_send_and_sync() {
        assert_send_sync::<Api>();
        assert_send_sync::<Invocation>();
    }

    #[test]
    fn undeclared_parameters_cannot_be_mapped() {
        let e = Api::load(
            r#"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "http", "uri": "https://x", "httpMethod": "GET",
              "requestParameters": {"integration.request.header.X": "method.request.querystring.q"}}}}}}"#,
        )
        .unwrap_err();
        assert!(
            e.message()
                .starts_with("Invalid mapping expression specified"),
            "{e}"
        );
        assert_eq!(
            e.pointer(),
            Some("/paths/~1a/get/x-amazon-apigateway-integration/requestParameters/integration.request.header.X")
        );
    }

    #[test]
    fn template_errors_name_the_template() {
        let e = Api::load(
            r##"{"paths": {"/a": {"get": {"x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": "#if($x"}}}}}}"##,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TemplateCompile);
        let pretty = format!("{e:#}");
        assert!(
            pretty.contains("--> /paths/~1a/get/x-amazon-apigateway-integration/requestTemplates/application~1json:1:"),
            "{pretty}"
        );
    }
}
