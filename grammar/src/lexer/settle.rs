//! After lexing: the decisions Velocity's parser takes with lookahead ([`settle`]), the bound
//! on expression depth, and directive names as Velocity reads them.

use std::collections::HashSet;

use crate::error::{ParseError, ParseErrorKind};
use crate::token::{Tok, Token};

use super::{Lexed, PLUGGABLE_DIRECTIVES};

/// The decisions Velocity's parser takes with lookahead, applied to the token list:
/// `{` + identifier starts a formal reference; `\\` before a directive name prints one
/// backslash; an escaped name that is no directive is plain text. Also bounds nesting.
pub(super) fn settle(src: &str, lexed: &mut Lexed, max_depth: usize) -> Result<(), ParseError> {
    let tokens = &mut lexed.tokens;
    let mut macros: HashSet<&str> = HashSet::new();
    let mut depth: usize = 0;
    for i in 0..tokens.len() {
        let t = tokens[i];
        let next = tokens.get(i + 1).copied();
        match t.kind {
            Tok::TextLCurly if next.is_some_and(|n| n.kind == Tok::Identifier) => {
                tokens[i].kind = Tok::FormalStart;
            }
            // `$a.b(` is a method call only if an argument or `)` follows (Velocity looks
            // three tokens ahead); otherwise `$a.b` is a property and `(` is text.
            Tok::LParen
                if i >= 2
                    && tokens[i - 1].kind == Tok::Identifier
                    && tokens[i - 2].kind == Tok::Dot
                    && !next.is_some_and(|n| {
                        matches!(
                            n.kind,
                            Tok::MethodRParen
                                | Tok::StringLit
                                | Tok::IntLit
                                | Tok::FloatLit
                                | Tok::LBracket
                                | Tok::LeftCurley
                                | Tok::True
                                | Tok::False
                                | Tok::Identifier
                                | Tok::TextLCurly
                        )
                    }) =>
            {
                tokens[i].kind = Tok::Text;
                // The lexer stays in the method-argument state up to a `)`, and Velocity's
                // parser rejects a blank there once the `(` is text.
                let close = tokens[i..]
                    .iter()
                    .find(|n| n.kind == Tok::MethodRParen)
                    .map_or(src.len(), |n| n.start);
                if let Some(&b) = lexed
                    .method_blanks
                    .iter()
                    .find(|&&b| b > t.start && b < close)
                {
                    return Err(ParseError::new(
                        ParseErrorKind::Syntax,
                        "Encountered a blank after an unclosed method call's '('".to_string(),
                        b..b + 1,
                    ));
                }
            }
            // `[ ]` and `$a.b( )`: Velocity starts a parameter at the blank and fails.
            Tok::LBracket | Tok::LParen
                if next.is_some_and(|n| {
                    matches!(n.kind, Tok::RBracket | Tok::MethodRParen)
                        && n.start > t.end
                        && src[t.end..n.start].bytes().all(|b| b.is_ascii_whitespace())
                        && (t.kind == Tok::LBracket) == (n.kind == Tok::RBracket)
                }) =>
            {
                let n = next.expect("checked");
                return Err(ParseError::new(
                    ParseErrorKind::Syntax,
                    format!("Encountered \"{}\"; a blank inside empty brackets starts an argument that is missing", &src[n.start..n.end]),
                    n.start..n.end,
                ));
            }
            Tok::BlockDirective => {
                let name = directive_name(&src[t.start..t.end]);
                if name == "macro" {
                    if let Some(w) = tokens.get(i + 2).filter(|w| w.kind == Tok::Word) {
                        macros.insert(&src[w.start..w.end]);
                    }
                }
            }
            Tok::DoubleEscapePlain => {
                let mut j = i;
                while j < tokens.len() && tokens[j].kind == Tok::DoubleEscapePlain {
                    j += 1;
                }
                if let Some(n) = tokens.get(j).copied() {
                    let control = match n.kind {
                        Tok::If | Tok::ElseIf | Tok::Else | Tok::End | Tok::Stop => true,
                        _ => {
                            let image = &src[n.start..n.end];
                            let tag = image.get(1..).unwrap_or("");
                            // `stop` is a directive class in Velocity 1.7 too.
                            PLUGGABLE_DIRECTIVES.contains(&tag)
                                || macros.contains(tag)
                                || tag == "stop"
                        }
                    };
                    if control {
                        for tok in &mut tokens[i..j] {
                            tok.kind = Tok::DoubleEscapeControl;
                        }
                    }
                }
            }
            Tok::EscapedDirective => {
                let image = &src[t.start..t.end];
                let last = image.rfind('\\').unwrap_or(0);
                let tag = &image[last + 2..];
                let tag = tag
                    .strip_prefix('{')
                    .and_then(|t| t.strip_suffix('}'))
                    .unwrap_or(tag);
                let known = PLUGGABLE_DIRECTIVES.contains(&tag)
                    || macros.contains(tag)
                    || matches!(tag, "if" | "end" | "set" | "else" | "elseif" | "stop");
                if !known {
                    tokens[i].kind = Tok::Text;
                }
                // Velocity prints no abandoned prefix before an escaped directive (`$\#o`).
                lexed.special.remove(&t.start);
            }
            _ => {}
        }
        let kind = tokens[i].kind;
        match kind {
            Tok::LParen
            | Tok::LBracket
            | Tok::LeftCurley
            | Tok::IndexOpen
            | Tok::FormalStart
            | Tok::If
            | Tok::BlockDirective
            | Tok::Set => {
                depth += 1;
                if depth > max_depth {
                    return Err(ParseError::new(
                        ParseErrorKind::Limit,
                        format!("template nesting is deeper than the limit of {max_depth}"),
                        t.start..t.end,
                    ));
                }
            }
            Tok::RParen
            | Tok::MethodRParen
            | Tok::RBracket
            | Tok::RightCurley
            | Tok::IndexClose
            | Tok::RCurly
            | Tok::End => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Bounds the depth of the expression trees the parser will build, from the tokens alone.
///
/// The parser builds `a+b+c+…` left-deep and `!!…x` right-deep, so an expression's depth is
/// at most the operators of its bracket group plus the deepest group inside it. Every later
/// walk of the tree (compiling, rendering, dropping) recurses along that depth; refusing the
/// template here keeps them all within a small, fixed stack.
pub fn check_expression_depth(tokens: &[Token], max: usize) -> Result<(), ParseError> {
    /// One bracket group: operators so far in the current operand list item, the deepest
    /// group inside that item, and the deepest finished item.
    #[derive(Default)]
    struct Group {
        ops: usize,
        inner: usize,
        done: usize,
    }
    let mut groups: Vec<Group> = vec![Group::default()];
    for t in tokens {
        match t.kind {
            Tok::LParen
            | Tok::Set
            | Tok::LBracket
            | Tok::LeftCurley
            | Tok::IndexOpen
            | Tok::FormalStart => groups.push(Group::default()),
            Tok::RParen
            | Tok::MethodRParen
            | Tok::RBracket
            | Tok::RightCurley
            | Tok::IndexClose
            | Tok::RCurly
                if groups.len() > 1 =>
            {
                let g = groups.pop().expect("more than one group");
                let depth = g.done.max(g.ops + g.inner) + 1;
                let parent = groups.last_mut().expect("the outermost group stays");
                parent.inner = parent.inner.max(depth);
            }
            Tok::Comma | Tok::Colon | Tok::DoubleDot | Tok::Assign => {
                let g = groups.last_mut().expect("the outermost group stays");
                g.done = g.done.max(g.ops + g.inner);
                g.ops = 0;
                g.inner = 0;
            }
            Tok::Minus
            | Tok::Plus
            | Tok::Star
            | Tok::Slash
            | Tok::Percent
            | Tok::And
            | Tok::Or
            | Tok::Lt
            | Tok::Le
            | Tok::Gt
            | Tok::Ge
            | Tok::EqEq
            | Tok::Ne
            | Tok::Not => {
                let g = groups.last_mut().expect("the outermost group stays");
                g.ops += 1;
            }
            _ => continue,
        }
        let deepest = groups.iter().map(|g| g.ops + g.inner).sum::<usize>() + groups.len();
        if deepest > max {
            return Err(ParseError::new(
                ParseErrorKind::Limit,
                format!(
                    "the expression is nested deeper than the limit of {max} (operators in a chain count as levels)"
                ),
                t.start..t.end,
            ));
        }
    }
    Ok(())
}

/// The directive name Velocity reads from a directive token's text: without its `#`
/// (`#foreach` → `foreach`) or without `#{` and `}`. A token with a longer prefix (`$#stop`,
/// after the `$` of an abandoned reference) gives a name no directive or macro has.
pub fn directive_name(image: &str) -> &str {
    if let Some(name) = image.strip_prefix("#{").and_then(|n| n.strip_suffix('}')) {
        return name;
    }
    image.get(1..).unwrap_or("")
}
