//! The eval functions ([`EvalFunction`]), with Splunk's rules per function (Search
//! Reference, "Evaluation functions"; spl-semantics.md 2.4). Arguments are evaluated only
//! when needed (`if`, `case`, `coalesce`), and `mvfilter`/`mvmap` evaluate their expression
//! once per value. A wrong number of arguments, or an argument of the wrong type, gives
//! null: Splunk rejects those searches, and the lint reports them.
//!
//! On a multivalue argument the docs are silent for most functions (spl-semantics.md 2.4,
//! "Multivalue in eval"). detc applies the string-to-string functions (`lower`, `upper`,
//! `trim`…, `replace`, `urldecode`) to each value, answers the tests (`match`, `like`,
//! `cidrmatch`) for any value, and reads the first value everywhere else.

use std::cmp::Ordering;
use std::net::IpAddr;

use crate::spl::ast::{EvalFunction, Expr, NumberValue, Quote};
use crate::spl::visit::{self, Node, Visitor, Walk};

use super::super::value::{Value, compare, compare_numbers};
use super::pattern::replace_all;
use super::{Evaluator, Row, like_value, time};

/// Whether detc evaluates `function` (the others always give null), for the plan to report
/// a detection that needs one of them.
#[must_use]
pub fn is_evaluated(function: &EvalFunction) -> bool {
    !matches!(
        function,
        EvalFunction::Searchmatch
            | EvalFunction::Spath
            | EvalFunction::Md5
            | EvalFunction::Sha1
            | EvalFunction::Sha256
            | EvalFunction::Sha512
            | EvalFunction::Random
            | EvalFunction::Lookup
            | EvalFunction::Printf
            | EvalFunction::Sigfig
            | EvalFunction::Ipmask
            | EvalFunction::Commands
            | EvalFunction::Validate
            | EvalFunction::JsonArrayToMv
            | EvalFunction::JsonExtract
            | EvalFunction::JsonExtractExact
            | EvalFunction::JsonKeys
            | EvalFunction::JsonObject
            | EvalFunction::Other(_)
    )
}

/// `function(args)`.
pub(super) fn call(
    evaluator: &Evaluator<'_>,
    function: &EvalFunction,
    args: &[Expr],
    depth: u32,
) -> Value {
    let arg = |index: usize| {
        args.get(index)
            .map_or(Value::Null, |expr| evaluator.eval(expr, depth))
    };
    let arity = |allowed: std::ops::RangeInclusive<usize>| allowed.contains(&args.len());
    match function {
        // Conditions.
        EvalFunction::If if arity(3..=3) => {
            if arg(0).truth() == Some(true) {
                arg(1)
            } else {
                arg(2)
            }
        }
        EvalFunction::Case => {
            // Pairs of condition and value; the first true condition wins, none is null. An
            // odd last argument is ignored (Splunk rejects it).
            for pair in args.chunks_exact(2) {
                if let [condition, value] = pair
                    && evaluator.eval(condition, depth).truth() == Some(true)
                {
                    return evaluator.eval(value, depth);
                }
            }
            Value::Null
        }
        EvalFunction::Coalesce => args
            .iter()
            .map(|expr| evaluator.eval(expr, depth))
            .find(|value| !value.is_null())
            .unwrap_or(Value::Null),
        EvalFunction::Nullif if arity(2..=2) => {
            let (a, b) = (arg(0), arg(1));
            if compare(&a, &b) == Some(Ordering::Equal) {
                Value::Null
            } else {
                a
            }
        }
        EvalFunction::Isnull if arity(1..=1) => Value::Bool(arg(0).is_null()),
        EvalFunction::Isnotnull if arity(1..=1) => Value::Bool(!arg(0).is_null()),
        EvalFunction::Null if arity(0..=0) => Value::Null,
        EvalFunction::True if arity(0..=0) => Value::Bool(true),
        EvalFunction::False if arity(0..=0) => Value::Bool(false),
        // `in(field, v1, v2…)`: the function form of `IN` (Search Reference, in).
        EvalFunction::In if !args.is_empty() => {
            let value = arg(0);
            Value::Bool(args.iter().skip(1).any(|expr| {
                let item = evaluator.eval(expr, depth);
                super::compare_op(crate::spl::ast::CompareOp::Eq, &value, &item)
            }))
        }
        EvalFunction::Like if arity(2..=2) => Value::Bool(like_value(&arg(0), &arg(1))),
        EvalFunction::Match if arity(2..=2) => regex_test(evaluator, &arg(0), &arg(1)),
        EvalFunction::Cidrmatch if arity(2..=2) => {
            let (block, address) = (arg(0), arg(1));
            let Some(block) = block.values().first().map(ToString::to_string) else {
                return Value::Null;
            };
            Value::Bool(
                address
                    .values()
                    .iter()
                    .any(|ip| cidr_contains(&block, &ip.text())),
            )
        }
        // Types.
        EvalFunction::Isnum if arity(1..=1) => Value::Bool(first(&arg(0)).is_some_and(is_number)),
        EvalFunction::Isint if arity(1..=1) => Value::Bool(
            first(&arg(0))
                .and_then(number)
                .is_some_and(|n| matches!(n, NumberValue::Integer(_))),
        ),
        EvalFunction::Isstr if arity(1..=1) => Value::Bool(
            first(&arg(0)).is_some_and(|v| matches!(v, Value::Str { .. }) && !is_number(v)),
        ),
        EvalFunction::Isbool if arity(1..=1) => {
            Value::Bool(matches!(first(&arg(0)), Some(Value::Bool(_))))
        }
        EvalFunction::Typeof if arity(1..=1) => Value::string(match first(&arg(0)) {
            None => "Invalid",
            Some(Value::Bool(_)) => "Boolean",
            Some(value) if is_number(value) => "Number",
            Some(_) => "String",
        }),
        EvalFunction::Exact if arity(1..=1) => arg(0),
        // Text.
        EvalFunction::Lower if arity(1..=1) => map_text(&arg(0), |text| Some(text.to_lowercase())),
        EvalFunction::Upper if arity(1..=1) => map_text(&arg(0), |text| Some(text.to_uppercase())),
        EvalFunction::Trim | EvalFunction::Ltrim | EvalFunction::Rtrim if arity(1..=2) => {
            // Without a set, spaces and tabs (Search Reference, trim).
            let set = if args.len() == 2 {
                match first(&arg(1)) {
                    Some(set) => set.to_string(),
                    None => return Value::Null,
                }
            } else {
                " \t".to_owned()
            };
            let strip = |c: char| set.contains(c);
            map_text(&arg(0), |text| {
                Some(
                    match function {
                        EvalFunction::Ltrim => text.trim_start_matches(strip),
                        EvalFunction::Rtrim => text.trim_end_matches(strip),
                        _ => text.trim_matches(strip),
                    }
                    .to_owned(),
                )
            })
        }
        EvalFunction::Len if arity(1..=1) => {
            first(&arg(0)).map_or(Value::Null, |v| count(v.text().chars().count()))
        }
        EvalFunction::Substr if arity(2..=3) => {
            substr(&arg(0), &arg(1), args.get(2).map(|_| arg(2)))
        }
        EvalFunction::Replace if arity(3..=3) => {
            let (Some(pattern), Some(replacement)) = (text(&arg(1)), text(&arg(2))) else {
                return Value::Null;
            };
            let Some(regex) = evaluator
                .context
                .regexes
                .borrow_mut()
                .get(&pattern.to_string())
            else {
                return Value::Null;
            };
            let replacement = replacement.to_string();
            map_text(&arg(0), |text| {
                Some(replace_all(&regex, text, &replacement))
            })
        }
        EvalFunction::Urldecode if arity(1..=1) => map_text(&arg(0), |text| Some(urldecode(text))),
        EvalFunction::Split if arity(2..=2) => {
            let (Some(text), Some(delimiter)) = (text(&arg(0)), text(&arg(1))) else {
                return Value::Null;
            };
            let (text, delimiter) = (text.to_string(), delimiter.to_string());
            // Pieces are typed by content, as the field they usually become. An empty
            // delimiter splits into characters (Search Reference, split).
            if delimiter.is_empty() {
                let mut buffer = [0u8; 4];
                return Value::multi(
                    text.chars()
                        .map(|c| Value::from_field(c.encode_utf8(&mut buffer)))
                        .collect(),
                );
            }
            Value::multi(
                text.split(delimiter.as_str())
                    .map(Value::from_field)
                    .collect(),
            )
        }
        EvalFunction::Tostring if arity(1..=2) => tostring(&arg(0), args.get(1).map(|_| arg(1))),
        EvalFunction::Tonumber if arity(1..=2) => tonumber(&arg(0), args.get(1).map(|_| arg(1))),
        // Multivalues.
        EvalFunction::Mvcount if arity(1..=1) => match arg(0).values().len() {
            // "NULL otherwise" (Search Reference, mvcount).
            0 => Value::Null,
            n => count(n),
        },
        EvalFunction::Mvindex if arity(2..=3) => {
            mvindex(&arg(0), &arg(1), args.get(2).map(|_| arg(2)))
        }
        EvalFunction::Mvjoin if arity(2..=2) => {
            let (values, Some(delimiter)) = (arg(0), first(&arg(1)).map(ToString::to_string))
            else {
                return Value::Null;
            };
            if values.is_null() {
                return Value::Null;
            }
            let texts: Vec<String> = values.values().iter().map(ToString::to_string).collect();
            Value::string(texts.join(&delimiter))
        }
        EvalFunction::Mvappend => Value::multi(
            args.iter()
                .map(|expr| evaluator.eval(expr, depth))
                .collect(),
        ),
        EvalFunction::Mvdedup if arity(1..=1) => {
            let values = arg(0);
            let mut kept: Vec<Value> = Vec::with_capacity(values.values().len());
            for value in values.values() {
                if !kept.iter().any(|seen| seen.text() == value.text()) {
                    kept.push(value.clone());
                }
            }
            Value::multi(kept)
        }
        EvalFunction::Mvsort if arity(1..=1) => {
            // Lexicographic (Search Reference, mvsort: "numbers are sorted as strings").
            let mut values = arg(0).values().to_vec();
            values.sort_by_key(ToString::to_string);
            Value::multi(values)
        }
        EvalFunction::Mvfind if arity(2..=2) => {
            let (values, pattern) = (arg(0), arg(1));
            let Some(pattern) = first(&pattern).map(ToString::to_string) else {
                return Value::Null;
            };
            let Some(regex) = evaluator.context.regexes.borrow_mut().get(&pattern) else {
                return Value::Null;
            };
            values
                .values()
                .iter()
                .position(|value| regex.is_match(value.text().as_ref()))
                .map_or(Value::Null, count)
        }
        EvalFunction::Mvfilter if arity(1..=1) => {
            let Some(expr) = args.first() else {
                return Value::Null;
            };
            // The one field the expression names is bound to each of its values in turn.
            let Some(field) = first_field(expr) else {
                return Value::Null;
            };
            let values = evaluator.row.field(field);
            let kept = values
                .values()
                .iter()
                .filter(|value| {
                    evaluator
                        .with_binding(field, (*value).clone(), expr, depth)
                        .truth()
                        == Some(true)
                })
                .cloned()
                .collect();
            Value::multi(kept)
        }
        EvalFunction::Mvmap if arity(2..=2) => {
            let (Some(Expr::Field(field)), Some(expr)) = (args.first(), args.get(1)) else {
                return Value::Null;
            };
            let values = evaluator.row.field(&field.value);
            Value::multi(
                values
                    .values()
                    .iter()
                    .map(|value| evaluator.with_binding(&field.value, value.clone(), expr, depth))
                    .collect(),
            )
        }
        EvalFunction::Mvzip if arity(2..=3) => {
            let (a, b) = (arg(0), arg(1));
            let delimiter = match args.get(2) {
                Some(_) => match first(&arg(2)) {
                    Some(delimiter) => delimiter.to_string(),
                    None => return Value::Null,
                },
                None => ",".to_owned(),
            };
            Value::multi(
                a.values()
                    .iter()
                    .zip(b.values())
                    .map(|(x, y)| Value::string(format!("{x}{delimiter}{y}")))
                    .collect(),
            )
        }
        EvalFunction::Mvrange if arity(2..=3) => {
            mvrange(&arg(0), &arg(1), args.get(2).map(|_| arg(2)))
        }
        // Numbers.
        EvalFunction::Abs if arity(1..=1) => match number_arg(&arg(0)) {
            Some(NumberValue::Integer(n)) => n
                .checked_abs()
                .map_or_else(|| Value::float((n as f64).abs()), Value::int),
            Some(NumberValue::Float(x)) => Value::float(x.abs()),
            None => Value::Null,
        },
        EvalFunction::Round if arity(1..=2) => {
            let Some(x) = number_arg(&arg(0)) else {
                return Value::Null;
            };
            let digits = match args.get(1) {
                Some(_) => match number_arg(&arg(1)) {
                    Some(NumberValue::Integer(digits)) => digits,
                    _ => return Value::Null,
                },
                None => 0,
            };
            round(x, digits)
        }
        EvalFunction::Floor if arity(1..=1) => float_to_integer(&arg(0), f64::floor),
        EvalFunction::Ceil | EvalFunction::Ceiling if arity(1..=1) => {
            float_to_integer(&arg(0), f64::ceil)
        }
        EvalFunction::Sqrt if arity(1..=1) => float_fn(&arg(0), f64::sqrt),
        EvalFunction::Exp if arity(1..=1) => float_fn(&arg(0), f64::exp),
        EvalFunction::Ln if arity(1..=1) => float_fn(&arg(0), f64::ln),
        EvalFunction::Log if arity(1..=2) => {
            let base = match args.get(1) {
                Some(_) => match number_arg(&arg(1)) {
                    Some(base) => base.as_f64(),
                    None => return Value::Null,
                },
                None => 10.0,
            };
            float_fn(&arg(0), |x| x.log(base))
        }
        EvalFunction::Pow if arity(2..=2) => match (number_arg(&arg(0)), number_arg(&arg(1))) {
            (Some(NumberValue::Integer(x)), Some(NumberValue::Integer(y))) => u32::try_from(y)
                .ok()
                .and_then(|y| x.checked_pow(y))
                .map_or_else(|| Value::float((x as f64).powf(y as f64)), Value::int),
            (Some(x), Some(y)) => Value::float(x.as_f64().powf(y.as_f64())),
            _ => Value::Null,
        },
        EvalFunction::Pi if arity(0..=0) => Value::float(std::f64::consts::PI),
        EvalFunction::Min | EvalFunction::Max if !args.is_empty() => {
            let values = Value::multi(
                args.iter()
                    .map(|expr| evaluator.eval(expr, depth))
                    .collect(),
            );
            let pick = if *function == EvalFunction::Min {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            values
                .values()
                .iter()
                .fold(None::<&Value>, |best, value| match best {
                    Some(best) if min_max_order(value, best) != pick => Some(best),
                    _ => Some(value),
                })
                .cloned()
                .unwrap_or(Value::Null)
        }
        // Time.
        EvalFunction::Now if arity(0..=0) => {
            Value::int(evaluator.context.now.nanos().div_euclid(1_000_000_000))
        }
        EvalFunction::Time if arity(0..=0) => Value::float(evaluator.context.now.as_secs_f64()),
        EvalFunction::RelativeTime if arity(2..=2) => {
            let (Some(time), Some(modifier)) = (number_arg(&arg(0)), text(&arg(1))) else {
                return Value::Null;
            };
            time::relative_time(time, &modifier.to_string()).unwrap_or(Value::Null)
        }
        EvalFunction::Strftime if arity(2..=2) => {
            let (Some(time), Some(format)) = (number_arg(&arg(0)), text(&arg(1))) else {
                return Value::Null;
            };
            time::strftime(time, &format.to_string()).map_or(Value::Null, Value::string)
        }
        EvalFunction::Strptime if arity(2..=2) => {
            let (Some(text), Some(format)) = (text(&arg(0)), text(&arg(1))) else {
                return Value::Null;
            };
            time::strptime(&text.to_string(), &format.to_string()).unwrap_or(Value::Null)
        }
        // Not evaluated: `searchmatch` and `spath` need the search grammar and JSON, the
        // hashes a digest crate, `random` would break determinism, `lookup`, `printf`,
        // `sigfig`, `ipmask`, `commands`, `validate` and the json functions are not in the
        // corpus's frequency table. They, unknown functions and calls with a wrong number
        // of arguments are null.
        _ => Value::Null,
    }
}

impl Evaluator<'_> {
    /// `expr` with field `name` bound to `value` (for `mvfilter` and `mvmap`).
    fn with_binding(&self, name: &str, value: Value, expr: &Expr, depth: u32) -> Value {
        let bound = Bound {
            base: self.row,
            name,
            value,
        };
        Evaluator {
            row: &bound,
            context: self.context,
        }
        .eval(expr, depth)
    }
}

/// A row with one field replaced.
struct Bound<'a> {
    base: &'a dyn Row,
    name: &'a str,
    value: Value,
}

impl Row for Bound<'_> {
    fn field(&self, name: &str) -> Value {
        if name == self.name {
            self.value.clone()
        } else {
            self.base.field(name)
        }
    }
}

/// The first field `expr` names (the bare word `null` is the null value, not a field).
fn first_field(expr: &Expr) -> Option<&str> {
    struct FirstField<'a>(Option<&'a str>);
    impl<'a> Visitor<'a> for FirstField<'a> {
        fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
            if self.0.is_some() {
                return Walk::Skip;
            }
            if let Node::Expr(Expr::Field(literal)) = node
                && !(literal.quote == Quote::None && literal.value == "null")
            {
                self.0 = Some(&literal.value);
            }
            Walk::Children
        }
    }
    let mut finder = FirstField(None);
    visit::walk(Node::Expr(expr), &mut finder);
    finder.0
}

/// The first value as text; `None` for null.
fn text(value: &Value) -> Option<String> {
    first(value).map(ToString::to_string)
}

/// The first value; `None` for null.
fn first(value: &Value) -> Option<&Value> {
    value.values().first()
}

/// Whether the value is a number to `isnum`/`typeof`: a number, or a field's numeric text.
fn is_number(value: &Value) -> bool {
    value.is_numeric()
}

fn number(value: &Value) -> Option<NumberValue> {
    value.as_number()
}

/// A numeric argument: a number or text that reads as one (a quoted `"5"` too, as Splunk's
/// functions convert their arguments).
fn number_arg(value: &Value) -> Option<NumberValue> {
    first(value).and_then(Value::as_number)
}

fn count(n: usize) -> Value {
    i64::try_from(n).map_or(Value::Null, Value::int)
}

/// Applies a text function to each value.
fn map_text(value: &Value, f: impl Fn(&str) -> Option<String>) -> Value {
    Value::multi(
        value
            .values()
            .iter()
            .filter_map(|single| f(&single.text()).map(Value::string))
            .collect(),
    )
}

/// `match(subject, regex)`: an unanchored search, true when any value matches. Null subject
/// or a regex detc cannot run: null (string operations on null give null).
fn regex_test(evaluator: &Evaluator<'_>, subject: &Value, pattern: &Value) -> Value {
    let Some(pattern) = first(pattern).map(ToString::to_string) else {
        return Value::Null;
    };
    if subject.is_null() {
        return Value::Null;
    }
    let Some(regex) = evaluator.context.regexes.borrow_mut().get(&pattern) else {
        return Value::Null;
    };
    Value::Bool(
        subject
            .values()
            .iter()
            .any(|value| regex.is_match(value.text().as_ref())),
    )
}

/// Whether `address` lies in the block `cidr` (`10.0.0.0/8`; an address alone is a /32 or
/// /128). Addresses of different families never match.
fn cidr_contains(cidr: &str, address: &str) -> bool {
    let (network, bits) = match cidr.trim().split_once('/') {
        Some((network, bits)) => (network, bits.trim().parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    let (Ok(network), Ok(address)) = (network.parse::<IpAddr>(), address.trim().parse::<IpAddr>())
    else {
        return false;
    };
    let prefix_match = |a: u128, b: u128, width: u32, bits: u32| {
        if bits > width {
            return false;
        }
        let shift = width - bits;
        a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
    };
    match (network, address) {
        (IpAddr::V4(n), IpAddr::V4(a)) => prefix_match(
            u32::from(n).into(),
            u32::from(a).into(),
            32,
            bits.unwrap_or(32),
        ),
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            prefix_match(n.into(), a.into(), 128, bits.unwrap_or(128))
        }
        _ => false,
    }
}

/// `substr(text, start, length)`: `start` counts from 1, or from the end when negative
/// (Search Reference, substr); characters, not bytes. The docs are silent on a start of 0;
/// detc reads it as 1.
fn substr(text: &Value, start: &Value, length: Option<Value>) -> Value {
    let (Some(text), Some(NumberValue::Integer(start))) = (first(text), number_arg(start)) else {
        return Value::Null;
    };
    let chars: Vec<char> = text.to_string().chars().collect();
    let total = i64::try_from(chars.len()).unwrap_or(i64::MAX);
    let begin = if start < 0 {
        total.saturating_add(start).max(0)
    } else {
        start.saturating_sub(1).max(0)
    };
    let end = match length {
        Some(length) => match number_arg(&length) {
            Some(NumberValue::Integer(length)) if length >= 0 => begin.saturating_add(length),
            _ => return Value::Null,
        },
        None => total,
    }
    .min(total);
    let (Ok(begin), Ok(end)) = (usize::try_from(begin), usize::try_from(end)) else {
        return Value::Null;
    };
    Value::string(
        chars
            .get(begin..end.max(begin))
            .unwrap_or(&[])
            .iter()
            .collect::<String>(),
    )
}

/// `mvindex(values, start, end)`: 0-based, negative from the end, `end` included; null when
/// out of range (Search Reference, mvindex).
fn mvindex(values: &Value, start: &Value, end: Option<Value>) -> Value {
    let values = values.values();
    let total = i64::try_from(values.len()).unwrap_or(i64::MAX);
    let resolve = |index: i64| {
        if index < 0 {
            total.saturating_add(index)
        } else {
            index
        }
    };
    let Some(NumberValue::Integer(start)) = number_arg(start) else {
        return Value::Null;
    };
    let start = resolve(start);
    let end = match end {
        Some(end) => match number_arg(&end) {
            Some(NumberValue::Integer(end)) => resolve(end).min(total - 1),
            _ => return Value::Null,
        },
        None => start,
    };
    if start < 0 || start >= total || end < start {
        return Value::Null;
    }
    let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
        return Value::Null;
    };
    Value::multi(values.get(start..=end).unwrap_or(&[]).to_vec())
}

/// `mvrange(start, end, step)`: `start` up to `end` excluded; at most 10,000 values, a
/// limit of detc's so a typo cannot exhaust memory.
fn mvrange(start: &Value, end: &Value, step: Option<Value>) -> Value {
    let (Some(NumberValue::Integer(start)), Some(NumberValue::Integer(end))) =
        (number_arg(start), number_arg(end))
    else {
        return Value::Null;
    };
    let step = match step {
        Some(step) => match number_arg(&step) {
            Some(NumberValue::Integer(step)) if step > 0 => step,
            _ => return Value::Null,
        },
        None => 1,
    };
    let mut values = Vec::new();
    let mut at = start;
    while at < end && values.len() < 10_000 {
        values.push(Value::int(at));
        let Some(next) = at.checked_add(step) else {
            break;
        };
        at = next;
    }
    Value::multi(values)
}

/// `round(x, digits)`: half away from zero; an integer when no digits are kept.
fn round(x: NumberValue, digits: i64) -> Value {
    match x {
        NumberValue::Integer(_) if digits >= 0 => Value::Number(x),
        _ => {
            let Ok(digits) = i32::try_from(digits.clamp(-300, 300)) else {
                return Value::Null;
            };
            let scale = 10f64.powi(digits);
            let rounded = (x.as_f64() * scale).round() / scale;
            if digits <= 0 {
                float_to_int_value(rounded)
            } else {
                Value::float(rounded)
            }
        }
    }
}

fn float_to_integer(value: &Value, f: fn(f64) -> f64) -> Value {
    match number_arg(value) {
        Some(NumberValue::Integer(n)) => Value::int(n),
        Some(NumberValue::Float(x)) => float_to_int_value(f(x)),
        None => Value::Null,
    }
}

/// An integral float as an integer when it fits.
fn float_to_int_value(x: f64) -> Value {
    if x.is_finite() && x.abs() < 9.2e18 {
        #[allow(clippy::cast_possible_truncation, reason = "integral and in range")]
        let integer = x as i64;
        Value::int(integer)
    } else {
        Value::float(x)
    }
}

fn float_fn(value: &Value, f: impl Fn(f64) -> f64) -> Value {
    number_arg(value).map_or(Value::Null, |x| Value::float(f(x.as_f64())))
}

/// The order of `min`/`max`: numbers below text, numbers numerically, text byte-wise
/// (Search Reference, "Statistical eval functions").
fn min_max_order(a: &Value, b: &Value) -> Ordering {
    match (a.as_number(), b.as_number()) {
        (Some(x), Some(y)) if a.is_numeric() && b.is_numeric() => {
            compare_numbers(x, y).unwrap_or(Ordering::Equal)
        }
        _ if a.is_numeric() && !b.is_numeric() => Ordering::Less,
        _ if !a.is_numeric() && b.is_numeric() => Ordering::Greater,
        _ => a.text().cmp(&b.text()),
    }
}

/// `tostring(value, format)`: a number as Splunk prints it, or with `"hex"`, `"commas"`
/// (two decimals) or `"duration"` (`[D+]HH:MM:SS`); a boolean as `True` or `False`
/// (Search Reference, tostring).
fn tostring(value: &Value, format: Option<Value>) -> Value {
    let Some(value) = first(value) else {
        return Value::Null;
    };
    let format = match format {
        Some(format) => match first(&format) {
            Some(format) => Some(format.to_string()),
            None => return Value::Null,
        },
        None => None,
    };
    if let Value::Bool(truth) = value {
        return Value::string(if *truth { "True" } else { "False" });
    }
    let Some(format) = format else {
        return Value::string(value.to_string());
    };
    let Some(number) = value.as_number() else {
        return Value::string(value.to_string());
    };
    match format.as_str() {
        "hex" => match number {
            NumberValue::Integer(n) if n < 0 => Value::string(format!("-0x{:X}", n.unsigned_abs())),
            NumberValue::Integer(n) => Value::string(format!("0x{n:X}")),
            NumberValue::Float(_) => Value::Null,
        },
        "commas" => Value::string(commas(number)),
        "duration" => {
            let NumberValue::Integer(secs) = number else {
                let Value::Number(NumberValue::Integer(secs)) =
                    float_to_int_value(number.as_f64().trunc())
                else {
                    return Value::Null;
                };
                return Value::string(duration(secs));
            };
            Value::string(duration(secs))
        }
        _ => Value::string(value.to_string()),
    }
}

/// `12,345.68`: thousands separated, floats rounded to two decimals.
fn commas(number: NumberValue) -> String {
    let text = match number {
        NumberValue::Integer(n) => n.to_string(),
        NumberValue::Float(x) => format!("{x:.2}"),
    };
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = unsigned
        .split_once('.')
        .map_or((unsigned, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `HH:MM:SS`, with `D+` in front past a day.
fn duration(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let secs = secs.unsigned_abs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let clock = format!("{:02}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60);
    if days > 0 {
        format!("{sign}{days}+{clock}")
    } else {
        format!("{sign}{clock}")
    }
}

/// `tonumber(text, base)`: base 10 reads decimals, exponents and `0x` hexadecimal; bases 2 to
/// 36 read integers. Text that is not a number is null.
fn tonumber(value: &Value, base: Option<Value>) -> Value {
    let Some(value) = first(value) else {
        return Value::Null;
    };
    let base = match base {
        Some(base) => match number_arg(&base) {
            Some(NumberValue::Integer(base)) if (2..=36).contains(&base) => base,
            _ => return Value::Null,
        },
        None => 10,
    };
    if let Value::Number(number) = value
        && base == 10
    {
        return Value::Number(*number);
    }
    let text = value.to_string();
    let text = text.trim();
    if base == 10 {
        return NumberValue::parse(text).map_or(Value::Null, Value::Number);
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = if base == 16 {
        digits
            .strip_prefix("0x")
            .or_else(|| digits.strip_prefix("0X"))
            .unwrap_or(digits)
    } else {
        digits
    };
    #[allow(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "2..=36"
    )]
    let radix = base as u32;
    match i64::from_str_radix(digits, radix) {
        Ok(n) if negative => n.checked_neg().map_or(Value::Null, Value::int),
        Ok(n) => Value::int(n),
        Err(_) => Value::Null,
    }
}

/// Percent-decoding; bytes that do not form UTF-8 become U+FFFD. `+` stays `+`: the Search
/// Reference's example decodes only `%XX` sequences, and says nothing of `+`.
fn urldecode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%'
            && let Some(hex) = text.get(at + 1..at + 3)
            && let Ok(decoded) = u8::from_str_radix(hex, 16)
        {
            out.push(decoded);
            at += 3;
            continue;
        }
        out.push(byte);
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
