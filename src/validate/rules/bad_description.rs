//! `G006`: `description` is required and at most 10,000 characters. (A macro's or lookup's
//! missing description is reported as `M002` / `K007`.)
//!
//! ```yaml
//! # no description key
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing and over-long descriptions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let has_own_code = matches!(kind, Kind::Macro | Kind::Lookup);
        match header.description.get() {
            None if header.description.is_missing() && !has_own_code => {
                out.push(missing(Code::G006, meta.anchor, "description", kind));
            }
            Some(description) if description.value.chars().count() > 10_000 => {
                out.push(Diagnostic::new(
                    Code::G006,
                    description.span,
                    "`description` is longer than 10,000 characters",
                ));
            }
            _ => {}
        }
    }
}
