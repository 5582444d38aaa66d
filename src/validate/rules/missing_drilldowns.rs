//! `D012`: a production detection of type TTP, Anomaly or Correlation (contentctl only
//! exempts Hunting) needs at least two `drilldown_searches`, one of which contains
//! `%original_detection_search%`.
//!
//! ```yaml
//! status: production
//! type: Anomaly
//! drilldown_searches: []
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::is_production;

const PLACEHOLDER: &str = "%original_detection_search%";

/// Reports production detections without their drilldowns.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if !is_production(detection) || detection.analytic_type() == Some("Hunting") {
            continue;
        }
        if matches!(
            detection.drilldown_searches,
            crate::content::Field::Invalid(_)
        ) {
            continue;
        }
        let drilldowns = detection
            .drilldown_searches
            .value()
            .map_or(&[][..], Vec::as_slice);
        let span = detection
            .drilldown_searches
            .span()
            .or_else(|| detection.status.span())
            .unwrap_or(detection.meta.anchor);
        if drilldowns.len() < 2 {
            out.push(Diagnostic::new(
                Code::D012,
                span,
                format!(
                    "a production detection needs 2 drilldown searches, found {}",
                    drilldowns.len()
                ),
            ));
            continue;
        }
        let has_placeholder = drilldowns.iter().any(|drilldown| {
            drilldown
                .value_of("search")
                .and_then(|search| search.as_str())
                .is_some_and(|search| search.contains(PLACEHOLDER))
        });
        if !has_placeholder {
            out.push(Diagnostic::new(
                Code::D012,
                span,
                format!("no drilldown search contains `{PLACEHOLDER}`"),
            ));
        }
    }
}
