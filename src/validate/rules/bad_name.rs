//! `G001`: every object needs a `name`, at most 99 characters (67 for detections, baselines
//! and investigations, whose names become Enterprise Security stanzas with prefixes).
//!
//! Why: contentctl rejects the object; ES truncates or refuses long stanza names.
//!
//! ```yaml
//! # detections/x.yml
//! id: 1b7bfb2c-b8e6-11eb-99ac-acde48001122   # no name
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing and over-long names.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        if header.name.is_missing() {
            out.push(missing(Code::G001, meta.anchor, "name", kind));
            continue;
        }
        let Some(name) = header.name.get() else {
            continue;
        };
        let length = name.value.chars().count();
        let max = kind.max_name_length();
        if length > max {
            out.push(Diagnostic::new(
                Code::G001,
                name.span,
                format!("{kind} `name` is {length} characters long, the limit is {max}"),
            ));
        }
    }
}
