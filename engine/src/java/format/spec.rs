//! A `java.util.Formatter` format string read into its pieces (text and conversion
//! specifiers: flags, width, precision, argument index), with the padding, sign and grouping
//! rules a specifier implies.

use std::borrow::Cow;

use crate::java::string::{length, substring, to_upper_case};
use crate::java::JavaException;

pub(crate) const FLAG_LEFT: u16 = 1;
pub(crate) const FLAG_UPPER: u16 = 2;
pub(crate) const FLAG_ALT: u16 = 4;
pub(crate) const FLAG_PLUS: u16 = 8;
pub(crate) const FLAG_SPACE: u16 = 16;
pub(crate) const FLAG_ZERO: u16 = 32;
pub(crate) const FLAG_GROUP: u16 = 64;
pub(crate) const FLAG_PAREN: u16 = 128;
pub(crate) const FLAG_PREVIOUS: u16 = 256;

/// `Formatter.Flags.toString()`.
pub(crate) fn flags_text(f: u16) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (FLAG_LEFT, '-'),
        (FLAG_UPPER, '^'),
        (FLAG_ALT, '#'),
        (FLAG_PLUS, '+'),
        (FLAG_SPACE, ' '),
        (FLAG_ZERO, '0'),
        (FLAG_GROUP, ','),
        (FLAG_PAREN, '('),
        (FLAG_PREVIOUS, '<'),
    ] {
        if f & bit != 0 {
            s.push(c);
        }
    }
    s
}

pub(crate) fn format_error(class: &str, msg: impl Into<String>) -> JavaException {
    JavaException::new(&format!("java.util.{class}"), msg)
}

/// One `%…` conversion of a format string.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    /// -2 text (`%n`, `%%`), -1 previous argument (`<`), 0 next argument, n explicit.
    pub(crate) index: i32,
    pub(crate) flags: u16,
    pub(crate) width: i32,
    pub(crate) precision: i32,
    /// The conversion, lower-cased (`FLAG_UPPER` records the case).
    pub(crate) conv: char,
}

impl Spec {
    pub(crate) fn has(&self, f: u16) -> bool {
        self.flags & f != 0
    }

    /// `FormatSpecifier.toString()`.
    pub(crate) fn text(&self) -> String {
        let mut s = String::from("%");
        s.push_str(&flags_text(self.flags & !FLAG_UPPER));
        if self.index > 0 {
            s.push_str(&format!("{}$", self.index));
        }
        if self.width != -1 {
            s.push_str(&self.width.to_string());
        }
        if self.precision != -1 {
            s.push_str(&format!(".{}", self.precision));
        }
        s.push(if self.has(FLAG_UPPER) {
            self.conv.to_ascii_uppercase()
        } else {
            self.conv
        });
        s
    }

    pub(crate) fn mismatch(&self, flag: u16) -> JavaException {
        format_error(
            "FormatFlagsConversionMismatchException",
            format!("Conversion = {}, Flags = {}", self.conv, flags_text(flag)),
        )
    }

    pub(crate) fn check_bad(&self, bad: u16) -> Result<(), JavaException> {
        for bit in [
            FLAG_LEFT, FLAG_ALT, FLAG_PLUS, FLAG_SPACE, FLAG_ZERO, FLAG_GROUP, FLAG_PAREN,
        ] {
            if bad & bit != 0 && self.has(bit) {
                return Err(self.mismatch(bit));
            }
        }
        Ok(())
    }

    pub(crate) fn check_numeric(&self) -> Result<(), JavaException> {
        if self.width == -1 && (self.has(FLAG_LEFT) || self.has(FLAG_ZERO)) {
            return Err(format_error("MissingFormatWidthException", self.text()));
        }
        if (self.has(FLAG_PLUS) && self.has(FLAG_SPACE))
            || (self.has(FLAG_LEFT) && self.has(FLAG_ZERO))
        {
            return Err(format_error(
                "IllegalFormatFlagsException",
                format!("Flags = '{}'", flags_text(self.flags)),
            ));
        }
        Ok(())
    }

    pub(crate) fn precision_error(&self) -> JavaException {
        format_error(
            "IllegalFormatPrecisionException",
            self.precision.to_string(),
        )
    }

    /// The checks `FormatSpecifier`'s constructor makes.
    pub(crate) fn check(&self) -> Result<(), JavaException> {
        match self.conv {
            'b' | 'h' | 's' => {
                if matches!(self.conv, 'b' | 'h') && self.has(FLAG_ALT) {
                    return Err(self.mismatch(FLAG_ALT));
                }
                if self.width == -1 && self.has(FLAG_LEFT) {
                    return Err(format_error("MissingFormatWidthException", self.text()));
                }
                self.check_bad(FLAG_PLUS | FLAG_SPACE | FLAG_ZERO | FLAG_GROUP | FLAG_PAREN)
            }
            'c' => {
                if self.precision != -1 {
                    return Err(self.precision_error());
                }
                self.check_bad(
                    FLAG_ALT | FLAG_PLUS | FLAG_SPACE | FLAG_ZERO | FLAG_GROUP | FLAG_PAREN,
                )?;
                if self.width == -1 && self.has(FLAG_LEFT) {
                    return Err(format_error("MissingFormatWidthException", self.text()));
                }
                Ok(())
            }
            'd' | 'o' | 'x' => {
                self.check_numeric()?;
                if self.precision != -1 {
                    return Err(self.precision_error());
                }
                self.check_bad(if self.conv == 'd' {
                    FLAG_ALT
                } else {
                    FLAG_GROUP
                })
            }
            'e' | 'f' | 'g' | 'a' => {
                self.check_numeric()?;
                match self.conv {
                    'a' => self.check_bad(FLAG_PAREN | FLAG_GROUP),
                    'e' => self.check_bad(FLAG_GROUP),
                    'g' => self.check_bad(FLAG_ALT),
                    _ => Ok(()),
                }
            }
            '%' => {
                if self.precision != -1 {
                    return Err(self.precision_error());
                }
                if self.flags & !FLAG_LEFT != 0 {
                    return Err(format_error(
                        "IllegalFormatFlagsException",
                        format!("Flags = '{}'", flags_text(self.flags)),
                    ));
                }
                if self.width == -1 && self.has(FLAG_LEFT) {
                    return Err(format_error("MissingFormatWidthException", self.text()));
                }
                Ok(())
            }
            'n' => {
                if self.precision != -1 {
                    return Err(self.precision_error());
                }
                if self.width != -1 {
                    return Err(format_error(
                        "IllegalFormatWidthException",
                        self.width.to_string(),
                    ));
                }
                if self.flags != 0 {
                    return Err(format_error(
                        "IllegalFormatFlagsException",
                        format!("Flags = '{}'", flags_text(self.flags)),
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

pub(crate) enum Piece<'a> {
    Text(&'a str),
    Spec(Spec),
}

pub(crate) fn is_conversion(c: char) -> bool {
    "bBhHsScCdoxXeEfgGaAtT%n".contains(c)
}

/// `Formatter.parse`: splits the format into text and checked specifiers.
pub(crate) fn parse_format(fmt: &str) -> Result<Vec<Piece<'_>>, JavaException> {
    let unknown = |c: char| {
        format_error(
            "UnknownFormatConversionException",
            format!("Conversion = '{c}'"),
        )
    };
    let mut pieces = Vec::new();
    let mut rest = fmt;
    while let Some(p) = rest.find('%') {
        if p > 0 {
            pieces.push(Piece::Text(&rest[..p]));
        }
        let spec_text = &rest[p + 1..];
        let chars: Vec<char> = spec_text.chars().take(64).collect();
        let Some(&first) = chars.first() else {
            return Err(unknown('%'));
        };
        let mut i = 0;
        let mut spec = Spec {
            index: 0,
            flags: 0,
            width: -1,
            precision: -1,
            conv: first,
        };
        if !is_conversion(first) {
            // %(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%])
            let digits = |from: usize| {
                chars[from..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
            };
            let n = digits(0);
            let mut index = None;
            if n > 0 && chars.get(n) == Some(&'$') {
                index = Some(chars[..n].iter().collect::<String>());
                i = n + 1;
            }
            let flag_start = i;
            while chars.get(i).is_some_and(|c| "-#+ 0,(<".contains(*c)) {
                i += 1;
            }
            let flag_chars = &chars[flag_start..i];
            let n = digits(i);
            let width = (n > 0).then(|| chars[i..i + n].iter().collect::<String>());
            i += n;
            let mut precision = None;
            if chars.get(i) == Some(&'.') && digits(i + 1) > 0 {
                let n = digits(i + 1);
                precision = Some(chars[i + 1..i + 1 + n].iter().collect::<String>());
                i += 1 + n;
            }
            let dt = matches!(chars.get(i), Some('t' | 'T'))
                && chars
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == '%');
            if dt {
                i += 1;
            }
            let Some(&conv) = chars
                .get(i)
                .filter(|c| c.is_ascii_alphabetic() || **c == '%')
            else {
                return Err(unknown(first));
            };
            // The specifier matched; now its parts are validated in Java's order.
            if let Some(idx) = index {
                let v: i64 = idx.parse().unwrap_or(i64::MAX);
                if v <= 0 || v > i32::MAX as i64 {
                    return Err(format_error(
                        "IllegalFormatArgumentIndexException",
                        format!("Illegal format argument index = {}", v.min(i32::MAX as i64)),
                    ));
                }
                spec.index = v as i32;
            }
            let mut flags = 0u16;
            for c in flag_chars {
                let bit = match c {
                    '-' => FLAG_LEFT,
                    '#' => FLAG_ALT,
                    '+' => FLAG_PLUS,
                    ' ' => FLAG_SPACE,
                    '0' => FLAG_ZERO,
                    ',' => FLAG_GROUP,
                    '(' => FLAG_PAREN,
                    _ => FLAG_PREVIOUS,
                };
                if flags & bit != 0 {
                    return Err(format_error(
                        "DuplicateFormatFlagsException",
                        format!("Flags = '{}'", flags_text(bit)),
                    ));
                }
                flags |= bit;
            }
            spec.flags = flags;
            if flags & FLAG_PREVIOUS != 0 {
                spec.index = -1;
            }
            if let Some(w) = width {
                spec.width = w.parse().unwrap_or(i32::MAX);
            }
            if let Some(p) = precision {
                spec.precision = p.parse().unwrap_or(i32::MAX);
            }
            if spec.width as i64 > crate::java::decimal::MAX_POW10
                || spec.precision as i64 > crate::java::decimal::MAX_POW10
            {
                // Java would try to build the padded text and run out of memory.
                return Err(JavaException::new(
                    "java.lang.OutOfMemoryError",
                    "Java heap space",
                ));
            }
            if dt {
                return Err(format_error(
                    "UnknownFormatConversionException",
                    format!("Conversion = 't{conv}' (date/time conversions are not supported)"),
                ));
            }
            if !is_conversion(conv) {
                return Err(unknown(conv));
            }
            spec.conv = conv;
        }
        i += 1;
        if spec.conv.is_ascii_uppercase() {
            spec.flags |= FLAG_UPPER;
            spec.conv = spec.conv.to_ascii_lowercase();
        }
        if matches!(spec.conv, '%' | 'n') {
            spec.index = -2;
        }
        if matches!(spec.conv, 't') {
            return Err(unknown('t'));
        }
        spec.check()?;
        pieces.push(Piece::Spec(spec));
        let used: usize = chars[..i].iter().map(|c| c.len_utf8()).sum();
        rest = &spec_text[used..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// `appendJustified`: pads to the width (UTF-16 units).
pub(crate) fn justify(spec: &Spec, s: &str, out: &mut String) {
    let len = length(s) as i32;
    if spec.width == -1 || len >= spec.width {
        out.push_str(s);
        return;
    }
    let pad = (spec.width - len) as usize;
    if spec.has(FLAG_LEFT) {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', pad));
    } else {
        out.extend(std::iter::repeat_n(' ', pad));
        out.push_str(s);
    }
}

/// `Formatter.print(String)`: precision truncates, `S` upper-cases, then justification.
pub(crate) fn print_text(spec: &Spec, s: &str, out: &mut String) {
    let mut s: Cow<'_, str> = Cow::Borrowed(s);
    if spec.precision != -1 && (spec.precision as usize) < length(&s) {
        s = Cow::Owned(
            substring(&s, 0, Some(spec.precision))
                .map(|c| c.into_owned())
                .unwrap_or_default(),
        );
    }
    if spec.has(FLAG_UPPER) {
        s = Cow::Owned(to_upper_case(&s).into_owned());
    }
    justify(spec, &s, out);
}

pub(crate) fn leading_sign(spec: &Spec, neg: bool, sb: &mut String) {
    if !neg {
        if spec.has(FLAG_PLUS) {
            sb.push('+');
        } else if spec.has(FLAG_SPACE) {
            sb.push(' ');
        }
    } else if spec.has(FLAG_PAREN) {
        sb.push('(');
    } else {
        sb.push('-');
    }
}

pub(crate) fn trailing_sign(spec: &Spec, neg: bool, sb: &mut String) {
    if neg && spec.has(FLAG_PAREN) {
        sb.push(')');
    }
}

pub(crate) fn adjust_width(width: i32, spec: &Spec, neg: bool) -> i32 {
    if width != -1 && neg && spec.has(FLAG_PAREN) {
        width - 1
    } else {
        width
    }
}

/// `localizedMagnitude`: grouping (`,`) of the integer part and zero padding to `width`
/// (which counts what `sb` already holds).
pub(crate) fn localized_magnitude(spec: &Spec, sb: &mut String, value: &str, width: i32) {
    let begin = sb.len();
    let bytes = value.as_bytes();
    let dot = value.find('.').unwrap_or(bytes.len());
    let mut group = spec.has(FLAG_GROUP);
    for (j, &c) in bytes.iter().enumerate() {
        if j == dot {
            sb.push('.');
            group = false;
            continue;
        }
        sb.push(c as char);
        if group && j + 1 != dot && (dot - j) % 3 == 1 {
            sb.push(',');
        }
    }
    if width != -1 && spec.has(FLAG_ZERO) {
        let len = length(sb) as i32;
        for _ in len..width {
            sb.insert(begin, '0');
        }
    }
}
