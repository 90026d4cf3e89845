//! Trying a command without writing, and the commands offered on a case: the pages show only
//! what can succeed, and what an approval would grant before it is given.

use retur_app::{CommandError, Rejection};
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
/// refused now: a case whose travel documents are pending offers no booking.
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
