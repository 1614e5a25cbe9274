//! API Gateway host objects: `$input`, `$util`, `$context`, `$stageVariables`, and the
//! request they are built from.
//!
//! - `request.rs`: the request type and the request-file / Lambda-proxy / TestInvoke shapes.
//! - `context.rs`: `$context` with AWS's key order and deterministic defaults.
//! - `host.rs`: the `$input` and `$util` objects.
//! - `jsonpath.rs`: Jayway JsonPath 2.0 over values; `util.rs`: the `$util` functions.

pub mod context;
mod host;
pub mod jsonpath;
mod request;
pub mod util;

use std::rc::Rc;
use std::sync::Arc;

pub use host::{Input, Util};
pub use request::{Params, Request};

use crate::value::{Key, Value};

/// `$input` and `$util` for a request. (`$context` and `$stageVariables` are built by the
/// renderer on first use: most templates never read them.)
pub(crate) fn host_variables(request: &Request, extensions: bool) -> [(Arc<str>, Value); 2] {
    [
        (
            Arc::from("input"),
            Value::Object(Rc::new(Input::with_extensions(request, extensions))),
        ),
        (Arc::from("util"), Value::Object(Rc::new(Util))),
    ]
}

/// `$stageVariables` for a request.
pub(crate) fn stage_variables(request: &Request) -> Value {
    Value::map(
        request
            .stage_variables
            .iter()
            .map(|(k, v)| (Key(Value::str(k)), Value::str(v)))
            .collect(),
    )
}
