//! Tests of the lexer: token kinds and texts of small templates.

use super::*;

fn kinds(src: &str) -> Vec<(Tok, &str)> {
    let lexed = lex(src, 100).expect("lexes");
    lexed
        .tokens
        .iter()
        .map(|t| (t.kind, &src[t.start..t.end]))
        .collect()
}

#[test]
fn reference_takes_its_dollar() {
    assert_eq!(
        kinds("a $b.c(1) d"),
        vec![
            (Tok::Text, "a "),
            (Tok::Identifier, "$b"),
            (Tok::Dot, "."),
            (Tok::Identifier, "c"),
            (Tok::LParen, "("),
            (Tok::IntLit, "1"),
            (Tok::MethodRParen, ")"),
            (Tok::Text, " d"),
        ]
    );
}

#[test]
fn set_swallows_leading_blanks_only_at_token_start() {
    let k = kinds("x\n  #set($a = 1)\ny");
    assert_eq!(k[0], (Tok::Text, "x\n  "));
    assert_eq!(k[1], (Tok::Set, "#set("));
    assert_eq!(k.last().copied(), Some((Tok::Text, "y")));
    let k = kinds("#if(true)\n  #set($a = 1)\ny#end");
    assert!(k.contains(&(Tok::Set, "  #set(")));
    assert!(k.contains(&(Tok::RParen, ")\n")));
}

#[test]
fn lone_dollar_becomes_special_text() {
    let lexed = lex("a $ b", 100).unwrap();
    assert_eq!(lexed.tokens.len(), 2);
    assert_eq!(lexed.special.get(&3).map(String::as_str), Some("$"));
}

#[test]
fn trailing_prefix_is_a_lexical_error() {
    assert!(lex("abc$", 100).is_err());
    assert!(lex("abc#", 100).is_err());
    assert!(lex("#[[ x", 100).is_err());
    assert!(lex("a #* open", 100).is_ok());
}

#[test]
fn directive_words_are_classified() {
    let k = kinds("#foreach($i in $l)x#end#foo #bar()");
    assert_eq!(k[0], (Tok::BlockDirective, "#foreach"));
    assert!(k.contains(&(Tok::Word, "in")));
    assert!(k.contains(&(Tok::BareDirective, "#foo")));
    assert!(k.contains(&(Tok::LineDirective, "#bar")));
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("#set($a = {}1{})", "(".repeat(500), ")".repeat(500));
    let err = lex(&deep, 64).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Limit);
}
