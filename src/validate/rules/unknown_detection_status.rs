//! `D002`: a detection's `status` must be `production`, `experimental`, `deprecated` or
//! `validation`.
//!
//! ```yaml
//! status: prod
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_enum, missing};

/// Reports a missing or unknown `status`.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        match detection.status.get() {
            Some(value) => check_enum(
                Code::D002,
                "status",
                value,
                &["production", "experimental", "deprecated", "validation"],
                out,
            ),
            None if detection.status.is_missing() => {
                out.push(missing(
                    Code::D002,
                    detection.meta.anchor,
                    "status",
                    Kind::Detection,
                ));
            }
            None => {}
        }
    }
}
