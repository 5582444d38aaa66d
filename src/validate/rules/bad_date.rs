//! `G004`: `date` must be a `YYYY-MM-DD` calendar date (quoted or not); required except for
//! macros and v4 lookups.
//!
//! ```yaml
//! date: 2024-02-30
//! ```

use crate::content::{Format, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::is_date;

use super::missing;

/// Reports missing and invalid dates.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let is_optional =
            kind == Kind::Macro || (kind == Kind::Lookup && meta.format == Format::V4);
        match header.date.get() {
            None if header.date.is_missing() && !is_optional => {
                out.push(missing(Code::G004, meta.anchor, "date", kind));
            }
            Some(date) if !is_date(&date.value) => out.push(Diagnostic::new(
                Code::G004,
                date.span,
                format!("`date` is not a `YYYY-MM-DD` date: `{}`", date.value),
            )),
            _ => {}
        }
    }
}
