//! `DP002`: a deployment needs `scheduling` with the strings `cron_schedule`,
//! `earliest_time`, `latest_time` and `schedule_window`.
//!
//! ```yaml
//! scheduling:
//!   cron_schedule: 0 * * * *
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::{ShapeCheck, check_scheduling};

use super::{missing, push_problems};

/// Reports missing or incomplete scheduling.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for deployment in &context.content.deployments {
        match deployment.scheduling.value() {
            Some(node) => {
                let mut shape = ShapeCheck::new(node, "scheduling.");
                check_scheduling(&mut shape);
                push_problems(Code::DP002, shape.problems, out);
            }
            None if deployment.scheduling.is_missing() => {
                out.push(missing(
                    Code::DP002,
                    deployment.meta.anchor,
                    "scheduling",
                    Kind::Deployment,
                ));
            }
            None => {}
        }
    }
}
