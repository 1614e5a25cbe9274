//! MOCK integrations: the endpoint status is the `statusCode` of the rendered request template,
//! read leniently (`{statusCode: 200}`, as CDK generates for CORS, is accepted), then selected
//! like an HTTP status.

use serde_json::Value as Json;

/// [OPEN] A MOCK whose request has no template to apply: the docs say the default integration
/// response is returned; LocalStack answers 500. Chosen: the docs (no status is read and the
/// default response is selected).
pub(crate) const MOCK_WITHOUT_TEMPLATE_USES_DEFAULT: bool = true;

/// [OPEN] Whether `{"statusCode": "200"}` (a string) is accepted. Chosen: yes, as a lenient
/// reading of the template's output.
pub(crate) const MOCK_STATUS_STRING_ACCEPTED: bool = true;

/// The log message when no status can be read (LocalStack's text).
pub(crate) const UNPARSABLE_STATUS: &str =
    "Unable to parse statusCode. It should be an integer that is defined in the request template.";

/// Reads `statusCode` from a rendered MOCK request template.
pub(crate) fn status_code(output: &str) -> Option<u16> {
    if let Some(n) = plain_status(output) {
        return valid(n);
    }
    if let Ok(Json::Object(m)) = serde_json::from_str::<Json>(output) {
        return match m.get("statusCode") {
            Some(Json::Number(n)) => n.as_u64().and_then(valid),
            Some(Json::String(s)) if MOCK_STATUS_STRING_ACCEPTED => {
                s.trim().parse().ok().and_then(valid)
            }
            _ => None,
        };
    }
    lenient(output)
}

/// The common shape, `{"statusCode": 200}` (JSON whitespace anywhere between the tokens),
/// read without building a JSON value: `None` for anything else, which the full reading
/// handles.
fn plain_status(text: &str) -> Option<u64> {
    fn ws(s: &str) -> &str {
        s.trim_start_matches([' ', '\t', '\n', '\r'])
    }
    let rest = ws(ws(text).strip_prefix('{')?);
    let rest = ws(rest.strip_prefix("\"statusCode\"")?);
    let rest = ws(rest.strip_prefix(':')?);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    // JSON numbers have no leading zeros; 19 digits always fit a u64.
    if digits == 0 || digits > 19 || (digits > 1 && rest.starts_with('0')) {
        return None;
    }
    let n = rest[..digits].parse().ok()?;
    let rest = ws(&rest[digits..]);
    ws(rest.strip_prefix('}')?).is_empty().then_some(n)
}

fn valid(n: u64) -> Option<u16> {
    u16::try_from(n).ok().filter(|n| (100..=599).contains(n))
}

/// Finds `statusCode` (quoted or not) followed by `:` and an integer (quoted when strings are
/// accepted), anywhere in the text.
fn lenient(text: &str) -> Option<u16> {
    let mut rest = text;
    while let Some(i) = rest.find("statusCode") {
        let after = &rest[i + "statusCode".len()..];
        let after = after
            .strip_prefix(['"', '\''])
            .unwrap_or(after)
            .trim_start();
        if let Some(value) = after.strip_prefix(':') {
            let value = value.trim_start();
            let (quoted, value) = match value.strip_prefix(['"', '\'']) {
                Some(v) => (true, v),
                None => (false, value),
            };
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && (!quoted || MOCK_STATUS_STRING_ACCEPTED) {
                return digits.parse().ok().and_then(valid);
            }
        }
        rest = &rest[i + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_from_the_template_output() {
        assert_eq!(status_code(r#"{"statusCode": 200}"#), Some(200));
        assert_eq!(status_code("{statusCode: 200}"), Some(200));
        assert_eq!(status_code("{\n  \"statusCode\" : 404\n}"), Some(404));
        assert_eq!(status_code(r#" "statusCode": 500 "#), Some(500));
        assert_eq!(
            status_code(r#"{"statusCode": "201"}"#),
            MOCK_STATUS_STRING_ACCEPTED.then_some(201)
        );
        assert_eq!(status_code(r#"{"statusCode": 2000}"#), None);
        assert_eq!(status_code(r#"{"status": 200}"#), None);
        assert_eq!(status_code(""), None);
        assert_eq!(status_code("{statusCode: x}"), None);
    }

    #[test]
    fn the_plain_shape_reads_as_json_does() {
        // Where the shortcut answers, it answers as the JSON reading does.
        for text in [
            r#"{"statusCode": 200}"#,
            "\n {\r\n\t\"statusCode\" :404 }\n",
            r#"{"statusCode":0}"#,
            r#"{"statusCode": 99}"#,
            r#"{"statusCode": 600}"#,
            r#"{"statusCode": 9999999999999999999}"#,
        ] {
            let json: Json = serde_json::from_str(text).unwrap();
            assert_eq!(plain_status(text), json["statusCode"].as_u64(), "{text}");
        }
        // Anything else is left to it.
        for text in [
            r#"{"statusCode": 0200}"#,
            r#"{"statusCode": 200, "x": 1}"#,
            r#"{"statusCode": 2e2}"#,
            r#"{"statusCode": -1}"#,
            r#"{"statusCode": 200} x"#,
            r#"{statusCode: 200}"#,
            r#"{"statusCode": 99999999999999999999}"#,
        ] {
            assert_eq!(plain_status(text), None, "{text}");
        }
        assert_eq!(status_code(r#"{"statusCode": 0200}"#), Some(200));
    }
}
