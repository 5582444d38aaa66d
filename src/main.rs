//! The `detc` binary: a thin dispatcher over the library.

fn main() {}
