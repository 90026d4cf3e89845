//! The reintegration grant and the pocket money: tiers, ages on the exact dates, Dublin cases,
//! country programmes and tranches.

use retur_domain::application::Relation;
use retur_domain::event::Event;
use retur_domain::grant::{AgeGroup, Grant, GrantTier, InKindSupport};
use retur_domain::*;

use crate::support::*;

/// The grant UDI approves when the application is submitted on `submitted_on`.
fn grant_for(application: &ApplicationSpec, submitted_on: &str) -> Grant {
    let approved = story()
        .on(submitted_on)
        .submitted(application)
        .under_review()
        .approved();
    match approved.last() {
        Event::ApplicationApproved(approval) => approval.grant.clone(),
        other => panic!("expected an approval, got {other:?}"),
    }
}

#[test]
fn an_adult_gets_15_000_with_no_deadline_set() {
    let grant = grant_for(&application(), "2025-03-03");
    assert_eq!(grant.tier, GrantTier::BeforeDeadline);
    assert_eq!(grant.cash, Money::nok(15_000));
    assert_eq!(grant.rate_table, "standard-2024");
}

#[test]
fn the_tier_is_fixed_by_the_submission_date_against_the_departure_deadline() {
    let with_deadline = application().deadline("2025-03-03");
    let on_the_day = grant_for(&with_deadline, "2025-03-03");
    assert_eq!(
        (on_the_day.tier, on_the_day.cash),
        (GrantTier::BeforeDeadline, Money::nok(15_000))
    );
    let day_after = grant_for(&with_deadline, "2025-03-04");
    assert_eq!(
        (day_after.tier, day_after.cash),
        (GrantTier::AfterDeadline, Money::nok(5_000))
    );
}

#[test]
fn a_child_travelling_with_family_gets_the_child_rate_and_the_extra_per_child() {
    let family = application()
        .with(adult(2).as_(Relation::Spouse))
        .with(adult(3).as_(Relation::Child).born("2015-09-01"))
        .with(adult(4).as_(Relation::Child).born("2019-02-11"));
    let before = grant_for(&family, "2025-03-03");
    assert_eq!(before.cash, Money::nok(2 * 15_000 + 2 * (15_000 + 10_000)));
    let after = grant_for(&family.clone().deadline("2025-01-01"), "2025-03-03");
    assert_eq!(
        after.cash,
        Money::nok(4 * 5_000),
        "after the deadline: NOK 5 000 each, no extra per child"
    );
}

#[test]
fn a_child_for_the_grant_is_under_18_on_the_application_date() {
    // Submitted on 3 March 2025. Born 4 March 2007: 17 years and 364 days old, a child.
    let almost_18 = application().with(adult(2).as_(Relation::Child).born("2007-03-04"));
    let grant = grant_for(&almost_18, "2025-03-03");
    assert_eq!(grant.persons[1].age_group, AgeGroup::Child);
    assert_eq!(grant.persons[1].cash, Money::nok(25_000));
    // Born 3 March 2007: 18 on the exact date, an adult.
    let just_18 = application().with(adult(2).as_(Relation::Child).born("2007-03-03"));
    let grant = grant_for(&just_18, "2025-03-03");
    assert_eq!(grant.persons[1].age_group, AgeGroup::Adult);
    assert_eq!(grant.persons[1].cash, Money::nok(15_000));
}

#[test]
fn someone_born_on_29_february_turns_18_on_1_march_in_a_common_year() {
    assert_eq!(calendar::age_on(date("2008-02-29"), date("2026-02-28")), 17);
    assert_eq!(calendar::age_on(date("2008-02-29"), date("2026-03-01")), 18);
    assert_eq!(calendar::age_on(date("2008-02-29"), date("2028-02-29")), 20);
}

#[test]
fn a_dublin_case_gets_5_000_per_person_whatever_the_deadline_and_ages() {
    let dublin = application()
        .situation(ImmigrationSituation::DublinTransfer)
        .deadline("2025-06-01")
        .with(adult(2).as_(Relation::Child).born("2018-01-01"));
    let grant = grant_for(&dublin, "2025-03-03");
    assert_eq!(grant.tier, GrantTier::Dublin);
    assert_eq!(grant.cash, Money::nok(10_000));
}

// ---- The country programmes as they were read until 2026-11-25. Cases submitted before then
// were decided under these entries and keep their grants: the entries are not edited, and the
// grant is computed from them as it always was (their in-kind support as one NOK total).

fn unitemised(kroner: i64) -> Vec<InKindSupport> {
    vec![InKindSupport::unitemised(Money::nok(kroner))]
}

#[test]
fn until_2026_11_25_iraq_added_30_000_in_kind_per_person() {
    let iraq = application()
        .nationality("IQ")
        .with(adult(2).as_(Relation::Spouse));
    let grant = grant_for(&iraq, "2025-03-03");
    assert_eq!(grant.country_programme, Some(country("IQ")));
    assert_eq!(grant.cash, Money::nok(30_000));
    assert_eq!(grant.in_kind, unitemised(60_000));
}

#[test]
fn until_2026_11_25_somali_families_got_25_000_extra_per_child_and_30_000_in_kind() {
    let family = application()
        .nationality("SO")
        .with(adult(2).as_(Relation::Child).born("2016-05-05"));
    let grant = grant_for(&family, "2025-03-03");
    assert_eq!(grant.cash, Money::nok(15_000 + 15_000 + 25_000));
    assert_eq!(grant.in_kind, unitemised(30_000));
    let single = grant_for(&application().nationality("SO"), "2025-03-03");
    assert_eq!(
        (single.cash, single.in_kind, single.country_programme),
        (Money::nok(15_000), vec![], None)
    );
}

#[test]
fn until_2026_11_25_morocco_gave_the_whole_grant_in_kind() {
    let grant = grant_for(&application().nationality("MA"), "2025-03-03");
    assert_eq!(grant.cash, Money::nok(0));
    assert_eq!(grant.in_kind, unitemised(15_000));
}

#[test]
fn a_dublin_case_gets_no_country_programme() {
    let dublin = application()
        .nationality("IQ")
        .situation(ImmigrationSituation::DublinTransfer)
        .deadline("2025-06-01");
    let grant = grant_for(&dublin, "2025-03-03");
    assert_eq!(
        (grant.cash, grant.in_kind, grant.country_programme),
        (Money::nok(5_000), vec![], None)
    );
}

#[test]
fn until_2026_11_25_afghanistan_paid_half_on_arrival_and_half_three_months_later() {
    let afghanistan = application().nationality("AF");
    let grant = grant_for(&afghanistan, "2025-03-03");
    assert_eq!(grant.schedule.len(), 2);
    assert_eq!(grant.schedule[0].amount, Money::nok(7_500));
    assert_eq!(grant.schedule[1].amount, Money::nok(7_500));

    // Arrived on 1 April 2025: half is due then, the rest from 1 July.
    let declared = Story::arrived_case(&afghanistan).declared();
    let refusal = declared
        .when(iom(), tranche(15_000))
        .refused("tranche_not_yet_due");
    assert_eq!(
        refusal,
        Refusal::TrancheNotYetDue {
            requested: Money::nok(15_000),
            due_now: Money::nok(7_500),
            next_due: date("2025-07-01")
        }
    );
    let first = declared.then_do(iom(), tranche(7_500));
    first
        .on("2025-06-30")
        .when(iom(), tranche(7_500))
        .refused("tranche_not_yet_due");
    let all = first
        .on("2025-07-01")
        .when(iom(), tranche(7_500))
        .then(&["reintegration_tranche_paid"]);
    assert_eq!(all.status(), Status::PaidOut);
}

#[test]
fn tranches_always_add_up_to_the_cash_grant_to_the_ore() {
    let afghanistan = application()
        .nationality("AF")
        .deadline("2025-01-01")
        .with(adult(2).as_(Relation::Spouse))
        .with(adult(3).as_(Relation::Child).born("2019-01-01"));
    let grant = grant_for(&afghanistan, "2025-03-03");
    let sum: i64 = grant.schedule.iter().map(|t| t.amount.minor_units).sum();
    assert_eq!(sum, grant.cash.minor_units);
}

#[test]
fn pocket_money_is_80_dollars_per_adult_and_110_per_child_by_age_on_the_departure_date() {
    // Born 2 April 2007: a child on the application date (3 March 2025) and on 1 April 2025,
    // an adult from 2 April 2025.
    let family = application().with(adult(2).as_(Relation::Child).born("2007-04-02"));
    let booked = story()
        .submitted(&family)
        .on("2025-03-10")
        .under_review()
        .approved()
        .handed_over();

    let departs_as_child = booked.booked("2025-04-01").departed("2025-04-01");
    let Event::DepartureConfirmed(departure) = departs_as_child.last() else {
        panic!("departure")
    };
    assert_eq!(
        (
            departure.pocket_money.adults,
            departure.pocket_money.children
        ),
        (1, 1)
    );
    assert_eq!(departure.pocket_money.amount, Money::usd(190));

    let departs_as_adult = booked.booked("2025-04-02").departed("2025-04-02");
    let Event::DepartureConfirmed(departure) = departs_as_adult.last() else {
        panic!("departure")
    };
    assert_eq!(
        (
            departure.pocket_money.adults,
            departure.pocket_money.children
        ),
        (2, 0)
    );
    assert_eq!(departure.pocket_money.amount, Money::usd(160));
    let paid = departs_as_adult
        .when(iom(), Action::PayPocketMoney)
        .events();
    let Event::PocketMoneyPaid(paid) = &paid[0] else {
        panic!("pocket money")
    };
    assert_eq!(paid.amount, Money::usd(160));

    // The grant was fixed on the application date, when the second person was still a child.
    let Some(approval) = booked.case.approval.as_ref() else {
        panic!("approved")
    };
    assert_eq!(approval.grant.persons[1].age_group, AgeGroup::Child);
}
