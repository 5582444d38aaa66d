//! The story model (`stories/*.yml`): header, `narrative` and `tags`, whose unknown keys
//! contentctl forbids even in v4 (`S002`).

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

use super::field::{Field, MapReader, Spanned, StrList, UnknownKeys};
use super::header::{Format, Header, Meta};
use super::yaml::Node;

/// One story.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    /// Where it came from.
    pub meta: Meta,
    /// Common header.
    pub header: Header,
    /// `narrative`.
    pub narrative: Field<String>,
    /// `tags`.
    pub tags: Field<StoryTags>,
}

/// `tags:` of a story.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryTags {
    /// Where the mapping starts.
    pub span: Span,
    /// `category`.
    pub category: Field<StrList>,
    /// `product`.
    pub product: Field<StrList>,
    /// `usecase`.
    pub usecase: Field<String>,
    /// `cve`.
    pub cve: Field<StrList>,
}

const STORY_TAG_KEYS: &[&str] = &[
    "group",
    "mitre_attack_enrichments",
    "mitre_attack_tactics",
    "datamodels",
    "kill_chain_phases",
];

impl Story {
    /// Builds a story from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Story {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let narrative = reader.string("narrative", Code::S001);
        let tags = match reader.mapping("tags", Code::S002) {
            Field::Present(node) => {
                let span = node.span;
                let mut nested = reader.nested(node.value, "tags");
                let category = nested.string_list("category", Code::S002);
                let product = nested.string_list("product", Code::S002);
                let usecase = nested.string("usecase", Code::S002);
                let cve = nested.string_list("cve", Code::S002);
                for key in STORY_TAG_KEYS {
                    nested.skip(key);
                }
                nested.finish(UnknownKeys::Forbid(Code::S002), "story tags");
                Field::Present(Spanned::new(
                    StoryTags {
                        span,
                        category,
                        product,
                        usecase,
                        cve,
                    },
                    span,
                ))
            }
            Field::Invalid(span) => Field::Invalid(span),
            Field::Missing => Field::Missing,
        };
        for key in ["investigations", "baselines", "detections"] {
            reader.skip(key);
        }
        finish_top(reader, &meta, "a story");
        Story {
            meta,
            header,
            narrative,
            tags,
        }
    }
}

/// Reports unclaimed top-level keys: a warning in v4 (ignored), an error in v5 (forbidden).
pub(crate) fn finish_top(reader: MapReader<'_>, meta: &Meta, context: &str) {
    match meta.format {
        Format::V4 => reader.finish(UnknownKeys::Warn, context),
        Format::V5 => reader.finish(UnknownKeys::Forbid(Code::X015), context),
    }
}
