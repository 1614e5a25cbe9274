//! Reading templates and JSON inputs (files or stdin) and writing output, with error messages
//! that name the file.

use std::io::{Read, Write};
use std::path::Path;

use crate::failure::Failure;

/// The name used for standard input in arguments and messages.
pub const STDIN: &str = "-";

/// The most any input file is read (templates, requests, variables): 64 MiB.
pub const MAX_INPUT: usize = 64 * 1024 * 1024;

/// Reads a whole file, or standard input when `path` is `-`, as UTF-8 text, up to
/// [`MAX_INPUT`] bytes.
pub fn read_text(path: &str) -> Result<String, Failure> {
    read_text_limited(path, MAX_INPUT, "input")
}

/// Reads at most `max` bytes (one more tells that the input is larger, without reading it
/// all); `what` names the input in the error (`template`, `body`).
pub fn read_text_limited(path: &str, max: usize, what: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let limit = max as u64 + 1;
    if path == STDIN {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| Failure::usage(format!("{path}: {e}")))?;
    }
    if bytes.len() > max {
        return Err(Failure::usage(format!(
            "{}: the {what} is larger than the limit of {max} bytes",
            display_name(path)
        )));
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
            e.column().max(1)
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

/// `--error-format`: how errors and diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    /// rustc-like text with the source line and a caret.
    Human,
    /// One JSON object per line (`{kind, message, line, column, start, end, …}`).
    Json,
}

/// `--color`: when to colour messages on standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Only when standard error is a terminal (and `NO_COLOR` is not set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    /// Whether to colour standard error.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

/// Colours a human-readable report: `error`/`warning`/`note` at the start of a line and the
/// carets under a source line. Returns `text` unchanged when `on` is false.
pub fn paint(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    const RED: &str = "\x1b[1;31m";
    const YELLOW: &str = "\x1b[1;33m";
    const CYAN: &str = "\x1b[1;36m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let word = ["error", "warning", "note"]
            .into_iter()
            .find(|w| line.starts_with(w) && !line[w.len()..].starts_with(char::is_alphanumeric));
        if let Some(word) = word {
            let color = match word {
                "error" => RED,
                "warning" => YELLOW,
                _ => CYAN,
            };
            out.push_str(&format!("{color}{word}{RESET}{}", &line[word.len()..]));
            continue;
        }
        // A caret line: gutter, `|`, spaces, then `^^^` (and maybe a label).
        let caret_line = line.split_once(" | ").filter(|(gutter, rest)| {
            gutter.trim().is_empty() && rest.trim_start().starts_with('^')
        });
        match caret_line {
            Some((gutter, rest)) => {
                let pad = rest.len() - rest.trim_start().len();
                let carets = rest.trim_start();
                let n = carets.len() - carets.trim_start_matches('^').len();
                out.push_str(&format!(
                    "{gutter} | {}{RED}{}{RESET}{}",
                    &rest[..pad],
                    &carets[..n],
                    &carets[n..]
                ));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A rustc-like report: `{severity}: {message}`, then `--> name:line:column`, the source line
/// and a caret under `span` (columns and `span` from `loc`), then `= help: {hint}`.
pub fn report(
    severity: &str,
    message: &str,
    name: &str,
    loc: Option<&vtl::Location>,
    hint: Option<&str>,
) -> String {
    let mut out = format!("{severity}: {message}\n");
    if let Some(loc) = loc {
        let width = loc.span.end.saturating_sub(loc.span.start);
        out.push_str(&snippet(name, loc.line, loc.column, &loc.line_text, width));
    }
    if let Some(hint) = hint {
        out.push_str(&format!("  = help: {hint}\n"));
    }
    out
}

/// `--> name:line:column`, the line and a caret `width` bytes wide (at least one, at most to
/// the end of the line). `column` is 1-based, in characters. Long lines are cut around the column.
pub fn snippet(name: &str, line: usize, column: usize, line_text: &str, width: usize) -> String {
    const WINDOW: usize = 100;
    let gutter = line.to_string().len();
    let chars = line_text.chars().count();
    let (shown, col) = if chars > WINDOW {
        let skip = column
            .saturating_sub(WINDOW / 2)
            .min(chars.saturating_sub(WINDOW));
        let middle: String = line_text.chars().skip(skip).take(WINDOW).collect();
        let pre = if skip > 0 { "…" } else { "" };
        let post = if skip + WINDOW < chars { "…" } else { "" };
        (
            format!("{pre}{middle}{post}"),
            column - skip + usize::from(skip > 0),
        )
    } else {
        (line_text.to_string(), column)
    };
    let before: String = shown.chars().take(col.saturating_sub(1)).collect();
    let pad = before.replace('\t', "    ").chars().count();
    let mut len = 0;
    let mut bytes = 0;
    for c in shown.chars().skip(col.saturating_sub(1)) {
        if bytes >= width || c == '…' {
            break;
        }
        bytes += c.len_utf8();
        len += 1;
    }
    let carets = "^".repeat(len.max(1));
    let blank = " ".repeat(gutter);
    format!(
        "{blank}--> {name}:{line}:{column}\n{blank} |\n{line} | {}\n{blank} | {}{carets}\n",
        shown.replace('\t', "    "),
        " ".repeat(pad)
    )
}
