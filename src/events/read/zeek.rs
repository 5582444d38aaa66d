//! Zeek TSV logs: `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`,
//! `#fields` and `#types` headers, then one record per line.
//!
//! Each column becomes a field under its `#fields` name (dots kept: `id.orig_h`). The unset
//! marker (`-`) and the empty marker (`(empty)`) make no value; a `set[…]` or `vector[…]` column
//! is split on the set separator into a multivalue. `_time` comes from the `ts` column,
//! `sourcetype` is `zeek_<path>` (`zeek_conn`), `source` the file (or the configured source).
//! Headers may repeat (concatenated logs); each `#fields` line starts a new layout.

use std::borrow::Cow;

use super::input::Stream;
use super::summary::{BadReason, EventFormat};
use super::{Names, RecordSink};
use crate::events::{Event, FieldId, Timestamp};

/// One column of the current layout.
struct Column {
    /// `None` when the projection does not keep it.
    field: Option<FieldId>,
    /// A set or vector: split into a multivalue.
    container: bool,
    /// The `ts` column.
    time: bool,
}

/// The header state.
struct Layout {
    separator: String,
    set_separator: String,
    empty: String,
    unset: String,
    sourcetype: String,
    columns: Vec<Column>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            separator: "\t".into(),
            set_separator: ",".into(),
            empty: "(empty)".into(),
            unset: "-".into(),
            sourcetype: "zeek".into(),
            columns: Vec::new(),
        }
    }
}

/// Decodes Zeek's `\xHH` escapes in header values (`#separator \x09`).
fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'\\'
            && bytes.get(at + 1) == Some(&b'x')
            && let Some(byte) = text
                .get(at + 2..at + 4)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            at += 4;
            continue;
        }
        out.push(b);
        at += 1;
    }
    out
}

impl Layout {
    /// Applies one `#` header line.
    fn header(&mut self, line: &str, names: &mut Names) {
        if let Some(value) = line.strip_prefix("#separator") {
            let sep = unescape(value.trim_start_matches([' ', '\t']));
            if !sep.is_empty() {
                self.separator = String::from_utf8_lossy(&sep).into_owned();
            }
            return;
        }
        let (key, rest) = line
            .split_once(self.separator.as_str())
            .unwrap_or((line, ""));
        match key {
            "#set_separator" => self.set_separator = rest.to_owned(),
            "#empty_field" => self.empty = rest.to_owned(),
            "#unset_field" => self.unset = rest.to_owned(),
            "#path" => self.sourcetype = format!("zeek_{rest}"),
            "#fields" => {
                self.columns = rest
                    .split(self.separator.as_str())
                    .map(|name| Column {
                        field: names.resolve(name),
                        container: false,
                        time: name == "ts",
                    })
                    .collect();
            }
            "#types" => {
                let types: Vec<bool> = rest
                    .split(self.separator.as_str())
                    .map(|t| t.starts_with("set[") || t.starts_with("vector["))
                    .collect();
                for (column, container) in self.columns.iter_mut().zip(types) {
                    column.container = container;
                }
            }
            _ => {}
        }
    }
}

/// Reads a Zeek TSV log. `headers` are the `#` lines that come before the stream in the file
/// (one per line; empty for a whole file): a piece of a file starts with the layout they set.
pub(crate) fn read(stream: &mut Stream<'_>, sink: &mut RecordSink<'_, '_>, headers: &[u8]) {
    let mut layout = Layout::default();
    for line in headers.split(|&b| b == b'\n') {
        if line.first() == Some(&b'#') {
            layout.header(&String::from_utf8_lossy(line), sink.names());
        }
    }
    sink.lines(stream, |sink, cut, bytes| {
        if bytes.first() == Some(&b'#') {
            layout.header(&String::from_utf8_lossy(bytes), sink.names());
        } else if !bytes.is_empty() {
            let layout = &layout;
            sink.record(
                bytes,
                cut.offset,
                Some(cut.line),
                |text, _side, _names, event| parse_line(text, layout, event),
            );
        }
    });
}

/// One data line under `layout`.
fn parse_line<'a>(
    text: &'a str,
    layout: &Layout,
    event: &mut Event<'a>,
) -> Result<EventFormat, (BadReason, String)> {
    if layout.columns.is_empty() {
        return Err((
            BadReason::BadZeekLine,
            "a data line before any `#fields` header".into(),
        ));
    }
    let separator = layout.separator.as_str();
    let count = text.split(separator).count();
    if count != layout.columns.len() {
        return Err((
            BadReason::BadZeekLine,
            format!(
                "{count} columns where `#fields` names {}",
                layout.columns.len()
            ),
        ));
    }
    for (value, column) in text.split(separator).zip(&layout.columns) {
        if value == layout.unset || value == layout.empty {
            continue;
        }
        if column.time {
            event.set_time(Timestamp::parse(value));
        }
        let Some(field) = column.field else {
            continue;
        };
        if column.container {
            for item in value.split(layout.set_separator.as_str()) {
                event.push_raw(field, item);
            }
        } else {
            event.push_raw(field, value);
        }
    }
    event.set_sourcetype(Cow::Owned(layout.sourcetype.clone()));
    Ok(EventFormat::ZeekTsv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{FieldTable, Projection};

    const LOG: &str = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tservice\ttunnel_parents\n#types\ttime\tstring\taddr\tstring\tset[string]\n";

    fn layout(names: &mut Names) -> Layout {
        let mut layout = Layout::default();
        for line in LOG.lines() {
            layout.header(line, names);
        }
        layout
    }

    #[test]
    fn columns_unset_empty_and_sets() {
        let mut names = Names::new(FieldTable::new(), Projection::all());
        let layout = layout(&mut names);
        let line = "1521911721.255387\tC8\t10.0.0.1\t-\ta,b";
        let mut event = Event::new(line);
        assert_eq!(
            parse_line(line, &layout, &mut event),
            Ok(EventFormat::ZeekTsv)
        );
        let fields: Vec<_> = crate::events::read::dump(&names, &event);
        assert_eq!(
            fields,
            [
                "ts=1521911721.255387",
                "uid=C8",
                "id.orig_h=10.0.0.1",
                "tunnel_parents=a|b"
            ]
        );
        assert_eq!(event.sourcetype(), Some("zeek_conn"));
        assert_eq!(event.time().unwrap().nanos(), 1_521_911_721_255_387_000);
        let line = "1\tC8\t(empty)\t-\t(empty)";
        let mut event = Event::new(line);
        parse_line(line, &layout, &mut event).unwrap();
        assert_eq!(event.entries().len(), 2);
    }

    #[test]
    fn wrong_column_count_and_no_header_are_bad_lines() {
        let mut names = Names::new(FieldTable::new(), Projection::all());
        let layout = layout(&mut names);
        let mut event = Event::new("");
        assert_eq!(
            parse_line("1\t2", &layout, &mut event).unwrap_err().0,
            BadReason::BadZeekLine
        );
        assert_eq!(
            parse_line("1", &Layout::default(), &mut event)
                .unwrap_err()
                .0,
            BadReason::BadZeekLine
        );
    }
}
