//! The agency queues, claims and statistics over the case index.

use std::sync::Arc;

use retur_app::{Caller, CommandError, CommandRequest, Rejection};
use retur_domain::travel::{AirportCode, Booking, FlightNumber};
use retur_domain::*;
use retur_projections::{CaseIndex, Projector, QueueQuery};
use retur_testkit::TestDatabase;
use sqlx::Row;
use uuid::Uuid;

use crate::{World, caller, date, noon, world};

async fn give(world: &World, who: &Caller, case: CaseId, action: Action) {
    let kind = action.kind();
    let request = CommandRequest {
        case_id: case,
        action,
        command_id: Uuid::now_v7(),
        correlation_id: Uuid::now_v7(),
        expected_version: None,
    };
    world
        .cases
        .handle(who, request)
        .await
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
}

fn applicant(case: CaseId) -> Caller {
    Caller::applicant(
        Actor::new(Role::Applicant, ActorId::parse("applicant-q").expect("id")),
        [case],
    )
}

fn named(role: Role, name: &str) -> Caller {
    Caller::agency(Actor::new(role, ActorId::parse(name).expect("id")))
}

/// Takes a new case as far as `steps` go along the main path.
async fn case_at(world: &World, steps: usize) -> CaseId {
    world.clock.set(noon("2025-03-03"));
    let case = CaseId::from_uuid(Uuid::now_v7());
    let booking = Booking {
        departs_on: date("2025-03-06"),
        flight: FlightNumber::parse("ET715").expect("flight"),
        from_airport: AirportCode::parse("OSL").expect("OSL"),
        to_airport: AirportCode::parse("ADD").expect("ADD"),
        meet_at: None,
    };
    let path: Vec<(Caller, Action)> = vec![
        (applicant(case), crate::application_action()),
        (caller(Role::Udi), Action::BeginReview),
        (caller(Role::Udi), Action::approve()),
        (caller(Role::Udi), Action::HandOverToIom),
        (caller(Role::Iom), Action::BookDeparture(booking)),
    ];
    for (who, action) in path.into_iter().take(steps) {
        give(world, &who, case, action).await;
    }
    case
}

async fn index(database: &TestDatabase, world: &World) -> (Projector, CaseIndex) {
    let projector = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector");
    (
        projector,
        CaseIndex::new(Arc::new(RuleBook::builtin().expect("rules"))),
    )
}

pub(crate) async fn each_agency_sees_its_queues_and_who_holds_what(database: &TestDatabase) {
    let world = world(database).await;
    let submitted = case_at(&world, 1).await;
    let approved = case_at(&world, 3).await;
    let booked = case_at(&world, 5).await;
    let (projector, index) = index(database, &world).await;
    projector.catch_up(&index, None).await.expect("catch up");

    let names = |items: &[retur_projections::QueueItem]| {
        items
            .iter()
            .map(|i| (i.stream_id.clone(), i.queue.clone()))
            .collect::<Vec<_>>()
    };
    let udi = CaseIndex::queue(projector.pool(), "udi", &QueueQuery::default())
        .await
        .expect("udi queue");
    assert_eq!(
        names(&udi),
        [
            (format!("case-{submitted}"), "to_decide".to_owned()),
            (format!("case-{approved}"), "to_hand_over".to_owned())
        ]
    );
    let iom = CaseIndex::queue(projector.pool(), "iom", &QueueQuery::default())
        .await
        .expect("iom queue");
    assert_eq!(
        names(&iom),
        [(format!("case-{booked}"), "booked".to_owned())]
    );
    assert_eq!(iom[0].departs_on.as_deref(), Some("2025-03-06"));
    assert!(
        CaseIndex::queue(projector.pool(), "une", &QueueQuery::default())
            .await
            .expect("une")
            .is_empty()
    );

    // Departing in the next 7 days (from 3 March): the booked case.
    let soon = QueueQuery {
        departs_on_or_before: Some(date("2025-03-10")),
        ..QueueQuery::default()
    };
    assert_eq!(
        CaseIndex::queue(projector.pool(), "iom", &soon)
            .await
            .expect("soon")
            .len(),
        1
    );
    let later = QueueQuery {
        departs_on_or_before: Some(date("2025-03-05")),
        ..QueueQuery::default()
    };
    assert!(
        CaseIndex::queue(projector.pool(), "iom", &later)
            .await
            .expect("later")
            .is_empty()
    );

    // Claims: the IOM caseworker takes the booked case; nobody else can, UDI may not at all.
    let amina = named(Role::Iom, "iom-amina");
    let holder = world.cases.claim(&amina, booked).await.expect("claim");
    assert_eq!(
        (holder.actor.as_str(), holder.queue.as_str()),
        ("iom-amina", "booked")
    );
    // Asked with the state the caller has read, the same answer without reading the case.
    let iom = caller(Role::Iom);
    let in_state = |status| world.cases.holder_in(&iom, booked, status);
    assert_eq!(
        in_state(retur_domain::Status::DepartureBooked)
            .await
            .expect("holder"),
        Some(holder.clone())
    );
    assert_eq!(
        in_state(retur_domain::Status::Departed)
            .await
            .expect("holder"),
        None
    );
    assert_eq!(
        world
            .cases
            .claim(&amina, booked)
            .await
            .expect("again")
            .since,
        holder.since,
        "claiming twice holds once"
    );
    let other = world
        .cases
        .claim(&named(Role::Iom, "iom-jonas"), booked)
        .await;
    assert!(
        matches!(other, Err(CommandError::Rejected(Rejection::Held { ref by, .. })) if by == "iom-amina"),
        "{other:?}"
    );
    let wrong_agency = world
        .cases
        .claim(&named(Role::Udi, "udi-kari"), booked)
        .await;
    assert!(
        matches!(
            wrong_agency,
            Err(CommandError::Rejected(Rejection::Forbidden(_)))
        ),
        "{wrong_agency:?}"
    );
    projector.catch_up(&index, None).await.expect("catch up");
    let held = QueueQuery {
        claimed_by: Some("iom-amina".into()),
        ..QueueQuery::default()
    };
    let mine = CaseIndex::queue(projector.pool(), "iom", &held)
        .await
        .expect("mine");
    assert_eq!(mine.len(), 1);
    assert!(mine[0].claimed_at_micros.is_some());
    let unheld = QueueQuery {
        claimed_by: Some(String::new()),
        ..QueueQuery::default()
    };
    assert!(
        CaseIndex::queue(projector.pool(), "iom", &unheld)
            .await
            .expect("unheld")
            .is_empty()
    );

    let jonas_release = world
        .cases
        .release(&named(Role::Iom, "iom-jonas"), booked)
        .await;
    assert!(
        matches!(
            jonas_release,
            Err(CommandError::Rejected(Rejection::Held { .. }))
        ),
        "only the holder releases"
    );
    world.cases.release(&amina, booked).await.expect("release");
    assert!(
        world
            .cases
            .holder(&amina, booked)
            .await
            .expect("holder")
            .is_none()
    );
    world
        .cases
        .claim(&named(Role::Iom, "iom-jonas"), booked)
        .await
        .expect("now jonas may");

    // The case moves on: the claim was for the queue it left.
    world.clock.set(noon("2025-03-06"));
    give(
        &world,
        &caller(Role::Iom),
        booked,
        Action::ConfirmDeparture {
            departed_on: date("2025-03-06"),
        },
    )
    .await;
    assert!(
        world
            .cases
            .holder(&amina, booked)
            .await
            .expect("holder")
            .is_none()
    );
    assert!(
        world
            .cases
            .holder_in(&caller(Role::Iom), booked, retur_domain::Status::Departed)
            .await
            .expect("holder")
            .is_none()
    );
    projector.catch_up(&index, None).await.expect("catch up");
    let in_transit = CaseIndex::queue(projector.pool(), "iom", &QueueQuery::default())
        .await
        .expect("iom");
    assert_eq!(
        (
            in_transit[0].queue.as_str(),
            in_transit[0].claimed_by.as_deref()
        ),
        ("in_transit", None)
    );
}

pub(crate) async fn statistics_count_cases_and_measure_processing_times(database: &TestDatabase) {
    let world = world(database).await;
    for kroner in [15_000, 10_000] {
        crate::paid_case(&world, kroner).await;
    }
    case_at(&world, 1).await;
    let (projector, index) = index(database, &world).await;
    projector.catch_up(&index, None).await.expect("catch up");
    let statistics = CaseIndex::statistics(projector.pool(), |_| true)
        .await
        .expect("statistics");
    assert_eq!(statistics.cases, 3);
    assert_eq!(statistics.by_state.get("paid_out"), Some(&1));
    assert_eq!(
        statistics.by_state.get("payout_in_progress"),
        Some(&1),
        "10 000 of a 15 000 grant is not all"
    );
    assert_eq!(statistics.by_state.get("submitted"), Some(&1));
    assert_eq!(statistics.by_nationality.get("ET"), Some(&3));
    assert_eq!(statistics.by_month.get("2025-03"), Some(&3));
    assert_eq!(statistics.median_days_application_to_decision, Some(0));
    assert_eq!(statistics.median_days_arrival_to_payout, Some(0));
}

pub(crate) async fn a_rebuilt_case_index_equals_the_live_one_claims_and_all(
    database: &TestDatabase,
) {
    let world = world(database).await;
    let booked = case_at(&world, 5).await;
    case_at(&world, 2).await;
    world
        .cases
        .claim(&named(Role::Iom, "iom-amina"), booked)
        .await
        .expect("claim");
    let (projector, index) = index(database, &world).await;
    projector.catch_up(&index, None).await.expect("catch up");
    let rows = |pool: sqlx::AnyPool| async move {
        sqlx::query("SELECT stream_id, status, queue, claimed_by, due_on, last_position, state FROM case_index ORDER BY stream_id")
            .fetch_all(&pool)
            .await
            .expect("rows")
            .iter()
            .map(|r| {
                (1..7).fold(r.get::<String, _>(0), |line, i| {
                    let cell = r.try_get::<Option<String>, _>(i).ok().flatten().or_else(|| r.try_get::<Option<i64>, _>(i).ok().flatten().map(|n| n.to_string()));
                    format!("{line}|{}", cell.unwrap_or_default())
                })
            })
            .collect::<Vec<_>>()
    };
    let live = rows(projector.pool().clone()).await;
    assert!(
        live.iter().any(|line| line.contains("iom-amina")),
        "the claim is in the live index: {live:?}"
    );
    projector.rebuild(&index, |_| {}).await.expect("rebuild");
    assert_eq!(rows(projector.pool().clone()).await, live);
}

pub(crate) async fn a_running_projector_follows_the_log_until_shut_down(database: &TestDatabase) {
    let world = world(database).await;
    let (projector, index) = index(database, &world).await;
    let (shutdown, stop) = tokio::sync::watch::channel(false);
    let running = {
        let projector = projector.clone();
        let index: Arc<dyn retur_projections::Projection> = Arc::new(index.clone());
        tokio::spawn(async move { projector.run(index, stop).await })
    };
    for steps in [1, 3, 5] {
        case_at(&world, steps).await;
    }
    let head = world.store.head().await.expect("head").position;
    let reached = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            if projector.checkpoint(&index).await.expect("checkpoint") == head {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "the running projector reached the head of the log"
    );
    assert_eq!(
        CaseIndex::statistics(projector.pool(), |_| true)
            .await
            .expect("statistics")
            .cases,
        3
    );
    shutdown.send(true).expect("stop");
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("it stops")
        .expect("cleanly");
}

/// A case index made by an earlier version (without the dates IOM and UNE were given their
/// parts) is dropped and rebuilt from the log when prepared: its rows cannot be trusted to have
/// the new shape, and statistics by part must count every case.
pub(crate) async fn an_index_of_an_older_shape_is_rebuilt_from_the_log(database: &TestDatabase) {
    let world = world(database).await;
    let handed = case_at(&world, 4).await;
    case_at(&world, 1).await;
    let (projector, index) = index(database, &world).await;
    // The index as the earlier version left it: its old columns, caught up, no version noted.
    sqlx::query(
        "CREATE TABLE case_index (stream_id TEXT PRIMARY KEY, status TEXT NOT NULL, state TEXT NOT NULL)",
    )
    .execute(projector.pool())
    .await
    .expect("an old table");
    sqlx::query(
        "INSERT INTO case_index (stream_id, status, state) VALUES ('case-x', 'submitted', '{}')",
    )
    .execute(projector.pool())
    .await
    .expect("an old row");
    sqlx::query(
        "INSERT INTO projection_checkpoints (projection, position) VALUES ('case_index', 5)",
    )
    .execute(projector.pool())
    .await
    .expect("an old checkpoint");

    projector.catch_up(&index, None).await.expect("catch up");
    let version: i64 =
        sqlx::query("SELECT version FROM projection_versions WHERE projection = 'case_index'")
            .fetch_one(projector.pool())
            .await
            .expect("a version")
            .get(0);
    // 3: the shape with the household's size, for the queues.
    assert_eq!(version, 3);
    let statistics = CaseIndex::statistics(projector.pool(), |_| true)
        .await
        .expect("statistics");
    assert_eq!(
        statistics.cases, 2,
        "the old row is gone, both cases are back"
    );
    let for_iom = CaseIndex::statistics(projector.pool(), |involvement| {
        involvement.handed_to_iom_on.is_some()
    })
    .await
    .expect("statistics");
    assert_eq!(for_iom.cases, 1, "only the case handed over: {for_iom:?}");
    let items = CaseIndex::queue(projector.pool(), "iom", &Default::default())
        .await
        .expect("queue");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].stream_id, format!("case-{handed}"));

    // Prepared again at the same version, nothing is rebuilt: the checkpoint stays.
    let head = projector.checkpoint(&index).await.expect("checkpoint");
    projector.prepare(&index).await.expect("prepare");
    assert_eq!(
        projector.checkpoint(&index).await.expect("checkpoint"),
        head
    );
}
