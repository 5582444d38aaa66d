//! Rendering `detc run` results: rows as a table (people), JSON lines or CSV, and the summary.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::events::Timestamp;
use crate::runtime::Row;

/// Where a `detc run` setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A flag.
    CommandLine,
    /// The `[run]` table of the content root's `detc.toml`.
    File,
    /// Neither: the default.
    Default,
}

/// The settings a run used, as the summary shows them.
#[derive(Clone, Debug)]
pub struct RunSettingsShown {
    /// The search time used.
    pub now: Timestamp,
    /// Whether it was asked for as `latest` (the newest event).
    pub latest: bool,
    /// The newest event read, if any had a time.
    pub newest: Option<Timestamp>,
    /// Where the search time setting came from.
    pub now_origin: Origin,
    /// The asset list, and where that setting came from.
    pub assets: Option<(PathBuf, Origin)>,
}

/// `2021-06-11T09:33:00Z`, `2026-11-20T14:00:00.75Z`: RFC 3339 in UTC, with the fraction's
/// digits only as far as they are not zero.
fn rfc3339(time: Timestamp) -> String {
    let text = time.to_windows_string();
    let body = text.strip_suffix('Z').unwrap_or(&text);
    let body = body.trim_end_matches('0').trim_end_matches('.');
    format!("{body}Z")
}

/// `now: 2021-06-11T09:33:00Z (latest event; from detc.toml)` and, with an asset list,
/// `assets: samples/assets.csv (from detc.toml)`.
fn write_settings(settings: &RunSettingsShown, out: &mut dyn Write) -> io::Result<()> {
    let origin = |origin: Origin| match origin {
        Origin::CommandLine => Some("from the command line"),
        Origin::File => Some("from detc.toml"),
        Origin::Default => None,
    };
    let what = match (settings.latest, settings.newest) {
        (true, Some(_)) => "latest event",
        (true, None) => "current time: no event had a time",
        (false, _) if settings.now_origin == Origin::Default => "current time",
        (false, _) => "",
    };
    let notes: Vec<&str> = [Some(what), origin(settings.now_origin)]
        .into_iter()
        .flatten()
        .filter(|note| !note.is_empty())
        .collect();
    writeln!(out, "now: {} ({})", rfc3339(settings.now), notes.join("; "))?;
    if let Some((path, from)) = &settings.assets {
        match origin(*from) {
            Some(from) => writeln!(out, "assets: {} ({from})", path.display())?,
            None => writeln!(out, "assets: {}", path.display())?,
        }
    }
    Ok(())
}

/// One detection's result.
#[derive(Clone, Debug)]
pub struct DetectionRows {
    /// The detection's name.
    pub name: String,
    /// Its rows, in Splunk's order.
    pub rows: Vec<Row>,
    /// Events that passed its routing (data model or source).
    pub routed: u64,
    /// Events that matched its predicate.
    pub matched: u64,
    /// Whether a stage of its plan reads the search time ([`crate::plan::Plan::reads_now`]).
    pub time_relative: bool,
}

/// The columns of some rows: every field, in order of first appearance.
fn columns(rows: &[Row]) -> Vec<&str> {
    let mut columns: Vec<&str> = Vec::new();
    for row in rows {
        for (name, _) in row.cells() {
            if !columns.contains(&name.as_str()) {
                columns.push(name);
            }
        }
    }
    columns
}

/// A block per detection: its name and row count, then aligned columns.
///
/// # Errors
/// Writing fails.
pub fn write_table(results: &[DetectionRows], out: &mut dyn Write) -> io::Result<()> {
    for (index, result) in results.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "== {} ({})",
            result.name,
            super::count(result.rows.len(), "row")
        )?;
        if result.rows.is_empty() {
            continue;
        }
        let columns = columns(&result.rows);
        let cells: Vec<Vec<String>> = result
            .rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|column| {
                        row.get(column)
                            .map(|values| values.join(", "))
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(at, column)| {
                cells
                    .iter()
                    .filter_map(|row| row.get(at))
                    .map(|cell| cell.chars().count())
                    .chain(std::iter::once(column.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |values: Vec<&str>| -> String {
            values
                .iter()
                .zip(&widths)
                .map(|(value, width)| format!("{value:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        };
        writeln!(out, "{}", line(columns.clone()))?;
        for row in &cells {
            writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
    }
    Ok(())
}

/// A value for JSON: a number when the text is a JSON number, else a string.
fn json_value(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(number) if number.to_string() == text || text.parse::<f64>().is_ok() => {
            serde_json::Value::Number(number)
        }
        _ => serde_json::Value::String(text.to_owned()),
    }
}

/// One JSON object per row, `{"detection": NAME, FIELD: VALUE, …}` in the row's field order,
/// multivalues as arrays, numbers as numbers.
///
/// # Errors
/// Writing fails.
pub fn write_jsonl(results: &[DetectionRows], out: &mut dyn Write) -> io::Result<()> {
    for result in results {
        for row in &result.rows {
            write!(
                out,
                "{{\"detection\":{}",
                serde_json::Value::String(result.name.clone())
            )?;
            for (name, values) in row.cells() {
                let value = match values.as_slice() {
                    [single] => json_value(single),
                    many => serde_json::Value::Array(many.iter().map(|v| json_value(v)).collect()),
                };
                write!(out, ",{}:{value}", serde_json::Value::String(name.clone()))?;
            }
            writeln!(out, "}}")?;
        }
    }
    Ok(())
}

/// CSV as Splunk exports it: a header, multivalues joined by newlines; a leading `detection`
/// column names each row's detection.
///
/// # Errors
/// Writing fails.
pub fn write_csv(results: &[DetectionRows], out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<Row> = results
        .iter()
        .flat_map(|r| r.rows.iter().cloned())
        .collect();
    let columns = columns(&all);
    let mut writer = csv::Writer::from_writer(out);
    let header = std::iter::once("detection").chain(columns.iter().copied());
    writer.write_record(header).map_err(io::Error::other)?;
    for result in results {
        for row in &result.rows {
            let record = std::iter::once(result.name.clone()).chain(columns.iter().map(|column| {
                row.get(column)
                    .map(|values| values.join("\n"))
                    .unwrap_or_default()
            }));
            writer.write_record(record).map_err(io::Error::other)?;
        }
    }
    writer.flush()
}

/// The run summary: the settings used, rows per detection, the detections that saw no event
/// of their data model or source, and the `--now latest` hint when a time condition left
/// nothing because every event is older than the search time.
///
/// # Errors
/// Writing fails.
pub fn write_summary(
    results: &[DetectionRows],
    settings: &RunSettingsShown,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_settings(settings, out)?;
    writeln!(out, "rows per detection:")?;
    for result in results {
        writeln!(out, "  {:>6}  {}", result.rows.len(), result.name)?;
    }
    let unseen: Vec<&DetectionRows> = results.iter().filter(|r| r.routed == 0).collect();
    if !unseen.is_empty() {
        writeln!(
            out,
            "{} detection(s) saw no event of their data model or source:",
            unseen.len()
        )?;
        for result in unseen {
            writeln!(out, "  {}", result.name)?;
        }
    }
    let emptied_by_time: Vec<&DetectionRows> = results
        .iter()
        .filter(|r| r.matched > 0 && r.rows.is_empty() && r.time_relative)
        .collect();
    let older = settings
        .newest
        .filter(|newest| !settings.latest && *newest < settings.now);
    if let (Some(newest), false) = (older, emptied_by_time.is_empty()) {
        writeln!(
            out,
            "hint: {} detection(s) matched events but returned no row, and their search compares \
             times with now(); every event is older than now (the newest is {}): to search as of \
             the newest event, try --now latest",
            emptied_by_time.len(),
            rfc3339(newest)
        )?;
        for result in emptied_by_time {
            writeln!(out, "  {}", result.name)?;
        }
    }
    let total: usize = results.iter().map(|r| r.rows.len()).sum();
    writeln!(
        out,
        "{} from {}",
        super::count(total, "row"),
        super::count(results.len(), "detection")
    )
}
