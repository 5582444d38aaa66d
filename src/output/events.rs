//! Renderers of normalized events (`detc events`): one JSON object per line, or a
//! tab-separated table, and the read summary for stderr.
//!
//! JSON shape, keys in this order:
//! `{"_time","source","sourcetype","host","datasets":[...],"raw":{...},"cim":{...}}`, where
//! `raw` and `cim` map each field, in the order the record (then normalization) gave it, to a
//! string, or to a list of strings for a multivalue. `_time` is epoch seconds with six decimals,
//! as Splunk shows it; `_raw` is left out unless asked for with `--fields _raw`.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::events::read::ReadSummary;
use crate::events::{DatasetTable, Event, FieldId, FieldTable, Origin};

/// Which fields to print.
#[derive(Clone, Debug, Default)]
pub struct FieldFilter {
    /// `None`: every raw and CIM field (no `_raw`). `Some`: only these names, also among the
    /// reserved ones (`_raw`, `_time`, `source`, `sourcetype`, `host`).
    pub only: Option<Vec<String>>,
}

impl FieldFilter {
    fn wants(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|names| names.iter().any(|wanted| wanted == name))
    }

    fn wants_reserved(&self, name: &str) -> bool {
        match &self.only {
            None => name != "_raw",
            Some(names) => names.iter().any(|wanted| wanted == name),
        }
    }
}

/// Names for ids, as the reader and the normalizer interned them.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    /// Field names.
    pub fields: &'a FieldTable,
    /// Dataset names.
    pub datasets: &'a DatasetTable,
}

/// The event as one JSON object (see the module documentation).
#[must_use]
pub fn event_json(event: &Event<'_>, names: Names<'_>, filter: &FieldFilter) -> Value {
    let mut object = Map::new();
    if filter.wants_reserved("_time")
        && let Some(time) = event.time()
    {
        object.insert("_time".into(), Value::String(time.to_string()));
    }
    if filter.wants_reserved("_raw") {
        object.insert("_raw".into(), Value::String(event.raw().to_string()));
    }
    for (name, value) in [
        ("source", event.source()),
        ("sourcetype", event.sourcetype()),
        ("host", event.host()),
    ] {
        if filter.wants_reserved(name)
            && let Some(value) = value
        {
            object.insert(name.into(), Value::String(value.to_string()));
        }
    }
    let datasets = event
        .datasets()
        .iter()
        .map(|id| names.datasets.name(*id))
        .collect::<Vec<_>>();
    let mut sorted = datasets;
    sorted.sort_unstable();
    object.insert(
        "datasets".into(),
        Value::Array(
            sorted
                .into_iter()
                .map(|name| Value::String(name.into()))
                .collect(),
        ),
    );
    for (key, origin) in [("raw", Origin::Raw), ("cim", Origin::Cim)] {
        let mut fields = Map::new();
        for field in event.fields().filter(|field| field.origin == origin) {
            let name = names.fields.name(field.field);
            if !filter.wants(name) {
                continue;
            }
            let mut values: Vec<Value> = field
                .values()
                .map(|value| Value::String(value.to_string()))
                .collect();
            let value = if values.len() == 1 {
                values.pop().unwrap_or(Value::Null)
            } else {
                Value::Array(values)
            };
            fields.insert(name.to_string(), value);
        }
        object.insert(key.into(), Value::Object(fields));
    }
    Value::Object(object)
}

/// Writes the event as one JSON line.
///
/// # Errors
/// Writing fails.
pub fn write_jsonl(
    event: &Event<'_>,
    names: Names<'_>,
    filter: &FieldFilter,
    out: &mut dyn Write,
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &event_json(event, names, filter))?;
    writeln!(out)
}

/// Table columns when `--fields` is not given.
pub const DEFAULT_TABLE_COLUMNS: &[&str] = &["_time", "sourcetype", "host", "datasets"];

/// The header line of the table.
///
/// # Errors
/// Writing fails.
pub fn write_table_header(columns: &[String], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", columns.join("\t"))
}

/// One event as a table row: per column, its values joined with `|` (CIM values after raw
/// ones); tabs and newlines inside values become spaces so a row stays one line.
///
/// # Errors
/// Writing fails.
pub fn write_table_row(
    event: &Event<'_>,
    names: Names<'_>,
    columns: &[String],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut cells = Vec::with_capacity(columns.len());
    for column in columns {
        let cell = match column.as_str() {
            "_time" => event
                .time()
                .map(|time| time.to_string())
                .unwrap_or_default(),
            "datasets" => {
                let mut datasets: Vec<&str> = event
                    .datasets()
                    .iter()
                    .map(|id| names.datasets.name(*id))
                    .collect();
                datasets.sort_unstable();
                datasets.join("|")
            }
            name => match names.fields.get(name) {
                Some(id) => values_of(event, id).join("|"),
                None => String::new(),
            },
        };
        cells.push(cell.replace(['\t', '\n', '\r'], " "));
    }
    writeln!(out, "{}", cells.join("\t"))
}

fn values_of<'e>(event: &'e Event<'_>, id: FieldId) -> Vec<&'e str> {
    event.values(id).collect()
}

/// The read summary, for stderr:
///
/// ```text
/// read 1,608 events from 3 files (2.4 MB): xml 1,608
///   source XmlWinEventLog:Microsoft-Windows-Sysmon/Operational: 1,608
///   dataset Endpoint.Processes: 120
/// 1 bad record: R001 truncated-xml 1
///   xml/bad_truncated.xml.gz: R001 at byte 27,123: ...
/// ```
///
/// `datasets` are the normalized events per dataset. Bad records beyond the first thousand
/// are counted but not listed (the summary says so).
///
/// # Errors
/// Writing fails.
pub fn write_read_summary(
    summary: &ReadSummary,
    datasets: &[(&str, u64)],
    out: &mut dyn Write,
) -> io::Result<()> {
    let formats: Vec<String> = summary
        .by_format
        .iter()
        .map(|(format, count)| format!("{format} {}", thousands(*count)))
        .collect();
    write!(
        out,
        "read {} event{} from {} file{} ({})",
        thousands(summary.events()),
        plural(summary.events()),
        thousands(summary.files),
        plural(summary.files),
        megabytes(summary.bytes)
    )?;
    if formats.is_empty() {
        writeln!(out)?;
    } else {
        writeln!(out, ": {}", formats.join(", "))?;
    }
    for (source, count) in &summary.by_source {
        let source = source.as_deref().unwrap_or("(no source)");
        writeln!(out, "  source {source}: {}", thousands(*count))?;
    }
    for (dataset, count) in datasets {
        writeln!(out, "  dataset {dataset}: {}", thousands(*count))?;
    }
    let bad = summary.bad_records();
    if bad == 0 {
        return Ok(());
    }
    let reasons: Vec<String> = summary
        .bad_by_reason
        .iter()
        .map(|(reason, count)| {
            let code = reason.code();
            format!(
                "{} {} {}",
                code.as_str(),
                code.info().name,
                thousands(*count)
            )
        })
        .collect();
    writeln!(
        out,
        "{} bad record{}: {}",
        thousands(bad),
        plural(bad),
        reasons.join(", ")
    )?;
    for record in &summary.bad {
        writeln!(out, "  {record}")?;
    }
    let listed = summary.bad.len() as u64;
    if listed < bad {
        writeln!(out, "  ... and {} more not listed", thousands(bad - listed))?;
    }
    Ok(())
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// `1234567` → `1,234,567`.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn megabytes(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss, reason = "a size for display")]
    let megabytes = bytes as f64 / 1_000_000.0;
    if megabytes >= 0.1 {
        format!("{megabytes:.1} MB")
    } else {
        format!("{} bytes", thousands(bytes))
    }
}
