//! `D007`: every lookup contentctl finds in a search must be defined under `lookups/`.
//! contentctl 4.4.1 finds them with `[^output]lookup (?:update=true)?(?:append=t)?\s*([^\s]*)`
//! on the raw search (comments kept), so `inputlookup X` is never checked. Its ignore list
//! has a bug we reproduce: if *any* captured name is on the list (`outputlookup`,
//! `ut_shannon_lookup`, `identity_lookup_expanded`, ...), *no* lookup of that search is
//! checked. The fixture `tests/fixtures/validate/D007` pins both halves.
//!
//! ```yaml
//! search: '... | lookup my_missing_table field OUTPUT x | `x_filter`'
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::search_refs::checked_lookups;

use super::{meant_help, search_span};
use crate::content::Kind;

/// Reports undefined lookups at their use.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(search) = detection.search.get() else {
            continue;
        };
        for (name, offset) in checked_lookups(&search.value) {
            if context.kind_of(&name).is_none() {
                let mut diagnostic = Diagnostic::new(
                    Code::D007,
                    search_span(context, search, offset, name.len()),
                    format!("lookup `{name}` is not defined"),
                )
                .with_primary_label("not found under lookups/");
                if let Some(meant) = context.closest(&name, Kind::Lookup) {
                    diagnostic = diagnostic.with_help(meant_help(&name, meant));
                }
                out.push(diagnostic);
            }
        }
    }
}
