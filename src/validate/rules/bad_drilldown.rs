//! `D013`: each drilldown needs a `name` of at least 5 characters, a non-empty `search`,
//! and the keys `earliest_offset` and `latest_offset` (null or a non-empty string).
//!
//! ```yaml
//! drilldown_searches:
//! - name: View
//!   search: ''
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::ShapeCheck;

use super::push_problems;

/// Reports malformed drilldowns.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(drilldowns) = detection.drilldown_searches.value() else {
            continue;
        };
        for (index, drilldown) in drilldowns.iter().enumerate() {
            let mut check = ShapeCheck::new(drilldown, &format!("drilldown_searches.{index}."));
            check.required_str("name", 5);
            check.required_str("search", 1);
            for key in ["earliest_offset", "latest_offset"] {
                check.key_present(key);
                check.optional_str(key, 1);
            }
            push_problems(Code::D013, check.problems, out);
        }
    }
}
