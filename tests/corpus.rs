//! The real corpus (ESCU 4.42.0): contentctl 4.4.1 reports 0 errors and 33 undefined data
//! source names on it, and so must we (content-format.md section 6).

use std::collections::BTreeMap;
use std::path::PathBuf;

use detc::diagnostic::{Code, Severity};

const UNDEFINED_DATA_SOURCES: &[&str] = &[
    "AWS CloudTrail DeleteLoggingConfiguration",
    "AWS CloudTrail DeleteRuleGroup",
    "AWS CloudTrail DescribeSnapshotAttribute",
    "Authentication Events (various)",
    "Google Workspace",
    "NTLM Operational 8004,8005,8006",
    "O365 Universal Audit Log",
    "Office 365 Universal Audit Log",
    "Sysmon EventID 14",
    "Sysmon EventID 26",
    "Windows Event Log Defender 1125",
    "Windows Event Log Defender 1126",
    "Windows Event Log Defender 1131",
    "Windows Event Log Defender 1132",
    "Windows Event Log Defender 1133",
    "Windows Event Log Defender 1134",
    "Windows Event Log Printservice 4909",
    "Windows Event Log Security 4727",
    "Windows Event Log Security 4728",
    "Windows Event Log Security 4730",
    "Windows Event Log Security 4731",
    "Windows Event Log Security 4737",
    "Windows Event Log Security 4744",
    "Windows Event Log Security 4749",
    "Windows Event Log Security 4754",
    "Windows Event Log Security 4759",
    "Windows Event Log Security 4783",
    "Windows Event Log Security 4790",
    "Windows Event Log System 104",
    "Windows Event Log TaskScheduler 201",
    "Windows Security 4698",
    "Windows Security 5136",
    "Windows Security 5145",
];

#[test]
#[ignore = "needs the corpus at ../shared/corpus (see README)"]
fn corpus_matches_contentctl() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/security_content");
    assert!(root.is_dir(), "corpus not found at {}", root.display());
    let loaded = detc::content::load(&root).expect("corpus loads");
    let counts = loaded.content.counts();
    assert_eq!(counts.detections, 1711);
    assert_eq!(counts.stories, 261);
    assert_eq!(counts.macros, 189);
    assert_eq!(counts.lookups, 79);
    assert_eq!(counts.data_sources, 205);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(detc::validate::validate(&loaded));

    let mut by_code: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for diagnostic in &diagnostics {
        *by_code
            .entry((diagnostic.code.as_str(), diagnostic.severity.as_str()))
            .or_default() += 1;
    }
    eprintln!("corpus diagnostics by code: {by_code:?}");
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .take(20)
        .map(|d| {
            let file = loaded
                .sources
                .get(d.primary.file)
                .map(|f| f.path().display().to_string());
            format!("{} {:?}: {}", d.code.as_str(), file, d.message)
        })
        .collect();
    assert!(
        errors.is_empty(),
        "errors on the corpus:\n{}",
        errors.join("\n")
    );

    let mut undefined: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.code == Code::D009)
        .map(|d| {
            d.message
                .trim_start_matches("data source `")
                .trim_end_matches("` is not defined")
                .to_string()
        })
        .collect();
    undefined.sort();
    assert_eq!(undefined, UNDEFINED_DATA_SOURCES);
}
