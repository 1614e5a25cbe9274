//! Lexer, parser and syntax tree for the Velocity Template Language as Apache Velocity 1.7
//! reads it.
//!
//! - [`lexer`]: the modal lexer (Velocity's lexical states, on `logos`).
//! - [`parser`]: tokens to syntax tree, and the token-text rules Velocity's parser applies. A
//!   recursive descent builds the tree; when it gives up, the LR parser generated (by
//!   `lalrpop`) from the grammar in `grammar.lalrpop` parses the template again and reports
//!   the error, naming the tokens it expected.
//! - [`ast`]: the syntax tree, with byte spans.

pub mod ast;
mod descent;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod token;

#[allow(clippy::all, missing_docs, unused)]
mod grammar {
    include!(concat!(env!("OUT_DIR"), "/grammar.rs"));
}

pub use error::{ParseError, ParseErrorKind};
pub use parser::{parse, tokens, ParseOptions};
