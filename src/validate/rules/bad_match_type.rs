//! `K005`: a lookup's `match_type`. contentctl 4.4.1 means "`WILDCARD(field)`" but tests
//! `starts with WILDCARD( OR ends with )`, so only values failing both are errors (kept for
//! parity). v5: a list whose items match `(^WILDCARD|CIDR)\(.+\)$`.
//!
//! ```yaml
//! match_type: domain
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports malformed match types.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        let Some(items) = lookup.match_type.value() else {
            continue;
        };
        for item in items {
            let value = item.value.as_str();
            let is_valid = match lookup.meta.format {
                Format::V4 => {
                    value.is_empty() || value.starts_with("WILDCARD(") || value.ends_with(')')
                }
                Format::V5 => context.patterns.is_v5_match_type(value),
            };
            if !is_valid {
                out.push(Diagnostic::new(
                    Code::K005,
                    item.span,
                    format!("`match_type` must look like `WILDCARD(field)`, found `{value}`"),
                ));
            }
        }
    }
}
