//! `retur-bench`: what retur exists for, measured beside the raw limit of the same database in
//! the same run.
//!
//!     cargo run --release -p retur-bench -- [--seconds S] [--backends sqlite,postgres]
//!         [--clients 1,8,32] [--only command,http,paced,append,pages,replay] [--rate 1000]
//!         [--events 100000,1000000] [--markdown FILE]
//!
//! PostgreSQL is measured when `DATABASE_URL` names a server where databases may be created;
//! every measurement gets a fresh database of its own, dropped afterwards.

#![allow(clippy::print_stdout, clippy::float_arithmetic)] // A report for people.

mod append;
mod command;
mod pages;
mod place;
mod raw;
mod replay;
mod report;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use place::{Backend, Place};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "retur-bench",
    about = "Benchmarks of retur beside the raw limit of the same database."
)]
struct Args {
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Which backends: `sqlite`, `postgres` (with `DATABASE_URL`), or both.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    backends: Vec<String>,
    /// The numbers of concurrent clients to measure at.
    #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
    clients: Vec<usize>,
    /// Which measurements: `command` (through the app), `http`, `paced` (open loop at
    /// `--rate`), `append` (the store alone), `pages` (the case page beside the JSON history),
    /// `replay` (rebuild and verify a generated log of each size in `--events`). The raw limit
    /// is measured beside the first four.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "command,http,paced,append,pages,replay"
    )]
    only: Vec<String>,
    /// The sizes of log to rebuild and verify, in events, smallest first.
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    events: Vec<u64>,
    /// Commands per second offered in the paced run.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// The seed of the generated cases.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Keep the replay's generated log (and print where it is), for profiling its rebuild and
    /// verify by hand: `retur-bench child rebuild URL`.
    #[arg(long)]
    keep: bool,
    /// Also write the table here, as Markdown.
    #[arg(long)]
    markdown: Option<PathBuf>,
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    child: Option<Child>,
}

#[derive(Debug, clap::Subcommand)]
enum Child {
    /// Rebuild or verify the database at URL and report what it took, as JSON: what the replay
    /// measurement runs in a child process, and what to profile.
    Child { what: String, url: String },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(Child::Child { what, url }) = &args.child {
        return replay::child(what, url).await;
    }
    let duration = Duration::from_secs_f64(args.seconds);
    let server = args
        .database_url
        .as_deref()
        .filter(|url| url.starts_with("postgres"));
    let wants = |what: &str| args.only.iter().any(|o| o == what);
    let mut rows = Vec::new();
    let mut replayed = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let name = backend.name().to_lowercase();
        if !args.backends.iter().any(|b| name.starts_with(b.as_str())) {
            continue;
        }
        if backend == Backend::Postgres && server.is_none() {
            println!("DATABASE_URL names no PostgreSQL server: PostgreSQL is not measured.");
            continue;
        }
        let mut max_append: f64 = 0.0;
        for &clients in &args.clients {
            let place = Place::new(backend, server).await?;
            rows.push(raw::raw_inserts(&place, clients, duration).await);
            place.finish().await;
            if wants("command") {
                let place = Place::new(backend, server).await?;
                let system = retur::System::open(&place.url(), command::clock()).await?;
                rows.push(
                    command::through_app(backend, &system.cases, clients, duration, args.seed)
                        .await,
                );
                drop(system);
                place.finish().await;
            }
            if wants("http") {
                let place = Place::new(backend, server).await?;
                rows.push(http(&place, clients, duration, args.seed).await?);
                place.finish().await;
            }
            if wants("pages") {
                let place = Place::new(backend, server).await?;
                let system = retur::System::open(&place.url(), command::clock()).await?;
                let served = Served::start(&system).await?;
                let token = served.token(pages::READER)?;
                rows.extend(
                    pages::case_page_beside_history(
                        backend,
                        &system.cases,
                        &served.base,
                        &token,
                        clients,
                        duration,
                        args.seed,
                    )
                    .await,
                );
                served.stop().await;
                drop(system);
                place.finish().await;
            }
            if wants("append") {
                let place = Place::new(backend, server).await?;
                let system = retur::System::open(&place.url(), command::clock()).await?;
                let row = append::store_appends(backend, &system.store, clients, duration).await;
                max_append = max_append.max(row.per_second);
                rows.push(row);
                drop(system);
                place.finish().await;
            }
            println!("{} at {clients}: done", backend.name());
        }
        if wants("append") && max_append > 0.0 {
            // The store's latency at half the highest rate measured, offered at a steady pace.
            let place = Place::new(backend, server).await?;
            let system = retur::System::open(&place.url(), command::clock()).await?;
            rows.push(
                append::paced_appends(backend, &system.store, max_append / 2.0, duration).await,
            );
            drop(system);
            place.finish().await;
        }
        if wants("paced") {
            let place = Place::new(backend, server).await?;
            let system = retur::System::open(&place.url(), command::clock()).await?;
            rows.push(
                command::paced_through_app(backend, &system.cases, args.rate, duration, args.seed)
                    .await,
            );
            drop(system);
            place.finish().await;
        }
        if wants("replay") {
            // One log, grown to each size in turn, rebuilt and verified at each.
            let place = Place::new(backend, server).await?;
            let system = retur::System::open(&place.url(), command::clock()).await?;
            for &events in &args.events {
                replay::grow_log(&system.cases, events, args.seed).await?;
                for what in ["rebuild", "verify"] {
                    let report = replay::in_child(what, &place.url())?;
                    println!("  {what}: {report:?}");
                    replayed.push((backend, report));
                }
            }
            drop(system);
            if args.keep {
                println!("  the log is kept at {}", place.url());
            } else {
                place.finish().await;
            }
        }
    }
    let mut table = report::render(&rows, args.seconds);
    if !replayed.is_empty() {
        table.push('\n');
        table.push_str(&replay::render(&replayed));
    }
    println!("{table}");
    if let Some(path) = args.markdown {
        std::fs::write(&path, &table).with_context(|| format!("writing {}", path.display()))?;
        println!("written to {}", path.display());
    }
    Ok(())
}

/// The command path through a server on this machine, on port 0, as `retur serve` runs it
/// (without the projections, which would compete for the same cores).
async fn http(
    place: &Place,
    clients: usize,
    duration: Duration,
    seed: u64,
) -> anyhow::Result<report::Row> {
    let system = retur::System::open(&place.url(), command::clock()).await?;
    let served = Served::start(&system).await?;
    let row = command::through_http(
        place.backend(),
        &served.base,
        &served.keys,
        clients,
        duration,
        seed,
    )
    .await;
    served.stop().await;
    Ok(row)
}

/// The API and the pages served on port 0 over `system`, as the tests start it.
struct Served {
    base: String,
    keys: Arc<retur_api::Keys>,
    running: retur::Running,
}

impl Served {
    async fn start(system: &retur::System) -> anyhow::Result<Served> {
        let keys = Arc::new(
            retur_api::Keys::from_secret(b"the bench's secret, long enough for HS256")
                .map_err(anyhow::Error::msg)?,
        );
        // The command path and the pages alone: no projection or scheduler competes with them.
        let serving = retur::Serving {
            keys: Arc::clone(&keys),
            manual_clock: None,
            deadlines_every: None,
            projections: false,
        };
        let running = retur::spawn_app(system, serving).await?;
        Ok(Served {
            base: running.base.clone(),
            keys,
            running,
        })
    }

    /// A token for `role`, valid for an hour.
    fn token(&self, role: retur_domain::Role) -> anyhow::Result<String> {
        self.keys
            .issue(&retur_api::TokenClaims {
                sub: "bench".into(),
                role: role.as_str().into(),
                cases: Vec::new(),
                exp: chrono::Utc::now().timestamp() + 3600,
                nbf: None,
            })
            .map_err(anyhow::Error::msg)
    }

    async fn stop(self) {
        let _ = self.running.stop().await;
    }
}
