//! Methods of the numbers (`Integer`, `Long`, `Double`, `Float`, `BigInteger`, `BigDecimal`)
//! and of `Boolean`, and the static `Integer.parseInt`-style methods.

use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

use super::call::*;
use super::class::JavaClass;
use crate::java::decimal::{as_big_decimal, as_java_float, float_value, BigDecimal, JavaFloat};
use crate::java::hash::{bigint_hash, double_hash};
use crate::java::{string, JavaException};
use crate::value::{Object, Value};

/// `Integer.parseInt`-style parsing of a decimal integer (`+`/`-` sign, no spaces).
pub(crate) fn parse_java_integer(
    s: Option<&str>,
    min: i64,
    max: i64,
) -> Result<i64, JavaException> {
    let nfe = |m: String| JavaException::new("java.lang.NumberFormatException", m);
    let Some(s) = s else {
        return Err(nfe("Cannot parse null string".to_string()));
    };
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let bad = || nfe(format!("For input string: \"{s}\""));
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let v: i128 = s.parse().map_err(|_| bad())?;
    if v < min as i128 || v > max as i128 {
        return Err(bad());
    }
    Ok(v as i64)
}

/// `Double.parseDouble`: trims characters `<= ' '`, accepts an `f`/`d` suffix, `NaN`,
/// `Infinity` and hexadecimal floating literals.
pub(crate) fn parse_java_double(s: Option<&str>) -> Result<f64, JavaException> {
    let Some(raw) = s else {
        return Err(JavaException::new(
            "java.lang.NullPointerException",
            "Cannot invoke \"String.trim()\" because \"in\" is null",
        ));
    };
    let t = string::trim(raw);
    let nfe = || {
        JavaException::new(
            "java.lang.NumberFormatException",
            format!("For input string: \"{t}\""),
        )
    };
    if t.is_empty() {
        return Err(JavaException::new(
            "java.lang.NumberFormatException",
            "empty String",
        ));
    }
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    match body {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(sign * f64::INFINITY),
        _ => {}
    }
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return parse_hex_float(hex).map(|v| sign * v).ok_or_else(nfe);
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    let valid = {
        let (mant, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mant_ok = mant.chars().all(|c| c.is_ascii_digit() || c == '.')
            && mant.matches('.').count() <= 1
            && mant.chars().any(|c| c.is_ascii_digit());
        let exp_ok = match exp {
            None => true,
            Some(e) => {
                let d = e.strip_prefix(['+', '-']).unwrap_or(e);
                !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
            }
        };
        mant_ok && exp_ok
    };
    if !valid {
        return Err(nfe());
    }
    body.parse::<f64>().map(|v| sign * v).map_err(|_| nfe())
}

/// The part of a hexadecimal float literal after `0x` (`1.8p3`, optional `f`/`d` suffix).
pub(crate) fn parse_hex_float(s: &str) -> Option<f64> {
    let s = s.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(s);
    let (mant, exp) = s.split_once(['p', 'P'])?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

/// Static methods of the wrapper classes, callable on any instance (`$i.parseInt("4")`).
pub(crate) fn static_number_method(class: &str, name: &str, args: &[Value]) -> MethodResult {
    let parse = |r: Result<i64, JavaException>, long: bool| match r {
        Ok(v) if long => ok(Value::Long(v)),
        Ok(v) => int(v as i32),
        Err(e) => MethodResult::Exception(e),
    };
    match (class, name, args) {
        ("Integer", "parseInt" | "valueOf", [x]) => match x {
            Value::Int(i) if name == "valueOf" => int(*i),
            _ => match str_arg(x) {
                Some(s) => parse(
                    parse_java_integer(s, i32::MIN as i64, i32::MAX as i64),
                    false,
                ),
                None => MethodResult::NotFound,
            },
        },
        ("Long", "parseLong" | "valueOf", [x]) => match long_arg(x) {
            Some(l) if name == "valueOf" => ok(Value::Long(l)),
            _ => match str_arg(x) {
                Some(s) => parse(parse_java_integer(s, i64::MIN, i64::MAX), true),
                None => MethodResult::NotFound,
            },
        },
        ("Double", "parseDouble" | "valueOf", [x]) => match double_arg(x) {
            Some(d) if name == "valueOf" => ok(Value::Double(d)),
            _ => match str_arg(x) {
                Some(s) => from_result(parse_java_double(s).map(Value::Double)),
                None => MethodResult::NotFound,
            },
        },
        ("Integer", "hashCode", [x]) => match int_arg(x) {
            Some(i) => int(i),
            None => MethodResult::NotFound,
        },
        ("Long", "hashCode", [x]) => match long_arg(x) {
            Some(l) => int((l ^ ((l as u64) >> 32) as i64) as i32),
            None => MethodResult::NotFound,
        },
        ("Double", "hashCode", [x]) => match double_arg(x) {
            Some(d) => int(double_hash(d)),
            None => MethodResult::NotFound,
        },
        ("Double", "isNaN" | "isInfinite" | "isFinite", [x]) => match double_arg(x) {
            Some(d) => boolean(match name {
                "isNaN" => d.is_nan(),
                "isInfinite" => d.is_infinite(),
                _ => d.is_finite(),
            }),
            None => MethodResult::NotFound,
        },
        ("Integer", "toString", [x]) => match int_arg(x) {
            Some(i) => string_result(i.to_string()),
            None => MethodResult::NotFound,
        },
        ("Long", "toString", [x]) => match long_arg(x) {
            Some(l) => string_result(l.to_string()),
            None => MethodResult::NotFound,
        },
        ("Double", "toString", [x]) => match double_arg(x) {
            Some(d) => string_result(crate::java::format_double(d)),
            None => MethodResult::NotFound,
        },
        ("Integer", "toHexString" | "toOctalString" | "toBinaryString", [x]) => match int_arg(x) {
            Some(i) => string_result(radix_string(i as u32 as u64, name)),
            None => MethodResult::NotFound,
        },
        ("Long", "toHexString" | "toOctalString" | "toBinaryString", [x]) => match long_arg(x) {
            Some(l) => string_result(radix_string(l as u64, name)),
            None => MethodResult::NotFound,
        },
        _ => MethodResult::NotFound,
    }
}

pub(crate) fn radix_string(v: u64, name: &str) -> String {
    match name {
        "toHexString" => format!("{v:x}"),
        "toOctalString" => format!("{v:o}"),
        _ => format!("{v:b}"),
    }
}

pub(crate) fn ordering(o: Ordering) -> MethodResult {
    int(match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

pub(crate) fn integer_method(i: i32, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("intValue", []) => int(i),
        ("longValue", []) => ok(Value::Long(i as i64)),
        ("doubleValue", []) => ok(Value::Double(i as f64)),
        ("floatValue", []) => ok(float_value(i as f32)),
        ("shortValue", []) => int(i as i16 as i32),
        ("byteValue", []) => int(i as i8 as i32),
        ("compareTo", [x]) => match x {
            Value::Int(j) => ordering(i.cmp(j)),
            Value::Null => npe("Cannot read field \"value\" because \"anotherInteger\" is null"),
            other => class_cast(other, recv.class_name()),
        },
        _ => static_number_method("Integer", name, args),
    }
}

pub(crate) fn long_method(l: i64, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("intValue", []) => int(l as i32),
        ("longValue", []) => ok(Value::Long(l)),
        ("doubleValue", []) => ok(Value::Double(l as f64)),
        ("floatValue", []) => ok(float_value(l as f32)),
        ("shortValue", []) => int(l as i16 as i32),
        ("byteValue", []) => int(l as i8 as i32),
        ("compareTo", [x]) => match x {
            Value::Long(j) => ordering(l.cmp(j)),
            Value::Null => npe("Cannot read field \"value\" because \"anotherLong\" is null"),
            other => class_cast(other, recv.class_name()),
        },
        _ => static_number_method("Long", name, args),
    }
}

/// `Double.compare`: `-0.0 < 0.0`, NaN above everything and equal to itself.
pub(crate) fn double_compare(a: f64, b: f64) -> Ordering {
    if a < b {
        Ordering::Less
    } else if a > b {
        Ordering::Greater
    } else {
        let canon = |d: f64| {
            if d.is_nan() {
                0x7ff8_0000_0000_0000i64
            } else {
                d.to_bits() as i64
            }
        };
        canon(a).cmp(&canon(b))
    }
}

pub(crate) fn double_method(d: f64, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("intValue", []) => int(d as i32),
        ("longValue", []) => ok(Value::Long(d as i64)),
        ("doubleValue", []) => ok(Value::Double(d)),
        ("floatValue", []) => ok(float_value(d as f32)),
        ("shortValue", []) => int(d as i32 as i16 as i32),
        ("byteValue", []) => int(d as i32 as i8 as i32),
        ("isNaN", []) => boolean(d.is_nan()),
        ("isInfinite", []) => boolean(d.is_infinite()),
        ("compareTo", [x]) => match x {
            Value::Double(e) => ordering(double_compare(d, *e)),
            Value::Null => npe("Cannot read field \"value\" because \"anotherDouble\" is null"),
            other => class_cast(other, recv.class_name()),
        },
        _ => static_number_method("Double", name, args),
    }
}

/// `java.lang.Float` methods (the value type is [`crate::java::decimal::JavaFloat`]).
pub fn float_method(f: f32, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("floatValue", []) => ok(float_value(f)),
        ("doubleValue", []) => ok(Value::Double(f as f64)),
        ("intValue", []) => int(f as i32),
        ("longValue", []) => ok(Value::Long(f as i64)),
        ("shortValue", []) => int(f as i32 as i16 as i32),
        ("byteValue", []) => int(f as i32 as i8 as i32),
        ("isNaN", []) => boolean(f.is_nan()),
        ("isInfinite", []) => boolean(f.is_infinite()),
        ("toString", []) => string_result(crate::java::format_float(f)),
        ("hashCode", []) => int(float_bits(f)),
        ("equals", [x]) => {
            boolean(as_java_float(x).is_some_and(|g| float_bits(g) == float_bits(f)))
        }
        ("compareTo", [x]) => match as_java_float(x) {
            Some(g) => ordering(double_compare(f as f64, g as f64)),
            None if x.is_null() => {
                npe("Cannot read field \"value\" because \"anotherFloat\" is null")
            }
            None => class_cast(x, "java.lang.Float"),
        },
        ("getClass", []) => ok(Value::Object(Rc::new(JavaClass {
            name: "java.lang.Float".to_string(),
        }))),
        _ => MethodResult::NotFound,
    }
}

/// `Float.floatToIntBits` (NaN canonicalized), which is also `Float.hashCode`.
pub(crate) fn float_bits(f: f32) -> i32 {
    if f.is_nan() {
        0x7fc0_0000
    } else {
        f.to_bits() as i32
    }
}

pub(crate) fn big_arg(v: &Value) -> Option<Option<&BigInt>> {
    match v {
        Value::BigInt(b) => Some(Some(b)),
        Value::Null => Some(None),
        _ => None,
    }
}

pub(crate) fn bigint_method(b: &BigInt, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    let big = |v: BigInt| ok(Value::BigInt(Rc::new(v)));
    let low64 = || -> i64 {
        let mag = b.magnitude().iter_u64_digits().next().unwrap_or(0);
        let v = mag as i64;
        if b.sign() == Sign::Minus {
            v.wrapping_neg()
        } else {
            v
        }
    };
    match (name, args) {
        ("intValue", []) => int(low64() as i32),
        ("longValue", []) => ok(Value::Long(low64())),
        ("doubleValue", []) => ok(Value::Double(b.to_f64().unwrap_or(f64::NAN))),
        ("floatValue", []) => ok(float_value(b.to_f32().unwrap_or(f32::NAN))),
        ("signum", []) => int(match b.sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }),
        ("negate" | "abs", []) => {
            if let Err(stop) = big_work(b.bits() / 1024, b.bits()) {
                return stop;
            }
            big(if name == "negate" { -b } else { b.abs() })
        }
        ("bitLength", []) => {
            // Java: bits of the two's-complement form excluding the sign bit.
            let n = if b.sign() == Sign::Minus {
                (-b - 1u32).bits()
            } else {
                b.bits()
            };
            int(n as i32)
        }
        ("toString", [r]) => match int_arg(r) {
            Some(r) => {
                let radix = if (2..=36).contains(&r) { r as u32 } else { 10 };
                // Base 2 has the most digits; charged like a decimal of that many bits.
                if !crate::budget::decimal(b.bits().saturating_mul(3)) {
                    return MethodResult::NotFound;
                }
                string_result(b.to_str_radix(radix))
            }
            None => MethodResult::NotFound,
        },
        ("pow", [e]) => match int_arg(e) {
            Some(e) if e < 0 => throw("java.lang.ArithmeticException", "Negative exponent"),
            Some(e) => {
                // Java refuses results beyond 2^31 bits; far smaller ones would exhaust memory.
                let bits = b.bits().saturating_mul(e as u64);
                if bits > i32::MAX as u64 && b.magnitude() > &num_bigint::BigUint::from(1u32) {
                    throw(
                        "java.lang.ArithmeticException",
                        "BigInteger would overflow supported range",
                    )
                } else if bits > 1 << 26 && b.magnitude() > &num_bigint::BigUint::from(1u32) {
                    throw("java.lang.OutOfMemoryError", "Java heap space")
                } else {
                    // Squarings, the last of them the largest.
                    if !crate::budget::spend(multiply_work(bits, bits))
                        || !crate::budget::alloc((bits / 8) as usize + 8)
                    {
                        return MethodResult::NotFound;
                    }
                    big(b.pow(e as u32))
                }
            }
            None => MethodResult::NotFound,
        },
        ("compareTo", [x]) => match x {
            Value::BigInt(c) => ordering(b.cmp(c)),
            Value::Null => npe("Cannot read field \"signum\" because \"val\" is null"),
            other => class_cast(other, recv.class_name()),
        },
        (
            "add" | "subtract" | "multiply" | "divide" | "mod" | "remainder" | "max" | "min"
            | "gcd",
            [x],
        ) => match big_arg(x) {
            Some(Some(c)) => {
                // Charged before the work: linear in the digits for add, subtract and the
                // comparisons, quadratic (schoolbook) for the rest; the result is at most
                // as long as both operands together.
                let (bb, cb) = (b.bits(), c.bits());
                let work = match name {
                    "add" | "subtract" | "max" | "min" => (bb.max(cb)) / 1024,
                    _ => multiply_work(bb, cb),
                };
                // The result, and twice as much again for scratch space in the quadratic
                // ones (Toom-3 multiplication keeps several partial products).
                let bits = bb.saturating_add(cb).saturating_add(64);
                let bits = if work > bb.max(cb) / 1024 {
                    bits * 3
                } else {
                    bits
                };
                if let Err(stop) = big_work(work, bits) {
                    return stop;
                }
                match name {
                    "add" => big(b + c),
                    "subtract" => big(b - c),
                    "multiply" => big(b * c),
                    "divide" | "remainder" if c.is_zero() => {
                        throw("java.lang.ArithmeticException", "BigInteger divide by zero")
                    }
                    "divide" => big(b / c),
                    "remainder" => big(b % c),
                    "mod" if c.sign() != Sign::Plus => throw(
                        "java.lang.ArithmeticException",
                        "BigInteger: modulus not positive",
                    ),
                    "mod" => {
                        let r = b % c;
                        big(if r.sign() == Sign::Minus { r + c } else { r })
                    }
                    "max" => big(b.max(c).clone()),
                    "min" => big(b.min(c).clone()),
                    _ => big(gcd(b, c)),
                }
            }
            Some(None) => npe("Cannot read field \"signum\" because \"val\" is null"),
            None => MethodResult::NotFound,
        },
        _ => MethodResult::NotFound,
    }
}

/// `BigInteger.gcd`: the non-negative greatest common divisor.
pub(crate) fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    let (mut x, mut y) = (a.abs(), b.abs());
    while !y.is_zero() {
        let r = &x % &y;
        x = y;
        y = r;
    }
    x
}

pub(crate) fn boolean_method(b: bool, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("booleanValue", []) => boolean(b),
        ("compareTo", [x]) => match x {
            Value::Bool(c) => int(match (b, *c) {
                (x, y) if x == y => 0,
                (true, _) => 1,
                _ => -1,
            }),
            Value::Null => npe("Cannot read field \"value\" because \"b\" is null"),
            other => class_cast(other, recv.class_name()),
        },
        ("parseBoolean", [x]) => match str_arg(x) {
            Some(s) => boolean(s.is_some_and(|s| s.eq_ignore_ascii_case("true"))),
            None => MethodResult::NotFound,
        },
        ("valueOf", [x]) => match x {
            Value::Bool(c) => boolean(*c),
            _ => match str_arg(x) {
                Some(s) => boolean(s.is_some_and(|s| s.eq_ignore_ascii_case("true"))),
                None => MethodResult::NotFound,
            },
        },
        ("toString", [Value::Bool(c)]) => string_result(c.to_string()),
        _ => MethodResult::NotFound,
    }
}

impl Object for BigDecimal {
    fn class_name(&self) -> &str {
        "java.math.BigDecimal"
    }

    fn to_java_string(&self) -> Option<String> {
        Some(BigDecimal::to_java_string(self))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        match big_decimal_method(self, name, args) {
            MethodResult::Value(v) => Some(Ok(v)),
            MethodResult::Exception(e) => Some(Err(e)),
            MethodResult::NotFound => None,
        }
    }
}

impl Object for JavaFloat {
    fn class_name(&self) -> &str {
        "java.lang.Float"
    }

    fn to_java_string(&self) -> Option<String> {
        Some(crate::java::format_float(self.0))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        match float_method(self.0, name, args) {
            MethodResult::Value(v) => Some(Ok(v)),
            MethodResult::Exception(e) => Some(Err(e)),
            MethodResult::NotFound => None,
        }
    }
}

/// `BigDecimal` methods (the value type lives in [`crate::java::math`]).
pub fn big_decimal_method(d: &BigDecimal, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("toString", []) => {
            if !crate::budget::decimal(d.unscaled.bits()) {
                return MethodResult::NotFound;
            }
            string_result(d.to_java_string())
        }
        ("toPlainString", []) => {
            let plain = BigDecimal {
                unscaled: d.unscaled.clone(),
                scale: d.scale,
            };
            // Plain notation: digits with the point placed by the scale.
            if (plain.scale as i64).abs() > crate::java::decimal::MAX_POW10 {
                return throw("java.lang.OutOfMemoryError", "Java heap space");
            }
            // The digits and the zeros the scale adds, charged before they are written.
            let bits = plain.unscaled.bits();
            if !crate::budget::decimal(bits)
                || !crate::budget::alloc(plain.scale.unsigned_abs() as usize + 2)
            {
                return MethodResult::NotFound;
            }
            let digits = plain.unscaled.abs().to_string();
            let neg = plain.unscaled.sign() == Sign::Minus;
            let mut out = String::new();
            if neg {
                out.push('-');
            }
            if plain.scale <= 0 {
                out.push_str(&digits);
                for _ in 0..(-plain.scale) {
                    out.push('0');
                }
            } else {
                let s = plain.scale as usize;
                if digits.len() > s {
                    out.push_str(&digits[..digits.len() - s]);
                    out.push('.');
                    out.push_str(&digits[digits.len() - s..]);
                } else {
                    out.push_str("0.");
                    for _ in 0..(s - digits.len()) {
                        out.push('0');
                    }
                    out.push_str(&digits);
                }
            }
            string_result(out)
        }
        ("scale", []) => int(d.scale),
        ("unscaledValue", []) => ok(Value::BigInt(Rc::new(d.unscaled.clone()))),
        ("doubleValue", []) => ok(Value::Double(d.to_f64())),
        ("floatValue", []) => ok(float_value(d.to_f64() as f32)),
        ("getClass", []) => ok(Value::Object(Rc::new(JavaClass {
            name: "java.math.BigDecimal".to_string(),
        }))),
        ("hashCode", []) => int(bigint_hash(&d.unscaled)
            .wrapping_mul(31)
            .wrapping_add(d.scale)),
        ("signum", []) => int(match d.unscaled.sign() {
            Sign::Minus => -1,
            Sign::NoSign => 0,
            Sign::Plus => 1,
        }),
        ("intValue" | "longValue", []) => {
            let whole = if d.scale >= 0 {
                if d.scale as i64 > d.precision() {
                    BigInt::zero()
                } else {
                    match crate::java::decimal::pow10_checked(d.scale as i64) {
                        Ok(p) => &d.unscaled / p,
                        Err(e) => return MethodResult::Exception(e),
                    }
                }
            } else {
                match crate::java::decimal::pow10_checked(-(d.scale as i64)) {
                    Ok(p) => &d.unscaled * p,
                    Err(e) => return MethodResult::Exception(e),
                }
            };
            let mag = whole.magnitude().iter_u64_digits().next().unwrap_or(0) as i64;
            let v = if whole.sign() == Sign::Minus {
                mag.wrapping_neg()
            } else {
                mag
            };
            if name == "intValue" {
                int(v as i32)
            } else {
                ok(Value::Long(v))
            }
        }
        ("compareTo", [x]) => match as_big_decimal(x) {
            Some(o) => ordering(d.cmp_value(o)),
            None if x.is_null() => npe(""),
            None => MethodResult::NotFound,
        },
        ("equals", [x]) => boolean(as_big_decimal(x).is_some_and(|o| o == d)),
        _ => MethodResult::NotFound,
    }
}
