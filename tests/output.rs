//! Snapshot tests of every diagnostic renderer (human, GitHub, JSON) and the summary line,
//! over synthetic diagnostics on small in-memory sources, including the cases renderers get
//! wrong: tabs, wide and multi-byte characters, a span at the end of a file, an empty span,
//! a span over several lines, labels in another file, and paths that need escaping.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken setup should fail loudly"
)]

use std::path::{Path, PathBuf};

use detc::content::Counts;
use detc::diagnostic::{Code, Diagnostic, Severity, sort_diagnostics};
use detc::output::{PathDisplay, RenderOptions, Summary, github, human, json};
use detc::source::{FileId, SourceMap, Span};

fn snapshot(name: &str, rendered: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("output__{name}"), rendered);
    });
}

/// The span of the first `needle` in file `file` of `sources`.
fn find(sources: &SourceMap, file: FileId, needle: &str) -> Span {
    let text = sources.get(file).unwrap().text();
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in source"));
    Span::new(file, start, start + needle.len())
}

fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = Vec::new();
    human::render(diagnostics, sources, &RenderOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render_github(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: &RenderOptions,
) -> String {
    let mut out = Vec::new();
    github::render(diagnostics, sources, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

const DETECTION: &str = "name: Archive Staging\nid: 0d9f3a1c-1111-2222-3333-444455556666\nsearch: '`sysmon_proc` EventCode=1 | stats count by dest'\n";

#[test]
fn human_primary_label_secondary_label_note_help() {
    let mut sources = SourceMap::new();
    let detection = sources.add(
        PathBuf::from("detections/endpoint/archive_staging.yml"),
        DETECTION.to_owned(),
    );
    let diagnostic = Diagnostic::new(
        Code::D006,
        find(&sources, detection, "`sysmon_proc`"),
        "macro `sysmon_proc` is not defined",
    )
    .with_primary_label("not found under macros/")
    .with_label(
        find(&sources, detection, "Archive Staging"),
        "in this detection",
    )
    .with_note("macros are looked up by file name")
    .with_help("a macro named `sysmon` exists");
    snapshot(
        "human_labels_note_help",
        &render_human(&[diagnostic], &sources),
    );
}

/// Renders one diagnostic at `needle` (or at `span` when given) in a one-file source map.
fn human_case(path: &str, text: &str, locate: impl Fn(FileId) -> Span, message: &str) -> String {
    let mut sources = SourceMap::new();
    let file = sources.add(PathBuf::from(path), text.to_owned());
    let diagnostic = Diagnostic::new(Code::D006, locate(file), message).with_primary_label("here");
    render_human(&[diagnostic], &sources)
}

/// Issue 11 point 8: a mark on a huge line is shown cut around its start, with the right
/// line and column, and rendering it costs about the line, not many copies of it.
#[test]
fn human_cuts_a_window_of_a_huge_line() {
    let text = format!(
        "name: x\ndescription: {}\nsearch: y\n",
        "é".repeat(4_000_000)
    );
    let start = text.find("description: ").unwrap() + "description: ".len();
    let end = text.find("\nsearch").unwrap();
    let rendered = human_case(
        "huge.yml",
        &text,
        |f| Span::new(f, start, end),
        "`description` is longer than 10,000 characters",
    );
    assert!(rendered.contains("huge.yml:2:14"), "{rendered}");
    assert!(rendered.len() < 4_000, "{} bytes", rendered.len());
    snapshot("human_huge_line", &rendered);
}

#[test]
fn human_tabs_keep_the_caret_under_the_text() {
    let text = "a:\n\tb:\t`bad` x\n";
    let start = text.find('`').unwrap();
    let rendered = human_case(
        "tabs.yml",
        text,
        |f| Span::new(f, start, start + 5),
        "tab before `bad`",
    );
    assert!(rendered.contains("tabs.yml:2:5"));
    snapshot("human_tabs", &rendered);
}

#[test]
fn human_wide_and_multibyte_characters() {
    let text = "name: 検出ルール 🚀 é `bad`\n";
    let start = text.find('`').unwrap();
    let rendered = human_case(
        "wide.yml",
        text,
        |f| Span::new(f, start, start + 5),
        "wide characters before `bad`",
    );
    // The column counts characters, not bytes or display cells.
    assert!(rendered.contains("wide.yml:1:17"));
    snapshot("human_wide", &rendered);
}

#[test]
fn human_span_at_end_of_file_after_newline() {
    let text = "a: 1\nb: 2\n";
    let rendered = human_case(
        "eof.yml",
        text,
        |f| Span::new(f, text.len(), text.len()),
        "unexpected end of file",
    );
    snapshot("human_eof_after_newline", &rendered);
}

#[test]
fn human_span_at_end_of_file_without_newline() {
    let text = "a: 1\nb: 2";
    let rendered = human_case(
        "eof.yml",
        text,
        |f| Span::new(f, text.len(), text.len()),
        "unexpected end of file",
    );
    assert!(rendered.contains("eof.yml:2:5"));
    snapshot("human_eof_without_newline", &rendered);
}

#[test]
fn human_empty_span() {
    let rendered = human_case(
        "empty_span.yml",
        "name: x\nid: \n",
        |f| Span::new(f, 12, 12),
        "`id` is empty",
    );
    assert!(rendered.contains("empty_span.yml:2:5"));
    snapshot("human_empty_span", &rendered);
}

#[test]
fn human_span_over_several_lines() {
    let text = "search: |\n  one\n  two\n  three\nafter: 1\n";
    let start = text.find("one").unwrap();
    let end = text.find("three").unwrap() + "three".len();
    let rendered = human_case(
        "multi.yml",
        text,
        |f| Span::new(f, start, end),
        "search spans three lines",
    );
    snapshot("human_multiline", &rendered);
}

#[test]
fn human_out_of_range_and_mid_character_spans_do_not_panic() {
    let rendered = human_case(
        "empty.yml",
        "",
        |f| Span::new(f, 5, 900),
        "span past the end",
    );
    assert!(rendered.contains("empty.yml:1:1"));
    // Byte 7 is inside `検` (bytes 6..9); the span widens to the whole character.
    let rendered = human_case(
        "mid.yml",
        "name: 検出\n",
        |f| Span::new(f, 7, 8),
        "span inside a character",
    );
    snapshot("human_mid_character", &rendered);
}

#[test]
fn human_unknown_file_renders_the_title_only() {
    let mut sources = SourceMap::new();
    let known = sources.add(PathBuf::from("a.yml"), "a: 1\n".to_owned());
    let mut other = SourceMap::new();
    other.add(PathBuf::from("x.yml"), String::new());
    let foreign = other.add(PathBuf::from("y.yml"), String::new());
    assert_ne!(known, foreign);
    let diagnostic = Diagnostic::new(Code::D006, Span::file_start(foreign), "no such file")
        .with_help("check the span");
    snapshot("human_unknown_file", &render_human(&[diagnostic], &sources));
}

#[test]
fn human_label_in_another_file_and_warning() {
    let mut sources = SourceMap::new();
    let detection = sources.add(PathBuf::from("detections/a.yml"), DETECTION.to_owned());
    let story = sources.add(
        PathBuf::from("stories/s.yml"),
        "name: Staging\ndetections:\n  - Archive Staging\n".to_owned(),
    );
    let diagnostic = Diagnostic::new(
        Code::D006,
        find(&sources, detection, "Archive Staging"),
        "detection is listed twice",
    )
    .with_severity(Severity::Warning)
    .with_primary_label("defined here")
    .with_label(find(&sources, story, "Archive Staging"), "listed here");
    snapshot(
        "human_other_file_warning",
        &render_human(&[diagnostic], &sources),
    );
}

/// Three diagnostics over two files, unsorted, with text that needs escaping for GitHub.
fn mixed() -> (SourceMap, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let detection = sources.add(PathBuf::from("detections/a.yml"), DETECTION.to_owned());
    let odd = sources.add(
        PathBuf::from("macros/odd, name:1.yml"),
        "definition: x\n".to_owned(),
    );
    let mut diagnostics = vec![
        Diagnostic::new(
            Code::D006,
            find(&sources, detection, "stats"),
            "100% of `stats`\nsecond line",
        )
        .with_severity(Severity::Warning)
        .with_help("remove it"),
        Diagnostic::new(Code::D006, find(&sources, odd, "x"), "odd path"),
        Diagnostic::new(
            Code::D006,
            find(&sources, detection, "`sysmon_proc`"),
            "macro `sysmon_proc` is not defined",
        )
        .with_note("a note"),
    ];
    sort_diagnostics(&mut diagnostics, &sources);
    (sources, diagnostics)
}

#[test]
fn github_annotations_are_escaped() {
    let (sources, diagnostics) = mixed();
    let rendered = render_github(&diagnostics, &sources, &RenderOptions::default());
    assert_eq!(rendered.lines().count(), 3);
    snapshot("github_mixed", &rendered);
}

#[test]
fn github_paths_are_relative_to_the_current_directory() {
    let mut sources = SourceMap::new();
    let file = sources.add(
        PathBuf::from("/repo/content/detections/a.yml"),
        "a: 1\n".to_owned(),
    );
    let stored = sources.add(PathBuf::from("detections/b.yml"), "b: 1\n".to_owned());
    let diagnostics = vec![
        Diagnostic::new(Code::D006, Span::new(file, 0, 1), "absolute under cwd"),
        Diagnostic::new(Code::D006, Span::new(stored, 0, 1), "relative to the root"),
    ];
    let options = RenderOptions {
        paths: PathDisplay::new(Some(Path::new("content")), Some(Path::new("/repo"))),
        ..RenderOptions::default()
    };
    let rendered = render_github(&diagnostics, &sources, &options);
    assert_eq!(
        rendered,
        "::error file=content/detections/a.yml,line=1,col=1,title=D006::absolute under cwd\n\
         ::error file=content/detections/b.yml,line=1,col=1,title=D006::relative to the root\n"
    );
}

#[test]
fn json_lines_then_summary() {
    let (sources, diagnostics) = mixed();
    let mut out = Vec::new();
    json::render(&diagnostics, &sources, &RenderOptions::default(), &mut out).unwrap();
    let counts = Counts {
        detections: 1,
        macros: 1,
        ..Counts::default()
    };
    json::render_summary(&Summary::new(counts, &diagnostics), &mut out).unwrap();
    let rendered = String::from_utf8(out).unwrap();
    for line in rendered.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value.is_object());
    }
    let last: serde_json::Value = serde_json::from_str(rendered.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["errors"], 2);
    assert_eq!(last["summary"]["warnings"], 1);
    snapshot("json_mixed", &rendered);
}

#[test]
fn summary_line_counts_errors_and_warnings() {
    let (_, diagnostics) = mixed();
    let counts = Counts {
        detections: 3,
        stories: 2,
        macros: 4,
        lookups: 5,
        data_sources: 6,
    };
    let summary = Summary::new(counts, &diagnostics);
    assert!(!summary.passed());
    assert_eq!(
        summary.line(),
        "validated 3 detections, 2 stories, 4 macros, 5 lookups, 6 data sources: 2 errors, 1 warning"
    );
    assert!(Summary::new(counts, &[]).passed());
    // Issue 11 point 9: a count of one takes the singular.
    let one = Summary {
        detections: 1,
        stories: 1,
        macros: 1,
        lookups: 1,
        data_sources: 1,
        errors: 1,
        warnings: 1,
    };
    assert_eq!(
        one.line(),
        "validated 1 detection, 1 story, 1 macro, 1 lookup, 1 data source: 1 error, 1 warning"
    );
    let compiled = detc::output::compile::CompileSummary {
        compiled: 1,
        ..detc::output::compile::CompileSummary::default()
    };
    assert_eq!(
        compiled.line(),
        "compiled 1 of 1 detection: 0 unsupported, 0 invalid"
    );
}

#[test]
fn human_renders_in_the_given_order_with_blank_lines_between() {
    let (sources, diagnostics) = mixed();
    let rendered = render_human(&diagnostics, &sources);
    snapshot("human_mixed", &rendered);
}
