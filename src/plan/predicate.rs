//! The event predicate of a plan: routing (which events a detection can see at all) and a
//! boolean tree of field tests over interned field ids, with [`matches`], the reference
//! semantics every faster matcher (the automaton) is tested against.
//!
//! Value comparison is `spl::semantics`'s (case, numbers, wildcards, CIDR); this module only
//! says how tests combine over an event's fields (spl-semantics.md 2.3):
//! - `f=v`: some value of `f` matches; a missing field matches nothing.
//! - `f!=v`: `f` is present and some value does not match (F5; the multivalue rule is the
//!   one spl-semantics.md adopts, unverified in the docs).
//! - `NOT f=v`: the negation of `f=v`, so also true when `f` is missing.
//! - bare terms and `TERM()`/`CASE()` match `_raw`.

use std::cmp::Ordering;

use crate::events::{DatasetId, Event, FieldId};
use crate::spl::ast::ValueKind;
use crate::spl::semantics::{search_order, search_value_eq, wildcard_match};

/// Which events a detection can see at all: checked before the predicate, and what the
/// automaton routes on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Routing {
    /// The event must be in one of these data model datasets (`tstats … from datamodel=X.Y`,
    /// narrowed by `nodename=`). Empty: no data model condition (a raw search).
    pub datasets: Vec<DatasetId>,
    /// For a raw search: the top-level conjuncts that test `source`, `sourcetype` or
    /// `eventtype` (the expansion of a source macro such as `` `sysmon` ``), lifted out of the
    /// predicate. [`Predicate::True`] when there are none.
    pub source: Predicate,
}

impl Routing {
    /// Whether `event` passes the routing.
    #[must_use]
    pub fn accepts(&self, event: &Event<'_>) -> bool {
        (self.datasets.is_empty() || self.datasets.iter().any(|d| event.in_dataset(*d)))
            && matches(&self.source, event)
    }
}

/// A boolean tree of tests on one event.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Predicate {
    /// Always true (an empty search, `index=*`).
    #[default]
    True,
    /// Always false.
    False,
    /// All operands hold.
    And(Vec<Predicate>),
    /// Some operand holds.
    Or(Vec<Predicate>),
    /// The operand does not hold (`NOT x`: true on a missing field).
    Not(Box<Predicate>),
    /// Some value of `field` passes `test` (`f=v`, `f>v`, `f IN (…)` as an `Or`).
    Field {
        /// The field.
        field: FieldId,
        /// The test.
        test: ValueTest,
    },
    /// `field` is present and some value of it fails `test` (`f!=v`).
    FieldNot {
        /// The field.
        field: FieldId,
        /// The test (an equality).
        test: ValueTest,
    },
    /// A bare word, phrase, `TERM()` or `CASE()` against `_raw`.
    Raw(RawTerm),
}

/// A test on one field value.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueTest {
    /// Search-grammar equality with a value as written (decoded), classified by how it
    /// matches: exact text without case, `*` wildcard, number, CIDR block.
    Equal {
        /// The decoded value.
        value: String,
        /// How it matches.
        kind: ValueKind,
    },
    /// `<`, `<=`, `>`, `>=`: as numbers when both read as numbers, byte-wise otherwise.
    Order {
        /// The operator.
        op: OrderOp,
        /// The decoded value.
        value: String,
    },
}

/// An ordering operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl OrderOp {
    /// The operator as written.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            OrderOp::Lt => "<",
            OrderOp::Le => "<=",
            OrderOp::Gt => ">",
            OrderOp::Ge => ">=",
        }
    }

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            OrderOp::Lt => ordering == Ordering::Less,
            OrderOp::Le => ordering != Ordering::Greater,
            OrderOp::Gt => ordering == Ordering::Greater,
            OrderOp::Ge => ordering != Ordering::Less,
        }
    }
}

impl ValueTest {
    /// Whether `value` passes.
    #[must_use]
    pub fn passes(&self, value: &str) -> bool {
        match self {
            ValueTest::Equal {
                value: written,
                kind,
            } => search_value_eq(kind, written, value),
            ValueTest::Order { op, value: written } => {
                search_order(value, written).is_some_and(|ordering| op.holds(ordering))
            }
        }
    }
}

/// A term matched against `_raw`.
#[derive(Clone, Debug, PartialEq)]
pub struct RawTerm {
    /// The decoded text (a `*` is a wildcard unless `kind` is [`RawKind::Case`]… it is one
    /// there too: `CASE(a*)` is a case-sensitive pattern).
    pub text: String,
    /// How it matches.
    pub kind: RawKind,
}

/// How a [`RawTerm`] matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawKind {
    /// A bare word or `"phrase"`: without case, at token boundaries.
    Word,
    /// `TERM(x)`: without case, bounded by major breakers only (spaces, quotes, brackets…),
    /// so `.`, `_`, `-`, `:`, `/`, `\` stay inside the term.
    Term,
    /// `CASE(x)`: like a word, but case-sensitive.
    Case,
}

/// What a predicate reads: field values by id, and `_raw`. Events implement it, and so do
/// result rows (a `search` after a transforming command).
pub trait FieldSource {
    /// Whether some value of `field` passes `test`.
    fn any_value(&self, field: FieldId, test: &mut dyn FnMut(&str) -> bool) -> bool;
    /// `_raw` (empty when there is none).
    fn raw_text(&self) -> &str;
}

impl FieldSource for Event<'_> {
    /// `_time` reads as epoch seconds; every other field through [`Event::values`] (raw and
    /// CIM values together).
    fn any_value(&self, field: FieldId, test: &mut dyn FnMut(&str) -> bool) -> bool {
        if field == FieldId::TIME {
            return self.time().is_some_and(|time| test(&time.to_string()));
        }
        self.values(field).any(test)
    }

    fn raw_text(&self) -> &str {
        self.raw()
    }
}

/// The reference semantics: whether `event` satisfies `predicate`. Iterative over an explicit
/// stack, so a deep tree cannot overflow the call stack.
#[must_use]
pub fn matches(predicate: &Predicate, event: &Event<'_>) -> bool {
    matches_in(predicate, event)
}

/// [`matches`] over any [`FieldSource`].
#[must_use]
pub fn matches_in(predicate: &Predicate, source: &dyn FieldSource) -> bool {
    // Each frame: the node, and what to do with the results of its children.
    enum Frame<'p> {
        Eval(&'p Predicate),
        /// Combine the top `count` results with AND (`all`) or OR.
        Combine {
            count: usize,
            all: bool,
        },
        Negate,
    }
    let mut work = vec![Frame::Eval(predicate)];
    let mut results: Vec<bool> = Vec::new();
    while let Some(frame) = work.pop() {
        match frame {
            Frame::Eval(node) => match node {
                Predicate::True => results.push(true),
                Predicate::False => results.push(false),
                Predicate::And(operands) | Predicate::Or(operands) => {
                    work.push(Frame::Combine {
                        count: operands.len(),
                        all: matches!(node, Predicate::And(_)),
                    });
                    work.extend(operands.iter().map(Frame::Eval));
                }
                Predicate::Not(operand) => {
                    work.push(Frame::Negate);
                    work.push(Frame::Eval(operand));
                }
                Predicate::Field { field, test } => {
                    results.push(source.any_value(*field, &mut |value| test.passes(value)));
                }
                Predicate::FieldNot { field, test } => {
                    results.push(source.any_value(*field, &mut |value| !test.passes(value)));
                }
                Predicate::Raw(term) => results.push(raw_matches(term, source.raw_text())),
            },
            Frame::Combine { count, all } => {
                let start = results.len().saturating_sub(count);
                let combined = if all {
                    results.get(start..).is_none_or(|r| r.iter().all(|&b| b))
                } else {
                    results.get(start..).is_some_and(|r| r.iter().any(|&b| b))
                };
                results.truncate(start);
                results.push(combined);
            }
            Frame::Negate => {
                if let Some(last) = results.last_mut() {
                    *last = !*last;
                }
            }
        }
    }
    results.pop().unwrap_or(false)
}

/// Whether `term` occurs in `raw`.
///
/// Splunk matches bare words against indexed tokens (split at major and minor breakers); the
/// exact breaker set is not documented (spl-semantics.md 2.3, unverified). detc takes a word to
/// occur when it is found with no letter or digit directly on either side of it; a leading or
/// trailing `*` lifts that side's boundary. `TERM()` needs a major breaker (whitespace,
/// quotes, brackets, `,;=|&`) or the edge on each side.
#[must_use]
pub fn raw_matches(term: &RawTerm, raw: &str) -> bool {
    let fold = term.kind != RawKind::Case;
    let text = term.text.as_str();
    let open_start = text.starts_with('*');
    let open_end = text.ends_with('*');
    let core = text.trim_matches('*');
    if core.is_empty() {
        return true;
    }
    let boundary: fn(char) -> bool = match term.kind {
        RawKind::Term => |c: char| c.is_whitespace() || "\"'()[]{}<>,;=|&!".contains(c),
        RawKind::Word | RawKind::Case => |c: char| !c.is_alphanumeric(),
    };
    // The candidates are every window of `raw` that the core pattern could start at; a
    // case-folded copy keeps byte offsets only for ASCII, so non-ASCII folds both sides.
    let (haystack, pattern) = if fold && !(raw.is_ascii() && core.is_ascii()) {
        (raw.to_lowercase(), core.to_lowercase())
    } else {
        (raw.to_owned(), core.to_owned())
    };
    let fold_ascii = fold;
    let first = pattern.split('*').next().unwrap_or("");
    for (start, _) in haystack.char_indices() {
        let rest = haystack.get(start..).unwrap_or("");
        if !first.is_empty() && !starts_with(rest, first, fold_ascii) {
            continue;
        }
        let before_ok = open_start
            || haystack
                .get(..start)
                .and_then(|before| before.chars().next_back())
                .is_none_or(boundary);
        if !before_ok {
            continue;
        }
        let after_ok = |end: usize| {
            open_end
                || rest
                    .get(end..)
                    .and_then(|after| after.chars().next())
                    .is_none_or(boundary)
        };
        if !pattern.contains('*') {
            // `first` is the whole pattern and matched at `start`.
            if after_ok(pattern.len()) {
                return true;
            }
            continue;
        }
        // Inner stars: try every end position.
        let ends = rest
            .char_indices()
            .map(|(end, _)| end)
            .skip(1)
            .chain(std::iter::once(rest.len()));
        for end in ends {
            let window = rest.get(..end).unwrap_or("");
            if wildcard_match(&pattern, window, fold_ascii) && after_ok(end) {
                return true;
            }
        }
    }
    false
}

fn starts_with(text: &str, prefix: &str, fold: bool) -> bool {
    text.get(..prefix.len()).is_some_and(|head| {
        if fold {
            head.eq_ignore_ascii_case(prefix)
        } else {
            head == prefix
        }
    })
}
