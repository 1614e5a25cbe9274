//! The value model: what a VTL expression evaluates to.
//!
//! Velocity 1.7 works on Java objects, so values here mirror the Java types a template sees:
//! `Integer`, `Long`, `BigInteger`, `Double`, `Boolean`, `String`, `ArrayList`/`JSONArray` and
//! `LinkedHashMap`. Lists and maps are shared mutable references, as in Java: `#set($b = $a)`
//! aliases, and `$a.add(1)` is seen through `$b`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use num_bigint::BigInt;

use crate::fxhash::FxHasher;
use crate::java::{self, JavaException};

/// How deep `toString()` follows nested collections before printing `(...)`.
const MAX_PRINT_DEPTH: usize = 100;

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

/// How far a `toString()` may grow, charging fuel per element as it goes.
struct Cap {
    limit: usize,
    /// Trip the memory budget when the limit is passed (a value), or just stop (output).
    memory: bool,
    stopped: bool,
}

impl Cap {
    fn new(out: &str, room: usize, memory: bool) -> Cap {
        Cap {
            limit: out.len().saturating_add(room),
            memory,
            stopped: false,
        }
    }

    /// Whether `more` bytes may be appended (and one element visited).
    fn visit(&mut self, out: &str, more: usize) -> bool {
        if self.stopped {
            return false;
        }
        if out.len().saturating_add(more) > self.limit {
            if self.memory {
                crate::budget::alloc(usize::MAX);
            }
            self.stopped = true;
            return false;
        }
        if !crate::budget::spend(1) || !crate::budget::stack_ok() {
            self.stopped = true;
            return false;
        }
        true
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

    /// Converts JSON the way Jackson's untyped mapping does: objects → `LinkedHashMap`,
    /// arrays → `ArrayList`, integers → Integer/Long/BigInteger, decimals → Double.
    pub fn from_json(json: &serde_json::Value) -> Value {
        Self::from_json_as(json, ListKind::ArrayList)
    }

    /// Like [`Value::from_json`], choosing the list class (json-smart uses `JSONArray`).
    pub fn from_json_as(json: &serde_json::Value, list_kind: ListKind) -> Value {
        Self::from_json_keys(json, list_kind, &mut HashMap::default())
    }

    /// `from_json_as`, sharing one string for each distinct object key (an array of objects
    /// repeats the same few keys).
    fn from_json_keys<'j>(
        json: &'j serde_json::Value,
        list_kind: ListKind,
        keys: &mut HashMap<&'j str, Arc<str>, BuildHasherDefault<FxHasher>>,
    ) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                // Jackson reads integers of 19 digits or more as BigInteger, even when they
                // would fit in a long; shorter ones need no look at their text.
                if let Some(i) = n.as_i64() {
                    if i.unsigned_abs() < 1_000_000_000_000_000_000 {
                        return Value::from_i64(i);
                    }
                }
                let text = n.to_string();
                let digits = text.trim_start_matches('-').len();
                if digits >= 19 && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    if let Some(b) = crate::java::math::parse_decimal(&text) {
                        return Value::BigInt(Rc::new(b));
                    }
                }
                if let Some(i) = n.as_i64() {
                    Value::from_i64(i)
                } else if let Some(u) = n.as_u64() {
                    Value::from_bigint(BigInt::from(u))
                } else {
                    if !text.contains(['.', 'e', 'E']) {
                        if let Some(b) = crate::java::math::parse_decimal(&text) {
                            return Value::from_bigint(b);
                        }
                    }
                    Value::Double(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::list(
                list_kind,
                a.iter()
                    .map(|v| Self::from_json_keys(v, list_kind, keys))
                    .collect(),
            ),
            serde_json::Value::Object(o) => {
                let mut entries = Entries::with_capacity_and_hasher(o.len(), Default::default());
                for (k, v) in o {
                    let key = keys
                        .entry(k.as_str())
                        .or_insert_with(|| Arc::from(k.as_str()));
                    let key = Key(Value::Str(key.clone()));
                    entries.insert(key, Self::from_json_keys(v, list_kind, keys));
                }
                Value::map(entries)
            }
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

    /// Java `toString()`; `None` for null and for objects that do not print.
    pub fn to_java_string(&self) -> Option<String> {
        let mut out = String::new();
        if self.write_java(&mut out) {
            Some(out)
        } else {
            None
        }
    }

    /// Appends Java `toString()` to `out`; returns false (writing nothing) for null and for
    /// objects that do not print.
    ///
    /// In a render, the text may grow only as far as the memory budget allows and each
    /// element costs fuel: a structure that shares itself exponentially or cycles stops
    /// early, with the budget tripped (the render then fails with a limit error).
    pub fn write_java(&self, out: &mut String) -> bool {
        // A growing string may hold twice its length, and the caller usually copies it into
        // a value: a quarter of the memory left is the room.
        let mut cap = Cap::new(out, crate::budget::memory_left() / 4, true);
        self.write_java_at(out, 0, &mut cap)
    }

    /// Like [`Value::write_java`], appending at most about `room` bytes; past that it stops
    /// without tripping the budget (the caller reports its own limit, e.g. the output's).
    /// `Err` when it stopped there.
    pub(crate) fn write_java_within(&self, out: &mut String, room: usize) -> Result<bool, ()> {
        let mut cap = Cap::new(out, room, false);
        let printed = self.write_java_at(out, 0, &mut cap);
        // Numbers and other short texts are written before they are measured.
        if cap.stopped || out.len() > cap.limit {
            return Err(());
        }
        Ok(printed)
    }

    fn write_java_at(&self, out: &mut String, depth: usize, cap: &mut Cap) -> bool {
        if !cap.visit(out, 0) {
            return true;
        }
        if depth > MAX_PRINT_DEPTH {
            // Java would overflow its stack on a cycle this deep; print a marker instead.
            out.push_str("(...)");
            return true;
        }
        match self {
            Value::Null => return false,
            Value::Str(s) => {
                if cap.visit(out, s.len()) {
                    out.push_str(s)
                }
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => java::write_long(i64::from(*i), out),
            Value::Long(l) => java::write_long(*l, out),
            Value::BigInt(b) => {
                if crate::budget::decimal(b.bits()) {
                    let _ = write!(out, "{b}");
                }
            }
            Value::Double(d) => java::write_double(*d, out),
            Value::List(l) => match l.kind {
                ListKind::ArrayList | ListKind::MapView(_) => {
                    out.push('[');
                    for (i, item) in l.items.borrow().iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        if cap.stopped {
                            break;
                        }
                        if matches!(item, Value::List(x) if Rc::ptr_eq(x, l)) {
                            out.push_str("(this Collection)");
                        } else {
                            item.write_java_nested(out, depth + 1, cap);
                        }
                    }
                    out.push(']');
                }
                ListKind::JsonArray => {
                    let room = cap.limit.saturating_sub(out.len());
                    crate::json::write_json_smart_within(self, out, room);
                    cap.visit(out, 0);
                }
                ListKind::Array(class) => {
                    // Java prints an identity hash code; this one is a hash of the contents
                    // (of their first few KB, so that printing stays bounded).
                    const HASHED: usize = 4096;
                    let mut text = String::new();
                    for item in l.items.borrow().iter() {
                        let room = HASHED.saturating_sub(text.len());
                        if room == 0 || item.write_java_within(&mut text, room).is_err() {
                            break;
                        }
                        text.push('\u{0}');
                    }
                    let hash = text.bytes().fold(0x811c_9dc5u32, |h, b| {
                        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
                    });
                    let _ = write!(out, "{class}@{:x}", hash & 0x7fff_ffff);
                    cap.visit(out, 0);
                }
            },
            Value::Map(m) => {
                if m.kind == MapKind::Context {
                    return true;
                }
                out.push('{');
                for (i, (k, v)) in m.entries.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if cap.stopped {
                        break;
                    }
                    let this = |x: &Value| matches!(x, Value::Map(y) if Rc::ptr_eq(y, m));
                    if this(&k.0) {
                        out.push_str("(this Map)");
                    } else {
                        k.0.write_java_nested(out, depth + 1, cap);
                    }
                    out.push('=');
                    if this(v) {
                        out.push_str("(this Map)");
                    } else {
                        v.write_java_nested(out, depth + 1, cap);
                    }
                }
                out.push('}');
            }
            Value::Object(o) => match o.to_java_string() {
                Some(s) => out.push_str(&s),
                None => return false,
            },
        }
        true
    }

    /// `String.valueOf(x)` as used inside a collection's `toString()`: null prints `null`.
    fn write_java_nested(&self, out: &mut String, depth: usize, cap: &mut Cap) {
        if !self.write_java_at(out, depth, cap) {
            out.push_str("null");
        }
    }

    /// The value as JSON (maps with string keys, lists as arrays; other objects by `toString()`).
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_at(0)
    }

    fn to_json_at(&self, depth: usize) -> serde_json::Value {
        use serde_json::Value as J;
        // Each element costs fuel and memory, so shared structure and cycles end early
        // (with the budget tripped).
        if depth > MAX_PRINT_DEPTH
            || !crate::budget::spend(1)
            || !crate::budget::alloc(crate::budget::MAP_ENTRY)
            || !crate::budget::stack_ok()
        {
            return J::Null;
        }
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Long(l) => J::from(*l),
            Value::BigInt(b) => b.to_string().parse().unwrap_or(J::Null),
            Value::Double(d) => serde_json::Number::from_f64(*d).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.to_string()),
            Value::List(l) => J::Array(
                l.items
                    .borrow()
                    .iter()
                    .map(|v| v.to_json_at(depth + 1))
                    .collect(),
            ),
            Value::Map(m) => J::Object(
                m.entries
                    .borrow()
                    .iter()
                    .map(|(k, v)| {
                        let key = match &k.0 {
                            Value::Str(s) => s.to_string(),
                            other => other.to_java_string().unwrap_or_else(|| "null".into()),
                        };
                        (key, v.to_json_at(depth + 1))
                    })
                    .collect(),
            ),
            Value::Object(o) => o.to_java_string().map_or(J::Null, J::String),
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

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Object(o) => write!(f, "<{}>", o.class_name()),
            other => f.write_str(&other.to_java_string().unwrap_or_default()),
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

    /// The value under a string key, trying first the entry where `hint` says the key was
    /// found last (maps built from one JSON array have their keys in the same order), then
    /// by hash, updating the hint.
    #[inline]
    pub(crate) fn get_hinted(&self, hint: &crate::compile::Name) -> Option<Value> {
        let name: &str = &hint.text;
        let entries = self.entries.borrow();
        if let Some((Key(Value::Str(k)), v)) = entries.get_index(hint.hint()) {
            if **k == *name {
                return Some(v.clone());
            }
        }
        let (at, _, v) = entries.get_full(&StrKey(name))?;
        hint.set_hint(at);
        Some(v.clone())
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
