//! `D016`: in a production detection with a non-empty `tags.message`, every observable's
//! name (lower-cased) must occur in the lower-cased search, as a plain substring.
//!
//! ```yaml
//! search: '... by Processes.dest | `x_filter`'
//! tags:
//!   message: A tool ran
//!   observable:
//!   - name: user          # no `user` in the search
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::is_production;

/// Reports observables whose names the search never mentions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4 || !is_production(detection) {
            continue;
        }
        let (Some(tags), Some(search)) = (detection.tags.value(), detection.search.as_str()) else {
            continue;
        };
        if tags.message.as_str().is_none_or(str::is_empty) {
            continue;
        }
        let search = search.to_lowercase();
        for observable in tags.observable.value().into_iter().flatten() {
            let Some(name) = observable.name.get() else {
                continue;
            };
            if !search.contains(&name.value.to_lowercase()) {
                out.push(Diagnostic::new(
                    Code::D016,
                    name.span,
                    format!("observable `{}` does not occur in the search", name.value),
                ));
            }
        }
    }
}
