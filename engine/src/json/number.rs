//! Number text the way json-smart and Java read it: `new BigDecimal(String)`, json-smart's
//! integer and decimal rules (Integer, Long, BigInteger, Double, BigDecimal) and the
//! `JavaNumber` view of a number the JSON writer and `$util` share.

use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::Zero;

use super::error::JsonError;
use crate::java;
use crate::java::decimal::{as_big_decimal, BigDecimal, JavaFloat};
use crate::value::Value;

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
    if !crate::budget::spend(crate::java::decimal::parse_decimal_work(digits.len())) {
        return None;
    }
    let mut unscaled: BigInt = crate::java::decimal::parse_decimal(&digits)?;
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

    /// `toString()`.
    pub fn to_java_string(self) -> String {
        match self {
            JavaNumber::BigDecimal(d) => d.to_java_string(),
            JavaNumber::Float(f) => java::format_float(*f),
        }
    }
}

/// json-smart's integer rule: the exact value as Integer, else Long; text longer than 19 digits
/// (20 with a sign) is always a BigInteger, even `00000000000000000001`.
#[inline]
pub(crate) fn parse_integer(xs: &str) -> Value {
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
pub(crate) fn parse_long_integer(neg: bool, digits: &str) -> Value {
    if digits.len() > 19 {
        // Work beyond the text's scan, charged before it is done.
        if !crate::budget::spend(crate::java::decimal::parse_decimal_work(digits.len())) {
            return Value::Null;
        }
        let n = crate::java::decimal::parse_decimal(digits).unwrap_or_default();
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
pub(crate) fn extract_float(xs: &str) -> Result<Value, JsonError> {
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
pub(crate) fn is_java_decimal(s: &str) -> bool {
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
