//! The payout target when the grant is paid in instalments: each tranche has its own target,
//! its due date plus 21 days, and a payout is overdue only when a tranche is past its target
//! and unpaid.

use retur_domain::case::{Deadline, DeadlineKind};
use retur_domain::event::Event;
use retur_domain::*;

use crate::support::*;

/// A single adult returning to Afghanistan, applying before the deadline: NOK 9 500 due on
/// arrival (7 500 and 2 000 in Kabul) and NOK 7 500 three months later. Applied and approved
/// on 1 December 2026, arrived on 4 January 2027 and signed the self-declaration that day.
///
/// The first tranche's payout target is 25 January 2027 (arrival plus 21 days), the second's
/// 25 April 2027 (4 April plus 21 days).
fn arrived_in_afghanistan() -> Story {
    story()
        .on("2026-12-01")
        .submitted(&application().nationality("AF"))
        .under_review()
        .approved()
        .handed_over()
        .booked("2027-01-04")
        .departed("2027-01-04")
        .arrived("2027-01-04")
        .declared()
}

fn payout_deadline(on: &str) -> Option<Deadline> {
    Some(Deadline {
        kind: DeadlineKind::PayoutTarget,
        on: date(on),
    })
}

/// The flag a story ends with: its target date and the amount it says is overdue.
fn flag(story: &Story) -> (String, Money) {
    match story.last() {
        Event::PayoutFlaggedOverdue(flag) => (flag.target_date.to_string(), flag.outstanding),
        other => panic!("expected a flag, got {other:?}"),
    }
}

#[test]
fn a_later_tranche_not_yet_due_is_not_overdue_once_the_first_is_paid() {
    // Given the first tranche paid in time
    let paid_first = arrived_in_afghanistan()
        .on("2027-01-10")
        .then_do(iom(), tranche(9_500));
    assert_eq!(paid_first.status(), Status::PayoutInProgress);
    // then the next target is the second tranche's
    assert_eq!(
        paid_first.case.next_deadline(rules()),
        payout_deadline("2027-04-25")
    );
    // when the system looks 22 days after arrival, then nothing is overdue
    let refusal = paid_first
        .on("2027-01-26")
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_not_overdue");
    assert_eq!(
        refusal,
        Refusal::PayoutNotOverdue {
            target_date: date("2027-04-25")
        }
    );
    // nor on the second tranche's target day itself
    paid_first
        .on("2027-04-25")
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_not_overdue");
    // but the day after, the second tranche is overdue: NOK 7 500, not the grant
    let flagged = paid_first
        .on("2027-04-26")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(flag(&flagged), ("2027-04-25".to_owned(), Money::nok(7_500)));
    assert!(flagged.case.payout_flagged_overdue(rules()));
}

#[test]
fn an_unpaid_first_tranche_is_flagged_alone_and_the_second_keeps_its_own_target() {
    let arrived = arrived_in_afghanistan();
    assert_eq!(
        arrived.case.next_deadline(rules()),
        payout_deadline("2027-01-25")
    );
    // Given nothing paid 22 days after arrival, when the system flags, then only the first
    // tranche is overdue
    let flagged = arrived
        .on("2027-01-26")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(flag(&flagged), ("2027-01-25".to_owned(), Money::nok(9_500)));
    assert!(flagged.case.payout_flagged_overdue(rules()));
    flagged
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_already_flagged");
    // and the next deadline is the second tranche's target
    assert_eq!(
        flagged.case.next_deadline(rules()),
        payout_deadline("2027-04-25")
    );

    // When IOM pays the first tranche, then the flag is cleared and the second target stands
    let paid_first = flagged.on("2027-02-01").then_do(iom(), tranche(9_500));
    assert!(!paid_first.case.payout_flagged_overdue(rules()));
    assert_eq!(
        paid_first.case.next_deadline(rules()),
        payout_deadline("2027-04-25")
    );
    paid_first
        .on("2027-03-01")
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_not_overdue");

    // When the second tranche's target passes unpaid, then it is flagged in its turn
    let flagged_again = paid_first
        .on("2027-04-26")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(
        flag(&flagged_again),
        ("2027-04-25".to_owned(), Money::nok(7_500))
    );

    // When it is paid, then no flag stands and no payout deadline is left
    let paid_out = flagged_again.then_do(iom(), tranche(7_500));
    assert_eq!(paid_out.status(), Status::PaidOut);
    assert!(!paid_out.case.payout_flagged_overdue(rules()));
    assert_eq!(paid_out.case.next_deadline(rules()), None);
}

#[test]
fn a_second_target_passing_while_the_first_flag_stands_is_flagged_with_both_tranches() {
    let flagged = arrived_in_afghanistan()
        .on("2027-01-26")
        .then_do(system(), Action::FlagPayoutOverdue);
    // Given the first tranche flagged and still unpaid on the second's target, when the system
    // flags, then the whole of what is due and unpaid is overdue
    let both = flagged
        .on("2027-04-26")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(flag(&both), ("2027-04-25".to_owned(), Money::nok(17_000)));
    // and nothing is left to flag, nor any payout deadline to wait for
    both.when(system(), Action::FlagPayoutOverdue)
        .refused("payout_already_flagged");
    assert_eq!(both.case.next_deadline(rules()), None);
    // Paying the first tranche still leaves the second, flagged, unpaid
    let paid_first = both.then_do(iom(), tranche(9_500));
    assert!(paid_first.case.payout_flagged_overdue(rules()));
}

#[test]
fn a_late_flag_covers_every_tranche_whose_target_has_passed_in_one_event() {
    // Given no flag when both targets have passed (the scheduler was down), when the system
    // flags, then one flag covers both tranches
    let late = arrived_in_afghanistan()
        .on("2027-05-01")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(flag(&late), ("2027-04-25".to_owned(), Money::nok(17_000)));
    late.when(system(), Action::FlagPayoutOverdue)
        .refused("payout_already_flagged");
}

#[test]
fn a_single_tranche_is_flagged_for_what_is_unpaid_and_cleared_when_paid() {
    // An Ethiopian adult under the standard rules: NOK 15 000 due on arrival (1 April 2025).
    let declared = Story::arrived_case(&application()).declared();
    let part = declared.on("2025-04-10").then_do(iom(), tranche(5_000));
    let flagged = part
        .on("2025-04-23")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(
        flag(&flagged),
        ("2025-04-22".to_owned(), Money::nok(10_000))
    );
    assert!(flagged.case.payout_flagged_overdue(rules()));
    assert_eq!(flagged.case.next_deadline(rules()), None);
    let paid = flagged.then_do(iom(), tranche(10_000));
    assert!(!paid.case.payout_flagged_overdue(rules()));
    assert!(
        paid.case.payout.flagged_overdue_on.is_some(),
        "the flag stays in the history"
    );
}
