//! Constant conditions: the first pair of operands of a chain that makes it true or false for
//! every event ([`analyse`]).

use super::super::semantics::{FieldState, Grammar, values_differ};
use super::constraints::{Chain, ChainOp, Constraint, ConstraintKind};

/// Search-grammar names that are directives or known multivalue fields, never compared.
const SEARCH_SKIPPED_FIELDS: [&str; 15] = [
    "index",
    "splunk_server",
    "splunk_server_group",
    "earliest",
    "latest",
    "_index_earliest",
    "_index_latest",
    "starttime",
    "endtime",
    "starttimeu",
    "endtimeu",
    "nodename",
    "savedsearch",
    "eventtype",
    "tag",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Constant {
    AlwaysTrue,
    AlwaysFalse,
}

impl Constant {
    pub(super) fn negate(self) -> Constant {
        match self {
            Constant::AlwaysTrue => Constant::AlwaysFalse,
            Constant::AlwaysFalse => Constant::AlwaysTrue,
        }
    }
}

/// For which events the constant result is guaranteed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Condition {
    /// Every event where the field exists (`f!=a OR f!=b` in the search grammar).
    Exists,
    /// Every event where the field has exactly one value.
    OneValue,
}

pub(super) struct Finding<'a> {
    pub(super) kind: Constant,
    pub(super) condition: Condition,
    pub(super) first: &'a Constraint<'a>,
    pub(super) second: &'a Constraint<'a>,
}

/// The first constant pair of a chain, if any. One finding per chain: two pairs in one chain
/// share a root cause often enough (`f!=a OR f!=b OR f!=c`) that more would be noise.
pub(super) fn analyse<'a, N>(
    chain: &'a Chain<'a, N>,
    grammar: Grammar,
    state: &FieldState,
) -> Option<Finding<'a>> {
    let constraints: Vec<&Constraint<'a>> = chain.constraints.iter().flatten().collect();
    for (i, first) in constraints.iter().enumerate() {
        // Checked only once a second operand names the same field: most fields appear once.
        let mut comparable = None;
        for second in constraints.iter().skip(i + 1) {
            if second.field != first.field {
                continue;
            }
            if !*comparable.get_or_insert_with(|| is_comparable_field(first.field, grammar, state))
            {
                break;
            }
            let Some((kind, condition)) = pair_constant(chain.op, first, second, grammar) else {
                continue;
            };
            return Some(Finding {
                kind,
                condition,
                first,
                second,
            });
        }
    }
    None
}

fn is_comparable_field(field: &str, grammar: Grammar, state: &FieldState) -> bool {
    if field.is_empty() || state.is_multivalue(field) {
        return false;
    }
    grammar == Grammar::Eval || !SEARCH_SKIPPED_FIELDS.contains(&field)
}

fn pair_constant(
    op: ChainOp,
    first: &Constraint<'_>,
    second: &Constraint<'_>,
    grammar: Grammar,
) -> Option<(Constant, Condition)> {
    use ConstraintKind::{Differs, Matches, MatchesNone};
    match (op, first.kind, second.kind) {
        // Some value differs from a, or some value differs from b: fails only if every
        // value matches both, which no value can.
        (ChainOp::Or, Differs, Differs) if sets_disjoint(first, second, grammar) => {
            let condition = match grammar {
                Grammar::Search => Condition::Exists,
                // Eval: a null field makes both comparisons null; multivalue comparison
                // semantics in eval are not documented, so only one-value events are claimed.
                Grammar::Eval => Condition::OneValue,
            };
            Some((Constant::AlwaysTrue, condition))
        }
        // One value cannot match two disjoint sets; a missing field satisfies `NOT`.
        (ChainOp::Or, MatchesNone, MatchesNone) if sets_disjoint(first, second, grammar) => {
            Some((Constant::AlwaysTrue, Condition::OneValue))
        }
        (ChainOp::And, Matches, Matches) if sets_disjoint(first, second, grammar) => {
            Some((Constant::AlwaysFalse, Condition::OneValue))
        }
        _ => None,
    }
}

fn sets_disjoint(first: &Constraint<'_>, second: &Constraint<'_>, grammar: Grammar) -> bool {
    !first.values.is_empty()
        && !second.values.is_empty()
        && first.values.iter().all(|a| {
            second
                .values
                .iter()
                .all(|b| values_differ(a.value, b.value, grammar))
        })
}
