//! `G004`: `date` must be a `YYYY-MM-DD` calendar date (quoted or not); required except for
//! macros and v4 lookups.
//!
//! ```yaml
//! date: 2024-02-30
//! ```

use crate::content::{Format, Kind};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::validate::Context;
use crate::validate::patterns::{DateProblem, check_date};

use super::missing;

/// Reports missing and invalid dates.
pub(crate) fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (kind, meta, header) in context.content.objects() {
        let is_optional =
            kind == Kind::Macro || (kind == Kind::Lookup && meta.format == Format::V4);
        match header.date.get() {
            None if header.date.is_missing() && !is_optional => {
                out.push(missing(Code::G004, meta.anchor, "date", kind));
            }
            Some(date) => {
                if let Err(problem) = check_date(&date.value) {
                    out.push(date_diagnostic(date.span, &date.value, problem));
                }
            }
            _ => {}
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The diagnostic for a `date` that is malformed, or well formed but not a day of the calendar.
fn date_diagnostic(at: Span, date: &str, problem: DateProblem) -> Diagnostic {
    match problem {
        DateProblem::Malformed => Diagnostic::new(
            Code::G004,
            at,
            format!("`date` is `{date}`, which is not in the form `YYYY-MM-DD`"),
        )
        .with_help("write the date as year, month and day with leading zeros, e.g. `2024-09-30`"),
        DateProblem::NoYearZero => Diagnostic::new(
            Code::G004,
            at,
            format!("`date` is `{date}`, but there is no year 0"),
        ),
        DateProblem::NoSuchMonth(month) => Diagnostic::new(
            Code::G004,
            at,
            format!("`date` is `{date}`, but there is no month {month}"),
        )
        .with_note("the form is `YYYY-MM-DD`: the month comes second, from 01 to 12"),
        DateProblem::NoSuchDay { month, year, days } => {
            let name = usize::try_from(month)
                .ok()
                .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
                .copied()
                .unwrap_or("the month");
            Diagnostic::new(
                Code::G004,
                at,
                format!("`date` is `{date}`, but {name} {year} has only {days} days"),
            )
        }
    }
}
