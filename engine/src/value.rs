//! The value model: what a VTL expression evaluates to.
//!
//! Velocity 1.7 works on Java objects, so values here mirror the Java types a template sees:
//! `Integer`, `Long`, `BigInteger`, `Double`, `Boolean`, `String`, `ArrayList`/`JSONArray` and
//! `LinkedHashMap`. Lists and maps are shared mutable references, as in Java: `#set($b = $a)`
//! aliases, and `$a.add(1)` is seen through `$b`.

use std::cell::RefCell;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use num_bigint::BigInt;

use crate::fxhash::FxHasher;
use crate::java::JavaException;

/// How deep `toString()` follows nested collections before printing `(...)`.
pub(crate) const MAX_PRINT_DEPTH: usize = 100;

/// A runtime value (a Java object, or null).
#[derive(Clone, Default)]
pub enum Value {
    /// Java `null`: an undefined reference, a missing property, a void method.
    #[default]
    Null,
    /// `java.lang.Boolean`.
    Bool(bool),
    /// `java.lang.Integer`.
    Int(i32),
    /// `java.lang.Long`.
    Long(i64),
    /// `java.math.BigInteger`.
    BigInt(Rc<BigInt>),
    /// `java.lang.Double`.
    Double(f64),
    /// `java.lang.String`.
    Str(Arc<str>),
    /// `java.util.List` (an `ArrayList` or a json-smart `JSONArray`).
    List(Rc<List>),
    /// `java.util.Map` (a `LinkedHashMap`).
    Map(Rc<Map>),
    /// A host object (`$input`, `$util`, a `#foreach` scope, a `#define` block, …).
    Object(Rc<dyn Object>),
}

/// Which Java list class a list is; it decides how the list prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `java.util.ArrayList`: prints `[1, a, {k=v}]`.
    ArrayList,
    /// `net.minidev.json.JSONArray`: prints compact JSON `[1,"a",{"k":"v"}]`.
    JsonArray,
    /// A `Set` or `Collection` view of a map (`keySet()`, `values()`, `entrySet()`), with
    /// its class name: prints as a list, but has no index (`get`, `$s[0]`).
    MapView(&'static str),
    /// A Java array (`byte[]`, `char[]`, `String[]`), with its binary class name (`[B`):
    /// indexed and sized like a list, printed as `[B@` and a deterministic pseudo-address.
    Array(&'static str),
}

/// A mutable list shared by reference.
pub struct List {
    /// The Java class this list stands for.
    pub kind: ListKind,
    /// The elements.
    pub items: RefCell<Vec<Value>>,
}

/// Which Java map class a map is; it decides how the map prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    /// `java.util.LinkedHashMap` (also json-smart's objects): prints `{k=v, k2=v2}`.
    LinkedHashMap,
    /// A nested `$context` object on API Gateway: prints as empty, otherwise a normal map.
    Context,
}

/// The entries of a map, in insertion order (with a fast hasher: keys are template data).
pub type Entries = IndexMap<Key, Value, BuildHasherDefault<FxHasher>>;

/// A mutable, insertion-ordered map shared by reference.
pub struct Map {
    /// The Java class this map stands for.
    pub kind: MapKind,
    /// The entries, in insertion order.
    pub entries: RefCell<Entries>,
}

/// How many nested lists and maps a drop frees by plain recursion before it switches to a
/// work list (a few KB of stack).
const DROP_RECURSION: u32 = 64;

thread_local! {
    /// The nesting of the drops in progress on this thread.
    static DROP_DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Drops `children`: by recursion near the top, with a work list below [`DROP_RECURSION`]
/// levels, so that a template that nests a list a million levels deep cannot overflow the
/// stack, while shallow documents are freed without the list.
fn drop_nested<T>(children: T, pending: impl FnOnce(T) -> Vec<Value>) {
    let depth = DROP_DEPTH.get();
    if depth < DROP_RECURSION {
        DROP_DEPTH.set(depth + 1);
        drop(children);
        DROP_DEPTH.set(depth);
    } else {
        drop_children(pending(children));
    }
}

/// Frees values with a work list instead of recursion.
fn drop_children(mut pending: Vec<Value>) {
    while let Some(v) = pending.pop() {
        match v {
            Value::List(rc) => {
                if let Ok(list) = Rc::try_unwrap(rc) {
                    pending.extend(std::mem::take(&mut *list.items.borrow_mut()));
                }
            }
            Value::Map(rc) => {
                if let Ok(map) = Rc::try_unwrap(rc) {
                    let entries = std::mem::take(&mut *map.entries.borrow_mut());
                    for (k, v) in entries {
                        pending.push(k.0);
                        pending.push(v);
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::List(_) | Value::Map(_))
}

impl Drop for List {
    fn drop(&mut self) {
        let items = self.items.get_mut();
        if items.iter().any(is_container) {
            drop_nested(std::mem::take(items), |items| items);
        }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        let entries = self.entries.get_mut();
        if entries
            .iter()
            .any(|(k, v)| is_container(&k.0) || is_container(v))
        {
            drop_nested(std::mem::take(entries), |entries| {
                let mut pending = Vec::with_capacity(entries.len() * 2);
                for (k, v) in entries {
                    pending.push(k.0);
                    pending.push(v);
                }
                pending
            });
        }
    }
}

/// A map key with Java `equals`/`hashCode` semantics (`Integer(1)` and `Long(1)` differ).
#[derive(Clone, Debug)]
pub struct Key(pub Value);

/// A host object: something with Java methods and properties that is not plain data.
pub trait Object {
    /// The Java class name, used in messages (e.g. `java.lang.String`).
    fn class_name(&self) -> &str;
    /// `toString()`; `None` means the object does not print (Velocity prints the reference).
    fn to_java_string(&self) -> Option<String>;
    /// Lets the renderer and host modules find the concrete type.
    fn as_any(&self) -> &dyn std::any::Any;
    /// Velocity's property lookup (`$obj.name`); `None` when there is no such property.
    fn get_property(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }
    /// A method call; `None` when the object has no such method.
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        let _ = (name, args);
        None
    }
    /// Whether the object holds values that a template can tie into a reference cycle
    /// (a map entry, an iterator, a `#foreach` scope); the cycle collector walks only these.
    fn holds_values(&self) -> bool {
        false
    }
    /// Calls `f` for each value the object holds, once per reference.
    fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        let _ = f;
    }
    /// Moves out the values the object may give up (the cycle collector's way to break a
    /// cycle through it) into `freed`.
    fn give_up_values(&self, freed: &mut Vec<Value>) {
        let _ = freed;
    }
}

impl Value {
    /// A `String` value.
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A `String` value from an owned string.
    pub fn string(s: String) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A new list of the given kind.
    pub fn list(kind: ListKind, items: Vec<Value>) -> Value {
        Value::List(Rc::new(List {
            kind,
            items: RefCell::new(items),
        }))
    }

    /// A new `LinkedHashMap`.
    pub fn map(entries: Entries) -> Value {
        Value::Map(Rc::new(Map {
            kind: MapKind::LinkedHashMap,
            entries: RefCell::new(entries),
        }))
    }

    /// An integral value of the narrowest Java type that holds it, as Jackson/json-smart do.
    pub fn from_i64(n: i64) -> Value {
        match i32::try_from(n) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Long(n),
        }
    }

    /// An integral value from a big integer, narrowed to Integer or Long where it fits.
    pub fn from_bigint(n: BigInt) -> Value {
        match i64::try_from(&n) {
            Ok(l) => Value::from_i64(l),
            Err(_) => Value::BigInt(Rc::new(n)),
        }
    }

    /// The bytes a freshly built string, list or map holds (shallow), for charging after a call
    /// that built it.
    pub(crate) fn fresh_size(&self) -> usize {
        use crate::budget::{ENTRY, MAP_ENTRY, OBJECT};
        match self {
            Value::Str(s) if std::sync::Arc::strong_count(s) == 1 => s.len() + OBJECT,
            Value::List(l) if std::rc::Rc::strong_count(l) == 1 => {
                let items = l.items.borrow();
                let strings: usize = items
                    .iter()
                    .map(|i| match i {
                        Value::Str(s) if std::sync::Arc::strong_count(s) == 1 => s.len() + OBJECT,
                        _ => 0,
                    })
                    .sum();
                items.len() * ENTRY + strings + OBJECT
            }
            Value::Map(m) if std::rc::Rc::strong_count(m) == 1 => {
                m.entries.borrow().len() * MAP_ENTRY + OBJECT
            }
            Value::BigInt(b) if std::rc::Rc::strong_count(b) == 1 => {
                (b.bits() / 8) as usize + OBJECT
            }
            _ => 0,
        }
    }

    /// True for Java `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string content, if this is a `String`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// True for the numeric types.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Int(_) | Value::Long(_) | Value::BigInt(_) | Value::Double(_)
        )
    }

    /// The Java class name of this value (`null` for null).
    pub fn class_name(&self) -> &str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "java.lang.Boolean",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::BigInt(_) => "java.math.BigInteger",
            Value::Double(_) => "java.lang.Double",
            Value::Str(_) => "java.lang.String",
            Value::List(l) => match l.kind {
                ListKind::ArrayList => "java.util.ArrayList",
                ListKind::MapView(class) | ListKind::Array(class) => class,
                ListKind::JsonArray => "net.minidev.json.JSONArray",
            },
            Value::Map(_) => "java.util.LinkedHashMap",
            Value::Object(o) => o.class_name(),
        }
    }

    /// Velocity's truth test for `#if`: null → false, Boolean → its value, anything else → true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            _ => true,
        }
    }
}

impl PartialEq for Key {
    #[inline]
    fn eq(&self, other: &Key) -> bool {
        match (&self.0, &other.0) {
            // The usual key: text, compared without the budget's bookkeeping (a string
            // holds nothing to recurse into).
            (Value::Str(a), Value::Str(b)) => Arc::ptr_eq(a, b) || **a == **b,
            (a, b) => java_equals(a, b),
        }
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Value::Null => 0u8.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Int(i) => (1u8, *i).hash(state),
            Value::Long(l) => (2u8, *l).hash(state),
            Value::BigInt(b) => (3u8, &**b).hash(state),
            Value::Double(d) => (4u8, d.to_bits()).hash(state),
            Value::Str(s) => s.hash(state),
            Value::List(l) => (Rc::as_ptr(l) as *const u8 as usize).hash(state),
            Value::Map(m) => (Rc::as_ptr(m) as *const u8 as usize).hash(state),
            Value::Object(o) => (Rc::as_ptr(o) as *const u8 as usize).hash(state),
        }
    }
}

thread_local! {
    /// The buffer [`string_built`] writes in, kept between calls on this thread.
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A `String` value whose text `write` appends to an empty buffer that the thread reuses, so
/// that the value's text is its only allocation (not a growing `String` and then a copy).
pub(crate) fn string_built(write: impl FnOnce(&mut String)) -> Value {
    TEXT.with(|text| match text.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            write(&mut buf);
            let value = Value::str(&buf);
            // A large buffer is not kept.
            if buf.capacity() > 64 * 1024 {
                *buf = String::new();
            }
            value
        }
        // Called again from inside `write`: a buffer of its own.
        Err(_) => {
            let mut own = String::new();
            write(&mut own);
            Value::string(own)
        }
    })
}

/// A borrowed string that looks up a `Key` without allocating one.
#[derive(Hash)]
pub struct StrKey<'a>(pub &'a str);

impl indexmap::Equivalent<Key> for StrKey<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        matches!(&key.0, Value::Str(s) if **s == *self.0)
    }
}

impl Map {
    /// The value under a string key (no allocation).
    pub fn get_str(&self, name: &str) -> Option<Value> {
        self.entries.borrow().get(&StrKey(name)).cloned()
    }
}

/// A `Map.Entry` from `entrySet()`: `getKey()`, `getValue()`, `setValue(v)` (which writes
/// through to the map, as Java's does), printing `key=value`.
pub struct MapEntry {
    pub(crate) key: Value,
    pub(crate) value: RefCell<Value>,
    pub(crate) map: Rc<Map>,
}

impl MapEntry {
    /// The entry's current value.
    pub fn value(&self) -> Value {
        self.value.borrow().clone()
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key(Value::str(s))
    }
}

/// Java `a.equals(b)` (not Velocity's `==`, which also compares numbers across types).
pub fn java_equals(a: &Value, b: &Value) -> bool {
    equals_at(a, b, 0)
}

fn equals_at(a: &Value, b: &Value, depth: usize) -> bool {
    // Each element compared costs fuel: shared structure and cycles end early (with the
    // budget tripped).
    if depth > MAX_PRINT_DEPTH || !crate::budget::spend(1) || !crate::budget::stack_ok() {
        return false;
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Long(x), Value::Long(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::Double(x), Value::Double(y)) => x.to_bits() == y.to_bits() || (x == y && *x != 0.0),
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.items.borrow(), y.items.borrow());
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|(a, b)| equals_at(a, b, depth + 1))
            }
        }
        (Value::Map(x), Value::Map(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.entries.borrow(), y.entries.borrow());
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| equals_at(v, w, depth + 1)))
            }
        }
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_drops_without_recursion() {
        let mut v = Value::list(ListKind::ArrayList, vec![]);
        for i in 0..1_000_000 {
            v = if i % 2 == 0 {
                Value::list(ListKind::ArrayList, vec![v])
            } else {
                Value::map([(Key::from("k"), v)].into_iter().collect())
            };
        }
        drop(v);
    }

    #[test]
    fn string_keys_are_found_without_allocating_a_key() {
        let m = Value::map(
            [
                (Key::from("a"), Value::Int(1)),
                (Key(Value::Int(7)), Value::Int(2)),
            ]
            .into_iter()
            .collect(),
        );
        let Value::Map(m) = m else { unreachable!() };
        assert_eq!(
            m.get_str("a").map(|v| v.to_java_string()),
            Some(Some("1".into()))
        );
        assert!(m.get_str("b").is_none());
        assert!(m.get_str("7").is_none());
    }
}
