//! The printer: canonical SPL from a [`Pipeline`], such that parsing the output gives the same
//! tree (spans and raw spellings aside; see [`crate::spl::structural_eq`]).
//!
//! It parenthesises by precedence (search grammar: an `AND` inside an `OR`, any `AND`/`OR`
//! under `NOT`, and nested chains of the same operator; eval grammar: by binding power),
//! and re-escapes every literal from its decoded value. Comments are not printed.

use super::lexer::{Lexer, Mode};
use super::visit::{Node, Role, Visitor, Walk, walk};

use super::ast::{
    AggArgument, Aggregation, Args, BinaryOp, Command, CommandKind, Expr, FieldMapping, FieldsMode,
    Literal, MacroCall, NEG_PRECEDENCE, NOT_PRECEDENCE, Opt, OptValue, OutputMode, Pipeline, Quote,
    SearchExpr, SortOrder, Subsearch, TermModifier, UnaryOp,
};

/// Prints `pipeline` as canonical SPL.
#[must_use]
pub(crate) fn print_pipeline(pipeline: &Pipeline) -> String {
    let mut out = String::new();
    pipeline_into(&mut out, pipeline, Position::Top);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Top,
    Subsearch,
}

fn pipeline_into(out: &mut String, pipeline: &Pipeline, position: Position) {
    for (index, command) in pipeline.commands.iter().enumerate() {
        if index == 0 {
            match &command.kind {
                CommandKind::Search { expr, .. } => {
                    let mut text = String::new();
                    if let Some(expr) = expr {
                        search_into(&mut text, expr);
                    }
                    let needs_keyword = position == Position::Subsearch
                        || (expr.is_none() && pipeline.commands.len() > 1)
                        || starts_with_search_word(&text);
                    if needs_keyword {
                        out.push_str("search");
                        if !text.is_empty() {
                            out.push(' ');
                        }
                    }
                    out.push_str(&text);
                }
                _ => {
                    out.push_str("| ");
                    command_into(out, command);
                }
            }
        } else {
            out.push_str(" | ");
            command_into(out, command);
        }
    }
}

/// Whether printed search text would be read as the `search` keyword.
fn starts_with_search_word(text: &str) -> bool {
    let Some(head) = text.get(..6) else {
        return false;
    };
    head.eq_ignore_ascii_case("search")
        && text
            .as_bytes()
            .get(6)
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'|' | b']' | b'`'))
}

// ----- literals -----

/// Which escapes a literal's context decodes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escapes {
    /// Search grammar and command arguments: `\\ \" \|`.
    Search,
    /// eval string literals: `\\ \" \t`.
    Eval,
    /// Single-quoted field names: `\\ \'`.
    Single,
}

fn escape_into(out: &mut String, value: &str, escapes: Escapes, quoted: bool) {
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // Double a backslash only where it would otherwise start an escape pair
                // (or end the token), so `"\d+"` prints as written.
                let next = chars.peek().copied();
                let pairs = matches!(
                    (escapes, next),
                    (_, None | Some('\\'))
                        | (Escapes::Search, Some('"' | '|'))
                        | (Escapes::Eval, Some('"' | 't' | '\t'))
                        | (Escapes::Single, Some('\''))
                );
                out.push_str(if pairs { "\\\\" } else { "\\" });
            }
            '"' if escapes != Escapes::Single => out.push_str("\\\""),
            '\'' if escapes == Escapes::Single => out.push_str("\\'"),
            '|' if escapes == Escapes::Search && !quoted => out.push_str("\\|"),
            '\t' if escapes == Escapes::Eval => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
}

fn literal_into(out: &mut String, lit: &Literal, escapes: Escapes) {
    match lit.quote {
        Quote::None => escape_into(out, &lit.value, escapes, false),
        Quote::Double => {
            out.push('"');
            escape_into(out, &lit.value, escapes, true);
            out.push('"');
        }
        Quote::Single => {
            out.push('\'');
            escape_into(out, &lit.value, Escapes::Single, true);
            out.push('\'');
        }
    }
}

fn word_into(out: &mut String, lit: &Literal) {
    literal_into(out, lit, Escapes::Search);
}

/// Before a `=` that follows `word`: a space when the bare word ends in `!`, so `a! = b`
/// does not print as `a!=b` (the field `a` and the operator `!=`).
fn space_before_eq(out: &mut String, word: &Literal) {
    if word.quote == Quote::None && word.value.ends_with('!') {
        out.push(' ');
    }
}

fn macro_into(out: &mut String, call: &MacroCall) {
    out.push('`');
    out.push_str(&call.text);
    out.push('`');
}

fn subsearch_into(out: &mut String, sub: &Subsearch) {
    out.push('[');
    pipeline_into(out, &sub.pipeline, Position::Subsearch);
    out.push(']');
}

// ----- search grammar -----

fn search_into(out: &mut String, expr: &SearchExpr) {
    match expr {
        SearchExpr::And { operands, .. } => {
            for (index, operand) in operands.iter().enumerate() {
                if index > 0 {
                    // `a IN (b c)` reads as a list test; `a AND IN (b c)` keeps the term `IN`.
                    out.push_str(if is_bare_in(operand) { " AND " } else { " " });
                }
                search_wrapped(out, operand, wraps_in_and(operand));
            }
        }
        SearchExpr::Or { operands, .. } => {
            for (index, operand) in operands.iter().enumerate() {
                if index > 0 {
                    out.push_str(" OR ");
                }
                search_wrapped(out, operand, wraps_in_or_or_not(operand));
            }
        }
        SearchExpr::Not { operand, .. } => {
            out.push_str("NOT ");
            search_wrapped(out, operand, wraps_in_or_or_not(operand));
        }
        SearchExpr::Compare {
            field, op, value, ..
        } => {
            word_into(out, field);
            if op.as_str().starts_with('=') {
                space_before_eq(out, field);
            }
            out.push_str(op.as_str());
            let value = &value.literal;
            if value.quote == Quote::None && value.value.starts_with('=') {
                // `x< =5` must not print as `x<=5`.
                out.push(' ');
            }
            word_into(out, value);
        }
        SearchExpr::In {
            field,
            values,
            macros,
            ..
        } => {
            word_into(out, field);
            out.push_str(" IN (");
            for (index, value) in values.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                word_into(out, &value.literal);
            }
            for (index, call) in macros.iter().enumerate() {
                if index > 0 || !values.is_empty() {
                    out.push_str(", ");
                }
                macro_into(out, call);
            }
            let last = values.last().filter(|_| macros.is_empty());
            close_after_word(out, last.map(|value| (&value.literal, Mode::SearchList)));
        }
        SearchExpr::Term { literal, .. } => word_into(out, literal),
        SearchExpr::Modifier { kind, literal, .. } => {
            out.push_str(match kind {
                TermModifier::Term => "TERM(",
                TermModifier::Case => "CASE(",
            });
            word_into(out, literal);
            close_after_word(out, Some((literal, Mode::SearchValue)));
        }
        SearchExpr::Macro(call) => macro_into(out, call),
        SearchExpr::Subsearch(sub) => subsearch_into(out, sub),
    }
}

/// Whether `expr` is the term `IN`, which a word before it and a group after it would turn
/// into a list test.
fn is_bare_in(expr: &SearchExpr) -> bool {
    matches!(expr, SearchExpr::Term { literal, .. } if literal.quote == Quote::None && literal.value == "IN")
}

/// Whether an operand of an implicit `AND` is printed in parentheses.
fn wraps_in_and(operand: &SearchExpr) -> bool {
    matches!(operand, SearchExpr::And { .. })
}

/// Whether an operand of `OR` or `NOT` is printed in parentheses.
fn wraps_in_or_or_not(operand: &SearchExpr) -> bool {
    matches!(operand, SearchExpr::And { .. } | SearchExpr::Or { .. })
}

fn search_wrapped(out: &mut String, expr: &SearchExpr, wrap: bool) {
    if wrap {
        search_group_into(out, expr);
    } else {
        search_into(out, expr);
    }
}

/// `(expr)`, the closing parenthesis kept apart from a last word that would swallow it.
fn search_group_into(out: &mut String, expr: &SearchExpr) {
    out.push('(');
    search_into(out, expr);
    close_after_word(out, trailing_word(expr));
}

/// The bare word printed last for `expr`, with the lexer mode that reads it back, if the
/// printed text ends in one.
fn trailing_word(expr: &SearchExpr) -> Option<(&Literal, Mode)> {
    // A loop rather than recursion: `NOT NOT … a` may be deep.
    let mut expr = expr;
    loop {
        let (next, wrapped) = match expr {
            SearchExpr::And { operands, .. } => {
                let last = operands.last()?;
                (last, wraps_in_and(last))
            }
            SearchExpr::Or { operands, .. } => {
                let last = operands.last()?;
                (last, wraps_in_or_or_not(last))
            }
            SearchExpr::Not { operand, .. } => (&**operand, wraps_in_or_or_not(operand)),
            SearchExpr::Term { literal, .. } => return Some((literal, Mode::SearchField)),
            SearchExpr::Compare { value, .. } => return Some((&value.literal, Mode::SearchValue)),
            SearchExpr::In { .. }
            | SearchExpr::Modifier { .. }
            | SearchExpr::Macro(_)
            | SearchExpr::Subsearch(_) => return None,
        };
        if wrapped {
            return None;
        }
        expr = next;
    }
}

/// Pushes the `)` that closes a group or list whose last printed token is `last`.
///
/// A search word keeps a `(` it opened until a later `)` closes it (`*GetCurrent()*` is one
/// word), so a word such as `eval(`, read from `(eval( )`, would swallow a `)` printed right
/// after it; a space keeps them apart.
fn close_after_word(out: &mut String, last: Option<(&Literal, Mode)>) {
    if last.is_some_and(|(word, mode)| swallows_close(word, mode)) {
        out.push(' ');
    }
    out.push(')');
}

/// Whether a bare `word` printed directly before `)` would be lexed with the `)` in it.
fn swallows_close(word: &Literal, mode: Mode) -> bool {
    if word.quote != Quote::None || !word.value.contains('(') {
        return false;
    }
    let mut text = String::new();
    word_into(&mut text, word);
    let printed = text.len();
    text.push(')');
    Lexer::new(&text).next(mode).end > printed
}

// ----- eval grammar -----

/// Binding power of an expression's top operator (atoms bind tightest).
fn precedence(expr: &Expr) -> u8 {
    match expr {
        Expr::Binary { op, .. } => op.precedence(),
        Expr::Unary {
            op: UnaryOp::Not, ..
        } => NOT_PRECEDENCE,
        Expr::Unary {
            op: UnaryOp::Neg, ..
        } => NEG_PRECEDENCE,
        Expr::In { .. } => BinaryOp::Like.precedence(),
        _ => NEG_PRECEDENCE + 1,
    }
}

fn expr_wrapped(out: &mut String, expr: &Expr, wrap: bool) {
    if wrap {
        out.push('(');
        expr_into(out, expr);
        out.push(')');
    } else {
        expr_into(out, expr);
    }
}

fn expr_into(out: &mut String, expr: &Expr) {
    match expr {
        Expr::Binary { op, lhs, rhs, .. } => {
            let own = op.precedence();
            // Keep the parentheses of `(x + 1) . "s"`: `.` and `+` share a level only by our
            // choice, and the parser lints the unparenthesised mix.
            let mixed = matches!(
                binary_op(lhs),
                Some(inner) if own == BinaryOp::Add.precedence()
                    && (inner == BinaryOp::Concat) != (*op == BinaryOp::Concat)
            );
            expr_wrapped(out, lhs, precedence(lhs) < own || mixed);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            expr_wrapped(out, rhs, precedence(rhs) <= own);
        }
        Expr::Unary { op, operand, .. } => {
            let own = match op {
                UnaryOp::Not => {
                    out.push_str("NOT ");
                    NOT_PRECEDENCE
                }
                UnaryOp::Neg => {
                    out.push('-');
                    NEG_PRECEDENCE
                }
            };
            expr_wrapped(out, operand, precedence(operand) < own);
        }
        Expr::In { lhs, list, .. } => {
            expr_wrapped(out, lhs, precedence(lhs) < BinaryOp::Like.precedence());
            out.push_str(" IN (");
            exprs_into(out, list);
            out.push(')');
        }
        Expr::Call { name, args, .. } => {
            out.push_str(&name.value);
            out.push('(');
            exprs_into(out, args);
            out.push(')');
        }
        Expr::Field(lit) => match lit.quote {
            Quote::None => out.push_str(&lit.value),
            _ => literal_into(out, lit, Escapes::Single),
        },
        Expr::String(lit) => literal_into(out, lit, Escapes::Eval),
        Expr::Number(number) => out.push_str(&number.literal.value),
        Expr::Macro(call) => macro_into(out, call),
    }
}

fn exprs_into(out: &mut String, exprs: &[Expr]) {
    for (index, expr) in exprs.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        expr_into(out, expr);
    }
}

// ----- commands -----

fn options_into(out: &mut String, options: &[Opt]) {
    for opt in options {
        out.push(' ');
        word_into(out, &opt.name);
        space_before_eq(out, &opt.name);
        out.push('=');
        match &opt.value {
            OptValue::Literal(lit) => word_into(out, lit),
            OptValue::Search { expr, .. } => search_group_into(out, expr),
        }
    }
}

fn words_into(out: &mut String, words: &[Literal], separator: &str) {
    for (index, word) in words.iter().enumerate() {
        out.push_str(if index == 0 { " " } else { separator });
        word_into(out, word);
    }
}

fn args_into(out: &mut String, args: &Args, fields_first: bool) {
    if fields_first {
        words_into(out, &args.fields, " ");
        options_into(out, &args.options);
    } else {
        options_into(out, &args.options);
        words_into(out, &args.fields, " ");
    }
}

fn mappings_into(out: &mut String, mappings: &[FieldMapping]) {
    for (index, mapping) in mappings.iter().enumerate() {
        out.push_str(if index == 0 { " " } else { ", " });
        word_into(out, &mapping.field);
        if let Some(alias) = &mapping.alias {
            out.push_str(" AS ");
            word_into(out, alias);
        }
    }
}

fn aggregations_into(out: &mut String, aggregations: &[Aggregation]) {
    for (index, agg) in aggregations.iter().enumerate() {
        // After an aggregation, a bare `as` starts its alias; a comma keeps a function
        // named `as` a new aggregation.
        let reads_as_alias =
            index > 0 && agg.name.quote == Quote::None && agg.name.value.eq_ignore_ascii_case("as");
        out.push_str(if reads_as_alias { ", " } else { " " });
        word_into(out, &agg.name);
        match &agg.argument {
            Some(AggArgument::Field(field)) => {
                out.push('(');
                word_into(out, field);
                out.push(')');
            }
            Some(AggArgument::Eval { expr, .. }) => {
                out.push_str("(eval(");
                expr_into(out, expr);
                out.push_str("))");
            }
            None => {}
        }
        if let Some(alias) = &agg.alias {
            out.push_str(" as ");
            word_into(out, alias);
        }
    }
}

fn by_into(out: &mut String, by: &[Literal], by_options: &[Opt]) {
    if !by.is_empty() {
        out.push_str(" by");
        words_into(out, by, " ");
        options_into(out, by_options);
    }
}

fn command_into(out: &mut String, command: &Command) {
    match &command.kind {
        CommandKind::Search { expr, .. } => {
            out.push_str("search");
            if let Some(expr) = expr {
                out.push(' ');
                search_into(out, expr);
            }
        }
        CommandKind::Tstats(t) => {
            out.push_str("tstats");
            for call in &t.macros {
                out.push(' ');
                macro_into(out, call);
            }
            options_into(out, &t.options);
            aggregations_into(out, &t.aggregations);
            if !t.from.is_empty() {
                out.push_str(" from");
                options_into(out, &t.from);
            }
            if let Some(filter) = &t.filter {
                out.push_str(" where ");
                if has_bare_by(filter) {
                    search_group_into(out, filter);
                } else {
                    search_into(out, filter);
                }
            }
            by_into(out, &t.by, &t.by_options);
        }
        CommandKind::Stats(s) => {
            out.push_str(s.kind.as_str());
            options_into(out, &s.options);
            aggregations_into(out, &s.aggregations);
            by_into(out, &s.by, &s.by_options);
        }
        CommandKind::Where { expr, .. } => {
            out.push_str("where ");
            expr_into(out, expr);
        }
        CommandKind::Eval { assignments, .. } => {
            out.push_str("eval");
            for (index, assignment) in assignments.iter().enumerate() {
                out.push_str(if index == 0 { " " } else { ", " });
                word_into(out, &assignment.field);
                space_before_eq(out, &assignment.field);
                out.push('=');
                expr_into(out, &assignment.expr);
            }
        }
        CommandKind::Rename { pairs, .. } => {
            out.push_str("rename");
            mappings_into(out, pairs);
        }
        CommandKind::Table { fields, .. } => {
            out.push_str("table");
            words_into(out, fields, " ");
        }
        CommandKind::Fields { mode, fields, .. } => {
            // A first field named `-` or `+` would be read as the mode: spell `+` out then.
            let sign_first = fields
                .first()
                .is_some_and(|f| f.quote == Quote::None && matches!(f.value.as_str(), "-" | "+"));
            out.push_str(match mode {
                FieldsMode::Keep if sign_first => "fields +",
                FieldsMode::Keep => "fields",
                FieldsMode::Remove => "fields -",
            });
            words_into(out, fields, " ");
        }
        CommandKind::Convert {
            options,
            conversions,
            ..
        } => {
            out.push_str("convert");
            options_into(out, options);
            for conversion in conversions {
                out.push(' ');
                word_into(out, &conversion.function);
                out.push('(');
                word_into(out, &conversion.field);
                out.push(')');
                if let Some(alias) = &conversion.alias {
                    out.push_str(" AS ");
                    word_into(out, alias);
                }
            }
        }
        CommandKind::Bin { options, field, .. } => {
            out.push_str("bin");
            options_into(out, options);
            mappings_into(out, std::slice::from_ref(field));
        }
        CommandKind::Lookup(l) => {
            out.push_str("lookup");
            options_into(out, &l.options);
            out.push(' ');
            word_into(out, &l.table);
            mappings_into(out, &l.inputs);
            if let Some(mode) = l.output_mode {
                out.push_str(match mode {
                    OutputMode::Output => " OUTPUT",
                    OutputMode::OutputNew => " OUTPUTNEW",
                });
                mappings_into(out, &l.outputs);
            }
        }
        CommandKind::Rex {
            options, pattern, ..
        } => {
            out.push_str("rex");
            options_into(out, options);
            out.push(' ');
            word_into(out, pattern);
        }
        CommandKind::Regex {
            field,
            negated,
            pattern,
            ..
        } => {
            out.push_str("regex ");
            if let Some(field) = field {
                word_into(out, field);
                if !*negated {
                    space_before_eq(out, field);
                }
                out.push_str(if *negated { "!=" } else { "=" });
            }
            word_into(out, pattern);
        }
        CommandKind::Sort { limit, keys, .. } => {
            out.push_str("sort");
            if let Some(limit) = limit {
                out.push(' ');
                word_into(out, &limit.literal);
            }
            for (index, key) in keys.iter().enumerate() {
                // Without a limit, a bare all-digit first key would be read as the limit; a
                // leading comma keeps it a key.
                let reads_as_limit = index == 0
                    && limit.is_none()
                    && key.order == SortOrder::Default
                    && key.field.quote == Quote::None
                    && key.field.value.bytes().all(|b| b.is_ascii_digit());
                out.push_str(match (index, reads_as_limit) {
                    (_, true) => " , ",
                    (0, false) => " ",
                    _ => ", ",
                });
                match key.order {
                    SortOrder::Default => {}
                    SortOrder::Ascending => out.push('+'),
                    SortOrder::Descending => out.push('-'),
                }
                word_into(out, &key.field);
            }
        }
        CommandKind::Join {
            args, subsearch, ..
        }
        | CommandKind::Append {
            args, subsearch, ..
        }
        | CommandKind::Appendpipe {
            args, subsearch, ..
        }
        | CommandKind::Foreach {
            args,
            template: subsearch,
            ..
        } => {
            out.push_str(command.name());
            args_into(out, args, false);
            out.push(' ');
            subsearch_into(out, subsearch);
        }
        CommandKind::Transaction { args, .. } | CommandKind::Fromjson { args, .. } => {
            out.push_str(command.name());
            args_into(out, args, true);
        }
        CommandKind::Inputlookup { args, filter, .. } => {
            out.push_str("inputlookup");
            args_into(out, args, false);
            if let Some(filter) = filter {
                out.push_str(" where ");
                search_into(out, filter);
            }
        }
        CommandKind::Head { count, args, .. } => {
            out.push_str("head");
            if let Some(count) = count {
                out.push(' ');
                word_into(out, &count.literal);
            }
            args_into(out, args, false);
        }
        CommandKind::Fillnull { args, .. }
        | CommandKind::Dedup { args, .. }
        | CommandKind::Mvexpand { args, .. }
        | CommandKind::Spath { args, .. }
        | CommandKind::Iplocation { args, .. }
        | CommandKind::Xmlkv { args, .. }
        | CommandKind::Makemv { args, .. }
        | CommandKind::Addtotals { args, .. }
        | CommandKind::From { args, .. } => {
            out.push_str(command.name());
            args_into(out, args, false);
        }
        CommandKind::Replace { pairs, fields, .. } => {
            out.push_str("replace");
            for (index, pair) in pairs.iter().enumerate() {
                out.push_str(if index == 0 { " " } else { ", " });
                word_into(out, &pair.from);
                out.push_str(" WITH ");
                word_into(out, &pair.to);
            }
            out.push_str(" IN");
            words_into(out, fields, ", ");
        }
        CommandKind::Empty => {}
        CommandKind::Unsupported(unsupported) => {
            out.push_str(&unsupported.name);
            if !unsupported.args.is_empty() {
                out.push(' ');
                out.push_str(&unsupported.args);
            }
        }
        CommandKind::Invalid { text, .. } => out.push_str(text),
    }
}

/// Whether a `tstats where` clause holds a bare word `by` that, printed outside parentheses,
/// would end the clause (`where (by)` must not print as `where by`).
fn has_bare_by(filter: &SearchExpr) -> bool {
    struct FindBy(bool);
    impl Visitor<'_> for FindBy {
        fn enter(&mut self, node: Node<'_>, _depth: usize) -> Walk {
            let word = match node {
                // A subsearch's words are inside its brackets.
                Node::Pipeline(_) => return Walk::Skip,
                Node::Search(SearchExpr::Term { literal, .. }) => Some(literal),
                Node::Literal(Role::Field, field) => Some(field),
                _ => None,
            };
            self.0 = self.0
                || word.is_some_and(|word| {
                    word.quote == Quote::None && word.value.eq_ignore_ascii_case("by")
                });
            if self.0 { Walk::Skip } else { Walk::Children }
        }
    }
    let mut find = FindBy(false);
    walk(Node::Search(filter), &mut find);
    find.0
}

/// The top operator of a binary expression.
fn binary_op(expr: &Expr) -> Option<BinaryOp> {
    match expr {
        Expr::Binary { op, .. } => Some(*op),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printed(text: &str) -> String {
        let out = crate::spl::parse(text);
        assert!(!out.has_errors(), "{text}: {:?}", out.diagnostics);
        assert!(crate::spl::check_round_trip(text).is_ok());
        print_pipeline(&out.pipeline)
    }

    #[test]
    fn a_bare_by_in_a_tstats_filter_keeps_its_parentheses() {
        assert_eq!(
            printed("| tstats count where (by OR x=1) by host"),
            "| tstats count where (by OR x=1) by host"
        );
        assert_eq!(
            printed("| tstats count where (BY=2) by host"),
            "| tstats count where (BY=2) by host"
        );
        // Inside a subsearch the word is enclosed by brackets already.
        assert_eq!(
            printed("| tstats count where x=1 [search by] by host"),
            "| tstats count where x=1 [search by] by host"
        );
    }
}
