//! The objects a render makes for templates: `$foreach` (a loop's scope) and `#define`
//! blocks.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use crate::compile::CNode;
use crate::java::regex::RegexCache;
use crate::java::JavaException;
use crate::methods::{self, MethodResult};
use crate::value::{Key, Object, Value};

/// `$foreach`: the loop's scope object.
pub(crate) struct ForeachScope {
    pub(crate) id: u64,
    pub(crate) index: Cell<i64>,
    pub(crate) has_next: Cell<bool>,
    pub(crate) parent: Value,
    /// Velocity's `Scope` is a map: what the template puts into `$foreach` (a map value).
    pub(crate) storage: Value,
    /// The scope itself, for `topmost` of an outermost loop.
    pub(crate) this: std::rc::Weak<ForeachScope>,
}

impl ForeachScope {
    /// `Scope.get`: the scope's own entry, else the parent scope's.
    pub(crate) fn lookup(&self, key: &Value) -> Value {
        if let Value::Map(m) = &self.storage {
            if let Some(v) = m.entries.borrow().get(&Key(key.clone())) {
                return v.clone();
            }
        }
        match &self.parent {
            Value::Object(o) => match o.as_any().downcast_ref::<ForeachScope>() {
                Some(p) => p.lookup(key),
                None => Value::Null,
            },
            _ => Value::Null,
        }
    }
}

impl Object for ForeachScope {
    fn holds_values(&self) -> bool {
        true
    }
    /// Its parent scope and its storage.
    fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.parent);
        f(&self.storage);
    }
    fn class_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.ForeachScope"
    }
    fn to_java_string(&self) -> Option<String> {
        self.storage.to_java_string()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        let index = self.index.get();
        let this = || {
            self.this
                .upgrade()
                .map_or(Value::Null, |rc| Value::Object(rc as Rc<dyn Object>))
        };
        Some(match name {
            "index" => Value::from_i64(index),
            "count" => Value::from_i64(index + 1),
            "hasNext" => Value::Bool(self.has_next.get()),
            "first" => Value::Bool(index == 0),
            "last" => Value::Bool(!self.has_next.get()),
            "parent" => self.parent.clone(),
            "topmost" => {
                let mut top = self.parent.clone();
                let mut cur: Option<Value> = None;
                while let Value::Object(o) = &top {
                    match o.as_any().downcast_ref::<ForeachScope>() {
                        Some(s) if !s.parent.is_null() => {
                            cur = Some(top.clone());
                            top = s.parent.clone();
                        }
                        _ => break,
                    }
                }
                let _ = cur;
                if top.is_null() {
                    // `Scope.getTopmost()` of an outermost scope is the scope itself.
                    return Some(this());
                }
                top
            }
            "class" => return None,
            _ => {
                let v = self.lookup(&Value::str(name));
                return (!v.is_null()).then_some(v);
            }
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        match (name, args) {
            ("get", [key]) => return Some(Ok(self.lookup(key))),
            ("getTopmost", []) => return self.get_property("topmost").map(Ok),
            (
                "put" | "size" | "isEmpty" | "containsKey" | "containsValue" | "keySet" | "values"
                | "entrySet" | "remove" | "clear" | "putAll" | "equals" | "hashCode",
                _,
            ) => {
                let mut regex = RegexCache::default();
                return match methods::call_method(&self.storage, name, args, &mut regex) {
                    MethodResult::Value(v) => Some(Ok(v)),
                    MethodResult::Exception(e) => Some(Err(e)),
                    MethodResult::NotFound => None,
                };
            }
            _ => {}
        }
        if !args.is_empty() {
            return None;
        }
        let prop = match name {
            "getIndex" => "index",
            "getCount" => "count",
            "hasNext" => "hasNext",
            "isFirst" => "first",
            "isLast" => "last",
            "getParent" => "parent",
            "getTopmost" => "topmost",
            _ => return None,
        };
        self.get_property(prop).map(Ok)
    }
}

/// A `#define` block: prints by rendering its body where it is printed.
pub(crate) struct DefineBlock {
    pub(crate) body: Arc<Vec<CNode>>,
    pub(crate) depth: Cell<usize>,
}

/// How deeply a `#define` block may render itself (Velocity's `directive.define.max.depth`).
pub(crate) const DEFINE_MAX_DEPTH: usize = 2;

impl Object for DefineBlock {
    fn class_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.Block$Reference"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
