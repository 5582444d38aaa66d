//! Table-driven tests of aggregation and row semantics (spl-semantics.md 2.5, 2.6).

use crate::events::FieldTable;
use crate::plan::{AggInput, AggSpec, Aggregation, RowOp};
use crate::spl::ast::AggFunction;

use super::aggregate::{GroupStates, aggregate};
use super::row::Row;
use super::rows::{RowContext, apply};

fn ctx() -> super::eval::EvalContext {
    super::eval::EvalContext::new(crate::events::Timestamp::from_nanos(0))
}

fn row(cells: &[(&str, &[&str])]) -> Row {
    let mut row = Row::default();
    for (name, values) in cells {
        row.set(name, values.iter().map(|v| (*v).to_owned()).collect());
    }
    row
}

fn spec(function: AggFunction, field: Option<&str>, output: &str) -> AggSpec {
    AggSpec {
        function,
        input: field.map_or(AggInput::Rows, |f| AggInput::Field(f.to_owned())),
        output: output.to_owned(),
    }
}

fn agg(functions: Vec<AggSpec>, by: &[&str]) -> Aggregation {
    Aggregation {
        functions,
        by: by.iter().map(|b| (*b).to_owned()).collect(),
        span: None,
        fillnull: None,
    }
}

/// The rows as (field, values) lists, for comparison.
fn view(rows: &[Row]) -> Vec<Vec<(String, Vec<String>)>> {
    rows.iter().map(|r| r.cells().to_vec()).collect()
}

#[test]
fn functions_table() {
    let input = [
        row(&[("x", &["3"]), ("s", &["b"]), ("_time", &["100"])]),
        row(&[("x", &["1"]), ("s", &["a"]), ("_time", &["300"])]),
        row(&[("x", &["10"]), ("s", &["b"]), ("_time", &["200"])]),
        row(&[("s", &["c"])]),
    ];
    // (function, field, expected output values)
    let cases: &[(AggFunction, Option<&str>, &[&str])] = &[
        (AggFunction::Count, None, &["4"]),
        // count(f) counts values; nulls are ignored (2.6).
        (AggFunction::Count, Some("x"), &["3"]),
        (AggFunction::Dc, Some("s"), &["3"]),
        (AggFunction::Sum, Some("x"), &["14"]),
        (AggFunction::Avg, Some("x"), &["4.666666666666667"]),
        // min/max compare numbers numerically: 10 > 3 (as text "10" < "3").
        (AggFunction::Min, Some("x"), &["1"]),
        (AggFunction::Max, Some("x"), &["10"]),
        // Sample standard deviation, n-1 (2.6).
        (AggFunction::Stdev, Some("x"), &["4.725815626252609"]),
        (AggFunction::Values, Some("s"), &["a", "b", "c"]),
        (AggFunction::List, Some("s"), &["b", "a", "b", "c"]),
        (AggFunction::Latest, Some("x"), &["1"]),
        (AggFunction::Earliest, Some("x"), &["3"]),
        (AggFunction::Range, Some("x"), &["9"]),
        // A sum over no numeric value is null.
        (AggFunction::Avg, Some("missing"), &[]),
    ];
    for (function, field, expected) in cases {
        let aggregation = agg(vec![spec(function.clone(), *field, "out")], &[]);
        let rows = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
        let got: Vec<&str> = rows[0]
            .get("out")
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(got, *expected, "{function:?}({field:?})");
    }
}

#[test]
fn by_drops_rows_missing_a_field_unless_fillnull_value() {
    let input = [
        row(&[("user", &["bob"])]),
        row(&[("host", &["h"])]),
        row(&[("user", &["amy"])]),
    ];
    let mut aggregation = agg(vec![spec(AggFunction::Count, None, "count")], &["user"]);
    let rows = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
    // Groups sorted by their by values; the row without `user` is dropped (2.5, 2.6).
    assert_eq!(
        view(&rows),
        vec![
            vec![
                ("user".into(), vec!["amy".into()]),
                ("count".into(), vec!["1".into()])
            ],
            vec![
                ("user".into(), vec!["bob".into()]),
                ("count".into(), vec!["1".into()])
            ],
        ]
    );
    aggregation.fillnull = Some("null".to_owned());
    let rows = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].first("user"), Some("null"));
}

#[test]
fn without_by_one_row_even_over_nothing() {
    let aggregation = agg(vec![spec(AggFunction::Count, None, "count")], &[]);
    let rows = aggregate(&aggregation, &[], &ctx()).finish(&aggregation);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].first("count"), Some("0"));
    let by = agg(vec![spec(AggFunction::Count, None, "count")], &["x"]);
    assert!(aggregate(&by, &[], &ctx()).finish(&by).is_empty());
}

#[test]
fn multivalue_by_field_counts_in_each_group() {
    let input = [row(&[("tag", &["a", "b"])]), row(&[("tag", &["b"])])];
    let aggregation = agg(vec![spec(AggFunction::Count, None, "count")], &["tag"]);
    let rows = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
    let counts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.first("tag").unwrap(), r.first("count").unwrap()))
        .collect();
    assert_eq!(counts, [("a", "1"), ("b", "2")]);
}

#[test]
fn span_buckets_time_in_utc() {
    let input = [
        row(&[("_time", &["86399.5"])]),
        row(&[("_time", &["86400"])]),
        row(&[("_time", &["90000"])]),
    ];
    let mut aggregation = agg(vec![spec(AggFunction::Count, None, "count")], &["_time"]);
    aggregation.span = Some(86_400);
    let rows = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.first("_time").unwrap(), r.first("count").unwrap()))
        .collect();
    assert_eq!(got, [("0", "1"), ("86400", "2")]);
}

#[test]
fn split_input_merges_to_the_single_pass_result() {
    let input: Vec<Row> = (0..50)
        .map(|i| {
            let value = (i * 7 % 13).to_string();
            let group = (i % 3).to_string();
            let time = (1000 - i).to_string();
            row(&[
                ("x", &[value.as_str()]),
                ("g", &[group.as_str()]),
                ("_time", &[time.as_str()]),
            ])
        })
        .collect();
    let functions = [
        AggFunction::Count,
        AggFunction::Dc,
        AggFunction::Sum,
        AggFunction::Avg,
        AggFunction::Min,
        AggFunction::Max,
        AggFunction::Stdev,
        AggFunction::Values,
        AggFunction::List,
        AggFunction::Latest,
        AggFunction::Earliest,
        AggFunction::First,
        AggFunction::Last,
    ];
    let aggregation = agg(
        functions
            .iter()
            .enumerate()
            .map(|(i, f)| spec(f.clone(), Some("x"), &format!("f{i}")))
            .collect(),
        &["g"],
    );
    let whole = aggregate(&aggregation, &input, &ctx()).finish(&aggregation);
    for split in [1, 17, 49] {
        let (a, b) = input.split_at(split);
        let mut left: GroupStates = aggregate(&aggregation, a, &ctx());
        left.merge(&aggregation, aggregate(&aggregation, b, &ctx()));
        let merged = left.finish(&aggregation);
        // Floats may differ in the last bit between one pass and a merge: compare rounded.
        let round = |rows: &[Row]| -> Vec<Vec<(String, Vec<String>)>> {
            view(rows)
                .into_iter()
                .map(|cells| {
                    cells
                        .into_iter()
                        .map(|(name, values)| {
                            let values = values
                                .into_iter()
                                .map(|v| v.parse::<f64>().map_or(v.clone(), |n| format!("{n:.9}")))
                                .collect();
                            (name, values)
                        })
                        .collect()
                })
                .collect()
        };
        assert_eq!(round(&merged), round(&whole), "split at {split}");
    }
}

fn run_ops(ops: &[RowOp], rows: Vec<Row>, subsearches: &[Vec<Row>]) -> Vec<Row> {
    let names = FieldTable::new();
    let eval = ctx();
    apply(
        ops,
        rows,
        &RowContext {
            names: &names,
            subsearches,
            eval: &eval,
            lookups: &super::LookupTables::new(),
        },
    )
}

#[test]
fn rename_with_a_wildcard_captures_and_overwrites() {
    let input = vec![row(&[
        ("Processes.dest", &["h"]),
        ("dest", &["old"]),
        ("Processes.user", &["u"]),
        ("count", &["1"]),
    ])];
    let out = run_ops(
        &[RowOp::Rename(vec![("Processes.*".into(), "*".into())])],
        input,
        &[],
    );
    assert_eq!(
        view(&out),
        vec![vec![
            ("dest".into(), vec!["h".into()]),
            ("user".into(), vec!["u".into()]),
            ("count".into(), vec!["1".into()]),
        ]]
    );
}

#[test]
fn join_inner_left_and_max() {
    let left = vec![
        row(&[("k", &["1"]), ("a", &["x"])]),
        row(&[("k", &["2"]), ("a", &["y"])]),
        row(&[("a", &["z"])]),
    ];
    let right = vec![vec![
        row(&[("k", &["1"]), ("b", &["r1"]), ("a", &["over"])]),
        row(&[("k", &["1"]), ("b", &["r2"])]),
    ]];
    let join = |left_join: bool, max: usize, overwrite: bool| RowOp::Join {
        fields: vec!["k".into()],
        left: left_join,
        max,
        overwrite,
        subsearch: 0,
    };
    // Inner, max=1 (the default): one row, right fields overwrite (2.6).
    let out = run_ops(&[join(false, 1, true)], left.clone(), &right);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].first("b"), Some("r1"));
    assert_eq!(out[0].first("a"), Some("over"));
    // overwrite=false keeps the left value.
    let out = run_ops(&[join(false, 1, false)], left.clone(), &right);
    assert_eq!(out[0].first("a"), Some("x"));
    // max=0: every match.
    assert_eq!(
        run_ops(&[join(false, 0, true)], left.clone(), &right).len(),
        2
    );
    // Left: unmatched rows (and rows without the join field) are kept.
    assert_eq!(
        run_ops(&[join(true, 1, true)], left.clone(), &right).len(),
        3
    );
    // No join fields: the fields both rows have (here `k` and `a` for the first right row,
    // `k` for the second).
    let no_fields = RowOp::Join {
        fields: Vec::new(),
        left: false,
        max: 0,
        overwrite: true,
        subsearch: 0,
    };
    let out = run_ops(&[no_fields], left, &right);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].first("b"), Some("r2"));
}

#[test]
fn dedup_sort_head_fillnull_table() {
    let input = vec![
        row(&[("u", &["b"]), ("n", &["10"])]),
        row(&[("u", &["a"]), ("n", &["9"])]),
        row(&[("u", &["b"]), ("n", &["1"])]),
        row(&[("n", &["5"])]),
    ];
    // dedup keeps the first of each value and drops rows without the field.
    let out = run_ops(
        &[RowOp::Dedup {
            fields: vec!["u".into()],
            keepempty: false,
            consecutive: false,
        }],
        input.clone(),
        &[],
    );
    assert_eq!(
        out.iter()
            .map(|r| r.first("n").unwrap())
            .collect::<Vec<_>>(),
        ["10", "9"]
    );
    // sort -n compares numbers as numbers.
    let out = run_ops(
        &[
            RowOp::Sort {
                limit: 0,
                keys: vec![("n".into(), true)],
            },
            RowOp::Head(2),
        ],
        input.clone(),
        &[],
    );
    assert_eq!(
        out.iter()
            .map(|r| r.first("n").unwrap())
            .collect::<Vec<_>>(),
        ["10", "9"]
    );
    // fillnull with no fields fills every field some row has.
    let out = run_ops(
        &[RowOp::Fillnull {
            value: "0".into(),
            fields: Vec::new(),
        }],
        input.clone(),
        &[],
    );
    assert_eq!(out[3].first("u"), Some("0"));
    // table orders columns as listed and drops the rest.
    let out = run_ops(&[RowOp::Table(vec!["n".into(), "u*".into()])], input, &[]);
    assert_eq!(
        out[0]
            .cells()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["n", "u"]
    );
}

#[test]
fn ctime_renders_utc_with_the_timeformat() {
    let input = vec![row(&[
        ("firstTime", &["1556380645.868864"]),
        ("bad", &["x"]),
    ])];
    let out = run_ops(
        &[RowOp::Ctime {
            format: "%Y-%m-%dT%H:%M:%S".into(),
            fields: vec![
                ("firstTime".into(), "firstTime".into()),
                ("bad".into(), "bad".into()),
            ],
        }],
        input,
        &[],
    );
    assert_eq!(out[0].first("firstTime"), Some("2019-04-27T15:57:25"));
    // A value that is not a time is left as it is (Search Reference: convert).
    assert_eq!(out[0].first("bad"), Some("x"));
}

#[test]
fn lookup_exact_match_output_and_outputnew() {
    let table = super::LookupTable::parse(
        "dll_name,is_abused,note\nevil.dll,TRUE,a\nEVIL.DLL,TRUE,b\nevil.dll,TRUE,c\nok.dll,FALSE,\n",
    )
    .unwrap();
    let mut lookups = super::LookupTables::new();
    lookups.insert("abused".into(), table);
    let names = FieldTable::new();
    let eval = ctx();
    let run = |op: RowOp, rows: Vec<Row>| {
        apply(
            &[op],
            rows,
            &RowContext {
                names: &names,
                subsearches: &[],
                eval: &eval,
                lookups: &lookups,
            },
        )
    };
    let op = |outputs: Vec<(String, String)>, output_new: bool| RowOp::Lookup {
        table: "abused".into(),
        inputs: vec![("dll_name".into(), "file_name".into())],
        outputs,
        output_new,
    };
    let input = vec![
        row(&[("file_name", &["evil.dll"]), ("note", &["mine"])]),
        row(&[("file_name", &["other.dll"])]),
    ];
    // Exact, case-sensitive: EVIL.DLL does not match; two rows match, in file order.
    let out = run(
        op(vec![("note".into(), "note".into())], false),
        input.clone(),
    );
    assert_eq!(out[0].get("note").unwrap(), ["a", "c"]);
    assert_eq!(out[1].get("note"), None);
    // OUTPUTNEW keeps a field the row has; no OUTPUT clause writes every other column.
    let out = run(op(Vec::new(), true), input);
    assert_eq!(out[0].get("note").unwrap(), ["mine"]);
    assert_eq!(out[0].get("is_abused").unwrap(), ["TRUE"]);
}

/// Input split across threads merges, in file order, to the rows of one thread: events as
/// rows (input order among equal times), an aggregation, and a join's subsearch.
#[test]
fn threads_give_the_rows_of_one_pass() {
    use crate::events::normalize::{Normalizer, effective_sources, embedded};
    use crate::events::read::{ReadConfig, input_files};
    use crate::events::{DatasetTable, Event};

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = input_files(&[root.join("events"), root.join("run")]).unwrap();
    let shipped = embedded();
    let sources = effective_sources(None, &shipped.content);
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let normalizer = Normalizer::build(&sources, &mut fields, &mut datasets).unwrap();
    let searches = [
        "sourcetype=XmlWinEventLog | eval n=len(Image) | table _time Image n",
        "| tstats count values(Processes.process_name) as names from datamodel=Endpoint.Processes by Processes.dest Processes.user | rename Processes.* AS *",
        "| tstats count from datamodel=Endpoint.Filesystem by Filesystem.process_guid | rename Filesystem.* AS * | join type=left process_guid [| tstats count as runs from datamodel=Endpoint.Processes by Processes.process_guid | rename Processes.* AS *]",
    ];
    let plans: Vec<crate::plan::Plan> = searches
        .iter()
        .map(|search| {
            let parsed = crate::spl::parse(search);
            let mut context = crate::plan::LowerContext {
                fields: &mut fields,
                datasets: &mut datasets,
            };
            crate::plan::lower(&parsed.pipeline, &mut context).unwrap()
        })
        .collect();
    let config = ReadConfig::default();
    let enrich = |_: &mut Event<'_>| {};
    let eval = ctx();
    let lookups = super::LookupTables::new();
    let rows_on = |threads: usize, engine: super::Engine, chunk_bytes: Option<u64>| {
        let output = super::run(
            &plans,
            &super::RunInput {
                files: &files,
                config: &config,
                fields: &fields,
                normalizer: &normalizer,
                enrich: &enrich,
                threads,
                chunk_bytes,
                now: super::eval::SearchTime::At(crate::events::Timestamp::from_nanos(0)),
                progress: &|_| {},
                engine,
            },
        );
        output
            .states
            .into_iter()
            .zip(&plans)
            .map(|(state, plan)| view(&state.finish(plan, &fields, &eval, &lookups)))
            .collect::<Vec<_>>()
    };
    let rows_with = |threads: usize| rows_on(threads, super::Engine::Automaton, None);
    let one = rows_with(1);
    assert_eq!(one, rows_on(1, super::Engine::Naive, None));
    assert!(one.iter().all(|rows| !rows.is_empty()), "{one:?}");
    for threads in [2, 3, 8] {
        assert_eq!(rows_with(threads), one, "{threads} threads");
    }
    // Large files cut into pieces, down to pieces smaller than one record.
    for (threads, chunk_bytes) in [(1, 1), (2, 7), (2, 300), (3, 4096), (8, 100)] {
        let rows = rows_on(threads, super::Engine::Automaton, Some(chunk_bytes));
        assert_eq!(
            rows, one,
            "{threads} threads, pieces of {chunk_bytes} bytes"
        );
    }
}

/// `table` before any aggregation runs per event (lowering puts it in the event stage, so a
/// search ending in `table` keeps only those columns of each matching event); it gives the rows
/// the row stage would, and after an aggregation it stays in the row stage.
#[test]
fn table_before_aggregation_runs_per_event_with_the_same_rows() {
    use crate::events::DatasetTable;
    use crate::plan::{LowerContext, lower};
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let mut context = LowerContext {
        fields: &mut fields,
        datasets: &mut datasets,
    };
    let streaming = crate::spl::parse("search a=1 | table b a* | where b!=\"x\"");
    let plan = lower(&streaming.pipeline, &mut context).unwrap();
    assert!(matches!(
        plan.event_stage.as_slice(),
        [RowOp::Table(_), RowOp::Where(_)]
    ));
    assert!(plan.row_stage.is_empty());
    let grouped = crate::spl::parse("search a=1 | stats count by b | table b count");
    let plan = lower(&grouped.pipeline, &mut context).unwrap();
    assert!(matches!(plan.row_stage.as_slice(), [RowOp::Table(_)]));

    let streaming = lower(&streaming.pipeline, &mut context).unwrap();
    let input = vec![
        row(&[
            ("_raw", &["r1"]),
            ("a", &["1"]),
            ("b", &["y"]),
            ("ab", &["2"]),
            ("c", &["3"]),
        ]),
        row(&[("a", &["1"]), ("b", &["x"])]),
        row(&[("c", &["3"]), ("aa", &["4"]), ("b", &["z"])]),
    ];
    let names = FieldTable::new();
    let per_event: Vec<Row> = input
        .iter()
        .cloned()
        .filter_map(|mut row| {
            streaming
                .event_stage
                .iter()
                .all(|op| super::rows::apply_to_row(op, &mut row, &names, &ctx()))
                .then_some(row)
        })
        .collect();
    let as_rows = run_ops(&streaming.event_stage, input, &[]);
    assert_eq!(view(&per_event), view(&as_rows));
    assert_eq!(
        view(&per_event),
        [
            vec![
                ("b".to_owned(), vec!["y".to_owned()]),
                ("a".to_owned(), vec!["1".to_owned()]),
                ("ab".to_owned(), vec!["2".to_owned()]),
            ],
            vec![
                ("b".to_owned(), vec!["z".to_owned()]),
                ("aa".to_owned(), vec!["4".to_owned()]),
            ],
        ]
    );
}

/// Rows kept with only a plan's stored fields give the row stage's answer of whole rows.
#[test]
fn stored_fields_give_the_rows_of_whole_events() {
    use crate::events::DatasetTable;
    use crate::plan::{LowerContext, lower};
    let mut fields = FieldTable::new();
    let mut datasets = DatasetTable::new();
    let mut context = LowerContext {
        fields: &mut fields,
        datasets: &mut datasets,
    };
    let parsed = crate::spl::parse(
        "search a=1 | fillnull value=0 | dedup d | search NOT h=skip \
         | stats count sum(x) as s values(y) as ys by h | sort - s",
    );
    let plan = lower(&parsed.pipeline, &mut context).unwrap();
    let keep = plan.stored_fields.clone().unwrap();
    let input: Vec<Row> = (0..40)
        .map(|i| {
            let h = ["a", "b", "skip"][i % 3].to_owned();
            let x = (i * 5 % 7).to_string();
            let d = (i % 11).to_string();
            let t = (1000 - i).to_string();
            let mut cells: Vec<(&str, Vec<&str>)> = vec![
                ("_time", vec![t.as_str()]),
                ("_raw", vec!["raw text"]),
                ("d", vec![d.as_str()]),
                ("other", vec!["o"]),
            ];
            // Some rows lack x, y or h: fillnull fills x and y (present in other rows), and
            // a row without h is dropped by stats.
            if i % 4 != 0 {
                cells.push(("x", vec![x.as_str()]));
            }
            if i % 5 == 0 {
                cells.push(("y", vec!["v"]));
            }
            if i % 7 != 0 {
                cells.push(("h", vec![h.as_str()]));
            }
            let cells: Vec<(&str, &[&str])> = cells
                .iter()
                .map(|(name, values)| (*name, values.as_slice()))
                .collect();
            row(&cells)
        })
        .collect();
    let projected: Vec<Row> = input
        .iter()
        .cloned()
        .map(|mut row| {
            row.cells_mut()
                .retain(|(name, _)| keep.iter().any(|kept| kept == name));
            row
        })
        .collect();
    let eval = ctx();
    let lookups = super::LookupTables::new();
    let context = RowContext {
        names: &fields,
        subsearches: &[],
        eval: &eval,
        lookups: &lookups,
    };
    let whole = apply(&plan.row_stage, input, &context);
    // Groups a and b, and 0 (fillnull gave h to the rows without it), not skip: `NOT h=skip`
    // reads the plan's own field names.
    let mut groups: Vec<&str> = whole.iter().filter_map(|row| row.first("h")).collect();
    groups.sort_unstable();
    assert_eq!(groups, ["0", "a", "b"], "{:?}", view(&whole));
    assert_eq!(
        view(&apply(&plan.row_stage, projected, &context)),
        view(&whole)
    );
}
