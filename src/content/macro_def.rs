//! The macro model (`macros/*.yml`): a name (no `(n)` arity suffix), a `definition`, and
//! optional `arguments`. The SPL compile step reads these plain fields.

use crate::diagnostic::{Code, Diagnostic};

use super::field::{Field, MapReader, StrList};
use super::header::{Header, Meta};
use super::story::finish_top;
use super::yaml::Node;

/// One macro file.
#[derive(Clone, Debug, PartialEq)]
pub struct Macro {
    /// Where it came from.
    pub meta: Meta,
    /// Common header (`id`, `date`, `author`, `version` optional).
    pub header: Header,
    /// `definition`, with its span.
    pub definition: Field<String>,
    /// `arguments`.
    pub arguments: Field<StrList>,
}

impl Macro {
    /// The name, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.header.name.as_str()
    }

    /// The argument names (empty when absent).
    #[must_use]
    pub fn argument_names(&self) -> Vec<&str> {
        self.arguments
            .value()
            .map(|items| items.iter().map(|item| item.value.as_str()).collect())
            .unwrap_or_default()
    }

    /// Builds a macro from its top-level mapping.
    pub(crate) fn read(meta: Meta, root: Node, diagnostics: &mut Vec<Diagnostic>) -> Macro {
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let definition = reader.string("definition", Code::M001);
        let arguments = reader.string_list("arguments", Code::M003);
        finish_top(reader, &meta, "a macro");
        Macro {
            meta,
            header,
            definition,
            arguments,
        }
    }
}
