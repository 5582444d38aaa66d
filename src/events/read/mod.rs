//! Readers: files and folders in, [`Event`]s out, streaming, whatever the export format.
//!
//! [`Reader`] opens each input, peels gzip when the first bytes are its magic (any name,
//! multi-member streams too), detects the format from the first bytes of content (never from
//! the name) and hands the stream to the reader of that format, one file each:
//!
//! | file | format | records |
//! |---|---|---|
//! | `xml.rs` | XmlWinEventLog | `<Event>` elements, one per line or pretty-printed |
//! | `evtx.rs` | EVTX | the `evtx` crate's records, rendered to XML and read by `xml.rs` |
//! | `json.rs` | JSON lines, or one JSON array | OTRF flat, winlogbeat nested, Splunk export, Zeek JSON, any other JSON |
//! | `zeek.rs` | Zeek TSV | lines under `#fields`/`#types` headers |
//!
//! Memory does not grow with the input: a reader keeps one record (up to
//! [`ReadConfig::max_record_bytes`]) and one read chunk. Each event is handed to an
//! [`EventSink`] while it still borrows the read buffer, then its allocation is recycled.
//!
//! Bad input never stops a read and is never silent: each bad record is counted in the
//! [`ReadSummary`] by [`BadReason`] with its file and byte offset (and line, for line formats),
//! and reading goes on. Only an input that cannot be opened at all is a [`ReadError`].

mod chunk;
mod evtx;
mod input;
mod json;
mod summary;
mod xml;
mod zeek;

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use chunk::{Piece, plan_pieces};
pub use summary::{BadReason, BadRecord, EventFormat, ReadSummary};

use self::input::Stream;
use super::{Event, EventScratch, FieldId, FieldTable, Projection};

/// The first bytes of an EVTX file.
const EVTX_MAGIC: &[u8; 8] = b"ElfFile\0";

/// The layout of an input, detected from its first bytes (or forced with [`ReadConfig::format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum InputFormat {
    /// XmlWinEventLog `<Event>` elements.
    Xml,
    /// A Windows EVTX file.
    Evtx,
    /// One JSON object per line.
    JsonLines,
    /// One JSON array of objects.
    JsonArray,
    /// Zeek TSV with `#fields` headers.
    ZeekTsv,
}

/// How to read.
#[derive(Clone, Debug)]
pub struct ReadConfig {
    /// Records longer than this are skipped and reported ([`BadReason::TooLarge`]).
    pub max_record_bytes: usize,
    /// `source` for events whose content names none (JSON of an unknown shape such as an O365
    /// or CloudTrail export, Zeek logs). Without it such events get the file path, as Splunk's
    /// file inputs do.
    pub source: Option<String>,
    /// `sourcetype` for events whose content names none (default `_json` for JSON).
    pub sourcetype: Option<String>,
    /// The fields anyone reads; the others are not stored. Default: all.
    pub projection: Projection,
    /// The format of every input, instead of detecting it.
    pub format: Option<InputFormat>,
}

impl Default for ReadConfig {
    fn default() -> Self {
        ReadConfig {
            max_record_bytes: 8 * 1024 * 1024,
            source: None,
            sourcetype: None,
            projection: Projection::all(),
            format: None,
        }
    }
}

/// An input that cannot be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// A file or folder could not be opened (missing, a permission, …).
    #[error("cannot open `{}`: {source}", path.display())]
    Open {
        /// The input.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: io::Error,
    },
}

fn open_error(path: &Path) -> impl FnOnce(io::Error) -> ReadError + '_ {
    move |source| ReadError::Open {
        path: path.to_path_buf(),
        source,
    }
}

/// Receives each event while it still borrows the read buffer. `fields` is the reader's table,
/// to name fields or intern new ones.
pub trait EventSink {
    /// One event.
    fn event(&mut self, event: &mut Event<'_>, fields: &mut FieldTable);
}

impl<F: FnMut(&mut Event<'_>, &mut FieldTable)> EventSink for F {
    fn event(&mut self, event: &mut Event<'_>, fields: &mut FieldTable) {
        self(event, fields);
    }
}

/// Every file under `paths`: a file as given, a folder walked recursively with each folder's
/// entries sorted by name, so the order is the same on every run. A folder's documentation and
/// side files (see [`is_side_file`]) are left out of the walk; named on their own, they are read.
///
/// # Errors
/// [`ReadError::Open`] for a path or folder that cannot be read.
pub fn input_files<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(open_error(path))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// Depth-first, on an explicit stack so deep trees cannot overflow ours.
fn walk(root: &Path, files: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries = std::fs::read_dir(&dir)
            .and_then(|entries| {
                entries
                    .map(|entry| entry.map(|e| e.path()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(open_error(&dir))?;
        entries.sort();
        let mut subdirs = Vec::new();
        for entry in entries {
            if std::fs::metadata(&entry)
                .map_err(open_error(&entry))?
                .is_dir()
            {
                subdirs.push(entry);
            } else if !is_side_file(&entry) {
                files.push(entry);
            }
        }
        // Files of a folder before its subfolders, subfolders in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Whether a file found in a folder walk is a side file that travels with events but is not
/// one: a README (`.md`), expected results or content (`.yml`, `.yaml`), an asset or
/// lookup list (`.csv`). `samples/` holds all four beside its events, and reading them would
/// only report each as a bad record (R007). No reader takes these formats; the day one reads
/// CSV events, this list must lose `.csv`.
fn is_side_file(path: &Path) -> bool {
    const SIDE: &[&str] = &["md", "yml", "yaml", "csv"];
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| SIDE.iter().any(|side| side.eq_ignore_ascii_case(extension)))
}

/// Field ids a reader needs by name, resolved once through the projection (`None`: not kept).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Known {
    pub(crate) event_code: Option<FieldId>,
    pub(crate) event_id: Option<FieldId>,
    pub(crate) channel: Option<FieldId>,
    pub(crate) computer: Option<FieldId>,
    pub(crate) source_name: Option<FieldId>,
    pub(crate) provider_guid: Option<FieldId>,
    pub(crate) system_time: Option<FieldId>,
    pub(crate) execution_process_id: Option<FieldId>,
    pub(crate) execution_thread_id: Option<FieldId>,
    pub(crate) user_id: Option<FieldId>,
    pub(crate) activity_id: Option<FieldId>,
    pub(crate) related_activity_id: Option<FieldId>,
    pub(crate) event_record_id: Option<FieldId>,
    pub(crate) data: Option<FieldId>,
    pub(crate) message: Option<FieldId>,
    pub(crate) otrf_host: Option<FieldId>,
}

/// How many member positions [`Names::resolve_slot`] remembers.
const MAX_SLOTS: usize = 256;

/// The field table, the projection and the well-known ids: what record parsers name fields with.
pub(crate) struct Names {
    pub(crate) table: FieldTable,
    projection: Projection,
    pub(crate) known: Known,
    /// Per member position, the last name seen there and its resolution.
    slots: Vec<Option<(Box<str>, Option<FieldId>)>>,
}

impl Names {
    pub(crate) fn new(mut table: FieldTable, projection: Projection) -> Self {
        let mut id = |name: &str| projection.resolve(&mut table, name);
        let known = Known {
            event_code: id("EventCode"),
            event_id: id("EventID"),
            channel: id("Channel"),
            computer: id("Computer"),
            source_name: id("SourceName"),
            provider_guid: id("ProviderGuid"),
            system_time: id("SystemTime"),
            execution_process_id: id("ProcessID"),
            execution_thread_id: id("ThreadID"),
            user_id: id("UserID"),
            activity_id: id("ActivityID"),
            related_activity_id: id("RelatedActivityID"),
            event_record_id: id("EventRecordID"),
            data: id("Data"),
            message: id("Message"),
            otrf_host: id("otrf_host"),
        };
        Names {
            table,
            projection,
            known,
            slots: Vec::new(),
        }
    }

    /// The id of field `name` if the projection keeps it. A value under an empty name (`{"": 1}`,
    /// an empty Zeek column name) makes no field: no search can name it.
    pub(crate) fn resolve(&mut self, name: &str) -> Option<FieldId> {
        if name.is_empty() {
            return None;
        }
        self.projection.resolve(&mut self.table, name)
    }

    /// [`Names::resolve`] for the member at position `slot` of a record, remembering the answer
    /// per position: the records of a file mostly repeat their keys in the same order, so a
    /// string compare replaces the hash lookup (which was a tenth of the time on OTRF JSON).
    pub(crate) fn resolve_slot(&mut self, slot: usize, name: &str) -> Option<FieldId> {
        if let Some(Some((cached, id))) = self.slots.get(slot)
            && **cached == *name
        {
            return *id;
        }
        let id = self.resolve(name);
        if slot < MAX_SLOTS {
            if self.slots.len() <= slot {
                self.slots.resize(slot + 1, None);
            }
            if let Some(entry) = self.slots.get_mut(slot) {
                *entry = Some((name.into(), id));
            }
        }
        id
    }
}

/// A record parser's failure: why, and what it said.
pub(crate) type Bad = (BadReason, String);

/// Reads inputs into events. One per thread: it owns its field table (clone one table per
/// thread from a shared start, so the ids interned before reading agree), its scratch and its
/// summary.
pub struct Reader {
    config: ReadConfig,
    names: Names,
    scratch: EventScratch,
    summary: ReadSummary,
    /// The record's text with invalid UTF-8 replaced.
    lossy: String,
    /// Decoded text a parser needs to borrow from (a Splunk export's `_raw`).
    side: String,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("config", &self.config)
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl Reader {
    /// A reader naming fields in `fields` (which should already hold every name the projection
    /// or a later stage reads).
    #[must_use]
    pub fn new(config: ReadConfig, fields: FieldTable) -> Self {
        let names = Names::new(fields, config.projection.clone());
        Reader {
            config,
            names,
            scratch: EventScratch::default(),
            summary: ReadSummary::default(),
            lossy: String::new(),
            side: String::new(),
        }
    }

    /// The field table.
    #[must_use]
    pub fn fields(&self) -> &FieldTable {
        &self.names.table
    }

    /// What was read so far.
    #[must_use]
    pub fn summary(&self) -> &ReadSummary {
        &self.summary
    }

    /// The field table and the summary.
    #[must_use]
    pub fn into_parts(self) -> (FieldTable, ReadSummary) {
        (self.names.table, self.summary)
    }

    /// Reads every file under `paths` (see [`input_files`]) in order.
    ///
    /// # Errors
    /// [`ReadError::Open`] for the first input that cannot be opened; what came before was read.
    pub fn read_paths<P: AsRef<Path>>(
        &mut self,
        paths: &[P],
        sink: &mut dyn EventSink,
    ) -> Result<(), ReadError> {
        for file in input_files(paths)? {
            self.read_file(&file, sink)?;
        }
        Ok(())
    }

    /// Reads one file.
    ///
    /// # Errors
    /// [`ReadError::Open`] when the file cannot be opened; problems inside it are bad records.
    pub fn read_file(&mut self, path: &Path, sink: &mut dyn EventSink) -> Result<(), ReadError> {
        let mut file = File::open(path).map_err(open_error(path))?;
        self.summary.files += 1;
        let shared = summary::shared_path(path);
        let mut magic = [0u8; 8];
        let got = file.read(&mut magic).unwrap_or(0);
        let rewound = file.rewind();
        if got == magic.len()
            && &magic == EVTX_MAGIC
            && self.forced_or(InputFormat::Evtx) == InputFormat::Evtx
        {
            if let Err(error) = rewound {
                self.io_bad(&shared, &error);
                return Ok(());
            }
            self.summary.bytes += file.metadata().map_or(0, |meta| meta.len());
            let mut records = RecordSink::new(self, &shared, sink);
            evtx::read(io::BufReader::new(file), &mut records);
        } else {
            match rewound.and_then(|()| Stream::new(Box::new(file))) {
                Ok(stream) => self.read_stream(stream, &shared, sink),
                Err(error) => self.io_bad(&shared, &error),
            }
        }
        self.summary.flush_sources();
        Ok(())
    }

    /// Reads an input held in memory, as if it were a file at `path` (tests, fuzzing).
    pub fn read_bytes(&mut self, path: &Path, bytes: &[u8], sink: &mut dyn EventSink) {
        self.summary.files += 1;
        let shared = summary::shared_path(path);
        if bytes.starts_with(EVTX_MAGIC) && self.forced_or(InputFormat::Evtx) == InputFormat::Evtx {
            self.summary.bytes += bytes.len() as u64;
            let mut records = RecordSink::new(self, &shared, sink);
            evtx::read(io::Cursor::new(bytes), &mut records);
        } else {
            match Stream::new(Box::new(bytes)) {
                Ok(stream) => self.read_stream(stream, &shared, sink),
                Err(error) => self.io_bad(&shared, &error),
            }
        }
        self.summary.flush_sources();
    }

    fn forced_or(&self, detected: InputFormat) -> InputFormat {
        self.config.format.unwrap_or(detected)
    }

    fn io_bad(&mut self, path: &Arc<Path>, error: &io::Error) {
        self.summary.count_bad(BadRecord {
            reason: BadReason::ReadFailed,
            path: Arc::clone(path),
            offset: 0,
            line: None,
            detail: error.to_string(),
        });
    }

    fn read_stream(&mut self, mut stream: Stream<'_>, path: &Arc<Path>, sink: &mut dyn EventSink) {
        stream.fill_to(4096);
        let detected = detect(stream.window());
        let format = match (self.config.format, detected) {
            (Some(forced), _) => Ok(forced),
            (None, Ok(format)) => Ok(format),
            (None, Err(reason)) => Err(reason),
        };
        let mut records = RecordSink::new(self, path, sink);
        match format {
            Ok(InputFormat::Xml | InputFormat::JsonLines | InputFormat::ZeekTsv) => {
                records.records(&mut stream, format.unwrap_or(InputFormat::JsonLines), &[]);
            }
            Ok(InputFormat::JsonArray) => json::read_array(&mut stream, &mut records),
            Ok(InputFormat::Evtx) => {
                // EVTX inside gzip: the parser needs to seek, so it gets the bytes in memory.
                let limit = records.limit().saturating_mul(64);
                match stream.read_all(limit) {
                    Some(bytes) => evtx::read(io::Cursor::new(bytes), &mut records),
                    None => records.bad(
                        BadReason::TooLarge,
                        0,
                        None,
                        format!("a compressed EVTX file is read in memory, and this one is over {limit} bytes"),
                    ),
                }
            }
            Err(reason) => {
                let detail = match reason {
                    BadReason::Binary => {
                        "binary content (a NUL byte in the first 4 KiB), not XML, JSON, Zeek TSV or EVTX"
                    }
                    _ => "the content is not XML, JSON, Zeek TSV or EVTX",
                };
                records.bad(reason, 0, None, detail.into());
            }
        }
        records.stream_error(&mut stream);
        let read = stream.offset() + stream.window().len() as u64;
        self.summary.bytes += read;
    }
}

/// Reads `bytes` as one input (in `format`, or detected) and checks what every read must hold:
/// each event reaches the sink exactly once and is counted, has a `sourcetype` and a `source`,
/// and its fields can be named and copied out of the buffer. The fuzz targets and the replay of
/// their findings (`tests/events_read.rs`) share it.
///
/// # Errors
/// A description of the first broken invariant.
pub fn check_read(format: Option<InputFormat>, bytes: &[u8]) -> Result<ReadSummary, String> {
    let config = ReadConfig {
        format,
        // Small, so that inputs of fuzzing size reach the limit too.
        max_record_bytes: 4096,
        ..ReadConfig::default()
    };
    let mut reader = Reader::new(config, FieldTable::new());
    let mut seen = 0u64;
    let mut broken = None;
    reader.read_bytes(
        Path::new("fuzz-input"),
        bytes,
        &mut |event: &mut Event<'_>, fields: &mut FieldTable| {
            seen += 1;
            if event.sourcetype().is_none() || event.source().is_none() {
                broken.get_or_insert_with(|| format!("event {seen} has no source or sourcetype"));
            }
            for field in event.fields() {
                if fields.name(field.field).is_empty() {
                    broken
                        .get_or_insert_with(|| format!("event {seen} has a field id with no name"));
                }
                let _ = field.values().count();
            }
            let _ = event.clone().into_owned();
        },
    );
    let (_, summary) = reader.into_parts();
    if let Some(broken) = broken {
        return Err(broken);
    }
    if summary.events() != seen {
        return Err(format!(
            "{seen} events reached the sink, {} were counted",
            summary.events()
        ));
    }
    if summary.bad.len() as u64 != summary.bad_records().min(1000) {
        return Err("bad records kept and counted disagree".into());
    }
    Ok(summary)
}

/// The format of content starting with `head` (after gzip), or why it is none.
fn detect(head: &[u8]) -> Result<InputFormat, BadReason> {
    if head.starts_with(EVTX_MAGIC) {
        return Ok(InputFormat::Evtx);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.iter().take(4096).any(|&b| b == 0) {
        return Err(BadReason::Binary);
    }
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    let text = first.and_then(|at| head.get(at..)).unwrap_or_default();
    match text.first() {
        Some(b'<') => Ok(InputFormat::Xml),
        Some(b'{') => Ok(InputFormat::JsonLines),
        Some(b'[') => Ok(InputFormat::JsonArray),
        Some(b'#') if text.starts_with(b"#separator") || text.starts_with(b"#fields") => {
            Ok(InputFormat::ZeekTsv)
        }
        // Empty or blank: no records, nothing wrong.
        None => Ok(InputFormat::JsonLines),
        Some(_) => Err(BadReason::UnknownFormat),
    }
}

/// What a format reader hands records to: it turns each record's bytes into an event (checking
/// UTF-8, calling the format's parser, filling `source`/`sourcetype` the content left unset),
/// counts it, gives it to the sink and recycles it; and it records bad records.
pub(crate) struct RecordSink<'r, 's> {
    reader: &'r mut Reader,
    path: &'r Arc<Path>,
    path_text: String,
    sink: &'s mut dyn EventSink,
    /// Lines of the file before the stream's first line: line numbers are counted from the
    /// stream's start and reported as the file's.
    lines_before: chunk::LinesBefore,
}

impl<'r, 's> RecordSink<'r, 's> {
    fn new(reader: &'r mut Reader, path: &'r Arc<Path>, sink: &'s mut dyn EventSink) -> Self {
        RecordSink {
            path_text: path.display().to_string(),
            reader,
            path,
            sink,
            lines_before: chunk::LinesBefore::Known(0),
        }
    }

    /// Reads the records of a line or XML stream (a whole file or a piece of one); `headers`
    /// are Zeek header lines that come before the stream in the file.
    fn records(&mut self, stream: &mut Stream<'_>, format: InputFormat, headers: &[u8]) {
        match format {
            InputFormat::Xml => xml::read(stream, self),
            InputFormat::ZeekTsv => zeek::read(stream, self, headers),
            InputFormat::JsonLines | InputFormat::JsonArray | InputFormat::Evtx => {
                json::read_lines(stream, self);
            }
        }
    }

    /// Reports the error that ended `stream` early, if any.
    fn stream_error(&mut self, stream: &mut Stream<'_>) {
        if let Some(error) = stream.take_error() {
            let (reason, detail) = if error.gzip {
                (
                    BadReason::BadGzip,
                    format!("gzip stream ends early or is corrupt: {}", error.error),
                )
            } else {
                (BadReason::ReadFailed, error.error.to_string())
            };
            self.bad(reason, error.offset, None, detail);
        }
    }

    /// The record size limit.
    pub(crate) fn limit(&self) -> usize {
        self.reader.config.max_record_bytes
    }

    /// The field names (for a reader that resolves names outside records, such as Zeek's
    /// `#fields` header).
    pub(crate) fn names(&mut self) -> &mut Names {
        &mut self.reader.names
    }

    /// Hands each line of `stream` to `each` (with its place), reporting lines over the size
    /// limit as bad records instead: the loop of every line-based format.
    pub(crate) fn lines(
        &mut self,
        stream: &mut Stream<'_>,
        mut each: impl FnMut(&mut Self, input::Cut, &[u8]),
    ) {
        let limit = self.limit();
        while let Some(cut) = stream.next_line(limit) {
            if cut.too_long {
                let detail = format!("a line is over the limit of {limit} bytes");
                self.bad(BadReason::TooLarge, cut.offset, Some(cut.line), detail);
                continue;
            }
            each(self, cut, stream.slice(cut.range));
        }
    }

    /// Counts a bad record.
    pub(crate) fn bad(
        &mut self,
        reason: BadReason,
        offset: u64,
        line: Option<u64>,
        detail: String,
    ) {
        let line = line.map(|line| self.lines_before.get(self.path) + line);
        self.reader.summary.count_bad(BadRecord {
            reason,
            path: Arc::clone(self.path),
            offset,
            line,
            detail,
        });
    }

    /// Turns one record into an event with `parse` and hands it on.
    pub(crate) fn record<P>(&mut self, bytes: &[u8], offset: u64, line: Option<u64>, parse: P)
    where
        P: for<'a> FnOnce(
            &'a str,
            &'a mut String,
            &mut Names,
            &mut Event<'a>,
        ) -> Result<EventFormat, Bad>,
    {
        let valid = std::str::from_utf8(bytes);
        if let Err(error) = &valid {
            let at = offset + error.valid_up_to() as u64;
            self.bad(
                BadReason::InvalidUtf8,
                at,
                line,
                format!("bytes that are not UTF-8 at byte {at}; the record is read with U+FFFD in their place"),
            );
            let lossy = &mut self.reader.lossy;
            lossy.clear();
            lossy.push_str(&String::from_utf8_lossy(bytes));
        }
        let Reader {
            config,
            names,
            scratch,
            summary,
            lossy,
            side,
        } = &mut *self.reader;
        let text = valid.unwrap_or(lossy.as_str());
        let mut event = scratch.event(text);
        side.clear();
        let failed = match parse(text, side, names, &mut event) {
            Ok(format) => {
                if event.source().is_none() {
                    event.set_source(config.source.as_deref().unwrap_or(&self.path_text));
                }
                if event.sourcetype().is_none() {
                    match &config.sourcetype {
                        Some(sourcetype) => event.set_sourcetype(sourcetype.as_str()),
                        None => event.set_sourcetype(format.fallback_sourcetype()),
                    }
                }
                summary.count_event(format, event.source());
                self.sink.event(&mut event, &mut names.table);
                None
            }
            Err(bad) => Some(bad),
        };
        scratch.recycle(event);
        if let Some((reason, detail)) = failed {
            self.bad(reason, offset, line, detail);
        }
    }
}

/// `name=v1|v2` for each field of `event`, in order: how the reader tests show an event.
#[cfg(test)]
pub(crate) fn dump(names: &Names, event: &Event<'_>) -> Vec<String> {
    event
        .fields()
        .map(|f| {
            format!(
                "{}={}",
                names.table.name(f.field),
                f.values().collect::<Vec<_>>().join("|")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_from_content() {
        assert_eq!(detect(b"  <Event xmlns='x'>"), Ok(InputFormat::Xml));
        assert_eq!(
            detect(b"\xEF\xBB\xBF{\"a\":1}\n"),
            Ok(InputFormat::JsonLines)
        );
        assert_eq!(detect(b"\n[{\"a\":1}]"), Ok(InputFormat::JsonArray));
        assert_eq!(detect(b"#separator \\x09\n"), Ok(InputFormat::ZeekTsv));
        assert_eq!(detect(b"ElfFile\0rest"), Ok(InputFormat::Evtx));
        assert_eq!(detect(b"\x7fELF\0\0"), Err(BadReason::Binary));
        assert_eq!(detect(b"hello world"), Err(BadReason::UnknownFormat));
    }

    fn read(config: ReadConfig, bytes: &[u8]) -> ReadSummary {
        let mut reader = Reader::new(config, FieldTable::new());
        reader.read_bytes(
            Path::new("input"),
            bytes,
            &mut |_: &mut Event<'_>, _: &mut FieldTable| {},
        );
        reader.into_parts().1
    }

    fn reasons(summary: &ReadSummary) -> Vec<(BadReason, u64, Option<u64>)> {
        summary
            .bad
            .iter()
            .map(|b| (b.reason, b.offset, b.line))
            .collect()
    }

    #[test]
    fn bad_input_is_counted_with_its_place_and_reading_goes_on() {
        let lines = b"{\"a\":1}\n{\"a\":\n{\"b\":\"\xff\"}\n{\"c\":2}\n";
        let summary = read(ReadConfig::default(), lines);
        assert_eq!(
            summary.events(),
            3,
            "the line with invalid UTF-8 is read with U+FFFD"
        );
        assert_eq!(
            reasons(&summary),
            [
                (BadReason::InvalidJson, 8, Some(2)),
                (BadReason::InvalidUtf8, 20, Some(3))
            ]
        );
        let config = ReadConfig {
            max_record_bytes: 10,
            ..ReadConfig::default()
        };
        let summary = read(config, b"{\"a\":\"0123456789\"}\n{\"b\":1}\n");
        assert_eq!(summary.events(), 1);
        assert_eq!(reasons(&summary), [(BadReason::TooLarge, 0, Some(1))]);
        let summary = read(ReadConfig::default(), b"\x7fELF\x02\x01\x01\0\0\0");
        assert_eq!(reasons(&summary), [(BadReason::Binary, 0, None)]);
        let summary = read(
            ReadConfig::default(),
            b"Dec  1 12:00:00 host sshd[1]: hello",
        );
        assert_eq!(reasons(&summary), [(BadReason::UnknownFormat, 0, None)]);
    }

    #[test]
    fn a_truncated_gzip_stream_keeps_its_events_and_is_reported() {
        use std::io::Write;
        let text: String = (0..5000)
            .map(|i| format!("{{\"EventID\":{i},\"Channel\":\"Security\"}}\n"))
            .collect();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        let gzip = encoder.finish().unwrap();
        let summary = read(ReadConfig::default(), &gzip[..gzip.len() * 2 / 3]);
        assert!(summary.events() > 1000, "{}", summary.events());
        assert!(summary.events() < 5000);
        let bad: Vec<_> = summary.bad.iter().map(|b| b.reason).collect();
        assert!(bad.contains(&BadReason::BadGzip), "{bad:?}");
        assert_eq!(summary.events_of(EventFormat::OtrfJson), summary.events());
    }

    #[test]
    fn configured_source_and_sourcetype_fill_only_what_content_leaves_unset() {
        let config = ReadConfig {
            source: Some("o365".into()),
            sourcetype: Some("o365:management:activity".into()),
            ..ReadConfig::default()
        };
        let mut reader = Reader::new(config, FieldTable::new());
        let mut seen = Vec::new();
        let input = b"{\"Operation\":\"FileAccessed\"}\n{\"EventID\":1,\"Channel\":\"Security\"}\n";
        reader.read_bytes(
            Path::new("in.json"),
            input,
            &mut |e: &mut Event<'_>, _: &mut FieldTable| {
                seen.push((
                    e.source().map(str::to_owned),
                    e.sourcetype().map(str::to_owned),
                ));
            },
        );
        assert_eq!(
            seen,
            [
                (Some("o365".into()), Some("o365:management:activity".into())),
                (
                    Some("XmlWinEventLog:Security".into()),
                    Some("XmlWinEventLog".into())
                ),
            ]
        );
        let mut reader = Reader::new(ReadConfig::default(), FieldTable::new());
        let mut seen = Vec::new();
        reader.read_bytes(
            Path::new("logs/in.json"),
            b"[{\"a\":1}]",
            &mut |e: &mut Event<'_>, _: &mut FieldTable| {
                seen.push((
                    e.source().map(str::to_owned),
                    e.sourcetype().map(str::to_owned),
                ));
            },
        );
        assert_eq!(seen, [(Some("logs/in.json".into()), Some("_json".into()))]);
    }

    #[test]
    fn folders_are_walked_in_sorted_order() {
        let dir = std::env::temp_dir().join(format!("detc-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["b/z", "a"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        for file in ["c.json", "b/z/1.json", "b/2.json", "a/3.json"] {
            std::fs::write(dir.join(file), "{}\n").unwrap();
        }
        let files = input_files(&[&dir]).unwrap();
        let relative: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(relative, ["c.json", "a/3.json", "b/2.json", "b/z/1.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_walk_leaves_side_files_out_but_a_named_one_is_read() {
        let dir = std::env::temp_dir().join(format!("detc-walk-side-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("net")).unwrap();
        for file in [
            "README.md",
            "expected.yml",
            "content.YAML",
            "assets.csv",
            "a.json.gz",
            "net/conn.log",
            "net/notes.Md",
        ] {
            std::fs::write(dir.join(file), "x\n").unwrap();
        }
        let files = input_files(&[&dir]).unwrap();
        let relative: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(relative, ["a.json.gz", "net/conn.log"]);
        let named = input_files(&[dir.join("assets.csv")]).unwrap();
        assert_eq!(named, [dir.join("assets.csv")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_input_is_an_error_with_the_os_reason() {
        let mut reader = Reader::new(ReadConfig::default(), FieldTable::new());
        let error = reader
            .read_file(
                Path::new("/nonexistent/detc/input.json"),
                &mut |_: &mut Event<'_>, _: &mut FieldTable| {},
            )
            .unwrap_err();
        let ReadError::Open { path, source } = &error;
        assert_eq!(path, Path::new("/nonexistent/detc/input.json"));
        assert_eq!(source.kind(), io::ErrorKind::NotFound);
        assert!(error.to_string().contains("No such file"), "{error}");
    }
}
