//! `D001`: a detection's `type` must be `TTP`, `Anomaly`, `Hunting` or `Correlation`.
//!
//! ```yaml
//! type: ttp      # case matters
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_enum, missing};

/// Reports a missing or unknown `type`.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for detection in &context.content.detections {
        match detection.analytic_type.get() {
            Some(value) => check_enum(
                Code::D001,
                "type",
                value,
                &["TTP", "Anomaly", "Hunting", "Correlation"],
                out,
            ),
            None if detection.analytic_type.is_missing() => {
                out.push(missing(
                    Code::D001,
                    detection.meta.anchor,
                    "type",
                    Kind::Detection,
                ));
            }
            None => {}
        }
    }
}
