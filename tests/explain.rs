//! `detc compile --explain NAME` for compiled detections: the plan (routing, the literals the
//! detection gives the automaton or why it is always checked, the verification tree, the
//! stages) and the figures of the automaton over the tree's compiled detections.
//! Snapshots hold the part from `plan:` on (the expanded SPL and the syntax tree before it
//! have their own tests), for one of our detections (the repository's own tree), and for two
//! corpus detections copied into `tests/fixtures/explain/`: a tstats one whose literals mix
//! exact values and wildcard pieces, and one whose only test is a number (always checked).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken setup should fail loudly"
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn explain(root: &Path, name: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(["compile", "--content"])
        .arg(root)
        .args(["--explain", name])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The output from `plan:` on, after checking the run passed.
fn plan_part(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(text.contains("\nstatus: compiled\n"), "{text}");
    let start = text.find("\nplan:\n").expect("a plan section");
    text[start + 1..].to_owned()
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/explain")
}

/// Our Recycle Bin detection: a wildcard piece for the automaton, and a `join` subsearch
/// that is always checked (it only excludes Explorer).
#[test]
fn our_detection() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = plan_part(&explain(
        root,
        "Suspicious writes to windows Recycle Bin",
        &[],
    ));
    assert!(
        text.contains("  \"$recycle.bin\" (wildcard piece, automaton) in file_path\n"),
        "{text}"
    );
    assert!(
        text.contains("subsearch 0:\n  routing: data model datasets Endpoint.Processes\n  automaton: always checked after routing (no literal: `NOT process_path = "),
        "{text}"
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("explain__recycle_bin", text);
    });
    // Exact values of an IN list go to the hash tables; the NOT part gives no literal.
    let text = plan_part(&explain(root, "Detect Renamed 7-Zip", &[]));
    assert!(
        text.contains("\"7zfm.exe\" (exact value, hash table) in original_file_name"),
        "{text}"
    );
    assert!(!text.contains("always checked after routing ("), "{text}");
}

#[test]
fn corpus_tstats_detection() {
    let text = plan_part(&explain(
        &fixtures(),
        "7zip CommandLine To SMB Share Path",
        &[],
    ));
    assert!(
        text.contains("routing: data model datasets Endpoint.Processes"),
        "{text}"
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("explain__corpus_7zip_smb_share", text);
    });
}

#[test]
fn always_checked_detection() {
    let text = plan_part(&explain(
        &fixtures(),
        "network_traffic_to_active_directory_web_services_protocol",
        &[],
    ));
    assert!(
        text.contains("automaton: always checked after routing (no literal: `dest_port = \"9389\" (number)` is a number"),
        "{text}"
    );
    assert!(
        text.contains("  units always checked after routing: 1\n"),
        "{text}"
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("explain__always_checked_adws_port", text);
    });
}

/// The build time varies between runs, so it is printed only on request.
#[test]
fn timings_on_request() {
    let without = plan_part(&explain(
        &fixtures(),
        "7zip_commandline_to_smb_share_path",
        &[],
    ));
    assert!(!without.contains("build time"), "{without}");
    let with = plan_part(&explain(
        &fixtures(),
        "7zip_commandline_to_smb_share_path",
        &["--timings"],
    ));
    let last = with.lines().last().unwrap_or("");
    assert!(
        last.starts_with("  build time: ") && last.ends_with(" ms"),
        "{with}"
    );
    assert_eq!(with.lines().count(), without.lines().count() + 1);
}
