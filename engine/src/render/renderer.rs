//! The renderer's state (variables, frames, budget, output, warnings) and its walk over the
//! statements of a program; the other files of `render/` add the directives, references and
//! expressions to the same [`Renderer`].

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

use vtl_grammar::ast::Span;

use crate::budget::{self, Exhausted};
use crate::compile::{CExpr, CNode, Const, MacroDef, Name, Program};
use crate::error::{Error, ErrorKind};
use crate::fxhash::FxHasher;
use crate::java::regex::RegexCache;
use crate::limits::{Limits, Profile};
use crate::value::{List, Value};

use super::scope::{DefineBlock, ForeachScope};

/// Host variables built on first use (with a request): `$context`, `$stageVariables`.
pub(crate) const LAZY_HOST_NAMES: [&str; 2] = ["context", "stageVariables"];

pub(crate) type Vars = HashMap<Arc<str>, Value, BuildHasherDefault<FxHasher>>;

/// The global variables of a render, in insertion order, so that a name can remember where
/// it was found ([`Name::hint`]) and the next lookup skips the hashing.
pub(crate) type Globals = indexmap::IndexMap<Arc<str>, Value, BuildHasherDefault<FxHasher>>;

/// A variable name the renderer looks up: a template's [`Name`] (with its hint) or any text.
pub(crate) trait VarName {
    fn text(&self) -> &Arc<str>;
    #[inline]
    fn hint(&self) -> usize {
        usize::MAX
    }
    #[inline]
    fn set_hint(&self, _at: usize) {}
}

impl VarName for Arc<str> {
    #[inline]
    fn text(&self) -> &Arc<str> {
        self
    }
}

impl VarName for Name {
    #[inline]
    fn text(&self) -> &Arc<str> {
        &self.text
    }
    #[inline]
    fn hint(&self) -> usize {
        Name::hint(self)
    }
    #[inline]
    fn set_hint(&self, at: usize) {
        Name::set_hint(self, at)
    }
}

/// Something the renderer noticed that did not stop it (for linters and the playground).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What happened.
    pub message: String,
    /// Where, as a byte range of the template.
    pub span: std::ops::Range<usize>,
}

impl Warning {
    /// `{message, line, column, start, end}` for the warning's place in `source`.
    pub fn to_json(&self, source: &str) -> serde_json::Value {
        let loc = crate::error::Location::resolve(source, self.span.clone());
        serde_json::json!({
            "message": self.message,
            "line": loc.line,
            "column": loc.column,
            "start": loc.span.start,
            "end": loc.span.end,
        })
    }
}

/// How rendering a statement ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Normal,
    /// `#break`: leave the innermost scope, or the one with this id.
    Break(Option<u64>),
    /// `#stop`: end the whole render.
    Stop,
}

pub(crate) type R<T> = Result<T, Error>;

/// A macro argument passed by name: an expression evaluated in the caller's scope at each use.
#[derive(Clone, Copy)]
pub(crate) struct ArgRef {
    pub(crate) expr: *const CExpr,
    pub(crate) caller_level: usize,
}

impl ArgRef {
    pub(crate) fn get(&self) -> &CExpr {
        // SAFETY: an ArgRef lives in a macro frame, which is pushed when the call starts and
        // popped before the call returns. The expression belongs to the program (or the
        // `#evaluate` program) that contains the call, which is borrowed for the whole call.
        unsafe { &*self.expr }
    }
}

pub(crate) struct Frame {
    pub(crate) locals: Vars,
    pub(crate) args: HashMap<Arc<str>, ArgRef, BuildHasherDefault<FxHasher>>,
    pub(crate) params: Vec<Arc<str>>,
}

/// Per-render state.
pub(crate) struct Renderer<'p> {
    pub(crate) profile: Profile,
    pub(crate) limits: Limits,
    pub out: String,
    /// Bytes of output set aside while a block renders into a string of its own.
    pub(crate) out_saved: usize,
    /// How many renders into a string of their own are in progress: their text becomes a
    /// value, so it is charged to the memory budget as it is written.
    pub(crate) aside: u32,
    /// The fuel, memory and stack budget, installed for this render.
    pub(crate) _budget: budget::Scope,
    /// The stack bound of that budget (its base, and how far below it the stack may grow),
    /// kept here to be checked without a thread-local lookup.
    pub(crate) stack: (usize, usize),
    pub globals: Globals,
    pub(crate) frames: Vec<Frame>,
    pub(crate) level: usize,
    pub(crate) program_macros: &'p HashMap<Arc<str>, Arc<MacroDef>>,
    /// Whether `#foreach` sets `$velocityCount` and `$velocityHasNext` (not when the template
    /// cannot read them).
    pub(crate) loop_vars: bool,
    pub(crate) runtime_macros: HashMap<Arc<str>, Arc<MacroDef>>,
    pub(crate) regex: RegexCache,
    pub warnings: Vec<Warning>,
    pub(crate) depth: usize,
    pub(crate) macro_depth: usize,
    pub(crate) scope_ids: u64,
    pub(crate) source: Arc<str>,
    /// Set while rendering text that came from `#evaluate` (spans refer to other text).
    pub(crate) foreign: usize,
    /// Argument values of method calls in progress (one buffer, no allocation per call).
    pub(crate) arg_stack: Vec<Value>,
    /// Set when the last call found no such method (as opposed to a method returning null).
    pub(crate) method_missing: bool,
    /// The API Gateway request, for host variables built on first use.
    pub(crate) request: Option<&'p crate::aws::Request>,
    /// `$context`, once built.
    pub(crate) context: Option<Value>,
    /// A `#stop`/`#break` met inside an interpolated string: it aborts the expression (as
    /// Velocity's exception does) and takes effect at the enclosing statement.
    pub(crate) pending_flow: Option<Flow>,
}

impl<'p> Renderer<'p> {
    pub fn new(
        profile: Profile,
        limits: Limits,
        source: Arc<str>,
        program: &'p Program,
        globals: Globals,
        request: Option<&'p crate::aws::Request>,
    ) -> Renderer<'p> {
        let budget = budget::install(limits.fuel, limits.max_memory, limits.max_stack);
        let out = String::with_capacity(program.output_room(source.len(), limits.max_output));
        Renderer {
            profile,
            limits,
            out,
            out_saved: 0,
            aside: 0,
            _budget: budget,
            stack: budget::stack_bounds(),
            globals,
            frames: Vec::new(),
            level: 0,
            program_macros: &program.macros,
            loop_vars: program.mentions.loop_vars,
            runtime_macros: HashMap::new(),
            regex: RegexCache::default(),
            warnings: Vec::new(),
            depth: 0,
            macro_depth: 0,
            scope_ids: 0,
            source,
            foreign: 0,
            arg_stack: Vec::new(),
            method_missing: false,
            request,
            context: None,
            pending_flow: None,
        }
    }

    /// `$context` as it stands, if the render built it.
    pub fn context(&self) -> Option<&Value> {
        self.context.as_ref()
    }

    /// Builds `$context` or `$stageVariables` when first looked up.
    pub(crate) fn lazy_host(&mut self, name: &Arc<str>) -> Value {
        let Some(request) = self.request else {
            return Value::Null;
        };
        let value = match &**name {
            "context" if self.context.is_none() => {
                let c = crate::aws::context::context_value(request);
                self.context = Some(c.clone());
                c
            }
            "stageVariables" => crate::aws::stage_variables(request),
            _ => return Value::Null,
        };
        self.globals.insert(name.clone(), value.clone());
        value
    }

    pub(crate) fn aws(&self) -> bool {
        self.profile == Profile::Aws
    }

    // ---- errors and budgets ----

    pub(crate) fn err(&self, kind: ErrorKind, message: impl Into<String>, span: Span) -> Error {
        if self.foreign > 0 {
            return Error::new(kind, message);
        }
        Error::at(kind, message, &self.source, span.start..span.end)
    }

    #[inline]
    pub(crate) fn spend(&mut self, units: u64, span: Span) -> R<()> {
        if budget::spend(units) {
            return Ok(());
        }
        Err(self.exhausted(budget::tripped().unwrap_or(Exhausted::Fuel), span))
    }

    /// The error for a budget that ran out.
    pub(crate) fn exhausted(&self, what: Exhausted, span: Span) -> Error {
        let message = match what {
            Exhausted::Fuel => format!(
                "the template used up its fuel ({} steps); it may loop too much",
                self.limits.fuel
            ),
            Exhausted::Memory => format!(
                "the template's values need more memory than the limit of {} bytes",
                self.limits.max_memory
            ),
            Exhausted::Stack => format!(
                "the template nests too deeply for the stack limit of {} bytes",
                self.limits.max_stack
            ),
        };
        self.err(ErrorKind::Limit, message, span)
    }

    /// Reserves memory for a value about to be built.
    #[inline]
    pub(crate) fn alloc(&mut self, bytes: usize, span: Span) -> R<()> {
        if budget::alloc(bytes) {
            return Ok(());
        }
        Err(self.exhausted(budget::tripped().unwrap_or(Exhausted::Memory), span))
    }

    /// Fails when a budget ran out in value-level code (a method, a comparison).
    #[inline]
    pub(crate) fn check_budget(&self, span: Span) -> R<()> {
        match budget::tripped() {
            None => Ok(()),
            Some(what) => Err(self.exhausted(what, span)),
        }
    }

    /// Fails when a budget ran out after the render (converting its results).
    pub fn check_budget_after(&self) -> R<()> {
        self.check_budget(Span::default())
    }

    /// Fails when the stack is deeper than the limit.
    #[inline]
    pub(crate) fn guard_stack(&self, span: Span) -> R<()> {
        let (base, max) = self.stack;
        if base == 0 || base.abs_diff(budget::stack_here()) <= max {
            return Ok(());
        }
        budget::trip_stack();
        Err(self.exhausted(Exhausted::Stack, span))
    }

    /// Bytes the output may still grow by.
    pub(crate) fn output_room(&self) -> usize {
        self.limits
            .max_output
            .saturating_sub(self.out_saved + self.out.len())
    }

    pub(crate) fn output_error(&self, span: Span) -> Error {
        self.err(
            ErrorKind::Limit,
            format!(
                "the output is larger than the limit of {} bytes",
                self.limits.max_output
            ),
            span,
        )
    }

    #[inline]
    pub(crate) fn write(&mut self, s: &str, span: Span) -> R<()> {
        if self.aside == 0 && self.out_saved + self.out.len() + s.len() <= self.limits.max_output {
            self.out.push_str(s);
            return Ok(());
        }
        self.write_checked(s, span)
    }

    /// `write` for text that becomes a value or may not fit.
    #[inline(never)]
    pub(crate) fn write_checked(&mut self, s: &str, span: Span) -> R<()> {
        if s.len() > self.output_room() {
            return Err(self.output_error(span));
        }
        if self.aside > 0 {
            self.alloc(s.len(), span)?;
        }
        self.out.push_str(s);
        Ok(())
    }

    /// Renders into a string of its own (interpolation, a `#define` used as a value); the
    /// output set aside still counts against the output limit.
    pub(crate) fn render_aside<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> (R<T>, String) {
        let saved = std::mem::take(&mut self.out);
        self.out_saved += saved.len();
        self.aside += 1;
        let result = f(self);
        self.aside -= 1;
        self.out_saved -= saved.len();
        let text = std::mem::replace(&mut self.out, saved);
        (result, text)
    }

    pub(crate) fn warn(&mut self, message: String, span: Span) {
        self.warn_with(span, || message);
    }

    /// Records a warning (at most 1000, and none for `#evaluate` text); the message is only
    /// built when it is kept.
    pub(crate) fn warn_with(&mut self, span: Span, message: impl FnOnce() -> String) {
        // One warning per place: a loop repeats it, a failed lookup may add a vaguer one.
        let range = span.start..span.end;
        if self.foreign == 0
            && self.warnings.len() < 1000
            && !self.warnings.iter().any(|w| w.span == range)
        {
            self.warnings.push(Warning {
                message: message(),
                span: span.start..span.end,
            });
        }
    }

    // ---- statements ----

    pub fn render_nodes(&mut self, nodes: &[CNode]) -> R<Flow> {
        self.guard_stack(nodes.first().map_or(Span::default(), cnode_span))?;
        for node in nodes {
            let flow = match self.render_node(node) {
                Ok(flow) => self.pending_flow.take().unwrap_or(flow),
                Err(e) => match self.pending_flow.take() {
                    Some(flow) => flow,
                    None => return Err(e),
                },
            };
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn render_node(&mut self, node: &CNode) -> R<Flow> {
        match node {
            CNode::Text(t, span) => {
                self.spend(1, *span)?;
                self.write(t, *span)?;
            }
            CNode::Print(r) => {
                self.spend(1, r.span)?;
                return self.print_reference(r);
            }
            CNode::Set(s) => {
                self.spend(1, s.span)?;
                let value = self.value(&s.value)?;
                self.assign(&s.target, value, s.span)?;
            }
            CNode::If(i) => {
                for (cond, body) in &i.branches {
                    self.spend(1, cond.span)?;
                    if self.evaluate(cond)? {
                        return self.render_nodes(body);
                    }
                }
                if let Some(body) = &i.otherwise {
                    return self.render_nodes(body);
                }
            }
            CNode::Foreach(f) => return self.foreach(f),
            CNode::MacroCall(m) => return self.macro_call(m),
            CNode::Define(target, body, span) => {
                self.spend(1, *span)?;
                let block = Value::Object(Rc::new(DefineBlock {
                    body: body.clone(),
                    depth: Cell::new(0),
                }));
                self.assign(target, block, *span)?;
            }
            CNode::Evaluate(e, span) => return self.evaluate_directive(e, *span),
            CNode::Break(arg, span) => {
                let scope = match arg {
                    Some(e) => {
                        let scope = match self.value(e)? {
                            Value::Object(o) => {
                                o.as_any().downcast_ref::<ForeachScope>().map(|s| s.id)
                            }
                            _ => None,
                        };
                        // Velocity 1.7 throws unless the argument is a scope object.
                        if scope.is_none() {
                            return Err(self.err(
                                ErrorKind::Render,
                                "#break: the argument is not a valid scope (such as $foreach)",
                                *span,
                            ));
                        }
                        scope
                    }
                    None => None,
                };
                return Ok(Flow::Break(scope));
            }
            CNode::Include(args, span) | CNode::Parse(args, span) => {
                let is_include = matches!(node, CNode::Include(..));
                return self.include(is_include, args, *span);
            }
            CNode::Literal(t, span) => self.write(t, *span)?,
            CNode::Stop => return Ok(Flow::Stop),
            CNode::Fail(message, span) => {
                return Err(self.err(ErrorKind::Render, message.to_string(), *span))
            }
        }
        Ok(Flow::Normal)
    }
}

/// Where a statement is, for errors raised as it starts.
pub(crate) fn cnode_span(n: &CNode) -> Span {
    match n {
        CNode::Text(_, s)
        | CNode::Literal(_, s)
        | CNode::Define(_, _, s)
        | CNode::Evaluate(_, s)
        | CNode::Break(_, s)
        | CNode::Include(_, s)
        | CNode::Parse(_, s)
        | CNode::Fail(_, s) => *s,
        CNode::Print(r) => r.span,
        CNode::Set(s) => s.span,
        CNode::If(i) => i.branches.first().map_or(Span::default(), |b| b.0.span),
        CNode::Foreach(f) => f.span,
        CNode::MacroCall(m) => m.span,
        CNode::Stop => Span::default(),
    }
}

pub(crate) fn related_classes(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Str(_), Value::Str(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::List(_), Value::List(_))
        | (Value::Map(_), Value::Map(_)) => true,
        (Value::Object(a), Value::Object(b)) => a.class_name() == b.class_name(),
        _ => false,
    }
}

pub(crate) fn const_value(c: &Const) -> Value {
    match c {
        Const::Bool(b) => Value::Bool(*b),
        Const::Int(i) => Value::Int(*i),
        Const::Long(l) => Value::Long(*l),
        Const::BigInt(b) => Value::BigInt(Rc::new((**b).clone())),
        Const::Double(d) => Value::Double(*d),
        Const::Str(s) => Value::Str(s.clone()),
    }
}

pub(crate) fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(l) => Some(*l),
        _ => None,
    }
}

/// What a `#foreach` walks: a list (with the map it was taken from, to notice changes), or
/// a range written in the directive.
pub(crate) enum Source {
    List(Rc<List>, Option<(Rc<crate::value::Map>, usize)>),
    Range { from: i64, to: i64 },
}

/// A range bound: any number, as Java `intValue()`.
pub(crate) fn range_bound(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(l) => Some(*l as i32 as i64),
        Value::Double(d) => Some(java_d2i(*d) as i64),
        Value::BigInt(b) => {
            let (_, digits) = b.to_u32_digits();
            let low = digits.first().copied().unwrap_or(0) as i32;
            Some(if b.sign() == num_bigint::Sign::Minus {
                low.wrapping_neg() as i64
            } else {
                low as i64
            })
        }
        _ => None,
    }
}

pub(crate) fn java_d2i(d: f64) -> i32 {
    if d.is_nan() {
        0
    } else {
        d as i32
    }
}

/// `velocityCount`, `velocityHasNext` and `foreach`, the names `#foreach` sets (made once).
pub(crate) fn loop_names() -> &'static [Name; 3] {
    static NAMES: std::sync::OnceLock<[Name; 3]> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        [
            Name::new(Arc::from("velocityCount")),
            Name::new(Arc::from("velocityHasNext")),
            Name::new(Arc::from("foreach")),
        ]
    })
}

pub(crate) fn capitalize(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
