//! Eval functions ([`EvalFunction`]) and aggregation functions ([`AggFunction`]) as enums,
//! each with an `Other(name)` case for names detc does not know: the parser classifies a
//! name once, and the lint, the plan and the runtime match on the case instead of comparing
//! strings. Names are matched ASCII case-insensitively.
//!
//! The lists are the Search Reference's "Evaluation functions" and "Statistical and charting
//! functions" (Splunk Enterprise 9.x), the corpus's functions (spl-semantics.md 1.4, 1.5)
//! all among them.

/// Declares a function enum: one unit case per `Variant = "name"`, then the extra cases
/// written after `;`, plus `known` (name → case) and `known_name` (case → name).
macro_rules! function_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident = $text:literal,)*
            ;
            $($extra:tt)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
            $($extra)*
        }

        impl $name {
            /// The case named `lower` (already lowercase), if it is a unit case.
            fn known(lower: &str) -> Option<$name> {
                match lower {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// The name of a unit case.
            fn known_name(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($text),)*
                    _ => None,
                }
            }
        }
    };
}

function_enum! {
    /// A function of the eval grammar (`eval`, `where`, `agg(eval(…))`).
    pub enum EvalFunction {
        Abs = "abs",
        Case = "case",
        Ceiling = "ceiling",
        Ceil = "ceil",
        Cidrmatch = "cidrmatch",
        Coalesce = "coalesce",
        Commands = "commands",
        Exact = "exact",
        Exp = "exp",
        False = "false",
        Floor = "floor",
        If = "if",
        In = "in",
        Ipmask = "ipmask",
        Isbool = "isbool",
        Isint = "isint",
        Isnotnull = "isnotnull",
        Isnull = "isnull",
        Isnum = "isnum",
        Isstr = "isstr",
        JsonArrayToMv = "json_array_to_mv",
        JsonExtract = "json_extract",
        JsonExtractExact = "json_extract_exact",
        JsonKeys = "json_keys",
        JsonObject = "json_object",
        Len = "len",
        Like = "like",
        Ln = "ln",
        Log = "log",
        Lookup = "lookup",
        Lower = "lower",
        Ltrim = "ltrim",
        Match = "match",
        Max = "max",
        Md5 = "md5",
        Min = "min",
        Mvappend = "mvappend",
        Mvcount = "mvcount",
        Mvdedup = "mvdedup",
        Mvfilter = "mvfilter",
        Mvfind = "mvfind",
        Mvindex = "mvindex",
        Mvjoin = "mvjoin",
        Mvmap = "mvmap",
        Mvrange = "mvrange",
        Mvsort = "mvsort",
        Mvzip = "mvzip",
        Now = "now",
        Null = "null",
        Nullif = "nullif",
        Pi = "pi",
        Pow = "pow",
        Printf = "printf",
        Random = "random",
        RelativeTime = "relative_time",
        Replace = "replace",
        Round = "round",
        Rtrim = "rtrim",
        Searchmatch = "searchmatch",
        Sha1 = "sha1",
        Sha256 = "sha256",
        Sha512 = "sha512",
        Sigfig = "sigfig",
        Split = "split",
        Spath = "spath",
        Sqrt = "sqrt",
        Strftime = "strftime",
        Strptime = "strptime",
        Substr = "substr",
        Time = "time",
        Tonumber = "tonumber",
        Tostring = "tostring",
        Trim = "trim",
        True = "true",
        Typeof = "typeof",
        Upper = "upper",
        Urldecode = "urldecode",
        Validate = "validate",
        ;
        /// A name detc does not know, as written.
        Other(String),
    }
}

impl EvalFunction {
    /// The function named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn from_name(name: &str) -> EvalFunction {
        EvalFunction::known(&name.to_ascii_lowercase())
            .unwrap_or_else(|| EvalFunction::Other(name.to_owned()))
    }

    /// The function's name (lowercase, or as written for [`EvalFunction::Other`]).
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            EvalFunction::Other(name) => name,
            known => known.known_name().unwrap_or_default(),
        }
    }

    /// Whether the function may return a multivalue result whatever its arguments (an
    /// unknown function is not assumed to).
    #[must_use]
    pub fn may_return_multivalue(&self) -> bool {
        matches!(
            self,
            EvalFunction::Split
                | EvalFunction::Mvappend
                | EvalFunction::Mvdedup
                | EvalFunction::Mvfilter
                | EvalFunction::Mvindex
                | EvalFunction::Mvmap
                | EvalFunction::Mvsort
                | EvalFunction::Mvzip
                | EvalFunction::Mvrange
                | EvalFunction::JsonArrayToMv
                | EvalFunction::Spath
                | EvalFunction::JsonExtract
                | EvalFunction::JsonExtractExact
                | EvalFunction::JsonKeys
                | EvalFunction::Lookup
        )
    }
}

/// Which percentile function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PercentileKind {
    /// `pNN` or `percNN`: approximate.
    Approximate,
    /// `exactpercNN`.
    Exact,
    /// `upperpercNN`.
    Upper,
}

function_enum! {
    /// A statistical function of `stats`, `eventstats`, `streamstats` and `tstats`.
    pub enum AggFunction {
        Avg = "avg",
        C = "c",
        Count = "count",
        Dc = "dc",
        DistinctCount = "distinct_count",
        Earliest = "earliest",
        EarliestTime = "earliest_time",
        Estdc = "estdc",
        EstdcError = "estdc_error",
        First = "first",
        Last = "last",
        Latest = "latest",
        LatestTime = "latest_time",
        List = "list",
        Max = "max",
        Mean = "mean",
        Median = "median",
        Min = "min",
        Mode = "mode",
        PerDay = "per_day",
        PerHour = "per_hour",
        PerMinute = "per_minute",
        PerSecond = "per_second",
        Range = "range",
        Rate = "rate",
        Stdev = "stdev",
        Stdevp = "stdevp",
        Sum = "sum",
        Sumsq = "sumsq",
        Values = "values",
        Var = "var",
        Varp = "varp",
        ;
        /// `p95`, `perc95`, `exactperc99`, `upperperc90`.
        Percentile {
            /// Which percentile function.
            kind: PercentileKind,
            /// The percentile, as written (all digits).
            percent: u32,
        },
        /// A name detc does not know, as written.
        Other(String),
    }
}

impl AggFunction {
    /// The function named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn from_name(name: &str) -> AggFunction {
        let lower = name.to_ascii_lowercase();
        if let Some(known) = AggFunction::known(&lower) {
            return known;
        }
        let prefixes = [
            ("exactperc", PercentileKind::Exact),
            ("upperperc", PercentileKind::Upper),
            ("perc", PercentileKind::Approximate),
            ("p", PercentileKind::Approximate),
        ];
        for (prefix, kind) in prefixes {
            if let Some(digits) = lower.strip_prefix(prefix)
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && let Ok(percent) = digits.parse()
            {
                return AggFunction::Percentile { kind, percent };
            }
        }
        AggFunction::Other(name.to_owned())
    }

    /// Whether the result is one value. `values`, `list` and unknown functions are taken to
    /// be multivalued.
    #[must_use]
    pub fn is_single_value(&self) -> bool {
        !matches!(
            self,
            AggFunction::Values | AggFunction::List | AggFunction::Other(_)
        )
    }

    /// The function's name when it is a unit case (`None` for percentiles and unknown names,
    /// whose names are as written).
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.known_name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_classify_once() {
        assert_eq!(EvalFunction::from_name("IF"), EvalFunction::If);
        assert_eq!(EvalFunction::from_name("mvindex").name(), "mvindex");
        assert_eq!(
            EvalFunction::from_name("myfn"),
            EvalFunction::Other("myfn".to_owned())
        );
        assert!(EvalFunction::Split.may_return_multivalue());
        assert!(!EvalFunction::Other("mvx".to_owned()).may_return_multivalue());
        assert_eq!(
            AggFunction::from_name("p95"),
            AggFunction::Percentile {
                kind: PercentileKind::Approximate,
                percent: 95
            }
        );
        assert_eq!(
            AggFunction::from_name("exactperc99"),
            AggFunction::Percentile {
                kind: PercentileKind::Exact,
                percent: 99
            }
        );
        assert_eq!(
            AggFunction::from_name("perc"),
            AggFunction::Other("perc".to_owned())
        );
        assert_eq!(
            AggFunction::from_name("P"),
            AggFunction::Other("P".to_owned())
        );
        assert!(AggFunction::from_name("DC").is_single_value());
        assert!(!AggFunction::from_name("values").is_single_value());
        assert!(!AggFunction::from_name("mystat").is_single_value());
        assert_eq!(AggFunction::Count.name(), Some("count"));
    }
}
