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
}
