//! The machine's limit on this database: one plain one-row INSERT of an event-sized row per
//! transaction, from `clients` connections at once.

use std::time::{Duration, Instant};

use sqlx::{Connection as _, Executor as _};

use crate::place::{Backend, Place};
use crate::report::{RAW, Row, row};

/// The raw limit: `clients` connections, each doing one-row INSERTs, one transaction each.
pub(crate) async fn raw_inserts(place: &Place, clients: usize, duration: Duration) -> Row {
    let backend = place.backend();
    let url = place.url();
    let create = match backend {
        Backend::Sqlite => {
            "CREATE TABLE IF NOT EXISTS raw_events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, payload TEXT NOT NULL, recorded_at INTEGER NOT NULL)"
        }
        Backend::Postgres => {
            "CREATE TABLE IF NOT EXISTS raw_events (id BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, payload TEXT NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        }
    };
    match backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&url)
                .await
                .expect("connect");
            c.execute("PRAGMA journal_mode = WAL").await.expect("wal");
            c.execute(create).await.expect("create");
        }
        Backend::Postgres => {
            sqlx::PgConnection::connect(&url)
                .await
                .expect("connect")
                .execute(create)
                .await
                .expect("create");
        }
    }
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let url = url.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let text = crate::append::payload(client as u64).to_string();
                match backend {
                    Backend::Sqlite => {
                        let options: sqlx::sqlite::SqliteConnectOptions = url.parse().expect("url");
                        let options = options
                            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
                            .busy_timeout(Duration::from_secs(30));
                        let mut c = sqlx::SqliteConnection::connect_with(&options).await.expect("connect");
                        while Instant::now() < deadline {
                            let began = Instant::now();
                            sqlx::query("INSERT INTO raw_events (stream_id, payload, recorded_at) VALUES (?, ?, ?)")
                                .bind(format!("case-{client}"))
                                .bind(&text)
                                .bind(chrono::Utc::now().timestamp_micros())
                                .execute(&mut c)
                                .await
                                .expect("insert");
                            latencies.push(began.elapsed());
                        }
                    }
                    Backend::Postgres => {
                        let mut c = sqlx::PgConnection::connect(&url).await.expect("connect");
                        while Instant::now() < deadline {
                            let began = Instant::now();
                            sqlx::query("INSERT INTO raw_events (stream_id, payload) VALUES ($1, $2)")
                                .bind(format!("case-{client}"))
                                .bind(&text)
                                .execute(&mut c)
                                .await
                                .expect("insert");
                            latencies.push(began.elapsed());
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("inserter"));
    }
    row(backend, RAW, clients, latencies, start.elapsed())
}
