//! One parse function per modelled command (tiers S1–S3 of spl-semantics.md section 1.3).
//!
//! Each function starts after the command name and stops at the segment end (`|`, `]` or
//! the end); the caller checks that nothing is left over. Commands not listed in
//! the command table as [`Modelled`] become [`CommandKind::Unsupported`].

use super::search::Stop;
use super::{Fail, PResult, Parser};
use crate::diagnostic::Code;
use crate::diagnostic::suggest::did_you_mean;
use crate::spl::TextRange;
use crate::spl::ast::{
    AggArgument, AggFunction, Aggregation, Args, Assignment, CommandKind, Conversion, Count,
    FieldMapping, FieldsMode, Literal, Lookup, Modelled, Opt, OptValue, OutputMode, Quote,
    ReplacePair, SortKey, SortOrder, Stats, StatsCommandSettings, StatsKind, Subsearch, Tstats,
};
use crate::spl::lexer::{self, Mode, Token, TokenKind};
use crate::spl::options::{
    AddtotalsSettings, AppendSettings, AppendpipeSettings, BinSettings, BySettings,
    ConvertSettings, DedupSettings, FillnullSettings, ForeachSettings, FromjsonSettings,
    HeadSettings, InputlookupSettings, IplocationSettings, JoinSettings, LookupSettings,
    MakemvSettings, MvexpandSettings, NoSettings, OptionProblem, OptionValue, RexSettings,
    Settings, SpathSettings, TransactionSettings, TstatsFromSettings, TstatsSettings,
    XmlkvSettings,
};

/// Parses the modelled command `command` (its name already consumed, starting at `start`).
pub(super) fn dispatch(
    p: &mut Parser<'_>,
    command: Modelled,
    start: usize,
) -> PResult<CommandKind> {
    let name = command.name();
    match command {
        Modelled::Search => p.search_kind(),
        Modelled::Tstats => p.tstats(),
        Modelled::Stats => p.stats(start, StatsKind::Stats),
        Modelled::Eventstats => p.stats(start, StatsKind::Eventstats),
        Modelled::Streamstats => p.stats(start, StatsKind::Streamstats),
        Modelled::Where => p.where_command(),
        Modelled::Eval => p.eval_command(),
        Modelled::Rename => p.rename(),
        Modelled::Table => p.table(),
        Modelled::Fields => p.fields(),
        Modelled::Convert => p.convert(),
        Modelled::Bin => p.bin(),
        Modelled::Lookup => p.lookup(),
        Modelled::Rex => p.rex(start),
        Modelled::Regex => p.regex(),
        Modelled::Sort => p.sort(),
        Modelled::Replace => p.replace(),
        Modelled::Join => {
            let (args, subsearch) = p.with_subsearch(name)?;
            let options = options_before_where(&args);
            let settings: Box<JoinSettings> = Box::new(p.settings(&options, name));
            Ok(CommandKind::Join {
                args,
                settings,
                subsearch,
            })
        }
        Modelled::Append => {
            let (args, subsearch) = p.with_subsearch(name)?;
            let settings: Box<AppendSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Append {
                args,
                settings,
                subsearch,
            })
        }
        Modelled::Appendpipe => {
            let (args, subsearch) = p.with_subsearch(name)?;
            let settings: Box<AppendpipeSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Appendpipe {
                args,
                settings,
                subsearch,
            })
        }
        Modelled::Foreach => {
            let (args, template) = p.with_subsearch(name)?;
            let settings: Box<ForeachSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Foreach {
                args,
                settings,
                template,
            })
        }
        Modelled::Inputlookup => p.inputlookup(start),
        Modelled::Fillnull => {
            let args = p.simple(start, name, false)?;
            let settings: Box<FillnullSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Fillnull { args, settings })
        }
        Modelled::Dedup => {
            let args = p.simple(start, name, false)?;
            let settings: Box<DedupSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Dedup { args, settings })
        }
        Modelled::Mvexpand => {
            let args = p.simple(start, name, true)?;
            let settings: Box<MvexpandSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Mvexpand { args, settings })
        }
        Modelled::Spath => {
            let args = p.simple(start, name, false)?;
            let settings: Box<SpathSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Spath { args, settings })
        }
        Modelled::Iplocation => {
            let args = p.simple(start, name, true)?;
            let settings: Box<IplocationSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Iplocation { args, settings })
        }
        Modelled::Xmlkv => {
            let args = p.simple(start, name, false)?;
            let settings: Box<XmlkvSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Xmlkv { args, settings })
        }
        Modelled::Makemv => {
            let args = p.simple(start, name, true)?;
            let settings: Box<MakemvSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Makemv { args, settings })
        }
        Modelled::Fromjson => {
            let args = p.simple(start, name, true)?;
            let settings: Box<FromjsonSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Fromjson { args, settings })
        }
        Modelled::Addtotals => {
            let args = p.simple(start, name, false)?;
            let settings: Box<AddtotalsSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Addtotals { args, settings })
        }
        Modelled::Transaction => {
            let args = p.simple(start, name, false)?;
            let settings: Box<TransactionSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Transaction { args, settings })
        }
        Modelled::From => {
            let args = p.simple(start, name, true)?;
            let settings: Box<NoSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::From { args, settings })
        }
        Modelled::Head => {
            let mut args = p.simple(start, name, false)?;
            let count = p.head_count(&mut args);
            let settings: Box<HeadSettings> = Box::new(p.settings(&args.options, name));
            Ok(CommandKind::Head {
                count,
                args,
                settings,
            })
        }
    }
}

impl Parser<'_> {
    /// Interprets the options of `command`, reporting each one it cannot use (`P006`,
    /// `P007`).
    fn settings<S: Settings>(&mut self, options: &[Opt], command: &str) -> S {
        let mut problems = Vec::new();
        let settings = S::interpret(options, &mut problems);
        for problem in problems {
            match problem {
                OptionProblem::Unknown {
                    name,
                    written,
                    known,
                } => {
                    let label = match did_you_mean(&written, known.iter().copied()) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None if known.is_empty() => format!("`{command}` takes no options"),
                        None => format!("`{command}` takes {}", known_list(known)),
                    };
                    self.push(
                        Code::P006,
                        name,
                        format!("unknown option `{written}` for `{command}`"),
                        Some(&label),
                    );
                }
                OptionProblem::BadValue {
                    range,
                    written,
                    expected,
                } => self.push(
                    Code::P007,
                    range,
                    format!("option `{written}` of `{command}` takes {expected}"),
                    None,
                ),
            }
        }
        settings
    }

    fn range_from(&self, start: usize) -> TextRange {
        // The command ends where its last token ends: trailing trivia is not part of it.
        TextRange::new(start, self.last_end.max(start))
    }

    /// Whether the token after `token` is `=` (so `token` names an option).
    fn option_follows(&self, token: Token) -> bool {
        let mut copy = self.lexer;
        copy.set_pos(token.end);
        copy.next(Mode::Args).kind == TokenKind::Eq
    }

    /// `name=value`, `name` not yet consumed.
    fn option(&mut self) -> PResult<Opt> {
        let name_token = self.next_arg();
        let name = self.search_literal(name_token);
        self.next_arg();
        let token = self.peek(Mode::Args);
        let value = match token.kind {
            TokenKind::Word | TokenKind::Str => {
                self.next_arg();
                OptValue::Literal(self.search_literal(token))
            }
            TokenKind::LParen => {
                self.next_arg();
                self.enter(token)?;
                let expr = self.search_clause(Stop::Group)?;
                self.leave();
                let close = self.next_arg();
                if close.kind != TokenKind::RParen {
                    return self.expected(close, "`)`");
                }
                let range = TextRange::new(token.start, close.end);
                match expr {
                    Some(expr) => OptValue::Search { range, expr },
                    None => {
                        self.error(range, "empty parentheses in option value".to_owned(), None);
                        return Err(Fail);
                    }
                }
            }
            TokenKind::Unterminated => {
                self.next_arg();
                return self.unterminated(token);
            }
            _ => {
                let option = name.raw(self.text).to_owned();
                let found = self.describe(token);
                self.error(
                    TextRange::new(name_token.start, token.start.max(name_token.end)),
                    format!("expected a value for option `{option}`, found {found}"),
                    None,
                );
                return Err(Fail);
            }
        };
        let range = TextRange::new(name_token.start, self.last_end);
        Ok(Opt { range, name, value })
    }

    /// Consumes a token in args mode.
    fn next_arg(&mut self) -> Token {
        self.next(Mode::Args)
    }

    /// Options and positional words up to the segment end (or a `[` when `until_bracket`).
    fn args(&mut self, stop_at_bracket: bool) -> PResult<Args> {
        self.args_until(stop_at_bracket, None)
    }

    /// [`Parser::args`], also stopping before the bare word `stop_word` once a positional
    /// word has been read (`inputlookup table where …`: a table may be named `where`).
    fn args_until(&mut self, stop_at_bracket: bool, stop_word: Option<&str>) -> PResult<Args> {
        let mut args = Args::default();
        loop {
            let token = self.peek(Mode::Args);
            let at_stop_word =
                !args.fields.is_empty() && stop_word.is_some_and(|word| self.is_word(token, word));
            match token.kind {
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::LBracket if stop_at_bracket => break,
                TokenKind::Word if at_stop_word => break,
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Word if self.option_follows(token) => args.options.push(self.option()?),
                TokenKind::Word | TokenKind::Str => {
                    self.next_arg();
                    args.fields.push(self.search_literal(token));
                }
                TokenKind::Unterminated => {
                    self.next_arg();
                    return self.unterminated(token);
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, "an option or a field name");
                }
            }
        }
        Ok(args)
    }

    /// The arguments of a command that takes options and words only; `needs_field` when it
    /// needs at least one word.
    fn simple(&mut self, start: usize, name: &str, needs_field: bool) -> PResult<Args> {
        self.simple_until(start, name, needs_field, None)
    }

    /// [`Parser::simple`] up to the bare word `stop_word` (see [`Parser::args_until`]).
    fn simple_until(
        &mut self,
        start: usize,
        name: &str,
        needs_field: bool,
        stop_word: Option<&str>,
    ) -> PResult<Args> {
        let args = self.args_until(false, stop_word)?;
        let range = self.range_from(start);
        if needs_field && args.fields.is_empty() {
            self.error(
                range,
                format!("`{name}` needs a field or name argument"),
                None,
            );
            return Err(Fail);
        }
        Ok(args)
    }

    /// The arguments and the `[…]` of a command that ends with a subsearch.
    fn with_subsearch(&mut self, name: &str) -> PResult<(Args, Subsearch)> {
        let args = self.args(true)?;
        let token = self.peek(Mode::Args);
        if token.kind != TokenKind::LBracket {
            return self.expected(token, &format!("a `[` subsearch for `{name}`"));
        }
        self.enter(token)?;
        let subsearch = self.subsearch()?;
        self.leave();
        self.last_end = subsearch.range.end_usize();
        Ok((args, subsearch))
    }

    // ----- statistics -----

    fn stats(&mut self, start: usize, kind: StatsKind) -> PResult<CommandKind> {
        let mut options = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            if token.kind == TokenKind::Word && self.option_follows(token) {
                options.push(self.option()?);
            } else {
                break;
            }
        }
        let aggregations = self.aggregations(&[])?;
        let (by, by_options) = self.by_clause()?;
        if aggregations.is_empty() {
            let range = self.range_from(start);
            let name = kind.as_str();
            self.error(
                range,
                format!("`{name}` needs at least one aggregation"),
                None,
            );
            return Err(Fail);
        }
        let name = kind.as_str();
        let settings = match kind {
            StatsKind::Stats => StatsCommandSettings::Stats(self.settings(&options, name)),
            StatsKind::Eventstats => {
                StatsCommandSettings::Eventstats(self.settings(&options, name))
            }
            StatsKind::Streamstats => {
                StatsCommandSettings::Streamstats(Box::new(self.settings(&options, name)))
            }
        };
        let by_settings: BySettings = self.settings(&by_options, name);
        Ok(CommandKind::Stats(Box::new(Stats {
            kind,
            options,
            aggregations,
            by,
            by_options,
            settings,
            by_settings,
        })))
    }

    fn tstats(&mut self) -> PResult<CommandKind> {
        let mut macros = Vec::new();
        let mut options = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            if token.kind == TokenKind::Macro {
                self.next_arg();
                macros.push(self.macro_call(token));
            } else if token.kind == TokenKind::Word && self.option_follows(token) {
                options.push(self.option()?);
            } else {
                break;
            }
        }
        let aggregations = self.aggregations(&["from", "where", "by"])?;
        let mut from = Vec::new();
        let token = self.peek(Mode::Args);
        if self.is_word(token, "from") {
            self.next_arg();
            loop {
                let token = self.peek(Mode::Args);
                if token.kind == TokenKind::Word && self.option_follows(token) {
                    from.push(self.option()?);
                } else {
                    break;
                }
            }
            if from.is_empty() {
                let token = self.peek(Mode::Args);
                return self.expected(token, "`datamodel=…` after `from`");
            }
        }
        let mut filter = None;
        let token = self.peek(Mode::Args);
        if self.is_word(token, "where") {
            self.next_arg();
            filter = self.search_clause(Stop::By)?;
            if let Some(expr) = &filter {
                self.last_end = expr.range().end_usize();
            }
        }
        let (by, by_options) = self.by_clause()?;
        let settings: TstatsSettings = self.settings(&options, "tstats");
        let from_settings: TstatsFromSettings = self.settings(&from, "tstats … from");
        let by_settings: BySettings = self.settings(&by_options, "tstats … by");
        Ok(CommandKind::Tstats(Box::new(Tstats {
            macros,
            options,
            aggregations,
            from,
            filter,
            by,
            by_options,
            settings,
            from_settings,
            by_settings,
        })))
    }

    /// Aggregations up to `by`, one of `stop_words`, or the segment end.
    fn aggregations(&mut self, stop_words: &[&str]) -> PResult<Vec<Aggregation>> {
        let mut aggregations = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Word => {
                    if self.is_word(token, "by")
                        || stop_words.iter().any(|w| self.is_word(token, w))
                    {
                        break;
                    }
                    aggregations.push(self.aggregation()?);
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                _ => {
                    self.next_arg();
                    return self.expected(token, "an aggregation such as `count`");
                }
            }
        }
        Ok(aggregations)
    }

    fn aggregation(&mut self) -> PResult<Aggregation> {
        let function_token = self.next_arg();
        let name = self.search_literal(function_token);
        let mut argument = None;
        if self.peek(Mode::Args).kind == TokenKind::LParen {
            let open = self.next_arg();
            let token = self.peek(Mode::Args);
            if self.is_word(token, "eval") && self.paren_follows(token) {
                self.next_arg();
                let eval_open = self.next(Mode::Eval);
                self.enter(eval_open)?;
                let expr = self.eval_expr()?;
                self.leave();
                let close = self.next(Mode::Eval);
                if close.kind != TokenKind::RParen {
                    return self.expected(close, "`)` closing `eval(`");
                }
                argument = Some(AggArgument::Eval {
                    range: TextRange::new(token.start, close.end),
                    expr,
                });
            } else if token.kind != TokenKind::RParen {
                argument = Some(AggArgument::Field(self.arg_literal("a field name")?));
            }
            let close = self.next_arg();
            if close.kind != TokenKind::RParen {
                if matches!(close.kind, TokenKind::Eof | TokenKind::Pipe) {
                    self.error(
                        TextRange::new(open.start, open.end),
                        "unclosed `(`: no matching `)`".to_owned(),
                        None,
                    );
                    return Err(Fail);
                }
                return self.expected(close, "`)`");
            }
        }
        let alias = self.alias()?;
        Ok(Aggregation {
            range: TextRange::new(function_token.start, self.last_end),
            function: AggFunction::from_name(&name.value),
            name,
            argument,
            alias,
        })
    }

    /// `as alias` if present. Q20: an alias directly followed by `(…)` keeps the
    /// parentheses in the name (`as aceFlags(inheritance)`), with a lint.
    fn alias(&mut self) -> PResult<Option<Literal>> {
        let token = self.peek(Mode::Args);
        if !self.is_word(token, "as") {
            return Ok(None);
        }
        self.next_arg();
        let alias_token = self.next_arg();
        if !matches!(alias_token.kind, TokenKind::Word | TokenKind::Str) {
            return self.expected(alias_token, "a field name after `as`");
        }
        let alias = self.glued_literal(alias_token);
        if alias.range.end_usize() != alias_token.end {
            let raw = alias.raw(self.text).to_owned();
            self.lint(
                alias.range,
                format!("alias `{raw}` contains parentheses; it is read as one field name"),
            );
        }
        Ok(Some(alias))
    }

    /// A word, extended over a directly following `(word)` (Q20: `aceFlags(inheritance)`,
    /// `predicted(x)` in `fields`), or a quoted string.
    fn glued_literal(&mut self, token: Token) -> Literal {
        if token.kind == TokenKind::Word && self.paren_follows(token) {
            let mut copy = self.lexer;
            let open = copy.next(Mode::Args);
            let inner = copy.next(Mode::Args);
            let close = copy.next(Mode::Args);
            if open.kind == TokenKind::LParen
                && inner.kind == TokenKind::Word
                && close.kind == TokenKind::RParen
                && inner.start == open.end
                && close.start == inner.end
            {
                self.lexer = copy;
                self.last_end = close.end;
                let raw = self.text.get(token.start..close.end).unwrap_or("");
                return Literal {
                    range: TextRange::new(token.start, close.end),
                    value: lexer::decode_search(raw),
                    quote: Quote::None,
                };
            }
        }
        self.search_literal(token)
    }

    /// `by f1 f2 … [span=…]`, if present.
    fn by_clause(&mut self) -> PResult<(Vec<Literal>, Vec<Opt>)> {
        let mut fields = Vec::new();
        let mut options = Vec::new();
        let token = self.peek(Mode::Args);
        if !self.is_word(token, "by") {
            return Ok((fields, options));
        }
        self.next_arg();
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Word if self.option_follows(token) => options.push(self.option()?),
                TokenKind::Word | TokenKind::Str => {
                    self.next_arg();
                    fields.push(self.search_literal(token));
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::Unterminated => {
                    self.next_arg();
                    return self.unterminated(token);
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, "a field name after `by`");
                }
            }
        }
        if fields.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "a field name after `by`");
        }
        Ok((fields, options))
    }

    // ----- where / eval -----

    fn where_command(&mut self) -> PResult<CommandKind> {
        let token = self.peek(Mode::Eval);
        if matches!(
            token.kind,
            TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof
        ) {
            return self.expected(token, "a condition after `where`");
        }
        let expr = self.eval_expr()?;
        self.last_end = expr.range().end_usize();
        Ok(CommandKind::Where { expr })
    }

    fn eval_command(&mut self) -> PResult<CommandKind> {
        let mut assignments = Vec::new();
        loop {
            let token = self.next_arg();
            let field = match token.kind {
                TokenKind::Word => {
                    let raw = self.slice(token);
                    let range = TextRange::new(token.start, token.end);
                    match raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                        Some(inner) if raw.len() >= 2 => Literal {
                            range,
                            value: lexer::decode_single(inner),
                            quote: Quote::Single,
                        },
                        _ => self.search_literal(token),
                    }
                }
                TokenKind::Str => self.search_literal(token),
                TokenKind::Unterminated => return self.unterminated(token),
                _ => return self.expected(token, "a field name to assign"),
            };
            let eq = self.next_arg();
            if eq.kind != TokenKind::Eq {
                return self.expected(eq, "`=` after the eval field name");
            }
            let expr = self.eval_expr()?;
            self.last_end = expr.range().end_usize();
            assignments.push(Assignment {
                range: field.range.cover(expr.range()),
                field,
                expr,
            });
            if self.peek(Mode::Args).kind == TokenKind::Comma {
                self.next_arg();
            } else {
                break;
            }
        }
        Ok(CommandKind::Eval { assignments })
    }

    // ----- field lists -----

    fn field_list(&mut self, what: &str) -> PResult<Vec<Literal>> {
        let mut fields = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Word | TokenKind::Str => {
                    self.next_arg();
                    let field = self.glued_literal(token);
                    fields.push(field);
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::Unterminated => {
                    self.next_arg();
                    return self.unterminated(token);
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, what);
                }
            }
        }
        Ok(fields)
    }

    fn table(&mut self) -> PResult<CommandKind> {
        let fields = self.field_list("a field name")?;
        Ok(CommandKind::Table { fields })
    }

    fn fields(&mut self) -> PResult<CommandKind> {
        let token = self.peek(Mode::Args);
        let mode = if self.is_exact_word(token, "-") {
            self.next_arg();
            FieldsMode::Remove
        } else {
            if self.is_exact_word(token, "+") {
                self.next_arg();
            }
            FieldsMode::Keep
        };
        let fields = self.field_list("a field name")?;
        if fields.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "a field name");
        }
        Ok(CommandKind::Fields { mode, fields })
    }

    /// `field [AS alias]`.
    fn mapping(&mut self) -> PResult<FieldMapping> {
        let field = self.arg_literal("a field name")?;
        self.last_end = field.range.end_usize();
        let token = self.peek(Mode::Args);
        let mut alias = None;
        if self.is_word(token, "as") {
            self.next_arg();
            let lit = self.arg_literal("a field name after `AS`")?;
            self.last_end = lit.range.end_usize();
            alias = Some(lit);
        }
        Ok(FieldMapping {
            range: TextRange::new(field.range.start_usize(), self.last_end),
            field,
            alias,
        })
    }

    fn rename(&mut self) -> PResult<CommandKind> {
        let mut pairs = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                _ => {
                    let pair = self.mapping()?;
                    if pair.alias.is_none() {
                        let range = pair.range;
                        self.error(
                            range,
                            "expected `AS` and a new name in `rename`".to_owned(),
                            None,
                        );
                        return Err(Fail);
                    }
                    pairs.push(pair);
                }
            }
        }
        if pairs.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "`old AS new`");
        }
        Ok(CommandKind::Rename { pairs })
    }

    fn convert(&mut self) -> PResult<CommandKind> {
        let mut options = Vec::new();
        let mut conversions = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::Word if self.option_follows(token) => options.push(self.option()?),
                TokenKind::Word => {
                    self.next_arg();
                    let function = self.search_literal(token);
                    let open = self.next_arg();
                    if open.kind != TokenKind::LParen {
                        return self.expected(open, "`(` after the conversion function");
                    }
                    let field = self.arg_literal("a field name")?;
                    let close = self.next_arg();
                    if close.kind != TokenKind::RParen {
                        return self.expected(close, "`)`");
                    }
                    let next = self.peek(Mode::Args);
                    let mut alias = None;
                    if self.is_word(next, "as") {
                        self.next_arg();
                        alias = Some(self.arg_literal("a field name after `AS`")?);
                        self.last_end = alias
                            .as_ref()
                            .map_or(self.last_end, |a| a.range.end_usize());
                    }
                    conversions.push(Conversion {
                        range: TextRange::new(token.start, self.last_end),
                        function,
                        field,
                        alias,
                    });
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, "a conversion such as `ctime(field)`");
                }
            }
        }
        if conversions.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "a conversion such as `ctime(field)`");
        }
        let settings: Box<ConvertSettings> = Box::new(self.settings(&options, "convert"));
        Ok(CommandKind::Convert {
            options,
            settings,
            conversions,
        })
    }

    fn bin(&mut self) -> PResult<CommandKind> {
        let mut options = Vec::new();
        let mut field = None;
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::Word if self.option_follows(token) => options.push(self.option()?),
                TokenKind::Word | TokenKind::Str if field.is_none() => {
                    field = Some(self.mapping()?)
                }
                // `bin _time span=1h AS hour`: the alias may follow the options.
                TokenKind::Word
                    if self.is_word(token, "as")
                        && field
                            .as_ref()
                            .is_some_and(|f: &FieldMapping| f.alias.is_none()) =>
                {
                    self.next_arg();
                    let alias = self.arg_literal("a field name after `AS`")?;
                    if let Some(field) = field.as_mut() {
                        field.range = field.range.cover(alias.range);
                        field.alias = Some(alias);
                    }
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, "an option such as `span=1h`");
                }
            }
        }
        let Some(field) = field else {
            let token = self.peek(Mode::Args);
            return self.expected(token, "the field to bin");
        };
        let settings: Box<BinSettings> = Box::new(self.settings(&options, "bin"));
        Ok(CommandKind::Bin {
            options,
            settings,
            field,
        })
    }

    fn lookup(&mut self) -> PResult<CommandKind> {
        let mut options = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            if token.kind == TokenKind::Word && self.option_follows(token) {
                options.push(self.option()?);
            } else {
                break;
            }
        }
        let table = self.arg_literal("a lookup name")?;
        self.last_end = table.range.end_usize();
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        let mut output_mode = None;
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma => {
                    self.next_arg();
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof => break,
                TokenKind::Word
                    if output_mode.is_none()
                        && (self.is_word(token, "OUTPUT") || self.is_word(token, "OUTPUTNEW")) =>
                {
                    self.next_arg();
                    output_mode = Some(if self.is_word(token, "OUTPUT") {
                        OutputMode::Output
                    } else {
                        OutputMode::OutputNew
                    });
                }
                _ => {
                    let mapping = self.mapping()?;
                    if output_mode.is_some() {
                        outputs.push(mapping);
                    } else {
                        inputs.push(mapping);
                    }
                }
            }
        }
        if inputs.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "an input field for the lookup");
        }
        let settings: LookupSettings = self.settings(&options, "lookup");
        Ok(CommandKind::Lookup(Box::new(Lookup {
            settings,
            options,
            table,
            inputs,
            output_mode,
            outputs,
        })))
    }

    fn rex(&mut self, start: usize) -> PResult<CommandKind> {
        let args = self.args(false)?;
        let range = self.range_from(start);
        let mut fields = args.fields.into_iter();
        match (fields.next(), fields.next()) {
            (Some(pattern), None) if pattern.quote == Quote::Double => {
                let settings: Box<RexSettings> = Box::new(self.settings(&args.options, "rex"));
                Ok(CommandKind::Rex {
                    options: args.options,
                    settings,
                    pattern,
                })
            }
            (Some(_), Some(extra)) => {
                self.error(
                    extra.range,
                    "`rex` takes one quoted pattern".to_owned(),
                    None,
                );
                Err(Fail)
            }
            (Some(word), None) => {
                self.error(
                    word.range,
                    "the `rex` pattern must be double-quoted".to_owned(),
                    None,
                );
                Err(Fail)
            }
            (None, _) => {
                self.error(
                    range,
                    "`rex` needs a quoted regular expression".to_owned(),
                    None,
                );
                Err(Fail)
            }
        }
    }

    fn regex(&mut self) -> PResult<CommandKind> {
        let first = self.next_arg();
        let (field, negated, pattern_token) = match first.kind {
            TokenKind::Str => (None, false, first),
            TokenKind::Word => {
                let op = self.next_arg();
                let negated = match op.kind {
                    TokenKind::Eq => false,
                    TokenKind::Ne => true,
                    _ => return self.expected(op, "`=` or `!=` after the field name"),
                };
                let pattern = self.next_arg();
                (Some(self.search_literal(first)), negated, pattern)
            }
            TokenKind::Unterminated => return self.unterminated(first),
            _ => return self.expected(first, "`field=\"regex\"` or a quoted regex"),
        };
        let pattern = match pattern_token.kind {
            TokenKind::Str | TokenKind::Word => self.search_literal(pattern_token),
            TokenKind::Unterminated => return self.unterminated(pattern_token),
            _ => return self.expected(pattern_token, "a regular expression"),
        };
        Ok(CommandKind::Regex {
            field,
            negated,
            pattern,
        })
    }

    /// `inputlookup [options] table [where <search>]`: the `where` clause is a search
    /// (Search Reference, `inputlookup`: `[WHERE <search-query>]`), running to the segment end.
    fn inputlookup(&mut self, start: usize) -> PResult<CommandKind> {
        let args = self.simple_until(start, "inputlookup", true, Some("where"))?;
        let mut filter = None;
        let token = self.peek(Mode::Args);
        if self.is_word(token, "where") {
            self.next_arg();
            filter = self.search_clause(Stop::Segment)?;
            match &filter {
                Some(expr) => self.last_end = expr.range().end_usize(),
                None => {
                    let token = self.peek(Mode::Args);
                    return self.expected(token, "a search after `where`");
                }
            }
        }
        let settings: Box<InputlookupSettings> =
            Box::new(self.settings(&args.options, "inputlookup"));
        Ok(CommandKind::Inputlookup {
            args,
            settings,
            filter,
        })
    }

    /// Takes `head`'s count out of its positional words: the first word when it starts with
    /// a digit. One that is not a whole number (`head 5x`) is `P007` and stays a word.
    fn head_count(&mut self, args: &mut Args) -> Option<Count> {
        let first = args.fields.first()?;
        if first.quote != Quote::None || !first.value.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let Some(value) = count_value(&first.value) else {
            let range = first.range;
            self.push(
                Code::P007,
                range,
                format!(
                    "the count of `head` takes {}",
                    <u64 as OptionValue>::EXPECTED
                ),
                None,
            );
            return None;
        };
        let mut words = std::mem::take(&mut args.fields).into_iter();
        let literal = words.next()?;
        args.fields = words.collect();
        Some(Count { literal, value })
    }

    fn sort(&mut self) -> PResult<CommandKind> {
        let mut limit = None;
        let token = self.peek(Mode::Args);
        if token.kind == TokenKind::Word
            && let Some(value) = count_value(self.slice(token))
        {
            self.next_arg();
            limit = Some(Count {
                literal: self.search_literal(token),
                value,
            });
        }
        let mut keys = Vec::new();
        let mut pending: Option<(SortOrder, usize)> = None;
        loop {
            let token = self.peek(Mode::Args);
            match token.kind {
                TokenKind::Comma if pending.is_none() => {
                    self.next_arg();
                }
                TokenKind::Word if pending.is_none() && matches!(self.slice(token), "-" | "+") => {
                    self.next_arg();
                    let order = if self.slice(token) == "-" {
                        SortOrder::Descending
                    } else {
                        SortOrder::Ascending
                    };
                    pending = Some((order, token.start));
                }
                TokenKind::Word | TokenKind::Str => {
                    self.next_arg();
                    let raw = self.slice(token);
                    let (order, key_start, field) = match pending.take() {
                        Some((order, at)) => (order, at, self.search_literal(token)),
                        None => {
                            let sign = raw.as_bytes().first().copied();
                            if token.kind == TokenKind::Word
                                && matches!(sign, Some(b'-' | b'+'))
                                && raw.len() > 1
                            {
                                let order = if sign == Some(b'-') {
                                    SortOrder::Descending
                                } else {
                                    SortOrder::Ascending
                                };
                                let rest = raw.get(1..).unwrap_or("");
                                let field = Literal {
                                    range: TextRange::new(token.start + 1, token.end),
                                    value: lexer::decode_search(rest),
                                    quote: Quote::None,
                                };
                                (order, token.start, field)
                            } else {
                                (SortOrder::Default, token.start, self.search_literal(token))
                            }
                        }
                    };
                    keys.push(SortKey {
                        range: TextRange::new(key_start, token.end),
                        order,
                        field,
                    });
                }
                TokenKind::Pipe | TokenKind::RBracket | TokenKind::Eof if pending.is_none() => {
                    break;
                }
                TokenKind::Unterminated => {
                    self.next_arg();
                    return self.unterminated(token);
                }
                _ => {
                    self.next_arg();
                    return self.expected(token, "a sort field");
                }
            }
        }
        if keys.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "a sort field");
        }
        Ok(CommandKind::Sort { limit, keys })
    }

    fn replace(&mut self) -> PResult<CommandKind> {
        let mut pairs = Vec::new();
        loop {
            let token = self.peek(Mode::Args);
            if token.kind == TokenKind::Comma {
                self.next_arg();
                continue;
            }
            if self.is_word(token, "in") {
                self.next_arg();
                break;
            }
            let from = self.arg_literal("a value to replace")?;
            let with = self.next_arg();
            if !self.is_word(with, "with") {
                return self.expected(with, "`WITH`");
            }
            let to = self.arg_literal("a replacement value")?;
            pairs.push(ReplacePair {
                range: from.range.cover(to.range),
                from,
                to,
            });
        }
        if pairs.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "`value WITH replacement`");
        }
        let fields = self.field_list("a field name")?;
        if fields.is_empty() {
            let token = self.peek(Mode::Args);
            return self.expected(token, "a field name after `IN`");
        }
        Ok(CommandKind::Replace { pairs, fields })
    }
}

/// `a`, `a or b`, `a, b or c`: the options a command takes, for a message.
fn known_list(known: &[&str]) -> String {
    let quoted: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The options written before a bare `where` word: in `inputlookup t where a=b` and
/// `join left=L right=R where L.x=R.y`, what follows `where` is a condition, not options.
/// The value of a positional count: digits only. A count too large for 64 bits is the largest
/// one (no limit in practice, as `sort 0` is).
fn count_value(word: &str) -> Option<u64> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(word.parse().unwrap_or(u64::MAX))
}

fn options_before_where(args: &Args) -> Vec<Opt> {
    let where_at = args
        .fields
        .iter()
        .find(|word| word.quote == Quote::None && word.value.eq_ignore_ascii_case("where"))
        .map(|word| word.range.start);
    args.options
        .iter()
        .filter(|opt| where_at.is_none_or(|at| opt.range.start < at))
        .cloned()
        .collect()
}
