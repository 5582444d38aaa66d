//! `D017`: in a production detection, every `$token$` of `tags.message` (found with
//! contentctl's `\$([^\s.]*)\$` on the lower-cased message) must occur in the lower-cased
//! search.
//!
//! ```yaml
//! tags:
//!   message: A tool ran on $dest$ by $usr$     # `usr` is not in the search
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::search_refs::message_tokens;

use super::is_production;

/// Reports message tokens the search never mentions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        if detection.meta.format != Format::V4 || !is_production(detection) {
            continue;
        }
        let (Some(tags), Some(search)) = (detection.tags.value(), detection.search.as_str()) else {
            continue;
        };
        let Some(message) = tags.message.get() else {
            continue;
        };
        let search = search.to_lowercase();
        let mut reported: Vec<String> = Vec::new();
        for token in message_tokens(&message.value) {
            if !search.contains(&token) && !reported.contains(&token) {
                out.push(Diagnostic::new(
                    Code::D017,
                    message.span,
                    format!("message token `${token}$` does not occur in the search"),
                ));
                reported.push(token);
            }
        }
    }
}
