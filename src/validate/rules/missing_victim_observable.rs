//! `D015`: a production TTP or Anomaly detection (v4) needs an observable with role
//! `Victim` (it becomes the risk object).
//!
//! ```yaml
//! observable:
//! - name: process_name
//!   type: Process
//!   role: [Attacker]
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::is_production;

/// Reports production TTP/Anomaly detections without a victim.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4
            || !is_production(detection)
            || !matches!(detection.analytic_type(), Some("TTP" | "Anomaly"))
        {
            continue;
        }
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        let has_victim = tags
            .value
            .observable
            .value()
            .into_iter()
            .flatten()
            .any(|o| {
                o.role
                    .value()
                    .is_some_and(|roles| roles.iter().any(|role| role.value == "Victim"))
            });
        if !has_victim {
            let span = tags.value.observable.span().unwrap_or(tags.span);
            out.push(Diagnostic::new(
                Code::D015,
                span,
                "a production TTP or Anomaly detection needs an observable with role `Victim`",
            ));
        }
    }
}
