//! `D020`: a detection's inline `deployment:` must be a valid deployment (`scheduling`
//! with four strings, a valid `alert_action`); without one, the deployment named
//! `ESCU Default Configuration <type>` must exist.
//!
//! ```yaml
//! deployment:
//!   scheduling:
//!     cron_schedule: 0 * * * *      # earliest_time, latest_time, schedule_window missing
//! ```

use crate::content::yaml::Value;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::{ShapeCheck, check_deployment_body};

use super::{default_deployment_name, push_problems};

/// Reports invalid inline deployments and missing default ones.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let inline = detection
            .deployment
            .value()
            .filter(|node| !matches!(&node.value, Value::Map(entries) if entries.is_empty()));
        if let Some(node) = inline {
            let mut check = ShapeCheck::new(node, "deployment.");
            check_deployment_body(&mut check);
            push_problems(Code::D020, check.problems, out);
            continue;
        }
        let Some(name) = detection.analytic_type().and_then(default_deployment_name) else {
            continue;
        };
        if context.kind_of(name).is_none() {
            let span = detection
                .analytic_type
                .span()
                .unwrap_or(detection.meta.anchor);
            out.push(Diagnostic::new(
                Code::D020,
                span,
                format!("deployment `{name}` is not defined"),
            ));
        }
    }
}
