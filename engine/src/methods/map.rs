//! `java.util.Map` methods, and `Map.Entry` (from `entrySet()`).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::call::*;
use super::class::JavaClass;
use crate::java::hash::hash_depth;
use crate::java::JavaException;
use crate::value::{java_equals, Key, ListKind, Map, MapEntry, Object, Value};

pub(crate) fn map_method(m: &Rc<Map>, recv: &Value, name: &str, args: &[Value]) -> MethodResult {
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

impl Object for MapEntry {
    fn holds_values(&self) -> bool {
        true
    }

    fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.key);
        if let Ok(v) = self.value.try_borrow() {
            f(&v);
        }
        f(&Value::Map(self.map.clone()));
    }

    /// Empties the entry's value (a cycle through `setValue`).
    fn give_up_values(&self, freed: &mut Vec<Value>) {
        if let Ok(mut v) = self.value.try_borrow_mut() {
            freed.push(std::mem::take(&mut *v));
        }
    }

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
