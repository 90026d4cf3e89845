//! Crash safety: `retur serve` under load from many clients, killed with SIGKILL at random
//! moments again and again (and, on PostgreSQL, the database restarted under it). Clients
//! retry each command with its idempotency key until they get an answer, as a client of the
//! API should. Afterwards every command that got a 2xx is in the log exactly once, no position
//! is missing, the log verifies, and every projection rebuilt from scratch equals the live one.
//!
//! Bounded in time (about a second per kill), loopback only; every process it starts is killed
//! when it ends, and its database is dropped.

// The seed and the figures of each run are printed (seen with `--nocapture`, and on failure).
#![allow(clippy::print_stdout)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use retur_projections::{CaseIndex, PayoutLedger, Projector};
use retur_store::Upcasters;
use serde_json::json;
use sqlx::Row as _;
use tokio::sync::Mutex;
use uuid::Uuid;

const SECRET: &str = "a secret for the soak test, long enough for HS256";
const KILLS: usize = 24;
const CLIENTS: usize = 8;

/// Starts `retur serve` on `url` and `port`, and waits until it listens.
fn serve(url: &str, port: u16) -> common::Server {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_retur"));
    command
        .env("DATABASE_URL", url)
        .env("RETUR_TOKEN_SECRET", SECRET)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
    common::spawn_server(command).0
}

fn token(role: &str, actor: &str, cases: Vec<Uuid>) -> String {
    common::token(SECRET, role, actor, cases)
}

/// What the clients were told.
#[derive(Default)]
struct Told {
    /// Commands answered 2xx, by idempotency key.
    acknowledged: Vec<Uuid>,
    /// Commands answered 4xx: none may be, since each client works its own cases in order.
    refused: Vec<String>,
    /// Commands answered only after a failed attempt (a kill, a restart).
    retried: usize,
}

/// Sends one command until it gets an answer that is not a failure of the server: a refused
/// connection, a reset or a 5xx is tried again with the same key.
async fn until_answered(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    case: Uuid,
    body: &str,
    told: &Mutex<Told>,
) -> bool {
    let key = Uuid::now_v7();
    let mut failed = false;
    loop {
        let sent = common::send_command(http, base, token, case, body, key).await;
        match sent {
            Ok(response) if response.status().is_success() => {
                let mut told = told.lock().await;
                told.acknowledged.push(key);
                told.retried += usize::from(failed);
                return true;
            }
            Ok(response) if response.status().is_client_error() => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                told.lock()
                    .await
                    .refused
                    .push(format!("{status} {body}: {text}"));
                return false;
            }
            _ => {
                failed = true;
                tokio::time::sleep(Duration::from_millis(20)).await
            }
        }
    }
}

/// One client: case after case, from the application to the pocket money paid at departure,
/// until told to stop (it finishes the case in hand).
async fn client(base: String, n: usize, stop: Arc<AtomicBool>, told: Arc<Mutex<Told>>) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let udi = token("udi", &format!("udi-{n}"), vec![]);
    let iom = token("iom", &format!("iom-{n}"), vec![]);
    while !stop.load(Ordering::Relaxed) {
        let case = Uuid::now_v7();
        let person = Uuid::now_v7();
        let applicant = token("applicant", &format!("applicant-{n}"), vec![case]);
        // Today as the server reckons it: in Norway, which is a day ahead of UTC for an hour or
        // two around midnight.
        let today = || retur_domain::calendar::oslo_date(chrono::Utc::now()).to_string();
        let steps: [Step; 10] = [
            ("applicant", Box::new(move || common::submit_body(person))),
            ("udi", Box::new(|| json!({ "command": "begin_review" }))),
            ("udi", Box::new(|| json!({ "command": "approve" }))),
            ("udi", Box::new(|| json!({ "command": "hand_over_to_iom" }))),
            (
                "iom",
                Box::new(move || {
                    json!({
                        "command": "request_travel_document", "persons": [person],
                        "document": "emergency_travel_document", "issuing_country": "ET"
                    })
                }),
            ),
            (
                "iom",
                Box::new(move || {
                    json!({
                        "command": "record_travel_document", "person_id": person,
                        "document": "emergency_travel_document", "number": "ETD-1",
                        "valid_until": (retur_domain::calendar::oslo_date(chrono::Utc::now()) + chrono::Days::new(180)).to_string()
                    })
                }),
            ),
            (
                "iom",
                Box::new(move || {
                    json!({
                        "command": "book_departure",
                        "booking": { "departs_on": today(), "flight": "TK1752",
                                     "from_airport": "OSL", "to_airport": "ADD" }
                    })
                }),
            ),
            (
                "iom",
                Box::new(move || json!({ "command": "confirm_departure", "departed_on": today() })),
            ),
            ("iom", Box::new(|| json!({ "command": "pay_pocket_money" }))),
            (
                "iom",
                Box::new(move || json!({ "command": "confirm_arrival", "arrived_on": today() })),
            ),
        ];
        for (role, body) in &steps {
            let token = match *role {
                "applicant" => &applicant,
                "udi" => &udi,
                _ => &iom,
            };
            let body = body().to_string();
            if !until_answered(&http, &base, token, case, &body, &told).await {
                break;
            }
        }
    }
}

/// A command of the lifecycle: who gives it, and its body (made when it is sent, for today's
/// date).
type Step = (
    &'static str,
    Box<dyn Fn() -> serde_json::Value + Send + Sync>,
);

/// The machine's PostgreSQL cluster on `port`, restarted; false if this machine cannot.
fn restart_postgres(port: u16) -> bool {
    let Ok(listed) = std::process::Command::new("pg_lsclusters")
        .arg("--no-header")
        .output()
    else {
        return false;
    };
    let listed = String::from_utf8_lossy(&listed.stdout);
    let Some((version, cluster)) = listed.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(2) == Some(&port.to_string().as_str())).then(|| (fields[0], fields[1]))
    }) else {
        return false;
    };
    let restarted = std::process::Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", version, cluster, "restart"])
        .status()
        .is_ok_and(|status| status.success());
    for _ in 0..60 {
        let ready = std::process::Command::new("pg_isready")
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|status| status.success());
        if ready {
            return restarted;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// What the projections hold, in a form to compare: every case index row, the ledger's
/// entries and totals.
async fn projected(projector: &Projector) -> (Vec<String>, String) {
    let rows = sqlx::query(
        "SELECT stream_id, status, queue, claimed_by, last_position, state FROM case_index ORDER BY stream_id",
    )
    .fetch_all(projector.pool())
    .await
    .expect("rows")
    .iter()
    .map(|row| {
        (1..6).fold(row.get::<String, _>(0), |line, i| {
            let cell = row
                .try_get::<Option<String>, _>(i)
                .ok()
                .flatten()
                .or_else(|| row.try_get::<Option<i64>, _>(i).ok().flatten().map(|n| n.to_string()));
            format!("{line}|{}", cell.unwrap_or_default())
        })
    })
    .collect();
    let ledger = format!(
        "{:?} {:?}",
        PayoutLedger::entries(projector.pool())
            .await
            .expect("entries"),
        PayoutLedger::totals(projector.pool())
            .await
            .expect("totals")
    );
    (rows, ledger)
}

async fn soak(database: retur_testkit::TestDatabase, restart: Option<u16>) {
    let url = database.url();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos() as u64;
    println!("soak on {url}, seed {seed}");
    let mut choices = retur_testkit::choices(seed);

    let stop = Arc::new(AtomicBool::new(false));
    let told = Arc::new(Mutex::new(Told::default()));
    let mut server = Some(serve(&url, port));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            tokio::spawn(client(
                base.clone(),
                n,
                Arc::clone(&stop),
                Arc::clone(&told),
            ))
        })
        .collect();
    let mut restarted = false;
    for kill in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(
            100 + rand::Rng::random_range(&mut choices, 0..500),
        ))
        .await;
        drop(server.take()); // SIGKILL, in the middle of whatever it was doing
        if kill == KILLS / 2
            && let Some(pg_port) = restart
        {
            restarted = tokio::task::spawn_blocking(move || restart_postgres(pg_port))
                .await
                .expect("restart");
        }
        server = Some(serve(&url, port));
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.expect("a client");
    }
    drop(server.take());
    if restart.is_some() {
        let required = std::env::var("RETUR_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        assert!(
            restarted || !required,
            "PostgreSQL could not be restarted here (pg_lsclusters and pg_ctlcluster)"
        );
    }

    let told = told.lock().await;
    assert!(told.refused.is_empty(), "refused: {:#?}", told.refused);
    assert!(
        told.acknowledged.len() >= 100,
        "{} acknowledged",
        told.acknowledged.len()
    );
    assert!(
        told.retried >= KILLS / 2,
        "commands met a killed or restarting server: {}",
        told.retried
    );

    let store = database.store(Upcasters::new()).await;
    let all = common::everything(store.as_ref()).await;
    let positions: Vec<u64> = all.iter().map(|e| e.position).collect();
    assert_eq!(
        positions,
        (1..=all.len() as u64).collect::<Vec<_>>(),
        "no position missing"
    );
    let runs = common::command_runs(&all);
    for key in &told.acknowledged {
        assert_eq!(
            runs.get(key),
            Some(&1),
            "command {key}, acknowledged, is in the log once"
        );
    }
    let rules = Arc::new(retur_domain::RuleBook::builtin().expect("rules"));
    let cases = retur_app::Cases::new(
        Arc::clone(&store),
        database.keys().await,
        Arc::clone(&rules),
        Arc::new(retur_app::SystemClock),
    );
    let report = cases.verify(|_| {}).await.expect("verify");
    assert!(report.is_clean(), "{report:?}");

    // The live projections, as the killed servers left them and a restarted one catches up;
    // then rebuilt from the start of the log.
    let projector = Projector::connect(&url, Arc::clone(&store))
        .await
        .expect("projector");
    let index = CaseIndex::new(rules);
    for projection in [&index as &dyn retur_projections::Projection, &PayoutLedger] {
        projector
            .catch_up(projection, None)
            .await
            .expect("catch up");
    }
    let live = projected(&projector).await;
    assert!(!live.0.is_empty());
    assert!(
        live.1.contains("pocket_money"),
        "the ledger has payments: {}",
        live.1
    );
    for projection in [&index as &dyn retur_projections::Projection, &PayoutLedger] {
        projector
            .rebuild(projection, |_| {})
            .await
            .expect("rebuild");
    }
    assert_eq!(
        projected(&projector).await,
        live,
        "rebuilt from scratch equals live"
    );
    println!(
        "{KILLS} kills{}: {} commands acknowledged ({} after a failed attempt), {} events, audit clean",
        if restarted {
            " and a PostgreSQL restart"
        } else {
            ""
        },
        told.acknowledged.len(),
        told.retried,
        all.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_again_and_again_on_sqlite_it_loses_nothing() {
    soak(retur_testkit::TestDatabase::sqlite(), None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_again_and_again_on_postgres_and_postgres_restarted_it_loses_nothing() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    let port = url_port(&database.url()).unwrap_or(5432);
    soak(database, Some(port)).await;
}

fn url_port(url: &str) -> Option<u16> {
    let authority = url.split("://").nth(1)?.split('/').next()?;
    let host = authority.rsplit('@').next()?;
    host.rsplit_once(':')?.1.parse().ok()
}
