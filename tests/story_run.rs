//! `detc run` of the story "Collection and Staging": our seven detections and the seven
//! upstream ones of the same file names (the corpus), over `samples/` and over the real
//! recordings the samples were taken from (the real negatives). Each run's rows (JSON lines),
//! the detections that cannot run yet and the rows per detection are snapshotted; over
//! `samples/`, the rows are also checked against `samples/expected.yml`, which says per row why
//! it is there (README.md) and where ours deliberately differs from upstream.
//!
//! The corpus and the real recordings live in `../shared` (found by `build.rs`); without them the
//! tests that need them are ignored with that reason.

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

/// The file stems of the story's detections, ours and upstream's alike.
const STORY: &[&str] = &[
    "detect_renamed_7_zip",
    "detect_renamed_winrar",
    "email_files_written_outside_of_the_outlook_directory",
    "suspicious_writes_to_windows_recycle_bin",
    "suspicious_writes_to_system_volume_information",
    "email_servers_sending_high_volume_traffic_to_hosts",
    "hosts_receiving_high_volume_of_network_traffic_from_email_server",
];

/// Detections that `detc run` cannot run yet. When one starts to run, its rows are checked
/// against `expected.yml` like the others'. (Empty since the expression evaluator was merged.)
const NOT_YET_RUNNABLE: &[&str] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_events() -> PathBuf {
    PathBuf::from(env!("DETC_SHARED_EVENTS"))
}

fn corpus() -> PathBuf {
    shared_events().join("../corpus/security_content")
}

/// The real recordings the samples' real events come from (README.md of samples/).
fn real_negatives() -> Vec<PathBuf> {
    let events = shared_events();
    vec![
        events.join("otrf/other/aptsimulator_cobaltstrike.json.gz"),
        events.join("otrf/credential_access/cmd_dumping_ntds_dit_file_ntdsutil.json.gz"),
        events.join("otrf/credential_access/cmd_sam_copy_esentutl.json.gz"),
        events.join("otrf/persistence/covenant_persistwmi.json.gz"),
        events.join(
            "../events-large/otrf/lateral_movement/covenant_dcom_iertutil_dll_hijack.json.gz",
        ),
    ]
}

struct Run {
    rows: Vec<Value>,
    /// The `cannot run` lines and the `rows per detection` block of stderr.
    summary: String,
    code: i32,
}

/// `detc run` of the story's seven detections of `content` over `events`, as JSON lines.
fn run(content: &Path, events: &[PathBuf]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_detc"));
    command.arg("run").arg("--content").arg(content);
    for stem in STORY {
        command.args(["--detection", stem]);
    }
    command.arg("--events").args(events);
    command.args([
        "--assets",
        "samples/assets.csv",
        "--now",
        "latest",
        "--format",
        "jsonl",
    ]);
    let output = command.current_dir(root()).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let rows = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let mut summary = String::new();
    let mut in_rows = false;
    for line in stderr.lines() {
        in_rows |= line.starts_with("rows per detection");
        if in_rows || line.contains("cannot run") {
            summary.push_str(line);
            summary.push('\n');
        }
    }
    Run {
        rows,
        summary,
        code: output.status.code().unwrap_or(-1),
    }
}

/// The snapshot text: exit code, the summary, then one row per line.
fn snapshot_text(run: &Run) -> String {
    let mut text = format!("exit code {}\n{}", run.code, run.summary);
    for row in &run.rows {
        text.push_str(&row.to_string());
        text.push('\n');
    }
    text
}

fn snapshot(name: &str, run: &Run) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, snapshot_text(run));
    });
}

#[derive(Debug, Deserialize)]
struct Expected {
    detections: Vec<ExpectedDetection>,
}

#[derive(Debug, Deserialize)]
struct ExpectedDetection {
    name: String,
    ours: Vec<BTreeMap<String, Value>>,
    upstream: Vec<BTreeMap<String, Value>>,
    differs: String,
}

/// A value as text: numbers as written, multivalues joined with `|`.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(values) => values.iter().map(text).collect::<Vec<_>>().join("|"),
        other => other.to_string(),
    }
}

/// Every detection's rows match the expected ones one to one (each expected row's fields all
/// present with those values), except the detections that cannot run yet.
fn check_expected(run: &Run, ours: bool) {
    let expected: Expected = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("samples/expected.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(expected.detections.len(), STORY.len());
    for detection in &expected.detections {
        assert!(!detection.differs.is_empty(), "{}", detection.name);
        let rows: Vec<&Value> = run
            .rows
            .iter()
            .filter(|row| row["detection"] == detection.name.as_str())
            .collect();
        if NOT_YET_RUNNABLE.contains(&detection.name.as_str()) {
            assert!(
                run.summary
                    .contains(&format!("`{}` cannot run", detection.name)),
                "{} runs now: check its rows against expected.yml and update NOT_YET_RUNNABLE\n{}",
                detection.name,
                run.summary
            );
            continue;
        }
        let wanted = if ours {
            &detection.ours
        } else {
            &detection.upstream
        };
        assert_eq!(rows.len(), wanted.len(), "{}: {rows:#?}", detection.name);
        for want in wanted {
            let matching = rows
                .iter()
                .filter(|row| {
                    want.iter()
                        .all(|(field, value)| row.get(field).map(text) == Some(text(value)))
                })
                .count();
            assert_eq!(
                matching, 1,
                "{}: one row with {want:?} in {rows:#?}",
                detection.name
            );
        }
    }
}

#[test]
fn ours_over_samples() {
    let run = run(&root(), &[root().join("samples")]);
    check_expected(&run, true);
    snapshot("story_run__ours_over_samples", &run);
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events and ../shared/corpus (not found by build.rs)"
)]
fn upstream_over_samples() {
    let run = run(&corpus(), &[root().join("samples")]);
    check_expected(&run, false);
    snapshot("story_run__upstream_over_samples", &run);
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events and ../shared/events-large (not found by build.rs)"
)]
fn ours_over_the_real_negatives() {
    let run = run(&root(), &real_negatives());
    assert!(run.rows.is_empty(), "{:#?}", run.rows);
    snapshot("story_run__ours_over_real_negatives", &run);
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events, events-large and corpus (not found by build.rs)"
)]
fn upstream_over_the_real_negatives() {
    let run = run(&corpus(), &real_negatives());
    snapshot("story_run__upstream_over_real_negatives", &run);
}
