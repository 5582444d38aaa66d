//! What `detc compile` prints: one JSON object per detection and a summary object, or a
//! human summary with a table of the reasons detections are not compiled, or the `--explain`
//! view of one detection (its expanded SPL and its AST as an indented tree).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use super::location::line_column;
use crate::compile::{CompiledSearch, Status};
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// How many detections ended in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CompileSummary {
    /// Parsed and expanded.
    pub compiled: usize,
    /// Valid, but using something detc does not model yet.
    pub unsupported: usize,
    /// SPL syntax or macro errors.
    pub invalid: usize,
}

impl CompileSummary {
    /// Counts the states of `results`.
    #[must_use]
    pub fn new(results: &[CompiledSearch]) -> CompileSummary {
        let mut summary = CompileSummary::default();
        for result in results {
            match result.status {
                Status::Compiled => summary.compiled += 1,
                Status::Unsupported => summary.unsupported += 1,
                Status::Invalid => summary.invalid += 1,
            }
        }
        summary
    }

    /// The plain summary line, without a newline; fixed wording for scripts.
    ///
    /// ```
    /// use detc::output::compile::CompileSummary;
    /// let summary = CompileSummary { compiled: 3, unsupported: 1, invalid: 0 };
    /// assert_eq!(summary.line(), "compiled 3 of 4 detections: 1 unsupported, 0 invalid");
    /// ```
    #[must_use]
    pub fn line(&self) -> String {
        format!(
            "compiled {} of {} detections: {} unsupported, {} invalid",
            self.compiled,
            self.compiled + self.unsupported + self.invalid,
            self.unsupported,
            self.invalid
        )
    }
}

#[derive(Serialize)]
struct Reason<'a> {
    code: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Record<'a> {
    detection: &'a str,
    file: String,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason<'a>>,
}

#[derive(Serialize)]
struct SummaryRecord {
    summary: CompileSummary,
}

/// Writes one JSON object per detection, then the summary object.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_json(
    results: &[CompiledSearch],
    content: &Content,
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    for result in results {
        let reason = result.reason.as_ref().map(|reason| {
            let position = line_column(sources, reason.primary);
            Reason {
                code: reason.code.as_str(),
                message: &reason.message,
                line: position.line,
                column: position.column,
            }
        });
        let record = Record {
            detection: detection_name(content, result),
            file: sources
                .get(result.file)
                .map(|file| options.paths.show(file.path()))
                .unwrap_or_default(),
            status: result.status.as_str(),
            reason,
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    serde_json::to_writer(
        &mut *out,
        &SummaryRecord {
            summary: CompileSummary::new(results),
        },
    )?;
    writeln!(out)
}

/// Writes the summary line and a table of the reasons detections are not compiled, most
/// frequent first (ties by text): `unsupported` reasons are grouped by construct (command or
/// macro name), `invalid` ones by code.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_human(results: &[CompiledSearch], out: &mut dyn Write) -> io::Result<()> {
    let summary = CompileSummary::new(results);
    let mut reasons: BTreeMap<(Status, String), usize> = BTreeMap::new();
    for result in results {
        if let Some(reason) = &result.reason {
            *reasons
                .entry((result.status, reason_key(reason)))
                .or_default() += 1;
        }
    }
    let mut rows: Vec<((Status, String), usize)> = reasons.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if !rows.is_empty() {
        writeln!(out, "{:>7}  {:<11}  reason", "count", "status")?;
        for ((status, key), count) in rows {
            writeln!(out, "{count:>7}  {:<11}  {key}", status.as_str())?;
        }
    }
    writeln!(out, "{}", summary.line())
}

/// What a reason is grouped by in the human table: the message for unsupported constructs
/// (it names the command or macro), the code and its short title for errors.
fn reason_key(reason: &Diagnostic) -> String {
    if reason.is_error() {
        format!("{} {}", reason.code.as_str(), reason.code.info().summary)
    } else {
        format!("{} {}", reason.code.as_str(), reason.message)
    }
}

/// Writes the `--explain` view of one detection.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_explain(
    result: &CompiledSearch,
    content: &Content,
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = sources
        .get(result.file)
        .map(|file| options.paths.show(file.path()))
        .unwrap_or_default();
    writeln!(out, "detection: {}", detection_name(content, result))?;
    writeln!(out, "file: {file}")?;
    write!(out, "status: {}", result.status.as_str())?;
    if let Some(reason) = &result.reason {
        let position = line_column(sources, reason.primary);
        write!(
            out,
            " ({} at {}:{}: {})",
            reason.code.as_str(),
            position.line,
            position.column,
            reason.message
        )?;
    }
    writeln!(out)?;
    writeln!(out, "\nexpanded SPL:")?;
    for line in result.expanded.lines() {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "\nAST:")?;
    write!(
        out,
        "{}",
        crate::spl::dump(&result.pipeline, &result.expanded)
    )
}

fn detection_name<'a>(content: &'a Content, result: &CompiledSearch) -> &'a str {
    content
        .detections
        .get(result.detection)
        .and_then(|detection| detection.name())
        .unwrap_or("")
}
