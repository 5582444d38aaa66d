//! The summary that closes every `validate` run: what was loaded and how many problems were
//! found, as one plain line or as a JSON object.

use serde::Serialize;

use super::count;
use crate::content::Counts;
use crate::diagnostic::Diagnostic;

/// What a validation run loaded and found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Detections loaded.
    pub detections: usize,
    /// Stories loaded.
    pub stories: usize,
    /// Macro files loaded.
    pub macros: usize,
    /// Lookups loaded.
    pub lookups: usize,
    /// Data sources loaded.
    pub data_sources: usize,
    /// Diagnostics with severity error.
    pub errors: usize,
    /// Diagnostics with severity warning.
    pub warnings: usize,
}

impl Summary {
    /// Counts the errors and warnings among `diagnostics`.
    #[must_use]
    pub fn new(counts: Counts, diagnostics: &[Diagnostic]) -> Summary {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            detections: counts.detections,
            stories: counts.stories,
            macros: counts.macros,
            lookups: counts.lookups,
            data_sources: counts.data_sources,
            errors,
            warnings: diagnostics.len() - errors,
        }
    }

    /// Whether validation passed (warnings allowed).
    #[must_use]
    pub fn passed(&self) -> bool {
        self.errors == 0
    }

    /// The plain summary line, without a newline.
    ///
    /// Counts of one take the singular (`1 error`); otherwise the wording is fixed, so scripts
    /// can parse it with `(\d+) errors?`.
    ///
    /// # Example
    /// ```
    /// use detc::output::Summary;
    ///
    /// let summary = Summary { detections: 2, stories: 1, errors: 1, ..Summary::default() };
    /// assert_eq!(
    ///     summary.line(),
    ///     "validated 2 detections, 1 story, 0 macros, 0 lookups, 0 data sources: 1 error, 0 warnings"
    /// );
    /// ```
    #[must_use]
    pub fn line(&self) -> String {
        let story = if self.stories == 1 {
            "1 story".to_owned()
        } else {
            format!("{} stories", self.stories)
        };
        format!(
            "validated {}, {story}, {}, {}, {}: {}, {}",
            count(self.detections, "detection"),
            count(self.macros, "macro"),
            count(self.lookups, "lookup"),
            count(self.data_sources, "data source"),
            count(self.errors, "error"),
            count(self.warnings, "warning"),
        )
    }
}
