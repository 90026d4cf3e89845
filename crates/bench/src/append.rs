//! The store alone: appends of one ~300-byte event per command, closed loop and paced.

use std::sync::Arc;
use std::time::{Duration, Instant};

use retur_store::{AppendRequest, EventStore, Metadata, NewEvent, StreamId};
use uuid::Uuid;

use crate::place::Backend;
use crate::report::{Row, row};

pub(crate) fn payload(n: u64) -> serde_json::Value {
    serde_json::json!({
        "submitted_at": "2025-03-03T12:00:00Z",
        "nationality": "ET",
        "return_country": "ET",
        "situation": "asylum_refused",
        "household": [{ "person_id": Uuid::from_u128(u128::from(n)).to_string(), "relation": "principal_applicant" }],
        "departure_deadline": null,
        "note": "a payload of about three hundred bytes, as a case command carries"
    })
}

fn request(stream: &str, expected_version: u64, n: u64) -> AppendRequest {
    AppendRequest {
        stream_id: StreamId::parse(stream).expect("stream"),
        expected_version,
        command_id: Uuid::now_v7(),
        metadata: Metadata {
            actor: "bench".into(),
            role: "udi".into(),
            correlation_id: Uuid::now_v7(),
            causation_id: None,
            decided_at: None,
        },
        events: vec![NewEvent {
            event_id: Uuid::now_v7(),
            event_type: "application_submitted".into(),
            schema_version: 1,
            payload: payload(n),
        }],
        summary: None,
    }
}

/// Closed loop: `clients` appenders, each appending as fast as its last append returns.
pub(crate) async fn store_appends(
    backend: Backend,
    store: &Arc<dyn EventStore>,
    clients: usize,
    duration: Duration,
) -> Row {
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    // Ten streams per appender, in turn: many streams, each growing.
                    let stream = format!("case-{client}-{}", n % 10);
                    let began = Instant::now();
                    store
                        .append(request(&stream, n / 10, n))
                        .await
                        .expect("append");
                    latencies.push(began.elapsed());
                    n += 1;
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("appender"));
    }
    let elapsed = start.elapsed();
    row(
        backend,
        "retur append (group commit)",
        clients,
        latencies,
        elapsed,
    )
}

/// Open loop: appends offered at `rate` per second whatever the store does, with latency
/// counted from when each was due, so a stall shows in the figures.
pub(crate) async fn paced_appends(
    backend: Backend,
    store: &Arc<dyn EventStore>,
    rate: f64,
    duration: Duration,
) -> Row {
    let rate = rate.max(1.0);
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    let total = (rate * duration.as_secs_f64()) as u64;
    let mut tasks = Vec::with_capacity(total as usize);
    for n in 0..total {
        let due = start + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let store = Arc::clone(store);
        tasks.push(tokio::spawn(async move {
            store
                .append(request(&format!("case-paced-{n}"), 0, n))
                .await
                .expect("append");
            due.elapsed()
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    for task in tasks {
        latencies.push(task.await.expect("appender"));
    }
    let elapsed = start.elapsed();
    let what = format!("retur append at half the maximum ({rate:.0}/s offered)");
    row(backend, what, 0, latencies, elapsed)
}
