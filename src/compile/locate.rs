//! Where a range of an expanded search is written in the content files.
//!
//! A byte of the expanded text comes from the search itself, from a macro definition, or from
//! the expander (see [`Origin`]). Search bytes map through the `search:` scalar to the
//! detection's file; macro bytes map to the call site in the search, which is what the author
//! of the detection wrote and can change, with a second label at the exact place in the macro's
//! own file when that file is known.

use std::cell::OnceCell;
use std::ops::Range;

use crate::content::Content;
use crate::content::scalar::ScalarMap;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use crate::spl::expand::{Expansion, MacroId, Origin};

/// A macro definition's text as written in its file.
pub(super) struct DefinitionSource {
    /// The macro name, for messages.
    pub(super) name: String,
    /// The file holding it.
    pub(super) file: FileId,
    /// Decoded definition offsets → file offsets.
    pub(super) map: ScalarMap,
}

impl DefinitionSource {
    /// The definition of `content.macros[index]`, with its offset map.
    pub(super) fn new(sources: &SourceMap, content: &Content, index: usize) -> Option<Self> {
        let definition_macro = content.macros.get(index)?;
        let definition = definition_macro.definition.get()?;
        let text = sources.get(definition.span.file)?.text();
        Some(DefinitionSource {
            name: definition_macro.name()?.to_owned(),
            file: definition.span.file,
            map: ScalarMap::build(text, definition.span.start as usize, &definition.value),
        })
    }

    fn span(&self, range: Range<usize>) -> Span {
        map_span(self.file, &self.map, range)
    }
}

/// The offset map of a `search:` scalar, built when first needed.
pub(super) struct LazySearchMap<'a> {
    file_text: &'a str,
    start: usize,
    decoded: &'a str,
    map: OnceCell<ScalarMap>,
}

impl<'a> LazySearchMap<'a> {
    /// The scalar `decoded`, written at `start` in `file_text`.
    pub(super) fn new(file_text: &'a str, start: usize, decoded: &'a str) -> Self {
        LazySearchMap {
            file_text,
            start,
            decoded,
            map: OnceCell::new(),
        }
    }

    fn get(&self) -> &ScalarMap {
        self.map
            .get_or_init(|| ScalarMap::build(self.file_text, self.start, self.decoded))
    }
}

/// Maps ranges of one detection's expanded search to its files.
pub(super) struct Locator<'a> {
    /// The detection's file.
    pub(super) file: FileId,
    /// Decoded search offsets → file offsets, built on first use: most searches have no
    /// diagnostic, and aligning a scalar with its source costs more than parsing it.
    pub(super) search: LazySearchMap<'a>,
    /// The expansion the ranges are in.
    pub(super) expansion: &'a Expansion,
    /// Macro definitions by [`MacroId`] index (`None` when the id has no file).
    pub(super) definitions: &'a [Option<DefinitionSource>],
}

impl Locator<'_> {
    /// A range of the search text itself, as a file span.
    pub(super) fn search_span(&self, range: Range<usize>) -> Span {
        map_span(self.file, self.search.get(), range)
    }

    /// The file span for a range of the expanded text: the range itself when it was written in
    /// the search, otherwise the outermost macro call that produced it.
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        self.search_span(self.expansion.search_range(range))
    }

    /// Places `diagnostic` (built with a placeholder span) at `range` of the expanded text.
    /// When the range comes from a macro, the message is kept, the primary span is the call in
    /// the search, and a label and a note name the macro chain and the exact place in the
    /// definition.
    pub(super) fn place(&self, mut diagnostic: Diagnostic, range: Range<usize>) -> Diagnostic {
        diagnostic.primary = self.span(range.clone());
        match self.expansion.origin(range.start) {
            Origin::Search { .. } => {}
            Origin::Macro {
                id, offset, chain, ..
            } => {
                let names: Vec<String> = chain
                    .iter()
                    .map(|&link| format!("`{}`", self.macro_name(link)))
                    .collect();
                diagnostic = diagnostic.with_note(format!(
                    "the text comes from the expansion of {}",
                    names.join(" → ")
                ));
                if let Some(definition) = self.definition(id) {
                    let end = offset + range.len();
                    diagnostic = diagnostic.with_label(
                        definition.span(offset..end),
                        format!("in the definition of `{}`", definition.name),
                    );
                }
            }
            Origin::Synthetic { .. } => {
                diagnostic = diagnostic.with_note(
                    "the text was written by macro expansion (a filter stub or `drop_dm_object_name`)",
                );
            }
        }
        diagnostic
    }

    fn definition(&self, id: MacroId) -> Option<&DefinitionSource> {
        self.definitions.get(id.index())?.as_ref()
    }

    fn macro_name(&self, id: MacroId) -> &str {
        self.definition(id)
            .map_or("<unknown>", |definition| definition.name.as_str())
    }
}

/// Maps a decoded range through `map` into `file`.
fn map_span(file: FileId, map: &ScalarMap, range: Range<usize>) -> Span {
    let start = map.file_offset(range.start);
    let end = map.file_offset(range.end).max(start);
    Span::new(file, start, end)
}
