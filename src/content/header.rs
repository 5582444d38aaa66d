//! What every content object shares: where it came from ([`Meta`]), which schema version it
//! follows ([`Format`]), its kind ([`Kind`]) and the common header keys ([`Header`]).

use std::fmt;

use crate::diagnostic::Code;
use crate::source::{FileId, Span};

use super::field::{Field, MapReader, StrList};

/// The kinds of content objects, in contentctl's load order (later kinds resolve names
/// against earlier ones, and "second loaded" in duplicate checks follows this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `deployments/`.
    Deployment,
    /// `lookups/`.
    Lookup,
    /// `macros/` (and the auto-created `<stem>_filter` macros).
    Macro,
    /// `stories/`.
    Story,
    /// `baselines/`.
    Baseline,
    /// `investigations/`.
    Investigation,
    /// `data_sources/`.
    DataSource,
    /// `detections/`.
    Detection,
}

impl Kind {
    /// The word used in messages.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment",
            Kind::Lookup => "lookup",
            Kind::Macro => "macro",
            Kind::Story => "story",
            Kind::Baseline => "baseline",
            Kind::Investigation => "investigation",
            Kind::DataSource => "data source",
            Kind::Detection => "detection",
        }
    }

    /// The longest `name` contentctl accepts for this kind (ES stanza limits, section 2.1).
    #[must_use]
    pub fn max_name_length(self) -> usize {
        match self {
            Kind::Detection | Kind::Baseline | Kind::Investigation => 67,
            _ => 99,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The schema version a file follows, decided per file (content-format.md section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// contentctl 4.x: unknown keys ignored.
    V4,
    /// contentctl 5: `rba:` detections, typed lookups, unknown keys forbidden.
    V5,
}

/// Where an object came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The file.
    pub file: FileId,
    /// Path relative to the content root, `/`-separated (`detections/endpoint/x.yml`).
    pub relative_path: String,
    /// The start of the top-level mapping (its first key): where whole-object problems point.
    pub anchor: Span,
    /// Schema version of this file.
    pub format: Format,
}

impl Meta {
    /// The file's base name (`x.yml`).
    #[must_use]
    pub fn file_name(&self) -> &str {
        self.relative_path
            .rsplit('/')
            .next()
            .unwrap_or(&self.relative_path)
    }

    /// The base name without `.yml`.
    #[must_use]
    pub fn file_stem(&self) -> &str {
        let name = self.file_name();
        name.strip_suffix(".yml").unwrap_or(name)
    }
}

/// The header keys every kind shares (section 2.1). Which are required depends on the kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// `name`.
    pub name: Field<String>,
    /// `id`, as written (checked as a UUID by `G002`).
    pub id: Field<String>,
    /// `version`.
    pub version: Field<i64>,
    /// `date`, as written (checked by `G004`).
    pub date: Field<String>,
    /// `author`.
    pub author: Field<String>,
    /// `description`.
    pub description: Field<String>,
    /// `references`.
    pub references: Field<StrList>,
}

impl Header {
    /// Reads the header keys out of a top-level mapping.
    pub(crate) fn read(reader: &mut MapReader<'_>) -> Header {
        let name = reader.string("name", Code::G001);
        let id = match reader.take("id") {
            None => Field::Missing,
            Some(node) => match node.value {
                super::yaml::Value::Str(value) => {
                    Field::Present(super::field::Spanned::new(value, node.span))
                }
                // An unquoted all-digit id is still text to `uuid.UUID` (and then invalid).
                super::yaml::Value::Int(value) => {
                    Field::Present(super::field::Spanned::new(value.to_string(), node.span))
                }
                _ => {
                    reader.push_wrong_type("id", &node, "a UUID string", Code::G002);
                    Field::Invalid(node.span)
                }
            },
        };
        let version = reader.int("version", Code::G003);
        let date = reader.string("date", Code::G004);
        let author = reader.string("author", Code::G005);
        let description = reader.string("description", Code::G006);
        let references = reader.string_list("references", Code::G007);
        reader.skip("file_path");
        Header {
            name,
            id,
            version,
            date,
            author,
            description,
            references,
        }
    }
}

/// contentctl's `contentNameToFileName` without the `.yml`: the file stem a name implies,
/// also the stem of the detection's filter macro (`<stem>_filter`).
#[must_use]
pub fn name_to_stem(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ' ' | '-' | '.' | '/' => '_',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}
