//! Compilation: the syntax tree becomes the program the renderer walks.
//!
//! Done once per template: literals are converted to values, names are interned, directives
//! are resolved to their own node kinds (so rendering never looks at a directive's name),
//! macros are collected (Velocity binds them while parsing, so a call may precede the
//! definition and the first definition of a name wins), and directive arguments are checked.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use num_bigint::BigInt;
use vtl_grammar::ast::{self, BinOp, ExprKind, Node, RefKind, RefPart, Span};
use vtl_grammar::token::Tok;

use crate::error::{Error, ErrorKind};
use crate::limits::Profile;
use crate::value::{Key, Map, StrKey, Value};

/// A compiled template body plus the macros it defines.
#[derive(Debug)]
pub(crate) struct Program {
    pub nodes: Vec<CNode>,
    pub macros: HashMap<Arc<str>, Arc<MacroDef>>,
    /// What the text names out of the compiler's sight (among it, whether `#foreach` must set
    /// `$velocityCount` and `$velocityHasNext`).
    pub mentions: Mentions,
    /// What the template can read of a request body (`None`: all of it); set after compiling
    /// (see `aws/body_reads.rs`).
    pub body_selection: Option<Arc<crate::json::Selection>>,
    /// How long the output of a recent render was (see [`Program::note_output`]): the room a
    /// render sets aside for its output at once, so the text is not copied each time it
    /// outgrows its buffer.
    pub last_output: std::sync::atomic::AtomicUsize,
}

impl Program {
    /// The room to set aside for a render's output: the noted length of a recent render, or
    /// the template's text (up to 64 KiB) before the first; at most 1 MiB (a longer output
    /// grows its buffer as it goes) and never more than `max_output`.
    pub(crate) fn output_room(&self, source_len: usize, max_output: usize) -> usize {
        let last = self.last_output.load(std::sync::atomic::Ordering::Relaxed);
        last.max(source_len.min(64 * 1024))
            .min(1 << 20)
            .min(max_output)
    }

    /// Notes a render's output length for [`Program::output_room`]: only when it outgrew the
    /// room or took less than half of it, so that renders of one template on many threads
    /// do not write, on every render, the memory they all read.
    pub(crate) fn note_output(&self, len: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let last = self.last_output.load(Relaxed);
        if len > last || len < last / 2 {
            self.last_output.store(len, Relaxed);
        }
    }
}

/// What a template's text names where the compiler's walk may not see it, found in one look
/// at the text (`memmem`, not a walk over the nodes). Conservative: a word in a comment or in
/// plain text counts too.
#[derive(Debug)]
pub(crate) struct Mentions {
    /// Text that can name any variable out of sight: `#evaluate`, or a `\u` escape (which
    /// may spell a name in a string that is evaluated).
    pub hidden: bool,
    /// It may read `$velocityCount` or `$velocityHasNext`, which `#foreach` otherwise need
    /// not set.
    pub loop_vars: bool,
}

impl Mentions {
    pub(crate) fn of(source: &str) -> Mentions {
        let has = |word: &str| memchr::memmem::find(source.as_bytes(), word.as_bytes()).is_some();
        let hidden = has("evaluate") || has("\\u");
        Mentions {
            hidden,
            loop_vars: hidden || has("velocityCount") || has("velocityHasNext"),
        }
    }
}

/// A macro definition.
#[derive(Debug)]
pub(crate) struct MacroDef {
    pub name: Arc<str>,
    pub params: Vec<Arc<str>>,
    pub body: Arc<Vec<CNode>>,
}

/// A constant value (thread-safe; turned into a `Value` when evaluated).
#[derive(Clone, Debug)]
pub(crate) enum Const {
    Bool(bool),
    Int(i32),
    Long(i64),
    BigInt(Arc<BigInt>),
    Double(f64),
    Str(Arc<str>),
}

#[derive(Debug)]
pub(crate) enum CNode {
    /// Text printed as is, with its place in the template (for errors while writing it).
    Text(Box<str>, Span),
    Print(Box<CRef>),
    Set(Box<CSet>),
    If(Box<CIf>),
    Foreach(Box<CForeach>),
    MacroCall(Box<CMacroCall>),
    Define(Box<CRef>, Arc<Vec<CNode>>, Span),
    Evaluate(Box<CExpr>, Span),
    Break(Option<Box<CExpr>>, Span),
    Include(Vec<CExpr>, Span),
    Parse(Vec<CExpr>, Span),
    Literal(Box<str>, Span),
    Stop,
    /// A directive Velocity accepts while parsing but fails on when it runs.
    Fail(Box<str>, Span),
}

/// A variable name as the template writes it, with where the render last found it among
/// the global variables (a hint checked against the name, so it is only ever a shortcut: a
/// template shared between threads may see another render's hint).
pub(crate) struct Name {
    pub text: Arc<str>,
    hint: std::sync::atomic::AtomicU32,
}

impl Name {
    pub fn new(text: Arc<str>) -> Name {
        Name {
            text,
            hint: std::sync::atomic::AtomicU32::new(u32::MAX),
        }
    }

    /// Where the name was last found (`usize::MAX`-like when never).
    #[inline]
    pub fn hint(&self) -> usize {
        self.hint.load(std::sync::atomic::Ordering::Relaxed) as usize
    }

    #[inline]
    pub fn set_hint(&self, at: usize) {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        self.hint.store(at, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Map {
    /// The value under a string key, trying first the entry where `hint` says the key was
    /// found last (maps built from one JSON array have their keys in the same order), then
    /// by hash, updating the hint.
    #[inline]
    pub(crate) fn get_hinted(&self, hint: &Name) -> Option<Value> {
        let name: &str = &hint.text;
        let entries = self.entries.borrow();
        if let Some((Key(Value::Str(k)), v)) = entries.get_index(hint.hint()) {
            if **k == *name {
                return Some(v.clone());
            }
        }
        let (at, _, v) = entries.get_full(&StrKey(name))?;
        hint.set_hint(at);
        Some(v.clone())
    }
}

impl std::ops::Deref for Name {
    type Target = Arc<str>;
    fn deref(&self) -> &Arc<str> {
        &self.text
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text, f)
    }
}

#[derive(Debug)]
pub(crate) struct CRef {
    pub span: Span,
    pub kind: RefKind,
    pub root: Name,
    pub parts: Vec<CPart>,
    pub escaped: bool,
    pub esc_prefix: Box<str>,
    pub more_prefix: Box<str>,
    pub null_text: Box<str>,
    pub computable: bool,
    /// The variable `#set` assigns when this is a plain target (Velocity uses the first
    /// token's text minus one character, so `$!a` assigns `!a`).
    pub set_name: Name,
    /// For a runt left over from `$.a.b(...)`: how it prints (its text, with the references
    /// and interpolated strings inside it rendered).
    pub runt: Vec<RuntPiece>,
}

/// A piece of a runt reference's printed form.
#[derive(Debug)]
pub(crate) enum RuntPiece {
    Text(Box<str>),
    /// A reference inside it, printed as a reference would be.
    Ref(Box<CRef>),
    /// An interpolated string inside it, printed with its quotes.
    Quoted(Vec<CNode>),
}

#[derive(Debug)]
pub(crate) enum CPart {
    /// `.name`; the name's hint is where it was last found in a map's entries.
    Property(Name, Span),
    Method(Arc<str>, Vec<CExpr>, Span),
    Index(CExpr, Span),
}

#[derive(Debug)]
pub(crate) struct CSet {
    pub target: CRef,
    pub value: CExpr,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct CIf {
    pub branches: Vec<(CExpr, Vec<CNode>)>,
    pub otherwise: Option<Vec<CNode>>,
}

#[derive(Debug)]
pub(crate) struct CForeach {
    pub var: Name,
    pub iterable: CExpr,
    pub body: Vec<CNode>,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct CMacroCall {
    pub name: Arc<str>,
    pub args: Vec<CExpr>,
    /// What prints if no macro of this name exists when it runs.
    pub literal: Box<str>,
    /// The body of a block macro call (`#@name() … #end`).
    pub body: Option<Arc<Vec<CNode>>>,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) struct CExpr {
    pub kind: CExprKind,
    pub span: Span,
}

#[derive(Debug)]
pub(crate) enum CExprKind {
    Const(Const),
    /// An interpolated string: rendered, then the last character dropped.
    Interpolated(Vec<CNode>),
    List(Vec<CExpr>),
    Map(Vec<(CExpr, CExpr)>),
    Range(Box<CExpr>, Box<CExpr>),
    Ref(Box<CRef>),
    Word(Arc<str>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
    Not(Box<CExpr>),
}

/// Compiles a parsed template. `source` is the text the spans refer to.
pub(crate) fn compile(nodes: Vec<Node>, source: &str, profile: Profile) -> Result<Program, Error> {
    let mut cx = Compiler {
        source: Cow::Borrowed(source),
        profile,
        macros: HashMap::new(),
        interned: std::collections::HashSet::with_capacity_and_hasher(64, Default::default()),
    };
    let nodes = cx.nodes(nodes)?;
    let mentions = Mentions::of(source);
    Ok(Program {
        nodes,
        macros: cx.macros,
        mentions,
        body_selection: None,
        last_output: Default::default(),
    })
}

struct Compiler<'s> {
    /// The text the spans refer to (inside an interpolated string: its unescaped text).
    source: Cow<'s, str>,
    profile: Profile,
    macros: HashMap<Arc<str>, Arc<MacroDef>>,
    /// Each distinct name once (the template's references share them).
    interned:
        std::collections::HashSet<Arc<str>, std::hash::BuildHasherDefault<crate::fxhash::FxHasher>>,
}

impl Compiler<'_> {
    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.interned.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.interned.insert(a.clone());
        a
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>, span: Span) -> Error {
        Error::at(kind, message, &self.source, span.start..span.end)
    }

    fn nodes(&mut self, nodes: Vec<Node>) -> Result<Vec<CNode>, Error> {
        if let Some(first) = nodes.first() {
            self.guard_stack(node_span(first))?;
        }
        let mut out: Vec<CNode> = Vec::with_capacity(nodes.len());
        // Adjacent text is merged (in one growing buffer) so rendering writes it in one go.
        let mut text: Option<(String, Span)> = None;
        let flush = |out: &mut Vec<CNode>, text: &mut Option<(String, Span)>| {
            if let Some((t, span)) = text.take() {
                out.push(CNode::Text(t.into_boxed_str(), span));
            }
        };
        for node in nodes {
            let c = self.node(node)?;
            match c {
                CNode::Text(t, _) if t.is_empty() => {}
                CNode::Text(t, span) => match &mut text {
                    Some((buf, whole)) => {
                        buf.push_str(&t);
                        whole.end = span.end;
                    }
                    None => text = Some((t.into_string(), span)),
                },
                c => {
                    flush(&mut out, &mut text);
                    out.push(c);
                }
            }
        }
        flush(&mut out, &mut text);
        Ok(out)
    }

    fn node(&mut self, node: Node) -> Result<CNode, Error> {
        Ok(match node {
            Node::Text(t, span) => CNode::Text(t.into_boxed_str(), span),
            Node::Reference(r) => CNode::Print(Box::new(self.reference(*r)?)),
            Node::Set(s) => {
                let s = *s;
                CNode::Set(Box::new(CSet {
                    target: self.reference(s.target)?,
                    value: self.expr(s.value)?,
                    span: s.span,
                }))
            }
            Node::If(i) => {
                let i = *i;
                let mut branches = Vec::with_capacity(i.branches.len());
                for (cond, body) in i.branches {
                    branches.push((self.expr(cond)?, self.nodes(body)?));
                }
                let otherwise = match i.otherwise {
                    Some(b) => Some(self.nodes(b)?),
                    None => None,
                };
                CNode::If(Box::new(CIf {
                    branches,
                    otherwise,
                }))
            }
            Node::Stop(_) => CNode::Stop,
            Node::Directive(d) => self.directive(*d)?,
        })
    }

    /// The text Velocity prints for a directive that turns out to be nothing (an unknown
    /// macro): its tokens' texts as Velocity's lexer made them. Abandoned `$`/`#` prefixes are
    /// not tokens, references and escaped directives lose their escaping backslashes, and a
    /// comment keeps only what its token holds (`##` and the newline, or `*#`).
    /// The directive's name (up to `name_end`) is kept as written.
    fn velocity_literal(&self, span: Span, name_end: usize) -> String {
        let src = &self.source[span.start..span.end];
        let name_end = name_end.clamp(span.start, span.end) - span.start;
        let lexed = match vtl_grammar::lexer::lex(src, usize::MAX) {
            // A name that reads differently alone (`##a` after a property) swallows what
            // follows: then the rest is read on its own.
            Ok(l)
                if l.tokens
                    .iter()
                    .any(|t| t.start < name_end && t.end > name_end) =>
            {
                match vtl_grammar::lexer::lex(&src[name_end..], usize::MAX) {
                    Ok(mut rest) => {
                        for t in &mut rest.tokens {
                            t.start += name_end;
                            t.end += name_end;
                        }
                        rest
                    }
                    Err(_) => return src.to_string(),
                }
            }
            Ok(l) => l,
            Err(_) => return src.to_string(),
        };
        let mut out = src[..name_end].to_string();
        let mut at = name_end;
        for t in lexed.tokens.iter().filter(|t| t.start >= name_end) {
            // Between tokens: blanks inside the directive's arguments, abandoned prefixes.
            let gap = &src[at.min(t.start)..t.start];
            out.extend(gap.chars().filter(|c| c.is_ascii_whitespace()));
            at = t.end;
            let image = &src[t.start..t.end];
            match t.kind {
                Tok::Identifier | Tok::FormalStart => out.push_str(image.trim_start_matches('\\')),
                Tok::EscapedDirective => {
                    let last = image.rfind('\\').unwrap_or(0);
                    out.push_str(&image[..last / 2]);
                    out.push_str(&image[last + 1..]);
                }
                Tok::Comment => {
                    let open = image.find('#').unwrap_or(0);
                    let (prefix, comment) = image.split_at(open);
                    if comment.starts_with("##") {
                        out.push_str(prefix);
                        out.push_str("##");
                        let body = comment.trim_end_matches(['\n', '\r']);
                        out.push_str(&comment[body.len().max(2)..]);
                    } else if comment.len() > 4 && comment != "#***#" {
                        out.push_str("*#");
                    } else {
                        out.push_str(image);
                    }
                }
                _ => out.push_str(image),
            }
        }
        out
    }

    fn directive(&mut self, d: ast::Directive) -> Result<CNode, Error> {
        let head = self.velocity_literal(d.head_span, d.name_span.end);
        let name = d.name.clone();
        match name.as_str() {
            // Velocity 1.7's block directives fail while it initialises the parsed template
            // (a NullPointerException) when written without parentheses, even in a branch that
            // never runs.
            "foreach" | "define" | "literal" if !d.has_args => Err(self.error(
                ErrorKind::Render,
                format!("#{name} needs its arguments in parentheses: {head}(…)"),
                d.name_span,
            )),
            "evaluate" if !d.has_args => Err(self.error(
                ErrorKind::Directive,
                "#evaluate() requires exactly one argument",
                d.name_span,
            )),
            "foreach" if d.has_args => self.foreach(d),
            "macro" => {
                let mut args = d.args.into_iter();
                let Some(first) = args.next() else {
                    return Err(self.error(
                        ErrorKind::Directive,
                        "A macro declaration requires at least a name argument",
                        d.name_span,
                    ));
                };
                let ExprKind::Word(mname) = first.kind else {
                    return Err(self.error(
                        ErrorKind::Directive,
                        "the first argument of #macro must be the macro's name",
                        first.span,
                    ));
                };
                let mut params = Vec::new();
                for a in args {
                    match a.kind {
                        ExprKind::Ref(r) if r.parts.is_empty() => params.push(self.intern(&r.root)),
                        _ => {
                            return Err(self.error(
                                ErrorKind::Directive,
                                format!(
                                "#macro {mname}: parameters must be plain references like $name"
                            ),
                                a.span,
                            ))
                        }
                    }
                }
                let body = self.nodes(d.body.unwrap_or_default())?;
                let mname = self.intern(&mname);
                self.macros.entry(mname.clone()).or_insert_with(|| {
                    Arc::new(MacroDef {
                        name: mname,
                        params,
                        body: Arc::new(body),
                    })
                });
                Ok(CNode::Text(Box::from(""), Span::default()))
            }
            "define" if d.has_args && d.args.is_empty() => Ok(CNode::Fail(
                Box::from("#define: parameter missing: block name"),
                d.span,
            )),
            "define" if d.has_args => {
                let mut args = d.args.into_iter();
                let body = Arc::new(self.nodes(d.body.unwrap_or_default())?);
                match args.next().map(|a| a.kind) {
                    Some(ExprKind::Ref(r)) => {
                        Ok(CNode::Define(Box::new(self.reference(*r)?), body, d.span))
                    }
                    // Velocity renders nothing for a #define without a reference.
                    _ => Ok(CNode::Text(Box::from(""), Span::default())),
                }
            }
            "evaluate" if d.has_args => {
                if d.args.len() != 1 {
                    return Err(self.error(
                        ErrorKind::Directive,
                        "#evaluate() requires exactly one argument",
                        d.name_span,
                    ));
                }
                let arg = d.args.into_iter().next().expect("one argument");
                if !matches!(arg.kind, ExprKind::Str { .. } | ExprKind::Ref(_)) {
                    return Err(self.error(
                        ErrorKind::Directive,
                        "#evaluate() argument must be a string literal or reference",
                        arg.span,
                    ));
                }
                Ok(CNode::Evaluate(Box::new(self.expr(arg)?), d.span))
            }
            "break" => {
                let arg = match d.args.into_iter().next() {
                    Some(a) if !matches!(a.kind, ExprKind::Ref(_)) => {
                        let text = self.source[a.span.start..a.span.end].to_string();
                        return Ok(CNode::Fail(
                            format!("#break: {text} is not a valid scope (such as $foreach)")
                                .into_boxed_str(),
                            d.span,
                        ));
                    }
                    Some(a) => Some(Box::new(self.expr(a)?)),
                    None => None,
                };
                Ok(CNode::Break(arg, d.span))
            }
            "include" | "parse" if self.profile == Profile::Aws => Err(self
                .error(
                    ErrorKind::NotAllowed,
                    format!("#{name} is not available in API Gateway mapping templates"),
                    d.name_span,
                )
                .with_hint("API Gateway has no template files to include; inline the content")),
            "include" | "parse" => {
                let args = d
                    .args
                    .into_iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if name == "include" {
                    CNode::Include(args, d.span)
                } else {
                    CNode::Parse(args, d.span)
                })
            }
            "literal" if d.has_args => {
                // Velocity prints the source text of the directive's first child: an argument
                // if there is one, else the body; an empty body makes it fail.
                let body_span = match (d.args.first(), &d.body) {
                    (Some(a), _) => Some((a.span.start, a.span.end)),
                    (None, Some(b)) if !b.is_empty() => {
                        Some((node_span(&b[0]).start, node_span(&b[b.len() - 1]).end))
                    }
                    _ => {
                        return Err(self.error(
                            ErrorKind::Render,
                            "#literal() needs a body",
                            d.name_span,
                        ))
                    }
                };
                Ok(CNode::Literal(
                    body_span
                        .map(|(s, e)| self.source[s..e].to_string())
                        .unwrap_or_default()
                        .into_boxed_str(),
                    d.span,
                ))
            }
            _ => {
                // A macro call, to a macro known now or defined later (or never: then the
                // directive prints as written).
                let (mname, body, head) = match name.strip_prefix('@') {
                    Some(n) => (
                        n.to_string(),
                        Some(Arc::new(self.nodes(d.body.unwrap_or_default())?)),
                        // An unknown block macro prints whole, body and #end included.
                        self.velocity_literal(d.span, d.name_span.end),
                    ),
                    None => (name.clone(), None, head),
                };
                let args = d
                    .args
                    .into_iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(CNode::MacroCall(Box::new(CMacroCall {
                    name: self.intern(&mname),
                    args,
                    literal: head.into_boxed_str(),
                    body,
                    span: d.span,
                })))
            }
        }
    }

    fn foreach(&mut self, d: ast::Directive) -> Result<CNode, Error> {
        let span = d.span;
        // Velocity initialises the body even when the loop can never run.
        let body = self.nodes(d.body.unwrap_or_default())?;
        if d.args.len() < 2 {
            // Velocity fails when it runs such a loop (an index out of bounds).
            return Ok(CNode::Fail(
                Box::from("#foreach needs arguments: #foreach($item in $list)"),
                d.name_span,
            ));
        }
        let mut args = d.args.into_iter();
        let (var, _in, iterable, fourth) = (args.next(), args.next(), args.next(), args.next());
        // Velocity 1.7 never checks the `in`. It takes the loop variable's name from the first
        // argument: a reference's root name, or else the argument's text without its first
        // character.
        let var = match var {
            Some(ast::Expr {
                kind: ExprKind::Ref(r),
                ..
            }) => self.intern(&r.root),
            Some(e) => {
                let text = self.source.get(e.span.start..e.span.end).unwrap_or("");
                let name: String = text.chars().skip(1).collect();
                self.intern(&name)
            }
            None => return Ok(CNode::Text(Box::from(""), Span::default())),
        };
        // With two arguments Velocity iterates over its body block's value, which is null.
        let Some(iterable) = iterable else {
            return Ok(CNode::Text(Box::from(""), Span::default()));
        };
        // Velocity renders its fourth child as the loop body: with a fourth argument, that
        // argument (a reference prints; other expressions print nothing).
        let body = match fourth.map(|e| e.kind) {
            None => body,
            Some(ExprKind::Ref(r)) => vec![CNode::Print(Box::new(self.reference(*r)?))],
            Some(_) => Vec::new(),
        };
        Ok(CNode::Foreach(Box::new(CForeach {
            var: Name::new(var),
            iterable: self.expr(iterable)?,
            body,
            span,
        })))
    }

    fn reference(&mut self, r: ast::Reference) -> Result<CRef, Error> {
        let runt = if r.kind == RefKind::Runt && !r.root.starts_with('{') && r.root == r.null_text {
            self.runt_pieces(&r)?
        } else {
            Vec::new()
        };
        let mut parts = Vec::with_capacity(r.parts.len());
        for p in r.parts {
            parts.push(match p {
                RefPart::Property(n, s) => CPart::Property(Name::new(self.intern(&n)), s),
                RefPart::Method(n, args, s) => {
                    let args = args
                        .into_iter()
                        .map(|a| self.expr(a))
                        .collect::<Result<Vec<_>, _>>()?;
                    CPart::Method(self.intern(&n), args, s)
                }
                RefPart::Index(e, s) => CPart::Index(self.expr(e)?, s),
            });
        }
        let first = &self.source[r.span.start..r.span.end];
        let set_name = set_name(first, &r.more_prefix, &r.root);
        Ok(CRef {
            span: r.span,
            kind: r.kind,
            root: Name::new(self.intern(&r.root)),
            parts,
            escaped: r.escaped,
            esc_prefix: r.esc_prefix.into_boxed_str(),
            more_prefix: r.more_prefix.into_boxed_str(),
            null_text: r.null_text.into_boxed_str(),
            computable: r.computable,
            set_name: Name::new(self.intern(&set_name)),
            runt,
        })
    }

    /// Velocity prints a runt (`x.y[$i]` after `$.`) as its text, rendering the references
    /// and interpolated strings that appear directly in its arguments and indexes.
    fn runt_pieces(&mut self, r: &ast::Reference) -> Result<Vec<RuntPiece>, Error> {
        let mut pieces = Vec::new();
        let mut cursor = r.span.start;
        let mut nested: Vec<&ast::Expr> = Vec::new();
        for p in &r.parts {
            match p {
                RefPart::Method(_, args, _) => nested.extend(args.iter()),
                RefPart::Index(e, _) => nested.push(e),
                RefPart::Property(..) => {}
            }
        }
        for e in nested {
            let piece = match &e.kind {
                ExprKind::Ref(inner) => {
                    RuntPiece::Ref(Box::new(self.reference((**inner).clone())?))
                }
                ExprKind::Str {
                    template: Some(nodes),
                    ..
                } => RuntPiece::Quoted(self.nodes(nodes.clone())?),
                _ => continue,
            };
            if e.span.start > cursor {
                pieces.push(RuntPiece::Text(Box::from(
                    &self.source[cursor..e.span.start],
                )));
            }
            pieces.push(piece);
            cursor = e.span.end;
        }
        if r.span.end > cursor {
            pieces.push(RuntPiece::Text(Box::from(&self.source[cursor..r.span.end])));
        }
        Ok(pieces)
    }

    /// Fails when compiling has recursed past the stack limit.
    fn guard_stack(&self, span: Span) -> Result<(), Error> {
        if crate::budget::stack_ok() {
            return Ok(());
        }
        Err(self.error(
            ErrorKind::Limit,
            "the template nests too deeply to compile within the stack limit",
            span,
        ))
    }

    fn expr(&mut self, e: ast::Expr) -> Result<CExpr, Error> {
        let span = e.span;
        self.guard_stack(span)?;
        let kind = match e.kind {
            ExprKind::Str { text, template } => match template {
                Some(mut nodes) => {
                    // The renderer cuts Velocity's padding blank from the output; a string
                    // with `##` has none (see the parser), so it gets a blank to cut.
                    if text.contains("##") {
                        nodes.push(Node::Text(" ".into(), Span::new(span.end, span.end)));
                    }
                    // The parser read the string's text after Velocity's unescaping (`""`,
                    // `\uXXXX`), so spans inside it refer to that text, not to the source.
                    let base = span.start + 1;
                    let inner = self.source.get(base..span.end.saturating_sub(1));
                    if inner == Some(text.as_str()) || self.source.get(..base).is_none() {
                        CExprKind::Interpolated(self.nodes(nodes)?)
                    } else {
                        let unescaped = format!("{}{text} ", &self.source[..base]);
                        let outer = std::mem::replace(&mut self.source, Cow::Owned(unescaped));
                        let nodes = self.nodes(nodes);
                        self.source = outer;
                        CExprKind::Interpolated(nodes?)
                    }
                }
                None => CExprKind::Const(Const::Str(Arc::from(text))),
            },
            ExprKind::Int(t) => CExprKind::Const(int_const(&t)),
            ExprKind::Float(t) => CExprKind::Const(Const::Double(t.parse().unwrap_or(f64::NAN))),
            ExprKind::Bool(b) => CExprKind::Const(Const::Bool(b)),
            ExprKind::List(items) => CExprKind::List(
                items
                    .into_iter()
                    .map(|i| self.expr(i))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    out.push((self.expr(k)?, self.expr(v)?));
                }
                CExprKind::Map(out)
            }
            ExprKind::Range(a, b) => {
                CExprKind::Range(Box::new(self.expr(*a)?), Box::new(self.expr(*b)?))
            }
            ExprKind::Ref(r) => CExprKind::Ref(Box::new(self.reference(*r)?)),
            ExprKind::Word(w) => CExprKind::Word(self.intern(&w)),
            ExprKind::Binary(op, a, b) => {
                CExprKind::Binary(op, Box::new(self.expr(*a)?), Box::new(self.expr(*b)?))
            }
            ExprKind::Not(a) => CExprKind::Not(Box::new(self.expr(*a)?)),
        };
        Ok(CExpr { kind, span })
    }
}

/// Velocity's `#set` target name: the first token's text (after escapes and glued prefixes
/// are cut) minus its first character, so `$!a` assigns `!a` and `${a}` assigns `{`.
fn set_name(first: &str, more_prefix: &str, root: &str) -> String {
    let t = first.trim_start_matches('\\');
    let t = t.get(more_prefix.len()..).unwrap_or(t);
    if t.starts_with("$!{") {
        "!{".to_string()
    } else if t.starts_with("${") {
        "{".to_string()
    } else if t.starts_with("$!") {
        format!("!{root}")
    } else if t.starts_with('$') {
        root.to_string()
    } else {
        String::new()
    }
}

/// Integer literal: Integer if it fits, else Long, else BigInteger.
fn int_const(text: &str) -> Const {
    if let Ok(i) = text.parse::<i32>() {
        Const::Int(i)
    } else if let Ok(l) = text.parse::<i64>() {
        Const::Long(l)
    } else {
        Const::BigInt(Arc::new(
            crate::java::decimal::parse_decimal(text).unwrap_or_default(),
        ))
    }
}

fn node_span(n: &Node) -> Span {
    match n {
        Node::Text(_, s) | Node::Stop(s) => *s,
        Node::Reference(r) => r.span,
        Node::Set(s) => s.span,
        Node::If(i) => i.span,
        Node::Directive(d) => d.span,
    }
}

/// Every name a program's references use at their root (for tools: the linter lists them).
pub(crate) fn collect_roots(nodes: &[CNode], out: &mut Vec<(Arc<str>, Span)>) {
    visit_refs(nodes, &mut |r| out.push((r.root.clone(), r.span)));
}

/// Calls `f` on each reference of `nodes`, outer ones before those in their arguments (the
/// references of directives, conditions, interpolated strings and `#define` bodies; not
/// those of block-macro bodies or of runts).
pub(crate) fn visit_refs<'p>(nodes: &'p [CNode], f: &mut dyn FnMut(&'p CRef)) {
    fn expr<'p>(e: &'p CExpr, f: &mut dyn FnMut(&'p CRef)) {
        match &e.kind {
            CExprKind::Ref(r) => reference(r, f),
            CExprKind::Interpolated(n) => visit_refs(n, f),
            CExprKind::List(items) => items.iter().for_each(|i| expr(i, f)),
            CExprKind::Map(entries) => entries.iter().for_each(|(k, v)| {
                expr(k, f);
                expr(v, f)
            }),
            CExprKind::Range(a, b) | CExprKind::Binary(_, a, b) => {
                expr(a, f);
                expr(b, f)
            }
            CExprKind::Not(a) => expr(a, f),
            CExprKind::Const(_) | CExprKind::Word(_) => {}
        }
    }
    fn reference<'p>(r: &'p CRef, f: &mut dyn FnMut(&'p CRef)) {
        f(r);
        for p in &r.parts {
            match p {
                CPart::Method(_, args, _) => args.iter().for_each(|a| expr(a, f)),
                CPart::Index(e, _) => expr(e, f),
                CPart::Property(..) => {}
            }
        }
    }
    for n in nodes {
        match n {
            CNode::Print(r) => reference(r, f),
            CNode::Set(s) => {
                reference(&s.target, f);
                expr(&s.value, f)
            }
            CNode::If(i) => {
                for (c, b) in &i.branches {
                    expr(c, f);
                    visit_refs(b, f);
                }
                if let Some(b) = &i.otherwise {
                    visit_refs(b, f)
                }
            }
            CNode::Foreach(fe) => {
                expr(&fe.iterable, f);
                visit_refs(&fe.body, f)
            }
            CNode::MacroCall(m) => m.args.iter().for_each(|a| expr(a, f)),
            CNode::Define(_, b, _) => visit_refs(b, f),
            CNode::Evaluate(e, _) => expr(e, f),
            CNode::Break(Some(e), _) => expr(e, f),
            CNode::Include(a, _) | CNode::Parse(a, _) => a.iter().for_each(|e| expr(e, f)),
            _ => {}
        }
    }
}
