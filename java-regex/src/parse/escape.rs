//! Escape sequences (`Pattern.escape`): `\d`, `\x{…}`, `\u…`, octal and control escapes,
//! back references, boundaries, and the property families `\p{…}` (`Pattern.family`).

use super::{Assert, Escape, Node, Parser, CASE_INSENSITIVE, UNICODE_CHARACTER_CLASS, UNIX_LINES};
use crate::class::{self, CharClass};
use crate::error::Throwable;

impl Parser<'_> {
    /// `Pattern.escape`: the escape sequence at the cursor (which is on the backslash).
    pub(super) fn escape(
        &mut self,
        inclass: bool,
        create: bool,
        isrange: bool,
    ) -> Result<Escape, Throwable> {
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
    pub(super) fn family(
        &mut self,
        single_letter: bool,
        complement: bool,
    ) -> Result<CharClass, Throwable> {
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
}
