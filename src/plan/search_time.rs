//! Which stages of a plan read the search time (`now()`, `time()`, and so `relative_time`
//! of either): the one place that knows, for `--now latest` (a plan whose per-event stage
//! reads it must wait for the newest event) and for the summary's hint when a time condition
//! left nothing.

use crate::spl::ast::{EvalFunction, Expr};
use crate::spl::visit::{Node, Visitor, Walk, walk};

use super::lower::{AggInput, Aggregation, Plan, RowOp};

impl Plan {
    /// Whether this plan's own per-event work reads the search time: its per-event stage,
    /// or an `eval(…)` argument of its aggregation (aggregated per event). Subsearches are
    /// their own plans, asked on their own.
    #[must_use]
    pub fn reads_now_per_event(&self) -> bool {
        self.event_stage.iter().any(op_reads_now)
            || self.aggregation.as_ref().is_some_and(aggregation_reads_now)
    }

    /// Whether any stage of this plan or of its subsearches reads the search time.
    #[must_use]
    pub fn reads_now(&self) -> bool {
        self.reads_now_per_event()
            || self.row_stage.iter().any(op_reads_now)
            || self.subsearches.iter().any(Plan::reads_now)
    }
}

fn op_reads_now(op: &RowOp) -> bool {
    match op {
        RowOp::Where(expr) => expr_reads_now(expr),
        RowOp::Eval(assignments) => assignments.iter().any(|(_, expr)| expr_reads_now(expr)),
        RowOp::Stats(aggregation) | RowOp::Eventstats(aggregation) => {
            aggregation_reads_now(aggregation)
        }
        // The search grammar's predicates compare with literals; the rest takes no expression.
        RowOp::Search(_)
        | RowOp::Rename(_)
        | RowOp::Table(_)
        | RowOp::Fields { .. }
        | RowOp::Ctime { .. }
        | RowOp::Sort { .. }
        | RowOp::Head(_)
        | RowOp::Dedup { .. }
        | RowOp::Fillnull { .. }
        | RowOp::Bin { .. }
        | RowOp::Regex { .. }
        | RowOp::Rex { .. }
        | RowOp::Lookup { .. }
        | RowOp::Join { .. } => false,
    }
}

fn aggregation_reads_now(aggregation: &Aggregation) -> bool {
    aggregation.functions.iter().any(|spec| match &spec.input {
        AggInput::Eval(expr) => expr_reads_now(expr),
        AggInput::Rows | AggInput::Field(_) => false,
    })
}

/// Whether `expr` calls `now()` or `time()` (both give the search time in detc, see
/// `runtime::eval`). `relative_time(_time, "-1d")` alone does not: it is relative to its
/// argument.
fn expr_reads_now(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
            if let Node::Expr(Expr::Call {
                function: EvalFunction::Now | EvalFunction::Time,
                ..
            }) = node
            {
                self.0 = true;
            }
            if self.0 { Walk::Skip } else { Walk::Children }
        }
    }
    let mut finder = Finder(false);
    walk(Node::Expr(expr), &mut finder);
    finder.0
}
