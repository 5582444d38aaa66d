//! `detc_mapping`: detc's extension of a data source file that says, as data, which events the
//! data source owns, which CIM data model datasets they join and how each CIM field is computed
//! from the raw fields (`cim-mapping.md` section 4). This module types it and reports a bad
//! mapping (`N001`-`N011`) at the exact line and column; `crate::events::normalize` compiles it.
//!
//! ```yaml
//! detc_mapping:
//!   version: 1
//!   match: {all: [{field: source, equals: "XmlWinEventLog:Security"}, {field: EventCode, in: ["4688"]}]}
//!   nodes:
//!     - node: Endpoint.Processes
//!       tags: [process, report]
//!       fields:
//!         process_path: NewProcessName              # shorthand for {copy: NewProcessName}
//!         process_name: {basename: NewProcessName}
//!   defaults:
//!     Endpoint.Processes: {unknown: [os]}
//! ```
//!
//! Why a top-level key, and why neither validator rejects it: contentctl 4.4.1 ignores keys its
//! models do not declare (content-format.md section 1), and detc claims the key, so `detc
//! validate` gives no `X015` for it. contentctl v5 forbids unknown keys in a `DataSource`, so a
//! v5 tree would have to drop the key (detc has no per-file v5 rule for data sources; the
//! embedded defaults, see `crate::events::normalize`, need no key in the tree at all). The
//! corpus `field_mappings` could not carry this either: newer contentctl types each item as
//! `{data_model: cim|ocsf|custom_cim, data_set, mapping: dict[str, str]}` with extras
//! forbidden, and a flat string map holds no condition.
//!
//! Differences from the section 4.2 proposal, and why:
//! - a plain string is always a field name (`{copy: F}`), also inside `concat`; a literal is
//!   `{const: V}`. One meaning per spelling, so a field named like a word is never a literal.
//! - `basename`, `lower`, `upper`, `count` and the `input:` of `regex`/`split` take any
//!   transform, so `answer: {regex: {input: {split: {field: QueryResults, sep: ";"}}, ...}}`
//!   composes without new forms.
//! - `count: T` (number of values; Sysmon 22 `answer_count`) and `length: T` (characters of
//!   each value; Web `url_length`) are added, and `regex` takes `all: true` (every match).
//!
//! Conditions and transforms are read (and later evaluated) recursively; the depth is bounded by
//! the YAML loader's nesting limit (32 levels), so no mapping can exhaust the stack.

use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

use super::field::{Field, Spanned};
use super::yaml::{Entry, Node, Value};

/// The schema version this detc reads.
pub const MAPPING_VERSION: i64 = 1;

/// A data source's `detc_mapping`.
#[derive(Clone, Debug, PartialEq)]
pub struct DetcMapping {
    /// Where the mapping starts.
    pub span: Span,
    /// Which events the data source owns.
    pub match_: Condition,
    /// The datasets its events join, each with its fields.
    pub nodes: Vec<MappingNode>,
    /// Per dataset, the fields that read `unknown` when nothing produced them (section 2.8).
    pub defaults: Vec<NodeDefaults>,
}

/// One dataset an event joins.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingNode {
    /// `node`: `Model.Dataset`, as tstats names it (`Endpoint.Processes`).
    pub node: Spanned<String>,
    /// `when`: narrower than the data source's `match` (absent: always).
    pub when: Option<Condition>,
    /// `tags`: Splunk's membership tags, informational.
    pub tags: Vec<Spanned<String>>,
    /// `fields`, in file order.
    pub fields: Vec<FieldRule>,
}

/// One CIM field and how it is computed.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldRule {
    /// The CIM field name, without the dataset prefix (`process_name`).
    pub name: Spanned<String>,
    /// How its values are computed.
    pub transform: Transform,
}

/// `defaults: {<node>: {unknown: [fields]}}` for one node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeDefaults {
    /// The node.
    pub node: Spanned<String>,
    /// Fields that read `unknown` when missing.
    pub unknown: Vec<Spanned<String>>,
}

/// A predicate over one event's raw fields.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// Every one holds (`all: []` is true).
    All(Vec<Condition>),
    /// At least one holds (`any: []` is false).
    Any(Vec<Condition>),
    /// The inner one does not hold.
    Not(Box<Condition>),
    /// A test of one field's values: true when any value passes.
    Test {
        /// The field tested.
        field: Spanned<String>,
        /// The test.
        test: FieldTest,
    },
}

/// What a [`Condition::Test`] checks. Value comparisons ignore ASCII case, as Splunk's search
/// and eventtype matching do.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldTest {
    /// `equals: V`.
    Equals(String),
    /// `in: [V, ...]`.
    In(Vec<String>),
    /// `regex: P` (Rust regex syntax, unanchored).
    Regex(Spanned<String>),
    /// `exists: true|false`.
    Exists(bool),
    /// `field_eq: F2`: some value equals some value of `F2` (case-sensitive: it compares
    /// two recorded values, e.g. `UtcTime` and `CreationUtcTime`).
    FieldEq(String),
}

/// A transform: produces zero or more values (zero means the field is missing).
#[derive(Clone, Debug, PartialEq)]
pub struct Transform {
    /// Where it is written.
    pub span: Span,
    /// What it does.
    pub kind: TransformKind,
    /// `null_values`: produced values treated as missing (`["-"]`).
    pub null_values: Vec<String>,
}

/// The transform forms of section 4.2.
#[derive(Clone, Debug, PartialEq)]
pub enum TransformKind {
    /// `{copy: F}` or the string `F`: the values of raw field `F`.
    Copy(String),
    /// `{basename: T}`: each value's text after the last `\` or `/`.
    Basename(Box<Transform>),
    /// `{lower: T}`.
    Lower(Box<Transform>),
    /// `{upper: T}`.
    Upper(Box<Transform>),
    /// `{regex: {field: F | input: T, pattern: P, group: N, else: keep, all: bool}}`.
    Regex {
        /// The values matched.
        input: Box<Transform>,
        /// The pattern.
        pattern: Spanned<String>,
        /// The capture group produced (0 is the whole match).
        group: usize,
        /// `else: keep`: an unmatched value is produced unchanged instead of dropped.
        keep_unmatched: bool,
        /// `all: true`: every match of each value, not only the first.
        every_match: bool,
    },
    /// `{split: {field: F | input: T, sep: S}}`: each value split on `S`, empty items dropped.
    Split {
        /// The values split.
        input: Box<Transform>,
        /// The separator.
        separator: String,
    },
    /// `{const: V}`.
    Const(String),
    /// `{concat: [T, ...]}`: the first values joined; a missing part makes the result missing.
    Concat(Vec<Transform>),
    /// `{sum: [T, ...]}`: numeric sum of the first value of each; non-numbers ignored; all
    /// missing gives missing.
    Sum(Vec<Transform>),
    /// `{coalesce: [T, ...]}`: the values of the first transform that yields any.
    Coalesce(Vec<Transform>),
    /// `{count: T}`: how many values `T` yields (missing when none).
    Count(Box<Transform>),
    /// `{length: T}`: each value's length in characters (Splunk's `len`; Web `url_length`).
    Length(Box<Transform>),
    /// `{lookup: {key: T, table: {k: v}, default: V}}`: case-insensitive key.
    Lookup {
        /// The key values.
        key: Box<Transform>,
        /// Rows in file order.
        table: Vec<(String, String)>,
        /// The value for a key not in the table (absent: dropped).
        default: Option<String>,
    },
    /// `{case: [{when: C, then: T}, ...]}`: the first branch whose condition holds.
    Case(Vec<(Condition, Transform)>),
}

const TOP_KEYS: &[&str] = &["version", "match", "nodes", "defaults"];
const NODE_KEYS: &[&str] = &["node", "when", "tags", "fields"];
const CONDITION_KEYS: &[&str] = &["all", "any", "not", "field"];
const TEST_KEYS: &[&str] = &["equals", "in", "regex", "exists", "field_eq"];
const TRANSFORM_KEYS: &[&str] = &[
    "copy", "basename", "lower", "upper", "regex", "split", "const", "concat", "sum", "coalesce",
    "count", "length", "lookup", "case",
];

/// The CIM datasets detc knows (Splunk_SA_CIM names), for `N008`.
pub const KNOWN_DATASETS: &[&str] = &[
    "Alerts.Alerts",
    "Authentication.Authentication",
    "Certificates.All_Certificates",
    "Change.All_Changes",
    "Data_Access.Data_Access",
    "Email.All_Email",
    "Endpoint.Filesystem",
    "Endpoint.Ports",
    "Endpoint.Processes",
    "Endpoint.Registry",
    "Endpoint.Services",
    "Intrusion_Detection.IDS_Attacks",
    "Malware.Malware_Attacks",
    "Network_Resolution.DNS",
    "Network_Sessions.All_Sessions",
    "Network_Traffic.All_Traffic",
    "Risk.All_Risk",
    "Updates.Updates",
    "Vulnerabilities.Vulnerabilities",
    "Web.Web",
];

/// Turns the `detc_mapping` node into the typed mapping, pushing `N0xx` diagnostics.
/// `None` when it is too broken to use (not a mapping, no `match`, no usable node).
pub(crate) fn read(node: &Node, diagnostics: &mut Vec<Diagnostic>) -> Option<DetcMapping> {
    let mut reader = Reader { diagnostics };
    reader.mapping(node)
}

struct Reader<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn push(&mut self, code: Code, span: Span, message: String) {
        self.diagnostics.push(Diagnostic::new(code, span, message));
    }

    /// `N001` for a value of the wrong YAML type.
    fn wrong_type(&mut self, path: &str, node: &Node, expected: &str) {
        self.push(
            Code::N001,
            node.span,
            format!(
                "`{path}` must be {expected}, found {}",
                node.value.type_name()
            ),
        );
    }

    /// The entries of a mapping node, or `N001`.
    fn entries<'n>(&mut self, path: &str, node: &'n Node) -> Option<&'n [Entry]> {
        let entries = node.as_map();
        if entries.is_none() {
            self.wrong_type(path, node, "a mapping");
        }
        entries
    }

    /// `N004` for every key not in `known`, with a suggestion when one is close.
    fn unknown_keys(&mut self, path: &str, entries: &[Entry], known: &[&str]) {
        for entry in entries {
            let key = entry.key.as_str().unwrap_or("");
            if known.contains(&key) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::N004,
                entry.key.span,
                format!("unknown key `{path}.{key}`"),
            );
            if let Some(close) = did_you_mean(key, known.iter().copied()) {
                diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
            }
            self.diagnostics.push(diagnostic);
        }
    }

    /// `N003` for a required key that is absent.
    fn missing(&mut self, path: &str, key: &str, at: Span) {
        self.push(Code::N003, at, format!("`{path}.{key}` is missing"));
    }

    fn string(&mut self, path: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Str(text) => Some(Spanned::new(text.clone(), node.span)),
            // `in: [1]` and `const: 0` are natural to write; Splunk values are strings anyway.
            Value::Int(number) => Some(Spanned::new(number.to_string(), node.span)),
            Value::Bool(_) => {
                // YAML 1.1 reads unquoted yes/no/on/off/true/false as booleans: `const: yes`
                // would silently become `true`.
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::N001,
                        node.span,
                        format!("`{path}` must be a string, found a boolean"),
                    )
                    .with_help("quote it: YAML 1.1 reads unquoted yes, no, on, off, true and false as booleans"),
                );
                None
            }
            _ => {
                self.wrong_type(path, node, "a string");
                None
            }
        }
    }

    fn strings(&mut self, path: &str, node: &Node) -> Vec<Spanned<String>> {
        let Some(items) = node.as_seq() else {
            self.wrong_type(path, node, "a list of strings");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| self.string(&format!("{path}.{index}"), item))
            .collect()
    }

    fn mapping(&mut self, node: &Node) -> Option<DetcMapping> {
        let path = "detc_mapping";
        let entries = self.entries(path, node)?;
        self.unknown_keys(path, entries, TOP_KEYS);
        match node.value_of("version") {
            None => self.push(
                Code::N002,
                node.span,
                format!("`{path}.version` is missing (write `version: {MAPPING_VERSION}`)"),
            ),
            Some(version) if version.value != Value::Int(MAPPING_VERSION) => self.push(
                Code::N002,
                version.span,
                format!("this detc reads `{path}.version: {MAPPING_VERSION}` only"),
            ),
            Some(_) => {}
        }
        let match_ = match node.value_of("match") {
            Some(condition) => self.condition(&format!("{path}.match"), condition),
            None => {
                self.missing(path, "match", node.span);
                None
            }
        };
        let nodes = match node.value_of("nodes") {
            Some(list) => self.nodes(&format!("{path}.nodes"), list),
            None => {
                self.missing(path, "nodes", node.span);
                Vec::new()
            }
        };
        let defaults = node
            .value_of("defaults")
            .map(|defaults| self.defaults(&format!("{path}.defaults"), defaults, &nodes))
            .unwrap_or_default();
        Some(DetcMapping {
            span: node.span,
            match_: match_?,
            nodes,
            defaults,
        })
    }

    fn nodes(&mut self, path: &str, node: &Node) -> Vec<MappingNode> {
        let Some(items) = node.as_seq() else {
            self.wrong_type(path, node, "a list");
            return Vec::new();
        };
        let mut nodes: Vec<MappingNode> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_path = format!("{path}.{index}");
            let Some(entries) = self.entries(&item_path, item) else {
                continue;
            };
            self.unknown_keys(&item_path, entries, NODE_KEYS);
            let Some(name) = item.value_of("node") else {
                self.missing(&item_path, "node", item.span);
                continue;
            };
            let Some(name) = self.string(&format!("{item_path}.node"), name) else {
                continue;
            };
            self.check_dataset(&name);
            if nodes.iter().any(|earlier| earlier.node.value == name.value) {
                self.push(
                    Code::N009,
                    name.span,
                    format!("dataset `{}` is listed twice in this mapping", name.value),
                );
            }
            let when = item
                .value_of("when")
                .and_then(|when| self.condition(&format!("{item_path}.when"), when));
            let tags = item
                .value_of("tags")
                .map(|tags| self.strings(&format!("{item_path}.tags"), tags))
                .unwrap_or_default();
            let fields = match item.value_of("fields") {
                Some(fields) => self.fields(&format!("{item_path}.fields"), fields),
                None => {
                    self.missing(&item_path, "fields", item.span);
                    Vec::new()
                }
            };
            nodes.push(MappingNode {
                node: name,
                when,
                tags,
                fields,
            });
        }
        nodes
    }

    /// `N008`: a dataset name that is not `Model.Dataset` of a known CIM model.
    fn check_dataset(&mut self, name: &Spanned<String>) {
        if KNOWN_DATASETS.contains(&name.value.as_str()) {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Code::N008,
            name.span,
            format!("`{}` is not a CIM dataset detc knows", name.value),
        )
        .with_note("write `Model.Dataset` as tstats names it, e.g. `Endpoint.Processes`");
        if let Some(close) = did_you_mean(&name.value, KNOWN_DATASETS.iter().copied()) {
            diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
        }
        self.diagnostics.push(diagnostic);
    }

    fn fields(&mut self, path: &str, node: &Node) -> Vec<FieldRule> {
        let Some(entries) = self.entries(path, node) else {
            return Vec::new();
        };
        let mut rules = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(name) = self.string(&format!("{path}.<key>"), &entry.key) else {
                continue;
            };
            let field_path = format!("{path}.{}", name.value);
            if let Some(transform) = self.transform(&field_path, &entry.value) {
                rules.push(FieldRule { name, transform });
            }
        }
        rules
    }

    fn defaults(&mut self, path: &str, node: &Node, nodes: &[MappingNode]) -> Vec<NodeDefaults> {
        let Some(entries) = self.entries(path, node) else {
            return Vec::new();
        };
        let mut defaults = Vec::with_capacity(entries.len());
        for entry in entries {
            let Some(name) = self.string(&format!("{path}.<key>"), &entry.key) else {
                continue;
            };
            let node_path = format!("{path}.{}", name.value);
            if !nodes.iter().any(|node| node.node.value == name.value) {
                self.push(
                    Code::N010,
                    name.span,
                    format!("`{node_path}` names a dataset that is not in this mapping's `nodes`"),
                );
            }
            let Some(body) = self.entries(&node_path, &entry.value) else {
                continue;
            };
            self.unknown_keys(&node_path, body, &["unknown"]);
            let unknown = entry
                .value
                .value_of("unknown")
                .map(|list| self.strings(&format!("{node_path}.unknown"), list))
                .unwrap_or_default();
            defaults.push(NodeDefaults {
                node: name,
                unknown,
            });
        }
        defaults
    }

    fn condition(&mut self, path: &str, node: &Node) -> Option<Condition> {
        let entries = self.entries(path, node)?;
        let mut known: Vec<&str> = CONDITION_KEYS.to_vec();
        known.extend_from_slice(TEST_KEYS);
        self.unknown_keys(path, entries, &known);
        let combinators: Vec<&str> = ["all", "any", "not"]
            .into_iter()
            .filter(|key| node.get(key).is_some())
            .collect();
        let has_field = node.get("field").is_some();
        if combinators.len() + usize::from(has_field) != 1 {
            self.push(
                Code::N006,
                node.span,
                format!(
                    "`{path}` must hold exactly one of `all`, `any`, `not` or `field` (a field test)"
                ),
            );
            return None;
        }
        if let Some(&combinator) = combinators.first() {
            let inner = node.value_of(combinator)?;
            let inner_path = format!("{path}.{combinator}");
            if combinator == "not" {
                return self
                    .condition(&inner_path, inner)
                    .map(|condition| Condition::Not(Box::new(condition)));
            }
            let Some(items) = inner.as_seq() else {
                self.wrong_type(&inner_path, inner, "a list of conditions");
                return None;
            };
            let mut conditions = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                conditions.push(self.condition(&format!("{inner_path}.{index}"), item)?);
            }
            return Some(if combinator == "all" {
                Condition::All(conditions)
            } else {
                Condition::Any(conditions)
            });
        }
        let field = self.string(&format!("{path}.field"), node.value_of("field")?)?;
        let tests: Vec<&str> = TEST_KEYS
            .iter()
            .copied()
            .filter(|key| node.get(key).is_some())
            .collect();
        let [test] = tests.as_slice() else {
            self.push(
                Code::N006,
                node.span,
                format!(
                    "`{path}` must hold exactly one test of `{}`: `equals`, `in`, `regex`, `exists` or `field_eq`",
                    field.value
                ),
            );
            return None;
        };
        let value = node.value_of(test)?;
        let test_path = format!("{path}.{test}");
        let test = match *test {
            "equals" => FieldTest::Equals(self.string(&test_path, value)?.value),
            "in" => FieldTest::In(
                self.strings(&test_path, value)
                    .into_iter()
                    .map(|item| item.value)
                    .collect(),
            ),
            "regex" => {
                let pattern = self.string(&test_path, value)?;
                self.check_regex(&test_path, &pattern, 0)?;
                FieldTest::Regex(pattern)
            }
            "exists" => match value.value {
                Value::Bool(flag) => FieldTest::Exists(flag),
                _ => {
                    self.wrong_type(&test_path, value, "a boolean");
                    return None;
                }
            },
            _ => FieldTest::FieldEq(self.string(&test_path, value)?.value),
        };
        Some(Condition::Test { field, test })
    }

    /// `N007` for a pattern that does not compile, `N011` for a group it does not have.
    fn check_regex(&mut self, path: &str, pattern: &Spanned<String>, group: usize) -> Option<()> {
        match regex_automata::meta::Regex::new(&pattern.value) {
            Err(error) => {
                self.push(
                    Code::N007,
                    pattern.span,
                    format!("`{path}` is not a valid regex: {}", regex_reason(&error)),
                );
                None
            }
            Ok(regex) if group >= regex.captures_len() => {
                self.push(
                    Code::N011,
                    pattern.span,
                    format!(
                        "`{path}` has {} capture group(s), so group {group} never matches",
                        regex.captures_len().saturating_sub(1)
                    ),
                );
                None
            }
            Ok(_) => Some(()),
        }
    }

    fn transform(&mut self, path: &str, node: &Node) -> Option<Transform> {
        if let Some(name) = node.as_str() {
            return Some(Transform {
                span: node.span,
                kind: TransformKind::Copy(name.to_string()),
                null_values: Vec::new(),
            });
        }
        let entries = self.entries(path, node)?;
        let mut known: Vec<&str> = TRANSFORM_KEYS.to_vec();
        known.push("null_values");
        self.unknown_keys(path, entries, &known);
        let forms: Vec<&str> = TRANSFORM_KEYS
            .iter()
            .copied()
            .filter(|key| node.get(key).is_some())
            .collect();
        let [form] = forms.as_slice() else {
            self.push(
                Code::N005,
                node.span,
                format!(
                    "`{path}` must hold exactly one transform (`copy`, `basename`, `regex`, `const`, `coalesce`, ...), found {}",
                    forms.len()
                ),
            );
            return None;
        };
        let null_values = node
            .value_of("null_values")
            .map(|list| self.strings(&format!("{path}.null_values"), list))
            .unwrap_or_default()
            .into_iter()
            .map(|item| item.value)
            .collect();
        let value = node.value_of(form)?;
        let form_path = format!("{path}.{form}");
        let boxed =
            |reader: &mut Self, inner: &Node| reader.transform(&form_path, inner).map(Box::new);
        let kind = match *form {
            "copy" => TransformKind::Copy(self.string(&form_path, value)?.value),
            "basename" => TransformKind::Basename(boxed(self, value)?),
            "lower" => TransformKind::Lower(boxed(self, value)?),
            "upper" => TransformKind::Upper(boxed(self, value)?),
            "count" => TransformKind::Count(boxed(self, value)?),
            "length" => TransformKind::Length(boxed(self, value)?),
            "const" => TransformKind::Const(self.string(&form_path, value)?.value),
            "concat" | "sum" | "coalesce" => {
                let Some(items) = value.as_seq() else {
                    self.wrong_type(&form_path, value, "a list of transforms");
                    return None;
                };
                let mut parts = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    parts.push(self.transform(&format!("{form_path}.{index}"), item)?);
                }
                match *form {
                    "concat" => TransformKind::Concat(parts),
                    "sum" => TransformKind::Sum(parts),
                    _ => TransformKind::Coalesce(parts),
                }
            }
            "regex" => self.regex(&form_path, value)?,
            "split" => {
                let body = self.entries(&form_path, value)?;
                self.unknown_keys(&form_path, body, &["field", "input", "sep"]);
                let input = self.input(&form_path, value)?;
                let Some(separator) = value.value_of("sep") else {
                    self.missing(&form_path, "sep", value.span);
                    return None;
                };
                let separator = self.string(&format!("{form_path}.sep"), separator)?.value;
                TransformKind::Split {
                    input: Box::new(input),
                    separator,
                }
            }
            "lookup" => self.lookup(&form_path, value)?,
            _ => self.case(&form_path, value)?,
        };
        Some(Transform {
            span: node.span,
            kind,
            null_values,
        })
    }

    /// The input of `regex`/`split`: `field: F` or `input: T`, exactly one.
    fn input(&mut self, path: &str, node: &Node) -> Option<Transform> {
        match (node.value_of("field"), node.value_of("input")) {
            (Some(field), None) => {
                let name = self.string(&format!("{path}.field"), field)?;
                Some(Transform {
                    span: name.span,
                    kind: TransformKind::Copy(name.value),
                    null_values: Vec::new(),
                })
            }
            (None, Some(input)) => self.transform(&format!("{path}.input"), input),
            _ => {
                self.push(
                    Code::N003,
                    node.span,
                    format!("`{path}` needs exactly one of `field` and `input`"),
                );
                None
            }
        }
    }

    fn regex(&mut self, path: &str, node: &Node) -> Option<TransformKind> {
        let entries = self.entries(path, node)?;
        self.unknown_keys(
            path,
            entries,
            &["field", "input", "pattern", "group", "else", "all"],
        );
        let input = self.input(path, node)?;
        let Some(pattern) = node.value_of("pattern") else {
            self.missing(path, "pattern", node.span);
            return None;
        };
        let pattern = self.string(&format!("{path}.pattern"), pattern)?;
        let group = match node.value_of("group") {
            None => 1,
            Some(group) => match group.value {
                Value::Int(number) => usize::try_from(number).unwrap_or(usize::MAX),
                _ => {
                    self.wrong_type(&format!("{path}.group"), group, "an integer");
                    return None;
                }
            },
        };
        self.check_regex(&format!("{path}.pattern"), &pattern, group)?;
        let keep_unmatched = match node.value_of("else") {
            None => false,
            Some(otherwise) if otherwise.as_str() == Some("keep") => true,
            Some(otherwise) => {
                self.wrong_type(&format!("{path}.else"), otherwise, "`keep`");
                return None;
            }
        };
        let every_match = match node.value_of("all") {
            None => false,
            Some(all) => match all.value {
                Value::Bool(flag) => flag,
                _ => {
                    self.wrong_type(&format!("{path}.all"), all, "a boolean");
                    return None;
                }
            },
        };
        Some(TransformKind::Regex {
            input: Box::new(input),
            pattern,
            group,
            keep_unmatched,
            every_match,
        })
    }

    fn lookup(&mut self, path: &str, node: &Node) -> Option<TransformKind> {
        let entries = self.entries(path, node)?;
        self.unknown_keys(path, entries, &["key", "table", "default"]);
        let Some(key) = node.value_of("key") else {
            self.missing(path, "key", node.span);
            return None;
        };
        let key = self.transform(&format!("{path}.key"), key)?;
        let Some(table) = node.value_of("table") else {
            self.missing(path, "table", node.span);
            return None;
        };
        let table_path = format!("{path}.table");
        let rows = self.entries(&table_path, table)?;
        let mut parsed = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(from) = self.string(&format!("{table_path}.<key>"), &row.key) else {
                continue;
            };
            if let Some(to) = self.string(&format!("{table_path}.{}", from.value), &row.value) {
                parsed.push((from.value, to.value));
            }
        }
        let default = match node.value_of("default") {
            Some(default) => Some(self.string(&format!("{path}.default"), default)?.value),
            None => None,
        };
        Some(TransformKind::Lookup {
            key: Box::new(key),
            table: parsed,
            default,
        })
    }

    fn case(&mut self, path: &str, node: &Node) -> Option<TransformKind> {
        let Some(items) = node.as_seq() else {
            self.wrong_type(path, node, "a list of `{when, then}` branches");
            return None;
        };
        let mut branches = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let branch_path = format!("{path}.{index}");
            let entries = self.entries(&branch_path, item)?;
            self.unknown_keys(&branch_path, entries, &["when", "then"]);
            let (Some(when), Some(then)) = (item.value_of("when"), item.value_of("then")) else {
                self.push(
                    Code::N003,
                    item.span,
                    format!("`{branch_path}` needs both `when` and `then`"),
                );
                return None;
            };
            let when = self.condition(&format!("{branch_path}.when"), when)?;
            let then = self.transform(&format!("{branch_path}.then"), then)?;
            branches.push((when, then));
        }
        Some(TransformKind::Case(branches))
    }
}

/// The reason of a regex build error in one line: regex-syntax's own message spans several
/// lines (the pattern, a caret line, then `error: <reason>`).
fn regex_reason(error: &regex_automata::meta::BuildError) -> String {
    match error.syntax_error() {
        Some(syntax) => {
            let text = syntax.to_string();
            text.lines()
                .find_map(|line| line.strip_prefix("error: "))
                .unwrap_or(&text)
                .to_string()
        }
        None => error.to_string(),
    }
}

/// A typed `field_mappings` item (the corpus form; contentctl 4.4.1 does not check it).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMapping {
    /// Where the item starts.
    pub span: Span,
    /// `data_model`: `cim`, `ocsf` or `custom_cim`.
    pub data_model: Field<String>,
    /// `data_set`, e.g. `Endpoint.Processes` (absent for OCSF).
    pub data_set: Field<String>,
    /// `mapping`, in file order.
    pub mapping: Vec<MappingPair>,
}

/// One `raw: target` pair of a `field_mappings` item.
#[derive(Clone, Debug, PartialEq)]
pub struct MappingPair {
    /// The raw field name, without its modifier (`Image` of `Image|endswith`).
    pub raw: Spanned<String>,
    /// The Sigma-style modifier after `|` (`endswith`), which the corpus uses to mean the
    /// basename of the value.
    pub modifier: Option<String>,
    /// The target field, e.g. `Processes.process_name` or an OCSF path.
    pub target: Spanned<String>,
}

/// Types `field_mappings` items. contentctl 4.4.1 declares the key as a bare `list`, so a
/// malformed item is only a `N012` warning (and left out), never an error.
pub(crate) fn read_field_mappings(
    items: Vec<Node>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<FieldMapping> {
    let mut typed = Vec::with_capacity(items.len());
    let mut warn =
        |span: Span, message: String| {
            diagnostics.push(Diagnostic::new(Code::N012, span, message).with_note(
                "contentctl 4.4.1 does not check `field_mappings`; detc ignores this part",
            ));
        };
    for (index, item) in items.into_iter().enumerate() {
        let path = format!("field_mappings.{index}");
        let Value::Map(entries) = item.value else {
            warn(
                item.span,
                format!(
                    "`{path}` must be a mapping, found {}",
                    item.value.type_name()
                ),
            );
            continue;
        };
        let mut mapping = FieldMapping {
            span: item.span,
            data_model: Field::Missing,
            data_set: Field::Missing,
            mapping: Vec::new(),
        };
        for entry in entries {
            let key = entry.key.as_str().unwrap_or("");
            match (key, entry.value.value) {
                ("data_model", Value::Str(text)) => {
                    mapping.data_model = Field::Present(Spanned::new(text, entry.value.span));
                }
                ("data_set", Value::Str(text)) => {
                    mapping.data_set = Field::Present(Spanned::new(text, entry.value.span));
                }
                ("mapping", Value::Map(pairs)) => {
                    for pair in pairs {
                        match (pair.key.value, pair.value.value) {
                            (Value::Str(raw), Value::Str(target)) => {
                                let (name, modifier) = match raw.split_once('|') {
                                    Some((name, modifier)) => {
                                        (name.to_string(), Some(modifier.to_string()))
                                    }
                                    None => (raw, None),
                                };
                                mapping.mapping.push(MappingPair {
                                    raw: Spanned::new(name, pair.key.span),
                                    modifier,
                                    target: Spanned::new(target, pair.value.span),
                                });
                            }
                            (_, other) => warn(
                                pair.value.span,
                                format!(
                                    "`{path}.mapping` pairs must map a string to a string, found {}",
                                    other.type_name()
                                ),
                            ),
                        }
                    }
                }
                (_, Value::Null) => {}
                ("data_model" | "data_set" | "mapping", other) => warn(
                    entry.value.span,
                    format!("`{path}.{key}` has the wrong type: {}", other.type_name()),
                ),
                _ => {}
            }
        }
        typed.push(mapping);
    }
    typed
}
