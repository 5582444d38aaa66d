//! Maps offsets in a decoded YAML string back to bytes of the file it came from.
//!
//! A `search:` value reaches the SPL parser decoded: quotes removed, `''` and `\"` escapes
//! resolved, lines folded, block indentation stripped. A diagnostic at byte 40 of the
//! decoded search must point at the right character of the `.yml` file, so we re-walk the
//! scalar's source text beside the decoded string and record, for every decoded byte, the
//! source byte it came from.
//!
//! The walk is an alignment, not a second YAML parser: equal characters pair up; the
//! style's escapes (`''` in single quotes, `\x` in double quotes) pair one decoded character
//! with several source bytes; whitespace and line breaks that folding or indentation removed
//! are skipped. If the two texts cannot be aligned (a YAML feature we do not model, such as
//! tags or aliases), every offset maps to the scalar's first byte: a coarse but valid place.

/// How a scalar is written in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'...'`.
    SingleQuoted,
    /// `"..."`.
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

/// For each byte of a decoded string, the file offset of the source byte it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarMap {
    /// `offsets[i]` is the file offset of decoded byte `i`; one extra entry maps the end.
    offsets: Vec<u32>,
    style: ScalarStyle,
    is_exact: bool,
}

impl ScalarMap {
    /// Aligns `decoded` (the value) with the scalar whose source starts at byte `start` of `text`.
    #[must_use]
    pub fn build(text: &str, start: usize, decoded: &str) -> ScalarMap {
        let style = style_at(text, start);
        let mut offsets = Vec::with_capacity(decoded.len() + 1);
        match align(text, start, style, decoded, Some(&mut offsets)) {
            Some(end) => {
                offsets.push(u32::try_from(end).unwrap_or(u32::MAX));
                ScalarMap {
                    offsets,
                    style,
                    is_exact: true,
                }
            }
            None => {
                let at = u32::try_from(start).unwrap_or(u32::MAX);
                ScalarMap {
                    offsets: vec![at; decoded.len() + 1],
                    style,
                    is_exact: false,
                }
            }
        }
    }

    /// The file offset of decoded byte `offset` (clamped to the end of the value).
    #[must_use]
    pub fn file_offset(&self, offset: usize) -> usize {
        let clamped = offset.min(self.offsets.len().saturating_sub(1));
        self.offsets.get(clamped).map_or(0, |o| *o as usize)
    }

    /// How the scalar is written.
    #[must_use]
    pub fn style(&self) -> ScalarStyle {
        self.style
    }

    /// Whether the alignment succeeded (otherwise every offset maps to the scalar's start).
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.is_exact
    }
}

/// The style of the scalar starting at `start`.
#[must_use]
pub fn style_at(text: &str, start: usize) -> ScalarStyle {
    match text.as_bytes().get(start) {
        Some(b'\'') => ScalarStyle::SingleQuoted,
        Some(b'"') => ScalarStyle::DoubleQuoted,
        Some(b'|') => ScalarStyle::Literal,
        Some(b'>') => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

/// The file offset just past the source of the string scalar `decoded` starting at `start`.
#[must_use]
pub fn string_source_end(text: &str, start: usize, decoded: &str) -> usize {
    let style = style_at(text, start);
    align(text, start, style, decoded, None).unwrap_or_else(|| token_end(text, start))
}

/// The end of a plain non-string scalar (number, boolean, null) starting at `start`.
#[must_use]
pub fn token_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .find(['\n', '\r', ',', ']', '}', '#'])
        .unwrap_or(rest.len());
    start + rest.get(..len).unwrap_or("").trim_end().len()
}

/// Walks the source beside `decoded`; returns the offset just past the scalar's source.
fn align(
    text: &str,
    start: usize,
    style: ScalarStyle,
    decoded: &str,
    mut out: Option<&mut Vec<u32>>,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => start + 1,
        ScalarStyle::Literal | ScalarStyle::Folded => {
            // Content starts on the line after the header (`|-`, `>2`, ...).
            let newline = text.get(start..)?.find('\n')?;
            start + newline + 1
        }
        ScalarStyle::Plain => start,
    };
    for (decoded_at, c) in decoded.char_indices() {
        let (source_at, next) = match_char(text, at, style, c)?;
        if let Some(out) = out.as_deref_mut() {
            let source_at = u32::try_from(source_at).unwrap_or(u32::MAX);
            // One entry per decoded byte: a multi-byte character maps all its bytes to its start.
            out.extend(std::iter::repeat_n(source_at, c.len_utf8()));
            debug_assert_eq!(out.len(), decoded_at + c.len_utf8());
        }
        at = next;
    }
    let end = match style {
        ScalarStyle::SingleQuoted => closing_quote(text, at, b'\'')? + 1,
        ScalarStyle::DoubleQuoted => closing_quote(text, at, b'"')? + 1,
        _ => at,
    };
    (end <= bytes.len()).then_some(end)
}

/// Finds where decoded character `c` comes from, at or after `at`, skipping only whitespace.
/// Returns (offset of its source, offset after its source).
fn match_char(text: &str, mut at: usize, style: ScalarStyle, c: char) -> Option<(usize, usize)> {
    loop {
        let rest = text.get(at..)?;
        let s = rest.chars().next()?;
        match style {
            ScalarStyle::SingleQuoted if s == '\'' => {
                // Inside single quotes a quote is either the `''` escape or the end.
                return (c == '\'' && rest.starts_with("''")).then_some((at, at + 2));
            }
            ScalarStyle::DoubleQuoted if s == '"' => return None,
            ScalarStyle::DoubleQuoted if s == '\\' => {
                let escaped = rest.get(1..)?.chars().next()?;
                if escaped == '\n' || escaped == '\r' {
                    // An escaped line break joins lines without a space.
                    at += 2;
                    continue;
                }
                let len = escape_len(escaped);
                if decode_escape(rest.get(1..)?, escaped) == Some(c) {
                    return Some((at, at + 1 + len));
                }
                return None;
            }
            _ => {}
        }
        if s == c {
            return Some((at, at + s.len_utf8()));
        }
        if (c == ' ' || c == '\n') && s == '\n' {
            // A folded line break.
            return Some((at, at + 1));
        }
        if s.is_whitespace() {
            at += s.len_utf8();
            continue;
        }
        return None;
    }
}

/// The number of source bytes after the backslash of a double-quoted escape.
fn escape_len(escaped: char) -> usize {
    match escaped {
        'x' => 3,
        'u' => 5,
        'U' => 9,
        other => other.len_utf8(),
    }
}

/// The character a double-quoted escape stands for. `after` starts at the escaped character.
fn decode_escape(after: &str, escaped: char) -> Option<char> {
    let hex = |len: usize| {
        after
            .get(1..=len)
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .and_then(char::from_u32)
    };
    Some(match escaped {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' => hex(2)?,
        'u' => hex(4)?,
        'U' => hex(8)?,
        _ => return None,
    })
}

/// The offset of the closing quote at or after `at`, skipping folded whitespace.
fn closing_quote(text: &str, at: usize, quote: u8) -> Option<usize> {
    let rest = text.as_bytes().get(at..)?;
    let skipped = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    (rest.get(skipped) == Some(&quote)).then_some(at + skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source_of(text: &str, map: &ScalarMap, decoded: &str, needle: &str) -> char {
        let at = decoded.find(needle).unwrap();
        text[map.file_offset(at)..].chars().next().unwrap()
    }

    #[test]
    fn single_quoted_with_escapes_and_folding() {
        let text = "search: 'a ''b''\n  | c=\"x\"'\n";
        let decoded = "a 'b' | c=\"x\"";
        let map = ScalarMap::build(text, 8, decoded);
        assert!(map.is_exact());
        let c_at = decoded.find('c').unwrap();
        assert_eq!(map.file_offset(c_at), text.find("c=").unwrap());
        assert_eq!(source_of(text, &map, decoded, "b'"), 'b');
        assert_eq!(
            string_source_end(text, 8, decoded),
            text.rfind('\'').unwrap() + 1
        );
    }

    #[test]
    fn literal_block_maps_by_line() {
        let text = "search: |-\n  first\n  second x\nnext: 1\n";
        let decoded = "first\nsecond x";
        let map = ScalarMap::build(text, 8, decoded);
        assert!(map.is_exact());
        assert_eq!(
            map.file_offset(decoded.find('x').unwrap()),
            text.find('x').unwrap()
        );
    }

    #[test]
    fn double_quoted_escapes() {
        let text = r#"k: "a\\b \"q\" \tz""#;
        let decoded = "a\\b \"q\" \tz";
        let map = ScalarMap::build(text, 3, decoded);
        assert!(map.is_exact());
        assert_eq!(
            map.file_offset(decoded.find('z').unwrap()),
            text.find('z').unwrap()
        );
        assert_eq!(string_source_end(text, 3, decoded), text.len());
    }

    #[test]
    fn misaligned_text_falls_back_to_start() {
        let text = "k: abc\n";
        let map = ScalarMap::build(text, 3, "xyz");
        assert!(!map.is_exact());
        assert_eq!(map.file_offset(2), 3);
    }
}
