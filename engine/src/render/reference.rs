//! References: variables and their scopes, properties, method calls, indexes, how a
//! reference prints (and what prints for null), and `#set`.

use std::sync::Arc;

use vtl_grammar::ast::{RefKind, Span};

use crate::budget::{self, Exhausted};
use crate::compile::{CExpr, CExprKind, CPart, CRef, RuntPiece};
use crate::error::{Error, ErrorKind};
use crate::java::math;
use crate::java::JavaException;
use crate::methods::{self, MethodResult};
use crate::value::{Key, ListKind, MapKind, Value};

use super::renderer::*;
use super::scope::{DefineBlock, ForeachScope, DEFINE_MAX_DEPTH};

impl<'p> Renderer<'p> {
    // ---- variables ----

    /// A global variable, by way of the name's hint when it is right.
    #[inline]
    pub(crate) fn global(&self, name: &impl VarName) -> Option<&Value> {
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
    pub(crate) fn global_mut(&mut self, name: &impl VarName) -> Option<&mut Value> {
        let text = name.text();
        let at = match self.globals.get_index(name.hint()) {
            Some((k, _)) if Arc::ptr_eq(k, text) || **k == **text => name.hint(),
            _ => self.globals.get_index_of(&**text)?,
        };
        self.globals.get_index_mut(at).map(|(_, v)| v)
    }

    pub(crate) fn set_global(&mut self, name: &impl VarName, value: Value) {
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

    pub(crate) fn lookup(&mut self, name: &impl VarName) -> R<Value> {
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

    pub(crate) fn eval_arg(&mut self, arg: ArgRef) -> R<Value> {
        let saved = self.level;
        self.level = arg.caller_level;
        let v = self.value(arg.get());
        self.level = saved;
        v
    }

    pub(crate) fn set_var(&mut self, name: &impl VarName, value: Value) {
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

    pub(crate) fn restore_var(&mut self, name: &impl VarName, saved: Value) {
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
    pub(crate) fn eval_ref(&mut self, r: &CRef) -> R<Value> {
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

    pub(crate) fn property(&mut self, target: &Value, name: &str, span: Span) -> R<Value> {
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
    pub(crate) fn call_with_args(
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

    pub(crate) fn call(
        &mut self,
        target: &Value,
        name: &str,
        args: &[Value],
        span: Span,
    ) -> R<Value> {
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
    pub(crate) fn arithmetic(
        &mut self,
        op: math::MathOp,
        l: &Value,
        r: &Value,
        span: Span,
    ) -> R<Value> {
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

    pub(crate) fn call_method(
        &mut self,
        target: &Value,
        name: &str,
        args: &[Value],
        span: Span,
    ) -> R<Value> {
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

    pub(crate) fn java_error(
        &self,
        method: &str,
        target: &Value,
        e: JavaException,
        span: Span,
    ) -> Error {
        self.err(
            ErrorKind::Render,
            format!(
                "Invocation of method '{method}' in class {} threw exception {e}",
                target.class_name()
            ),
            span,
        )
    }

    pub(crate) fn index(&mut self, target: &Value, idx: &Value, span: Span) -> R<Value> {
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

    pub(crate) fn print_reference(&mut self, r: &CRef) -> R<Flow> {
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

    pub(crate) fn write_null(&mut self, r: &CRef) -> R<()> {
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
    pub(crate) fn null_text(&mut self, r: &CRef) -> String {
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

    /// `toString()` of a value, rendering `#define` blocks; `None` for null.
    pub(crate) fn stringify(&mut self, v: &Value) -> R<Option<String>> {
        if let Value::Object(o) = v {
            if let Some(block) = o.as_any().downcast_ref::<DefineBlock>() {
                return self.render_block(block, Span::default());
            }
        }
        Ok(v.to_java_string())
    }

    pub(crate) fn assign(&mut self, target: &CRef, value: Value, span: Span) -> R<()> {
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
}
