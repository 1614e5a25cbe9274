//! `vtl`: AWS API Gateway mapping templates (the Velocity Template Language), rendered the way
//! API Gateway renders them, or the way stock Apache Velocity 1.7 does.
//!
//! ```
//! use vtl::{Engine, Profile};
//!
//! let engine = Engine::new(Profile::Velocity);
//! let template = engine.compile("Hello #foreach($n in $names)$n#if($foreach.hasNext), #end#end!")?;
//! let out = template.render(&serde_json::json!({"names": ["Ada", "Bob"]}))?;
//! assert_eq!(out, "Hello Ada, Bob!");
//! # Ok::<(), vtl::Error>(())
//! ```
//!
//! Compile once, render many times: a [`Template`] is `Send + Sync` and holds no per-render
//! state. Every render is bounded by [`Limits`] (fuel, output size, loop iterations, nesting).
//!
//! The public API is this page: the [`Engine`] and what it makes ([`Template`], [`Rendered`],
//! [`Warning`], [`Error`]), the inputs ([`Vars`], [`Value`], [`Request`]), the bounds
//! ([`Limits`], [`Profile`]), and the entry points the command line and the browser build use:
//! [`check`] (lint), [`dump_tokens`]/[`dump_ast`], [`pretty_json`]/[`pretty_xml`],
//! [`xml`] (the opt-in XML mapping, a module of its own), and the API Gateway request context the
//! method pipeline shares ([`context_json`], [`JsonPath`]).
//!
//! The crate is built in layers that import only downwards (`docs/architecture.md` draws
//! them; `tests/import_graph.rs` checks them): `limits.rs`, `error.rs`, `budget.rs` at the
//! bottom; `value.rs` (the data model); `java/` (Java library semantics: numbers, strings,
//! `String.format`, `hashCode`); `print.rs` and `json/` (how values print, json-smart);
//! `compile.rs` (syntax tree → program); `methods/` (method dispatch) beside `aws/` and
//! `ext.rs` (host objects); `render/` (the runtime); `template.rs` (the entry points).

mod aws;
mod budget;
mod check;
mod compile;
mod cycles;
mod dump;
mod error;
mod ext;
mod fxhash;
mod java;
mod json;
mod limits;
mod methods;
mod pretty;
mod print;
mod render;
mod template;
mod value;
pub mod xml;

pub use aws::context::{
    context_json, default_request_id, initial_overrides, DEFAULT_API_ID, DEFAULT_EPOCH_MS,
    DEFAULT_STAGE,
};
pub use aws::jsonpath::{JsonPath, PathError, PathErrorKind};
pub use aws::{Params, Request};
pub use check::{check, Diagnostic, Severity};
pub use dump::{ast as dump_ast, ast_within as dump_ast_within, tokens as dump_tokens, TokenInfo};
pub use error::{Error, ErrorKind, Location};
pub use ext::to_json as to_strict_json;
pub use java::JavaException;
pub use limits::{Limits, Profile, DEFAULT_MAX_STACK};
pub use pretty::{
    check_json, check_xml, json as pretty_json, json_within as pretty_json_within,
    xml as pretty_xml, xml_within as pretty_xml_within, SyntaxError, MAX_PRETTY,
};
pub use render::Warning;
pub use template::{Engine, Rendered, Template, Vars};
pub use value::{Entries, Key, List, ListKind, Map, MapKind, Object, Value};
