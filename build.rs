//! Two build-time jobs:
//!
//! - Finds the shared event data (`../shared/events`, beside the checkout; `../../shared/events`
//!   from a worktree under `wt/`; or `$DETC_SHARED_EVENTS`) for the tests that read it. When it
//!   is missing those tests are `#[ignore]`d with the reason (cfg `detc_no_shared_events`),
//!   never silently passed.
//! - Embeds the code explanations: every `docs/codes/<CODE>.md` becomes one entry of
//!   `EXPLANATIONS` (code id, text), included with `include_str!`, in file-name order. Adding
//!   a code's explanation is adding its file; `diagnostic::explain`'s test checks that every
//!   registered code has one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo::rerun-if-changed=build.rs");
    shared_events(&manifest);
    explanations(&manifest);
}

fn shared_events(manifest: &Path) {
    println!("cargo::rustc-check-cfg=cfg(detc_no_shared_events)");
    println!("cargo::rerun-if-env-changed=DETC_SHARED_EVENTS");
    let candidates = [
        std::env::var_os("DETC_SHARED_EVENTS").map(PathBuf::from),
        Some(manifest.join("../shared/events")),
        Some(manifest.join("../../shared/events")),
    ];
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

fn explanations(manifest: &Path) {
    let folder = manifest.join("docs/codes");
    println!("cargo::rerun-if-changed={}", folder.display());
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(&folder)
        .map(|listing| {
            listing
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
                .filter_map(|path| {
                    let stem = path.file_stem()?.to_str()?.to_owned();
                    Some((stem, path))
                })
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let mut code = String::from("/// Every explanation: (code id, markdown).\n");
    code.push_str("pub(crate) const EXPLANATIONS: &[(&str, &str)] = &[\n");
    for (stem, path) in &entries {
        println!("cargo::rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = std::fs::write(out.join("explanations.rs"), code) {
        println!("cargo::warning=cannot write explanations.rs: {error}");
        std::process::exit(1);
    }
}
