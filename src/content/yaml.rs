//! Our small YAML layer: the only file that names a YAML library, serde-saphyr.
//!
//! It parses one document into a [`Node`] tree in which every value, and every mapping key,
//! carries its byte [`Span`] in the file. The content model is built from this tree by hand
//! (not by serde derive) so that one file can report many problems, each at its own value:
//! wrong types, unknown keys and missing keys are diagnostics, not the first serde error.
//!
//! The tree comes from serde-saphyr's serde route: every node is read as
//! `serde_saphyr::Spanned<RawNode>`, whose location gives the node's byte range. Plain scalars
//! are then resolved as PyYAML (YAML 1.1, what contentctl uses) resolves them, not as
//! serde-saphyr does (the rules are in [`super::yaml11`]; unquoted dates stay text where PyYAML
//! makes a date, and both validate the same). Quoted and block scalars, and `!!str`-tagged
//! ones, stay strings.
//!
//! Duplicate keys are kept in the tree (the mapping is a list of entries) so that the loader
//! can report them; PyYAML, which contentctl uses, silently keeps the last one.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{
    Budget, DefaultMessageFormatter, DuplicateKeyPolicy, MergeKeyPolicy, MessageFormatter,
    NonFiniteFloatPolicy, Options, Spanned,
};

use super::scalar::{self, ScalarStyle};
use super::yaml11::resolve_plain;
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
    /// What to do about it, when we can tell more than the parser.
    pub help: Option<String>,
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
    let documents: Vec<Option<Spanned<RawNode>>> =
        serde_saphyr::from_multiple_with_options(text, options())
            .map_err(|error| syntax_error(file, text, &error))?;
    // An empty document (`---` alone, or `~`) is no document, as for PyYAML's `None`.
    let mut documents = documents.into_iter().flatten();
    let Some(first) = documents.next() else {
        return Ok(Parsed::Empty);
    };
    let first = convert(file, text, first);
    Ok(match documents.next() {
        None => Parsed::Document(first),
        Some(second) => {
            let start = node_start(text, &second);
            Parsed::MultipleDocuments(first, Span::new(file, start, start))
        }
    })
}

/// Deepest nesting of collections one file may have. serde's route recurses once per level
/// through several of serde-saphyr's frames, about 45 KiB a level in a debug build, so this
/// limit keeps a 2 MiB thread stack safe in every build (granit-parser alone allows 255).
/// Detection files nest about 6 deep.
const MAX_DEPTH: usize = 32;

/// Most nodes one file may have (the parser events allowed are twice this); with
/// serde-saphyr's own cap on events replayed through aliases (1,000,000), this guards against
/// "billion laughs" documents.
const MAX_NODES: usize = 1_000_000;

/// serde-saphyr's options for our tree: every key kept, `<<` an ordinary key (as PyYAML's
/// loader sees it in contentctl's files), non-finite floats passed through (we resolve them
/// ourselves), no snippet rendering (we render our own).
fn options() -> Options {
    let mut options = Options::default();
    options.budget = Some(budget());
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.merge_keys = MergeKeyPolicy::AsOrdinary;
    options.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    // `!!binary` text stays as written (PyYAML would make bytes; no content field takes any).
    options.ignore_binary_tag_for_string = true;
    options.with_snippet = false;
    options
}

/// The parser's limits: ours for depth and size, serde-saphyr's defaults for the rest.
fn budget() -> Budget {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_NODES.saturating_mul(2);
    // Aliases are bounded by the node and replay caps; the ratio heuristic would reject a
    // file that merely uses one anchor many times.
    budget.enforce_alias_anchor_ratio = false;
    budget
}

/// A limit of [`budget`] that a file broke, in words, with the limit.
fn budget_message(breach: &BudgetBreach) -> String {
    let limits = budget();
    let what = match breach {
        BudgetBreach::Depth { .. } => {
            return format!("collections nest deeper than {MAX_DEPTH} levels");
        }
        BudgetBreach::Nodes { .. } => format!(
            "more than {} YAML nodes (keys, values and collections, each alias use counted again)",
            limits.max_nodes
        ),
        BudgetBreach::Events { .. } => format!("more than {} parser events", limits.max_events),
        BudgetBreach::Aliases { .. } => format!("more than {} aliases", limits.max_aliases),
        BudgetBreach::Anchors { .. } => format!("more than {} anchors", limits.max_anchors),
        BudgetBreach::Documents { .. } => format!("more than {} documents", limits.max_documents),
        BudgetBreach::ScalarBytes { .. } => format!(
            "more than {} bytes of scalar text",
            limits.max_total_scalar_bytes
        ),
        BudgetBreach::RecordedAnchorEvents { .. } => format!(
            "more than {} nodes copied through aliases",
            limits.max_recorded_anchor_events
        ),
        BudgetBreach::MergeKeys { .. } => format!("more than {} `<<` keys", limits.max_merge_keys),
        BudgetBreach::InputBytes { .. } => match limits.max_reader_input_bytes {
            Some(limit) => format!("more than {limit} bytes"),
            None => "too many bytes".to_owned(),
        },
        _ => "more than the YAML parser's safety limits allow".to_owned(),
    };
    format!(
        "the file holds {what}, the most one file may hold: these limits stop alias bombs; \
         split the file or remove repeated aliases"
    )
}

/// The error under serde-saphyr's alias and snippet wrappers.
fn innermost(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error: inner, .. }
    | serde_saphyr::Error::WithSnippet { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

fn syntax_error(file: FileId, text: &str, error: &serde_saphyr::Error) -> SyntaxError {
    let offset = error
        .location()
        .and_then(|location| location_offset(text, &location))
        .unwrap_or(0);
    // The formatter gives the message without the "at line N, column M" the library's
    // `Display` appends; our position comes from the span. Control characters (the message
    // may quote the input) are dropped, as the library's own renderer does.
    let message = match innermost(error) {
        serde_saphyr::Error::Budget { breach, .. } => Cow::Owned(budget_message(breach)),
        _ => DefaultMessageFormatter.format_message(error),
    };
    let message = message.lines().next().unwrap_or_default().trim();
    let message: String = message.chars().filter(|c| !c.is_control()).collect();
    if let Some(tab) = indentation_tab(text, offset, &message) {
        return SyntaxError {
            span: Span::new(file, tab, tab + 1),
            message: "a tab in indentation: YAML forbids tabs for indentation".to_string(),
            help: Some("indent with spaces".to_string()),
        };
    }
    let help = message.contains("did not find expected key").then(|| {
        "check the indentation of this line and of the lines above it: the keys of one \
         mapping must start in the same column, and a more indented line must follow a key \
         that ends with `:`"
            .to_string()
    });
    SyntaxError {
        span: Span::new(file, offset, offset),
        message: if message.is_empty() {
            "invalid YAML".to_string()
        } else {
            message
        },
        help,
    }
}

/// The offset of a tab in the indentation of the error's line or the next one, or (when the
/// parser's message names a tab) of the two after it: the scanner reports a tab-indented
/// line at the end of the line before it.
fn indentation_tab(text: &str, offset: usize, message: &str) -> Option<usize> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |at| at + 1);
    let names_tab = message.to_lowercase().contains("tab");
    let mut start = line_start;
    for index in 0.. {
        if index >= if names_tab { 3 } else { 2 } {
            return None;
        }
        let rest = text.get(start..)?;
        let line = rest.split('\n').next().unwrap_or(rest);
        let indentation = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line.get(..indentation).and_then(|indent| indent.find('\t')) {
            return Some(start + tab);
        }
        start += line.len() + 1;
        if start > text.len() {
            return None;
        }
    }
    None
}

/// The byte offset of a location: its byte offset when known (always, for string input),
/// else from its 1-based line and character column.
fn location_offset(text: &str, location: &serde_saphyr::Location) -> Option<usize> {
    if let Some(byte) = location
        .span()
        .byte_offset()
        .and_then(|b| usize::try_from(b).ok())
    {
        let byte = byte.min(text.len());
        if text.is_char_boundary(byte) {
            return Some(byte);
        }
    }
    let line = usize::try_from(location.line()).ok()?.checked_sub(1)?;
    let column = usize::try_from(location.column()).ok()?.saturating_sub(1);
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

/// The tree as serde-saphyr hands it over, spans still in the library's form. Scalars that
/// serde-saphyr typed (null, boolean, number) are resolved again from their source in
/// [`resolve_scalar`], so their typed value is not kept.
#[derive(Debug)]
enum RawNode {
    /// A scalar serde-saphyr did not read as a string.
    Typed,
    /// A scalar serde-saphyr read as a string: its decoded value, and whether the parser
    /// handed it over as a slice of the input (a one-line plain or simple quoted scalar) rather
    /// than a string it built (folded, escaped or block scalars).
    Str(String, bool),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

/// Where a node starts: its definition site (for an alias, the anchored node it copies).
fn node_start(text: &str, raw: &Spanned<RawNode>) -> usize {
    location_offset(text, &raw.defined).unwrap_or(0)
}

/// Builds our [`Node`] from serde-saphyr's tree. Recursion is bounded by [`MAX_DEPTH`],
/// which serde-saphyr enforces while parsing.
fn convert(file: FileId, text: &str, raw: Spanned<RawNode>) -> Node {
    let start = node_start(text, &raw);
    let parser_len = raw
        .defined
        .span()
        .byte_len()
        .and_then(|len| usize::try_from(len).ok())
        .unwrap_or(0);
    let parser_end = start.saturating_add(parser_len).min(text.len());
    let (value, span) = match raw.value {
        RawNode::Seq(items) => {
            // The parser places a block sequence at its first item's content; we show it at
            // the item's `-`, where the sequence really starts. Collections are shown by their
            // first character, the smallest span that names them.
            let start = block_sequence_start(text, start);
            let items = items
                .into_iter()
                .map(|item| convert(file, text, item))
                .collect();
            (Value::Seq(items), Span::new(file, start, start))
        }
        RawNode::Map(entries) => {
            let entries = entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: convert(file, text, key),
                    value: convert(file, text, value),
                })
                .collect();
            (Value::Map(entries), Span::new(file, start, start))
        }
        scalar => {
            let end = scalar_end(text, start, parser_end.max(start));
            (
                resolve_scalar(text, start, end, scalar),
                Span::new(file, start, end),
            )
        }
    };
    Node { span, value }
}

/// The PyYAML value of the scalar serde-saphyr read as `raw`, whose source is `start..end`.
///
/// A quoted or block scalar, or one tagged `!!str`, is a string whatever serde-saphyr made of
/// it. A plain scalar is resolved by [`resolve_plain`]: from serde-saphyr's string when it kept
/// one (the folded value, as PyYAML resolves it), else from its source text, which for a plain
/// scalar that serde-saphyr typed is its value (such scalars are single tokens).
///
/// serde-saphyr does not say a scalar's style, so it is read from the source: quotes are at
/// `start`; a block scalar's span starts at its content, so its `|`/`>` header is looked for on
/// the line before, but only for strings the parser built (a one-line plain scalar comes as a
/// slice of the input), so that `a: |` with empty content cannot make the next key a string.
fn resolve_scalar(text: &str, start: usize, end: usize, raw: RawNode) -> Value {
    let is_plain = scalar::style_at(text, start) == ScalarStyle::Plain;
    match raw {
        RawNode::Str(s, _) if !is_plain || has_str_tag(text, start) => Value::Str(s),
        RawNode::Str(s, false) if follows_block_header(text, start) => Value::Str(s),
        RawNode::Str(s, _) => resolve_plain(Cow::Owned(s)),
        // Only a tag (`!!int "5"`) makes serde-saphyr type a quoted scalar; PyYAML's loader
        // as contentctl runs it, and our tree, keep the quoted text.
        _ if !is_plain => Value::Str(unquoted(text.get(start..end).unwrap_or("")).to_string()),
        _ => resolve_plain(Cow::Borrowed(text.get(start..end).unwrap_or(""))),
    }
}

/// Whether `start` begins a line whose closest non-blank line before it ends with a block
/// scalar header (`|`, `>-`, `|2+`, ...), comments aside.
fn follows_block_header(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let mut rest = before.trim_end_matches([' ', '\t']);
    if !rest.ends_with('\n') {
        return false;
    }
    loop {
        let trimmed = rest.trim_end_matches(['\n', '\r']);
        let line_start = trimmed.rfind('\n').map_or(0, |at| at + 1);
        let line = trimmed.get(line_start..).unwrap_or("");
        if !line.trim().is_empty() {
            return is_block_header(line);
        }
        if line_start == 0 {
            return false;
        }
        rest = trimmed.get(..line_start).unwrap_or("");
    }
}

/// Whether `line` ends with a block scalar indicator token, before an optional comment.
fn is_block_header(line: &str) -> bool {
    let ends_with_indicator = |line: &str| {
        line.split_whitespace().next_back().is_some_and(|token| {
            let mut chars = token.chars();
            chars.next().is_some_and(|c| c == '|' || c == '>')
                && token.len() <= 3
                && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit())
        })
    };
    ends_with_indicator(line)
        || line
            .match_indices(" #")
            .any(|(at, _)| line.get(..at).is_some_and(ends_with_indicator))
}

/// The text between a quoted scalar's quotes (escapes left as written).
fn unquoted(source: &str) -> &str {
    source
        .strip_prefix(['\'', '"'])
        .and_then(|inner| inner.strip_suffix(['\'', '"']))
        .unwrap_or(source)
}

/// Whether the scalar at `start` is preceded by a `str` tag (`!!str`, `!str`,
/// `!<tag:yaml.org,2002:str>`), which keeps a plain scalar a string.
fn has_str_tag(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let before = before.trim_end_matches([' ', '\t']);
    let token_start = before
        .rfind([' ', '\t', '\n', '\r', '[', '{', ','])
        .map_or(0, |at| at + 1);
    let Some(token) = before.get(token_start..) else {
        return false;
    };
    token.starts_with('!') && (token.ends_with("!str") || token.ends_with(":str>"))
}

/// The end of a scalar's source: the parser's end without trailing line breaks and blanks
/// (a plain scalar's range may include the break after it).
fn scalar_end(text: &str, start: usize, end: usize) -> usize {
    text.get(start..end).map_or(end, |source| {
        start + source.trim_end_matches(['\n', '\r', ' ', '\t']).len()
    })
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

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string(), true))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string(), true))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v, false))
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
    }

    fn visit_none<E: de::Error>(self) -> Result<RawNode, E> {
        Ok(RawNode::Typed)
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

    fn parse_one(text: &str) -> Node {
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), text.to_string());
        let Ok(Parsed::Document(node)) = parse(file, text) else {
            panic!("parse failed: {text:?}");
        };
        node
    }

    fn source<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.start as usize..node.span.end as usize]
    }

    #[test]
    fn serde_saphyr_scalars_are_resolved_again_as_yaml_1_1() {
        // serde-saphyr types these differently (or not at all); our tree follows PyYAML.
        let cases = [
            ("0x1f", Value::Int(31)),
            ("017", Value::Int(15)),
            ("1_000", Value::Int(1000)),
            ("1:30", Value::Int(90)),
            ("1e5", Value::Str("1e5".into())),
            ("0o17", Value::Str("0o17".into())),
            (
                "99999999999999999999",
                Value::Str("99999999999999999999".into()),
            ),
            ("-.inf", Value::Float(f64::NEG_INFINITY)),
            ("off", Value::Bool(false)),
            ("\"yes\"", Value::Str("yes".into())),
            ("'017'", Value::Str("017".into())),
            ("!!str 12", Value::Str("12".into())),
            ("!!int \"5\"", Value::Str("5".into())),
            ("!!binary aGk=", Value::Str("aGk=".into())),
            ("&x 12", Value::Int(12)),
            ("", Value::Null),
            // A block scalar is a string, even on one line with its line break stripped.
            ("|-\n  yes", Value::Str("yes".into())),
            (">- # note\n  12", Value::Str("12".into())),
        ];
        for (scalar, expected) in cases {
            assert_eq!(
                value_of(&format!("a: {scalar}\n"), "a"),
                expected,
                "{scalar}"
            );
        }
        // A multi-line plain scalar is resolved from its folded value.
        assert_eq!(value_of("a: 1\n  2\n", "a"), Value::Str("1 2".into()));
        // An empty block scalar does not make the next key a string.
        let node = parse_one("a: |\n12: x\n");
        assert_eq!(node.as_map().unwrap()[1].key.value, Value::Int(12));
        // Keys are resolved too.
        let node = parse_one("yes: 1\n12: 2\n");
        let keys: Vec<&Value> = node
            .as_map()
            .unwrap()
            .iter()
            .map(|e| &e.key.value)
            .collect();
        assert_eq!(keys, [&Value::Bool(true), &Value::Int(12)]);
    }

    #[test]
    fn spans_cover_values_keys_dashes_and_block_scalars() {
        let text = "key: value # c\nlist:\n  - one\n  -   'two'\nflow: [1, yes]\ntext: |\n  a\n  b\n\nn: 12\n";
        let node = parse_one(text);
        let entry = node.get("key").unwrap();
        assert_eq!(source(text, &entry.key), "key");
        assert_eq!(source(text, &entry.value), "value");
        // A block sequence starts at its first `-`; collections are shown by one position.
        let list = node.value_of("list").unwrap();
        assert_eq!(list.span.start, list.span.end);
        assert_eq!(&text[list.span.start as usize..][..5], "- one");
        let items = list.as_seq().unwrap();
        assert_eq!(source(text, &items[0]), "one");
        assert_eq!(source(text, &items[1]), "'two'");
        let flow = node.value_of("flow").unwrap();
        assert_eq!(&text[flow.span.start as usize..][..1], "[");
        assert_eq!(source(text, &flow.as_seq().unwrap()[1]), "yes");
        // A block scalar's span is its content (the parser's choice), up to its last character,
        // not the blank line after it.
        let block = node.value_of("text").unwrap();
        assert_eq!(source(text, block), "a\n  b");
        assert_eq!(block.as_str(), Some("a\nb\n"));
        assert_eq!(source(text, node.value_of("n").unwrap()), "12");
    }

    #[test]
    fn cases_that_differ_from_the_granit_parser_tree() {
        // Documented differences of the serde-saphyr route from the earlier tree built from
        // granit-parser events; none occurs in the corpus.
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), String::new());
        // 1. Nesting deeper than MAX_DEPTH (32) is an error (granit-parser alone allows 255).
        let ok = format!("a: {}{}\n", "[".repeat(31), "]".repeat(31));
        assert!(matches!(parse(file, &ok), Ok(Parsed::Document(_))));
        let deep = format!("a: {}{}\n", "[".repeat(32), "]".repeat(32));
        let error = parse(file, &deep).unwrap_err();
        assert_eq!(error.message, "collections nest deeper than 32 levels");
        // 2. A syntax error in a third document is reported (all documents are parsed).
        assert!(parse(file, "a: 1\n---\nb: 2\n---\nc: [\n").is_err());
        // 3. An explicit `!!timestamp` tag is an error (it was text; PyYAML makes a date).
        assert!(parse(file, "a: !!timestamp 2001-12-14\n").is_err());
    }

    #[test]
    fn budget_breaches_are_said_in_words_with_the_limit() {
        // Issue 11 point 5: was `budget breached: Nodes { nodes: 1000001 }`.
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), String::new());
        let wide = format!("a: [{}]\n", "1,".repeat(MAX_NODES + 1));
        let error = parse(file, &wide).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the file holds more than 1000000 YAML nodes"),
            "{}",
            error.message
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut map = crate::source::SourceMap::new();
        let file = map.add("t.yml".into(), String::new());
        let deep = format!("a: {}", "[".repeat(100_000));
        assert!(parse(file, &deep).is_err());
    }
}
