//! Grammar (a), the search command and the implicit leading search, and grammar (c), the
//! `where` clause of `tstats` (the same grammar, ending at a top-level `by`).
//!
//! Implicit AND is the loosest operator, `OR` binds tighter, `NOT` tightest (F3); keywords
//! are uppercase only (F1); `XOR` is rejected. `AND`/`OR` nodes are n-ary: a chain at one
//! parenthesis level is one node, and a parenthesised chain stays a separate child.

use super::{Fail, PResult, Parser};
use crate::spl::TextRange;
use crate::spl::ast::{CompareOp, Literal, SearchExpr, SearchValue, TermModifier};
use crate::spl::lexer::{Mode, Token, TokenKind};
use crate::spl::semantics::classify_search_value;

/// What ends a search clause besides `|`, `]` and the end of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// Only the segment end.
    Segment,
    /// Also a top-level `by` (tstats `where`).
    By,
    /// A `)` closing a group.
    Group,
}

impl Parser<'_> {
    /// A whole clause; `None` when it is empty.
    pub(super) fn search_clause(&mut self, stop: Stop) -> PResult<Option<SearchExpr>> {
        Ok(self.search_and(stop)?.map(|(expr, _)| expr))
    }

    fn at_clause_end(&self, token: Token, stop: Stop) -> bool {
        match token.kind {
            TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => true,
            TokenKind::RParen => stop == Stop::Group,
            TokenKind::Word => stop == Stop::By && self.is_word(token, "by"),
            _ => false,
        }
    }

    /// Juxtaposition and `AND`: the loosest level. Returns the node and its height.
    fn search_and(&mut self, stop: Stop) -> PResult<Option<(SearchExpr, u32)>> {
        let mut operands: Vec<SearchExpr> = Vec::new();
        let mut height = 0;
        loop {
            let token = self.peek(Mode::SearchField);
            if self.at_clause_end(token, stop) {
                break;
            }
            if self.is_exact_word(token, "AND") {
                self.next(Mode::SearchField);
                let after = self.peek(Mode::SearchField);
                if operands.is_empty() || self.at_clause_end(after, stop) {
                    let range = TextRange::new(token.start, token.end);
                    self.error(
                        range,
                        "`AND` needs an operand on each side".to_owned(),
                        None,
                    );
                    return Err(Fail);
                }
                continue;
            }
            let (operand, h) = self.search_or(stop)?;
            height = height.max(h);
            operands.push(operand);
        }
        Ok(match operands.len() {
            0 => None,
            1 => operands.pop().map(|e| (e, height)),
            _ => {
                let range = cover(&operands);
                let height = height + 1;
                self.check_height(height, range)?;
                Some((SearchExpr::And { range, operands }, height))
            }
        })
    }

    fn search_or(&mut self, stop: Stop) -> PResult<(SearchExpr, u32)> {
        let (first, mut height) = self.search_unary(stop)?;
        let mut operands = vec![first];
        loop {
            let token = self.peek(Mode::SearchField);
            if !self.is_exact_word(token, "OR") {
                break;
            }
            self.next(Mode::SearchField);
            let after = self.peek(Mode::SearchField);
            if self.at_clause_end(after, stop) {
                let range = TextRange::new(token.start, token.end);
                self.error(range, "`OR` needs an operand on each side".to_owned(), None);
                return Err(Fail);
            }
            let (operand, h) = self.search_unary(stop)?;
            height = height.max(h);
            operands.push(operand);
        }
        if operands.len() == 1 {
            return match operands.pop() {
                Some(only) => Ok((only, height)),
                None => Err(Fail),
            };
        }
        let range = cover(&operands);
        let height = height + 1;
        self.check_height(height, range)?;
        Ok((SearchExpr::Or { range, operands }, height))
    }

    fn search_unary(&mut self, stop: Stop) -> PResult<(SearchExpr, u32)> {
        let token = self.peek(Mode::SearchField);
        let range = TextRange::new(token.start, token.end);
        if self.is_exact_word(token, "NOT") {
            self.next(Mode::SearchField);
            let after = self.peek(Mode::SearchField);
            if self.at_clause_end(after, stop)
                || self.is_exact_word(after, "AND")
                || self.is_exact_word(after, "OR")
            {
                self.error(range, "`NOT` needs an operand".to_owned(), None);
                return Err(Fail);
            }
            self.enter(token)?;
            let (operand, height) = self.search_unary(stop)?;
            self.leave();
            let range = range.cover(operand.range());
            let height = height + 1;
            self.check_height(height, range)?;
            return Ok((
                SearchExpr::Not {
                    range,
                    operand: Box::new(operand),
                },
                height,
            ));
        }
        if token.kind == TokenKind::LParen {
            self.next(Mode::SearchField);
            self.enter(token)?;
            let inner = self.search_and(Stop::Group)?;
            self.leave();
            let close = self.next(Mode::SearchField);
            if close.kind != TokenKind::RParen {
                self.error(
                    range,
                    "unclosed `(`: no matching `)`".to_owned(),
                    Some("group opens here"),
                );
                return Err(Fail);
            }
            return match inner {
                Some(inner) => Ok(inner),
                None => {
                    let range = TextRange::new(token.start, close.end);
                    self.error(range, "empty parentheses in search".to_owned(), None);
                    Err(Fail)
                }
            };
        }
        if self.is_exact_word(token, "XOR") {
            self.error(
                range,
                "`XOR` is not supported by the search command".to_owned(),
                Some("only `where` and `eval` accept `XOR`"),
            );
            return Err(Fail);
        }
        if self.is_exact_word(token, "OR") || self.is_exact_word(token, "AND") {
            let word = self.slice(token);
            self.error(
                range,
                format!("`{word}` needs an operand on each side"),
                None,
            );
            return Err(Fail);
        }
        Ok((self.search_term()?, 0))
    }

    fn search_term(&mut self) -> PResult<SearchExpr> {
        let token = self.peek(Mode::SearchField);
        match token.kind {
            TokenKind::Word | TokenKind::Str => {
                self.next(Mode::SearchField);
                let word = self.slice(token);
                if token.kind == TokenKind::Word
                    && matches!(word, "TERM" | "CASE")
                    && self.paren_follows(token)
                {
                    return self.modifier(token);
                }
                if token.kind == TokenKind::Word {
                    self.lint_backslash_space(token);
                }
                let literal = self.search_literal(token);
                let next = self.peek(Mode::SearchField);
                if let Some(op) = compare_op(next.kind) {
                    self.next(Mode::SearchField);
                    let value = self.search_value(next)?;
                    let range = literal.range.cover(value.range);
                    return Ok(SearchExpr::Compare {
                        range,
                        field: literal,
                        op,
                        value: classified(value),
                    });
                }
                if self.is_exact_word(next, "IN") && self.in_list_follows(next) {
                    self.next(Mode::SearchField);
                    return self.in_list(literal);
                }
                Ok(SearchExpr::Term {
                    range: literal.range,
                    kind: classify_search_value(&literal.value),
                    literal,
                })
            }
            TokenKind::Macro => {
                self.next(Mode::SearchField);
                Ok(SearchExpr::Macro(self.macro_call(token)))
            }
            TokenKind::LBracket => {
                self.enter(token)?;
                let sub = self.subsearch()?;
                self.leave();
                Ok(SearchExpr::Subsearch(Box::new(sub)))
            }
            TokenKind::Unterminated => {
                self.next(Mode::SearchField);
                self.unterminated(token)
            }
            TokenKind::Eq
            | TokenKind::Ne
            | TokenKind::Lt
            | TokenKind::Le
            | TokenKind::Gt
            | TokenKind::Ge => {
                let op = self.slice(token);
                self.error(
                    TextRange::new(token.start, token.end),
                    format!("expected a field name before `{op}`"),
                    None,
                );
                Err(Fail)
            }
            _ => self.expected(token, "a search term"),
        }
    }

    /// Q23: an unquoted `\ ` keeps the backslash and the space still ends the term.
    fn lint_backslash_space(&mut self, token: Token) {
        let word = self.slice(token);
        let trailing = word.bytes().rev().take_while(|b| *b == b'\\').count();
        let space_follows = self
            .text
            .as_bytes()
            .get(token.end)
            .is_some_and(u8::is_ascii_whitespace);
        if trailing % 2 == 1 && space_follows {
            let at = token.end - 1;
            self.lint(
                TextRange::new(at, at + 2),
                "backslash-space is not an escape: the backslash is kept and the space ends the term"
                    .to_owned(),
            );
        }
    }

    fn search_value(&mut self, op: Token) -> PResult<Literal> {
        let token = self.peek(Mode::SearchValue);
        match token.kind {
            TokenKind::Word | TokenKind::Str => {
                self.next(Mode::SearchValue);
                self.lint_backslash_space(token);
                Ok(self.search_literal(token))
            }
            TokenKind::Unterminated => {
                self.next(Mode::SearchValue);
                self.unterminated(token)
            }
            _ => {
                let op_text = self.slice(op);
                let found = self.describe(token);
                self.error(
                    TextRange::new(op.start, op.end),
                    format!("expected a value after `{op_text}`, found {found}"),
                    None,
                );
                Err(Fail)
            }
        }
    }

    fn in_list_follows(&self, in_token: Token) -> bool {
        let mut copy = self.lexer;
        copy.set_pos(in_token.end);
        copy.next(Mode::SearchField).kind == TokenKind::LParen
    }

    /// `IN ( v1, v2 … )`, `IN` consumed. Commas are optional (a lint when missing).
    fn in_list(&mut self, field: Literal) -> PResult<SearchExpr> {
        let open = self.next(Mode::SearchList);
        let mut values = Vec::new();
        let mut macros = Vec::new();
        let mut missing_comma = false;
        let mut after_value = false;
        let close = loop {
            let token = self.next(Mode::SearchList);
            match token.kind {
                TokenKind::RParen => break token,
                TokenKind::Comma => after_value = false,
                TokenKind::Word | TokenKind::Str => {
                    if after_value {
                        missing_comma = true;
                    }
                    values.push(classified(self.search_literal(token)));
                    after_value = true;
                }
                TokenKind::Macro => {
                    if after_value {
                        missing_comma = true;
                    }
                    macros.push(self.macro_call(token));
                    after_value = true;
                }
                TokenKind::Unterminated => return self.unterminated(token),
                TokenKind::Eof | TokenKind::Pipe | TokenKind::RBracket => {
                    self.error(
                        TextRange::new(open.start, open.end),
                        "unclosed `(` of `IN`: no matching `)`".to_owned(),
                        Some("list opens here"),
                    );
                    return Err(Fail);
                }
                _ => return self.expected(token, "a value in the `IN` list"),
            }
        };
        let list_range = TextRange::new(open.start, close.end);
        if values.is_empty() && macros.is_empty() {
            self.error(list_range, "empty `IN` list".to_owned(), None);
            return Err(Fail);
        }
        if missing_comma {
            self.lint(
                list_range,
                "`IN` list values are not separated by commas".to_owned(),
            );
        }
        Ok(SearchExpr::In {
            range: field.range.cover(list_range),
            field,
            values,
            macros,
        })
    }

    /// `TERM(x)` / `CASE(x)`, the keyword consumed and `(` next.
    fn modifier(&mut self, keyword: Token) -> PResult<SearchExpr> {
        let kind = if self.slice(keyword) == "TERM" {
            TermModifier::Term
        } else {
            TermModifier::Case
        };
        self.next(Mode::SearchValue);
        let token = self.next(Mode::SearchValue);
        let literal = match token.kind {
            TokenKind::Word | TokenKind::Str => self.search_literal(token),
            TokenKind::Unterminated => return self.unterminated(token),
            _ => return self.expected(token, "a term inside the parentheses"),
        };
        let close = self.next(Mode::SearchValue);
        if close.kind != TokenKind::RParen {
            return self.expected(close, "`)`");
        }
        Ok(SearchExpr::Modifier {
            range: TextRange::new(keyword.start, close.end),
            kind,
            literal,
        })
    }

    pub(super) fn macro_call(&self, token: Token) -> crate::spl::ast::MacroCall {
        let raw = self.slice(token);
        crate::spl::ast::MacroCall {
            range: TextRange::new(token.start, token.end),
            text: raw
                .get(1..raw.len().saturating_sub(1))
                .unwrap_or("")
                .to_owned(),
        }
    }
}

fn compare_op(kind: TokenKind) -> Option<CompareOp> {
    Some(match kind {
        TokenKind::Eq => CompareOp::Eq,
        TokenKind::Ne => CompareOp::Ne,
        TokenKind::Lt => CompareOp::Lt,
        TokenKind::Le => CompareOp::Le,
        TokenKind::Gt => CompareOp::Gt,
        TokenKind::Ge => CompareOp::Ge,
        _ => return None,
    })
}

fn cover(operands: &[SearchExpr]) -> TextRange {
    match (operands.first(), operands.last()) {
        (Some(first), Some(last)) => first.range().cover(last.range()),
        _ => TextRange::default(),
    }
}

/// A search-grammar value with how Splunk matches it.
fn classified(literal: Literal) -> SearchValue {
    SearchValue {
        kind: classify_search_value(&literal.value),
        literal,
    }
}
