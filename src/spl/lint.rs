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

use std::net::IpAddr;

use super::ast::{
    AggArgument, Aggregation, BinaryOp, Command, CompareOp, Expr, Literal, Lookup, Opt, OptValue,
    Pipeline, SearchExpr, Stats, Subsearch, Tstats, UnaryOp,
};
use super::{SplDiagnostic, TextRange};
use crate::diagnostic::Code;

/// Deepest subsearch nesting linted (the parser accepts 32 levels).
const MAX_SUBSEARCH_DEPTH: u32 = 40;

/// Search-grammar names that are directives or known multivalue fields, never compared.
const SEARCH_SKIPPED_FIELDS: [&str; 15] = [
    "index",
    "splunk_server",
    "splunk_server_group",
    "earliest",
    "latest",
    "_index_earliest",
    "_index_latest",
    "starttime",
    "endtime",
    "starttimeu",
    "endtimeu",
    "nodename",
    "savedsearch",
    "eventtype",
    "tag",
];

/// Aggregation functions whose result is one value; any other (`values`, `list`, unknown
/// names) is taken to be multivalued.
const SINGLE_VALUE_AGGREGATIONS: [&str; 30] = [
    "count",
    "c",
    "dc",
    "distinct_count",
    "estdc",
    "estdc_error",
    "sum",
    "sumsq",
    "avg",
    "mean",
    "median",
    "mode",
    "min",
    "max",
    "range",
    "stdev",
    "stdevp",
    "var",
    "varp",
    "first",
    "last",
    "earliest",
    "latest",
    "earliest_time",
    "latest_time",
    "rate",
    "per_second",
    "per_minute",
    "per_hour",
    "per_day",
];

/// Eval functions that may return a multivalue result whatever their arguments.
const MULTIVALUE_EVAL_FUNCTIONS: [&str; 16] = [
    "split",
    "mvappend",
    "mvdedup",
    "mvfilter",
    "mvindex",
    "mvmap",
    "mvsort",
    "mvzip",
    "mvrange",
    "json_array_to_mv",
    "spath",
    "json_extract",
    "json_extract_exact",
    "json_keys",
    "lookup",
    "makemv",
];

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
// Which fields may be multivalued at a point of the pipeline.

/// Which fields may hold more than one value at a point of the pipeline.
///
/// An over-approximation: a field wrongly taken as multivalued only silences a lint, so
/// whenever a command's effect is unclear the state says "multivalued".
#[derive(Clone, Debug, Default)]
struct FieldState {
    /// Fields not in `fields` are multivalued when this is set (after `transaction`, `xmlkv`,
    /// an unsupported command…).
    default_multivalue: bool,
    /// Field name → may be multivalued; only entries that differ from the default are kept,
    /// so the common case (single-valued outputs over raw events) allocates nothing. A list:
    /// it holds a handful of names, and searching it beats hashing them.
    fields: Vec<(String, bool)>,
}

impl FieldState {
    /// Raw events: only JSON array paths, `tag` and `eventtype` are multivalued.
    fn raw() -> FieldState {
        FieldState::default()
    }

    fn is_multivalue(&self, name: &str) -> bool {
        if is_raw_multivalue_name(name) {
            return true;
        }
        self.fields
            .iter()
            .find(|(known, _)| known == name)
            .map_or(self.default_multivalue, |&(_, multivalue)| multivalue)
    }

    fn set(&mut self, name: &str, multivalue: bool) {
        let at = self.fields.iter().position(|(known, _)| known == name);
        match (at, multivalue == self.default_multivalue) {
            (Some(at), true) => {
                self.fields.swap_remove(at);
            }
            (Some(at), false) => {
                if let Some(entry) = self.fields.get_mut(at) {
                    entry.1 = multivalue;
                }
            }
            (None, true) => {}
            (None, false) => self.fields.push((name.to_owned(), multivalue)),
        }
    }

    /// Every field may now be multivalued.
    fn poison(&mut self) {
        self.default_multivalue = true;
        self.fields.clear();
    }

    /// After a transforming command only its outputs exist; they are set one by one.
    fn reset(&mut self) {
        self.default_multivalue = false;
        self.fields.clear();
    }

    /// Takes the union with the final state of a subsearch whose rows join this one.
    fn merge(&mut self, other: &FieldState) {
        if other.default_multivalue {
            self.poison();
            return;
        }
        for (name, multivalue) in &other.fields {
            if *multivalue {
                self.set(name, true);
            }
        }
    }

    /// The fields known to be multivalued (meaningful when the default is single-valued).
    fn multivalue_names(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(_, multivalue)| *multivalue)
            .map(|(name, _)| name.as_str())
    }
}

/// Raw fields that are multivalued whatever the pipeline: JSON array paths, tags and event
/// types (with or without a data model dataset prefix), and the story and annotation fields
/// of risk events (one risk event carries every story and MITRE id of its detection).
fn is_raw_multivalue_name(name: &str) -> bool {
    if name.contains("{}") || name.starts_with("tag::") {
        return true;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    matches!(last, "tag" | "eventtype" | "analyticstories")
        || name.split('.').any(|segment| segment == "annotations")
}

/// Whether a `datamodel=` target is the Risk data model, whose rows are risk events: most of
/// their fields are multivalued (stories, annotations, threat objects).
fn is_risk_data_model(target: &str) -> bool {
    let model = target.split('.').next().unwrap_or(target);
    model.eq_ignore_ascii_case("risk")
}

// ---------------------------------------------------------------------------------------------
// The pipeline walk.

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
        match command {
            Command::Search { expr, .. } => {
                if let Some(expr) = expr {
                    self.search_expr(expr, state, depth);
                }
            }
            Command::Tstats(tstats) => self.tstats(tstats, state, depth),
            Command::Stats(stats) => self.stats(stats, state, depth),
            Command::Where { expr, .. } => self.eval_expr(expr, state),
            Command::Eval { assignments, .. } => {
                // Assignments run left to right, each seeing the ones before it.
                for assignment in assignments {
                    self.eval_expr(&assignment.expr, state);
                    let multivalue = expr_may_be_multivalue(&assignment.expr, state);
                    state.set(&assignment.field.value, multivalue);
                }
            }
            Command::Rename { pairs, .. } => {
                for pair in pairs {
                    if let Some(alias) = &pair.alias {
                        rename(state, &pair.field.value, &alias.value);
                    }
                }
            }
            Command::Convert { conversions, .. } => {
                for conversion in conversions {
                    if let Some(alias) = &conversion.alias {
                        let multivalue = state.is_multivalue(&conversion.field.value);
                        state.set(&alias.value, multivalue);
                    }
                }
            }
            Command::Bin { options, field, .. } => {
                self.options(options, state, depth);
                if let Some(alias) = &field.alias {
                    let multivalue = state.is_multivalue(&field.field.value);
                    state.set(&alias.value, multivalue);
                }
            }
            Command::Lookup(lookup) => {
                self.options(&lookup.options, state, depth);
                lookup_outputs(lookup, state);
            }
            Command::Rex {
                options, pattern, ..
            } => {
                self.options(options, state, depth);
                rex_outputs(options, pattern, state);
            }
            Command::Mvexpand { args, .. } => {
                self.options(&args.options, state, depth);
                // One output row per value: the expanded field is single-valued after it.
                if let Some(field) = args.fields.first() {
                    state.set(&field.value, false);
                }
            }
            Command::Makemv { args, .. } => {
                self.options(&args.options, state, depth);
                for field in &args.fields {
                    state.set(&field.value, true);
                }
            }
            Command::Spath { args, .. } => {
                self.options(&args.options, state, depth);
                spath_outputs(&args.options, &args.fields, state);
            }
            Command::Join {
                args, subsearch, ..
            }
            | Command::Append {
                args, subsearch, ..
            } => {
                self.options(&args.options, state, depth);
                let end = self.subsearch(subsearch, FieldState::raw(), depth);
                state.merge(&end);
            }
            Command::Appendpipe {
                args, subsearch, ..
            } => {
                self.options(&args.options, state, depth);
                let end = self.subsearch(subsearch, state.clone(), depth);
                state.merge(&end);
            }
            Command::Foreach { args, template, .. } => {
                self.options(&args.options, state, depth);
                let end = self.subsearch(template, state.clone(), depth);
                // The template assigns `<<FIELD>>`-style names that stand for unknown fields.
                let templated = end.multivalue_names().any(|name| name.contains("<<"));
                state.merge(&end);
                if templated {
                    state.poison();
                }
            }
            Command::From { args, .. } => {
                self.options(&args.options, state, depth);
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
            Command::Xmlkv { args, .. }
            | Command::Fromjson { args, .. }
            | Command::Transaction { args, .. }
            | Command::Inputlookup { args, .. } => {
                // Extractions of unknown fields, merged events, lookup rows (KV store arrays):
                // any field may be multivalued afterwards.
                self.options(&args.options, state, depth);
                state.poison();
            }
            Command::Fillnull { args, .. }
            | Command::Dedup { args, .. }
            | Command::Iplocation { args, .. }
            | Command::Addtotals { args, .. }
            | Command::Head { args, .. } => self.options(&args.options, state, depth),
            Command::Table { .. }
            | Command::Fields { .. }
            | Command::Regex { .. }
            | Command::Sort { .. }
            | Command::Replace { .. }
            | Command::Empty { .. } => {}
            // Unsupported and invalid commands, and any added later: effect unknown.
            _ => state.poison(),
        }
    }

    fn tstats(&mut self, tstats: &Tstats, state: &mut FieldState, depth: u32) {
        self.options(&tstats.options, state, depth);
        let over_risk = tstats.from.iter().any(|opt| match &opt.value {
            OptValue::Literal(value) => {
                opt.name.value.eq_ignore_ascii_case("datamodel") && is_risk_data_model(&value.value)
            }
            OptValue::Search { .. } => false,
        });
        if over_risk {
            state.poison();
        }
        if let Some(filter) = &tstats.filter {
            self.search_expr(filter, state, depth);
        }
        self.aggregation_exprs(&tstats.aggregations, state);
        state.reset();
        aggregation_outputs(&tstats.aggregations, state);
        for field in &tstats.by {
            state.set(&field.value, false);
        }
    }

    fn stats(&mut self, stats: &Stats, state: &mut FieldState, depth: u32) {
        self.options(&stats.options, state, depth);
        self.options(&stats.by_options, state, depth);
        self.aggregation_exprs(&stats.aggregations, state);
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

    fn aggregation_exprs(&mut self, aggregations: &[Aggregation], state: &FieldState) {
        for aggregation in aggregations {
            if let Some(AggArgument::Eval { expr, .. }) = &aggregation.argument {
                self.eval_expr(expr, state);
            }
        }
    }

    fn options(&mut self, options: &[Opt], state: &FieldState, depth: u32) {
        for opt in options {
            if let OptValue::Search { expr, .. } = &opt.value {
                self.search_expr(expr, state, depth);
            }
        }
    }

    // ----- search grammar -----

    fn search_expr(&mut self, root: &SearchExpr, state: &FieldState, depth: u32) {
        let mut subsearches: Vec<&Subsearch> = Vec::new();
        let mut stack: Vec<&SearchExpr> = vec![root];
        while let Some(expr) = stack.pop() {
            match expr {
                SearchExpr::And { .. } | SearchExpr::Or { .. } => {
                    let chain = flatten_search(expr);
                    if let Some(finding) = analyse(&chain, Grammar::Search, state) {
                        self.report(&finding, None);
                    }
                    stack.extend(chain.leaves.iter().copied());
                }
                SearchExpr::Not { range, operand } => {
                    let (inner, negations) = strip_search_not(operand);
                    if matches!(inner, SearchExpr::And { .. } | SearchExpr::Or { .. }) {
                        let chain = flatten_search(inner);
                        if let Some(finding) = analyse(&chain, Grammar::Search, state) {
                            self.report(&finding, Some((*range, negations + 1)));
                        }
                        stack.extend(chain.leaves.iter().copied());
                    } else {
                        stack.push(inner);
                    }
                }
                SearchExpr::Subsearch(sub) => subsearches.push(sub),
                SearchExpr::Compare { .. }
                | SearchExpr::In { .. }
                | SearchExpr::Term { .. }
                | SearchExpr::Modifier { .. }
                | SearchExpr::Macro(_) => {}
            }
        }
        for sub in subsearches {
            // A subsearch runs on its own, before the outer search, over raw events.
            let _ = self.subsearch(sub, FieldState::raw(), depth);
        }
    }

    // ----- eval grammar -----

    fn eval_expr(&mut self, root: &Expr, state: &FieldState) {
        let mut stack: Vec<&Expr> = vec![root];
        while let Some(expr) = stack.pop() {
            match expr {
                Expr::Binary {
                    op: BinaryOp::And | BinaryOp::Or,
                    ..
                } => {
                    let chain = flatten_eval(expr);
                    if let Some(finding) = analyse(&chain, Grammar::Eval, state) {
                        self.report(&finding, None);
                    }
                    stack.extend(chain.leaves.iter().copied());
                }
                Expr::Unary {
                    op: UnaryOp::Not,
                    range,
                    operand,
                } => {
                    let (inner, negations) = strip_eval_not(operand);
                    if is_eval_chain(inner) {
                        let chain = flatten_eval(inner);
                        if let Some(finding) = analyse(&chain, Grammar::Eval, state) {
                            self.report(&finding, Some((*range, negations + 1)));
                        }
                        stack.extend(chain.leaves.iter().copied());
                    } else {
                        stack.push(inner);
                    }
                }
                Expr::Binary { lhs, rhs, .. } => {
                    stack.push(rhs);
                    stack.push(lhs);
                }
                Expr::Unary { operand, .. } => stack.push(operand),
                Expr::In { lhs, list, .. } => {
                    stack.extend(list.iter().rev());
                    stack.push(lhs);
                }
                Expr::Call { args, .. } => stack.extend(args.iter().rev()),
                Expr::Field(_) | Expr::String(_) | Expr::Number(_) | Expr::Macro(_) => {}
            }
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
        let values = suggestion_values(finding);
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
        self.diagnostics.push(SplDiagnostic {
            code,
            range: balance_parentheses(range, self.text),
            message,
            label: Some(label),
            related: Vec::new(),
        });
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
fn suggestion_values(finding: &Finding<'_>) -> String {
    let mut raws: Vec<&str> = Vec::new();
    for value in finding.first.values.iter().chain(&finding.second.values) {
        if !raws.contains(&value.raw) {
            raws.push(value.raw);
        }
    }
    raws.join(", ")
}

// ---------------------------------------------------------------------------------------------
// Field-state transfer for individual commands.

fn aggregation_outputs(aggregations: &[Aggregation], state: &mut FieldState) {
    for aggregation in aggregations {
        let function = aggregation.function.value.to_ascii_lowercase();
        let multivalue = !is_single_value_aggregation(&function);
        let name: std::borrow::Cow<'_, str> = match (&aggregation.alias, &aggregation.argument) {
            (Some(alias), _) => alias.value.as_str().into(),
            (None, Some(AggArgument::Field(field))) => {
                format!("{}({})", aggregation.function.value, field.value).into()
            }
            (None, None) => aggregation.function.value.as_str().into(),
            (None, Some(AggArgument::Eval { .. })) => {
                // Splunk names it after the expression text; it is not tracked by name.
                if multivalue {
                    state.poison();
                }
                continue;
            }
        };
        if name.contains('*') {
            // `values(*) as *`: every matching field is rewritten.
            if multivalue {
                state.poison();
            }
            continue;
        }
        state.set(&name, multivalue);
    }
}

fn is_single_value_aggregation(function: &str) -> bool {
    if SINGLE_VALUE_AGGREGATIONS.contains(&function) {
        return true;
    }
    // Percentiles: p95, perc95, exactperc99, upperperc90.
    let digits = ["exactperc", "upperperc", "perc", "p"]
        .iter()
        .find_map(|prefix| function.strip_prefix(prefix));
    digits.is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

/// `rename from AS to`: the new name is as multivalued as the old one.
fn rename(state: &mut FieldState, from: &str, to: &str) {
    let stars = from.matches('*').count();
    if stars == 0 {
        let multivalue = state.is_multivalue(from);
        state.set(to, multivalue);
        return;
    }
    let raw_multivalue_reachable = from.contains('{')
        || ["tag", "eventtype", "tag::x"]
            .iter()
            .any(|name| glob_capture(from, name).is_some());
    if stars > 1 || to.matches('*').count() > 1 || raw_multivalue_reachable {
        // Several captures, or raw multivalue fields we cannot enumerate: give up precision.
        if !state.fields.is_empty() || raw_multivalue_reachable {
            state.poison();
        }
        return;
    }
    let renamed: Vec<String> = state
        .multivalue_names()
        .filter_map(|name| glob_capture(from, name).map(|capture| to.replacen('*', capture, 1)))
        .collect();
    // The old names are kept: over-approximating the multivalue set is always safe.
    for name in renamed {
        state.set(&name, true);
    }
}

/// Matches `name` against a pattern with exactly one `*`; returns what the `*` matched.
fn glob_capture<'n>(pattern: &str, name: &'n str) -> Option<&'n str> {
    let (prefix, suffix) = pattern.split_once('*')?;
    let rest = name.strip_prefix(prefix)?;
    rest.strip_suffix(suffix)
}

fn lookup_outputs(lookup: &Lookup, state: &mut FieldState) {
    if lookup.outputs.is_empty() {
        // Every column of the table is written, and they are unknown here.
        state.poison();
        return;
    }
    // Several matching rows give a multivalue result (up to `max_matches`).
    for output in &lookup.outputs {
        let name = output.alias.as_ref().unwrap_or(&output.field);
        state.set(&name.value, true);
    }
}

fn rex_outputs(options: &[Opt], pattern: &Literal, state: &mut FieldState) {
    let option = |name: &str| {
        options.iter().find_map(|opt| match &opt.value {
            OptValue::Literal(value) if opt.name.value.eq_ignore_ascii_case(name) => {
                Some(value.value.as_str())
            }
            _ => None,
        })
    };
    if option("mode").is_some_and(|mode| mode.eq_ignore_ascii_case("sed")) {
        return;
    }
    let multivalue = option("max_match").is_some_and(|max| max.trim() != "1");
    if !multivalue {
        // One match at most; a failed match may leave an earlier value, so keep the state.
        return;
    }
    for name in named_groups(&pattern.value) {
        state.set(name, true);
    }
}

/// The names of `(?<name>…)`, `(?P<name>…)` and `(?'name'…)` groups.
fn named_groups(pattern: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("(?") {
        let after = rest.get(at + 2..).unwrap_or("");
        let (body, close) = if let Some(body) = after.strip_prefix("P<") {
            (body, '>')
        } else if let Some(body) = after.strip_prefix('<') {
            (body, '>')
        } else if let Some(body) = after.strip_prefix('\'') {
            (body, '\'')
        } else {
            rest = after;
            continue;
        };
        // `(?<=` and `(?<!` are lookbehinds, not names.
        if let Some(end) = body.find(close) {
            let name = body.get(..end).unwrap_or("");
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                names.push(name);
            }
        }
        rest = body;
    }
    names
}

fn spath_outputs(options: &[Opt], positional: &[Literal], state: &mut FieldState) {
    let option = |name: &str| {
        options.iter().find_map(|opt| match &opt.value {
            OptValue::Literal(value) if opt.name.value.eq_ignore_ascii_case(name) => {
                Some(value.value.as_str())
            }
            _ => None,
        })
    };
    // A path with `{}` yields one value per array element.
    let target = option("output")
        .or_else(|| option("path"))
        .or_else(|| positional.first().map(|lit| lit.value.as_str()));
    match target {
        Some(name) => state.set(name, true),
        None => state.poison(),
    }
}

/// Whether an eval expression may produce more than one value: it names a multivalue
/// field, calls a multivalue function, or holds an opaque macro.
fn expr_may_be_multivalue(root: &Expr, state: &FieldState) -> bool {
    let mut stack: Vec<&Expr> = vec![root];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Field(lit) => {
                if state.is_multivalue(&lit.value) {
                    return true;
                }
            }
            Expr::Macro(_) => return true,
            Expr::Call { name, args, .. } => {
                let name = name.value.to_ascii_lowercase();
                if MULTIVALUE_EVAL_FUNCTIONS.contains(&name.as_str()) {
                    return true;
                }
                stack.extend(args);
            }
            Expr::Binary { lhs, rhs, .. } => {
                stack.push(lhs);
                stack.push(rhs);
            }
            Expr::Unary { operand, .. } => stack.push(operand),
            Expr::In { lhs, list, .. } => {
                stack.push(lhs);
                stack.extend(list);
            }
            Expr::String(_) | Expr::Number(_) => {}
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Chains and constraints.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grammar {
    /// Search command, implicit search, tstats `where`: case-insensitive, wildcards.
    Search,
    /// `where`/`eval`: case-sensitive, `*` literal.
    Eval,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChainOp {
    And,
    Or,
}

/// A flattened `AND` or `OR` chain over nodes of type `N` (search or eval).
struct Chain<'a, N> {
    op: ChainOp,
    /// Operands that are not themselves the same operator, in text order.
    leaves: Vec<&'a N>,
    /// The constraint each leaf states, if any (same order as `leaves`).
    constraints: Vec<Option<Constraint<'a>>>,
}

fn flatten_search(top: &SearchExpr) -> Chain<'_, SearchExpr> {
    let op = match top {
        SearchExpr::Or { .. } => ChainOp::Or,
        _ => ChainOp::And,
    };
    let mut leaves = Vec::new();
    let mut stack: Vec<&SearchExpr> = vec![top];
    while let Some(expr) = stack.pop() {
        match (op, expr) {
            (ChainOp::And, SearchExpr::And { operands, .. })
            | (ChainOp::Or, SearchExpr::Or { operands, .. }) => {
                stack.extend(operands.iter().rev());
            }
            _ => leaves.push(expr),
        }
    }
    let constraints = leaves
        .iter()
        .map(|leaf| search_constraint(leaf, op))
        .collect();
    Chain {
        op,
        leaves,
        constraints,
    }
}

fn is_eval_chain(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            ..
        }
    )
}

fn flatten_eval(top: &Expr) -> Chain<'_, Expr> {
    let op = match top {
        Expr::Binary {
            op: BinaryOp::Or, ..
        } => ChainOp::Or,
        _ => ChainOp::And,
    };
    let wanted = match op {
        ChainOp::And => BinaryOp::And,
        ChainOp::Or => BinaryOp::Or,
    };
    let mut leaves = Vec::new();
    let mut stack: Vec<&Expr> = vec![top];
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Binary {
                op: found,
                lhs,
                rhs,
                ..
            } if *found == wanted => {
                stack.push(rhs);
                stack.push(lhs);
            }
            _ => leaves.push(expr),
        }
    }
    let constraints = leaves
        .iter()
        .map(|leaf| eval_constraint(leaf, op))
        .collect();
    Chain {
        op,
        leaves,
        constraints,
    }
}

fn strip_search_not(mut expr: &SearchExpr) -> (&SearchExpr, u32) {
    let mut count = 0;
    while let SearchExpr::Not { operand, .. } = expr {
        expr = operand;
        count += 1;
    }
    (expr, count)
}

fn strip_eval_not(mut expr: &Expr) -> (&Expr, u32) {
    let mut count = 0;
    while let Expr::Unary {
        op: UnaryOp::Not,
        operand,
        ..
    } = expr
    {
        expr = operand;
        count += 1;
    }
    (expr, count)
}

/// What an operand says about one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConstraintKind {
    /// `f=a`, `f IN (a, b)`, `(f=a OR f=b)`: some value matches one of the set.
    Matches,
    /// `f!=a`: the field exists and some value differs.
    Differs,
    /// `NOT f=a`, `NOT f IN (…)`: no value matches (true when the field is missing).
    MatchesNone,
}

/// A literal value in a comparison.
#[derive(Clone, Copy, Debug)]
struct Value<'a> {
    /// As written (quotes included), for the suggestion.
    raw: &'a str,
    /// Decoded.
    value: &'a str,
}

impl<'a> Value<'a> {
    fn of(lit: &'a Literal) -> Value<'a> {
        Value {
            raw: &lit.raw,
            value: &lit.value,
        }
    }
}

#[derive(Clone, Debug)]
struct Constraint<'a> {
    field: &'a str,
    kind: ConstraintKind,
    values: Vec<Value<'a>>,
    /// The operand's range (for the message).
    range: TextRange,
    /// The operand is a parenthesised group (the range excludes the parentheses).
    grouped: bool,
}

/// The constraint a search operand states, given the chain it sits in. Only the kinds a
/// finding can use are extracted: `Matches` in an `AND`, `Differs`/`MatchesNone` in an `OR`.
fn search_constraint(expr: &SearchExpr, op: ChainOp) -> Option<Constraint<'_>> {
    match (op, expr) {
        (ChainOp::And, _) => search_matches(expr),
        (
            ChainOp::Or,
            SearchExpr::Compare {
                range,
                field,
                op: CompareOp::Ne,
                value,
            },
        ) => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Differs,
            values: vec![Value::of(value)],
            range: *range,
            grouped: false,
        }),
        (ChainOp::Or, SearchExpr::Not { range, operand }) => {
            let inner = search_matches(operand)?;
            Some(Constraint {
                kind: ConstraintKind::MatchesNone,
                range: *range,
                grouped: false,
                ..inner
            })
        }
        (ChainOp::Or, _) => None,
    }
}

/// `f=a`, `f IN (…)` without macros, or an `OR` group of those on one field.
fn search_matches(expr: &SearchExpr) -> Option<Constraint<'_>> {
    match expr {
        SearchExpr::Compare {
            range,
            field,
            op: CompareOp::Eq,
            value,
        } => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Matches,
            values: vec![Value::of(value)],
            range: *range,
            grouped: false,
        }),
        SearchExpr::In {
            range,
            field,
            values,
            macros,
        } if macros.is_empty() && !values.is_empty() => Some(Constraint {
            field: &field.value,
            kind: ConstraintKind::Matches,
            values: values.iter().map(Value::of).collect(),
            range: *range,
            grouped: false,
        }),
        SearchExpr::Or { range, operands } => {
            // One level only: `(f=a OR f IN (b, c))`.
            let mut field = None;
            let mut values = Vec::new();
            for operand in operands {
                let part = match operand {
                    SearchExpr::Compare { .. } | SearchExpr::In { .. } => search_matches(operand)?,
                    _ => return None,
                };
                if field.is_some_and(|name| name != part.field) {
                    return None;
                }
                field = Some(part.field);
                values.extend(part.values);
            }
            Some(Constraint {
                field: field?,
                kind: ConstraintKind::Matches,
                values,
                range: *range,
                grouped: true,
            })
        }
        _ => None,
    }
}

/// The eval counterpart of [`search_constraint`].
fn eval_constraint(expr: &Expr, op: ChainOp) -> Option<Constraint<'_>> {
    match (op, expr) {
        (ChainOp::And, _) => eval_matches(expr),
        (
            ChainOp::Or,
            Expr::Unary {
                op: UnaryOp::Not,
                range,
                operand,
            },
        ) => {
            let inner = eval_matches(operand)?;
            Some(Constraint {
                kind: ConstraintKind::MatchesNone,
                range: *range,
                grouped: false,
                ..inner
            })
        }
        (
            ChainOp::Or,
            Expr::Binary {
                range,
                op: BinaryOp::Compare(CompareOp::Ne),
                lhs,
                rhs,
            },
        ) => {
            let (field, value) = field_and_literal(lhs, rhs)?;
            Some(Constraint {
                field,
                kind: ConstraintKind::Differs,
                values: vec![value],
                range: *range,
                grouped: false,
            })
        }
        (ChainOp::Or, _) => None,
    }
}

fn eval_matches(expr: &Expr) -> Option<Constraint<'_>> {
    match expr {
        Expr::Binary {
            range,
            op: BinaryOp::Compare(CompareOp::Eq | CompareOp::EqEq),
            lhs,
            rhs,
        } => {
            let (field, value) = field_and_literal(lhs, rhs)?;
            Some(Constraint {
                field,
                kind: ConstraintKind::Matches,
                values: vec![value],
                range: *range,
                grouped: false,
            })
        }
        Expr::In { range, lhs, list } => {
            let Expr::Field(field) = lhs.as_ref() else {
                return None;
            };
            // A list element naming a field (`IN (old_values)`) has unknown values.
            let values = list.iter().map(eval_literal).collect::<Option<Vec<_>>>()?;
            if values.is_empty() {
                return None;
            }
            Some(Constraint {
                field: &field.value,
                kind: ConstraintKind::Matches,
                values,
                range: *range,
                grouped: false,
            })
        }
        Expr::Binary {
            range,
            op: BinaryOp::Or,
            ..
        } => {
            // One level only: `(f="a" OR f="b")`, flattened.
            let chain = flatten_eval(expr);
            let mut field = None;
            let mut values = Vec::new();
            for leaf in &chain.leaves {
                let part = match leaf {
                    Expr::Binary { .. } | Expr::In { .. } => eval_matches(leaf)?,
                    _ => return None,
                };
                if part.grouped || field.is_some_and(|name| name != part.field) {
                    return None;
                }
                field = Some(part.field);
                values.extend(part.values);
            }
            Some(Constraint {
                field: field?,
                kind: ConstraintKind::Matches,
                values,
                range: *range,
                grouped: true,
            })
        }
        _ => None,
    }
}

/// `field op literal` or `literal op field`.
fn field_and_literal<'a>(lhs: &'a Expr, rhs: &'a Expr) -> Option<(&'a str, Value<'a>)> {
    match (lhs, rhs) {
        (Expr::Field(field), other) | (other, Expr::Field(field)) => {
            Some((&field.value, eval_literal(other)?))
        }
        _ => None,
    }
}

fn eval_literal(expr: &Expr) -> Option<Value<'_>> {
    match expr {
        Expr::String(lit) | Expr::Number(lit) => Some(Value::of(lit)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Findings.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Constant {
    AlwaysTrue,
    AlwaysFalse,
}

impl Constant {
    fn negate(self) -> Constant {
        match self {
            Constant::AlwaysTrue => Constant::AlwaysFalse,
            Constant::AlwaysFalse => Constant::AlwaysTrue,
        }
    }
}

/// For which events the constant result is guaranteed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Condition {
    /// Every event where the field exists (`f!=a OR f!=b` in the search grammar).
    Exists,
    /// Every event where the field has exactly one value.
    OneValue,
}

struct Finding<'a> {
    kind: Constant,
    condition: Condition,
    first: &'a Constraint<'a>,
    second: &'a Constraint<'a>,
}

/// The first constant pair of a chain, if any. One finding per chain: two pairs in one chain
/// share a root cause often enough (`f!=a OR f!=b OR f!=c`) that more would be noise.
fn analyse<'a, N>(
    chain: &'a Chain<'a, N>,
    grammar: Grammar,
    state: &FieldState,
) -> Option<Finding<'a>> {
    let constraints: Vec<&Constraint<'a>> = chain.constraints.iter().flatten().collect();
    for (i, first) in constraints.iter().enumerate() {
        // Checked only once a second operand names the same field: most fields appear once.
        let mut comparable = None;
        for second in constraints.iter().skip(i + 1) {
            if second.field != first.field {
                continue;
            }
            if !*comparable.get_or_insert_with(|| is_comparable_field(first.field, grammar, state))
            {
                break;
            }
            let Some((kind, condition)) = pair_constant(chain.op, first, second, grammar) else {
                continue;
            };
            return Some(Finding {
                kind,
                condition,
                first,
                second,
            });
        }
    }
    None
}

fn is_comparable_field(field: &str, grammar: Grammar, state: &FieldState) -> bool {
    if field.is_empty() || state.is_multivalue(field) {
        return false;
    }
    grammar == Grammar::Eval || !SEARCH_SKIPPED_FIELDS.contains(&field)
}

fn pair_constant(
    op: ChainOp,
    first: &Constraint<'_>,
    second: &Constraint<'_>,
    grammar: Grammar,
) -> Option<(Constant, Condition)> {
    use ConstraintKind::{Differs, Matches, MatchesNone};
    match (op, first.kind, second.kind) {
        // Some value differs from a, or some value differs from b: fails only if every
        // value matches both, which no value can.
        (ChainOp::Or, Differs, Differs) if sets_disjoint(first, second, grammar) => {
            let condition = match grammar {
                Grammar::Search => Condition::Exists,
                // Eval: a null field makes both comparisons null; multivalue comparison
                // semantics in eval are not documented, so only one-value events are claimed.
                Grammar::Eval => Condition::OneValue,
            };
            Some((Constant::AlwaysTrue, condition))
        }
        // One value cannot match two disjoint sets; a missing field satisfies `NOT`.
        (ChainOp::Or, MatchesNone, MatchesNone) if sets_disjoint(first, second, grammar) => {
            Some((Constant::AlwaysTrue, Condition::OneValue))
        }
        (ChainOp::And, Matches, Matches) if sets_disjoint(first, second, grammar) => {
            Some((Constant::AlwaysFalse, Condition::OneValue))
        }
        _ => None,
    }
}

fn sets_disjoint(first: &Constraint<'_>, second: &Constraint<'_>, grammar: Grammar) -> bool {
    !first.values.is_empty()
        && !second.values.is_empty()
        && first.values.iter().all(|a| {
            second
                .values
                .iter()
                .all(|b| values_differ(a.value, b.value, grammar))
        })
}

/// Whether no field value can match both `a` and `b`. Any doubt answers `false`.
fn values_differ(a: &str, b: &str, grammar: Grammar) -> bool {
    if grammar == Grammar::Search {
        // Wildcards, CIDR blocks and the empty value (whose meaning in search is not
        // documented) may match many values.
        if a.is_empty() || b.is_empty() || a.contains('*') || b.contains('*') {
            return false;
        }
        if is_cidr(a) || is_cidr(b) {
            return false;
        }
    }
    // A numeric-looking value is compared as a number by one reading and as text by
    // another; a number and a non-number can only differ if the texts differ too.
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x != y && !x.is_nan() && !y.is_nan();
    }
    match grammar {
        Grammar::Eval => a != b,
        Grammar::Search => {
            // Splunk's case folding (ASCII or Unicode) is not documented: both foldings
            // must see a difference.
            if a.is_ascii() && b.is_ascii() {
                return !a.eq_ignore_ascii_case(b);
            }
            !a.eq_ignore_ascii_case(b)
                && a.to_lowercase() != b.to_lowercase()
                && a.to_uppercase() != b.to_uppercase()
        }
    }
}

/// The value as a number, if it reads as one (decimal, exponent, or `0x` hexadecimal).
fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok().map(|n| n as f64);
    }
    text.parse::<f64>().ok()
}

/// `10.0.0.0/8`, `fe80::/10`.
fn is_cidr(text: &str) -> bool {
    text.split_once('/').is_some_and(|(address, bits)| {
        address.trim().parse::<IpAddr>().is_ok() && bits.trim().parse::<u8>().is_ok()
    })
}

#[cfg(test)]
mod tests {
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
    fn values_compare_per_grammar() {
        assert!(!values_differ("RAR.exe", "rar.exe", Grammar::Search));
        assert!(values_differ("RAR.exe", "rar.exe", Grammar::Eval));
        assert!(!values_differ("1", "1.0", Grammar::Eval));
        assert!(!values_differ("1", "01", Grammar::Search));
        assert!(!values_differ("0x10", "16", Grammar::Search));
        assert!(values_differ("1", "2", Grammar::Search));
        assert!(!values_differ("a*", "b", Grammar::Search));
        assert!(values_differ("a*", "b", Grammar::Eval));
        assert!(!values_differ("10.0.0.0/8", "10.1.0.0/16", Grammar::Search));
        assert!(!values_differ("", "a", Grammar::Search));
        // Unicode folding: `ß` uppercases to `SS`.
        assert!(!values_differ("straße", "STRASSE", Grammar::Search));
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
        assert!(is_single_value_aggregation("p95"));
        assert!(is_single_value_aggregation("perc99"));
        assert!(is_single_value_aggregation("exactperc50"));
        assert!(!is_single_value_aggregation("values"));
        assert!(!is_single_value_aggregation("list"));
        assert!(!is_single_value_aggregation("p"));
    }

    #[test]
    fn rename_carries_multivalue() {
        let mut state = FieldState::raw();
        state.set("X.a", true);
        rename(&mut state, "X.*", "*");
        assert!(state.is_multivalue("a"));
        rename(&mut state, "a", "b");
        assert!(state.is_multivalue("b"));
        rename(&mut state, "*", "t_*");
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
