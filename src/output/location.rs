//! Turning a [`Span`] into something safe to show: a byte range clamped to the file and to
//! character boundaries, and the 1-based line and column every renderer reports.
//!
//! Spans come from many producers; a stale or foreign span must degrade to a nearby
//! position, never panic inside a renderer.

use std::ops::Range;

use crate::source::{LineColumn, SourceMap, Span};

/// The byte range of `span` inside `text`, clamped to the text and widened to character
/// boundaries (start rounds down, end rounds up); an empty span stays empty.
#[must_use]
pub(crate) fn clamp(text: &str, span: Span) -> Range<usize> {
    let start = floor_boundary(text, span.start as usize);
    if span.is_empty() {
        return start..start;
    }
    let end = ceil_boundary(text, (span.end as usize).max(start));
    start..end
}

/// Line and column (1-based, columns in characters) of the start of `span`, with the span
/// clamped first; `1:1` for a span whose file is unknown.
#[must_use]
pub(crate) fn line_column(sources: &SourceMap, span: Span) -> LineColumn {
    match sources.get(span.file) {
        Some(file) => file.line_column(clamp(file.text(), span).start),
        None => LineColumn { line: 1, column: 1 },
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    #[test]
    fn clamps_to_text_and_char_boundaries() {
        let mut sources = SourceMap::new();
        let file = sources.add("a.yml".into(), "aé".to_owned());
        let text = "aé";
        assert_eq!(clamp(text, Span::new(file, 2, 2)), 1..1);
        assert_eq!(clamp(text, Span::new(file, 0, 2)), 0..3);
        assert_eq!(clamp(text, Span::new(file, 50, 90)), 3..3);
    }
}
