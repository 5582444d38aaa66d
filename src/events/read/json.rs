//! JSON: one object per line, or one array of objects; each object's shape found from its keys.
//!
//! | shape | recognized by | fields |
//! |---|---|---|
//! | Splunk export | `result` object | `_raw` read as XML or JSON; `_time`, `host`, `source`, `sourcetype` from the result; its other fields kept when `_raw` did not give them |
//! | winlogbeat 6 (in some OTRF files) | `event_id` with `log_name` | the same from `event_data.*`, `event_id`, `computer_name`, `log_name`, `source_name`, `record_number` |
//! | winlogbeat | `winlog` object | `winlog.event_data.*`/`winlog.user_data.*` flattened to the last segment; other nested keys dotted; `EventCode`/`EventID`, `Computer`, `Channel`, `SourceName`, `EventRecordID`, `UserID` added from `winlog.*` |
//! | OTRF flat Windows | `EventID` with `Channel`, `Hostname` or `SourceName` | keys as they are; `EventID` also as `EventCode`; `Hostname` also as `Computer` and `host`; the collector's `host` key as `otrf_host` |
//! | Zeek | `uid` with `id.orig_h`/`id_orig_h`, or `_path`/`@stream` with `ts` | keys as they are (dotted or renamed); `_time` from `ts`; `sourcetype` `zeek:<path>:json` |
//! | anything else | | nested keys dotted, `_time` from a usual time key |
//!
//! In every shape arrays become multivalues, `null` makes no value, numbers and booleans keep
//! their JSON text, and a string is borrowed from the record unless it holds an escape.
//! Windows shapes get `source` `XmlWinEventLog:<Channel>` and `sourcetype` `XmlWinEventLog`,
//! like the XML they were exported from.
//!
//! Parsing uses serde_json over borrowed `RawValue`s: the object's members are split without
//! building a tree, and each value is decoded only when it is kept (performance-notes.md:
//! serde_json into borrowed data runs about three times as fast as into `serde_json::Value`).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::input::Stream;
use super::summary::{BadReason, EventFormat};
use super::xml;
use super::{Bad, Names, RecordSink};
use crate::events::{Event, FieldId, Timestamp};

/// Reads one JSON object per line; blank lines are skipped.
pub(crate) fn read_lines(stream: &mut Stream<'_>, sink: &mut RecordSink<'_, '_>) {
    sink.lines(stream, |sink, cut, bytes| {
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            sink.record(bytes, cut.offset, Some(cut.line), parse_record);
        }
    });
}

/// Reads a file holding one JSON array: each element is a record.
pub(crate) fn read_array(stream: &mut Stream<'_>, sink: &mut RecordSink<'_, '_>) {
    let limit = sink.limit();
    skip_ws(stream);
    if stream.window().first() != Some(&b'[') {
        sink.bad(
            BadReason::InvalidJson,
            stream.offset(),
            None,
            "expected a JSON array".into(),
        );
        return;
    }
    stream.consume(1);
    loop {
        skip_ws(stream);
        match stream.window().first() {
            None => {
                sink.bad(
                    BadReason::InvalidJson,
                    stream.offset(),
                    None,
                    "the JSON array has no closing `]`".into(),
                );
                return;
            }
            Some(b']') => {
                stream.consume(1);
                skip_ws(stream);
                if !stream.window().is_empty() {
                    sink.bad(
                        BadReason::InvalidJson,
                        stream.offset(),
                        None,
                        "text after the JSON array".into(),
                    );
                    stream.consume(stream.window().len());
                }
                return;
            }
            Some(b',') => {
                stream.consume(1);
                continue;
            }
            Some(_) => {}
        }
        let offset = stream.offset();
        let mut scan = Scan::default();
        loop {
            if let Some(end) = scan.run(stream.window()) {
                let range = stream.absolute(0, end);
                sink.record(stream.slice(range), offset, None, parse_record);
                stream.consume(end);
                break;
            }
            if stream.window().len() > limit {
                sink.bad(
                    BadReason::TooLarge,
                    offset,
                    None,
                    format!("an array element is over the limit of {limit} bytes"),
                );
                // Without its end the rest of the array cannot be split reliably.
                stream.consume(stream.window().len());
                while !stream.is_eof() {
                    stream.fill_to(1);
                    stream.consume(stream.window().len());
                }
                return;
            }
            if stream.is_eof() {
                sink.bad(
                    BadReason::InvalidJson,
                    offset,
                    None,
                    "an array element has no end".into(),
                );
                stream.consume(stream.window().len());
                return;
            }
            stream.fill_to(stream.window().len() + 1);
        }
    }
}

fn skip_ws(stream: &mut Stream<'_>) {
    loop {
        stream.fill_to(1);
        let blank = stream
            .window()
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        stream.consume(blank);
        if !stream.window().is_empty() || stream.is_eof() {
            return;
        }
    }
}

/// Where one array element ends: a resumable scan (strings, escapes, nesting), so a long element
/// read in several chunks is scanned once.
#[derive(Default)]
struct Scan {
    at: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// The end of the element at the start of `window`, if the window holds all of it.
    fn run(&mut self, window: &[u8]) -> Option<usize> {
        while let Some(&b) = window.get(self.at) {
            self.at += 1;
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => {
                        self.in_string = false;
                        if self.depth == 0 {
                            return Some(self.at);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(self.at);
                    }
                }
                // A scalar element ends before a separator.
                b',' | b']' | b' ' | b'\t' | b'\r' | b'\n' if self.depth == 0 => {
                    self.at -= 1;
                    return Some(self.at.max(1));
                }
                _ => {}
            }
        }
        None
    }
}

/// A member key, borrowed when it has no escape.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// An object's members in order, values unparsed.
type Members<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
        // Most Windows records have 20 to 60 members; one allocation for all of them.
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(64));
        while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
            members.push((key, value));
        }
        Ok(members)
    }
}

/// Splits a JSON object into its members.
fn object(text: &str) -> Result<Members<'_>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let members = de::Deserializer::deserialize_map(&mut deserializer, MembersVisitor)?;
    deserializer.end()?;
    Ok(members)
}

fn elements(text: &str) -> Result<Vec<&RawValue>, serde_json::Error> {
    serde_json::from_str(text)
}

/// A scalar's text: a string decoded (borrowed unless it holds an escape), a number or boolean
/// as written; `None` for `null`, objects and arrays.
fn scalar(raw: &RawValue) -> Result<Option<Cow<'_, str>>, serde_json::Error> {
    let text = raw.get();
    Ok(match text.as_bytes().first() {
        Some(b'"') => {
            let inner = text
                .get(1..text.len().saturating_sub(1))
                .unwrap_or_default();
            Some(if inner.contains('\\') {
                Cow::Owned(serde_json::from_str::<String>(text)?)
            } else {
                Cow::Borrowed(inner)
            })
        }
        Some(b'n' | b'{' | b'[') | None => None,
        Some(_) => Some(Cow::Borrowed(text)),
    })
}

fn invalid(error: &serde_json::Error) -> Bad {
    (BadReason::InvalidJson, format!("invalid JSON: {error}"))
}

/// The shapes of the module table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Splunk,
    Winlogbeat,
    /// winlogbeat 6 and older: `event_data`, `event_id`, `log_name`, `computer_name` at the top.
    Winlogbeat6,
    Otrf,
    Zeek,
    Other,
}

fn shape(members: &Members<'_>) -> Shape {
    let (mut result, mut winlog, mut event_id, mut windows, mut uid, mut orig, mut path, mut ts) =
        Default::default();
    let (mut legacy_id, mut log_name) = (false, false);
    for (key, value) in members {
        let object = value.get().starts_with('{');
        match key.as_ref() {
            "result" => result = object,
            "winlog" => winlog = object,
            "EventID" => event_id = true,
            "Channel" | "Hostname" | "SourceName" => windows = true,
            "uid" => uid = true,
            "id.orig_h" | "id_orig_h" => orig = true,
            "_path" | "@stream" => path = true,
            "ts" => ts = true,
            "event_id" => legacy_id = true,
            "log_name" => log_name = true,
            _ => {}
        }
    }
    if result {
        Shape::Splunk
    } else if winlog {
        Shape::Winlogbeat
    } else if legacy_id && log_name {
        Shape::Winlogbeat6
    } else if event_id && windows {
        Shape::Otrf
    } else if (uid && orig) || (path && ts) {
        Shape::Zeek
    } else {
        Shape::Other
    }
}

/// [`super::RecordSink::record`]'s parser for one JSON object.
pub(crate) fn parse_record<'a>(
    text: &'a str,
    side: &'a mut String,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<EventFormat, Bad> {
    let members = object(text).map_err(|e| invalid(&e))?;
    match shape(&members) {
        Shape::Splunk => splunk(&members, side, names, event),
        shape => fill(shape, &members, names, event).map_err(|e| invalid(&e)),
    }
}

/// Fields of a non-Splunk shape.
fn fill<'a>(
    shape: Shape,
    members: &Members<'a>,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<EventFormat, serde_json::Error> {
    let mut path = String::new();
    let known = names.known;
    let mut time_rank = usize::MAX;
    let mut zeek_path: Option<Cow<'a, str>> = None;
    for (slot, (key, raw)) in members.iter().enumerate() {
        let key = key.as_ref();
        match (shape, key) {
            (Shape::Otrf | Shape::Winlogbeat | Shape::Winlogbeat6 | Shape::Other, "@timestamp")
            | (Shape::Zeek, "ts") => {
                set_time(event, raw, 0, &mut time_rank)?;
            }
            (Shape::Otrf, "TimeCreated") | (Shape::Other, "timestamp") => {
                set_time(event, raw, 1, &mut time_rank)?
            }
            (Shape::Otrf, "EventTime") | (Shape::Other, "time" | "eventTime" | "CreationTime") => {
                set_time(event, raw, 2, &mut time_rank)?;
            }
            _ => {}
        }
        match (shape, key) {
            (Shape::Otrf, "EventID") => {
                if let Some(value) = scalar(raw)? {
                    push_known(event, &[known.event_code, known.event_id], &value);
                }
                continue;
            }
            (Shape::Otrf, "Hostname") => {
                if let Some(value) = scalar(raw)? {
                    push_known(event, &[known.computer], &value);
                    event.set_host(value);
                }
            }
            (Shape::Otrf, "Channel") => {
                if let Some(value) = scalar(raw)? {
                    xml::set_channel(event, &value);
                }
            }
            (Shape::Otrf, "host") => {
                if let (Some(value), Some(field)) = (scalar(raw)?, known.otrf_host) {
                    event.push_raw(field, value);
                }
                continue;
            }
            (Shape::Zeek, "_path" | "@stream") => zeek_path = scalar(raw)?,
            (Shape::Zeek, "@system") => {
                if let Some(value) = scalar(raw)? {
                    event.set_host(value);
                }
            }
            (Shape::Zeek, "conn_state") if zeek_path.is_none() => {
                zeek_path = Some(Cow::Borrowed("conn"))
            }
            (Shape::Other, "host") => {
                if let Some(value) = scalar(raw)? {
                    event.set_host(value);
                    continue;
                }
            }
            _ => {}
        }
        let nesting = match shape {
            Shape::Winlogbeat => Nesting::Winlogbeat,
            Shape::Winlogbeat6 => Nesting::Winlogbeat6,
            _ => Nesting::Dotted,
        };
        if nesting == Nesting::Dotted && !matches!(raw.get().as_bytes().first(), Some(b'{' | b'['))
        {
            // The common case, a top-level scalar: its name resolved through the slot cache.
            if let (Some(value), Some(field)) = (scalar(raw)?, names.resolve_slot(slot, key)) {
                event.push_raw(field, value);
            }
            continue;
        }
        path.clear();
        path.push_str(key);
        emit(&mut path, raw, nesting, names, event)?;
    }
    Ok(match shape {
        Shape::Otrf => {
            event.set_sourcetype(xml::WINDOWS_SOURCETYPE);
            EventFormat::OtrfJson
        }
        Shape::Winlogbeat => {
            event.set_sourcetype(xml::WINDOWS_SOURCETYPE);
            EventFormat::WinlogbeatJson
        }
        Shape::Winlogbeat6 => {
            event.set_sourcetype(xml::WINDOWS_SOURCETYPE);
            EventFormat::Winlogbeat6Json
        }
        Shape::Zeek => {
            event.set_sourcetype(match zeek_path {
                Some(path) => format!("zeek:{path}:json"),
                None => "zeek:json".to_owned(),
            });
            EventFormat::ZeekJson
        }
        Shape::Splunk | Shape::Other => EventFormat::Json,
    })
}

/// Sets `_time` from `raw` when `rank` is better (lower) than the key that set it so far.
fn set_time(
    event: &mut Event<'_>,
    raw: &RawValue,
    rank: usize,
    best: &mut usize,
) -> Result<(), serde_json::Error> {
    if rank < *best
        && let Some(time) = scalar(raw)?.and_then(|text| Timestamp::parse(&text))
    {
        event.set_time(Some(time));
        *best = rank;
    }
    Ok(())
}

// A `&Cow` so that a borrowed value stays borrowed in every field it goes to.
#[allow(
    clippy::ptr_arg,
    reason = "cloning the Cow keeps a borrowed value borrowed"
)]
fn push_known<'a>(event: &mut Event<'a>, fields: &[Option<FieldId>], value: &Cow<'a, str>) {
    for field in fields.iter().flatten() {
        event.push_raw(*field, value.clone());
    }
}

/// How nested keys are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Nesting {
    /// `a.b.c`.
    Dotted,
    /// Dotted, but `winlog.event_data.*`/`winlog.user_data.*` by their last segment, and the
    /// `winlog.*` System fields also under their XML names.
    Winlogbeat,
    /// The same for winlogbeat 6's top-level `event_data.*`, `event_id`, `log_name`, ….
    Winlogbeat6,
}

impl Nesting {
    /// Whether the members of the object at `path` get their own names.
    fn flattens(self, path: &str) -> bool {
        match self {
            Nesting::Dotted => false,
            Nesting::Winlogbeat => path == "winlog.event_data" || path == "winlog.user_data",
            Nesting::Winlogbeat6 => path == "event_data" || path == "user_data",
        }
    }
}

/// Pushes the value at `path` (a dotted name) and, for objects, its members under `path.key`
/// (see [`Nesting`]).
fn emit<'a>(
    path: &mut String,
    raw: &'a RawValue,
    nesting: Nesting,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<(), serde_json::Error> {
    match raw.get().as_bytes().first() {
        Some(b'{') => {
            let base = path.len();
            let flatten = nesting.flattens(path);
            // Flattened members are named on their own, in a name of their own, so `path` is
            // only ever extended past `base` and cut back to it.
            let mut own = String::new();
            for (key, value) in object(raw.get())? {
                if flatten {
                    own.clear();
                    own.push_str(&key);
                    emit(&mut own, value, Nesting::Dotted, names, event)?;
                } else {
                    path.truncate(base);
                    path.push('.');
                    path.push_str(&key);
                    emit(path, value, nesting, names, event)?;
                }
            }
            path.truncate(base);
        }
        Some(b'[') => {
            for element in elements(raw.get())? {
                emit(path, element, nesting, names, event)?;
            }
        }
        _ => {
            let Some(value) = scalar(raw)? else {
                return Ok(());
            };
            if nesting != Nesting::Dotted {
                winlogbeat_alias(nesting, path, &value, names, event);
            }
            if let Some(field) = names.resolve(path) {
                event.push_raw(field, value);
            }
        }
    }
    Ok(())
}

/// The XML names of winlogbeat's System fields, so detections written for XmlWinEventLog read
/// winlogbeat events too.
#[allow(
    clippy::ptr_arg,
    reason = "cloning the Cow keeps a borrowed value borrowed"
)]
fn winlogbeat_alias<'a>(
    nesting: Nesting,
    path: &str,
    value: &Cow<'a, str>,
    names: &mut Names,
    event: &mut Event<'a>,
) {
    let known = names.known;
    let key = match nesting {
        Nesting::Winlogbeat => path.strip_prefix("winlog."),
        _ => Some(path),
    };
    let legacy = nesting == Nesting::Winlogbeat6;
    match key {
        Some("event_id") => push_known(event, &[known.event_code, known.event_id], value),
        Some("computer_name") => {
            push_known(event, &[known.computer], value);
            event.set_host(value.clone());
        }
        Some("channel") if !legacy => {
            push_known(event, &[known.channel], value);
            xml::set_channel(event, value);
        }
        Some("log_name") if legacy => {
            push_known(event, &[known.channel], value);
            xml::set_channel(event, value);
        }
        Some("provider_name") if !legacy => push_known(event, &[known.source_name], value),
        Some("source_name") if legacy => push_known(event, &[known.source_name], value),
        Some("record_id") if !legacy => push_known(event, &[known.event_record_id], value),
        Some("record_number") if legacy => push_known(event, &[known.event_record_id], value),
        Some("user.identifier") => push_known(event, &[known.user_id], value),
        _ => {}
    }
}

/// A Splunk JSON export line: `_raw` read as the record, the result's own fields on top.
fn splunk<'a>(
    members: &Members<'a>,
    side: &'a mut String,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<EventFormat, Bad> {
    let result = members
        .iter()
        .find(|(key, _)| key == "result")
        .map(|(_, raw)| *raw)
        .ok_or_else(|| (BadReason::InvalidJson, "no `result` object".to_owned()))?;
    let result = object(result.get()).map_err(|e| invalid(&e))?;
    if let Some((_, raw)) = result.iter().find(|(key, _)| key == "_raw") {
        let raw_text: &'a str = match scalar(raw).map_err(|e| invalid(&e))? {
            Some(Cow::Borrowed(text)) => text,
            Some(Cow::Owned(text)) => {
                side.push_str(&text);
                let side: &'a String = side;
                side.as_str()
            }
            None => "",
        };
        event.set_raw(raw_text);
        let trimmed = raw_text.trim_start();
        if trimmed.starts_with('<') {
            xml::parse_event(trimmed.trim_end(), names, event).map_err(|e| {
                (
                    BadReason::TruncatedXml,
                    format!(
                        "`_raw` is not a whole `<Event>`: {} at byte {} of it",
                        e.message, e.at
                    ),
                )
            })?;
        } else if trimmed.starts_with('{') {
            let inner = object(trimmed).map_err(|e| invalid(&e))?;
            let shape = match shape(&inner) {
                Shape::Splunk => Shape::Other,
                shape => shape,
            };
            fill(shape, &inner, names, event).map_err(|e| invalid(&e))?;
        }
    }
    let mut path = String::new();
    for (key, raw) in &result {
        let key = key.as_ref();
        let value = || scalar(raw).map_err(|e| invalid(&e));
        match key {
            "_raw" => {}
            "_time" => {
                if let Some(time) = value()?.and_then(|text| Timestamp::parse(&text)) {
                    event.set_time(Some(time));
                }
            }
            "host" => {
                if let Some(value) = value()? {
                    event.set_host(value);
                }
            }
            "source" => {
                if let Some(value) = value()? {
                    event.set_source(value);
                }
            }
            "sourcetype" => {
                if let Some(value) = value()? {
                    event.set_sourcetype(value);
                }
            }
            // Splunk's internal fields (`_bkt`, `_cd`, `_indextime`, …).
            _ if key.starts_with('_') => {}
            _ => {
                // A field `_raw` already gave is not repeated as a second value.
                if names.table.get(key).is_some_and(|id| event.has(id)) {
                    continue;
                }
                path.clear();
                path.push_str(key);
                emit(&mut path, raw, Nesting::Dotted, names, event).map_err(|e| invalid(&e))?;
            }
        }
    }
    Ok(EventFormat::SplunkJson)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{FieldTable, Projection};

    type Read = (EventFormat, Vec<String>, Event<'static>);

    fn read(text: &str) -> (Names, Result<Read, Bad>) {
        let mut names = Names::new(FieldTable::new(), Projection::all());
        let mut side = String::new();
        let mut event = Event::new(text);
        let result = parse_record(text, &mut side, &mut names, &mut event).map(|format| {
            let fields = crate::events::read::dump(&names, &event);
            (format, fields, event.clone().into_owned())
        });
        (names, result)
    }

    #[test]
    fn otrf_flat_windows() {
        let (_, result) = read(
            r#"{"EventID":4688,"Hostname":"WS5","host":"collector","Channel":"Security","NewProcessName":"C:\\W\\reg.exe","@timestamp":"2020-10-21T11:28:11.220Z","Empty":"","N":null}"#,
        );
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::OtrfJson);
        assert_eq!(
            fields,
            [
                "EventCode=4688",
                "EventID=4688",
                "Computer=WS5",
                "Hostname=WS5",
                "otrf_host=collector",
                "Channel=Security",
                "NewProcessName=C:\\W\\reg.exe",
                "@timestamp=2020-10-21T11:28:11.220Z",
                "Empty="
            ]
        );
        assert_eq!(event.source(), Some("XmlWinEventLog:Security"));
        assert_eq!(event.sourcetype(), Some("XmlWinEventLog"));
        assert_eq!(event.host(), Some("WS5"));
        assert_eq!(event.time(), Timestamp::parse("2020-10-21T11:28:11.220Z"));
    }

    #[test]
    fn winlogbeat_nested() {
        let (_, result) = read(
            r#"{"@timestamp":"2019-04-27T15:57:25.868Z","event":{"code":"11"},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"IEWIN7","event_id":"11","user":{"identifier":"S-1-5-18"},"event_data":{"Image":"C:\\x.exe","Tags":["a","b"]}}}"#,
        );
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::WinlogbeatJson);
        assert_eq!(
            fields,
            [
                "@timestamp=2019-04-27T15:57:25.868Z",
                "event.code=11",
                "Channel=Microsoft-Windows-Sysmon/Operational",
                "winlog.channel=Microsoft-Windows-Sysmon/Operational",
                "Computer=IEWIN7",
                "winlog.computer_name=IEWIN7",
                "EventCode=11",
                "EventID=11",
                "winlog.event_id=11",
                "UserID=S-1-5-18",
                "winlog.user.identifier=S-1-5-18",
                "Image=C:\\x.exe",
                "Tags=a|b",
            ]
        );
        assert_eq!(
            event.source(),
            Some("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(event.host(), Some("IEWIN7"));
    }

    #[test]
    fn winlogbeat6_top_level() {
        let (_, result) = read(
            r#"{"event_id":3,"log_name":"Microsoft-Windows-Sysmon/Operational","computer_name":"HFDC01","host":{"name":"WEC"},"event_data":{"Image":"C:\\s.exe"}}"#,
        );
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::Winlogbeat6Json);
        assert_eq!(
            fields,
            [
                "EventCode=3",
                "EventID=3",
                "event_id=3",
                "Channel=Microsoft-Windows-Sysmon/Operational",
                "log_name=Microsoft-Windows-Sysmon/Operational",
                "Computer=HFDC01",
                "computer_name=HFDC01",
                "host.name=WEC",
                "Image=C:\\s.exe",
            ]
        );
        assert_eq!(event.host(), Some("HFDC01"));
        assert_eq!(
            event.source(),
            Some("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational")
        );
    }

    #[test]
    fn splunk_export_with_xml_raw() {
        let line = r#"{"preview":false,"result":{"_raw":"<Event xmlns='x'><System><EventID>1</EventID><Channel>Security</Channel><Computer>PC</Computer></System><EventData><Data Name='Image'>C:\\a.exe</Data></EventData></Event>","_time":"2019-04-27T15:57:25.868+00:00","host":"PC2","source":"XmlWinEventLog:Security","sourcetype":"XmlWinEventLog","index":"main","EventCode":"1","_cd":"1:2"}}"#;
        let (_, result) = read(line);
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::SplunkJson);
        assert_eq!(
            fields,
            [
                "EventCode=1",
                "EventID=1",
                "Channel=Security",
                "Computer=PC",
                "Image=C:\\a.exe",
                "index=main"
            ]
        );
        assert!(event.raw().starts_with("<Event xmlns='x'>"));
        assert_eq!(event.host(), Some("PC2"));
        assert_eq!(event.time(), Timestamp::parse("2019-04-27T15:57:25.868Z"));
    }

    #[test]
    fn splunk_export_with_json_raw() {
        let line = r#"{"result":{"_raw":"{\"EventID\":1,\"Channel\":\"Security\",\"Hostname\":\"H\"}","sourcetype":"custom"}}"#;
        let (_, result) = read(line);
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::SplunkJson);
        assert_eq!(
            fields,
            [
                "EventCode=1",
                "EventID=1",
                "Channel=Security",
                "Computer=H",
                "Hostname=H"
            ]
        );
        assert_eq!(event.sourcetype(), Some("custom"));
        assert_eq!(
            event.raw(),
            r#"{"EventID":1,"Channel":"Security","Hostname":"H"}"#
        );
    }

    #[test]
    fn zeek_json_dotted_and_renamed() {
        let (_, result) = read(
            r#"{"ts":1521911721.255387,"uid":"C8","id.orig_h":"10.0.0.1","conn_state":"SF","tunnel_parents":["a","b"],"local_orig":true}"#,
        );
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::ZeekJson);
        assert_eq!(
            fields,
            [
                "ts=1521911721.255387",
                "uid=C8",
                "id.orig_h=10.0.0.1",
                "conn_state=SF",
                "tunnel_parents=a|b",
                "local_orig=true"
            ]
        );
        assert_eq!(event.sourcetype(), Some("zeek:conn:json"));
        assert_eq!(event.time().unwrap().nanos(), 1_521_911_721_255_387_000);
        let (_, result) = read(
            r#"{"@stream":"conn","@system":"sensor1","ts":1588205198.89971,"uid":"C","id_orig_h":"10.0.1.4"}"#,
        );
        let (_, _, event) = result.unwrap();
        assert_eq!(event.host(), Some("sensor1"));
        assert_eq!(event.sourcetype(), Some("zeek:conn:json"));
    }

    #[test]
    fn other_json_is_dotted_and_keeps_escapes_decoded() {
        let (_, result) = read(
            r#"{"eventTime":"2021-01-01T00:00:00Z","userIdentity":{"type":"IAMUser","arn":"a\"b"},"n":[1,{"k":2}]}"#,
        );
        let (format, fields, event) = result.unwrap();
        assert_eq!(format, EventFormat::Json);
        assert_eq!(
            fields,
            [
                "eventTime=2021-01-01T00:00:00Z",
                "userIdentity.type=IAMUser",
                "userIdentity.arn=a\"b",
                "n=1",
                "n.k=2"
            ]
        );
        assert_eq!(
            event.source(),
            None,
            "the reader, not the parser, falls back to the path"
        );
    }

    #[test]
    fn invalid_json_is_a_bad_record() {
        for bad in [r#"{"a":"#, "[1,2]", r#"{"a":1} x"#, "{\"a\":\"\u{1}\"}"] {
            let (_, result) = read(bad);
            assert_eq!(
                result.map(|r| r.0).unwrap_err().0,
                BadReason::InvalidJson,
                "{bad}"
            );
        }
    }

    #[test]
    fn projection_keeps_only_wanted_fields() {
        let mut table = FieldTable::new();
        let projection = Projection::only(&mut table, ["Image", "EventCode"]);
        let mut names = Names::new(table, projection);
        let text = r#"{"EventID":1,"Channel":"Security","Image":"x","CommandLine":"y"}"#;
        let mut side = String::new();
        let mut event = Event::new(text);
        parse_record(text, &mut side, &mut names, &mut event).unwrap();
        let kept: Vec<_> = event
            .fields()
            .map(|f| names.table.name(f.field).to_owned())
            .collect();
        assert_eq!(kept, ["EventCode", "Image"]);
        assert_eq!(
            event.source(),
            Some("XmlWinEventLog:Security"),
            "reserved fields are always filled"
        );
        assert_eq!(names.table.get("CommandLine"), None);
    }

    #[test]
    fn the_slot_cache_follows_keys_that_move() {
        let mut names = Names::new(FieldTable::new(), Projection::all());
        let mut fields = Vec::new();
        for text in [
            r#"{"a":"1","b":"2"}"#,
            r#"{"b":"3","a":"4","c":"5"}"#,
            r#"{"a":"6"}"#,
        ] {
            let mut side = String::new();
            let mut event = Event::new(text);
            parse_record(text, &mut side, &mut names, &mut event).unwrap();
            fields.push(crate::events::read::dump(&names, &event).join(" "));
        }
        assert_eq!(fields, ["a=1 b=2", "b=3 a=4 c=5", "a=6"]);
    }

    #[test]
    fn array_element_scan() {
        let mut scan = Scan::default();
        assert_eq!(scan.run(br#"{"a":"}\"","b":[1]} , {"#), Some(19));
        let mut scan = Scan::default();
        assert_eq!(scan.run(br#"{"a":"x"#), None);
        assert_eq!(
            scan.run(br#"{"a":"x"}"#),
            Some(9),
            "resumes where it stopped"
        );
        let mut scan = Scan::default();
        assert_eq!(scan.run(b"123,"), Some(3));
    }
}
