//! `detc compile`: load a content tree, compile every detection's search, and print the
//! per-detection results (JSON), the reasons table (human) or one detection explained.
//!
//! Streams: with `human`, the errors of invalid detections go to stderr as diagnostics and
//! the table and summary to stdout; `json` and `--explain` write only to stdout.

use std::io::{self, BufWriter, Write};

use anyhow::{Context, bail};

use super::Outcome;
use super::config::CompileConfig;
use crate::compile::{
    CompileOptions, MacroSet, Status, compile_lowered, compile_one, lower_compiled,
};
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::output::{Format, compile as report, human};

/// Runs `detc compile`. Meant to be the last thing a process does: it leaks what it loaded
/// rather than free it.
///
/// # Errors
/// Fails when the content root cannot be read, its `detc.toml` is invalid, `--explain` names
/// no detection, or output
/// cannot be written (including a closed pipe, which the caller treats as success).
pub fn run(config: &CompileConfig) -> anyhow::Result<Outcome> {
    let settings = crate::policy::settings::read(&config.content)?.unwrap_or_default();
    let mut app_commands = config.app_commands.clone();
    app_commands.extend(settings.app_commands.into_iter().flatten());
    let loaded = crate::content::load(&config.content).context("loading content")?;
    let options = CompileOptions { app_commands };
    // The tables `detc run` lowers into (so routing shows real dataset names, and `compiled`
    // means what it means to `detc run`).
    let mut tables =
        crate::plan::Tables::new(&loaded.content).context("compiling the data source mappings")?;
    let mut out = BufWriter::new(io::stdout().lock());
    // Files that did not load are reported with validate's codes, and fail the run: a
    // detection in a broken file would otherwise just be missing from the counts.
    let mut load_errors: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .cloned()
        .collect();
    sort_diagnostics(&mut load_errors, &loaded.sources);

    if let Some(wanted) = &config.explain {
        let detections = &loaded.content.detections;
        let Some(index) = detections
            .iter()
            .position(|d| d.name() == Some(wanted.as_str()))
            .or_else(|| detections.iter().position(|d| d.file_stem() == wanted))
        else {
            render_errors(&load_errors, &loaded, config)?;
            if load_errors.is_empty() {
                bail!("no detection is named `{wanted}` (give its `name:` or its file stem)");
            }
            bail!(
                "no detection is named `{wanted}` (give its `name:` or its file stem); {} while \
                 loading, see above: the detection may be in a file that did not load",
                crate::output::count(load_errors.len(), "error")
            );
        };
        let Some(mut result) = compile_one(&loaded, &MacroSet::new(&loaded), &options, index)
        else {
            bail!("detection `{wanted}` has no `search:` string to compile");
        };
        lower_compiled(&mut result, &mut tables.context());
        report::render_explain(
            &result,
            &loaded.content,
            &loaded.sources,
            &config.render,
            &mut out,
        )?;
        if let Some(plan) = &result.plan {
            writeln!(out, "\nplan:")?;
            write!(
                out,
                "{}",
                crate::plan::explain(plan, &tables.fields, &tables.datasets)
            )?;
        }
        out.flush()?;
        return Ok(if result.fails() {
            Outcome::Failed
        } else {
            Outcome::Passed
        });
    }

    let results = compile_lowered(&loaded, &options, &mut tables.context());
    let summary = report::CompileSummary::new(&results, &loaded.diagnostics);
    match config.format {
        Format::Json => {
            report::render_json(
                &results,
                &loaded.diagnostics,
                &loaded.content,
                &loaded.sources,
                &config.render,
                &mut out,
            )?;
        }
        _ => {
            let mut errors = load_errors;
            errors.extend(
                results
                    .iter()
                    .filter(|result| result.status == Status::Invalid)
                    .filter_map(|result| result.reason.as_ref().map(|r| result.as_reported(r))),
            );
            sort_diagnostics(&mut errors, &loaded.sources);
            render_errors(&errors, &loaded, config)?;
            report::render_human(&results, &loaded.diagnostics, &mut out)?;
        }
    }
    out.flush()?;
    let outcome = Outcome::of(&loaded.diagnostics, summary.passed());
    // The process ends right after this; freeing every AST node one by one would only delay
    // the exit (see `validate::run`).
    std::mem::forget(results);
    std::mem::forget(loaded);
    Ok(outcome)
}

/// Writes `errors` to stderr as human diagnostics.
fn render_errors(
    errors: &[Diagnostic],
    loaded: &crate::content::Loaded,
    config: &CompileConfig,
) -> io::Result<()> {
    let mut err = BufWriter::new(io::stderr().lock());
    human::render(errors, &loaded.sources, &config.render, &mut err)?;
    err.flush()
}
