//! Events: the normalized event type, the readers that stream it out of log exports, CIM
//! normalization from the data sources' mappings ([`normalize`]) and asset enrichment ([`assets`]).
//!
//! [`Event`] is Splunk's view of one record (`_time`, `_raw`, `source`, `sourcetype`, `host`,
//! raw vendor fields, CIM fields, data model membership), with field names interned to
//! [`FieldId`]s and values borrowed from the read buffer (see `event.rs` for the design).

pub mod assets;
mod event;
mod names;
pub mod normalize;
pub mod read;
mod time;

pub use event::{Entry, Event, EventScratch, FieldValues, Origin};
pub use names::{DatasetId, DatasetTable, FieldId, FieldTable, Projection};
pub use read::{
    BadReason, BadRecord, EventFormat, EventSink, InputFormat, ReadConfig, ReadError, ReadSummary,
    Reader, input_files,
};
pub use time::Timestamp;
/// The proleptic Gregorian calendar, shared with `runtime::eval`'s `strftime` and `strptime`.
pub(crate) use time::{civil_from_days, days_from_civil};
