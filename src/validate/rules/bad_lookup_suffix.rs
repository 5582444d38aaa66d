//! `K003`: a v4 lookup's `filename` must end in `.csv` or `.mlmodel`.
//!
//! ```yaml
//! filename: table.txt
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports data files of the wrong kind.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        let Some(filename) = lookup.filename.get() else {
            continue;
        };
        if !filename.value.ends_with(".csv") && !filename.value.ends_with(".mlmodel") {
            out.push(Diagnostic::new(
                Code::K003,
                filename.span,
                format!(
                    "lookup file `{}` must end in `.csv` or `.mlmodel`",
                    filename.value
                ),
            ));
        }
    }
}
