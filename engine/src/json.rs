//! JSON the way API Gateway's Java stack reads and writes it: json-smart 2.2.
//!
//! * [`parse_json_smart`] is json-smart's *permissive* parser (`JSONParser.MODE_PERMISSIVE`, the
//!   mode Jayway JsonPath 2.0's `JsonSmartJsonProvider` uses), with its ordered mapper: objects
//!   become `LinkedHashMap`s, arrays `JSONArray`s. It accepts single quotes, unquoted keys and
//!   values, bare text (one `String`), useless commas and trailing data, and picks number classes
//!   the way json-smart does (`Integer`/`Long`/`BigInteger`, `Double`, and `BigDecimal` for
//!   decimals written with more than 18 characters).
//! * [`write_json_smart`] is `JSONValue.toJSONString` (`JSONStyle.NO_COMPRESS`): compact, keys and
//!   strings always quoted, `/` written as `\/`, `Infinity` written as `null`.
//!
//! Java `BigDecimal` and `Float` have no [`Value`] variant; the parser returns them as the
//! [`crate::java::math`] host objects (`BigDecimal`, `JavaFloat`), so templates can do
//! arithmetic and comparisons on them.
//!
//! Deviations from the Java library, all deliberate:
//! * nesting is limited to [`MAX_DEPTH`] levels as in json-smart ≥ 2.4.9. Debian's 2.2 backport
//!   of that limit never decrements the depth when a non-empty object closes, so it rejects any
//!   document holding more than ~400 non-empty objects; that bug is not reproduced.
//! * a `\uXXXX` escape that leaves a lone UTF-16 surrogate becomes U+FFFD (Rust strings cannot
//!   hold one).
//! * error positions are byte offsets, not UTF-16 indexes.

use std::fmt::{self, Write as _};
use std::rc::Rc;
use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::Zero;

use crate::java;
use crate::java::math::{as_big_decimal, as_java_float, float_value, BigDecimal, JavaFloat};
use crate::value::{Entries, Key, ListKind, Value};

/// The deepest nesting of arrays and objects the parser accepts (json-smart's `MAX_DEPTH`).
pub const MAX_DEPTH: usize = 400;

/// The deepest nesting the writer follows before giving up (Java would overflow its stack on a
/// cyclic structure).
pub const MAX_WRITE_DEPTH: usize = 1000;

/// A json-smart `ParseException` (or the `NumberFormatException` that escapes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The exception message, in json-smart's wording where it has one.
    pub message: String,
}

impl JsonError {
    fn new(message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

// ---------------------------------------------------------------------------------------------
// BigDecimal text
// ---------------------------------------------------------------------------------------------

/// Parses like `new BigDecimal(String)`: optional sign, digits with an optional point (at least
/// one digit), optional exponent. `None` where Java throws `NumberFormatException` (including an
/// exponent or scale outside the `int` range).
pub fn parse_big_decimal(s: &str) -> Option<BigDecimal> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut digits = String::with_capacity(b.len());
    let mut frac: i64 = 0;
    let mut seen_point = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                digits.push(c as char);
                if seen_point {
                    frac += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits.is_empty() {
        return None;
    }
    let mut exp: i64 = 0;
    if i < b.len() {
        if b[i] != b'e' && b[i] != b'E' {
            return None;
        }
        i += 1;
        let exp_negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            exp = exp
                .saturating_mul(10)
                .saturating_add(i64::from(b[i] - b'0'));
            i += 1;
        }
        if i == start || i != b.len() || exp > i64::from(i32::MAX) {
            return None;
        }
        if exp_negative {
            exp = -exp;
        }
    }
    let scale = i32::try_from(frac - exp).ok()?;
    if !crate::budget::spend(crate::java::math::parse_decimal_work(digits.len())) {
        return None;
    }
    let mut unscaled: BigInt = crate::java::math::parse_decimal(&digits)?;
    if negative {
        unscaled = -unscaled;
    }
    Some(BigDecimal { unscaled, scale })
}

/// A view of the Java number classes json-smart produces that [`Value`] has no variant for:
/// `BigDecimal` and `Float` host objects (see [`crate::java::math`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum JavaNumber<'a> {
    /// `java.math.BigDecimal`: decimals written with more than 18 characters.
    BigDecimal(&'a BigDecimal),
    /// `java.lang.Float`: json-smart parses a bare `NaN` as `Float.NaN`.
    Float(&'a f32),
}

impl<'a> JavaNumber<'a> {
    /// The number inside `value`, if it is a `BigDecimal` or `Float` object.
    pub fn from_value(value: &'a Value) -> Option<JavaNumber<'a>> {
        if let Some(d) = as_big_decimal(value) {
            return Some(JavaNumber::BigDecimal(d));
        }
        match value {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<JavaFloat>()
                .map(|f| JavaNumber::Float(&f.0)),
            _ => None,
        }
    }

    /// `Number.doubleValue()`.
    pub fn to_f64(&self) -> f64 {
        match self {
            JavaNumber::BigDecimal(d) => d.to_f64(),
            JavaNumber::Float(f) => f64::from(**f),
        }
    }

    /// `toString()`.
    pub fn to_java_string(&self) -> String {
        match self {
            JavaNumber::BigDecimal(d) => d.to_java_string(),
            JavaNumber::Float(f) => java::format_float(**f),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

/// Appends json-smart's compact serialization of `value` (`JSONValue.toJSONString`).
///
/// Structures nested deeper than [`MAX_WRITE_DEPTH`] (only reachable through cycles) are cut
/// off with `null`; use [`try_write_json_smart`] to detect that.
pub fn write_json_smart(value: &Value, out: &mut String) {
    let room = crate::budget::memory_left() / 2;
    if write_value(value, out, 0, false, out.len().saturating_add(room)).is_err() {
        crate::budget::alloc(usize::MAX);
    }
}

/// Like [`write_json_smart`], stopping after about `room` bytes (or when the render's budget
/// runs out) without tripping the memory budget.
pub(crate) fn write_json_smart_within(value: &Value, out: &mut String, room: usize) {
    let _ = write_value(value, out, 0, false, out.len().saturating_add(room));
}

/// Like [`write_json_smart`], but fails (as Java's `StackOverflowError` would) on structures
/// nested deeper than [`MAX_WRITE_DEPTH`].
pub fn try_write_json_smart(value: &Value, out: &mut String) -> Result<(), JsonError> {
    let limit = out.len().saturating_add(crate::budget::memory_left() / 2);
    let result = write_value(value, out, 0, true, limit);
    if out.len() > limit {
        crate::budget::alloc(usize::MAX);
    }
    result
}

/// `JSONValue.toJSONString(value)` as a new string.
pub fn to_json_smart(value: &Value) -> String {
    let mut out = String::new();
    write_json_smart(value, &mut out);
    out
}

/// Appends `s` as a quoted json-smart string: `"` `\` `/` and `\b \f \n \r \t` escaped with a
/// backslash; U+0000–U+001F, U+007F–U+009F and U+2000–U+20FF as upper-case `\uXXXX`; everything
/// else (non-ASCII included) as is.
pub fn write_json_smart_string(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Runs of eight bytes that need no escape are skipped at once.
        while let Some(word) = bytes.get(i..i + 8) {
            if word.iter().any(|&b| JSON_SMART_MAY_ESCAPE[usize::from(b)]) {
                break;
            }
            i += 8;
        }
        if i >= bytes.len() {
            break;
        }
        // Only ASCII, U+0080–U+009F (0xC2 0x80–0x9F) and U+2000–U+20FF (0xE2 0x80–0x83 …)
        // are escaped; other bytes are copied in runs.
        if !JSON_SMART_MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let escape: Option<&str> = match bytes[i] {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'/' => Some("\\/"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x00..=0x1f | 0x7f => Some(""),
            0xC2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => Some(""),
            0xE2 if matches!(bytes.get(i + 1), Some(0x80..=0x83)) => Some(""),
            _ => None,
        };
        let Some(esc) = escape else {
            i += 1;
            continue;
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
            let _ = write!(out, "\\u{:04X}", ch as u32);
            i += ch.len_utf8();
        } else {
            out.push_str(esc);
            i += 1;
        }
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The bytes that start a character [`write_json_smart_string`] may escape.
const JSON_SMART_MAY_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'/' as usize] = true;
    t[0x7f] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

/// `limit`: the length `out` may reach; past it (or when the render's fuel or stack runs
/// out) writing stops with an error.
fn write_value(
    value: &Value,
    out: &mut String,
    depth: usize,
    strict: bool,
    limit: usize,
) -> Result<(), JsonError> {
    if out.len() > limit || !crate::budget::spend(1) || !crate::budget::stack_ok() {
        return Err(JsonError::new("the value is too large to write"));
    }
    if depth > MAX_WRITE_DEPTH {
        if strict {
            return Err(JsonError::new("java.lang.StackOverflowError"));
        }
        out.push_str("null");
        return Ok(());
    }
    match value {
        Value::Str(s) => write_json_smart_string(s, out),
        Value::List(l) => {
            out.push('[');
            let items = l.items.borrow();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth + 1, strict, limit)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            let entries = m.entries.borrow();
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match &k.0 {
                    Value::Str(key) => write_json_smart_string(key, out),
                    other => match other.to_java_string() {
                        Some(key) => write_json_smart_string(&key, out),
                        None => out.push_str("null"),
                    },
                }
                out.push(':');
                write_value(v, out, depth + 1, strict, limit)?;
            }
            out.push('}');
        }
        _ => write_scalar(value, out),
    }
    Ok(())
}

/// Writes a value that is not a string, list or map.
fn write_scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => java::write_long(i64::from(*i), out),
        Value::Long(l) => java::write_long(*l, out),
        Value::BigInt(b) => {
            if crate::budget::decimal(b.bits()) {
                let _ = write!(out, "{b}");
            }
        }
        Value::Double(d) => {
            if d.is_infinite() {
                out.push_str("null");
            } else {
                java::write_double(*d, out);
            }
        }
        Value::Object(_) => {
            if let Some(d) = as_big_decimal(value) {
                out.push_str(&d.to_java_string());
            } else if let Some(f) = as_java_float(value) {
                if f.is_infinite() {
                    out.push_str("null");
                } else {
                    java::write_float(f, out);
                }
            } else {
                // json-smart's bean writer finds no readable properties on host objects.
                out.push_str("{}");
            }
        }
        Value::Str(s) => write_json_smart_string(s, out),
        Value::List(_) | Value::Map(_) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// Parses `text` with json-smart 2.2's permissive parser, as Jayway JsonPath 2.0 does.
///
/// Highlights of the permissive grammar (all confirmed against the Java library):
/// * empty or blank input, and any text that does not start like JSON, is one `String` (trimmed
///   of characters ≤ U+0020): `abc def` → `"abc def"`, `<a>x</a>` → `"<a>x</a>"`, `` → `""`;
/// * after a complete top-level value anything is ignored: `{"a":1} x` → `{a=1}`;
/// * `'single'` quotes, unquoted keys (`{a b:1}` → key `a b`) and unquoted values
///   (`[abc, def]`), useless commas (`[1,,2]`, `{,}`), a missing value (`{"a":,}` → `""`);
/// * numbers: `-0` → Integer 0, a lone `-` → Integer 0, `1.50` → Double 1.5, `1e400` → Double
///   Infinity, `1.0000000000000000001` → BigDecimal, `9223372036854775808` → BigInteger,
///   `NaN` → Float NaN, `1e`, `+1`, `.5`, `0x10`, `Infinity` → Strings, `1e+` → error;
/// * escapes: `\x41` is accepted, an unknown escape like `\q` is dropped; raw control characters
///   are kept in strings without escapes but dropped from strings that contain one.
pub fn parse_json_smart(text: &str) -> Result<Value, JsonError> {
    parse_json_smart_charged(text, true)
}

/// [`parse_json_smart`], charging the values' memory or (when an earlier pass over `text` did,
/// see [`write_json_smart_of_text`]) only the fuel.
pub(crate) fn parse_json_smart_charged(
    text: &str,
    charge_memory: bool,
) -> Result<Value, JsonError> {
    parse_json_smart_selected(text, charge_memory, None)
}

/// [`parse_json_smart_charged`] that builds, of the objects on the way to the paths of
/// `selection`, only the entries those paths name (see [`Selection`]); `None` builds all.
/// The errors, fuel and memory are those of the whole parse.
pub(crate) fn parse_json_smart_selected(
    text: &str,
    charge_memory: bool,
    selection: Option<&Selection>,
) -> Result<Value, JsonError> {
    let (items, entries) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut values = Values {
        items,
        entries,
        keys: KeyTable::default(),
        arrays: 0,
    };
    // The WebAssembly build parses whole documents: its download budget has no room for a
    // second parser (which the optimizer drops when nothing can reach it).
    let selection = selection.filter(|_| !cfg!(target_arch = "wasm32"));
    let (result, values) = match selection {
        None => {
            // Lent, as [`Select`] lends its values: one parser for both.
            let mut p = Parser::new(text, &mut values);
            p.charge_memory = charge_memory;
            (p.parse(), values)
        }
        Some(selection) => {
            let mut p = Parser::new(
                text,
                Select {
                    values,
                    selection,
                    picks: Vec::new(),
                    skip: 0,
                    next: selection.mode(0),
                },
            );
            p.charge_memory = charge_memory;
            (p.parse(), p.sink.values)
        }
    };
    // The stacks go back for the next parse on this thread (empty; small ones only).
    let Values {
        mut items,
        mut entries,
        ..
    } = values;
    if items.capacity() <= SCRATCH_KEPT && entries.capacity() <= SCRATCH_KEPT {
        items.clear();
        entries.clear();
        SCRATCH.with(|s| *s.borrow_mut() = (items, entries));
    }
    result
}

/// Appends `JSONValue.toJSONString` of what [`parse_json_smart`] makes of `text` to `out`,
/// without building the values: each value is written as it is read. The output, the errors
/// and the fuel and memory charged are those of parsing and then writing, except that a
/// document whose objects repeat a key is also charged fuel for the values the repeats
/// replace, and that when the output outgrows its room the memory budget trips as soon as
/// that is seen rather than once the whole document is read. A top-level `null` is written
/// as `""` (what `$input.json('$')` writes for it), and `Ok(true)` says it was one.
///
/// On a parse error `out` is left as it was.
pub(crate) fn write_json_smart_of_text(text: &str, out: &mut String) -> Result<bool, JsonError> {
    let start = out.len();
    let objects = WRITE_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut p = Parser::new(
        text,
        Writer {
            out: std::mem::take(out),
            start,
            objects,
            depth: 0,
            top_null: false,
        },
    );
    let result = p.parse();
    let Writer {
        out: written,
        mut objects,
        top_null,
        ..
    } = p.sink;
    *out = written;
    if objects.capacity() <= SCRATCH_KEPT {
        objects.clear();
        WRITE_SCRATCH.with(|s| *s.borrow_mut() = objects);
    }
    if result.is_err() {
        out.truncate(start);
    } else if out.len() - start > crate::budget::memory_left() / 2 {
        crate::budget::alloc(usize::MAX);
    }
    result.map(|()| top_null)
}

/// The most elements of [`Parser::items`] and [`Parser::entries`] kept between parses.
const SCRATCH_KEPT: usize = 4096;

/// The parser's stacks: array elements and object entries.
type Stacks = (Vec<Value>, Vec<(Key, Value)>);

/// The object entries a [`Writer`] has written: where each starts, where its key's text ends
/// (after the `:`) and where its value's ends.
type Written = Vec<(usize, usize, usize)>;

thread_local! {
    /// The parser's stacks, kept between the parses of a thread so that they are allocated
    /// once rather than grown in every parse.
    static SCRATCH: std::cell::RefCell<Stacks> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    /// The same for the writer's entries.
    static WRITE_SCRATCH: std::cell::RefCell<Written> = const { std::cell::RefCell::new(Vec::new()) };
}

/// json-smart's end-of-input marker (also what a real U+001A character reads as).
const EOI: u8 = 26;

type Stop = u8;
const STOP_X: Stop = 0;
const STOP_ARRAY: Stop = 1;
const STOP_VALUE: Stop = 2;
const STOP_KEY: Stop = 3;

fn is_stop(stop: Stop, c: u8) -> bool {
    match stop {
        STOP_ARRAY => c == b',' || c == b']',
        STOP_VALUE => c == b',' || c == b'}',
        STOP_KEY => c == b':',
        _ => false,
    }
}

/// What the parser makes of what it reads: values ([`Values`]) or their JSON text
/// ([`Writer`]). The parser calls it in document order.
trait Sink<'a> {
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

/// Builds the values: `LinkedHashMap`s, `JSONArray`s, strings and numbers.
struct Values<'a> {
    /// The elements of the arrays being read, innermost last: each array takes its own off
    /// the end when it closes, so it is allocated once, at its final size.
    items: Vec<Value>,
    /// The same for the entries of the objects being read.
    entries: Vec<(Key, Value)>,
    /// Keys seen so far in arrays, so that the objects of an array share their key strings.
    keys: KeyTable<'a>,
    /// How many arrays the parser is in.
    arrays: usize,
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

/// The parts of a document a template can read: the property chains (`$.a.b`) that lead to
/// the values its `$input.path`/`$input.json` paths start from. Parsing with a selection
/// builds, of each object on such a chain, only the entries the chains name; every value
/// at a chain's end, and every value that is not an object, is built whole. A path read from
/// the pruned document gives what it gives from the whole one, as long as it starts with
/// one of the chains and then stays inside the value there (no filter, which may read `$`).
#[derive(Debug)]
pub(crate) struct Selection {
    /// Node 0 is the document; each node's children are the names read below it.
    nodes: Vec<SelectionNode>,
}

#[derive(Debug, Default)]
struct SelectionNode {
    /// A chain ends here: the value is built whole.
    whole: bool,
    children: Vec<(Box<str>, u32)>,
}

impl Selection {
    /// The selection of `chains` (each a list of property names from the document), or
    /// `None` when one of them is the whole document (or there are too many names to be
    /// worth it).
    pub(crate) fn new<'c>(chains: impl IntoIterator<Item = Vec<&'c str>>) -> Option<Selection> {
        let mut sel = Selection {
            nodes: vec![SelectionNode::default()],
        };
        for chain in chains {
            if chain.is_empty() {
                return None;
            }
            let mut node = 0usize;
            for name in chain {
                if sel.nodes[node].whole {
                    break;
                }
                node = match sel.child(node as u32, name) {
                    Some(child) => child as usize,
                    None => {
                        let child = sel.nodes.len();
                        if child > 256 {
                            return None;
                        }
                        sel.nodes.push(SelectionNode::default());
                        sel.nodes[node]
                            .children
                            .push((Box::from(name), child as u32));
                        child
                    }
                };
            }
            sel.nodes[node].whole = true;
            sel.nodes[node].children.clear();
        }
        Some(sel)
    }

    /// How the value at `node` is read.
    fn mode(&self, node: u32) -> Mode {
        if self.nodes[node as usize].whole {
            Mode::Whole
        } else {
            Mode::Pick(node)
        }
    }

    /// The node of `name` below `node`.
    fn child(&self, node: u32, name: &str) -> Option<u32> {
        let children = &self.nodes[node as usize].children;
        children.iter().find(|(n, _)| &**n == name).map(|&(_, c)| c)
    }
}

/// How [`Select`] treats a value: built whole, not built, or (an object on a selected
/// chain) built with only the entries of the selection node's children.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Whole,
    Skip,
    Pick(u32),
}

/// [`Values`] for the parts of the document a [`Selection`] names; the rest is read (the
/// parser checks and charges it all) but not built.
struct Select<'a, 's> {
    values: Values<'a>,
    selection: &'s Selection,
    /// The selection nodes of the objects on a chain being read, innermost last.
    picks: Vec<u32>,
    /// How many of the innermost open arrays and objects are not built.
    skip: usize,
    /// In an object on a chain: the mode of the value about to be read.
    next: Mode,
}

impl Select<'_, '_> {
    #[inline]
    fn skipping(&self) -> bool {
        self.skip > 0 || matches!(self.next, Mode::Skip)
    }
}

impl<'a> Sink<'a> for Select<'a, '_> {
    type Out = Value;
    type Key = Option<Arc<str>>;

    #[inline]
    fn scalar(&mut self, v: Value) -> Value {
        if self.skipping() {
            return Value::Null;
        }
        v
    }

    #[inline]
    fn string(&mut self, s: &str) -> Value {
        if self.skipping() {
            return Value::Null;
        }
        self.values.string(s)
    }

    /// Only arrays that are not built get here ([`Sink::whole`] takes the others).
    #[inline]
    fn begin_array(&mut self) -> usize {
        self.skip += 1;
        0
    }

    #[inline]
    fn before_item(&mut self, _mark: usize) {}

    #[inline]
    fn push_item(&mut self, _item: Value) {}

    #[inline]
    fn end_array(&mut self, _mark: usize) -> Value {
        self.skip -= 1;
        Value::Null
    }

    /// Objects not built, or on a chain ([`Sink::whole`] takes those built whole).
    #[inline]
    fn begin_object(&mut self) -> usize {
        match self.next {
            Mode::Pick(node) if self.skip == 0 => {
                self.picks.push(node);
                self.values.begin_object()
            }
            _ => {
                self.skip += 1;
                0
            }
        }
    }

    #[inline]
    fn key(&mut self, mark: usize, text: Text<'a>) -> Option<Arc<str>> {
        if self.skip > 0 {
            return None;
        }
        let node = self.picks.last().copied().unwrap_or(0);
        match self.selection.child(node, text.as_str()) {
            Some(child) => {
                self.next = self.selection.mode(child);
                Some(self.values.key(mark, text))
            }
            None => {
                self.next = Mode::Skip;
                None
            }
        }
    }

    #[inline]
    fn push_entry(&mut self, key: Option<Arc<str>>, value: Value) {
        if let Some(key) = key {
            self.values.push_entry(key, value);
        }
    }

    #[inline]
    fn end_object(&mut self, mark: usize) -> Value {
        if self.skip > 0 {
            self.skip -= 1;
            return Value::Null;
        }
        self.picks.pop();
        self.values.end_object(mark)
    }

    /// A value at a chain's end, and an array on a chain (a chain's next name cannot be read
    /// in it), are built whole.
    #[inline]
    fn whole(&mut self, array: bool) -> Option<&mut Values<'a>> {
        let whole = match self.next {
            _ if self.skip > 0 => false,
            Mode::Whole => true,
            Mode::Pick(_) => array,
            Mode::Skip => false,
        };
        whole.then_some(&mut self.values)
    }

    fn built(&mut self, v: Value) -> Value {
        v
    }
}

/// Writes each value's json-smart text as it is read: what [`write_json_smart`] writes for
/// the value [`Values`] builds.
struct Writer {
    out: String,
    /// Where the document's text starts in `out`.
    start: usize,
    /// The entries of the objects being written, innermost last.
    objects: Written,
    /// How deep in arrays and objects the parser is.
    depth: usize,
    /// Whether the document is a `null`.
    top_null: bool,
}

impl Writer {
    /// What writing one value costs (as in [`write_value`]); past the room the output may
    /// take, the memory budget trips (the parse then stops at its next charge).
    fn charge(&mut self) {
        if self.out.len() - self.start > crate::budget::memory_left() / 2 {
            crate::budget::alloc(usize::MAX);
        } else {
            crate::budget::spend(1);
        }
    }

    /// Keeps the last value of each repeated key of the object whose entries start at `mark`
    /// in `objects`, in the place of the key's first entry, as a `LinkedHashMap` does; `open`
    /// is where the object's `{` is.
    fn merge_repeated_keys(&mut self, open: usize, mark: usize) {
        let out = &self.out;
        let entries = &self.objects[mark..];
        let key = |e: &(usize, usize, usize)| &out[e.0..e.1];
        let repeated = if entries.len() <= 16 {
            (1..entries.len()).any(|i| entries[..i].iter().any(|e| key(e) == key(&entries[i])))
        } else {
            let mut seen = std::collections::HashSet::with_capacity(entries.len());
            !entries.iter().all(|e| seen.insert(key(e)))
        };
        if !repeated {
            return;
        }
        // Each key in order of first appearance, with the entry that holds its last value.
        let mut order: Vec<usize> = Vec::new();
        let mut place = std::collections::HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            match place.get(key(e)) {
                Some(&slot) => order[slot] = i,
                None => {
                    place.insert(key(e), order.len());
                    order.push(i);
                }
            }
        }
        let mut text = String::with_capacity(out.len() - open);
        text.push('{');
        for (n, &i) in order.iter().enumerate() {
            if n > 0 {
                text.push(',');
            }
            let (key_start, _, value_end) = entries[i];
            text.push_str(&out[key_start..value_end]);
        }
        self.out.truncate(open);
        self.out.push_str(&text);
    }
}

impl<'a> Sink<'a> for Writer {
    type Out = ();
    type Key = usize;

    fn scalar(&mut self, v: Value) {
        self.charge();
        if v.is_null() && self.depth == 0 {
            self.top_null = true;
            self.out.push_str("\"\"");
            return;
        }
        write_scalar(&v, &mut self.out);
    }

    fn string(&mut self, s: &str) {
        self.charge();
        write_json_smart_string(s, &mut self.out);
    }

    fn begin_array(&mut self) -> usize {
        self.charge();
        self.depth += 1;
        self.out.push('[');
        self.out.len()
    }

    fn before_item(&mut self, mark: usize) {
        if self.out.len() > mark {
            self.out.push(',');
        }
    }

    fn push_item(&mut self, _item: ()) {}

    fn end_array(&mut self, _mark: usize) {
        self.depth -= 1;
        self.out.push(']');
    }

    fn begin_object(&mut self) -> usize {
        self.charge();
        self.depth += 1;
        self.out.push('{');
        self.objects.len()
    }

    fn key(&mut self, mark: usize, text: Text<'a>) -> usize {
        if self.objects.len() > mark {
            self.out.push(',');
        }
        let start = self.out.len();
        write_json_smart_string(text.as_str(), &mut self.out);
        self.out.push(':');
        self.objects.push((start, self.out.len(), 0));
        self.objects.len() - 1
    }

    fn push_entry(&mut self, key: usize, _value: ()) {
        self.objects[key].2 = self.out.len();
    }

    fn end_object(&mut self, mark: usize) {
        self.depth -= 1;
        if self.objects.len() - mark > 1 {
            // The `{` is just before the first entry's key.
            let open = self.objects[mark].0 - 1;
            self.merge_repeated_keys(open, mark);
        }
        self.objects.truncate(mark);
        self.out.push('}');
    }

    /// Never called: a writer builds no values.
    fn built(&mut self, _v: Value) {}
}

struct Parser<'a, S> {
    src: &'a str,
    b: &'a [u8],
    /// Byte index of the current character `c`.
    pos: usize,
    c: u8,
    depth: usize,
    sink: S,
    /// Whether the values' memory is charged (not when it was, by an earlier pass).
    charge_memory: bool,
}

/// The distinct keys (written without escapes) of one document, up to [`KeyTable::MAX`]
/// of them: an array of objects of one shape then holds each key string once.
#[derive(Default)]
struct KeyTable<'a> {
    map: std::collections::HashMap<
        &'a str,
        Arc<str>,
        std::hash::BuildHasherDefault<crate::fxhash::FxHasher>,
    >,
}

impl<'a> KeyTable<'a> {
    const MAX: usize = 1024;
    /// Longer keys are not shared.
    const MAX_LEN: usize = 64;

    fn get(&mut self, text: &'a str) -> Arc<str> {
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
enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

/// `String.trim()`: drops characters ≤ U+0020 at both ends (all of them single bytes).
fn java_trim(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b.iter().position(|&c| c > b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c > b' ').map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

impl<'a, S: Sink<'a>> Parser<'a, S> {
    fn new(text: &'a str, sink: S) -> Parser<'a, S> {
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
    fn alloc(&self, bytes: usize) -> bool {
        !self.charge_memory || crate::budget::alloc(bytes)
    }

    /// Reads the document: its first value (anything after it is ignored).
    fn parse(&mut self) -> Result<S::Out, JsonError> {
        // The text is scanned once and its strings are copied: charged up front.
        if !crate::budget::spend(self.b.len() as u64 / 64) || !self.alloc(self.b.len()) {
            return Err(JsonError::new("the render's budget ran out"));
        }
        self.read_main(STOP_X)
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(EOI)
    }

    fn read(&mut self) {
        if self.pos < self.b.len() {
            self.pos += 1;
        }
        self.c = self.at(self.pos);
    }

    /// Advances past the whole (possibly multi-byte) character at `pos`.
    fn read_char(&mut self) {
        let len = match self.c {
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        self.pos = (self.pos + len).min(self.b.len());
        self.c = self.at(self.pos);
    }

    fn read_no_end(&mut self) -> Result<(), JsonError> {
        self.read();
        if self.pos >= self.b.len() {
            return Err(self.err_eof());
        }
        Ok(())
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        let end = end.min(self.b.len());
        self.src.get(start.min(end)..end).unwrap_or("")
    }

    fn err_char(&self) -> JsonError {
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

    fn err_token(&self, token: &str) -> JsonError {
        JsonError::new(format!(
            "Unexpected token {token} at position {}.",
            self.pos
        ))
    }

    fn err_eof(&self) -> JsonError {
        JsonError::new(format!(
            "Unexpected End Of File position {}: null",
            self.pos
        ))
    }

    /// Moves to byte `pos` (at most the end).
    fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.b.len());
        self.c = self.at(self.pos);
    }

    fn skip_space(&mut self) {
        let mut p = self.pos;
        while p < self.b.len() && self.b[p] <= b' ' && self.b[p] != EOI {
            p += 1;
        }
        self.seek(p);
    }

    fn skip_digits(&mut self) {
        let mut p = self.pos;
        while p < self.b.len() && self.b[p].is_ascii_digit() {
            p += 1;
        }
        self.seek(p);
    }

    /// Skips to the next stop character or end of input (a U+001A character reads as one).
    fn skip_nq(&mut self, stop: Stop) {
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
    fn read_nq(&mut self, stop: Stop) -> &'a str {
        let start = self.pos;
        self.skip_nq(stop);
        java_trim(self.slice(start, self.pos))
    }

    fn read_main(&mut self, stop: Stop) -> Result<S::Out, JsonError> {
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
    fn read_whole(&mut self, array: bool) -> Result<S::Out, JsonError> {
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

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonError::new(format!(
                "Malicious payload, having non natural depths, parsing stoped on {} at position {}.",
                self.c as char, self.pos
            )));
        }
        Ok(())
    }

    fn read_array(&mut self) -> Result<S::Out, JsonError> {
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

    fn read_object(&mut self) -> Result<S::Out, JsonError> {
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
    fn read_string(&mut self) -> Result<Text<'a>, JsonError> {
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

    fn read_string_escaped(&mut self, quote: u8) -> Result<String, JsonError> {
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

    fn read_unicode(&mut self, n: usize) -> Result<u16, JsonError> {
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

    fn read_number(&mut self, stop: Stop) -> Result<S::Out, JsonError> {
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
struct Utf16Builder {
    out: String,
    high: Option<u16>,
}

impl Utf16Builder {
    fn flush(&mut self) {
        if self.high.take().is_some() {
            self.out.push('\u{FFFD}');
        }
    }

    fn push_char(&mut self, c: char) {
        self.flush();
        self.out.push(c);
    }

    fn push_str(&mut self, s: &str) {
        self.flush();
        self.out.push_str(s);
    }

    fn push_unit(&mut self, u: u16) {
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

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// json-smart's integer rule: the exact value as Integer, else Long; text longer than 19 digits
/// (20 with a sign) is always a BigInteger, even `00000000000000000001`.
#[inline]
fn parse_integer(xs: &str) -> Value {
    let (neg, digits) = match xs.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, xs),
    };
    if digits.len() <= 18 {
        // Fits an i64 whatever the digits are.
        let n = digits
            .bytes()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
        return Value::from_i64(if neg { -n } else { n });
    }
    parse_long_integer(neg, digits)
}

/// [`parse_integer`] of 19 digits or more.
#[inline(never)]
fn parse_long_integer(neg: bool, digits: &str) -> Value {
    if digits.len() > 19 {
        // Work beyond the text's scan, charged before it is done.
        if !crate::budget::spend(crate::java::math::parse_decimal_work(digits.len())) {
            return Value::Null;
        }
        let n = crate::java::math::parse_decimal(digits).unwrap_or_default();
        return Value::BigInt(Rc::new(if neg { -n } else { n }));
    }
    let mut n = BigInt::zero();
    if !digits.is_empty() {
        n = digits.parse().unwrap_or_default();
    }
    if neg {
        n = -n;
    }
    match i64::try_from(&n) {
        Ok(l) => Value::from_i64(l),
        Err(_) => Value::BigInt(Rc::new(n)),
    }
}

/// json-smart's `extractFloat` in permissive mode: text longer than 18 characters is a
/// `BigDecimal`, anything else `Double.parseDouble`.
fn extract_float(xs: &str) -> Result<Value, JsonError> {
    if xs.len() > 18 {
        return match parse_big_decimal(xs) {
            Some(d) => Ok(Value::Object(Rc::new(d))),
            None => Err(JsonError::new(format!(
                "java.lang.NumberFormatException: For input string: \"{xs}\""
            ))),
        };
    }
    if !is_java_decimal(xs) {
        return Err(JsonError::new(format!(
            "java.lang.NumberFormatException: For input string: \"{xs}\""
        )));
    }
    Ok(Value::Double(xs.parse::<f64>().unwrap_or(f64::NAN)))
}

/// Whether `s` (made of `-`, digits, `.`, `e`/`E`, `+`) is valid for `Double.parseDouble`.
fn is_java_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let mut mantissa_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Class-annotated dump, in the shape of the Java probe used to record the expectations.
    fn desc(v: &Value) -> String {
        match v {
            Value::Null => "null".into(),
            Value::Map(m) => {
                let inner: Vec<String> = m
                    .entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| format!("{}: {}", desc(&k.0), desc(v)))
                    .collect();
                format!("LinkedHashMap{{{}}}", inner.join(", "))
            }
            Value::List(l) => {
                let inner: Vec<String> = l.items.borrow().iter().map(desc).collect();
                format!("JSONArray[{}]", inner.join(", "))
            }
            other => {
                let class = other.class_name();
                let short = class.rsplit('.').next().unwrap_or(class);
                format!("{short}({})", other.to_java_string().unwrap_or_default())
            }
        }
    }

    fn parsed(text: &str) -> String {
        match parse_json_smart(text) {
            Ok(v) => format!("{}  ||  {}", desc(&v), to_json_smart(&v)),
            Err(_) => "ERROR".into(),
        }
    }

    // Expected strings recorded from json-smart 2.2 through Jayway's JsonSmartJsonProvider.
    #[test]
    fn numbers() {
        let cases = [
            ("1", "Integer(1)  ||  1"),
            ("-0", "Integer(0)  ||  0"),
            ("-0.0", "Double(-0.0)  ||  -0.0"),
            ("1.50", "Double(1.5)  ||  1.5"),
            ("1e3", "Double(1000.0)  ||  1000.0"),
            ("1.0E400", "Double(Infinity)  ||  null"),
            ("2147483648", "Long(2147483648)  ||  2147483648"),
            ("-2147483648", "Integer(-2147483648)  ||  -2147483648"),
            (
                "9223372036854775808",
                "BigInteger(9223372036854775808)  ||  9223372036854775808",
            ),
            (
                "-9223372036854775808",
                "Long(-9223372036854775808)  ||  -9223372036854775808",
            ),
            (
                "1.0000000000000000001",
                "BigDecimal(1.0000000000000000001)  ||  1.0000000000000000001",
            ),
            ("1.0000000000000000", "Double(1.0)  ||  1.0"),
            (
                "1.7976931348623157E308",
                "BigDecimal(1.7976931348623157E+308)  ||  1.7976931348623157E+308",
            ),
            ("0.00000000000000000", "BigDecimal(0E-17)  ||  0E-17"),
            (
                "0.000000123456789012345",
                "BigDecimal(1.23456789012345E-7)  ||  1.23456789012345E-7",
            ),
            (
                "100000000000000000.0E10",
                "BigDecimal(1.000000000000000000E+27)  ||  1.000000000000000000E+27",
            ),
            (
                "12345678901234567890123.5e-3",
                "BigDecimal(12345678901234567890.1235)  ||  12345678901234567890.1235",
            ),
            ("0000000000000000000.5", "BigDecimal(0.5)  ||  0.5"),
            ("01", "Integer(1)  ||  1"),
            ("-", "Integer(0)  ||  0"),
            ("5.", "Double(5.0)  ||  5.0"),
            ("-.5", "Double(-0.5)  ||  -0.5"),
            ("1.e5", "Double(100000.0)  ||  100000.0"),
            ("NaN", "Float(NaN)  ||  NaN"),
            ("[-]", "JSONArray[Integer(0)]  ||  [0]"),
            ("[1e-]", "ERROR"),
            ("-.", "ERROR"),
            ("1e99999999999999999999", "ERROR"),
            ("1e+", "ERROR"),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), want, "input {input:?}");
        }
    }

    #[test]
    fn permissive_text() {
        let cases = [
            (".5", "String(.5)  ||  \".5\""),
            ("1e", "String(1e)  ||  \"1e\""),
            ("+1", "String(+1)  ||  \"+1\""),
            ("Infinity", "String(Infinity)  ||  \"Infinity\""),
            ("123abc", "String(123abc)  ||  \"123abc\""),
            ("1 2", "String(1 2)  ||  \"1 2\""),
            ("True", "String(True)  ||  \"True\""),
            ("", "String()  ||  \"\""),
            (" ", "String()  ||  \"\""),
            ("abc def", "String(abc def)  ||  \"abc def\""),
            ("<a>x</a>", "String(<a>x</a>)  ||  \"<a>x<\\/a>\""),
            ("\"abc\"", "String(abc)  ||  \"abc\""),
            ("\"abc", "ERROR"),
            ("'single'", "String(single)  ||  \"single\""),
            ("null", "null  ||  null"),
            ("true x", "String(true x)  ||  \"true x\""),
            ("\u{b}{}", "String({})  ||  \"{}\""),
            ("\u{1a}", "String()  ||  \"\""),
            ("}", "ERROR"),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), want, "input {input:?}");
        }
    }

    #[test]
    fn permissive_structures() {
        let cases = [
            ("[1,]", "JSONArray[Integer(1)]  ||  [1]"),
            ("[,1]", "JSONArray[Integer(1)]  ||  [1]"),
            ("{\"a\":1,}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{a:1}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{'a':'b'}", "LinkedHashMap{String(a): String(b)}  ||  {\"a\":\"b\"}"),
            ("{a:b c}", "LinkedHashMap{String(a): String(b c)}  ||  {\"a\":\"b c\"}"),
            ("{\"a\":1} x", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{\"a\":1}}", "LinkedHashMap{String(a): Integer(1)}  ||  {\"a\":1}"),
            ("{\"a\":1,\"a\":2}", "LinkedHashMap{String(a): Integer(2)}  ||  {\"a\":2}"),
            ("[abc, def]", "JSONArray[String(abc), String(def)]  ||  [\"abc\",\"def\"]"),
            ("[1é]", "JSONArray[Integer(1), String(é)]  ||  [1,\"é\"]"),
            ("[1~]", "JSONArray[Integer(1), String(~)]  ||  [1,\"~\"]"),
            ("[\"a\" \"b\"]", "JSONArray[String(a), String(b)]  ||  [\"a\",\"b\"]"),
            ("{\"a\":,\"b\":1}", "LinkedHashMap{String(a): String(), String(b): Integer(1)}  ||  {\"a\":\"\",\"b\":1}"),
            ("{a b:1}", "LinkedHashMap{String(a b): Integer(1)}  ||  {\"a b\":1}"),
            ("{\"a\":1 \"b\":2}", "LinkedHashMap{String(a): String(1 \"b\":2)}  ||  {\"a\":\"1 \\\"b\\\":2\"}"),
            ("[1 [2]]", "JSONArray[String(1 [2)]  ||  [\"1 [2\"]"),
            ("[[1] 2]", "JSONArray[JSONArray[Integer(1)], Integer(2)]  ||  [[1],2]"),
            ("[{\"a\":1} {\"b\":2}]", "JSONArray[LinkedHashMap{String(a): Integer(1)}, LinkedHashMap{String(b): Integer(2)}]  ||  [{\"a\":1},{\"b\":2}]"),
            ("{\"a\"}", "ERROR"),
            ("{a}", "ERROR"),
            ("{:1}", "ERROR"),
            ("{\"a\":[}", "ERROR"),
            ("{\"a\":\"b\" x}", "ERROR"),
            ("[1,\u{1a}]", "ERROR"),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), want, "input {input:?}");
        }
    }

    #[test]
    fn strings_and_escapes() {
        let cases = [
            (
                r#"["\u00e9\x41\q\\"]"#,
                "JSONArray[String(éA\\)]  ||  [\"éA\\\\\"]",
            ),
            (r#"["\ud83d\ude00"]"#, "JSONArray[String(😀)]  ||  [\"😀\"]"),
            (r#"["\u12"]"#, "ERROR"),
            (r#"["\u12g4"]"#, "ERROR"),
            (
                "[\"a\u{1}b\"]",
                "JSONArray[String(a\u{1}b)]  ||  [\"a\\u0001b\"]",
            ),
            (
                "[\"a\u{1}b\\n\"]",
                "JSONArray[String(ab\n)]  ||  [\"ab\\n\"]",
            ),
            ("[\"a\u{1a}b\\n\"]", "ERROR"),
            (r#"["\é"]"#, "JSONArray[String()]  ||  [\"\"]"),
            ("['a\"b']", "JSONArray[String(a\"b)]  ||  [\"a\\\"b\"]"),
            (
                r#"{"a\u0000b":1}"#,
                "LinkedHashMap{String(a\u{0}b): Integer(1)}  ||  {\"a\\u0000b\":1}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), want, "input {input:?}");
        }
    }

    #[test]
    fn depth_limit() {
        let ok = format!("{}{}", "[".repeat(400), "]".repeat(400));
        assert!(parse_json_smart(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(401), "]".repeat(401));
        assert!(parse_json_smart(&too_deep).is_err());
        let deep_objects = format!("{}1{}", "{\"a\":".repeat(400), "}".repeat(400));
        assert!(parse_json_smart(&deep_objects).is_ok());
        // Many sibling objects are fine (Debian's 2.2 wrongly rejects this one).
        let siblings = format!("[{}]", vec!["{\"a\":1}"; 1000].join(","));
        assert!(parse_json_smart(&siblings).is_ok());
        // Deep unterminated input fails without exhausting the stack.
        assert!(parse_json_smart(&"[{\"a\":".repeat(100_000)).is_err());
    }

    #[test]
    fn escaping_table() {
        let mut out = String::new();
        write_json_smart_string("\u{0}\u{8}\t\n\u{b}\u{c}\r\u{1f} \"/\\\u{7f}\u{9f}\u{a0}é\u{2000}\u{2028}\u{20ff}\u{2100}😀", &mut out);
        assert_eq!(
            out,
            "\"\\u0000\\b\\t\\n\\u000B\\f\\r\\u001F \\\"\\/\\\\\\u007F\\u009F\u{a0}é\\u2000\\u2028\\u20FF\u{2100}😀\""
        );
    }

    #[test]
    fn writer_shapes() {
        let v = parse_json_smart(
            r#"{"u":"http://x/y","f":1.50,"e":1e3,"s":"é","n":null,"l":[true,{"k":[]}]}"#,
        )
        .unwrap();
        assert_eq!(
            to_json_smart(&v),
            r#"{"u":"http:\/\/x\/y","f":1.5,"e":1000.0,"s":"é","n":null,"l":[true,{"k":[]}]}"#
        );
        // Non-string keys are written through toString(); host objects as `{}`.
        let mut m = Entries::default();
        m.insert(Key(Value::Int(1)), Value::str("one"));
        let list = Value::list(
            ListKind::ArrayList,
            vec![Value::map(m), Value::Long(10_000_000_000)],
        );
        assert_eq!(to_json_smart(&list), r#"[{"1":"one"},10000000000]"#);
    }

    #[test]
    fn cyclic_write_is_bounded() {
        let list = Value::list(ListKind::JsonArray, vec![]);
        if let Value::List(l) = &list {
            l.items.borrow_mut().push(list.clone());
        }
        let mut out = String::new();
        assert!(try_write_json_smart(&list, &mut out).is_err());
        let mut out = String::new();
        write_json_smart(&list, &mut out);
        assert!(out.contains("[null]") && out.ends_with("]]"));
        if let Value::List(l) = &list {
            l.items.borrow_mut().clear(); // break the cycle so the Rc can be freed
        }
    }

    #[test]
    fn big_decimal_strings() {
        let cases = [
            ("1.0000000000000000001", "1.0000000000000000001"),
            ("-0.00000000000000000", "0E-17"),
            ("1234567890123456789e-30", "1.234567890123456789E-12"),
            ("1.23456789012345678E+5", "123456.789012345678"),
            ("1E+5", "1E+5"),
            ("0.0000001", "1E-7"),
            ("0.000001", "0.000001"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_big_decimal(input).unwrap().to_java_string(), want);
        }
        for bad in ["", "-", ".", "1e", "1e+", "1.2.3", "1e2147483648", "0x1"] {
            assert!(parse_big_decimal(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn large_body_round_trips() {
        // A 1 MB body parses and writes back unchanged (json-smart's compact form is this
        // body's own). How long it takes is for the benchmarks, not for a test.
        let item = r#"{"id":12345,"name":"a \"quoted\" name","tags":["x","y"],"price":12.5},"#;
        let body = format!("[{}1]", item.repeat(15_000));
        assert!(body.len() > 1_000_000);
        let v = parse_json_smart(&body).unwrap();
        let mut out = String::new();
        write_json_smart(&v, &mut out);
        assert_eq!(out, body);
    }

    /// `$input.json('$')` the plain way: parse, then write (null written as `""`).
    fn parse_then_write(text: &str) -> Result<(String, bool), String> {
        let v = parse_json_smart(text).map_err(|e| e.message)?;
        let null = v.is_null();
        let v = if null { Value::str("") } else { v };
        let mut out = String::new();
        write_json_smart(&v, &mut out);
        Ok((out, null))
    }

    /// The same through the writer that builds no values (after text already in `out`).
    fn streamed(text: &str) -> Result<(String, bool), String> {
        let mut out = String::from("before");
        let result = write_json_smart_of_text(text, &mut out);
        match result {
            Ok(null) => Ok((out["before".len()..].to_string(), null)),
            Err(e) => {
                assert_eq!(out, "before", "{text:?}: a failed write leaves the text");
                Err(e.message)
            }
        }
    }

    fn assert_same(text: &str) {
        assert_eq!(streamed(text), parse_then_write(text), "input {text:?}");
    }

    /// Every string under a `body` key of the conformance corpus and the benchmark cases.
    fn corpus_bodies() -> Vec<String> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(o) => {
                    for (k, v) in o {
                        match v {
                            serde_json::Value::String(s) if k == "body" => out.push(s.clone()),
                            _ => walk(v, out),
                        }
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![root.join("conformance/cases"), root.join("benches/cases")];
        let mut bodies = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if let Ok(v) = serde_json::from_str(&text) {
                        walk(&v, &mut bodies);
                    }
                }
            }
        }
        bodies
    }

    #[test]
    fn writing_while_reading_equals_parse_then_write_on_the_corpus() {
        let bodies = corpus_bodies();
        assert!(bodies.len() > 100, "found {} bodies", bodies.len());
        for body in &bodies {
            assert_same(body);
        }
    }

    #[test]
    fn writing_while_reading_equals_parse_then_write_on_odd_input() {
        let cases = [
            "",
            " ",
            "null",
            " null ",
            "null x",
            "nul",
            "true",
            "false x",
            "NaN",
            "Nan",
            "[NaN]",
            "-",
            "-0",
            "-0.0",
            "1.50",
            "1e3",
            "1.0E400",
            "2147483648",
            "9223372036854775808",
            "-9223372036854775808",
            "123456789012345678901234567890",
            "1.0000000000000000001",
            "0.00000000000000000",
            "01",
            "5.",
            "-.5",
            "1.e5",
            "[-]",
            "[1e-]",
            "-.",
            "1e+",
            "1e99999999999999999999",
            ".5",
            "1e",
            "+1",
            "0x10",
            "Infinity",
            "123abc",
            "1 2",
            "abc def",
            "<a>x</a>",
            "\"abc\"",
            "\"abc",
            "'single'",
            "\u{b}{}",
            "\u{1a}",
            "}",
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{a:1}",
            "{'a':'b'}",
            "{a:b c}",
            "{\"a\":1} x",
            "{\"a\":1}}",
            "[abc, def]",
            "[1é]",
            "[1~]",
            "[\"a\" \"b\"]",
            "{\"a\":,\"b\":1}",
            "{a b:1}",
            "{\"a\":1 \"b\":2}",
            "[1 [2]]",
            "[[1] 2]",
            "[{\"a\":1} {\"b\":2}]",
            "{\"a\"}",
            "{a}",
            "{:1}",
            "{\"a\":[}",
            "{\"a\":\"b\" x}",
            "[1,\u{1a}]",
            r#"["\u00e9\x41\q\\"]"#,
            r#"["\ud83d\ude00"]"#,
            r#"["\ud83d"]"#,
            r#"["\u12"]"#,
            r#"["\u12g4"]"#,
            "[\"a\u{1}b\"]",
            "[\"a\u{1}b\\n\"]",
            "[\"a\u{1a}b\\n\"]",
            r#"["\é"]"#,
            "['a\"b']",
            r#"{"a\u0000b":1}"#,
            "[\"/\u{2028}\u{85}\u{7f}\"]",
            "{\"u\":\"http://x/y\",\"f\":1.50,\"n\":null,\"l\":[true,{\"k\":[]}]}",
            // Repeated keys: the first place, the last value, at every level.
            "{\"a\":1,\"b\":2,\"a\":3}",
            "{\"a\":{\"x\":1,\"x\":[2]},\"b\":0,\"a\":{\"y\":[1,{\"z\":1,\"z\":2}],\"y\":5}}",
            "{a:1, a :2, 'a':3}",
            r#"{"\u0061":1,"a":2,"b":{}}"#,
            "[{\"k\":1,\"k\":2},{\"k\":3,\"j\":4,\"k\":5}]",
            "{\"a\":1,\"a\":2,}x",
            "{\"a\":1,\"a\":{\"b\":1,\"b\":}}",
        ];
        for text in cases {
            assert_same(text);
        }
        // Objects with many keys, some repeated.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\":{i}", i % 23)).collect();
        assert_same(&format!("{{{}}}", many.join(",")));
        let distinct: Vec<String> = (0..40).map(|i| format!("\"k{i}\":[{i}]")).collect();
        assert_same(&format!("{{{}}}", distinct.join(",")));
    }

    #[test]
    fn writing_while_reading_equals_parse_then_write_on_deep_input() {
        for depth in [399, 400, 401] {
            assert_same(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            assert_same(&format!(
                "{}1{}",
                "{\"a\":".repeat(depth),
                "}".repeat(depth)
            ));
        }
        let too_deep = streamed(&"[{\"a\":".repeat(100_000));
        assert!(too_deep.unwrap_err().contains("Malicious payload"));
    }

    /// Parsing with a selection: the same error as the whole parse, and every path that
    /// starts with one of the chains reads the same value from the pruned document.
    fn assert_selection_reads_the_same(text: &str, chains: &[Vec<&str>]) {
        use crate::aws::jsonpath::JsonPath;
        let Some(selection) = Selection::new(chains.iter().cloned()) else {
            return;
        };
        let whole = parse_json_smart(text);
        let pruned = parse_json_smart_selected(text, true, Some(&selection));
        let (whole, pruned) = match (whole, pruned) {
            (Ok(w), Ok(p)) => (w, p),
            (Err(w), Err(p)) => {
                assert_eq!(w.message, p.message, "{text:?} {chains:?}");
                return;
            }
            (w, p) => panic!("{text:?} {chains:?}: {w:?} against {p:?}"),
        };
        for chain in chains {
            let base = format!(
                "${}",
                chain.iter().map(|n| format!("['{n}']")).collect::<String>()
            );
            for tail in ["", "[0]", ".*", "..k", "[*].k", ".length()", "['k','j']"] {
                let Ok(path) = JsonPath::compile(&format!("{base}{tail}")) else {
                    continue;
                };
                if path.selected_chain().is_none() {
                    continue;
                }
                let (w, p) = (path.read_or_null(&whole), path.read_or_null(&pruned));
                assert_eq!(
                    to_json_smart(&w),
                    to_json_smart(&p),
                    "{text:?} {}",
                    path.source()
                );
            }
        }
    }

    /// Chains made of the document's own keys (down to three levels), so that selections
    /// pick real parts of it.
    fn chains_of(text: &str) -> Vec<Vec<Vec<String>>> {
        fn keys(v: &Value) -> Vec<String> {
            match v {
                Value::Map(m) => m
                    .entries
                    .borrow()
                    .keys()
                    .take(3)
                    .map(|k| k.0.as_str().unwrap_or("").to_string())
                    .collect(),
                _ => Vec::new(),
            }
        }
        fn child(v: &Value, name: &str) -> Value {
            match v {
                Value::Map(m) => m.get_str(name).unwrap_or(Value::Null),
                _ => Value::Null,
            }
        }
        let Ok(doc) = parse_json_smart(text) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for a in keys(&doc) {
            let below = child(&doc, &a);
            out.push(vec![vec![a.clone()]]);
            let mut deeper = Vec::new();
            for b in keys(&below) {
                deeper.push(vec![a.clone(), b.clone()]);
                for c in keys(&child(&below, &b)) {
                    out.push(vec![vec![a.clone(), b.clone(), c]]);
                }
            }
            out.push(deeper);
        }
        out
    }

    #[test]
    fn a_selection_reads_what_the_whole_document_does() {
        let fixed: Vec<Vec<Vec<&str>>> = vec![
            vec![vec!["a"]],
            vec![vec!["a", "x"]],
            vec![vec!["a", "x"], vec!["b"]],
            vec![vec!["a", "y", "z"], vec!["k"], vec!["a", "x"]],
            vec![vec!["a", "y"], vec!["a"]],
            vec![vec!["k", "j"], vec!["k", "k"]],
            vec![vec!["order", "customer"], vec!["order", "id"]],
        ];
        let mut texts = corpus_bodies();
        texts.extend(
            [
                "{\"a\":{\"x\":1,\"x\":[2]},\"b\":0,\"a\":{\"y\":[1,{\"z\":1,\"z\":2}],\"y\":5}}",
                "{\"a\":{\"x\":1},\"a\":7}",
                "{\"a\":[{\"x\":1,\"k\":2}],\"b\":{\"x\":{}}}",
                "{a:{x:'1', y:{z:[1,2]}}, k:{k:1,j:[2]}} tail",
                "[{\"a\":1}]",
                "\"a\"",
                "{\"a\":{\"x\":[}",
                "{\"b\":{\"x\":1},\"a\":{\"x\":{\"k\":2}},\"a\"",
                "{\"a\":{\"y\":{\"z\":\"\\u00e9\"},\"q\":[[{}]]}}",
            ]
            .map(String::from),
        );
        assert!(texts.len() > 100);
        for text in &texts {
            for chains in &fixed {
                assert_selection_reads_the_same(text, chains);
            }
            for chains in chains_of(text) {
                let chains: Vec<Vec<&str>> = chains
                    .iter()
                    .map(|c| c.iter().map(String::as_str).collect())
                    .collect();
                assert_selection_reads_the_same(text, &chains);
            }
        }
    }

    #[test]
    fn a_selection_leaves_out_what_no_chain_names() {
        let selection = Selection::new([vec!["a", "x"], vec!["b"]]).unwrap();
        let doc = parse_json_smart_selected(
            r#"{"a":{"x":{"p":1},"y":[1,2]},"b":[{"q":2}],"c":{"x":1}}"#,
            true,
            Some(&selection),
        )
        .unwrap();
        assert_eq!(to_json_smart(&doc), r#"{"a":{"x":{"p":1}},"b":[{"q":2}]}"#);
        assert!(
            Selection::new([vec!["a"], vec![]]).is_none(),
            "the whole document"
        );
    }

    /// Random text over the characters that steer the parser, compared both ways.
    #[test]
    fn writing_while_reading_equals_parse_then_write_on_random_input() {
        const PIECES: [&str; 30] = [
            "{", "}", "[", "]", ",", ":", "\"", "'", "\\", "a", "b", "1", "-", ".", "e", "E", "+",
            "null", "true", "NaN", "0", " ", "\n", "\u{1a}", "é", "\\u00", "\"k\"", "\"k\":", "9",
            "\u{1}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..30_000 {
            let len = (next() % 24) as usize;
            let mut text = String::new();
            // Most start like JSON, so that the structures get exercised.
            if next() % 4 != 0 {
                text.push(if next() % 2 == 0 { '{' } else { '[' });
            }
            for _ in 0..len {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            assert_same(&text);
        }
    }

    /// Both ways charge the same fuel and memory (for documents without repeated keys), and
    /// both fail under a budget too small for the document.
    #[test]
    fn writing_while_reading_charges_what_parse_then_write_does() {
        let body = r#"{"a":[1,2.5,"x",{"b":null,"c":12345678901234567890123}],"d":"\/é","e":true}"#;
        let left = |f: &dyn Fn()| {
            let _scope = crate::budget::install(1_000_000, 1_000_000, usize::MAX);
            f();
            (crate::budget::fuel_left(), crate::budget::memory_left())
        };
        let plain = left(&|| {
            parse_then_write(body).unwrap();
        });
        let stream = left(&|| {
            streamed(body).unwrap();
        });
        assert_eq!(stream, plain);
        assert!(plain.0 < 1_000_000 && plain.1 < 1_000_000);
        for (fuel, memory) in [(1, 1_000_000), (1_000_000, 200), (5, 1_000_000)] {
            let _scope = crate::budget::install(fuel, memory, usize::MAX);
            let _ = streamed(body);
            assert!(
                crate::budget::tripped().is_some(),
                "fuel {fuel}, memory {memory}"
            );
        }
    }
}
