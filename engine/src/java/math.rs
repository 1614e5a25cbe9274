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

/// Velocity `a + b` (numbers, or concatenation when either side is a String); null where
/// Velocity yields null or throws (use [`arithmetic`] to see the exception).
pub fn add(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Add, a, b).unwrap_or(Value::Null)
}

/// Velocity `a - b`; null for non-numbers.
pub fn subtract(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Subtract, a, b).unwrap_or(Value::Null)
}

/// Velocity `a * b`; null for non-numbers.
pub fn multiply(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Multiply, a, b).unwrap_or(Value::Null)
}

/// Velocity `a / b`; null for non-numbers and for a zero divisor.
pub fn divide(a: &Value, b: &Value) -> Value {
    arithmetic(MathOp::Divide, a, b).unwrap_or(Value::Null)
}

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

/// Velocity's `==` on two numbers (`compare == 0`, so `1 == 1.0`); `None` unless both are
/// numbers.
pub fn numbers_equal(a: &Value, b: &Value) -> Option<bool> {
    compare_numbers(a, b).map(|o| o == Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::java::decimal::parse_decimal;

    #[test]
    fn long_decimals_parse_exactly() {
        // Digits from a simple generator, with runs of zeros where the halves meet.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut digits = String::new();
        for i in 0..30_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            digits.push(if i % 4096 < 40 {
                '0'
            } else {
                char::from(b'0' + (x % 10) as u8)
            });
        }
        for len in [1, 19, 4096, 4097, 8193, 12_345, 30_000] {
            let d = &digits[..len];
            let plain: BigInt = d.parse().unwrap();
            assert_eq!(parse_decimal(d), Some(plain.clone()), "{len} digits");
            assert_eq!(
                parse_decimal(&format!("-{d}")),
                Some(-plain),
                "-{len} digits"
            );
        }
        assert_eq!(parse_decimal("-"), None);
        assert_eq!(parse_decimal("12a"), None);
    }

    // Every expected value below was printed by Velocity 1.7 (the oracle) on JDK 17, as
    // `$a $a.class.name` after `#set($a = …)`.

    fn show(v: &Value) -> String {
        match v {
            Value::Null => "null".to_string(),
            v => format!(
                "{} {}",
                v.to_java_string().unwrap_or_default(),
                v.class_name()
            ),
        }
    }

    fn big(s: &str) -> Value {
        Value::BigInt(Rc::new(s.parse().expect("bigint")))
    }

    #[test]
    fn integer_promotion() {
        let i = Value::Int;
        assert_eq!(
            show(&add(&i(2147483647), &i(1))),
            "2147483648 java.lang.Long"
        );
        assert_eq!(
            show(&multiply(&i(2147483647), &i(2))),
            "4294967294 java.lang.Long"
        );
        assert_eq!(
            show(&subtract(&i(-2147483648), &i(1))),
            "-2147483649 java.lang.Long"
        );
        assert_eq!(show(&subtract(&i(3), &i(5))), "-2 java.lang.Integer");
        assert_eq!(
            show(&add(&Value::Long(9223372036854775807), &i(1))),
            "9223372036854775808 java.math.BigInteger"
        );
        assert_eq!(
            show(&multiply(&Value::Long(9223372036854775807), &i(3))),
            "27670116110564327421 java.math.BigInteger"
        );
        assert_eq!(
            show(&subtract(
                &Value::Long(5000000000),
                &Value::Long(4999999999)
            )),
            "1 java.lang.Long"
        );
        assert_eq!(
            show(&add(&Value::Long(5000000000), &i(1))),
            "5000000001 java.lang.Long"
        );
        let m = i(1500000000);
        assert_eq!(show(&add(&m, &m)), "3000000000 java.lang.Long");
        let sq = multiply(&m, &m);
        assert_eq!(show(&sq), "2250000000000000000 java.lang.Long");
        assert_eq!(
            show(&multiply(&multiply(&sq, &m), &m)),
            "5062500000000000000000000000000000000 java.math.BigInteger"
        );
        assert_eq!(
            show(&multiply(
                &Value::Long(3000000000),
                &Value::Long(3000000000)
            )),
            "9000000000000000000 java.lang.Long"
        );
    }

    #[test]
    fn long_edge_cases() {
        let min = Value::Long(i64::MIN);
        let m1 = Value::Int(-1);
        assert_eq!(
            show(&multiply(&min, &m1)),
            "-9223372036854775808 java.lang.Long"
        );
        assert_eq!(
            show(&divide(&min, &m1)),
            "-9223372036854775808 java.lang.Long"
        );
        assert_eq!(show(&modulo(&min, &m1)), "0 java.lang.Long");
        assert_eq!(
            show(&subtract(&min, &Value::Int(1))),
            "-9223372036854775809 java.math.BigInteger"
        );
        assert_eq!(
            show(&divide(&Value::Int(i32::MIN), &m1)),
            "2147483648 java.lang.Long"
        );
        assert_eq!(
            show(&modulo(&Value::Int(i32::MIN), &m1)),
            "0 java.lang.Integer"
        );
    }

    #[test]
    fn division_and_modulo() {
        let i = Value::Int;
        assert_eq!(show(&divide(&i(7), &i(2))), "3 java.lang.Integer");
        assert_eq!(show(&divide(&i(-7), &i(2))), "-3 java.lang.Integer");
        assert_eq!(show(&modulo(&i(-7), &i(3))), "-1 java.lang.Integer");
        assert_eq!(
            show(&divide(&Value::Double(7.0), &i(2))),
            "3.5 java.lang.Double"
        );
        assert_eq!(
            show(&divide(&i(6), &Value::Double(0.5))),
            "12.0 java.lang.Double"
        );
        assert_eq!(
            show(&modulo(&i(7), &Value::Double(2.5))),
            "2.0 java.lang.Double"
        );
        assert!(divide(&i(5), &i(0)).is_null());
        assert!(modulo(&i(5), &i(0)).is_null());
        assert!(divide(&Value::Double(5.0), &i(0)).is_null());
        assert!(divide(&i(5), &Value::Double(0.0)).is_null());
        assert!(divide(&Value::Double(-0.0), &i(0)).is_null());
        assert!(modulo(&Value::Double(5.5), &i(0)).is_null());
    }

    #[test]
    fn doubles_and_non_numbers() {
        let i = Value::Int;
        assert_eq!(
            show(&add(&Value::Double(1.5), &i(1))),
            "2.5 java.lang.Double"
        );
        assert_eq!(
            show(&add(&Value::Double(0.1), &Value::Double(0.2))),
            "0.30000000000000004 java.lang.Double"
        );
        assert_eq!(
            show(&multiply(&Value::Double(1.0), &i(2))),
            "2.0 java.lang.Double"
        );
        assert!(add(&i(1), &Value::Bool(true)).is_null());
        assert!(subtract(&Value::str("a"), &i(1)).is_null());
        let list = Value::list(crate::value::ListKind::ArrayList, vec![i(1), i(2)]);
        assert!(add(&i(1), &list).is_null());
        assert_eq!(show(&add(&i(1), &Value::str("a"))), "1a java.lang.String");
        assert_eq!(show(&add(&Value::str("a"), &i(1))), "a1 java.lang.String");
        assert_eq!(
            show(&add(&Value::str("a"), &list)),
            "a[1, 2] java.lang.String"
        );
        assert_eq!(
            show(&add(&Value::Bool(true), &Value::str("a"))),
            "truea java.lang.String"
        );
        let inf = multiply(&Value::Double(1e308), &i(10));
        assert_eq!(show(&inf), "Infinity java.lang.Double");
        let nan = subtract(&inf, &inf);
        assert_eq!(show(&nan), "NaN java.lang.Double");
        assert_eq!(numbers_equal(&nan, &i(1)), Some(true));
        assert_eq!(numbers_equal(&i(1), &Value::Double(1.0)), Some(true));
        assert_eq!(
            compare_numbers(&i(2), &Value::Double(1.5)),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_numbers(&i(1), &Value::str("a")), None);
    }

    #[test]
    fn big_integers_and_decimals() {
        let b = big("50000000000000000000000");
        assert_eq!(show(&subtract(&b, &b)), "0 java.math.BigInteger");
        assert_eq!(
            show(&divide(&b, &Value::Int(3))),
            "16666666666666666666666 java.math.BigInteger"
        );
        assert_eq!(show(&modulo(&b, &Value::Int(7))), "6 java.math.BigInteger");
        let nb = big("-50000000000000000000000");
        assert_eq!(show(&modulo(&nb, &Value::Int(7))), "1 java.math.BigInteger");
        assert_eq!(
            show(&divide(&nb, &Value::Int(-7))),
            "7142857142857142857142 java.math.BigInteger"
        );
        assert_eq!(
            arithmetic(MathOp::Modulo, &nb, &Value::Int(-7))
                .unwrap_err()
                .to_string(),
            "java.lang.ArithmeticException: BigInteger: modulus not positive"
        );
        assert_eq!(
            show(&add(&b, &Value::Double(1.5))),
            "50000000000000000000001.5 java.math.BigDecimal"
        );
        assert_eq!(
            show(&multiply(&b, &Value::Double(0.1))),
            "5000000000000000277555.7561562891351059079170227050781250000000000000000000000 java.math.BigDecimal"
        );
        assert_eq!(
            show(&divide(&b, &Value::Double(0.1))),
            "499999999999999972244424 java.math.BigDecimal"
        );
        assert_eq!(
            arithmetic(MathOp::Modulo, &b, &Value::Double(7.5))
                .unwrap_err()
                .to_string(),
            "java.lang.ArithmeticException: Cannot calculate the modulo of BigDecimals."
        );
        let t = big("10000000000000000000");
        let c = add(&t, &Value::Double(0.5));
        assert_eq!(show(&c), "10000000000000000000.5 java.math.BigDecimal");
        assert_eq!(
            show(&add(&c, &Value::Int(1))),
            "10000000000000000001.5 java.math.BigDecimal"
        );
        assert_eq!(
            show(&divide(&c, &Value::Int(3))),
            "3333333333333333333.5 java.math.BigDecimal"
        );
        assert_eq!(
            show(&divide(&c, &Value::Int(4))),
            "2500000000000000000.1 java.math.BigDecimal"
        );
        assert_eq!(
            show(&multiply(&c, &Value::Double(0.5))),
            "5000000000000000000.25 java.math.BigDecimal"
        );
        let zero = subtract(&t, &t);
        assert_eq!(
            show(&add(&zero, &Value::Double(0.001))),
            "0.001000000000000000020816681711721685132943093776702880859375 java.math.BigDecimal"
        );
        assert_eq!(
            add(&zero, &Value::Double(0.0000001))
                .to_java_string()
                .unwrap(),
            "9.99999999999999954748111825886258685613938723690807819366455078125E-8"
        );
        assert_eq!(
            subtract(&zero, &Value::Double(0.0000001))
                .to_java_string()
                .unwrap(),
            "-9.99999999999999954748111825886258685613938723690807819366455078125E-8"
        );
        assert_eq!(
            add(&zero, &Value::Double(1e20)).to_java_string().unwrap(),
            "100000000000000000000"
        );
        assert_eq!(
            multiply(&t, &Value::Double(0.0000001)).to_java_string().unwrap(),
            "999999999999.9999547481118258862586856139387236908078193664550781250000000000000000000"
        );
        let z = subtract(&c, &c);
        assert_eq!(z.to_java_string().unwrap(), "0.0");
        assert!(divide(&Value::Int(5), &z).is_null());
        assert!(divide(&Value::Int(5), &zero).is_null());
        assert_eq!(
            compare_numbers(&add(&t, &Value::Double(1.5)), &t),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn floats() {
        let f = float_value(0.1f64 as f32);
        assert_eq!(show(&add(&f, &Value::Int(1))), "1.1 java.lang.Float");
        assert_eq!(
            show(&add(&f, &Value::Double(0.5))),
            "0.6000000014901161 java.lang.Double"
        );
        assert_eq!(show(&multiply(&f, &f)), "0.010000001 java.lang.Float");
        assert_eq!(
            show(&divide(&f, &Value::Int(3))),
            "0.033333335 java.lang.Float"
        );
        assert_eq!(show(&multiply(&f, &Value::Int(3))), "0.3 java.lang.Float");
        assert_eq!(
            show(&modulo(&f, &Value::Double(0.03))),
            "0.010000001490116123 java.lang.Double"
        );
        assert!(divide(&f, &Value::Int(0)).is_null());
        let b = big("12345678901234567890123");
        assert_eq!(
            show(&add(&b, &f)),
            "12345678901234567890123.100000001490116119384765625 java.math.BigDecimal"
        );
        assert_eq!(numbers_equal(&f, &Value::Double(0.1)), Some(false));
        assert_eq!(
            compare_numbers(&f, &Value::Double(0.1)),
            Some(Ordering::Greater)
        );
        assert_eq!(numbers_equal(&f, &f), Some(true));
    }
}
