//! Jackson's untyped mapping, both ways: `serde_json` values (a caller's variables, the
//! bodies the CLI reads) into template values, and template values back into `serde_json`.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

use num_bigint::BigInt;

use crate::fxhash::FxHasher;
use crate::value::{Entries, Key, ListKind, Value, MAX_PRINT_DEPTH};

impl Value {
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
                    if let Some(b) = crate::java::decimal::parse_decimal(&text) {
                        return Value::BigInt(Rc::new(b));
                    }
                }
                if let Some(i) = n.as_i64() {
                    Value::from_i64(i)
                } else if let Some(u) = n.as_u64() {
                    Value::from_bigint(BigInt::from(u))
                } else {
                    if !text.contains(['.', 'e', 'E']) {
                        if let Some(b) = crate::java::decimal::parse_decimal(&text) {
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
}
