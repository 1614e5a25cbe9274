//! `vtl extract`: pull templates out of OpenAPI exports and CloudFormation/SAM templates.
//!
//! OpenAPI 2/3 documents (JSON or YAML) give `x-amazon-apigateway-integration` blocks per
//! operation; CloudFormation/SAM templates give `AWS::ApiGateway::Method` integrations and the
//! OpenAPI documents inside `AWS::Serverless::Api` `DefinitionBody` / `AWS::ApiGateway::RestApi`
//! `Body`. YAML intrinsic tags (`!Sub`, `!Ref`, …) are read as their long form (`{"Fn::Sub": …}`,
//! a tagged scalar as its text), so templates written with `!Sub` come out as text.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};
use vtl::{Engine, Profile, Request};

use crate::{io, Failure};

/// Arguments of `vtl extract`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl extract openapi.json --list
  vtl extract template.yaml --out templates/
  vtl extract api.yaml --out cases/ --scaffold && vtl test cases/

Files are named PATH/METHOD/request/CONTENT_TYPE.vtl and PATH/METHOD/response/STATUS/CONTENT_TYPE.vtl
(`/pets/{id}` becomes `pets_{id}`, `application/json` becomes `application_json`).
Without --out, the index is printed (as with --list).")]
pub struct Args {
    /// OpenAPI 2/3 export or CloudFormation/SAM template (JSON or YAML; `-` for standard input).
    #[arg(value_name = "SPEC")]
    spec: String,

    /// Write one file per template under this folder.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// With --out, also create a `vtl test` case folder next to each template.
    #[arg(long, requires = "out")]
    scaffold: bool,

    /// Print an index of the templates found.
    #[arg(long)]
    list: bool,
}

/// Where a template goes in the integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
}

/// One mapping template found in the spec.
#[derive(Debug, Clone)]
struct Found {
    path: String,
    method: String,
    kind: Kind,
    status: Option<String>,
    content_type: String,
    passthrough: Option<String>,
    template: String,
    /// Parameter names by location (`path`, `querystring`, `header`), for scaffolds.
    params: Vec<(&'static str, String)>,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let text = io::read_text(&args.spec)?;
    let name = io::display_name(&args.spec).to_string();
    let doc = parse_spec(&text).map_err(|m| Failure::usage(format!("{name}: {m}")))?;
    let found = collect(&doc);
    if found.is_empty() {
        return Err(Failure::usage(format!(
            "{name}: no mapping templates found (expected an OpenAPI document with \
             x-amazon-apigateway-integration, or a CloudFormation/SAM template)"
        )));
    }
    let files = file_names(&found);
    let mut out = String::new();
    if args.list || args.out.is_none() {
        out.push_str(&index(&found));
    }
    if let Some(dir) = &args.out {
        let mut cases = 0;
        for (f, rel) in found.iter().zip(&files) {
            let file = dir.join(format!("{rel}.vtl"));
            write(&file, &f.template)?;
            if args.scaffold {
                scaffold(&dir.join(rel), f)?;
                cases += 1;
            }
        }
        let _ = write!(
            out,
            "wrote {} template{} to {}",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            dir.display()
        );
        if args.scaffold {
            let _ = write!(out, " ({cases} case folders)");
        }
        out.push('\n');
    }
    io::write_output(None, &out)
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::usage(format!("{}: {e}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

/// Parses JSON, else YAML (with intrinsic tags turned into their long form).
fn parse_spec(text: &str) -> Result<Json, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|e| format!("{}:{}: invalid JSON: {e}", e.line(), e.column()));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    Ok(yaml_to_json(yaml))
}

fn yaml_to_json(v: serde_yaml_ng::Value) -> Json {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(b),
        Y::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Json::Null),
        Y::String(s) => Json::String(s),
        Y::Sequence(items) => Json::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Json::Object(
            m.into_iter()
                .map(|(k, v)| (scalar_text(&yaml_to_json(k)), yaml_to_json(v)))
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let value = yaml_to_json(t.value);
            match value {
                // `!Ref X`, `!Sub "text"`, `!GetAtt A.B`: the scalar's text.
                Json::String(_) | Json::Number(_) | Json::Bool(_) | Json::Null => {
                    Json::String(scalar_text(&value))
                }
                other => {
                    let key = if name == "Ref" || name == "Condition" {
                        name.to_string()
                    } else {
                        format!("Fn::{name}")
                    };
                    json!({ key: other })
                }
            }
        }
    }
}

fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// A template value as text: a string, or the template of `Fn::Sub`.
fn template_text(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Object(m) => match m.get("Fn::Sub") {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Array(a)) => a.first().and_then(Json::as_str).map(str::to_string),
            _ => None,
        },
        _ => None,
    }
}

fn collect(doc: &Json) -> Vec<Found> {
    let mut out = Vec::new();
    if doc.get("paths").is_some() {
        openapi(doc, &mut out);
    }
    if let Some(resources) = doc.get("Resources").and_then(Json::as_object) {
        cloudformation(resources, &mut out);
    }
    out
}

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

fn openapi(doc: &Json, out: &mut Vec<Found>) {
    let Some(paths) = doc.get("paths").and_then(Json::as_object) else {
        return;
    };
    for (path, item) in paths {
        let shared = item.get("parameters");
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let Some(integration) = op.get("x-amazon-apigateway-integration") else {
                continue;
            };
            let method = if method.starts_with("x-") {
                "ANY".to_string()
            } else {
                method.to_uppercase()
            };
            let mut params = path_params(path);
            for list in [shared, op.get("parameters")].into_iter().flatten() {
                for p in list.as_array().into_iter().flatten() {
                    let location = match p.get("in").and_then(Json::as_str) {
                        Some("query") => "querystring",
                        Some("header") => "header",
                        _ => continue,
                    };
                    if let Some(name) = p.get("name").and_then(Json::as_str) {
                        params.push((location, name.to_string()));
                    }
                }
            }
            integration_templates(
                out,
                path,
                &method,
                &params,
                integration.get("requestTemplates"),
                integration.get("passthroughBehavior"),
                integration
                    .get("responses")
                    .and_then(Json::as_object)
                    .map(|r| {
                        r.iter()
                            .map(|(key, resp)| {
                                let status = resp
                                    .get("statusCode")
                                    .map(scalar_text)
                                    .unwrap_or_else(|| key.clone());
                                (status, resp.get("responseTemplates"))
                            })
                            .collect()
                    }),
            );
        }
    }
}

type Responses<'a> = Option<Vec<(String, Option<&'a Json>)>>;

fn integration_templates(
    out: &mut Vec<Found>,
    path: &str,
    method: &str,
    params: &[(&'static str, String)],
    request: Option<&Json>,
    passthrough: Option<&Json>,
    responses: Responses<'_>,
) {
    let base = |kind, status: Option<String>, content_type: &str, template: String| Found {
        path: path.to_string(),
        method: method.to_string(),
        kind,
        status,
        content_type: content_type.to_string(),
        passthrough: passthrough.map(scalar_text),
        template,
        params: params.to_vec(),
    };
    for (ct, t) in request.and_then(Json::as_object).into_iter().flatten() {
        if let Some(text) = template_text(t) {
            out.push(base(Kind::Request, None, ct, text));
        }
    }
    for (status, templates) in responses.into_iter().flatten() {
        for (ct, t) in templates.and_then(Json::as_object).into_iter().flatten() {
            if let Some(text) = template_text(t) {
                out.push(base(Kind::Response, Some(status.clone()), ct, text));
            }
        }
    }
}

fn path_params(path: &str) -> Vec<(&'static str, String)> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| ("path", name.trim_end_matches('+').to_string()))
        .collect()
}

/// The logical id a `Ref` points to (`!Ref X` reads as `"X"`).
fn ref_name(v: &Json) -> Option<&str> {
    match v {
        Json::String(s) => Some(s),
        Json::Object(m) => m.get("Ref").and_then(Json::as_str),
        _ => None,
    }
}

/// The path of an `AWS::ApiGateway::Resource`, following `ParentId` up to the root.
fn resource_path(resources: &Map<String, Json>, id: Option<&Json>) -> String {
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
        parts.push(scalar_text(&props["PathPart"]));
        current = props.get("ParentId").and_then(ref_name).map(str::to_string);
        if parts.len() > 64 {
            break;
        }
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

fn cloudformation(resources: &Map<String, Json>, out: &mut Vec<Found>) {
    for res in resources.values() {
        let props = &res["Properties"];
        match res.get("Type").and_then(Json::as_str) {
            Some("AWS::ApiGateway::Method") => {
                let integration = &props["Integration"];
                let path = resource_path(resources, props.get("ResourceId"));
                let method = scalar_text(&props["HttpMethod"]).to_uppercase();
                let mut params = path_params(&path);
                for name in props
                    .get("RequestParameters")
                    .and_then(Json::as_object)
                    .into_iter()
                    .flat_map(|m| m.keys())
                {
                    let mut it = name.splitn(4, '.');
                    if let (Some("method"), Some("request"), Some(loc), Some(n)) =
                        (it.next(), it.next(), it.next(), it.next())
                    {
                        match loc {
                            "querystring" => params.push(("querystring", n.to_string())),
                            "header" => params.push(("header", n.to_string())),
                            _ => {}
                        }
                    }
                }
                let responses = integration
                    .get("IntegrationResponses")
                    .and_then(Json::as_array)
                    .map(|list| {
                        list.iter()
                            .map(|r| {
                                let status = r
                                    .get("StatusCode")
                                    .map(scalar_text)
                                    .unwrap_or_else(|| "default".into());
                                (status, r.get("ResponseTemplates"))
                            })
                            .collect()
                    });
                integration_templates(
                    out,
                    &path,
                    &method,
                    &params,
                    integration.get("RequestTemplates"),
                    integration.get("PassthroughBehavior"),
                    responses,
                );
            }
            Some("AWS::Serverless::Api") => {
                if let Some(body) = props.get("DefinitionBody") {
                    openapi(body, out);
                }
            }
            Some("AWS::ApiGateway::RestApi") => {
                if let Some(body) = props.get("Body") {
                    openapi(body, out);
                }
            }
            _ => {}
        }
    }
}

/// Replaces characters that are awkward in file names with `_`.
fn sanitize(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "{}-_.+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "_".to_string(),
        s => s.to_string(),
    }
}

/// Relative file names (without `.vtl`), made unique with a numeric suffix.
fn file_names(found: &[Found]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    found
        .iter()
        .map(|f| {
            let trimmed = f.path.trim_matches('/');
            let path = if trimmed.is_empty() {
                "_root".to_string()
            } else {
                trimmed
                    .split('/')
                    .map(sanitize)
                    .collect::<Vec<_>>()
                    .join("_")
            };
            let mut name = format!("{path}/{}", sanitize(&f.method));
            match (f.kind, &f.status) {
                (Kind::Request, _) => name.push_str("/request"),
                (Kind::Response, status) => {
                    let _ = write!(
                        name,
                        "/response/{}",
                        sanitize(status.as_deref().unwrap_or("default"))
                    );
                }
            }
            let _ = write!(name, "/{}", sanitize(&f.content_type));
            let mut unique = name.clone();
            let mut n = 2;
            while !seen.insert(unique.clone()) {
                unique = format!("{name}_{n}");
                n += 1;
            }
            unique
        })
        .collect()
}

fn index(found: &[Found]) -> String {
    let header = [
        "PATH",
        "METHOD",
        "KIND",
        "STATUS",
        "CONTENT TYPE",
        "SIZE",
        "PASSTHROUGH",
    ];
    let rows: Vec<[String; 7]> = found
        .iter()
        .map(|f| {
            [
                f.path.clone(),
                f.method.clone(),
                match f.kind {
                    Kind::Request => "request",
                    Kind::Response => "response",
                }
                .to_string(),
                f.status.clone().unwrap_or_else(|| "-".into()),
                f.content_type.clone(),
                f.template.len().to_string(),
                match (f.kind, &f.passthrough) {
                    (Kind::Request, Some(p)) => p.clone(),
                    _ => "-".into(),
                },
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i == 5 {
                let _ = write!(l, "{cell:>w$}  ");
            } else {
                let _ = write!(l, "{cell:<w$}  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// A `vtl test` case folder for one template: the template, a request skeleton and the
/// expected result of rendering it.
fn scaffold(dir: &Path, f: &Found) -> Result<(), Failure> {
    let mut request = Request {
        body: "{}".into(),
        content_type: Some(f.content_type.clone()),
        ..Request::default()
    };
    for (location, name) in &f.params {
        let target = match *location {
            "path" => &mut request.params.path,
            "querystring" => &mut request.params.querystring,
            _ => &mut request.params.header,
        };
        target.insert(name.clone(), vec![format!("{name}-1")]);
    }
    write(&dir.join("template.vtl"), &f.template)?;
    let request_text = serde_json::to_string_pretty(&request.to_json()).unwrap_or_default() + "\n";
    write(&dir.join("request.json"), &request_text)?;
    let engine = Engine::new(Profile::Aws);
    let result = engine
        .compile(&f.template)
        .and_then(|t| t.render_request(&request, &Json::Null));
    let (file, text) = match result {
        Ok(r) => (
            crate::test_cmd::expected_file_for_output(&r.output),
            r.output,
        ),
        Err(e) => (
            "expected-error.txt",
            format!("{}: {}\n", e.kind().label(), e.message()),
        ),
    };
    write(&dir.join(file), &text)
}
