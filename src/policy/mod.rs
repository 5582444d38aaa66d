//! Report policy: which of a run's diagnostics are reported, and whether the run fails.
//! It sits between the checks (which find everything) and the renderers (which print what
//! they are given), so every output format obeys the same policy.
//!
//! In order: inline suppressions ([`suppression`]) silence single diagnostics and report
//! their own misuse; the code filter ([`selector`], from `--select`/`--ignore` and
//! `detc.toml`, read by [`settings`]) drops whole codes; the path scope ([`scope`]) keeps
//! only diagnostics in the files given on the command line. What was left out is counted,
//! so the summary can say so: nothing disappears without a word.
//!
//! Load failures (a file that is not YAML, not UTF-8, empty or unreadable) are always
//! reported: a check that can be told to skip broken files can pass on a broken tree.

pub mod scope;
pub mod selector;
pub mod settings;
mod suppression;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceMap;

pub use scope::Scope;
pub use selector::{CodeFilter, Selector};

/// Codes that mean a file could not be loaded at all: no filter or suppression hides them.
const ALWAYS_REPORTED: &[Code] = &[Code::L001, Code::L006, Code::L007, Code::L008];

/// Whether `code` is reported whatever the policy says.
#[must_use]
pub fn always_reported(code: Code) -> bool {
    ALWAYS_REPORTED.contains(&code)
}

/// What to report and when to fail.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Codes to report.
    pub codes: CodeFilter,
    /// Report only diagnostics in these files and folders (`None`: everywhere).
    pub scope: Option<Scope>,
    /// Warnings fail the run, as errors do.
    pub deny_warnings: bool,
}

/// How many diagnostics the policy left out, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Hidden {
    /// Silenced by a `# detc: ignore[...]` comment.
    pub suppressed: usize,
    /// Dropped by `--select` / `--ignore` or `detc.toml`.
    pub deselected: usize,
    /// In files outside the paths given on the command line.
    pub outside_paths: usize,
}

/// The diagnostics to report and what was left out.
#[derive(Debug)]
pub struct Triaged {
    /// What to render, in the order given.
    pub reported: Vec<Diagnostic>,
    /// What was left out.
    pub hidden: Hidden,
}

impl Policy {
    /// Applies the policy to every diagnostic of a run, whose spans point into `sources`.
    /// Unused and unreadable suppressions are added as `X030`/`X031` before the code filter
    /// and the scope apply, so they can be ignored like any other code. The order of the
    /// input is kept; new diagnostics go at the end (callers sort afterwards).
    #[must_use]
    pub fn apply(&self, diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> Triaged {
        let mut hidden = Hidden::default();
        let mut suppressions = suppression::Suppressions::scan(sources);
        let mut kept: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|diagnostic| {
                let silenced = suppressions.silences(diagnostic, sources);
                hidden.suppressed += usize::from(silenced);
                !silenced
            })
            .collect();
        kept.extend(suppressions.into_diagnostics());
        let reported = kept
            .into_iter()
            .filter(|diagnostic| {
                if always_reported(diagnostic.code) {
                    return true;
                }
                if !self.codes.allows(diagnostic.code) {
                    hidden.deselected += 1;
                    return false;
                }
                let in_scope = self.scope.as_ref().is_none_or(|scope| {
                    sources
                        .get(diagnostic.primary.file)
                        .is_some_and(|file| scope.contains(file.path()))
                });
                hidden.outside_paths += usize::from(!in_scope);
                in_scope
            })
            .collect();
        Triaged { reported, hidden }
    }

    /// Whether a run with `errors` and `warnings` reported passes.
    #[must_use]
    pub fn passes(&self, errors: usize, warnings: usize) -> bool {
        errors == 0 && !(self.deny_warnings && warnings > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn load_failures_survive_every_filter() {
        let mut sources = SourceMap::new();
        let file = sources.add("d.yml".into(), "a: [\n".to_owned());
        let span = Span::new(file, 0, 1);
        let policy = Policy {
            codes: CodeFilter {
                select: vec![Selector::parse("X").unwrap()],
                ignore: vec![Selector::parse("L").unwrap()],
            },
            ..Policy::default()
        };
        let triaged = policy.apply(
            vec![
                Diagnostic::new(Code::L001, span, "broken"),
                Diagnostic::new(Code::D006, span, "dropped"),
            ],
            &sources,
        );
        let codes: Vec<_> = triaged.reported.iter().map(|d| d.code).collect();
        assert_eq!(codes, vec![Code::L001]);
        assert_eq!(triaged.hidden.deselected, 1);
    }

    #[test]
    fn deny_warnings_fails_on_warnings() {
        let policy = Policy {
            deny_warnings: true,
            ..Policy::default()
        };
        assert!(policy.passes(0, 0));
        assert!(!policy.passes(0, 1));
        assert!(Policy::default().passes(0, 1));
        assert!(!Policy::default().passes(1, 0));
    }
}
