//! The fast parse: a recursive-descent reading of the grammar in `grammar.lalrpop`, building
//! the same syntax tree with the same actions ([`Cx`]).
//!
//! It takes the templates the LR grammar takes, with the LR parser's spans (the tests below
//! compare the two on the case files, on generated templates and on token soups). On any
//! problem (a token the grammar does not allow there, an action's error, or nesting deeper
//! than its recursion budget) it gives up without a message: the caller then runs the LR
//! parser, whose error (the expected tokens, the point where it stops) is the one reported. Blocks (`#if`, `#foreach`, …) nest
//! on an explicit stack; expressions, references and literals recurse, within
//! [`RECURSION_BUDGET`] levels shared by a template and the strings interpolated in it.

use std::cell::Cell;

use crate::ast::*;
use crate::parser::{bin, Cx};
use crate::token::{Tok, Token};

/// Most nested expressions, references, lists and maps (over all interpolation levels) the
/// fast parse descends into; deeper templates go to the LR parser, which does not recurse.
/// Small enough that the descent needs little stack (the engine compiles on 256 KiB threads,
/// and unoptimized builds have large frames), and far above what templates nest in practice.
pub(crate) const RECURSION_BUDGET: usize = 24;

/// What an interpolated string's own parse costs of the budget (its lexer and statement loop
/// take a few levels' worth of stack).
pub(crate) const INTERPOLATION_COST: usize = 3;

/// The fast parse gave up (see the module doc).
#[derive(Debug)]
pub(crate) struct GiveUp;

type Res<T> = Result<T, GiveUp>;

/// An expression with the byte range of its tokens (which, for `( … )`, is wider than its
/// span): binary and `!` nodes take their spans from the tokens.
struct Operand {
    expr: Expr,
    l: usize,
    r: usize,
}

/// The tightest-binding binary operators' precedence (`*`, `/`, `%`).
const MAX_PRECEDENCE: u8 = 6;

/// A binary operator token's operator and precedence (1, `||`, binds loosest).
#[inline]
fn binary_op(tok: Tok) -> Option<(BinOp, u8)> {
    Some(match tok {
        Tok::Or => (BinOp::Or, 1),
        Tok::And => (BinOp::And, 2),
        Tok::EqEq => (BinOp::Eq, 3),
        Tok::Ne => (BinOp::Ne, 3),
        Tok::Lt => (BinOp::Lt, 4),
        Tok::Gt => (BinOp::Gt, 4),
        Tok::Le => (BinOp::Le, 4),
        Tok::Ge => (BinOp::Ge, 4),
        Tok::Plus => (BinOp::Add, 5),
        Tok::Minus => (BinOp::Sub, 5),
        Tok::Star => (BinOp::Mul, 6),
        Tok::Slash => (BinOp::Div, 6),
        Tok::Percent => (BinOp::Mod, 6),
        _ => return None,
    })
}

/// An `#if` or block directive whose `#end` is still to come.
enum Open {
    If {
        l: usize,
        branches: Vec<(Expr, Vec<Node>)>,
        /// The condition of the branch being read (`None` once in `#else`).
        cond: Option<Expr>,
        /// The enclosing body.
        outer: Vec<Node>,
    },
    Block {
        l: usize,
        name_end: usize,
        args: Vec<Expr>,
        head_end: usize,
        outer: Vec<Node>,
    },
}

/// Ends the branch of the innermost `#if` that `body` holds (at an `#elseif` or `#else`) and
/// returns its condition slot, now empty; gives up outside an `#if` or after its `#else`.
fn close_branch<'o>(open: &'o mut [Open], body: &mut Vec<Node>) -> Res<&'o mut Option<Expr>> {
    let Some(Open::If { branches, cond, .. }) = open.last_mut() else {
        return Err(GiveUp);
    };
    let Some(done) = cond.take() else {
        return Err(GiveUp);
    };
    branches.push((done, std::mem::take(body)));
    Ok(cond)
}

/// Parses the tokens of one template (or of an interpolated string).
pub(crate) fn parse(cx: &Cx<'_>, toks: &[Token], budget: &Cell<usize>) -> Res<Vec<Node>> {
    Descent {
        cx,
        toks,
        pos: 0,
        budget,
    }
    .template()
}

struct Descent<'a, 's> {
    cx: &'a Cx<'s>,
    toks: &'a [Token],
    pos: usize,
    budget: &'a Cell<usize>,
}

impl Descent<'_, '_> {
    #[inline]
    fn peek(&self) -> Option<Tok> {
        self.toks.get(self.pos).map(|t| t.kind)
    }

    #[inline]
    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).copied();
        self.pos += 1;
        t
    }

    /// Takes a token of the given kind, or gives up.
    #[inline]
    fn expect(&mut self, kind: Tok) -> Res<Token> {
        match self.toks.get(self.pos) {
            Some(t) if t.kind == kind => {
                self.pos += 1;
                Ok(*t)
            }
            _ => Err(GiveUp),
        }
    }

    /// Enters one level of recursion, or gives up when the budget is spent.
    #[inline]
    fn enter(&self) -> Res<()> {
        let left = self.budget.get();
        if left == 0 {
            return Err(GiveUp);
        }
        self.budget.set(left - 1);
        Ok(())
    }

    #[inline]
    fn leave(&self) {
        self.budget.set(self.budget.get() + 1);
    }

    /// `Statement*` up to the end of the tokens, with blocks on an explicit stack.
    fn template(&mut self) -> Res<Vec<Node>> {
        let cx = self.cx;
        let mut open: Vec<Open> = Vec::new();
        let mut body: Vec<Node> = Vec::new();
        while let Some(t) = self.next() {
            let (l, r) = (t.start, t.end);
            let node = match t.kind {
                Tok::Text
                | Tok::Escape
                | Tok::EmptyIndex
                | Tok::TextLCurly
                | Tok::RCurly
                | Tok::IntLit
                | Tok::FloatLit
                | Tok::StringLit
                | Tok::RParen => cx.text_node(l, r),
                Tok::DoubleEscapeControl => Node::Text("\\".to_string(), cx.span(l, r)),
                Tok::DoubleEscapePlain => Node::Text("\\\\".to_string(), cx.span(l, r)),
                Tok::EscapedDirective => cx.escaped_directive(l, r),
                Tok::Comment => cx.comment(l, r),
                Tok::TextBlock => cx.text_block(l, r),
                Tok::Identifier | Tok::FormalStart => {
                    self.pos -= 1;
                    Node::Reference(Box::new(self.reference()?))
                }
                Tok::Set => {
                    let target = match self.peek() {
                        Some(Tok::Identifier | Tok::FormalStart) => self.reference()?,
                        _ => return Err(GiveUp),
                    };
                    self.expect(Tok::Assign)?;
                    let value = self.expr()?.expr;
                    let close = self.expect(Tok::RParen)?;
                    Node::Set(Box::new(SetNode {
                        target,
                        value,
                        span: cx.span(l, close.end),
                    }))
                }
                Tok::If => {
                    let cond = self.condition()?;
                    open.push(Open::If {
                        l,
                        branches: Vec::new(),
                        cond: Some(cond),
                        outer: std::mem::take(&mut body),
                    });
                    continue;
                }
                Tok::ElseIf => {
                    let cond = close_branch(&mut open, &mut body)?;
                    *cond = Some(self.condition()?);
                    continue;
                }
                Tok::Else => {
                    close_branch(&mut open, &mut body)?;
                    continue;
                }
                Tok::End => match open.pop() {
                    Some(Open::If {
                        l: start,
                        mut branches,
                        cond,
                        outer,
                    }) => {
                        let inner = std::mem::replace(&mut body, outer);
                        let otherwise = match cond {
                            Some(c) => {
                                branches.push((c, inner));
                                None
                            }
                            None => Some(inner),
                        };
                        Node::If(Box::new(IfNode {
                            branches,
                            otherwise,
                            span: cx.span(start, r),
                        }))
                    }
                    Some(Open::Block {
                        l: start,
                        name_end,
                        args,
                        head_end,
                        outer,
                    }) => {
                        let inner = std::mem::replace(&mut body, outer);
                        cx.directive(start, name_end, true, args, Some(inner), head_end, r)
                            .map_err(|_| GiveUp)?
                    }
                    None => return Err(GiveUp),
                },
                Tok::Stop => Node::Stop(cx.span(l, r)),
                Tok::LineDirective => {
                    self.expect(Tok::LParen)?;
                    let args = self.directive_args()?;
                    let close = self.expect(Tok::RParen)?;
                    cx.directive(l, r, true, args, None, close.end, close.end)
                        .map_err(|_| GiveUp)?
                }
                Tok::BlockDirective => {
                    self.expect(Tok::LParen)?;
                    let args = self.directive_args()?;
                    let close = self.expect(Tok::RParen)?;
                    open.push(Open::Block {
                        l,
                        name_end: r,
                        args,
                        head_end: close.end,
                        outer: std::mem::take(&mut body),
                    });
                    continue;
                }
                Tok::BareDirective => cx
                    .directive(l, r, false, Vec::new(), None, r, r)
                    .map_err(|_| GiveUp)?,
                _ => return Err(GiveUp),
            };
            body.push(node);
        }
        if open.is_empty() {
            Ok(body)
        } else {
            Err(GiveUp)
        }
    }

    /// `( Expr )` after `#if` / `#elseif`.
    fn condition(&mut self) -> Res<Expr> {
        self.expect(Tok::LParen)?;
        let cond = self.expr()?.expr;
        self.expect(Tok::RParen)?;
        Ok(cond)
    }

    /// `DirArg*`: values, each optionally after a comma, up to the `)`.
    fn directive_args(&mut self) -> Res<Vec<Expr>> {
        let mut args = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::RParen) | None => return Ok(args),
                Some(Tok::Comma) => self.pos += 1,
                _ => {}
            }
            let value = match self.peek() {
                Some(Tok::Word) => {
                    let t = self.next().ok_or(GiveUp)?;
                    Expr {
                        kind: ExprKind::Word(self.cx.src[t.start..t.end].to_string()),
                        span: self.cx.span(t.start, t.end),
                    }
                }
                Some(Tok::Identifier | Tok::FormalStart) => self.reference_expr()?,
                Some(
                    Tok::StringLit
                    | Tok::IntLit
                    | Tok::LBracket
                    | Tok::FloatLit
                    | Tok::LeftCurley
                    | Tok::True
                    | Tok::False,
                ) => self.value()?.expr,
                _ => return Err(GiveUp),
            };
            args.push(value);
        }
    }

    /// A reference: `ident Chain` or `${ ident Chain }`.
    fn reference(&mut self) -> Res<Reference> {
        self.enter()?;
        let result = self.reference_inner();
        self.leave();
        result
    }

    fn reference_inner(&mut self) -> Res<Reference> {
        let first = self.next().ok_or(GiveUp)?;
        match first.kind {
            Tok::Identifier => {
                let parts = self.chain()?;
                self.cx
                    .reference(first.start, first.start, first.end, None, parts)
                    .map_err(|_| GiveUp)
            }
            Tok::FormalStart => {
                let ident = self.expect(Tok::Identifier)?;
                let parts = self.chain()?;
                let close = self.expect(Tok::RCurly)?;
                self.cx
                    .reference(first.start, ident.start, ident.end, Some(close.end), parts)
                    .map_err(|_| GiveUp)
            }
            _ => Err(GiveUp),
        }
    }

    fn reference_expr(&mut self) -> Res<Expr> {
        let r = self.reference()?;
        Ok(Expr {
            span: r.span,
            kind: ExprKind::Ref(Box::new(r)),
        })
    }

    /// `Index* Tail*`, a tail being `.name Index*` or `.name(Params) Index*`.
    fn chain(&mut self) -> Res<Vec<RefPart>> {
        let mut parts = Vec::new();
        while self.peek() == Some(Tok::IndexOpen) {
            parts.push(self.index()?);
        }
        while self.peek() == Some(Tok::Dot) {
            self.pos += 1;
            let name = self.expect(Tok::Identifier)?;
            let text = self.cx.src[name.start..name.end].to_string();
            if self.peek() == Some(Tok::LParen) {
                self.pos += 1;
                let args = self.params(Tok::MethodRParen)?;
                let close = self.expect(Tok::MethodRParen)?;
                parts.push(RefPart::Method(
                    text,
                    args,
                    self.cx.span(name.start, close.end),
                ));
            } else {
                parts.push(RefPart::Property(text, self.cx.span(name.start, name.end)));
            }
            while self.peek() == Some(Tok::IndexOpen) {
                parts.push(self.index()?);
            }
        }
        Ok(parts)
    }

    /// `[ IndexParam ]` after a reference part.
    fn index(&mut self) -> Res<RefPart> {
        let open = self.expect(Tok::IndexOpen)?;
        let param = match self.peek() {
            Some(Tok::StringLit | Tok::IntLit | Tok::True | Tok::False) => self.value()?.expr,
            Some(Tok::Identifier | Tok::FormalStart) => self.reference_expr()?,
            _ => return Err(GiveUp),
        };
        let close = self.expect(Tok::IndexClose)?;
        Ok(RefPart::Index(param, self.cx.span(open.start, close.end)))
    }

    /// `Param ("," Param)*`, or nothing when `close` follows.
    fn params(&mut self, close: Tok) -> Res<Vec<Expr>> {
        let mut items = Vec::new();
        if self.peek() == Some(close) {
            return Ok(items);
        }
        items.push(self.param()?);
        while self.peek() == Some(Tok::Comma) {
            self.pos += 1;
            items.push(self.param()?);
        }
        Ok(items)
    }

    /// A method argument, list item or map key or value.
    fn param(&mut self) -> Res<Expr> {
        match self.peek() {
            Some(Tok::Identifier | Tok::FormalStart) => self.reference_expr(),
            Some(
                Tok::StringLit
                | Tok::IntLit
                | Tok::LBracket
                | Tok::LeftCurley
                | Tok::True
                | Tok::False
                | Tok::FloatLit,
            ) => Ok(self.value()?.expr),
            _ => Err(GiveUp),
        }
    }

    /// A literal: string, number, boolean, range, list or map.
    fn value(&mut self) -> Res<Operand> {
        let t = self.next().ok_or(GiveUp)?;
        let (l, r) = (t.start, t.end);
        let cx = self.cx;
        let kind = match t.kind {
            Tok::StringLit => {
                return Ok(Operand {
                    expr: cx.string(l, r).map_err(|_| GiveUp)?,
                    l,
                    r,
                })
            }
            Tok::IntLit => ExprKind::Int(cx.src[l..r].to_string()),
            Tok::FloatLit => ExprKind::Float(cx.src[l..r].to_string()),
            Tok::True => ExprKind::Bool(true),
            Tok::False => ExprKind::Bool(false),
            Tok::LBracket => {
                self.enter()?;
                let result = self.list_or_range(l);
                self.leave();
                return result;
            }
            Tok::LeftCurley => {
                self.enter()?;
                let result = self.map(l);
                self.leave();
                return result;
            }
            _ => return Err(GiveUp),
        };
        Ok(Operand {
            expr: Expr {
                kind,
                span: cx.span(l, r),
            },
            l,
            r,
        })
    }

    /// After `[`: `[a..b]` or `[a, b, …]`.
    fn list_or_range(&mut self, l: usize) -> Res<Operand> {
        let mut items = Vec::new();
        if self.peek() != Some(Tok::RBracket) {
            let first = self.param()?;
            let bound = matches!(first.kind, ExprKind::Int(_) | ExprKind::Ref(_));
            if bound && self.peek() == Some(Tok::DoubleDot) {
                self.pos += 1;
                let last = match self.peek() {
                    Some(Tok::IntLit) => self.value()?.expr,
                    Some(Tok::Identifier | Tok::FormalStart) => self.reference_expr()?,
                    _ => return Err(GiveUp),
                };
                let close = self.expect(Tok::RBracket)?;
                return Ok(Operand {
                    expr: Expr {
                        kind: ExprKind::Range(Box::new(first), Box::new(last)),
                        span: self.cx.span(l, close.end),
                    },
                    l,
                    r: close.end,
                });
            }
            items.push(first);
            while self.peek() == Some(Tok::Comma) {
                self.pos += 1;
                items.push(self.param()?);
            }
        }
        let close = self.expect(Tok::RBracket)?;
        Ok(Operand {
            expr: Expr {
                kind: ExprKind::List(items),
                span: self.cx.span(l, close.end),
            },
            l,
            r: close.end,
        })
    }

    /// After `{`: `k: v, …` and the closing brace.
    fn map(&mut self, l: usize) -> Res<Operand> {
        let mut entries = Vec::new();
        if !matches!(self.peek(), Some(Tok::RightCurley | Tok::RCurly)) {
            loop {
                let k = self.param()?;
                self.expect(Tok::Colon)?;
                let v = self.param()?;
                entries.push((k, v));
                if self.peek() != Some(Tok::Comma) {
                    break;
                }
                self.pos += 1;
            }
        }
        let close = match self.next() {
            Some(t) if matches!(t.kind, Tok::RightCurley | Tok::RCurly) => t,
            _ => return Err(GiveUp),
        };
        Ok(Operand {
            expr: Expr {
                kind: ExprKind::Map(entries),
                span: self.cx.span(l, close.end),
            },
            l,
            r: close.end,
        })
    }

    /// An expression: `||` binds loosest, then `&&`, `==`/`!=`, comparisons, `+`/`-`,
    /// `*`/`/`/`%`, then `!`. All binary operators associate to the left.
    fn expr(&mut self) -> Res<Operand> {
        self.binary_from(1)
    }

    /// Operands joined by operators of precedence `min` and above (precedence climbing: the
    /// recursion is one level per precedence, not per operator).
    fn binary_from(&mut self, min: u8) -> Res<Operand> {
        let mut a = self.unary()?;
        while let Some((op, prec)) = self.peek().and_then(binary_op) {
            if prec < min {
                break;
            }
            self.pos += 1;
            let b = if prec < MAX_PRECEDENCE {
                self.binary_from(prec + 1)?
            } else {
                self.unary()?
            };
            a = self.binary(op, a, b);
        }
        Ok(a)
    }

    fn binary(&self, op: BinOp, a: Operand, b: Operand) -> Operand {
        let (l, r) = (a.l, b.r);
        Operand {
            expr: bin(self.cx, op, a.expr, b.expr, l, r),
            l,
            r,
        }
    }

    /// `!…!x`: the `!`s are counted, not recursed into.
    fn unary(&mut self) -> Res<Operand> {
        let first = self.pos;
        while self.peek() == Some(Tok::Not) {
            self.pos += 1;
        }
        let nots = first..self.pos;
        let mut operand = self.primary()?;
        for i in nots.rev() {
            let l = self.toks[i].start;
            operand = Operand {
                expr: Expr {
                    kind: ExprKind::Not(Box::new(operand.expr)),
                    span: self.cx.span(l, operand.r),
                },
                l,
                r: operand.r,
            };
        }
        Ok(operand)
    }

    fn primary(&mut self) -> Res<Operand> {
        match self.peek() {
            Some(Tok::Identifier | Tok::FormalStart) => {
                let first = self.toks[self.pos];
                let expr = self.reference_expr()?;
                let last = self.toks[self.pos - 1];
                // The LR grammar places the empty chain of a bare `$a` at the next token, so
                // an operator's span then runs to where that token starts.
                let r = if last.start == first.start && first.kind == Tok::Identifier {
                    self.toks.get(self.pos).map_or(last.end, |t| t.start)
                } else {
                    last.end
                };
                Ok(Operand {
                    expr,
                    l: first.start,
                    r,
                })
            }
            Some(Tok::LParen) => {
                let open = self.next().ok_or(GiveUp)?;
                self.enter()?;
                let inner = self.expr();
                self.leave();
                let inner = inner?;
                let close = self.expect(Tok::RParen)?;
                Ok(Operand {
                    expr: inner.expr,
                    l: open.start,
                    r: close.end,
                })
            }
            Some(
                Tok::StringLit
                | Tok::IntLit
                | Tok::LBracket
                | Tok::FloatLit
                | Tok::LeftCurley
                | Tok::True
                | Tok::False,
            ) => self.value(),
            _ => Err(GiveUp),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The recursive descent against the LR parser: on every template one of them accepts,
    //! both give the same tree; where the descent gives up, the LR parser fails too (the
    //! reported error is then the LR parser's by construction).

    use std::cell::{Cell, RefCell};
    use std::collections::HashSet;
    use std::path::Path;

    use proptest::prelude::*;

    use super::{INTERPOLATION_COST, RECURSION_BUDGET};
    use crate::parser::{parse_fast_for_test, parse_lr, ParseOptions};

    /// Checks one template; returns whether the descent accepted it.
    fn agree(src: &str, options: ParseOptions) -> bool {
        let budget = Cell::new(RECURSION_BUDGET);
        let fast = parse_fast_for_test(src, options, &RefCell::new(HashSet::new()), &budget);
        let lr = parse_lr(src, options);
        match fast {
            Ok(nodes) => {
                if lr.as_ref() != Ok(&nodes) {
                    let (a, b) = (format!("{lr:?}"), format!("{:?}", Ok::<_, ()>(&nodes)));
                    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                    let from = at.saturating_sub(300);
                    panic!(
                        "the two parsers differ on {src:?}:\n  lr: …{}\n  rd: …{}",
                        a.get(from..(at + 100).min(a.len())).unwrap_or(&a),
                        b.get(from..(at + 100).min(b.len())).unwrap_or(&b),
                    );
                }
                assert_eq!(budget.get(), RECURSION_BUDGET, "budget not given back");
                true
            }
            Err(_) => {
                assert!(
                    lr.is_err() || budget.get() == 0,
                    "the descent refused {src:?}, which the LR parser accepts: {lr:?}"
                );
                // What the public function reports is the LR parser's result.
                assert_eq!(crate::parse(src, options), lr, "{src:?}");
                false
            }
        }
    }

    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    fn walk(dir: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => {
                    let v: serde_json::Value = serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    strings(&v, out);
                }
                Some("jsonl") => {
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        let v: serde_json::Value = serde_json::from_str(line)
                            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                        strings(&v, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// Every string of the conformance cases (templates, and the bodies and outputs beside
    /// them, which make more inputs) and of the benchmark cases, the templates the fuzz
    /// target is seeded with.
    #[test]
    fn the_case_files_parse_the_same() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut all = Vec::new();
        walk(&root.join("conformance/cases"), &mut all);
        walk(&root.join("benches/cases"), &mut all);
        all.sort();
        all.dedup();
        assert!(
            all.len() > 1000,
            "only {} strings in the case files",
            all.len()
        );
        let accepted = all
            .iter()
            .filter(|src| agree(src, ParseOptions::default()))
            .count();
        // Most of the corpus is templates that parse: the descent must take them.
        assert!(accepted * 2 > all.len(), "{accepted} of {}", all.len());
    }

    #[test]
    fn the_grammar_corners_parse_the_same() {
        for src in [
            "",
            "text $a $!b ${c} $!{d.e} \\$f \\\\$g $h.i.j() $k.l(1, 'x', [1..2], {'a': $b})",
            "$a[0][$b].c[\"k\"].d(true)[false]",
            "#set($a = 1 + 2 * 3 - -4 / 5 % 6)#set($b = !$a && $c || !!$d == $e != ($f < 1))",
            "#set($m = {})#set($l = [])#set($r = [$a..$b])#set($s = [1, 2.5, 'x', {}, []])",
            "#if($a)x#elseif($b)y#elseif($c)z#else w#end",
            "#if($a)#if($b)#end#{else}#end",
            "#foreach($i in [1..3])$i#{end}#foreach($i in $list)#break#end",
            "#macro(m $a $b)$a$b#end#m(1 2)#m('x', \"y$a\")",
            "#define($d)text#end$d #evaluate('#set($x = 1)')#stop after",
            "\"$a\" 'b' #[[ raw ]]# ## comment\n#* block *# \\#if \\\\#if #@blk()x#end",
            "#set($x = \"a $b #if($c)c#end \")",
            "#set($x = \"$a.b(\\\"q\\\")\")",
            "$a.b(",
            "#if(",
            "#set($a = )",
            "#foreach($i in $l)",
            "#macro(m)#m(x)#end#m(x)",
            "#macro()#end",
            "#foreach('a' in $b)#end",
            "#set($a = \"#if(\")",
            "#end",
            "#else",
            "$a.b($c.d($e.f($g)))",
            "$a[$b[$c[$d]]]",
            "#set($a = [[[[[1]]]]])",
            "#set($a = ((((1)))))",
        ] {
            agree(src, ParseOptions::default());
        }
    }

    /// Nesting beyond the recursion budget: the LR parser takes over, with the same result.
    #[test]
    fn deep_nesting_falls_back() {
        let options = ParseOptions {
            max_depth: 10_000,
            max_expr_depth: 10_000,
            ..ParseOptions::default()
        };
        for (open, close) in [("(", ")"), ("[", "]"), ("{'a': ", "}")] {
            let n = RECURSION_BUDGET + 10;
            let src = format!("#set($a = {}1{})", open.repeat(n), close.repeat(n));
            let budget = Cell::new(RECURSION_BUDGET);
            assert!(
                parse_fast_for_test(&src, options, &RefCell::new(HashSet::new()), &budget).is_err()
            );
            assert!(crate::parse(&src, options).is_ok(), "{open}");
            assert_eq!(crate::parse(&src, options), parse_lr(&src, options));
        }
        let n = RECURSION_BUDGET + 10;
        let src = format!("{}$x{}", "#if(true)".repeat(n), "#end".repeat(n));
        assert!(agree(&src, options), "blocks do not spend the budget");
    }

    /// The deepest nesting the descent takes (just within its budget) runs in a 128 KiB stack,
    /// for each kind of nesting and for them mixed.
    #[test]
    fn the_recursion_budget_fits_a_small_stack() {
        const STACK: usize = 128 * 1024;
        let options = ParseOptions {
            max_depth: 10_000,
            max_expr_depth: 10_000,
            ..ParseOptions::default()
        };
        let n = RECURSION_BUDGET - 2;
        let templates = [
            format!("#set($a = {}1{})", "(".repeat(n), ")".repeat(n)),
            format!("#set($a = {}1{})", "[".repeat(n), "]".repeat(n)),
            format!("#set($a = {}1{})", "{1: ".repeat(n), "}".repeat(n)),
            format!("$a{}{}", "[$a".repeat(n), "]".repeat(n)),
            format!("$a{}{}", ".b($a".repeat(n), ")".repeat(n)),
            format!("#set($a = {}1{})", "(!-1 + ".repeat(n), ")".repeat(n)),
            format!(
                "#set($a = {}1{})",
                "[{1: $a.b(".repeat(n / 3),
                ")}]".repeat(n / 3)
            ),
            // Interpolated strings, each costing the budget of a few levels.
            format!(
                "#set($a = \"{}1{}\")",
                "[{1: $a.b(".repeat((n - INTERPOLATION_COST) / 3),
                ")}]".repeat((n - INTERPOLATION_COST) / 3)
            ),
            // Interpolated strings, each costing the budget of a few levels.
            format!(
                "#set($a = \"{}1{}\")",
                "[{1: $a.b(".repeat((n - INTERPOLATION_COST) / 3),
                ")}]".repeat((n - INTERPOLATION_COST) / 3)
            ),
        ];
        for src in templates {
            let (fast, src) = std::thread::Builder::new()
                .stack_size(STACK)
                .spawn(move || {
                    let budget = Cell::new(RECURSION_BUDGET);
                    let macros = RefCell::new(HashSet::new());
                    (parse_fast_for_test(&src, options, &macros, &budget), src)
                })
                .expect("a thread")
                .join()
                .expect("no stack overflow");
            let fast = fast.unwrap_or_else(|_| panic!("the descent takes {}", &src[..40]));
            assert_eq!(Ok(fast), parse_lr(&src, options));
        }
    }

    /// Fragments that steer the lexer through its states far more often than random text.
    #[rustfmt::skip]
    const TOKENS: &[&str] = &[
        "$", "$!", "${", "$!{", "#", "#if(", "#elseif(", "#else", "#{else}", "#end", "#{end}",
        "#set(", "#foreach(", " in ", "#macro(", "#define(", "#evaluate(", "#break", "#stop",
        "#include(", "#parse(", "#@", "#[[", "]]#", "(", ")", "[", "]", "{", "}", "\"", "'",
        "\\", "\\\\", "##", "#*", "*#", ".", "..", ",", ":", "=", "==", "!=", "!", "&&", "||",
        "+", "-", "*", "/", "%", "<", ">=", " ", "\t", "\n", "true", "false", "a", "b", "foo",
        "x1", "0", "1", "42", "-7", "3.5", "1e3", "é", "$a", "$a.b", "$a.b(", "$a[", "#if($a)",
        "#set($a = ", "#foreach($i in $l)", "#macro(m $x)", "#m(", "\"$a\"", "'x'", "$!a.b()",
    ];

    fn soup() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            8 => proptest::sample::select(TOKENS).prop_map(str::to_string),
            1 => "[a-zA-Z_][a-zA-Z0-9_-]{0,6}",
            1 => "[0-9]{1,4}",
        ];
        proptest::collection::vec(token, 0..48).prop_map(|t| t.concat())
    }

    /// A name for a variable, property or method.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::sample::select(&["a", "b", "foo", "input", "util", "x_1", "Item-2"][..])
                .prop_map(str::to_string),
            1 => "[a-zA-Z_][a-zA-Z0-9_]{0,5}",
        ]
    }

    /// Templates built from the grammar (so that most of them parse), with the blanks and
    /// spellings Velocity allows.
    fn template() -> impl Strategy<Value = String> {
        let literal = prop_oneof![
            "-?[0-9]{1,3}",
            "-?[0-9]{1,2}\\.[0-9]{1,2}",
            "'[a-z $#]{0,4}'",
            "\"[a-z ]{0,3}(\\$[a-z]{1,2})?[a-z ]{0,2}\"",
            Just("true".to_string()),
            Just("false".to_string()),
        ];
        let reference = (
            proptest::sample::select(&["$", "$!", "${", "$!{"][..]),
            name(),
            proptest::collection::vec((0u8..4, name(), "-?[0-9]{1,2}"), 0..3),
        )
            .prop_map(|(start, root, parts)| {
                let mut out = format!("{start}{root}");
                for (kind, n, i) in parts {
                    match kind {
                        0 => out.push_str(&format!(".{n}")),
                        1 => out.push_str(&format!(".{n}()")),
                        2 => out.push_str(&format!(".{n}({i}, 'x')")),
                        _ => out.push_str(&format!("[{i}]")),
                    }
                }
                if start.ends_with('{') {
                    out.push('}');
                }
                out
            })
            .boxed();
        // Method arguments, list items, map entries and directive arguments.
        let param = prop_oneof![literal, reference.clone()]
            .prop_recursive(3, 12, 3, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..3)
                        .prop_map(|v| format!("[{}]", v.join(", "))),
                    (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("{{{k}: {v}}}")),
                    ("-?[0-9]{1,2}", "[0-9]{1,2}").prop_map(|(a, b)| format!("[{a}..{b}]")),
                ]
            })
            .boxed();
        let expr = param
            .clone()
            .prop_recursive(4, 24, 2, |inner| {
                prop_oneof![
                    (
                        inner.clone(),
                        proptest::sample::select(
                            &[
                                " + ", "-", " * ", "/", " % ", " == ", " != ", " < ", "<=", " > ",
                                ">=", " && ", " || ", " and ", " or ", " eq ", " lt ",
                            ][..]
                        ),
                        inner.clone()
                    )
                        .prop_map(|(a, op, b)| format!("{a}{op}{b}")),
                    inner.clone().prop_map(|a| format!("!{a}")),
                    inner.clone().prop_map(|a| format!("({a})")),
                ]
            })
            .boxed();
        let text = prop_oneof![
            "[a-z ]{1,6}",
            Just("\n".to_string()),
            Just("{\"k\": ".to_string()),
            Just("}".to_string()),
            Just(", ".to_string()),
            Just("## note\n".to_string()),
            Just("#* block *#".to_string()),
            Just("\\$a".to_string()),
            Just("#[[ $raw ]]#".to_string()),
        ];
        let statement = prop_oneof![
            3 => text,
            3 => reference.clone(),
            2 => (reference.clone(), expr.clone())
                .prop_map(|(r, e)| format!("#set({} = {e})", r.replace('!', ""))),
            1 => Just("#stop".to_string()),
            1 => Just("#break".to_string()),
            1 => (name(), proptest::collection::vec(param.clone(), 0..3), " |, ")
                .prop_map(|(n, args, sep)| format!("#{n}({})", args.join(&sep))),
        ];
        statement.prop_recursive(3, 32, 4, move |body| {
            let block = proptest::collection::vec(body, 0..4).prop_map(|v| v.concat());
            prop_oneof![
                (
                    expr.clone(),
                    block.clone(),
                    proptest::option::of((expr.clone(), block.clone())),
                    proptest::option::of(block.clone())
                )
                    .prop_map(|(c, b, elif, otherwise)| {
                        let mut out = format!("#if({c}){b}");
                        if let Some((c2, b2)) = elif {
                            out.push_str(&format!("#elseif({c2}){b2}"));
                        }
                        if let Some(o) = otherwise {
                            out.push_str(&format!("#else{o}"));
                        }
                        out + "#end"
                    }),
                (name(), param.clone(), block.clone())
                    .prop_map(|(v, e, b)| format!("#foreach(${v} in {e}){b}#end")),
                (name(), block.clone()).prop_map(|(n, b)| format!("#macro({n} $p){b}#end#{n}(1)")),
                (reference.clone(), block.clone())
                    .prop_map(|(r, b)| format!("#define({r}){b}#end")),
                block,
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn token_soups_parse_the_same(src in soup()) {
            agree(&src, ParseOptions::default());
        }

        #[test]
        fn grammar_built_templates_parse_the_same(
            parts in proptest::collection::vec(template(), 1..6)
        ) {
            agree(&parts.concat(), ParseOptions::default());
        }
    }
}
