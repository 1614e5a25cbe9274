//! Expressions: literals, lists, maps, ranges, operators, Velocity's `==` and `#if` truth.

use vtl_grammar::ast::BinOp;

use crate::budget::{self};
use crate::compile::{CExpr, CExprKind, Const};
use crate::error::ErrorKind;
use crate::java::math;
use crate::value::{java_equals, Entries, Key, ListKind, Value};

use super::renderer::*;

impl<'p> Renderer<'p> {
    // ---- expressions ----

    pub fn value(&mut self, e: &CExpr) -> R<Value> {
        self.guard_stack(e.span)?;
        Ok(match &e.kind {
            CExprKind::Const(c) => const_value(c),
            CExprKind::Interpolated(nodes) => {
                let (flow, mut text) = self.render_aside(|r| r.render_nodes(nodes));
                if let Ok(flow @ (Flow::Stop | Flow::Break(_))) = flow {
                    self.pending_flow = Some(flow);
                    return Err(self.err(
                        ErrorKind::Render,
                        "#stop or #break inside a string literal",
                        e.span,
                    ));
                }
                flow?;
                // The text was charged as it was written.
                self.alloc(budget::OBJECT, e.span)?;
                text.pop();
                Value::string(text)
            }
            CExprKind::List(items) => {
                self.alloc(items.len() * budget::ENTRY + budget::OBJECT, e.span)?;
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.value(i)?);
                }
                Value::list(ListKind::ArrayList, out)
            }
            CExprKind::Map(entries) => {
                self.alloc(entries.len() * budget::MAP_ENTRY + budget::OBJECT, e.span)?;
                let mut map = Entries::with_capacity_and_hasher(entries.len(), Default::default());
                for (k, v) in entries {
                    let k = self.value(k)?;
                    let v = self.value(v)?;
                    map.insert(Key(k), v);
                }
                Value::map(map)
            }
            CExprKind::Range(a, b) => {
                let Some((from, to)) = self.range_bounds(a, b, e.span)? else {
                    return Ok(Value::Null);
                };
                let n = (to - from).unsigned_abs() + 1;
                self.alloc(n as usize * budget::ENTRY + budget::OBJECT, e.span)?;
                let items: Vec<Value> = if from <= to {
                    (from..=to).map(|i| Value::Int(i as i32)).collect()
                } else {
                    (to..=from).rev().map(|i| Value::Int(i as i32)).collect()
                };
                Value::list(ListKind::ArrayList, items)
            }
            CExprKind::Ref(r) => self.eval_ref(r)?,
            CExprKind::Word(w) => Value::Str(w.clone()),
            CExprKind::Binary(op, a, b) => match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                    self.spend(1, e.span)?;
                    let l = self.value(a)?;
                    let r = self.value(b)?;
                    if *op == BinOp::Add && (l.as_str().is_some() || r.as_str().is_some()) {
                        let ls = match self.stringify(&l)? {
                            Some(s) => s,
                            None => self.literal(a),
                        };
                        let rs = match self.stringify(&r)? {
                            Some(s) => s,
                            None => self.literal(b),
                        };
                        self.alloc(ls.len() + rs.len() + budget::OBJECT, e.span)?;
                        self.spend((ls.len() + rs.len()) as u64 / 16, e.span)?;
                        return Ok(Value::string(ls + &rs));
                    }
                    let op = match op {
                        BinOp::Add => math::MathOp::Add,
                        BinOp::Sub => math::MathOp::Subtract,
                        BinOp::Mul => math::MathOp::Multiply,
                        BinOp::Div => math::MathOp::Divide,
                        _ => math::MathOp::Modulo,
                    };
                    self.arithmetic(op, &l, &r, e.span)?
                }
                _ => Value::Bool(self.evaluate(e)?),
            },
            CExprKind::Not(_) => Value::Bool(self.evaluate(e)?),
        })
    }

    /// Source text of an expression (Velocity prints it for a null operand of `+`).
    pub(crate) fn literal(&self, e: &CExpr) -> String {
        if self.foreign > 0 {
            return String::new();
        }
        self.source
            .get(e.span.start..e.span.end)
            .unwrap_or("")
            .to_string()
    }

    /// Velocity's truth of an expression (`Node.evaluate`): literals are false.
    pub fn evaluate(&mut self, e: &CExpr) -> R<bool> {
        self.guard_stack(e.span)?;
        Ok(match &e.kind {
            CExprKind::Ref(r) => self.eval_ref(r)?.is_truthy(),
            CExprKind::Const(Const::Bool(b)) => *b,
            CExprKind::Not(a) => !self.evaluate(a)?,
            CExprKind::Binary(op, a, b) => match op {
                BinOp::And => self.evaluate(a)? && self.evaluate(b)?,
                BinOp::Or => self.evaluate(a)? || self.evaluate(b)?,
                BinOp::Eq | BinOp::Ne => {
                    let l = self.value(a)?;
                    let r = self.value(b)?;
                    let eq = self.velocity_equals(&l, &r)?;
                    self.check_budget(e.span)?;
                    if *op == BinOp::Eq {
                        eq
                    } else {
                        !eq
                    }
                }
                BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                    let l = self.value(a)?;
                    let r = self.value(b)?;
                    if !(math::is_number(&l) && math::is_number(&r)) {
                        return Ok(false);
                    }
                    let Some(ord) = math::compare_numbers(&l, &r) else {
                        return Ok(false);
                    };
                    match op {
                        BinOp::Lt => ord.is_lt(),
                        BinOp::Le => ord.is_le(),
                        BinOp::Gt => ord.is_gt(),
                        _ => ord.is_ge(),
                    }
                }
                _ => false,
            },
            _ => false,
        })
    }

    /// Velocity 1.7 `==`: numbers by value; related classes by `equals`; otherwise by
    /// `toString()` (two nulls are equal).
    pub(crate) fn velocity_equals(&mut self, l: &Value, r: &Value) -> R<bool> {
        if math::is_number(l) && math::is_number(r) {
            return Ok(math::compare_numbers(l, r).is_some_and(|o| o.is_eq()));
        }
        if !l.is_null() && !r.is_null() && related_classes(l, r) {
            return Ok(java_equals(l, r));
        }
        let ls = self.stringify(l)?;
        let rs = self.stringify(r)?;
        Ok(match (ls, rs) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b,
            _ => false,
        })
    }
}
