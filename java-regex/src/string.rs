//! The regex methods of `java.lang.String`: `split` (with its single-character fast path),
//! `matches`, `replaceAll` and `replaceFirst`, compiling through a [`RegexCache`].

use crate::cache::RegexCache;
use crate::error::Throwable;
use crate::meter;

/// `text.split(regex, limit)`: like [`JavaRegex::split`](crate::JavaRegex::split), but a
/// one-character delimiter takes `String.split`'s fast path without compiling anything (same
/// result).
pub fn split<'s>(
    text: &'s str,
    regex: &str,
    limit: i32,
    cache: &mut RegexCache,
) -> Result<Vec<&'s str>, Throwable> {
    if let Some(ch) = split_fast_char(regex) {
        return Ok(split_char(text, ch, limit));
    }
    cache.get(regex)?.split(text, limit)
}

/// The delimiter when `String.split` takes its fast path: one non-meta character, or a
/// backslash followed by a non-alphanumeric ASCII character.
fn split_fast_char(regex: &str) -> Option<char> {
    let mut it = regex.chars();
    let (a, b) = (it.next()?, it.next());
    if it.next().is_some() {
        return None;
    }
    match b {
        None if !is_meta(a) => Some(a),
        Some(c) if a == '\\' && c.is_ascii() && !c.is_ascii_alphanumeric() => Some(c),
        _ => None,
    }
}

/// The characters `String.split` does not take as a one-character delimiter (`".$|()[{^?*+\\"`).
fn is_meta(c: char) -> bool {
    matches!(
        c,
        '.' | '$' | '|' | '(' | ')' | '[' | '{' | '^' | '?' | '*' | '+' | '\\'
    )
}

fn split_char(s: &str, ch: char, limit: i32) -> Vec<&str> {
    let limited = limit > 0;
    let mut parts = Vec::new();
    let mut off = 0;
    let meter = meter::current();
    while let Some(i) = s[off..].find(ch) {
        let next = off + i;
        if !limited || (parts.len() as i64) < limit as i64 - 1 {
            // Each part is charged as it is found.
            if !meter.alloc_part() {
                return parts;
            }
            parts.push(&s[off..next]);
            off = next + ch.len_utf8();
        } else {
            parts.push(&s[off..]);
            off = s.len();
            break;
        }
    }
    if off == 0 {
        return vec![s];
    }
    if !limited || (parts.len() as i64) < limit as i64 {
        parts.push(&s[off..]);
    }
    if limit == 0 {
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
    }
    parts
}

/// `text.matches(regex)`: does the whole string match?
pub fn matches(text: &str, regex: &str, cache: &mut RegexCache) -> Result<bool, Throwable> {
    cache.get(regex)?.matches(text)
}

/// `text.replaceAll(regex, replacement)`.
pub fn replace_all(
    text: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, Throwable> {
    cache.get(regex)?.replace(text, replacement, true)
}

/// `text.replaceFirst(regex, replacement)`.
pub fn replace_first(
    text: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, Throwable> {
    cache.get(regex)?.replace(text, replacement, false)
}
