//! `T002`: v4 `tags.confidence` and `tags.impact` are required integers in 0..=100 (the
//! risk score is computed from them).
//!
//! ```yaml
//! tags:
//!   confidence: 150
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports missing or out-of-range confidence and impact.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4 {
            continue;
        }
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        for (key, field) in [
            ("confidence", &tags.value.confidence),
            ("impact", &tags.value.impact),
        ] {
            match field.get() {
                None if field.is_missing() => out.push(Diagnostic::new(
                    Code::T002,
                    tags.span,
                    format!("`tags` has no `{key}`"),
                )),
                Some(value) if !(0..=100).contains(&value.value) => {
                    out.push(Diagnostic::new(
                        Code::T002,
                        value.span,
                        format!("`tags.{key}` must be in 0..=100, found {}", value.value),
                    ));
                }
                _ => {}
            }
        }
    }
}
