//! json-smart 2.2's permissive parser (`JSONParser.MODE_PERMISSIVE`), generic over what it
//! does with what it reads (a [`Sink`]): build the values ([`Values`], here), build only the
//! selected parts (`select.rs`) or write the text back out (`rewrite.rs`).

use std::sync::Arc;

use super::error::{JsonError, MAX_DEPTH};
use super::number::{extract_float, parse_integer};
use crate::java::decimal::float_value;
use crate::value::{Entries, Key, ListKind, Value};

/// json-smart's end-of-input marker (also what a real U+001A character reads as).
pub(crate) const EOI: u8 = 26;

pub(crate) type Stop = u8;
pub(crate) const STOP_X: Stop = 0;
pub(crate) const STOP_ARRAY: Stop = 1;
pub(crate) const STOP_VALUE: Stop = 2;
pub(crate) const STOP_KEY: Stop = 3;

pub(crate) fn is_stop(stop: Stop, c: u8) -> bool {
    match stop {
        STOP_ARRAY => c == b',' || c == b']',
        STOP_VALUE => c == b',' || c == b'}',
        STOP_KEY => c == b':',
        _ => false,
    }
}

/// What the parser makes of what it reads: values ([`Values`]) or their JSON text
/// ([`Writer`]). The parser calls it in document order.
pub(crate) trait Sink<'a> {
    /// A value read.
    type Out;
    /// An object key read.
    type Key;
    /// A null, boolean or number (never a string, list or map).
    fn scalar(&mut self, v: Value) -> Self::Out;
    /// A string, quoted or not.
    fn string(&mut self, s: &str) -> Self::Out;
    /// A string that is a slice of the document (an unquoted token, a string without escapes).
    fn borrowed(&mut self, s: &'a str) -> Self::Out {
        self.string(s)
    }
    /// `[` was read; returns the mark that [`Sink::end_array`] gets back.
    fn begin_array(&mut self) -> usize;
    /// An element is about to be read.
    fn before_item(&mut self, mark: usize);
    /// An element was read.
    fn push_item(&mut self, item: Self::Out);
    /// `]` was read.
    fn end_array(&mut self, mark: usize) -> Self::Out;
    /// `{` was read; returns the mark that [`Sink::end_object`] gets back.
    fn begin_object(&mut self) -> usize;
    /// A key was read (its value follows).
    fn key(&mut self, mark: usize, text: Text<'a>) -> Self::Key;
    /// A key's value was read.
    fn push_entry(&mut self, key: Self::Key, value: Self::Out);
    /// `}` was read.
    fn end_object(&mut self, mark: usize) -> Self::Out;
    /// Where the array (`array`) or object about to be read is built whole, when this sink
    /// builds only parts of the document and that one is wanted whole: the parser then reads
    /// it into those [`Values`] and hands the result to [`Sink::built`].
    #[inline]
    fn whole(&mut self, _array: bool) -> Option<&mut Values<'a>> {
        None
    }
    /// A value read into the [`Values`] of [`Sink::whole`].
    fn built(&mut self, v: Value) -> Self::Out;
}

/// A sink lent to a parser.
impl<'a, T: Sink<'a>> Sink<'a> for &mut T {
    type Out = T::Out;
    type Key = T::Key;
    #[inline]
    fn scalar(&mut self, v: Value) -> Self::Out {
        (**self).scalar(v)
    }
    #[inline]
    fn string(&mut self, s: &str) -> Self::Out {
        (**self).string(s)
    }
    #[inline]
    fn borrowed(&mut self, s: &'a str) -> Self::Out {
        (**self).borrowed(s)
    }
    #[inline]
    fn begin_array(&mut self) -> usize {
        (**self).begin_array()
    }
    #[inline]
    fn before_item(&mut self, mark: usize) {
        (**self).before_item(mark)
    }
    #[inline]
    fn push_item(&mut self, item: Self::Out) {
        (**self).push_item(item)
    }
    #[inline]
    fn end_array(&mut self, mark: usize) -> Self::Out {
        (**self).end_array(mark)
    }
    #[inline]
    fn begin_object(&mut self) -> usize {
        (**self).begin_object()
    }
    #[inline]
    fn key(&mut self, mark: usize, text: Text<'a>) -> Self::Key {
        (**self).key(mark, text)
    }
    #[inline]
    fn push_entry(&mut self, key: Self::Key, value: Self::Out) {
        (**self).push_entry(key, value)
    }
    #[inline]
    fn end_object(&mut self, mark: usize) -> Self::Out {
        (**self).end_object(mark)
    }
    #[inline]
    fn whole(&mut self, array: bool) -> Option<&mut Values<'a>> {
        (**self).whole(array)
    }
    #[inline]
    fn built(&mut self, v: Value) -> Self::Out {
        (**self).built(v)
    }
}

pub(crate) struct Parser<'a, S> {
    pub(crate) src: &'a str,
    pub(crate) b: &'a [u8],
    /// Byte index of the current character `c`.
    pub(crate) pos: usize,
    pub(crate) c: u8,
    pub(crate) depth: usize,
    pub(crate) sink: S,
    /// Whether the values' memory is charged (not when it was, by an earlier pass).
    pub(crate) charge_memory: bool,
}

/// The distinct keys (written without escapes) of one document, up to [`KeyTable::MAX`]
/// of them: an array of objects of one shape then holds each key string once.
#[derive(Default)]
pub(crate) struct KeyTable<'a> {
    pub(crate) map: std::collections::HashMap<
        &'a str,
        Arc<str>,
        std::hash::BuildHasherDefault<crate::fxhash::FxHasher>,
    >,
}

impl<'a> KeyTable<'a> {
    const MAX: usize = 1024;
    /// Longer keys are not shared.
    const MAX_LEN: usize = 64;

    pub(crate) fn get(&mut self, text: &'a str) -> Arc<str> {
        if text.len() > Self::MAX_LEN {
            return Arc::from(text);
        }
        if let Some(k) = self.map.get(text) {
            return k.clone();
        }
        let k: Arc<str> = Arc::from(text);
        if self.map.len() < Self::MAX {
            self.map.insert(text, k.clone());
        }
        k
    }
}

/// A string read from the document: a slice of it where it has no escapes.
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Text<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

/// `String.trim()`: drops characters ≤ U+0020 at both ends (all of them single bytes).
pub(crate) fn java_trim(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c > b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c > b' ').map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

impl<'a, S: Sink<'a>> Parser<'a, S> {
    pub(crate) fn new(text: &'a str, sink: S) -> Parser<'a, S> {
        let mut p = Parser {
            src: text,
            b: text.as_bytes(),
            pos: 0,
            c: EOI,
            depth: 0,
            sink,
            charge_memory: true,
        };
        p.c = p.at(0);
        p
    }

    /// Charges the memory of what is about to be built.
    #[inline]
    pub(crate) fn alloc(&self, bytes: usize) -> bool {
        !self.charge_memory || crate::budget::alloc(bytes)
    }

    /// Reads the document: its first value (anything after it is ignored).
    pub(crate) fn parse(&mut self) -> Result<S::Out, JsonError> {
        // The text is scanned once and its strings are copied: charged up front.
        if !crate::budget::spend(self.b.len() as u64 / 64) || !self.alloc(self.b.len()) {
            return Err(JsonError::new("the render's budget ran out"));
        }
        self.read_main(STOP_X)
    }

    pub(crate) fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(EOI)
    }

    pub(crate) fn read(&mut self) {
        if self.pos < self.b.len() {
            self.pos += 1;
        }
        self.c = self.at(self.pos);
    }

    /// Advances past the whole (possibly multi-byte) character at `pos`.
    pub(crate) fn read_char(&mut self) {
        let len = match self.c {
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        self.pos = (self.pos + len).min(self.b.len());
        self.c = self.at(self.pos);
    }

    pub(crate) fn read_no_end(&mut self) -> Result<(), JsonError> {
        self.read();
        if self.pos >= self.b.len() {
            return Err(self.err_eof());
        }
        Ok(())
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> &'a str {
        let end = end.min(self.b.len());
        self.src.get(start.min(end)..end).unwrap_or("")
    }

    pub(crate) fn err_char(&self) -> JsonError {
        let shown = self
            .src
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{1a}');
        JsonError::new(format!(
            "Unexpected character ({shown}) at position {}.",
            self.pos
        ))
    }

    pub(crate) fn err_token(&self, token: &str) -> JsonError {
        JsonError::new(format!(
            "Unexpected token {token} at position {}.",
            self.pos
        ))
    }

    pub(crate) fn err_eof(&self) -> JsonError {
        JsonError::new(format!(
            "Unexpected End Of File position {}: null",
            self.pos
        ))
    }

    /// Moves to byte `pos` (at most the end).
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.b.len());
        self.c = self.at(self.pos);
    }

    pub(crate) fn skip_space(&mut self) {
        let mut p = self.pos;
        while p < self.b.len() && self.b[p] <= b' ' && self.b[p] != EOI {
            p += 1;
        }
        self.seek(p);
    }

    pub(crate) fn skip_digits(&mut self) {
        let mut p = self.pos;
        while p < self.b.len() && self.b[p].is_ascii_digit() {
            p += 1;
        }
        self.seek(p);
    }

    /// Skips to the next stop character or end of input (a U+001A character reads as one).
    pub(crate) fn skip_nq(&mut self, stop: Stop) {
        let rest = self.b.get(self.pos..).unwrap_or(&[]);
        let found = match stop {
            STOP_ARRAY => memchr::memchr3(EOI, b',', b']', rest),
            STOP_VALUE => memchr::memchr3(EOI, b',', b'}', rest),
            STOP_KEY => memchr::memchr2(EOI, b':', rest),
            _ => memchr::memchr(EOI, rest),
        };
        self.seek(self.pos + found.unwrap_or(rest.len()));
    }

    /// Reads an unquoted token up to a stop character; trimmed like `String.trim()`.
    pub(crate) fn read_nq(&mut self, stop: Stop) -> &'a str {
        let start = self.pos;
        self.skip_nq(stop);
        java_trim(self.slice(start, self.pos))
    }

    pub(crate) fn read_main(&mut self, stop: Stop) -> Result<S::Out, JsonError> {
        // Each value parsed costs memory and fuel in a render, charged before it is built.
        if !self.alloc(crate::budget::OBJECT) || !crate::budget::stack_ok() {
            return Err(JsonError::new("the render's budget ran out"));
        }
        loop {
            match self.c {
                b' ' | b'\t' | b'\n' | b'\r' => self.read(),
                b':' | b']' | b'}' => return Err(self.err_char()),
                b'{' | b'[' => {
                    let array = self.c == b'[';
                    if self.sink.whole(array).is_some() {
                        return self.read_whole(array);
                    }
                    return if array {
                        self.read_array()
                    } else {
                        self.read_object()
                    };
                }
                b'"' | b'\'' => {
                    return Ok(match self.read_string()? {
                        Text::Borrowed(s) => self.sink.borrowed(s),
                        Text::Owned(s) => self.sink.string(&s),
                    })
                }
                // The token starts with the character, so it can only be the one word.
                b'n' | b'f' | b't' | b'N' => {
                    let s = self.read_nq(stop);
                    return Ok(match s {
                        "null" => self.sink.scalar(Value::Null),
                        "false" => self.sink.scalar(Value::Bool(false)),
                        "true" => self.sink.scalar(Value::Bool(true)),
                        "NaN" => self.sink.scalar(float_value(f32::NAN)),
                        _ => self.sink.borrowed(s),
                    });
                }
                b'-' | b'0'..=b'9' => return self.read_number(stop),
                _ => {
                    let s = self.read_nq(stop);
                    return Ok(self.sink.borrowed(s));
                }
            }
        }
    }

    /// Reads the array or object at `c` into the values [`Sink::whole`] lends.
    #[inline(never)]
    pub(crate) fn read_whole(&mut self, array: bool) -> Result<S::Out, JsonError> {
        let (src, b, pos, c, depth, charge_memory) = (
            self.src,
            self.b,
            self.pos,
            self.c,
            self.depth,
            self.charge_memory,
        );
        let Some(values) = self.sink.whole(array) else {
            return Err(JsonError::new("nothing to build the value with"));
        };
        let mut sub = Parser {
            src,
            b,
            pos,
            c,
            depth,
            sink: values,
            charge_memory,
        };
        let read = if array {
            sub.read_array()
        } else {
            sub.read_object()
        };
        let (pos, c, depth) = (sub.pos, sub.c, sub.depth);
        self.pos = pos;
        self.c = c;
        self.depth = depth;
        let v = read?;
        Ok(self.sink.built(v))
    }

    pub(crate) fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonError::new(format!(
                "Malicious payload, having non natural depths, parsing stoped on {} at position {}.",
                self.c as char, self.pos
            )));
        }
        Ok(())
    }

    pub(crate) fn read_array(&mut self) -> Result<S::Out, JsonError> {
        self.enter()?;
        let mark = self.sink.begin_array();
        self.read();
        loop {
            match self.c {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => self.read(),
                EOI => return Err(self.err_eof()),
                b':' | b'}' => return Err(self.err_char()),
                b']' => {
                    self.depth -= 1;
                    self.read();
                    return Ok(self.sink.end_array(mark));
                }
                _ => {
                    if !self.alloc(crate::budget::ENTRY) {
                        return Err(JsonError::new("the render's budget ran out"));
                    }
                    self.sink.before_item(mark);
                    let item = self.read_main(STOP_ARRAY)?;
                    self.sink.push_item(item);
                }
            }
        }
    }

    pub(crate) fn read_object(&mut self) -> Result<S::Out, JsonError> {
        self.enter()?;
        let mark = self.sink.begin_object();
        loop {
            self.read();
            match self.c {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => continue,
                b':' | b'[' | b']' | b'{' => return Err(self.err_char()),
                b'}' => {
                    self.depth -= 1;
                    self.read();
                    return Ok(self.sink.end_object(mark));
                }
                _ => {}
            }
            if !self.alloc(crate::budget::MAP_ENTRY + crate::budget::OBJECT) {
                return Err(JsonError::new("the render's budget ran out"));
            }
            let text = if self.c == b'"' || self.c == b'\'' {
                self.read_string()?
            } else {
                Text::Borrowed(self.read_nq(STOP_KEY))
            };
            let key = self.sink.key(mark, text);
            self.skip_space();
            if self.c != b':' {
                return Err(if self.c == EOI {
                    self.err_eof()
                } else {
                    self.err_char()
                });
            }
            self.read_no_end()?;
            let value = self.read_main(STOP_VALUE)?;
            self.sink.push_entry(key, value);
            self.skip_space();
            match self.c {
                b'}' => {
                    self.depth -= 1;
                    self.read();
                    return Ok(self.sink.end_object(mark));
                }
                EOI => return Err(self.err_eof()),
                b',' => {}
                _ => return Err(self.err_token(&(self.c as char).to_string())),
            }
        }
    }

    /// Reads a quoted string starting at the opening quote; leaves `c` after the closing one.
    pub(crate) fn read_string(&mut self) -> Result<Text<'a>, JsonError> {
        let quote = self.c;
        let body_start = self.pos + 1;
        let rest = self.b.get(body_start..).unwrap_or(&[]);
        // The first quote or backslash: a quote first means a string without escapes.
        match memchr::memchr2(quote, b'\\', rest) {
            Some(len) if rest[len] == quote => {
                let s = self.slice(body_start, body_start + len);
                self.pos = body_start + len;
                self.read();
                Ok(Text::Borrowed(s))
            }
            Some(_) if rest.contains(&quote) => self.read_string_escaped(quote).map(Text::Owned),
            _ => Err(JsonError::new(format!(
                "Unexpected End Of File position {}: null",
                self.b.len()
            ))),
        }
    }

    pub(crate) fn read_string_escaped(&mut self, quote: u8) -> Result<String, JsonError> {
        let mut sb = Utf16Builder::default();
        loop {
            self.read();
            match self.c {
                EOI => return Err(self.err_eof()),
                b'"' | b'\'' if self.c == quote => {
                    self.read();
                    return Ok(sb.finish());
                }
                b'\\' => {
                    self.read();
                    match self.c {
                        b'"' => sb.push_char('"'),
                        b'\'' => sb.push_char('\''),
                        b'/' => sb.push_char('/'),
                        b'\\' => sb.push_char('\\'),
                        b'b' => sb.push_char('\u{8}'),
                        b'f' => sb.push_char('\u{c}'),
                        b'n' => sb.push_char('\n'),
                        b'r' => sb.push_char('\r'),
                        b't' => sb.push_char('\t'),
                        b'u' => {
                            let unit = self.read_unicode(4)?;
                            sb.push_unit(unit);
                        }
                        b'x' => {
                            let unit = self.read_unicode(2)?;
                            sb.push_unit(unit);
                        }
                        c if c >= 0x80 => {
                            // An unknown escape drops the escaped character (all of it).
                            self.read_char();
                            self.pos -= 1;
                        }
                        _ => {}
                    }
                }
                0..=31 | 127 => {} // control characters are dropped here
                c if c < 0x80 => sb.push_char(c as char),
                _ => {
                    let start = self.pos;
                    self.read_char();
                    let ch = self.slice(start, self.pos);
                    sb.push_str(ch);
                    self.pos -= 1;
                }
            }
        }
    }

    pub(crate) fn read_unicode(&mut self, n: usize) -> Result<u16, JsonError> {
        let mut v: u32 = 0;
        for _ in 0..n {
            v *= 16;
            self.read();
            v += match self.c {
                c @ b'0'..=b'9' => u32::from(c - b'0'),
                c @ b'A'..=b'F' => u32::from(c - b'A' + 10),
                c @ b'a'..=b'f' => u32::from(c - b'a' + 10),
                EOI => return Err(self.err_eof()),
                c => {
                    return Err(JsonError::new(format!(
                        "Unexpected unicode escape sequence {} at position {}.",
                        c as char, self.pos
                    )))
                }
            };
        }
        Ok(v as u16)
    }

    pub(crate) fn read_number(&mut self, stop: Stop) -> Result<S::Out, JsonError> {
        let start = self.pos;
        self.read();
        self.skip_digits();
        let mut float = false;
        if self.c == b'.' {
            float = true;
            self.read();
            self.skip_digits();
        }
        if self.c == b'e' || self.c == b'E' {
            float = true;
            self.read();
            if self.c == b'+' || self.c == b'-' || self.c.is_ascii_digit() {
                self.read();
                self.skip_digits();
            } else {
                self.skip_nq(stop);
                let s = java_trim(self.slice(start, self.pos));
                return Ok(self.sink.borrowed(s));
            }
        }
        self.skip_space();
        // A number ends at a stop character, at the end, or at any character ≥ '~'.
        if self.c < 126 && !is_stop(stop, self.c) && self.c != EOI {
            self.skip_nq(stop);
            let s = java_trim(self.slice(start, self.pos));
            return Ok(self.sink.borrowed(s));
        }
        let xs = java_trim(self.slice(start, self.pos));
        let number = if float {
            extract_float(xs)?
        } else {
            parse_integer(xs)
        };
        Ok(self.sink.scalar(number))
    }
}

/// Collects a string as UTF-16 units would be, so that `\uD83D\uDE00` pairs combine.
#[derive(Default)]
pub(crate) struct Utf16Builder {
    pub(crate) out: String,
    pub(crate) high: Option<u16>,
}

impl Utf16Builder {
    pub(crate) fn flush(&mut self) {
        if self.high.take().is_some() {
            self.out.push('\u{FFFD}');
        }
    }

    pub(crate) fn push_char(&mut self, c: char) {
        self.flush();
        self.out.push(c);
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }

    pub(crate) fn push_unit(&mut self, u: u16) {
        match u {
            0xD800..=0xDBFF => {
                self.flush();
                self.high = Some(u);
            }
            0xDC00..=0xDFFF => match self.high.take() {
                Some(h) => {
                    let cp = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                    self.out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                }
                None => self.out.push('\u{FFFD}'),
            },
            _ => self.push_char(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}')),
        }
    }

    pub(crate) fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// Builds the values: `LinkedHashMap`s, `JSONArray`s, strings and numbers.
pub(crate) struct Values<'a> {
    /// The elements of the arrays being read, innermost last: each array takes its own off
    /// the end when it closes, so it is allocated once, at its final size.
    pub(crate) items: Vec<Value>,
    /// The same for the entries of the objects being read.
    pub(crate) entries: Vec<(Key, Value)>,
    /// Keys seen so far in arrays, so that the objects of an array share their key strings.
    pub(crate) keys: KeyTable<'a>,
    /// How many arrays the parser is in.
    pub(crate) arrays: usize,
}

impl<'a> Sink<'a> for Values<'a> {
    type Out = Value;
    type Key = Arc<str>;

    fn scalar(&mut self, v: Value) -> Value {
        v
    }

    fn string(&mut self, s: &str) -> Value {
        Value::str(s)
    }

    #[inline]
    fn begin_array(&mut self) -> usize {
        self.arrays += 1;
        self.items.len()
    }

    fn before_item(&mut self, _mark: usize) {}

    #[inline]
    fn push_item(&mut self, item: Value) {
        self.items.push(item);
    }

    #[inline]
    fn end_array(&mut self, mark: usize) -> Value {
        self.arrays -= 1;
        let items: Vec<Value> = self.items.drain(mark..).collect();
        Value::list(ListKind::JsonArray, items)
    }

    fn begin_object(&mut self) -> usize {
        self.entries.len()
    }

    /// A key's string: shared with the same key of earlier objects inside arrays (where
    /// objects of one shape repeat), new elsewhere.
    #[inline]
    fn key(&mut self, _mark: usize, text: Text<'a>) -> Arc<str> {
        match text {
            Text::Borrowed(s) if self.arrays > 0 => self.keys.get(s),
            Text::Borrowed(s) => Arc::from(s),
            Text::Owned(s) => Arc::from(s),
        }
    }

    fn push_entry(&mut self, key: Arc<str>, value: Value) {
        self.entries.push((Key(Value::Str(key)), value));
    }

    /// The object whose entries start at `mark` in `entries`, in order (a repeated key keeps
    /// its first place and takes its last value, as in a `LinkedHashMap`).
    fn end_object(&mut self, mark: usize) -> Value {
        let mut map =
            Entries::with_capacity_and_hasher(self.entries.len() - mark, Default::default());
        for (k, v) in self.entries.drain(mark..) {
            map.insert(k, v);
        }
        Value::map(map)
    }

    fn built(&mut self, v: Value) -> Value {
        v
    }
}
