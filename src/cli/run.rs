//! `detc run`: compile the selected detections to plans, read and normalize the events, run
//! the plans, print the result rows (stdout or `--output`), and close with a summary on
//! stderr: events read, bad records, rows per detection, and the detections that saw no event
//! of their data model or source (the most common reason for an empty result).
//!
//! `--now` and `--assets` default to the `[run]` table of the content root's `detc.toml`
//! ([`crate::policy::settings`]); the summary says which settings came from there.
//!
//! Exit codes: 0 on success (also with zero rows); 1 when an input could not be read or a
//! requested detection cannot run; 2 on usage errors (an unknown name, with a suggestion).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, bail};

use super::Outcome;
use super::args::{RunArgs, RunFormat};
use super::config::RunConfig;
use super::progress::Progress;
use crate::compile::{CompileOptions, CompiledSearch, Status, compile_lowered};
use crate::content::Loaded;
use crate::diagnostic::suggest::did_you_mean;
use crate::events::read::{ReadConfig, input_files};
use crate::events::{Event, Projection, Timestamp};
use crate::output::events as render_events;
use crate::output::run::{self as render, Origin, RunSettingsShown};
use crate::plan::{Plan, Tables};
use crate::runtime::eval::{EvalContext, SearchTime};
use crate::runtime::{self, Engine, LookupTables, RunInput, run as run_plans};

/// Runs `detc run`.
///
/// # Errors
/// Usage errors (an unknown story or detection, a bad `--now`, an invalid `detc.toml`),
/// content that cannot be loaded, output that cannot be written.
pub fn run(config: &RunConfig) -> anyhow::Result<Outcome> {
    let args = &config.args;
    let flag_now = args
        .now
        .as_deref()
        .map(|text| {
            SearchTime::parse(text)
                .with_context(|| format!("--now: `{text}` is not an RFC 3339 time or `latest`"))
        })
        .transpose()?;
    let file = crate::policy::settings::read(&args.content)?.unwrap_or_default();
    // The command line overrides detc.toml, which overrides the defaults (the current time, as
    // Splunk's; no asset list).
    let (now, now_origin) = match (flag_now, file.run.now) {
        (Some(now), _) => (now, Origin::CommandLine),
        (None, Some(now)) => (now, Origin::File),
        (None, None) => (SearchTime::At(wall_clock()), Origin::Default),
    };
    let assets_path: Option<(PathBuf, Origin)> = match (&args.assets, file.run.assets) {
        (Some(path), _) => Some((path.clone(), Origin::CommandLine)),
        (None, Some(path)) => Some((path, Origin::File)),
        (None, None) => None,
    };

    let loaded = crate::content::load(&args.content).context("loading content")?;
    let mut tables = Tables::new(&loaded.content).context("compiling the data source mappings")?;
    let options = CompileOptions {
        app_commands: file.app_commands.unwrap_or_default(),
    };
    let mut compiled = compile_lowered(&loaded, &options, &mut tables.context());
    let (selected, without_search) = select(&loaded, &compiled, args)?;
    let Ok(assets) = super::events::load_assets(
        assets_path.as_ref().map(|(path, _)| path.as_path()),
        &mut tables.fields,
    )?
    else {
        return Ok(Outcome::Failed);
    };

    // A detection named on the command line that cannot run fails the run; with neither
    // --story nor --detection every compiled detection is asked for, and one that cannot run
    // (a lookup the tree lacks) is reported without failing it: otherwise running a whole
    // tree could never exit 0.
    let explicit = !args.story.is_empty() || !args.detection.is_empty();
    let lookups = runtime::content_lookups(&loaded);
    let mut failed = false;
    let mut runnable: Vec<(String, Plan)> = Vec::new();
    for index in selected {
        let Some(result) = compiled.get_mut(index) else {
            continue;
        };
        let name = detection_name(&loaded, result.detection);
        let problem = match result.plan.take() {
            None => {
                let why = result
                    .reason
                    .as_ref()
                    .map_or_else(String::new, |reason| format!(": {}", reason.message));
                format!("cannot run ({}){why}", result.status.as_str())
            }
            Some(plan) => match missing_lookup(&plan, &lookups) {
                Some(table) => {
                    format!("cannot run: lookup `{table}` is not a CSV lookup of the content tree")
                }
                None => {
                    runnable.push((name, plan));
                    continue;
                }
            },
        };
        let severity = if explicit { "error" } else { "warning" };
        eprintln!("{severity}: detection `{name}` {problem}");
        failed |= explicit;
    }
    for index in without_search {
        let name = detection_name(&loaded, index);
        eprintln!("error: detection `{name}` cannot run: it has no `search:`");
        failed = true;
    }

    let files = match input_files(&args.events) {
        Ok(files) => files,
        Err(error) => {
            super::report_error(&anyhow::Error::new(error));
            return Ok(Outcome::Failed);
        }
    };
    let read_config = ReadConfig {
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
    let (names, plans): (Vec<String>, Vec<Plan>) = runnable.into_iter().unzip();
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        usize::from,
    );
    let progress = Mutex::new(Progress::new(config.progress, files.len()));
    let tell = |step: runtime::Progress| {
        // A poisoned lock only means another worker panicked drawing: skip the line.
        if let Ok(mut progress) = progress.lock() {
            match step {
                runtime::Progress::Events(count) => progress.events(count),
                runtime::Progress::FileDone => progress.file_done(),
            }
        }
    };
    let output = run_plans(
        &plans,
        &RunInput {
            files: &files,
            config: &read_config,
            fields: &tables.fields,
            normalizer: &tables.normalizer,
            enrich: &enrich,
            threads,
            chunk_bytes: args.chunk_bytes,
            now,
            progress: &tell,
            engine: if args.naive {
                Engine::Naive
            } else {
                Engine::Automaton
            },
        },
    );
    if let Ok(mut progress) = progress.lock() {
        progress.finish();
    }
    for error in &output.errors {
        super::report_error(&anyhow::anyhow!("{error}"));
        failed = true;
    }
    let newest = output.latest.map(Timestamp::from_nanos);
    // `latest`: the newest event read (the current time when no event had a time).
    let search_time = match now {
        SearchTime::At(time) => time,
        SearchTime::LatestEvent => newest.unwrap_or_else(wall_clock),
    };
    let eval = EvalContext::new(search_time);

    let mut results: Vec<render::DetectionRows> = Vec::new();
    for ((name, plan), state) in names.into_iter().zip(&plans).zip(output.states) {
        let routed = state.routed;
        let matched = state.matched;
        let rows = state.finish(plan, &tables.fields, &eval, &lookups);
        results.push(render::DetectionRows {
            name,
            rows,
            routed,
            matched,
            time_relative: plan.reads_now(),
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
    let shown = RunSettingsShown {
        now: search_time,
        latest: now == SearchTime::LatestEvent,
        newest,
        now_origin,
        assets: assets_path,
    };
    let mut err = BufWriter::new(io::stderr().lock());
    render_events::write_read_summary(&output.summary, &[], &mut err)?;
    render::write_summary(&results, &shown, &mut err)?;
    err.flush()?;
    std::mem::forget(compiled);
    std::mem::forget(loaded);
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// The current time, as Splunk's default search time.
fn wall_clock() -> Timestamp {
    Timestamp::from_nanos(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| i64::try_from(elapsed.as_nanos()).ok())
            .unwrap_or(0),
    )
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

/// The name of `content.detections[index]` (its file stem when it has none).
fn detection_name(loaded: &Loaded, index: usize) -> String {
    loaded
        .content
        .detections
        .get(index)
        .map(|detection| detection.name().unwrap_or(detection.file_stem()).to_owned())
        .unwrap_or_default()
}

/// The indices into `compiled` of the searches `--story` and `--detection` select (every
/// compiled one with neither), in file order; then the detections they name that have no
/// search to compile (indices into the content's detections).
///
/// # Errors
/// A name that names nothing (with a suggestion when one is close).
fn select(
    loaded: &Loaded,
    compiled: &[CompiledSearch],
    args: &RunArgs,
) -> anyhow::Result<(Vec<usize>, Vec<usize>)> {
    let detections = &loaded.content.detections;
    if args.story.is_empty() && args.detection.is_empty() {
        let all = compiled
            .iter()
            .enumerate()
            .filter(|(_, result)| result.status == Status::Compiled)
            .map(|(at, _)| at)
            .collect();
        return Ok((all, Vec::new()));
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
    let selected: Vec<usize> = compiled
        .iter()
        .enumerate()
        .filter(|(_, result)| wanted.binary_search(&result.detection).is_ok())
        .map(|(at, _)| at)
        .collect();
    let without_search = wanted
        .into_iter()
        .filter(|&detection| !compiled.iter().any(|result| result.detection == detection))
        .collect();
    Ok((selected, without_search))
}
