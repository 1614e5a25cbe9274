//! Errors of loading a spec: a malformed document, a part of it this crate cannot use (named by
//! its JSON pointer), or a mapping template that does not compile (the engine's error, with the
//! template's place in the spec).

use std::fmt;

/// Why a spec could not be loaded, or a template could not run.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    pointer: Option<String>,
    template: Option<vtl::Error>,
}

/// What kind of error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The document is not JSON or YAML.
    Syntax,
    /// A part of the spec is malformed or unsupported (see [`Error::pointer`]).
    Spec,
    /// A mapping template does not compile (see [`Error::template_error`]).
    TemplateCompile,
    /// A mapping template failed while rendering.
    TemplateRender,
}

impl Error {
    pub(crate) fn syntax(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, message, None)
    }

    pub(crate) fn spec(pointer: &str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Spec, message, Some(pointer.to_string()))
    }

    /// A template that failed to render.
    pub(crate) fn template(pointer: &str, error: vtl::Error) -> Error {
        Error::template_as(ErrorKind::TemplateRender, pointer, error)
    }

    /// A template that failed to compile (a syntax error, or a limit such as its size).
    pub(crate) fn template_compile(pointer: &str, error: vtl::Error) -> Error {
        Error::template_as(ErrorKind::TemplateCompile, pointer, error)
    }

    fn template_as(kind: ErrorKind, pointer: &str, error: vtl::Error) -> Error {
        let message = error.message().to_string();
        let mut e = Error::new(kind, message, Some(pointer.to_string()));
        e.0.template = Some(error.with_name(pointer.to_string()));
        e
    }

    fn new(kind: ErrorKind, message: impl Into<String>, pointer: Option<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            pointer,
            template: None,
        }))
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message, without the location.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The JSON pointer (RFC 6901) of the part of the spec at fault, e.g.
    /// `/paths/~1pets~1{id}/get/x-amazon-apigateway-integration/type`.
    pub fn pointer(&self) -> Option<&str> {
        self.0.pointer.as_deref()
    }

    /// The engine's error when a template is at fault (its name is the template's pointer), for
    /// a rustc-style snippet with `{:#}`.
    pub fn template_error(&self) -> Option<&vtl::Error> {
        self.0.template.as_ref()
    }
}

impl fmt::Display for Error {
    /// One line (`at /paths/...: message`); the alternate form (`{:#}`) of a template error is
    /// the engine's snippet, named by the template's pointer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            if let Some(t) = &self.0.template {
                return write!(f, "{t:#}");
            }
        }
        match (&self.0.template, &self.0.pointer) {
            (Some(t), _) => write!(f, "{t}"),
            (None, Some(p)) => write!(f, "{p}: {}", self.0.message),
            (None, None) => f.write_str(&self.0.message),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("pointer", &self.0.pointer)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Appends one RFC 6901 reference token to a pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(push_pointer("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(push_pointer("", "a~b"), "/a~0b");
    }

    #[test]
    fn display_names_the_pointer() {
        let e = Error::spec("/paths/~1a/get", "bad");
        assert_eq!(e.to_string(), "/paths/~1a/get: bad");
        assert_eq!(e.kind(), ErrorKind::Spec);
    }
}
