//! The method request stage's request validator (`x-amazon-apigateway-request-validator`,
//! `RequestValidatorId`): required parameters present and not blank
//! (`validateRequestParameters`), then the body against the model for its content type
//! (`validateRequestBody`, JSON Schema draft 4). Failures are 400 `BAD_REQUEST_PARAMETERS` /
//! `BAD_REQUEST_BODY`; success logs `Request validation succeeded for content type …`.
//!
//! A method without a validator costs one `Option` check.

use crate::exchange::{last_value, Pairs};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::model::{Method, ParamLocation};
use crate::model_schema;
use crate::Run;

/// Runs the method's validator, if any.
pub(crate) fn run(
    run: &mut Run<'_>,
    method: &Method,
    path: &Pairs,
    mime: &str,
) -> Result<(), GatewayResponse> {
    let Some(v) = method.validator else {
        return Ok(());
    };
    if v.parameters {
        let missing = missing_parameters(run, method, path);
        if !missing.is_empty() {
            let message = format!(
                "Missing required request parameters: [{}]",
                missing.join(", ")
            );
            return Err(GatewayResponse::with_message(
                GatewayResponseType::BadRequestParameters,
                message.clone(),
            )
            .logged(format!("Request validation failed: {message}")));
        }
    }
    if v.body {
        if !model_schema::CHECKS_BODIES {
            run.log.line(format!(
                "Request body not validated for content type {mime}: this build has no JSON Schema validator (the json-schema feature)"
            ));
        } else if let Some(model) = model_schema::for_content_type(&method.request_models, mime) {
            let violations = model.violations(&run.req.body);
            if !violations.is_empty() {
                return Err(GatewayResponse::with_message(
                    GatewayResponseType::BadRequestBody,
                    "Invalid request body",
                )
                .logged(format!(
                    "Request body does not match model schema for content type {mime}: [{}]",
                    violations.join(", ")
                )));
            }
        }
    }
    run.log.line(format!(
        "Request validation succeeded for content type {mime}"
    ));
    Ok(())
}

/// The required parameters the request lacks or leaves blank, as API Gateway lists them:
/// headers, then path, then query string, each in declaration order [SNAP].
fn missing_parameters(run: &Run<'_>, method: &Method, path: &Pairs) -> Vec<String> {
    let req = run.req;
    let blank = |v: Option<&str>| v.is_none_or(|v| v.trim().is_empty());
    let mut out = Vec::new();
    for location in [
        ParamLocation::Header,
        ParamLocation::Path,
        ParamLocation::Query,
    ] {
        for p in method
            .parameters
            .iter()
            .filter(|p| p.required && p.location == location)
        {
            let absent = match location {
                ParamLocation::Header => blank(last_value(&req.headers, &p.name)),
                ParamLocation::Path => blank(
                    path.iter()
                        .find(|(k, _)| *k == p.name)
                        .map(|(_, v)| v.as_str()),
                ),
                ParamLocation::Query => !req
                    .query
                    .iter()
                    .any(|(k, v)| *k == p.name && !v.trim().is_empty()),
            };
            if absent {
                out.push(p.name.clone());
            }
        }
    }
    out
}
