//! What `detc compile` prints: one JSON object per detection and a summary object, or a
//! human summary with a table of the reasons detections are not compiled, or the `--explain`
//! view of one detection (its expanded SPL and its AST as an indented tree).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use super::location::line_column;
use crate::automaton::BuildStats;
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
    /// Of the invalid ones, those of deprecated detections (warnings, they do not fail).
    pub invalid_deprecated: usize,
    /// Errors found while loading the content (files that did not load, or not as
    /// written): the detections in them are missing from the counts above.
    pub load_errors: usize,
}

impl CompileSummary {
    /// Counts the states of `results`, and the errors among `load_diagnostics` (the
    /// diagnostics of loading the content).
    #[must_use]
    pub fn new(results: &[CompiledSearch], load_diagnostics: &[Diagnostic]) -> CompileSummary {
        let mut summary = CompileSummary {
            load_errors: load_diagnostics.iter().filter(|d| d.is_error()).count(),
            ..CompileSummary::default()
        };
        for result in results {
            match result.status {
                Status::Compiled => summary.compiled += 1,
                Status::Unsupported => summary.unsupported += 1,
                Status::Invalid => summary.invalid += 1,
            }
            if result.status == Status::Invalid && result.deprecated {
                summary.invalid_deprecated += 1;
            }
        }
        summary
    }

    /// Whether `detc compile` passes: no load error, and every invalid detection deprecated.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.load_errors == 0 && self.invalid == self.invalid_deprecated
    }

    /// The plain summary line, without a newline; fixed wording for scripts (a count of one
    /// takes the singular).
    ///
    /// ```
    /// use detc::output::compile::CompileSummary;
    /// let summary = CompileSummary { compiled: 3, unsupported: 1, ..CompileSummary::default() };
    /// assert_eq!(summary.line(), "compiled 3 of 4 detections: 1 unsupported, 0 invalid");
    /// let summary = CompileSummary { invalid: 2, invalid_deprecated: 1, load_errors: 1, ..summary };
    /// assert_eq!(
    ///     summary.line(),
    ///     "compiled 3 of 6 detections: 1 unsupported, 2 invalid (1 deprecated), 1 load error"
    /// );
    /// ```
    #[must_use]
    pub fn line(&self) -> String {
        let mut line = format!(
            "compiled {} of {}: {} unsupported, {} invalid",
            self.compiled,
            super::count(self.compiled + self.unsupported + self.invalid, "detection"),
            self.unsupported,
            self.invalid
        );
        if self.invalid_deprecated > 0 {
            line.push_str(&format!(" ({} deprecated)", self.invalid_deprecated));
        }
        if self.load_errors > 0 {
            line.push_str(&format!(
                ", {}",
                super::count(self.load_errors, "load error")
            ));
        }
        line
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
    /// Absent for a file that did not load.
    #[serde(skip_serializing_if = "Option::is_none")]
    detection: Option<&'a str>,
    file: String,
    status: &'a str,
    /// Only for an invalid deprecated detection (its errors do not fail the run).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    deprecated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason<'a>>,
}

fn reason<'a>(sources: &SourceMap, diagnostic: &'a Diagnostic) -> Reason<'a> {
    let position = line_column(sources, diagnostic.primary);
    Reason {
        code: diagnostic.code.as_str(),
        message: &diagnostic.message,
        line: position.line,
        column: position.column,
    }
}

#[derive(Serialize)]
struct SummaryRecord {
    summary: CompileSummary,
}

/// Writes one JSON object per load error (`"status":"not_loaded"`), then one per
/// detection, then the summary object.
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_json(
    results: &[CompiledSearch],
    load_diagnostics: &[Diagnostic],
    content: &Content,
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let path_of = |file| {
        sources
            .get(file)
            .map(|source| options.paths.show(source.path()))
            .unwrap_or_default()
    };
    for error in load_diagnostics.iter().filter(|d| d.is_error()) {
        let record = Record {
            detection: None,
            file: path_of(error.primary.file),
            status: "not_loaded",
            deprecated: false,
            reason: Some(reason(sources, error)),
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    for result in results {
        let record = Record {
            detection: Some(detection_name(content, result)),
            file: path_of(result.file),
            status: result.status.as_str(),
            deprecated: result.deprecated && result.status == Status::Invalid,
            reason: result.reason.as_ref().map(|r| reason(sources, r)),
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    }
    serde_json::to_writer(
        &mut *out,
        &SummaryRecord {
            summary: CompileSummary::new(results, load_diagnostics),
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
pub fn render_human(
    results: &[CompiledSearch],
    load_diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> io::Result<()> {
    let summary = CompileSummary::new(results, load_diagnostics);
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
    if let Some(diagnostic) = &result.reason {
        let reason = reason(sources, diagnostic);
        write!(
            out,
            " ({} at {}:{}: {})",
            reason.code, reason.line, reason.column, reason.message
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

/// Writes the figures of the automaton built over the `plans` compiled detections of the
/// tree, for `--explain`; the build time only with `timings` (it varies from run to run, and
/// the rest of the output does not).
///
/// # Errors
/// Fails when writing to `out` fails.
pub fn render_automaton_stats(
    stats: &BuildStats,
    plans: usize,
    timings: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "\nautomaton over the {} of this tree:",
        super::count(plans, "compiled detection")
    )?;
    let rows = [
        ("units (plans and subsearches)", stats.units),
        ("distinct routings", stats.routings),
        ("patterns in the automaton", stats.patterns),
        ("exact values in hash tables", stats.exact_values),
        ("units always checked after routing", stats.always_checked),
        ("units never checked", stats.never),
        ("fields scanned by the automaton", stats.fields_scanned),
        ("fields looked up in hash tables", stats.fields_looked_up),
        ("automaton heap bytes", stats.heap_bytes),
    ];
    for (what, figure) in rows {
        writeln!(out, "  {what}: {figure}")?;
    }
    if timings {
        writeln!(
            out,
            "  build time: {:.1} ms",
            stats.build_time.as_secs_f64() * 1000.0
        )?;
    }
    Ok(())
}

fn detection_name<'a>(content: &'a Content, result: &CompiledSearch) -> &'a str {
    content
        .detections
        .get(result.detection)
        .and_then(|detection| detection.name())
        .unwrap_or("")
}
