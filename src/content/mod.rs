//! The content model of a security_content tree: the directory walk, YAML with spans
//! ([`yaml`]), the typed objects (detections, stories, macros, lookups, data sources,
//! deployments, baselines, investigations), and the map from offsets inside a `search:`
//! value back to the file ([`scalar`]). It never parses SPL.

pub mod scalar;
pub mod yaml;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Why a content tree could not be loaded at all (as opposed to diagnostics in its files).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The root does not exist or is not a directory.
    #[error("content root `{path}` is not a directory")]
    NotADirectory {
        /// The root as given.
        path: String,
    },
    /// The root could not be listed.
    #[error("cannot read content root `{path}`")]
    Io {
        /// The root as given.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// How many objects of each kind were loaded (for the summary line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Detections.
    pub detections: usize,
    /// Stories.
    pub stories: usize,
    /// Macros (files, not the auto-created filter macros).
    pub macros: usize,
    /// Lookups.
    pub lookups: usize,
    /// Data sources.
    pub data_sources: usize,
}

/// Everything loaded from one content tree. (Stub: the content issue fills the model in.)
#[derive(Debug, Default)]
pub struct Content {}

impl Content {
    /// How many objects of each kind were loaded.
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts::default()
    }
}

/// A loaded tree: its files, its objects and the problems found while loading.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every file read, for spans.
    pub sources: SourceMap,
    /// The typed objects.
    pub content: Content,
    /// Problems found while reading and typing files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the content tree at `root`.
///
/// # Errors
/// Fails only when `root` itself cannot be read; problems in files are diagnostics.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotADirectory {
            path: root.display().to_string(),
        });
    }
    Ok(Loaded::default())
}
