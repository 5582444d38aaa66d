//! `D014`: `enabled_by_default: true` is only allowed for production detections of type
//! TTP, Anomaly or Correlation.
//!
//! ```yaml
//! status: experimental
//! enabled_by_default: true
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::is_production;

/// Reports detections enabled by default that may not be.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(enabled) = detection.enabled_by_default.get() else {
            continue;
        };
        if !enabled.value {
            continue;
        }
        let mut reasons = Vec::new();
        if !is_production(detection) {
            reasons.push(format!(
                "its status is `{}`, not `production`",
                detection.status().unwrap_or("missing")
            ));
        }
        if !matches!(
            detection.analytic_type(),
            Some("TTP" | "Anomaly" | "Correlation")
        ) {
            reasons.push(format!(
                "its type is `{}`, not TTP, Anomaly or Correlation",
                detection.analytic_type().unwrap_or("missing")
            ));
        }
        if !reasons.is_empty() {
            out.push(Diagnostic::new(
                Code::D014,
                enabled.span,
                format!(
                    "this detection may not be enabled by default: {}",
                    reasons.join("; ")
                ),
            ));
        }
    }
}
