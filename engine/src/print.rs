//! How values print: Java's `toString()` (`String.valueOf`, the collections' `toString()`)
//! and json-smart's `JSONValue.toJSONString` (compact: keys and strings always quoted, `/`
//! written as `\/`, `Infinity` written as `null`). They share a file because each calls the
//! other: a `JSONArray` prints its `toString()` as JSON, and json-smart writes a value that is
//! not JSON by its `toString()`. Every element printed costs fuel, and the text may grow only
//! as far as the memory budget allows.

use std::fmt::{self, Write as _};
use std::rc::Rc;

use crate::java;
use crate::java::decimal::{as_big_decimal, as_java_float};
use crate::json::error::JsonError;
use crate::value::{ListKind, MapKind, Value, MAX_PRINT_DEPTH};

/// The deepest nesting the JSON writer follows before giving up (Java would overflow its
/// stack on a cyclic structure).
pub const MAX_WRITE_DEPTH: usize = 1000;

/// How far a `toString()` may grow, charging fuel per element as it goes.
struct Cap {
    limit: usize,
    /// Trip the memory budget when the limit is passed (a value), or just stop (output).
    memory: bool,
    stopped: bool,
}

impl Cap {
    #[inline]
    fn new(out: &str, room: usize, memory: bool) -> Cap {
        Cap {
            limit: out.len().saturating_add(room),
            memory,
            stopped: false,
        }
    }

    /// Whether `more` bytes may be appended (and one element visited).
    #[inline(always)]
    fn visit(&mut self, out: &str, more: usize) -> bool {
        if self.stopped {
            return false;
        }
        if out.len().saturating_add(more) > self.limit {
            if self.memory {
                crate::budget::alloc(usize::MAX);
            }
            self.stopped = true;
            return false;
        }
        if !crate::budget::spend(1) || !crate::budget::stack_ok() {
            self.stopped = true;
            return false;
        }
        true
    }
}

impl Value {
    /// Java `toString()`; `None` for null and for objects that do not print.
    pub fn to_java_string(&self) -> Option<String> {
        let mut out = String::new();
        if self.write_java(&mut out) {
            Some(out)
        } else {
            None
        }
    }

    /// Appends Java `toString()` to `out`; returns false (writing nothing) for null and for
    /// objects that do not print.
    ///
    /// In a render, the text may grow only as far as the memory budget allows and each
    /// element costs fuel: a structure that shares itself exponentially or cycles stops
    /// early, with the budget tripped (the render then fails with a limit error).
    pub fn write_java(&self, out: &mut String) -> bool {
        // A growing string may hold twice its length, and the caller usually copies it into
        // a value: a quarter of the memory left is the room.
        let mut cap = Cap::new(out, crate::budget::memory_left() / 4, true);
        self.write_java_at(out, 0, &mut cap)
    }

    /// Like [`Value::write_java`], appending at most about `room` bytes; past that it stops
    /// without tripping the budget (the caller reports its own limit, e.g. the output's).
    /// `Err` when it stopped there.
    pub(crate) fn write_java_within(&self, out: &mut String, room: usize) -> Result<bool, ()> {
        let mut cap = Cap::new(out, room, false);
        let printed = self.write_java_at(out, 0, &mut cap);
        // Numbers and other short texts are written before they are measured.
        if cap.stopped || out.len() > cap.limit {
            return Err(());
        }
        Ok(printed)
    }

    fn write_java_at(&self, out: &mut String, depth: usize, cap: &mut Cap) -> bool {
        if !cap.visit(out, 0) {
            return true;
        }
        if depth > MAX_PRINT_DEPTH {
            // Java would overflow its stack on a cycle this deep; print a marker instead.
            out.push_str("(...)");
            return true;
        }
        match self {
            Value::Null => return false,
            Value::Str(s) => {
                if cap.visit(out, s.len()) {
                    out.push_str(s)
                }
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => java::write_long(i64::from(*i), out),
            Value::Long(l) => java::write_long(*l, out),
            Value::BigInt(b) => {
                if crate::budget::decimal(b.bits()) {
                    let _ = write!(out, "{b}");
                }
            }
            Value::Double(d) => java::write_double(*d, out),
            Value::List(l) => match l.kind {
                ListKind::ArrayList | ListKind::MapView(_) => {
                    out.push('[');
                    for (i, item) in l.items.borrow().iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        if cap.stopped {
                            break;
                        }
                        if matches!(item, Value::List(x) if Rc::ptr_eq(x, l)) {
                            out.push_str("(this Collection)");
                        } else {
                            item.write_java_nested(out, depth + 1, cap);
                        }
                    }
                    out.push(']');
                }
                ListKind::JsonArray => {
                    let room = cap.limit.saturating_sub(out.len());
                    write_json_smart_within(self, out, room);
                    cap.visit(out, 0);
                }
                ListKind::Array(class) => {
                    // Java prints an identity hash code; this one is a hash of the contents
                    // (of their first few KB, so that printing stays bounded).
                    const HASHED: usize = 4096;
                    let mut text = String::new();
                    for item in l.items.borrow().iter() {
                        let room = HASHED.saturating_sub(text.len());
                        if room == 0 || item.write_java_within(&mut text, room).is_err() {
                            break;
                        }
                        text.push('\u{0}');
                    }
                    let hash = text.bytes().fold(0x811c_9dc5u32, |h, b| {
                        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
                    });
                    let _ = write!(out, "{class}@{:x}", hash & 0x7fff_ffff);
                    cap.visit(out, 0);
                }
            },
            Value::Map(m) => {
                if m.kind == MapKind::Context {
                    return true;
                }
                out.push('{');
                for (i, (k, v)) in m.entries.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if cap.stopped {
                        break;
                    }
                    let this = |x: &Value| matches!(x, Value::Map(y) if Rc::ptr_eq(y, m));
                    if this(&k.0) {
                        out.push_str("(this Map)");
                    } else {
                        k.0.write_java_nested(out, depth + 1, cap);
                    }
                    out.push('=');
                    if this(v) {
                        out.push_str("(this Map)");
                    } else {
                        v.write_java_nested(out, depth + 1, cap);
                    }
                }
                out.push('}');
            }
            Value::Object(o) => match o.to_java_string() {
                Some(s) => out.push_str(&s),
                None => return false,
            },
        }
        true
    }

    /// `String.valueOf(x)` as used inside a collection's `toString()`: null prints `null`.
    fn write_java_nested(&self, out: &mut String, depth: usize, cap: &mut Cap) {
        if !self.write_java_at(out, depth, cap) {
            out.push_str("null");
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Object(o) => write!(f, "<{}>", o.class_name()),
            other => f.write_str(&other.to_java_string().unwrap_or_default()),
        }
    }
}

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
#[cfg(test)]
pub(crate) fn try_write_json_smart(value: &Value, out: &mut String) -> Result<(), JsonError> {
    let limit = out.len().saturating_add(crate::budget::memory_left() / 2);
    let result = write_value(value, out, 0, true, limit);
    if out.len() > limit {
        crate::budget::alloc(usize::MAX);
    }
    result
}

/// `JSONValue.toJSONString(value)` as a new string.
#[cfg(test)]
pub(crate) fn to_json_smart(value: &Value) -> String {
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
pub(crate) fn write_scalar(value: &Value, out: &mut String) {
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
