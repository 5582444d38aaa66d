//! Renderers: diagnostics (human, GitHub annotations, JSON lines) and the summary line. They
//! decide nothing: the caller sorts the diagnostics, picks the format and the streams, and
//! these modules only turn data into text.
//!
//! Every renderer takes the diagnostics, the [`SourceMap`](crate::source::SourceMap) their
//! spans point into and a [`RenderOptions`], and writes to any [`std::io::Write`].

pub mod compile;
pub mod events;
pub mod github;
pub mod human;
pub mod json;
mod location;
mod path;
pub mod run;
pub mod summary;

pub use path::PathDisplay;
pub use summary::Summary;

/// Which renderer to use for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// rustc-style text with source windows and carets.
    #[default]
    Human,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// One JSON object per line, then a summary object.
    Json,
}

/// Whether the human renderer may use ANSI colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Color {
    /// Plain text (pipes, files, `NO_COLOR`, snapshots).
    #[default]
    Never,
    /// ANSI styles (a terminal).
    Always,
}

/// What every renderer needs besides the diagnostics.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// How file paths are shown.
    pub paths: PathDisplay,
    /// Colour for the human renderer; the others ignore it.
    pub color: Color,
}

/// `n` and the noun, singular for exactly one: `1 error`, `0 errors`, `2 data sources`.
///
/// ```
/// assert_eq!(detc::output::count(1, "detection"), "1 detection");
/// assert_eq!(detc::output::count(0, "data source"), "0 data sources");
/// ```
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
