//! Fuzzes macro expansion: arbitrary searches against arbitrary macro tables must not panic,
//! and every byte of the expanded text must be the byte its origin names.
//!
//! Input: NUL-separated parts; the first is the search, then (name, arguments separated by `,`,
//! definition) triples. `tests/expand.rs` replays crash files through the same functions
//! (`detc::harness::expand_input`, `detc::harness::expand_and_check`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (table, search) = detc::harness::expand_input(data);
    if let Err(broken) = detc::harness::expand_and_check(&search, &table) {
        panic!("{broken}");
    }
});
