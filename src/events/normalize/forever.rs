//! Strings that live as long as the process: the constants of mappings (`allowed`,
//! `Microsoft Sysmon`, lookup table values, `unknown`) and asset list cells.
//!
//! Events hold `Cow<'buf, str>` values, and a reader hands each event to its sink for any
//! buffer lifetime, so a value taken from a mapping can be borrowed only if it is `'static`.
//! Without this, every constant would be a fresh `String` on every event. Each distinct text is
//! leaked once, process-wide, so building normalizers again (tests, several trees) does not grow
//! memory: the total is bounded by the distinct constants of the mappings and asset lists read.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

static STRINGS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();

/// `text` as a `'static` string, leaked the first time this text is seen.
pub(crate) fn forever(text: &str) -> &'static str {
    let strings = STRINGS.get_or_init(|| Mutex::new(HashSet::new()));
    // A panic elsewhere while holding the lock cannot leave the set half-updated: insert is
    // the only write.
    let mut strings = strings.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = strings.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
    strings.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_leak_per_distinct_text() {
        let first = forever("allowed");
        let second = forever(&String::from("allowed"));
        assert!(std::ptr::eq(first, second));
        assert_eq!(forever("x"), "x");
    }
}
