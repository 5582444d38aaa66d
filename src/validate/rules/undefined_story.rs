//! `D008`: `tags.analytic_story` must be present and each item must name a story.
//!
//! ```yaml
//! tags:
//!   analytic_story:
//!   - No Such Story
//! ```

use super::meant_help;
use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports missing `analytic_story` and names that are nowhere defined.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.get() else {
            continue;
        };
        if tags.value.analytic_story.is_missing() {
            out.push(Diagnostic::new(
                Code::D008,
                tags.span,
                "`tags` has no `analytic_story`",
            ));
        }
        for story in tags.value.analytic_story.value().into_iter().flatten() {
            if context.kind_of(&story.value).is_none() {
                let mut diagnostic = Diagnostic::new(
                    Code::D008,
                    story.span,
                    format!("story `{}` is not defined", story.value),
                );
                if let Some(meant) = context.closest(&story.value, Kind::Story) {
                    diagnostic = diagnostic.with_help(meant_help(&story.value, meant));
                }
                out.push(diagnostic);
            }
        }
    }
}
