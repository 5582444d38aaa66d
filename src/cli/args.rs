//! The raw layer: clap derive structs exactly as the user typed them. Nothing here is
//! validated beyond what clap checks; [`super::config`] turns these into library configs.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Code;
use crate::diagnostic::codes::REGISTRY;
use crate::diagnostic::suggest::did_you_mean;
use crate::policy::Selector;

const EXIT_CODES: &str = "\
Exit status:
  0  no errors (warnings allowed)
  1  the content has errors
  2  usage error, or the content could not be read";

const VALIDATE_HELP: &str = "\
Paths:
  Without PATH, every diagnostic of the content root is reported. With PATHs (files or
  folders), the whole tree is still loaded and checked (references need it), but only
  diagnostics in those files are reported. The content root is --content, or else the
  nearest folder holding contentctl.yml above the first PATH (or the current folder).

Settings:
  --select, --ignore and --deny-warnings can also be set in detc.toml at the content root
  (keys select, ignore, deny-warnings); --select replaces its list, --ignore adds to it.
  A YAML comment `# detc: ignore[X015]` silences that code on its line (or, alone on a
  line, on the next line). `detc explain CODE` says what a code means.

Formats:
  human   rustc-style diagnostics with the source line and a caret, on stderr;
          the summary line is the last line on stdout
  github  one GitHub Actions annotation per diagnostic
          (::error file=PATH,line=L,col=C,title=CODE::MESSAGE), then the summary line,
          all on stdout
  json    one JSON object per line {\"severity\",\"code\",\"file\",\"line\",\"column\",\"message\"},
          then {\"summary\":{...}}, all on stdout
  sarif   one SARIF 2.1.0 log on stdout (GitHub code scanning), with one rule per code;
          the summary line goes to stderr

Exit status:
  0  no errors (warnings allowed, unless --deny-warnings)
  1  the content has errors (or warnings, with --deny-warnings)
  2  usage error, a bad detc.toml, or the content could not be read: the content root
     does not exist or holds no content, or a file or folder in it cannot be read (L006)";

const COMPILE_HELP: &str = "\
Formats:
  human   errors of files that did not load and of invalid detections as diagnostics on
          stderr (a deprecated detection's errors as warnings); on stdout a table of the
          reasons detections are not compiled, by count, then the summary line
          `compiled C of N detections: U unsupported, I invalid (D deprecated), L load errors`
          (the parts in brackets and after them only when not zero)
  json    one object per file that did not load, then one per detection, all on stdout:
          {\"detection\",\"file\",\"status\",\"deprecated\",\"reason\":{\"code\",\"message\",\"line\",\"column\"}}
          (status not_loaded|compiled|unsupported|invalid; no detection when not_loaded;
          deprecated only for an invalid deprecated detection; no reason when compiled), then
          {\"summary\":{\"compiled\",\"unsupported\",\"invalid\",\"invalid_deprecated\",\"load_errors\"}}

Exit status:
  0  every detection loaded, and none is invalid but deprecated ones (unsupported ones
     are allowed)
  1  a content file did not load, or a detection that is not deprecated is invalid
  2  usage error, the content could not be read (L006), or --explain names no detection";

const EVENTS_HELP: &str = "\
Output (stdout):
  jsonl   one JSON object per event:
          {\"_time\",\"source\",\"sourcetype\",\"host\",\"datasets\":[...],\"raw\":{...},\"cim\":{...}}
          raw: the record's fields under their vendor names; cim: the fields CIM normalization
          added (never replacing a raw one); datasets: the data model datasets the event joins
          (Endpoint.Processes, ...). A multivalue field is a list. _raw only with --fields _raw.
  table   a header line, then one tab-separated line per event: _time, sourcetype, host and
          datasets, or the --fields columns (multivalues joined with |)
Then on stderr: events read by format and by source, and every bad record (truncated XML,
invalid JSON, invalid UTF-8, ...) with its reason, file and byte offset or line.

Mappings: detc's own data source mappings (Sysmon 1, 3, 11, 12, 13, 14, 22, 23, 26, Security
4688 and 4794, Zeek conn, Suricata) are built in; a --content tree's data source with a detc_mapping replaces
the built-in one of the same name, and its field_mappings are applied under it.

Exit status:
  0  the inputs were read (bad records are reported, not fatal)
  1  an input could not be opened, or the --assets file could not be read
  2  usage error, or the content could not be read";

/// detc: loads, validates and compiles Splunk `security_content` detection YAML.
#[derive(Debug, Parser)]
#[command(
    name = "detc",
    version,
    about = "Load, validate and compile Splunk security_content detection YAML",
    long_about = "detc reads a security_content tree (detections/, stories/, macros/, lookups/, \
                  data_sources/, ...), checks it with the rules of contentctl 4.4.1 plus its \
                  own SPL-aware lints, reporting every problem with file, line and column, and \
                  compiles each detection's SPL (macro expansion and parsing).",
    after_help = EXIT_CODES,
    arg_required_else_help = true
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: CommandArgs,
    /// When to colour diagnostics: auto (a terminal without NO_COLOR), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// The subcommands as parsed.
#[derive(Debug, Subcommand)]
#[non_exhaustive]
pub enum CommandArgs {
    /// Check a content tree and report every problem
    #[command(
        long_about = "Load every YAML file of a content tree, run every validation rule over it, \
                      parse every search for SPL syntax and macro errors and lints, and \
                      report the diagnostics, sorted by file and position. Errors fail the run; \
                      warnings only with --deny-warnings.",
        after_help = VALIDATE_HELP
    )]
    Validate(ValidateArgs),
    /// Expand and parse every detection's search and report how far each got
    #[command(
        long_about = "Expand the macros of every detection's search, parse the SPL and report, per \
                      detection, whether it compiled, uses something detc does not support yet \
                      (with the command or macro and its location), or is invalid (with the \
                      first error). --explain shows one detection's expanded SPL and syntax tree, and \
                      for a compiled detection its plan: routing, the literals it gives the \
                      automaton (or why it is always checked), the verification tree, the \
                      per-event, aggregation and row stages, and the figures of the automaton \
                      over every compiled detection of the tree.",
        after_help = COMPILE_HELP
    )]
    Compile(CompileArgs),
    /// Read log exports and print each event as detc sees it, CIM fields and all
    #[command(
        long_about = "Read event files (XmlWinEventLog XML, EVTX, JSON lines or arrays in the \
                      OTRF, winlogbeat, Splunk-export and Zeek shapes, Zeek TSV; gzip or not; \
                      folders recursively), normalize each event to the CIM with the data \
                      sources' mappings, enrich it from an asset list, and print it: its raw \
                      fields, its CIM fields and the data model datasets it joins. This is how \
                      to check why a detection does or does not see an event.",
        after_help = EVENTS_HELP
    )]
    Events(EventsArgs),
    /// Run detections over log exports and print the rows Splunk would return
    #[command(
        long_about = "Compile the content tree's detections to plans, read event files, \
                      normalize each event to the CIM, run every selected detection over the \
                      events and print the result rows. With neither --story nor --detection, \
                      every detection that compiles runs. The summary on stderr lists the \
                      rows per detection and the detections that saw no event of their data \
                      model or source."
    )]
    Run(RunArgs),
    /// Say what a diagnostic code means, why it matters and how to fix it
    #[command(
        long_about = "Print the explanation of a diagnostic code: what it flags, why it \
                      matters, a bad and a good example, and how to fix it."
    )]
    Explain(ExplainArgs),
}

/// `detc run` as parsed.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The content root (the directory holding detections/, stories/, macros/, ...)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub content: PathBuf,
    /// Run every detection of this story (its name); repeatable
    #[arg(long, value_name = "NAME")]
    pub story: Vec<String>,
    /// Run this detection (its name or file stem, deprecated ones included); repeatable
    #[arg(long, value_name = "NAME")]
    pub detection: Vec<String>,
    /// Files or folders of events (format detected from the content; .gz read transparently; a folder's .md, .yml, .yaml and .csv files are skipped)
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub events: Vec<PathBuf>,
    /// How to print result rows
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = RunFormat::Table)]
    pub format: RunFormat,
    /// Write the rows to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The search time for now() and relative_time: RFC 3339, or `latest` for the newest
    /// event read (default: the current time, as in Splunk)
    #[arg(long, value_name = "TIME|latest")]
    pub now: Option<String>,
    /// A Splunk ES asset list (CSV) that fills src_*, dest_* and dvc_* fields
    #[arg(long, value_name = "FILE")]
    pub assets: Option<PathBuf>,
    /// `source` for events whose content names none
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// `sourcetype` for events whose content names none
    #[arg(long, value_name = "S")]
    pub sourcetype: Option<String>,
    /// Evaluate every detection on every event instead of through the automaton (the
    /// reference path the automaton is tested against; hidden: for tests and debugging)
    #[arg(long, hide = true)]
    pub naive: bool,
    /// Worker threads (default: the available cores)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// The largest piece of a large uncompressed file one thread reads at once, in bytes
    /// (default: about a quarter of a thread's share; hidden: for tests and measurements)
    #[arg(long, value_name = "BYTES", hide = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_bytes: Option<u64>,
}

/// The formats `detc run` prints rows in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// Aligned columns, one block per detection, for people
    Table,
    /// One JSON object per row: {"detection": NAME, FIELD: VALUE, ...}
    Jsonl,
    /// CSV as Splunk exports it, with a leading `detection` column
    Csv,
}

/// `detc events` as parsed.
#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// A content root whose data_sources/ mappings add to or replace the built-in ones
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Files or folders of events (format detected from the content; .gz read transparently; a folder's .md, .yml, .yaml and .csv files are skipped)
    #[arg(long, value_name = "PATH", num_args = 1.., required = true)]
    pub events: Vec<PathBuf>,
    /// How to print events
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = EventsFormat::Jsonl)]
    pub format: EventsFormat,
    /// Print only these fields (raw or CIM names, comma-separated; also _raw, _time, source, ...)
    #[arg(long, value_name = "F,...", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,
    /// Print only events in this dataset (Endpoint.Processes), or in any dataset of a data model
    /// named alone (Network_Traffic)
    #[arg(long, value_name = "DATASET")]
    pub only: Option<String>,
    /// `source` for events whose content names none (an O365 or CloudTrail JSON export)
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// `sourcetype` for events whose content names none
    #[arg(long, value_name = "S")]
    pub sourcetype: Option<String>,
    /// A Splunk ES asset list (CSV: ip, mac, nt_host, dns, owner, priority, bunit, category, ...)
    /// that fills src_*, dest_* and dvc_* fields
    #[arg(long, value_name = "FILE")]
    pub assets: Option<PathBuf>,
}

/// The formats `detc events` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    /// One JSON object per event
    Jsonl,
    /// A tab-separated table with a header line
    Table,
}

/// `detc explain` as parsed.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code, e.g. X015
    #[arg(value_name = "CODE", value_parser = parse_code)]
    pub code: Code,
}

/// A registered code, case-insensitively, with a suggestion when it is close to one.
fn parse_code(text: &str) -> Result<Code, String> {
    let upper = text.trim().to_ascii_uppercase();
    Code::from_id(&upper).ok_or_else(|| {
        let ids = REGISTRY.iter().map(|info| info.code.as_str());
        match did_you_mean(&upper, ids) {
            Some(close) => format!("`{text}` is not a diagnostic code (did you mean `{close}`?)"),
            None => format!("`{text}` is not a diagnostic code (codes look like `X015`)"),
        }
    })
}

/// `detc compile` as parsed.
#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// The content root (the directory holding detections/, macros/, ...)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub content: PathBuf,
    /// How to print the results
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = CompileFormat::Human)]
    pub format: CompileFormat,
    /// Show one detection (by name or file stem): its expanded SPL, its syntax tree, and
    /// for a compiled one its plan, its automaton literals and the automaton's figures
    #[arg(long, value_name = "NAME")]
    pub explain: Option<String>,
    /// With --explain: also print the automaton's build time (it varies between runs)
    #[arg(long, requires = "explain")]
    pub timings: bool,
}

/// The formats `detc compile` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompileFormat {
    /// A table of reasons by count, then the summary line
    Human,
    /// One JSON object per detection, then a summary object
    Json,
}

/// `detc validate` as parsed.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Report only diagnostics in these files or folders (the whole tree is still checked)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The content root (default: the nearest folder holding contentctl.yml, else .)
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,
    /// Report only these codes or prefixes (X015, X01, X; comma-separated or repeated)
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = Selector::parse)]
    pub select: Option<Vec<Selector>>,
    /// Do not report these codes or prefixes (load failures are always reported)
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = Selector::parse)]
    pub ignore: Vec<Selector>,
    /// Fail (exit 1) on warnings too, as on errors
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print diagnostics only: no summary line
    #[arg(short, long)]
    pub quiet: bool,
}

/// The formats `detc validate` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// rustc-style text: diagnostics on stderr, summary on stdout
    Human,
    /// GitHub Actions workflow commands on stdout
    Github,
    /// JSON lines on stdout
    Json,
    /// A SARIF 2.1.0 log on stdout, for GitHub code scanning
    Sarif,
}
