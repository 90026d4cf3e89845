//! Append throughput and latency, on SQLite and PostgreSQL, beside the raw limit of the same
//! database in the same run: one plain one-row INSERT per transaction.
//!
//!     cargo bench -p retur-store --bench append -- [--seconds S] [--markdown FILE]
//!         [--backends sqlite,postgres] [--clients 1,8,32]
//!
//! PostgreSQL is measured when `DATABASE_URL` names a server; each measurement gets a fresh
//! database. Every append is a one-event command on a stream of its appender's own, with a
//! ~300-byte payload, as a case command would be.

#![allow(clippy::print_stdout, clippy::float_arithmetic)] // A report for people.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use retur_store::{
    AppendRequest, EventStore, Metadata, NewEvent, PostgresStore, SqliteStore, StoreConfig,
    StreamId, Upcasters,
};
use sqlx::{Connection, Executor};
use uuid::Uuid;

const CONCURRENCY: [usize; 3] = [1, 8, 32];

#[derive(Clone, Copy, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

struct Row {
    backend: Backend,
    what: String,
    clients: usize,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    p999_ms: f64,
    mean_batch: Option<f64>,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds = flag(&args, "--seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let markdown = flag(&args, "--markdown").map(PathBuf::from);
    let duration = Duration::from_secs_f64(seconds);
    let backends = flag(&args, "--backends").unwrap_or("sqlite,postgres");
    let clients_list: Vec<usize> = flag(&args, "--clients")
        .map(|list| {
            list.split(',')
                .filter_map(|c| c.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| CONCURRENCY.to_vec());
    let server = std::env::var("DATABASE_URL").ok();
    if server.is_none() {
        println!("DATABASE_URL is not set: PostgreSQL is not measured.");
    }

    let mut rows = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if (backend == Backend::Postgres && server.is_none())
            || !backends
                .split(',')
                .any(|b| backend.name().to_lowercase().starts_with(b.trim()))
        {
            continue;
        }
        let mut max_rate: f64 = 0.0;
        for &clients in &clients_list {
            let place = Place::new(backend, server.as_deref()).await;
            let raw = raw_inserts(&place, clients, duration).await;
            rows.push(raw);
            let store = place.store().await;
            let row = store_appends(backend, &store, clients, duration).await;
            max_rate = max_rate.max(row.per_second);
            rows.push(row);
            drop(store);
            place.finish().await;
        }
        // Latency at half the highest rate measured, offered at a steady pace (open loop).
        let place = Place::new(backend, server.as_deref()).await;
        let store = place.store().await;
        rows.push(paced_appends(backend, &store, max_rate / 2.0, duration).await);
        drop(store);
        place.finish().await;
    }

    let table = render(&rows, seconds);
    println!("{table}");
    if let Some(path) = markdown {
        std::fs::write(&path, &table).expect("write the markdown table");
        println!("written to {}", path.display());
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// A fresh database for one measurement.
enum Place {
    Sqlite { dir: PathBuf },
    Postgres { server: String, name: String },
}

impl Place {
    async fn new(backend: Backend, server: Option<&str>) -> Place {
        match backend {
            Backend::Sqlite => {
                let dir =
                    std::env::temp_dir().join(format!("retur-bench-{}", Uuid::now_v7().simple()));
                std::fs::create_dir_all(&dir).expect("a temporary directory");
                Place::Sqlite { dir }
            }
            Backend::Postgres => {
                let server = server.expect("a PostgreSQL server").to_owned();
                let name = format!("retur_bench_{}", Uuid::now_v7().simple());
                let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect");
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create database");
                Place::Postgres { server, name }
            }
        }
    }

    fn url(&self) -> String {
        match self {
            Place::Sqlite { dir } => {
                format!("sqlite://{}?mode=rwc", dir.join("retur.db").display())
            }
            Place::Postgres { server, name } => {
                let base = server
                    .rsplit_once('/')
                    .map_or(server.as_str(), |(base, _)| base);
                format!("{base}/{name}")
            }
        }
    }

    async fn store(&self) -> Arc<dyn EventStore> {
        let config = StoreConfig {
            max_connections: 40,
            ..StoreConfig::default()
        };
        match self {
            Place::Sqlite { dir } => Arc::new(
                SqliteStore::open(&dir.join("retur.db"), config, Upcasters::new())
                    .await
                    .expect("open"),
            ),
            Place::Postgres { .. } => Arc::new(
                PostgresStore::connect(&self.url(), config, Upcasters::new())
                    .await
                    .expect("connect"),
            ),
        }
    }

    async fn finish(self) {
        match self {
            Place::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Place::Postgres { server, name } => {
                let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect");
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

fn payload(n: u64) -> serde_json::Value {
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
async fn store_appends(
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
        "retur append (group commit)".into(),
        clients,
        latencies,
        elapsed,
        None,
    )
}

/// Open loop: appends offered at `rate` per second whatever the store does, with latency
/// counted from when each was due, so a stall shows in the figures.
async fn paced_appends(
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
    row(backend, what, 0, latencies, elapsed, None)
}

/// The raw limit: `clients` connections, each doing one-row INSERTs, one transaction each.
async fn raw_inserts(place: &Place, clients: usize, duration: Duration) -> Row {
    let backend = match place {
        Place::Sqlite { .. } => Backend::Sqlite,
        Place::Postgres { .. } => Backend::Postgres,
    };
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
                let text = payload(client as u64).to_string();
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
    row(
        backend,
        "raw one-row INSERT per transaction".into(),
        clients,
        latencies,
        start.elapsed(),
        None,
    )
}

fn row(
    backend: Backend,
    what: String,
    clients: usize,
    mut latencies: Vec<Duration>,
    elapsed: Duration,
    mean_batch: Option<f64>,
) -> Row {
    latencies.sort();
    let at = |q: f64| {
        let index =
            ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Row {
        backend,
        what,
        clients,
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        p999_ms: at(0.999),
        mean_batch,
    }
}

fn render(rows: &[Row], seconds: f64) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Each measurement runs {seconds} s on a fresh database. Latency in milliseconds.\n"
    );
    let _ = writeln!(
        text,
        "| backend | what | clients | per second | ratio to raw | p50 | p99 | p99.9 |"
    );
    let _ = writeln!(text, "|---|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let raw = rows
            .iter()
            .find(|r| {
                r.backend == row.backend && r.clients == row.clients && r.what.starts_with("raw")
            })
            .map(|r| r.per_second);
        let ratio = match raw {
            Some(raw) if !row.what.starts_with("raw") && row.clients > 0 => {
                format!("{:.2}×", row.per_second / raw)
            }
            _ => String::new(),
        };
        let clients = if row.clients == 0 {
            "paced".to_owned()
        } else {
            row.clients.to_string()
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {:.0} | {} | {:.2} | {:.2} | {:.2} |",
            row.backend.name(),
            row.what,
            clients,
            row.per_second,
            ratio,
            row.p50_ms,
            row.p99_ms,
            row.p999_ms
        );
        let _ = row.mean_batch;
    }
    text
}
