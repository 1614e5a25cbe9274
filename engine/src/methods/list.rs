//! `java.util.List` methods, and the objects lists hand out (`iterator()`, `IntStream`).

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use super::call::*;
use super::class::JavaClass;
use super::number::double_compare;
use crate::java::decimal::{as_big_decimal, as_java_float};
use crate::java::{string, JavaException};
use crate::value::{java_equals, List, ListKind, Object, Value};

pub(crate) fn index_error(i: i64, len: usize) -> MethodResult {
    ioobe(format!("Index {i} out of bounds for length {len}"))
}

pub(crate) fn list_method(l: &Rc<List>, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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
            crate::print::write_json_smart(recv, &mut out);
            string_result(out)
        }
        _ => MethodResult::NotFound,
    }
}

/// `((Comparable) recv).compareTo(arg)`; `what` names `recv` in a null-pointer message.
pub(crate) fn compare_to(recv: &Value, arg: &Value, what: &str) -> Result<Ordering, JavaException> {
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
pub(crate) fn field_owner(recv: &Value) -> &'static str {
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
pub(crate) fn sort_natural(a: &mut [Value]) -> Result<(), JavaException> {
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
pub struct JavaIterator {
    pub(crate) list: Rc<List>,
    pub(crate) next: std::cell::Cell<usize>,
}

impl Object for JavaIterator {
    fn holds_values(&self) -> bool {
        true
    }

    fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        f(&Value::List(self.list.clone()));
    }

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
