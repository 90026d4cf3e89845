//! Eligibility and money: who the rules exclude, the reintegration grant a household is approved
//! for, and the pocket money due at departure. Pure functions of the rules and the facts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::application::{ImmigrationSituation, SpecialCircumstances};
use crate::calendar;
use crate::country::CountryCode;
use crate::ids::PersonId;
use crate::money::{Currency, Money};
use crate::rules::{ExceptionGround, Exclusion, InKindUnit, ProgrammeScope, RuleSet};

/// The facts of an application that the rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EligibilityFacts<'a> {
    /// Everyone in the household, principal applicant first, with their special circumstances.
    pub people: &'a [(PersonId, SpecialCircumstances)],
    pub nationality: CountryCode,
    pub return_country: CountryCode,
    pub situation: ImmigrationSituation,
    pub previously_assisted_and_reimmigrated: bool,
    pub refused_for_status_in_other_eea_country: bool,
}

/// One person the rules exclude, and on which ground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ineligibility {
    pub person_id: PersonId,
    pub exclusion: Exclusion,
}

/// Every exclusion that applies to someone in the household and is not lifted for them.
///
/// An exception lifts an exclusion for the person it concerns (an unaccompanied minor, a possible
/// victim of trafficking). When the principal applicant is excepted, the members travelling with
/// them share the exception: the rule does not split a family.
pub fn assess_eligibility(rules: &RuleSet, facts: &EligibilityFacts<'_>) -> Vec<Ineligibility> {
    let principal = facts.people.first().map(|(_, circumstances)| circumstances);
    let mut found = Vec::new();
    for (exclusion, lifted_by) in &rules.exclusions {
        let applies = match exclusion {
            Exclusion::ExcludedNationality => {
                rules.excluded_nationalities.contains(&facts.nationality)
            }
            Exclusion::VisaExemptNationality => {
                rules.visa_exempt_nationalities.contains(&facts.nationality)
            }
            Exclusion::ReimmigratedToDublinState => {
                facts.previously_assisted_and_reimmigrated
                    && rules.dublin_states.contains(&facts.return_country)
            }
            Exclusion::NonProtectionPermitExpired => {
                facts.situation == ImmigrationSituation::NonProtectionPermitExpired
            }
            Exclusion::StatusInOtherEeaCountry => facts.refused_for_status_in_other_eea_country,
            Exclusion::LegalResidence => facts.situation == ImmigrationSituation::LegalResidence,
        };
        if !applies {
            continue;
        }
        let excepted = |circumstances: &SpecialCircumstances| {
            lifted_by.iter().any(|ground| match ground {
                ExceptionGround::UnaccompaniedMinor => circumstances.unaccompanied_minor,
                ExceptionGround::PossibleTraffickingVictim => {
                    circumstances.possible_trafficking_victim
                }
            })
        };
        let household_excepted = principal.is_some_and(excepted);
        for (person_id, circumstances) in facts.people {
            if !household_excepted && !excepted(circumstances) {
                found.push(Ineligibility {
                    person_id: *person_id,
                    exclusion: *exclusion,
                });
            }
        }
    }
    found
}

/// Adult or child, for a grant or for pocket money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Adult,
    Child,
}

impl AgeGroup {
    /// Under 18 on `on` is a child.
    pub fn on(date_of_birth: NaiveDate, on: NaiveDate) -> AgeGroup {
        if calendar::is_child_on(date_of_birth, on) {
            AgeGroup::Child
        } else {
            AgeGroup::Adult
        }
    }
}

/// The tier of the grant, fixed by the submission time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantTier {
    /// Registered on or before the departure deadline, or no deadline set.
    BeforeDeadline,
    /// Registered after the departure deadline.
    AfterDeadline,
    /// A Dublin-transfer case: one flat rate.
    Dublin,
}

/// One person's share of the cash grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonGrant {
    pub person_id: PersonId,
    /// By age on the application date.
    pub age_group: AgeGroup,
    pub cash: Money,
}

/// A part of the cash grant and the number of months after arrival from which it may be paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tranche {
    pub months_after_arrival: u32,
    pub amount: Money,
}

/// One item of support given in kind. It is never paid as cash and no command pays it out: the
/// grant records its value, in the currency the programme states it in, and who provides it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InKindSupport {
    /// The person it is for; `None` for the household as a whole.
    pub person_id: Option<PersonId>,
    /// Its value, in the currency the programme gives it in (NOK, EUR …), never converted.
    pub amount: Money,
    /// Who provides it; `None` on a grant approved before in-kind support was itemised.
    pub provider: Option<String>,
    /// What it is for; `None` on a grant approved before in-kind support was itemised.
    pub what: Option<String>,
}

impl InKindSupport {
    /// The whole in-kind support of a grant approved before in-kind support was itemised: one
    /// amount in NOK for the household, with no provider named.
    pub fn unitemised(amount: Money) -> InKindSupport {
        InKindSupport {
            person_id: None,
            amount,
            provider: None,
            what: None,
        }
    }
}

/// The reintegration grant a household is approved for: cash in NOK, and support in kind in
/// whatever currencies the programme gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The id of the rate table used.
    pub rate_table: String,
    pub tier: GrantTier,
    /// The country programme applied, if any.
    pub country_programme: Option<CountryCode>,
    pub persons: Vec<PersonGrant>,
    /// The cash grant, in NOK: the most that can ever be paid out as reintegration tranches.
    pub cash: Money,
    /// Support given in kind, never paid as cash. Reads the earlier form too, one NOK amount
    /// (schema version 1 of `application_approved`): see [`in_kind_items`].
    #[serde(deserialize_with = "in_kind_items")]
    pub in_kind: Vec<InKindSupport>,
    /// When the cash falls due; the amounts add up to `cash`.
    pub schedule: Vec<Tranche>,
}

/// Reads a grant's in-kind support: a list of items, or, as grants approved before in-kind
/// support was itemised recorded it, one NOK amount. That amount becomes one item without a
/// provider, or no item when it is zero: the same items the rules of that time give when the
/// grant is computed again, so a replay of an old approval still finds the same event.
fn in_kind_items<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<InKindSupport>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Items(Vec<InKindSupport>),
        Total(Money),
    }
    Ok(match Stored::deserialize(deserializer)? {
        Stored::Items(items) => items,
        Stored::Total(total) if total.minor_units == 0 => Vec::new(),
        Stored::Total(total) => vec![InKindSupport::unitemised(total)],
    })
}

impl Grant {
    /// The part of the cash grant that may have been paid by `today`, given the arrival date.
    pub fn due_by(&self, arrived_on: NaiveDate, today: NaiveDate) -> Money {
        self.schedule
            .iter()
            .filter(|tranche| {
                calendar::add_months(arrived_on, tranche.months_after_arrival) <= today
            })
            .fold(Money::zero(self.cash.currency), |sum, tranche| {
                sum.checked_add(tranche.amount).unwrap_or(sum)
            })
    }

    /// The first date after `today` on which more of the grant falls due, if any.
    pub fn next_due_after(&self, arrived_on: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
        self.schedule
            .iter()
            .map(|tranche| calendar::add_months(arrived_on, tranche.months_after_arrival))
            .find(|due| *due > today)
    }

    /// Each tranche's due date, given the arrival date, with the cash due by then (this
    /// tranche and every one before it), in order.
    pub fn due_dates(&self, arrived_on: NaiveDate) -> Vec<(NaiveDate, Money)> {
        let mut due = Money::zero(self.cash.currency);
        self.schedule
            .iter()
            .map(|tranche| {
                due = due.checked_add(tranche.amount).unwrap_or(due);
                (
                    calendar::add_months(arrived_on, tranche.months_after_arrival),
                    due,
                )
            })
            .collect()
    }

    /// The in-kind support in each currency, added up; currencies in code order, none at zero.
    pub fn in_kind_totals(&self) -> Vec<Money> {
        let mut totals: BTreeMap<&str, Money> = BTreeMap::new();
        for item in &self.in_kind {
            let total = totals
                .entry(item.amount.currency.code())
                .or_insert(Money::zero(item.amount.currency));
            *total = total.checked_add(item.amount).unwrap_or(*total);
        }
        totals
            .into_values()
            .filter(|total| total.minor_units != 0)
            .collect()
    }
}

/// What the grant depends on besides the rules.
#[derive(Clone, Copy, Debug)]
pub struct GrantFacts<'a> {
    pub situation: ImmigrationSituation,
    pub return_country: CountryCode,
    pub departure_deadline: Option<NaiveDate>,
    pub submitted_on: NaiveDate,
    /// Everyone in the household, principal applicant first, by age on the submission date.
    pub age_groups: &'a [(PersonId, AgeGroup)],
    /// The principal applicant is an unaccompanied minor (who by definition travels alone).
    pub unaccompanied_minor: bool,
    /// The people the deciding body judged particularly vulnerable.
    pub particularly_vulnerable: &'a BTreeSet<PersonId>,
}

/// The grant for a household under `rules`.
///
/// The tier is fixed by the submission date against the departure deadline. A country programme
/// applies unless the case is a Dublin transfer. A programme may state its own cash rates, an
/// amount paid on arrival, in-kind support and tranches; for an unaccompanied minor alone it
/// may state fixed amounts instead. The programmes written before 2026-11-25 are computed as
/// they always were, so that a replay of an approval made under them finds the same grant.
pub fn compute_grant(rules: &RuleSet, facts: &GrantFacts<'_>) -> Grant {
    let table = &rules.rate_table;
    let age_groups = facts.age_groups;
    let tier = if facts.situation == ImmigrationSituation::DublinTransfer {
        GrantTier::Dublin
    } else if facts
        .departure_deadline
        .is_none_or(|deadline| facts.submitted_on <= deadline)
    {
        GrantTier::BeforeDeadline
    } else {
        GrantTier::AfterDeadline
    };
    let children = age_groups
        .iter()
        .filter(|(_, group)| *group == AgeGroup::Child)
        .count();
    let programme = rules
        .country_programmes
        .get(&facts.return_country)
        .filter(|programme| {
            tier != GrantTier::Dublin
                && match programme.scope {
                    ProgrammeScope::AllReturnees => true,
                    ProgrammeScope::FamiliesWithChildren => {
                        children > 0 && age_groups.len() > children
                    }
                }
        });
    let minor_alone = programme
        .and_then(|p| p.unaccompanied_minor.as_ref())
        .filter(|_| facts.unaccompanied_minor && age_groups.len() == 1);
    let rates = programme.map(|p| p.cash).unwrap_or_default();
    let on_arrival = programme.map_or(0, |p| p.on_arrival_per_person);

    let extra_per_child = match tier {
        GrantTier::BeforeDeadline => programme
            .and_then(|p| p.extra_per_child_before_deadline)
            .unwrap_or(table.extra_per_child_before_deadline),
        GrantTier::AfterDeadline => table.extra_per_child_after_deadline,
        GrantTier::Dublin => 0,
    };
    let persons: Vec<PersonGrant> = age_groups
        .iter()
        .map(|(person_id, age_group)| {
            let kroner = match (tier, age_group) {
                _ if minor_alone.is_some() => {
                    minor_alone.map_or(0, |minor| minor.tranches.iter().map(|t| t.amount).sum())
                }
                (GrantTier::Dublin, _) => table.dublin_per_person,
                (GrantTier::BeforeDeadline, AgeGroup::Adult) => rates
                    .adult_before_deadline
                    .unwrap_or(table.adult_before_deadline),
                (GrantTier::AfterDeadline, AgeGroup::Adult) => rates
                    .adult_after_deadline
                    .unwrap_or(table.adult_after_deadline),
                (GrantTier::BeforeDeadline, AgeGroup::Child) => rates
                    .child_before_deadline
                    .unwrap_or(table.child_before_deadline + extra_per_child),
                (GrantTier::AfterDeadline, AgeGroup::Child) => rates
                    .child_after_deadline
                    .unwrap_or(table.child_after_deadline + extra_per_child),
            };
            PersonGrant {
                person_id: *person_id,
                age_group: *age_group,
                cash: Money::nok(kroner + on_arrival),
            }
        })
        .collect();

    // Amounts are bounded by the rule files (10 million each, 30 people), so sums fit an i64.
    let mut cash = persons.iter().map(|p| p.cash.minor_units).sum::<i64>();
    let arrival_cash = on_arrival * 100 * age_groups.len() as i64;
    // The programmes written before 2026-11-25 recorded their in-kind support as one NOK total.
    let mut unitemised = programme
        .map(|p| p.in_kind_per_person * age_groups.len() as i64 + p.in_kind_per_household)
        .unwrap_or(0)
        * 100;
    if programme.is_some_and(|p| p.cash_paid_in_kind) {
        unitemised += cash;
        cash = 0;
    }
    let mut in_kind = Vec::new();
    if unitemised != 0 {
        in_kind.push(InKindSupport::unitemised(Money::new(
            Currency::NOK,
            unitemised,
        )));
    }
    for rule in programme.iter().flat_map(|p| &p.in_kind) {
        let item = |person_id: Option<PersonId>, units: i64| InKindSupport {
            person_id,
            amount: whole_units(rule.currency, units),
            provider: Some(rule.provider.clone()),
            what: Some(rule.what.clone()),
        };
        match rule.per {
            InKindUnit::Person => in_kind.extend(age_groups.iter().map(|(person_id, _)| {
                let units = rule
                    .particularly_vulnerable_amount
                    .filter(|_| facts.particularly_vulnerable.contains(person_id))
                    .unwrap_or(rule.amount);
                item(Some(*person_id), units)
            })),
            InKindUnit::Household => in_kind.push(item(None, rule.amount)),
        }
    }

    let mut schedule = match (minor_alone, programme) {
        (Some(minor), _) => minor
            .tranches
            .iter()
            .map(|t| Tranche {
                months_after_arrival: t.months_after_arrival,
                amount: Money::nok(t.amount),
            })
            .collect(),
        (None, Some(programme)) => split_into_tranches(cash - arrival_cash, &programme.tranches),
        (None, None) => vec![Tranche {
            months_after_arrival: 0,
            amount: Money::new(Currency::NOK, cash),
        }],
    };
    if arrival_cash != 0 {
        match schedule.first_mut() {
            Some(first) if first.months_after_arrival == 0 => {
                first.amount = Money::new(Currency::NOK, first.amount.minor_units + arrival_cash);
            }
            _ => schedule.insert(
                0,
                Tranche {
                    months_after_arrival: 0,
                    amount: Money::new(Currency::NOK, arrival_cash),
                },
            ),
        }
    }
    Grant {
        rate_table: table.id.clone(),
        tier,
        country_programme: programme.map(|p| p.country),
        persons,
        cash: Money::new(Currency::NOK, cash),
        in_kind,
        schedule,
    }
}

/// `units` whole units of `currency`, in its minor units (the rule files bound `units`).
fn whole_units(currency: Currency, units: i64) -> Money {
    let scale = 10_i64.checked_pow(currency.minor_digits()).unwrap_or(1);
    Money::new(currency, units.saturating_mul(scale))
}

/// Splits `cash` (in øre) by the shares; each share is rounded down to whole øre and the last
/// tranche takes what is left, so the tranches always add up to the cash grant exactly.
fn split_into_tranches(cash: i64, rules: &[crate::rules::TrancheRule]) -> Vec<Tranche> {
    let mut left = cash;
    let mut tranches = Vec::with_capacity(rules.len());
    for (index, rule) in rules.iter().enumerate() {
        let amount = if index + 1 == rules.len() {
            left
        } else {
            cash * i64::from(rule.share_percent) / 100
        };
        left -= amount;
        tranches.push(Tranche {
            months_after_arrival: rule.months_after_arrival,
            amount: Money::new(Currency::NOK, amount),
        });
    }
    tranches
}

/// The pocket money due for the journey, by age on the departure date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PocketMoneyEntitlement {
    pub adults: u32,
    pub children: u32,
    pub amount: Money,
}

/// Pocket money for people born on `dates_of_birth`, departing on `departed_on`.
pub fn pocket_money(
    rules: &RuleSet,
    dates_of_birth: &[NaiveDate],
    departed_on: NaiveDate,
) -> PocketMoneyEntitlement {
    let children = dates_of_birth
        .iter()
        .filter(|dob| calendar::is_child_on(**dob, departed_on))
        .count() as u32;
    let adults = dates_of_birth.len() as u32 - children;
    let rates = rules.pocket_money;
    let amount = rates.adult_usd * i64::from(adults) + rates.child_usd * i64::from(children);
    PocketMoneyEntitlement {
        adults,
        children,
        amount: Money::usd(amount),
    }
}

/// Age groups of the household on a date, from the dates of birth the case holds.
pub fn age_groups_on(
    dates_of_birth: &BTreeMap<PersonId, NaiveDate>,
    order: &[PersonId],
    on: NaiveDate,
) -> Option<Vec<(PersonId, AgeGroup)>> {
    order
        .iter()
        .map(|id| {
            dates_of_birth
                .get(id)
                .map(|dob| (*id, AgeGroup::on(*dob, on)))
        })
        .collect()
}
