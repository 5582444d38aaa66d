//! `G008`: the file's base name must be the object's name lower-cased with ` `, `-`, `.`
//! and `/` turned into `_`, plus `.yml`. Applies to detections, stories, macros, data
//! sources, deployments and baselines; not to lookups or investigations (contentctl skips
//! them). The folder does not matter.
//!
//! ```yaml
//! # detections/renamed.yml
//! name: Example Renamed Tool     # expects example_renamed_tool.yml
//! ```

use crate::content::{Kind, name_to_stem};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

/// Reports file names that do not follow the object's name.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        if matches!(kind, Kind::Lookup | Kind::Investigation) {
            continue;
        }
        let Some(name) = header.name.get() else {
            continue;
        };
        let expected = format!("{}.yml", name_to_stem(&name.value));
        if expected != meta.file_name() {
            out.push(
                Diagnostic::new(
                    Code::G008,
                    name.span,
                    format!(
                        "the file name `{}` does not match the {kind} name, expected `{expected}`",
                        meta.file_name()
                    ),
                )
                .with_help(format!("rename the file to `{expected}`")),
            );
        }
    }
}
