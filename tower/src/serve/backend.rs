//! The inner service of `vtl serve`: sends each endpoint request where its integration points.
//! HTTP and HTTP_PROXY integrations go to the spec's URL (or a `--backend` override), Lambda
//! functions (AWS and AWS_PROXY) to a local command or URL, other AWS services to a
//! `--backend` or nowhere (502).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, Uri};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value as Json};
use tokio::io::AsyncWriteExt;
use tower::Service;
use vtl_gateway::IntegrationType;

use crate::{BoxError, Endpoint, IntegrationError};

/// API Gateway's integration timeout: 29 seconds.
pub const INTEGRATION_TIMEOUT: Duration = Duration::from_secs(29);

/// Where a Lambda function runs locally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Function {
    /// A shell command: the payload on stdin, the result on stdout.
    Command(String),
    /// An HTTP URL the payload is POSTed to; the response body is the result.
    Url(String),
}

impl Function {
    /// `http://…` is a URL, anything else a command.
    pub fn parse(text: &str) -> Function {
        if text.starts_with("http://") || text.starts_with("https://") {
            Function::Url(text.to_string())
        } else {
            Function::Command(text.to_string())
        }
    }
}

/// The backends of a served API.
#[derive(Clone, Debug, Default)]
pub struct Backends {
    /// `--backend NAME=URL`: an integration URI's host (or an AWS service name such as `sqs`)
    /// to the base URL its requests go to instead.
    pub overrides: Vec<(String, String)>,
    /// `--lambda FUNCTION=COMMAND|URL`.
    pub functions: HashMap<String, Function>,
    /// The integration timeout ([`INTEGRATION_TIMEOUT`] when zero).
    pub timeout: Duration,
}

/// The response body the backend gives the layer.
pub type BackendBody = BoxBody<Bytes, BoxError>;

/// The service that calls the backends.
#[derive(Clone)]
pub struct Backend {
    client: Client<HttpConnector, Full<Bytes>>,
    config: Arc<Backends>,
}

impl Backend {
    /// A backend service for `config` (needs a tokio runtime when called).
    pub fn new(config: Backends) -> Backend {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(Duration::from_secs(10)));
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(connector);
        Backend {
            client,
            config: Arc::new(config),
        }
    }
}

impl Service<Request<Full<Bytes>>> for Backend {
    type Response = Response<BackendBody>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Full<Bytes>>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let timeout = if this.config.timeout.is_zero() {
                INTEGRATION_TIMEOUT
            } else {
                this.config.timeout
            };
            match tokio::time::timeout(timeout, this.dispatch(request)).await {
                Ok(r) => r,
                Err(_) => Err(IntegrationError::timed_out().into()),
            }
        })
    }
}

/// The function name in a Lambda Invoke URL (`…/functions/arn:aws:lambda:…:function:NAME[:alias]/invocations`).
pub fn function_name(uri: &str) -> Option<&str> {
    let rest = &uri[uri.find("/functions/")? + "/functions/".len()..];
    let arn = rest.split("/invocations").next()?;
    let name = match arn.find("function:") {
        Some(i) => &arn[i + "function:".len()..],
        None => arn,
    };
    name.split(':').next().filter(|n| !n.is_empty())
}

/// The AWS service of an endpoint URL (`https://sqs.us-east-1.amazonaws.com/…` → `sqs`).
fn aws_service(uri: &Uri) -> String {
    let host = uri.host().unwrap_or_default();
    host.split('.').next().unwrap_or(host).to_string()
}

impl Backend {
    async fn dispatch(
        &self,
        request: Request<Full<Bytes>>,
    ) -> Result<Response<BackendBody>, BoxError> {
        let Some(Endpoint(endpoint)) = request.extensions().get::<Endpoint>().cloned() else {
            return Err(IntegrationError::bad_gateway("the request has no endpoint").into());
        };
        match endpoint.integration_type {
            IntegrationType::Http | IntegrationType::HttpProxy => self.forward(request, None).await,
            _ if endpoint.is_lambda() => {
                let name = function_name(&endpoint.uri).unwrap_or_default().to_string();
                let Some(function) = self.config.functions.get(&name).cloned() else {
                    return Err(IntegrationError::bad_gateway(format!(
                        "vtl serve has no local function for the Lambda function {name:?}: pass --lambda {name}=COMMAND or --lambda {name}=URL"
                    ))
                    .into());
                };
                let payload = request.into_body().collect().await?.to_bytes();
                invoke(&self.client, &name, &function, payload).await
            }
            _ => {
                let service = aws_service(request.uri());
                if self.override_for(request.uri(), Some(&service)).is_some() {
                    return self.forward(request, Some(&service)).await;
                }
                Err(IntegrationError::bad_gateway(format!(
                    "vtl serve does not emulate the AWS service integration {} ({}): pass --backend {service}=URL to send its requests to a local service",
                    service,
                    endpoint.uri
                ))
                .into())
            }
        }
    }

    /// The `--backend` base URL for `uri`: by host, `host:port`, or AWS service name.
    fn override_for(&self, uri: &Uri, service: Option<&str>) -> Option<&str> {
        let host = uri.host().unwrap_or_default();
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        self.config
            .overrides
            .iter()
            .find(|(name, _)| {
                name.eq_ignore_ascii_case(host)
                    || name.eq_ignore_ascii_case(authority)
                    || service.is_some_and(|s| name == s)
            })
            .map(|(_, url)| url.as_str())
    }

    async fn forward(
        &self,
        mut request: Request<Full<Bytes>>,
        service: Option<&str>,
    ) -> Result<Response<BackendBody>, BoxError> {
        let original = request.uri().clone();
        let target = match self.override_for(&original, service) {
            Some(base) => rebase(base, &original)?,
            None if original.scheme_str() == Some("https") => {
                return Err(IntegrationError::bad_gateway(format!(
                    "vtl serve cannot call HTTPS endpoints ({original}): pass --backend {}=http://HOST:PORT to send them to a local service",
                    original.host().unwrap_or_default()
                ))
                .into())
            }
            None => original.clone(),
        };
        *request.uri_mut() = target.clone();
        request.headers_mut().remove(http::header::HOST);
        match self.client.request(request).await {
            Ok(r) => Ok(r.map(|b| b.map_err(BoxError::from).boxed())),
            Err(e) => {
                let mut message = format!("Execution failed: {target}: {e}");
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                Err(IntegrationError::bad_gateway(message).into())
            }
        }
    }
}

/// `base` (`http://127.0.0.1:8080/prefix`) with `uri`'s path and query appended.
fn rebase(base: &str, uri: &Uri) -> Result<Uri, BoxError> {
    let base = base.trim_end_matches('/');
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    format!("{base}{path}").parse::<Uri>().map_err(|e| {
        IntegrationError::bad_gateway(format!("invalid --backend URL {base:?}: {e}")).into()
    })
}

fn json_response(body: Vec<u8>, function_error: bool) -> Response<BackendBody> {
    let mut r = Response::new(Full::new(Bytes::from(body)).map_err(BoxError::from).boxed());
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if function_error {
        r.headers_mut().insert(
            "x-amz-function-error",
            http::HeaderValue::from_static("Unhandled"),
        );
    }
    r
}

/// Runs a Lambda function locally: the Invoke API's answer (200, the result or error payload).
async fn invoke(
    client: &Client<HttpConnector, Full<Bytes>>,
    name: &str,
    function: &Function,
    payload: Bytes,
) -> Result<Response<BackendBody>, BoxError> {
    match function {
        Function::Url(url) => {
            let uri: Uri = url.parse().map_err(|e| {
                IntegrationError::bad_gateway(format!("invalid --lambda URL {url:?}: {e}"))
            })?;
            let request = Request::post(uri)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(Full::new(payload))?;
            let response = client.request(request).await.map_err(|e| {
                IntegrationError::bad_gateway(format!(
                    "Execution failed: the Lambda function {name} at {url}: {e}"
                ))
            })?;
            let error = response.headers().contains_key("x-amz-function-error")
                || !response.status().is_success();
            let body = response.into_body().collect().await?.to_bytes();
            Ok(json_response(
                result_payload(body.to_vec(), error, None),
                error,
            ))
        }
        Function::Command(command) => {
            let mut child = shell(command)
                .env("AWS_LAMBDA_FUNCTION_NAME", name)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| {
                    IntegrationError::bad_gateway(format!(
                        "Execution failed: the Lambda function {name} ({command}) could not start: {e}"
                    ))
                })?;
            if let Some(mut stdin) = child.stdin.take() {
                // A function that does not read its payload closes stdin early: not an error.
                let _ = stdin.write_all(&payload).await;
            }
            let out = child.wait_with_output().await.map_err(|e| {
                IntegrationError::bad_gateway(format!(
                    "Execution failed: the Lambda function {name}: {e}"
                ))
            })?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            for line in stderr.lines() {
                eprintln!("[{name}] {line}");
            }
            let exit = (!out.status.success()).then(|| out.status.to_string());
            let error = exit.is_some();
            Ok(json_response(
                result_payload(out.stdout, error, exit),
                error,
            ))
        }
    }
}

/// What the Invoke API answers for a function's output: a JSON result as is (an empty one
/// is `null`, text becomes a JSON string); after a failed run, the output if it is an error
/// payload, else `{"errorMessage": "Runtime exited with error: …", "errorType": "Runtime.ExitError"}`.
fn result_payload(stdout: Vec<u8>, failed: bool, exit: Option<String>) -> Vec<u8> {
    let parsed = serde_json::from_slice::<Json>(&stdout).ok();
    if failed {
        if parsed
            .as_ref()
            .is_some_and(|v| v.get("errorMessage").is_some())
        {
            return stdout;
        }
        let message = match exit {
            Some(status) => format!("Runtime exited with error: {status}"),
            None => String::from_utf8_lossy(&stdout).trim().to_string(),
        };
        return json!({"errorMessage": message, "errorType": "Runtime.ExitError"})
            .to_string()
            .into_bytes();
    }
    match parsed {
        Some(_) => stdout,
        None if stdout.iter().all(u8::is_ascii_whitespace) => b"null".to_vec(),
        None => Json::String(String::from_utf8_lossy(&stdout).trim_end().to_string())
            .to_string()
            .into_bytes(),
    }
}

#[cfg(unix)]
fn shell(command: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(not(unix))]
fn shell(command: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("cmd");
    c.arg("/C").arg(command);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_come_from_the_invoke_url() {
        let uri = "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations";
        assert_eq!(function_name(uri), Some("pets"));
        let aliased = uri.replace("function:pets", "function:pets:live");
        assert_eq!(function_name(&aliased), Some("pets"));
        assert_eq!(
            function_name("https://lambda.x/2015-03-31/functions/pets/invocations"),
            Some("pets")
        );
        assert_eq!(function_name("https://lambda.x/nothing"), None);
    }

    #[test]
    fn outputs_become_invoke_payloads() {
        assert_eq!(
            result_payload(b"{\"a\":1}".to_vec(), false, None),
            b"{\"a\":1}"
        );
        assert_eq!(result_payload(b"".to_vec(), false, None), b"null");
        assert_eq!(result_payload(b"Pass\n".to_vec(), false, None), b"\"Pass\"");
        let e = result_payload(
            b"{\"errorMessage\":\"x\"}".to_vec(),
            true,
            Some("exit status: 1".into()),
        );
        assert_eq!(e, b"{\"errorMessage\":\"x\"}");
        let e: Json = serde_json::from_slice(&result_payload(
            b"oops".to_vec(),
            true,
            Some("exit status: 3".into()),
        ))
        .unwrap();
        assert_eq!(
            e["errorMessage"],
            "Runtime exited with error: exit status: 3"
        );
        assert_eq!(e["errorType"], "Runtime.ExitError");
    }

    #[test]
    fn backends_are_rebased() {
        let uri: Uri = "https://registry.example.com/v1/animals?max=2"
            .parse()
            .unwrap();
        assert_eq!(
            rebase("http://127.0.0.1:9000/", &uri).unwrap().to_string(),
            "http://127.0.0.1:9000/v1/animals?max=2"
        );
        assert_eq!(
            rebase("http://127.0.0.1:9000/base", &uri)
                .unwrap()
                .to_string(),
            "http://127.0.0.1:9000/base/v1/animals?max=2"
        );
    }
}
