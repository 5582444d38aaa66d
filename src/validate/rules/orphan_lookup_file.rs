//! `L005`: every `.csv` / `.mlmodel` under `lookups/` must be named by some lookup's
//! `filename` (v4) or belong to a v5 lookup of the same stem.
//!
//! ```text
//! lookups/old_table.csv     # no lookup says `filename: old_table.csv`
//! ```

use std::collections::HashSet;

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;

/// Reports lookup data files nobody uses.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut named: HashSet<String> = HashSet::new();
    for lookup in &context.content.lookups {
        match lookup.meta.format {
            Format::V4 => {
                if let Some(filename) = lookup.filename.as_str() {
                    named.insert(format!("lookups/{filename}"));
                }
            }
            Format::V5 => {
                let stem = lookup
                    .meta
                    .relative_path
                    .strip_suffix(".yml")
                    .unwrap_or(&lookup.meta.relative_path);
                named.insert(format!("{stem}.csv"));
                named.insert(format!("{stem}.mlmodel"));
            }
        }
    }
    for data in &context.content.lookup_files {
        let path = &data.relative_path;
        if !(path.ends_with(".csv") || path.ends_with(".mlmodel")) || named.contains(path) {
            continue;
        }
        let Some(file) = data.file else {
            continue;
        };
        out.push(Diagnostic::new(
            Code::L005,
            Span::file_start(file),
            format!("`{path}` is not the `filename` of any lookup"),
        ));
    }
}
