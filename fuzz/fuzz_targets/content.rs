//! Fuzzes the content pipeline: YAML files → content model → `validate` → `compile` →
//! search diagnostics (`compile::validate`, the CLI's sequence) → the human, JSON and GitHub renderers and the compile summaries. Nothing may panic, overflow the stack
//! or hang, whatever the bytes (the renderers clamp every span to its file).
//!
//! Input: up to three NUL-separated parts, loaded in memory as `detections/endpoint/a.yml`,
//! `macros/m.yml` and `stories/s.yml` (the last part keeps any further NULs). Bytes are
//! passed as they are, so invalid UTF-8 takes the loader's `L007` path.
//! `tests/content_regressions.rs` replays crash files through the same function
//! (`detc::harness::content`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Writing to memory cannot fail; what matters is that nothing panics.
    detc::harness::content(data).ok();
});
