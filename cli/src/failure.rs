//! How a command fails: its exit status and the text for stderr.

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status for bad usage, unreadable files and malformed JSON inputs.
pub const EXIT_USAGE: u8 = 2;
/// Exit status for a template that does not compile.
pub const EXIT_COMPILE: u8 = 3;
/// Exit status for a template that compiled but failed while rendering.
pub const EXIT_RENDER: u8 = 4;

/// A failed command: what to print on stderr and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// Exit status (one of the `EXIT_*` constants).
    pub code: u8,
    /// Full text for stderr, without a trailing newline.
    pub message: String,
}

impl Failure {
    /// A usage, I/O or input error (exit status 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: format!("error: {}", message.into()),
        }
    }
}
