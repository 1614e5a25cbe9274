//! Checking and pretty-printing rendered output as JSON or XML (`vtl render --expect/--pretty`
//! and the playground's output pane).
//!
//! Pretty-printing re-indents the text without re-serializing it: strings, numbers and key
//! order stay exactly as the template wrote them.

/// Output that is not well-formed: what is wrong and where (1-based line, column in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Checks that `text` is one well-formed JSON value.
pub fn check_json(text: &str) -> Result<(), SyntaxError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|e| {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
            // serde_json counts columns in bytes.
            let line_text = text
                .split('\n')
                .nth(e.line().saturating_sub(1))
                .unwrap_or("");
            let mut byte = e.column().saturating_sub(1).min(line_text.len());
            while !line_text.is_char_boundary(byte) {
                byte -= 1;
            }
            SyntaxError {
                message,
                line: e.line().max(1),
                column: line_text[..byte].chars().count() + 1,
            }
        })
}

/// Checks that `text` is a well-formed XML document.
pub fn check_xml(text: &str) -> Result<(), SyntaxError> {
    crate::xml::parse(text)
        .map(|_| ())
        .map_err(|e| SyntaxError {
            message: e.message,
            line: e.line,
            column: e.column,
        })
}

/// The largest result [`json`] and [`xml`] build: 64 MiB.
pub const MAX_PRETTY: usize = 64 * 1024 * 1024;

fn too_large(max: usize) -> SyntaxError {
    SyntaxError {
        message: format!("the pretty-printed text would be larger than the limit of {max} bytes"),
        line: 1,
        column: 1,
    }
}

/// Re-indents valid JSON with two spaces; empty objects and arrays stay `{}` and `[]`.
/// At most [`MAX_PRETTY`] bytes (see [`json_within`]).
pub fn json(text: &str) -> Result<String, SyntaxError> {
    json_within(text, MAX_PRETTY)
}

/// Like [`json`], failing once the result would pass `max` bytes: time and memory stay
/// linear in `max` however deeply the input nests.
pub fn json_within(text: &str, max: usize) -> Result<String, SyntaxError> {
    check_json(text)?;
    let mut out = String::with_capacity(text.len().min(max).saturating_mul(2));
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        if out.len().saturating_add(depth * 2 + 1) > max {
            return Err(too_large(max));
        }
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
        Ok(())
    };
    while let Some(c) = chars.next() {
        if out.len() >= max {
            return Err(too_large(max));
        }
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth)?;
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth)?;
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth)?;
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Re-indents a well-formed XML document with two spaces, one element per line; an element
/// holding only text stays on one line. Whitespace-only text between tags is dropped and other
/// text is trimmed, so use it for reading, not where mixed-content whitespace matters.
/// At most [`MAX_PRETTY`] bytes (see [`xml_within`]).
pub fn xml(text: &str) -> Result<String, SyntaxError> {
    xml_within(text, MAX_PRETTY)
}

/// Like [`xml`], failing once the result would pass `max` bytes.
pub fn xml_within(text: &str, max: usize) -> Result<String, SyntaxError> {
    check_xml(text)?;
    let items = xml_items(text);
    let mut out = String::with_capacity(text.len().min(max).saturating_mul(2));
    let mut depth = 0usize;
    let mut i = 0;
    let line = |out: &mut String, depth: usize, s: &str| {
        if out.len().saturating_add(depth * 2 + s.len() + 1) > max {
            return Err(too_large(max));
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(s);
        Ok(())
    };
    while i < items.len() {
        let item = items[i];
        if !item.starts_with('<') {
            line(&mut out, depth, item.trim())?;
        } else if item.starts_with("</") {
            depth = depth.saturating_sub(1);
            line(&mut out, depth, item)?;
        } else if item.starts_with("<?") || item.starts_with("<!") || item.ends_with("/>") {
            line(&mut out, depth, item)?;
        } else {
            // An opening tag: keep `<a>text</a>` and `<a></a>` on one line.
            let next_is_close = |j: usize| items.get(j).is_some_and(|s| s.starts_with("</"));
            if next_is_close(i + 1) {
                line(&mut out, depth, &format!("{item}{}", items[i + 1]))?;
                i += 2;
                continue;
            }
            if items.get(i + 1).is_some_and(|s| !s.starts_with('<')) && next_is_close(i + 2) {
                line(
                    &mut out,
                    depth,
                    &format!("{item}{}{}", items[i + 1], items[i + 2]),
                )?;
                i += 3;
                continue;
            }
            line(&mut out, depth, item)?;
            depth += 1;
        }
        i += 1;
    }
    Ok(out)
}

/// Splits XML into markup items (tags, comments, CDATA, declarations) and non-blank text runs.
fn xml_items(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if !rest.starts_with('<') {
            let end = rest.find('<').unwrap_or(rest.len());
            if !rest[..end].trim().is_empty() {
                items.push(&rest[..end]);
            }
            rest = &rest[end..];
            continue;
        }
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<![CDATA[") {
            rest.find("]]>").map(|i| i + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else {
            let mut quote = None;
            rest.char_indices()
                .find(|&(_, c)| match (quote, c) {
                    (Some(q), c) if c == q => {
                        quote = None;
                        false
                    }
                    (Some(_), _) => false,
                    (None, '"' | '\'') => {
                        quote = Some(c);
                        false
                    }
                    (None, c) => c == '>',
                })
                .map(|(i, _)| i + 1)
        }
        .unwrap_or(rest.len());
        items.push(&rest[..end]);
        rest = &rest[end..];
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_keeps_the_text_of_values() {
        let out = json(r#"{"a":[1.0,{}, []],"b":"x\"y,{","c":{"d":1e5}}"#).unwrap();
        assert_eq!(
            out,
            "{\n  \"a\": [\n    1.0,\n    {},\n    []\n  ],\n  \"b\": \"x\\\"y,{\",\n  \"c\": {\n    \"d\": 1e5\n  }\n}"
        );
    }

    #[test]
    fn json_errors_have_positions() {
        let e = check_json("{\n  \"é\": 1\n  \"b\": 2}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        assert_eq!(e.message, "expected `,` or `}`");
    }

    #[test]
    fn pretty_xml() {
        let out = xml(r#"<?xml version="1.0"?><a x="1>"><b>t</b><c/><d><!--n--><e></e></d></a>"#)
            .unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?>\n<a x=\"1>\">\n  <b>t</b>\n  <c/>\n  <d>\n    <!--n-->\n    <e></e>\n  </d>\n</a>"
        );
    }
}
