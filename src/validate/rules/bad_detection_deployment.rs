//! `D020`: a detection's inline `deployment:` must be a valid deployment (`scheduling`
//! with four strings, a valid `alert_action`); without one, the deployment named
//! `ESCU Default Configuration <type>` must exist.
//!
//! ```yaml
//! deployment:
//!   scheduling:
//!     cron_schedule: 0 * * * *      # earliest_time, latest_time, schedule_window missing
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_deployment, default_deployment_name};

/// Reports invalid inline deployments and missing default ones.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let span = detection
            .analytic_type
            .span()
            .unwrap_or(detection.meta.anchor);
        let default = detection.analytic_type().and_then(default_deployment_name);
        check_deployment(
            context,
            Code::D020,
            &detection.deployment,
            default,
            span,
            out,
        );
    }
}
