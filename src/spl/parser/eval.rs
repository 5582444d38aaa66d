//! Grammar (b), the expressions of `eval`, `where` and `agg(eval(…))`: a Pratt parser.
//!
//! From loosest to tightest: `XOR`, `OR`, `AND`, `NOT`, comparisons with `LIKE` and `IN`,
//! `.` `+` `-` (one level, left-associative: their relative order is undocumented), `* / %`,
//! unary minus, then calls and primaries. Lowercase `and`/`or`/`not`/`xor`/`like`/`in` are
//! accepted with a `P003` lint (Splunk runs production detections that use them).

use super::{Fail, PResult, Parser};
use crate::spl::TextRange;
use crate::spl::ast::{
    BinaryOp, CompareOp, EvalFunction, Expr, Literal, NEG_PRECEDENCE, NOT_PRECEDENCE, Number,
    NumberValue, Quote, UnaryOp,
};
use crate::spl::lexer::{self, Mode, Token, TokenKind};

/// An infix operator found at the cursor.
enum Infix {
    Binary(BinaryOp),
    In,
}

impl Parser<'_> {
    /// A whole expression.
    pub(super) fn eval_expr(&mut self) -> PResult<Expr> {
        Ok(self.expr_bp(1)?.0)
    }

    /// Recognises a keyword operator, linting the lowercase spelling.
    fn keyword(&mut self, token: Token, upper: &str, lint: bool) -> bool {
        if token.kind != TokenKind::Word {
            return false;
        }
        let word = self.slice(token);
        if word == upper {
            return true;
        }
        if word.eq_ignore_ascii_case(upper) && word.bytes().all(|b| b.is_ascii_lowercase()) {
            if lint {
                self.lint(
                    TextRange::new(token.start, token.end),
                    format!("lowercase `{word}` is read as the operator `{upper}`"),
                );
            }
            return true;
        }
        false
    }

    fn infix(&mut self, token: Token, lint: bool) -> Option<Infix> {
        let op = match token.kind {
            TokenKind::Eq => BinaryOp::Compare(CompareOp::Eq),
            TokenKind::EqEq => BinaryOp::Compare(CompareOp::EqEq),
            TokenKind::Ne => BinaryOp::Compare(CompareOp::Ne),
            TokenKind::Lt => BinaryOp::Compare(CompareOp::Lt),
            TokenKind::Le => BinaryOp::Compare(CompareOp::Le),
            TokenKind::Gt => BinaryOp::Compare(CompareOp::Gt),
            TokenKind::Ge => BinaryOp::Compare(CompareOp::Ge),
            TokenKind::Plus => BinaryOp::Add,
            TokenKind::Minus => BinaryOp::Sub,
            TokenKind::Star => BinaryOp::Mul,
            TokenKind::Slash => BinaryOp::Div,
            TokenKind::Percent => BinaryOp::Rem,
            TokenKind::Dot => BinaryOp::Concat,
            TokenKind::Word => {
                if self.keyword(token, "XOR", lint) {
                    BinaryOp::Xor
                } else if self.keyword(token, "OR", lint) {
                    BinaryOp::Or
                } else if self.keyword(token, "AND", lint) {
                    BinaryOp::And
                } else if self.keyword(token, "LIKE", lint) {
                    BinaryOp::Like
                } else if self.keyword(token, "IN", lint) {
                    return Some(Infix::In);
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        Some(Infix::Binary(op))
    }

    /// Parses operators binding at least as tight as `min`. Returns the tree and its height.
    fn expr_bp(&mut self, min: u8) -> PResult<(Expr, u32)> {
        let (mut lhs, mut height) = self.prefix()?;
        // Whether `lhs` was built by this loop (so it is not parenthesised).
        let mut chained = false;
        loop {
            let token = self.peek(Mode::Eval);
            // Peek without linting; lint once when the operator is consumed.
            let Some(infix) = self.infix(token, false) else {
                break;
            };
            let precedence = match &infix {
                Infix::Binary(op) => op.precedence(),
                Infix::In => BinaryOp::Like.precedence(),
            };
            if precedence < min {
                break;
            }
            self.next(Mode::Eval);
            let _ = self.infix(token, true);
            match infix {
                Infix::Binary(op) => {
                    self.enter(token)?;
                    let (rhs, rhs_height) = self.expr_bp(precedence + 1)?;
                    self.leave();
                    let range = lhs.range().cover(rhs.range());
                    // `.` and `+`/`-` share one level by our choice (their order is
                    // undocumented), so a chain mixing them without parentheses is flagged.
                    if chained
                        && let Expr::Binary { op: previous, .. } = &lhs
                        && is_concat_family(*previous) != is_concat_family(op)
                        && is_additive(*previous)
                        && is_additive(op)
                    {
                        self.lint(
                            range,
                            "`.` and `+`/`-` are mixed without parentheses; their relative precedence is undocumented"
                                .to_owned(),
                        );
                    }
                    chained = true;
                    height = height.max(rhs_height) + 1;
                    self.check_height(height, range)?;
                    lhs = Expr::Binary {
                        range,
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    };
                }
                Infix::In => {
                    let (list, close, list_height) = self.call_args(token, "`IN` list")?;
                    if list.is_empty() {
                        self.error(
                            TextRange::new(token.start, close),
                            "empty `IN` list".to_owned(),
                            None,
                        );
                        return Err(Fail);
                    }
                    let range = lhs.range().cover(TextRange::new(token.start, close));
                    height = height.max(list_height) + 1;
                    self.check_height(height, range)?;
                    chained = true;
                    lhs = Expr::In {
                        range,
                        lhs: Box::new(lhs),
                        list,
                    };
                }
            }
        }
        Ok((lhs, height))
    }

    fn prefix(&mut self) -> PResult<(Expr, u32)> {
        let token = self.next(Mode::Eval);
        let range = TextRange::new(token.start, token.end);
        match token.kind {
            TokenKind::Number => {
                let literal = self.plain_literal(token);
                // The lexer only makes number tokens of digits, one `.` and an exponent, all
                // of which `f64` reads; NaN is never reached.
                let value =
                    NumberValue::parse(&literal.value).unwrap_or(NumberValue::Float(f64::NAN));
                Ok((Expr::Number(Number { literal, value }), 0))
            }
            TokenKind::Str => {
                let raw = self.slice(token);
                let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
                Ok((
                    Expr::String(Literal {
                        range,
                        value: lexer::decode_eval(inner),
                        quote: Quote::Double,
                    }),
                    0,
                ))
            }
            TokenKind::SingleQuoted => {
                let raw = self.slice(token);
                let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
                Ok((
                    Expr::Field(Literal {
                        range,
                        value: lexer::decode_single(inner),
                        quote: Quote::Single,
                    }),
                    0,
                ))
            }
            TokenKind::Macro => Ok((Expr::Macro(self.macro_call(token)), 0)),
            TokenKind::Minus => self.unary(token, UnaryOp::Neg, NEG_PRECEDENCE),
            TokenKind::LParen => {
                self.enter(token)?;
                let inner = self.expr_bp(1)?;
                self.leave();
                let close = self.next(Mode::Eval);
                if close.kind != TokenKind::RParen {
                    if close.kind == TokenKind::Eof || close.kind == TokenKind::Pipe {
                        self.error(
                            range,
                            "unclosed `(`: no matching `)`".to_owned(),
                            Some("group opens here"),
                        );
                        return Err(Fail);
                    }
                    return self.expected(close, "`)`");
                }
                Ok(inner)
            }
            TokenKind::Word => {
                if self.keyword(token, "NOT", true) {
                    return self.unary(token, UnaryOp::Not, NOT_PRECEDENCE);
                }
                let next = self.peek(Mode::Eval);
                if next.kind == TokenKind::LParen {
                    let (args, close, height) = self.call_args(token, "argument list")?;
                    let range = TextRange::new(token.start, close);
                    let name = self.plain_literal(token);
                    return Ok((
                        Expr::Call {
                            range,
                            function: EvalFunction::from_name(&name.value),
                            name,
                            args,
                        },
                        height + 1,
                    ));
                }
                for keyword in ["AND", "OR", "XOR", "LIKE", "IN"] {
                    if self.slice(token) == keyword {
                        return self.expected(token, "an expression");
                    }
                }
                Ok((Expr::Field(self.plain_literal(token)), 0))
            }
            TokenKind::Unterminated => self.unterminated(token),
            _ => self.expected(token, "an expression"),
        }
    }

    fn unary(&mut self, token: Token, op: UnaryOp, precedence: u8) -> PResult<(Expr, u32)> {
        self.enter(token)?;
        let (operand, height) = self.expr_bp(precedence)?;
        self.leave();
        let range = TextRange::new(token.start, token.end).cover(operand.range());
        let height = height + 1;
        self.check_height(height, range)?;
        Ok((
            Expr::Unary {
                range,
                op,
                operand: Box::new(operand),
            },
            height,
        ))
    }

    /// `( a, b, … )` after a function name or `IN`; returns the items, the end offset of
    /// `)` and the tallest item's height.
    fn call_args(&mut self, owner: Token, what: &str) -> PResult<(Vec<Expr>, usize, u32)> {
        let open = self.next(Mode::Eval);
        if open.kind != TokenKind::LParen {
            return self.expected(open, "`(`");
        }
        self.enter(owner)?;
        let mut args = Vec::new();
        let mut height = 0;
        if self.peek(Mode::Eval).kind == TokenKind::RParen {
            let close = self.next(Mode::Eval);
            self.leave();
            return Ok((args, close.end, 0));
        }
        loop {
            let (arg, h) = self.expr_bp(1)?;
            height = height.max(h);
            args.push(arg);
            let token = self.next(Mode::Eval);
            match token.kind {
                TokenKind::Comma => {}
                TokenKind::RParen => {
                    self.leave();
                    return Ok((args, token.end, height));
                }
                TokenKind::Eof | TokenKind::Pipe => {
                    self.error(
                        TextRange::new(open.start, open.end),
                        format!("unclosed `(` of the {what}: no matching `)`"),
                        Some("opens here"),
                    );
                    return Err(Fail);
                }
                _ => return self.expected(token, "`,` or `)`"),
            }
        }
    }

    /// A literal kept as written (identifiers, numbers).
    fn plain_literal(&self, token: Token) -> Literal {
        let raw = self.slice(token);
        Literal {
            range: TextRange::new(token.start, token.end),
            value: raw.to_owned(),
            quote: Quote::None,
        }
    }
}

fn is_additive(op: BinaryOp) -> bool {
    matches!(op, BinaryOp::Concat | BinaryOp::Add | BinaryOp::Sub)
}

fn is_concat_family(op: BinaryOp) -> bool {
    op == BinaryOp::Concat
}
