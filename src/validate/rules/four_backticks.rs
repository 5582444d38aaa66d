//! `D005`: a search may not contain four backticks in a row (usually a macro commented out
//! with ```` ``` ````, which SPL then misreads).
//!
//! ```yaml
//! search: '```` `sysmon` ```` | stats count'
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::search_span;

/// Reports the first run of four backticks.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(search) = detection.search.get() else {
            continue;
        };
        if let Some(at) = search.value.find("````") {
            out.push(Diagnostic::new(
                Code::D005,
                search_span(context, search, at, 4),
                "the search contains four backticks in a row",
            ));
        }
    }
}
