//! Fuzzes the evtx reader: EVTX files (the `evtx` crate, then the XML scanner). Any bytes (gzip-compressed
//! or not) must read without panicking, and `events::read::check_read`'s invariants must hold.
//! `tests/events_read.rs` (`fuzz_regressions_replay`) replays crash files the same way.

#![no_main]

use detc::events::{InputFormat, read::check_read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(failure) = check_read(Some(InputFormat::Evtx), data) {
        panic!("{failure}");
    }
});
