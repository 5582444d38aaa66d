//! Fuzzes the SPL parser and printer: any UTF-8 text must parse and dump without panicking,
//! and a parse without errors must print to text that parses without errors to the same tree
//! (`ast::structural_eq`: ranges and raw spellings ignored).
//!
//! Input: the search text itself; non-UTF-8 inputs are skipped. `tests/spl.rs`
//! (`fuzz_regressions_replay`) replays crash files the same way.

#![no_main]

use detc::spl::{self, ast};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let first = spl::parse(text);
    let _ = ast::dump(&first.pipeline);
    if first.has_errors() {
        return;
    }
    let printed = spl::print(&first.pipeline);
    let second = spl::parse(&printed);
    assert!(
        !second.has_errors(),
        "printed text does not parse\ninput:   {text:?}\nprinted: {printed:?}\n{:?}",
        second.diagnostics
    );
    assert!(
        ast::structural_eq(&first.pipeline, &second.pipeline),
        "round trip changed the tree\ninput:   {text:?}\nprinted: {printed:?}\nfirst:\n{}\nsecond:\n{}",
        ast::dump_with(&first.pipeline, ast::DumpMode::Structural),
        ast::dump_with(&second.pipeline, ast::DumpMode::Structural),
    );
});
