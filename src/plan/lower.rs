//! Lowering a parsed pipeline into a [`Plan`]: routing and predicate from the leading search
//! or `tstats`, the per-event stage (streaming commands, and `table`, before the first
//! transforming one),
//! the aggregation stage (the first `tstats` or `stats`), and the row stage (the rest).

use crate::events::{DatasetTable, FieldId, FieldTable};
use crate::spl::TextRange;
use crate::spl::ast::{
    AggArgument, AggFunction, Aggregation as AggNode, Command, CommandKind, Expr, FieldsMode,
    Pipeline, SearchExpr, SortOrder, Stats, StatsKind, Tstats,
};
use crate::spl::ast::{Opt, OptValue};
use crate::spl::options::{BinSpan, Duration, JoinType, Setting};
use crate::spl::visit::{Node, Visitor, Walk, walk};

use super::predicate::{Predicate, Routing};
use super::search::{Scope, Unlowerable, lower_search, split_routing};

/// A detection's search, ready to run.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Which events the search can see at all.
    pub routing: Routing,
    /// The event predicate (after routing).
    pub predicate: Predicate,
    /// How a matching event becomes a row.
    pub input: RowInput,
    /// Streaming commands run on each matching event's row, before aggregation.
    pub event_stage: Vec<RowOp>,
    /// The first transforming command (`tstats`, `stats`), with mergeable partial states.
    pub aggregation: Option<Aggregation>,
    /// What follows the aggregation, run on result rows.
    pub row_stage: Vec<RowOp>,
    /// Plans of subsearches (`join`), referred to by index from [`RowOp::Join`].
    pub subsearches: Vec<Plan>,
    /// Without aggregation: the only fields the row stage can read, which stored rows keep
    /// (`None`: keep every field; see [`super::stored`]).
    pub stored_fields: Option<Vec<String>>,
}

/// How an event becomes a row.
#[derive(Clone, Debug, PartialEq)]
pub enum RowInput {
    /// Every field of the event under its own name (raw names; a CIM field only when no raw
    /// field has its name), with `_time`, `_raw`, `source`, `sourcetype`, `host`.
    Event,
    /// A data model row (tstats): each name as written (`Processes.dest`) reads the event's
    /// CIM field (`dest`); `_time` is the event time.
    DataModel(Vec<(String, FieldId)>),
}

/// The aggregation of `stats`, `eventstats` or `tstats`.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregation {
    /// The functions, in output order.
    pub functions: Vec<AggSpec>,
    /// `by` fields, as named in the rows.
    pub by: Vec<String>,
    /// `span=` on `_time` in the `by` clause, in seconds.
    pub span: Option<i64>,
    /// tstats `fillnull_value`: a missing `by` field takes this value instead of dropping
    /// the row.
    pub fillnull: Option<String>,
}

/// One aggregation function.
#[derive(Clone, Debug, PartialEq)]
pub struct AggSpec {
    /// The function.
    pub function: AggFunction,
    /// What it reads.
    pub input: AggInput,
    /// The output field name (the alias, or `count`, `values(Processes.process)`).
    pub output: String,
}

/// What an aggregation function reads.
#[derive(Clone, Debug, PartialEq)]
pub enum AggInput {
    /// Rows (`count` with no argument).
    Rows,
    /// A field's values.
    Field(String),
    /// `eval(…)`: the expression's value per row, nulls skipped.
    Eval(Expr),
}

/// A command run on rows.
#[derive(Clone, Debug, PartialEq)]
pub enum RowOp {
    /// `search`/`where`-less filter in the search grammar over rows.
    Search(Predicate),
    /// `where <expr>`.
    Where(Expr),
    /// `eval f=expr, …`.
    Eval(Vec<(String, Expr)>),
    /// `rename a AS b` (one `*` may capture).
    Rename(Vec<(String, String)>),
    /// `table f…` (wildcards allowed).
    Table(Vec<String>),
    /// `fields [+|-] f…`.
    Fields {
        /// Keep (true) or remove.
        keep: bool,
        /// The names or patterns.
        names: Vec<String>,
    },
    /// `convert ctime(f) [AS g]`: epoch seconds to text in UTC.
    Ctime {
        /// strftime format.
        format: String,
        /// (field, output field).
        fields: Vec<(String, String)>,
    },
    /// A later `stats`: replaces the rows by the aggregation's.
    Stats(Aggregation),
    /// `eventstats`: adds the aggregates to every row.
    Eventstats(Aggregation),
    /// `sort [n] [±]f…`.
    Sort {
        /// Rows kept (0: all).
        limit: usize,
        /// (field, descending).
        keys: Vec<(String, bool)>,
    },
    /// `head n`.
    Head(usize),
    /// `dedup f…`.
    Dedup {
        /// The fields.
        fields: Vec<String>,
        /// Keep rows where a field is null.
        keepempty: bool,
        /// Only consecutive duplicates.
        consecutive: bool,
    },
    /// `fillnull [value=x] [f…]`.
    Fillnull {
        /// The filler.
        value: String,
        /// The fields (empty: every field present in some row).
        fields: Vec<String>,
    },
    /// `bin`/`bucket f span=…`: floors epoch-second values to the span, in UTC.
    Bin {
        /// The field.
        field: String,
        /// The output field (the field itself without `AS`).
        output: String,
        /// The span, in seconds.
        span: i64,
    },
    /// `regex [f=|f!=]"re"`: keeps rows where some value of `f` matches (or, negated, where
    /// none does; a missing field matches nothing).
    Regex {
        /// The field (`_raw` by default).
        field: String,
        /// `!=`.
        negated: bool,
        /// The regex.
        pattern: Pattern,
    },
    /// `rex [field=f] [max_match=n] "(?<name>…)"`: named groups become fields.
    Rex {
        /// The field read (`_raw` by default).
        field: String,
        /// Most matches per value (0: all).
        max_match: usize,
        /// The regex.
        pattern: Pattern,
    },
    /// `lookup table in [AS f]… [OUTPUT|OUTPUTNEW out [AS g]…]` on a CSV lookup of the
    /// content tree, exact match.
    Lookup {
        /// The lookup's name (or CSV file name) as written.
        table: String,
        /// (column, row field) pairs that must match.
        inputs: Vec<(String, String)>,
        /// (column, row field) pairs to write; empty: every other column, under its name.
        outputs: Vec<(String, String)>,
        /// `OUTPUTNEW`: write only fields the row lacks.
        output_new: bool,
    },
    /// `join f… [subsearch]`.
    Join {
        /// Join fields.
        fields: Vec<String>,
        /// Keep unmatched left rows.
        left: bool,
        /// Right rows used per left row (0: all).
        max: usize,
        /// Right fields overwrite left ones.
        overwrite: bool,
        /// Index into [`Plan::subsearches`].
        subsearch: usize,
    },
}

/// A regular expression as written and compiled (Splunk's PCRE read by regex-automata's meta
/// engine, the crate's regex engine already: linear time whatever the input; a pattern using
/// PCRE-only syntax such as lookaround does not lower).
#[derive(Clone, Debug)]
pub struct Pattern {
    /// As written.
    pub text: String,
    /// Compiled.
    pub regex: regex_automata::meta::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Pattern {
    /// Compiles `text`, or says why it cannot run.
    fn new(text: &str, range: TextRange) -> Result<Pattern, Unlowerable> {
        // Splunk's `(?<name>…)` is also Rust's syntax; `(?P<name>…)` too.
        regex_automata::meta::Regex::new(text)
            .map(|regex| Pattern {
                text: text.to_owned(),
                regex,
            })
            .map_err(|_| Unlowerable::new(range, "a regular expression with PCRE-only syntax"))
    }
}

/// The default `timeformat` of `convert` (Search Reference: convert).
pub const DEFAULT_TIMEFORMAT: &str = "%m/%d/%Y %H:%M:%S";

/// Checks that `runtime::eval` can evaluate `expr`: no macro left unexpanded, no function
/// Splunk does not know. The first such node in text order is reported; the one walk goes
/// through the tree on the heap, so a deep tree cannot overflow the stack.
fn check_expr(expr: &Expr) -> Result<(), Unlowerable> {
    struct FirstProblem(Option<Unlowerable>);
    impl Visitor<'_> for FirstProblem {
        fn enter(&mut self, node: Node<'_>, _depth: usize) -> Walk {
            if self.0.is_some() {
                return Walk::Skip;
            }
            self.0 = match node {
                Node::Expr(Expr::Call {
                    name,
                    function: crate::spl::ast::EvalFunction::Other(_),
                    ..
                }) => Some(Unlowerable::new(
                    name.range,
                    format!("the eval function `{}`", name.value),
                )),
                Node::Expr(Expr::Macro(call)) => Some(Unlowerable::new(
                    call.range,
                    format!("the unexpanded macro `{}`", call.text),
                )),
                _ => None,
            };
            Walk::Children
        }
    }
    let mut check = FirstProblem(None);
    walk(Node::Expr(expr), &mut check);
    check.0.map_or(Ok(()), Err)
}

/// Name tables lowering interns into (the run's tables, so ids match the events').
pub struct LowerContext<'a> {
    /// Field names.
    pub fields: &'a mut FieldTable,
    /// Data model datasets.
    pub datasets: &'a mut DatasetTable,
}

/// Lowers a parsed, macro-expanded pipeline.
///
/// # Errors
/// The first construct that has no plan, with its range in the parsed text.
pub fn lower(pipeline: &Pipeline, context: &mut LowerContext<'_>) -> Result<Plan, Unlowerable> {
    let mut commands = pipeline
        .commands
        .iter()
        .filter(|command| !matches!(command.kind, CommandKind::Empty));
    let first = commands
        .next()
        .ok_or_else(|| Unlowerable::new(pipeline.range, "an empty search"))?;
    let mut plan = Plan {
        routing: Routing::default(),
        predicate: Predicate::True,
        input: RowInput::Event,
        event_stage: Vec::new(),
        aggregation: None,
        row_stage: Vec::new(),
        subsearches: Vec::new(),
        stored_fields: None,
    };
    match &first.kind {
        CommandKind::Search { expr } => {
            let predicate = match expr {
                Some(expr) => lower_search(expr, Scope::Events, context.fields)?,
                None => Predicate::True,
            };
            let eventtype = context.fields.intern("eventtype");
            let (source, rest) = split_routing(predicate, eventtype);
            plan.routing.source = source;
            plan.predicate = rest;
        }
        CommandKind::Tstats(tstats) => lower_tstats(first.range, tstats, &mut plan, context)?,
        _ => {
            return Err(Unlowerable::new(
                first.range,
                format!("a search that starts with `{}`", first.name()),
            ));
        }
    }
    for command in commands {
        let op = lower_row_command(command, &mut plan, context)?;
        let Some(op) = op else { continue };
        let streaming = plan.aggregation.is_none()
            && plan.row_stage.is_empty()
            && matches!(
                op,
                RowOp::Search(_)
                    | RowOp::Where(_)
                    | RowOp::Eval(_)
                    | RowOp::Rename(_)
                    | RowOp::Fields { .. }
                    | RowOp::Ctime { .. }
                    | RowOp::Bin { .. }
                    | RowOp::Regex { .. }
                    | RowOp::Rex { .. }
                    // `table` is transforming in Splunk's taxonomy, but it only chooses and
                    // orders each row's columns: applied per event it gives the same rows, and
                    // a search that ends in `table` then keeps only those columns of each
                    // matching event rather than every field and `_raw` until the end.
                    | RowOp::Table(_)
            )
            && plan.input == RowInput::Event;
        if streaming {
            plan.event_stage.push(op);
        } else if let RowOp::Stats(aggregation) = op {
            if plan.aggregation.is_none() && plan.row_stage.is_empty() {
                plan.aggregation = Some(aggregation);
            } else {
                plan.row_stage.push(RowOp::Stats(aggregation));
            }
        } else {
            plan.row_stage.push(op);
        }
    }
    plan.stored_fields = super::stored::stored_fields(&plan, context.fields);
    Ok(plan)
}

fn lower_tstats(
    range: TextRange,
    tstats: &Tstats,
    plan: &mut Plan,
    context: &mut LowerContext<'_>,
) -> Result<(), Unlowerable> {
    if let Some(call) = tstats.macros.first() {
        return Err(Unlowerable::new(
            call.range,
            format!("the unexpanded macro `{}` in tstats", call.text),
        ));
    }
    if tstats
        .settings
        .prestats
        .as_ref()
        .is_some_and(|setting| setting.value)
    {
        return Err(Unlowerable::new(range, "tstats prestats=t"));
    }
    let Some(model) = &tstats.from_settings.datamodel else {
        return Err(Unlowerable::new(
            range,
            "tstats without `from datamodel=` (an index-time field search)",
        ));
    };
    let mut node: Option<String> = None;
    let predicate = match &tstats.filter {
        Some(filter) => {
            let (nodename, rest) = take_nodename(filter);
            node = nodename;
            match rest {
                Some(rest) => lower_search(rest, Scope::DataModel, context.fields)?,
                None => Predicate::True,
            }
        }
        None => Predicate::True,
    };
    plan.routing.datasets = datasets_of(&model.value, node.as_deref(), context.datasets);
    plan.predicate = predicate;
    let mut inputs: Vec<(String, FieldId)> = vec![("_time".to_owned(), FieldId::TIME)];
    let mut want = |name: &str, fields: &mut FieldTable| {
        if !inputs.iter().any(|(known, _)| known == name) {
            inputs.push((name.to_owned(), Scope::DataModel.resolve(name, fields)));
        }
    };
    for by in &tstats.by {
        want(&by.value, context.fields);
    }
    let functions = tstats
        .aggregations
        .iter()
        .map(|aggregation| {
            if let Some(AggArgument::Field(field)) = &aggregation.argument {
                want(&field.value, context.fields);
            }
            agg_spec(aggregation)
        })
        .collect::<Result<Vec<_>, _>>()?;
    plan.input = RowInput::DataModel(inputs);
    plan.aggregation = Some(Aggregation {
        functions,
        by: tstats.by.iter().map(|by| by.value.clone()).collect(),
        span: span_of(tstats.by_settings.span.as_ref(), &tstats.by_options)?,
        fillnull: tstats
            .settings
            .fillnull_value
            .as_ref()
            .map(|setting| setting.value.clone()),
    });
    Ok(())
}

/// Splits `nodename=X` out of a tstats `where` clause (a top-level conjunct).
fn take_nodename(filter: &SearchExpr) -> (Option<String>, Option<&SearchExpr>) {
    let is_nodename = |expr: &SearchExpr| match expr {
        SearchExpr::Compare { field, value, .. }
            if field.value.eq_ignore_ascii_case("nodename") =>
        {
            Some(value.literal.value.clone())
        }
        _ => None,
    };
    if let Some(node) = is_nodename(filter) {
        return (Some(node), None);
    }
    if let SearchExpr::And { operands, .. } = filter
        && let Some(node) = operands.iter().find_map(is_nodename)
    {
        // The rest of the conjunction is lowered without the nodename test: the parser's And
        // keeps its range, so the remaining operands are re-wrapped by the caller's lowering
        // of each one. A conjunction of one is the operand itself.
        let rest: Vec<&SearchExpr> = operands
            .iter()
            .filter(|operand| is_nodename(operand).is_none())
            .collect();
        return match rest.as_slice() {
            [] => (Some(node), None),
            [only] => (Some(node), Some(only)),
            _ => (Some(node), Some(filter)),
        };
    }
    (None, Some(filter))
}

/// The datasets `from datamodel=M[.D]` (and `nodename=N`) reads: the named dataset and the
/// datasets under it, among the interned ones; the named one is interned if no mapping
/// produces it (so no event is in it, and the summary says the detection saw none).
fn datasets_of(
    model: &str,
    node: Option<&str>,
    datasets: &mut DatasetTable,
) -> Vec<crate::events::DatasetId> {
    let root = model.split('.').next().unwrap_or(model);
    let target = match node {
        // `nodename=All_Sessions.DHCP` names a dataset path under the model.
        Some(node) => format!("{root}.{}", node.rsplit('.').next().unwrap_or(node)),
        None => model.to_owned(),
    };
    let mut found: Vec<crate::events::DatasetId> = datasets
        .ids()
        .filter(|id| {
            let name = datasets.name(*id);
            name == target
                || name
                    .strip_prefix(target.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .collect();
    if found.is_empty()
        && let Some(id) = datasets.intern(&target)
    {
        found.push(id);
    }
    found
}

fn agg_spec(aggregation: &AggNode) -> Result<AggSpec, Unlowerable> {
    use AggFunction as F;
    let supported = matches!(
        aggregation.function,
        F::Count
            | F::C
            | F::Dc
            | F::DistinctCount
            | F::Sum
            | F::Avg
            | F::Mean
            | F::Min
            | F::Max
            | F::Stdev
            | F::Stdevp
            | F::Var
            | F::Varp
            | F::Values
            | F::List
            | F::Latest
            | F::Earliest
            | F::First
            | F::Last
            | F::Range
    );
    if !supported {
        return Err(Unlowerable::new(
            aggregation.name.range,
            format!("the aggregation function `{}`", aggregation.name.value),
        ));
    }
    let input = match &aggregation.argument {
        None => AggInput::Rows,
        Some(AggArgument::Field(field)) => {
            if field.value.contains('*') {
                return Err(Unlowerable::new(
                    field.range,
                    "a wildcard aggregation argument",
                ));
            }
            AggInput::Field(field.value.clone())
        }
        Some(AggArgument::Eval { expr, .. }) => {
            check_expr(expr)?;
            AggInput::Eval(expr.clone())
        }
    };
    let output = match (&aggregation.alias, &aggregation.argument) {
        (Some(alias), _) => alias.value.clone(),
        (None, None) => aggregation.name.value.clone(),
        (None, Some(AggArgument::Field(field))) => {
            format!("{}({})", aggregation.name.value, field.value)
        }
        (None, Some(AggArgument::Eval { .. })) => aggregation.name.value.clone(),
    };
    Ok(AggSpec {
        function: aggregation.function.clone(),
        input,
        output,
    })
}

/// A `span=` in whole seconds (`span=1d` is 86400). Month and longer spans need calendar
/// flooring, and subsecond spans a finer clock: not done yet. The span was parsed once, by the
/// parser; a span it could not read (`P007`) is written in `options` but has no setting, and
/// is not lowered as "no span".
fn span_of(span: Option<&Setting<Duration>>, options: &[Opt]) -> Result<Option<i64>, Unlowerable> {
    match span {
        Some(span) => seconds_of(&span.value, span.range).map(Some),
        None => match options
            .iter()
            .find(|opt| opt.name.value.eq_ignore_ascii_case("span"))
        {
            Some(opt) => Err(Unlowerable::new(
                opt.range,
                format!("the span `{}`", written_value(opt)),
            )),
            None => Ok(None),
        },
    }
}

/// A duration of whole seconds (at least one), written at `range`.
fn seconds_of(duration: &Duration, range: TextRange) -> Result<i64, Unlowerable> {
    match duration.whole_seconds() {
        Some(seconds) if duration.count >= 0 => Ok(seconds.max(1)),
        _ => Err(Unlowerable::new(
            range,
            format!("the span `{}`", duration.written),
        )),
    }
}

/// An option's value as written (the text of a parenthesised value is not needed here).
fn written_value(opt: &Opt) -> &str {
    match &opt.value {
        OptValue::Literal(literal) => literal.value.trim(),
        OptValue::Search { .. } => "(…)",
    }
}

fn stats_aggregation(stats: &Stats) -> Result<Aggregation, Unlowerable> {
    Ok(Aggregation {
        functions: stats
            .aggregations
            .iter()
            .map(agg_spec)
            .collect::<Result<_, _>>()?,
        by: stats.by.iter().map(|by| by.value.clone()).collect(),
        span: span_of(stats.by_settings.span.as_ref(), &stats.by_options)?,
        fillnull: None,
    })
}

fn lower_row_command(
    command: &Command,
    plan: &mut Plan,
    context: &mut LowerContext<'_>,
) -> Result<Option<RowOp>, Unlowerable> {
    let unsupported =
        || Unlowerable::new(command.range, format!("the command `{}`", command.name()));
    Ok(Some(match &command.kind {
        CommandKind::Empty => return Ok(None),
        CommandKind::Search { expr } => match expr {
            None => return Ok(None),
            Some(expr) => RowOp::Search(lower_search(expr, Scope::Events, context.fields)?),
        },
        CommandKind::Where { expr } => {
            check_expr(expr)?;
            RowOp::Where(expr.clone())
        }
        CommandKind::Eval { assignments } => {
            for assignment in assignments {
                check_expr(&assignment.expr)?;
            }
            RowOp::Eval(
                assignments
                    .iter()
                    .map(|a| (a.field.value.clone(), a.expr.clone()))
                    .collect(),
            )
        }
        CommandKind::Rename { pairs } => {
            let mut renames = Vec::new();
            for pair in pairs {
                let Some(alias) = &pair.alias else {
                    return Err(unsupported());
                };
                if pair.field.value.matches('*').count() > 1 {
                    return Err(Unlowerable::new(
                        pair.range,
                        "a rename pattern with several `*`",
                    ));
                }
                renames.push((pair.field.value.clone(), alias.value.clone()));
            }
            RowOp::Rename(renames)
        }
        CommandKind::Table { fields } => {
            RowOp::Table(fields.iter().map(|f| f.value.clone()).collect())
        }
        CommandKind::Fields { mode, fields } => RowOp::Fields {
            keep: *mode == FieldsMode::Keep,
            names: fields.iter().map(|f| f.value.clone()).collect(),
        },
        CommandKind::Convert {
            settings,
            conversions,
            ..
        } => {
            let mut fields = Vec::new();
            for conversion in conversions {
                if !conversion.function.value.eq_ignore_ascii_case("ctime") {
                    return Err(Unlowerable::new(
                        conversion.range,
                        format!("convert {}()", conversion.function.value),
                    ));
                }
                let output = conversion
                    .alias
                    .as_ref()
                    .map_or(&conversion.field.value, |alias| &alias.value);
                fields.push((conversion.field.value.clone(), output.clone()));
            }
            RowOp::Ctime {
                format: settings
                    .timeformat
                    .as_ref()
                    .map_or_else(|| DEFAULT_TIMEFORMAT.to_owned(), |s| s.value.clone()),
                fields,
            }
        }
        CommandKind::Stats(stats) => match stats.kind {
            StatsKind::Stats => RowOp::Stats(stats_aggregation(stats)?),
            StatsKind::Eventstats => RowOp::Eventstats(stats_aggregation(stats)?),
            StatsKind::Streamstats => return Err(unsupported()),
        },
        CommandKind::Sort { limit, keys } => {
            let limit = match limit {
                None => 10_000,
                Some(limit) => usize::try_from(limit.value)
                    .map_err(|_| Unlowerable::new(limit.literal.range, "a sort count"))?,
            };
            RowOp::Sort {
                limit,
                keys: keys
                    .iter()
                    .map(|key| (key.field.value.clone(), key.order == SortOrder::Descending))
                    .collect(),
            }
        }
        CommandKind::Head {
            count,
            args,
            settings,
        } => {
            // A positional word that is not the count is the `(eval-expression)` form.
            if !args.fields.is_empty() {
                return Err(Unlowerable::new(command.range, "head with a condition"));
            }
            let from_option = settings.limit.as_ref().map(|setting| setting.value);
            let from_count = count.as_ref().map(|count| count.value);
            let limit = from_option.or(from_count).unwrap_or(10);
            RowOp::Head(usize::try_from(limit).unwrap_or(usize::MAX))
        }
        CommandKind::Dedup { args, settings } => {
            if settings.keepevents.is_some() {
                return Err(Unlowerable::new(command.range, "dedup keepevents="));
            }
            RowOp::Dedup {
                fields: args.fields.iter().map(|f| f.value.clone()).collect(),
                keepempty: settings.keepempty.as_ref().is_some_and(|s| s.value),
                consecutive: settings.consecutive.as_ref().is_some_and(|s| s.value),
            }
        }
        CommandKind::Fillnull { args, settings } => RowOp::Fillnull {
            value: settings
                .value
                .as_ref()
                .map_or_else(|| "0".to_owned(), |s| s.value.clone()),
            fields: args.fields.iter().map(|f| f.value.clone()).collect(),
        },
        CommandKind::Join {
            args,
            settings,
            subsearch,
        } => {
            if settings.usetime.is_some() {
                return Err(Unlowerable::new(command.range, "join usetime="));
            }
            let sub = lower(&subsearch.pipeline, context)?;
            plan.subsearches.push(sub);
            RowOp::Join {
                fields: args.fields.iter().map(|f| f.value.clone()).collect(),
                left: settings
                    .join_type
                    .as_ref()
                    .is_some_and(|s| !matches!(s.value, JoinType::Inner)),
                max: settings
                    .max
                    .as_ref()
                    .map_or(1, |s| usize::try_from(s.value).unwrap_or(usize::MAX)),
                overwrite: settings.overwrite.as_ref().is_none_or(|s| s.value),
                subsearch: plan.subsearches.len().saturating_sub(1),
            }
        }
        CommandKind::Bin {
            options,
            settings,
            field,
        } => {
            let Some(span_setting) = &settings.span else {
                span_of(None, options)?;
                return Err(Unlowerable::new(command.range, "bin without span="));
            };
            if settings.bins.is_some() || settings.start.is_some() || settings.aligntime.is_some() {
                return Err(Unlowerable::new(
                    command.range,
                    "bin with bins=, start= or aligntime=",
                ));
            }
            let span = match &span_setting.value {
                BinSpan::Length(span) => span,
                BinSpan::Log { written, .. } => {
                    return Err(Unlowerable::new(
                        span_setting.range,
                        format!("the span `{written}`"),
                    ));
                }
            };
            if span.unit.is_none() && field.field.value != "_time" {
                // Splunk writes numeric bins as ranges (`10-20`): not done yet.
                return Err(Unlowerable::new(span_setting.range, "a numeric bin span"));
            }
            RowOp::Bin {
                field: field.field.value.clone(),
                output: field
                    .alias
                    .as_ref()
                    .map_or_else(|| field.field.value.clone(), |alias| alias.value.clone()),
                span: seconds_of(span, span_setting.range)?,
            }
        }
        CommandKind::Lookup(lookup) => {
            let pairs = |mappings: &[crate::spl::ast::FieldMapping]| -> Vec<(String, String)> {
                mappings
                    .iter()
                    .map(|m| {
                        let alias = m.alias.as_ref().map_or(&m.field.value, |a| &a.value);
                        (m.field.value.clone(), alias.clone())
                    })
                    .collect()
            };
            if lookup.inputs.is_empty() {
                return Err(Unlowerable::new(
                    command.range,
                    "lookup without input fields",
                ));
            }
            RowOp::Lookup {
                table: lookup.table.value.clone(),
                inputs: pairs(&lookup.inputs),
                outputs: pairs(&lookup.outputs),
                output_new: lookup.output_mode == Some(crate::spl::ast::OutputMode::OutputNew),
            }
        }
        CommandKind::Regex {
            field,
            negated,
            pattern,
        } => RowOp::Regex {
            field: field
                .as_ref()
                .map_or_else(|| "_raw".to_owned(), |f| f.value.clone()),
            negated: *negated,
            pattern: Pattern::new(&pattern.value, pattern.range)?,
        },
        CommandKind::Rex {
            settings, pattern, ..
        } => {
            if settings.mode.is_some() || settings.offset_field.is_some() {
                return Err(Unlowerable::new(
                    command.range,
                    "rex mode=sed or offset_field=",
                ));
            }
            RowOp::Rex {
                field: settings
                    .field
                    .as_ref()
                    .map_or_else(|| "_raw".to_owned(), |s| s.value.clone()),
                max_match: settings
                    .max_match
                    .as_ref()
                    .map_or(1, |s| usize::try_from(s.value).unwrap_or(usize::MAX)),
                pattern: Pattern::new(&pattern.value, pattern.range)?,
            }
        }
        _ => return Err(unsupported()),
    }))
}

#[cfg(test)]
mod tests {
    /// What `text` cannot be lowered for, and the text of its range.
    fn problem(text: &str) -> (String, String) {
        let out = crate::spl::parse(text);
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        let mut fields = crate::events::FieldTable::new();
        let mut datasets = crate::events::DatasetTable::new();
        let mut context = super::LowerContext {
            fields: &mut fields,
            datasets: &mut datasets,
        };
        let problem = super::lower(&out.pipeline, &mut context).unwrap_err();
        (problem.what, problem.range.slice(text).to_owned())
    }

    #[test]
    fn an_eval_expression_reports_its_first_problem_in_text_order() {
        assert_eq!(
            problem("index=x | where nosuchfn(x) > 1 AND `m`"),
            (
                "the eval function `nosuchfn`".to_owned(),
                "nosuchfn".to_owned()
            )
        );
        assert_eq!(
            problem("index=x | eval y=1 + `m`, z=nosuchfn(x)"),
            ("the unexpanded macro `m`".to_owned(), "`m`".to_owned())
        );
    }
}
