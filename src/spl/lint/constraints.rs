//! Chains and constraints: an `AND`/`OR` chain flattened across parentheses (either grammar),
//! and what each of its operands says about one field ([`Constraint`]).

use super::super::TextRange;
use super::super::ast::{BinaryOp, CompareOp, Expr, Literal, SearchExpr, UnaryOp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ChainOp {
    And,
    Or,
}

/// A flattened `AND` or `OR` chain over nodes of type `N` (search or eval).
pub(super) struct Chain<'a, N> {
    pub(super) op: ChainOp,
    /// Operands that are not themselves the same operator, in text order.
    pub(super) leaves: Vec<&'a N>,
    /// The constraint each leaf states, if any (same order as `leaves`).
    pub(super) constraints: Vec<Option<Constraint<'a>>>,
}

pub(super) fn flatten_search(top: &SearchExpr) -> Chain<'_, SearchExpr> {
    let op = match top {
        SearchExpr::Or { .. } => ChainOp::Or,
        _ => ChainOp::And,
    };
    let mut leaves = Vec::new();
    let mut stack: Vec<&SearchExpr> = vec![top];
    while let Some(expr) = stack.pop() {
        match (op, expr) {
            (ChainOp::And, SearchExpr::And { operands, .. })
            | (ChainOp::Or, SearchExpr::Or { operands, .. }) => {
                stack.extend(operands.iter().rev());
            }
            _ => leaves.push(expr),
        }
    }
    let constraints = leaves
        .iter()
        .map(|leaf| search_constraint(leaf, op))
        .collect();
    Chain {
        op,
        leaves,
        constraints,
    }
}

pub(super) fn is_eval_chain(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            ..
        }
    )
}

pub(super) fn flatten_eval(top: &Expr) -> Chain<'_, Expr> {
    let op = match top {
        Expr::Binary {
            op: BinaryOp::Or, ..
        } => ChainOp::Or,
        _ => ChainOp::And,
    };
    let wanted = match op {
        ChainOp::And => BinaryOp::And,
        ChainOp::Or => BinaryOp::Or,
    };
    let mut leaves = Vec::new();
    let mut stack: Vec<&Expr> = vec![top];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Binary {
                op: found,
                lhs,
                rhs,
                ..
            } if *found == wanted => {
                stack.push(rhs);
                stack.push(lhs);
            }
            _ => leaves.push(expr),
        }
    }
    let constraints = leaves
        .iter()
        .map(|leaf| eval_constraint(leaf, op))
        .collect();
    Chain {
        op,
        leaves,
        constraints,
    }
}

pub(super) fn strip_search_not(mut expr: &SearchExpr) -> (&SearchExpr, u32) {
    let mut count = 0;
    while let SearchExpr::Not { operand, .. } = expr {
        expr = operand;
        count += 1;
    }
    (expr, count)
}

pub(super) fn strip_eval_not(mut expr: &Expr) -> (&Expr, u32) {
    let mut count = 0;
    while let Expr::Unary {
        op: UnaryOp::Not,
        operand,
        ..
    } = expr
    {
        expr = operand;
        count += 1;
    }
    (expr, count)
}

/// What an operand says about one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ConstraintKind {
    /// `f=a`, `f IN (a, b)`, `(f=a OR f=b)`: some value matches one of the set.
    Matches,
    /// `f!=a`: the field exists and some value differs.
    Differs,
    /// `NOT f=a`, `NOT f IN (…)`: no value matches (true when the field is missing).
    MatchesNone,
}

/// A literal value in a comparison.
#[derive(Clone, Copy, Debug)]
pub(super) struct Value<'a> {
    /// Where it is written (quotes included), for the suggestion.
    pub(super) range: TextRange,
    /// Decoded.
    pub(super) value: &'a str,
}

impl<'a> Value<'a> {
    pub(super) fn of(lit: &'a Literal) -> Value<'a> {
        Value {
            range: lit.range,
            value: &lit.value,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Constraint<'a> {
    pub(super) field: &'a str,
    pub(super) kind: ConstraintKind,
    pub(super) values: Vec<Value<'a>>,
    /// The operand's range (for the message).
    pub(super) range: TextRange,
    /// The operand is a parenthesised group (the range excludes the parentheses).
    pub(super) grouped: bool,
}

/// The constraint a search operand states, given the chain it sits in. Only the kinds a
/// finding can use are extracted: `Matches` in an `AND`, `Differs`/`MatchesNone` in an `OR`.
fn search_constraint(expr: &SearchExpr, op: ChainOp) -> Option<Constraint<'_>> {
    match (op, expr) {
        (ChainOp::And, _) => search_matches(expr),
        (
            ChainOp::Or,
            SearchExpr::Compare {
                range,
                field,
                op: CompareOp::Ne,
                value,
            },
        ) => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Differs,
            values: vec![Value::of(&value.literal)],
            range: *range,
            grouped: false,
        }),
        (ChainOp::Or, SearchExpr::Not { range, operand }) => {
            let inner = search_matches(operand)?;
            Some(Constraint {
                kind: ConstraintKind::MatchesNone,
                range: *range,
                grouped: false,
                ..inner
            })
        }
        (ChainOp::Or, _) => None,
    }
}

/// `f=a`, `f IN (…)` without macros, or an `OR` group of those on one field.
fn search_matches(expr: &SearchExpr) -> Option<Constraint<'_>> {
    match expr {
        SearchExpr::Compare {
            range,
            field,
            op: CompareOp::Eq,
            value,
        } => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Matches,
            values: vec![Value::of(&value.literal)],
            range: *range,
            grouped: false,
        }),
        SearchExpr::In {
            range,
            field,
            values,
            macros,
        } if macros.is_empty() && !values.is_empty() => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Matches,
            values: values
                .iter()
                .map(|value| Value::of(&value.literal))
                .collect(),
            range: *range,
            grouped: false,
        }),
        // One level only: `(f=a OR f IN (b, c))`.
        SearchExpr::Or { range, operands } => merge_alternatives(
            operands.iter().map(|operand| match operand {
                SearchExpr::Compare { .. } | SearchExpr::In { .. } => search_matches(operand),
                _ => None,
            }),
            *range,
        ),
        _ => None,
    }
}

/// The eval counterpart of [`search_constraint`].
fn eval_constraint(expr: &Expr, op: ChainOp) -> Option<Constraint<'_>> {
    match (op, expr) {
        (ChainOp::And, _) => eval_matches(expr),
        (
            ChainOp::Or,
            Expr::Unary {
                op: UnaryOp::Not,
                range,
                operand,
            },
        ) => {
            let inner = eval_matches(operand)?;
            Some(Constraint {
                kind: ConstraintKind::MatchesNone,
                range: *range,
                grouped: false,
                ..inner
            })
        }
        (
            ChainOp::Or,
            Expr::Binary {
                range,
                op: BinaryOp::Compare(CompareOp::Ne),
                lhs,
                rhs,
            },
        ) => {
            let (field, value) = field_and_literal(lhs, rhs)?;
            Some(Constraint {
                field,
                kind: ConstraintKind::Differs,
                values: vec![value],
                range: *range,
                grouped: false,
            })
        }
        (ChainOp::Or, _) => None,
    }
}

fn eval_matches(expr: &Expr) -> Option<Constraint<'_>> {
    match expr {
        Expr::Binary {
            range,
            op: BinaryOp::Compare(CompareOp::Eq | CompareOp::EqEq),
            lhs,
            rhs,
        } => {
            let (field, value) = field_and_literal(lhs, rhs)?;
            Some(Constraint {
                field,
                kind: ConstraintKind::Matches,
                values: vec![value],
                range: *range,
                grouped: false,
            })
        }
        Expr::In { range, lhs, list } => {
            let Expr::Field(field) = lhs.as_ref() else {
                return None;
            };
            // A list element naming a field (`IN (old_values)`) has unknown values.
            let values = list.iter().map(eval_literal).collect::<Option<Vec<_>>>()?;
            if values.is_empty() {
                return None;
            }
            Some(Constraint {
                field: &field.value,
                kind: ConstraintKind::Matches,
                values,
                range: *range,
                grouped: false,
            })
        }
        Expr::Binary {
            range,
            op: BinaryOp::Or,
            ..
        } => {
            // One level only: `(f="a" OR f="b")`, flattened.
            let chain = flatten_eval(expr);
            merge_alternatives(
                chain.leaves.iter().map(|leaf| match leaf {
                    Expr::Binary { .. } | Expr::In { .. } => eval_matches(leaf),
                    _ => None,
                }),
                *range,
            )
        }
        _ => None,
    }
}

/// The alternatives of one `OR` group as one constraint, in either grammar: each must be a
/// `Matches` on the same field (`None` for an alternative that is not), and the values are
/// pooled. A group inside an alternative is refused: one level only.
fn merge_alternatives<'a>(
    alternatives: impl IntoIterator<Item = Option<Constraint<'a>>>,
    range: TextRange,
) -> Option<Constraint<'a>> {
    let mut field = None;
    let mut values = Vec::new();
    for part in alternatives {
        let part = part?;
        if part.grouped || field.is_some_and(|name| name != part.field) {
            return None;
        }
        field = Some(part.field);
        values.extend(part.values);
    }
    Some(Constraint {
        field: field?,
        kind: ConstraintKind::Matches,
        values,
        range,
        grouped: true,
    })
}

/// `field op literal` or `literal op field`.
fn field_and_literal<'a>(lhs: &'a Expr, rhs: &'a Expr) -> Option<(&'a str, Value<'a>)> {
    match (lhs, rhs) {
        (Expr::Field(field), other) | (other, Expr::Field(field)) => {
            Some((&field.value, eval_literal(other)?))
        }
        _ => None,
    }
}

fn eval_literal(expr: &Expr) -> Option<Value<'_>> {
    match expr {
        Expr::String(lit) => Some(Value::of(lit)),
        Expr::Number(number) => Some(Value::of(&number.literal)),
        _ => None,
    }
}
