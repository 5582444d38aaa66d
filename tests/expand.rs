//! Macro expansion as a user sees it: fixture snapshots (expanded text, the origin of each
//! segment, diagnostics), the whole security_content corpus, properties over random tables, and
//! replays of fuzz crashes.
//!
//! Fixture format (`tests/fixtures/expand/*.txt`): sections opened by a header line, each
//! section's text running to the next header (its final newline dropped):
//! `=== macro NAME [ARG…]` defines a macro, `=== filter NAME` sets the detection's filter macro,
//! `=== search` holds the search. Lines before the first header are comments.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken fixture should fail loudly"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use detc::diagnostic::Code;
use detc::spl::expand::{
    ExpandConfig, Expansion, MacroDef, MacroId, MacroTable, Origin, UnexpandedReason, expand,
};
use proptest::prelude::*;

mod common;

struct Fixture {
    table: MacroTable,
    config: ExpandConfig,
    search: String,
}

fn parse_fixture(text: &str) -> Fixture {
    let mut table = MacroTable::new();
    let mut config = ExpandConfig::new();
    // As `compile` expands: calls to the macros contentctl ignores stay unexpanded.
    config.ignore_macros(detc::validate::IGNORED_MACRO_SUBSTRINGS);
    let mut search = String::new();
    let mut header: Option<Vec<String>> = None;
    let mut body: Vec<&str> = Vec::new();
    let mut finish = |header: &Option<Vec<String>>, body: &[&str]| {
        let Some(words) = header else { return };
        let text = body.join("\n");
        match words.first().map(String::as_str) {
            Some("macro") => {
                table.insert(MacroDef {
                    name: words[1].clone(),
                    arguments: words[2..].to_vec(),
                    definition: text,
                });
            }
            Some("filter") => {
                config.filter_macro(words[1].clone());
            }
            Some("search") => search = text,
            other => panic!("unknown fixture section {other:?}"),
        }
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("=== ") {
            finish(&header, &body);
            header = Some(rest.split_whitespace().map(str::to_owned).collect());
            body.clear();
        } else if header.is_some() {
            body.push(line);
        }
    }
    finish(&header, &body);
    Fixture {
        table,
        config,
        search,
    }
}

fn macro_name(table: &MacroTable, id: MacroId) -> String {
    table
        .get(id)
        .map_or_else(|| "?".to_owned(), |def| def.name.clone())
}

/// Whether `next` is the origin right after `previous` in the same source.
fn continues(previous: &Origin, next: &Origin) -> bool {
    match (previous, next) {
        (Origin::Search { offset: a }, Origin::Search { offset: b }) => a + 1 == *b,
        (
            Origin::Macro {
                id: a,
                offset: x,
                call_site: s,
                chain: c,
            },
            Origin::Macro {
                id: b,
                offset: y,
                call_site: t,
                chain: d,
            },
        ) => a == b && x + 1 == *y && s == t && c == d,
        (Origin::Synthetic { call_site: s }, Origin::Synthetic { call_site: t }) => s == t,
        _ => false,
    }
}

/// Groups the expanded text into runs of contiguous origin, through the public `origin` only.
fn segments(expansion: &Expansion) -> Vec<(std::ops::Range<usize>, Origin)> {
    let mut segments: Vec<(std::ops::Range<usize>, Origin)> = Vec::new();
    let mut last: Option<Origin> = None;
    for offset in 0..expansion.text.len() {
        let origin = expansion.origin(offset);
        match (&last, segments.last_mut()) {
            (Some(previous), Some(segment)) if continues(previous, &origin) => {
                segment.0.end = offset + 1;
            }
            _ => segments.push((offset..offset + 1, origin.clone())),
        }
        last = Some(origin);
    }
    segments
}

fn render(fixture: &Fixture, expansion: &Expansion) -> String {
    let table = &fixture.table;
    let mut out = String::new();
    let _ = writeln!(out, "search:\n  {}", fixture.search.replace('\n', "\n  "));
    let _ = writeln!(out, "expanded:\n  {}", expansion.text.replace('\n', "\n  "));
    out.push_str("segments:\n");
    for (range, origin) in segments(expansion) {
        let text = &expansion.text[range.clone()];
        let from = match origin {
            Origin::Search { offset } => format!("search {}..{}", offset, offset + range.len()),
            Origin::Macro {
                id,
                offset,
                call_site,
                chain,
            } => {
                let chain: Vec<String> = chain.iter().map(|&id| macro_name(table, id)).collect();
                format!(
                    "macro `{}` {}..{} via {} at {}..{}",
                    macro_name(table, id),
                    offset,
                    offset + range.len(),
                    chain.join(" > "),
                    call_site.start,
                    call_site.end
                )
            }
            Origin::Synthetic { call_site } => {
                format!("synthetic at {}..{}", call_site.start, call_site.end)
            }
            _ => "unknown".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {}..{} {:?} <- {}",
            range.start, range.end, text, from
        );
    }
    out.push_str("diagnostics:\n");
    for diagnostic in &expansion.diagnostics {
        let level = format!("{:?}", diagnostic.code.default_severity()).to_lowercase();
        let _ = write!(
            out,
            "  {level}[{}] {}..{} {:?}: {}",
            diagnostic.code.as_str(),
            diagnostic.range.start,
            diagnostic.range.end,
            diagnostic.range.slice(&fixture.search),
            diagnostic.message
        );
        let site = diagnostic
            .expansion
            .as_ref()
            .and_then(|trace| trace.site.as_ref());
        if let Some(inner) = site {
            let _ = write!(
                out,
                " (in `{}` at {}..{})",
                macro_name(table, inner.id),
                inner.range.start,
                inner.range.end
            );
        }
        out.push('\n');
    }
    out.push_str("unexpanded:\n");
    for call in expansion.unexpanded() {
        let _ = writeln!(
            out,
            "  {}..{} `{}` {:?}",
            call.range.start, call.range.end, call.name, call.reason
        );
    }
    out
}

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir("expand"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let fixture = parse_fixture(&std::fs::read_to_string(&path).unwrap());
        let expansion = expand(&fixture.search, &fixture.table, &fixture.config);
        check_origins(&fixture.search, &fixture.table, &expansion);
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("expand__{name}"), render(&fixture, &expansion));
        });
    }
}

/// Every byte of the expanded text is the byte its origin names.
fn check_origins(search: &str, table: &MacroTable, expansion: &Expansion) {
    if let Err(broken) = detc::harness::check_origins(search, table, expansion) {
        panic!("{broken}");
    }
}

/// Replays every input kept under `tests/fixtures/regressions/expand/` through what the fuzz
/// target runs.
#[test]
fn fuzz_regressions_replay() {
    for path in common::regression_inputs("expand") {
        let (table, search) = detc::harness::expand_input(&std::fs::read(&path).unwrap());
        if let Err(broken) = detc::harness::expand_and_check(&search, &table) {
            panic!("{}: {broken}", path.display());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus.

#[derive(serde::Deserialize)]
struct DetectionFile {
    #[serde(default)]
    status: String,
    #[serde(default)]
    search: String,
}

fn yml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yml_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "yml") {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs the corpus at ../shared/corpus (see README)"]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/security_content");
    assert!(root.is_dir(), "corpus not found at {}", root.display());
    let table = MacroTable::from_content(&detc::content::load(&root).unwrap().content);
    assert_eq!(table.len(), 189);

    let mut files = Vec::new();
    yml_files(&root.join("detections"), &mut files);
    files.sort();
    let mut detections = 0;
    let mut expanded_bytes = 0;
    let mut search_bytes = 0;
    let mut unexpanded: BTreeMap<String, usize> = BTreeMap::new();
    let mut quoted_detections = Vec::new();
    let mut quoted_calls = 0;
    let mut map_detections = 0;
    let mut expand_time = std::time::Duration::ZERO;
    let mut pieces = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let file: DetectionFile = serde_saphyr::from_str(&text).unwrap();
        if file.status != "production" && file.status != "experimental" {
            continue;
        }
        detections += 1;
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let mut config = ExpandConfig::new();
        config
            .filter_macro(format!("{stem}_filter"))
            .ignore_macros(detc::validate::IGNORED_MACRO_SUBSTRINGS);
        let timer = std::time::Instant::now();
        let expansion = expand(&file.search, &table, &config);
        expand_time += timer.elapsed();
        check_origins(&file.search, &table, &expansion);
        pieces += expansion.piece_count();
        search_bytes += file.search.len();
        expanded_bytes += expansion.text.len();
        for diagnostic in &expansion.diagnostics {
            assert_eq!(
                diagnostic.code,
                Code::E005,
                "{stem}: {}",
                diagnostic.message
            );
        }
        for call in expansion.unexpanded() {
            assert_eq!(call.reason, UnexpandedReason::IgnoreList, "{stem}");
            *unexpanded
                .entry(format!("{stem}: {}", call.name))
                .or_default() += 1;
        }
        let quoted: Vec<_> = expansion
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E005)
            .collect();
        if !quoted.is_empty() {
            quoted_calls += quoted.len();
            let in_map = quoted.iter().all(|d| {
                let before = &file.search[..d.range.start_usize()];
                before
                    .rfind("map ")
                    .is_some_and(|at| before[at..].contains("search=\""))
            });
            if in_map {
                map_detections += 1;
            }
            quoted_detections.push(stem.clone());
        }
        assert!(!expansion.text.contains("_filter`"), "{stem}");
    }
    eprintln!(
        "corpus: {detections} detections, {search_bytes} search bytes -> {expanded_bytes} \
         expanded bytes, {pieces} pieces, expand() total {expand_time:?}; quoted-string calls: {quoted_calls} in {} detections \
         ({map_detections} in `map search=`): {quoted_detections:?}; verbatim: {unexpanded:?}",
        quoted_detections.len()
    );
    assert_eq!(detections, 1613);
    let expected: BTreeMap<String, usize> =
        [("excessive_dns_failures: get_asset".to_owned(), 1)].into();
    assert_eq!(unexpanded, expected);
    assert_eq!(quoted_detections.len(), 8, "{quoted_detections:?}");
    assert_eq!(map_detections, 7);
    assert!(quoted_detections.contains(&"first_time_seen_child_process_of_zoom".to_owned()));
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "`a`",
        "`b`",
        "`c(",
        ")`",
        "`a(1)`",
        "`b(x, \"y,z\")`",
        "$x$",
        "$y$",
        "\"",
        "\\",
        "`",
        "```",
        "(",
        ")",
        ",",
        " ",
        "|",
        "x",
        "é",
        "`d_filter`",
        "`drop_dm_object_name(P)`",
        "`drop_dm_object_name(\"Q\")`",
        "`get_asset(s)`",
        "search",
        "\n",
    ])
    .prop_map(str::to_owned)
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..24).prop_map(|parts| parts.concat())
}

fn macro_def() -> impl Strategy<Value = MacroDef> {
    (
        prop::sample::select(vec!["a", "b", "c", "d_filter", "drop_dm_object_name"]),
        prop::sample::select(vec![vec![], vec!["x"], vec!["x", "y"]]),
        text(),
    )
        .prop_map(|(name, arguments, definition)| MacroDef {
            name: name.to_owned(),
            arguments: arguments.into_iter().map(str::to_owned).collect(),
            definition,
        })
}

proptest! {
    #[test]
    fn every_byte_has_its_origin(defs in prop::collection::vec(macro_def(), 0..6), search in text()) {
        let mut table = MacroTable::new();
        for def in defs {
            table.insert(def);
        }
        let mut config = ExpandConfig::new();
        config.filter_macro("d_filter").max_size(4096);
        let expansion = expand(&search, &table, &config);
        check_origins(&search, &table, &expansion);
        for diagnostic in &expansion.diagnostics {
            prop_assert!(diagnostic.range.end_usize() <= search.len());
        }
    }

    #[test]
    fn identity_without_backticks(search in "[^`]{0,64}") {
        let expansion = expand(&search, &MacroTable::new(), &ExpandConfig::new());
        prop_assert_eq!(&expansion.text, &search);
        prop_assert!(expansion.diagnostics.is_empty());
        for offset in 0..search.len() {
            prop_assert_eq!(expansion.origin(offset), Origin::Search { offset });
        }
    }
}
