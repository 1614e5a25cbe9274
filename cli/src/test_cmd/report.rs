//! `vtl test`: printing the results, as one line per case (`human`), one JSON document or
//! JUnit XML, and the closing `N passed, N failed` line; the exit status.

use std::fmt::Write as _;

use serde_json::{Map, Value as Json};

use super::case::{Format, Outcome, Status};
use crate::failure::Failure;

/// Exit status when at least one case fails.
const EXIT_FAILED: u8 = 1;

pub(super) fn report(outcomes: &[Outcome], format: Format) -> Result<(), Failure> {
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
