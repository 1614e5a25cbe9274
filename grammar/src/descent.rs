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
mod tests;
