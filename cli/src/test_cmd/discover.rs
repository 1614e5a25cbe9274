//! `vtl test`: finding the cases (case folders, `*.cases.json` / `*.cases.yaml` documents,
//! method-level cases) and loading them.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl::Profile;

use super::case::{show, Case, Doc, Expect, Origin, EXPECTED_FILES};
use crate::failure::Failure;
use crate::method_cases;

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

pub(super) type Loaded = Vec<Result<Item, (String, String)>>;

fn template_folder(dir: &Path) -> Result<Item, (String, String)> {
    load_folder(dir).map(|c| Item::Template(Box::new(c)))
}

fn method_folder(dir: &Path) -> Result<Item, (String, String)> {
    method_cases::load_folder(dir, show(dir)).map(|m| Item::Method(Box::new(m)))
}

/// Collects the cases under `p` in a stable (sorted) order.
pub(super) fn discover(p: &Path, docs: &mut Vec<Doc>, out: &mut Loaded) -> Result<(), Failure> {
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

pub(super) fn read_opt(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", show(path))),
    }
}

pub(super) fn parse_json_file(path: &Path, text: &str) -> Result<Json, String> {
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
    let yaml = path.extension().is_none_or(|e| e != "json");
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

/// A loaded case: a template case or a method-level one.
pub(crate) enum Item {
    Template(Box<Case>),
    Method(Box<method_cases::MethodCase>),
}

impl Item {
    pub(crate) fn name(&self) -> &str {
        match self {
            Item::Template(c) => &c.name,
            Item::Method(m) => &m.name,
        }
    }
}
