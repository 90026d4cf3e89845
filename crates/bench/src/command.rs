//! The command path: cases taken through their lifecycle, each command authorized, its case
//! loaded and folded, decided, appended with the case's status, as `retur serve` does it;
//! through the app layer, and through HTTP.
//!
//! Every case makes the same seven commands (the peer's six, plus UDI's review, which retur's
//! lifecycle has before a decision): submit, begin review, approve, hand over to IOM, book,
//! confirm departure, pay the pocket money. The households (size, names, dates of birth,
//! nationality) come from a seeded generator, so every run makes the same cases.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use retur_api::dto::CommandDto;
use retur_app::{Caller, Cases, CommandRequest, ManualClock};
use retur_domain::{Action, Actor, ActorId, CaseId, Role};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::place::Backend;
use crate::report::{Row, row};

/// The day every decision is made on.
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 2).expect("a date")
}

pub(crate) fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        today()
            .and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("10:00"))
            .and_utc(),
    ))
}

const NATIONALITIES: [&str; 6] = ["ET", "AF", "IQ", "SO", "ER", "SD"];
const NAMES: [&str; 8] = [
    "Abebe", "Amina", "Hana", "Omar", "Yonas", "Fatima", "Samir", "Leila",
];

/// One case's commands, in order, with the role that gives each.
pub(crate) fn lifecycle(rng: &mut StdRng) -> Vec<(Role, Value)> {
    let country = NATIONALITIES[rng.random_range(0..NATIONALITIES.len())];
    let size = rng.random_range(1..=3);
    let household: Vec<Value> = (0..size)
        .map(|n| {
            let relation = match n {
                0 => "principal_applicant",
                1 => "spouse",
                _ => "child",
            };
            let born = NaiveDate::from_ymd_opt(
                if n < 2 {
                    rng.random_range(1960..2000)
                } else {
                    rng.random_range(2010..2020)
                },
                rng.random_range(1..=12),
                rng.random_range(1..=28),
            )
            .expect("a date");
            let name = format!(
                "{} {}",
                NAMES[rng.random_range(0..NAMES.len())],
                NAMES[rng.random_range(0..NAMES.len())]
            );
            json!({ "person_id": Uuid::from_u128(rng.random()), "relation": relation,
                    "full_name": name, "date_of_birth": born })
        })
        .collect();
    let day = today();
    vec![
        (
            Role::Applicant,
            json!({ "command": "submit", "household": household, "nationality": country,
                    "return_country": country, "final_destination": "Home town",
                    "situation": "asylum_refused" }),
        ),
        (Role::Udi, json!({ "command": "begin_review" })),
        (Role::Udi, json!({ "command": "approve" })),
        (Role::Udi, json!({ "command": "hand_over_to_iom" })),
        (
            Role::Iom,
            json!({ "command": "book_departure", "booking": { "departs_on": day,
                    "flight": "TK1752", "from_airport": "OSL", "to_airport": "IST" } }),
        ),
        (
            Role::Iom,
            json!({ "command": "confirm_departure", "departed_on": day }),
        ),
        (Role::Iom, json!({ "command": "pay_pocket_money" })),
    ]
}

pub(crate) fn action(body: &Value) -> Action {
    CommandDto::from_value(body.clone())
        .and_then(CommandDto::into_action)
        .expect("the bench's commands are well formed")
}

/// A command for `case` from a body, with ids from the seeded generator.
pub(crate) fn request(rng: &mut StdRng, case: CaseId, body: &Value) -> CommandRequest {
    CommandRequest {
        case_id: case,
        action: action(body),
        command_id: Uuid::from_u128(rng.random()),
        correlation_id: Uuid::from_u128(rng.random()),
        expected_version: None,
    }
}

pub(crate) fn caller(role: Role, case: CaseId) -> Caller {
    let actor = Actor::new(role, ActorId::parse("bench").expect("an actor id"));
    match role {
        Role::Applicant => Caller::applicant(actor, [case]),
        _ => Caller::agency(actor),
    }
}

/// Closed loop through the app layer: `clients` clients, each taking case after case through
/// its lifecycle until `duration` has passed.
pub(crate) async fn through_app(
    backend: Backend,
    cases: &Cases,
    clients: usize,
    duration: Duration,
    seed: u64,
) -> Row {
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let cases = cases.clone();
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ (client as u64) << 32);
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let case = CaseId::from_uuid(Uuid::from_u128(rng.random()));
                    for (role, body) in lifecycle(&mut rng) {
                        let request = request(&mut rng, case, &body);
                        let caller = caller(role, case);
                        let began = Instant::now();
                        cases
                            .handle(&caller, request)
                            .await
                            .expect("the rules accept every bench command");
                        latencies.push(began.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    row(
        backend,
        "retur command through the app",
        clients,
        latencies,
        start.elapsed(),
    )
}

/// Open loop through the app layer: commands offered at `rate` per second whatever the system
/// does, spread over many cases in progress at once; latency counts from when each was due, so
/// a stall shows in the figures (no coordinated omission).
pub(crate) async fn paced_through_app(
    backend: Backend,
    cases: &Cases,
    rate: f64,
    duration: Duration,
    seed: u64,
) -> Row {
    // Enough cases in flight that one rarely waits on its own previous command.
    const LANES: usize = 256;
    let interval = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let total = (rate * duration.as_secs_f64()) as usize;
    let (lanes, tasks): (Vec<_>, Vec<_>) = (0..LANES)
        .map(|lane| {
            let (due, mut dues) = mpsc::unbounded_channel::<Instant>();
            let cases = cases.clone();
            let task = tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ (lane as u64) << 32);
                let mut latencies = Vec::new();
                let mut steps = Vec::new().into_iter();
                let mut case = CaseId::from_uuid(Uuid::nil());
                while let Some(due) = dues.recv().await {
                    let (role, body) = match steps.next() {
                        Some(step) => step,
                        None => {
                            case = CaseId::from_uuid(Uuid::from_u128(rng.random()));
                            steps = lifecycle(&mut rng).into_iter();
                            steps.next().expect("a first command")
                        }
                    };
                    let request = request(&mut rng, case, &body);
                    cases
                        .handle(&caller(role, case), request)
                        .await
                        .expect("the rules accept every bench command");
                    latencies.push(due.elapsed());
                }
                latencies
            });
            (due, task)
        })
        .unzip();
    let start = Instant::now();
    for n in 0..total {
        let due = start + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let _ = lanes[n % LANES].send(due);
    }
    drop(lanes);
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await.expect("a lane"));
    }
    let what = format!("retur command through the app, {rate:.0}/s offered");
    row(backend, what, 0, latencies, start.elapsed())
}

fn token(keys: &retur_api::Keys, role: Role, cases: Vec<Uuid>) -> String {
    keys.issue(&retur_api::TokenClaims {
        sub: "bench".into(),
        role: role.as_str().into(),
        cases,
        exp: chrono::Utc::now().timestamp() + 3600,
        nbf: None,
    })
    .expect("a token")
}

fn applicant_token(keys: &retur_api::Keys, case: Uuid) -> String {
    token(keys, Role::Applicant, vec![case])
}

/// Closed loop through HTTP: the same lifecycle as JSON requests with bearer tokens to a
/// server on this machine, over `clients` keep-alive connections.
pub(crate) async fn through_http(
    backend: Backend,
    base: &str,
    keys: &Arc<retur_api::Keys>,
    clients: usize,
    duration: Duration,
    seed: u64,
) -> Row {
    let udi = token(keys, Role::Udi, vec![]);
    let iom = token(keys, Role::Iom, vec![]);
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let (udi, iom, base) = (udi.clone(), iom.clone(), base.to_owned());
            let keys = Arc::clone(keys);
            let http = reqwest::Client::new();
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ (client as u64) << 32);
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let case = Uuid::from_u128(rng.random());
                    let applicant = applicant_token(&keys, case);
                    let url = format!("{base}/cases/{case}/commands");
                    for (role, body) in lifecycle(&mut rng) {
                        let bearer = match role {
                            Role::Applicant => &applicant,
                            Role::Udi => &udi,
                            _ => &iom,
                        };
                        let began = Instant::now();
                        let response = http
                            .post(&url)
                            .bearer_auth(bearer)
                            .json(&body)
                            .send()
                            .await
                            .expect("a response");
                        let status = response.status();
                        let _ = response.bytes().await;
                        latencies.push(began.elapsed());
                        assert!(status.is_success(), "{status} for {body}");
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    row(
        backend,
        "retur command through HTTP",
        clients,
        latencies,
        start.elapsed(),
    )
}
