//! The SPL lexer: an on-demand cursor over the text with one scanning mode per grammar.
//!
//! SPL has no single token set: `*GetCurrent()*` is one word in a search clause, `a.b` is a
//! field in eval but `a . b` is concatenation, and `field=value` splits differently in a
//! search clause and in command arguments. So the parser asks for the next token in the
//! mode it is in ([`Mode`]); the lexer never looks ahead on its own. Tokens are byte ranges
//! into the text; nothing is allocated until the parser builds a literal (with the
//! `decode_*` functions here).
//!
//! ```` ```…``` ```` comments and whitespace are trivia, skipped before every token (comments
//! are recognised even next to quotes: Splunk removes them before anything else).

/// Which grammar the parser is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A search clause, before an operator: words stop at `= != < >`.
    SearchField,
    /// A search clause, after an operator: words run to whitespace.
    SearchValue,
    /// Like [`Mode::SearchValue`], but `,` ends a word (inside `IN (…)`).
    SearchList,
    /// eval / where expressions.
    Eval,
    /// Command arguments (`stats`, `rename`, options `k=v`).
    Args,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word (or identifier in eval).
    Word,
    /// A number (eval only).
    Number,
    /// `"…"`.
    Str,
    /// `'…'` (eval only).
    SingleQuoted,
    /// `` `name(args)` ``.
    Macro,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `|`
    Pipe,
    /// `,`
    Comma,
    /// `=`
    Eq,
    /// `==` (eval only)
    EqEq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+` (eval only)
    Plus,
    /// `-` (eval only)
    Minus,
    /// `*` (eval only)
    Star,
    /// `/` (eval only)
    Slash,
    /// `%` (eval only)
    Percent,
    /// `.` (eval only)
    Dot,
    /// A string with no closing quote (runs to the end of the text).
    Unterminated,
    /// A character no rule accepts (eval only).
    Unknown,
    /// End of text.
    Eof,
}

/// A token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// What it is.
    pub(crate) kind: TokenKind,
    /// First byte.
    pub(crate) start: usize,
    /// One past the last byte.
    pub(crate) end: usize,
}

/// A cursor over the text. Cheap to copy: the parser peeks by copying.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    /// Where an unterminated ```` ``` ```` comment starts, once one was skipped.
    unterminated_comment: Option<usize>,
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    #[must_use]
    pub(crate) fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            pos: 0,
            unterminated_comment: None,
        }
    }

    /// The current byte offset.
    #[must_use]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to `pos` (a char boundary returned by an earlier token).
    pub(crate) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.text.len());
    }

    /// Where an unterminated comment starts, if one was skipped.
    #[must_use]
    pub(crate) fn unterminated_comment(&self) -> Option<usize> {
        self.unterminated_comment
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    fn starts_with_at(&self, at: usize, pat: &str) -> bool {
        self.text
            .as_bytes()
            .get(at..)
            .is_some_and(|rest| rest.starts_with(pat.as_bytes()))
    }

    /// Skips whitespace and comments.
    pub(crate) fn skip_trivia(&mut self) {
        loop {
            while let Some(b) = self.byte(self.pos) {
                if b.is_ascii_whitespace() {
                    self.pos += 1;
                } else {
                    break;
                }
            }
            if self.starts_with_at(self.pos, "```") {
                let body = self.pos + 3;
                match self.text.get(body..).and_then(|rest| rest.find("```")) {
                    Some(offset) => self.pos = body + offset + 3,
                    None => {
                        self.unterminated_comment.get_or_insert(self.pos);
                        self.pos = self.text.len();
                    }
                }
            } else {
                return;
            }
        }
    }

    /// Scans the next token in `mode`, skipping trivia first.
    pub(crate) fn next(&mut self, mode: Mode) -> Token {
        self.skip_trivia();
        let start = self.pos;
        let kind = self.scan(mode);
        Token {
            kind,
            start,
            end: self.pos,
        }
    }

    /// The next token in `mode`, without consuming it.
    #[must_use]
    pub(crate) fn peek(&self, mode: Mode) -> Token {
        let mut copy = *self;
        copy.next(mode)
    }

    fn single(&mut self, kind: TokenKind) -> TokenKind {
        self.pos += 1;
        kind
    }

    fn scan(&mut self, mode: Mode) -> TokenKind {
        let Some(b) = self.byte(self.pos) else {
            return TokenKind::Eof;
        };
        match b {
            b'|' => return self.single(TokenKind::Pipe),
            b'[' => return self.single(TokenKind::LBracket),
            b']' => return self.single(TokenKind::RBracket),
            b'(' => return self.single(TokenKind::LParen),
            b')' => return self.single(TokenKind::RParen),
            b'"' => return self.scan_string(b'"'),
            b'`' => {
                if let Some(end) = macro_call_end(self.text, self.pos) {
                    self.pos = end;
                    return TokenKind::Macro;
                }
            }
            _ => {}
        }
        match mode {
            Mode::Eval => self.scan_eval(b),
            Mode::SearchField | Mode::SearchValue | Mode::SearchList => self.scan_search(b, mode),
            Mode::Args => self.scan_args(b),
        }
    }

    fn scan_string(&mut self, quote: u8) -> TokenKind {
        let mut at = self.pos + 1;
        while let Some(b) = self.byte(at) {
            if b == b'\\' {
                // `\"` and `\\` are pairs; any other backslash stands for itself.
                match self.byte(at + 1) {
                    Some(next) if next == quote || next == b'\\' => at += 2,
                    _ => at += 1,
                }
            } else if b == quote {
                self.pos = at + 1;
                return if quote == b'"' {
                    TokenKind::Str
                } else {
                    TokenKind::SingleQuoted
                };
            } else {
                at += 1;
            }
        }
        self.pos = self.text.len();
        TokenKind::Unterminated
    }

    fn scan_op(&mut self, b: u8) -> Option<TokenKind> {
        let next = self.byte(self.pos + 1);
        let (kind, len) = match (b, next) {
            (b'!', Some(b'=')) => (TokenKind::Ne, 2),
            (b'<', Some(b'=')) => (TokenKind::Le, 2),
            (b'>', Some(b'=')) => (TokenKind::Ge, 2),
            (b'<', _) => (TokenKind::Lt, 1),
            (b'>', _) => (TokenKind::Gt, 1),
            (b'=', _) => (TokenKind::Eq, 1),
            _ => return None,
        };
        self.pos += len;
        Some(kind)
    }

    fn scan_search(&mut self, b: u8, mode: Mode) -> TokenKind {
        if mode == Mode::SearchField
            && let Some(kind) = self.scan_op(b)
        {
            return kind;
        }
        if b == b',' && mode == Mode::SearchList {
            return self.single(TokenKind::Comma);
        }
        self.scan_search_word(mode);
        TokenKind::Word
    }

    /// A search word: `(` inside a word opens a nesting that a later `)` closes, so
    /// `*GetCurrent()*` stays one word (Q28), while `b)` ends before the `)`.
    fn scan_search_word(&mut self, mode: Mode) {
        let start = self.pos;
        let mut depth = 0u32;
        let mut at = self.pos;
        while let Some(b) = self.byte(at) {
            match b {
                b'\\' => {
                    at += match self.byte(at + 1) {
                        Some(b'\\' | b'"' | b'|') => 2,
                        _ => 1,
                    };
                    continue;
                }
                b'"' | b'|' | b'[' | b']' => break,
                b'(' if at > start => {
                    // `IN(`, `TERM(`, `CASE(`, `NOT(` are keywords followed by a group.
                    let word = self.text.get(start..at).unwrap_or("");
                    if depth == 0 && matches!(word, "IN" | "TERM" | "CASE" | "NOT") {
                        break;
                    }
                    depth += 1;
                }
                b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                b'=' | b'<' | b'>' if mode == Mode::SearchField && at > start => break,
                b'!' if mode == Mode::SearchField
                    && at > start
                    && self.byte(at + 1) == Some(b'=') =>
                {
                    break;
                }
                b',' if mode == Mode::SearchList => break,
                b'`' if at > start
                    && (self.starts_with_at(at, "```")
                        || macro_call_end(self.text, at).is_some()) =>
                {
                    break;
                }
                _ if b.is_ascii_whitespace() => break,
                _ => {}
            }
            at += utf8_len(b);
        }
        // A word always advances, so no input makes the parser loop.
        self.pos = at.max(start + 1).min(self.text.len());
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }

    fn scan_args(&mut self, b: u8) -> TokenKind {
        match b {
            b',' => return self.single(TokenKind::Comma),
            b'=' => return self.single(TokenKind::Eq),
            b'!' if self.byte(self.pos + 1) == Some(b'=') => {
                self.pos += 2;
                return TokenKind::Ne;
            }
            _ => {}
        }
        let start = self.pos;
        let mut at = self.pos;
        while let Some(b) = self.byte(at) {
            match b {
                b'"' | b'|' | b'[' | b']' | b'(' | b')' | b',' | b'=' => break,
                b'!' if self.byte(at + 1) == Some(b'=') => break,
                b'`' if at > start
                    && (self.starts_with_at(at, "```")
                        || macro_call_end(self.text, at).is_some()) =>
                {
                    break;
                }
                b'\\' => {
                    at += match self.byte(at + 1) {
                        Some(b'\\' | b'"' | b'|') => 2,
                        _ => 1,
                    };
                    continue;
                }
                _ if b.is_ascii_whitespace() => break,
                _ => {}
            }
            at += utf8_len(b);
        }
        self.pos = at.max(start + 1).min(self.text.len());
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
        TokenKind::Word
    }

    fn scan_eval(&mut self, b: u8) -> TokenKind {
        match b {
            b'\'' => return self.scan_string(b'\''),
            b',' => return self.single(TokenKind::Comma),
            b'+' => return self.single(TokenKind::Plus),
            b'-' => return self.single(TokenKind::Minus),
            b'*' => return self.single(TokenKind::Star),
            b'/' => return self.single(TokenKind::Slash),
            b'%' => return self.single(TokenKind::Percent),
            b'=' => {
                if self.byte(self.pos + 1) == Some(b'=') {
                    self.pos += 2;
                    return TokenKind::EqEq;
                }
                return self.single(TokenKind::Eq);
            }
            _ => {}
        }
        if b == b'<' && placeholder_end(self.text, self.pos).is_some() {
            self.scan_ident();
            return TokenKind::Word;
        }
        if let Some(kind) = self.scan_op(b) {
            return kind;
        }
        if b.is_ascii_digit()
            || (b == b'.' && self.byte(self.pos + 1).is_some_and(|c| c.is_ascii_digit()))
        {
            let start = self.pos;
            self.scan_number();
            if self.byte(self.pos).is_some_and(is_ident_byte) {
                // `3des` and the like: a field name that starts with a digit.
                self.pos = start;
                self.scan_ident();
                return TokenKind::Word;
            }
            return TokenKind::Number;
        }
        if b == b'.' {
            return self.single(TokenKind::Dot);
        }
        if is_ident_byte(b) || b >= 0x80 {
            self.scan_ident();
            return TokenKind::Word;
        }
        self.pos += utf8_len(b);
        TokenKind::Unknown
    }

    fn scan_number(&mut self) {
        let digits = |lexer: &mut Lexer<'_>| {
            while lexer.byte(lexer.pos).is_some_and(|c| c.is_ascii_digit()) {
                lexer.pos += 1;
            }
        };
        digits(self);
        if self.byte(self.pos) == Some(b'.')
            && self.byte(self.pos + 1).is_some_and(|c| c.is_ascii_digit())
        {
            self.pos += 1;
            digits(self);
        }
        if matches!(self.byte(self.pos), Some(b'e' | b'E')) {
            let mut at = self.pos + 1;
            if matches!(self.byte(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if self.byte(at).is_some_and(|c| c.is_ascii_digit()) {
                self.pos = at;
                digits(self);
            }
        }
    }

    /// An eval identifier: letters, digits, `_ { } @ $ :`, non-ASCII, `<<NAME>>`
    /// placeholders, and `.` when another identifier character follows (so `a.b` is a
    /// field but `a . b` and `a."x"` are concatenations).
    fn scan_ident(&mut self) {
        let start = self.pos;
        while let Some(b) = self.byte(self.pos) {
            if b == b'<' {
                match placeholder_end(self.text, self.pos) {
                    Some(end) => self.pos = end,
                    None => break,
                }
            } else if is_ident_byte(b) || b >= 0x80 {
                self.pos += utf8_len(b);
            } else if b == b'.'
                && self
                    .byte(self.pos + 1)
                    .is_some_and(|c| is_ident_byte(c) || c >= 0x80)
            {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.pos = self.pos.max(start + 1).min(self.text.len());
        while !self.text.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'{' | b'}' | b'@' | b'$' | b':')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The end of a `<<NAME>>` template placeholder starting at `at`.
fn placeholder_end(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let inner = rest.strip_prefix("<<")?;
    let len = inner
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || *b == b'_')
        .count();
    if len == 0 || !inner.get(len..)?.starts_with(">>") {
        return None;
    }
    Some(at + 2 + len + 2)
}

/// If a valid macro call (`` `name` `` or `` `name(args)` ``) starts at `at`, its end.
///
/// A backtick pair whose content is not a valid call is literal text (Q10), and three
/// backticks start a comment, never a macro. The answer is the expander's own scanner's, so a
/// macro atom in the parsed text is always a call the expander saw.
#[must_use]
pub(crate) fn macro_call_end(text: &str, at: usize) -> Option<usize> {
    super::expand::call_end(text, at)
}

/// Decodes a search-grammar or command-argument token (`"` quotes already removed):
/// `\\`, `\"` and `\|` are escapes; every other backslash stands for itself (F6).
#[must_use]
pub(crate) fn decode_search(raw: &str) -> String {
    decode(raw, |c| match c {
        '\\' | '"' | '|' => Some(c),
        _ => None,
    })
}

/// Decodes an eval string literal (quotes removed): `\\`, `\"` and `\t` are decoded; other
/// pairs such as `\d` stay literal (section 2.1).
#[must_use]
pub(crate) fn decode_eval(raw: &str) -> String {
    decode(raw, |c| match c {
        '\\' | '"' => Some(c),
        't' => Some('\t'),
        _ => None,
    })
}

/// Decodes a single-quoted field name (quotes removed): `\\` and `\'`.
#[must_use]
pub(crate) fn decode_single(raw: &str) -> String {
    decode(raw, |c| match c {
        '\\' | '\'' => Some(c),
        _ => None,
    })
}

fn decode(raw: &str, escape: impl Fn(char) -> Option<char>) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && let Some(decoded) = escape(next)
        {
            out.push(decoded);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, mode: Mode) -> Vec<(TokenKind, &str)> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let token = lexer.next(mode);
            if token.kind == TokenKind::Eof {
                return out;
            }
            out.push((token.kind, &text[token.start..token.end]));
        }
    }

    #[test]
    fn search_words_keep_inner_parentheses() {
        assert_eq!(
            kinds("p=*GetCurrent()*)", Mode::SearchField),
            vec![
                (TokenKind::Word, "p"),
                (TokenKind::Eq, "="),
                (TokenKind::Word, "*GetCurrent()*"),
                (TokenKind::RParen, ")"),
            ]
        );
    }

    #[test]
    fn keywords_stop_before_parenthesis() {
        assert_eq!(
            kinds("IN(\"a\")", Mode::SearchField),
            vec![
                (TokenKind::Word, "IN"),
                (TokenKind::LParen, "("),
                (TokenKind::Str, "\"a\""),
                (TokenKind::RParen, ")"),
            ]
        );
    }

    #[test]
    fn comments_are_trivia() {
        assert_eq!(
            kinds("a ``` x | y ``` b", Mode::SearchField),
            vec![(TokenKind::Word, "a"), (TokenKind::Word, "b")]
        );
    }

    #[test]
    fn macro_calls_and_literal_backticks() {
        assert_eq!(macro_call_end("`sysmon` x", 0), Some(8));
        assert_eq!(macro_call_end("`f(a, \"b)\")` x", 0), Some(12));
        assert_eq!(macro_call_end("`\")", 0), None);
        // A comment inside the arguments is skipped, not taken for the closing backtick.
        assert_eq!(macro_call_end("`f(a ``` c ``` b)` x", 0), Some(18));
        assert_eq!(macro_call_end("`f(a ``` c", 0), None);
        assert_eq!(macro_call_end("`f(a)``` c ```` x", 0), Some(15));
    }

    #[test]
    fn escapes() {
        assert_eq!(decode_search(r"\\\\*\\SYSVOL"), r"\\*\SYSVOL");
        assert_eq!(
            decode_search(r#"*\"privileged\":true*"#),
            r#"*"privileged":true*"#
        );
        assert_eq!(decode_search(r"\d+"), r"\d+");
        assert_eq!(decode_eval(r"C:\\windows\temp"), "C:\\windows\temp");
    }

    #[test]
    fn eval_identifiers_and_concatenation() {
        assert_eq!(
            kinds("a.b . 'c d'.\"e\"", Mode::Eval),
            vec![
                (TokenKind::Word, "a.b"),
                (TokenKind::Dot, "."),
                (TokenKind::SingleQuoted, "'c d'"),
                (TokenKind::Dot, "."),
                (TokenKind::Str, "\"e\""),
            ]
        );
    }
}
