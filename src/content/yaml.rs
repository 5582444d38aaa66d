//! Our small YAML layer: the only file that names a YAML library (`granit-parser`, the
//! event parser under serde-saphyr).
//!
//! It parses one document into a [`Node`] tree in which every value, and every mapping key,
//! carries its byte [`Span`] in the file. The content model is built from this tree by hand
//! (not by serde derive) so that one file can report many problems, each at its own value:
//! wrong types, unknown keys and missing keys are diagnostics, not the first serde error.
//!
//! We build the tree straight from parser events rather than through serde: the serde route
//! wraps every node in a span-carrying map and allocates twice per node, which cost more than
//! the parsing itself on the corpus. Plain scalars are resolved as PyYAML (YAML 1.1, what
//! contentctl uses) resolves them: `yes`/`no`/`on`/`off` are booleans, `0x1f`/`017` integers,
//! `1.5` a float; unquoted dates stay text (PyYAML makes a date; both validate the same).
//!
//! Duplicate keys are kept in the tree (the mapping is a list of entries) so that the loader
//! can report them; PyYAML, which contentctl uses, silently keeps the last one.

use std::borrow::Cow;
use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, ScanError};

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
    let mut builder = Builder::new(file, text);
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|error| syntax_error(file, text, &error))?;
        builder.event(event, span)?;
        if builder.documents.len() > 1 {
            break;
        }
    }
    let mut documents = builder.documents.into_iter();
    let Some(first) = documents.next() else {
        return Ok(Parsed::Empty);
    };
    Ok(match documents.next() {
        None => Parsed::Document(first),
        Some(second) => Parsed::MultipleDocuments(
            first,
            Span::new(file, second.span.start as usize, second.span.start as usize),
        ),
    })
}

/// Most nodes one file may produce through aliases (each alias copies its anchor's tree);
/// guards against "billion laughs" documents.
const MAX_NODES: usize = 1_000_000;

/// A collection being built.
enum Open {
    Seq(Span, Vec<Node>, usize),
    /// Entries so far, and a key waiting for its value.
    Map(Span, Vec<Entry>, Option<Node>, usize),
}

/// Turns parser events into [`Node`] trees, one per non-empty document, without recursion.
struct Builder<'t> {
    file: FileId,
    text: &'t str,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    documents: Vec<Node>,
    nodes: usize,
}

impl<'t> Builder<'t> {
    fn new(file: FileId, text: &'t str) -> Builder<'t> {
        Builder {
            file,
            text,
            stack: Vec::new(),
            anchors: HashMap::new(),
            documents: Vec::new(),
            nodes: 0,
        }
    }

    fn offset(&self, marker: &granit_parser::Marker) -> usize {
        marker
            .byte_offset()
            .unwrap_or_else(|| char_to_byte(self.text, marker.index()))
    }

    fn event(&mut self, event: Event<'_>, span: granit_parser::Span) -> Result<(), SyntaxError> {
        let start = self.offset(&span.start);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let end = self.offset(&span.end).max(start);
                let is_str_tag = tag.as_ref().is_some_and(|tag| tag.suffix() == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(value)
                } else {
                    Value::Str(value.into_owned())
                };
                let end = scalar_end(self.text, start, end);
                let node = Node {
                    span: Span::new(self.file, start, end),
                    value,
                };
                self.finish(node, anchor)?;
            }
            Event::SequenceStart(_, anchor, _) => {
                let start = block_sequence_start(self.text, start);
                self.stack.push(Open::Seq(
                    Span::new(self.file, start, start),
                    Vec::new(),
                    anchor,
                ));
            }
            Event::MappingStart(_, anchor, _) => {
                self.stack.push(Open::Map(
                    Span::new(self.file, start, start),
                    Vec::new(),
                    None,
                    anchor,
                ));
            }
            Event::SequenceEnd => {
                if let Some(Open::Seq(span, items, anchor)) = self.stack.pop() {
                    self.finish(
                        Node {
                            span,
                            value: Value::Seq(items),
                        },
                        anchor,
                    )?;
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Map(span, entries, _, anchor)) = self.stack.pop() {
                    self.finish(
                        Node {
                            span,
                            value: Value::Map(entries),
                        },
                        anchor,
                    )?;
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    span: Span::new(self.file, start, start),
                    value: Value::Null,
                });
                self.nodes = self.nodes.saturating_add(count_nodes(&node));
                if self.nodes > MAX_NODES {
                    return Err(SyntaxError {
                        span: Span::new(self.file, start, start),
                        message: "aliases expand to too many nodes".to_string(),
                    });
                }
                self.finish(node, 0)?;
            }
            Event::DocumentStart(..) => self.anchors.clear(),
            _ => {}
        }
        Ok(())
    }

    /// Places a completed node into its parent, or records it as a document.
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(1);
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                // An empty document (`---` alone) is no document, as for PyYAML's `None`.
                if node.value != Value::Null {
                    self.documents.push(node);
                }
            }
            Some(Open::Seq(_, items, _)) => items.push(node),
            Some(Open::Map(_, entries, pending, _)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push(Entry { key, value: node }),
            },
        }
        Ok(())
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        count += 1;
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => {
                for entry in entries {
                    stack.push(&entry.key);
                    stack.push(&entry.value);
                }
            }
            _ => {}
        }
    }
    count
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// The end of a scalar's source: the parser's end without trailing line breaks and blanks
/// (a plain scalar's range may include the break after it).
fn scalar_end(text: &str, start: usize, end: usize) -> usize {
    text.get(start..end).map_or(end, |source| {
        start + source.trim_end_matches(['\n', '\r', ' ', '\t']).len()
    })
}

/// PyYAML's implicit resolution of a plain scalar (YAML 1.1).
fn resolve_plain(text: Cow<'_, str>) -> Value {
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    if let Some(int) = resolve_int(&text) {
        return match int {
            Some(value) => Value::Int(value),
            None => Value::Str(text.into_owned()),
        };
    }
    if let Some(float) = resolve_float(&text) {
        return Value::Float(float);
    }
    Value::Str(text.into_owned())
}

/// `Some(Some(n))` for a YAML 1.1 integer, `Some(None)` for one that overflows `i64` (kept as
/// text), `None` for anything else.
fn resolve_int(text: &str) -> Option<Option<i64>> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let digits = |s: &str, radix: u32| -> Option<Option<i64>> {
        let cleaned: String = s.chars().filter(|&c| c != '_').collect();
        if cleaned.is_empty() || !s.chars().all(|c| c == '_' || c.is_digit(radix)) {
            return None;
        }
        let value = i64::from_str_radix(&cleaned, radix).ok();
        Some(value.map(|v| if negative { -v } else { v }))
    };
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, 16);
    }
    if let Some(binary) = body.strip_prefix("0b") {
        return digits(binary, 2);
    }
    if body.len() > 1
        && let Some(octal) = body.strip_prefix('0')
    {
        return digits(octal, 8);
    }
    if body.contains(':') {
        // Sexagesimal: `1:30` is 90.
        let mut total: i64 = 0;
        for (index, part) in body.split(':').enumerate() {
            let is_digits =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b == b'_');
            let first_ok = index > 0 || !part.starts_with('0');
            if !is_digits || !first_ok || (index > 0 && part.len() > 2) {
                return None;
            }
            let value: i64 = part.replace('_', "").parse().ok()?;
            if index > 0 && value > 59 {
                return None;
            }
            total = total.checked_mul(60)?.checked_add(value)?;
        }
        return Some(Some(if negative { -total } else { total }));
    }
    if body.starts_with('_') {
        return None;
    }
    digits(body, 10)
}

/// A YAML 1.1 float: a dot is required (`1e5` is text), exponents carry a sign.
fn resolve_float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    match body {
        ".inf" | ".Inf" | ".INF" => {
            return Some(if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.')?;
    let is_whole_ok = whole.is_empty()
        || (whole.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && whole.as_bytes().first().is_some_and(u8::is_ascii_digit));
    let is_fraction_ok = fraction.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && (!whole.is_empty() || fraction.as_bytes().first().is_some_and(u8::is_ascii_digit));
    let is_exponent_ok = exponent.is_none_or(|e| {
        e.len() > 1 && e.starts_with(['-', '+']) && e.bytes().skip(1).all(|b| b.is_ascii_digit())
    });
    if !(is_whole_ok && is_fraction_ok && is_exponent_ok) {
        return None;
    }
    text.replace('_', "").parse().ok()
}

fn syntax_error(file: FileId, text: &str, error: &ScanError) -> SyntaxError {
    let marker = error.marker();
    let offset = marker
        .byte_offset()
        .unwrap_or_else(|| char_to_byte(text, marker.index()))
        .min(text.len());
    let message = error.info();
    let message = message.lines().next().unwrap_or("invalid YAML").trim();
    SyntaxError {
        span: Span::new(file, offset, offset),
        message: if message.is_empty() {
            "invalid YAML".to_string()
        } else {
            message.to_string()
        },
    }
}

/// The offset of the `-` that opens a block sequence whose first item starts at `start`.
fn block_sequence_start(text: &str, start: usize) -> usize {
    let Some(before) = text.get(..start) else {
        return start;
    };
    if text
        .get(start..)
        .is_some_and(|rest| rest.starts_with(['[', '-']))
    {
        return start;
    }
    let trimmed = before.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix('-') {
        Some(head) if trimmed.len() < before.len() => head.len(),
        _ => start,
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

    #[test]
    fn plain_scalar_resolution_follows_yaml_1_1() {
        let resolve = |text: &str| resolve_plain(Cow::Borrowed(text));
        assert_eq!(resolve("0x1f"), Value::Int(31));
        assert_eq!(resolve("017"), Value::Int(15));
        assert_eq!(resolve("1_000"), Value::Int(1000));
        assert_eq!(resolve("1:30"), Value::Int(90));
        assert_eq!(resolve("-7"), Value::Int(-7));
        assert_eq!(resolve("1.5"), Value::Float(1.5));
        assert_eq!(resolve("1e5"), Value::Str("1e5".into()));
        assert_eq!(resolve("1.0e+5"), Value::Float(100_000.0));
        assert_eq!(resolve("On"), Value::Bool(true));
        assert_eq!(resolve("T1560.001"), Value::Str("T1560.001".into()));
        assert_eq!(
            resolve("99999999999999999999"),
            Value::Str("99999999999999999999".into())
        );
        assert_eq!(resolve("4.0.0"), Value::Str("4.0.0".into()));
    }

    #[test]
    fn structure_errors_and_documents() {
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), String::new());
        assert!(matches!(parse(file, ""), Ok(Parsed::Empty)));
        assert!(matches!(parse(file, "# c\n"), Ok(Parsed::Empty)));
        assert!(matches!(
            parse(file, "a: 1\n---\nb: 2\n"),
            Ok(Parsed::MultipleDocuments(..))
        ));
        let error = parse(file, "a: [1\nb: 2\n").unwrap_err();
        assert!(!error.message.is_empty());
        // Aliases copy their anchor's tree.
        let Ok(Parsed::Document(node)) = parse(file, "a: &x [1, 2]\nb: *x\n") else {
            panic!("parse failed");
        };
        assert_eq!(node.value_of("b").unwrap().as_seq().unwrap().len(), 2);
        // Duplicate keys are kept, in order.
        let Ok(Parsed::Document(node)) = parse(file, "a: 1\na: 2\n") else {
            panic!("parse failed");
        };
        assert_eq!(node.as_map().unwrap().len(), 2);
        assert_eq!(node.value_of("a").unwrap().value, Value::Int(2));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), String::new());
        let deep = format!("a: {}", "[".repeat(100_000));
        assert!(parse(file, &deep).is_err());
    }
}
