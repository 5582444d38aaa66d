//! One compiled search's span map: where any range of its expanded text, or of its search as
//! written, is in the content files.
//!
//! A byte of the expanded text comes from the search itself, from a macro definition, or from
//! the expander (see [`Origin`]). Search bytes map through the `search:` scalar to the
//! detection's file; macro bytes map to the call site in the search, which is what the author
//! of the detection wrote and can change, with a second place in the macro's own file when that
//! file is known. The map is kept with the compiled search, so every later stage (lowering, the
//! engine) turns a range into a [`Span`] with [`SpanMap::place`]; `SourceMap::line_column`
//! renders it as `file:line:col`.
//!
//! Mapping happens once, at the edge: compiling collects text diagnostics (ranges in the text,
//! one type for every stage) and [`SpanMap::locate`] turns each into a file diagnostic.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::content::Content;
use crate::content::scalar::ScalarMap;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use crate::spl::SplDiagnostic;
use crate::spl::expand::{Expansion, ExpansionTrace, MacroId, Origin};

/// A macro definition's text as written in its file.
#[derive(Clone, Debug)]
pub(super) struct DefinitionSource {
    /// The macro name, for messages.
    name: String,
    /// The file holding it.
    file: FileId,
    /// Decoded definition offsets → file offsets.
    map: ScalarMap,
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

/// Macro definitions by [`MacroId`] index (`None` when the id has no file), shared by every
/// compiled search of a content tree.
pub(super) type Definitions = Arc<[Option<DefinitionSource>]>;

/// Which text a range is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Text {
    /// The search as written in the YAML (the filter-macro checks read it).
    Written,
    /// The expanded search (the parser and the lints read it).
    Expanded,
}

/// Where the ranges of one compiled search are written in the content files.
#[derive(Clone, Debug)]
pub struct SpanMap {
    /// The detection's file.
    file: FileId,
    file_text: Arc<str>,
    /// Where the `search:` scalar starts in the file.
    search_start: usize,
    /// The decoded `search:` value.
    search: String,
    /// Decoded search offsets → file offsets, built on first use: most searches have no
    /// diagnostic, and aligning a scalar with its source costs more than parsing it.
    search_map: OnceLock<ScalarMap>,
    /// The origins of the expanded text (its text is the compiled search's `expanded`).
    expansion: Expansion,
    definitions: Definitions,
}

impl SpanMap {
    pub(super) fn new(
        file: FileId,
        file_text: Arc<str>,
        search_start: usize,
        search: String,
        expansion: Expansion,
        definitions: Definitions,
    ) -> SpanMap {
        SpanMap {
            file,
            file_text,
            search_start,
            search,
            search_map: OnceLock::new(),
            expansion,
            definitions,
        }
    }

    /// The detection's file.
    #[must_use]
    pub fn file(&self) -> FileId {
        self.file
    }

    /// The expansion: origins of the expanded text, its problems and its unexpanded calls.
    #[must_use]
    pub fn expansion(&self) -> &Expansion {
        &self.expansion
    }

    /// The file span of `range` of the expanded text: the range itself where it was written in
    /// the search, otherwise the outermost macro call that produced it. The one call a later
    /// stage needs to point at a construct; [`SourceMap::line_column`] renders the span.
    #[must_use]
    pub fn place(&self, range: Range<usize>) -> Span {
        self.place_written(self.expansion.search_range(range))
    }

    /// The file span of `range` of the search as written (before expansion).
    #[must_use]
    pub fn place_written(&self, range: Range<usize>) -> Span {
        let map = self
            .search_map
            .get_or_init(|| ScalarMap::build(&self.file_text, self.search_start, &self.search));
        map_span(self.file, map, range)
    }

    /// Where `range` of the expanded text is written inside a macro definition, when its first
    /// byte comes from one: the span in the macro's file and the macro's name.
    #[must_use]
    pub fn place_in_definition(&self, range: Range<usize>) -> Option<(Span, &str)> {
        let Origin::Macro { id, offset, .. } = self.expansion.origin(range.start) else {
            return None;
        };
        let definition = self.definition(id)?;
        let end = offset.saturating_add(range.len());
        Some((definition.span(offset..end), definition.name.as_str()))
    }

    /// A text diagnostic as a file diagnostic: the one conversion, for the expander's, the
    /// parser's, the lints' and compile's own findings. Ranges of the expanded text are placed
    /// with [`SpanMap::place`] (macro text at the outermost call in the search), ranges of the
    /// search as written with [`SpanMap::place_written`]. What the span alone does not show is
    /// added as notes and labels: for an expansion problem inside a definition
    /// ([`SplDiagnostic::expansion`]), the chain of macros and the call's place in the
    /// definition; for expanded text that comes from a macro, the chain and the exact place in
    /// the definition; for text the expander wrote, a note saying so.
    pub(super) fn locate(&self, found: &SplDiagnostic, text: Text) -> Diagnostic {
        let range = found.range.start_usize()..found.range.end_usize();
        let place = |range: Range<usize>| match text {
            Text::Written => self.place_written(range),
            Text::Expanded => self.place(range),
        };
        let mut diagnostic = Diagnostic::new(found.code, place(range.clone()), &found.message);
        if let Some(label) = &found.label {
            diagnostic = diagnostic.with_primary_label(label.clone());
        }
        for (related, message) in &found.related {
            diagnostic = diagnostic.with_label(
                place(related.start_usize()..related.end_usize()),
                message.clone(),
            );
        }
        if let Some(trace) = &found.expansion {
            return self.with_trace(diagnostic, trace);
        }
        if text == Text::Written {
            return diagnostic;
        }
        match self.expansion.origin(range.start) {
            Origin::Search { .. } => {}
            Origin::Macro { chain, .. } => {
                diagnostic = diagnostic.with_note(format!(
                    "the text comes from the expansion of {}",
                    self.chain_names(&chain)
                ));
                if let Some((span, name)) = self.place_in_definition(range) {
                    diagnostic =
                        diagnostic.with_label(span, format!("in the definition of `{name}`"));
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

    /// An expansion problem's trace as a note (the chain of macros being expanded) and a label
    /// (the offending call inside a definition).
    fn with_trace(&self, mut diagnostic: Diagnostic, trace: &ExpansionTrace) -> Diagnostic {
        if !trace.chain.is_empty() {
            diagnostic = diagnostic.with_note(format!(
                "while expanding {}",
                self.chain_names(&trace.chain)
            ));
        }
        if let Some(site) = &trace.site
            && let Some(definition) = self.definition(site.id)
        {
            diagnostic = diagnostic.with_label(
                definition.span(site.range.clone()),
                format!("called here, in the definition of `{}`", definition.name),
            );
        }
        diagnostic
    }

    fn chain_names(&self, chain: &[MacroId]) -> String {
        let names: Vec<String> = chain
            .iter()
            .map(|&link| {
                let name = self
                    .definition(link)
                    .map_or("<unknown>", |definition| definition.name.as_str());
                format!("`{name}`")
            })
            .collect();
        names.join(" → ")
    }

    fn definition(&self, id: MacroId) -> Option<&DefinitionSource> {
        self.definitions.get(id.index())?.as_ref()
    }
}

/// Maps a decoded range through `map` into `file`.
fn map_span(file: FileId, map: &ScalarMap, range: Range<usize>) -> Span {
    let start = map.file_offset(range.start);
    let end = map.file_offset(range.end).max(start);
    Span::new(file, start, end)
}
