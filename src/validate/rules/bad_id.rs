//! `G002`: `id` must be a UUID; it is required except for macros and v4 lookups (contentctl
//! generates a random one for those).
//!
//! Why: ids identify content across releases; contentctl rejects the object.
//!
//! ```yaml
//! id: not-a-uuid
//! ```

use crate::content::{Format, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::canonical_uuid;

use super::missing;

/// Reports missing and malformed ids.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let is_optional =
            kind == Kind::Macro || (kind == Kind::Lookup && meta.format == Format::V4);
        match header.id.get() {
            None if header.id.is_missing() && !is_optional => {
                out.push(missing(Code::G002, meta.anchor, "id", kind));
            }
            Some(id) if canonical_uuid(&id.value).is_none() => {
                out.push(Diagnostic::new(
                    Code::G002,
                    id.span,
                    format!("`id` is not a UUID: `{}`", id.value),
                ));
            }
            _ => {}
        }
    }
}
