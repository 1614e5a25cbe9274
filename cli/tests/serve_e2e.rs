//! `vtl serve` end to end, with real sockets on 127.0.0.1: the server runs as a child process
//! (killed on drop), backends are hyper servers in the test, Lambda functions are shell
//! scripts, and requests go through a real HTTP client. Every wait is bounded.
#![cfg(unix)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vtl_gateway::case::Case;
use vtl_gateway::{EndpointResponse, MethodResponse};

const LIMIT: Duration = Duration::from_secs(20);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures-serve")
        .join(name)
        .display()
        .to_string()
}

/// A `vtl serve` child process; its output is collected by two threads.
struct Server {
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl std::io::Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = into.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
}

impl Server {
    fn start(spec: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vtl"))
            .arg("serve")
            .arg(spec)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vtl serve starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), stdout.clone());
        collect(child.stderr.take().unwrap(), stderr.clone());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = stdout.lock().unwrap().clone();
            if let Some(rest) = text.split("Listening on http://").nth(1) {
                let addr = rest.split_whitespace().next().unwrap().parse().unwrap();
                return Server {
                    child,
                    addr,
                    stdout,
                    stderr,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("vtl serve exited with {status}: {}", stderr.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "vtl serve did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (bounded) until stderr contains `text`.
    fn wait_stderr(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.stderr().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

/// What the test backend received.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A backend on 127.0.0.1: answers the queued responses in order (a `/lambda` request gets
/// the response's body as a Lambda payload), else echoes the body with its Content-Type;
/// `/items/missing` is a 404.
#[derive(Clone, Default)]
struct Backend {
    queue: Arc<Mutex<VecDeque<EndpointResponse>>>,
    seen: Arc<Mutex<Vec<Received>>>,
}

impl Backend {
    async fn start(&self) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let this = this.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req| {
                        let this = this.clone();
                        async move { Ok::<_, std::convert::Infallible>(this.answer(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        addr
    }

    async fn answer(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        let (parts, body) = req.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        let path = parts.uri.path_and_query().unwrap().to_string();
        let content_type = parts.headers.get("content-type").cloned();
        self.seen.lock().unwrap().push(Received {
            method: parts.method.to_string(),
            path: path.clone(),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect(),
            body: body.clone(),
        });
        let queued = self.queue.lock().unwrap().pop_front();
        let mut r = match queued {
            Some(mut e) => {
                if path == "/lambda" {
                    e = EndpointResponse::lambda(e.body).as_lambda_payload();
                }
                let mut r = Response::new(Full::new(Bytes::from(e.body)));
                *r.status_mut() = e.status.try_into().unwrap();
                for (k, v) in e.headers {
                    r.headers_mut().append(
                        http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                        v.parse().unwrap(),
                    );
                }
                return r;
            }
            None => Response::new(Full::new(Bytes::from(body))),
        };
        if path.starts_with("/items/missing") {
            *r.status_mut() = http::StatusCode::NOT_FOUND;
        }
        if let Some(ct) = content_type {
            r.headers_mut().insert("content-type", ct);
        }
        r.headers_mut()
            .insert("x-backend-path", path.parse().unwrap());
        r
    }
}

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Sends a request (bounded in time) and buffers the response.
async fn send(client: &HttpClient, req: Request<Full<Bytes>>) -> MethodResponse {
    let response = tokio::time::timeout(LIMIT, client.request(req))
        .await
        .expect("the server answers in time")
        .expect("the request succeeds");
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    MethodResponse {
        status,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body,
    }
}

async fn get(client: &HttpClient, url: &str) -> MethodResponse {
    send(client, Request::get(url).body(Full::default()).unwrap()).await
}

/// Every method-level case of the pets example, through the socket: the same status, headers
/// and body as `vtl invoke`/`vtl test` give, and what the backend received.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pets_cases_through_the_socket() {
    let backend = Backend::default();
    let b = backend.start().await;
    let base = format!("http://{b}");
    let server = Server::start(
        &root()
            .join("examples/pets/openapi.yaml")
            .display()
            .to_string(),
        &[
            "--extensions",
            "--stage",
            "prod",
            "--stage-var",
            "registryHost=registry.example.com",
            "--stage-var",
            "registryKey=k-123",
            "--backend",
            &format!("registry.example.com={base}"),
            "--backend",
            &format!("adoptions.example.com={base}"),
            "--lambda",
            &format!("pets={base}/lambda"),
        ],
    );
    let text = std::fs::read_to_string(root().join("examples/pets/pets.cases.yaml")).unwrap();
    let doc: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let client = client();
    for entry in cases {
        let case = Case::from_json(entry, &root().join("examples/pets")).unwrap();
        backend.seen.lock().unwrap().clear();
        backend.queue.lock().unwrap().clear();
        if let Some(e) = &case.endpoint_response {
            backend.queue.lock().unwrap().push_back(e.clone());
        }
        let r = &case.request;
        let mut path = r.path.clone();
        if !r.query.is_empty() {
            let q: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            path = format!("{path}?{}", q.join("&"));
        }
        let mut req = Request::builder()
            .method(r.http_method.as_str())
            .uri(server.url(&path));
        for (k, v) in &r.headers {
            req = req.header(k, v);
        }
        let response = send(
            &client,
            req.body(Full::new(Bytes::from(r.body.clone()))).unwrap(),
        )
        .await;
        // The response side with the case's own checks.
        let mut response_only = case.clone();
        response_only.endpoint_request = None;
        response_only.log.clear();
        let run = vtl_gateway::case::Run {
            invocation: vtl_gateway::Invocation {
                response: response.clone(),
                endpoint_request: None,
                log: String::new(),
                latency_ms: 0,
                template_error: None,
            },
            backend_called: false,
        };
        let mismatches = response_only.check(&run, false);
        assert!(
            mismatches.is_empty(),
            "{}: {:?}\n{}",
            case.name,
            mismatches.iter().map(|m| &m.message).collect::<Vec<_>>(),
            response.body_text()
        );
        // The request side: what reached the backend.
        let seen = backend.seen.lock().unwrap().clone();
        match &case.endpoint_request {
            Some(None) => assert!(seen.is_empty(), "{}: the backend was called", case.name),
            Some(Some(want)) => {
                assert_eq!(seen.len(), 1, "{}", case.name);
                let got = &seen[0];
                if let Some(m) = &want.http_method {
                    assert_eq!(&got.method, m, "{}", case.name);
                }
                for (name, values) in &want.headers {
                    let actual: Vec<&str> = got
                        .headers
                        .iter()
                        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                        .collect();
                    assert_eq!(actual, *values, "{}: header {name}", case.name);
                }
                if let Some(body) = &want.body {
                    let text = String::from_utf8_lossy(&got.body);
                    if let Err(m) = vtl_gateway::compare::compare(body, &text, false, "body") {
                        panic!("{}: endpoint request {}", case.name, m.message);
                    }
                }
            }
            None => {}
        }
    }
    // One access log line per request.
    let log = server.stdout.lock().unwrap().clone();
    assert!(log.contains("OPTIONS /pets 200"), "{log}");
    assert!(log.contains("GET /pets/99 404"), "{log}");
}

/// The pets Lambda function as a local command: success, the two error regexes, and a
/// crash (an unmapped function error is 200, as on API Gateway); the execution log with --log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_command() {
    let server = Server::start(
        &root()
            .join("examples/pets/openapi.yaml")
            .display()
            .to_string(),
        &[
            "--log",
            "--lambda",
            &format!("pets=sh {}", fixture("pets-fn.sh")),
        ],
    );
    let client = client();
    let ok = get(&client, &server.url("/pets/1")).await;
    assert_eq!(ok.status, 200);
    let pet: serde_json::Value = serde_json::from_slice(&ok.body).unwrap();
    assert_eq!(pet["type"], "dog");
    assert_eq!(ok.header("cache-control"), Some("max-age=60"));
    let missing = get(&client, &server.url("/pets/99")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body_text(), r#"{"message": "Pet 99 not found"}"#);
    let invalid = get(&client, &server.url("/pets/abc")).await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.header("x-error-type"), Some("ValidationError"));
    let crash = get(&client, &server.url("/pets/crash")).await;
    assert_eq!(crash.status, 200);
    assert!(
        server.wait_stderr("[pets] segmentation fault"),
        "{}",
        server.stderr()
    );
    assert!(
        server.wait_stderr("Runtime exited with error: exit status: 3"),
        "{}",
        server.stderr()
    );
    assert!(server
        .stderr()
        .contains("Method completed with status: 404"));
}

/// MOCK CORS, 415, an unknown route, and the integrations the pets example has no backend for
/// when none is given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_responses_and_mock() {
    let server = Server::start(
        &root()
            .join("examples/pets/openapi.yaml")
            .display()
            .to_string(),
        &[],
    );
    let client = client();
    let req = Request::options(server.url("/pets"))
        .header("Origin", "https://app.example.com")
        .header("Access-Control-Request-Method", "GET")
        .body(Full::default())
        .unwrap();
    let cors = send(&client, req).await;
    assert_eq!(cors.status, 200);
    assert_eq!(
        cors.header("access-control-allow-methods"),
        Some("GET,OPTIONS")
    );
    assert_eq!(cors.header("access-control-allow-origin"), Some("*"));
    assert!(cors.body.is_empty());

    let req = Request::get(server.url("/pets/1"))
        .header("Content-Type", "text/plain")
        .body(Full::new(Bytes::from_static(b"1")))
        .unwrap();
    let r = send(&client, req).await;
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (415, r#"{"message": "Unsupported Media Type"}"#)
    );

    let r = get(&client, &server.url("/kittens")).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.body_text(),
        r#"{"message": "Missing Authentication Token"}"#
    );
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );

    let r = get(&client, &server.url("/pets/1")).await;
    assert_eq!(r.status, 502);
    assert!(
        r.body_text().contains("--lambda pets=COMMAND"),
        "{}",
        r.body_text()
    );
}

/// Binary passthrough, an HTTP 404 mapped by its own pattern, HTTP_PROXY, a Lambda proxy
/// command, and an AWS service integration without a backend (502).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_404_proxy_and_aws_services() {
    let backend = Backend::default();
    let b = backend.start().await;
    let base = format!("http://{b}");
    let server = Server::start(
        &fixture("extra.yaml"),
        &[
            "--backend",
            &format!("photos.local={base}"),
            "--backend",
            &format!("stock.local={base}"),
            "--lambda",
            &format!("events=sh {}", fixture("events-fn.sh")),
        ],
    );
    let client = client();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let req = Request::put(server.url("/photos/cat.png"))
        .header("Content-Type", "image/png")
        .header("Accept", "image/png")
        .body(Full::new(Bytes::from(bytes.clone())))
        .unwrap();
    let r = send(&client, req).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, bytes, "binary bodies pass through unchanged");
    let seen = backend.seen.lock().unwrap().clone();
    assert_eq!(seen[0].body, bytes);
    assert_eq!(seen[0].path, "/store/cat.png");

    let r = get(&client, &server.url("/stock/missing")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body_text(), r#"{"message": "no such item: missing"}"#);
    let r = get(&client, &server.url("/stock/a1")).await;
    assert_eq!(r.status, 200);

    let req = Request::post(server.url("/proxy/any/path?x=1"))
        .header("X-Custom", "kept")
        .body(Full::new(Bytes::from_static(b"raw")))
        .unwrap();
    let r = send(&client, req).await;
    assert_eq!((r.status, r.body_text().as_str()), (200, "raw"));
    assert_eq!(r.header("x-backend-path"), Some("/any/path?x=1"));
    let last = backend.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.method, "POST");
    assert!(last.headers.contains(&("x-custom".into(), "kept".into())));

    let req = Request::post(server.url("/events"))
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let r = send(&client, req).await;
    assert_eq!(r.status, 201, "{}", r.body_text());
    assert_eq!(r.header("x-seen"), Some("yes"));
    assert!(r.body_text().ends_with(" bytes"), "{}", r.body_text());

    let req = Request::post(server.url("/queue"))
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let r = send(&client, req).await;
    assert_eq!(r.status, 502);
    assert!(
        r.body_text().contains("--backend sqs=URL"),
        "{}",
        r.body_text()
    );
}

/// --watch: a changed spec serves the next request; a broken one is reported and the last
/// good version keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_reloads_and_keeps_the_last_good_spec() {
    let dir = std::env::temp_dir().join(format!("vtl-serve-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("api.yaml");
    let mock = |path: &str| {
        format!("paths:\n  {path}:\n    get:\n      x-amazon-apigateway-integration:\n        type: mock\n        requestTemplates: {{application/json: '{{\"statusCode\": 200}}'}}\n        responses: {{default: {{statusCode: \"200\"}}}}\n")
    };
    std::fs::write(&spec, mock("/one")).unwrap();
    let server = Server::start(&spec.display().to_string(), &["--watch"]);
    let client = client();
    assert_eq!(get(&client, &server.url("/one")).await.status, 200);
    assert_eq!(get(&client, &server.url("/two")).await.status, 403);
    std::fs::write(&spec, mock("/two") + "\n").unwrap();
    assert!(server.wait_stderr("Reloaded"), "{}", server.stderr());
    assert_eq!(get(&client, &server.url("/two")).await.status, 200);
    std::fs::write(&spec, "paths: [not, a, map\n").unwrap();
    assert!(
        server.wait_stderr("still serving the last version"),
        "{}",
        server.stderr()
    );
    assert_eq!(get(&client, &server.url("/two")).await.status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let spec = root().join("examples/pets/openapi.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_vtl"))
        .args(["serve", &spec.display().to_string(), "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
}

#[test]
fn ctrl_c_shuts_down_cleanly() {
    let mut server = Server::start(
        &root()
            .join("examples/pets/openapi.yaml")
            .display()
            .to_string(),
        &[],
    );
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    assert!(server.wait_stderr("Shutting down"));
}

/// Reads what the server sends back on a raw connection, bounded in time.
async fn read_some(stream: &mut TcpStream) -> String {
    let mut buf = vec![0u8; 4096];
    match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
        Ok(Ok(n)) => String::from_utf8_lossy(&buf[..n]).into_owned(),
        _ => String::new(),
    }
}

/// Oversized bodies, slow and malformed clients, and 1,000 concurrent connections: the server
/// answers each with one clean response or closes the connection, keeps serving, and its
/// memory stays bounded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_traffic() {
    let server = Server::start(
        &root()
            .join("examples/pets/openapi.yaml")
            .display()
            .to_string(),
        &["--header-timeout", "1"],
    );
    let client = client();
    assert_eq!(get(&client, &server.url("/nowhere")).await.status, 403);
    let rss_start = server.rss_kib();

    // Declared too large: 413 before the body is read.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"POST /pets/1/adoption HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{").await.unwrap();
    let head = read_some(&mut s).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains("Request Too Long"), "{head}");

    // Chunked past 10 MB: the limit stops the read.
    let chunk = vec![b'x'; 1 << 20];
    let body = futures_stream(chunk, 12);
    let big = Request::post(server.url("/pets/1/adoption"))
        .header("Content-Type", "application/json")
        .body(body)
        .unwrap();
    let streaming: Client<_, _> = Client::builder(TokioExecutor::new()).build_http();
    let r = tokio::time::timeout(LIMIT, streaming.request(big))
        .await
        .unwrap();
    if let Ok(r) = r {
        assert_eq!(r.status(), 413);
    }

    // A slow client: headers never finished; the connection is closed after the timeout.
    let started = Instant::now();
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /pets HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(10), slow.read(&mut buf))
        .await
        .expect("the server closes a slow connection")
        .unwrap_or(0);
    let answer = String::from_utf8_lossy(&buf[..n]).into_owned();
    assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(8));

    // Malformed HTTP.
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /pets HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"\x00\x01\x02\x03\r\n\r\n",
        b"GET /pets HTTP/1.1\r\nBad Header\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(garbage).await.unwrap();
        let answer = read_some(&mut s).await;
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "{answer}"
        );
    }
    let mut huge_header = b"GET /pets HTTP/1.1\r\nX-Big: ".to_vec();
    huge_header.extend(vec![b'a'; 200_000]);
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let _ = s.write_all(&huge_header).await;
    let answer = read_some(&mut s).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer}"
    );

    // 1,000 concurrent connections, each with a MOCK request (fewer if this process may not
    // open that many files).
    let clients = 1000.min(open_file_limit().saturating_sub(300)).max(100);
    let rss_before = server.rss_kib();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let addr = server.addr;
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(addr).await.ok()?;
            s.write_all(b"OPTIONS /pets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .ok()?;
            let mut out = Vec::new();
            tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut out))
                .await
                .ok()?
                .ok()?;
            Some(out.starts_with(b"HTTP/1.1 200"))
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap() == Some(true) {
            ok += 1;
        }
    }
    assert_eq!(ok, clients);
    let rss_after = server.rss_kib();
    eprintln!(
        "vtl serve RSS: {rss_start} KiB at start, {rss_before} KiB before and {rss_after} KiB after {clients} concurrent connections"
    );
    assert!(
        rss_after < rss_start + 200 * 1024,
        "{rss_start} -> {rss_after} KiB"
    );

    // Still serving, and never a panic.
    assert_eq!(get(&client, &server.url("/nowhere")).await.status, 403);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

/// The soft limit on open files of this process (`Max open files` in `/proc/self/limits`).
fn open_file_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(1024)
}

/// `count` chunks of `chunk` as a body stream.
fn futures_stream(
    chunk: Vec<u8>,
    count: usize,
) -> impl hyper::body::Body<Data = Bytes, Error = std::convert::Infallible> + Send + Unpin + 'static
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(2);
    tokio::spawn(async move {
        for _ in 0..count {
            if tx.send(Bytes::from(chunk.clone())).await.is_err() {
                break;
            }
        }
    });
    ChannelBody(rx)
}

struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|o| o.map(|b| Ok(hyper::body::Frame::data(b))))
    }
}

/// The front-door example through the socket: API key, the TOKEN authorizer script (called
/// once per token thanks to the result cache), the REQUEST authorizer script, a URL authorizer
/// on 127.0.0.1, Cognito with the JWKS, AWS_IAM, and the gateway responses of each rejection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn front_door_example() {
    let dir = root().join("examples/front-door");
    let at = |f: &str| dir.join(f).display().to_string();
    // A URL authorizer for tenantAuth: counts calls, allows tenant acme.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url_addr = listener.local_addr().unwrap();
    let url_calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = url_calls.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { break };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = vec![0u8; 65536];
            let mut got = Vec::new();
            while let Ok(n) = std::io::Read::read(&mut s, &mut buf) {
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&got);
                if let Some(i) = text.find("\r\n\r\n") {
                    let len: usize = text[..i]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if got.len() >= i + 4 + len {
                        break;
                    }
                }
            }
            let event: serde_json::Value = String::from_utf8_lossy(&got)
                .split_once("\r\n\r\n")
                .and_then(|(_, b)| serde_json::from_str(b).ok())
                .unwrap_or_default();
            let body = if event["headers"]["X-Tenant"] == "acme" {
                serde_json::json!({"principalId": "tenant-acme", "policyDocument": {"Statement": [
                    {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]},
                    "context": {"tenant": "acme"}})
                .to_string()
            } else {
                "Unauthorized".to_string()
            };
            let status = if body == "Unauthorized" {
                "401 Unauthorized"
            } else {
                "200 OK"
            };
            let _ = std::io::Write::write_all(
                &mut s,
                format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    let token_cmd = format!("tokenAuth=python3 {}", at("token-authorizer.py"));
    let tenant_url = format!("tenantAuth=http://{url_addr}/authorize");
    let server = Server::start(
        &at("openapi.yaml"),
        &[
            "--api-key",
            "k-123",
            "--authorizer",
            &token_cmd,
            "--authorizer",
            &tenant_url,
            "--jwks",
            &at("jwks.json"),
            "--caller-identity",
            r#"{"userArn": "arn:aws:iam::123456789012:user/ana"}"#,
        ],
    );
    let client = client();
    let order = |key: Option<&str>, token: &str, body: &'static str| {
        let mut b = Request::post(server.url("/orders"))
            .header("Content-Type", "application/json")
            .header("Authorization", token);
        if let Some(k) = key {
            b = b.header("x-api-key", k);
        }
        b.body(Full::new(Bytes::from_static(body.as_bytes())))
            .unwrap()
    };
    const GOOD: &str = r#"{"items": [{"sku": "ABC-123", "quantity": 2}]}"#;
    for _ in 0..2 {
        let r = send(&client, order(Some("k-123"), "Bearer allow-ana", GOOD)).await;
        assert_eq!(r.status, 201, "{}", r.body_text());
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            (v["placedBy"].as_str(), v["plan"].as_str()),
            (Some("ana"), Some("gold"))
        );
    }
    let r = send(&client, order(None, "Bearer allow-ana", GOOD)).await;
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (403, r#"{"message": "Forbidden"}"#)
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = send(&client, order(Some("k-123"), "Bearer deny-bob", GOOD)).await;
    assert_eq!(r.status, 403);
    assert!(r.body_text().contains("explicit deny"), "{}", r.body_text());
    let r = send(&client, order(Some("k-123"), "Bearer someone", GOOD)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = send(
        &client,
        order(Some("k-123"), "Bearer allow-ana", r#"{"items": []}"#),
    )
    .await;
    assert_eq!(
        (r.status, r.body_text().as_str()),
        (400, r#"{"message": "Invalid request body"}"#)
    );

    // The URL authorizer: cached for 60 s by (X-Tenant, session).
    for _ in 0..2 {
        let req = Request::get(server.url("/reports/r-1?session=s&format=csv"))
            .header("X-Tenant", "acme")
            .body(Full::default())
            .unwrap();
        let r = send(&client, req).await;
        assert_eq!(r.status, 200, "{}", r.body_text());
        assert!(r.body_text().contains(r#""tenant": "acme""#));
    }
    assert_eq!(url_calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    let req = Request::get(server.url("/reports/r-1?session=s&format=csv"))
        .header("X-Tenant", "initech")
        .body(Full::default())
        .unwrap();
    assert_eq!(send(&client, req).await.status, 401);

    // Cognito with the JWKS: the signed token passes, an unsigned or expired one does not.
    let me = |token: String| {
        Request::get(server.url("/me"))
            .header("Authorization", token)
            .body(Full::default())
            .unwrap()
    };
    let ana = std::fs::read_to_string(dir.join("ana.jwt"))
        .unwrap()
        .trim()
        .to_string();
    let r = send(&client, me(ana.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert!(r.body_text().contains("ana@example.com"));
    let forged = format!("{}x", ana.trim_end_matches(|c| c != '.'));
    assert_eq!(send(&client, me(forged)).await.status, 401);
    let expired = std::fs::read_to_string(dir.join("expired.jwt"))
        .unwrap()
        .trim()
        .to_string();
    let r = send(&client, me(expired)).await;
    assert_eq!(r.status, 401);
    assert!(r.body_text().contains("expired"), "{}", r.body_text());

    let r = get(&client, &server.url("/admin")).await;
    assert_eq!(
        r.body_text(),
        r#"{"caller": "arn:aws:iam::123456789012:user/ana"}"#
    );
    assert!(
        !server.stderr().contains("NOT checked"),
        "{}",
        server.stderr()
    );
}
