//! Lints about where a detection calls its `<stem>_filter` macro, the hook customers use to
//! tune a detection: `X003` (not the last command), `X004` (called more than once) and `X005`
//! (only inside a comment or string, so never applied although contentctl's substring check,
//! `D004`, passes).
//!
//! They read the search as written, not the expansion: the filter macro usually expands to
//! `search *`, which says nothing about where the author put it.

use std::ops::Range;

use crate::diagnostic::Code;
use crate::spl::expand::calls;
use crate::spl::lexer::Lexer;
use crate::spl::{SplDiagnostic, TextRange};

/// A finding at `range` of the search, with an optional second range and what to say there.
fn finding(
    code: Code,
    range: &Range<usize>,
    message: String,
    related: Option<(Range<usize>, &str)>,
) -> SplDiagnostic {
    let mut found = SplDiagnostic::new(code, TextRange::new(range.start, range.end), message);
    found.related.extend(
        related
            .map(|(range, message)| (TextRange::new(range.start, range.end), message.to_owned())),
    );
    found
}

/// Checks the filter macro `filter` in `search`; ranges are in the search as written.
pub(super) fn check(search: &str, filter: &str) -> Vec<SplDiagnostic> {
    let filter_calls: Vec<Range<usize>> = calls(search)
        .into_iter()
        .filter(|call| search.get(call.name.clone()) == Some(filter))
        .map(|call| call.range)
        .collect();
    let mut findings = Vec::new();
    let (Some(first), Some(last)) = (filter_calls.first(), filter_calls.last()) else {
        if search.contains(&format!("`{filter}`")) {
            let at = search.find(&format!("`{filter}`")).unwrap_or_default();
            findings.push(finding(
                Code::X005,
                &(at..at + filter.len() + 2),
                format!(
                    "`{filter}` appears only inside a comment or a quoted string, so it is never applied"
                ),
                None,
            ));
        }
        return findings;
    };
    if let Some(second) = filter_calls.get(1) {
        findings.push(finding(
            Code::X004,
            second,
            format!("`{filter}` is called {} times", filter_calls.len()),
            Some((first.clone(), "first called here")),
        ));
    }
    let mut after = Lexer::new(search);
    after.set_pos(last.end);
    after.skip_trivia();
    if after.pos() < search.len() {
        let rest = after.pos()..search.len();
        findings.push(finding(
            Code::X003,
            last,
            format!(
                "`{filter}` is not the last command, so tuning it filters intermediate results, not the detection's output"
            ),
            Some((rest, "these commands run after the filter")),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(search: &str) -> Vec<(Code, String)> {
        check(search, "x_filter")
            .into_iter()
            .map(|finding| {
                let text = finding.range.slice(search).to_owned();
                (finding.code, text)
            })
            .collect()
    }

    #[test]
    fn last_command_is_clean() {
        assert!(codes("a=1 | stats count by b | `x_filter`").is_empty());
        assert!(codes("a=1 | `x_filter` ```tuned by customers```  \n").is_empty());
    }

    #[test]
    fn commands_after_the_filter() {
        assert_eq!(
            codes("a=1 | `x_filter` | table b"),
            [(Code::X003, "`x_filter`".to_owned())]
        );
    }

    #[test]
    fn repeated_filter() {
        assert_eq!(
            codes("a=1 | `x_filter`| `x_filter`"),
            [(Code::X004, "`x_filter`".to_owned())]
        );
    }

    #[test]
    fn only_in_a_comment_or_string() {
        assert_eq!(
            codes("a=1 ```| `x_filter` ```"),
            [(Code::X005, "`x_filter`".to_owned())]
        );
        assert_eq!(
            codes("a=\"`x_filter`\""),
            [(Code::X005, "`x_filter`".to_owned())]
        );
    }

    #[test]
    fn other_macros_do_not_count() {
        assert!(codes("`y_filter` | `x_filter`").is_empty());
        assert!(
            codes("a=1").is_empty(),
            "a missing filter is D004, not a lint"
        );
    }
}
