//! `K001`: a v4 lookup needs exactly one of `filename` (a file under `lookups/`) and
//! `collection` (a KV store); a v5 lookup needs a known `lookup_type` (`csv`, `kvstore`,
//! `mlmodel`).
//!
//! ```yaml
//! name: my_table
//! description: neither filename nor collection
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

use super::check_enum;

/// Reports lookups without exactly one data source.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        match lookup.meta.format {
            Format::V4 => {
                let has_file = !lookup.filename.is_missing();
                let has_collection = !lookup.collection.is_missing();
                if has_file && has_collection {
                    let span = lookup.collection.span().unwrap_or(lookup.meta.anchor);
                    out.push(Diagnostic::new(
                        Code::K001,
                        span,
                        "a lookup may define `filename` or `collection`, not both",
                    ));
                } else if !has_file && !has_collection {
                    out.push(Diagnostic::new(
                        Code::K001,
                        lookup.meta.anchor,
                        "a lookup needs `filename` or `collection`",
                    ));
                }
            }
            Format::V5 => {
                if let Some(lookup_type) = lookup.lookup_type.get() {
                    check_enum(
                        Code::K001,
                        "lookup_type",
                        lookup_type,
                        &["csv", "kvstore", "mlmodel"],
                        out,
                    );
                }
            }
        }
    }
}
