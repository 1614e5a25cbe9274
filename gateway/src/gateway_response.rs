//! Gateway responses: what API Gateway answers itself when a stage fails (415 for an
//! unmapped content type, 400 for a bad body, 500 for a configuration error, …), with the
//! `x-amzn-ErrorType` header and the default `{"message": …}` body.

use serde_json::Value as Json;

use crate::exchange::{MethodResponse, Pairs};
use crate::model::CustomGatewayResponse;

/// A gateway response type (`supported-gateway-response-types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GatewayResponseType {
    /// 500: the integration or a mapping is misconfigured.
    ApiConfigurationError,
    /// 400: the body cannot be used (`Invalid JSON in request body`, Lambda payloads).
    BadRequestBody,
    /// 400: a required request parameter is missing (request validator).
    BadRequestParameters,
    /// 502: the backend's answer cannot be used (a malformed Lambda proxy response).
    IntegrationFailure,
    /// 403: no resource or method matches the request (what API Gateway answers for an
    /// unknown path when no authorizer is set).
    MissingAuthenticationToken,
    /// 404: the resource does not exist.
    ResourceNotFound,
    /// 415: no request template for the content type and passthrough is not allowed.
    UnsupportedMediaType,
}

impl GatewayResponseType {
    /// The type's name (`UNSUPPORTED_MEDIA_TYPE`, …).
    pub fn name(self) -> &'static str {
        match self {
            GatewayResponseType::ApiConfigurationError => "API_CONFIGURATION_ERROR",
            GatewayResponseType::BadRequestBody => "BAD_REQUEST_BODY",
            GatewayResponseType::BadRequestParameters => "BAD_REQUEST_PARAMETERS",
            GatewayResponseType::IntegrationFailure => "INTEGRATION_FAILURE",
            GatewayResponseType::MissingAuthenticationToken => "MISSING_AUTHENTICATION_TOKEN",
            GatewayResponseType::ResourceNotFound => "RESOURCE_NOT_FOUND",
            GatewayResponseType::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
        }
    }

    /// The default status.
    pub fn status(self) -> u16 {
        match self {
            GatewayResponseType::ApiConfigurationError => 500,
            GatewayResponseType::BadRequestBody | GatewayResponseType::BadRequestParameters => 400,
            GatewayResponseType::IntegrationFailure => 502,
            GatewayResponseType::MissingAuthenticationToken => 403,
            GatewayResponseType::ResourceNotFound => 404,
            GatewayResponseType::UnsupportedMediaType => 415,
        }
    }

    /// The `x-amzn-ErrorType` header.
    pub fn error_type(self) -> &'static str {
        match self {
            GatewayResponseType::ApiConfigurationError
            | GatewayResponseType::IntegrationFailure => "InternalServerErrorException",
            GatewayResponseType::BadRequestBody
            | GatewayResponseType::BadRequestParameters
            | GatewayResponseType::UnsupportedMediaType => "BadRequestException",
            GatewayResponseType::MissingAuthenticationToken => {
                "MissingAuthenticationTokenException"
            }
            GatewayResponseType::ResourceNotFound => "NotFoundException",
        }
    }

    /// The client-facing message of the default template, when it does not depend on the
    /// request.
    pub fn default_message(self) -> &'static str {
        match self {
            GatewayResponseType::ApiConfigurationError
            | GatewayResponseType::IntegrationFailure => "Internal server error",
            GatewayResponseType::BadRequestBody => "Invalid request body",
            GatewayResponseType::BadRequestParameters => "Missing required request parameters",
            GatewayResponseType::MissingAuthenticationToken => "Missing Authentication Token",
            GatewayResponseType::ResourceNotFound => "Not Found",
            GatewayResponseType::UnsupportedMediaType => "Unsupported Media Type",
        }
    }
}

/// A response API Gateway produced itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayResponse {
    /// The type.
    pub kind: GatewayResponseType,
    /// `$context.error.message` (the body's `message`).
    pub message: String,
    /// What the execution log says about the failure (e.g. `Execution failed due to
    /// configuration error: Invalid endpoint address`).
    pub log_line: String,
}

impl GatewayResponse {
    /// A response of `kind` with its default message.
    pub fn new(kind: GatewayResponseType) -> GatewayResponse {
        GatewayResponse {
            kind,
            message: kind.default_message().to_string(),
            log_line: String::new(),
        }
    }

    /// An `API_CONFIGURATION_ERROR` (500 `Internal server error`) logged as `Execution failed
    /// due to configuration error: {reason}`.
    pub fn configuration(reason: impl Into<String>) -> GatewayResponse {
        GatewayResponse {
            log_line: format!(
                "Execution failed due to configuration error: {}",
                reason.into()
            ),
            ..GatewayResponse::new(GatewayResponseType::ApiConfigurationError)
        }
    }

    /// A response of `kind` with `message`.
    pub fn with_message(kind: GatewayResponseType, message: impl Into<String>) -> GatewayResponse {
        GatewayResponse {
            message: message.into(),
            ..GatewayResponse::new(kind)
        }
    }

    /// Sets the log line.
    pub(crate) fn logged(mut self, line: impl Into<String>) -> GatewayResponse {
        self.log_line = line.into();
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// The response the client gets: the status, `Content-Type: application/json`,
    /// `x-amzn-ErrorType`, and the default template's body `{"message": "…"}`.
    pub fn to_method_response(&self) -> MethodResponse {
        let message = serde_json::to_string(&self.message).unwrap_or_default();
        MethodResponse {
            status: self.status(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), self.kind.error_type().into()),
            ],
            body: format!("{{\"message\": {message}}}").into_bytes(),
        }
    }
}

/// What a customized gateway response may read: the request's parameters, the stage
/// variables and `$context`.
pub(crate) struct Values<'a> {
    pub headers: &'a Pairs,
    pub query: &'a Pairs,
    pub path: &'a Pairs,
    pub stage_variables: &'a Pairs,
    pub context: &'a Json,
    pub accept: Option<&'a str>,
}

/// The client's response for `g` under the spec's customizations: the type's own entry, else
/// `DEFAULT_4XX` / `DEFAULT_5XX` by status; its status, mapped headers and body template
/// (`$context.error.messageString`, `$context.*` and `$stageVariables.*` substituted — these
/// templates are not VTL).
pub(crate) fn customized(
    g: &GatewayResponse,
    custom: &[CustomGatewayResponse],
    v: &Values<'_>,
) -> MethodResponse {
    let mut r = g.to_method_response();
    let fallback = if g.status() < 500 {
        "DEFAULT_4XX"
    } else {
        "DEFAULT_5XX"
    };
    let Some(c) = custom
        .iter()
        .find(|c| c.response_type == g.kind.name())
        .or_else(|| custom.iter().find(|c| c.response_type == fallback))
    else {
        return r;
    };
    if let Some(s) = c.status {
        r.status = s;
    }
    for (name, source) in &c.response_parameters {
        if let Some(value) = parameter(source, v) {
            crate::exchange::set_value(&mut r.headers, name, value);
        }
    }
    let wanted =
        crate::content::first_accept(v.accept).unwrap_or_else(|| "application/json".into());
    let template = c
        .response_templates
        .iter()
        .find(|(ct, _)| crate::content::same_type(ct, &wanted))
        .or_else(|| {
            c.response_templates
                .iter()
                .find(|(ct, _)| crate::content::same_type(ct, "application/json"))
        })
        .or_else(|| c.response_templates.first());
    if let Some((ct, text)) = template {
        r.body = substitute(text, g, v).into_bytes();
        crate::exchange::set_value(&mut r.headers, "Content-Type", ct.clone());
    }
    r
}

fn parameter(source: &str, v: &Values<'_>) -> Option<String> {
    if let Some(s) = source.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(s.to_string());
    }
    let exact = |pairs: &Pairs, name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(n) = source.strip_prefix("method.request.header.") {
        return exact(v.headers, n);
    }
    if let Some(n) = source.strip_prefix("method.request.querystring.") {
        return exact(v.query, n);
    }
    if let Some(n) = source.strip_prefix("method.request.path.") {
        return exact(v.path, n);
    }
    if let Some(n) = source.strip_prefix("stageVariables.") {
        return exact(v.stage_variables, n);
    }
    source
        .strip_prefix("context.")
        .and_then(|p| lookup(v.context, p))
}

fn lookup(context: &Json, path: &str) -> Option<String> {
    let mut cur = context;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    match cur {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Replaces `$context.a.b` and `$stageVariables.x` references (unknown ones become empty).
fn substitute(text: &str, g: &GatewayResponse, v: &Values<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(after.len());
        let name = after[..len].trim_end_matches('.');
        let value = if let Some(path) = name.strip_prefix("context.") {
            Some(match path {
                "error.messageString" => serde_json::to_string(&g.message).unwrap_or_default(),
                "error.message" => g.message.clone(),
                "error.responseType" => g.kind.name().to_string(),
                "error.validationErrorString" => String::new(),
                _ => lookup(v.context, path).unwrap_or_default(),
            })
        } else {
            name.strip_prefix("stageVariables.").map(|n| {
                v.stage_variables
                    .iter()
                    .rev()
                    .find(|(k, _)| k == n)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
        };
        match value {
            Some(val) => {
                out.push_str(&val);
                rest = &after[name.len()..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_media_type() {
        let r =
            GatewayResponse::new(GatewayResponseType::UnsupportedMediaType).to_method_response();
        assert_eq!(r.status, 415);
        assert_eq!(r.body_text(), r#"{"message": "Unsupported Media Type"}"#);
        assert_eq!(r.header("x-amzn-ErrorType"), Some("BadRequestException"));
    }

    #[test]
    fn configuration_error_is_500() {
        let g = GatewayResponse::configuration("Invalid endpoint address");
        let r = g.to_method_response();
        assert_eq!(r.status, 500);
        assert_eq!(r.body_text(), r#"{"message": "Internal server error"}"#);
        assert_eq!(
            r.header("x-amzn-errortype"),
            Some("InternalServerErrorException")
        );
        assert_eq!(
            g.log_line,
            "Execution failed due to configuration error: Invalid endpoint address"
        );
    }

    #[test]
    fn messages_are_json_escaped() {
        let r = GatewayResponse::with_message(GatewayResponseType::BadRequestBody, "a \"b\"\n")
            .to_method_response();
        assert_eq!(r.body_text(), r#"{"message": "a \"b\"\n"}"#);
        assert_eq!(r.status, 400);
    }
}
