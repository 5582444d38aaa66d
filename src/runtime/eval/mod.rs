//! Evaluation of eval/where expressions ([`Expr`]) against a row, with Splunk's types and
//! null rules (spl-semantics.md 2.4): null propagates through arithmetic and string
//! operations, a comparison with null is false, `AND`/`OR`/`NOT` are three-valued over
//! booleans and unknowns, `where` keeps a row only when its test is true.
//!
//! The row is a [`Row`]: the plan backs it with events or result rows. Regexes are compiled
//! once per pattern into the per-worker [`EvalContext`] (like regex-automata's `Cache`: a run
//! owns it, the expressions stay immutable). Evaluation never panics and never fails: what
//! Splunk would reject as a type error evaluates to null here.

mod functions;
mod pattern;
mod time;

use std::cell::RefCell;
use std::cmp::Ordering;

use crate::events::Timestamp;
use crate::spl::ast::{BinaryOp, CompareOp, Expr, NumberValue, Quote, UnaryOp};

use super::value::{Value, compare};
use pattern::RegexCache;

pub use functions::is_evaluated;
pub use pattern::{check_regex, like_matches};
pub use time::{relative_time, strftime, strptime};

/// Nesting deeper than this evaluates to null instead of risking the stack. The parser
/// already stops at `spl::MAX_DEPTH` levels of parentheses, but operator chains such as
/// `a.b.c.…` deepen the tree without them.
pub const MAX_EVAL_DEPTH: u32 = 512;

/// Field values by name.
pub trait Row {
    /// The value of field `name` ([`Value::Null`] when the row lacks it); several values
    /// are one [`Value::Multi`].
    fn field(&self, name: &str) -> Value;
}

/// A row of `(name, value)` pairs (tests, small result rows).
impl Row for Vec<(&str, Value)> {
    fn field(&self, name: &str) -> Value {
        self.iter()
            .find(|(known, _)| *known == name)
            .map_or(Value::Null, |(_, value)| value.clone())
    }
}

/// What evaluation needs besides the row: the search time, and the regexes compiled so far.
/// One per worker thread.
#[derive(Debug)]
pub struct EvalContext {
    now: Timestamp,
    regexes: RefCell<RegexCache>,
}

impl EvalContext {
    /// A context whose `now()` and `time()` are `now` (detc's `--now`), so runs are
    /// deterministic.
    #[must_use]
    pub fn new(now: Timestamp) -> EvalContext {
        EvalContext {
            now,
            regexes: RefCell::new(RegexCache::default()),
        }
    }

    /// The search time.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.now
    }
}

/// The search time of a run, as `--now` or `detc.toml`'s `[run] now` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchTime {
    /// A fixed time (RFC 3339 given, or the current time by default, as Splunk's).
    At(Timestamp),
    /// `latest`: the newest event read, known only once every input has been read.
    LatestEvent,
}

impl SearchTime {
    /// `latest`, or an RFC 3339 time (epoch seconds also read); `None` for anything else.
    #[must_use]
    pub fn parse(text: &str) -> Option<SearchTime> {
        if text == "latest" {
            Some(SearchTime::LatestEvent)
        } else {
            Timestamp::parse(text).map(SearchTime::At)
        }
    }
}

/// The value of `expr` for `row`.
#[must_use]
pub fn evaluate(expr: &Expr, row: &dyn Row, context: &EvalContext) -> Value {
    Evaluator { row, context }.eval(expr, 0)
}

/// Whether `where expr` keeps `row`: only when the test is true (false and unknown drop it).
#[must_use]
pub fn where_keeps(expr: &Expr, row: &dyn Row, context: &EvalContext) -> bool {
    evaluate(expr, row, context).truth() == Some(true)
}

/// One evaluation: a row and the context.
struct Evaluator<'a> {
    row: &'a dyn Row,
    context: &'a EvalContext,
}

impl Evaluator<'_> {
    fn eval(&self, expr: &Expr, depth: u32) -> Value {
        if depth > MAX_EVAL_DEPTH {
            return Value::Null;
        }
        let depth = depth + 1;
        match expr {
            Expr::Number(number) => Value::Number(number.value),
            Expr::String(literal) => Value::string(literal.value.as_str()),
            Expr::Field(literal) => {
                // A bare `null` is the null value (spl-semantics.md 2.7 case 29), not a field.
                if literal.quote == Quote::None && literal.value == "null" {
                    Value::Null
                } else {
                    self.row.field(&literal.value)
                }
            }
            // An unexpanded macro has no value detc can know.
            Expr::Macro(_) => Value::Null,
            Expr::Unary { op, operand, .. } => {
                let value = self.eval(operand, depth);
                match op {
                    UnaryOp::Not => truth_value(value.truth().map(|truth| !truth)),
                    UnaryOp::Neg => negate(&value),
                }
            }
            Expr::Binary { op, lhs, rhs, .. } => self.binary(*op, lhs, rhs, depth),
            Expr::In { lhs, list, .. } => {
                let value = self.eval(lhs, depth);
                let found = list.iter().any(|item| {
                    let item = self.eval(item, depth);
                    compare_op(CompareOp::Eq, &value, &item)
                });
                Value::Bool(found)
            }
            Expr::Call { function, args, .. } => functions::call(self, function, args, depth),
        }
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr, depth: u32) -> Value {
        match op {
            BinaryOp::And => {
                let left = self.eval(lhs, depth).truth();
                if left == Some(false) {
                    return Value::Bool(false);
                }
                let right = self.eval(rhs, depth).truth();
                truth_value(match (left, right) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                })
            }
            BinaryOp::Or => {
                let left = self.eval(lhs, depth).truth();
                if left == Some(true) {
                    return Value::Bool(true);
                }
                let right = self.eval(rhs, depth).truth();
                truth_value(match (left, right) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                })
            }
            BinaryOp::Xor => {
                let left = self.eval(lhs, depth).truth();
                let right = self.eval(rhs, depth).truth();
                truth_value(left.zip(right).map(|(a, b)| a != b))
            }
            BinaryOp::Compare(op) => {
                let (a, b) = (self.eval(lhs, depth), self.eval(rhs, depth));
                Value::Bool(compare_op(op, &a, &b))
            }
            BinaryOp::Like => {
                let (value, pattern) = (self.eval(lhs, depth), self.eval(rhs, depth));
                Value::Bool(like_value(&value, &pattern))
            }
            BinaryOp::Concat => {
                let (a, b) = (self.eval(lhs, depth), self.eval(rhs, depth));
                concat(&a, &b)
            }
            BinaryOp::Add => {
                let (a, b) = (self.eval(lhs, depth), self.eval(rhs, depth));
                add(&a, &b)
            }
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => {
                let (a, b) = (self.eval(lhs, depth), self.eval(rhs, depth));
                match (a.as_number(), b.as_number()) {
                    (Some(x), Some(y)) => arithmetic(op, x, y),
                    _ => Value::Null,
                }
            }
        }
    }
}

/// A three-valued truth as a value: unknown is null.
fn truth_value(truth: Option<bool>) -> Value {
    truth.map_or(Value::Null, Value::Bool)
}

/// Whether some value of `a` and some value of `b` satisfy `test`. A multivalue field
/// compares true when any of its values does: the docs state this for the search command
/// (spl-semantics.md 2.3) and are silent for eval; detc applies the same rule, so that
/// `where` and `search` agree on a multivalue field.
fn any_pair(a: &Value, b: &Value, test: impl Fn(&Value, &Value) -> bool) -> bool {
    a.values()
        .iter()
        .any(|x| b.values().iter().any(|y| test(x, y)))
}

/// `a op b`: false when either side is null (spl-semantics.md 2.4, "Null").
fn compare_op(op: CompareOp, a: &Value, b: &Value) -> bool {
    any_pair(a, b, |x, y| {
        compare(x, y).is_some_and(|order| match op {
            CompareOp::Eq | CompareOp::EqEq => order == Ordering::Equal,
            CompareOp::Ne => order != Ordering::Equal,
            CompareOp::Lt => order == Ordering::Less,
            CompareOp::Le => order != Ordering::Greater,
            CompareOp::Gt => order == Ordering::Greater,
            CompareOp::Ge => order != Ordering::Less,
        })
    })
}

/// `value LIKE pattern`, true when any value matches; null never matches.
fn like_value(value: &Value, pattern: &Value) -> bool {
    let Some(pattern) = pattern.values().first() else {
        return false;
    };
    let pattern = pattern.text();
    value
        .values()
        .iter()
        .any(|single| like_matches(&single.text(), &pattern))
}

/// `a . b`: the texts joined; null if either is null. On a multivalue the docs are silent;
/// detc uses its first value.
fn concat(a: &Value, b: &Value) -> Value {
    match (a.values().first(), b.values().first()) {
        (Some(x), Some(y)) => Value::string(format!("{x}{y}")),
        _ => Value::Null,
    }
}

/// `a + b`: addition of two numbers, concatenation of two strings (Search Reference, eval,
/// "Operators": `+` takes two numbers or two strings). A number and a non-numeric string
/// are a type error in Splunk, null here.
fn add(a: &Value, b: &Value) -> Value {
    let (Some(x), Some(y)) = (a.values().first(), b.values().first()) else {
        return Value::Null;
    };
    if x.is_numeric() || y.is_numeric() {
        return match (x.as_number(), y.as_number()) {
            (Some(x), Some(y)) => arithmetic(BinaryOp::Add, x, y),
            _ => Value::Null,
        };
    }
    match (x, y) {
        (Value::Str { .. }, Value::Str { .. }) => Value::string(format!("{x}{y}")),
        _ => Value::Null,
    }
}

/// `-x`.
fn negate(value: &Value) -> Value {
    match value.as_number() {
        Some(NumberValue::Integer(integer)) => integer
            .checked_neg()
            .map_or_else(|| Value::float(-(integer as f64)), Value::int),
        Some(NumberValue::Float(float)) => Value::float(-float),
        None => Value::Null,
    }
}

/// Arithmetic on two numbers: exact on integers while the result fits (and for a division
/// that leaves no remainder), in floating point otherwise. Division or remainder by zero is
/// null.
fn arithmetic(op: BinaryOp, x: NumberValue, y: NumberValue) -> Value {
    if let (NumberValue::Integer(a), NumberValue::Integer(b)) = (x, y) {
        let exact = match op {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Sub => a.checked_sub(b),
            BinaryOp::Mul => a.checked_mul(b),
            BinaryOp::Div if b == 0 => return Value::Null,
            BinaryOp::Div => a
                .checked_rem(b)
                .filter(|rest| *rest == 0)
                .and_then(|_| a.checked_div(b)),
            BinaryOp::Rem if b == 0 => return Value::Null,
            BinaryOp::Rem => a.checked_rem(b),
            _ => None,
        };
        if let Some(exact) = exact {
            return Value::int(exact);
        }
    }
    let (a, b) = (x.as_f64(), y.as_f64());
    Value::float(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div if b == 0.0 => return Value::Null,
        BinaryOp::Div => a / b,
        BinaryOp::Rem if b == 0.0 => return Value::Null,
        BinaryOp::Rem => a % b,
        _ => return Value::Null,
    })
}
