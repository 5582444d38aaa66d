//! EVTX files, through the `evtx` crate (maintained, fuzzed upstream, the fastest Rust parser of
//! the format): each record is rendered to XML and read by `xml.rs`, so an EVTX file gives the
//! same events as its XmlWinEventLog export. The one difference smoothed over is
//! `SystemTime`, which the crate writes with microseconds (`…25.868864Z`) and Windows with nine
//! digits (`…25.868864000Z`): it is rewritten in the Windows form.
//!
//! The parser needs to seek, so a plain file is read from disk chunk by chunk (64 KiB), and an
//! EVTX inside gzip is read into memory first (`mod.rs`).

use std::borrow::Cow;
use std::io::{Read, Seek};

use evtx::{EvtxParser, ParserSettings};

use super::summary::{BadReason, EventFormat};
use super::{Bad, Names, RecordSink, xml};
use crate::events::{Event, Origin};

/// Reads every record of an EVTX file.
pub(crate) fn read<R: Read + Seek>(source: R, sink: &mut RecordSink<'_, '_>) {
    let parser = match EvtxParser::from_read_seek(source) {
        Ok(parser) => parser,
        Err(error) => {
            sink.bad(
                BadReason::BadEvtx,
                0,
                None,
                format!("not a readable EVTX file: {error}"),
            );
            return;
        }
    };
    let mut parser = parser.with_configuration(ParserSettings::new().indent(false));
    for record in parser.records() {
        match record {
            Ok(record) => sink.record(record.data.as_bytes(), 0, None, parse_record),
            Err(error) => sink.bad(
                BadReason::BadEvtx,
                0,
                None,
                format!("an EVTX record cannot be read: {error}"),
            ),
        }
    }
}

/// One record's XML rendering (after the `<?xml …?>` declaration the crate writes).
fn parse_record<'a>(
    text: &'a str,
    _side: &'a mut String,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<EventFormat, Bad> {
    let text = text
        .find("<Event")
        .and_then(|at| text.get(at..))
        .unwrap_or(text)
        .trim_end();
    event.set_raw(text);
    xml::parse_event(text, names, event).map_err(|e| {
        (
            BadReason::BadEvtx,
            format!(
                "the record's XML rendering is malformed: {} at byte {}",
                e.message, e.at
            ),
        )
    })?;
    if let (Some(field), Some(time)) = (names.known.system_time, event.time()) {
        event.set_value(field, Origin::Raw, Cow::Owned(time.to_windows_string()));
    }
    Ok(EventFormat::Evtx)
}
