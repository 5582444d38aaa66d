//! The investigation model (`investigations/*.yml`): a search an analyst runs by hand.

use crate::diagnostic::{Code, Diagnostic};

use super::baseline::BaselineTags;
use super::field::{Field, MapReader, StrList};
use super::header::{Header, Meta};
use super::story::finish_top;
use super::yaml::Node;

/// One investigation.
#[derive(Clone, Debug, PartialEq)]
pub struct Investigation {
    /// Where it came from.
    pub meta: Meta,
    /// Common header.
    pub header: Header,
    /// `type`, must be `Investigation`.
    pub investigation_type: Field<String>,
    /// `datamodel` (required).
    pub datamodel: Field<StrList>,
    /// `search`.
    pub search: Field<String>,
    /// `how_to_implement`.
    pub how_to_implement: Field<String>,
    /// `known_false_positives`.
    pub known_false_positives: Field<String>,
    /// `tags` (same shape as a baseline's, without `detections`).
    pub tags: Field<BaselineTags>,
}

impl Investigation {
    /// Builds an investigation from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Investigation {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let investigation_type = reader.string("type", Code::I001);
        let datamodel = reader.string_list("datamodel", Code::I002);
        let search = reader.string("search", Code::L009);
        let how_to_implement = reader.string("how_to_implement", Code::L009);
        let known_false_positives = reader.string("known_false_positives", Code::L009);
        let tags = BaselineTags::read(&mut reader, Code::I003);
        finish_top(reader, &meta, "an investigation");
        Investigation {
            meta,
            header,
            investigation_type,
            datamodel,
            search,
            how_to_implement,
            known_false_positives,
            tags,
        }
    }
}
