//! What every rule needs besides the model: the name index (first object per name, in
//! contentctl's load order, plus the auto-created `<stem>_filter` macros) and the compiled
//! patterns.

use std::collections::HashMap;

use crate::content::{Content, Kind, Loaded};
use crate::diagnostic::suggest::did_you_mean_name;
use crate::source::SourceMap;

use super::patterns::Patterns;

/// Shared, read-only state for one validation run.
pub(crate) struct Context<'a> {
    /// The objects.
    pub(crate) content: &'a Content,
    /// The files (for mapping search offsets and reading CSV text).
    pub(crate) sources: &'a SourceMap,
    /// The kind of the first object loaded under each name.
    names: HashMap<String, Kind>,
    /// Compiled patterns.
    pub(crate) patterns: Patterns,
}

impl<'a> Context<'a> {
    /// Indexes `loaded`.
    pub(crate) fn new(loaded: &'a Loaded) -> Context<'a> {
        let content = &loaded.content;
        let mut names: HashMap<String, Kind> = HashMap::new();
        for (kind, _, header) in content.objects() {
            if kind == Kind::Detection {
                continue;
            }
            if let Some(name) = header.name.as_str() {
                names.entry(name.to_string()).or_insert(kind);
            }
        }
        // contentctl creates a detection's filter macro while building the detection, before
        // the detection itself is registered.
        for detection in &content.detections {
            if let Some(filter) = detection.filter_macro_name() {
                names.entry(filter).or_insert(Kind::Macro);
            }
            if let Some(name) = detection.name() {
                names.entry(name.to_string()).or_insert(Kind::Detection);
            }
        }
        Context {
            content,
            sources: &loaded.sources,
            names,
            patterns: Patterns::new(),
        }
    }

    /// The kind of the object named `name`, if any.
    pub(crate) fn kind_of(&self, name: &str) -> Option<Kind> {
        self.names.get(name).copied()
    }

    /// The defined name of `kind` closest to `name`, when one is close enough to suggest.
    ///
    /// Only names with the same digits are candidates: numbers in names are identities
    /// (`Windows Event Log Security 4728` is not a typo of `... 4732`).
    pub(crate) fn closest(&self, name: &str, kind: Kind) -> Option<&str> {
        let digits = |text: &str| {
            text.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        };
        let wanted = digits(name);
        let mut candidates: Vec<&str> = self
            .names
            .iter()
            .filter(|(candidate, candidate_kind)| {
                **candidate_kind == kind && digits(candidate) == wanted
            })
            .map(|(candidate, _)| candidate.as_str())
            .collect();
        // Sorted, so a tie between two candidates always goes the same way.
        candidates.sort_unstable();
        did_you_mean_name(name, candidates)
    }
}
