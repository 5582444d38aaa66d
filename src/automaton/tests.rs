//! The automaton against the reference evaluation: table cases, and a proptest that a
//! matching unit is always a candidate (zero false negatives) and that verdicts equal the
//! naive ones.

use proptest::prelude::*;

use super::*;
use crate::events::FieldTable;
use crate::plan::{RawKind, RawTerm, ValueTest};
use crate::spl::ast::ValueKind;

fn plan(predicate: Predicate) -> Plan {
    Plan {
        routing: Routing::default(),
        predicate,
        input: crate::plan::RowInput::Event,
        event_stage: Vec::new(),
        aggregation: None,
        row_stage: Vec::new(),
        subsearches: Vec::new(),
        stored_fields: None,
    }
}

fn equal(field: FieldId, value: &str) -> Predicate {
    let kind = if value.contains('*') {
        ValueKind::Wildcard { stars: Vec::new() }
    } else {
        ValueKind::Exact
    };
    Predicate::Field {
        field,
        test: ValueTest::Equal {
            value: value.to_owned(),
            kind,
        },
    }
}

fn naive_all(plans: &[Plan], event: &Event<'_>) -> Vec<Verdict> {
    plans
        .iter()
        .map(|plan| naive_verdict(&plan.routing, &plan.predicate, event))
        .collect()
}

#[test]
fn candidates_are_verified_and_non_candidates_skipped() {
    let mut table = FieldTable::new();
    let image = table.intern("Image");
    let command = table.intern("CommandLine");
    let plans = vec![
        plan(Predicate::And(vec![
            equal(image, "*\\7z.exe"),
            equal(command, "* a *"),
        ])),
        plan(equal(image, "*\\AppData\\*\\*.exe")),
        plan(Predicate::FieldNot {
            field: image,
            test: ValueTest::Equal {
                value: "x".to_owned(),
                kind: ValueKind::Exact,
            },
        }),
        plan(Predicate::Raw(RawTerm {
            text: "mimikatz".to_owned(),
            kind: RawKind::Word,
        })),
    ];
    let automaton = Automaton::build(&plans);
    let stats = automaton.stats();
    assert_eq!(stats.units, 4);
    assert_eq!(stats.always_checked, 1);
    assert_eq!(stats.patterns, 3);
    assert!(stats.heap_bytes > 0);

    let mut event = Event::new("C:\\Users\\bob\\AppData\\Local\\Temp\\7Z.EXE a out.7z");
    event.push_raw(image, "C:\\Users\\bob\\AppData\\Local\\Temp\\7Z.EXE");
    event.push_raw(command, "7z.exe x out.7z");
    let mut scratch = Scratch::default();
    let verdicts = automaton.verdicts(&event, &mut scratch).to_vec();
    assert_eq!(verdicts, naive_all(&plans, &event));
    assert_eq!(
        verdicts,
        [
            Verdict::Routed,
            Verdict::Matched,
            Verdict::Matched,
            Verdict::Routed
        ]
    );
}

#[test]
fn non_ascii_values_fold_like_the_exact_comparison() {
    let mut table = FieldTable::new();
    let user = table.intern("user");
    // The Kelvin sign lowercases to an ASCII `k`: `user=k*` matches it in Splunk's folding.
    let plans = vec![plan(equal(user, "kk*"))];
    let automaton = Automaton::build(&plans);
    let mut event = Event::new("");
    event.push_raw(user, "\u{212A}\u{212A}x");
    let mut scratch = Scratch::default();
    assert_eq!(
        automaton.verdicts(&event, &mut scratch),
        naive_all(&plans, &event).as_slice()
    );
    assert_eq!(naive_all(&plans, &event), [Verdict::Matched]);
}

#[test]
fn exact_values_are_looked_up_whole_and_folded() {
    let mut table = FieldTable::new();
    let user = table.intern("user");
    let plans = vec![plan(equal(user, "KK")), plan(equal(user, "k"))];
    for exact_values in [ExactValues::HashTable, ExactValues::Automaton] {
        let automaton = Automaton::build_with(&plans, exact_values);
        let stats = automaton.stats();
        match exact_values {
            ExactValues::HashTable => {
                assert_eq!((stats.patterns, stats.exact_values), (0, 2));
                assert_eq!((stats.fields_scanned, stats.fields_looked_up), (0, 1));
            }
            ExactValues::Automaton => {
                assert_eq!((stats.patterns, stats.exact_values), (2, 0));
                assert_eq!((stats.fields_scanned, stats.fields_looked_up), (1, 0));
            }
        }
        // Kelvin signs lowercase to `kk`; `k` alone is only a piece of the value.
        for value in ["\u{212A}K", "kK", "kkk"] {
            let mut event = Event::new("");
            event.push_raw(user, value);
            let mut scratch = Scratch::default();
            assert_eq!(
                automaton.verdicts(&event, &mut scratch),
                naive_all(&plans, &event).as_slice(),
                "{value:?} {exact_values:?}"
            );
        }
        let mut event = Event::new("");
        event.push_raw(user, "\u{212A}K");
        assert_eq!(
            naive_all(&plans, &event),
            [Verdict::Matched, Verdict::Routed]
        );
    }
}

/// Small alphabet so that generated literals and values collide often.
fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[aAbB*\\\\ .\u{212A}ß]{0,5}").unwrap_or_else(|_| unreachable!())
}

fn predicate(fields: Vec<FieldId>) -> impl Strategy<Value = Predicate> {
    let field = proptest::sample::select(fields);
    let leaf = prop_oneof![
        (field.clone(), text()).prop_map(|(f, v)| equal(f, &v)),
        (field.clone(), text()).prop_map(|(f, v)| Predicate::FieldNot {
            field: f,
            test: ValueTest::Equal {
                value: v,
                kind: ValueKind::Exact
            }
        }),
        (text(), 0..3u8).prop_map(|(text, kind)| Predicate::Raw(RawTerm {
            text,
            kind: match kind {
                0 => RawKind::Word,
                1 => RawKind::Term,
                _ => RawKind::Case,
            },
        })),
        Just(Predicate::True),
        Just(Predicate::False),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Predicate::And),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Predicate::Or),
            inner.prop_map(|p| Predicate::Not(Box::new(p))),
        ]
    })
}

proptest! {
    #[test]
    fn automaton_never_loses_a_match(
        predicates in proptest::collection::vec(predicate(vec![
            FieldId::RAW, FieldId::HOST, FieldId::SOURCE, FieldId::TIME,
        ]), 1..6),
        raw in text(),
        host in proptest::option::of(text()),
        extra in proptest::collection::vec(text(), 0..3),
    ) {
        let mut table = FieldTable::new();
        let other = table.intern("other");
        // Also entries under generated ordinary fields.
        let predicates: Vec<Predicate> = predicates
            .into_iter()
            .enumerate()
            .map(|(i, p)| if i % 2 == 0 { p } else { Predicate::Or(vec![p, equal(other, "a*b")]) })
            .collect();
        let plans: Vec<Plan> = predicates.into_iter().map(plan).collect();
        let mut event = Event::new(raw);
        if let Some(host) = host {
            event.set_host(host);
        }
        for value in extra {
            event.push_raw(other, value);
        }
        let naive = naive_all(&plans, &event);
        for exact_values in [ExactValues::HashTable, ExactValues::Automaton] {
            let automaton = Automaton::build_with(&plans, exact_values);
            let mut scratch = Scratch::default();
            let fast = automaton.verdicts(&event, &mut scratch).to_vec();
            // Candidates ⊇ matches: equal verdicts mean no matching unit was skipped.
            prop_assert_eq!(&fast, &naive, "{:?}", exact_values);
        }
    }
}
