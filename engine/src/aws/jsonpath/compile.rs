//! The path compiler (Jayway 2.0.0's `PathCompiler` and its `PathComponentAnalyzer`), and
//! the filter parser (`Filter.parse`).

use std::rc::Rc;
use std::sync::Arc;

use super::path::*;
use crate::java::regex::JavaRegex;
use crate::value::{Key, Value};

pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

pub(crate) fn out_of_range() -> PathError {
    PathError::invalid("java.lang.StringIndexOutOfBoundsException")
}

pub(crate) fn compile(path: &str) -> Result<JsonPath, PathError> {
    if path.is_empty() {
        return Err(PathError::invalid("Path may not be null empty"));
    }
    let trimmed = java_trim(path);
    if trimmed.ends_with("..") {
        return Err(PathError::invalid("A path can not end with a scan."));
    }
    let mut s: Vec<char> = trimmed.chars().collect();
    let first = *s.first().ok_or_else(out_of_range)?;
    if first != '$' && first != '@' {
        s.splice(0..0, ['$', '.']);
    }
    let root_path = s[0] == '$';
    s[0] = '$';
    if s.len() > 1 && s[1] != '.' && s[1] != '[' {
        return Err(PathError::invalid(format!(
            "Invalid path {}",
            s.iter().collect::<String>()
        )));
    }

    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    loop {
        let fragment: Vec<char> = match s[i] {
            ' ' => return Err(PathError::invalid("Space not allowed in path")),
            '$' => {
                i += 1;
                vec!['$']
            }
            '[' => {
                let n = fast_forward_until_closed(&s, i);
                let f = s[i..i + n].to_vec();
                i += n;
                f
            }
            '.' => {
                i += 1;
                let c = *s.get(i).ok_or_else(out_of_range)?;
                if c == '.' {
                    i += 1;
                    vec!['.', '.']
                } else {
                    let n = fast_forward(&s, i);
                    if n == 0 {
                        if i < s.len() {
                            continue;
                        }
                        break;
                    }
                    let f = if n == 1 && s[i] == '*' {
                        "[*]".chars().collect()
                    } else {
                        bracketed(&s[i..i + n])
                    };
                    i += n;
                    f
                }
            }
            '*' => {
                i += 1;
                "[*]".chars().collect()
            }
            _ => {
                let n = fast_forward(&s, i);
                let f = bracketed(&s[i..i + n]);
                i += n;
                f
            }
        };
        let token = analyze(&fragment)?;
        if tokens.is_empty() && !matches!(token, Token::Root) {
            return Err(PathError::invalid("java.lang.ClassCastException"));
        }
        tokens.push(token);
        if i >= s.len() {
            break;
        }
    }

    let mut path_definite = vec![true; tokens.len()];
    let mut definite = true;
    for (idx, t) in tokens.iter().enumerate().rev() {
        definite = definite && t.is_definite();
        path_definite[idx] = definite;
    }
    let property_chain = matches!(tokens.first(), Some(Token::Root))
        && tokens.len() < MAX_EVAL_DEPTH
        && tokens[1..]
            .iter()
            .all(|t| matches!(t, Token::Property(keys) if keys.len() == 1));
    Ok(JsonPath {
        source: path.to_string(),
        tokens,
        path_definite,
        root_path,
        property_chain,
    })
}

pub(crate) fn bracketed(name: &[char]) -> Vec<char> {
    let mut f = vec!['[', '\''];
    f.extend_from_slice(name);
    f.extend_from_slice(&['\'', ']']);
    f
}

pub(crate) fn fast_forward(s: &[char], mut i: usize) -> usize {
    let mut n = 0;
    while i < s.len() && !matches!(s[i], '.' | '[' | ' ') {
        i += 1;
        n += 1;
    }
    n
}

pub(crate) fn fast_forward_until_closed(s: &[char], mut i: usize) -> usize {
    let mut n = 1;
    let mut nested = 0i32;
    i += 1;
    while i < s.len() {
        let c = s[i];
        i += 1;
        n += 1;
        if c == ']' && nested == 0 {
            break;
        }
        if c == '[' {
            nested += 1;
        }
        if c == ']' {
            nested -= 1;
        }
    }
    n
}

pub(crate) fn is_java_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// `^\[\s*\?\s*[,\s*\?]*?\s*]$`: `[?]`, `[?, ?]` … placeholders for filters passed separately.
pub(crate) fn is_placeholder_filter(f: &[char]) -> bool {
    if f.len() < 3 || f[0] != '[' || f[f.len() - 1] != ']' {
        return false;
    }
    let inner = &f[1..f.len() - 1];
    let start = inner.iter().position(|&c| !is_java_space(c));
    match start {
        Some(p) if inner[p] == '?' => inner[p + 1..]
            .iter()
            .all(|&c| c == ',' || c == '*' || c == '?' || is_java_space(c)),
        _ => false,
    }
}

pub(crate) fn analyze(f: &[char]) -> Result<Token, PathError> {
    let text: String = f.iter().collect();
    match text.as_str() {
        "$" => return Ok(Token::Root),
        ".." => return Ok(Token::Scan),
        "[*]" | ".*" => return Ok(Token::Wildcard),
        "[?]" => return Ok(Token::Predicate(vec![None])),
        _ => {}
    }
    if is_placeholder_filter(f) {
        let n = f.iter().filter(|&&c| c == '?').count();
        return Ok(Token::Predicate((0..n).map(|_| None).collect()));
    }
    for (i, &c) in f.iter().enumerate() {
        match c {
            '?' => return analyze_filter(f, i),
            '\'' => return analyze_property(f, i),
            c if c.is_ascii_digit() || c == ':' || c == '-' || c == '@' => {
                return analyze_array(f, i)
            }
            _ => {}
        }
    }
    Err(PathError::invalid(format!(
        "Could not analyze path component: {text}"
    )))
}

pub(crate) fn analyze_property(f: &[char], mut i: usize) -> Result<Token, PathError> {
    let mut props = Vec::new();
    let mut buf = String::new();
    let mut open = false;
    let mut c = f[i];
    while c != ']' {
        if c == '\'' {
            if open {
                props.push(Key(Value::str(&buf)));
                buf.clear();
                open = false;
            } else {
                open = true;
            }
        } else if open {
            buf.push(c);
        }
        i += 1;
        c = *f.get(i).ok_or_else(out_of_range)?;
    }
    Ok(Token::Property(props))
}

pub(crate) fn parse_int(s: &str) -> Result<i32, PathError> {
    s.parse::<i32>().map_err(|_| {
        PathError::invalid(format!(
            "java.lang.NumberFormatException: For input string: \"{s}\""
        ))
    })
}

pub(crate) fn analyze_array(f: &[char], mut i: usize) -> Result<Token, PathError> {
    let at = |i: usize| f.get(i).copied().ok_or_else(out_of_range);
    let mut buf = String::new();
    let mut numbers: Vec<i32> = Vec::new();
    let mut c = f[i];
    let context_size = c == '@';
    let (mut slice_to, mut slice_from, mut slice_between, mut sequence) =
        (false, false, false, false);
    if context_size {
        i += 1;
        at(i)?;
        i += 1;
        c = at(i)?;
        while c != '-' {
            if c != ' ' && c != '(' && c != ')' {
                buf.push(c);
            }
            i += 1;
            c = at(i)?;
        }
        if buf != "size" && buf != "length" {
            return Err(PathError::invalid(format!(
                "Invalid function: @.{buf}. Supported functions are: [(@.length - n)] and [(@.size() - n)]"
            )));
        }
        buf.clear();
        while c != ')' {
            if c != ' ' {
                buf.push(c);
            }
            i += 1;
            c = at(i)?;
        }
    } else {
        let in_set = |c: char| c.is_ascii_digit() || c == ',' || c == ' ' || c == ':' || c == '-';
        while in_set(c) {
            match c {
                ' ' => {}
                ':' => {
                    if buf.is_empty() {
                        slice_to = true;
                        i += 1;
                        c = at(i)?;
                        while c.is_ascii_digit() || c == ' ' || c == '-' {
                            if c != ' ' {
                                buf.push(c);
                            }
                            i += 1;
                            c = at(i)?;
                        }
                        numbers.push(parse_int(&buf)?);
                        buf.clear();
                    } else {
                        numbers.push(parse_int(&buf)?);
                        buf.clear();
                        i += 1;
                        c = at(i)?;
                        while c.is_ascii_digit() || c == ' ' || c == '-' {
                            if c != ' ' {
                                buf.push(c);
                            }
                            i += 1;
                            c = at(i)?;
                        }
                        if buf.is_empty() {
                            slice_from = true;
                        } else {
                            slice_between = true;
                            numbers.push(parse_int(&buf)?);
                            buf.clear();
                        }
                    }
                }
                ',' => {
                    numbers.push(parse_int(&buf)?);
                    buf.clear();
                    sequence = true;
                }
                _ => buf.push(c),
            }
            if c == ']' {
                break;
            }
            i += 1;
            c = at(i)?;
        }
    }
    if !buf.is_empty() {
        numbers.push(parse_int(&buf)?);
    }
    let single = numbers.len() == 1 && !slice_to && !slice_from && !context_size;
    let op = if single {
        ArrayOp::Single
    } else if sequence {
        ArrayOp::Sequence
    } else if slice_from {
        ArrayOp::SliceFrom
    } else if slice_to {
        ArrayOp::SliceTo
    } else if slice_between {
        ArrayOp::SliceBetween
    } else if context_size {
        ArrayOp::ContextSize
    } else {
        ArrayOp::Unknown
    };
    Ok(Token::Array(op, numbers))
}

pub(crate) fn analyze_filter(f: &[char], i: usize) -> Result<Token, PathError> {
    let mut start = i;
    while f[start] != '[' {
        start = start.checked_sub(1).ok_or_else(out_of_range)?;
    }
    let mut mem = ' ';
    let mut curr = start;
    let mut in_prop = false;
    let (mut open_square, mut open_paren) = (0i32, 0i32);
    let mut end = 0;
    while end == 0 {
        let c = *f.get(curr).ok_or_else(out_of_range)?;
        match c {
            '(' if !in_prop => open_paren += 1,
            ')' if !in_prop => open_paren -= 1,
            '[' if !in_prop => open_square += 1,
            ']' if !in_prop => {
                open_square -= 1;
                if open_paren == 0 {
                    end = curr + 1;
                }
            }
            '\'' if mem != '\\' => in_prop = !in_prop,
            _ => {}
        }
        mem = c;
        curr += 1;
    }
    if open_paren != 0 || open_square != 0 {
        return Err(PathError::invalid("Filter brackets are not balanced"));
    }
    let text: String = f[start..end].iter().collect();
    Ok(Token::Predicate(vec![Some(parse_filter(&text)?)]))
}

/// `Filter.parse`: `[?( … )]` split around `&&`/`||`, each part a criterion.
pub(crate) fn parse_filter(filter: &str) -> Result<FilterNode, PathError> {
    let mut s = java_trim(filter);
    if !s.starts_with('[') || !s.ends_with(']') {
        return Err(PathError::invalid(format!(
            "Filter must start with '[' and end with ']'. {s}"
        )));
    }
    s = java_trim(&s[1..s.len() - 1]);
    if !s.starts_with('?') {
        return Err(PathError::invalid(format!(
            "Filter must start with '[?' and end with ']'. {s}"
        )));
    }
    s = java_trim(&s[1..]);
    if !s.starts_with('(') || !s.ends_with(')') || s.len() < 2 {
        return Err(PathError::invalid(format!(
            "Filter must start with '[?(' and end with ')]'. {s}"
        )));
    }
    s = java_trim(&s[1..s.len() - 1]);

    let mut operators: Vec<bool> = Vec::new(); // true = &&
    let mut criteria: Vec<FilterNode> = Vec::new();
    for part in split_operators(s) {
        let part = java_trim(part);
        match part {
            "&&" => operators.push(true),
            "||" => operators.push(false),
            _ => criteria.push(FilterNode::Single(parse_criterion(clean_criterion(part)?)?)),
        }
    }
    let invalid = || PathError::invalid(format!("Invalid operators {s}"));
    let mut node = criteria.pop().ok_or_else(invalid)?;
    while let Some(and) = operators.pop() {
        let next = criteria.pop().ok_or_else(invalid)?;
        node = if and {
            node.and(next)
        } else {
            FilterNode::Or(Box::new(node), Box::new(next))
        };
    }
    if !criteria.is_empty() {
        return Err(invalid());
    }
    Ok(node)
}

/// Java's `Pattern.split` on `((?<=&&|\|\|)|(?=&&|\|\|))`: cuts before and after every `&&`
/// and `||`, without a leading empty part and without trailing empty parts.
pub(crate) fn split_operators(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let is_op = |i: usize| {
        i + 1 < b.len()
            && ((b[i] == b'&' && b[i + 1] == b'&') || (b[i] == b'|' && b[i + 1] == b'|'))
    };
    let mut parts = Vec::new();
    let mut last = 0;
    for p in 1..b.len() {
        let after_op = p >= 2 && is_op(p - 2);
        if after_op || is_op(p) {
            parts.push(&s[last..p]);
            last = p;
        }
    }
    parts.push(&s[last..]);
    while parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts
}

/// `Filter.cleanCriteria`: strips leading `[ ? ( space` and trailing `) space`.
pub(crate) fn clean_criterion(s: &str) -> Result<&str, PathError> {
    let b = s.as_bytes();
    let mut i = 0usize;
    while matches!(
        b.get(i).ok_or_else(out_of_range)?,
        b'[' | b'?' | b'(' | b' '
    ) {
        i += 1;
    }
    let mut j = b.len().checked_sub(1).ok_or_else(out_of_range)?;
    while matches!(b[j], b')' | b' ') {
        j = j.checked_sub(1).ok_or_else(out_of_range)?;
    }
    s.get(i..j + 1).ok_or_else(out_of_range)
}

pub(crate) const OPERATORS: [(&str, Op); 7] = [
    ("==", Op::Eq),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("!=", Op::Ne),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("=~", Op::Regex),
];

/// `Criteria.parse` + `Criteria.create`.
pub(crate) fn parse_criterion(c: &str) -> Result<Criterion, PathError> {
    let found = OPERATORS
        .iter()
        .find_map(|(text, op)| c.find(text).map(|at| (at, text.len(), *op)));
    let (left, op, right) = match found {
        Some((at, len, op)) => (java_trim(&c[..at]), Some(op), java_trim(&c[at + len..])),
        None => (java_trim(c), None, ""),
    };
    let is_path = |s: &str| s.starts_with('$') || s.starts_with('@') || s.starts_with("!@");
    let mut exists = true;
    let left_operand = if is_path(left) {
        let text = match left.strip_prefix('!') {
            Some(rest) => {
                exists = false;
                rest
            }
            None => left,
        };
        let p = compile(text)?;
        if !p.is_definite() {
            return Err(PathError::invalid(format!(
                "the predicate path: {text} is not definite"
            )));
        }
        Operand::Path(Box::new(p))
    } else {
        literal_operand(left)?
    };
    let right_operand = if is_path(right) {
        if right.starts_with('!') {
            return Err(PathError::invalid(
                "Invalid negation! Can only be used for existence check e.g [?(!@.foo)]",
            ));
        }
        let p = compile(right)?;
        if !p.is_definite() {
            return Err(PathError::invalid(format!(
                "the predicate path: {right} is not definite"
            )));
        }
        Operand::Path(Box::new(p))
    } else {
        literal_operand(right)?
    };
    match (left_operand, op) {
        (Operand::Path(path), None) => Ok(Criterion::Exists { path, exists }),
        (_, None) => Err(PathError::invalid("CriteriaType  can not be parsed")),
        (left, Some(op)) => Ok(Criterion::Compare {
            left,
            op,
            right: right_operand,
        }),
    }
}

pub(crate) fn literal_operand(s: &str) -> Result<Operand, PathError> {
    let b = s.as_bytes();
    if !b.is_empty() && b[0] == b'\'' && b[b.len() - 1] == b'\'' {
        let inner = s.get(1..s.len().saturating_sub(1)).filter(|_| s.len() >= 2);
        return inner
            .map(|t| Operand::Text(Arc::from(t)))
            .ok_or_else(out_of_range);
    }
    let is_pattern = !b.is_empty()
        && b[0] == b'/'
        && (b[b.len() - 1] == b'/'
            || (b.len() >= 2 && b[b.len() - 2] == b'/' && b[b.len() - 1] == b'i'));
    if is_pattern {
        let last = s.rfind('/').unwrap_or(0);
        let regex = s.get(1..last).ok_or_else(out_of_range)?;
        // Pattern.compile(regex, CASE_INSENSITIVE) for a trailing `i`.
        let flags = if s.ends_with('i') { "(?i)" } else { "" };
        let compiled = JavaRegex::new(&format!("{flags}{regex}"))
            .map_err(|e| PathError::invalid(e.to_string()))?;
        return Ok(Operand::Pattern(Rc::new(compiled), regex.to_string()));
    }
    Ok(Operand::Text(Arc::from(s)))
}
