//! The typed SPL syntax tree: a [`Pipeline`] of [`Command`]s, search-grammar predicates
//! ([`SearchExpr`]), eval/where expressions ([`Expr`]) and [`Literal`]s. Every node carries
//! its [`TextRange`] in the parsed text.
//!
//! The tree keeps what a later lowering needs (predicates over fields, pipeline steps) and
//! what the printer needs to reproduce the meaning; it drops comments and redundant
//! parentheses. Walking it is [`super::visit`]'s job; text views of it are in [`mod@super::dump`].

use super::TextRange;
pub use super::command_table::Modelled;
pub use super::functions::{AggFunction, EvalFunction};
use super::options::{
    AddtotalsSettings, AppendSettings, AppendpipeSettings, BinSettings, BySettings,
    ConvertSettings, DedupSettings, EventstatsSettings, FillnullSettings, ForeachSettings,
    FromjsonSettings, HeadSettings, InputlookupSettings, IplocationSettings, JoinSettings,
    LookupSettings, MakemvSettings, MvexpandSettings, NoSettings, RexSettings, SpathSettings,
    StatsSettings, StreamstatsSettings, TransactionSettings, TstatsFromSettings, TstatsSettings,
    XmlkvSettings,
};

/// A pipeline: commands separated by top-level `|`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    /// The whole pipeline.
    pub range: TextRange,
    /// The commands in order. When the text does not start with `|`, the first one is the
    /// implicit [`CommandKind::Search`].
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
    /// The value after quote removal and escape decoding.
    pub value: String,
    /// How it was quoted.
    pub quote: Quote,
}

/// A number as written (for printing) and as parsed (once, here).
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The token.
    pub literal: Literal,
    /// Its value.
    pub value: NumberValue,
}

/// A count written as a positional word (`head 5`, `sort 0`): the word as written (for
/// printing) and its value, parsed once by the parser.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// The word.
    pub literal: Literal,
    /// Its value.
    pub value: u64,
}

/// The value of a number: an integer when it is written as one and fits, a float otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumberValue {
    /// `42`, `-7`, `0x1F`.
    Integer(i64),
    /// `1.5`, `1e3`, an integer too large for `i64`.
    Float(f64),
}

impl NumberValue {
    /// The value of `text` if it reads as a number: decimal integer, `0x` hexadecimal, or
    /// anything Rust's `f64` parser accepts (decimals, exponents).
    #[must_use]
    pub fn parse(text: &str) -> Option<NumberValue> {
        // Rust's `f64` parser also reads `inf`, `NaN` and `infinity`, which are words to
        // Splunk, not numbers: a number starts with a digit or a point, after its sign.
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return None;
        }
        if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            let value = u64::from_str_radix(hex, 16).ok()?;
            return Some(match i64::try_from(value) {
                Ok(integer) => NumberValue::Integer(integer),
                Err(_) => NumberValue::Float(value as f64),
            });
        }
        if let Ok(integer) = text.parse::<i64>() {
            return Some(NumberValue::Integer(integer));
        }
        text.parse::<f64>().ok().map(NumberValue::Float)
    }

    /// The value as a float.
    #[must_use]
    pub fn as_f64(self) -> f64 {
        match self {
            NumberValue::Integer(integer) => integer as f64,
            NumberValue::Float(float) => float,
        }
    }
}

impl Literal {
    /// The token as written, quotes included: the range's text in `text` (the text the
    /// tree was parsed from).
    #[must_use]
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        self.range.slice(text)
    }
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

/// A value of the search grammar (`f=v`, `f IN (v, …)`), as written and as Splunk reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchValue {
    /// The token.
    pub literal: Literal,
    /// How Splunk matches it.
    pub kind: ValueKind,
}

/// How a search-grammar value matches (spl-semantics.md 2.3). `TERM()` and `CASE()` are
/// [`SearchExpr::Modifier`]s.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// Compared as text, without regard to case.
    Exact,
    /// A wildcard pattern: `*` matches any text (a `*` cannot be escaped, F6).
    Wildcard {
        /// The byte offsets of the `*`s in the decoded value.
        stars: Vec<u32>,
    },
    /// Reads as a number: `1` and `1.0` match the same values.
    Number(NumberValue),
    /// `10.0.0.0/8`, `fe80::/10`: matches the addresses in the block (F9).
    Cidr {
        /// The network address.
        address: std::net::IpAddr,
        /// The prefix length as written.
        prefix: u8,
    },
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
        /// The value.
        value: SearchValue,
    },
    /// `field IN (v1, v2, …)`.
    In {
        /// The whole test.
        range: TextRange,
        /// The field name.
        field: Literal,
        /// The values.
        values: Vec<SearchValue>,
        /// Unexpanded macro calls inside the list (their values are unknown here).
        macros: Vec<MacroCall>,
    },
    /// A bare word or `"phrase"` matched against `_raw`.
    Term {
        /// The term.
        range: TextRange,
        /// The word or phrase.
        literal: Literal,
        /// How it matches (a `*` makes it a pattern).
        kind: ValueKind,
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
        /// The function.
        function: EvalFunction,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// A field: bare name or `'single quoted'`.
    Field(Literal),
    /// A `"string"` literal.
    String(Literal),
    /// A number literal.
    Number(Number),
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
            Expr::Field(lit) | Expr::String(lit) => lit.range,
            Expr::Number(number) => number.literal.range,
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
    /// The function name as written (`count`, `values`, `p95`…).
    pub name: Literal,
    /// The function.
    pub function: AggFunction,
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
    /// `options`, interpreted.
    pub settings: StatsCommandSettings,
    /// `by_options`, interpreted.
    pub by_settings: BySettings,
}

/// The options of `stats`, `eventstats` or `streamstats`, interpreted.
#[derive(Clone, Debug, PartialEq)]
pub enum StatsCommandSettings {
    /// `stats`.
    Stats(StatsSettings),
    /// `eventstats`.
    Eventstats(EventstatsSettings),
    /// `streamstats`.
    Streamstats(Box<StreamstatsSettings>),
}

/// `tstats … from datamodel=… where … by …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Tstats {
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
    /// `options`, interpreted.
    pub settings: TstatsSettings,
    /// `from`, interpreted.
    pub from_settings: TstatsFromSettings,
    /// `by_options`, interpreted.
    pub by_settings: BySettings,
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
    /// `options`, interpreted.
    pub settings: LookupSettings,
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

/// One command of a pipeline: where it is and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The command, name included (trailing trivia excluded).
    pub range: TextRange,
    /// What the command is.
    pub kind: CommandKind,
}

/// What a [`Command`] is: one case per modelled command ([`Modelled`]), plus the segments
/// that are not (an unsupported or unknown command, a macro call, an empty or broken segment).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CommandKind {
    /// The implicit leading search or `search …`; `expr` is `None` for an empty search.
    Search {
        /// The predicate.
        expr: Option<SearchExpr>,
    },
    /// `tstats`.
    Tstats(Box<Tstats>),
    /// `stats`, `eventstats`, `streamstats`.
    Stats(Box<Stats>),
    /// `where <expr>`.
    Where {
        /// The condition.
        expr: Expr,
    },
    /// `eval f=expr, …`.
    Eval {
        /// The assignments.
        assignments: Vec<Assignment>,
    },
    /// `rename a AS b, …` (wildcards allowed).
    Rename {
        /// The pairs (`alias` is always set).
        pairs: Vec<FieldMapping>,
    },
    /// `table f…`.
    Table {
        /// The columns.
        fields: Vec<Literal>,
    },
    /// `fields [+|-] f…`.
    Fields {
        /// Keep or remove.
        mode: FieldsMode,
        /// The fields.
        fields: Vec<Literal>,
    },
    /// `convert [options] fn(f) [AS g]…`.
    Convert {
        /// Options (`timeformat=…`).
        options: Vec<Opt>,
        /// The options, interpreted.
        settings: Box<ConvertSettings>,
        /// Conversions.
        conversions: Vec<Conversion>,
    },
    /// `bin` / `bucket`.
    Bin {
        /// Options (`span=…`).
        options: Vec<Opt>,
        /// The options, interpreted.
        settings: Box<BinSettings>,
        /// The field and its alias.
        field: FieldMapping,
    },
    /// `lookup`.
    Lookup(Box<Lookup>),
    /// `inputlookup [options] table [where <search>]`.
    Inputlookup {
        /// Options and the table name.
        args: Args,
        /// The options, interpreted.
        settings: Box<InputlookupSettings>,
        /// The `where` clause, in the search grammar (Search Reference, `inputlookup`:
        /// `[WHERE <search-query>]`).
        filter: Option<SearchExpr>,
    },
    /// `rex [options] "regex"`.
    Rex {
        /// Options (`field=`, `max_match=`, `mode=`).
        options: Vec<Opt>,
        /// The options, interpreted.
        settings: Box<RexSettings>,
        /// The regex or sed expression.
        pattern: Literal,
    },
    /// `regex [f=|f!=]"re"`.
    Regex {
        /// The field (`_raw` when absent).
        field: Option<Literal>,
        /// `!=`: drop matching rows.
        negated: bool,
        /// The regex.
        pattern: Literal,
    },
    /// `fillnull [value=x] [f…]`.
    Fillnull {
        /// Options and fields.
        args: Args,
        /// The options, interpreted.
        settings: Box<FillnullSettings>,
    },
    /// `dedup [options] f…`.
    Dedup {
        /// Options and fields.
        args: Args,
        /// The options, interpreted.
        settings: Box<DedupSettings>,
    },
    /// `mvexpand f`.
    Mvexpand {
        /// Options and the field.
        args: Args,
        /// The options, interpreted.
        settings: Box<MvexpandSettings>,
    },
    /// `sort [limit] [±]f…`.
    Sort {
        /// The leading count (`sort 0`).
        limit: Option<Count>,
        /// The keys.
        keys: Vec<SortKey>,
    },
    /// `join [options] f… [subsearch]`.
    Join {
        /// Options (`type=left`, `max=0`) and join fields.
        args: Args,
        /// The options, interpreted.
        settings: Box<JoinSettings>,
        /// The right side.
        subsearch: Subsearch,
    },
    /// `append [options] [subsearch]`.
    Append {
        /// Options.
        args: Args,
        /// The options, interpreted.
        settings: Box<AppendSettings>,
        /// The appended search.
        subsearch: Subsearch,
    },
    /// `appendpipe [subpipeline]`.
    Appendpipe {
        /// Options.
        args: Args,
        /// The options, interpreted.
        settings: Box<AppendpipeSettings>,
        /// The subpipeline.
        subsearch: Subsearch,
    },
    /// `spath [options] [path]`.
    Spath {
        /// Options and a positional path.
        args: Args,
        /// The options, interpreted.
        settings: Box<SpathSettings>,
    },
    /// `foreach [options] f… [template]`.
    Foreach {
        /// Options and field patterns.
        args: Args,
        /// The options, interpreted.
        settings: Box<ForeachSettings>,
        /// The template pipeline.
        template: Subsearch,
    },
    /// `iplocation [options] f`.
    Iplocation {
        /// Options and the field.
        args: Args,
        /// The options, interpreted.
        settings: Box<IplocationSettings>,
    },
    /// `xmlkv [f]`.
    Xmlkv {
        /// Options and the field.
        args: Args,
        /// The options, interpreted.
        settings: Box<XmlkvSettings>,
    },
    /// `makemv [options] f`.
    Makemv {
        /// Options and the field.
        args: Args,
        /// The options, interpreted.
        settings: Box<MakemvSettings>,
    },
    /// `fromjson f [options]`.
    Fromjson {
        /// Options and the field.
        args: Args,
        /// The options, interpreted.
        settings: Box<FromjsonSettings>,
    },
    /// `addtotals [options] f…`.
    Addtotals {
        /// Options and fields.
        args: Args,
        /// The options, interpreted.
        settings: Box<AddtotalsSettings>,
    },
    /// `transaction f… [options]`.
    Transaction {
        /// Options (`maxspan`, `startswith=(…)`) and fields.
        args: Args,
        /// The options, interpreted.
        settings: Box<TransactionSettings>,
    },
    /// `from datamodel Web.Web`.
    From {
        /// Options and words.
        args: Args,
        /// The options, interpreted.
        settings: Box<NoSettings>,
    },
    /// `head [n] [options]` or `head (condition)`.
    Head {
        /// The count (`head 5`).
        count: Option<Count>,
        /// Options, and the words of a condition (`head` reads them as an eval expression,
        /// not modelled yet).
        args: Args,
        /// The options, interpreted.
        settings: Box<HeadSettings>,
    },
    /// `replace a WITH b, … IN f…`.
    Replace {
        /// The replacements.
        pairs: Vec<ReplacePair>,
        /// The fields.
        fields: Vec<Literal>,
    },
    /// An empty pipe segment (`| |`), a no-op.
    Empty,
    /// A command detc does not model, an unknown command, or a macro call standing as a
    /// segment; its arguments are kept as text.
    Unsupported(Box<UnsupportedCommand>),
    /// A command that failed to parse (a `P001` was reported); kept as text.
    Invalid {
        /// Its text, verbatim.
        text: String,
    },
}

/// Why a segment is kept as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnsupportedOrigin {
    /// A Splunk built-in command detc does not model yet.
    BuiltIn,
    /// A Machine Learning Toolkit command (`apply`, `fit`…).
    MachineLearningToolkit,
    /// A name that is neither built in nor known: a typo, or a command of an installed app.
    Unknown,
    /// A macro call standing as a segment (left unexpanded).
    Macro,
}

/// A segment kept as text: see [`CommandKind::Unsupported`].
#[derive(Clone, Debug, PartialEq)]
pub struct UnsupportedCommand {
    /// The command name as written (or the macro call, backticks included).
    pub name: String,
    /// Where the name is.
    pub name_range: TextRange,
    /// Why the segment is kept as text.
    pub origin: UnsupportedOrigin,
    /// The arguments.
    pub args_range: TextRange,
    /// The argument text, verbatim.
    pub args: String,
}

impl Command {
    /// The command name as printed (`search`, `stats`, the macro call for a macro segment).
    #[must_use]
    pub fn name(&self) -> &str {
        self.kind.name()
    }

    /// The modelled command this is, if any.
    #[must_use]
    pub fn modelled(&self) -> Option<Modelled> {
        self.kind.modelled()
    }
}

impl CommandKind {
    /// The modelled command this is, if any.
    #[must_use]
    pub fn modelled(&self) -> Option<Modelled> {
        Some(match self {
            CommandKind::Search { .. } => Modelled::Search,
            CommandKind::Tstats(_) => Modelled::Tstats,
            CommandKind::Stats(s) => match s.kind {
                StatsKind::Stats => Modelled::Stats,
                StatsKind::Eventstats => Modelled::Eventstats,
                StatsKind::Streamstats => Modelled::Streamstats,
            },
            CommandKind::Where { .. } => Modelled::Where,
            CommandKind::Eval { .. } => Modelled::Eval,
            CommandKind::Rename { .. } => Modelled::Rename,
            CommandKind::Table { .. } => Modelled::Table,
            CommandKind::Fields { .. } => Modelled::Fields,
            CommandKind::Convert { .. } => Modelled::Convert,
            CommandKind::Bin { .. } => Modelled::Bin,
            CommandKind::Lookup(_) => Modelled::Lookup,
            CommandKind::Inputlookup { .. } => Modelled::Inputlookup,
            CommandKind::Rex { .. } => Modelled::Rex,
            CommandKind::Regex { .. } => Modelled::Regex,
            CommandKind::Fillnull { .. } => Modelled::Fillnull,
            CommandKind::Dedup { .. } => Modelled::Dedup,
            CommandKind::Mvexpand { .. } => Modelled::Mvexpand,
            CommandKind::Sort { .. } => Modelled::Sort,
            CommandKind::Join { .. } => Modelled::Join,
            CommandKind::Append { .. } => Modelled::Append,
            CommandKind::Appendpipe { .. } => Modelled::Appendpipe,
            CommandKind::Spath { .. } => Modelled::Spath,
            CommandKind::Foreach { .. } => Modelled::Foreach,
            CommandKind::Iplocation { .. } => Modelled::Iplocation,
            CommandKind::Xmlkv { .. } => Modelled::Xmlkv,
            CommandKind::Makemv { .. } => Modelled::Makemv,
            CommandKind::Fromjson { .. } => Modelled::Fromjson,
            CommandKind::Addtotals { .. } => Modelled::Addtotals,
            CommandKind::Transaction { .. } => Modelled::Transaction,
            CommandKind::From { .. } => Modelled::From,
            CommandKind::Head { .. } => Modelled::Head,
            CommandKind::Replace { .. } => Modelled::Replace,
            CommandKind::Empty | CommandKind::Unsupported(_) | CommandKind::Invalid { .. } => {
                return None;
            }
        })
    }

    /// The command name as printed (`search`, `stats`, the macro call for a macro segment).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            CommandKind::Empty => "",
            CommandKind::Unsupported(unsupported) => &unsupported.name,
            CommandKind::Invalid { .. } => "<invalid>",
            _ => self.modelled().map_or("", Modelled::name),
        }
    }
}
