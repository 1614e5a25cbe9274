//! Tokens the lexer hands to the parser.
//!
//! Each token is a byte range of the template. A token's text may include a prefix that
//! Velocity's lexer accumulated before it (`$` and `$!` before an identifier, `#` before a
//! directive name, backslashes before `$`), exactly as Velocity 1.7's token images do.

use std::fmt;

/// The kind of a token (its text is the byte range it was lexed from).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tok {
    /// Plain text outside VTL.
    Text,
    /// A lone backslash.
    Escape,
    /// `\\` before a directive or macro name: renders as one backslash.
    DoubleEscapeControl,
    /// `\\` before anything else: renders as two backslashes.
    DoubleEscapePlain,
    /// `\#name`: an escaped directive.
    EscapedDirective,
    /// `## …` up to and including the newline, or `#* … *#`, or `#** … *#`.
    Comment,
    /// `#[[ … ]]#`: unparsed content.
    TextBlock,
    /// `$[`, `$![`, `$\![`: text that looks like a reference to an index.
    EmptyIndex,
    /// An identifier in a reference (with any `$`, `$!` or `\` prefix).
    Identifier,
    /// `{` opening a formal reference `${…}` (with its `$` prefix).
    FormalStart,
    /// `{` that is text.
    TextLCurly,
    /// `}` in a reference: closes a formal reference, otherwise text.
    RCurly,
    /// `.` between reference parts.
    Dot,
    /// `[` after a reference part.
    IndexOpen,
    /// `]` closing an index.
    IndexClose,
    /// `[` in an expression.
    LBracket,
    /// `]` in an expression.
    RBracket,
    /// `,`.
    Comma,
    /// `..` in a range.
    DoubleDot,
    /// `:` in a map literal.
    Colon,
    /// `{` of a map literal.
    LeftCurley,
    /// `}` of a map literal.
    RightCurley,
    /// `(` in a directive or a method call.
    LParen,
    /// `)` closing a directive's parentheses (may include trailing blanks and a newline).
    RParen,
    /// `)` closing a method call.
    MethodRParen,
    /// A string literal, `"…"` or `'…'`.
    StringLit,
    /// `true`.
    True,
    /// `false`.
    False,
    /// An integer literal.
    IntLit,
    /// A floating-point literal.
    FloatLit,
    /// `-`.
    Minus,
    /// `+`.
    Plus,
    /// `*`.
    Star,
    /// `/`.
    Slash,
    /// `%`.
    Percent,
    /// `&&` or `and`.
    And,
    /// `||` or `or`.
    Or,
    /// `<` or `lt`.
    Lt,
    /// `<=` or `le`.
    Le,
    /// `>` or `gt`.
    Gt,
    /// `>=` or `ge`.
    Ge,
    /// `==` or `eq`.
    EqEq,
    /// `!=` or `ne`.
    Ne,
    /// `!` or `not`.
    Not,
    /// `=` in `#set`.
    Assign,
    /// A bare word inside directive arguments (`in` of `#foreach`, a macro's name).
    Word,
    /// `#set(` (with any blanks before it, which it swallows).
    Set,
    /// `#if`.
    If,
    /// `#elseif`.
    ElseIf,
    /// `#else` (with trailing blanks and newline).
    Else,
    /// `#end` (with trailing blanks and newline).
    End,
    /// `#stop`.
    Stop,
    /// `#name` followed by `(`: a line directive or macro call (`#evaluate`, `#break`, `#foo`).
    LineDirective,
    /// `#name` followed by `(`: a block directive (`#foreach`, `#define`, `#macro`, `#@name`).
    BlockDirective,
    /// `#name` not followed by `(`.
    BareDirective,
}

impl Tok {
    /// How the parser's "expected" lists name this token.
    pub fn describe(self) -> &'static str {
        match self {
            Tok::Text => "text",
            Tok::Escape | Tok::DoubleEscapeControl | Tok::DoubleEscapePlain => "'\\'",
            Tok::EscapedDirective => "an escaped directive",
            Tok::Comment => "a comment",
            Tok::TextBlock => "'#[[ ]]#'",
            Tok::EmptyIndex => "'$['",
            Tok::Identifier => "a reference",
            Tok::FormalStart => "'${'",
            Tok::TextLCurly => "'{'",
            Tok::RCurly => "'}'",
            Tok::Dot => "'.'",
            Tok::IndexOpen | Tok::LBracket => "'['",
            Tok::IndexClose | Tok::RBracket => "']'",
            Tok::Comma => "','",
            Tok::DoubleDot => "'..'",
            Tok::Colon => "':'",
            Tok::LeftCurley => "'{'",
            Tok::RightCurley => "'}'",
            Tok::LParen => "'('",
            Tok::RParen | Tok::MethodRParen => "')'",
            Tok::StringLit => "a string",
            Tok::True => "'true'",
            Tok::False => "'false'",
            Tok::IntLit => "an integer",
            Tok::FloatLit => "a number",
            Tok::Minus => "'-'",
            Tok::Plus => "'+'",
            Tok::Star => "'*'",
            Tok::Slash => "'/'",
            Tok::Percent => "'%'",
            Tok::And => "'&&'",
            Tok::Or => "'||'",
            Tok::Lt => "'<'",
            Tok::Le => "'<='",
            Tok::Gt => "'>'",
            Tok::Ge => "'>='",
            Tok::EqEq => "'=='",
            Tok::Ne => "'!='",
            Tok::Not => "'!'",
            Tok::Assign => "'='",
            Tok::Word => "a word",
            Tok::Set => "'#set('",
            Tok::If => "'#if'",
            Tok::ElseIf => "'#elseif'",
            Tok::Else => "'#else'",
            Tok::End => "'#end'",
            Tok::Stop => "'#stop'",
            Tok::LineDirective | Tok::BlockDirective | Tok::BareDirective => "a directive",
        }
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A token with its byte range in the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What kind of token this is.
    pub kind: Tok,
    /// Byte offset of the first byte (including any accumulated prefix).
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}
