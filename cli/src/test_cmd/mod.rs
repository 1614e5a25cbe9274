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
//! The command is split along its steps: `discover.rs` finds and loads the cases, `compare.rs`
//! runs one and compares its result with the expectation, `update.rs` rewrites expectations
//! (`--update`), and `report.rs` prints the results; `case.rs` holds what they share.

pub(crate) mod case;
mod compare;
mod discover;
mod report;
mod update;

use std::path::Path;

use vtl_gateway::case::SpecCache;

use crate::method_cases::{self};

use crate::failure::Failure;

pub use case::Args;
use case::{show, Outcome, Status};
use compare::run_case;
use discover::{discover, Item, Loaded};
use report::report;
pub(crate) use update::expected_file_for_output;

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
