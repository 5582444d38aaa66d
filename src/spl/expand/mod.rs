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

mod expander;
mod origin;
mod scan;
mod table;
#[cfg(test)]
mod tests;

use std::ops::Range;

use expander::Expander;
pub use origin::{Expansion, Origin};
pub(crate) use scan::call_end;
pub use scan::{WrittenCall, calls};
pub use table::{MacroDef, MacroId, MacroTable};

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
    ignored_macros: &'static [&'static str],
    max_depth: usize,
    max_size: usize,
}

impl Default for ExpandConfig {
    fn default() -> Self {
        Self {
            filter_macro: None,
            ignored_macros: &[],
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

    /// Names left in the text verbatim when no macro defines them (marked unsupported, not
    /// reported as undefined): a call whose name contains one of these as a substring. This is
    /// the caller's policy (compile passes contentctl's list); by default every undefined call
    /// is an error.
    pub fn ignore_macros(&mut self, substrings: &'static [&'static str]) -> &mut Self {
        self.ignored_macros = substrings;
        self
    }

    /// Whether an undefined call to `name` is left alone (see [`ExpandConfig::ignore_macros`]).
    #[must_use]
    pub fn is_ignored(&self, name: &str) -> bool {
        self.ignored_macros
            .iter()
            .any(|ignored| name.contains(ignored))
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

/// Where an offending macro call sits inside a macro definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MacroSite {
    /// The definition holding the call.
    pub id: MacroId,
    /// Byte range in the definition text (one byte when the call is split across an argument).
    pub range: Range<usize>,
}

/// Where an expansion problem sits when the offending call is not written in the search but
/// made while expanding other macros: what [`crate::spl::SplDiagnostic::expansion`] holds. The
/// diagnostic's range is then the outermost call in the search, which the author can change;
/// this says which macros led to the call and where the call is in a definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpansionTrace {
    /// The macros being expanded when the problem was found, outermost first.
    pub chain: Vec<MacroId>,
    /// Where the offending call sits inside a definition, when its first byte is in one.
    pub site: Option<MacroSite>,
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
