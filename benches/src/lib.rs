//! The reference benchmark cases (`cases/*.json`), embedded at build time so that benchmarks
//! and tests need no files at run time.
//!
//! Each case file holds `id`, `template`, and either `vars` (the `.core` form: the VTL work over
//! pre-parsed variables) or only `apigw` (the `.apigw` form: `$input.path` over a raw body).
//! Both forms also carry an `apigw` request (`context`, `stageVariables`, …).
//!
//! The crate also runs the workspace README's Rust examples as doctests.

pub mod baseline;

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
        .map(|&(name, text)| Case::parse(name, text).unwrap_or_else(|e| panic!("{e}")))
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

impl Case {
    /// Reads a case file's text (`template`, and `vars` and `apigw` when present).
    pub fn parse(name: &'static str, text: &str) -> Result<Case, String> {
        let case = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        Case::from_json(name, case)
    }

    /// A case from its parsed file.
    pub fn from_json(name: &'static str, mut case: serde_json::Value) -> Result<Case, String> {
        let template = case["template"]
            .as_str()
            .ok_or_else(|| format!("{name}: no template"))?
            .to_string();
        let vars = match case.get_mut("vars") {
            Some(v) => v.take(),
            None => serde_json::json!({}),
        };
        let apigw = case.get_mut("apigw").map(serde_json::Value::take);
        Ok(Case {
            name,
            template,
            vars,
            apigw,
        })
    }

    /// The raw request body of an `.apigw` case (`None` for a `.core` case).
    pub fn raw_body(&self) -> Option<&str> {
        if self.vars.as_object().is_some_and(|v| !v.is_empty()) {
            return None;
        }
        self.apigw.as_ref()?.get("body")?.as_str()
    }

    /// What the hand-written baseline reads of the request: `$context`, `$stageVariables`
    /// and the parameters (the request's, or the `.core` form's `params_all`).
    pub fn baseline_request(&self) -> baseline::Request<'_> {
        const NULL: &serde_json::Value = &serde_json::Value::Null;
        let apigw = self.apigw.as_ref().unwrap_or(NULL);
        let params = match apigw.get("params") {
            Some(p) => p,
            None => self.vars.get("params_all").unwrap_or(NULL),
        };
        baseline::Request {
            context: apigw.get("context").unwrap_or(NULL),
            stage_variables: apigw.get("stageVariables").unwrap_or(NULL),
            params,
        }
    }

    /// The hand-written baseline's output for this case.
    pub fn baseline(&self) -> String {
        baseline::run(
            self.name,
            &self.vars,
            self.raw_body(),
            &self.baseline_request(),
        )
    }
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

    /// The hand-written baselines produce exactly what the templates produce (aws profile),
    /// in both forms, so the benchmark compares equal work.
    #[test]
    fn baselines_equal_the_templates() {
        let engine = Engine::new(Profile::Aws);
        for case in core_cases().iter().chain(&apigw_cases()) {
            let request = vtl::Request::from_json(case.apigw.as_ref().unwrap()).unwrap();
            let expected = engine
                .compile(&case.template)
                .unwrap()
                .render_request(&request, &case.vars)
                .unwrap()
                .output;
            let actual = case.baseline();
            if actual != expected {
                let at = actual
                    .bytes()
                    .zip(expected.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                let lo = at.saturating_sub(80);
                panic!(
                    "{} ({}): baseline differs at byte {at}\nbaseline: {:?}\ntemplate: {:?}",
                    case.name,
                    if case.raw_body().is_some() {
                        "apigw"
                    } else {
                        "core"
                    },
                    actual.get(lo..(at + 80).min(actual.len())).unwrap_or(""),
                    expected
                        .get(lo..(at + 80).min(expected.len()))
                        .unwrap_or(""),
                );
            }
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
