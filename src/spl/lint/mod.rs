//! Condition lints over a parsed pipeline: `X001` (a disjunction that is true for every event,
//! `f!=a OR f!=b`) and `X002` (a conjunction that is false for every event, `f=a f=b`).
//!
//! This module owns the analysis only: it takes the [`Pipeline`] and the expanded text it was
//! parsed from and returns [`SplDiagnostic`]s with ranges in that text. Mapping them to YAML
//! files, and choosing severities, is the caller's job (`compile`).
//!
//! # What fires
//! Both grammars are checked: the search grammar (implicit first search, `search`, the `where`
//! of `tstats`, `startswith=(…)`-style options) and the eval grammar (`where`, `eval`,
//! `agg(eval(…))`; every `AND`/`OR` there is a boolean context, `if`/`case` conditions
//! included). A chain of the same operator is flattened across parentheses, each pair of its
//! operands on the same field is compared, and the range is the smallest chain node holding
//! the pair. At most one diagnostic per field per chain.
//!
//! * `X001`: two disjuncts `f!=a` and `f!=b` with `a`, `b` certainly different, or two
//!   disjuncts `NOT f=a` / `NOT f IN (…)` with disjoint value sets.
//! * `X002`: two conjuncts `f=a`, `f IN (…)` or `(f=a OR f=b)` with disjoint value sets.
//! * Polarity: a chain that is constant directly under `NOT` is reported on the `NOT` with
//!   the code flipped (`NOT (f=a f=b)` is always true). Comparisons are only taken as direct
//!   operands of a chain (or as the operand of one `NOT`), never from deeper inside, so
//!   `NOT f=a NOT f=b` is not mistaken for `f=a f=b`.
//!
//! # Semantics (spl-semantics.md 2.3, 2.4)
//! * Search grammar: values compare without regard to case, `*` is a wildcard (a value with
//!   one is never compared), a value `ip/n` matches by CIDR (never compared), and two values
//!   that both read as numbers are equal when numerically equal (`1` and `1.0`). Eval
//!   grammar: case-sensitive, `*` literal, the same numeric rule. Field names are
//!   case-sensitive in both (the docs are silent for the search command; see
//!   `field_names_are_case_sensitive`).
//! * `f!=v` needs `f` to exist, so `f!=a OR f!=b` is true for every event *where `f`
//!   exists*; the message says so.
//! * Multivalue: `f=a f=b` holds for an event whose `f` has both values. The docs do not say
//!   which raw event fields are multivalued (repeated extractions, JSON arrays), so the rule
//!   is: a field proven multivalued by the pipeline (see [`FieldState`]), a JSON array path
//!   (`a{}.b`), `tag`, `tag::*`, `eventtype`, the risk fields `analyticstories` and
//!   `annotations.*`, and every field of the Risk data model never fire (risk events carry
//!   all the stories and MITRE ids of their detection: proxyshell_proxynotshell_behavior_detected
//!   tests two stories on one event); any other raw field may fire, and
//!   the message is worded so that it stays true for multivalue events ("false for every
//!   event where `f` has one value"). Test: `raw_fields_fire_with_a_one_value_caveat`.
//!   `X001` in the search grammar relies on the documented-as-unverified rule that `f!=v` is
//!   true when some value differs; it is suppressed on fields known to be multivalued too, so
//!   a different Splunk rule could only affect raw fields.
//! * Search directives that are not per-event field tests (`index`, `earliest`, `nodename`…)
//!   never fire: Splunk's handling of repeated directives is not documented.
//!
//! Work is bounded: expressions are walked with explicit stacks, and subsearch recursion stops
//! at [`MAX_SUBSEARCH_DEPTH`] levels (deeper pipelines are not linted).

mod constants;
mod constraints;
mod field_effects;

use super::ast::{
    Command, CommandKind, Expr, OptValue, Pipeline, SearchExpr, Stats, Subsearch, Tstats, UnaryOp,
};
use super::semantics::{FieldState, Grammar};
use super::visit::{Child, Node, Visitor, Walk, walk};
use super::{SplDiagnostic, TextRange};
use crate::diagnostic::Code;
use constants::{Condition, Constant, Finding, analyse};
use constraints::{
    Constraint, flatten_eval, flatten_search, is_eval_chain, strip_eval_not, strip_search_not,
};
use field_effects::{
    aggregation_outputs, expr_may_be_multivalue, is_risk_data_model, lookup_outputs, rex_outputs,
    spath_outputs,
};

/// Deepest subsearch nesting linted: the parser's limit, so every pipeline it builds is
/// linted (the check only guards trees built by hand).
use super::MAX_SUBSEARCH_DEPTH;

/// Lints a parsed pipeline for always-true (`X001`) and always-false (`X002`) conditions.
///
/// `text` is the expanded search `pipeline` was parsed from; ranges point into it. The
/// result is in text order.
///
/// # Example
/// ```
/// let text = "| tstats count from datamodel=Endpoint.Processes \
///     where (Processes.process_name!=rar.exe OR Processes.process_name!=winrar.exe) \
///     by Processes.dest";
/// let out = detc::spl::parse(text);
/// let found = detc::spl::lint::lint(&out.pipeline, text);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].code, detc::diagnostic::Code::X001);
/// ```
#[must_use]
pub fn lint(pipeline: &Pipeline, text: &str) -> Vec<SplDiagnostic> {
    let mut linter = Linter {
        text,
        diagnostics: Vec::new(),
    };
    linter.pipeline(pipeline, FieldState::raw(), 0);
    linter.diagnostics.sort_by_key(|d| (d.range, d.code));
    linter.diagnostics
}

// ---------------------------------------------------------------------------------------------
// The pipeline walk.

/// A chain's top, in either grammar.
#[derive(Clone, Copy)]
enum ChainTop<'a> {
    Search(&'a SearchExpr),
    Eval(&'a Expr),
}

/// The `AND`/`OR` chains of the conditions under a node (predicates, option groups such as
/// `startswith=(…)`, `agg(eval(…))`, `where`, `eval` expressions), found by the one walker so
/// that a condition in any node is checked, each chain once: at its top, or at the outermost
/// `NOT` of a run right above it, which negates it. Subsearches in predicates are collected,
/// not entered: they are linted over their own rows. Nor are the subsearches of `join`,
/// `append`, `appendpipe` and `foreach`: the command's effect lints them.
#[derive(Default)]
struct Chains<'a> {
    /// Each chain's top and, when negated, the outermost `NOT`'s range and how many there are.
    tops: Vec<(ChainTop<'a>, Option<(TextRange, u32)>)>,
    subsearches: Vec<&'a Subsearch>,
}

impl<'a> Chains<'a> {
    /// Notes the chain that starts at `node`, if one does; `parent` is the node above it
    /// (`None` where the walk starts).
    fn see(&mut self, parent: Option<Node<'a>>, node: Node<'a>) {
        let top = match (parent, node) {
            (Some(Node::Search(parent)), Node::Search(expr)) => search_chain(Some(parent), expr),
            (_, Node::Search(expr)) => search_chain(None, expr),
            (Some(Node::Expr(parent)), Node::Expr(expr)) => eval_chain(Some(parent), expr),
            (_, Node::Expr(expr)) => eval_chain(None, expr),
            _ => None,
        };
        self.tops.extend(top);
    }
}

impl<'a> Visitor<'a> for Chains<'a> {
    fn enter(&mut self, node: Node<'a>, _depth: usize) -> Walk {
        match node {
            Node::Search(SearchExpr::Subsearch(sub)) => self.subsearches.push(sub),
            Node::Subsearch(_) | Node::Literal(..) => {}
            _ => return Walk::Children,
        }
        Walk::Skip
    }

    fn before_child(&mut self, child: Child<'a>) {
        self.see(Some(child.parent), child.node);
    }
}

/// The search-grammar chain that starts at `expr` under `parent`, if one does.
fn search_chain<'a>(
    parent: Option<&'a SearchExpr>,
    expr: &'a SearchExpr,
) -> Option<(ChainTop<'a>, Option<(TextRange, u32)>)> {
    match expr {
        SearchExpr::And { .. } | SearchExpr::Or { .. } => {
            // Inside a chain of the same operator, or under a `NOT` (which negates it), it is
            // found from there.
            let inside = matches!(
                (parent, expr),
                (Some(SearchExpr::And { .. }), SearchExpr::And { .. })
                    | (Some(SearchExpr::Or { .. }), SearchExpr::Or { .. })
                    | (Some(SearchExpr::Not { .. }), _)
            );
            (!inside).then_some((ChainTop::Search(expr), None))
        }
        SearchExpr::Not { range, operand } if !matches!(parent, Some(SearchExpr::Not { .. })) => {
            let (inner, negations) = strip_search_not(operand);
            matches!(inner, SearchExpr::And { .. } | SearchExpr::Or { .. })
                .then_some((ChainTop::Search(inner), Some((*range, negations + 1))))
        }
        _ => None,
    }
}

/// The eval-grammar chain that starts at `expr` under `parent`, if one does.
fn eval_chain<'a>(
    parent: Option<&'a Expr>,
    expr: &'a Expr,
) -> Option<(ChainTop<'a>, Option<(TextRange, u32)>)> {
    match expr {
        Expr::Binary { op, .. } if is_eval_chain(expr) => {
            // As in the search grammar: inside a chain of the same operator or under `NOT`.
            let inside = match parent {
                Some(Expr::Binary { op: outer, .. }) => outer == op,
                Some(Expr::Unary {
                    op: UnaryOp::Not, ..
                }) => true,
                _ => false,
            };
            (!inside).then_some((ChainTop::Eval(expr), None))
        }
        Expr::Unary {
            op: UnaryOp::Not,
            range,
            operand,
        } if !matches!(
            parent,
            Some(Expr::Unary {
                op: UnaryOp::Not,
                ..
            })
        ) =>
        {
            let (inner, negations) = strip_eval_not(operand);
            is_eval_chain(inner).then_some((ChainTop::Eval(inner), Some((*range, negations + 1))))
        }
        _ => None,
    }
}

/// `tstats` keeps only its aggregations and `by` fields (one group per value).
fn tstats_outputs(tstats: &Tstats, state: &mut FieldState) {
    state.reset();
    aggregation_outputs(&tstats.aggregations, state);
    for field in &tstats.by {
        state.set(&field.value, false);
    }
}

/// `stats` keeps only its aggregations and `by` fields; `eventstats` and `streamstats` add
/// the aggregations to the rows.
fn stats_outputs(stats: &Stats, state: &mut FieldState) {
    let transforming = stats.kind == super::ast::StatsKind::Stats;
    if transforming {
        state.reset();
    }
    aggregation_outputs(&stats.aggregations, state);
    // `stats` splits a multivalue `by` field into one group per value; `eventstats` and
    // `streamstats` leave the rows (and their `by` fields) as they were.
    if transforming {
        for field in &stats.by {
            state.set(&field.value, false);
        }
    }
}

struct Linter<'t> {
    text: &'t str,
    diagnostics: Vec<SplDiagnostic>,
}

impl Linter<'_> {
    /// Lints a pipeline starting from `state`; returns the state after its last command.
    fn pipeline(&mut self, pipeline: &Pipeline, mut state: FieldState, depth: u32) -> FieldState {
        if depth > MAX_SUBSEARCH_DEPTH {
            state.poison();
            return state;
        }
        for command in &pipeline.commands {
            self.command(command, &mut state, depth);
        }
        state
    }

    fn subsearch(&mut self, sub: &Subsearch, state: FieldState, depth: u32) -> FieldState {
        self.pipeline(&sub.pipeline, state, depth.saturating_add(1))
    }

    fn command(&mut self, command: &Command, state: &mut FieldState, depth: u32) {
        // `tstats` over the Risk data model reads risk events, whose fields are multivalued.
        if let CommandKind::Tstats(tstats) = &command.kind
            && tstats
                .from_settings
                .datamodel
                .as_ref()
                .is_some_and(|datamodel| is_risk_data_model(&datamodel.value))
        {
            state.poison();
        }
        // Every condition a command holds is checked against the rows it receives, before
        // its effect on them; `eval` assignments see the ones before them, below.
        if !matches!(command.kind, CommandKind::Eval { .. }) {
            self.conditions(Node::Command(command), state, depth);
        }
        match &command.kind {
            CommandKind::Tstats(tstats) => tstats_outputs(tstats, state),
            CommandKind::Stats(stats) => stats_outputs(stats, state),
            CommandKind::Eval { assignments, .. } => {
                // Assignments run left to right, each seeing the ones before it.
                for assignment in assignments {
                    self.conditions(Node::Expr(&assignment.expr), state, depth);
                    let multivalue = expr_may_be_multivalue(&assignment.expr, state);
                    state.set(&assignment.field.value, multivalue);
                }
            }
            CommandKind::Rename { pairs, .. } => {
                for pair in pairs {
                    if let Some(alias) = &pair.alias {
                        state.rename(&pair.field.value, &alias.value);
                    }
                }
            }
            CommandKind::Convert { conversions, .. } => {
                for conversion in conversions {
                    if let Some(alias) = &conversion.alias {
                        let multivalue = state.is_multivalue(&conversion.field.value);
                        state.set(&alias.value, multivalue);
                    }
                }
            }
            CommandKind::Bin { field, .. } => {
                if let Some(alias) = &field.alias {
                    let multivalue = state.is_multivalue(&field.field.value);
                    state.set(&alias.value, multivalue);
                }
            }
            CommandKind::Lookup(lookup) => lookup_outputs(lookup, state),
            CommandKind::Rex {
                settings, pattern, ..
            } => rex_outputs(settings, pattern, state),
            CommandKind::Mvexpand { args, .. } => {
                // One output row per value: the expanded field is single-valued after it.
                if let Some(field) = args.fields.first() {
                    state.set(&field.value, false);
                }
            }
            CommandKind::Makemv { args, .. } => {
                for field in &args.fields {
                    state.set(&field.value, true);
                }
            }
            CommandKind::Spath { args, settings } => spath_outputs(settings, &args.fields, state),
            CommandKind::Join { subsearch, .. } | CommandKind::Append { subsearch, .. } => {
                let end = self.subsearch(subsearch, FieldState::raw(), depth);
                state.merge(&end);
            }
            CommandKind::Appendpipe { subsearch, .. } => {
                let end = self.subsearch(subsearch, state.clone(), depth);
                state.merge(&end);
            }
            CommandKind::Foreach { template, .. } => {
                let end = self.subsearch(template, state.clone(), depth);
                // The template assigns `<<FIELD>>`-style names that stand for unknown fields.
                let templated = end.multivalue_names().any(|name| name.contains("<<"));
                state.merge(&end);
                if templated {
                    state.poison();
                }
            }
            CommandKind::From { args, .. } => {
                // A generating command over a data model: rows like a raw search, except for
                // risk events.
                *state = FieldState::raw();
                let words = args.fields.iter().map(|lit| lit.value.as_str());
                let values = args.options.iter().filter_map(|opt| match &opt.value {
                    OptValue::Literal(value) => Some(value.value.as_str()),
                    OptValue::Search { .. } => None,
                });
                if words.chain(values).any(is_risk_data_model) {
                    state.poison();
                }
            }
            CommandKind::Xmlkv { .. }
            | CommandKind::Fromjson { .. }
            | CommandKind::Transaction { .. }
            | CommandKind::Inputlookup { .. } => {
                // Extractions of unknown fields, merged events, lookup rows (KV store arrays):
                // any field may be multivalued afterwards.
                state.poison();
            }
            CommandKind::Search { .. }
            | CommandKind::Where { .. }
            | CommandKind::Fillnull { .. }
            | CommandKind::Dedup { .. }
            | CommandKind::Iplocation { .. }
            | CommandKind::Addtotals { .. }
            | CommandKind::Head { .. }
            | CommandKind::Table { .. }
            | CommandKind::Fields { .. }
            | CommandKind::Regex { .. }
            | CommandKind::Sort { .. }
            | CommandKind::Replace { .. }
            | CommandKind::Empty => {}
            // Unsupported and invalid commands, and any added later: effect unknown.
            _ => state.poison(),
        }
    }

    // ----- conditions -----

    /// Checks every `AND`/`OR` chain under `root` against the rows `state` describes, then
    /// lints the subsearches its predicates hold.
    fn conditions(&mut self, root: Node<'_>, state: &FieldState, depth: u32) {
        let mut chains = Chains::default();
        chains.see(None, root);
        walk(root, &mut chains);
        for (top, negated) in chains.tops {
            match top {
                ChainTop::Search(expr) => {
                    let chain = flatten_search(expr);
                    if let Some(finding) = analyse(&chain, Grammar::Search, state) {
                        self.report(&finding, negated);
                    }
                }
                ChainTop::Eval(expr) => {
                    let chain = flatten_eval(expr);
                    if let Some(finding) = analyse(&chain, Grammar::Eval, state) {
                        self.report(&finding, negated);
                    }
                }
            }
        }
        for sub in chains.subsearches {
            // A subsearch runs on its own, before the outer search, over raw events.
            let _ = self.subsearch(sub, FieldState::raw(), depth);
        }
    }

    // ----- reporting -----

    /// Pushes the diagnostic for `finding`; `negated` is the range of the outermost `NOT`
    /// around the chain and how many `NOT`s there are.
    fn report(&mut self, finding: &Finding<'_>, negated: Option<(TextRange, u32)>) {
        let first = constraint_text(finding.first, self.text);
        let second = constraint_text(finding.second, self.text);
        let field = finding.first.field;
        let (joiner, holds) = match finding.kind {
            Constant::AlwaysTrue => ("OR", "true"),
            Constant::AlwaysFalse => ("AND", "false"),
        };
        let pair = format!("{first} {joiner} {second}");
        let condition = match finding.condition {
            Condition::Exists => format!("`{field}` exists"),
            Condition::OneValue => format!("`{field}` has one value"),
        };
        let values = suggestion_values(finding, self.text);
        let label = match finding.kind {
            Constant::AlwaysTrue => format!("`{second}` holds whenever `{first}` does not"),
            Constant::AlwaysFalse => format!("`{second}` cannot hold when `{first}` does"),
        };
        let flipped = negated.is_some_and(|(_, count)| count % 2 == 1);
        let kind = if flipped {
            finding.kind.negate()
        } else {
            finding.kind
        };
        let code = match kind {
            Constant::AlwaysTrue => Code::X001,
            Constant::AlwaysFalse => Code::X002,
        };
        // What the author most likely meant: "none of these" for an always-true result,
        // "any of these" for an always-false one.
        let advice = match kind {
            Constant::AlwaysTrue => format!("use `NOT {field} IN ({values})`"),
            Constant::AlwaysFalse => format!("use `{field} IN ({values})` to match any of them"),
        };
        let verb = match kind {
            Constant::AlwaysTrue => "true",
            Constant::AlwaysFalse => "false",
        };
        let (range, message) = match negated {
            Some((range, count)) => {
                let nots = vec!["NOT"; count as usize].join(" ");
                (
                    range,
                    format!(
                        "`{nots}` of `{pair}` is {verb} for every event where {condition}, as \
                         the operand is always {holds} there; {advice}"
                    ),
                )
            }
            // The two operands and what lies between them: inside the smallest chain node
            // holding the pair, and smaller than it when the chain is longer.
            None => (
                finding.first.range.cover(finding.second.range),
                format!("`{pair}` is {verb} for every event where {condition}; {advice}"),
            ),
        };
        let mut diagnostic =
            SplDiagnostic::new(code, balance_parentheses(range, self.text), message);
        diagnostic.label = Some(label);
        self.diagnostics.push(diagnostic);
    }
}

/// Widens `range` over the parentheses its text leaves open or closed: group ranges exclude
/// their parentheses, so a range starting or ending at a group would cut one off.
fn balance_parentheses(range: TextRange, text: &str) -> TextRange {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut unopened = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in range.slice(text).as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' => unopened += 1,
            _ => {}
        }
    }
    let mut start = range.start_usize();
    for _ in 0..unopened {
        let mut at = start;
        while at > 0 && bytes.get(at - 1).is_some_and(u8::is_ascii_whitespace) {
            at -= 1;
        }
        if at > 0 && bytes.get(at - 1) == Some(&b'(') {
            start = at - 1;
        } else {
            break;
        }
    }
    let mut end = range.end_usize();
    for _ in 0..depth {
        let mut at = end;
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if bytes.get(at) == Some(&b')') {
            end = at + 1;
        } else {
            break;
        }
    }
    TextRange::new(start, end)
}

fn constraint_text(constraint: &Constraint<'_>, text: &str) -> String {
    if constraint.grouped {
        format!("({})", constraint.range.slice(text))
    } else {
        // `NOT (f=a OR f=b)` ends where its group does, before the `)`.
        balance_parentheses(constraint.range, text)
            .slice(text)
            .to_owned()
    }
}

/// The values of both constraints as written, without repeats.
fn suggestion_values(finding: &Finding<'_>, text: &str) -> String {
    let mut raws: Vec<&str> = Vec::new();
    for value in finding.first.values.iter().chain(&finding.second.values) {
        let raw = value.range.slice(text);
        if !raws.contains(&raw) {
            raws.push(raw);
        }
    }
    raws.join(", ")
}

#[cfg(test)]
mod tests {
    use super::field_effects::named_groups;
    use super::*;

    fn codes(text: &str) -> Vec<(Code, String)> {
        let out = crate::spl::parse(text);
        assert!(!out.has_errors(), "{text}: {:?}", out.diagnostics);
        lint(&out.pipeline, text)
            .into_iter()
            .map(|d| (d.code, d.range.slice(text).to_owned()))
            .collect()
    }

    #[test]
    fn field_names_are_case_sensitive() {
        // The docs do not say whether search field names are case-sensitive; detc treats
        // them as such, so differently cased names never pair up.
        assert!(codes("EventCode=1 eventcode=2").is_empty());
        assert!(codes("f!=a OR F!=b").is_empty());
    }

    #[test]
    fn raw_fields_fire_with_a_one_value_caveat() {
        let found = lint_messages("EventCode=4624 EventCode=4625");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("where `EventCode` has one value"),
            "{found:?}"
        );
        // JSON array paths and tags are multivalued in raw events.
        assert!(codes("a{}.b=x a{}.b=y").is_empty());
        assert!(codes("tag=network tag=communicate").is_empty());
        assert!(codes("eventtype=a eventtype=b").is_empty());
    }

    fn lint_messages(text: &str) -> Vec<String> {
        let out = crate::spl::parse(text);
        lint(&out.pipeline, text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn named_groups_skip_lookbehinds() {
        assert_eq!(
            named_groups(r"(?<=x)(?P<a>\d)(?<b_1>.)(?'c'.)(?<!y)(?:z)"),
            vec!["a", "b_1", "c"]
        );
    }

    #[test]
    fn percentile_functions_are_single_valued() {
        let single = |name: &str| crate::spl::ast::AggFunction::from_name(name).is_single_value();
        assert!(single("p95"));
        assert!(single("perc99"));
        assert!(single("exactperc50"));
        assert!(!single("values"));
        assert!(!single("list"));
        assert!(!single("p"));
    }

    #[test]
    fn rename_carries_multivalue() {
        let mut state = FieldState::raw();
        state.set("X.a", true);
        state.rename("X.*", "*");
        assert!(state.is_multivalue("a"));
        state.rename("a", "b");
        assert!(state.is_multivalue("b"));
        state.rename("*", "t_*");
        assert!(state.is_multivalue("t_b"));
    }

    #[test]
    fn deep_subsearch_nesting_does_not_overflow() {
        let mut text = String::new();
        for _ in 0..30 {
            text.push_str("a [ search ");
        }
        text.push_str("f!=x OR f!=y");
        for _ in 0..30 {
            text.push_str(" ]");
        }
        let out = crate::spl::parse(&text);
        let found = lint(&out.pipeline, &text);
        assert_eq!(found.len(), 1);
    }
}
