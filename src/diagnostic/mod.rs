//! The [`Diagnostic`] type: a problem in the user's content, reported while work goes on.
//!
//! Diagnostics are data. Any module may build them; only `output` renders them. The
//! registry of codes lives in [`codes`], below every producer, so `spl` and `plan` can emit
//! coded diagnostics without depending on `validate`.

pub mod codes;
pub mod suggest;

pub use codes::Code;

use crate::source::{SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Fails validation (exit code 1).
    Error,
    /// Reported, but validation still passes.
    Warning,
}

impl Severity {
    /// The lowercase word used in every rendering.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A secondary location with its own short message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (lowercase, no final period).
    pub message: String,
}

/// One problem in the user's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code from the registry.
    pub code: Code,
    /// Error or warning; starts as the code's default.
    pub severity: Severity,
    /// The smallest span that shows the problem.
    pub primary: Span,
    /// One plain sentence: lowercase, no final period, identifiers in backticks.
    pub message: String,
    /// Short text under the caret of the primary span.
    pub primary_label: Option<String>,
    /// Other places that explain the problem.
    pub labels: Vec<Label>,
    /// Extra facts (`= note: ...`).
    pub notes: Vec<String>,
    /// A suggestion (`= help: ...`).
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    #[must_use]
    pub fn new(code: Code, primary: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            primary,
            message: message.into(),
            primary_label: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Sets the text under the primary caret.
    #[must_use]
    pub fn with_primary_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.primary_label = Some(label.into());
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Overrides the severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Whether this diagnostic fails validation.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics into their reporting order: file path, offset, code, message.
///
/// Output must not depend on the order rules ran in, so every renderer sees this order.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    let path_of = |d: &Diagnostic| sources.get(d.primary.file).map(|file| file.path());
    diagnostics.sort_by(|a, b| {
        (path_of(a), a.primary.start, a.code.as_str(), &a.message).cmp(&(
            path_of(b),
            b.primary.start,
            b.code.as_str(),
            &b.message,
        ))
    });
}
