//! Text views of a tree: [`dump`] renders an indented tree (used by snapshots and
//! `detc compile --explain`); [`structural_eq`] compares two trees with spans and raw
//! spellings ignored, which is what the round-trip tests check. Both walk with
//! [`super::visit`].

use std::fmt::Write as _;

use super::TextRange;
use super::ast::{Command, CommandKind, Expr, Literal, OutputMode, Pipeline, Quote, SearchExpr};
use super::visit::{Node, Visitor, Walk, walk};

/// What [`dump_with`] shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpMode<'t> {
    /// Ranges and raw spellings (taken from the text the tree was parsed from) included
    /// (snapshots, `--explain`).
    Full(&'t str),
    /// Only structure and decoded values (span-free comparison).
    Structural,
}

/// An indented tree of the pipeline parsed from `text`, with ranges and raw spellings.
#[must_use]
pub fn dump(pipeline: &Pipeline, text: &str) -> String {
    dump_with(pipeline, DumpMode::Full(text))
}

/// An indented tree of the pipeline in the given mode.
#[must_use]
pub fn dump_with(pipeline: &Pipeline, mode: DumpMode<'_>) -> String {
    let mut dumper = Dumper {
        out: String::new(),
        mode,
    };
    walk(Node::Pipeline(pipeline), &mut dumper);
    dumper.out
}

/// Whether two pipelines have the same structure and decoded values (spans, raw spellings,
/// comments and redundant parentheses ignored).
#[must_use]
pub fn structural_eq(a: &Pipeline, b: &Pipeline) -> bool {
    dump_with(a, DumpMode::Structural) == dump_with(b, DumpMode::Structural)
}

struct Dumper<'t> {
    out: String,
    mode: DumpMode<'t>,
}

impl Visitor<'_> for Dumper<'_> {
    fn enter(&mut self, node: Node<'_>, depth: usize) -> Walk {
        match node {
            Node::Pipeline(pipeline) => self.line(depth, "Pipeline", pipeline.range),
            Node::Subsearch(sub) => self.line(depth, "Subsearch", sub.range),
            Node::Command(command) => self.command(command, depth),
            Node::Search(expr) => self.search(expr, depth),
            Node::Expr(expr) => self.expr(expr, depth),
            Node::Opt(opt) => {
                let label = format!("Option {}", self.literal_text(&opt.name));
                self.line(depth, &label, opt.range);
            }
            Node::OptGroup(range, _) => self.line(depth, "Group", range),
            Node::Aggregation(agg) => {
                let label = format!("Aggregation {}", self.literal_text(&agg.name));
                self.line(depth, &label, agg.range);
            }
            Node::AggEval(range, _) => self.line(depth, "Eval", range),
            Node::TstatsFrom(options) => {
                if let (Some(first), Some(last)) = (options.first(), options.last()) {
                    self.line(depth, "From", first.range.cover(last.range));
                }
            }
            Node::TstatsWhere(filter) => self.line(depth, "Where", filter.range()),
            Node::Assignment(assignment) => self.line(depth, "Assign", assignment.range),
            Node::Mapping(role, mapping) => self.line(depth, role.as_str(), mapping.range),
            Node::Conversion(conversion) => {
                let label = format!("Conversion {}", self.literal_text(&conversion.function));
                self.line(depth, &label, conversion.range);
            }
            Node::SortKey(key) => {
                let label = format!("Key {:?}", key.order);
                self.line(depth, &label, key.range);
            }
            Node::ReplacePair(pair) => self.line(depth, "With", pair.range),
            Node::UnsupportedArgs(unsupported) => {
                let label = format!("args {:?}", unsupported.args);
                self.line(depth, &label, unsupported.args_range);
            }
            Node::Literal(role, lit) => self.literal(depth, role.as_str(), lit),
            Node::Macro(call) => self.macro_call(depth, call),
        }
        Walk::Children
    }
}

impl Dumper<'_> {
    fn line(&mut self, depth: usize, label: &str, range: TextRange) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(label);
        if matches!(self.mode, DumpMode::Full(_)) {
            let _ = write!(self.out, " @{}..{}", range.start, range.end);
        }
        self.out.push('\n');
    }

    fn literal_text(&self, lit: &Literal) -> String {
        let quote = match lit.quote {
            Quote::None => "word",
            Quote::Double => "dq",
            Quote::Single => "sq",
        };
        match self.mode {
            DumpMode::Full(text) if lit.raw(text) != lit.value => {
                format!("{quote} {:?} (raw {:?})", lit.value, lit.raw(text))
            }
            _ => format!("{quote} {:?}", lit.value),
        }
    }

    fn literal(&mut self, depth: usize, role: &str, lit: &Literal) {
        let text = format!("{role}: {}", self.literal_text(lit));
        self.line(depth, &text, lit.range);
    }

    fn macro_call(&mut self, depth: usize, call: &super::ast::MacroCall) {
        let label = format!("Macro {:?}", call.text);
        self.line(depth, &label, call.range);
    }

    fn command(&mut self, command: &Command, depth: usize) {
        let label = match &command.kind {
            CommandKind::Search { .. } => "Search".to_owned(),
            CommandKind::Stats(s) => format!("Stats {}", s.kind.as_str()),
            CommandKind::Fields { mode, .. } => format!("Fields {mode:?}"),
            CommandKind::Lookup(l) => match l.output_mode {
                Some(OutputMode::Output) => "Lookup Output".to_owned(),
                Some(OutputMode::OutputNew) => "Lookup OutputNew".to_owned(),
                None => "Lookup".to_owned(),
            },
            CommandKind::Regex { negated: true, .. } => "Regex !=".to_owned(),
            CommandKind::Regex { negated: false, .. } => "Regex =".to_owned(),
            CommandKind::Empty => "Empty".to_owned(),
            CommandKind::Unsupported(unsupported) => format!("Unsupported {:?}", unsupported.name),
            CommandKind::Invalid { text } => format!("Invalid {text:?}"),
            _ => capitalised(command.name()),
        };
        self.line(depth, &label, command.range);
    }

    fn search(&mut self, expr: &SearchExpr, depth: usize) {
        match expr {
            SearchExpr::And { range, .. } => self.line(depth, "And", *range),
            SearchExpr::Or { range, .. } => self.line(depth, "Or", *range),
            SearchExpr::Not { range, .. } => self.line(depth, "Not", *range),
            SearchExpr::Compare { range, op, .. } => {
                let label = format!("Compare {}", op.as_str());
                self.line(depth, &label, *range);
            }
            SearchExpr::In { range, .. } => self.line(depth, "In", *range),
            SearchExpr::Term { range, literal, .. } => {
                let label = format!("Term {}", self.literal_text(literal));
                self.line(depth, &label, *range);
            }
            SearchExpr::Modifier {
                range,
                kind,
                literal,
            } => {
                let label = format!("{kind:?} {}", self.literal_text(literal));
                self.line(depth, &label, *range);
            }
            SearchExpr::Macro(call) => self.macro_call(depth, call),
            SearchExpr::Subsearch(sub) => self.line(depth, "Subsearch", sub.range),
        }
    }

    fn expr(&mut self, expr: &Expr, depth: usize) {
        match expr {
            Expr::Binary { range, op, .. } => {
                let label = format!("Binary {}", op.as_str());
                self.line(depth, &label, *range);
            }
            Expr::Unary { range, op, .. } => {
                let label = format!("Unary {op:?}");
                self.line(depth, &label, *range);
            }
            Expr::In { range, .. } => self.line(depth, "In", *range),
            Expr::Call { range, name, .. } => {
                let label = format!("Call {:?}", name.value);
                self.line(depth, &label, *range);
            }
            Expr::Field(lit) => self.literal(depth, "Field", lit),
            Expr::String(lit) => self.literal(depth, "String", lit),
            Expr::Number(number) => self.literal(depth, "Number", &number.literal),
            Expr::Macro(call) => self.macro_call(depth, call),
        }
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
