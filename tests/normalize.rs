//! CIM normalization from the shipped `detc_mapping`s, on events built by hand (the readers
//! have tests of their own; `tests/events_cli.rs` runs both on real files).

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken setup should fail loudly"
)]

use std::collections::BTreeMap;

use detc::events::normalize::{EMBEDDED, Normalizer, effective_sources, embedded};
use detc::events::{DatasetTable, Event, FieldTable, Origin};

/// The CIM fields of `event`, name → values, and its datasets.
fn cim(
    event: &Event<'_>,
    fields: &FieldTable,
    datasets: &DatasetTable,
) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in event.entries() {
        if entry.origin == Origin::Cim {
            out.entry(fields.name(entry.field).to_string())
                .or_default()
                .push(entry.value.to_string());
        }
    }
    let names = event
        .datasets()
        .iter()
        .map(|id| datasets.name(*id).to_string())
        .collect();
    (out, names)
}

fn normalizer(fields: &mut FieldTable, datasets: &mut DatasetTable) -> Normalizer {
    let loaded = embedded();
    let sources = effective_sources(None, &loaded.content);
    Normalizer::build(&sources, fields, datasets).expect("embedded mappings compile")
}

#[test]
fn embedded_files_load_cleanly_and_are_complete() {
    let loaded = embedded();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert!(
        loaded
            .content
            .data_sources
            .iter()
            .all(|source| source.detc_mapping.is_some())
    );
    let mut on_disk: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data_sources"))
            .expect("data_sources/")
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let text = std::fs::read_to_string(&path).ok()?;
                text.contains("\ndetc_mapping:")
                    .then(|| path.file_name()?.to_str().map(str::to_string))?
            })
            .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = EMBEDDED
        .iter()
        .map(|(name, _)| (*name).to_string())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded, "every shipped mapping is embedded");
}

const SYSMON: From = From::Source("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational");

/// A normalized event.
struct Normalized {
    event: Event<'static>,
    fields: FieldTable,
    cim: BTreeMap<String, Vec<String>>,
    datasets: Vec<String>,
}

/// Where an event says it comes from.
enum From {
    Source(&'static str),
    Sourcetype(&'static str),
}

/// An event from `origin` with raw `pairs`, normalized by the built-in mappings.
fn normalize(origin: From, pairs: &[(&str, &'static str)]) -> Normalized {
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let normalizer = normalizer(&mut fields, &mut datasets);
    let mut event = Event::new("");
    match origin {
        From::Source(source) => event.set_source(source),
        From::Sourcetype(sourcetype) => event.set_sourcetype(sourcetype),
    }
    for (name, value) in pairs {
        let id = fields.intern(name);
        event.push_raw(id, *value);
    }
    normalizer.apply(&mut event);
    let (cim, datasets) = cim(&event, &fields, &datasets);
    Normalized {
        event,
        fields,
        cim,
        datasets,
    }
}

#[test]
fn sysmon_1_process_fields() {
    let normalized = normalize(
        SYSMON,
        &[
            ("EventCode", "1"),
            ("Computer", "WIN-1.corp.local"),
            ("User", "CORP\\Alice"),
            ("Image", "C:\\Windows\\System32\\CMD.EXE"),
            ("ParentImage", "C:\\Windows\\explorer.exe"),
            ("OriginalFileName", "-"),
        ],
    );
    assert_eq!(normalized.datasets, ["Endpoint.Processes"]);
    let one = |name: &str| normalized.cim.get(name).map(|v| v.join("|"));
    assert_eq!(one("process_name").as_deref(), Some("CMD.EXE"));
    assert_eq!(one("parent_process_name").as_deref(), Some("explorer.exe"));
    assert_eq!(one("user").as_deref(), Some("Alice"));
    assert_eq!(one("dest").as_deref(), Some("WIN-1.corp.local"));
    assert_eq!(one("original_file_name"), None, "`-` is missing");
    assert_eq!(one("os").as_deref(), Some("unknown"), "default");
    assert_eq!(one("action").as_deref(), Some("allowed"));
}

#[test]
fn an_empty_value_reads_unknown_where_the_model_defaults() {
    let normalized = normalize(SYSMON, &[("EventCode", "1"), ("Computer", "")]);
    assert_eq!(
        normalized.cim["dest"],
        ["unknown"],
        "`dest` defaults; \"\" is replaced"
    );
}

#[test]
fn other_event_codes_join_nothing() {
    let normalized = normalize(SYSMON, &[("EventCode", "10")]);
    assert!(normalized.datasets.is_empty());
    assert!(normalized.cim.is_empty());
}

#[test]
fn registry_value_data_strips_the_type() {
    let normalized = normalize(
        SYSMON,
        &[
            ("EventCode", "13"),
            (
                "TargetObject",
                "HKLM\\System\\CurrentControlSet\\Control\\Lsa\\RunAsPPL",
            ),
            ("Details", "DWORD (0x00000001)"),
        ],
    );
    let cim = &normalized.cim;
    assert_eq!(normalized.datasets, ["Endpoint.Registry"]);
    assert_eq!(cim["registry_value_data"], ["0x00000001"]);
    assert_eq!(cim["registry_value_type"], ["DWORD"]);
    assert_eq!(cim["registry_value_name"], ["RunAsPPL"]);
    assert_eq!(cim["registry_key_name"], ["Lsa"]);
    assert_eq!(cim["registry_hive"], ["HKEY_LOCAL_MACHINE\\System"]);
    // Borrowed from the raw value, not copied.
    let data = normalized
        .fields
        .get("registry_value_data")
        .expect("interned");
    let entry = normalized
        .event
        .entries()
        .iter()
        .find(|entry| entry.field == data && entry.origin == Origin::Cim)
        .expect("value");
    assert!(matches!(entry.value, std::borrow::Cow::Borrowed(_)));
}

#[test]
fn zeek_direction_and_sums() {
    let normalized = normalize(
        From::Sourcetype("zeek_conn"),
        &[
            ("id_orig_h", "10.0.0.1"),
            ("id_resp_h", "10.0.0.2"),
            ("id_resp_p", "25"),
            ("proto", "TCP"),
            ("service", "smtp,ssl"),
            ("orig_bytes", "1000"),
            ("resp_bytes", "-"),
            ("conn_state", "S0"),
        ],
    );
    let cim = &normalized.cim;
    assert_eq!(normalized.datasets, ["Network_Traffic.All_Traffic"]);
    assert_eq!(cim["src"], ["10.0.0.1"]);
    assert_eq!(cim["dest_ip"], ["10.0.0.2"]);
    assert_eq!(cim["bytes_out"], ["1000"]);
    assert!(!cim.contains_key("bytes_in"), "`-` is unset");
    assert_eq!(cim["bytes"], ["1000"]);
    assert_eq!(cim["transport"], ["tcp"]);
    assert_eq!(cim["app"], ["smtp", "ssl"]);
    assert_eq!(cim["action"], ["blocked"]);
}

#[test]
#[ignore = "needs the corpus at /work/shared/corpus/security_content"]
fn corpus_tree_inherits_its_field_mappings() {
    let tree = detc::content::load(std::path::Path::new("/work/shared/corpus/security_content"))
        .expect("corpus loads");
    let shipped = embedded();
    let sources = effective_sources(Some(&tree.content), &shipped.content);
    // The corpus maps nothing itself, so every embedded mapping applies, and those whose
    // name the corpus defines inherit the corpus file's field_mappings.
    assert_eq!(sources.len(), EMBEDDED.len());
    let sysmon_1 = sources
        .iter()
        .find(|(source, _)| source.name() == Some("Sysmon EventID 1"))
        .expect("Sysmon 1");
    assert!(
        tree.content
            .data_sources
            .iter()
            .any(|source| std::ptr::eq(source, sysmon_1.0)),
        "inherits from the tree's file"
    );
    assert!(
        sysmon_1
            .0
            .field_mappings
            .value()
            .is_some_and(|m| !m.is_empty())
    );
    std::mem::forget(tree);
    std::mem::forget(shipped);
}

/// Every transform form, through a data source loaded from YAML as a tree would be.
#[test]
fn each_transform_form() {
    let yaml = r#"name: Test Source
id: 1b7bfb2c-b8e6-11eb-99ac-acde48001122
version: 1
date: '2024-10-17'
author: Jane Doe
description: Every transform form.
source: test
sourcetype: test
detc_mapping:
  version: 1
  match: {field: sourcetype, equals: TEST}
  nodes:
    - node: Endpoint.Processes
      fields:
        upper: {upper: name}
        concat: {concat: [name, {const: "@"}, domain]}
        concat_missing: {concat: [name, absent]}
        sum_float: {sum: [a, b, absent, word]}
        coalesce: {coalesce: [absent, name]}
        case:
          case:
            - {when: {not: {field: name, exists: true}}, then: {const: "no"}}
            - {when: {any: [{field: name, regex: '^b'}, {field: a, in: ["9"]}]}, then: {const: "yes"}}
        count: {count: {split: {field: list, sep: ";"}}}
        length: {length: name}
        lookup_default: {lookup: {key: name, table: {alice: a}, default: other}}
        every_match: {regex: {field: list, pattern: '(\d+)', all: true}}
        keep_unmatched: {regex: {input: {split: {field: list, sep: ";"}}, pattern: '^x(\d)$', else: keep}}
        nulls: {copy: dash, null_values: ["-"]}
        same: {case: [{when: {field: a, field_eq: c}, then: {const: equal}}]}
"#;
    let loaded = detc::content::load_files(
        std::path::Path::new("t"),
        vec![(
            "data_sources/test_source.yml".into(),
            yaml.as_bytes().to_vec(),
        )],
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let shipped = embedded();
    let sources: Vec<_> = effective_sources(Some(&loaded.content), &shipped.content)
        .into_iter()
        .filter(|(source, _)| source.name() == Some("Test Source"))
        .collect();
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let normalizer = Normalizer::build(&sources, &mut fields, &mut datasets).expect("compiles");
    let mut event = Event::new("");
    event.set_sourcetype("test");
    for (name, value) in [
        ("name", "bob"),
        ("domain", "corp"),
        ("a", "1.5"),
        ("b", "2"),
        ("c", "1.5"),
        ("word", "many"),
        ("list", "x1;;y22;x3"),
        ("dash", "-"),
    ] {
        let id = fields.intern(name);
        event.push_raw(id, value);
    }
    normalizer.apply(&mut event);
    let (cim, _) = cim(&event, &fields, &datasets);
    let expected: &[(&str, &[&str])] = &[
        ("upper", &["BOB"]),
        ("concat", &["bob@corp"]),
        ("sum_float", &["3.5"]),
        ("coalesce", &["bob"]),
        ("case", &["yes"]),
        ("count", &["3"]),
        ("length", &["3"]),
        ("lookup_default", &["other"]),
        ("every_match", &["1", "22", "3"]),
        ("keep_unmatched", &["1", "y22", "3"]),
        ("same", &["equal"]),
    ];
    for (name, values) in expected {
        assert_eq!(
            cim.get(*name).map(Vec::as_slice),
            Some(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>()[..]),
            "{name}"
        );
    }
    assert!(
        !cim.contains_key("concat_missing"),
        "a missing part makes concat missing"
    );
    assert!(!cim.contains_key("nulls"), "null_values drop `-`");
}

#[test]
fn an_unquoted_yaml_boolean_is_not_a_string() {
    let yaml = "name: Test Source\nid: 1b7bfb2c-b8e6-11eb-99ac-acde48001122\nversion: 1\n\
                date: '2024-10-17'\nauthor: Jane Doe\ndescription: d\nsource: s\nsourcetype: s\n\
                detc_mapping:\n  version: 1\n  match: {field: a, equals: b}\n  nodes:\n\
                \x20   - node: Endpoint.Processes\n      fields:\n        x: {const: yes}\n";
    let loaded = detc::content::load_files(
        std::path::Path::new("t"),
        vec![(
            "data_sources/test_source.yml".into(),
            yaml.as_bytes().to_vec(),
        )],
    );
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["N001"], "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0].message.contains("found a boolean"));
}
