//! `D010`: a production detection that is not a Correlation and has no `tags.manual_test`
//! needs at least one test.
//!
//! ```yaml
//! status: production
//! type: TTP
//! tests: []
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::is_production;

/// Reports production detections without tests, at `tests` (or `status`).
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if !is_production(detection) || detection.analytic_type() == Some("Correlation") {
            continue;
        }
        let is_manual = detection
            .tags
            .value()
            .is_some_and(|tags| !tags.manual_test.is_missing());
        let is_empty = detection.tests.value().is_none_or(Vec::is_empty);
        if is_manual || !is_empty || matches!(detection.tests, crate::content::Field::Invalid(_)) {
            continue;
        }
        let span = detection
            .tests
            .span()
            .or_else(|| detection.status.span())
            .unwrap_or(detection.meta.anchor);
        out.push(
            Diagnostic::new(
                Code::D010,
                span,
                "a production detection needs at least one test",
            )
            .with_help("add a `tests:` item, or set `tags.manual_test` to explain why not"),
        );
    }
}
