//! Lexer, parser and AST for the Velocity Template Language as Apache Velocity 1.7 reads it.
