//! `T010`: each `tags.atomic_guid` must be a UUID (whether the Atomic Red Team test exists
//! is only checked with enrichments on, which is not the default).
//!
//! ```yaml
//! atomic_guid:
//! - not-a-guid
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::canonical_uuid;

/// Reports malformed atomic GUIDs.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        for (index, guid) in tags.atomic_guid.value().into_iter().flatten().enumerate() {
            if canonical_uuid(&guid.value).is_none() {
                out.push(Diagnostic::new(
                    Code::T010,
                    guid.span,
                    format!("`tags.atomic_guid.{index}` is not a UUID: `{}`", guid.value),
                ));
            }
        }
    }
}
