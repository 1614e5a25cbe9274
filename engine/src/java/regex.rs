//! Java regular expressions (`java.util.regex`, JDK 17): the `java-regex` crate, its errors
//! as [`JavaException`]s and its work charged to the budget in force. A budget installs its
//! meter (`budget.rs`) while it is in force, so a search is bounded by the fuel left (16 matcher steps
//! a unit) and split parts and replacement results are charged to the memory before they are
//! taken; the renderer charges the steps taken ([`take_work`]) to the fuel.

pub use java_regex::{take_work, JavaRegex, RegexCache, Throwable};

use super::JavaException;

impl From<Throwable> for JavaException {
    fn from(e: Throwable) -> JavaException {
        JavaException {
            class: e.class.to_string(),
            message: e.message,
        }
    }
}

/// `String.split(regex, limit)`.
pub fn split<'s>(
    s: &'s str,
    regex: &str,
    limit: i32,
    cache: &mut RegexCache,
) -> Result<Vec<&'s str>, JavaException> {
    Ok(java_regex::split(s, regex, limit, cache)?)
}

/// `String.matches(regex)`.
pub fn matches(s: &str, regex: &str, cache: &mut RegexCache) -> Result<bool, JavaException> {
    Ok(java_regex::matches(s, regex, cache)?)
}

#[cfg(test)]
/// `String.replaceAll(regex, replacement)`.
pub fn replace_all(
    s: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, JavaException> {
    Ok(java_regex::replace_all(s, regex, replacement, cache)?)
}

#[cfg(test)]
/// `String.replaceFirst(regex, replacement)`.
pub fn replace_first(
    s: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, JavaException> {
    Ok(java_regex::replace_first(s, regex, replacement, cache)?)
}
