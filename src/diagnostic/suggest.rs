//! "Did you mean" suggestions: the one place that decides when a misspelled name is close
//! enough to a known one to suggest it.
//!
//! Used for undefined macros, stories, lookups and data sources, unknown YAML keys, enum values,
//! SPL command names and options, and unknown names on the command line. The distance is
//! an edit distance over Unicode scalar values (transpositions count once), compared case-insensitively; a candidate is suggested
//! only when it is close relative to the name's length (the rule rustc and cargo use: at most a
//! third of the length, and at least one edit), so short names never get far-fetched
//! suggestions.

/// The closest candidate to `name`, if one is close enough to be worth suggesting.
///
/// Ties go to the candidate that comes first, so callers that pass candidates in a stable order
/// get stable output. A candidate equal to `name` (ignoring case) is returned: the caller usually
/// wants to say "differs only in case".
#[must_use]
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let name_lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&name_lower, &candidate.to_lowercase());
        if distance > limit {
            continue;
        }
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// [`did_you_mean`] for names made of words (`Windows Event Log Security 4728`,
/// `security_content_summariesonly`, `AWS CloudTrail DeleteRuleGroup`): a candidate must have
/// the same words, in the same order, and each word that differs must be close to its
/// counterpart on its own. A third of a long name is many edits: without this,
/// `... Security 4728` would suggest `... System 4728`, and `max_matches` `min_matches`.
#[must_use]
pub fn did_you_mean_name<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = words(name);
    did_you_mean(
        name,
        candidates.into_iter().filter(|candidate| {
            let other = words(candidate);
            other.len() == wanted.len()
                && wanted
                    .iter()
                    .zip(&other)
                    .all(|(a, b)| edit_distance(a, b) <= (a.chars().count() / 3).max(1))
        }),
    )
}

/// The lowercase words of a name: split at anything but letters and digits, and where a
/// lowercase letter is followed by an uppercase one (`DeleteRuleGroup`).
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The edit distance between two strings (optimal string alignment: insertions, deletions,
/// substitutions and transpositions of neighbours each cost one), counted in Unicode scalar
/// values. Transpositions count once because `stast` for `stats` is the typical typo.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Three rows of the dynamic-programming table: two back (for transpositions), previous and
    // current. O(len(b)) memory.
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        if let Some(first) = current.first_mut() {
            *first = i;
        }
        for j in 1..width {
            let a_char = a.get(i - 1);
            let b_char = b.get(j - 1);
            let cost = usize::from(a_char != b_char);
            let deletion = previous.get(j).map_or(usize::MAX, |v| v + 1);
            let insertion = current.get(j - 1).map_or(usize::MAX, |v| v + 1);
            let substitution = previous.get(j - 1).map_or(usize::MAX, |v| v + cost);
            let mut value = deletion.min(insertion).min(substitution);
            let transposed = i > 1 && j > 1 && a_char == b.get(j - 2) && a.get(i - 2) == b_char;
            if transposed && let Some(two_back) = before.get(j - 2) {
                value = value.min(two_back + 1);
            }
            if let Some(slot) = current.get_mut(j) {
                *slot = value;
            }
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("stast", "stats"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn suggests_only_close_names() {
        let commands = ["stats", "eventstats", "search", "tstats"];
        assert_eq!(did_you_mean("stast", commands), Some("stats"));
        assert_eq!(did_you_mean("serach", commands), Some("search"));
        assert_eq!(did_you_mean("zzzzz", commands), None);
        // Short names: one edit at most.
        assert_eq!(did_you_mean("ab", ["xy"]), None);
        assert_eq!(did_you_mean("ab", ["ac"]), Some("ac"));
    }

    #[test]
    fn case_only_difference_is_returned() {
        assert_eq!(did_you_mean("TTP", ["ttp", "anomaly"]), Some("ttp"));
    }

    #[test]
    fn unknown_yaml_key() {
        let keys = ["known_false_positives", "description", "how_to_implement"];
        assert_eq!(
            did_you_mean("knwon_false_positives", keys),
            Some("known_false_positives")
        );
    }

    #[test]
    fn names_are_compared_word_by_word() {
        let sources = [
            "Windows Event Log System 4728",
            "AWS CloudTrail DeleteGroup",
        ];
        assert_eq!(
            did_you_mean_name("Windows Event Log Security 4728", sources),
            None
        );
        assert_eq!(
            did_you_mean_name("AWS CloudTrail DeleteRuleGroup", sources),
            None
        );
        assert_eq!(did_you_mean_name("max_matches", ["min_matches"]), None);
        assert_eq!(
            did_you_mean_name("Sysmon EventId 1", ["Sysmon EventID 1"]),
            Some("Sysmon EventID 1")
        );
        assert_eq!(
            did_you_mean_name("knwon_false_positives", ["known_false_positives"]),
            Some("known_false_positives")
        );
        assert_eq!(
            did_you_mean_name("ioc_domain", ["ioc_domains"]),
            Some("ioc_domains")
        );
    }

    #[test]
    fn first_of_equal_candidates_wins() {
        assert_eq!(did_you_mean("cat", ["bat", "hat"]), Some("bat"));
    }
}
