//! The modal lexer: a model of Velocity 1.7's lexical states.
//!
//! VTL is context-sensitive. Velocity's own lexer keeps a stack of states (text, reference,
//! reference modifier, method arguments, index, directive name, directive arguments) with a
//! parenthesis count per level, accumulates prefixes (`$`, `#`, backslashes) into the next
//! token, and pushes a character back when a reference ends. Whitespace handling that users see
//! (`#set` swallowing the blanks before it, `)` / `#end` / `#else` swallowing the rest of their
//! line) falls out of those token shapes. This module reproduces that machine: each state is a
//! `logos` token set, and the driver applies the state actions between tokens.
//!
//! The lexer runs over the whole template before parsing (the parser never steers it), then a
//! small pass settles the few decisions Velocity's parser makes with lookahead.

//!
//! The pieces: `lexer/tokens.rs` holds the token set of each state (the `logos` enums), this file the
//! driver that runs them and applies the state actions, `lexer/prefix.rs` the prefix and comment rules
//! the driver shares, and `lexer/settle.rs` the pass after lexing (and the expression-depth bound).

mod prefix;
mod settle;
mod tokens;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use logos::Logos;

use crate::error::{ParseError, ParseErrorKind};
use crate::token::{Tok, Token};

use prefix::{comment_end, special_text};
use settle::settle;
pub use settle::{check_expression_depth, directive_name};
use tokens::{DefaultTok, DirTok, IndexTok, MethodTok, PreTok, RefTok};

/// Directives Velocity 1.7 knows besides the grammar's own (`#if`, `#set`, …).
pub const PLUGGABLE_DIRECTIVES: &[&str] = &[
    "foreach", "include", "parse", "macro", "literal", "evaluate", "break", "define",
];

/// Block directives: those that take a body closed by `#end`.
pub fn is_block_directive(name: &str) -> bool {
    matches!(name, "foreach" | "define" | "macro" | "literal") || name.starts_with('@')
}

/// The result of lexing: tokens plus what the parser needs to render text tokens.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Tokens in order, without whitespace inside directives and references.
    pub tokens: Vec<Token>,
    /// Text that Velocity prints before a token because of an abandoned prefix (a `$` or `#`
    /// that did not start a reference or directive), keyed by the token's start offset.
    pub special: HashMap<usize, String>,
    /// Where blanks were skipped in the method-argument state (Velocity makes them tokens).
    pub method_blanks: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Default,
    Reference,
    RefModifier,
    RefMod2,
    RefIndex,
    PreDirective,
    Directive,
}

#[derive(Clone, Copy)]
struct Saved {
    state: State,
    lparen: u32,
    rparen: u32,
}

/// Lexes a whole template. `max_depth` bounds nesting (parentheses, brackets, blocks).
pub fn lex(src: &str, max_depth: usize) -> Result<Lexed, ParseError> {
    lex_bounded(src, max_depth, usize::MAX)
}

/// Like [`lex`], failing (without storing more) once there are more than `max_tokens`.
pub fn lex_bounded(src: &str, max_depth: usize, max_tokens: usize) -> Result<Lexed, ParseError> {
    let mut lx = Lexer {
        max_tokens,
        too_many: None,
        src,
        pos: 0,
        state: State::Default,
        stack: Vec::new(),
        lparen: 0,
        rparen: 0,
        in_set: false,
        ref_has_ident: false,
        more_start: None,
        pending_special: String::new(),
        out: Lexed::default(),
    };
    if let Err(e) = lx.run() {
        return Err(crate::parser::blame_unclosed_paren(src, &lx.out.tokens, e));
    }
    if let Some(at) = lx.too_many {
        return Err(ParseError::new(
            ParseErrorKind::Limit,
            format!(
                "the template has more than {max_tokens} tokens, too many to compile within the memory limit"
            ),
            at,
        ));
    }
    let mut lexed = lx.out;
    settle(src, &mut lexed, max_depth)?;
    Ok(lexed)
}

struct Lexer<'s> {
    src: &'s str,
    max_tokens: usize,
    /// The first token past `max_tokens`, if there is one.
    too_many: Option<std::ops::Range<usize>>,
    pos: usize,
    state: State,
    stack: Vec<Saved>,
    lparen: u32,
    rparen: u32,
    in_set: bool,
    /// Whether the current reference has its identifier yet: right after `$`, a `.` ends
    /// the reference (`$.a` is text), after `$a` it starts a property.
    ref_has_ident: bool,
    more_start: Option<usize>,
    pending_special: String,
    out: Lexed,
}

/// What one step of a state's token set found, in state-independent terms.
enum Step {
    Emit(Tok),
    Dollar,
    Hash,
    TextBlock,
    BlockComment,
    LineComment,
    Set,
    IndexOpen,
    IndexClose,
    LParen,
    RParen,
    MethodRParen,
    StringLit,
    IntLit,
    FloatLit,
    Dot,
    /// `.` right after `$!`: text, and the reference goes on as a runt.
    BangDot,
    RCurly,
    End,
    Else,
    Stop,
    IfLike(Tok),
    DirectiveName,
    Whitespace,
    Terminator,
    Lexical,
}

impl<'s> Lexer<'s> {
    fn run(&mut self) -> Result<(), ParseError> {
        while self.pos < self.src.len() {
            let rest = &self.src[self.pos..];
            let (mut step, len) = self.match_one(rest);
            match step {
                Step::Emit(Tok::Identifier) => self.ref_has_ident = true,
                // Right after `$`, a `.` ends the reference (`$.a` prints as text). After
                // `$!`, Velocity lexes the `.` as a property dot and drops the `$!`.
                Step::Dot if self.state == State::Reference && !self.ref_has_ident => {
                    let bang = self
                        .more_start
                        .is_some_and(|m| self.src[m..self.pos].ends_with('!'));
                    if bang {
                        self.more_start = None;
                        step = Step::BangDot;
                    } else {
                        step = Step::Terminator;
                    }
                }
                _ => {}
            }
            let start = self.pos;
            let mut end = start + len;
            // `stop` after a longer prefix than `#` (`$#stop`) is a word, as other names are.
            if matches!(step, Step::Stop)
                && self.more_start.is_some_and(|m| &self.src[m..start] != "#")
            {
                step = Step::DirectiveName;
            }
            match step {
                Step::Emit(tok) => {
                    self.pos = end;
                    self.emit(tok, start, end);
                }
                Step::Dollar => {
                    self.ref_has_ident = false;
                    if self.state == State::Reference {
                        self.pop();
                    }
                    self.push();
                    self.state = State::Reference;
                    self.more(start, end);
                }
                Step::Hash => {
                    if matches!(self.state, State::Reference | State::RefModifier) {
                        self.pop();
                    }
                    self.push();
                    self.state = State::PreDirective;
                    self.more(start, end);
                }
                Step::TextBlock => {
                    let body = start + 3;
                    match self.src[body..].find("]]#") {
                        Some(i) => {
                            end = body + i + 3;
                            self.pos = end;
                            self.emit(Tok::TextBlock, start, end);
                        }
                        None => return Err(self.eof_error()),
                    }
                }
                Step::BlockComment => {
                    // `#*` / `#**`: everything up to `*#` is skipped (an accumulated prefix
                    // is dropped with it); unterminated, it runs to the end silently, unless
                    // the template ends right after a prefix (see `comment_end`).
                    // `#**x` gives its `x` back, as Velocity's formal comment does.
                    let body = if self.src[start..].starts_with("#**") && len > 3 {
                        start + 3
                    } else {
                        start + 2
                    };
                    if body >= self.src.len() {
                        return Err(self.eof_error());
                    }
                    match comment_end(self.src, body, false) {
                        Ok(Some((e, skipped))) => {
                            // The prefix stays in the token's text only while Velocity has
                            // skipped nothing (`$#**#` prints `$`).
                            if skipped {
                                self.more_start = None;
                            }
                            end = e;
                            self.pos = end;
                            self.emit(Tok::Comment, start, end);
                        }
                        Ok(None) => {
                            self.more_start = None;
                            self.pos = self.src.len();
                            return Ok(());
                        }
                        Err(()) => return Err(self.eof_error()),
                    }
                }
                Step::LineComment => {
                    if self.state == State::Reference {
                        self.pop();
                    }
                    let i = match comment_end(self.src, start + 2, true) {
                        Ok(Some((e, _))) => e,
                        Ok(None) => self.src.len(),
                        Err(()) => return Err(self.eof_error()),
                    };
                    self.pos = i;
                    self.emit(Tok::Comment, start, i);
                }
                Step::Set => {
                    self.push();
                    self.in_set = true;
                    self.state = State::Directive;
                    self.lparen += 1;
                    self.pos = end;
                    self.emit(Tok::Set, start, end);
                }
                Step::IndexOpen => {
                    self.push();
                    self.state = State::RefIndex;
                    self.pos = end;
                    self.emit(Tok::IndexOpen, start, end);
                }
                Step::IndexClose => {
                    self.pop();
                    self.pos = end;
                    self.emit(Tok::IndexClose, start, end);
                }
                Step::LParen => {
                    self.lparen += 1;
                    // After a reference part, `(` opens a method call only right after
                    // `.name`; elsewhere (`$a.b{(`, `$a[0](`) the parser takes it as text,
                    // but the lexer goes on in the method-argument state all the same.
                    let mut tok = Tok::LParen;
                    if self.state == State::RefModifier {
                        self.state = State::RefMod2;
                        let n = self.out.tokens.len();
                        let after_name = n >= 2
                            && self.out.tokens[n - 1].kind == Tok::Identifier
                            && self.out.tokens[n - 1].end == start
                            && self.out.tokens[n - 2].kind == Tok::Dot;
                        if !after_name {
                            tok = Tok::Text;
                        }
                    }
                    self.pos = end;
                    self.emit(tok, start, end);
                }
                Step::RParen => {
                    let closes_set = self.in_set && self.lparen == self.rparen + 1;
                    self.rparen_handler();
                    if closes_set {
                        self.in_set = false;
                    }
                    self.pos = end;
                    self.emit(Tok::RParen, start, end);
                }
                Step::MethodRParen => {
                    self.state = State::Reference;
                    self.pos = end;
                    self.emit(Tok::MethodRParen, start, end);
                }
                Step::StringLit => {
                    if self.state == State::Directive && !self.in_set && self.lparen == 0 {
                        self.pop();
                    }
                    self.pos = end;
                    self.emit(Tok::StringLit, start, end);
                }
                Step::IntLit => {
                    if self.src[start..end].ends_with("..") {
                        end -= 2;
                    }
                    if self.lparen == 0
                        && !self.in_set
                        && self.state != State::RefMod2
                        && self.state != State::RefIndex
                    {
                        self.pop();
                    }
                    self.pos = end;
                    self.emit(Tok::IntLit, start, end);
                }
                Step::FloatLit => {
                    if self.lparen == 0 && !self.in_set && self.state != State::RefMod2 {
                        self.pop();
                    }
                    self.pos = end;
                    self.emit(Tok::FloatLit, start, end);
                }
                Step::Dot => {
                    end = start + 1;
                    self.state = State::RefModifier;
                    self.pos = end;
                    self.emit(Tok::Dot, start, end);
                }
                Step::BangDot => {
                    end = start + 1;
                    self.state = State::RefModifier;
                    self.pos = end;
                    self.emit(Tok::Text, start, end);
                }
                Step::RCurly => {
                    self.pop();
                    self.pos = end;
                    self.emit(Tok::RCurly, start, end);
                }
                Step::End | Step::Else | Step::Stop => {
                    self.pop();
                    self.pos = end;
                    let tok = match step {
                        Step::End => Tok::End,
                        Step::Else => Tok::Else,
                        _ => Tok::Stop,
                    };
                    self.emit(tok, start, end);
                }
                Step::IfLike(tok) => {
                    self.state = State::Directive;
                    self.pos = end;
                    self.emit(tok, start, end);
                }
                Step::DirectiveName => {
                    self.pos = end;
                    let name = directive_name(&self.src[self.more_start.unwrap_or(start)..end]);
                    let tok = if self.left_paren_follows() {
                        self.state = State::Directive;
                        if is_block_directive(name) {
                            Tok::BlockDirective
                        } else {
                            Tok::LineDirective
                        }
                    } else {
                        self.pop();
                        Tok::BareDirective
                    };
                    self.emit(tok, start, end);
                }
                Step::Whitespace => {
                    // Not significant to the grammar; an accumulated prefix cannot precede it.
                    self.more_start = None;
                    if self.state == State::RefMod2 {
                        self.out.method_blanks.push(start);
                    }
                    self.pos = end;
                }
                Step::Terminator => {
                    // The character ends a reference or a directive name: it is pushed back,
                    // and any accumulated prefix becomes "special" text before the next token.
                    let ch_len = rest.chars().next().map_or(1, char::len_utf8);
                    if let Some(ms) = self.more_start.take() {
                        let image = &self.src[ms..start + ch_len];
                        special_text(image, &mut self.pending_special);
                    }
                    self.pop();
                }
                Step::Lexical => {
                    let ch = rest.chars().next().unwrap_or(' ');
                    return Err(ParseError::new(
                        ParseErrorKind::Lexical,
                        format!("Lexical error: unexpected {ch:?}"),
                        start..start + ch.len_utf8(),
                    ));
                }
            }
        }
        if self.more_start.is_some() {
            return Err(self.eof_error());
        }
        Ok(())
    }

    fn eof_error(&self) -> ParseError {
        let at = self.src.len();
        ParseError::new(
            ParseErrorKind::Lexical,
            "Lexical error: unexpected end of template".to_string(),
            at..at,
        )
    }

    fn more(&mut self, start: usize, end: usize) {
        if self.more_start.is_none() {
            self.more_start = Some(start);
        }
        self.pos = end;
    }

    fn emit(&mut self, kind: Tok, start: usize, end: usize) {
        let start = self.more_start.take().unwrap_or(start);
        if !self.pending_special.is_empty() {
            let text = std::mem::take(&mut self.pending_special);
            self.out.special.insert(start, text);
        }
        if self.out.tokens.len() >= self.max_tokens {
            self.too_many.get_or_insert(start..end);
            return;
        }
        self.out.tokens.push(Token { kind, start, end });
    }

    fn push(&mut self) {
        self.stack.push(Saved {
            state: self.state,
            lparen: self.lparen,
            rparen: self.rparen,
        });
        self.lparen = 0;
    }

    fn pop(&mut self) -> bool {
        match self.stack.pop() {
            Some(s) => {
                self.state = s.state;
                self.lparen = s.lparen;
                self.rparen = s.rparen;
                true
            }
            None => {
                self.lparen = 0;
                self.state = State::Default;
                false
            }
        }
    }

    fn rparen_handler(&mut self) {
        loop {
            if self.lparen > 0 {
                if self.lparen == self.rparen + 1 {
                    self.pop();
                } else {
                    self.rparen += 1;
                }
                return;
            }
            if !self.pop() {
                return;
            }
        }
    }

    /// Velocity's `isLeftParenthesis`: only blanks and newlines, then `(`.
    fn left_paren_follows(&self) -> bool {
        for b in self.src.as_bytes()[self.pos..].iter() {
            match b {
                b'(' => return true,
                b' ' | b'\n' | b'\r' | b'\t' => continue,
                _ => return false,
            }
        }
        false
    }

    fn match_one(&self, rest: &str) -> (Step, usize) {
        match self.state {
            State::Default => {
                let mut lx = DefaultTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Lexical, 0);
                };
                let len = lx.span().end;
                let step = match t {
                    DefaultTok::Set => Step::Set,
                    DefaultTok::Dollar | DefaultTok::DollarBang => Step::Dollar,
                    DefaultTok::TextBlockStart => Step::TextBlock,
                    DefaultTok::FormalComment | DefaultTok::BlockComment => Step::BlockComment,
                    DefaultTok::Hash => Step::Hash,
                    DefaultTok::LineComment => Step::LineComment,
                    DefaultTok::EscapedDirective => Step::Emit(Tok::EscapedDirective),
                    DefaultTok::DoubleEscape => Step::Emit(Tok::DoubleEscapePlain),
                    DefaultTok::Escape => Step::Emit(Tok::Escape),
                    DefaultTok::Text => Step::Emit(Tok::Text),
                    DefaultTok::EmptyIndex => Step::Emit(Tok::EmptyIndex),
                };
                (step, len)
            }
            State::Reference | State::RefModifier => {
                let mut lx = RefTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Terminator, 0);
                };
                let len = lx.span().end;
                let step = match t {
                    RefTok::IndexOpen => Step::IndexOpen,
                    RefTok::Set => Step::Set,
                    RefTok::Dollar | RefTok::DollarBang => Step::Dollar,
                    RefTok::TextBlockStart => Step::TextBlock,
                    RefTok::FormalComment | RefTok::BlockComment => Step::BlockComment,
                    RefTok::Hash => Step::Hash,
                    RefTok::LineComment => Step::LineComment,
                    RefTok::True => Step::Emit(Tok::True),
                    RefTok::False => Step::Emit(Tok::False),
                    RefTok::Identifier => Step::Emit(Tok::Identifier),
                    RefTok::Dot => Step::Dot,
                    RefTok::LCurly => Step::Emit(Tok::TextLCurly),
                    RefTok::RCurly => Step::RCurly,
                    RefTok::EmptyIndex => Step::Emit(Tok::EmptyIndex),
                    RefTok::LParen if self.state == State::RefModifier => Step::LParen,
                    RefTok::LParen => Step::Terminator,
                };
                // Velocity's `##` comment rule does not apply after a `.name`, nor inside
                // method arguments or an index: there each `#` is a directive prefix.
                if matches!(step, Step::LineComment) && self.state == State::RefModifier {
                    return (Step::Hash, 1);
                }
                // Nor is `$[` text there: the `$` starts a reference and `[` its index.
                if matches!(t, RefTok::EmptyIndex) && self.state == State::RefModifier {
                    return (Step::Dollar, len - 1);
                }
                (step, len)
            }
            State::Directive => {
                let mut lx = DirTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Lexical, 0);
                };
                let step = match t {
                    DirTok::LBracket => Step::Emit(Tok::LBracket),
                    DirTok::RBracket => Step::Emit(Tok::RBracket),
                    DirTok::Comma => Step::Emit(Tok::Comma),
                    DirTok::DoubleDot => Step::Emit(Tok::DoubleDot),
                    DirTok::Colon => Step::Emit(Tok::Colon),
                    DirTok::LeftCurley => Step::Emit(Tok::LeftCurley),
                    DirTok::RightCurley => Step::Emit(Tok::RightCurley),
                    DirTok::LParen => Step::LParen,
                    DirTok::RParen => Step::RParen,
                    DirTok::Whitespace => Step::Whitespace,
                    DirTok::StringLit => Step::StringLit,
                    DirTok::True => Step::Emit(Tok::True),
                    DirTok::False => Step::Emit(Tok::False),
                    DirTok::IntLit => Step::IntLit,
                    DirTok::FloatLit => Step::FloatLit,
                    DirTok::Minus => Step::Emit(Tok::Minus),
                    DirTok::Plus => Step::Emit(Tok::Plus),
                    DirTok::Star => Step::Emit(Tok::Star),
                    DirTok::Slash => Step::Emit(Tok::Slash),
                    DirTok::Percent => Step::Emit(Tok::Percent),
                    DirTok::And => Step::Emit(Tok::And),
                    DirTok::Or => Step::Emit(Tok::Or),
                    DirTok::Lt => Step::Emit(Tok::Lt),
                    DirTok::Le => Step::Emit(Tok::Le),
                    DirTok::Gt => Step::Emit(Tok::Gt),
                    DirTok::Ge => Step::Emit(Tok::Ge),
                    DirTok::EqEq => Step::Emit(Tok::EqEq),
                    DirTok::Ne => Step::Emit(Tok::Ne),
                    DirTok::Not => Step::Emit(Tok::Not),
                    DirTok::Assign => Step::Emit(Tok::Assign),
                    DirTok::Word => Step::Emit(Tok::Word),
                    DirTok::Dollar | DirTok::DollarBang => Step::Dollar,
                    DirTok::TextBlockStart => Step::TextBlock,
                    DirTok::FormalComment | DirTok::BlockComment => Step::BlockComment,
                    DirTok::Hash => Step::Hash,
                    DirTok::LineComment => Step::LineComment,
                };
                (step, lx.span().end)
            }
            State::RefMod2 => {
                let mut lx = MethodTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Lexical, 0);
                };
                let step = match t {
                    MethodTok::LBracket => Step::Emit(Tok::LBracket),
                    MethodTok::RBracket => Step::Emit(Tok::RBracket),
                    MethodTok::Comma => Step::Emit(Tok::Comma),
                    MethodTok::DoubleDot => Step::Emit(Tok::DoubleDot),
                    MethodTok::Colon => Step::Emit(Tok::Colon),
                    MethodTok::LeftCurley => Step::Emit(Tok::LeftCurley),
                    MethodTok::RightCurley => Step::Emit(Tok::RightCurley),
                    MethodTok::RParen => Step::MethodRParen,
                    MethodTok::Whitespace => Step::Whitespace,
                    MethodTok::StringLit => Step::StringLit,
                    MethodTok::True => Step::Emit(Tok::True),
                    MethodTok::False => Step::Emit(Tok::False),
                    MethodTok::IntLit => Step::IntLit,
                    MethodTok::FloatLit => Step::FloatLit,
                    MethodTok::Identifier => Step::Emit(Tok::Identifier),
                    MethodTok::Dot => Step::Dot,
                    MethodTok::Set => Step::Set,
                    MethodTok::Dollar | MethodTok::DollarBang => Step::Dollar,
                    MethodTok::TextBlockStart => Step::TextBlock,
                    MethodTok::FormalComment | MethodTok::BlockComment => Step::BlockComment,
                    MethodTok::Hash => Step::Hash,
                    MethodTok::LineComment => Step::Hash,
                };
                let len = if matches!(t, MethodTok::LineComment) {
                    1
                } else {
                    lx.span().end
                };
                (step, len)
            }
            State::RefIndex => {
                let mut lx = IndexTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Lexical, 0);
                };
                let step = match t {
                    IndexTok::IndexClose => Step::IndexClose,
                    IndexTok::Whitespace => Step::Whitespace,
                    IndexTok::StringLit => Step::StringLit,
                    IndexTok::True => Step::Emit(Tok::True),
                    IndexTok::False => Step::Emit(Tok::False),
                    IndexTok::IntLit => Step::IntLit,
                    IndexTok::FloatLit => Step::FloatLit,
                    IndexTok::Dollar | IndexTok::DollarBang => Step::Dollar,
                    IndexTok::TextBlockStart => Step::TextBlock,
                    IndexTok::FormalComment | IndexTok::BlockComment => Step::BlockComment,
                    IndexTok::Hash => Step::Hash,
                    IndexTok::LineComment => Step::Hash,
                };
                let len = if matches!(t, IndexTok::LineComment) {
                    1
                } else {
                    lx.span().end
                };
                (step, len)
            }
            State::PreDirective => {
                let mut lx = PreTok::lexer(rest);
                let Some(Ok(t)) = lx.next() else {
                    return (Step::Terminator, 0);
                };
                let len = lx.span().end;
                let step = match t {
                    PreTok::End => Step::End,
                    PreTok::If => Step::IfLike(Tok::If),
                    PreTok::ElseIf => Step::IfLike(Tok::ElseIf),
                    PreTok::Else => Step::Else,
                    PreTok::Stop => Step::Stop,
                    PreTok::IntLit => Step::IntLit,
                    PreTok::FloatLit => Step::FloatLit,
                    PreTok::Word | PreTok::BracketedWord => Step::DirectiveName,
                    PreTok::Dollar | PreTok::DollarBang => Step::Dollar,
                    PreTok::TextBlockStart => Step::TextBlock,
                    PreTok::FormalComment | PreTok::BlockComment => Step::BlockComment,
                    PreTok::Hash => Step::Hash,
                    PreTok::LineComment => Step::LineComment,
                };
                (step, len)
            }
        }
    }
}
