//! Rendering: walks a compiled program against a context and writes the output.
//!
//! This is where Velocity 1.7's runtime semantics live: how references resolve and print,
//! `#if` truth, `#set`, `#foreach` and its scope variables, macros (arguments passed by name),
//! `#define`, `#evaluate`, `#break`/`#stop`, and the API Gateway profile's rule that null
//! evaluates to the empty string. Every step spends fuel; output size, loop iterations and
//! call depth are bounded.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::Arc;

use vtl_grammar::ast::{BinOp, RefKind, Span};

use crate::budget::{self, Exhausted};
use crate::compile::{
    CExpr, CExprKind, CForeach, CMacroCall, CNode, CPart, CRef, Const, MacroDef, Name, Program,
    RuntPiece,
};
use crate::error::{Error, ErrorKind};
use crate::fxhash::FxHasher;
use crate::java::math;
use crate::java::regex::RegexCache;
use crate::java::JavaException;
use crate::limits::{Limits, Profile};
use crate::methods::{self, MethodResult};
use crate::value::{java_equals, Entries, Key, List, ListKind, MapKind, Object, Value};

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

type R<T> = Result<T, Error>;

/// A macro argument passed by name: an expression evaluated in the caller's scope at each use.
#[derive(Clone, Copy)]
struct ArgRef {
    expr: *const CExpr,
    caller_level: usize,
}

impl ArgRef {
    fn get(&self) -> &CExpr {
        // SAFETY: an ArgRef lives in a macro frame, which is pushed when the call starts and
        // popped before the call returns. The expression belongs to the program (or the
        // `#evaluate` program) that contains the call, which is borrowed for the whole call.
        unsafe { &*self.expr }
    }
}

struct Frame {
    locals: Vars,
    args: HashMap<Arc<str>, ArgRef, BuildHasherDefault<FxHasher>>,
    params: Vec<Arc<str>>,
}

/// `$foreach`: the loop's scope object.
pub(crate) struct ForeachScope {
    id: u64,
    index: Cell<i64>,
    has_next: Cell<bool>,
    parent: Value,
    /// Velocity's `Scope` is a map: what the template puts into `$foreach` (a map value).
    storage: Value,
    /// The scope itself, for `topmost` of an outermost loop.
    this: std::rc::Weak<ForeachScope>,
}

impl ForeachScope {
    /// `Scope.get`: the scope's own entry, else the parent scope's.
    fn lookup(&self, key: &Value) -> Value {
        if let Value::Map(m) = &self.storage {
            if let Some(v) = m.entries.borrow().get(&Key(key.clone())) {
                return v.clone();
            }
        }
        match &self.parent {
            Value::Object(o) => match o.as_any().downcast_ref::<ForeachScope>() {
                Some(p) => p.lookup(key),
                None => Value::Null,
            },
            _ => Value::Null,
        }
    }
}

impl Object for ForeachScope {
    fn holds_values(&self) -> bool {
        true
    }
    /// Its parent scope and its storage.
    fn for_each_value(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.parent);
        f(&self.storage);
    }
    fn class_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.ForeachScope"
    }
    fn to_java_string(&self) -> Option<String> {
        self.storage.to_java_string()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn get_property(&self, name: &str) -> Option<Value> {
        let index = self.index.get();
        let this = || {
            self.this
                .upgrade()
                .map_or(Value::Null, |rc| Value::Object(rc as Rc<dyn Object>))
        };
        Some(match name {
            "index" => Value::from_i64(index),
            "count" => Value::from_i64(index + 1),
            "hasNext" => Value::Bool(self.has_next.get()),
            "first" => Value::Bool(index == 0),
            "last" => Value::Bool(!self.has_next.get()),
            "parent" => self.parent.clone(),
            "topmost" => {
                let mut top = self.parent.clone();
                let mut cur: Option<Value> = None;
                while let Value::Object(o) = &top {
                    match o.as_any().downcast_ref::<ForeachScope>() {
                        Some(s) if !s.parent.is_null() => {
                            cur = Some(top.clone());
                            top = s.parent.clone();
                        }
                        _ => break,
                    }
                }
                let _ = cur;
                if top.is_null() {
                    // `Scope.getTopmost()` of an outermost scope is the scope itself.
                    return Some(this());
                }
                top
            }
            "class" => return None,
            _ => {
                let v = self.lookup(&Value::str(name));
                return (!v.is_null()).then_some(v);
            }
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, JavaException>> {
        match (name, args) {
            ("get", [key]) => return Some(Ok(self.lookup(key))),
            ("getTopmost", []) => return self.get_property("topmost").map(Ok),
            (
                "put" | "size" | "isEmpty" | "containsKey" | "containsValue" | "keySet" | "values"
                | "entrySet" | "remove" | "clear" | "putAll" | "equals" | "hashCode",
                _,
            ) => {
                let mut regex = RegexCache::default();
                return match methods::call_method(&self.storage, name, args, &mut regex) {
                    MethodResult::Value(v) => Some(Ok(v)),
                    MethodResult::Exception(e) => Some(Err(e)),
                    MethodResult::NotFound => None,
                };
            }
            _ => {}
        }
        if !args.is_empty() {
            return None;
        }
        let prop = match name {
            "getIndex" => "index",
            "getCount" => "count",
            "hasNext" => "hasNext",
            "isFirst" => "first",
            "isLast" => "last",
            "getParent" => "parent",
            "getTopmost" => "topmost",
            _ => return None,
        };
        self.get_property(prop).map(Ok)
    }
}

/// A `#define` block: prints by rendering its body where it is printed.
pub(crate) struct DefineBlock {
    body: Arc<Vec<CNode>>,
    depth: Cell<usize>,
}

/// How deeply a `#define` block may render itself (Velocity's `directive.define.max.depth`).
const DEFINE_MAX_DEPTH: usize = 2;

impl Object for DefineBlock {
    fn class_name(&self) -> &str {
        "org.apache.velocity.runtime.directive.Block$Reference"
    }
    fn to_java_string(&self) -> Option<String> {
        None
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Per-render state.
pub(crate) struct Renderer<'p> {
    profile: Profile,
    limits: Limits,
    pub out: String,
    /// Bytes of output set aside while a block renders into a string of its own.
    out_saved: usize,
    /// How many renders into a string of their own are in progress: their text becomes a
    /// value, so it is charged to the memory budget as it is written.
    aside: u32,
    /// The fuel, memory and stack budget, installed for this render.
    _budget: budget::Scope,
    /// The stack bound of that budget (its base, and how far below it the stack may grow),
    /// kept here to be checked without a thread-local lookup.
    stack: (usize, usize),
    pub globals: Globals,
    frames: Vec<Frame>,
    level: usize,
    program_macros: &'p HashMap<Arc<str>, Arc<MacroDef>>,
    /// Whether `#foreach` sets `$velocityCount` and `$velocityHasNext` (not when the template
    /// cannot read them).
    loop_vars: bool,
    runtime_macros: HashMap<Arc<str>, Arc<MacroDef>>,
    regex: RegexCache,
    pub warnings: Vec<Warning>,
    depth: usize,
    macro_depth: usize,
    scope_ids: u64,
    source: Arc<str>,
    /// Set while rendering text that came from `#evaluate` (spans refer to other text).
    foreign: usize,
    /// Argument values of method calls in progress (one buffer, no allocation per call).
    arg_stack: Vec<Value>,
    /// Set when the last call found no such method (as opposed to a method returning null).
    method_missing: bool,
    /// The API Gateway request, for host variables built on first use.
    request: Option<&'p crate::aws::Request>,
    /// `$context`, once built.
    context: Option<Value>,
    /// A `#stop`/`#break` met inside an interpolated string: it aborts the expression (as
    /// Velocity's exception does) and takes effect at the enclosing statement.
    pending_flow: Option<Flow>,
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
            loop_vars: program.loop_vars,
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
    fn lazy_host(&mut self, name: &Arc<str>) -> Value {
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

    fn aws(&self) -> bool {
        self.profile == Profile::Aws
    }

    // ---- errors and budgets ----

    fn err(&self, kind: ErrorKind, message: impl Into<String>, span: Span) -> Error {
        if self.foreign > 0 {
            return Error::new(kind, message);
        }
        Error::at(kind, message, &self.source, span.start..span.end)
    }

    #[inline]
    fn spend(&mut self, units: u64, span: Span) -> R<()> {
        if budget::spend(units) {
            return Ok(());
        }
        Err(self.exhausted(budget::tripped().unwrap_or(Exhausted::Fuel), span))
    }

    /// The error for a budget that ran out.
    fn exhausted(&self, what: Exhausted, span: Span) -> Error {
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
    fn alloc(&mut self, bytes: usize, span: Span) -> R<()> {
        if budget::alloc(bytes) {
            return Ok(());
        }
        Err(self.exhausted(budget::tripped().unwrap_or(Exhausted::Memory), span))
    }

    /// Fails when a budget ran out in value-level code (a method, a comparison).
    #[inline]
    fn check_budget(&self, span: Span) -> R<()> {
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
    fn guard_stack(&self, span: Span) -> R<()> {
        let (base, max) = self.stack;
        if base == 0 || base.abs_diff(budget::stack_here()) <= max {
            return Ok(());
        }
        budget::trip_stack();
        Err(self.exhausted(Exhausted::Stack, span))
    }

    /// Bytes the output may still grow by.
    fn output_room(&self) -> usize {
        self.limits
            .max_output
            .saturating_sub(self.out_saved + self.out.len())
    }

    fn output_error(&self, span: Span) -> Error {
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
    fn write(&mut self, s: &str, span: Span) -> R<()> {
        if self.aside == 0 && self.out_saved + self.out.len() + s.len() <= self.limits.max_output {
            self.out.push_str(s);
            return Ok(());
        }
        self.write_checked(s, span)
    }

    /// `write` for text that becomes a value or may not fit.
    #[inline(never)]
    fn write_checked(&mut self, s: &str, span: Span) -> R<()> {
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
    fn render_aside<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> (R<T>, String) {
        let saved = std::mem::take(&mut self.out);
        self.out_saved += saved.len();
        self.aside += 1;
        let result = f(self);
        self.aside -= 1;
        self.out_saved -= saved.len();
        let text = std::mem::replace(&mut self.out, saved);
        (result, text)
    }

    fn warn(&mut self, message: String, span: Span) {
        self.warn_with(span, || message);
    }

    /// Records a warning (at most 1000, and none for `#evaluate` text); the message is only
    /// built when it is kept.
    fn warn_with(&mut self, span: Span, message: impl FnOnce() -> String) {
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

    fn render_node(&mut self, node: &CNode) -> R<Flow> {
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

    fn include(&mut self, is_include: bool, args: &[CExpr], span: Span) -> R<Flow> {
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

    fn evaluate_directive(&mut self, e: &CExpr, span: Span) -> R<Flow> {
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

    fn enter(&mut self, span: Span) -> R<()> {
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

    fn foreach(&mut self, f: &CForeach) -> R<Flow> {
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
    fn range_bounds(&mut self, a: &CExpr, b: &CExpr, span: Span) -> R<Option<(i64, i64)>> {
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

    fn macro_call(&mut self, m: &CMacroCall) -> R<Flow> {
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

    // ---- variables ----

    /// A global variable, by way of the name's hint when it is right.
    #[inline]
    fn global(&self, name: &impl VarName) -> Option<&Value> {
        let text = name.text();
        if let Some((k, v)) = self.globals.get_index(name.hint()) {
            if Arc::ptr_eq(k, text) || **k == **text {
                return Some(v);
            }
        }
        let (at, _, v) = self.globals.get_full(&**text)?;
        name.set_hint(at);
        Some(v)
    }

    /// A global variable, for changing it in place.
    fn global_mut(&mut self, name: &impl VarName) -> Option<&mut Value> {
        let text = name.text();
        let at = match self.globals.get_index(name.hint()) {
            Some((k, _)) if Arc::ptr_eq(k, text) || **k == **text => name.hint(),
            _ => self.globals.get_index_of(&**text)?,
        };
        self.globals.get_index_mut(at).map(|(_, v)| v)
    }

    fn set_global(&mut self, name: &impl VarName, value: Value) {
        let text = name.text();
        if let Some((k, v)) = self.globals.get_index_mut(name.hint()) {
            if Arc::ptr_eq(k, text) || **k == **text {
                *v = value;
                return;
            }
        }
        let (at, _) = self.globals.insert_full(text.clone(), value);
        name.set_hint(at);
    }

    fn lookup(&mut self, name: &impl VarName) -> R<Value> {
        if self.level > 0 {
            let frame = &self.frames[self.level - 1];
            if let Some(v) = frame.locals.get(name.text()) {
                return Ok(v.clone());
            }
            if let Some(arg) = frame.args.get(name.text()).copied() {
                return self.eval_arg(arg);
            }
        }
        match self.global(name) {
            // A variable #foreach took back is kept as null (where its hint points).
            Some(v) if !v.is_null() => Ok(v.clone()),
            _ => Ok(self.lazy_host(name.text())),
        }
    }

    fn eval_arg(&mut self, arg: ArgRef) -> R<Value> {
        let saved = self.level;
        self.level = arg.caller_level;
        let v = self.value(arg.get());
        self.level = saved;
        v
    }

    fn set_var(&mut self, name: &impl VarName, value: Value) {
        if self.level > 0 {
            let frame = &mut self.frames[self.level - 1];
            let text = name.text();
            if frame.params.contains(text) || frame.locals.contains_key(text) {
                frame.args.remove(text);
                frame.locals.insert(text.clone(), value);
                return;
            }
        }
        self.set_global(name, value);
    }

    fn restore_var(&mut self, name: &impl VarName, saved: Value) {
        if saved.is_null() {
            if self.level > 0 {
                let frame = &mut self.frames[self.level - 1];
                if frame.locals.remove(name.text()).is_some() {
                    return;
                }
            }
            // Left in place as null (no variable is null otherwise: `#set` does not assign
            // null), so the names after it keep their places and their hints stay right.
            if let Some(v) = self.global_mut(name) {
                *v = Value::Null;
            }
        } else {
            self.set_var(name, saved);
        }
    }

    // ---- references ----

    /// Evaluates a reference chain. In the aws profile, as on API Gateway, a missing
    /// variable or property and a null result become `""` and the chain goes on; only a
    /// method that does not exist yields null (which prints as nothing).
    fn eval_ref(&mut self, r: &CRef) -> R<Value> {
        if r.kind == RefKind::Runt || !r.computable {
            return Ok(Value::Null);
        }
        let aws = self.aws();
        let mut value = self.lookup(&r.root)?;
        if value.is_null() {
            if !aws {
                return Ok(Value::Null);
            }
            self.warn_with(r.span, || format!("${} is not defined", r.root));
            value = Value::str("");
        }
        // A documented `$context` key that is null on AWS (`identity.caller` without IAM
        // auth, `authorizer` without an authorizer) is no mistake: no warning, for the rest of
        // the chain either (`$context.authorizer.principalId`).
        let mut documented_null = false;
        for part in &r.parts {
            value = match part {
                CPart::Property(name, span) => {
                    self.spend(1, *span)?;
                    let v = match &value {
                        // The common case, a data map's entry, through the name's hint
                        // (inline here: a call returning a `Result` costs about 3 %).
                        Value::Map(m)
                            if m.kind != MapKind::Context && !methods::is_class_property(name) =>
                        {
                            m.get_hinted(name).unwrap_or(Value::Null)
                        }
                        _ => self.property(&value, name, *span)?,
                    };
                    if v.is_null() {
                        if !aws {
                            return Ok(Value::Null);
                        }
                        documented_null = documented_null
                            || (matches!(&value, Value::Map(m) if m.kind == MapKind::Context)
                                && crate::aws::context::is_documented(name));
                        if !documented_null {
                            self.warn_with(*span, || {
                                format!("property '{name}' is missing or null")
                            });
                        }
                        Value::str("")
                    } else {
                        v
                    }
                }
                CPart::Method(name, args, span) => {
                    self.spend(1, *span)?;
                    self.method_missing = false;
                    let v = self.call_with_args(&value, name, args, *span)?;
                    if v.is_null() {
                        if !aws || self.method_missing {
                            return Ok(Value::Null);
                        }
                        Value::str("")
                    } else {
                        v
                    }
                }
                CPart::Index(e, span) => {
                    self.spend(1, *span)?;
                    let idx = self.value(e)?;
                    self.method_missing = false;
                    let v = self.index(&value, &idx, *span)?;
                    if v.is_null() {
                        if !aws || self.method_missing {
                            return Ok(Value::Null);
                        }
                        Value::str("")
                    } else {
                        v
                    }
                }
            };
        }
        Ok(value)
    }

    fn property(&mut self, target: &Value, name: &str, span: Span) -> R<Value> {
        match target {
            Value::Object(o) => {
                if let Some(v) = o.get_property(name) {
                    return Ok(v);
                }
                // Getter forms: getName(), getname(), isName().
                let cap = capitalize(name);
                for m in [
                    format!("get{cap}"),
                    format!("get{name}"),
                    format!("is{cap}"),
                ] {
                    if let Some(r) = o.call_method(&m, &[]) {
                        return r.map_err(|e| self.java_error(&m, target, e, span));
                    }
                }
                if self.aws() {
                    self.warn(format!("no property '{name}' on {}", o.class_name()), span);
                }
                Ok(Value::Null)
            }
            Value::Map(m) if m.kind == MapKind::Context => {
                let v = m.get_str(name);
                Ok(v.or_else(|| crate::aws::context::implicit_property(name))
                    .unwrap_or(Value::Null))
            }
            _ => match methods::get_property(target, name, &mut self.regex) {
                MethodResult::Value(v) => Ok(v),
                MethodResult::NotFound => Ok(Value::Null),
                MethodResult::Exception(e) => Err(self.java_error(name, target, e, span)),
            },
        }
    }

    /// Evaluates the arguments onto the shared argument stack and calls the method.
    fn call_with_args(
        &mut self,
        target: &Value,
        name: &str,
        args: &[CExpr],
        span: Span,
    ) -> R<Value> {
        let base = self.arg_stack.len();
        for a in args {
            match self.value(a) {
                Ok(v) => self.arg_stack.push(v),
                Err(e) => {
                    self.arg_stack.truncate(base);
                    return Err(e);
                }
            }
        }
        let vals = std::mem::take(&mut self.arg_stack);
        let result = self.call(target, name, &vals[base..], span);
        self.arg_stack = vals;
        self.arg_stack.truncate(base);
        result
    }

    fn call(&mut self, target: &Value, name: &str, args: &[Value], span: Span) -> R<Value> {
        // Strings are scanned by most of their methods: one unit per 16 bytes, up front.
        let scanned = target.as_str().map_or(0, str::len)
            + args
                .iter()
                .filter_map(Value::as_str)
                .map(str::len)
                .sum::<usize>();
        self.spend(scanned as u64 / 16, span)?;
        // Methods charge what they build before they build it; `charged` is what they did.
        let before = budget::memory_left();
        let result = self.call_method(target, name, args, span);
        // Regular-expression work is charged to the fuel (16 matcher steps a unit).
        let work = crate::java::regex::take_work();
        if work >= 16 {
            self.spend(work / 16, span)?;
        }
        self.check_budget(span)?;
        let value = result?;
        // A safety net for a result built without a charge: what it holds beyond what the
        // call charged (nothing, for the engine's own methods).
        let charged = before.saturating_sub(budget::memory_left());
        self.alloc(value.fresh_size().saturating_sub(charged), span)?;
        Ok(value)
    }

    /// Arithmetic on two values. Big-number work and its result are charged from the
    /// operands' sizes before the arithmetic: as a multiplication for all four operations, a
    /// result at most as long as both operands. Kept out of the recursive `value` so that its
    /// locals do not enlarge every level of an expression's stack frame.
    #[inline(never)]
    fn arithmetic(&mut self, op: math::MathOp, l: &Value, r: &Value, span: Span) -> R<Value> {
        let bits = |v: &Value| match v {
            Value::BigInt(b) => Some(b.bits()),
            _ => None,
        };
        let before = budget::memory_left();
        if bits(l).is_some() || bits(r).is_some() {
            let (x, y) = (bits(l).unwrap_or(64), bits(r).unwrap_or(64));
            self.spend(methods::multiply_work(x, y), span)?;
            // The result, and twice as much again for the multiplication's scratch space
            // (Toom-3 keeps several partial products).
            let bytes = (x + y) / 8 * 3;
            self.alloc(bytes as usize + 16 + budget::OBJECT, span)?;
        }
        let v = math::arithmetic(op, l, r)
            .map_err(|ex| self.err(ErrorKind::Render, ex.to_string(), span))?;
        self.check_budget(span)?;
        let charged = before.saturating_sub(budget::memory_left());
        self.alloc(v.fresh_size().saturating_sub(charged), span)?;
        Ok(v)
    }

    fn call_method(&mut self, target: &Value, name: &str, args: &[Value], span: Span) -> R<Value> {
        match target {
            Value::Object(o) => {
                if let Some(block) = o.as_any().downcast_ref::<DefineBlock>() {
                    // A #define block's only useful method is toString(), which renders it.
                    if name == "toString" && args.is_empty() {
                        return Ok(self
                            .render_block(block, span)?
                            .map_or(Value::Null, Value::string));
                    }
                    self.method_missing = true;
                    return Ok(Value::Null);
                }
                let result = match o.call_method(name, args) {
                    // Methods every Java object has (getClass, toString, equals, hashCode).
                    None => match methods::call_method(target, name, args, &mut self.regex) {
                        MethodResult::Value(v) => Some(Ok(v)),
                        MethodResult::Exception(e) => Some(Err(e)),
                        MethodResult::NotFound => None,
                    },
                    found => found,
                };
                match result {
                    Some(Ok(v)) => Ok(v),
                    Some(Err(e)) => Err(self.java_error(name, target, e, span)),
                    None => {
                        self.method_missing = true;
                        if self.aws() {
                            self.warn_with(span, || {
                                format!(
                                    "no method '{name}' with {} argument(s) on {}",
                                    args.len(),
                                    o.class_name()
                                )
                            });
                        }
                        Ok(Value::Null)
                    }
                }
            }
            _ => match methods::call_method(target, name, args, &mut self.regex) {
                MethodResult::Value(v) => Ok(v),
                MethodResult::NotFound => {
                    self.method_missing = true;
                    if self.aws() {
                        self.warn_with(span, || {
                            format!(
                                "no method '{name}' with {} argument(s) on {}",
                                args.len(),
                                target.class_name()
                            )
                        });
                    }
                    Ok(Value::Null)
                }
                MethodResult::Exception(e) => Err(self.java_error(name, target, e, span)),
            },
        }
    }

    fn java_error(&self, method: &str, target: &Value, e: JavaException, span: Span) -> Error {
        self.err(
            ErrorKind::Render,
            format!(
                "Invocation of method '{method}' in class {} threw exception {e}",
                target.class_name()
            ),
            span,
        )
    }

    fn index(&mut self, target: &Value, idx: &Value, span: Span) -> R<Value> {
        match target {
            Value::List(l) => {
                let items = l.items.borrow();
                let len = items.len() as i64;
                // `List.get(int)` takes an Integer only: a Long index finds no method; a
                // map's Set/Collection views have no `get` at all.
                let (Value::Int(i), false) = (idx, matches!(l.kind, ListKind::MapView(_))) else {
                    return Ok(Value::Null);
                };
                let i = i64::from(*i);
                let j = if i < 0 { i + len } else { i };
                if j < 0 || j >= len {
                    return Err(self.err(
                        ErrorKind::Render,
                        format!("java.lang.IndexOutOfBoundsException: Index {i} out of bounds for length {len}"),
                        span,
                    ));
                }
                Ok(items[j as usize].clone())
            }
            Value::Map(m) => Ok(m
                .entries
                .borrow()
                .get(&Key(idx.clone()))
                .cloned()
                .unwrap_or(Value::Null)),
            Value::Null => Ok(Value::Null),
            _ => {
                // Velocity turns a negative Integer index into `size() + index` first, and
                // fails when the value has no `size()` method.
                if let Value::Int(i @ ..=-1) = idx {
                    self.method_missing = false;
                    let size = self.call(target, "size", &[], span)?;
                    let Value::Int(n) = size else {
                        return Err(self.err(
                            ErrorKind::Render,
                            format!(
                                "A 'size()' method required for negative value {i} does not exist for class '{}'",
                                target.class_name()
                            ),
                            span,
                        ));
                    };
                    let adjusted = Value::Int(n.wrapping_add(*i));
                    return self.call(target, "get", std::slice::from_ref(&adjusted), span);
                }
                self.call(target, "get", std::slice::from_ref(idx), span)
            }
        }
    }

    fn print_reference(&mut self, r: &CRef) -> R<Flow> {
        if r.kind == RefKind::Runt {
            if r.runt.is_empty() {
                self.write(&r.root, r.span)?;
                return Ok(Flow::Normal);
            }
            for piece in &r.runt {
                match piece {
                    RuntPiece::Text(t) => self.write(t, r.span)?,
                    RuntPiece::Ref(inner) => {
                        self.print_reference(inner)?;
                    }
                    RuntPiece::Quoted(nodes) => {
                        self.write("\"", r.span)?;
                        self.render_nodes(nodes)?;
                        // The interpolation's trailing blank (Velocity's padding) is dropped.
                        if self.out.ends_with(' ') {
                            self.out.pop();
                        }
                        self.write("\"", r.span)?;
                    }
                }
            }
            return Ok(Flow::Normal);
        }
        let value = self.eval_ref(r)?;
        let value = if value.is_null() && self.aws() {
            Value::str("")
        } else {
            value
        };
        if r.escaped {
            let mut s = String::with_capacity(r.esc_prefix.len() + r.null_text.len() + 1);
            s.push_str(&r.esc_prefix);
            if value.is_null() {
                s.push('\\');
            }
            let text = self.null_text(r);
            s.push_str(&text);
            self.write(&s, r.span)?;
            return Ok(Flow::Normal);
        }
        if let Value::Object(o) = &value {
            if let Some(block) = o.as_any().downcast_ref::<DefineBlock>() {
                // A block renders in place; past Velocity's define depth (2) it prints as null.
                if block.depth.get() < DEFINE_MAX_DEPTH {
                    self.write(&r.esc_prefix, r.span)?;
                    self.write(&r.more_prefix, r.span)?;
                    return self.render_define(block, r.span);
                }
                self.write_null(r)?;
                return Ok(Flow::Normal);
            }
        }
        if value.is_null() {
            self.write_null(r)?;
            return Ok(Flow::Normal);
        }
        if !r.esc_prefix.is_empty() || !r.more_prefix.is_empty() {
            self.write(&r.esc_prefix, r.span)?;
            self.write(&r.more_prefix, r.span)?;
        }
        if let Value::Str(text) = &value {
            self.write(text, r.span)?;
            return Ok(Flow::Normal);
        }
        // Other values print straight into the output, as far as the output limit allows.
        let before = self.out.len();
        let output_room = self.output_room();
        // Text that becomes a value may also grow only as far as the memory budget.
        let room = if self.aside > 0 {
            output_room.min(budget::memory_left())
        } else {
            output_room
        };
        match value.write_java_within(&mut self.out, room) {
            Ok(true) => {
                if self.aside > 0 {
                    self.alloc(self.out.len() - before, r.span)?;
                }
            }
            Ok(false) => {
                self.out.truncate(before);
                self.write_null(r)?;
            }
            Err(()) => {
                self.out.truncate(before);
                self.check_budget(r.span)?;
                if room < output_room {
                    return Err(self.exhausted(Exhausted::Memory, r.span));
                }
                return Err(self.output_error(r.span));
            }
        }
        Ok(Flow::Normal)
    }

    fn write_null(&mut self, r: &CRef) -> R<()> {
        let null_text = self.null_text(r);
        let mut s = String::new();
        s.push_str(&r.esc_prefix);
        s.push_str(&r.esc_prefix);
        s.push_str(&r.more_prefix);
        s.push_str(&null_text);
        self.write(&s, r.span)
    }

    /// What a null reference prints; inside a macro, a null parameter passed a reference
    /// prints the caller's text.
    fn null_text(&mut self, r: &CRef) -> String {
        if r.kind == RefKind::Normal && self.level > 0 {
            let frame = &self.frames[self.level - 1];
            if let Some(arg) = frame.args.get(&r.root.text) {
                if let CExprKind::Ref(caller) = &arg.get().kind {
                    // Only the bare parameter (`$b`, not `${b}` or `$b.c`) prints the
                    // caller's text.
                    if r.null_text.strip_prefix('$') == Some(&*r.root) {
                        return caller.null_text.to_string();
                    }
                }
            }
        }
        r.null_text.to_string()
    }

    fn render_define(&mut self, block: &DefineBlock, span: Span) -> R<Flow> {
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
    fn render_block(&mut self, block: &DefineBlock, span: Span) -> R<Option<String>> {
        if block.depth.get() >= DEFINE_MAX_DEPTH {
            return Ok(None);
        }
        let (result, text) = self.render_aside(|r| r.render_define(block, span));
        result?;
        // The text was charged as it was written.
        self.alloc(budget::OBJECT, span)?;
        Ok(Some(text))
    }

    /// `toString()` of a value, rendering `#define` blocks; `None` for null.
    fn stringify(&mut self, v: &Value) -> R<Option<String>> {
        if let Value::Object(o) = v {
            if let Some(block) = o.as_any().downcast_ref::<DefineBlock>() {
                return self.render_block(block, Span::default());
            }
        }
        Ok(v.to_java_string())
    }

    fn assign(&mut self, target: &CRef, value: Value, span: Span) -> R<()> {
        if value.is_null() {
            // Velocity 1.7 does not assign null (directive.set.null.allowed = false).
            return Ok(());
        }
        if target.parts.is_empty() {
            self.set_var(&target.set_name, value);
            return Ok(());
        }
        // Resolve all but the last part, then set through the last one.
        let mut obj = self.lookup(&target.root)?;
        if obj.is_null() {
            return Ok(());
        }
        let (last, init) = target.parts.split_last().expect("parts is not empty");
        for part in init {
            obj = match part {
                CPart::Property(n, s) => self.property(&obj, n, *s)?,
                CPart::Method(n, args, s) => self.call_with_args(&obj, n, args, *s)?,
                CPart::Index(e, s) => {
                    let i = self.value(e)?;
                    self.index(&obj, &i, *s)?
                }
            };
            if obj.is_null() {
                return Ok(());
            }
        }
        crate::cycles::note_change(&obj, std::slice::from_ref(&value));
        match last {
            CPart::Property(name, s) => match &obj {
                Value::Map(m) => {
                    m.entries
                        .borrow_mut()
                        .insert(Key(Value::Str(name.text.clone())), value);
                }
                // `#set($foreach.x = 1)`: a scope is a map.
                Value::Object(o) if o.as_any().is::<ForeachScope>() => {
                    let _ = o.call_method("put", &[Value::Str(name.text.clone()), value]);
                }
                Value::Object(o) => {
                    let setter = format!("set{}", capitalize(name));
                    if let Some(Err(e)) = o.call_method(&setter, &[value]) {
                        return Err(self.java_error(&setter, &obj, e, *s));
                    }
                }
                _ => {
                    let setter = format!("set{}", capitalize(name));
                    if let MethodResult::Exception(e) =
                        methods::call_method(&obj, &setter, &[value], &mut self.regex)
                    {
                        return Err(self.java_error(&setter, &obj, e, *s));
                    }
                }
            },
            CPart::Index(e, s) => {
                let idx = self.value(e)?;
                match &obj {
                    Value::List(l) => {
                        let mut items = l.items.borrow_mut();
                        let len = items.len() as i64;
                        let Some(i) = int_of(&idx) else {
                            return Ok(());
                        };
                        let j = if i < 0 { i + len } else { i };
                        if j < 0 || j >= len {
                            drop(items);
                            return Err(self.err(
                                ErrorKind::Render,
                                format!("java.lang.IndexOutOfBoundsException: Index {i} out of bounds for length {len}"),
                                *s,
                            ));
                        }
                        items[j as usize] = value;
                    }
                    Value::Map(m) => {
                        m.entries.borrow_mut().insert(Key(idx), value);
                    }
                    _ => {
                        let _ = self.call(&obj, "set", &[idx, value], *s)?;
                    }
                }
            }
            // `#set($a.b() = 1)` assigns nothing.
            CPart::Method(..) => {}
        }
        let _ = span;
        Ok(())
    }

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
    fn literal(&self, e: &CExpr) -> String {
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
    fn velocity_equals(&mut self, l: &Value, r: &Value) -> R<bool> {
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

/// Where a statement is, for errors raised as it starts.
fn cnode_span(n: &CNode) -> Span {
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

fn related_classes(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Str(_), Value::Str(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::List(_), Value::List(_))
        | (Value::Map(_), Value::Map(_)) => true,
        (Value::Object(a), Value::Object(b)) => a.class_name() == b.class_name(),
        _ => false,
    }
}

fn const_value(c: &Const) -> Value {
    match c {
        Const::Bool(b) => Value::Bool(*b),
        Const::Int(i) => Value::Int(*i),
        Const::Long(l) => Value::Long(*l),
        Const::BigInt(b) => Value::BigInt(Rc::new((**b).clone())),
        Const::Double(d) => Value::Double(*d),
        Const::Str(s) => Value::Str(s.clone()),
    }
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i as i64),
        Value::Long(l) => Some(*l),
        _ => None,
    }
}

/// What a `#foreach` walks: a list (with the map it was taken from, to notice changes), or
/// a range written in the directive.
enum Source {
    List(Rc<List>, Option<(Rc<crate::value::Map>, usize)>),
    Range { from: i64, to: i64 },
}

/// A range bound: any number, as Java `intValue()`.
fn range_bound(v: &Value) -> Option<i64> {
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

fn java_d2i(d: f64) -> i32 {
    if d.is_nan() {
        0
    } else {
        d as i32
    }
}

/// `velocityCount`, `velocityHasNext` and `foreach`, the names `#foreach` sets (made once).
fn loop_names() -> &'static [Name; 3] {
    static NAMES: std::sync::OnceLock<[Name; 3]> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        [
            Name::new(Arc::from("velocityCount")),
            Name::new(Arc::from("velocityHasNext")),
            Name::new(Arc::from("foreach")),
        ]
    })
}

fn capitalize(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
