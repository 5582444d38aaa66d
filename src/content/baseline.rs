//! The baseline model (`baselines/*.yml`): a search that builds a lookup other detections
//! read, with its own `tags` and optional inline deployment.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

use super::field::{Field, MapReader, Spanned, StrList};
use super::header::{Header, Meta};
use super::story::finish_top;
use super::yaml::Node;

/// One baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// Where it came from.
    pub meta: Meta,
    /// Common header.
    pub header: Header,
    /// `type`, must be `Baseline`.
    pub baseline_type: Field<String>,
    /// `datamodel`.
    pub datamodel: Field<StrList>,
    /// `search`.
    pub search: Field<String>,
    /// `how_to_implement`.
    pub how_to_implement: Field<String>,
    /// `known_false_positives`.
    pub known_false_positives: Field<String>,
    /// `tags`.
    pub tags: Field<BaselineTags>,
    /// Inline `deployment`.
    pub deployment: Field<Node>,
}

/// `tags:` of a baseline or an investigation (investigations have no `detections`).
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineTags {
    /// Where the mapping starts.
    pub span: Span,
    /// `analytic_story`.
    pub analytic_story: Field<StrList>,
    /// `detections` (baselines only; names are not checked by contentctl).
    pub detections: Field<StrList>,
    /// `product`.
    pub product: Field<StrList>,
    /// `required_fields`.
    pub required_fields: Field<StrList>,
    /// `security_domain`.
    pub security_domain: Field<String>,
}

impl BaselineTags {
    /// Reads `tags` (unknown keys are ignored by contentctl, and many appear in the corpus).
    pub(crate) fn read(reader: &mut MapReader<'_>, code: Code) -> Field<BaselineTags> {
        match reader.mapping("tags", code) {
            Field::Present(node) => {
                let span = node.span;
                let mut nested = reader.nested(node.value, "tags");
                let tags = BaselineTags {
                    span,
                    analytic_story: nested.string_list("analytic_story", code),
                    detections: nested.string_list("detections", code),
                    product: nested.string_list("product", code),
                    required_fields: nested.string_list("required_fields", code),
                    security_domain: nested.string("security_domain", code),
                };
                Field::Present(Spanned::new(tags, span))
            }
            Field::Invalid(span) => Field::Invalid(span),
            Field::Missing => Field::Missing,
        }
    }
}

impl Baseline {
    /// Builds a baseline from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Baseline {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let baseline_type = reader.string("type", Code::B001);
        let datamodel = reader.string_list("datamodel", Code::B004);
        let search = reader.string("search", Code::B002);
        let how_to_implement = reader.string("how_to_implement", Code::B002);
        let known_false_positives = reader.string("known_false_positives", Code::B002);
        let tags = BaselineTags::read(&mut reader, Code::B003);
        let deployment = reader.any("deployment");
        finish_top(reader, &meta, "a baseline");
        Baseline {
            meta,
            header,
            baseline_type,
            datamodel,
            search,
            how_to_implement,
            known_false_positives,
            tags,
            deployment,
        }
    }
}
