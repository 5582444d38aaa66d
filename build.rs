//! Embeds the code explanations: every `docs/codes/<CODE>.md` becomes one entry of
//! `EXPLANATIONS` (code id, text), included with `include_str!`, in file-name order. Adding
//! a code's explanation is adding its file; `diagnostic::explain`'s test checks that every
//! registered code has one.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let folder = manifest.join("docs/codes");
    println!("cargo:rerun-if-changed={}", folder.display());
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
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(error) = std::fs::write(out.join("explanations.rs"), code) {
        println!("cargo:warning=cannot write explanations.rs: {error}");
        std::process::exit(1);
    }
}
