//! Helpers shared by the integration tests (each test file that needs them says `mod common;`).

#![allow(
    dead_code,
    reason = "each test crate compiles this module and uses only part of it"
)]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: a broken fixture should fail loudly"
)]

use std::path::{Path, PathBuf};

/// The kept inputs of one fuzz target (`tests/fixtures/regressions/<target>/`, the README files
/// left out), sorted; panics when there are none, so a replay cannot pass by replaying nothing.
pub(crate) fn regression_inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/regressions")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_none_or(|ext| ext != "md"))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    paths
}
