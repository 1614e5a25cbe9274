//! json-smart's parse error, and the nesting bound its parser keeps.

use std::fmt;

/// The deepest nesting of arrays and objects the parser accepts (json-smart's `MAX_DEPTH`).
pub const MAX_DEPTH: usize = 400;

/// A json-smart `ParseException` (or the `NumberFormatException` that escapes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The exception message, in json-smart's wording where it has one.
    pub message: String,
}

impl JsonError {
    pub(crate) fn new(message: impl Into<String>) -> JsonError {
        JsonError {
            message: message.into(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}
