//! `T004`: each `tags.cve` must match contentctl's `^CVE-[1|2]\d{3}-\d+$` (the `|` inside the
//! class is a literal, so `CVE-|999-1` passes; kept for parity).
//!
//! ```yaml
//! cve:
//! - CVE-21-1234
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;
use crate::validate::patterns::CVE_PATTERN;

/// Reports malformed CVE ids.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        let Some(tags) = detection.tags.value() else {
            continue;
        };
        for (index, id) in tags.cve.value().into_iter().flatten().enumerate() {
            if !context.patterns.is_cve(&id.value) {
                out.push(Diagnostic::new(
                    Code::T004,
                    id.span,
                    format!(
                        "`tags.cve.{index}` does not match `{CVE_PATTERN}`: `{}`",
                        id.value
                    ),
                ));
            }
        }
    }
}
