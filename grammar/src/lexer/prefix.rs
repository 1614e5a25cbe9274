//! Velocity's prefix rules (`MORE` in its grammar: `#`, `#*`, `$` with backslashes, …), where
//! comments end, and what an abandoned prefix prints.

/// Where a comment whose text starts at `body` ends: after the newline of a line comment, or
/// after the `*#` of a block comment. Inside comments Velocity's lexer still matches its
/// prefix rules (`#`, `#*`, `#**x`, `#[[`, `$` with backslashes and `!`/`#`), so `#*` can eat
/// the `*` of a `*#` and `#**` the newline after it; a template that ends right after such a
/// prefix is a lexical error. `Ok(None)`: the comment runs to the end of the template;
/// otherwise its end and whether any character was skipped before it.
pub(super) fn comment_end(src: &str, body: usize, line: bool) -> Result<Option<(usize, bool)>, ()> {
    let b = src.as_bytes();
    let mut i = body;
    let mut after_prefix = false;
    let mut skipped = false;
    while i < b.len() {
        let c = b[i];
        // The common case, an ASCII character that neither ends the comment nor starts a
        // prefix: what the general steps below do with it, in one.
        if c < 0x80 && !matches!(c, b'#' | b'\\' | b'$' | b'*' | b'\n' | b'\r') {
            after_prefix = false;
            skipped = true;
            i += 1;
            continue;
        }
        if line && (c == b'\n' || c == b'\r') {
            let n = if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            return Ok(Some((i + n, skipped)));
        }
        if !line && c == b'*' && b.get(i + 1) == Some(&b'#') {
            return Ok(Some((i + 2, skipped)));
        }
        let prefix = prefix_len(&src[i..]);
        if prefix > 0 {
            i += prefix;
            after_prefix = true;
            continue;
        }
        after_prefix = false;
        skipped = true;
        i += src[i..].chars().next().map_or(1, char::len_utf8);
    }
    if after_prefix {
        Err(())
    } else {
        Ok(None)
    }
}

/// The length of the prefix (one of Velocity's `MORE` rules) that starts `rest`, or 0.
fn prefix_len(rest: &str) -> usize {
    let b = rest.as_bytes();
    match b.first() {
        Some(b'#') => {
            if let Some(ch) = rest.strip_prefix("#**").and_then(|r| r.chars().next()) {
                if ch != '#' {
                    return 3 + ch.len_utf8();
                }
            }
            if rest.starts_with("#[[") {
                3
            } else if rest.starts_with("#*") {
                2
            } else {
                1
            }
        }
        Some(b'\\') | Some(b'$') => {
            let mut j = b.iter().take_while(|&&c| c == b'\\').count();
            if b.get(j) != Some(&b'$') {
                return 0;
            }
            j += 1;
            let k = j + b[j..].iter().take_while(|&&c| c == b'\\').count();
            if matches!(b.get(k), Some(b'!') | Some(b'#')) {
                k + 1
            } else {
                j
            }
        }
        _ => 0,
    }
}

/// Velocity's `NodeUtils.specialText`: of an abandoned prefix, only `$`, `#` and runs of
/// backslashes that end in `$` are printed.
pub(super) fn special_text(image: &str, out: &mut String) {
    let b = image.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'#' || c == b'$' {
            out.push(c as char);
        }
        if c == b'\\' {
            let mut j = i;
            while j < b.len() && b[j] == b'\\' {
                j += 1;
            }
            if j < b.len() && b[j] == b'$' {
                out.push_str(&image[i..=j]);
                i = j;
            }
        }
        i += 1;
    }
}
