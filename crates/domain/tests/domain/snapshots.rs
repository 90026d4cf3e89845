//! Events are a permanent contract: the JSON of every event type is pinned by a snapshot, and
//! every stored form reads back as the same event. A changed snapshot needs an upcaster.

use std::collections::BTreeMap;

use retur_domain::event::{EVENT_TYPES, Event};
use retur_domain::travel::{DismissalGround, LateAppealGround};
use retur_domain::*;

use crate::support::*;

/// Histories that between them record every event type.
fn histories() -> Vec<Story> {
    let family = application().with(adult(2).as_(Relation::Child).born("2016-08-08"));
    let main = Story::arrived_case(&family)
        .then_do(
            iom(),
            Action::RecordSelfDeclaration {
                signed_on: date("2025-04-01"),
            },
        )
        .then_do(iom(), Action::PayPocketMoney)
        .on("2025-04-30")
        .then_do(system(), Action::FlagPayoutOverdue)
        .then_do(
            iom(),
            Action::PayReintegrationTranche {
                amount: Money::nok(40_000),
                rates: rates("10.50", "ETB", "57.25"),
                payee: bank_transfer(1),
            },
        )
        .then_do(iom(), Action::CloseCase)
        .on("2026-01-10")
        .then_do(
            udi(),
            Action::RecordReEntry {
                re_entered_on: date("2026-01-05"),
            },
        )
        .then_do(
            udi(),
            Action::ClaimRepayment {
                amount: Money::nok(20_000),
            },
        );
    let travel = story()
        .submitted(&application())
        .under_review()
        .approved()
        .handed_over()
        .then_do(iom(), sample_action(CommandKind::RequestTravelDocument))
        .then_do(iom(), sample_action(CommandKind::RecordTravelDocument))
        .booked("2025-04-01")
        .then_do(iom(), sample_action(CommandKind::RescheduleDeparture))
        .on("2025-04-08")
        .then_do(iom(), Action::ReportNoShow)
        .then_do(iom(), sample_action(CommandKind::RebookDeparture));
    let refused = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-03");
    let appealed = refused.appealed();
    let late = refused
        .on("2025-03-26")
        .then_do(system(), Action::CloseAppealWindow)
        .on("2025-03-28")
        .then_do(applicant(), appeal(Some("2025-03-27")));
    vec![
        main,
        travel.clone(),
        travel
            .revoked("2025-04-08")
            .then_do(applicant(), Action::Withdraw),
        refused
            .on("2025-03-25")
            .then_do(system(), Action::CloseAppealWindow),
        appealed.then_do(
            udi(),
            Action::ReverseDecision {
                reasoning: statement("Reconsidered."),
                particularly_vulnerable: Default::default(),
            },
        ),
        appealed.then_do(
            udi(),
            Action::DismissAppeal {
                ground: DismissalGround::Late,
                reasoning: statement("Late."),
            },
        ),
        appealed.forwarded().then_do(
            une(),
            Action::AllowAppeal {
                reasoning: statement("Allowed."),
                particularly_vulnerable: Default::default(),
            },
        ),
        appealed.forwarded().then_do(
            une(),
            Action::RejectAppeal {
                reasoning: statement("Rejected."),
            },
        ),
        appealed.forwarded().then_do(
            une(),
            Action::QuashDecision {
                reasoning: statement("Quashed."),
            },
        ),
        story()
            .submitted(&application())
            .under_review()
            .approved()
            .on("2025-09-01")
            .then_do(system(), Action::LapseTravelDeadline),
        story().submitted(&application()).then_do(
            udi(),
            Action::RecordForcedReturn {
                returned_on: date("2025-03-03"),
            },
        ),
        story()
            .submitted(&application())
            .then_do(udi(), sample_action(CommandKind::RestrictPersonalData))
            .then_do(udi(), sample_action(CommandKind::LiftRestriction))
            .then_do(udi(), sample_action(CommandKind::ErasePersonalData)),
        late.then_do(
            udi(),
            Action::AcceptLateAppeal {
                ground: LateAppealGround::NotToBlame,
                reasoning: statement("The letter was delayed in the post."),
            },
        ),
    ]
}

/// The first event of each type, by type.
fn one_of_each() -> BTreeMap<&'static str, Event> {
    let mut found = BTreeMap::new();
    for history in histories() {
        for event in history.events {
            found.entry(event.event_type()).or_insert(event);
        }
    }
    found
}

#[test]
fn every_event_type_is_pinned_by_a_snapshot() {
    let events = one_of_each();
    let missing: Vec<&str> = EVENT_TYPES
        .iter()
        .copied()
        .filter(|t| !events.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "no history records {missing:?}");
    for (event_type, event) in &events {
        insta::assert_json_snapshot!(*event_type, event);
    }
}

/// The first event of each type is an appeal in time; a late one is pinned too.
#[test]
fn a_late_appeal_is_pinned_by_a_snapshot() {
    let late = histories()
        .into_iter()
        .flat_map(|history| history.events)
        .find(|event| matches!(event, Event::AppealLodged(e) if e.missed_deadline.is_some()))
        .expect("a history records a late appeal");
    insta::assert_json_snapshot!("appeal_lodged_late", late);
}

/// `appeal_lodged` as it was stored before it recorded the posting date: an appeal then was
/// judged by its registration day, and refused when that was late.
const APPEAL_LODGED_BEFORE_POSTING_DATES: &str = r#"{
    "lodged_on": "2025-03-20",
    "against": "refusal",
    "personal": {
      "00000000-0000-0000-0000-000000000001": {
        "text": "The Swedish permit expired in 2023."
      }
    }
}"#;

#[test]
fn an_appeal_stored_before_posting_dates_reads_back_as_posted_the_day_it_was_registered() {
    let payload: serde_json::Value =
        serde_json::from_str(APPEAL_LODGED_BEFORE_POSTING_DATES).expect("json");
    let read = Event::decode("appeal_lodged", 1, &payload).expect("the old form reads");
    let Event::AppealLodged(appeal) = &read else {
        panic!("an appeal: {read:?}")
    };
    assert_eq!(
        (appeal.lodged_on, appeal.posted_on, appeal.missed_deadline),
        (date("2025-03-20"), date("2025-03-20"), None)
    );
    // The audit turns it back into the command and decides it again on the case as it stood:
    // the same event, so a log written before the change still verifies.
    let refused = story()
        .submitted(&application())
        .under_review()
        .refused("2025-03-04")
        .on("2025-03-20");
    let again = refused
        .when(
            applicant(),
            retur_domain::decide::command_of(std::slice::from_ref(&read)).expect("a command"),
        )
        .events();
    assert_eq!(again, vec![read]);
}

#[test]
fn every_event_reads_back_from_its_stored_form() {
    for event in one_of_each().into_values() {
        let read = Event::decode(event.event_type(), event.schema_version(), &event.payload());
        assert_eq!(
            read.as_ref().ok(),
            Some(&event),
            "{}: {read:?}",
            event.event_type()
        );
    }
}

#[test]
fn a_stored_event_that_does_not_read_says_why() {
    let unknown =
        Event::decode("application_teleported", 1, &serde_json::json!({})).expect_err("unknown");
    assert_eq!(
        unknown.to_string(),
        "unknown event type \"application_teleported\""
    );
    let future = Event::decode(
        "case_closed",
        2,
        &serde_json::json!({ "closed_on": "2025-01-01" }),
    )
    .expect_err("v2");
    assert!(future.to_string().contains("schema version 2"), "{future}");
    let broken = Event::decode(
        "case_closed",
        1,
        &serde_json::json!({ "closed_on": "yesterday" }),
    )
    .expect_err("bad");
    assert!(
        broken.to_string().contains("case_closed") && broken.to_string().contains("payload"),
        "{broken}"
    );
    let bad_country = Event::decode("travel_document_requested", 1, &serde_json::json!({
        "requested_on": "2025-01-01", "persons": [], "document": "passport", "issuing_country": "QQ"
    }))
    .expect_err("bad country");
    assert!(bad_country.to_string().contains("QQ"), "{bad_country}");
}

#[test]
fn each_type_name_is_the_one_its_event_carries() {
    for (event_type, event) in one_of_each() {
        assert_eq!(event.event_type(), event_type);
        let tagged = serde_json::to_value(&event).expect("json");
        assert_eq!(tagged["type"], event_type);
    }
}

#[test]
fn exactly_the_events_that_carry_statements_are_listed_as_such() {
    use retur_domain::event::STATEMENT_EVENT_TYPES;
    for (event_type, event) in one_of_each() {
        let payload = event.payload();
        let has_statement = payload["personal"]
            .as_object()
            .is_some_and(|people| people.values().any(|entry| entry.get("text").is_some()));
        assert_eq!(
            has_statement,
            STATEMENT_EVENT_TYPES.contains(&event_type),
            "{event_type}: whether it carries a statement and whether it is listed must agree"
        );
    }
}

#[test]
fn an_events_people_with_data_are_the_keys_of_its_personal_map() {
    for (event_type, event) in one_of_each() {
        let payload = event.payload();
        let mut keyed: Vec<PersonId> = payload
            .get("personal")
            .and_then(|personal| personal.as_object())
            .map(|personal| {
                personal
                    .keys()
                    .map(|k| k.parse().expect("a person id"))
                    .collect()
            })
            .unwrap_or_default();
        keyed.sort();
        assert_eq!(event.persons_with_data(), keyed, "{event_type}");
    }
}

/// An approval with in-kind support in EUR, one person judged particularly vulnerable: the
/// itemised form of the grant (schema version 2) pinned beside the standard one.
#[test]
fn an_approval_with_itemised_in_kind_support_is_pinned() {
    let morocco = application()
        .nationality("MA")
        .with(adult(2).as_(Relation::Child).born("2016-08-08"));
    let approved = story()
        .on("2026-12-01")
        .submitted(&morocco)
        .under_review()
        .then_do(
            udi(),
            Action::Approve {
                particularly_vulnerable: [person(2)].into(),
            },
        );
    let event = approved.last();
    assert_eq!(event.schema_version(), 2);
    insta::assert_json_snapshot!("application_approved_itemised", event);
    let read = Event::decode(event.event_type(), 2, &event.payload()).expect("reads back");
    assert_eq!(&read, event);
}

/// `application_approved` as schema version 1 stored it: the grant's in-kind support one NOK
/// amount, and no `particularly_vulnerable`.
fn approval_v1(in_kind_ore: i64) -> serde_json::Value {
    serde_json::json!({
        "approved_on": "2025-03-10",
        "travel_deadline": "2025-09-06",
        "grant": {
            "rate_table": "standard-2024",
            "tier": "before_deadline",
            "country_programme": "IQ",
            "persons": [{
                "person_id": "00000000-0000-0000-0000-000000000001",
                "age_group": "adult",
                "cash": { "currency": "NOK", "minor_units": 1500000 }
            }],
            "cash": { "currency": "NOK", "minor_units": 1500000 },
            "in_kind": { "currency": "NOK", "minor_units": in_kind_ore },
            "schedule": [{
                "months_after_arrival": 0,
                "amount": { "currency": "NOK", "minor_units": 1500000 }
            }]
        },
        "rules": {
            "effective_on": "2025-03-03",
            "digest": "461b35478820ddb34a0655150d5daf524a3add66db99e23cf76e25ae3e7308e7"
        }
    })
}

#[test]
fn an_approval_stored_at_schema_version_1_still_reads() {
    use retur_domain::grant::InKindSupport;
    let Event::ApplicationApproved(read) =
        Event::decode("application_approved", 1, &approval_v1(3_000_000)).expect("v1 reads")
    else {
        panic!("an approval")
    };
    assert_eq!(
        read.grant.in_kind,
        vec![InKindSupport::unitemised(Money::nok(30_000))],
        "the NOK amount is one item with no provider"
    );
    assert!(read.particularly_vulnerable.is_empty());
    let Event::ApplicationApproved(none) =
        Event::decode("application_approved", 1, &approval_v1(0)).expect("v1 reads")
    else {
        panic!("an approval")
    };
    assert!(none.grant.in_kind.is_empty(), "zero in kind is no item");

    let future = Event::decode("application_approved", 3, &approval_v1(0)).expect_err("v3");
    assert!(future.to_string().contains("versions 1 to 2"), "{future}");
    assert!(
        Event::decode(
            "case_closed",
            2,
            &serde_json::json!({ "closed_on": "2025-01-01" })
        )
        .is_err()
    );
}

/// A read model keeps folded cases as JSON (the case index): one written before the grant's
/// in-kind support became a list still reads.
#[test]
fn a_case_kept_before_in_kind_support_was_itemised_still_reads() {
    let approved = Story::arrived_case(&application().nationality("IQ"));
    let mut kept = serde_json::to_value(&approved.case).expect("json");
    kept["approval"]["grant"]["in_kind"] =
        serde_json::json!({ "currency": "NOK", "minor_units": 3_000_000 });
    kept["approval"]
        .as_object_mut()
        .expect("an approval")
        .remove("particularly_vulnerable");
    kept["payout"]
        .as_object_mut()
        .expect("a payout")
        .remove("overdue_flagged_through");
    let read: Case = serde_json::from_value(kept).expect("the old case reads");
    assert_eq!(read.status, approved.case.status);
    assert_eq!(
        read.approval.map(|a| a.grant.in_kind_totals()),
        Some(vec![Money::nok(30_000)])
    );
}
