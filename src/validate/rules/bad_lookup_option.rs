//! `K006`: lookup options must have their types (`default_match`, `case_sensitive_match`
//! booleans, `'false'` strings included; `min_matches` an integer; reported while loading),
//! and v5 ranges: `min_matches` >= 0, `max_matches` in 1..=1000.
//!
//! ```yaml
//! max_matches: 5000
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports out-of-range v5 lookup options.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        if lookup.meta.format != Format::V5 {
            continue;
        }
        if let Some(min) = lookup.min_matches.get()
            && min.value < 0
        {
            out.push(Diagnostic::new(
                Code::K006,
                min.span,
                format!("`min_matches` must be >= 0, found {}", min.value),
            ));
        }
        if let Some(max) = lookup.max_matches.get()
            && !(1..=1000).contains(&max.value)
        {
            out.push(Diagnostic::new(
                Code::K006,
                max.span,
                format!("`max_matches` must be in 1..=1000, found {}", max.value),
            ));
        }
    }
}
