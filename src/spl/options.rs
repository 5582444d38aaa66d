//! Command options interpreted: for each modelled command that takes `name=value` options,
//! a settings struct with one typed field per option Splunk documents for it (Search
//! Reference, Splunk Enterprise 9.x). The written options stay in the tree as
//! [`Opt`]s (the printer and the walker read them); the settings are what they mean.
//!
//! An option name a command does not take is `P006`, a value of the wrong kind `P007`, both
//! warnings: the tables follow the documentation of one Splunk version, and a newer option
//! must not fail a content repository's CI. Option names match ASCII case-insensitively.

use super::TextRange;
use super::ast::{NumberValue, Opt, OptValue, SearchExpr};

/// A recognised option: where it is written and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting<T> {
    /// The whole `name=value`.
    pub range: TextRange,
    /// The interpreted value.
    pub value: T,
}

/// A value kind an option takes.
pub trait OptionValue: Sized {
    /// What the value must look like, for the `P007` message.
    const EXPECTED: &'static str;
    /// The value, if `value` has the right form.
    fn interpret(value: &OptValue) -> Option<Self>;
}

fn literal(value: &OptValue) -> Option<&str> {
    match value {
        OptValue::Literal(lit) => Some(&lit.value),
        OptValue::Search { .. } => None,
    }
}

impl OptionValue for bool {
    const EXPECTED: &'static str = "a boolean (`true` or `false`)";
    fn interpret(value: &OptValue) -> Option<bool> {
        match literal(value)?.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" => Some(true),
            "false" | "f" | "0" | "no" => Some(false),
            _ => None,
        }
    }
}

impl OptionValue for u64 {
    const EXPECTED: &'static str = "a non-negative integer";
    fn interpret(value: &OptValue) -> Option<u64> {
        literal(value)?.trim().parse().ok()
    }
}

impl OptionValue for String {
    const EXPECTED: &'static str = "a word or a quoted string";
    fn interpret(value: &OptValue) -> Option<String> {
        literal(value).map(str::to_owned)
    }
}

impl OptionValue for NumberValue {
    const EXPECTED: &'static str = "a number";
    fn interpret(value: &OptValue) -> Option<NumberValue> {
        NumberValue::parse(literal(value)?.trim())
    }
}

/// A unit of Splunk's timescale table (Search Reference, "Specifying time spans" and the
/// `bin` command's `<timescale>`), with the spellings it accepts (ASCII case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `us`.
    Microsecond,
    /// `ms`.
    Millisecond,
    /// `cs`.
    Centisecond,
    /// `ds`.
    Decisecond,
    /// `s`, `sec`, `secs`, `second`, `seconds`.
    Second,
    /// `m`, `min`, `mins`, `minute`, `minutes`.
    Minute,
    /// `h`, `hr`, `hrs`, `hour`, `hours`.
    Hour,
    /// `d`, `day`, `days`.
    Day,
    /// `w`, `week`, `weeks`.
    Week,
    /// `mon`, `month`, `months`.
    Month,
    /// `q`, `qtr`, `qtrs`, `quarter`, `quarters`.
    Quarter,
    /// `y`, `yr`, `yrs`, `year`, `years`.
    Year,
}

impl TimeUnit {
    /// The unit `word` names, if any.
    #[must_use]
    pub fn parse(word: &str) -> Option<TimeUnit> {
        Some(match word.to_ascii_lowercase().as_str() {
            "us" => TimeUnit::Microsecond,
            "ms" => TimeUnit::Millisecond,
            "cs" => TimeUnit::Centisecond,
            "ds" => TimeUnit::Decisecond,
            "s" | "sec" | "secs" | "second" | "seconds" => TimeUnit::Second,
            "m" | "min" | "mins" | "minute" | "minutes" => TimeUnit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => TimeUnit::Hour,
            "d" | "day" | "days" => TimeUnit::Day,
            "w" | "week" | "weeks" => TimeUnit::Week,
            "mon" | "month" | "months" => TimeUnit::Month,
            "q" | "qtr" | "qtrs" | "quarter" | "quarters" => TimeUnit::Quarter,
            "y" | "yr" | "yrs" | "year" | "years" => TimeUnit::Year,
            _ => return None,
        })
    }

    /// The unit's length in whole seconds, for the units of fixed length from a second to a
    /// week; `None` below a second and for calendar units (a month has no fixed length).
    #[must_use]
    pub fn whole_seconds(self) -> Option<i64> {
        match self {
            TimeUnit::Second => Some(1),
            TimeUnit::Minute => Some(60),
            TimeUnit::Hour => Some(3600),
            TimeUnit::Day => Some(86_400),
            TimeUnit::Week => Some(7 * 86_400),
            TimeUnit::Microsecond
            | TimeUnit::Millisecond
            | TimeUnit::Centisecond
            | TimeUnit::Decisecond
            | TimeUnit::Month
            | TimeUnit::Quarter
            | TimeUnit::Year => None,
        }
    }
}

/// A duration or span length as Splunk writes it: `<int>[<timescale>]` (`5m`, `1h`, `30`,
/// `-1` for "no limit" in `transaction`), parsed once. A unit without a count means one of it
/// (`span=h`), as the Search Manual says for time spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duration {
    /// The value as written (for printing and messages).
    pub written: String,
    /// The count.
    pub count: i64,
    /// The unit; `None` for a bare number (seconds for `transaction`, a numeric bin width
    /// for `bin`).
    pub unit: Option<TimeUnit>,
}

impl Duration {
    /// The duration `text` writes, if it has the form `[-]<digits>[<unit>]` or `<unit>`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Duration> {
        let trimmed = text.trim();
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let digits = unsigned
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(unsigned.len());
        let (count, unit) = unsigned.split_at(digits);
        let count: i64 = match (count.is_empty(), unit.is_empty() || negative) {
            // Nothing, or a sign with no digits.
            (true, true) => return None,
            (true, false) => 1,
            (false, _) => count.parse().ok()?,
        };
        let count = if negative { -count } else { count };
        let unit = if unit.is_empty() {
            None
        } else {
            Some(TimeUnit::parse(unit)?)
        };
        Some(Duration {
            written: trimmed.to_owned(),
            count,
            unit,
        })
    }

    /// The length in whole seconds when the unit has a fixed length of a second or more
    /// (see [`TimeUnit::whole_seconds`]); `None` for a bare number and for other units.
    #[must_use]
    pub fn whole_seconds(&self) -> Option<i64> {
        Some(self.count.saturating_mul(self.unit?.whole_seconds()?))
    }
}

impl OptionValue for Duration {
    const EXPECTED: &'static str = "a duration (an integer and a time unit, such as `5m`)";
    fn interpret(value: &OptValue) -> Option<Duration> {
        Duration::parse(literal(value)?)
    }
}

/// The `span` of `bin`: `<span-length>` or `<log-span>` (Search Reference, `bin`).
#[derive(Clone, Debug, PartialEq)]
pub enum BinSpan {
    /// `1h`, `10`: bins of a fixed width.
    Length(Duration),
    /// `[<coefficient>]log[<base>]` (`log`, `2log10`): bins growing by powers of the base.
    Log {
        /// The value as written.
        written: String,
        /// The coefficient (default 1).
        coefficient: NumberValue,
        /// The base (default 10).
        base: NumberValue,
    },
}

impl BinSpan {
    /// The span `text` writes, if it is a span length or a log span.
    #[must_use]
    pub fn parse(text: &str) -> Option<BinSpan> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let Some(at) = lower.find("log") else {
            return Duration::parse(trimmed).map(BinSpan::Length);
        };
        let number = |written: &str, default: i64| match written {
            "" => Some(NumberValue::Integer(default)),
            written => NumberValue::parse(written),
        };
        Some(BinSpan::Log {
            written: trimmed.to_owned(),
            coefficient: number(trimmed.get(..at)?, 1)?,
            base: number(trimmed.get(at + 3..)?, 10)?,
        })
    }
}

impl OptionValue for BinSpan {
    const EXPECTED: &'static str = "a span (an integer with an optional time unit, such as `1h`, or a log span such as `2log10`)";
    fn interpret(value: &OptValue) -> Option<BinSpan> {
        BinSpan::parse(literal(value)?)
    }
}

/// A condition given to an option (`startswith=(EventCode=1)`, `startswith="login"`,
/// `reset_after="(x>5)"`): a parenthesised search expression, or a string Splunk reads as a
/// search or an `eval(…)` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `(…)`, parsed.
    Search(SearchExpr),
    /// A word or quoted string, kept as written.
    Text(String),
}

impl OptionValue for Condition {
    const EXPECTED: &'static str = "a condition";
    fn interpret(value: &OptValue) -> Option<Condition> {
        Some(match value {
            OptValue::Literal(lit) => Condition::Text(lit.value.clone()),
            OptValue::Search { expr, .. } => Condition::Search(expr.clone()),
        })
    }
}

/// `join type=…`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JoinType {
    /// `inner` (the default).
    Inner,
    /// `outer` or `left`: unmatched left rows are kept.
    Left,
}

impl OptionValue for JoinType {
    const EXPECTED: &'static str = "`inner`, `outer` or `left`";
    fn interpret(value: &OptValue) -> Option<JoinType> {
        match literal(value)?.to_ascii_lowercase().as_str() {
            "inner" => Some(JoinType::Inner),
            "outer" | "left" => Some(JoinType::Left),
            _ => None,
        }
    }
}

/// What is wrong with one written option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OptionProblem {
    /// The command takes no option of this name.
    Unknown {
        /// The range of the name.
        name: TextRange,
        /// The name as written.
        written: String,
        /// The options the command takes.
        known: &'static [&'static str],
    },
    /// The value does not have the form the option takes.
    BadValue {
        /// The range of the option.
        range: TextRange,
        /// The name as written.
        written: String,
        /// What the value must look like.
        expected: &'static str,
    },
}

/// Interprets one option into `slot` (the last of repeated options wins).
fn set<T: OptionValue>(
    slot: &mut Option<Setting<T>>,
    opt: &Opt,
    problems: &mut Vec<OptionProblem>,
) {
    match T::interpret(&opt.value) {
        Some(value) => {
            *slot = Some(Setting {
                range: opt.range,
                value,
            });
        }
        None => problems.push(OptionProblem::BadValue {
            range: opt.range,
            written: opt.name.value.clone(),
            expected: T::EXPECTED,
        }),
    }
}

/// What the parser calls to interpret a command's options.
pub(crate) trait Settings: Sized {
    /// Interprets `options`; a name or value it cannot use goes to `problems`.
    fn interpret(options: &[Opt], problems: &mut Vec<OptionProblem>) -> Self;
}

/// Declares a settings struct: one `Option<Setting<T>>` per `field: T = "name"`, and
/// `interpret` over written options.
macro_rules! settings {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident: $ty:ty = $text:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: Option<Setting<$ty>>,
            )*
        }

        impl $name {
            /// The option names the command takes.
            pub const NAMES: &'static [&'static str] = &[$($text),*];
        }

        impl Settings for $name {
            fn interpret(options: &[Opt], problems: &mut Vec<OptionProblem>) -> $name {
                #[allow(unused_mut, reason = "a command may take no option")]
                let mut settings = $name::default();
                for opt in options {
                    let name = opt.name.value.to_ascii_lowercase();
                    match name.as_str() {
                        $($text => set(&mut settings.$field, opt, problems),)*
                        _ => problems.push(OptionProblem::Unknown {
                            name: opt.name.range,
                            written: opt.name.value.clone(),
                            known: $name::NAMES,
                        }),
                    }
                }
                settings
            }
        }
    };
}

settings! {
    /// `dedup` options.
    pub struct DedupSettings {
        /// Keep duplicate events, emptying their fields instead of dropping them.
        keepevents: bool = "keepevents",
        /// Keep events where a field is null.
        keepempty: bool = "keepempty",
        /// Remove only consecutive duplicates.
        consecutive: bool = "consecutive",
    }
}

settings! {
    /// `join` options.
    pub struct JoinSettings {
        /// Inner or left join.
        join_type: JoinType = "type",
        /// Restrict matches to subsearch rows earlier (or later) than the main row.
        usetime: bool = "usetime",
        /// With `usetime`, match earlier rows.
        earlier: bool = "earlier",
        /// Subsearch fields overwrite main-search fields (default true).
        overwrite: bool = "overwrite",
        /// Rows matched per main row (default 1, 0 = all).
        max: u64 = "max",
        /// Alias of the main search.
        left: String = "left",
        /// Alias of the subsearch.
        right: String = "right",
    }
}

settings! {
    /// `append` options.
    pub struct AppendSettings {
        /// Extend the time range of the main search to the subsearch's.
        extendtimerange: bool = "extendtimerange",
        /// Subsearch time limit in seconds.
        maxtime: u64 = "maxtime",
        /// Subsearch row limit.
        maxout: u64 = "maxout",
        /// Subsearch timeout in seconds.
        timeout: u64 = "timeout",
    }
}

settings! {
    /// `appendpipe` options.
    pub struct AppendpipeSettings {
        /// Run the subpipeline in preview.
        run_in_preview: bool = "run_in_preview",
    }
}

settings! {
    /// `foreach` options.
    pub struct ForeachSettings {
        /// What `foreach` iterates over.
        mode: String = "mode",
        /// Replacement string for the field name.
        fieldstr: String = "fieldstr",
        /// Replacement string for the wildcard match.
        matchstr: String = "matchstr",
        /// Replacement string for the first wildcard.
        matchseg1: String = "matchseg1",
        /// Replacement string for the second wildcard.
        matchseg2: String = "matchseg2",
        /// Replacement string for the third wildcard.
        matchseg3: String = "matchseg3",
    }
}

settings! {
    /// `fillnull` options.
    pub struct FillnullSettings {
        /// The filler (default `0`).
        value: String = "value",
    }
}

settings! {
    /// `transaction` options.
    pub struct TransactionSettings {
        /// A transaction type of `transactiontypes.conf`.
        name: String = "name",
        /// Fields of the transaction (the positional field list, as an option).
        fields: String = "fields",
        /// Longest duration.
        maxspan: Duration = "maxspan",
        /// Longest gap between events.
        maxpause: Duration = "maxpause",
        /// Most events per transaction.
        maxevents: u64 = "maxevents",
        /// What opens a transaction.
        startswith: Condition = "startswith",
        /// What closes a transaction.
        endswith: Condition = "endswith",
        /// Events must share a field value with the transaction.
        connected: bool = "connected",
        /// Transactions must start and end with the `startswith`/`endswith` events.
        unifyends: bool = "unifyends",
        /// Keep events that belong to no transaction.
        keeporphans: bool = "keeporphans",
        /// Most open transactions.
        maxopentxn: u64 = "maxopentxn",
        /// Most events in open transactions.
        maxopenevents: u64 = "maxopenevents",
        /// Keep transactions evicted for memory.
        keepevicted: bool = "keepevicted",
        /// Keep multivalue fields as lists.
        mvlist: String = "mvlist",
        /// Keep `_raw` multivalued.
        mvraw: bool = "mvraw",
        /// Separator of combined values.
        delim: String = "delim",
        /// Stand-in for null values in `mvlist`.
        nullstr: String = "nullstr",
    }
}

settings! {
    /// `head` options.
    pub struct HeadSettings {
        /// How many rows.
        limit: u64 = "limit",
        /// With a condition, whether a null result stops.
        null: bool = "null",
        /// Keep the row that ended the condition.
        keeplast: bool = "keeplast",
    }
}

settings! {
    /// `bin` / `bucket` options.
    pub struct BinSettings {
        /// Most bins.
        bins: u64 = "bins",
        /// Smallest span.
        minspan: Duration = "minspan",
        /// Bin size (`1h`, `10`, `log`).
        span: BinSpan = "span",
        /// Lower bound of numeric bins.
        start: NumberValue = "start",
        /// Upper bound of numeric bins.
        end: NumberValue = "end",
        /// Alignment of time bins.
        aligntime: String = "aligntime",
    }
}

settings! {
    /// `rex` options.
    pub struct RexSettings {
        /// The field to read (default `_raw`).
        field: String = "field",
        /// Most matches (default 1, 0 = all).
        max_match: u64 = "max_match",
        /// Field receiving match offsets.
        offset_field: String = "offset_field",
        /// `sed` for substitution.
        mode: String = "mode",
    }
}

settings! {
    /// `lookup` options.
    pub struct LookupSettings {
        /// Use the search head's lookup only.
        local: bool = "local",
        /// Update the lookup on indexers.
        update: bool = "update",
        /// Field holding the event time (time-based lookups).
        event_time_field: String = "event_time_field",
    }
}

settings! {
    /// `inputlookup` options.
    pub struct InputlookupSettings {
        /// Append to the results instead of replacing them.
        append: bool = "append",
        /// Fail when the lookup cannot be read.
        strict: bool = "strict",
        /// First row (0-based).
        start: u64 = "start",
        /// Most rows.
        max: u64 = "max",
    }
}

settings! {
    /// `mvexpand` options.
    pub struct MvexpandSettings {
        /// Most values expanded (0 = all).
        limit: u64 = "limit",
    }
}

settings! {
    /// `spath` options.
    pub struct SpathSettings {
        /// Field to read (default `_raw`).
        input: String = "input",
        /// Field to write.
        output: String = "output",
        /// Path to extract.
        path: String = "path",
    }
}

settings! {
    /// `iplocation` options.
    pub struct IplocationSettings {
        /// Prefix of the output fields.
        prefix: String = "prefix",
        /// Add every location field.
        allfields: bool = "allfields",
        /// Language of the output.
        lang: String = "lang",
    }
}

settings! {
    /// `makemv` options.
    pub struct MakemvSettings {
        /// Separator.
        delim: String = "delim",
        /// Regex whose matches are the values.
        tokenizer: String = "tokenizer",
        /// Keep empty values.
        allowempty: bool = "allowempty",
        /// Single-value output (internal).
        setsv: bool = "setsv",
    }
}

settings! {
    /// `fromjson` options.
    pub struct FromjsonSettings {
        /// Prefix of the output fields.
        prefix: String = "prefix",
    }
}

settings! {
    /// `addtotals` options.
    pub struct AddtotalsSettings {
        /// Add a total per row (default true).
        row: bool = "row",
        /// Add a total row.
        col: bool = "col",
        /// Field labelling the total row.
        labelfield: String = "labelfield",
        /// Label of the total row.
        label: String = "label",
        /// Field receiving row totals.
        fieldname: String = "fieldname",
    }
}

settings! {
    /// `xmlkv` options.
    pub struct XmlkvSettings {
        /// Most inputs read.
        maxinputs: u64 = "maxinputs",
    }
}

settings! {
    /// `convert` options.
    pub struct ConvertSettings {
        /// Time format of `ctime`/`mktime`.
        timeformat: String = "timeformat",
    }
}

settings! {
    /// `stats` options (before the aggregations) and `by`-clause options.
    pub struct StatsSettings {
        /// Partitions for parallel reduce.
        partitions: u64 = "partitions",
        /// Aggregate only fields whose values are all numbers.
        allnum: bool = "allnum",
        /// Separator of `list`/`values` output.
        delim: String = "delim",
        /// Split multivalue `by` fields once per distinct value.
        dedup_splitvals: bool = "dedup_splitvals",
    }
}

settings! {
    /// `eventstats` options.
    pub struct EventstatsSettings {
        /// Aggregate only fields whose values are all numbers.
        allnum: bool = "allnum",
    }
}

settings! {
    /// `streamstats` options.
    pub struct StreamstatsSettings {
        /// Reset when a `by` field changes.
        reset_on_change: bool = "reset_on_change",
        /// Reset before an event matching this.
        reset_before: Condition = "reset_before",
        /// Reset after an event matching this.
        reset_after: Condition = "reset_after",
        /// Include the current event (default true).
        current: bool = "current",
        /// Events in the window.
        window: u64 = "window",
        /// Time span of the window.
        time_window: Duration = "time_window",
        /// With `window`, one window for all groups.
        global: bool = "global",
        /// Aggregate only fields whose values are all numbers.
        allnum: bool = "allnum",
    }
}

settings! {
    /// `tstats` options (before the aggregations).
    pub struct TstatsSettings {
        /// Output for a following `stats`.
        prestats: bool = "prestats",
        /// Run on the search head only.
        local: bool = "local",
        /// With `prestats`, append to the results.
        append: bool = "append",
        /// Read accelerated summaries only.
        summariesonly: bool = "summariesonly",
        /// Read reduced buckets.
        include_reduced_buckets: bool = "include_reduced_buckets",
        /// Read summaries built by an older definition.
        allow_old_summaries: bool = "allow_old_summaries",
        /// Read values from summary indexes (9.1 and 9.2).
        use_summary_index_values: bool = "use_summary_index_values",
        /// Rows per chunk.
        chunk_size: u64 = "chunk_size",
        /// Filler for null `by` values.
        fillnull_value: String = "fillnull_value",
    }
}

settings! {
    /// `tstats … from …` options.
    pub struct TstatsFromSettings {
        /// The data model and dataset (`Endpoint.Processes`).
        datamodel: String = "datamodel",
    }
}

settings! {
    /// `by`-clause options of `tstats` (and of `stats`, `eventstats` and `streamstats`,
    /// which take a `span` there too).
    pub struct BySettings {
        /// Time bin of `_time`.
        span: Duration = "span",
    }
}

settings! {
    /// A command that takes no option (`from`): every option is unknown.
    pub struct NoSettings {}
}

#[cfg(test)]
mod tests {
    use super::{BinSpan, Duration, TimeUnit};
    use crate::spl::ast::NumberValue;

    fn duration(text: &str) -> Option<(i64, Option<TimeUnit>)> {
        Duration::parse(text).map(|duration| (duration.count, duration.unit))
    }

    #[test]
    fn durations_follow_the_timescale_table() {
        assert_eq!(duration("5m"), Some((5, Some(TimeUnit::Minute))));
        assert_eq!(duration("240MIN"), Some((240, Some(TimeUnit::Minute))));
        assert_eq!(duration("1w"), Some((1, Some(TimeUnit::Week))));
        assert_eq!(duration("2mon"), Some((2, Some(TimeUnit::Month))));
        assert_eq!(duration("10ms"), Some((10, Some(TimeUnit::Millisecond))));
        // A unit alone is one of it; a bare number has no unit; `-1` is transaction's "no limit".
        assert_eq!(duration("h"), Some((1, Some(TimeUnit::Hour))));
        assert_eq!(duration("30"), Some((30, None)));
        assert_eq!(duration("-1"), Some((-1, None)));
        for malformed in [
            "",
            "-",
            "-h",
            "5q7",
            "1.5h",
            "5 parsecs",
            "99999999999999999999s",
        ] {
            assert_eq!(duration(malformed), None, "{malformed:?}");
        }
    }

    #[test]
    fn whole_seconds_only_for_fixed_units_of_a_second_or_more() {
        let seconds = |text: &str| Duration::parse(text).and_then(|d| d.whole_seconds());
        assert_eq!(seconds("1h"), Some(3600));
        assert_eq!(seconds("2d"), Some(172_800));
        assert_eq!(seconds("1w"), Some(604_800));
        assert_eq!(seconds("10"), None);
        assert_eq!(seconds("1mon"), None);
        assert_eq!(seconds("500ms"), None);
    }

    #[test]
    fn duration_keeps_the_written_form() {
        let parsed = Duration::parse(" 15m ");
        assert_eq!(parsed.map(|d| d.written), Some("15m".to_owned()));
    }

    #[test]
    fn bin_spans_are_lengths_or_log_spans() {
        assert!(matches!(
            BinSpan::parse("1h"),
            Some(BinSpan::Length(Duration {
                count: 1,
                unit: Some(TimeUnit::Hour),
                ..
            }))
        ));
        let log = |text: &str| match BinSpan::parse(text) {
            Some(BinSpan::Log {
                coefficient, base, ..
            }) => Some((coefficient, base)),
            _ => None,
        };
        assert_eq!(
            log("log"),
            Some((NumberValue::Integer(1), NumberValue::Integer(10)))
        );
        assert_eq!(
            log("2log10"),
            Some((NumberValue::Integer(2), NumberValue::Integer(10)))
        );
        assert_eq!(
            log("log2"),
            Some((NumberValue::Integer(1), NumberValue::Integer(2)))
        );
        assert_eq!(BinSpan::parse("xlog"), None);
        assert_eq!(BinSpan::parse("1.5h"), None);
    }
}
