//! Java regular expressions: `java.util.regex` of JDK 17, reproduced in Rust.
//!
//! Templates, configurations and APIs written for the JVM carry Java patterns, and those
//! patterns mean something slightly different to every other regex dialect: `(?i)` is
//! ASCII-only unless `(?u)`, `$` matches before a final line terminator, a repeated group keeps
//! captures of an iteration it gave back, `split` drops trailing empty strings, a replacement
//! string reads `$1` and `${name}`. No library has Java's semantics, so this crate is
//! hand-written after `java.util.regex.Pattern` and `Matcher`: the same grammar and flags,
//! the same `PatternSyntaxException` messages and error indices, the same matches in the same
//! order, checked against about 7,450 vectors produced by JDK 17.
//!
//! ```
//! use java_regex::{JavaRegex, RegexCache};
//!
//! let re = JavaRegex::new(r"(\w+)@(\w+)\.com").unwrap();
//! assert!(re.matches("jane@example.com").unwrap());
//! assert_eq!(re.find_at("mail jane@example.com", 0).unwrap(), Some((5, 21)));
//! assert_eq!(re.replace("a@b.com, c@d.com", "$2:$1", true).unwrap(), "b:a, d:c");
//!
//! // `String` methods, through a cache of compiled patterns.
//! let mut cache = RegexCache::default();
//! assert_eq!(java_regex::split("a,b,,", ",", 0, &mut cache).unwrap(), ["a", "b"]);
//! assert_eq!(
//!     java_regex::replace_all("x", "(", "y", &mut cache).unwrap_err().to_string(),
//!     "java.util.regex.PatternSyntaxException: Unclosed group near index 1\n("
//! );
//! ```
//!
//! Errors are [`Throwable`]s: the Java class and message that JDK 17 would throw, so
//! `to_string()` reads like Java's `Throwable.toString()`.
//!
//! # How it works
//!
//! `parse` reads a pattern exactly as `Pattern` does, `class` resolves character classes and
//! properties against JDK 17's Unicode tables (`unicode`), `program` compiles the tree and
//! `exec` runs it with Java's backtracking semantics: leftmost alternatives first, greedy/lazy/
//! possessive quantifiers, atomic groups, look-ahead and bounded look-behind, back references,
//! Java's line terminators for `.`, `^`, `$`, `\Z` and `\R`, and a loop iteration that matches
//! nothing ending the loop (`Pattern.Loop`). Matching follows `Matcher.find`: a search resumes
//! at the end of the previous match and skips one character after an empty match, so `split`
//! and `replaceAll` agree with Java (e.g. `"abc".split("b*")` is `[a, , c]`).
//!
//! # Differences from Java
//!
//! `\X`, `\b{g}` and `\N{name}` are not supported (a `PatternSyntaxException` says so).
//! Positions are byte offsets into UTF-8 text and a search steps whole code points, so an
//! empty match never splits a surrogate pair as Java's can. Java has no bound on a search;
//! here each is bounded (see below) and a runaway pattern fails with
//! `java.lang.StackOverflowError`, as Java eventually would.
//!
//! # Bounding work
//!
//! Standalone use is bounded by construction: a search may take about 20 million matcher
//! steps (plus 64 a byte of text) and hold 4 million backtrack entries. A caller with a
//! budget of its own (a template renderer charging fuel and memory) installs a [`Meter`] on
//! its thread with [`install_meter`]: each search asks it how many steps it may take, a split
//! asks before each part and a replacement before it takes room for its result, always before
//! the work or allocation. The steps every search took are added to a per-thread count that
//! [`take_work`] drains, for the caller to charge afterwards. The meter is per thread rather
//! than an argument so that regexes held anywhere (a cache, a compiled filter) need no extra
//! parameter, and a search pays one thread-local read and one dynamic call for it.

mod cache;
mod class;
mod error;
mod exec;
mod memo;
mod meter;
mod parse;
mod pattern;
mod program;
mod replacement;
mod string;
mod unicode;

pub use cache::{RegexCache, GLOBAL_CAPACITY};
pub use error::Throwable;
pub use meter::{install_meter, take_work, Meter, MeterScope};
pub use pattern::{JavaRegex, MatchResult};
pub use string::{matches, replace_all, replace_first, split};

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
