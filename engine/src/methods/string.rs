//! `java.lang.String` methods (the string semantics themselves are in `crate::java::string`).

use std::rc::Rc;

use super::call::*;
use super::list::IntStream;
use crate::java::regex::RegexCache;
use crate::java::string;
use crate::value::{ListKind, Value};

/// A String result that reuses the receiver when the text is unchanged.
pub(crate) fn same_or_new(recv: &Value, original: &str, s: &str) -> MethodResult {
    if s.len() == original.len() {
        ok(recv.clone())
    } else {
        copied(s)
    }
}

pub(crate) fn cow_result(recv: &Value, c: std::borrow::Cow<'_, str>) -> MethodResult {
    match c {
        std::borrow::Cow::Borrowed(b) => match recv {
            Value::Str(s) if b.len() == s.len() => ok(recv.clone()),
            _ => copied(b),
        },
        std::borrow::Cow::Owned(o) => string_result(o),
    }
}

pub(crate) fn string_method(
    s: &str,
    recv: &Value,
    name: &str,
    args: &[Value],
    regex: &mut RegexCache,
) -> MethodResult {
    use string as js;
    match (name, args) {
        ("length", []) => int(js::length(s) as i32),
        ("isEmpty", []) => boolean(s.is_empty()),
        ("toString" | "intern", []) => ok(recv.clone()),
        ("hashCode", []) => int(js::hash_code(s)),
        ("trim", []) => same_or_new(recv, s, js::trim(s)),
        ("toUpperCase", []) => within(case_mapped_len(s, true), || {
            cow_result(recv, js::to_upper_case(s))
        }),
        ("toLowerCase", []) => within(case_mapped_len(s, false), || {
            cow_result(recv, js::to_lower_case(s))
        }),
        ("charAt", [i]) => match int_arg(i) {
            Some(i) => match js::char_at(s, i) {
                Ok(c) => copied(c.encode_utf8(&mut [0; 4])),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("codePointAt", [i]) => match int_arg(i) {
            Some(i) => match js::code_point_at(s, i) {
                Ok(c) => int(c),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("codePointBefore", [i]) => match int_arg(i) {
            Some(i) => {
                if i < 1 || i as usize > js::length(s) {
                    return throw(
                        "java.lang.StringIndexOutOfBoundsException",
                        format!("String index out of range: {i}"),
                    );
                }
                code_point_before(s, i as usize)
            }
            None => MethodResult::NotFound,
        },
        ("codePointCount", [a, b]) => match (int_arg(a), int_arg(b)) {
            (Some(a), Some(b)) => {
                if a < 0 || b < a || b as usize > js::length(s) {
                    return throw("java.lang.IndexOutOfBoundsException", "");
                }
                match js::substring(s, a, Some(b)) {
                    // Each lone surrogate half became one '?', so chars() counts it once.
                    Ok(sub) => int(sub.chars().count() as i32),
                    Err(e) => MethodResult::Exception(e),
                }
            }
            _ => MethodResult::NotFound,
        },
        ("substring", [a]) => match int_arg(a) {
            Some(a) => match js::substring(s, a, None) {
                Ok(c) => cow_result(recv, c),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("substring" | "subSequence", [a, b]) => match (int_arg(a), int_arg(b)) {
            (Some(a), Some(b)) => match js::substring(s, a, Some(b)) {
                Ok(c) => cow_result(recv, c),
                Err(e) => MethodResult::Exception(e),
            },
            _ => MethodResult::NotFound,
        },
        ("indexOf", [x]) => match x {
            Value::Int(ch) => int(js::index_of_char(s, *ch, 0)),
            Value::Str(t) => int(js::index_of(s, t, 0)),
            Value::Null => npe("Cannot invoke \"String.coder()\" because \"str\" is null"),
            _ => MethodResult::NotFound,
        },
        ("indexOf", [x, from]) => match (x, int_arg(from)) {
            (Value::Int(ch), Some(f)) => int(js::index_of_char(s, *ch, f)),
            (Value::Str(t), Some(f)) => int(js::index_of(s, t, f)),
            (Value::Null, Some(_)) => {
                npe("Cannot read field \"value\" because \"tgtStr\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("lastIndexOf", [x]) => match x {
            Value::Int(ch) => int(js::last_index_of_char(s, *ch, None)),
            Value::Str(t) => int(js::last_index_of(s, t, None)),
            Value::Null => npe("Cannot read field \"value\" because \"tgtStr\" is null"),
            _ => MethodResult::NotFound,
        },
        ("lastIndexOf", [x, from]) => match (x, int_arg(from)) {
            (Value::Int(ch), Some(f)) => int(js::last_index_of_char(s, *ch, Some(f))),
            (Value::Str(t), Some(f)) => int(js::last_index_of(s, t, Some(f))),
            (Value::Null, Some(_)) => {
                npe("Cannot read field \"value\" because \"tgtStr\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("contains", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(s.contains(t)),
            Some(None) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"s\" is null",
            ),
            None => MethodResult::NotFound,
        },
        ("startsWith", [p]) => match str_arg(p) {
            Some(Some(p)) => boolean(s.starts_with(p)),
            Some(None) => npe("Cannot invoke \"String.length()\" because \"prefix\" is null"),
            None => MethodResult::NotFound,
        },
        ("startsWith", [p, off]) => match (str_arg(p), int_arg(off)) {
            (Some(Some(p)), Some(o)) => boolean(js::starts_with(s, p, o)),
            (Some(None), Some(_)) => {
                npe("Cannot invoke \"String.length()\" because \"prefix\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("endsWith", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(js::ends_with(s, t)),
            Some(None) => npe("Cannot invoke \"String.length()\" because \"suffix\" is null"),
            None => MethodResult::NotFound,
        },
        ("equals", [x]) => boolean(matches!(x, Value::Str(t) if **t == *s)),
        ("equalsIgnoreCase", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(js::equals_ignore_case(s, t)),
            Some(None) => boolean(false),
            None => MethodResult::NotFound,
        },
        ("contentEquals", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(s == t),
            Some(None) => npe(
                "Cannot invoke \"java.lang.CharSequence.length()\" because \"cs\" is null",
            ),
            None => MethodResult::NotFound,
        },
        ("compareTo", [x]) => match x {
            Value::Str(t) => int(js::compare_to(s, t)),
            Value::Null => npe("Cannot read field \"value\" because \"anotherString\" is null"),
            other => class_cast(other, "java.lang.String"),
        },
        ("compareToIgnoreCase", [x]) => match str_arg(x) {
            Some(Some(t)) => int(js::compare_to_ignore_case(s, t)),
            Some(None) => npe("Cannot read field \"value\" because \"s2\" is null"),
            None => MethodResult::NotFound,
        },
        ("concat", [x]) => match str_arg(x) {
            Some(Some("")) => ok(recv.clone()),
            Some(Some(t)) => {
                if let Err(stop) = reserve(s.len() + t.len()) {
                    return stop;
                }
                string_result([s, t].concat())
            }
            Some(None) => npe("Cannot invoke \"String.isEmpty()\" because \"str\" is null"),
            None => MethodResult::NotFound,
        },
        ("replace", [t, r]) => match (str_arg(t), str_arg(r)) {
            (Some(Some(t)), Some(Some(r))) => {
                // The result's size, known before it is built: `replace("", x)` inserts x
                // around every character.
                let count = if t.is_empty() {
                    s.chars().count() + 1
                } else {
                    js::count_matches(s, t)
                };
                let grows = count.saturating_mul(r.len().saturating_sub(t.len()));
                if let Err(stop) = reserve(s.len().saturating_add(grows)) {
                    return stop;
                }
                if count == 0 {
                    // Java returns the string itself when the target does not occur.
                    return ok(recv.clone());
                }
                string_result(js::replace(s, t, r))
            }
            (Some(None), Some(_)) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"target\" is null",
            ),
            (Some(Some(_)), Some(None)) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"replacement\" is null",
            ),
            _ => MethodResult::NotFound,
        },
        ("replaceAll" | "replaceFirst", [re, rep]) => match (str_arg(re), str_arg(rep)) {
            (Some(None), Some(_)) => {
                npe("Cannot invoke \"String.isEmpty()\" because \"this.pattern\" is null")
            }
            (Some(Some(re)), Some(rep)) => {
                let compiled = match regex.get(re) {
                    Ok(c) => c,
                    Err(e) => return MethodResult::Exception(e.into()),
                };
                let all = name == "replaceAll";
                match rep {
                    Some(rep) => match compiled.replace(s, rep, all) {
                        Ok(out) => string_result(out),
                        Err(e) => MethodResult::Exception(e.into()),
                    },
                    None if !all => npe("replacement"),
                    // replaceAll only touches the replacement once something matched.
                    None => match compiled.find_at(s, 0) {
                        Ok(None) => ok(recv.clone()),
                        Ok(Some(_)) => npe(
                            "Cannot invoke \"String.length()\" because \"replacement\" is null",
                        ),
                        Err(e) => MethodResult::Exception(e.into()),
                    },
                }
            }
            _ => MethodResult::NotFound,
        },
        ("matches", [re]) => match str_arg(re) {
            Some(Some(re)) => match js::matches(s, re, regex) {
                Ok(b) => boolean(b),
                Err(e) => MethodResult::Exception(e),
            },
            Some(None) => {
                npe("Cannot invoke \"String.isEmpty()\" because \"this.pattern\" is null")
            }
            None => MethodResult::NotFound,
        },
        ("split", [re]) => split_method(s, re, Some(0), regex),
        ("split", [re, limit]) => split_method(s, re, int_arg(limit), regex),
        ("regionMatches", [t, other, o, len]) => region_matches(s, false, t, other, o, len),
        ("regionMatches", [Value::Bool(ic), t, other, o, len]) => {
            region_matches(s, *ic, t, other, o, len)
        }
        ("valueOf", [x]) => {
            string_result(x.to_java_string().unwrap_or_else(|| "null".to_string()))
        }
        ("join", [d, rest @ ..]) if !rest.is_empty() => join(d, rest),
        // Static String.format(String, Object...), callable on any String.
        ("format", [f, rest @ ..]) => match f {
            Value::Str(f) => match crate::java::format::format(f, rest) {
                Ok(out) => string_result(out),
                Err(e) => MethodResult::Exception(e),
            },
            // format(Locale, String, Object...) wins for a null first argument.
            Value::Null => match rest {
                [Value::Str(f), args @ ..] => match crate::java::format::format(f, args) {
                    Ok(out) => string_result(out),
                    Err(e) => MethodResult::Exception(e),
                },
                _ => npe("Cannot invoke \"String.length()\" because \"s\" is null"),
            },
            _ => MethodResult::NotFound,
        },
        ("toCharArray", []) => {
            let units = s.encode_utf16().count();
            within(units * (crate::budget::ENTRY + crate::budget::OBJECT + 3), || {
                // A char[]; Velocity indexes and sizes arrays like lists.
                ok(Value::list(
                    ListKind::Array("[C"),
                    s.encode_utf16()
                        .map(|u| {
                            Value::string(char::from_u32(u as u32).unwrap_or('?').to_string())
                        })
                        .collect(),
                ))
            })
        }
        ("chars" | "codePoints", []) => ok(Value::Object(Rc::new(IntStream))),
        ("getBytes", []) => within(s.len() * crate::budget::ENTRY, || {
            bytes_result(s.as_bytes().to_vec())
        }),
        ("getBytes", [cs]) => match str_arg(cs) {
            // getBytes(String) and getBytes(Charset) both take null.
            Some(None) => ambiguous(),
            None => MethodResult::NotFound,
            // UTF-16 (with its byte-order mark) is the longest encoding.
            Some(Some(cs)) => within((2 * s.len() + 2) * crate::budget::ENTRY, || {
                match encode(s, cs) {
                    Some(b) => bytes_result(b),
                    None => throw("java.io.UnsupportedEncodingException", cs),
                }
            }),
        },
        _ => MethodResult::NotFound,
    }
}

/// A `byte[]` as a list of (signed) Integers (charged by the caller).
pub(crate) fn bytes_result(bytes: Vec<u8>) -> MethodResult {
    ok(Value::list(
        ListKind::Array("[B"),
        bytes
            .into_iter()
            .map(|b| Value::Int(b as i8 as i32))
            .collect(),
    ))
}

/// `String.getBytes(charsetName)` for the common charsets; unmappable characters become `?`.
pub(crate) fn encode(s: &str, charset: &str) -> Option<Vec<u8>> {
    let key: String = charset
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let narrow = |max: u32| {
        s.chars()
            .map(|c| if (c as u32) <= max { c as u8 } else { b'?' })
            .collect()
    };
    Some(match key.as_str() {
        "utf8" => s.as_bytes().to_vec(),
        "iso88591" | "latin1" | "iso8859_1" | "l1" | "cp819" | "ibm819" => narrow(0xFF),
        "usascii" | "ascii" | "646" | "iso646us" => narrow(0x7F),
        "utf16" => [0xFE, 0xFF]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        "utf16be" => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        "utf16le" => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        _ => return None,
    })
}

pub(crate) fn code_point_before(s: &str, index: usize) -> MethodResult {
    // The last two UTF-16 units before `index`, without collecting them.
    let (mut prev, mut last) = (None, None);
    for u in s.encode_utf16().take(index) {
        prev = last;
        last = Some(u);
    }
    let Some(last) = last else {
        return MethodResult::NotFound;
    };
    if (0xDC00..0xE000).contains(&last) {
        if let Some(hi) = prev.filter(|hi| (0xD800..0xDC00).contains(hi)) {
            return int(0x10000 + ((hi as i32 - 0xD800) << 10) + (last as i32 - 0xDC00));
        }
    }
    int(last as i32)
}

pub(crate) fn split_method(
    s: &str,
    re: &Value,
    limit: Option<i32>,
    regex: &mut RegexCache,
) -> MethodResult {
    let (Some(re), Some(limit)) = (str_arg(re), limit) else {
        return MethodResult::NotFound;
    };
    let Some(re) = re else {
        return npe("Cannot invoke \"String.length()\" because \"regex\" is null");
    };
    // The parts are charged (an entry and a String each) as the split finds them, and their
    // text before it is copied.
    match string::split(s, re, limit, regex) {
        Ok(_) if crate::budget::tripped().is_some() => MethodResult::NotFound,
        Ok(parts) => {
            if let Err(stop) = reserve(parts.iter().map(|p| p.len()).sum()) {
                return stop;
            }
            ok(Value::list(
                ListKind::Array("[Ljava.lang.String;"),
                parts.into_iter().map(Value::str).collect(),
            ))
        }
        Err(e) => MethodResult::Exception(e),
    }
}

pub(crate) fn region_matches(
    s: &str,
    ignore_case: bool,
    toffset: &Value,
    other: &Value,
    ooffset: &Value,
    len: &Value,
) -> MethodResult {
    let (Some(t), Some(other), Some(o), Some(len)) = (
        int_arg(toffset),
        str_arg(other),
        int_arg(ooffset),
        int_arg(len),
    ) else {
        return MethodResult::NotFound;
    };
    let Some(other) = other else {
        return npe("Cannot read field \"value\" because \"other\" is null");
    };
    let (sl, ol) = (string::length(s) as i64, string::length(other) as i64);
    if o < 0 || t < 0 || t as i64 > sl - len as i64 || o as i64 > ol - len as i64 {
        return boolean(false);
    }
    if len <= 0 {
        return boolean(true);
    }
    let a = string::substring(s, t, Some(t + len));
    let b = string::substring(other, o, Some(o + len));
    match (a, b) {
        (Ok(a), Ok(b)) => boolean(if ignore_case {
            string::equals_ignore_case(&a, &b)
        } else {
            a == b
        }),
        _ => boolean(false),
    }
}

/// `String.join(delimiter, elements...)` and `String.join(delimiter, Iterable)`.
pub(crate) fn join(d: &Value, rest: &[Value]) -> MethodResult {
    let Some(d) = str_arg(d) else {
        return MethodResult::NotFound;
    };
    let listed;
    let items: &[Value] = match rest {
        [Value::List(l)] => {
            listed = l.items.borrow();
            &listed
        }
        // join(CharSequence, CharSequence...) and join(CharSequence, Iterable) both apply.
        [Value::Null] => return ambiguous(),
        _ if rest
            .iter()
            .all(|v| matches!(v, Value::Str(_) | Value::Null)) =>
        {
            rest
        }
        _ => return MethodResult::NotFound,
    };
    let Some(d) = d else {
        return npe("");
    };
    let size = items
        .iter()
        .map(|v| v.as_str().map_or(4, str::len) + d.len())
        .sum::<usize>();
    if let Err(stop) = reserve(size) {
        return stop;
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(d);
        }
        match item {
            Value::Str(s) => out.push_str(s),
            Value::Null => out.push_str("null"),
            other => return class_cast(other, "java.lang.CharSequence"),
        }
    }
    string_result(out)
}
