//! The content model of a security_content tree: the directory walk, YAML with spans
//! ([`yaml`]), the typed objects (detections, stories, macros, lookups, data sources,
//! deployments, baselines, investigations), and the map from offsets inside a `search:`
//! value back to the file ([`scalar`]). It never parses SPL.

pub mod baseline;
pub mod data_source;
pub mod deployment;
pub mod detection;
pub mod field;
pub mod header;
pub mod investigation;
mod loader;
pub mod lookup;
pub mod macro_def;
pub mod mapping;
pub mod scalar;
pub mod story;
pub mod yaml;
mod yaml11;

use std::path::{Path, PathBuf};

pub use baseline::{Baseline, BaselineTags};
pub use data_source::DataSource;
pub use deployment::Deployment;
pub use detection::{Detection, DetectionTags, Observable, Rba};
pub use field::{Field, Spanned, StrList};
pub use header::{Format, Header, Kind, Meta, name_to_stem};
pub use investigation::Investigation;
pub use lookup::{Lookup, LookupDataFile};
pub use macro_def::Macro;
pub use mapping::{DetcMapping, FieldMapping};
pub use story::{Story, StoryTags};

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Why a content tree could not be loaded at all (as opposed to diagnostics in its files).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The root does not exist.
    #[error("content root `{path}` does not exist")]
    NotFound {
        /// The root as given.
        path: String,
    },
    /// The root is not a directory.
    #[error("content root `{path}` is not a directory")]
    NotADirectory {
        /// The root as given.
        path: String,
    },
    /// The root holds no content file: none of the content folders, or only empty ones.
    #[error(
        "`{path}` holds no content: a content root is the folder holding detections/, stories/, \
         macros/, lookups/, data_sources/, deployments/, baselines/ or investigations/ with \
         `.yml` files in them{hint}"
    )]
    NoContent {
        /// The root as given.
        path: String,
        /// `; did you mean ...?` when a folder nearby holds content, else empty.
        hint: String,
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

/// Everything loaded from one content tree, each kind in sorted path order.
#[derive(Debug, Default)]
pub struct Content {
    /// The root as given (test data paths are relative to it).
    pub root: PathBuf,
    /// `deployments/`.
    pub deployments: Vec<Deployment>,
    /// `lookups/*.yml`.
    pub lookups: Vec<Lookup>,
    /// Every other file under `lookups/` (CSV data, MLTK models, strays).
    pub lookup_files: Vec<LookupDataFile>,
    /// `macros/`.
    pub macros: Vec<Macro>,
    /// `stories/`.
    pub stories: Vec<Story>,
    /// `baselines/`.
    pub baselines: Vec<Baseline>,
    /// `investigations/`.
    pub investigations: Vec<Investigation>,
    /// `data_sources/`.
    pub data_sources: Vec<DataSource>,
    /// `detections/`.
    pub detections: Vec<Detection>,
}

impl Content {
    /// How many objects of each kind were loaded.
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts {
            detections: self.detections.len(),
            stories: self.stories.len(),
            macros: self.macros.len(),
            lookups: self.lookups.len(),
            data_sources: self.data_sources.len(),
        }
    }

    /// Every object's kind, meta and header, in contentctl's load order (kinds in order,
    /// files in sorted path order within a kind).
    pub fn objects(&self) -> impl Iterator<Item = (Kind, &Meta, &Header)> {
        let deployments = self
            .deployments
            .iter()
            .map(|o| (Kind::Deployment, &o.meta, &o.header));
        let lookups = self
            .lookups
            .iter()
            .map(|o| (Kind::Lookup, &o.meta, &o.header));
        let macros = self
            .macros
            .iter()
            .map(|o| (Kind::Macro, &o.meta, &o.header));
        let stories = self
            .stories
            .iter()
            .map(|o| (Kind::Story, &o.meta, &o.header));
        let baselines = self
            .baselines
            .iter()
            .map(|o| (Kind::Baseline, &o.meta, &o.header));
        let investigations = self
            .investigations
            .iter()
            .map(|o| (Kind::Investigation, &o.meta, &o.header));
        let data_sources = self
            .data_sources
            .iter()
            .map(|o| (Kind::DataSource, &o.meta, &o.header));
        let detections = self
            .detections
            .iter()
            .map(|o| (Kind::Detection, &o.meta, &o.header));
        deployments
            .chain(lookups)
            .chain(macros)
            .chain(stories)
            .chain(baselines)
            .chain(investigations)
            .chain(data_sources)
            .chain(detections)
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
/// Paths in the [`SourceMap`] are `root.join(relative)` exactly as `root` was given.
///
/// # Errors
/// Fails when `root` does not exist, is not a directory, cannot be listed, or holds no
/// content file at all; problems in files are diagnostics.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    loader::load(root)
}

/// Loads a content tree from files held in memory, as [`load`] would load the same files
/// from disk under `root`: each path is relative to `root` (`detections/endpoint/a.yml`),
/// `root` only names the files, and a file that is not UTF-8 gets the same `L007`. A path
/// given twice keeps its last bytes. For tests and fuzzing, where a directory per input
/// would cost more than the load.
///
/// # Example
/// ```
/// use std::path::{Path, PathBuf};
///
/// let files = vec![(
///     PathBuf::from("macros/m.yml"),
///     b"name: m\ndefinition: index=main\ndescription: d\n".to_vec(),
/// )];
/// let loaded = detc::content::load_files(Path::new("content"), files);
/// assert_eq!(loaded.content.macros.len(), 1);
/// ```
#[must_use]
pub fn load_files(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Loaded {
    loader::load_files(root, files)
}
