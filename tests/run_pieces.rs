//! `detc run` gives the same bytes whatever the thread count and however large files are cut
//! into pieces (`--chunk-bytes`): over `samples/` (decompressed, so that its files can be
//! cut) and over a real OTRF recording of `../shared/events` (found by `build.rs`; without it
//! that test is ignored with the reason).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken setup should fail loudly"
)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `from` (a `.gz` file, or every one under a folder), decompressed into `to` (flat, names
/// kept without `.gz`).
fn gunzip_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries: Vec<PathBuf> = if dir.is_dir() {
            std::fs::read_dir(&dir)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .collect()
        } else {
            vec![dir]
        };
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "gz") {
                let mut text = Vec::new();
                flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap())
                    .read_to_end(&mut text)
                    .unwrap();
                std::fs::write(to.join(path.file_stem().unwrap()), text).unwrap();
            }
        }
    }
}

/// stdout and stderr of `detc run ARGS --events EVENTS` with `extra` options.
fn run(args: &[&str], events: &Path, extra: &[&str]) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_detc"))
        .arg("run")
        .args(args)
        .arg("--events")
        .arg(events)
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{extra:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// One thread and whole files, against two and three threads with automatic pieces and with
/// pieces of `sizes` bytes.
fn same_everywhere(args: &[&str], events: &Path, sizes: &[&str]) -> (String, String) {
    let one = run(args, events, &["--threads", "1"]);
    assert_eq!(run(args, events, &["--threads", "2"]), one, "2 threads");
    for size in sizes {
        for threads in ["1", "3"] {
            let got = run(args, events, &["--threads", threads, "--chunk-bytes", size]);
            assert_eq!(got, one, "{threads} threads, pieces of {size} bytes");
        }
    }
    one
}

#[test]
fn samples_give_the_same_rows_in_pieces() {
    let dir = std::env::temp_dir().join(format!("detc-pieces-samples-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    gunzip_into(&root().join("samples"), &dir);
    let args = [
        "--story",
        "Collection and Staging",
        "--assets",
        "samples/assets.csv",
        "--now",
        "latest",
        "--format",
        "jsonl",
    ];
    let (rows, _) = same_everywhere(&args, &dir, &["700", "5000"]);
    assert!(rows.lines().count() >= 7, "{rows}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg_attr(
    detc_no_shared_events,
    ignore = "needs ../shared/events (not found by build.rs)"
)]
fn a_real_recording_gives_the_same_rows_in_pieces() {
    let dir = std::env::temp_dir().join(format!("detc-pieces-real-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let events = PathBuf::from(env!("DETC_SHARED_EVENTS"));
    // 2.2 MB of Sysmon and Security events, with the DFS Replication service's writes into
    // System Volume Information, which our detection leaves out as benign: the rows are the
    // CSV header, and the summary (events by source, rows per detection) is compared too.
    gunzip_into(
        &events.join("otrf/persistence/covenant_persistwmi.json.gz"),
        &dir,
    );
    let args = [
        "--story",
        "Collection and Staging",
        "--now",
        "latest",
        "--format",
        "csv",
    ];
    let (rows, summary) = same_everywhere(&args, &dir, &["333333"]);
    assert_eq!(rows, "detection\n");
    assert!(
        summary.contains("read 1,001 events from 1 file"),
        "{summary}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
