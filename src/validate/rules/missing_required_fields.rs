//! `T007`: v4 `tags.required_fields` is required and non-empty.
//!
//! ```yaml
//! required_fields: []
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports missing or empty required fields.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4 {
            continue;
        }
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        match tags.value.required_fields.get() {
            None if tags.value.required_fields.is_missing() => out.push(Diagnostic::new(
                Code::T007,
                tags.span,
                "`tags` has no `required_fields`",
            )),
            Some(fields) if fields.value.is_empty() => out.push(Diagnostic::new(
                Code::T007,
                fields.span,
                "`tags.required_fields` needs at least one field",
            )),
            _ => {}
        }
    }
}
