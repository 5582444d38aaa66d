//! End-to-end tests of the `detc` binary: exit codes 0/1/2, the summary as the last stdout
//! line, the shapes of the github and json formats, `--help`, a missing content directory,
//! and a closed stdout pipe. Content trees are written into a fresh temporary directory per
//! test.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken setup should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary content tree, removed on drop.
struct Tree {
    root: PathBuf,
}

impl Tree {
    fn new(name: &str, files: &[(&str, &str)]) -> Tree {
        let root = std::env::temp_dir().join(format!("detc-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Tree { root }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

const CLEAN_MACRO: &str =
    "name: clean_macro\ndefinition: search *\ndescription: matches everything\n";
/// M001: a macro without `definition`.
const BROKEN_MACRO: &str = "name: broken_macro\ndescription: has no definition\n";

fn clean_tree(name: &str) -> Tree {
    Tree::new(name, &[("macros/clean_macro.yml", CLEAN_MACRO)])
}

fn broken_tree(name: &str) -> Tree {
    Tree::new(
        name,
        &[
            ("macros/clean_macro.yml", CLEAN_MACRO),
            ("macros/broken_macro.yml", BROKEN_MACRO),
        ],
    )
}

fn detc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn clean_tree_exits_0_with_the_summary_last() {
    let tree = clean_tree("clean");
    let output = detc(&tree.root, &["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert_eq!(
        out.lines().count(),
        1,
        "human writes only the summary to stdout"
    );
    let summary = last_line(&out);
    assert!(summary.starts_with("validated "), "{summary}");
    assert_eq!(
        summary,
        "validated 0 detections, 0 stories, 1 macro, 0 lookups, 0 data sources: 0 errors, 0 warnings"
    );
}

#[test]
fn content_flag_is_the_same_as_running_inside_the_tree() {
    let tree = clean_tree("flag");
    let inside = detc(&tree.root, &["validate", "--content", "."]);
    let outside = detc(
        &std::env::temp_dir(),
        &["validate", "--content", tree.root.to_str().unwrap()],
    );
    assert_eq!(inside.status.code(), Some(0));
    assert_eq!(last_line(&stdout(&inside)), last_line(&stdout(&outside)));
}

#[test]
fn errors_exit_1_with_diagnostics_on_stderr() {
    let tree = broken_tree("errors");
    let output = detc(&tree.root, &["validate"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("error[M001]"), "{err}");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("cli__broken_tree_human_stderr", err);
    });
    let summary = last_line(&stdout(&output)).to_owned();
    assert!(summary.starts_with("validated "), "{summary}");
    assert!(!summary.contains(": 0 errors"), "{summary}");
}

#[test]
fn github_format_writes_annotations_then_the_summary() {
    let tree = broken_tree("github");
    let output = detc(&tree.root, &["validate", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    let (summary, annotations) = lines.split_last().unwrap();
    assert!(summary.starts_with("validated "), "{summary}");
    assert!(!annotations.is_empty());
    for line in annotations {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        assert!(line.contains(",line=") && line.contains(",col=") && line.contains(",title="));
    }
    assert!(
        annotations
            .iter()
            .any(|line| line.starts_with("::error file=macros/broken_macro.yml,")),
        "{out}"
    );
}

#[test]
fn json_format_writes_one_object_per_line_then_the_summary() {
    let tree = broken_tree("json");
    let output = detc(&tree.root, &["validate", "--format", "json"]);
    let out = stdout(&output);
    let values: Vec<serde_json::Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let (summary, records) = values.split_last().unwrap();
    for key in ["detections", "stories", "macros", "lookups", "data_sources"] {
        assert!(summary["summary"][key].is_u64(), "{summary}");
    }
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        summary["summary"]["errors"],
        records.iter().filter(|r| r["severity"] == "error").count()
    );
    assert!(!records.is_empty());
    for record in records {
        for key in ["severity", "code", "file", "message"] {
            assert!(record[key].is_string(), "{record}");
        }
        assert!(record["line"].as_u64().unwrap() >= 1);
        assert!(record["column"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn missing_content_dir_exits_2_with_a_message() {
    let output = detc(
        &std::env::temp_dir(),
        &["validate", "--content", "no/such/dir"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert!(err.starts_with("error: "), "{err}");
    // Issue 11 point 4: it said "is not a directory".
    assert!(
        err.contains("content root `no/such/dir` does not exist"),
        "{err}"
    );
}

/// Issue 11 point 2: a root with no content fails (exit 2) and says what a content root
/// holds; a folder inside a content root gets the root as a suggestion.
#[test]
fn a_root_without_content_fails_and_names_what_a_root_holds() {
    let empty = Tree::new("empty", &[]);
    for command in ["validate", "compile"] {
        let output = detc(&empty.root, &[command, "--content", "."]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            stderr(&output),
            "error: loading content: `.` holds no content: a content root is the folder \
             holding detections/, stories/, macros/, lookups/, data_sources/, deployments/, \
             baselines/ or investigations/ with `.yml` files in them\n"
        );
    }
    let tree = clean_tree("no-content");
    let output = detc(&tree.root.join("macros"), &["validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).ends_with("with `.yml` files in them; did you mean `--content ..`?\n"),
        "{}",
        stderr(&output)
    );
}

/// Issue 11 point 3: a file that cannot be read is reported with the reason (here a dangling
/// link; as root, permissions cannot be tested) and exits 2, as the README says.
#[cfg(unix)]
#[test]
fn an_unreadable_file_exits_2_with_the_reason() {
    let tree = clean_tree("dangling");
    std::os::unix::fs::symlink("gone.yml", tree.root.join("macros/dangling.yml")).unwrap();
    for command in ["validate", "compile"] {
        let output = detc(&tree.root, &[command]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let err = stderr(&output);
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("cli__dangling_link", err);
        });
    }
}

/// Issue 11 point 6: a symbolic link to a folder is followed like a folder, and a link that
/// leads back into the folders being walked is reported and skipped.
#[cfg(unix)]
#[test]
fn symlinked_folders_are_followed_and_loops_reported() {
    let tree = Tree::new(
        "symlinks",
        &[(
            "elsewhere/more/extra_macro.yml",
            CLEAN_MACRO.replace("clean_macro", "extra_macro").as_str(),
        )],
    );
    std::fs::create_dir_all(tree.root.join("macros")).unwrap();
    std::fs::write(tree.root.join("macros/clean_macro.yml"), CLEAN_MACRO).unwrap();
    std::os::unix::fs::symlink("../elsewhere/more", tree.root.join("macros/linked")).unwrap();
    std::os::unix::fs::symlink("../macros", tree.root.join("macros/linked_loop")).unwrap();
    let output = detc(&tree.root, &["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        last_line(&stdout(&output)),
        "validated 0 detections, 0 stories, 2 macros, 0 lookups, 0 data sources: 0 errors, 1 warning"
    );
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("cli__symlink_loop", stderr(&output));
    });
}

/// Issue 11 point 7: one policy for `validate` and `compile`: a deprecated detection's SPL
/// error is a warning in both, and neither fails on it.
#[test]
fn deprecated_detections_spl_errors_are_warnings_in_compile_and_validate() {
    let tree = Tree::new(
        "deprecated",
        &[(
            "detections/a.yml",
            "name: A\nstatus: deprecated\nsearch: '| tstats count from datamodel=Endpoint.Processes | eval = 1 | `a_filter`'\n",
        )],
    );
    let output = detc(&tree.root, &["compile"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.starts_with("warning[P001]"), "{err}");
    assert!(
        err.contains("a warning, not an error, because the detection is deprecated"),
        "{err}"
    );
    assert!(
        stdout(&output)
            .ends_with("compiled 0 of 1 detection: 0 unsupported, 1 invalid (1 deprecated)\n"),
        "{}",
        stdout(&output)
    );
    let output = detc(&tree.root, &["compile", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["status"], "invalid");
    assert_eq!(first["deprecated"], true);
    let output = detc(&tree.root, &["compile", "--explain", "A"]);
    assert_eq!(output.status.code(), Some(0));
    let output = detc(&tree.root, &["validate", "--format", "json"]);
    let text = stdout(&output);
    assert!(
        text.contains(r#""severity":"warning","code":"P001""#),
        "{text}"
    );
}

/// Issue 11 point 1: `compile` reports a file that does not load with validate's code and
/// fails; `--explain` says the detection may be in that file.
#[test]
fn compile_reports_load_errors_and_fails() {
    let tree = Tree::new(
        "compile-load-error",
        &[
            (
                "detections/a.yml",
                "name: A\nsearch: '| tstats count from datamodel=Endpoint.Processes | `a_filter`'\n",
            ),
            ("detections/b.yml", "name: B\nsearch: [unclosed\n"),
        ],
    );
    let output = detc(&tree.root, &["compile"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("error[L001]: invalid YAML"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stdout(&output),
        "compiled 1 of 1 detection: 0 unsupported, 0 invalid, 1 load error\n"
    );
    let output = detc(&tree.root, &["compile", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["status"], "not_loaded");
    assert_eq!(first["file"], "detections/b.yml");
    assert_eq!(first["reason"]["code"], "L001");
    let output = detc(&tree.root, &["compile", "--explain", "B"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.starts_with("error[L001]"), "{err}");
    assert!(
        err.contains(
            "1 error while loading, see above: the detection may be in a file that did not load"
        ),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = std::env::temp_dir();
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["validate", "--format", "xml"][..],
        &["validate", "--no-such-flag"][..],
    ] {
        let output = detc(&dir, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn help_explains_exit_codes_and_formats() {
    let dir = std::env::temp_dir();
    let output = detc(&dir, &["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    assert!(help.contains("validate"), "{help}");
    assert!(help.contains("Exit status"), "{help}");

    let output = detc(&dir, &["validate", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for needle in [
        "--content",
        "--format",
        "github",
        "json",
        "Exit status",
        "  1  ",
    ] {
        assert!(help.contains(needle), "`{needle}` missing from:\n{help}");
    }
}

#[test]
fn closed_stdout_pipe_is_a_clean_exit() {
    let tree = broken_tree("pipe");
    // Close the read end before the child starts, so its first write fails with EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_detc"))
        .args(["validate", "--format", "json"])
        .current_dir(&tree.root)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

/// `detc compile` on the span fixtures: exit 1 (some detections are invalid), one JSON object
/// per detection with `reason` only when not compiled, then the summary object.
#[test]
fn compile_json_shape_and_exit_code() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compile/spans");
    let output = detc(&fixtures, &["compile", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let (summary, records) = lines.split_last().unwrap();
    assert_eq!(records.len(), 14);
    for record in records {
        let status = record["status"].as_str().unwrap();
        assert!(record["detection"].is_string() && record["file"].is_string());
        match status {
            "compiled" => assert!(record.get("reason").is_none()),
            "unsupported" | "invalid" => {
                let reason = &record["reason"];
                assert!(reason["code"].is_string() && reason["message"].is_string());
                assert!(reason["line"].as_u64().unwrap() >= 1);
                assert!(reason["column"].as_u64().unwrap() >= 1);
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        summary,
        &serde_json::json!({"summary": {
            "compiled": 5, "unsupported": 3, "invalid": 6, "invalid_deprecated": 0, "load_errors": 0
        }})
    );
}

/// Human output: the errors of invalid detections on stderr, the table and the summary line
/// on stdout; a clean tree exits 0.
#[test]
fn compile_human_and_exit_codes() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compile/spans");
    let output = detc(&fixtures, &["compile"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[P001]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        last_line(&stdout(&output)),
        "compiled 5 of 14 detections: 3 unsupported, 6 invalid"
    );

    let tree = Tree::new(
        "compile-clean",
        &[(
            "detections/a.yml",
            "name: A\nsearch: '| tstats count from datamodel=Endpoint.Processes | `a_filter`'\n",
        )],
    );
    let output = detc(&tree.root, &["compile"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "compiled 1 of 1 detection: 0 unsupported, 0 invalid\n"
    );
}

/// `--explain` by name or file stem prints the expanded SPL and the tree; an unknown name is
/// a usage-level failure (exit 2) with a message.
#[test]
fn compile_explain() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compile/spans");
    for wanted in ["Error In Macro", "error_in_macro"] {
        let output = detc(&fixtures, &["compile", "--explain", wanted]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "the detection is invalid");
        assert!(text.starts_with("detection: Error In Macro\n"), "{text}");
        assert!(
            text.contains("expanded SPL:\n  sourcetype=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational EventCode=1 | stats count by host | eval = 2 | search *\n"),
            "{text}"
        );
        assert!(text.contains("\nAST:\nPipeline @"), "{text}");
    }
    let output = detc(&fixtures, &["compile", "--explain", "No Such Detection"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no detection is named `No Such Detection`"));
}
