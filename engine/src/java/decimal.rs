//! Java's numbers beyond the primitives, on plain Rust types: `java.math.BigDecimal` (what
//! Velocity's arithmetic makes when a BigInteger meets a Double), `java.lang.Float` (from
//! `floatValue()`) and `new BigInteger(String)` for long digit strings. Their methods are in
//! `methods/`; the arithmetic on values that makes them is in `math.rs`.

use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, Zero};

use super::JavaException;
use crate::value::Value;

/// `java.math.BigDecimal`: what Velocity produces when a BigInteger meets a Double.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigDecimal {
    /// The unscaled value.
    pub unscaled: BigInt,
    /// The scale: the value is `unscaled × 10^-scale`.
    pub scale: i32,
}

impl BigDecimal {
    /// `new BigDecimal(BigInteger)`.
    pub fn from_bigint(n: BigInt) -> BigDecimal {
        BigDecimal {
            unscaled: n,
            scale: 0,
        }
    }

    /// `new BigDecimal(double)`: the exact binary value, with the smallest scale that holds
    /// it. `None` for NaN and infinities (Java throws `NumberFormatException`).
    pub fn from_f64(d: f64) -> Option<BigDecimal> {
        if !d.is_finite() {
            return None;
        }
        if d == 0.0 {
            return Some(BigDecimal::from_bigint(BigInt::zero()));
        }
        let bits = d.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let mut mantissa = bits & ((1u64 << 52) - 1);
        let mut e = if exp == 0 {
            -1074
        } else {
            mantissa |= 1 << 52;
            exp - 1075
        };
        let tz = mantissa.trailing_zeros();
        mantissa >>= tz;
        e += tz as i32;
        let m = BigInt::from(mantissa);
        let m = if d < 0.0 { -m } else { m };
        Some(if e >= 0 {
            BigDecimal::from_bigint(m << e as usize)
        } else {
            BigDecimal {
                unscaled: m * BigInt::from(5u32).pow((-e) as u32),
                scale: -e,
            }
        })
    }

    pub(crate) fn rescaled(&self, scale: i32) -> Result<BigInt, JavaException> {
        // Only ever called with scale >= self.scale.
        Ok(&self.unscaled * pow10_checked(scale as i64 - self.scale as i64)?)
    }

    /// Number of decimal digits of the unscaled value (`precision()`).
    pub fn precision(&self) -> i64 {
        if self.unscaled.is_zero() {
            1
        } else {
            self.unscaled.abs().to_string().len() as i64
        }
    }

    /// `compareTo` (by sign and magnitude first, so huge scale differences stay cheap).
    pub fn cmp_value(&self, other: &BigDecimal) -> Ordering {
        let (sa, sb) = (self.unscaled.sign(), other.unscaled.sign());
        let rank = |s: Sign| match s {
            Sign::Minus => 0,
            Sign::NoSign => 1,
            Sign::Plus => 2,
        };
        if rank(sa) != rank(sb) || sa == Sign::NoSign {
            return rank(sa).cmp(&rank(sb));
        }
        let adjusted = |d: &BigDecimal| d.precision() - d.scale as i64;
        let by_magnitude = adjusted(self).cmp(&adjusted(other));
        if by_magnitude != Ordering::Equal {
            return if sa == Sign::Minus {
                by_magnitude.reverse()
            } else {
                by_magnitude
            };
        }
        // Same magnitude: the scale difference is at most the digit count difference.
        let s = self.scale.max(other.scale);
        match (self.rescaled(s), other.rescaled(s)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            _ => Ordering::Equal,
        }
    }

    pub(crate) fn add(&self, other: &BigDecimal) -> Result<BigDecimal, JavaException> {
        let s = self.scale.max(other.scale);
        Ok(BigDecimal {
            unscaled: self.rescaled(s)? + other.rescaled(s)?,
            scale: s,
        })
    }

    pub(crate) fn sub(&self, other: &BigDecimal) -> Result<BigDecimal, JavaException> {
        let s = self.scale.max(other.scale);
        Ok(BigDecimal {
            unscaled: self.rescaled(s)? - other.rescaled(s)?,
            scale: s,
        })
    }

    pub(crate) fn mul(&self, other: &BigDecimal) -> Result<BigDecimal, JavaException> {
        let scale = self
            .scale
            .checked_add(other.scale)
            .ok_or_else(|| arithmetic_exception("Overflow"))?;
        Ok(BigDecimal {
            unscaled: &self.unscaled * &other.unscaled,
            scale,
        })
    }

    /// `divide(other, ROUND_HALF_DOWN)`: the result keeps this value's scale.
    pub(crate) fn div_half_down(&self, other: &BigDecimal) -> Result<BigDecimal, JavaException> {
        // self/other × 10^scale = unscaled × 10^other.scale / other.unscaled (a negative scale
        // moves the power to the other side).
        let (mut num, mut den) = (self.unscaled.clone(), other.unscaled.clone());
        if other.scale >= 0 {
            num *= pow10_checked(other.scale as i64)?;
        } else {
            den *= pow10_checked(-(other.scale as i64))?;
        }
        let q = &num / &den;
        let r = &num - &q * &den;
        let twice = (r.abs() * 2u32).cmp(&den.abs());
        let q = if twice == Ordering::Greater {
            if (num.sign() == Sign::Minus) != (den.sign() == Sign::Minus) {
                q - 1
            } else {
                q + 1
            }
        } else {
            q
        };
        Ok(BigDecimal {
            unscaled: q,
            scale: self.scale,
        })
    }

    /// `BigDecimal.toString()` (scientific notation when the exponent is small).
    pub fn to_java_string(&self) -> String {
        let digits = self.unscaled.abs().to_string();
        let neg = self.unscaled.sign() == Sign::Minus;
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if self.scale == 0 {
            out.push_str(&digits);
            return out;
        }
        let n = digits.len() as i64;
        let adjusted = -(self.scale as i64) + (n - 1);
        if self.scale > 0 && adjusted >= -6 {
            let scale = self.scale as i64;
            if n > scale {
                let (int, frac) = digits.split_at((n - scale) as usize);
                out.push_str(int);
                out.push('.');
                out.push_str(frac);
            } else {
                out.push_str("0.");
                for _ in 0..(scale - n) {
                    out.push('0');
                }
                out.push_str(&digits);
            }
        } else {
            out.push_str(&digits[..1]);
            if n > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            if adjusted != 0 {
                out.push('E');
                if adjusted > 0 {
                    out.push('+');
                }
                out.push_str(&adjusted.to_string());
            }
        }
        out
    }

    /// `doubleValue()` (via the decimal string, which Rust parses with correct rounding).
    pub fn to_f64(&self) -> f64 {
        self.to_java_string().parse().unwrap_or(f64::NAN)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }
}

/// `java.lang.Float` (from `floatValue()`); it prints with `Float.toString`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JavaFloat(pub f32);

/// A `Float` value.
pub fn float_value(f: f32) -> Value {
    Value::Object(Rc::new(JavaFloat(f)))
}

/// The `f32` behind a `Float` value, if it is one.
pub fn as_java_float(v: &Value) -> Option<f32> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<JavaFloat>().map(|f| f.0),
        _ => None,
    }
}

/// The most decimal digits a single power of ten may have here. Java would try (and run out of
/// memory) on operands like `1E-1000000000 + 1`; this fails with the same error instead.
pub const MAX_POW10: i64 = 1 << 22;

/// Decimal digits (an optional sign, then ASCII digits) as a whole number, or `None` when
/// the text is not one.
///
/// Long numbers are split in halves and joined with one multiplication by a power of ten,
/// so that the work grows like a multiplication (Karatsuba) rather than with the square of
/// the length, as a digit-by-digit parse does: a megabyte of digits takes milliseconds.
pub fn parse_decimal(text: &str) -> Option<BigInt> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut powers = std::collections::HashMap::new();
    let n = parse_digits(digits, &mut powers);
    Some(if negative { -n } else { n })
}

/// Fuel for [`parse_decimal`] on `digits` digits: the halves' multiplications grow like
/// Karatsuba's, about the 1.5th power of the number's 64-bit words.
pub(crate) fn parse_decimal_work(digits: usize) -> u64 {
    let words = digits as f64 / 19.0 + 1.0;
    (words * words.sqrt() / 4.0) as u64
}

/// Below this many digits the plain parse is the quicker one.
const PLAIN_DIGITS: usize = 4096;

fn parse_digits(digits: &str, powers: &mut std::collections::HashMap<usize, BigInt>) -> BigInt {
    if digits.len() <= PLAIN_DIGITS {
        return digits.parse().unwrap_or_default();
    }
    // Recursion halves the length: about 12 levels for 10 MB.
    let low_len = digits.len() / 2;
    let (high, low) = digits.split_at(digits.len() - low_len);
    let high = parse_digits(high, powers);
    let low = parse_digits(low, powers);
    let scale = powers
        .entry(low_len)
        .or_insert_with(|| BigInt::from(10u32).pow(low_len as u32));
    high * &*scale + low
}

/// `10^n`, or Java's `OutOfMemoryError` when `n` exceeds [`MAX_POW10`].
pub fn pow10_checked(n: i64) -> Result<BigInt, JavaException> {
    if !(0..=MAX_POW10).contains(&n) {
        return Err(JavaException::new(
            "java.lang.OutOfMemoryError",
            "Java heap space",
        ));
    }
    Ok(BigInt::from(10u32).pow(n as u32))
}

/// The `BigDecimal` behind a value, if it is one.
pub fn as_big_decimal(v: &Value) -> Option<&BigDecimal> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<BigDecimal>(),
        _ => None,
    }
}

/// `java.lang.ArithmeticException` with `msg`.
pub(crate) fn arithmetic_exception(msg: &str) -> JavaException {
    JavaException::new("java.lang.ArithmeticException", msg)
}
