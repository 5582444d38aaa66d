//! The condition lints (`X001` always true, `X002` always false) as a user sees them: one
//! snapshot per hand-written fixture, the whole security_content corpus (exactly one `X001`,
//! on detect_renamed_winrar, and no `X002`), and our own detections (none at all).
//!
//! Fixture format (`tests/fixtures/lint/*.spl`): leading `#` lines are comments saying what is
//! expected; the rest, final newline dropped, is one expanded search.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken fixture should fail loudly"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use detc::diagnostic::Code;
use detc::spl::expand::{ExpandConfig, MacroTable, expand};
use detc::spl::{self, SplDiagnostic};

fn render(comment: &str, text: &str, found: &[SplDiagnostic]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{comment}");
    let _ = writeln!(out, "search: {text}");
    if found.is_empty() {
        out.push_str("diagnostics: none\n");
    }
    for d in found {
        let _ = writeln!(
            out,
            "{} @{}..{} `{}`\n  message: {}\n  label: {}",
            d.code.as_str(),
            d.range.start,
            d.range.end,
            d.range.slice(text),
            d.message,
            d.label.as_deref().unwrap_or("-"),
        );
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/lint/*.spl", |path| {
        let file = std::fs::read_to_string(path).unwrap();
        let mut comment = Vec::new();
        let mut search = Vec::new();
        for line in file.lines() {
            if search.is_empty() && line.starts_with('#') {
                comment.push(line);
            } else {
                search.push(line);
            }
        }
        let text = search.join("\n");
        let parsed = spl::parse(&text);
        assert!(
            !parsed.has_errors(),
            "{}: {:?}",
            path.display(),
            parsed.diagnostics
        );
        let found = spl::lint::lint(&parsed.pipeline, &text);
        let rendered = render(&comment.join("\n"), &text, &found);
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("lint__fixture", rendered);
        });
    });
}

// ----- content trees -----

#[derive(serde::Deserialize)]
struct DetectionFile {
    search: Option<String>,
}

fn yml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yml_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "yml") {
            out.push(path);
        }
    }
}

/// Adds the macros of the content tree at `root`.
fn add_macros(table: &mut MacroTable, root: &Path) {
    table.add_content(&detc::content::load(root).unwrap().content);
}

/// One expanded detection search: its file stem and text.
struct Expanded {
    stem: String,
    text: String,
}

fn expand_detections(dir: &Path, table: &MacroTable) -> Vec<Expanded> {
    let mut files = Vec::new();
    yml_files(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let detection: DetectionFile = serde_saphyr::from_str(&text).unwrap();
        let Some(search) = detection.search else {
            continue;
        };
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut config = ExpandConfig::new();
        config
            .filter_macro(format!("{stem}_filter"))
            .ignore_macros(detc::validate::IGNORED_MACRO_SUBSTRINGS);
        let expansion = expand(&search, table, &config);
        out.push(Expanded {
            stem,
            text: expansion.text,
        });
    }
    out
}

/// `(stem, code, sliced text, message)` for every X001/X002 over the searches.
fn lint_all(searches: &[Expanded]) -> Vec<(String, Code, String, String)> {
    let mut hits = Vec::new();
    for expanded in searches {
        let parsed = spl::parse(&expanded.text);
        for d in spl::lint::lint(&parsed.pipeline, &expanded.text) {
            hits.push((
                expanded.stem.clone(),
                d.code,
                d.range.slice(&expanded.text).to_owned(),
                d.message,
            ));
        }
    }
    hits
}

/// Time this thread has spent on a CPU (Linux `schedstat`), immune to waiting for one.
fn thread_cpu_time() -> Option<std::time::Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(nanos))
}

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/security_content")
}

#[test]
fn corpus_has_one_always_true_condition_and_no_always_false_one() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!(
            "\n\n!!! corpus not found at {}: SKIPPED !!!\n\n",
            root.display()
        );
        return;
    }
    let mut table = MacroTable::new();
    add_macros(&mut table, &root);
    let searches = expand_detections(&root.join("detections"), &table);
    assert_eq!(searches.len(), 1711, "every detection has a search");

    let started = std::time::Instant::now();
    let parsed: Vec<_> = searches.iter().map(|s| spl::parse(&s.text)).collect();
    let parse_time = started.elapsed();
    // The best of five rounds, in wall time and in this thread's CPU time: the machine is
    // shared, and one round is a few milliseconds.
    let mut lint_time = std::time::Duration::MAX;
    let mut lint_cpu = std::time::Duration::MAX;
    let mut total = 0;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let cpu_started = thread_cpu_time();
        total = 0;
        for (expanded, out) in searches.iter().zip(&parsed) {
            total += spl::lint::lint(&out.pipeline, &expanded.text).len();
        }
        lint_time = lint_time.min(started.elapsed());
        if let (Some(end), Some(start)) = (thread_cpu_time(), cpu_started) {
            lint_cpu = lint_cpu.min(end.saturating_sub(start));
        }
    }
    eprintln!(
        "corpus: {} searches, parse {parse_time:?}, lint {lint_time:?} (thread CPU {lint_cpu:?}), {total} hits",
        searches.len()
    );

    let hits = lint_all(&searches);
    for (stem, code, slice, message) in &hits {
        eprintln!("{stem}: {} `{slice}`: {message}", code.as_str());
    }
    let x001: Vec<_> = hits.iter().filter(|h| h.1 == Code::X001).collect();
    let x002: Vec<_> = hits.iter().filter(|h| h.1 == Code::X002).collect();
    assert_eq!(x001.len(), 1, "{x001:?}");
    assert_eq!(x001[0].0, "detect_renamed_winrar");
    assert_eq!(
        x001[0].2,
        "Processes.process_name!=rar.exe OR Processes.process_name!=winrar.exe"
    );
    assert_eq!(
        x001[0].3,
        "`Processes.process_name!=rar.exe OR Processes.process_name!=winrar.exe` is true for \
         every event where `Processes.process_name` exists; use \
         `NOT Processes.process_name IN (rar.exe, winrar.exe)`"
    );
    assert!(x002.is_empty(), "{x002:?}");
    // The regex hits of content-format.md section 7: built by `stats values(...)`, not linted.
    for stem in [
        "windows_ad_dcshadow_privileges_acl_addition",
        "windows_ad_domain_replication_acl_addition",
    ] {
        let expanded = searches.iter().find(|s| s.stem == stem).unwrap();
        assert!(expanded.text.contains("values(aceControlAccessRights)"));
        assert!(hits.iter().all(|h| h.0 != stem));
    }
}

#[test]
fn our_detections_have_no_constant_conditions() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut table = MacroTable::new();
    let corpus = corpus_root();
    if corpus.is_dir() {
        add_macros(&mut table, &corpus);
    }
    // Our macros replace the corpus ones of the same name.
    add_macros(&mut table, repo);
    let searches = expand_detections(&repo.join("detections"), &table);
    assert!(searches.len() >= 7, "{}", searches.len());
    assert!(searches.iter().any(|s| s.stem == "detect_renamed_winrar"));
    let hits = lint_all(&searches);
    assert!(hits.is_empty(), "{hits:?}");
}
