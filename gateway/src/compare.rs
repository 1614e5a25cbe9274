//! Comparing bodies the way `vtl test` does: exact text, JSON by value (numbers by value, key
//! order ignored), XML ignoring whitespace between tags; with a unified diff for failures.

use serde_json::Value as Json;

/// How an expected body is compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Byte for byte.
    Text(String),
    /// As JSON values (the text of the expected JSON).
    Json(String),
    /// As XML, ignoring whitespace-only text between tags.
    Xml(String),
}

/// A failed comparison: what differs and a diff, when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// One line (`JSON output differs`).
    pub message: String,
    /// A unified diff (expected → actual).
    pub diff: Option<String>,
}

/// Compares `actual` with `expected`; `exact` compares JSON and XML byte for byte. `what`
/// names the compared thing in messages (`output`, `body`).
pub fn compare(expected: &Expected, actual: &str, exact: bool, what: &str) -> Result<(), Mismatch> {
    let differs = |e: &str, a: &str, label: String| Mismatch {
        message: format!("{label} differs"),
        diff: Some(unified_diff(e, a)),
    };
    match expected {
        Expected::Text(e) => {
            if e == actual {
                Ok(())
            } else {
                Err(differs(e, actual, what.to_string()))
            }
        }
        Expected::Json(e) if exact => {
            if e == actual {
                Ok(())
            } else {
                Err(differs(e, actual, format!("JSON {what}")))
            }
        }
        Expected::Json(e) => {
            let expected: Json = serde_json::from_str(e).map_err(|err| Mismatch {
                message: format!("the expected JSON is not valid: {err}"),
                diff: None,
            })?;
            match serde_json::from_str::<Json>(actual) {
                Ok(a) if json_eq(&expected, &a) => Ok(()),
                Ok(a) => Err(differs(
                    &pretty(&expected),
                    &pretty(&a),
                    format!("JSON {what}"),
                )),
                Err(err) => Err(Mismatch {
                    message: format!("the {what} is not valid JSON: {err}"),
                    diff: Some(unified_diff(&pretty(&expected), actual)),
                }),
            }
        }
        Expected::Xml(e) => {
            let same = if exact {
                e == actual
            } else {
                normalize_xml(e) == normalize_xml(actual)
            };
            if same {
                Ok(())
            } else {
                Err(differs(e, actual, format!("XML {what}")))
            }
        }
    }
}

/// Pretty JSON text with a final newline.
pub fn pretty(v: &Json) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// Semantic JSON equality: numbers compare by exact decimal value (`1.0` equals `1`, and
/// `9007199254740993` does not equal `9007199254740992`).
pub fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| json_eq(v, w))
        }
        (Json::Number(x), Json::Number(y)) => {
            x == y || decimal(&x.to_string()).is_some_and(|d| decimal(&y.to_string()) == Some(d))
        }
        _ => a == b,
    }
}

/// A JSON number's exact value, for comparing without losing digits: the sign, the
/// significant digits and the power of ten they are scaled by (`1.50e1` → `(false, "15", 0)`).
/// Zero is `(false, "", 0)` whatever its sign. `None` for an exponent beyond `i64`.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut exp = exp.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    exp = exp.checked_add(i64::try_from(digits.len() - trimmed.len()).ok()?)?;
    if trimmed.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, trimmed.to_string(), exp))
}

/// `expected` is contained in `actual`: every key of an expected object is present and equal.
pub fn subset(expected: &Json, actual: &Json) -> bool {
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|w| subset(v, w))),
        _ => json_eq(expected, actual),
    }
}

/// Drops whitespace-only text between tags and around the document.
pub fn normalize_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s.trim();
    while let Some(i) = rest.find('>') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let gap = rest.len() - rest.trim_start().len();
        if rest[gap..].starts_with('<') {
            rest = &rest[gap..];
        }
    }
    out.push_str(rest);
    out
}

/// A unified diff of two texts (three lines of context).
pub fn unified_diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// The kind of expectation a new output would get: JSON for an object or array, XML for
/// markup, else text.
pub fn guess(output: &str) -> Expected {
    let trimmed = output.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<Json>(output).is_ok()
    {
        Expected::Json(output.to_string())
    } else if trimmed.starts_with('<') {
        Expected::Xml(output.to_string())
    } else {
        Expected::Text(output.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_by_value() {
        let e = Expected::Json(r#"{"a": 1.0, "b": [1]}"#.into());
        assert!(compare(&e, r#"{"b":[1],"a":1}"#, false, "body").is_ok());
        let m = compare(&e, r#"{"a":2,"b":[1]}"#, false, "body").unwrap_err();
        assert_eq!(m.message, "JSON body differs");
        assert!(compare(&e, r#"{"b":[1],"a":1}"#, true, "body").is_err());
        assert!(compare(&e, "nope", false, "body")
            .unwrap_err()
            .message
            .contains("not valid JSON"));
    }

    #[test]
    fn xml_ignores_indentation() {
        let e = Expected::Xml("<a>\n  <b>x</b>\n</a>\n".into());
        assert!(compare(&e, "<a><b>x</b></a>", false, "body").is_ok());
        assert!(compare(&e, "<a><b>y</b></a>", false, "body").is_err());
    }

    #[test]
    fn subsets() {
        let a = serde_json::json!({"x": {"y": 1, "z": 2}, "w": 3});
        assert!(subset(&serde_json::json!({"x": {"y": 1}}), &a));
        assert!(!subset(&serde_json::json!({"x": {"y": 2}}), &a));
    }

    #[test]
    fn guesses() {
        assert!(matches!(guess("{\"a\":1}"), Expected::Json(_)));
        assert!(matches!(guess("<a/>"), Expected::Xml(_)));
        assert!(matches!(guess("{oops"), Expected::Text(_)));
    }
}
