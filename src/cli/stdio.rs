//! Writing to the standard streams without panicking: a closed pipe (`detc validate | head`)
//! is a clean exit, and an error message that cannot be written is dropped rather than
//! turned into a panic as `eprintln!` would.

use std::io::{self, Write};

/// Whether `error` was caused by writing to a closed pipe, anywhere in its chain.
#[must_use]
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints `error: <message>: <cause>: ...` to stderr, ignoring failures to write.
pub fn report_error(error: &anyhow::Error) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {error:#}");
}
