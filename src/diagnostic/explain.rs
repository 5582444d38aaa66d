//! The long explanation of each code (`detc explain CODE`, and the help of each rule in SARIF
//! output): what it flags, why it matters, a bad and a good example, how to fix it.
//!
//! The texts are markdown files, one per code, in `docs/codes/<CODE>.md`, embedded at build
//! time (see `build.rs`), so they are reviewed as documents and stay out of the codes table.

use super::Code;

include!(concat!(env!("OUT_DIR"), "/explanations.rs"));

/// The explanation of `code`, in markdown.
#[must_use]
pub fn explanation(code: Code) -> Option<&'static str> {
    EXPLANATIONS
        .iter()
        .find(|(id, _)| *id == code.as_str())
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::codes::{Lifecycle, REGISTRY};

    /// Every code users can see has an explanation with the five parts, and every file
    /// names a registered code.
    #[test]
    fn every_code_is_explained() {
        let mut missing = Vec::new();
        for info in REGISTRY
            .iter()
            .filter(|info| info.lifecycle == Lifecycle::Stable)
        {
            let Some(text) = explanation(info.code) else {
                missing.push(format!(
                    "{}: no docs/codes/{}.md",
                    info.code.as_str(),
                    info.code.as_str()
                ));
                continue;
            };
            let title = format!("# {}: {}", info.code.as_str(), info.name);
            if !text.starts_with(&title) {
                missing.push(format!(
                    "{}: does not start with `{title}`",
                    info.code.as_str()
                ));
            }
            for heading in ["## Why it matters", "## Bad", "## Good", "## How to fix"] {
                if !text.contains(heading) {
                    missing.push(format!("{}: no `{heading}` section", info.code.as_str()));
                }
            }
        }
        for (id, _) in EXPLANATIONS {
            if Code::from_id(id).is_none() {
                missing.push(format!("docs/codes/{id}.md names no registered code"));
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }
}
