//! `T003`: each `tags.mitre_attack_id` must match contentctl's `^T\d{4}(.\d{3})?$`. The dot
//! is unescaped in contentctl, so `T1560x001` passes; we keep that to match its results.
//!
//! ```yaml
//! mitre_attack_id:
//! - T15600
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports malformed MITRE ids.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        for (index, id) in tags
            .mitre_attack_id
            .value()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !context.patterns.is_mitre_id(&id.value) {
                out.push(
                    Diagnostic::new(
                        Code::T003,
                        id.span,
                        format!(
                            "`tags.mitre_attack_id.{index}` is `{}`, which is not a MITRE ATT&CK technique id",
                            id.value
                        ),
                    )
                    .with_note(
                        "a technique id is `T` and four digits (`T1234`), or a sub-technique: \
                         that, a dot and three digits (`T1234.001`)",
                    )
                    .with_help(
                        "write the technique's id as ATT&CK lists it, e.g. `T1560` or `T1560.001`",
                    ),
                );
            }
        }
    }
}
