//! `$context`: API Gateway's request context, with deterministic defaults derived from the
//! request, the key order recorded on AWS, and the caller's values deep-merged over it.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map as JsonMap, Value as Json};

use super::request::Request;
use crate::value::{Entries, Key, ListKind, Map, MapKind, Value};

/// The default API id (also the domain prefix).
pub const DEFAULT_API_ID: &str = "a1b2c3d4e5";
/// The default stage.
pub const DEFAULT_STAGE: &str = "test";
/// The default request time: 2024-01-01T00:00:00Z, in epoch milliseconds.
pub const DEFAULT_EPOCH_MS: i64 = 1_704_067_200_000;

/// Names of `$context` and `$context.identity` members that API Gateway documents for mapping
/// templates; some are null unless a feature is in use (an authorizer, an API key, IAM auth).
const DOCUMENTED: &[&str] = &[
    "accountId",
    "apiId",
    "authorizer",
    "awsEndpointRequestId",
    "deploymentId",
    "domainName",
    "domainPrefix",
    "error",
    "extendedRequestId",
    "httpMethod",
    "identity",
    "isCanaryRequest",
    "path",
    "protocol",
    "requestId",
    "requestOverride",
    "responseOverride",
    "requestTime",
    "requestTimeEpoch",
    "resourceId",
    "resourcePath",
    "stage",
    "wafResponseCode",
    "webaclArn",
    // identity
    "accessKey",
    "apiKey",
    "apiKeyId",
    "caller",
    "cognitoAuthenticationProvider",
    "cognitoAuthenticationType",
    "cognitoIdentityId",
    "cognitoIdentityPoolId",
    "principalOrgId",
    "sourceIp",
    "user",
    "userAgent",
    "userArn",
    "vpcId",
    "vpceId",
    "clientCert",
];

/// Whether `name` is a documented member of `$context` or `$context.identity`.
pub(crate) fn is_documented(name: &str) -> bool {
    DOCUMENTED.contains(&name)
}

/// A scalar or nested default of `$context`, shared by the JSON and the value forms.
enum D {
    Str(String),
    OptStr(Option<String>),
    Long(i64),
    Obj(Vec<(&'static str, D)>),
}

/// The default `$context` for a request, in the key order recorded on AWS (`keySet()`).
fn defaults(request: &Request) -> Vec<(&'static str, D)> {
    let header = |name: &str| request.header(name).map(str::to_string);
    let given = |key: &str| {
        request
            .context
            .get(key)
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let stage = given("stage").unwrap_or_else(|| DEFAULT_STAGE.to_string());
    let api_id = given("apiId").unwrap_or_else(|| DEFAULT_API_ID.to_string());
    let resource_path = given("resourcePath").unwrap_or_else(|| "/".to_string());
    let epoch = request
        .context
        .get("requestTimeEpoch")
        .and_then(Json::as_i64)
        .unwrap_or(DEFAULT_EPOCH_MS);
    let digest = request_digest(request);
    let request_id = request_id_of(digest);
    let domain =
        header("Host").unwrap_or_else(|| format!("{api_id}.execute-api.us-east-1.amazonaws.com"));
    let domain_prefix = domain.split('.').next().unwrap_or(&api_id).to_string();
    let path = if resource_path == "/" {
        format!("/{stage}")
    } else {
        format!("/{stage}{resource_path}")
    };
    let source_ip = header("X-Forwarded-For")
        .map(|v| v.split(',').next().unwrap_or("").trim().to_string())
        .unwrap_or_else(|| "203.0.113.10".to_string());
    vec![
        ("resourceId", D::Str("abc123".into())),
        ("resourcePath", D::Str(resource_path)),
        ("httpMethod", D::Str("POST".into())),
        (
            "extendedRequestId",
            D::Str(format!("{:X}=", digest & 0xffff_ffff_ffff)),
        ),
        ("requestTime", D::Str(clf_time(epoch))),
        ("path", D::Str(path)),
        ("accountId", D::Str("123456789012".into())),
        ("protocol", D::Str("HTTP/1.1".into())),
        (
            "requestOverride",
            D::Obj(vec![
                ("path", D::Obj(vec![])),
                ("header", D::Obj(vec![])),
                ("querystring", D::Obj(vec![])),
            ]),
        ),
        ("stage", D::Str(stage)),
        ("domainPrefix", D::Str(domain_prefix)),
        ("requestTimeEpoch", D::Long(epoch)),
        ("requestId", D::Str(request_id)),
        (
            "identity",
            D::Obj(vec![
                ("cognitoIdentityPoolId", D::OptStr(None)),
                ("accountId", D::OptStr(None)),
                ("cognitoIdentityId", D::OptStr(None)),
                ("caller", D::OptStr(None)),
                ("sourceIp", D::Str(source_ip)),
                ("principalOrgId", D::OptStr(None)),
                ("accessKey", D::OptStr(None)),
                ("cognitoAuthenticationType", D::OptStr(None)),
                ("cognitoAuthenticationProvider", D::OptStr(None)),
                ("userArn", D::OptStr(None)),
                ("userAgent", D::OptStr(header("User-Agent"))),
                ("user", D::OptStr(None)),
            ]),
        ),
        ("domainName", D::Str(domain)),
        ("deploymentId", D::Str("dep123".into())),
        ("responseOverride", D::Obj(vec![("header", D::Obj(vec![]))])),
        ("apiId", D::Str(api_id)),
    ]
}

/// The default `$context.requestId` of a request (derived from its body and parameters),
/// without building the rest of `$context`.
pub fn default_request_id(request: &Request) -> String {
    request_id_of(request_digest(request))
}

fn request_id_of(digest: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (digest >> 32) as u32,
        (digest >> 16) as u16,
        (digest >> 4) as u16 & 0xfff,
        (digest >> 20) as u16 & 0xfff,
        digest & 0xffff_ffff_ffff
    )
}

fn default_json(d: D) -> Json {
    match d {
        D::Str(s) => Json::String(s),
        D::OptStr(o) => o.map_or(Json::Null, Json::String),
        D::Long(l) => Json::from(l),
        D::Obj(entries) => Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), default_json(v)))
                .collect(),
        ),
    }
}

fn default_value(d: D) -> Value {
    match d {
        D::Str(s) => Value::string(s),
        D::OptStr(o) => o.map_or(Value::Null, Value::string),
        D::Long(l) => Value::Long(l),
        D::Obj(entries) => context_map(
            entries
                .into_iter()
                .map(|(k, v)| (Key(Value::str(k)), default_value(v)))
                .collect(),
        ),
    }
}

fn context_map(entries: Entries) -> Value {
    Value::Map(Rc::new(Map {
        kind: MapKind::Context,
        entries: RefCell::new(entries),
    }))
}

/// The `$context` of a request as JSON, in the key order recorded on AWS (`keySet()`), with
/// `request.context` deep-merged over the defaults.
pub fn context_json(request: &Request) -> Json {
    let mut ctx = default_json(D::Obj(defaults(request)));
    if let Json::Object(target) = &mut ctx {
        super::request::merge_json(target, &request.context);
        if let Some(Json::Object(auth)) = target.get_mut("authorizer") {
            stringify_authorizer(auth);
        }
    }
    ctx
}

/// `$context` as a template value (built directly, without going through JSON): nested
/// objects are maps that print as empty on AWS.
pub fn context_value(request: &Request) -> Value {
    let ctx = default_value(D::Obj(defaults(request)));
    if let Value::Map(m) = &ctx {
        merge_value(m, &request.context, false);
    }
    ctx
}

/// Merges JSON over a context map; values under `authorizer` become strings.
fn merge_value(target: &Map, over: &JsonMap<String, Json>, authorizer: bool) {
    for (k, v) in over {
        let key = Key(Value::str(k));
        let existing = target.entries.borrow().get(&key).cloned();
        let in_authorizer = authorizer || k == "authorizer";
        match (existing, v) {
            (Some(Value::Map(inner)), Json::Object(o)) => merge_value(&inner, o, in_authorizer),
            (_, v) => {
                let value = if in_authorizer {
                    authorizer_value(v)
                } else {
                    to_context_value(v)
                };
                target.entries.borrow_mut().insert(key, value);
            }
        }
    }
}

fn authorizer_value(v: &Json) -> Value {
    match v {
        Json::Number(n) => Value::string(n.to_string()),
        Json::Bool(b) => Value::str(if *b { "true" } else { "false" }),
        Json::Object(o) => context_map(
            o.iter()
                .map(|(k, v)| (Key(Value::str(k)), authorizer_value(v)))
                .collect(),
        ),
        other => to_context_value(other),
    }
}

/// The override maps before a template ran (the defaults with the request's values merged),
/// without building the rest of `$context`.
pub fn initial_overrides(request: &Request) -> (Json, Json) {
    let mut req = serde_json::json!({"path": {}, "header": {}, "querystring": {}});
    let mut resp = serde_json::json!({"header": {}});
    for (name, target) in [
        ("requestOverride", &mut req),
        ("responseOverride", &mut resp),
    ] {
        match (request.context.get(name), target) {
            (Some(Json::Object(o)), Json::Object(t)) => super::request::merge_json(t, o),
            (Some(other), t) => *t = other.clone(),
            _ => {}
        }
    }
    (req, resp)
}

/// Lambda authorizer context values reach templates as strings (`1` → `"1"`); `claims` and
/// other nested objects keep their shape with string leaves.
fn stringify_authorizer(auth: &mut JsonMap<String, Json>) {
    for v in auth.values_mut() {
        match v {
            Json::Number(n) => *v = Json::String(n.to_string()),
            Json::Bool(b) => *v = Json::String(b.to_string()),
            Json::Object(o) => stringify_authorizer(o),
            _ => {}
        }
    }
}

fn to_context_value(j: &Json) -> Value {
    match j {
        Json::Object(o) => context_map(
            o.iter()
                .map(|(k, v)| (Key(Value::str(k)), to_context_value(v)))
                .collect(),
        ),
        Json::Array(a) => Value::list(
            ListKind::ArrayList,
            a.iter().map(to_context_value).collect(),
        ),
        other => Value::from_json(other),
    }
}

/// A property of `$context` that exists without being a key (it prints, but `keySet()` does
/// not list it).
pub fn implicit_property(name: &str) -> Option<Value> {
    match name {
        "isCanaryRequest" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// Formats epoch milliseconds as API Gateway's `requestTime` (`dd/MMM/yyyy:HH:mm:ss +0000`).
pub fn clf_time(epoch_ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
        d,
        MONTHS[(m - 1) as usize],
        y,
        tod / 3600,
        (tod % 3600) / 60,
        tod % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A stable 64-bit digest of the request (FNV-1a), for ids that differ per request but not
/// per run.
fn request_digest(r: &Request) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |s: &str| {
        for &b in s.as_bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    feed(&r.body);
    for m in [&r.params.path, &r.params.querystring, &r.params.header] {
        for (k, vs) in m {
            feed(k);
            for v in vs {
                feed(v);
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_is_the_recorded_one() {
        let ctx = context_json(&Request::default());
        let keys: Vec<&str> = ctx
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "resourceId",
                "resourcePath",
                "httpMethod",
                "extendedRequestId",
                "requestTime",
                "path",
                "accountId",
                "protocol",
                "requestOverride",
                "stage",
                "domainPrefix",
                "requestTimeEpoch",
                "requestId",
                "identity",
                "domainName",
                "deploymentId",
                "responseOverride",
                "apiId"
            ]
        );
    }

    #[test]
    fn merge_and_derived_values() {
        let mut req = Request::with_body("{}");
        req.context = serde_json::from_str(
            r#"{"stage": "prod", "resourcePath": "/pets", "identity": {"apiKey": "k"}, "authorizer": {"n": 1, "b": true}}"#,
        )
        .unwrap();
        let ctx = context_json(&req);
        assert_eq!(ctx["path"], "/prod/pets");
        assert_eq!(ctx["identity"]["apiKey"], "k");
        assert_eq!(ctx["identity"]["sourceIp"], "203.0.113.10");
        assert_eq!(ctx["authorizer"]["n"], "1");
        assert_eq!(ctx["authorizer"]["b"], "true");
        // Same request, same ids; another body, another id.
        assert_eq!(context_json(&req)["requestId"], ctx["requestId"]);
        assert_eq!(
            context_json(&Request::with_body("{}"))["requestId"],
            default_request_id(&req)
        );
        assert_ne!(
            context_json(&Request::with_body("x"))["requestId"],
            ctx["requestId"]
        );
    }

    #[test]
    fn value_form_matches_json_form() {
        let mut req = Request::with_body("{}");
        req.context = serde_json::from_str(
            r#"{"stage": "prod", "identity": {"apiKey": "k"}, "authorizer": {"n": 1, "claims": {"ok": true}}, "requestOverride": {"header": {"a": "b"}}}"#,
        )
        .unwrap();
        assert_eq!(context_value(&req).to_json(), context_json(&req));
        let (ro, so) = initial_overrides(&req);
        assert_eq!(ro, context_json(&req)["requestOverride"]);
        assert_eq!(so, context_json(&req)["responseOverride"]);
    }

    #[test]
    fn clf_time_formats_like_api_gateway() {
        assert_eq!(clf_time(DEFAULT_EPOCH_MS), "01/Jan/2024:00:00:00 +0000");
        assert_eq!(clf_time(1_747_753_652_000), "20/May/2025:15:07:32 +0000");
    }
}
