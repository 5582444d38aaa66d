//! CSV lookups of the content tree, for the `lookup` command: exact, case-sensitive matching
//! (Splunk's `case_sensitive_match` defaults to true; WILDCARD and CIDR match types are not
//! done), at most 100 matching rows, outputs multivalued in file order (spl-semantics.md 2.6).

use std::collections::HashMap;

use super::row::Row;
use crate::content::Loaded;

/// Most matching lookup rows used (Splunk's `max_matches` default for a lookup that is not
/// time-based).
const MAX_MATCHES: usize = 100;

/// One CSV lookup table.
#[derive(Clone, Debug, Default)]
pub struct LookupTable {
    /// The header.
    pub columns: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<String>>,
}

impl LookupTable {
    /// Parses CSV text (a header line, then rows).
    ///
    /// # Errors
    /// The CSV does not parse.
    pub fn parse(text: &str) -> Result<LookupTable, csv::Error> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns = reader.headers()?.iter().map(str::to_owned).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(record?.iter().map(str::to_owned).collect());
        }
        Ok(LookupTable { columns, rows })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column == name)
    }
}

/// The lookups a run can use, by lookup name and by CSV file name.
pub type LookupTables = HashMap<String, LookupTable>;

/// The content tree's CSV lookups, by lookup name and by file name (`lookup x.csv` works
/// too): v4 lookups name their file, v5 `csv` lookups use their own stem.
#[must_use]
pub fn content_lookups(loaded: &Loaded) -> LookupTables {
    let mut tables = LookupTables::new();
    for lookup in &loaded.content.lookups {
        let Some(name) = lookup.name() else { continue };
        let file_name = match lookup.filename.value() {
            Some(file) => file.clone(),
            None if lookup.lookup_type.value().map(String::as_str) == Some("csv") => {
                format!("{}.csv", lookup.meta.file_stem())
            }
            None => continue,
        };
        let data = loaded
            .content
            .lookup_files
            .iter()
            .find(|data| data.path_in_lookups() == file_name)
            .and_then(|data| data.file)
            .and_then(|file| loaded.sources.get(file));
        let Some(table) = data.and_then(|source| LookupTable::parse(source.text()).ok()) else {
            continue;
        };
        tables.insert(file_name, table.clone());
        tables.insert(name.to_owned(), table);
    }
    tables
}

/// `lookup`: writes the output columns of the matching table rows into `row`. A row that
/// matches nothing is left as it is (the docs do not say whether OUTPUT clears the fields
/// then; detc leaves them).
pub(crate) fn apply_lookup(
    row: &mut Row,
    table: &LookupTable,
    inputs: &[(String, String)],
    outputs: &[(String, String)],
    output_new: bool,
) {
    let keys: Option<Vec<(usize, &[String])>> = inputs
        .iter()
        .map(|(column, field)| Some((table.column(column)?, row.get(field)?)))
        .collect();
    let Some(keys) = keys else {
        return;
    };
    let matching: Vec<&Vec<String>> = table
        .rows
        .iter()
        .filter(|data| {
            keys.iter().all(|(at, values)| {
                data.get(*at)
                    .is_some_and(|cell| values.iter().any(|value| value == cell))
            })
        })
        .take(MAX_MATCHES)
        .collect();
    if matching.is_empty() {
        return;
    }
    let targets: Vec<(usize, String)> = if outputs.is_empty() {
        table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, column)| !inputs.iter().any(|(input, _)| input == *column))
            .map(|(at, column)| (at, column.clone()))
            .collect()
    } else {
        outputs
            .iter()
            .filter_map(|(column, field)| Some((table.column(column)?, field.clone())))
            .collect()
    };
    for (at, field) in targets {
        if output_new && row.get(&field).is_some() {
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        for data in &matching {
            if let Some(cell) = data.get(at).filter(|cell| !cell.is_empty())
                && !values.contains(cell)
            {
                values.push(cell.clone());
            }
        }
        row.set(&field, values);
    }
}
