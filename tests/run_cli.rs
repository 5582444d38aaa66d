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
    // Without --now the search time is today: every day is history, nothing is "today", and
    // the summary suggests --now latest.
    let output = detc(&base);
    assert!(output.status.success());
    assert!(rows(&output).is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("try --now latest"));
}
