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
mod program;
mod replacement;
mod string;
mod unicode;

use exec::Exec;
use program::Program;

pub use cache::{RegexCache, GLOBAL_CAPACITY};
pub use error::Throwable;
pub use meter::{install_meter, take_work, Meter, MeterScope};
pub use string::{matches, replace_all, replace_first, split};

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

/// A compiled Java regular expression (`java.util.regex.Pattern` compiled without flags;
/// flags go inline, as in `(?i)`).
///
/// Positions are byte offsets into the UTF-8 text, always on character boundaries.
#[derive(Debug)]
pub struct JavaRegex {
    program: Program,
    group_count: usize,
    group_names: Vec<(String, usize)>,
}

/// One match as `Matcher.find()` reports it (`java.util.regex.MatchResult`), with its groups
/// as byte ranges.
#[derive(Clone, Copy)]
pub struct MatchResult<'m> {
    exec: &'m Exec<'m, 'm>,
    start: usize,
    end: usize,
}

impl MatchResult<'_> {
    /// Where the match starts (`start()`).
    pub fn start(&self) -> usize {
        self.start
    }

    /// Where the match ends (`end()`).
    pub fn end(&self) -> usize {
        self.end
    }

    /// The range of group `g` (`0` is the whole match), or `None` when that group took no
    /// part in the match or the pattern has no such group (`group(g)` is null).
    pub fn group(&self, g: usize) -> Option<(usize, usize)> {
        self.exec.group(g)
    }
}

impl std::fmt::Debug for MatchResult<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchResult")
            .field("start", &self.start)
            .field("end", &self.end)
            .finish()
    }
}

impl JavaRegex {
    /// Compiles a Java pattern (`Pattern.compile(pattern)` with no flags), or returns the
    /// `PatternSyntaxException` Java throws.
    pub fn new(pattern: &str) -> Result<JavaRegex, Throwable> {
        let parsed = parse::parse(pattern)?;
        Ok(JavaRegex {
            program: program::compile(&parsed.node, parsed.group_count),
            group_count: parsed.group_count,
            group_names: parsed.group_names,
        })
    }

    /// Number of capturing groups (`Matcher.groupCount()`).
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// `Matcher.matches`: does the whole of `text` match?
    pub fn matches(&self, text: &str) -> Result<bool, Throwable> {
        Ok(Exec::new(&self.program, text, 0, true).at(0)?.is_some())
    }

    /// The first match starting at byte offset `pos` or later, as a byte range
    /// (`Matcher.find(pos)`).
    pub fn find_at(&self, text: &str, pos: usize) -> Result<Option<(usize, usize)>, Throwable> {
        Exec::new(&self.program, text, pos, false).find(pos)
    }

    /// Calls `f` for each match as successive `Matcher.find()` calls report them; `f` returns
    /// false to stop.
    pub fn for_each_match(
        &self,
        text: &str,
        mut f: impl FnMut(&MatchResult<'_>) -> bool,
    ) -> Result<(), Throwable> {
        self.each_match(text, |exec, start, end| {
            Ok(f(&MatchResult { exec, start, end }))
        })
    }

    /// Calls `f(exec, start, end)` for each match as `Matcher.find()` would report them (the
    /// matcher holds the groups); `f` returns false to stop.
    fn each_match(
        &self,
        text: &str,
        mut f: impl FnMut(&Exec, usize, usize) -> Result<bool, Throwable>,
    ) -> Result<(), Throwable> {
        let mut exec = Exec::new(&self.program, text, 0, false);
        let mut from = 0;
        loop {
            let Some((s, e)) = exec.find(from)? else {
                return Ok(());
            };
            if !f(&exec, s, e)? {
                return Ok(());
            }
            exec.last_end = e;
            from = if s == e { next_boundary(text, e) } else { e };
            if from > text.len() {
                return Ok(());
            }
        }
    }

    /// Every match (group 0 byte ranges), in `Matcher.find()` order.
    pub fn find_all(&self, text: &str) -> Result<Vec<(usize, usize)>, Throwable> {
        let mut v = Vec::new();
        self.each_match(text, |_, s, e| {
            v.push((s, e));
            Ok(true)
        })?;
        Ok(v)
    }

    /// `Pattern.split(text, limit)` (Java 8+ rules: no leading empty string for a zero-width
    /// match at the start; trailing empty strings dropped when `limit == 0`).
    ///
    /// An installed [`Meter`] is asked before each part; when it refuses, the parts found so
    /// far are returned.
    pub fn split<'t>(&self, text: &'t str, limit: i32) -> Result<Vec<&'t str>, Throwable> {
        let mut parts = Vec::new();
        let mut index = 0;
        let limited = limit > 0;
        let mut matched_any = false;
        let meter = meter::current();
        self.each_match(text, |_, s, e| {
            if !limited || (parts.len() as i64) < limit as i64 - 1 {
                if index == 0 && s == 0 && e == 0 {
                    return Ok(true);
                }
                // Each part is charged as it is found.
                if !meter.alloc_part() {
                    return Ok(false);
                }
                parts.push(&text[index..s]);
                index = e;
                matched_any = true;
                Ok(true)
            } else {
                parts.push(&text[index..]);
                index = e;
                matched_any = true;
                Ok(false)
            }
        })?;
        if !matched_any || index == 0 {
            return Ok(vec![text]);
        }
        if !limited || (parts.len() as i64) < limit as i64 {
            parts.push(&text[index.min(text.len())..]);
        }
        if limit == 0 {
            while parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
        }
        Ok(parts)
    }
}

/// The byte offset of the character after the one starting at `i` (or `len + 1` at the end).
fn next_boundary(text: &str, i: usize) -> usize {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => i + c.len_utf8(),
        None => text.len() + 1,
    }
}
