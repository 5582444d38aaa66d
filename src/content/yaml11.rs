//! YAML 1.1 scalar rules, as PyYAML (what contentctl uses) resolves plain scalars: `yes`/`no`/
//! `on`/`off` are booleans, `0x1f`/`017`/`1:30` integers, `1.5` a float; `1e5` and unquoted
//! dates stay text. The YAML layer ([`super::yaml`]) applies them to every plain scalar.

use std::borrow::Cow;

use super::yaml::Value;

/// PyYAML's implicit resolution of a plain scalar (YAML 1.1).
pub(super) fn resolve_plain(text: Cow<'_, str>) -> Value {
    // PyYAML's implicit resolvers are keyed on the first character; most plain scalars (words,
    // names, sentences) start with none of these and are strings at once.
    let Some(&first) = text.as_bytes().first() else {
        return Value::Null;
    };
    if !matches!(
        first,
        b'0'..=b'9'
            | b'-'
            | b'+'
            | b'.'
            | b'~'
            | b'n'
            | b'N'
            | b'y'
            | b'Y'
            | b't'
            | b'T'
            | b'f'
            | b'F'
            | b'o'
            | b'O'
    ) {
        return Value::Str(text.into_owned());
    }
    match text.as_ref() {
        "~" | "null" | "Null" | "NULL" => return Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    if let Some(int) = resolve_int(&text) {
        return match int {
            Some(value) => Value::Int(value),
            None => Value::Str(text.into_owned()),
        };
    }
    if let Some(float) = resolve_float(&text) {
        return Value::Float(float);
    }
    Value::Str(text.into_owned())
}

/// `Some(Some(n))` for a YAML 1.1 integer, `Some(None)` for one that overflows `i64` (kept as
/// text), `None` for anything else.
fn resolve_int(text: &str) -> Option<Option<i64>> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let digits = |s: &str, radix: u32| -> Option<Option<i64>> {
        // Validate before copying: most text fails here, and copies nothing.
        if !s.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        let value = if s.contains('_') {
            let cleaned: String = s.chars().filter(|&c| c != '_').collect();
            if cleaned.is_empty() {
                return None;
            }
            i64::from_str_radix(&cleaned, radix).ok()
        } else if s.is_empty() {
            return None;
        } else {
            i64::from_str_radix(s, radix).ok()
        };
        Some(value.map(|v| if negative { -v } else { v }))
    };
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if let Some(binary) = body.strip_prefix("0b") {
        return digits(binary, 2);
    }
    if body.len() > 1
        && let Some(octal) = body.strip_prefix('0')
    {
        return digits(octal, 8);
    }
    if body.contains(':') {
        // Sexagesimal: `1:30` is 90.
        let mut total: i64 = 0;
        for (index, part) in body.split(':').enumerate() {
            let is_digits =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b == b'_');
            let first_ok = index > 0 || !part.starts_with('0');
            if !is_digits || !first_ok || (index > 0 && part.len() > 2) {
                return None;
            }
            let value: i64 = part.replace('_', "").parse().ok()?;
            if index > 0 && value > 59 {
                return None;
            }
            total = total.checked_mul(60)?.checked_add(value)?;
        }
        return Some(Some(if negative { -total } else { total }));
    }
    if body.starts_with('_') {
        return None;
    }
    digits(body, 10)
}

/// A YAML 1.1 float: a dot is required (`1e5` is text), exponents carry a sign.
fn resolve_float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    match body {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.')?;
    let is_whole_ok = whole.is_empty()
        || (whole.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && whole.as_bytes().first().is_some_and(u8::is_ascii_digit));
    let is_fraction_ok = fraction.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && (!whole.is_empty() || fraction.as_bytes().first().is_some_and(u8::is_ascii_digit));
    let is_exponent_ok = exponent.is_none_or(|e| {
        e.len() > 1 && e.starts_with(['-', '+']) && e.bytes().skip(1).all(|b| b.is_ascii_digit())
    });
    if !(is_whole_ok && is_fraction_ok && is_exponent_ok) {
        return None;
    }
    text.replace('_', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalar_resolution_follows_yaml_1_1() {
        let resolve = |text: &str| resolve_plain(Cow::Borrowed(text));
        assert_eq!(resolve("0x1f"), Value::Int(31));
        assert_eq!(resolve("017"), Value::Int(15));
        assert_eq!(resolve("1_000"), Value::Int(1000));
        assert_eq!(resolve("1:30"), Value::Int(90));
        assert_eq!(resolve("-7"), Value::Int(-7));
        assert_eq!(resolve("1.5"), Value::Float(1.5));
        assert_eq!(resolve("1e5"), Value::Str("1e5".into()));
        assert_eq!(resolve("1.0e+5"), Value::Float(100_000.0));
        assert_eq!(resolve("On"), Value::Bool(true));
        assert_eq!(resolve("T1560.001"), Value::Str("T1560.001".into()));
        assert_eq!(
            resolve("99999999999999999999"),
            Value::Str("99999999999999999999".into())
        );
        assert_eq!(resolve("4.0.0"), Value::Str("4.0.0".into()));
    }
}
