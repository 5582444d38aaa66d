//! `K002`: a lookup's data file must exist: `lookups/<filename>` in v4; in v5 the file next
//! to the `.yml` with the same stem (`.csv` for `csv`, `.mlmodel` for `mlmodel`, whose stem
//! must start with `__mlspl_`). v5 kvstore lookups need `fields` starting with `_key`.
//!
//! ```yaml
//! filename: missing_table.csv
//! ```

use crate::content::{Format, Lookup};
use crate::diagnostic::{Code, Diagnostic};
use crate::validate::Context;

fn exists(context: &Context<'_>, relative_path: &str) -> bool {
    context
        .content
        .lookup_files
        .iter()
        .any(|file| file.relative_path == relative_path)
}

fn check_v5(context: &Context<'_>, lookup: &Lookup, out: &mut Vec<Diagnostic>) {
    let stem_path = lookup
        .meta
        .relative_path
        .strip_suffix(".yml")
        .unwrap_or(&lookup.meta.relative_path);
    let span = lookup.lookup_type.span().unwrap_or(lookup.meta.anchor);
    match lookup.lookup_type.as_str() {
        Some("csv") => {
            let expected = format!("{stem_path}.csv");
            if !exists(context, &expected) {
                out.push(Diagnostic::new(
                    Code::K002,
                    span,
                    format!("the lookup's data file `{expected}` does not exist"),
                ));
            }
        }
        Some("mlmodel") => {
            let expected = format!("{stem_path}.mlmodel");
            if !lookup.meta.file_stem().starts_with("__mlspl_") {
                out.push(Diagnostic::new(
                    Code::K002,
                    span,
                    "an `mlmodel` lookup's file name must start with `__mlspl_`",
                ));
            } else if !exists(context, &expected) {
                out.push(Diagnostic::new(
                    Code::K002,
                    span,
                    format!("the lookup's model file `{expected}` does not exist"),
                ));
            }
        }
        Some("kvstore") => match lookup.fields.get() {
            None => out.push(Diagnostic::new(
                Code::K002,
                span,
                "a `kvstore` lookup needs `fields`, starting with `_key`",
            )),
            Some(fields)
                if fields
                    .value
                    .first()
                    .is_none_or(|first| first.value != "_key") =>
            {
                out.push(Diagnostic::new(
                    Code::K002,
                    fields.span,
                    "a `kvstore` lookup's `fields` must start with `_key`",
                ));
            }
            Some(_) => {}
        },
        _ => {}
    }
}

/// Reports lookups whose data is missing.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        match lookup.meta.format {
            Format::V4 => {
                let Some(filename) = lookup.filename.get() else {
                    continue;
                };
                if !exists(context, &format!("lookups/{}", filename.value)) {
                    out.push(Diagnostic::new(
                        Code::K002,
                        filename.span,
                        format!("`lookups/{}` does not exist", filename.value),
                    ));
                }
            }
            Format::V5 => check_v5(context, lookup, out),
        }
    }
}
