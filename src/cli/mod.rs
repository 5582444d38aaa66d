//! Command-line interface: clap definitions (the raw layer, [`args`]), one conversion into
//! library configs ([`config`]), one small function per subcommand, and what the binary
//! needs to turn their outcome into an exit status. Logic a test would want lives in the
//! library modules, not here.
//!
//! Adding a subcommand means: a variant and an args struct in [`args`], a
//! config and one conversion arm in [`config`], a file with its run function, and one
//! dispatch arm in `main.rs`.

pub mod args;
pub mod compile;
pub mod config;
pub mod events;
pub mod explain;
mod progress;
pub mod run;
mod stdio;
pub mod validate;

pub use config::{Command, CompileConfig, EventsConfig, RunConfig, ValidateConfig, parse};
pub use stdio::{is_broken_pipe, report_error};

/// How a subcommand finished, when it could run to the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Not `non_exhaustive`: the binary must match every variant, so adding one is a
// compile error there rather than a silent fallback.
pub enum Outcome {
    /// No errors (warnings allowed): exit 0.
    Passed,
    /// The content has errors, or (`detc events`) an input could not be opened: exit 1.
    Failed,
    /// A content file or folder could not be read (`L006`): exit 2, whatever else was found.
    Unreadable,
}

impl Outcome {
    /// The outcome of a run that reported `diagnostics` and `passed` or not:
    /// [`Outcome::Unreadable`] first, as the README promises exit 2 for content that could
    /// not be read.
    #[must_use]
    pub fn of(diagnostics: &[crate::diagnostic::Diagnostic], passed: bool) -> Outcome {
        if diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == crate::diagnostic::Code::L006)
        {
            Outcome::Unreadable
        } else if passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        }
    }
}
