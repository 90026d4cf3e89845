//! Personal data sealed per person, erased by destroying the key, restricted to named roles.

use retur_app::{CommandError, Erased, Failure, Rejection};
use retur_domain::*;
use retur_store::RecordedEvent;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixture::*;

fn principal() -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(1))
}

fn child() -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(2))
}

/// The fixture's applicant with a daughter.
fn family() -> Action {
    let Action::Submit(mut application) = application() else {
        unreachable!("the fixture submits")
    };
    let principal = application.household.people().first().expect("a principal");
    let daughter = (
        application::HouseholdMember {
            person_id: child(),
            relation: application::Relation::Child,
        },
        application::PersonDetails {
            full_name: FullName::parse("Hanna Abebe").expect("a name"),
            date_of_birth: date("2016-08-08"),
            duf_number: None,
            circumstances: SpecialCircumstances::default(),
        },
    );
    application.household =
        application::Household::new((principal.0.clone(), principal.1.clone()), vec![daughter])
            .expect("a household");
    Action::Submit(application)
}

async fn stored(app: &App, case: CaseId) -> Vec<RecordedEvent> {
    app.cases
        .store()
        .read_stream(&retur_app::stream_id(case), 1, 1000)
        .await
        .expect("read")
}

fn personal_of(entry: &retur_app::HistoryEntry, person: PersonId) -> &Value {
    &entry.data["personal"][person.to_string()]
}

pub(crate) async fn personal_data_is_sealed_in_the_log_and_opened_for_its_readers(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, family()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(
        &udi(),
        case,
        Action::Refuse {
            reasons: statement("The reasons for this refusal."),
            notified_on: date("2025-03-03"),
        },
    )
    .await;

    let raw = stored(app, case).await;
    let text =
        serde_json::to_string(&raw.iter().map(|e| &e.payload).collect::<Vec<_>>()).expect("json");
    for secret in [
        "Abebe Bekele",
        "Hanna Abebe",
        "1985-05-20",
        "2016-08-08",
        "Addis Ababa",
        "The reasons for this refusal.",
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} is in the log in the clear"
        );
    }
    for event in &raw {
        if let Some(personal) = event.payload["personal"].as_object() {
            for entry in personal.values() {
                assert!(entry["sealed"].is_string(), "an open entry: {entry}");
            }
        }
    }

    let history = app.cases.history(&udi(), case).await.expect("history");
    assert_eq!(
        personal_of(&history[0], child())["full_name"],
        "Hanna Abebe"
    );
    assert_eq!(
        personal_of(&history[2], principal())["text"],
        "The reasons for this refusal."
    );
    let loaded = app.cases.load(case).await.expect("load");
    let details = &loaded.case.application.expect("applied").details;
    assert_eq!(details.len(), 2);
    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.not_replayable, 0, "every command decides again");
}

pub(crate) async fn an_erased_person_reads_as_erased_and_the_log_still_verifies(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, family()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(&udi(), case, Action::approve()).await;
    app.ok(&udi(), case, Action::HandOverToIom).await;
    let before = stored(app, case).await;

    let erased = app
        .cases
        .erase_person(&udi(), child())
        .await
        .expect("erased");
    assert_eq!(erased, [(case, Erased::Recorded { version: 5 })]);

    // The log is as it was, with one event more: not a byte of it rewritten.
    let after = stored(app, case).await;
    assert_eq!(after[..4], before[..]);
    assert_eq!(after[4].event_type, "personal_data_erased");
    assert_eq!(
        after[4].payload,
        json!({ "person": child(), "erased_on": "2025-03-03" })
    );

    for reader in [udi(), auditor(), applicant_of(case), iom()] {
        let history = app.cases.history(&reader, case).await.expect("history");
        assert_eq!(personal_of(&history[0], child()), "erased");
        assert_eq!(
            personal_of(&history[0], principal())["full_name"],
            "Abebe Bekele",
            "the rest of the household is untouched"
        );
        let json = serde_json::to_string(&history).expect("json");
        assert!(!json.contains("Hanna") && !json.contains("2016-08-08"));
    }
    let loaded = app.cases.load(case).await.expect("load");
    assert!(loaded.case.protection.erased.contains(&child()));
    let application = loaded.case.application.expect("applied");
    assert!(!application.details.contains_key(&child()));
    assert!(application.details.contains_key(&principal()));
    assert_eq!(loaded.case.status, Status::HandedToIom);
    let vault = app.cases.keys();
    assert_eq!(
        vault.person(child().as_uuid()).await.expect("vault"),
        Some((vec![retur_app::stream_id(case)], true))
    );
    assert!(
        vault
            .keys_for_opening(&[child().as_uuid()])
            .await
            .expect("vault")
            .is_empty()
    );

    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(report.chain.is_intact(), "{:?}", report.chain);
    assert_eq!(report.first_illegal, None);
    // The submission and the approval needed the daughter's data: they cannot be decided
    // again. The review, the hand-over and the erasure can.
    assert_eq!((report.not_replayable, report.commands_replayed), (2, 3));

    assert_eq!(
        app.cases
            .erase_person(&udi(), child())
            .await
            .expect("again"),
        [(case, Erased::Already)],
        "erasing again changes nothing"
    );
    assert_eq!(stored(app, case).await.len(), 5);
    match app
        .cases
        .erase_person(&udi(), PersonId::from_uuid(Uuid::from_u128(77)))
        .await
    {
        Err(CommandError::Rejected(Rejection::Refused(Refusal::UnknownPerson(_)))) => {}
        other => panic!("a person never seen is named, not erased: {other:?}"),
    }
    for (caller, person) in [
        (iom(), principal()),
        (auditor(), principal()),
        (iom(), PersonId::from_uuid(Uuid::from_u128(77))),
    ] {
        match app.cases.erase_person(&caller, person).await {
            Err(CommandError::Rejected(Rejection::Forbidden(_))) => {}
            other => panic!("only UDI erases, and others learn nothing: {other:?}"),
        }
    }
    let history = app.cases.history(&udi(), case).await.expect("history");
    assert_eq!(
        personal_of(&history[0], principal())["full_name"],
        "Abebe Bekele",
        "a refused erasure destroys nothing"
    );
}

pub(crate) async fn nothing_more_is_recorded_about_an_erased_person(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    // The command itself, as a handler takes it, destroys the key before it records it.
    app.ok(
        &udi(),
        case,
        Action::ErasePersonalData {
            person: principal(),
        },
    )
    .await;
    let history = app.cases.history(&udi(), case).await.expect("history");
    assert_eq!(personal_of(&history[0], principal()), "erased");
    let refused = app
        .give(
            &udi(),
            case,
            Action::Refuse {
                reasons: statement("Reasons about someone erased."),
                notified_on: date("2025-03-03"),
            },
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(CommandError::Rejected(Rejection::Refused(Refusal::PersonErased(p)))) if p == principal()
        ),
        "{refused:?}"
    );
    let approve = app.give(&udi(), case, Action::approve()).await;
    assert!(
        matches!(
            approve,
            Err(CommandError::Rejected(Rejection::Refused(
                Refusal::PersonalDataErased(_)
            )))
        ),
        "{approve:?}"
    );
    assert_eq!(stored(app, case).await.len(), 3, "nothing was written");
}

pub(crate) async fn a_restricted_persons_data_is_shown_only_to_the_roles_named(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, family()).await;
    // Handed over, so that IOM, whom the restriction does not name, reads the case.
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(&udi(), case, Action::approve()).await;
    app.ok(&udi(), case, Action::HandOverToIom).await;
    app.ok(
        &udi(),
        case,
        Action::RestrictPersonalData {
            person: child(),
            visible_to: [Role::Udi, Role::Auditor].into(),
        },
    )
    .await;
    for reader in [udi(), auditor()] {
        let history = app.cases.history(&reader, case).await.expect("history");
        assert_eq!(
            personal_of(&history[0], child())["full_name"],
            "Hanna Abebe"
        );
        assert!(!history[0].redacted);
    }
    for reader in [iom(), applicant_of(case)] {
        let history = app.cases.history(&reader, case).await.expect("history");
        assert_eq!(personal_of(&history[0], child()), "restricted");
        assert!(
            history[0].redacted,
            "the reader is told something was withheld"
        );
        assert_eq!(
            personal_of(&history[0], principal())["full_name"],
            "Abebe Bekele"
        );
    }
    app.ok(&udi(), case, Action::LiftRestriction { person: child() })
        .await;
    let history = app.cases.history(&iom(), case).await.expect("history");
    assert_eq!(
        personal_of(&history[0], child())["full_name"],
        "Hanna Abebe"
    );
    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(
        report.is_clean() && report.not_replayable == 0,
        "{report:?}"
    );
}

pub(crate) async fn sealed_data_altered_or_moved_is_refused_not_misread(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    let submitted = &stored(app, case).await[0];
    let sealed = submitted.payload["personal"][principal().to_string()].clone();
    // The principal's sealed details, moved into a refusal as if they were its reasons.
    let forged = app
        .cases
        .store()
        .append(retur_store::AppendRequest {
            stream_id: retur_app::stream_id(case),
            expected_version: 2,
            command_id: Uuid::now_v7(),
            metadata: retur_store::Metadata {
                actor: "udi-mallory".into(),
                role: "udi".into(),
                correlation_id: Uuid::now_v7(),
                causation_id: None,
                decided_at: Some(chrono::Utc::now()),
            },
            events: vec![retur_store::NewEvent {
                event_id: Uuid::now_v7(),
                event_type: "application_refused".into(),
                schema_version: 1,
                payload: json!({
                    "refused_on": "2025-03-03",
                    "notified_on": "2025-03-03",
                    "appeal_deadline": "2025-03-24",
                    "rules": submitted.payload["rules"],
                    "personal": { principal().to_string(): sealed },
                }),
            }],
            summary: None,
        })
        .await
        .expect("the store takes any well-formed envelope")
        .first_position;
    match app.cases.load(case).await {
        Err(Failure::Unreadable { position, problem }) => {
            assert_eq!(position, forged);
            assert!(problem.contains("does not open"), "{problem}");
        }
        other => panic!("moved sealed data must not open: {other:?}"),
    }
    let report = app.cases.verify(|_| {}).await.expect("verify");
    let illegal = report.first_illegal.expect("found");
    assert_eq!(illegal.position, forged);
    assert!(
        illegal.problem().contains("does not open"),
        "{}",
        illegal.problem()
    );
}
