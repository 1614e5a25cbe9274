//! A compiled pattern ([`JavaRegex`], `java.util.regex.Pattern`) and what its matcher finds
//! ([`MatchResult`], `java.util.regex.MatchResult`).

use crate::error::Throwable;
use crate::exec::Exec;
use crate::program::{self, Program};
use crate::{meter, parse};

/// A compiled Java regular expression (`java.util.regex.Pattern` compiled without flags;
/// flags go inline, as in `(?i)`).
///
/// Positions are byte offsets into the UTF-8 text, always on character boundaries.
#[derive(Debug)]
pub struct JavaRegex {
    program: Program,
    pub(crate) group_count: usize,
    pub(crate) group_names: Vec<(String, usize)>,
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
    pub(crate) fn each_match(
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
    /// An installed [`Meter`](crate::Meter) is asked before each part; when it refuses, the parts found so
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
