//! Time in eval: `relative_time`'s modifiers, and `strftime`/`strptime` with Splunk's `%`
//! formats, in UTC (Search Reference: "Date and time format variables", "Time modifiers";
//! spl-semantics.md 2.4: Splunk works in the user's zone, detc in UTC, the zone it prints).
//!
//! Times are epoch seconds, as eval sees `_time`: an integer, or a float with a fraction.

use crate::events::{civil_from_days, days_from_civil};
use crate::spl::ast::NumberValue;

use super::super::value::Value;

const NANOS: i64 = 1_000_000_000;
const DAY: i64 = 86_400;

/// A time split into whole seconds and nanoseconds (`0..NANOS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Instant {
    secs: i64,
    nanos: i64,
}

impl Instant {
    fn from_number(number: NumberValue) -> Option<Instant> {
        match number {
            NumberValue::Integer(secs) => Some(Instant { secs, nanos: 0 }),
            NumberValue::Float(float) => {
                // Beyond ±2^62 seconds no calendar arithmetic is meaningful.
                if !float.is_finite() || float.abs() > 4.6e18 {
                    return None;
                }
                let secs = float.floor();
                #[allow(clippy::cast_possible_truncation, reason = "finite and in range")]
                let (whole, nanos) = (secs as i64, ((float - secs) * 1e9).round() as i64);
                Some(Instant {
                    secs: whole,
                    nanos: nanos.clamp(0, NANOS - 1),
                })
            }
        }
    }

    fn into_value(self) -> Value {
        if self.nanos == 0 {
            Value::int(self.secs)
        } else {
            Value::float(self.secs as f64 + self.nanos as f64 / 1e9)
        }
    }
}

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl Civil {
    fn of(secs: i64) -> Civil {
        let (days, rest) = (secs.div_euclid(DAY), secs.rem_euclid(DAY));
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rest / 3600,
            minute: rest / 60 % 60,
            second: rest % 60,
        }
    }

    /// Seconds since the epoch; `None` when out of range.
    fn secs(self) -> Option<i64> {
        days_from_civil(self.year, self.month, self.day)
            .checked_mul(DAY)?
            .checked_add(self.hour * 3600 + self.minute * 60 + self.second)
    }

    /// 0 = Sunday.
    fn weekday(self) -> i64 {
        (days_from_civil(self.year, self.month, self.day) + 4).rem_euclid(7)
    }

    /// 0 = 1 January.
    fn day_of_year(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) - days_from_civil(self.year, 1, 1)
    }
}

/// Days in `month` of `year`.
fn month_days(year: i64, month: i64) -> i64 {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    days_from_civil(next_year, next_month, 1) - days_from_civil(year, month, 1)
}

/// A unit of a time modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    /// A week; when snapping, to the given weekday (0 = Sunday; `w7` is Sunday too).
    Week(i64),
    Month,
    Quarter,
    Year,
}

impl Unit {
    /// The unit spellings of the Search Reference's time modifiers.
    fn parse(word: &str) -> Option<Unit> {
        Some(match word {
            "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
            "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
            "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
            "d" | "day" | "days" => Unit::Day,
            "w" | "week" | "weeks" => Unit::Week(0),
            "mon" | "month" | "months" => Unit::Month,
            "q" | "qtr" | "qtrs" | "quarter" | "quarters" => Unit::Quarter,
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
            _ => {
                // `w0` … `w7`: a week snapped to a weekday.
                let day = word.strip_prefix('w')?.parse::<i64>().ok()?;
                return (0..=7).contains(&day).then_some(Unit::Week(day % 7));
            }
        })
    }
}

/// `relative_time(time, modifier)`: `time` moved by offsets (`-30d`, `+1h`, `-1mon`) and
/// snapped down by `@unit` (`@d`, `@w1`, `@mon`), in written order, so `-1d@d` is the
/// start of yesterday and `@d+8h` 08:00 today (Search Reference, "Time modifiers"). `now`
/// and the empty modifier leave the time as is. `None` for a modifier Splunk would reject.
///
/// Months and years keep the day of the month, clamped to the month's length (the docs
/// are silent on 31 March minus one month; detc gives 28 or 29 February). Snapping keeps no
/// fraction of a second.
#[must_use]
pub fn relative_time(time: NumberValue, modifier: &str) -> Option<Value> {
    let mut instant = Instant::from_number(time)?;
    let modifier = modifier.trim();
    if modifier.eq_ignore_ascii_case("now") {
        return Some(instant.into_value());
    }
    let mut rest = modifier;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('@') {
            let (unit, tail) = take_unit(after)?;
            instant = snap(instant, unit)?;
            rest = tail;
            continue;
        }
        let negative = rest.starts_with('-');
        let after_sign = rest.strip_prefix(['+', '-'])?;
        let digits = after_sign
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_sign.len());
        let (count, after_count) = after_sign.split_at(digits);
        // `-d` means `-1d`.
        let count: i64 = if count.is_empty() {
            1
        } else {
            count.parse().ok()?
        };
        let (unit, tail) = take_unit(after_count)?;
        instant = shift(instant, unit, if negative { -count } else { count })?;
        rest = tail;
    }
    Some(instant.into_value())
}

/// Reads a unit name (letters, then the digit of `w1`) from the front of `text`.
fn take_unit(text: &str) -> Option<(Unit, &str)> {
    let letters = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let mut end = letters;
    if text.get(..letters) == Some("w")
        && text
            .get(letters..)
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))
    {
        end += 1;
    }
    let word = text.get(..end)?.to_ascii_lowercase();
    Some((Unit::parse(&word)?, text.get(end..)?))
}

fn shift(instant: Instant, unit: Unit, count: i64) -> Option<Instant> {
    let seconds = |per: i64| {
        Some(Instant {
            secs: instant.secs.checked_add(count.checked_mul(per)?)?,
            nanos: instant.nanos,
        })
    };
    match unit {
        Unit::Second => seconds(1),
        Unit::Minute => seconds(60),
        Unit::Hour => seconds(3600),
        Unit::Day => seconds(DAY),
        Unit::Week(_) => seconds(7 * DAY),
        Unit::Month | Unit::Quarter | Unit::Year => {
            let months = count.checked_mul(match unit {
                Unit::Quarter => 3,
                Unit::Year => 12,
                _ => 1,
            })?;
            let civil = Civil::of(instant.secs);
            let index = civil
                .year
                .checked_mul(12)?
                .checked_add(civil.month - 1)?
                .checked_add(months)?;
            let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
            let day = civil.day.min(month_days(year, month));
            let secs = Civil {
                year,
                month,
                day,
                ..civil
            }
            .secs()?;
            Some(Instant {
                secs,
                nanos: instant.nanos,
            })
        }
    }
}

fn snap(instant: Instant, unit: Unit) -> Option<Instant> {
    let civil = Civil::of(instant.secs);
    let start_of_day = Civil {
        hour: 0,
        minute: 0,
        second: 0,
        ..civil
    };
    let snapped = match unit {
        Unit::Second => civil,
        Unit::Minute => Civil { second: 0, ..civil },
        Unit::Hour => Civil {
            minute: 0,
            second: 0,
            ..civil
        },
        Unit::Day => start_of_day,
        Unit::Week(weekday) => {
            let back = (civil.weekday() - weekday).rem_euclid(7);
            let secs = start_of_day.secs()?.checked_sub(back * DAY)?;
            return Some(Instant { secs, nanos: 0 });
        }
        Unit::Month => Civil {
            day: 1,
            ..start_of_day
        },
        Unit::Quarter => Civil {
            day: 1,
            month: (civil.month - 1) / 3 * 3 + 1,
            ..start_of_day
        },
        Unit::Year => Civil {
            day: 1,
            month: 1,
            ..start_of_day
        },
    };
    Some(Instant {
        secs: snapped.secs()?,
        nanos: 0,
    })
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
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn name(names: &[&'static str], index: i64) -> &'static str {
    usize::try_from(index)
        .ok()
        .and_then(|index| names.get(index))
        .copied()
        .unwrap_or("")
}

/// `strftime(time, format)` in UTC. The variables are the Search Reference's ("Date and time
/// format variables"): `%Y %y %m %d %e %H %I %k %l %M %S %p %j %a %A %b %B %h %w %u %U %W
/// %s %z %Z %T %F %D %R %c %x %X %n %t %%`, and subseconds `%N`/`%Q` with an optional width
/// (`%3N` milliseconds, `%6N` microseconds). Plain `%N` and `%Q` give milliseconds, as the
/// docs give `%3Q` as `%Q`'s default; an unknown variable is copied as written. `%c` is
/// the C locale's `%a %b %e %H:%M:%S %Y`, as on Splunk's Linux servers.
#[must_use]
pub fn strftime(time: NumberValue, format: &str) -> Option<String> {
    let instant = Instant::from_number(time)?;
    let civil = Civil::of(instant.secs);
    let mut out = String::with_capacity(format.len() + 16);
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut width = None;
        while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + digit);
            chars.next();
        }
        let Some(spec) = chars.next() else {
            out.push('%');
            break;
        };
        let hour12 = (civil.hour + 11) % 12 + 1;
        let text = match spec {
            'Y' => civil.year.to_string(),
            'y' => format!("{:02}", civil.year.rem_euclid(100)),
            'C' => format!("{:02}", civil.year.div_euclid(100)),
            'm' => format!("{:02}", civil.month),
            'd' => format!("{:02}", civil.day),
            'e' => format!("{:2}", civil.day),
            'H' => format!("{:02}", civil.hour),
            'k' => format!("{:2}", civil.hour),
            'I' => format!("{hour12:02}"),
            'l' => format!("{hour12:2}"),
            'M' => format!("{:02}", civil.minute),
            'S' => format!("{:02}", civil.second),
            'p' => (if civil.hour < 12 { "AM" } else { "PM" }).to_owned(),
            'j' => format!("{:03}", civil.day_of_year() + 1),
            'a' => name(&WEEKDAYS, civil.weekday())
                .get(..3)
                .unwrap_or("")
                .to_owned(),
            'A' => name(&WEEKDAYS, civil.weekday()).to_owned(),
            'b' | 'h' => name(&MONTHS, civil.month - 1)
                .get(..3)
                .unwrap_or("")
                .to_owned(),
            'B' => name(&MONTHS, civil.month - 1).to_owned(),
            'w' => civil.weekday().to_string(),
            'u' => ((civil.weekday() + 6) % 7 + 1).to_string(),
            'U' => format!("{:02}", (civil.day_of_year() + 7 - civil.weekday()) / 7),
            'W' => format!(
                "{:02}",
                (civil.day_of_year() + 7 - (civil.weekday() + 6) % 7) / 7
            ),
            's' => instant.secs.to_string(),
            'z' => "+0000".to_owned(),
            'Z' => "UTC".to_owned(),
            'T' => format!("{:02}:{:02}:{:02}", civil.hour, civil.minute, civil.second),
            'R' => format!("{:02}:{:02}", civil.hour, civil.minute),
            'F' => format!("{}-{:02}-{:02}", civil.year, civil.month, civil.day),
            'D' | 'x' => format!(
                "{:02}/{:02}/{:02}",
                civil.month,
                civil.day,
                civil.year.rem_euclid(100)
            ),
            'X' => format!("{:02}:{:02}:{:02}", civil.hour, civil.minute, civil.second),
            'c' => format!(
                "{} {} {:2} {:02}:{:02}:{:02} {}",
                name(&WEEKDAYS, civil.weekday()).get(..3).unwrap_or(""),
                name(&MONTHS, civil.month - 1).get(..3).unwrap_or(""),
                civil.day,
                civil.hour,
                civil.minute,
                civil.second,
                civil.year
            ),
            'N' | 'Q' => {
                let width = width.unwrap_or(3).clamp(1, 9);
                let digits = format!("{:09}", instant.nanos);
                digits.get(..width as usize).unwrap_or("").to_owned()
            }
            'n' => "\n".to_owned(),
            't' => "\t".to_owned(),
            '%' => "%".to_owned(),
            other => {
                out.push('%');
                if let Some(width) = width {
                    out.push_str(&width.to_string());
                }
                out.push(other);
                continue;
            }
        };
        out.push_str(&text);
    }
    Some(out)
}

/// `strptime(text, format)`: epoch seconds of `text` read with the variables of
/// [`strftime`] (names of months and days case-insensitive, `%z` as `+hhmm`, `+hh:mm` or
/// `Z`), in UTC unless `%z` or `%s` says otherwise. A whitespace in the format matches any
/// run of whitespace. `None` when the text does not fit the format. Text left after the
/// format is ignored, as C's `strptime` does (the Splunk docs are silent). A date without a
/// year is in 1970, without a day the first.
#[must_use]
pub fn strptime(text: &str, format: &str) -> Option<Value> {
    let mut civil = Civil {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
    };
    let (mut nanos, mut offset, mut pm, mut epoch) = (0i64, 0i64, None::<bool>, None::<i64>);
    let mut input = text;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            input = input.trim_start();
            continue;
        }
        if c != '%' {
            input = input.strip_prefix(c)?;
            continue;
        }
        let mut width = None;
        while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + digit as usize);
            chars.next();
        }
        match chars.next()? {
            'Y' => civil.year = take_number(&mut input, 4, true)?,
            'y' => {
                let short = take_number(&mut input, 2, false)?;
                // POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068.
                civil.year = if short < 69 {
                    2000 + short
                } else {
                    1900 + short
                };
            }
            'm' => civil.month = take_number(&mut input, 2, false)?,
            'd' | 'e' => {
                input = input.trim_start();
                civil.day = take_number(&mut input, 2, false)?;
            }
            'H' | 'k' => {
                input = input.trim_start();
                civil.hour = take_number(&mut input, 2, false)?;
            }
            'I' | 'l' => {
                input = input.trim_start();
                civil.hour = take_number(&mut input, 2, false)?;
            }
            'M' => civil.minute = take_number(&mut input, 2, false)?,
            'S' => civil.second = take_number(&mut input, 2, false)?,
            'j' => {
                let day_of_year = take_number(&mut input, 3, false)?;
                civil.month = 1;
                civil.day = day_of_year;
            }
            'p' => {
                let word = input.get(..2)?;
                pm = Some(match word.to_ascii_uppercase().as_str() {
                    "AM" => false,
                    "PM" => true,
                    _ => return None,
                });
                input = input.get(2..)?;
            }
            'b' | 'B' | 'h' => {
                let (index, rest) = take_name(input, &MONTHS)?;
                civil.month = index + 1;
                input = rest;
            }
            'a' | 'A' => input = take_name(input, &WEEKDAYS)?.1,
            'N' | 'Q' => {
                let digits = input
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(input.len())
                    .min(width.unwrap_or(9).clamp(1, 9));
                let (fraction, rest) = input.split_at(digits);
                if fraction.is_empty() {
                    return None;
                }
                nanos = format!("{fraction:0<9}").parse().ok()?;
                input = rest;
            }
            's' => {
                let negative = input.starts_with('-');
                let mut rest = input.strip_prefix('-').unwrap_or(input);
                let secs = take_number(&mut rest, 19, false)?;
                epoch = Some(if negative { -secs } else { secs });
                input = rest;
            }
            'z' => {
                if let Some(rest) = input.strip_prefix('Z') {
                    input = rest;
                } else {
                    let sign = match input.get(..1)? {
                        "+" => 1,
                        "-" => -1,
                        _ => return None,
                    };
                    let mut rest = input.get(1..)?;
                    let hours = take_number(&mut rest, 2, false)?;
                    rest = rest.strip_prefix(':').unwrap_or(rest);
                    let minutes = take_number(&mut rest, 2, false)?;
                    offset = sign * (hours * 3600 + minutes * 60);
                    input = rest;
                }
            }
            'Z' => {
                let word = input
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(input.len());
                let zone = input.get(..word)?;
                if !matches!(zone.to_ascii_uppercase().as_str(), "UTC" | "GMT" | "Z") {
                    // Only UTC is known: any other zone would need a time zone database.
                    return None;
                }
                input = input.get(word..)?;
            }
            'T' | 'X' => strptime_parts(&mut input, &mut civil, "%H:%M:%S")?,
            'F' => strptime_parts(&mut input, &mut civil, "%Y-%m-%d")?,
            'D' | 'x' => strptime_parts(&mut input, &mut civil, "%m/%d/%y")?,
            'R' => strptime_parts(&mut input, &mut civil, "%H:%M")?,
            '%' => input = input.strip_prefix('%')?,
            'n' | 't' => input = input.trim_start(),
            _ => return None,
        }
    }
    if let Some(secs) = epoch {
        return Some(Instant { secs, nanos }.into_value());
    }
    match pm {
        Some(true) if civil.hour < 12 => civil.hour += 12,
        Some(false) if civil.hour == 12 => civil.hour = 0,
        _ => {}
    }
    let valid = (1..=12).contains(&civil.month)
        && (1..=366).contains(&civil.day)
        && (civil.day <= month_days(civil.year, civil.month) || civil.month == 1)
        && civil.hour < 24
        && civil.minute < 60
        && civil.second <= 60;
    if !valid {
        return None;
    }
    let secs = civil.secs()?.checked_sub(offset)?;
    Some(Instant { secs, nanos }.into_value())
}

/// A composite variable (`%T`, `%F`, …): its parts read into `civil`.
fn strptime_parts(input: &mut &str, civil: &mut Civil, format: &str) -> Option<()> {
    for part in format.split(['-', ':', '/']) {
        let spec = part.strip_prefix('%')?;
        let value = take_number(input, if spec == "Y" { 4 } else { 2 }, spec == "Y")?;
        match spec {
            "Y" => civil.year = value,
            "y" => {
                civil.year = if value < 69 {
                    2000 + value
                } else {
                    1900 + value
                }
            }
            "m" => civil.month = value,
            "d" => civil.day = value,
            "H" => civil.hour = value,
            "M" => civil.minute = value,
            _ => civil.second = value,
        }
        if let Some(rest) = input.strip_prefix(['-', ':', '/']) {
            *input = rest;
        }
    }
    Some(())
}

/// Up to `max` digits (at least one) from the front of `input`; `signed` allows a `-`.
fn take_number(input: &mut &str, max: usize, signed: bool) -> Option<i64> {
    let negative = signed && input.starts_with('-');
    let digits_start = usize::from(negative);
    let rest = input.get(digits_start..)?;
    let count = rest
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if count == 0 {
        return None;
    }
    let value: i64 = rest.get(..count)?.parse().ok()?;
    *input = rest.get(count..)?;
    Some(if negative { -value } else { value })
}

/// A month or weekday name, full or abbreviated to three letters, case-insensitively.
fn take_name<'t>(input: &'t str, names: &[&str]) -> Option<(i64, &'t str)> {
    for (index, full) in names.iter().enumerate() {
        for candidate in [*full, full.get(..3).unwrap_or(full)] {
            if let Some(head) = input.get(..candidate.len())
                && head.eq_ignore_ascii_case(candidate)
            {
                let index = i64::try_from(index).ok()?;
                return Some((index, input.get(candidate.len()..)?));
            }
        }
    }
    None
}
