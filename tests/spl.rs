//! SPL front-end tests: fixture snapshots (AST dump and diagnostics per `.spl` file), a
//! round trip over every `search:` of the corpus, and a property test over random tokens.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use detc::spl::{self, ast};

mod common;

/// The AST dump and the diagnostics of one parse, as the snapshots show them.
fn render(text: &str) -> String {
    let out = spl::parse(text);
    let mut rendered = String::new();
    let _ = writeln!(rendered, "input: {text:?}");
    rendered.push_str(&spl::dump(&out.pipeline, text));
    if out.diagnostics.is_empty() {
        rendered.push_str("diagnostics: none\n");
    } else {
        rendered.push_str("diagnostics:\n");
        for d in &out.diagnostics {
            let excerpt = d.range.slice(text);
            let _ = writeln!(
                rendered,
                "  {} @{}..{} {:?}: {}{}",
                d.code.as_str(),
                d.range.start,
                d.range.end,
                excerpt,
                d.message,
                d.label
                    .as_ref()
                    .map(|l| format!(" ({l})"))
                    .unwrap_or_default()
            );
        }
    }
    if !out.has_errors() {
        let printed = spl::print(&out.pipeline);
        let _ = writeln!(rendered, "printed: {printed:?}");
    }
    rendered
}

/// Asserts that printing and re-parsing gives the same tree.
fn assert_round_trip(text: &str) {
    let failure = spl::check_round_trip(text).err();
    assert!(failure.is_none(), "{}", failure.unwrap_or_default());
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/spl/*.spl", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        // A trailing newline is an editor artefact, not part of the search.
        let text = text.strip_suffix('\n').unwrap_or(&text);
        assert_round_trip(text);
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("spl__fixture", render(text));
        });
    });
}

// ----- corpus -----

#[derive(serde::Deserialize)]
struct Detection {
    search: Option<String>,
    status: Option<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/security_content/detections")
}

/// Every `.yml` file under the corpus's `detections/`, sorted; fails when there is none (the
/// tests that call it are ignored without the corpus, so an empty list is a wrong path).
fn corpus_detection_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    yaml_files(&corpus_dir(), &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "corpus not found at {}",
        corpus_dir().display()
    );
    files
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml") {
            out.push(path);
        }
    }
}

/// Counts the unsupported segments of `pipeline` at any depth, by command (or macro) name.
fn collect_unsupported(pipeline: &ast::Pipeline, names: &mut BTreeMap<String, usize>) {
    for command in spl::visit::all_commands(pipeline) {
        if let ast::CommandKind::Unsupported(unsupported) = &command.kind {
            let name = &unsupported.name;
            let key = if unsupported.origin == ast::UnsupportedOrigin::Macro {
                let inner = name.trim_matches('`');
                format!("`{}`", inner.split('(').next().unwrap_or(inner))
            } else {
                name.clone()
            };
            *names.entry(key).or_default() += 1;
        }
    }
}

#[test]
#[ignore = "needs the corpus at ../shared/corpus (see README)"]
fn corpus_parses_and_round_trips() {
    let files = corpus_detection_files();
    let mut searches = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let detection: Detection = serde_saphyr::from_str(&text).unwrap();
        if let Some(search) = detection.search {
            // As written: macro calls are atoms (the expanded corpus is checked below).
            searches.push((file.clone(), detection.status.unwrap_or_default(), search));
        }
    }
    let started = std::time::Instant::now();
    let outputs: Vec<_> = searches.iter().map(|(_, _, s)| spl::parse(s)).collect();
    let elapsed = started.elapsed();

    let mut failures = Vec::new();
    let mut clean = 0;
    let mut unsupported = BTreeMap::new();
    for ((file, status, search), out) in searches.iter().zip(&outputs) {
        let active = status == "production" || status == "experimental";
        if out.has_errors() {
            if active {
                failures.push(format!(
                    "{}: {:?}\n  {search}",
                    file.display(),
                    out.diagnostics
                ));
            }
        } else {
            clean += 1;
            assert_round_trip(search);
        }
        collect_unsupported(&out.pipeline, &mut unsupported);
    }
    eprintln!(
        "corpus: {} searches, {clean} parse without error, {} active failures, parse time {elapsed:?}",
        searches.len(),
        failures.len()
    );
    eprintln!("unsupported segments: {unsupported:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn macro_table() -> Result<detc::spl::expand::MacroTable, detc::content::LoadError> {
    let loaded = detc::content::load(&corpus_dir().join(".."))?;
    Ok(detc::spl::expand::MacroTable::from_content(&loaded.content))
}

/// Every detection search of `files` after macro expansion as `compile` expands it, with the
/// file and the detection's status.
#[allow(
    clippy::unwrap_used,
    reason = "test helper: a broken corpus file should fail loudly"
)]
fn expanded_corpus(files: &[PathBuf]) -> Vec<(PathBuf, String, String)> {
    let table = macro_table().unwrap();
    let mut texts = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let detection: Detection = serde_saphyr::from_str(&text).unwrap();
        let Some(search) = detection.search else {
            continue;
        };
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut config = detc::spl::expand::ExpandConfig::new();
        config
            .filter_macro(format!("{stem}_filter"))
            .ignore_macros(detc::validate::IGNORED_MACRO_SUBSTRINGS);
        let expansion = detc::spl::expand::expand(&search, &table, &config);
        texts.push((
            file.clone(),
            detection.status.unwrap_or_default(),
            expansion.text,
        ));
    }
    texts
}

/// The same check after real macro expansion (`spl::expand`), which is what Splunk parses.
#[test]
#[ignore = "needs the corpus at ../shared/corpus (see README)"]
fn expanded_corpus_parses_and_round_trips() {
    let files = corpus_detection_files();
    let texts = expanded_corpus(&files);
    let started = std::time::Instant::now();
    let outputs: Vec<_> = texts.iter().map(|(_, _, t)| spl::parse(t)).collect();
    let elapsed = started.elapsed();
    let mut failures = Vec::new();
    let mut clean = 0;
    let mut unsupported = BTreeMap::new();
    for ((file, status, text), out) in texts.iter().zip(&outputs) {
        if out.has_errors() {
            if status == "production" || status == "experimental" {
                failures.push(format!("{}: {:?}", file.display(), out.diagnostics));
            }
        } else {
            clean += 1;
            assert_round_trip(text);
        }
        collect_unsupported(&out.pipeline, &mut unsupported);
    }
    eprintln!(
        "expanded corpus: {} searches, {clean} parse without error, {} active failures, parse time {elapsed:?}",
        texts.len(),
        failures.len()
    );
    eprintln!("unsupported segments: {unsupported:?}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ----- random token streams -----

mod random {
    use proptest::prelude::*;

    const TOKENS: &[&str] = &[
        "a",
        "b",
        "x.y",
        "f{}.g",
        "*GetCurrent()*",
        "1",
        "0.5",
        "-",
        "+",
        "*",
        "/",
        "%",
        ".",
        "=",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "(",
        ")",
        "[",
        "]",
        "|",
        ",",
        "\"",
        "'",
        "\"q r\"",
        "'s t'",
        "\\",
        "\\\\",
        "\\\"",
        "`",
        "`m`",
        "`m(a)`",
        "```",
        "``` c ```",
        "AND",
        "OR",
        "NOT",
        "XOR",
        "IN",
        "IN(",
        "TERM(",
        "CASE(",
        "and",
        "or",
        "not",
        "like",
        "LIKE",
        "by",
        "as",
        "AS",
        "OUTPUT",
        "search",
        "where",
        "eval",
        "stats",
        "tstats",
        "count",
        "values(x)",
        "from",
        "datamodel=E.P",
        "rename",
        "table",
        "fields",
        "sort",
        "lookup",
        "rex",
        "join",
        "foreach",
        "<<FIELD>>",
        "span=1h",
        "eval(",
        "if(",
        " ",
        "\t",
        "\n",
        "é",
        "–",
    ];

    fn token_stream() -> impl Strategy<Value = String> {
        proptest::collection::vec((0..TOKENS.len(), proptest::bool::ANY), 0..24).prop_map(|items| {
            let mut text = String::new();
            for (index, space) in items {
                text.push_str(TOKENS.get(index).copied().unwrap_or_default());
                if space {
                    text.push(' ');
                }
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics_and_round_trips(text in token_stream()) {
            super::assert_round_trip(&text);
        }

        #[test]
        fn pipe_prefixed_streams_round_trip(text in token_stream()) {
            super::assert_round_trip(&format!("| {text}"));
        }
    }
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    for text in [
        "(".repeat(10_000),
        format!("{}a{}", "(".repeat(500), ")".repeat(500)),
        "NOT ".repeat(5_000) + "a",
        format!("| where {}", "-".repeat(10_000) + "1"),
        format!("| eval x={}", "a+".repeat(10_000) + "a"),
        format!("| eval x={}", "f(".repeat(5_000)),
        "[".repeat(1_000),
        format!("| join x {}", "[| join x ".repeat(100)),
    ] {
        let out = spl::parse(&text);
        assert!(out.has_errors(), "{text:.60}");
        assert!(
            out.diagnostics
                .iter()
                .any(|d| matches!(d.code.as_str(), "P001" | "P002")),
            "{text:.60}"
        );
    }
}

/// Parse speed over the expanded corpus: `cargo test --release --test spl parse_speed
/// -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run on demand in release mode"]
fn parse_speed() {
    let files = corpus_detection_files();
    let searches: Vec<String> = expanded_corpus(&files)
        .into_iter()
        .map(|(_, _, text)| text)
        .collect();
    let bytes: usize = searches.iter().map(String::len).sum();
    let mut best = std::time::Duration::MAX;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        for search in &searches {
            std::hint::black_box(spl::parse(search));
        }
        best = best.min(started.elapsed());
    }
    let per_thousand = best.as_secs_f64() * 1000.0 / searches.len() as f64 * 1000.0;
    eprintln!(
        "{} searches, {bytes} bytes: best {best:?} per pass, {per_thousand:.2} ms per 1,000 searches",
        searches.len()
    );
}

// ----- fuzz regressions -----

/// What `fuzz/fuzz_targets/parse.rs` checks for one input: no panic in parse or dump, and a
/// clean parse prints to text that parses cleanly to the same tree.
fn check_fuzz_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let out = spl::parse(text);
    let _ = spl::dump(&out.pipeline, text);
    let _ = spl::dump::dump_with(&out.pipeline, spl::dump::DumpMode::Structural);
    assert_round_trip(text);
}

/// Replays every input kept under `tests/fixtures/regressions/parse/`.
#[test]
fn fuzz_regressions_replay() {
    for path in common::regression_inputs("parse") {
        let data = std::fs::read(&path).unwrap();
        let started = std::time::Instant::now();
        check_fuzz_input(&data);
        // Slow inputs were bugs too; a debug build still parses each well under this.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
    }
}

/// The proptest input that found the swallowed `)`, pinned here as well as in the fixture.
#[test]
fn word_with_open_parenthesis_keeps_group_close_apart() {
    let out = spl::parse("a ('\"q r\"eval( )");
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    assert_eq!(spl::print(&out.pipeline), "a (' \"q r\" eval( )");
    assert_round_trip("a ('\"q r\"eval( )");
    // A word whose parentheses balance needs no space: the canonical form stays tight.
    let out = spl::parse("(p=*GetCurrent()*)");
    assert_eq!(spl::print(&out.pipeline), "p=*GetCurrent()*");
    let out = spl::parse("(p=*GetCurrent()* OR q)");
    assert_eq!(spl::print(&out.pipeline), "p=*GetCurrent()* OR q");
    let out = spl::parse("NOT (p=x q=*GetCurrent()*)");
    assert_eq!(spl::print(&out.pipeline), "NOT (p=x q=*GetCurrent()*)");
}

/// `inputlookup … where <search>` is a search in the tree: its comparisons are no longer taken
/// for options, and a subsearch in it is walked like any other.
#[test]
fn inputlookup_where_is_a_search() {
    let text = "| inputlookup append=t assets.csv where category=server [| makeresults]";
    let out = spl::parse(text);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let Some(ast::CommandKind::Inputlookup {
        args,
        settings,
        filter: Some(filter),
    }) = out.pipeline.commands.first().map(|command| &command.kind)
    else {
        panic!("no inputlookup with a where clause: {:?}", out.pipeline);
    };
    let names: Vec<&str> = args
        .options
        .iter()
        .map(|opt| opt.name.value.as_str())
        .collect();
    assert_eq!(names, ["append"]);
    assert_eq!(settings.append.as_ref().map(|s| s.value), Some(true));
    assert_eq!(
        filter.range().slice(text),
        "category=server [| makeresults]"
    );
    let commands: Vec<&str> = spl::visit::all_commands(&out.pipeline)
        .into_iter()
        .map(ast::Command::name)
        .collect();
    assert_eq!(commands, ["inputlookup", "makeresults"]);
    assert_round_trip(text);
}

/// Counts and durations are typed once, by the parser.
#[test]
fn counts_and_durations_are_typed() {
    let out = spl::parse("index=x | head 3 | sort 0 -a | transaction host maxspan=240m");
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let kinds: Vec<&ast::CommandKind> = out.pipeline.commands.iter().map(|c| &c.kind).collect();
    assert!(
        matches!(kinds[1], ast::CommandKind::Head { count: Some(ast::Count { value: 3, .. }), args, .. } if args.fields.is_empty())
    );
    assert!(matches!(
        kinds[2],
        ast::CommandKind::Sort {
            limit: Some(ast::Count { value: 0, .. }),
            ..
        }
    ));
    let ast::CommandKind::Transaction { settings, .. } = kinds[3] else {
        panic!("not a transaction: {:?}", kinds[3]);
    };
    let maxspan = settings.maxspan.as_ref().map(|s| &s.value);
    assert_eq!(maxspan.and_then(|d| d.whole_seconds()), Some(14_400));
    assert_eq!(maxspan.map(|d| d.written.as_str()), Some("240m"));
}
