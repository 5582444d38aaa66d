//! Fuzzes the SPL parser and printer: any UTF-8 text must parse and dump without panicking,
//! and a parse without errors must print to text that parses without errors to the same tree
//! (`spl::check_round_trip`, which the tests use too).
//!
//! Input: the search text itself; non-UTF-8 inputs are skipped. `tests/spl.rs`
//! (`fuzz_regressions_replay`) replays crash files the same way.

#![no_main]

use detc::spl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = spl::dump(&spl::parse(text).pipeline, text);
    if let Err(failure) = spl::check_round_trip(text) {
        panic!("{failure}");
    }
});
