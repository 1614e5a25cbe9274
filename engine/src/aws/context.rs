//! `$context`: API Gateway's request context, with deterministic defaults derived from the
//! request, the key order recorded on AWS, and the caller's values deep-merged over it.

use std::cell::RefCell;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map as JsonMap, Value as Json};

use super::request::Request;
use crate::value::{Entries, Key, ListKind, Map, MapKind, StrKey, Value};

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

/// A default of `$context`: a constant, a value derived from the request, or an object.
#[derive(Clone, Copy)]
enum Shape {
    Text(&'static str),
    Null,
    Long(i64),
    Derived(Derived),
    Obj(&'static [(&'static str, Shape)]),
}

/// The defaults that depend on the request (only worked out where the request gives none).
#[derive(Clone, Copy)]
enum Derived {
    ExtendedRequestId,
    RequestTime,
    Path,
    DomainPrefix,
    RequestId,
    DomainName,
    SourceIp,
    UserAgent,
}

/// The default `$context`, in the key order recorded on AWS (`keySet()`). A default that the
/// request's context replaces never shows, so a key whose default is derived from another
/// (`stage`, `apiId`, `resourcePath`, `requestTimeEpoch`) has its constant here: it is used
/// only when the request does not give that key.
const SHAPE: &[(&str, Shape)] = &[
    ("resourceId", Shape::Text("abc123")),
    ("resourcePath", Shape::Text("/")),
    ("httpMethod", Shape::Text("POST")),
    (
        "extendedRequestId",
        Shape::Derived(Derived::ExtendedRequestId),
    ),
    ("requestTime", Shape::Derived(Derived::RequestTime)),
    ("path", Shape::Derived(Derived::Path)),
    ("accountId", Shape::Text("123456789012")),
    ("protocol", Shape::Text("HTTP/1.1")),
    (
        "requestOverride",
        Shape::Obj(&[
            ("path", Shape::Obj(&[])),
            ("header", Shape::Obj(&[])),
            ("querystring", Shape::Obj(&[])),
        ]),
    ),
    ("stage", Shape::Text(DEFAULT_STAGE)),
    ("domainPrefix", Shape::Derived(Derived::DomainPrefix)),
    ("requestTimeEpoch", Shape::Long(DEFAULT_EPOCH_MS)),
    ("requestId", Shape::Derived(Derived::RequestId)),
    (
        "identity",
        Shape::Obj(&[
            ("cognitoIdentityPoolId", Shape::Null),
            ("accountId", Shape::Null),
            ("cognitoIdentityId", Shape::Null),
            ("caller", Shape::Null),
            ("sourceIp", Shape::Derived(Derived::SourceIp)),
            ("principalOrgId", Shape::Null),
            ("accessKey", Shape::Null),
            ("cognitoAuthenticationType", Shape::Null),
            ("cognitoAuthenticationProvider", Shape::Null),
            ("userArn", Shape::Null),
            ("userAgent", Shape::Derived(Derived::UserAgent)),
            ("user", Shape::Null),
        ]),
    ),
    ("domainName", Shape::Derived(Derived::DomainName)),
    ("deploymentId", Shape::Text("dep123")),
    (
        "responseOverride",
        Shape::Obj(&[("header", Shape::Obj(&[]))]),
    ),
    ("apiId", Shape::Text(DEFAULT_API_ID)),
];

/// A derived default: text, or null (`userAgent` without a `User-Agent` header).
type Scalar = Option<String>;

/// Works out the derived defaults of one request, the digest at most once.
struct Derivation<'r> {
    request: &'r Request,
    digest: Option<u64>,
}

impl<'r> Derivation<'r> {
    fn new(request: &'r Request) -> Derivation<'r> {
        Derivation {
            request,
            digest: None,
        }
    }

    fn given(&self, key: &str) -> Option<&'r str> {
        self.request.context.get(key).and_then(Json::as_str)
    }

    fn digest(&mut self) -> u64 {
        *self
            .digest
            .get_or_insert_with(|| request_digest(self.request))
    }

    fn domain(&self) -> String {
        match self.request.header("Host") {
            Some(host) => host.to_string(),
            None => format!(
                "{}.execute-api.us-east-1.amazonaws.com",
                self.given("apiId").unwrap_or(DEFAULT_API_ID)
            ),
        }
    }

    fn value(&mut self, d: Derived) -> Scalar {
        let request = self.request;
        Some(match d {
            Derived::ExtendedRequestId => format!("{:X}=", self.digest() & 0xffff_ffff_ffff),
            Derived::RequestTime => clf_time(
                request
                    .context
                    .get("requestTimeEpoch")
                    .and_then(Json::as_i64)
                    .unwrap_or(DEFAULT_EPOCH_MS),
            ),
            Derived::Path => {
                let stage = self.given("stage").unwrap_or(DEFAULT_STAGE);
                match self.given("resourcePath").unwrap_or("/") {
                    "/" => format!("/{stage}"),
                    resource_path => format!("/{stage}{resource_path}"),
                }
            }
            Derived::DomainPrefix => {
                let domain = self.domain();
                match domain.split_once('.') {
                    Some((prefix, _)) => prefix.to_string(),
                    None => domain,
                }
            }
            Derived::RequestId => request_id_of(self.digest()),
            Derived::DomainName => self.domain(),
            Derived::SourceIp => request.header("X-Forwarded-For").map_or_else(
                || "203.0.113.10".to_string(),
                |v| v.split(',').next().unwrap_or("").trim().to_string(),
            ),
            Derived::UserAgent => return request.header("User-Agent").map(str::to_string),
        })
    }
}

/// Whether the request's context replaces the default under `key` outright (it gives the
/// key, and the two are not both objects, which would merge).
fn replaced(over: Option<&JsonMap<String, Json>>, key: &str, shape: &Shape) -> bool {
    match over.and_then(|o| o.get(key)) {
        None => false,
        Some(Json::Object(_)) => !matches!(shape, Shape::Obj(_)),
        Some(_) => true,
    }
}

/// The default `$context` for a request, in the key order recorded on AWS (`keySet()`), as
/// JSON. A default the request replaces is left null (the merge puts the request's value in
/// its place).
fn defaults_json(
    shape: &[(&str, Shape)],
    over: Option<&JsonMap<String, Json>>,
    derive: &mut Derivation,
) -> Json {
    let mut map = JsonMap::with_capacity(shape.len());
    for (key, s) in shape {
        let value = if replaced(over, key, s) {
            Json::Null
        } else {
            match *s {
                Shape::Text(t) => Json::String(t.to_string()),
                Shape::Null => Json::Null,
                Shape::Long(l) => Json::from(l),
                Shape::Derived(d) => derive.value(d).map_or(Json::Null, Json::String),
                Shape::Obj(inner) => {
                    let over = over.and_then(|o| o.get(*key)).and_then(Json::as_object);
                    defaults_json(inner, over, derive)
                }
            }
        };
        map.insert(key.to_string(), value);
    }
    Json::Object(map)
}

/// The default request id of a request (derived from its body and parameters), without
/// building the rest of `$context`.
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

/// Names as shared strings, by their text.
type Names =
    std::collections::HashMap<&'static str, Arc<str>, BuildHasherDefault<crate::fxhash::FxHasher>>;

/// The default `$context`, made once per thread: every name and constant is a shared string,
/// and each level's map is ready to be copied (a copy of its hash table, no key hashed), so
/// that building a render's `$context` costs a few copies and the values the request gives.
struct Skeleton {
    /// Every name of [`SHAPE`] and [`DOCUMENTED`], for the keys of the request's context.
    names: Names,
    top: Level,
}

/// One map of the default `$context`.
struct Level {
    /// Its members, in order.
    nodes: Vec<Node>,
    /// Its entries with the constants filled in, and null where a value is derived or a map.
    entries: Entries,
}

struct Node {
    slot: Slot,
}

enum Slot {
    Const,
    Derived(Derived),
    Obj(Level),
}

impl Skeleton {
    fn new() -> Skeleton {
        let mut names = Names::default();
        let top = Skeleton::level(SHAPE, &mut names);
        for name in DOCUMENTED {
            names.entry(*name).or_insert_with(|| Arc::from(*name));
        }
        Skeleton { names, top }
    }

    fn level(shape: &'static [(&'static str, Shape)], names: &mut Names) -> Level {
        let mut nodes = Vec::with_capacity(shape.len());
        let mut entries = Entries::with_capacity_and_hasher(shape.len(), Default::default());
        for &(name, s) in shape {
            let key = Key(Value::Str(
                names.entry(name).or_insert_with(|| Arc::from(name)).clone(),
            ));
            let (slot, value) = match s {
                Shape::Text(t) => (Slot::Const, Value::str(t)),
                Shape::Null => (Slot::Const, Value::Null),
                Shape::Long(l) => (Slot::Const, Value::Long(l)),
                Shape::Derived(d) => (Slot::Derived(d), Value::Null),
                Shape::Obj(inner) => (Slot::Obj(Skeleton::level(inner, names)), Value::Null),
            };
            nodes.push(Node { slot });
            entries.insert(key, value);
        }
        Level { nodes, entries }
    }

    /// A map key for a name of the request's context: the shared string of a known name.
    fn key(&self, name: &str) -> Key {
        match self.names.get(name) {
            Some(k) => Key(Value::Str(k.clone())),
            None => Key(Value::str(name)),
        }
    }

    /// The map of `level` with `over` (the request's values at this level) merged in: an
    /// object over a default map merges into it, anything else replaces the default, a new
    /// name is added at the end. Defaults that are replaced are not worked out. Values under
    /// `authorizer` become strings.
    fn instantiate(
        &self,
        level: &Level,
        over: Option<&JsonMap<String, Json>>,
        authorizer: bool,
        derive: &mut Derivation,
    ) -> Value {
        let mut entries = level.entries.clone();
        // Which defaults the request gave a value for (levels have fewer than 64 members).
        let mut given: u64 = 0;
        for (k, v) in over.into_iter().flatten() {
            let in_authorizer = authorizer || k == "authorizer";
            match entries.get_index_of(&StrKey(k)) {
                Some(i) => {
                    let value = match (level.nodes.get(i).map(|n| &n.slot), v) {
                        (Some(Slot::Obj(inner)), Json::Object(o)) => {
                            self.instantiate(inner, Some(o), in_authorizer, derive)
                        }
                        _ => self.convert(v, in_authorizer),
                    };
                    if i < 64 {
                        given |= 1 << i;
                    }
                    entries[i] = value;
                }
                None => {
                    let value = self.convert(v, in_authorizer);
                    entries.insert(self.key(k), value);
                }
            }
        }
        for (i, node) in level.nodes.iter().enumerate() {
            if given & (1 << i) != 0 {
                continue;
            }
            match &node.slot {
                Slot::Const => {}
                Slot::Derived(d) => {
                    entries[i] = derive.value(*d).map_or(Value::Null, Value::string);
                }
                Slot::Obj(inner) => entries[i] = self.instantiate(inner, None, authorizer, derive),
            }
        }
        context_map(entries)
    }

    fn convert(&self, v: &Json, authorizer: bool) -> Value {
        if authorizer {
            authorizer_value(self, v)
        } else {
            to_context_value(self, v)
        }
    }
}

thread_local! {
    static SKELETON: Skeleton = Skeleton::new();
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
    let mut ctx = defaults_json(SHAPE, Some(&request.context), &mut Derivation::new(request));
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
    SKELETON.with(|skeleton| {
        skeleton.instantiate(
            &skeleton.top,
            Some(&request.context),
            false,
            &mut Derivation::new(request),
        )
    })
}

fn authorizer_value(skeleton: &Skeleton, v: &Json) -> Value {
    match v {
        Json::Number(n) => Value::string(n.to_string()),
        Json::Bool(b) => Value::str(if *b { "true" } else { "false" }),
        Json::Object(o) => context_map(
            o.iter()
                .map(|(k, v)| (skeleton.key(k), authorizer_value(skeleton, v)))
                .collect(),
        ),
        other => to_context_value(skeleton, other),
    }
}

/// The override maps before a template ran (the defaults with the request's values merged),
/// without building the rest of `$context`.
pub fn initial_overrides(request: &Request) -> (Json, Json) {
    thread_local! {
        /// The defaults, copied for each render rather than built anew.
        static DEFAULTS: (Json, Json) = (
            serde_json::json!({"path": {}, "header": {}, "querystring": {}}),
            serde_json::json!({"header": {}}),
        );
    }
    let (mut req, mut resp) = DEFAULTS.with(Clone::clone);
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

fn to_context_value(skeleton: &Skeleton, j: &Json) -> Value {
    match j {
        Json::Object(o) => context_map(
            o.iter()
                .map(|(k, v)| (skeleton.key(k), to_context_value(skeleton, v)))
                .collect(),
        ),
        Json::Array(a) => Value::list(
            ListKind::ArrayList,
            a.iter().map(|v| to_context_value(skeleton, v)).collect(),
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
        // Eight bytes a round (the same digest; fewer loop steps).
        let mut chunks = s.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            for &b in chunk {
                h ^= b as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        for &b in chunks.remainder() {
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

    /// The plain definition: every default worked out, then the request's context merged over
    /// it (objects key by key), then the authorizer's values made strings.
    fn merged_after_all_defaults(request: &Request) -> Json {
        let mut ctx = defaults_json(SHAPE, None, &mut Derivation::new(request));
        let target = ctx.as_object_mut().unwrap();
        super::super::request::merge_json(target, &request.context);
        if let Some(Json::Object(auth)) = target.get_mut("authorizer") {
            stringify_authorizer(auth);
        }
        ctx
    }

    /// Leaving out the defaults a request replaces, and building the value form from the
    /// shared skeleton, change nothing: both forms equal the plain definition for contexts
    /// that replace scalars, maps and nested members in every combination.
    #[test]
    fn fast_builds_equal_the_plain_definition() {
        let contexts = [
            r#"{}"#,
            r#"{"accountId": "1", "apiId": "a1", "httpMethod": "GET", "stage": "prod", "requestId": "r-1", "resourcePath": "/orders/{id}", "authorizer": {"principalId": "u|1"}, "identity": {"accountId": "", "apiKey": "", "sourceIp": "203.0.113.42", "userAgent": "curl"}}"#,
            r#"{"identity": "flat", "requestOverride": 7, "responseOverride": null}"#,
            r#"{"requestId": {"a": 1}, "extendedRequestId": [1, "x"], "path": {"p": {"q": true}}}"#,
            r#"{"requestOverride": {"header": {"a": "b"}, "path": 5, "extra": {}}, "responseOverride": {"header": {"h": "v"}, "status": 201}}"#,
            r#"{"authorizer": {"n": 1, "b": true, "claims": {"x": 2.5, "l": [1, true], "s": "t"}}, "extra": {"authorizer": {"k": 3}, "n": 4}}"#,
            r#"{"requestTimeEpoch": 1747753652000, "resourcePath": "/pets", "apiId": "zz"}"#,
            r#"{"requestTimeEpoch": "soon", "stage": 3, "resourcePath": null, "apiId": {"x": 1}}"#,
            r#"{"identity": {"sourceIp": null, "userAgent": "ua", "new": [1, {"a": 2}], "caller": {"c": 1}}}"#,
            r#"{"domainName": "x.example", "domainPrefix": "y", "requestTime": "now", "deploymentId": 1, "zzz": "last"}"#,
        ];
        let headers: [&[(&str, &str)]; 3] = [
            &[],
            &[
                ("host", "api.example.com"),
                ("X-Forwarded-For", " 10.0.0.1 , 10.0.0.2"),
                ("User-Agent", "ua/1"),
            ],
            &[("Host", "nodots"), ("x-forwarded-for", "")],
        ];
        for context in contexts {
            for hs in headers {
                let mut req = Request::with_body("{\"a\": 1}");
                req.context = serde_json::from_str(context).unwrap();
                for (k, v) in hs {
                    req.params.header.insert(k.to_string(), vec![v.to_string()]);
                }
                let want = merged_after_all_defaults(&req);
                assert_eq!(context_json(&req), want, "{context} {hs:?}");
                assert_eq!(context_value(&req).to_json(), want, "{context} {hs:?}");
                // Every render gets maps of its own.
                let (a, b) = (context_value(&req), context_value(&req));
                if let (Value::Map(a), Value::Map(b)) = (&a, &b) {
                    assert!(!Rc::ptr_eq(a, b));
                    let (Some(Value::Map(x)), Some(Value::Map(y))) =
                        (a.get_str("requestOverride"), b.get_str("requestOverride"))
                    else {
                        continue;
                    };
                    assert!(!Rc::ptr_eq(&x, &y));
                }
            }
        }
    }

    #[test]
    fn clf_time_formats_like_api_gateway() {
        assert_eq!(clf_time(DEFAULT_EPOCH_MS), "01/Jan/2024:00:00:00 +0000");
        assert_eq!(clf_time(1_747_753_652_000), "20/May/2025:15:07:32 +0000");
    }
}
