//! `I001`: an investigation's `type` must be exactly `Investigation`.
//!
//! ```yaml
//! type: Baseline
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::{check_enum, missing};

/// Reports wrong investigation types.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for investigation in &context.content.investigations {
        match investigation.investigation_type.get() {
            Some(value) => check_enum(Code::I001, "type", value, &["Investigation"], out),
            None if investigation.investigation_type.is_missing() => out.push(missing(
                Code::I001,
                investigation.meta.anchor,
                "type",
                Kind::Investigation,
            )),
            None => {}
        }
    }
}
