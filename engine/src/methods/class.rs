//! `java.lang.Class`: what `$x.class` and `$x.getClass()` return.

use std::any::Any;
use std::rc::Rc;

use crate::java::JavaException;
use crate::value::{Object, Value};

/// A `java.lang.Class` (what `$x.class` / `$x.getClass()` returns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaClass {
    /// The binary class name, e.g. `java.util.LinkedHashMap$Entry`.
    pub name: String,
}

impl JavaClass {
    pub(crate) fn simple_name(&self) -> &str {
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
