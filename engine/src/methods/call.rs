//! What every method shares: the [`MethodResult`] of a call, the helpers that build one (and
//! charge what a result costs before building it), Java's exceptions, and Velocity's argument
//! conversions (`MethodMap.isMethodInvocationConvertible`).

use std::sync::{Arc, LazyLock};

use crate::java::JavaException;
use crate::value::Value;

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

pub(crate) static EMPTY: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(""));

/// Internal marker: several overloads apply equally well, so Velocity finds no method (and,
/// unlike a plain miss, does not fall back to a parameterless overload).
pub(crate) const AMBIGUOUS: &str = "<ambiguous>";

pub(crate) fn ambiguous() -> MethodResult {
    throw(AMBIGUOUS, "")
}

pub(crate) fn ok(v: Value) -> MethodResult {
    MethodResult::Value(v)
}

/// What Velocity 1.7 returns for a `void` method: the empty String.
pub(crate) fn void() -> MethodResult {
    MethodResult::Value(Value::Str(EMPTY.clone()))
}

pub(crate) fn boolean(b: bool) -> MethodResult {
    ok(Value::Bool(b))
}

pub(crate) fn int(i: i32) -> MethodResult {
    ok(Value::Int(i))
}

pub(crate) fn string_result(s: String) -> MethodResult {
    ok(Value::string(s))
}

/// Reserves memory (and fuel for the work) for a result about to be built. When the render's
/// budget runs out the method returns early with this (the renderer reports the limit).
pub(crate) fn reserve(bytes: usize) -> Result<(), MethodResult> {
    if crate::budget::alloc(bytes) && crate::budget::spend(bytes as u64 / 64) {
        Ok(())
    } else {
        Err(MethodResult::NotFound)
    }
}

/// Builds a result of at most `bound` bytes, charged (with fuel for writing it) before
/// `build` runs; what the result did not use is given back afterwards.
pub(crate) fn within(bound: usize, build: impl FnOnce() -> MethodResult) -> MethodResult {
    let bound = bound.saturating_add(crate::budget::OBJECT);
    if let Err(stop) = reserve(bound) {
        return stop;
    }
    let result = build();
    let used = match &result {
        MethodResult::Value(v) => v.fresh_size(),
        _ => 0,
    };
    crate::budget::settle(bound, used);
    result
}

/// A new String holding a copy of `s`, charged before it is copied.
pub(crate) fn copied(s: &str) -> MethodResult {
    if let Err(stop) = reserve(s.len() + crate::budget::OBJECT) {
        return stop;
    }
    ok(Value::str(s))
}

/// Charges big-number work before it is done: `work` fuel and a result of `bits` bits.
pub(crate) fn big_work(work: u64, bits: u64) -> Result<(), MethodResult> {
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
pub(crate) fn case_mapped_len(s: &str, to_upper: bool) -> usize {
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

pub(crate) fn throw(class: &str, msg: impl Into<String>) -> MethodResult {
    MethodResult::Exception(JavaException::new(class, msg))
}

pub(crate) fn npe(msg: &str) -> MethodResult {
    throw("java.lang.NullPointerException", msg)
}

pub(crate) fn ioobe(msg: String) -> MethodResult {
    throw("java.lang.IndexOutOfBoundsException", msg)
}

pub(crate) fn from_result(r: Result<Value, JavaException>) -> MethodResult {
    match r {
        Ok(v) => MethodResult::Value(v),
        Err(e) => MethodResult::Exception(e),
    }
}

/// The module a class lives in, as `ClassCastException` messages describe it.
pub(crate) fn module_of(class: &str) -> &'static str {
    if class.starts_with("java.") {
        "module java.base of loader 'bootstrap'"
    } else {
        "unnamed module of loader 'app'"
    }
}

/// JDK 17's `ClassCastException` for casting `from` to class `to`.
pub(crate) fn class_cast(from: &Value, to: &str) -> MethodResult {
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
pub(crate) fn int_arg(v: &Value) -> Option<i32> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

/// A `long` parameter: Integer or Long.
pub(crate) fn long_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(l) => Some(*l),
        _ => None,
    }
}

/// A `double` parameter: Integer, Long or Double.
pub(crate) fn double_arg(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Long(l) => Some(*l as f64),
        Value::Double(d) => Some(*d),
        _ => None,
    }
}

/// A `String`/`CharSequence` parameter: `Some(Some(s))`, `Some(None)` for null, `None` when
/// the argument does not convert.
pub(crate) fn str_arg(v: &Value) -> Option<Option<&str>> {
    match v {
        Value::Str(s) => Some(Some(s)),
        Value::Null => Some(None),
        _ => None,
    }
}

/// [`collection_arg`] for items about to be added to a list: their entries are charged before
/// they are copied; `Some(Some(empty))` when the budget ran out.
pub(crate) fn collection_arg_charged(v: &Value) -> Option<Option<Vec<Value>>> {
    if let Value::List(l) = v {
        if !crate::budget::reserve(l.items.borrow().len() * crate::budget::ENTRY) {
            return Some(Some(Vec::new()));
        }
    }
    collection_arg(v)
}

/// A `Collection` parameter: a list's items (copied, so the receiver may be the same list),
/// `Some(None)` for null.
pub(crate) fn collection_arg(v: &Value) -> Option<Option<Vec<Value>>> {
    match v {
        Value::List(l) => Some(Some(l.items.borrow().clone())),
        Value::Null => Some(None),
        _ => None,
    }
}
