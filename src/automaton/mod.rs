//! One aho-corasick automaton over the required literals of every detection (issue 14 point
//! 2): per event, route, scan only the fields some pattern needs, collect candidate
//! detections, and verify each candidate exactly with the reference [`crate::plan::matches`].
//!
//! The contract is zero false negatives: [`extract::required`] only names pieces every match
//! implies, so a detection that is not a candidate cannot match. Detections with no usable
//! literal (only `!=`, numbers, `NOT`) are in the always-check set, still behind routing.
//!
//! Exact values (`f=v`) go to per-field hash tables instead of the automaton: see
//! [`ExactValues`] for why, measured.
//!
//! Units: each plan and, before it, each of its subsearches (post-order, the order
//! [`crate::runtime::PlanState`] reads them in) is one unit with its own routing and
//! predicate. Routings are deduplicated (most detections share a handful of data model
//! datasets), so routing costs one check per distinct routing per event.

pub mod extract;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::events::{Event, FieldId};
use crate::plan::{Plan, Predicate, Routing, matches};
use extract::{Need, PieceKind, required};

/// What a unit made of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The event is outside the unit's data model or source.
    NotRouted,
    /// Routed, but the predicate does not hold.
    Routed,
    /// Routed, and the predicate holds.
    Matched,
}

/// The verdict of the reference evaluation: routing, then [`matches`].
#[must_use]
pub fn naive_verdict(routing: &Routing, predicate: &Predicate, event: &Event<'_>) -> Verdict {
    if !routing.accepts(event) {
        Verdict::NotRouted
    } else if matches(predicate, event) {
        Verdict::Matched
    } else {
        Verdict::Routed
    }
}

struct Unit {
    routing: usize,
    predicate: Predicate,
    need: Option<Need>,
}

/// Where the whole values of exact tests (`f=v` without a wildcard) are looked up. Wildcard
/// and term pieces can only go through the automaton (they are substrings of the value);
/// an exact value can go either way, and the hash tables are the default because they
/// measured faster and smaller.
///
/// Measurement: tests/automaton_differential.rs, `automaton_verdicts_equal_naive_verdicts`,
/// builds both over the 1,558 units of the compiled corpus, calls both on each of the
/// 149,591 shared events (interleaved, so machine load hits both alike), times each call and
/// checks both against the naive verdicts (0 mismatches for both). Built at opt-level 2 (the
/// test's profile then; CI now builds it with `--release`), 2 threads, a shared machine at load average ~12, 2026-12-02:
///
/// | exact values in | time in `verdicts` | patterns | exact values | fields scanned + looked up | automaton heap | build |
/// |---|---:|---:|---:|---:|---:|---:|
/// | hash tables | 125.8 s | 1,236 | 803 | 65 + 115 | 8.8 MB | 0.33 s |
/// | the automaton | 136.2 s | 1,827 | 0 | 155 + 0 | 11.7 MB | 0.52 s |
///
/// The time includes routing and the exact verification of candidates, the same for both,
/// so the 8% difference is all in finding candidates: 115 fields are only ever tested for
/// exact values and need one hash lookup per value instead of a scan, and an exact value no
/// longer makes a candidate of every longer value containing it (`cmd.exe` in
/// `xcmd.exe.bak`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExactValues {
    /// A hash table per field, keyed by the lowercased whole value: one lookup per value,
    /// and a field only tested for exact values is never scanned by the automaton.
    #[default]
    HashTable,
    /// Patterns of the aho-corasick automaton, like wildcard pieces: every occurrence of the
    /// value inside a longer one is a candidate too, verified and rejected.
    Automaton,
}

/// Build figures, for `detc compile` and `detc run`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Units (plans and subsearches).
    pub units: usize,
    /// Distinct routings.
    pub routings: usize,
    /// Distinct patterns in the automaton.
    pub patterns: usize,
    /// Distinct (field, value) pairs in the exact-value hash tables.
    pub exact_values: usize,
    /// Units with no usable literal (always checked after routing).
    pub always_checked: usize,
    /// Units that can never match (`False`).
    pub never: usize,
    /// Fields scanned by the automaton.
    pub fields_scanned: usize,
    /// Fields whose values are looked up in the exact-value hash tables.
    pub fields_looked_up: usize,
    /// The automaton's heap bytes (`AhoCorasick::memory_usage`; the hash tables are not
    /// counted).
    pub heap_bytes: usize,
    /// Build time of extraction and automaton.
    pub build_time: Duration,
}

/// Exact values of one field: lowercased value to the units that need it.
type ExactTable = HashMap<Box<str>, Vec<usize>, foldhash::fast::RandomState>;

/// The automaton over a set of plans. Immutable and shared between threads; per-thread state
/// is a [`Scratch`].
pub struct Automaton {
    units: Vec<Unit>,
    routings: Vec<Routing>,
    automaton: Option<AhoCorasick>,
    /// Per pattern: the (unit, field) pairs that need it.
    needs: Vec<Vec<(usize, FieldId)>>,
    /// Indexed by [`FieldId::index`]: whether some pattern needs the field.
    scanned: Vec<bool>,
    /// Indexed by [`FieldId::index`]: the exact values some unit needs in the field (empty
    /// when none).
    exact: Vec<ExactTable>,
    always: Vec<usize>,
    stats: BuildStats,
}

/// Per-thread state of [`Automaton::verdicts`].
#[derive(Default)]
pub struct Scratch {
    routed: Vec<bool>,
    /// The event number at which a unit was last made a candidate (no clearing per event).
    candidate: Vec<u64>,
    event: u64,
    verdicts: Vec<Verdict>,
    lowered: String,
}

/// The aho-corasick configuration. On the compiled corpus (1,558 units) it holds 1,236
/// patterns (exact values are in hash tables, see [`ExactValues`]) in 8.8 MB of heap, built
/// with the extraction in 0.33 s (`differential` profile, tests/automaton_differential.rs); a
/// DFA-versus-NFA speed comparison is not measured yet:
/// - `MatchKind::Standard` with overlapping search: every pattern occurring in a value must
///   be reported (`cmd.exe` and `md.exe` may both be needed, by different detections);
///   leftmost kinds would hide one of them and lose a candidate.
/// - ASCII case-insensitive: SPL's search comparison ignores case; literals are lowercased
///   ASCII and non-ASCII values are also scanned lowercased (see [`extract`]).
/// - DFA: field values are short and scanned once per event for every field some detection
///   reads, so search speed dominates over the one-off build and its 11.7 MB; the
///   contiguous NFA is the fallback when the DFA exceeds the builder's limits.
fn build_automaton(patterns: &[String]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(patterns)
        .or_else(|_| {
            // A DFA too large for the builder's limits: the contiguous NFA has none.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(patterns)
        })
        .ok()
}

/// Sets `flags[index]`, growing `flags` as needed.
fn flag(flags: &mut Vec<bool>, index: usize) {
    if flags.len() <= index {
        flags.resize(index + 1, false);
    }
    if let Some(slot) = flags.get_mut(index) {
        *slot = true;
    }
}

impl Automaton {
    /// Builds the automaton over `plans` (and their subsearches), exact values in hash
    /// tables.
    #[must_use]
    pub fn build(plans: &[Plan]) -> Automaton {
        Automaton::build_with(plans, ExactValues::default())
    }

    /// Builds the automaton over `plans`, exact values where `exact` says.
    #[must_use]
    pub fn build_with(plans: &[Plan], exact_values: ExactValues) -> Automaton {
        let started = Instant::now();
        let mut routings: Vec<Routing> = Vec::new();
        let mut units = Vec::new();
        for plan in plans {
            collect_units(plan, &mut routings, &mut units);
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_ids: BTreeMap<String, usize> = BTreeMap::new();
        let mut needs: Vec<Vec<(usize, FieldId)>> = Vec::new();
        let mut scanned: Vec<bool> = Vec::new();
        let mut exact: Vec<ExactTable> = Vec::new();
        let mut always = Vec::new();
        let mut never = 0;
        for (index, unit) in units.iter().enumerate() {
            match &unit.need {
                None => always.push(index),
                Some(need) if need.is_empty() => never += 1,
                Some(need) => {
                    for piece in need {
                        let slot = piece.field.index();
                        if piece.kind == PieceKind::Exact && exact_values == ExactValues::HashTable
                        {
                            if exact.len() <= slot {
                                exact.resize_with(slot + 1, ExactTable::default);
                            }
                            if let Some(table) = exact.get_mut(slot) {
                                let users = table.entry(piece.literal.as_str().into()).or_default();
                                if users.last() != Some(&index) {
                                    users.push(index);
                                }
                            }
                            continue;
                        }
                        let id = *pattern_ids.entry(piece.literal.clone()).or_insert_with(|| {
                            patterns.push(piece.literal.clone());
                            needs.push(Vec::new());
                            patterns.len() - 1
                        });
                        if let Some(users) = needs.get_mut(id) {
                            users.push((index, piece.field));
                        }
                        flag(&mut scanned, slot);
                    }
                }
            }
        }
        let automaton = build_automaton(&patterns);
        // Without an automaton (it failed to build) nothing may be lost: check every unit.
        if automaton.is_none() && !patterns.is_empty() {
            always = (0..units.len()).collect();
        }
        let stats = BuildStats {
            units: units.len(),
            routings: routings.len(),
            patterns: patterns.len(),
            exact_values: exact.iter().map(HashMap::len).sum(),
            always_checked: always.len(),
            never,
            fields_scanned: scanned.iter().filter(|&&flag| flag).count(),
            fields_looked_up: exact.iter().filter(|table| !table.is_empty()).count(),
            heap_bytes: automaton.as_ref().map_or(0, AhoCorasick::memory_usage),
            build_time: started.elapsed(),
        };
        Automaton {
            units,
            routings,
            automaton,
            needs,
            scanned,
            exact,
            always,
            stats,
        }
    }

    /// The build figures.
    #[must_use]
    pub fn stats(&self) -> &BuildStats {
        &self.stats
    }

    /// The verdict of every unit on `event`, in unit order (post-order over the plans given
    /// to [`Automaton::build`]).
    pub fn verdicts<'s>(&self, event: &Event<'_>, scratch: &'s mut Scratch) -> &'s [Verdict] {
        scratch.event += 1;
        let stamp = scratch.event;
        scratch.routed.clear();
        scratch
            .routed
            .extend(self.routings.iter().map(|routing| routing.accepts(event)));
        scratch.candidate.resize(self.units.len(), 0);
        for field in [
            FieldId::RAW,
            FieldId::SOURCE,
            FieldId::SOURCETYPE,
            FieldId::HOST,
        ] {
            for value in event.values(field) {
                self.look_up(field, value, stamp, scratch);
            }
        }
        for entry in event.entries() {
            // Entries under a reserved id are invisible to `Event::values`, so to the
            // exact evaluation too.
            if !entry.field.is_reserved() {
                self.look_up(entry.field, &entry.value, stamp, scratch);
            }
        }
        for &unit in &self.always {
            if let Some(slot) = scratch.candidate.get_mut(unit) {
                *slot = stamp;
            }
        }
        scratch.verdicts.clear();
        for (unit, stamped) in self.units.iter().zip(&scratch.candidate) {
            let verdict = if !scratch.routed.get(unit.routing).copied().unwrap_or(false) {
                Verdict::NotRouted
            } else if *stamped == stamp && matches(&unit.predicate, event) {
                Verdict::Matched
            } else {
                Verdict::Routed
            };
            scratch.verdicts.push(verdict);
        }
        &scratch.verdicts
    }

    /// Makes candidates of the units some pattern or exact value of `field` found in
    /// `value`.
    fn look_up(&self, field: FieldId, value: &str, stamp: u64, scratch: &mut Scratch) {
        let slot = field.index();
        let automaton = self
            .automaton
            .as_ref()
            .filter(|_| self.scanned.get(slot).copied().unwrap_or(false));
        let table = self.exact.get(slot).filter(|table| !table.is_empty());
        if automaton.is_none() && table.is_none() {
            return;
        }
        if let Some(automaton) = automaton {
            self.mark(automaton, field, value, stamp, &mut scratch.candidate);
        }
        // The lowercased copy: Unicode lowercasing can turn non-ASCII text into ASCII (`K`
        // Kelvin sign → `k`), and the exact comparison folds that way, so the scan must see
        // it; and the hash tables hold lowercased values. Per-char lowering differs from
        // `str::to_lowercase` only for a final sigma, which is not ASCII and so is in no
        // pattern and no table.
        let lowered: &str = if value.is_ascii() {
            if table.is_none() || !value.bytes().any(|byte| byte.is_ascii_uppercase()) {
                value
            } else {
                scratch.lowered.clear();
                scratch.lowered.push_str(value);
                scratch.lowered.make_ascii_lowercase();
                &scratch.lowered
            }
        } else {
            scratch.lowered.clear();
            scratch
                .lowered
                .extend(value.chars().flat_map(char::to_lowercase));
            if let Some(automaton) = automaton {
                self.mark(
                    automaton,
                    field,
                    &scratch.lowered,
                    stamp,
                    &mut scratch.candidate,
                );
            }
            &scratch.lowered
        };
        if let Some(users) = table.and_then(|table| table.get(lowered)) {
            for &unit in users {
                if let Some(slot) = scratch.candidate.get_mut(unit) {
                    *slot = stamp;
                }
            }
        }
    }

    fn mark(
        &self,
        automaton: &AhoCorasick,
        field: FieldId,
        haystack: &str,
        stamp: u64,
        candidate: &mut [u64],
    ) {
        for hit in automaton.find_overlapping_iter(haystack) {
            let Some(users) = self.needs.get(hit.pattern().as_usize()) else {
                continue;
            };
            for &(unit, wanted) in users {
                if wanted == field
                    && let Some(slot) = candidate.get_mut(unit)
                {
                    *slot = stamp;
                }
            }
        }
    }

    /// The literals a match of `plan`'s own predicate needs (one of them), for `--explain`:
    /// `None` when it is always checked.
    #[must_use]
    pub fn need_of(plan: &Plan) -> Option<Need> {
        required(&plan.predicate)
    }
}

fn collect_units(plan: &Plan, routings: &mut Vec<Routing>, units: &mut Vec<Unit>) {
    for sub in &plan.subsearches {
        collect_units(sub, routings, units);
    }
    let routing = match routings.iter().position(|known| *known == plan.routing) {
        Some(index) => index,
        None => {
            routings.push(plan.routing.clone());
            routings.len() - 1
        }
    };
    units.push(Unit {
        routing,
        predicate: plan.predicate.clone(),
        need: required(&plan.predicate),
    });
}

#[cfg(test)]
mod tests;
