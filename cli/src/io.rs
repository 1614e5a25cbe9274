//! Reading templates and JSON inputs (files or stdin) and writing output, with error messages
//! that name the file.

use std::io::{Read, Write};
use std::path::Path;

use crate::Failure;

/// The name used for standard input in arguments and messages.
pub const STDIN: &str = "-";

/// Reads a whole file, or standard input when `path` is `-`, as UTF-8 text.
pub fn read_text(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    if path == STDIN {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| Failure::usage(format!("{path}: {e}")))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure::usage(format!(
            "{}: not valid UTF-8 (at byte {})",
            display_name(path),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads and parses a JSON document, reporting syntax errors as `FILE:LINE:COLUMN`.
pub fn read_json(path: &str) -> Result<serde_json::Value, Failure> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        // serde_json's Display appends " at line L column C"; the position is printed up front.
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        Failure::usage(format!(
            "{}:{}:{}: invalid JSON: {message}",
            display_name(path),
            e.line(),
            e.column()
        ))
    })
}

/// Writes `text` to `path`, or to standard output when `path` is `None` or `-`.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<(), Failure> {
    match path {
        Some(p) if p.as_os_str() != STDIN => {
            std::fs::write(p, text).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))
        }
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::usage(format!("cannot write standard output: {e}")))
        }
    }
}

/// How a path is shown in messages (`<stdin>` for `-`).
pub fn display_name(path: &str) -> &str {
    if path == STDIN {
        "<stdin>"
    } else {
        path
    }
}
