//! `T009`: v4 `tags.message` is required (it may be an empty string).
//!
//! ```yaml
//! tags:
//!   confidence: 50     # no message
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports a missing message.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4 {
            continue;
        }
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        if tags.value.message.is_missing() {
            out.push(Diagnostic::new(
                Code::T009,
                tags.span,
                "`tags` has no `message`",
            ));
        }
    }
}
