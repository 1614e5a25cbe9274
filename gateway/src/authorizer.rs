//! Authorizers: Lambda TOKEN and REQUEST authorizers (the caller runs the function, see
//! [`crate::front::FrontOptions::authorizer`]) with their IAM policy evaluated against the
//! method ARN, and Cognito user-pool authorizers (the JWT's claims, its expiry). Results are
//! cached by identity source for `authorizerResultTtlInSeconds` in an [`AuthorizerCache`].
//!
//! Cognito tokens' signatures are checked only by a [`crate::front::JwtVerifierFn`] the caller
//! gives (e.g. against a JWKS file); without one the log says on every call that they are NOT.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use java_regex::JavaRegex;
use serde_json::{Map, Value as Json};

use crate::error::push_pointer;
use crate::exchange::{last_value, Pairs};
use crate::front::{kind_name, stringify_context, MethodSecurity};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::{Error, Run};

/// The default `authorizerResultTtlInSeconds`.
pub const DEFAULT_TTL_SECONDS: u64 = 300;

/// The body of a 403 for an explicit `Deny` (\[DOC\]).
pub const EXPLICIT_DENY: &str =
    "User is not authorized to access this resource with an explicit deny";

/// The kind of an authorizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthorizerKind {
    /// A Lambda function given the token of one header.
    Token,
    /// A Lambda function given the request's parameters.
    Request,
    /// A Cognito user pool's JWT.
    CognitoUserPools,
}

/// One authorizer.
#[derive(Clone, Debug)]
pub struct Authorizer {
    /// Its name (the security scheme's name, or the CloudFormation `Name` / logical id).
    pub name: String,
    /// Its kind.
    pub kind: AuthorizerKind,
    /// `identitySource`: `method.request.header.X`, `method.request.querystring.X`,
    /// `stageVariables.X`, `context.X`.
    pub identity_source: Vec<String>,
    /// `identityValidationExpression` (TOKEN only).
    pub validation: Option<String>,
    /// `authorizerResultTtlInSeconds`.
    pub ttl_seconds: u64,
    /// `authorizerUri` (informative: the caller runs the function).
    pub uri: Option<String>,
    /// Where it is in the spec.
    pub pointer: String,
    regex: Option<std::sync::Arc<JavaRegex>>,
}

/// Reads an OpenAPI `x-amazon-apigateway-authorizer` (`scheme` is the security scheme: a
/// TOKEN authorizer's header is its `name`).
pub(crate) fn read_openapi(
    name: &str,
    scheme: &Json,
    a: &Json,
    at: &str,
) -> Result<Authorizer, Error> {
    let ty = a.get("type").and_then(Json::as_str).unwrap_or_default();
    let header = scheme
        .get("name")
        .and_then(Json::as_str)
        .map(|h| format!("method.request.header.{h}"));
    build(
        name,
        ty,
        a.get("identitySource"),
        header,
        a.get("identityValidationExpression"),
        a.get("authorizerResultTtlInSeconds"),
        a.get("authorizerUri").and_then(Json::as_str),
        at,
        [
            "type",
            "identitySource",
            "identityValidationExpression",
            "authorizerResultTtlInSeconds",
        ],
    )
}

/// The name of a CloudFormation authorizer: its `Name`, else its logical id.
pub(crate) fn cloudformation_name(id: &str, r: &Json) -> String {
    r.pointer("/Properties/Name")
        .and_then(Json::as_str)
        .unwrap_or(id)
        .to_string()
}

/// Reads an `AWS::ApiGateway::Authorizer`'s `Properties`.
pub(crate) fn read_cloudformation(name: &str, props: &Json, at: &str) -> Result<Authorizer, Error> {
    let ty = props.get("Type").and_then(Json::as_str).unwrap_or_default();
    let uri = props.get("AuthorizerUri").and_then(Json::as_str);
    build(
        name,
        ty,
        props.get("IdentitySource"),
        None,
        props.get("IdentityValidationExpression"),
        props.get("AuthorizerResultTtlInSeconds"),
        uri,
        at,
        [
            "Type",
            "IdentitySource",
            "IdentityValidationExpression",
            "AuthorizerResultTtlInSeconds",
        ],
    )
}

#[allow(clippy::too_many_arguments)]
fn build(
    name: &str,
    ty: &str,
    source: Option<&Json>,
    default_header: Option<String>,
    validation: Option<&Json>,
    ttl: Option<&Json>,
    uri: Option<&str>,
    at: &str,
    keys: [&str; 4],
) -> Result<Authorizer, Error> {
    let kind = match ty.to_ascii_lowercase().as_str() {
        "token" => AuthorizerKind::Token,
        "request" => AuthorizerKind::Request,
        "cognito_user_pools" => AuthorizerKind::CognitoUserPools,
        _ => {
            return Err(Error::spec(
                &push_pointer(at, keys[0]),
                "an authorizer's type must be token, request or cognito_user_pools",
            ))
        }
    };
    let ttl_seconds = match ttl {
        None => DEFAULT_TTL_SECONDS,
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .filter(|n| *n <= 3600)
            .ok_or_else(|| {
                Error::spec(
                    &push_pointer(at, keys[3]),
                    "authorizerResultTtlInSeconds must be a number of seconds from 0 to 3600",
                )
            })?,
    };
    let source_at = push_pointer(at, keys[1]);
    let mut identity_source: Vec<String> = match source {
        None => Vec::new(),
        Some(Json::String(s)) => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        Some(_) => return Err(Error::spec(&source_at, "identitySource must be a string")),
    };
    if identity_source.is_empty() {
        match (kind, default_header) {
            (AuthorizerKind::Token | AuthorizerKind::CognitoUserPools, Some(h)) => {
                identity_source.push(h)
            }
            (AuthorizerKind::Request, _) if ttl_seconds == 0 => {}
            _ => {
                return Err(Error::spec(
                    at,
                    format!(
                        "the authorizer {name:?} has no identity source ({})",
                        keys[1]
                    ),
                ))
            }
        }
    }
    for s in &identity_source {
        let ok = [
            "method.request.header.",
            "method.request.querystring.",
            "stageVariables.",
            "context.",
        ]
        .iter()
        .any(|p| s.strip_prefix(p).is_some_and(|n| !n.is_empty()));
        if !ok || (kind != AuthorizerKind::Request && !s.starts_with("method.request.header.")) {
            return Err(Error::spec(
                &source_at,
                format!("{s:?} is not an identity source (method.request.header.X; REQUEST authorizers also method.request.querystring.X, stageVariables.X, context.X)"),
            ));
        }
    }
    let (validation, regex) = match validation.and_then(Json::as_str) {
        None | Some("") => (None, None),
        Some(v) => {
            let r = JavaRegex::new(v).map_err(|e| {
                Error::spec(
                    &push_pointer(at, keys[2]),
                    format!("invalid regular expression: {e}"),
                )
            })?;
            (Some(v.to_string()), Some(std::sync::Arc::new(r)))
        }
    };
    Ok(Authorizer {
        name: name.to_string(),
        kind,
        identity_source,
        validation,
        ttl_seconds,
        uri: uri.map(str::to_string),
        pointer: at.to_string(),
        regex,
    })
}

/// What an authorizer let through.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Outcome {
    pub principal_id: Option<String>,
    /// `$context.authorizer.*` (strings, or `claims` for Cognito).
    pub context: Map<String, Json>,
    pub usage_identifier_key: Option<String>,
}

/// A cache key: the authorizer's name and the identity source's values.
type CacheKey = (String, Vec<String>);

/// Authorizer results cached by authorizer and identity source, for the authorizer's TTL.
#[derive(Debug, Default)]
pub struct AuthorizerCache {
    entries: Mutex<HashMap<CacheKey, (i64, Json)>>,
}

impl AuthorizerCache {
    /// An empty cache.
    pub fn new() -> AuthorizerCache {
        AuthorizerCache::default()
    }

    /// How many results are cached.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, key: &CacheKey, now: i64) -> Option<Json> {
        let mut e = self.entries.lock().ok()?;
        match e.get(key) {
            Some((expires, v)) if *expires > now => Some(v.clone()),
            Some(_) => {
                e.remove(key);
                None
            }
            None => None,
        }
    }

    fn put(&self, key: CacheKey, expires: i64, v: Json) {
        if let Ok(mut e) = self.entries.lock() {
            if e.len() >= MAX_CACHED {
                e.retain(|_, (x, _)| *x > expires - 3_600_000);
                if e.len() >= MAX_CACHED {
                    e.clear();
                }
            }
            e.insert(key, (expires, v));
        }
    }
}

const MAX_CACHED: usize = 10_000;

fn unauthorized(line: impl Into<String>) -> GatewayResponse {
    GatewayResponse::new(GatewayResponseType::Unauthorized).logged(line)
}

fn config_error(line: impl Into<String>) -> GatewayResponse {
    GatewayResponse::new(GatewayResponseType::AuthorizerConfigurationError).logged(line)
}

/// Runs `auth` for the request.
pub(crate) fn authorize(
    run: &mut Run<'_>,
    auth: &Authorizer,
    security: &MethodSecurity,
    resource_path: &str,
    path_params: &Pairs,
) -> Result<Outcome, GatewayResponse> {
    let req = run.req;
    let mut identity = Vec::new();
    for s in &auth.identity_source {
        let v = if let Some(h) = s.strip_prefix("method.request.header.") {
            last_value(&req.headers, h).map(str::to_string)
        } else if let Some(q) = s.strip_prefix("method.request.querystring.") {
            req.query
                .iter()
                .rev()
                .find(|(k, _)| k == q)
                .map(|(_, v)| v.clone())
        } else if let Some(n) = s.strip_prefix("stageVariables.") {
            run.stage_variables
                .iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
        } else if let Some(n) = s.strip_prefix("context.") {
            run.context
                .get(n)
                .and_then(Json::as_str)
                .map(str::to_string)
        } else {
            None
        };
        match v.filter(|v| !v.is_empty()) {
            Some(v) => identity.push(v),
            None => {
                return Err(unauthorized(format!(
                    "Unauthorized request: the identity source {s} is missing"
                )))
            }
        }
    }
    let kind = kind_name(auth.kind);
    run.log
        .line(format!("Starting authorizer: {} ({kind})", auth.name));
    if auth.kind == AuthorizerKind::CognitoUserPools {
        return cognito(run, auth, security, &identity);
    }
    if let (Some(re), Some(token)) = (&auth.regex, identity.first()) {
        if !re.matches(token).unwrap_or(false) {
            return Err(unauthorized(format!(
                "Unauthorized request: the token does not match the identityValidationExpression {}",
                auth.validation.as_deref().unwrap_or_default()
            )));
        }
    }
    let arn = method_arn(run);
    let key = (auth.name.clone(), identity.clone());
    let now = run.log.now();
    let cache = run.api.options.front.cache.clone();
    let cached = if auth.ttl_seconds > 0 && !identity.is_empty() {
        cache.as_ref().and_then(|c| c.get(&key, now))
    } else {
        None
    };
    let result = match cached {
        Some(r) => {
            run.log
                .line(format!("Using cached authorizer result for {}", auth.name));
            r
        }
        None => {
            let Some(call) = run.api.options.front.authorizer.clone() else {
                return Err(config_error(format!(
                    "Execution failed due to configuration error: no function given for the authorizer {}",
                    auth.name
                )));
            };
            let event = if auth.kind == AuthorizerKind::Token {
                serde_json::json!({"type": "TOKEN", "authorizationToken": identity[0], "methodArn": arn})
            } else {
                request_event(run, &arn, resource_path, path_params)
            };
            match call(&auth.name, &event) {
                Ok(r) => {
                    if let (Some(c), true) = (&cache, auth.ttl_seconds > 0 && !identity.is_empty())
                    {
                        c.put(key, now + auth.ttl_seconds as i64 * 1000, r.clone());
                    }
                    r
                }
                Err(m) if m == "Unauthorized" => {
                    return Err(unauthorized(
                        "Unauthorized request: the authorizer answered Unauthorized",
                    ))
                }
                Err(m) => {
                    return Err(config_error(format!(
                        "Execution failed due to configuration error: Authorizer error: {m}"
                    )))
                }
            }
        }
    };
    evaluate(run, auth, &result, &arn)
}

/// Applies a Lambda authorizer's answer: its policy against `arn`, its context.
fn evaluate(
    run: &mut Run<'_>,
    auth: &Authorizer,
    result: &Json,
    arn: &str,
) -> Result<Outcome, GatewayResponse> {
    let bad = |why: &str| {
        config_error(format!(
            "Execution failed due to configuration error: Invalid JSON in response: {why}"
        ))
    };
    let principal = match result.get("principalId") {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        _ => return Err(bad("principalId is missing")),
    };
    let Some(policy) = result.get("policyDocument") else {
        return Err(bad("policyDocument is missing"));
    };
    let statements = match policy.get("Statement") {
        Some(Json::Array(s)) => s.clone(),
        Some(o @ Json::Object(_)) => vec![o.clone()],
        _ => return Err(bad("the policy has no Statement")),
    };
    let mut allowed = false;
    for s in &statements {
        let effect = s.get("Effect").and_then(Json::as_str).unwrap_or_default();
        let actions = strings(s.get("Action"));
        let resources = strings(s.get("Resource"));
        let acts = actions.iter().any(|a| glob(a, "execute-api:Invoke"));
        let hits = resources.iter().any(|r| glob(r, arn));
        if acts && hits {
            if effect.eq_ignore_ascii_case("Deny") {
                return Err(GatewayResponse::with_message(GatewayResponseType::AccessDenied, EXPLICIT_DENY)
                    .logged(format!("The client is not authorized to perform this operation: explicit Deny of {arn}")));
            }
            if effect.eq_ignore_ascii_case("Allow") {
                allowed = true;
            }
        }
    }
    if !allowed {
        return Err(
            GatewayResponse::new(GatewayResponseType::AccessDenied).logged(format!(
                "The client is not authorized to perform this operation: no statement allows {arn}"
            )),
        );
    }
    let mut context = Map::new();
    if let Some(c) = result.get("context") {
        let Json::Object(c) = c else {
            return Err(bad("context must be an object"));
        };
        let strings = stringify_context(c).map_err(|e| bad(&e))?;
        for (k, v) in strings {
            context.insert(k, Json::from(v));
        }
    }
    run.log
        .line(format!("Authorizer {} allowed {principal}", auth.name));
    Ok(Outcome {
        principal_id: Some(principal),
        context,
        usage_identifier_key: result
            .get("usageIdentifierKey")
            .and_then(Json::as_str)
            .map(str::to_string),
    })
}

fn strings(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// IAM wildcard matching: `*` any run, `?` one character, case-sensitive.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`.
pub(crate) fn method_arn(run: &Run<'_>) -> String {
    let opts = &run.api.options;
    let account = if opts.front.account_id.is_empty() {
        "123456789012"
    } else {
        &opts.front.account_id
    };
    let api_id = run
        .context
        .get("apiId")
        .and_then(Json::as_str)
        .unwrap_or(vtl::DEFAULT_API_ID);
    format!(
        "arn:aws:execute-api:{}:{account}:{api_id}/{}/{}/{}",
        opts.region(),
        opts.stage(),
        run.req.http_method,
        run.req.path.trim_start_matches('/')
    )
}

fn request_event(run: &Run<'_>, arn: &str, resource_path: &str, path_params: &Pairs) -> Json {
    let req = run.req;
    let single = |pairs: &Pairs| {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert(k.clone(), Json::from(v.clone()));
        }
        Json::Object(m)
    };
    let multi = |pairs: &Pairs| {
        let mut m = Map::new();
        for (k, v) in crate::group(pairs) {
            m.insert(k, Json::from(v));
        }
        Json::Object(m)
    };
    let probe = run.template_request(String::new(), resource_path, path_params, Map::new());
    let ctx = vtl::context_json(&probe);
    let mut request_context = Map::new();
    for k in [
        "path",
        "accountId",
        "resourceId",
        "stage",
        "requestId",
        "identity",
        "resourcePath",
        "httpMethod",
        "apiId",
        "protocol",
        "requestTime",
        "requestTimeEpoch",
        "domainName",
    ] {
        if let Some(v) = ctx.get(k) {
            request_context.insert(k.into(), v.clone());
        }
    }
    serde_json::json!({
        "type": "REQUEST",
        "methodArn": arn,
        "resource": resource_path,
        "path": req.path,
        "httpMethod": req.http_method,
        "headers": single(&req.headers),
        "multiValueHeaders": multi(&req.headers),
        "queryStringParameters": single(&req.query),
        "multiValueQueryStringParameters": multi(&req.query),
        "pathParameters": single(path_params),
        "stageVariables": single(&run.stage_variables),
        "requestContext": request_context,
    })
}

/// A Cognito user-pool token: decoded, its expiry checked, its claims exposed.
fn cognito(
    run: &mut Run<'_>,
    auth: &Authorizer,
    security: &MethodSecurity,
    identity: &[String],
) -> Result<Outcome, GatewayResponse> {
    let token = identity.first().map(String::as_str).unwrap_or_default();
    let token = token.strip_prefix("Bearer ").unwrap_or(token);
    let claims =
        decode_jwt(token).map_err(|why| unauthorized(format!("Unauthorized request: {why}")))?;
    match run.api.options.front.jwt_verifier.clone() {
        Some(verify) => verify(token).map_err(|why| {
            unauthorized(format!(
                "Unauthorized request: the token's signature is not valid: {why}"
            ))
        })?,
        None => run.log.line(format!(
            "WARNING: the JWT signature is NOT checked by the Cognito authorizer {} (no JWKS given)",
            auth.name
        )),
    }
    let now_s = run.log.now().div_euclid(1000);
    if let Some(exp) = claims.get("exp").and_then(Json::as_i64) {
        if exp <= now_s {
            return Err(GatewayResponse::with_message(
                GatewayResponseType::Unauthorized,
                "The incoming token has expired",
            )
            .logged("Unauthorized request: the token has expired"));
        }
    }
    if !security.scopes.is_empty() {
        let scope = claims
            .get("scope")
            .and_then(Json::as_str)
            .unwrap_or_default();
        if !scope
            .split(' ')
            .any(|s| security.scopes.iter().any(|w| w == s))
        {
            return Err(unauthorized(
                "Unauthorized request: the token has none of the method's scopes",
            ));
        }
    }
    let mut strings = Map::new();
    for (k, v) in &claims {
        let s = match v {
            Json::String(s) => s.clone(),
            Json::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        strings.insert(k.clone(), Json::from(s));
    }
    let mut context = Map::new();
    context.insert("claims".into(), Json::Object(strings));
    Ok(Outcome {
        principal_id: None,
        context,
        usage_identifier_key: None,
    })
}

/// The claims of a JWT (`header.payload.signature`, base64url).
pub(crate) fn decode_jwt(token: &str) -> Result<Map<String, Json>, String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("the token is not a JWT (three base64url parts)".into());
    }
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = engine
        .decode(parts[1].trim_end_matches('='))
        .map_err(|e| format!("the token's payload is not base64url: {e}"))?;
    match serde_json::from_slice(&payload) {
        Ok(Json::Object(m)) => Ok(m),
        _ => Err("the token's payload is not a JSON object".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob(
            "arn:aws:execute-api:*:*:*/test/GET/pets/*",
            "arn:aws:execute-api:us-east-1:1:a/test/GET/pets/7"
        ));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*", ""));
        assert!(!glob("arn:*/POST/*", "arn:x/GET/y"));
        assert!(glob("execute-api:*", "execute-api:Invoke"));
    }

    #[test]
    fn jwt_claims() {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let t = format!(
            "{}.{}.sig",
            e.encode(b"{}"),
            e.encode(br#"{"sub":"u1","exp":5}"#)
        );
        let c = decode_jwt(&t).unwrap();
        assert_eq!(c["sub"], "u1");
        assert!(decode_jwt("a.b").is_err());
        assert!(decode_jwt("a.!!.c").is_err());
    }

    #[test]
    fn identity_sources_are_checked() {
        let e = read_openapi(
            "a",
            &Json::Null,
            &serde_json::json!({"type": "token"}),
            "/s/a/x",
        )
        .unwrap_err();
        assert!(e.message().contains("no identity source"), "{e}");
        let e = read_openapi(
            "a",
            &Json::Null,
            &serde_json::json!({"type": "token", "identitySource": "method.request.querystring.t"}),
            "/s/a/x",
        )
        .unwrap_err();
        assert_eq!(e.pointer(), Some("/s/a/x/identitySource"));
        let e = read_openapi(
            "a",
            &Json::Null,
            &serde_json::json!({"type": "jwt"}),
            "/s/a/x",
        )
        .unwrap_err();
        assert_eq!(e.pointer(), Some("/s/a/x/type"));
        let ok = read_openapi(
            "a",
            &serde_json::json!({"type": "apiKey", "name": "Authorization", "in": "header"}),
            &serde_json::json!({"type": "token"}),
            "",
        )
        .unwrap();
        assert_eq!(ok.identity_source, ["method.request.header.Authorization"]);
        assert_eq!(ok.ttl_seconds, DEFAULT_TTL_SECONDS);
    }
}
