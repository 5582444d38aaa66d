//! The lookup model (`lookups/*.yml`) and the data files beside it.
//!
//! v4 lookups name their data with `filename` (CSV or MLTK model) or a KV store
//! `collection`; v5 lookups carry `lookup_type` and find their data file by their own stem.
//! The format is decided per file: `lookup_type` present means v5.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;

use super::field::{Field, MapReader, Spanned, StrList};
use super::header::{Format, Header, Meta};
use super::story::finish_top;
use super::yaml::{Node, Value};

/// One lookup definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    /// Where it came from.
    pub meta: Meta,
    /// Common header (optional keys in v4, required in v5).
    pub header: Header,
    /// v5 `lookup_type`: `csv`, `kvstore` or `mlmodel`.
    pub lookup_type: Field<String>,
    /// v4 `filename`, relative to `lookups/`.
    pub filename: Field<String>,
    /// v4 `collection`.
    pub collection: Field<String>,
    /// v4 `fields_list`.
    pub fields_list: Field<String>,
    /// v5 `fields` (kvstore).
    pub fields: Field<StrList>,
    /// `match_type`: one string in v4 (kept as a one-item list), a list in v5.
    pub match_type: Field<StrList>,
    /// `min_matches`.
    pub min_matches: Field<i64>,
    /// v5 `max_matches`.
    pub max_matches: Field<i64>,
    /// `default_match`.
    pub default_match: Field<bool>,
    /// `case_sensitive_match`.
    pub case_sensitive_match: Field<bool>,
}

/// A file found under `lookups/` that is not a `.yml` (CSV, MLTK model, anything else).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupDataFile {
    /// Path relative to the content root, `/`-separated.
    pub relative_path: String,
    /// The registered text, for `.csv` files that could be read.
    pub file: Option<FileId>,
}

impl LookupDataFile {
    /// The path relative to `lookups/`.
    #[must_use]
    pub fn path_in_lookups(&self) -> &str {
        self.relative_path
            .strip_prefix("lookups/")
            .unwrap_or(&self.relative_path)
    }
}

impl Lookup {
    /// The name, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.header.name.as_str()
    }

    /// Builds a lookup from its top-level mapping.
    pub(crate) fn read(mut meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Lookup {
        let mut reader = MapReader::new(root, "", diagnostics);
        meta.format = if reader.has("lookup_type") {
            Format::V5
        } else {
            Format::V4
        };
        let header = Header::read(&mut reader);
        let lookup_type = reader.string("lookup_type", Code::K001);
        // v5 lookups have no `filename`/`collection`/`fields_list`: left unclaimed, they are
        // reported as unknown keys (errors in v5).
        let (filename, collection, fields_list, fields) = match meta.format {
            Format::V4 => (
                reader.string("filename", Code::K002),
                reader.string("collection", Code::K001),
                reader.string("fields_list", Code::K006),
                Field::Missing,
            ),
            Format::V5 => (
                Field::Missing,
                Field::Missing,
                Field::Missing,
                reader.string_list("fields", Code::K006),
            ),
        };
        let match_type = read_match_type(&mut reader, meta.format);
        let min_matches = reader.int("min_matches", Code::K006);
        let max_matches = if meta.format == Format::V5 {
            reader.int("max_matches", Code::K006)
        } else {
            Field::Missing
        };
        let default_match = reader.boolean("default_match", Code::K006);
        let case_sensitive_match = reader.boolean("case_sensitive_match", Code::K006);
        finish_top(reader, &meta, "a lookup");
        Lookup {
            meta,
            header,
            lookup_type,
            filename,
            collection,
            fields_list,
            fields,
            match_type,
            min_matches,
            max_matches,
            default_match,
            case_sensitive_match,
        }
    }
}

fn read_match_type(reader: &mut MapReader<'_>, format: Format) -> Field<StrList> {
    match format {
        Format::V5 => reader.string_list("match_type", Code::K005),
        Format::V4 => {
            let Some(node) = reader.take("match_type") else {
                return Field::Missing;
            };
            match node.value {
                Value::Str(value) => Field::Present(Spanned::new(
                    vec![Spanned::new(value, node.span)],
                    node.span,
                )),
                _ => {
                    reader.push_wrong_type("match_type", &node, "a string", Code::K005);
                    Field::Invalid(node.span)
                }
            }
        }
    }
}
