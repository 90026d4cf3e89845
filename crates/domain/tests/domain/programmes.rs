//! The country programmes as udi.no gave them when read on 2026-11-25: each programme for
//! adults and children, before and after the departure deadline, as one table.

use std::collections::BTreeSet;

use retur_domain::application::Relation;
use retur_domain::event::Event;
use retur_domain::grant::{Grant, GrantTier};
use retur_domain::*;

use crate::support::*;

/// The day the applications in these tests are submitted and approved.
const APPLIED: &str = "2026-12-01";
/// A departure deadline the application is in time for, and one it is late for.
const BEFORE: &str = "2026-12-31";
const AFTER: &str = "2026-11-30";

/// A household of `adults` adults (the first is the principal applicant) and `children`
/// children, returning to `country`, with the given departure deadline.
fn household(
    country: &'static str,
    adults: u128,
    children: u128,
    deadline: &'static str,
) -> ApplicationSpec {
    let mut spec = application().nationality(country).deadline(deadline);
    for n in 2..=adults {
        spec = spec.with(adult(n).as_(Relation::Spouse));
    }
    for n in 0..children {
        spec = spec.with(adult(10 + n).as_(Relation::Child).born("2016-05-05"));
    }
    spec
}

/// The grant UDI approves for `spec` on 1 December 2026, judging `vulnerable` particularly
/// vulnerable.
fn approved(spec: &ApplicationSpec, vulnerable: &[u128]) -> Grant {
    let approved = story().on(APPLIED).submitted(spec).under_review().then_do(
        udi(),
        Action::Approve {
            particularly_vulnerable: vulnerable.iter().map(|n| person(*n)).collect(),
        },
    );
    match approved.last() {
        Event::ApplicationApproved(approval) => approval.grant.clone(),
        other => panic!("expected an approval, got {other:?}"),
    }
}

/// One row of a programme's table: the household, the tier, and what the grant must be.
struct Row {
    country: &'static str,
    adults: u128,
    children: u128,
    deadline: &'static str,
    vulnerable: &'static [u128],
    /// Whole NOK.
    cash: i64,
    /// (months after arrival, whole NOK), in order.
    schedule: &'static [(u32, i64)],
    /// The in-kind support added up per currency: (currency, whole units).
    in_kind: &'static [(&'static str, i64)],
}

const ROWS: &[Row] = &[
    // Somalia: NOK 15 000 per adult and 25 000 per child before the deadline, 5 000 each after;
    // NOK 30 000 of services per person through DRC, adults and single adults included.
    Row {
        country: "SO",
        adults: 1,
        children: 0,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 15_000,
        schedule: &[(0, 15_000)],
        in_kind: &[("NOK", 30_000)],
    },
    Row {
        country: "SO",
        adults: 1,
        children: 0,
        deadline: AFTER,
        vulnerable: &[],
        cash: 5_000,
        schedule: &[(0, 5_000)],
        in_kind: &[("NOK", 30_000)],
    },
    Row {
        country: "SO",
        adults: 1,
        children: 1,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 40_000,
        schedule: &[(0, 40_000)],
        in_kind: &[("NOK", 60_000)],
    },
    Row {
        country: "SO",
        adults: 1,
        children: 1,
        deadline: AFTER,
        vulnerable: &[],
        cash: 10_000,
        schedule: &[(0, 10_000)],
        in_kind: &[("NOK", 60_000)],
    },
    Row {
        country: "SO",
        adults: 2,
        children: 3,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 2 * 15_000 + 3 * 25_000,
        schedule: &[(0, 105_000)],
        in_kind: &[("NOK", 150_000)],
    },
    // Morocco: the ordinary cash grant, and EUR 2 000 per person in kind (EUR 4 000 for someone
    // UDI judges particularly vulnerable), in EUR.
    Row {
        country: "MA",
        adults: 1,
        children: 0,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 15_000,
        schedule: &[(0, 15_000)],
        in_kind: &[("EUR", 2_000)],
    },
    Row {
        country: "MA",
        adults: 1,
        children: 1,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 40_000,
        schedule: &[(0, 40_000)],
        in_kind: &[("EUR", 4_000)],
    },
    Row {
        country: "MA",
        adults: 1,
        children: 1,
        deadline: AFTER,
        vulnerable: &[],
        cash: 10_000,
        schedule: &[(0, 10_000)],
        in_kind: &[("EUR", 4_000)],
    },
    Row {
        country: "MA",
        adults: 1,
        children: 1,
        deadline: BEFORE,
        vulnerable: &[1],
        cash: 40_000,
        schedule: &[(0, 40_000)],
        in_kind: &[("EUR", 6_000)],
    },
    Row {
        country: "MA",
        adults: 2,
        children: 1,
        deadline: AFTER,
        vulnerable: &[1, 10],
        cash: 15_000,
        schedule: &[(0, 15_000)],
        in_kind: &[("EUR", 10_000)],
    },
    // Afghanistan: an adult gets NOK 15 000 before the deadline and 13 000 after, half on
    // arrival and half after 3 months, and NOK 2 000 more on arrival in Kabul. A child gets the
    // rate table's child rate (no family page was found) and the same 2 000.
    Row {
        country: "AF",
        adults: 1,
        children: 0,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 17_000,
        schedule: &[(0, 9_500), (3, 7_500)],
        in_kind: &[],
    },
    Row {
        country: "AF",
        adults: 1,
        children: 0,
        deadline: AFTER,
        vulnerable: &[],
        cash: 15_000,
        schedule: &[(0, 8_500), (3, 6_500)],
        in_kind: &[],
    },
    Row {
        country: "AF",
        adults: 1,
        children: 1,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 17_000 + 27_000,
        schedule: &[(0, 24_000), (3, 20_000)],
        in_kind: &[],
    },
    Row {
        country: "AF",
        adults: 1,
        children: 1,
        deadline: AFTER,
        vulnerable: &[],
        cash: 15_000 + 7_000,
        schedule: &[(0, 13_000), (3, 9_000)],
        in_kind: &[],
    },
    // Iraq: the ordinary cash grant and NOK 30 000 of services per person through ETTC.
    Row {
        country: "IQ",
        adults: 1,
        children: 1,
        deadline: BEFORE,
        vulnerable: &[],
        cash: 40_000,
        schedule: &[(0, 40_000)],
        in_kind: &[("NOK", 60_000)],
    },
    Row {
        country: "IQ",
        adults: 1,
        children: 1,
        deadline: AFTER,
        vulnerable: &[],
        cash: 10_000,
        schedule: &[(0, 10_000)],
        in_kind: &[("NOK", 60_000)],
    },
];

#[test]
fn each_programme_pays_adults_and_children_before_and_after_the_deadline_as_its_page_says() {
    for row in ROWS {
        let spec = household(row.country, row.adults, row.children, row.deadline);
        let grant = approved(&spec, row.vulnerable);
        let label = format!(
            "{} with {} adult(s) and {} child(ren), deadline {}, vulnerable {:?}",
            row.country, row.adults, row.children, row.deadline, row.vulnerable
        );
        let tier = if row.deadline == BEFORE {
            GrantTier::BeforeDeadline
        } else {
            GrantTier::AfterDeadline
        };
        assert_eq!(grant.tier, tier, "{label}");
        assert_eq!(
            grant.country_programme,
            Some(country(row.country)),
            "{label}"
        );
        assert_eq!(grant.cash, Money::nok(row.cash), "{label}: cash");
        let schedule: Vec<(u32, Money)> = grant
            .schedule
            .iter()
            .map(|t| (t.months_after_arrival, t.amount))
            .collect();
        let expected: Vec<(u32, Money)> = row
            .schedule
            .iter()
            .map(|(m, k)| (*m, Money::nok(*k)))
            .collect();
        assert_eq!(schedule, expected, "{label}: schedule");
        let persons: i64 = grant.persons.iter().map(|p| p.cash.minor_units).sum();
        assert_eq!(
            persons, grant.cash.minor_units,
            "{label}: the shares add up"
        );
        let in_kind: Vec<Money> = row
            .in_kind
            .iter()
            .map(|(code, units)| {
                let currency = Currency::parse(code).expect("a currency");
                Money::new(currency, units * 100)
            })
            .collect();
        assert_eq!(grant.in_kind_totals(), in_kind, "{label}: in kind");
    }
}

#[test]
fn in_kind_support_is_itemised_per_person_with_its_provider_and_stays_in_its_currency() {
    let grant = approved(&household("MA", 1, 1, BEFORE), &[10]);
    let items: Vec<(Option<PersonId>, Money, Option<&str>)> = grant
        .in_kind
        .iter()
        .map(|item| (item.person_id, item.amount, item.provider.as_deref()))
        .collect();
    let eur = Currency::parse("EUR").expect("EUR");
    let provider = Some("Caritas Morocco and Fondation Orient-Occident");
    assert_eq!(
        items,
        vec![
            (Some(person(1)), Money::new(eur, 200_000), provider),
            (Some(person(10)), Money::new(eur, 400_000), provider),
        ],
        "the child judged particularly vulnerable gets EUR 4 000, the adult EUR 2 000"
    );
    assert!(grant.in_kind.iter().all(|item| item.what.is_some()));

    let somalia = approved(&household("SO", 1, 1, AFTER), &[]);
    assert!(
        somalia
            .in_kind
            .iter()
            .all(|item| item.amount == Money::nok(30_000)
                && item.provider.as_deref() == Some("Danish Refugee Council (DRC) in Somalia")),
        "{:?}",
        somalia.in_kind
    );
}

#[test]
fn an_unaccompanied_minor_returning_to_afghanistan_gets_42_000_in_four_parts_and_2_000_on_arrival()
{
    for deadline in [BEFORE, AFTER] {
        let minor = application()
            .nationality("AF")
            .deadline(deadline)
            .principal(adult(1).born("2010-01-01").unaccompanied_minor());
        let grant = approved(&minor, &[]);
        assert_eq!(grant.cash, Money::nok(44_000), "deadline {deadline}");
        let schedule: Vec<(u32, Money)> = grant
            .schedule
            .iter()
            .map(|t| (t.months_after_arrival, t.amount))
            .collect();
        assert_eq!(
            schedule,
            vec![
                (0, Money::nok(12_000 + 2_000)),
                (2, Money::nok(10_000)),
                (4, Money::nok(10_000)),
                (6, Money::nok(10_000)),
            ],
            "deadline {deadline}"
        );
    }
}

#[test]
fn a_child_travelling_with_family_to_afghanistan_is_not_paid_as_an_unaccompanied_minor() {
    let family = household("AF", 1, 1, BEFORE);
    let grant = approved(&family, &[]);
    assert_eq!(grant.schedule.len(), 2);
}

#[test]
fn the_vulnerability_judgement_comes_with_the_decision_and_must_name_the_household() {
    let reviewed = story()
        .on(APPLIED)
        .submitted(&household("MA", 1, 0, BEFORE))
        .under_review();
    let refusal = reviewed
        .when(
            udi(),
            Action::Approve {
                particularly_vulnerable: BTreeSet::from([person(77)]),
            },
        )
        .refused("unknown_person");
    assert_eq!(refusal, Refusal::UnknownPerson(person(77)));

    // Recorded with the approval, so that the audit can give the same command again.
    let approved = reviewed.then_do(
        udi(),
        Action::Approve {
            particularly_vulnerable: BTreeSet::from([person(1)]),
        },
    );
    let Event::ApplicationApproved(event) = approved.last() else {
        panic!("an approval")
    };
    assert_eq!(event.particularly_vulnerable, BTreeSet::from([person(1)]));
    assert_eq!(
        retur_domain::decide::command_of(std::slice::from_ref(approved.last())),
        Ok(Action::Approve {
            particularly_vulnerable: BTreeSet::from([person(1)]),
        })
    );
}

#[test]
fn une_allowing_an_appeal_judges_vulnerability_and_a_restored_approval_keeps_it() {
    let eur = Currency::parse("EUR").expect("EUR");
    let refused = story()
        .on(APPLIED)
        .submitted(&household("MA", 1, 0, BEFORE))
        .under_review()
        .refused(APPLIED);
    let allowed = refused.appealed().forwarded().then_do(
        une(),
        Action::AllowAppeal {
            reasoning: statement("The applicant is particularly vulnerable."),
            particularly_vulnerable: BTreeSet::from([person(1)]),
        },
    );
    let vulnerable_support = |story: &Story| {
        story
            .case
            .approval
            .as_ref()
            .map(|a| a.grant.in_kind_totals())
            .unwrap_or_default()
    };
    assert_eq!(vulnerable_support(&allowed), vec![Money::new(eur, 400_000)]);

    // Revoked, appealed, and the revocation quashed by UNE: the approval comes back as it was.
    let restored = allowed
        .on("2026-12-10")
        .revoked("2026-12-10")
        .appealed()
        .forwarded()
        .then_do(
            une(),
            Action::QuashDecision {
                reasoning: statement("The revocation had no ground."),
            },
        );
    assert_eq!(restored.status(), Status::Approved);
    assert_eq!(
        vulnerable_support(&restored),
        vec![Money::new(eur, 400_000)]
    );
}

#[test]
fn a_dublin_transfer_to_afghanistan_gets_no_programme_and_nothing_on_arrival() {
    let dublin =
        household("AF", 1, 0, "2027-03-01").situation(ImmigrationSituation::DublinTransfer);
    let grant = approved(&dublin, &[]);
    assert_eq!(
        (grant.tier, grant.country_programme, grant.cash),
        (GrantTier::Dublin, None, Money::nok(5_000))
    );
}

#[test]
fn the_corrected_entries_start_on_the_day_the_pages_were_read() {
    // Submitted the day before: the entries from 2024 still decide the case.
    let morocco = household("MA", 1, 0, BEFORE);
    let before = story()
        .on("2026-11-24")
        .submitted(&morocco)
        .under_review()
        .approved();
    let Some(approval) = before.case.approval.as_ref() else {
        panic!("approved")
    };
    assert_eq!(approval.grant.cash, Money::nok(0));
    assert_eq!(approval.grant.in_kind_totals(), vec![Money::nok(15_000)]);

    let on_the_day = story()
        .on("2026-11-25")
        .submitted(&morocco)
        .under_review()
        .approved();
    let Some(approval) = on_the_day.case.approval.as_ref() else {
        panic!("approved")
    };
    assert_eq!(approval.grant.cash, Money::nok(15_000));
    let eur = Currency::parse("EUR").expect("EUR");
    assert_eq!(
        approval.grant.in_kind_totals(),
        vec![Money::new(eur, 200_000)]
    );
}
