//! Fuzzes macro expansion: arbitrary searches against arbitrary macro tables must not panic,
//! and every byte of the expanded text must be the byte its origin names.
//!
//! Input: NUL-separated parts; the first is the search, then (name, arguments separated by `,`,
//! definition) triples. `tests/expand.rs` decodes crash files the same way.

#![no_main]

use detc::spl::expand::{ExpandConfig, MacroDef, MacroTable, Origin, expand};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let search = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let mut table = MacroTable::new();
    for chunk in rest.chunks(3) {
        if let [name, arguments, definition] = chunk {
            table.insert(MacroDef {
                name: (*name).to_owned(),
                arguments: arguments
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect(),
                definition: (*definition).to_owned(),
            });
        }
    }
    let mut config = ExpandConfig::new();
    config.filter_macro("f_filter");
    let expansion = expand(search, &table, &config);
    for (offset, &byte) in expansion.text.as_bytes().iter().enumerate() {
        let expected = match expansion.origin(offset) {
            Origin::Search { offset } => search.as_bytes().get(offset).copied(),
            Origin::Macro { id, offset, .. } => table
                .get(id)
                .and_then(|def| def.definition.as_bytes().get(offset).copied()),
            Origin::Synthetic { .. } => "search *rename .* AS *"
                .as_bytes()
                .contains(&byte)
                .then_some(byte),
            _ => None,
        };
        assert_eq!(expected, Some(byte), "byte {offset} of the expanded text");
    }
    for diagnostic in &expansion.diagnostics {
        assert!(diagnostic.range.end_usize() <= search.len());
    }
});
