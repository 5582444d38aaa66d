//! `M002`: a macro needs a `description`.
//!
//! ```yaml
//! name: sysmon
//! definition: index=sysmon
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports macros without a description.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for macro_def in &context.content.macros {
        if macro_def.header.description.is_missing() {
            out.push(missing(
                Code::M002,
                macro_def.meta.anchor,
                "description",
                Kind::Macro,
            ));
        }
    }
}
