//! `D018`: `tags.throttling` needs `fields` (at least one, each without spaces and present
//! in the search as a substring) and a `period` matching `^[0-9]+[smh]$`.
//!
//! ```yaml
//! throttling:
//!   fields: [dest user]
//!   period: 1 day
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::shape::ShapeCheck;

use super::push_problems;

/// Reports invalid throttling settings.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(throttling) = detection.tags.value().and_then(|t| t.throttling.value()) else {
            continue;
        };
        let search = detection.search.as_str().unwrap_or_default();
        let mut check = ShapeCheck::new(throttling, "tags.throttling.");
        if let Some(fields) = check.required_list("fields") {
            if fields.is_empty()
                && let Some(node) = check.value("fields")
            {
                out.push(Diagnostic::new(
                    Code::D018,
                    node.span,
                    "`tags.throttling.fields` needs at least one field",
                ));
            }
            for (index, field) in fields.iter().enumerate() {
                let Some(name) = field.as_str() else {
                    out.push(Diagnostic::new(
                        Code::D018,
                        field.span,
                        format!("`tags.throttling.fields.{index}` must be a string"),
                    ));
                    continue;
                };
                if name.contains(' ') {
                    out.push(Diagnostic::new(
                        Code::D018,
                        field.span,
                        format!("throttling field `{name}` contains a space"),
                    ));
                } else if !search.contains(name) {
                    out.push(Diagnostic::new(
                        Code::D018,
                        field.span,
                        format!("throttling field `{name}` does not occur in the search"),
                    ));
                }
            }
        }
        if let Some(period) = check.required_str("period", 0)
            && !context.patterns.is_period(period)
            && let Some(node) = check.value("period")
        {
            out.push(Diagnostic::new(
                Code::D018,
                node.span,
                format!("throttling period `{period}` does not match `^[0-9]+[smh]$`"),
            ));
        }
        push_problems(Code::D018, check.problems, out);
    }
}
