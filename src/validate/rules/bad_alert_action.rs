//! `DP003`: a deployment's `alert_action`: `notable` needs `rule_description`, `rule_title`
//! and a `nes_fields` list; `rba.enabled` must be a boolean; `email`, `slack` and `phantom`
//! need their string keys.
//!
//! ```yaml
//! alert_action:
//!   rba:
//!     enabled: sometimes
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::{ShapeCheck, check_alert_action};

use super::push_problems;

/// Reports invalid alert actions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for deployment in &context.content.deployments {
        if let Some(node) = deployment.alert_action.value() {
            let mut shape = ShapeCheck::new(node, "alert_action.");
            check_alert_action(&mut shape);
            push_problems(Code::DP003, shape.problems, out);
        }
    }
}
