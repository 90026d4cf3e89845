//! Model-based: random valid command sequences through the application for many cases, then
//! the inline status of every case, the live ledger, a full rebuild of the ledger and a fold of
//! the raw streams must all agree.

use std::sync::Arc;

use chrono::Days;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use retur_app::{Caller, CaseStatus, CommandRequest};
use retur_domain::lifecycle::commands_in;
use retur_domain::*;
use retur_projections::{PayoutLedger, Projector};
use retur_testkit::TestDatabase;
use uuid::Uuid;

use crate::{World, date, folded_ledger, noon, projected_ledger, world};

/// One step: which case, how many days pass first, and a choice among the commands the
/// lifecycle allows that case now (given by its owner).
#[derive(Clone, Debug)]
struct Step {
    case: usize,
    days: u64,
    choice: usize,
    seed: u32,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (
            0usize..6,
            prop_oneof![6 => 0u64..2, 1 => 2u64..40],
            0usize..1000,
            any::<u32>(),
        )
            .prop_map(|(case, days, choice, seed)| Step {
                case,
                days,
                choice,
                seed,
            }),
        120..240,
    )
}

fn caller_for(role: Role, case: CaseId) -> Caller {
    let actor = Actor::new(
        role,
        ActorId::parse(&format!("{role}-model")).expect("actor"),
    );
    if role == Role::Applicant {
        Caller::applicant(actor, [case])
    } else {
        Caller::agency(actor)
    }
}

/// A plausible action of `kind` on the case: the fixture kit's, with the model's application.
fn action_for(
    kind: CommandKind,
    case: &retur_domain::case::Case,
    today: chrono::NaiveDate,
    seed: u32,
) -> Action {
    match kind {
        CommandKind::Submit => crate::application_action(),
        other => retur_domain::testing::plausible(other, case, today, seed),
    }
}

/// A command the lifecycle allows in `status`. Commands that end a case early weigh less than
/// those that move it on, so histories get as far as payouts.
fn pick(status: Status, choice: usize) -> Option<CommandKind> {
    let weight = |kind: CommandKind| match kind {
        CommandKind::Withdraw
        | CommandKind::RecordForcedReturn
        | CommandKind::RevokeApproval
        | CommandKind::LapseTravelDeadline => 1,
        _ => 10,
    };
    let allowed = commands_in(status);
    let total: usize = allowed.iter().map(|k| weight(*k)).sum();
    let mut left = choice % total.max(1);
    allowed.into_iter().find(|kind| {
        let found = left < weight(*kind);
        left = left.saturating_sub(weight(*kind));
        found
    })
}

/// Runs the steps; returns the cases and every state a case was in before a step.
async fn run(world: &World, steps: &[Step]) -> (Vec<CaseId>, std::collections::BTreeSet<Status>) {
    let cases: Vec<CaseId> = (0..6).map(|_| CaseId::from_uuid(Uuid::now_v7())).collect();
    let mut today = date("2025-03-03");
    let mut visited = std::collections::BTreeSet::new();
    for step in steps {
        today = today
            .checked_add_days(Days::new(step.days))
            .unwrap_or(today);
        world.clock.set(noon(&today.to_string()));
        let case_id = cases[step.case];
        let loaded = world.cases.load(case_id).await.expect("load");
        visited.insert(loaded.case.status);
        let Some(kind) = pick(loaded.case.status, step.choice) else {
            continue;
        };
        let action = action_for(kind, &loaded.case, today, step.seed);
        let request = CommandRequest {
            case_id,
            action,
            command_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
            expected_version: None,
        };
        // Refusals by a rule are expected (a date not yet reached, say); failures are not.
        if let Err(retur_app::CommandError::Failed(failure)) = world
            .cases
            .handle(&caller_for(kind.owner(), case_id), request)
            .await
        {
            panic!("{kind} failed: {failure}");
        }
    }
    (cases, visited)
}

/// What one random history reached: the states its cases went through and its ledger lines.
struct Reached {
    states: std::collections::BTreeSet<Status>,
    ledger_lines: usize,
}

async fn inline_live_rebuilt_and_folded_agree(database: &TestDatabase, steps: &[Step]) -> Reached {
    let world = Arc::new(world(database).await);
    let projector = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector")
        .with_page_size(9);
    let (cases, visited) = run(&world, steps).await;
    let auditor = Caller::agency(Actor::new(
        Role::Auditor,
        ActorId::parse("auditor-model").expect("actor"),
    ));
    let mut states = visited;
    let index_cases = cases.clone();
    for case_id in cases {
        let loaded = world.cases.load(case_id).await.expect("load");
        states.insert(loaded.case.status);
        let inline = world.cases.status(&auditor, case_id).await.expect("status");
        let folded = (loaded.version > 0)
            .then(|| CaseStatus::of(case_id, &loaded.case, loaded.version, world.cases.rules()));
        assert_eq!(
            inline, folded,
            "the inline status of {case_id} equals a fold of its stream"
        );
    }
    projector
        .catch_up(&PayoutLedger, None)
        .await
        .expect("catch up");
    let folded = folded_ledger(world.store.as_ref()).await;
    assert_eq!(
        projected_ledger(&projector).await,
        folded,
        "the live ledger equals a fold of the log"
    );
    projector
        .rebuild(&PayoutLedger, |_| {})
        .await
        .expect("rebuild");
    assert_eq!(
        projected_ledger(&projector).await,
        folded,
        "the rebuilt ledger equals a fold of the log"
    );
    // The case index, live and rebuilt: each case's state and next deadline as the fold has them.
    let index = retur_projections::CaseIndex::new(Arc::new(RuleBook::builtin().expect("rules")));
    projector
        .catch_up(&index, None)
        .await
        .expect("catch up the index");
    let expected = index_rows_by_fold(&world, &index_cases).await;
    assert_eq!(
        index_rows(&projector).await,
        expected,
        "the live index equals a fold of the streams"
    );
    projector
        .rebuild(&index, |_| {})
        .await
        .expect("rebuild the index");
    assert_eq!(
        index_rows(&projector).await,
        expected,
        "the rebuilt index equals a fold of the streams"
    );
    let report = world.cases.verify(|_| {}).await.expect("verify");
    assert!(
        report.is_clean(),
        "the history replays through decide: {report:?}"
    );
    Reached {
        states,
        ledger_lines: folded.len(),
    }
}

/// (stream, state, due date) of every case with events, from the index.
async fn index_rows(projector: &Projector) -> Vec<(String, String, Option<String>)> {
    use sqlx::Row;
    sqlx::query("SELECT stream_id, status, due_on FROM case_index ORDER BY stream_id")
        .fetch_all(projector.pool())
        .await
        .expect("index rows")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The same, from a fold of each case's stream.
async fn index_rows_by_fold(
    world: &World,
    cases: &[CaseId],
) -> Vec<(String, String, Option<String>)> {
    let mut rows = Vec::new();
    for case_id in cases {
        let loaded = world.cases.load(*case_id).await.expect("load");
        if loaded.version > 0 {
            let due = loaded
                .case
                .next_deadline(world.cases.rules())
                .map(|d| d.on.to_string());
            rows.push((
                format!("case-{case_id}"),
                loaded.case.status.name().to_owned(),
                due,
            ));
        }
    }
    rows.sort();
    rows
}

/// Runs `count` random histories with a fixed seed, so a failure can be reproduced.
async fn random_histories(
    database_for: impl Fn() -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Option<TestDatabase>> + Send>,
    >,
    count: usize,
) {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[42; 32]),
    );
    let (mut states, mut ledger_lines) = (std::collections::BTreeSet::new(), 0);
    for _ in 0..count {
        let steps =
            proptest::strategy::ValueTree::current(&steps().new_tree(&mut runner).expect("a tree"));
        let Some(database) = database_for().await else {
            return;
        };
        let reached = inline_live_rebuilt_and_folded_agree(&database, &steps).await;
        states.extend(reached.states);
        ledger_lines += reached.ledger_lines;
    }
    // The agreement is only worth something if the histories went somewhere.
    assert!(ledger_lines > 0, "no random history reached a payout");
    assert!(
        states.len() >= 8,
        "random histories ended in too few states: {states:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_random_histories_agree_across_inline_live_rebuilt_and_folded_views() {
    random_histories(|| Box::pin(async { Some(TestDatabase::sqlite()) }), 12).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_random_histories_agree_across_inline_live_rebuilt_and_folded_views() {
    random_histories(|| Box::pin(TestDatabase::postgres()), 6).await;
}
