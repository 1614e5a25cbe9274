//! Why a method ran as it did, for the playground's Method mode: the method a request was
//! routed to, the request template chosen for its `Content-Type` (or the passthrough), and
//! the integration response the backend's answer selected (the selection value and each
//! pattern tried). It restates the gateway's documented rules over its public model; the
//! invocation itself (status, headers, body, log) always comes from `vtl_gateway`.

use java_regex::JavaRegex;
use serde_json::{json, Value as Json};
use vtl_gateway::content::{mime_type, response_template, same_type};
use vtl_gateway::model::{Integration, IntegrationType, MappingTemplate, Method, Resource};
use vtl_gateway::{Api, EndpointResponse, Invocation, MethodRequest};

/// The `Content-Type` a request template is chosen for when the request has none.
const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// `{method, requestTemplate, integrationResponse}` for one invocation; `answer` is what the
/// backend answered (after the Lambda payload conversion), `None` for MOCK or no call.
pub(crate) fn trace_json(
    api: &Api,
    request: &MethodRequest,
    inv: &Invocation,
    answer: Option<&EndpointResponse>,
) -> Json {
    let Some((resource, method)) = route(&api.spec().resources, request) else {
        return json!({"method": null, "requestTemplate": null, "integrationResponse": null});
    };
    let integration = method.integration.as_ref();
    let method_json = json!({
        "httpMethod": method.http_method,
        "path": resource.path,
        "integrationType": integration.map(|i| i.kind.name()),
        "pointer": method.pointer,
    });
    let Some(integration) = integration else {
        return json!({"method": method_json, "requestTemplate": null, "integrationResponse": null});
    };
    if integration.kind.is_proxy() {
        return json!({
            "method": method_json,
            "requestTemplate": {"proxy": true},
            "integrationResponse": {"proxy": true},
        });
    }
    let mime = request
        .header("Content-Type")
        .map(mime_type)
        .filter(|m| !m.is_empty() && !api.options().force_json_content_type)
        .unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_string());
    let chosen = integration
        .request_templates
        .iter()
        .find(|t| same_type(&t.content_type, &mime));
    let request_template = json!({
        "contentType": mime,
        "passthroughBehavior": integration.passthrough.name(),
        "template": chosen.map(template_json),
        "available": integration.request_templates.iter().map(|t| &t.content_type).collect::<Vec<_>>(),
    });
    let mock = integration.kind == IntegrationType::Mock;
    let reached = inv.endpoint_request.is_some() || (mock && answer.is_none());
    let response = if !reached {
        Json::Null
    } else {
        let value = if mock {
            mock_status(api, request)
        } else {
            answer.map(|a| {
                if integration.is_lambda() {
                    lambda_error_message(&a.body)
                } else {
                    a.status.to_string()
                }
            })
        };
        selection_json(integration, value, mock, request.header("Accept"))
    };
    json!({"method": method_json, "requestTemplate": request_template, "integrationResponse": response})
}

fn template_json(t: &MappingTemplate) -> Json {
    json!({"contentType": t.content_type, "pointer": t.pointer, "source": t.source})
}

/// The MOCK status its request template chose (`{"statusCode": N}`), `None` without one.
fn mock_status(api: &Api, request: &MethodRequest) -> Option<String> {
    let sent = api.integration_request(request).ok()?;
    let out: Json = serde_json::from_slice(&sent.body).ok()?;
    match out.get("statusCode")? {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// A Lambda answer's `errorMessage` (`""` for a success), the value patterns are matched on.
fn lambda_error_message(body: &[u8]) -> String {
    match serde_json::from_slice::<Json>(body) {
        Ok(Json::Object(m)) => match m.get("errorMessage") {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Null) | None => String::new(),
            Some(other) => other.to_string(),
        },
        _ => String::new(),
    }
}

/// Each integration response in the order they are tried (ascending status), whether its
/// pattern matches the whole selection value, and the one selected (the first match, else
/// the default).
fn selection_json(
    integration: &Integration,
    value: Option<String>,
    mock: bool,
    accept: Option<&str>,
) -> Json {
    let mut order: Vec<_> = integration.responses.iter().collect();
    order.sort_by_key(|r| r.status);
    let mut selected = None;
    let mut tried = Vec::new();
    for (i, r) in order.iter().enumerate() {
        let matched = match (&r.selection_pattern, &value) {
            (Some(p), Some(v)) if !p.is_empty() => {
                JavaRegex::new(p).is_ok_and(|re| re.matches(v).unwrap_or(false))
            }
            _ => false,
        };
        if matched && selected.is_none() {
            selected = Some(i);
        }
        tried.push(json!({
            "pattern": r.selection_pattern.clone().filter(|p| !p.is_empty()),
            "status": r.status,
            "default": r.is_default(),
            "matches": matched,
            "pointer": r.pointer,
        }));
    }
    let by_default = selected.is_none();
    let selected = selected.or_else(|| order.iter().position(|r| r.is_default()));
    let template = selected
        .and_then(|i| response_template(&order[i].response_templates, accept).map(template_json));
    json!({
        "selectionValue": value,
        "selectionSource": if mock { "statusCode" } else if integration.is_lambda() { "errorMessage" } else { "status" },
        "responses": tried,
        "selected": selected,
        "byDefault": by_default && selected.is_some(),
        "template": template,
    })
}

fn segments(p: &str) -> Vec<&str> {
    let t = p.trim_matches('/');
    if t.is_empty() {
        Vec::new()
    } else {
        t.split('/').collect()
    }
}

/// The most specific resource with the request's method (or `ANY`) whose path matches.
fn route<'a>(
    resources: &'a [Resource],
    request: &MethodRequest,
) -> Option<(&'a Resource, &'a Method)> {
    let path = segments(&request.path);
    let mut best: Option<(Vec<u8>, &Resource, &Method)> = None;
    for r in resources {
        let Some(m) = r
            .methods
            .iter()
            .find(|m| m.http_method.eq_ignore_ascii_case(&request.http_method))
            .or_else(|| r.methods.iter().find(|m| m.http_method == "ANY"))
        else {
            continue;
        };
        let template = segments(&r.path);
        let mut rank = Vec::new();
        let mut ok = true;
        for (i, seg) in template.iter().enumerate() {
            if seg.starts_with('{') && seg.ends_with("+}") {
                ok = i + 1 == template.len() && path.len() > i;
                rank.push(2);
                break;
            }
            match path.get(i) {
                Some(p) if seg.starts_with('{') && !p.is_empty() => rank.push(1),
                Some(p) if p == seg => rank.push(0),
                _ => ok = false,
            }
            if i + 1 == template.len() && path.len() != template.len() {
                ok = false;
            }
        }
        if template.is_empty() && !path.is_empty() {
            ok = false;
        }
        if ok && best.as_ref().is_none_or(|(s, _, _)| rank < *s) {
            best = Some((rank, r, m));
        }
    }
    best.map(|(_, r, m)| (r, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PETS: &str = include_str!("../../examples/pets/openapi.yaml");

    fn run(request: MethodRequest, answer: Option<EndpointResponse>) -> (Invocation, Json) {
        let api = Api::load(PETS).unwrap();
        let mut sent = None;
        let inv = api.invoke(&request, |e| {
            let a = answer.clone().unwrap_or_else(|| EndpointResponse::new(200));
            let a = if e.is_lambda() {
                a.as_lambda_payload()
            } else {
                a
            };
            sent = Some(a.clone());
            a
        });
        let trace = trace_json(&api, &request, &inv, sent.as_ref());
        (inv, trace)
    }

    #[test]
    fn a_lambda_error_message_selects_its_pattern() {
        let body = r#"{"errorMessage": "Pet 99 not found", "errorType": "NotFoundError"}"#;
        let (inv, t) = run(
            MethodRequest::new("GET", "/pets/99"),
            Some(EndpointResponse::new(200).with_body(body)),
        );
        assert_eq!(inv.response.status, 404);
        assert_eq!(t["method"]["path"], "/pets/{id}");
        let r = &t["integrationResponse"];
        assert_eq!(r["selectionValue"], "Pet 99 not found", "{t}");
        assert_eq!(r["selectionSource"], "errorMessage");
        let chosen = &r["responses"][r["selected"].as_u64().unwrap() as usize];
        assert_eq!(chosen["status"], 404, "{t}");
        assert_eq!(chosen["matches"], true);
        assert_eq!(r["byDefault"], false);
        assert_eq!(t["requestTemplate"]["contentType"], "application/json");
    }

    #[test]
    fn an_unmatched_status_takes_the_default_and_mock_reads_its_template() {
        let req = MethodRequest::new("GET", "/pets?limit=2")
            .with_header("X-Request-Id", "r")
            .with_stage_variable("registryHost", "h")
            .with_stage_variable("registryKey", "k");
        let (inv, t) = run(req, Some(EndpointResponse::new(404)));
        let r = &t["integrationResponse"];
        assert_eq!(r["selectionValue"], "404", "{t}");
        assert_eq!(r["byDefault"], true);
        let chosen = &r["responses"][r["selected"].as_u64().unwrap() as usize];
        assert_eq!(
            chosen["status"].as_u64(),
            Some(u64::from(inv.response.status))
        );

        let (inv, t) = run(MethodRequest::new("OPTIONS", "/pets"), None);
        assert_eq!(inv.response.status, 200);
        assert_eq!(t["method"]["integrationType"], "MOCK", "{t}");
        assert_eq!(t["integrationResponse"]["selectionValue"], "200", "{t}");
        assert!(route(
            &Api::load(PETS).unwrap().spec().resources,
            &MethodRequest::new("GET", "/nope")
        )
        .is_none());
    }
}
