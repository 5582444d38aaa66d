//! `D006`: every macro a search calls must be defined under `macros/` (a detection's own
//! `<stem>_filter` is created automatically). As contentctl 4.4.1: ```` ```…``` ````
//! comments are removed first, a call is `` `name` `` or `` `name(args)` `` (found with the
//! greedy regex `` `([^\s]+)` ``), and names that merely *contain* `drop_dm_object_name`,
//! `get_asset`, `get_risk_severity` or `cim_corporate_web_domain_search` are skipped.
//!
//! ```yaml
//! search: '`sysmon_proc` EventCode=1 | `x_filter`'   # no macros/sysmon_proc.yml
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::search_refs::macro_names;

use super::{meant_help, search_span};
use crate::content::Kind;

/// Reports calls of undefined macros at the call.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(search) = detection.search.get() else {
            continue;
        };
        for (name, offset) in macro_names(&search.value) {
            if context.kind_of(&name).is_none() {
                let mut diagnostic = Diagnostic::new(
                    Code::D006,
                    search_span(context, search, offset.saturating_sub(1), name.len() + 1),
                    format!("macro `{name}` is not defined"),
                )
                .with_primary_label("not found under macros/");
                if let Some(meant) = context.closest(&name, Kind::Macro) {
                    diagnostic = diagnostic.with_help(meant_help(&name, meant));
                }
                out.push(diagnostic);
            }
        }
    }
}
