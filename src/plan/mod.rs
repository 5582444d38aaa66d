//! Plans: what a compiled search becomes so that it can run over events.
//!
//! A plan is routing and an event [`predicate`] (which events a detection reads), then a
//! per-event stage (streaming commands before the first transforming one), an aggregation
//! stage with mergeable partial states, and a row stage (what follows the aggregation). The
//! predicate's [`predicate::matches`] is the reference semantics the automaton is tested
//! against.

pub mod predicate;

pub use predicate::{
    FieldSource, OrderOp, Predicate, RawKind, RawTerm, Routing, ValueTest, matches, matches_in,
};
pub mod search;

pub use search::{Scope, Unlowerable, lower_search, split_routing};

pub mod lower;
#[cfg(test)]
mod tests;

pub use lower::{AggInput, AggSpec, Aggregation, LowerContext, Plan, RowInput, RowOp, lower};
pub mod explain;

pub use explain::explain;

/// Whether `pipeline` lowers, with throwaway name tables: the check `detc compile` injects
/// into compilation ([`crate::compile::LowerCheck`]).
#[must_use]
pub fn check_lowers(
    pipeline: &crate::spl::ast::Pipeline,
) -> Option<(crate::spl::TextRange, String)> {
    let mut fields = crate::events::FieldTable::new();
    let mut datasets = crate::events::DatasetTable::new();
    let mut context = LowerContext {
        fields: &mut fields,
        datasets: &mut datasets,
    };
    lower(pipeline, &mut context)
        .err()
        .map(|problem| (problem.range, problem.what))
}
