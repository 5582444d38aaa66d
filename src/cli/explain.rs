//! `detc explain CODE`: print a code's explanation (`docs/codes/<CODE>.md`) and its default
//! severity to stdout.

use std::io::{self, Write};

use super::Outcome;
use crate::diagnostic::Code;
use crate::diagnostic::explain::explanation;

/// Prints the explanation of `code`, or its one-line summary when it has none yet.
///
/// # Errors
/// Fails when stdout cannot be written.
pub fn run(code: Code) -> anyhow::Result<Outcome> {
    let info = code.info();
    let mut out = io::stdout().lock();
    match explanation(code) {
        Some(text) => write!(out, "{text}")?,
        None => writeln!(
            out,
            "# {}: {}\n\n{}. No longer explanation is written yet.",
            code.as_str(),
            info.name,
            info.summary
        )?,
    }
    // From the registry, not the text, so the two cannot disagree.
    writeln!(out, "\nDefault severity: {}.", info.severity.as_str())?;
    out.flush()?;
    Ok(Outcome::Passed)
}
