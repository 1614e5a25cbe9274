//! The Java pattern parser: `java.util.regex.Pattern`'s grammar, flags and error messages
//! (JDK 17), producing a [`Node`] tree that `program.rs` compiles.
//!
//! The parser follows `Pattern`'s own structure (`expr`, `sequence`, `atom`, `closure`,
//! `group0` here; `escape` and `family` in `escape.rs`; `clazz` and `range` in `bracket.rs`)
//! so that the same input fails at the same index with the same description; `study.rs` is
//! `Node.study`, which sizes look-behinds. Flags are applied while parsing: every node records how it
//! compares (case folding, line terminators, ASCII or Unicode classes), so inline flag groups
//! such as `(?i)` leave nothing behind in the tree.

use crate::class::{self, CharClass, Fold};
use crate::error::syntax_error;
use crate::unicode::{to_lower_case, to_upper_case};

mod bracket;
mod escape;
mod study;
mod tree;

use crate::error::Throwable;
use study::width;
pub(crate) use study::{is_unit, repeats_whole};
pub(crate) use tree::{Assert, Node};

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
}
