//! The rules as effective-dated data. The files in `rules/` at the repository's root are the
//! source of truth: every entry names its source and the date from which it applies. A
//! [`RuleBook`] holds their whole history; [`RuleBook::in_force_on`] resolves the [`RuleSet`]
//! of one date, and its [`RuleSetRef`] (the date and a digest of the resolved rules) is recorded
//! in each decision so that an auditor can tell exactly which rules decided a case.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::calendar::NonWorkingDay;
use crate::country::CountryCode;
use crate::money::{Currency, Money};

/// The rule files, by name, as shipped in the repository and compiled into the binary.
pub const BUILTIN_FILES: [(&str, &str); 4] = [
    (
        ELIGIBILITY_FILE,
        include_str!("../../../rules/eligibility.toml"),
    ),
    (GRANTS_FILE, include_str!("../../../rules/grants.toml")),
    (
        POCKET_MONEY_FILE,
        include_str!("../../../rules/pocket_money.toml"),
    ),
    (
        TIME_LIMITS_FILE,
        include_str!("../../../rules/time_limits.toml"),
    ),
];

pub const ELIGIBILITY_FILE: &str = "eligibility.toml";
pub const GRANTS_FILE: &str = "grants.toml";
pub const POCKET_MONEY_FILE: &str = "pocket_money.toml";
pub const TIME_LIMITS_FILE: &str = "time_limits.toml";

/// A rule file that does not load: which file, which entry, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {entry}: {problem}")]
pub struct RuleError {
    pub file: String,
    pub entry: String,
    pub problem: String,
}

/// The grounds on which a person is normally not eligible for assisted return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// A citizen of a country on the list of excluded nationalities.
    ExcludedNationality,
    /// A national of a country exempt from the Schengen visa requirement.
    VisaExemptNationality,
    /// Received return support before, came back, and wants to return to a Dublin state.
    ReimmigratedToDublinState,
    /// A residence permit on other grounds than protection expired or was revoked.
    NonProtectionPermitExpired,
    /// Refused because of protection, residence or a visa held in another EU/EEA country.
    StatusInOtherEeaCountry,
    /// Legal residence in Norway.
    LegalResidence,
}

impl Exclusion {
    /// The stable code a refusal names the rule by.
    pub fn code(&self) -> &'static str {
        match self {
            Exclusion::ExcludedNationality => "excluded_nationality",
            Exclusion::VisaExemptNationality => "visa_exempt_nationality",
            Exclusion::ReimmigratedToDublinState => "reimmigrated_to_dublin_state",
            Exclusion::NonProtectionPermitExpired => "non_protection_permit_expired",
            Exclusion::StatusInOtherEeaCountry => "status_in_other_eea_country",
            Exclusion::LegalResidence => "legal_residence",
        }
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The circumstances of a person that lift exclusions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionGround {
    UnaccompaniedMinor,
    PossibleTraffickingVictim,
}

/// One grant rate table, in whole NOK per person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateTable {
    pub id: String,
    pub adult_before_deadline: i64,
    pub adult_after_deadline: i64,
    pub child_before_deadline: i64,
    pub child_after_deadline: i64,
    pub extra_per_child_before_deadline: i64,
    pub extra_per_child_after_deadline: i64,
    pub dublin_per_person: i64,
}

/// Which households a country programme applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeScope {
    AllReturnees,
    FamiliesWithChildren,
}

/// A share of the cash grant and when, counted from arrival, it falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrancheRule {
    pub share_percent: u32,
    pub months_after_arrival: u32,
}

/// What a country programme adds to or changes in the standard grant, for returns to one country.
///
/// The first six fields are those of the entries written before 2026-11-25. They are kept, with
/// their meaning, so that the rules of those dates resolve (and hash) exactly as they did; the
/// entries from 2026-11-25 leave them at their defaults and use the fields after them, which are
/// left out of the serialized rules when unset for the same reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryProgramme {
    pub country: CountryCode,
    pub scope: ProgrammeScope,
    /// Earlier entries: in-kind support per person, in whole NOK, recorded as one total.
    pub in_kind_per_person: i64,
    /// Earlier entries: in-kind support per household, in whole NOK, recorded as one total.
    pub in_kind_per_household: i64,
    /// Earlier entries: replaces the standard extra per child when applying before the deadline.
    pub extra_per_child_before_deadline: Option<i64>,
    /// Earlier entries: the whole cash grant is given in kind instead.
    pub cash_paid_in_kind: bool,
    /// How the cash grant is split over time; the shares add up to 100.
    pub tranches: Vec<TrancheRule>,
    /// The programme's own cash rates per person, in place of the rate table's.
    #[serde(default, skip_serializing_if = "CashRates::is_unset")]
    pub cash: CashRates,
    /// Cash per person paid on arrival, on top of the rates and outside the tranche shares.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub on_arrival_per_person: i64,
    /// Support given in kind, each item in its own currency and by its provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_kind: Vec<InKindRule>,
    /// What an unaccompanied minor returning alone gets instead of the rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unaccompanied_minor: Option<UnaccompaniedMinorRates>,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// A programme's own cash rates per person, in whole NOK. A child's rate is the whole amount
/// for the child (the rate table's child rate and extra per child together). A rate left out is
/// the rate table's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CashRates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_before_deadline: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_after_deadline: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_before_deadline: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_after_deadline: Option<i64>,
}

impl CashRates {
    fn is_unset(&self) -> bool {
        *self == CashRates::default()
    }

    fn amounts(&self) -> [Option<i64>; 4] {
        [
            self.adult_before_deadline,
            self.adult_after_deadline,
            self.child_before_deadline,
            self.child_after_deadline,
        ]
    }
}

/// Whom an item of in-kind support is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InKindUnit {
    /// One item for each person of the household.
    Person,
    /// One item for the household as a whole.
    Household,
}

/// One kind of support a programme gives in kind: never paid as cash, valued in whole units of
/// its own currency, and provided by a partner of the programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InKindRule {
    pub per: InKindUnit,
    pub currency: Currency,
    /// Whole units of `currency`.
    pub amount: i64,
    /// Whole units of `currency` for a person UDI judges particularly vulnerable, where the
    /// programme gives them more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub particularly_vulnerable_amount: Option<i64>,
    /// Who provides it.
    pub provider: String,
    /// What it is for.
    pub what: String,
}

/// A part of an unaccompanied minor's cash grant, in whole NOK, and when it falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedTranche {
    pub amount: i64,
    pub months_after_arrival: u32,
}

/// An unaccompanied minor's grant under a programme: fixed amounts on fixed dates, whatever the
/// tier. The cash grant is their sum (and the programme's amount on arrival).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnaccompaniedMinorRates {
    pub tranches: Vec<FixedTranche>,
}

/// Pocket money for the journey, in whole USD per person by age on the departure date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PocketMoneyRates {
    pub adult_usd: i64,
    pub child_usd: i64,
}

impl PocketMoneyRates {
    pub fn adult(&self) -> Money {
        Money::usd(self.adult_usd)
    }

    pub fn child(&self) -> Money {
        Money::usd(self.child_usd)
    }
}

/// The time limits of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    /// Days from notification of a refusal or revocation within which it can be appealed.
    pub appeal_window_days: u32,
    /// Days from arrival within which the grant should be paid out.
    pub payout_target_days: u32,
    /// Days from approval within which the household should have departed.
    pub travel_period_days: u32,
    /// Years from departure within which a re-entry to Norway can lead to a repayment claim.
    pub repayment_window_years: u32,
    /// Years from a decision after which a late appeal against it can no longer be heard.
    /// `None` under rules from before the limit was kept as data (and then left out of the
    /// digest, so the rules of those dates keep the digest recorded with them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_appeal_limit_years: Option<u32>,
}

/// The rules in force on one date, resolved from the book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    #[serde(skip)]
    pub effective_on: NaiveDate,
    pub exclusions: BTreeMap<Exclusion, BTreeSet<ExceptionGround>>,
    pub excluded_nationalities: BTreeSet<CountryCode>,
    pub visa_exempt_nationalities: BTreeSet<CountryCode>,
    pub dublin_states: BTreeSet<CountryCode>,
    pub rate_table: RateTable,
    pub country_programmes: BTreeMap<CountryCode, CountryProgramme>,
    pub pocket_money: PocketMoneyRates,
    pub time_limits: TimeLimits,
    /// The kinds of day on which no deadline ends: one that would runs on to the next day of
    /// none of these kinds. Empty under rules from before they were kept as data (and then
    /// left out of the digest, so the rules of those dates keep the digest recorded with them).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub non_working_days: BTreeSet<NonWorkingDay>,
    /// The SHA-256 of the set as serialized, in hex: computed once, when the book is loaded.
    #[serde(skip)]
    digest: String,
}

/// Which rules a decision was made under: the date they were resolved for, and the SHA-256
/// of the resolved rules, so that a later change to the data for that date is detectable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RuleSetRef {
    pub effective_on: NaiveDate,
    pub digest: String,
}

impl RuleSet {
    /// The reference a decision records.
    pub fn reference(&self) -> RuleSetRef {
        RuleSetRef {
            effective_on: self.effective_on,
            digest: self.digest.clone(),
        }
    }

    /// The digest of the set's rules (not of its date, which is not serialized).
    fn digest(&self) -> String {
        // Serializing plain maps, sets and numbers cannot fail; the fallback keeps this total.
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&canonical)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// Whether an exclusion is in force, and the grounds that lift it.
    pub fn exclusion(&self, exclusion: Exclusion) -> Option<&BTreeSet<ExceptionGround>> {
        self.exclusions.get(&exclusion)
    }
}

/// The whole history of the rules, loaded from the rule files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleBook {
    exclusions: Vec<Dated<ExclusionEntry>>,
    excluded_nationalities: Vec<Dated<CountryEntry>>,
    visa_exempt_nationalities: Vec<Dated<CountryEntry>>,
    dublin_states: Vec<Dated<CountryEntry>>,
    rate_tables: Vec<Dated<RateTable>>,
    country_programmes: Vec<Dated<CountryProgramme>>,
    pocket_money: Vec<Dated<PocketMoneyRates>>,
    appeal_window: Vec<Dated<u32>>,
    payout_target: Vec<Dated<u32>>,
    travel_period: Vec<Dated<u32>>,
    repayment_window: Vec<Dated<u32>>,
    late_appeal_limit: Vec<Dated<u32>>,
    non_working_days: Vec<Dated<BTreeSet<NonWorkingDay>>>,
    /// The rules resolved once for every period in which no entry starts or ends, by the
    /// period's first day: what `in_force_on` answers from, without resolving and hashing
    /// the rules again for each decision.
    periods: Vec<(NaiveDate, Result<RuleSet, NoRulesInForce>)>,
}

/// No rule set can be resolved for a date: a kind of rule has no entry in force then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no {missing} is in force on {date}: the rule files start later")]
pub struct NoRulesInForce {
    pub date: NaiveDate,
    pub missing: &'static str,
}

impl RuleBook {
    /// The rules shipped with retur.
    pub fn builtin() -> Result<RuleBook, RuleError> {
        RuleBook::from_files(&BUILTIN_FILES)
    }

    /// Loads the four rule files from their text, by file name. Every entry is checked; the
    /// first problem is returned naming the file, the entry and what is wrong.
    pub fn from_files(files: &[(&str, &str)]) -> Result<RuleBook, RuleError> {
        let text = |name: &str| {
            files
                .iter()
                .find(|(file, _)| file.ends_with(name))
                .map(|(file, text)| (*file, *text))
                .ok_or_else(|| RuleError {
                    file: name.to_owned(),
                    entry: "file".to_owned(),
                    problem: "is missing".to_owned(),
                })
        };

        let (file, eligibility) = text(ELIGIBILITY_FILE)?;
        let eligibility: EligibilityFile = parse_toml(file, eligibility)?;
        let exclusions = dated(
            file,
            "exclusion",
            eligibility.exclusion,
            |e| e.kind.code().to_owned(),
            Ok,
        )?;
        let excluded_nationalities = dated(
            file,
            "excluded_nationality",
            eligibility.excluded_nationality,
            country_key,
            Ok,
        )?;
        let visa_exempt_nationalities = dated(
            file,
            "visa_exempt_nationality",
            eligibility.visa_exempt_nationality,
            country_key,
            Ok,
        )?;
        let dublin_states = dated(
            file,
            "dublin_state",
            eligibility.dublin_state,
            country_key,
            Ok,
        )?;

        let (file, grants) = text(GRANTS_FILE)?;
        let grants: GrantsFile = parse_toml(file, grants)?;
        let rate_tables = dated(
            file,
            "rate_table",
            grants.rate_table,
            |_| String::new(),
            check_rate_table,
        )?;
        let country_programmes = dated(
            file,
            "country_programme",
            grants.country_programme,
            |p| p.country.to_string(),
            check_programme,
        )?;

        let (file, pocket) = text(POCKET_MONEY_FILE)?;
        let pocket: PocketMoneyFile = parse_toml(file, pocket)?;
        let pocket_money = dated(
            file,
            "pocket_money",
            pocket.pocket_money,
            |_| String::new(),
            |rates| {
                if rates.adult_usd < 0 || rates.child_usd < 0 {
                    return Err("an amount is negative".to_owned());
                }
                Ok(rates)
            },
        )?;

        let (file, limits) = text(TIME_LIMITS_FILE)?;
        let limits: TimeLimitsFile = parse_toml(file, limits)?;
        let days = |section: &str, entries: Vec<Entry<DaysEntry>>| {
            dated(
                file,
                section,
                entries,
                |_| String::new(),
                |entry: DaysEntry| positive(entry.days),
            )
        };
        let appeal_window = days("appeal_window", limits.appeal_window)?;
        let payout_target = days("payout_target", limits.payout_target)?;
        let travel_period = days("travel_period", limits.travel_period)?;
        let repayment_window = dated(
            file,
            "repayment_window",
            limits.repayment_window,
            |_| String::new(),
            |entry: YearsEntry| positive(entry.years),
        )?;
        let late_appeal_limit = dated(
            file,
            "late_appeal_limit",
            limits.late_appeal_limit,
            |_| String::new(),
            |entry: YearsEntry| positive(entry.years),
        )?;
        let non_working_days = dated(
            file,
            "non_working_days",
            limits.non_working_days,
            |entry| {
                let names: Vec<String> = entry.days.iter().map(|d| format!("{d:?}")).collect();
                names.join(", ")
            },
            check_non_working_days,
        )?;

        let mut book = RuleBook {
            exclusions,
            excluded_nationalities,
            visa_exempt_nationalities,
            dublin_states,
            rate_tables,
            country_programmes,
            pocket_money,
            appeal_window,
            payout_target,
            travel_period,
            repayment_window,
            late_appeal_limit,
            non_working_days,
            periods: Vec::new(),
        };
        book.periods = book
            .boundaries()
            .into_iter()
            .map(|first_day| (first_day, book.resolve(first_day)))
            .collect();
        Ok(book)
    }

    /// Every day on which an entry starts or stops applying: between two of them, the same
    /// entries are in force every day.
    fn boundaries(&self) -> BTreeSet<NaiveDate> {
        self.spans()
            .into_iter()
            .flat_map(|(from, until, _)| std::iter::once(from).chain(until))
            .collect()
    }

    /// Every entry of every kind of rule: its first day, the day it stops applying, its source.
    fn spans(&self) -> Vec<(NaiveDate, Option<NaiveDate>, &str)> {
        let mut spans = Vec::new();
        macro_rules! collect {
            ($($list:ident),*) => { $(
                spans.extend(self.$list.iter().map(|d| (d.from, d.until, d.source.as_str())));
            )* };
        }
        collect!(
            exclusions,
            excluded_nationalities,
            visa_exempt_nationalities,
            dublin_states,
            rate_tables,
            country_programmes,
            pocket_money,
            appeal_window,
            payout_target,
            travel_period,
            repayment_window,
            late_appeal_limit,
            non_working_days
        );
        spans
    }

    /// The rules in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> Result<RuleSet, NoRulesInForce> {
        let period = self
            .periods
            .partition_point(|(first_day, _)| *first_day <= date);
        match period.checked_sub(1).map(|n| &self.periods[n].1) {
            Some(Ok(rules)) => Ok(RuleSet {
                effective_on: date,
                ..rules.clone()
            }),
            Some(Err(missing)) => Err(NoRulesInForce {
                date,
                missing: missing.missing,
            }),
            // Before the first entry of all: nothing is in force.
            None => self.resolve(date),
        }
    }

    /// The rules in force on `date`, resolved from the entries.
    fn resolve(&self, date: NaiveDate) -> Result<RuleSet, NoRulesInForce> {
        let latest = |missing: &'static str| NoRulesInForce { date, missing };
        let mut rules = RuleSet {
            effective_on: date,
            exclusions: in_force(&self.exclusions, date)
                .map(|e| (e.kind, e.lifted_by.iter().copied().collect()))
                .collect(),
            excluded_nationalities: in_force(&self.excluded_nationalities, date)
                .map(|e| e.country)
                .collect(),
            visa_exempt_nationalities: in_force(&self.visa_exempt_nationalities, date)
                .map(|e| e.country)
                .collect(),
            dublin_states: in_force(&self.dublin_states, date)
                .map(|e| e.country)
                .collect(),
            rate_table: latest_in_force(&self.rate_tables, date)
                .ok_or_else(|| latest("grant rate table"))?
                .clone(),
            country_programmes: in_force(&self.country_programmes, date)
                .map(|p| (p.country, p.clone()))
                .collect(),
            pocket_money: *latest_in_force(&self.pocket_money, date)
                .ok_or_else(|| latest("pocket money rate"))?,
            time_limits: TimeLimits {
                appeal_window_days: *latest_in_force(&self.appeal_window, date)
                    .ok_or_else(|| latest("appeal window"))?,
                payout_target_days: *latest_in_force(&self.payout_target, date)
                    .ok_or_else(|| latest("payout target"))?,
                travel_period_days: *latest_in_force(&self.travel_period, date)
                    .ok_or_else(|| latest("travel period"))?,
                repayment_window_years: *latest_in_force(&self.repayment_window, date)
                    .ok_or_else(|| latest("repayment window"))?,
                late_appeal_limit_years: latest_in_force(&self.late_appeal_limit, date).copied(),
            },
            // Every entry in force adds its days: each names the law that makes them days off.
            non_working_days: in_force(&self.non_working_days, date)
                .flatten()
                .copied()
                .collect(),
            digest: String::new(),
        };
        rules.digest = rules.digest();
        Ok(rules)
    }

    /// Where the amounts in force on `date` come from (the rate table, the pocket money and
    /// the country programme applied, if any), for showing beside a grant before it is
    /// approved.
    pub fn amount_sources_on(
        &self,
        date: NaiveDate,
        programme: Option<&CountryCode>,
    ) -> BTreeSet<&str> {
        let in_force = |from: NaiveDate, until: Option<NaiveDate>| {
            from <= date && until.is_none_or(|until| date < until)
        };
        let rates = self
            .rate_tables
            .iter()
            .map(|d| (d.from, d.until, d.source.as_str()));
        let pocket = self
            .pocket_money
            .iter()
            .map(|d| (d.from, d.until, d.source.as_str()));
        let programme = self
            .country_programmes
            .iter()
            .filter(|d| Some(&d.value.country) == programme)
            .map(|d| (d.from, d.until, d.source.as_str()));
        rates
            .chain(pocket)
            .chain(programme)
            .filter(|(from, until, _)| in_force(*from, *until))
            .map(|(_, _, source)| source)
            .collect()
    }

    /// Where each exclusion in force on `date` comes from: who may not be helped, and why.
    pub fn exclusion_sources_on(&self, date: NaiveDate) -> Vec<&str> {
        let mut sources: Vec<&str> = self
            .exclusions
            .iter()
            .filter(|d| d.applies_on(date))
            .map(|d| d.source.as_str())
            .collect();
        sources.dedup();
        sources
    }

    /// Where an exclusion in force on `date` comes from; `None` when it is not in force.
    pub fn exclusion_source_on(&self, date: NaiveDate, exclusion: Exclusion) -> Option<&str> {
        self.exclusions
            .iter()
            .find(|d| d.value.kind == exclusion && d.applies_on(date))
            .map(|d| d.source.as_str())
    }

    /// The sources of every entry, for showing a newcomer or an auditor where a rule comes from.
    pub fn sources(&self) -> BTreeSet<&str> {
        self.spans()
            .into_iter()
            .map(|(_, _, source)| source)
            .collect()
    }
}

/// A value with the dates between which it applies (`until` is the first day it no longer does)
/// and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Dated<T> {
    from: NaiveDate,
    until: Option<NaiveDate>,
    source: String,
    value: T,
}

impl<T> Dated<T> {
    fn applies_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|until| date < until)
    }
}

fn in_force<T>(entries: &[Dated<T>], date: NaiveDate) -> impl Iterator<Item = &T> {
    entries
        .iter()
        .filter(move |entry| entry.applies_on(date))
        .map(|entry| &entry.value)
}

/// Of the entries that apply on `date`, the one that started last.
fn latest_in_force<T>(entries: &[Dated<T>], date: NaiveDate) -> Option<&T> {
    entries
        .iter()
        .filter(|entry| entry.applies_on(date))
        .max_by_key(|entry| entry.from)
        .map(|entry| &entry.value)
}

// ---- The files' shapes. Unknown keys are refused so that a misspelt key is not silently ignored.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry<T> {
    from: String,
    #[serde(default)]
    until: Option<String>,
    source: String,
    #[serde(default)]
    #[allow(dead_code)] // Read by people, kept for them; the rules do not use it.
    note: Option<String>,
    #[serde(flatten)]
    value: T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EligibilityFile {
    #[serde(default)]
    exclusion: Vec<Entry<ExclusionEntry>>,
    #[serde(default)]
    excluded_nationality: Vec<Entry<CountryEntry>>,
    #[serde(default)]
    visa_exempt_nationality: Vec<Entry<CountryEntry>>,
    #[serde(default)]
    dublin_state: Vec<Entry<CountryEntry>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct ExclusionEntry {
    kind: Exclusion,
    lifted_by: Vec<ExceptionGround>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct CountryEntry {
    country: CountryCode,
    #[serde(default)]
    #[allow(dead_code)] // The country's name, for people reading the file.
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrantsFile {
    #[serde(default)]
    rate_table: Vec<Entry<RateTable>>,
    #[serde(default)]
    country_programme: Vec<Entry<ProgrammeEntry>>,
}

#[derive(Deserialize)]
struct ProgrammeEntry {
    country: CountryCode,
    scope: ProgrammeScope,
    #[serde(default)]
    in_kind_per_person: i64,
    #[serde(default)]
    in_kind_per_household: i64,
    #[serde(default)]
    extra_per_child_before_deadline: Option<i64>,
    #[serde(default)]
    cash_paid_in_kind: bool,
    #[serde(default = "one_tranche")]
    tranches: Vec<TrancheRule>,
    #[serde(default)]
    cash: CashRates,
    #[serde(default)]
    on_arrival_per_person: i64,
    #[serde(default)]
    in_kind: Vec<InKindRule>,
    #[serde(default)]
    unaccompanied_minor: Option<UnaccompaniedMinorRates>,
}

fn one_tranche() -> Vec<TrancheRule> {
    vec![TrancheRule {
        share_percent: 100,
        months_after_arrival: 0,
    }]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PocketMoneyFile {
    #[serde(default)]
    pocket_money: Vec<Entry<PocketMoneyRates>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeLimitsFile {
    #[serde(default)]
    appeal_window: Vec<Entry<DaysEntry>>,
    #[serde(default)]
    payout_target: Vec<Entry<DaysEntry>>,
    #[serde(default)]
    travel_period: Vec<Entry<DaysEntry>>,
    #[serde(default)]
    repayment_window: Vec<Entry<YearsEntry>>,
    #[serde(default)]
    late_appeal_limit: Vec<Entry<YearsEntry>>,
    #[serde(default)]
    non_working_days: Vec<Entry<NonWorkingDaysEntry>>,
}

#[derive(Deserialize)]
struct DaysEntry {
    days: i64,
}

#[derive(Deserialize)]
struct YearsEntry {
    years: i64,
}

#[derive(Deserialize)]
struct NonWorkingDaysEntry {
    days: Vec<NonWorkingDay>,
}

fn check_non_working_days(entry: NonWorkingDaysEntry) -> Result<BTreeSet<NonWorkingDay>, String> {
    let days: BTreeSet<NonWorkingDay> = entry.days.iter().copied().collect();
    if days.is_empty() {
        return Err("days is empty: name at least one kind of day".to_owned());
    }
    if days.len() != entry.days.len() {
        return Err("days names a kind of day twice".to_owned());
    }
    Ok(days)
}

fn parse_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, RuleError> {
    toml::from_str(text).map_err(|error| RuleError {
        file: file.to_owned(),
        entry: match error.span() {
            Some(span) => format!(
                "line {}",
                text[..span.start.min(text.len())].lines().count().max(1)
            ),
            None => "file".to_owned(),
        },
        problem: error.message().trim().to_owned(),
    })
}

fn country_key(entry: &CountryEntry) -> String {
    entry.country.to_string()
}

/// Checks each entry's dates and value, and that entries with the same key never overlap in
/// time (two rate tables may not both start on the same day; a country is not listed twice at
/// once), then returns them sorted by start date.
fn dated<T, U>(
    file: &str,
    section: &str,
    entries: Vec<Entry<T>>,
    key: impl Fn(&T) -> String,
    check: impl Fn(T) -> Result<U, String>,
) -> Result<Vec<Dated<U>>, RuleError> {
    let mut checked: Vec<(String, Dated<U>)> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let label = key(&entry.value);
        let name = if label.is_empty() {
            format!("{section}[{index}]")
        } else {
            format!("{section}[{index}] ({label})")
        };
        let fail = |problem: String| RuleError {
            file: file.to_owned(),
            entry: name.clone(),
            problem,
        };
        let from = parse_date(&entry.from).map_err(|p| fail(format!("from: {p}")))?;
        let until = entry
            .until
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|p| fail(format!("until: {p}")))?;
        if until.is_some_and(|until| until <= from) {
            return Err(fail(format!(
                "until {} is not after from {}",
                entry.until.unwrap_or_default(),
                entry.from
            )));
        }
        if entry.source.trim().is_empty() {
            return Err(fail(
                "source is empty: every rule names where it comes from".to_owned(),
            ));
        }
        let value = check(entry.value).map_err(fail)?;
        let dated = Dated {
            from,
            until,
            source: entry.source,
            value,
        };
        if let Some((_, other)) = checked.iter().find(|(other_key, other)| {
            *other_key == label
                && other.from < dated.until.unwrap_or(NaiveDate::MAX)
                && dated.from < other.until.unwrap_or(NaiveDate::MAX)
                && (!label.is_empty() || other.from == dated.from)
        }) {
            return Err(fail(format!(
                "overlaps another entry that applies from {}",
                other.from
            )));
        }
        checked.push((label, dated));
    }
    let mut dated: Vec<Dated<U>> = checked.into_iter().map(|(_, dated)| dated).collect();
    dated.sort_by_key(|entry| entry.from);
    Ok(dated)
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date written YYYY-MM-DD"))
}

fn positive(value: i64) -> Result<u32, String> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("{value} must be a whole number above zero"))
}

fn check_rate_table(table: RateTable) -> Result<RateTable, String> {
    if table.id.trim().is_empty() {
        return Err("id is empty".to_owned());
    }
    let amounts = [
        table.adult_before_deadline,
        table.adult_after_deadline,
        table.child_before_deadline,
        table.child_after_deadline,
        table.extra_per_child_before_deadline,
        table.extra_per_child_after_deadline,
        table.dublin_per_person,
    ];
    if amounts
        .iter()
        .any(|amount| !(0..=10_000_000).contains(amount))
    {
        return Err("every amount must be whole NOK from 0 to 10 000 000".to_owned());
    }
    Ok(table)
}

fn check_programme(entry: ProgrammeEntry) -> Result<CountryProgramme, String> {
    let amounts = [
        entry.in_kind_per_person,
        entry.in_kind_per_household,
        entry.extra_per_child_before_deadline.unwrap_or(0),
        entry.on_arrival_per_person,
    ]
    .into_iter()
    .chain(entry.cash.amounts().into_iter().flatten())
    .chain(
        entry
            .unaccompanied_minor
            .iter()
            .flat_map(|minor| minor.tranches.iter().map(|t| t.amount)),
    );
    if amounts
        .into_iter()
        .any(|amount| !(0..=10_000_000).contains(&amount))
    {
        return Err("every amount must be whole NOK from 0 to 10 000 000".to_owned());
    }
    for item in &entry.in_kind {
        let amounts = [
            item.amount,
            item.particularly_vulnerable_amount.unwrap_or(0),
        ];
        if amounts
            .iter()
            .any(|amount| !(0..=10_000_000).contains(amount))
        {
            return Err(format!(
                "every in-kind amount must be whole {} from 0 to 10 000 000",
                item.currency.code()
            ));
        }
        if item.provider.trim().is_empty() || item.what.trim().is_empty() {
            return Err("every in-kind item names its provider and what it is for".to_owned());
        }
    }
    if entry.cash_paid_in_kind
        && (!entry.in_kind.is_empty()
            || entry.on_arrival_per_person != 0
            || !entry.cash.is_unset()
            || entry.unaccompanied_minor.is_some())
    {
        return Err(
            "cash_paid_in_kind (the whole grant in kind) cannot be combined with cash, \
             on_arrival_per_person, in_kind or unaccompanied_minor"
                .to_owned(),
        );
    }
    if let Some(minor) = &entry.unaccompanied_minor {
        if minor.tranches.is_empty() || minor.tranches.iter().any(|t| t.amount == 0) {
            return Err(
                "an unaccompanied minor's tranches must be listed, each above zero".to_owned(),
            );
        }
        if minor
            .tranches
            .windows(2)
            .any(|pair| pair[0].months_after_arrival >= pair[1].months_after_arrival)
        {
            return Err(
                "an unaccompanied minor's tranches must be listed in order, each later than the one before"
                    .to_owned(),
            );
        }
    }
    if entry.tranches.is_empty()
        || entry.tranches.iter().map(|t| t.share_percent).sum::<u32>() != 100
    {
        return Err(
            "tranches must be listed and their share_percent must add up to 100".to_owned(),
        );
    }
    if entry
        .tranches
        .windows(2)
        .any(|pair| pair[0].months_after_arrival >= pair[1].months_after_arrival)
    {
        return Err("tranches must be listed in order, each later than the one before".to_owned());
    }
    if entry.tranches.iter().any(|t| t.share_percent == 0) {
        return Err("a tranche has a share of 0 percent".to_owned());
    }
    Ok(CountryProgramme {
        country: entry.country,
        scope: entry.scope,
        in_kind_per_person: entry.in_kind_per_person,
        in_kind_per_household: entry.in_kind_per_household,
        extra_per_child_before_deadline: entry.extra_per_child_before_deadline,
        cash_paid_in_kind: entry.cash_paid_in_kind,
        tranches: entry.tranches,
        cash: entry.cash,
        on_arrival_per_person: entry.on_arrival_per_person,
        in_kind: entry.in_kind,
        unaccompanied_minor: entry.unaccompanied_minor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answering from the periods resolved at load is the same as resolving on the day, for
    /// every day from before the first entry to long after the last.
    #[test]
    fn the_rules_of_any_day_are_those_resolved_on_that_day() {
        let book = RuleBook::builtin().expect("the built-in rules");
        let first = NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date");
        let last = NaiveDate::from_ymd_opt(2045, 12, 31).expect("a date");
        let (mut days, mut resolved) = (0, 0);
        for date in first.iter_days().take_while(|d| *d <= last) {
            let fast = book.in_force_on(date);
            assert_eq!(fast, book.resolve(date), "{date}");
            days += 1;
            resolved += usize::from(fast.is_ok());
        }
        // Both kinds of day were compared: before the rule files start, and after.
        assert!(0 < resolved && resolved < days, "{resolved} of {days} days");
        assert!(book.periods.len() > 1, "the rules change over time");
    }
}
