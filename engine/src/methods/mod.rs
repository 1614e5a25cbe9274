//! Java methods and properties that templates call on plain values (String, List, Map,
//! Integer/Long/Double/BigInteger, Boolean), resolved the way Velocity 1.7's `UberspectImpl`
//! resolves them on JDK 17.
//!
//! Overloads are chosen like Velocity's `MethodMap`: an `int` parameter accepts only an
//! Integer (a Long argument does not match, so `$s.substring($long)` is "method not found"),
//! a `long` parameter accepts Integer or Long, a `double` one any of Integer/Long/Double, an
//! object parameter anything including null; `$list.remove(1)` with an Integer removes by
//! index. Generic methods keep their erased bridge: `$s.compareTo(5)` throws
//! `ClassCastException` rather than being "not found".
//!
//! Differences from Java, all deliberate:
//! * `void` methods return `""`, which is what Velocity 1.7's `ASTMethod` returns for them
//!   (`$list.clear()` renders nothing and `#set($x = $list.clear())` makes `$x` the empty
//!   String);
//! * `keySet()`, `values()`, `entrySet()` and `subList()` return new `ArrayList` copies, not
//!   views: writes to them do not reach the original, `keySet().add(x)` does not throw, and
//!   their class is `java.util.ArrayList` (`toString()` is the same as Java's);
//! * `split()` returns an `ArrayList`, where Java returns a `String[]` (which Velocity prints as
//!   `[Ljava.lang.String;@1b6d3586`, but indexes, sizes and iterates like a list);
//! * `charAt()` returns a one-character String where Java returns a `Character` (they print
//!   and compare alike in Velocity);
//! * `toCharArray()` and `getBytes()` return lists (of one-character Strings and of signed byte
//!   Integers) where Java returns arrays (which Velocity prints as `[C@1b6d3586`);
//! * `iterator()` on a list is a cursor over the live list without
//!   `ConcurrentModificationException` checks;
//! * only the Java 8 `String` API is offered (AWS runs Velocity on Java 8, the oracle on
//!   Java 17): no `isBlank`, `strip`, `repeat`, `lines`; stream methods (`chars`,
//!   `codePoints`) are not offered; `String.format` has no `%t` and `%a` conversions.
//!
//! Velocity 1.7 quirks reproduced: a method without parameters counts as applicable to any
//! arguments, so `$s.length(1)` throws `IllegalArgumentException: wrong number of arguments`
//! (unless another overload applies); static methods can be called on instances
//! (`$s.valueOf(1)`, `$s.format(...)`, `$i.parseInt("4")`); `List.sort(null)` sorts by natural
//!
//! Files: this one dispatches a call or property read on the receiver's type; `string.rs`,
//! `list.rs`, `map.rs`, `number.rs` and `class.rs` hold each type's methods; `call.rs` what
//! they share (results, exceptions, argument conversions).

mod call;
mod class;
mod list;
mod map;
mod number;
mod string;

use std::rc::Rc;

use self::string::*;
use crate::java::hash::java_hash_code;
use crate::java::regex::RegexCache;
use crate::value::{java_equals, Value};
use call::*;
pub(crate) use call::{multiply_work, MethodResult};
use class::*;
use list::*;
use map::*;
use number::*;

/// Calls Java method `name` on `recv` with Velocity's overload rules.
///
/// Host objects (`Value::Object`) are asked first through [`Object::call_method`]; the
/// methods every Java object has (`getClass`, `toString`, `equals`, `hashCode`) are the
/// fallback.
pub fn call_method(
    recv: &Value,
    name: &str,
    args: &[Value],
    regex: &mut RegexCache,
) -> MethodResult {
    let r = match recv {
        Value::Null => return MethodResult::NotFound,
        Value::Str(s) => string_method(s, recv, name, args, regex),
        Value::List(l) => list_method(l, recv, name, args),
        Value::Map(m) => map_method(m, recv, name, args),
        Value::Int(i) => integer_method(*i, recv, name, args),
        Value::Long(l) => long_method(*l, recv, name, args),
        Value::Double(d) => double_method(*d, recv, name, args),
        Value::BigInt(b) => bigint_method(b, recv, name, args),
        Value::Bool(b) => boolean_method(*b, recv, name, args),
        Value::Object(o) => match o.call_method(name, args) {
            Some(r) => from_result(r),
            None => MethodResult::NotFound,
        },
    };
    match r {
        MethodResult::Exception(e) if e.class == AMBIGUOUS => MethodResult::NotFound,
        MethodResult::NotFound => match object_method(recv, name, args) {
            // Velocity 1.7 considers a method without parameters applicable to any arguments
            // and invokes it, which fails in reflection.
            MethodResult::NotFound if !args.is_empty() && has_zero_arg_method(recv, name) => throw(
                "java.lang.IllegalArgumentException",
                "wrong number of arguments",
            ),
            r => r,
        },
        r => r,
    }
}

/// Does the receiver's Java class (Java 8 API) have a public method `name()` without
/// parameters?
fn has_zero_arg_method(recv: &Value, name: &str) -> bool {
    const OBJECT: &[&str] = &[
        "getClass",
        "hashCode",
        "toString",
        "notify",
        "notifyAll",
        "wait",
    ];
    const NUMBER: &[&str] = &[
        "byteValue",
        "shortValue",
        "intValue",
        "longValue",
        "floatValue",
        "doubleValue",
    ];
    let own: &[&str] = match recv {
        Value::Str(_) => &[
            "length",
            "isEmpty",
            "toCharArray",
            "getBytes",
            "trim",
            "intern",
            "toLowerCase",
            "toUpperCase",
            "chars",
            "codePoints",
        ],
        Value::List(_) => &[
            "size",
            "isEmpty",
            "clear",
            "iterator",
            "listIterator",
            "toArray",
            "trimToSize",
            "clone",
            "stream",
            "parallelStream",
            "spliterator",
        ],
        Value::Map(_) => &[
            "size", "isEmpty", "clear", "keySet", "values", "entrySet", "clone",
        ],
        Value::Int(_) | Value::Long(_) => NUMBER,
        Value::Double(_) => &["isNaN", "isInfinite"],
        Value::BigInt(_) => &[
            "negate",
            "abs",
            "signum",
            "bitLength",
            "bitCount",
            "getLowestSetBit",
            "not",
            "toByteArray",
            "longValueExact",
            "intValueExact",
            "shortValueExact",
            "byteValueExact",
        ],
        Value::Bool(_) => &["booleanValue"],
        Value::Object(o) => match o.class_name() {
            "java.lang.Float" => &["isNaN", "isInfinite"],
            "java.math.BigDecimal" => &[
                "negate",
                "abs",
                "signum",
                "scale",
                "precision",
                "unscaledValue",
                "toPlainString",
                "toEngineeringString",
                "stripTrailingZeros",
                "ulp",
                "toBigInteger",
            ],
            "java.util.LinkedHashMap$Entry" => &["getKey", "getValue"],
            "java.util.ArrayList$Itr" => &["hasNext", "next", "remove"],
            "java.lang.Class" => &[
                "getName",
                "getSimpleName",
                "getCanonicalName",
                "getTypeName",
            ],
            _ => return false,
        },
        Value::Null => return false,
    };
    let number = matches!(recv, Value::Double(_) | Value::BigInt(_))
        || matches!(recv, Value::Object(o) if matches!(o.class_name(), "java.lang.Float" | "java.math.BigDecimal"));
    own.contains(&name) || OBJECT.contains(&name) || (number && NUMBER.contains(&name))
}

/// `class` and `Class`: on a map they read its Java class (`getClass()`), not an entry.
#[inline]
pub(crate) fn is_class_property(name: &str) -> bool {
    name.len() == 5 && (name == "class" || name == "Class")
}

/// Reads property `name` of `recv` the way Velocity 1.7's `UberspectImpl.getPropertyGet`
/// does: `getName()`/`getname()`, then `Map.get("name")`, then `isName()`/`isname()`.
pub fn get_property(recv: &Value, name: &str, regex: &mut RegexCache) -> MethodResult {
    if let Value::Map(m) = recv {
        if is_class_property(name) {
            return ok(class_of(recv));
        }
        return ok(m.get_str(name).unwrap_or(Value::Null));
    }
    if let Value::Object(o) = recv {
        if let Some(v) = o.get_property(name) {
            return ok(v);
        }
    }
    if name.is_empty() {
        return MethodResult::NotFound;
    }
    let flipped = flip_first(name);
    for prefix in ["get", "is"] {
        for n in [name, flipped.as_str()] {
            let method = format!("{prefix}{n}");
            match call_method(recv, &method, &[], regex) {
                MethodResult::NotFound => {}
                MethodResult::Value(v) if prefix == "is" && !matches!(v, Value::Bool(_)) => {}
                r => return r,
            }
        }
    }
    MethodResult::NotFound
}

/// `name` with its first character's case flipped (Velocity's second getter spelling).
fn flip_first(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) if f.is_lowercase() => f.to_uppercase().chain(c).collect(),
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `x.getClass()`: a `java.lang.Class` object for the value's class.
pub fn class_of(v: &Value) -> Value {
    Value::Object(Rc::new(JavaClass {
        name: v.class_name().to_string(),
    }))
}

/// The methods of `java.lang.Object` (for every receiver).
fn object_method(recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    match (name, args) {
        ("getClass", []) => ok(class_of(recv)),
        ("toString", []) => match recv.to_java_string() {
            Some(s) => string_result(s),
            None => MethodResult::NotFound,
        },
        ("equals", [x]) => boolean(java_equals(recv, x)),
        ("hashCode", []) => match java_hash_code(recv) {
            Some(Ok(h)) => int(h),
            Some(Err(e)) => MethodResult::Exception(e),
            None => MethodResult::NotFound,
        },
        _ => MethodResult::NotFound,
    }
}

#[cfg(test)]
mod tests;
