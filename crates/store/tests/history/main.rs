//! History checking: concurrent clients append unique values to a few streams and read them
//! back; the history of what each saw is checked for lost, duplicated, reordered, aborted and
//! stale writes (`checker`). The real store, on SQLite and PostgreSQL, must show none; a store
//! with a deliberate fault (`faulty`) must be caught, which proves the check can fail.

mod checker;
mod faulty;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use checker::{Kind, Op, Outcome, check};
use faulty::{Fault, Faulty};
use rand::Rng;
use retur_store::{AppendError, AppendRequest, EventStore, Metadata, NewEvent, StreamId};
use retur_testkit::TestDatabase;
use serde_json::json;
use uuid::Uuid;

const CLIENTS: usize = 8;
const KEYS: usize = 3;
const OPS_PER_CLIENT: usize = 120;

fn key(n: u64) -> String {
    format!("list-{n}")
}

fn values(events: &[retur_store::RecordedEvent]) -> Vec<u64> {
    events
        .iter()
        .map(|e| e.payload["v"].as_u64().expect("a value"))
        .collect()
}

/// One client: appends (with the version it last saw) and reads, chosen by `seed`.
async fn client(store: Arc<dyn EventStore>, client: usize, seed: u64) -> Vec<Op> {
    let mut choices = retur_testkit::choices(seed);
    let mut known: HashMap<String, u64> = HashMap::new();
    let mut history = Vec::with_capacity(OPS_PER_CLIENT);
    for n in 0..OPS_PER_CLIENT {
        let key = key(choices.random_range(0..KEYS as u64));
        let stream = StreamId::parse(&key).expect("a stream id");
        let invoked = Instant::now();
        if choices.random_range(0..10) < 7 {
            let value = (client * 1_000_000 + n) as u64;
            let expected_version = known.get(&key).copied().unwrap_or(0);
            let result = store
                .append(AppendRequest {
                    stream_id: stream,
                    expected_version,
                    command_id: Uuid::now_v7(),
                    metadata: Metadata {
                        actor: format!("client-{client}"),
                        role: "udi".into(),
                        correlation_id: Uuid::now_v7(),
                        causation_id: None,
                        decided_at: None,
                    },
                    events: vec![NewEvent {
                        event_id: Uuid::now_v7(),
                        event_type: "appended".into(),
                        schema_version: 1,
                        payload: json!({ "v": value }),
                    }],
                    summary: None,
                })
                .await;
            let outcome = match result {
                Ok(appended) => {
                    known.insert(key.clone(), appended.last_version);
                    Outcome::Appended
                }
                Err(AppendError::Conflict { actual, .. }) => {
                    known.insert(key.clone(), actual);
                    Outcome::Refused
                }
                Err(_) => Outcome::Unknown,
            };
            history.push(Op {
                client,
                key,
                value: Some(value),
                outcome,
                invoked,
                completed: Instant::now(),
            });
        } else {
            let events = store
                .read_stream(&stream, 1, 100_000)
                .await
                .expect("a read");
            let completed = Instant::now();
            if let Some(last) = events.last() {
                known.insert(key.clone(), last.stream_version);
            }
            history.push(Op {
                client,
                key,
                value: None,
                outcome: Outcome::Read(values(&events)),
                invoked,
                completed,
            });
        }
    }
    history
}

/// Runs the clients at once, then reads every list once they have stopped.
async fn run(store: Arc<dyn EventStore>) -> (Vec<Op>, HashMap<String, Vec<u64>>) {
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            tokio::spawn(client(
                Arc::clone(&store),
                c,
                0x9e37_79b9_7f4a_7c15 + c as u64,
            ))
        })
        .collect();
    let mut history = Vec::new();
    for c in clients {
        history.extend(c.await.expect("a client"));
    }
    let mut last = HashMap::new();
    for n in 0..KEYS as u64 {
        let stream = StreamId::parse(&key(n)).expect("a stream id");
        let events = store.read_stream(&stream, 1, 100_000).await.expect("read");
        last.insert(key(n), values(&events));
    }
    (history, last)
}

async fn no_anomalies(database: TestDatabase) {
    let store = database.store(retur_store::Upcasters::new()).await;
    let (history, last) = run(Arc::clone(&store)).await;
    let anomalies = check(&history, &last);
    let listed: Vec<String> = anomalies.iter().map(ToString::to_string).collect();
    assert!(listed.is_empty(), "{}", listed.join("\n"));

    // The history exercised what it checks: acknowledged and refused appends, and reads that
    // saw something.
    let count = |f: fn(&Outcome) -> bool| history.iter().filter(|op| f(&op.outcome)).count();
    let acknowledged = count(|o| matches!(o, Outcome::Appended));
    assert!(acknowledged >= 50, "{acknowledged} appends acknowledged");
    assert!(
        count(|o| matches!(o, Outcome::Refused)) >= 10,
        "conflicts happened"
    );
    assert!(count(|o| matches!(o, Outcome::Read(v) if !v.is_empty())) >= 50);

    // The whole log: dense positions, each acknowledged value exactly once.
    let mut all = Vec::new();
    loop {
        let after = all
            .last()
            .map_or(0, |e: &retur_store::RecordedEvent| e.position);
        let page = store.read_all(after, 1_000).await.expect("read");
        if page.is_empty() {
            break;
        }
        all.extend(page);
    }
    let positions: Vec<u64> = all.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=all.len() as u64).collect::<Vec<_>>());
    let in_log = values(&all);
    assert_eq!(
        in_log.len(),
        acknowledged,
        "nothing but the acknowledged appends"
    );
    assert_eq!(
        in_log
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        acknowledged,
        "each once"
    );
    assert!(
        store
            .verify_chain(1, None)
            .await
            .expect("verify")
            .is_intact()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_histories_on_sqlite_show_no_anomalies() {
    no_anomalies(TestDatabase::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_histories_on_postgres_show_no_anomalies() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    no_anomalies(database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_check_finds_each_fault_of_a_broken_store() {
    for (fault, kind) in [
        (Fault::AcknowledgesWithoutWriting, Kind::LostWrite),
        (Fault::ServesStaleReads, Kind::StaleRead),
        (Fault::DuplicatesOnRead, Kind::Duplicate),
        (Fault::ReordersReads, Kind::IncompatibleOrder),
    ] {
        let database = TestDatabase::sqlite();
        let inner = database.store(retur_store::Upcasters::new()).await;
        let store: Arc<dyn EventStore> = Arc::new(Faulty::new(inner, fault));
        let (history, last) = run(store).await;
        let anomalies = check(&history, &last);
        assert!(
            anomalies.iter().any(|a| a.kind == kind),
            "{fault:?} is found as {kind:?}; found: {:?}",
            anomalies
                .iter()
                .map(|a| a.kind)
                .collect::<std::collections::HashSet<_>>()
        );
    }
}
