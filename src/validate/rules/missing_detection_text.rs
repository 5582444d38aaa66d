//! `D003`: a detection needs a `search`, and a `how_to_implement` and
//! `known_false_positives` of at least 4 characters.
//!
//! ```yaml
//! known_false_positives: n/a   # 3 characters
//! ```

use crate::content::{Field, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing or too short text fields.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let anchor = detection.meta.anchor;
        if detection.search.is_missing() {
            out.push(missing(Code::D003, anchor, "search", Kind::Detection));
        }
        for (key, field) in [
            ("how_to_implement", &detection.how_to_implement),
            ("known_false_positives", &detection.known_false_positives),
        ] {
            match field {
                Field::Missing => out.push(missing(Code::D003, anchor, key, Kind::Detection)),
                Field::Present(text) if text.value.chars().count() < 4 => {
                    out.push(Diagnostic::new(
                        Code::D003,
                        text.span,
                        format!("`{key}` must be at least 4 characters long"),
                    ));
                }
                _ => {}
            }
        }
    }
}
