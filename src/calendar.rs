//! The English names of the Gregorian calendar's months and weekdays, written once for every
//! module that reads or prints dates (content date checks, `strftime`/`strptime`). Sits below
//! all modules, like `parallel`; day arithmetic lives with the event time in `events::time`.

/// Month names, January first.
pub(crate) const MONTH_NAMES: [&str; 12] = [
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

/// Weekday names, Sunday first (C's `tm_wday` order, which `%w` and `%a` use).
pub(crate) const WEEKDAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
