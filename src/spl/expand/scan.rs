//! The one macro-call scanner: where a `` `name` `` or `` `name(args)` `` call starts and ends,
//! its name and its arguments. The expander finds calls with it, and the lexer asks it whether
//! a backtick opens a call ([`crate::spl::lexer::macro_call_end`]), so both always agree on
//! what is a call.

use std::ops::Range;

/// A macro call written in a text, as the expander finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenCall {
    /// From the opening backtick to just after the closing one.
    pub range: Range<usize>,
    /// The name, without arguments.
    pub name: Range<usize>,
}

/// The macro calls written in `text` (a search or a definition), in order, found exactly as
/// [`super::expand`] finds them: ```` ```…``` ```` comments and double-quoted strings are skipped, and
/// nothing is expanded. Lints about where a call sits (the filter macro) use it.
///
/// ```
/// use detc::spl::expand::calls;
/// let found = calls("`a` x=\"`b`\" ```c``` | `d(1)`");
/// let names: Vec<_> = found.iter().map(|c| &"`a` x=\"`b`\" ```c``` | `d(1)`"[c.name.clone()]).collect();
/// assert_eq!(names, ["a", "d"]);
/// ```
#[must_use]
pub fn calls(text: &str) -> Vec<WrittenCall> {
    let mut found = Vec::new();
    let mut quoted = Vec::new();
    let mut at = 0;
    while let Event::Call(call) = next_call(text, at, &mut quoted) {
        at = call.range.end;
        found.push(WrittenCall {
            range: call.range,
            name: call.name,
        });
    }
    found
}

/// A syntactically valid macro call found in a text.
#[derive(Clone, Debug)]
pub(super) struct CallSyntax {
    /// From the opening backtick to just after the closing one.
    pub(super) range: Range<usize>,
    pub(super) name: Range<usize>,
    /// `None` for `` `name` ``; the trimmed arguments for `` `name(…)` `` (empty for `name()`).
    pub(super) arguments: Option<Vec<Range<usize>>>,
}

impl CallSyntax {
    pub(super) fn arity(&self) -> usize {
        self.arguments.as_ref().map_or(0, Vec::len)
    }
}

/// Whether a byte may appear in a macro name. Splunk's own names are letters, digits, `_` and
/// `-`; `.` and `:` are accepted too so that app-qualified names are found, and the corpus test
/// pins that no search has a backtick pair this wrongly turns into a call.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':')
}

/// How quotes are written where a call is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QuoteStyle {
    /// In search text: `"…"`; `\"` and `\\` are escapes inside and outside quotes, and
    /// ```` ```…``` ```` comments outside quotes are skipped (Splunk removes comments first).
    Plain,
    /// Inside a double-quoted string (`map search="…"`): quotes are written `\"`.
    Escaped,
}

/// If a macro call starts at `at` in search text, its end (just after the closing backtick).
/// This is the lexer's question; it gets the expander's answer.
#[must_use]
pub(crate) fn call_end(text: &str, at: usize) -> Option<usize> {
    parse_call(text, at, text.len(), QuoteStyle::Plain).map(|call| call.range.end)
}

/// Parses a macro call whose opening backtick is at `start`, not reading past `limit`. Anything
/// that is not `` `name` `` or `` `name(args)` `` is not a call, and its backtick is literal (Q10).
/// Three backticks open a comment, never a call.
fn parse_call(text: &str, start: usize, limit: usize, quotes: QuoteStyle) -> Option<CallSyntax> {
    let bytes = text.as_bytes().get(..limit)?;
    if bytes.get(start) != Some(&b'`') {
        return None;
    }
    let name_start = start + 1;
    let mut at = name_start;
    while bytes.get(at).copied().is_some_and(is_name_byte) {
        at += 1;
    }
    if at == name_start {
        return None;
    }
    let name = name_start..at;
    match bytes.get(at) {
        Some(b'`') => Some(CallSyntax {
            range: start..at + 1,
            name,
            arguments: None,
        }),
        Some(b'(') => {
            let (arguments, close) = split_arguments(bytes, at + 1, quotes)?;
            // A comment between `)` and the closing backtick is removed before the call is
            // read, as everywhere else; otherwise removing comments (the printer does) could
            // join a stray backtick to a later `)` + backtick and make a call out of literal
            // text (`tests/fixtures/regressions/parse/comment_in_call*`).
            let mut after = close + 1;
            if quotes == QuoteStyle::Plain {
                while bytes.get(after..)?.starts_with(b"```") {
                    after = terminated_comment_end(bytes, after)?;
                }
            }
            (bytes.get(after) == Some(&b'`')).then_some(CallSyntax {
                range: start..after + 1,
                name,
                arguments: Some(arguments),
            })
        }
        _ => None,
    }
}

/// Splits call arguments starting after `(`: top-level commas separate, quotes and parentheses
/// nest, each argument is trimmed and keeps its quotes (and any comment inside it, for the
/// lexer to drop after substitution). Returns the arguments and the offset of the closing
/// `)`, or `None` if an unquoted backtick that opens no comment, an unterminated comment or
/// the end comes first.
fn split_arguments(
    bytes: &[u8],
    open: usize,
    quotes: QuoteStyle,
) -> Option<(Vec<Range<usize>>, usize)> {
    let mut arguments = Vec::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut argument_start = open;
    let mut at = open;
    loop {
        let byte = *bytes.get(at)?;
        let next = bytes.get(at + 1).copied();
        match (quotes, byte) {
            (QuoteStyle::Plain, b'\\') if in_quote || matches!(next, Some(b'"' | b'\\')) => {
                at += 2;
                continue;
            }
            (QuoteStyle::Plain, b'"') => in_quote = !in_quote,
            (QuoteStyle::Escaped, b'\\') if next == Some(b'"') => {
                in_quote = !in_quote;
                at += 2;
                continue;
            }
            (QuoteStyle::Escaped, b'\\') if in_quote => {
                at += 2;
                continue;
            }
            _ if in_quote => {}
            (QuoteStyle::Plain, b'`') if bytes.get(at..)?.starts_with(b"```") => {
                at = terminated_comment_end(bytes, at)?;
                continue;
            }
            (_, b'`') => return None,
            (_, b'(') => depth += 1,
            (_, b')') if depth == 0 => {
                arguments.push(trim(bytes, argument_start..at));
                if arguments.len() == 1 && arguments.first().is_some_and(Range::is_empty) {
                    arguments.clear();
                }
                return Some((arguments, at));
            }
            (_, b')') => depth -= 1,
            (_, b',') if depth == 0 => {
                arguments.push(trim(bytes, argument_start..at));
                argument_start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
}

fn trim(bytes: &[u8], mut range: Range<usize>) -> Range<usize> {
    while range.start < range.end && bytes.get(range.start).is_some_and(u8::is_ascii_whitespace) {
        range.start += 1;
    }
    while range.end > range.start
        && bytes
            .get(range.end - 1)
            .is_some_and(u8::is_ascii_whitespace)
    {
        range.end -= 1;
    }
    range
}

/// The end of the ```` ``` ```` comment opening at `start`, when it is closed.
fn terminated_comment_end(bytes: &[u8], start: usize) -> Option<usize> {
    let body = start + 3;
    let rest = bytes.get(body..)?;
    let found = rest.windows(3).position(|window| window == b"```")?;
    Some(body + found + 3)
}

/// The end of the double-quoted string opening at `start` (just after its closing quote, or the
/// end of the text when it is not closed).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The end of the ```` ``` ```` comment opening at `start` (after its closing backticks, or the
/// end of the text when it is not closed).
fn comment_end(text: &str, start: usize) -> usize {
    let body = start + 3;
    text.get(body..)
        .and_then(|rest| rest.find("```"))
        .map_or(text.len(), |found| body + found + 3)
}

/// What the scanner found next in a text.
pub(super) enum Event {
    /// A call; the text before it is literal.
    Call(CallSyntax),
    /// No more calls; the rest is literal.
    End,
}

/// Finds the next macro call at or after `from`, skipping comments and double-quoted strings.
/// Calls inside strings are not expanded (F8); their ranges are pushed to `quoted`.
pub(super) fn next_call(text: &str, from: usize, quoted: &mut Vec<CallSyntax>) -> Event {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'`' if bytes.get(at..at + 3) == Some(b"```") => at = comment_end(text, at),
            b'`' => match parse_call(text, at, bytes.len(), QuoteStyle::Plain) {
                Some(call) => return Event::Call(call),
                None => at += 1,
            },
            // Outside strings `\"` is an escaped quote, not a string (Q12, Q13), and `\\` a
            // backslash; other pairs are literal.
            b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\\')) => at += 2,
            b'"' => {
                let end = string_end(bytes, at);
                quoted_calls(text, at + 1..end, quoted);
                at = end;
            }
            _ => at += 1,
        }
    }
    Event::End
}

/// Collects the valid macro calls inside a string's contents.
fn quoted_calls(text: &str, range: Range<usize>, quoted: &mut Vec<CallSyntax>) {
    let bytes = text.as_bytes();
    let mut at = range.start;
    while at < range.end {
        let call = (bytes.get(at) == Some(&b'`'))
            .then(|| parse_call(text, at, range.end, QuoteStyle::Escaped))
            .flatten();
        match call {
            Some(call) => {
                at = call.range.end;
                quoted.push(call);
            }
            None => at += 1,
        }
    }
}
