//! `vtl test --update`: rewriting a case's expectation (its folder's files or its entry in a
//! case document) to match the actual result.

use serde_json::{Map, Value as Json};
use vtl::{Error, Rendered};
use vtl_gateway::compare::pretty;

use super::case::{error_text, show, Case, Doc, Expect, Origin, EXPECTED_FILES};
use super::discover::{parse_json_file, read_opt};

/// Makes the case's expectation match `result`; returns what was written.
pub(super) fn update(
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
