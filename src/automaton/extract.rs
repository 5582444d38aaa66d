//! Literal extraction: from a predicate, a disjunction of (field, literal) pieces one of which
//! must occur (as an ASCII-case-insensitive substring of some value of the field) in every
//! event the predicate matches. `None` means no such set exists (the detection is always
//! checked). Like regex-automata's prefilters, this may over-approximate but never
//! under-approximate: every piece is implied by the exact semantics of
//! [`crate::plan::matches`].
//!
//! Why each piece is required:
//! - `f=v` (exact text): the value equals `v` without case, so it contains `v`.
//! - `f=a*b` (SPL wildcard): every `*`-free piece occurs in the value; the longest is kept.
//! - bare terms, `TERM()`, `CASE()`: the `*`-free pieces of the term occur in `_raw`.
//! - numbers (`1` also matches `1.0`, `0x1`), CIDR, `<`/`>`, `!=`, `NOT`: no literal.
//!
//! Only ASCII literals are kept. Splunk's comparison folds case with full Unicode
//! lowercasing on non-ASCII text; the scanner therefore also scans the lowercased copy of a
//! non-ASCII value, which contains every ASCII literal the exact comparison could have
//! matched (ASCII letters lowercase the same in any context). A non-ASCII literal would need
//! context-dependent folding (final sigma) to be safe, so it is not used.

use crate::events::FieldId;
use crate::plan::{Predicate, ValueTest};
use crate::spl::ast::ValueKind;

/// One required piece: `literal` (lowercase ASCII, non-empty) in some value of `field`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Piece {
    /// The field whose values are scanned (`_raw` for bare terms).
    pub field: FieldId,
    /// The literal, lowercased.
    pub literal: String,
    /// Whether the literal is a whole value or a piece of one.
    pub kind: PieceKind,
}

/// What a [`Piece`]'s literal is of the value it is found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PieceKind {
    /// The whole value (`f=v` without a wildcard): a value matches only if it equals the
    /// literal without case, so a hash lookup of the lowercased value finds it.
    Exact,
    /// The longest `*`-free piece of a wildcard value (`f=*\AppData\*`): a substring.
    Wildcard,
    /// The longest `*`-free piece of a bare term, `TERM()` or `CASE()` in `_raw`: a
    /// substring.
    Term,
}

impl PieceKind {
    /// The word `--explain` shows.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PieceKind::Exact => "exact",
            PieceKind::Wildcard => "wildcard piece",
            PieceKind::Term => "term piece",
        }
    }
}

/// A disjunction of pieces: a match needs at least one. Empty: the predicate never matches.
pub type Need = Vec<Piece>;

/// The pieces some match of `predicate` needs, or `None` when none can be named.
///
/// Iterative over an explicit stack (a deep tree must not overflow the call stack).
#[must_use]
pub fn required(predicate: &Predicate) -> Option<Need> {
    enum Frame<'p> {
        Visit(&'p Predicate),
        And(usize),
        Or(usize),
    }
    let mut work = vec![Frame::Visit(predicate)];
    let mut results: Vec<Option<Need>> = Vec::new();
    while let Some(frame) = work.pop() {
        match frame {
            Frame::Visit(node) => match node {
                Predicate::True | Predicate::Not(_) | Predicate::FieldNot { .. } => {
                    results.push(None);
                }
                Predicate::False => results.push(Some(Vec::new())),
                Predicate::And(operands) => {
                    work.push(Frame::And(operands.len()));
                    work.extend(operands.iter().map(Frame::Visit));
                }
                Predicate::Or(operands) => {
                    work.push(Frame::Or(operands.len()));
                    work.extend(operands.iter().map(Frame::Visit));
                }
                Predicate::Field { field, test } => results.push(field_piece(*field, test)),
                Predicate::Raw(term) => {
                    results.push(longest_piece(&term.text).map(|literal| {
                        vec![Piece {
                            field: FieldId::RAW,
                            literal,
                            kind: PieceKind::Term,
                        }]
                    }));
                }
            },
            Frame::And(count) => {
                let start = results.len().saturating_sub(count);
                let operands = results.split_off(start);
                // An empty disjunction (never matches) wins; then the most selective.
                let best = operands.into_iter().flatten().max_by_key(selectivity);
                results.push(best);
            }
            Frame::Or(count) => {
                let start = results.len().saturating_sub(count);
                let operands = results.split_off(start);
                let union: Option<Need> =
                    operands.into_iter().try_fold(Vec::new(), |mut all, need| {
                        all.extend(need?);
                        Some(all)
                    });
                results.push(union.map(|mut need| {
                    need.sort();
                    need.dedup();
                    need
                }));
            }
        }
    }
    results.pop().flatten()
}

/// Why [`required`] gives `None`: the leaf of `predicate` that leaves no literal to require
/// (the first operand of an AND none of whose operands has one, the first operand of an OR
/// that has none). `None` when `predicate` has a required literal.
///
/// A loop down one path of the tree, no recursion (a deep tree must not overflow the stack).
#[must_use]
pub fn no_literal_leaf(predicate: &Predicate) -> Option<&Predicate> {
    required(predicate).is_none().then_some(())?;
    let mut node = predicate;
    loop {
        let next = match node {
            // Every operand of an AND without a literal has none.
            Predicate::And(operands) => operands.first(),
            Predicate::Or(operands) => operands.iter().find(|operand| required(operand).is_none()),
            _ => None,
        };
        match next {
            Some(operand) => node = operand,
            None => return Some(node),
        }
    }
}

/// How selective a disjunction is, larger is better: an empty one (never matches) first,
/// then the one whose shortest literal is longest (short literals hit often), then the one
/// with fewer alternatives.
fn selectivity(need: &Need) -> (bool, usize, std::cmp::Reverse<usize>) {
    let shortest = need
        .iter()
        .map(|piece| piece.literal.len())
        .min()
        .unwrap_or(0);
    (need.is_empty(), shortest, std::cmp::Reverse(need.len()))
}

fn field_piece(field: FieldId, test: &ValueTest) -> Option<Need> {
    // `_time` is compared as epoch seconds made on the fly, never scanned.
    if field == FieldId::TIME {
        return None;
    }
    let (literal, kind) = match test {
        ValueTest::Equal {
            value,
            kind: ValueKind::Exact,
        } => (ascii_literal(value)?, PieceKind::Exact),
        ValueTest::Equal {
            value,
            kind: ValueKind::Wildcard { .. },
        } => (longest_piece(value)?, PieceKind::Wildcard),
        ValueTest::Equal {
            kind: ValueKind::Number(_) | ValueKind::Cidr { .. },
            ..
        }
        | ValueTest::Order { .. } => return None,
    };
    Some(vec![Piece {
        field,
        literal,
        kind,
    }])
}

/// The longest `*`-free ASCII piece of an SPL wildcard pattern, lowercased.
fn longest_piece(pattern: &str) -> Option<String> {
    pattern
        .split('*')
        .filter_map(ascii_literal)
        .max_by_key(String::len)
}

fn ascii_literal(text: &str) -> Option<String> {
    (!text.is_empty() && text.is_ascii()).then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{RawKind, RawTerm};

    /// A field id distinct per `n` (interned in a fresh table, so stable).
    fn id(n: u32) -> FieldId {
        let mut table = crate::events::FieldTable::new();
        (0..=n).fold(FieldId::TIME, |_, i| table.intern(&format!("f{i}")))
    }

    fn field(n: u32, value: &str, kind: ValueKind) -> Predicate {
        Predicate::Field {
            field: id(n),
            test: ValueTest::Equal {
                value: value.to_owned(),
                kind,
            },
        }
    }

    fn piece(n: u32, literal: &str, kind: PieceKind) -> Piece {
        Piece {
            field: id(n),
            literal: literal.to_owned(),
            kind,
        }
    }

    fn wildcard() -> ValueKind {
        ValueKind::Wildcard { stars: Vec::new() }
    }

    #[test]
    fn conjunction_keeps_the_longest_literal() {
        let predicate = Predicate::And(vec![
            field(7, "7z.exe", ValueKind::Exact),
            field(8, "*\\AppData\\*\\*.exe", wildcard()),
        ]);
        assert_eq!(
            required(&predicate),
            Some(vec![piece(8, "\\appdata\\", PieceKind::Wildcard)])
        );
    }

    #[test]
    fn disjunction_needs_every_branch() {
        let both = Predicate::Or(vec![
            field(7, "RAR.exe", ValueKind::Exact),
            field(7, "*7z*", wildcard()),
        ]);
        assert_eq!(
            required(&both),
            Some(vec![
                piece(7, "7z", PieceKind::Wildcard),
                piece(7, "rar.exe", PieceKind::Exact)
            ])
        );
        let open = Predicate::Or(vec![
            field(7, "rar.exe", ValueKind::Exact),
            Predicate::Not(Box::new(field(7, "x", ValueKind::Exact))),
        ]);
        assert_eq!(required(&open), None);
    }

    #[test]
    fn no_literal_for_negations_numbers_and_non_ascii() {
        for predicate in [
            Predicate::FieldNot {
                field: id(7),
                test: ValueTest::Equal {
                    value: "x".to_owned(),
                    kind: ValueKind::Exact,
                },
            },
            field(7, "straße", ValueKind::Exact),
            field(7, "*", wildcard()),
            Predicate::Field {
                field: FieldId::TIME,
                test: ValueTest::Equal {
                    value: "12".to_owned(),
                    kind: ValueKind::Exact,
                },
            },
            Predicate::True,
        ] {
            assert_eq!(required(&predicate), None, "{predicate:?}");
        }
        assert_eq!(required(&Predicate::False), Some(Vec::new()));
    }

    #[test]
    fn raw_terms_scan_raw() {
        let term = Predicate::Raw(RawTerm {
            text: "*Invoke-Mimikatz*".to_owned(),
            kind: RawKind::Word,
        });
        assert_eq!(
            required(&term),
            Some(vec![Piece {
                field: FieldId::RAW,
                literal: "invoke-mimikatz".to_owned(),
                kind: PieceKind::Term,
            }])
        );
    }
}
