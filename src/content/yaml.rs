//! Our small YAML layer: the only file that names serde-saphyr.
//!
//! It parses one document into a [`Node`] tree in which every value, and every mapping key,
//! carries its byte [`Span`] in the file. The content model is built from this tree by hand
//! (not by serde derive) so that one file can report many problems, each at its own value:
//! wrong types, unknown keys and missing keys are diagnostics, not the first serde error.
//!
//! Duplicate keys are kept in the tree (the mapping is a list of entries) so that the loader
//! can report them; PyYAML, which contentctl uses, silently keeps the last one.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Options, Spanned};

use super::scalar;
use crate::source::{FileId, Span};

/// A YAML value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value starts and ends in its file.
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// The shapes a YAML value can take.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (quoted, plain or block scalar).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order, duplicates kept.
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key (usually a string).
    pub key: Node,
    /// The value.
    pub value: Node,
}

impl Value {
    /// A word for the value's type, for messages.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The string, if this is a string scalar.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    #[must_use]
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    #[must_use]
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The last entry whose key is the string `key` (last, as PyYAML keeps the last duplicate).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .rev()
            .find(|entry| entry.key.as_str() == Some(key))
    }

    /// The value under `key`, if this is a mapping holding it.
    #[must_use]
    pub fn value_of(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|entry| &entry.value)
    }
}

/// A YAML syntax error with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped (empty span at the offending byte when known).
    pub span: Span,
    /// The parser's message, without location text.
    pub message: String,
}

/// What [`parse`] found in a file.
#[derive(Debug)]
pub enum Parsed {
    /// Exactly one document.
    Document(Node),
    /// No document at all (empty, or only comments).
    Empty,
    /// More than one document; the first is kept and the span is the second's start.
    MultipleDocuments(Node, Span),
}

/// Parses `text`, the content of `file`, into a [`Node`] tree.
///
/// # Errors
/// Returns the first YAML syntax error, with its position.
pub fn parse(file: FileId, text: &str) -> Result<Parsed, SyntaxError> {
    let mut options = Options::default();
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    let documents: Vec<Option<Spanned<RawNode>>> =
        serde_saphyr::from_multiple_with_options(text, options)
            .map_err(|error| syntax_error(file, text, &error))?;
    let mut documents = documents.into_iter().flatten();
    let Some(first) = documents.next() else {
        return Ok(Parsed::Empty);
    };
    let first = first_node(file, text, first);
    match documents.next() {
        None => Ok(Parsed::Document(first)),
        Some(second) => {
            let second = first_node(file, text, second);
            Ok(Parsed::MultipleDocuments(
                first,
                Span::new(file, second.span.start as usize, second.span.start as usize),
            ))
        }
    }
}

fn first_node(file: FileId, text: &str, raw: Spanned<RawNode>) -> Node {
    convert(file, text, raw)
}

fn syntax_error(file: FileId, text: &str, error: &serde_saphyr::Error) -> SyntaxError {
    let offset = error
        .location()
        .and_then(|location| {
            offset_of(
                text,
                location.line(),
                location.column(),
                location.span().byte_offset(),
            )
        })
        .unwrap_or(0);
    let message = error.to_string();
    // The library appends its own location text; ours comes from the span instead.
    let message = message.lines().next().unwrap_or("invalid YAML").trim();
    let message = strip_location_prefix(message).to_string();
    SyntaxError {
        span: Span::new(file, offset, offset),
        message,
    }
}

/// Drops a leading `error: line N column M: ` the library puts before its message.
fn strip_location_prefix(message: &str) -> &str {
    let rest = message.strip_prefix("error: ").unwrap_or(message);
    let Some(after_line) = rest.strip_prefix("line ") else {
        return rest;
    };
    match after_line.split_once(": ") {
        Some((location, tail))
            if location
                .split(' ')
                .all(|word| word == "column" || word.bytes().all(|b| b.is_ascii_digit())) =>
        {
            tail
        }
        _ => rest,
    }
}

/// Byte offset of a 1-based line and character column (or the byte offset when known).
fn offset_of(text: &str, line: u64, column: u64, byte_offset: Option<u64>) -> Option<usize> {
    if let Some(byte) = byte_offset.and_then(|b| usize::try_from(b).ok())
        && text.is_char_boundary(byte.min(text.len()))
    {
        return Some(byte.min(text.len()));
    }
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let column = usize::try_from(column).ok()?.saturating_sub(1);
    let line_start = if line == 0 {
        0
    } else {
        text.match_indices('\n').nth(line - 1).map(|(i, _)| i + 1)?
    };
    let rest = text.get(line_start..)?;
    Some(
        line_start
            + rest
                .char_indices()
                .nth(column)
                .map_or(rest.len(), |(i, _)| i),
    )
}

/// The tree as serde-saphyr hands it over: spans still in the library's form.
#[derive(Debug)]
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

fn convert(file: FileId, text: &str, raw: Spanned<RawNode>) -> Node {
    let location = &raw.referenced;
    let start = offset_of(
        text,
        location.line(),
        location.column(),
        location.span().byte_offset(),
    )
    .unwrap_or(0);
    let parser_len = location.span().byte_len();
    let value = match raw.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|item| convert(file, text, item))
                .collect(),
        ),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: convert(file, text, key),
                    value: convert(file, text, value),
                })
                .collect(),
        ),
    };
    // The parser places a block sequence at its first item's content; we show it at the
    // item's `-`, where the sequence really starts.
    let start = match &value {
        Value::Seq(_) => block_sequence_start(text, start),
        _ => start,
    };
    // Collections are shown by their first character, the smallest span that names them.
    let end = match &value {
        Value::Seq(_) | Value::Map(_) => start,
        // The parser knows each scalar's source length; a plain scalar's may include the
        // line break after it, which is not part of the value. Re-walking the source
        // (`string_source_end`) is the fallback, and costs a pass over every string.
        Value::Str(s) => parser_end(text, start, parser_len)
            .unwrap_or_else(|| scalar::string_source_end(text, start, s)),
        _ => parser_end(text, start, parser_len).unwrap_or_else(|| scalar::token_end(text, start)),
    };
    Node {
        span: Span::new(file, start, end),
        value,
    }
}

/// `start + len` from the parser, without trailing line breaks and blanks.
fn parser_end(text: &str, start: usize, len: Option<u64>) -> Option<usize> {
    let len = usize::try_from(len?).ok().filter(|len| *len > 0)?;
    let source = text.get(start..start.checked_add(len)?)?;
    Some(start + source.trim_end_matches(['\n', '\r', ' ', '\t']).len())
}

/// The offset of the `-` that opens a block sequence whose first item starts at `start`.
fn block_sequence_start(text: &str, start: usize) -> usize {
    let Some(before) = text.get(..start) else {
        return start;
    };
    if text.get(start..).is_some_and(|rest| rest.starts_with('[')) {
        return start;
    }
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix('-') {
        Some(head) if trimmed.len() < before.len() => head.len(),
        _ => start,
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawNode, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Str(v.to_string()), RawNode::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Str(v.to_string()), RawNode::Int))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Str(v.to_string()), RawNode::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawNode, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawNode>>()? {
            let value = map.next_value::<Spanned<RawNode>>()?;
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod yaml11_tests {
    use super::*;

    fn value_of(text: &str, key: &str) -> Value {
        let source = {
            let mut map = crate::source::SourceMap::new();
            map.add("t.yml".into(), text.to_string())
        };
        let Ok(Parsed::Document(node)) = parse(source, text) else {
            panic!("parse failed");
        };
        node.value_of(key).unwrap().value.clone()
    }

    #[test]
    fn scalars_resolve_like_pyyaml_where_it_matters() {
        // Unquoted dates stay text (PyYAML makes a date; both validate the same way).
        assert_eq!(
            value_of("date: 2024-10-17\n", "date"),
            Value::Str("2024-10-17".into())
        );
        assert_eq!(value_of("a: no\n", "a"), Value::Bool(false));
        assert_eq!(value_of("a: 'false'\n", "a"), Value::Str("false".into()));
        assert_eq!(value_of("a: 12\n", "a"), Value::Int(12));
        assert_eq!(value_of("a: ~\n", "a"), Value::Null);
    }
}
