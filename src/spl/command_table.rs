//! The one table of SPL command names: which names detc parses into typed commands
//! ([`Modelled`]), which are Splunk built-ins it keeps as text, and which come from apps that
//! Splunk itself ships for security content (the Machine Learning Toolkit). The parser's
//! dispatch, the words that may open a subsearch, and [`Modelled::name`] all read it.
//!
//! The built-in names are those of the Search Reference's "Command quick reference" (Splunk
//! Enterprise 9.x), aliases included (`bucket`, `kv`, `run`…). A name in none of these lists
//! is unknown: Splunk rejects the search unless an installed app provides the command, which
//! is why the caller (which knows the configuration) decides how to report it.

/// A command detc parses into a typed [`super::ast::CommandKind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modelled {
    /// `search`
    Search,
    /// `tstats`
    Tstats,
    /// `stats`
    Stats,
    /// `eventstats`
    Eventstats,
    /// `streamstats`
    Streamstats,
    /// `where`
    Where,
    /// `eval`
    Eval,
    /// `rename`
    Rename,
    /// `table`
    Table,
    /// `fields`
    Fields,
    /// `convert`
    Convert,
    /// `bin` (alias `bucket`)
    Bin,
    /// `lookup`
    Lookup,
    /// `inputlookup`
    Inputlookup,
    /// `rex`
    Rex,
    /// `regex`
    Regex,
    /// `fillnull`
    Fillnull,
    /// `dedup`
    Dedup,
    /// `mvexpand`
    Mvexpand,
    /// `sort`
    Sort,
    /// `join`
    Join,
    /// `append`
    Append,
    /// `appendpipe`
    Appendpipe,
    /// `spath`
    Spath,
    /// `foreach`
    Foreach,
    /// `iplocation`
    Iplocation,
    /// `xmlkv`
    Xmlkv,
    /// `makemv`
    Makemv,
    /// `fromjson`
    Fromjson,
    /// `addtotals`
    Addtotals,
    /// `transaction`
    Transaction,
    /// `from`
    From,
    /// `head`
    Head,
    /// `replace`
    Replace,
}

impl Modelled {
    /// The command's name as printed: its first spelling in the table (`bin`, not `bucket`).
    #[must_use]
    pub fn name(self) -> &'static str {
        COMMANDS
            .iter()
            .find(|(_, entry)| *entry == Entry::Modelled(self))
            .map_or("", |(name, _)| name)
    }
}

/// What the table knows about a command name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entry {
    /// Parsed into a typed command.
    Modelled(Modelled),
    /// A Splunk built-in detc keeps as text (not modelled yet).
    BuiltIn,
    /// A command of the Splunk Machine Learning Toolkit (`fit`, `apply`…): not built in, but
    /// security content ships detections that need it (14 in the corpus use `apply`), so it
    /// is known without a declaration.
    MachineLearningToolkit,
}

use Entry::{BuiltIn, MachineLearningToolkit as Mltk, Modelled as M};

/// Every known command name, lowercase. Modelled names come first, so that
/// [`Modelled::name`] finds the canonical spelling before an alias.
const COMMANDS: &[(&str, Entry)] = &[
    ("search", M(Modelled::Search)),
    ("tstats", M(Modelled::Tstats)),
    ("stats", M(Modelled::Stats)),
    ("eventstats", M(Modelled::Eventstats)),
    ("streamstats", M(Modelled::Streamstats)),
    ("where", M(Modelled::Where)),
    ("eval", M(Modelled::Eval)),
    ("rename", M(Modelled::Rename)),
    ("table", M(Modelled::Table)),
    ("fields", M(Modelled::Fields)),
    ("convert", M(Modelled::Convert)),
    ("bin", M(Modelled::Bin)),
    ("bucket", M(Modelled::Bin)),
    ("lookup", M(Modelled::Lookup)),
    ("inputlookup", M(Modelled::Inputlookup)),
    ("rex", M(Modelled::Rex)),
    ("regex", M(Modelled::Regex)),
    ("fillnull", M(Modelled::Fillnull)),
    ("dedup", M(Modelled::Dedup)),
    ("mvexpand", M(Modelled::Mvexpand)),
    ("sort", M(Modelled::Sort)),
    ("join", M(Modelled::Join)),
    ("append", M(Modelled::Append)),
    ("appendpipe", M(Modelled::Appendpipe)),
    ("spath", M(Modelled::Spath)),
    ("foreach", M(Modelled::Foreach)),
    ("iplocation", M(Modelled::Iplocation)),
    ("xmlkv", M(Modelled::Xmlkv)),
    ("makemv", M(Modelled::Makemv)),
    ("fromjson", M(Modelled::Fromjson)),
    ("addtotals", M(Modelled::Addtotals)),
    ("transaction", M(Modelled::Transaction)),
    ("from", M(Modelled::From)),
    ("head", M(Modelled::Head)),
    ("replace", M(Modelled::Replace)),
    // Search Reference built-ins detc does not model yet.
    ("abstract", BuiltIn),
    ("accum", BuiltIn),
    ("addcoltotals", BuiltIn),
    ("addinfo", BuiltIn),
    ("analyzefields", BuiltIn),
    ("anomalies", BuiltIn),
    ("anomalousvalue", BuiltIn),
    ("anomalydetection", BuiltIn),
    ("appendcols", BuiltIn),
    ("arules", BuiltIn),
    ("associate", BuiltIn),
    ("audit", BuiltIn),
    ("autoregress", BuiltIn),
    ("bucketdir", BuiltIn),
    ("chart", BuiltIn),
    ("cluster", BuiltIn),
    ("cofilter", BuiltIn),
    ("collect", BuiltIn),
    ("concurrency", BuiltIn),
    ("contingency", BuiltIn),
    ("correlate", BuiltIn),
    ("counttable", BuiltIn),
    ("ctable", BuiltIn),
    ("datamodel", BuiltIn),
    ("datamodelsimple", BuiltIn),
    ("dbinspect", BuiltIn),
    ("delete", BuiltIn),
    ("delta", BuiltIn),
    ("diff", BuiltIn),
    ("erex", BuiltIn),
    ("eventcount", BuiltIn),
    ("extract", BuiltIn),
    ("kv", BuiltIn),
    ("fieldformat", BuiltIn),
    ("fieldsummary", BuiltIn),
    ("filldown", BuiltIn),
    ("findtypes", BuiltIn),
    ("folderize", BuiltIn),
    ("format", BuiltIn),
    ("gauge", BuiltIn),
    ("gentimes", BuiltIn),
    ("geom", BuiltIn),
    ("geomfilter", BuiltIn),
    ("geostats", BuiltIn),
    ("highlight", BuiltIn),
    ("history", BuiltIn),
    ("iconify", BuiltIn),
    ("inputcsv", BuiltIn),
    ("inputintelligence", BuiltIn),
    ("kmeans", BuiltIn),
    ("kvform", BuiltIn),
    ("loadjob", BuiltIn),
    ("localize", BuiltIn),
    ("localop", BuiltIn),
    ("makecontinuous", BuiltIn),
    ("makeresults", BuiltIn),
    ("map", BuiltIn),
    ("mcatalog", BuiltIn),
    ("mcollect", BuiltIn),
    ("metadata", BuiltIn),
    ("metasearch", BuiltIn),
    ("meventcollect", BuiltIn),
    ("mpreview", BuiltIn),
    ("msearch", BuiltIn),
    ("mstats", BuiltIn),
    ("multikv", BuiltIn),
    ("multisearch", BuiltIn),
    ("mvcombine", BuiltIn),
    ("nomv", BuiltIn),
    ("outlier", BuiltIn),
    ("outputcsv", BuiltIn),
    ("outputlookup", BuiltIn),
    ("outputtext", BuiltIn),
    ("overlap", BuiltIn),
    ("pivot", BuiltIn),
    ("predict", BuiltIn),
    ("rangemap", BuiltIn),
    ("rare", BuiltIn),
    ("redistribute", BuiltIn),
    ("reltime", BuiltIn),
    ("require", BuiltIn),
    ("rest", BuiltIn),
    ("return", BuiltIn),
    ("reverse", BuiltIn),
    ("rtorder", BuiltIn),
    ("run", BuiltIn),
    ("savedsearch", BuiltIn),
    ("script", BuiltIn),
    ("scrub", BuiltIn),
    ("searchtxn", BuiltIn),
    ("selfjoin", BuiltIn),
    ("sendalert", BuiltIn),
    ("sendemail", BuiltIn),
    ("set", BuiltIn),
    ("setfields", BuiltIn),
    ("sichart", BuiltIn),
    ("sirare", BuiltIn),
    ("sistats", BuiltIn),
    ("sitimechart", BuiltIn),
    ("sitop", BuiltIn),
    ("strcat", BuiltIn),
    ("tags", BuiltIn),
    ("tail", BuiltIn),
    ("timechart", BuiltIn),
    ("timewrap", BuiltIn),
    ("tojson", BuiltIn),
    ("top", BuiltIn),
    ("transpose", BuiltIn),
    ("trendline", BuiltIn),
    ("tscollect", BuiltIn),
    ("typeahead", BuiltIn),
    ("typelearner", BuiltIn),
    ("typer", BuiltIn),
    ("union", BuiltIn),
    ("uniq", BuiltIn),
    ("untable", BuiltIn),
    ("walklex", BuiltIn),
    ("x11", BuiltIn),
    ("xmlunescape", BuiltIn),
    ("xpath", BuiltIn),
    ("xyseries", BuiltIn),
    // Machine Learning Toolkit (and DSDL, which runs through it).
    ("fit", Mltk),
    ("apply", Mltk),
    ("score", Mltk),
    ("summary", Mltk),
    ("listmodels", Mltk),
    ("deletemodel", Mltk),
    ("sample", Mltk),
];

/// What the table knows about `name` (ASCII case-insensitive); `None` for an unknown name.
#[must_use]
pub fn lookup(name: &str) -> Option<Entry> {
    COMMANDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, entry)| *entry)
}

/// Every known command name (for "did you mean" suggestions).
pub fn names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_modelled_command_has_a_canonical_name() {
        for (name, entry) in COMMANDS {
            assert_eq!(lookup(name), Some(*entry));
            if let Entry::Modelled(command) = entry {
                assert!(!command.name().is_empty());
                assert_eq!(lookup(command.name()), Some(*entry));
            }
        }
        assert_eq!(Modelled::Bin.name(), "bin");
        assert_eq!(lookup("BUCKET"), Some(Entry::Modelled(Modelled::Bin)));
        assert_eq!(lookup("stast"), None);
    }

    #[test]
    fn names_are_unique_and_lowercase() {
        let mut seen = std::collections::BTreeSet::new();
        for (name, _) in COMMANDS {
            assert_eq!(*name, name.to_ascii_lowercase());
            assert!(seen.insert(*name), "{name} listed twice");
        }
    }
}
