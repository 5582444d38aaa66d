//! `K004`: a lookup's CSV needs a header row, and every row exactly as many columns as the
//! header (Python `csv` dialect: comma, `"` quoting). Reported at the row, in the CSV file.
//!
//! ```text
//! domain,ioc
//! evil.com,yes,extra      <- 3 columns, header has 2
//! ```

use crate::content::Format;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::validate::Context;

fn check_csv(context: &Context<'_>, file: FileId, path: &str, out: &mut Vec<Diagnostic>) {
    let Some(source) = context.sources.get(file) else {
        return;
    };
    let text = source.text();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // One reused byte record: no allocation or UTF-8 check per row.
    let mut record = csv::ByteRecord::new();
    let header_width = match reader.read_byte_record(&mut record) {
        Ok(true) => record.len(),
        Err(error) => {
            out.push(Diagnostic::new(
                Code::K004,
                at(file, error.position()),
                format!("cannot read the header of `{path}`: {error}"),
            ));
            return;
        }
        Ok(false) => {
            out.push(Diagnostic::new(
                Code::K004,
                Span::file_start(file),
                format!("`{path}` has no header row"),
            ));
            return;
        }
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) if record.len() != header_width => {
                let line = record.position().map_or(0, csv::Position::line);
                out.push(Diagnostic::new(
                    Code::K004,
                    at(file, record.position()),
                    format!(
                        "row {line} should have {header_width} columns, but has {}",
                        record.len()
                    ),
                ));
            }
            Ok(true) => {}
            Err(error) => {
                out.push(Diagnostic::new(
                    Code::K004,
                    at(file, error.position()),
                    format!("cannot read `{path}`: {error}"),
                ));
                return;
            }
        }
    }
}

/// Reports CSVs with no header or rows of the wrong width.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for lookup in &context.content.lookups {
        let path = match lookup.meta.format {
            Format::V4 => match lookup.filename.as_str() {
                Some(filename) if filename.ends_with(".csv") => format!("lookups/{filename}"),
                _ => continue,
            },
            Format::V5 if lookup.lookup_type.as_str() == Some("csv") => {
                let stem = lookup
                    .meta
                    .relative_path
                    .strip_suffix(".yml")
                    .unwrap_or(&lookup.meta.relative_path);
                format!("{stem}.csv")
            }
            Format::V5 => continue,
        };
        let Some(file) = context
            .content
            .lookup_files
            .iter()
            .find(|data| data.relative_path == path)
            .and_then(|data| data.file)
        else {
            continue;
        };
        check_csv(context, file, &path, out);
    }
}

/// An empty span at the byte where the CSV reader stood (the file's start when it does not say).
fn at(file: FileId, position: Option<&csv::Position>) -> Span {
    let offset = position.map_or(0, |position| usize::try_from(position.byte()).unwrap_or(0));
    Span::new(file, offset, offset)
}
