//! Java regular expressions (`java.util.regex`, JDK 17): the `java-regex` crate, its errors
//! as [`JavaException`]s and its work charged to the budget in force. A budget installs the
//! meter here while it is in force, so a search is bounded by the fuel left (16 matcher steps
//! a unit) and split parts and replacement results are charged to the memory before they are
//! taken; the renderer charges the steps taken ([`take_work`]) to the fuel.

pub use java_regex::{take_work, JavaRegex, RegexCache, Throwable, GLOBAL_CAPACITY};

use super::JavaException;
use crate::budget;

impl From<Throwable> for JavaException {
    fn from(e: Throwable) -> JavaException {
        JavaException {
            class: e.class.to_string(),
            message: e.message,
        }
    }
}

/// The budget in force on this thread, as the regex crate meters it.
struct Budget;

impl java_regex::Meter for Budget {
    fn steps_left(&self) -> u64 {
        budget::fuel_left().saturating_mul(16).saturating_add(16)
    }

    fn alloc_part(&self) -> bool {
        // Each part becomes a list entry and a String.
        budget::alloc(budget::ENTRY + budget::OBJECT)
    }

    fn alloc_text(&self, bytes: usize) -> bool {
        budget::alloc(bytes)
    }
}

/// Meters this thread's regex work with the budget in force until the scope is dropped.
pub(crate) fn meter() -> java_regex::MeterScope {
    java_regex::install_meter(&Budget)
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

/// `String.replaceAll(regex, replacement)`.
pub fn replace_all(
    s: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, JavaException> {
    Ok(java_regex::replace_all(s, regex, replacement, cache)?)
}

/// `String.replaceFirst(regex, replacement)`.
pub fn replace_first(
    s: &str,
    regex: &str,
    replacement: &str,
    cache: &mut RegexCache,
) -> Result<String, JavaException> {
    Ok(java_regex::replace_first(s, regex, replacement, cache)?)
}
