//! One aho-corasick automaton over the required literals of every detection (issue 14 point
//! 2): per event, route, scan only the fields some pattern needs, collect candidate
//! detections, and verify each candidate exactly with the reference [`crate::plan::matches`].
//!
//! The contract is zero false negatives: [`extract::required`] only names pieces every match
//! implies, so a detection that is not a candidate cannot match. Detections with no usable
//! literal (only `!=`, numbers, `NOT`) are in the always-check set, still behind routing.
//!
//! Units: each plan and, before it, each of its subsearches (post-order, the order
//! [`crate::runtime::PlanState`] reads them in) is one unit with its own routing and
//! predicate. Routings are deduplicated (most detections share a handful of data model
//! datasets), so routing costs one check per distinct routing per event.

pub mod extract;

use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::events::{Event, FieldId};
use crate::plan::{Plan, Predicate, Routing, matches};
use extract::{Need, required};

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

/// Build figures, for `detc compile` and `detc run`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Units (plans and subsearches).
    pub units: usize,
    /// Distinct routings.
    pub routings: usize,
    /// Distinct patterns in the automaton.
    pub patterns: usize,
    /// Units with no usable literal (always checked after routing).
    pub always_checked: usize,
    /// Units that can never match (`False`).
    pub never: usize,
    /// Fields scanned.
    pub fields_scanned: usize,
    /// The automaton's heap bytes (`AhoCorasick::memory_usage`).
    pub heap_bytes: usize,
    /// Build time of extraction and automaton.
    pub build_time: Duration,
}

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

/// The aho-corasick configuration. On the compiled corpus (1,499 units) it holds 1,821
/// patterns in 11.7 MB of heap, built in 0.7 s (debug build, tests/automaton_differential.rs);
/// a DFA-versus-NFA speed comparison is not measured yet:
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

impl Automaton {
    /// Builds the automaton over `plans` (and their subsearches).
    #[must_use]
    pub fn build(plans: &[Plan]) -> Automaton {
        let started = Instant::now();
        let mut routings: Vec<Routing> = Vec::new();
        let mut units = Vec::new();
        for plan in plans {
            collect_units(plan, &mut routings, &mut units);
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_ids: std::collections::BTreeMap<String, usize> = Default::default();
        let mut needs: Vec<Vec<(usize, FieldId)>> = Vec::new();
        let mut scanned: Vec<bool> = Vec::new();
        let mut always = Vec::new();
        let mut never = 0;
        for (index, unit) in units.iter().enumerate() {
            match &unit.need {
                None => always.push(index),
                Some(need) if need.is_empty() => never += 1,
                Some(need) => {
                    for piece in need {
                        let id = *pattern_ids.entry(piece.literal.clone()).or_insert_with(|| {
                            patterns.push(piece.literal.clone());
                            needs.push(Vec::new());
                            patterns.len() - 1
                        });
                        if let Some(users) = needs.get_mut(id) {
                            users.push((index, piece.field));
                        }
                        let slot = piece.field.index();
                        if scanned.len() <= slot {
                            scanned.resize(slot + 1, false);
                        }
                        if let Some(flag) = scanned.get_mut(slot) {
                            *flag = true;
                        }
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
            always_checked: always.len(),
            never,
            fields_scanned: scanned.iter().filter(|&&flag| flag).count(),
            heap_bytes: automaton.as_ref().map_or(0, AhoCorasick::memory_usage),
            build_time: started.elapsed(),
        };
        Automaton {
            units,
            routings,
            automaton,
            needs,
            scanned,
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
        if let Some(automaton) = &self.automaton {
            for field in [
                FieldId::RAW,
                FieldId::SOURCE,
                FieldId::SOURCETYPE,
                FieldId::HOST,
            ] {
                if self.scans(field) {
                    for value in event.values(field) {
                        self.scan(automaton, field, value, stamp, scratch);
                    }
                }
            }
            for entry in event.entries() {
                // Entries under a reserved id are invisible to `Event::values`, so to the
                // exact evaluation too.
                if !entry.field.is_reserved() && self.scans(entry.field) {
                    self.scan(automaton, entry.field, &entry.value, stamp, scratch);
                }
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

    fn scans(&self, field: FieldId) -> bool {
        self.scanned.get(field.index()).copied().unwrap_or(false)
    }

    fn scan(
        &self,
        automaton: &AhoCorasick,
        field: FieldId,
        value: &str,
        stamp: u64,
        scratch: &mut Scratch,
    ) {
        self.mark(automaton, field, value, stamp, &mut scratch.candidate);
        if !value.is_ascii() {
            // Unicode lowercasing can turn non-ASCII text into ASCII (`K` Kelvin sign → `k`);
            // the exact comparison folds that way, so the scan must see it.
            scratch.lowered.clear();
            scratch
                .lowered
                .extend(value.chars().flat_map(char::to_lowercase));
            let lowered = std::mem::take(&mut scratch.lowered);
            self.mark(automaton, field, &lowered, stamp, &mut scratch.candidate);
            // `str::to_lowercase` differs from per-char lowering only for a final sigma,
            // which is not ASCII and so is in no pattern.
            scratch.lowered = lowered;
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

    /// The literals of the unit of `plan` given its position among the units, for
    /// `--explain`: `None` when it is always checked.
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
