//! Debug views of a template: its tokens and its syntax tree (for `vtl dump` and the
//! playground's "tokens/AST" pane).

use std::fmt::Write as _;

use vtl_grammar::ast::{Expr, ExprKind, Node, RefKind, RefPart, Reference};

use crate::error::Error;

/// One token: its kind, byte range and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token kind (e.g. `Identifier`, `RParen`).
    pub kind: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The token's text.
    pub text: String,
}

impl TokenInfo {
    /// `{kind, start, end, text}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"kind": self.kind, "start": self.start, "end": self.end, "text": self.text})
    }
}

fn options() -> vtl_grammar::ParseOptions {
    vtl_grammar::ParseOptions::default()
}

fn parse_error(source: &str, e: vtl_grammar::ParseError) -> Error {
    Error::at(crate::error::ErrorKind::Syntax, e.message, source, e.span)
}

/// The tokens the lexer produces (whitespace inside directives is not a token).
pub fn tokens(source: &str) -> Result<Vec<TokenInfo>, Error> {
    let toks = vtl_grammar::tokens(source, options()).map_err(|e| parse_error(source, e))?;
    Ok(toks
        .into_iter()
        .map(|t| TokenInfo {
            kind: format!("{:?}", t.kind),
            start: t.start,
            end: t.end,
            text: source[t.start..t.end].to_string(),
        })
        .collect())
}

/// The syntax tree as indented text, one node per line with its byte range.
///
/// The walk is bounded by the default stack limit ([`crate::DEFAULT_MAX_STACK`]); see
/// [`ast_within`].
pub fn ast(source: &str) -> Result<String, Error> {
    ast_within(source, crate::limits::DEFAULT_MAX_STACK)
}

/// [`ast`] using at most `max_stack` bytes of the thread's stack (as
/// [`crate::Limits::max_stack`] bounds a render): a tree too deep for it, which the
/// parser's depth limits make unlikely, is a `Limit` error rather than an overflow.
pub fn ast_within(source: &str, max_stack: usize) -> Result<String, Error> {
    let _stack = crate::budget::install(u64::MAX, usize::MAX, max_stack);
    let nodes = vtl_grammar::parse(source, options()).map_err(|e| parse_error(source, e))?;
    let mut out = String::new();
    write_nodes(&mut out, &nodes, 0);
    if crate::budget::tripped().is_some() {
        return Err(Error::at(
            crate::error::ErrorKind::Limit,
            "the syntax tree is nested too deeply to show".to_string(),
            source,
            0..0,
        ));
    }
    Ok(out)
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_nodes(out: &mut String, nodes: &[Node], depth: usize) {
    if !crate::budget::stack_ok() {
        return;
    }
    for n in nodes {
        indent(out, depth);
        match n {
            Node::Text(t, s) => {
                let _ = writeln!(out, "Text {t:?} @{}..{}", s.start, s.end);
            }
            Node::Reference(r) => {
                let _ = writeln!(
                    out,
                    "Print {} @{}..{}",
                    describe_ref(r),
                    r.span.start,
                    r.span.end
                );
            }
            Node::Set(s) => {
                let _ = writeln!(
                    out,
                    "Set {} = {} @{}..{}",
                    describe_ref(&s.target),
                    describe_expr(&s.value),
                    s.span.start,
                    s.span.end
                );
            }
            Node::If(i) => {
                let _ = writeln!(out, "If @{}..{}", i.span.start, i.span.end);
                for (k, (cond, body)) in i.branches.iter().enumerate() {
                    indent(out, depth + 1);
                    let _ = writeln!(
                        out,
                        "{} {}",
                        if k == 0 { "if" } else { "elseif" },
                        describe_expr(cond)
                    );
                    write_nodes(out, body, depth + 2);
                }
                if let Some(body) = &i.otherwise {
                    indent(out, depth + 1);
                    out.push_str("else\n");
                    write_nodes(out, body, depth + 2);
                }
            }
            Node::Directive(d) => {
                let args: Vec<String> = d.args.iter().map(describe_expr).collect();
                let _ = writeln!(
                    out,
                    "#{}{} @{}..{}",
                    d.name,
                    if d.has_args {
                        format!("({})", args.join(", "))
                    } else {
                        String::new()
                    },
                    d.span.start,
                    d.span.end
                );
                if let Some(body) = &d.body {
                    write_nodes(out, body, depth + 1);
                }
            }
            Node::Stop(s) => {
                let _ = writeln!(out, "Stop @{}..{}", s.start, s.end);
            }
        }
    }
}

fn describe_ref(r: &Reference) -> String {
    let mut s = String::from(match r.kind {
        RefKind::Normal => "$",
        RefKind::Quiet => "$!",
        RefKind::Runt => "",
    });
    s.push_str(&r.root);
    for p in &r.parts {
        match p {
            RefPart::Property(n, _) => {
                s.push('.');
                s.push_str(n);
            }
            RefPart::Method(n, args, _) => {
                let args: Vec<String> = args.iter().map(describe_expr).collect();
                let _ = write!(s, ".{n}({})", args.join(", "));
            }
            RefPart::Index(e, _) => {
                let _ = write!(s, "[{}]", describe_expr(e));
            }
        }
    }
    if r.escaped {
        s.insert(0, '\\');
    }
    s
}

fn describe_expr(e: &Expr) -> String {
    if !crate::budget::stack_ok() {
        return "…".to_string();
    }
    match &e.kind {
        ExprKind::Str { text, template } => {
            if template.is_some() {
                format!("\"{text}\"")
            } else {
                format!("'{text}'")
            }
        }
        ExprKind::Int(t) | ExprKind::Float(t) => t.clone(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(describe_expr)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ExprKind::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", describe_expr(k), describe_expr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ExprKind::Range(a, b) => format!("[{}..{}]", describe_expr(a), describe_expr(b)),
        ExprKind::Ref(r) => describe_ref(r),
        ExprKind::Word(w) => w.clone(),
        ExprKind::Binary(op, a, b) => {
            format!("({} {:?} {})", describe_expr(a), op, describe_expr(b))
        }
        ExprKind::Not(a) => format!("!{}", describe_expr(a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_tokens_and_tree() {
        let t = tokens("a $b.c").unwrap();
        let kinds: Vec<&str> = t.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(kinds, ["Text", "Identifier", "Dot", "Identifier"]);
        assert_eq!(t[1].text, "$b");
        let tree = ast("#if($a == 1)x#else$b.c(2)#end").unwrap();
        assert_eq!(
            tree,
            "If @0..29\n  if ($a Eq 1)\n    Text \"x\" @12..13\n  else\n    Print $b.c(2) @18..25\n"
        );
        assert!(ast("#if(").is_err());
    }
}
