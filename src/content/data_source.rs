//! The data source model (`data_sources/*.yml`): where events come from (`source`,
//! `sourcetype`), the add-ons that parse them, and their CIM field mappings.

use crate::diagnostic::{Code, Diagnostic};

use super::field::{Field, MapReader};
use super::header::{Header, Meta};
use super::story::finish_top;
use super::yaml::Node;

/// One data source.
#[derive(Clone, Debug, PartialEq)]
pub struct DataSource {
    /// Where it came from.
    pub meta: Meta,
    /// Common header.
    pub header: Header,
    /// `source`.
    pub source: Field<String>,
    /// `sourcetype`.
    pub sourcetype: Field<String>,
    /// `separator`: the field whose value tells event types apart.
    pub separator: Field<String>,
    /// `supported_TA` items (`DS002`).
    pub supported_ta: Field<Vec<Node>>,
    /// `fields`.
    pub fields: Field<Vec<Node>>,
    /// `field_mappings` (kept as nodes for the runtime's CIM mapping).
    pub field_mappings: Field<Vec<Node>>,
    /// `convert_to_log_source`.
    pub convert_to_log_source: Field<Vec<Node>>,
}

impl DataSource {
    /// Builds a data source from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> DataSource {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let source = reader.string("source", Code::DS001);
        let sourcetype = reader.string("sourcetype", Code::DS001);
        let separator = reader.string("separator", Code::L009);
        let _ = reader.string("configuration", Code::L009);
        let _ = reader.string("example_log", Code::L009);
        let supported_ta = reader.list("supported_TA", Code::DS002);
        let fields = reader.list("fields", Code::DS003);
        let field_mappings = reader.list("field_mappings", Code::DS003);
        let convert_to_log_source = reader.list("convert_to_log_source", Code::DS003);
        finish_top(reader, &meta, "a data source");
        DataSource {
            meta,
            header,
            source,
            sourcetype,
            separator,
            supported_ta,
            fields,
            field_mappings,
            convert_to_log_source,
        }
    }
}
