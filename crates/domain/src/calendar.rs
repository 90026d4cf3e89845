//! Dates as Norway counts them: instants become dates in Europe/Oslo, ages are whole years.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use chrono_tz::Europe::Oslo;

/// The date in Norway at an instant. Deadlines are days in Norway: an appeal filed at 23:30
/// Oslo time on the last day is in time, though it is already the next day in UTC in summer.
pub fn oslo_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Oslo).date_naive()
}

/// Age in completed years on `on`. A birthday is reached when the month and day are reached,
/// so someone born on 29 February turns a year older on 1 March in a common year.
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> i32 {
    let years = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years - 1
    } else {
        years
    }
}

/// Whether someone born on `date_of_birth` is a child (under 18) on `on`.
pub fn is_child_on(date_of_birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(date_of_birth, on) < 18
}

/// `date` plus `days`, saturating at the calendar's end rather than failing.
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` plus whole months; the day is clamped to the month's last (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A date written exactly `YYYY-MM-DD`, as ISO 8601's calendar date in its extended form and
/// RFC 3339's `full-date` write it: four digits, two, two. chrono's own reading also takes
/// `2026-1-1`, which the wire's documents do not allow; a date that does not exist is refused.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, crate::InvalidValue> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(crate::InvalidValue::new(
            "date",
            text,
            "is not written YYYY-MM-DD",
        ));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| crate::InvalidValue::new("date", text, "does not exist"))
}

/// serde's reading of a date through [`parse_iso_date`]; written as chrono writes it.
pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        super::parse_iso_date(&text).map_err(serde::de::Error::custom)
    }
}
