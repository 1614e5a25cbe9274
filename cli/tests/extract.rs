//! `vtl extract`: runs the built binary on the fixtures in `fixtures-extract/` and checks the
//! index, the written file tree and that scaffolded cases pass `vtl test`.

mod common;

use std::path::Path;

use common::{vtl_at as vtl, Scratch};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures-extract")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

impl Scratch {
    /// A unique empty folder.
    fn new(tag: &str) -> Scratch {
        Scratch::empty(&format!("extract-{tag}"))
    }
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn list_openapi3_json() {
    let s = Scratch::new("list3");
    let (code, out, err) = vtl(
        &s.0,
        &["extract", &fixture("petstore-openapi3.json"), "--list"],
    );
    assert_eq!(
        out,
        "PATH           METHOD  KIND      STATUS  CONTENT TYPE      SIZE  PASSTHROUGH
/pets          GET     request   -       application/json   138  when_no_templates
/pets          GET     response  200     application/json   129  -
/pets          POST    request   -       application/json   789  never
/pets          POST    response  200     application/json    21  -
/pets          POST    response  400     application/json   175  -
/pets/{petId}  GET     request   -       application/json    35  when_no_match
/pets/{petId}  GET     request   -       application/xml     72  when_no_match
/pets/{petId}  GET     response  200     application/json    84  -
/pets/{petId}  GET     response  404     application/json    96  -
"
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn list_swagger2_yaml() {
    let s = Scratch::new("list2");
    let (code, out, err) = vtl(
        &s.0,
        &["extract", &fixture("orders-swagger2.yaml"), "--list"],
    );
    assert_eq!(
        out,
        "PATH                              METHOD  KIND      STATUS  CONTENT TYPE      SIZE  PASSTHROUGH
/orders                           POST    request   -       application/json   226  never
/orders                           POST    response  200     application/json    33  -
/orders                           POST    response  400     application/json   107  -
/orders/{orderId}/items/{itemId}  GET     request   -       application/json    19  when_no_templates
/orders/{orderId}/items/{itemId}  GET     response  200     application/xml     70  -
"
    );
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn sam_template_out() {
    let s = Scratch::new("sam");
    let out_dir = s.0.join("out");
    let (code, out, err) = vtl(
        &s.0,
        &["extract", &fixture("sam-template.yaml"), "--out", "out"],
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "wrote 5 templates to out\n", "")
    );
    assert_eq!(
        tree(&out_dir),
        [
            "status_{check}/GET/request/application_json.vtl",
            "status_{check}/GET/response/200/application_json.vtl",
            "status_{check}/GET/response/503/application_json.vtl",
            "users_{userId}/GET/request/application_json.vtl",
            "users_{userId}/GET/response/200/application_json.vtl",
        ]
    );
    // `!Sub |` templates are kept as text, `${...}` included.
    let request =
        std::fs::read_to_string(out_dir.join("users_{userId}/GET/request/application_json.vtl"))
            .unwrap();
    assert_eq!(
        request,
        "{\n  \"userId\": \"$input.params('userId')\",\n  \"table\": \"${UsersTable}\"\n}\n"
    );
}

#[test]
fn scaffold_then_test_passes() {
    for spec in [
        "petstore-openapi3.json",
        "orders-swagger2.yaml",
        "sam-template.yaml",
    ] {
        let s = Scratch::new(&format!("scaffold-{}", spec.replace('.', "-")));
        let (code, out, _) = vtl(
            &s.0,
            &["extract", &fixture(spec), "--out", "cases", "--scaffold"],
        );
        assert_eq!(code, 0, "{spec}: {out}");
        assert!(out.ends_with(" case folders)\n"), "{out}");
        let (code, out, err) = vtl(&s.0, &["test", "cases"]);
        assert_eq!((code, err.as_str()), (0, ""), "{spec}: {out}");
        assert!(!out.contains("FAIL") && !out.contains("SKIP"), "{out}");
    }
}

#[test]
fn scaffold_case_contents() {
    let s = Scratch::new("scaffold-files");
    vtl(
        &s.0,
        &[
            "extract",
            &fixture("sam-template.yaml"),
            "--out",
            "cases",
            "--scaffold",
        ],
    );
    let case =
        s.0.join("cases/status_{check}/GET/response/200/application_json");
    let request: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("request.json")).unwrap()).unwrap();
    assert_eq!(
        request["params"],
        serde_json::json!({"path": {"check": "check-1"}, "querystring": {"verbose": "verbose-1"}, "header": {}})
    );
    assert_eq!(
        std::fs::read_to_string(case.join("expected.json")).unwrap(),
        "{\"check\": \"check-1\", \"stage\": \"\", \"verbose\": \"verbose-1\"}\n"
    );
}

#[test]
fn not_a_spec() {
    let s = Scratch::new("bad");
    std::fs::write(s.0.join("empty.yaml"), "a: 1\n").unwrap();
    let (code, out, err) = vtl(&s.0, &["extract", "empty.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with("error: empty.yaml: no mapping templates found"),
        "{err}"
    );
}

#[test]
fn scaffold_writes_method_cases() {
    let s = Scratch::new("scaffold-methods");
    let (code, out, err) = vtl(
        &s.0,
        &[
            "extract",
            &fixture("sam-template.yaml"),
            "--out",
            "cases",
            "--scaffold",
        ],
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            0,
            "wrote 5 templates to cases (2 method cases in methods.cases.json, 5 case folders)\n",
            ""
        )
    );
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.0.join("cases/methods.cases.json")).unwrap(),
    )
    .unwrap();
    let mock = &doc["cases"][1];
    assert_eq!(mock["name"], "GET /status/{check}");
    assert_eq!(mock["path"], "/status/check-1?verbose=verbose-1");
    assert_eq!(mock["expectedStatus"], 200);
    assert_eq!(
        mock["expectedJson"],
        serde_json::json!({"check": "check-1", "stage": "", "verbose": "verbose-1"})
    );
    assert_eq!(mock["expectedEndpointRequest"], serde_json::Value::Null);
    // The spec is named relative to the case document.
    let spec = mock["spec"].as_str().unwrap();
    assert!(
        spec.ends_with("fixtures-extract/sam-template.yaml"),
        "{spec}"
    );
    assert!(s.0.join("cases").join(spec).is_file(), "{spec}");
    let lambda = &doc["cases"][0];
    assert_eq!(lambda["expectedEndpointRequest"]["httpMethod"], "POST");
    // The method cases run and pass.
    let (code, out, _) = vtl(&s.0, &["test", "cases/methods.cases.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("2 passed, 0 failed\n"), "{out}");
}
