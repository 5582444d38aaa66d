//! `detc run` end to end over `tests/fixtures/run/` (derived Sysmon events, see its README):
//! the story's detections that lower give the rows Splunk would, for the right reason; the
//! summary; exit codes and did-you-mean.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken setup should fail loudly"
)]

use std::process::{Command, Output};

use serde_json::Value;

fn detc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("detc runs")
}

fn rows(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn rows_of<'a>(rows: &'a [Value], detection: &str) -> Vec<&'a Value> {
    rows.iter()
        .filter(|row| row["detection"] == detection)
        .collect()
}

#[test]
fn renamed_7zip_is_found_and_the_genuine_one_is_not() {
    let output = detc(&[
        "run",
        "--detection",
        "detect_renamed_7_zip",
        "--events",
        "tests/fixtures/run",
        "--format",
        "jsonl",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = rows(&output);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row["detection"], "Detect Renamed 7-Zip");
    assert_eq!(row["process_name"], "archiver.exe");
    assert_eq!(row["original_file_name"], "7z.exe");
    // count is a number, times through security_content_ctime in UTC.
    assert_eq!(row["count"], 1);
    assert_eq!(row["firstTime"], "2019-04-27T15:57:53");
    // drop_dm_object_name: no field keeps its dataset prefix, and the by fields come first.
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    assert!(
        keys.iter().all(|key| !key.starts_with("Processes.")),
        "{keys:?}"
    );
}

#[test]
fn story_runs_with_joins_and_summary() {
    let output = detc(&[
        "run",
        "--story",
        "Collection and Staging",
        "--events",
        "tests/fixtures/run",
        "--format",
        "jsonl",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let rows = rows(&output);
    // The Recycle Bin write joins its process (from the tstats subsearch) by dest and guid.
    let recycle = rows_of(&rows, "Suspicious writes to windows Recycle Bin");
    assert_eq!(recycle.len(), 1, "{rows:?}");
    assert_eq!(recycle[0]["process_name"], "dropper.exe");
    assert_eq!(
        recycle[0]["file_path"],
        "C:\\$Recycle.Bin\\S-1-5-21-1\\payload.exe"
    );
    let pst = rows_of(
        &rows,
        "Email files written outside of the Outlook directory",
    );
    assert_eq!(pst.len(), 1);
    assert_eq!(pst[0]["file_name"], "archive.pst");
    let svi = rows_of(&rows, "Suspicious writes to System Volume Information");
    assert_eq!(svi.len(), 1);
    assert_eq!(svi[0]["file_name"], "stash.dat");
    assert!(rows_of(&rows, "Detect Renamed WinRAR").is_empty());
    assert!(stderr.contains("rows per detection:"), "{stderr}");
    assert!(stderr.contains("read 6 events"), "{stderr}");
}

#[test]
fn detections_without_their_data_model_are_listed() {
    let output = detc(&[
        "run",
        "--detection",
        "detect_renamed_winrar",
        "--events",
        "tests/fixtures/events/zeek_conn.log",
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "1 detection(s) saw no event of their data model or source:\n  Detect Renamed WinRAR"
        ),
        "{stderr}"
    );
}

#[test]
fn unknown_names_are_usage_errors_with_a_suggestion() {
    let output = detc(&[
        "run",
        "--detection",
        "detect_renamed_7_zp",
        "--events",
        "tests/fixtures/run",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean `detect_renamed_7_zip`"),
        "{stderr}"
    );
    let output = detc(&["run", "--story", "Collection and Stagin", "--events", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("did you mean `Collection and Staging`")
    );
}

#[test]
fn unreadable_input_exits_1_and_csv_has_a_header() {
    let output = detc(&[
        "run",
        "--detection",
        "detect_renamed_7_zip",
        "--events",
        "no/such/file",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let output = detc(&[
        "run",
        "--detection",
        "detect_renamed_7_zip",
        "--events",
        "tests/fixtures/run",
        "--format",
        "csv",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("detection,dest,user,parent_process_name,process_name"),
        "{stdout}"
    );
}

/// The network detections: tstats sum by `_time span=1d`, eventstats avg/stdev over the history
/// (`relative_time(now(), "@d")`), where, eval round, table. `tests/fixtures/run_network/`:
/// hand-written Zeek conn records (an email server, 10.0.0.25 by the asset list, sending five
/// days of ~1 kB to two hosts, then 1 MB to one of them "today", 2024-03-10), and a host that
/// is not an email server sending far more (never counted).
#[test]
fn email_server_volume_uses_the_search_time() {
    let base = [
        "run",
        "--detection",
        "email_servers_sending_high_volume_traffic_to_hosts",
        "--events",
        "tests/fixtures/run_network/zeek_conn_email.json",
        "--assets",
        "tests/fixtures/run_network/assets.csv",
        "--format",
        "jsonl",
    ];
    for now in ["2024-03-10T12:00:00Z", "latest"] {
        let mut args = base.to_vec();
        args.extend(["--now", now]);
        let output = detc(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let rows = rows(&output);
        assert_eq!(rows.len(), 1, "--now {now}: {rows:?}");
        let row = &rows[0];
        assert_eq!(row["dest_ip"], "10.1.1.5");
        assert_eq!(row["bytes_out"], 1_000_000);
        assert_eq!(row["num_data_samples"], 5);
        assert_eq!(row["avg_bytes_out"], 1000);
        // Sample standard deviations (n-1): 52.70 over all ten history days, 79.06 for the host.
        assert_eq!(row["server_deviations"], 18954.69);
        assert_eq!(row["host_deviations"], 12636.46);
        // Columns in `table` order.
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys[1], "_time");
        assert_eq!(keys[2], "dest_ip");
    }
    // A search time after the events (the repository's detc.toml says `latest`, so it is
    // given; the default, the current time, is tested with a tree that has no detc.toml in
    // `latest_is_the_search_time_of_the_per_event_stage`): every day is history, nothing is
    // "today", and the summary suggests --now latest.
    let mut args = base.to_vec();
    args.extend(["--now", "2030-01-01T00:00:00Z"]);
    let output = detc(&args);
    assert!(output.status.success());
    assert!(rows(&output).is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("try --now latest"));
}

/// The README's first command, as written: the repository's `detc.toml` gives the asset list
/// and `now = "latest"`, so every detection of the story has rows, the same rows as with the
/// flags given (which `tests/story_run.rs` checks row by row against `samples/expected.yml`),
/// and the summary says where the settings came from.
#[test]
fn readme_command_runs_every_story_detection_with_detc_toml() {
    let as_written = detc(&[
        "run",
        "--story",
        "Collection and Staging",
        "--events",
        "samples",
        "--format",
        "jsonl",
    ]);
    let stderr = String::from_utf8_lossy(&as_written.stderr);
    assert_eq!(as_written.status.code(), Some(0), "{stderr}");
    let rows = rows(&as_written);
    for name in [
        "Detect Renamed 7-Zip",
        "Detect Renamed WinRAR",
        "Email files written outside of the Outlook directory",
        "Suspicious writes to windows Recycle Bin",
        "Suspicious writes to System Volume Information",
        "Email servers sending high volume traffic to hosts",
        "Hosts receiving high volume of network traffic from email server",
    ] {
        assert!(!rows_of(&rows, name).is_empty(), "{name}: {stderr}");
    }
    assert!(
        stderr.contains("now: 2026-11-20T14:00:00.75Z (latest event; from detc.toml)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("assets: samples/assets.csv (from detc.toml)\n"),
        "{stderr}"
    );
    let with_flags = detc(&[
        "run",
        "--story",
        "Collection and Staging",
        "--events",
        "samples",
        "--format",
        "jsonl",
        "--assets",
        "samples/assets.csv",
        "--now",
        "latest",
    ]);
    assert_eq!(as_written.stdout, with_flags.stdout);
    assert!(
        String::from_utf8_lossy(&with_flags.stderr)
            .contains("now: 2026-11-20T14:00:00.75Z (latest event; from the command line)\n")
    );
}

/// A flag overrides `detc.toml`: a search time after the samples' last day leaves the network
/// detections without a "today", and the summary says the time came from the command line.
#[test]
fn flags_override_detc_toml() {
    let output = detc(&[
        "run",
        "--detection",
        "email_servers_sending_high_volume_traffic_to_hosts",
        "--events",
        "samples",
        "--format",
        "jsonl",
        "--now",
        "2026-12-01T12:00:00Z",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(rows(&output).is_empty());
    assert!(
        stderr.contains("now: 2026-12-01T12:00:00Z (from the command line)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("assets: samples/assets.csv (from detc.toml)\n"),
        "{stderr}"
    );
}

/// `tests/fixtures/run_now/` (see its README): detections whose per-event stage (a `where`, an
/// `eval` read by `stats`) compares `_time` with `relative_time(now(), "-90s")`. `--now latest`
/// is the newest event's time in that stage too: the same rows as that time given explicitly.
/// Without `--now` and without `detc.toml`, the search time is the current time: nothing is
/// recent, and the summary says why and suggests `--now latest`.
#[test]
fn latest_is_the_search_time_of_the_per_event_stage() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--content",
            "tests/fixtures/run_now",
            "--detection",
            "Recent File Writes",
            "--detection",
            "recent_file_write_count",
            "--events",
            "tests/fixtures/run",
            "--format",
            "jsonl",
        ];
        args.extend(extra);
        let output = detc(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };
    let latest = run(&["--now", "latest"]);
    let rows_latest = rows(&latest);
    let writes = rows_of(&rows_latest, "Recent File Writes");
    let targets: Vec<&Value> = writes.iter().map(|row| &row["TargetFilename"]).collect();
    assert_eq!(
        targets,
        [
            "C:\\Users\\IEUser\\Desktop\\archive.pst",
            "C:\\System Volume Information\\stash.dat"
        ],
        "{rows_latest:?}"
    );
    let count = rows_of(&rows_latest, "Recent File Write Count");
    assert_eq!(count.len(), 1);
    assert_eq!(count[0]["recent"], 2);
    assert_eq!(count[0]["count"], 3);
    let explicit = run(&["--now", "2019-04-27T16:02:00Z"]);
    assert_eq!(latest.stdout, explicit.stdout);

    let defaulted = run(&[]);
    let stderr = String::from_utf8_lossy(&defaulted.stderr);
    let rows_now = rows(&defaulted);
    assert!(rows_of(&rows_now, "Recent File Writes").is_empty());
    assert_eq!(
        rows_of(&rows_now, "Recent File Write Count")[0]["recent"],
        0
    );
    assert!(stderr.contains("(current time)\n"), "{stderr}");
    assert!(
        stderr.contains(
            "every event is older than now (the newest is 2019-04-27T16:02:00Z): to search as \
             of the newest event, try --now latest\n  Recent File Writes\n"
        ),
        "{stderr}"
    );
    // A search time after the events is given deliberately: no hint about `latest`.
    assert!(!String::from_utf8_lossy(&latest.stderr).contains("hint:"));
}

/// Exit codes (issue 14 point 4): 0 with zero rows, 1 when a requested detection cannot run
/// (after running the others) or an input cannot be read, 2 on usage errors: a bad `--now`,
/// an unknown key in `[run]` of `detc.toml` (with its line, column and a suggestion).
#[test]
fn exit_codes() {
    let zero_rows = detc(&[
        "run",
        "--content",
        "tests/fixtures/run_now",
        "--detection",
        "Recent File Writes",
        "--events",
        "tests/fixtures/events/zeek_conn.log",
    ]);
    assert_eq!(zero_rows.status.code(), Some(0));

    let cannot_run = detc(&[
        "run",
        "--content",
        "tests/fixtures/run_now",
        "--detection",
        "not_runnable",
        "--detection",
        "Recent File Writes",
        "--events",
        "tests/fixtures/run",
        "--now",
        "latest",
        "--format",
        "jsonl",
    ]);
    assert_eq!(cannot_run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&cannot_run.stderr);
    assert!(
        stderr.contains("error: detection `Not Runnable` cannot run (unsupported): "),
        "{stderr}"
    );
    assert_eq!(rows_of(&rows(&cannot_run), "Recent File Writes").len(), 2);
    // With neither --story nor --detection, a detection that does not compile is not run and
    // not an error.
    let everything = detc(&[
        "run",
        "--content",
        "tests/fixtures/run_now",
        "--events",
        "tests/fixtures/run",
    ]);
    assert_eq!(everything.status.code(), Some(0));

    let bad_now = detc(&[
        "run",
        "--detection",
        "detect_renamed_7_zip",
        "--events",
        "tests/fixtures/run",
        "--now",
        "yesterday",
    ]);
    assert_eq!(bad_now.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_now.stderr)
            .contains("--now: `yesterday` is not an RFC 3339 time or `latest`")
    );

    let root = std::env::temp_dir().join(format!("detc-run-toml-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("detc.toml"),
        "[run]\nnow = \"latest\"\nasset = \"a.csv\"\n",
    )
    .unwrap();
    let bad_toml = detc(&[
        "run",
        "--content",
        root.to_str().unwrap(),
        "--events",
        "tests/fixtures/run",
    ]);
    std::fs::remove_dir_all(&root).unwrap();
    assert_eq!(bad_toml.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad_toml.stderr);
    assert!(
        stderr.contains(
            "detc.toml:3:1: unknown key `asset` in [run] of detc.toml: did you mean `assets`?"
        ),
        "{stderr}"
    );
}
