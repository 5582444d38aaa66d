//! The readers over the real event data of `../shared/events/` (found by `build.rs`; without it
//! these tests are ignored, with that reason): every file's events against `index.tsv`, the two
//! broken XML files, and every EVTX file against its XML export, field by field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use detc::events::{BadReason, Event, EventFormat, FieldTable, ReadConfig, ReadSummary, Reader};

fn shared() -> PathBuf {
    PathBuf::from(env!("DETC_SHARED_EVENTS"))
}

/// One event as comparable text: reserved fields, then `name[raw|cim]=v1|v2` in order.
fn render(event: &Event<'_>, fields: &FieldTable) -> Vec<String> {
    let mut out = vec![
        format!(
            "_time={}",
            event
                .time()
                .map(|t| t.nanos().to_string())
                .unwrap_or_default()
        ),
        format!("source={}", event.source().unwrap_or_default()),
        format!("sourcetype={}", event.sourcetype().unwrap_or_default()),
        format!("host={}", event.host().unwrap_or_default()),
    ];
    for field in event.fields() {
        out.push(format!(
            "{}[{:?}]={}",
            fields.name(field.field),
            field.origin,
            field.values().collect::<Vec<_>>().join("|")
        ));
    }
    out
}

/// Reads one file with a fresh reader: its summary and its events rendered.
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helper"
)]
fn read(path: &Path) -> (ReadSummary, Vec<Vec<String>>) {
    let mut reader = Reader::new(ReadConfig::default(), FieldTable::new());
    let mut events = Vec::new();
    reader
        .read_file(
            path,
            &mut |event: &mut Event<'_>, fields: &mut FieldTable| {
                events.push(render(event, fields));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    (reader.into_parts().1, events)
}

struct Indexed {
    path: String,
    format: String,
    events: u64,
}

#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helper"
)]
fn index() -> Vec<Indexed> {
    let text = std::fs::read_to_string(shared().join("index.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            Indexed {
                path: columns[0].to_owned(),
                format: columns[1].to_owned(),
                events: columns[2].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events (not found by build.rs)"
)]
fn every_indexed_file_gives_its_events() {
    let mut by_format: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let index = index();
    assert_eq!(index.len(), 577);
    for entry in &index {
        let (summary, events) = read(&shared().join(&entry.path));
        assert_eq!(summary.events(), events.len() as u64);
        let total = by_format.entry(entry.format.clone()).or_default();
        total.0 += entry.events;
        total.1 += summary.events();
        // Each file is read in the format the index names, and only in it (one OTRF recording,
        // `empire_enable_rdp`, is winlogbeat 6 JSON, which the index counts as OTRF).
        let formats: Vec<_> = summary.by_format.keys().map(|f| f.as_str()).collect();
        if entry.path == "otrf/defense_evasion/empire_enable_rdp.json.gz" {
            assert_eq!(formats, ["winlogbeat6-json"]);
        } else {
            assert_eq!(formats, [entry.format.as_str()], "{}", entry.path);
        }
        match entry.path.as_str() {
            "xml/bad_truncated.xml.gz" => {
                // 20 whole events; the 21st, cut in half, is reported where it starts.
                assert_eq!(events.len(), 20);
                assert_eq!(summary.bad.len(), 1, "{:?}", summary.bad);
                let bad = &summary.bad[0];
                assert_eq!(bad.reason, BadReason::TruncatedXml);
                assert!(bad.path.ends_with("xml/bad_truncated.xml.gz"));
                let text = gunzip(&shared().join(&entry.path));
                let last_start = text.rfind("<Event xmlns=").unwrap() as u64;
                assert_eq!(bad.offset, last_start);
            }
            "xml/bad_utf8.xml.gz" => {
                // All 10 are read; the 5th has U+FFFD for the bad bytes, reported at byte 4,949.
                assert_eq!(events.len(), 10);
                assert_eq!(summary.bad.len(), 1, "{:?}", summary.bad);
                let bad = &summary.bad[0];
                assert_eq!(bad.reason, BadReason::InvalidUtf8);
                assert_eq!(bad.offset, 4949);
                assert!(
                    events[4]
                        .iter()
                        .any(|f| f.starts_with("Image[Raw]=C:\\Temp\\\u{FFFD}")),
                    "{:?}",
                    events[4]
                );
            }
            _ => {
                assert_eq!(summary.events(), entry.events, "{}", entry.path);
                assert!(summary.bad.is_empty(), "{}: {:?}", entry.path, summary.bad);
            }
        }
    }
    let totals: Vec<_> = by_format
        .iter()
        .map(|(f, (want, got))| format!("{f} {want} {got}"))
        .collect();
    assert_eq!(
        totals,
        [
            "evtx 2191 2191",
            "otrf-json 137813 137813",
            "splunk-json 600 600",
            "winlogbeat-json 600 600",
            // xml/ and the evtx/ exports; the truncated 21st event of bad_truncated.xml.gz is counted
            // by the index, not read.
            "xml 4392 4391",
            "zeek-json 1072 1072",
            "zeek-tsv 2803 2803",
        ]
    );
}

#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helper"
)]
fn gunzip(path: &Path) -> String {
    use std::io::Read;
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    String::from_utf8_lossy(&text).into_owned()
}

/// How a field of an EVTX event may differ from the same field of its python-evtx export. Each
/// is a difference in how python-evtx renders the same binary value, not in what the EVTX holds;
/// Windows (and so Splunk's XmlWinEventLog) renders it as the evtx crate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rendering {
    /// FILETIME (100 ns) through a Python float, rounded to microseconds: a few µs off.
    TimeRounding,
    /// HexInt32/HexInt64 zero-padded (`0x000000000008a585`; Windows writes `0x8a585`).
    HexPadding,
    /// Booleans as Python writes them (`False`; Windows writes `false`).
    BooleanCase,
    /// `<Binary>` in base64 (Windows writes upper-case hex).
    BinaryBase64,
    /// A whitespace-only value (`Description` = one space), dropped when the export removed
    /// whitespace between tags.
    WhitespaceDropped,
    /// An array substitution (classic PowerShell 400/600/800 `Data`, NetLogon 5805): python-evtx
    /// writes one value of escaped `<string>…</string>` elements, Windows and the crate one
    /// `<Data>` per string (here: the multivalue's first value is the first string).
    ArraySubstitution,
    /// A garbled `PrivilegeList` (Security 4672/4765 in a few samples: `ǿ_-`): a character the
    /// crate writes as `_` and python-evtx drops (which character the record holds was not
    /// checked).
    GarbledPrivilegeList,
}

fn rendering_difference(a: &str, b: &str) -> Option<Rendering> {
    if let (Some(a), Some(b)) = (time_of(a), time_of(b)) {
        return ((a - b).abs() <= 5_000).then_some(Rendering::TimeRounding);
    }
    let (name_a, value_a) = a.split_once('=')?;
    let (name_b, value_b) = b.split_once('=')?;
    if name_a != name_b {
        return None;
    }
    if hex_of(a).is_some() && hex_of(a) == hex_of(b) {
        return Some(Rendering::HexPadding);
    }
    if matches!(value_b, "True" | "False") && value_a == value_b.to_lowercase() {
        return Some(Rendering::BooleanCase);
    }
    if name_a == "Binary[Raw]"
        && from_hex(value_a).is_some()
        && from_hex(value_a) == from_base64(value_b)
    {
        return Some(Rendering::BinaryBase64);
    }
    if let Some(strings) = value_b.strip_prefix("<string>") {
        let first = strings.split("</string>").next().unwrap_or_default();
        let first_a = value_a.split('|').next().unwrap_or_default();
        return (first.trim() == first_a.trim()).then_some(Rendering::ArraySubstitution);
    }
    (name_a == "PrivilegeList[Raw]" && value_a.replace('_', "") == value_b)
        .then_some(Rendering::GarbledPrivilegeList)
}

#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helper"
)]
fn from_hex(text: &str) -> Option<Vec<u8>> {
    text.len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
                .collect()
        })
        .flatten()
}

#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helper"
)]
fn from_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|&b| b != b'=') {
        bits = bits << 6 | ALPHABET.iter().position(|&c| c == byte)? as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events (not found by build.rs)"
)]
fn evtx_files_give_the_events_of_their_xml_exports() {
    let files = detc::events::input_files(&[shared().join("evtx")]).unwrap();
    let evtx: Vec<_> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "evtx"))
        .collect();
    assert_eq!(evtx.len(), 244);
    let mut compared = 0;
    let mut differences: BTreeMap<Rendering, usize> = BTreeMap::new();
    for path in evtx {
        let file = path.display().to_string();
        let export = PathBuf::from(format!("{}.xml.gz", path.with_extension("").display()));
        let (evtx_summary, evtx_events) = read(path);
        let (xml_summary, xml_events) = read(&export);
        assert!(
            evtx_summary.bad.is_empty(),
            "{file}: {:?}",
            evtx_summary.bad
        );
        assert!(
            xml_summary.bad.is_empty(),
            "{}: {:?}",
            export.display(),
            xml_summary.bad
        );
        assert_eq!(evtx_events.len(), xml_events.len(), "{file}");
        for (index, (from_evtx, from_xml)) in evtx_events.iter().zip(&xml_events).enumerate() {
            let mut from_evtx = from_evtx.clone();
            from_evtx.retain(|line| {
                let blank = line
                    .split_once("]=")
                    .is_some_and(|(_, v)| !v.is_empty() && v.trim().is_empty());
                if blank && !from_xml.contains(line) {
                    *differences.entry(Rendering::WhitespaceDropped).or_default() += 1;
                }
                !blank || from_xml.contains(line)
            });
            assert_eq!(
                from_evtx.len(),
                from_xml.len(),
                "{file} event {index}:\n{from_evtx:?}\n{from_xml:?}"
            );
            for (a, b) in from_evtx.iter().zip(from_xml) {
                if a != b {
                    let kind = rendering_difference(a, b)
                        .unwrap_or_else(|| panic!("{file} event {index}: {a} vs {b}"));
                    *differences.entry(kind).or_default() += 1;
                }
            }
        }
        compared += evtx_events.len();
    }
    assert_eq!(compared, 2191);
    // Every event compared field by field; these are all the differences, each a known
    // python-evtx rendering (see `Rendering`), counted so that a new kind or a new case fails.
    let counts: Vec<_> = differences
        .iter()
        .map(|(kind, count)| format!("{kind:?} {count}"))
        .collect();
    eprintln!("{counts:?}");
    assert_eq!(
        counts,
        [
            "TimeRounding 4114",
            "HexPadding 2029",
            "BooleanCase 456",
            "BinaryBase64 7",
            "WhitespaceDropped 5",
            "ArraySubstitution 5",
            "GarbledPrivilegeList 4",
        ]
    );
}

/// The time in nanoseconds of a rendered `_time` or `SystemTime` line.
fn time_of(line: &str) -> Option<i64> {
    if let Some(nanos) = line.strip_prefix("_time=") {
        return nanos.parse().ok();
    }
    let text = line.strip_prefix("SystemTime[Raw]=")?;
    detc::events::Timestamp::parse(text).map(|t| t.nanos())
}

/// A `name=0x…` line's name and number.
fn hex_of(line: &str) -> Option<(&str, u64)> {
    let (name, value) = line.split_once('=')?;
    let digits = value.strip_prefix("0x")?;
    Some((name, u64::from_str_radix(digits, 16).ok()?))
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events (not found by build.rs)"
)]
fn a_folder_is_read_in_sorted_order_with_a_summary() {
    let mut reader = Reader::new(ReadConfig::default(), FieldTable::new());
    let mut count = 0u64;
    reader
        .read_paths(
            &[shared().join("zeek"), shared().join("json")],
            &mut |_: &mut Event<'_>, _: &mut FieldTable| count += 1,
        )
        .unwrap();
    let (_, summary) = reader.into_parts();
    assert_eq!(summary.files, 15);
    assert_eq!(count, 3875 + 1200);
    assert_eq!(summary.events_of(EventFormat::ZeekTsv), 2803);
    assert_eq!(
        summary.by_source.get(&Some(
            "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational".into()
        )),
        Some(&1200)
    );
    assert!(summary.bad.is_empty());
}

/// Replays every kept fuzz input (`tests/fixtures/regressions/read_*`) the way its target reads
/// it, and checks the outcome each README states.
#[test]
fn fuzz_regressions_replay() {
    use detc::events::InputFormat;
    let mut replayed = 0;
    for (target, format) in [
        ("read_xml", InputFormat::Xml),
        ("read_json", InputFormat::JsonLines),
        ("read_zeek", InputFormat::ZeekTsv),
        ("read_evtx", InputFormat::Evtx),
    ] {
        for file in common::regression_inputs(target) {
            let bytes = std::fs::read(&file).unwrap();
            let (format, input) = match (target, bytes.split_first()) {
                ("read_json", Some((layout, rest))) if layout & 1 == 1 => {
                    (InputFormat::JsonArray, rest)
                }
                ("read_json", Some((_, rest))) => (format, rest),
                _ => (format, &bytes[..]),
            };
            let summary = detc::events::read::check_read(Some(format), input)
                .unwrap_or_else(|failure| panic!("{}: {failure}", file.display()));
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let reasons: Vec<_> = summary
                .bad
                .iter()
                .map(|b| b.reason.code().as_str())
                .collect();
            let expected: Option<(u64, &[&str])> = match name.as_str() {
                "event-start-at-end.xml" => Some((1, &["R001"])),
                "odd-entities-and-names.xml" => Some((2, &[])),
                "array-without-end.json" => Some((2, &["R002"])),
                "splunk-bad-raw-and-lone-surrogate.json" => Some((1, &["R001", "R002"])),
                "winlogbeat6-flattened-then-more-members.json" => Some((1, &["R003"])),
                "empty-key.json" => Some((1, &[])),
                "splunk-result-without-raw-or-sourcetype.json" => Some((1, &["R003"])),
                "empty-column-name.log" => Some((3, &[])),
                "bad-separator-and-columns.log" => Some((0, &["R009", "R009"])),
                "short-header.evtx" => Some((0, &["R008"])),
                _ => None,
            };
            if let Some((events, bad)) = expected {
                assert_eq!(
                    (summary.events(), reasons.as_slice()),
                    (events, bad),
                    "{name}: {:?}",
                    summary.bad
                );
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 6);
}
