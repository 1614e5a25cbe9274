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
//! order with `ComparableTimSort`'s exceptions for mixed lists.

use std::any::Any;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

use crate::java::math::{as_big_decimal, as_java_float, float_value, BigDecimal};
use crate::java::regex::RegexCache;
use crate::java::{string, JavaException};
use crate::value::{java_equals, Key, List, ListKind, Map, Object, Value};

/// The outcome of a method call or property read.
#[derive(Debug)]
pub enum MethodResult {
    /// The method ran; `Value::Null` when it returned null.
    Value(Value),
    /// No applicable method or property (Velocity renders the reference literally).
    NotFound,
    /// The method threw (Velocity fails the render with a `MethodInvocationException`).
    Exception(JavaException),
}

static EMPTY: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(""));

/// Internal marker: several overloads apply equally well, so Velocity finds no method (and,
/// unlike a plain miss, does not fall back to a parameterless overload).
const AMBIGUOUS: &str = "<ambiguous>";

fn ambiguous() -> MethodResult {
    throw(AMBIGUOUS, "")
}

fn ok(v: Value) -> MethodResult {
    MethodResult::Value(v)
}

/// What Velocity 1.7 returns for a `void` method: the empty String.
fn void() -> MethodResult {
    MethodResult::Value(Value::Str(EMPTY.clone()))
}

fn boolean(b: bool) -> MethodResult {
    ok(Value::Bool(b))
}

fn int(i: i32) -> MethodResult {
    ok(Value::Int(i))
}

fn string_result(s: String) -> MethodResult {
    ok(Value::string(s))
}

/// Reserves memory (and fuel for the work) for a result about to be built. When the render's
/// budget runs out the method returns early with this (the renderer reports the limit).
fn reserve(bytes: usize) -> Result<(), MethodResult> {
    if crate::budget::alloc(bytes) && crate::budget::spend(bytes as u64 / 64) {
        Ok(())
    } else {
        Err(MethodResult::NotFound)
    }
}

/// Builds a result of at most `bound` bytes, charged (with fuel for writing it) before
/// `build` runs; what the result did not use is given back afterwards.
fn within(bound: usize, build: impl FnOnce() -> MethodResult) -> MethodResult {
    let bound = bound.saturating_add(crate::budget::OBJECT);
    if let Err(stop) = reserve(bound) {
        return stop;
    }
    let result = build();
    let used = match &result {
        MethodResult::Value(v) => crate::budget::fresh_size(v),
        _ => 0,
    };
    crate::budget::settle(bound, used);
    result
}

/// A new String holding a copy of `s`, charged before it is copied.
fn copied(s: &str) -> MethodResult {
    if let Err(stop) = reserve(s.len() + crate::budget::OBJECT) {
        return stop;
    }
    ok(Value::str(s))
}

/// Charges big-number work before it is done: `work` fuel and a result of `bits` bits.
fn big_work(work: u64, bits: u64) -> Result<(), MethodResult> {
    if crate::budget::spend(work)
        && crate::budget::alloc((bits / 8) as usize + crate::budget::OBJECT)
    {
        Ok(())
    } else {
        Err(MethodResult::NotFound)
    }
}

/// The length in bytes of `s` after a full case mapping (`to_upper` or not), without
/// building it.
fn case_mapped_len(s: &str, to_upper: bool) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars()
        .map(|c| {
            if to_upper {
                c.to_uppercase().map(char::len_utf8).sum::<usize>()
            } else {
                c.to_lowercase().map(char::len_utf8).sum::<usize>()
            }
        })
        .sum()
}

/// Fuel for multiplying (or dividing) numbers of `a` and `b` bits: the schoolbook bound in
/// 64-bit words (pessimistic for the largest numbers, which multiply faster).
pub(crate) fn multiply_work(a: u64, b: u64) -> u64 {
    let (la, lb) = (a / 64 + 1, b / 64 + 1);
    la.saturating_mul(lb) / 16
}

fn throw(class: &str, msg: impl Into<String>) -> MethodResult {
    MethodResult::Exception(JavaException::new(class, msg))
}

fn npe(msg: &str) -> MethodResult {
    throw("java.lang.NullPointerException", msg)
}

fn ioobe(msg: String) -> MethodResult {
    throw("java.lang.IndexOutOfBoundsException", msg)
}

fn from_result(r: Result<Value, JavaException>) -> MethodResult {
    match r {
        Ok(v) => MethodResult::Value(v),
        Err(e) => MethodResult::Exception(e),
    }
}

/// The module a class lives in, as `ClassCastException` messages describe it.
fn module_of(class: &str) -> &'static str {
    if class.starts_with("java.") {
        "module java.base of loader 'bootstrap'"
    } else {
        "unnamed module of loader 'app'"
    }
}

/// JDK 17's `ClassCastException` for casting `from` to class `to`.
fn class_cast(from: &Value, to: &str) -> MethodResult {
    let f = from.class_name();
    let (mf, mt) = (module_of(f), module_of(to));
    let detail = if mf == mt {
        format!("{f} and {to} are in {mf}")
    } else {
        format!("{f} is in {mf}; {to} is in {mt}")
    };
    throw(
        "java.lang.ClassCastException",
        format!("class {f} cannot be cast to class {to} ({detail})"),
    )
}

// --- argument conversion (Velocity's `MethodMap.isMethodInvocationConvertible`) ---

/// An `int` parameter: only an Integer converts.
fn int_arg(v: &Value) -> Option<i32> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

/// A `long` parameter: Integer or Long.
fn long_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(l) => Some(*l),
        _ => None,
    }
}

/// A `double` parameter: Integer, Long or Double.
fn double_arg(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Long(l) => Some(*l as f64),
        Value::Double(d) => Some(*d),
        _ => None,
    }
}

/// A `String`/`CharSequence` parameter: `Some(Some(s))`, `Some(None)` for null, `None` when
/// the argument does not convert.
fn str_arg(v: &Value) -> Option<Option<&str>> {
    match v {
        Value::Str(s) => Some(Some(s)),
        Value::Null => Some(None),
        _ => None,
    }
}

/// [`collection_arg`] for items about to be added to a list: their entries are charged before
/// they are copied; `Some(Some(empty))` when the budget ran out.
fn collection_arg_charged(v: &Value) -> Option<Option<Vec<Value>>> {
    if let Value::List(l) = v {
        if !crate::budget::reserve(l.items.borrow().len() * crate::budget::ENTRY) {
            return Some(Some(Vec::new()));
        }
    }
    collection_arg(v)
}

/// A `Collection` parameter: a list's items (copied, so the receiver may be the same list),
/// `Some(None)` for null.
fn collection_arg(v: &Value) -> Option<Option<Vec<Value>>> {
    match v {
        Value::List(l) => Some(Some(l.items.borrow().clone())),
        Value::Null => Some(None),
        _ => None,
    }
}

// --- public entry points ---

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

/// Java `hashCode()` of a value; `None` for objects whose hash is their identity.
pub fn java_hash_code(v: &Value) -> Option<Result<i32, JavaException>> {
    hash_depth(v, 0)
}

fn hash_depth(v: &Value, depth: usize) -> Option<Result<i32, JavaException>> {
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
        Value::Str(s) => string::hash_code(s),
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
fn double_hash(d: f64) -> i32 {
    let bits = if d.is_nan() {
        0x7ff8_0000_0000_0000u64
    } else {
        d.to_bits()
    };
    (bits ^ (bits >> 32)) as i32
}

/// `BigInteger.hashCode`: over the big-endian 32-bit words of the magnitude, times the sign.
fn bigint_hash(b: &BigInt) -> i32 {
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

// --- java.lang.String ---

/// A String result that reuses the receiver when the text is unchanged.
fn same_or_new(recv: &Value, original: &str, s: &str) -> MethodResult {
    if s.len() == original.len() {
        ok(recv.clone())
    } else {
        copied(s)
    }
}

fn cow_result(recv: &Value, c: std::borrow::Cow<'_, str>) -> MethodResult {
    match c {
        std::borrow::Cow::Borrowed(b) => match recv {
            Value::Str(s) if b.len() == s.len() => ok(recv.clone()),
            _ => copied(b),
        },
        std::borrow::Cow::Owned(o) => string_result(o),
    }
}

fn string_method(
    s: &str,
    recv: &Value,
    name: &str,
    args: &[Value],
    regex: &mut RegexCache,
) -> MethodResult {
    use string as js;
    match (name, args) {
        ("length", []) => int(js::length(s) as i32),
        ("isEmpty", []) => boolean(s.is_empty()),
        ("toString" | "intern", []) => ok(recv.clone()),
        ("hashCode", []) => int(js::hash_code(s)),
        ("trim", []) => same_or_new(recv, s, js::trim(s)),
        ("toUpperCase", []) => within(case_mapped_len(s, true), || {
            cow_result(recv, js::to_upper_case(s))
        }),
        ("toLowerCase", []) => within(case_mapped_len(s, false), || {
            cow_result(recv, js::to_lower_case(s))
        }),
        ("charAt", [i]) => match int_arg(i) {
            Some(i) => match js::char_at(s, i) {
                Ok(c) => copied(c.encode_utf8(&mut [0; 4])),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("codePointAt", [i]) => match int_arg(i) {
            Some(i) => match js::code_point_at(s, i) {
                Ok(c) => int(c),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("codePointBefore", [i]) => match int_arg(i) {
            Some(i) => {
                if i < 1 || i as usize > js::length(s) {
                    return throw(
                        "java.lang.StringIndexOutOfBoundsException",
                        format!("String index out of range: {i}"),
                    );
                }
                code_point_before(s, i as usize)
            }
            None => MethodResult::NotFound,
        },
        ("codePointCount", [a, b]) => match (int_arg(a), int_arg(b)) {
            (Some(a), Some(b)) => {
                if a < 0 || b < a || b as usize > js::length(s) {
                    return throw("java.lang.IndexOutOfBoundsException", "");
                }
                match js::substring(s, a, Some(b)) {
                    // Each lone surrogate half became one '?', so chars() counts it once.
                    Ok(sub) => int(sub.chars().count() as i32),
                    Err(e) => MethodResult::Exception(e),
                }
            }
            _ => MethodResult::NotFound,
        },
        ("substring", [a]) => match int_arg(a) {
            Some(a) => match js::substring(s, a, None) {
                Ok(c) => cow_result(recv, c),
                Err(e) => MethodResult::Exception(e),
            },
            None => MethodResult::NotFound,
        },
        ("substring" | "subSequence", [a, b]) => match (int_arg(a), int_arg(b)) {
            (Some(a), Some(b)) => match js::substring(s, a, Some(b)) {
                Ok(c) => cow_result(recv, c),
                Err(e) => MethodResult::Exception(e),
            },
            _ => MethodResult::NotFound,
        },
        ("indexOf", [x]) => match x {
            Value::Int(ch) => int(js::index_of_char(s, *ch, 0)),
            Value::Str(t) => int(js::index_of(s, t, 0)),
            Value::Null => npe("Cannot invoke \"String.coder()\" because \"str\" is null"),
            _ => MethodResult::NotFound,
        },
        ("indexOf", [x, from]) => match (x, int_arg(from)) {
            (Value::Int(ch), Some(f)) => int(js::index_of_char(s, *ch, f)),
            (Value::Str(t), Some(f)) => int(js::index_of(s, t, f)),
            (Value::Null, Some(_)) => {
                npe("Cannot read field \"value\" because \"tgtStr\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("lastIndexOf", [x]) => match x {
            Value::Int(ch) => int(js::last_index_of_char(s, *ch, None)),
            Value::Str(t) => int(js::last_index_of(s, t, None)),
            Value::Null => npe("Cannot read field \"value\" because \"tgtStr\" is null"),
            _ => MethodResult::NotFound,
        },
        ("lastIndexOf", [x, from]) => match (x, int_arg(from)) {
            (Value::Int(ch), Some(f)) => int(js::last_index_of_char(s, *ch, Some(f))),
            (Value::Str(t), Some(f)) => int(js::last_index_of(s, t, Some(f))),
            (Value::Null, Some(_)) => {
                npe("Cannot read field \"value\" because \"tgtStr\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("contains", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(s.contains(t)),
            Some(None) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"s\" is null",
            ),
            None => MethodResult::NotFound,
        },
        ("startsWith", [p]) => match str_arg(p) {
            Some(Some(p)) => boolean(s.starts_with(p)),
            Some(None) => npe("Cannot invoke \"String.length()\" because \"prefix\" is null"),
            None => MethodResult::NotFound,
        },
        ("startsWith", [p, off]) => match (str_arg(p), int_arg(off)) {
            (Some(Some(p)), Some(o)) => boolean(js::starts_with(s, p, o)),
            (Some(None), Some(_)) => {
                npe("Cannot invoke \"String.length()\" because \"prefix\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("endsWith", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(js::ends_with(s, t)),
            Some(None) => npe("Cannot invoke \"String.length()\" because \"suffix\" is null"),
            None => MethodResult::NotFound,
        },
        ("equals", [x]) => boolean(matches!(x, Value::Str(t) if **t == *s)),
        ("equalsIgnoreCase", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(js::equals_ignore_case(s, t)),
            Some(None) => boolean(false),
            None => MethodResult::NotFound,
        },
        ("contentEquals", [x]) => match str_arg(x) {
            Some(Some(t)) => boolean(s == t),
            Some(None) => npe(
                "Cannot invoke \"java.lang.CharSequence.length()\" because \"cs\" is null",
            ),
            None => MethodResult::NotFound,
        },
        ("compareTo", [x]) => match x {
            Value::Str(t) => int(js::compare_to(s, t)),
            Value::Null => npe("Cannot read field \"value\" because \"anotherString\" is null"),
            other => class_cast(other, "java.lang.String"),
        },
        ("compareToIgnoreCase", [x]) => match str_arg(x) {
            Some(Some(t)) => int(js::compare_to_ignore_case(s, t)),
            Some(None) => npe("Cannot read field \"value\" because \"s2\" is null"),
            None => MethodResult::NotFound,
        },
        ("concat", [x]) => match str_arg(x) {
            Some(Some("")) => ok(recv.clone()),
            Some(Some(t)) => {
                if let Err(stop) = reserve(s.len() + t.len()) {
                    return stop;
                }
                string_result([s, t].concat())
            }
            Some(None) => npe("Cannot invoke \"String.isEmpty()\" because \"str\" is null"),
            None => MethodResult::NotFound,
        },
        ("replace", [t, r]) => match (str_arg(t), str_arg(r)) {
            (Some(Some(t)), Some(Some(r))) => {
                // The result's size, known before it is built: `replace("", x)` inserts x
                // around every character.
                let count = if t.is_empty() {
                    s.chars().count() + 1
                } else {
                    js::count_matches(s, t)
                };
                let grows = count.saturating_mul(r.len().saturating_sub(t.len()));
                if let Err(stop) = reserve(s.len().saturating_add(grows)) {
                    return stop;
                }
                if count == 0 {
                    // Java returns the string itself when the target does not occur.
                    return ok(recv.clone());
                }
                string_result(js::replace(s, t, r))
            }
            (Some(None), Some(_)) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"target\" is null",
            ),
            (Some(Some(_)), Some(None)) => npe(
                "Cannot invoke \"java.lang.CharSequence.toString()\" because \"replacement\" is null",
            ),
            _ => MethodResult::NotFound,
        },
        ("replaceAll" | "replaceFirst", [re, rep]) => match (str_arg(re), str_arg(rep)) {
            (Some(None), Some(_)) => {
                npe("Cannot invoke \"String.isEmpty()\" because \"this.pattern\" is null")
            }
            (Some(Some(re)), Some(rep)) => {
                let compiled = match regex.get(re) {
                    Ok(c) => c,
                    Err(e) => return MethodResult::Exception(e.into()),
                };
                let all = name == "replaceAll";
                match rep {
                    Some(rep) => match compiled.replace(s, rep, all) {
                        Ok(out) => string_result(out),
                        Err(e) => MethodResult::Exception(e.into()),
                    },
                    None if !all => npe("replacement"),
                    // replaceAll only touches the replacement once something matched.
                    None => match compiled.find_at(s, 0) {
                        Ok(None) => ok(recv.clone()),
                        Ok(Some(_)) => npe(
                            "Cannot invoke \"String.length()\" because \"replacement\" is null",
                        ),
                        Err(e) => MethodResult::Exception(e.into()),
                    },
                }
            }
            _ => MethodResult::NotFound,
        },
        ("matches", [re]) => match str_arg(re) {
            Some(Some(re)) => match js::matches(s, re, regex) {
                Ok(b) => boolean(b),
                Err(e) => MethodResult::Exception(e),
            },
            Some(None) => {
                npe("Cannot invoke \"String.isEmpty()\" because \"this.pattern\" is null")
            }
            None => MethodResult::NotFound,
        },
        ("split", [re]) => split_method(s, re, Some(0), regex),
        ("split", [re, limit]) => split_method(s, re, int_arg(limit), regex),
        ("regionMatches", [t, other, o, len]) => region_matches(s, false, t, other, o, len),
        ("regionMatches", [Value::Bool(ic), t, other, o, len]) => {
            region_matches(s, *ic, t, other, o, len)
        }
        ("valueOf", [x]) => {
            string_result(x.to_java_string().unwrap_or_else(|| "null".to_string()))
        }
        ("join", [d, rest @ ..]) if !rest.is_empty() => join(d, rest),
        // Static String.format(String, Object...), callable on any String.
        ("format", [f, rest @ ..]) => match f {
            Value::Str(f) => match string::format(f, rest) {
                Ok(out) => string_result(out),
                Err(e) => MethodResult::Exception(e),
            },
            // format(Locale, String, Object...) wins for a null first argument.
            Value::Null => match rest {
                [Value::Str(f), args @ ..] => match string::format(f, args) {
                    Ok(out) => string_result(out),
                    Err(e) => MethodResult::Exception(e),
                },
                _ => npe("Cannot invoke \"String.length()\" because \"s\" is null"),
            },
            _ => MethodResult::NotFound,
        },
        ("toCharArray", []) => {
            let units = s.encode_utf16().count();
            within(units * (crate::budget::ENTRY + crate::budget::OBJECT + 3), || {
                // A char[]; Velocity indexes and sizes arrays like lists.
                ok(Value::list(
                    ListKind::Array("[C"),
                    s.encode_utf16()
                        .map(|u| {
                            Value::string(char::from_u32(u as u32).unwrap_or('?').to_string())
                        })
                        .collect(),
                ))
            })
        }
        ("chars" | "codePoints", []) => ok(Value::Object(Rc::new(IntStream))),
        ("getBytes", []) => within(s.len() * crate::budget::ENTRY, || {
            bytes_result(s.as_bytes().to_vec())
        }),
        ("getBytes", [cs]) => match str_arg(cs) {
            // getBytes(String) and getBytes(Charset) both take null.
            Some(None) => ambiguous(),
            None => MethodResult::NotFound,
            // UTF-16 (with its byte-order mark) is the longest encoding.
            Some(Some(cs)) => within((2 * s.len() + 2) * crate::budget::ENTRY, || {
                match encode(s, cs) {
                    Some(b) => bytes_result(b),
                    None => throw("java.io.UnsupportedEncodingException", cs),
                }
            }),
        },
        _ => MethodResult::NotFound,
    }
}

/// A `byte[]` as a list of (signed) Integers (charged by the caller).
fn bytes_result(bytes: Vec<u8>) -> MethodResult {
    ok(Value::list(
        ListKind::Array("[B"),
        bytes
            .into_iter()
            .map(|b| Value::Int(b as i8 as i32))
            .collect(),
    ))
}

/// `String.getBytes(charsetName)` for the common charsets; unmappable characters become `?`.
fn encode(s: &str, charset: &str) -> Option<Vec<u8>> {
    let key: String = charset
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let narrow = |max: u32| {
        s.chars()
            .map(|c| if (c as u32) <= max { c as u8 } else { b'?' })
            .collect()
    };
    Some(match key.as_str() {
        "utf8" => s.as_bytes().to_vec(),
        "iso88591" | "latin1" | "iso8859_1" | "l1" | "cp819" | "ibm819" => narrow(0xFF),
        "usascii" | "ascii" | "646" | "iso646us" => narrow(0x7F),
        "utf16" => [0xFE, 0xFF]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        "utf16be" => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        "utf16le" => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        _ => return None,
    })
}

fn code_point_before(s: &str, index: usize) -> MethodResult {
    // The last two UTF-16 units before `index`, without collecting them.
    let (mut prev, mut last) = (None, None);
    for u in s.encode_utf16().take(index) {
        prev = last;
        last = Some(u);
    }
    let Some(last) = last else {
        return MethodResult::NotFound;
    };
    if (0xDC00..0xE000).contains(&last) {
        if let Some(hi) = prev.filter(|hi| (0xD800..0xDC00).contains(hi)) {
            return int(0x10000 + ((hi as i32 - 0xD800) << 10) + (last as i32 - 0xDC00));
        }
    }
    int(last as i32)
}

fn split_method(s: &str, re: &Value, limit: Option<i32>, regex: &mut RegexCache) -> MethodResult {
    let (Some(re), Some(limit)) = (str_arg(re), limit) else {
        return MethodResult::NotFound;
    };
    let Some(re) = re else {
        return npe("Cannot invoke \"String.length()\" because \"regex\" is null");
    };
    // The parts are charged (an entry and a String each) as the split finds them, and their
    // text before it is copied.
    match string::split(s, re, limit, regex) {
        Ok(_) if crate::budget::tripped().is_some() => MethodResult::NotFound,
        Ok(parts) => {
            if let Err(stop) = reserve(parts.iter().map(|p| p.len()).sum()) {
                return stop;
            }
            ok(Value::list(
                ListKind::Array("[Ljava.lang.String;"),
                parts.into_iter().map(Value::str).collect(),
            ))
        }
        Err(e) => MethodResult::Exception(e),
    }
}

fn region_matches(
    s: &str,
    ignore_case: bool,
    toffset: &Value,
    other: &Value,
    ooffset: &Value,
    len: &Value,
) -> MethodResult {
    let (Some(t), Some(other), Some(o), Some(len)) = (
        int_arg(toffset),
        str_arg(other),
        int_arg(ooffset),
        int_arg(len),
    ) else {
        return MethodResult::NotFound;
    };
    let Some(other) = other else {
        return npe("Cannot read field \"value\" because \"other\" is null");
    };
    let (sl, ol) = (string::length(s) as i64, string::length(other) as i64);
    if o < 0 || t < 0 || t as i64 > sl - len as i64 || o as i64 > ol - len as i64 {
        return boolean(false);
    }
    if len <= 0 {
        return boolean(true);
    }
    let a = string::substring(s, t, Some(t + len));
    let b = string::substring(other, o, Some(o + len));
    match (a, b) {
        (Ok(a), Ok(b)) => boolean(if ignore_case {
            string::equals_ignore_case(&a, &b)
        } else {
            a == b
        }),
        _ => boolean(false),
    }
}

/// `String.join(delimiter, elements...)` and `String.join(delimiter, Iterable)`.
fn join(d: &Value, rest: &[Value]) -> MethodResult {
    let Some(d) = str_arg(d) else {
        return MethodResult::NotFound;
    };
    let listed;
    let items: &[Value] = match rest {
        [Value::List(l)] => {
            listed = l.items.borrow();
            &listed
        }
        // join(CharSequence, CharSequence...) and join(CharSequence, Iterable) both apply.
        [Value::Null] => return ambiguous(),
        _ if rest
            .iter()
            .all(|v| matches!(v, Value::Str(_) | Value::Null)) =>
        {
            rest
        }
        _ => return MethodResult::NotFound,
    };
    let Some(d) = d else {
        return npe("");
    };
    let size = items
        .iter()
        .map(|v| v.as_str().map_or(4, str::len) + d.len())
        .sum::<usize>();
    if let Err(stop) = reserve(size) {
        return stop;
    }
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(d);
        }
        match item {
            Value::Str(s) => out.push_str(s),
            Value::Null => out.push_str("null"),
            other => return class_cast(other, "java.lang.CharSequence"),
        }
    }
    string_result(out)
}

// --- java.util.List ---

fn index_error(i: i64, len: usize) -> MethodResult {
    ioobe(format!("Index {i} out of bounds for length {len}"))
}

fn list_method(l: &Rc<List>, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    crate::cycles::note_change(recv, args);
    let len = l.items.borrow().len();
    // A map's key, value and entry views are Sets/Collections: no index, no insertion.
    if matches!(l.kind, ListKind::MapView(_))
        && !matches!(
            name,
            "size"
                | "isEmpty"
                | "contains"
                | "containsAll"
                | "toString"
                | "equals"
                | "hashCode"
                | "iterator"
                | "toArray"
                | "getClass"
                | "stream"
        )
    {
        if matches!(name, "add" | "addAll") {
            return throw("java.lang.UnsupportedOperationException", String::new());
        }
        return MethodResult::NotFound;
    }
    // Arrays have a fixed size.
    if matches!(l.kind, ListKind::Array(_))
        && matches!(
            name,
            "add" | "addAll" | "remove" | "clear" | "removeAll" | "retainAll"
        )
    {
        return throw("java.lang.UnsupportedOperationException", String::new());
    }
    match (name, args) {
        ("size", []) => int(len as i32),
        ("isEmpty", []) => boolean(len == 0),
        ("get", [i]) => match int_arg(i) {
            Some(i) if i >= 0 && (i as usize) < len => ok(l.items.borrow()[i as usize].clone()),
            Some(i) => index_error(i as i64, len),
            None => MethodResult::NotFound,
        },
        ("add", [x]) => {
            if let Err(stop) = reserve(crate::budget::ENTRY) {
                return stop;
            }
            l.items.borrow_mut().push(x.clone());
            boolean(true)
        }
        ("add", [i, x]) => match int_arg(i) {
            Some(i) if i >= 0 && i as usize <= len => {
                if let Err(stop) = reserve(crate::budget::ENTRY) {
                    return stop;
                }
                l.items.borrow_mut().insert(i as usize, x.clone());
                void()
            }
            Some(i) => ioobe(format!("Index: {i}, Size: {len}")),
            None => MethodResult::NotFound,
        },
        ("set", [i, x]) => match int_arg(i) {
            Some(i) if i >= 0 && (i as usize) < len => ok(std::mem::replace(
                &mut l.items.borrow_mut()[i as usize],
                x.clone(),
            )),
            Some(i) => index_error(i as i64, len),
            None => MethodResult::NotFound,
        },
        ("remove", [x]) => match x {
            // remove(int) wins for an Integer argument.
            Value::Int(i) if *i >= 0 && (*i as usize) < len => {
                ok(l.items.borrow_mut().remove(*i as usize))
            }
            Value::Int(i) => index_error(*i as i64, len),
            _ => {
                let pos = l.items.borrow().iter().position(|v| java_equals(x, v));
                match pos {
                    Some(p) => {
                        l.items.borrow_mut().remove(p);
                        boolean(true)
                    }
                    None => boolean(false),
                }
            }
        },
        ("contains", [x]) => boolean(l.items.borrow().iter().any(|v| java_equals(x, v))),
        ("indexOf", [x]) => int(l
            .items
            .borrow()
            .iter()
            .position(|v| java_equals(x, v))
            .map_or(-1, |p| p as i32)),
        ("lastIndexOf", [x]) => int(l
            .items
            .borrow()
            .iter()
            .rposition(|v| java_equals(x, v))
            .map_or(-1, |p| p as i32)),
        ("clear", []) => {
            l.items.borrow_mut().clear();
            void()
        }
        ("addAll", [c]) => match collection_arg_charged(c) {
            Some(Some(items)) => {
                let changed = !items.is_empty();
                l.items.borrow_mut().extend(items);
                boolean(changed)
            }
            Some(None) => {
                npe("Cannot invoke \"java.util.Collection.toArray()\" because \"c\" is null")
            }
            None => MethodResult::NotFound,
        },
        ("addAll", [i, c]) => match (int_arg(i), collection_arg(c)) {
            (Some(i), Some(_)) if i < 0 || i as usize > len => {
                ioobe(format!("Index: {i}, Size: {len}"))
            }
            (Some(i), Some(Some(items))) => {
                if let Err(stop) = reserve(items.len() * crate::budget::ENTRY) {
                    return stop;
                }
                let changed = !items.is_empty();
                let mut v = l.items.borrow_mut();
                let tail = v.split_off(i as usize);
                v.extend(items);
                v.extend(tail);
                boolean(changed)
            }
            (Some(_), Some(None)) => {
                npe("Cannot invoke \"java.util.Collection.toArray()\" because \"c\" is null")
            }
            _ => MethodResult::NotFound,
        },
        ("removeAll" | "retainAll", [c]) => match collection_arg(c) {
            Some(Some(items)) => {
                let keep_matching = name == "retainAll";
                let mut v = l.items.borrow_mut();
                let before = v.len();
                v.retain(|x| items.iter().any(|y| java_equals(y, x)) == keep_matching);
                boolean(v.len() != before)
            }
            Some(None) => npe(""),
            None => MethodResult::NotFound,
        },
        ("containsAll", [c]) => match collection_arg(c) {
            Some(Some(items)) => {
                let v = l.items.borrow();
                boolean(items.iter().all(|x| v.iter().any(|y| java_equals(x, y))))
            }
            Some(None) => {
                npe("Cannot invoke \"java.util.Collection.iterator()\" because \"c\" is null")
            }
            None => MethodResult::NotFound,
        },
        ("subList", [a, b]) => match (int_arg(a), int_arg(b)) {
            (Some(a), Some(b)) => {
                if a < 0 {
                    ioobe(format!("fromIndex = {a}"))
                } else if b as i64 > len as i64 {
                    ioobe(format!("toIndex = {b}"))
                } else if a > b {
                    throw(
                        "java.lang.IllegalArgumentException",
                        format!("fromIndex({a}) > toIndex({b})"),
                    )
                } else {
                    within((b - a) as usize * crate::budget::ENTRY, || {
                        let items = l.items.borrow()[a as usize..b as usize].to_vec();
                        ok(Value::list(ListKind::ArrayList, items))
                    })
                }
            }
            _ => MethodResult::NotFound,
        },
        ("sort", [Value::Null]) => {
            // n log n comparisons, charged up front; each string comparison also scans.
            let log = u64::from(usize::BITS - len.leading_zeros());
            let text: usize = l
                .items
                .borrow()
                .iter()
                .filter_map(Value::as_str)
                .map(str::len)
                .sum();
            if !crate::budget::spend((len as u64 + text as u64 / 16).saturating_mul(log)) {
                return MethodResult::NotFound;
            }
            let mut items = l.items.borrow().clone();
            match sort_natural(&mut items) {
                Ok(()) => {
                    *l.items.borrow_mut() = items;
                    void()
                }
                Err(e) => MethodResult::Exception(e),
            }
        }
        ("iterator" | "listIterator", []) => ok(Value::Object(Rc::new(JavaIterator {
            list: l.clone(),
            next: std::cell::Cell::new(0),
        }))),
        ("toJSONString", []) if l.kind == ListKind::JsonArray => {
            let mut out = String::new();
            crate::json::write_json_smart(recv, &mut out);
            string_result(out)
        }
        _ => MethodResult::NotFound,
    }
}

/// `((Comparable) recv).compareTo(arg)`; `what` names `recv` in a null-pointer message.
fn compare_to(recv: &Value, arg: &Value, what: &str) -> Result<Ordering, JavaException> {
    let cce = |from: &Value, to: &str| match class_cast(from, to) {
        MethodResult::Exception(e) => e,
        _ => JavaException::new("java.lang.ClassCastException", ""),
    };
    let comparable = match recv {
        Value::Str(_)
        | Value::Int(_)
        | Value::Long(_)
        | Value::Double(_)
        | Value::Bool(_)
        | Value::BigInt(_) => true,
        Value::Object(_) => as_java_float(recv).is_some() || as_big_decimal(recv).is_some(),
        Value::Null => {
            return Err(JavaException::new(
                "java.lang.NullPointerException",
                format!(
                    "Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"{what}\" is null"
                ),
            ))
        }
        _ => false,
    };
    if !comparable {
        return Err(cce(recv, "java.lang.Comparable"));
    }
    if arg.is_null() {
        let field = if matches!(recv, Value::BigInt(_)) {
            "signum"
        } else {
            "value"
        };
        return Err(JavaException::new(
            "java.lang.NullPointerException",
            format!(
                "Cannot read field \"{field}\" because \"{}\" is null",
                field_owner(recv)
            ),
        ));
    }
    Ok(match (recv, arg) {
        (Value::Str(a), Value::Str(b)) => string::compare_to(a, b).cmp(&0),
        (Value::Str(_), _) => return Err(cce(arg, "java.lang.String")),
        (Value::Int(a), Value::Int(b)) => a.cmp(b),
        (Value::Int(_), _) => return Err(cce(arg, "java.lang.Integer")),
        (Value::Long(a), Value::Long(b)) => a.cmp(b),
        (Value::Long(_), _) => return Err(cce(arg, "java.lang.Long")),
        (Value::Double(a), Value::Double(b)) => double_compare(*a, *b),
        (Value::Double(_), _) => return Err(cce(arg, "java.lang.Double")),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        (Value::Bool(_), _) => return Err(cce(arg, "java.lang.Boolean")),
        (Value::BigInt(a), Value::BigInt(b)) => a.cmp(b),
        (Value::BigInt(_), _) => return Err(cce(arg, "java.math.BigInteger")),
        (Value::Object(_), _) => match (as_java_float(recv), as_big_decimal(recv)) {
            (Some(a), _) => match as_java_float(arg) {
                Some(b) => double_compare(a as f64, b as f64),
                None => return Err(cce(arg, "java.lang.Float")),
            },
            (_, Some(a)) => match as_big_decimal(arg) {
                Some(b) => a.cmp_value(b),
                None => return Err(cce(arg, "java.math.BigDecimal")),
            },
            _ => return Err(cce(recv, "java.lang.Comparable")),
        },
        _ => return Err(cce(recv, "java.lang.Comparable")),
    })
}

/// The parameter name in JDK 17's `compareTo(null)` message for the receiver's class.
fn field_owner(recv: &Value) -> &'static str {
    match recv {
        Value::Str(_) => "anotherString",
        Value::Int(_) => "anotherInteger",
        Value::Long(_) => "anotherLong",
        Value::Double(_) => "anotherDouble",
        Value::Bool(_) => "b",
        Value::Object(_) if as_java_float(recv).is_some() => "anotherFloat",
        _ => "val",
    }
}

/// `List.sort(null)`: natural ordering, as `ComparableTimSort` does it (its comparison order
/// for lists under 32 elements, so the same exception comes out for mixed lists).
fn sort_natural(a: &mut [Value]) -> Result<(), JavaException> {
    let n = a.len();
    if n < 2 {
        return Ok(());
    }
    if n >= 32 {
        let mut err = None;
        a.sort_by(|x, y| match compare_to(x, y, "a[runHi]") {
            Ok(o) => o,
            Err(e) => {
                err.get_or_insert(e);
                Ordering::Equal
            }
        });
        return err.map_or(Ok(()), Err);
    }
    // countRunAndMakeAscending
    let mut run_hi;
    if compare_to(&a[1], &a[0], "a[runHi]")? == Ordering::Less {
        run_hi = 2;
        while run_hi < n && compare_to(&a[run_hi], &a[run_hi - 1], "a[runHi]")? == Ordering::Less {
            run_hi += 1;
        }
        a[..run_hi].reverse();
    } else {
        run_hi = 2;
        while run_hi < n && compare_to(&a[run_hi], &a[run_hi - 1], "a[runHi]")? != Ordering::Less {
            run_hi += 1;
        }
    }
    // binarySort
    for start in run_hi..n {
        let pivot = a[start].clone();
        let (mut left, mut right) = (0, start);
        while left < right {
            let mid = (left + right) / 2;
            if compare_to(&pivot, &a[mid], "pivot")? == Ordering::Less {
                right = mid;
            } else {
                left = mid + 1;
            }
        }
        a[left..=start].rotate_right(1);
    }
    Ok(())
}

/// `String.chars()` / `codePoints()`: a Java 8 `IntStream`, which only prints (its class and an
/// address); stream operations are not available.
pub struct IntStream;

impl Object for IntStream {
    fn class_name(&self) -> &str {
        "java.util.stream.IntPipeline$Head"
    }

    fn to_java_string(&self) -> Option<String> {
        Some(format!(
            "java.util.stream.IntPipeline$Head@{:x}",
            (self as *const Self as usize >> 4) & 0x7fff_ffff
        ))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `ArrayList.iterator()`: `hasNext()`, `next()`; `#foreach` drains what is left.
/// Whether the cycle collector knows the references `o` holds (see [`object_references`]).
pub(crate) fn is_walked_object(o: &dyn Object) -> bool {
    o.as_any().is::<MapEntry>() || o.as_any().is::<JavaIterator>()
}

/// Calls `f` for each reference a map entry or an iterator holds, once per reference.
pub(crate) fn object_references(o: &dyn Object, f: &mut dyn FnMut(&Value)) {
    if let Some(e) = o.as_any().downcast_ref::<MapEntry>() {
        f(&e.key);
        if let Ok(v) = e.value.try_borrow() {
            f(&v);
        }
        f(&Value::Map(e.map.clone()));
    } else if let Some(it) = o.as_any().downcast_ref::<JavaIterator>() {
        f(&Value::List(it.list.clone()));
    }
}

/// Empties a map entry's value (the collector's way to break a cycle through `setValue`).
pub(crate) fn empty_object(o: &dyn Object, freed: &mut Vec<Value>) {
    if let Some(e) = o.as_any().downcast_ref::<MapEntry>() {
        if let Ok(mut v) = e.value.try_borrow_mut() {
            freed.push(std::mem::take(&mut *v));
        }
    }
}

pub struct JavaIterator {
    list: Rc<List>,
    next: std::cell::Cell<usize>,
}

impl Object for JavaIterator {
    fn class_name(&self) -> &str {
        "java.util.ArrayList$Itr"
    }

    fn to_java_string(&self) -> Option<String> {
        Some(format!(
            "java.util.ArrayList$Itr@{:x}",
            (self as *const Self as usize >> 4) & 0x7fff_ffff
        ))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        let i = self.next.get();
        let len = self.list.items.borrow().len();
        Some(Ok(match (name, args) {
            ("hasNext", []) => Value::Bool(i < len),
            ("next", []) => match self.list.items.borrow().get(i) {
                Some(v) => {
                    self.next.set(i + 1);
                    v.clone()
                }
                None => {
                    return Some(Err(JavaException::new(
                        "java.util.NoSuchElementException",
                        "",
                    )))
                }
            },
            // The renderer's protocol for iterating an object: the remaining items.
            ("iterator", []) => {
                self.next.set(len);
                let rest = self.list.items.borrow().get(i..).unwrap_or(&[]).to_vec();
                Value::list(ListKind::ArrayList, rest)
            }
            ("getClass", []) => Value::Object(Rc::new(JavaClass {
                name: self.class_name().to_string(),
            })),
            _ => return None,
        }))
    }
}

// --- java.util.Map ---

fn map_method(m: &Rc<Map>, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
    crate::cycles::note_change(recv, args);
    match (name, args) {
        ("get", [k]) => ok(m
            .entries
            .borrow()
            .get(&Key(k.clone()))
            .cloned()
            .unwrap_or(Value::Null)),
        ("put", [k, v]) => {
            if let Err(stop) = reserve(crate::budget::MAP_ENTRY) {
                return stop;
            }
            ok(m.entries
                .borrow_mut()
                .insert(Key(k.clone()), v.clone())
                .unwrap_or(Value::Null))
        }
        ("remove", [k]) => ok(m
            .entries
            .borrow_mut()
            .shift_remove(&Key(k.clone()))
            .unwrap_or(Value::Null)),
        ("containsKey", [k]) => boolean(m.entries.borrow().contains_key(&Key(k.clone()))),
        ("containsValue", [v]) => boolean(m.entries.borrow().values().any(|x| java_equals(v, x))),
        ("size", []) => int(m.entries.borrow().len() as i32),
        ("isEmpty", []) => boolean(m.entries.borrow().is_empty()),
        ("keySet", []) => within(m.entries.borrow().len() * crate::budget::ENTRY, || {
            ok(Value::list(
                ListKind::MapView("java.util.LinkedHashMap$LinkedKeySet"),
                m.entries.borrow().keys().map(|k| k.0.clone()).collect(),
            ))
        }),
        ("values", []) => within(m.entries.borrow().len() * crate::budget::ENTRY, || {
            ok(Value::list(
                ListKind::MapView("java.util.LinkedHashMap$LinkedValues"),
                m.entries.borrow().values().cloned().collect(),
            ))
        }),
        ("entrySet", []) => {
            let n = m.entries.borrow().len();
            if let Err(stop) = reserve(n * (crate::budget::ENTRY + crate::budget::MAP_ENTRY)) {
                return stop;
            }
            ok(Value::list(
                ListKind::MapView("java.util.LinkedHashMap$LinkedEntrySet"),
                m.entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| {
                        Value::Object(Rc::new(MapEntry {
                            key: k.0.clone(),
                            value: RefCell::new(v.clone()),
                            map: m.clone(),
                        }))
                    })
                    .collect(),
            ))
        }
        ("putAll", [other]) => match other {
            Value::Map(o) => {
                if let Err(stop) = reserve(o.entries.borrow().len() * crate::budget::MAP_ENTRY) {
                    return stop;
                }
                let items: Vec<(Key, Value)> = o
                    .entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                m.entries.borrow_mut().extend(items);
                void()
            }
            Value::Null => npe("Cannot invoke \"java.util.Map.size()\" because \"m\" is null"),
            _ => MethodResult::NotFound,
        },
        ("clear", []) => {
            m.entries.borrow_mut().clear();
            void()
        }
        ("getOrDefault", [k, d]) => ok(m
            .entries
            .borrow()
            .get(&Key(k.clone()))
            .cloned()
            .unwrap_or_else(|| d.clone())),
        ("putIfAbsent", [k, v]) => {
            if let Err(stop) = reserve(crate::budget::MAP_ENTRY) {
                return stop;
            }
            let key = Key(k.clone());
            let existing = m.entries.borrow().get(&key).cloned();
            match existing {
                Some(e) if !e.is_null() => ok(e),
                _ => {
                    m.entries.borrow_mut().insert(key, v.clone());
                    ok(Value::Null)
                }
            }
        }
        _ => {
            let _ = recv;
            MethodResult::NotFound
        }
    }
}

// --- numbers and Boolean ---

/// `Integer.parseInt`-style parsing of a decimal integer (`+`/`-` sign, no spaces).
fn parse_java_integer(s: Option<&str>, min: i64, max: i64) -> Result<i64, JavaException> {
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
fn parse_java_double(s: Option<&str>) -> Result<f64, JavaException> {
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
fn parse_hex_float(s: &str) -> Option<f64> {
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
fn static_number_method(class: &str, name: &str, args: &[Value]) -> MethodResult {
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

fn radix_string(v: u64, name: &str) -> String {
    match name {
        "toHexString" => format!("{v:x}"),
        "toOctalString" => format!("{v:o}"),
        _ => format!("{v:b}"),
    }
}

fn ordering(o: Ordering) -> MethodResult {
    int(match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

fn integer_method(i: i32, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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

fn long_method(l: i64, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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
fn double_compare(a: f64, b: f64) -> Ordering {
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

fn double_method(d: f64, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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

/// `java.lang.Float` methods (the value type is [`crate::java::math::JavaFloat`]).
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
fn float_bits(f: f32) -> i32 {
    if f.is_nan() {
        0x7fc0_0000
    } else {
        f.to_bits() as i32
    }
}

fn big_arg(v: &Value) -> Option<Option<&BigInt>> {
    match v {
        Value::BigInt(b) => Some(Some(b)),
        Value::Null => Some(None),
        _ => None,
    }
}

fn bigint_method(b: &BigInt, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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
fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    let (mut x, mut y) = (a.abs(), b.abs());
    while !y.is_zero() {
        let r = &x % &y;
        x = y;
        y = r;
    }
    x
}

fn boolean_method(b: bool, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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

// --- objects made here ---

/// A `java.lang.Class` (what `$x.class` / `$x.getClass()` returns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaClass {
    /// The binary class name, e.g. `java.util.LinkedHashMap$Entry`.
    pub name: String,
}

impl JavaClass {
    fn simple_name(&self) -> &str {
        let tail = self.name.rsplit('.').next().unwrap_or(&self.name);
        tail.rsplit('$').next().unwrap_or(tail)
    }
}

impl Object for JavaClass {
    fn class_name(&self) -> &str {
        "java.lang.Class"
    }

    fn to_java_string(&self) -> Option<String> {
        Some(format!("class {}", self.name))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        Some(Ok(match (name, args) {
            ("getName" | "getTypeName", []) => Value::str(&self.name),
            ("getSimpleName", []) => Value::str(self.simple_name()),
            ("getCanonicalName", []) => Value::string(self.name.replace('$', ".")),
            ("isArray" | "isInterface" | "isPrimitive" | "isEnum" | "isAnnotation", []) => {
                Value::Bool(false)
            }
            ("toString", []) => Value::string(format!("class {}", self.name)),
            ("equals", [x]) => Value::Bool(matches!(
                x,
                Value::Object(o) if o.as_any().downcast_ref::<JavaClass>() == Some(self)
            )),
            ("getClass", []) => Value::Object(Rc::new(JavaClass {
                name: "java.lang.Class".to_string(),
            })),
            _ => return None,
        }))
    }
}

/// A `Map.Entry` from `entrySet()`: `getKey()`, `getValue()`, `setValue(v)` (which writes
/// through to the map, as Java's does), printing `key=value`.
pub struct MapEntry {
    key: Value,
    value: RefCell<Value>,
    map: Rc<Map>,
}

impl MapEntry {
    /// The entry's key.
    pub fn key(&self) -> &Value {
        &self.key
    }

    /// The entry's current value.
    pub fn value(&self) -> Value {
        self.value.borrow().clone()
    }
}

impl Object for MapEntry {
    fn class_name(&self) -> &str {
        "java.util.LinkedHashMap$Entry"
    }

    fn to_java_string(&self) -> Option<String> {
        let mut out = String::new();
        if !self.key.write_java(&mut out) {
            out.push_str("null");
        }
        out.push('=');
        if !self.value.borrow().write_java(&mut out) {
            out.push_str("null");
        }
        Some(out)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        Some(Ok(match (name, args) {
            ("getKey", []) => self.key.clone(),
            ("getValue", []) => self.value(),
            ("setValue", [v]) => {
                crate::cycles::note_change(&Value::Map(self.map.clone()), args);
                let key = Key(self.key.clone());
                if let Some(slot) = self.map.entries.borrow_mut().get_mut(&key) {
                    *slot = v.clone();
                }
                self.value.replace(v.clone())
            }
            ("toString", []) => Value::string(self.to_java_string().unwrap_or_default()),
            ("equals", [Value::Object(o)]) => {
                Value::Bool(o.as_any().downcast_ref::<MapEntry>().is_some_and(|e| {
                    java_equals(&e.key, &self.key)
                        && java_equals(&e.value.borrow(), &self.value.borrow())
                }))
            }
            ("equals", [_]) => Value::Bool(false),
            ("getClass", []) => Value::Object(Rc::new(JavaClass {
                name: self.class_name().to_string(),
            })),
            ("hashCode", []) => {
                let kh = hash_depth(&self.key, 1)?;
                let vh = hash_depth(&self.value.borrow(), 1)?;
                return Some(kh.and_then(|k| vh.map(|v| Value::Int(k ^ v))));
            }
            _ => return None,
        }))
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
            if (plain.scale as i64).abs() > crate::java::math::MAX_POW10 {
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
                    match crate::java::math::pow10_checked(d.scale as i64) {
                        Ok(p) => &d.unscaled / p,
                        Err(e) => return MethodResult::Exception(e),
                    }
                }
            } else {
                match crate::java::math::pow10_checked(-(d.scale as i64)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values come from Velocity 1.7 on JDK 17 (the oracle), rendering `$recv.m(args)`.

    fn call(recv: &Value, name: &str, args: &[Value]) -> MethodResult {
        call_method(recv, name, args, &mut RegexCache::default())
    }

    /// An array result's elements, printed as a list would print them.
    fn items(r: MethodResult) -> String {
        match r {
            MethodResult::Value(Value::List(l)) => {
                Value::list(ListKind::ArrayList, l.items.borrow().clone())
                    .to_java_string()
                    .unwrap_or_default()
            }
            other => show(other),
        }
    }

    fn show(r: MethodResult) -> String {
        match r {
            MethodResult::Value(v) => match v.to_java_string() {
                Some(s) => s,
                None => "<null>".to_string(),
            },
            MethodResult::NotFound => "<not found>".to_string(),
            MethodResult::Exception(e) => format!("!{e}"),
        }
    }

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn i(x: i32) -> Value {
        Value::Int(x)
    }

    fn list(items: Vec<Value>) -> Value {
        Value::list(ListKind::ArrayList, items)
    }

    fn map(items: Vec<(&str, Value)>) -> Value {
        let m: crate::value::Entries = items.into_iter().map(|(k, v)| (Key::from(k), v)).collect();
        Value::map(m)
    }

    fn prop(recv: &Value, name: &str) -> String {
        show(get_property(recv, name, &mut RegexCache::default()))
    }

    #[test]
    fn list_methods_and_overloads() {
        let l = list(vec![i(10), i(20), i(30)]);
        assert_eq!(show(call(&l, "remove", &[i(1)])), "20");
        assert_eq!(show(ok(l.clone())), "[10, 30]");
        let l = list(vec![i(10), Value::Long(5000000000)]);
        assert_eq!(show(call(&l, "remove", &[Value::Long(5000000000)])), "true");
        assert_eq!(show(ok(l.clone())), "[10]");
        let l = list(vec![s("a"), s("b")]);
        assert_eq!(show(call(&l, "clear", &[])), "");
        let l = list(vec![s("a"), s("b")]);
        assert_eq!(show(call(&l, "add", &[i(5)])), "true");
        assert_eq!(show(call(&l, "add", &[i(0), i(5)])), "");
        assert_eq!(show(ok(l.clone())), "[5, a, b, 5]");
        assert_eq!(show(call(&l, "set", &[i(0), s("z")])), "5");
        let l = list(vec![s("a"), s("b")]);
        assert_eq!(
            show(call(&l, "get", &[i(5)])),
            "!java.lang.IndexOutOfBoundsException: Index 5 out of bounds for length 2"
        );
        assert_eq!(
            show(call(&l, "get", &[i(-1)])),
            "!java.lang.IndexOutOfBoundsException: Index -1 out of bounds for length 2"
        );
        assert_eq!(show(call(&l, "get", &[Value::Long(1)])), "<not found>");
        assert_eq!(show(call(&l, "get", &[Value::Double(1.0)])), "<not found>");
        assert_eq!(show(call(&l, "get", &[s("0")])), "<not found>");
        assert_eq!(show(call(&l, "subList", &[i(0), i(1)])), "[a]");
        assert_eq!(
            show(call(&l, "subList", &[i(0), i(5)])),
            "!java.lang.IndexOutOfBoundsException: toIndex = 5"
        );
        let one = list(vec![i(10)]);
        assert_eq!(
            show(call(&one, "add", &[i(5), i(1)])),
            "!java.lang.IndexOutOfBoundsException: Index: 5, Size: 1"
        );
        assert_eq!(
            show(call(&one, "subList", &[i(1), i(0)])),
            "!java.lang.IllegalArgumentException: fromIndex(1) > toIndex(0)"
        );
        assert_eq!(
            show(call(&one, "subList", &[i(-1), i(0)])),
            "!java.lang.IndexOutOfBoundsException: fromIndex = -1"
        );
        assert_eq!(
            show(call(&one, "addAll", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.util.Collection.toArray()\" because \"c\" is null"
        );
        let l = list(vec![i(1), i(2), i(3), i(2)]);
        let o = list(vec![i(2), i(5)]);
        assert_eq!(
            show(call(&l, "removeAll", std::slice::from_ref(&o))),
            "true"
        );
        assert_eq!(show(ok(l.clone())), "[1, 3]");
        assert_eq!(
            show(call(&l, "retainAll", std::slice::from_ref(&o))),
            "true"
        );
        assert_eq!(show(ok(l.clone())), "[]");
        assert_eq!(show(call(&l, "containsAll", &[o])), "false");
        let l = list(vec![i(10), Value::Long(5000000000), i(10)]);
        assert_eq!(show(call(&l, "indexOf", &[i(10)])), "0");
        assert_eq!(show(call(&l, "lastIndexOf", &[i(10)])), "2");
        assert_eq!(show(call(&l, "indexOf", &[s("10")])), "-1");
        let l = list(vec![i(1), i(2)]);
        assert_eq!(show(call(&l, "hashCode", &[])), "994");
        assert_eq!(show(call(&l, "equals", &[list(vec![i(1), i(2)])])), "true");
        assert_eq!(prop(&l, "empty"), "false");
        assert_eq!(prop(&l, "class"), "class java.util.ArrayList");
        let l = list(vec![i(10)]);
        assert_eq!(show(call(&l, "addAll", std::slice::from_ref(&l))), "true");
        assert_eq!(show(ok(l)), "[10, 10]");
        let l = list(vec![i(1)]);
        assert_eq!(
            show(call(&l, "addAll", &[map(vec![("a", i(1))])])),
            "<not found>"
        );
    }

    #[test]
    fn map_methods_and_properties() {
        let m = map(vec![("a", i(1)), ("class", s("x")), ("empty", s("e"))]);
        assert_eq!(prop(&m, "class"), "class java.util.LinkedHashMap");
        assert_eq!(prop(&m, "empty"), "e");
        assert_eq!(show(call(&m, "size", &[])), "3");
        let m = map(vec![("a", i(1)), ("b", list(vec![i(1), i(2)]))]);
        assert_eq!(show(call(&m, "keySet", &[])), "[a, b]");
        assert_eq!(show(call(&m, "values", &[])), "[1, [1, 2]]");
        assert_eq!(show(call(&m, "entrySet", &[])), "[a=1, b=[1, 2]]");
        assert_eq!(show(call(&m, "put", &[s("c"), i(3)])), "<null>");
        assert_eq!(show(call(&m, "put", &[s("a"), i(9)])), "1");
        assert_eq!(show(ok(m.clone())), "{a=9, b=[1, 2], c=3}");
        assert_eq!(show(call(&m, "remove", &[s("a")])), "9");
        assert_eq!(show(call(&m, "remove", &[s("zz")])), "<null>");
        assert_eq!(show(call(&m, "get", &[i(1)])), "<null>");
        assert_eq!(show(call(&m, "containsKey", &[s("b")])), "true");
        let m = map(vec![("1", s("s"))]);
        assert_eq!(show(call(&m, "put", &[i(1), i(2)])), "<null>");
        assert_eq!(show(call(&m, "get", &[i(1)])), "2");
        assert_eq!(show(call(&m, "get", &[s("1")])), "s");
        assert_eq!(show(ok(m)), "{1=s, 1=2}");
        let m = map(vec![("a", i(1)), ("n", Value::Null)]);
        assert_eq!(show(call(&m, "getOrDefault", &[s("x"), i(5)])), "5");
        assert_eq!(show(call(&m, "putIfAbsent", &[s("a"), i(9)])), "1");
        assert_eq!(show(call(&m, "putIfAbsent", &[s("n"), i(9)])), "<null>");
        assert_eq!(show(call(&m, "putIfAbsent", &[s("b"), i(7)])), "<null>");
        assert_eq!(show(ok(m.clone())), "{a=1, n=9, b=7}");
        assert_eq!(show(call(&m, "putAll", &[map(vec![("c", i(2))])])), "");
        assert_eq!(
            show(call(&m, "putAll", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.util.Map.size()\" because \"m\" is null"
        );
        assert_eq!(show(call(&map(vec![("a", i(1))]), "hashCode", &[])), "96");
        // Entries: properties, class, write-through setValue.
        let m = map(vec![("a", i(1))]);
        let entries = match call(&m, "entrySet", &[]) {
            MethodResult::Value(Value::List(l)) => l.items.borrow().clone(),
            _ => panic!("entrySet"),
        };
        let e = &entries[0];
        assert_eq!(prop(e, "class"), "class java.util.LinkedHashMap$Entry");
        assert_eq!(show(call(e, "getKey", &[])), "a");
        assert_eq!(show(call(e, "setValue", &[i(7)])), "1");
        assert_eq!(show(ok(m)), "{a=7}");
    }

    #[test]
    fn string_methods() {
        let h = s("hello");
        assert_eq!(show(call(&h, "substring", &[i(1), i(3)])), "el");
        assert_eq!(
            show(call(&h, "substring", &[i(6)])),
            "!java.lang.StringIndexOutOfBoundsException: begin 6, end 5, length 5"
        );
        assert_eq!(
            show(call(&h, "substring", &[Value::Long(1)])),
            "<not found>"
        );
        assert_eq!(show(call(&h, "indexOf", &[i(108)])), "2");
        assert_eq!(show(call(&h, "compareTo", &[s("hellp")])), "-1");
        assert_eq!(
            show(call(&h, "compareTo", &[i(5)])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')"
        );
        assert_eq!(show(call(&h, "equals", &[i(5)])), "false");
        assert_eq!(show(call(&h, "contains", &[i(5)])), "<not found>");
        assert_eq!(
            show(call(&h, "contains", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"java.lang.CharSequence.toString()\" because \"s\" is null"
        );
        assert_eq!(
            show(call(&h, "indexOf", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"String.coder()\" because \"str\" is null"
        );
        assert_eq!(show(call(&h, "equalsIgnoreCase", &[Value::Null])), "false");
        assert_eq!(show(call(&h, "compareToIgnoreCase", &[s("HELLZ")])), "-11");
        assert_eq!(show(call(&h, "startsWith", &[s("el"), i(1)])), "true");
        assert_eq!(show(call(&h, "concat", &[s("!")])), "hello!");
        assert_eq!(show(call(&h, "replace", &[s(""), s("-")])), "-h-e-l-l-o-");
        assert_eq!(
            show(call(&h, "replaceAll", &[s("(l)"), s("<$1>")])),
            "he<l><l>o"
        );
        assert_eq!(
            show(call(&h, "replaceAll", &[s("l"), s("$2")])),
            "!java.lang.IndexOutOfBoundsException: No group 2"
        );
        assert_eq!(
            show(call(&h, "replaceAll", &[s("z"), Value::Null])),
            "hello"
        );
        assert_eq!(
            show(call(&s("abc"), "replaceAll", &[s("b"), Value::Null])),
            "!java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"replacement\" is null"
        );
        assert_eq!(
            show(call(&s("abc"), "replaceFirst", &[s("b"), Value::Null])),
            "!java.lang.NullPointerException: replacement"
        );
        assert_eq!(show(call(&h, "matches", &[s("h.*")])), "true");
        assert_eq!(
            items(call(&s("a,b,,c,,"), "split", &[s(",")])),
            "[a, b, , c]"
        );
        assert_eq!(
            items(call(&s("a,b,,c,,"), "split", &[s(","), i(-1)])),
            "[a, b, , c, , ]"
        );
        assert_eq!(
            show(call(&s("abc"), "split", &[s(","), Value::Long(1)])),
            "<not found>"
        );
        assert_eq!(show(call(&s(" ab "), "trim", &[])), "ab");
        assert_eq!(show(call(&s(" ab "), "isBlank", &[])), "<not found>");
        assert_eq!(show(call(&h, "charAt", &[i(1)])), "e");
        assert_eq!(show(call(&h, "hashCode", &[])), "99162322");
        assert_eq!(prop(&h, "empty"), "false");
        assert_eq!(prop(&h, "Empty"), "false");
        assert_eq!(prop(&h, "class"), "class java.lang.String");
        assert_eq!(prop(&h, "length"), "<not found>");
        assert_eq!(show(call(&h, "valueOf", &[Value::Null])), "null");
        assert_eq!(show(call(&h, "valueOf", &[list(vec![i(1)])])), "[1]");
        assert_eq!(show(call(&h, "valueOf", &[Value::Double(1.5)])), "1.5");
        assert_eq!(
            show(call(&h, "join", &[s(","), list(vec![s("a"), s("b")])])),
            "a,b"
        );
        assert_eq!(
            show(call(&h, "join", &[s(","), Value::Null])),
            "<not found>"
        );
        assert_eq!(
            show(call(&h, "join", &[s(","), list(vec![s("a"), Value::Null, i(1)])])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.CharSequence (java.lang.Integer and java.lang.CharSequence are in module java.base of loader 'bootstrap')"
        );
        let abc = s("abc");
        assert_eq!(
            show(call(&abc, "regionMatches", &[i(1), s("xbc"), i(1), i(2)])),
            "true"
        );
        assert_eq!(
            show(call(
                &abc,
                "regionMatches",
                &[Value::Bool(true), i(0), s("ABC"), i(0), i(3)]
            )),
            "true"
        );
        assert_eq!(show(call(&abc, "codePointBefore", &[i(1)])), "97");
        assert_eq!(
            show(call(&abc, "codePointBefore", &[i(0)])),
            "!java.lang.StringIndexOutOfBoundsException: String index out of range: 0"
        );
        assert_eq!(show(call(&abc, "codePointCount", &[i(0), i(3)])), "3");
        assert_eq!(
            show(call(&abc, "codePointCount", &[i(2), i(1)])),
            "!java.lang.IndexOutOfBoundsException"
        );
        assert_eq!(show(call(&abc, "subSequence", &[i(0), i(2)])), "ab");
    }

    #[test]
    fn number_methods() {
        let five = i(5);
        assert_eq!(show(call(&five, "doubleValue", &[])), "5.0");
        assert_eq!(show(call(&five, "compareTo", &[i(3)])), "1");
        assert_eq!(show(call(&five, "equals", &[i(5)])), "true");
        assert_eq!(show(call(&five, "equals", &[Value::Null])), "false");
        assert_eq!(show(call(&i(300), "byteValue", &[])), "44");
        assert_eq!(prop(&i(300), "class"), "class java.lang.Integer");
        assert_eq!(prop(&i(300), "intValue"), "<not found>");
        assert_eq!(
            show(call(&i(1), "compareTo", &[Value::Double(2.5)])),
            "!java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')"
        );
        assert_eq!(
            show(call(&i(1), "compareTo", &[Value::Null])),
            "!java.lang.NullPointerException: Cannot read field \"value\" because \"anotherInteger\" is null"
        );
        let l = Value::Long(5000000000);
        assert_eq!(show(call(&l, "intValue", &[])), "705032704");
        assert_eq!(show(call(&l, "doubleValue", &[])), "5.0E9");
        assert_eq!(show(call(&l, "hashCode", &[])), "705032705");
        let d = Value::Double(2.5);
        assert_eq!(show(call(&d, "intValue", &[])), "2");
        assert_eq!(show(call(&d, "hashCode", &[])), "1074003968");
        assert_eq!(show(call(&d, "compareTo", &[Value::Double(1.0)])), "1");
        assert_eq!(prop(&d, "NaN"), "false");
        assert_eq!(prop(&d, "naN"), "false");
        assert_eq!(prop(&d, "infinite"), "false");
        let z = Value::Double(0.0);
        assert_eq!(show(call(&z, "compareTo", &[Value::Double(-0.0)])), "1");
        assert_eq!(
            show(call(&Value::Double(-0.0), "hashCode", &[])),
            "-2147483648"
        );
        let b = Value::BigInt(Rc::new("-50000000000000000000000".parse().unwrap()));
        assert_eq!(show(call(&b, "intValue", &[])), "-2067791872");
        assert_eq!(show(call(&b, "longValue", &[])), "9123183826594430976");
        assert_eq!(show(call(&b, "doubleValue", &[])), "-4.9999999999999996E22");
        assert_eq!(show(call(&b, "hashCode", &[])), "-646045969");
        assert_eq!(show(call(&b, "signum", &[])), "-1");
        assert_eq!(show(call(&b, "bitLength", &[])), "76");
        assert_eq!(show(call(&b, "add", &[i(1)])), "<not found>");
        let p = Value::BigInt(Rc::new("50000000000000000000001".parse().unwrap()));
        assert_eq!(show(call(&p, "intValue", &[])), "2067791873");
        assert_eq!(show(call(&p, "longValue", &[])), "-9123183826594430975");
        assert_eq!(show(call(&p, "hashCode", &[])), "646045970");
        assert_eq!(
            show(call(&p, "pow", &[i(-1)])),
            "!java.lang.ArithmeticException: Negative exponent"
        );
        let t = Value::Bool(true);
        assert_eq!(show(call(&t, "hashCode", &[])), "1231");
        assert_eq!(show(call(&t, "compareTo", &[Value::Bool(false)])), "1");
        assert_eq!(show(call(&t, "parseBoolean", &[s("TRUE")])), "true");
        assert_eq!(show(call(&t, "parseBoolean", &[Value::Null])), "false");
    }

    #[test]
    fn float_values() {
        let f = call(&Value::Double(0.1), "floatValue", &[]);
        assert_eq!(show(call(&i(5), "floatValue", &[])), "5.0");
        assert_eq!(
            show(call(&Value::Long(3000000001), "floatValue", &[])),
            "3.0E9"
        );
        let b = Value::BigInt(Rc::new("12345678901234567890123".parse().unwrap()));
        assert_eq!(show(call(&b, "floatValue", &[])), "1.2345679E22");
        let MethodResult::Value(f) = f else {
            panic!("floatValue")
        };
        assert_eq!(show(ok(f.clone())), "0.1");
        assert_eq!(show(call(&f, "intValue", &[])), "0");
        assert_eq!(show(call(&f, "doubleValue", &[])), "0.10000000149011612");
        assert_eq!(show(call(&f, "hashCode", &[])), "1036831949");
        assert_eq!(prop(&f, "class"), "class java.lang.Float");
        assert_eq!(show(call(&f, "compareTo", std::slice::from_ref(&f))), "0");
        assert_eq!(show(call(&f, "equals", std::slice::from_ref(&f))), "true");
        assert_eq!(
            show(call(&f, "compareTo", &[i(1)])),
            "!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.Float (java.lang.Integer and java.lang.Float are in module java.base of loader 'bootstrap')"
        );
    }

    #[test]
    fn static_wrapper_methods() {
        let one = i(1);
        assert_eq!(show(call(&one, "parseInt", &[s("+5")])), "5");
        assert_eq!(show(call(&one, "parseInt", &[s("-0")])), "0");
        assert_eq!(
            show(call(&one, "parseInt", &[s(" 5")])),
            "!java.lang.NumberFormatException: For input string: \" 5\""
        );
        assert_eq!(
            show(call(&one, "parseInt", &[s("2147483648")])),
            "!java.lang.NumberFormatException: For input string: \"2147483648\""
        );
        assert_eq!(
            show(call(&one, "parseInt", &[Value::Null])),
            "!java.lang.NumberFormatException: Cannot parse null string"
        );
        assert_eq!(show(call(&one, "toHexString", &[i(-1)])), "ffffffff");
        assert_eq!(show(call(&one, "toString", &[i(-5)])), "-5");
        let l = Value::Long(5000000000);
        assert_eq!(show(call(&l, "parseLong", &[s("123")])), "123");
        assert!(matches!(
            call(&l, "valueOf", &[i(9)]),
            MethodResult::Value(Value::Long(9))
        ));
        let d = Value::Double(1.5);
        assert_eq!(show(call(&d, "parseDouble", &[s(" 1.5d ")])), "1.5");
        assert_eq!(show(call(&d, "parseDouble", &[s("1e3")])), "1000.0");
        assert_eq!(show(call(&d, "parseDouble", &[s(".5")])), "0.5");
        assert_eq!(show(call(&d, "parseDouble", &[s("5.")])), "5.0");
        assert_eq!(
            show(call(&d, "parseDouble", &[s("-Infinity")])),
            "-Infinity"
        );
        assert_eq!(show(call(&d, "parseDouble", &[s("0x1p3")])), "8.0");
        assert_eq!(
            show(call(&d, "parseDouble", &[s("inf")])),
            "!java.lang.NumberFormatException: For input string: \"inf\""
        );
        assert_eq!(
            show(call(&d, "parseDouble", &[s("")])),
            "!java.lang.NumberFormatException: empty String"
        );
    }

    #[test]
    fn velocity_quirks() {
        let wrong = "!java.lang.IllegalArgumentException: wrong number of arguments";
        assert_eq!(show(call(&list(vec![i(1)]), "size", &[i(5)])), wrong);
        assert_eq!(show(call(&map(vec![]), "clear", &[i(1)])), wrong);
        assert_eq!(show(call(&s("a"), "toUpperCase", &[i(1)])), wrong);
        assert_eq!(show(call(&s("a"), "trim", &[i(1), i(2)])), wrong);
        assert_eq!(show(call(&s("a"), "getClass", &[i(1)])), wrong);
        assert_eq!(show(call(&s("a"), "length", &[Value::Null])), wrong);
        assert_eq!(
            show(call(&Value::Bool(true), "booleanValue", &[i(1)])),
            wrong
        );
        assert_eq!(show(call(&i(1), "intValue", &[i(1)])), wrong);
        assert_eq!(show(call(&s("a"), "foo", &[i(1)])), "<not found>");
        assert_eq!(show(call(&i(1), "hashCode", &[i(7)])), "7");
        assert_eq!(show(call(&Value::Double(1.5), "isNaN", &[i(1)])), "false");
        let b = Value::BigInt(Rc::new("12345678901234567890123".parse().unwrap()));
        assert_eq!(show(call(&b, "toString", &[i(16)])), "29d42b64e76714244cb");
    }

    #[test]
    fn sort_with_null_comparator() {
        let sorted = |items: Vec<Value>| {
            let l = list(items);
            let r = show(call(&l, "sort", &[Value::Null]));
            format!("[{r}]{}", show(ok(l)))
        };
        assert_eq!(sorted(vec![s("b"), s("a"), s("C")]), "[][C, a, b]");
        assert_eq!(sorted(vec![i(3), i(1), i(2)]), "[][1, 2, 3]");
        assert_eq!(
            sorted(vec![Value::Bool(true), Value::Bool(false)]),
            "[][false, true]"
        );
        assert_eq!(
            sorted(vec![i(1), s("a")]),
            "[!java.lang.ClassCastException: class java.lang.Integer cannot be cast to class java.lang.String (java.lang.Integer and java.lang.String are in module java.base of loader 'bootstrap')][1, a]"
        );
        assert_eq!(
            sorted(vec![Value::Double(2.5), i(1), i(3)]),
            "[!java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')][2.5, 1, 3]"
        );
        assert_eq!(
            sorted(vec![i(2), Value::Null, i(1)]),
            "[!java.lang.NullPointerException: Cannot invoke \"java.lang.Comparable.compareTo(Object)\" because \"a[runHi]\" is null][2, null, 1]"
        );
        assert_eq!(
            sorted(vec![list(vec![i(1)]), list(vec![i(2)])]),
            "[!java.lang.ClassCastException: class java.util.ArrayList cannot be cast to class java.lang.Comparable (java.util.ArrayList and java.lang.Comparable are in module java.base of loader 'bootstrap')][[1], [2]]"
        );
        assert_eq!(
            sorted(vec![Value::Long(3000000000), i(1)]),
            "[!java.lang.ClassCastException: class java.lang.Long cannot be cast to class java.lang.Integer (java.lang.Long and java.lang.Integer are in module java.base of loader 'bootstrap')][3000000000, 1]"
        );
        let many: Vec<Value> = (0..40).rev().map(i).collect();
        let l = list(many);
        assert_eq!(show(call(&l, "sort", &[Value::Null])), "");
        assert_eq!(show(call(&l, "get", &[i(0)])), "0");
    }

    #[test]
    fn arrays_and_iterators() {
        let t = s("hé😀");
        assert_eq!(items(call(&t, "toCharArray", &[])), "[h, é, ?, ?]");
        assert!(show(call(&t, "toCharArray", &[])).starts_with("[C@"));
        let bytes = |args: &[Value]| match call(&t, "getBytes", args) {
            MethodResult::Value(Value::List(l)) => l.items.borrow().clone(),
            other => panic!("{}", show(other)),
        };
        assert_eq!(bytes(&[]).len(), 7);
        assert_eq!(show(ok(bytes(&[])[1].clone())), "-61");
        assert_eq!(bytes(&[s("ISO-8859-1")]).len(), 3);
        assert_eq!(bytes(&[s("utf-16")]).len(), 10);
        assert_eq!(show(ok(bytes(&[s("US-ASCII")])[1].clone())), "63");
        assert_eq!(
            show(call(&s("a"), "getBytes", &[s("nope")])),
            "!java.io.UnsupportedEncodingException: nope"
        );
        assert_eq!(
            show(call(&s("a"), "getBytes", &[Value::Null])),
            "<not found>"
        );
        let l = list(vec![i(1), i(2)]);
        let MethodResult::Value(it) = call(&l, "iterator", &[]) else {
            panic!("iterator")
        };
        assert_eq!(show(call(&it, "hasNext", &[])), "true");
        assert_eq!(show(call(&it, "next", &[])), "1");
        assert_eq!(show(call(&it, "next", &[])), "2");
        assert_eq!(show(call(&it, "hasNext", &[])), "false");
        assert_eq!(
            show(call(&it, "next", &[])),
            "!java.util.NoSuchElementException"
        );
    }

    #[test]
    fn classes() {
        let c = class_of(&s("x"));
        assert_eq!(show(call(&c, "getName", &[])), "java.lang.String");
        assert_eq!(prop(&c, "simpleName"), "String");
        assert_eq!(prop(&c, "canonicalName"), "java.lang.String");
        assert_eq!(prop(&c, "interface"), "false");
        assert_eq!(show(call(&c, "equals", &[class_of(&s("y"))])), "true");
    }
}
