//! Table-driven tests of the predicate's reference semantics (spl-semantics.md 2.3).

use super::predicate::matches;
use super::search::{Scope, lower_search, split_routing};
use crate::events::{Event, FieldTable};
use crate::spl::ast::CommandKind;

/// Lowers the leading search of `text` over events.
fn lower(text: &str, fields: &mut FieldTable) -> super::Predicate {
    let out = crate::spl::parse(text);
    let Some(CommandKind::Search { expr: Some(expr) }) =
        out.pipeline.commands.first().map(|c| &c.kind)
    else {
        panic!("no search in {text}");
    };
    lower_search(expr, Scope::Events, fields).unwrap()
}

/// An event with `_raw` and the given (field, value) entries.
fn event<'a>(raw: &'a str, pairs: &[(&str, &'a str)], fields: &mut FieldTable) -> Event<'a> {
    let mut event = Event::new(raw);
    for (name, value) in pairs {
        event.push_raw(fields.intern(name), *value);
    }
    event
}

/// (search, fields of the event, _raw, expected).
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, bool);

#[test]
fn search_matching_table() {
    let cases: &[Case<'_>] = &[
        // Case-insensitive equality (2.3).
        ("f=RAR.exe", &[("f", "rar.EXE")], "", true),
        ("f=rar.exe", &[("f", "rar.exe2")], "", false),
        // Missing fields: `f!=x` needs f, `NOT f=x` does not (F5).
        ("f!=x", &[], "", false),
        ("NOT f=x", &[], "", true),
        ("f!=x", &[("f", "y")], "", true),
        ("f!=x", &[("f", "X")], "", false),
        // Multivalue: `=` any value, `!=` some value differs (2.3, adopted rule).
        ("f=a", &[("f", "b"), ("f", "a")], "", true),
        ("f!=a", &[("f", "a"), ("f", "b")], "", true),
        ("f!=a", &[("f", "a"), ("f", "A")], "", false),
        // Wildcards anywhere, `*` only (F6).
        ("f=*\\7z.exe", &[("f", "C:\\Temp\\7Z.exe")], "", true),
        ("f=*\\7z.exe", &[("f", "C:\\Temp\\7z.exe.txt")], "", false),
        ("f=*", &[], "", false),
        ("f=*", &[("f", "")], "", true),
        ("f=a?c", &[("f", "abc")], "", false),
        // IN is an OR of equalities; NOT IN its negation.
        ("f IN (a, b*)", &[("f", "bee")], "", true),
        ("f IN (a, b*)", &[("f", "c")], "", false),
        ("NOT f IN (a, b)", &[], "", true),
        // Numbers compare as numbers.
        ("EventCode=4688", &[("EventCode", "4688")], "", true),
        ("n>5", &[("n", "10")], "", true),
        ("n>5", &[("n", "4")], "", false),
        ("n>=0.55", &[("n", "0.55")], "", true),
        ("n<5", &[], "", false),
        // CIDR (F9).
        ("ip=10.0.0.0/8", &[("ip", "10.1.2.3")], "", true),
        ("ip=10.0.0.0/8", &[("ip", "192.168.0.1")], "", false),
        // Bare terms against _raw, case-insensitive, at token boundaries.
        ("mimikatz", &[], "ran MIMIKATZ.exe", true),
        ("mimi", &[], "ran mimikatz.exe", false),
        ("mimi*", &[], "ran mimikatz.exe", true),
        (
            "\"sekurlsa logonpasswords\"",
            &[],
            "x SEKURLSA LOGONPASSWORDS y",
            true,
        ),
        // TERM keeps minor breakers inside; CASE is case-sensitive.
        ("TERM(10.0.0.1)", &[], "src 10.0.0.1 dst", true),
        ("TERM(0.0.1)", &[], "src 10.0.0.1 dst", false),
        ("CASE(Error)", &[], "an Error here", true),
        ("CASE(Error)", &[], "an error here", false),
        // index is always true (an export is read as the index the search names).
        ("index=main f=a", &[("f", "a")], "", true),
        // AND binds looser than OR in the search grammar.
        ("a=1 b=1 OR c=1", &[("a", "1"), ("c", "1")], "", true),
        ("a=1 b=1 OR c=1", &[("b", "1"), ("c", "1")], "", false),
    ];
    for (search, pairs, raw, expected) in cases {
        let mut fields = FieldTable::new();
        let predicate = lower(search, &mut fields);
        let event = event(raw, pairs, &mut fields);
        assert_eq!(
            matches(&predicate, &event),
            *expected,
            "{search} over {pairs:?} / {raw:?}: {predicate:?}"
        );
    }
}

#[test]
fn source_macro_conjuncts_become_routing() {
    let mut fields = FieldTable::new();
    let predicate = lower(
        "(sourcetype=XmlWinEventLog:Sysmon OR source=XmlWinEventLog:Sysmon) EventCode=1 NOT a=b",
        &mut fields,
    );
    let eventtype = fields.intern("eventtype");
    let (routing, rest) = split_routing(predicate, eventtype);
    assert!(matches!(routing, super::Predicate::Or(ref o) if o.len() == 2));
    assert!(matches!(rest, super::Predicate::And(ref o) if o.len() == 2));
}

#[test]
fn deep_predicates_do_not_overflow() {
    let mut predicate = super::Predicate::True;
    for _ in 0..200_000 {
        predicate = super::Predicate::Not(Box::new(predicate));
    }
    assert!(matches(&predicate, &Event::new("")));
    // Dropping a deep Box chain recurses; unwrap it iteratively.
    while let super::Predicate::Not(inner) = predicate {
        predicate = *inner;
    }
}

/// Lowers a whole pipeline with throwaway name tables.
fn lower_pipeline(text: &str) -> Result<super::Plan, super::search::Unlowerable> {
    let parsed = crate::spl::parse(text);
    let mut fields = FieldTable::new();
    let mut datasets = crate::events::DatasetTable::new();
    let mut context = super::LowerContext {
        fields: &mut fields,
        datasets: &mut datasets,
    };
    super::lower(&parsed.pipeline, &mut context)
}

#[test]
fn head_and_sort_counts_are_read_from_the_tree() {
    let plan = lower_pipeline("index=x | head 3 | sort 5 -a | head limit=7").unwrap();
    let ops: Vec<&super::RowOp> = plan.event_stage.iter().chain(&plan.row_stage).collect();
    assert!(matches!(ops[0], super::RowOp::Head(3)), "{ops:?}");
    assert!(
        matches!(ops[1], super::RowOp::Sort { limit: 5, .. }),
        "{ops:?}"
    );
    assert!(matches!(ops[2], super::RowOp::Head(7)), "{ops:?}");
    // A word that is no count is the condition form, which has no plan (it was read as 10).
    let problem = lower_pipeline("index=x | head x").unwrap_err();
    assert_eq!(problem.what, "head with a condition");
}

#[test]
fn spans_are_read_from_the_tree() {
    let plan =
        lower_pipeline("index=x | bin _time span=2h | stats count by _time span=1d").unwrap();
    let ops: Vec<&super::RowOp> = plan.event_stage.iter().chain(&plan.row_stage).collect();
    assert!(
        matches!(ops[0], super::RowOp::Bin { span: 7200, .. }),
        "{ops:?}"
    );
    assert_eq!(plan.aggregation.map(|a| a.span), Some(Some(86_400)));
    for (text, what) in [
        ("index=x | bin _time span=1mon", "the span `1mon`"),
        ("index=x | bin size span=2log10", "the span `2log10`"),
        ("index=x | bin size span=10", "a numeric bin span"),
        // Not readable (a `P007` warning): not lowered as if no span were written.
        (
            "index=x | stats count by _time span=1.5h",
            "the span `1.5h`",
        ),
        ("index=x | bin _time span=5q", "the span `5q`"),
    ] {
        let problem = lower_pipeline(text).unwrap_err();
        assert_eq!(problem.what, what, "{text}");
    }
}
