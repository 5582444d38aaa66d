//! Time rendering for `convert ctime` (and later `strftime`): a strftime subset in UTC.

use crate::events::time_parts;

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
const DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];

/// Formats epoch seconds with a strftime format, in UTC. Unknown `%` sequences are copied as
/// written. `%N`/`%3N`/`%6N`/`%9N` are Splunk's subsecond digits.
#[must_use]
pub fn strftime(seconds: f64, format: &str) -> String {
    let whole = seconds.floor();
    #[allow(clippy::cast_possible_truncation, reason = "epoch seconds fit an i64")]
    let secs = whole as i64;
    #[allow(clippy::cast_possible_truncation, reason = "a fraction below 1e9")]
    let nanos = ((seconds - whole) * 1e9).round() as i64;
    let (year, month, day, hour, minute, second) = time_parts(secs);
    let days = secs.div_euclid(86_400);
    let weekday = usize::try_from(days.rem_euclid(7)).unwrap_or(0);
    let month_index = usize::try_from(month - 1).unwrap_or(0);
    let month_name = MONTHS.get(month_index).copied().unwrap_or("");
    let day_name = DAYS.get(weekday).copied().unwrap_or("");
    let mut out = String::with_capacity(format.len() + 8);
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
            digits.push(d);
            chars.next();
        }
        let Some(spec) = chars.next() else {
            out.push('%');
            out.push_str(&digits);
            break;
        };
        match spec {
            'Y' => out.push_str(&format!("{year:04}")),
            'y' => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            'm' => out.push_str(&format!("{month:02}")),
            'd' => out.push_str(&format!("{day:02}")),
            'e' => out.push_str(&format!("{day:2}")),
            'H' => out.push_str(&format!("{hour:02}")),
            'I' => out.push_str(&format!("{:02}", (hour + 11) % 12 + 1)),
            'p' => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            'M' => out.push_str(&format!("{minute:02}")),
            'S' => out.push_str(&format!("{second:02}")),
            'T' => out.push_str(&format!("{hour:02}:{minute:02}:{second:02}")),
            'F' => out.push_str(&format!("{year:04}-{month:02}-{day:02}")),
            'b' => out.push_str(month_name.get(..3).unwrap_or("")),
            'B' => out.push_str(month_name),
            'a' => out.push_str(day_name.get(..3).unwrap_or("")),
            'A' => out.push_str(day_name),
            'j' => {
                let start = crate::events::days_from_civil(year, 1, 1);
                out.push_str(&format!("{:03}", days - start + 1));
            }
            's' => out.push_str(&secs.to_string()),
            'z' => out.push_str("+0000"),
            'Z' => out.push_str("UTC"),
            'N' | 'Q' => {
                let width = digits
                    .parse::<usize>()
                    .unwrap_or(if spec == 'Q' { 3 } else { 9 });
                let width = width.clamp(1, 9);
                let text = format!("{nanos:09}");
                out.push_str(text.get(..width).unwrap_or(""));
            }
            '%' => out.push('%'),
            other => {
                out.push('%');
                out.push_str(&digits);
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strftime;

    #[test]
    fn ctime_formats_in_utc() {
        // security_content_ctime's format (spl-semantics.md 2.6), and convert's default.
        let t = 1_556_380_645.868_864;
        assert_eq!(strftime(t, "%Y-%m-%dT%H:%M:%S"), "2019-04-27T15:57:25");
        assert_eq!(strftime(t, "%m/%d/%Y %H:%M:%S"), "04/27/2019 15:57:25");
        assert_eq!(strftime(t, "%b %e %a %j %3N %%"), "Apr 27 Sat 117 868 %");
        assert_eq!(strftime(0.0, "%F %T %Z"), "1970-01-01 00:00:00 UTC");
    }
}
