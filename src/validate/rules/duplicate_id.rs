//! `G010`: two objects of any kinds may not share an `id` (compared as UUIDs, so case and
//! hyphens do not matter).
//!
//! ```yaml
//! # a story and a detection with
//! id: 1b7bfb2c-b8e6-11eb-99ac-acde48001122
//! ```

use std::collections::HashMap;

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::patterns::canonical_uuid;

/// Reports every id already taken when its object is loaded.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut taken: HashMap<String, (Kind, Span)> = HashMap::new();
    for (kind, _, header) in context.content.objects() {
        let Some(id) = header.id.get() else {
            continue;
        };
        let Some(canonical) = canonical_uuid(&id.value) else {
            continue;
        };
        match taken.get(&canonical) {
            Some((other, other_span)) => out.push(
                Diagnostic::new(
                    Code::G010,
                    id.span,
                    format!("the id `{}` is already used by a {other}", id.value),
                )
                .with_label(*other_span, "first used here"),
            ),
            None => {
                taken.insert(canonical, (kind, id.span));
            }
        }
    }
}
