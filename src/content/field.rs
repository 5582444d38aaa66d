//! Typed fields with spans, and the reader that turns one YAML mapping into them.
//!
//! Every model struct is built by hand from the [`Node`] tree through a [`MapReader`]: each
//! `take_*` call moves one key's value out of the mapping, converts it the way pydantic's lax
//! mode would (contentctl validates with pydantic), and records a wrong type as a diagnostic
//! at that value. A missing key is not reported here: the rule that owns the field does it,
//! so it can use its own code. What the reader does report itself is the set of keys nobody
//! asked for ([`MapReader::finish`]).

use crate::diagnostic::suggest::did_you_mean_name;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::Span;

use super::yaml::{Entry, Node, Value};

/// A value and the span of its source text.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    #[must_use]
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// One field of a model: absent, present but unusable (already reported), or usable.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Field<T> {
    /// The key is absent or its value is `null`.
    #[default]
    Missing,
    /// The value had the wrong type; a diagnostic was already pushed. The span is the value's.
    Invalid(Span),
    /// The value, converted.
    Present(Spanned<T>),
}

impl<T> Field<T> {
    /// The spanned value when present.
    #[must_use]
    pub fn get(&self) -> Option<&Spanned<T>> {
        match self {
            Field::Present(spanned) => Some(spanned),
            _ => None,
        }
    }

    /// The value when present.
    #[must_use]
    pub fn value(&self) -> Option<&T> {
        self.get().map(|spanned| &spanned.value)
    }

    /// The value's span when the key was written (present or invalid).
    #[must_use]
    pub fn span(&self) -> Option<Span> {
        match self {
            Field::Missing => None,
            Field::Invalid(span) => Some(*span),
            Field::Present(spanned) => Some(spanned.span),
        }
    }

    /// Whether the key is absent (or null).
    #[must_use]
    pub fn is_missing(&self) -> bool {
        matches!(self, Field::Missing)
    }
}

impl Field<String> {
    /// The string when present.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        self.value().map(String::as_str)
    }
}

/// A list of spanned strings (`references`, `data_source`, `tags.product`, ...).
pub type StrList = Vec<Spanned<String>>;

/// What to do with keys the schema does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnknownKeys {
    /// contentctl 4.4.1 ignores them: warn (`X015`).
    Warn,
    /// The model forbids them (v5 content, story tags): error with this code.
    Forbid(Code),
}

/// Reads typed fields out of one YAML mapping, reporting wrong types as it goes.
pub(crate) struct MapReader<'a> {
    /// The entries still unclaimed; claimed ones become `None`.
    entries: Vec<Option<Entry>>,
    /// The dotted path of the mapping, for messages (`""` at top level, `"tags."` below).
    prefix: String,
    /// Every key the model asked for, present or not: what an unknown key may be a typo of.
    known: Vec<String>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl<'a> MapReader<'a> {
    /// A reader over `node`; a node that is not a mapping reads as empty (the caller reports it).
    pub(crate) fn new(
        node: Node,
        prefix: impl Into<String>,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> MapReader<'a> {
        let entries = match node.value {
            Value::Map(entries) => entries.into_iter().map(Some).collect(),
            _ => Vec::new(),
        };
        MapReader {
            entries,
            prefix: prefix.into(),
            known: Vec::new(),
            diagnostics,
        }
    }

    /// A reader over a nested mapping, reporting into the same list.
    pub(crate) fn nested(&mut self, node: Node, key: &str) -> MapReader<'_> {
        let prefix = format!("{}{key}.", self.prefix);
        MapReader::new(node, prefix, self.diagnostics)
    }

    /// The list diagnostics go to (for nested models read by their own module).
    pub(crate) fn diagnostics(&mut self) -> &mut Vec<Diagnostic> {
        self.diagnostics
    }

    /// Whether the mapping holds `key` (claimed or not).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries
            .iter()
            .flatten()
            .any(|entry| entry.key.as_str() == Some(key))
    }

    /// Moves out the value of `key` (the last one, as PyYAML keeps the last duplicate).
    /// Earlier duplicates are claimed too, so they are not reported as unknown.
    pub(crate) fn take(&mut self, key: &str) -> Option<Node> {
        self.known.push(key.to_owned());
        let mut found = None;
        for slot in &mut self.entries {
            if slot
                .as_ref()
                .is_some_and(|entry| entry.key.as_str() == Some(key))
            {
                found = slot.take().map(|entry| entry.value);
            }
        }
        found.filter(|node| node.value != Value::Null)
    }

    pub(crate) fn push_wrong_type(
        &mut self,
        key: &str,
        node: &Node,
        expected: &str,
        code: Code,
    ) -> Span {
        self.diagnostics.push(Diagnostic::new(
            code,
            node.span,
            format!(
                "`{}{key}` must be {expected}, found {}",
                self.prefix,
                node.value.type_name()
            ),
        ));
        node.span
    }

    /// A string field. Numbers and booleans are not strings (pydantic v2 does not coerce them).
    pub(crate) fn string(&mut self, key: &str, code: Code) -> Field<String> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        match node.value {
            Value::Str(value) => Field::Present(Spanned::new(value, node.span)),
            _ => Field::Invalid(self.push_wrong_type(key, &node, "a string", code)),
        }
    }

    /// An integer field, converted as pydantic's lax mode does (integral floats, digit strings).
    pub(crate) fn int(&mut self, key: &str, code: Code) -> Field<i64> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        match lax_int(&node.value) {
            Some(value) => Field::Present(Spanned::new(value, node.span)),
            None => Field::Invalid(self.push_wrong_type(key, &node, "an integer", code)),
        }
    }

    /// A boolean field; the strings `'true'`/`'false'` (and pydantic's other spellings) count.
    pub(crate) fn boolean(&mut self, key: &str, code: Code) -> Field<bool> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        match lax_bool(&node.value) {
            Some(value) => Field::Present(Spanned::new(value, node.span)),
            None => Field::Invalid(self.push_wrong_type(key, &node, "a boolean", code)),
        }
    }

    /// A list of strings; a non-list or a non-string item is reported with `code`.
    pub(crate) fn string_list(&mut self, key: &str, code: Code) -> Field<StrList> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        let span = node.span;
        let Value::Seq(items) = node.value else {
            return Field::Invalid(self.push_wrong_type(key, &node, "a list of strings", code));
        };
        let mut values = Vec::with_capacity(items.len());
        let mut is_valid = true;
        for (index, item) in items.into_iter().enumerate() {
            match item.value {
                Value::Str(value) => values.push(Spanned::new(value, item.span)),
                _ => {
                    is_valid = false;
                    self.push_wrong_type(&format!("{key}.{index}"), &item, "a string", code);
                }
            }
        }
        if is_valid {
            Field::Present(Spanned::new(values, span))
        } else {
            Field::Invalid(span)
        }
    }

    /// A list of any values (each item checked by the caller).
    pub(crate) fn list(&mut self, key: &str, code: Code) -> Field<Vec<Node>> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        let span = node.span;
        match node.value {
            Value::Seq(items) => Field::Present(Spanned::new(items, span)),
            _ => Field::Invalid(self.push_wrong_type(key, &node, "a list", code)),
        }
    }

    /// A nested mapping, returned as its node for a nested reader.
    pub(crate) fn mapping(&mut self, key: &str, code: Code) -> Field<Node> {
        let Some(node) = self.take(key) else {
            return Field::Missing;
        };
        if node.as_map().is_some() {
            let span = node.span;
            Field::Present(Spanned::new(node, span))
        } else {
            Field::Invalid(self.push_wrong_type(key, &node, "a mapping", code))
        }
    }

    /// Any value, unconverted (fields whose type the rule checks).
    pub(crate) fn any(&mut self, key: &str) -> Field<Node> {
        match self.take(key) {
            Some(node) => {
                let span = node.span;
                Field::Present(Spanned::new(node, span))
            }
            None => Field::Missing,
        }
    }

    /// Claims `key` without using it (keys the model declares but ignores).
    pub(crate) fn skip(&mut self, key: &str) {
        let _ = self.take(key);
    }

    /// Reports every key nobody claimed, as `policy` says.
    pub(crate) fn finish(self, policy: UnknownKeys, context: &str) {
        for entry in self.entries.into_iter().flatten() {
            let key = match &entry.key.value {
                Value::Str(key) => key.clone(),
                other => format!("<{}>", other.type_name()),
            };
            let meant = did_you_mean_name(&key, self.known.iter().map(String::as_str));
            let diagnostic = match policy {
                UnknownKeys::Warn => Diagnostic::new(
                    Code::X015,
                    entry.key.span,
                    format!("unknown key `{}{key}` in {context} is ignored", self.prefix),
                )
                .with_note("contentctl 4.4.1 ignores keys its model does not declare"),
                UnknownKeys::Forbid(code) => Diagnostic::new(
                    code,
                    entry.key.span,
                    format!("unknown key `{}{key}` in {context}", self.prefix),
                )
                .with_severity(Severity::Error),
            };
            let diagnostic = match meant {
                Some(meant) => {
                    diagnostic.with_help(format!("did you mean `{}{meant}`?", self.prefix))
                }
                None => diagnostic,
            };
            self.diagnostics.push(diagnostic);
        }
    }
}

/// pydantic lax-mode integer conversion.
#[must_use]
pub(crate) fn lax_int(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Float(f) if f.fract() == 0.0 && f.is_finite() && f.abs() < 9.0e15 => {
            // Exact: integral and well inside the i64 range.
            #[allow(
                clippy::cast_possible_truncation,
                reason = "checked integral and in range"
            )]
            Some(*f as i64)
        }
        Value::Str(s) => {
            let trimmed = s.trim();
            let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
                return None;
            }
            trimmed.replace('_', "").parse().ok()
        }
        _ => None,
    }
}

/// pydantic lax-mode boolean conversion (so the corpus's quoted `'false'` is a boolean).
#[must_use]
pub(crate) fn lax_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Int(0) => Some(false),
        Value::Int(1) => Some(true),
        Value::Str(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" | "t" | "y" => Some(true),
            "false" | "no" | "off" | "0" | "f" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_conversions() {
        assert_eq!(lax_int(&Value::Str("12".into())), Some(12));
        assert_eq!(lax_int(&Value::Str("1x".into())), None);
        assert_eq!(lax_int(&Value::Float(3.0)), Some(3));
        assert_eq!(lax_int(&Value::Float(3.5)), None);
        assert_eq!(lax_bool(&Value::Str("false".into())), Some(false));
        assert_eq!(lax_bool(&Value::Str("maybe".into())), None);
    }
}
