//! The syntax tree, with byte spans into the template.

/// A byte range of the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A statement of the template body.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Text printed as is (escapes and comment prefixes already resolved).
    Text(String, Span),
    /// A reference printed in place: `$a.b`, `$!{a}`.
    Reference(Box<Reference>),
    /// `#set($target = value)`.
    Set(Box<SetNode>),
    /// `#if / #elseif / #else / #end`.
    If(Box<IfNode>),
    /// Any other directive or a macro call: `#foreach`, `#macro`, `#define`, `#evaluate`,
    /// `#break`, `#include`, `#parse`, `#name(...)`.
    Directive(Box<Directive>),
    /// `#stop`.
    Stop(Span),
}

/// How a reference was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `$a` or `${a}`: prints its source text when null.
    Normal,
    /// `$!a` or `$!{a}`: prints nothing when null.
    Quiet,
    /// An identifier Velocity's lexer left without its `$` ("runt"): prints its name.
    Runt,
}

/// A reference: a root variable and a chain of properties, method calls and indexes.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Whole reference, including any prefix.
    pub span: Span,
    /// How it was written.
    pub kind: RefKind,
    /// The root variable's name (for a runt, the text to print).
    pub root: String,
    /// Properties, methods and indexes after the root.
    pub parts: Vec<RefPart>,
    /// An odd number of backslashes before `$`: prints the reference text instead.
    pub escaped: bool,
    /// Half the backslashes before `$` (printed before the value).
    pub esc_prefix: String,
    /// Text the lexer glued before the final `$` (e.g. the `#` of `#$a`).
    pub more_prefix: String,
    /// What prints when the value is null (the reference's own text, or empty if quiet).
    pub null_text: String,
    /// False for text like `$\!a`, which looks like a reference but is not one.
    pub computable: bool,
}

/// One step of a reference chain.
#[derive(Clone, Debug, PartialEq)]
pub enum RefPart {
    /// `.name`.
    Property(String, Span),
    /// `.name(args)`.
    Method(String, Vec<Expr>, Span),
    /// `[index]`.
    Index(Expr, Span),
}

/// `#set($target = value)`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetNode {
    /// The reference assigned to.
    pub target: Reference,
    /// The value expression.
    pub value: Expr,
    /// The whole directive.
    pub span: Span,
}

/// An `#if` chain.
#[derive(Clone, Debug, PartialEq)]
pub struct IfNode {
    /// `#if` and each `#elseif`: a condition and a body.
    pub branches: Vec<(Expr, Vec<Node>)>,
    /// The `#else` body.
    pub otherwise: Option<Vec<Node>>,
    /// The whole statement.
    pub span: Span,
}

/// A directive other than `#if`/`#set`/`#stop`, or a macro call.
#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    /// Its name without `#` and braces (`foreach`, `@myBlock`, `myMacro`).
    pub name: String,
    /// Span of `#name`.
    pub name_span: Span,
    /// Whether `(…)` followed the name.
    pub has_args: bool,
    /// The arguments.
    pub args: Vec<Expr>,
    /// The body, for block directives.
    pub body: Option<Vec<Node>>,
    /// Span from `#name` to the closing `)` (what prints if it turns out to be nothing).
    pub head_span: Span,
    /// The whole directive, including any body and `#end`.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// Expression forms.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A string literal. `template` is set for a double-quoted string containing `$` or `#`,
    /// which is rendered as a template each time it is evaluated.
    Str {
        /// The text between the quotes (unicode escapes resolved).
        text: String,
        /// The parsed contents of an interpolated string.
        template: Option<Vec<Node>>,
    },
    /// An integer literal's text.
    Int(String),
    /// A floating-point literal's text.
    Float(String),
    /// `true` / `false`.
    Bool(bool),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(Expr, Expr)>),
    /// `[a..b]`.
    Range(Box<Expr>, Box<Expr>),
    /// A reference.
    Ref(Box<Reference>),
    /// A bare word in directive arguments (`in`, a macro name).
    Word(String),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `!x`.
    Not(Box<Expr>),
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `||`, `or`.
    Or,
    /// `&&`, `and`.
    And,
    /// `==`, `eq`.
    Eq,
    /// `!=`, `ne`.
    Ne,
    /// `<`, `lt`.
    Lt,
    /// `<=`, `le`.
    Le,
    /// `>`, `gt`.
    Gt,
    /// `>=`, `ge`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
}
