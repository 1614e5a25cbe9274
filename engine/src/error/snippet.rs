//! The source line of an error's pretty form (`{:#}`), with the span underlined, drawn by
//! annotate-snippets (the renderer of rustc's diagnostics).

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::location::{floor_char, Location};

/// Characters of a long line shown on each side of the span in the pretty form.
const SNIPPET_CONTEXT: usize = 60;
/// Longest span underlined in full in the pretty form.
const SNIPPET_MAX_CARETS: usize = 80;

/// The pretty form's renderer: plain text (the CLI colours it), and wide enough never to cut
/// an excerpt again (one is at most `2 * SNIPPET_CONTEXT + SNIPPET_MAX_CARETS` characters and
/// two ellipses, and a character takes at most 4 columns).
const RENDERER: Renderer = Renderer::plain().term_width(4096);

/// The line of `loc` (or the part of it [`excerpt`] keeps), numbered, with the span underlined:
/// `  |`, `N | text`, `  |   ^^^` (no newline at the end).
pub(super) fn render(loc: &Location) -> String {
    let (text, span) = excerpt(loc);
    let snippet = Snippet::source(text)
        .line_start(loc.line)
        .annotation(AnnotationKind::Primary.span(span));
    RENDERER.render(&[Group::with_level(Level::ERROR).element(snippet)])
}

/// The line of `loc` as the pretty form shows it, and the span to underline in it (at most
/// [`SNIPPET_MAX_CARETS`] characters, and not past the end of the line).
///
/// A long line (a minified template) is cut to [`SNIPPET_CONTEXT`] characters on each side of
/// the span, with `...` where it was cut, like rustc; so annotate-snippets is given a few hundred
/// characters whatever the length of the line (finding the column is a walk along it, as
/// [`Location::resolve`] is).
fn excerpt(loc: &Location) -> (String, Range<usize>) {
    let line = loc.line_text.as_str();
    let start = chars_forward(line, 0, loc.column.saturating_sub(1));
    let len = loc.span.end.saturating_sub(loc.span.start);
    let end = floor_char(line, start.saturating_add(len).min(line.len()));
    let end = end.min(chars_forward(line, start, SNIPPET_MAX_CARETS));
    let underlined = line[start..end].chars().count().max(1);
    let from = chars_back(line, start, SNIPPET_CONTEXT);
    let to = chars_forward(line, start, underlined + SNIPPET_CONTEXT);
    let lead = if from > 0 { "..." } else { "" };
    let tail = if to < line.len() { "..." } else { "" };
    let text = format!("{lead}{}{tail}", &line[from..to]);
    (text, lead.len() + start - from..lead.len() + end - from)
}

/// The byte offset `n` characters after `at` in `s` (or the end of `s`).
fn chars_forward(s: &str, at: usize, n: usize) -> usize {
    s[at..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| at + i)
}

/// The byte offset `n` characters before `at` in `s` (or 0).
fn chars_back(s: &str, at: usize, n: usize) -> usize {
    s[..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use crate::{Error, ErrorKind};
    use std::ops::Range;

    #[test]
    fn pretty_form_works_for_any_column_and_line_length() {
        let mut src = "x".repeat(300_000);
        src.push_str("$bad");
        src.push_str(&"y".repeat(100_000));
        let e = Error::at(ErrorKind::Limit, "too big", &src, 300_000..src.len());
        assert_eq!(e.column(), Some(300_001));
        let pretty = format!("{e:#}");
        assert!(
            pretty.contains("1 | ...xxx") && pretty.contains("xxx$badyyy"),
            "{pretty}"
        );
        assert!(pretty.len() < 1000, "{}", pretty.len());
        let caret_line = pretty.lines().nth(4).unwrap();
        let code_line = pretty.lines().nth(3).unwrap();
        assert_eq!(caret_line.find('^'), code_line.find('$'), "{pretty}");
    }

    fn pretty(src: &str, span: Range<usize>) -> String {
        let e = Error::at(ErrorKind::Syntax, "bad", src, span).with_name("t.vtl");
        format!("{e:#}")
    }

    #[test]
    fn empty_source_and_spans_at_the_end() {
        let want = "error[syntax]: bad\n --> t.vtl:1:1\n  |\n1 |\n  | ^\n";
        assert_eq!(pretty("", 0..0), want);
        assert_eq!(pretty("", 5..9), want);
        // Past a final newline: the empty last line.
        let want = "error[syntax]: bad\n --> t.vtl:2:1\n  |\n2 |\n  | ^\n";
        assert_eq!(pretty("ab\n", 3..3), want);
        // At the end of a line: one caret after it.
        let want = "error[syntax]: bad\n --> t.vtl:1:4\n  |\n1 | abc\n  |    ^\n";
        assert_eq!(pretty("abc", 3..3), want);
    }

    #[test]
    fn spans_stop_at_the_end_of_their_line() {
        let want = "error[syntax]: bad\n --> t.vtl:2:1\n  |\n2 | $b\n  | ^^\n";
        assert_eq!(pretty("$a\n$b\r\n$c", 3..10), want);
        let want = "error[syntax]: bad\n --> t.vtl:1:1\n  |\n1 | $x\n  | ^^\n";
        assert_eq!(pretty("$x\r\n", 0..4), want);
    }

    #[test]
    fn tabs_and_wide_characters_line_up() {
        // A tab is shown as four spaces.
        let want = "error[syntax]: bad\n --> t.vtl:1:5\n  |\n1 | a    b    $x\n  |           ^^\n";
        assert_eq!(pretty("a\tb\t$x", 4..6), want);
        // The column counts characters; the carets count terminal columns (CJK takes two).
        let want = "error[syntax]: bad\n --> t.vtl:1:4\n  |\n1 | 漢字 $x\n  |      ^^\n";
        assert_eq!(pretty("漢字 $x", 7..9), want);
        let want = "error[syntax]: bad\n --> t.vtl:1:1\n  |\n1 | 漢字 $x\n  | ^^\n";
        assert_eq!(pretty("漢字 $x", 0..3), want);
        // A span ending inside a character is cut back to the character before.
        let want = "error[syntax]: bad\n --> t.vtl:1:1\n  |\n1 | 漢字 $x\n  | ^^\n";
        assert_eq!(pretty("漢字 $x", 0..4), want);
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let p = pretty("\u{202e}$x\u{1b}[31m\u{7}", 3..5);
        assert!(!p.contains(['\u{202e}', '\u{1b}', '\u{7}']), "{p:?}");
        assert!(p.ends_with("\n  |  ^^\n"), "{p:?}");
    }

    #[test]
    fn long_spans_are_underlined_up_to_eighty_columns() {
        let src = format!("${}", "x".repeat(200));
        let p = pretty(&src, 0..src.len());
        let carets = p.lines().nth(4).unwrap();
        assert_eq!(carets, format!("  | {}", "^".repeat(80)), "{p}");
        assert!(p.contains(&format!("1 | ${}...\n", "x".repeat(139))), "{p}");
    }

    #[test]
    fn a_ten_megabyte_line_is_cut_around_the_span() {
        let mut src = "x".repeat(10 << 20);
        src.push_str("$bad");
        src.push_str(&"y".repeat(10 << 20));
        let at = 10 << 20;
        for span in [
            0..4,
            at..at + 4,
            src.len() - 4..src.len(),
            src.len()..src.len(),
        ] {
            let p = pretty(&src, span.clone());
            assert!(p.len() < 1000, "{}", p.len());
            let code = p.lines().nth(3).unwrap();
            let carets = p.lines().nth(4).unwrap();
            assert!(code.chars().count() <= 4 + 3 + 60 + 4 + 60 + 3, "{code}");
            if span.start == at {
                assert!(
                    code.starts_with("1 | ...xxx") && code.ends_with("yyy..."),
                    "{p}"
                );
                assert_eq!(carets.find('^'), code.find('$'), "{p}");
                assert!(carets.ends_with("^^^^"), "{p}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn pretty_form_never_panics(
            src in "(?s)[a-c\t\r\n\u{0}\u{1b}\u{301}\u{200b}\u{202e}漢😀 ]{0,40}",
            a in 0usize..50,
            b in 0usize..50,
        ) {
            let p = pretty(&src, a.min(b)..a.max(b));
            proptest::prop_assert!(p.lines().any(|l| l.trim_start().starts_with("| ") && l.contains('^')), "{}", p);
        }
    }
}
