//! XmlWinEventLog: `<Event>` elements, one per line (Splunk's export) or pretty-printed over
//! many lines, found by scanning for `<Event` rather than by lines.
//!
//! The record parser is a small hand-written scanner, not a general XML library: Windows event
//! XML is a fixed, shallow shape (no DTDs, a handful of entities), the scanner borrows every
//! value that holds no entity straight from the record, and it knows where a record starts and
//! ends without building a tree. It is also what the EVTX reader (through the `evtx` crate's XML
//! rendering) and Splunk's JSON export (`_raw` holding XML) use, so the three give the same
//! event for the same record.
//!
//! What becomes a field (names as Splunk_TA_windows extracts them from `XmlWinEventLog`):
//! - `System`: `EventID` as both `EventCode` and `EventID`; `Version`, `Level`, `Task`,
//!   `Opcode`, `Keywords`, `EventRecordID`, `Channel`, `Computer` under their own names;
//!   `Provider/@Name` as `SourceName` and `@Guid` as `ProviderGuid`; `TimeCreated/@SystemTime`
//!   as `SystemTime` and `_time`; `Execution/@ProcessID` and `@ThreadID` as `ProcessID` and
//!   `ThreadID`; `Security/@UserID` as `UserID`; `Correlation/@ActivityID` and
//!   `@RelatedActivityID`.
//! - `EventData`: each `<Data Name='X'>v</Data>` as `X`; unnamed `<Data>` values together as the
//!   multivalue `Data`; `<Binary>` as `Binary`.
//! - `UserData` and `ProcessingErrorData`: every leaf element below them under its own name
//!   (flattened); `RenderingInfo/Message` as `Message`.
//! - Empty values (`<Data Name='RuleName'/>`) make no field, as the add-on's regex extraction
//!   makes none.
//!
//! `source` is `XmlWinEventLog:<Channel>`, `sourcetype` `XmlWinEventLog`, `host` the `Computer`.

use std::borrow::Cow;

use memchr::memmem;

use super::input::Stream;
use super::summary::{BadReason, EventFormat};
use super::{Bad, Names, RecordSink};
use crate::events::{Event, Timestamp};

/// How deep elements may nest in one event (Windows events nest four or five levels).
const MAX_DEPTH: usize = 32;

/// A problem inside one `<Event>` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    /// Offset in the record.
    pub(crate) at: usize,
    pub(crate) message: &'static str,
}

fn fail<T>(at: usize, message: &'static str) -> Result<T, XmlError> {
    Err(XmlError { at, message })
}

/// Reads every `<Event>` of an XML stream.
pub(crate) fn read(stream: &mut Stream<'_>, sink: &mut RecordSink<'_, '_>) {
    let start_finder = memmem::Finder::new(b"<Event");
    let end_finder = memmem::Finder::new(b"</Event>");
    let limit = sink.limit();
    loop {
        // Find the next record start, dropping what is before it (an XML declaration, a wrapper
        // element, whitespace).
        stream.fill_to(7);
        match find_start(&start_finder, stream.window(), 0) {
            Some(at) => {
                stream.consume(at);
                if stream.past_stop() {
                    return;
                }
                stream.fill_to(7);
                if !matches!(
                    stream.window().get(6),
                    Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
                ) {
                    if stream.window().len() < 7 {
                        // `<Event` and then the end of the input.
                        sink.bad(
                            BadReason::TruncatedXml,
                            stream.offset(),
                            None,
                            "`<Event` at the end of the input".into(),
                        );
                        return;
                    }
                    stream.consume(6);
                    continue;
                }
            }
            None if stream.is_eof() => return,
            None => {
                let keep = 6.min(stream.window().len());
                stream.consume(stream.window().len() - keep);
                if stream.past_stop() {
                    // Any start found from here on is at or past the end of this piece.
                    return;
                }
                stream.fill_to(keep + 1);
                continue;
            }
        }
        let offset = stream.offset();
        if let Some(end) = self_closed(stream.window()) {
            // `<Event …/>`: an event with nothing in it.
            let range = stream.absolute(0, end);
            sink.record(stream.slice(range), offset, None, parse_xml_record);
            stream.consume(end);
            continue;
        }
        match stream.find_from(&end_finder, 6, limit) {
            Some(end) => {
                let end = end + b"</Event>".len();
                if let Some(next) = find_start(
                    &start_finder,
                    stream.window().get(..end).unwrap_or_default(),
                    6,
                ) {
                    // A new `<Event` before this one's end: this one was cut short.
                    sink.bad(
                        BadReason::TruncatedXml,
                        offset,
                        None,
                        "`<Event>` has no `</Event>` before the next `<Event`".into(),
                    );
                    stream.consume(next);
                    continue;
                }
                let range = stream.absolute(0, end);
                sink.record(stream.slice(range), offset, None, parse_xml_record);
                stream.consume(end);
            }
            None => {
                if let Some(next) = find_start(&start_finder, stream.window(), 6) {
                    sink.bad(
                        BadReason::TruncatedXml,
                        offset,
                        None,
                        "`<Event>` has no `</Event>` before the next `<Event`".into(),
                    );
                    stream.consume(next);
                } else if stream.is_eof() {
                    sink.bad(
                        BadReason::TruncatedXml,
                        offset,
                        None,
                        "`<Event>` has no `</Event>` before the end of the input".into(),
                    );
                    stream.consume(stream.window().len());
                    return;
                } else {
                    sink.bad(
                        BadReason::TooLarge,
                        offset,
                        None,
                        format!("an `<Event>` record is over the limit of {limit} bytes"),
                    );
                    stream.discard_through(b"</Event>");
                }
            }
        }
    }
}

/// The end of a self-closed `<Event …/>` at the start of `window` (the first `>` ends the tag;
/// Windows event attributes hold no `>`).
fn self_closed(window: &[u8]) -> Option<usize> {
    let gt = memchr::memchr(b'>', window)?;
    (gt > 0 && window.get(gt - 1) == Some(&b'/')).then_some(gt + 1)
}

/// The window position of the first `<Event` (followed by whitespace, `>` or `/`) at or after
/// `from`; `<EventData>` and `<EventID>` do not count.
fn find_start(finder: &memmem::Finder<'_>, window: &[u8], from: usize) -> Option<usize> {
    let mut from = from;
    while let Some(at) = finder.find(window.get(from..)?) {
        let at = from + at;
        match window.get(at + 6) {
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/') => return Some(at),
            Some(_) => from = at + 6,
            // Undecided until more is read: report it as a start, the caller reads on.
            None => return Some(at),
        }
    }
    None
}

/// [`super::RecordParser`] for XML records: the whole record is one `<Event>`.
fn parse_xml_record<'a>(
    text: &'a str,
    _side: &'a mut String,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<EventFormat, Bad> {
    parse_event(text, names, event).map_err(|error| {
        (
            BadReason::TruncatedXml,
            format!(
                "malformed `<Event>`: {} at byte {} of the record",
                error.message, error.at
            ),
        )
    })?;
    Ok(EventFormat::Xml)
}

/// Where an element sits, as far as field extraction cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Event,
    System,
    EventData,
    /// `UserData`, `ProcessingErrorData`: leaves become fields.
    Flatten,
    RenderingInfo,
    Other,
}

struct Frame<'a> {
    name: &'a str,
    section: Section,
    /// Whether a child element was seen (then the element is no leaf, its text is ignored).
    has_child: bool,
    /// `Data/@Name`, for `EventData/Data`.
    data_name: Option<Cow<'a, str>>,
    text: Option<Cow<'a, str>>,
}

/// Parses one `<Event>…</Event>` record into `event` (its fields, `_time`, `source`,
/// `sourcetype`, `host`; `_raw` is the caller's).
pub(crate) fn parse_event<'a>(
    text: &'a str,
    names: &mut Names,
    event: &mut Event<'a>,
) -> Result<(), XmlError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame<'a>> = Vec::with_capacity(8);
    let mut pos = 0;
    let mut closed_event = false;
    while pos < bytes.len() {
        let Some(lt) =
            memchr::memchr(b'<', bytes.get(pos..).unwrap_or_default()).map(|at| pos + at)
        else {
            if bytes
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .all(u8::is_ascii_whitespace)
            {
                break;
            }
            return fail(pos, "text after the last element");
        };
        if lt > pos
            && let Some(frame) = stack.last_mut()
        {
            append_text(frame, decode(slice(text, pos, lt)));
        }
        let rest = bytes.get(lt..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            pos = skip_past(bytes, lt + 4, b"-->").ok_or(XmlError {
                at: lt,
                message: "unclosed comment",
            })?;
        } else if rest.starts_with(b"<![CDATA[") {
            let end = memmem::find(bytes.get(lt + 9..).unwrap_or_default(), b"]]>")
                .map(|at| lt + 9 + at)
                .ok_or(XmlError {
                    at: lt,
                    message: "unclosed CDATA section",
                })?;
            if let Some(frame) = stack.last_mut() {
                append_text(frame, Cow::Borrowed(slice(text, lt + 9, end)));
            }
            pos = end + 3;
        } else if rest.starts_with(b"<?") {
            pos = skip_past(bytes, lt + 2, b"?>").ok_or(XmlError {
                at: lt,
                message: "unclosed processing instruction",
            })?;
        } else if rest.starts_with(b"<!") {
            pos = skip_past(bytes, lt + 2, b">").ok_or(XmlError {
                at: lt,
                message: "unclosed declaration",
            })?;
        } else if rest.starts_with(b"</") {
            let name_end = name_end(bytes, lt + 2);
            let name = slice(text, lt + 2, name_end);
            let after = skip_ws(bytes, name_end);
            if bytes.get(after) != Some(&b'>') {
                return fail(lt, "malformed end tag");
            }
            pos = after + 1;
            let Some(frame) = stack.pop() else {
                return fail(lt, "end tag without a start tag");
            };
            if frame.name != name {
                return fail(lt, "end tag does not match the open element");
            }
            end_element(frame, &stack, names, event);
            if stack.is_empty() {
                closed_event = true;
                break;
            }
        } else {
            let name_start = lt + 1;
            let name_end = name_end(bytes, name_start);
            if name_end == name_start {
                return fail(lt, "`<` that starts no element");
            }
            let name = slice(text, name_start, name_end);
            if stack.is_empty() && name != "Event" {
                return fail(lt, "the record is not an `<Event>` element");
            }
            if stack.len() >= MAX_DEPTH {
                return fail(lt, "elements nest too deeply");
            }
            let section = match (stack.last().map(|f| f.section), stack.len(), name) {
                (None, _, _) => Section::Event,
                (Some(Section::Event), _, "System") => Section::System,
                (Some(Section::Event), _, "EventData") => Section::EventData,
                (Some(Section::Event), _, "UserData" | "ProcessingErrorData") => Section::Flatten,
                (Some(Section::Event), _, "RenderingInfo") => Section::RenderingInfo,
                (Some(Section::Event), _, _) => Section::Other,
                (Some(section), _, _) => section,
            };
            if let Some(parent) = stack.last_mut() {
                parent.has_child = true;
            }
            let mut frame = Frame {
                name,
                section,
                has_child: false,
                data_name: None,
                text: None,
            };
            let mut at = name_end;
            let self_closing = loop {
                at = skip_ws(bytes, at);
                match bytes.get(at) {
                    Some(b'>') => break false,
                    Some(b'/') if bytes.get(at + 1) == Some(&b'>') => {
                        at += 1;
                        break true;
                    }
                    Some(_) => {
                        let (attr, value, next) = attribute(text, at)?;
                        start_attribute(&mut frame, stack.len(), attr, value, names, event);
                        at = next;
                    }
                    None => return fail(lt, "unclosed start tag"),
                }
            };
            pos = at + 1;
            if self_closing {
                end_element(frame, &stack, names, event);
                if stack.is_empty() {
                    closed_event = true;
                    break;
                }
            } else {
                stack.push(frame);
            }
        }
    }
    if !closed_event {
        return fail(bytes.len(), "the `<Event>` element is not closed");
    }
    if !bytes
        .get(pos..)
        .unwrap_or_default()
        .iter()
        .all(u8::is_ascii_whitespace)
    {
        return fail(pos, "text after the `</Event>` end tag");
    }
    Ok(())
}

fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or_default()
}

fn append_text<'a>(frame: &mut Frame<'a>, piece: Cow<'a, str>) {
    // Whitespace between child elements of a pretty-printed record is not text; a leaf keeps
    // its text exactly (it is only ever one piece unless comments or CDATA split it).
    frame.text = Some(match frame.text.take() {
        None => piece,
        Some(mut text) => {
            text.to_mut().push_str(&piece);
            text
        }
    });
}

/// The position of the first byte past `marker` at or after `from`.
fn skip_past(bytes: &[u8], from: usize, marker: &[u8]) -> Option<usize> {
    memmem::find(bytes.get(from..)?, marker).map(|at| from + at + marker.len())
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The end of an element or attribute name starting at `at`.
fn name_end(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| {
        !b.is_ascii_whitespace() && !matches!(b, b'>' | b'/' | b'=' | b'<' | b'\'' | b'"')
    }) {
        at += 1;
    }
    at
}

/// One `name='value'` at `at`: the name, the decoded value and the position after it.
fn attribute(text: &str, at: usize) -> Result<(&str, Cow<'_, str>, usize), XmlError> {
    let bytes = text.as_bytes();
    let end = name_end(bytes, at);
    if end == at {
        return fail(at, "malformed attribute");
    }
    let name = slice(text, at, end);
    let eq = skip_ws(bytes, end);
    if bytes.get(eq) != Some(&b'=') {
        return fail(at, "attribute without a value");
    }
    let quote_at = skip_ws(bytes, eq + 1);
    let quote = match bytes.get(quote_at) {
        Some(&q @ (b'\'' | b'"')) => q,
        _ => return fail(at, "unquoted attribute value"),
    };
    let close = memchr::memchr(quote, bytes.get(quote_at + 1..).unwrap_or_default())
        .map(|i| quote_at + 1 + i)
        .ok_or(XmlError {
            at,
            message: "unclosed attribute value",
        })?;
    Ok((name, decode(slice(text, quote_at + 1, close)), close + 1))
}

/// Decodes XML entities (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#N;`, `&#xH;`). An
/// unknown or malformed entity is kept as written.
pub(crate) fn decode(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(slice(text, 0, first));
    let mut rest = text.get(first..).unwrap_or_default();
    while let Some(amp) = rest.find('&') {
        out.push_str(slice(rest, 0, amp));
        let after = rest.get(amp + 1..).unwrap_or_default();
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = slice(after, 0, semi);
            let ch = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }
            }?;
            Some((ch, semi))
        });
        match decoded {
            Some((ch, semi)) => {
                out.push(ch);
                rest = after.get(semi + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Attributes that become fields.
fn start_attribute<'a>(
    frame: &mut Frame<'a>,
    depth: usize,
    attr: &'a str,
    value: Cow<'a, str>,
    names: &mut Names,
    event: &mut Event<'a>,
) {
    let known = names.known;
    let field = match (frame.section, depth, frame.name, attr) {
        (Section::EventData, 2, "Data", "Name") => {
            frame.data_name = Some(value);
            return;
        }
        (Section::System, 2, "TimeCreated", "SystemTime") => {
            event.set_time(Timestamp::parse(&value));
            known.system_time
        }
        (Section::System, 2, "Provider", "Name") => known.source_name,
        (Section::System, 2, "Provider", "Guid") => known.provider_guid,
        (Section::System, 2, "Execution", "ProcessID") => known.execution_process_id,
        (Section::System, 2, "Execution", "ThreadID") => known.execution_thread_id,
        (Section::System, 2, "Security", "UserID") => known.user_id,
        (Section::System, 2, "Correlation", "ActivityID") => known.activity_id,
        (Section::System, 2, "Correlation", "RelatedActivityID") => known.related_activity_id,
        _ => None,
    };
    if let Some(field) = field.filter(|_| !value.is_empty()) {
        event.push_raw(field, value);
    }
}

/// Text that becomes a field, at an element's end.
fn end_element<'a>(
    frame: Frame<'a>,
    stack: &[Frame<'a>],
    names: &mut Names,
    event: &mut Event<'a>,
) {
    let depth = stack.len();
    let Frame {
        name,
        section,
        has_child,
        data_name,
        text,
    } = frame;
    if depth == 0 {
        event.set_sourcetype(WINDOWS_SOURCETYPE);
    }
    let value = text.unwrap_or_default();
    if has_child || value.is_empty() {
        return;
    }
    let known = names.known;
    match (section, depth) {
        (Section::System, 2) => match name {
            "EventID" => {
                for field in [known.event_code, known.event_id].into_iter().flatten() {
                    event.push_raw(field, value.clone());
                }
            }
            "Channel" => {
                if let Some(field) = known.channel {
                    event.push_raw(field, value.clone());
                }
                set_channel(event, &value);
            }
            "Computer" => {
                if let Some(field) = known.computer {
                    event.push_raw(field, value.clone());
                }
                event.set_host(value);
            }
            _ => {
                if let Some(field) = names.resolve(name) {
                    event.push_raw(field, value);
                }
            }
        },
        (Section::EventData, 2) => {
            let field = match (name, data_name) {
                ("Data", Some(data_name)) => names.resolve(&data_name),
                ("Data", None) => known.data,
                (other, _) => names.resolve(other),
            };
            if let Some(field) = field {
                event.push_raw(field, value);
            }
        }
        (Section::Flatten, 3..) => {
            if let Some(field) = names.resolve(name) {
                event.push_raw(field, value);
            }
        }
        (Section::RenderingInfo, 2) if name == "Message" => {
            if let Some(field) = known.message {
                event.push_raw(field, value);
            }
        }
        _ => {}
    }
}

/// `source` from the channel: `XmlWinEventLog:<Channel>`, as the Windows add-on names it.
pub(crate) fn set_channel<'a>(event: &mut Event<'a>, channel: &str) {
    event.set_source(format!("XmlWinEventLog:{channel}"));
}

/// The sourcetype of every Windows shape (the corpus macros key on it and on `source`).
pub(crate) const WINDOWS_SOURCETYPE: &str = "XmlWinEventLog";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::read::dump;
    use crate::events::{FieldId, Projection};

    fn id(names: &Names, name: &str) -> FieldId {
        names.table.get(name).unwrap()
    }

    fn parse(text: &str) -> (Names, Result<Event<'_>, XmlError>) {
        let mut names = Names::new(crate::events::FieldTable::new(), Projection::all());
        let mut event = Event::new(text);
        let result = parse_event(text, &mut names, &mut event).map(|()| event);
        (names, result)
    }

    const SYSMON: &str = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f}'/><EventID>1</EventID><Level>4</Level><TimeCreated SystemTime='2019-04-27T15:57:53.368864000Z'/><EventRecordID>6577</EventRecordID><Correlation/><Execution ProcessID='1912' ThreadID='996'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>IEWIN7</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'/><Data Name='Image'>C:\\a &amp; b.exe</Data><Data Name='CommandLine'>x &lt;y&gt; &#174; &#xAE;</Data></EventData></Event>";

    #[test]
    fn system_and_event_data_fields() {
        let (names, event) = parse(SYSMON);
        let event = event.unwrap();
        assert_eq!(
            dump(&names, &event),
            [
                "SourceName=Microsoft-Windows-Sysmon",
                "ProviderGuid={5770385f}",
                "EventCode=1",
                "EventID=1",
                "Level=4",
                "SystemTime=2019-04-27T15:57:53.368864000Z",
                "EventRecordID=6577",
                "ProcessID=1912",
                "ThreadID=996",
                "Channel=Microsoft-Windows-Sysmon/Operational",
                "Computer=IEWIN7",
                "UserID=S-1-5-18",
                "Image=C:\\a & b.exe",
                "CommandLine=x <y> ® ®",
            ]
        );
        assert_eq!(
            event.source(),
            Some("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(event.sourcetype(), Some("XmlWinEventLog"));
        assert_eq!(event.host(), Some("IEWIN7"));
        assert_eq!(event.time().unwrap().nanos(), 1_556_380_673_368_864_000);
        // Values without entities are borrowed from the record.
        let level = id(&names, "Level");
        assert!(
            event
                .entries()
                .iter()
                .any(|e| e.field == level && matches!(e.value, Cow::Borrowed(_)))
        );
    }

    #[test]
    fn pretty_printed_unnamed_data_and_user_data() {
        let text = "<Event xmlns=\"x\">\n  <System>\n    <EventID Qualifiers=\"0\">104</EventID>\n    <Channel>System</Channel>\n  </System>\n  <EventData>\n    <Data>one</Data>\n    <Data>two</Data>\n    <Binary>00FF</Binary>\n  </EventData>\n  <UserData>\n    <LogFileCleared xmlns=\"y\">\n      <SubjectUserName>bob</SubjectUserName>\n      <!-- c --><Nested><Deep>v</Deep></Nested>\n    </LogFileCleared>\n  </UserData>\n</Event>";
        let (names, event) = parse(text);
        let event = event.unwrap();
        assert_eq!(
            dump(&names, &event),
            [
                "EventCode=104",
                "EventID=104",
                "Channel=System",
                "Data=one|two",
                "Binary=00FF",
                "SubjectUserName=bob",
                "Deep=v"
            ]
        );
        assert_eq!(event.host(), None);
    }

    #[test]
    fn malformed_records_are_errors_not_panics() {
        for bad in [
            "<Event><System></Event>",
            "<Event><System>",
            "<Event a='1>",
            "<Event><Data Name=x>1</Data></Event>",
            "<NotEvent/>",
            "<Event></Event>trailing",
            "<Event><!-- </Event>",
            "</Event>",
            "<Event><",
        ] {
            assert!(parse(bad).1.is_err(), "{bad}");
        }
        assert!(parse("<Event/>").1.is_ok());
    }

    #[test]
    fn entities() {
        assert_eq!(decode("a &amp;&amp; b"), "a && b");
        assert_eq!(
            decode("&bogus; &#xZZ; & &#1114112;"),
            "&bogus; &#xZZ; & &#1114112;"
        );
        assert!(matches!(decode("plain"), Cow::Borrowed("plain")));
    }
}
