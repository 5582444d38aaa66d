//! Value patterns: the `Field(pattern=...)` regexes of contentctl's pydantic models, and
//! hand-written matchers for UUIDs, URLs and dates.
//!
//! pydantic-core checks `pattern` constraints with Rust's `regex` crate, so compiling the very
//! same pattern text with `regex-automata` (that crate's engine) reproduces its behaviour
//! exactly, quirks included: in `^T\d{4}(.\d{3})?$` the dot is unescaped (`T1560x001`
//! passes) and `\d` is Unicode; in `^CVE-[1|2]\d{3}-\d+$` the class also admits `|`.

use regex_automata::meta::Regex;

/// The compiled patterns (immutable, shared by every rule).
pub(crate) struct Patterns {
    mitre: Option<Regex>,
    cve: Option<Regex>,
    period: Option<Regex>,
    rba_match_type: Option<Regex>,
}

/// contentctl's MITRE ATT&CK id pattern, as written (dot unescaped).
pub(crate) const MITRE_PATTERN: &str = r"^T\d{4}(.\d{3})?$";
/// contentctl's CVE pattern, as written (`[1|2]` is a class of three characters).
pub(crate) const CVE_PATTERN: &str = r"^CVE-[1|2]\d{3}-\d+$";
/// contentctl's throttling period pattern.
pub(crate) const PERIOD_PATTERN: &str = r"^[0-9]+[smh]$";
/// contentctl 5's lookup `match_type` item pattern.
pub(crate) const MATCH_TYPE_PATTERN: &str = r"(^WILDCARD|CIDR)\(.+\)$";

impl Patterns {
    /// Compiles every pattern. The patterns are constants known to compile; a failure would
    /// make the matcher accept nothing, which a unit test catches.
    pub(crate) fn new() -> Patterns {
        Patterns {
            mitre: Regex::new(MITRE_PATTERN).ok(),
            cve: Regex::new(CVE_PATTERN).ok(),
            period: Regex::new(PERIOD_PATTERN).ok(),
            rba_match_type: Regex::new(MATCH_TYPE_PATTERN).ok(),
        }
    }

    /// `tags.mitre_attack_id` items.
    pub(crate) fn is_mitre_id(&self, text: &str) -> bool {
        self.mitre.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// `tags.cve` items.
    pub(crate) fn is_cve(&self, text: &str) -> bool {
        self.cve.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// `tags.throttling.period`.
    pub(crate) fn is_period(&self, text: &str) -> bool {
        self.period.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// v5 lookup `match_type` items (pydantic `search` semantics: the pattern may match anywhere).
    pub(crate) fn is_v5_match_type(&self, text: &str) -> bool {
        self.rba_match_type
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    }
}

/// The canonical form of a UUID as pydantic parses it (simple, hyphenated, braced or URN),
/// lowercase 32 hex digits; `None` if it is not one.
#[must_use]
pub(crate) fn canonical_uuid(text: &str) -> Option<String> {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let bytes = text.as_bytes();
    let is_hyphenated =
        bytes.len() == 36 && [8, 13, 18, 23].iter().all(|&i| bytes.get(i) == Some(&b'-'));
    let hex: String = if is_hyphenated {
        text.chars().filter(|&c| c != '-').collect()
    } else if bytes.len() == 32 {
        text.to_string()
    } else {
        return None;
    };
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// Whether `text` is an absolute http(s) URL with a host, as pydantic's `HttpUrl` requires.
#[must_use]
pub(crate) fn is_http_url(text: &str) -> bool {
    if text.len() > 2083 || text.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        text.get(8..)
    } else if lower.starts_with("http://") {
        text.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => (host, Some(port)),
        _ => (host_port, None),
    };
    let is_port_ok = port
        .is_none_or(|p| p.is_empty() || (p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())));
    !host.is_empty()
        && is_port_ok
        && !host.contains(['<', '>', '"', '\\', '^', '`', '{', '|', '}', '%'])
}

/// Why a `date` value is not a calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// Not in the form `YYYY-MM-DD`.
    Malformed,
    /// The form is right, but there is no year 0.
    NoYearZero,
    /// The form is right, but the month is not 1 to 12.
    NoSuchMonth(u32),
    /// The form is right, but the month has only `days` days.
    NoSuchDay {
        /// `1..=12`.
        month: u32,
        /// The year, for February.
        year: u32,
        /// Days in that month.
        days: u32,
    },
}

/// Checks that `text` is a `YYYY-MM-DD` calendar date, telling a wrong form from a day that
/// does not exist.
pub(crate) fn check_date(text: &str) -> Result<(), DateProblem> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(DateProblem::Malformed);
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(DateProblem::Malformed);
    };
    let is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap => 29,
        2 => 28,
        _ => return Err(DateProblem::NoSuchMonth(month)),
    };
    if year == 0 {
        return Err(DateProblem::NoYearZero);
    }
    if !(1..=days).contains(&day) {
        return Err(DateProblem::NoSuchDay { month, year, days });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contentctl_patterns_keep_their_quirks() {
        let patterns = Patterns::new();
        assert!(patterns.is_mitre_id("T1560.001"));
        assert!(patterns.is_mitre_id("T1560x001"), "unescaped dot");
        assert!(patterns.is_mitre_id("T1560"));
        assert!(!patterns.is_mitre_id("T156"));
        assert!(!patterns.is_mitre_id("T1560.01"));
        assert!(patterns.is_cve("CVE-2021-44228"));
        assert!(patterns.is_cve("CVE-|999-1"), "`[1|2]` is a class");
        assert!(!patterns.is_cve("CVE-3021-1"));
        assert!(patterns.is_period("30m"));
        assert!(!patterns.is_period("30 m"));
        assert!(patterns.is_v5_match_type("WILDCARD(domain)"));
        assert!(!patterns.is_v5_match_type("domain"));
    }

    #[test]
    fn uuids() {
        let canonical = Some("1b7bfb2cb8e611eb99acacde48001122".to_string());
        assert_eq!(
            canonical_uuid("1b7bfb2c-b8e6-11eb-99ac-acde48001122"),
            canonical
        );
        assert_eq!(
            canonical_uuid("1B7BFB2CB8E611EB99ACACDE48001122"),
            canonical
        );
        assert_eq!(
            canonical_uuid("{1b7bfb2c-b8e6-11eb-99ac-acde48001122}"),
            canonical
        );
        assert_eq!(canonical_uuid("1b7bfb2c-b8e6-11eb-99ac-acde4800112"), None);
        assert_eq!(canonical_uuid("zb7bfb2c-b8e6-11eb-99ac-acde48001122"), None);
    }

    #[test]
    fn urls_and_dates() {
        assert!(is_http_url("https://attack.mitre.org/techniques/T1003/"));
        assert!(is_http_url("http://example.com:8080/x?y#z"));
        assert!(!is_http_url("ftp://example.com"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("example.com"));
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2023-02-29").is_err());
        assert!(check_date("2024-13-01").is_err());
        assert!(check_date("24-01-01").is_err());
        assert_eq!(check_date("2024-9-30"), Err(DateProblem::Malformed));
        assert_eq!(check_date("2024-13-01"), Err(DateProblem::NoSuchMonth(13)));
        assert_eq!(check_date("0000-01-01"), Err(DateProblem::NoYearZero));
        assert_eq!(
            check_date("2023-02-29"),
            Err(DateProblem::NoSuchDay {
                month: 2,
                year: 2023,
                days: 28
            })
        );
    }
}
