//! `$util` functions of API Gateway mapping templates, as pure functions over strings.
//!
//! They follow the AWS model (`shared/oracle/awsmodel`): commons-lang 2.6 for
//! `escapeJavaScript`, `java.net.URLEncoder`/`URLDecoder` with UTF-8, `java.util.Base64`'s
//! basic encoder/decoder with UTF-8 text, and Jayway's json-smart provider for `parseJson`.
//!
//! Every function takes a Java `String`. In the model a non-String argument (a number, a map, a
//! list, a boolean) does not resolve the method at all, so the call yields null (printed as
//! `""`), and a null argument gives a null result; the caller handles both before calling here.
//! Errors are the Java exceptions the methods throw, with Java's messages.

use base64::Engine as _;

use crate::java::JavaException;
use crate::json::parse_json_smart;
use crate::value::Value;

#[cfg(test)]
/// `StringEscapeUtils.escapeJavaScript` (commons-lang 2.6): `'` → `\'`, `"` → `\"`, `\` → `\\`,
/// `/` → `\/`, `\b \t \n \f \r`, other characters below U+0020 and every UTF-16 unit above
/// U+007F as upper-case `\uXXXX` (so `😀` → `\uD83D\uDE00`); DEL and other ASCII kept.
pub fn escape_javascript(s: &str) -> String {
    let mut out = String::with_capacity(escape_javascript_len(s));
    escape_javascript_into(s, &mut out);
    out
}

/// What [`escape_javascript`] writes for an ASCII byte: 0 for the byte itself, 1 for `\u00XX`,
/// else the character after the backslash.
const JS_ESCAPES: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 1;
        i += 1;
    }
    t[0x08] = b'b';
    t[b'\t' as usize] = b't';
    t[b'\n' as usize] = b'n';
    t[0x0c] = b'f';
    t[b'\r' as usize] = b'r';
    t[b'\'' as usize] = b'\'';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t
};

/// Appends [`escape_javascript`] of `s` to `out`.
pub fn escape_javascript_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let e = JS_ESCAPES[usize::from(b)];
            if e == 0 {
                i += 1;
                continue;
            }
            out.push_str(&s[start..i]);
            if e == 1 {
                push_unicode_escape(out, u16::from(b));
            } else {
                out.push('\\');
                out.push(e as char);
            }
            i += 1;
        } else {
            out.push_str(&s[start..i]);
            let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                push_unicode_escape(out, *unit);
            }
            i += ch.len_utf8();
        }
        start = i;
    }
    out.push_str(&s[start..]);
}

/// The length in bytes of [`escape_javascript`]'s result, computed without building it (so
/// that the result can be charged before it is). Equal to `s.len()` exactly when nothing
/// needs escaping.
pub fn escape_javascript_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            // One `\uXXXX` per UTF-16 unit: a character of 2 or 3 bytes is one unit, of 4
            // bytes two; continuation bytes add nothing.
            0xF0..=0xFF => 12,
            0xC0..=0xEF => 6,
            0x80..=0xBF => 0,
            _ => match JS_ESCAPES[usize::from(b)] {
                0 => 1,
                1 => 6,
                _ => 2,
            },
        })
        .sum()
}

fn push_unicode_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)] as char);
    }
}

/// `URLEncoder.encode(s, "UTF-8")`: `a-z A-Z 0-9 - _ . *` kept, space → `+`, every other
/// character as its UTF-8 bytes in upper-case `%XX`.
pub fn url_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
        }
    }
    out
}

/// The length in bytes of [`url_encode`]'s result, computed without building it.
pub fn url_encode_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' | b' ' => 1,
            _ => 3,
        })
        .sum()
}

/// `URLDecoder.decode(s, "UTF-8")`: `+` → space; runs of `%XX` decoded as UTF-8 (malformed
/// bytes become U+FFFD the way Java replaces them). A `%` without two following characters, or
/// with non-hex ones, throws `IllegalArgumentException` with Java's message. Like Java's
/// `Integer.parseInt`, the two characters may be a sign and one digit (`%+1` is byte 1, `%-1`
/// is rejected as negative).
pub fn url_decode(s: &str) -> Result<String, JavaException> {
    if !s.contains(['%', '+']) {
        return Ok(s.to_string());
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    let n = units.len();
    let mut out: Vec<u16> = Vec::with_capacity(n);
    let mut bytes: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < n {
        match units[i] {
            0x2B => {
                out.push(0x20);
                i += 1;
            }
            0x25 => {
                bytes.clear();
                let mut c = 0x25;
                while i + 2 < n && c == 0x25 {
                    let v = parse_hex_pair(&units[i + 1..i + 3])?;
                    if v < 0 {
                        return Err(illegal_argument(
                            "URLDecoder: Illegal hex characters in escape (%) pattern - negative value",
                        ));
                    }
                    bytes.push(v as u8);
                    i += 3;
                    if i < n {
                        c = units[i];
                    }
                }
                if i < n && c == 0x25 {
                    return Err(illegal_argument(
                        "URLDecoder: Incomplete trailing escape (%) pattern",
                    ));
                }
                out.extend(java_utf8_decode(&bytes).encode_utf16());
            }
            u => {
                out.push(u);
                i += 1;
            }
        }
    }
    Ok(String::from_utf16_lossy(&out))
}

/// `Integer.parseInt(s, i, i + 2, 16)` over two UTF-16 units.
fn parse_hex_pair(units: &[u16]) -> Result<i32, JavaException> {
    let digit = |u: u16| char::from_u32(u32::from(u)).and_then(|c| c.to_digit(16));
    let (negative, start) = match units[0] {
        0x2D => (true, 1),
        0x2B => (false, 1),
        _ => (false, 0),
    };
    let mut v: i32 = 0;
    for (k, &u) in units.iter().enumerate().skip(start) {
        match digit(u) {
            Some(d) => v = v * 16 + d as i32,
            None => {
                return Err(illegal_argument(format!(
                    "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index {k} in: \"{}\"",
                    String::from_utf16_lossy(units)
                )))
            }
        }
    }
    Ok(if negative { -v } else { v })
}

fn illegal_argument(message: impl Into<String>) -> JavaException {
    JavaException::new("java.lang.IllegalArgumentException", message)
}

/// `Base64.getEncoder().encodeToString(s.getBytes(UTF_8))`: standard alphabet, padded.
pub fn base64_encode(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
}

/// `new String(Base64.getDecoder().decode(s), UTF_8)`.
///
/// Java's basic decoder: the text is taken as ISO-8859-1 bytes (other characters become `?`),
/// padding is optional but must be right when present, unused trailing bits are ignored
/// (`YR==` → `a`), and anything else throws `IllegalArgumentException` with Java's message.
/// Invalid UTF-8 in the result becomes U+FFFD.
pub fn base64_decode(s: &str) -> Result<String, JavaException> {
    let src: Vec<u8> = s
        .encode_utf16()
        .map(|u| if u <= 0xFF { u as u8 } else { b'?' })
        .collect();
    Ok(java_utf8_decode(&java_base64_decode(&src)?))
}

fn base64_digit(b: u8) -> Option<u32> {
    Some(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

fn java_base64_decode(src: &[u8]) -> Result<Vec<u8>, JavaException> {
    let sl = src.len();
    if sl == 0 {
        return Ok(Vec::new());
    }
    if sl < 2 {
        return Err(illegal_argument(
            "Input byte[] should at least have 2 bytes for base64 bytes",
        ));
    }
    let mut dst = Vec::with_capacity(sl / 4 * 3 + 3);
    let mut bits: u32 = 0;
    let mut shiftto: i32 = 18;
    let mut sp = 0;
    while sp < sl {
        let b = src[sp];
        sp += 1;
        let Some(d) = base64_digit(b) else {
            if b == b'=' {
                if (shiftto == 6
                    && (sp == sl || {
                        let next = src[sp];
                        sp += 1;
                        next != b'='
                    }))
                    || shiftto == 18
                {
                    return Err(illegal_argument(
                        "Input byte array has wrong 4-byte ending unit",
                    ));
                }
                break;
            }
            return Err(illegal_argument(format!(
                "Illegal base64 character {}",
                java_signed_hex(b)
            )));
        };
        bits |= d << shiftto;
        shiftto -= 6;
        if shiftto < 0 {
            dst.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
            shiftto = 18;
            bits = 0;
        }
    }
    match shiftto {
        6 => dst.push((bits >> 16) as u8),
        0 => dst.extend_from_slice(&[(bits >> 16) as u8, (bits >> 8) as u8]),
        12 => {
            return Err(illegal_argument(
                "Last unit does not have enough valid bits",
            ))
        }
        _ => {}
    }
    if sp < sl {
        return Err(illegal_argument(format!(
            "Input byte array has incorrect ending byte at {sp}"
        )));
    }
    Ok(dst)
}

/// `Integer.toString(byte, 16)` of a signed Java byte (`0xE9` → `-17`).
fn java_signed_hex(b: u8) -> String {
    let v = b as i8;
    if v < 0 {
        format!("-{:x}", -i32::from(v))
    } else {
        format!("{v:x}")
    }
}

/// `new String(bytes, UTF_8)`: decodes UTF-8 replacing malformed input with U+FFFD exactly as
/// the JDK does (one U+FFFD for an encoded surrogate such as `ED A0 80`, one for a truncated
/// sequence at the end, otherwise one per malformed prefix).
pub fn java_utf8_decode(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    const REPL: char = '\u{FFFD}';
    let cont = |b: u8| b & 0xC0 == 0x80;
    let n = bytes.len();
    let mut out = String::with_capacity(n + 8);
    let mut i = 0;
    while i < n {
        let b1 = bytes[i];
        if b1 < 0x80 {
            out.push(b1 as char);
            i += 1;
        } else if (0xC2..=0xDF).contains(&b1) {
            if i + 1 < n && cont(bytes[i + 1]) {
                let c = (u32::from(b1 & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
                out.push(char::from_u32(c).unwrap_or(REPL));
                i += 2;
            } else {
                out.push(REPL);
                i += 1;
            }
        } else if (0xE0..=0xEF).contains(&b1) {
            let bad_second = |b2: u8| (b1 == 0xE0 && b2 & 0xE0 == 0x80) || !cont(b2);
            if i + 2 < n {
                let (b2, b3) = (bytes[i + 1], bytes[i + 2]);
                if bad_second(b2) {
                    out.push(REPL);
                    i += 1;
                } else if !cont(b3) {
                    out.push(REPL);
                    i += 2;
                } else {
                    let c = (u32::from(b1 & 0x0F) << 12)
                        | (u32::from(b2 & 0x3F) << 6)
                        | u32::from(b3 & 0x3F);
                    out.push(char::from_u32(c).unwrap_or(REPL));
                    i += 3;
                }
            } else if i + 1 < n && bad_second(bytes[i + 1]) {
                out.push(REPL);
                i += 1;
            } else {
                out.push(REPL);
                break;
            }
        } else if (0xF0..=0xF4).contains(&b1) {
            let bad_second = |b2: u8| {
                (b1 == 0xF0 && !(0x90..=0xBF).contains(&b2))
                    || (b1 == 0xF4 && b2 & 0xF0 != 0x80)
                    || !cont(b2)
            };
            if i + 3 < n {
                let (b2, b3, b4) = (bytes[i + 1], bytes[i + 2], bytes[i + 3]);
                if bad_second(b2) {
                    out.push(REPL);
                    i += 1;
                } else if !cont(b3) {
                    out.push(REPL);
                    i += 2;
                } else if !cont(b4) {
                    out.push(REPL);
                    i += 3;
                } else {
                    let c = (u32::from(b1 & 0x07) << 18)
                        | (u32::from(b2 & 0x3F) << 12)
                        | (u32::from(b3 & 0x3F) << 6)
                        | u32::from(b4 & 0x3F);
                    out.push(char::from_u32(c).unwrap_or(REPL));
                    i += 4;
                }
            } else if i + 1 < n && bad_second(bytes[i + 1]) {
                out.push(REPL);
                i += 1;
            } else if i + 2 < n && !cont(bytes[i + 2]) {
                out.push(REPL);
                i += 2;
            } else {
                out.push(REPL);
                break;
            }
        } else {
            out.push(REPL);
            i += 1;
        }
    }
    out
}

/// `$util.parseJson(s)`: json-smart's permissive parse through Jayway's provider, as
/// `$input.path` sees bodies (so `{a:1}` and bare text are accepted). Failures throw
/// `InvalidJsonException` (or the `NumberFormatException` json-smart lets escape).
pub fn parse_json(s: &str) -> Result<Value, JavaException> {
    parse_json_smart(s).map_err(|e| {
        match e.message.strip_prefix("java.lang.NumberFormatException: ") {
            Some(m) => JavaException::new("java.lang.NumberFormatException", m),
            None => JavaException::new(
                "com.jayway.jsonpath.InvalidJsonException",
                format!("net.minidev.json.parser.ParseException: {}", e.message),
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected strings recorded from the AWS model (commons-lang 2.6, JDK 17).
    #[test]
    fn escape_javascript_matches_commons_lang() {
        assert_eq!(
            escape_javascript("a/b é ü 😀 \t \u{1} < > & ' \" \\"),
            "a\\/b \\u00E9 \\u00FC \\uD83D\\uDE00 \\t \\u0001 < > & \\' \\\" \\\\"
        );
        assert_eq!(escape_javascript("it's"), "it\\'s");
        assert_eq!(
            escape_javascript(
                "\u{0}\u{8}\n\u{b}\u{c}\r\u{1f}\u{7f}\u{80}\u{ff}\u{100}\u{fff}\u{1000}\u{ffff}"
            ),
            "\\u0000\\b\\n\\u000B\\f\\r\\u001F\u{7f}\\u0080\\u00FF\\u0100\\u0FFF\\u1000\\uFFFF"
        );
        assert_eq!(escape_javascript("{\"foo\": 123}"), "{\\\"foo\\\": 123}");
    }

    #[test]
    fn result_lengths_are_known_before_the_result_is_built() {
        for s in [
            "",
            "plain ascii text 123",
            "a/b é ü 😀 \t \u{1} < > & ' \" \\ * - _ . ~ + %",
            "\u{0}\u{8}\n\u{b}\u{c}\r\u{1f}\u{7f}\u{80}\u{ff}\u{100}\u{fff}\u{1000}\u{ffff}\u{10ffff}",
        ] {
            assert_eq!(escape_javascript_len(s), escape_javascript(s).len(), "{s:?}");
            assert_eq!(url_encode_len(s), url_encode(s).len(), "{s:?}");
        }
    }

    #[test]
    fn url_encode_matches_urlencoder() {
        assert_eq!(url_encode("a b+c/é~*_-.!"), "a+b%2Bc%2F%C3%A9%7E*_-.%21");
        assert_eq!(url_encode("{}"), "%7B%7D");
        assert_eq!(url_encode("x=a+b"), "x%3Da%2Bb");
        assert_eq!(url_encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn url_decode_matches_urldecoder() {
        assert_eq!(url_decode("a+b%20c%C3%A9").unwrap(), "a b cé");
        assert_eq!(url_decode("x=a+b").unwrap(), "x=a b");
        assert_eq!(url_decode("%C3").unwrap(), "\u{FFFD}");
        assert_eq!(url_decode("%ff%fe").unwrap(), "\u{FFFD}\u{FFFD}");
        assert_eq!(url_decode("%+1x").unwrap(), "\u{1}x");
        assert_eq!(url_decode("é%C3%A9+").unwrap(), "éé ");
        let msg = |s: &str| url_decode(s).unwrap_err().message;
        assert_eq!(
            msg("%"),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(
            msg("%4"),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(
            msg("a%2"),
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(
            msg("%zz"),
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\""
        );
        assert_eq!(
            msg("%%41"),
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"%4\""
        );
        assert_eq!(
            msg("%-1"),
            "URLDecoder: Illegal hex characters in escape (%) pattern - negative value"
        );
        assert_eq!(
            url_decode("%").unwrap_err().class,
            "java.lang.IllegalArgumentException"
        );
    }

    #[test]
    fn base64_matches_java_util_base64() {
        assert_eq!(base64_encode("héllo"), "aMOpbGxv");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), "hello");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), "hello");
        assert_eq!(base64_decode("YR==").unwrap(), "a");
        assert_eq!(base64_decode("YWI").unwrap(), "ab");
        assert_eq!(base64_decode("YWJjZA").unwrap(), "abcd");
        assert_eq!(base64_decode("").unwrap(), "");
        assert_eq!(base64_decode("/w==").unwrap(), "\u{FFFD}");
        let msg = |s: &str| base64_decode(s).unwrap_err().message;
        assert_eq!(msg("!!"), "Illegal base64 character 21");
        assert_eq!(msg("aGVs bG8="), "Illegal base64 character 20");
        assert_eq!(msg("aé=="), "Illegal base64 character -17");
        assert_eq!(msg("abcĀ"), "Illegal base64 character 3f");
        assert_eq!(msg("Y-_"), "Illegal base64 character 2d");
        assert_eq!(
            msg("aGVsbG8=="),
            "Input byte array has incorrect ending byte at 8"
        );
        assert_eq!(
            msg("abc=d"),
            "Input byte array has incorrect ending byte at 4"
        );
        assert_eq!(
            msg("Y"),
            "Input byte[] should at least have 2 bytes for base64 bytes"
        );
        assert_eq!(msg("a==="), "Last unit does not have enough valid bits");
        assert_eq!(msg("YWJjZ"), "Last unit does not have enough valid bits");
        for s in ["ab=c", "==", "YWJj=", "YW="] {
            assert_eq!(
                msg(s),
                "Input byte array has wrong 4-byte ending unit",
                "{s}"
            );
        }
    }

    #[test]
    fn utf8_replacement_matches_jdk() {
        // (bytes, UTF-16 units of Java's `new String(bytes, UTF_8)`)
        let cases: [(&[u8], &str); 20] = [
            (b"\xed\xa0", "\u{FFFD}"),
            (b"\xed\xa0x", "\u{FFFD}x"),
            (b"\xed\xb0\x80x", "\u{FFFD}x"),
            (b"\xf0\x9f", "\u{FFFD}"),
            (b"\xf0\x9fx", "\u{FFFD}x"),
            (b"\xf0\x9f\x98", "\u{FFFD}"),
            (b"\xf4\x90", "\u{FFFD}\u{FFFD}"),
            (b"\xe0\x80", "\u{FFFD}\u{FFFD}"),
            (b"\xf5\x80\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
            (b"\xf0\x8f\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
            (b"\xed\x9f\xbf", "\u{D7FF}"),
            (b"\xf0\x9f\x98A", "\u{FFFD}A"),
            (b"\xed\xa0\x80\xed\xa0\x80", "\u{FFFD}\u{FFFD}"),
            (b"\xf4\x8f\xbf\xbf", "\u{10FFFF}"),
            (b"\xf7\xbf\xbf\xbf", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
            (b"\xc0\x80", "\u{FFFD}\u{FFFD}"),
            (b"\xe2\x82", "\u{FFFD}"),
            (b"\xf0\x9f\x98\xf0\x9f\x98\x80", "\u{FFFD}\u{1F600}"),
            (b"\xf0\x90\x80", "\u{FFFD}"),
            (b"\xf1\x80\x80", "\u{FFFD}"),
        ];
        for (bytes, want) in cases {
            assert_eq!(java_utf8_decode(bytes), want, "{bytes:x?}");
        }
    }

    #[test]
    fn parse_json_is_permissive() {
        let v = parse_json("{a:1}").unwrap();
        assert_eq!(v.to_java_string().unwrap(), "{a=1}");
        assert_eq!(parse_json("").unwrap().as_str(), Some(""));
        let e = parse_json("\"abc").unwrap_err();
        assert_eq!(e.class, "com.jayway.jsonpath.InvalidJsonException");
        assert_eq!(
            parse_json("1e+").unwrap_err().class,
            "java.lang.NumberFormatException"
        );
    }
}
