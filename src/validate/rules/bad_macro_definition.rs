//! `M001`: a macro needs a non-empty `definition`.
//!
//! ```yaml
//! name: sysmon
//! definition: ''
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports missing or empty definitions.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for macro_def in &context.content.macros {
        match macro_def.definition.get() {
            None if macro_def.definition.is_missing() => {
                out.push(missing(
                    Code::M001,
                    macro_def.meta.anchor,
                    "definition",
                    Kind::Macro,
                ));
            }
            Some(definition) if definition.value.is_empty() => out.push(Diagnostic::new(
                Code::M001,
                definition.span,
                "`definition` is empty",
            )),
            _ => {}
        }
    }
}
