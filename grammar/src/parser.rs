//! Parsing: tokens to syntax tree, and what Velocity's parser does to token text on the way
//! (reference roots and prefixes, escapes, comment prefixes, string interpolation).
//!
//! A template is parsed by the recursive descent of `descent.rs`. When that gives up (the
//! template is wrong, or nests deeper than its recursion budget), the LR parser generated
//! from `grammar.lalrpop` parses it again: its error, with the tokens it expected and the
//! point where it stopped, is the one reported; for a template that nests very deeply but is
//! right, it builds the tree without recursing. Both build the tree with the actions of
//! [`Cx`], so they agree on every template either accepts.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use lalrpop_util::ParseError as LalrError;

use crate::ast::*;
use crate::descent::{self, GiveUp, INTERPOLATION_COST, RECURSION_BUDGET};
use crate::error::{ParseError, ParseErrorKind};
use crate::lexer::{self, directive_name, Lexed, PLUGGABLE_DIRECTIVES};
use crate::token::{Tok, Token};

/// Limits the parser enforces.
#[derive(Clone, Copy, Debug)]
pub struct ParseOptions {
    /// Deepest nesting of parentheses, brackets, blocks and interpolated strings.
    pub max_depth: usize,
    /// Deepest expression tree: operators in a chain (`1+1+…`, `!!…`) plus brackets around
    /// them. Checked on the tokens, before any tree is built.
    pub max_expr_depth: usize,
    /// Most tokens a template may have: bounds the memory of the syntax tree before it is
    /// built (each token becomes at most a few nodes).
    pub max_tokens: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 128,
            max_expr_depth: 256,
            max_tokens: usize::MAX,
        }
    }
}

/// Parses a template into its statements.
pub fn parse(src: &str, options: ParseOptions) -> Result<Vec<Node>, ParseError> {
    let lexed = lex(src, options)?;
    let budget = Cell::new(RECURSION_BUDGET);
    let fast = descend(
        &lexed,
        src,
        0,
        options,
        0,
        &RefCell::new(HashSet::new()),
        &budget,
    );
    match fast {
        Ok(nodes) => Ok(nodes),
        // The same tokens, parsed again by the LR parser (with a fresh macro table).
        Err(GiveUp) => parse_lr_tokens(&lexed, src, 0, options, 0, &RefCell::new(HashSet::new())),
    }
}

/// The LR parser alone (what [`parse`] falls back to), for the tests that compare the two.
#[cfg(test)]
pub(crate) fn parse_lr(src: &str, options: ParseOptions) -> Result<Vec<Node>, ParseError> {
    parse_at(src, 0, options, 0, &RefCell::new(HashSet::new()))
}

/// Lexes a template (for tools that show tokens).
pub fn tokens(src: &str, options: ParseOptions) -> Result<Vec<Token>, ParseError> {
    lexer::lex(src, options.max_depth).map(|l| l.tokens)
}

/// The recursive descent alone, for the tests that compare it with the LR parser.
#[cfg(test)]
pub(crate) fn parse_fast_for_test(
    src: &str,
    options: ParseOptions,
    macros: &RefCell<HashSet<String>>,
    budget: &Cell<usize>,
) -> Result<Vec<Node>, GiveUp> {
    parse_fast(src, 0, options, 0, macros, budget)
}

/// The tokens of `src`, within the nesting, token and expression-depth limits (what both
/// parsers read).
fn lex(src: &str, options: ParseOptions) -> Result<Lexed, ParseError> {
    let lexed = lexer::lex_bounded(src, options.max_depth, options.max_tokens)?;
    lexer::check_expression_depth(&lexed.tokens, options.max_expr_depth)?;
    Ok(lexed)
}

/// The recursive-descent parse of a template or of an interpolated string at `offset`.
fn parse_fast(
    src: &str,
    offset: usize,
    options: ParseOptions,
    depth: usize,
    macros: &RefCell<HashSet<String>>,
    budget: &Cell<usize>,
) -> Result<Vec<Node>, GiveUp> {
    let lexed = lex(src, options).map_err(|_| GiveUp)?;
    descend(&lexed, src, offset, options, depth, macros, budget)
}

/// The recursive descent over the tokens of `src`.
fn descend(
    lexed: &Lexed,
    src: &str,
    offset: usize,
    options: ParseOptions,
    depth: usize,
    macros: &RefCell<HashSet<String>>,
    budget: &Cell<usize>,
) -> Result<Vec<Node>, GiveUp> {
    let cx = Cx {
        src,
        offset,
        special: &lexed.special,
        options,
        depth,
        macros,
        budget: Some(budget),
    };
    descent::parse(&cx, &lexed.tokens, budget)
}

/// The LR parse of a template or of an interpolated string at `offset`.
fn parse_at(
    src: &str,
    offset: usize,
    options: ParseOptions,
    depth: usize,
    macros: &RefCell<HashSet<String>>,
) -> Result<Vec<Node>, ParseError> {
    let lexed = lex(src, options).map_err(|e| shifted(e, offset))?;
    parse_lr_tokens(&lexed, src, offset, options, depth, macros)
}

/// An error at `offset` in the text around `src`.
fn shifted(mut e: ParseError, offset: usize) -> ParseError {
    e.span = e.span.start + offset..e.span.end + offset;
    e.opened_at = e.opened_at.map(|s| s.start + offset..s.end + offset);
    e
}

/// The LR parse over the tokens of `src`.
fn parse_lr_tokens(
    lexed: &Lexed,
    src: &str,
    offset: usize,
    options: ParseOptions,
    depth: usize,
    macros: &RefCell<HashSet<String>>,
) -> Result<Vec<Node>, ParseError> {
    let cx = Cx {
        src,
        offset,
        special: &lexed.special,
        options,
        depth,
        macros,
        budget: None,
    };
    let toks = lexed
        .tokens
        .iter()
        .map(|t| Ok::<_, ParseError>((t.start, t.kind, t.end)));
    let parser = crate::grammar::TemplateParser::new();
    match parser.parse(&cx, toks) {
        Ok(nodes) => Ok(nodes),
        Err(e) => {
            let e = convert_error(src, lexed, e);
            Err(shifted(blame_unclosed_paren(src, &lexed.tokens, e), offset))
        }
    }
}

/// Reports an error inside a `(` opened on an earlier line at that `(`: the usual cause is a
/// missing `)`, and the token the parser stumbled on may be lines further down
/// (`$input.params('id'",` fails on the next line's quote, `#if(` at the next `"…"`).
pub(crate) fn blame_unclosed_paren(src: &str, tokens: &[Token], e: ParseError) -> ParseError {
    let at = e.span.start;
    let mut open: Vec<usize> = Vec::new();
    for (i, t) in tokens.iter().enumerate().take_while(|(_, t)| t.start < at) {
        match t.kind {
            Tok::LParen | Tok::Set => open.push(i),
            Tok::RParen | Tok::MethodRParen => {
                open.pop();
            }
            _ => {}
        }
    }
    let Some(&i) = open.last() else { return e };
    let paren = tokens[i];
    let line_of = |offset: usize| src[..offset.min(src.len())].matches('\n').count() + 1;
    if line_of(paren.end) >= line_of(at) {
        return e;
    }
    // Name the construct the `(` belongs to: `#if(`, `#foreach(`, `.params(`, `#set(`.
    let start = match (i.checked_sub(1).map(|j| tokens[j]), paren.kind) {
        (_, Tok::Set) => {
            paren.start
                + (src[paren.start..paren.end].len()
                    - src[paren.start..paren.end].trim_start().len())
        }
        (Some(prev), _)
            if matches!(
                prev.kind,
                Tok::If | Tok::ElseIf | Tok::LineDirective | Tok::BlockDirective | Tok::Identifier
            ) =>
        {
            prev.start
        }
        _ => paren.start,
    };
    // A method call: from the reference's root (`$input.params(`).
    let mut j = i.saturating_sub(1);
    if start == tokens[j].start && tokens[j].kind == Tok::Identifier {
        while j >= 2 && tokens[j - 1].kind == Tok::Dot && tokens[j - 2].kind == Tok::Identifier {
            j -= 2;
        }
    }
    let start = if start == paren.start {
        start
    } else {
        tokens[j].start
    };
    let label: String = src[start..paren.end].split_whitespace().collect();
    let column = src[..at].rsplit('\n').next().unwrap_or("").chars().count() + 1;
    ParseError {
        kind: e.kind,
        message: format!(
            "`{label}` is not closed by `)`; at {}:{column}: {}",
            line_of(at),
            e.message
        ),
        span: start..paren.end,
        opened_at: None,
    }
}

/// Builds a binary expression node.
pub fn bin(cx: &Cx<'_>, op: BinOp, a: Expr, b: Expr, l: usize, r: usize) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: cx.span(l, r),
    }
}

/// What the grammar's actions need: the source and the lexer's side tables.
pub struct Cx<'s> {
    /// The text being parsed.
    pub src: &'s str,
    offset: usize,
    special: &'s HashMap<usize, String>,
    options: ParseOptions,
    depth: usize,
    macros: &'s RefCell<HashSet<String>>,
    /// The recursion budget of the recursive descent, or `None` in the LR parse.
    budget: Option<&'s Cell<usize>>,
}

type ActionResult<T> = Result<T, ParseError>;

/// An action's error as the LR parser carries it.
pub fn user(error: ParseError) -> LalrError<usize, Tok, ParseError> {
    LalrError::User { error }
}

fn fail(kind: ParseErrorKind, message: String, l: usize, r: usize) -> ParseError {
    ParseError::new(kind, message, l..r)
}

impl<'s> Cx<'s> {
    /// A span of this text, in the coordinates of the whole template.
    pub fn span(&self, l: usize, r: usize) -> Span {
        Span::new(l + self.offset, r + self.offset)
    }

    /// A text token, with any abandoned prefix Velocity prints before it.
    pub fn text_node(&self, l: usize, r: usize) -> Node {
        let image = &self.src[l..r];
        let pre = match self.special.is_empty() {
            true => None,
            false => self.special.get(&l),
        };
        let text = match pre {
            Some(pre) => format!("{pre}{image}"),
            None => image.to_string(),
        };
        Node::Text(text, self.span(l, r))
    }

    /// `\#if` and friends: half the backslashes, then the directive as text.
    pub fn escaped_directive(&self, l: usize, r: usize) -> Node {
        let image = &self.src[l..r];
        let last = image.rfind('\\').unwrap_or(0);
        let text = format!("{}{}", &image[..last / 2], &image[last + 1..]);
        Node::Text(text, self.span(l, r))
    }

    /// A comment prints only the prefix the lexer glued before it (e.g. the `$` of `$##`).
    pub fn comment(&self, l: usize, r: usize) -> Node {
        let image = &self.src[l..r];
        let cut = image
            .find("##")
            .into_iter()
            .chain(image.find("#*"))
            .min()
            .unwrap_or(0);
        Node::Text(image[..cut].to_string(), self.span(l, r))
    }

    /// `#[[ … ]]#` prints its content (Velocity cuts three characters from each end).
    pub fn text_block(&self, l: usize, r: usize) -> Node {
        let image = &self.src[l..r];
        let text = image.get(3..image.len().saturating_sub(3)).unwrap_or("");
        Node::Text(text.to_string(), self.span(l, r))
    }

    /// A string literal; a double-quoted one with `$` or `#` is parsed as a template.
    pub fn string(&self, l: usize, r: usize) -> ActionResult<Expr> {
        let image = &self.src[l..r];
        let inner = &image[1..image.len() - 1];
        let double = image.starts_with('"');
        // Velocity resolves `\uXXXX` escapes in double-quoted strings, then doubled quotes.
        let text = if double {
            let text = unescape_unicode(inner);
            match text.contains("\"\"") {
                true => text.replace("\"\"", "\""),
                false => text,
            }
        } else {
            match inner.contains("''") {
                true => inner.replace("''", "'"),
                false => inner.to_string(),
            }
        };
        let template = if double && (image.contains('$') || image.contains('#')) {
            if self.depth >= self.options.max_depth {
                return Err(fail(
                    ParseErrorKind::Limit,
                    "string interpolation nests too deeply".into(),
                    l + self.offset,
                    r + self.offset,
                ));
            }
            // Velocity appends a blank so that a trailing `$` or `#` lexes, and cuts the last
            // character of the output again; not when the text holds `##` (a line comment).
            let padded = if text.contains("##") {
                text.clone()
            } else {
                format!("{text} ")
            };
            let offset = self.offset + l + 1;
            let nodes = match self.budget {
                Some(budget) => {
                    let gave_up = || fail(ParseErrorKind::Syntax, String::new(), offset, offset);
                    let left = budget.get();
                    if left < INTERPOLATION_COST {
                        return Err(gave_up());
                    }
                    budget.set(left - INTERPOLATION_COST);
                    let nodes = parse_fast(
                        &padded,
                        offset,
                        self.options,
                        self.depth + 1,
                        self.macros,
                        budget,
                    );
                    budget.set(budget.get() + INTERPOLATION_COST);
                    nodes.map_err(|GiveUp| gave_up())?
                }
                None => parse_at(&padded, offset, self.options, self.depth + 1, self.macros)?,
            };
            Some(nodes)
        } else {
            None
        };
        Ok(Expr {
            kind: ExprKind::Str { text, template },
            span: self.span(l, r),
        })
    }

    /// Builds a reference the way Velocity's `ASTReference.getRoot` reads its first token.
    /// `l` starts the first token (with prefixes), `ident_start..ident_end` is the root
    /// identifier, `close` the end of a formal reference's `}`.
    pub fn reference(
        &self,
        l: usize,
        ident_start: usize,
        ident_end: usize,
        close: Option<usize>,
        parts: Vec<RefPart>,
    ) -> ActionResult<Reference> {
        let formal = close.is_some();
        let r = match close {
            Some(r) => r,
            None => parts
                .last()
                .map(|p| part_span(p).end - self.offset)
                .unwrap_or(ident_end)
                .max(ident_end),
        };
        let first_end = if formal { ident_start } else { ident_end };
        let mut image = &self.src[l..first_end];
        let span = self.span(l, r);
        let ident = &self.src[ident_start..ident_end];

        if image.as_bytes().contains(&b'\\') && image.contains("\\!") {
            // `$\!a`: not a reference; one backslash is dropped.
            let start = image
                .find('$')
                .map_or(0, |d| image[d..].find('\\').map_or(image.len(), |b| d + b));
            let count = image[start..].bytes().take_while(|&b| b == b'\\').count();
            let text = format!(
                "{}{}{}",
                &image[..start],
                &image[start..start + count.saturating_sub(1)],
                &image[start + count..]
            );
            return Ok(Reference {
                span,
                kind: RefKind::Normal,
                root: text.clone(),
                parts,
                escaped: false,
                esc_prefix: String::new(),
                more_prefix: String::new(),
                null_text: text,
                computable: false,
            });
        }

        let mut escaped = false;
        let mut esc_prefix = String::new();
        if image.starts_with('\\') {
            let n = image.bytes().take_while(|&b| b == b'\\').count();
            escaped = n % 2 == 1;
            esc_prefix = image[..n / 2].to_string();
            image = &image[n..];
        }
        let mut more_prefix = String::new();
        if let Some(loc) = image.bytes().rposition(|b| b == b'$') {
            if loc > 0 {
                more_prefix = image[..loc].to_string();
                image = &image[loc..];
            }
        }
        // The reference as written from its last `$`: what prints when it is null.
        let literal = || self.src[first_end - image.len()..r].to_string();
        let (kind, root, null_text) = if let Some(quiet) = image.strip_prefix("$!") {
            let root = if quiet.starts_with('{') {
                ident.to_string()
            } else {
                quiet.to_string()
            };
            let null_text = if escaped { literal() } else { String::new() };
            (RefKind::Quiet, root, null_text)
        } else if image == "${" {
            (RefKind::Normal, ident.to_string(), literal())
        } else if let Some(root) = image.strip_prefix('$') {
            (RefKind::Normal, root.to_string(), literal())
        } else if image.starts_with('{') {
            // `{x.y}` after a reference: Velocity prints just the brace.
            (RefKind::Runt, image.to_string(), literal())
        } else if self.src[..l].ends_with("$.") {
            // `x.y` left over from `$.x.y`: printed as written, never evaluated.
            (RefKind::Runt, literal(), literal())
        } else {
            // An identifier after `$!.` or after a method call's `)`: Velocity prints the
            // name alone and drops its properties, calls and indexes.
            (RefKind::Runt, image.to_string(), literal())
        };
        Ok(Reference {
            span,
            kind,
            root,
            parts,
            escaped,
            esc_prefix,
            more_prefix,
            null_text,
            computable: true,
        })
    }

    /// Builds a directive node and applies the argument checks Velocity's parser makes.
    #[allow(clippy::too_many_arguments)]
    pub fn directive(
        &self,
        l: usize,
        name_end: usize,
        has_args: bool,
        args: Vec<Expr>,
        body: Option<Vec<Node>>,
        head_end: usize,
        r: usize,
    ) -> ActionResult<Node> {
        let name = directive_name(&self.src[l..name_end]).to_string();
        let is_macro = name == "macro";
        let known = PLUGGABLE_DIRECTIVES.contains(&name.as_str());
        let is_vm = !known && self.macros.borrow().contains(&name);
        let (gl, gr) = (l + self.offset, name_end + self.offset);
        if is_macro && !has_args {
            return Err(fail(
                ParseErrorKind::Directive,
                "A macro declaration requires at least a name argument".into(),
                gl,
                gr,
            ));
        }
        for (pos, arg) in args.iter().enumerate() {
            let is_word = matches!(arg.kind, ExprKind::Word(_));
            let (al, ar) = (arg.span.start + self.offset, arg.span.end + self.offset);
            if is_word {
                if is_macro && pos == 0 {
                    continue;
                }
                if is_vm {
                    return Err(fail(
                        ParseErrorKind::Directive,
                        format!("Invalid arg #{pos} in VM #{name}"),
                        al,
                        ar,
                    ));
                }
                if known && !(name == "foreach" && pos == 1) {
                    return Err(fail(
                        ParseErrorKind::Directive,
                        format!("Invalid arg #{pos} in directive #{name}"),
                        al,
                        ar,
                    ));
                }
            } else if is_macro && pos == 0 {
                return Err(fail(
                    ParseErrorKind::Directive,
                    "Invalid first arg in #macro() directive - must be a word token (no ' or \" surrounding)"
                        .into(),
                    al,
                    ar,
                ));
            }
        }
        if is_macro {
            if let Some(ExprKind::Word(w)) = args.first().map(|a| &a.kind) {
                self.macros.borrow_mut().insert(w.clone());
            }
        }
        Ok(Node::Directive(Box::new(Directive {
            name,
            name_span: self.span(l, name_end),
            has_args,
            args,
            body,
            head_span: self.span(l, head_end),
            span: self.span(l, r),
        })))
    }
}

fn part_span(part: &RefPart) -> Span {
    match part {
        RefPart::Property(_, s) | RefPart::Method(_, _, s) | RefPart::Index(_, s) => *s,
    }
}

/// Resolves `\uXXXX` escapes as Velocity does in double-quoted strings.
fn unescape_unicode(s: &str) -> String {
    if !s.contains("\\u") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut units: Vec<u16> = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("\\u") {
        let hex = rest.get(i + 2..i + 6);
        match hex.and_then(|h| {
            if h.bytes().all(|b| b.is_ascii_hexdigit()) {
                u16::from_str_radix(h, 16).ok()
            } else {
                None
            }
        }) {
            Some(unit) => {
                if i > 0 {
                    flush_units(&mut units, &mut out);
                    out.push_str(&rest[..i]);
                }
                units.push(unit);
                rest = &rest[i + 6..];
            }
            None => {
                flush_units(&mut units, &mut out);
                out.push_str(&rest[..i + 2]);
                rest = &rest[i + 2..];
            }
        }
    }
    flush_units(&mut units, &mut out);
    out.push_str(rest);
    out
}

fn flush_units(units: &mut Vec<u16>, out: &mut String) {
    if !units.is_empty() {
        out.extend(char::decode_utf16(units.drain(..)).map(|c| c.unwrap_or('\u{FFFD}')));
    }
}

fn convert_error(src: &str, lexed: &Lexed, e: LalrError<usize, Tok, ParseError>) -> ParseError {
    match e {
        LalrError::User { error } => error,
        LalrError::InvalidToken { location } => ParseError::new(
            ParseErrorKind::Lexical,
            "Lexical error".into(),
            location..location,
        ),
        LalrError::UnrecognizedEof { location, expected } => {
            let mut err = ParseError::new(
                ParseErrorKind::Syntax,
                format!(
                    "Encountered end of template; was expecting {}",
                    describe_expected(&expected)
                ),
                location..location,
            );
            err.opened_at = unclosed_block(src, lexed);
            if let Some(open) = &err.opened_at {
                err.message = format!(
                    "Encountered end of template; `{}` is not closed by #end",
                    src[open.clone()].trim()
                );
            }
            err
        }
        LalrError::UnrecognizedToken {
            token: (l, tok, r),
            expected,
        } => {
            // A `)` or `#end` token carries the line break it swallowed; point at the token.
            let text = match src[l..r].trim_end() {
                "" => &src[l..r],
                t => t,
            };
            ParseError::new(
                ParseErrorKind::Syntax,
                format!(
                    "Encountered \"{}\" ({}); was expecting {}",
                    text.escape_debug(),
                    tok.describe(),
                    describe_expected(&expected)
                ),
                l..l + text.len(),
            )
        }
        LalrError::ExtraToken { token: (l, _, r) } => ParseError::new(
            ParseErrorKind::Syntax,
            format!("Encountered unexpected \"{}\"", src[l..r].escape_debug()),
            l..r,
        ),
    }
}

/// The innermost `#if`/`#foreach`/… that has no `#end` at the end of the template.
fn unclosed_block(src: &str, lexed: &Lexed) -> Option<std::ops::Range<usize>> {
    let mut open: Vec<&Token> = Vec::new();
    for t in &lexed.tokens {
        match t.kind {
            Tok::If | Tok::BlockDirective => open.push(t),
            Tok::End => {
                open.pop();
            }
            _ => {}
        }
    }
    let _ = src;
    open.last().map(|t| t.start..t.end)
}

fn describe_expected(expected: &[String]) -> String {
    let mut names: Vec<&str> = expected
        .iter()
        .map(|e| match e.trim_matches('"') {
            "text" | "\\\\" | "\\\\\\\\c" | "\\\\\\\\p" | "\\\\#" | "comment" | "#[[" | "$["
            | "{text" | "}ref" | "float" | "string" => "text",
            "ident" | "${" => "a reference",
            "[idx" => "'['",
            "]idx" => "']'",
            "m)" => "')'",
            "#line" | "#block" | "#bare" => "a directive",
            "word" => "a word",
            "int" => "an integer",
            other => other,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    // Where any value may stand, name that instead of every way a value can begin.
    if names.contains(&"an integer") && names.contains(&"true") {
        let starts = [
            "a reference",
            "an integer",
            "text",
            "true",
            "false",
            "null",
            "[",
            "{",
            "(",
            "'('",
            "!",
            "-",
            "'['",
            "'{'",
            "not",
        ];
        let mut rest: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !starts.contains(n))
            .collect();
        rest.insert(0, "an expression");
        return match rest.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, init)) => format!("{} or {last}", init.join(", ")),
            None => "an expression".to_string(),
        };
    }
    if names.len() > 8 {
        let important: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| matches!(*n, "#end" | ")" | "]" | "}" | "'='" | "=" | "'('" | "("))
            .collect();
        if !important.is_empty() {
            return format!("{} (or more)", important.join(", "));
        }
        return "more input".to_string();
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(src: &str) -> String {
        parse(src, ParseOptions::default())
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    fn error(src: &str) -> ParseError {
        parse(src, ParseOptions::default()).expect_err(src)
    }

    #[test]
    fn an_unclosed_paren_is_blamed_where_it_opens() {
        let src = "{\n  \"id\": \"$input.params('id'\",\n  \"x\": 1\n}\n";
        let e = error(src);
        assert_eq!(&src[e.span.clone()], "$input.params(", "{e:?}");
        assert!(
            e.message
                .starts_with("`$input.params(` is not closed by `)`; at 3:5: Lexical error"),
            "{e:?}"
        );
        let src = "#if(\n{\n  \"a\": 1\n}\n\n \"done\"\n";
        let e = error(src);
        assert_eq!(e.span, 0..4, "{e:?}");
        assert!(e.message.contains("at 6:2: Encountered"), "{e:?}");
        let e = error("#set($x = 1\n$x\n");
        assert_eq!(e.span, 0..5, "{e:?}");
        // On the line of the `(`, or with the `)` there, nothing changes.
        assert_eq!(error("#if($a == )x#end").span, 10..11);
        assert!(parse("#foreach($a in\n [1,2])$a#end", ParseOptions::default()).is_ok());
    }

    #[test]
    fn a_missing_value_is_called_an_expression() {
        for src in [
            "#set($x = )",
            "#if($a == )x#end",
            "#set($a = [1,)",
            "#set($a = $b + )",
        ] {
            assert_eq!(
                message(src),
                "Encountered \")\" (')'); was expecting an expression",
                "{src}"
            );
        }
        assert_eq!(
            message("$a["),
            "Encountered end of template; was expecting an expression"
        );
        // Not a value position: the list stays specific.
        assert_eq!(
            message("#set($a = {\"x\" 1})"),
            "Encountered \"1\" (an integer); was expecting :"
        );
    }
}
