//! Reading a spec into the model: OpenAPI 2/3 exports (JSON or YAML) with API Gateway's
//! `x-amazon-apigateway-*` extensions, and CloudFormation/SAM templates
//! (`AWS::ApiGateway::RestApi` `Body`, `AWS::Serverless::Api` `DefinitionBody`,
//! `AWS::ApiGateway::Method` and `Resource`).
//!
//! YAML intrinsic tags (`!Sub`, `!Ref`, …) are read as their long form (`{"Fn::Sub": …}`); a
//! tagged scalar is its text. Every malformed or unsupported part is an error naming its JSON
//! pointer (RFC 6901) in the document.

use std::sync::Arc;

use java_regex::JavaRegex;
use serde_json::{json, Map, Value as Json};

use crate::error::{push_pointer, Error};
use crate::model::*;

/// Parses JSON, else YAML (with CloudFormation intrinsic tags in their long form).
pub fn parse_document(text: &str) -> Result<Json, Error> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Error::syntax(format!(
                "invalid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ))
        });
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| Error::syntax(format!("invalid YAML: {e}")))?;
    Ok(yaml_to_json(yaml, 0))
}

fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

/// Deepest YAML nesting converted (deeper values become null); the YAML parser itself has a
/// recursion limit well below this.
const MAX_YAML_DEPTH: usize = 256;

fn yaml_to_json(v: serde_yaml_ng::Value, depth: usize) -> Json {
    use serde_yaml_ng::Value as Y;
    if depth > MAX_YAML_DEPTH {
        return Json::Null;
    }
    match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(b),
        Y::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Json::Null),
        Y::String(s) => Json::String(s),
        Y::Sequence(items) => Json::Array(
            items
                .into_iter()
                .map(|v| yaml_to_json(v, depth + 1))
                .collect(),
        ),
        Y::Mapping(m) => Json::Object(
            m.into_iter()
                .map(|(k, v)| {
                    (
                        scalar_text(&yaml_to_json(k, depth + 1)),
                        yaml_to_json(v, depth + 1),
                    )
                })
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!').to_string();
            let value = yaml_to_json(t.value, depth + 1);
            match value {
                // `!Ref X`, `!Sub "text"`, `!GetAtt A.B`: the scalar's text.
                Json::String(_) | Json::Number(_) | Json::Bool(_) | Json::Null => {
                    Json::String(scalar_text(&value))
                }
                other => {
                    let key = if name == "Ref" || name == "Condition" {
                        name
                    } else {
                        format!("Fn::{name}")
                    };
                    json!({ key: other })
                }
            }
        }
    }
}

/// A scalar's text (`null` is empty, numbers and booleans as written).
pub(crate) fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// A value as text: a string, a number, or a CloudFormation intrinsic whose text is known
/// (`Fn::Sub`'s template; `Fn::Join` of known parts; `Ref` and `Fn::GetAtt` as `${Name}`).
pub(crate) fn intrinsic_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next()?;
            match (k.as_str(), arg) {
                ("Fn::Sub", Json::String(s)) => Some(s.clone()),
                ("Fn::Sub", Json::Array(a)) => a.first().and_then(Json::as_str).map(str::to_string),
                ("Ref", Json::String(name)) => Some(format!("${{{name}}}")),
                ("Fn::GetAtt", Json::String(name)) => Some(format!("${{{name}}}")),
                ("Fn::GetAtt", Json::Array(parts)) => {
                    let parts: Vec<String> = parts.iter().map(scalar_text).collect();
                    Some(format!("${{{}}}", parts.join(".")))
                }
                ("Fn::Join", Json::Array(a)) if a.len() == 2 => {
                    let sep = a[0].as_str()?;
                    let parts = a[1].as_array()?;
                    let texts: Option<Vec<String>> = parts.iter().map(intrinsic_text).collect();
                    Some(texts?.join(sep))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The HTTP methods an OpenAPI path item may hold, and API Gateway's `ANY`.
const METHODS: [&str; 8] = [
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "x-amazon-apigateway-any-method",
];

/// The largest number of resources followed up a CloudFormation `ParentId` chain.
const MAX_RESOURCE_DEPTH: usize = 64;

/// Reads an OpenAPI 2/3 document or a CloudFormation/SAM template, whichever `doc` is.
pub fn read(doc: &Json) -> Result<Spec, Error> {
    let Json::Object(root) = doc else {
        return Err(Error::spec(
            "",
            "expected an OpenAPI document or a CloudFormation template (a JSON/YAML object)",
        ));
    };
    if root.contains_key("paths") || root.contains_key("swagger") || root.contains_key("openapi") {
        return read_openapi(doc);
    }
    if root.contains_key("Resources") {
        return read_cloudformation(doc);
    }
    Err(Error::spec(
        "",
        "expected an OpenAPI document (with \"paths\") or a CloudFormation/SAM template (with \"Resources\")",
    ))
}

/// Reads an OpenAPI 2/3 document.
pub fn read_openapi(doc: &Json) -> Result<Spec, Error> {
    let mut spec = Spec::default();
    openapi_into(doc, "", &mut spec)?;
    Ok(spec)
}

/// Reads a CloudFormation or SAM template.
pub fn read_cloudformation(doc: &Json) -> Result<Spec, Error> {
    let mut spec = Spec::default();
    let resources = object_at(doc, "", "Resources")?;
    let base = "/Resources";
    for (id, res) in resources {
        let at = push_pointer(base, id);
        let Json::Object(r) = res else {
            return Err(Error::spec(&at, "a resource must be an object"));
        };
        let ty = r.get("Type").and_then(Json::as_str).unwrap_or_default();
        let props = r.get("Properties").unwrap_or(&Json::Null);
        let props_at = if r.contains_key("Properties") {
            push_pointer(&at, "Properties")
        } else {
            at.clone()
        };
        match ty {
            "AWS::ApiGateway::RestApi" | "AWS::Serverless::Api" => {
                let body_key = if ty == "AWS::Serverless::Api" {
                    "DefinitionBody"
                } else {
                    "Body"
                };
                if let Some(body) = props.get(body_key) {
                    openapi_into(body, &push_pointer(&props_at, body_key), &mut spec)?;
                } else {
                    for remote in ["BodyS3Location", "DefinitionUri"] {
                        if props.get(remote).is_some() {
                            return Err(Error::spec(
                                &push_pointer(&props_at, remote),
                                format!(
                                    "{remote} points outside the template; give the OpenAPI document inline ({body_key})"
                                ),
                            ));
                        }
                    }
                }
                if let Some(types) = props.get("BinaryMediaTypes") {
                    let at = push_pointer(&props_at, "BinaryMediaTypes");
                    spec.binary_media_types.extend(
                        string_list(types, &at)?
                            .into_iter()
                            .map(|t| t.replace("~1", "/")),
                    );
                }
            }
            "AWS::ApiGateway::GatewayResponse" | "AWS::ApiGateway::Authorizer" => {
                crate::front::cloudformation_resource(ty, id, props, &props_at, &mut spec.front)?;
            }
            "AWS::ApiGateway::Method" => {
                let (path, method) = cfn_method(resources, props, &props_at)?;
                add_method(&mut spec, path, method);
            }
            _ => {}
        }
    }
    Ok(spec)
}

fn add_method(spec: &mut Spec, path: String, method: Method) {
    match spec.resources.iter_mut().find(|r| r.path == path) {
        Some(r) => {
            r.methods.retain(|m| m.http_method != method.http_method);
            r.methods.push(method);
        }
        None => spec.resources.push(Resource {
            path,
            methods: vec![method],
        }),
    }
}

fn object_at<'a>(parent: &'a Json, at: &str, key: &str) -> Result<&'a Map<String, Json>, Error> {
    let p = push_pointer(at, key);
    match parent.get(key) {
        Some(Json::Object(m)) => Ok(m),
        Some(_) => Err(Error::spec(&p, format!("\"{key}\" must be an object"))),
        None => Err(Error::spec(at, format!("\"{key}\" is missing"))),
    }
}

fn optional_object<'a>(
    parent: &'a Map<String, Json>,
    at: &str,
    key: &str,
) -> Result<Option<&'a Map<String, Json>>, Error> {
    match parent.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Object(m)) => Ok(Some(m)),
        Some(_) => Err(Error::spec(
            &push_pointer(at, key),
            format!("\"{key}\" must be an object"),
        )),
    }
}

fn optional_text(parent: &Map<String, Json>, at: &str, key: &str) -> Result<Option<String>, Error> {
    match parent.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(v) => intrinsic_text(v).map(Some).ok_or_else(|| {
            Error::spec(
                &push_pointer(at, key),
                format!("\"{key}\" must be a string"),
            )
        }),
    }
}

fn string_list(v: &Json, at: &str) -> Result<Vec<String>, Error> {
    let Json::Array(items) = v else {
        return Err(Error::spec(at, "expected a list of strings"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            intrinsic_text(item)
                .ok_or_else(|| Error::spec(&push_pointer(at, &i.to_string()), "expected a string"))
        })
        .collect()
}

fn status_code(v: &Json, at: &str) -> Result<u16, Error> {
    let text = intrinsic_text(v).unwrap_or_default();
    match text.trim().parse::<u16>() {
        Ok(n) if (100..=599).contains(&n) => Ok(n),
        _ => Err(Error::spec(
            at,
            format!("a status code must be an integer from 100 to 599, not {v}"),
        )),
    }
}

/// Follows a local `$ref` (`#/parameters/x`, `#/components/parameters/x`).
pub(crate) fn resolve<'a>(doc: &'a Json, v: &'a Json, at: &str) -> Result<&'a Json, Error> {
    let mut current = v;
    for _ in 0..16 {
        let Some(r) = current.get("$ref").and_then(Json::as_str) else {
            return Ok(current);
        };
        let Some(pointer) = r.strip_prefix('#') else {
            return Err(Error::spec(
                &push_pointer(at, "$ref"),
                format!("only references inside the document are supported, not {r:?}"),
            ));
        };
        current = doc.pointer(pointer).ok_or_else(|| {
            Error::spec(
                &push_pointer(at, "$ref"),
                format!("{r:?} points to nothing"),
            )
        })?;
    }
    Err(Error::spec(at, "too many nested $ref"))
}

fn openapi_into(doc: &Json, base: &str, spec: &mut Spec) -> Result<(), Error> {
    let Json::Object(root) = doc else {
        return Err(Error::spec(base, "an OpenAPI document must be an object"));
    };
    let paths = object_at(doc, base, "paths")?;
    let paths_at = push_pointer(base, "paths");
    if let Some(types) = root.get("x-amazon-apigateway-binary-media-types") {
        let at = push_pointer(base, "x-amazon-apigateway-binary-media-types");
        spec.binary_media_types.extend(string_list(types, &at)?);
    }
    if let Some(v) = root.get("x-vtl-extensions") {
        spec.extensions = v.as_bool().ok_or_else(|| {
            Error::spec(
                &push_pointer(base, "x-vtl-extensions"),
                "x-vtl-extensions must be true or false",
            )
        })?;
    }
    crate::front::openapi_api(doc, base, &mut spec.front)?;
    let validators = match optional_object(root, base, "x-amazon-apigateway-request-validators")? {
        Some(m) => m.clone(),
        None => Map::new(),
    };
    let default_validator = root
        .get("x-amazon-apigateway-request-validator")
        .and_then(Json::as_str);
    for (path, item) in paths {
        let item_at = push_pointer(&paths_at, path);
        if !path.starts_with('/') {
            return Err(Error::spec(&item_at, "a path must start with '/'"));
        }
        check_path_template(path, &item_at)?;
        let Json::Object(item_obj) = item else {
            return Err(Error::spec(&item_at, "a path item must be an object"));
        };
        let shared = parameters(doc, item_obj, &item_at)?;
        for name in METHODS {
            let Some(op) = item_obj.get(name) else {
                continue;
            };
            let op_at = push_pointer(&item_at, name);
            let Json::Object(op_obj) = op else {
                return Err(Error::spec(&op_at, "an operation must be an object"));
            };
            let mut params = shared.clone();
            for p in parameters(doc, op_obj, &op_at)? {
                params.retain(|q| !(q.location == p.location && q.name == p.name));
                params.push(p);
            }
            for seg in path.split('/') {
                if let Some(n) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    let n = n.trim_end_matches('+');
                    if !params
                        .iter()
                        .any(|p| p.location == ParamLocation::Path && p.name == n)
                    {
                        params.push(Parameter {
                            location: ParamLocation::Path,
                            name: n.to_string(),
                            required: true,
                        });
                    }
                }
            }
            let has_body_model = op_obj.contains_key("requestBody")
                || op_obj
                    .get("parameters")
                    .and_then(Json::as_array)
                    .is_some_and(|ps| {
                        ps.iter()
                            .any(|p| p.get("in").and_then(Json::as_str) == Some("body"))
                    });
            let (validator_name, validator_at) = match op_obj
                .get("x-amazon-apigateway-request-validator")
                .and_then(Json::as_str)
            {
                Some(v) => (
                    Some(v),
                    push_pointer(&op_at, "x-amazon-apigateway-request-validator"),
                ),
                None => (
                    default_validator,
                    push_pointer(base, "x-amazon-apigateway-request-validator"),
                ),
            };
            let validator = match validator_name {
                None => None,
                Some(v) => {
                    let Some(def) = validators.get(v) else {
                        return Err(Error::spec(
                            &validator_at,
                            format!("no request validator named {v:?} in x-amazon-apigateway-request-validators"),
                        ));
                    };
                    Some(Validator {
                        parameters: def
                            .get("validateRequestParameters")
                            .and_then(Json::as_bool)
                            .unwrap_or(false),
                        body: def
                            .get("validateRequestBody")
                            .and_then(Json::as_bool)
                            .unwrap_or(false),
                    })
                }
            };
            let request_models = if validator.is_some_and(|v| v.body) {
                crate::model_schema::openapi_models(doc, op_obj, &op_at)?
            } else {
                Vec::new()
            };
            let security = crate::front::openapi_security(doc, op_obj, &op_at)?;
            let mut responses = Vec::new();
            if let Some(resps) = optional_object(op_obj, &op_at, "responses")? {
                for code in resps.keys() {
                    if let Ok(n) = code.parse::<u16>() {
                        responses.push(n);
                    }
                }
            }
            let integration = match op_obj.get("x-amazon-apigateway-integration") {
                None => None,
                Some(i) => Some(openapi_integration(
                    i,
                    &push_pointer(&op_at, "x-amazon-apigateway-integration"),
                )?),
            };
            let http_method = if name.starts_with("x-") {
                "ANY".to_string()
            } else {
                name.to_ascii_uppercase()
            };
            add_method(
                spec,
                path.clone(),
                Method {
                    http_method,
                    parameters: params,
                    has_body_model,
                    validator,
                    request_models,
                    security,
                    integration,
                    responses,
                    pointer: op_at,
                },
            );
        }
    }
    Ok(())
}

fn check_path_template(path: &str, at: &str) -> Result<(), Error> {
    for seg in path.split('/').skip(1) {
        let open = seg.contains('{');
        let close = seg.contains('}');
        if open || close {
            let name = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
            match name {
                Some(n) if !n.is_empty() && !n.trim_end_matches('+').contains(['{', '}', '+']) => {}
                _ => {
                    return Err(Error::spec(
                        at,
                        format!("path segment {seg:?} must be a literal, {{name}} or {{name+}}"),
                    ))
                }
            }
        }
    }
    Ok(())
}

fn parameters(doc: &Json, obj: &Map<String, Json>, at: &str) -> Result<Vec<Parameter>, Error> {
    let mut out = Vec::new();
    let Some(list) = obj.get("parameters") else {
        return Ok(out);
    };
    let list_at = push_pointer(at, "parameters");
    let Json::Array(items) = list else {
        return Err(Error::spec(&list_at, "\"parameters\" must be a list"));
    };
    for (i, p) in items.iter().enumerate() {
        let p_at = push_pointer(&list_at, &i.to_string());
        let direct = p.get("in").is_some();
        let p = resolve(doc, p, &p_at)?;
        let in_at = if direct {
            push_pointer(&p_at, "in")
        } else {
            p_at.clone()
        };
        let location = match p.get("in").and_then(Json::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("body" | "formData" | "cookie") => continue,
            _ => {
                return Err(Error::spec(
                    &in_at,
                    "a parameter needs \"in\": path, query, header, body, formData or cookie",
                ))
            }
        };
        let Some(name) = p.get("name").and_then(Json::as_str) else {
            return Err(Error::spec(&p_at, "a parameter needs a \"name\""));
        };
        out.push(Parameter {
            location,
            name: name.to_string(),
            required: p.get("required").and_then(Json::as_bool).unwrap_or(false)
                || location == ParamLocation::Path,
        });
    }
    Ok(out)
}

/// The field names of one integration dialect (OpenAPI camelCase or CloudFormation PascalCase).
struct Names {
    kind: &'static str,
    uri: &'static str,
    http_method: &'static str,
    request_parameters: &'static str,
    request_templates: &'static str,
    passthrough: &'static str,
    content_handling: &'static str,
    timeout: &'static str,
    response_parameters: &'static str,
    response_templates: &'static str,
    status: &'static str,
}

const OPENAPI: Names = Names {
    kind: "type",
    uri: "uri",
    http_method: "httpMethod",
    request_parameters: "requestParameters",
    request_templates: "requestTemplates",
    passthrough: "passthroughBehavior",
    content_handling: "contentHandling",
    timeout: "timeoutInMillis",
    response_parameters: "responseParameters",
    response_templates: "responseTemplates",
    status: "statusCode",
};

const CLOUDFORMATION: Names = Names {
    kind: "Type",
    uri: "Uri",
    http_method: "IntegrationHttpMethod",
    request_parameters: "RequestParameters",
    request_templates: "RequestTemplates",
    passthrough: "PassthroughBehavior",
    content_handling: "ContentHandling",
    timeout: "TimeoutInMillis",
    response_parameters: "ResponseParameters",
    response_templates: "ResponseTemplates",
    status: "StatusCode",
};

/// `timeoutInMillis` when unset [SNAP].
pub(crate) const DEFAULT_TIMEOUT_MS: u64 = 29_000;

fn integration_common(i: &Json, at: &str, n: &Names) -> Result<Integration, Error> {
    let Json::Object(obj) = i else {
        return Err(Error::spec(at, "an integration must be an object"));
    };
    let kind_text = optional_text(obj, at, n.kind)?
        .ok_or_else(|| Error::spec(at, format!("the integration has no \"{}\"", n.kind)))?;
    let kind = IntegrationType::parse(&kind_text).ok_or_else(|| {
        Error::spec(
            &push_pointer(at, n.kind),
            format!("unknown integration type {kind_text:?} (expected MOCK, AWS, HTTP, AWS_PROXY or HTTP_PROXY)"),
        )
    })?;
    let uri = optional_text(obj, at, n.uri)?.unwrap_or_default();
    if uri.is_empty() && kind != IntegrationType::Mock {
        return Err(Error::spec(
            at,
            format!("a {} integration needs a \"{}\"", kind.name(), n.uri),
        ));
    }
    let http_method = optional_text(obj, at, n.http_method)?;
    let request_parameters = mappings(obj, at, n.request_parameters, "integration.request.")?;
    let request_templates = templates(obj, at, n.request_templates)?;
    let passthrough_text = optional_text(obj, at, n.passthrough)?;
    let passthrough = match &passthrough_text {
        None => PassthroughBehavior::default(),
        Some(t) => PassthroughBehavior::parse(t).ok_or_else(|| {
            Error::spec(
                &push_pointer(at, n.passthrough),
                format!("unknown passthrough behavior {t:?} (expected WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER)"),
            )
        })?,
    };
    let content_handling = content_handling(obj, at, n.content_handling)?;
    let timeout_ms = match obj.get(n.timeout) {
        None | Some(Json::Null) => DEFAULT_TIMEOUT_MS,
        Some(v) => intrinsic_text(v)
            .and_then(|t| t.parse::<u64>().ok())
            .ok_or_else(|| {
                Error::spec(
                    &push_pointer(at, n.timeout),
                    "a timeout must be a number of milliseconds",
                )
            })?,
    };
    Ok(Integration {
        kind,
        uri,
        http_method,
        request_parameters,
        request_templates,
        passthrough,
        passthrough_text,
        content_handling,
        responses: Vec::new(),
        timeout_ms,
        pointer: at.to_string(),
    })
}

fn content_handling(
    obj: &Map<String, Json>,
    at: &str,
    key: &str,
) -> Result<Option<ContentHandling>, Error> {
    match optional_text(obj, at, key)? {
        None => Ok(None),
        Some(t) if t.is_empty() => Ok(None),
        Some(t) => ContentHandling::parse(&t).map(Some).ok_or_else(|| {
            Error::spec(
                &push_pointer(at, key),
                format!("unknown content handling {t:?} (expected CONVERT_TO_BINARY or CONVERT_TO_TEXT)"),
            )
        }),
    }
}

fn mappings(
    obj: &Map<String, Json>,
    at: &str,
    key: &str,
    prefix: &str,
) -> Result<Vec<ParameterMapping>, Error> {
    let mut out = Vec::new();
    let Some(m) = optional_object(obj, at, key)? else {
        return Ok(out);
    };
    let map_at = push_pointer(at, key);
    for (target, source) in m {
        let p = push_pointer(&map_at, target);
        let source = intrinsic_text(source)
            .ok_or_else(|| Error::spec(&p, "a mapping's value must be a string"))?;
        crate::params::check_mapping(target, &source, prefix).map_err(|m| Error::spec(&p, m))?;
        out.push(ParameterMapping {
            target: target.clone(),
            source,
            pointer: p,
        });
    }
    Ok(out)
}

fn templates(obj: &Map<String, Json>, at: &str, key: &str) -> Result<Vec<MappingTemplate>, Error> {
    let mut out = Vec::new();
    let Some(m) = optional_object(obj, at, key)? else {
        return Ok(out);
    };
    let map_at = push_pointer(at, key);
    for (content_type, t) in m {
        let p = push_pointer(&map_at, content_type);
        let source = match t {
            Json::Null => String::new(),
            t => intrinsic_text(t)
                .ok_or_else(|| Error::spec(&p, "a mapping template must be a string"))?,
        };
        out.push(MappingTemplate {
            content_type: content_type.clone(),
            source,
            pointer: p,
            compiled: None,
        });
    }
    Ok(out)
}

fn compile_pattern(pattern: &str, at: &str) -> Result<Option<Arc<JavaRegex>>, Error> {
    if pattern.is_empty() {
        return Ok(None);
    }
    JavaRegex::new(pattern)
        .map(|r| Some(Arc::new(r)))
        .map_err(|e| {
            Error::spec(
                at,
                format!("the selection pattern is not a Java regex: {e}"),
            )
        })
}

fn openapi_integration(i: &Json, at: &str) -> Result<Integration, Error> {
    let mut integration = integration_common(i, at, &OPENAPI)?;
    let obj = i.as_object().expect("checked by integration_common");
    if let Some(resps) = optional_object(obj, at, "responses")? {
        let resps_at = push_pointer(at, "responses");
        for (key, r) in resps {
            let r_at = push_pointer(&resps_at, key);
            let pattern = if key == "default" {
                None
            } else {
                Some(key.clone())
            };
            integration
                .responses
                .push(integration_response(r, &r_at, pattern, &OPENAPI)?);
        }
    }
    Ok(integration)
}

fn integration_response(
    r: &Json,
    at: &str,
    pattern: Option<String>,
    n: &Names,
) -> Result<IntegrationResponse, Error> {
    let Json::Object(obj) = r else {
        return Err(Error::spec(at, "an integration response must be an object"));
    };
    let status = match obj.get(n.status) {
        Some(v) => status_code(v, &push_pointer(at, n.status))?,
        None => {
            return Err(Error::spec(
                at,
                format!("the integration response has no \"{}\"", n.status),
            ))
        }
    };
    let pattern_at = if n.status == "StatusCode" {
        push_pointer(at, "SelectionPattern")
    } else {
        at.to_string()
    };
    let regex = match &pattern {
        Some(p) => compile_pattern(p, &pattern_at)?,
        None => None,
    };
    Ok(IntegrationResponse {
        selection_pattern: pattern,
        status,
        response_parameters: mappings(obj, at, n.response_parameters, "method.response.")?,
        response_templates: templates(obj, at, n.response_templates)?,
        content_handling: content_handling(obj, at, n.content_handling)?,
        pointer: at.to_string(),
        regex,
    })
}

/// The logical id a `Ref` points to (`!Ref X` reads as `"X"`).
fn ref_name(v: &Json) -> Option<&str> {
    match v {
        Json::String(s) => Some(s),
        Json::Object(m) => m.get("Ref").and_then(Json::as_str),
        _ => None,
    }
}

/// The path of an `AWS::ApiGateway::Resource`, following `ParentId` up to the root
/// (`Fn::GetAtt Api.RootResourceId` or anything not a resource ends the chain).
fn resource_path(
    resources: &Map<String, Json>,
    id: Option<&Json>,
    at: &str,
) -> Result<String, Error> {
    let mut parts = Vec::new();
    let mut current = id.and_then(ref_name).map(str::to_string);
    while let Some(name) = current.take() {
        let Some(res) = resources.get(&name) else {
            break;
        };
        if res.get("Type").and_then(Json::as_str) != Some("AWS::ApiGateway::Resource") {
            break;
        }
        let props = &res["Properties"];
        let part = props
            .get("PathPart")
            .and_then(intrinsic_text)
            .ok_or_else(|| {
                let res_at = push_pointer("/Resources", &name);
                let at = match res.get("Properties") {
                    Some(p) if p.get("PathPart").is_some() => {
                        push_pointer(&push_pointer(&res_at, "Properties"), "PathPart")
                    }
                    Some(_) => push_pointer(&res_at, "Properties"),
                    None => res_at,
                };
                Error::spec(&at, "a resource needs a PathPart string")
            })?;
        parts.push(part);
        current = props.get("ParentId").and_then(ref_name).map(str::to_string);
        if parts.len() > MAX_RESOURCE_DEPTH {
            return Err(Error::spec(at, "the ParentId chain is too long (a cycle?)"));
        }
    }
    parts.reverse();
    Ok(format!("/{}", parts.join("/")))
}

fn cfn_method(
    resources: &Map<String, Json>,
    props: &Json,
    at: &str,
) -> Result<(String, Method), Error> {
    let Json::Object(obj) = props else {
        return Err(Error::spec(at, "a method needs Properties"));
    };
    let path = resource_path(resources, obj.get("ResourceId"), at)?;
    check_path_template(&path, &push_pointer(at, "ResourceId"))?;
    let http_method = optional_text(obj, at, "HttpMethod")?
        .ok_or_else(|| Error::spec(at, "the method has no HttpMethod"))?
        .to_ascii_uppercase();
    let mut parameters = Vec::new();
    for seg in path.split('/') {
        if let Some(n) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parameters.push(Parameter {
                location: ParamLocation::Path,
                name: n.trim_end_matches('+').to_string(),
                required: true,
            });
        }
    }
    if let Some(m) = optional_object(obj, at, "RequestParameters")? {
        for (key, required) in m {
            let mut it = key.splitn(4, '.');
            if let (Some("method"), Some("request"), Some(loc), Some(name)) =
                (it.next(), it.next(), it.next(), it.next())
            {
                let location = match loc {
                    "querystring" => ParamLocation::Query,
                    "header" => ParamLocation::Header,
                    "path" => ParamLocation::Path,
                    _ => continue,
                };
                parameters.retain(|p: &Parameter| !(p.location == location && p.name == name));
                parameters.push(Parameter {
                    location,
                    name: name.to_string(),
                    required: required.as_bool().unwrap_or(false)
                        || location == ParamLocation::Path,
                });
            } else {
                return Err(Error::spec(
                    &push_pointer(&push_pointer(at, "RequestParameters"), key),
                    "expected method.request.{path|querystring|header}.NAME",
                ));
            }
        }
    }
    let validator = match obj.get("RequestValidatorId").and_then(ref_name) {
        Some(id) => resources.get(id).and_then(|v| {
            let p = v.get("Properties")?;
            Some(Validator {
                parameters: p
                    .get("ValidateRequestParameters")
                    .and_then(Json::as_bool)
                    .unwrap_or(false),
                body: p
                    .get("ValidateRequestBody")
                    .and_then(Json::as_bool)
                    .unwrap_or(false),
            })
        }),
        None => None,
    };
    let mut responses = Vec::new();
    if let Some(list) = obj.get("MethodResponses") {
        let list_at = push_pointer(at, "MethodResponses");
        let Json::Array(items) = list else {
            return Err(Error::spec(&list_at, "MethodResponses must be a list"));
        };
        for (i, r) in items.iter().enumerate() {
            let r_at = push_pointer(&list_at, &i.to_string());
            let code = r
                .get("StatusCode")
                .ok_or_else(|| Error::spec(&r_at, "a method response needs a StatusCode"))?;
            responses.push(status_code(code, &push_pointer(&r_at, "StatusCode"))?);
        }
    }
    let integration = match obj.get("Integration") {
        None => None,
        Some(i) => {
            let i_at = push_pointer(at, "Integration");
            let mut integration = integration_common(i, &i_at, &CLOUDFORMATION)?;
            if let Some(list) = i.get("IntegrationResponses") {
                let list_at = push_pointer(&i_at, "IntegrationResponses");
                let Json::Array(items) = list else {
                    return Err(Error::spec(&list_at, "IntegrationResponses must be a list"));
                };
                for (n, r) in items.iter().enumerate() {
                    let r_at = push_pointer(&list_at, &n.to_string());
                    let pattern = match r.get("SelectionPattern") {
                        None | Some(Json::Null) => None,
                        Some(v) => Some(intrinsic_text(v).ok_or_else(|| {
                            Error::spec(
                                &push_pointer(&r_at, "SelectionPattern"),
                                "SelectionPattern must be a string",
                            )
                        })?),
                    };
                    integration.responses.push(integration_response(
                        r,
                        &r_at,
                        pattern,
                        &CLOUDFORMATION,
                    )?);
                }
            }
            Some(integration)
        }
    };
    let request_models = if validator.is_some_and(|v| v.body) {
        crate::model_schema::cloudformation_models(resources, obj, at)?
    } else {
        Vec::new()
    };
    let security = crate::front::cloudformation_security(resources, obj, at)?;
    Ok((
        path,
        Method {
            http_method,
            parameters,
            has_body_model: obj.contains_key("RequestModels"),
            validator,
            request_models,
            security,
            integration,
            responses,
            pointer: at.to_string(),
        },
    ))
}

#[cfg(test)]
mod tests;
