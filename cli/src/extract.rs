//! `vtl extract`: pull templates out of OpenAPI exports and CloudFormation/SAM templates.
//!
//! The spec is read by `vtl_gateway::spec`, the loader `vtl invoke` and method-level cases use.
//!
//! OpenAPI 2/3 documents (JSON or YAML) give `x-amazon-apigateway-integration` blocks per
//! operation; CloudFormation/SAM templates give `AWS::ApiGateway::Method` integrations and the
//! OpenAPI documents inside `AWS::Serverless::Api` `DefinitionBody` / `AWS::ApiGateway::RestApi`
//! `Body`. YAML intrinsic tags (`!Sub`, `!Ref`, …) are read as their long form (`{"Fn::Sub": …}`,
//! a tagged scalar as its text), so templates written with `!Sub` come out as text.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl::{Engine, Profile, Request};
use vtl_gateway::model::{ParamLocation, Spec};
use vtl_gateway::spec;

use crate::failure::Failure;
use crate::io;

/// Arguments of `vtl extract`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl extract openapi.json --list
  vtl extract template.yaml --out templates/
  vtl extract api.yaml --out cases/ --scaffold && vtl test cases/

With --scaffold, every template gets a case folder (the template, a request skeleton and its
rendered result) and every method a method-level case in cases/methods.cases.json (a sample
request, a sample backend answer, and the status, body and endpoint request the method gives):
edit the requests and answers, then `vtl test --update` records the new expectations.

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

    /// With --out, also create a `vtl test` case folder next to each template, and a
    /// method-level case per method in `methods.cases.json`.
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
    let no_templates = || {
        Failure::usage(format!(
            "{name}: no mapping templates found (expected an OpenAPI document with \
             x-amazon-apigateway-integration, or a CloudFormation/SAM template)"
        ))
    };
    let doc = spec::parse_document(&text).map_err(|e| Failure::usage(format!("{name}: {e}")))?;
    let model = match spec::read(&doc) {
        Ok(m) => m,
        Err(e) if e.pointer() == Some("") => return Err(no_templates()),
        Err(e) => return Err(Failure::usage(format!("{name}: {e}"))),
    };
    let found = collect(&model);
    if found.is_empty() {
        return Err(no_templates());
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
            let methods = scaffold_methods(&args.spec, &doc, &model, dir)?;
            let _ = write!(
                out,
                " ({methods} method cases in {METHOD_CASES}, {cases} case folders)"
            );
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

/// Every mapping template of the model (the loader shared with `vtl invoke`), in spec order.
fn collect(spec: &Spec) -> Vec<Found> {
    spec.templates()
        .into_iter()
        .map(|(resource, method, template, status)| {
            let mut params: Vec<(&'static str, String)> = resource
                .path
                .split('/')
                .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(|name| ("path", name.trim_end_matches('+').to_string()))
                .collect();
            for p in &method.parameters {
                match p.location {
                    ParamLocation::Query => params.push(("querystring", p.name.clone())),
                    ParamLocation::Header => params.push(("header", p.name.clone())),
                    ParamLocation::Path => {}
                }
            }
            let passthrough = method
                .integration
                .as_ref()
                .and_then(|i| i.passthrough_text.clone());
            Found {
                path: resource.path.clone(),
                method: method.http_method.clone(),
                kind: if status.is_some() {
                    Kind::Response
                } else {
                    Kind::Request
                },
                status: status.map(|s| s.to_string()),
                content_type: template.content_type.clone(),
                passthrough,
                template: template.source.clone(),
                params,
            }
        })
        .collect()
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

/// The case document `--scaffold` writes method-level cases to.
const METHOD_CASES: &str = "methods.cases.json";

/// How `to` is reached from the folder `from` (both made absolute), for a case's `spec`.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let from = std::fs::canonicalize(from).ok()?;
    let to = std::fs::canonicalize(to).ok()?;
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), a.len() - common).collect();
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

/// Writes one method-level case per method with an integration, its expectations recorded
/// from a run of the pipeline. Returns how many were written.
fn scaffold_methods(
    spec_arg: &str,
    doc: &Json,
    model: &Spec,
    dir: &Path,
) -> Result<usize, Failure> {
    use serde_json::json;
    std::fs::create_dir_all(dir).map_err(|e| Failure::usage(format!("{}: {e}", dir.display())))?;
    let spec_ref = if spec_arg == io::STDIN {
        None
    } else {
        relative_path(dir, Path::new(spec_arg))
    };
    let mut cache = vtl_gateway::case::SpecCache::new();
    let mut cases = Vec::new();
    for resource in &model.resources {
        for method in &resource.methods {
            let Some(integration) = &method.integration else {
                continue;
            };
            let path: Vec<String> = resource
                .path
                .split('/')
                .map(
                    |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => format!("{}-1", name.trim_end_matches('+')),
                        None => seg.to_string(),
                    },
                )
                .collect();
            let mut path = path.join("/");
            if path.is_empty() {
                path = "/".into();
            }
            let query: Vec<String> = method
                .parameters
                .iter()
                .filter(|p| p.location == ParamLocation::Query)
                .map(|p| format!("{0}={0}-1", p.name))
                .collect();
            if !query.is_empty() {
                path = format!("{path}?{}", query.join("&"));
            }
            let mut headers = serde_json::Map::new();
            for p in method
                .parameters
                .iter()
                .filter(|p| p.location == ParamLocation::Header)
            {
                headers.insert(p.name.clone(), Json::from(format!("{}-1", p.name)));
            }
            if let Some(t) = integration.request_templates.first() {
                headers.insert("Content-Type".into(), Json::from(t.content_type.clone()));
            }
            let http_method = if method.http_method == "ANY" {
                "GET".to_string()
            } else {
                method.http_method.clone()
            };
            let mut entry = json!({
                "name": format!("{} {}", method.http_method, resource.path),
                "spec": spec_ref.clone().map_or_else(|| doc.clone(), Json::from),
                "method": http_method,
                "path": path,
                "headers": headers,
                "body": {},
            });
            if model.extensions {
                entry["extensions"] = Json::Bool(true);
            }
            let answer = match integration.kind {
                vtl_gateway::IntegrationType::Mock => None,
                vtl_gateway::IntegrationType::AwsProxy => {
                    Some(json!({"status": 200, "body": {"statusCode": 200, "body": "{}"}}))
                }
                _ => Some(
                    json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": {}}),
                ),
            };
            if let Some(a) = answer {
                entry["endpointResponse"] = a;
            }
            let case = vtl_gateway::case::Case::from_json(&entry, dir)
                .map_err(|m| Failure::usage(format!("method case {}: {m}", entry["name"])))?;
            let Ok(api) = cache.api(&case) else {
                // A template that does not compile: its case folder shows the error.
                continue;
            };
            let run = case.run(&api);
            if let Json::Object(m) = &mut entry {
                case.update(m, &run);
            }
            cases.push(entry);
        }
    }
    if cases.is_empty() {
        return Ok(0);
    }
    let n = cases.len();
    let text = vtl_gateway::compare::pretty(&json!({ "cases": cases }));
    write(&dir.join(METHOD_CASES), &text)?;
    Ok(n)
}
