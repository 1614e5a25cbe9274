//! The reference benchmark cases (`cases/*.json`), embedded at build time so that benchmarks
//! and tests need no files at run time.
//!
//! Each case file holds `id`, `template`, and either `vars` (the `.core` form: the VTL work over
//! pre-parsed variables) or only `apigw` (the `.apigw` form: `$input.path` over a raw body).
//! Both forms also carry an `apigw` request (`context`, `stageVariables`, …).
//!
//! The crate also runs the workspace README's Rust examples as doctests.

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// One benchmark case.
#[derive(Clone, Debug)]
pub struct Case {
    /// Short name (`a_small_mapping`, …).
    pub name: &'static str,
    /// The template text.
    pub template: String,
    /// The template variables (an empty object when the case has none).
    pub vars: serde_json::Value,
    /// The API Gateway request the case describes (`body`, `params`, `context`, …), if any.
    pub apigw: Option<serde_json::Value>,
}

const CORE: [(&str, &str); 4] = [
    (
        "a_small_mapping",
        include_str!("../cases/a_small_mapping.core.json"),
    ),
    (
        "b_foreach_1000",
        include_str!("../cases/b_foreach_1000.core.json"),
    ),
    (
        "c_soap_envelope",
        include_str!("../cases/c_soap_envelope.core.json"),
    ),
    (
        "d_method_request_passthrough",
        include_str!("../cases/d_method_request_passthrough.core.json"),
    ),
];

const APIGW: [(&str, &str); 4] = [
    (
        "a_small_mapping",
        include_str!("../cases/a_small_mapping.apigw.json"),
    ),
    (
        "b_foreach_1000",
        include_str!("../cases/b_foreach_1000.apigw.json"),
    ),
    (
        "c_soap_envelope",
        include_str!("../cases/c_soap_envelope.apigw.json"),
    ),
    (
        "d_method_request_passthrough",
        include_str!("../cases/d_method_request_passthrough.apigw.json"),
    ),
];

fn load(cases: &[(&'static str, &str)]) -> Vec<Case> {
    cases
        .iter()
        .map(|&(name, text)| {
            let mut case: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let template = case["template"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no template"))
                .to_string();
            let vars = match case.get_mut("vars") {
                Some(v) => v.take(),
                None => serde_json::json!({}),
            };
            let apigw = case.get_mut("apigw").map(serde_json::Value::take);
            Case {
                name,
                template,
                vars,
                apigw,
            }
        })
        .collect()
}

/// The four `.core` cases: the same VTL work on every engine, over pre-parsed variables.
pub fn core_cases() -> Vec<Case> {
    load(&CORE)
}

/// The four `.apigw` cases: templates that read a raw request body through `$input`.
pub fn apigw_cases() -> Vec<Case> {
    load(&APIGW)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vtl::{Engine, Profile};

    #[test]
    fn cases_load() {
        for case in core_cases().iter().chain(&apigw_cases()) {
            assert!(!case.template.is_empty(), "{}", case.name);
            assert!(case.vars.is_object(), "{}", case.name);
            assert!(case.apigw.is_some(), "{}", case.name);
        }
    }

    /// Every core case compiles and renders in both profiles (what the benchmark measures).
    #[test]
    fn core_cases_render() {
        for profile in [Profile::Velocity, Profile::Aws] {
            let engine = Engine::new(profile);
            for case in core_cases() {
                let template = engine
                    .compile(&case.template)
                    .unwrap_or_else(|e| panic!("{} ({profile:?}): {e}", case.name));
                let out = template
                    .render(&case.vars)
                    .unwrap_or_else(|e| panic!("{} ({profile:?}): {e}", case.name));
                assert!(!out.is_empty(), "{}", case.name);
            }
        }
    }
}
