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

/// The four host variables for a request, ready to become template variables.
pub(crate) fn host_variables(request: &Request) -> (Value, [(Arc<str>, Value); 4]) {
    let context = context::context_value(request);
    let stage_variables = Value::map(
        request
            .stage_variables
            .iter()
            .map(|(k, v)| (Key(Value::str(k)), Value::str(v)))
            .collect(),
    );
    (
        context.clone(),
        [
            (
                Arc::from("input"),
                Value::Object(Rc::new(Input::new(request))),
            ),
            (Arc::from("util"), Value::Object(Rc::new(Util))),
            (Arc::from("context"), context),
            (Arc::from("stageVariables"), stage_variables),
        ],
    )
}
