//! `S001`: a story needs a `narrative`.
//!
//! ```yaml
//! # stories/x.yml without `narrative:`
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports stories without a narrative.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for story in &context.content.stories {
        if story.narrative.is_missing() {
            out.push(missing(
                Code::S001,
                story.meta.anchor,
                "narrative",
                Kind::Story,
            ));
        }
    }
}
