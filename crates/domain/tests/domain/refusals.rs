//! Every kind of refusal, and the codes clients are promised: each refusal's code is one of
//! `refusal::CODES`, and each of those is some refusal's.

use std::collections::BTreeSet;

use retur_domain::grant::Ineligibility;
use retur_domain::refusal::CODES;
use retur_domain::rules::{Exclusion, NoRulesInForce};
use retur_domain::{CommandKind, Money, Refusal, Role, Status};

use crate::support::{date, person};

/// The variant's place in the enum. The match names every variant, so a new kind of refusal
/// does not compile until it is named here, and then the test below wants an example of it.
fn kind(refusal: &Refusal) -> usize {
    match refusal {
        Refusal::WrongRole { .. } => 0,
        Refusal::WrongState { .. } => 1,
        Refusal::Ineligible(_) => 2,
        Refusal::InvalidApplication(_) => 3,
        Refusal::Invalid(_) => 4,
        Refusal::InvalidDate { .. } => 5,
        Refusal::UnknownPerson(_) => 6,
        Refusal::AppealAlreadyDecided => 7,
        Refusal::AppealWindowOpen { .. } => 8,
        Refusal::TravelDeadlineNotPassed { .. } => 9,
        Refusal::TravelDeadlinePassed { .. } => 10,
        Refusal::BeforeDepartureDate { .. } => 11,
        Refusal::TravelDocumentsPending(_) => 12,
        Refusal::NoDocumentRequested(_) => 13,
        Refusal::PayoutBeforeArrival => 14,
        Refusal::SelfDeclarationMissing => 15,
        Refusal::SelfDeclarationAlreadySigned { .. } => 16,
        Refusal::PayoutExceedsApproved { .. } => 17,
        Refusal::TrancheNotYetDue { .. } => 18,
        Refusal::InvalidAmount { .. } => 19,
        Refusal::ConversionOverflow => 20,
        Refusal::PocketMoneyAlreadyPaid { .. } => 21,
        Refusal::PayoutNotOverdue { .. } => 22,
        Refusal::PayoutAlreadyFlagged => 23,
        Refusal::NotReadyToClose(_) => 24,
        Refusal::NoReEntryWithinWindow => 25,
        Refusal::RepaymentExceedsPaid { .. } => 26,
        Refusal::PersonalDataErased(_) => 27,
        Refusal::PersonErased(_) => 28,
        Refusal::NotRestricted(_) => 29,
        Refusal::NoRules(_) => 30,
        Refusal::LateAppealNotAccepted { .. } => 31,
        Refusal::LateAppealTimeBarred { .. } => 32,
    }
}

const KINDS: usize = 33;

fn one_of_each() -> Vec<Refusal> {
    let day = date("2026-03-02");
    let nok = Money::nok(100);
    let mut examples = vec![
        Refusal::WrongRole {
            command: CommandKind::Approve,
            role: Role::Iom,
            owner: Role::Udi,
        },
        Refusal::WrongState {
            command: CommandKind::Approve,
            status: Status::Submitted,
        },
        Refusal::InvalidApplication("x".into()),
        Refusal::Invalid("x".into()),
        Refusal::InvalidDate {
            field: "signed_on",
            problem: "is in the future".into(),
        },
        Refusal::UnknownPerson(person(9)),
        Refusal::AppealAlreadyDecided,
        Refusal::LateAppealNotAccepted {
            missed_deadline: day,
        },
        Refusal::LateAppealTimeBarred {
            decided_on: day,
            last_day: day,
        },
        Refusal::AppealWindowOpen { deadline: day },
        Refusal::TravelDeadlineNotPassed { deadline: day },
        Refusal::TravelDeadlinePassed { deadline: day },
        Refusal::BeforeDepartureDate {
            departs_on: day,
            what: "confirmed",
        },
        Refusal::TravelDocumentsPending(person(1)),
        Refusal::NoDocumentRequested(person(1)),
        Refusal::PayoutBeforeArrival,
        Refusal::SelfDeclarationMissing,
        Refusal::SelfDeclarationAlreadySigned { signed_on: day },
        Refusal::PayoutExceedsApproved {
            requested: nok,
            remaining: nok,
        },
        Refusal::TrancheNotYetDue {
            requested: nok,
            due_now: nok,
            next_due: day,
        },
        Refusal::InvalidAmount {
            expected: "NOK",
            given: nok,
        },
        Refusal::ConversionOverflow,
        Refusal::PocketMoneyAlreadyPaid { amount: nok },
        Refusal::PayoutNotOverdue { target_date: day },
        Refusal::PayoutAlreadyFlagged,
        Refusal::NotReadyToClose("x"),
        Refusal::NoReEntryWithinWindow,
        Refusal::RepaymentExceedsPaid {
            requested: nok,
            paid: nok,
        },
        Refusal::PersonalDataErased("x"),
        Refusal::PersonErased(person(1)),
        Refusal::NotRestricted(person(1)),
        Refusal::NoRules(NoRulesInForce {
            date: day,
            missing: "rate table",
        }),
    ];
    for exclusion in [
        Exclusion::ExcludedNationality,
        Exclusion::VisaExemptNationality,
        Exclusion::ReimmigratedToDublinState,
        Exclusion::NonProtectionPermitExpired,
        Exclusion::StatusInOtherEeaCountry,
        Exclusion::LegalResidence,
    ] {
        examples.push(Refusal::Ineligible(Ineligibility {
            person_id: person(1),
            exclusion,
        }));
    }
    examples
}

#[test]
fn every_refusal_has_one_of_the_codes_promised_and_every_code_is_used() {
    let examples = one_of_each();
    let kinds: BTreeSet<usize> = examples.iter().map(kind).collect();
    assert_eq!(kinds, (0..KINDS).collect(), "an example of every kind");
    let used: BTreeSet<&str> = examples.iter().map(Refusal::code).collect();
    let promised: BTreeSet<&str> = CODES.iter().copied().collect();
    assert_eq!(promised.len(), CODES.len(), "no code twice");
    assert_eq!(used, promised);
}
