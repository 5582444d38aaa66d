//! Patterns in eval: `LIKE`/`like()` (`%` and `_`, anchored, case-sensitive) and the regexes
//! of `match`, `replace` and `mvfind`.
//!
//! Splunk's regexes are PCRE. detc runs them with regex-automata (already the crate's regex
//! engine, linear time on any input, so a hostile pattern or event cannot stall a run). The
//! corpus's eval regexes use classes, groups, `(?i)` and named groups, which both engines read
//! alike; PCRE-only syntax (lookaround, backreferences inside the pattern, possessive
//! quantifiers) does not compile here, and [`check_regex`] lets the plan report it. One known
//! difference: `\d`, `\w`, `\s` also match non-ASCII digits, letters and spaces here.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use regex_automata::meta::{self, Regex};

/// Compiled regexes by pattern. A pattern that does not compile is remembered as `None`.
#[derive(Debug, Default)]
pub(super) struct RegexCache {
    compiled: HashMap<Box<str>, Option<Arc<Regex>>>,
}

/// Patterns normally come from the search text (a handful per detection); one computed from
/// field values could grow the cache without end, so it is emptied when it reaches this size.
const REGEX_CACHE_LIMIT: usize = 4096;

/// Compiled size limit per regex, far above any corpus pattern.
const NFA_SIZE_LIMIT: usize = 4 << 20;

impl RegexCache {
    /// The compiled `pattern`, or `None` when it does not compile.
    pub(super) fn get(&mut self, pattern: &str) -> Option<Arc<Regex>> {
        if let Some(known) = self.compiled.get(pattern) {
            return known.clone();
        }
        if self.compiled.len() >= REGEX_CACHE_LIMIT {
            self.compiled.clear();
        }
        let compiled = compile(pattern).ok().map(Arc::new);
        self.compiled.insert(pattern.into(), compiled.clone());
        compiled
    }
}

fn compile(pattern: &str) -> Result<Regex, Box<meta::BuildError>> {
    Regex::builder()
        .configure(Regex::config().nfa_size_limit(Some(NFA_SIZE_LIMIT)))
        .build(&pcre_compatible(pattern))
        .map_err(Box::new)
}

/// Rewrites the two PCRE readings regex-syntax does not share, so the pattern means what it
/// means to Splunk:
/// - a `{` that does not open a repetition (`{2}`, `{2,}`, `{2,5}`) is a literal brace to
///   PCRE and an error to regex-syntax; the corpus's Log4Shell detections rely on PCRE's
///   reading (`({|%7b)`), so such braces are escaped;
/// - `\d`, `\w` and `\s` are ASCII classes in PCRE (without its UCP option) and Unicode
///   classes in regex-syntax; they become their ASCII sets (`\D`, `\W`, `\S` too, outside
///   brackets; inside brackets the negated ones stay Unicode, a difference no corpus
///   pattern reaches).
fn pcre_compatible(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains(['{', '\\']) {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut chars = pattern.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, next)) = chars.next() else {
                    out.push(c);
                    break;
                };
                let ascii = match (next, in_class) {
                    ('d', false) => Some("[0-9]"),
                    ('d', true) => Some("0-9"),
                    ('w', false) => Some("[0-9A-Za-z_]"),
                    ('w', true) => Some("0-9A-Za-z_"),
                    ('s', false) => Some("[\\t\\n\\x0B\\x0C\\r ]"),
                    ('s', true) => Some("\\t\\n\\x0B\\x0C\\r "),
                    ('D', false) => Some("[^0-9]"),
                    ('W', false) => Some("[^0-9A-Za-z_]"),
                    ('S', false) => Some("[^\\t\\n\\x0B\\x0C\\r ]"),
                    _ => None,
                };
                match ascii {
                    Some(set) => out.push_str(set),
                    None => {
                        out.push(c);
                        out.push(next);
                    }
                }
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal `]`.
                if chars.peek().is_some_and(|&(_, next)| next == '^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek().is_some_and(|&(_, next)| next == ']') {
                    out.push_str("\\]");
                    chars.next();
                }
                continue;
            }
            ']' if in_class => in_class = false,
            '{' if !in_class && !opens_repetition(pattern.get(at + 1..).unwrap_or("")) => {
                out.push_str("\\{");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Whether `rest` (the text after a `{`) is `n}`, `n,}` or `n,m}`.
fn opens_repetition(rest: &str) -> bool {
    let Some((inside, _)) = rest.split_once('}') else {
        return false;
    };
    let (low, high) = inside.split_once(',').unwrap_or((inside, "0"));
    let digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    !low.is_empty() && digits(low) && digits(high)
}

/// Whether detc can run `pattern` as Splunk's PCRE would; the error says why not.
///
/// # Errors
/// When the pattern uses syntax regex-automata does not support, or is too large.
pub fn check_regex(pattern: &str) -> Result<(), String> {
    compile(pattern)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// `replace(text, regex, replacement)`: every match replaced, `\0`–`\9` in the replacement
/// standing for the match and its groups (Search Reference, replace: "`\1` for
/// backreferences"; a group that did not take part is empty).
pub(super) fn replace_all(regex: &Regex, text: &str, replacement: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for captures in regex.captures_iter(text) {
        let Some(found) = captures.get_match() else {
            continue;
        };
        out.push_str(text.get(last..found.start()).unwrap_or(""));
        let mut chars = replacement.chars().peekable();
        while let Some(c) = chars.next() {
            let group = chars.peek().and_then(|next| next.to_digit(10));
            match (c, group) {
                ('\\', Some(group)) => {
                    chars.next();
                    let span = captures.get_group(group as usize);
                    out.push_str(span.and_then(|span| text.get(span.range())).unwrap_or(""));
                }
                _ => out.push(c),
            }
        }
        last = found.end();
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

/// Whether `text` matches the LIKE `pattern` as a whole: `%` any run of characters, `_`
/// exactly one, everything else itself, case-sensitively (spl-semantics.md 2.4). The docs
/// name no escape for a literal `%` or `_`, so there is none.
///
/// Greedy with one backtrack point (the last `%`), so linear-times-pattern at worst.
#[must_use]
pub fn like_matches(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    let (mut t, mut p) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('%') => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '_' || Some(&c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star, start)) => {
                    p = star + 1;
                    t = start + 1;
                    backtrack = Some((star, start + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_is_anchored_and_case_sensitive() {
        assert!(like_matches("198.51.100.7", "198.%"));
        assert!(!like_matches("10.198.0.1", "198.%"));
        assert!(like_matches("cmd.exe", "%.exe"));
        assert!(!like_matches("CMD.EXE", "%.exe"));
        assert!(like_matches("abc", "a_c"));
        assert!(!like_matches("abbc", "a_c"));
        assert!(like_matches("", "%"));
        assert!(!like_matches("", "_"));
        assert!(like_matches("a%b", "a%b"));
        assert!(like_matches("xaxbxc", "%a%b%c"));
        assert!(!like_matches("xaxbx", "%a%b%c"));
        // `*` is literal in eval (spl-semantics.md 2.4).
        assert!(!like_matches("abc", "a*"));
    }

    #[test]
    fn replacements_take_groups() {
        let Ok(regex) = compile(r"(.*)\\(.+)$") else {
            unreachable!("the pattern compiles")
        };
        assert_eq!(replace_all(&regex, r"CORP\alice", r"\2"), "alice");
        let Ok(digits) = compile(r"\d") else {
            unreachable!("the pattern compiles")
        };
        assert_eq!(replace_all(&digits, "a1b22", "#"), "a#b##");
        assert_eq!(replace_all(&digits, "a1", r"<\0\9>"), "a<1>");
    }

    #[test]
    fn pcre_only_syntax_is_reported() {
        assert!(check_regex(r"(?i)cmd\.exe\s+/c").is_ok());
        assert!(check_regex(r"(?<name>[^@]+)@").is_ok());
        assert!(check_regex(r"(.*\\)(?=.*(\.\w*)$)").is_err());
        // A brace that opens no repetition is literal, as in PCRE.
        let Ok(log4j) = compile(r"(?i)({|%7b)(main|env)") else {
            unreachable!("literal braces compile")
        };
        assert!(log4j.is_match("${env:X}"));
        assert!(log4j.is_match("%7Bmain"));
        let Ok(counted) = compile(r"^a{2,}[{]b\{$") else {
            unreachable!("repetitions and escaped braces compile")
        };
        assert!(counted.is_match("aaa{b{"));
        assert!(!counted.is_match("a{b{"));
        assert_eq!(pcre_compatible(r"x{1,2}"), r"x{1,2}");
        // PCRE's `\d`, `\w`, `\s` are ASCII.
        let Ok(ascii) = compile(r"^\d+\s\w[\d_]\D$") else {
            unreachable!("classes compile")
        };
        assert!(ascii.is_match("42 a7x"));
        assert!(
            !ascii.is_match("٤٢ a7x"),
            "Arabic-Indic digits are not \\d in PCRE"
        );
        assert!(!ascii.is_match("42 é7x"));
        let Ok(bracket) = compile(r"^[]a]+$") else {
            unreachable!("a leading ] is literal")
        };
        assert!(bracket.is_match("]a]"));
    }
}
