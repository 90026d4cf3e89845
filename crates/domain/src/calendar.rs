//! Dates as Norway counts them: instants become dates in Europe/Oslo, ages are whole years,
//! and a deadline that ends on a weekend or a public holiday runs on to the next working day.
//! Pure: the public holidays are computed for any year, the moving ones from Easter.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Oslo;
use serde::{Deserialize, Serialize};

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
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        crate::InvalidValue::new("date", text, "is written YYYY-MM-DD but is no calendar day")
    })
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
/// A kind of day on which a deadline does not end: a deadline whose last day is one of them
/// runs on to the next day that is none of them (domstolloven § 149). Which kinds count is a
/// rule, kept as data with its legal source (`non_working_days` in `rules/time_limits.toml`);
/// this type only knows on which date each one falls.
///
/// The public holidays are those of lov om helligdager og helligdagsfred § 2 (with every
/// Sunday), and 1 and 17 May, which lov om 1. og 17. mai som høgtidsdager § 1 makes equal to
/// Sundays. Christmas Eve and New Year's Eve are no holidays in Norway; they are here so that a
/// rule can name them, should one ever be found that does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonWorkingDay {
    Saturday,
    Sunday,
    /// Nyttårsdag, 1 January.
    NewYearsDay,
    /// Skjærtorsdag, the last Thursday before Easter Sunday.
    MaundyThursday,
    /// Langfredag, the last Friday before Easter Sunday.
    GoodFriday,
    /// Første påskedag.
    EasterSunday,
    /// Annen påskedag, the Monday after Easter Sunday.
    EasterMonday,
    /// 1 May.
    FirstOfMay,
    /// 17 May.
    ConstitutionDay,
    /// Kristi himmelfartsdag, the sixth Thursday after Easter Sunday (39 days after it).
    AscensionDay,
    /// Første pinsedag, the seventh Sunday after Easter Sunday (49 days after it).
    WhitSunday,
    /// Annen pinsedag, the Monday after Whit Sunday.
    WhitMonday,
    /// Julaften, 24 December.
    ChristmasEve,
    /// Første juledag, 25 December.
    ChristmasDay,
    /// Annen juledag, 26 December.
    BoxingDay,
    /// Nyttårsaften, 31 December.
    NewYearsEve,
}

impl NonWorkingDay {
    pub const ALL: [NonWorkingDay; 16] = [
        NonWorkingDay::Saturday,
        NonWorkingDay::Sunday,
        NonWorkingDay::NewYearsDay,
        NonWorkingDay::MaundyThursday,
        NonWorkingDay::GoodFriday,
        NonWorkingDay::EasterSunday,
        NonWorkingDay::EasterMonday,
        NonWorkingDay::FirstOfMay,
        NonWorkingDay::ConstitutionDay,
        NonWorkingDay::AscensionDay,
        NonWorkingDay::WhitSunday,
        NonWorkingDay::WhitMonday,
        NonWorkingDay::ChristmasEve,
        NonWorkingDay::ChristmasDay,
        NonWorkingDay::BoxingDay,
        NonWorkingDay::NewYearsEve,
    ];

    /// The date it falls on in `year`: `None` for Saturdays and Sundays, which fall every week,
    /// and for an Easter-based day outside the years the Gregorian computus covers (1583–9999).
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        use NonWorkingDay as D;
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        let after_easter = |days: i64| {
            easter_sunday(year)
                .and_then(|easter| easter.checked_add_signed(chrono::TimeDelta::try_days(days)?))
        };
        match self {
            D::Saturday | D::Sunday => None,
            D::NewYearsDay => fixed(1, 1),
            D::MaundyThursday => after_easter(-3),
            D::GoodFriday => after_easter(-2),
            D::EasterSunday => after_easter(0),
            D::EasterMonday => after_easter(1),
            D::FirstOfMay => fixed(5, 1),
            D::ConstitutionDay => fixed(5, 17),
            D::AscensionDay => after_easter(39),
            D::WhitSunday => after_easter(49),
            D::WhitMonday => after_easter(50),
            D::ChristmasEve => fixed(12, 24),
            D::ChristmasDay => fixed(12, 25),
            D::BoxingDay => fixed(12, 26),
            D::NewYearsEve => fixed(12, 31),
        }
    }

    /// Whether `date` is a day of this kind.
    pub fn falls_on(self, date: NaiveDate) -> bool {
        match self {
            NonWorkingDay::Saturday => date.weekday() == Weekday::Sat,
            NonWorkingDay::Sunday => date.weekday() == Weekday::Sun,
            _ => self.date_in(date.year()) == Some(date),
        }
    }
}

/// Easter Sunday (første påskedag) in `year`: the first Sunday after the first (ecclesiastical)
/// full moon on or after 21 March, as lov om helligdager og helligdagsfred § 2 (e) puts it,
/// counted by the Gregorian computus. `None` outside the years it covers (1583–9999).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let easter = computus::gregorian(year).ok()?;
    NaiveDate::from_ymd_opt(easter.year, easter.month, easter.day)
}

/// Whether `date` is a working day: none of `non_working` falls on it.
pub fn is_working_day(date: NaiveDate, non_working: &BTreeSet<NonWorkingDay>) -> bool {
    !non_working.iter().any(|kind| kind.falls_on(date))
}

/// The day a deadline whose last day is `last_day` really ends: `last_day` itself if it is a
/// working day, otherwise the next working day (domstolloven § 149). With no kinds of day
/// listed, every day is a working day and the deadline ends on `last_day`.
pub fn deadline_end(last_day: NaiveDate, non_working: &BTreeSet<NonWorkingDay>) -> NaiveDate {
    // Runs of days off are short (the longest, Maundy Thursday to Easter Monday, is five days);
    // the bound only keeps this total whatever the set holds.
    let mut day = last_day;
    for _ in 0..MAX_DAYS_OFF_IN_A_ROW {
        if is_working_day(day, non_working) {
            return day;
        }
        day = add_days(day, 1);
    }
    day
}

/// More days off in a row than any calendar has: Saturdays and Sundays are the only kinds that
/// recur within a year, so no run of them with every holiday listed is this long.
const MAX_DAYS_OFF_IN_A_ROW: u32 = 31;
