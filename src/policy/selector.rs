//! Code selectors for `--select` / `--ignore` and `detc.toml`: a whole code (`X015`), a
//! family (`X`, `DS`) or a family with the first digits of its number (`X01`).
//!
//! A selector matches by family first, so `D` never matches `DS001` or `DP001` (those are
//! families of their own), then by the digits as a prefix. Resolution follows ruff: the most
//! specific matching selector decides, and at equal specificity `ignore` wins.

use std::fmt;

use crate::diagnostic::Code;
use crate::diagnostic::codes::REGISTRY;
use crate::diagnostic::suggest::did_you_mean;

/// One parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    family: String,
    digits: String,
}

/// A selector that matches no registered code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a code or a code prefix{}", hint(.suggestion.as_deref()))]
pub struct UnknownSelector {
    /// What was given.
    pub text: String,
    /// A close registered code or family.
    pub suggestion: Option<String>,
}

fn hint(close: Option<&str>) -> String {
    close.map_or_else(
        || " (codes look like `X015`; `detc explain CODE` describes one)".to_owned(),
        |close| format!(" (did you mean `{close}`?)"),
    )
}

/// Splits `X015` into (`X`, `015`).
fn split(id: &str) -> (&str, &str) {
    let digits_at = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
    id.split_at(digits_at)
}

impl Selector {
    /// Parses a selector, case-insensitively; it must match at least one registered code.
    ///
    /// # Errors
    /// [`UnknownSelector`] when no code matches, with the closest code or family as a
    /// suggestion.
    pub fn parse(text: &str) -> Result<Selector, UnknownSelector> {
        let upper = text.trim().to_ascii_uppercase();
        let (family, digits) = split(&upper);
        let selector = Selector {
            family: family.to_owned(),
            digits: digits.to_owned(),
        };
        let well_formed = !family.is_empty()
            && family.chars().all(|c| c.is_ascii_uppercase())
            && digits.chars().all(|c| c.is_ascii_digit());
        if well_formed && REGISTRY.iter().any(|info| selector.matches(info.code)) {
            return Ok(selector);
        }
        let mut candidates: Vec<&str> = REGISTRY.iter().map(|info| info.code.as_str()).collect();
        let mut families: Vec<&str> = candidates.iter().map(|id| split(id).0).collect();
        families.dedup();
        candidates.extend(families);
        Err(UnknownSelector {
            text: text.to_owned(),
            suggestion: did_you_mean(&upper, candidates).map(str::to_owned),
        })
    }

    /// Whether this selector covers `code`.
    #[must_use]
    pub fn matches(&self, code: Code) -> bool {
        let (family, digits) = split(code.as_str());
        family == self.family && digits.starts_with(&self.digits)
    }

    /// How specific the selector is: longer prefixes beat shorter ones.
    fn specificity(&self) -> usize {
        self.family.len() + self.digits.len()
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.family, self.digits)
    }
}

/// Which codes are reported: everything when `select` is empty, else what it covers, minus
/// what `ignore` covers at least as specifically.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeFilter {
    /// Codes to report (empty: all).
    pub select: Vec<Selector>,
    /// Codes not to report.
    pub ignore: Vec<Selector>,
}

impl CodeFilter {
    /// Whether diagnostics with `code` are reported.
    #[must_use]
    pub fn allows(&self, code: Code) -> bool {
        let best = |selectors: &[Selector]| {
            selectors
                .iter()
                .filter(|selector| selector.matches(code))
                .map(Selector::specificity)
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(selected), Some(ignored)) => selected > ignored,
        }
    }

    /// Whether the filter hides anything at all.
    #[must_use]
    pub fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selectors(texts: &[&str]) -> Vec<Selector> {
        texts.iter().map(|t| Selector::parse(t).unwrap()).collect()
    }

    #[test]
    fn family_does_not_match_longer_families() {
        let d = Selector::parse("D").unwrap();
        assert!(d.matches(Code::D006));
        assert!(!d.matches(Code::DS001));
        assert!(!d.matches(Code::DP001));
        assert!(Selector::parse("x01").unwrap().matches(Code::X015));
        assert!(!Selector::parse("X01").unwrap().matches(Code::X005));
    }

    #[test]
    fn unknown_selectors_are_errors_with_a_suggestion() {
        let error = Selector::parse("XX").unwrap_err();
        assert_eq!(error.suggestion.as_deref(), Some("X"), "{error}");
        assert_eq!(
            error.to_string(),
            "`XX` is not a code or a code prefix (did you mean `X`?)"
        );
        let error = Selector::parse("D0066").unwrap_err();
        assert_eq!(error.suggestion.as_deref(), Some("D006"));
        assert!(Selector::parse("").is_err());
        assert!(Selector::parse("Q").is_err());
        assert!(Selector::parse("X-1").is_err());
    }

    #[test]
    fn most_specific_wins_and_ignore_wins_ties() {
        let filter = CodeFilter {
            select: selectors(&["X"]),
            ignore: selectors(&["X015"]),
        };
        assert!(filter.allows(Code::X014));
        assert!(!filter.allows(Code::X015));
        assert!(!filter.allows(Code::D006));
        let filter = CodeFilter {
            select: selectors(&["X015"]),
            ignore: selectors(&["X"]),
        };
        assert!(filter.allows(Code::X015));
        assert!(!filter.allows(Code::X014));
        let filter = CodeFilter {
            select: Vec::new(),
            ignore: selectors(&["X01"]),
        };
        assert!(filter.allows(Code::X005));
        assert!(!filter.allows(Code::X014));
        assert!(CodeFilter::default().allows(Code::L001));
    }
}
