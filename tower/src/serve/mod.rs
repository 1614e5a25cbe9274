//! `vtl serve`: a local REST API from an OpenAPI export or a CloudFormation/SAM template, on
//! hyper and tokio. [`VtlLayer`] around a [`Backend`]; an access log line per request, the
//! execution log on demand, reloads when the spec changes, graceful shutdown.

mod backend;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::{Layer, Service};
use vtl_gateway::{Api, Options};

pub use backend::{function_name, Backend, BackendBody, Backends, Function, INTEGRATION_TIMEOUT};

use crate::{ClientAddr, SharedApi, VtlLayer, VtlService};

/// Where log lines go (one call per line, without the newline).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// What to serve and how.
#[derive(Clone)]
pub struct Config {
    /// The OpenAPI export or CloudFormation/SAM template.
    pub spec: PathBuf,
    /// Stage, stage variables, extensions.
    pub options: Options,
    /// Where integrations are sent.
    pub backends: Backends,
    /// Reload the spec when it changes.
    pub watch: bool,
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long a request may take in all (body, backend, response).
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// The access log (a line per request); `None` for none.
    pub access_log: Option<LogSink>,
    /// The execution log of each request, and reload messages.
    pub execution_log: Option<LogSink>,
    /// Errors and notices (reload failures, shutdown).
    pub notices: LogSink,
}

impl Config {
    /// Defaults for `spec`: 10 s to send headers, 60 s per request, 4,096 connections, the
    /// access log on stdout, notices on stderr.
    pub fn new(spec: impl Into<PathBuf>) -> Config {
        Config {
            spec: spec.into(),
            options: Options::default(),
            backends: Backends::default(),
            watch: false,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 4096,
            access_log: Some(Arc::new(|l| println!("{l}"))),
            execution_log: None,
            notices: Arc::new(|l| eprintln!("{l}")),
        }
    }
}

/// Reads and compiles the spec at `path` with `options`; the error is ready to print.
pub fn load(path: &Path, options: &Options) -> Result<Api, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Api::load(&text)
        .and_then(|api| api.with_options(options.clone()))
        .map_err(|e| format!("{}: {e:#}", path.display()))
}

/// The routes of an API, one line each (`GET /pets/{id}  AWS lambda:pets`), for the banner.
pub fn routes(api: &Api) -> Vec<String> {
    let mut out = Vec::new();
    for r in &api.spec().resources {
        for m in &r.methods {
            let target = match &m.integration {
                None => "no integration".to_string(),
                Some(i) => match function_name(&i.uri) {
                    Some(f) if i.uri.contains(":lambda:") || i.uri.contains("lambda.") => {
                        format!("{} lambda:{f}", i.kind.name())
                    }
                    _ if i.uri.is_empty() => i.kind.name().to_string(),
                    _ => format!("{} {}", i.kind.name(), i.uri),
                },
            };
            out.push(format!("{:<7} {:<28} {target}", m.http_method, r.path));
        }
    }
    out
}

/// The service for each connection: the layer around the backend.
pub type AppService = VtlService<Backend>;

/// Builds the layered service for `api`, with the execution log hook when asked for.
pub fn app(api: SharedApi, config: &Config) -> AppService {
    let mut layer = VtlLayer::shared(api);
    if let Some(sink) = config.execution_log.clone() {
        layer = layer.on_completed(move |done| {
            for line in done.execution_log().lines() {
                sink(line);
            }
        });
    }
    layer.layer(Backend::new(config.backends.clone()))
}

/// Binds `host:port`, with a clear message when the address is taken.
pub async fn bind(host: &str, port: u16) -> Result<TcpListener, String> {
    let addr = format!("{host}:{port}");
    TcpListener::bind(&addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("cannot listen on {addr}: the address is already in use (is another server running there? pick another port with --port)")
        } else {
            format!("cannot listen on {addr}: {e}")
        }
    })
}

/// Serves `api` on `listener` until `shutdown` completes, then lets open requests finish
/// (5 seconds at most).
pub async fn serve(
    listener: TcpListener,
    api: SharedApi,
    config: Config,
    shutdown: impl Future<Output = ()>,
) {
    let service = app(api.clone(), &config);
    if config.watch {
        tokio::spawn(watch(config.spec.clone(), api, config.clone()));
    }
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .max_buf_size(64 * 1024);
    let config = Arc::new(config);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait and go on.
                    (config.notices)(&format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = ConnService {
            inner: service.clone(),
            peer,
            config: config.clone(),
        };
        let conn = http.serve_connection(TokioIo::new(stream), svc);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // Malformed requests, timeouts and resets end the connection, nothing more.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    (config.notices)("Shutting down (waiting up to 5 s for open requests)");
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

/// Runs `vtl serve`: binds, prints `Listening on http://ADDR` and the routes on stdout, and
/// serves until Ctrl-C (or SIGTERM).
pub fn run(config: Config, host: &str, port: u16) -> Result<(), String> {
    let api = load(&config.spec, &config.options)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = bind(host, port).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let mut banner = format!("Listening on http://{addr} ({})\n", config.spec.display());
        for line in routes(&api) {
            banner.push_str(&format!("  {line}\n"));
        }
        print!("{banner}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        serve(listener, SharedApi::new(api), config, stop_signal()).await;
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Polls the spec's modification time and size; a changed spec that loads replaces the API,
/// one that does not is reported and the last good version keeps serving.
async fn watch(path: PathBuf, api: SharedApi, config: Config) {
    let mut last = stamp(&path);
    let mut ticker = tokio::time::interval(Duration::from_millis(300));
    loop {
        ticker.tick().await;
        let now = stamp(&path);
        if now == last {
            continue;
        }
        last = now;
        match load(&path, &config.options) {
            Ok(new) => {
                api.replace(new);
                (config.notices)(&format!("Reloaded {}", path.display()));
            }
            Err(e) => (config.notices)(&format!(
                "error: {e}\n(still serving the last version that loaded)"
            )),
        }
    }
}

/// The per-connection hyper service: adds the client's address, bounds the request's time,
/// writes the access log line.
#[derive(Clone)]
struct ConnService {
    inner: AppService,
    peer: SocketAddr,
    config: Arc<Config>,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<Full<Bytes>>;
    type Error = std::convert::Infallible;
    type Future = std::pin::Pin<
        Box<dyn Future<Output = Result<Response<Full<Bytes>>, std::convert::Infallible>> + Send>,
    >;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        let mut inner = self.inner.clone();
        let config = self.config.clone();
        request.extensions_mut().insert(ClientAddr(self.peer));
        let peer = self.peer;
        Box::pin(async move {
            let start = Instant::now();
            let line = format!(
                "{} {}",
                request.method(),
                request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/")
            );
            let response =
                match tokio::time::timeout(config.request_timeout, inner.call(request)).await {
                    Ok(Ok(r)) => r,
                    Ok(Err(never)) => match never {},
                    Err(_) => {
                        let mut r = vtl_gateway::GatewayResponse::with_message(
                            vtl_gateway::GatewayResponseType::IntegrationFailure,
                            "Endpoint request timed out",
                        )
                        .to_method_response();
                        r.status = 504;
                        crate::convert::http_response(r)
                    }
                };
            if let Some(log) = &config.access_log {
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                log(&format!(
                    "{} {line} {} {ms:.1}ms",
                    peer.ip(),
                    response.status().as_u16()
                ));
            }
            Ok(response)
        })
    }
}
