//! The one walk over the SPL tree. [`children`] is the only place that lists what a node
//! holds, in text order; [`walk`] drives a [`Visitor`] over it with an explicit stack on the
//! heap (as regex-syntax's `ast::visit` does), so no tree, however deep, can overflow the
//! call stack. The dumper, the printer, the lint and `compile` all walk through here, so a
//! node added to the tree is seen by all of them or by none.

use super::TextRange;
use super::ast::{
    AggArgument, Aggregation, Assignment, Command, CommandKind, Conversion, Expr, FieldMapping,
    Literal, MacroCall, Opt, OptValue, Pipeline, ReplacePair, SearchExpr, SortKey, Subsearch,
    UnsupportedCommand,
};

/// What a literal is to the node holding it (the dumper prints it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A field name.
    Field,
    /// A compared or option value.
    Value,
    /// A `by` field.
    By,
    /// An `AS` alias.
    As,
    /// A lookup table name.
    Table,
    /// A regular expression.
    Pattern,
    /// The count of `sort` or `head`.
    Limit,
    /// What `replace` replaces.
    From,
    /// What `replace` puts instead.
    To,
    /// A field after `replace … IN`.
    In,
}

impl Role {
    /// The role as the dumper prints it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Field => "field",
            Role::Value => "value",
            Role::By => "by",
            Role::As => "as",
            Role::Table => "table",
            Role::Pattern => "pattern",
            Role::Limit => "limit",
            Role::From => "from",
            Role::To => "to",
            Role::In => "in",
        }
    }
}

/// What a [`FieldMapping`] is to its command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MappingRole {
    /// `rename a AS b`.
    Pair,
    /// The field of `bin`.
    Field,
    /// A lookup input.
    Input,
    /// A lookup output.
    Output,
}

impl MappingRole {
    /// The role as the dumper prints it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MappingRole::Pair => "Pair",
            MappingRole::Field => "Field",
            MappingRole::Input => "Input",
            MappingRole::Output => "Output",
        }
    }
}

/// A node of the tree, borrowed.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    /// A pipeline.
    Pipeline(&'a Pipeline),
    /// A `[ … ]` subsearch, template or subpipeline.
    Subsearch(&'a Subsearch),
    /// A command.
    Command(&'a Command),
    /// A search-grammar predicate.
    Search(&'a SearchExpr),
    /// An eval-grammar expression.
    Expr(&'a Expr),
    /// A `name=value` option.
    Opt(&'a Opt),
    /// A parenthesised search-grammar option value (`startswith=(…)`): its range and the
    /// predicate.
    OptGroup(TextRange, &'a SearchExpr),
    /// An aggregation.
    Aggregation(&'a Aggregation),
    /// `eval(…)` as an aggregation argument: its range and the expression.
    AggEval(TextRange, &'a Expr),
    /// The `from` clause of `tstats`.
    TstatsFrom(&'a [Opt]),
    /// The `where` clause of `tstats` or `inputlookup`.
    TstatsWhere(&'a SearchExpr),
    /// One `field = expr` of `eval`.
    Assignment(&'a Assignment),
    /// `from AS to`.
    Mapping(MappingRole, &'a FieldMapping),
    /// `fn(f) AS g` of `convert`.
    Conversion(&'a Conversion),
    /// A `sort` key.
    SortKey(&'a SortKey),
    /// `a WITH b` of `replace`.
    ReplacePair(&'a ReplacePair),
    /// The argument text of an unsupported command.
    UnsupportedArgs(&'a UnsupportedCommand),
    /// A literal and what it is to its parent.
    Literal(Role, &'a Literal),
    /// An unexpanded macro call.
    Macro(&'a MacroCall),
}

/// Whether [`walk`] descends into a node's children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    /// Visit the children.
    Children,
    /// Skip them (the node's [`Visitor::leave`] is not called either).
    Skip,
}

/// A node seen from its parent: what the hooks between children get.
#[derive(Clone, Copy, Debug)]
pub struct Child<'a> {
    /// The node the child belongs to.
    pub parent: Node<'a>,
    /// Its position among the parent's children, in [`children`] order, from 0.
    pub index: usize,
    /// The child itself.
    pub node: Node<'a>,
}

/// What [`walk`] calls for each node: `enter` before its children, `leave` after them.
/// `depth` is 0 for the node the walk starts at.
///
/// Between a parent's children it calls [`Visitor::before_child`] and
/// [`Visitor::after_child`] (regex-syntax's `visit_alternation_in` and
/// `visit_class_set_binary_op_in`, generalised to every parent): what a child is to its parent,
/// and so what stands between two children (a separator, a keyword, a parenthesis), is known
/// there and not in `enter`. The printer writes its syntax in these hooks.
pub trait Visitor<'a> {
    /// Called before the node's children.
    fn enter(&mut self, node: Node<'a>, depth: usize) -> Walk;

    /// Called after the node's children (not when `enter` returned [`Walk::Skip`]).
    fn leave(&mut self, node: Node<'a>, depth: usize) {
        let _ = (node, depth);
    }

    /// Called before a child is entered (the node the walk starts at is nobody's child).
    fn before_child(&mut self, child: Child<'a>) {
        let _ = child;
    }

    /// Called after a child is left, or after its `enter` when that returned [`Walk::Skip`].
    fn after_child(&mut self, child: Child<'a>) {
        let _ = child;
    }
}

/// Walks `root` and everything under it, depth first, in text order.
pub fn walk<'a, V: Visitor<'a>>(root: Node<'a>, visitor: &mut V) {
    // A node to enter or leave, with its depth and, below the root, where it sits.
    enum Step<'a> {
        Enter(Node<'a>, usize, Option<(Node<'a>, usize)>),
        Leave(Node<'a>, usize, Option<(Node<'a>, usize)>),
    }
    let as_child = |node, at: Option<(Node<'a>, usize)>| {
        at.map(|(parent, index)| Child {
            parent,
            index,
            node,
        })
    };
    let mut stack = vec![Step::Enter(root, 0, None)];
    let mut buffer = Vec::new();
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(node, depth, at) => {
                let child = as_child(node, at);
                if let Some(child) = child {
                    visitor.before_child(child);
                }
                if visitor.enter(node, depth) == Walk::Skip {
                    if let Some(child) = child {
                        visitor.after_child(child);
                    }
                    continue;
                }
                stack.push(Step::Leave(node, depth, at));
                buffer.clear();
                children(node, &mut buffer);
                stack.extend(
                    buffer
                        .drain(..)
                        .enumerate()
                        .rev()
                        .map(|(index, child)| Step::Enter(child, depth + 1, Some((node, index)))),
                );
            }
            Step::Leave(node, depth, at) => {
                visitor.leave(node, depth);
                if let Some(child) = as_child(node, at) {
                    visitor.after_child(child);
                }
            }
        }
    }
}

/// Every command of `pipeline` and of every pipeline nested in it (subsearches in
/// predicates, option values and `tstats` filters, `join`/`append` sides, `appendpipe` and
/// `foreach` templates), in text order.
#[must_use]
pub fn all_commands(pipeline: &Pipeline) -> Vec<&Command> {
    struct Commands<'a>(Vec<&'a Command>);
    impl<'a> Visitor<'a> for Commands<'a> {
        fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
            match node {
                Node::Command(command) => self.0.push(command),
                // Nothing below a literal or an eval expression holds a command.
                Node::Literal(..) | Node::Expr(_) | Node::AggEval(..) => return Walk::Skip,
                _ => {}
            }
            Walk::Children
        }
    }
    let mut commands = Commands(Vec::new());
    walk(Node::Pipeline(pipeline), &mut commands);
    commands.0
}

/// Appends the children of `node` to `out`, in text order.
pub fn children<'a>(node: Node<'a>, out: &mut Vec<Node<'a>>) {
    match node {
        Node::Pipeline(pipeline) => out.extend(pipeline.commands.iter().map(Node::Command)),
        Node::Subsearch(sub) => out.push(Node::Pipeline(&sub.pipeline)),
        Node::Command(command) => command_children(&command.kind, out),
        Node::Search(expr) => search_children(expr, out),
        Node::Expr(expr) => match expr {
            Expr::Binary { lhs, rhs, .. } => {
                out.push(Node::Expr(lhs));
                out.push(Node::Expr(rhs));
            }
            Expr::Unary { operand, .. } => out.push(Node::Expr(operand)),
            Expr::In { lhs, list, .. } => {
                out.push(Node::Expr(lhs));
                out.extend(list.iter().map(Node::Expr));
            }
            Expr::Call { args, .. } => out.extend(args.iter().map(Node::Expr)),
            Expr::Field(_) | Expr::String(_) | Expr::Number(_) | Expr::Macro(_) => {}
        },
        Node::Opt(opt) => match &opt.value {
            OptValue::Literal(lit) => out.push(Node::Literal(Role::Value, lit)),
            OptValue::Search { range, expr } => out.push(Node::OptGroup(*range, expr)),
        },
        Node::OptGroup(_, expr) | Node::TstatsWhere(expr) => out.push(Node::Search(expr)),
        Node::Aggregation(agg) => {
            match &agg.argument {
                Some(AggArgument::Field(lit)) => out.push(Node::Literal(Role::Field, lit)),
                Some(AggArgument::Eval { range, expr }) => out.push(Node::AggEval(*range, expr)),
                None => {}
            }
            out.extend(agg.alias.iter().map(|alias| Node::Literal(Role::As, alias)));
        }
        Node::AggEval(_, expr) => out.push(Node::Expr(expr)),
        Node::TstatsFrom(options) => out.extend(options.iter().map(Node::Opt)),
        Node::Assignment(assignment) => {
            out.push(Node::Literal(Role::Field, &assignment.field));
            out.push(Node::Expr(&assignment.expr));
        }
        Node::Mapping(_, mapping) => {
            out.push(Node::Literal(Role::Field, &mapping.field));
            out.extend(
                mapping
                    .alias
                    .iter()
                    .map(|alias| Node::Literal(Role::As, alias)),
            );
        }
        Node::Conversion(conversion) => {
            out.push(Node::Literal(Role::Field, &conversion.field));
            out.extend(
                conversion
                    .alias
                    .iter()
                    .map(|alias| Node::Literal(Role::As, alias)),
            );
        }
        Node::SortKey(key) => out.push(Node::Literal(Role::Field, &key.field)),
        Node::ReplacePair(pair) => {
            out.push(Node::Literal(Role::From, &pair.from));
            out.push(Node::Literal(Role::To, &pair.to));
        }
        Node::UnsupportedArgs(_) | Node::Literal(..) | Node::Macro(_) => {}
    }
}

fn literals<'a>(role: Role, literals: &'a [Literal], out: &mut Vec<Node<'a>>) {
    out.extend(literals.iter().map(|lit| Node::Literal(role, lit)));
}

fn options<'a>(options: &'a [Opt], out: &mut Vec<Node<'a>>) {
    out.extend(options.iter().map(Node::Opt));
}

fn search_children<'a>(expr: &'a SearchExpr, out: &mut Vec<Node<'a>>) {
    match expr {
        SearchExpr::And { operands, .. } | SearchExpr::Or { operands, .. } => {
            out.extend(operands.iter().map(Node::Search));
        }
        SearchExpr::Not { operand, .. } => out.push(Node::Search(operand)),
        SearchExpr::Compare { field, value, .. } => {
            out.push(Node::Literal(Role::Field, field));
            out.push(Node::Literal(Role::Value, &value.literal));
        }
        SearchExpr::In {
            field,
            values,
            macros,
            ..
        } => {
            out.push(Node::Literal(Role::Field, field));
            out.extend(
                values
                    .iter()
                    .map(|value| Node::Literal(Role::Value, &value.literal)),
            );
            out.extend(macros.iter().map(Node::Macro));
        }
        // The term is the subsearch: its child is the pipeline (no extra `Subsearch` level).
        SearchExpr::Subsearch(sub) => out.push(Node::Pipeline(&sub.pipeline)),
        SearchExpr::Term { .. } | SearchExpr::Modifier { .. } | SearchExpr::Macro(_) => {}
    }
}

fn command_children<'a>(kind: &'a CommandKind, out: &mut Vec<Node<'a>>) {
    match kind {
        CommandKind::Search { expr, .. } => out.extend(expr.iter().map(Node::Search)),
        CommandKind::Tstats(t) => {
            out.extend(t.macros.iter().map(Node::Macro));
            options(&t.options, out);
            out.extend(t.aggregations.iter().map(Node::Aggregation));
            if !t.from.is_empty() {
                out.push(Node::TstatsFrom(&t.from));
            }
            out.extend(t.filter.iter().map(Node::TstatsWhere));
            literals(Role::By, &t.by, out);
            options(&t.by_options, out);
        }
        CommandKind::Stats(s) => {
            options(&s.options, out);
            out.extend(s.aggregations.iter().map(Node::Aggregation));
            literals(Role::By, &s.by, out);
            options(&s.by_options, out);
        }
        CommandKind::Where { expr } => out.push(Node::Expr(expr)),
        CommandKind::Eval { assignments } => {
            out.extend(assignments.iter().map(Node::Assignment));
        }
        CommandKind::Rename { pairs } => {
            out.extend(
                pairs
                    .iter()
                    .map(|pair| Node::Mapping(MappingRole::Pair, pair)),
            );
        }
        CommandKind::Table { fields } | CommandKind::Fields { fields, .. } => {
            literals(Role::Field, fields, out);
        }
        CommandKind::Convert {
            options: opts,
            conversions,
            ..
        } => {
            options(opts, out);
            out.extend(conversions.iter().map(Node::Conversion));
        }
        CommandKind::Bin {
            options: opts,
            field,
            ..
        } => {
            options(opts, out);
            out.push(Node::Mapping(MappingRole::Field, field));
        }
        CommandKind::Lookup(l) => {
            options(&l.options, out);
            out.push(Node::Literal(Role::Table, &l.table));
            out.extend(
                l.inputs
                    .iter()
                    .map(|mapping| Node::Mapping(MappingRole::Input, mapping)),
            );
            out.extend(
                l.outputs
                    .iter()
                    .map(|mapping| Node::Mapping(MappingRole::Output, mapping)),
            );
        }
        CommandKind::Rex {
            options: opts,
            pattern,
            ..
        } => {
            options(opts, out);
            out.push(Node::Literal(Role::Pattern, pattern));
        }
        CommandKind::Regex { field, pattern, .. } => {
            out.extend(field.iter().map(|field| Node::Literal(Role::Field, field)));
            out.push(Node::Literal(Role::Pattern, pattern));
        }
        CommandKind::Sort { limit, keys } => {
            out.extend(
                limit
                    .iter()
                    .map(|limit| Node::Literal(Role::Limit, &limit.literal)),
            );
            out.extend(keys.iter().map(Node::SortKey));
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
            options(&args.options, out);
            literals(Role::Field, &args.fields, out);
            out.push(Node::Subsearch(subsearch));
        }
        CommandKind::Inputlookup { args, filter, .. } => {
            options(&args.options, out);
            literals(Role::Field, &args.fields, out);
            out.extend(filter.iter().map(Node::TstatsWhere));
        }
        CommandKind::Head { count, args, .. } => {
            out.extend(
                count
                    .iter()
                    .map(|count| Node::Literal(Role::Limit, &count.literal)),
            );
            options(&args.options, out);
            literals(Role::Field, &args.fields, out);
        }
        CommandKind::Fillnull { args, .. }
        | CommandKind::Dedup { args, .. }
        | CommandKind::Mvexpand { args, .. }
        | CommandKind::Spath { args, .. }
        | CommandKind::Iplocation { args, .. }
        | CommandKind::Xmlkv { args, .. }
        | CommandKind::Makemv { args, .. }
        | CommandKind::Fromjson { args, .. }
        | CommandKind::Addtotals { args, .. }
        | CommandKind::Transaction { args, .. }
        | CommandKind::From { args, .. } => {
            options(&args.options, out);
            literals(Role::Field, &args.fields, out);
        }
        CommandKind::Replace { pairs, fields } => {
            out.extend(pairs.iter().map(Node::ReplacePair));
            literals(Role::In, fields, out);
        }
        CommandKind::Unsupported(unsupported) => {
            if !unsupported.args.is_empty() {
                out.push(Node::UnsupportedArgs(unsupported));
            }
        }
        CommandKind::Empty | CommandKind::Invalid { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spl::ast::{Literal, Quote, ValueKind};

    #[test]
    fn commands_inside_option_groups_are_found() {
        let text = "index=main | transaction host startswith=(x=1 [| makeresults | eval x=1])";
        let out = crate::spl::parse(text);
        let names: Vec<&str> = all_commands(&out.pipeline)
            .into_iter()
            .map(Command::name)
            .collect();
        assert_eq!(names, ["search", "transaction", "makeresults", "eval"]);
    }

    #[test]
    fn enter_and_leave_pair_up_in_text_order() {
        struct Trace(Vec<String>);
        impl<'a> Visitor<'a> for Trace {
            fn enter(&mut self, node: Node<'a>, depth: usize) -> Walk {
                if let Node::Literal(role, lit) = node {
                    self.0
                        .push(format!("{depth} {} {}", role.as_str(), lit.value));
                }
                Walk::Children
            }
            fn leave(&mut self, node: Node<'a>, depth: usize) {
                if let Node::Command(command) = node {
                    self.0.push(format!("{depth} /{}", command.name()));
                }
            }
        }
        let out = crate::spl::parse("a=1 | stats count by b | rename c AS d");
        let mut trace = Trace(Vec::new());
        walk(Node::Pipeline(&out.pipeline), &mut trace);
        assert_eq!(
            trace.0,
            [
                "3 field a",
                "3 value 1",
                "1 /search",
                "2 by b",
                "1 /stats",
                "3 field c",
                "3 as d",
                "1 /rename",
            ]
        );
    }

    #[test]
    fn child_hooks_surround_each_child_with_its_parent_and_position() {
        struct Trace(Vec<String>);
        fn label(node: Node<'_>) -> String {
            match node {
                Node::Pipeline(_) => "pipeline".to_owned(),
                Node::Command(command) => command.name().to_owned(),
                Node::Search(SearchExpr::Or { .. }) => "or".to_owned(),
                Node::Search(SearchExpr::Term { literal, .. }) => literal.value.clone(),
                Node::Expr(Expr::Field(lit)) => lit.value.clone(),
                Node::Literal(role, lit) => format!("{}:{}", role.as_str(), lit.value),
                other => format!("{other:?}").chars().take(6).collect(),
            }
        }
        impl<'a> Visitor<'a> for Trace {
            fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
                if let Node::Search(SearchExpr::Term { literal, .. }) = node
                    && literal.value == "skipped"
                {
                    self.0.push("enter skipped".to_owned());
                    return Walk::Skip;
                }
                Walk::Children
            }
            fn before_child(&mut self, child: Child<'a>) {
                let (parent, node) = (label(child.parent), label(child.node));
                self.0.push(format!("{parent} {} > {node}", child.index));
            }
            fn after_child(&mut self, child: Child<'a>) {
                let (parent, node) = (label(child.parent), label(child.node));
                self.0.push(format!("{parent} {} < {node}", child.index));
            }
        }
        let out = crate::spl::parse("a OR skipped | table t");
        let mut trace = Trace(Vec::new());
        walk(Node::Pipeline(&out.pipeline), &mut trace);
        assert_eq!(
            trace.0,
            [
                "pipeline 0 > search",
                "search 0 > or",
                "or 0 > a",
                "or 0 < a",
                "or 1 > skipped",
                "enter skipped",
                "or 1 < skipped",
                "search 0 < or",
                "pipeline 0 < search",
                "pipeline 1 > table",
                "table 0 > field:t",
                "table 0 < field:t",
                "pipeline 1 < table",
            ]
        );
    }

    #[test]
    fn deep_trees_do_not_overflow_the_stack() {
        // Far deeper than the parser allows: only a heap-based walk gets through it.
        let leaf = Literal {
            range: TextRange::default(),
            value: "x".to_owned(),
            quote: Quote::None,
        };
        let mut expr = SearchExpr::Term {
            range: TextRange::default(),
            literal: leaf,
            kind: ValueKind::Exact,
        };
        for _ in 0..100_000 {
            expr = SearchExpr::Not {
                range: TextRange::default(),
                operand: Box::new(expr),
            };
        }
        struct Count(usize);
        impl Visitor<'_> for Count {
            fn enter(&mut self, _node: Node<'_>, _depth: usize) -> Walk {
                self.0 += 1;
                Walk::Children
            }
        }
        let mut count = Count(0);
        walk(Node::Search(&expr), &mut count);
        assert_eq!(count.0, 100_001);
        // Dropping the chain recursively would overflow too: take it apart in a loop.
        while let SearchExpr::Not { operand, .. } = expr {
            expr = *operand;
        }
    }
}
