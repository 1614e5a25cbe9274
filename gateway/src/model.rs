//! The API model: resources, methods, integrations and integration responses, as API Gateway
//! stores them (`GetResources`, `GetMethod`, `GetIntegration`), read from a spec by `spec.rs`.
//!
//! The model holds template *text*; [`crate::Api`] compiles it once at load.

use std::sync::Arc;

use java_regex::JavaRegex;

/// Where a method-request parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// `method.request.path.P`
    Path,
    /// `method.request.querystring.P`
    Query,
    /// `method.request.header.P`
    Header,
}

impl ParamLocation {
    /// The name used in mapping expressions (`path`, `querystring`, `header`).
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "querystring",
            ParamLocation::Header => "header",
        }
    }
}

/// A declared method-request parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// Where it is.
    pub location: ParamLocation,
    /// Its name (case-sensitive, as API Gateway treats names).
    pub name: String,
    /// Whether the method declares it required.
    pub required: bool,
}

/// `type` of an integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntegrationType {
    /// `MOCK`: no backend; the status comes from the request template.
    Mock,
    /// `AWS`: an AWS service, or a Lambda function without proxy.
    Aws,
    /// `HTTP`: an HTTP backend with mapping.
    Http,
    /// `AWS_PROXY`: Lambda proxy integration.
    AwsProxy,
    /// `HTTP_PROXY`: HTTP pass-through.
    HttpProxy,
}

impl IntegrationType {
    /// The name as API Gateway spells it (`MOCK`, `AWS_PROXY`, …).
    pub fn name(self) -> &'static str {
        match self {
            IntegrationType::Mock => "MOCK",
            IntegrationType::Aws => "AWS",
            IntegrationType::Http => "HTTP",
            IntegrationType::AwsProxy => "AWS_PROXY",
            IntegrationType::HttpProxy => "HTTP_PROXY",
        }
    }

    /// Reads a type, ignoring case (OpenAPI exports use lowercase).
    pub fn parse(s: &str) -> Option<IntegrationType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "MOCK" => IntegrationType::Mock,
            "AWS" => IntegrationType::Aws,
            "HTTP" => IntegrationType::Http,
            "AWS_PROXY" => IntegrationType::AwsProxy,
            "HTTP_PROXY" => IntegrationType::HttpProxy,
            _ => return None,
        })
    }

    /// True for the two proxy types, which bypass mapping.
    pub fn is_proxy(self) -> bool {
        matches!(self, IntegrationType::AwsProxy | IntegrationType::HttpProxy)
    }
}

/// `passthroughBehavior`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PassthroughBehavior {
    /// Pass the body through when no template matches (the default).
    #[default]
    WhenNoMatch,
    /// Pass through only when no template is defined; otherwise 415.
    WhenNoTemplates,
    /// Never pass through: 415 without a matching template.
    Never,
}

impl PassthroughBehavior {
    /// The name as API Gateway spells it.
    pub fn name(self) -> &'static str {
        match self {
            PassthroughBehavior::WhenNoMatch => "WHEN_NO_MATCH",
            PassthroughBehavior::WhenNoTemplates => "WHEN_NO_TEMPLATES",
            PassthroughBehavior::Never => "NEVER",
        }
    }

    /// Reads a behaviour, ignoring case.
    pub fn parse(s: &str) -> Option<PassthroughBehavior> {
        Some(match s.to_ascii_uppercase().as_str() {
            "WHEN_NO_MATCH" => PassthroughBehavior::WhenNoMatch,
            "WHEN_NO_TEMPLATES" => PassthroughBehavior::WhenNoTemplates,
            "NEVER" => PassthroughBehavior::Never,
            _ => return None,
        })
    }
}

/// `contentHandling` of an integration or integration response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentHandling {
    /// Base64-decode a text payload into binary.
    ConvertToBinary,
    /// Base64-encode a binary payload into text.
    ConvertToText,
}

impl ContentHandling {
    /// Reads a value, ignoring case.
    pub fn parse(s: &str) -> Option<ContentHandling> {
        Some(match s.to_ascii_uppercase().as_str() {
            "CONVERT_TO_BINARY" => ContentHandling::ConvertToBinary,
            "CONVERT_TO_TEXT" => ContentHandling::ConvertToText,
            _ => return None,
        })
    }

    /// The name as API Gateway spells it.
    pub fn name(self) -> &'static str {
        match self {
            ContentHandling::ConvertToBinary => "CONVERT_TO_BINARY",
            ContentHandling::ConvertToText => "CONVERT_TO_TEXT",
        }
    }
}

/// One `requestParameters` / `responseParameters` entry: `target = source`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParameterMapping {
    /// The left-hand side, e.g. `integration.request.header.X-Id`.
    pub target: String,
    /// The right-hand side, e.g. `method.request.path.id` or `'static'`.
    pub source: String,
    /// Where the entry is in the spec.
    pub pointer: String,
}

/// A mapping template keyed by content type.
#[derive(Clone, Debug)]
pub struct MappingTemplate {
    /// The content type it is chosen for (`application/json`).
    pub content_type: String,
    /// The template text (empty = pass the body through).
    pub source: String,
    /// Where it is in the spec.
    pub pointer: String,
    pub(crate) compiled: Option<vtl::Template>,
}

/// One integration response.
#[derive(Clone, Debug)]
pub struct IntegrationResponse {
    /// `selectionPattern`; `None` (or empty) for the default response.
    pub selection_pattern: Option<String>,
    /// The method response status it selects.
    pub status: u16,
    /// `responseParameters`.
    pub response_parameters: Vec<ParameterMapping>,
    /// `responseTemplates`, in spec order.
    pub response_templates: Vec<MappingTemplate>,
    /// `contentHandling`.
    pub content_handling: Option<ContentHandling>,
    /// Where it is in the spec.
    pub pointer: String,
    pub(crate) regex: Option<Arc<JavaRegex>>,
}

impl IntegrationResponse {
    /// True for the default response (no pattern, or an empty one).
    pub fn is_default(&self) -> bool {
        self.selection_pattern.as_deref().is_none_or(str::is_empty)
    }
}

/// An integration.
#[derive(Clone, Debug)]
pub struct Integration {
    /// `type`.
    pub kind: IntegrationType,
    /// `uri` (may hold `{name}` and `${stageVariables.x}` placeholders).
    pub uri: String,
    /// `httpMethod` (the integration's, not the method's).
    pub http_method: Option<String>,
    /// `requestParameters`.
    pub request_parameters: Vec<ParameterMapping>,
    /// `requestTemplates`, in spec order.
    pub request_templates: Vec<MappingTemplate>,
    /// `passthroughBehavior` (unset reads back as `WHEN_NO_MATCH`).
    pub passthrough: PassthroughBehavior,
    /// `passthroughBehavior` as the spec spells it (`when_no_templates`), if set.
    pub passthrough_text: Option<String>,
    /// `contentHandling` of the request.
    pub content_handling: Option<ContentHandling>,
    /// `responses`.
    pub responses: Vec<IntegrationResponse>,
    /// `timeoutInMillis` (29000 when unset).
    pub timeout_ms: u64,
    /// Where it is in the spec.
    pub pointer: String,
}

impl Integration {
    /// True for a Lambda function behind a non-proxy `AWS` integration (a `…:lambda:path/…`
    /// URI): its selection value is the function's `errorMessage`.
    pub fn is_lambda(&self) -> bool {
        matches!(self.kind, IntegrationType::Aws | IntegrationType::AwsProxy)
            && self.uri.contains(":lambda:path/")
    }
}

/// A request validator (`x-amazon-apigateway-request-validators`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Validator {
    /// `validateRequestParameters`: required parameters must be present.
    pub parameters: bool,
    /// `validateRequestBody`: the body must match the method's model for its content type.
    pub body: bool,
}

/// A method of a resource.
#[derive(Clone, Debug)]
pub struct Method {
    /// `GET`, `POST`, … or `ANY`.
    pub http_method: String,
    /// Declared method-request parameters.
    pub parameters: Vec<Parameter>,
    /// Whether the method declares a request body.
    pub has_body_model: bool,
    /// The request validator in force, if any.
    pub validator: Option<Validator>,
    /// The request models (`requestBody` / body parameter schemas, `RequestModels`), by
    /// content type.
    pub request_models: Vec<crate::model_schema::RequestModel>,
    /// Who may call the method: API key, authorizer (see [`crate::front`]).
    pub security: crate::front::MethodSecurity,
    /// The integration, if the spec gives one.
    pub integration: Option<Integration>,
    /// The declared method-response status codes.
    pub responses: Vec<u16>,
    /// Where it is in the spec.
    pub pointer: String,
}

/// A resource: a path with its methods.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The path template (`/pets/{id}`, `/{proxy+}`).
    pub path: String,
    /// Its methods.
    pub methods: Vec<Method>,
}

/// The spec as read, before templates are compiled.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// Resources in spec order.
    pub resources: Vec<Resource>,
    /// `x-amazon-apigateway-binary-media-types` / `BinaryMediaTypes`.
    pub binary_media_types: Vec<String>,
    /// Whether the spec turns on this project's `$vtl` extensions (`x-vtl-extensions: true`).
    pub extensions: bool,
    /// The front door: gateway responses, authorizers, the API key source.
    pub front: crate::front::ApiFront,
}

impl Spec {
    /// Every mapping template with its method: `(resource, method, template, status)` where
    /// status is `None` for request templates.
    pub fn templates(&self) -> Vec<(&Resource, &Method, &MappingTemplate, Option<u16>)> {
        let mut out = Vec::new();
        for r in &self.resources {
            for m in &r.methods {
                let Some(i) = &m.integration else { continue };
                for t in &i.request_templates {
                    out.push((r, m, t, None));
                }
                for resp in &i.responses {
                    for t in &resp.response_templates {
                        out.push((r, m, t, Some(resp.status)));
                    }
                }
            }
        }
        out
    }
}
