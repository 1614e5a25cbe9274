//! Between the `http` crate's types and the pipeline's: a buffered `http::Request` becomes a
//! [`MethodRequest`], an [`EndpointRequest`] an `http::Request` for the inner service, its
//! answer an [`EndpointResponse`], and a [`MethodResponse`] the client's `http::Response`.

use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::Full;
use serde_json::{json, Map, Value as Json};
use vtl_gateway::{
    parse_query, EndpointRequest, EndpointResponse, GatewayResponse, MethodRequest, MethodResponse,
    Pairs,
};

/// `content-type` → `Content-Type`: the spelling most clients send. HTTP/1 servers and the
/// `http` crate lower-case header names, and API Gateway shows names as sent.
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        upper = c == '-';
    }
    out
}

fn pairs(headers: &HeaderMap) -> Pairs {
    headers
        .iter()
        .map(|(k, v)| {
            (
                title_case(k.as_str()),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The client's request as the pipeline sees it, with a fresh request id, the time and the
/// client's address in `$context`.
pub(crate) fn method_request(
    parts: &http::request::Parts,
    body: Bytes,
    client: Option<SocketAddr>,
) -> MethodRequest {
    let path = match parts.uri.path() {
        "" => "/",
        p => p,
    };
    let mut context = Map::new();
    context.insert("requestId".into(), Json::from(request_id()));
    context.insert("requestTimeEpoch".into(), Json::from(now_ms()));
    context.insert("protocol".into(), Json::from(protocol(parts.version)));
    if let Some(addr) = client {
        context.insert(
            "identity".into(),
            json!({"sourceIp": addr.ip().to_string()}),
        );
    }
    MethodRequest {
        http_method: parts.method.as_str().to_ascii_uppercase(),
        path: path.to_string(),
        query: parse_query(parts.uri.query().unwrap_or("")),
        headers: pairs(&parts.headers),
        body: body.to_vec(),
        stage_variables: Vec::new(),
        context,
    }
}

fn protocol(v: http::Version) -> &'static str {
    match v {
        http::Version::HTTP_09 => "HTTP/0.9",
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_2 => "HTTP/2.0",
        http::Version::HTTP_3 => "HTTP/3.0",
        _ => "HTTP/1.1",
    }
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// A random version-4 UUID, like API Gateway's request ids.
pub(crate) fn request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.write_u64(salt);
        h.write_i64(now_ms());
        h.finish()
    };
    let (a, b) = (half(1), half(2));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        a as u16 & 0xfff,
        (b >> 48) as u16 & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// The endpoint request as an `http::Request` (`Err`: the URI or method cannot be sent, a
/// configuration error).
pub(crate) fn http_request(e: &EndpointRequest) -> Result<Request<Full<Bytes>>, GatewayResponse> {
    let invalid = || GatewayResponse::configuration("Invalid endpoint address");
    let uri: Uri = e.uri.parse().map_err(|_| invalid())?;
    let method = Method::from_bytes(e.http_method.as_bytes()).map_err(|_| invalid())?;
    let mut request = Request::new(Full::new(Bytes::from(e.body.clone())));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    for (k, v) in &e.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_bytes(v.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    Ok(request)
}

/// The inner service's buffered answer.
pub(crate) fn endpoint_response(parts: &http::response::Parts, body: Bytes) -> EndpointResponse {
    EndpointResponse {
        status: parts.status.as_u16(),
        headers: pairs(&parts.headers),
        body: body.to_vec(),
    }
}

/// The client's response. Header values a template made unsendable (line breaks, control
/// characters) are left out; a status outside 100-599 becomes 500.
pub(crate) fn http_response(r: MethodResponse) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Full::new(Bytes::from(r.body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    for (k, v) in &r.headers {
        if k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_bytes(v.as_bytes()),
        ) {
            headers.append(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_title_cased() {
        assert_eq!(title_case("content-type"), "Content-Type");
        assert_eq!(title_case("x-request-id"), "X-Request-Id");
        assert_eq!(title_case("accept"), "Accept");
    }

    #[test]
    fn request_ids_are_uuids_and_differ() {
        let (a, b) = (request_id(), request_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
    }

    #[test]
    fn unsendable_headers_are_left_out() {
        let r = http_response(MethodResponse {
            status: 1000,
            headers: vec![
                ("X-Ok".into(), "1".into()),
                ("X-Bad".into(), "a\r\nb".into()),
            ],
            body: b"x".to_vec(),
        });
        assert_eq!(r.status(), 500);
        assert_eq!(r.headers()["x-ok"], "1");
        assert!(r.headers().get("x-bad").is_none());
    }
}
