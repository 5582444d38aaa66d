//! Source files and positions: the file registry ([`SourceMap`], [`FileId`]), byte-range
//! [`Span`]s, and the line index that turns a byte offset into a line and column.
//!
//! Spans are plain byte offsets; line and column are computed only when a diagnostic is
//! shown (as ruff does), so every later stage (SPL, plans) can carry spans cheaply. This
//! module knows no file format.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

impl FileId {
    /// The position of this file in its [`SourceMap`].
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range `[start, end)` in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`; `end` is raised to `start` if it is smaller.
    #[must_use]
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// An empty span at the start of `file`, for problems with a whole file.
    #[must_use]
    pub fn file_start(file: FileId) -> Span {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    /// The byte length of the span.
    #[must_use]
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering `self` and `other` (both must be in the same file).
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Byte offsets of the start of every line of a text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    #[must_use]
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { line_starts }
    }

    /// The 0-based line holding byte `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The byte offset where 0-based `line` starts.
    #[must_use]
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Line and character column of byte `offset` in `text` (the text this index was built from).
    #[must_use]
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0);
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }
}

/// One loaded file: its path (relative to the content root where possible) and its text.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    /// Shared, so a later stage can keep the text without copying it (a compiled search's
    /// span map aligns its `search:` scalar with it on first use).
    text: Arc<str>,
    lines: LineIndex,
}

impl SourceFile {
    /// The file's path as it should be shown to users.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text (lossily decoded if it was not valid UTF-8).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file's text, shared.
    #[must_use]
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The file's line index.
    #[must_use]
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// Line and column of byte `offset`.
    #[must_use]
    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.lines.line_column(&self.text, offset)
    }
}

/// The registry of every file a run has read.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty registry.
    #[must_use]
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Registers a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let lines = LineIndex::new(&text);
        self.files.push(SourceFile {
            path,
            text: Arc::from(text),
            lines,
        });
        id
    }

    /// The file with id `id`.
    ///
    /// Ids are only made by [`SourceMap::add`], so a missing file means an id from another
    /// map; that returns `None` rather than panicking.
    #[must_use]
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }

    /// The text a span covers, if the span is valid.
    #[must_use]
    pub fn slice(&self, span: Span) -> Option<&str> {
        self.get(span.file)?
            .text
            .get(span.start as usize..span.end as usize)
    }

    /// Line and column of the start of `span`.
    #[must_use]
    pub fn line_column(&self, span: Span) -> LineColumn {
        self.get(span.file)
            .map_or(LineColumn { line: 1, column: 1 }, |file| {
                file.line_column(span.start as usize)
            })
    }

    /// Every registered file, in registration order.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, file)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a: 1\nb: é x\n";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 0),
            LineColumn { line: 1, column: 1 }
        );
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_column(text, x),
            LineColumn { line: 2, column: 6 }
        );
    }

    #[test]
    fn offset_past_end_is_clamped() {
        let text = "ab";
        let index = LineIndex::new(text);
        assert_eq!(
            index.line_column(text, 99),
            LineColumn { line: 1, column: 3 }
        );
    }
}
