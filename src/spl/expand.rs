//! Macro expansion: textual substitution of `` `name` `` and `` `name(a1, a2)` `` calls against a
//! [`MacroTable`], keeping the exact origin of every byte of the expanded text.
//!
//! Splunk expands macros textually and adds no parentheses (spl-semantics.md, F8 and the note after
//! section 3), so the result is a plain string; [`Expansion::origin`] says for each byte whether it
//! came from the search, from a macro definition (and through which chain of calls), or from the
//! expander itself (`search *` for the filter stub, `rename X.* AS *` for `drop_dm_object_name`).
//!
//! What this module leaves to others: it sees no YAML and no paths (the caller builds the table
//! from `macros/*.yml` and maps search offsets to the file), it does not strip ```` ```…``` ````
//! comments (they are copied verbatim, unexpanded, for the lexer to drop), and it does not parse
//! the expanded text.
//!
//! Choices where Splunk's docs are silent, each pinned by a unit test below:
//! arguments are trimmed of ASCII whitespace and `` `name()` `` has arity 0
//! (`empty_arguments_mean_arity_zero`); a `$x$` that names no argument stays literal
//! (`unknown_placeholder_is_literal`); outside strings `\"` opens no string
//! (`escaped_quote_outside_string_opens_no_string`); quote state does not leak out of a macro
//! body (`macro_body_quotes_do_not_leak`); an unclosed comment or string runs to the end of its
//! text (`unterminated_constructs_are_literal`); a call that fails (undefined, arity, cycle,
//! depth, size) stays in the text verbatim with an error, so every byte keeps an origin.
//!
//! Work is bounded whatever the macros say: the nesting depth is limited, and every byte built
//! for a macro body or produced by the expander is charged to a size budget, so a macro bomb
//! (`` `a` `` → `` `b` `b` ``, `` `b` `` → `` `c` `c` ``, …) stops with `E003` instead of eating
//! memory. Expansion walks an explicit stack, never the call stack.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::Code;

/// Names that contentctl never reports as undefined (D006): a call whose name contains one of
/// these as a substring and that no macro defines is left in the text verbatim, so the parser
/// can mark it unsupported.
const IGNORED_MACRO_SUBSTRINGS: [&str; 4] = [
    "drop_dm_object_name",
    "get_asset",
    "get_risk_severity",
    "cim_corporate_web_domain_search",
];

/// The CIM macro the corpus calls without defining; it means `rename X.* AS *` (Q6, Q8).
const DROP_DM_OBJECT_NAME: &str = "drop_dm_object_name";

/// What the expander writes for an undefined filter macro, as contentctl's auto-created stub (Q5).
const FILTER_STUB: &str = "search *";

/// Charged to the size budget for every expanded call, so that calls to empty macros are not free.
const CALL_COST: usize = 32;

/// The id of a macro definition in a [`MacroTable`], in insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacroId(u32);

impl MacroId {
    /// The insertion index of the definition.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One macro definition as written in `macros/*.yml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroDef {
    /// The name, without the `(n)` arity suffix.
    pub name: String,
    /// Argument names, referenced in the definition as `$name$`.
    pub arguments: Vec<String>,
    /// The text a call is replaced by.
    pub definition: String,
}

/// Macro definitions keyed by (name, arity).
///
/// # Example
/// ```
/// use detc::spl::expand::{MacroDef, MacroTable};
/// let mut table = MacroTable::new();
/// let id = table.insert(MacroDef {
///     name: "sysmon".into(),
///     arguments: vec![],
///     definition: "sourcetype=sysmon".into(),
/// });
/// assert_eq!(table.lookup("sysmon", 0), Some(id));
/// assert_eq!(table.lookup("sysmon", 1), None);
/// ```
#[derive(Clone, Debug, Default)]
pub struct MacroTable {
    defs: Vec<MacroDef>,
    by_name: HashMap<String, Vec<MacroId>>,
}

impl MacroTable {
    /// An empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a definition and returns its id. A later definition with the same name and arity
    /// replaces the earlier one for lookups (duplicates are reported by content validation); the
    /// earlier id stays valid for [`MacroTable::get`].
    pub fn insert(&mut self, def: MacroDef) -> MacroId {
        let id = MacroId(u32::try_from(self.defs.len()).unwrap_or(u32::MAX));
        let arity = def.arguments.len();
        let ids = self.by_name.entry(def.name.clone()).or_default();
        let previous = ids.iter().position(|&other| {
            self.defs.get(other.index()).map(|d| d.arguments.len()) == Some(arity)
        });
        match previous {
            Some(at) => {
                if let Some(slot) = ids.get_mut(at) {
                    *slot = id;
                }
            }
            None => ids.push(id),
        }
        self.defs.push(def);
        id
    }

    /// The definition with this id.
    #[must_use]
    pub fn get(&self, id: MacroId) -> Option<&MacroDef> {
        self.defs.get(id.index())
    }

    /// The definition called as `name` with `arity` arguments.
    #[must_use]
    pub fn lookup(&self, name: &str, arity: usize) -> Option<MacroId> {
        self.by_name
            .get(name)?
            .iter()
            .copied()
            .find(|&id| self.get(id).is_some_and(|def| def.arguments.len() == arity))
    }

    /// The arities `name` is defined with, ascending.
    #[must_use]
    pub fn arities(&self, name: &str) -> Vec<usize> {
        let mut arities: Vec<usize> = self
            .by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&id| self.get(id).map(|def| def.arguments.len()))
            .collect();
        arities.sort_unstable();
        arities.dedup();
        arities
    }

    /// The number of definitions inserted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether no definition was inserted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

/// Settings for one expansion.
///
/// # Example
/// ```
/// use detc::spl::expand::ExpandConfig;
/// let mut config = ExpandConfig::new();
/// config.filter_macro("my_detection_filter").max_depth(16);
/// ```
#[derive(Clone, Debug)]
pub struct ExpandConfig {
    filter_macro: Option<String>,
    max_depth: usize,
    max_size: usize,
}

impl Default for ExpandConfig {
    fn default() -> Self {
        Self {
            filter_macro: None,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_size: Self::DEFAULT_MAX_SIZE,
        }
    }
}

impl ExpandConfig {
    /// Default nesting limit. Splunk documents no limit that we found; the corpus nests at most
    /// two levels (`security_content_summariesonly` calls three `*_config` macros).
    pub const DEFAULT_MAX_DEPTH: usize = 32;
    /// Default size budget in bytes: 1 MiB of macro bodies and expander text per search.
    pub const DEFAULT_MAX_SIZE: usize = 1 << 20;

    /// The defaults: no filter macro, depth 32, 1 MiB.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The detection's own `<stem>_filter` macro: when no macro of that name with no arguments is
    /// defined, a call to it becomes `search *` (contentctl's auto-created stub).
    pub fn filter_macro(&mut self, name: impl Into<String>) -> &mut Self {
        self.filter_macro = Some(name.into());
        self
    }

    /// How many macro calls may nest (a call in the search is level 1).
    pub fn max_depth(&mut self, depth: usize) -> &mut Self {
        self.max_depth = depth;
        self
    }

    /// How many bytes of macro bodies (after argument substitution) and expander text one search
    /// may produce, plus a small charge per call.
    pub fn max_size(&mut self, bytes: usize) -> &mut Self {
        self.max_size = bytes;
        self
    }
}

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

/// Where an offending macro call sits inside a macro definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroSite {
    /// The definition holding the call.
    pub id: MacroId,
    /// Byte range in the definition text (one byte when the call is split across an argument).
    pub range: Range<usize>,
}

/// A problem found while expanding; the caller maps `range` to the YAML file. It is not the
/// parser's [`super::SplDiagnostic`] because it also carries the macro chain and the site inside
/// a definition; [`ExpandDiagnostic::to_spl_diagnostic`] converts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandDiagnostic {
    /// The code (family `E`); its default severity applies.
    pub code: Code,
    /// The outermost call site in the search text.
    pub range: Range<usize>,
    /// One lowercase sentence.
    pub message: String,
    /// The macros being expanded when the problem was found, outermost first (empty when the
    /// offending call is in the search itself).
    pub chain: Vec<MacroId>,
    /// Where the offending call sits when it is inside a definition.
    pub inner: Option<MacroSite>,
}

impl ExpandDiagnostic {
    /// The same problem as the parser's diagnostic type, for callers that handle both alike;
    /// the chain and inner site are dropped (keep `self` to render them as notes).
    #[must_use]
    pub fn to_spl_diagnostic(&self) -> super::SplDiagnostic {
        super::SplDiagnostic {
            code: self.code,
            range: super::TextRange::new(self.range.start, self.range.end),
            message: self.message.clone(),
            label: None,
        }
    }
}

/// Why a macro call was left in the text verbatim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnexpandedReason {
    /// Undefined, but its name is on contentctl's ignore list (e.g. `get_asset`).
    IgnoreList,
    /// An error diagnostic was reported for it (undefined, arity, cycle, depth, size).
    Error,
}

/// A macro call left in the expanded text verbatim, backticks included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnexpandedCall {
    /// The macro name.
    pub name: String,
    /// The call's range in the expanded text.
    pub range: Range<usize>,
    /// Why it was not expanded.
    pub reason: UnexpandedReason,
}

/// The expanded text, the origin of each of its bytes, and what went wrong.
#[derive(Clone, Debug)]
pub struct Expansion {
    /// The search with every expandable macro call replaced.
    pub text: String,
    /// Problems, in the order found.
    pub diagnostics: Vec<ExpandDiagnostic>,
    unexpanded: Vec<UnexpandedCall>,
    pieces: Vec<Piece>,
    frames: Vec<Frame>,
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

/// Expands every macro call in `search`.
///
/// # Example
/// ```
/// use detc::spl::expand::{expand, ExpandConfig, MacroDef, MacroTable, Origin};
/// let mut table = MacroTable::new();
/// let id = table.insert(MacroDef {
///     name: "sysmon".into(),
///     arguments: vec![],
///     definition: "sourcetype=sysmon".into(),
/// });
/// let mut config = ExpandConfig::new();
/// config.filter_macro("demo_filter");
/// let expansion = expand("`sysmon` EventCode=1 | `demo_filter`", &table, &config);
/// assert_eq!(expansion.text, "sourcetype=sysmon EventCode=1 | search *");
/// assert!(expansion.diagnostics.is_empty());
/// assert_eq!(
///     expansion.origin(0),
///     Origin::Macro { id, offset: 0, call_site: 0..8, chain: vec![id] }
/// );
/// assert_eq!(expansion.origin(18), Origin::Search { offset: 9 });
/// ```
#[must_use]
pub fn expand(search: &str, macros: &MacroTable, config: &ExpandConfig) -> Expansion {
    Expander::new(macros, config).run(search)
}

/// A macro call written in a text, as the expander finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenCall {
    /// From the opening backtick to just after the closing one.
    pub range: Range<usize>,
    /// The name, without arguments.
    pub name: Range<usize>,
}

/// The macro calls written in `text` (a search or a definition), in order, found exactly as
/// [`expand`] finds them: ```` ```…``` ```` comments and double-quoted strings are skipped, and
/// nothing is expanded. Lints about where a call sits (the filter macro) use it.
///
/// ```
/// use detc::spl::expand::calls;
/// let found = calls("`a` x=\"`b`\" ```c``` | `d(1)`");
/// let names: Vec<_> = found.iter().map(|c| &"`a` x=\"`b`\" ```c``` | `d(1)`"[c.name.clone()]).collect();
/// assert_eq!(names, ["a", "d"]);
/// ```
#[must_use]
pub fn calls(text: &str) -> Vec<WrittenCall> {
    let mut found = Vec::new();
    let mut quoted = Vec::new();
    let mut at = 0;
    while let Event::Call(call) = next_call(text, at, &mut quoted) {
        at = call.range.end;
        found.push(WrittenCall {
            range: call.range,
            name: call.name,
        });
    }
    found
}

/// The origin of the first byte of a piece; later bytes advance the offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
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
    fn advance(self, by: usize) -> Self {
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
struct Piece {
    start: usize,
    base: Base,
}

/// One macro call being expanded: the outermost call site in the search and the chain of macros.
#[derive(Clone, Debug)]
struct Frame {
    call_site: Range<usize>,
    chain: Vec<MacroId>,
}

/// Text together with the origin of each byte: the search itself, or a macro body after
/// argument substitution (definition bytes interleaved with the caller's argument bytes).
#[derive(Debug, Default)]
struct Sourced {
    text: String,
    pieces: Vec<Piece>,
}

impl Sourced {
    fn push(&mut self, text: &str, base: Base) {
        if text.is_empty() {
            return;
        }
        push_piece(&mut self.pieces, self.text.len(), base);
        self.text.push_str(text);
    }

    /// Appends `range` of `source`, keeping its origins.
    fn push_from(&mut self, source: &Sourced, range: Range<usize>) {
        for (text, base) in source.slices(range) {
            self.push(text, base);
        }
    }

    /// The parts of `range` with the origin of each part's first byte.
    fn slices(&self, range: Range<usize>) -> impl Iterator<Item = (&str, Base)> {
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
    fn macro_site(&self, range: Range<usize>) -> Option<MacroSite> {
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
fn push_piece(pieces: &mut Vec<Piece>, start: usize, base: Base) {
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

/// A syntactically valid macro call found in a text.
#[derive(Clone, Debug)]
struct CallSyntax {
    /// From the opening backtick to just after the closing one.
    range: Range<usize>,
    name: Range<usize>,
    /// `None` for `` `name` ``; the trimmed arguments for `` `name(…)` `` (empty for `name()`).
    arguments: Option<Vec<Range<usize>>>,
}

impl CallSyntax {
    fn arity(&self) -> usize {
        self.arguments.as_ref().map_or(0, Vec::len)
    }
}

/// Whether a byte may appear in a macro name. Splunk's own names are letters, digits, `_` and
/// `-`; `.` and `:` are accepted too so that app-qualified names are found, and the corpus test
/// pins that no search has a backtick pair this wrongly turns into a call.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':')
}

/// How quotes are written where a call is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QuoteStyle {
    /// In search text: `"…"` with `\"` and `\\` escapes.
    Plain,
    /// Inside a double-quoted string (`map search="…"`): quotes are written `\"`.
    Escaped,
}

/// Parses a macro call whose opening backtick is at `start`, not reading past `limit`. Anything
/// that is not `` `name` `` or `` `name(args)` `` is not a call, and its backtick is literal (Q10).
fn parse_call(text: &str, start: usize, limit: usize, quotes: QuoteStyle) -> Option<CallSyntax> {
    let bytes = text.as_bytes().get(..limit)?;
    if bytes.get(start) != Some(&b'`') {
        return None;
    }
    let name_start = start + 1;
    let mut at = name_start;
    while bytes.get(at).copied().is_some_and(is_name_byte) {
        at += 1;
    }
    if at == name_start {
        return None;
    }
    let name = name_start..at;
    match bytes.get(at) {
        Some(b'`') => Some(CallSyntax {
            range: start..at + 1,
            name,
            arguments: None,
        }),
        Some(b'(') => {
            let (arguments, close) = split_arguments(bytes, at + 1, quotes)?;
            (bytes.get(close + 1) == Some(&b'`')).then_some(CallSyntax {
                range: start..close + 2,
                name,
                arguments: Some(arguments),
            })
        }
        _ => None,
    }
}

/// Splits call arguments starting after `(`: top-level commas separate, quotes and parentheses
/// nest, each argument is trimmed and keeps its quotes. Returns the arguments and the offset of
/// the closing `)`, or `None` if an unquoted backtick or the end comes first.
fn split_arguments(
    bytes: &[u8],
    open: usize,
    quotes: QuoteStyle,
) -> Option<(Vec<Range<usize>>, usize)> {
    let mut arguments = Vec::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut argument_start = open;
    let mut at = open;
    loop {
        let byte = *bytes.get(at)?;
        let next = bytes.get(at + 1).copied();
        match (quotes, byte) {
            (QuoteStyle::Plain, b'\\') if in_quote => {
                at += 2;
                continue;
            }
            (QuoteStyle::Plain, b'"') => in_quote = !in_quote,
            (QuoteStyle::Escaped, b'\\') if next == Some(b'"') => {
                in_quote = !in_quote;
                at += 2;
                continue;
            }
            (QuoteStyle::Escaped, b'\\') if in_quote => {
                at += 2;
                continue;
            }
            _ if in_quote => {}
            (_, b'`') => return None,
            (_, b'(') => depth += 1,
            (_, b')') if depth == 0 => {
                arguments.push(trim(bytes, argument_start..at));
                if arguments.len() == 1 && arguments.first().is_some_and(Range::is_empty) {
                    arguments.clear();
                }
                return Some((arguments, at));
            }
            (_, b')') => depth -= 1,
            (_, b',') if depth == 0 => {
                arguments.push(trim(bytes, argument_start..at));
                argument_start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
}

fn trim(bytes: &[u8], mut range: Range<usize>) -> Range<usize> {
    while range.start < range.end && bytes.get(range.start).is_some_and(u8::is_ascii_whitespace) {
        range.start += 1;
    }
    while range.end > range.start
        && bytes
            .get(range.end - 1)
            .is_some_and(u8::is_ascii_whitespace)
    {
        range.end -= 1;
    }
    range
}

/// The end of the double-quoted string opening at `start` (just after its closing quote, or the
/// end of the text when it is not closed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The end of the ```` ``` ```` comment opening at `start` (after its closing backticks, or the
/// end of the text when it is not closed).
fn comment_end(text: &str, start: usize) -> usize {
    let body = start + 3;
    text.get(body..)
        .and_then(|rest| rest.find("```"))
        .map_or(text.len(), |found| body + found + 3)
}

/// What the scanner found next in a text.
enum Event {
    /// A call; the text before it is literal.
    Call(CallSyntax),
    /// No more calls; the rest is literal.
    End,
}

/// Finds the next macro call at or after `from`, skipping comments and double-quoted strings.
/// Calls inside strings are not expanded (F8); their ranges are pushed to `quoted`.
fn next_call(text: &str, from: usize, quoted: &mut Vec<CallSyntax>) -> Event {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'`' if bytes.get(at..at + 3) == Some(b"```") => at = comment_end(text, at),
            b'`' => match parse_call(text, at, bytes.len(), QuoteStyle::Plain) {
                Some(call) => return Event::Call(call),
                None => at += 1,
            },
            // Outside strings `\"` is an escaped quote, not a string (Q12, Q13), and `\\` a
            // backslash; other pairs are literal.
            b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\\')) => at += 2,
            b'"' => {
                let end = string_end(bytes, at);
                quoted_calls(text, at + 1..end, quoted);
                at = end;
            }
            _ => at += 1,
        }
    }
    Event::End
}

/// Collects the valid macro calls inside a string's contents.
fn quoted_calls(text: &str, range: Range<usize>, quoted: &mut Vec<CallSyntax>) {
    let bytes = text.as_bytes();
    let mut at = range.start;
    while at < range.end {
        let call = (bytes.get(at) == Some(&b'`'))
            .then(|| parse_call(text, at, range.end, QuoteStyle::Escaped))
            .flatten();
        match call {
            Some(call) => {
                at = call.range.end;
                quoted.push(call);
            }
            None => at += 1,
        }
    }
}

/// A text being scanned: the search or a macro body.
struct Task {
    source: Sourced,
    position: usize,
    /// `None` for the search itself.
    frame: Option<u32>,
}

/// What a call turned into.
enum Resolution {
    /// A macro body to scan next.
    Body(Task),
    /// Already written to the output (expander text or the call verbatim).
    Written,
}

struct Expander<'a> {
    macros: &'a MacroTable,
    config: &'a ExpandConfig,
    text: String,
    pieces: Vec<Piece>,
    frames: Vec<Frame>,
    diagnostics: Vec<ExpandDiagnostic>,
    unexpanded: Vec<UnexpandedCall>,
    spent: usize,
    is_exhausted: bool,
}

impl<'a> Expander<'a> {
    fn new(macros: &'a MacroTable, config: &'a ExpandConfig) -> Self {
        Self {
            macros,
            config,
            text: String::new(),
            pieces: Vec::new(),
            frames: Vec::new(),
            diagnostics: Vec::new(),
            unexpanded: Vec::new(),
            spent: 0,
            is_exhausted: false,
        }
    }

    fn run(mut self, search: &str) -> Expansion {
        let mut source = Sourced::default();
        source.push(search, Base::Search(0));
        let mut stack = vec![Task {
            source,
            position: 0,
            frame: None,
        }];
        let mut quoted = Vec::new();
        while let Some(task) = stack.last_mut() {
            match next_call(&task.source.text, task.position, &mut quoted) {
                Event::Call(call) => {
                    self.emit(&task.source, task.position..call.range.start);
                    task.position = call.range.end;
                    self.report_quoted(&task.source, task.frame, &mut quoted);
                    if let Resolution::Body(body) = self.resolve(&task.source, task.frame, &call) {
                        stack.push(body);
                    }
                }
                Event::End => {
                    self.emit(&task.source, task.position..task.source.text.len());
                    self.report_quoted(&task.source, task.frame, &mut quoted);
                    stack.pop();
                }
            }
        }
        Expansion {
            text: self.text,
            diagnostics: self.diagnostics,
            unexpanded: self.unexpanded,
            pieces: self.pieces,
            frames: self.frames,
        }
    }

    /// Copies `range` of `source` to the output, keeping origins.
    fn emit(&mut self, source: &Sourced, range: Range<usize>) {
        for (text, base) in source.slices(range) {
            if !text.is_empty() {
                push_piece(&mut self.pieces, self.text.len(), base);
                self.text.push_str(text);
            }
        }
    }

    /// Writes expander-made text.
    fn emit_synthetic(&mut self, text: &str, frame: u32) {
        push_piece(&mut self.pieces, self.text.len(), Base::Synthetic { frame });
        self.text.push_str(text);
    }

    /// The outermost call site and the chain for a call found in a task.
    fn context(&self, source: &Sourced, frame: Option<u32>, call: &Range<usize>) -> Frame {
        match frame.and_then(|index| self.frames.get(index as usize)) {
            Some(frame) => frame.clone(),
            None => Frame {
                call_site: source
                    .slices(call.clone())
                    .next()
                    .and_then(|(_, base)| match base {
                        Base::Search(offset) => Some(offset..offset + call.len()),
                        _ => None,
                    })
                    .unwrap_or_else(|| call.clone()),
                chain: Vec::new(),
            },
        }
    }

    fn report_quoted(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        quoted: &mut Vec<CallSyntax>,
    ) {
        for call in quoted.drain(..) {
            let name = source.text.get(call.name.clone()).unwrap_or_default();
            let message = format!("macro call `{name}` inside a quoted string is not expanded");
            self.report(Code::E005, source, frame, &call.range, message);
        }
    }

    fn report(
        &mut self,
        code: Code,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
        message: String,
    ) {
        let context = self.context(source, frame, call);
        let diagnostic = ExpandDiagnostic {
            code,
            range: context.call_site,
            message,
            chain: context.chain,
            inner: source.macro_site(call.clone()),
        };
        // One report per root cause: a broken macro called twice from one outer call is one problem.
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Writes the call itself, unexpanded.
    fn emit_verbatim(&mut self, source: &Sourced, call: &CallSyntax, reason: UnexpandedReason) {
        let start = self.text.len();
        self.emit(source, call.range.clone());
        self.unexpanded.push(UnexpandedCall {
            name: source
                .text
                .get(call.name.clone())
                .unwrap_or_default()
                .to_owned(),
            range: start..self.text.len(),
            reason,
        });
    }

    /// Charges `bytes` to the size budget; reports `E003` once when it runs out.
    fn charge(
        &mut self,
        bytes: usize,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
    ) -> bool {
        let total = self.spent.saturating_add(bytes).saturating_add(CALL_COST);
        if total > self.config.max_size {
            self.is_exhausted = true;
            let message = format!(
                "macro expansion exceeds the size limit of {} bytes",
                self.config.max_size
            );
            self.report(Code::E003, source, frame, call, message);
            return false;
        }
        self.spent = total;
        true
    }

    fn resolve(&mut self, source: &Sourced, frame: Option<u32>, call: &CallSyntax) -> Resolution {
        if self.is_exhausted {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let name = source.text.get(call.name.clone()).unwrap_or_default();
        let arity = call.arity();
        if let Some(id) = self.macros.lookup(name, arity) {
            return self.expand_macro(source, frame, call, id);
        }
        if name == DROP_DM_OBJECT_NAME && arity == 1 {
            return self.expand_drop_dm_object_name(source, frame, call);
        }
        let is_filter = self.config.filter_macro.as_deref() == Some(name);
        if is_filter && arity == 0 {
            if self.charge(FILTER_STUB.len(), source, frame, &call.range) {
                let new_frame = self.push_frame(source, frame, &call.range, None);
                self.emit_synthetic(FILTER_STUB, new_frame);
            } else {
                self.emit_verbatim(source, call, UnexpandedReason::Error);
            }
            return Resolution::Written;
        }
        let mut arities = self.macros.arities(name);
        if is_filter {
            arities.push(0);
            arities.sort_unstable();
            arities.dedup();
        }
        let (code, message) = if !arities.is_empty() {
            (Code::E001, arity_message(name, &arities, arity))
        } else if IGNORED_MACRO_SUBSTRINGS
            .iter()
            .any(|ignored| name.contains(ignored))
        {
            self.emit_verbatim(source, call, UnexpandedReason::IgnoreList);
            return Resolution::Written;
        } else {
            (Code::E004, format!("macro `{name}` is not defined"))
        };
        self.report(code, source, frame, &call.range, message);
        self.emit_verbatim(source, call, UnexpandedReason::Error);
        Resolution::Written
    }

    fn push_frame(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &Range<usize>,
        id: Option<MacroId>,
    ) -> u32 {
        let mut context = self.context(source, frame, call);
        context.chain.extend(id);
        let index = u32::try_from(self.frames.len()).unwrap_or(u32::MAX);
        self.frames.push(context);
        index
    }

    fn expand_macro(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &CallSyntax,
        id: MacroId,
    ) -> Resolution {
        let Some(def) = self.macros.get(id) else {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        };
        let chain = frame
            .and_then(|index| self.frames.get(index as usize))
            .map(|frame| frame.chain.as_slice())
            .unwrap_or_default();
        let name = &def.name;
        let failure = if let Some(at) = chain.iter().position(|&other| other == id) {
            let mut cycle: Vec<String> = chain
                .get(at..)
                .unwrap_or_default()
                .iter()
                .filter_map(|&other| self.macros.get(other))
                .map(|other| format!("`{}`", other.name))
                .collect();
            cycle.push(format!("`{name}`"));
            Some((
                Code::E002,
                format!("macro `{name}` expands to itself: {}", cycle.join(" → ")),
            ))
        } else if chain.len() >= self.config.max_depth {
            Some((
                Code::E003,
                format!(
                    "macro `{name}` nests deeper than the limit of {} levels",
                    self.config.max_depth
                ),
            ))
        } else {
            None
        };
        if let Some((code, message)) = failure {
            self.report(code, source, frame, &call.range, message);
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let arguments = call.arguments.clone().unwrap_or_default();
        let placements = placeholders(&def.definition, &def.arguments);
        let body_len = body_length(&def.definition, &placements, &arguments);
        if !self.charge(body_len, source, frame, &call.range) {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let new_frame = self.push_frame(source, frame, &call.range, Some(id));
        let mut body = Sourced::default();
        let mut copied = 0;
        for (range, argument) in placements {
            let before = def.definition.get(copied..range.start).unwrap_or_default();
            body.push(
                before,
                Base::Macro {
                    id,
                    offset: copied,
                    frame: new_frame,
                },
            );
            if let Some(argument) = arguments.get(argument) {
                body.push_from(source, argument.clone());
            }
            copied = range.end;
        }
        body.push(
            def.definition.get(copied..).unwrap_or_default(),
            Base::Macro {
                id,
                offset: copied,
                frame: new_frame,
            },
        );
        Resolution::Body(Task {
            source: body,
            position: 0,
            frame: Some(new_frame),
        })
    }

    /// `drop_dm_object_name(X)` → `rename X.* AS *`, quotes around `X` stripped; `X` keeps the
    /// origin of the argument.
    fn expand_drop_dm_object_name(
        &mut self,
        source: &Sourced,
        frame: Option<u32>,
        call: &CallSyntax,
    ) -> Resolution {
        let mut argument = call
            .arguments
            .as_ref()
            .and_then(|arguments| arguments.first())
            .cloned()
            .unwrap_or_default();
        let bytes = source.text.as_bytes();
        if argument.len() >= 2
            && bytes.get(argument.start) == Some(&b'"')
            && bytes.get(argument.end - 1) == Some(&b'"')
        {
            argument = argument.start + 1..argument.end - 1;
        }
        const PREFIX: &str = "rename ";
        const SUFFIX: &str = ".* AS *";
        if !self.charge(
            PREFIX.len() + argument.len() + SUFFIX.len(),
            source,
            frame,
            &call.range,
        ) {
            self.emit_verbatim(source, call, UnexpandedReason::Error);
            return Resolution::Written;
        }
        let new_frame = self.push_frame(source, frame, &call.range, None);
        self.emit_synthetic(PREFIX, new_frame);
        self.emit(source, argument);
        self.emit_synthetic(SUFFIX, new_frame);
        Resolution::Written
    }
}

fn arity_message(name: &str, arities: &[usize], arity: usize) -> String {
    let expected: Vec<String> = arities.iter().map(usize::to_string).collect();
    let plural = if arities == [1] { "" } else { "s" };
    format!(
        "macro `{name}` takes {} argument{plural}, not {arity}",
        expected.join(" or ")
    )
}

/// The `$name$` placeholders of a definition: their ranges and argument indexes, in order.
/// A `$…$` pair that names no argument is literal text (it may be a `map` token).
fn placeholders(definition: &str, arguments: &[String]) -> Vec<(Range<usize>, usize)> {
    let mut found = Vec::new();
    if arguments.is_empty() {
        return found;
    }
    let mut at = 0;
    while let Some(open) = definition.get(at..).and_then(|rest| rest.find('$')) {
        let open = at + open;
        let Some(close) = definition.get(open + 1..).and_then(|rest| rest.find('$')) else {
            break;
        };
        let close = open + 1 + close;
        let inner = definition.get(open + 1..close).unwrap_or_default();
        match arguments
            .iter()
            .position(|argument| !argument.is_empty() && argument == inner)
        {
            Some(index) => {
                found.push((open..close + 1, index));
                at = close + 1;
            }
            None => at = close,
        }
    }
    found
}

fn body_length(
    definition: &str,
    placements: &[(Range<usize>, usize)],
    arguments: &[Range<usize>],
) -> usize {
    placements
        .iter()
        .fold(definition.len(), |total, (range, argument)| {
            let value = arguments.get(*argument).map_or(0, Range::len);
            total.saturating_sub(range.len()).saturating_add(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(defs: &[(&str, &[&str], &str)]) -> (MacroTable, Vec<MacroId>) {
        let mut table = MacroTable::new();
        let ids = defs
            .iter()
            .map(|(name, arguments, definition)| {
                table.insert(MacroDef {
                    name: (*name).to_owned(),
                    arguments: arguments.iter().map(|a| (*a).to_owned()).collect(),
                    definition: (*definition).to_owned(),
                })
            })
            .collect();
        (table, ids)
    }

    fn run(defs: &[(&str, &[&str], &str)], search: &str) -> Expansion {
        let (table, _) = table(defs);
        let mut config = ExpandConfig::new();
        config.filter_macro("demo_filter");
        expand(search, &table, &config)
    }

    fn codes(expansion: &Expansion) -> Vec<Code> {
        expansion.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn simple_call_is_replaced_without_parentheses() {
        let e = run(&[("m", &[], "a=1 OR b=2")], "`m` c=3");
        assert_eq!(e.text, "a=1 OR b=2 c=3");
        assert!(e.diagnostics.is_empty());
    }

    #[test]
    fn origins_of_search_macro_and_argument_bytes() {
        let (table, ids) = table(&[("ctime", &["field"], "convert ctime($field$)")]);
        let e = expand("x `ctime(firstTime)` y", &table, &ExpandConfig::new());
        assert_eq!(e.text, "x convert ctime(firstTime) y");
        assert_eq!(e.origin(0), Origin::Search { offset: 0 });
        let call_site = 2..20;
        assert_eq!(
            e.origin(2),
            Origin::Macro {
                id: ids[0],
                offset: 0,
                call_site: call_site.clone(),
                chain: vec![ids[0]]
            }
        );
        // `firstTime` comes from the search, inside the argument list.
        assert_eq!(e.origin(16), Origin::Search { offset: 9 });
        // `)` after the argument is definition byte 21.
        assert_eq!(
            e.origin(25),
            Origin::Macro {
                id: ids[0],
                offset: 21,
                call_site,
                chain: vec![ids[0]]
            }
        );
        assert_eq!(e.origin(27), Origin::Search { offset: 21 });
    }

    #[test]
    fn nested_macros_keep_outer_call_site_and_chain() {
        let (table, ids) = table(&[("outer", &[], "x=`inner`"), ("inner", &[], "1")]);
        let e = expand("a `outer` b", &table, &ExpandConfig::new());
        assert_eq!(e.text, "a x=1 b");
        assert_eq!(
            e.origin(4),
            Origin::Macro {
                id: ids[1],
                offset: 0,
                call_site: 2..9,
                chain: vec![ids[0], ids[1]]
            }
        );
        assert_eq!(e.search_range(2..5), 2..9);
    }

    #[test]
    fn arguments_split_on_top_level_commas_and_keep_quotes() {
        let e = run(
            &[("two", &["a", "b"], "[$a$|$b$]")],
            r#"`two( f(x, y) , "p,q\"r" )`"#,
        );
        assert_eq!(e.text, r#"[f(x, y)|"p,q\"r"]"#);
        assert!(e.diagnostics.is_empty());
    }

    #[test]
    fn unknown_placeholder_is_literal() {
        let e = run(&[("m", &["x"], "$y$ $x$ $")], "`m(1)`");
        assert_eq!(e.text, "$y$ 1 $");
    }

    #[test]
    fn lookup_is_by_name_and_arity() {
        let e = run(
            &[("m", &[], "zero"), ("m", &["a"], "one $a$")],
            "`m` `m(1)`",
        );
        assert_eq!(e.text, "zero one 1");
        let e = run(&[("m", &["a"], "one")], "`m(1,2)`");
        assert_eq!(codes(&e), [Code::E001]);
        assert_eq!(
            e.diagnostics[0].message,
            "macro `m` takes 1 argument, not 2"
        );
        assert_eq!(e.text, "`m(1,2)`");
    }

    #[test]
    fn undefined_macro_is_reported_at_call_site() {
        let e = run(&[], "a `nope` b");
        assert_eq!(codes(&e), [Code::E004]);
        assert_eq!(e.diagnostics[0].range, 2..8);
        assert_eq!(e.text, "a `nope` b");
        assert_eq!(e.unexpanded()[0].reason, UnexpandedReason::Error);
    }

    #[test]
    fn undefined_in_definition_points_at_outer_call_and_inner_site() {
        let (table, ids) = table(&[("m", &[], "x `nope`")]);
        let e = expand("`m`", &table, &ExpandConfig::new());
        assert_eq!(codes(&e), [Code::E004]);
        assert_eq!(e.diagnostics[0].range, 0..3);
        assert_eq!(e.diagnostics[0].chain, [ids[0]]);
        assert_eq!(
            e.diagnostics[0].inner,
            Some(MacroSite {
                id: ids[0],
                range: 2..8
            })
        );
    }

    #[test]
    fn converts_to_parser_diagnostic() {
        let e = run(&[], "a `nope`");
        let spl = e.diagnostics[0].to_spl_diagnostic();
        assert_eq!(spl.code, Code::E004);
        assert_eq!(spl.range, crate::spl::TextRange::new(2, 8));
        assert_eq!(spl.message, "macro `nope` is not defined");
    }

    #[test]
    fn cycle_is_reported_with_its_path() {
        let e = run(&[("a", &[], "`b`"), ("b", &[], "`a`")], "`a`");
        assert_eq!(codes(&e), [Code::E002]);
        assert_eq!(
            e.diagnostics[0].message,
            "macro `a` expands to itself: `a` → `b` → `a`"
        );
        assert_eq!(e.text, "`a`");
    }

    #[test]
    fn depth_limit() {
        let defs: Vec<(String, Vec<&str>, String)> = (0..40)
            .map(|i| (format!("m{i}"), vec![], format!("`m{}`", i + 1)))
            .collect();
        let defs: Vec<(&str, &[&str], &str)> = defs
            .iter()
            .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
            .collect();
        let e = run(&defs, "`m0`");
        assert_eq!(codes(&e), [Code::E003]);
        assert_eq!(e.text, "`m32`");
    }

    #[test]
    fn macro_bomb_stops_at_size_limit() {
        let mut defs: Vec<(String, Vec<&str>, String)> = (0..30)
            .map(|i| (format!("b{i}"), vec![], format!("`b{0}` `b{0}`", i + 1)))
            .collect();
        defs.push(("b30".to_owned(), vec![], "x".to_owned()));
        let defs: Vec<(&str, &[&str], &str)> = defs
            .iter()
            .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
            .collect();
        let e = run(&defs, "`b0` tail");
        assert_eq!(codes(&e), [Code::E003]);
        assert!(e.text.len() < 3 * ExpandConfig::DEFAULT_MAX_SIZE);
        assert!(e.text.ends_with(" tail"));
    }

    #[test]
    fn argument_doubling_bomb_is_bounded() {
        let defs: Vec<(String, Vec<&str>, String)> = (0..40)
            .map(|i| (format!("d{i}"), vec!["x"], format!("`d{}($x$$x$)`", i + 1)))
            .collect();
        let defs: Vec<(&str, &[&str], &str)> = defs
            .iter()
            .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
            .collect();
        let e = run(&defs, "`d0(ab)`");
        assert!(codes(&e).contains(&Code::E003));
        assert!(e.text.len() < 3 * ExpandConfig::DEFAULT_MAX_SIZE);
    }

    #[test]
    fn no_expansion_inside_quoted_string() {
        let e = run(
            &[("x", &[], "-7d")],
            r#"eval t=relative_time(now(), "`x`")"#,
        );
        assert_eq!(e.text, r#"eval t=relative_time(now(), "`x`")"#);
        assert_eq!(codes(&e), [Code::E005]);
        assert_eq!(e.diagnostics[0].range, 29..32);
        assert_eq!(
            e.diagnostics[0].message,
            "macro call `x` inside a quoted string is not expanded"
        );
    }

    #[test]
    fn map_search_string_with_escaped_quotes() {
        let e = run(
            &[],
            r#"map search="search `wineventlog_security` x=\"$a$\" | `m(\"q\")`""#,
        );
        assert_eq!(codes(&e), [Code::E005, Code::E005]);
    }

    #[test]
    fn escaped_quote_outside_string_opens_no_string() {
        let e = run(&[("m", &[], "X")], r#"a=*\"privileged\":true* | `m`"#);
        assert_eq!(e.text, r#"a=*\"privileged\":true* | X"#);
        let e = run(&[("m", &[], "X")], r#"a=\\"`m`""#);
        assert_eq!(codes(&e), [Code::E005]);
    }

    #[test]
    fn no_expansion_inside_comments() {
        let e = run(&[("m", &[], "X")], "a ```| `m` and `` ``` `m` ```tail");
        assert_eq!(e.text, "a ```| `m` and `` ``` X ```tail");
        assert!(e.diagnostics.is_empty());
    }

    #[test]
    fn backtick_pairs_that_are_not_calls_are_literal() {
        let e = run(&[], r#"eval p=split(process,"`") | eval q=a` b` | x ` y"#);
        assert!(e.diagnostics.is_empty());
        assert_eq!(
            e.text,
            r#"eval p=split(process,"`") | eval q=a` b` | x ` y"#
        );
    }

    #[test]
    fn invalid_pair_then_valid_call() {
        let e = run(&[("m", &[], "X")], "` not `m`");
        assert_eq!(e.text, "` not X");
    }

    #[test]
    fn drop_dm_object_name_becomes_rename() {
        let e = run(
            &[],
            r#"`drop_dm_object_name(Processes)` | `drop_dm_object_name("Web")`"#,
        );
        assert_eq!(e.text, "rename Processes.* AS * | rename Web.* AS *");
        assert!(e.diagnostics.is_empty());
        assert_eq!(e.origin(0), Origin::Synthetic { call_site: 0..32 });
        assert_eq!(e.origin(7), Origin::Search { offset: 21 });
        assert_eq!(e.origin(33), Origin::Search { offset: 57 });
    }

    #[test]
    fn defined_drop_dm_object_name_wins() {
        let e = run(
            &[("drop_dm_object_name", &["x"], "R $x$")],
            "`drop_dm_object_name(P)`",
        );
        assert_eq!(e.text, "R P");
    }

    #[test]
    fn filter_macro_stub_unless_defined() {
        let e = run(&[], "a | `demo_filter`");
        assert_eq!(e.text, "a | search *");
        assert_eq!(e.origin(4), Origin::Synthetic { call_site: 4..17 });
        let e = run(&[("demo_filter", &[], "where x>1")], "a | `demo_filter`");
        assert_eq!(e.text, "a | where x>1");
        let e = run(&[], "a | `other_filter`");
        assert_eq!(codes(&e), [Code::E004]);
        let e = run(&[], "a | `demo_filter(1)`");
        assert_eq!(codes(&e), [Code::E001]);
    }

    #[test]
    fn ignore_list_is_left_verbatim() {
        let e = run(
            &[],
            "x | `get_asset(src)` | `my_get_risk_severity_x` | `drop_dm_object_name(a,b)`",
        );
        assert_eq!(
            e.text,
            "x | `get_asset(src)` | `my_get_risk_severity_x` | `drop_dm_object_name(a,b)`"
        );
        assert!(e.diagnostics.is_empty());
        let names: Vec<_> = e.unexpanded().iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            names,
            ["get_asset", "my_get_risk_severity_x", "drop_dm_object_name"]
        );
        assert_eq!(e.unexpanded()[0].range, 4..20);
    }

    #[test]
    fn four_backticks_do_not_crash() {
        let e = run(&[], "a ```` b ```` ` ``");
        assert_eq!(e.text, "a ```` b ```` ` ``");
    }

    #[test]
    fn unterminated_constructs_are_literal() {
        for search in [
            "\"abc `m", "``` `m`", "`m(a", "`m(\"a)`", "x `", "$", "`m(` `",
        ] {
            let e = run(&[("m", &[], "X")], search);
            assert!(
                e.diagnostics.iter().all(|d| d.code != Code::E004),
                "{search}"
            );
            assert!(!e.text.is_empty());
        }
    }

    #[test]
    fn macro_body_quotes_do_not_leak() {
        let e = run(&[("q", &[], "\"`")], "`q` `q` z");
        assert_eq!(e.text, "\"` \"` z");
    }

    #[test]
    fn every_byte_has_an_origin_and_search_range_is_in_bounds() {
        let search = "`m(1)` and `drop_dm_object_name(\"X\")` | `demo_filter`";
        let e = run(&[("m", &["a"], "f=$a$ `n`"), ("n", &[], "g")], search);
        for offset in 0..e.text.len() {
            let range = e.search_range(offset..offset + 1);
            assert!(range.end <= search.len(), "{offset}");
        }
        assert_eq!(e.text, "f=1 g and rename X.* AS * | search *");
    }

    #[test]
    fn empty_arguments_mean_arity_zero() {
        let e = run(&[("m", &[], "X")], "`m()` `m( )`");
        assert_eq!(e.text, "X X");
    }

    #[test]
    fn later_definition_replaces_earlier() {
        let (table, ids) = table(&[("m", &[], "old"), ("m", &[], "new")]);
        assert_eq!(table.lookup("m", 0), Some(ids[1]));
        assert_eq!(table.len(), 2);
        assert_eq!(expand("`m`", &table, &ExpandConfig::new()).text, "new");
    }

    #[test]
    fn empty_search() {
        let e = run(&[], "");
        assert_eq!(e.text, "");
        assert_eq!(e.origin(0), Origin::Search { offset: 0 });
        assert_eq!(e.search_range(0..0), 0..0);
    }
}
