//! `$vtl`: this project's extensions beyond API Gateway (XML for SOAP backends, JSON output).
//! Off unless enabled with [`crate::Engine::with_extensions`]; never part of the aws profile's
//! defaults.

use crate::java::JavaException;
use crate::value::{Object, Value};

/// The `$vtl` object.
pub struct Extensions;

impl Object for Extensions {
    fn class_name(&self) -> &str {
        "vtl.Extensions"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        let _ = (name, args);
        None
    }
}
