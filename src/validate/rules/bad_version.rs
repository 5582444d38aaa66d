//! `G003`: `version` must be an integer >= 0; required except for macros, v4 lookups and
//! deployments (default 1).
//!
//! ```yaml
//! version: -1
//! ```

use crate::content::{Format, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing and negative versions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let is_optional = matches!(kind, Kind::Macro | Kind::Deployment)
            || (kind == Kind::Lookup && meta.format == Format::V4);
        match header.version.get() {
            None if header.version.is_missing() && !is_optional => {
                out.push(missing(Code::G003, meta.anchor, "version", kind));
            }
            Some(version) if version.value < 0 => out.push(Diagnostic::new(
                Code::G003,
                version.span,
                format!("`version` must be >= 0, found {}", version.value),
            )),
            _ => {}
        }
    }
}
