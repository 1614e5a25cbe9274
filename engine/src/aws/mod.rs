//! API Gateway host objects: `$input`, `$util`, `$context`, `$stageVariables`, and the
//! request they are built from.
//!
//! - `request.rs`: the request type and the request-file / Lambda-proxy / TestInvoke shapes.
//! - `context.rs`: `$context` with AWS's key order and deterministic defaults.
//! - `host.rs`: the `$input` and `$util` objects.
//! - `jsonpath.rs`: Jayway JsonPath 2.0 over values; `util.rs`: the `$util` functions.
//! - `body_reads.rs`: what a compiled template can read of a body (parsed into only that).

pub(crate) mod body_reads;
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

thread_local! {
    /// The names `input` and `util`, made once per thread.
    static NAMES: [Arc<str>; 2] = [Arc::from("input"), Arc::from("util")];
}

/// `$input` and `$util` for a request. (`$context` and `$stageVariables` are built by the
/// renderer on first use: most templates never read them.)
pub(crate) fn host_variables(
    request: &Request,
    extensions: bool,
    body_selection: Option<Arc<crate::json::Selection>>,
) -> [(Arc<str>, Value); 2] {
    let [input, util] = NAMES.with(Clone::clone);
    let mut host = Input::with_extensions(request, extensions);
    host.select(body_selection);
    [
        (input, Value::Object(Rc::new(host))),
        (util, Value::Object(Rc::new(Util))),
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
