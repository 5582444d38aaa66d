//! The names contentctl 4.4.1 pulls out of a search with Python regexes, reproduced by hand
//! (Python `re` semantics, not SPL parsing) so the pass/fail result per file matches.
//!
//! * macros: ```` ```…``` ```` comments are replaced by a space, then every
//!   `` `([^\s]+)` `` match (greedy: `` `a`|`b` `` is one match, `a`|`b`) is cut at its
//!   first `(`; names containing an ignored substring are dropped.
//! * lookups: `[^output]lookup (?:update=true)?(?:append=t)?\s*([^\s]*)` on the raw search
//!   (comments kept), so `inputlookup x` is never seen (the character before `lookup` is `t`).
//!
//! Offsets are byte offsets into the decoded search, for [`crate::content::scalar::ScalarMap`].

/// Macro names containing any of these (as a substring) are never checked (contentctl 4.4.1
/// `MACROS_TO_IGNORE`: ES and CIM ship them). The one copy of the list: `compile` hands it to
/// the expander (`ExpandConfig::ignore_macros`), which leaves such calls in the text
/// unexpanded and unreported, for `U002`.
pub const IGNORED_MACRO_SUBSTRINGS: &[&str] = &[
    "drop_dm_object_name",
    "get_asset",
    "get_risk_severity",
    "cim_corporate_web_domain_search",
];

/// contentctl 4.4.1 `LOOKUPS_TO_IGNORE`. If a search captures any of these, *every* lookup of
/// that search goes unchecked (its test is `to_ignore in lookups_to_get`, over the whole set).
pub(crate) const IGNORED_LOOKUPS: &[&str] = &[
    "outputlookup",
    "ut_shannon_lookup",
    "identity_lookup_expanded",
    "cim_corporate_web_domain_lookup",
    "alexa_lookup_by_str",
    "interesting_ports_lookup",
    "admon_groups_def",
    "=",
    "other_lookups",
];

/// Python's `\s` for `str` patterns: Unicode whitespace plus the separators `\x1c`..`\x1f`.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A search with ```` ```…``` ```` comments replaced by one space each, and the map back.
struct Stripped {
    text: String,
    /// `(stripped offset, original offset)` at the start of each kept segment.
    segments: Vec<(usize, usize)>,
}

impl Stripped {
    fn new(search: &str) -> Stripped {
        let mut text = String::with_capacity(search.len());
        let mut segments = vec![(0, 0)];
        let mut cursor = 0;
        while let Some(open) = search.get(cursor..).and_then(|rest| rest.find("```")) {
            let open = cursor + open;
            let Some(close) = search.get(open + 3..).and_then(|rest| rest.find("```")) else {
                break;
            };
            let close = open + 3 + close + 3;
            text.push_str(search.get(cursor..open).unwrap_or_default());
            text.push(' ');
            cursor = close;
            segments.push((text.len(), cursor));
        }
        text.push_str(search.get(cursor..).unwrap_or_default());
        Stripped { text, segments }
    }

    fn original_offset(&self, offset: usize) -> usize {
        let index = match self.segments.binary_search_by_key(&offset, |(s, _)| *s) {
            Ok(index) => index,
            Err(next) => next.saturating_sub(1),
        };
        self.segments
            .get(index)
            .map_or(offset, |(stripped, original)| {
                original + offset.saturating_sub(*stripped)
            })
    }
}

/// Every `` `X` `` of `text` as Python's `re.findall(r'`([^\s]+)`')` finds them:
/// (capture start, capture text).
fn backtick_captures(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut cursor = 0;
    while let Some(open) = text.get(cursor..).and_then(|rest| rest.find('`')) {
        let open = cursor + open;
        let start = open + 1;
        let rest = text.get(start..).unwrap_or_default();
        let run_end = rest
            .char_indices()
            .find(|(_, c)| is_python_space(*c))
            .map_or(rest.len(), |(i, _)| i);
        // Greedy `[^\s]+` then a backtick: the last backtick of the run, after >= 1 char.
        let close = rest
            .get(..run_end)
            .and_then(|run| run.rfind('`'))
            .filter(|&close| close >= 1);
        match close {
            Some(close) => {
                found.push((start, rest.get(..close).unwrap_or_default()));
                cursor = start + close + 1;
            }
            None => cursor = start,
        }
    }
    found
}

/// The macro names a search calls, deduplicated, each with the offset of its first use in
/// the search (just after the opening backtick); ignored names dropped.
#[must_use]
pub(crate) fn macro_names(search: &str) -> Vec<(String, usize)> {
    // contentctl raises on four backticks (`D005`) before it looks for macros.
    if search.contains("````") {
        return Vec::new();
    }
    let stripped = Stripped::new(search);
    let mut names: Vec<(String, usize)> = Vec::new();
    for (start, capture) in backtick_captures(&stripped.text) {
        let name = capture.split('(').next().unwrap_or_default();
        if IGNORED_MACRO_SUBSTRINGS
            .iter()
            .any(|ignored| name.contains(ignored))
        {
            continue;
        }
        if names.iter().any(|(known, _)| known == name) {
            continue;
        }
        names.push((name.to_string(), stripped.original_offset(start)));
    }
    names
}

/// The lookup names contentctl captures in a search, deduplicated, with offsets, before
/// the ignore list is applied.
#[must_use]
pub(crate) fn lookup_captures(search: &str) -> Vec<(String, usize)> {
    const NEEDLE: &str = "lookup ";
    let mut names: Vec<(String, usize)> = Vec::new();
    let mut cursor = 0;
    let mut from = 0;
    while let Some(found) = search.get(from..).and_then(|rest| rest.find(NEEDLE)) {
        let at = from + found;
        from = at + 1;
        // `[^output]`: one character before `lookup`, starting at or after the cursor.
        let Some(before) = search.get(..at).and_then(|head| head.chars().next_back()) else {
            continue;
        };
        if at - before.len_utf8() < cursor || "outp".contains(before) {
            continue;
        }
        let mut position = at + NEEDLE.len();
        let mut rest = search.get(position..).unwrap_or_default();
        for optional in ["update=true", "append=t"] {
            if let Some(after) = rest.strip_prefix(optional) {
                position += optional.len();
                rest = after;
            }
        }
        let spaces = rest
            .char_indices()
            .find(|(_, c)| !is_python_space(*c))
            .map_or(rest.len(), |(i, _)| i);
        position += spaces;
        let rest = search.get(position..).unwrap_or_default();
        let length = rest
            .char_indices()
            .find(|(_, c)| is_python_space(*c))
            .map_or(rest.len(), |(i, _)| i);
        let name = rest.get(..length).unwrap_or_default();
        if !names.iter().any(|(known, _)| known == name) {
            names.push((name.to_string(), position));
        }
        cursor = position + length;
        from = from.max(cursor);
    }
    names
}

/// The lookups contentctl checks: the captures, unless any capture is on the ignore list,
/// in which case none (the 4.4.1 bug, reproduced on purpose and pinned by the `D007`
/// fixture).
#[must_use]
pub(crate) fn checked_lookups(search: &str) -> Vec<(String, usize)> {
    let captures = lookup_captures(search);
    if captures
        .iter()
        .any(|(name, _)| IGNORED_LOOKUPS.contains(&name.as_str()))
    {
        return Vec::new();
    }
    captures
}

/// The `$token$` names of a message as contentctl's `\$([^\s.]*)\$` finds them in the
/// lower-cased message, with inner `$` removed.
#[must_use]
pub(crate) fn message_tokens(message: &str) -> Vec<String> {
    let lower = message.to_lowercase();
    let mut tokens = Vec::new();
    let mut cursor = 0;
    while let Some(open) = lower.get(cursor..).and_then(|rest| rest.find('$')) {
        let start = cursor + open + 1;
        let rest = lower.get(start..).unwrap_or_default();
        let run_end = rest
            .char_indices()
            .find(|(_, c)| is_python_space(*c) || *c == '.')
            .map_or(rest.len(), |(i, _)| i);
        match rest.get(..run_end).and_then(|run| run.rfind('$')) {
            Some(close) => {
                tokens.push(rest.get(..close).unwrap_or_default().replace('$', ""));
                cursor = start + close + 1;
            }
            None => cursor = start,
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_follow_python_findall() {
        let names = macro_names("`a` x `b(1)` | `drop_dm_object_name(P)` ```c `d` ``` `e`");
        let names: Vec<_> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "e"]);
        // Greedy: no space between two calls makes one capture.
        let names = macro_names("`a`|`b`");
        assert_eq!(names, [("a`|`b".to_string(), 1)]);
        // Offsets point into the original search, past removed comments.
        let search = "```x``` `m`";
        let names = macro_names(search);
        assert_eq!(names, [("m".to_string(), search.find('m').unwrap())]);
    }

    #[test]
    fn lookups_follow_the_regex_and_its_bug() {
        let names = lookup_captures("| lookup foo a | inputlookup bar | lookup update=true baz");
        let names: Vec<_> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["foo", "baz"]);
        assert!(checked_lookups("| lookup foo x | lookup ut_shannon_lookup y").is_empty());
        assert_eq!(lookup_captures("| lookup append=true x")[0].0, "rue");
    }

    #[test]
    fn message_tokens_like_contentctl() {
        assert_eq!(message_tokens("On $Dest$ by $user$."), ["dest", "user"]);
        assert_eq!(message_tokens("$a.b$ $c$"), ["c"]);
    }
}
