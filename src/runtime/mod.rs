//! Running plans over events: per event, routing and the predicate, then the per-event stage;
//! aggregation into mergeable partial states; after the input, the subsearches and the row
//! stage. Input is cut into pieces (whole files, and byte ranges of large uncompressed files:
//! [`crate::events::read::plan_pieces`]), each thread reads a contiguous run of pieces, and
//! partial states are merged in input order, so a run gives the same rows whatever the thread
//! count and the piece size.

mod aggregate;
pub mod eval;
mod lookup;
mod row;
mod rows;
pub mod value;

use std::path::PathBuf;

pub use aggregate::GroupStates;
pub use lookup::{LookupTable, LookupTables, content_lookups};
pub use row::{Row, event_row};
pub use value::Value;

use crate::automaton::{Automaton, Scratch, Verdict, naive_verdict};
use crate::events::normalize::Normalizer;
use crate::events::read::{Piece, ReadConfig, ReadError, Reader, plan_pieces};
use crate::events::{Event, FieldTable, ReadSummary, Timestamp};
use crate::plan::Plan;
use eval::{EvalContext, SearchTime};
use rows::{RowContext, apply, apply_to_row};

/// The partial state of one plan (and its subsearches) over part of the input.
#[derive(Clone, Debug, Default)]
pub struct PlanState {
    /// Events that passed routing (the detection's data model or source).
    pub routed: u64,
    /// Events that matched the predicate.
    pub matched: u64,
    rows: Vec<Row>,
    groups: GroupStates,
    subsearches: Vec<PlanState>,
    /// `--now latest` and a per-event stage that reads the search time: `rows` holds the
    /// matched events' rows as read, and [`PlanState::finish`] runs the per-event stage and
    /// the aggregation once the newest event is known.
    deferred: bool,
}

impl PlanState {
    /// An empty state for `plan`.
    #[must_use]
    pub fn new(plan: &Plan) -> PlanState {
        PlanState::at(plan, SearchTime::At(Timestamp::from_nanos(0)))
    }

    /// An empty state for `plan` run at `now`. With [`SearchTime::LatestEvent`], a plan (or
    /// subsearch) whose per-event work reads the search time ([`Plan::reads_now_per_event`])
    /// defers it to [`PlanState::finish`]: the newest event is known only after the input.
    ///
    /// Why deferring rather than a first pass over the timestamps: a first pass reads and
    /// parses every input twice, whatever the plans; deferring costs only the rows the
    /// deferred plan's predicate matched. Measured (release, 2 loaded cores, 454 MB of OTRF
    /// JSON, 112,967 events): a read alone takes 1.9 s, so a first pass would add about that to
    /// every such run; deferring a selective plan (Sysmon 11, `where _time >=
    /// relative_time(now(), "-1d")`, `stats by Image`) adds no measurable time and 5 MB
    /// (1.9-2.1 s either way); the worst case, a plan matching every Sysmon event, adds 2.3 s
    /// and 560 MB (5.3 s against 3.0 s with a fixed time). No lowered corpus search reads the
    /// search time per event (21 of 1,505 read it, all after their aggregation), so this
    /// costs the corpus nothing.
    #[must_use]
    pub fn at(plan: &Plan, now: SearchTime) -> PlanState {
        PlanState {
            subsearches: plan
                .subsearches
                .iter()
                .map(|sub| PlanState::at(sub, now))
                .collect(),
            deferred: now == SearchTime::LatestEvent && plan.reads_now_per_event(),
            ..PlanState::default()
        }
    }

    /// Reads one event with the reference evaluation (routing, then the predicate, per
    /// plan). `names` is the table the event's ids come from.
    pub fn event(
        &mut self,
        plan: &Plan,
        event: &Event<'_>,
        names: &FieldTable,
        eval: &EvalContext,
    ) {
        self.event_decided(plan, event, names, eval, &mut |unit: &Plan| {
            naive_verdict(&unit.routing, &unit.predicate, event)
        });
    }

    /// Reads one event whose routing and predicate verdicts `decide` gives, called once per
    /// unit: each subsearch (recursively) first, then the plan itself, the order
    /// [`Automaton`] numbers units in.
    pub fn event_decided(
        &mut self,
        plan: &Plan,
        event: &Event<'_>,
        names: &FieldTable,
        eval: &EvalContext,
        decide: &mut dyn FnMut(&Plan) -> Verdict,
    ) {
        for (sub_plan, sub_state) in plan.subsearches.iter().zip(&mut self.subsearches) {
            sub_state.event_decided(sub_plan, event, names, eval, decide);
        }
        match decide(plan) {
            Verdict::NotRouted => return,
            Verdict::Routed => {
                self.routed += 1;
                return;
            }
            Verdict::Matched => {
                self.routed += 1;
                self.matched += 1;
            }
        }
        let row = event_row(event, &plan.input, names);
        if self.deferred {
            self.rows.push(row);
        } else {
            self.per_event(plan, row, names, eval);
        }
    }

    /// The per-event stage and the aggregation for one matched event's row.
    fn per_event(&mut self, plan: &Plan, mut row: Row, names: &FieldTable, eval: &EvalContext) {
        for op in &plan.event_stage {
            if !apply_to_row(op, &mut row, names, eval) {
                return;
            }
        }
        match &plan.aggregation {
            Some(aggregation) => self.groups.add(aggregation, &row, eval),
            None => {
                if let Some(keep) = &plan.stored_fields {
                    row.cells_mut()
                        .retain(|(name, _)| keep.iter().any(|kept| kept == name));
                }
                self.rows.push(row);
            }
        }
    }

    /// Merges the state of later input into this one.
    pub fn merge(&mut self, plan: &Plan, later: PlanState) {
        self.routed += later.routed;
        self.matched += later.matched;
        self.rows.extend(later.rows);
        if let Some(aggregation) = &plan.aggregation {
            self.groups.merge(aggregation, later.groups);
        }
        for ((sub_plan, mine), theirs) in plan
            .subsearches
            .iter()
            .zip(&mut self.subsearches)
            .zip(later.subsearches)
        {
            mine.merge(sub_plan, theirs);
        }
    }

    /// The result rows, in Splunk's order: events newest first (a stable sort on `_time`,
    /// input order among equal times), aggregation groups sorted by their `by` values.
    /// A deferred state ([`PlanState::at`]) runs its per-event stage first, at `eval`'s time.
    #[must_use]
    pub fn finish(
        mut self,
        plan: &Plan,
        names: &FieldTable,
        eval: &EvalContext,
        lookups: &LookupTables,
    ) -> Vec<Row> {
        if self.deferred {
            self.deferred = false;
            for row in std::mem::take(&mut self.rows) {
                self.per_event(plan, row, names, eval);
            }
        }
        let subsearches: Vec<Vec<Row>> = plan
            .subsearches
            .iter()
            .zip(self.subsearches)
            .map(|(sub_plan, state)| state.finish(sub_plan, names, eval, lookups))
            .collect();
        let rows = match &plan.aggregation {
            Some(aggregation) => self.groups.finish(aggregation),
            None => {
                let mut rows = self.rows;
                rows.sort_by(|a, b| {
                    let time = |row: &Row| {
                        row.first("_time")
                            .and_then(crate::spl::semantics::number)
                            .unwrap_or(f64::NEG_INFINITY)
                    };
                    time(b)
                        .partial_cmp(&time(a))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                rows
            }
        };
        let context = RowContext {
            names,
            subsearches: &subsearches,
            eval,
            lookups,
        };
        apply(&plan.row_stage, rows, &context)
    }
}

/// What a run reads and how.
pub struct RunInput<'a> {
    /// The files, in order.
    pub files: &'a [PathBuf],
    /// How to read them.
    pub config: &'a ReadConfig,
    /// The table the plans were lowered with (and the normalizer built with).
    pub fields: &'a FieldTable,
    /// CIM normalization.
    pub normalizer: &'a Normalizer,
    /// Extra per-event work (asset enrichment), after normalization.
    pub enrich: &'a (dyn Fn(&mut Event<'_>) + Sync),
    /// Worker threads (at least 1).
    pub threads: usize,
    /// The largest piece of a file a thread reads at once; `None`: about a quarter of a
    /// thread's share of the input, so that large files are shared among threads.
    pub chunk_bytes: Option<u64>,
    /// The search time. With [`SearchTime::LatestEvent`] the plans whose per-event work
    /// reads it defer that work to [`PlanState::finish`] ([`PlanState::at`]).
    pub now: SearchTime,
    /// Told how far the read is (a progress line), from every worker thread.
    pub progress: &'a (dyn Fn(Progress) + Sync),
    /// How events are matched to plans.
    pub engine: Engine,
}

/// How events are matched to plans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// One aho-corasick automaton over every plan's required literals, exact verification
    /// of candidates only ([`crate::automaton`]).
    #[default]
    Automaton,
    /// Every plan's routing and predicate on every event: the reference the automaton is
    /// tested against.
    Naive,
}

/// What [`RunInput::progress`] is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// This many more events were read (told in batches, so the per-event cost stays a
    /// counter increment).
    Events(u64),
    /// One more file was read to its end.
    FileDone,
}

/// Events read between two [`Progress::Events`].
const PROGRESS_EVERY: u64 = 4096;

/// What a run produced before the row stage.
pub struct RunOutput {
    /// One state per plan.
    pub states: Vec<PlanState>,
    /// Events read, bad records.
    pub summary: ReadSummary,
    /// Inputs that could not be read, with why.
    pub errors: Vec<ReadError>,
    /// The latest event time read, in epoch nanoseconds (for `--now latest`).
    pub latest: Option<i64>,
}

/// Reads every file and runs every plan over its events. The input is cut into pieces, the
/// pieces into contiguous runs of about equal weight, one per thread; states are merged in
/// input order.
#[must_use]
pub fn run(plans: &[Plan], input: &RunInput<'_>) -> RunOutput {
    let runs = thread_runs(input);
    let automaton = (input.engine == Engine::Automaton).then(|| Automaton::build(plans));
    let automaton = automaton.as_ref();
    let results: Vec<RunOutput> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|pieces| scope.spawn(move || run_pieces(plans, automaton, pieces, input)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| RunOutput {
                    states: plans
                        .iter()
                        .map(|plan| PlanState::at(plan, input.now))
                        .collect(),
                    summary: ReadSummary::default(),
                    errors: Vec::new(),
                    latest: None,
                })
            })
            .collect()
    });
    let mut merged = RunOutput {
        states: plans
            .iter()
            .map(|plan| PlanState::at(plan, input.now))
            .collect(),
        summary: ReadSummary::default(),
        errors: Vec::new(),
        latest: None,
    };
    for part in results {
        for ((plan, mine), theirs) in plans.iter().zip(&mut merged.states).zip(part.states) {
            mine.merge(plan, theirs);
        }
        merged.summary.merge(part.summary);
        merged.errors.extend(part.errors);
        merged.latest = merged.latest.max(part.latest);
    }
    merged
}

/// A piece is at least this large when the size is chosen automatically: smaller ones cost
/// more in opening and seeking than they win in balance.
const MIN_AUTO_CHUNK: u64 = 4 << 20;

/// The input's pieces, split into at most `threads` contiguous runs of about equal weight.
fn thread_runs(input: &RunInput<'_>) -> Vec<Vec<Piece>> {
    let threads = input.threads.max(1);
    let chunk_bytes = match input.chunk_bytes {
        Some(bytes) => bytes,
        None if threads == 1 => u64::MAX,
        None => {
            let total: u64 = input
                .files
                .iter()
                .filter_map(|file| std::fs::metadata(file).ok())
                .map(|meta| meta.len())
                .sum();
            (total / (threads as u64 * 4)).max(MIN_AUTO_CHUNK)
        }
    };
    let pieces = plan_pieces(input.files, input.config, chunk_bytes);
    split_runs(pieces, threads)
}

/// Cuts `pieces` into at most `runs` contiguous runs: a run ends once the weight so far
/// reaches its share of the total.
fn split_runs(pieces: Vec<Piece>, runs: usize) -> Vec<Vec<Piece>> {
    let total: u64 = pieces.iter().map(|piece| piece.weight.max(1)).sum();
    let runs = runs.clamp(1, pieces.len().max(1));
    let mut out: Vec<Vec<Piece>> = Vec::with_capacity(runs);
    let mut current = Vec::new();
    let mut done = 0u64;
    for piece in pieces {
        done += piece.weight.max(1);
        current.push(piece);
        // The end of run k is where the weight reaches (k + 1) / runs of the total.
        let share = u128::from(total) * (out.len() as u128 + 1) / runs as u128;
        if u128::from(done) >= share && out.len() + 1 < runs {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out
}

fn run_pieces(
    plans: &[Plan],
    automaton: Option<&Automaton>,
    pieces: &[Piece],
    input: &RunInput<'_>,
) -> RunOutput {
    let mut scratch = Scratch::default();
    let mut states: Vec<PlanState> = plans
        .iter()
        .map(|plan| PlanState::at(plan, input.now))
        .collect();
    let mut reader = Reader::new(input.config.clone(), input.fields.clone());
    let mut errors = Vec::new();
    let mut latest: Option<i64> = None;
    // With `latest`, only deferred work would read the time, and it runs in `finish`: this
    // value is never read.
    let eval = EvalContext::new(match input.now {
        SearchTime::At(time) => time,
        SearchTime::LatestEvent => Timestamp::from_nanos(0),
    });
    let mut unreported = 0u64;
    for piece in pieces {
        let mut sink = |event: &mut Event<'_>, table: &mut FieldTable| {
            unreported += 1;
            if unreported == PROGRESS_EVERY {
                (input.progress)(Progress::Events(unreported));
                unreported = 0;
            }
            input.normalizer.apply(event);
            (input.enrich)(event);
            if let Some(time) = event.time() {
                latest = latest.max(Some(time.nanos()));
            }
            match automaton {
                Some(automaton) => {
                    let mut verdicts = automaton.verdicts(event, &mut scratch).iter().copied();
                    let mut decide = |_: &Plan| verdicts.next().unwrap_or(Verdict::NotRouted);
                    for (plan, state) in plans.iter().zip(&mut states) {
                        state.event_decided(plan, event, table, &eval, &mut decide);
                    }
                }
                None => {
                    for (plan, state) in plans.iter().zip(&mut states) {
                        state.event(plan, event, table, &eval);
                    }
                }
            }
        };
        if let Err(error) = reader.read_piece(piece, &mut sink) {
            errors.push(error);
        }
        (input.progress)(Progress::Events(std::mem::take(&mut unreported)));
        if piece.ends_file() {
            (input.progress)(Progress::FileDone);
        }
    }
    let (_, summary) = reader.into_parts();
    RunOutput {
        states,
        summary,
        errors,
        latest,
    }
}

#[cfg(test)]
mod tests;
