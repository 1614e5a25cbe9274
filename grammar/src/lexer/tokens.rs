//! The token set of each lexical state, as `logos` enums: what Velocity 1.7's lexer matches in
//! text, in a reference, after a reference's `.`, in method arguments, in an index, before a
//! directive's `(` and in directive arguments.

use logos::Logos;

// Patterns shared by several states. Velocity's names in comments.
// SET_DIRECTIVE: (" "|"\t")* ("#set" | "#{set}") (" ")* "("
// DOLLAR: ("\\")* "$"     DOLLARBANG: ("\\")* "$" ("\\")* "!"

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum DefaultTok {
    #[regex(r"[ \t]*(#set|#\{set\}) *\(")]
    Set,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
    #[regex(r"(\\\\)*\\#([a-zA-Z_@][a-zA-Z0-9_@]*|\{[a-zA-Z_][a-zA-Z0-9_@]*\})")]
    EscapedDirective,
    #[token("\\\\")]
    DoubleEscape,
    #[token("\\")]
    Escape,
    #[regex(r"[^$#\\]+")]
    Text,
    #[regex(r"\$\[|\$!\[|\$\\!\[")]
    EmptyIndex,
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum RefTok {
    #[token("[")]
    IndexOpen,
    #[regex(r"[ \t]*(#set|#\{set\}) *\(")]
    Set,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
    #[token("true", priority = 20)]
    True,
    #[token("false", priority = 20)]
    False,
    #[regex(r"[a-zA-Z_][a-zA-Z0-9_\-]*")]
    Identifier,
    #[regex(r"\.[a-zA-Z]")]
    Dot,
    #[token("{")]
    LCurly,
    #[token("}")]
    RCurly,
    #[regex(r"\$\[|\$!\[|\$\\!\[")]
    EmptyIndex,
    #[token("(")]
    LParen,
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum DirTok {
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(",")]
    Comma,
    #[token("..")]
    DoubleDot,
    #[token(":")]
    Colon,
    #[token("{")]
    LeftCurley,
    #[token("}")]
    RightCurley,
    #[token("(")]
    LParen,
    #[regex(r"\)([ \t]*(\n|\r|\r\n))?")]
    RParen,
    #[regex(r"[ \t\n\r]+")]
    Whitespace,
    #[regex(r#""([^"]|"")*""#)]
    #[regex(r"'([^']|'')*'")]
    StringLit,
    #[token("true", priority = 20)]
    True,
    #[token("false", priority = 20)]
    False,
    #[regex(r"-?[0-9]+(\.\.)?")]
    IntLit,
    #[regex(r"-?[0-9]+\.[0-9]*([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?\.[0-9]+([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?[0-9]+[eE][+\-]?[0-9]+")]
    FloatLit,
    #[token("-")]
    Minus,
    #[token("+")]
    Plus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("&&")]
    #[token("and", priority = 20)]
    And,
    #[token("||")]
    #[token("or", priority = 20)]
    Or,
    #[token("<")]
    #[token("lt", priority = 20)]
    Lt,
    #[token("<=")]
    #[token("le", priority = 20)]
    Le,
    #[token(">")]
    #[token("gt", priority = 20)]
    Gt,
    #[token(">=")]
    #[token("ge", priority = 20)]
    Ge,
    #[token("==")]
    #[token("eq", priority = 20)]
    EqEq,
    #[token("!=")]
    #[token("ne", priority = 20)]
    Ne,
    #[token("!")]
    #[token("not", priority = 20)]
    Not,
    #[token("=")]
    Assign,
    #[regex(r"[a-zA-Z_@][a-zA-Z0-9_@]*")]
    #[regex(r"\{[a-zA-Z_][a-zA-Z0-9_@]*\}")]
    Word,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum MethodTok {
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(",")]
    Comma,
    #[token("..")]
    DoubleDot,
    #[token(":")]
    Colon,
    #[token("{")]
    LeftCurley,
    #[token("}")]
    RightCurley,
    #[token(")")]
    RParen,
    #[regex(r"[ \t\n\r]+")]
    Whitespace,
    #[regex(r#""([^"]|"")*""#)]
    #[regex(r"'([^']|'')*'")]
    StringLit,
    #[token("true", priority = 20)]
    True,
    #[token("false", priority = 20)]
    False,
    #[regex(r"-?[0-9]+(\.\.)?")]
    IntLit,
    #[regex(r"-?[0-9]+\.[0-9]*([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?\.[0-9]+([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?[0-9]+[eE][+\-]?[0-9]+")]
    FloatLit,
    #[regex(r"[a-zA-Z_][a-zA-Z0-9_\-]*")]
    Identifier,
    #[regex(r"\.[a-zA-Z]")]
    Dot,
    #[regex(r"[ \t]*(#set|#\{set\}) *\(")]
    Set,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum IndexTok {
    #[token("]")]
    IndexClose,
    #[regex(r"[ \t\n\r]+")]
    Whitespace,
    #[regex(r#""([^"]|"")*""#)]
    #[regex(r"'([^']|'')*'")]
    StringLit,
    #[token("true", priority = 20)]
    True,
    #[token("false", priority = 20)]
    False,
    #[regex(r"-?[0-9]+(\.\.)?")]
    IntLit,
    #[regex(r"-?[0-9]+\.[0-9]*([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?\.[0-9]+([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?[0-9]+[eE][+\-]?[0-9]+")]
    FloatLit,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
}

#[derive(Logos, Clone, Copy, Debug, PartialEq)]
pub(super) enum PreTok {
    #[regex(r"(end|\{end\})([ \t]*(\n|\r|\r\n))?", priority = 20)]
    End,
    #[token("if", priority = 20)]
    #[token("{if}", priority = 20)]
    If,
    #[token("elseif", priority = 20)]
    #[token("{elseif}", priority = 20)]
    ElseIf,
    #[regex(r"(else|\{else\})([ \t]*(\n|\r|\r\n))?", priority = 20)]
    Else,
    #[token("stop", priority = 20)]
    #[token("{stop}", priority = 20)]
    Stop,
    #[regex(r"-?[0-9]+(\.\.)?")]
    IntLit,
    #[regex(r"-?[0-9]+\.[0-9]*([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?\.[0-9]+([eE][+\-]?[0-9]+)?")]
    #[regex(r"-?[0-9]+[eE][+\-]?[0-9]+")]
    FloatLit,
    #[regex(r"[a-zA-Z_@][a-zA-Z0-9_@]*")]
    Word,
    #[regex(r"\{[a-zA-Z_][a-zA-Z0-9_@]*\}")]
    BracketedWord,
    #[regex(r"\\*\$")]
    Dollar,
    #[regex(r"\\*\$\\*!")]
    DollarBang,
    #[token("#[[")]
    TextBlockStart,
    #[regex(r"#\*\*[^#]")]
    FormalComment,
    #[token("#*")]
    BlockComment,
    #[token("#")]
    Hash,
    #[token("##")]
    LineComment,
}
