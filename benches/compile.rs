//! `cargo bench --bench compile`: how long compiling the corpus takes, phase by phase, in one
//! run so the ratios are comparable on a noisy machine. Loads the corpus once, then times RUNS
//! (default 11) rounds of each phase and prints every median:
//!
//! * `load`: reading and typing every YAML file (the baseline every command pays);
//! * `expand`: macro expansion of every detection's search, one thread;
//! * `parse`: parsing the expanded searches, one thread (parse-only baseline);
//! * `compile`: `detc::compile::compile`, the whole step `detc compile` runs after loading
//!   (expansion, parse, span mapping, lints), on all cores.
//!
//! Environment: CORPUS (default ../shared/corpus/security_content), RUNS.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use detc::spl::expand::{ExpandConfig, MacroTable, expand};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn main() {
    let root = std::env::var_os("CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/security_content"),
        PathBuf::from,
    );
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(11);
    let Ok(loaded) = detc::content::load(&root) else {
        eprintln!("cannot load the corpus at {}", root.display());
        std::process::exit(2);
    };
    let table = MacroTable::from_content(&loaded.content);
    let searches: Vec<(String, String)> = loaded
        .content
        .detections
        .iter()
        .filter_map(|d| {
            let filter = d.filter_macro_name()?;
            Some((d.search.value()?.clone(), filter))
        })
        .collect();
    let configs: Vec<ExpandConfig> = searches
        .iter()
        .map(|(_, filter)| {
            let mut config = ExpandConfig::new();
            config
                .filter_macro(filter.clone())
                .ignore_macros(detc::validate::IGNORED_MACRO_SUBSTRINGS);
            config
        })
        .collect();
    let expanded: Vec<String> = searches
        .iter()
        .zip(&configs)
        .map(|((search, _), config)| expand(search, &table, config).text)
        .collect();

    let load = time(runs, || {
        detc::content::load(&root).map(|l| l.content.detections.len())
    });
    let expand_time = time(runs, || {
        searches
            .iter()
            .zip(&configs)
            .map(|((search, _), config)| expand(search, &table, config).text.len())
            .sum::<usize>()
    });
    let parse = time(runs, || {
        expanded
            .iter()
            .map(|text| detc::spl::parse(text).pipeline.commands.len())
            .sum::<usize>()
    });
    let compile = time(runs, || detc::compile::compile(&loaded).len());

    println!(
        "corpus: {} detections, {} searches, {} expanded bytes; {} cores; median of {runs}",
        loaded.content.detections.len(),
        searches.len(),
        expanded.iter().map(String::len).sum::<usize>(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
    );
    println!("| phase | median (ms) |");
    println!("|---|---|");
    for (name, duration) in [
        ("load (YAML + model, all cores)", load),
        ("expand (1 thread)", expand_time),
        ("parse expanded searches (1 thread)", parse),
        (
            "compile: expand + parse + spans + lints (all cores)",
            compile,
        ),
        ("load + compile", load + compile),
    ] {
        println!("| {name} | {:.1} |", duration.as_secs_f64() * 1000.0);
    }
}
