//! The detection model (`detections/**/*.yml`), v4 (`tags`-based risk) and v5 (`rba:` block).
//!
//! Wrong YAML types are reported while reading (with the field's rule code where section 5 of
//! content-format.md gives one); missing keys and value checks are left to `validate`. `tests:`
//! is typed ([`UnitTest`], [`AttackData`]) because `detc test` replays it; nested shapes that
//! only one rule inspects (drilldowns, inline deployment, throttling, rba objects) are kept as
//! YAML nodes for that rule.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

use super::field::{Field, MapReader, Spanned, StrList, UnknownKeys};
use super::header::{Format, Header, Meta, name_to_stem};
use super::scalar::ScalarMap;
use super::yaml::{Node, Value};

/// One detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// Where it came from.
    pub meta: Meta,
    /// Common header.
    pub header: Header,
    /// `type`: TTP, Anomaly, Hunting or Correlation.
    pub analytic_type: Field<String>,
    /// `status`.
    pub status: Field<String>,
    /// `data_source` names (an item may join several with `AND`).
    pub data_source: Field<StrList>,
    /// `search`, the SPL.
    pub search: Field<String>,
    /// `how_to_implement`.
    pub how_to_implement: Field<String>,
    /// `known_false_positives`.
    pub known_false_positives: Field<String>,
    /// `enabled_by_default`.
    pub enabled_by_default: Field<bool>,
    /// `tags`.
    pub tags: Field<DetectionTags>,
    /// `tests` items; an item that is not a mapping is `Invalid` (already reported, `D011`).
    pub tests: Field<Vec<Field<UnitTest>>>,
    /// `drilldown_searches` items, shape checked by `D013`.
    pub drilldown_searches: Field<Vec<Node>>,
    /// An inline `deployment` mapping (`D020`).
    pub deployment: Field<Node>,
    /// `baselines`, computed by contentctl: must be absent or empty (`D019`).
    pub baselines: Field<Node>,
    /// `cve_enrichment`, computed: must be absent or empty (`D019`).
    pub cve_enrichment: Field<Node>,
    /// The v5 `rba` block.
    pub rba: Field<Rba>,
}

/// `tags:` of a detection.
#[derive(Clone, Debug, PartialEq)]
pub struct DetectionTags {
    /// Where the mapping starts.
    pub span: Span,
    /// `analytic_story`.
    pub analytic_story: Field<StrList>,
    /// `asset_type`.
    pub asset_type: Field<String>,
    /// `confidence` (v4).
    pub confidence: Field<i64>,
    /// `impact` (v4).
    pub impact: Field<i64>,
    /// `risk_score` as written (ignored by contentctl; `X009` compares it).
    pub risk_score: Field<i64>,
    /// `message` (v4).
    pub message: Field<String>,
    /// `mitre_attack_id`.
    pub mitre_attack_id: Field<StrList>,
    /// `observable` (v4).
    pub observable: Field<Vec<Observable>>,
    /// `product`.
    pub product: Field<StrList>,
    /// `required_fields` (v4).
    pub required_fields: Field<StrList>,
    /// `security_domain`.
    pub security_domain: Field<String>,
    /// `cve`.
    pub cve: Field<StrList>,
    /// `atomic_guid`.
    pub atomic_guid: Field<StrList>,
    /// `throttling` mapping (`D018`).
    pub throttling: Field<Node>,
    /// `manual_test`.
    pub manual_test: Field<String>,
    /// `confidence_id`.
    pub confidence_id: Field<i64>,
    /// `impact_id`.
    pub impact_id: Field<i64>,
    /// `research_site_url`.
    pub research_site_url: Field<String>,
    /// `mitre_attack_enrichments`, computed: must be absent or empty (`D019`).
    pub mitre_attack_enrichments: Field<Node>,
}

/// One `tags.observable` item.
#[derive(Clone, Debug, PartialEq)]
pub struct Observable {
    /// Where the item starts.
    pub span: Span,
    /// `name`, a field of the search.
    pub name: Field<String>,
    /// `type`.
    pub kind: Field<String>,
    /// `role`, a one-item list.
    pub role: Field<StrList>,
}

/// One `tests:` item: a unit test that replays attack data through the search.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitTest {
    /// Where the item's mapping starts (missing keys are reported here).
    pub span: Span,
    /// `name`.
    pub name: Field<String>,
    /// `earliest_time`.
    pub earliest_time: Field<String>,
    /// `latest_time`.
    pub latest_time: Field<String>,
    /// `attack_data` items; an item that is not a mapping is `Invalid` (already reported).
    pub attack_data: Field<Vec<Field<AttackData>>>,
}

/// One `tests.N.attack_data` item: a file of events and where Splunk would index it.
#[derive(Clone, Debug, PartialEq)]
pub struct AttackData {
    /// Where the item's mapping starts.
    pub span: Span,
    /// `data`: an http(s) URL or a path relative to the content root.
    pub data: Field<String>,
    /// `source` the events get.
    pub source: Field<String>,
    /// `sourcetype` the events get.
    pub sourcetype: Field<String>,
    /// `custom_index`.
    pub custom_index: Field<String>,
    /// `host` the events get.
    pub host: Field<String>,
}

/// The v5 `rba:` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Rba {
    /// Where the mapping starts.
    pub span: Span,
    /// `message`.
    pub message: Field<String>,
    /// `risk_objects` items.
    pub risk_objects: Field<Vec<Node>>,
    /// `threat_objects` items.
    pub threat_objects: Field<Vec<Node>>,
}

const DETECTION_KEYS: &[&str] = &[
    "type",
    "status",
    "data_source",
    "tags",
    "search",
    "how_to_implement",
    "known_false_positives",
    "explanation",
    "enabled_by_default",
    "tests",
    "test_groups",
    "data_source_objects",
    "drilldown_searches",
    "deployment",
    "baselines",
    "macros",
    "lookups",
    "cve_enrichment",
    "splunk_app_enrichment",
];

impl Detection {
    /// The name as written, if it is a string.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.header.name.as_str()
    }

    /// The file stem (`x` for `detections/endpoint/x.yml`).
    #[must_use]
    pub fn file_stem(&self) -> &str {
        self.meta.file_stem()
    }

    /// The `status` string.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.status.as_str()
    }

    /// The `type` string.
    #[must_use]
    pub fn analytic_type(&self) -> Option<&str> {
        self.analytic_type.as_str()
    }

    /// The filter macro contentctl expects in the search: `<name-derived stem>_filter`
    /// (from `name`, not from the file name; the two agree when `G008` passes).
    #[must_use]
    pub fn filter_macro_name(&self) -> Option<String> {
        self.name()
            .map(|name| format!("{}_filter", name_to_stem(name)))
    }

    /// The map from offsets in the decoded `search` to offsets in the file.
    #[must_use]
    pub fn search_map(&self, file_text: &str) -> Option<ScalarMap> {
        self.search
            .get()
            .map(|search| ScalarMap::build(file_text, search.span.start as usize, &search.value))
    }

    /// Builds a detection from its top-level mapping.
    pub(crate) fn read(
        meta_base: Meta,
        root: Node,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Detection {
        let mut meta = meta_base;
        let mut reader = MapReader::new(root, "", diagnostics);
        let header = Header::read(&mut reader);
        let analytic_type = reader.string("type", Code::D001);
        let status = reader.string("status", Code::D002);
        let data_source = reader.string_list("data_source", Code::L009);
        let search = reader.string("search", Code::D003);
        let how_to_implement = reader.string("how_to_implement", Code::D003);
        let known_false_positives = reader.string("known_false_positives", Code::D003);
        let enabled_by_default = reader.boolean("enabled_by_default", Code::D014);
        let tests = read_tests(&mut reader);
        let drilldown_searches = reader.list("drilldown_searches", Code::D013);
        let deployment = reader.any("deployment");
        let baselines = reader.any("baselines");
        let cve_enrichment = reader.any("cve_enrichment");
        let has_rba = reader.has("rba");
        let rba_node = reader.mapping("rba", Code::D021);
        let tags_node = reader.mapping("tags", Code::L009);
        let is_v5 = has_rba
            || tags_node.value().is_some_and(|tags| {
                ["confidence", "impact", "observable"]
                    .iter()
                    .all(|key| tags.get(key).is_none())
            });
        meta.format = if is_v5 { Format::V5 } else { Format::V4 };
        let rba = match rba_node {
            Field::Present(node) => {
                Field::Present(Spanned::new(read_rba(&mut reader, node.value), node.span))
            }
            Field::Invalid(span) => Field::Invalid(span),
            Field::Missing => Field::Missing,
        };
        let tags = match tags_node {
            Field::Present(node) => Field::Present(Spanned::new(
                read_tags(&mut reader, node.value, meta.format),
                node.span,
            )),
            Field::Invalid(span) => Field::Invalid(span),
            Field::Missing => Field::Missing,
        };
        for key in DETECTION_KEYS {
            reader.skip(key);
        }
        if is_v5 {
            reader.skip("rba");
            reader.finish(UnknownKeys::Forbid(Code::X015), "a v5 detection");
        } else {
            reader.finish(UnknownKeys::Warn, "a detection");
        }
        Detection {
            meta,
            header,
            analytic_type,
            status,
            data_source,
            search,
            how_to_implement,
            known_false_positives,
            enabled_by_default,
            tags,
            tests,
            drilldown_searches,
            deployment,
            baselines,
            cve_enrichment,
            rba,
        }
    }
}

const V4_TAG_KEYS: &[&str] = &[
    "analytic_story",
    "asset_type",
    "confidence",
    "impact",
    "risk_score",
    "message",
    "mitre_attack_id",
    "nist",
    "observable",
    "product",
    "required_fields",
    "throttling",
    "security_domain",
    "cve",
    "atomic_guid",
    "mitre_attack_enrichments",
    "confidence_id",
    "impact_id",
    "evidence_str",
    "research_site_url",
    "event_schema",
    "mappings",
    "manual_test",
    "kill_chain_phases",
    "cis20",
];

/// Tag keys v5 removed (they moved into `rba:` or became computed).
const V5_REMOVED_TAG_KEYS: &[&str] = &[
    "confidence",
    "impact",
    "risk_score",
    "message",
    "observable",
    "required_fields",
];

fn read_tags(parent: &mut MapReader<'_>, node: Node, format: Format) -> DetectionTags {
    let span = node.span;
    let mut reader = parent.nested(node, "tags");
    let analytic_story = reader.string_list("analytic_story", Code::D008);
    let asset_type = reader.string("asset_type", Code::T001);
    let (confidence, impact, risk_score, message, required_fields) = if format == Format::V4 {
        (
            reader.int("confidence", Code::T002),
            reader.int("impact", Code::T002),
            reader.int("risk_score", Code::X009),
            reader.string("message", Code::T009),
            reader.string_list("required_fields", Code::T007),
        )
    } else {
        Default::default()
    };
    let mitre_attack_id = reader.string_list("mitre_attack_id", Code::T003);
    let observable = if format == Format::V4 {
        read_observables(&mut reader)
    } else {
        Field::Missing
    };
    let product = reader.string_list("product", Code::T006);
    let security_domain = reader.string("security_domain", Code::T008);
    let cve = reader.string_list("cve", Code::T004);
    let atomic_guid = reader.string_list("atomic_guid", Code::T010);
    let throttling = reader.mapping("throttling", Code::D018);
    let manual_test = reader.string("manual_test", Code::L009);
    let confidence_id = reader.int("confidence_id", Code::T011);
    let impact_id = reader.int("impact_id", Code::T011);
    let research_site_url = reader.string("research_site_url", Code::T011);
    let mitre_attack_enrichments = reader.any("mitre_attack_enrichments");
    match format {
        Format::V4 => {
            for key in V4_TAG_KEYS {
                reader.skip(key);
            }
            reader.finish(UnknownKeys::Warn, "detection tags");
        }
        Format::V5 => {
            for key in V4_TAG_KEYS {
                if !V5_REMOVED_TAG_KEYS.contains(key) {
                    reader.skip(key);
                }
            }
            reader.skip("group");
            reader.finish(UnknownKeys::Forbid(Code::X015), "v5 detection tags");
        }
    }
    DetectionTags {
        span,
        analytic_story,
        asset_type,
        confidence,
        impact,
        risk_score,
        message,
        mitre_attack_id,
        observable,
        product,
        required_fields,
        security_domain,
        cve,
        atomic_guid,
        throttling,
        manual_test,
        confidence_id,
        impact_id,
        research_site_url,
        mitre_attack_enrichments,
    }
}

fn read_observables(reader: &mut MapReader<'_>) -> Field<Vec<Observable>> {
    let items = match reader.list("observable", Code::T005) {
        Field::Present(items) => items,
        Field::Invalid(span) => return Field::Invalid(span),
        Field::Missing => return Field::Missing,
    };
    let mut observables = Vec::with_capacity(items.value.len());
    for (index, item) in items.value.into_iter().enumerate() {
        let item_span = item.span;
        if !matches!(item.value, Value::Map(_)) {
            reader.push_wrong_type(
                &format!("observable.{index}"),
                &item,
                "a mapping",
                Code::T005,
            );
            continue;
        }
        let mut nested = reader.nested(item, &format!("observable.{index}"));
        let name = nested.string("name", Code::T005);
        let kind = nested.string("type", Code::T005);
        let role = nested.string_list("role", Code::T005);
        observables.push(Observable {
            span: item_span,
            name,
            kind,
            role,
        });
    }
    Field::Present(Spanned::new(observables, items.span))
}

/// `tests:`: wrong types are reported here with `D011` (the same messages the shape check
/// used to give); missing keys and the `data` file check are the `D011` rule's.
fn read_tests(reader: &mut MapReader<'_>) -> Field<Vec<Field<UnitTest>>> {
    read_items(reader, "tests", Code::D011, |nested, span| {
        let name = nested.string("name", Code::D011);
        let earliest_time = nested.string("earliest_time", Code::D011);
        let latest_time = nested.string("latest_time", Code::D011);
        let attack_data = read_items(nested, "attack_data", Code::D011, |item, span| AttackData {
            span,
            data: item.string("data", Code::D011),
            source: item.string("source", Code::D011),
            sourcetype: item.string("sourcetype", Code::D011),
            custom_index: item.string("custom_index", Code::D011),
            host: item.string("host", Code::D011),
        });
        UnitTest {
            span,
            name,
            earliest_time,
            latest_time,
            attack_data,
        }
    })
}

/// A list of mappings under `key`, each read by `read_item` with a reader prefixed
/// `<key>.<index>.` below the parent's prefix. A non-list is `Invalid`; an item that is not a mapping is an
/// `Invalid` item, so the list keeps its length. Keys nobody reads are not reported
/// (contentctl 4.4.1 ignores them: `update_timestamp` is in 356 corpus `attack_data` items).
fn read_items<T>(
    reader: &mut MapReader<'_>,
    key: &str,
    code: Code,
    mut read_item: impl FnMut(&mut MapReader<'_>, Span) -> T,
) -> Field<Vec<Field<T>>> {
    let items = match reader.list(key, code) {
        Field::Present(items) => items,
        Field::Invalid(span) => return Field::Invalid(span),
        Field::Missing => return Field::Missing,
    };
    let mut typed = Vec::with_capacity(items.value.len());
    for (index, item) in items.value.into_iter().enumerate() {
        let span = item.span;
        let item_path = format!("{key}.{index}");
        if !matches!(item.value, Value::Map(_)) {
            typed.push(Field::Invalid(reader.push_wrong_type(
                &item_path,
                &item,
                "a mapping",
                code,
            )));
            continue;
        }
        let mut nested = reader.nested(item, &item_path);
        typed.push(Field::Present(Spanned::new(
            read_item(&mut nested, span),
            span,
        )));
    }
    Field::Present(Spanned::new(typed, items.span))
}

fn read_rba(parent: &mut MapReader<'_>, node: Node) -> Rba {
    let span = node.span;
    let mut reader = parent.nested(node, "rba");
    let message = reader.string("message", Code::D021);
    let risk_objects = reader.list("risk_objects", Code::D021);
    let threat_objects = reader.list("threat_objects", Code::D021);
    reader.finish(UnknownKeys::Forbid(Code::D021), "the `rba` block");
    Rba {
        span,
        message,
        risk_objects,
        threat_objects,
    }
}
