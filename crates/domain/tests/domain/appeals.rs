//! Appeals as forvaltningsloven counts them: judged by the day they were posted (§ 30), with
//! a deadline that ends on a weekend or a public holiday running on to the next working day
//! (domstolloven § 149), and a late appeal recorded for UDI to hear all the same (§ 31) or
//! dismiss as late.

use retur_domain::event::{Contested, Event};
use retur_domain::travel::{DismissalGround, LateAppealGround};
use retur_domain::*;

use crate::support::*;

/// Refused on `today`, the applicant notified on `notified_on`.
fn refusal(story: &Story, today: &str, notified_on: &str) -> Story {
    story.on(today).then_do(
        udi(),
        Action::Refuse {
            reasons: statement("The applicant holds a residence permit in Sweden."),
            notified_on: date(notified_on),
        },
    )
}

/// Under review, submitted on `day`.
fn under_review_from(day: &str) -> Story {
    story().on(day).submitted(&application()).under_review()
}

/// The last day to appeal, as the case holds it.
fn deadline(story: &Story) -> chrono::NaiveDate {
    story
        .case
        .contested
        .expect("a decision open to appeal")
        .appeal_deadline
}

fn appeal_lodged(story: &Story) -> &retur_domain::event::AppealLodged {
    match story.last() {
        Event::AppealLodged(e) => e,
        other => panic!("expected an appeal, found {other:?}"),
    }
}

fn accept_late(ground: LateAppealGround) -> Action {
    Action::AcceptLateAppeal {
        ground,
        reasoning: statement("The letter was delayed in the post."),
    }
}

fn dismiss_as_late() -> Action {
    Action::DismissAppeal {
        ground: DismissalGround::Late,
        reasoning: statement("Posted after the deadline, and no reason to hear it."),
    }
}

// ---- The posting date (forvaltningsloven § 30).

#[test]
fn an_appeal_posted_on_the_last_day_and_registered_later_is_in_time() {
    // Notified on 4 March 2025: three weeks run to 25 March inclusive.
    let refused = under_review_from("2025-03-03").refused("2025-03-04");
    assert_eq!(deadline(&refused), date("2025-03-25"));
    let lodged = refused
        .on("2025-03-28")
        .when(applicant(), appeal(Some("2025-03-25")))
        .then(&["appeal_lodged"]);
    assert_eq!(lodged.status(), Status::AppealLodged);
    let event = appeal_lodged(&lodged);
    assert_eq!(
        (event.lodged_on, event.posted_on, event.missed_deadline),
        (date("2025-03-28"), date("2025-03-25"), None),
        "registered three days later, judged by the day it was posted"
    );
    lodged.then_do(
        udi(),
        Action::ReverseDecision {
            reasoning: statement("The permit had expired."),
            particularly_vulnerable: Default::default(),
        },
    );
}

#[test]
fn an_appeal_posted_in_time_is_accepted_after_the_window_was_closed() {
    // The scheduler closes the window the day after the deadline; the letter, posted on the
    // last day, is registered two days later still.
    let closed = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-26")
        .then_do(system(), Action::CloseAppealWindow);
    assert_eq!(closed.status(), Status::RefusedFinal);
    assert!(
        closed.case.next_deadline(rules()).is_none(),
        "nothing more for the scheduler"
    );
    let lodged = closed
        .on("2025-03-28")
        .when(applicant(), appeal(Some("2025-03-25")))
        .then(&["appeal_lodged"]);
    assert_eq!(lodged.status(), Status::AppealLodged);
    assert_eq!(appeal_lodged(&lodged).missed_deadline, None);
    let forwarded = lodged.forwarded();
    assert_eq!(forwarded.status(), Status::ForwardedToUne);
}

#[test]
fn a_revocation_made_final_by_its_window_takes_an_appeal_posted_in_time() {
    let closed = under_review_from("2025-03-03")
        .approved()
        .handed_over()
        .revoked("2025-03-05")
        .on("2025-03-27")
        .then_do(system(), Action::CloseAppealWindow);
    assert_eq!(closed.status(), Status::RevokedFinal);
    let lodged = closed
        .on("2025-03-31")
        .when(applicant(), appeal(Some("2025-03-26")))
        .then(&["appeal_lodged"]);
    assert_eq!(lodged.status(), Status::AppealLodged);
    assert_eq!(appeal_lodged(&lodged).against, Contested::Revocation);
}

#[test]
fn the_posting_date_is_neither_in_the_future_nor_before_the_notification() {
    let refused = under_review_from("2025-03-03").refused("2025-03-04");
    let future = refused
        .on("2025-03-10")
        .when(applicant(), appeal(Some("2025-03-11")))
        .refused("invalid_date");
    assert!(future.to_string().contains("posted_on"), "{future}");
    let before = refused
        .on("2025-03-10")
        .when(applicant(), appeal(Some("2025-03-03")))
        .refused("invalid_date");
    assert!(before.to_string().contains("2025-03-04"), "{before}");
    refused
        .on("2025-03-10")
        .when(applicant(), appeal(Some("2025-03-04")))
        .then(&["appeal_lodged"]);
}

#[test]
fn without_a_posting_date_an_appeal_is_posted_the_day_it_is_registered() {
    let lodged = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-20")
        .appealed();
    let event = appeal_lodged(&lodged);
    assert_eq!(
        (event.lodged_on, event.posted_on),
        (date("2025-03-20"), date("2025-03-20"))
    );
}

#[test]
fn the_appeal_window_counts_in_norwegian_days() {
    // 23:30 in Oslo on the last day (summer time, UTC+2) is 21:30 UTC: still in time.
    let refused = under_review_from("2025-03-03").refused("2025-06-02");
    let lodge = |utc: &str| {
        let now = chrono::DateTime::parse_from_rfc3339(utc)
            .expect("a time")
            .to_utc();
        let command = Command::new(applicant(), appeal(None));
        decide(
            &refused.case,
            &command,
            &Context {
                now,
                rules: rules(),
            },
        )
        .expect("an appeal is always recorded")
    };
    let late_evening = lodge("2025-06-23T21:30:00Z");
    let Event::AppealLodged(in_time) = &late_evening[0] else {
        panic!("an appeal: {late_evening:?}")
    };
    assert_eq!(in_time.missed_deadline, None, "23:30 on the last day");
    // 00:30 in Oslo the next day is 22:30 UTC on the last day: already late.
    let just_after = lodge("2025-06-23T22:30:00Z");
    let Event::AppealLodged(late) = &just_after[0] else {
        panic!("an appeal: {just_after:?}")
    };
    assert_eq!(late.missed_deadline, Some(date("2025-06-23")));
}

#[test]
fn the_appeal_window_closes_only_after_its_last_day() {
    let refused = under_review_from("2025-03-03").refused("2025-03-04");
    refused
        .on("2025-03-25")
        .when(system(), Action::CloseAppealWindow)
        .refused("appeal_window_open");
    let closed = refused
        .on("2025-03-26")
        .when(system(), Action::CloseAppealWindow)
        .then(&["appeal_window_closed"]);
    assert_eq!(closed.status(), Status::RefusedFinal);
}

// ---- Late appeals (forvaltningsloven § 31).

#[test]
fn an_appeal_posted_the_day_after_the_deadline_is_recorded_as_late() {
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .when(applicant(), appeal(Some("2025-03-26")))
        .then(&["appeal_lodged"]);
    assert_eq!(late.status(), Status::LateAppealLodged);
    assert_eq!(
        appeal_lodged(&late).missed_deadline,
        Some(date("2025-03-25")),
        "marked late, with the deadline it missed"
    );
    assert_eq!(Status::LateAppealLodged.owner(), Some(Role::Udi));
}

#[test]
fn udi_hears_a_late_appeal_it_accepts_with_a_reason_and_reconsiders_it_as_usual() {
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .then_do(applicant(), appeal(Some("2025-03-26")));
    let accepted = late
        .on("2025-04-01")
        .when(udi(), accept_late(LateAppealGround::NotToBlame))
        .then(&["late_appeal_accepted"]);
    assert_eq!(accepted.status(), Status::AppealLodged);
    let Event::LateAppealAccepted(event) = accepted.last() else {
        panic!("expected the acceptance")
    };
    assert_eq!(
        (event.accepted_on, event.against, event.ground),
        (
            date("2025-04-01"),
            Contested::Refusal,
            LateAppealGround::NotToBlame
        )
    );
    assert!(
        event.personal.get(&person(1)).is_some(),
        "the reason is a statement, kept under the principal applicant"
    );
    let allowed = accepted.forwarded().then_do(
        une(),
        Action::AllowAppeal {
            reasoning: statement("Allowed."),
            particularly_vulnerable: Default::default(),
        },
    );
    assert_eq!(allowed.status(), Status::Approved);
}

#[test]
fn udi_does_not_reconsider_or_forward_a_late_appeal_before_accepting_it() {
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .then_do(applicant(), appeal(None));
    let refusal = late
        .when(
            udi(),
            Action::ReverseDecision {
                reasoning: statement("Reconsidered."),
                particularly_vulnerable: Default::default(),
            },
        )
        .refused("late_appeal_not_accepted");
    assert_eq!(
        refusal,
        Refusal::LateAppealNotAccepted {
            missed_deadline: date("2025-03-25")
        }
    );
    late.when(
        udi(),
        Action::ForwardToUne {
            assessment: statement("Forwarded."),
        },
    )
    .refused("late_appeal_not_accepted");
    // The rule speaks to UDI only: another role learns nothing about the state.
    late.when(
        une(),
        Action::AllowAppeal {
            reasoning: statement("Allowed."),
            particularly_vulnerable: Default::default(),
        },
    )
    .refused("wrong_state");
    late.when(
        iom(),
        Action::ForwardToUne {
            assessment: statement("Forwarded."),
        },
    )
    .refused("wrong_role");
}

#[test]
fn udi_dismisses_a_late_appeal_as_late_and_the_decision_is_then_final() {
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .then_do(applicant(), appeal(None));
    let dismissed = late
        .when(udi(), dismiss_as_late())
        .then(&["appeal_dismissed"]);
    assert_eq!(dismissed.status(), Status::RefusedFinal);
    dismissed
        .on("2025-04-10")
        .when(applicant(), appeal(None))
        .refused("appeal_already_decided");
}

#[test]
fn a_late_appeal_against_a_revocation_is_dismissed_into_revoked_final() {
    let late = under_review_from("2025-03-03")
        .approved()
        .handed_over()
        .revoked("2025-03-05")
        .on("2025-04-02")
        .then_do(applicant(), appeal(None));
    assert_eq!(late.status(), Status::LateAppealLodged);
    let dismissed = late.then_do(udi(), dismiss_as_late());
    assert_eq!(dismissed.status(), Status::RevokedFinal);
}

#[test]
fn a_late_appeal_after_the_window_closed_waits_for_udi() {
    let closed = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-26")
        .then_do(system(), Action::CloseAppealWindow);
    let late = closed
        .on("2025-05-02")
        .when(applicant(), appeal(None))
        .then(&["appeal_lodged"]);
    assert_eq!(late.status(), Status::LateAppealLodged);
    let accepted = late.then_do(udi(), accept_late(LateAppealGround::SpecialReasons));
    assert_eq!(accepted.status(), Status::AppealLodged);
}

#[test]
fn a_late_appeal_can_be_withdrawn_or_ended_by_a_forced_return() {
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .then_do(applicant(), appeal(None));
    assert_eq!(
        late.then_do(applicant(), Action::Withdraw).status(),
        Status::Withdrawn
    );
    let returned = late.then_do(
        udi(),
        Action::RecordForcedReturn {
            returned_on: date("2025-03-27"),
        },
    );
    assert_eq!(returned.status(), Status::ForcedReturn);
}

#[test]
fn only_a_late_appeal_is_accepted_as_late() {
    let lodged = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .appealed();
    lodged
        .when(udi(), accept_late(LateAppealGround::NotToBlame))
        .refused("wrong_state");
}

#[test]
fn a_late_appeal_is_heard_only_within_a_year_of_the_decision() {
    // Under the rules from 2026-11-25, which carry the limit of § 31 third paragraph.
    let late = refusal(&under_review_from("2027-01-04"), "2027-01-11", "2027-01-11")
        .on("2027-06-01")
        .then_do(applicant(), appeal(None));
    assert_eq!(late.status(), Status::LateAppealLodged);
    late.on("2028-01-11")
        .when(udi(), accept_late(LateAppealGround::NotToBlame))
        .then(&["late_appeal_accepted"]);
    let refusal = late
        .on("2028-01-12")
        .when(udi(), accept_late(LateAppealGround::NotToBlame))
        .refused("late_appeal_time_barred");
    assert_eq!(
        refusal,
        Refusal::LateAppealTimeBarred {
            decided_on: date("2027-01-11"),
            last_day: date("2028-01-11"),
        }
    );
    late.on("2028-01-12")
        .when(udi(), dismiss_as_late())
        .then(&["appeal_dismissed"]);
}

#[test]
fn rules_from_before_the_limit_leave_it_to_udi() {
    // A case submitted before 2026-11-25 is decided under rules without the limit: retur does
    // not refuse the acceptance, and the caseworker applies § 31 third paragraph.
    let late = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .on("2025-03-27")
        .then_do(applicant(), appeal(None));
    late.on("2026-06-01")
        .when(udi(), accept_late(LateAppealGround::SpecialReasons))
        .then(&["late_appeal_accepted"]);
}

// ---- Decisions in an appeal are final.

#[test]
fn an_appeal_after_unes_final_decision_is_refused() {
    let forwarded = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .appealed()
        .forwarded();
    let rejected = forwarded.then_do(
        une(),
        Action::RejectAppeal {
            reasoning: statement("No."),
        },
    );
    assert_eq!(rejected.status(), Status::RefusedFinal);
    let refusal = rejected
        .when(applicant(), appeal(None))
        .refused("appeal_already_decided");
    assert!(refusal.to_string().contains("§ 28"), "{refusal}");
    let dismissed = forwarded.then_do(
        une(),
        Action::DismissAppealAtUne {
            ground: DismissalGround::NotAParty,
            reasoning: statement("Not a party."),
        },
    );
    dismissed
        .when(applicant(), appeal(None))
        .refused("appeal_already_decided");
}

#[test]
fn an_appeal_after_udis_dismissal_is_refused() {
    let dismissed = under_review_from("2025-03-03")
        .refused("2025-03-04")
        .appealed()
        .then_do(
            udi(),
            Action::DismissAppeal {
                ground: DismissalGround::NotAParty,
                reasoning: statement("Lodged by a neighbour."),
            },
        );
    dismissed
        .when(applicant(), appeal(None))
        .refused("appeal_already_decided");
}

// ---- Weekends and public holidays (domstolloven § 149), under the rules from 2026-11-25.

/// Refused, notified on `notified_on`; the deadline the case holds.
fn deadline_when_notified_on(notified_on: &str) -> chrono::NaiveDate {
    deadline(&refusal(
        &under_review_from("2026-12-01"),
        notified_on,
        notified_on,
    ))
}

#[test]
fn a_deadline_ending_on_a_saturday_runs_to_monday() {
    // Notified on Saturday 9 January 2027: three weeks end on Saturday 30 January.
    let refused = refusal(&under_review_from("2027-01-04"), "2027-01-11", "2027-01-09");
    assert_eq!(deadline(&refused), date("2027-02-01"));
    let Event::ApplicationRefused(event) = refused.last() else {
        panic!("a refusal")
    };
    assert_eq!(event.appeal_deadline, date("2027-02-01"), "recorded so");
    assert_eq!(
        refused.case.next_deadline(rules()).map(|d| d.on),
        Some(date("2027-02-01")),
        "the scheduler waits for Monday"
    );
    let lodged = refused
        .on("2027-02-03")
        .when(applicant(), appeal(Some("2027-02-01")))
        .then(&["appeal_lodged"]);
    assert_eq!(
        lodged.status(),
        Status::AppealLodged,
        "posted on the Monday"
    );
    let late = refused
        .on("2027-02-03")
        .when(applicant(), appeal(Some("2027-02-02")))
        .then(&["appeal_lodged"]);
    assert_eq!(
        late.status(),
        Status::LateAppealLodged,
        "posted on the Tuesday"
    );
    refused
        .on("2027-02-01")
        .when(system(), Action::CloseAppealWindow)
        .refused("appeal_window_open");
    refused
        .on("2027-02-02")
        .when(system(), Action::CloseAppealWindow)
        .then(&["appeal_window_closed"]);
}

#[test]
fn a_deadline_ending_on_a_sunday_runs_to_monday() {
    assert_eq!(deadline_when_notified_on("2027-01-10"), date("2027-02-01"));
}

#[test]
fn a_deadline_ending_on_a_working_day_stays() {
    // Notified on Monday 11 January 2027: the deadline is Monday 1 February.
    assert_eq!(deadline_when_notified_on("2027-01-11"), date("2027-02-01"));
    assert_eq!(deadline_when_notified_on("2027-01-08"), date("2027-01-29"));
}

#[test]
fn a_deadline_ending_on_maundy_thursday_runs_past_easter() {
    // Easter Sunday 2027 is 28 March: Maundy Thursday, Good Friday, the weekend and Easter
    // Monday are all days off, so a deadline of Thursday 25 March ends on Tuesday 30 March.
    assert_eq!(deadline_when_notified_on("2027-03-04"), date("2027-03-30"));
    // Ascension Day 2027, Thursday 6 May, runs to Friday 7 May.
    assert_eq!(deadline_when_notified_on("2027-04-15"), date("2027-05-07"));
}

#[test]
fn a_deadline_ending_before_17_may_runs_past_it() {
    // Saturday 15 May 2027, then Whit Sunday, then 17 May (also Whit Monday): Tuesday 18 May.
    assert_eq!(deadline_when_notified_on("2027-04-24"), date("2027-05-18"));
    // 17 May 2028 is a Wednesday of its own: Thursday 18 May.
    let refused = refusal(&under_review_from("2028-04-24"), "2028-04-26", "2028-04-26");
    assert_eq!(deadline(&refused), date("2028-05-18"));
    // 1 May 2028 is a Monday: a deadline then ends on Tuesday 2 May.
    let refused = refusal(&under_review_from("2028-04-05"), "2028-04-10", "2028-04-10");
    assert_eq!(deadline(&refused), date("2028-05-02"));
}

#[test]
fn a_deadline_at_christmas_or_new_year_runs_to_the_next_working_day() {
    // Christmas Day 2026 is a Friday; Boxing Day and Sunday follow: Monday 28 December.
    assert_eq!(deadline_when_notified_on("2026-12-04"), date("2026-12-28"));
    // New Year's Day 2027 is a Friday: Monday 4 January.
    assert_eq!(deadline_when_notified_on("2026-12-11"), date("2027-01-04"));
    // Christmas Eve and New Year's Eve are working days for a deadline (see rules/
    // time_limits.toml: that domstolloven § 149 extends them could not be confirmed).
    let refused = refusal(&under_review_from("2027-11-29"), "2027-12-03", "2027-12-03");
    assert_eq!(deadline(&refused), date("2027-12-24"));
    let refused = refusal(&under_review_from("2027-11-29"), "2027-12-10", "2027-12-10");
    assert_eq!(deadline(&refused), date("2027-12-31"));
}

#[test]
fn a_revocation_deadline_runs_on_in_the_same_way() {
    let revoked = under_review_from("2027-01-04")
        .approved()
        .handed_over()
        .revoked("2027-01-09");
    assert_eq!(deadline(&revoked), date("2027-02-01"));
}

#[test]
fn rules_from_before_the_days_off_count_the_deadline_as_recorded_then() {
    // Notified on Saturday 1 March 2025: the deadline, Saturday 22 March, is what cases
    // decided under the rules of that date recorded, and they keep it.
    let refused = refusal(&under_review_from("2025-02-24"), "2025-03-03", "2025-03-01");
    assert_eq!(deadline(&refused), date("2025-03-22"));
}
