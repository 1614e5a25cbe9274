//! The error type: a kind, a message, and where in the template (byte range, line, column).
//!
//! `Display` is one line (`syntax error at 3:7: …`); the alternate form (`{:#}`) shows the
//! source line with the span underlined, like rustc (drawn by annotate-snippets, with the
//! feature `pretty`; without it, the position only).

use std::fmt;
use std::ops::Range;

mod location;
#[cfg(feature = "pretty")]
mod snippet;

pub use location::Location;

/// What kind of error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The template does not lex or parse.
    Syntax,
    /// A directive is malformed in a way found before rendering (e.g. `#foreach` without `in`).
    Directive,
    /// A directive the profile does not allow (`#include`/`#parse` on API Gateway).
    NotAllowed,
    /// A Java exception raised by a method the template called, or another render failure.
    Render,
    /// A resource limit: template size, nesting, fuel, output size, macro depth.
    Limit,
    /// Bad input to the engine (e.g. a request that is not the expected shape).
    Input,
}

impl ErrorKind {
    /// A short lowercase name (`syntax error`, `render error`, …).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Directive => "directive error",
            ErrorKind::NotAllowed => "not allowed",
            ErrorKind::Render => "render error",
            ErrorKind::Limit => "limit exceeded",
            ErrorKind::Input => "input error",
        }
    }

    /// A stable machine name (`syntax`, `render`, …) used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Directive => "directive",
            ErrorKind::NotAllowed => "not_allowed",
            ErrorKind::Render => "render",
            ErrorKind::Limit => "limit",
            ErrorKind::Input => "input",
        }
    }

    /// True for errors found while compiling (the template itself is wrong).
    pub fn is_compile_time(self) -> bool {
        matches!(
            self,
            ErrorKind::Syntax | ErrorKind::Directive | ErrorKind::NotAllowed
        )
    }
}

/// An error from compiling or rendering a template.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    location: Option<Location>,
    opened_at: Option<Location>,
    hint: Option<String>,
    name: Option<String>,
}

impl Error {
    /// An error without a location.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            location: None,
            opened_at: None,
            hint: None,
            name: None,
        }))
    }

    /// An error at a byte range of `source`.
    pub fn at(
        kind: ErrorKind,
        message: impl Into<String>,
        source: &str,
        span: Range<usize>,
    ) -> Error {
        let mut e = Error::new(kind, message);
        e.0.location = Some(Location::resolve(source, span));
        e
    }

    pub(crate) fn with_opened_at(mut self, source: &str, span: Range<usize>) -> Error {
        self.0.opened_at = Some(Location::resolve(source, span));
        self
    }

    /// Adds a hint shown by the pretty form.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.0.hint = Some(hint.into());
        self
    }

    /// Names the template (a file name) for messages.
    pub fn with_name(mut self, name: impl Into<String>) -> Error {
        self.0.name = Some(name.into());
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Where in the template, if known.
    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// Byte range in the template, if known.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.location.as_ref().map(|l| l.span.clone())
    }

    /// 1-based line, if known.
    pub fn line(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.line)
    }

    /// 1-based column (in characters), if known.
    pub fn column(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.column)
    }

    /// Where the construct this error is about was opened (e.g. an unclosed `#if`).
    pub fn opened_at(&self) -> Option<&Location> {
        self.0.opened_at.as_ref()
    }

    /// A hint for fixing it, if any.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// The template's name, if one was given.
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The machine-readable shape shared by the CLI (`--error-format json`) and the
    /// playground: `{kind, message, line, column, start, end}` (positions null when unknown;
    /// `line`/`column` are 1-based, `start`/`end` are byte offsets).
    pub fn to_json(&self) -> serde_json::Value {
        let loc = self.0.location.as_ref();
        let mut v = serde_json::json!({
            "kind": self.0.kind.name(),
            "message": self.0.message,
            "line": loc.map(|l| l.line),
            "column": loc.map(|l| l.column),
            "start": loc.map(|l| l.span.start),
            "end": loc.map(|l| l.span.end),
        });
        if let Some(hint) = &self.0.hint {
            v["hint"] = serde_json::Value::String(hint.clone());
        }
        if let Some(open) = &self.0.opened_at {
            v["openedAt"] = serde_json::json!({
                "line": open.line, "column": open.column,
                "start": open.span.start, "end": open.span.end,
            });
        }
        v
    }

    fn write_pretty(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error[{}]: {}", self.0.kind.name(), self.0.message)?;
        let name = self.0.name.as_deref().unwrap_or("<template>");
        if let Some(loc) = &self.0.location {
            write_snippet(f, name, loc)?;
        }
        if let Some(open) = &self.0.opened_at {
            writeln!(f, "note: opened here")?;
            write_snippet(f, name, open)?;
        }
        if let Some(hint) = &self.0.hint {
            writeln!(f, "  = help: {hint}")?;
        }
        Ok(())
    }
}

/// `--> name:line:column`, then (with the feature `pretty`) the source line with the span
/// underlined.
fn write_snippet(f: &mut fmt::Formatter<'_>, name: &str, loc: &Location) -> fmt::Result {
    // annotate-snippets is given the line alone (or the part of it that is shown), so the
    // position is written here: it is the template's, not the excerpt's.
    let gutter = loc.line.to_string().len();
    writeln!(f, "{:gutter$}--> {name}:{}:{}", "", loc.line, loc.column)?;
    #[cfg(feature = "pretty")]
    writeln!(f, "{}", snippet::render(loc))?;
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return self.write_pretty(f);
        }
        write!(f, "{}", self.0.kind.label())?;
        if let Some(loc) = &self.0.location {
            if let Some(name) = &self.0.name {
                write!(f, " at {name}:{}:{}", loc.line, loc.column)?;
            } else {
                write!(f, " at {}:{}", loc.line, loc.column)?;
            }
        }
        write!(f, ": {}", self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("span", &self.span())
            .finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let src = "ab\nçd $x\n";
        let e = Error::at(ErrorKind::Render, "boom", src, 7..9);
        assert_eq!(e.line(), Some(2));
        assert_eq!(e.column(), Some(4));
        assert_eq!(e.to_string(), "render error at 2:4: boom");
        let pretty = format!("{e:#}");
        assert!(pretty.contains(" --> <template>:2:4\n"), "{pretty}");
        if cfg!(feature = "pretty") {
            assert!(pretty.contains("2 | çd $x"), "{pretty}");
            assert!(pretty.contains("   ^^"), "{pretty}");
        }
    }

    #[test]
    fn pretty_form_with_a_note_and_a_hint() {
        let src = "#if($a)\n\n\n\n\n\n\n\n\n\nx";
        let e = Error::at(ErrorKind::Syntax, "not closed", src, src.len()..src.len())
            .with_opened_at(src, 0..3)
            .with_hint("close it");
        let want = if cfg!(feature = "pretty") {
            "error[syntax]: not closed
  --> <template>:11:2
   |
11 | x
   |  ^
note: opened here
 --> <template>:1:1
  |
1 | #if($a)
  | ^^^
  = help: close it
"
        } else {
            "error[syntax]: not closed
  --> <template>:11:2
note: opened here
 --> <template>:1:1
  = help: close it
"
        };
        assert_eq!(format!("{e:#}"), want);
        let e = Error::new(ErrorKind::Render, "no place").with_hint("none");
        assert_eq!(
            format!("{e:#}"),
            "error[render]: no place\n  = help: none\n"
        );
    }
}
