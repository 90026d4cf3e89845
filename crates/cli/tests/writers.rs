//! Several writers on one PostgreSQL: two `retur serve` processes, each with its deadline
//! scheduler, under concurrent load from many clients. Positions stay dense, nothing is written
//! twice, nothing acknowledged is lost, and each deadline fires once.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use retur_app::{Caller, Cases, CommandRequest, ManualClock};
use retur_domain::{Actor, ActorId, CaseId, Role, RuleBook};
use retur_store::{EventStore, RecordedEvent, Upcasters};
use uuid::Uuid;

const SECRET: &str = "a secret for the writers test, long enough for HS256";
const OVERDUE_CASES: usize = 12;
const CLIENTS: usize = 12;
const CASES_PER_CLIENT: usize = 6;

fn submit_body() -> String {
    common::submit_body(Uuid::now_v7()).to_string()
}

fn action(body: &str) -> retur_domain::Action {
    retur_api::dto::CommandDto::parse(body.as_bytes())
        .and_then(|dto| dto.into_action())
        .expect("a command")
}

/// Cases refused long ago, in early 2025, whose appeal windows have long closed: the
/// schedulers of both servers find them due at once.
async fn overdue_cases(
    store: Arc<dyn EventStore>,
    keys: Arc<dyn retur_store::KeyVault>,
) -> Vec<CaseId> {
    let noon = NaiveDate::from_ymd_opt(2025, 3, 3)
        .expect("a date")
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
        .and_utc();
    let cases = Cases::new(
        store,
        keys,
        Arc::new(RuleBook::builtin().expect("rules")),
        Arc::new(ManualClock::new(noon)),
    );
    let udi = Caller::agency(Actor::new(
        Role::Udi,
        ActorId::parse("udi-kari").expect("an id"),
    ));
    let mut made = Vec::new();
    for _ in 0..OVERDUE_CASES {
        let case = CaseId::from_uuid(Uuid::now_v7());
        let applicant = Caller::applicant(
            Actor::new(
                Role::Applicant,
                ActorId::parse("applicant-1").expect("an id"),
            ),
            [case],
        );
        for (caller, body) in [
            (&applicant, submit_body()),
            (&udi, r#"{"command":"begin_review"}"#.to_owned()),
            (
                &udi,
                r#"{"command":"refuse","reasons":"Not established.","notified_on":"2025-03-03"}"#
                    .to_owned(),
            ),
        ] {
            let request = CommandRequest {
                case_id: case,
                action: action(&body),
                command_id: Uuid::now_v7(),
                correlation_id: Uuid::now_v7(),
                expected_version: None,
            };
            cases.handle(caller, request).await.expect("accepted");
        }
        made.push(case);
    }
    made
}

/// `retur serve` on `url`, its scheduler looking every second; returns the process and its
/// base URL.
fn serve(url: &str) -> (common::Server, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_retur"));
    command
        .env("DATABASE_URL", url)
        .env("RETUR_TOKEN_SECRET", SECRET)
        .args(["serve", "--listen", "127.0.0.1:0", "--deadline-every", "1"]);
    common::spawn_server(command)
}

fn token(role: &str, actor: &str, cases: Vec<Uuid>) -> String {
    common::token(SECRET, role, actor, cases)
}

/// Sends a command; returns its status. Some are sent to both servers at once with one
/// idempotency key, as a client retrying against another server would.
async fn send(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    case: Uuid,
    body: &str,
    key: Uuid,
) -> u16 {
    common::send_command(client, base, token, case, body, key)
        .await
        .map_or(0, |response| response.status().as_u16())
}

/// One client: cases submitted on one server and reviewed on the other, every review sent to
/// both at once under one key. Returns the command ids that were acknowledged.
async fn client(bases: [String; 2], n: usize) -> Vec<Uuid> {
    let http = reqwest::Client::new();
    let udi = token("udi", &format!("udi-{n}"), vec![]);
    let mut acknowledged = Vec::new();
    for i in 0..CASES_PER_CLIENT {
        let case = Uuid::now_v7();
        let applicant = token("applicant", &format!("applicant-{n}"), vec![case]);
        let (here, there) = (&bases[(n + i) % 2], &bases[(n + i + 1) % 2]);
        let key = Uuid::now_v7();
        let status = send(&http, here, &applicant, case, &submit_body(), key).await;
        assert_eq!(status, 200, "a submission");
        acknowledged.push(key);
        let key = Uuid::now_v7();
        let review = r#"{"command":"begin_review"}"#;
        let (a, b) = tokio::join!(
            send(&http, here, &udi, case, review, key),
            send(&http, there, &udi, case, review, key)
        );
        assert!(
            a == 200 && b == 200,
            "both attempts of one command get its outcome: {a}, {b}"
        );
        acknowledged.push(key);
    }
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_and_two_schedulers_on_one_postgres() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    let url = database.url();
    let store = database.store(Upcasters::new()).await;
    let overdue = overdue_cases(Arc::clone(&store), database.keys().await).await;

    let servers = [serve(&url), serve(&url)];
    let bases = [servers[0].1.clone(), servers[1].1.clone()];
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(client(bases.clone(), n)))
        .collect();
    let mut acknowledged = Vec::new();
    for c in clients {
        acknowledged.extend(c.await.expect("a client"));
    }
    // Both schedulers look every second; give them a few passes side by side.
    let fired = |all: &[RecordedEvent]| {
        all.iter()
            .filter(|e| e.event_type == "appeal_window_closed")
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while fired(&common::everything(store.as_ref()).await) < OVERDUE_CASES
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    drop(servers);

    let all = common::everything(store.as_ref()).await;
    let positions: Vec<u64> = all.iter().map(|e| e.position).collect();
    assert_eq!(
        positions,
        (1..=all.len() as u64).collect::<Vec<_>>(),
        "dense"
    );
    let ids: HashSet<Uuid> = all.iter().map(|e| e.event_id).collect();
    assert_eq!(ids.len(), all.len(), "no event twice");
    // Each command's events are one run in the log: a command never writes twice.
    let runs = common::command_runs(&all);
    let twice: Vec<_> = runs.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "commands written twice: {twice:?}");
    for key in &acknowledged {
        assert!(
            runs.contains_key(key),
            "acknowledged command {key} is in the log"
        );
    }
    assert_eq!(acknowledged.len(), CLIENTS * CASES_PER_CLIENT * 2);
    for case in &overdue {
        let stream = retur_app::stream_id(*case);
        let closed = all
            .iter()
            .filter(|e| e.stream_id == stream && e.event_type == "appeal_window_closed")
            .count();
        assert_eq!(closed, 1, "case {case}'s deadline fired once");
    }
    assert_eq!(fired(&all), OVERDUE_CASES, "no other deadline fired");
    let report = Cases::new(
        Arc::clone(&store),
        database.keys().await,
        Arc::new(RuleBook::builtin().expect("rules")),
        Arc::new(retur_app::SystemClock),
    )
    .verify(|_| {})
    .await
    .expect("verify");
    assert!(report.is_clean(), "{report:?}");
}
