//! Gateway responses: what API Gateway answers itself when a stage fails (415 for an
//! unmapped content type, 400 for a bad body, 500 for a configuration error, …), with the
//! `x-amzn-ErrorType` header and the default `{"message": …}` body.

use crate::exchange::MethodResponse;

/// A gateway response type (`supported-gateway-response-types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GatewayResponseType {
    /// 403: the authorizer's policy does not allow the method (`Message` with a capital M).
    AccessDenied,
    /// 500: the integration or a mapping is misconfigured.
    ApiConfigurationError,
    /// 500: the authorizer is misconfigured or its answer cannot be used.
    AuthorizerConfigurationError,
    /// 500: the authorizer failed.
    AuthorizerFailure,
    /// 504: the backend did not answer in time.
    IntegrationTimeout,
    /// 403: the API key is missing or not accepted.
    InvalidApiKey,
    /// 413: the request is too large (not customizable).
    RequestTooLarge,
    /// 401: the authorizer refused the caller, or the identity source is missing.
    Unauthorized,
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
            GatewayResponseType::AccessDenied => "ACCESS_DENIED",
            GatewayResponseType::AuthorizerConfigurationError => "AUTHORIZER_CONFIGURATION_ERROR",
            GatewayResponseType::AuthorizerFailure => "AUTHORIZER_FAILURE",
            GatewayResponseType::IntegrationTimeout => "INTEGRATION_TIMEOUT",
            GatewayResponseType::InvalidApiKey => "INVALID_API_KEY",
            GatewayResponseType::RequestTooLarge => "REQUEST_TOO_LARGE",
            GatewayResponseType::Unauthorized => "UNAUTHORIZED",
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
            GatewayResponseType::AccessDenied | GatewayResponseType::InvalidApiKey => 403,
            GatewayResponseType::AuthorizerConfigurationError
            | GatewayResponseType::AuthorizerFailure => 500,
            GatewayResponseType::IntegrationTimeout => 504,
            GatewayResponseType::RequestTooLarge => 413,
            GatewayResponseType::Unauthorized => 401,
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
            GatewayResponseType::AccessDenied => "AccessDeniedException",
            GatewayResponseType::AuthorizerConfigurationError
            | GatewayResponseType::AuthorizerFailure => "AuthorizerConfigurationException",
            GatewayResponseType::IntegrationTimeout => "InternalServerErrorException",
            GatewayResponseType::InvalidApiKey => "ForbiddenException",
            GatewayResponseType::RequestTooLarge => "RequestEntityTooLargeException",
            GatewayResponseType::Unauthorized => "UnauthorizedException",
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

    /// The key of the default body: `Message` for `ACCESS_DENIED`, else `message`.
    pub fn message_key(self) -> &'static str {
        if self == GatewayResponseType::AccessDenied {
            "Message"
        } else {
            "message"
        }
    }

    fn message_is_null(self) -> bool {
        matches!(
            self,
            GatewayResponseType::AuthorizerConfigurationError
                | GatewayResponseType::AuthorizerFailure
        )
    }

    /// The client-facing message of the default template, when it does not depend on the
    /// request.
    pub fn default_message(self) -> &'static str {
        match self {
            GatewayResponseType::AccessDenied => "User is not authorized to access this resource",
            GatewayResponseType::AuthorizerConfigurationError
            | GatewayResponseType::AuthorizerFailure => "null",
            GatewayResponseType::IntegrationTimeout => "Endpoint request timed out",
            GatewayResponseType::InvalidApiKey => "Forbidden",
            GatewayResponseType::RequestTooLarge => "Request Too Long",
            GatewayResponseType::Unauthorized => "Unauthorized",
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
        MethodResponse {
            status: self.status(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), self.kind.error_type().into()),
            ],
            body: format!(
                "{{\"{}\": {}}}",
                self.kind.message_key(),
                self.message_string()
            )
            .into_bytes(),
        }
    }

    /// `$context.error.messageString`: the message as a JSON string (`null` stays `null`, as
    /// authorizer failures give `{"message": null}`).
    pub fn message_string(&self) -> String {
        if self.message == "null" && self.kind.message_is_null() {
            return "null".into();
        }
        serde_json::to_string(&self.message).unwrap_or_default()
    }
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
