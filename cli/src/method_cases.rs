//! Method-level cases in `vtl test`: a case that names a `spec` and a `method` instead of a
//! template runs a whole method (`vtl_gateway::case`) and checks the status, headers, body,
//! endpoint request and log. They live in `*.cases.json|yaml` documents next to template
//! cases, or in a folder whose `case.json` is one case.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl_gateway::case::{Case, SpecCache};

use crate::test_cmd::case::{Doc, Origin, Status};

/// One loaded method case.
pub(crate) struct MethodCase {
    pub name: String,
    pub case: Case,
    pub origin: Origin,
}

/// Whether a folder is a method case (a `case.json` naming a spec and a method).
pub(crate) fn is_method_folder(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("case.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .is_some_and(|v| vtl_gateway::case::is_method_case(&v))
}

/// Loads the case of a folder (`case.json`; its spec path is relative to the folder).
pub(crate) fn load_folder(dir: &Path, name: String) -> Result<MethodCase, (String, String)> {
    let path = dir.join("case.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| (name.clone(), format!("{}: {e}", path.display())))?;
    let v: Json = serde_json::from_str(&text).map_err(|e| {
        (
            name.clone(),
            format!("case.json:{}:{}: invalid JSON: {e}", e.line(), e.column()),
        )
    })?;
    let case = Case::from_json(&v, dir).map_err(|m| (name.clone(), format!("case.json: {m}")))?;
    Ok(MethodCase {
        name,
        case,
        origin: Origin::Folder(dir.to_path_buf()),
    })
}

/// Reads one entry of a case document (`base` is the document's folder).
pub(crate) fn from_entry(
    entry: &Json,
    name: String,
    base: &Path,
    file: usize,
    index: usize,
) -> Result<MethodCase, String> {
    let case = Case::from_json(entry, base)?;
    Ok(MethodCase {
        name,
        case,
        origin: Origin::Doc { file, index },
    })
}

/// Runs a method case; with `update`, rewrites its expectations when it does not pass.
pub(crate) fn run(
    mc: &MethodCase,
    update: bool,
    exact: bool,
    docs: &mut [Doc],
    cache: &mut SpecCache,
) -> Status {
    let api = match cache.api(&mc.case) {
        Ok(a) => a,
        Err(message) => {
            return Status::Fail {
                message,
                diff: None,
            }
        }
    };
    let run = mc.case.run(&api);
    let problems = mc.case.check(&run, exact);
    let status = if !mc.case.has_expectations() {
        Status::Skip("no expectations".into())
    } else if problems.is_empty() {
        Status::Pass
    } else {
        let message = problems
            .iter()
            .map(|m| m.message.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let diffs: Vec<&str> = problems.iter().filter_map(|m| m.diff.as_deref()).collect();
        Status::Fail {
            message,
            diff: (!diffs.is_empty()).then(|| diffs.join("\n")),
        }
    };
    if !update || matches!(status, Status::Pass) {
        return status;
    }
    if let Some(e) = &run.invocation.template_error {
        return Status::Fail {
            message: format!("a template failed: {e:#}"),
            diff: None,
        };
    }
    match &mc.origin {
        Origin::Folder(dir) => {
            let path: PathBuf = dir.join("case.json");
            let mut entry = match std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_json::from_str::<Json>(&t).ok())
            {
                Some(Json::Object(m)) => m,
                _ => {
                    return Status::Fail {
                        message: format!("{}: cannot be rewritten", path.display()),
                        diff: None,
                    }
                }
            };
            mc.case.update(&mut entry, &run);
            let text = vtl_gateway::compare::pretty(&Json::Object(entry));
            match std::fs::write(&path, text) {
                Ok(()) => Status::Updated("wrote case.json".into()),
                Err(e) => Status::Fail {
                    message: format!("{}: {e}", path.display()),
                    diff: None,
                },
            }
        }
        Origin::Doc { file, index } => {
            let doc = &mut docs[*file];
            let Some(entry) = doc.value["cases"]
                .get_mut(*index)
                .and_then(Json::as_object_mut)
            else {
                return Status::Fail {
                    message: "case entry vanished".into(),
                    diff: None,
                };
            };
            mc.case.update(entry, &run);
            doc.dirty = true;
            Status::Updated("wrote the expectations".into())
        }
    }
}
