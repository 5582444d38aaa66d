//! `B002`: a baseline's `search`, `how_to_implement` and `known_false_positives` are
//! required, at least 4 characters each.
//!
//! ```yaml
//! known_false_positives: no
//! ```

use crate::content::{Field, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing or too short baseline text.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        for (key, field) in [
            ("search", &baseline.search),
            ("how_to_implement", &baseline.how_to_implement),
            ("known_false_positives", &baseline.known_false_positives),
        ] {
            match field {
                Field::Missing => out.push(missing(
                    Code::B002,
                    baseline.meta.anchor,
                    key,
                    Kind::Baseline,
                )),
                Field::Present(text) if text.value.chars().count() < 4 => {
                    out.push(Diagnostic::new(
                        Code::B002,
                        text.span,
                        format!("`{key}` must be at least 4 characters long"),
                    ));
                }
                _ => {}
            }
        }
    }
}
