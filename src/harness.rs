//! What the fuzz targets run, so that their regression replays in `tests/` run the same code:
//! the input decoding and the invariants live here once (the event readers' invariants are
//! [`crate::events::read::check_read`]). Not part of the supported API.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::output::{PathDisplay, RenderOptions, compile, github, human, json};
use crate::spl::expand::{ExpandConfig, Expansion, MacroDef, MacroTable, Origin, expand};

/// Where the `content` target places its (up to three, NUL-separated) input files.
pub const CONTENT_PATHS: [&str; 3] = ["detections/endpoint/a.yml", "macros/m.yml", "stories/s.yml"];

/// The `content` target: loads the NUL-separated parts in memory as [`CONTENT_PATHS`] (the
/// last part keeps any further NULs; bytes as they are, so invalid UTF-8 takes the loader's
/// `L007` path), runs the CLI's validate sequence, and renders the diagnostics in every format
/// and the compile summaries. Returns the diagnostics.
///
/// # Errors
/// Only when a renderer fails writing to memory, which would be a bug.
pub fn content(data: &[u8]) -> io::Result<Vec<Diagnostic>> {
    let root = Path::new("content");
    let files = CONTENT_PATHS
        .iter()
        .zip(data.splitn(CONTENT_PATHS.len(), |&byte| byte == 0))
        .map(|(path, bytes)| (PathBuf::from(path), bytes.to_vec()))
        .collect();
    let loaded = crate::content::load_files(root, files);
    let crate::compile::Validation {
        diagnostics,
        compiled,
    } = crate::compile::validate(&loaded);
    let options = RenderOptions {
        paths: PathDisplay::new(Some(root), None),
        ..RenderOptions::default()
    };
    let mut out = Vec::new();
    human::render(&diagnostics, &loaded.sources, &options, &mut out)?;
    json::render(&diagnostics, &loaded.sources, &options, &mut out)?;
    github::render(&diagnostics, &loaded.sources, &options, &mut out)?;
    compile::render_human(&compiled, &diagnostics, &mut out)?;
    compile::render_json(
        &compiled,
        &diagnostics,
        &loaded.content,
        &loaded.sources,
        &options,
        &mut out,
    )?;
    Ok(diagnostics)
}

/// The `expand` target's input: NUL-separated parts; the first is the search, then (name,
/// arguments separated by `,`, definition) triples.
#[must_use]
pub fn expand_input(data: &[u8]) -> (MacroTable, String) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let search = parts.next().unwrap_or_default().to_owned();
    let mut table = MacroTable::new();
    let rest: Vec<&str> = parts.collect();
    for chunk in rest.chunks(3) {
        if let [name, arguments, definition] = chunk {
            table.insert(MacroDef {
                name: (*name).to_owned(),
                arguments: arguments
                    .split(',')
                    .filter(|argument| !argument.is_empty())
                    .map(str::to_owned)
                    .collect(),
                definition: (*definition).to_owned(),
            });
        }
    }
    (table, search)
}

/// The `expand` target: expands `search` (with `f_filter` as the detection's filter macro, so
/// the synthetic filter text is exercised) and checks [`check_origins`].
///
/// # Errors
/// The first broken invariant.
pub fn expand_and_check(search: &str, table: &MacroTable) -> Result<Expansion, String> {
    let mut config = ExpandConfig::new();
    config.filter_macro("f_filter");
    let expansion = expand(search, table, &config);
    check_origins(search, table, &expansion)?;
    Ok(expansion)
}

/// Every byte of the expanded text is the byte its origin names: the search's, a macro
/// definition's (with the macro last in its chain and a call site inside the search), or the
/// synthetic filter text's; every diagnostic's range lies inside the search.
///
/// # Errors
/// The first byte or range that breaks it.
pub fn check_origins(
    search: &str,
    table: &MacroTable,
    expansion: &Expansion,
) -> Result<(), String> {
    const SYNTHETIC: &[u8] = b"search *rename .* AS *";
    let inside_search =
        |range: &std::ops::Range<usize>| range.end <= search.len() && range.start < range.end;
    for (offset, &byte) in expansion.text.as_bytes().iter().enumerate() {
        let holds = match expansion.origin(offset) {
            Origin::Search { offset: at } => search.as_bytes().get(at) == Some(&byte),
            Origin::Macro {
                id,
                offset: at,
                call_site,
                chain,
            } => {
                table
                    .get(id)
                    .is_some_and(|def| def.definition.as_bytes().get(at) == Some(&byte))
                    && chain.last() == Some(&id)
                    && inside_search(&call_site)
            }
            Origin::Synthetic { call_site } => {
                SYNTHETIC.contains(&byte) && inside_search(&call_site)
            }
        };
        if !holds {
            return Err(format!(
                "byte {offset} of the expanded text ({byte:#04x}) is not the byte its origin \
                 names: {:?}",
                expansion.origin(offset)
            ));
        }
    }
    for diagnostic in &expansion.diagnostics {
        if diagnostic.range.end_usize() > search.len() {
            return Err(format!(
                "diagnostic {diagnostic:?} lies past the search's {} bytes",
                search.len()
            ));
        }
    }
    Ok(())
}
