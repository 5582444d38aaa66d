//! `L004`: every file under `lookups/` whose name contains a dot must end in `.yml`, `.csv`
//! or `.mlmodel` (contentctl globs `**/*.*`; files without a dot escape the check).
//!
//! ```text
//! lookups/notes.txt
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;

/// Reports stray files under `lookups/`.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for data in &context.content.lookup_files {
        let name = data.relative_path.rsplit('/').next().unwrap_or_default();
        if !name.contains('.') || name.ends_with(".csv") || name.ends_with(".mlmodel") {
            continue;
        }
        let Some(file) = data.file else {
            continue;
        };
        out.push(Diagnostic::new(
            Code::L004,
            Span::file_start(file),
            format!(
                "`{}` is not allowed in lookups/: only `.yml`, `.csv` and `.mlmodel` files",
                data.relative_path
            ),
        ));
    }
}
