//! Models: the JSON Schema (draft 4, API Gateway's dialect) a request body must match, keyed
//! by content type, compiled once at load.
//!
//! A model's `$ref`s (`#/components/schemas/X`, `#/definitions/X`) resolve against the spec
//! that declares it: the schema is compiled inside a document holding the spec's
//! `components` and `definitions`. Schemas that are not valid draft 4 are load errors located
//! by JSON pointer.

use std::fmt;
#[cfg(feature = "json-schema")]
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::error::push_pointer;
use crate::Error;

/// The key the model's own schema sits under in the document it is compiled in.
const MODEL_KEY: &str = "x-vtl-model";

/// The built-in `Empty` model of every REST API.
pub(crate) const EMPTY_MODEL: &str = "Empty";

/// A request model: the schema for one content type (`$default` for any).
#[derive(Clone)]
pub struct RequestModel {
    /// The content type (`application/json`, or `$default`).
    pub content_type: String,
    /// The schema as written.
    pub schema: Json,
    /// Where the schema is in the spec.
    pub pointer: String,
    #[cfg(feature = "json-schema")]
    pub(crate) compiled: Arc<jsonschema::Validator>,
}

/// Whether this build validates bodies (the `json-schema` feature).
pub(crate) const CHECKS_BODIES: bool = cfg!(feature = "json-schema");

impl fmt::Debug for RequestModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestModel")
            .field("content_type", &self.content_type)
            .field("schema", &self.schema)
            .field("pointer", &self.pointer)
            .finish()
    }
}

impl RequestModel {
    /// Compiles `schema` (found at `pointer`) for `content_type`; `doc` is the spec its
    /// `$ref`s resolve in.
    pub(crate) fn compile(
        content_type: &str,
        schema: &Json,
        doc: &Json,
        pointer: &str,
    ) -> Result<RequestModel, Error> {
        if !schema.is_object() {
            return Err(Error::spec(pointer, "a model schema must be a JSON object"));
        }
        let mut wrapper = Map::new();
        for key in ["components", "definitions"] {
            if let Some(v) = doc.get(key) {
                wrapper.insert(key.into(), v.clone());
            }
        }
        wrapper.insert(MODEL_KEY.into(), strip_schema_id(schema));
        wrapper.insert("$ref".into(), Json::from(format!("#/{MODEL_KEY}")));
        let wrapper = Json::Object(wrapper);
        let mut memo = std::collections::HashMap::new();
        if expanded_size(&wrapper, &wrapper[MODEL_KEY], &mut memo, &mut Vec::new()) > MAX_EXPANDED {
            return Err(Error::spec(
                pointer,
                "the model's $refs fan out too much (checking a body could take exponential time)",
            ));
        }
        #[cfg(not(feature = "json-schema"))]
        return Ok(RequestModel {
            content_type: content_type.to_string(),
            schema: schema.clone(),
            pointer: pointer.to_string(),
        });
        #[cfg(feature = "json-schema")]
        if let Err(e) = jsonschema::draft4::meta::validate(schema) {
            let at = join_location(pointer, &e.instance_path.to_string());
            return Err(Error::spec(
                &at,
                format!("the model is not a valid JSON Schema (draft 4): {e}"),
            ));
        }
        #[cfg(feature = "json-schema")]
        let compiled = jsonschema::draft4::options().build(&wrapper).map_err(|e| {
            let inner = e.schema_path.to_string();
            let at = inner
                .strip_prefix(&format!("/{MODEL_KEY}"))
                .map(|rest| join_location(pointer, rest))
                .unwrap_or_else(|| pointer.to_string());
            Error::spec(
                &at,
                format!("the model cannot be compiled as JSON Schema (draft 4): {e}"),
            )
        })?;
        #[cfg(feature = "json-schema")]
        Ok(RequestModel {
            content_type: content_type.to_string(),
            schema: schema.clone(),
            pointer: pointer.to_string(),
            compiled: Arc::new(compiled),
        })
    }

    /// The built-in `Empty` model (`{"type": "object"}`).
    pub(crate) fn empty(content_type: &str, pointer: &str) -> RequestModel {
        let schema = serde_json::json!({"title": "Empty Schema", "type": "object"});
        RequestModel::compile(content_type, &schema, &Json::Null, pointer)
            .expect("the Empty model compiles")
    }

    /// The reasons `body` does not match, empty when it does. A body that is not JSON gives
    /// one reason.
    pub fn violations(&self, body: &[u8]) -> Vec<String> {
        let value: Json = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return vec![format!("the body is not JSON: {e}")],
        };
        #[cfg(not(feature = "json-schema"))]
        {
            let _ = value;
            Vec::new()
        }
        #[cfg(feature = "json-schema")]
        {
            if self.compiled.is_valid(&value) {
                return Vec::new();
            }
            self.compiled
                .iter_errors(&value)
                .take(MAX_REPORTED)
                .map(|e| {
                    let at = e.instance_path.to_string();
                    if at.is_empty() {
                        e.to_string()
                    } else {
                        format!("{at}: {e}")
                    }
                })
                .collect()
        }
    }
}

/// How many schema nodes a model may expand to with its `$ref`s followed (each use
/// counted): beyond it a body check could take exponential time.
const MAX_EXPANDED: u64 = 100_000;

/// The number of schema nodes `v` expands to, `$ref`s followed (a recursive reference counts
/// once: its cost is bounded by the body's depth).
fn expanded_size<'a>(
    doc: &'a Json,
    v: &'a Json,
    memo: &mut std::collections::HashMap<String, u64>,
    stack: &mut Vec<String>,
) -> u64 {
    match v {
        Json::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Json::as_str) {
                if stack.iter().any(|s| s == r) {
                    return 1;
                }
                if let Some(n) = memo.get(r) {
                    return *n;
                }
                let Some(target) = r.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
                    return 1;
                };
                stack.push(r.to_string());
                let n = expanded_size(doc, target, memo, stack).saturating_add(1);
                stack.pop();
                memo.insert(r.to_string(), n);
                return n;
            }
            m.values().fold(1u64, |acc, x| {
                acc.saturating_add(expanded_size(doc, x, memo, stack))
            })
        }
        Json::Array(a) => a.iter().fold(1u64, |acc, x| {
            acc.saturating_add(expanded_size(doc, x, memo, stack))
        }),
        _ => 1,
    }
}

/// The most violations a log line lists.
#[cfg(feature = "json-schema")]
const MAX_REPORTED: usize = 10;

/// A schema's `id` would rebase its `$ref`s away from the spec; API Gateway resolves them
/// in the API, so it is dropped at the top.
fn strip_schema_id(schema: &Json) -> Json {
    let mut s = schema.clone();
    if let Json::Object(m) = &mut s {
        m.remove("id");
        m.remove("$schema");
    }
    s
}

#[cfg(feature = "json-schema")]
fn join_location(base: &str, rest: &str) -> String {
    let mut at = base.to_string();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        at = push_pointer(&at, &seg);
    }
    at
}

/// The model for a request's media type: the exact type (case-insensitive), else
/// `$default`; `None` skips body validation, as API Gateway does.
pub(crate) fn for_content_type<'m>(
    models: &'m [RequestModel],
    mime: &str,
) -> Option<&'m RequestModel> {
    models
        .iter()
        .find(|m| m.content_type.eq_ignore_ascii_case(mime))
        .or_else(|| models.iter().find(|m| m.content_type == "$default"))
}

/// The models of an OpenAPI operation: OpenAPI 3 `requestBody.content.*.schema`, or the
/// Swagger 2 `in: body` parameter's schema for each type the operation `consumes`
/// (`application/json` when it declares none).
pub(crate) fn openapi_models(
    doc: &Json,
    op: &Map<String, Json>,
    op_at: &str,
) -> Result<Vec<RequestModel>, Error> {
    let mut out = Vec::new();
    if let Some(body) = op.get("requestBody") {
        let body_at = push_pointer(op_at, "requestBody");
        let body = crate::spec::resolve(doc, body, &body_at)?;
        let Some(content) = body.get("content") else {
            return Ok(out);
        };
        let content_at = push_pointer(&body_at, "content");
        let Json::Object(content) = content else {
            return Err(Error::spec(&content_at, "\"content\" must be an object"));
        };
        for (ct, media) in content {
            let Some(schema) = media.get("schema") else {
                continue;
            };
            let at = push_pointer(&push_pointer(&content_at, ct), "schema");
            out.push(RequestModel::compile(ct, schema, doc, &at)?);
        }
        return Ok(out);
    }
    let Some(Json::Array(params)) = op.get("parameters") else {
        return Ok(out);
    };
    for (i, p) in params.iter().enumerate() {
        let p_at = push_pointer(&push_pointer(op_at, "parameters"), &i.to_string());
        let p = crate::spec::resolve(doc, p, &p_at)?;
        if p.get("in").and_then(Json::as_str) != Some("body") {
            continue;
        }
        let Some(schema) = p.get("schema") else {
            continue;
        };
        let at = push_pointer(&p_at, "schema");
        let consumes = op
            .get("consumes")
            .or_else(|| doc.get("consumes"))
            .and_then(Json::as_array)
            .map(|l| l.iter().filter_map(Json::as_str).collect::<Vec<_>>())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| vec!["application/json"]);
        for ct in consumes {
            out.push(RequestModel::compile(ct, schema, doc, &at)?);
        }
    }
    Ok(out)
}

/// The models of a CloudFormation method's `RequestModels` (`{type: model}`), the model
/// named by an `AWS::ApiGateway::Model`'s logical id (`Ref`) or `Name`, or `Empty`.
pub(crate) fn cloudformation_models(
    resources: &Map<String, Json>,
    method: &Map<String, Json>,
    at: &str,
) -> Result<Vec<RequestModel>, Error> {
    let mut out = Vec::new();
    let Some(models) = method.get("RequestModels") else {
        return Ok(out);
    };
    let models_at = push_pointer(at, "RequestModels");
    let Json::Object(models) = models else {
        return Err(Error::spec(&models_at, "RequestModels must be an object"));
    };
    for (ct, name) in models {
        let entry_at = push_pointer(&models_at, ct);
        let name = match name {
            Json::String(s) => s.as_str(),
            Json::Object(m) => m.get("Ref").and_then(Json::as_str).unwrap_or_default(),
            _ => "",
        };
        if name.is_empty() {
            return Err(Error::spec(
                &entry_at,
                "a request model must be a model name or a Ref",
            ));
        }
        let found = resources.iter().find(|(id, r)| {
            r.get("Type").and_then(Json::as_str) == Some("AWS::ApiGateway::Model")
                && (id.as_str() == name
                    || r.pointer("/Properties/Name").and_then(Json::as_str) == Some(name))
        });
        match found {
            Some((id, r)) => {
                let schema_at = push_pointer(
                    &push_pointer(&push_pointer("/Resources", id), "Properties"),
                    "Schema",
                );
                let schema = match r.pointer("/Properties/Schema") {
                    Some(Json::String(text)) => serde_json::from_str(text).map_err(|e| {
                        Error::spec(&schema_at, format!("the model schema is not JSON: {e}"))
                    })?,
                    Some(v) => v.clone(),
                    None => return Err(Error::spec(&schema_at, "the model has no Schema")),
                };
                out.push(RequestModel::compile(ct, &schema, &Json::Null, &schema_at)?);
            }
            None if name == EMPTY_MODEL => out.push(RequestModel::empty(ct, &entry_at)),
            None => {
                return Err(Error::spec(
                    &entry_at,
                    format!("no AWS::ApiGateway::Model named {name:?} in the template"),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_resolve_in_the_spec() {
        let doc = json!({"components": {"schemas": {"N": {"type": "number"}}}});
        let m = RequestModel::compile(
            "application/json",
            &json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/N"}}, "required": ["a"]}),
            &doc,
            "/paths/~1a/post/requestBody/content/application~1json/schema",
        )
        .unwrap();
        assert!(m.violations(br#"{"a": 1}"#).is_empty());
        assert_eq!(m.violations(br#"{"a": "x"}"#).len(), 1);
        assert_eq!(m.violations(br#"{}"#).len(), 1);
        assert_eq!(m.violations(b"").len(), 1);
    }

    #[test]
    fn draft4_exclusive_maximum_is_a_boolean() {
        let m = RequestModel::compile(
            "application/json",
            &json!({"type": "number", "maximum": 5, "exclusiveMaximum": true}),
            &Json::Null,
            "",
        )
        .unwrap();
        assert!(m.violations(b"4").is_empty());
        assert!(!m.violations(b"5").is_empty());
    }

    #[test]
    fn malformed_schemas_are_located() {
        let e = RequestModel::compile(
            "application/json",
            &json!({"type": "object", "properties": {"a": {"type": "nombre"}}}),
            &Json::Null,
            "/definitions/Pet",
        )
        .unwrap_err();
        assert!(e.pointer().unwrap().starts_with("/definitions/Pet"), "{e}");
        assert!(e.message().contains("draft 4"), "{e}");
        let e = RequestModel::compile(
            "application/json",
            &json!({"$ref": "#/definitions/Missing"}),
            &json!({}),
            "/x",
        )
        .unwrap_err();
        assert_eq!(e.pointer(), Some("/x"), "{e}");
    }

    #[test]
    fn content_type_then_default() {
        let a = RequestModel::empty("application/json", "");
        let d = RequestModel::empty("$default", "");
        let models = vec![a, d];
        assert_eq!(
            for_content_type(&models, "APPLICATION/JSON")
                .unwrap()
                .content_type,
            "application/json"
        );
        assert_eq!(
            for_content_type(&models, "text/plain")
                .unwrap()
                .content_type,
            "$default"
        );
        assert!(for_content_type(&models[..1], "text/plain").is_none());
    }
}
