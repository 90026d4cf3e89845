//! The web pages' cost: the case page (HTML: status, diagram, household, forms, timeline) beside
//! the JSON history of the same case, the API's nearest read, on one server in one run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use retur_app::Cases;
use retur_domain::{CaseId, Role};
use uuid::Uuid;

use crate::command::{caller, lifecycle, request};
use crate::place::Backend;
use crate::report::{Row, row};

/// Cases read at random: each taken through the whole lifecycle first, so that each page shows
/// a full timeline.
const CASES: usize = 50;

/// What the JSON history is called in the table, as the page's baseline.
pub(crate) const HISTORY: &str = "read: a case's history as JSON (GET /cases/{id}/history)";

/// Makes the cases, then measures both reads at `clients`.
pub(crate) async fn case_page_beside_history(
    backend: Backend,
    cases: &Cases,
    base: &str,
    token: &str,
    clients: usize,
    duration: Duration,
    seed: u64,
) -> Vec<Row> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids = Vec::with_capacity(CASES);
    for _ in 0..CASES {
        let case = CaseId::from_uuid(Uuid::from_u128(rng.random()));
        for (role, body) in lifecycle(&mut rng) {
            cases
                .handle(&caller(role, case), request(&mut rng, case, &body))
                .await
                .expect("the bench's lifecycle is accepted");
        }
        ids.push(case.as_uuid());
    }
    let ids = Arc::new(ids);
    let json = reads(
        base,
        &ids,
        clients,
        duration,
        seed,
        |base, case| (format!("{base}/cases/{case}/history"), Auth::Bearer),
        token,
    )
    .await;
    let page = reads(
        base,
        &ids,
        clients,
        duration,
        seed,
        |base, case| (format!("{base}/ui/cases/{case}"), Auth::Cookie),
        token,
    )
    .await;
    vec![
        row(backend, HISTORY, clients, json.0, json.1).alone(),
        row(
            backend,
            "read: the case page as HTML (GET /ui/cases/{id})",
            clients,
            page.0,
            page.1,
        )
        .against(HISTORY),
    ]
}

#[derive(Clone, Copy)]
enum Auth {
    Bearer,
    Cookie,
}

/// Closed loop: `clients` keep-alive clients reading cases at random until `duration` passed.
async fn reads(
    base: &str,
    ids: &Arc<Vec<Uuid>>,
    clients: usize,
    duration: Duration,
    seed: u64,
    url: fn(&str, Uuid) -> (String, Auth),
    token: &str,
) -> (Vec<Duration>, Duration) {
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let (ids, base, token) = (Arc::clone(ids), base.to_owned(), token.to_owned());
            let http = reqwest::Client::new();
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ (client as u64) << 32);
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let case = ids[rng.random_range(0..ids.len())];
                    let (url, auth) = url(&base, case);
                    let began = Instant::now();
                    let request = match auth {
                        Auth::Bearer => http.get(&url).bearer_auth(&token),
                        Auth::Cookie => http
                            .get(&url)
                            .header("cookie", format!("retur_session={token}")),
                    };
                    let response = request.send().await.expect("a response");
                    let status = response.status();
                    let body = response.bytes().await.expect("a body");
                    latencies.push(began.elapsed());
                    assert!(
                        status.is_success() && !body.is_empty(),
                        "{status} for {url}"
                    );
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("a client"));
    }
    (latencies, start.elapsed())
}

/// The role the pages are read as: UDI, who sees the whole case and has forms to show.
pub(crate) const READER: Role = Role::Udi;
