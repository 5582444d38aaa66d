//! Which fields of a matching event a plan without aggregation must keep until the row stage.
//!
//! Such a plan holds every row that passes its per-event stage until the input ends (the row
//! stage sorts, dedups, aggregates over all of them), and a row made from an event holds every
//! field and `_raw`. When the row stage provably reads only some fields before it replaces the
//! rows (a later `stats`) or chooses columns (`table`), rows keep only those: the answer is the
//! same, and memory is the fields read rather than whole events. The analysis runs backwards
//! over the row stage and gives up (keep everything) at any op it cannot see through.

use std::collections::BTreeSet;

use crate::events::FieldTable;

use super::lower::{AggInput, Aggregation, Plan, RowOp};
use super::predicate::Predicate;

/// The fields rows of `plan` must keep after its per-event stage, or `None` to keep all (the
/// plan aggregates, or its row stage may read fields this analysis cannot name). `_time` is
/// always kept: rows are ordered by it.
#[must_use]
pub(crate) fn stored_fields(plan: &Plan, names: &FieldTable) -> Option<Vec<String>> {
    if plan.aggregation.is_some() {
        return None;
    }
    // `None`: every field is live (what the output shows when nothing narrows it).
    let mut live: Option<BTreeSet<String>> = None;
    for op in plan.row_stage.iter().rev() {
        live = live_before(op, live, names)?;
    }
    let mut live = live?;
    live.insert("_time".to_owned());
    Some(live.into_iter().collect())
}

/// The live fields before `op`, given those after it. `Some(None)`: all fields are live;
/// `None` (the outer one): the op may read fields this cannot name, give up.
#[allow(
    clippy::option_option,
    reason = "outer: give up; inner: every field live — two different answers"
)]
fn live_before(
    op: &RowOp,
    after: Option<BTreeSet<String>>,
    names: &FieldTable,
) -> Option<Option<BTreeSet<String>>> {
    let plain = |name: &str| !name.contains('*');
    match op {
        // Replace the rows: only what they read is live before them.
        RowOp::Stats(aggregation) => aggregation_reads(aggregation).map(Some),
        RowOp::Table(columns) if columns.iter().all(|c| plain(c)) => {
            Some(Some(columns.iter().cloned().collect()))
        }
        // Every other op passes liveness through, adding what it reads; with everything
        // live after it, everything stays live.
        _ => {
            let Some(mut live) = after else {
                return Some(None);
            };
            match op {
                // Fills fields that some row has: a live field's presence in some row is
                // kept by the projection, and a dead field is never read.
                RowOp::Fillnull { .. } => {}
                RowOp::Search(predicate) => predicate_reads(predicate, names, &mut live),
                RowOp::Lookup {
                    inputs, outputs, ..
                } if !outputs.is_empty() => {
                    live.extend(inputs.iter().map(|(_, field)| field.clone()));
                    // OUTPUTNEW reads whether the row has the output already.
                    live.extend(outputs.iter().map(|(_, field)| field.clone()));
                }
                RowOp::Sort { keys, .. } => live.extend(keys.iter().map(|(f, _)| f.clone())),
                RowOp::Dedup { fields, .. } => live.extend(fields.iter().cloned()),
                RowOp::Head(_) => {}
                RowOp::Rename(pairs) if pairs.iter().all(|(a, b)| plain(a) && plain(b)) => {
                    // `rename a AS b`: b after is a before; a and b both may be read or
                    // overwritten, so keep both names live.
                    live.extend(pairs.iter().flat_map(|(a, b)| [a.clone(), b.clone()]));
                }
                _ => return None,
            }
            Some(Some(live))
        }
    }
}

/// The fields an aggregation reads, or `None` when an `eval(…)` argument may read any.
fn aggregation_reads(aggregation: &Aggregation) -> Option<BTreeSet<String>> {
    let mut reads: BTreeSet<String> = aggregation.by.iter().cloned().collect();
    for spec in &aggregation.functions {
        match &spec.input {
            AggInput::Rows => {}
            AggInput::Field(field) if !field.contains('*') => {
                reads.insert(field.clone());
            }
            AggInput::Field(_) | AggInput::Eval(_) => return None,
        }
    }
    Some(reads)
}

/// Adds every field `predicate` tests; a bare term reads `_raw`.
fn predicate_reads(predicate: &Predicate, names: &FieldTable, live: &mut BTreeSet<String>) {
    let mut stack = vec![predicate];
    while let Some(next) = stack.pop() {
        match next {
            Predicate::True | Predicate::False => {}
            Predicate::And(operands) | Predicate::Or(operands) => stack.extend(operands),
            Predicate::Not(operand) => stack.push(operand),
            Predicate::Field { field, .. } | Predicate::FieldNot { field, .. } => {
                live.insert(names.name(*field).to_owned());
            }
            Predicate::Raw(_) => {
                live.insert("_raw".to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::events::{DatasetTable, FieldTable};
    use crate::plan::{LowerContext, lower};

    fn stored(search: &str) -> Option<Vec<String>> {
        let mut fields = FieldTable::new();
        let mut datasets = DatasetTable::new();
        let mut context = LowerContext {
            fields: &mut fields,
            datasets: &mut datasets,
        };
        let parsed = crate::spl::parse(search);
        lower(&parsed.pipeline, &mut context).unwrap().stored_fields
    }

    #[test]
    fn rows_keep_what_the_row_stage_reads_before_it_replaces_them() {
        // The corpus shape that held every event: fillnull over all fields, then stats.
        assert_eq!(
            stored(
                "search a=1 | fillnull value=0 | stats count sum(x) as s by h | sort - s \
                 | where s > 1 | search *"
            ),
            Some(vec!["_time".into(), "h".into(), "x".into()])
        );
        // A lookup and a search before stats: their fields are read too.
        assert_eq!(
            stored(
                "search a=1 | lookup t key AS user OUTPUT cat AS category \
                 | search category=bad NOT host=x | stats count by user"
            ),
            Some(vec![
                "_time".into(),
                "category".into(),
                "host".into(),
                "user".into()
            ])
        );
        // A bare term reads _raw.
        assert_eq!(
            stored("search a=1 | dedup d | search evil | stats count"),
            Some(vec!["_raw".into(), "_time".into(), "d".into()])
        );
    }

    #[test]
    fn rows_keep_everything_when_the_row_stage_may_read_anything() {
        // Nothing narrows the output: every field is shown.
        assert_eq!(stored("search a=1 | sort - b"), None);
        // An op the analysis does not see through, before the narrowing one.
        assert_eq!(
            stored("search a=1 | eventstats count | stats count by h"),
            None
        );
        assert_eq!(
            stored("search a=1 | sort b | stats avg(eval(x*2)) as y"),
            None
        );
        // A lookup writing every other column.
        assert_eq!(
            stored("search a=1 | sort b | lookup t k | stats count by h"),
            None
        );
        // Aggregating plans store groups, not rows.
        assert_eq!(stored("search a=1 | stats count by h"), None);
    }
}
