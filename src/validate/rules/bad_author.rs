//! `G005`: `author` is required (except for macros and v4 lookups) and at most 255 characters.
//!
//! ```yaml
//! # no author key
//! ```

use crate::content::{Format, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing and over-long authors.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let is_optional =
            kind == Kind::Macro || (kind == Kind::Lookup && meta.format == Format::V4);
        match header.author.get() {
            None if header.author.is_missing() && !is_optional => {
                out.push(missing(Code::G005, meta.anchor, "author", kind));
            }
            Some(author) if author.value.chars().count() > 255 => out.push(Diagnostic::new(
                Code::G005,
                author.span,
                "`author` is longer than 255 characters",
            )),
            _ => {}
        }
    }
}
