//! Renders every case under `examples/soap/` through the public API and compares the output
//! with the case's `expected.xml` / `expected.json` / `expected.txt`.
//!
//! A case folder holds `template.vtl`, `request.json` (the request-file shape), `case.json`
//! (`{"extensions": bool, "requestOverride": {...}, "responseOverride": {...}}`; the overrides
//! are checked as subsets) and one expected file. XML output must also be well-formed (it is
//! parsed with `vtl::xml::parse`); JSON output is compared as JSON.
//!
//! `VTL_UPDATE_EXAMPLES=1 cargo test -p vtl --test xml_examples` rewrites the expected files
//! from the current output (then check them by eye).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use vtl::{Engine, Profile, Request};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/soap");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("examples/soap exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("template.vtl").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// `expected` is contained in `actual`: every key of an expected object is present and equal.
fn subset(expected: &Json, actual: &Json) -> bool {
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|w| subset(v, w))),
        (Json::Number(e), Json::Number(a)) => e.as_f64() == a.as_f64(),
        _ => expected == actual,
    }
}

fn run_case(dir: &Path, update: bool) -> Result<(), String> {
    let read = |name: &str| fs::read_to_string(dir.join(name));
    let template = read("template.vtl").map_err(|e| e.to_string())?;
    let request = Request::from_json_str(&read("request.json").map_err(|e| e.to_string())?)
        .map_err(|e| format!("request.json: {e}"))?;
    let case: Json = read("case.json")
        .ok()
        .map(|t| serde_json::from_str(&t).expect("case.json is JSON"))
        .unwrap_or(Json::Null);
    let extensions = case["extensions"].as_bool().unwrap_or(false);
    let engine = Engine::new(Profile::Aws).with_extensions(extensions);
    let compiled = engine.compile(&template).map_err(|e| e.to_string())?;
    let rendered = compiled
        .render_request(&request, &Json::Null)
        .map_err(|e| format!("render failed: {e}"))?;
    let out = &rendered.output;

    for (key, actual) in [
        ("requestOverride", &rendered.request_override),
        ("responseOverride", &rendered.response_override),
    ] {
        if let Some(expected) = case.get(key) {
            let actual = actual.clone().unwrap_or(Json::Null);
            if !subset(expected, &actual) {
                return Err(format!("{key}: expected {expected} within {actual}"));
            }
        }
    }

    let existing = ["expected.xml", "expected.json", "expected.txt"]
        .into_iter()
        .find(|f| dir.join(f).is_file());
    if update {
        let (file, text) = if serde_json::from_str::<Json>(out).is_ok() {
            let pretty =
                serde_json::to_string_pretty(&serde_json::from_str::<Json>(out).unwrap()).unwrap();
            ("expected.json", pretty + "\n")
        } else if out.trim_start().starts_with('<') {
            ("expected.xml", out.clone())
        } else {
            ("expected.txt", out.clone())
        };
        if let Some(old) = existing {
            if old != file {
                fs::remove_file(dir.join(old)).map_err(|e| e.to_string())?;
            }
        }
        fs::write(dir.join(file), text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let Some(file) = existing else {
        return Err("no expected.xml/json/txt".into());
    };
    let expected = read(file).map_err(|e| e.to_string())?;
    match file {
        "expected.json" => {
            let a: Json = serde_json::from_str(out)
                .map_err(|e| format!("output is not valid JSON ({e}):\n{out}"))?;
            let e: Json = serde_json::from_str(&expected).expect("expected.json is JSON");
            if a != e {
                return Err(format!("JSON differs.\nexpected: {e}\nactual:   {a}"));
            }
        }
        _ => {
            if *out != expected {
                return Err(format!(
                    "output differs.\n--- expected\n{expected}\n--- actual\n{out}"
                ));
            }
            if file == "expected.xml" {
                // Skip an XML declaration line; the rest must be one well-formed document.
                vtl::xml::parse(out).map_err(|e| format!("output is not well-formed XML: {e}"))?;
            }
        }
    }
    Ok(())
}

#[test]
fn soap_examples() {
    let update = std::env::var_os("VTL_UPDATE_EXAMPLES").is_some();
    let cases = cases();
    assert!(
        cases.len() >= 8,
        "expected the SOAP example cases, found {cases:?}"
    );
    let mut failures = Vec::new();
    for dir in &cases {
        if let Err(e) = run_case(dir, update) {
            failures.push(format!("{}: {e}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The request built with `$vtl.escapeXml` and the hand-escaped AWS-only one carry the same
/// data: both parse to the same value, except that the note's line break is kept as `&#10;` by
/// `escapeXml` and written raw by the replace chain (both read back as a line feed).
#[test]
fn aws_only_request_matches_extension_request() {
    let render = |name: &str, ext: bool| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/soap")
            .join(name);
        let t = fs::read_to_string(dir.join("template.vtl")).unwrap();
        let r =
            Request::from_json_str(&fs::read_to_string(dir.join("request.json")).unwrap()).unwrap();
        let out = Engine::new(Profile::Aws)
            .with_extensions(ext)
            .compile(&t)
            .unwrap()
            .render_request(&r, &Json::Null)
            .unwrap()
            .output;
        vtl::xml::parse(&out).unwrap().to_json()
    };
    assert_eq!(
        render("order-request", true),
        render("order-request-aws-only", false)
    );
}

fn render_with(template: &str, body: &str, content_type: &str, extensions: bool) -> String {
    let request = Request {
        body: body.to_string(),
        content_type: Some(content_type.to_string()),
        ..Request::default()
    };
    Engine::new(Profile::Aws)
        .with_extensions(extensions)
        .compile(template)
        .unwrap()
        .render_request(&request, &Json::Null)
        .unwrap()
        .output
}

/// `$input.path` / `$input.json` read XML bodies only with extensions on and an XML content
/// type; JSON bodies are unaffected; an XML body that does not parse reads as nothing.
#[test]
fn input_reads_xml_bodies_only_when_asked() {
    let xml = r#"<s:Envelope xmlns:s="urn:s"><s:Body><R id="1">x</R></s:Body></s:Envelope>"#;
    let t = "$input.json('$.Envelope.Body.R')|$input.path('$.Envelope.Body.R')['@id']";
    for ct in [
        "text/xml",
        "application/xml",
        "application/soap+xml; charset=utf-8",
        "Application/Atom+XML",
    ] {
        assert_eq!(
            render_with(t, xml, ct, true),
            r##"{"@id":"1","#text":"x"}|1"##,
            "{ct}"
        );
    }
    // Extensions off: as on API Gateway (json-smart reads the XML text as one string).
    assert_eq!(
        render_with(
            "$input.path('$.Envelope')|$input.json('$')",
            xml,
            "text/xml",
            false
        ),
        format!("|\"{}\"", xml.replace('/', "\\/").replace('"', "\\\""))
    );
    // A JSON content type keeps the JSON reading, extensions or not.
    let t = "$input.path('$.a')|$input.json('$')";
    assert_eq!(
        render_with(t, r#"{"a": 1}"#, "application/json", true),
        r#"1|{"a":1}"#
    );
    // An XML body that does not parse: path gives null (""), json gives "".
    assert_eq!(render_with(t, "<a><b></a>", "text/xml", true), r#"|"""#);
    // $input.body stays the raw text.
    assert_eq!(render_with("$input.body", xml, "text/xml", true), xml);
}

/// Errors from `$vtl` fail the render with the exception and the XML position.
#[test]
fn parse_errors_fail_the_render_with_a_position() {
    let err = Engine::new(Profile::Aws)
        .with_extensions(true)
        .compile("$vtl.parseXml('<a>\n<b></c></a>')")
        .unwrap()
        .render(&Json::Null)
        .unwrap_err()
        .to_string();
    assert!(err.contains("vtl.XmlException"), "{err}");
    assert!(err.contains("line 2, column 4"), "{err}");
}
