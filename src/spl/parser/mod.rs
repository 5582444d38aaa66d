//! The SPL parser: pipelines and subsearches here, the search grammar (a and c) in
//! [`search`], the eval grammar (b) in [`eval`], and one function per command in
//! [`commands`].
//!
//! Errors are diagnostics: a command that fails to parse reports one `P001` and becomes
//! [`CommandKind::Invalid`]; the parser then resumes at the next top-level `|`, so one bad
//! command does not hide the rest. Recursion is bounded by [`MAX_DEPTH`] (expression
//! nesting) and [`MAX_SUBSEARCH_DEPTH`]; both report `P002`.

mod commands;
mod eval;
mod search;

use std::cell::Cell;

use super::ast::{
    Command, CommandKind, Literal, Pipeline, Quote, Subsearch, UnsupportedCommand,
    UnsupportedOrigin,
};
use super::command_table::{self, Entry};
use super::lexer::{self, Lexer, Mode, Token, TokenKind};
use super::{ParseOutput, SplDiagnostic, TextRange};
use crate::diagnostic::Code;

/// Deepest expression nesting (parentheses, `NOT`, operator chains) the parser accepts.
pub const MAX_DEPTH: u32 = 128;
/// Deepest subsearch nesting the parser accepts.
pub const MAX_SUBSEARCH_DEPTH: u32 = 32;

/// Marker: a diagnostic was pushed and the current command is abandoned.
#[derive(Debug)]
pub(crate) struct Fail;

pub(crate) type PResult<T> = Result<T, Fail>;

/// Where a pipeline sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    Top,
    Subsearch,
}

/// Parses `text` into a pipeline; see [`crate::spl::parse`].
#[must_use]
pub(crate) fn parse_pipeline(text: &str) -> ParseOutput {
    let mut parser = Parser::new(text);
    let pipeline = parser.pipeline(Context::Top);
    // Trailing trivia was only peeked at; skip it on the real cursor so an unterminated
    // comment at the end is seen.
    parser.lexer.skip_trivia();
    if let Some(at) = parser.lexer.unterminated_comment() {
        parser.error(
            TextRange::new(at, at + 3),
            "unterminated comment: no closing ```".to_owned(),
            Some("comment starts here"),
        );
    }
    let mut diagnostics = parser.diagnostics;
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    ParseOutput {
        pipeline,
        diagnostics,
    }
}

pub(crate) struct Parser<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    diagnostics: Vec<SplDiagnostic>,
    depth: u32,
    subsearch_depth: u32,
    /// End of the last consumed token (commands end there, not after trailing trivia).
    last_end: usize,
    /// The last peeked token, with its mode and the cursor position it was scanned from:
    /// the grammar peeks the same token several times, and scanning it once is enough.
    peeked: Cell<Option<(Mode, usize, Token)>>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            lexer: Lexer::new(text),
            diagnostics: Vec::new(),
            depth: 0,
            subsearch_depth: 0,
            last_end: 0,
            peeked: Cell::new(None),
        }
    }

    // ----- tokens -----

    fn peek(&self, mode: Mode) -> Token {
        let pos = self.lexer.pos();
        if let Some((cached_mode, cached_pos, token)) = self.peeked.get()
            && cached_mode == mode
            && cached_pos == pos
        {
            return token;
        }
        let token = self.lexer.peek(mode);
        self.peeked.set(Some((mode, pos, token)));
        token
    }

    fn next(&mut self, mode: Mode) -> Token {
        let pos = self.lexer.pos();
        let token = match self.peeked.take() {
            // An `Eof` may come from an unterminated comment, which the real scan records.
            Some((cached_mode, cached_pos, token))
                if cached_mode == mode && cached_pos == pos && token.kind != TokenKind::Eof =>
            {
                self.lexer.set_pos(token.end);
                token
            }
            _ => self.lexer.next(mode),
        };
        if token.kind != TokenKind::Eof {
            self.last_end = token.end;
        }
        token
    }

    fn slice(&self, token: Token) -> &'a str {
        self.text.get(token.start..token.end).unwrap_or("")
    }

    /// Whether `token` is the word `word` (ASCII case-insensitive).
    fn is_word(&self, token: Token, word: &str) -> bool {
        token.kind == TokenKind::Word && self.slice(token).eq_ignore_ascii_case(word)
    }

    /// Whether `token` is exactly the word `word` (case-sensitive).
    fn is_exact_word(&self, token: Token, word: &str) -> bool {
        token.kind == TokenKind::Word && self.slice(token) == word
    }

    /// Whether the byte right after `token` is `(` (no space between).
    fn paren_follows(&self, token: Token) -> bool {
        self.text.as_bytes().get(token.end) == Some(&b'(')
    }

    fn at_segment_end(&self) -> bool {
        matches!(
            self.peek(Mode::Args).kind,
            TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof
        )
    }

    // ----- diagnostics -----

    fn push(&mut self, code: Code, range: TextRange, message: String, label: Option<&str>) {
        let mut diagnostic = SplDiagnostic::new(code, range, message);
        diagnostic.label = label.map(str::to_owned);
        self.diagnostics.push(diagnostic);
    }

    fn error(&mut self, range: TextRange, message: String, label: Option<&str>) {
        self.push(Code::P001, range, message, label);
    }

    fn lint(&mut self, range: TextRange, message: String) {
        self.push(Code::P003, range, message, None);
    }

    /// Reports `expected …, found …` at `token` and fails.
    fn expected<T>(&mut self, token: Token, what: &str) -> PResult<T> {
        let range = TextRange::new(token.start, token.end);
        let found = self.describe(token);
        self.error(range, format!("expected {what}, found {found}"), None);
        Err(Fail)
    }

    fn describe(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Eof => "end of search".to_owned(),
            TokenKind::Unterminated => "an unterminated string".to_owned(),
            _ => {
                let text = self.slice(token);
                let short: String = text.chars().take(40).collect();
                format!("`{short}`")
            }
        }
    }

    /// Reports an unterminated string token and fails.
    fn unterminated<T>(&mut self, token: Token) -> PResult<T> {
        let range = TextRange::new(token.start, (token.start + 1).min(token.end));
        self.error(
            range,
            "unterminated string: no closing quote".to_owned(),
            Some("string starts here"),
        );
        Err(Fail)
    }

    /// Enters one level of expression nesting; `P002` past [`MAX_DEPTH`].
    fn enter(&mut self, token: Token) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.push(
                Code::P002,
                TextRange::new(token.start, token.end),
                format!("expression nests deeper than {MAX_DEPTH} levels"),
                None,
            );
            return Err(Fail);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Checks a tree height against [`MAX_DEPTH`] (operator chains build deep trees
    /// without recursing in the parser).
    fn check_height(&mut self, height: u32, range: TextRange) -> PResult<()> {
        if height > MAX_DEPTH {
            self.push(
                Code::P002,
                range,
                format!("expression nests deeper than {MAX_DEPTH} levels"),
                None,
            );
            return Err(Fail);
        }
        Ok(())
    }

    // ----- literals -----

    /// A literal from a word or double-quoted token, decoded with the search rules.
    fn search_literal(&self, token: Token) -> Literal {
        let raw = self.slice(token);
        let range = TextRange::new(token.start, token.end);
        if token.kind == TokenKind::Str {
            let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
            Literal {
                range,
                value: lexer::decode_search(inner),
                quote: Quote::Double,
            }
        } else {
            Literal {
                range,
                value: lexer::decode_search(raw),
                quote: Quote::None,
            }
        }
    }

    /// Reads a word or quoted string in args mode.
    fn arg_literal(&mut self, what: &str) -> PResult<Literal> {
        let token = self.next(Mode::Args);
        match token.kind {
            TokenKind::Word | TokenKind::Str => Ok(self.search_literal(token)),
            TokenKind::Unterminated => self.unterminated(token),
            _ => self.expected(token, what),
        }
    }

    // ----- pipelines -----

    fn pipeline(&mut self, context: Context) -> Pipeline {
        self.lexer.skip_trivia();
        let start = self.lexer.pos();
        let mut commands = Vec::new();
        let first = self.peek(Mode::Args);
        if first.kind == TokenKind::Pipe {
            self.next(Mode::Args);
            commands.push(self.segment());
        } else if self.is_word(first, "search") && self.word_stands_alone(first) {
            self.next(Mode::Args);
            commands.push(self.search_command(first.start));
        } else if context == Context::Subsearch
            && first.kind == TokenKind::Word
            && self.word_stands_alone(first)
            // A known command name opens a subsearch as a command (`[ eval … ]`,
            // `[mstats …]`); any other word is a search term.
            && command_table::lookup(self.slice(first)).is_some()
        {
            commands.push(self.segment());
        } else {
            commands.push(self.search_command(first.start));
        }
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Eof => break,
                TokenKind::RBracket if context == Context::Subsearch => break,
                TokenKind::Pipe => {
                    self.next(Mode::Args);
                    commands.push(self.segment());
                }
                _ => {
                    // A command stopped early (only `]` at the top level gets here).
                    self.next(Mode::Args);
                    self.error(
                        TextRange::new(token.start, token.end),
                        format!("unexpected {}", self.describe(token)),
                        Some("no subsearch is open"),
                    );
                }
            }
        }
        let end = self.lexer.pos().max(start);
        let range = TextRange::new(start, end);
        Pipeline { range, commands }
    }

    /// Whether a command word is followed by trivia, the end, `|` or `]` (so `search=x` is a
    /// comparison, not the `search` command).
    fn word_stands_alone(&self, token: Token) -> bool {
        match self.text.as_bytes().get(token.end) {
            None => true,
            Some(b) => b.is_ascii_whitespace() || matches!(b, b'|' | b']' | b'`'),
        }
    }

    /// One segment after a `|`.
    fn segment(&mut self) -> Command {
        let token = self.peek(Mode::Args);
        match token.kind {
            TokenKind::Pipe | TokenKind::Eof | TokenKind::RBracket => {
                let at = token.start;
                let range = TextRange::new(at, at);
                self.lint(range, "empty pipe segment is ignored".to_owned());
                Command {
                    range,
                    kind: CommandKind::Empty,
                }
            }
            TokenKind::Macro => {
                self.next(Mode::Args);
                self.unsupported(token, UnsupportedOrigin::Macro)
            }
            TokenKind::Word => {
                self.next(Mode::Args);
                let saved_depth = self.depth;
                let command = self.command(token);
                self.depth = saved_depth;
                command
            }
            _ => {
                self.next(Mode::Args);
                let found = self.describe(token);
                self.error(
                    TextRange::new(token.start, token.end),
                    format!("expected a command name, found {found}"),
                    None,
                );
                self.invalid(token.start)
            }
        }
    }

    /// Parses the command named by `name` (already consumed) and checks that it ends at the
    /// segment boundary.
    fn command(&mut self, name: Token) -> Command {
        let word = self.slice(name).to_ascii_lowercase();
        let modelled = match command_table::lookup(&word) {
            Some(Entry::Modelled(modelled)) => modelled,
            Some(Entry::BuiltIn) => return self.unsupported(name, UnsupportedOrigin::BuiltIn),
            Some(Entry::MachineLearningToolkit) => {
                return self.unsupported(name, UnsupportedOrigin::MachineLearningToolkit);
            }
            None => return self.unsupported(name, UnsupportedOrigin::Unknown),
        };
        match commands::dispatch(self, modelled, name.start) {
            Ok(kind) => {
                if self.at_segment_end() {
                    Command {
                        range: self.command_range(name.start, &kind),
                        kind,
                    }
                } else {
                    let token = self.peek(Mode::Args);
                    let found = self.describe(token);
                    self.error(
                        TextRange::new(token.start, token.end),
                        format!("unexpected {found} in `{word}`"),
                        None,
                    );
                    self.invalid(name.start)
                }
            }
            Err(Fail) => self.invalid(name.start),
        }
    }

    /// The explicit or implicit `search` command (keyword, if any, already consumed).
    fn search_command(&mut self, start: usize) -> Command {
        match self.search_kind() {
            Ok(kind) => Command {
                range: self.command_range(start, &kind),
                kind,
            },
            Err(Fail) => self.invalid(start),
        }
    }

    /// The range of a command that parsed: from its start to the end of its last token (an
    /// empty search is empty at its start).
    fn command_range(&self, start: usize, kind: &CommandKind) -> TextRange {
        let end = match kind {
            CommandKind::Search { expr: None } => start,
            _ => self.last_end,
        };
        TextRange::new(start, end.max(start))
    }

    /// The body of [`Parser::search_command`]; a trailing token is an error.
    fn search_kind(&mut self) -> PResult<CommandKind> {
        let saved_depth = self.depth;
        let result = self.search_clause(search::Stop::Segment);
        self.depth = saved_depth;
        match result {
            Ok(expr) => {
                if self.at_segment_end() {
                    Ok(CommandKind::Search { expr })
                } else {
                    let token = self.peek(Mode::Args);
                    let found = self.describe(token);
                    self.error(
                        TextRange::new(token.start, token.end),
                        format!("unexpected {found} in search"),
                        None,
                    );
                    Err(Fail)
                }
            }
            Err(Fail) => Err(Fail),
        }
    }

    /// Skips to the end of the current segment (top-level `|`, the `]` closing the current
    /// subsearch, or the end), stepping over nested brackets and strings.
    fn skip_segment(&mut self) {
        let mut depth = 0u32;
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Eof => return,
                TokenKind::Pipe | TokenKind::RBracket if depth == 0 => return,
                TokenKind::LBracket => depth += 1,
                TokenKind::RBracket => depth -= 1,
                _ => {}
            }
            self.next(Mode::Args);
        }
    }

    fn invalid(&mut self, start: usize) -> Command {
        self.skip_segment();
        let end = self.lexer.pos().max(start);
        let text = self
            .text
            .get(start..end)
            .unwrap_or("")
            .trim_end()
            .to_owned();
        let range = TextRange::new(start, start + text.len());
        Command {
            range,
            kind: CommandKind::Invalid { text },
        }
    }

    /// A segment kept as text: `name` (already consumed) and its arguments.
    fn unsupported(&mut self, name: Token, origin: UnsupportedOrigin) -> Command {
        let start = name.start;
        let name_range = TextRange::new(name.start, name.end);
        let name = self.slice(name).to_owned();
        self.lexer.skip_trivia();
        let args_start = self.lexer.pos();
        self.skip_segment();
        let end = self.lexer.pos().max(args_start);
        let args = self
            .text
            .get(args_start..end)
            .unwrap_or("")
            .trim_end()
            .to_owned();
        let args_range = TextRange::new(args_start, args_start + args.len());
        let end = if args.is_empty() {
            start + name.len()
        } else {
            args_range.end_usize()
        };
        Command {
            range: TextRange::new(start, end),
            kind: CommandKind::Unsupported(Box::new(UnsupportedCommand {
                name,
                name_range,
                origin,
                args_range,
                args,
            })),
        }
    }

    /// `[ pipeline ]`, the `[` not yet consumed.
    fn subsearch(&mut self) -> PResult<Subsearch> {
        let open = self.next(Mode::Args);
        if open.kind != TokenKind::LBracket {
            return self.expected(open, "`[`");
        }
        self.subsearch_depth += 1;
        if self.subsearch_depth > MAX_SUBSEARCH_DEPTH {
            self.push(
                Code::P002,
                TextRange::new(open.start, open.end),
                format!("subsearches nest deeper than {MAX_SUBSEARCH_DEPTH} levels"),
                None,
            );
            self.subsearch_depth -= 1;
            return Err(Fail);
        }
        let saved_depth = self.depth;
        let pipeline = self.pipeline(Context::Subsearch);
        self.depth = saved_depth;
        self.subsearch_depth -= 1;
        let close = self.next(Mode::Args);
        if close.kind != TokenKind::RBracket {
            self.error(
                TextRange::new(open.start, open.end),
                "unclosed `[`: no matching `]`".to_owned(),
                Some("subsearch opens here"),
            );
            return Err(Fail);
        }
        Ok(Subsearch {
            range: TextRange::new(open.start, close.end),
            pipeline,
        })
    }
}
