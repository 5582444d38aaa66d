//! The normalized event: what every reader produces and what CIM normalization and detections read.
//!
//! # Design
//!
//! An event is Splunk's view of one record: `_time`, `_raw`, `source`, `sourcetype`, `host`, then
//! fields, each with one or more string values. It is built for throughput:
//!
//! - **No names in events.** A field is a [`FieldId`] interned in a shared [`FieldTable`];
//!   dataset membership is a sorted list of [`DatasetId`]s.
//! - **Borrowed values.** Values are `Cow<'buf, str>`: a slice of the reader's record buffer
//!   when the text needs no decoding (most JSON strings and XML text), owned only when an
//!   escape or entity had to be decoded, or when CIM normalization computes a value.
//! - **A flat entry list, not a map.** Fields are a `Vec` of `(id, origin, value)` entries in
//!   insertion order. A multivalue field is several entries with the same id. An event has a
//!   few dozen entries, so a linear scan over `u32` ids beats hashing, and the vector is
//!   recycled from event to event through [`EventScratch`], so steady-state reading allocates
//!   only for decoded values.
//! - **Raw and CIM side by side.** Each entry says whether it came from the record
//!   ([`Origin::Raw`], vendor names such as `Image`) or from normalization ([`Origin::Cim`],
//!   such as `process_name`). A CIM field never replaces a raw one, even under the same name;
//!   lookups can ask for either or both.
//! - **Projection** lives in the reader (see [`crate::events::Projection`]): fields nobody reads
//!   are never stored.
//!
//! The reserved fields have slots of their own (so `source` is never scanned for) but are also
//! reachable through [`Event::values`] by their reserved ids, like any field.

use std::borrow::Cow;

use super::names::{DatasetId, FieldId};
use super::time::Timestamp;

/// Where a field's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// Read from the record under the vendor's name.
    Raw,
    /// Added by CIM normalization.
    Cim,
}

/// One value of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'buf> {
    /// The field.
    pub field: FieldId,
    /// Raw or CIM.
    pub origin: Origin,
    /// The value (borrowed from the read buffer where possible).
    pub value: Cow<'buf, str>,
}

/// A normalized event. See the module documentation for the design.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Event<'buf> {
    time: Option<Timestamp>,
    raw: Cow<'buf, str>,
    source: Option<Cow<'buf, str>>,
    sourcetype: Option<Cow<'buf, str>>,
    host: Option<Cow<'buf, str>>,
    entries: Vec<Entry<'buf>>,
    datasets: Vec<DatasetId>,
}

impl<'buf> Event<'buf> {
    /// An empty event over `raw`.
    #[must_use]
    pub fn new(raw: impl Into<Cow<'buf, str>>) -> Self {
        Event {
            raw: raw.into(),
            ..Event::default()
        }
    }

    /// `_time`, if the record had one that parsed.
    #[must_use]
    pub fn time(&self) -> Option<Timestamp> {
        self.time
    }

    /// Sets `_time`.
    pub fn set_time(&mut self, time: Option<Timestamp>) {
        self.time = time;
    }

    /// `_raw`: the record text as read (one XML `<Event>`, one JSON line or object, one TSV line).
    #[must_use]
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Replaces `_raw`.
    pub fn set_raw(&mut self, raw: impl Into<Cow<'buf, str>>) {
        self.raw = raw.into();
    }

    /// `source`, e.g. `XmlWinEventLog:Microsoft-Windows-Sysmon/Operational`.
    #[must_use]
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Sets `source`.
    pub fn set_source(&mut self, source: impl Into<Cow<'buf, str>>) {
        self.source = Some(source.into());
    }

    /// `sourcetype`, e.g. `XmlWinEventLog`.
    #[must_use]
    pub fn sourcetype(&self) -> Option<&str> {
        self.sourcetype.as_deref()
    }

    /// Sets `sourcetype`.
    pub fn set_sourcetype(&mut self, sourcetype: impl Into<Cow<'buf, str>>) {
        self.sourcetype = Some(sourcetype.into());
    }

    /// `host`: the reporting machine.
    #[must_use]
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// Sets `host`.
    pub fn set_host(&mut self, host: impl Into<Cow<'buf, str>>) {
        self.host = Some(host.into());
    }

    /// Adds one value of a raw (vendor-named) field; call again for a multivalue.
    pub fn push_raw(&mut self, field: FieldId, value: impl Into<Cow<'buf, str>>) {
        self.push(field, Origin::Raw, value);
    }

    /// Adds one value of a CIM field; call again for a multivalue. Raw fields of the same name
    /// stay as they are.
    pub fn push_cim(&mut self, field: FieldId, value: impl Into<Cow<'buf, str>>) {
        self.push(field, Origin::Cim, value);
    }

    /// Adds one value of `field` from `origin`.
    pub fn push(&mut self, field: FieldId, origin: Origin, value: impl Into<Cow<'buf, str>>) {
        self.entries.push(Entry {
            field,
            origin,
            value: value.into(),
        });
    }

    /// Replaces the first value of `field` from `origin` in place (keeping the field's position),
    /// or adds it when there is none.
    pub fn set_value(&mut self, field: FieldId, origin: Origin, value: impl Into<Cow<'buf, str>>) {
        match self
            .entries
            .iter_mut()
            .find(|entry| entry.field == field && entry.origin == origin)
        {
            Some(entry) => entry.value = value.into(),
            None => self.push(field, origin, value),
        }
    }

    /// Removes every value of `field` from `origin` (to replace a CIM value computed earlier).
    pub fn remove(&mut self, field: FieldId, origin: Origin) {
        self.entries
            .retain(|entry| entry.field != field || entry.origin != origin);
    }

    /// Every value of `field`, raw values and CIM values in insertion order. For a reserved id,
    /// its slot (`_time` as epoch seconds is not a borrowed string, so `_time` yields nothing
    /// here: use [`Event::time`]).
    pub fn values(&self, field: FieldId) -> impl Iterator<Item = &str> + '_ {
        let reserved = match field {
            FieldId::RAW => Some(self.raw()),
            FieldId::SOURCE => self.source(),
            FieldId::SOURCETYPE => self.sourcetype(),
            FieldId::HOST => self.host(),
            _ => None,
        };
        let scan = if field.is_reserved() {
            &[][..]
        } else {
            &self.entries[..]
        };
        reserved.into_iter().chain(
            scan.iter()
                .filter(move |entry| entry.field == field)
                .map(|entry| entry.value.as_ref()),
        )
    }

    /// Every value of `field` from `origin` only.
    pub fn values_from(&self, field: FieldId, origin: Origin) -> impl Iterator<Item = &str> + '_ {
        self.entries
            .iter()
            .filter(move |entry| entry.field == field && entry.origin == origin)
            .map(|entry| entry.value.as_ref())
    }

    /// The first value of `field` (see [`Event::values`]).
    #[must_use]
    pub fn first(&self, field: FieldId) -> Option<&str> {
        self.values(field).next()
    }

    /// Whether `field` has at least one value.
    #[must_use]
    pub fn has(&self, field: FieldId) -> bool {
        self.first(field).is_some()
    }

    /// Every entry in insertion order (the order the record gave, then CIM additions).
    #[must_use]
    pub fn entries(&self) -> &[Entry<'buf>] {
        &self.entries
    }

    /// Fields grouped: one item per (field, origin) in order of first appearance, with all its
    /// values in order. Deterministic for a given record.
    pub fn fields(&self) -> impl Iterator<Item = FieldValues<'_, 'buf>> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let earlier = self.entries.get(..index).unwrap_or_default();
                let first = !earlier
                    .iter()
                    .any(|e| e.field == entry.field && e.origin == entry.origin);
                first.then(|| FieldValues {
                    field: entry.field,
                    origin: entry.origin,
                    rest: self.entries.get(index..).unwrap_or_default(),
                })
            })
    }

    /// Adds the event to a data model dataset (no effect if already a member).
    pub fn add_dataset(&mut self, dataset: DatasetId) {
        if let Err(at) = self.datasets.binary_search(&dataset) {
            self.datasets.insert(at, dataset);
        }
    }

    /// Whether the event is in `dataset`.
    #[must_use]
    pub fn in_dataset(&self, dataset: DatasetId) -> bool {
        self.datasets.binary_search(&dataset).is_ok()
    }

    /// The datasets the event is in, sorted by id.
    #[must_use]
    pub fn datasets(&self) -> &[DatasetId] {
        &self.datasets
    }

    /// Turns every borrowed value into an owned one, so the event outlives the read buffer.
    #[must_use]
    pub fn into_owned(self) -> Event<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Event {
            time: self.time,
            raw: own(self.raw),
            source: self.source.map(own),
            sourcetype: self.sourcetype.map(own),
            host: self.host.map(own),
            entries: self
                .entries
                .into_iter()
                .map(|entry| Entry {
                    field: entry.field,
                    origin: entry.origin,
                    value: own(entry.value),
                })
                .collect(),
            datasets: self.datasets,
        }
    }
}

/// One field of an event with all its values (from [`Event::fields`]).
#[derive(Clone, Debug)]
pub struct FieldValues<'e, 'buf> {
    /// The field.
    pub field: FieldId,
    /// Raw or CIM.
    pub origin: Origin,
    rest: &'e [Entry<'buf>],
}

impl<'e> FieldValues<'e, '_> {
    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &'e str> + 'e {
        let (field, origin) = (self.field, self.origin);
        self.rest
            .iter()
            .filter(move |entry| entry.field == field && entry.origin == origin)
            .map(|entry| entry.value.as_ref())
    }
}

/// Allocation kept from one event to the next (one per reader, like regex-automata's `Cache`).
///
/// [`EventScratch::event`] hands out an empty event whose vectors reuse the capacity that
/// [`EventScratch::recycle`] took back from the previous one, whatever its buffer lifetime was.
#[derive(Debug, Default)]
pub struct EventScratch {
    entries: Vec<Entry<'static>>,
    datasets: Vec<DatasetId>,
}

impl EventScratch {
    /// An empty event over `raw`, reusing the recycled vectors.
    pub fn event<'buf>(&mut self, raw: impl Into<Cow<'buf, str>>) -> Event<'buf> {
        Event {
            raw: raw.into(),
            entries: relifetime(std::mem::take(&mut self.entries)),
            datasets: std::mem::take(&mut self.datasets),
            ..Event::default()
        }
    }

    /// Takes back the vectors of an event that is done with.
    pub fn recycle(&mut self, event: Event<'_>) {
        self.entries = relifetime(event.entries);
        let mut datasets = event.datasets;
        datasets.clear();
        self.datasets = datasets;
    }
}

/// Empties `entries` and gives its allocation a new lifetime. `Vec<Entry<'a>>` and
/// `Vec<Entry<'b>>` have the same layout, so the standard library's in-place collection reuses
/// the buffer (no `unsafe`: the iterator is empty, the closure never runs).
fn relifetime<'b>(mut entries: Vec<Entry<'_>>) -> Vec<Entry<'b>> {
    entries.clear();
    entries.into_iter().map_while(|_| None).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::names::{DatasetTable, FieldTable};

    #[test]
    fn raw_and_cim_fields_side_by_side() {
        let mut table = FieldTable::new();
        let image = table.intern("Image");
        let user = table.intern("user");
        let buffer = String::from(r#"{"Image":"C:\\cmd.exe","user":"CORP\\bob"}"#);
        let mut event = Event::new(buffer.as_str());
        event.push_raw(image, &buffer[10..20]);
        event.push_raw(user, "CORP\\bob");
        event.push_cim(user, String::from("bob"));
        assert_eq!(event.values(user).collect::<Vec<_>>(), ["CORP\\bob", "bob"]);
        assert_eq!(
            event.values_from(user, Origin::Cim).collect::<Vec<_>>(),
            ["bob"]
        );
        assert_eq!(event.first(image), Some(&buffer[10..20]));
        assert!(matches!(event.entries()[0].value, Cow::Borrowed(_)));
        event.remove(user, Origin::Cim);
        assert_eq!(event.values(user).collect::<Vec<_>>(), ["CORP\\bob"]);
    }

    #[test]
    fn reserved_fields_through_values() {
        let mut event = Event::new("<Event/>");
        assert_eq!(event.first(FieldId::SOURCE), None);
        event.set_source("XmlWinEventLog:Security");
        event.set_sourcetype("XmlWinEventLog");
        event.set_host("dc01");
        event.set_time(Timestamp::parse("2020-01-01T00:00:00Z"));
        assert_eq!(
            event.first(FieldId::SOURCE),
            Some("XmlWinEventLog:Security")
        );
        assert_eq!(event.first(FieldId::SOURCETYPE), Some("XmlWinEventLog"));
        assert_eq!(event.first(FieldId::HOST), Some("dc01"));
        assert_eq!(event.first(FieldId::RAW), Some("<Event/>"));
        assert_eq!(event.time().unwrap().to_string(), "1577836800.000000");
    }

    #[test]
    fn fields_group_multivalues_in_first_appearance_order() {
        let mut table = FieldTable::new();
        let a = table.intern("a");
        let b = table.intern("b");
        let mut event = Event::new("");
        event.push_raw(b, "1");
        event.push_raw(a, "x");
        event.push_raw(b, "2");
        event.push_cim(a, "y");
        let grouped: Vec<_> = event
            .fields()
            .map(|f| {
                (
                    table.name(f.field),
                    f.origin,
                    f.values().collect::<Vec<_>>(),
                )
            })
            .collect();
        assert_eq!(
            grouped,
            [
                ("b", Origin::Raw, vec!["1", "2"]),
                ("a", Origin::Raw, vec!["x"]),
                ("a", Origin::Cim, vec!["y"]),
            ]
        );
    }

    #[test]
    fn datasets_are_a_sorted_set() {
        let mut datasets = DatasetTable::new();
        let processes = datasets.intern("Endpoint.Processes").unwrap();
        let traffic = datasets.intern("Network_Traffic.All_Traffic").unwrap();
        let mut event = Event::new("");
        event.add_dataset(traffic);
        event.add_dataset(processes);
        event.add_dataset(traffic);
        assert_eq!(event.datasets(), [processes, traffic]);
        assert!(event.in_dataset(processes));
    }

    #[test]
    fn scratch_reuses_capacity_across_buffers() {
        let mut scratch = EventScratch::default();
        let id = FieldTable::new().intern("f");
        let capacity = {
            let first = String::from("one");
            let mut event = scratch.event(first.as_str());
            for _ in 0..100 {
                event.push_raw(id, &first[..]);
            }
            let capacity = event.entries.capacity();
            scratch.recycle(event);
            capacity
        };
        let second = String::from("two");
        let event = scratch.event(second.as_str());
        assert!(event.entries().is_empty());
        assert_eq!(event.entries.capacity(), capacity);
        let owned: Event<'static> = event.into_owned();
        assert_eq!(owned.raw(), "two");
    }
}
