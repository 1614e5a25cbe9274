//! Load benchmark of `vtl serve` on loopback: requests per second and p50/p99 latency for a
//! MOCK method and for an HTTP method with request and response templates (the
//! `a_small_mapping` shape), side by side with a bare hyper server that returns the MOCK's
//! bytes, with the HTTP backend called directly, and with the same HTTP method without
//! templates (passthrough), which isolates the templates' share. One client, a fixed number of requests
//! per target over a fixed number of keep-alive connections.
//!
//! `cargo run -p vtl-benches --release --bin serve_load -- [REQUESTS] [CONNECTIONS]`

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use vtl_gateway::{Api, EndpointResponse, MethodRequest};
use vtl_tower::serve::{self, Config};
use vtl_tower::SharedApi;

/// The MOCK method's response body, which the bare server also returns.
const MOCK_BODY: &str = r#"{"status": "ok", "service": "orders", "version": 3}"#;

fn spec(template: &str, backend: SocketAddr) -> String {
    let t = serde_json::to_string(template).unwrap();
    let mock = serde_json::to_string(MOCK_BODY).unwrap();
    format!(
        r#"{{"openapi": "3.0.1", "paths": {{
  "/health": {{"get": {{"x-amazon-apigateway-integration": {{"type": "mock",
     "requestTemplates": {{"application/json": "{{\"statusCode\": 200}}"}},
     "responses": {{"default": {{"statusCode": "200", "responseTemplates": {{"application/json": {mock}}}}}}}}}}}}},
  "/orders": {{"post": {{"x-amazon-apigateway-integration": {{"type": "http", "httpMethod": "POST",
     "uri": "http://{backend}/orders", "passthroughBehavior": "never",
     "requestTemplates": {{"application/json": {t}}},
     "responses": {{"default": {{"statusCode": "200", "responseTemplates": {{"application/json": {t}}}}}}}}}}}}},
  "/orders-passthrough": {{"post": {{"x-amazon-apigateway-integration": {{"type": "http", "httpMethod": "POST",
     "uri": "http://{backend}/orders", "passthroughBehavior": "when_no_templates",
     "responses": {{"default": {{"statusCode": "200"}}}}}}}}}}
}}}}"#
    )
}

/// A hyper server answering every request with `status 200, Content-Type: application/json,
/// body`.
async fn fixed_server(body: Bytes) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                break;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        let _ = req.into_body().collect().await;
                        let mut r = Response::new(Full::new(body));
                        r.headers_mut().insert(
                            http::header::CONTENT_TYPE,
                            http::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, Infallible>(r)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    addr
}

struct Figures {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// `requests` requests over `connections` keep-alive connections; latencies of the
/// successful ones.
async fn load(
    addr: SocketAddr,
    method: &'static str,
    path: &'static str,
    body: Bytes,
    requests: usize,
    connections: usize,
) -> Figures {
    let per = requests / connections;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(addr).await.unwrap();
            let _ = stream.set_nodelay(true);
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut lat = Vec::with_capacity(per);
            let mut errors = 0;
            for _ in 0..per {
                let req = Request::builder()
                    .method(method)
                    .uri(path)
                    .header("host", "bench")
                    .header("content-type", "application/json")
                    .body(Full::new(body.clone()))
                    .unwrap();
                let t = Instant::now();
                let ok = match sender.send_request(req).await {
                    Ok(r) => {
                        let good = r.status() == 200;
                        good && r.into_body().collect().await.is_ok()
                    }
                    Err(_) => false,
                };
                if ok {
                    lat.push(t.elapsed());
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::with_capacity(requests);
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.unwrap();
        all.extend(lat);
        errors += e;
    }
    let wall = start.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    Figures {
        rps: all.len() as f64 / wall.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
        errors,
    }
}

/// The pipeline alone, in-process, as the layer runs it: the two stages of one `Api::call`
/// without the execution log for `request`, with `answer` as the backend's response; p50 and
/// p99 over `n` runs.
fn pipeline(
    api: &Api,
    request: &MethodRequest,
    answer: &EndpointResponse,
    n: usize,
) -> (Duration, Duration) {
    let mut lat = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let mut call = api.call(request, false);
        let endpoint = call.integration_request().expect("the method runs");
        let r = call.integration_response(&endpoint, answer.clone());
        std::hint::black_box(r);
        lat.push(t.elapsed());
    }
    lat.sort();
    (lat[n / 2], lat[(n * 99 / 100).min(n - 1)])
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let case = vtl_benches::apigw_cases()
        .into_iter()
        .find(|c| c.name == "a_small_mapping")
        .expect("the a_small_mapping case");
    let order_body = Bytes::from(
        case.apigw.as_ref().unwrap()["body"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    {
        let api = Api::load(&spec(&case.template, "127.0.0.1:9".parse().unwrap())).unwrap();
        let mock =
            MethodRequest::new("GET", "/health").with_header("Content-Type", "application/json");
        let order = MethodRequest::new("POST", "/orders")
            .with_header("Content-Type", "application/json")
            .with_body(order_body.to_vec());
        let answer = EndpointResponse::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(order_body.to_vec());
        let n = requests.min(20_000);
        let (m50, m99) = pipeline(&api, &mock, &answer, n);
        let (o50, o99) = pipeline(&api, &order, &answer, n);
        println!("Pipeline alone, in-process ({n} runs): MOCK p50 {} p99 {}; HTTP method with the two a_small_mapping templates p50 {} p99 {}\n", us(m50), us(m99), us(o50), us(o99));
    }
    runtime.block_on(async move {
        let bare = fixed_server(Bytes::from_static(MOCK_BODY.as_bytes())).await;
        let backend = fixed_server(order_body.clone()).await;
        let api = Api::load(&spec(&case.template, backend)).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let vtl = listener.local_addr().unwrap();
        let mut config = Config::new("bench.json");
        // The access log line is formatted as `vtl serve` does, then dropped.
        config.access_log = Some(Arc::new(|line: &str| {
            std::hint::black_box(line);
        }));
        tokio::spawn(serve::serve(
            listener,
            SharedApi::new(api),
            config,
            std::future::pending(),
        ));
        // Warm-up: connections, pools, caches.
        for (addr, m, p) in [(vtl, "GET", "/health"), (vtl, "POST", "/orders"), (vtl, "POST", "/orders-passthrough"), (bare, "GET", "/"), (backend, "POST", "/orders")] {
            let f = load(addr, m, p, order_body.clone(), 2_000.min(requests), connections.min(8)).await;
            assert_eq!(f.errors, 0, "warm-up against {addr}{p} failed");
        }
        println!("{requests} requests per target over {connections} keep-alive connections, loopback\n");
        println!("| target | requests/s | p50 | p99 | errors |");
        println!("|---|---:|---:|---:|---:|");
        let targets = [
            ("bare hyper, same bytes as the MOCK", bare, "GET", "/"),
            ("vtl serve, MOCK method", vtl, "GET", "/health"),
            ("backend called directly (656 B JSON body)", backend, "POST", "/orders"),
            ("vtl serve, HTTP method, request + response template", vtl, "POST", "/orders"),
            ("vtl serve, the same HTTP method without templates (passthrough)", vtl, "POST", "/orders-passthrough"),
        ];
        let mut results = Vec::new();
        for (name, addr, m, p) in targets {
            let f = load(addr, m, p, order_body.clone(), requests, connections).await;
            println!("| {name} | {:.0} | {} | {} | {} |", f.rps, us(f.p50), us(f.p99), f.errors);
            results.push(f);
        }
        println!();
        println!(
            "MOCK throughput: {:.0} % of bare hyper",
            100.0 * results[1].rps / results[0].rps
        );
        let overhead = |a: &Figures, b: &Figures| {
            (a.p50.as_secs_f64() - b.p50.as_secs_f64(), a.p99.as_secs_f64() - b.p99.as_secs_f64())
        };
        let (m50, m99) = overhead(&results[3], &results[2]);
        println!(
            "HTTP method over the direct call: +{:.0} µs p50, +{:.0} µs p99 (two a_small_mapping renders, routing, one extra hop)",
            m50 * 1e6,
            m99 * 1e6
        );
        let (t50, t99) = overhead(&results[3], &results[4]);
        println!(
            "The templates' share (with templates over passthrough, both through vtl serve): +{:.0} µs p50, +{:.0} µs p99",
            t50 * 1e6,
            t99 * 1e6
        );
    });
}
