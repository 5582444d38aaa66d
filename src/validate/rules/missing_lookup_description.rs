//! `K007`: a lookup needs a `description`.
//!
//! ```yaml
//! name: my_table
//! filename: my_table.csv
//! ```

use crate::content::Kind;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::missing;

/// Reports lookups without a description.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        if lookup.header.description.is_missing() {
            out.push(missing(
                Code::K007,
                lookup.meta.anchor,
                "description",
                Kind::Lookup,
            ));
        }
    }
}
