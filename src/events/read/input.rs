//! Opening an input and cutting its bytes into records, in bounded memory.
//!
//! [`Stream`] wraps the file (through gzip when its first bytes are the gzip magic, whatever
//! its name) and keeps a window of the uncompressed bytes. The format readers ask it for the
//! next line, or for the next span between two markers; it reads more as needed, never keeps
//! more than one record (up to the size limit) plus one read chunk, and knows every record's
//! byte offset in the uncompressed stream.
//!
//! A read error in the middle of the stream (a truncated or corrupt gzip member, an I/O error)
//! ends the stream: it is kept in [`Stream::take_error`] for the caller to report as a bad
//! record, and what was read before it is still handed out.

use std::io::{self, Read};

use flate2::read::MultiGzDecoder;
use memchr::memmem;

/// The gzip magic bytes.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How much is read from the source at a time.
const CHUNK: usize = 256 * 1024;

/// What the source became when the stream ended early.
#[derive(Debug)]
pub(crate) struct StreamError {
    /// Offset in the uncompressed stream where reading stopped.
    pub(crate) offset: u64,
    /// Whether the bytes came through gzip (the error is then a bad gzip stream).
    pub(crate) gzip: bool,
    /// The error.
    pub(crate) error: io::Error,
}

/// A window over a source's uncompressed bytes.
pub(crate) struct Stream<'r> {
    source: Box<dyn Read + 'r>,
    gzip: bool,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    start: usize,
    /// Offset in the uncompressed stream of `buf[0]`.
    base: u64,
    eof: bool,
    error: Option<StreamError>,
    /// 1-based number of the line that starts at `start` (kept by the line reader).
    line: u64,
    /// Records starting at or after this offset belong to the next piece of the file
    /// ([`super::chunk`]); `u64::MAX` for a whole input.
    stop: u64,
}

/// One record cut from the stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cut {
    /// Offset of the record's first byte in the uncompressed stream.
    pub(crate) offset: u64,
    /// Its 1-based line number (line readers only; 0 otherwise).
    pub(crate) line: u64,
    /// Start and end in the stream's window (valid until the next call).
    pub(crate) range: (usize, usize),
    /// Whether the record was longer than the limit; then `range` is empty and the record was
    /// skipped.
    pub(crate) too_long: bool,
}

impl<'r> Stream<'r> {
    /// A stream over `source`, through gzip when the first bytes say so.
    pub(crate) fn new(mut source: Box<dyn Read + 'r>) -> io::Result<Self> {
        let mut magic = [0u8; 2];
        let got = read_full(&mut *source, &mut magic)?;
        let head = io::Cursor::new(magic.get(..got).unwrap_or_default().to_vec());
        let gzip = got == 2 && magic == GZIP_MAGIC;
        let chained: Box<dyn Read + 'r> = Box::new(head.chain(source));
        let source: Box<dyn Read + 'r> = if gzip {
            Box::new(MultiGzDecoder::new(io::BufReader::with_capacity(
                CHUNK, chained,
            )))
        } else {
            chained
        };
        Ok(Stream {
            source,
            gzip,
            buf: Vec::with_capacity(CHUNK),
            start: 0,
            base: 0,
            eof: false,
            error: None,
            line: 1,
            stop: u64::MAX,
        })
    }

    /// A stream over uncompressed `source`, whose first byte is at `base` in the file, ending
    /// its records before `stop` (one piece of a file, [`super::chunk`]).
    pub(crate) fn piece(source: Box<dyn Read + 'r>, base: u64, stop: u64) -> Self {
        Stream {
            source,
            gzip: false,
            buf: Vec::with_capacity(CHUNK),
            start: 0,
            base,
            eof: false,
            error: None,
            line: 1,
            stop,
        }
    }

    /// Whether the next record would start at or after the piece's end: it is the next
    /// piece's.
    pub(crate) fn past_stop(&self) -> bool {
        self.offset() >= self.stop
    }

    /// Whether the bytes come through gzip.
    #[cfg(test)]
    pub(crate) fn is_gzip(&self) -> bool {
        self.gzip
    }

    /// The unconsumed bytes read so far.
    pub(crate) fn window(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Bytes `range` of the window, as returned in a [`Cut`].
    pub(crate) fn slice(&self, range: (usize, usize)) -> &[u8] {
        self.buf.get(range.0..range.1).unwrap_or_default()
    }

    /// Offset in the uncompressed stream of the window's first byte.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    /// The error that ended the stream early, once.
    pub(crate) fn take_error(&mut self) -> Option<StreamError> {
        self.error.take()
    }

    /// Whether the source has no more bytes (the window may still hold some).
    pub(crate) fn is_eof(&self) -> bool {
        self.eof
    }

    /// Whether every byte was read and consumed.
    #[cfg(test)]
    pub(crate) fn at_end(&self) -> bool {
        self.eof && self.start >= self.buf.len()
    }

    /// Reads until the window holds at least `want` bytes or the source ends.
    pub(crate) fn fill_to(&mut self, want: usize) {
        while !self.eof && self.window().len() < want {
            self.read_more();
        }
    }

    /// Consumes `count` bytes of the window.
    pub(crate) fn consume(&mut self, count: usize) {
        self.start = self.start.saturating_add(count).min(self.buf.len());
    }

    /// Reads one more chunk (compacting first); sets `eof` at the end or on an error.
    fn read_more(&mut self) {
        if self.eof {
            return;
        }
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let result = loop {
            match self
                .source
                .read(self.buf.get_mut(old..).unwrap_or_default())
            {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        match result {
            Ok(0) => {
                self.buf.truncate(old);
                self.eof = true;
            }
            Ok(n) => self.buf.truncate(old + n),
            Err(error) => {
                self.buf.truncate(old);
                self.eof = true;
                self.error = Some(StreamError {
                    offset: self.base + old as u64,
                    gzip: self.gzip,
                    error,
                });
            }
        }
    }

    /// The next line (without its `\n`, nor a `\r` before it), or `None` at the end. A line
    /// longer than `limit` is skipped up to its end and returned with `too_long`.
    pub(crate) fn next_line(&mut self, limit: usize) -> Option<Cut> {
        if self.past_stop() {
            return None;
        }
        let mut scanned = 0;
        loop {
            let window = self.window();
            if let Some(at) = memchr::memchr(b'\n', window.get(scanned..).unwrap_or_default()) {
                let end = scanned + at;
                let cut = self.cut_line(end, limit);
                self.start += end + 1;
                self.line += 1;
                return Some(cut);
            }
            scanned = window.len();
            if scanned > limit {
                // Too long: skip to the end of the line without keeping it.
                let offset = self.offset();
                let line = self.line;
                self.discard_through(b"\n");
                self.line += 1;
                return Some(Cut {
                    offset,
                    line,
                    range: (self.start, self.start),
                    too_long: true,
                });
            }
            if self.eof {
                if window.is_empty() {
                    return None;
                }
                let cut = self.cut_line(scanned, limit);
                self.start = self.buf.len();
                self.line += 1;
                return Some(cut);
            }
            self.read_more();
        }
    }

    fn cut_line(&self, len: usize, limit: usize) -> Cut {
        let mut end = self.start + len;
        if end > self.start && self.buf.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let too_long = len > limit;
        Cut {
            offset: self.offset(),
            line: self.line,
            range: if too_long {
                (self.start, self.start)
            } else {
                (self.start, end)
            },
            too_long,
        }
    }

    /// Consumes bytes up to and including the next `marker` (or to the end), keeping at most
    /// one chunk in memory.
    pub(crate) fn discard_through(&mut self, marker: &[u8]) {
        let finder = memmem::Finder::new(marker);
        loop {
            let window = self.window();
            if let Some(at) = finder.find(window) {
                self.start += at + marker.len();
                return;
            }
            if self.eof {
                self.start = self.buf.len();
                return;
            }
            // Keep a possible partial marker at the end of the window.
            let keep = marker.len().saturating_sub(1).min(window.len());
            self.start += window.len() - keep;
            self.read_more();
        }
    }

    /// Finds `finder`'s needle in the window from `from` on, reading more while it is not there
    /// and the window is below `limit`. Returns its window-relative position, or `None` at the
    /// end of the stream or past the limit.
    pub(crate) fn find_from(
        &mut self,
        finder: &memmem::Finder<'_>,
        from: usize,
        limit: usize,
    ) -> Option<usize> {
        let mut from = from;
        loop {
            let window = self.window();
            if let Some(at) = finder.find(window.get(from..).unwrap_or_default()) {
                return Some(from + at);
            }
            if self.eof || window.len() > limit {
                return None;
            }
            // The needle may straddle the old end: rescan its length back.
            from = window.len().saturating_sub(finder.needle().len());
            self.read_more();
        }
    }

    /// Window-relative range to absolute `buf` range (for [`Cut::range`]).
    pub(crate) fn absolute(&self, start: usize, end: usize) -> (usize, usize) {
        (self.start + start, self.start + end)
    }

    /// Reads the rest of the source into memory, up to `limit` bytes (for EVTX inside gzip, which
    /// needs seeking). `None` when it is larger.
    pub(crate) fn read_all(&mut self, limit: usize) -> Option<Vec<u8>> {
        while !self.eof {
            if self.window().len() > limit {
                return None;
            }
            self.read_more();
        }
        (self.window().len() <= limit).then(|| self.window().to_vec())
    }
}

/// Reads until `buf` is full or the source ends; returns how much was read.
pub(crate) fn read_full(source: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while let Some(rest) = buf.get_mut(got..).filter(|rest| !rest.is_empty()) {
        match source.read(rest) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn stream(bytes: &[u8]) -> Stream<'_> {
        Stream::new(Box::new(bytes)).unwrap()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn lines(stream: &mut Stream<'_>, limit: usize) -> Vec<(u64, u64, String, bool)> {
        let mut out = Vec::new();
        while let Some(cut) = stream.next_line(limit) {
            let text = String::from_utf8_lossy(stream.slice(cut.range)).into_owned();
            out.push((cut.offset, cut.line, text, cut.too_long));
        }
        out
    }

    #[test]
    fn lines_with_offsets_crlf_and_no_final_newline() {
        let mut s = stream(b"ab\r\n\ncd");
        assert_eq!(
            lines(&mut s, 100),
            [
                (0, 1, "ab".into(), false),
                (4, 2, String::new(), false),
                (5, 3, "cd".into(), false)
            ]
        );
        assert!(s.at_end());
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_and_flagged() {
        let long = "x".repeat(3 * CHUNK);
        let text = format!("a\n{long}\nb\n");
        let mut s = stream(text.as_bytes());
        let got = lines(&mut s, CHUNK);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], (2, 2, String::new(), true));
        assert_eq!(got[2], (3 + long.len() as u64, 3, "b".into(), false));
    }

    #[test]
    fn multi_member_gzip_reads_whole() {
        let mut bytes = gzip(b"one\n");
        bytes.extend(gzip(b"two\n"));
        let mut s = stream(&bytes);
        assert!(s.is_gzip());
        let got: Vec<_> = lines(&mut s, 100).into_iter().map(|l| l.2).collect();
        assert_eq!(got, ["one", "two"]);
        assert!(s.take_error().is_none());
    }

    #[test]
    fn truncated_gzip_keeps_what_was_read_and_reports() {
        let text: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
        let bytes = gzip(text.as_bytes());
        let cut = &bytes[..bytes.len() / 2];
        let mut s = stream(cut);
        let got = lines(&mut s, 1 << 20);
        assert!(!got.is_empty());
        let error = s.take_error().expect("a truncated gzip stream is an error");
        assert!(error.gzip);
        assert!(error.offset > 0);
    }

    #[test]
    fn find_across_chunks() {
        let mut text = vec![b' '; CHUNK - 3];
        text.extend_from_slice(b"</Event>tail");
        let mut s = stream(&text);
        let finder = memmem::Finder::new(b"</Event>");
        assert_eq!(s.find_from(&finder, 0, usize::MAX), Some(CHUNK - 3));
        s.discard_through(b"</Event>");
        s.fill_to(4);
        assert_eq!(s.window(), b"tail");
    }
}
