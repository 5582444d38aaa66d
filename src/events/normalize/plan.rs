//! The compiled form of a `detc_mapping`: conditions and transforms over interned field ids,
//! with regexes built once, evaluated per event into borrowed values where the result is a
//! slice of a raw value (copy, basename, regex groups, split items, constants).

use std::borrow::Cow;

use regex_automata::meta::Regex;

use super::forever::forever;
use crate::content::mapping::{Condition, FieldTest, Transform, TransformKind};
use crate::events::{Event, FieldId, FieldTable, Origin};

/// A compiled [`Condition`].
#[derive(Debug)]
pub(crate) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Equals(FieldId, String),
    In(FieldId, Vec<String>),
    Regex(FieldId, Regex),
    Exists(FieldId, bool),
    FieldEq(FieldId, FieldId),
}

/// A compiled [`Transform`].
#[derive(Debug)]
pub(crate) struct Plan {
    kind: PlanKind,
    null_values: Vec<String>,
}

#[derive(Debug)]
enum PlanKind {
    Copy(FieldId),
    Basename(Box<Plan>),
    Lower(Box<Plan>),
    Upper(Box<Plan>),
    Regex {
        input: Box<Plan>,
        regex: Regex,
        group: usize,
        keep_unmatched: bool,
        every_match: bool,
    },
    Split {
        input: Box<Plan>,
        separator: String,
    },
    Const(&'static str),
    Concat(Vec<Plan>),
    Sum(Vec<Plan>),
    Coalesce(Vec<Plan>),
    Count(Box<Plan>),
    Length(Box<Plan>),
    Lookup {
        key: Box<Plan>,
        table: Vec<(String, &'static str)>,
        default: Option<&'static str>,
    },
    Case(Vec<(Cond, Plan)>),
}

/// Why a mapping could not be compiled (the content reader reports the same problems as
/// diagnostics; this only happens for a mapping built by hand).
#[derive(Debug, thiserror::Error)]
#[error("regex `{pattern}` does not compile: {reason}")]
pub struct PlanError {
    pattern: String,
    reason: String,
}

fn regex(pattern: &str) -> Result<Regex, PlanError> {
    Regex::new(pattern).map_err(|error| PlanError {
        pattern: pattern.to_string(),
        reason: error.to_string(),
    })
}

impl Cond {
    pub(crate) fn compile(
        condition: &Condition,
        fields: &mut FieldTable,
    ) -> Result<Cond, PlanError> {
        let all = |items: &[Condition], fields: &mut FieldTable| {
            items
                .iter()
                .map(|item| Cond::compile(item, fields))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match condition {
            Condition::All(items) => Cond::All(all(items, fields)?),
            Condition::Any(items) => Cond::Any(all(items, fields)?),
            Condition::Not(inner) => Cond::Not(Box::new(Cond::compile(inner, fields)?)),
            Condition::Test { field, test } => {
                let id = fields.intern(&field.value);
                match test {
                    FieldTest::Equals(value) => Cond::Equals(id, value.clone()),
                    FieldTest::In(values) => Cond::In(id, values.clone()),
                    FieldTest::Regex(pattern) => Cond::Regex(id, regex(&pattern.value)?),
                    FieldTest::Exists(flag) => Cond::Exists(id, *flag),
                    FieldTest::FieldEq(other) => Cond::FieldEq(id, fields.intern(other)),
                }
            }
        })
    }

    /// Every field it reads.
    pub(crate) fn inputs(&self, out: &mut Vec<FieldId>) {
        match self {
            Cond::All(items) | Cond::Any(items) => items.iter().for_each(|item| item.inputs(out)),
            Cond::Not(inner) => inner.inputs(out),
            Cond::Equals(field, _)
            | Cond::In(field, _)
            | Cond::Regex(field, _)
            | Cond::Exists(field, _) => out.push(*field),
            Cond::FieldEq(field, other) => out.extend([*field, *other]),
        }
    }

    /// Whether the event passes. Field tests read raw values (and the reserved slots), so a
    /// data source's membership never depends on what another mapping computed.
    pub(crate) fn holds(&self, event: &Event<'_>) -> bool {
        match self {
            Cond::All(items) => items.iter().all(|item| item.holds(event)),
            Cond::Any(items) => items.iter().any(|item| item.holds(event)),
            Cond::Not(inner) => !inner.holds(event),
            Cond::Equals(field, value) => any_raw(event, *field, |v| v.eq_ignore_ascii_case(value)),
            Cond::In(field, values) => any_raw(event, *field, |v| {
                values.iter().any(|value| v.eq_ignore_ascii_case(value))
            }),
            Cond::Regex(field, regex) => any_raw(event, *field, |v| regex.is_match(v)),
            Cond::Exists(field, flag) => any_raw(event, *field, |_| true) == *flag,
            Cond::FieldEq(field, other) => {
                any_raw(event, *field, |v| any_raw(event, *other, |w| v == w))
            }
        }
    }
}

/// Whether some raw value of `field` passes `test`: the reserved slot for `source`, `host`,
/// ..., else the entries read from the record.
fn any_raw(event: &Event<'_>, field: FieldId, test: impl FnMut(&str) -> bool) -> bool {
    if field.is_reserved() {
        event.values(field).any(test)
    } else {
        event.values_from(field, Origin::Raw).any(test)
    }
}

/// Replaces the values from `start` on by what `each` pushes for each of them, in order,
/// without a temporary vector (the inputs are moved out, then their slots drained).
fn replace_each<'buf>(
    out: &mut Vec<Cow<'buf, str>>,
    start: usize,
    mut each: impl FnMut(Cow<'buf, str>, &mut Vec<Cow<'buf, str>>),
) {
    let end = out.len();
    for index in start..end {
        let value = out.get_mut(index).map(std::mem::take).unwrap_or_default();
        each(value, out);
    }
    out.drain(start..end);
}

impl Plan {
    /// The values of raw field `field`.
    pub(crate) fn copy(field: FieldId) -> Plan {
        Plan {
            kind: PlanKind::Copy(field),
            null_values: Vec::new(),
        }
    }

    /// The basename of each value of raw field `field`.
    pub(crate) fn basename_of(field: FieldId) -> Plan {
        Plan {
            kind: PlanKind::Basename(Box::new(Plan::copy(field))),
            null_values: Vec::new(),
        }
    }

    pub(crate) fn compile(
        transform: &Transform,
        fields: &mut FieldTable,
    ) -> Result<Plan, PlanError> {
        let boxed = |inner: &Transform, fields: &mut FieldTable| -> Result<Box<Plan>, PlanError> {
            Ok(Box::new(Plan::compile(inner, fields)?))
        };
        let list = |items: &[Transform], fields: &mut FieldTable| {
            items
                .iter()
                .map(|item| Plan::compile(item, fields))
                .collect::<Result<Vec<_>, _>>()
        };
        let kind = match &transform.kind {
            TransformKind::Copy(name) => PlanKind::Copy(fields.intern(name)),
            TransformKind::Basename(inner) => PlanKind::Basename(boxed(inner, fields)?),
            TransformKind::Lower(inner) => PlanKind::Lower(boxed(inner, fields)?),
            TransformKind::Upper(inner) => PlanKind::Upper(boxed(inner, fields)?),
            TransformKind::Count(inner) => PlanKind::Count(boxed(inner, fields)?),
            TransformKind::Length(inner) => PlanKind::Length(boxed(inner, fields)?),
            TransformKind::Regex {
                input,
                pattern,
                group,
                keep_unmatched,
                every_match,
            } => PlanKind::Regex {
                input: boxed(input, fields)?,
                regex: regex(&pattern.value)?,
                group: *group,
                keep_unmatched: *keep_unmatched,
                every_match: *every_match,
            },
            TransformKind::Split { input, separator } => PlanKind::Split {
                input: boxed(input, fields)?,
                separator: separator.clone(),
            },
            TransformKind::Const(value) => PlanKind::Const(forever(value)),
            TransformKind::Concat(parts) => PlanKind::Concat(list(parts, fields)?),
            TransformKind::Sum(parts) => PlanKind::Sum(list(parts, fields)?),
            TransformKind::Coalesce(parts) => PlanKind::Coalesce(list(parts, fields)?),
            TransformKind::Lookup {
                key,
                table,
                default,
            } => PlanKind::Lookup {
                key: boxed(key, fields)?,
                table: table
                    .iter()
                    .map(|(from, to)| (from.clone(), forever(to)))
                    .collect(),
                default: default.as_deref().map(forever),
            },
            TransformKind::Case(branches) => PlanKind::Case(
                branches
                    .iter()
                    .map(|(when, then)| {
                        Ok((Cond::compile(when, fields)?, Plan::compile(then, fields)?))
                    })
                    .collect::<Result<Vec<_>, PlanError>>()?,
            ),
        };
        Ok(Plan {
            kind,
            null_values: transform.null_values.clone(),
        })
    }

    /// Every raw field it reads.
    pub(crate) fn inputs(&self, out: &mut Vec<FieldId>) {
        match &self.kind {
            PlanKind::Copy(field) => out.push(*field),
            PlanKind::Basename(inner)
            | PlanKind::Lower(inner)
            | PlanKind::Upper(inner)
            | PlanKind::Count(inner)
            | PlanKind::Length(inner)
            | PlanKind::Regex { input: inner, .. }
            | PlanKind::Split { input: inner, .. }
            | PlanKind::Lookup { key: inner, .. } => inner.inputs(out),
            PlanKind::Const(_) => {}
            PlanKind::Concat(parts) | PlanKind::Sum(parts) | PlanKind::Coalesce(parts) => {
                parts.iter().for_each(|part| part.inputs(out));
            }
            PlanKind::Case(branches) => {
                for (when, then) in branches {
                    when.inputs(out);
                    then.inputs(out);
                }
            }
        }
    }

    /// Appends this transform's values for `event` to `out`. A value that is a slice of a raw
    /// value stays borrowed from the read buffer; constants are `'static`.
    pub(crate) fn eval<'buf>(&self, event: &Event<'buf>, out: &mut Vec<Cow<'buf, str>>) {
        let start = out.len();
        match &self.kind {
            PlanKind::Copy(field) => copy_raw(event, *field, out),
            PlanKind::Basename(inner) => {
                inner.eval(event, out);
                map_tail(out, start, |value| {
                    let cut = value.rfind(['\\', '/']).map_or(0, |at| at + 1);
                    Some(value.get(cut..).unwrap_or_default())
                });
            }
            PlanKind::Lower(inner) => {
                inner.eval(event, out);
                for value in out.iter_mut().skip(start) {
                    if value.chars().any(char::is_uppercase) {
                        *value = Cow::Owned(value.to_lowercase());
                    }
                }
            }
            PlanKind::Upper(inner) => {
                inner.eval(event, out);
                for value in out.iter_mut().skip(start) {
                    if value.chars().any(char::is_lowercase) {
                        *value = Cow::Owned(value.to_uppercase());
                    }
                }
            }
            PlanKind::Regex {
                input,
                regex,
                group,
                keep_unmatched,
                every_match,
            } => {
                input.eval(event, out);
                replace_each(out, start, |value, out| {
                    let before = out.len();
                    if *every_match {
                        for found in regex.captures_iter(value.as_ref()) {
                            if let Some(span) = found.get_group(*group) {
                                out.push(sub(&value, span.start, span.end));
                            }
                        }
                    } else if let Some((from, to)) = first_group(regex, &value, *group) {
                        out.push(sub(&value, from, to));
                    }
                    if out.len() == before && *keep_unmatched {
                        out.push(value);
                    }
                });
            }
            PlanKind::Split { input, separator } => {
                input.eval(event, out);
                replace_each(out, start, |value, out| match value {
                    Cow::Borrowed(text) => out.extend(
                        text.split(separator.as_str())
                            .filter(|item| !item.is_empty())
                            .map(Cow::Borrowed),
                    ),
                    Cow::Owned(text) => out.extend(
                        text.split(separator.as_str())
                            .filter(|item| !item.is_empty())
                            .map(|item| Cow::Owned(item.to_string())),
                    ),
                });
            }
            PlanKind::Const(value) => out.push(Cow::Borrowed(*value)),
            PlanKind::Concat(parts) => {
                let mut joined = String::new();
                for part in parts {
                    part.eval(event, out);
                    let Some(first) = out.get(start) else {
                        return;
                    };
                    joined.push_str(first);
                    out.truncate(start);
                }
                out.push(Cow::Owned(joined));
            }
            PlanKind::Sum(parts) => {
                let mut total = Number::None;
                for part in parts {
                    part.eval(event, out);
                    if let Some(first) = out.get(start) {
                        total = total.add(first);
                    }
                    out.truncate(start);
                }
                if let Some(text) = total.render() {
                    out.push(Cow::Owned(text));
                }
            }
            PlanKind::Coalesce(parts) => {
                for part in parts {
                    part.eval(event, out);
                    if out.len() > start {
                        break;
                    }
                }
            }
            PlanKind::Count(inner) => {
                inner.eval(event, out);
                let count = out.len() - start;
                out.truncate(start);
                if count > 0 {
                    out.push(Cow::Owned(count.to_string()));
                }
            }
            PlanKind::Length(inner) => {
                inner.eval(event, out);
                for value in out.iter_mut().skip(start) {
                    *value = Cow::Owned(value.chars().count().to_string());
                }
            }
            PlanKind::Lookup {
                key,
                table,
                default,
            } => {
                key.eval(event, out);
                replace_each(out, start, |found, out| {
                    let row = table
                        .iter()
                        .find(|(from, _)| from.eq_ignore_ascii_case(&found));
                    match (row, default) {
                        (Some((_, to)), _) => out.push(Cow::Borrowed(*to)),
                        (None, Some(default)) => out.push(Cow::Borrowed(*default)),
                        (None, None) => {}
                    }
                });
            }
            PlanKind::Case(branches) => {
                if let Some((_, then)) = branches.iter().find(|(when, _)| when.holds(event)) {
                    then.eval(event, out);
                }
            }
        }
        if !self.null_values.is_empty() {
            let mut index = start;
            while index < out.len() {
                let is_null = out
                    .get(index)
                    .is_some_and(|value| self.null_values.iter().any(|null| null == value));
                if is_null {
                    out.remove(index);
                } else {
                    index += 1;
                }
            }
        }
    }
}

/// The raw values of `field`, borrowed from the read buffer when the event borrows them.
fn copy_raw<'buf>(event: &Event<'buf>, field: FieldId, out: &mut Vec<Cow<'buf, str>>) {
    if field.is_reserved() {
        // Reserved slots are reachable only through `&self`: copy (rare: `dvc: host`).
        out.extend(
            event
                .values(field)
                .map(|value| Cow::Owned(value.to_string())),
        );
        return;
    }
    for entry in event.entries() {
        if entry.field == field && entry.origin == Origin::Raw {
            out.push(match &entry.value {
                Cow::Borrowed(text) => Cow::Borrowed(*text),
                Cow::Owned(text) => Cow::Owned(text.clone()),
            });
        }
    }
}

/// Where group `group` of the first match of `regex` in `text` is. The common case (a group
/// below 8) fills slots on the stack: no `Captures` allocation per value.
fn first_group(regex: &Regex, text: &str, group: usize) -> Option<(usize, usize)> {
    const STACK_GROUPS: usize = 8;
    if group >= STACK_GROUPS {
        let found = regex.captures_iter(text).next()?;
        let span = found.get_group(group)?;
        return Some((span.start, span.end));
    }
    // Slots 2g and 2g+1 hold group g; a slice shorter than the pattern needs is allowed, the
    // groups past it are simply not reported.
    let mut slots = [None; 2 * STACK_GROUPS];
    let wanted = slots.get_mut(..2 * (group + 1))?;
    regex.search_slots(&regex_automata::Input::new(text), wanted)?;
    let from = wanted.get(2 * group).copied().flatten()?;
    let to = wanted.get(2 * group + 1).copied().flatten()?;
    Some((from.get(), to.get()))
}

/// `value[start..end]`, borrowed when `value` is.
fn sub<'buf>(value: &Cow<'buf, str>, start: usize, end: usize) -> Cow<'buf, str> {
    match value {
        Cow::Borrowed(text) => Cow::Borrowed(text.get(start..end).unwrap_or_default()),
        Cow::Owned(text) => Cow::Owned(text.get(start..end).unwrap_or_default().to_string()),
    }
}

/// Replaces each value from `start` on with a sub-slice chosen by `pick` (borrowed stays
/// borrowed); `None` drops the value.
fn map_tail<'buf>(
    out: &mut Vec<Cow<'buf, str>>,
    start: usize,
    pick: impl Fn(&str) -> Option<&str>,
) {
    let mut index = start;
    while let Some(value) = out.get_mut(index) {
        let Some(slice) = pick(value) else {
            out.remove(index);
            continue;
        };
        let (from, to) = offsets(value, slice);
        *value = sub(value, from, to);
        index += 1;
    }
}

/// Where `slice` (a sub-slice of `whole`) sits in `whole`.
fn offsets(whole: &str, slice: &str) -> (usize, usize) {
    let from = (slice.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    (from, from + slice.len())
}

/// A running numeric sum: integers stay integers (`97 + 19 = 116`, as Splunk's `eval` prints
/// them), a fraction anywhere makes the sum a float.
#[derive(Clone, Copy)]
enum Number {
    None,
    Int(i64),
    Float(f64),
}

impl Number {
    fn add(self, text: &str) -> Number {
        let text = text.trim();
        if let Ok(int) = text.parse::<i64>() {
            return match self {
                Number::None => Number::Int(int),
                Number::Int(sum) => sum
                    .checked_add(int)
                    .map_or(Number::Float(sum as f64 + int as f64), Number::Int),
                Number::Float(sum) => Number::Float(sum + int as f64),
            };
        }
        match text.parse::<f64>() {
            Ok(float) if float.is_finite() => match self {
                Number::None => Number::Float(float),
                Number::Int(sum) => Number::Float(sum as f64 + float),
                Number::Float(sum) => Number::Float(sum + float),
            },
            // Not a number: ignored, as section 4.2 says.
            _ => self,
        }
    }

    fn render(self) -> Option<String> {
        match self {
            Number::None => None,
            Number::Int(sum) => Some(sum.to_string()),
            Number::Float(sum) => Some(sum.to_string()),
        }
    }
}
