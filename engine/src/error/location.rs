//! Where an error is: a byte range of the template resolved to a line and a column.

use std::ops::Range;

/// A position resolved to a line and a column (both 1-based; the column counts characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Byte range in the template.
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of the line (without its newline).
    pub line_text: String,
}

impl Location {
    /// Resolves a byte range of `source`.
    pub fn resolve(source: &str, span: Range<usize>) -> Location {
        let start = floor_char(source, span.start.min(source.len()));
        let end = floor_char(source, span.end.clamp(start, source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        Location {
            span: start..end,
            line,
            column,
            line_text: source[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        }
    }
}

pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
