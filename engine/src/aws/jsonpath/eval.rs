//! Reading a compiled path against a document, filters included (Jayway 2.0.0's
//! `PathToken.evaluate`, `Filter.apply` and `Criteria`), without copying the document.

use std::cmp::Ordering;
use std::rc::Rc;

use num_traits::{Signed, Zero};

use super::path::*;
use crate::java;
use crate::java::decimal::{as_big_decimal, as_java_float, BigDecimal};
use crate::java::regex::JavaRegex;
use crate::json::parse_big_decimal;
use crate::value::{Entries, Key, Value};

pub(crate) struct Ctx<'a> {
    pub(crate) path: &'a JsonPath,
    pub(crate) root: &'a Value,
    pub(crate) results: Vec<Value>,
    pub(crate) depth: usize,
}

pub(crate) fn is_map(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

pub(crate) fn is_array(v: &Value) -> bool {
    matches!(v, Value::List(_))
}

pub(crate) fn list_len(v: &Value) -> usize {
    match v {
        Value::List(l) => l.items.borrow().len(),
        _ => 0,
    }
}

pub(crate) fn list_get(v: &Value, i: usize) -> Option<Value> {
    match v {
        Value::List(l) => l.items.borrow().get(i).cloned(),
        _ => None,
    }
}

pub(crate) fn map_get(v: &Value, key: &Key) -> Option<Value> {
    match v {
        Value::Map(m) => m.entries.borrow().get(key).cloned(),
        _ => None,
    }
}

pub(crate) fn map_entry(v: &Value, i: usize) -> Option<(Key, Value)> {
    match v {
        Value::Map(m) => m
            .entries
            .borrow()
            .get_index(i)
            .map(|(k, v)| (k.clone(), v.clone())),
        _ => None,
    }
}

pub(crate) fn map_len(v: &Value) -> usize {
    match v {
        Value::Map(m) => m.entries.borrow().len(),
        _ => 0,
    }
}

pub(crate) fn key_text(k: &Key) -> String {
    k.0.to_java_string().unwrap_or_else(|| "null".into())
}

pub(crate) enum ScanPredicate<'t> {
    Properties(&'t [Key]),
    Array,
    Always,
    Filter(usize),
    Never,
}

impl<'a> Ctx<'a> {
    pub(crate) fn is_leaf(&self, idx: usize) -> bool {
        idx + 1 >= self.path.tokens.len()
    }

    /// Jayway's `isUpstreamDefinite`: this token is definite and so is the path from the
    /// previous token to the end.
    pub(crate) fn upstream_definite(&self, idx: usize) -> bool {
        self.path.tokens[idx].is_definite() && (idx == 0 || self.path.path_definite[idx - 1])
    }

    pub(crate) fn enter(&mut self) -> Result<(), PathError> {
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            return Err(PathError::other("java.lang.StackOverflowError"));
        }
        if !Ctx::charge() {
            return Err(PathError::other("the render's budget ran out"));
        }
        Ok(())
    }

    /// Every node visited costs fuel, and results cost memory, as the evaluation goes.
    #[inline]
    pub(crate) fn charge() -> bool {
        crate::budget::spend(1)
            && crate::budget::alloc(crate::budget::ENTRY)
            && crate::budget::stack_ok()
    }

    // The evaluation recurses once per token and document level, so the functions on that
    // path keep small frames: each token kind has its own function, and error messages are
    // built in cold helpers.
    pub(crate) fn eval(&mut self, idx: usize, model: &Value) -> Result<(), PathError> {
        self.enter()?;
        let path = self.path;
        let r = match &path.tokens[idx] {
            Token::Root => self.emit(idx, model.clone()),
            Token::Property(keys) => self.eval_property(idx, model, keys),
            Token::Array(op, numbers) => self.eval_array(idx, model, *op, numbers),
            Token::Wildcard => self.eval_wildcard(idx, model),
            Token::Scan => self.eval_scan(idx, model),
            Token::Predicate(filters) => self.eval_predicate(idx, model, filters),
        };
        self.depth -= 1;
        r
    }

    pub(crate) fn emit(&mut self, idx: usize, value: Value) -> Result<(), PathError> {
        if self.is_leaf(idx) {
            self.results.push(value);
            Ok(())
        } else {
            self.eval(idx + 1, &value)
        }
    }

    #[inline(never)]
    pub(crate) fn eval_property(
        &mut self,
        idx: usize,
        model: &Value,
        keys: &[Key],
    ) -> Result<(), PathError> {
        if !is_map(model) {
            return Err(property_not_found(keys, self.path));
        }
        self.handle_properties(idx, model, keys)
    }

    #[inline(never)]
    pub(crate) fn eval_wildcard(&mut self, idx: usize, model: &Value) -> Result<(), PathError> {
        if is_map(model) {
            for i in 0..map_len(model) {
                let Some((k, v)) = map_entry(model, i) else {
                    break;
                };
                if !matches!(k.0, Value::Str(_)) {
                    return Err(PathError::other("java.lang.ClassCastException"));
                }
                self.emit(idx, v)?;
            }
        } else if is_array(model) {
            let mut i = 0;
            while i < list_len(model) {
                match self.handle_index(idx, model, i as i64) {
                    Err(e) if e.is_not_found() => {}
                    r => r?,
                }
                i += 1;
            }
        }
        Ok(())
    }

    #[inline(never)]
    pub(crate) fn eval_scan(&mut self, idx: usize, model: &Value) -> Result<(), PathError> {
        let path = self.path;
        let pt = idx + 1;
        let Some(next) = path.tokens.get(pt) else {
            return Err(PathError::other("Current path token is a leaf"));
        };
        let pred = match next {
            Token::Property(keys) => ScanPredicate::Properties(keys),
            Token::Array(..) => ScanPredicate::Array,
            Token::Wildcard => ScanPredicate::Always,
            Token::Predicate(_) => ScanPredicate::Filter(pt),
            Token::Root | Token::Scan => ScanPredicate::Never,
        };
        self.walk(pt, model, &pred)
    }

    #[inline(never)]
    pub(crate) fn eval_predicate(
        &mut self,
        idx: usize,
        model: &Value,
        filters: &[Option<FilterNode>],
    ) -> Result<(), PathError> {
        if is_map(model) {
            if self.accept(filters, model)? {
                self.emit(idx, model.clone())?;
            }
            Ok(())
        } else if is_array(model) {
            let mut i = 0;
            while i < list_len(model) {
                if let Some(item) = list_get(model, i) {
                    if self.accept(filters, &item)? {
                        self.handle_index(idx, model, i as i64)?;
                    }
                }
                i += 1;
            }
            Ok(())
        } else {
            Err(PathError::invalid(
                "Filter: [?] can not be applied to primitives.",
            ))
        }
    }

    pub(crate) fn handle_properties(
        &mut self,
        idx: usize,
        model: &Value,
        keys: &[Key],
    ) -> Result<(), PathError> {
        if let [key] = keys {
            return match map_get(model, key) {
                Some(v) => self.emit(idx, v),
                None if self.is_leaf(idx) => Err(not_found("No results for path: ", self.path)),
                None if !self.upstream_definite(idx) => Ok(()),
                None => Err(not_found("Missing property in path ", self.path)),
            };
        }
        if !self.is_leaf(idx) {
            return Err(PathError::invalid(format!(
                "Multi properties can only be used as path leafs: {}",
                property_fragment(keys)
            )));
        }
        let mut merged = Entries::default();
        for key in keys {
            if let Some(v) = map_get(model, key) {
                merged.insert(key.clone(), v);
            }
        }
        self.results.push(Value::map(merged));
        Ok(())
    }

    pub(crate) fn handle_index(
        &mut self,
        idx: usize,
        model: &Value,
        i: i64,
    ) -> Result<(), PathError> {
        let item = usize::try_from(i).ok().and_then(|i| list_get(model, i));
        match item {
            Some(v) => self.emit(idx, v),
            None => Err(not_found(
                "Index out of bounds when evaluating path ",
                self.path,
            )),
        }
    }

    pub(crate) fn eval_array(
        &mut self,
        idx: usize,
        model: &Value,
        op: ArrayOp,
        n: &[i32],
    ) -> Result<(), PathError> {
        if model.is_null() {
            return Err(not_found("Null value in path ", self.path));
        }
        if !is_array(model) {
            return Err(PathError::invalid(
                "Filter: [..] can only be applied to arrays.",
            ));
        }
        let arg = |k: usize| -> Result<i64, PathError> {
            n.get(k)
                .map(|&v| i64::from(v))
                .ok_or_else(|| PathError::not_found("Index out of bounds when evaluating path"))
        };
        let len = list_len(model) as i64;
        match op {
            ArrayOp::Single => self.handle_index(idx, model, arg(0)?),
            ArrayOp::Sequence => {
                for &i in n {
                    self.handle_index(idx, model, i64::from(i))?;
                }
                Ok(())
            }
            ArrayOp::ContextSize => self.handle_index(idx, model, len + arg(0)?),
            ArrayOp::SliceFrom => {
                let mut from = arg(0)?;
                if from < 0 {
                    from += len;
                }
                let from = from.max(0);
                if len == 0 || from >= len {
                    return Ok(());
                }
                for i in from..len {
                    self.handle_index(idx, model, i)?;
                }
                Ok(())
            }
            ArrayOp::SliceTo => {
                let mut to = arg(0)?;
                if to < 0 {
                    to += len;
                }
                let to = to.min(len);
                if len == 0 {
                    return Ok(());
                }
                for i in 0..to {
                    self.handle_index(idx, model, i)?;
                }
                Ok(())
            }
            ArrayOp::SliceBetween => {
                let from = arg(0)?;
                let to = arg(1)?.min(len);
                if from >= to || len == 0 {
                    return Ok(());
                }
                for i in from..to {
                    self.handle_index(idx, model, i)?;
                }
                Ok(())
            }
            ArrayOp::Unknown => Err(PathError::other("java.lang.NullPointerException")),
        }
    }

    pub(crate) fn walk(
        &mut self,
        pt: usize,
        model: &Value,
        pred: &ScanPredicate,
    ) -> Result<(), PathError> {
        self.enter()?;
        let r = self.walk_inner(pt, model, pred);
        self.depth -= 1;
        r
    }

    pub(crate) fn walk_inner(
        &mut self,
        pt: usize,
        model: &Value,
        pred: &ScanPredicate,
    ) -> Result<(), PathError> {
        if is_map(model) {
            if self.scan_matches(pred, model)? {
                self.eval(pt, model)?;
            }
            for i in 0..map_len(model) {
                let Some((_, v)) = map_entry(model, i) else {
                    break;
                };
                self.walk(pt, &v, pred)?;
            }
        } else if is_array(model) {
            if self.scan_matches(pred, model)? {
                if self.is_leaf(pt) {
                    self.eval(pt, model)?;
                } else {
                    // Jayway applies the token after the matched one to every item.
                    let mut i = 0;
                    while let Some(item) = list_get(model, i) {
                        self.eval(pt + 1, &item)?;
                        i += 1;
                    }
                }
            }
            let mut i = 0;
            while let Some(item) = list_get(model, i) {
                self.walk(pt, &item, pred)?;
                i += 1;
            }
        }
        Ok(())
    }

    pub(crate) fn scan_matches(
        &mut self,
        pred: &ScanPredicate,
        model: &Value,
    ) -> Result<bool, PathError> {
        Ok(match pred {
            ScanPredicate::Properties(keys) => match model {
                Value::Map(m) => {
                    let entries = m.entries.borrow();
                    keys.iter().all(|k| entries.contains_key(k))
                }
                _ => false,
            },
            ScanPredicate::Array => is_array(model),
            ScanPredicate::Always => true,
            ScanPredicate::Never => false,
            ScanPredicate::Filter(pt) => match &self.path.tokens[*pt] {
                Token::Predicate(filters) => self.accept(filters, model)?,
                _ => false,
            },
        })
    }

    pub(crate) fn accept(
        &mut self,
        filters: &[Option<FilterNode>],
        item: &Value,
    ) -> Result<bool, PathError> {
        for f in filters {
            let Some(f) = f else {
                return Err(PathError::other("java.lang.NullPointerException"));
            };
            if !f.apply(item, self.root, self.depth)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cold]
#[inline(never)]
pub(crate) fn not_found(what: &str, path: &JsonPath) -> PathError {
    PathError::not_found(format!("{what}{}", path.source))
}

#[cold]
#[inline(never)]
pub(crate) fn property_not_found(keys: &[Key], path: &JsonPath) -> PathError {
    PathError::not_found(format!(
        "Property {} not found in path {}",
        property_fragment(keys),
        path.source
    ))
}

pub(crate) fn property_fragment(keys: &[Key]) -> String {
    let names: Vec<String> = keys.iter().map(|k| format!("'{}'", key_text(k))).collect();
    format!("[{}]", names.join(", "))
}

/// An operand's value: a JSON value, or a compiled pattern.
pub(crate) enum Operated<'o> {
    Value(Value),
    Pattern(&'o JavaRegex, &'o str),
}

impl Operated<'_> {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Operated::Value(Value::Null))
    }
}

/// Why a comparison failed: `ValueCompareException` (criterion false) or another exception.
pub(crate) enum CompareError {
    Incomparable,
    Fatal(PathError),
}

impl FilterNode {
    /// Whether the filter holds for `item`: `&&` in order, stopping at the first false; `||`
    /// left first.
    pub(crate) fn apply(
        &self,
        item: &Value,
        root: &Value,
        depth: usize,
    ) -> Result<bool, PathError> {
        match self {
            FilterNode::Single(c) => c.apply(item, root, depth),
            FilterNode::And(list) => {
                for f in list {
                    if !f.apply(item, root, depth)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            FilterNode::Or(l, r) => Ok(l.apply(item, root, depth)? || r.apply(item, root, depth)?),
        }
    }
}

impl Criterion {
    pub(crate) fn apply(
        &self,
        item: &Value,
        root: &Value,
        depth: usize,
    ) -> Result<bool, PathError> {
        match self {
            Criterion::Exists { path, exists } => {
                // Jayway evaluates an existence path against the item, even a `$` path.
                match path
                    .evaluate_nested(item, root, depth)
                    .and_then(|r| path.value_of(r))
                {
                    Ok(v) => Ok(if *exists { !v.is_null() } else { v.is_null() }),
                    Err(e) if e.is_not_found() => Ok(!*exists),
                    Err(e) => Err(e),
                }
            }
            Criterion::Compare { left, op, right } => {
                let l = match operand_value(left, item, root, depth) {
                    Ok(v) => v,
                    Err(e) if e.is_not_found() => return Ok(false),
                    Err(e) => return Err(e),
                };
                let r = match operand_value(right, item, root, depth) {
                    Ok(v) => v,
                    Err(e) if e.is_not_found() => return Ok(false),
                    Err(e) => return Err(e),
                };
                match evaluate_op(*op, &r, &l) {
                    Ok(b) => Ok(b),
                    Err(CompareError::Incomparable) => Ok(false),
                    Err(CompareError::Fatal(e)) => Err(e),
                }
            }
        }
    }
}

impl JsonPath {
    pub(crate) fn evaluate_nested(
        &self,
        document: &Value,
        root: &Value,
        depth: usize,
    ) -> Result<Vec<Value>, PathError> {
        let mut ctx = Ctx {
            path: self,
            root,
            results: Vec::new(),
            depth,
        };
        if !self.tokens.is_empty() {
            ctx.eval(0, document)?;
        }
        Ok(ctx.results)
    }
}

pub(crate) fn operand_value<'o>(
    op: &'o Operand,
    item: &Value,
    root: &Value,
    depth: usize,
) -> Result<Operated<'o>, PathError> {
    match op {
        Operand::Path(p) => {
            let start = if p.root_path { root } else { item };
            let results = p.evaluate_nested(start, root, depth)?;
            Ok(Operated::Value(p.value_of(results)?))
        }
        Operand::Text(s) => Ok(Operated::Value(Value::Str(s.clone()))),
        Operand::Pattern(re, src) => Ok(Operated::Pattern(re.as_ref(), src)),
    }
}

/// `CriteriaType.eval(expected, actual)`: `expected` is the right-hand operand's value,
/// `actual` the left-hand one's.
pub(crate) fn evaluate_op(
    op: Op,
    expected: &Operated,
    actual: &Operated,
) -> Result<bool, CompareError> {
    match op {
        Op::Eq => Ok(safe_compare(expected, actual)? == Ordering::Equal),
        Op::Ne => Ok(safe_compare(expected, actual)? != Ordering::Equal),
        Op::Gt | Op::Ge | Op::Lt | Op::Le => {
            if expected.is_null() != actual.is_null() {
                return Ok(false);
            }
            let c = safe_compare(expected, actual)?;
            Ok(match op {
                Op::Gt => c == Ordering::Less,
                Op::Ge => c != Ordering::Greater,
                Op::Lt => c == Ordering::Greater,
                _ => c != Ordering::Less,
            })
        }
        Op::Regex => {
            let (re, target) = match (expected, actual) {
                (Operated::Pattern(re, _), target) => (*re, target),
                (target, Operated::Pattern(re, _)) => (*re, target),
                _ => {
                    return Err(CompareError::Fatal(PathError::other(
                        "java.lang.ClassCastException",
                    )))
                }
            };
            let text = match target {
                Operated::Value(v) => match v.to_java_string() {
                    Some(s) => s,
                    None => return Ok(false),
                },
                Operated::Pattern(_, src) => src.to_string(),
            };
            re.matches(&text)
                .map_err(|e| CompareError::Fatal(PathError::other(e.to_string())))
        }
    }
}

pub(crate) fn is_nullish(v: &Operated) -> bool {
    match v {
        Operated::Value(Value::Null) => true,
        Operated::Value(Value::Str(s)) => &**s == "null",
        _ => false,
    }
}

pub(crate) fn is_number(v: &Value) -> bool {
    v.is_number() || as_big_decimal(v).is_some() || as_java_float(v).is_some()
}

/// `Number.toString()` parsed as a `BigDecimal` (`NumberFormatException` for NaN/Infinity).
pub(crate) fn number_decimal(v: &Value) -> Result<BigDecimal, CompareError> {
    if let Some(d) = as_big_decimal(v) {
        return Ok(d.clone());
    }
    let text = match v {
        Value::Double(d) => java::format_double(*d),
        other => other.to_java_string().unwrap_or_default(),
    };
    decimal(&text)
}

pub(crate) fn decimal(text: &str) -> Result<BigDecimal, CompareError> {
    parse_big_decimal(text).ok_or_else(|| {
        CompareError::Fatal(PathError::other(format!(
            "java.lang.NumberFormatException: {text}"
        )))
    })
}

/// Jayway's `safeCompare(expected, actual)`.
pub(crate) fn safe_compare(a: &Operated, b: &Operated) -> Result<Ordering, CompareError> {
    if let (Operated::Value(x), Operated::Value(y)) = (a, b) {
        let same = match (x, y) {
            (Value::Null, Value::Null) => true,
            (Value::List(p), Value::List(q)) => Rc::ptr_eq(p, q),
            (Value::Map(p), Value::Map(q)) => Rc::ptr_eq(p, q),
            (Value::Object(p), Value::Object(q)) => Rc::ptr_eq(p, q),
            _ => false,
        };
        if same {
            return Ok(Ordering::Equal);
        }
    }
    match (is_nullish(a), is_nullish(b)) {
        (true, false) => return Ok(Ordering::Less),
        (false, true) => return Ok(Ordering::Greater),
        (true, true) => return Ok(Ordering::Equal),
        _ => {}
    }
    let (Operated::Value(x), Operated::Value(y)) = (a, b) else {
        return Err(CompareError::Incomparable);
    };
    match (x, y) {
        (Value::Str(e), Value::Str(v)) => {
            if e.contains('\'') {
                Ok(java_compare(&e.replace("\\'", "'"), v))
            } else {
                Ok(java_compare(e, v))
            }
        }
        (x, y) if is_number(x) && is_number(y) => {
            Ok(compare_decimal(&number_decimal(x)?, &number_decimal(y)?))
        }
        (Value::Str(e), y) if is_number(y) => {
            Ok(compare_decimal(&decimal(e)?, &number_decimal(y)?))
        }
        (Value::Str(e), Value::Bool(v)) => Ok(e.eq_ignore_ascii_case("true").cmp(v)),
        (Value::Bool(e), Value::Bool(v)) => Ok(e.cmp(v)),
        _ => Err(CompareError::Incomparable),
    }
}

/// `String.compareTo`: UTF-16 code unit order.
pub(crate) fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// `BigDecimal.compareTo` without materialising huge powers of ten.
pub(crate) fn compare_decimal(a: &BigDecimal, b: &BigDecimal) -> Ordering {
    let (sa, sb) = (sign(a), sign(b));
    if sa != sb {
        return sa.cmp(&sb);
    }
    if sa == 0 {
        return Ordering::Equal;
    }
    let magnitude = |d: &BigDecimal| {
        let digits = d.unscaled.abs().to_string();
        let adjusted = digits.len() as i64 - 1 - i64::from(d.scale);
        (adjusted, digits.trim_end_matches('0').to_string())
    };
    let (ea, da) = magnitude(a);
    let (eb, db) = magnitude(b);
    let ord = ea.cmp(&eb).then_with(|| {
        let n = da.len().max(db.len());
        let pa = da.bytes().chain(std::iter::repeat(b'0')).take(n);
        let pb = db.bytes().chain(std::iter::repeat(b'0')).take(n);
        pa.cmp(pb)
    });
    if sa < 0 {
        ord.reverse()
    } else {
        ord
    }
}

pub(crate) fn sign(d: &BigDecimal) -> i8 {
    if d.unscaled.is_zero() {
        0
    } else if d.unscaled.is_negative() {
        -1
    } else {
        1
    }
}
