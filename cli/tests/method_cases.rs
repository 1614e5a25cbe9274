//! Method-level cases in `vtl test`: runs the built binary on copies of `fixtures-method/` (a
//! case document and a case folder naming a spec and a method) and on `--update`.

mod common;

use common::{vtl_at as vtl, Scratch};

#[test]
fn method_cases_pass_fail_and_skip() {
    let s = Scratch::copy_of("fixtures-method", "method-run");
    let (code, out, err) = vtl(&s.0, &["test"]);
    assert_eq!(
        out,
        "SKIP pet-folder (no expectations)
PASS pets.cases.json: found
FAIL pets.cases.json: missing
  status: expected 200, got 404
  body differs
  --- expected
  +++ actual
  @@ -1 +1 @@
  -wrong
  \\ No newline at end of file
  +{\"message\": \"no pet 8\"}
  \\ No newline at end of file

1 passed, 1 failed, 1 skipped
"
    );
    assert_eq!((code, err.as_str()), (1, ""));
}

#[test]
fn update_fills_method_expectations() {
    let s = Scratch::copy_of("fixtures-method", "method-update");
    let (code, out, _) = vtl(&s.0, &["test", "--update"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("UPDATED pet-folder (wrote case.json)"),
        "{out}"
    );
    assert!(
        out.contains("UPDATED pets.cases.json: missing (wrote the expectations)"),
        "{out}"
    );
    let folder: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.0.join("pet-folder/case.json")).unwrap())
            .unwrap();
    assert_eq!(folder["expectedStatus"], 404);
    assert_eq!(
        folder["expectedJson"],
        serde_json::json!({"message": "no pet 9"})
    );
    assert_eq!(
        folder["expectedEndpointRequest"]["uri"],
        "https://pets.example.com/pets/9"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.0.join("pets.cases.json")).unwrap())
            .unwrap();
    assert_eq!(doc["cases"][1]["expectedStatus"], 404);
    assert_eq!(
        doc["cases"][1]["expectedLog"][0],
        "Received response. Status: 404"
    );
    // Everything passes afterwards.
    let (code, out, _) = vtl(&s.0, &["test"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn a_case_json_can_be_named_directly() {
    let s = Scratch::copy_of("fixtures-method", "method-direct");
    let (code, out, _) = vtl(&s.0, &["test", "pet-folder/case.json"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "SKIP pet-folder (no expectations)\n\n0 passed, 0 failed, 1 skipped\n"
    );
}

#[test]
fn a_broken_spec_fails_its_cases() {
    let s = Scratch::copy_of("fixtures-method", "method-broken");
    std::fs::write(s.0.join("api.yaml"), "openapi: 3.0.1\npaths: []\n").unwrap();
    let (code, out, _) = vtl(&s.0, &["test", "pets.cases.json", "--filter", "found"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("FAIL pets.cases.json: found\n  ")
            && out.contains("api.yaml: /paths: \"paths\" must be an object"),
        "{out}"
    );
}
