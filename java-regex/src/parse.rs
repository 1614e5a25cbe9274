//! The Java pattern parser: `java.util.regex.Pattern`'s grammar, flags and error messages
//! (JDK 17), producing a [`Node`] tree that `program.rs` compiles.
//!
//! The parser follows `Pattern`'s own structure (`expr`, `sequence`, `atom`, `closure`,
//! `group0`, `clazz`, `range`, `escape`, `family`) so that the same input fails at the same
//! index with the same description. Flags are applied while parsing: every node records how it
//! compares (case folding, line terminators, ASCII or Unicode classes), so inline flag groups
//! such as `(?i)` leave nothing behind in the tree.

use crate::class::{self, CharClass, Fold};
use crate::error::syntax_error;
use crate::unicode::{to_lower_case, to_upper_case};
use crate::Throwable;

pub(crate) const UNIX_LINES: u32 = 0x01;
pub(crate) const CASE_INSENSITIVE: u32 = 0x02;
pub(crate) const COMMENTS: u32 = 0x04;
pub(crate) const MULTILINE: u32 = 0x08;
pub(crate) const DOTALL: u32 = 0x20;
pub(crate) const UNICODE_CASE: u32 = 0x40;
pub(crate) const CANON_EQ: u32 = 0x80;
pub(crate) const UNICODE_CHARACTER_CLASS: u32 = 0x100;

/// Deepest group nesting accepted (Java's limit is its thread stack; ours is explicit).
const MAX_NESTING: usize = 250;

/// A parsed pattern.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// Matches the empty string.
    Empty,
    /// One literal code point (`key` already folded); a lone surrogate never matches.
    Char {
        key: u32,
        fold: Fold,
    },
    /// One code point from a class.
    Class(CharClass),
    Concat(Vec<Node>),
    /// Alternatives, tried in order.
    Alt(Vec<Node>),
    /// Capturing group `index` (1-based), or a non-capturing group (`0`).
    Group(usize, Box<Node>),
    /// `x{min,max}`; `max == None` is unbounded.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    /// `(?>x)`; possessive quantifiers become an atomic greedy repeat.
    Atomic(Box<Node>),
    /// `(?=x)` `(?!x)`.
    LookAhead {
        negate: bool,
        node: Box<Node>,
    },
    /// `(?<=x)` `(?<!x)`, `x` being `min..=max` characters long as Java's `int` arithmetic
    /// counts them (a sum that overflowed is negative).
    LookBehind {
        negate: bool,
        node: Box<Node>,
        min: i32,
        max: i32,
    },
    Assert(Assert),
    /// `\n` / `\k<name>`.
    Backref {
        group: usize,
        fold: Fold,
    },
    /// `\R`: `\r\n` or one vertical space (tried in that order).
    LineBreak,
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Assert {
    /// `\A`, and `^` without `MULTILINE`.
    Begin,
    /// `\z`.
    End,
    /// `^` with `MULTILINE`.
    LineStart { unix: bool },
    /// `$` (and `\Z` as the non-multiline form).
    LineEnd { unix: bool, multiline: bool },
    /// `\b`, `\B`.
    WordBoundary { negate: bool, unicode: bool },
    /// `\G`: the end of the previous match.
    LastMatchEnd,
}

/// The result of parsing a whole pattern.
pub(crate) struct Parsed {
    pub node: Node,
    pub group_count: usize,
    pub group_names: Vec<(String, usize)>,
}

/// Parses Java pattern `pattern` (no flags outside the pattern).
pub(crate) fn parse(pattern: &str) -> Result<Parsed, Throwable> {
    let original: Vec<char> = pattern.chars().collect();
    let mut p = Parser::new(&original);
    let node = p.expr()?;
    if p.len != p.cursor {
        if p.peek() == ')' {
            return Err(p.error("Unmatched closing ')'"));
        }
        return Err(p.error("Unexpected internal error"));
    }
    Ok(Parsed {
        node,
        group_count: p.group_count,
        group_names: p.names,
    })
}

/// What an escape sequence stands for.
enum Escape {
    /// A literal code point (may be a lone surrogate value).
    Char(u32),
    /// A character class.
    Class(CharClass),
    /// A zero-width or multi-character node.
    Node(Node),
}

struct Parser<'a> {
    original: &'a [char],
    temp: Vec<char>,
    len: usize,
    cursor: usize,
    flags: u32,
    group_count: usize,
    names: Vec<(String, usize)>,
    depth: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

impl<'a> Parser<'a> {
    fn new(original: &'a [char]) -> Parser<'a> {
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
            group_count: 0,
            names: Vec::new(),
            depth: 0,
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

    fn error(&self, desc: &str) -> Throwable {
        syntax_error(desc, self.original, self.cursor as isize - 1)
    }

    fn unsupported(&self, what: &str) -> Throwable {
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

    /// How literals compare under the current flags.
    fn fold(&self) -> Fold {
        if !self.has(CASE_INSENSITIVE) {
            Fold::None
        } else if self.has(UNICODE_CASE) {
            Fold::Unicode
        } else {
            Fold::Ascii
        }
    }

    fn literal(&self, c: u32) -> Node {
        let fold = self.fold();
        match fold {
            Fold::Unicode if to_upper_case(c) == to_lower_case(to_upper_case(c)) => Node::Char {
                key: c,
                fold: Fold::None,
            },
            _ => Node::Char {
                key: fold.key(c),
                fold,
            },
        }
    }

    fn expr(&mut self) -> Result<Node, Throwable> {
        let mut alts = Vec::new();
        loop {
            alts.push(self.sequence()?);
            if self.peek() != '|' {
                break;
            }
            self.next();
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn sequence(&mut self) -> Result<Node, Throwable> {
        let mut seq: Vec<Node> = Vec::new();
        loop {
            let ch = self.peek();
            let node = match ch {
                '(' => match self.group0()? {
                    Some(n) => n,
                    None => continue,
                },
                '[' => Node::Class(self.clazz(true)?),
                '\\' => {
                    let ch = self.next_escaped();
                    if ch == 'p' || ch == 'P' {
                        let one_letter = self.next() != '{';
                        if one_letter {
                            self.unread();
                        }
                        Node::Class(self.family(one_letter, ch == 'P')?)
                    } else {
                        self.unread();
                        self.atom()?
                    }
                }
                '^' => {
                    self.next();
                    Node::Assert(self.caret())
                }
                '$' => {
                    self.next();
                    Node::Assert(Assert::LineEnd {
                        unix: self.has(UNIX_LINES),
                        multiline: self.has(MULTILINE),
                    })
                }
                '.' => {
                    self.next();
                    Node::Class(if self.has(DOTALL) {
                        class::all()
                    } else {
                        class::dot(self.has(UNIX_LINES))
                    })
                }
                '|' | ')' => break,
                ']' | '}' => self.atom()?,
                '?' | '*' | '+' => {
                    self.next();
                    return Err(self.error(&format!("Dangling meta character '{ch}'")));
                }
                '\0' if self.cursor >= self.len => break,
                _ => self.atom()?,
            };
            let node = self.closure(node)?;
            match node {
                Node::Concat(v) => seq.extend(v),
                Node::Empty => {}
                n => seq.push(n),
            }
        }
        Ok(match seq.len() {
            0 => Node::Empty,
            1 => seq.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(seq),
        })
    }

    fn caret(&self) -> Assert {
        if self.has(MULTILINE) {
            Assert::LineStart {
                unix: self.has(UNIX_LINES),
            }
        } else {
            Assert::Begin
        }
    }

    /// `Pattern.atom`: a run of literal characters (only the last one gets a quantifier).
    fn atom(&mut self) -> Result<Node, Throwable> {
        let mut chars: Vec<Node> = Vec::new();
        let mut prev = 0usize;
        let mut ch = self.peek();
        loop {
            match ch {
                '*' | '+' | '?' | '{' => {
                    if chars.len() > 1 {
                        self.cursor = prev;
                        chars.pop();
                    }
                    break;
                }
                '$' | '.' | '^' | '(' | '[' | '|' | ')' => break,
                '\\' => {
                    let c = self.next_escaped();
                    if c == 'p' || c == 'P' {
                        if !chars.is_empty() {
                            self.unread();
                            break;
                        }
                        let one_letter = self.next() != '{';
                        if one_letter {
                            self.unread();
                        }
                        return Ok(Node::Class(self.family(one_letter, c == 'P')?));
                    }
                    self.unread();
                    prev = self.cursor;
                    match self.escape(false, chars.is_empty(), false)? {
                        Escape::Char(c) => {
                            chars.push(self.literal(c));
                            ch = self.peek();
                            continue;
                        }
                        Escape::Class(c) if chars.is_empty() => return Ok(Node::Class(c)),
                        Escape::Node(n) if chars.is_empty() => return Ok(n),
                        _ => {}
                    }
                    // Unwind the meta escape: it becomes the next atom.
                    self.cursor = prev;
                    break;
                }
                '\0' if self.cursor >= self.len => break,
                _ => {
                    prev = self.cursor;
                    chars.push(self.literal(ch as u32));
                    ch = self.next();
                    continue;
                }
            }
        }
        Ok(match chars.len() {
            // An empty slice (Java allows `{2}` with nothing before it).
            0 => Node::Empty,
            1 => chars.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(chars),
        })
    }

    /// `v * 10 + digit`, or Java's error when a repetition count overflows an `int`.
    fn add_digit(&self, v: i32, digit: char) -> Result<i32, Throwable> {
        v.checked_mul(10)
            .and_then(|v| v.checked_add(digit as i32 - '0' as i32))
            .ok_or_else(|| self.error("Illegal repetition range"))
    }

    /// `Pattern.closure`: the quantifier (if any) after `node`.
    fn closure(&mut self, node: Node) -> Result<Node, Throwable> {
        let ch = self.peek();
        let (min, max) = match ch {
            '?' => (0, Some(1)),
            '*' => (0, None),
            '+' => (1, None),
            '{' => {
                let mut ch = self.skip();
                if !ch.is_ascii_digit() {
                    return Err(self.error("Illegal repetition"));
                }
                let mut cmin: i32 = 0;
                loop {
                    cmin = self.add_digit(cmin, ch)?;
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
                            m = self.add_digit(m, ch)?;
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
                (cmin as u32, cmax.map(|m| m as u32))
            }
            _ => return Ok(node),
        };
        let ch = self.next();
        let (greedy, possessive) = match ch {
            '?' => {
                self.next();
                (false, false)
            }
            '+' => {
                self.next();
                (true, true)
            }
            _ => (true, false),
        };
        let rep = Node::Repeat {
            node: Box::new(node),
            min,
            max,
            greedy,
        };
        Ok(if possessive {
            Node::Atomic(Box::new(rep))
        } else {
            rep
        })
    }

    /// `Pattern.group0`; `None` for a pure inline-flag group like `(?i)`.
    fn group0(&mut self) -> Result<Option<Node>, Throwable> {
        let save = self.flags;
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("Groups nested too deeply"));
        }
        let ch = self.next();
        let node = if ch == '?' {
            let ch = self.skip();
            match ch {
                ':' => Node::Group(0, Box::new(self.expr()?)),
                '=' | '!' => Node::LookAhead {
                    negate: ch == '!',
                    node: Box::new(self.expr()?),
                },
                // Kept in a group so that `(?>x*)` stays apart from the possessive `x*+`.
                '>' => Node::Atomic(Box::new(Node::Group(0, Box::new(self.expr()?)))),
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
                        let index = self.group_count;
                        self.names.push((name, index));
                        Node::Group(index, Box::new(self.expr()?))
                    } else {
                        let inner = self.expr()?;
                        let Some((min, max)) = width(&inner) else {
                            return Err(self.error(
                                "Look-behind group does not have an obvious maximum length",
                            ));
                        };
                        Node::LookBehind {
                            negate: ch == '!',
                            node: Box::new(inner),
                            min,
                            max,
                        }
                    }
                }
                '$' | '@' => return Err(self.error("Unknown group type")),
                _ => {
                    self.unread();
                    self.add_flag();
                    let ch = self.read();
                    if ch == ')' {
                        self.depth -= 1;
                        return Ok(None);
                    }
                    if ch != ':' {
                        return Err(self.error("Unknown inline modifier"));
                    }
                    Node::Group(0, Box::new(self.expr()?))
                }
            }
        } else {
            self.group_count += 1;
            let index = self.group_count;
            Node::Group(index, Box::new(self.expr()?))
        };
        self.accept(')', "Unclosed group")?;
        self.flags = save;
        self.depth -= 1;
        Ok(Some(node))
    }

    fn accept(&mut self, want: char, msg: &str) -> Result<(), Throwable> {
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

    fn groupname(&mut self, mut ch: char) -> Result<String, Throwable> {
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
    /// `Pattern.escape`: the escape sequence at the cursor (which is on the backslash).
    fn escape(&mut self, inclass: bool, create: bool, isrange: bool) -> Result<Escape, Throwable> {
        let uc = self.has(UNICODE_CHARACTER_CLASS);
        let ch = self.skip();
        let class = |c: CharClass| Ok(Escape::Class(c));
        let node = |n: Node| Ok(Escape::Node(n));
        match ch {
            '0' => return self.octal().map(Escape::Char),
            '1'..='9' if !inclass => {
                if create {
                    return node(self.backref(ch as usize - '0' as usize));
                }
                return node(Node::Empty);
            }
            'A' if !inclass => return node(Node::Assert(Assert::Begin)),
            'B' if !inclass => {
                return node(Node::Assert(Assert::WordBoundary {
                    negate: true,
                    unicode: uc,
                }))
            }
            'D' => return class(class::digit(uc).negate()),
            'G' if !inclass => return node(Node::Assert(Assert::LastMatchEnd)),
            'H' => return class(class::horizontal_space().negate()),
            'N' => return Err(self.unsupported("\\N{name}")),
            'R' if !inclass => return node(Node::LineBreak),
            'S' => return class(class::space(uc).negate()),
            'V' => return class(class::vertical_space().negate()),
            'W' => return class(class::word(uc).negate()),
            'X' if !inclass => return Err(self.unsupported("\\X")),
            'Z' if !inclass => {
                return node(Node::Assert(Assert::LineEnd {
                    unix: self.has(UNIX_LINES),
                    multiline: false,
                }))
            }
            'a' => return Ok(Escape::Char(7)),
            'b' if !inclass => {
                if create && self.peek() == '{' {
                    // Only `\b{g}` is special; `\b{2}` is a boundary and a quantifier.
                    let save = self.cursor;
                    if self.skip() == 'g' {
                        if self.read() == '}' {
                            return Err(self.unsupported("\\b{g}"));
                        }
                        return Err(self.error("Illegal/unsupported escape sequence"));
                    }
                    self.cursor = save;
                }
                return node(Node::Assert(Assert::WordBoundary {
                    negate: false,
                    unicode: uc,
                }));
            }
            'c' => {
                if self.cursor < self.len {
                    let c = self.read();
                    return Ok(Escape::Char(c as u32 ^ 64));
                }
                return Err(self.error("Illegal control escape sequence"));
            }
            'd' => return class(class::digit(uc)),
            'e' => return Ok(Escape::Char(0x1B)),
            'f' => return Ok(Escape::Char(0x0C)),
            'h' => return class(class::horizontal_space()),
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
                return node(Node::Backref {
                    group: g,
                    fold: self.fold(),
                });
            }
            'n' => return Ok(Escape::Char(0x0A)),
            'r' => return Ok(Escape::Char(0x0D)),
            's' => return class(class::space(uc)),
            't' => return Ok(Escape::Char(0x09)),
            'u' => return self.unicode_escape().map(Escape::Char),
            'v' => {
                if isrange {
                    return Ok(Escape::Char(0x0B));
                }
                return class(class::vertical_space());
            }
            'w' => return class(class::word(uc)),
            'x' => return self.hex_escape().map(Escape::Char),
            'z' if !inclass => return node(Node::Assert(Assert::End)),
            c if c.is_ascii_alphanumeric() => {}
            c => return Ok(Escape::Char(c as u32)),
        }
        Err(self.error("Illegal/unsupported escape sequence"))
    }

    /// `Pattern.ref`: a numbered back reference, taking more digits while such a group exists.
    fn backref(&mut self, mut n: usize) -> Node {
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
        Node::Backref {
            group: n,
            fold: self.fold(),
        }
    }

    fn octal(&mut self) -> Result<u32, Throwable> {
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

    fn hex_escape(&mut self) -> Result<u32, Throwable> {
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

    fn uxxxx(&mut self) -> Result<u32, Throwable> {
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

    fn unicode_escape(&mut self) -> Result<u32, Throwable> {
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
    /// `Pattern.family`: `\p{name}` / `\pL` (cursor on the `{` or the letter's predecessor).
    fn family(&mut self, single_letter: bool, complement: bool) -> Result<CharClass, Throwable> {
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
        let ci = self.has(CASE_INSENSITIVE);
        let p = if let Some(eq) = name.find('=') {
            let value = &name[eq + 1..];
            let key = name[..eq].to_ascii_lowercase();
            let p = match key.as_str() {
                "sc" | "script" => class::for_script(value),
                "blk" | "block" => class::for_block(value),
                "gc" | "general_category" => class::for_property(value, ci),
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
                class::for_block(b)
            } else if let Some(short) = name.strip_prefix("Is") {
                class::for_unicode_property(short, ci)
                    .or_else(|| class::for_property(short, ci))
                    .or_else(|| class::for_script(short))
            } else {
                let posix = if self.has(UNICODE_CHARACTER_CLASS) {
                    class::for_posix_name(&name, ci)
                } else {
                    None
                };
                posix.or_else(|| class::for_property(&name, ci))
            };
            match p {
                Some(p) => p,
                None => {
                    return Err(self.error(&format!("Unknown character property name {{{name}}}")))
                }
            }
        };
        Ok(if complement { p.negate() } else { p })
    }

    /// `Pattern.clazz`: a character class; the cursor is on `[` (or on the first item when
    /// `consume` is false, for the right operand of `&&`).
    fn clazz(&mut self, consume: bool) -> Result<CharClass, Throwable> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("Classes nested too deeply"));
        }
        let mut prev: Option<CharClass> = None;
        let mut curr: Option<CharClass> = None;
        let mut bits: Vec<(u32, u32)> = Vec::new();
        let mut has_bits = false;
        let mut is_neg = false;
        let mut ch = self.next();
        if ch == '^' && self.at(self.cursor - 1) == '[' {
            ch = self.next();
            is_neg = true;
        }
        let union = |prev: Option<CharClass>, c: CharClass| match prev {
            None => c,
            Some(p) => p.union(c),
        };
        loop {
            match ch {
                '[' => {
                    let c = self.clazz(true)?;
                    prev = Some(union(prev, c.clone()));
                    curr = Some(c);
                    ch = self.peek();
                    continue;
                }
                '&' => {
                    ch = self.next();
                    if ch == '&' {
                        ch = self.next();
                        let mut right: Option<CharClass> = None;
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
                            right = Some(union(right, c));
                            ch = self.peek();
                        }
                        if has_bits {
                            let b = CharClass::ranges(&std::mem::take(&mut bits));
                            if prev.is_none() {
                                curr = Some(b.clone());
                            }
                            prev = Some(union(prev, b));
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
                                Some(c) => Some(p.and(c)),
                                None => Some(p),
                            },
                        };
                    } else {
                        // A literal '&'.
                        self.unread();
                        let c = self.range(&mut bits)?;
                        self.add_item(c, &mut has_bits, &mut prev, &mut curr);
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
                        None => CharClass::ranges(&bits),
                        Some(p) if has_bits => p.union(CharClass::ranges(&bits)),
                        Some(p) => p,
                    };
                    if is_neg {
                        result = result.negate();
                    }
                    self.depth -= 1;
                    return Ok(result);
                }
                _ => {}
            }
            let c = self.range(&mut bits)?;
            self.add_item(c, &mut has_bits, &mut prev, &mut curr);
            ch = self.peek();
        }
    }

    /// The tail of `clazz`'s loop: a predicate from `range` joins the union, `None` means the
    /// item went into the bit set.
    fn add_item(
        &self,
        item: Option<CharClass>,
        has_bits: &mut bool,
        prev: &mut Option<CharClass>,
        curr: &mut Option<CharClass>,
    ) {
        match item {
            None => *has_bits = true,
            Some(c) => {
                *prev = Some(match prev.take() {
                    None => c.clone(),
                    Some(p) => p.union(c.clone()),
                });
                *curr = Some(c);
            }
        }
    }

    /// `Pattern.range`: one class item (a character, a range, an escape or a property);
    /// `None` when it was added to `bits`.
    fn range(&mut self, bits: &mut Vec<(u32, u32)>) -> Result<Option<CharClass>, Throwable> {
        let mut ch = self.peek();
        let c: u32;
        if ch == '\\' {
            ch = self.next_escaped();
            if ch == 'p' || ch == 'P' {
                let one_letter = self.next() != '{';
                if one_letter {
                    self.unread();
                }
                return self.family(one_letter, ch == 'P').map(Some);
            }
            let isrange = self.at(self.cursor + 1) == '-';
            self.unread();
            match self.escape(true, true, isrange)? {
                Escape::Char(x) => c = x,
                Escape::Class(p) => return Ok(Some(p)),
                Escape::Node(_) => return Ok(Some(CharClass::Ranges(Vec::new()))),
            }
        } else {
            self.next();
            c = ch as u32;
        }
        if self.peek() == '-' {
            let end_range = self.at(self.cursor + 1);
            if end_range == '[' {
                return Ok(self.bits_or_single(bits, c));
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
                return Ok(Some(class::range(c, m as u32, self.fold())));
            }
        }
        Ok(self.bits_or_single(bits, c))
    }

    /// `Pattern.bitsOrSingle`: Latin-1 characters go into the bit set, except those whose
    /// Unicode case partners lie outside Latin-1.
    fn bits_or_single(&self, bits: &mut Vec<(u32, u32)>, c: u32) -> Option<CharClass> {
        let fold = self.fold();
        let special = fold == Fold::Unicode
            && matches!(
                c,
                0xFF | 0xB5 | 0x49 | 0x69 | 0x53 | 0x73 | 0x4B | 0x6B | 0xC5 | 0xE5
            );
        if c < 256 && !special {
            class::add_bit(bits, c, fold);
            None
        } else {
            Some(class::single(c, fold))
        }
    }
}

/// What `Node.study` learns about a pattern (Java `int` arithmetic, overflow included).
#[derive(Clone, Copy)]
struct Info {
    min: i32,
    max: i32,
    max_valid: bool,
    deterministic: bool,
}

impl Info {
    fn new() -> Info {
        Info {
            min: 0,
            max: 0,
            max_valid: true,
            deterministic: true,
        }
    }
}

const MAX_REPS: i32 = i32::MAX;

fn is_single(node: &Node) -> bool {
    matches!(node, Node::Char { .. } | Node::Class(_))
}

/// Nodes a quantifier treats as one unit (`Curly`/`Ques` over the node itself).
pub(crate) fn is_unit(node: &Node) -> bool {
    is_single(node)
        || matches!(
            node,
            Node::LineBreak | Node::Atomic(_) | Node::LookAhead { .. } | Node::LookBehind { .. }
        )
}

/// Does Java repeat `node` one whole iteration at a time (`Curly`, `Ques` or `GroupCurly`,
/// never backtracking into an iteration) rather than with `Loop` or a `Branch`?
pub(crate) fn repeats_whole(node: &Node) -> bool {
    if is_unit(node) {
        return true;
    }
    let mut info = Info::new();
    study_chain(&chain_of(node), &mut info);
    info.deterministic
}

/// Java links a pattern into one chain of nodes, groups and sequences included; this lists
/// `node`'s part of that chain.
fn flatten<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    match node {
        Node::Concat(v) => v.iter().for_each(|n| flatten(n, out)),
        Node::Group(_, n) => flatten(n, out),
        Node::Empty => {}
        n => out.push(n),
    }
}

/// `Node.study` along a chain: each node adds to `info` and studies what follows it.
fn study_chain(chain: &[&Node], info: &mut Info) {
    for (i, node) in chain.iter().enumerate() {
        match node {
            Node::Empty | Node::Assert(_) | Node::LookAhead { .. } | Node::LookBehind { .. } => {}
            Node::Group(..) | Node::Concat(_) => {}
            Node::Char { .. } | Node::Class(_) => {
                info.min = info.min.wrapping_add(1);
                info.max = info.max.wrapping_add(1);
            }
            Node::LineBreak => {
                info.min = info.min.wrapping_add(1);
                info.max = info.max.wrapping_add(2);
            }
            Node::Backref { .. } => info.max_valid = false,
            Node::Alt(v) => {
                branch(v.iter().collect(), &chain[i + 1..], info);
                return;
            }
            Node::Atomic(n) => match &**n {
                // `x?+` is `Ques(POSSESSIVE)`: the minimum does not grow.
                Node::Repeat {
                    node,
                    min: 0,
                    max: Some(1),
                    ..
                } => ques(node, info),
                // Other possessive quantifiers are `Curly`.
                Node::Repeat { node, min, max, .. } => curly(node, *min, *max, info),
                // `(?>x)` is `Ques(INDEPENDENT)`, which adds the body's lengths.
                n => study_chain(&chain_of(n), info),
            },
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => {
                // `\R`, atomic groups and look-arounds are single nodes to their quantifier.
                let whole = is_unit(node);
                if *min == 0 && *max == Some(1) {
                    if whole {
                        ques(node, info);
                    } else {
                        // A group with `?` is a `Branch` with an empty alternative.
                        branch(vec![node, &Node::Empty], &chain[i + 1..], info);
                        return;
                    }
                } else if is_single(node) && *greedy && max.is_none() {
                    // `CharPropertyGreedy`: no overflow check.
                    info.min = info.min.wrapping_add(*min as i32);
                    if info.max_valid {
                        info.max = info.max.wrapping_add(MAX_REPS);
                    }
                    info.deterministic = false;
                } else if whole || {
                    let mut inner = Info::new();
                    study_chain(&chain_of(node), &mut inner);
                    inner.deterministic
                } {
                    curly(node, *min, *max, info);
                } else {
                    // `Loop`: a repeated group that can match in more than one way.
                    info.max_valid = false;
                    info.deterministic = false;
                    return;
                }
            }
        }
    }
}

/// `Ques.study` (greedy, lazy or possessive `?` on one node): the body's lengths without
/// growing the minimum.
fn ques(node: &Node, info: &mut Info) {
    let keep = info.min;
    study_chain(&chain_of(node), info);
    info.min = keep;
    info.deterministic = false;
}

fn chain_of(node: &Node) -> Vec<&Node> {
    let mut v = Vec::new();
    flatten(node, &mut v);
    v
}

/// `Branch.study`: the alternatives from scratch, then the rest of the chain from scratch,
/// both added to what came before without overflow checks.
fn branch(alternatives: Vec<&Node>, rest: &[&Node], info: &mut Info) {
    let (mut min2, mut max2, mut valid) = (i32::MAX, -1i32, info.max_valid);
    for n in alternatives {
        let mut one = Info::new();
        study_chain(&chain_of(n), &mut one);
        min2 = min2.min(one.min);
        max2 = max2.max(one.max);
        valid &= one.max_valid;
    }
    let (min, max) = (info.min.wrapping_add(min2), info.max.wrapping_add(max2));
    *info = Info::new();
    study_chain(rest, info);
    info.min = info.min.wrapping_add(min);
    info.max = info.max.wrapping_add(max);
    info.max_valid &= valid;
    info.deterministic = false;
}

/// `Curly.study` / `GroupCurly.study`: the product may wrap; only a total below what came
/// before counts as overflow.
fn curly(node: &Node, cmin: u32, cmax: Option<u32>, info: &mut Info) {
    let cmin = cmin.min(MAX_REPS as u32) as i32;
    let cmax = cmax.map_or(MAX_REPS, |m| m.min(MAX_REPS as u32) as i32);
    let mut inner = Info::new();
    study_chain(&chain_of(node), &mut inner);
    let temp = inner.min.wrapping_mul(cmin).wrapping_add(info.min);
    info.min = if temp < info.min { 0xFFFFFFF } else { temp };
    if info.max_valid && inner.max_valid {
        let temp = inner.max.wrapping_mul(cmax);
        let total = info.max.wrapping_add(temp);
        if total < info.max {
            info.max_valid = false;
        } else {
            info.max = total;
        }
    } else {
        info.max_valid = false;
    }
    if !(inner.deterministic && cmin == cmax) {
        info.deterministic = false;
    }
}

/// The shortest and longest match of a look-behind body in characters, as Java computes
/// them (`int` arithmetic: either may have wrapped); `None` when Java finds no "obvious
/// maximum length".
fn width(node: &Node) -> Option<(i32, i32)> {
    let mut info = Info::new();
    study_chain(&chain_of(node), &mut info);
    info.max_valid.then_some((info.min, info.max))
}
