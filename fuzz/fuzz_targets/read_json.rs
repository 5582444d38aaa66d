//! Fuzzes the json reader: JSON lines or one array, of every shape (OTRF, winlogbeat, Splunk
//! export, Zeek, other); the first byte picks lines (even) or array (odd). Any bytes (gzip or not) must read without panicking, and `events::read::check_read`'s invariants must hold.
//! `tests/events_read.rs` (`fuzz_regressions_replay`) replays crash files the same way.

#![no_main]

use detc::events::{InputFormat, read::check_read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the layout (lines or one array); the rest is the input.
    let Some((&layout, input)) = data.split_first() else {
        return;
    };
    let format = if layout & 1 == 0 {
        InputFormat::JsonLines
    } else {
        InputFormat::JsonArray
    };
    if let Err(failure) = check_read(Some(format), input) {
        panic!("{failure}");
    }
});
