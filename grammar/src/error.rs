//! Parse errors: what went wrong and where (a byte range of the template).

use std::fmt;
use std::ops::Range;

/// What kind of problem stopped the parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// A character sequence no VTL token matches (or the template ends inside one).
    Lexical,
    /// Tokens in an order the grammar does not allow.
    Syntax,
    /// A construct Velocity rejects while building the tree (e.g. a bad `#macro` header).
    Directive,
    /// A structural limit (nesting depth) was exceeded.
    Limit,
}

/// A parse error with the byte range it refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What kind of problem it is.
    pub kind: ParseErrorKind,
    /// A one-line description.
    pub message: String,
    /// Byte range in the template.
    pub span: Range<usize>,
    /// Where a related construct starts (e.g. the `#if` an unexpected end left open).
    pub opened_at: Option<Range<usize>>,
}

impl ParseError {
    /// Creates an error.
    pub fn new(kind: ParseErrorKind, message: String, span: Range<usize>) -> ParseError {
        ParseError {
            kind,
            message,
            span,
            opened_at: None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}
