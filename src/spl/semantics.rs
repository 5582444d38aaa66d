//! Value semantics shared by every stage that reasons about field values (the lint today, the
//! plan and the runtime next): which fields may hold several values at a point of a pipeline
//! ([`FieldState`]) and when two written values certainly differ under a grammar's comparison
//! rules ([`values_differ`]: case, wildcards, CIDR blocks, numbers). See spl-semantics.md
//! 2.3 and 2.4.

use std::net::IpAddr;

use super::ast::{NumberValue, ValueKind};

/// Which fields may hold more than one value at a point of the pipeline.
///
/// An over-approximation: a field wrongly taken as multivalued only silences a lint, so
/// whenever a command's effect is unclear the state says "multivalued".
#[derive(Clone, Debug, Default)]
pub struct FieldState {
    /// Fields not in `fields` are multivalued when this is set (after `transaction`, `xmlkv`,
    /// an unsupported command…).
    default_multivalue: bool,
    /// Field name → may be multivalued; only entries that differ from the default are kept,
    /// so the common case (single-valued outputs over raw events) allocates nothing. A list:
    /// it holds a handful of names, and searching it beats hashing them.
    fields: Vec<(String, bool)>,
}

impl FieldState {
    /// Raw events: only JSON array paths, `tag` and `eventtype` are multivalued.
    #[must_use]
    pub fn raw() -> FieldState {
        FieldState::default()
    }

    /// Whether `name` may hold more than one value.
    #[must_use]
    pub fn is_multivalue(&self, name: &str) -> bool {
        if is_raw_multivalue_name(name) {
            return true;
        }
        self.fields
            .iter()
            .find(|(known, _)| known == name)
            .map_or(self.default_multivalue, |&(_, multivalue)| multivalue)
    }

    /// Records whether `name` may be multivalued from now on.
    pub fn set(&mut self, name: &str, multivalue: bool) {
        let at = self.fields.iter().position(|(known, _)| known == name);
        match (at, multivalue == self.default_multivalue) {
            (Some(at), true) => {
                self.fields.swap_remove(at);
            }
            (Some(at), false) => {
                if let Some(entry) = self.fields.get_mut(at) {
                    entry.1 = multivalue;
                }
            }
            (None, true) => {}
            (None, false) => self.fields.push((name.to_owned(), multivalue)),
        }
    }

    /// Every field may now be multivalued.
    pub fn poison(&mut self) {
        self.default_multivalue = true;
        self.fields.clear();
    }

    /// After a transforming command only its outputs exist; they are set one by one.
    pub fn reset(&mut self) {
        self.default_multivalue = false;
        self.fields.clear();
    }

    /// Takes the union with the final state of a subsearch whose rows join this one.
    pub fn merge(&mut self, other: &FieldState) {
        if other.default_multivalue {
            self.poison();
            return;
        }
        for (name, multivalue) in &other.fields {
            if *multivalue {
                self.set(name, true);
            }
        }
    }

    /// `rename from AS to` (one `*` may capture): the new name is as multivalued as the old
    /// one.
    pub fn rename(&mut self, from: &str, to: &str) {
        let stars = from.matches('*').count();
        if stars == 0 {
            let multivalue = self.is_multivalue(from);
            self.set(to, multivalue);
            return;
        }
        let raw_multivalue_reachable = from.contains('{')
            || ["tag", "eventtype", "tag::x"]
                .iter()
                .any(|name| glob_capture(from, name).is_some());
        if stars > 1 || to.matches('*').count() > 1 || raw_multivalue_reachable {
            // Several captures, or raw multivalue fields we cannot enumerate: give up precision.
            if !self.fields.is_empty() || raw_multivalue_reachable {
                self.poison();
            }
            return;
        }
        let renamed: Vec<String> = self
            .multivalue_names()
            .filter_map(|name| glob_capture(from, name).map(|capture| to.replacen('*', capture, 1)))
            .collect();
        // The old names are kept: over-approximating the multivalue set is always safe.
        for name in renamed {
            self.set(&name, true);
        }
    }

    /// The fields known to be multivalued (meaningful when the default is single-valued).
    pub fn multivalue_names(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(_, multivalue)| *multivalue)
            .map(|(name, _)| name.as_str())
    }
}

/// Matches `name` against a pattern with exactly one `*`; returns what the `*` matched.
fn glob_capture<'n>(pattern: &str, name: &'n str) -> Option<&'n str> {
    let (prefix, suffix) = pattern.split_once('*')?;
    let rest = name.strip_prefix(prefix)?;
    rest.strip_suffix(suffix)
}

/// Raw fields that are multivalued whatever the pipeline: JSON array paths, tags and event
/// types (with or without a data model dataset prefix), and the story and annotation fields
/// of risk events (one risk event carries every story and MITRE id of its detection).
fn is_raw_multivalue_name(name: &str) -> bool {
    if name.contains("{}") || name.starts_with("tag::") {
        return true;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(last, "tag" | "eventtype" | "analyticstories")
        || name.split('.').any(|segment| segment == "annotations")
}

/// Whose comparison rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grammar {
    /// Search command, implicit search, tstats `where`: case-insensitive, wildcards.
    Search,
    /// `where`/`eval`: case-sensitive, `*` literal.
    Eval,
}

/// Whether no field value can match both `a` and `b`. Any doubt answers `false`.
#[must_use]
pub fn values_differ(a: &str, b: &str, grammar: Grammar) -> bool {
    if grammar == Grammar::Search {
        // Wildcards, CIDR blocks and the empty value (whose meaning in search is not
        // documented) may match many values.
        if a.is_empty() || b.is_empty() || a.contains('*') || b.contains('*') {
            return false;
        }
        if is_cidr(a) || is_cidr(b) {
            return false;
        }
    }
    // A numeric-looking value is compared as a number by one reading and as text by
    // another; a number and a non-number can only differ if the texts differ too.
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x != y && !x.is_nan() && !y.is_nan();
    }
    match grammar {
        Grammar::Eval => a != b,
        Grammar::Search => {
            // Splunk's case folding (ASCII or Unicode) is not documented: both foldings
            // must see a difference.
            if a.is_ascii() && b.is_ascii() {
                return !a.eq_ignore_ascii_case(b);
            }
            !a.eq_ignore_ascii_case(b)
                && a.to_lowercase() != b.to_lowercase()
                && a.to_uppercase() != b.to_uppercase()
        }
    }
}

/// The value as a number, if it reads as one (decimal, exponent, or `0x` hexadecimal).
#[must_use]
pub fn number(text: &str) -> Option<f64> {
    NumberValue::parse(text.trim()).map(NumberValue::as_f64)
}

/// `10.0.0.0/8`, `fe80::/10`.
#[must_use]
pub fn is_cidr(text: &str) -> bool {
    cidr(text).is_some()
}

/// The address and prefix length of a CIDR block.
fn cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (address, bits) = text.split_once('/')?;
    Some((address.trim().parse().ok()?, bits.trim().parse().ok()?))
}

/// How the search grammar matches the decoded value `value`: a `*` makes it a wildcard
/// pattern (whatever else it looks like), then a CIDR block, then a number.
#[must_use]
pub fn classify_search_value(value: &str) -> ValueKind {
    let stars: Vec<u32> = value
        .match_indices('*')
        .filter_map(|(at, _)| u32::try_from(at).ok())
        .collect();
    if !stars.is_empty() {
        return ValueKind::Wildcard { stars };
    }
    if let Some((address, prefix)) = cidr(value) {
        return ValueKind::Cidr { address, prefix };
    }
    match NumberValue::parse(value.trim()) {
        Some(number) => ValueKind::Number(number),
        None => ValueKind::Exact,
    }
}

/// Search-grammar text equality: without regard to case (spl-semantics.md 2.3). Splunk's
/// folding (ASCII or Unicode) is not documented; ASCII text takes the fast path and other
/// text is compared lowercased, the folding `values_differ` also accepts.
#[must_use]
pub fn search_text_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

/// Whether `value` matches the SPL wildcard `pattern` (`*` any run of characters, nothing
/// else special, F6), without regard to case when `fold` is set.
///
/// Greedy matching with backtracking to the last `*` only: linear in practice, quadratic at
/// worst, never exponential.
#[must_use]
pub fn wildcard_match(pattern: &str, value: &str, fold: bool) -> bool {
    if fold && !(pattern.is_ascii() && value.is_ascii()) {
        return wildcard_match(&pattern.to_lowercase(), &value.to_lowercase(), false);
    }
    let (p, v) = (pattern.as_bytes(), value.as_bytes());
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut vi) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while vi < v.len() {
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                backtrack = Some((pi, vi));
            }
            Some(&pc) if v.get(vi).is_some_and(|&vc| eq(pc, vc)) => {
                pi += 1;
                vi += 1;
            }
            _ => match backtrack {
                Some((star_p, star_v)) => {
                    pi = star_p;
                    vi = star_v + 1;
                    backtrack = Some((star_p, star_v + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// Whether the address `value` is inside the block `address/prefix` (F9). A value that is not
/// an address, or of the other IP version, is outside.
#[must_use]
pub fn cidr_contains(address: IpAddr, prefix: u8, value: &str) -> bool {
    let Ok(candidate) = value.trim().parse::<IpAddr>() else {
        return false;
    };
    match (address, candidate) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let bits = u32::from(prefix.min(32));
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(net) & mask == u32::from(ip) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let bits = u32::from(prefix.min(128));
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(net) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

/// The order of two values under the search grammar's `<`, `>`: as numbers when both read as
/// numbers, byte-wise otherwise (spl-semantics.md 2.3, unverified detail adopted there).
/// `None` when a number is NaN.
#[must_use]
pub fn search_order(value: &str, written: &str) -> Option<std::cmp::Ordering> {
    match (number(value), number(written)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(value.as_bytes().cmp(written.as_bytes())),
    }
}

/// Search-grammar equality of a field value with a written value classified as `kind`:
/// numbers compare as numbers (`1` and `1.0`), with text equality as the fallback for a value
/// that does not read as a number; wildcards and CIDR blocks match as patterns.
#[must_use]
pub fn search_value_eq(kind: &ValueKind, written: &str, value: &str) -> bool {
    match kind {
        ValueKind::Exact => search_text_eq(written, value),
        ValueKind::Wildcard { .. } => wildcard_match(written, value, true),
        ValueKind::Number(expected) => match number(value) {
            Some(actual) => actual == expected.as_f64(),
            None => search_text_eq(written, value),
        },
        ValueKind::Cidr { address, prefix } => cidr_contains(*address, *prefix, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compare_per_grammar() {
        assert!(!values_differ("RAR.exe", "rar.exe", Grammar::Search));
        assert!(values_differ("RAR.exe", "rar.exe", Grammar::Eval));
        assert!(!values_differ("1", "1.0", Grammar::Eval));
        assert!(!values_differ("1", "01", Grammar::Search));
        assert!(!values_differ("0x10", "16", Grammar::Search));
        assert!(values_differ("1", "2", Grammar::Search));
        assert!(!values_differ("a*", "b", Grammar::Search));
        assert!(values_differ("a*", "b", Grammar::Eval));
        assert!(!values_differ("10.0.0.0/8", "10.1.0.0/16", Grammar::Search));
        assert!(!values_differ("", "a", Grammar::Search));
        // Unicode folding: `ß` uppercases to `SS`.
        assert!(!values_differ("straße", "STRASSE", Grammar::Search));
    }

    #[test]
    fn search_equality_table() {
        // (written, value, matches): spl-semantics.md 2.3.
        let cases = [
            ("cmd.exe", "CMD.EXE", true),
            ("cmd.exe", "cmd.ex", false),
            ("*\\7z.exe", "C:\\x\\7Z.EXE", true),
            ("*\\7z.exe", "C:\\x\\7z.exe.bak", false),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("*", "", true),
            ("4688", "4688", true),
            ("4688", "4688.0", true),
            ("4688", "4689", false),
            ("1", "one", false),
            ("10.0.0.0/8", "10.2.3.4", true),
            ("10.0.0.0/8", "11.2.3.4", false),
            ("10.0.0.0/8", "not-an-ip", false),
            ("fe80::/10", "fe80::1", true),
            ("straße", "STRASSE", false),
            ("ÉTÉ", "été", true),
        ];
        for (written, value, expected) in cases {
            let kind = classify_search_value(written);
            assert_eq!(
                search_value_eq(&kind, written, value),
                expected,
                "{written} = {value}"
            );
        }
    }

    #[test]
    fn search_order_numbers_then_bytes() {
        use std::cmp::Ordering;
        assert_eq!(search_order("10", "9"), Some(Ordering::Greater));
        assert_eq!(search_order("abc", "abd"), Some(Ordering::Less));
        assert_eq!(search_order("0.55", "0.5"), Some(Ordering::Greater));
    }

    #[test]
    fn wildcard_is_case_sensitive_without_fold() {
        assert!(!wildcard_match("A*", "abc", false));
        assert!(wildcard_match("a*", "abc", false));
        assert!(wildcard_match("**", "x", true));
    }

    #[test]
    fn search_values_are_classified() {
        assert_eq!(classify_search_value("cmd.exe"), ValueKind::Exact);
        assert_eq!(
            classify_search_value("*\\AppData\\*"),
            ValueKind::Wildcard { stars: vec![0, 10] }
        );
        assert_eq!(
            classify_search_value("4688"),
            ValueKind::Number(NumberValue::Integer(4688))
        );
        assert_eq!(
            classify_search_value("0.5"),
            ValueKind::Number(NumberValue::Float(0.5))
        );
        assert!(matches!(
            classify_search_value("10.0.0.0/8"),
            ValueKind::Cidr { prefix: 8, .. }
        ));
        assert_eq!(
            classify_search_value("10.*"),
            ValueKind::Wildcard { stars: vec![3] }
        );
        assert_eq!(classify_search_value(""), ValueKind::Exact);
    }
}
