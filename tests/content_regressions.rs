//! The content pipeline on hostile input: replays of the `content` fuzz target's crash files
//! (`tests/fixtures/regressions/content/`), and the in-memory loader (`content::load_files`,
//! the fuzz target's route) giving the same tree as the disk loader on every validate fixture.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken fixture should fail loudly"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use detc::content::Loaded;
use detc::diagnostic::{Code, Diagnostic};

mod common;

/// The stack a loader worker thread gets by default; the replay runs on one this small so
/// that a debug build proves deep inputs cannot overflow it.
const WORKER_STACK: usize = 2 << 20;

/// Runs the pipeline on a thread with a worker's stack.
fn run_on_small_stack(data: Vec<u8>) -> Vec<Diagnostic> {
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || detc::harness::content(&data).unwrap())
        .unwrap()
        .join()
        .unwrap()
}

/// Replays every input kept under `tests/fixtures/regressions/content/`.
#[test]
fn fuzz_regressions_replay() {
    for path in common::regression_inputs("content") {
        let data = std::fs::read(&path).unwrap();
        let started = Instant::now();
        run_on_small_stack(data);
        // Slow inputs were bugs too (the fuzz run's timeout is 10 s, in a release build).
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
    }
}

/// Nesting past the YAML layer's limit is an `L001`, never a stack overflow. (A flow
/// collection past granit-parser's own limit of 255 says "recursion limit exceeded" rather than
/// our "collections nest deeper than 32 levels": the scanner stops before serde-saphyr counts.)
#[test]
fn deep_nesting_is_l001() {
    for path in common::regression_inputs("content") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("deep_") {
            continue;
        }
        let diagnostics = run_on_small_stack(std::fs::read(&path).unwrap());
        assert!(
            diagnostics
                .iter()
                .any(|diagnostic| diagnostic.code == Code::L001),
            "{name}: {diagnostics:#?}"
        );
    }
}

/// Invalid UTF-8 in memory takes the disk loader's `L007` path, in each of the three files.
#[test]
fn not_utf8_is_l007_in_every_file() {
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/regressions/content/not_utf8_in_each_file.bin"),
    )
    .unwrap();
    let diagnostics = detc::harness::content(&data).unwrap();
    let l007: Vec<(u32, u32)> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::L007)
        .map(|diagnostic| (diagnostic.primary.start, diagnostic.primary.end))
        .collect();
    assert_eq!(l007, [(6, 7), (12, 13), (6, 7)], "{diagnostics:#?}");
}

/// Every file under `dir`, paths relative to `root`; `None` when the tree holds something
/// memory cannot (a directory named `*.yml`, which the disk loader reports as unreadable).
fn read_tree(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Option<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.extension().is_some_and(|ext| ext == "yml") {
                return None;
            }
            read_tree(root, &path, files)?;
        } else {
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            files.push((relative, std::fs::read(&path).unwrap()));
        }
    }
    Some(())
}

/// What a load produced, in a comparable form.
fn summary(loaded: &Loaded) -> String {
    let files: Vec<_> = loaded
        .sources
        .files()
        .map(|(_, file)| (file.path().to_path_buf(), file.text().to_string()))
        .collect();
    format!(
        "{files:#?}\n{:#?}\n{:#?}",
        loaded.diagnostics,
        loaded.content.objects().collect::<Vec<_>>()
    )
}

#[test]
fn load_files_matches_load_on_every_validate_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate");
    let mut trees: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    trees.sort();
    let mut compared = 0;
    for tree in &trees {
        let mut files = Vec::new();
        if read_tree(tree, tree, &mut files).is_none() {
            continue;
        }
        let from_disk = detc::content::load(tree).unwrap();
        let from_memory = detc::content::load_files(tree, files);
        assert_eq!(
            summary(&from_disk),
            summary(&from_memory),
            "{}",
            tree.display()
        );
        compared += 1;
    }
    assert!(compared + 1 >= trees.len(), "{compared} of {}", trees.len());
}

/// A lookup CSV that is not UTF-8 is `L007` at its first bad byte, like every content file
/// (it used to be decoded lossily without a word).
#[test]
fn not_utf8_lookup_csv_is_l007() {
    let files = vec![(
        PathBuf::from("lookups/bad.csv"),
        b"name,value\nabc,d\xffe\n".to_vec(),
    )];
    let loaded = detc::content::load_files(Path::new("content"), files);
    let l007: Vec<(String, u32, u32)> = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::L007)
        .map(|diagnostic| {
            let path = loaded.sources.get(diagnostic.primary.file).unwrap().path();
            (
                path.display().to_string(),
                diagnostic.primary.start,
                diagnostic.primary.end,
            )
        })
        .collect();
    assert_eq!(l007, [("content/lookups/bad.csv".to_owned(), 16, 17)]);
}
