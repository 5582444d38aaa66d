//! Finds the shared event data (`../shared/events`, beside the checkout; `../../shared/events`
//! from a worktree under `wt/`; or `$DETC_SHARED_EVENTS`) for the tests that read it. When it is
//! missing those tests are `#[ignore]`d with the reason (cfg `detc_no_shared_events`), never
//! silently passed.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(detc_no_shared_events)");
    println!("cargo::rerun-if-env-changed=DETC_SHARED_EVENTS");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let candidates = [
        std::env::var_os("DETC_SHARED_EVENTS").map(PathBuf::from),
        Some(manifest.join("../shared/events")),
        Some(manifest.join("../../shared/events")),
    ];
    println!("cargo::rerun-if-changed=build.rs");
    for candidate in candidates.into_iter().flatten() {
        if candidate.join("index.tsv").is_file() {
            println!(
                "cargo::rerun-if-changed={}",
                candidate.join("index.tsv").display()
            );
            let found = candidate.canonicalize().unwrap_or(candidate);
            println!("cargo::rustc-env=DETC_SHARED_EVENTS={}", found.display());
            return;
        }
    }
    println!("cargo::rustc-cfg=detc_no_shared_events");
    println!("cargo::rustc-env=DETC_SHARED_EVENTS=");
}
