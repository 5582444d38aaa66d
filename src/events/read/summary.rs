//! What a read saw: events by format and by source, and every bad record by reason, with its
//! file and position. Bad input is never fatal and never silent: each problem is counted here
//! and reading goes on.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Code;

/// The format a record was read in (the shapes of `../shared/events/index.tsv`, and the
/// generic ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EventFormat {
    /// XmlWinEventLog `<Event>` elements.
    Xml,
    /// Windows EVTX.
    Evtx,
    /// Flat Windows JSON (OTRF Security-Datasets).
    OtrfJson,
    /// winlogbeat's nested JSON (`winlog.event_data.*`).
    WinlogbeatJson,
    /// winlogbeat 6's JSON (`event_data.*`, `event_id`, `log_name` at the top level).
    Winlogbeat6Json,
    /// Splunk's JSON search export (`{"result": {...}}`).
    SplunkJson,
    /// Zeek's JSON logs.
    ZeekJson,
    /// Zeek's TSV logs with `#fields` headers.
    ZeekTsv,
    /// JSON of no shape detc knows (fields kept as they are).
    Json,
}

impl EventFormat {
    /// The name used in `index.tsv` and in summaries.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EventFormat::Xml => "xml",
            EventFormat::Evtx => "evtx",
            EventFormat::OtrfJson => "otrf-json",
            EventFormat::WinlogbeatJson => "winlogbeat-json",
            EventFormat::Winlogbeat6Json => "winlogbeat6-json",
            EventFormat::SplunkJson => "splunk-json",
            EventFormat::ZeekJson => "zeek-json",
            EventFormat::ZeekTsv => "zeek-tsv",
            EventFormat::Json => "json",
        }
    }
}

impl EventFormat {
    /// The `sourcetype` of an event of this format whose content names none and for which none
    /// was configured (a Splunk export line without its `sourcetype`, JSON of no known shape):
    /// Splunk's own default for JSON, `_json`, and the readers' usual ones otherwise.
    #[must_use]
    pub fn fallback_sourcetype(self) -> &'static str {
        match self {
            EventFormat::Xml
            | EventFormat::Evtx
            | EventFormat::OtrfJson
            | EventFormat::WinlogbeatJson
            | EventFormat::Winlogbeat6Json => "XmlWinEventLog",
            EventFormat::ZeekJson => "zeek:json",
            EventFormat::ZeekTsv => "zeek",
            EventFormat::SplunkJson | EventFormat::Json => "_json",
        }
    }
}

impl fmt::Display for EventFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a record is bad. Each reason has a diagnostic code of family `R`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum BadReason {
    /// An XML `<Event>` with no end, or malformed inside (`R001`).
    TruncatedXml,
    /// A JSON record that does not parse (`R002`).
    InvalidJson,
    /// Bytes that are not UTF-8; the record was kept with U+FFFD in their place (`R003`).
    InvalidUtf8,
    /// A record over the size limit, skipped (`R004`).
    TooLarge,
    /// A gzip stream cut short or corrupt; what came before was read (`R005`).
    BadGzip,
    /// A binary file that is no format detc reads (`R006`).
    Binary,
    /// Text of no format detc recognizes (`R007`).
    UnknownFormat,
    /// An EVTX file or record the parser rejected (`R008`).
    BadEvtx,
    /// A Zeek TSV line that does not fit its `#fields` header (`R009`).
    BadZeekLine,
    /// An I/O error while reading an opened file (`R010`).
    ReadFailed,
}

impl BadReason {
    /// The diagnostic code.
    #[must_use]
    pub fn code(self) -> Code {
        match self {
            BadReason::TruncatedXml => Code::R001,
            BadReason::InvalidJson => Code::R002,
            BadReason::InvalidUtf8 => Code::R003,
            BadReason::TooLarge => Code::R004,
            BadReason::BadGzip => Code::R005,
            BadReason::Binary => Code::R006,
            BadReason::UnknownFormat => Code::R007,
            BadReason::BadEvtx => Code::R008,
            BadReason::BadZeekLine => Code::R009,
            BadReason::ReadFailed => Code::R010,
        }
    }

    /// Whether a record with this problem is still read (with its bytes replaced).
    #[must_use]
    pub fn is_kept(self) -> bool {
        matches!(self, BadReason::InvalidUtf8)
    }
}

/// One bad record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    /// Why.
    pub reason: BadReason,
    /// The file.
    pub path: Arc<Path>,
    /// Byte offset of the record (or of the problem) in the uncompressed stream.
    pub offset: u64,
    /// 1-based line of the record, when the format is line-based.
    pub line: Option<u64>,
    /// What the parser said.
    pub detail: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.path.display(),
            self.reason.code().as_str()
        )?;
        match self.line {
            Some(line) => write!(f, " at line {line} (byte {})", self.offset)?,
            None => write!(f, " at byte {}", self.offset)?,
        }
        write!(f, ": {}", self.detail)
    }
}

/// How many bad records are kept with their details (all are counted).
const KEPT_BAD_RECORDS: usize = 1000;

/// Totals of a read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Files read (opened).
    pub files: u64,
    /// Uncompressed bytes read.
    pub bytes: u64,
    /// Events by format.
    pub by_format: BTreeMap<EventFormat, u64>,
    /// Events by `source` (`None`: events without one).
    pub by_source: BTreeMap<Option<String>, u64>,
    /// Bad records by reason.
    pub bad_by_reason: BTreeMap<BadReason, u64>,
    /// The first bad records, in reading order (at most a thousand).
    pub bad: Vec<BadRecord>,
    /// Events counted under `last_source` not yet added to `by_source` (most consecutive
    /// events share a source; this saves a map lookup per event).
    pending_source: Option<(Option<String>, u64)>,
}

impl ReadSummary {
    /// Every event read.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.by_format.values().sum()
    }

    /// Every bad record.
    #[must_use]
    pub fn bad_records(&self) -> u64 {
        self.bad_by_reason.values().sum()
    }

    /// Events of `format`.
    #[must_use]
    pub fn events_of(&self, format: EventFormat) -> u64 {
        self.by_format.get(&format).copied().unwrap_or(0)
    }

    pub(crate) fn count_event(&mut self, format: EventFormat, source: Option<&str>) {
        *self.by_format.entry(format).or_insert(0) += 1;
        match &mut self.pending_source {
            Some((pending, count)) if pending.as_deref() == source => *count += 1,
            _ => {
                self.flush_sources();
                self.pending_source = Some((source.map(str::to_owned), 1));
            }
        }
    }

    /// Moves the pending per-source count into `by_source`.
    pub(crate) fn flush_sources(&mut self) {
        if let Some((source, count)) = self.pending_source.take() {
            *self.by_source.entry(source).or_insert(0) += count;
        }
    }

    pub(crate) fn count_bad(&mut self, record: BadRecord) {
        *self.bad_by_reason.entry(record.reason).or_insert(0) += 1;
        if self.bad.len() < KEPT_BAD_RECORDS {
            self.bad.push(record);
        }
    }

    /// Adds another summary (from another thread) to this one.
    pub fn merge(&mut self, mut other: ReadSummary) {
        self.flush_sources();
        other.flush_sources();
        self.files += other.files;
        self.bytes += other.bytes;
        for (format, count) in other.by_format {
            *self.by_format.entry(format).or_insert(0) += count;
        }
        for (source, count) in other.by_source {
            *self.by_source.entry(source).or_insert(0) += count;
        }
        for (reason, count) in other.bad_by_reason {
            *self.bad_by_reason.entry(reason).or_insert(0) += count;
        }
        let room = KEPT_BAD_RECORDS.saturating_sub(self.bad.len());
        self.bad.extend(other.bad.into_iter().take(room));
    }
}

/// A path for reports, shared by every bad record of one file.
pub(crate) fn shared_path(path: &Path) -> Arc<Path> {
    Arc::from(PathBuf::from(path).into_boxed_path())
}
