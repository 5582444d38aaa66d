//! The human renderer: rustc-style diagnostics through `annotate-snippets`.
//!
//! ```text
//! error[D006]: macro `sysmon_proc` is not defined
//!  --> detections/endpoint/archive_staging.yml:9:10
//!   |
//! 9 | search: '`sysmon_proc` EventCode=1'
//!   |          ^^^^^^^^^^^^^ not found under macros/
//!   |
//!   = help: a macro named `sysmon` exists
//! ```
//!
//! Only the lines the annotations touch are handed to `annotate-snippets` (one window per
//! file, primary file first), so a diagnostic in a long file costs as much as one in a short
//! file. Tabs, wide characters, empty spans and spans over several lines are left to
//! `annotate-snippets`, which handles them; spans are clamped to character boundaries first.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::location::clamp;
use super::{Color, PathDisplay, RenderOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span};

/// Windows longer than this are cut around their marks (no content line is this long; a
/// one-line search in the corpus is at most a few KiB).
const MAX_WINDOW_BYTES: usize = 64 * 1024;
/// How much of a mark is shown in a cut window.
const MAX_MARK_BYTES: usize = 256;
/// Text kept on each side of the marks in a cut window.
const CONTEXT_BYTES: usize = 80;

/// Writes every diagnostic, each followed by a blank line, in the order given.
///
/// # Errors
/// Fails only when writing to `out` fails.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let renderer = match options.color {
        Color::Always => Renderer::styled(),
        Color::Never => Renderer::plain(),
    };
    for diagnostic in diagnostics {
        let text = render_one(diagnostic, sources, &options.paths, &renderer);
        writeln!(out, "{text}\n")?;
    }
    Ok(())
}

/// Renders one diagnostic without a trailing newline.
#[must_use]
fn render_one(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    paths: &PathDisplay,
    renderer: &Renderer,
) -> String {
    let windows = windows(diagnostic, sources, paths);
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(
        level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code.as_str()),
    );
    for window in &windows {
        // A file with no text (unreadable, empty, or only listed) has no line to show.
        if window.text.is_empty() && window.whole_file {
            group = group.element(Origin::path(window.path.as_str()).line(1).char_column(1));
            continue;
        }
        let annotations = window
            .marks
            .iter()
            .map(|mark| mark.kind.span(mark.range.clone()).label(mark.label));
        group = group.element(
            Snippet::source(window.text)
                .line_start(window.first_line)
                .path(window.path.as_str())
                .annotations(annotations),
        );
    }
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut rendered = renderer.render(&[group]);
    // A cut window starts inside its line, so `annotate-snippets` counts the column from the
    // cut: put the real one back.
    for window in &windows {
        if let Some((cut, real)) = &window.column_fix {
            rendered = rendered.replacen(cut, real, 1);
        }
    }
    rendered
}

/// One annotation, with its range relative to the window's text.
struct Mark<'a> {
    kind: AnnotationKind,
    range: std::ops::Range<usize>,
    label: Option<&'a str>,
}

/// The whole lines of one file that a diagnostic's annotations touch.
struct Window<'a> {
    path: String,
    /// 1-based number of the window's first line.
    first_line: usize,
    text: &'a str,
    /// Whether `text` is the whole file.
    whole_file: bool,
    /// For a window cut from a huge line: the `path:line:column` that `annotate-snippets`
    /// will print, counting from the cut, and the real one.
    column_fix: Option<(String, String)>,
    marks: Vec<Mark<'a>>,
}

/// An annotation before it is placed in a window: kind, span in the file, label.
type Placed<'a> = (AnnotationKind, Span, Option<&'a str>);

/// The windows of a diagnostic: the primary span's file first, then every other file a
/// label points into, in label order. Spans into files the map does not know are dropped.
fn windows<'a>(
    diagnostic: &'a Diagnostic,
    sources: &'a SourceMap,
    paths: &PathDisplay,
) -> Vec<Window<'a>> {
    let mut by_file: Vec<(FileId, Vec<Placed<'a>>)> = Vec::new();
    let primary = (
        AnnotationKind::Primary,
        diagnostic.primary,
        diagnostic.primary_label.as_deref(),
    );
    let labels = diagnostic.labels.iter().map(|label| {
        (
            AnnotationKind::Context,
            label.span,
            Some(label.message.as_str()),
        )
    });
    for (kind, span, label) in std::iter::once(primary).chain(labels) {
        match by_file.iter_mut().find(|(file, _)| *file == span.file) {
            Some((_, marks)) => marks.push((kind, span, label)),
            None => by_file.push((span.file, vec![(kind, span, label)])),
        }
    }
    by_file
        .into_iter()
        .filter_map(|(file, marks)| {
            let source = sources.get(file)?;
            let text = source.text();
            let ranges: Vec<_> = marks
                .iter()
                .map(|(_, span, _)| clamp(text, *span))
                .collect();
            let low = ranges.iter().map(|range| range.start).min()?;
            let high = ranges.iter().map(|range| range.end).max()?;
            let line = source.lines().line_of(low);
            let mut start = source.lines().line_start(line)?.min(low);
            let mut end = text
                .get(high..)
                .and_then(|rest| rest.find('\n'))
                .map_or(text.len(), |newline| high + newline);
            // A window of a huge line (a 50 MB one-line description) is cut to the marks, each
            // cut to its start: `annotate-snippets` would otherwise hold many copies of the
            // line.
            let mut cut_at = None;
            let mut ranges = ranges;
            if end - start > MAX_WINDOW_BYTES {
                for range in &mut ranges {
                    let cut = range.end.min(range.start.saturating_add(MAX_MARK_BYTES));
                    range.end = clamp(text, Span::new(file, range.start, cut)).end;
                }
                let high = ranges.iter().map(|range| range.end).max()?;
                start = clamp(
                    text,
                    Span::new(file, low.saturating_sub(CONTEXT_BYTES), low),
                )
                .start
                .max(start);
                end = clamp(
                    text,
                    Span::new(file, high, high.saturating_add(CONTEXT_BYTES)),
                )
                .end
                .min(end);
                cut_at = Some(start);
            }
            let path = paths.show(source.path());
            // The column `annotate-snippets` shows: of the primary mark, else the first.
            let column_fix = cut_at.and_then(|cut| {
                let shown = marks
                    .iter()
                    .zip(&ranges)
                    .find(|((kind, _, _), _)| matches!(kind, AnnotationKind::Primary))
                    .or_else(|| marks.iter().zip(&ranges).next())
                    .map(|(_, range)| range.start)?;
                let real = source.line_column(shown);
                let counted = text.get(cut..shown)?.chars().count() + 1;
                Some((
                    format!("{path}:{}:{counted}", real.line),
                    format!("{path}:{}:{}", real.line, real.column),
                ))
            });
            let marks = marks
                .iter()
                .zip(&ranges)
                .map(|((kind, _, label), range)| Mark {
                    kind: *kind,
                    range: range.start - start..range.end - start,
                    label: *label,
                })
                .collect();
            Some(Window {
                path,
                first_line: line + 1,
                text: text.get(start..end)?,
                whole_file: text.is_empty(),
                column_fix,
                marks,
            })
        })
        .collect()
}
