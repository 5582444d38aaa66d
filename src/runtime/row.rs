//! A result row: named fields in order, each with one or more text values (a field with no
//! value is absent: Splunk's null). Rows are what aggregation produces and what the row stage
//! transforms; a matching event becomes one ([`event_row`]) before its per-event stage.

use crate::events::{Event, FieldId, FieldTable, Origin};
use crate::plan::{FieldSource, RowInput};

/// One result row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    cells: Vec<(String, Vec<String>)>,
}

impl Row {
    /// The values of `name`, if present.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.cells
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, values)| values.as_slice())
    }

    /// The first value of `name`.
    #[must_use]
    pub fn first(&self, name: &str) -> Option<&str> {
        self.get(name)
            .and_then(|values| values.first())
            .map(String::as_str)
    }

    /// Sets `name` (in place if present, else at the end); no values removes it.
    pub fn set(&mut self, name: &str, values: Vec<String>) {
        if values.is_empty() {
            self.remove(name);
            return;
        }
        match self.cells.iter_mut().find(|(known, _)| known == name) {
            Some(cell) => cell.1 = values,
            None => self.cells.push((name.to_owned(), values)),
        }
    }

    /// Removes `name`.
    pub fn remove(&mut self, name: &str) {
        self.cells.retain(|(known, _)| known != name);
    }

    /// The cells in order.
    #[must_use]
    pub fn cells(&self) -> &[(String, Vec<String>)] {
        &self.cells
    }

    /// The cells, to reorder or filter.
    pub(crate) fn cells_mut(&mut self) -> &mut Vec<(String, Vec<String>)> {
        &mut self.cells
    }
}

impl super::eval::Row for Row {
    fn field(&self, name: &str) -> super::value::Value {
        super::value::Value::from_fields(
            self.get(name)
                .unwrap_or_default()
                .iter()
                .map(String::as_str),
        )
    }
}

/// An eval result as row values: null is no value (the field is removed), a multivalue is its
/// values, anything else its printed text.
#[must_use]
pub(crate) fn values_of(value: &super::value::Value) -> Vec<String> {
    value
        .values()
        .iter()
        .filter_map(super::value::Value::to_text)
        .collect()
}

/// A row read by a predicate: names come from the run's field table.
pub(crate) struct RowSource<'a> {
    pub(crate) row: &'a Row,
    pub(crate) names: &'a FieldTable,
}

impl FieldSource for RowSource<'_> {
    fn any_value(&self, field: FieldId, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.row
            .get(self.names.name(field))
            .is_some_and(|values| values.iter().any(|value| test(value)))
    }

    fn raw_text(&self) -> &str {
        self.row.first("_raw").unwrap_or("")
    }
}

/// The row a matching event becomes.
#[must_use]
pub fn event_row(event: &Event<'_>, input: &RowInput, names: &FieldTable) -> Row {
    let mut row = Row::default();
    let time = event.time().map(|time| vec![time.to_string()]);
    match input {
        RowInput::DataModel(fields) => {
            for (name, id) in fields {
                if *id == FieldId::TIME {
                    if let Some(time) = &time {
                        row.set(name, time.clone());
                    }
                    continue;
                }
                // CIM values first: a data model row holds the CIM field.
                let mut values: Vec<String> = event
                    .values_from(*id, Origin::Cim)
                    .map(str::to_owned)
                    .collect();
                if values.is_empty() {
                    values = event.values(*id).map(str::to_owned).collect();
                }
                row.set(name, values);
            }
        }
        RowInput::Event => {
            if let Some(time) = time {
                row.set("_time", time);
            }
            row.set("_raw", vec![event.raw().to_owned()]);
            for (name, value) in [
                ("source", event.source()),
                ("sourcetype", event.sourcetype()),
                ("host", event.host()),
            ] {
                if let Some(value) = value {
                    row.set(name, vec![value.to_owned()]);
                }
            }
            for field in event.fields() {
                let name = names.name(field.field);
                if field.origin == Origin::Cim && row.get(name).is_some() {
                    continue;
                }
                row.set(name, field.values().map(str::to_owned).collect());
            }
        }
    }
    row
}
