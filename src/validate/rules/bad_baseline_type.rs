//! `B001`: a baseline's `type` must be exactly `Baseline`.
//!
//! ```yaml
//! type: baseline
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_enum, missing};

/// Reports wrong baseline types.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for baseline in &context.content.baselines {
        match baseline.baseline_type.get() {
            Some(value) => check_enum(Code::B001, "type", value, &["Baseline"], out),
            None if baseline.baseline_type.is_missing() => {
                out.push(missing(
                    Code::B001,
                    baseline.meta.anchor,
                    "type",
                    Kind::Baseline,
                ));
            }
            None => {}
        }
    }
}
