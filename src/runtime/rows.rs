//! The row stage: each [`RowOp`] applied to result rows, with Splunk's semantics
//! (spl-semantics.md 2.6).

use std::cmp::Ordering;

use crate::events::FieldTable;
use crate::plan::{RowOp, matches_in};
use crate::spl::semantics::{number, wildcard_match};

use super::aggregate::{aggregate, eventstats};
use super::eval::{EvalContext, evaluate, strftime, where_keeps};
use super::lookup::{LookupTables, apply_lookup};
use super::row::{Row, RowSource, values_of};
use crate::spl::ast::NumberValue;

/// Most rows a `join` subsearch returns (Search Reference: join, subsearch limits).
const JOIN_SUBSEARCH_ROWS: usize = 50_000;

/// What a row op needs besides the rows.
pub(crate) struct RowContext<'a> {
    /// Field names, for predicates over rows.
    pub(crate) names: &'a FieldTable,
    /// Results of the plan's subsearches, by index.
    pub(crate) subsearches: &'a [Vec<Row>],
    /// Search time and regex cache for expressions.
    pub(crate) eval: &'a EvalContext,
    /// The content tree's CSV lookups.
    pub(crate) lookups: &'a LookupTables,
}

/// Applies one op to one row; `false` drops the row. Only ops that act row by row
/// (the per-event stage) are handled here; others leave the row unchanged.
pub(crate) fn apply_to_row(
    op: &RowOp,
    row: &mut Row,
    names: &FieldTable,
    eval: &EvalContext,
) -> bool {
    match op {
        RowOp::Search(predicate) => matches_in(predicate, &RowSource { row, names }),
        RowOp::Rename(pairs) => {
            rename(row, pairs);
            true
        }
        RowOp::Fields { keep, names } => {
            row.cells_mut().retain(|(name, _)| {
                let listed = names
                    .iter()
                    .any(|pattern| wildcard_match(pattern, name, false));
                // `fields a b` keeps the internal fields too (`_time`, `_raw`); `table` does not.
                listed == *keep || (*keep && name.starts_with('_'))
            });
            true
        }
        RowOp::Ctime { format, fields } => {
            for (field, output) in fields {
                let converted: Vec<String> = row
                    .get(field)
                    .unwrap_or_default()
                    .iter()
                    .map(|value| {
                        number(value)
                            .and_then(|t| strftime(NumberValue::Float(t), format))
                            .unwrap_or_else(|| value.clone())
                    })
                    .collect();
                if !converted.is_empty() {
                    row.set(output, converted);
                }
            }
            true
        }
        RowOp::Table(columns) => {
            table(row, columns);
            true
        }
        RowOp::Fillnull { value, fields } if !fields.is_empty() => {
            for field in fields {
                if row.get(field).is_none() {
                    row.set(field, vec![value.clone()]);
                }
            }
            true
        }
        RowOp::Bin {
            field,
            output,
            span,
        } => {
            let binned: Vec<String> = row
                .get(field)
                .unwrap_or_default()
                .iter()
                .filter_map(|value| number(value))
                .map(|seconds| {
                    #[allow(clippy::cast_possible_truncation, reason = "epoch seconds fit an i64")]
                    let whole = seconds.floor() as i64;
                    whole.div_euclid(*span).saturating_mul(*span).to_string()
                })
                .collect();
            if !binned.is_empty() {
                row.set(output, binned);
            }
            true
        }
        RowOp::Regex {
            field,
            negated,
            pattern,
        } => {
            let found = row
                .get(field)
                .unwrap_or_default()
                .iter()
                .any(|value| pattern.regex.is_match(value.as_str()));
            found != *negated
        }
        RowOp::Rex {
            field,
            max_match,
            pattern,
        } => {
            rex(row, field, *max_match, &pattern.regex);
            true
        }
        RowOp::Where(expr) => where_keeps(expr, row, eval),
        RowOp::Eval(assignments) => {
            // Left to right: a later assignment sees the earlier ones.
            for (field, expr) in assignments {
                let value = evaluate(expr, row, eval);
                row.set(field, values_of(&value));
            }
            true
        }
        RowOp::Fillnull { .. }
        | RowOp::Stats(_)
        | RowOp::Eventstats(_)
        | RowOp::Sort { .. }
        | RowOp::Head(_)
        | RowOp::Dedup { .. }
        | RowOp::Lookup { .. }
        | RowOp::Join { .. } => true,
    }
}

/// `rex`: each named group of each match (up to `max_match` per value, 0: all) becomes a
/// field; several matches make a multivalue. A group that did not take part sets nothing,
/// and a value that does not match leaves the fields as they were.
fn rex(row: &mut Row, field: &str, max_match: usize, regex: &regex_automata::meta::Regex) {
    let values: Vec<String> = row.get(field).unwrap_or_default().to_vec();
    let names: Vec<(usize, String)> = regex
        .group_info()
        .pattern_names(regex_automata::PatternID::ZERO)
        .enumerate()
        .filter_map(|(index, name)| name.map(|name| (index, name.to_owned())))
        .collect();
    let mut extracted: Vec<(String, Vec<String>)> = names
        .iter()
        .map(|(_, name)| (name.clone(), Vec::new()))
        .collect();
    let limit = if max_match == 0 {
        usize::MAX
    } else {
        max_match
    };
    for value in &values {
        for captures in regex.captures_iter(value.as_str()).take(limit) {
            for ((index, _), (_, out)) in names.iter().zip(extracted.iter_mut()) {
                if let Some(span) = captures.get_group(*index)
                    && let Some(text) = value.get(span.range())
                {
                    out.push(text.to_owned());
                }
            }
        }
    }
    for (name, values) in extracted {
        if !values.is_empty() {
            row.set(&name, values);
        }
    }
}

/// Applies `ops` to all rows, in order.
pub(crate) fn apply(ops: &[RowOp], mut rows: Vec<Row>, context: &RowContext<'_>) -> Vec<Row> {
    for op in ops {
        rows = match op {
            RowOp::Stats(aggregation) => {
                aggregate(aggregation, &rows, context.eval).finish(aggregation)
            }
            RowOp::Eventstats(aggregation) => {
                eventstats(aggregation, &mut rows, context.eval);
                rows
            }
            RowOp::Sort { limit, keys } => {
                rows.sort_by(|a, b| compare_rows(a, b, keys));
                if *limit > 0 {
                    rows.truncate(*limit);
                }
                rows
            }
            RowOp::Head(count) => {
                rows.truncate(*count);
                rows
            }
            RowOp::Dedup {
                fields,
                keepempty,
                consecutive,
            } => dedup(rows, fields, *keepempty, *consecutive),
            RowOp::Fillnull { value, fields } if fields.is_empty() => {
                // No fields: every field with a value in some row (Search Reference: fillnull).
                let mut present: Vec<String> = Vec::new();
                for row in &rows {
                    for (name, _) in row.cells() {
                        if !present.contains(name) {
                            present.push(name.clone());
                        }
                    }
                }
                for row in &mut rows {
                    for name in &present {
                        if row.get(name).is_none() {
                            row.set(name, vec![value.clone()]);
                        }
                    }
                }
                rows
            }
            RowOp::Lookup {
                table,
                inputs,
                outputs,
                output_new,
            } => {
                if let Some(table) = context.lookups.get(table) {
                    for row in &mut rows {
                        apply_lookup(row, table, inputs, outputs, *output_new);
                    }
                }
                rows
            }
            RowOp::Join {
                fields,
                left,
                max,
                overwrite,
                subsearch,
            } => {
                let right = context
                    .subsearches
                    .get(*subsearch)
                    .map_or(&[][..], Vec::as_slice);
                join(rows, right, fields, *left, *max, *overwrite)
            }
            _ => rows
                .into_iter()
                .filter_map(|mut row| {
                    apply_to_row(op, &mut row, context.names, context.eval).then_some(row)
                })
                .collect(),
        };
    }
    rows
}

/// `rename from AS to`: a `*` in `from` captures, and the capture replaces the `*` of `to`.
/// Renaming onto an existing field replaces it.
fn rename(row: &mut Row, pairs: &[(String, String)]) {
    for (from, to) in pairs {
        let Some((prefix, suffix)) = from.split_once('*') else {
            if let Some(values) = row.get(from).map(<[String]>::to_vec) {
                if from != to {
                    row.remove(to);
                }
                rename_cell(row, from, to, values);
            }
            continue;
        };
        let matched: Vec<(String, String)> = row
            .cells()
            .iter()
            .filter_map(|(name, _)| {
                let capture = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
                Some((name.clone(), to.replacen('*', capture, 1)))
            })
            .collect();
        for (old, new) in matched {
            if let Some(values) = row.get(&old).map(<[String]>::to_vec) {
                if old != new {
                    row.remove(&new);
                }
                rename_cell(row, &old, &new, values);
            }
        }
    }
}

/// Renames a cell in place (keeping its position).
fn rename_cell(row: &mut Row, old: &str, new: &str, values: Vec<String>) {
    if let Some(cell) = row.cells_mut().iter_mut().find(|(name, _)| name == old) {
        *cell = (new.to_owned(), values);
    }
}

/// `table`: the listed columns (wildcards expanded in row order), in list order.
fn table(row: &mut Row, columns: &[String]) {
    let mut kept: Vec<(String, Vec<String>)> = Vec::new();
    for pattern in columns {
        for (name, values) in row.cells() {
            if wildcard_match(pattern, name, false) && !kept.iter().any(|(k, _)| k == name) {
                kept.push((name.clone(), values.clone()));
            }
        }
    }
    *row.cells_mut() = kept;
}

/// `sort`: numbers as numbers, other values as text; a missing value sorts last.
fn compare_rows(a: &Row, b: &Row, keys: &[(String, bool)]) -> Ordering {
    for (field, descending) in keys {
        let ordering = match (a.first(field), b.first(field)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let order = match (number(x), number(y)) {
                    (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
                    _ => x.cmp(y),
                };
                if *descending { order.reverse() } else { order }
            }
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// `dedup`: the first row of each combination of values; rows missing a field are dropped
/// unless `keepempty` (Search Reference: dedup).
fn dedup(rows: Vec<Row>, fields: &[String], keepempty: bool, consecutive: bool) -> Vec<Row> {
    let mut seen: std::collections::HashSet<Vec<String>> = std::collections::HashSet::new();
    let mut previous: Option<Vec<String>> = None;
    rows.into_iter()
        .filter(|row| {
            let key: Option<Vec<String>> = fields
                .iter()
                .map(|field| row.get(field).map(|values| values.join("\n")))
                .collect();
            let Some(key) = key else {
                return keepempty;
            };
            if consecutive {
                let keep = previous.as_ref() != Some(&key);
                previous = Some(key);
                keep
            } else {
                seen.insert(key)
            }
        })
        .collect()
}

/// Whether `right` joins `left`: equal values in every join field (both rows must have it).
/// Without join fields, Splunk joins on the fields the two rows have in common (Search
/// Reference: join, "If no fields are specified, all of the fields that are common to both
/// result sets are used"); rows with no field in common do not join.
fn join_matches(left: &Row, right: &Row, fields: &[String]) -> bool {
    if fields.is_empty() {
        let mut common = left
            .cells()
            .iter()
            .filter_map(|(name, values)| right.get(name).map(|other| (values, other)))
            .peekable();
        return common.peek().is_some() && common.all(|(a, b)| a.as_slice() == b);
    }
    fields
        .iter()
        .all(|field| match (left.get(field), right.get(field)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        })
}

/// `join`: each left row with its first `max` matching right rows (0: all), compared
/// exactly on the join fields; unmatched left rows are kept only for `type=left|outer`.
fn join(
    left: Vec<Row>,
    right: &[Row],
    fields: &[String],
    keep_unmatched: bool,
    max: usize,
    overwrite: bool,
) -> Vec<Row> {
    let right = right
        .get(..JOIN_SUBSEARCH_ROWS.min(right.len()))
        .unwrap_or(right);
    let mut out = Vec::with_capacity(left.len());
    for row in left {
        let matches: Vec<&Row> = right
            .iter()
            .filter(|candidate| join_matches(&row, candidate, fields))
            .take(if max == 0 { usize::MAX } else { max })
            .collect();
        if matches.is_empty() {
            if keep_unmatched {
                out.push(row);
            }
            continue;
        }
        for matched in matches {
            let mut joined = row.clone();
            for (name, values) in matched.cells() {
                if overwrite || joined.get(name).is_none() {
                    joined.set(name, values.clone());
                }
            }
            out.push(joined);
        }
    }
    out
}
