//! The differential test of issue 14 point 2: the automaton path and a naive per-detection
//! evaluation give identical rows for every compiled corpus detection over every event file of
//! the shared event data (zero false negatives, and no false positive left after
//! verification).
//!
//! Two tests, both over the same plans and events:
//! - [`automaton_rows_equal_naive_rows`] runs the full plans through [`detc::runtime::run`]
//!   once per [`Engine`], threads and state merging included, and compares each detection's
//!   finished rows (and its routed and matched counts): what `detc run` and
//!   `detc run --naive` print. Every plan, in batches (see [`BATCH`]), to bound memory.
//! - [`automaton_verdicts_equal_naive_verdicts`] compares, per event, every unit's verdict
//!   (outside routing, routed, matched) from the automaton over all units, with exact values
//!   in hash tables and in the automaton ([`ExactValues`], timing both): when rows differ, it
//!   names the event file and the unit, which the rows alone cannot.
//!
//! Speed: the naive side evaluates 1,558 units on each of 149,591 events. Unoptimized, the
//! verdict comparison alone took 9 minutes of CPU; CI runs this file with
//! `--release` (its dependencies are shared with the release build CI makes anyway). Figures in
//! BENCHMARKS.md ("The automaton differential test").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a broken setup should fail loudly"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use detc::automaton::{Automaton, ExactValues, Scratch, Verdict, naive_verdict};
use detc::compile::{CompileOptions, Status, compile_lowered};
use detc::events::normalize::Normalizer;
use detc::events::read::{ReadConfig, Reader, input_files};
use detc::events::{Event, FieldTable, Projection, Timestamp};
use detc::plan::{Plan, Tables};
use detc::runtime::eval::{EvalContext, SearchTime};
use detc::runtime::{Engine, LookupTables, Row, RunInput, RunOutput, content_lookups, run};

/// Every compiled corpus detection lowered, with what running it needs.
struct Setup {
    /// (detection name, plan), in corpus order.
    plans: Vec<(String, Plan)>,
    fields: FieldTable,
    normalizer: Normalizer,
    lookups: LookupTables,
    files: Vec<PathBuf>,
}

fn setup() -> Setup {
    let events = PathBuf::from(env!("DETC_SHARED_EVENTS"));
    let corpus = events.join("../corpus/security_content");
    let loaded = detc::content::load(&corpus).expect("corpus loads");
    let mut tables = Tables::new(&loaded.content).expect("mappings");
    let compiled = compile_lowered(&loaded, &CompileOptions::default(), &mut tables.context());
    let Tables {
        fields, normalizer, ..
    } = tables;
    let plans: Vec<(String, Plan)> = compiled
        .into_iter()
        .filter(|result| result.status == Status::Compiled)
        .filter_map(|result| {
            let detection = &loaded.content.detections[result.detection];
            let name = detection.name().unwrap_or(detection.file_stem()).to_owned();
            Some((name, result.plan?))
        })
        .collect();
    assert!(plans.len() > 1000, "{} plans", plans.len());
    let lookups = content_lookups(&loaded);
    let files = input_files(&[&events]).expect("event files");
    Setup {
        plans,
        fields,
        normalizer,
        lookups,
        files,
    }
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Plans run together in the rows test, to bound the rows held until a run ends.
const BATCH: usize = 64;

#[test]
// Ignored by default as the corpus tests are: it needs /work/shared. CI runs this file with
// `cargo test --release --test automaton_differential -- --ignored`.
#[ignore = "needs /work/shared"]
fn automaton_rows_equal_naive_rows() {
    let setup = setup();
    let config = ReadConfig {
        projection: Projection::all(),
        ..ReadConfig::default()
    };
    // One search time for both runs: the run's start (`now()` in the per-event stage); the
    // row stage below sees the newest event's time, as `--now latest` does.
    let now = Timestamp::from_nanos(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| i64::try_from(elapsed.as_nanos()).ok())
            .unwrap_or(0),
    );
    let run_with = |plans: &[Plan], engine: Engine| -> RunOutput {
        run(
            plans,
            &RunInput {
                files: &setup.files,
                config: &config,
                fields: &setup.fields,
                normalizer: &setup.normalizer,
                enrich: &|_: &mut Event<'_>| {},
                threads: threads(),
                now: SearchTime::At(now),
                progress: &|_| {},
                chunk_bytes: None,
                engine,
            },
        )
    };
    // Every plan, in batches: a plan without aggregation holds the rows that pass its
    // per-event stage until the run ends (only the fields its row stage reads, when that is
    // known: plan::stored; before that, whole events held more than 10 GB and this test
    // compared only aggregating plans).
    let compared: Vec<(String, Plan)> = setup.plans.clone();
    eprintln!(
        "{} plans, {} of them aggregate",
        compared.len(),
        setup
            .plans
            .iter()
            .filter(|(_, plan)| aggregates(plan))
            .count()
    );
    let started = Instant::now();
    let (mut events, mut rows, mut detections_with_rows) = (0u64, 0usize, 0usize);
    let mut mismatches = Vec::new();
    // Each batch gets its own automaton: a unit's candidates depend only on its own
    // literals (the verdict test below uses the automaton over every unit at once).
    for batch in compared.chunks(BATCH) {
        let plans: Vec<Plan> = batch.iter().map(|(_, plan)| plan.clone()).collect();
        let naive = run_with(&plans, Engine::Naive);
        assert!(naive.errors.is_empty(), "{:?}", naive.errors);
        events = naive.summary.by_format.values().sum::<u64>();
        // The row stage sees the newest event's time, as `--now latest` does, so that time
        // conditions over old data keep rows to compare.
        let eval = EvalContext::new(naive.latest.map_or(now, Timestamp::from_nanos));
        let (summary, latest) = (naive.summary, naive.latest);
        let naive: Vec<(u64, u64, Vec<Row>)> = plans
            .iter()
            .zip(naive.states)
            .map(|(plan, state)| {
                let counts = (state.routed, state.matched);
                let rows = state.finish(plan, &setup.fields, &eval, &setup.lookups);
                (counts.0, counts.1, rows)
            })
            .collect();
        let fast = run_with(&plans, Engine::Automaton);
        assert_eq!(summary, fast.summary);
        assert_eq!(latest, fast.latest);
        for (((name, plan), naive), fast) in batch.iter().zip(naive).zip(fast.states) {
            let (routed, matched) = (fast.routed, fast.matched);
            let fast_rows = fast.finish(plan, &setup.fields, &eval, &setup.lookups);
            let (naive_routed, naive_matched, naive_rows) = naive;
            rows += naive_rows.len();
            detections_with_rows += usize::from(!naive_rows.is_empty());
            if (naive_routed, naive_matched) != (routed, matched) || naive_rows != fast_rows {
                let first = naive_rows
                    .iter()
                    .zip(&fast_rows)
                    .position(|(a, b)| a != b)
                    .unwrap_or(naive_rows.len().min(fast_rows.len()));
                mismatches.push(format!(
                    "{name}: routed/matched naive {naive_routed}/{naive_matched} automaton \
                     {routed}/{matched}; {} vs {} rows, first difference at row {first}: \
                     {:?} vs {:?}",
                    naive_rows.len(),
                    fast_rows.len(),
                    naive_rows.get(first),
                    fast_rows.get(first),
                ));
            }
        }
    }
    eprintln!(
        "{} files, {events} events, {} detections in batches of {BATCH}, {rows} rows from \
         {detections_with_rows} detections, {:?} ({} threads)",
        setup.files.len(),
        compared.len(),
        started.elapsed(),
        threads(),
    );
    assert!(compared.len() > 1000, "{}", compared.len());
    assert!(events > 10_000, "too few events: {events}");
    // Rows from many detections, so the comparison is not vacuous.
    assert!(detections_with_rows > 10, "{detections_with_rows}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// Whether `plan` and its subsearches all end in an aggregation (their states hold groups,
/// not events).
fn aggregates(plan: &Plan) -> bool {
    plan.aggregation.is_some() && plan.subsearches.iter().all(aggregates)
}

fn units<'p>(plan: &'p Plan, out: &mut Vec<&'p Plan>) {
    for sub in &plan.subsearches {
        units(sub, out);
    }
    out.push(plan);
}

/// One share of the files' verdict comparison.
#[derive(Default)]
struct Verdicts {
    events: u64,
    matched: u64,
    /// (file, unit, exact values where, naive verdict, automaton verdict).
    mismatches: Vec<(String, usize, ExactValues, Verdict, Verdict)>,
    /// Time in [`Automaton::verdicts`], per [`ExactValues`] choice.
    in_hash_table: Duration,
    in_automaton: Duration,
}

#[test]
#[ignore = "needs /work/shared"]
fn automaton_verdicts_equal_naive_verdicts() {
    let setup = setup();
    let plans: Vec<Plan> = setup.plans.iter().map(|(_, plan)| plan.clone()).collect();
    let mut flat = Vec::new();
    for plan in &plans {
        units(plan, &mut flat);
    }
    // Both ways of looking up exact values, each against the naive verdicts, each timed
    // (the figures of the comment on `ExactValues`).
    let by_table = Automaton::build_with(&plans, ExactValues::HashTable);
    let by_scan = Automaton::build_with(&plans, ExactValues::Automaton);
    eprintln!("{:?}\n{:?}", by_table.stats(), by_scan.stats());
    let started = Instant::now();
    let compare_files = |files: &[PathBuf]| -> Verdicts {
        let mut reader = Reader::new(
            ReadConfig {
                projection: Projection::all(),
                ..ReadConfig::default()
            },
            setup.fields.clone(),
        );
        let (mut table_scratch, mut scan_scratch) = (Scratch::default(), Scratch::default());
        let mut share = Verdicts::default();
        for file in files {
            let mut sink = |event: &mut Event<'_>, _: &mut FieldTable| {
                setup.normalizer.apply(event);
                share.events += 1;
                let clock = Instant::now();
                let hashed = by_table.verdicts(event, &mut table_scratch);
                share.in_hash_table += clock.elapsed();
                let clock = Instant::now();
                let scanned = by_scan.verdicts(event, &mut scan_scratch);
                share.in_automaton += clock.elapsed();
                assert_eq!((hashed.len(), scanned.len()), (flat.len(), flat.len()));
                for (index, ((unit, hashed), scanned)) in
                    flat.iter().zip(hashed).zip(scanned).enumerate()
                {
                    let naive = naive_verdict(&unit.routing, &unit.predicate, event);
                    share.matched += u64::from(naive == Verdict::Matched);
                    for (how, verdict) in [
                        (ExactValues::HashTable, *hashed),
                        (ExactValues::Automaton, *scanned),
                    ] {
                        if naive != verdict && share.mismatches.len() < 20 {
                            let file = file.display().to_string();
                            share.mismatches.push((file, index, how, naive, verdict));
                        }
                    }
                }
            };
            // Unreadable records are the reader's business; both paths see the same events.
            let _ = reader.read_file(file, &mut sink);
        }
        share
    };
    // Files in turn to each thread, so large files spread out.
    let threads = threads();
    let shares: Vec<Vec<PathBuf>> = (0..threads)
        .map(|share| {
            setup
                .files
                .iter()
                .skip(share)
                .step_by(threads)
                .cloned()
                .collect()
        })
        .collect();
    let results: Vec<Verdicts> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .iter()
            .map(|files| scope.spawn(|| compare_files(files)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("no panic"))
            .collect()
    });
    let mut total = Verdicts::default();
    for mut share in results {
        total.events += share.events;
        total.matched += share.matched;
        total.mismatches.append(&mut share.mismatches);
        total.in_hash_table += share.in_hash_table;
        total.in_automaton += share.in_automaton;
    }
    eprintln!(
        "{} files, {} events, {} units, {} matched verdicts, {:?} ({threads} threads); \
         verdicts with exact values in hash tables {:?}, in the automaton {:?}",
        setup.files.len(),
        total.events,
        flat.len(),
        total.matched,
        started.elapsed(),
        total.in_hash_table,
        total.in_automaton,
    );
    assert!(total.events > 10_000, "{} events", total.events);
    assert!(total.matched > 0);
    assert_eq!(total.mismatches, Vec::new());
}
