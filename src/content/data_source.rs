//! The data source model (`data_sources/*.yml`): where events come from (`source`,
//! `sourcetype`), the add-ons that parse them, their corpus `field_mappings`, and detc's own
//! `detc_mapping` (see [`super::mapping`]).

use crate::diagnostic::{Code, Diagnostic};

use super::field::{Field, MapReader, Spanned};
use super::header::{Header, Meta};
use super::mapping::{self, DetcMapping, FieldMapping};
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
    /// `field_mappings`, typed; malformed items are left out (`N012`).
    pub field_mappings: Field<Vec<FieldMapping>>,
    /// `convert_to_log_source`.
    pub convert_to_log_source: Field<Vec<Node>>,
    /// `detc_mapping`, when present and usable (problems are `N0xx` diagnostics).
    pub detc_mapping: Option<DetcMapping>,
}

impl DataSource {
    /// The name as written, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.header.name.as_str()
    }

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
        let field_mappings = match reader.list("field_mappings", Code::DS003) {
            Field::Present(items) => Field::Present(Spanned::new(
                mapping::read_field_mappings(items.value, reader.diagnostics()),
                items.span,
            )),
            Field::Invalid(span) => Field::Invalid(span),
            Field::Missing => Field::Missing,
        };
        let convert_to_log_source = reader.list("convert_to_log_source", Code::DS003);
        let detc_mapping = match reader.any("detc_mapping") {
            Field::Present(node) => mapping::read(&node.value, reader.diagnostics()),
            _ => None,
        };
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
            detc_mapping,
        }
    }
}
