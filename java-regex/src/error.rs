//! What the crate throws: [`Throwable`], a Java exception or error by class name and message,
//! and the builder of `PatternSyntaxException` messages.

use std::fmt;

/// `java.util.regex.PatternSyntaxException`: the pattern does not compile.
pub(crate) const PATTERN_SYNTAX_EXCEPTION: &str = "java.util.regex.PatternSyntaxException";
/// `java.lang.IllegalArgumentException`: a malformed replacement string.
pub(crate) const ILLEGAL_ARGUMENT_EXCEPTION: &str = "java.lang.IllegalArgumentException";
/// `java.lang.IndexOutOfBoundsException`: a replacement names a group the pattern lacks.
pub(crate) const INDEX_OUT_OF_BOUNDS_EXCEPTION: &str = "java.lang.IndexOutOfBoundsException";
/// `java.lang.StackOverflowError`: a search ran out of its step or backtracking bound.
pub(crate) const STACK_OVERFLOW_ERROR: &str = "java.lang.StackOverflowError";

/// A Java exception (or error) that `java.util.regex` would throw: its class and message.
///
/// The classes are `java.util.regex.PatternSyntaxException` (a pattern that does not
/// compile), `java.lang.IllegalArgumentException` and `java.lang.IndexOutOfBoundsException`
/// (a bad replacement string), and `java.lang.StackOverflowError` (a search that went past
/// its work bound, where Java would overflow its stack or run on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throwable {
    /// The fully qualified class, e.g. `java.util.regex.PatternSyntaxException`.
    pub class: &'static str,
    /// `getMessage()`, as JDK 17 words it; empty when Java's message is null.
    pub message: String,
}

impl Throwable {
    /// A throwable of `class` with `message`.
    pub(crate) fn new(class: &'static str, message: impl Into<String>) -> Throwable {
        Throwable {
            class,
            message: message.into(),
        }
    }
}

impl fmt::Display for Throwable {
    /// `Throwable.toString()`: `class: message`, or just the class when there is no message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.class)
        } else {
            write!(f, "{}: {}", self.class, self.message)
        }
    }
}

impl std::error::Error for Throwable {}

/// Builds Java's `PatternSyntaxException` (`getMessage()` layout of JDK 17).
pub(crate) fn syntax_error(desc: &str, pattern: &[char], index: isize) -> Throwable {
    let mut msg = String::from(desc);
    if index >= 0 {
        msg.push_str(&format!(" near index {index}"));
    }
    msg.push('\n');
    msg.extend(pattern.iter());
    // The index counts code points; Java compares it with the UTF-16 length.
    let utf16_len: usize = pattern.iter().map(|c| c.len_utf16()).sum();
    if index >= 0 && (index as usize) < utf16_len {
        msg.push('\n');
        for _ in 0..index {
            msg.push(' ');
        }
        msg.push('^');
    }
    Throwable::new(PATTERN_SYNTAX_EXCEPTION, msg)
}
