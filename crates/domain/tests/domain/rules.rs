//! The rule files: the shipped ones load, every entry names its source, and a bad file is a
//! clear error naming the file, the entry and what is wrong.

use retur_domain::rules::{BUILTIN_FILES, RuleBook, RuleError};

use crate::support::*;

/// The shipped files with one of them replaced.
fn load_with(name: &str, text: &str) -> Result<RuleBook, RuleError> {
    let files: Vec<(&str, &str)> = BUILTIN_FILES
        .iter()
        .map(|(file, shipped)| {
            if *file == name {
                (*file, text)
            } else {
                (*file, *shipped)
            }
        })
        .collect();
    RuleBook::from_files(&files)
}

/// The shipped file with `extra` appended.
fn shipped_plus(name: &str, extra: &str) -> String {
    let shipped = BUILTIN_FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, text)| *text)
        .expect("a shipped file");
    format!("{shipped}\n{extra}")
}

fn check(name: &str, text: &str, entry: &str, problem: &str) {
    let error = load_with(name, text).expect_err("the file must be refused");
    assert_eq!(error.file, name, "{error}");
    assert!(
        error.entry.contains(entry),
        "the error names the entry {entry:?}: {error}"
    );
    assert!(
        error.problem.contains(problem),
        "the error says {problem:?}: {error}"
    );
}

#[test]
fn the_shipped_rules_load_and_name_their_sources() {
    let book = RuleBook::builtin().expect("the shipped rules load");
    let sources = book.sources();
    assert!(sources.iter().any(|s| s.contains("seed 003")));
    assert!(sources.iter().any(|s| s.contains("seed 002")));
    assert!(sources.iter().any(|s| s.contains("§ 29")));
    assert!(sources.iter().all(|s| !s.trim().is_empty()));
}

#[test]
fn the_rules_in_force_hold_the_amounts_and_limits_of_the_sources() {
    let rules = rules().in_force_on(date("2025-03-03")).expect("rules");
    assert_eq!(
        (rules.pocket_money.adult_usd, rules.pocket_money.child_usd),
        (80, 110)
    );
    assert_eq!(rules.time_limits.appeal_window_days, 21);
    assert_eq!(rules.time_limits.payout_target_days, 21);
    assert_eq!(rules.time_limits.repayment_window_years, 2);
    let table = &rules.rate_table;
    assert_eq!(
        (table.adult_before_deadline, table.adult_after_deadline),
        (15_000, 5_000)
    );
    assert_eq!(
        (
            table.extra_per_child_before_deadline,
            table.dublin_per_person
        ),
        (10_000, 5_000)
    );
}

#[test]
fn the_same_rules_give_the_same_digest_and_different_rules_another() {
    let a = rules()
        .in_force_on(date("2025-03-03"))
        .expect("rules")
        .reference();
    let b = rules()
        .in_force_on(date("2025-09-09"))
        .expect("rules")
        .reference();
    assert_eq!(a.digest, b.digest);
    assert_eq!(a.digest.len(), 64);
    let changed = load_with(
        "pocket_money.toml",
        r#"
[[pocket_money]]
adult_usd = 80
child_usd = 110
from = "2024-01-01"
source = "IOM"

[[pocket_money]]
adult_usd = 90
child_usd = 120
from = "2025-06-01"
source = "A later rate"
"#,
    )
    .expect("loads");
    assert_eq!(
        changed
            .in_force_on(date("2025-05-31"))
            .expect("rules")
            .reference()
            .digest,
        a.digest
    );
    let later = changed.in_force_on(date("2025-06-01")).expect("rules");
    assert_eq!(
        later.pocket_money.adult_usd, 90,
        "the newest entry in force wins"
    );
    assert_ne!(later.reference().digest, a.digest);
}

#[test]
fn a_syntax_error_names_the_file_and_line() {
    check(
        "grants.toml",
        "[[rate_table]]\nid = \"x\"\nfrom = 2024-01-01-\n",
        "line 3",
        "",
    );
}

#[test]
fn a_misspelt_key_is_refused_not_ignored() {
    let text = shipped_plus(
        "pocket_money.toml",
        "[[pocket_money]]\nadult_usd = 80\nchild_usd = 110\nchlid_usd = 1\nfrom = \"2026-01-01\"\nsource = \"x\"\n",
    );
    check("pocket_money.toml", &text, "line", "chlid_usd");
}

#[test]
fn an_unknown_country_code_names_the_entry() {
    let text = shipped_plus(
        "eligibility.toml",
        "[[excluded_nationality]]\ncountry = \"QQ\"\nfrom = \"2024-01-01\"\nsource = \"x\"\n",
    );
    check("eligibility.toml", &text, "line", "QQ");
}

#[test]
fn a_bad_date_names_the_entry() {
    let text = shipped_plus(
        "eligibility.toml",
        "[[dublin_state]]\ncountry = \"SE\"\nfrom = \"1 January 2030\"\nsource = \"x\"\n",
    );
    check(
        "eligibility.toml",
        &text,
        "dublin_state[",
        "not a date written YYYY-MM-DD",
    );
}

#[test]
fn an_entry_that_ends_before_it_starts_is_refused() {
    let text = shipped_plus(
        "eligibility.toml",
        "[[dublin_state]]\ncountry = \"GB\"\nfrom = \"2030-01-01\"\nuntil = \"2029-01-01\"\nsource = \"x\"\n",
    );
    check("eligibility.toml", &text, "(GB)", "is not after from");
}

#[test]
fn a_country_listed_twice_at_once_is_refused() {
    let text = shipped_plus(
        "eligibility.toml",
        "[[excluded_nationality]]\ncountry = \"AL\"\nfrom = \"2025-01-01\"\nsource = \"x\"\n",
    );
    check(
        "eligibility.toml",
        &text,
        "excluded_nationality[19] (AL)",
        "overlaps another entry",
    );
}

#[test]
fn two_rate_tables_starting_the_same_day_are_refused() {
    let text = shipped_plus(
        "grants.toml",
        r#"
[[rate_table]]
id = "standard-2024-bis"
from = "2024-01-01"
source = "x"
adult_before_deadline = 1
adult_after_deadline = 1
child_before_deadline = 1
child_after_deadline = 1
extra_per_child_before_deadline = 1
extra_per_child_after_deadline = 1
dublin_per_person = 1
"#,
    );
    check("grants.toml", &text, "rate_table[1]", "overlaps");
}

#[test]
fn a_negative_or_fractional_amount_is_refused() {
    let negative = shipped_plus(
        "grants.toml",
        r#"
[[rate_table]]
id = "bad"
from = "2030-01-01"
source = "x"
adult_before_deadline = -15000
adult_after_deadline = 5000
child_before_deadline = 15000
child_after_deadline = 5000
extra_per_child_before_deadline = 10000
extra_per_child_after_deadline = 0
dublin_per_person = 5000
"#,
    );
    check("grants.toml", &negative, "rate_table[1]", "whole NOK");
    let fractional = negative.replace("-15000", "15000.5");
    check(
        "grants.toml",
        &fractional,
        "line",
        "floating point `15000.5`",
    );
}

#[test]
fn tranche_shares_must_add_up_to_100() {
    let text = shipped_plus(
        "grants.toml",
        r#"
[[country_programme]]
country = "ER"
scope = "all_returnees"
tranches = [{ share_percent = 50, months_after_arrival = 0 }, { share_percent = 40, months_after_arrival = 3 }]
from = "2024-01-01"
source = "x"
"#,
    );
    check(
        "grants.toml",
        &text,
        "country_programme[8] (ER)",
        "add up to 100",
    );
}

#[test]
fn a_missing_source_is_refused() {
    let text = shipped_plus(
        "time_limits.toml",
        "[[payout_target]]\ndays = 30\nfrom = \"2030-01-01\"\nsource = \" \"\n",
    );
    check(
        "time_limits.toml",
        &text,
        "payout_target[1]",
        "source is empty",
    );
}

#[test]
fn a_time_limit_of_zero_days_is_refused() {
    let text = shipped_plus(
        "time_limits.toml",
        "[[appeal_window]]\ndays = 0\nfrom = \"2030-01-01\"\nsource = \"x\"\n",
    );
    check("time_limits.toml", &text, "appeal_window[1]", "above zero");
}

#[test]
fn a_missing_file_is_named() {
    let files: Vec<(&str, &str)> = BUILTIN_FILES
        .iter()
        .copied()
        .filter(|(name, _)| *name != "grants.toml")
        .collect();
    let error = RuleBook::from_files(&files).expect_err("a file is missing");
    assert_eq!(
        (error.file.as_str(), error.problem.as_str()),
        ("grants.toml", "is missing")
    );
    assert_eq!(error.to_string(), "grants.toml: file: is missing");
}

/// The shipped `time_limits.toml` without the kinds of rule added for appeals.
fn time_limits_before_appeal_rules() -> String {
    let shipped = BUILTIN_FILES
        .iter()
        .find(|(file, _)| *file == "time_limits.toml")
        .map(|(_, text)| *text)
        .expect("a shipped file");
    let cut = shipped
        .find("# A late appeal may still be heard")
        .expect("the appeal rules follow the older ones");
    shipped[..cut].to_owned()
}

#[test]
fn the_days_off_and_the_late_appeal_limit_apply_from_25_november_2026() {
    use retur_domain::calendar::NonWorkingDay;
    let before = rules().in_force_on(date("2026-11-24")).expect("rules");
    assert!(before.non_working_days.is_empty());
    assert_eq!(before.time_limits.late_appeal_limit_years, None);
    let after = rules().in_force_on(date("2026-11-25")).expect("rules");
    assert_eq!(after.time_limits.late_appeal_limit_years, Some(1));
    assert!(after.non_working_days.contains(&NonWorkingDay::Saturday));
    assert!(
        after
            .non_working_days
            .contains(&NonWorkingDay::ConstitutionDay)
    );
    assert!(
        !after
            .non_working_days
            .contains(&NonWorkingDay::ChristmasEve)
    );
    let sources = rules().sources();
    for cited in ["§ 149", "§ 31", "helligdagsfred", "17. mai"] {
        assert!(
            sources
                .iter()
                .any(|s| s.contains(cited) && s.contains("2026-11-25")),
            "a source cites {cited} with the day it was read"
        );
    }
}

#[test]
fn the_rules_of_earlier_dates_keep_the_digest_their_decisions_recorded() {
    // Adding the appeal rules from 2026-11-25 must not change what the rules of any earlier
    // date resolve to, nor their digest: decisions recorded it, and the audit compares.
    let without = load_with("time_limits.toml", &time_limits_before_appeal_rules())
        .expect("the older rules load");
    for day in ["2024-01-01", "2025-03-03", "2026-11-24"] {
        let shipped = rules().in_force_on(date(day)).expect("rules");
        assert_eq!(
            shipped.reference(),
            without.in_force_on(date(day)).expect("rules").reference(),
            "{day}"
        );
        let json = serde_json::to_string(&shipped).expect("json");
        assert!(
            !json.contains("non_working_days") && !json.contains("late_appeal_limit"),
            "{json}"
        );
    }
    assert_ne!(
        rules()
            .in_force_on(date("2026-11-25"))
            .expect("rules")
            .reference()
            .digest,
        without
            .in_force_on(date("2026-11-25"))
            .expect("rules")
            .reference()
            .digest
    );
}

#[test]
fn a_list_of_days_off_names_kinds_of_day_the_calendar_knows_once_each() {
    let entry = |days: &str| {
        format!("[[non_working_days]]\ndays = {days}\nfrom = \"2030-01-01\"\nsource = \"x\"\n")
    };
    let unknown = shipped_plus("time_limits.toml", &entry(r#"["midsummer_eve"]"#));
    check("time_limits.toml", &unknown, "line", "midsummer_eve");
    let twice = shipped_plus("time_limits.toml", &entry(r#"["saturday", "saturday"]"#));
    check("time_limits.toml", &twice, "non_working_days[3]", "twice");
    let none = shipped_plus("time_limits.toml", &entry("[]"));
    check("time_limits.toml", &none, "non_working_days[3]", "empty");
}

/// What an approval shows as the sources of its amounts: the rate table and the pocket money
/// in force, and the programme of the return country alone.
#[test]
fn the_sources_of_a_grants_amounts_are_those_in_force_for_its_programme() {
    let book = retur_domain::RuleBook::builtin().expect("the built-in rules");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let afghanistan = retur_domain::CountryCode::parse("AF").unwrap();
    let none = book.amount_sources_on(day, None);
    let with_programme = book.amount_sources_on(day, Some(&afghanistan));
    assert!(
        none.iter().any(|s| s.contains("standard rates")),
        "{none:?}"
    );
    assert!(
        none.iter().any(|s| s.contains("USD")),
        "pocket money: {none:?}"
    );
    let about = |sources: &std::collections::BTreeSet<&str>, country: &str| {
        sources
            .iter()
            .filter(|s| s.to_lowercase().contains(country))
            .count()
    };
    assert_eq!(about(&none, "afghanistan"), 0, "{none:?}");
    assert_eq!(
        about(&with_programme, "afghanistan"),
        1,
        "{with_programme:?}"
    );
    assert_eq!(about(&with_programme, "iraq"), 0, "{with_programme:?}");
    assert_eq!(with_programme.len(), none.len() + 1);
}
