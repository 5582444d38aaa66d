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
mod search_time;
mod stored;
#[cfg(test)]
mod tests;

pub use lower::{AggInput, AggSpec, Aggregation, LowerContext, Plan, RowInput, RowOp, lower};
pub mod explain;

pub use explain::explain;

/// The name tables plans are lowered into, and the normalizer built over the same tables:
/// a plan's field and dataset ids are then the events'. `detc compile` and `detc run` (and the
/// differential test) lower through these, once per search
/// ([`crate::compile::compile_lowered`]).
#[derive(Debug)]
pub struct Tables {
    /// Field names.
    pub fields: crate::events::FieldTable,
    /// Data model datasets.
    pub datasets: crate::events::DatasetTable,
    /// CIM normalization over `fields` and `datasets`.
    pub normalizer: crate::events::normalize::Normalizer,
}

impl Tables {
    /// The tables of `content`'s data source mappings, with the built-in ones where the
    /// content has none.
    ///
    /// # Errors
    /// A mapping that does not compile.
    pub fn new(
        content: &crate::content::Content,
    ) -> Result<Tables, crate::events::normalize::PlanError> {
        let shipped = crate::events::normalize::embedded();
        let sources = crate::events::normalize::effective_sources(Some(content), &shipped.content);
        let mut fields = crate::events::FieldTable::new();
        let mut datasets = crate::events::DatasetTable::new();
        let normalizer =
            crate::events::normalize::Normalizer::build(&sources, &mut fields, &mut datasets)?;
        Ok(Tables {
            fields,
            datasets,
            normalizer,
        })
    }

    /// What [`lower`] interns into.
    pub fn context(&mut self) -> LowerContext<'_> {
        LowerContext {
            fields: &mut self.fields,
            datasets: &mut self.datasets,
        }
    }
}
