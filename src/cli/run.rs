//! `detc run`: compile the selected detections to plans, read and normalize the events, run
//! the plans, print the result rows (stdout or `--output`), and close with a summary on
//! stderr: events read, bad records, rows per detection, and the detections that saw no event
//! of their data model or source (the most common reason for an empty result).
//!
//! Exit codes: 0 on success (also with zero rows); 1 when an input could not be read or a
//! requested detection cannot run; 2 on usage errors (an unknown name, with a suggestion).

use std::fs::File;
use std::io::{self, BufWriter, Write};

use anyhow::{Context, bail};

use super::Outcome;
use super::args::{RunArgs, RunFormat};
use crate::compile::{CompileOptions, CompiledSearch, Status, compile_with};
use crate::content::Loaded;
use crate::diagnostic::suggest::did_you_mean;
use crate::events::normalize::{Normalizer, effective_sources, embedded};
use crate::events::read::{ReadConfig, input_files};
use crate::events::{DatasetTable, Event, FieldTable, Projection, Timestamp};
use crate::output::events as render_events;
use crate::output::run as render;
use crate::plan::{LowerContext, Plan, lower};
use crate::runtime::eval::EvalContext;
use crate::runtime::{Engine, LookupTable, LookupTables, RunInput, run as run_plans};

/// Runs `detc run`.
///
/// # Errors
/// Usage errors (an unknown story or detection, a bad `--now`), content that cannot be
/// loaded, output that cannot be written.
pub fn run(args: &RunArgs) -> anyhow::Result<Outcome> {
    let now = match args.now.as_deref() {
        None | Some("latest") => None,
        Some(text) => Some(
            Timestamp::parse(text)
                .with_context(|| format!("--now: `{text}` is not an RFC 3339 time or `latest`"))?,
        ),
    };
    let loaded = crate::content::load(&args.content).context("loading content")?;
    let options = CompileOptions {
        lowering: Some(crate::plan::check_lowers),
        ..CompileOptions::default()
    };
    let compiled = compile_with(&loaded, &options);
    let selected = select(&loaded, &compiled, args)?;

    let shipped = embedded();
    let sources = effective_sources(Some(&loaded.content), &shipped.content);
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let normalizer = Normalizer::build(&sources, &mut fields, &mut datasets)
        .context("compiling the data source mappings")?;
    let Ok(assets) = super::events::load_assets(args.assets.as_deref(), &mut fields)? else {
        return Ok(Outcome::Failed);
    };

    let lookups = lookup_tables(&loaded);
    let mut failed = false;
    let mut runnable: Vec<(String, &CompiledSearch, Plan)> = Vec::new();
    for result in &selected {
        let name = detection_name(&loaded, result);
        if result.status != Status::Compiled {
            let why = result
                .reason
                .as_ref()
                .map_or_else(String::new, |reason| format!(": {}", reason.message));
            eprintln!(
                "error: detection `{name}` cannot run ({}){why}",
                result.status.as_str()
            );
            failed = true;
            continue;
        }
        let mut context = LowerContext {
            fields: &mut fields,
            datasets: &mut datasets,
        };
        match lower(&result.pipeline, &mut context) {
            Ok(plan) => match missing_lookup(&plan, &lookups) {
                Some(table) => {
                    eprintln!(
                        "error: detection `{name}` cannot run: lookup `{table}` is not a CSV \
                         lookup of the content tree"
                    );
                    failed = true;
                }
                None => runnable.push((name, result, plan)),
            },
            Err(problem) => {
                eprintln!("error: detection `{name}` cannot run: {}", problem.what);
                failed = true;
            }
        }
    }

    let files = match input_files(&args.events) {
        Ok(files) => files,
        Err(error) => {
            super::report_error(&anyhow::Error::new(error));
            return Ok(Outcome::Failed);
        }
    };
    let config = ReadConfig {
        source: args.source.clone(),
        sourcetype: args.sourcetype.clone(),
        projection: Projection::all(),
        ..ReadConfig::default()
    };
    let enrich = |event: &mut Event<'_>| {
        if let Some(assets) = &assets {
            assets.enrich(event);
        }
    };
    let plans: Vec<Plan> = runnable.iter().map(|(_, _, plan)| plan.clone()).collect();
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        usize::from,
    );
    let wall_clock = Timestamp::from_nanos(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| i64::try_from(elapsed.as_nanos()).ok())
            .unwrap_or(0),
    );
    let output = run_plans(
        &plans,
        &RunInput {
            files: &files,
            config: &config,
            fields: &fields,
            normalizer: &normalizer,
            enrich: &enrich,
            threads,
            chunk_bytes: args.chunk_bytes,
            now: now.unwrap_or(wall_clock),
            engine: if args.naive {
                Engine::Naive
            } else {
                Engine::Automaton
            },
        },
    );
    for error in &output.errors {
        super::report_error(&anyhow::anyhow!("{error}"));
        failed = true;
    }
    // `--now latest`: the newest event read; no --now: the current time, as Splunk's.
    let search_time = match args.now.as_deref() {
        Some("latest") => output.latest.map_or(wall_clock, Timestamp::from_nanos),
        _ => now.unwrap_or(wall_clock),
    };
    let eval = EvalContext::new(search_time);

    let mut results: Vec<render::DetectionRows> = Vec::new();
    for ((name, compiled, plan), state) in runnable.iter().zip(output.states) {
        let routed = state.routed;
        let matched = state.matched;
        let rows = state.finish(plan, &fields, &eval, &lookups);
        results.push(render::DetectionRows {
            name: name.clone(),
            rows,
            routed,
            matched,
            time_relative: compiled.expanded.contains("now()")
                || compiled.expanded.contains("relative_time"),
        });
    }

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match args.format {
        RunFormat::Table => render::write_table(&results, &mut out)?,
        RunFormat::Jsonl => render::write_jsonl(&results, &mut out)?,
        RunFormat::Csv => render::write_csv(&results, &mut out)?,
    }
    out.flush()?;
    let mut err = BufWriter::new(io::stderr().lock());
    render_events::write_read_summary(&output.summary, &[], &mut err)?;
    render::write_summary(&results, args.now.is_none(), &mut err)?;
    err.flush()?;
    std::mem::forget(loaded);
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The content tree's CSV lookups, by lookup name and by file name (`lookup x.csv` works
/// too): v4 lookups name their file, v5 `csv` lookups use their own stem.
fn lookup_tables(loaded: &Loaded) -> LookupTables {
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

/// The first lookup `plan` (or a subsearch of it) uses that `lookups` lacks.
fn missing_lookup<'p>(plan: &'p Plan, lookups: &LookupTables) -> Option<&'p str> {
    let own = plan
        .event_stage
        .iter()
        .chain(&plan.row_stage)
        .find_map(|op| match op {
            crate::plan::RowOp::Lookup { table, .. } if !lookups.contains_key(table) => {
                Some(table.as_str())
            }
            _ => None,
        });
    own.or_else(|| {
        plan.subsearches
            .iter()
            .find_map(|sub| missing_lookup(sub, lookups))
    })
}

fn detection_name(loaded: &Loaded, result: &CompiledSearch) -> String {
    loaded
        .content
        .detections
        .get(result.detection)
        .map(|detection| detection.name().unwrap_or(detection.file_stem()).to_owned())
        .unwrap_or_default()
}

/// The searches `--story` and `--detection` select (every compiled one with neither), in file
/// order.
///
/// # Errors
/// A name that names nothing (with a suggestion when one is close).
fn select<'c>(
    loaded: &Loaded,
    compiled: &'c [CompiledSearch],
    args: &RunArgs,
) -> anyhow::Result<Vec<&'c CompiledSearch>> {
    let detections = &loaded.content.detections;
    if args.story.is_empty() && args.detection.is_empty() {
        return Ok(compiled
            .iter()
            .filter(|result| result.status == Status::Compiled)
            .collect());
    }
    let mut wanted: Vec<usize> = Vec::new();
    for name in &args.detection {
        let found = detections
            .iter()
            .position(|d| d.name() == Some(name.as_str()))
            .or_else(|| detections.iter().position(|d| d.file_stem() == name));
        match found {
            Some(index) => wanted.push(index),
            None => {
                let candidates = detections
                    .iter()
                    .filter_map(|d| d.name())
                    .chain(detections.iter().map(|d| d.file_stem()));
                let hint = did_you_mean(name, candidates)
                    .map_or_else(String::new, |close| format!(" (did you mean `{close}`?)"));
                bail!("no detection is named `{name}`{hint}");
            }
        }
    }
    for story in &args.story {
        let known = loaded
            .content
            .stories
            .iter()
            .any(|s| s.header.name.as_str() == Some(story.as_str()));
        if !known {
            let names = loaded
                .content
                .stories
                .iter()
                .filter_map(|s| s.header.name.as_str());
            let hint = did_you_mean(story, names)
                .map_or_else(String::new, |close| format!(" (did you mean `{close}`?)"));
            bail!("no story is named `{story}`{hint}");
        }
        for (index, detection) in detections.iter().enumerate() {
            let in_story = detection
                .tags
                .value()
                .and_then(|tags| tags.analytic_story.value())
                .is_some_and(|stories| stories.iter().any(|s| s.value == *story));
            if in_story {
                wanted.push(index);
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    Ok(compiled
        .iter()
        .filter(|result| wanted.binary_search(&result.detection).is_ok())
        .collect())
}
