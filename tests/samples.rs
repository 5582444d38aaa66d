//! `samples/`, the events of the story "Collection and Staging": every file is read without a
//! bad record, and every event is what `samples/expected.yml` (and `samples/README.md`) says it
//! is: the datasets it joins and the raw or CIM fields that decide whether a detection sees it.
//! The `detections` part of `expected.yml` (the rows of each detection) is checked by the
//! `detc run` tests once `detc run` exists.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken setup should fail loudly"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

#[derive(Debug, Deserialize)]
struct Expected {
    run: Run,
    files: BTreeMap<String, FileExpectation>,
}

#[derive(Debug, Deserialize)]
struct Run {
    events: String,
    assets: String,
}

/// A file's events one by one, or (for the network file) only how many and in which datasets.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FileExpectation {
    Events(Vec<EventExpectation>),
    Count { count: usize, datasets: Vec<String> },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventExpectation {
    kind: String,
    from: String,
    what: String,
    datasets: Vec<String>,
    fields: BTreeMap<String, String>,
    #[serde(default)]
    absent: Vec<String>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(samples().join("expected.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// `detc events` over one sample file, with the asset list: the events and the stderr summary.
fn events(file: &Path, assets: &Path) -> (Vec<Value>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(["events", "--events"])
        .arg(file)
        .arg("--assets")
        .arg(assets)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let events = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (events, String::from_utf8(output.stderr).unwrap())
}

/// A field of a printed event, raw or CIM, as one string (a multivalue joined with `|`).
fn field(event: &Value, name: &str) -> Option<String> {
    let value = event["cim"].get(name).or_else(|| event["raw"].get(name))?;
    Some(match value {
        Value::String(text) => text.clone(),
        Value::Array(values) => values
            .iter()
            .map(|v| v.as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("|"),
        other => other.to_string(),
    })
}

fn datasets(event: &Value) -> Vec<String> {
    event["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_sample_event_is_what_expected_yml_says() {
    let expected = expected();
    assert_eq!(expected.run.events, "samples");
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join(&expected.run.assets);
    for (file, expectation) in &expected.files {
        let (events, summary) = events(&samples().join(file), &assets);
        assert!(!summary.contains("bad record"), "{file}: {summary}");
        match expectation {
            FileExpectation::Events(wanted) => {
                assert_eq!(events.len(), wanted.len(), "{file}: event count");
                for (n, (event, want)) in events.iter().zip(wanted).enumerate() {
                    let at = format!("{file} event {}", n + 1);
                    assert!(
                        ["real", "derived"].contains(&want.kind.as_str()),
                        "{at}: kind"
                    );
                    assert!(!want.from.is_empty() && !want.what.is_empty(), "{at}");
                    assert_eq!(datasets(event), want.datasets, "{at}: datasets");
                    for (name, value) in &want.fields {
                        assert_eq!(field(event, name).as_ref(), Some(value), "{at}: {name}");
                    }
                    for name in &want.absent {
                        assert_eq!(field(event, name), None, "{at}: {name} should be absent");
                    }
                }
            }
            FileExpectation::Count {
                count,
                datasets: want,
            } => {
                assert_eq!(events.len(), *count, "{file}: event count");
                for event in &events {
                    assert_eq!(&datasets(event), want, "{file}");
                }
            }
        }
    }
}

/// Every file of `samples/` that holds events is described in `expected.yml`, and the folder
/// walk leaves the side files (README, expected results, asset list) out.
#[test]
fn expected_yml_covers_every_sample_file() {
    let expected = expected();
    let mut on_disk = Vec::new();
    for sub in ["endpoint", "network"] {
        for entry in std::fs::read_dir(samples().join(sub)).unwrap() {
            on_disk.push(format!(
                "{sub}/{}",
                entry.unwrap().file_name().to_string_lossy()
            ));
        }
    }
    on_disk.sort();
    let described: Vec<_> = expected.files.keys().cloned().collect();
    assert_eq!(on_disk, described);

    let walked = detc::events::input_files(&[samples()]).unwrap();
    let walked: Vec<_> = walked
        .iter()
        .map(|f| {
            f.strip_prefix(samples())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut walked_sorted = walked.clone();
    walked_sorted.sort();
    assert_eq!(walked_sorted, described);
}

/// The two network detections need the asset list: without it no event is an email server's.
#[test]
fn only_the_asset_list_makes_mail01_an_email_server() {
    let conn = samples().join("network/conn.json.gz");
    let (with, _) = events(&conn, &samples().join("assets.csv"));
    let categorised = with
        .iter()
        .filter(|e| {
            field(e, "src_category").is_some_and(|c| c.split('|').any(|v| v == "email_server"))
                || field(e, "dest_category")
                    .is_some_and(|c| c.split('|').any(|v| v == "email_server"))
        })
        .count();
    // 32 downloads from mail01 and 28 pushes by it; the 7 file server connections are not mail.
    assert_eq!(categorised, 60);
    let empty = std::env::temp_dir().join(format!("detc-no-assets-{}.csv", std::process::id()));
    std::fs::write(&empty, "ip,category\n").unwrap();
    let (without, _) = events(&conn, &empty);
    std::fs::remove_file(&empty).unwrap();
    assert!(
        without
            .iter()
            .all(|e| field(e, "src_category").is_none() && field(e, "dest_category").is_none())
    );
}
