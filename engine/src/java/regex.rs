//! Java regular expressions (`java.util.regex`) on top of `fancy-regex`.
