//! Method request validation (`x-amazon-apigateway-request-validators`): required parameters
//! (reported headers, then path, then query string, as AWS orders them) and the body against
//! the method's JSON Schema model (draft 4: `type`, `properties`, `required`, `items`,
//! `enum`, `additionalProperties`, lengths, bounds, `allOf`/`anyOf`/`oneOf`/`not`).

use serde_json::Value as Json;

use crate::exchange::{last_value, Pairs};
use crate::gateway_response::{GatewayResponse, GatewayResponseType};
use crate::model::{Method, ParamLocation};

/// How deep a schema (or the body it checks) is followed before the body counts as invalid.
const MAX_SCHEMA_DEPTH: usize = 64;

/// How many (schema, value) checks one body may cost before it counts as invalid.
const MAX_CHECKS: usize = 5_000_000;

const COSTLY: &str = "the body is too costly to check";

/// Checks the request against the method's validator; logs nothing itself.
pub(crate) fn validate(
    method: &Method,
    path_params: &Pairs,
    query: &Pairs,
    headers: &Pairs,
    body: &[u8],
    mime: &str,
) -> Result<(), GatewayResponse> {
    let Some(v) = method.validator else {
        return Ok(());
    };
    if v.parameters {
        let mut missing = Vec::new();
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
                let present = match location {
                    ParamLocation::Header => last_value(headers, &p.name).is_some(),
                    ParamLocation::Path => path_params.iter().any(|(k, _)| *k == p.name),
                    ParamLocation::Query => query.iter().any(|(k, _)| *k == p.name),
                };
                if !present {
                    missing.push(p.name.clone());
                }
            }
        }
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
        let model = method
            .request_models
            .iter()
            .find(|(ct, _)| crate::content::same_type(ct, mime));
        if let Some((_, schema)) = model {
            let problem = match serde_json::from_slice::<Json>(body) {
                Err(_) => Some("the body is not JSON".to_string()),
                Ok(doc) => check(schema, &doc, 0, &mut { MAX_CHECKS }).err(),
            };
            if let Some(p) = problem {
                return Err(GatewayResponse::with_message(
                    GatewayResponseType::BadRequestBody,
                    "Invalid request body",
                )
                .logged(format!(
                    "Request body does not match model schema for content type {mime}: [{p}]"
                )));
            }
        }
    }
    Ok(())
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn type_matches(want: &str, v: &Json) -> bool {
    let got = type_name(v);
    want == got || (want == "number" && got == "integer")
}

/// Checks `doc` against `schema`; the first problem found.
pub(crate) fn check(
    schema: &Json,
    doc: &Json,
    depth: usize,
    fuel: &mut usize,
) -> Result<(), String> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err("the body nests too deeply".into());
    }
    if *fuel == 0 {
        return Err(COSTLY.into());
    }
    *fuel -= 1;
    let Json::Object(s) = schema else {
        return Ok(());
    };
    match s.get("type") {
        Some(Json::String(t)) if !type_matches(t, doc) => {
            return Err(format!(
                "instance type ({}) does not match any allowed primitive type (allowed: [\"{t}\"])",
                type_name(doc)
            ))
        }
        Some(Json::Array(ts))
            if !ts
                .iter()
                .filter_map(Json::as_str)
                .any(|t| type_matches(t, doc)) =>
        {
            return Err(format!(
                "instance type ({}) does not match any allowed primitive type",
                type_name(doc)
            ))
        }
        _ => {}
    }
    let out = check_keywords(s, doc, depth, fuel);
    if *fuel == 0 {
        return Err(COSTLY.into());
    }
    out
}

fn check_keywords(
    s: &serde_json::Map<String, Json>,
    doc: &Json,
    depth: usize,
    fuel: &mut usize,
) -> Result<(), String> {
    if let Some(Json::Array(values)) = s.get("enum") {
        if !values.iter().any(|v| crate::compare::json_eq(v, doc)) {
            return Err("instance value not found in enum".into());
        }
    }
    for (key, all) in [("allOf", true), ("anyOf", false)] {
        if let Some(Json::Array(subs)) = s.get(key) {
            let results: Vec<bool> = subs
                .iter()
                .map(|sub| check(sub, doc, depth + 1, fuel).is_ok())
                .collect();
            let ok = if all {
                results.iter().all(|r| *r)
            } else {
                results.iter().any(|r| *r)
            };
            if !ok {
                return Err(format!("instance failed to match {key}"));
            }
        }
    }
    if let Some(Json::Array(subs)) = s.get("oneOf") {
        if subs
            .iter()
            .filter(|sub| check(sub, doc, depth + 1, fuel).is_ok())
            .count()
            != 1
        {
            return Err("instance failed to match exactly one schema (oneOf)".into());
        }
    }
    if let Some(not) = s.get("not") {
        if check(not, doc, depth + 1, fuel).is_ok() {
            return Err("instance matched a schema which it should not have".into());
        }
    }
    match doc {
        Json::Object(o) => {
            if let Some(Json::Array(req)) = s.get("required") {
                let missing: Vec<&str> = req
                    .iter()
                    .filter_map(Json::as_str)
                    .filter(|k| !o.contains_key(*k))
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "object has missing required properties ({})",
                        serde_json::to_string(&missing).unwrap_or_default()
                    ));
                }
            }
            let props = s.get("properties").and_then(Json::as_object);
            for (k, v) in o {
                match props.and_then(|p| p.get(k)) {
                    Some(sub) => check(sub, v, depth + 1, fuel)?,
                    None => match s.get("additionalProperties") {
                        Some(Json::Bool(false)) => {
                            return Err(format!(
                                "object instance has a property not allowed by the schema ({k:?})"
                            ))
                        }
                        Some(sub @ Json::Object(_)) => check(sub, v, depth + 1, fuel)?,
                        _ => {}
                    },
                }
            }
        }
        Json::Array(items) => {
            if let Some(sub) = s.get("items") {
                for item in items {
                    check(sub, item, depth + 1, fuel)?;
                }
            }
            let n = items.len() as u64;
            if s.get("minItems")
                .and_then(Json::as_u64)
                .is_some_and(|m| n < m)
                || s.get("maxItems")
                    .and_then(Json::as_u64)
                    .is_some_and(|m| n > m)
            {
                return Err("array has the wrong number of items".into());
            }
        }
        Json::String(text) => {
            let n = text.chars().count() as u64;
            if s.get("minLength")
                .and_then(Json::as_u64)
                .is_some_and(|m| n < m)
                || s.get("maxLength")
                    .and_then(Json::as_u64)
                    .is_some_and(|m| n > m)
            {
                return Err("string has the wrong length".into());
            }
        }
        Json::Number(num) => {
            let x = num.as_f64().unwrap_or(0.0);
            if s.get("minimum")
                .and_then(Json::as_f64)
                .is_some_and(|m| x < m)
                || s.get("maximum")
                    .and_then(Json::as_f64)
                    .is_some_and(|m| x > m)
            {
                return Err("numeric instance is out of bounds".into());
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn draft_4_subset() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "array", "items": {"type": "string", "enum": ["x", "y"]}}},
            "required": ["a"], "additionalProperties": false});
        assert!(check(&schema, &json!({"a": 1, "b": ["x"]}), 0, &mut {
            MAX_CHECKS
        })
        .is_ok());
        assert!(check(&schema, &json!({"a": 1.5}), 0, &mut { MAX_CHECKS }).is_ok());
        assert_eq!(
            check(&schema, &json!({"b": []}), 0, &mut { MAX_CHECKS }).unwrap_err(),
            "object has missing required properties ([\"a\"])"
        );
        assert!(check(&schema, &json!({"a": "1"}), 0, &mut { MAX_CHECKS }).is_err());
        assert!(check(&schema, &json!({"a": 1, "b": ["z"]}), 0, &mut {
            MAX_CHECKS
        })
        .is_err());
        assert!(check(&schema, &json!({"a": 1, "c": 0}), 0, &mut { MAX_CHECKS }).is_err());
        assert!(check(&json!({"type": "integer"}), &json!(1.5), 0, &mut {
            MAX_CHECKS
        })
        .is_err());
        assert!(check(
            &json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            &json!(null),
            0,
            &mut { MAX_CHECKS }
        )
        .is_ok());
        assert!(
            check(&json!({"not": {"type": "string"}}), &json!("s"), 0, &mut {
                MAX_CHECKS
            })
            .is_err()
        );
        assert!(check(
            &json!({"type": "string", "maxLength": 2}),
            &json!("abc"),
            0,
            &mut { MAX_CHECKS }
        )
        .is_err());
        assert!(check(&json!({"minimum": 3}), &json!(2), 0, &mut { MAX_CHECKS }).is_err());
    }

    #[test]
    fn costly_bodies_are_bounded() {
        let schema =
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}]}});
        let doc = Json::Array(vec![json!(1); 100]);
        assert!(check(&schema, &doc, 0, &mut { MAX_CHECKS }).is_ok());
        assert_eq!(
            check(&schema, &doc, 0, &mut 50).unwrap_err(),
            "the body is too costly to check"
        );
    }

    #[test]
    fn deep_bodies_are_bounded() {
        let mut schema = json!({"type": "object"});
        for _ in 0..100 {
            schema = json!({"properties": {"a": schema}});
        }
        let mut doc = json!(1);
        for _ in 0..100 {
            doc = json!({"a": doc});
        }
        assert!(check(&schema, &doc, 0, &mut { MAX_CHECKS }).is_err());
    }
}
