//! A plan as text, for `detc compile --explain`: routing, the literals it gives the
//! automaton (or why it is always checked), the verification tree and the stages, for the
//! plan and each of its subsearches.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::automaton::ExactValues;
use crate::automaton::extract::{PieceKind, no_literal_leaf, required};
use crate::events::{DatasetTable, FieldId, FieldTable};
use crate::spl::ast::ValueKind;

use super::lower::{AggInput, Aggregation, Plan, RowInput, RowOp};
use super::predicate::{Predicate, RawKind, ValueTest};

/// The plan as indented text.
#[must_use]
pub fn explain(plan: &Plan, fields: &FieldTable, datasets: &DatasetTable) -> String {
    let mut out = String::new();
    write_plan(&mut out, plan, fields, datasets, 0);
    out
}

fn write_plan(
    out: &mut String,
    plan: &Plan,
    fields: &FieldTable,
    datasets: &DatasetTable,
    depth: usize,
) {
    let pad = "  ".repeat(depth);
    let routing: Vec<&str> = plan
        .routing
        .datasets
        .iter()
        .map(|id| datasets.name(*id))
        .collect();
    let _ = writeln!(
        out,
        "{pad}routing: {}",
        if routing.is_empty() {
            "raw events".to_owned()
        } else {
            format!("data model datasets {}", routing.join(", "))
        }
    );
    if plan.routing.source != Predicate::True {
        let _ = writeln!(out, "{pad}  source:");
        write_predicate(out, &plan.routing.source, fields, depth + 2);
    }
    write_literals(out, &plan.predicate, fields, depth);
    let _ = writeln!(
        out,
        "{pad}verification tree (checked exactly on each routed candidate):"
    );
    write_predicate(out, &plan.predicate, fields, depth + 1);
    if let RowInput::DataModel(inputs) = &plan.input {
        let names: Vec<String> = inputs
            .iter()
            .map(|(name, id)| format!("{name}<-{}", fields.name(*id)))
            .collect();
        let _ = writeln!(out, "{pad}data model row: {}", names.join(" "));
    }
    let _ = writeln!(out, "{pad}per-event stage: {}", ops(&plan.event_stage));
    match &plan.aggregation {
        Some(aggregation) => {
            let _ = writeln!(out, "{pad}aggregation: {}", aggregation_text(aggregation));
        }
        None => {
            let _ = writeln!(out, "{pad}aggregation: none (events, newest first)");
            if let Some(kept) = &plan.stored_fields {
                let _ = writeln!(out, "{pad}rows keep only: {}", kept.join(" "));
            }
        }
    }
    let _ = writeln!(out, "{pad}row stage: {}", ops(&plan.row_stage));
    for (index, sub) in plan.subsearches.iter().enumerate() {
        let _ = writeln!(out, "{pad}subsearch {index}:");
        write_plan(out, sub, fields, datasets, depth + 1);
    }
}

/// The literals `predicate` gives the automaton, grouped by literal with the fields each is
/// looked for in, or why it has none (the unit is then always checked after routing).
fn write_literals(out: &mut String, predicate: &Predicate, fields: &FieldTable, depth: usize) {
    let pad = "  ".repeat(depth);
    match required(predicate) {
        None => {
            let leaf = no_literal_leaf(predicate).unwrap_or(predicate);
            // The leaf on one line (its first few tree lines: a `NOT` and what it negates).
            let mut tree = String::new();
            write_predicate(&mut tree, leaf, fields, 0);
            let mut lines: Vec<&str> = tree.lines().map(str::trim).take(4).collect();
            if tree.lines().count() > 3 {
                lines.truncate(3);
                lines.push("…");
            }
            let _ = writeln!(
                out,
                "{pad}automaton: always checked after routing (no literal: `{}` {})",
                lines.join(" "),
                no_literal_reason(leaf)
            );
        }
        Some(need) if need.is_empty() => {
            let _ = writeln!(
                out,
                "{pad}automaton: never checked (the predicate is false)"
            );
        }
        Some(need) => {
            let _ = writeln!(
                out,
                "{pad}automaton: a candidate when one of these occurs (lowercased, as matched):"
            );
            let mut grouped: BTreeMap<(&str, PieceKind), Vec<FieldId>> = BTreeMap::new();
            for piece in &need {
                grouped
                    .entry((piece.literal.as_str(), piece.kind))
                    .or_default()
                    .push(piece.field);
            }
            for ((literal, kind), in_fields) in grouped {
                let how = match (kind, ExactValues::default()) {
                    (PieceKind::Exact, ExactValues::HashTable) => "exact value, hash table",
                    (PieceKind::Exact, ExactValues::Automaton) => "exact value, automaton",
                    (PieceKind::Wildcard, _) => "wildcard piece, automaton",
                    (PieceKind::Term, _) => "term piece, automaton",
                };
                let names: Vec<&str> = in_fields.iter().map(|id| fields.name(*id)).collect();
                let _ = writeln!(out, "{pad}  {literal:?} ({how}) in {}", names.join(", "));
            }
        }
    }
}

/// Why `leaf` (from [`no_literal_leaf`]) names no text every match contains.
fn no_literal_reason(leaf: &Predicate) -> &'static str {
    match leaf {
        Predicate::True | Predicate::And(_) => "holds for every event",
        Predicate::Not(_) | Predicate::FieldNot { .. } => {
            "is a negation: a match needs no text to be present"
        }
        Predicate::Field { field, .. } if *field == FieldId::TIME => {
            "compares epoch seconds made per event, not text"
        }
        Predicate::Field { test, .. } => match test {
            ValueTest::Equal {
                kind: ValueKind::Number(_),
                ..
            } => "is a number: 1 also matches 1.0 and 0x1, so no text is fixed",
            ValueTest::Equal {
                kind: ValueKind::Cidr { .. },
                ..
            } => "is a CIDR range",
            ValueTest::Order { .. } => "is a comparison",
            ValueTest::Equal { .. } => "has no ASCII text outside `*`",
        },
        Predicate::Raw(_) => "has no ASCII text outside `*`",
        Predicate::Or(_) | Predicate::False => "",
    }
}

fn write_predicate(out: &mut String, predicate: &Predicate, fields: &FieldTable, depth: usize) {
    // An explicit stack: the tree may be deep.
    let mut stack = vec![(predicate, depth)];
    while let Some((node, depth)) = stack.pop() {
        let pad = "  ".repeat(depth);
        let line = match node {
            Predicate::True => "true".to_owned(),
            Predicate::False => "false".to_owned(),
            Predicate::And(_) | Predicate::Or(_) | Predicate::Not(_) => {
                let (word, children): (&str, Vec<&Predicate>) = match node {
                    Predicate::And(o) => ("AND", o.iter().collect()),
                    Predicate::Or(o) => ("OR", o.iter().collect()),
                    Predicate::Not(inner) => ("NOT", vec![inner.as_ref()]),
                    _ => ("", Vec::new()),
                };
                stack.extend(children.into_iter().rev().map(|child| (child, depth + 1)));
                word.to_owned()
            }
            Predicate::Field { field, test } => {
                format!("{} {}", fields.name(*field), test_text(test, false))
            }
            Predicate::FieldNot { field, test } => {
                format!("{} {}", fields.name(*field), test_text(test, true))
            }
            Predicate::Raw(term) => format!(
                "_raw has {} {:?}",
                match term.kind {
                    RawKind::Word => "term",
                    RawKind::Term => "TERM",
                    RawKind::Case => "CASE",
                },
                term.text
            ),
        };
        let _ = writeln!(out, "{pad}{line}");
    }
}

fn test_text(test: &ValueTest, negated: bool) -> String {
    match test {
        ValueTest::Equal { value, kind } => {
            let how = match kind {
                ValueKind::Exact => "text",
                ValueKind::Wildcard { .. } => "wildcard",
                ValueKind::Number(_) => "number",
                ValueKind::Cidr { .. } => "cidr",
            };
            format!("{} {value:?} ({how})", if negated { "!=" } else { "=" })
        }
        ValueTest::Order { op, value } => format!("{} {value:?}", op.as_str()),
    }
}

fn aggregation_text(aggregation: &Aggregation) -> String {
    let functions: Vec<String> = aggregation
        .functions
        .iter()
        .map(|spec| {
            let input = match &spec.input {
                AggInput::Rows => String::new(),
                AggInput::Field(name) => name.clone(),
                AggInput::Eval(_) => "eval(…)".to_owned(),
            };
            format!(
                "{}({input}) as {}",
                format!("{:?}", spec.function).to_lowercase(),
                spec.output
            )
        })
        .collect();
    let mut text = functions.join(", ");
    if !aggregation.by.is_empty() {
        let _ = write!(text, " by {}", aggregation.by.join(" "));
    }
    if let Some(span) = aggregation.span {
        let _ = write!(text, " span={span}s");
    }
    if let Some(filler) = &aggregation.fillnull {
        let _ = write!(text, " fillnull_value={filler:?}");
    }
    text
}

fn ops(ops: &[RowOp]) -> String {
    if ops.is_empty() {
        return "none".to_owned();
    }
    let names: Vec<String> = ops
        .iter()
        .map(|op| match op {
            RowOp::Search(_) => "search".to_owned(),
            RowOp::Where(_) => "where".to_owned(),
            RowOp::Eval(assignments) => format!(
                "eval {}",
                assignments
                    .iter()
                    .map(|(f, _)| f.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            RowOp::Rename(pairs) => format!(
                "rename {}",
                pairs
                    .iter()
                    .map(|(a, b)| format!("{a}->{b}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            RowOp::Table(columns) => format!("table {}", columns.join(" ")),
            RowOp::Fields { keep, names } => {
                format!(
                    "fields {}{}",
                    if *keep { "" } else { "- " },
                    names.join(" ")
                )
            }
            RowOp::Ctime { format, fields } => format!(
                "ctime({}) {format:?}",
                fields
                    .iter()
                    .map(|(f, _)| f.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            RowOp::Stats(aggregation) => format!("stats {}", aggregation_text(aggregation)),
            RowOp::Eventstats(aggregation) => {
                format!("eventstats {}", aggregation_text(aggregation))
            }
            RowOp::Sort { limit, keys } => format!(
                "sort {limit} {}",
                keys.iter()
                    .map(|(f, d)| format!("{}{f}", if *d { "-" } else { "+" }))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            RowOp::Head(count) => format!("head {count}"),
            RowOp::Lookup {
                table,
                inputs,
                outputs,
                output_new,
            } => format!(
                "lookup {table} {} {} {}",
                inputs
                    .iter()
                    .map(|(c, f)| format!("{c}={f}"))
                    .collect::<Vec<_>>()
                    .join(","),
                if *output_new { "OUTPUTNEW" } else { "OUTPUT" },
                outputs
                    .iter()
                    .map(|(c, f)| format!("{c}->{f}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            RowOp::Bin {
                field,
                output,
                span,
            } => format!("bin {field} as {output} span={span}s"),
            RowOp::Regex {
                field,
                negated,
                pattern,
            } => format!(
                "regex {field}{}{:?}",
                if *negated { "!=" } else { "=" },
                pattern.text
            ),
            RowOp::Rex {
                field,
                max_match,
                pattern,
            } => format!("rex field={field} max_match={max_match} {:?}", pattern.text),
            RowOp::Dedup { fields, .. } => format!("dedup {}", fields.join(" ")),
            RowOp::Fillnull { value, fields } => format!("fillnull {value:?} {}", fields.join(" ")),
            RowOp::Join {
                fields,
                left,
                max,
                subsearch,
                ..
            } => format!(
                "join {} type={} max={max} [subsearch {subsearch}]",
                fields.join(" "),
                if *left { "left" } else { "inner" }
            ),
        })
        .collect();
    names.join(" | ")
}
