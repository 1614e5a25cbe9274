//! Rendering: walks a compiled program against a context and writes the output.
//!
//! This is where Velocity 1.7's runtime semantics live: how references resolve and print,
//! `#if` truth, `#set`, `#foreach` and its scope variables, macros (arguments passed by name),
//! `#define`, `#evaluate`, `#break`/`#stop`, and the API Gateway profile's rule that null
//! evaluates to the empty string. Every step spends fuel; output size, loop iterations and
//! call depth are bounded.
//!
//! Files: `renderer.rs` holds the state and the walk over statements; `directive.rs`,
//! `reference.rs` and `expression.rs` add the rest of the walk to the same renderer;
//! `scope.rs` defines the objects a render makes (`$foreach`, `#define` blocks).

mod directive;
mod expression;
mod reference;
mod renderer;
mod scope;

pub use renderer::Warning;
pub(crate) use renderer::{Globals, Renderer, LAZY_HOST_NAMES};
