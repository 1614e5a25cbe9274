//! The front door's model and stage: who may call a method (API key, authorizer, `AWS_IAM`),
//! read from the spec's `security` / `securitySchemes` / `securityDefinitions` (OpenAPI) or a
//! method's `AuthorizationType` / `AuthorizerId` / `ApiKeyRequired` (CloudFormation), and the
//! check that runs after routing and before request validation [LS-code `EA/gateway.py`].
//!
//! `TestInvokeMethod` skips API keys and authorizers (§2.0): so does [`crate::Api::invoke`]
//! unless [`FrontOptions::enforce`] is set.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::authorizer::{self, Authorizer, AuthorizerCache, AuthorizerKind};
use crate::error::push_pointer;
use crate::gateway_response::GatewayResponse;
use crate::gateway_responses::CustomResponse;
use crate::model::Method;
use crate::{Error, Pairs, Run};

/// Where API Gateway reads a request's API key (`x-amazon-apigateway-api-key-source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiKeySource {
    /// The `x-api-key` header (the default).
    #[default]
    Header,
    /// The authorizer's `usageIdentifierKey`.
    Authorizer,
}

/// The API-wide parts of the front door.
#[derive(Clone, Debug, Default)]
pub struct ApiFront {
    /// `x-amazon-apigateway-gateway-responses` / `AWS::ApiGateway::GatewayResponse`.
    pub gateway_responses: Vec<CustomResponse>,
    /// Authorizers by name.
    pub authorizers: Vec<Authorizer>,
    /// `x-amazon-apigateway-api-key-source`.
    pub api_key_source: ApiKeySource,
}

impl ApiFront {
    /// The authorizer named `name`.
    pub fn authorizer(&self, name: &str) -> Option<&Authorizer> {
        self.authorizers.iter().find(|a| a.name == name)
    }
}

/// Who may call one method.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MethodSecurity {
    /// `apiKeyRequired` / an `api_key` security scheme.
    pub api_key_required: bool,
    /// The authorizer's name, for `CUSTOM` and `COGNITO_USER_POOLS` methods.
    pub authorizer: Option<String>,
    /// `AWS_IAM` (`x-amazon-apigateway-authtype: awsSigv4`).
    pub iam: bool,
    /// `AuthorizationScopes` (Cognito access tokens must carry one).
    pub scopes: Vec<String>,
}

impl MethodSecurity {
    /// Whether the method has any front door (API key, authorizer, `AWS_IAM`).
    pub fn any(&self) -> bool {
        self.api_key_required || self.authorizer.is_some() || self.iam
    }
}

/// An authorizer function: the authorizer's name and the event API Gateway sends it, giving
/// the function's result, or `Err` with its error message (`Unauthorized` gives 401).
pub type AuthorizerFn = Arc<dyn Fn(&str, &Json) -> Result<Json, String> + Send + Sync>;

/// Checks a JWT's signature (`header.payload.signature` as sent), e.g. against a user pool's
/// JWKS; `Err` says why it is refused.
pub type JwtVerifierFn = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// How the front door runs.
#[derive(Clone, Default)]
pub struct FrontOptions {
    /// Check API keys and run authorizers, as a live call does. Off by default, as in
    /// `TestInvokeMethod`.
    pub enforce: bool,
    /// The accepted API keys (a key not listed gets 403 `Forbidden`).
    pub api_keys: Vec<String>,
    /// Calls a Lambda (TOKEN or REQUEST) authorizer; without it such methods answer 500
    /// (authorizer configuration error).
    pub authorizer: Option<AuthorizerFn>,
    /// The authorizer result cache (owned by the caller, shared across requests).
    pub cache: Option<Arc<AuthorizerCache>>,
    /// The caller identity an `AWS_IAM` method sees in `$context.identity` (`caller`,
    /// `user`, `userArn`, `accountId`, `accessKey`, …).
    pub iam_identity: Map<String, Json>,
    /// The AWS account id of the method ARN (`123456789012` when empty).
    pub account_id: String,
    /// Checks Cognito tokens' signatures; without it they are NOT checked (only decoded and
    /// their expiry checked), and every Cognito call's log says so.
    pub jwt_verifier: Option<JwtVerifierFn>,
}

impl fmt::Debug for FrontOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrontOptions")
            .field("enforce", &self.enforce)
            .field("api_keys", &self.api_keys.len())
            .field("authorizer", &self.authorizer.as_ref().map(|_| "<fn>"))
            .field("cache", &self.cache.is_some())
            .field("iam_identity", &self.iam_identity)
            .field("account_id", &self.account_id)
            .field("jwt_verifier", &self.jwt_verifier.as_ref().map(|_| "<fn>"))
            .finish()
    }
}

/// Runs the front door for a routed request: API key, then authorizer; fills
/// `$context.identity` and `$context.authorizer` in `run.context`.
pub(crate) fn check(
    run: &mut Run<'_>,
    resource_path: &str,
    method: &Method,
    path_params: &Pairs,
) -> Result<(), GatewayResponse> {
    let opts = &run.api.options.front;
    let security = &method.security;
    if !opts.enforce
        || (!security.api_key_required && security.authorizer.is_none() && !security.iam)
    {
        return Ok(());
    }
    let front = &run.api.spec.front;
    let mut usage_key = None;
    if let Some(name) = &security.authorizer {
        let Some(auth) = front.authorizer(name) else {
            return Err(GatewayResponse::new(
                crate::GatewayResponseType::AuthorizerConfigurationError,
            )
            .logged(format!("Authorizer {name} is not defined")));
        };
        let outcome = authorizer::authorize(run, auth, security, resource_path, path_params)?;
        usage_key = outcome.usage_identifier_key;
        let ctx = &mut run.context;
        let entry = ctx
            .entry("authorizer")
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(m) = entry {
            for (k, v) in outcome.context {
                m.insert(k, v);
            }
        }
        if let Some(p) = outcome.principal_id {
            if let Json::Object(m) = entry {
                m.insert("principalId".into(), Json::from(p));
            }
        }
    }
    if security.iam {
        let identity = run.api.options.front.iam_identity.clone();
        let entry = run
            .context
            .entry("identity")
            .or_insert_with(|| Json::Object(Map::new()));
        if let Json::Object(m) = entry {
            for (k, v) in identity {
                m.insert(k, v);
            }
        }
    }
    if security.api_key_required {
        let key = match front.api_key_source {
            ApiKeySource::Header => {
                crate::exchange::last_value(&run.req.headers, "x-api-key").map(str::to_string)
            }
            ApiKeySource::Authorizer => usage_key,
        };
        crate::api_key::check(run, key.as_deref())?;
    }
    Ok(())
}

/// Reads the API-wide front door of an OpenAPI document: gateway responses, authorizers and
/// the API key source.
pub(crate) fn openapi_api(doc: &Json, base: &str, front: &mut ApiFront) -> Result<(), Error> {
    if let Some(v) = doc.get("x-amazon-apigateway-api-key-source") {
        let at = push_pointer(base, "x-amazon-apigateway-api-key-source");
        front.api_key_source = match v.as_str().map(str::to_ascii_uppercase).as_deref() {
            Some("HEADER") => ApiKeySource::Header,
            Some("AUTHORIZER") => ApiKeySource::Authorizer,
            _ => {
                return Err(Error::spec(
                    &at,
                    "the API key source must be HEADER or AUTHORIZER",
                ))
            }
        };
    }
    if let Some(v) = doc.get("x-amazon-apigateway-gateway-responses") {
        let at = push_pointer(base, "x-amazon-apigateway-gateway-responses");
        front
            .gateway_responses
            .extend(crate::gateway_responses::read_openapi(v, &at)?);
    }
    for (schemes, at) in security_schemes(doc, base) {
        for (name, scheme) in schemes {
            let s_at = push_pointer(&at, name);
            if let Some(a) = scheme.get("x-amazon-apigateway-authorizer") {
                front.authorizers.push(authorizer::read_openapi(
                    name,
                    scheme,
                    a,
                    &push_pointer(&s_at, "x-amazon-apigateway-authorizer"),
                )?);
            }
        }
    }
    Ok(())
}

/// `components.securitySchemes` (OpenAPI 3) and `securityDefinitions` (Swagger 2).
fn security_schemes<'d>(doc: &'d Json, base: &str) -> Vec<(&'d Map<String, Json>, String)> {
    let mut out = Vec::new();
    if let Some(Json::Object(m)) = doc.pointer("/components/securitySchemes") {
        out.push((
            m,
            push_pointer(&push_pointer(base, "components"), "securitySchemes"),
        ));
    }
    if let Some(Json::Object(m)) = doc.get("securityDefinitions") {
        out.push((m, push_pointer(base, "securityDefinitions")));
    }
    out
}

/// The security of an OpenAPI operation: its `security` (else the document's), each name
/// looked up in the security schemes.
pub(crate) fn openapi_security(
    doc: &Json,
    op: &Map<String, Json>,
    op_at: &str,
) -> Result<MethodSecurity, Error> {
    let mut out = MethodSecurity::default();
    let (list, at) = match op.get("security") {
        Some(l) => (l, push_pointer(op_at, "security")),
        None => match doc.get("security") {
            Some(l) => (l, "/security".to_string()),
            None => return Ok(out),
        },
    };
    let Json::Array(items) = list else {
        return Err(Error::spec(&at, "\"security\" must be a list"));
    };
    let schemes = security_schemes(doc, "");
    for (i, req) in items.iter().enumerate() {
        let r_at = push_pointer(&at, &i.to_string());
        let Json::Object(req) = req else {
            return Err(Error::spec(
                &r_at,
                "a security requirement must be an object",
            ));
        };
        for (name, scopes) in req {
            let Some(scheme) = schemes.iter().find_map(|(m, _)| m.get(name)) else {
                return Err(Error::spec(
                    &push_pointer(&r_at, name),
                    format!("no security scheme named {name:?} in securitySchemes / securityDefinitions"),
                ));
            };
            if scheme.get("x-amazon-apigateway-authorizer").is_some() {
                out.authorizer = Some(name.clone());
                if let Json::Array(s) = scopes {
                    out.scopes = s
                        .iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect();
                }
            } else if scheme
                .get("x-amazon-apigateway-authtype")
                .and_then(Json::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("awsSigv4"))
            {
                out.iam = true;
            } else if scheme.get("type").and_then(Json::as_str) == Some("apiKey") {
                out.api_key_required = true;
            }
        }
    }
    Ok(out)
}

/// The security of a CloudFormation method.
pub(crate) fn cloudformation_security(
    resources: &Map<String, Json>,
    obj: &Map<String, Json>,
    at: &str,
) -> Result<MethodSecurity, Error> {
    let mut out = MethodSecurity {
        api_key_required: obj
            .get("ApiKeyRequired")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        ..MethodSecurity::default()
    };
    let kind = obj
        .get("AuthorizationType")
        .and_then(Json::as_str)
        .unwrap_or("NONE")
        .to_ascii_uppercase();
    match kind.as_str() {
        "NONE" => {}
        "AWS_IAM" => out.iam = true,
        "CUSTOM" | "COGNITO_USER_POOLS" => {
            let id_at = push_pointer(at, "AuthorizerId");
            let id = obj
                .get("AuthorizerId")
                .and_then(|v| match v {
                    Json::String(s) => Some(s.as_str()),
                    Json::Object(m) => m.get("Ref").and_then(Json::as_str),
                    _ => None,
                })
                .ok_or_else(|| {
                    Error::spec(
                        &id_at,
                        format!("a {kind} method needs an AuthorizerId (a Ref)"),
                    )
                })?;
            let Some(r) = resources.get(id) else {
                return Err(Error::spec(
                    &id_at,
                    format!("no resource {id:?} in the template"),
                ));
            };
            out.authorizer = Some(authorizer::cloudformation_name(id, r));
            if let Some(Json::Array(s)) = obj.get("AuthorizationScopes") {
                out.scopes = s
                    .iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect();
            }
        }
        _ => {
            return Err(Error::spec(
                &push_pointer(at, "AuthorizationType"),
                "AuthorizationType must be NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS",
            ))
        }
    }
    Ok(out)
}

/// Reads an `AWS::ApiGateway::GatewayResponse` or `AWS::ApiGateway::Authorizer` resource.
pub(crate) fn cloudformation_resource(
    ty: &str,
    id: &str,
    props: &Json,
    at: &str,
    front: &mut ApiFront,
) -> Result<(), Error> {
    if ty == "AWS::ApiGateway::GatewayResponse" {
        front
            .gateway_responses
            .push(crate::gateway_responses::read_cloudformation(props, at)?);
    } else {
        let name = authorizer::cloudformation_name(id, &serde_json::json!({"Properties": props}));
        front
            .authorizers
            .push(authorizer::read_cloudformation(&name, props, at)?);
    }
    Ok(())
}

/// `$context.authorizer` values as API Gateway hands them to templates: strings, numbers and
/// booleans become strings; anything else is refused.
pub(crate) fn stringify_context(
    context: &Map<String, Json>,
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in context {
        let s = match v {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            Json::Bool(b) => b.to_string(),
            Json::Null => continue,
            _ => {
                return Err(format!(
                    "the context value of {k:?} is an object or a list; only strings, numbers and booleans are allowed"
                ))
            }
        };
        out.insert(k.clone(), s);
    }
    Ok(out)
}

/// The kind of the method's authorizer, for logs.
pub(crate) fn kind_name(kind: AuthorizerKind) -> &'static str {
    match kind {
        AuthorizerKind::Token => "TOKEN",
        AuthorizerKind::Request => "REQUEST",
        AuthorizerKind::CognitoUserPools => "COGNITO_USER_POOLS",
    }
}
