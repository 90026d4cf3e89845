//! Commands through the application on a real store.

use std::sync::Arc;

use retur_app::{CaseStatus, CommandError, DeadlineKind, Rejection};
use retur_domain::command::Payee;
use retur_domain::*;

use crate::fixture::*;

pub(crate) use crate::derived::*;
pub(crate) use crate::erasure::*;
pub(crate) use crate::notes::*;
pub(crate) use crate::offered::*;

pub(crate) async fn a_case_runs_from_application_to_closure_and_its_status_is_read_at_once(
    app: &App,
) {
    let case = new_case();
    let submitted = app.ok(&applicant_of(case), case, application()).await;
    assert_eq!((submitted.version, submitted.events.len()), (1, 1));
    let status = app
        .cases
        .status(&udi(), case)
        .await
        .expect("read")
        .expect("a status");
    assert_eq!(
        (status.status, status.owner, status.version),
        (Status::Submitted, Some(Role::Udi), 1)
    );
    assert_eq!(status.detail.household_size, 1);

    app.ok(&udi(), case, Action::BeginReview).await;
    app.on_day("2025-03-10");
    let approved = app.ok(&udi(), case, Action::approve()).await;
    let status = approved.status.expect("a status");
    assert_eq!(status.status, Status::Approved);
    assert_eq!(status.detail.approved_cash, Money::nok(15_000));
    let deadline = status.next_deadline.expect("a travel deadline");
    assert_eq!(
        (deadline.kind, deadline.on),
        (DeadlineKind::TravelDeadline, date("2025-09-06"))
    );

    app.ok(&udi(), case, Action::HandOverToIom).await;
    app.ok(&iom(), case, Action::BookDeparture(booking("2025-04-01")))
        .await;
    app.ok(
        &iom(),
        case,
        Action::RecordSelfDeclaration {
            signed_on: date("2025-03-10"),
        },
    )
    .await;
    app.on_day("2025-04-01");
    app.ok(
        &iom(),
        case,
        Action::ConfirmDeparture {
            departed_on: date("2025-04-01"),
        },
    )
    .await;
    app.ok(&iom(), case, Action::PayPocketMoney).await;
    app.ok(
        &iom(),
        case,
        Action::ConfirmArrival {
            arrived_on: date("2025-04-01"),
        },
    )
    .await;
    let status = app
        .cases
        .status(&iom(), case)
        .await
        .expect("read")
        .expect("a status");
    let payout = status.next_deadline.expect("a payout target");
    assert_eq!(
        (payout.kind, payout.on),
        (DeadlineKind::PayoutTarget, date("2025-04-22"))
    );

    let rates = ExchangeRates {
        nok_per_usd: PerUsd::parse("10.5").expect("rate"),
        local_currency: Currency::parse("ETB").expect("ETB"),
        local_per_usd: PerUsd::parse("57.25").expect("rate"),
    };
    let paid = app
        .ok(
            &iom(),
            case,
            Action::PayReintegrationTranche {
                amount: Money::nok(15_000),
                rates,
                payee: Payee::Cash,
            },
        )
        .await;
    assert_eq!(
        paid.status.as_ref().map(|s| (s.status, s.detail.paid)),
        Some((Status::PaidOut, Money::nok(15_000)))
    );
    let closed = app.ok(&iom(), case, Action::CloseCase).await;
    assert_eq!(closed.version, 11);
    let status = app
        .cases
        .status(&udi(), case)
        .await
        .expect("read")
        .expect("a status");
    assert_eq!(
        (status.status, status.owner, status.next_deadline),
        (Status::Closed, None, None)
    );
}

pub(crate) async fn a_caller_outside_their_part_is_forbidden_and_nothing_is_written(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    for (caller, action) in [
        (iom(), Action::BeginReview),
        (auditor(), Action::BeginReview),
        (udi(), Action::Withdraw),
    ] {
        let kind = action.kind();
        match app.give(&caller, case, action).await {
            Err(CommandError::Rejected(Rejection::Forbidden(forbidden))) => {
                assert_eq!(forbidden.command, Some(kind));
                assert!(
                    forbidden.reason.contains(kind.owner().as_str()),
                    "{forbidden}"
                );
            }
            other => panic!(
                "{kind} by {}: expected forbidden, got {other:?}",
                caller.actor.role
            ),
        }
    }
    assert_eq!(
        app.cases.load(case).await.expect("load").version,
        1,
        "nothing was written"
    );
}

pub(crate) async fn an_applicant_reaches_only_their_own_cases(app: &App) {
    let mine = new_case();
    let theirs = new_case();
    app.ok(&applicant_of(mine), mine, application()).await;
    app.ok(&applicant_of(theirs), theirs, application()).await;
    let me = applicant_of(mine);
    let refused = app.give(&me, theirs, Action::Withdraw).await;
    assert!(
        matches!(
            refused,
            Err(CommandError::Rejected(Rejection::Forbidden(_)))
        ),
        "{refused:?}"
    );
    assert!(
        app.cases.status(&me, theirs).await.is_err(),
        "an applicant does not see another case"
    );
    assert!(
        app.cases
            .status(&me, mine)
            .await
            .expect("own case")
            .is_some()
    );
    app.ok(&me, mine, Action::Withdraw).await;
    assert_eq!(
        app.cases.load(theirs).await.expect("load").case.status,
        Status::Submitted
    );
}

pub(crate) async fn a_refusal_by_a_rule_writes_nothing_and_is_not_a_failure(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    match app.give(&udi(), case, Action::approve()).await {
        Err(CommandError::Rejected(Rejection::Refused(refusal))) => {
            assert_eq!(
                refusal,
                Refusal::WrongState {
                    command: CommandKind::Approve,
                    status: Status::Submitted
                }
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Only a submission creates a case: any other command names no case.
    let unknown = new_case();
    let missing = app.give(&udi(), unknown, Action::BeginReview).await;
    assert!(
        matches!(
            missing,
            Err(CommandError::Rejected(Rejection::NoSuchCase { case_id })) if case_id == unknown
        ),
        "{missing:?}"
    );
    assert_eq!(app.cases.load(case).await.expect("load").version, 1);
}

pub(crate) async fn a_retried_command_gets_its_first_outcome_after_the_case_moved_on(app: &App) {
    let case = new_case();
    let submit = request(case, application());
    let first = app
        .cases
        .handle(&applicant_of(case), submit.clone())
        .await
        .expect("first");
    app.ok(&udi(), case, Action::BeginReview).await;
    // The retry would now be refused (the case exists), but it is the same command: it gets
    // the first answer, and nothing is written.
    let again = app
        .cases
        .handle(&applicant_of(case), submit)
        .await
        .expect("retry");
    assert!(again.already_handled);
    assert_eq!(
        (again.version, again.first_position, again.last_position),
        (first.version, first.first_position, first.last_position)
    );
    assert_eq!(again.events, first.events);
    assert_eq!(app.cases.load(case).await.expect("load").version, 2);
}

pub(crate) async fn a_command_id_used_for_another_case_is_rejected(app: &App) {
    let case = new_case();
    let submit = request(case, application());
    app.cases
        .handle(&applicant_of(case), submit.clone())
        .await
        .expect("first");
    let other = new_case();
    let reused = retur_app::CommandRequest {
        case_id: other,
        ..submit
    };
    let refused = app.cases.handle(&applicant_of(other), reused).await;
    assert!(
        matches!(
            refused,
            Err(CommandError::Rejected(Rejection::CommandIdReused { .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(app.cases.load(other).await.expect("load").version, 0);
}

pub(crate) async fn a_stale_expected_version_is_rejected_with_the_current_one(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    let stale = retur_app::CommandRequest {
        expected_version: Some(1),
        ..request(case, Action::approve())
    };
    match app.cases.handle(&udi(), stale).await {
        Err(CommandError::Rejected(Rejection::VersionMismatch { expected, actual })) => {
            assert_eq!((expected, actual), (1, 2))
        }
        other => panic!("expected a version mismatch, got {other:?}"),
    }
    let current = retur_app::CommandRequest {
        expected_version: Some(2),
        ..request(case, Action::approve())
    };
    assert_eq!(
        app.cases
            .handle(&udi(), current)
            .await
            .expect("approve")
            .version,
        3
    );
}

pub(crate) async fn of_two_conflicting_decisions_one_wins_and_the_other_is_refused_cleanly(
    app: &App,
) {
    for _ in 0..5 {
        let case = new_case();
        app.ok(&applicant_of(case), case, application()).await;
        app.ok(&udi(), case, Action::BeginReview).await;
        let refuse = Action::Refuse {
            reasons: statement("Holds a permit elsewhere."),
            notified_on: date("2025-03-03"),
        };
        let cases = Arc::new(app.cases.clone());
        let (a, b) = (Arc::clone(&cases), Arc::clone(&cases));
        let approving =
            tokio::spawn(async move { a.handle(&udi(), request(case, Action::approve())).await });
        let refusing =
            tokio::spawn(async move { b.handle(&udi_other(), request(case, refuse)).await });
        let outcomes = [
            approving.await.expect("task"),
            refusing.await.expect("task"),
        ];
        let won = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(won, 1, "exactly one decision stands: {outcomes:?}");
        for outcome in &outcomes {
            if let Err(error) = outcome {
                assert!(
                    matches!(
                        error,
                        CommandError::Rejected(Rejection::Refused(Refusal::WrongState { .. }))
                    ),
                    "the loser is decided again against the new state and refused: {error:?}"
                );
            }
        }
        assert_eq!(app.cases.load(case).await.expect("load").version, 3);
    }
}

pub(crate) async fn compatible_commands_racing_on_one_case_all_land(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(&udi(), case, Action::approve()).await;
    app.ok(&udi(), case, Action::HandOverToIom).await;
    app.ok(&iom(), case, Action::BookDeparture(booking("2025-03-03")))
        .await;
    app.ok(
        &iom(),
        case,
        Action::ConfirmDeparture {
            departed_on: date("2025-03-03"),
        },
    )
    .await;
    // Three IOM caseworkers at once: the declaration, the pocket money and the arrival.
    let cases = Arc::new(app.cases.clone());
    let actions = [
        Action::RecordSelfDeclaration {
            signed_on: date("2025-03-03"),
        },
        Action::PayPocketMoney,
        Action::ConfirmArrival {
            arrived_on: date("2025-03-03"),
        },
    ];
    let tasks: Vec<_> = actions
        .into_iter()
        .map(|action| {
            let cases = Arc::clone(&cases);
            tokio::spawn(async move { cases.handle(&iom(), request(case, action)).await })
        })
        .collect();
    for task in tasks {
        task.await
            .expect("task")
            .expect("each lands, decided again if it lost a race");
    }
    let loaded = app.cases.load(case).await.expect("load");
    assert_eq!(loaded.version, 9);
    assert_eq!(loaded.case.status, Status::Arrived);
    assert!(
        loaded.case.payout.pocket_money_paid.is_some()
            && loaded.case.payout.self_declaration_signed_on.is_some()
    );
}

pub(crate) async fn the_inline_status_equals_the_status_folded_from_the_stream(app: &App) {
    let case = new_case();
    let steps = [
        (applicant_of(case), application()),
        (udi(), Action::BeginReview),
        (
            udi(),
            Action::Refuse {
                reasons: statement("No."),
                notified_on: date("2025-03-03"),
            },
        ),
        (
            applicant_of(case),
            Action::LodgeAppeal {
                grounds: statement("Yes."),
                posted_on: None,
            },
        ),
        (
            udi(),
            Action::ForwardToUne {
                assessment: statement("Maintained."),
            },
        ),
    ];
    for (caller, action) in steps {
        app.ok(&caller, case, action).await;
        let stored = app
            .cases
            .status(&udi(), case)
            .await
            .expect("read")
            .expect("a status");
        let loaded = app.cases.load(case).await.expect("load");
        let folded = CaseStatus::of(case, &loaded.case, loaded.version, app.cases.rules());
        assert_eq!(stored, folded);
    }
    let stored = app
        .cases
        .status(&udi(), case)
        .await
        .expect("read")
        .expect("a status");
    assert_eq!(
        (stored.status, stored.owner),
        (Status::ForwardedToUne, Some(Role::Une))
    );
}

/// The statements of a case that went through refusal, a late appeal that UDI heard all the
/// same, and UNE, and its id. The clock is back on 3 March 2025 after it.
async fn appealed_and_allowed(app: &App) -> (CaseId, [&'static str; 5]) {
    let texts = [
        "REFUSAL-REASON: holds a permit in Sweden",
        "APPEAL-GROUNDS: the Swedish permit expired",
        "UDI-ASSESSMENT: refusal maintained",
        "UNE-REASONING: the permit had expired",
        "LATE-REASON: the refusal reached the applicant in hospital",
    ];
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(
        &udi(),
        case,
        Action::Refuse {
            reasons: statement(texts[0]),
            notified_on: date("2025-03-03"),
        },
    )
    .await;
    // Notified on 3 March, the deadline was 24 March: posted on 26 March, the appeal is late.
    app.on_day("2025-03-26");
    app.ok(
        &applicant_of(case),
        case,
        Action::LodgeAppeal {
            grounds: statement(texts[1]),
            posted_on: None,
        },
    )
    .await;
    app.ok(
        &udi(),
        case,
        Action::AcceptLateAppeal {
            ground: retur_domain::travel::LateAppealGround::NotToBlame,
            reasoning: statement(texts[4]),
        },
    )
    .await;
    app.ok(
        &udi(),
        case,
        Action::ForwardToUne {
            assessment: statement(texts[2]),
        },
    )
    .await;
    let une =
        retur_app::Caller::agency(Actor::new(Role::Une, ActorId::parse("une-1").expect("id")));
    app.ok(
        &une,
        case,
        Action::AllowAppeal {
            reasoning: statement(texts[3]),
            particularly_vulnerable: Default::default(),
        },
    )
    .await;
    app.ok(&udi(), case, Action::HandOverToIom).await;
    app.on_day("2025-03-03");
    (case, texts)
}

pub(crate) async fn each_role_sees_its_part_of_the_history_and_iom_no_reasons(app: &App) {
    let (case, texts) = appealed_and_allowed(app).await;
    let full_readers = [
        udi(),
        retur_app::Caller::agency(Actor::new(Role::Une, ActorId::parse("une-1").expect("id"))),
        auditor(),
        applicant_of(case),
    ];
    for reader in full_readers {
        let history = app.cases.history(&reader, case).await.expect("history");
        let json = serde_json::to_string(&history).expect("json");
        for text in texts {
            assert!(json.contains(text), "{} sees {text}", reader.actor.role);
        }
        assert!(history.iter().all(|entry| !entry.redacted));
    }

    let history = app.cases.history(&iom(), case).await.expect("history");
    let json = serde_json::to_string(&history).expect("json");
    for text in texts {
        assert!(!json.contains(text), "IOM must never see {text}");
    }
    assert_eq!(
        history.len(),
        9,
        "IOM sees the whole timeline, without the statements"
    );
    let redacted: Vec<&str> = history
        .iter()
        .filter(|e| e.redacted)
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(
        redacted,
        [
            "application_submitted",
            "application_refused",
            "appeal_lodged",
            "late_appeal_accepted",
            "appeal_forwarded_to_une",
            "appeal_allowed"
        ]
    );
    // Of the application, IOM does not see the grounds it was made on.
    assert!(
        !json.contains("\"situation\"") && !json.contains("departure_deadline"),
        "{json}"
    );
    // What IOM needs to do its work stays: the household's personal data, the grant.
    assert!(json.contains("Abebe Bekele") && json.contains("1500000"));

    let status_for_iom = app
        .cases
        .status(&iom(), case)
        .await
        .expect("read")
        .expect("a status");
    let status_json = format!("{status_for_iom:?}");
    assert!(
        texts.iter().all(|text| !status_json.contains(text)),
        "the current view holds no statements either"
    );
    let other = applicant_of(new_case());
    assert!(
        app.cases.history(&other, case).await.is_err(),
        "an applicant sees only their own case"
    );
}

pub(crate) async fn a_case_can_be_seen_as_it_stood_at_a_past_position_or_time(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    let reviewed = app.ok(&udi(), case, Action::BeginReview).await;
    // The past is read by the case system's clock, not by when the log recorded the events.
    let before_decision = app.cases.now();
    app.clock.advance(chrono::Duration::hours(2));
    app.ok(
        &udi(),
        case,
        Action::Refuse {
            reasons: statement("No."),
            notified_on: date("2025-03-03"),
        },
    )
    .await;

    let at_review = app
        .cases
        .as_of(
            &auditor(),
            case,
            retur_app::AsOf::Position(reviewed.last_position),
        )
        .await
        .expect("as of");
    assert_eq!(
        (at_review.case.status, at_review.version),
        (Status::UnderReview, 2)
    );
    let at_time = app
        .cases
        .as_of(&auditor(), case, retur_app::AsOf::Time(before_decision))
        .await
        .expect("as of");
    assert_eq!(
        (at_time.case.status, at_time.version),
        (Status::UnderReview, 2)
    );
    let now = app
        .cases
        .as_of(&auditor(), case, retur_app::AsOf::Time(app.cases.now()))
        .await
        .expect("as of");
    assert_eq!((now.case.status, now.version), (Status::Refused, 3));
    // Before its application the case did not exist: the past shows nothing.
    let before_anything = app
        .cases
        .as_of(&auditor(), case, retur_app::AsOf::Position(0))
        .await;
    assert!(
        matches!(
            before_anything,
            Err(CommandError::Rejected(Rejection::NoSuchCase { .. }))
        ),
        "{before_anything:?}"
    );
}

fn count(loaded: &retur_app::LoadedCase, event_type: &str) -> usize {
    loaded
        .events
        .iter()
        .filter(|(recorded, _)| recorded.event_type == event_type)
        .count()
}

pub(crate) async fn each_kind_of_deadline_fires_once_its_day_has_passed(app: &App) {
    let scheduler = retur_app::Scheduler::new(app.cases.clone());
    let refused = refused_on(app, "2025-03-03").await;

    let approved = new_case();
    app.ok(&applicant_of(approved), approved, application())
        .await;
    app.ok(&udi(), approved, Action::BeginReview).await;
    app.ok(&udi(), approved, Action::approve()).await;

    let arrived = new_case();
    app.ok(&applicant_of(arrived), arrived, application()).await;
    app.ok(&udi(), arrived, Action::BeginReview).await;
    app.ok(&udi(), arrived, Action::approve()).await;
    app.ok(&udi(), arrived, Action::HandOverToIom).await;
    app.ok(
        &iom(),
        arrived,
        Action::BookDeparture(booking("2025-04-01")),
    )
    .await;
    app.on_day("2025-04-01");
    app.ok(
        &iom(),
        arrived,
        Action::ConfirmDeparture {
            departed_on: date("2025-04-01"),
        },
    )
    .await;
    app.ok(
        &iom(),
        arrived,
        Action::ConfirmArrival {
            arrived_on: date("2025-04-01"),
        },
    )
    .await;

    // The appeal window's last day is 24 March: nothing fires on it, the window closes after it.
    app.on_day("2025-03-24");
    assert!(scheduler.fire_due().await.expect("pass").fired.is_empty());
    app.on_day("2025-04-22");
    let fired = scheduler.fire_due().await.expect("pass");
    assert_eq!(
        fired.fired,
        [(refused, retur_app::DeadlineKind::AppealWindowCloses)]
    );
    assert_eq!(
        app.cases.load(refused).await.expect("load").case.status,
        Status::RefusedFinal
    );

    // The payout target is 22 April: flagged on the 23rd, once.
    app.on_day("2025-04-23");
    let fired = scheduler.fire_due().await.expect("pass");
    assert_eq!(
        fired.fired,
        [(arrived, retur_app::DeadlineKind::PayoutTarget)]
    );
    let loaded = app.cases.load(arrived).await.expect("load");
    assert_eq!(count(&loaded, "payout_flagged_overdue"), 1);
    assert_eq!(
        loaded.case.status,
        Status::Arrived,
        "a flag does not change the state"
    );

    // Approved on 3 March with a 180-day travel period: lapses on 31 August.
    app.on_day("2025-08-30");
    assert!(scheduler.fire_due().await.expect("pass").fired.is_empty());
    app.on_day("2025-08-31");
    let fired = scheduler.fire_due().await.expect("pass");
    assert_eq!(
        fired.fired,
        [(approved, retur_app::DeadlineKind::TravelDeadline)]
    );
    assert_eq!(
        app.cases.load(approved).await.expect("load").case.status,
        Status::Lapsed
    );

    let again = scheduler.fire_due().await.expect("pass");
    assert_eq!(
        again,
        retur_app::Fired::default(),
        "nothing is left to fire"
    );
}

pub(crate) async fn two_schedulers_at_once_fire_each_deadline_once(app: &App) {
    let mut cases = Vec::new();
    for _ in 0..12 {
        cases.push(refused_on(app, "2025-03-03").await);
    }
    app.on_day("2025-03-25");
    let first = retur_app::Scheduler::new(app.cases.clone());
    let second = retur_app::Scheduler::new(app.cases.clone());
    let (a, b) = tokio::join!(first.fire_due(), second.fire_due());
    let (a, b) = (a.expect("first"), b.expect("second"));
    assert_eq!(
        a.fired.len() + b.fired.len(),
        12,
        "each deadline fired by one of them"
    );
    assert!(
        a.refused.is_empty() && b.refused.is_empty(),
        "nothing refused: {a:?} {b:?}"
    );
    for case in cases {
        let loaded = app.cases.load(case).await.expect("load");
        assert_eq!(count(&loaded, "appeal_window_closed"), 1, "fired once");
        assert_eq!(loaded.case.status, Status::RefusedFinal);
    }
}

pub(crate) async fn a_clean_history_verifies_every_command_by_deciding_it_again(app: &App) {
    // Three paths: to closure, through refusal and UNE to approval, and a revocation.
    a_case_runs_from_application_to_closure_and_its_status_is_read_at_once(app).await;
    app.on_day("2025-03-03");
    appealed_and_allowed(app).await;
    let revoked = new_case();
    app.ok(&applicant_of(revoked), revoked, application()).await;
    app.ok(&udi(), revoked, Action::BeginReview).await;
    app.ok(&udi(), revoked, Action::approve()).await;
    app.ok(
        &udi(),
        revoked,
        Action::RevokeApproval {
            reasons: statement("False documents."),
            notified_on: date("2025-03-03"),
        },
    )
    .await;

    // Two cases worked turn about: an audit keeping one case folded must fold each again.
    let (a, b) = (new_case(), new_case());
    for case in [a, b] {
        app.ok(&applicant_of(case), case, application()).await;
    }
    for action in [Action::BeginReview, Action::approve()] {
        for case in [a, b] {
            app.ok(&udi(), case, action.clone()).await;
        }
    }

    let mut progress = Vec::new();
    let report = app
        .cases
        .verify(|reached| progress.push(reached))
        .await
        .expect("verify");
    assert!(report.is_clean(), "{report:?}");
    let head = app.cases.store().head().await.expect("head").position;
    assert_eq!(
        (
            report.chain.checked,
            report.events_replayed,
            report.events_outside_cases
        ),
        (head, head, 0)
    );
    assert_eq!(report.streams, 5);
    assert_eq!(report.not_replayable, 0);
    assert_eq!(
        report.commands_replayed,
        11 + 8 + 4 + 3 + 3,
        "every command decided again, the compound ones once"
    );
    assert_eq!(
        progress.last().map(|p| (p.read, p.head)),
        Some((head, head)),
        "progress reaches the head"
    );
    // Keeping one case folded at a time, every case that comes back is folded again from its
    // stream: the same report.
    let one = retur_app::AuditOptions {
        live_cases: std::num::NonZeroUsize::MIN,
        against: None,
    };
    let refolded = app.cases.verify_with(one, |_| {}).await.expect("verify");
    assert_eq!(refolded, report);
}

pub(crate) async fn the_log_is_verified_against_signed_checkpoints(app: &App) {
    use retur_app::{AuditOptions, Checkpoint, Extends};
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let sign = |position, hash| Checkpoint::sign(position, hash, noon("2025-03-03"), &key);
    let against = |checkpoint: Checkpoint| {
        app.cases.verify_with(
            AuditOptions {
                against: Some(checkpoint),
                ..AuditOptions::default()
            },
            |_| {},
        )
    };
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    let chain = app.cases.verify(|_| {}).await.expect("verify").chain;
    let checkpoint = sign(chain.last, chain.last_hash);

    // The log grows: it still extends the checkpoint.
    app.ok(&udi(), case, Action::approve()).await;
    let report = against(checkpoint.clone()).await.expect("verify");
    assert_eq!(report.against, Some(Extends::Yes));
    assert!(report.is_clean() && report.chain.last > chain.last);

    // A checkpoint the log no longer reaches: cut short.
    let head = report.chain.last;
    let report = against(sign(head + 5, chain.last_hash))
        .await
        .expect("verify");
    assert_eq!(report.against, Some(Extends::Truncated { head }));
    assert!(!report.is_clean(), "a cut-short log does not verify");

    // A checkpoint of a history whose event there had another hash: rewritten, though the
    // chain as it stands is intact.
    let store = app.cases.store();
    let at_one = store
        .verify_chain(1, Some(1))
        .await
        .expect("chain")
        .last_hash;
    let report = against(sign(1, chain.last_hash)).await.expect("verify");
    assert!(report.chain.is_intact());
    assert_eq!(report.against, Some(Extends::Rewritten { found: at_one }));
    assert!(!report.is_clean());
    let report = against(sign(1, at_one)).await.expect("verify");
    assert_eq!(report.against, Some(Extends::Yes));

    // Every log extends the empty one.
    let empty = against(sign(0, retur_store::Hash::ZERO))
        .await
        .expect("verify");
    assert_eq!(empty.against, Some(Extends::Yes));
}

/// Appends events to a case straight through the store, as someone bypassing the rules would:
/// the hash chain stays perfect.
async fn forge(
    app: &App,
    case: CaseId,
    version: u64,
    events: Vec<(&str, serde_json::Value)>,
) -> u64 {
    let appended = app
        .cases
        .store()
        .append(retur_store::AppendRequest {
            stream_id: retur_app::stream_id(case),
            expected_version: version,
            command_id: uuid::Uuid::now_v7(),
            metadata: retur_store::Metadata {
                actor: "iom-mallory".into(),
                role: "iom".into(),
                correlation_id: uuid::Uuid::now_v7(),
                causation_id: None,
                decided_at: Some(chrono::Utc::now()),
            },
            events: events
                .into_iter()
                .map(|(event_type, payload)| retur_store::NewEvent {
                    event_id: uuid::Uuid::now_v7(),
                    event_type: event_type.into(),
                    schema_version: 1,
                    payload,
                })
                .collect(),
            summary: None,
        })
        .await
        .expect("the store takes any well-formed envelope");
    appended.first_position
}

pub(crate) async fn a_forged_event_with_a_perfect_chain_is_found_by_replay(app: &App) {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    // Closing a case under review: no command of the lifecycle can do that.
    let forged = forge(
        app,
        case,
        2,
        vec![(
            "case_closed",
            serde_json::json!({ "closed_on": "2025-03-04" }),
        )],
    )
    .await;
    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(
        report.chain.is_intact(),
        "the chain itself is intact: {:?}",
        report.chain
    );
    let illegal = report.first_illegal.expect("the forgery is found");
    assert_eq!(illegal.position, forged);
    assert!(
        illegal
            .problem()
            .contains("close_case cannot be done while the case is under_review"),
        "{}",
        illegal.problem()
    );

    let other = new_case();
    app.ok(&applicant_of(other), other, application()).await;
    let odd = forge(
        app,
        other,
        1,
        vec![
            (
                "review_started",
                serde_json::json!({ "started_on": "2025-03-03" }),
            ),
            (
                "handed_over_to_iom",
                serde_json::json!({ "handed_over_on": "2025-03-03" }),
            ),
        ],
    )
    .await;
    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert_eq!(
        report.first_illegal.as_ref().map(|i| i.position),
        Some(forged),
        "the lowest position is reported first"
    );
    assert!(odd > forged);
}

pub(crate) async fn a_running_scheduler_fires_as_time_passes_and_stops_on_request(app: &App) {
    let case = refused_on(app, "2025-03-03").await;
    let (shutdown, stop) = tokio::sync::watch::channel(false);
    let scheduler = retur_app::Scheduler::new(app.cases.clone());
    let running = tokio::spawn(scheduler.run(std::time::Duration::from_millis(20), stop));
    app.on_day("2025-03-25");
    let fired = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            if app.cases.load(case).await.expect("load").case.status == Status::RefusedFinal {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        fired.is_ok(),
        "the running scheduler closed the appeal window once the day had passed"
    );
    shutdown.send(true).expect("stop");
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("it stops")
        .expect("cleanly");
}

/// A handler remembers the cases it decided; another handler (another process) writing to one
/// of them must not mislead it: each of its answers is the one a fresh reading gives.
pub(crate) async fn another_handler_writing_to_a_case_does_not_mislead_this_one(app: &App) {
    let other = retur_app::Cases::new(
        Arc::clone(app.cases.store()),
        Arc::clone(app.cases.keys()),
        Arc::new(RuleBook::builtin().expect("rules")),
        app.clock.clone(),
    );
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;

    // Remembered under review, approved elsewhere: this approval would pass on the remembered
    // state, meets the newer version, and is refused on the case as it is.
    other
        .handle(&udi(), request(case, Action::approve()))
        .await
        .expect("approved elsewhere");
    match app.give(&udi(), case, Action::approve()).await {
        Err(CommandError::Rejected(Rejection::Refused(Refusal::WrongState { status, .. }))) => {
            assert_eq!(status, Status::Approved, "refused on the case as it is now")
        }
        other => panic!("expected a refusal on the fresh state, got {other:?}"),
    }

    // Remembered as handed over, booked elsewhere: a no-show, which the remembered state
    // refuses, is allowed on the case as it is.
    app.ok(&udi(), case, Action::HandOverToIom).await;
    other
        .handle(
            &iom(),
            request(case, Action::BookDeparture(booking("2025-03-20"))),
        )
        .await
        .expect("booked elsewhere");
    app.clock.set(noon("2025-03-21"));
    assert_eq!(app.ok(&iom(), case, Action::ReportNoShow).await.version, 6);

    // Remembered at version 6, rebooked elsewhere: the version the caller saw there (7) is the
    // version here too.
    other
        .handle(
            &iom(),
            request(case, Action::RebookDeparture(booking("2025-03-25"))),
        )
        .await
        .expect("rebooked elsewhere");
    app.clock.set(noon("2025-03-25"));
    let current = retur_app::CommandRequest {
        expected_version: Some(7),
        ..request(
            case,
            Action::ConfirmDeparture {
                departed_on: date("2025-03-25"),
            },
        )
    };
    assert_eq!(
        app.cases
            .handle(&iom(), current)
            .await
            .expect("departure against the version seen elsewhere")
            .version,
        8
    );
    let loaded = app.cases.load(case).await.expect("load");
    assert_eq!(
        (loaded.version, loaded.case.status),
        (8, Status::Departed),
        "every command written once"
    );
}
