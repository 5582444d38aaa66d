//! The typed SPL syntax tree: a [`Pipeline`] of [`Command`]s, search-grammar predicates
//! ([`SearchExpr`]), eval/where expressions ([`Expr`]) and [`Literal`]s. Every node carries
//! its [`TextRange`] in the parsed text.
//!
//! The tree keeps what a later lowering needs (predicates over fields, pipeline steps) and
//! what the printer needs to reproduce the meaning; it drops comments and redundant
//! parentheses. [`dump`] renders an indented tree (used by snapshots and
//! `detc compile --explain`); [`structural_eq`] compares two trees with spans and raw
//! spellings ignored, which is what the round-trip tests check.

use std::fmt::Write as _;

use super::TextRange;

/// A pipeline: commands separated by top-level `|`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The whole pipeline.
    pub range: TextRange,
    /// The commands in order. When the text does not start with `|`, the first one is the
    /// implicit [`Command::Search`].
    pub commands: Vec<Command>,
}

/// How a literal was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quote {
    /// A bare word.
    None,
    /// `"…"`.
    Double,
    /// `'…'` (a field name in eval and where).
    Single,
}

/// A word, quoted string, number or field name, as written and as decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// The token, quotes included.
    pub range: TextRange,
    /// The source text of the token, quotes included.
    pub raw: String,
    /// The value after quote removal and escape decoding.
    pub value: String,
    /// How it was quoted.
    pub quote: Quote,
}

/// A backtick macro call left unexpanded (an opaque atom), e.g. `` `get_asset(src)` ``.
#[derive(Clone, Debug, PartialEq)]
pub struct MacroCall {
    /// The call, backticks included.
    pub range: TextRange,
    /// The call text between the backticks.
    pub text: String,
}

/// A `[ … ]` subsearch (or the template of `foreach`, the subpipeline of `appendpipe`).
#[derive(Clone, Debug, PartialEq)]
pub struct Subsearch {
    /// The brackets and what is between them.
    pub range: TextRange,
    /// The inner pipeline.
    pub pipeline: Pipeline,
}

/// A comparison operator of the search grammar and of eval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `==` (eval only)
    EqEq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::EqEq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// `TERM(…)` or `CASE(…)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermModifier {
    /// `TERM(x)`: match `x` as one indexed token.
    Term,
    /// `CASE(x)`: match case-sensitively.
    Case,
}

/// A search-grammar (grammar a) predicate: the implicit leading search, the `search`
/// command and the `where` clause of `tstats`.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchExpr {
    /// Conjunction (explicit `AND` or juxtaposition); the loosest operator.
    And {
        /// The operands and the words between them.
        range: TextRange,
        /// Two or more operands.
        operands: Vec<SearchExpr>,
    },
    /// Disjunction; binds tighter than `AND` in this grammar.
    Or {
        /// The operands and the `OR`s between them.
        range: TextRange,
        /// Two or more operands.
        operands: Vec<SearchExpr>,
    },
    /// `NOT x`; binds to the next operand only.
    Not {
        /// `NOT` and its operand.
        range: TextRange,
        /// The negated operand.
        operand: Box<SearchExpr>,
    },
    /// `field op value`.
    Compare {
        /// The whole comparison.
        range: TextRange,
        /// The field name (possibly double-quoted).
        field: Literal,
        /// The operator.
        op: CompareOp,
        /// The value (wildcards allowed).
        value: Literal,
    },
    /// `field IN (v1, v2, …)`.
    In {
        /// The whole test.
        range: TextRange,
        /// The field name.
        field: Literal,
        /// The values.
        values: Vec<Literal>,
        /// Unexpanded macro calls inside the list (their values are unknown here).
        macros: Vec<MacroCall>,
    },
    /// A bare word or `"phrase"` matched against `_raw`.
    Term {
        /// The term.
        range: TextRange,
        /// The word or phrase.
        literal: Literal,
    },
    /// `TERM(x)` or `CASE(x)`.
    Modifier {
        /// The whole modifier call.
        range: TextRange,
        /// Which modifier.
        kind: TermModifier,
        /// Its argument.
        literal: Literal,
    },
    /// An unexpanded macro call, kept opaque.
    Macro(MacroCall),
    /// A `[ … ]` subsearch used as a term.
    Subsearch(Box<Subsearch>),
}

impl SearchExpr {
    /// The node's range.
    #[must_use]
    pub fn range(&self) -> TextRange {
        match self {
            SearchExpr::And { range, .. }
            | SearchExpr::Or { range, .. }
            | SearchExpr::Not { range, .. }
            | SearchExpr::Compare { range, .. }
            | SearchExpr::In { range, .. }
            | SearchExpr::Term { range, .. }
            | SearchExpr::Modifier { range, .. } => *range,
            SearchExpr::Macro(call) => call.range,
            SearchExpr::Subsearch(sub) => sub.range,
        }
    }
}

/// A binary operator of the eval grammar (grammar b).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `XOR`, the loosest.
    Xor,
    /// `OR`
    Or,
    /// `AND`
    And,
    /// A comparison.
    Compare(CompareOp),
    /// `LIKE`
    Like,
    /// `.` (string concatenation)
    Concat,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinaryOp {
    /// Binding power: larger binds tighter.
    #[must_use]
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Xor => 1,
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            // 4 is NOT.
            BinaryOp::Compare(_) | BinaryOp::Like => 5,
            BinaryOp::Concat | BinaryOp::Add | BinaryOp::Sub => 6,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 7,
        }
    }

    /// The canonical spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Xor => "XOR",
            BinaryOp::Or => "OR",
            BinaryOp::And => "AND",
            BinaryOp::Compare(op) => op.as_str(),
            BinaryOp::Like => "LIKE",
            BinaryOp::Concat => ".",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }
}

/// Precedence of prefix `NOT` in the eval grammar (between `AND` and comparisons).
pub const NOT_PRECEDENCE: u8 = 4;
/// Precedence of unary minus (tighter than every binary operator).
pub const NEG_PRECEDENCE: u8 = 8;

/// A prefix operator of the eval grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `NOT`
    Not,
    /// `-`
    Neg,
}

/// An eval/where expression (grammar b).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `lhs op rhs`.
    Binary {
        /// The whole expression.
        range: TextRange,
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `NOT x` or `-x`.
    Unary {
        /// The whole expression.
        range: TextRange,
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `x IN (a, b)`; a list element may name a multivalue field.
    In {
        /// The whole expression.
        range: TextRange,
        /// The tested value.
        lhs: Box<Expr>,
        /// The list.
        list: Vec<Expr>,
    },
    /// `f(args)`.
    Call {
        /// The whole call.
        range: TextRange,
        /// The function name as written.
        name: Literal,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// A field: bare name or `'single quoted'`.
    Field(Literal),
    /// A `"string"` literal.
    String(Literal),
    /// A number literal.
    Number(Literal),
    /// An unexpanded macro call, kept opaque.
    Macro(MacroCall),
}

impl Expr {
    /// The node's range.
    #[must_use]
    pub fn range(&self) -> TextRange {
        match self {
            Expr::Binary { range, .. }
            | Expr::Unary { range, .. }
            | Expr::In { range, .. }
            | Expr::Call { range, .. } => *range,
            Expr::Field(lit) | Expr::String(lit) | Expr::Number(lit) => lit.range,
            Expr::Macro(call) => call.range,
        }
    }
}

/// An option `name=value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Opt {
    /// `name=value`.
    pub range: TextRange,
    /// The option name.
    pub name: Literal,
    /// The value.
    pub value: OptValue,
}

/// The value of an [`Opt`].
#[derive(Clone, Debug, PartialEq)]
pub enum OptValue {
    /// A word or quoted string.
    Literal(Literal),
    /// A parenthesised search expression (`startswith=(EventCode=4698)`).
    Search {
        /// The parentheses and what is between them.
        range: TextRange,
        /// The expression.
        expr: SearchExpr,
    },
}

/// Options and positional field names, the arguments of many simple commands.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Args {
    /// `name=value` options, in order.
    pub options: Vec<Opt>,
    /// Positional words (field names, paths, table names), in order.
    pub fields: Vec<Literal>,
}

/// `agg(arg) [as alias]` in stats, eventstats, streamstats and tstats.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregation {
    /// The whole aggregation, alias included.
    pub range: TextRange,
    /// The function name (`count`, `values`, `p95`…).
    pub function: Literal,
    /// The argument, if any.
    pub argument: Option<AggArgument>,
    /// `as alias`.
    pub alias: Option<Literal>,
}

/// The argument of an aggregation.
#[derive(Clone, Debug, PartialEq)]
pub enum AggArgument {
    /// A field name (wildcards allowed, possibly quoted).
    Field(Literal),
    /// `eval(expr)`.
    Eval {
        /// `eval(…)`.
        range: TextRange,
        /// The expression.
        expr: Expr,
    },
}

/// Which statistics command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatsKind {
    /// `stats`
    Stats,
    /// `eventstats`
    Eventstats,
    /// `streamstats`
    Streamstats,
}

impl StatsKind {
    /// The command name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StatsKind::Stats => "stats",
            StatsKind::Eventstats => "eventstats",
            StatsKind::Streamstats => "streamstats",
        }
    }
}

/// `stats` / `eventstats` / `streamstats`.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// The command, name included.
    pub range: TextRange,
    /// Which command.
    pub kind: StatsKind,
    /// Options before the aggregations.
    pub options: Vec<Opt>,
    /// The aggregations.
    pub aggregations: Vec<Aggregation>,
    /// `by` fields.
    pub by: Vec<Literal>,
    /// Options among the `by` fields (`span=1h`).
    pub by_options: Vec<Opt>,
}

/// `tstats … from datamodel=… where … by …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tstats {
    /// The command, name included.
    pub range: TextRange,
    /// Unexpanded macro calls among the options (`` `security_content_summariesonly` ``).
    pub macros: Vec<MacroCall>,
    /// Options before the aggregations.
    pub options: Vec<Opt>,
    /// The aggregations.
    pub aggregations: Vec<Aggregation>,
    /// The `from` clause options (`datamodel=Endpoint.Processes`).
    pub from: Vec<Opt>,
    /// The `where` clause, in the search grammar (`nodename=…` stays a comparison in it).
    pub filter: Option<SearchExpr>,
    /// `by` fields.
    pub by: Vec<Literal>,
    /// Options among the `by` fields (`span=1h`).
    pub by_options: Vec<Opt>,
}

/// One `field = expr` of `eval`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// `field = expr`.
    pub range: TextRange,
    /// The assigned field.
    pub field: Literal,
    /// The value.
    pub expr: Expr,
}

/// `from AS to` (in rename, lookup, convert, bin).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMapping {
    /// The whole mapping.
    pub range: TextRange,
    /// The field (or pattern).
    pub field: Literal,
    /// `AS alias`.
    pub alias: Option<Literal>,
}

/// `fields` mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldsMode {
    /// `fields a b` / `fields + a b`
    Keep,
    /// `fields - a b`
    Remove,
}

/// `convert` conversion: `ctime(f) [AS g]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion {
    /// The whole conversion.
    pub range: TextRange,
    /// The function (`ctime`, `dur2sec`…).
    pub function: Literal,
    /// The field.
    pub field: Literal,
    /// `AS alias`.
    pub alias: Option<Literal>,
}

/// `OUTPUT` or `OUTPUTNEW`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputMode {
    /// `OUTPUT`: overwrite.
    Output,
    /// `OUTPUTNEW`: fill only missing fields.
    OutputNew,
}

/// `lookup [options] table in [AS f]… [OUTPUT|OUTPUTNEW out [AS g]…]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    /// The command.
    pub range: TextRange,
    /// Options before the table name.
    pub options: Vec<Opt>,
    /// The lookup name.
    pub table: Literal,
    /// Input fields.
    pub inputs: Vec<FieldMapping>,
    /// `OUTPUT`/`OUTPUTNEW`, if given.
    pub output_mode: Option<OutputMode>,
    /// Output fields.
    pub outputs: Vec<FieldMapping>,
}

/// Sort direction of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// No sign.
    Default,
    /// `+f`
    Ascending,
    /// `-f` or `- f`
    Descending,
}

/// One `sort` key.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    /// The key, sign included.
    pub range: TextRange,
    /// Direction.
    pub order: SortOrder,
    /// The field.
    pub field: Literal,
}

/// `replace a WITH b, … IN f…`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplacePair {
    /// `a WITH b`.
    pub range: TextRange,
    /// The pattern.
    pub from: Literal,
    /// The replacement.
    pub to: Literal,
}

/// One command of a pipeline.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Command {
    /// The implicit leading search or `search …`; `expr` is `None` for an empty search.
    Search {
        /// The command.
        range: TextRange,
        /// The predicate.
        expr: Option<SearchExpr>,
    },
    /// `tstats`.
    Tstats(Box<Tstats>),
    /// `stats`, `eventstats`, `streamstats`.
    Stats(Box<Stats>),
    /// `where <expr>`.
    Where {
        /// The command.
        range: TextRange,
        /// The condition.
        expr: Expr,
    },
    /// `eval f=expr, …`.
    Eval {
        /// The command.
        range: TextRange,
        /// The assignments.
        assignments: Vec<Assignment>,
    },
    /// `rename a AS b, …` (wildcards allowed).
    Rename {
        /// The command.
        range: TextRange,
        /// The pairs (`alias` is always set).
        pairs: Vec<FieldMapping>,
    },
    /// `table f…`.
    Table {
        /// The command.
        range: TextRange,
        /// The columns.
        fields: Vec<Literal>,
    },
    /// `fields [+|-] f…`.
    Fields {
        /// The command.
        range: TextRange,
        /// Keep or remove.
        mode: FieldsMode,
        /// The fields.
        fields: Vec<Literal>,
    },
    /// `convert [options] fn(f) [AS g]…`.
    Convert {
        /// The command.
        range: TextRange,
        /// Options (`timeformat=…`).
        options: Vec<Opt>,
        /// Conversions.
        conversions: Vec<Conversion>,
    },
    /// `bin` / `bucket`.
    Bin {
        /// The command.
        range: TextRange,
        /// Options (`span=…`).
        options: Vec<Opt>,
        /// The field and its alias.
        field: FieldMapping,
    },
    /// `lookup`.
    Lookup(Box<Lookup>),
    /// `inputlookup [options] table`.
    Inputlookup {
        /// The command.
        range: TextRange,
        /// Options and the table name.
        args: Args,
    },
    /// `rex [options] "regex"`.
    Rex {
        /// The command.
        range: TextRange,
        /// Options (`field=`, `max_match=`, `mode=`).
        options: Vec<Opt>,
        /// The regex or sed expression.
        pattern: Literal,
    },
    /// `regex [f=|f!=]"re"`.
    Regex {
        /// The command.
        range: TextRange,
        /// The field (`_raw` when absent).
        field: Option<Literal>,
        /// `!=`: drop matching rows.
        negated: bool,
        /// The regex.
        pattern: Literal,
    },
    /// `fillnull [value=x] [f…]`.
    Fillnull {
        /// The command.
        range: TextRange,
        /// Options and fields.
        args: Args,
    },
    /// `dedup [options] f…`.
    Dedup {
        /// The command.
        range: TextRange,
        /// Options and fields.
        args: Args,
    },
    /// `mvexpand f`.
    Mvexpand {
        /// The command.
        range: TextRange,
        /// Options and the field.
        args: Args,
    },
    /// `sort [limit] [±]f…`.
    Sort {
        /// The command.
        range: TextRange,
        /// The leading count (`sort 0`).
        limit: Option<Literal>,
        /// The keys.
        keys: Vec<SortKey>,
    },
    /// `join [options] f… [subsearch]`.
    Join {
        /// The command.
        range: TextRange,
        /// Options (`type=left`, `max=0`) and join fields.
        args: Args,
        /// The right side.
        subsearch: Subsearch,
    },
    /// `append [options] [subsearch]`.
    Append {
        /// The command.
        range: TextRange,
        /// Options.
        args: Args,
        /// The appended search.
        subsearch: Subsearch,
    },
    /// `appendpipe [subpipeline]`.
    Appendpipe {
        /// The command.
        range: TextRange,
        /// Options.
        args: Args,
        /// The subpipeline.
        subsearch: Subsearch,
    },
    /// `spath [options] [path]`.
    Spath {
        /// The command.
        range: TextRange,
        /// Options and a positional path.
        args: Args,
    },
    /// `foreach [options] f… [template]`.
    Foreach {
        /// The command.
        range: TextRange,
        /// Options and field patterns.
        args: Args,
        /// The template pipeline.
        template: Subsearch,
    },
    /// `iplocation [options] f`.
    Iplocation {
        /// The command.
        range: TextRange,
        /// Options and the field.
        args: Args,
    },
    /// `xmlkv [f]`.
    Xmlkv {
        /// The command.
        range: TextRange,
        /// Options and the field.
        args: Args,
    },
    /// `makemv [options] f`.
    Makemv {
        /// The command.
        range: TextRange,
        /// Options and the field.
        args: Args,
    },
    /// `fromjson f [options]`.
    Fromjson {
        /// The command.
        range: TextRange,
        /// Options and the field.
        args: Args,
    },
    /// `addtotals [options] f…`.
    Addtotals {
        /// The command.
        range: TextRange,
        /// Options and fields.
        args: Args,
    },
    /// `transaction f… [options]`.
    Transaction {
        /// The command.
        range: TextRange,
        /// Options (`maxspan`, `startswith=(…)`) and fields.
        args: Args,
    },
    /// `from datamodel Web.Web`.
    From {
        /// The command.
        range: TextRange,
        /// Options and words.
        args: Args,
    },
    /// `head [n] [options]`.
    Head {
        /// The command.
        range: TextRange,
        /// Options and the count.
        args: Args,
    },
    /// `replace a WITH b, … IN f…`.
    Replace {
        /// The command.
        range: TextRange,
        /// The replacements.
        pairs: Vec<ReplacePair>,
        /// The fields.
        fields: Vec<Literal>,
    },
    /// An empty pipe segment (`| |`), a no-op.
    Empty {
        /// The empty segment.
        range: TextRange,
    },
    /// A command detc does not model (or a macro call standing as a segment); its
    /// arguments are kept as text.
    Unsupported {
        /// The command name (or the macro call, backticks included).
        name: String,
        /// The command.
        range: TextRange,
        /// The arguments.
        args_range: TextRange,
        /// The argument text, verbatim.
        args: String,
    },
    /// A command that failed to parse (a `P001` was reported); kept as text.
    Invalid {
        /// The command.
        range: TextRange,
        /// Its text, verbatim.
        text: String,
    },
}

impl Command {
    /// The command's range.
    #[must_use]
    pub fn range(&self) -> TextRange {
        match self {
            Command::Tstats(t) => t.range,
            Command::Stats(s) => s.range,
            Command::Lookup(l) => l.range,
            Command::Search { range, .. }
            | Command::Where { range, .. }
            | Command::Eval { range, .. }
            | Command::Rename { range, .. }
            | Command::Table { range, .. }
            | Command::Fields { range, .. }
            | Command::Convert { range, .. }
            | Command::Bin { range, .. }
            | Command::Inputlookup { range, .. }
            | Command::Rex { range, .. }
            | Command::Regex { range, .. }
            | Command::Fillnull { range, .. }
            | Command::Dedup { range, .. }
            | Command::Mvexpand { range, .. }
            | Command::Sort { range, .. }
            | Command::Join { range, .. }
            | Command::Append { range, .. }
            | Command::Appendpipe { range, .. }
            | Command::Spath { range, .. }
            | Command::Foreach { range, .. }
            | Command::Iplocation { range, .. }
            | Command::Xmlkv { range, .. }
            | Command::Makemv { range, .. }
            | Command::Fromjson { range, .. }
            | Command::Addtotals { range, .. }
            | Command::Transaction { range, .. }
            | Command::From { range, .. }
            | Command::Head { range, .. }
            | Command::Replace { range, .. }
            | Command::Empty { range }
            | Command::Unsupported { range, .. }
            | Command::Invalid { range, .. } => *range,
        }
    }

    /// The command name as printed (`search`, `stats`, the macro call for a macro segment).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Command::Search { .. } => "search",
            Command::Tstats(_) => "tstats",
            Command::Stats(s) => s.kind.as_str(),
            Command::Where { .. } => "where",
            Command::Eval { .. } => "eval",
            Command::Rename { .. } => "rename",
            Command::Table { .. } => "table",
            Command::Fields { .. } => "fields",
            Command::Convert { .. } => "convert",
            Command::Bin { .. } => "bin",
            Command::Lookup(_) => "lookup",
            Command::Inputlookup { .. } => "inputlookup",
            Command::Rex { .. } => "rex",
            Command::Regex { .. } => "regex",
            Command::Fillnull { .. } => "fillnull",
            Command::Dedup { .. } => "dedup",
            Command::Mvexpand { .. } => "mvexpand",
            Command::Sort { .. } => "sort",
            Command::Join { .. } => "join",
            Command::Append { .. } => "append",
            Command::Appendpipe { .. } => "appendpipe",
            Command::Spath { .. } => "spath",
            Command::Foreach { .. } => "foreach",
            Command::Iplocation { .. } => "iplocation",
            Command::Xmlkv { .. } => "xmlkv",
            Command::Makemv { .. } => "makemv",
            Command::Fromjson { .. } => "fromjson",
            Command::Addtotals { .. } => "addtotals",
            Command::Transaction { .. } => "transaction",
            Command::From { .. } => "from",
            Command::Head { .. } => "head",
            Command::Replace { .. } => "replace",
            Command::Empty { .. } => "",
            Command::Unsupported { name, .. } => name,
            Command::Invalid { .. } => "<invalid>",
        }
    }
}

/// What [`dump_with`] shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DumpMode {
    /// Ranges and raw spellings included (snapshots, `--explain`).
    Full,
    /// Only structure and decoded values (span-free comparison).
    Structural,
}

/// An indented tree of the pipeline, with ranges and raw spellings.
#[must_use]
pub fn dump(pipeline: &Pipeline) -> String {
    dump_with(pipeline, DumpMode::Full)
}

/// An indented tree of the pipeline in the given mode.
#[must_use]
pub fn dump_with(pipeline: &Pipeline, mode: DumpMode) -> String {
    let mut dumper = Dumper {
        out: String::new(),
        mode,
    };
    dumper.pipeline(pipeline, 0);
    dumper.out
}

/// Whether two pipelines have the same structure and decoded values (spans, raw spellings,
/// comments and redundant parentheses ignored).
#[must_use]
pub fn structural_eq(a: &Pipeline, b: &Pipeline) -> bool {
    dump_with(a, DumpMode::Structural) == dump_with(b, DumpMode::Structural)
}

struct Dumper {
    out: String,
    mode: DumpMode,
}

impl Dumper {
    fn line(&mut self, depth: usize, label: &str, range: TextRange) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(label);
        if self.mode == DumpMode::Full {
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
        if self.mode == DumpMode::Full && lit.raw != lit.value {
            format!("{quote} {:?} (raw {:?})", lit.value, lit.raw)
        } else {
            format!("{quote} {:?}", lit.value)
        }
    }

    fn literal(&mut self, depth: usize, role: &str, lit: &Literal) {
        let text = format!("{role}: {}", self.literal_text(lit));
        self.line(depth, &text, lit.range);
    }

    fn literals(&mut self, depth: usize, role: &str, lits: &[Literal]) {
        for lit in lits {
            self.literal(depth, role, lit);
        }
    }

    fn pipeline(&mut self, pipeline: &Pipeline, depth: usize) {
        self.line(depth, "Pipeline", pipeline.range);
        for command in &pipeline.commands {
            self.command(command, depth + 1);
        }
    }

    fn options(&mut self, depth: usize, options: &[Opt]) {
        for opt in options {
            let label = format!("Option {}", self.literal_text(&opt.name));
            self.line(depth, &label, opt.range);
            match &opt.value {
                OptValue::Literal(lit) => self.literal(depth + 1, "value", lit),
                OptValue::Search { range, expr } => {
                    self.line(depth + 1, "Group", *range);
                    self.search(expr, depth + 2);
                }
            }
        }
    }

    fn args(&mut self, depth: usize, args: &Args) {
        self.options(depth, &args.options);
        self.literals(depth, "field", &args.fields);
    }

    fn mapping(&mut self, depth: usize, role: &str, mapping: &FieldMapping) {
        self.line(depth, role, mapping.range);
        self.literal(depth + 1, "field", &mapping.field);
        if let Some(alias) = &mapping.alias {
            self.literal(depth + 1, "as", alias);
        }
    }

    fn macro_call(&mut self, depth: usize, call: &MacroCall) {
        let label = format!("Macro {:?}", call.text);
        self.line(depth, &label, call.range);
    }

    fn subsearch(&mut self, depth: usize, sub: &Subsearch) {
        self.line(depth, "Subsearch", sub.range);
        self.pipeline(&sub.pipeline, depth + 1);
    }

    fn aggregations(&mut self, depth: usize, aggs: &[Aggregation]) {
        for agg in aggs {
            let label = format!("Aggregation {}", self.literal_text(&agg.function));
            self.line(depth, &label, agg.range);
            match &agg.argument {
                Some(AggArgument::Field(lit)) => self.literal(depth + 1, "field", lit),
                Some(AggArgument::Eval { range, expr }) => {
                    self.line(depth + 1, "Eval", *range);
                    self.expr(expr, depth + 2);
                }
                None => {}
            }
            if let Some(alias) = &agg.alias {
                self.literal(depth + 1, "as", alias);
            }
        }
    }

    fn command(&mut self, command: &Command, depth: usize) {
        let range = command.range();
        let d = depth + 1;
        match command {
            Command::Search { expr, .. } => {
                self.line(depth, "Search", range);
                if let Some(expr) = expr {
                    self.search(expr, d);
                }
            }
            Command::Tstats(t) => {
                self.line(depth, "Tstats", range);
                for call in &t.macros {
                    self.macro_call(d, call);
                }
                self.options(d, &t.options);
                self.aggregations(d, &t.aggregations);
                if let (Some(first), Some(last)) = (t.from.first(), t.from.last()) {
                    self.line(d, "From", first.range.cover(last.range));
                    self.options(d + 1, &t.from);
                }
                if let Some(filter) = &t.filter {
                    self.line(d, "Where", filter.range());
                    self.search(filter, d + 1);
                }
                self.literals(d, "by", &t.by);
                self.options(d, &t.by_options);
            }
            Command::Stats(s) => {
                let label = format!("Stats {}", s.kind.as_str());
                self.line(depth, &label, range);
                self.options(d, &s.options);
                self.aggregations(d, &s.aggregations);
                self.literals(d, "by", &s.by);
                self.options(d, &s.by_options);
            }
            Command::Where { expr, .. } => {
                self.line(depth, "Where", range);
                self.expr(expr, d);
            }
            Command::Eval { assignments, .. } => {
                self.line(depth, "Eval", range);
                for assignment in assignments {
                    self.line(d, "Assign", assignment.range);
                    self.literal(d + 1, "field", &assignment.field);
                    self.expr(&assignment.expr, d + 1);
                }
            }
            Command::Rename { pairs, .. } => {
                self.line(depth, "Rename", range);
                for pair in pairs {
                    self.mapping(d, "Pair", pair);
                }
            }
            Command::Table { fields, .. } => {
                self.line(depth, "Table", range);
                self.literals(d, "field", fields);
            }
            Command::Fields { mode, fields, .. } => {
                let label = format!("Fields {mode:?}");
                self.line(depth, &label, range);
                self.literals(d, "field", fields);
            }
            Command::Convert {
                options,
                conversions,
                ..
            } => {
                self.line(depth, "Convert", range);
                self.options(d, options);
                for conv in conversions {
                    let label = format!("Conversion {}", self.literal_text(&conv.function));
                    self.line(d, &label, conv.range);
                    self.literal(d + 1, "field", &conv.field);
                    if let Some(alias) = &conv.alias {
                        self.literal(d + 1, "as", alias);
                    }
                }
            }
            Command::Bin { options, field, .. } => {
                self.line(depth, "Bin", range);
                self.options(d, options);
                self.mapping(d, "Field", field);
            }
            Command::Lookup(l) => {
                let label = match l.output_mode {
                    Some(mode) => format!("Lookup {mode:?}"),
                    None => "Lookup".to_owned(),
                };
                self.line(depth, &label, range);
                self.options(d, &l.options);
                self.literal(d, "table", &l.table);
                for input in &l.inputs {
                    self.mapping(d, "Input", input);
                }
                for output in &l.outputs {
                    self.mapping(d, "Output", output);
                }
            }
            Command::Rex {
                options, pattern, ..
            } => {
                self.line(depth, "Rex", range);
                self.options(d, options);
                self.literal(d, "pattern", pattern);
            }
            Command::Regex {
                field,
                negated,
                pattern,
                ..
            } => {
                let label = if *negated { "Regex !=" } else { "Regex =" };
                self.line(depth, label, range);
                if let Some(field) = field {
                    self.literal(d, "field", field);
                }
                self.literal(d, "pattern", pattern);
            }
            Command::Sort { limit, keys, .. } => {
                self.line(depth, "Sort", range);
                if let Some(limit) = limit {
                    self.literal(d, "limit", limit);
                }
                for key in keys {
                    let label = format!("Key {:?}", key.order);
                    self.line(d, &label, key.range);
                    self.literal(d + 1, "field", &key.field);
                }
            }
            Command::Join {
                args, subsearch, ..
            }
            | Command::Append {
                args, subsearch, ..
            }
            | Command::Appendpipe {
                args, subsearch, ..
            }
            | Command::Foreach {
                args,
                template: subsearch,
                ..
            } => {
                let label = capitalised(command.name());
                self.line(depth, &label, range);
                self.args(d, args);
                self.subsearch(d, subsearch);
            }
            Command::Inputlookup { args, .. }
            | Command::Fillnull { args, .. }
            | Command::Dedup { args, .. }
            | Command::Mvexpand { args, .. }
            | Command::Spath { args, .. }
            | Command::Iplocation { args, .. }
            | Command::Xmlkv { args, .. }
            | Command::Makemv { args, .. }
            | Command::Fromjson { args, .. }
            | Command::Addtotals { args, .. }
            | Command::Transaction { args, .. }
            | Command::From { args, .. }
            | Command::Head { args, .. } => {
                let label = capitalised(command.name());
                self.line(depth, &label, range);
                self.args(d, args);
            }
            Command::Replace { pairs, fields, .. } => {
                self.line(depth, "Replace", range);
                for pair in pairs {
                    self.line(d, "With", pair.range);
                    self.literal(d + 1, "from", &pair.from);
                    self.literal(d + 1, "to", &pair.to);
                }
                self.literals(d, "in", fields);
            }
            Command::Empty { .. } => self.line(depth, "Empty", range),
            Command::Unsupported {
                name,
                args,
                args_range,
                ..
            } => {
                let label = format!("Unsupported {name:?}");
                self.line(depth, &label, range);
                if !args.is_empty() {
                    let label = format!("args {args:?}");
                    self.line(d, &label, *args_range);
                }
            }
            Command::Invalid { text, .. } => {
                let label = format!("Invalid {text:?}");
                self.line(depth, &label, range);
            }
        }
    }

    fn search(&mut self, expr: &SearchExpr, depth: usize) {
        let d = depth + 1;
        match expr {
            SearchExpr::And { range, operands } | SearchExpr::Or { range, operands } => {
                let label = if matches!(expr, SearchExpr::And { .. }) {
                    "And"
                } else {
                    "Or"
                };
                self.line(depth, label, *range);
                for operand in operands {
                    self.search(operand, d);
                }
            }
            SearchExpr::Not { range, operand } => {
                self.line(depth, "Not", *range);
                self.search(operand, d);
            }
            SearchExpr::Compare {
                range,
                field,
                op,
                value,
            } => {
                let label = format!("Compare {}", op.as_str());
                self.line(depth, &label, *range);
                self.literal(d, "field", field);
                self.literal(d, "value", value);
            }
            SearchExpr::In {
                range,
                field,
                values,
                macros,
            } => {
                self.line(depth, "In", *range);
                self.literal(d, "field", field);
                self.literals(d, "value", values);
                for call in macros {
                    self.macro_call(d, call);
                }
            }
            SearchExpr::Term { range, literal } => {
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
            SearchExpr::Subsearch(sub) => self.subsearch(depth, sub),
        }
    }

    fn expr(&mut self, expr: &Expr, depth: usize) {
        let d = depth + 1;
        match expr {
            Expr::Binary {
                range,
                op,
                lhs,
                rhs,
            } => {
                let label = format!("Binary {}", op.as_str());
                self.line(depth, &label, *range);
                self.expr(lhs, d);
                self.expr(rhs, d);
            }
            Expr::Unary { range, op, operand } => {
                let label = format!("Unary {op:?}");
                self.line(depth, &label, *range);
                self.expr(operand, d);
            }
            Expr::In { range, lhs, list } => {
                self.line(depth, "In", *range);
                self.expr(lhs, d);
                for item in list {
                    self.expr(item, d);
                }
            }
            Expr::Call { range, name, args } => {
                let label = format!("Call {:?}", name.value);
                self.line(depth, &label, *range);
                for arg in args {
                    self.expr(arg, d);
                }
            }
            Expr::Field(lit) => self.literal(depth, "Field", lit),
            Expr::String(lit) => self.literal(depth, "String", lit),
            Expr::Number(lit) => self.literal(depth, "Number", lit),
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
