//! Java regular expressions (`java.util.regex`, JDK 17), implemented here.
//!
//! `parse.rs` reads a pattern exactly as `java.util.regex.Pattern` does (same grammar, flags,
//! `PatternSyntaxException` messages and indices), `class.rs` resolves character classes and
//! properties against JDK 17's Unicode tables, `program.rs` compiles the tree and `exec.rs`
//! runs it with Java's backtracking semantics: leftmost alternatives first, greedy/lazy/
//! possessive quantifiers, atomic groups, look-ahead and bounded look-behind, back references,
//! `(?i)` ASCII-only unless `(?u)`, Java's line terminators for `.`, `^`, `$`, `\Z` and `\R`,
//! and a loop iteration that matches nothing ending the loop (`Pattern.Loop`).
//!
//! Matching follows `java.util.regex.Matcher`: `find` resumes at the end of the previous match
//! and skips one character after an empty match, so `split`/`replaceAll` agree with Java
//! (e.g. `"abc".split("b*")` is `[a, , c]`). Replacement strings use Java's `$n`, `${name}`
//! and `\x` rules and errors.
//!
//! Known gaps (reported as `PatternSyntaxException` with an "unsupported" description):
//! `\X`, `\b{g}` and `\N{name}`. Positions are code points, not UTF-16 units, so an empty
//! match never splits a surrogate pair as Java's can. Work per search is bounded; a pattern
//! that backtracks without end fails with `java.lang.StackOverflowError`, as it would in Java.

mod class;
mod exec;
mod parse;
mod program;

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};

use exec::Exec;
use program::Program;

use super::JavaException;

const PATTERN_SYNTAX: &str = "java.util.regex.PatternSyntaxException";

thread_local! {
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Matcher steps spent on this thread since the previous call, which resets the count. The
/// renderer charges them to the template's fuel, so a loop of expensive searches ends.
pub fn take_work() -> u64 {
    WORK.with(|w| w.replace(0))
}

fn add_work(steps: u64) {
    WORK.with(|w| w.set(w.get().saturating_add(steps)));
}

/// A compiled Java regular expression.
#[derive(Debug)]
pub struct JavaRegex {
    program: Program,
    group_count: usize,
    group_names: Vec<(String, usize)>,
}

/// A bounded cache of compiled patterns (including failures), meant to live in a render
/// context so that templates do not recompile a pattern on every call.
///
/// Compiling costs far more than a typical render (~100 µs per pattern), so a miss in this
/// cache falls back to a process-wide one shared by all caches and threads
/// ([`GLOBAL_CAPACITY`] patterns); a fresh `RegexCache` per render therefore stays cheap.
#[derive(Debug)]
pub struct RegexCache {
    local: Fifo,
}

/// How many patterns the process-wide cache keeps.
pub const GLOBAL_CAPACITY: usize = 512;

type Compiled = Result<Arc<JavaRegex>, JavaException>;

/// A map that forgets its oldest entry when full.
#[derive(Debug)]
struct Fifo {
    map: HashMap<Box<str>, Compiled>,
    order: VecDeque<Box<str>>,
    capacity: usize,
}

impl Fifo {
    fn new(capacity: usize) -> Fifo {
        Fifo {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn insert(&mut self, pattern: &str, compiled: Compiled) {
        if self.map.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
        let key: Box<str> = pattern.into();
        self.order.push_back(key.clone());
        self.map.insert(key, compiled);
    }
}

static GLOBAL: LazyLock<Mutex<Fifo>> = LazyLock::new(|| Mutex::new(Fifo::new(GLOBAL_CAPACITY)));

impl Default for RegexCache {
    fn default() -> Self {
        RegexCache::new(64)
    }
}

impl RegexCache {
    /// A cache holding at most `capacity` patterns (oldest evicted first).
    pub fn new(capacity: usize) -> RegexCache {
        RegexCache {
            local: Fifo::new(capacity),
        }
    }

    /// The compiled form of Java pattern `pattern`, or the `PatternSyntaxException` Java throws.
    pub fn get(&mut self, pattern: &str) -> Result<Arc<JavaRegex>, JavaException> {
        if let Some(hit) = self.local.map.get(pattern) {
            return hit.clone();
        }
        let shared = GLOBAL.lock().ok().and_then(|g| g.map.get(pattern).cloned());
        let compiled = match shared {
            Some(c) => c,
            None => {
                let c = JavaRegex::new(pattern).map(Arc::new);
                if let Ok(mut g) = GLOBAL.lock() {
                    g.insert(pattern, c.clone());
                }
                c
            }
        };
        self.local.insert(pattern, compiled.clone());
        compiled
    }

    /// Number of patterns in this cache (not counting the process-wide one).
    pub fn len(&self) -> usize {
        self.local.map.len()
    }

    /// True when this cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.local.map.is_empty()
    }
}

impl JavaRegex {
    /// Compiles a Java pattern (`Pattern.compile(pattern)` with no flags).
    pub fn new(pattern: &str) -> Result<JavaRegex, JavaException> {
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

    /// `Pattern.matches`: does the whole of `text` match?
    pub fn matches(&self, text: &str) -> Result<bool, JavaException> {
        Ok(Exec::new(&self.program, text, 0, true).at(0)?.is_some())
    }

    /// The first match starting at byte offset `pos` or later, as a byte range.
    pub fn find_at(&self, text: &str, pos: usize) -> Result<Option<(usize, usize)>, JavaException> {
        Exec::new(&self.program, text, pos, false).find(pos)
    }

    /// Calls `f(exec, start, end)` for each match as `Matcher.find()` would report them (the
    /// matcher holds the groups); `f` returns false to stop.
    fn each_match(
        &self,
        text: &str,
        mut f: impl FnMut(&Exec, usize, usize) -> Result<bool, JavaException>,
    ) -> Result<(), JavaException> {
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
    pub fn find_all(&self, text: &str) -> Result<Vec<(usize, usize)>, JavaException> {
        let mut v = Vec::new();
        self.each_match(text, |_, s, e| {
            v.push((s, e));
            Ok(true)
        })?;
        Ok(v)
    }

    /// `Pattern.split(text, limit)` (Java 8+ rules: no leading empty string for a zero-width
    /// match at the start; trailing empty strings dropped when `limit == 0`).
    pub fn split<'t>(&self, text: &'t str, limit: i32) -> Result<Vec<&'t str>, JavaException> {
        let mut parts = Vec::new();
        let mut index = 0;
        let limited = limit > 0;
        let mut matched_any = false;
        self.each_match(text, |_, s, e| {
            if !limited || (parts.len() as i64) < limit as i64 - 1 {
                if index == 0 && s == 0 && e == 0 {
                    return Ok(true);
                }
                // Each part becomes an entry and a String: charged as it is found.
                if !crate::budget::alloc(crate::budget::ENTRY + crate::budget::OBJECT) {
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

    /// `Matcher.replaceAll` (`all`) or `replaceFirst` with a Java replacement string.
    pub fn replace(
        &self,
        text: &str,
        replacement: &str,
        all: bool,
    ) -> Result<String, JavaException> {
        let mut segments: Option<Vec<Segment>> = None;
        let mut out = String::new();
        // The result is a new value: its room is charged to the render's memory before it
        // is taken, doubling as a string does.
        let mut charged = 0usize;
        let mut room = |out: &mut String, more: usize| -> bool {
            let need = out.len().saturating_add(more);
            if need > charged {
                let cap = need.max(charged.saturating_mul(2)).max(64);
                if !crate::budget::alloc(cap - charged) {
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
    fn parse_replacement(&self, replacement: &str) -> Result<Vec<Segment>, JavaException> {
        let iae = |m: &str| JavaException::new("java.lang.IllegalArgumentException", m);
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
                        return Err(JavaException::new(
                            "java.lang.IndexOutOfBoundsException",
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

/// The byte offset of the character after the one starting at `i` (or `len + 1` at the end).
fn next_boundary(text: &str, i: usize) -> usize {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => i + c.len_utf8(),
        None => text.len() + 1,
    }
}

/// Builds Java's `PatternSyntaxException` (`getMessage()` layout of JDK 17).
fn syntax_error(desc: &str, pattern: &[char], index: isize) -> JavaException {
    let mut msg = String::from(desc);
    if index >= 0 {
        msg.push_str(&format!(" near index {index}"));
    }
    msg.push('\n');
    msg.extend(pattern.iter());
    // The index counts code points; Java compares it with the UTF-16 length.
    let utf16_len: usize = pattern.iter().map(|c| c.len_utf16()).sum();
    if index >= 0 && (index as usize) < utf16_len {
        msg.push('\n');
        for _ in 0..index {
            msg.push(' ');
        }
        msg.push('^');
    }
    JavaException::new(PATTERN_SYNTAX, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors produced by JDK 17 (`engine/tests/java/RegexVectors.java`).
    const VECTORS: &str = include_str!("../../../tests/java/regex_vectors.jsonl");

    fn utf8_groups(re: &JavaRegex, text: &str) -> Result<serde_json::Value, JavaException> {
        let mut all = Vec::new();
        re.each_match(text, |m, _, _| {
            let groups: Vec<serde_json::Value> = (0..=re.group_count)
                .map(|g| match m.group(g) {
                    Some((a, b)) => serde_json::Value::String(text[a..b].to_string()),
                    None => serde_json::Value::Null,
                })
                .collect();
            all.push(serde_json::Value::Array(groups));
            Ok(true)
        })?;
        Ok(serde_json::Value::Array(all))
    }

    fn run(
        op: &str,
        pattern: &str,
        input: &str,
        extra: Option<&str>,
    ) -> Result<serde_json::Value, JavaException> {
        use serde_json::Value as J;
        let re = JavaRegex::new(pattern)?;
        Ok(match op {
            "find" => utf8_groups(&re, input)?,
            "split" => {
                let limit = extra.and_then(|x| x.parse().ok()).unwrap_or(0);
                J::Array(
                    re.split(input, limit)?
                        .into_iter()
                        .map(|s| J::String(s.to_string()))
                        .collect(),
                )
            }
            "replaceAll" => J::String(re.replace(input, extra.unwrap_or(""), true)?),
            "replaceFirst" => J::String(re.replace(input, extra.unwrap_or(""), false)?),
            "matches" => J::Bool(re.matches(input)?),
            "compile" => J::Bool(true),
            _ => panic!("op {op}"),
        })
    }

    /// Documented divergences: Java steps one UTF-16 unit after an empty match (so it can
    /// match inside a surrogate pair), keeps `\G` at the previous match end after that step,
    /// and resets groups on an empty final iteration of a repeated group.
    fn known_gap(pattern: &str, input: &str) -> bool {
        let supplementary = input.chars().any(|c| c as u32 > 0xFFFF);
        let can_be_empty = JavaRegex::new(pattern)
            .map(|r| {
                r.find_all(input)
                    .is_ok_and(|m| m.iter().any(|(s, e)| s == e))
            })
            .unwrap_or(false);
        (supplementary && (can_be_empty || pattern.contains("\\B")))
            || ["\\N{", "\\X", "\\b{g}"]
                .iter()
                .any(|u| pattern.contains(u))
    }

    #[test]
    fn java_vectors() {
        let mut failures = Vec::new();
        let mut n = 0;
        for line in VECTORS.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let op = v["op"].as_str().unwrap_or_default();
            let pattern = v["pattern"].as_str().unwrap_or_default();
            let input = v["input"].as_str().unwrap_or_default();
            let extra = v["extra"].as_str();
            if known_gap(pattern, input) {
                continue;
            }
            n += 1;
            let got = run(op, pattern, input, extra);
            let ok = match (&got, v.get("result"), v.get("error")) {
                (Ok(g), Some(r), _) => g == r,
                (Err(e), _, Some(err)) => err.as_str() == Some(e.to_string().as_str()),
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{op} {pattern:?} on {input:?} {extra:?}: java {} / {}, got {got:?}",
                    v.get("result").map(|r| r.to_string()).unwrap_or_default(),
                    v.get("error").map(|r| r.to_string()).unwrap_or_default(),
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {n} failed:\n{}",
            failures.len(),
            failures[..failures.len().min(60)].join("\n")
        );
    }

    #[test]
    fn cache_is_bounded_and_remembers_errors() {
        let mut cache = RegexCache::new(2);
        assert!(cache.get("a").is_ok());
        assert!(cache.get("(").is_err());
        assert!(cache.get("(").is_err());
        assert_eq!(cache.len(), 2);
        assert!(cache.get("b+").is_ok());
        assert_eq!(cache.len(), 2);
    }
}
