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
//!
//! The command is split along its steps: [`discover`] finds and loads the cases, [`compare`]
//! runs one and compares its result with the expectation, [`update`] rewrites expectations
//! (`--update`), and [`report`] prints the results.

mod compare;
mod discover;
mod report;
mod update;

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl::Profile;
use vtl_gateway::case::SpecCache;

use crate::method_cases::{self, MethodCase};

use crate::failure::Failure;

use compare::run_case;
use discover::{discover, Loaded};
use report::report;
pub(crate) use update::expected_file_for_output;

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

/// A path as shown in case names (without a leading `./`).
fn show(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
