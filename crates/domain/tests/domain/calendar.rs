//! Norwegian public holidays for any year, and deadlines that end on a day off running on to
//! the next working day.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use retur_domain::calendar::{self, NonWorkingDay};

use crate::support::*;

/// Easter Sunday 2000–2035, from the published "List of Easter Sunday Dates 2000-2099"
/// (jtsoftware.tripod.com/easter/index.htm, read 2026-11-25); 2000–2020 agree with the list at
/// chronos-st.blogspot.com/2008/03/easter-dates-from-2000-to-2020.html, and 2024–2034 with
/// kalender.se/helgdagar/paskdagen.
const EASTER_SUNDAYS: [&str; 36] = [
    "2000-04-23",
    "2001-04-15",
    "2002-03-31",
    "2003-04-20",
    "2004-04-11",
    "2005-03-27",
    "2006-04-16",
    "2007-04-08",
    "2008-03-23",
    "2009-04-12",
    "2010-04-04",
    "2011-04-24",
    "2012-04-08",
    "2013-03-31",
    "2014-04-20",
    "2015-04-05",
    "2016-03-27",
    "2017-04-16",
    "2018-04-01",
    "2019-04-21",
    "2020-04-12",
    "2021-04-04",
    "2022-04-17",
    "2023-04-09",
    "2024-03-31",
    "2025-04-20",
    "2026-04-05",
    "2027-03-28",
    "2028-04-16",
    "2029-04-01",
    "2030-04-21",
    "2031-04-13",
    "2032-03-28",
    "2033-04-17",
    "2034-04-09",
    "2035-03-25",
];

#[test]
fn easter_sunday_is_the_published_date_from_2000_to_2035() {
    for (year, expected) in (2000..).zip(EASTER_SUNDAYS) {
        let easter = calendar::easter_sunday(year).expect("a year the computus covers");
        assert_eq!(easter, date(expected), "{year}");
        assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
    }
}

#[test]
fn easter_falls_between_22_march_and_25_april_and_is_unknown_outside_the_computus() {
    for year in 1583..=2500 {
        let easter = calendar::easter_sunday(year).expect("covered");
        let earliest = NaiveDate::from_ymd_opt(year, 3, 22).expect("a date");
        let latest = NaiveDate::from_ymd_opt(year, 4, 25).expect("a date");
        assert!(earliest <= easter && easter <= latest, "{easter}");
        assert_eq!(easter.weekday(), Weekday::Sun, "{easter}");
    }
    assert_eq!(calendar::easter_sunday(1582), None);
    assert_eq!(NonWorkingDay::GoodFriday.date_in(1582), None);
}

/// Every public holiday, year by year, as Norwegian calendars give them.
#[test]
fn each_public_holiday_falls_on_its_date_year_by_year() {
    use NonWorkingDay as D;
    // Maundy Thursday, Good Friday, Easter Monday, Ascension Day, Whit Sunday, Whit Monday.
    let moving = [
        (2024, ["03-28", "03-29", "04-01", "05-09", "05-19", "05-20"]),
        (2025, ["04-17", "04-18", "04-21", "05-29", "06-08", "06-09"]),
        (2026, ["04-02", "04-03", "04-06", "05-14", "05-24", "05-25"]),
        (2027, ["03-25", "03-26", "03-29", "05-06", "05-16", "05-17"]),
        (2028, ["04-13", "04-14", "04-17", "05-25", "06-04", "06-05"]),
    ];
    for (year, dates) in moving {
        let kinds = [
            D::MaundyThursday,
            D::GoodFriday,
            D::EasterMonday,
            D::AscensionDay,
            D::WhitSunday,
            D::WhitMonday,
        ];
        for (kind, day) in kinds.into_iter().zip(dates) {
            assert_eq!(
                kind.date_in(year),
                Some(date(&format!("{year}-{day}"))),
                "{kind:?} {year}"
            );
        }
    }
    for year in [1999, 2024, 2025, 2026, 2027, 2040] {
        for (kind, day) in [
            (D::NewYearsDay, "01-01"),
            (D::FirstOfMay, "05-01"),
            (D::ConstitutionDay, "05-17"),
            (D::ChristmasEve, "12-24"),
            (D::ChristmasDay, "12-25"),
            (D::BoxingDay, "12-26"),
            (D::NewYearsEve, "12-31"),
        ] {
            assert_eq!(
                kind.date_in(year),
                Some(date(&format!("{year}-{day}"))),
                "{kind:?} {year}"
            );
        }
    }
    assert_eq!(D::Saturday.date_in(2027), None, "every week, not a date");
}

/// Ascension Day and Whit Sunday (Pentecost) 2000–2008 from a second published table
/// (religioustolerance.org/main_day1.htm, "Movable days, according to the Gregorian calendar",
/// read 2026-11-25).
#[test]
fn ascension_and_whit_sunday_agree_with_a_published_table() {
    let table = [
        (2000, "06-01", "06-11"),
        (2001, "05-24", "06-03"),
        (2002, "05-09", "05-19"),
        (2003, "05-29", "06-08"),
        (2004, "05-20", "05-30"),
        (2005, "05-05", "05-15"),
        (2006, "05-25", "06-04"),
        (2007, "05-17", "05-27"),
        (2008, "05-01", "05-11"),
    ];
    for (year, ascension, whit_sunday) in table {
        assert_eq!(
            NonWorkingDay::AscensionDay.date_in(year),
            Some(date(&format!("{year}-{ascension}")))
        );
        assert_eq!(
            NonWorkingDay::WhitSunday.date_in(year),
            Some(date(&format!("{year}-{whit_sunday}")))
        );
    }
}

#[test]
fn a_kind_of_day_falls_on_its_dates_and_on_no_other() {
    use NonWorkingDay as D;
    assert!(D::Saturday.falls_on(date("2027-01-02")));
    assert!(!D::Saturday.falls_on(date("2027-01-03")));
    assert!(D::Sunday.falls_on(date("2027-01-03")));
    assert!(D::EasterSunday.falls_on(date("2027-03-28")));
    assert!(!D::EasterSunday.falls_on(date("2026-03-28")));
    assert!(D::ConstitutionDay.falls_on(date("2027-05-17")));
    assert!(D::WhitMonday.falls_on(date("2027-05-17")), "both, in 2027");
    for day in date("2027-01-01").iter_days().take(365) {
        let kinds: Vec<D> = D::ALL.into_iter().filter(|k| k.falls_on(day)).collect();
        for kind in &kinds {
            match kind.date_in(day.year()) {
                Some(on) => assert_eq!(on, day, "{kind:?}"),
                None => assert!(matches!(kind, D::Saturday | D::Sunday)),
            }
        }
    }
}

/// The days off of the rules in force from 2026-11-25.
fn days_off() -> BTreeSet<NonWorkingDay> {
    rules()
        .in_force_on(date("2027-01-01"))
        .expect("rules")
        .non_working_days
}

#[test]
fn the_rules_list_the_weekend_and_the_public_holidays_with_1_and_17_may() {
    use NonWorkingDay as D;
    let listed = days_off();
    let expected: BTreeSet<D> = [
        D::Saturday,
        D::Sunday,
        D::NewYearsDay,
        D::MaundyThursday,
        D::GoodFriday,
        D::EasterSunday,
        D::EasterMonday,
        D::FirstOfMay,
        D::ConstitutionDay,
        D::AscensionDay,
        D::WhitSunday,
        D::WhitMonday,
        D::ChristmasDay,
        D::BoxingDay,
    ]
    .into();
    assert_eq!(listed, expected);
    // 12 public holidays a year, besides the weekends: count them over 2027's working week.
    let holidays_on_weekdays = date("2027-01-01")
        .iter_days()
        .take(365)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(|d| !calendar::is_working_day(*d, &listed))
        .count();
    // 2027: New Year's Day (Fri), Maundy Thursday, Good Friday, Easter Monday, Ascension Day,
    // Whit Monday and 17 May (both on Monday 17 May); Christmas Day and Boxing Day fall on the
    // weekend, and 1 May on a Saturday.
    assert_eq!(holidays_on_weekdays, 6);
}

#[test]
fn deadlines_across_a_weekend_easter_17_may_and_christmas() {
    let off = days_off();
    for (last_day, ends) in [
        // A working day stays.
        ("2027-01-29", "2027-01-29"),
        // Saturday and Sunday run to Monday.
        ("2027-01-30", "2027-02-01"),
        ("2027-01-31", "2027-02-01"),
        // Maundy Thursday to Easter Monday 2027.
        ("2027-03-25", "2027-03-30"),
        ("2027-03-26", "2027-03-30"),
        ("2027-03-29", "2027-03-30"),
        // Whit weekend and 17 May 2027.
        ("2027-05-15", "2027-05-18"),
        ("2027-05-17", "2027-05-18"),
        // 17 May 2028 on a Wednesday.
        ("2028-05-17", "2028-05-18"),
        // Christmas 2026 (Friday) and New Year 2027 (Friday).
        ("2026-12-25", "2026-12-28"),
        ("2026-12-26", "2026-12-28"),
        ("2027-01-01", "2027-01-04"),
        // Christmas 2027 on the weekend; New Year's Day 2028 on a Saturday.
        ("2027-12-25", "2027-12-27"),
        ("2028-01-01", "2028-01-03"),
        // Not confirmed as days off: Christmas Eve and New Year's Eve on weekdays.
        ("2027-12-24", "2027-12-24"),
        ("2027-12-31", "2027-12-31"),
        // Easter 2035 comes early: Maundy Thursday 22 March to Easter Monday 26 March.
        ("2035-03-22", "2035-03-27"),
    ] {
        assert_eq!(
            calendar::deadline_end(date(last_day), &off),
            date(ends),
            "a deadline ending {last_day}"
        );
    }
    assert_eq!(
        calendar::deadline_end(date("2027-01-30"), &BTreeSet::new()),
        date("2027-01-30"),
        "with no days off listed, a deadline ends on its last day"
    );
}

proptest! {
    #[test]
    fn a_deadline_ends_on_the_first_working_day_from_its_last_day(days in 0u32..60_000) {
        let off = days_off();
        let last_day = calendar::add_days(date("1900-01-01"), days);
        let ends = calendar::deadline_end(last_day, &off);
        prop_assert!(ends >= last_day);
        prop_assert!(calendar::is_working_day(ends, &off), "{ends}");
        prop_assert!(
            last_day.iter_days().take_while(|d| *d < ends).all(|d| !calendar::is_working_day(d, &off)),
            "a working day between {last_day} and {ends}"
        );
        prop_assert!((ends - last_day).num_days() <= 5, "{last_day} runs to {ends}");
    }
}
