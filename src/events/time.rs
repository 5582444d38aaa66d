//! Event time: nanoseconds since the Unix epoch, parsed from the two spellings exports use
//! (ISO 8601 / RFC 3339 text, and epoch seconds with a fraction).
//!
//! Kept as an integer so that an EVTX record (FILETIME, 100 ns) and its XML export
//! (`2019-04-27T15:57:25.868864000Z`) compare equal, which a float would not promise.

use std::fmt;

/// An instant, in nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

const NANOS_PER_SECOND: i64 = 1_000_000_000;

impl Timestamp {
    /// From nanoseconds since the epoch.
    #[must_use]
    pub fn from_nanos(nanos: i64) -> Self {
        Timestamp(nanos)
    }

    /// Nanoseconds since the epoch.
    #[must_use]
    pub fn nanos(self) -> i64 {
        self.0
    }

    /// Seconds since the epoch with the fraction, as Splunk's `_time` reads.
    #[must_use]
    pub fn as_secs_f64(self) -> f64 {
        // Lossy by nature: f64 holds about 0.2 µs at today's epoch values.
        #[allow(
            clippy::cast_precision_loss,
            reason = "epoch seconds as Splunk shows them"
        )]
        let secs = self.0 as f64 / 1e9;
        secs
    }

    /// The time as Windows writes `SystemTime` in XML: UTC, nine fraction digits
    /// (`2019-04-27T15:57:25.868864000Z`).
    #[must_use]
    pub fn to_windows_string(self) -> String {
        let secs = self.0.div_euclid(NANOS_PER_SECOND);
        let nanos = self.0.rem_euclid(NANOS_PER_SECOND);
        let (days, day_secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
            day_secs / 3600,
            day_secs / 60 % 60,
            day_secs % 60
        )
    }

    /// Parses RFC 3339 / ISO 8601 (`2019-04-27T15:57:25.868864000Z`, `2020-10-21 07:10:41.123`,
    /// an offset such as `+02:00`; no zone means UTC) or epoch seconds (`1603264241.123456`).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() >= 10 && bytes.get(4) == Some(&b'-') {
            parse_iso(bytes)
        } else {
            parse_epoch(bytes)
        }
    }
}

impl fmt::Display for Timestamp {
    /// Epoch seconds with six decimals (`1556380645.868864`), as Splunk prints `_time`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.div_euclid(NANOS_PER_SECOND);
        let micros = self.0.rem_euclid(NANOS_PER_SECOND) / 1000;
        write!(f, "{secs}.{micros:06}")
    }
}

/// Reads `count` ASCII digits at `at` as a number.
fn digits(bytes: &[u8], at: usize, count: usize) -> Option<i64> {
    let slice = bytes.get(at..at.checked_add(count)?)?;
    slice.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn parse_iso(bytes: &[u8]) -> Option<Timestamp> {
    let year = digits(bytes, 0, 4)?;
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    if bytes.get(7) != Some(&b'-') || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut nanos = 0i64;
    let mut at = 10;
    if matches!(bytes.get(at), Some(b'T' | b't' | b' ')) {
        let hour = digits(bytes, at + 1, 2)?;
        let minute = digits(bytes, at + 4, 2)?;
        if bytes.get(at + 3) != Some(&b':') || hour > 23 || minute > 59 {
            return None;
        }
        at += 6;
        let mut second = 0;
        if bytes.get(at) == Some(&b':') {
            second = digits(bytes, at + 1, 2)?;
            if second > 60 {
                return None;
            }
            at += 3;
        }
        seconds += hour * 3600 + minute * 60 + second;
        if matches!(bytes.get(at), Some(b'.' | b',')) {
            at += 1;
            let mut scale = NANOS_PER_SECOND;
            while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
                scale /= 10;
                nanos += i64::from(b - b'0') * scale;
                at += 1;
            }
        }
    }
    match bytes.get(at) {
        None | Some(b'Z' | b'z') if at + 1 >= bytes.len() => {}
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(bytes, at + 1, 2)?;
            let minutes_at = if bytes.get(at + 3) == Some(&b':') {
                at + 4
            } else {
                at + 3
            };
            let minutes = digits(bytes, minutes_at, 2).unwrap_or(0);
            let offset = hours * 3600 + minutes * 60;
            seconds += if sign == b'+' { -offset } else { offset };
        }
        _ => return None,
    }
    seconds
        .checked_mul(NANOS_PER_SECOND)?
        .checked_add(nanos)
        .map(Timestamp)
}

fn parse_epoch(bytes: &[u8]) -> Option<Timestamp> {
    let (negative, bytes) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let dot = bytes.iter().position(|&b| b == b'.').unwrap_or(bytes.len());
    let (whole, fraction) = bytes.split_at(dot);
    if whole.is_empty() || whole.len() > 12 {
        return None;
    }
    let seconds = digits(whole, 0, whole.len())?;
    let mut nanos = 0i64;
    let mut scale = NANOS_PER_SECOND;
    for &b in fraction.iter().skip(1) {
        if !b.is_ascii_digit() {
            return None;
        }
        scale /= 10;
        nanos += i64::from(b - b'0') * scale;
    }
    let total = seconds.checked_mul(NANOS_PER_SECOND)?.checked_add(nanos)?;
    Some(Timestamp(if negative { -total } else { total }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_system_time() {
        let t = Timestamp::parse("2019-04-27T15:57:25.868864000Z").unwrap();
        assert_eq!(t.nanos(), 1_556_380_645_868_864_000);
        assert_eq!(t.to_string(), "1556380645.868864");
        assert_eq!(t.to_windows_string(), "2019-04-27T15:57:25.868864000Z");
        for text in [
            "1970-01-01T00:00:00.000000000Z",
            "2000-02-29T23:59:59.999999999Z",
            "1700-01-01T00:00:00.000000100Z",
        ] {
            assert_eq!(Timestamp::parse(text).unwrap().to_windows_string(), text);
        }
    }

    #[test]
    fn iso_variants() {
        let base = Timestamp::parse("2020-10-21T07:10:41Z").unwrap();
        assert_eq!(Timestamp::parse("2020-10-21 07:10:41"), Some(base));
        assert_eq!(Timestamp::parse("2020-10-21T09:10:41+02:00"), Some(base));
        assert_eq!(Timestamp::parse("2020-10-21T02:10:41-0500"), Some(base));
        assert_eq!(
            Timestamp::parse("2020-10-21T07:10:41.5Z").unwrap().nanos() - base.nanos(),
            500_000_000
        );
        assert_eq!(
            Timestamp::parse("2020-10-21").unwrap().nanos(),
            base.nanos() - (7 * 3600 + 10 * 60 + 41) * NANOS_PER_SECOND
        );
        assert_eq!(Timestamp::parse("2020-13-21T07:10:41Z"), None);
        assert_eq!(Timestamp::parse("2020-10-21T07:10:41Zjunk"), None);
    }

    #[test]
    fn epoch_seconds() {
        let t = Timestamp::parse("1603264241.123456").unwrap();
        assert_eq!(t.nanos(), 1_603_264_241_123_456_000);
        assert_eq!(
            Timestamp::parse("1603264241").unwrap().nanos(),
            1_603_264_241_000_000_000
        );
        assert_eq!(Timestamp::parse("12a"), None);
        assert_eq!(Timestamp::parse(""), None);
        assert_eq!(Timestamp::parse("99999999999999999999"), None);
    }
}
