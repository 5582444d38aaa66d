//! The printer: canonical SPL from a [`Pipeline`], such that parsing the output gives the same
//! tree (spans and raw spellings aside; see [`crate::spl::structural_eq`]).
//!
//! It is a [`Visitor`] of the one walk ([`super::visit`]): the walk decides which children a
//! node has and in which order; the printer writes a node's own text (a keyword, an operator)
//! in `enter` and `leave`, and what its parent puts around a child (a separator, a keyword
//! between two lists, parentheses, the child itself when it is a literal, whose spelling
//! depends on where it stands) in `before_child` and `after_child`. It never recurses, so a
//! tree of any depth prints.
//!
//! It parenthesises by precedence (search grammar: an `AND` inside an `OR`, any `AND`/`OR`
//! under `NOT`, and nested chains of the same operator; eval grammar: by binding power),
//! and re-escapes every literal from its decoded value. Comments are not printed.

use std::ptr;

use super::lexer::{Lexer, Mode};
use super::visit::{Child, MappingRole, Node, Role, Visitor, Walk, walk};

use super::ast::{
    Aggregation, BinaryOp, CommandKind, Expr, FieldsMode, Literal, MacroCall, NEG_PRECEDENCE,
    NOT_PRECEDENCE, OutputMode, Pipeline, Quote, SearchExpr, SortOrder, TermModifier, UnaryOp,
};

/// Prints `pipeline` as canonical SPL.
#[must_use]
pub(crate) fn print_pipeline(pipeline: &Pipeline) -> String {
    let mut printer = Printer {
        root: pipeline,
        out: String::new(),
        last_word: None,
        leading_searches: Vec::new(),
        fields_first: Vec::new(),
    };
    walk(Node::Pipeline(pipeline), &mut printer);
    printer.out
}

struct Printer<'a> {
    /// The pipeline printed; every other pipeline is a subsearch's.
    root: &'a Pipeline,
    out: String,
    /// The bare word printed last and the lexer mode that reads it back, while nothing has
    /// been printed after it: a `)` printed next may need a space ([`close_after_word`]).
    last_word: Option<(&'a Literal, Mode)>,
    /// Where each open leading `search` command starts in `out` (its keyword, printed by
    /// `enter`, is dropped when its text turns out not to need it).
    leading_searches: Vec<usize>,
    /// For each open `transaction` or `fromjson`, whose fields print before its options: where
    /// its options start in `out` and, once its first field is reached, the options' text.
    fields_first: Vec<(usize, Option<String>)>,
}

/// How a child is enclosed in parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// A search-grammar group, its `)` kept apart from a last word that would swallow it.
    Search,
    /// An eval-grammar group.
    Eval,
}

impl<'a> Visitor<'a> for Printer<'a> {
    fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
        match node {
            Node::Command(command) => self.command(&command.kind),
            Node::Search(expr) => self.search(expr),
            Node::Expr(expr) => self.expr(expr),
            Node::Opt(opt) => {
                self.push(" ");
                self.word(&opt.name);
                self.space_before_eq(&opt.name);
                self.push("=");
            }
            Node::Aggregation(agg) => self.word(&agg.name),
            Node::AggEval(..) => self.push("(eval("),
            Node::TstatsFrom(_) => self.push(" from"),
            Node::TstatsWhere(_) => self.push(" where "),
            Node::Conversion(conversion) => {
                self.push(" ");
                self.word(&conversion.function);
                self.push("(");
            }
            Node::SortKey(key) => match key.order {
                SortOrder::Default => {}
                SortOrder::Ascending => self.push("+"),
                SortOrder::Descending => self.push("-"),
            },
            Node::Subsearch(_) => self.push("["),
            Node::UnsupportedArgs(unsupported) => {
                self.push(" ");
                self.push(&unsupported.args);
            }
            Node::Macro(call) => self.macro_call(call),
            // Nothing of their own: their parent's hooks and their children print them (a
            // literal in `before_child`, since how it is spelled depends on its parent).
            Node::Pipeline(_)
            | Node::OptGroup(..)
            | Node::Assignment(_)
            | Node::Mapping(..)
            | Node::ReplacePair(_)
            | Node::Literal(..) => {}
        }
        Walk::Children
    }

    fn leave(&mut self, node: Node<'a>, _depth: usize) {
        match node {
            Node::Command(command) => match &command.kind {
                // A keyword with nothing after it: no child to print it before.
                CommandKind::Lookup(lookup) if lookup.outputs.is_empty() => {
                    self.output_keyword(lookup.output_mode);
                }
                CommandKind::Replace { fields, .. } if fields.is_empty() => self.push(" IN"),
                CommandKind::Transaction { .. } | CommandKind::Fromjson { .. } => {
                    if let Some((_, Some(options))) = self.fields_first.pop() {
                        self.push(&options);
                    }
                }
                _ => {}
            },
            Node::Search(SearchExpr::In { .. }) => self.close(Group::Search),
            Node::Search(SearchExpr::Subsearch(_)) | Node::Subsearch(_) => self.push("]"),
            Node::Expr(Expr::In { .. } | Expr::Call { .. }) => self.push(")"),
            Node::AggEval(..) => self.push("))"),
            _ => {}
        }
    }

    fn before_child(&mut self, child: Child<'a>) {
        self.separator(child);
        if group(child).is_some() {
            self.push("(");
        }
        if let Node::Literal(role, literal) = child.node {
            self.literal(child, role, literal);
        }
    }

    fn after_child(&mut self, child: Child<'a>) {
        if let Some(group) = group(child) {
            self.close(group);
        }
        match (child.parent, child.node) {
            (Node::Pipeline(pipeline), Node::Command(command)) if child.index == 0 => {
                if let CommandKind::Search { expr, .. } = &command.kind {
                    self.leading_search_done(pipeline, expr.is_some());
                }
            }
            (Node::Expr(Expr::In { .. }), _) if child.index == 0 => self.push(" IN ("),
            (Node::Conversion(_), Node::Literal(Role::Field, _)) => self.push(")"),
            _ => {}
        }
    }
}

impl<'a> Printer<'a> {
    fn push(&mut self, text: &str) {
        self.last_word = None;
        self.out.push_str(text);
    }

    /// A word of the search grammar or of a command's arguments.
    fn word(&mut self, lit: &Literal) {
        self.last_word = None;
        word_into(&mut self.out, lit);
    }

    fn literal_with(&mut self, lit: &Literal, escapes: Escapes) {
        self.last_word = None;
        literal_into(&mut self.out, lit, escapes);
    }

    /// A word that a `)` may follow, read back in `mode`.
    fn last_word(&mut self, lit: &'a Literal, mode: Mode) {
        word_into(&mut self.out, lit);
        self.last_word = Some((lit, mode));
    }

    /// Before a `=` that follows `word`: a space when the bare word ends in `!`, so `a! = b`
    /// does not print as `a!=b` (the field `a` and the operator `!=`).
    fn space_before_eq(&mut self, word: &Literal) {
        if word.quote == Quote::None && word.value.ends_with('!') {
            self.push(" ");
        }
    }

    fn macro_call(&mut self, call: &MacroCall) {
        self.push("`");
        self.push(&call.text);
        self.push("`");
    }

    /// Closes a group opened by `(`.
    fn close(&mut self, group: Group) {
        if group == Group::Search {
            close_after_word(&mut self.out, self.last_word);
        } else {
            self.out.push(')');
        }
        self.last_word = None;
    }

    fn output_keyword(&mut self, mode: Option<OutputMode>) {
        match mode {
            Some(OutputMode::Output) => self.push(" OUTPUT"),
            Some(OutputMode::OutputNew) => self.push(" OUTPUTNEW"),
            None => {}
        }
    }

    /// A command's keyword; its arguments are its children.
    fn command(&mut self, kind: &'a CommandKind) {
        match kind {
            CommandKind::Search { expr, .. } => {
                self.push("search");
                if expr.is_some() {
                    self.push(" ");
                }
            }
            CommandKind::Fields { mode, fields } => {
                // A first field named `-` or `+` would be read as the mode: spell `+` out then.
                let sign_first = fields.first().is_some_and(|f| {
                    f.quote == Quote::None && matches!(f.value.as_str(), "-" | "+")
                });
                self.push(match mode {
                    FieldsMode::Keep if sign_first => "fields +",
                    FieldsMode::Keep => "fields",
                    FieldsMode::Remove => "fields -",
                });
            }
            CommandKind::Regex { .. } => self.push("regex "),
            CommandKind::Where { .. } => self.push("where "),
            CommandKind::Invalid { text } => self.push(text),
            CommandKind::Transaction { .. } | CommandKind::Fromjson { .. } => {
                self.push(kind.name());
                self.fields_first.push((self.out.len(), None));
            }
            _ => self.push(kind.name()),
        }
    }

    /// The leading `search` of `pipeline` is printed: drop its keyword unless a subsearch
    /// needs it, the pipeline would start with `|` without it, or its text would read as it.
    fn leading_search_done(&mut self, pipeline: &Pipeline, has_expr: bool) {
        let Some(start) = self.leading_searches.pop() else {
            return;
        };
        let keyword = if has_expr { "search " } else { "search" };
        let text = self.out.get(start + keyword.len()..).unwrap_or_default();
        let needs_keyword = !ptr::eq(pipeline, self.root)
            || (!has_expr && pipeline.commands.len() > 1)
            || starts_with_search_word(text);
        if !needs_keyword {
            self.out.replace_range(start..start + keyword.len(), "");
        } else if has_expr && text.is_empty() {
            // `search` with an expression that prints as nothing: no space after it.
            self.out.pop();
        }
    }

    fn search(&mut self, expr: &'a SearchExpr) {
        match expr {
            SearchExpr::Not { .. } => self.push("NOT "),
            SearchExpr::Term { literal, .. } => self.last_word(literal, Mode::SearchField),
            SearchExpr::Modifier { kind, literal, .. } => {
                self.push(match kind {
                    TermModifier::Term => "TERM(",
                    TermModifier::Case => "CASE(",
                });
                self.last_word(literal, Mode::SearchValue);
                self.close(Group::Search);
            }
            SearchExpr::Macro(call) => self.macro_call(call),
            SearchExpr::Subsearch(_) => self.push("["),
            SearchExpr::And { .. }
            | SearchExpr::Or { .. }
            | SearchExpr::Compare { .. }
            | SearchExpr::In { .. } => {}
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Unary { op, .. } => self.push(match op {
                UnaryOp::Not => "NOT ",
                UnaryOp::Neg => "-",
            }),
            Expr::Call { name, .. } => {
                self.push(&name.value);
                self.push("(");
            }
            Expr::Field(lit) => match lit.quote {
                Quote::None => self.push(&lit.value),
                _ => self.literal_with(lit, Escapes::Single),
            },
            Expr::String(lit) => self.literal_with(lit, Escapes::Eval),
            Expr::Number(number) => self.push(&number.literal.value),
            Expr::Macro(call) => self.macro_call(call),
            Expr::Binary { .. } | Expr::In { .. } => {}
        }
    }

    /// What stands before `child`, after its previous sibling.
    fn separator(&mut self, child: Child<'a>) {
        let Child {
            parent,
            index,
            node,
        } = child;
        match (parent, node) {
            (Node::Pipeline(_), Node::Command(command)) => match (&command.kind, index) {
                (_, 1..) => self.push(" | "),
                (CommandKind::Search { .. }, 0) => self.leading_searches.push(self.out.len()),
                (_, 0) => self.push("| "),
            },
            (Node::Search(SearchExpr::And { .. }), Node::Search(operand)) if index > 0 => {
                // `a IN (b c)` reads as a list test; `a AND IN (b c)` keeps the term `IN`.
                self.push(if is_bare_in(operand) { " AND " } else { " " });
            }
            (Node::Search(SearchExpr::Or { .. }), _) if index > 0 => self.push(" OR "),
            // The field is printed with the list's opening.
            (Node::Search(SearchExpr::In { .. }), _) if index > 1 => self.push(", "),
            (Node::Expr(Expr::Binary { op, .. }), _) if index > 0 => {
                self.push(" ");
                self.push(op.as_str());
                self.push(" ");
            }
            (Node::Expr(Expr::In { .. }), _) if index > 1 => self.push(", "),
            (Node::Expr(Expr::Call { .. }), _) if index > 0 => self.push(", "),
            (Node::Assignment(assignment), Node::Expr(_)) => {
                self.space_before_eq(&assignment.field);
                self.push("=");
            }
            (Node::Command(command), _) => self.argument_separator(&command.kind, node),
            _ => {}
        }
    }

    /// What stands before a command's argument `node` (literals print their own).
    fn argument_separator(&mut self, kind: &'a CommandKind, node: Node<'a>) {
        match (kind, node) {
            (_, Node::Macro(_) | Node::Subsearch(_)) => self.push(" "),
            (CommandKind::Tstats(tstats), Node::Aggregation(agg)) => {
                self.aggregation_separator(&tstats.aggregations, agg);
            }
            (CommandKind::Stats(stats), Node::Aggregation(agg)) => {
                self.aggregation_separator(&stats.aggregations, agg);
            }
            // Options after `by` with no field (no parse gives that): keep them after `by`.
            (CommandKind::Tstats(tstats), Node::Opt(opt))
                if tstats.by.is_empty() && is_first(&tstats.by_options, opt) =>
            {
                self.push(" by");
            }
            (CommandKind::Stats(stats), Node::Opt(opt))
                if stats.by.is_empty() && is_first(&stats.by_options, opt) =>
            {
                self.push(" by");
            }
            (CommandKind::Eval { assignments }, Node::Assignment(assignment)) => {
                self.push(if is_first(assignments, assignment) {
                    " "
                } else {
                    ", "
                });
            }
            (CommandKind::Rename { pairs }, Node::Mapping(_, pair)) => {
                self.push(if is_first(pairs, pair) { " " } else { ", " });
            }
            (CommandKind::Bin { .. }, Node::Mapping(..)) => self.push(" "),
            (CommandKind::Lookup(lookup), Node::Mapping(MappingRole::Input, mapping)) => {
                self.push(if is_first(&lookup.inputs, mapping) {
                    " "
                } else {
                    ", "
                });
            }
            (CommandKind::Lookup(lookup), Node::Mapping(_, mapping)) => {
                if is_first(&lookup.outputs, mapping) {
                    self.output_keyword(lookup.output_mode);
                    self.push(" ");
                } else {
                    self.push(", ");
                }
            }
            (CommandKind::Sort { limit, keys }, Node::SortKey(key)) => {
                // Without a limit, a bare all-digit first key would be read as the limit; a
                // leading comma keeps it a key.
                let first = is_first(keys, key);
                let reads_as_limit = first
                    && limit.is_none()
                    && key.order == SortOrder::Default
                    && key.field.quote == Quote::None
                    && key.field.value.bytes().all(|b| b.is_ascii_digit());
                self.push(match (first, reads_as_limit) {
                    (_, true) => " , ",
                    (true, false) => " ",
                    (false, false) => ", ",
                });
            }
            (CommandKind::Replace { pairs, .. }, Node::ReplacePair(pair)) => {
                self.push(if is_first(pairs, pair) { " " } else { ", " });
            }
            _ => {}
        }
    }

    fn aggregation_separator(&mut self, aggregations: &[Aggregation], agg: &Aggregation) {
        // After an aggregation, a bare `as` starts its alias; a comma keeps a function
        // named `as` a new aggregation.
        let reads_as_alias = !is_first(aggregations, agg)
            && agg.name.quote == Quote::None
            && agg.name.value.eq_ignore_ascii_case("as");
        self.push(if reads_as_alias { ", " } else { " " });
    }

    /// A literal child and what its parent puts right around it.
    fn literal(&mut self, child: Child<'a>, role: Role, lit: &'a Literal) {
        match child.parent {
            Node::Search(SearchExpr::Compare { field, op, .. }) if role == Role::Value => {
                if op.as_str().starts_with('=') {
                    self.space_before_eq(field);
                }
                self.push(op.as_str());
                if lit.quote == Quote::None && lit.value.starts_with('=') {
                    // `x< =5` must not print as `x<=5`.
                    self.push(" ");
                }
                self.last_word(lit, Mode::SearchValue);
            }
            Node::Search(SearchExpr::In { .. }) if role == Role::Value => {
                self.last_word(lit, Mode::SearchList);
            }
            Node::Search(SearchExpr::In { .. }) => {
                self.word(lit);
                self.push(" IN (");
            }
            Node::Aggregation(_) if role == Role::Field => {
                self.push("(");
                self.word(lit);
                self.push(")");
            }
            Node::Aggregation(_) => {
                self.push(" as ");
                self.word(lit);
            }
            Node::Mapping(..) | Node::Conversion(_) if role == Role::As => {
                self.push(" AS ");
                self.word(lit);
            }
            Node::ReplacePair(_) if role == Role::To => {
                self.push(" WITH ");
                self.word(lit);
            }
            Node::Command(command) => self.argument(&command.kind, role, lit),
            _ => self.word(lit),
        }
    }

    /// A literal argument of a command.
    fn argument(&mut self, kind: &'a CommandKind, role: Role, lit: &'a Literal) {
        match (kind, role) {
            (CommandKind::Regex { field, negated, .. }, Role::Pattern) => {
                if let Some(field) = field {
                    if !*negated {
                        self.space_before_eq(field);
                    }
                    self.push(if *negated { "!=" } else { "=" });
                }
            }
            (CommandKind::Regex { .. }, _) => {}
            (CommandKind::Replace { fields, .. }, Role::In) => {
                self.push(if is_first(fields, lit) { " IN " } else { ", " });
            }
            (CommandKind::Tstats(tstats), Role::By) if is_first(&tstats.by, lit) => {
                self.push(" by ");
            }
            (CommandKind::Stats(stats), Role::By) if is_first(&stats.by, lit) => {
                self.push(" by ");
            }
            (
                CommandKind::Transaction { args, .. } | CommandKind::Fromjson { args, .. },
                Role::Field,
            ) => {
                if is_first(&args.fields, lit) {
                    self.defer_options();
                }
                self.push(" ");
            }
            _ => self.push(" "),
        }
        self.word(lit);
    }

    /// The first field of a `transaction` or `fromjson` is reached: its options, printed
    /// already, move after its fields.
    fn defer_options(&mut self) {
        if let Some((start, deferred)) = self.fields_first.last_mut() {
            *deferred = Some(self.out.split_off(*start));
        }
    }
}

/// Whether `item` is the first of `items` (by address: the walk hands out references into
/// the tree).
fn is_first<T>(items: &[T], item: &T) -> bool {
    items.first().is_some_and(|first| ptr::eq(first, item))
}

/// How `child` is enclosed in parentheses, if it is.
fn group(child: Child<'_>) -> Option<Group> {
    match (child.parent, child.node) {
        (Node::Search(parent), Node::Search(operand)) => {
            let wraps = match parent {
                SearchExpr::And { .. } => wraps_in_and(operand),
                SearchExpr::Or { .. } | SearchExpr::Not { .. } => wraps_in_or_or_not(operand),
                _ => false,
            };
            wraps.then_some(Group::Search)
        }
        (Node::OptGroup(..), _) => Some(Group::Search),
        (Node::TstatsWhere(filter), _) => has_bare_by(filter).then_some(Group::Search),
        (Node::Expr(parent), Node::Expr(operand)) => {
            eval_wraps(parent, child.index, operand).then_some(Group::Eval)
        }
        _ => None,
    }
}

/// Whether the eval operand at `index` of `parent` is printed in parentheses.
fn eval_wraps(parent: &Expr, index: usize, operand: &Expr) -> bool {
    match parent {
        Expr::Binary { op, lhs, .. } if index == 0 => {
            let own = op.precedence();
            // Keep the parentheses of `(x + 1) . "s"`: `.` and `+` share a level only by our
            // choice, and the parser lints the unparenthesised mix.
            let mixed = matches!(
                &**lhs,
                Expr::Binary { op: inner, .. } if own == BinaryOp::Add.precedence()
                    && (*inner == BinaryOp::Concat) != (*op == BinaryOp::Concat)
            );
            precedence(operand) < own || mixed
        }
        Expr::Binary { op, .. } => precedence(operand) <= op.precedence(),
        Expr::Unary {
            op: UnaryOp::Not, ..
        } => precedence(operand) < NOT_PRECEDENCE,
        Expr::Unary {
            op: UnaryOp::Neg, ..
        } => precedence(operand) < NEG_PRECEDENCE,
        Expr::In { .. } if index == 0 => precedence(operand) < BinaryOp::Like.precedence(),
        _ => false,
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

// ----- search grammar -----

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spl::TextRange;
    use crate::spl::ast::ValueKind;

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

    /// A pipeline of one command.
    fn pipeline(kind: CommandKind) -> Pipeline {
        Pipeline {
            range: TextRange::default(),
            commands: vec![super::super::ast::Command {
                range: TextRange::default(),
                kind,
            }],
        }
    }

    fn word(value: &str) -> Literal {
        Literal {
            range: TextRange::default(),
            value: value.to_owned(),
            quote: Quote::None,
        }
    }

    fn term(value: &str) -> SearchExpr {
        SearchExpr::Term {
            range: TextRange::default(),
            literal: word(value),
            kind: ValueKind::Exact,
        }
    }

    #[test]
    fn deep_trees_print_without_overflowing_the_stack() {
        // Far deeper than the parser allows (it stops at 32 levels): only a printer driven by
        // the heap-based walk gets through. Each tree is taken apart in a loop afterwards, as
        // dropping it recursively would overflow too.
        const DEPTH: usize = 100_000;
        let range = TextRange::default();

        // `NOT NOT … x`
        let mut not = term("x");
        for _ in 0..DEPTH {
            not = SearchExpr::Not {
                range,
                operand: Box::new(not),
            };
        }
        let mut tree = pipeline(CommandKind::Search { expr: Some(not) });
        assert_eq!(print_pipeline(&tree), "NOT ".repeat(DEPTH) + "x");
        if let CommandKind::Search {
            expr: Some(mut expr),
        } = tree.commands.remove(0).kind
        {
            while let SearchExpr::Not { operand, .. } = expr {
                expr = *operand;
            }
        }

        // `a (a (a … (a b)))`: every nested group opened and closed.
        let mut and = term("b");
        for _ in 1..DEPTH {
            and = SearchExpr::And {
                range,
                operands: vec![term("a"), and],
            };
        }
        tree = pipeline(CommandKind::Search { expr: Some(and) });
        let groups = DEPTH - 2;
        assert_eq!(
            print_pipeline(&tree),
            "a (".repeat(groups) + "a b" + &")".repeat(groups)
        );
        if let CommandKind::Search {
            expr: Some(mut expr),
        } = tree.commands.remove(0).kind
        {
            while let SearchExpr::And { mut operands, .. } = expr {
                expr = operands.pop().unwrap();
            }
        }

        // `| where y - (y - (… - x))`: eval parentheses by binding power.
        let mut difference = Expr::Field(word("x"));
        for _ in 1..DEPTH {
            difference = Expr::Binary {
                range,
                op: BinaryOp::Sub,
                lhs: Box::new(Expr::Field(word("y"))),
                rhs: Box::new(difference),
            };
        }
        tree = pipeline(CommandKind::Where { expr: difference });
        assert_eq!(
            print_pipeline(&tree),
            "| where ".to_owned() + &"y - (".repeat(groups) + "y - x" + &")".repeat(groups)
        );
        if let CommandKind::Where { mut expr } = tree.commands.remove(0).kind {
            while let Expr::Binary { rhs, .. } = expr {
                expr = *rhs;
            }
        }
    }
}
