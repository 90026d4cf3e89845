//! Trying a command without writing, and the commands offered on a case: the pages show only
//! what can succeed, and what an approval would grant before it is given.

use retur_app::{Caller, CommandError, Rejection};
use retur_domain::testing;
use retur_domain::*;

use crate::fixture::*;

/// What approval would record is what approving records, and trying it writes nothing.
pub(crate) async fn trying_an_approval_writes_nothing_and_gives_what_approving_gives(app: &App) {
    app.on_day("2026-03-02");
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    let approve = || Action::Approve {
        particularly_vulnerable: Default::default(),
    };
    let before = app.cases.status(&udi(), case).await.unwrap().unwrap();
    let tried = app.cases.try_action(&udi(), case, approve()).await.unwrap();
    let after = app.cases.status(&udi(), case).await.unwrap().unwrap();
    assert_eq!(before.version, after.version, "nothing was written");
    assert_eq!(after.status, Status::UnderReview);
    let approved = app.ok(&udi(), case, approve()).await;
    assert_eq!(tried, approved.events, "the same decision, the same events");
    // Tried by a role that may not give it, or on a case outside the caller's part, it is
    // refused as `handle` refuses it.
    let wrong = app
        .cases
        .try_action(&iom(), case, Action::BeginReview)
        .await;
    assert!(
        matches!(wrong, Err(CommandError::Rejected(Rejection::Forbidden(_)))),
        "{wrong:?}"
    );
}

/// The commands offered are the lifecycle's for the role and state, less those that would be
/// refused now.
pub(crate) async fn only_commands_that_can_succeed_are_offered(app: &App) {
    app.on_day("2026-03-02");
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    let status = |caller| async move { app.cases.status(&caller, case).await.unwrap().unwrap() };
    let offered = app
        .cases
        .offered(&udi(), case, &status(udi()).await)
        .await
        .unwrap();
    assert!(offered.contains(&CommandKind::BeginReview), "{offered:?}");
    // Approving a submitted case is refused (it must be under review first): not offered.
    assert!(!offered.contains(&CommandKind::Approve), "{offered:?}");
    app.ok(&udi(), case, Action::BeginReview).await;
    let offered = app
        .cases
        .offered(&udi(), case, &status(udi()).await)
        .await
        .unwrap();
    assert!(offered.contains(&CommandKind::Approve), "{offered:?}");
    // A command that needs what the caseworker types is offered when the state allows it.
    assert!(offered.contains(&CommandKind::Refuse), "{offered:?}");
    // The applicant may withdraw; IOM has nothing to do on a case not handed over.
    let mine = app
        .cases
        .offered(&applicant_of(case), case, &status(applicant_of(case)).await)
        .await
        .unwrap();
    assert_eq!(mine, [CommandKind::Withdraw]);
    let theirs = app
        .cases
        .offered(&iom(), case, &status(udi()).await)
        .await
        .unwrap();
    assert!(theirs.is_empty(), "{theirs:?}");
    // When the case moves on, what is offered follows it: a withdrawn case offers no approval.
    app.ok(&applicant_of(case), case, Action::Withdraw).await;
    let fresh = status(udi()).await;
    assert_eq!(fresh.status, Status::Withdrawn);
    let after = app.cases.offered(&udi(), case, &fresh).await.unwrap();
    assert!(!after.contains(&CommandKind::Approve), "{after:?}");
}

/// A command that needs what the caller types is tried with stand-ins, and offered only if
/// the case's own rules would take it: no booking while a travel document is pending, no
/// document recorded that nobody requested, no restriction lifted that was never made, no
/// tranche before the self-declaration.
pub(crate) async fn a_command_that_needs_input_is_offered_only_if_the_case_allows_it(app: &App) {
    app.on_day("2026-03-02");
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    for action in [
        Action::BeginReview,
        Action::Approve {
            particularly_vulnerable: Default::default(),
        },
        Action::HandOverToIom,
    ] {
        app.ok(&udi(), case, action).await;
    }
    let offered = |caller: Caller| async move {
        let status = app.cases.status(&caller, case).await.unwrap().unwrap();
        app.cases.offered(&caller, case, &status).await.unwrap()
    };
    let principal = PersonId::from_uuid(uuid::Uuid::from_u128(1));
    let now = offered(iom()).await;
    assert!(now.contains(&CommandKind::BookDeparture), "{now:?}");
    assert!(now.contains(&CommandKind::RequestTravelDocument), "{now:?}");
    assert!(
        !now.contains(&CommandKind::RecordTravelDocument),
        "none requested: {now:?}"
    );
    let udi_now = offered(udi()).await;
    assert!(
        udi_now.contains(&CommandKind::RestrictPersonalData),
        "{udi_now:?}"
    );
    assert!(
        !udi_now.contains(&CommandKind::LiftRestriction),
        "nothing restricted: {udi_now:?}"
    );

    // A passport requested: it may be recorded, and there is no booking until it is.
    app.ok(
        &iom(),
        case,
        Action::RequestTravelDocument {
            persons: vec![principal],
            document: retur_domain::travel::TravelDocumentKind::Passport,
            issuing_country: testing::country("ET"),
        },
    )
    .await;
    let now = offered(iom()).await;
    assert!(
        !now.contains(&CommandKind::BookDeparture),
        "document pending: {now:?}"
    );
    assert!(now.contains(&CommandKind::RecordTravelDocument), "{now:?}");
    app.ok(
        &iom(),
        case,
        Action::RecordTravelDocument {
            person_id: principal,
            document: retur_domain::travel::TravelDocumentKind::Passport,
            number: retur_domain::travel::DocumentNumber::parse("EP1234567").unwrap(),
            valid_until: testing::date("2030-01-01"),
        },
    )
    .await;
    let now = offered(iom()).await;
    assert!(now.contains(&CommandKind::BookDeparture), "{now:?}");
    assert!(
        !now.contains(&CommandKind::RecordTravelDocument),
        "all recorded: {now:?}"
    );

    // Restricted, the restriction may be lifted.
    app.ok(
        &udi(),
        case,
        Action::RestrictPersonalData {
            person: principal,
            visible_to: [Role::Udi, Role::Auditor].into(),
        },
    )
    .await;
    let udi_now = offered(udi()).await;
    assert!(
        udi_now.contains(&CommandKind::LiftRestriction),
        "{udi_now:?}"
    );

    // Departed and arrived: no tranche before the self-declaration, one after it.
    app.ok(
        &iom(),
        case,
        Action::BookDeparture(testing::booking("2026-03-02")),
    )
    .await;
    app.ok(
        &iom(),
        case,
        Action::ConfirmDeparture {
            departed_on: testing::date("2026-03-02"),
        },
    )
    .await;
    app.ok(
        &iom(),
        case,
        Action::ConfirmArrival {
            arrived_on: testing::date("2026-03-02"),
        },
    )
    .await;
    let now = offered(iom()).await;
    assert!(
        !now.contains(&CommandKind::PayReintegrationTranche),
        "no self-declaration: {now:?}"
    );
    app.ok(
        &iom(),
        case,
        Action::RecordSelfDeclaration {
            signed_on: testing::date("2026-03-02"),
        },
    )
    .await;
    let now = offered(iom()).await;
    assert!(
        now.contains(&CommandKind::PayReintegrationTranche),
        "{now:?}"
    );
}
