//! Unit tests of the expander: each choice the module doc names is pinned here.

use super::*;
use crate::diagnostic::Code;
use crate::spl::TextRange;

fn table(defs: &[(&str, &[&str], &str)]) -> (MacroTable, Vec<MacroId>) {
    let mut table = MacroTable::new();
    let ids = defs
        .iter()
        .map(|(name, arguments, definition)| {
            table.insert(MacroDef {
                name: (*name).to_owned(),
                arguments: arguments.iter().map(|a| (*a).to_owned()).collect(),
                definition: (*definition).to_owned(),
            })
        })
        .collect();
    (table, ids)
}

fn run(defs: &[(&str, &[&str], &str)], search: &str) -> Expansion {
    let (table, _) = table(defs);
    let mut config = ExpandConfig::new();
    config.filter_macro("demo_filter");
    expand(search, &table, &config)
}

fn codes(expansion: &Expansion) -> Vec<Code> {
    expansion.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn simple_call_is_replaced_without_parentheses() {
    let e = run(&[("m", &[], "a=1 OR b=2")], "`m` c=3");
    assert_eq!(e.text, "a=1 OR b=2 c=3");
    assert!(e.diagnostics.is_empty());
}

#[test]
fn origins_of_search_macro_and_argument_bytes() {
    let (table, ids) = table(&[("ctime", &["field"], "convert ctime($field$)")]);
    let e = expand("x `ctime(firstTime)` y", &table, &ExpandConfig::new());
    assert_eq!(e.text, "x convert ctime(firstTime) y");
    assert_eq!(e.origin(0), Origin::Search { offset: 0 });
    let call_site = 2..20;
    assert_eq!(
        e.origin(2),
        Origin::Macro {
            id: ids[0],
            offset: 0,
            call_site: call_site.clone(),
            chain: vec![ids[0]]
        }
    );
    // `firstTime` comes from the search, inside the argument list.
    assert_eq!(e.origin(16), Origin::Search { offset: 9 });
    // `)` after the argument is definition byte 21.
    assert_eq!(
        e.origin(25),
        Origin::Macro {
            id: ids[0],
            offset: 21,
            call_site,
            chain: vec![ids[0]]
        }
    );
    assert_eq!(e.origin(27), Origin::Search { offset: 21 });
}

#[test]
fn nested_macros_keep_outer_call_site_and_chain() {
    let (table, ids) = table(&[("outer", &[], "x=`inner`"), ("inner", &[], "1")]);
    let e = expand("a `outer` b", &table, &ExpandConfig::new());
    assert_eq!(e.text, "a x=1 b");
    assert_eq!(
        e.origin(4),
        Origin::Macro {
            id: ids[1],
            offset: 0,
            call_site: 2..9,
            chain: vec![ids[0], ids[1]]
        }
    );
    assert_eq!(e.search_range(2..5), 2..9);
}

#[test]
fn arguments_split_on_top_level_commas_and_keep_quotes() {
    let e = run(
        &[("two", &["a", "b"], "[$a$|$b$]")],
        r#"`two( f(x, y) , "p,q\"r" )`"#,
    );
    assert_eq!(e.text, r#"[f(x, y)|"p,q\"r"]"#);
    assert!(e.diagnostics.is_empty());
}

#[test]
fn unknown_placeholder_is_literal() {
    let e = run(&[("m", &["x"], "$y$ $x$ $")], "`m(1)`");
    assert_eq!(e.text, "$y$ 1 $");
}

#[test]
fn lookup_is_by_name_and_arity() {
    let e = run(
        &[("m", &[], "zero"), ("m", &["a"], "one $a$")],
        "`m` `m(1)`",
    );
    assert_eq!(e.text, "zero one 1");
    let e = run(&[("m", &["a"], "one")], "`m(1,2)`");
    assert_eq!(codes(&e), [Code::E001]);
    assert_eq!(
        e.diagnostics[0].message,
        "macro `m` takes 1 argument, not 2"
    );
    assert_eq!(e.text, "`m(1,2)`");
}

#[test]
fn undefined_macro_is_reported_at_call_site() {
    let e = run(&[], "a `nope` b");
    assert_eq!(codes(&e), [Code::E004]);
    assert_eq!(e.diagnostics[0].range, TextRange::new(2, 8));
    assert_eq!(e.diagnostics[0].expansion, None);
    assert_eq!(e.text, "a `nope` b");
    assert_eq!(e.unexpanded()[0].reason, UnexpandedReason::Error);
}

#[test]
fn undefined_in_definition_points_at_outer_call_and_inner_site() {
    let (table, ids) = table(&[("m", &[], "x `nope`")]);
    let e = expand("`m`", &table, &ExpandConfig::new());
    assert_eq!(codes(&e), [Code::E004]);
    assert_eq!(e.diagnostics[0].range, TextRange::new(0, 3));
    assert_eq!(
        e.diagnostics[0].expansion,
        Some(ExpansionTrace {
            chain: vec![ids[0]],
            site: Some(MacroSite {
                id: ids[0],
                range: 2..8
            })
        })
    );
}

#[test]
fn cycle_is_reported_with_its_path() {
    let e = run(&[("a", &[], "`b`"), ("b", &[], "`a`")], "`a`");
    assert_eq!(codes(&e), [Code::E002]);
    assert_eq!(
        e.diagnostics[0].message,
        "macro `a` expands to itself: `a` → `b` → `a`"
    );
    assert_eq!(e.text, "`a`");
}

#[test]
fn depth_limit() {
    let defs: Vec<(String, Vec<&str>, String)> = (0..40)
        .map(|i| (format!("m{i}"), vec![], format!("`m{}`", i + 1)))
        .collect();
    let defs: Vec<(&str, &[&str], &str)> = defs
        .iter()
        .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
        .collect();
    let e = run(&defs, "`m0`");
    assert_eq!(codes(&e), [Code::E003]);
    assert_eq!(e.text, "`m32`");
}

#[test]
fn macro_bomb_stops_at_size_limit() {
    let mut defs: Vec<(String, Vec<&str>, String)> = (0..30)
        .map(|i| (format!("b{i}"), vec![], format!("`b{0}` `b{0}`", i + 1)))
        .collect();
    defs.push(("b30".to_owned(), vec![], "x".to_owned()));
    let defs: Vec<(&str, &[&str], &str)> = defs
        .iter()
        .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
        .collect();
    let e = run(&defs, "`b0` tail");
    assert_eq!(codes(&e), [Code::E003]);
    assert!(e.text.len() < 3 * ExpandConfig::DEFAULT_MAX_SIZE);
    assert!(e.text.ends_with(" tail"));
}

#[test]
fn argument_doubling_bomb_is_bounded() {
    let defs: Vec<(String, Vec<&str>, String)> = (0..40)
        .map(|i| (format!("d{i}"), vec!["x"], format!("`d{}($x$$x$)`", i + 1)))
        .collect();
    let defs: Vec<(&str, &[&str], &str)> = defs
        .iter()
        .map(|(n, a, d)| (n.as_str(), a.as_slice(), d.as_str()))
        .collect();
    let e = run(&defs, "`d0(ab)`");
    assert!(codes(&e).contains(&Code::E003));
    assert!(e.text.len() < 3 * ExpandConfig::DEFAULT_MAX_SIZE);
}

#[test]
fn no_expansion_inside_quoted_string() {
    let e = run(
        &[("x", &[], "-7d")],
        r#"eval t=relative_time(now(), "`x`")"#,
    );
    assert_eq!(e.text, r#"eval t=relative_time(now(), "`x`")"#);
    assert_eq!(codes(&e), [Code::E005]);
    assert_eq!(e.diagnostics[0].range, TextRange::new(29, 32));
    assert_eq!(
        e.diagnostics[0].message,
        "macro call `x` inside a quoted string is not expanded"
    );
}

#[test]
fn map_search_string_with_escaped_quotes() {
    let e = run(
        &[],
        r#"map search="search `wineventlog_security` x=\"$a$\" | `m(\"q\")`""#,
    );
    assert_eq!(codes(&e), [Code::E005, Code::E005]);
}

#[test]
fn escaped_quote_outside_string_opens_no_string() {
    let e = run(&[("m", &[], "X")], r#"a=*\"privileged\":true* | `m`"#);
    assert_eq!(e.text, r#"a=*\"privileged\":true* | X"#);
    let e = run(&[("m", &[], "X")], r#"a=\\"`m`""#);
    assert_eq!(codes(&e), [Code::E005]);
}

#[test]
fn no_expansion_inside_comments() {
    let e = run(&[("m", &[], "X")], "a ```| `m` and `` ``` `m` ```tail");
    assert_eq!(e.text, "a ```| `m` and `` ``` X ```tail");
    assert!(e.diagnostics.is_empty());
}

#[test]
fn backtick_pairs_that_are_not_calls_are_literal() {
    let e = run(&[], r#"eval p=split(process,"`") | eval q=a` b` | x ` y"#);
    assert!(e.diagnostics.is_empty());
    assert_eq!(
        e.text,
        r#"eval p=split(process,"`") | eval q=a` b` | x ` y"#
    );
}

#[test]
fn invalid_pair_then_valid_call() {
    let e = run(&[("m", &[], "X")], "` not `m`");
    assert_eq!(e.text, "` not X");
}

#[test]
fn drop_dm_object_name_becomes_rename() {
    let e = run(
        &[],
        r#"`drop_dm_object_name(Processes)` | `drop_dm_object_name("Web")`"#,
    );
    assert_eq!(e.text, "rename Processes.* AS * | rename Web.* AS *");
    assert!(e.diagnostics.is_empty());
    assert_eq!(e.origin(0), Origin::Synthetic { call_site: 0..32 });
    assert_eq!(e.origin(7), Origin::Search { offset: 21 });
    assert_eq!(e.origin(33), Origin::Search { offset: 57 });
}

#[test]
fn defined_drop_dm_object_name_wins() {
    let e = run(
        &[("drop_dm_object_name", &["x"], "R $x$")],
        "`drop_dm_object_name(P)`",
    );
    assert_eq!(e.text, "R P");
}

#[test]
fn filter_macro_stub_unless_defined() {
    let e = run(&[], "a | `demo_filter`");
    assert_eq!(e.text, "a | search *");
    assert_eq!(e.origin(4), Origin::Synthetic { call_site: 4..17 });
    let e = run(&[("demo_filter", &[], "where x>1")], "a | `demo_filter`");
    assert_eq!(e.text, "a | where x>1");
    let e = run(&[], "a | `other_filter`");
    assert_eq!(codes(&e), [Code::E004]);
    let e = run(&[], "a | `demo_filter(1)`");
    assert_eq!(codes(&e), [Code::E001]);
}

#[test]
fn ignore_list_is_left_verbatim() {
    let search = "x | `get_asset(src)` | `my_get_risk_severity_x` | `drop_dm_object_name(a,b)`";
    // Without a list (the default), each is an undefined macro.
    assert_eq!(codes(&run(&[], search)).len(), 3);
    let mut config = ExpandConfig::new();
    config.ignore_macros(&["get_asset", "get_risk_severity", "drop_dm_object_name"]);
    let e = expand(search, &MacroTable::new(), &config);
    assert_eq!(
        e.text,
        "x | `get_asset(src)` | `my_get_risk_severity_x` | `drop_dm_object_name(a,b)`"
    );
    assert!(e.diagnostics.is_empty());
    let names: Vec<_> = e.unexpanded().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(
        names,
        ["get_asset", "my_get_risk_severity_x", "drop_dm_object_name"]
    );
    assert_eq!(e.unexpanded()[0].range, 4..20);
}

#[test]
fn four_backticks_do_not_crash() {
    let e = run(&[], "a ```` b ```` ` ``");
    assert_eq!(e.text, "a ```` b ```` ` ``");
}

#[test]
fn unterminated_constructs_are_literal() {
    for search in [
        "\"abc `m", "``` `m`", "`m(a", "`m(\"a)`", "x `", "$", "`m(` `",
    ] {
        let e = run(&[("m", &[], "X")], search);
        assert!(
            e.diagnostics.iter().all(|d| d.code != Code::E004),
            "{search}"
        );
        assert!(!e.text.is_empty());
    }
}

#[test]
fn macro_body_quotes_do_not_leak() {
    let e = run(&[("q", &[], "\"`")], "`q` `q` z");
    assert_eq!(e.text, "\"` \"` z");
}

#[test]
fn every_byte_has_an_origin_and_search_range_is_in_bounds() {
    let search = "`m(1)` and `drop_dm_object_name(\"X\")` | `demo_filter`";
    let e = run(&[("m", &["a"], "f=$a$ `n`"), ("n", &[], "g")], search);
    for offset in 0..e.text.len() {
        let range = e.search_range(offset..offset + 1);
        assert!(range.end <= search.len(), "{offset}");
    }
    assert_eq!(e.text, "f=1 g and rename X.* AS * | search *");
}

#[test]
fn empty_arguments_mean_arity_zero() {
    let e = run(&[("m", &[], "X")], "`m()` `m( )`");
    assert_eq!(e.text, "X X");
}

#[test]
fn later_definition_replaces_earlier() {
    let (table, ids) = table(&[("m", &[], "old"), ("m", &[], "new")]);
    assert_eq!(table.lookup("m", 0), Some(ids[1]));
    assert_eq!(table.len(), 2);
    assert_eq!(expand("`m`", &table, &ExpandConfig::new()).text, "new");
}

#[test]
fn empty_search() {
    let e = run(&[], "");
    assert_eq!(e.text, "");
    assert_eq!(e.origin(0), Origin::Search { offset: 0 });
    assert_eq!(e.search_range(0..0), 0..0);
}

#[test]
fn comments_inside_a_call_are_skipped_as_the_lexer_skips_them() {
    // Issue 12: the lexer called this a macro atom while the expander saw no call.
    let e = run(&[], "`f(a ``` c ``` b)` x");
    assert_eq!(codes(&e), [Code::E004]);
    assert_eq!(e.diagnostics[0].range, TextRange::new(0, 18));
    assert_eq!(
        crate::spl::lexer::macro_call_end("`f(a ``` c ``` b)` x", 0),
        Some(18)
    );
    let e = run(
        &[("f", &["v"], "<$v$>")],
        "`f(a ``` ) ``` b)` `f(x)``` c ```` y",
    );
    assert_eq!(e.text, "<a ``` ) ``` b> <x> y");
    // An unterminated comment ends no call.
    assert!(run(&[], "`f(a ``` b)`").diagnostics.is_empty());
}
