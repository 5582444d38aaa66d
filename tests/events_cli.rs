//! `detc events` end to end: the CIM fields of one real event of each mapped kind
//! (`tests/fixtures/events/`, see its README for where each came from), snapshotted as the
//! event's source, datasets and CIM fields; the read summary on stderr; exit codes.
//!
//! Each snapshot was read against cim-mapping.md's tables (section 2) before it was accepted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a broken setup should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/events")
        .join(name)
}

fn detc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("detc runs")
}

/// The single event `detc events` prints for `file` (with `extra` arguments).
fn one_event(file: &str, extra: &[&str]) -> Value {
    let path = fixture(file);
    let mut args = vec!["events", "--events", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = detc(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one event in {file}:\n{stdout}");
    serde_json::from_str(lines[0]).unwrap()
}

/// What a snapshot shows: where the event came from, what it joins, and its CIM fields. A
/// file path as `source` (Zeek) is shown relative to the repository.
fn cim_view(event: &Value) -> String {
    let source = match event["source"].as_str() {
        Some(source) => Value::String(
            source
                .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/"))
                .unwrap_or(source)
                .to_string(),
        ),
        None => Value::Null,
    };
    let view = serde_json::json!({
        "source": source,
        "sourcetype": event["sourcetype"],
        "host": event["host"],
        "datasets": event["datasets"],
        "cim": event["cim"],
    });
    serde_json::to_string_pretty(&view).unwrap()
}

fn snapshot(name: &str, file: &str) -> Value {
    snapshot_with(name, file, &[])
}

fn snapshot_with(name: &str, file: &str, extra: &[&str]) -> Value {
    let event = one_event(file, extra);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        snapshot_suffix => "",
        description => [format!("detc events --events tests/fixtures/events/{file}")]
            .into_iter()
            .chain(extra.iter().map(|arg| (*arg).to_string()))
            .collect::<Vec<_>>()
            .join(" "),
    }, {
        insta::assert_snapshot!(format!("events_cli__{name}"), cim_view(&event));
    });
    event
}

#[test]
fn sysmon_1() {
    let event = snapshot("sysmon_1", "sysmon_1.xml");
    assert_eq!(event["datasets"], serde_json::json!(["Endpoint.Processes"]));
}

#[test]
fn sysmon_3() {
    snapshot("sysmon_3", "sysmon_3.xml");
}

#[test]
fn sysmon_11() {
    snapshot("sysmon_11", "sysmon_11.xml");
}

#[test]
fn sysmon_12() {
    snapshot("sysmon_12", "sysmon_12.xml");
}

#[test]
fn sysmon_13() {
    snapshot("sysmon_13", "sysmon_13.xml");
}

#[test]
fn sysmon_22_otrf() {
    snapshot("sysmon_22_otrf", "sysmon_22_otrf.json");
}

#[test]
fn security_4688() {
    snapshot("security_4688", "security_4688.xml");
}

#[test]
fn security_4688_otrf() {
    snapshot("security_4688_otrf", "security_4688_otrf.json");
}

#[test]
fn suricata_http_web() {
    let event = snapshot_with(
        "suricata_http",
        "suricata_http.json",
        &["--sourcetype", "suricata", "--source", "suricata"],
    );
    assert_eq!(event["datasets"], serde_json::json!(["Web.Web"]));
}

#[test]
fn security_4794_change() {
    let event = snapshot("security_4794", "security_4794.xml");
    assert_eq!(event["datasets"], serde_json::json!(["Change.All_Changes"]));
}

#[test]
fn zeek_conn_json_and_tsv_agree() {
    let json = snapshot("zeek_conn_json", "zeek_conn.json");
    let tsv = snapshot("zeek_conn_tsv", "zeek_conn.log");
    // The same connection in Zeek's two forms normalizes to the same CIM fields.
    assert_eq!(json["cim"], tsv["cim"]);
    assert_eq!(json["datasets"], tsv["datasets"]);
}

#[test]
fn fields_and_only_filter_the_output() {
    let path = fixture("sysmon_1.xml");
    let output = detc(&[
        "events",
        "--events",
        path.to_str().unwrap(),
        "--fields",
        "Image,process_name",
        "--only",
        "Endpoint.Processes",
    ]);
    assert!(output.status.success());
    let event: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(event["raw"].as_object().unwrap().len(), 1, "{event}");
    assert_eq!(event["cim"]["process_name"], "Flash_update.exe");
    let output = detc(&[
        "events",
        "--events",
        path.to_str().unwrap(),
        "--only",
        "Endpoint.Registry",
    ]);
    assert!(output.status.success());
    assert!(
        output.stdout.is_empty(),
        "a Sysmon 1 event is not in Registry"
    );
}

#[test]
fn table_format() {
    let path = fixture("zeek_conn.log");
    let output = detc(&[
        "events",
        "--events",
        path.to_str().unwrap(),
        "--format",
        "table",
        "--fields",
        "src,dest,bytes_out,bytes_in,datasets",
    ]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "src\tdest\tbytes_out\tbytes_in\tdatasets\n\
         10.164.94.120\t10.47.3.155\t97\t19\tNetwork_Traffic.All_Traffic\n"
    );
}

#[test]
fn assets_fill_dest_fields() {
    let dir = std::env::temp_dir().join(format!("detc-events-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let assets = dir.join("assets.csv");
    std::fs::write(
        &assets,
        "ip,nt_host,owner,priority,category\n10.47.0.0/16,,bob,critical,rdp_server|windows\n",
    )
    .unwrap();
    let path = fixture("zeek_conn.json");
    let output = detc(&[
        "events",
        "--events",
        path.to_str().unwrap(),
        "--assets",
        assets.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let event: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        event["cim"]["dest_category"],
        serde_json::json!(["rdp_server", "windows"])
    );
    assert_eq!(event["cim"]["dest_priority"], "critical");
    assert_eq!(event["cim"]["dest_owner"], "bob");
    assert!(event["cim"].get("src_category").is_none());
}

#[test]
fn summary_reports_bad_records_and_keeps_good_ones() {
    let dir = std::env::temp_dir().join(format!("detc-events-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read_to_string(fixture("sysmon_11.xml")).unwrap();
    let cut = &good[..good.len() / 2];
    let path = dir.join("cut.xml");
    std::fs::write(&path, format!("{good}{cut}")).unwrap();
    let output = detc(&["events", "--events", path.to_str().unwrap()]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 1);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stderr = stderr.replace(dir.to_str().unwrap(), "DIR");
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        snapshot_suffix => "",
    }, {
        insta::assert_snapshot!("events_cli__summary_with_bad_record", stderr);
    });
}

#[test]
fn exit_codes() {
    let missing = detc(&["events", "--events", "/nonexistent/detc/events.xml"]);
    assert_eq!(
        missing.status.code(),
        Some(1),
        "an input that cannot be opened"
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/detc/events.xml"));
    let path = fixture("sysmon_1.xml");
    let bad_only = detc(&[
        "events",
        "--events",
        path.to_str().unwrap(),
        "--only",
        "Endpoint.Proceses",
    ]);
    assert_eq!(bad_only.status.code(), Some(2), "usage");
    assert!(
        String::from_utf8_lossy(&bad_only.stderr).contains("did you mean `Endpoint.Processes`?")
    );
    let help = detc(&["events", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit status:"));
}
