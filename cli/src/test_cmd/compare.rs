//! `vtl test`: running one template case (compile, render with its request and variables) and
//! comparing the result with what the case expects.

use serde_json::{Map, Value as Json};
use vtl::{Engine, Error, Profile, Rendered, Request};
use vtl_gateway::compare::{self, subset, Expected};

use super::case::{error_text, Args, Case, Doc, Expect, Status};
use super::update::update;

/// Compiles and renders a case.
fn render(case: &Case, default_profile: Profile) -> Result<Rendered, Error> {
    let profile = case.profile.unwrap_or(default_profile);
    let mut engine = Engine::new(profile).with_extensions(case.extensions);
    if let Some(fuel) = case.fuel {
        let mut limits = vtl::Limits::for_profile(profile);
        limits.fuel = fuel;
        engine = engine.with_limits(limits);
    }
    let template = engine.compile(&case.template)?;
    let vars = if case.vars.is_null() {
        Json::Object(Map::new())
    } else {
        case.vars.clone()
    };
    match &case.request {
        Some(r) => template.render_request(&Request::from_json(r)?, &vars),
        // API Gateway templates always see a request; an absent one is an empty request.
        None if profile == Profile::Aws => template.render_request(&Request::default(), &vars),
        None => template.render_full(&vars),
    }
}

fn error_matches(e: &Error, expected: &str) -> bool {
    let want = expected.trim();
    want.is_empty()
        || e.to_string().contains(want)
        || error_text(e).contains(want)
        || e.kind().name() == want
}

pub(super) fn run_case(case: &Case, args: &Args, docs: &mut [Doc]) -> Status {
    let result = render(case, args.profile);
    let status = check(case, &result, args.exact);
    if !args.update || matches!(status, Status::Pass) {
        return status;
    }
    match update(case, &result, docs) {
        Ok(what) => Status::Updated(what),
        Err(message) => Status::Fail {
            message,
            diff: None,
        },
    }
}

fn check(case: &Case, result: &Result<Rendered, Error>, exact: bool) -> Status {
    let rendered = match (result, &case.expect) {
        (Err(e), Expect::Error(want)) => {
            return if error_matches(e, want) {
                Status::Pass
            } else {
                Status::Fail {
                    message: format!(
                        "expected an error containing `{}`, got: {}",
                        want.trim(),
                        error_text(e)
                    ),
                    diff: None,
                }
            };
        }
        (Err(e), _) => {
            return Status::Fail {
                message: format!("{:#}", e.clone().with_name(case.template_name.clone())),
                diff: None,
            };
        }
        (Ok(r), Expect::Error(want)) => {
            return Status::Fail {
                message: format!(
                    "expected an error containing `{}`, but the template rendered:\n{}",
                    want.trim(),
                    r.output
                ),
                diff: None,
            };
        }
        (Ok(r), _) => r,
    };
    let out = &rendered.output;
    for (key, expected, actual) in [
        (
            "requestOverride",
            &case.request_override,
            &rendered.request_override,
        ),
        (
            "responseOverride",
            &case.response_override,
            &rendered.response_override,
        ),
    ] {
        if let Some(expected) = expected {
            let actual = actual.clone().unwrap_or(Json::Null);
            if !subset(expected, &actual) {
                return Status::Fail {
                    message: format!("{key} differs: expected {expected} within {actual}"),
                    diff: None,
                };
            }
        }
    }
    let expected = match &case.expect {
        Expect::Nothing => return Status::Skip("no expected output".into()),
        Expect::Error(_) => unreachable!("handled above"),
        Expect::Text(e) => Expected::Text(e.clone()),
        Expect::Json(e) => Expected::Json(e.clone()),
        Expect::Xml(e) => Expected::Xml(e.clone()),
    };
    match compare::compare(&expected, out, exact, "output") {
        Ok(()) => Status::Pass,
        Err(m) => Status::Fail {
            message: m.message,
            diff: m.diff,
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value as Json;
    use vtl_gateway::compare::json_eq;

    #[test]
    fn json_numbers_compare_exactly() {
        let n = |t: &str| serde_json::from_str::<Json>(t).unwrap();
        assert!(!json_eq(&n("9007199254740992"), &n("9007199254740993")));
        assert!(!json_eq(
            &n("0.1000000000000000055511151231257827"),
            &n("0.1")
        ));
        for (a, b) in [
            ("1.0", "1"),
            ("1.5e1", "15"),
            ("-0", "0"),
            ("100", "1e2"),
            ("0.50", "5e-1"),
        ] {
            assert!(json_eq(&n(a), &n(b)), "{a} {b}");
        }
        assert!(!json_eq(&n("-1"), &n("1")));
    }
}
