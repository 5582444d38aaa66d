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
