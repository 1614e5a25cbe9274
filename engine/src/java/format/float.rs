//! `%e`, `%f`, `%g` of `Double`, `Float` and `BigDecimal`: Java's `FloatingDecimal` digits
//! rounded half-up to the precision, laid out as `java.util.Formatter` does.

use super::spec::*;
use crate::java::JavaException;

/// `FormattedFloatingDecimal.applyPrecision`: half-up rounding of the digit string, keeping
/// `prec` digits; returns the (possibly bumped) decimal exponent.
pub(crate) fn apply_precision(dec_exp: i32, digits: &mut [u8], prec: i32) -> i32 {
    let n = digits.len() as i32;
    if prec >= n || prec < 0 {
        return dec_exp;
    }
    if prec == 0 {
        if digits[0] >= b'5' {
            digits[0] = b'1';
            digits[1..].fill(b'0');
            return dec_exp + 1;
        }
        digits.fill(b'0');
        return dec_exp;
    }
    let p = prec as usize;
    if digits[p] >= b'5' {
        let mut i = p - 1;
        let mut q = digits[i];
        if q == b'9' {
            while q == b'9' && i > 0 {
                i -= 1;
                q = digits[i];
            }
            if q == b'9' {
                digits[0] = b'1';
                digits[1..].fill(b'0');
                return dec_exp + 1;
            }
        }
        digits[i] = q + 1;
        digits[i + 1..].fill(b'0');
    } else {
        digits[p..].fill(b'0');
    }
    dec_exp
}

pub(crate) fn push_digits(s: &mut String, d: &[u8]) {
    s.extend(d.iter().map(|&b| b as char));
}

/// `FormattedFloatingDecimal.fillDecimal`.
pub(crate) fn fill_decimal(precision: i32, digits: &[u8], exp: i32) -> String {
    let n = digits.len() as i32;
    let mut s = String::new();
    if exp > 0 {
        if n < exp {
            push_digits(&mut s, digits);
            s.extend(std::iter::repeat_n('0', (exp - n) as usize));
        } else {
            let t = (n - exp).min(precision);
            push_digits(&mut s, &digits[..exp as usize]);
            if t > 0 {
                s.push('.');
                push_digits(&mut s, &digits[exp as usize..(exp + t) as usize]);
            }
        }
    } else {
        let zeros = (-exp).min(precision).max(0);
        let t = n.min(precision + exp).max(0);
        if zeros > 0 || t > 0 {
            s.push_str("0.");
            s.extend(std::iter::repeat_n('0', zeros as usize));
            push_digits(&mut s, &digits[..t as usize]);
        } else {
            s.push('0');
        }
    }
    s
}

/// `FormattedFloatingDecimal.fillScientific`: the mantissa and the exponent (`+05`).
pub(crate) fn fill_scientific(precision: i32, digits: &[u8], exp: i32) -> (String, String) {
    let n = digits.len() as i32;
    let t = (n - 1).min(precision).max(0);
    let mut m = String::new();
    push_digits(&mut m, &digits[..1]);
    if t > 0 {
        m.push('.');
        push_digits(&mut m, &digits[1..(1 + t) as usize]);
    }
    let (sign, e) = if exp <= 0 {
        ('-', -exp + 1)
    } else {
        ('+', exp - 1)
    };
    (m, format!("{sign}{e:02}"))
}

/// `Formatter.addZeros`: pads the fraction with zeros to `prec` digits.
pub(crate) fn add_zeros(m: &mut String, prec: i32) {
    let (dot, frac) = match m.find('.') {
        Some(i) => (true, (m.len() - i - 1) as i32),
        None => (false, 0),
    };
    if frac >= prec {
        return;
    }
    if !dot {
        m.push('.');
    }
    m.extend(std::iter::repeat_n('0', (prec - frac) as usize));
}

pub(crate) fn print_double(spec: &Spec, value: f64, out: &mut String) {
    let mut sb = String::new();
    if value.is_nan() {
        sb.push_str(if spec.has(FLAG_UPPER) { "NAN" } else { "NaN" });
        justify(spec, &sb, out);
        return;
    }
    let neg = value < 0.0 || (value == 0.0 && value.is_sign_negative());
    let v = value.abs();
    leading_sign(spec, neg, &mut sb);
    if v.is_infinite() {
        sb.push_str(if spec.has(FLAG_UPPER) {
            "INFINITY"
        } else {
            "Infinity"
        });
    } else {
        let (mut digits, dec_exp) = crate::java::decimal_digits(v, false);
        match spec.conv {
            'f' => {
                let prec = if spec.precision == -1 {
                    6
                } else {
                    spec.precision
                };
                let exp = apply_precision(dec_exp, &mut digits, dec_exp + prec);
                let mut mant = fill_decimal(prec, &digits, exp);
                add_zeros(&mut mant, prec);
                if spec.has(FLAG_ALT) && prec == 0 {
                    mant.push('.');
                }
                localized_magnitude(spec, &mut sb, &mant, adjust_width(spec.width, spec, neg));
            }
            'e' => {
                let prec = if spec.precision == -1 {
                    6
                } else {
                    spec.precision
                };
                let exp = apply_precision(dec_exp, &mut digits, prec + 1);
                let (mut mant, e) = fill_scientific(prec, &digits, exp);
                add_zeros(&mut mant, prec);
                if spec.has(FLAG_ALT) && prec == 0 {
                    mant.push('.');
                }
                let e = if v == 0.0 { "+00".to_string() } else { e };
                let w = if spec.width == -1 {
                    -1
                } else {
                    adjust_width(spec.width - e.len() as i32 - 1, spec, neg)
                };
                localized_magnitude(spec, &mut sb, &mant, w);
                sb.push(if spec.has(FLAG_UPPER) { 'E' } else { 'e' });
                sb.push_str(&e);
            }
            _ => {
                let mut prec = match spec.precision {
                    -1 => 6,
                    0 => 1,
                    p => p,
                };
                let (mut mant, e, exp_rounded) = if v == 0.0 {
                    ("0".to_string(), None, 0)
                } else {
                    let exp = apply_precision(dec_exp, &mut digits, prec);
                    if exp - 1 < -4 || exp > prec {
                        let (m, e) = fill_scientific(prec - 1, &digits, exp);
                        (m, Some(e), exp - 1)
                    } else {
                        (fill_decimal(prec - exp, &digits, exp), None, exp - 1)
                    }
                };
                if e.is_some() {
                    prec -= 1;
                } else {
                    prec -= exp_rounded + 1;
                }
                add_zeros(&mut mant, prec);
                let w = match (&e, spec.width) {
                    (_, -1) => -1,
                    (Some(e), w) => adjust_width(w - e.len() as i32 - 1, spec, neg),
                    (None, w) => adjust_width(w, spec, neg),
                };
                localized_magnitude(spec, &mut sb, &mant, w);
                if let Some(e) = e {
                    sb.push(if spec.has(FLAG_UPPER) { 'E' } else { 'e' });
                    sb.push_str(&e);
                }
            }
        }
    }
    trailing_sign(spec, neg, &mut sb);
    justify(spec, &sb, out);
}

/// A `BigDecimal` rounded half-up to `digits` significant digits (`MathContext`).
pub(crate) fn round_to_precision(
    unscaled: &num_bigint::BigInt,
    scale: i32,
    digits: u32,
) -> (num_bigint::BigInt, i32) {
    use num_traits::Signed;
    let (mut u, mut s) = (unscaled.clone(), scale);
    loop {
        let len = u.abs().to_string().len() as u32;
        if digits == 0 || len <= digits {
            return (u, s);
        }
        let drop = len - digits;
        let p = num_bigint::BigInt::from(10u32).pow(drop); // drop <= digit count
        let q = &u / &p;
        let r = &u - &q * &p;
        let half = (r.abs() * 2u32).cmp(&p);
        u = if half != std::cmp::Ordering::Less {
            if u.is_negative() {
                q - 1
            } else {
                q + 1
            }
        } else {
            q
        };
        s -= drop as i32;
    }
}

/// `setScale(scale, HALF_UP)`.
pub(crate) fn set_scale_half_up(
    unscaled: &num_bigint::BigInt,
    scale: i32,
    new_scale: i32,
) -> Result<num_bigint::BigInt, JavaException> {
    use num_traits::{Signed, Zero};
    let pow = crate::java::decimal::pow10_checked;
    if new_scale >= scale {
        return Ok(unscaled * pow(new_scale as i64 - scale as i64)?);
    }
    let drop = scale as i64 - new_scale as i64;
    if drop >= unscaled.abs().to_string().len() as i64 + 2 {
        // Far below half a unit of the new scale.
        return Ok(num_bigint::BigInt::zero());
    }
    let p = pow(drop)?;
    let q = unscaled / &p;
    let r = unscaled - &q * &p;
    Ok(if (r.abs() * 2u32) >= p {
        if unscaled.is_negative() {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    })
}

/// `BigDecimalLayout`: mantissa, whether it has a dot, the layout scale, and the exponent
/// (scientific form).
pub(crate) fn decimal_layout(
    unscaled: &num_bigint::BigInt,
    scale: i32,
    scientific: bool,
) -> (String, bool, i32, String) {
    let coeff = unscaled.to_string();
    let c = coeff.as_bytes();
    let mut mant = String::new();
    let mut dot = false;
    let mut exp = String::new();
    let mut out_scale = scale;
    if scale == 0 {
        if c.len() > 1 {
            mant.push(c[0] as char);
            if scientific {
                mant.push('.');
                dot = true;
                push_digits(&mut mant, &c[1..]);
                exp = format!("+{:02}", c.len() - 1);
            } else {
                push_digits(&mut mant, &c[1..]);
            }
        } else {
            mant.push_str(&coeff);
            if scientific {
                exp = "+00".to_string();
            }
        }
    } else if !scientific {
        if scale as i64 >= c.len() as i64 {
            mant.push_str("0.");
            dot = true;
            mant.extend(std::iter::repeat_n('0', scale as usize - c.len()));
            mant.push_str(&coeff);
        } else if scale > 0 {
            let pad = c.len() - scale as usize;
            push_digits(&mut mant, &c[..pad]);
            mant.push('.');
            dot = true;
            push_digits(&mut mant, &c[pad..]);
        } else {
            mant.push_str(&coeff);
            mant.extend(std::iter::repeat_n('0', (-scale) as usize));
            out_scale = 0;
        }
    } else {
        mant.push(c[0] as char);
        if c.len() > 1 {
            mant.push('.');
            dot = true;
            push_digits(&mut mant, &c[1..]);
        }
        let adjusted = -(scale as i64) + (c.len() as i64 - 1);
        exp = if adjusted != 0 {
            format!(
                "{}{:02}",
                if adjusted < 0 { '-' } else { '+' },
                adjusted.abs()
            )
        } else {
            "+00".to_string()
        };
    }
    (mant, dot, out_scale, exp)
}

pub(crate) fn print_decimal(
    spec: &Spec,
    value: &crate::java::decimal::BigDecimal,
    out: &mut String,
) -> Result<(), JavaException> {
    use num_traits::Signed;
    let mut sb = String::new();
    let neg = value.unscaled.is_negative();
    let abs = value.unscaled.abs();
    leading_sign(spec, neg, &mut sb);
    print_decimal_body(
        spec,
        spec.conv,
        spec.precision,
        &abs,
        value.scale,
        neg,
        &mut sb,
    )?;
    trailing_sign(spec, neg, &mut sb);
    justify(spec, &sb, out);
    Ok(())
}

pub(crate) fn print_decimal_body(
    spec: &Spec,
    conv: char,
    precision: i32,
    unscaled: &num_bigint::BigInt,
    scale: i32,
    neg: bool,
    sb: &mut String,
) -> Result<(), JavaException> {
    use num_traits::Zero;
    let orig_prec = if unscaled.is_zero() {
        1
    } else {
        unscaled.to_string().len() as i32
    };
    match conv {
        'e' => {
            let prec = if precision == -1 { 6 } else { precision };
            let (comp_prec, nzeros) = if prec > orig_prec - 1 {
                (orig_prec, prec - (orig_prec - 1))
            } else {
                (prec + 1, 0)
            };
            let (u, s) = round_to_precision(unscaled, scale, comp_prec as u32);
            let (mut mant, dot, _, exp) = decimal_layout(&u, s, true);
            if (orig_prec == 1 || !dot) && (nzeros > 0 || spec.has(FLAG_ALT)) {
                mant.push('.');
            }
            mant.extend(std::iter::repeat_n('0', nzeros.max(0) as usize));
            let w = if spec.width == -1 {
                -1
            } else {
                adjust_width(spec.width - exp.len() as i32 - 1, spec, neg)
            };
            localized_magnitude(spec, sb, &mant, w);
            sb.push(if spec.has(FLAG_UPPER) { 'E' } else { 'e' });
            sb.push_str(&exp);
        }
        'f' => {
            let prec = if precision == -1 { 6 } else { precision };
            let (mut u, mut s) = (unscaled.clone(), scale);
            if s > prec {
                let comp = orig_prec;
                if comp <= s {
                    u = set_scale_half_up(&u, s, prec)?;
                    s = prec;
                } else {
                    let (ru, rs) = round_to_precision(&u, s, (comp - (s - prec)).max(1) as u32);
                    u = ru;
                    s = rs;
                }
            }
            if (s as i64) < -crate::java::decimal::MAX_POW10 {
                return Err(JavaException::new(
                    "java.lang.OutOfMemoryError",
                    "Java heap space",
                ));
            }
            let (mut mant, _, lscale, _) = decimal_layout(&u, s, false);
            let nzeros = if lscale < prec { prec - lscale } else { 0 };
            if lscale == 0 && (spec.has(FLAG_ALT) || nzeros > 0) {
                mant.push('.');
            }
            mant.extend(std::iter::repeat_n('0', nzeros as usize));
            localized_magnitude(spec, sb, &mant, adjust_width(spec.width, spec, neg));
        }
        _ => {
            let prec = match precision {
                -1 => 6,
                0 => 1,
                p => p,
            };
            // 10^-4 <= value < 10^prec uses %f, otherwise %e.
            let digits = orig_prec as i64;
            let e = -(scale as i64) + (digits - 1);
            // `value.equals(BigDecimal.ZERO)` only holds for a zero of scale 0.
            let decimal_form = if unscaled.is_zero() {
                scale == 0
            } else {
                e >= -4 && e < prec as i64
            };
            if decimal_form {
                print_decimal_body(
                    spec,
                    'f',
                    (prec as i64 - e - 1) as i32,
                    unscaled,
                    scale,
                    neg,
                    sb,
                )?;
            } else {
                print_decimal_body(spec, 'e', prec - 1, unscaled, scale, neg, sb)?;
            }
        }
    }
    Ok(())
}
