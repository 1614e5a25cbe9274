//! `String.format` (`java.util.Formatter` with the English locale), digit for digit: `%f`/`%e`/
//! `%g` round Java's `FloatingDecimal` digits half-up, so `%.2f` of `1.005` is `1.01`.
//!
//! Files: `spec.rs` reads the format string and holds the padding and sign rules, `float.rs`
//! prints the floating-point conversions; this file prints each argument.

mod float;
mod spec;

use crate::java::JavaException;
use float::*;
use spec::*;

/// `String.format(format, args...)` (English locale, `\n` line separator). Date/time (`%t`)
/// and hexadecimal floating point (`%a`) conversions are not supported.
pub fn format(fmt: &str, args: &[crate::value::Value]) -> Result<String, JavaException> {
    let pieces = parse_format(fmt)?;
    let mut out = String::new();
    let mut last: i64 = -1;
    let mut lasto: i64 = -1;
    for piece in &pieces {
        let spec = match piece {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Spec(s) => s,
        };
        let missing = || {
            format_error(
                "MissingFormatArgumentException",
                format!("Format specifier '{}'", spec.text()),
            )
        };
        let arg = match spec.index {
            -2 => None,
            -1 => {
                if last < 0 || last as usize >= args.len() {
                    return Err(missing());
                }
                args.get(last as usize)
            }
            0 => {
                lasto += 1;
                last = lasto;
                if last as usize >= args.len() {
                    return Err(missing());
                }
                args.get(last as usize)
            }
            n => {
                last = n as i64 - 1;
                if last as usize >= args.len() {
                    return Err(missing());
                }
                args.get(last as usize)
            }
        };
        print_spec(spec, arg.unwrap_or(&crate::value::Value::Null), &mut out)?;
    }
    Ok(out)
}

fn conversion_error(spec: &Spec, arg: &crate::value::Value) -> JavaException {
    format_error(
        "IllegalFormatConversionException",
        format!("{} != {}", spec.conv, arg.class_name()),
    )
}

fn print_spec(
    spec: &Spec,
    arg: &crate::value::Value,
    out: &mut String,
) -> Result<(), JavaException> {
    use crate::java::decimal::{as_big_decimal, as_java_float};
    use crate::value::Value;
    match spec.conv {
        'n' => out.push('\n'),
        '%' => justify(spec, "%", out),
        'b' => {
            let s = match arg {
                Value::Null => "false".to_string(),
                Value::Bool(b) => b.to_string(),
                _ => "true".to_string(),
            };
            print_text(spec, &s, out);
        }
        'h' => {
            let s = match arg {
                Value::Null => "null".to_string(),
                other => match crate::java::hash::java_hash_code(other) {
                    Some(Ok(h)) => format!("{:x}", h as u32),
                    Some(Err(e)) => return Err(e),
                    None => format!("{:x}", (other as *const Value as usize >> 3) as u32),
                },
            };
            print_text(spec, &s, out);
        }
        's' => {
            if spec.has(FLAG_ALT) {
                return Err(spec.mismatch(FLAG_ALT));
            }
            let s = arg.to_java_string().unwrap_or_else(|| "null".to_string());
            print_text(spec, &s, out);
        }
        'c' => {
            let s = match arg {
                Value::Null => "null".to_string(),
                Value::Int(i) => match char::from_u32(*i as u32) {
                    Some(c) => c.to_string(),
                    None if (0xD800..0xE000).contains(i) => "?".to_string(),
                    None => {
                        return Err(format_error(
                            "IllegalFormatCodePointException",
                            format!("Code point = {:#x}", *i as u32),
                        ))
                    }
                },
                // A one-character String stands for a Character (what charAt returns).
                Value::Str(s) if s.chars().count() == 1 => s.to_string(),
                other => return Err(conversion_error(spec, other)),
            };
            let s = if spec.has(FLAG_UPPER) {
                s.to_uppercase()
            } else {
                s
            };
            justify(spec, &s, out);
        }
        'd' | 'o' | 'x' => match arg {
            Value::Null => print_text(spec, "null", out),
            Value::Int(i) => {
                let v = if *i < 0 && spec.conv != 'd' {
                    *i as i64 + (1i64 << 32)
                } else {
                    *i as i64
                };
                print_long(spec, v, out)?;
            }
            Value::Long(l) => print_long(spec, *l, out)?,
            Value::BigInt(b) => print_bigint(spec, b, out),
            other => return Err(conversion_error(spec, other)),
        },
        'e' | 'f' | 'g' => {
            if let Some(f) = as_java_float(arg) {
                print_double(spec, f as f64, out);
            } else if let Some(d) = as_big_decimal(arg) {
                print_decimal(spec, d, out)?;
            } else {
                match arg {
                    Value::Null => print_text(spec, "null", out),
                    Value::Double(d) => print_double(spec, *d, out),
                    other => return Err(conversion_error(spec, other)),
                }
            }
        }
        'a' => {
            return Err(format_error(
                "UnknownFormatConversionException",
                "Conversion = 'a' (hexadecimal floating point is not supported)",
            ))
        }
        _ => {}
    }
    Ok(())
}

fn print_long(spec: &Spec, value: i64, out: &mut String) -> Result<(), JavaException> {
    let mut sb = String::new();
    match spec.conv {
        'd' => {
            let neg = value < 0;
            let digits = value.unsigned_abs().to_string();
            leading_sign(spec, neg, &mut sb);
            localized_magnitude(spec, &mut sb, &digits, adjust_width(spec.width, spec, neg));
            trailing_sign(spec, neg, &mut sb);
        }
        _ => {
            spec.check_bad(FLAG_PAREN | FLAG_SPACE | FLAG_PLUS)?;
            let hex = spec.conv == 'x';
            let mut s = if hex {
                format!("{:x}", value as u64)
            } else {
                format!("{:o}", value as u64)
            };
            let prefix = match (spec.has(FLAG_ALT), hex, spec.has(FLAG_UPPER)) {
                (false, _, _) => "",
                (true, false, _) => "0",
                (true, true, false) => "0x",
                (true, true, true) => "0X",
            };
            sb.push_str(prefix);
            let len = (s.len() + prefix.len()) as i32;
            if spec.has(FLAG_ZERO) {
                for _ in len..spec.width {
                    sb.push('0');
                }
            }
            if spec.has(FLAG_UPPER) {
                s = s.to_ascii_uppercase();
            }
            sb.push_str(&s);
        }
    }
    justify(spec, &sb, out);
    Ok(())
}

fn print_bigint(spec: &Spec, value: &num_bigint::BigInt, out: &mut String) {
    use num_traits::Signed;
    let mut sb = String::new();
    let neg = value.is_negative();
    let v = value.abs();
    leading_sign(spec, neg, &mut sb);
    match spec.conv {
        'd' => localized_magnitude(
            spec,
            &mut sb,
            &v.to_string(),
            adjust_width(spec.width, spec, neg),
        ),
        _ => {
            let hex = spec.conv == 'x';
            let mut s = v.to_str_radix(if hex { 16 } else { 8 });
            let mut len = (s.len() + sb.len()) as i32;
            if neg && spec.has(FLAG_PAREN) {
                len += 1;
            }
            if spec.has(FLAG_ALT) {
                if hex {
                    len += 2;
                    sb.push_str(if spec.has(FLAG_UPPER) { "0X" } else { "0x" });
                } else {
                    len += 1;
                    sb.push('0');
                }
            }
            if spec.has(FLAG_ZERO) {
                for _ in len..spec.width {
                    sb.push('0');
                }
            }
            if spec.has(FLAG_UPPER) {
                s = s.to_ascii_uppercase();
            }
            sb.push_str(&s);
        }
    }
    trailing_sign(spec, neg, &mut sb);
    justify(spec, &sb, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `String.format` vectors from JDK 17 (`engine/tests/java/FormatVectors.java`).
    const FORMAT_VECTORS: &str = include_str!("../../../tests/java/format_vectors.jsonl");

    fn format_arg(a: &str) -> crate::value::Value {
        use crate::value::Value;
        let (kind, v) = a.split_at(2);
        match &kind[..1] {
            "i" => Value::Int(v.parse().expect("int")),
            "l" => Value::Long(v.parse().expect("long")),
            "d" => Value::Double(v.parse().expect("double")),
            "f" => crate::java::decimal::float_value(v.parse().expect("float")),
            "s" => Value::str(v),
            "b" => Value::Bool(v == "true"),
            "B" => Value::BigInt(std::rc::Rc::new(v.parse().expect("bigint"))),
            "D" => {
                let (mant, exp) = match v.find(['e', 'E']) {
                    Some(i) => (&v[..i], v[i + 1..].parse::<i32>().expect("exp")),
                    None => (v, 0),
                };
                let scale = mant.find('.').map_or(0, |i| (mant.len() - i - 1) as i32) - exp;
                let unscaled = mant.replace('.', "").parse().expect("unscaled");
                Value::Object(std::rc::Rc::new(crate::java::decimal::BigDecimal {
                    unscaled,
                    scale,
                }))
            }
            _ => Value::Null,
        }
    }

    #[test]
    fn format_matches_java_vectors() {
        let mut failures = Vec::new();
        let mut n = 0;
        for line in FORMAT_VECTORS.lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let fmt = v["format"].as_str().unwrap_or_default();
            let args: Vec<crate::value::Value> = v["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| format_arg(a.as_str().unwrap_or_default()))
                .collect();
            if fmt.contains("%t") || fmt.contains("%a") {
                continue; // unsupported conversions
            }
            n += 1;
            let got = format(fmt, &args);
            let ok = match (&got, v.get("result"), v.get("error")) {
                (Ok(g), Some(r), _) => r.as_str() == Some(g.as_str()),
                (Err(e), _, Some(err)) => err.as_str() == Some(e.to_string().as_str()),
                _ => false,
            };
            if !ok {
                failures.push(format!("{line}\n   got {got:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {n} failed:\n{}",
            failures.len(),
            failures[..failures.len().min(40)].join("\n")
        );
    }
}
