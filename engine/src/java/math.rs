//! Velocity 1.7 arithmetic and numeric comparison (`org.apache.velocity.util.MathUtils` and the
//! `ASTAddNode`/`ASTDivNode`/… rules around it) on [`Value`]s.
//!
//! The rules, all checked against Velocity 1.7 on JDK 17:
//! * the calculation type is picked from both operands: two integers (Integer/Long) compute in
//!   `long`; an integer with a BigInteger in `BigInteger`; any Double in `double`; a Float with
//!   an integer or Float in `float` (a [`JavaFloat`](super::decimal::JavaFloat), from `floatValue()`); a BigInteger
//!   or BigDecimal with a Double in `BigDecimal` (the Double converted exactly, as
//!   `new BigDecimal(double)` does, so `5e22 * 0.1` prints 55 decimals);
//! * a `long` result is narrowed to the wider operand type (Integer op Integer stays Integer when
//!   it fits, Integer op Long is Long even when small); `long` overflow of `+ - *` gives a
//!   BigInteger, except `Long.MIN_VALUE * -1` which Velocity's check misses (stays
//!   `Long.MIN_VALUE`); `/` and `%` truncate, and `Long.MIN_VALUE / -1` wraps;
//! * BigInteger results stay BigInteger even when small (`$big - $big` is BigInteger 0);
//!   BigInteger `%` is `BigInteger.mod` (never negative; a negative divisor throws
//!   `ArithmeticException: BigInteger: modulus not positive`); BigDecimal `%` throws
//!   `ArithmeticException: Cannot calculate the modulo of BigDecimals.`; BigDecimal `/` keeps
//!   the dividend's scale, rounding half-down;
//! * `/` or `%` by any zero (including `0.0`) yields null (Velocity logs an error);
//! * a non-number operand (or null) yields null, except that `+` with a String operand
//!   concatenates `toString()`s (a null operand is replaced by its source text by the
//!   renderer, which this module does not see);
//! * comparisons of two numbers use the same calculation type; a NaN compares equal to
//!   everything (Velocity's `compare` returns 0 when neither `<` nor `>` holds).

use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, Sign};
use num_traits::{ToPrimitive, Zero};

use super::decimal::{
    arithmetic_exception, as_big_decimal, as_java_float, float_value, BigDecimal,
};
use super::JavaException;
use crate::value::Value;

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathOp {
    /// `+`
    Add,
    /// `-`
    Subtract,
    /// `*`
    Multiply,
    /// `/`
    Divide,
    /// `%`
    Modulo,
}

/// A number operand, classified the way `MathUtils` sees it.
enum Num<'a> {
    Int(i32),
    Long(i64),
    Big(&'a BigInt),
    Float(f32),
    Double(f64),
    Decimal(&'a BigDecimal),
}

fn num(v: &Value) -> Option<Num<'_>> {
    Some(match v {
        Value::Int(i) => Num::Int(*i),
        Value::Long(l) => Num::Long(*l),
        Value::BigInt(b) => Num::Big(b),
        Value::Double(d) => Num::Double(*d),
        Value::Object(_) => match as_java_float(v) {
            Some(f) => Num::Float(f),
            None => Num::Decimal(as_big_decimal(v)?),
        },
        _ => return None,
    })
}

/// True for the values `MathUtils` treats as numbers (including [`BigDecimal`] objects).
pub fn is_number(v: &Value) -> bool {
    num(v).is_some()
}

impl Num<'_> {
    fn long_value(&self) -> i64 {
        match self {
            Num::Int(i) => *i as i64,
            Num::Long(l) => *l,
            // Only used on Integer/Long.
            _ => 0,
        }
    }

    fn double_value(&self) -> f64 {
        match self {
            Num::Int(i) => *i as f64,
            Num::Long(l) => *l as f64,
            Num::Big(b) => b.to_f64().unwrap_or(f64::NAN),
            Num::Float(f) => *f as f64,
            Num::Double(d) => *d,
            Num::Decimal(d) => d.to_f64(),
        }
    }

    fn float_value(&self) -> f32 {
        match self {
            Num::Int(i) => *i as f32,
            Num::Long(l) => *l as f32,
            Num::Float(f) => *f,
            other => other.double_value() as f32,
        }
    }

    /// The number as a BigInteger, borrowed when it is one (big operands are not copied).
    fn big(&self) -> std::borrow::Cow<'_, BigInt> {
        match self {
            Num::Big(b) => std::borrow::Cow::Borrowed(b),
            other => std::borrow::Cow::Owned(BigInt::from(other.long_value())),
        }
    }

    fn decimal(&self) -> Result<BigDecimal, JavaException> {
        match self {
            Num::Decimal(d) => Ok((*d).clone()),
            Num::Double(_) | Num::Float(_) => {
                BigDecimal::from_f64(self.double_value()).ok_or_else(|| {
                    JavaException::new("java.lang.NumberFormatException", "Infinite or NaN")
                })
            }
            other => Ok(BigDecimal::from_bigint(other.big().into_owned())),
        }
    }

    fn is_integer(&self) -> bool {
        matches!(self, Num::Int(_) | Num::Long(_) | Num::Big(_))
    }

    fn is_zero(&self) -> bool {
        match self {
            Num::Int(i) => *i == 0,
            Num::Long(l) => *l == 0,
            Num::Big(b) => b.is_zero(),
            Num::Float(f) => *f == 0.0,
            Num::Double(d) => *d == 0.0,
            Num::Decimal(d) => d.is_zero(),
        }
    }
}

/// `MathUtils.findCalculationBase`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
}

fn base(a: &Num<'_>, b: &Num<'_>) -> Base {
    let big = |n: &Num<'_>| matches!(n, Num::Big(_));
    let dec = |n: &Num<'_>| matches!(n, Num::Decimal(_));
    let both_int = a.is_integer() && b.is_integer();
    if dec(a) || dec(b) || (!both_int && (big(a) || big(b))) {
        Base::BigDecimal
    } else if both_int {
        if big(a) || big(b) {
            Base::BigInteger
        } else {
            Base::Long
        }
    } else if matches!(a, Num::Double(_)) || matches!(b, Num::Double(_)) {
        Base::Double
    } else {
        Base::Float
    }
}

/// `MathUtils.wrapPrimitive`: the wider operand's type, widened further if the value needs it.
fn wrap(value: i64, a: &Num<'_>, b: &Num<'_>) -> Value {
    let long = matches!(a, Num::Long(_)) || matches!(b, Num::Long(_));
    if long {
        Value::Long(value)
    } else {
        Value::from_i64(value)
    }
}

fn big_value(b: BigInt) -> Value {
    Value::BigInt(Rc::new(b))
}

fn decimal_value(d: BigDecimal) -> Value {
    Value::Object(Rc::new(d))
}

/// Velocity's `a op b`: `Ok(Value::Null)` where Velocity logs an error and yields null
/// (non-numbers, division by zero), `Err` where Java throws (which fails the render).
pub fn arithmetic(op: MathOp, a: &Value, b: &Value) -> Result<Value, JavaException> {
    if op == MathOp::Add {
        if let Some(s) = concat(a, b) {
            return Ok(s);
        }
    }
    let (Some(x), Some(y)) = (num(a), num(b)) else {
        return Ok(Value::Null);
    };
    if matches!(op, MathOp::Divide | MathOp::Modulo) && y.is_zero() {
        return Ok(Value::Null);
    }
    Ok(match base(&x, &y) {
        Base::Long => {
            let (l1, l2) = (x.long_value(), y.long_value());
            match op {
                MathOp::Add => match l1.checked_add(l2) {
                    Some(r) => wrap(r, &x, &y),
                    None => big_value(&*x.big() + &*y.big()),
                },
                MathOp::Subtract => match l1.checked_sub(l2) {
                    Some(r) => wrap(r, &x, &y),
                    None => big_value(&*x.big() - &*y.big()),
                },
                MathOp::Multiply => {
                    // Velocity's check: `l2 != 0 && result / l2 != l1` (misses MIN * -1).
                    let r = l1.wrapping_mul(l2);
                    if l2 != 0 && r.wrapping_div(l2) != l1 {
                        big_value(&*x.big() * &*y.big())
                    } else {
                        wrap(r, &x, &y)
                    }
                }
                MathOp::Divide => wrap(l1.wrapping_div(l2), &x, &y),
                MathOp::Modulo => wrap(l1.wrapping_rem(l2), &x, &y),
            }
        }
        Base::Double => {
            let (d1, d2) = (x.double_value(), y.double_value());
            Value::Double(match op {
                MathOp::Add => d1 + d2,
                MathOp::Subtract => d1 - d2,
                MathOp::Multiply => d1 * d2,
                MathOp::Divide => d1 / d2,
                MathOp::Modulo => d1 % d2,
            })
        }
        Base::Float => {
            let (f1, f2) = (x.float_value(), y.float_value());
            float_value(match op {
                MathOp::Add => f1 + f2,
                MathOp::Subtract => f1 - f2,
                MathOp::Multiply => f1 * f2,
                MathOp::Divide => f1 / f2,
                MathOp::Modulo => f1 % f2,
            })
        }
        Base::BigInteger => {
            let (b1, b2) = (x.big(), y.big());
            let (b1, b2) = (&*b1, &*b2);
            big_value(match op {
                MathOp::Add => b1 + b2,
                MathOp::Subtract => b1 - b2,
                MathOp::Multiply => b1 * b2,
                MathOp::Divide => b1 / b2,
                MathOp::Modulo => {
                    if b2.sign() != Sign::Plus {
                        return Err(arithmetic_exception("BigInteger: modulus not positive"));
                    }
                    let r = b1 % b2;
                    if r.sign() == Sign::Minus {
                        r + b2
                    } else {
                        r
                    }
                }
            })
        }
        Base::BigDecimal => {
            let (d1, d2) = (x.decimal()?, y.decimal()?);
            decimal_value(match op {
                MathOp::Add => d1.add(&d2)?,
                MathOp::Subtract => d1.sub(&d2)?,
                MathOp::Multiply => d1.mul(&d2)?,
                MathOp::Divide => d1.div_half_down(&d2)?,
                MathOp::Modulo => {
                    return Err(arithmetic_exception(
                        "Cannot calculate the modulo of BigDecimals.",
                    ))
                }
            })
        }
    })
}

/// `+` with a String operand: the concatenation of both `toString()`s (`None` otherwise, or
/// when an operand is null, whose source text only the renderer knows).
fn concat(a: &Value, b: &Value) -> Option<Value> {
    if !(matches!(a, Value::Str(_)) || matches!(b, Value::Str(_))) {
        return None;
    }
    let mut out = String::new();
    if !a.write_java(&mut out) || !b.write_java(&mut out) {
        return None;
    }
    Some(Value::string(out))
}

#[cfg(test)]
/// Velocity `a + b` (numbers, or concatenation when either side is a String); null where
/// Velocity yields null or throws (use [`arithmetic`] to see the exception).
pub fn add(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Add, a, b).unwrap_or(Value::Null)
}

#[cfg(test)]
/// Velocity `a - b`; null for non-numbers.
pub fn subtract(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Subtract, a, b).unwrap_or(Value::Null)
}

#[cfg(test)]
/// Velocity `a * b`; null for non-numbers.
pub fn multiply(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Multiply, a, b).unwrap_or(Value::Null)
}

#[cfg(test)]
/// Velocity `a / b`; null for non-numbers and for a zero divisor.
pub fn divide(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Divide, a, b).unwrap_or(Value::Null)
}

#[cfg(test)]
/// Velocity `a % b`; null for non-numbers, a zero divisor, and where Java throws (see
/// [`arithmetic`]).
pub fn modulo(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Modulo, a, b).unwrap_or(Value::Null)
}

/// `MathUtils.compare` for two numbers; `None` unless both are numbers. NaN compares equal.
pub fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    let (x, y) = (num(a)?, num(b)?);
    Some(match base(&x, &y) {
        Base::Long => x.long_value().cmp(&y.long_value()),
        Base::BigInteger => x.big().cmp(&y.big()),
        Base::Float => {
            let (f1, f2) = (x.float_value(), y.float_value());
            if f1 < f2 {
                Ordering::Less
            } else if f1 > f2 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        Base::Double => {
            let (d1, d2) = (x.double_value(), y.double_value());
            if d1 < d2 {
                Ordering::Less
            } else if d1 > d2 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        Base::BigDecimal => match (x.decimal(), y.decimal()) {
            (Ok(p), Ok(q)) => p.cmp_value(&q),
            // A NaN/infinite Double cannot become a BigDecimal (Java throws); call it equal.
            _ => Ordering::Equal,
        },
    })
}

#[cfg(test)]
/// Velocity's `==` on two numbers (`compare == 0`, so `1 == 1.0`); `None` unless both are
/// numbers.
pub fn numbers_equal(a: &Value, b: &Value) -> Option<bool> {
    compare_numbers(a, b).map(|o| o == Ordering::Equal)
}

#[cfg(test)]
mod tests;
