//! A compiled path: its tokens (property, index, slice, wildcard, deep scan, filter), the
//! filters' criteria, and the errors Jayway throws.

use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use crate::java::regex::JavaRegex;
use crate::value::Key;

/// Which Java exception a failed compile or read corresponds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathErrorKind {
    /// `InvalidPathException` (also any exception thrown while compiling).
    InvalidPath,
    /// `PathNotFoundException`: nothing at a definite path, a missing key, an index out of
    /// bounds, a property of a non-object.
    PathNotFound,
    /// Any other runtime exception escaping the read (`NumberFormatException` from a filter,
    /// `NullPointerException` from a `[?]` placeholder, a stack overflow on a cyclic document).
    Other,
}

/// A Java exception from compiling or reading a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// The exception class.
    pub kind: PathErrorKind,
    /// The exception message.
    pub message: String,
}

impl PathError {
    pub(crate) fn invalid(message: impl Into<String>) -> PathError {
        PathError {
            kind: PathErrorKind::InvalidPath,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> PathError {
        PathError {
            kind: PathErrorKind::PathNotFound,
            message: message.into(),
        }
    }

    pub(crate) fn other(message: impl Into<String>) -> PathError {
        PathError {
            kind: PathErrorKind::Other,
            message: message.into(),
        }
    }

    pub(crate) fn is_not_found(&self) -> bool {
        self.kind == PathErrorKind::PathNotFound
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// A compiled JsonPath.
#[derive(Debug)]
pub struct JsonPath {
    pub(crate) source: String,
    pub(crate) tokens: Vec<Token>,
    /// `path_definite[i]`: tokens `i..` are all definite.
    pub(crate) path_definite: Vec<bool>,
    /// Whether the path started with `$` (rather than `@`).
    pub(crate) root_path: bool,
    /// `$` followed only by single property names (`$.a.b`, `$['a']`): read by walking the
    /// maps (see [`JsonPath::read_or_null`]).
    pub(crate) property_chain: bool,
}

#[derive(Debug)]
pub(crate) enum Token {
    Root,
    Property(Vec<Key>),
    Array(ArrayOp, Vec<i32>),
    Wildcard,
    Scan,
    /// `None` is a `[?]` placeholder without a filter object (Java fails with an NPE on use).
    Predicate(Vec<Option<FilterNode>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArrayOp {
    Single,
    Sequence,
    SliceFrom,
    SliceTo,
    SliceBetween,
    ContextSize,
    /// No operation recognised (Java: a null operation, NPE on use).
    Unknown,
}

impl Token {
    pub(crate) fn is_definite(&self) -> bool {
        match self {
            Token::Root | Token::Property(_) => true,
            Token::Array(op, _) => matches!(op, ArrayOp::Single | ArrayOp::ContextSize),
            Token::Wildcard | Token::Scan | Token::Predicate(_) => false,
        }
    }
}

/// The most nested evaluation (tokens plus document levels) before giving up, standing in for
/// Java's `StackOverflowError` on cyclic or template-built documents. Parsed documents nest at
/// most 400 levels. (About 230 bytes of stack per level in release builds, 2.7 KB in debug.)
pub(crate) const MAX_EVAL_DEPTH: usize = 512;

#[derive(Debug)]
pub(crate) enum FilterNode {
    Single(Criterion),
    /// All must hold, tested in order.
    And(Vec<FilterNode>),
    /// `left || right`, left first.
    Or(Box<FilterNode>, Box<FilterNode>),
}

impl FilterNode {
    /// `Filter.and(p)`: an `AndFilter` grows; an `OrFilter(l, r)` becomes `l || (r && p)`.
    pub(crate) fn and(self, other: FilterNode) -> FilterNode {
        match self {
            FilterNode::And(mut list) => {
                list.push(other);
                FilterNode::And(list)
            }
            FilterNode::Or(l, r) => FilterNode::Or(l, Box::new(FilterNode::And(vec![*r, other]))),
            single => FilterNode::And(vec![single, other]),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Operand {
    Path(Box<JsonPath>),
    Text(Arc<str>),
    Pattern(Rc<JavaRegex>, String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Regex,
}

#[derive(Debug)]
pub(crate) enum Criterion {
    Exists {
        path: Box<JsonPath>,
        exists: bool,
    },
    Compare {
        left: Operand,
        op: Op,
        right: Operand,
    },
}
