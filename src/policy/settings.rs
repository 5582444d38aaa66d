//! `detc.toml` at the content root: the same settings as the command line, for everyone who
//! runs `detc validate` on the repository (developers, pre-commit, CI).
//!
//! ```toml
//! select = ["D", "X"]      # report only these codes or prefixes (default: all)
//! ignore = ["X009"]        # never report these
//! deny-warnings = true     # warnings fail the run, as errors do
//! app-commands = ["cyberchef"]   # SPL commands installed apps provide (validate, compile)
//!
//! [run]                    # what `detc run` uses when the command line does not say
//! assets = "samples/assets.csv"   # a Splunk ES asset list, relative to this file
//! now = "latest"           # the search time: `latest` (newest event) or RFC 3339
//! ```
//!
//! Keys are kebab-case, as in ruff's and cargo's files. A key detc does not know is an error
//! (a misspelled `ignore` would otherwise silently ignore nothing), with a suggestion.
//! Parsed with the `toml` crate: the TOML parser cargo itself uses, maintained with it, and
//! the only one that gives the spans of keys and values for these messages.

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::selector::{Selector, UnknownSelector};
use crate::diagnostic::suggest::did_you_mean;
use crate::runtime::eval::SearchTime;
use crate::source::LineIndex;

/// The settings file's name, at the content root.
pub const FILE_NAME: &str = "detc.toml";

/// Every key `detc.toml` accepts.
const KEYS: &[&str] = &["select", "ignore", "deny-warnings", "app-commands", "run"];

/// Every key of the `[run]` table.
const RUN_KEYS: &[&str] = &["assets", "now"];

/// What `detc.toml` says; `None` where it says nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSettings {
    /// `select`.
    pub select: Option<Vec<Selector>>,
    /// `ignore`.
    pub ignore: Option<Vec<Selector>>,
    /// `deny-warnings`.
    pub deny_warnings: Option<bool>,
    /// `app-commands`: SPL commands that installed apps provide, so a search using one is not
    /// an unknown command.
    pub app_commands: Option<Vec<String>>,
    /// `[run]`: `detc run`'s defaults for this content tree.
    pub run: RunSettings,
}

/// The `[run]` table: what `detc run` uses when its command line does not say (a flag
/// overrides the file, as `--select` does for validate).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSettings {
    /// `assets`, resolved against the directory holding `detc.toml` (so the file means the
    /// same from any working directory).
    pub assets: Option<PathBuf>,
    /// `now`.
    pub now: Option<SearchTime>,
}

/// Why `detc.toml` cannot be used; the message starts with `path:line:col`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The file exists but cannot be read.
    #[error("cannot read `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The file is not valid TOML, has an unknown key, or a value of the wrong type.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<toml::Spanned<String>>>,
    ignore: Option<Vec<toml::Spanned<String>>>,
    deny_warnings: Option<bool>,
    app_commands: Option<Vec<String>>,
    run: Option<RawRun>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawRun {
    assets: Option<String>,
    now: Option<toml::Spanned<String>>,
}

/// Reads `detc.toml` in `root`; `Ok(None)` when there is none.
///
/// # Errors
/// [`SettingsError`] when the file cannot be read or is invalid.
pub fn read(root: &Path) -> Result<Option<FileSettings>, SettingsError> {
    // `./detc.toml` reads worse than `detc.toml` in messages.
    let path: PathBuf = root
        .join(FILE_NAME)
        .components()
        .filter(|component| !matches!(component, std::path::Component::CurDir))
        .collect();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(SettingsError::Io { path, source }),
    };
    parse(&text, &path).map(Some)
}

/// Parses the text of a `detc.toml`; `path` only names it in errors.
///
/// # Errors
/// [`SettingsError::Invalid`] for bad TOML, an unknown key, a value of the wrong type or an
/// unknown code.
pub fn parse(text: &str, path: &Path) -> Result<FileSettings, SettingsError> {
    let invalid = |offset: usize, message: String| {
        let position = LineIndex::new(text).line_column(text, offset);
        SettingsError::Invalid {
            path: path.to_path_buf(),
            line: position.line,
            column: position.column,
            message,
        }
    };
    let table = toml::de::DeTable::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        invalid(offset, error.message().trim().to_owned())
    })?;
    let unknown = |key: &toml::Spanned<std::borrow::Cow<'_, str>>, keys: &[&str], place: &str| {
        let name = key.get_ref().as_ref();
        let hint = match did_you_mean(name, keys.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the keys are {}", backticked(keys)),
        };
        invalid(
            key.span().start,
            format!("unknown key `{name}` in {place}: {hint}"),
        )
    };
    for (key, value) in table.get_ref() {
        let name = key.get_ref().as_ref();
        if !KEYS.contains(&name) {
            return Err(unknown(key, KEYS, FILE_NAME));
        }
        if name == "run"
            && let toml::de::DeValue::Table(run) = value.get_ref()
            && let Some((key, _)) = run
                .iter()
                .find(|(key, _)| !RUN_KEYS.contains(&key.get_ref().as_ref()))
        {
            return Err(unknown(key, RUN_KEYS, &format!("[run] of {FILE_NAME}")));
        }
    }
    let raw: Raw = toml::from_str(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        invalid(offset, error.message().trim().to_owned())
    })?;
    let selectors = |list: Option<Vec<toml::Spanned<String>>>| {
        list.map(|items| {
            items
                .into_iter()
                .map(|item| {
                    Selector::parse(item.get_ref()).map_err(|error: UnknownSelector| {
                        invalid(item.span().start, error.to_string())
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
    };
    let run = raw.run.unwrap_or(RawRun {
        assets: None,
        now: None,
    });
    let now = run
        .now
        .map(|now| {
            SearchTime::parse(now.get_ref()).ok_or_else(|| {
                invalid(
                    now.span().start,
                    format!(
                        "`now` is `latest` (the newest event read) or an RFC 3339 time such as \
                         `2026-11-20T12:00:00Z`, not `{}`",
                        now.get_ref()
                    ),
                )
            })
        })
        .transpose()?;
    let directory = path.parent().unwrap_or(Path::new(""));
    Ok(FileSettings {
        select: selectors(raw.select)?,
        ignore: selectors(raw.ignore)?,
        deny_warnings: raw.deny_warnings,
        app_commands: raw.app_commands,
        run: RunSettings {
            assets: run.assets.map(|assets| directory.join(assets)),
            now,
        },
    })
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text, Path::new("detc.toml")).unwrap_err().to_string()
    }

    #[test]
    fn reads_every_key() {
        let settings = parse(
            "select = [\"D\", \"X0\"]\nignore = [\"X009\"]\ndeny-warnings = true\napp-commands = [\"cyberchef\"]\n",
            Path::new("detc.toml"),
        )
        .unwrap();
        assert_eq!(settings.select.map(|s| s.len()), Some(2));
        assert_eq!(
            settings.ignore.unwrap().first().map(ToString::to_string),
            Some("X009".to_owned())
        );
        assert_eq!(settings.deny_warnings, Some(true));
        assert_eq!(settings.app_commands, Some(vec!["cyberchef".to_owned()]));
        assert_eq!(
            parse("", Path::new("detc.toml")).unwrap(),
            FileSettings::default()
        );
    }

    #[test]
    fn unknown_keys_wrong_types_and_codes_are_errors_with_positions() {
        assert_eq!(
            error("select = []\nignroe = [\"X009\"]\n"),
            "detc.toml:2:1: unknown key `ignroe` in detc.toml: did you mean `ignore`?"
        );
        assert_eq!(
            error("[lint]\nselect = []\n"),
            "detc.toml:1:2: unknown key `lint` in detc.toml: the keys are `select`, `ignore`, `deny-warnings`, `app-commands`, `run`"
        );
        assert!(
            error("deny-warnings = \"yes\"\n").starts_with("detc.toml:1:17: "),
            "{}",
            error("deny-warnings = \"yes\"\n")
        );
        assert_eq!(
            error("ignore = [\"X009\", \"D0066\"]\n"),
            "detc.toml:1:19: `D0066` is not a code or a code prefix (did you mean `D006`?)"
        );
        assert!(error("select = [\n").starts_with("detc.toml:"));
    }

    #[test]
    fn run_table_resolves_assets_against_the_file_and_reads_now() {
        let settings = parse(
            "[run]\nassets = \"samples/assets.csv\"\nnow = \"latest\"\n",
            Path::new("../content/detc.toml"),
        )
        .unwrap();
        assert_eq!(
            settings.run.assets,
            Some(PathBuf::from("../content/samples/assets.csv"))
        );
        assert_eq!(settings.run.now, Some(SearchTime::LatestEvent));
        let fixed = parse(
            "[run]\nnow = \"2021-06-11T09:33:00Z\"\n",
            Path::new("detc.toml"),
        )
        .unwrap();
        assert_eq!(
            fixed.run.now,
            crate::events::Timestamp::parse("2021-06-11T09:33:00Z").map(SearchTime::At)
        );
        assert_eq!(
            parse("", Path::new("detc.toml")).unwrap().run,
            RunSettings::default()
        );
    }

    #[test]
    fn run_table_errors_have_positions_and_suggestions() {
        assert_eq!(
            error("[run]\nasset = \"a.csv\"\n"),
            "detc.toml:2:1: unknown key `asset` in [run] of detc.toml: did you mean `assets`?"
        );
        assert_eq!(
            error("[run]\nnow = \"latest\"\nthreads = 2\n"),
            "detc.toml:3:1: unknown key `threads` in [run] of detc.toml: the keys are `assets`, `now`"
        );
        assert_eq!(
            error("[run]\nnow = \"yesterday\"\n"),
            "detc.toml:2:7: `now` is `latest` (the newest event read) or an RFC 3339 time such as \
             `2026-11-20T12:00:00Z`, not `yesterday`"
        );
        assert!(
            error("run = 3\n").starts_with("detc.toml:1:7: "),
            "{}",
            error("run = 3\n")
        );
    }
}
