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
//! Files: `compile.rs` (syntax tree → program), `render.rs` (the runtime), `value.rs` (Java-like
//! values), `methods.rs` and `java/` (Java method semantics), `json.rs` and `aws/` (API Gateway
//! host objects), `error.rs` (errors with positions).

pub mod aws;
mod budget;
pub mod check;
mod compile;
mod cycles;
pub mod dump;
mod error;
pub mod ext;
pub mod fxhash;
pub mod java;
pub mod json;
mod limits;
pub mod methods;
pub mod pretty;
mod print;
mod render;
mod template;
pub mod value;
pub mod xml;

pub use aws::Request;
pub use error::{Error, ErrorKind, Location};
pub use limits::{Limits, Profile, DEFAULT_MAX_STACK};
pub use render::Warning;
pub use template::{Engine, Rendered, Template, Vars};
pub use value::Value;
