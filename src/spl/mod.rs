//! SPL front end: lexer, parser (three expression grammars), typed AST with spans, macro
//! expansion against a macro table, and printer. It sees no YAML and no paths: it takes a
//! string and a macro table, and its spans are byte ranges in that string.
//!
//! Entry points: [`parse`] (text → [`ParseOutput`]) and [`print`] (AST → canonical SPL).
//! The text given to [`parse`] is an already macro-expanded search; backtick calls left in
//! it are kept as opaque atoms. Parse errors are [`SplDiagnostic`]s, never panics.

pub mod ast;
pub mod command_table;
pub mod dump;
pub mod expand;
pub mod functions;
pub(crate) mod lexer;
pub mod lint;
pub mod options;
pub(crate) mod parser;
pub(crate) mod printer;
pub mod semantics;
pub mod visit;

use crate::diagnostic::Code;

pub use ast::Pipeline;
pub use dump::{dump, structural_eq};
pub use parser::{MAX_DEPTH, MAX_SUBSEARCH_DEPTH};

/// A byte range `[start, end)` in the text handed to [`parse`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl TextRange {
    /// The range `start..end`; offsets past `u32::MAX` saturate and `end` is raised to `start`.
    #[must_use]
    pub fn new(start: usize, end: usize) -> TextRange {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        TextRange { start, end }
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The start as a `usize` offset.
    #[must_use]
    pub fn start_usize(self) -> usize {
        self.start as usize
    }

    /// The end as a `usize` offset.
    #[must_use]
    pub fn end_usize(self) -> usize {
        self.end as usize
    }

    /// The text this range covers, or `""` if it is out of bounds.
    #[must_use]
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start_usize()..self.end_usize()).unwrap_or("")
    }
}

/// A problem found in an SPL text (by the macro expander, the parser, the lints or the
/// filter-macro checks), with byte ranges in that text: the one text-diagnostic type.
///
/// The expander's ranges are in the search as written, the parser's and the lints' in the
/// expanded search. The caller (which knows the file and the `search:` scalar) turns it into a
/// [`crate::diagnostic::Diagnostic`], once, at the edge (`compile`'s span map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplDiagnostic {
    /// Stable code (`P001` syntax, `P002` nesting limit, `P003` lenient form, lints).
    pub code: Code,
    /// The smallest range that shows the problem.
    pub range: TextRange,
    /// One plain sentence: lowercase, no final period.
    pub message: String,
    /// Short text under the caret.
    pub label: Option<String>,
    /// Other ranges of the same text that explain the problem, each with what to say there.
    pub related: Vec<(TextRange, String)>,
    /// For an expansion problem whose offending call is inside a macro definition: the chain
    /// of macros that led to it and where it is written (`range` is then the outermost call
    /// in the search). `None` for every other diagnostic.
    pub expansion: Option<expand::ExpansionTrace>,
}

impl SplDiagnostic {
    /// A diagnostic with no labels.
    #[must_use]
    pub fn new(code: Code, range: TextRange, message: impl Into<String>) -> SplDiagnostic {
        SplDiagnostic {
            code,
            range,
            message: message.into(),
            label: None,
            related: Vec::new(),
            expansion: None,
        }
    }
}

/// What [`parse`] returns: the pipeline (possibly partial) and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseOutput {
    /// The parsed pipeline; broken commands become [`ast::CommandKind::Invalid`].
    pub pipeline: Pipeline,
    /// Problems, in text order.
    pub diagnostics: Vec<SplDiagnostic>,
}

impl ParseOutput {
    /// Whether any diagnostic is an error (a `P001` or `P002`), as opposed to a lint.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.code.default_severity() == crate::diagnostic::Severity::Error)
    }
}

/// Parses an already macro-expanded search.
///
/// # Example
/// ```
/// let out = detc::spl::parse("a b OR c | stats count by host");
/// assert!(out.diagnostics.is_empty());
/// assert_eq!(out.pipeline.commands.len(), 2);
/// ```
#[must_use]
pub fn parse(text: &str) -> ParseOutput {
    parser::parse_pipeline(text)
}

/// Prints a pipeline as canonical SPL; parsing the result gives the same tree (spans aside).
///
/// # Example
/// ```
/// let out = detc::spl::parse("a b OR c");
/// assert_eq!(detc::spl::print(&out.pipeline), "a b OR c");
/// ```
#[must_use]
pub fn print(pipeline: &Pipeline) -> String {
    printer::print_pipeline(pipeline)
}

/// Checks the printer's promise on `text`: when `text` parses without errors, printing it and
/// parsing the result gives no errors and the same tree (spans aside). `Err` explains the
/// failure with both trees. Tests, the proptest and the fuzz target all check through this.
///
/// # Errors
/// When the printed text does not parse, or parses to another tree.
///
/// # Example
/// ```
/// assert!(detc::spl::check_round_trip("a b OR c | stats count by host").is_ok());
/// ```
pub fn check_round_trip(text: &str) -> Result<(), String> {
    let first = parse(text);
    if first.has_errors() {
        return Ok(());
    }
    let printed = print(&first.pipeline);
    let second = parse(&printed);
    if second.has_errors() {
        return Err(format!(
            "printed text does not parse\ninput:   {text:?}\nprinted: {printed:?}\n{:?}",
            second.diagnostics
        ));
    }
    if !structural_eq(&first.pipeline, &second.pipeline) {
        return Err(format!(
            "round trip changed the tree\ninput:   {text:?}\nprinted: {printed:?}\nfirst:\n{}\nsecond:\n{}",
            dump::dump_with(&first.pipeline, dump::DumpMode::Structural),
            dump::dump_with(&second.pipeline, dump::DumpMode::Structural),
        ));
    }
    Ok(())
}
