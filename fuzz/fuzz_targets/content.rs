//! Fuzzes the content pipeline: YAML files → content model → `validate` → `compile` →
//! search diagnostics (`compile::validate`, the CLI's sequence) → the human, JSON and GitHub renderers and the compile summaries. Nothing may panic, overflow the stack
//! or hang, whatever the bytes (the renderers clamp every span to its file).
//!
//! Input: up to three NUL-separated parts, loaded in memory as `detections/endpoint/a.yml`,
//! `macros/m.yml` and `stories/s.yml` (the last part keeps any further NULs). Bytes are
//! passed as they are, so invalid UTF-8 takes the loader's `L007` path.
//! `tests/content_regressions.rs` replays crash files the same way.

#![no_main]

use std::path::{Path, PathBuf};

use detc::output::{PathDisplay, RenderOptions, compile, github, human, json};
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 3] = ["detections/endpoint/a.yml", "macros/m.yml", "stories/s.yml"];

fuzz_target!(|data: &[u8]| {
    let root = Path::new("content");
    let files = PATHS
        .iter()
        .zip(data.splitn(PATHS.len(), |&byte| byte == 0))
        .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
        .collect();
    let loaded = detc::content::load_files(root, files);
    let detc::compile::Validation {
        diagnostics,
        compiled,
    } = detc::compile::validate(&loaded);
    let options = RenderOptions {
        paths: PathDisplay::new(Some(root), None),
        ..RenderOptions::default()
    };
    let mut out = Vec::new();
    human::render(&diagnostics, &loaded.sources, &options, &mut out).ok();
    json::render(&diagnostics, &loaded.sources, &options, &mut out).ok();
    github::render(&diagnostics, &loaded.sources, &options, &mut out).ok();
    compile::render_human(&compiled, &diagnostics, &mut out).ok();
    compile::render_json(&compiled, &diagnostics, &loaded.content, &loaded.sources, &options, &mut out).ok();
});
