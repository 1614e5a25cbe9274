//! Jayway JsonPath 2.0.0 (json-smart provider, default configuration) evaluated over [`Value`]s.
//!
//! Hand-written: no Rust JSONPath library reproduces Jayway 2.0.0's grammar, quirks and errors
//! over Java values.
//!
//! This is what `$input.path(p)` and `$input.json(p)` run on API Gateway: a path is compiled
//! once ([`JsonPath::compile`]) and read against a document ([`JsonPath::read`]) without copying
//! it; results share the document's lists and maps, as Java references do.
//!
//! Jayway 2.0.0 has many quirks, reproduced here on purpose (each checked against the jar):
//! * a path not starting with `$` or `@` gets `$.` prepended (`a.b` ≡ `$.a.b`); surrounding
//!   whitespace is trimmed, but a space inside the path (outside brackets) is an error;
//! * only single-quoted bracket names exist: `['a']`, `['a','b']`; `["a"]` is invalid;
//! * negative indexes never work (`[-1]` fails); `[(@.length-1)]` is the way to the last item;
//!   `[-2:]` and `[:-1]` slices work, `[1:-1]` is empty;
//! * a definite path (no `*`, `..`, filter, slice or index list) returns the value itself and
//!   fails when nothing matches; an indefinite one returns a `JSONArray`, possibly empty;
//! * `['a','b']` returns one map holding the keys that exist;
//! * a missing key or a non-container fails the whole read, except under `[*]` over an array,
//!   which skips elements that fail;
//! * `..` followed by an index, wildcard or filter applies the *rest* of the path to each item
//!   of every array it finds;
//! * in filters literals are strings: `@.price < 10` compares a number with `"10"` as decimals,
//!   but a string field lexicographically with `"10"`; `==` between a number and a
//!   non-numeric literal aborts the read (`NumberFormatException`); `'null'`, `null` and a JSON
//!   null are all "nullish"; `&&` binds tighter than `||`, operands are evaluated right to left;
//!   a literal on the left (`10 < @.n`) never matches a number; `&&`/`||` inside a quoted
//!   literal still split the filter; `[?($.x)]` tests `x` on the *item*; `=~ /re/` is a Java
//!   regex ([`crate::java::regex`]) that must match the whole `toString()` of the value.
//!
//! Files: `compile.rs` reads a path into the form `path.rs` defines, `eval.rs` reads it
//! against a document; this file is the API and the per-thread cache of compiled paths.

mod compile;
mod eval;
mod path;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use crate::fxhash::FxHasher;
use crate::value::{Key, ListKind, Value};
use eval::{map_get, Ctx};
use path::*;
pub use path::{JsonPath, PathError, PathErrorKind};

impl JsonPath {
    /// Compiles `path` as Jayway 2.0.0's `PathCompiler` does.
    pub fn compile(path: &str) -> Result<JsonPath, PathError> {
        compile::compile(path)
    }

    /// The path text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when the path can match at most one value (no wildcard, scan, filter, slice or
    /// index list); then [`JsonPath::read`] returns the value itself.
    pub fn is_definite(&self) -> bool {
        self.path_definite.first().copied().unwrap_or(true)
    }

    /// `JsonPath.read(document, path)`: the single value for a definite path (failing with
    /// `PathNotFound` when nothing matched), otherwise a `JSONArray` of the matches. A null
    /// document is an error (`IllegalArgumentException`).
    ///
    /// ```
    /// use vtl::{JsonPath, Value};
    ///
    /// let doc = Value::from_json(&serde_json::json!({"pets": [{"id": 1}, {"id": 2}]}));
    /// let ids = JsonPath::compile("$.pets[*].id").unwrap().read(&doc).unwrap();
    /// assert_eq!(ids.to_java_string().as_deref(), Some("[1,2]"));
    /// ```
    pub fn read(&self, document: &Value) -> Result<Value, PathError> {
        if document.is_null() {
            return Err(PathError::other(
                "java.lang.IllegalArgumentException: json object can not be null",
            ));
        }
        let results = self.evaluate(document, document)?;
        self.value_of(results)
    }

    /// Whether the path is `$` alone: the whole document.
    pub(crate) fn is_root(&self) -> bool {
        self.property_chain && self.tokens.len() == 1
    }

    /// The property names the path starts with (`$.a.b[0]` → `a`, `b`), when what it reads
    /// lies inside the value they lead to; `None` when it may read anything in the document
    /// (a path from `@`, or a filter, which may read `$`). See [`crate::json::Selection`].
    pub(crate) fn selected_chain(&self) -> Option<Vec<&str>> {
        if !self.root_path || self.tokens.iter().any(|t| matches!(t, Token::Predicate(_))) {
            return None;
        }
        let mut chain = Vec::new();
        for token in self.tokens.iter().skip(1) {
            match token {
                Token::Property(keys) => match &keys[..] {
                    [Key(Value::Str(name))] => chain.push(&**name),
                    _ => break,
                },
                _ => break,
            }
        }
        Some(chain)
    }

    /// What [`JsonPath::read_or_null`] charges for reading the whole document (a non-null
    /// one) with `$`; false when the budget ran out (the read is then null).
    pub(crate) fn charge_root_read() -> bool {
        Ctx::charge()
    }

    /// `$input.path(p)` in the AWS model: the read result, or null on any exception (and for a
    /// null document).
    pub fn read_or_null(&self, document: &Value) -> Value {
        if self.property_chain {
            return self.read_property_chain(document);
        }
        self.read(document).unwrap_or(Value::Null)
    }

    /// [`JsonPath::read_or_null`] of a property chain: each step into a map that has the
    /// name. Every way the evaluation can fail (a missing name, a value that is not a map, a
    /// null document) ends in null, and each token costs what [`Ctx::enter`] charges.
    fn read_property_chain(&self, document: &Value) -> Value {
        if document.is_null() {
            return Value::Null;
        }
        if !Ctx::charge() {
            return Value::Null;
        }
        let mut current = document.clone();
        for token in &self.tokens[1..] {
            let Token::Property(keys) = token else {
                return Value::Null;
            };
            if !Ctx::charge() {
                return Value::Null;
            }
            let Some(next) = map_get(&current, &keys[0]) else {
                return Value::Null;
            };
            current = next;
        }
        current
    }

    fn value_of(&self, results: Vec<Value>) -> Result<Value, PathError> {
        if self.is_definite() {
            results.into_iter().next().ok_or_else(|| {
                PathError::not_found(format!("No results for path: {}", self.source))
            })
        } else {
            Ok(Value::list(ListKind::JsonArray, results))
        }
    }

    fn evaluate(&self, document: &Value, root: &Value) -> Result<Vec<Value>, PathError> {
        let mut ctx = Ctx {
            path: self,
            root,
            results: Vec::new(),
            depth: 0,
        };
        if !self.tokens.is_empty() {
            ctx.eval(0, document)?;
        }
        Ok(ctx.results)
    }
}

#[cfg(test)]
/// `$input.json(p)` in the AWS model: `JSONValue.toJSONString` of `$input.path(p)`, where a null
/// result (no match, an error, a JSON null at a definite path) becomes the empty string `""`.
pub fn input_json(document: &Value, path: &JsonPath) -> String {
    let mut out = String::new();
    write_input_json(document, path, &mut out);
    out
}

/// Appends [`input_json`] to `out`.
pub fn write_input_json(document: &Value, path: &JsonPath, out: &mut String) {
    let v = path.read_or_null(document);
    let v = if v.is_null() { Value::str("") } else { v };
    crate::print::write_json_smart(&v, out);
}

/// A bounded cache of compiled paths (Jayway keeps 200), so that a template calling
/// `$input.path('$.x')` in a loop, or rendered again, compiles the path once.
#[derive(Default)]
pub struct PathCache {
    map: RefCell<HashMap<Box<str>, Rc<JsonPath>, BuildHasherDefault<FxHasher>>>,
}

impl PathCache {
    /// How many compiled paths the cache holds before it starts over.
    pub const CAPACITY: usize = 200;
    /// Longer paths are compiled each time rather than kept (so the cache stays small).
    pub const MAX_PATH: usize = 1024;

    /// An empty cache.
    pub fn new() -> PathCache {
        PathCache::default()
    }

    /// The compiled form of `path`, compiling it on first use. Errors are not cached.
    pub fn get(&self, path: &str) -> Result<Rc<JsonPath>, PathError> {
        if let Some(p) = self.map.borrow().get(path) {
            return Ok(p.clone());
        }
        let compiled = Rc::new(JsonPath::compile(path)?);
        if path.len() <= Self::MAX_PATH {
            let mut map = self.map.borrow_mut();
            if map.len() >= Self::CAPACITY {
                map.clear();
            }
            map.insert(Box::from(path), compiled.clone());
        }
        Ok(compiled)
    }
}

thread_local! {
    /// The paths compiled on this thread, shared by its renders (compiling costs no fuel, so
    /// a render spends the same whether its paths were cached or not).
    static PATHS: PathCache = PathCache::new();
}

/// The compiled form of `path`, from this thread's cache.
pub fn cached(path: &str) -> Result<Rc<JsonPath>, PathError> {
    PATHS.with(|cache| cache.get(path))
}

#[cfg(test)]
mod tests;
