//! Restriction and erasure of a person's personal data: UDI's steps as the controller of the
//! data, in every state of a case, leaving the workflow where it stands.

use std::collections::BTreeMap;

use retur_domain::application::Relation;
use retur_domain::event::{ApplicantDetails, Personal, Written};
use retur_domain::*;

use crate::support::*;

fn family() -> ApplicationSpec {
    application().with(adult(2).as_(Relation::Child).born("2016-08-08"))
}

#[test]
fn erasure_removes_the_persons_details_and_keeps_the_state() {
    let submitted = story().submitted(&family());
    let erased = submitted
        .when(udi(), Action::ErasePersonalData { person: person(2) })
        .then(&["personal_data_erased"]);
    assert_eq!(erased.status(), Status::Submitted);
    let application = erased.case.application.as_ref().expect("an application");
    assert!(!application.details.contains_key(&person(2)));
    assert!(application.details.contains_key(&person(1)));
    assert!(erased.case.protection.erased.contains(&person(2)));
    assert_eq!(
        application.household.len(),
        2,
        "the household keeps the person, without their data"
    );
}

#[test]
fn nothing_more_is_recorded_about_an_erased_person() {
    let erased = story()
        .submitted(&application())
        .under_review()
        .then_do(udi(), Action::ErasePersonalData { person: person(1) });
    // A refusal's reasons are a statement about the principal applicant.
    let refusal = erased
        .when(
            udi(),
            Action::Refuse {
                reasons: statement("Reasons."),
                notified_on: date("2025-03-03"),
            },
        )
        .refused("person_erased");
    assert!(refusal.to_string().contains(&person(1).to_string()));
    erased
        .when(udi(), Action::ErasePersonalData { person: person(1) })
        .refused("person_erased");
    erased
        .when(
            udi(),
            Action::RestrictPersonalData {
                person: person(1),
                visible_to: [Role::Udi].into(),
            },
        )
        .refused("person_erased");
    // An approval needs the dates of birth, which are gone.
    erased
        .when(udi(), Action::approve())
        .refused("personal_data_erased");
}

#[test]
fn a_step_about_someone_else_in_the_household_goes_on() {
    let erased = story()
        .submitted(&family())
        .under_review()
        .approved()
        .handed_over()
        .then_do(udi(), Action::ErasePersonalData { person: person(2) });
    erased
        .when(iom(), sample_action(CommandKind::RequestTravelDocument))
        .then(&["travel_document_requested"]);
}

#[test]
fn restriction_names_who_may_see_and_is_lifted() {
    let submitted = story().submitted(&family());
    submitted
        .when(udi(), Action::LiftRestriction { person: person(1) })
        .refused("not_restricted");
    let restricted = submitted.then_do(
        udi(),
        Action::RestrictPersonalData {
            person: person(1),
            visible_to: [Role::Udi, Role::Auditor].into(),
        },
    );
    let protection = &restricted.case.protection;
    assert!(protection.may_see(Role::Udi, &person(1)));
    assert!(protection.may_see(Role::Auditor, &person(1)));
    assert!(!protection.may_see(Role::Une, &person(1)));
    assert!(!protection.may_see(Role::Iom, &person(1)));
    assert!(
        protection.may_see(Role::Iom, &person(2)),
        "only the person named is restricted"
    );
    assert_eq!(restricted.status(), Status::Submitted);
    let lifted = restricted
        .when(udi(), Action::LiftRestriction { person: person(1) })
        .then(&["restriction_lifted"]);
    assert!(lifted.case.protection.may_see(Role::Iom, &person(1)));
    let narrower = restricted.then_do(
        udi(),
        Action::RestrictPersonalData {
            person: person(1),
            visible_to: [Role::Auditor].into(),
        },
    );
    assert!(
        !narrower.case.protection.may_see(Role::Udi, &person(1)),
        "a new restriction replaces the one before"
    );
}

#[test]
fn only_udi_steps_in_and_only_about_the_household() {
    let submitted = story().submitted(&family());
    for actor in [une(), iom(), applicant(), system()] {
        submitted
            .when(actor, Action::ErasePersonalData { person: person(1) })
            .refused("wrong_role");
    }
    submitted
        .when(udi(), Action::ErasePersonalData { person: person(9) })
        .refused("unknown_person");
    story()
        .when(udi(), Action::ErasePersonalData { person: person(1) })
        .refused("wrong_state");
}

#[test]
fn a_closed_case_can_still_be_erased() {
    let closed = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-03")
        .on("2025-03-25")
        .then_do(system(), Action::CloseAppealWindow);
    closed
        .when(udi(), Action::ErasePersonalData { person: person(1) })
        .then(&["personal_data_erased"]);
}

#[test]
fn a_sealed_entry_reads_as_absent_and_an_open_one_as_itself() {
    let statement: Personal<Written> = serde_json::from_value(serde_json::json!({
        person(1).to_string(): { "sealed": "c2VhbGVk" },
        person(2).to_string(): { "text": "Said." },
    }))
    .expect("a personal map with one sealed entry reads");
    assert_eq!(statement.get(&person(1)), None);
    assert_eq!(
        statement.get(&person(2)).map(|w| w.text.as_str()),
        Some("Said.")
    );
    let wrong = serde_json::from_value::<Personal<Written>>(serde_json::json!({
        person(1).to_string(): { "said": "neither" },
    }));
    assert!(
        wrong.is_err(),
        "an entry that is neither sealed nor data is refused"
    );
    let details = serde_json::from_value::<Personal<ApplicantDetails>>(serde_json::json!({
        person(1).to_string(): { "sealed": "c2VhbGVk" },
    }))
    .expect("sealed details read");
    assert_eq!(details.0, BTreeMap::new());
}
