//! Splunk's field value as eval, where and the aggregations see it: null, a string, a number,
//! a boolean (only ever the result of a test), or a multivalue.
//!
//! A field's text that reads as a number ([`crate::spl::semantics::number`]'s rule, the one
//! rule of the crate) is kept as text *and* number ([`Value::Str`] with `number` set): it
//! behaves as a number with numeric operands and prints exactly as written, as Splunk copies
//! field values unchanged (`eval y=x` keeps `007`). A quoted literal is a string only, so
//! `"10" < "9"` compares as text (spl-semantics.md 2.4, "Types").

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use crate::spl::ast::NumberValue;

/// One value of eval's world.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value: a missing field, `null()`, or the result of an operation on null.
    Null,
    /// The result of a comparison or a logical operator (`true()`, `x=1`); Splunk does not
    /// let `eval` store one in a field.
    Bool(bool),
    /// A computed or literal number.
    Number(NumberValue),
    /// Text. `number` is set when the text came from a field (or a conversion) and reads as a
    /// number; a quoted literal never sets it.
    Str {
        /// The text, printed as is.
        text: Box<str>,
        /// The text as a number, when it reads as one and may be used as one.
        number: Option<NumberValue>,
    },
    /// Several values, in order; never empty and never nested (see [`Value::multi`]).
    Multi(Vec<Value>),
}

impl Value {
    /// A field's text as Splunk types it: a number when the whole text reads as one.
    #[must_use]
    pub fn from_field(text: &str) -> Value {
        Value::Str {
            number: NumberValue::parse(text.trim()),
            text: text.into(),
        }
    }

    /// A field with several values (each typed by [`Value::from_field`]); none is null, one
    /// is that value.
    #[must_use]
    pub fn from_fields<'t>(texts: impl IntoIterator<Item = &'t str>) -> Value {
        Value::multi(texts.into_iter().map(Value::from_field).collect())
    }

    /// A string that is only a string (a quoted literal, the result of a string function).
    #[must_use]
    pub fn string(text: impl Into<Box<str>>) -> Value {
        Value::Str {
            text: text.into(),
            number: None,
        }
    }

    /// An integer.
    #[must_use]
    pub fn int(value: i64) -> Value {
        Value::Number(NumberValue::Integer(value))
    }

    /// A float; an integral float in `i64` range stays a float but prints without a point.
    /// NaN and infinities (division results Splunk does not produce) are null.
    #[must_use]
    pub fn float(value: f64) -> Value {
        if value.is_finite() {
            Value::Number(NumberValue::Float(value))
        } else {
            Value::Null
        }
    }

    /// Values as one: nulls and nested multivalues flattened away; none is null, one is that
    /// value.
    #[must_use]
    pub fn multi(values: Vec<Value>) -> Value {
        let mut flat = Vec::with_capacity(values.len());
        for value in values {
            match value {
                Value::Null => {}
                Value::Multi(inner) => flat.extend(inner),
                single => flat.push(single),
            }
        }
        if flat.len() > 1 {
            return Value::Multi(flat);
        }
        flat.pop().unwrap_or(Value::Null)
    }

    /// Whether this is null.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a number: a number, or text that reads as one (a literal too, as
    /// `tonumber` and arithmetic take it). The first value of a multivalue.
    #[must_use]
    pub fn as_number(&self) -> Option<NumberValue> {
        match self {
            Value::Number(number) => Some(*number),
            Value::Str { text, number } => number.or_else(|| NumberValue::parse(text.trim())),
            Value::Multi(values) => values.first().and_then(Value::as_number),
            Value::Null | Value::Bool(_) => None,
        }
    }

    /// The value as a float ([`Value::as_number`]).
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(NumberValue::as_f64)
    }

    /// Whether the value takes part in arithmetic and comparisons as a number without
    /// conversion: a number, or a field's numeric text.
    #[must_use]
    pub fn is_numeric(&self) -> bool {
        match self {
            Value::Number(_)
            | Value::Str {
                number: Some(_), ..
            } => true,
            Value::Multi(values) => values.first().is_some_and(Value::is_numeric),
            Value::Null | Value::Bool(_) | Value::Str { number: None, .. } => false,
        }
    }

    /// The single values: none for null, one for a single value, each of a multivalue.
    #[must_use]
    pub fn values(&self) -> &[Value] {
        match self {
            Value::Null => &[],
            Value::Multi(values) => values,
            single => std::slice::from_ref(single),
        }
    }

    /// The value as text, as Splunk prints it (numbers per [`format_number`], multivalues as
    /// their values joined by newlines, as Splunk's table shows them); `None` for null.
    #[must_use]
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Multi(values) => Some(
                values
                    .iter()
                    .filter_map(Value::to_text)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            single => Some(single.to_string()),
        }
    }

    /// A single value's text without copying a string ([`Value::to_text`] for any value):
    /// the text as is, a number or boolean printed, a multivalue's values joined by
    /// newlines, null empty.
    #[must_use]
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Str { text, .. } => Cow::Borrowed(text),
            Value::Null => Cow::Borrowed(""),
            other => Cow::Owned(other.to_string()),
        }
    }

    /// Splunk's truth of a value in a test: a boolean is itself, null is unknown (`None`).
    /// Other values are not booleans: Splunk rejects `where x` on a string field as a type
    /// error; detc reads it as unknown, so `where` drops the row and `if` takes its else
    /// branch.
    #[must_use]
    pub fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(truth) => Some(*truth),
            _ => None,
        }
    }
}

/// A number as Splunk prints it: integers in full, integral floats without a point, other
/// floats in the shortest form that reads back to the same float.
///
/// Splunk rounds some float results to the significant figures of their operands (e.g.
/// `0.014*0.23` prints `0.0032`); that rule is not documented precisely, and detc does not
/// apply it.
#[must_use]
pub fn format_number(number: NumberValue) -> String {
    match number {
        NumberValue::Integer(integer) => integer.to_string(),
        NumberValue::Float(float) if float.fract() == 0.0 && float.abs() < 1e15 => {
            // Exact: an integral float below 1e15 fits an i64.
            #[allow(clippy::cast_possible_truncation, reason = "integral and in range")]
            let integer = float as i64;
            integer.to_string()
        }
        NumberValue::Float(float) => float.to_string(),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Bool(truth) => f.write_str(if *truth { "true" } else { "false" }),
            Value::Number(number) => f.write_str(&format_number(*number)),
            Value::Str { text, .. } => f.write_str(text),
            Value::Multi(_) => f.write_str(&self.to_text().unwrap_or_default()),
        }
    }
}

/// Compares two single values as eval's comparison operators do (spl-semantics.md 2.4):
/// numerically when one side is numeric and the other reads as a number, byte-wise as text
/// otherwise (case-sensitive, `*` literal). `None` when either side is null or NaN: every
/// comparison with null is false.
///
/// The docs do not say how a number compares with non-numeric text; detc compares the
/// number's printed text, as the semantics doc records. Multivalues compare by their first
/// value here; [`crate::runtime::eval`] applies "any value" where Splunk does.
#[must_use]
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let (a, b) = (first(a)?, first(b)?);
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        return Some(x.cmp(y));
    }
    if (a.is_numeric() || b.is_numeric())
        && let (Some(x), Some(y)) = (a.as_number(), b.as_number())
    {
        return compare_numbers(x, y);
    }
    Some(a.text().cmp(&b.text()))
}

/// Compares numbers exactly when both are integers.
#[must_use]
pub fn compare_numbers(a: NumberValue, b: NumberValue) -> Option<Ordering> {
    match (a, b) {
        (NumberValue::Integer(x), NumberValue::Integer(y)) => Some(x.cmp(&y)),
        _ => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

/// The first single value; `None` for null.
fn first(value: &Value) -> Option<&Value> {
    match value {
        Value::Null => None,
        Value::Multi(values) => values.first(),
        single => Some(single),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_text_is_typed_by_content_and_printed_as_written() {
        let padded = Value::from_field("007");
        assert_eq!(padded.as_number(), Some(NumberValue::Integer(7)));
        assert_eq!(padded.to_string(), "007");
        assert!(padded.is_numeric());
        assert!(!Value::from_field("cmd.exe").is_numeric());
        // `inf` and `nan` are words, not numbers.
        assert!(!Value::from_field("inf").is_numeric());
        assert!(!Value::from_field("NaN").is_numeric());
        assert!(!Value::string("10").is_numeric());
    }

    #[test]
    fn numbers_print_as_splunk_shows_them() {
        assert_eq!(Value::int(-42).to_string(), "-42");
        assert_eq!(Value::float(5.0).to_string(), "5");
        assert_eq!(Value::float(2.5).to_string(), "2.5");
        assert_eq!(Value::float(1e20).to_string(), "100000000000000000000");
        assert!(Value::float(f64::NAN).is_null());
        assert_eq!(Value::Bool(true).to_string(), "true");
    }

    #[test]
    fn multivalues_flatten_and_shrink() {
        assert!(Value::multi(vec![Value::Null]).is_null());
        assert_eq!(
            Value::multi(vec![Value::Null, Value::string("a")]),
            Value::string("a")
        );
        let nested = Value::multi(vec![Value::from_fields(["a", "b"]), Value::string("c")]);
        assert_eq!(nested.values().len(), 3);
        assert_eq!(nested.to_text().as_deref(), Some("a\nb\nc"));
        assert_eq!(Value::Null.to_text(), None);
    }

    #[test]
    fn comparisons_follow_the_operand_types() {
        use Ordering::{Greater, Less};
        // Two literals compare as text: "10" < "9" (spl-semantics.md 2.4).
        assert_eq!(
            compare(&Value::string("10"), &Value::string("9")),
            Some(Less)
        );
        // A field's numeric text against a number compares numerically.
        assert_eq!(
            compare(&Value::from_field("10"), &Value::int(9)),
            Some(Greater)
        );
        // A field's number against a numeric literal string compares numerically.
        assert_eq!(
            compare(&Value::from_field("10"), &Value::string("9")),
            Some(Greater)
        );
        assert_eq!(
            compare(&Value::from_field("1.0"), &Value::int(1)),
            Some(Ordering::Equal)
        );
        // A number against non-numeric text compares as text.
        assert_eq!(compare(&Value::int(10), &Value::string("abc")), Some(Less));
        assert_eq!(compare(&Value::Null, &Value::int(1)), None);
        assert_eq!(
            compare(&Value::string("A"), &Value::string("a")),
            Some(Less)
        );
    }
}
