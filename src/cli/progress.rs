//! A one-line progress report on stderr for long reads: files done of all, events so far,
//! events per second. Hand-written rather than a crate (indicatif would bring a terminal
//! layer and a drawing thread for one line): it draws only when stderr is a terminal, only
//! once a read has run for a second (short reads stay silent), at most five times a second,
//! and clears its line before the summary is printed.

use std::io::{self, Write};
use std::time::{Duration, Instant};

const FIRST_DRAW: Duration = Duration::from_secs(1);
const REDRAW: Duration = Duration::from_millis(200);
/// Events between clock reads: keeps the per-event cost to a counter increment.
const CHECK_EVERY: u64 = 4096;

/// The progress line.
#[derive(Debug)]
pub(crate) struct Progress {
    enabled: bool,
    start: Instant,
    last_draw: Option<Instant>,
    files_total: usize,
    files_done: usize,
    events: u64,
}

impl Progress {
    /// A progress line over `files_total` files, drawn only when `enabled`.
    pub(crate) fn new(enabled: bool, files_total: usize) -> Progress {
        Progress {
            enabled,
            start: Instant::now(),
            last_draw: None,
            files_total,
            files_done: 0,
            events: 0,
        }
    }

    /// One more event.
    pub(crate) fn event(&mut self) {
        self.events += 1;
        if self.enabled && self.events.is_multiple_of(CHECK_EVERY) {
            self.maybe_draw();
        }
    }

    /// `count` more events at once (`detc run`'s workers tell them in batches).
    pub(crate) fn events(&mut self, count: u64) {
        self.events += count;
        if self.enabled {
            self.maybe_draw();
        }
    }

    /// One more file done.
    pub(crate) fn file_done(&mut self) {
        self.files_done += 1;
        if self.enabled {
            self.maybe_draw();
        }
    }

    fn maybe_draw(&mut self) {
        let now = Instant::now();
        let due = match self.last_draw {
            None => now.duration_since(self.start) >= FIRST_DRAW,
            Some(last) => now.duration_since(last) >= REDRAW,
        };
        if !due {
            return;
        }
        self.last_draw = Some(now);
        let seconds = now.duration_since(self.start).as_secs_f64().max(0.001);
        #[allow(clippy::cast_precision_loss, reason = "a rate for display")]
        let rate = self.events as f64 / seconds;
        let mut err = io::stderr().lock();
        // A failed draw changes nothing: the summary still follows.
        let _ = write!(
            err,
            "\r\x1b[Kreading: {}/{} files, {} events, {rate:.0} events/s",
            self.files_done, self.files_total, self.events
        );
        let _ = err.flush();
    }

    /// Clears the line if it was drawn.
    pub(crate) fn finish(&mut self) {
        if self.last_draw.is_some() {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}
