//! Aggregation with Splunk's semantics (spl-semantics.md 2.5, 2.6): groups by the `by`
//! fields (a row without one is dropped, unless tstats' `fillnull_value` fills it), `span=`
//! buckets on `_time`, and per group one mergeable state per function, so input split across
//! threads merges back to what one pass gives ([`GroupStates::merge`], earlier input first).

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::{AggInput, AggSpec, Aggregation};
use crate::spl::ast::AggFunction;
use crate::spl::semantics::number;

use super::eval::{EvalContext, evaluate};
use super::row::{Row, values_of};
use super::value::format_number;
use crate::spl::ast::NumberValue;

/// Most values `list` keeps (Search Reference: multivalue stats functions).
const LIST_LIMIT: usize = 100;

/// The partial state of one aggregation over some rows.
#[derive(Clone, Debug, Default)]
pub struct GroupStates {
    /// By-values → one state per function. A `BTreeMap`: Splunk returns groups sorted by
    /// their `by` values, and deterministic output needs an order anyway.
    groups: BTreeMap<Vec<String>, Vec<FnState>>,
}

/// One function's partial state.
#[derive(Clone, Debug)]
enum FnState {
    Count(u64),
    Distinct(BTreeSet<String>),
    List(Vec<String>),
    Sum {
        sum: f64,
        integer: Option<i128>,
    },
    /// Count, sum, mean and sum of squared deviations (Welford; Chan et al. to merge). The
    /// average is `sum / n`, as Splunk computes it, not the running mean (which drifts in the
    /// last digit).
    Moments {
        n: u64,
        sum: f64,
        mean: f64,
        m2: f64,
    },
    Extreme(Option<Extreme>),
    Timed(Option<(f64, String)>),
    Positional(Option<String>),
    Range {
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// The current min or max: compared as numbers while every value read as one, as text
/// otherwise (the docs say min/max order numbers numerically and strings lexically; a mix is
/// not described, and detc then compares as text).
#[derive(Clone, Debug)]
struct Extreme {
    text: String,
    number: Option<f64>,
}

impl FnState {
    fn new(function: &AggFunction) -> FnState {
        use AggFunction as F;
        match function {
            F::Dc | F::DistinctCount | F::Values => FnState::Distinct(BTreeSet::new()),
            F::List => FnState::List(Vec::new()),
            F::Sum => FnState::Sum {
                sum: 0.0,
                integer: Some(0),
            },
            F::Avg | F::Mean | F::Stdev | F::Stdevp | F::Var | F::Varp => FnState::Moments {
                n: 0,
                sum: 0.0,
                mean: 0.0,
                m2: 0.0,
            },
            F::Min | F::Max => FnState::Extreme(None),
            F::Latest | F::Earliest => FnState::Timed(None),
            F::First | F::Last => FnState::Positional(None),
            F::Range => FnState::Range {
                min: None,
                max: None,
            },
            _ => FnState::Count(0),
        }
    }

    fn add(&mut self, function: &AggFunction, value: &str, time: f64) {
        use AggFunction as F;
        match self {
            FnState::Count(count) => *count += 1,
            FnState::Distinct(set) => {
                if !set.contains(value) {
                    set.insert(value.to_owned());
                }
            }
            FnState::List(list) => {
                if list.len() < LIST_LIMIT {
                    list.push(value.to_owned());
                }
            }
            FnState::Sum { sum, integer } => {
                // Non-numeric values are ignored by sum (as by avg and stdev).
                let Some(x) = number(value) else { return };
                *sum += x;
                *integer = match (*integer, value.trim().parse::<i64>()) {
                    (Some(total), Ok(int)) => total.checked_add(i128::from(int)),
                    _ => None,
                };
            }
            FnState::Moments { n, sum, mean, m2 } => {
                let Some(x) = number(value) else { return };
                *n += 1;
                *sum += x;
                #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                let count = *n as f64;
                let delta = x - *mean;
                *mean += delta / count;
                *m2 += delta * (x - *mean);
            }
            FnState::Extreme(current) => {
                let candidate = Extreme {
                    text: value.to_owned(),
                    number: number(value),
                };
                let wanted = if matches!(function, F::Min) {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                };
                let replace = current
                    .as_ref()
                    .is_none_or(|known| extreme_order(&candidate, known) == wanted);
                if replace {
                    *current = Some(candidate);
                }
            }
            FnState::Timed(current) => {
                let later = matches!(function, F::Latest);
                let replace =
                    current.as_ref().is_none_or(
                        |(known, _)| {
                            if later { time > *known } else { time < *known }
                        },
                    );
                if replace {
                    *current = Some((time, value.to_owned()));
                }
            }
            FnState::Positional(current) => {
                if matches!(function, F::Last) || current.is_none() {
                    *current = Some(value.to_owned());
                }
            }
            FnState::Range { min, max } => {
                let Some(x) = number(value) else { return };
                *min = Some(min.map_or(x, |m| m.min(x)));
                *max = Some(max.map_or(x, |m| m.max(x)));
            }
        }
    }

    /// Merges `later` (the state of input that came after this one's) into `self`.
    fn merge(&mut self, function: &AggFunction, later: FnState) {
        match (self, later) {
            (FnState::Count(a), FnState::Count(b)) => *a += b,
            (FnState::Distinct(a), FnState::Distinct(b)) => a.extend(b),
            (FnState::List(a), FnState::List(b)) => {
                let room = LIST_LIMIT.saturating_sub(a.len());
                a.extend(b.into_iter().take(room));
            }
            (
                FnState::Sum { sum, integer },
                FnState::Sum {
                    sum: other_sum,
                    integer: other_integer,
                },
            ) => {
                *sum += other_sum;
                *integer = match (*integer, other_integer) {
                    (Some(a), Some(b)) => a.checked_add(b),
                    _ => None,
                };
            }
            (
                FnState::Moments { n, sum, mean, m2 },
                FnState::Moments {
                    n: n2,
                    sum: sum2,
                    mean: mean2,
                    m2: m22,
                },
            ) => {
                if n2 == 0 {
                    return;
                }
                *sum += sum2;
                #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                let (a, b) = (*n as f64, n2 as f64);
                let total = a + b;
                let delta = mean2 - *mean;
                *mean += delta * b / total;
                *m2 += m22 + delta * delta * a * b / total;
                *n += n2;
            }
            (state @ FnState::Extreme(_), FnState::Extreme(Some(other))) => {
                state.add(function, &other.text, 0.0);
            }
            (state @ FnState::Timed(_), FnState::Timed(Some((time, value)))) => {
                state.add(function, &value, time);
            }
            (state @ FnState::Positional(_), FnState::Positional(Some(value))) => {
                state.add(function, &value, 0.0);
            }
            (FnState::Range { min, max }, FnState::Range { min: m2, max: x2 }) => {
                *min = match (*min, m2) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                *max = match (*max, x2) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
            }
            _ => {}
        }
    }

    /// The output values (none: null).
    fn finish(self, function: &AggFunction) -> Vec<String> {
        use AggFunction as F;
        match self {
            FnState::Count(count) => vec![count.to_string()],
            FnState::Distinct(set) => match function {
                F::Values => set.into_iter().collect(),
                _ => vec![set.len().to_string()],
            },
            FnState::List(list) => list,
            FnState::Sum { sum, integer } => match integer {
                Some(integer) => vec![integer.to_string()],
                None => vec![format_float(sum)],
            },
            FnState::Moments { n, sum, m2, .. } => {
                if n == 0 {
                    return Vec::new();
                }
                #[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
                let count = n as f64;
                // Sample variance (n-1) for stdev/var, population (n) for stdevp/varp
                // (spl-semantics.md 2.6). One value: the docs are silent; detc gives 0, the
                // spread of a single sample, rather than a division by zero.
                let sample = if n > 1 { m2 / (count - 1.0) } else { 0.0 };
                let population = m2 / count;
                let value = match function {
                    F::Stdev => sample.sqrt(),
                    F::Stdevp => population.sqrt(),
                    F::Var => sample,
                    F::Varp => population,
                    _ => sum / count,
                };
                vec![format_float(value)]
            }
            FnState::Extreme(extreme) => extreme.map(|e| e.text).into_iter().collect(),
            FnState::Timed(timed) => timed.map(|(_, value)| value).into_iter().collect(),
            FnState::Positional(value) => value.into_iter().collect(),
            FnState::Range { min, max } => match (min, max) {
                (Some(min), Some(max)) => vec![format_float(max - min)],
                _ => Vec::new(),
            },
        }
    }
}

fn extreme_order(a: &Extreme, b: &Extreme) -> std::cmp::Ordering {
    match (a.number, b.number) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.text.as_bytes().cmp(b.text.as_bytes()),
    }
}

/// A computed float as Splunk prints it ([`format_number`]).
fn format_float(value: f64) -> String {
    format_number(NumberValue::Float(value))
}

impl GroupStates {
    /// Adds one row.
    pub fn add(&mut self, aggregation: &Aggregation, row: &Row, eval: &EvalContext) {
        let Some(keys) = group_keys(aggregation, row) else {
            return;
        };
        let time = row.first("_time").and_then(number).unwrap_or(0.0);
        for key in keys {
            let states = self.groups.entry(key).or_insert_with(|| {
                aggregation
                    .functions
                    .iter()
                    .map(|spec| FnState::new(&spec.function))
                    .collect()
            });
            for (spec, state) in aggregation.functions.iter().zip(states.iter_mut()) {
                add_row(spec, state, row, time, eval);
            }
        }
    }

    /// Merges the states of later input into these.
    pub fn merge(&mut self, aggregation: &Aggregation, later: GroupStates) {
        for (key, states) in later.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => {
                    for ((spec, state), other) in aggregation
                        .functions
                        .iter()
                        .zip(mine.iter_mut())
                        .zip(states)
                    {
                        state.merge(&spec.function, other);
                    }
                }
                None => {
                    self.groups.insert(key, states);
                }
            }
        }
    }

    /// The result rows, sorted by group. Without `by`, one row even over no input (`count`
    /// is then 0), as Splunk's stats and tstats return.
    #[must_use]
    pub fn finish(mut self, aggregation: &Aggregation) -> Vec<Row> {
        if aggregation.by.is_empty() && self.groups.is_empty() {
            self.groups.insert(
                Vec::new(),
                aggregation
                    .functions
                    .iter()
                    .map(|spec| FnState::new(&spec.function))
                    .collect(),
            );
        }
        self.groups
            .into_iter()
            .map(|(key, states)| {
                let mut row = Row::default();
                for (name, value) in aggregation.by.iter().zip(key) {
                    row.set(name, vec![value]);
                }
                for (spec, state) in aggregation.functions.iter().zip(states) {
                    row.set(&spec.output, state.finish(&spec.function));
                }
                row
            })
            .collect()
    }
}

fn add_row(spec: &AggSpec, state: &mut FnState, row: &Row, time: f64, eval: &EvalContext) {
    match &spec.input {
        AggInput::Rows => state.add(&spec.function, "", time),
        AggInput::Field(name) => {
            for value in row.get(name).unwrap_or_default() {
                state.add(&spec.function, value, time);
            }
        }
        // `f(eval(expr))`: the expression's value per row, nulls skipped (2.6).
        AggInput::Eval(expr) => {
            for value in values_of(&evaluate(expr, row, eval)) {
                state.add(&spec.function, &value, time);
            }
        }
    }
}

/// The groups a row falls in: one per combination of its `by` values (a multivalue `by`
/// field puts the row in one group per value); `None` when a `by` field is missing and no
/// `fillnull_value` is set (spl-semantics.md 2.5, 2.6).
fn group_keys(aggregation: &Aggregation, row: &Row) -> Option<Vec<Vec<String>>> {
    let mut keys: Vec<Vec<String>> = vec![Vec::new()];
    for name in &aggregation.by {
        let values: Vec<String> = match row.get(name) {
            Some(values) if name == "_time" && aggregation.span.is_some() => values
                .iter()
                .filter_map(|value| number(value))
                .map(|time| bucket(time, aggregation.span.unwrap_or(1)))
                .collect(),
            Some(values) => values.to_vec(),
            None => match &aggregation.fillnull {
                Some(filler) => vec![filler.clone()],
                None => return None,
            },
        };
        if values.is_empty() {
            return None;
        }
        keys = keys
            .into_iter()
            .flat_map(|key| {
                values.iter().map(move |value| {
                    let mut next = key.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect();
    }
    Some(keys)
}

/// `_time` floored to a multiple of `span` seconds from the epoch, in UTC
/// (spl-semantics.md 2.6, bin: detc bins in UTC, the zone it renders times in).
fn bucket(time: f64, span: i64) -> String {
    #[allow(clippy::cast_possible_truncation, reason = "epoch seconds fit an i64")]
    let seconds = time.floor() as i64;
    seconds
        .div_euclid(span.max(1))
        .saturating_mul(span.max(1))
        .to_string()
}

/// Runs a whole aggregation over rows (a later `stats`, or `eventstats`' first pass).
#[must_use]
pub(crate) fn aggregate(
    aggregation: &Aggregation,
    rows: &[Row],
    eval: &EvalContext,
) -> GroupStates {
    let mut states = GroupStates::default();
    for row in rows {
        states.add(aggregation, row, eval);
    }
    states
}

/// `eventstats`: each row gets the aggregates of its group; rows outside every group (a
/// missing `by` field) are kept unchanged.
pub(crate) fn eventstats(aggregation: &Aggregation, rows: &mut [Row], eval: &EvalContext) {
    let results = aggregate(aggregation, rows, eval).finish(aggregation);
    for row in rows.iter_mut() {
        let Some(keys) = group_keys(aggregation, row) else {
            continue;
        };
        let Some(key) = keys.into_iter().next() else {
            continue;
        };
        let found = results.iter().find(|result| {
            aggregation
                .by
                .iter()
                .zip(&key)
                .all(|(name, value)| result.first(name) == Some(value.as_str()))
        });
        if let Some(result) = found {
            for spec in &aggregation.functions {
                if let Some(values) = result.get(&spec.output) {
                    row.set(&spec.output, values.to_vec());
                }
            }
        }
    }
}
