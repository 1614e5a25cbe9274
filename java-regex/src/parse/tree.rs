//! The tree a pattern parses into: its nodes and zero-width assertions.

use crate::class::{CharClass, Fold};

/// A parsed pattern.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// Matches the empty string.
    Empty,
    /// One literal code point (`key` already folded); a lone surrogate never matches.
    Char {
        key: u32,
        fold: Fold,
    },
    /// One code point from a class.
    Class(CharClass),
    Concat(Vec<Node>),
    /// Alternatives, tried in order.
    Alt(Vec<Node>),
    /// Capturing group `index` (1-based), or a non-capturing group (`0`).
    Group(usize, Box<Node>),
    /// `x{min,max}`; `max == None` is unbounded.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    /// `(?>x)`; possessive quantifiers become an atomic greedy repeat.
    Atomic(Box<Node>),
    /// `(?=x)` `(?!x)`.
    LookAhead {
        negate: bool,
        node: Box<Node>,
    },
    /// `(?<=x)` `(?<!x)`, `x` being `min..=max` characters long as Java's `int` arithmetic
    /// counts them (a sum that overflowed is negative).
    LookBehind {
        negate: bool,
        node: Box<Node>,
        min: i32,
        max: i32,
    },
    Assert(Assert),
    /// `\n` / `\k<name>`.
    Backref {
        group: usize,
        fold: Fold,
    },
    /// `\R`: `\r\n` or one vertical space (tried in that order).
    LineBreak,
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Assert {
    /// `\A`, and `^` without `MULTILINE`.
    Begin,
    /// `\z`.
    End,
    /// `^` with `MULTILINE`.
    LineStart { unix: bool },
    /// `$` (and `\Z` as the non-multiline form).
    LineEnd { unix: bool, multiline: bool },
    /// `\b`, `\B`.
    WordBoundary { negate: bool, unicode: bool },
    /// `\G`: the end of the previous match.
    LastMatchEnd,
}
