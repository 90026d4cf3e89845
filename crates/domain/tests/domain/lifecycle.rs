//! Every transition of the lifecycle, and every refusal of a step in the wrong state or at the
//! wrong time.

use retur_domain::event::{Contested, Event};
use retur_domain::travel::{DismissalGround, DocumentNumber, RescheduleCause, TravelDocumentKind};
use retur_domain::*;

use crate::support::*;

#[test]
fn the_main_path_runs_from_application_to_closure() {
    let case = story()
        .when(applicant(), Action::Submit(Box::new(application().build())))
        .then(&["application_submitted"]);
    assert_eq!(case.status(), Status::Submitted);
    let case = case
        .on("2025-03-05")
        .when(udi(), Action::BeginReview)
        .then(&["review_started"]);
    assert_eq!(case.status(), Status::UnderReview);
    let case = case
        .on("2025-03-10")
        .when(udi(), Action::approve())
        .then(&["application_approved"]);
    assert_eq!(case.status(), Status::Approved);
    let case = case
        .when(udi(), Action::HandOverToIom)
        .then(&["handed_over_to_iom"]);
    assert_eq!(case.status(), Status::HandedToIom);
    let case = case
        .on("2025-03-12")
        .when(iom(), sample_action(CommandKind::RequestTravelDocument))
        .then(&["travel_document_requested"]);
    assert_eq!(case.status(), Status::TravelDocumentsPending);
    let case = case
        .on("2025-03-20")
        .when(iom(), sample_action(CommandKind::RecordTravelDocument))
        .then(&["travel_document_obtained"]);
    assert_eq!(case.status(), Status::ReadyToBook);
    let case = case
        .when(iom(), Action::BookDeparture(booking("2025-04-01")))
        .then(&["departure_booked"]);
    assert_eq!(case.status(), Status::DepartureBooked);
    let case = case
        .when(
            iom(),
            Action::RecordSelfDeclaration {
                signed_on: date("2025-03-20"),
            },
        )
        .then(&["self_declaration_signed"]);
    let case = case.departed("2025-04-01");
    assert_eq!(case.status(), Status::Departed);
    let case = case
        .when(iom(), Action::PayPocketMoney)
        .then(&["pocket_money_paid"]);
    let case = case.arrived("2025-04-02");
    assert_eq!(case.status(), Status::Arrived);
    let case = case
        .when(iom(), tranche(15_000))
        .then(&["reintegration_tranche_paid"]);
    assert_eq!(
        case.status(),
        Status::PaidOut,
        "a single adult with no deadline is granted NOK 15 000"
    );
    let case = case
        .on("2025-04-10")
        .when(iom(), Action::CloseCase)
        .then(&["case_closed"]);
    assert_eq!(case.status(), Status::Closed);
}

#[test]
fn a_tranche_that_leaves_some_grant_unpaid_keeps_the_payout_in_progress() {
    let family = application().with(adult(2).as_(Relation::Child).born("2015-01-01"));
    let case = Story::arrived_case(&family).declared();
    let case = case
        .when(iom(), tranche(10_000))
        .then(&["reintegration_tranche_paid"]);
    assert_eq!(case.status(), Status::PayoutInProgress);
    let outstanding = case.case.cash_outstanding();
    assert_eq!(outstanding, Money::nok(15_000 + 25_000 - 10_000));
    let case = case
        .when(iom(), tranche(30_000))
        .then(&["reintegration_tranche_paid"]);
    assert_eq!(case.status(), Status::PaidOut);
}

#[test]
fn a_refusal_can_be_appealed_and_reversed_by_udi() {
    let case = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-04");
    assert_eq!(case.status(), Status::Refused);
    let case = case.on("2025-03-20").appealed();
    assert_eq!(case.status(), Status::AppealLodged);
    let case = case
        .when(
            udi(),
            Action::ReverseDecision {
                reasoning: statement("The permit had expired."),
                particularly_vulnerable: Default::default(),
            },
        )
        .then(&["decision_reversed", "application_approved"]);
    assert_eq!(case.status(), Status::Approved);
    assert!(case.case.approval.is_some());
}

#[test]
fn udi_can_dismiss_an_appeal_that_fails_formal_conditions() {
    let case = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-04")
        .appealed();
    let case = case
        .when(
            udi(),
            Action::DismissAppeal {
                ground: DismissalGround::NotAParty,
                reasoning: statement("Filed by a neighbour."),
            },
        )
        .then(&["appeal_dismissed"]);
    assert_eq!(case.status(), Status::RefusedFinal);
}

#[test]
fn une_can_allow_reject_quash_or_dismiss_a_forwarded_appeal() {
    let forwarded = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-04")
        .appealed()
        .forwarded();
    assert_eq!(forwarded.status(), Status::ForwardedToUne);

    let allowed = forwarded
        .when(
            une(),
            Action::AllowAppeal {
                reasoning: statement("The refusal rested on a misreading."),
                particularly_vulnerable: Default::default(),
            },
        )
        .then(&["appeal_allowed", "application_approved"]);
    assert_eq!(allowed.status(), Status::Approved);

    let rejected = forwarded
        .when(
            une(),
            Action::RejectAppeal {
                reasoning: statement("UNE agrees with UDI."),
            },
        )
        .then(&["appeal_rejected"]);
    assert_eq!(rejected.status(), Status::RefusedFinal);

    let quashed = forwarded
        .when(
            une(),
            Action::QuashDecision {
                reasoning: statement("The case was not properly investigated."),
            },
        )
        .then(&["decision_quashed"]);
    assert_eq!(quashed.status(), Status::UnderReview);
    let redecided = quashed.approved();
    assert_eq!(redecided.status(), Status::Approved);

    let dismissed = forwarded
        .when(
            une(),
            Action::DismissAppealAtUne {
                ground: DismissalGround::Late,
                reasoning: statement("Late."),
            },
        )
        .then(&["appeal_dismissed"]);
    assert_eq!(dismissed.status(), Status::RefusedFinal);
}

#[test]
fn a_refusal_cannot_be_notified_before_the_application_or_in_the_future() {
    let review = story()
        .on("2025-03-10")
        .submitted(&application())
        .under_review();
    review
        .when(
            udi(),
            Action::Refuse {
                reasons: statement("No."),
                notified_on: date("2025-03-09"),
            },
        )
        .refused("invalid_date");
    review
        .when(
            udi(),
            Action::Refuse {
                reasons: statement("No."),
                notified_on: date("2025-03-11"),
            },
        )
        .refused("invalid_date");
}

#[test]
fn a_revocation_can_be_appealed_and_quashed_back_to_approval() {
    let revoked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .revoked("2025-03-05");
    assert_eq!(revoked.status(), Status::Revoked);
    assert_eq!(
        revoked.case.contested.map(|c| c.against),
        Some(Contested::Revocation)
    );
    let appealed = revoked.on("2025-03-10").appealed();
    let quashed = appealed
        .forwarded()
        .when(
            une(),
            Action::QuashDecision {
                reasoning: statement("Revocation lacked grounds."),
            },
        )
        .then(&["decision_quashed", "application_approved"]);
    assert_eq!(quashed.status(), Status::Approved);
    let dismissed = appealed
        .when(
            udi(),
            Action::DismissAppeal {
                ground: DismissalGround::OtherFormalDefect,
                reasoning: statement("Unsigned."),
            },
        )
        .then(&["appeal_dismissed"]);
    assert_eq!(dismissed.status(), Status::RevokedFinal);
    let closed = revoked
        .on("2025-03-27")
        .when(system(), Action::CloseAppealWindow)
        .then(&["appeal_window_closed"]);
    assert_eq!(closed.status(), Status::RevokedFinal);
}

#[test]
fn an_approval_can_be_revoked_at_any_point_before_departure_and_not_after() {
    let booked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01");
    booked.revoked("2025-03-03");
    let departed = booked.departed("2025-04-01");
    departed
        .when(
            udi(),
            Action::RevokeApproval {
                reasons: statement("Too late."),
                notified_on: date("2025-04-01"),
            },
        )
        .refused("wrong_state");
}

#[test]
fn the_applicant_can_withdraw_before_departure_and_not_after() {
    for case in [
        story().submitted(&application()),
        story()
            .submitted(&application())
            .under_review()
            .refused("2025-03-03"),
        story()
            .submitted(&application())
            .under_review()
            .approved()
            .handed_over()
            .booked("2025-04-01"),
    ] {
        let withdrawn = case
            .when(applicant(), Action::Withdraw)
            .then(&["application_withdrawn"]);
        assert_eq!(withdrawn.status(), Status::Withdrawn);
        withdrawn
            .when(applicant(), Action::Withdraw)
            .refused("wrong_state");
    }
    let departed = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01")
        .departed("2025-04-01");
    departed
        .when(applicant(), Action::Withdraw)
        .refused("wrong_state");
}

#[test]
fn a_no_show_is_reported_on_the_day_and_leads_to_a_rebooking_or_a_revocation() {
    let booked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01");
    booked
        .on("2025-03-31")
        .when(iom(), Action::ReportNoShow)
        .refused("before_departure_date");
    let no_show = booked
        .on("2025-04-01")
        .when(iom(), Action::ReportNoShow)
        .then(&["no_show_reported"]);
    assert_eq!(no_show.status(), Status::NoShow);
    let rebooked = no_show
        .when(iom(), Action::RebookDeparture(booking("2025-04-15")))
        .then(&["departure_rebooked"]);
    assert_eq!(rebooked.status(), Status::DepartureBooked);
    assert_eq!(rebooked.case.travel.no_shows, 1);
    no_show.revoked("2025-04-01");
}

#[test]
fn a_departure_is_rescheduled_only_for_a_medical_certificate_or_by_iom_or_the_airline() {
    let booked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01");
    for cause in [
        RescheduleCause::MedicalCertificate,
        RescheduleCause::IomOrAirline,
    ] {
        let moved = booked
            .when(
                iom(),
                Action::RescheduleDeparture {
                    cause,
                    booking: booking("2025-04-20"),
                },
            )
            .then(&["departure_rescheduled"]);
        assert_eq!(
            moved.case.travel.booking.as_ref().map(|b| b.departs_on),
            Some(date("2025-04-20"))
        );
    }
    booked
        .when(
            iom(),
            Action::RescheduleDeparture {
                cause: RescheduleCause::IomOrAirline,
                booking: booking("2025-03-01"),
            },
        )
        .refused("invalid_date");
}

#[test]
fn a_departure_must_be_booked_within_the_travel_deadline() {
    let handed_over = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over();
    // Approved on 3 March 2025 with a 180-day travel period: 30 August 2025.
    assert_eq!(
        handed_over
            .case
            .approval
            .as_ref()
            .map(|a| a.travel_deadline),
        Some(date("2025-08-30"))
    );
    handed_over
        .when(iom(), Action::BookDeparture(booking("2025-08-30")))
        .then(&["departure_booked"]);
    handed_over
        .when(iom(), Action::BookDeparture(booking("2025-08-31")))
        .refused("invalid_date");
}

#[test]
fn the_travel_deadline_lapses_an_approval_only_once_it_has_passed() {
    let handed_over = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over();
    handed_over
        .on("2025-08-30")
        .when(system(), Action::LapseTravelDeadline)
        .refused("travel_deadline_not_passed");
    let lapsed = handed_over
        .on("2025-08-31")
        .when(system(), Action::LapseTravelDeadline)
        .then(&["travel_deadline_lapsed"]);
    assert_eq!(lapsed.status(), Status::Lapsed);
    lapsed
        .when(iom(), Action::BookDeparture(booking("2025-09-01")))
        .refused("wrong_state");
}

#[test]
fn a_dublin_transfer_must_leave_by_the_dublin_deadline() {
    let dublin = application()
        .situation(ImmigrationSituation::DublinTransfer)
        .deadline("2025-05-01");
    let approved = story().submitted(&dublin).under_review().approved();
    assert_eq!(
        approved.case.approval.as_ref().map(|a| a.travel_deadline),
        Some(date("2025-05-01"))
    );
    story()
        .submitted(&dublin)
        .under_review()
        .on("2025-05-02")
        .when(udi(), Action::approve())
        .refused("travel_deadline_passed");
    let without_deadline = application().situation(ImmigrationSituation::DublinTransfer);
    story()
        .when(
            applicant(),
            Action::Submit(Box::new(without_deadline.build())),
        )
        .refused("invalid_application");
}

#[test]
fn travel_documents_are_requested_per_person_and_booking_waits_for_all_of_them() {
    let family = application().with(adult(2).as_(Relation::Spouse));
    let handed_over = story()
        .submitted(&family)
        .under_review()
        .approved()
        .handed_over();
    let requested = handed_over
        .when(
            iom(),
            Action::RequestTravelDocument {
                persons: vec![person(1), person(2)],
                document: TravelDocumentKind::EmergencyTravelDocument,
                issuing_country: country("ET"),
            },
        )
        .then(&["travel_document_requested"]);
    requested
        .when(iom(), Action::BookDeparture(booking("2025-04-01")))
        .refused("wrong_state");
    let one = requested
        .when(iom(), document_for(1))
        .then(&["travel_document_obtained"]);
    assert_eq!(one.status(), Status::TravelDocumentsPending);
    one.when(iom(), document_for(1))
        .refused("no_document_requested");
    let both = one
        .when(iom(), document_for(2))
        .then(&["travel_document_obtained"]);
    assert_eq!(both.status(), Status::ReadyToBook);
    both.booked("2025-04-01");
    requested
        .when(iom(), document_for(9))
        .refused("unknown_person");
    handed_over
        .when(
            iom(),
            Action::RequestTravelDocument {
                persons: vec![],
                document: TravelDocumentKind::Passport,
                issuing_country: country("ET"),
            },
        )
        .refused("invalid_request");
}

fn document_for(id: u128) -> Action {
    Action::RecordTravelDocument {
        person_id: person(id),
        document: TravelDocumentKind::EmergencyTravelDocument,
        number: DocumentNumber::parse(&format!("ETD-{id}")).expect("a number"),
        valid_until: date("2026-03-01"),
    }
}

#[test]
fn an_expired_travel_document_is_refused() {
    let requested = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .then_do(iom(), sample_action(CommandKind::RequestTravelDocument));
    requested
        .when(
            iom(),
            Action::RecordTravelDocument {
                person_id: person(1),
                document: TravelDocumentKind::Passport,
                number: DocumentNumber::parse("P1234567").expect("a number"),
                valid_until: date("2025-03-03"),
            },
        )
        .refused("invalid_date");
}

#[test]
fn departure_and_arrival_dates_cannot_be_in_the_future_or_out_of_order() {
    let booked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01");
    booked
        .on("2025-04-01")
        .when(
            iom(),
            Action::ConfirmDeparture {
                departed_on: date("2025-04-02"),
            },
        )
        .refused("invalid_date");
    booked
        .on("2025-04-05")
        .when(
            iom(),
            Action::ConfirmDeparture {
                departed_on: date("2025-03-31"),
            },
        )
        .refused("before_departure_date");
    let departed = booked.departed("2025-04-01");
    departed
        .on("2025-04-03")
        .when(
            iom(),
            Action::ConfirmArrival {
                arrived_on: date("2025-03-31"),
            },
        )
        .refused("invalid_date");
    departed
        .on("2025-04-03")
        .when(
            iom(),
            Action::ConfirmArrival {
                arrived_on: date("2025-04-04"),
            },
        )
        .refused("invalid_date");
}

#[test]
fn the_grant_is_not_paid_before_arrival() {
    let declared = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .declared();
    let refusal = declared
        .when(iom(), tranche(15_000))
        .refused("payout_before_arrival");
    assert_eq!(refusal, Refusal::PayoutBeforeArrival);
    let departed = declared.booked("2025-04-01").departed("2025-04-01");
    departed
        .when(iom(), tranche(15_000))
        .refused("payout_before_arrival");
}

#[test]
fn the_grant_is_not_paid_without_the_self_declaration() {
    let arrived = Story::arrived_case(&application());
    arrived
        .when(iom(), tranche(15_000))
        .refused("self_declaration_missing");
    arrived
        .declared()
        .when(iom(), tranche(15_000))
        .then(&["reintegration_tranche_paid"]);
}

#[test]
fn the_self_declaration_is_signed_once() {
    let declared = Story::arrived_case(&application()).declared();
    declared
        .when(
            iom(),
            Action::RecordSelfDeclaration {
                signed_on: date("2025-04-01"),
            },
        )
        .refused("self_declaration_already_signed");
}

#[test]
fn the_grant_paid_never_exceeds_the_approved_cash() {
    let declared = Story::arrived_case(&application()).declared();
    let refusal = declared
        .when(iom(), tranche(15_001))
        .refused("payout_exceeds_approved");
    assert_eq!(
        refusal,
        Refusal::PayoutExceedsApproved {
            requested: Money::nok(15_001),
            remaining: Money::nok(15_000)
        }
    );
    let part = declared.then_do(iom(), tranche(10_000));
    part.when(iom(), tranche(5_001))
        .refused("payout_exceeds_approved");
    let all = part.then_do(iom(), tranche(5_000));
    all.when(iom(), tranche(1)).refused("wrong_state");
}

#[test]
fn a_tranche_must_be_a_positive_amount_of_nok() {
    let declared = Story::arrived_case(&application()).declared();
    declared.when(iom(), tranche(0)).refused("invalid_amount");
    declared.when(iom(), tranche(-5)).refused("invalid_amount");
    let in_dollars = Action::PayReintegrationTranche {
        amount: Money::usd(100),
        rates: rates("10.5", "ETB", "57"),
        payee: retur_domain::Payee::Cash,
    };
    declared.when(iom(), in_dollars).refused("invalid_amount");
}

#[test]
fn a_tranche_by_bank_transfer_keeps_the_account_as_personal_data_of_the_holder() {
    let declared = Story::arrived_case(&application()).declared();
    let events = declared
        .when(
            iom(),
            Action::PayReintegrationTranche {
                amount: Money::nok(15_000),
                rates: rates("10.5", "ETB", "57"),
                payee: bank_transfer(1),
            },
        )
        .events();
    let Event::ReintegrationTranchePaid(paid) = &events[0] else {
        panic!("expected a tranche, got {events:?}")
    };
    assert_eq!(
        paid.method,
        retur_domain::travel::PaymentMethod::BankTransfer
    );
    assert!(paid.personal.get(&person(1)).is_some());
    declared
        .when(
            iom(),
            Action::PayReintegrationTranche {
                amount: Money::nok(15_000),
                rates: rates("10.5", "ETB", "57"),
                payee: bank_transfer(7),
            },
        )
        .refused("unknown_person");
}

#[test]
fn pocket_money_is_paid_once_after_departure() {
    let booked = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01");
    booked
        .when(iom(), Action::PayPocketMoney)
        .refused("wrong_state");
    let paid = booked
        .departed("2025-04-01")
        .when(iom(), Action::PayPocketMoney)
        .then(&["pocket_money_paid"]);
    paid.when(iom(), Action::PayPocketMoney)
        .refused("pocket_money_already_paid");
}

#[test]
fn a_payout_is_flagged_overdue_more_than_21_days_after_arrival() {
    let declared = Story::arrived_case(&application()).declared();
    // Arrived on 1 April: the target is 22 April.
    declared
        .on("2025-04-22")
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_not_overdue");
    let flagged = declared
        .on("2025-04-23")
        .when(system(), Action::FlagPayoutOverdue)
        .then(&["payout_flagged_overdue"]);
    assert_eq!(
        flagged.status(),
        Status::Arrived,
        "a flag does not change the state"
    );
    flagged
        .when(system(), Action::FlagPayoutOverdue)
        .refused("payout_already_flagged");
}

#[test]
fn a_case_closes_only_when_the_grant_and_the_pocket_money_are_paid() {
    let declared = Story::arrived_case(&application()).declared();
    declared
        .when(iom(), Action::CloseCase)
        .refused("not_ready_to_close");
    let paid_out = declared.then_do(iom(), tranche(15_000));
    paid_out
        .when(iom(), Action::CloseCase)
        .refused("not_ready_to_close");
    paid_out
        .then_do(iom(), Action::PayPocketMoney)
        .when(iom(), Action::CloseCase)
        .then(&["case_closed"]);
}

#[test]
fn an_in_kind_only_case_closes_after_arrival_with_nothing_to_pay_in_cash() {
    let morocco = application().nationality("MA");
    let arrived = Story::arrived_case(&morocco);
    assert_eq!(arrived.case.cash_outstanding(), Money::nok(0));
    arrived
        .when(iom(), Action::PayPocketMoney)
        .accepted()
        .when(iom(), Action::CloseCase)
        .then(&["case_closed"]);
}

#[test]
fn a_forced_return_ends_an_open_case_before_departure() {
    for case in [
        story().submitted(&application()),
        story()
            .submitted(&application())
            .under_review()
            .refused("2025-03-03"),
        story()
            .submitted(&application())
            .under_review()
            .approved()
            .handed_over(),
    ] {
        let ended = case
            .when(
                udi(),
                Action::RecordForcedReturn {
                    returned_on: date("2025-03-03"),
                },
            )
            .then(&["forced_return_recorded"]);
        assert_eq!(ended.status(), Status::ForcedReturn);
    }
}

#[test]
fn a_re_entry_within_two_years_lets_udi_claim_repayment_of_the_grant_paid() {
    let closed = Story::arrived_case(&application())
        .declared()
        .then_do(iom(), tranche(15_000))
        .then_do(iom(), Action::PayPocketMoney)
        .then_do(iom(), Action::CloseCase);
    closed
        .when(
            udi(),
            Action::ClaimRepayment {
                amount: Money::nok(1_000),
            },
        )
        .refused("no_re_entry_within_window");
    // Departed on 1 April 2025: the window runs to 1 April 2027.
    let late = closed.on("2027-05-01").then_do(
        udi(),
        Action::RecordReEntry {
            re_entered_on: date("2027-04-02"),
        },
    );
    late.when(
        udi(),
        Action::ClaimRepayment {
            amount: Money::nok(1_000),
        },
    )
    .refused("no_re_entry_within_window");
    let back = closed
        .on("2027-04-05")
        .when(
            udi(),
            Action::RecordReEntry {
                re_entered_on: date("2027-04-01"),
            },
        )
        .then(&["re_entry_recorded"]);
    assert_eq!(back.status(), Status::Closed);
    back.when(
        udi(),
        Action::ClaimRepayment {
            amount: Money::nok(15_001),
        },
    )
    .refused("repayment_exceeds_paid");
    let claimed = back
        .when(
            udi(),
            Action::ClaimRepayment {
                amount: Money::nok(15_000),
            },
        )
        .then(&["repayment_claimed"]);
    assert_eq!(claimed.status(), Status::RepaymentClaimed);
    let Event::RepaymentClaimed(claim) = claimed.last() else {
        panic!("expected a claim")
    };
    assert_eq!(claim.extent, retur_domain::event::RepaymentExtent::Full);
    claimed
        .when(
            udi(),
            Action::RecordReEntry {
                re_entered_on: date("2027-04-02"),
            },
        )
        .refused("wrong_state");
}

#[test]
fn a_re_entry_must_come_after_departure() {
    let departed = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .booked("2025-04-01")
        .departed("2025-04-01");
    departed
        .on("2025-05-01")
        .when(
            udi(),
            Action::RecordReEntry {
                re_entered_on: date("2025-04-01"),
            },
        )
        .refused("invalid_date");
    departed
        .on("2025-05-01")
        .when(
            udi(),
            Action::RecordReEntry {
                re_entered_on: date("2025-05-02"),
            },
        )
        .refused("invalid_date");
}

#[test]
fn every_command_but_submit_is_refused_on_a_case_that_does_not_exist() {
    for kind in CommandKind::ALL
        .into_iter()
        .filter(|k| *k != CommandKind::Submit)
    {
        let refusal = story()
            .when(actor(kind.owner()), sample_action(kind))
            .refused("wrong_state");
        assert_eq!(
            refusal,
            Refusal::WrongState {
                command: kind,
                status: Status::New
            }
        );
    }
}

#[test]
fn a_case_is_submitted_once() {
    story()
        .submitted(&application())
        .when(applicant(), sample_action(CommandKind::Submit))
        .refused("wrong_state");
}

#[test]
fn terminal_states_accept_only_what_the_lifecycle_lists_for_them() {
    let endings = [
        story()
            .submitted(&application())
            .then_do(applicant(), Action::Withdraw),
        story()
            .submitted(&application())
            .on("2025-03-20")
            .then_do(udi(), sample_action(CommandKind::RecordForcedReturn)),
        story()
            .submitted(&application())
            .under_review()
            .refused("2025-03-03")
            .on("2025-03-25")
            .then_do(system(), Action::CloseAppealWindow),
        story()
            .submitted(&application())
            .under_review()
            .approved()
            .on("2025-09-01")
            .then_do(system(), Action::LapseTravelDeadline),
    ];
    for ending in endings {
        assert!(
            ending.status().is_terminal(),
            "{} is terminal",
            ending.status()
        );
        for kind in CommandKind::ALL {
            let listed = retur_domain::lifecycle::is_allowed(ending.status(), kind);
            let outcome = ending
                .on("2025-10-01")
                .when(actor(kind.owner()), sample_action(kind));
            if !listed {
                outcome.refused("wrong_state");
            }
        }
    }
}

#[test]
fn personal_data_is_kept_apart_in_the_personal_part_of_each_event() {
    let family = application().with(adult(2).as_(Relation::Spouse).trafficking_victim());
    let refused = story()
        .submitted(&family)
        .under_review()
        .refused("2025-03-03");
    let Event::ApplicationSubmitted(submitted) = &refused.events[0] else {
        panic!("expected the application")
    };
    let json = serde_json::to_value(submitted).expect("json");
    let plain = without_personal(&json);
    for secret in [
        "Person 1",
        "1985-05-20",
        "201912345601",
        "Addis Ababa",
        "trafficking",
        "unaccompanied",
    ] {
        assert!(
            !plain.contains(secret),
            "{secret} leaked outside `personal`: {plain}"
        );
        assert!(
            json.to_string().contains(secret),
            "{secret} is in the personal part"
        );
    }
    assert_eq!(submitted.personal.0.len(), 2, "one entry per person");
    let spouse = submitted
        .personal
        .get(&person(2))
        .expect("the spouse's entry");
    assert!(
        spouse.person.circumstances.possible_trafficking_victim,
        "kept under the person it is about"
    );
    let Event::ApplicationRefused(refusal) = refused.last() else {
        panic!("expected a refusal")
    };
    let json = serde_json::to_value(refusal).expect("json");
    assert!(
        !without_personal(&json).contains("Sweden"),
        "the reasons are kept under personal"
    );
}

fn without_personal(json: &serde_json::Value) -> String {
    let mut json = json.clone();
    if let Some(object) = json.as_object_mut() {
        object.remove("personal");
    }
    json.to_string()
}
