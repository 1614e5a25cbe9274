//! Java `hashCode()` of template values, as `String.format("%h")` and `$x.hashCode()` see it:
//! `String`, `Integer`/`Long`/`Double`/`Boolean`, `BigInteger`, `BigDecimal`, `List`, `Map`
//! and `Map.Entry` hash as the JDK's classes do; other objects hash by identity.

use num_bigint::{BigInt, Sign};

use super::decimal::BigDecimal;
use super::JavaException;
use crate::value::{MapEntry, Value};

/// Java `hashCode()` of a value; `None` for objects whose hash is their identity.
pub fn java_hash_code(v: &Value) -> Option<Result<i32, JavaException>> {
    hash_depth(v, 0)
}

pub(crate) fn hash_depth(v: &Value, depth: usize) -> Option<Result<i32, JavaException>> {
    // Each element costs fuel: shared structure ends early with the budget tripped.
    if !crate::budget::spend(1) || !crate::budget::stack_ok() {
        return Some(Ok(0));
    }
    if depth > 512 {
        return Some(Err(JavaException::new("java.lang.StackOverflowError", "")));
    }
    Some(Ok(match v {
        Value::Null => 0,
        Value::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Value::Int(i) => *i,
        Value::Long(l) => (*l ^ ((*l as u64) >> 32) as i64) as i32,
        Value::Double(d) => double_hash(*d),
        Value::BigInt(b) => bigint_hash(b),
        Value::Str(s) => super::string::hash_code(s),
        Value::List(l) => {
            let mut h: i32 = 1;
            for item in l.items.borrow().iter() {
                let e = match hash_depth(item, depth + 1)? {
                    Ok(e) => e,
                    Err(e) => return Some(Err(e)),
                };
                h = h.wrapping_mul(31).wrapping_add(e);
            }
            h
        }
        Value::Map(m) => {
            let mut h: i32 = 0;
            for (k, val) in m.entries.borrow().iter() {
                let kh = match hash_depth(&k.0, depth + 1)? {
                    Ok(e) => e,
                    Err(e) => return Some(Err(e)),
                };
                let vh = match hash_depth(val, depth + 1)? {
                    Ok(e) => e,
                    Err(e) => return Some(Err(e)),
                };
                h = h.wrapping_add(kh ^ vh);
            }
            h
        }
        Value::Object(o) => {
            if let Some(d) = o.as_any().downcast_ref::<BigDecimal>() {
                bigint_hash(&d.unscaled)
                    .wrapping_mul(31)
                    .wrapping_add(d.scale)
            } else if let Some(e) = o.as_any().downcast_ref::<MapEntry>() {
                let kh = match hash_depth(&e.key, depth + 1)? {
                    Ok(h) => h,
                    Err(x) => return Some(Err(x)),
                };
                let vh = match hash_depth(&e.value.borrow(), depth + 1)? {
                    Ok(h) => h,
                    Err(x) => return Some(Err(x)),
                };
                kh ^ vh
            } else {
                return None;
            }
        }
    }))
}

/// `Double.hashCode`: the bits (NaN canonicalized) folded to 32 bits.
pub(crate) fn double_hash(d: f64) -> i32 {
    let bits = if d.is_nan() {
        0x7ff8_0000_0000_0000u64
    } else {
        d.to_bits()
    };
    (bits ^ (bits >> 32)) as i32
}

/// `BigInteger.hashCode`: over the big-endian 32-bit words of the magnitude, times the sign.
pub(crate) fn bigint_hash(b: &BigInt) -> i32 {
    let mut h: i32 = 0;
    for w in b.magnitude().to_u32_digits().iter().rev() {
        h = h.wrapping_mul(31).wrapping_add(*w as i32);
    }
    match b.sign() {
        Sign::Minus => h.wrapping_neg(),
        Sign::NoSign => 0,
        Sign::Plus => h,
    }
}
