//! What `vtl test` works with: its arguments, a loaded case and what it expects, case
//! documents, and the result of a case.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl::{Error, Profile};

/// Expected-output files of a case folder, in the order they are looked for.
pub(crate) const EXPECTED_FILES: [&str; 4] = [
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
    pub(crate) paths: Vec<String>,

    /// Overwrite the expectations of failing or unexpected cases with the actual results.
    #[arg(long)]
    pub(crate) update: bool,

    /// Run only the cases whose name contains this text.
    #[arg(long, value_name = "SUBSTR")]
    pub(crate) filter: Option<String>,

    /// Compare JSON and XML expectations byte for byte.
    #[arg(long)]
    pub(crate) exact: bool,

    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,

    /// Profile for the cases that do not name one.
    #[arg(long, value_name = "PROFILE", default_value = "aws", value_parser = parse_profile)]
    pub(crate) profile: Profile,
}

/// How results are reported.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// One line per case, diffs under failures.
    Human,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

pub(crate) fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse()
}

/// What a case expects.
#[derive(Debug, Clone)]
pub(crate) enum Expect {
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
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) template_name: String,
    pub(crate) template: String,
    pub(crate) request: Option<Json>,
    pub(crate) vars: Json,
    pub(crate) profile: Option<Profile>,
    pub(crate) extensions: bool,
    /// The evaluation budget (`fuel` in case.json or the case), if not the profile's.
    pub(crate) fuel: Option<u64>,
    pub(crate) expect: Expect,
    pub(crate) request_override: Option<Json>,
    pub(crate) response_override: Option<Json>,
    pub(crate) origin: Origin,
}

/// A case document (`*.cases.json` / `*.cases.yaml`).
pub(crate) struct Doc {
    pub(crate) path: PathBuf,
    pub(crate) yaml: bool,
    /// Does the YAML text have comment lines (which rewriting it loses)?
    pub(crate) comments: bool,
    pub(crate) value: Json,
    pub(crate) dirty: bool,
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

pub(crate) struct Outcome {
    pub(crate) name: String,
    pub(crate) status: Status,
}

/// What an error expectation is matched against and what `--update` writes.
pub(crate) fn error_text(e: &Error) -> String {
    format!("{}: {}", e.kind().label(), e.message())
}

/// A path as shown in case names (without a leading `./`).
pub(crate) fn show(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
