//! `java.lang.String` methods with Java's UTF-16 indexing.
//!
//! Indices and lengths are in UTF-16 code units, as in Java. ASCII strings take a fast path on
//! bytes; other strings are walked by `char`. Rust strings cannot hold a lone surrogate, so a
//! result that would contain one (e.g. `substring` cutting an emoji in half) gets `?` in its
//! place, which is also what Java prints for it when it encodes output as UTF-8.
//!
//! Exception messages are JDK 17's. Some depend on Java's internal string coder: strings whose
//! characters are all below U+0100 are "Latin-1" and `charAt` reports
//! `String index out of range: 9`, other strings report `index 9, length 4`.

use std::borrow::Cow;

use super::JavaException;

const SIOOBE: &str = "java.lang.StringIndexOutOfBoundsException";

/// What stands in for a lone surrogate.
const LONE_SURROGATE: char = '?';

/// `length()`: the number of UTF-16 code units.
pub fn length(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// True when Java stores the string as Latin-1 (every character below U+0100).
fn is_latin1(s: &str) -> bool {
    s.chars().all(|c| (c as u32) < 0x100)
}

/// Where a UTF-16 index falls in a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    /// On a character boundary at this byte offset.
    At(usize),
    /// Between the two surrogates of the supplementary character starting at this byte offset.
    Inside(usize),
}

/// Locates UTF-16 index `unit` (which must be `<= length(s)`).
fn locate(s: &str, unit: usize) -> Pos {
    if s.is_ascii() {
        return Pos::At(unit.min(s.len()));
    }
    let mut u = 0;
    for (b, c) in s.char_indices() {
        if u == unit {
            return Pos::At(b);
        }
        let w = c.len_utf16();
        if u + w > unit {
            return Pos::Inside(b);
        }
        u += w;
    }
    Pos::At(s.len())
}

/// The UTF-16 index of byte offset `byte` (a char boundary).
fn units_before(s: &str, byte: usize) -> usize {
    match s.get(..byte) {
        Some(p) if p.is_ascii() => p.len(),
        Some(p) => p.chars().map(char::len_utf16).sum(),
        None => 0,
    }
}

/// The UTF-16 code unit at `index` (no bounds message; `None` when out of range).
fn unit_at(s: &str, index: usize) -> Option<u16> {
    if s.is_ascii() {
        return s.as_bytes().get(index).map(|&b| b as u16);
    }
    s.encode_utf16().nth(index)
}

fn char_index_error(s: &str, index: i64) -> JavaException {
    if is_latin1(s) {
        JavaException::new(SIOOBE, format!("String index out of range: {index}"))
    } else {
        JavaException::new(SIOOBE, format!("index {index}, length {}", length(s)))
    }
}

/// `charAt(index)`; a lone surrogate comes back as `?`.
pub fn char_at(s: &str, index: i32) -> Result<char, JavaException> {
    if index < 0 {
        return Err(char_index_error(s, index as i64));
    }
    match unit_at(s, index as usize) {
        Some(u) => Ok(char::from_u32(u as u32).unwrap_or(LONE_SURROGATE)),
        None => Err(char_index_error(s, index as i64)),
    }
}

/// `codePointAt(index)`: the code point starting at `index` (a lone low surrogate's value
/// when `index` is inside a pair).
pub fn code_point_at(s: &str, index: i32) -> Result<i32, JavaException> {
    let len = length(s);
    if index < 0 || index as usize >= len {
        return Err(JavaException::new(
            SIOOBE,
            format!("index {index}, length {len}"),
        ));
    }
    match locate(s, index as usize) {
        Pos::At(b) => Ok(s[b..].chars().next().map_or(0, |c| c as i32)),
        Pos::Inside(_) => Ok(unit_at(s, index as usize).map_or(0, |u| u as i32)),
    }
}

/// `substring(begin, end)`; `end` defaults to `length()`.
pub fn substring(s: &str, begin: i32, end: Option<i32>) -> Result<Cow<'_, str>, JavaException> {
    let len = length(s);
    let end = end.unwrap_or(len as i32);
    if begin < 0 || begin > end || end as i64 > len as i64 {
        return Err(JavaException::new(
            SIOOBE,
            format!("begin {begin}, end {end}, length {len}"),
        ));
    }
    let (b, e) = (begin as usize, end as usize);
    if s.is_ascii() {
        return Ok(Cow::Borrowed(&s[b..e]));
    }
    let (bp, ep) = (locate(s, b), locate(s, e));
    match (bp, ep) {
        (Pos::At(x), Pos::At(y)) => Ok(Cow::Borrowed(&s[x..y])),
        _ => {
            // Cuts through a surrogate pair: the halves become '?'.
            let mut out = String::new();
            let mut u = 0;
            for c in s.chars() {
                let w = c.len_utf16();
                for k in 0..w {
                    let pos = u + k;
                    if pos >= b && pos < e {
                        if w == 2 && (pos == b && k == 1 || pos + 1 == e && k == 0) {
                            out.push(LONE_SURROGATE);
                        } else if k == 0 {
                            out.push(c);
                        }
                    }
                }
                u += w;
                if u >= e {
                    break;
                }
            }
            Ok(Cow::Owned(out))
        }
    }
}

/// `indexOf(str, fromIndex)` (`from` is clamped like Java's).
pub fn index_of(s: &str, needle: &str, from: i32) -> i32 {
    let len = length(s);
    let from = from.max(0) as usize;
    if from >= len {
        return if needle.is_empty() { len as i32 } else { -1 };
    }
    let start = match locate(s, from) {
        Pos::At(b) => b,
        // A needle cannot start with a lone low surrogate: resume after the pair.
        Pos::Inside(b) => b + s[b..].chars().next().map_or(0, char::len_utf8),
    };
    match s[start..].find(needle) {
        Some(i) => units_before(s, start + i) as i32,
        None => -1,
    }
}

/// `lastIndexOf(str, fromIndex)`; `from` defaults to the end.
pub fn last_index_of(s: &str, needle: &str, from: Option<i32>) -> i32 {
    let len = length(s) as i64;
    let nlen = length(needle) as i64;
    let right = len - nlen;
    let from = from.map_or(i64::MAX, |f| f as i64).min(right);
    if from < 0 {
        return -1;
    }
    if needle.is_empty() {
        return from as i32;
    }
    // The match must start at or before `from`, so search the prefix that ends at from+nlen.
    let limit = (from + nlen) as usize;
    let end = match locate(s, limit) {
        Pos::At(b) => b,
        Pos::Inside(b) => b,
    };
    match s[..end].rfind(needle) {
        Some(i) => units_before(s, i) as i32,
        None => -1,
    }
}

/// `indexOf(int ch, fromIndex)`: a code point (or a surrogate code unit) search.
pub fn index_of_char(s: &str, ch: i32, from: i32) -> i32 {
    let from = from.max(0) as usize;
    if s.is_ascii() {
        if !(0..0x80).contains(&ch) {
            return -1;
        }
        return s
            .as_bytes()
            .iter()
            .skip(from)
            .position(|&b| b as i32 == ch)
            .map_or(-1, |p| (p + from) as i32);
    }
    if (0xD800..0xE000).contains(&ch) {
        return s
            .encode_utf16()
            .enumerate()
            .skip(from)
            .find(|&(_, u)| u as i32 == ch)
            .map_or(-1, |(i, _)| i as i32);
    }
    let mut u = 0;
    for c in s.chars() {
        if u >= from && c as i32 == ch {
            return u as i32;
        }
        u += c.len_utf16();
    }
    -1
}

/// `lastIndexOf(int ch, fromIndex)`; `from` defaults to the end.
pub fn last_index_of_char(s: &str, ch: i32, from: Option<i32>) -> i32 {
    let len = length(s) as i64;
    let from = from.map_or(len - 1, |f| (f as i64).min(len - 1));
    if from < 0 {
        return -1;
    }
    let mut found = -1;
    if (0xD800..0xE000).contains(&ch) {
        for (i, u) in s.encode_utf16().enumerate() {
            if i as i64 > from {
                break;
            }
            if u as i32 == ch {
                found = i as i32;
            }
        }
        return found;
    }
    let mut u = 0i64;
    for c in s.chars() {
        if u > from {
            break;
        }
        if c as i32 == ch {
            found = u as i32;
        }
        u += c.len_utf16() as i64;
    }
    found
}

/// `trim()`: strips characters `<= U+0020` from both ends.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// `toUpperCase()` (full Unicode mapping, e.g. `ß` → `SS`, locale-independent rules).
pub fn to_upper_case(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_lowercase()) {
            Cow::Owned(s.to_ascii_uppercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        Cow::Owned(s.to_uppercase())
    }
}

/// `toLowerCase()` (full Unicode mapping with final-sigma handling).
pub fn to_lower_case(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// `Character.toUpperCase(int)`: the simple (one-to-one) mapping.
fn simple_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// `Character.toLowerCase(int)`: the simple (one-to-one) mapping.
fn simple_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `equalsIgnoreCase(other)`.
pub fn equals_ignore_case(a: &str, b: &str) -> bool {
    if a.len() == b.len() && a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    if length(a) != length(b) {
        return false;
    }
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(c1), Some(c2)) => {
                if c1 == c2 {
                    continue;
                }
                let (u1, u2) = (simple_upper(c1), simple_upper(c2));
                if u1 == u2 || simple_lower(u1) == simple_lower(u2) {
                    continue;
                }
                return false;
            }
            _ => return false,
        }
    }
}

/// `compareTo(other)`: the difference of the first differing UTF-16 units, else of lengths.
pub fn compare_to(a: &str, b: &str) -> i32 {
    if a.is_ascii() && b.is_ascii() {
        for (x, y) in a.bytes().zip(b.bytes()) {
            if x != y {
                return x as i32 - y as i32;
            }
        }
        return a.len() as i32 - b.len() as i32;
    }
    let mut x = a.encode_utf16();
    let mut y = b.encode_utf16();
    let mut n = 0i32;
    loop {
        match (x.next(), y.next()) {
            (Some(p), Some(q)) if p != q => return p as i32 - q as i32,
            (Some(_), Some(_)) => n += 1,
            (Some(_), None) => return length(a) as i32 - n,
            (None, Some(_)) => return n - length(b) as i32,
            (None, None) => return 0,
        }
    }
}

/// `compareToIgnoreCase(other)`: compares `toLowerCase(toUpperCase(c))` per character.
pub fn compare_to_ignore_case(a: &str, b: &str) -> i32 {
    let fold = |c: char| simple_lower(simple_upper(c)) as i32;
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (Some(p), Some(q)) => {
                if p != q {
                    let (fp, fq) = (fold(p), fold(q));
                    if fp != fq {
                        return fp - fq;
                    }
                }
            }
            _ => return length(a) as i32 - length(b) as i32,
        }
    }
}

/// `hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 units, with `int` overflow.
pub fn hash_code(s: &str) -> i32 {
    let mut h: i32 = 0;
    if s.is_ascii() {
        for b in s.bytes() {
            h = h.wrapping_mul(31).wrapping_add(b as i32);
        }
    } else {
        for u in s.encode_utf16() {
            h = h.wrapping_mul(31).wrapping_add(u as i32);
        }
    }
    h
}

/// `startsWith(prefix, toffset)`.
pub fn starts_with(s: &str, prefix: &str, offset: i32) -> bool {
    if offset == 0 {
        return s.starts_with(prefix);
    }
    let len = length(s) as i64;
    if offset < 0 || offset as i64 > len - length(prefix) as i64 {
        return false;
    }
    match locate(s, offset as usize) {
        Pos::At(b) => s[b..].starts_with(prefix),
        Pos::Inside(_) => prefix.is_empty(),
    }
}

/// `endsWith(suffix)`.
pub fn ends_with(s: &str, suffix: &str) -> bool {
    s.ends_with(suffix)
}

/// `replace(CharSequence target, CharSequence replacement)`: literal replacement; an empty
/// target inserts the replacement around every character.
pub fn replace(s: &str, target: &str, replacement: &str) -> String {
    if target.is_empty() {
        let mut out = String::with_capacity(s.len() + (s.len() + 1) * replacement.len());
        out.push_str(replacement);
        for c in s.chars() {
            out.push(c);
            out.push_str(replacement);
        }
        return out;
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for at in memchr::memmem::find_iter(s.as_bytes(), target.as_bytes()) {
        out.push_str(&s[last..at]);
        out.push_str(replacement);
        last = at + target.len();
    }
    out.push_str(&s[last..]);
    out
}

/// How many times a non-empty `target` occurs in `s`, without overlaps, left to right (the
/// occurrences [`replace`] replaces).
pub fn count_matches(s: &str, target: &str) -> usize {
    match target.as_bytes() {
        [b] => memchr::memchr_iter(*b, s.as_bytes()).count(),
        t => memchr::memmem::find_iter(s.as_bytes(), t).count(),
    }
}

/// `split(regex, limit)`, `matches(regex)`, `replaceAll` and `replaceFirst` (see
/// [`super::regex`]).
pub use super::regex::{matches, split};
#[cfg(test)]
pub use super::regex::{replace_all, replace_first};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::regex::RegexCache;

    // Expected values below were printed by Velocity 1.7 on JDK 17 (the oracle).

    #[test]
    fn indexing_is_utf16() {
        let s = "a😀b";
        assert_eq!(length(s), 4);
        assert_eq!(char_at(s, 1), Ok('?'));
        assert_eq!(code_point_at(s, 1), Ok(128512));
        assert_eq!(code_point_at(s, 2), Ok(56832));
        assert_eq!(substring(s, 1, Some(2)).unwrap(), "?");
        assert_eq!(substring(s, 2, None).unwrap(), "?b");
        assert_eq!(index_of(s, "b", 0), 3);
        assert_eq!(last_index_of(s, "😀", None), 1);
        assert_eq!(index_of_char(s, 55357, 0), 1);
        assert_eq!(index_of_char(s, 128512, 0), 1);
        assert_eq!(last_index_of_char(s, 98, None), 3);
        assert_eq!(index_of_char(s, 98, 2), 3);
        assert_eq!(hash_code(s), 57849694);
    }

    #[test]
    fn exceptions_match_jdk17() {
        let msg = |r: Result<char, JavaException>| r.unwrap_err().to_string();
        assert_eq!(
            msg(char_at("hello", 9)),
            "java.lang.StringIndexOutOfBoundsException: String index out of range: 9"
        );
        assert_eq!(
            msg(char_at("héllo", 9)),
            "java.lang.StringIndexOutOfBoundsException: String index out of range: 9"
        );
        assert_eq!(
            msg(char_at("a😀b", 9)),
            "java.lang.StringIndexOutOfBoundsException: index 9, length 4"
        );
        assert_eq!(
            msg(char_at("aĀb", -1)),
            "java.lang.StringIndexOutOfBoundsException: index -1, length 3"
        );
        assert_eq!(
            substring("hello", 2, Some(9)).unwrap_err().message,
            "begin 2, end 9, length 5"
        );
        assert_eq!(
            substring("hello", -1, None).unwrap_err().message,
            "begin -1, end 5, length 5"
        );
        assert_eq!(
            substring("aĀb", 2, Some(1)).unwrap_err().message,
            "begin 2, end 1, length 3"
        );
        assert_eq!(
            code_point_at("abc", 5).unwrap_err().message,
            "index 5, length 3"
        );
    }

    #[test]
    fn searching() {
        let s = "hello";
        assert_eq!(index_of(s, "l", 0), 2);
        assert_eq!(index_of(s, "l", 3), 3);
        assert_eq!(index_of(s, "l", -5), 2);
        assert_eq!(index_of(s, "l", 99), -1);
        assert_eq!(index_of(s, "", 9), 5);
        assert_eq!(index_of(s, "", 0), 0);
        assert_eq!(last_index_of(s, "l", None), 3);
        assert_eq!(last_index_of(s, "l", Some(2)), 2);
        assert_eq!(last_index_of(s, "", None), 5);
        assert_eq!(index_of_char(s, 108, 0), 2);
        assert!(starts_with(s, "el", 1));
        assert!(ends_with(s, "lo"));
        assert_eq!(trim("\u{1} a \u{0}\u{1f}"), "a");
        assert_eq!(length(trim("\u{a0} a \u{2003}")), 5);
    }

    #[test]
    fn case_and_comparison() {
        assert_eq!(to_upper_case("straße İ ΣΑΣ"), "STRASSE İ ΣΑΣ");
        assert_eq!(to_lower_case("straße İ ΣΑΣ"), "straße i̇ σας");
        assert_eq!(
            to_upper_case("ǅ ŉ ﬀ ΐ İstanbul ΌΣΟΣ Σ"),
            "Ǆ ʼN FF \u{399}\u{308}\u{301} İSTANBUL ΌΣΟΣ Σ"
        );
        assert_eq!(
            to_lower_case("ǅ ŉ ﬀ ΐ İstanbul ΌΣΟΣ Σ"),
            "ǆ ŉ ﬀ ΐ i̇stanbul όσος σ"
        );
        assert!(equals_ignore_case("hello", "HELLO"));
        assert!(!equals_ignore_case("straße", "STRASSE"));
        assert!(equals_ignore_case("straße", "STRAßE"));
        assert_eq!(compare_to_ignore_case("straße", "STRASSE"), 108);
        assert_eq!(compare_to_ignore_case("hello", "HELLZ"), -11);
        assert_eq!(compare_to("hello", "hellp"), -1);
        assert_eq!(compare_to("hello", "he"), 3);
        assert_eq!(hash_code("hello"), 99162322);
    }

    #[test]
    fn replace_and_split() {
        assert_eq!(replace("hello", "l", "L"), "heLLo");
        assert_eq!(replace("hello", "", "-"), "-h-e-l-l-o-");
        let mut cache = RegexCache::default();
        assert_eq!(
            split("a,b,,c,,", ",", 0, &mut cache).unwrap(),
            vec!["a", "b", "", "c"]
        );
        assert_eq!(split("a,b,,c,,", ",", -1, &mut cache).unwrap().len(), 6);
        assert_eq!(
            split("abc", "b*", 0, &mut cache).unwrap(),
            vec!["a", "", "c"]
        );
        assert_eq!(
            split("a|b||", "\\|", 0, &mut cache).unwrap(),
            vec!["a", "b"]
        );
        assert_eq!(split("", ",", 0, &mut cache).unwrap(), vec![""]);
        assert!(split(",,,", ",", 0, &mut cache).unwrap().is_empty());
        assert_eq!(
            replace_all("hello", "(l)", "<$1>", &mut cache).unwrap(),
            "he<l><l>o"
        );
        assert_eq!(
            replace_all("hello", "(l)", "$11", &mut cache).unwrap(),
            "hel1l1o"
        );
        assert_eq!(
            replace_all("hello", "l", "\\$", &mut cache).unwrap(),
            "he$$o"
        );
        assert_eq!(
            replace_all("hello", "l", "$", &mut cache)
                .unwrap_err()
                .to_string(),
            "java.lang.IllegalArgumentException: Illegal group reference: group index is missing"
        );
        assert_eq!(
            replace_all("hello", "z", "$2", &mut cache).unwrap(),
            "hello"
        );
        assert_eq!(
            replace_all("h{ello", "{", "x", &mut cache)
                .unwrap_err()
                .to_string(),
            "java.util.regex.PatternSyntaxException: Illegal repetition near index 1\n{"
        );
        assert!(matches("hello", "h.*", &mut cache).unwrap());
        assert!(!matches("hello", "ell", &mut cache).unwrap());
        assert_eq!(
            replace_first("hello", "l", "L", &mut cache).unwrap(),
            "heLlo"
        );
    }
}
