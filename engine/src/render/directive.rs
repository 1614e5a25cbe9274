//! `#include`/`#parse` (never a file), `#evaluate`, `#foreach`, macro calls and `#define`
//! blocks as the renderer runs them.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use vtl_grammar::ast::Span;

use crate::budget::{self};
use crate::compile::{CExpr, CExprKind, CForeach, CMacroCall, Const};
use crate::error::ErrorKind;
use crate::value::{Entries, List, ListKind, Value};

use super::renderer::*;
use super::scope::{DefineBlock, ForeachScope, DEFINE_MAX_DEPTH};

impl<'p> Renderer<'p> {
    pub(crate) fn include(&mut self, is_include: bool, args: &[CExpr], span: Span) -> R<Flow> {
        // Templates never read files: every resource is "not found", as in a Velocity with
        // no resource loader. Velocity's quirks for missing arguments are kept.
        if args.is_empty() {
            if is_include {
                return Ok(Flow::Normal);
            }
            return Err(self.err(
                ErrorKind::Render,
                "#parse() requires exactly one argument",
                span,
            ));
        }
        for (i, a) in args.iter().enumerate() {
            let v = self.value(a)?;
            if v.is_null() {
                if is_include {
                    self.write(
                        &format!(
                            "<!-- include error : error with arg {i} please see log. see error log -->"
                        ),
                        span,
                    )?;
                    continue;
                }
                // `#parse($undefined)` renders nothing.
                return Ok(Flow::Normal);
            }
            let target = self.stringify(&v)?.unwrap_or_default();
            return Err(self.err(
                ErrorKind::Render,
                format!("Unable to find resource '{target}' (templates cannot read files)"),
                span,
            ));
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn evaluate_directive(&mut self, e: &CExpr, span: Span) -> R<Flow> {
        self.spend(1, span)?;
        let v = self.value(e)?;
        let Some(text) = self.stringify(&v)? else {
            return Ok(Flow::Normal);
        };
        self.enter(span)?;
        let result = (|| {
            self.spend(text.len() as u64 / 16 + 1, span)?;
            let nodes = vtl_grammar::parse(&text, self.limits.parse_options()).map_err(|pe| {
                let kind = match pe.kind {
                    vtl_grammar::ParseErrorKind::Limit => ErrorKind::Limit,
                    _ => ErrorKind::Syntax,
                };
                self.err(kind, format!("#evaluate: {}", pe.message), span)
            })?;
            let program = crate::compile::compile(nodes, &text, self.profile)
                .map_err(|ce| self.err(ce.kind(), format!("#evaluate: {}", ce.message()), span))?;
            for (name, def) in &program.macros {
                if !self.program_macros.contains_key(name) {
                    self.runtime_macros
                        .entry(name.clone())
                        .or_insert_with(|| def.clone());
                }
            }
            self.foreign += 1;
            let flow = self.render_nodes(&program.nodes);
            self.foreign -= 1;
            flow
        })();
        self.depth -= 1;
        match result? {
            // `#stop` and `#break` inside #evaluate end only the evaluation.
            Flow::Break(None) | Flow::Stop => Ok(Flow::Normal),
            other => Ok(other),
        }
    }

    pub(crate) fn enter(&mut self, span: Span) -> R<()> {
        if self.depth >= self.limits.max_depth {
            return Err(self.err(
                ErrorKind::Limit,
                format!("nesting deeper than {} levels", self.limits.max_depth),
                span,
            ));
        }
        self.depth += 1;
        Ok(())
    }

    pub(crate) fn foreach(&mut self, f: &CForeach) -> R<Flow> {
        self.spend(1, f.span)?;
        let source = match &f.iterable.kind {
            // A range written in the directive is iterated without building its list: the
            // list is out of the template's reach, so only its elements are observable.
            CExprKind::Range(a, b) => match self.range_bounds(a, b, f.iterable.span)? {
                Some((from, to)) => Source::Range { from, to },
                None => return Ok(Flow::Normal),
            },
            _ => {
                let iterable = self.value(&f.iterable)?;
                // A map iterates its values; changing the map meanwhile fails as in Java.
                match &iterable {
                    Value::List(l) => Source::List(l.clone(), None),
                    Value::Map(m) => Source::List(
                        Rc::new(List {
                            kind: ListKind::ArrayList,
                            items: std::cell::RefCell::new(
                                m.entries.borrow().values().cloned().collect(),
                            ),
                        }),
                        Some((m.clone(), m.entries.borrow().len())),
                    ),
                    Value::Object(o) => match o.call_method("iterator", &[]) {
                        Some(Ok(Value::List(l))) => Source::List(l, None),
                        _ => return Ok(Flow::Normal),
                    },
                    _ => return Ok(Flow::Normal),
                }
            }
        };
        let [counter_name, has_next_name, scope_name] = loop_names();
        let loop_vars = self.loop_vars;
        let saved_item = self.lookup(&f.var)?;
        let (saved_counter, saved_has_next) = if loop_vars {
            (self.lookup(counter_name)?, self.lookup(has_next_name)?)
        } else {
            (Value::Null, Value::Null)
        };
        let parent_scope = self.lookup(scope_name)?;
        self.scope_ids += 1;
        let scope = Rc::new_cyclic(|this| ForeachScope {
            id: self.scope_ids,
            index: Cell::new(-1),
            has_next: Cell::new(false),
            parent: parent_scope.clone(),
            storage: Value::map(Entries::default()),
            this: this.clone(),
        });
        self.set_var(scope_name, Value::Object(scope.clone()));
        let initial_len = match &source {
            Source::List(list, _) => list.items.borrow().len(),
            Source::Range { .. } => 0,
        };
        let max = self.limits.max_foreach;
        let mut cursor = 0usize;
        let mut result = Ok(Flow::Normal);
        loop {
            let (item, has_next) = match &source {
                Source::Range { from, to } => {
                    let n = (to - from).unsigned_abs() as usize + 1;
                    if cursor == n {
                        break;
                    }
                    let step = cursor as i64;
                    let i = if from <= to { from + step } else { from - step };
                    (Value::Int(i as i32), cursor + 1 < n)
                }
                Source::List(list, watched_map) => {
                    let items = list.items.borrow();
                    // Java's `hasNext()` is `cursor != size()`: a list that shrank below the
                    // cursor still has a "next", and `next()` then throws.
                    if cursor == items.len() {
                        break;
                    }
                    let map_changed = watched_map
                        .as_ref()
                        .is_some_and(|(m, n)| m.entries.borrow().len() != *n);
                    if items.len() != initial_len || map_changed {
                        drop(items);
                        result = Err(self.err(
                            ErrorKind::Render,
                            "java.util.ConcurrentModificationException: the list was changed while #foreach iterated over it",
                            f.span,
                        ));
                        break;
                    }
                    let Some(item) = items.get(cursor) else {
                        break;
                    };
                    (item.clone(), cursor + 1 < items.len())
                }
            };
            if let Err(e) = self.spend(1, f.span) {
                result = Err(e);
                break;
            }
            cursor += 1;
            if loop_vars {
                self.set_var(counter_name, Value::Int(cursor as i32));
                self.set_var(has_next_name, Value::Bool(has_next));
            }
            self.set_var(&f.var, item);
            scope.index.set(cursor as i64 - 1);
            scope.has_next.set(has_next);
            match self.render_nodes(&f.body) {
                Ok(Flow::Normal) => {}
                Ok(Flow::Break(None)) => break,
                Ok(Flow::Break(Some(id))) if id == scope.id => break,
                Ok(other) => {
                    result = Ok(other);
                    break;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
            if max.is_some_and(|m| cursor >= m) {
                break;
            }
        }
        if loop_vars {
            self.restore_var(counter_name, saved_counter);
        }
        self.restore_var(&f.var, saved_item);
        if loop_vars {
            self.restore_var(has_next_name, saved_has_next);
        }
        self.restore_var(scope_name, parent_scope);
        result
    }

    /// The bounds of a range `[a..b]`, checked against the range limit and charged to fuel;
    /// `None` when a bound is not a number (the range is then null).
    pub(crate) fn range_bounds(
        &mut self,
        a: &CExpr,
        b: &CExpr,
        span: Span,
    ) -> R<Option<(i64, i64)>> {
        let a = self.value(a)?;
        let b = self.value(b)?;
        let (Some(from), Some(to)) = (range_bound(&a), range_bound(&b)) else {
            return Ok(None);
        };
        let n = (to - from).unsigned_abs() + 1;
        if n > self.limits.max_range as u64 {
            return Err(self.err(
                ErrorKind::Limit,
                format!(
                    "the range [{from}..{to}] has more than {} elements",
                    self.limits.max_range
                ),
                span,
            ));
        }
        self.spend(n / 8 + 1, span)?;
        Ok(Some((from, to)))
    }

    pub(crate) fn macro_call(&mut self, m: &CMacroCall) -> R<Flow> {
        self.spend(1, m.span)?;
        let def = self
            .program_macros
            .get(&m.name)
            .or_else(|| self.runtime_macros.get(&m.name))
            .cloned();
        let Some(def) = def else {
            if self.aws() {
                self.warn(format!("#{} is not a directive or macro", m.name), m.span);
            }
            self.write(&m.literal, m.span)?;
            return Ok(Flow::Normal);
        };
        if self.macro_depth >= self.limits.max_macro_depth {
            return Err(self.err(
                ErrorKind::Limit,
                format!(
                    "Max calling depth of {} was exceeded in macro '{}'",
                    self.limits.max_macro_depth, def.name
                ),
                m.span,
            ));
        }
        let mut frame = Frame {
            locals: Vars::default(),
            args: HashMap::default(),
            params: def.params.clone(),
        };
        for (param, arg) in def.params.iter().zip(m.args.iter()) {
            match &arg.kind {
                CExprKind::Const(c) if !matches!(c, Const::Str(_)) => {
                    frame.locals.insert(param.clone(), const_value(c));
                }
                CExprKind::Word(w) => {
                    frame.locals.insert(param.clone(), Value::Str(w.clone()));
                }
                _ => {
                    frame.args.insert(
                        param.clone(),
                        ArgRef {
                            expr: arg as *const CExpr,
                            caller_level: self.level,
                        },
                    );
                }
            }
        }
        if let Some(body) = &m.body {
            frame.locals.insert(
                Arc::from("bodyContent"),
                Value::Object(Rc::new(DefineBlock {
                    body: body.clone(),
                    depth: Cell::new(0),
                })),
            );
        }
        self.frames.truncate(self.level);
        self.frames.push(frame);
        let saved_level = self.level;
        self.level = self.frames.len();
        self.macro_depth += 1;
        let flow = self.render_nodes(&def.body);
        self.macro_depth -= 1;
        self.level = saved_level;
        self.frames.truncate(saved_level);
        match flow? {
            Flow::Break(None) => Ok(Flow::Normal),
            other => Ok(other),
        }
    }

    pub(crate) fn render_define(&mut self, block: &DefineBlock, span: Span) -> R<Flow> {
        self.enter(span)?;
        block.depth.set(block.depth.get() + 1);
        let flow = self.render_nodes(&block.body);
        block.depth.set(block.depth.get() - 1);
        self.depth -= 1;
        match flow? {
            Flow::Break(None) => Ok(Flow::Normal),
            other => Ok(other),
        }
    }

    /// Renders a block into a string (for a `#define` value used as a string); `None` past
    /// the define depth.
    pub(crate) fn render_block(&mut self, block: &DefineBlock, span: Span) -> R<Option<String>> {
        if block.depth.get() >= DEFINE_MAX_DEPTH {
            return Ok(None);
        }
        let (result, text) = self.render_aside(|r| r.render_define(block, span));
        result?;
        // The text was charged as it was written.
        self.alloc(budget::OBJECT, span)?;
        Ok(Some(text))
    }
}
