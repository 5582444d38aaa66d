//! Where each byte of an expanded text came from: the search, a macro definition (through a
//! chain of calls) or the expander itself. The expander builds [`Sourced`] texts and the
//! [`Expansion`]; callers ask it for the [`Origin`] of an offset.

use std::ops::Range;

use super::{MacroId, MacroSite, UnexpandedCall};
use crate::spl::SplDiagnostic;

/// Where a byte of the expanded text came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// A byte of the search itself.
    Search {
        /// Byte offset in the search.
        offset: usize,
    },
    /// A byte of a macro definition.
    Macro {
        /// The definition.
        id: MacroId,
        /// Byte offset in the definition text.
        offset: usize,
        /// The outermost macro call in the search text that led here.
        call_site: Range<usize>,
        /// The macros being expanded, outermost first; the last is `id`.
        chain: Vec<MacroId>,
    },
    /// Text made by the expander itself (`search *`, `rename X.* AS *`).
    Synthetic {
        /// The outermost macro call in the search text that led here.
        call_site: Range<usize>,
    },
}

/// The expanded text, the origin of each of its bytes, and what went wrong.
#[derive(Clone, Debug)]
pub struct Expansion {
    /// The search with every expandable macro call replaced.
    pub text: String,
    /// Problems, in the order found: codes of family `E`, each at the outermost call site in
    /// the search text (a range of the search, not of `text`), with an
    /// [`ExpansionTrace`](super::ExpansionTrace) when the offending call is inside a definition.
    pub diagnostics: Vec<SplDiagnostic>,
    pub(super) unexpanded: Vec<UnexpandedCall>,
    pub(super) pieces: Vec<Piece>,
    pub(super) frames: Vec<Frame>,
}

impl Expansion {
    /// Where byte `offset` of the expanded text came from. An offset at or past the end is
    /// answered as if the last piece went on, so an exclusive end offset maps sensibly.
    #[must_use]
    pub fn origin(&self, offset: usize) -> Origin {
        let index = self
            .pieces
            .partition_point(|piece| piece.start <= offset)
            .saturating_sub(1);
        let Some(piece) = self.pieces.get(index) else {
            return Origin::Search { offset };
        };
        let delta = offset.saturating_sub(piece.start);
        match piece.base {
            Base::Search(start) => Origin::Search {
                offset: start.saturating_add(delta),
            },
            Base::Macro {
                id,
                offset: start,
                frame,
            } => {
                let frame = self.frame(frame);
                Origin::Macro {
                    id,
                    offset: start.saturating_add(delta),
                    call_site: frame.call_site.clone(),
                    chain: frame.chain.clone(),
                }
            }
            Base::Synthetic { frame } => Origin::Synthetic {
                call_site: self.frame(frame).call_site.clone(),
            },
        }
    }

    /// The range of the search text that an expanded range comes from: search bytes map to
    /// themselves, macro and expander bytes to their outermost call site. Use it to place a
    /// diagnostic about the expanded text in the search.
    #[must_use]
    pub fn search_range(&self, range: Range<usize>) -> Range<usize> {
        let last = range.end.saturating_sub(1).max(range.start);
        let (start, _) = self.search_bounds(range.start);
        let (_, end) = self.search_bounds(last);
        if range.is_empty() {
            start..start
        } else {
            start..end.max(start)
        }
    }

    /// Macro calls left in the text verbatim, in text order.
    #[must_use]
    pub fn unexpanded(&self) -> &[UnexpandedCall] {
        &self.unexpanded
    }

    /// The number of (expanded range → origin) pieces, for size reports.
    #[must_use]
    pub fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    fn search_bounds(&self, offset: usize) -> (usize, usize) {
        match self.origin(offset) {
            Origin::Search { offset } => (offset, offset.saturating_add(1)),
            Origin::Macro { call_site, .. } | Origin::Synthetic { call_site } => {
                (call_site.start, call_site.end)
            }
        }
    }

    fn frame(&self, index: u32) -> &Frame {
        const EMPTY: &Frame = &Frame {
            call_site: 0..0,
            chain: Vec::new(),
        };
        // Frames are only referenced by pieces built after them, so the index is always valid.
        self.frames.get(index as usize).unwrap_or(EMPTY)
    }
}

/// The origin of the first byte of a piece; later bytes advance the offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Base {
    Search(usize),
    Macro {
        id: MacroId,
        offset: usize,
        frame: u32,
    },
    Synthetic {
        frame: u32,
    },
}

impl Base {
    pub(super) fn advance(self, by: usize) -> Self {
        match self {
            Base::Search(offset) => Base::Search(offset.saturating_add(by)),
            Base::Macro { id, offset, frame } => Base::Macro {
                id,
                offset: offset.saturating_add(by),
                frame,
            },
            Base::Synthetic { frame } => Base::Synthetic { frame },
        }
    }
}

/// A run of the expanded text starting at `start` whose first byte has origin `base`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) base: Base,
}

/// One macro call being expanded: the outermost call site in the search and the chain of macros.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    pub(super) call_site: Range<usize>,
    pub(super) chain: Vec<MacroId>,
}

/// Text together with the origin of each byte: the search itself, or a macro body after
/// argument substitution (definition bytes interleaved with the caller's argument bytes).
#[derive(Debug, Default)]
pub(super) struct Sourced {
    pub(super) text: String,
    pub(super) pieces: Vec<Piece>,
}

impl Sourced {
    pub(super) fn push(&mut self, text: &str, base: Base) {
        if text.is_empty() {
            return;
        }
        push_piece(&mut self.pieces, self.text.len(), base);
        self.text.push_str(text);
    }

    /// Appends `range` of `source`, keeping its origins.
    pub(super) fn push_from(&mut self, source: &Sourced, range: Range<usize>) {
        for (text, base) in source.slices(range) {
            self.push(text, base);
        }
    }

    /// The parts of `range` with the origin of each part's first byte.
    pub(super) fn slices(&self, range: Range<usize>) -> impl Iterator<Item = (&str, Base)> {
        let first = self
            .pieces
            .partition_point(|piece| piece.start <= range.start)
            .saturating_sub(1);
        let pieces = self.pieces.get(first..).unwrap_or_default();
        pieces.iter().enumerate().map_while(move |(index, piece)| {
            let piece_end = pieces
                .get(index + 1)
                .map_or(self.text.len(), |next| next.start);
            let start = piece.start.max(range.start);
            let end = piece_end.min(range.end);
            if start >= range.end {
                return None;
            }
            let text = self.text.get(start..end).unwrap_or_default();
            Some((text, piece.base.advance(start.saturating_sub(piece.start))))
        })
    }

    /// Where `range` sits in a macro definition, when it starts in one.
    pub(super) fn macro_site(&self, range: Range<usize>) -> Option<MacroSite> {
        let mut slices = self.slices(range.clone());
        let (first, base) = slices.next()?;
        let Base::Macro { id, offset, .. } = base else {
            return None;
        };
        let length = if first.len() == range.len() {
            first.len()
        } else {
            1
        };
        Some(MacroSite {
            id,
            range: offset..offset.saturating_add(length),
        })
    }
}

/// Pushes a piece unless it continues the previous one.
pub(super) fn push_piece(pieces: &mut Vec<Piece>, start: usize, base: Base) {
    if let Some(last) = pieces.last() {
        if last.base.advance(start.saturating_sub(last.start)) == base {
            return;
        }
        if last.start == start {
            pieces.pop();
        }
    }
    pieces.push(Piece { start, base });
}
