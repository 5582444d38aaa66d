//! `D004`: the search must contain the literal `` `<stem>_filter` ``, where the stem comes
//! from the detection's name. contentctl checks a plain substring: anywhere, even inside a
//! ```` ``` ```` comment, in any position (lints `X003`–`X005` look closer).
//!
//! ```yaml
//! name: Example Tool
//! search: '| tstats count from datamodel=Endpoint.Processes'   # no `example_tool_filter`
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports searches without their filter macro.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let (Some(filter), Some(search)) = (detection.filter_macro_name(), detection.search.get())
        else {
            continue;
        };
        let call = format!("`{filter}`");
        if !search.value.contains(&call) {
            out.push(
                Diagnostic::new(
                    Code::D004,
                    search.span,
                    format!("the search does not call its filter macro {call}"),
                )
                .with_help(format!("end the search with `| {call}`")),
            );
        }
    }
}
