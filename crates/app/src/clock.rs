//! Time comes from a clock the application is given, so tests can set it and jump it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Where "now" comes from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is set or advanced: for tests and for replaying time.
#[derive(Debug)]
pub struct ManualClock {
    // A std mutex: it is held for a copy, never across an await.
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        ManualClock {
            now: Mutex::new(now),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How far to move a clock set by hand, read from an ISO 8601 duration (`P22D`, `P1M`, `PT2H`,
/// `P1W`). Its calendar part (years, months, weeks, days) is counted on Norway's calendar, so
/// `P1D` from 09:00 is 09:00 the next day across a change to or from summer time; its time part
/// is counted exactly. A clock only moves forward: a negative or empty duration is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockStep {
    months: u32,
    days: u32,
    exact: Duration,
}

impl ClockStep {
    /// Reads an ISO 8601 duration; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<ClockStep, String> {
        let span = jiff::fmt::temporal::SpanParser::new()
            .parse_span(text)
            .map_err(|e| format!("{text:?} is not an ISO 8601 duration such as P22D: {e}"))?;
        if span.is_negative() {
            return Err(format!(
                "{text:?} goes back; the clock only moves forward (set it anew on a fresh database to start over)"
            ));
        }
        let count = |n: i64| u32::try_from(n).map_err(|_| format!("{text:?} is too long"));
        let months = count(i64::from(span.get_years()) * 12 + i64::from(span.get_months()))?;
        let days = count(i64::from(span.get_weeks()) * 7 + i64::from(span.get_days()))?;
        let exact = Duration::hours(i64::from(span.get_hours()))
            + Duration::minutes(span.get_minutes())
            + Duration::seconds(span.get_seconds())
            + Duration::milliseconds(span.get_milliseconds())
            + Duration::microseconds(span.get_microseconds())
            + Duration::nanoseconds(span.get_nanoseconds());
        let step = ClockStep {
            months,
            days,
            exact,
        };
        if step.months == 0 && step.days == 0 && step.exact.is_zero() {
            return Err(format!("{text:?} does not move the clock"));
        }
        Ok(step)
    }

    /// The instant `self` after `from`, or `None` past the calendar's end.
    pub fn after(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        use chrono::TimeZone;
        use chrono_tz::Europe::Oslo;
        let local = from.with_timezone(&Oslo).naive_local();
        let local = local
            .checked_add_months(chrono::Months::new(self.months))?
            .checked_add_days(chrono::Days::new(u64::from(self.days)))?;
        // A wall-clock time that does not exist (the hour skipped in spring) is read as the
        // same instant an hour later would be written; an ambiguous one (autumn) as the first.
        let moved = match Oslo.from_local_datetime(&local) {
            chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => at,
            chrono::LocalResult::None => Oslo
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()?,
        };
        moved.with_timezone(&Utc).checked_add_signed(self.exact)
    }
}

impl ManualClock {
    /// Moves the clock by `step`; returns the new time.
    pub fn step(&self, step: &ClockStep) -> Result<DateTime<Utc>, String> {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let moved = step
            .after(*now)
            .ok_or_else(|| "the clock would pass the calendar's end".to_owned())?;
        *now = moved;
        Ok(moved)
    }

    /// Sets the clock to `to`, which must not be before the time it shows: returns the new time.
    pub fn set_forward(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if to < *now {
            return Err(format!(
                "the clock only moves forward: it shows {}, and {} is before that",
                now.to_rfc3339(),
                to.to_rfc3339()
            ));
        }
        *now = to;
        Ok(to)
    }
}
