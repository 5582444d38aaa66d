//! Rendering `detc run` results: rows as a table (people), JSON lines or CSV, and the summary.

use std::io::{self, Write};

use crate::runtime::Row;

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
    /// Whether its search reads the search time (`now()`, `relative_time`).
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
        writeln!(out, "== {} ({} rows)", result.name, result.rows.len())?;
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

/// The run summary: rows per detection, the detections that saw no event of their data model
/// or source, and the `--now latest` hint when a time condition left nothing.
///
/// # Errors
/// Writing fails.
pub fn write_summary(
    results: &[DetectionRows],
    now_defaulted: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
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
    if now_defaulted && !emptied_by_time.is_empty() {
        writeln!(
            out,
            "hint: {} detection(s) matched events but returned no row, and their search compares \
             times with now(): if the events are older than the current time, try --now latest",
            emptied_by_time.len()
        )?;
    }
    let total: usize = results.iter().map(|r| r.rows.len()).sum();
    writeln!(out, "{total} row(s) from {} detection(s)", results.len())
}
