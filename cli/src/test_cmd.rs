//! `vtl test`: golden cases.
//!
//! A case is either a folder holding `template.vtl` (or `template.vm`), optional `request.json`
//! (the request-file shape), `vars.json` and `case.json`
//! (`{"profile", "extensions", "fuel", "requestOverride", "responseOverride"}`), and one of
//! `expected.txt|.json|.xml` or `expected-error.txt`; or an entry of a `*.cases.json` /
//! `*.cases.yaml` document `{"cases": [{"name", "template", "request", "vars", "profile",
//! "extensions", "fuel", "expected" | "expectedJson" | "expectedXml" | "expectedError",
//! "requestOverride", "responseOverride"}]}`.
//!
//! An entry (or a folder's `case.json`) that names a `spec` and a `method` instead of a
//! template is a method-level case, run through the whole method by `method_cases.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};
use vtl::{Engine, Error, Profile, Rendered, Request};
use vtl_gateway::case::SpecCache;
use vtl_gateway::compare::{self, pretty, subset, Expected};

use crate::method_cases::{self, MethodCase};

use crate::failure::Failure;

/// Exit status when at least one case fails.
const EXIT_FAILED: u8 = 1;

/// Expected-output files of a case folder, in the order they are looked for.
const EXPECTED_FILES: [&str; 4] = [
    "expected.txt",
    "expected.json",
    "expected.xml",
    "expected-error.txt",
];

/// Arguments of `vtl test`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  vtl test examples/
  vtl test cases/ --filter soap --format junit > report.xml
  vtl test my.cases.yaml --update

A case folder holds template.vtl (or template.vm), optional request.json, vars.json and
case.json ({\"profile\", \"extensions\", \"fuel\", \"requestOverride\", \"responseOverride\"}), and one of
expected.txt, expected.json, expected.xml or expected-error.txt (a substring of the error).
*.cases.json and *.cases.yaml files hold many cases: {\"cases\": [{\"name\", \"template\",
\"request\", \"vars\", \"expected\" | \"expectedJson\" | \"expectedXml\" | \"expectedError\", ...}]}.

A method-level case names a spec and a method instead of a template (an entry of a case
document, or a folder's case.json): {\"name\", \"spec\": \"openapi.yaml\", \"method\": \"GET\", \"path\":
\"/pets/1\", \"headers\", \"body\", \"endpointResponse\": {\"status\", \"headers\", \"body\"},
\"expectedStatus\", \"expectedHeaders\", \"expected\" | \"expectedJson\" | \"expectedXml\",
\"expectedEndpointRequest\" (null: the backend is not called), \"expectedLog\": [...]}.

The last line is always `N passed, N failed` (on standard error with --format json|junit).
Exit status: 0 all cases passed, 1 a case failed, 2 usage or I/O error.")]
pub struct Args {
    /// Case folders, case documents, or folders searched recursively for both.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<String>,

    /// Overwrite the expectations of failing or unexpected cases with the actual results.
    #[arg(long)]
    update: bool,

    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "SUBSTR")]
    filter: Option<String>,

    /// Compare JSON and XML expectations byte for byte.
    #[arg(long)]
    exact: bool,

    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,

    /// Profile for the cases that do not name one.
    #[arg(long, value_name = "PROFILE", default_value = "aws", value_parser = parse_profile)]
    profile: Profile,
}

/// How results are reported.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// One line per case, diffs under failures.
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
}

/// What a case expects.
#[derive(Debug, Clone)]
enum Expect {
    Text(String),
    Json(String),
    Xml(String),
    Error(String),
    Nothing,
}

/// Where a case came from (where `--update` writes).
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Folder(PathBuf),
    Doc { file: usize, index: usize },
}

/// One loaded case.
#[derive(Debug)]
struct Case {
    name: String,
    template_name: String,
    template: String,
    request: Option<Json>,
    vars: Json,
    profile: Option<Profile>,
    extensions: bool,
    /// The evaluation budget (`fuel` in case.json or the case), if not the profile's.
    fuel: Option<u64>,
    expect: Expect,
    request_override: Option<Json>,
    response_override: Option<Json>,
    origin: Origin,
}

/// A case document (`*.cases.json` / `*.cases.yaml`).
pub(crate) struct Doc {
    path: PathBuf,
    yaml: bool,
    /// Does the YAML text have comment lines (which rewriting it loses)?
    comments: bool,
    pub(crate) value: Json,
    pub(crate) dirty: bool,
}

/// A loaded case: a template case or a method-level one.
enum Item {
    Template(Box<Case>),
    Method(Box<MethodCase>),
}

impl Item {
    fn name(&self) -> &str {
        match self {
            Item::Template(c) => &c.name,
            Item::Method(m) => &m.name,
        }
    }
}

/// The result of one case.
pub(crate) enum Status {
    Pass,
    Updated(String),
    Fail {
        message: String,
        diff: Option<String>,
    },
    Skip(String),
}

struct Outcome {
    name: String,
    status: Status,
}

/// Runs the command.
pub fn run(args: Args) -> Result<(), Failure> {
    let mut docs = Vec::new();
    let mut loaded: Loaded = Vec::new();
    for path in &args.paths {
        let p = Path::new(path);
        if !p.exists() {
            return Err(Failure::usage(format!("{path}: no such file or directory")));
        }
        discover(p, &mut docs, &mut loaded)?;
    }
    let mut outcomes = Vec::new();
    let mut specs = SpecCache::new();
    for case in loaded {
        let name = match &case {
            Ok(c) => c.name().to_string(),
            Err((name, _)) => name.clone(),
        };
        if let Some(f) = &args.filter {
            if !name.contains(f.as_str()) {
                continue;
            }
        }
        let status = match case {
            Err((_, message)) => Status::Fail {
                message,
                diff: None,
            },
            Ok(Item::Template(case)) => run_case(&case, &args, &mut docs),
            Ok(Item::Method(m)) => {
                method_cases::run(&m, args.update, args.exact, &mut docs, &mut specs)
            }
        };
        outcomes.push(Outcome { name, status });
    }
    for doc in docs.iter().filter(|d| d.dirty) {
        let text = if doc.yaml {
            serde_yaml_ng::to_string(&doc.value)
                .map_err(|e| Failure::usage(format!("{}: {e}", doc.path.display())))?
        } else {
            serde_json::to_string_pretty(&doc.value).unwrap_or_default() + "\n"
        };
        std::fs::write(&doc.path, text)
            .map_err(|e| Failure::usage(format!("{}: {e}", doc.path.display())))?;
        if doc.comments {
            eprintln!(
                "warning: {}: rewritten by --update; its YAML comments were not kept",
                show(&doc.path)
            );
        }
    }
    report(&outcomes, args.format)
}

fn report(outcomes: &[Outcome], format: Format) -> Result<(), Failure> {
    let count = |f: fn(&Status) -> bool| outcomes.iter().filter(|o| f(&o.status)).count();
    let passed = count(|s| matches!(s, Status::Pass | Status::Updated(_)));
    let failed = count(|s| matches!(s, Status::Fail { .. }));
    let skipped = count(|s| matches!(s, Status::Skip(_)));
    let mut summary = format!("{passed} passed, {failed} failed");
    if skipped > 0 {
        let _ = write!(summary, ", {skipped} skipped");
    }
    let mut out = String::new();
    match format {
        Format::Human => {
            for o in outcomes {
                match &o.status {
                    Status::Pass => {
                        let _ = writeln!(out, "PASS {}", o.name);
                    }
                    Status::Updated(what) => {
                        let _ = writeln!(out, "UPDATED {} ({what})", o.name);
                    }
                    Status::Skip(why) => {
                        let _ = writeln!(out, "SKIP {} ({why})", o.name);
                    }
                    Status::Fail { message, diff } => {
                        let _ = writeln!(out, "FAIL {}", o.name);
                        for line in message.lines() {
                            let _ = writeln!(out, "  {line}");
                        }
                        if let Some(diff) = diff {
                            for line in diff.lines() {
                                let _ = writeln!(out, "  {line}");
                            }
                        }
                    }
                }
            }
            if !outcomes.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "{summary}");
        }
        Format::Json => {
            let cases: Vec<Json> = outcomes
                .iter()
                .map(|o| {
                    let mut m = Map::new();
                    m.insert("name".into(), Json::from(o.name.clone()));
                    let (status, message, diff) = match &o.status {
                        Status::Pass => ("pass", None, None),
                        Status::Updated(w) => ("updated", Some(w.clone()), None),
                        Status::Skip(w) => ("skip", Some(w.clone()), None),
                        Status::Fail { message, diff } => {
                            ("fail", Some(message.clone()), diff.clone())
                        }
                    };
                    m.insert("status".into(), Json::from(status));
                    if let Some(message) = message {
                        m.insert("message".into(), Json::from(message));
                    }
                    if let Some(diff) = diff {
                        m.insert("diff".into(), Json::from(diff));
                    }
                    Json::Object(m)
                })
                .collect();
            let doc = serde_json::json!({
                "cases": cases,
                "passed": passed,
                "failed": failed,
                "skipped": skipped,
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        }
        Format::Junit => {
            let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
            let _ = writeln!(
                out,
                r#"<testsuites name="vtl" tests="{}" failures="{failed}" skipped="{skipped}">"#,
                outcomes.len()
            );
            let _ = writeln!(
                out,
                r#"  <testsuite name="vtl" tests="{}" failures="{failed}" skipped="{skipped}">"#,
                outcomes.len()
            );
            for o in outcomes {
                let name = xml_escape(&o.name);
                match &o.status {
                    Status::Pass | Status::Updated(_) => {
                        let _ = writeln!(out, r#"    <testcase name="{name}" classname="vtl"/>"#);
                    }
                    Status::Skip(why) => {
                        let _ = writeln!(
                            out,
                            r#"    <testcase name="{name}" classname="vtl"><skipped message="{}"/></testcase>"#,
                            xml_escape(why)
                        );
                    }
                    Status::Fail { message, diff } => {
                        let first = message.lines().next().unwrap_or_default();
                        let mut body = message.clone();
                        if let Some(diff) = diff {
                            body.push('\n');
                            body.push_str(diff);
                        }
                        let _ = writeln!(
                            out,
                            r#"    <testcase name="{name}" classname="vtl"><failure message="{}">{}</failure></testcase>"#,
                            xml_escape(first),
                            xml_escape(&body)
                        );
                    }
                }
            }
            let _ = writeln!(out, "  </testsuite>\n</testsuites>");
        }
    }
    crate::io::write_output(None, &out)?;
    if format != Format::Human {
        eprintln!("{summary}");
    }
    if failed > 0 {
        // Everything is printed already; `main` would add a blank line for an empty message.
        std::process::exit(i32::from(EXIT_FAILED));
    }
    Ok(())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A path as shown in case names (without a leading `./`).
fn show(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn is_case_doc(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.ends_with(".cases.json") || name.ends_with(".cases.yaml") || name.ends_with(".cases.yml")
}

fn template_in(dir: &Path) -> Option<PathBuf> {
    ["template.vtl", "template.vm"]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

type Loaded = Vec<Result<Item, (String, String)>>;

fn template_folder(dir: &Path) -> Result<Item, (String, String)> {
    load_folder(dir).map(|c| Item::Template(Box::new(c)))
}

fn method_folder(dir: &Path) -> Result<Item, (String, String)> {
    method_cases::load_folder(dir, show(dir)).map(|m| Item::Method(Box::new(m)))
}

/// Collects the cases under `p` in a stable (sorted) order.
fn discover(p: &Path, docs: &mut Vec<Doc>, out: &mut Loaded) -> Result<(), Failure> {
    if p.is_file() {
        // Named on the command line, any JSON or YAML document is read as a case document
        // (when searching folders, only `*.cases.*` files are).
        let document = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"));
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        if name == "case.json" && method_cases::is_method_folder(dir) {
            out.push(method_folder(dir));
            return Ok(());
        }
        if is_case_doc(p) || document {
            return load_doc(p, docs, out);
        }
        if name == "template.vtl" || name == "template.vm" {
            out.push(template_folder(dir));
            return Ok(());
        }
        return Err(Failure::usage(format!(
            "{}: not a case folder, template.vtl or *.cases.json/*.cases.yaml file",
            p.display()
        )));
    }
    if template_in(p).is_some() {
        out.push(template_folder(p));
        return Ok(());
    }
    if method_cases::is_method_folder(p) {
        out.push(method_folder(p));
        return Ok(());
    }
    let entries =
        std::fs::read_dir(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if child.is_dir() || is_case_doc(&child) {
            discover(&child, docs, out)?;
        }
    }
    Ok(())
}

fn read_opt(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", show(path))),
    }
}

fn parse_json_file(path: &Path, text: &str) -> Result<Json, String> {
    serde_json::from_str(text).map_err(|e| {
        format!(
            "{}:{}:{}: invalid JSON: {e}",
            show(path),
            e.line(),
            e.column()
        )
    })
}

fn load_folder(dir: &Path) -> Result<Case, (String, String)> {
    let name = show(dir);
    let fail = |m: String| (name.clone(), m);
    let template_path = template_in(dir).ok_or_else(|| fail("no template.vtl".into()))?;
    let template = std::fs::read_to_string(&template_path)
        .map_err(|e| fail(format!("{}: {e}", show(&template_path))))?;
    let json_file = |file: &str| -> Result<Option<Json>, (String, String)> {
        let path = dir.join(file);
        match read_opt(&path).map_err(&fail)? {
            Some(text) => parse_json_file(&path, &text).map(Some).map_err(&fail),
            None => Ok(None),
        }
    };
    let request = json_file("request.json")?;
    let vars = json_file("vars.json")?.unwrap_or(Json::Null);
    let meta = json_file("case.json")?.unwrap_or(Json::Null);
    let (profile, extensions) = read_meta(&meta).map_err(|m| fail(format!("case.json: {m}")))?;
    let fuel = read_fuel(&meta).map_err(|m| fail(format!("case.json: {m}")))?;
    let mut expect = Expect::Nothing;
    for file in EXPECTED_FILES {
        if let Some(text) = read_opt(&dir.join(file)).map_err(&fail)? {
            expect = match file {
                "expected.txt" => Expect::Text(text),
                "expected.json" => Expect::Json(text),
                "expected.xml" => Expect::Xml(text),
                _ => Expect::Error(text),
            };
            break;
        }
    }
    Ok(Case {
        template_name: show(&template_path),
        name,
        template,
        request,
        vars,
        profile,
        extensions,
        fuel,
        expect,
        request_override: meta.get("requestOverride").cloned(),
        response_override: meta.get("responseOverride").cloned(),
        origin: Origin::Folder(dir.to_path_buf()),
    })
}

fn read_meta(meta: &Json) -> Result<(Option<Profile>, bool), String> {
    let profile = match meta.get("profile") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.parse::<Profile>()?),
        Some(other) => return Err(format!("profile must be a string, not {other}")),
    };
    let extensions = match meta.get("extensions") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(other) => return Err(format!("extensions must be true or false, not {other}")),
    };
    Ok((profile, extensions))
}

fn read_fuel(meta: &Json) -> Result<Option<u64>, String> {
    match meta.get("fuel") {
        None | Some(Json::Null) => Ok(None),
        Some(v) => match v.as_u64().filter(|n| *n > 0) {
            Some(n) => Ok(Some(n)),
            None => Err(format!("fuel must be a positive whole number, not {v}")),
        },
    }
}

fn load_doc(path: &Path, docs: &mut Vec<Doc>, out: &mut Loaded) -> Result<(), Failure> {
    let shown = show(path);
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    let yaml = !path.extension().is_some_and(|e| e == "json");
    let value: Json = if yaml {
        serde_yaml_ng::from_str(&text)
            .map_err(|e| Failure::usage(format!("{shown}: invalid YAML: {e}")))?
    } else {
        serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{shown}:{}:{}: invalid JSON: {e}",
                e.line(),
                e.column()
            ))
        })?
    };
    let Some(cases) = value.get("cases").and_then(Json::as_array) else {
        return Err(Failure::usage(format!(
            "{shown}: expected a document {{\"cases\": [...]}}"
        )));
    };
    let file = docs.len();
    for (index, c) in cases.iter().enumerate() {
        let label = c
            .get("name")
            .and_then(Json::as_str)
            .map_or_else(|| format!("#{}", index + 1), str::to_string);
        let name = format!("{shown}: {label}");
        let item = if vtl_gateway::case::is_method_case(c) {
            let base = path.parent().unwrap_or(Path::new("."));
            method_cases::from_entry(c, name.clone(), base, file, index)
                .map(|m| Item::Method(Box::new(m)))
        } else {
            doc_case(c, name.clone(), file, index).map(|c| Item::Template(Box::new(c)))
        };
        out.push(item.map_err(|m| (name, m)));
    }
    docs.push(Doc {
        path: path.to_path_buf(),
        yaml,
        comments: yaml && text.lines().any(|l| l.trim_start().starts_with('#')),
        value,
        dirty: false,
    });
    Ok(())
}

fn doc_case(c: &Json, name: String, file: usize, index: usize) -> Result<Case, String> {
    let template = c
        .get("template")
        .and_then(Json::as_str)
        .ok_or("the case has no \"template\" string")?
        .to_string();
    let (profile, extensions) = read_meta(c)?;
    let fuel = read_fuel(c)?;
    let text = |key: &str| -> Result<Option<String>, String> {
        match c.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("\"{key}\" must be a string")),
        }
    };
    let expect = if let Some(s) = text("expected")? {
        Expect::Text(s)
    } else if let Some(v) = c.get("expectedJson") {
        Expect::Json(v.to_string())
    } else if let Some(s) = text("expectedXml")? {
        Expect::Xml(s)
    } else if let Some(s) = text("expectedError")? {
        Expect::Error(s)
    } else {
        Expect::Nothing
    };
    Ok(Case {
        template_name: name.clone(),
        name,
        template,
        request: c.get("request").cloned().filter(|r| !r.is_null()),
        vars: c.get("vars").cloned().unwrap_or(Json::Null),
        profile,
        extensions,
        fuel,
        expect,
        request_override: c.get("requestOverride").cloned(),
        response_override: c.get("responseOverride").cloned(),
        origin: Origin::Doc { file, index },
    })
}

/// Compiles and renders a case.
fn render(case: &Case, default_profile: Profile) -> Result<Rendered, Error> {
    let profile = case.profile.unwrap_or(default_profile);
    let mut engine = Engine::new(profile).with_extensions(case.extensions);
    if let Some(fuel) = case.fuel {
        let mut limits = vtl::Limits::for_profile(profile);
        limits.fuel = fuel;
        engine = engine.with_limits(limits);
    }
    let template = engine.compile(&case.template)?;
    let vars = if case.vars.is_null() {
        Json::Object(Map::new())
    } else {
        case.vars.clone()
    };
    match &case.request {
        Some(r) => template.render_request(&Request::from_json(r)?, &vars),
        // API Gateway templates always see a request; an absent one is an empty request.
        None if profile == Profile::Aws => template.render_request(&Request::default(), &vars),
        None => template.render_full(&vars),
    }
}

/// What an error expectation is matched against and what `--update` writes.
fn error_text(e: &Error) -> String {
    format!("{}: {}", e.kind().label(), e.message())
}

fn error_matches(e: &Error, expected: &str) -> bool {
    let want = expected.trim();
    want.is_empty()
        || e.to_string().contains(want)
        || error_text(e).contains(want)
        || e.kind().name() == want
}

fn run_case(case: &Case, args: &Args, docs: &mut [Doc]) -> Status {
    let result = render(case, args.profile);
    let status = check(case, &result, args.exact);
    if !args.update || matches!(status, Status::Pass) {
        return status;
    }
    match update(case, &result, docs) {
        Ok(what) => Status::Updated(what),
        Err(message) => Status::Fail {
            message,
            diff: None,
        },
    }
}

fn check(case: &Case, result: &Result<Rendered, Error>, exact: bool) -> Status {
    let rendered = match (result, &case.expect) {
        (Err(e), Expect::Error(want)) => {
            return if error_matches(e, want) {
                Status::Pass
            } else {
                Status::Fail {
                    message: format!(
                        "expected an error containing `{}`, got: {}",
                        want.trim(),
                        error_text(e)
                    ),
                    diff: None,
                }
            };
        }
        (Err(e), _) => {
            return Status::Fail {
                message: format!("{:#}", e.clone().with_name(case.template_name.clone())),
                diff: None,
            };
        }
        (Ok(r), Expect::Error(want)) => {
            return Status::Fail {
                message: format!(
                    "expected an error containing `{}`, but the template rendered:\n{}",
                    want.trim(),
                    r.output
                ),
                diff: None,
            };
        }
        (Ok(r), _) => r,
    };
    let out = &rendered.output;
    for (key, expected, actual) in [
        (
            "requestOverride",
            &case.request_override,
            &rendered.request_override,
        ),
        (
            "responseOverride",
            &case.response_override,
            &rendered.response_override,
        ),
    ] {
        if let Some(expected) = expected {
            let actual = actual.clone().unwrap_or(Json::Null);
            if !subset(expected, &actual) {
                return Status::Fail {
                    message: format!("{key} differs: expected {expected} within {actual}"),
                    diff: None,
                };
            }
        }
    }
    let expected = match &case.expect {
        Expect::Nothing => return Status::Skip("no expected output".into()),
        Expect::Error(_) => unreachable!("handled above"),
        Expect::Text(e) => Expected::Text(e.clone()),
        Expect::Json(e) => Expected::Json(e.clone()),
        Expect::Xml(e) => Expected::Xml(e.clone()),
    };
    match compare::compare(&expected, out, exact, "output") {
        Ok(()) => Status::Pass,
        Err(m) => Status::Fail {
            message: m.message,
            diff: m.diff,
        },
    }
}

/// Makes the case's expectation match `result`; returns what was written.
fn update(
    case: &Case,
    result: &Result<Rendered, Error>,
    docs: &mut [Doc],
) -> Result<String, String> {
    let overrides = match result {
        Ok(r) => vec![
            (
                "requestOverride",
                case.request_override.is_some(),
                r.request_override.clone(),
            ),
            (
                "responseOverride",
                case.response_override.is_some(),
                r.response_override.clone(),
            ),
        ],
        Err(_) => Vec::new(),
    };
    match &case.origin {
        Origin::Folder(dir) => {
            let (file, text) = match result {
                Err(e) => ("expected-error.txt", error_text(e) + "\n"),
                Ok(r) => (expected_file_for(&case.expect, &r.output), r.output.clone()),
            };
            let write = |name: &str, text: &str| {
                std::fs::write(dir.join(name), text)
                    .map_err(|e| format!("{}: {e}", show(&dir.join(name))))
            };
            write(file, &text)?;
            for other in EXPECTED_FILES.iter().filter(|f| **f != file) {
                let p = dir.join(other);
                if p.is_file() {
                    std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", show(&p)))?;
                }
            }
            let mut wrote = vec![file.to_string()];
            if overrides.iter().any(|(_, had, _)| *had) {
                let path = dir.join("case.json");
                let mut meta = match read_opt(&path)? {
                    Some(t) => parse_json_file(&path, &t)?,
                    None => Json::Object(Map::new()),
                };
                for (key, had, actual) in &overrides {
                    if *had {
                        meta[*key] = actual.clone().unwrap_or(Json::Null);
                    }
                }
                write("case.json", &pretty(&meta))?;
                wrote.push("case.json".into());
            }
            Ok(format!("wrote {}", wrote.join(", ")))
        }
        Origin::Doc { file, index } => {
            let doc = &mut docs[*file];
            let Some(entry) = doc.value["cases"]
                .get_mut(*index)
                .and_then(Json::as_object_mut)
            else {
                return Err("case entry vanished".into());
            };
            for key in ["expected", "expectedJson", "expectedXml", "expectedError"] {
                entry.remove(key);
            }
            let key = match result {
                Err(e) => {
                    entry.insert("expectedError".into(), Json::from(error_text(e)));
                    "expectedError"
                }
                Ok(r) => match expected_file_for(&case.expect, &r.output) {
                    "expected.json" if serde_json::from_str::<Json>(&r.output).is_ok() => {
                        let v = serde_json::from_str::<Json>(&r.output).unwrap_or_default();
                        entry.insert("expectedJson".into(), v);
                        "expectedJson"
                    }
                    "expected.xml" => {
                        entry.insert("expectedXml".into(), Json::from(r.output.clone()));
                        "expectedXml"
                    }
                    _ => {
                        entry.insert("expected".into(), Json::from(r.output.clone()));
                        "expected"
                    }
                },
            };
            for (k, had, actual) in overrides {
                if had {
                    entry.insert(k.into(), actual.unwrap_or(Json::Null));
                }
            }
            doc.dirty = true;
            Ok(format!("wrote {key}"))
        }
    }
}

/// The expected file a new output goes to: the existing kind, else guessed from the output.
fn expected_file_for(expect: &Expect, output: &str) -> &'static str {
    match expect {
        Expect::Text(_) => "expected.txt",
        Expect::Json(_) => "expected.json",
        Expect::Xml(_) => "expected.xml",
        Expect::Error(_) | Expect::Nothing => expected_file_for_output(output),
    }
}

/// The expected file for an output: `expected.json` for a JSON object or array,
/// `expected.xml` for markup, else `expected.txt`.
pub(crate) fn expected_file_for_output(output: &str) -> &'static str {
    let trimmed = output.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<Json>(output).is_ok()
    {
        "expected.json"
    } else if trimmed.starts_with('<') {
        "expected.xml"
    } else {
        "expected.txt"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vtl_gateway::compare::json_eq;

    #[test]
    fn json_numbers_compare_exactly() {
        let n = |t: &str| serde_json::from_str::<Json>(t).unwrap();
        assert!(!json_eq(&n("9007199254740992"), &n("9007199254740993")));
        assert!(!json_eq(
            &n("0.1000000000000000055511151231257827"),
            &n("0.1")
        ));
        for (a, b) in [
            ("1.0", "1"),
            ("1.5e1", "15"),
            ("-0", "0"),
            ("100", "1e2"),
            ("0.50", "5e-1"),
        ] {
            assert!(json_eq(&n(a), &n(b)), "{a} {b}");
        }
        assert!(!json_eq(&n("-1"), &n("1")));
    }
}
