//! The JSON renderer: one object per diagnostic per line, then one summary object, for
//! scripts and editors. Field names are stable; positions are 1-based, columns in characters.

use std::io::{self, Write};

use serde::Serialize;

use super::location::line_column;
use super::{RenderOptions, Summary};
use crate::diagnostic::Diagnostic;
use crate::policy::Hidden;
use crate::source::SourceMap;

/// One diagnostic as written.
#[derive(Serialize)]
struct Record<'a> {
    severity: &'a str,
    code: &'a str,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
}

/// The closing line.
#[derive(Serialize)]
struct SummaryRecord<'a> {
    summary: &'a Summary,
    /// What the report policy left out (`validate` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    not_shown: Option<&'a Hidden>,
}

/// Writes one JSON object per diagnostic, in the order given.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        let position = line_column(sources, diagnostic.primary);
        let record = Record {
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code.as_str(),
            file: sources
                .get(diagnostic.primary.file)
                .map(|file| options.paths.show(file.path()))
                .unwrap_or_default(),
            line: position.line,
            column: position.column,
            message: &diagnostic.message,
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the summary object line: `{"summary":{"detections":...,"errors":...}}`, with
/// `"not_shown":{"suppressed","deselected","outside_paths"}` when `hidden` is given.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_summary(
    summary: &Summary,
    hidden: Option<&Hidden>,
    out: &mut dyn Write,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &SummaryRecord {
            summary,
            not_shown: hidden,
        },
    )?;
    writeln!(out)
}
