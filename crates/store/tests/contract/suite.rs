//! The contract, test by test. Each takes a fresh fixture of any backend.

pub(crate) use crate::vault::*;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use retur_store::{
    AppendError, AppendRequest, EventStore, Metadata, NewEvent, StoreError, StreamId, Upcasters,
};
use serde_json::json;
use uuid::Uuid;

use crate::harness::Fixture;

fn stream(name: &str) -> StreamId {
    StreamId::parse(name).expect("a stream id")
}

fn metadata() -> Metadata {
    Metadata {
        actor: "udi-caseworker-7".into(),
        role: "udi".into(),
        correlation_id: Uuid::new_v4(),
        causation_id: None,
        decided_at: None,
    }
}

fn event(n: u64) -> NewEvent {
    NewEvent {
        event_id: Uuid::new_v4(),
        event_type: "something_happened".into(),
        schema_version: 1,
        payload: json!({ "n": n, "note": "ø and 🚀 survive" }),
    }
}

fn append(stream_id: &str, expected_version: u64, events: Vec<NewEvent>) -> AppendRequest {
    AppendRequest {
        stream_id: stream(stream_id),
        expected_version,
        command_id: Uuid::new_v4(),
        metadata: metadata(),
        events,
        summary: None,
    }
}

fn summary(state: &str, n: u64) -> retur_store::StreamSummary {
    retur_store::StreamSummary {
        state: state.into(),
        owner: Some("udi".into()),
        due_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 24),
        due_kind: Some("appeal_window_closes".into()),
        detail: json!({ "n": n, "household_size": 3 }),
    }
}

/// Every event of the log, from the start.
async fn everything(store: &dyn EventStore) -> Vec<retur_store::RecordedEvent> {
    let mut all = Vec::new();
    loop {
        let page = store
            .read_all(
                all.last()
                    .map_or(0, |e: &retur_store::RecordedEvent| e.position),
                1000,
            )
            .await
            .expect("read");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

pub(crate) async fn appended_events_read_back_with_their_envelopes(f: &Fixture) {
    let request = append("case-1", 0, vec![event(1), event(2)]);
    let (command_id, meta, ids) = (
        request.command_id,
        request.metadata.clone(),
        [request.events[0].event_id, request.events[1].event_id],
    );
    let appended = f.store.append(request).await.expect("append");
    assert_eq!((appended.first_version, appended.last_version), (1, 2));
    assert_eq!((appended.first_position, appended.last_position), (1, 2));
    assert!(!appended.already_appended);

    let read = f
        .store
        .read_stream(&stream("case-1"), 1, 100)
        .await
        .expect("read");
    assert_eq!(read.len(), 2);
    for (index, recorded) in read.iter().enumerate() {
        assert_eq!(recorded.position, index as u64 + 1);
        assert_eq!(recorded.stream_version, index as u64 + 1);
        assert_eq!(recorded.event_id, ids[index]);
        assert_eq!(recorded.command_id, command_id);
        assert_eq!(recorded.metadata, meta);
        assert_eq!(recorded.event_type, "something_happened");
        assert_eq!(
            recorded.payload,
            json!({ "n": index as u64 + 1, "note": "ø and 🚀 survive" })
        );
        assert!(
            (chrono::Utc::now() - recorded.recorded_at)
                .num_seconds()
                .abs()
                < 60
        );
    }
    let head = f.store.head().await.expect("head");
    assert_eq!((head.position, head.hash), (2, read[1].hash));
    assert!(
        f.store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact()
    );
    assert!(
        f.store
            .read_stream(&stream("case-2"), 1, 100)
            .await
            .expect("read")
            .is_empty()
    );
}

pub(crate) async fn an_empty_append_is_refused(f: &Fixture) {
    let refused = f.store.append(append("case-1", 0, vec![])).await;
    assert!(matches!(refused, Err(AppendError::Empty)), "{refused:?}");
    assert_eq!(f.store.head().await.expect("head").position, 0);
}

pub(crate) async fn a_stale_expected_version_is_a_conflict(f: &Fixture) {
    f.store
        .append(append("case-1", 0, vec![event(1)]))
        .await
        .expect("first");
    let stale = f.store.append(append("case-1", 0, vec![event(2)])).await;
    match stale {
        Err(AppendError::Conflict {
            stream_id,
            expected,
            actual,
        }) => {
            assert_eq!((stream_id.as_str(), expected, actual), ("case-1", 0, 1));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let ahead = f.store.append(append("case-1", 5, vec![event(2)])).await;
    assert!(
        matches!(
            ahead,
            Err(AppendError::Conflict {
                expected: 5,
                actual: 1,
                ..
            })
        ),
        "{ahead:?}"
    );
    assert_eq!(
        f.store.head().await.expect("head").position,
        1,
        "nothing was written"
    );
}

pub(crate) async fn thirty_two_writers_on_one_stream_write_each_version_once(f: &Fixture) {
    // Round one: all 32 want to create the stream; exactly one does.
    let mut tasks = Vec::new();
    for n in 0..32 {
        let store = Arc::clone(&f.store);
        tasks.push(tokio::spawn(async move {
            store.append(append("case-shared", 0, vec![event(n)])).await
        }));
    }
    let mut winners = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(appended) => {
                winners += 1;
                assert_eq!(appended.last_version, 1);
            }
            Err(AppendError::Conflict {
                expected: 0,
                actual: 1,
                ..
            }) => {}
            Err(other) => panic!("a loser must get a conflict, got {other}"),
        }
    }
    assert_eq!(winners, 1);

    // Round two: each writer appends 5 times, re-reading the version after each conflict.
    let mut tasks = Vec::new();
    for writer in 0..32u64 {
        let store = Arc::clone(&f.store);
        tasks.push(tokio::spawn(async move {
            let (mut written, mut conflicts) = (Vec::new(), 0u32);
            while written.len() < 5 {
                let version = store
                    .read_stream(&stream("case-shared"), 1, 10_000)
                    .await
                    .expect("read")
                    .len() as u64;
                match store
                    .append(append("case-shared", version, vec![event(writer)]))
                    .await
                {
                    Ok(appended) => written.push(appended.last_version),
                    Err(AppendError::Conflict { .. }) => conflicts += 1,
                    Err(other) => panic!("unexpected error {other}"),
                }
            }
            (written, conflicts)
        }));
    }
    let mut versions = BTreeSet::new();
    for task in tasks {
        let (written, _) = task.await.expect("task");
        for version in written {
            assert!(
                versions.insert(version),
                "version {version} was written twice"
            );
        }
    }
    let all = f
        .store
        .read_stream(&stream("case-shared"), 1, 10_000)
        .await
        .expect("read");
    assert_eq!(all.len(), 1 + 32 * 5);
    assert!(
        all.iter()
            .enumerate()
            .all(|(i, e)| e.stream_version == i as u64 + 1),
        "versions dense from 1"
    );
    assert_eq!(versions, (2..=161).collect::<BTreeSet<u64>>());
}

pub(crate) async fn thirty_two_writers_on_separate_streams_give_dense_positions_and_a_subscriber_sees_each_once(
    f: &Fixture,
) {
    const WRITERS: u64 = 32;
    const APPENDS: u64 = 20;
    let mut subscription = f.store.subscribe(0);
    let collector = tokio::spawn(async move {
        let mut seen = Vec::new();
        while seen.len() < (WRITERS * APPENDS + 1) as usize {
            let event = tokio::time::timeout(Duration::from_secs(60), subscription.next())
                .await
                .expect("the subscriber keeps receiving")
                .expect("an event");
            seen.push(event.position);
        }
        seen
    });

    // A writer in another process holds the append lock in the middle of its append: it has
    // taken position 1 and not committed. Everyone else must wait, and nobody may see past it.
    let held = hold_an_append(f, Duration::from_millis(400)).await;
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let store = Arc::clone(&f.store);
            tokio::spawn(async move {
                for n in 0..APPENDS {
                    store
                        .append(append(&format!("case-{writer}"), n, vec![event(n)]))
                        .await
                        .expect("append");
                }
            })
        })
        .collect();
    held.await;
    for writer in writers {
        writer.await.expect("writer");
    }

    let positions: Vec<u64> = everything(f.store.as_ref())
        .await
        .iter()
        .map(|e| e.position)
        .collect();
    let total = WRITERS * APPENDS + 1;
    assert_eq!(
        positions,
        (1..=total).collect::<Vec<_>>(),
        "positions are dense from 1 to N"
    );
    let seen = collector.await.expect("collector");
    assert_eq!(
        seen,
        (1..=total).collect::<Vec<_>>(),
        "the subscriber saw each event once, in order"
    );
    let report = f.store.verify_chain(1, None).await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, total);
}

/// Starts an append from outside the store that takes the lock, writes a correct row for the
/// next position, and holds its transaction open for `hold` before committing.
async fn hold_an_append(f: &Fixture, hold: Duration) -> impl std::future::Future<Output = ()> {
    use retur_store::chain::{Hash, StoredEvent};
    let row = |position: u64, previous: Hash| {
        let mut stored = StoredEvent {
            position,
            stream_id: "case-outside".into(),
            stream_version: 1,
            event_id: Uuid::new_v4(),
            event_type: "something_happened".into(),
            schema_version: 1,
            payload: r#"{"n":0}"#.into(),
            metadata: serde_json::to_string(&metadata()).expect("json"),
            command_id: Uuid::new_v4(),
            recorded_at_micros: chrono::Utc::now().timestamp_micros(),
            hash: Hash::ZERO,
        };
        stored.hash = stored.expected_hash(&previous);
        stored
    };
    let (locked_tx, locked) = tokio::sync::oneshot::channel();
    let task = match &f.database {
        retur_testkit::TestDatabase::Postgres { url, .. } => {
            use sqlx::Connection;
            let url = url.clone();
            tokio::spawn(async move {
                let mut connection = sqlx::PgConnection::connect(&url).await.expect("connect");
                let mut transaction = connection.begin().await.expect("begin");
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(retur_store::APPEND_LOCK_KEY)
                    .execute(&mut *transaction)
                    .await
                    .expect("lock");
                let stored = row(1, Hash::ZERO);
                sqlx::query("INSERT INTO events (position, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, command_id, recorded_at, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)")
                    .bind(1_i64).bind(&stored.stream_id).bind(1_i64).bind(stored.event_id).bind(&stored.event_type).bind(1_i32)
                    .bind(&stored.payload).bind(&stored.metadata).bind(stored.command_id)
                    .bind(chrono::DateTime::from_timestamp_micros(stored.recorded_at_micros).expect("time"))
                    .bind(stored.hash.0.to_vec())
                    .execute(&mut *transaction).await.expect("insert");
                let _ = locked_tx.send(());
                tokio::time::sleep(hold).await;
                transaction.commit().await.expect("commit");
            })
        }
        retur_testkit::TestDatabase::Sqlite { path, .. } => {
            use sqlx::{Connection, Executor};
            let url = format!("sqlite://{}", path.display());
            tokio::spawn(async move {
                let mut connection = sqlx::SqliteConnection::connect(&url)
                    .await
                    .expect("connect");
                connection.execute("BEGIN IMMEDIATE").await.expect("lock");
                let stored = row(1, Hash::ZERO);
                sqlx::query("INSERT INTO events (position, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, command_id, recorded_at, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
                    .bind(1_i64).bind(&stored.stream_id).bind(1_i64).bind(stored.event_id).bind(&stored.event_type).bind(1_i64)
                    .bind(&stored.payload).bind(&stored.metadata).bind(stored.command_id)
                    .bind(stored.recorded_at_micros).bind(stored.hash.0.to_vec())
                    .execute(&mut connection).await.expect("insert");
                let _ = locked_tx.send(());
                tokio::time::sleep(hold).await;
                connection.execute("COMMIT").await.expect("commit");
            })
        }
    };
    locked.await.expect("the outside writer holds the lock");
    async move { task.await.expect("the outside writer") }
}

pub(crate) async fn a_repeated_command_returns_its_first_outcome_and_writes_nothing(f: &Fixture) {
    let request = append("case-1", 0, vec![event(1), event(2)]);
    let first = f.store.append(request.clone()).await.expect("first");
    let again = f.store.append(request.clone()).await.expect("again");
    assert!(again.already_appended);
    assert_eq!(
        (
            again.first_position,
            again.last_position,
            again.last_version
        ),
        (
            first.first_position,
            first.last_position,
            first.last_version
        )
    );
    // A retry with fresh event ids (a client that rebuilt its request) is still the same command.
    let rebuilt = AppendRequest {
        events: vec![event(9)],
        ..request
    };
    let third = f.store.append(rebuilt).await.expect("rebuilt");
    assert_eq!(third.last_position, first.last_position);
    assert_eq!(
        f.store.head().await.expect("head").position,
        2,
        "nothing more was written"
    );
}

pub(crate) async fn racing_attempts_of_one_command_write_once(f: &Fixture) {
    let command_id = Uuid::new_v4();
    let other = f.reopen(Upcasters::new()).await;
    let mut tasks = Vec::new();
    for attempt in 0..16u64 {
        // Half through this store, half through another process's.
        let store = if attempt % 2 == 0 {
            Arc::clone(&f.store)
        } else {
            Arc::clone(&other)
        };
        let request = AppendRequest {
            command_id,
            ..append("case-1", 0, vec![event(attempt), event(attempt + 100)])
        };
        tasks.push(tokio::spawn(async move { store.append(request).await }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(
            task.await
                .expect("task")
                .expect("every attempt gets the outcome"),
        );
    }
    assert_eq!(
        outcomes.iter().filter(|o| !o.already_appended).count(),
        1,
        "exactly one attempt wrote"
    );
    assert!(
        outcomes
            .iter()
            .all(|o| (o.first_position, o.last_position) == (1, 2))
    );
    assert_eq!(f.store.head().await.expect("head").position, 2);
}

pub(crate) async fn an_event_id_already_in_the_log_is_refused(f: &Fixture) {
    let first = event(1);
    let id = first.event_id;
    f.store
        .append(append("case-1", 0, vec![first.clone()]))
        .await
        .expect("first");
    let refused = f.store.append(append("case-2", 0, vec![first])).await;
    assert!(
        matches!(refused, Err(AppendError::DuplicateEventId(dup)) if dup == id),
        "{refused:?}"
    );
    let twice = f
        .store
        .append(append(
            "case-3",
            0,
            vec![
                event(2),
                NewEvent {
                    event_id: id,
                    ..event(3)
                },
            ],
        ))
        .await;
    assert!(
        matches!(twice, Err(AppendError::DuplicateEventId(_))),
        "{twice:?}"
    );
    let same_request = event(4);
    let within = f
        .store
        .append(append(
            "case-4",
            0,
            vec![same_request.clone(), same_request],
        ))
        .await;
    assert!(
        matches!(within, Err(AppendError::Invalid(ref m)) if m.contains("twice")),
        "{within:?}"
    );
    assert_eq!(f.store.head().await.expect("head").position, 1);
}

pub(crate) async fn the_database_refuses_to_change_or_remove_history(f: &Fixture) {
    f.store
        .append(append("case-1", 0, vec![event(1)]))
        .await
        .expect("append");
    let mut attempts = vec![
        "UPDATE events SET payload = '{}' WHERE position = 1",
        "DELETE FROM events WHERE position = 1",
        "DELETE FROM events",
        "UPDATE commands SET stream_id = 'x'",
        "DELETE FROM commands",
    ];
    if f.is_postgres() {
        attempts.extend(["TRUNCATE events CASCADE", "TRUNCATE commands"]);
    }
    for sql in attempts {
        let refused = f.raw(sql).await.expect_err(sql);
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    let all = everything(f.store.as_ref()).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].payload["n"], 1);
    assert!(
        f.store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact()
    );
}

pub(crate) async fn a_row_altered_behind_the_store_is_found_at_its_position(f: &Fixture) {
    for n in 0..10 {
        f.store
            .append(append(&format!("case-{n}"), 0, vec![event(n)]))
            .await
            .expect("append");
    }
    assert!(
        f.store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact()
    );
    f.tamper(r#"UPDATE events SET payload = '{"n":6,"note":"changed"}' WHERE position = 7"#)
        .await;
    let report = f.store.verify_chain(1, None).await.expect("verify");
    let broken = report.broken.expect("the change is found");
    assert_eq!(broken.position, 7, "{broken}");
    assert_eq!(
        (report.last, report.checked),
        (6, 6),
        "everything before it is good"
    );
}

pub(crate) async fn a_removed_or_reordered_row_is_found_at_its_position(f: &Fixture) {
    for n in 0..10 {
        f.store
            .append(append(&format!("case-{n}"), 0, vec![event(n)]))
            .await
            .expect("append");
    }
    // Swap the payloads of 3 and 4: each row is well-formed, the order is not.
    f.tamper(
        "UPDATE events SET payload = (SELECT payload FROM events WHERE position = 4) || ' ' WHERE position = 3; \
         UPDATE events SET payload = (SELECT payload FROM events WHERE position = 3) WHERE position = 4",
    )
    .await;
    let reordered = f
        .store
        .verify_chain(1, None)
        .await
        .expect("verify")
        .broken
        .expect("found");
    assert_eq!(reordered.position, 3);
    assert!(
        matches!(reordered.kind, retur_store::BreakKind::HashDiffers { .. }),
        "{reordered}"
    );
    f.tamper("DELETE FROM events WHERE position = 9").await;
    let removed = f
        .store
        .verify_chain(5, None)
        .await
        .expect("verify")
        .broken
        .expect("found");
    assert_eq!(removed.position, 9, "{removed}");
    assert_eq!(
        removed.kind,
        retur_store::BreakKind::Skipped {
            missing: 9,
            next: 10
        },
        "{removed}"
    );
    assert!(removed.problem().contains("missing"), "{removed}");
}

/// Every event of the log read in pages of `limit` with the chain checked on the way.
async fn read_checked(
    store: &dyn EventStore,
    limit: usize,
) -> (Vec<retur_store::RecordedEvent>, retur_store::ChainReport) {
    let mut chain = retur_store::ChainCheck::new();
    let mut all = Vec::new();
    loop {
        let page = store.read_checked(&mut chain, limit).await.expect("read");
        if page.is_empty() {
            return (all, chain.report());
        }
        all.extend(page);
    }
}

pub(crate) async fn a_checked_reading_gives_the_log_and_the_chain_in_one_pass(f: &Fixture) {
    for n in 0..25 {
        f.store
            .append(append(&format!("case-{}", n % 4), n / 4, vec![event(n)]))
            .await
            .expect("append");
    }
    let (events, report) = read_checked(f.store.as_ref(), 4).await;
    assert_eq!(events, everything(f.store.as_ref()).await);
    assert_eq!(report, f.store.verify_chain(1, None).await.expect("verify"));
    assert!(report.is_intact() && report.last == 25, "{report:?}");
    let at_seven = f.store.verify_chain(1, Some(7)).await.expect("verify");
    assert_eq!(noted(f.store.as_ref(), 7).await, Some(at_seven.last_hash));
    assert_eq!(noted(f.store.as_ref(), 26).await, None, "past the end");

    f.tamper(r#"UPDATE events SET payload = '{"n":6,"note":"changed"}' WHERE position = 7"#)
        .await;
    let (events, report) = read_checked(f.store.as_ref(), 4).await;
    assert_eq!(events.len(), 25, "the reading goes on past the break");
    assert_eq!(events[6].payload, json!({"n": 6, "note": "changed"}));
    assert_eq!(report.broken.as_ref().map(|b| b.position), Some(7));
    assert_eq!(report, f.store.verify_chain(1, None).await.expect("verify"));
    assert_eq!(noted(f.store.as_ref(), 7).await, None, "broken there");
    let at_six = f.store.verify_chain(1, Some(6)).await.expect("verify");
    assert!(at_six.is_intact());
    assert_eq!(noted(f.store.as_ref(), 6).await, Some(at_six.last_hash));
}

/// The hash at `position` as a checked reading of the whole log notes it.
async fn noted(store: &dyn EventStore, position: u64) -> Option<retur_store::Hash> {
    let mut chain = retur_store::ChainCheck::new().noting(position);
    while !store
        .read_checked(&mut chain, 3)
        .await
        .expect("read")
        .is_empty()
    {}
    chain.noted()
}

pub(crate) async fn a_payload_that_no_longer_parses_names_its_position(f: &Fixture) {
    for n in 0..5 {
        f.store
            .append(append("case-1", n, vec![event(n)]))
            .await
            .expect("append");
    }
    f.tamper("UPDATE events SET payload = '{\"n\": 3, broken' WHERE position = 4")
        .await;
    let error = f.store.read_all(0, 100).await.expect_err("unreadable");
    assert!(
        matches!(error, StoreError::Unreadable { position: 4, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("position 4"), "{error}");
    let stream_error = f
        .store
        .read_stream(&stream("case-1"), 1, 100)
        .await
        .expect_err("unreadable");
    assert!(
        matches!(stream_error, StoreError::Unreadable { position: 4, .. }),
        "{stream_error}"
    );
    assert_eq!(
        f.store.read_all(0, 3).await.expect("before it reads").len(),
        3
    );
}

pub(crate) async fn large_payloads_round_trip_and_oversized_ones_are_refused(f: &Fixture) {
    let big = "x".repeat(900 * 1024);
    let large = NewEvent {
        payload: json!({ "text": big }),
        ..event(0)
    };
    f.store
        .append(append("case-1", 0, vec![large]))
        .await
        .expect("a 900 KiB payload");
    let read = f
        .store
        .read_stream(&stream("case-1"), 1, 10)
        .await
        .expect("read");
    assert_eq!(
        read[0].payload["text"].as_str().map(str::len),
        Some(900 * 1024)
    );
    let too_big = NewEvent {
        payload: json!({ "text": "x".repeat(1024 * 1024 + 1) }),
        ..event(0)
    };
    let refused = f.store.append(append("case-1", 1, vec![too_big])).await;
    assert!(
        matches!(refused, Err(AppendError::Invalid(ref m)) if m.contains("bytes")),
        "{refused:?}"
    );
    let many = f
        .store
        .append(append("case-2", 0, (0..1001).map(event).collect()))
        .await;
    assert!(
        matches!(many, Err(AppendError::Invalid(ref m)) if m.contains("1000")),
        "{many:?}"
    );
    assert!(
        f.store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact()
    );
}

pub(crate) async fn old_payloads_are_upcast_on_every_read_path(f: &Fixture) {
    // Version 1 of `greeting` had `text`; version 2 renamed it to `message` and added `language`.
    let old = NewEvent {
        event_type: "greeting".into(),
        schema_version: 1,
        payload: json!({ "text": "hei" }),
        ..event(0)
    };
    f.store
        .append(append("case-1", 0, vec![old]))
        .await
        .expect("append v1");
    let mut upcasters = Upcasters::new();
    upcasters.register("greeting", 1, 2, |payload| {
        let text = payload
            .get("text")
            .and_then(|t| t.as_str())
            .ok_or("no text")?
            .to_owned();
        Ok(json!({ "message": text, "language": "nb" }))
    });
    let store = f.reopen(upcasters).await;
    let current = json!({ "message": "hei", "language": "nb" });
    let from_stream = store
        .read_stream(&stream("case-1"), 1, 10)
        .await
        .expect("read");
    assert_eq!(
        (from_stream[0].schema_version, &from_stream[0].payload),
        (2, &current)
    );
    let from_log = store.read_all(0, 10).await.expect("read");
    assert_eq!(
        (from_log[0].schema_version, &from_log[0].payload),
        (2, &current)
    );
    let (checked, _) = read_checked(store.as_ref(), 10).await;
    assert_eq!(
        (checked[0].schema_version, &checked[0].payload),
        (2, &current)
    );
    let from_subscription = store.subscribe(0).next().await.expect("event");
    assert_eq!(
        (from_subscription.schema_version, &from_subscription.payload),
        (2, &current)
    );
    assert!(
        store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact(),
        "the stored bytes are untouched"
    );
}

pub(crate) async fn the_log_reads_in_pages_and_streams_from_a_version(f: &Fixture) {
    for n in 0..25u64 {
        f.store
            .append(append(&format!("case-{}", n % 3), n / 3, vec![event(n)]))
            .await
            .expect("append");
    }
    let page = f.store.read_all(10, 5).await.expect("page");
    assert_eq!(
        page.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![11, 12, 13, 14, 15]
    );
    assert_eq!(everything(f.store.as_ref()).await.len(), 25);
    let tail = f
        .store
        .read_stream(&stream("case-1"), 5, 100)
        .await
        .expect("stream");
    assert_eq!(
        tail.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        vec![5, 6, 7, 8]
    );
    assert!(tail.iter().all(|e| e.stream_id.as_str() == "case-1"));
    assert!(
        f.store
            .read_all(25, 10)
            .await
            .expect("past the end")
            .is_empty()
    );
}

pub(crate) async fn a_subscription_catches_up_from_any_position_then_follows(f: &Fixture) {
    for n in 0..10 {
        f.store
            .append(append("case-1", n, vec![event(n)]))
            .await
            .expect("append");
    }
    let mut subscription = f.store.subscribe(6);
    for expected in 7..=10 {
        assert_eq!(
            subscription.next().await.expect("catch up").position,
            expected
        );
    }
    let store = Arc::clone(&f.store);
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        store
            .append(append("case-1", 10, vec![event(10), event(11)]))
            .await
            .expect("append");
    });
    for expected in 11..=12 {
        let next = tokio::time::timeout(Duration::from_secs(10), subscription.next())
            .await
            .expect("follows")
            .expect("event");
        assert_eq!(next.position, expected);
    }
    later.await.expect("writer");
    assert_eq!(subscription.position(), 12);
}

pub(crate) async fn a_second_process_sees_the_log_and_wakes_its_subscribers(f: &Fixture) {
    let other = f.reopen(Upcasters::new()).await;
    let mut subscription = other.subscribe(0);
    f.store
        .append(append("case-1", 0, vec![event(1)]))
        .await
        .expect("append here");
    let seen = tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("woken")
        .expect("event");
    assert_eq!(seen.position, 1);
    other
        .append(append("case-1", 1, vec![event(2)]))
        .await
        .expect("append there");
    let conflict = f.store.append(append("case-1", 1, vec![event(3)])).await;
    assert!(
        matches!(
            conflict,
            Err(AppendError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ),
        "{conflict:?}"
    );
    assert_eq!(f.store.head().await.expect("head").position, 2);
}

pub(crate) async fn verify_chain_checks_a_range_from_the_middle(f: &Fixture) {
    for n in 0..20 {
        f.store
            .append(append("case-1", n, vec![event(n)]))
            .await
            .expect("append");
    }
    let report = f.store.verify_chain(8, Some(15)).await.expect("verify");
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.first, report.last, report.checked), (8, 15, 8));
    let head = f.store.head().await.expect("head");
    let whole = f.store.verify_chain(1, None).await.expect("verify");
    assert_eq!((whole.last, whole.last_hash), (head.position, head.hash));
    let empty_tail = f.store.verify_chain(21, None).await.expect("verify");
    assert!(
        empty_tail.is_intact() && empty_tail.checked == 0,
        "{empty_tail:?}"
    );
}

pub(crate) async fn a_summary_is_written_with_its_append_and_read_back_at_once(f: &Fixture) {
    let case = stream("case-1");
    assert_eq!(f.store.read_summary(&case).await.expect("read"), None);
    let first = AppendRequest {
        summary: Some(summary("submitted", 1)),
        ..append("case-1", 0, vec![event(1)])
    };
    f.store.append(first).await.expect("append");
    let stored = f
        .store
        .read_summary(&case)
        .await
        .expect("read")
        .expect("a summary");
    assert_eq!((stored.version, stored.position), (1, 1));
    assert_eq!(stored.summary, summary("submitted", 1));

    let second = AppendRequest {
        summary: Some(summary("under_review", 2)),
        ..append("case-1", 1, vec![event(2), event(3)])
    };
    f.store.append(second).await.expect("append");
    let stored = f
        .store
        .read_summary(&case)
        .await
        .expect("read")
        .expect("a summary");
    assert_eq!(
        (
            stored.version,
            stored.position,
            stored.summary.state.as_str()
        ),
        (3, 3, "under_review")
    );

    // A conflicting append writes neither its events nor its summary.
    let stale = AppendRequest {
        summary: Some(summary("approved", 9)),
        ..append("case-1", 1, vec![event(4)])
    };
    assert!(matches!(
        f.store.append(stale).await,
        Err(AppendError::Conflict { .. })
    ));
    // An append without a summary leaves the summary as it was.
    f.store
        .append(append("case-1", 3, vec![event(5)]))
        .await
        .expect("append");
    let stored = f
        .store
        .read_summary(&case)
        .await
        .expect("read")
        .expect("a summary");
    assert_eq!(
        (stored.version, stored.summary.state.as_str()),
        (3, "under_review")
    );
}

pub(crate) async fn concurrent_appends_leave_the_summary_of_the_last_version(f: &Fixture) {
    let mut tasks = Vec::new();
    for writer in 0..16u64 {
        let store = Arc::clone(&f.store);
        tasks.push(tokio::spawn(async move {
            let mut written = 0;
            while written < 4 {
                let version = store
                    .read_stream(&stream("case-busy"), 1, 10_000)
                    .await
                    .expect("read")
                    .len() as u64;
                let request = AppendRequest {
                    summary: Some(summary("busy", version + 1)),
                    ..append("case-busy", version, vec![event(writer)])
                };
                match store.append(request).await {
                    Ok(_) => written += 1,
                    Err(AppendError::Conflict { .. }) => {}
                    Err(other) => panic!("{other}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
    let stored = f
        .store
        .read_summary(&stream("case-busy"))
        .await
        .expect("read")
        .expect("a summary");
    assert_eq!(stored.version, 64);
    assert_eq!(
        stored.summary.detail["n"], 64,
        "the summary is the one written with version 64"
    );
}

pub(crate) async fn summaries_list_by_prefix_in_pages(f: &Fixture) {
    for n in 0..12u64 {
        let name = if n % 3 == 0 {
            format!("other-{n:02}")
        } else {
            format!("case-{n:02}")
        };
        let request = AppendRequest {
            summary: Some(summary("submitted", n)),
            ..append(&name, 0, vec![event(n)])
        };
        f.store.append(request).await.expect("append");
    }
    let first = f
        .store
        .list_summaries("case-", None, 5)
        .await
        .expect("list");
    assert_eq!(
        first
            .iter()
            .map(|s| s.stream_id.as_str())
            .collect::<Vec<_>>(),
        ["case-01", "case-02", "case-04", "case-05", "case-07"]
    );
    let rest = f
        .store
        .list_summaries("case-", Some(&first[4].stream_id), 100)
        .await
        .expect("list");
    assert_eq!(
        rest.iter()
            .map(|s| s.stream_id.as_str())
            .collect::<Vec<_>>(),
        ["case-08", "case-10", "case-11"]
    );
}

pub(crate) async fn due_summaries_come_in_due_date_order_in_pages(f: &Fixture) {
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2025, 3, d).expect("a date");
    for (n, due) in [
        (1u64, Some(5)),
        (2, Some(3)),
        (3, None),
        (4, Some(3)),
        (5, Some(9)),
        (6, Some(12)),
    ] {
        let mut stated = summary("waiting", n);
        stated.due_on = due.map(day);
        let request = AppendRequest {
            summary: Some(stated),
            ..append(&format!("case-{n}"), 0, vec![event(n)])
        };
        f.store.append(request).await.expect("append");
    }
    let due = f.store.due_summaries(day(10), None, 2).await.expect("due");
    let names = |list: &[retur_store::StoredSummary]| {
        list.iter()
            .map(|s| s.stream_id.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&due), ["case-2", "case-4"]);
    let last = due.last().expect("a page");
    let rest = f
        .store
        .due_summaries(
            day(10),
            Some((last.summary.due_on.expect("due"), last.stream_id.clone())),
            10,
        )
        .await
        .expect("due");
    assert_eq!(
        names(&rest),
        ["case-1", "case-5"],
        "due before the 10th only, none without a date"
    );
}
