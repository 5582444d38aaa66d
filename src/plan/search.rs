//! Lowering of the search grammar (the implicit leading search, `search`, the `where` clause
//! of `tstats`) into a [`Predicate`].

use crate::events::{FieldId, FieldTable};
use crate::spl::TextRange;
use crate::spl::ast::{CompareOp, SearchExpr, SearchValue, TermModifier};

use super::predicate::{OrderOp, Predicate, RawKind, RawTerm, ValueTest};

/// A construct that has no plan yet, and where it is in the parsed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unlowerable {
    /// The construct.
    pub range: TextRange,
    /// What it is, for the message (`a subsearch used as a search term`).
    pub what: String,
}

impl Unlowerable {
    pub(crate) fn new(range: TextRange, what: impl Into<String>) -> Self {
        Unlowerable {
            range,
            what: what.into(),
        }
    }
}

/// Where the search runs, which decides how field names resolve and whether `_raw` exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Over events: names are field names as written.
    Events,
    /// Over data model rows (`tstats`): `Processes.process_name` is the CIM field
    /// `process_name` of the event (CIM fields are stored without their dataset), and there is
    /// no `_raw` (spl-semantics.md 2.3, last point).
    DataModel,
}

impl Scope {
    /// The event field a name written in this scope reads.
    pub(crate) fn resolve(self, name: &str, fields: &mut FieldTable) -> FieldId {
        match self {
            Scope::Events => fields.intern(name),
            Scope::DataModel => fields.intern(data_model_field(name)),
        }
    }
}

/// `Processes.process_name` → `process_name`; `_time` and unprefixed names stay. CIM field
/// names never contain a `.`, so everything up to the last one is the dataset path.
#[must_use]
pub fn data_model_field(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(_, field)| field)
}

/// Lowers a search-grammar expression.
///
/// `index=…` is always true: an export is read as the index the search names (events carry
/// no index; the docs cannot say what an export's index is, so this is detc's reading).
///
/// # Errors
/// A macro left unexpanded, a subsearch term, a macro inside `IN (…)`, a bare term over data
/// model rows.
pub fn lower_search(
    expr: &SearchExpr,
    scope: Scope,
    fields: &mut FieldTable,
) -> Result<Predicate, Unlowerable> {
    Ok(match expr {
        SearchExpr::And { operands, .. } => Predicate::And(
            operands
                .iter()
                .map(|operand| lower_search(operand, scope, fields))
                .collect::<Result<_, _>>()?,
        ),
        SearchExpr::Or { operands, .. } => Predicate::Or(
            operands
                .iter()
                .map(|operand| lower_search(operand, scope, fields))
                .collect::<Result<_, _>>()?,
        ),
        SearchExpr::Not { operand, .. } => {
            Predicate::Not(Box::new(lower_search(operand, scope, fields)?))
        }
        SearchExpr::Compare {
            field, op, value, ..
        } => {
            if field.value.eq_ignore_ascii_case("index") {
                return Ok(Predicate::True);
            }
            let id = scope.resolve(&field.value, fields);
            compare(id, *op, value)
        }
        SearchExpr::In {
            range,
            field,
            values,
            macros,
        } => {
            if let Some(call) = macros.first() {
                return Err(Unlowerable::new(
                    call.range,
                    format!("the macro `{}` inside IN (…)", call.text),
                ));
            }
            if field.value.eq_ignore_ascii_case("index") {
                return Ok(Predicate::True);
            }
            if values.is_empty() {
                return Err(Unlowerable::new(*range, "an empty IN list"));
            }
            let id = scope.resolve(&field.value, fields);
            Predicate::Or(
                values
                    .iter()
                    .map(|value| compare(id, CompareOp::Eq, value))
                    .collect(),
            )
        }
        SearchExpr::Term { range, literal, .. } => {
            if scope == Scope::DataModel {
                return Err(Unlowerable::new(
                    *range,
                    "a bare term over data model rows (they have no _raw)",
                ));
            }
            Predicate::Raw(RawTerm {
                text: literal.value.clone(),
                kind: RawKind::Word,
            })
        }
        SearchExpr::Modifier {
            range,
            kind,
            literal,
        } => {
            if scope == Scope::DataModel {
                return Err(Unlowerable::new(
                    *range,
                    "TERM()/CASE() over data model rows (they have no _raw)",
                ));
            }
            Predicate::Raw(RawTerm {
                text: literal.value.clone(),
                kind: match kind {
                    TermModifier::Term => RawKind::Term,
                    TermModifier::Case => RawKind::Case,
                },
            })
        }
        SearchExpr::Macro(call) => {
            return Err(Unlowerable::new(
                call.range,
                format!("the unexpanded macro `{}`", call.text),
            ));
        }
        SearchExpr::Subsearch(sub) => {
            return Err(Unlowerable::new(
                sub.range,
                "a subsearch used as a search term",
            ));
        }
    })
}

fn compare(field: FieldId, op: CompareOp, value: &SearchValue) -> Predicate {
    let equal = || ValueTest::Equal {
        value: value.literal.value.clone(),
        kind: value.kind.clone(),
    };
    let order = |op| ValueTest::Order {
        op,
        value: value.literal.value.clone(),
    };
    match op {
        CompareOp::Eq | CompareOp::EqEq => Predicate::Field {
            field,
            test: equal(),
        },
        CompareOp::Ne => Predicate::FieldNot {
            field,
            test: equal(),
        },
        CompareOp::Lt => Predicate::Field {
            field,
            test: order(OrderOp::Lt),
        },
        CompareOp::Le => Predicate::Field {
            field,
            test: order(OrderOp::Le),
        },
        CompareOp::Gt => Predicate::Field {
            field,
            test: order(OrderOp::Gt),
        },
        CompareOp::Ge => Predicate::Field {
            field,
            test: order(OrderOp::Ge),
        },
    }
}

/// Splits the top-level conjuncts of a raw search into routing (those that test only
/// `source`, `sourcetype` or `eventtype`: a source macro's expansion) and the rest.
#[must_use]
pub fn split_routing(predicate: Predicate, eventtype: FieldId) -> (Predicate, Predicate) {
    let is_routing_field = |field: FieldId| {
        field == FieldId::SOURCE || field == FieldId::SOURCETYPE || field == eventtype
    };
    let conjuncts = match predicate {
        Predicate::And(operands) => operands,
        other => vec![other],
    };
    let (routing, rest): (Vec<Predicate>, Vec<Predicate>) = conjuncts
        .into_iter()
        .partition(|conjunct| only_fields(conjunct, &is_routing_field));
    (conjunction(routing), conjunction(rest))
}

/// `And` of `operands`, without the wrapper for zero or one operand.
pub(crate) fn conjunction(mut operands: Vec<Predicate>) -> Predicate {
    match operands.len() {
        0 => Predicate::True,
        1 => operands.pop().unwrap_or(Predicate::True),
        _ => Predicate::And(operands),
    }
}

/// Whether every test in `predicate` is on a field `wanted` accepts (and there is one).
fn only_fields(predicate: &Predicate, wanted: &dyn Fn(FieldId) -> bool) -> bool {
    match predicate {
        Predicate::Field { field, .. } | Predicate::FieldNot { field, .. } => wanted(*field),
        Predicate::Or(operands) | Predicate::And(operands) => {
            !operands.is_empty() && operands.iter().all(|operand| only_fields(operand, wanted))
        }
        Predicate::Not(_) | Predicate::Raw(_) | Predicate::True | Predicate::False => false,
    }
}
