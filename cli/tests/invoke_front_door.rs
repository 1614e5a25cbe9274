//! `vtl invoke` with the front door: `--api-key`/`--api-keys`, `--authorizer` as a command and
//! as a URL on 127.0.0.1, `--token`, `--jwt`, `--jwks` (and its warning when absent),
//! `--caller-identity`, on the front-door example.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::vtl_at;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/front-door")
}

fn vtl(args: &[&str]) -> (i32, String, String) {
    vtl_at(&dir(), args)
}

const ORDER: &[&str] = &[
    "invoke",
    "openapi.yaml",
    "POST",
    "/orders",
    "-H",
    "Content-Type=application/json",
    "--body",
    "order.json",
];

/// `vtl invoke` of the order example with `extra` arguments. Each call writes its body to a
/// file of its own: the tests run in parallel, and a file they shared could be read while
/// another call rewrites it (empty).
fn order(extra: &[&str]) -> (i32, String, String) {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "vtl-front-door-order-{}-{call}.json",
        std::process::id()
    ));
    std::fs::write(&path, r#"{"items": [{"sku": "ABC-123", "quantity": 2}]}"#).unwrap();
    let body = path.display().to_string();
    let mut args: Vec<&str> = ORDER.to_vec();
    *args.iter_mut().find(|a| **a == "order.json").unwrap() = &body;
    args.extend_from_slice(extra);
    let result = vtl(&args);
    let _ = std::fs::remove_file(&path);
    result
}

const TOKEN_CMD: &str = "tokenAuth=python3 token-authorizer.py";

#[test]
fn api_key_and_token_authorizer_command() {
    let (code, out, err) = order(&[
        "--api-key",
        "k-123",
        "--token",
        "Bearer allow-ana",
        "--authorizer",
        TOKEN_CMD,
        "--log",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("HTTP/1.1 201 Created"), "{out}");
    assert!(
        out.contains(r#"{"placedBy": "ana", "plan": "gold""#),
        "{out}"
    );
    assert!(
        out.contains("Starting authorizer: tokenAuth (TOKEN)"),
        "{out}"
    );
    assert!(out.contains("API Key *-123 authorized"), "{out}");
    // Denied, refused, and a key the API does not accept.
    let (_, out, _) = order(&[
        "--api-key",
        "k-123",
        "--token",
        "Bearer deny-bob",
        "--authorizer",
        TOKEN_CMD,
    ]);
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    assert!(out.contains("explicit deny"), "{out}");
    let (_, out, _) = order(&[
        "--api-key",
        "k-123",
        "--token",
        "Bearer nobody",
        "--authorizer",
        TOKEN_CMD,
    ]);
    assert!(out.starts_with("HTTP/1.1 401"), "{out}");
    let keys = std::env::temp_dir().join(format!("vtl-front-door-keys-{}", std::process::id()));
    std::fs::write(&keys, "# accepted\nother-key\n").unwrap();
    let keys = keys.display().to_string();
    let (_, out, _) = order(&[
        "-H",
        "x-api-key=stolen",
        "--api-keys",
        &keys,
        "--token",
        "Bearer allow-ana",
        "--authorizer",
        TOKEN_CMD,
    ]);
    assert!(out.starts_with("HTTP/1.1 403"), "{out}");
    assert!(out.contains(r#"{"message": "Forbidden"}"#), "{out}");
}

#[test]
fn authorizer_missing_or_failing_is_a_500() {
    let (_, out, _) = order(&["--api-key", "k", "--token", "Bearer allow-ana"]);
    assert!(out.starts_with("HTTP/1.1 500"), "{out}");
    let (_, out, _) = order(&[
        "--api-key",
        "k",
        "--token",
        "Bearer allow-ana",
        "--authorizer",
        "tokenAuth=exit 3",
        "--log",
    ]);
    assert!(out.starts_with("HTTP/1.1 500"), "{out}");
    assert!(
        out.contains("Authorizer error: the function failed"),
        "{out}"
    );
}

#[test]
fn request_authorizer_at_a_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = s.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Content-Length: "))
                    .unwrap()
                    .parse()
                    .unwrap();
                if body.len() >= len || n == 0 {
                    break;
                }
            }
        }
        let body = r#"{"principalId": "tenant-acme", "policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}, "context": {"tenant": "acme"}}"#;
        write!(
            s,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .unwrap();
        String::from_utf8_lossy(&got).to_string()
    });
    let url = format!("tenantAuth=http://{addr}/authorize");
    let (code, out, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/reports/r-1?session=s&format=csv",
        "-H",
        "X-Tenant=acme",
        "--authorizer",
        &url,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(r#""tenant": "acme", "principal": "tenant-acme""#),
        "{out}"
    );
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /authorize HTTP/1.1"), "{request}");
    assert!(request.contains(r#""type":"REQUEST""#), "{request}");
}

#[test]
fn cognito_with_and_without_jwks() {
    let ana = std::fs::read_to_string(dir().join("ana.jwt")).unwrap();
    let (code, out, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--jwt",
        ana.trim(),
        "--jwks",
        "jwks.json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ana@example.com"), "{out}");
    assert!(!err.contains("NOT checked"), "{err}");
    // Claims made into an unsigned token: refused with the JWKS, accepted (loudly) without.
    let claims = r#"{"sub": "u-1", "email": "x@example.com"}"#;
    let (_, out, _) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--jwt",
        claims,
        "--jwks",
        "jwks.json",
    ]);
    assert!(out.starts_with("HTTP/1.1 401"), "{out}");
    let (_, out, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--jwt",
        claims,
        "--log",
    ]);
    assert!(out.contains(r#""sub": "u-1""#), "{out}");
    assert!(err.contains("signatures are NOT checked"), "{err}");
    assert!(
        out.contains("WARNING: the JWT signature is NOT checked"),
        "{out}"
    );
    let expired = std::fs::read_to_string(dir().join("expired.jwt")).unwrap();
    let (_, out, _) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--jwt",
        expired.trim(),
        "--jwks",
        "jwks.json",
    ]);
    assert!(out.contains("The incoming token has expired"), "{out}");
}

#[test]
fn caller_identity_and_usage_errors() {
    let (code, out, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/admin",
        "--caller-identity",
        r#"{"userArn": "arn:aws:iam::1:user/a"}"#,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(r#"{"caller": "arn:aws:iam::1:user/a"}"#),
        "{out}"
    );
    let (code, _, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/admin",
        "--caller-identity",
        "[1]",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("must be a JSON object") || err.contains("[1]"),
        "{err}"
    );
    let (code, _, err) = vtl(&["invoke", "openapi.yaml", "GET", "/admin", "--token", "t"]);
    assert_eq!(code, 2);
    assert!(err.contains("has no authorizer reading a header"), "{err}");
    let (code, _, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--jwt",
        "{}",
        "--jwks",
        "openapi.yaml",
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = vtl(&[
        "invoke",
        "openapi.yaml",
        "GET",
        "/me",
        "--authorizer",
        "x=https://example.com/a",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("only http://"), "{err}");
}

#[test]
fn without_front_door_options_invoke_skips_it_as_test_invoke_does() {
    let (code, out, _) = order(&[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("HTTP/1.1 201"), "{out}");
    assert!(out.contains(r#""placedBy": """#), "{out}");
}
