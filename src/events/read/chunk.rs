//! Pieces of large files, read on several threads: [`plan_pieces`] cuts an uncompressed JSON
//! lines, XmlWinEventLog or Zeek TSV file into byte ranges, and [`Reader::read_piece`] reads the
//! records that *start* in one range (the last one may end past it). Read one after the other,
//! the pieces of a file give the same events, bad records, byte offsets and line numbers as
//! the whole file: a piece starts at its first record boundary (the byte after a newline, or an
//! `<Event`), a Zeek piece starts with the `#` header lines that come before it, and a line
//! number is the file's (the lines before the piece are counted when a bad record needs one).
//!
//! gzip input stays whole: a deflate stream cannot be entered in the middle. EVTX files and
//! JSON arrays stay whole too (an EVTX file is read by the `evtx` crate; an array's elements
//! have no boundary a byte scan can find without parsing from the start).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::input::{Stream, read_full};
use super::{EVTX_MAGIC, EventSink, InputFormat, ReadConfig, ReadError, Reader, RecordSink};
use super::{detect, open_error, summary};

/// The first bytes of a gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much larger a gzip file's content is than the file, to weigh it against uncompressed
/// pieces (the OTRF recordings of `../shared/events` are 23x; Windows logs compress well).
const GZIP_WEIGHT: u64 = 20;

/// How much a planning scan reads at a time.
const SCAN_BLOCK: usize = 1 << 20;

/// One unit of reading: a whole file, or a byte range of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The file.
    pub path: PathBuf,
    /// About how many bytes of content it holds, to share pieces fairly among threads.
    pub weight: u64,
    /// The range, or `None` for the whole file.
    range: Option<PieceRange>,
}

/// A byte range of an uncompressed file whose format is known.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PieceRange {
    /// The first byte (a record starting before it is the previous piece's).
    start: u64,
    /// The end: records starting at or after it are the next piece's.
    stop: u64,
    format: InputFormat,
    /// Whether `stop` is the end of the file.
    last: bool,
    /// Zeek: the `#` lines before `start`, one per line, to replay first.
    headers: Arc<[u8]>,
}

impl Piece {
    /// A whole file.
    #[must_use]
    pub fn whole(path: PathBuf, weight: u64) -> Piece {
        Piece {
            path,
            weight,
            range: None,
        }
    }

    /// Whether this piece is a whole file or its last range (a file is done when it is read).
    #[must_use]
    pub fn ends_file(&self) -> bool {
        self.range.as_ref().is_none_or(|range| range.last)
    }

    /// The byte range `(start, stop)`, or `None` for the whole file.
    #[must_use]
    pub fn range(&self) -> Option<(u64, u64)> {
        self.range.as_ref().map(|range| (range.start, range.stop))
    }
}

/// Cuts `files` into pieces of at most about `max_bytes` (files in order, each file's pieces in
/// order). Only uncompressed JSON lines, XML and Zeek TSV files larger than `max_bytes` are
/// cut; a file that cannot be opened stays one piece (reading it reports why).
#[must_use]
pub fn plan_pieces(files: &[PathBuf], config: &ReadConfig, max_bytes: u64) -> Vec<Piece> {
    let max_bytes = max_bytes.max(1);
    let mut pieces = Vec::with_capacity(files.len());
    for path in files {
        match cut_file(path, config, max_bytes) {
            Ok(Cut::Whole(weight)) | Err(weight) => {
                pieces.push(Piece::whole(path.clone(), weight));
            }
            Ok(Cut::Ranges(ranges)) => {
                pieces.extend(ranges.into_iter().map(|range| Piece {
                    path: path.clone(),
                    weight: range.stop - range.start,
                    range: Some(range),
                }));
            }
        }
    }
    pieces
}

enum Cut {
    /// One piece of this weight.
    Whole(u64),
    Ranges(Vec<PieceRange>),
}

/// How `path` is cut; `Err(weight)` when it cannot be looked at (it is read whole).
fn cut_file(path: &Path, config: &ReadConfig, max_bytes: u64) -> Result<Cut, u64> {
    let mut file = File::open(path).map_err(|_| 0u64)?;
    let size = file.metadata().map_or(0, |meta| meta.len());
    let mut head = vec![0u8; 4096];
    let got = read_full(&mut file, &mut head).map_err(|_| size)?;
    head.truncate(got);
    if head.starts_with(&GZIP_MAGIC) {
        return Ok(Cut::Whole(size.saturating_mul(GZIP_WEIGHT)));
    }
    if size <= max_bytes || head.starts_with(EVTX_MAGIC) {
        return Ok(Cut::Whole(size));
    }
    let format = match (config.format, detect(&head)) {
        (Some(forced), _) => forced,
        (None, Ok(format)) => format,
        (None, Err(_)) => return Ok(Cut::Whole(size)),
    };
    let headers = match format {
        InputFormat::JsonLines | InputFormat::Xml => Vec::new(),
        InputFormat::ZeekTsv => zeek_headers(&mut file).map_err(|_| size)?,
        InputFormat::JsonArray | InputFormat::Evtx => return Ok(Cut::Whole(size)),
    };
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < size {
        let stop = start.saturating_add(max_bytes).min(size);
        let before: Vec<u8> = headers
            .iter()
            .filter(|(offset, _)| *offset < start)
            .flat_map(|(_, line)| line.iter().copied().chain([b'\n']))
            .collect();
        ranges.push(PieceRange {
            start,
            stop,
            format,
            last: stop == size,
            headers: before.into(),
        });
        start = stop;
    }
    Ok(Cut::Ranges(ranges))
}

/// Every `#` line of a Zeek file with its offset (without its `\n` or a `\r` before it), read
/// in one scan: a piece's layout is what these lines set before it.
fn zeek_headers(file: &mut File) -> io::Result<Vec<(u64, Vec<u8>)>> {
    file.seek(SeekFrom::Start(0))?;
    let mut headers = Vec::new();
    let mut block = vec![0u8; SCAN_BLOCK];
    // The current line, while it is a header line that straddles blocks.
    let mut partial: Option<(u64, Vec<u8>)> = None;
    let mut at_line_start = true;
    let mut base = 0u64;
    loop {
        let got = read_full(file, &mut block)?;
        let Some(bytes) = block.get(..got).filter(|bytes| !bytes.is_empty()) else {
            break;
        };
        let mut from = 0;
        while from < bytes.len() {
            let rest = bytes.get(from..).unwrap_or_default();
            let end = memchr::memchr(b'\n', rest).map(|at| from + at);
            let line = bytes
                .get(from..end.unwrap_or(bytes.len()))
                .unwrap_or_default();
            if at_line_start && line.first() == Some(&b'#') {
                partial = Some((base + from as u64, Vec::new()));
            }
            if let Some((_, text)) = &mut partial {
                text.extend_from_slice(line);
            }
            match end {
                Some(end) => {
                    if let Some((offset, mut text)) = partial.take() {
                        if text.last() == Some(&b'\r') {
                            text.pop();
                        }
                        headers.push((offset, text));
                    }
                    at_line_start = true;
                    from = end + 1;
                }
                None => {
                    at_line_start = false;
                    from = bytes.len();
                }
            }
        }
        base += got as u64;
    }
    if let Some(header) = partial {
        headers.push(header);
    }
    Ok(headers)
}

/// The lines of a file before a piece's first line.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LinesBefore {
    Known(u64),
    /// Not counted yet: the newlines before this offset (counted only when a bad record needs
    /// its line, which is rare, so that reading a piece never reads the file before it).
    Before(u64),
}

impl LinesBefore {
    /// The count, counting the newlines of `path` once if needed (0 if it cannot be read).
    pub(crate) fn get(&mut self, path: &Path) -> u64 {
        match *self {
            LinesBefore::Known(lines) => lines,
            LinesBefore::Before(offset) => {
                let lines = count_newlines(path, offset).unwrap_or(0);
                *self = LinesBefore::Known(lines);
                lines
            }
        }
    }
}

fn count_newlines(path: &Path, before: u64) -> io::Result<u64> {
    let mut file = File::open(path)?.take(before);
    let mut block = vec![0u8; SCAN_BLOCK];
    let mut lines = 0u64;
    loop {
        let got = read_full(&mut file, &mut block)?;
        if got == 0 {
            return Ok(lines);
        }
        let bytes = block.get(..got).unwrap_or_default();
        lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
    }
}

impl Reader {
    /// Reads one piece of [`plan_pieces`]: a whole file as [`Reader::read_file`] does, or the
    /// records that start in a range. A file is counted in [`super::ReadSummary::files`] by its
    /// first piece, and each piece adds its range to the bytes read.
    ///
    /// # Errors
    /// [`ReadError::Open`] when the file cannot be opened.
    pub fn read_piece(&mut self, piece: &Piece, sink: &mut dyn EventSink) -> Result<(), ReadError> {
        let Some(range) = &piece.range else {
            return self.read_file(&piece.path, sink);
        };
        let mut file = File::open(&piece.path).map_err(open_error(&piece.path))?;
        if range.start == 0 {
            self.summary.files += 1;
        }
        let shared = summary::shared_path(&piece.path);
        let lines = range.format != InputFormat::Xml;
        // A line starts at `start` only if the byte before it ends a line: begin one byte early
        // and skip through the first newline.
        let begin = if lines {
            range.start.saturating_sub(1)
        } else {
            range.start
        };
        if let Err(error) = file.seek(SeekFrom::Start(begin)) {
            self.io_bad(&shared, &error);
            return Ok(());
        }
        let mut stream = Stream::piece(Box::new(file), begin, range.stop);
        if lines && range.start > 0 {
            stream.discard_through(b"\n");
        }
        let mut records = RecordSink::new(self, &shared, sink);
        if range.start > 0 {
            records.lines_before = LinesBefore::Before(stream.offset());
        }
        records.records(&mut stream, range.format, &range.headers);
        records.stream_error(&mut stream);
        self.summary.bytes += range.stop - range.start;
        self.summary.flush_sources();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, FieldTable};

    /// Every event (as `name=values` lines) and the summary of reading `pieces` in order.
    fn read_all(pieces: &[Piece]) -> (Vec<Vec<String>>, super::super::ReadSummary) {
        let mut reader = Reader::new(ReadConfig::default(), FieldTable::new());
        let mut events = Vec::new();
        for piece in pieces {
            reader
                .read_piece(
                    piece,
                    &mut |event: &mut Event<'_>, fields: &mut FieldTable| {
                        let mut shown: Vec<String> = event
                            .fields()
                            .map(|f| {
                                let values: Vec<&str> = f.values().collect();
                                format!("{}={}", fields.name(f.field), values.join("|"))
                            })
                            .collect();
                        shown.push(format!("_raw={}", event.raw()));
                        shown.push(format!("source={:?}", event.source()));
                        shown.push(format!("sourcetype={:?}", event.sourcetype()));
                        events.push(shown);
                    },
                )
                .unwrap();
        }
        let (_, mut summary) = reader.into_parts();
        summary.flush_sources();
        (events, summary)
    }

    /// Reading `text` whole and in pieces of every size from 1 to 64 bytes and a few larger
    /// ones gives the same events, bad records (offsets and lines) and totals.
    fn same_in_pieces(name: &str, text: &[u8], cut: bool) {
        let dir = std::env::temp_dir().join(format!("detc-chunk-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let files = [path.clone()];
        let whole = plan_pieces(&files, &ReadConfig::default(), u64::MAX);
        assert_eq!(whole.len(), 1);
        let expected = read_all(&whole);
        assert!(!expected.0.is_empty(), "{name}: no events");
        for size in (1..=64).chain([100, 333, 1000, 4096]) {
            let pieces = plan_pieces(&files, &ReadConfig::default(), size);
            if cut && (size as usize) < text.len() {
                assert!(pieces.len() > 1, "{name} is not cut at {size}");
            }
            let got = read_all(&pieces);
            assert_eq!(got.0, expected.0, "{name}: events with pieces of {size}");
            assert_eq!(got.1, expected.1, "{name}: summary with pieces of {size}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_lines_in_pieces_read_as_whole() {
        let text = b"{\"EventID\":1,\"Channel\":\"Security\",\"a\":\"x\"}\r\n\n\
            {\"EventID\":2,\n\
            {\"EventID\":3,\"b\":\"\xff\"}\n   \n\
            {\"EventID\":4,\"Image\":\"C:\\\\Windows\\\\a.exe\"}\n\
            {\"EventID\":5}";
        same_in_pieces("lines.json", text, true);
        let missing = [std::env::temp_dir().join("detc-chunk-none")];
        let pieces = plan_pieces(&missing, &ReadConfig::default(), 1);
        assert_eq!(
            pieces,
            [Piece::whole(missing[0].clone(), 0)],
            "read whole, to report it"
        );
    }

    #[test]
    fn xml_in_pieces_reads_as_whole() {
        let event = |id: u32| {
            format!(
                "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n  <System><EventID>{id}</EventID><Channel>Security</Channel></System>\n  <EventData><Data Name='A'>v{id}</Data></EventData>\n</Event>\n"
            )
        };
        let mut text = String::from("<?xml version='1.0'?>\n<Events>\n");
        text.push_str(&event(1));
        text.push_str("<Event xmlns='x'><System><EventID>2</EventID>\n");
        text.push_str(&event(3));
        text.push_str("<EventData>not an event</EventData>\n<Event/>\n");
        text.push_str(&event(4));
        text.push_str("</Events>\n");
        same_in_pieces("events.xml", text.as_bytes(), true);
    }

    #[test]
    fn zeek_in_pieces_reads_as_whole_across_header_blocks() {
        let head = |path: &str, fields: &str| {
            format!(
                "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t{path}\n#fields\t{fields}\n#types\ttime\tstring\tset[string]\n"
            )
        };
        let mut text = head("conn", "ts\tuid\tnames");
        text.push_str("1600000000.1\tC1\ta,b\n1600000001.2\tC2\t-\nbad line\n");
        text.push_str("#close\t2020-09-13\n");
        text.push_str(&head("dns", "ts\tquery\tanswers"));
        text.push_str("1600000002.3\tex.com\t(empty)\r\n1600000003.4\tex.org\tx,y,z\n");
        same_in_pieces("conn.log", text.as_bytes(), true);
    }

    #[test]
    fn gzip_json_arrays_and_small_files_stay_whole() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("detc-chunk-whole-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&b"{\"a\":1}\n".repeat(100)).unwrap();
        let gzip = encoder.finish().unwrap();
        let files = [
            dir.join("a.json.gz"),
            dir.join("b.json"),
            dir.join("c.json"),
        ];
        std::fs::write(&files[0], &gzip).unwrap();
        std::fs::write(&files[1], b"[{\"a\":1},\n{\"a\":2},\n{\"a\":3}]").unwrap();
        std::fs::write(&files[2], b"{\"a\":1}\n").unwrap();
        let pieces = plan_pieces(&files, &ReadConfig::default(), 4);
        let ranges: Vec<_> = pieces.iter().map(Piece::range).collect();
        assert_eq!(ranges, [None, None, Some((0, 4)), Some((4, 8))]);
        assert_eq!(pieces[0].weight, gzip.len() as u64 * GZIP_WEIGHT);
        let ends: Vec<bool> = pieces.iter().map(Piece::ends_file).collect();
        assert_eq!(ends, [true, true, false, true]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
