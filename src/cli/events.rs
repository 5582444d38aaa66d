//! `detc events`: read event files, normalize each event with the data source mappings (built
//! in, replaced by name by a `--content` tree's), enrich it from an asset list, print it, and
//! close with the read summary on stderr.
//!
//! Streams: events on stdout (JSON lines or a table); diagnostics of the tree's mappings, asset
//! warnings, the progress line and the read summary on stderr.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};

use anyhow::{Context, bail};

use super::Outcome;
use super::config::{EventsConfig, EventsOutput};
use super::progress::Progress;
use crate::content::mapping::DetcMapping;
use crate::content::{DataSource, Loaded};
use crate::diagnostic::suggest::did_you_mean;
use crate::diagnostic::{Code, sort_diagnostics};
use crate::events::assets::Assets;
use crate::events::normalize::{Normalizer, effective_sources, embedded};
use crate::events::read::{ReadConfig, Reader, input_files};
use crate::events::{DatasetId, DatasetTable, FieldTable, Projection};
use crate::output::events::{self as render, FieldFilter, Names};
use crate::output::{RenderOptions, human};

/// Runs `detc events`.
///
/// # Errors
/// The content cannot be loaded, `--only` names no dataset the mappings produce (usage), or
/// output cannot be written (a closed pipe is the caller's clean exit). An input or asset file
/// that cannot be read is reported and gives [`Outcome::Failed`].
pub fn run(config: &EventsConfig) -> anyhow::Result<Outcome> {
    let tree = match &config.content {
        Some(root) => Some(crate::content::load(root).context("loading content")?),
        None => None,
    };
    if let Some(tree) = &tree {
        report_mapping_problems(tree)?;
    }
    let shipped = embedded();
    let sources = effective_sources(tree.as_ref().map(|tree| &tree.content), &shipped.content);
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let normalizer = Normalizer::build(&sources, &mut fields, &mut datasets)
        .context("compiling the data source mappings")?;

    let only = match &config.only {
        None => None,
        Some(name) => Some(only_datasets(name, &sources, &datasets)?),
    };

    let Ok(assets) = load_assets(config.assets.as_deref(), &mut fields)? else {
        return Ok(Outcome::Failed);
    };

    let projection = match &config.fields {
        None => Projection::all(),
        Some(wanted) => {
            // Normalization must still see every raw field a mapping reads.
            let inputs: Vec<String> = normalizer
                .inputs()
                .into_iter()
                .map(|id| fields.name(id).to_string())
                .collect();
            Projection::only(
                &mut fields,
                wanted.iter().chain(&inputs).map(String::as_str),
            )
        }
    };
    let files = match input_files(&config.events) {
        Ok(files) => files,
        Err(error) => {
            super::report_error(&anyhow::Error::new(error));
            return Ok(Outcome::Failed);
        }
    };

    let read_config = ReadConfig {
        source: config.source.clone(),
        sourcetype: config.sourcetype.clone(),
        projection,
        ..ReadConfig::default()
    };
    let mut reader = Reader::new(read_config, fields);
    let filter = FieldFilter {
        only: config.fields.clone(),
    };
    let columns: Vec<String> = config.fields.clone().unwrap_or_else(|| {
        render::DEFAULT_TABLE_COLUMNS
            .iter()
            .map(|column| (*column).to_string())
            .collect()
    });
    let mut out = BufWriter::new(io::stdout().lock());
    if config.output == EventsOutput::Table {
        render::write_table_header(&columns, &mut out)?;
    }
    let mut per_dataset: BTreeMap<DatasetId, u64> = BTreeMap::new();
    let mut write_error: Option<io::Error> = None;
    let mut progress = Progress::new(config.progress, files.len());
    let mut unreadable = false;
    for file in &files {
        let mut sink = |event: &mut crate::events::Event<'_>, table: &mut FieldTable| {
            normalizer.apply(event);
            if let Some(assets) = &assets {
                assets.enrich(event);
            }
            progress.event();
            for dataset in event.datasets() {
                *per_dataset.entry(*dataset).or_insert(0) += 1;
            }
            let wanted = only.as_ref().is_none_or(|only: &Vec<DatasetId>| {
                only.iter().any(|dataset| event.in_dataset(*dataset))
            });
            if !wanted || write_error.is_some() {
                return;
            }
            let names = Names {
                fields: table,
                datasets: &datasets,
            };
            let written = match config.output {
                EventsOutput::Jsonl => render::write_jsonl(event, names, &filter, &mut out),
                EventsOutput::Table => render::write_table_row(event, names, &columns, &mut out),
            };
            if let Err(error) = written {
                write_error = Some(error);
            }
        };
        if let Err(error) = reader.read_file(file, &mut sink) {
            super::report_error(&anyhow::Error::new(error));
            unreadable = true;
        }
        progress.file_done();
    }
    progress.finish();
    if let Some(error) = write_error {
        return Err(error).context("writing events");
    }
    out.flush()?;
    let (_, summary) = reader.into_parts();
    let mut err = BufWriter::new(io::stderr().lock());
    let mut dataset_counts: Vec<(&str, u64)> = per_dataset
        .iter()
        .map(|(id, count)| (datasets.name(*id), *count))
        .collect();
    dataset_counts.sort_unstable();
    render::write_read_summary(&summary, &dataset_counts, &mut err)?;
    err.flush()?;
    std::mem::forget(tree);
    std::mem::forget(shipped);
    Ok(if unreadable {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// Loads `--assets`, printing its warnings on stderr. `Err(())` when the file cannot be read
/// (already reported: the run's outcome is `Failed`).
///
/// # Errors
/// stderr cannot be written.
pub(super) fn load_assets(
    path: Option<&std::path::Path>,
    fields: &mut FieldTable,
) -> anyhow::Result<Result<Option<Assets>, ()>> {
    let Some(path) = path else {
        return Ok(Ok(None));
    };
    match Assets::load(path, fields) {
        Ok((assets, warnings)) => {
            let mut err = io::stderr().lock();
            for warning in warnings {
                writeln!(
                    err,
                    "warning: {}:{}: {}",
                    path.display(),
                    warning.line,
                    warning.message
                )?;
            }
            Ok(Ok(Some(assets)))
        }
        Err(error) => {
            super::report_error(&anyhow::Error::new(error));
            Ok(Err(()))
        }
    }
}

/// The datasets `--only NAME` selects: the dataset `Model.Dataset`, or every dataset of a data
/// model named alone (`Network_Traffic`, as `tstats from datamodel=Network_Traffic` reads it).
///
/// # Errors
/// No mapping puts events in it (a usage error, with a suggestion when one is close).
fn only_datasets(
    name: &str,
    sources: &[(&DataSource, &DetcMapping)],
    datasets: &DatasetTable,
) -> anyhow::Result<Vec<DatasetId>> {
    let known: Vec<&str> = sources
        .iter()
        .flat_map(|(_, mapping)| mapping.nodes.iter())
        .map(|node| node.node.value.as_str())
        .collect();
    let mut selected: Vec<DatasetId> = known
        .iter()
        .filter(|dataset| {
            **dataset == name
                || dataset
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .filter_map(|dataset| datasets.get(dataset))
        .collect();
    selected.sort_unstable();
    selected.dedup();
    if selected.is_empty() {
        let hint = did_you_mean(name, known.iter().copied())
            .map(|close| format!(" (did you mean `{close}`?)"))
            .unwrap_or_default();
        bail!("--only: no mapping puts events in dataset `{name}`{hint}");
    }
    Ok(selected)
}

/// Prints the `N0xx` diagnostics of the tree's data sources (a bad mapping is left out of the
/// run, so the user must see why).
fn report_mapping_problems(tree: &Loaded) -> anyhow::Result<()> {
    let mut problems: Vec<_> = tree
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.code.as_str().starts_with('N') && diagnostic.code != Code::N012
        })
        .cloned()
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    sort_diagnostics(&mut problems, &tree.sources);
    let mut err = BufWriter::new(io::stderr().lock());
    human::render(
        &problems,
        &tree.sources,
        &RenderOptions::default(),
        &mut err,
    )?;
    err.flush()?;
    Ok(())
}
