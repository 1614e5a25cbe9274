//! Replacement strings: `Matcher.replaceAll` / `replaceFirst` with Java's `$n`, `${name}`
//! and `\x` syntax, parsed like `Matcher.appendExpandedReplacement` (same errors).

use crate::error::Throwable;
use crate::error::{ILLEGAL_ARGUMENT_EXCEPTION, INDEX_OUT_OF_BOUNDS_EXCEPTION};
use crate::meter;
use crate::pattern::JavaRegex;

impl JavaRegex {
    /// `Matcher.replaceAll` (`all`) or `replaceFirst` with a Java replacement string.
    ///
    /// An installed [`Meter`](crate::Meter) is asked before the result takes more room;
    /// when it refuses, the result is an empty string.
    pub fn replace(&self, text: &str, replacement: &str, all: bool) -> Result<String, Throwable> {
        let mut segments: Option<Vec<Segment>> = None;
        let mut out = String::new();
        // The result's room is charged to the meter before it is taken, doubling as a
        // string does.
        let mut charged = 0usize;
        let meter = meter::current();
        let mut room = |out: &mut String, more: usize| -> bool {
            let need = out.len().saturating_add(more);
            if need > charged {
                let cap = need.max(charged.saturating_mul(2)).max(64);
                if !meter.alloc_text(cap - charged) {
                    return false;
                }
                charged = cap;
                out.reserve_exact(cap - out.len());
            }
            true
        };
        let mut last = 0;
        let mut out_of_room = false;
        self.each_match(text, |m, s, e| {
            // Java parses the replacement at each match; its errors only surface once
            // something matched, and they are the same every time, so parse it once.
            let segs = match &segments {
                Some(v) => v,
                None => segments.insert(if replacement.contains(['$', '\\']) {
                    self.parse_replacement(replacement)?
                } else {
                    vec![Segment::Text(replacement.to_string())]
                }),
            };
            let added: usize = segs
                .iter()
                .map(|seg| match seg {
                    Segment::Text(t) => t.len(),
                    Segment::Group(g) => m.group(*g).map_or(0, |(a, b)| b - a),
                })
                .sum();
            if !room(&mut out, (s - last).saturating_add(added)) {
                out_of_room = true;
                return Ok(false);
            }
            out.push_str(&text[last..s]);
            for seg in segs {
                match seg {
                    Segment::Text(t) => out.push_str(t),
                    Segment::Group(g) => {
                        if let Some((a, b)) = m.group(*g) {
                            out.push_str(&text[a..b]);
                        }
                    }
                }
            }
            last = e;
            Ok(all)
        })?;
        if segments.is_none() {
            return Ok(text.to_string());
        }
        if out_of_room || !room(&mut out, text.len() - last) {
            return Ok(String::new());
        }
        out.push_str(&text[last..]);
        Ok(out)
    }

    /// Parses a replacement string like `Matcher.appendExpandedReplacement` (same errors).
    fn parse_replacement(&self, replacement: &str) -> Result<Vec<Segment>, Throwable> {
        let iae = |m: &str| Throwable::new(ILLEGAL_ARGUMENT_EXCEPTION, m);
        let chars: Vec<char> = replacement.chars().collect();
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                i += 1;
                let Some(&n) = chars.get(i) else {
                    return Err(iae("character to be escaped is missing"));
                };
                text.push(n);
                i += 1;
            } else if c == '$' {
                i += 1;
                let Some(&n) = chars.get(i) else {
                    return Err(iae("Illegal group reference: group index is missing"));
                };
                let group;
                if n == '{' {
                    i += 1;
                    let mut name = String::new();
                    let mut next = '\0';
                    while let Some(&ch) = chars.get(i) {
                        next = ch;
                        if ch.is_ascii_alphanumeric() {
                            name.push(ch);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    if name.is_empty() {
                        return Err(iae("named capturing group has 0 length name"));
                    }
                    if next != '}' || i >= chars.len() {
                        return Err(iae("named capturing group is missing trailing '}'"));
                    }
                    if name.starts_with(|c: char| c.is_ascii_digit()) {
                        return Err(iae(&format!(
                            "capturing group name {{{name}}} starts with digit character"
                        )));
                    }
                    match self.group_names.iter().find(|(n, _)| *n == name) {
                        Some((_, g)) => group = *g,
                        None => return Err(iae(&format!("No group with name {{{name}}}"))),
                    }
                    i += 1;
                } else {
                    let Some(d) = n.to_digit(10) else {
                        return Err(iae("Illegal group reference"));
                    };
                    let mut g = d as usize;
                    i += 1;
                    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                        let ng = g * 10 + d as usize;
                        if self.group_count < ng {
                            break;
                        }
                        g = ng;
                        i += 1;
                    }
                    if g > self.group_count {
                        return Err(Throwable::new(
                            INDEX_OUT_OF_BOUNDS_EXCEPTION,
                            format!("No group {g}"),
                        ));
                    }
                    group = g;
                }
                if !text.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut text)));
                }
                segments.push(Segment::Group(group));
            } else {
                text.push(c);
                i += 1;
            }
        }
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Ok(segments)
    }
}

/// A parsed replacement string: literal text and group references.
#[derive(Debug)]
enum Segment {
    Text(String),
    Group(usize),
}
