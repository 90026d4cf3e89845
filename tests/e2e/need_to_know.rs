//! Need-to-know over HTTP, exhaustively: after every command of every lifecycle path (so in
//! every state a case can be in), every caller reads the case on every read route and page, and
//! gets the case only if it is in their part. IOM has a part from the hand-over, UNE from an
//! appeal forwarded to it; before that the case answers exactly as an unknown case does, now and
//! in the past.
//!
//! The expectations are written here from the walk itself (has the hand-over been sent? has an
//! appeal been forwarded?), not asked of the server's own rule.

use std::collections::BTreeSet;

use serde_json::Value;
use uuid::Uuid;

use crate::Server;

/// When the case entered IOM's and UNE's parts: the log positions of the hand-over and of the
/// first forwarded appeal.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Parts {
    pub(crate) handed_to_iom_at: Option<u64>,
    pub(crate) forwarded_to_une_at: Option<u64>,
}

impl Parts {
    /// Notes what an accepted command's answer says it recorded.
    pub(crate) fn note(&mut self, answer: &Value) {
        let first = answer["first_position"].as_u64().unwrap_or_default();
        let events = answer["events"].as_array().cloned().unwrap_or_default();
        for (i, event) in events.iter().enumerate() {
            let at = first + i as u64;
            match event.as_str() {
                Some("handed_over_to_iom") => {
                    self.handed_to_iom_at.get_or_insert(at);
                }
                Some("appeal_forwarded_to_une") => {
                    self.forwarded_to_une_at.get_or_insert(at);
                }
                _ => {}
            }
        }
    }

    /// Whether `caller` must be given the case (for the "other applicant", never: they get 403).
    fn sees(&self, caller: &str) -> bool {
        match caller {
            "iom" => self.handed_to_iom_at.is_some(),
            "une" => self.forwarded_to_une_at.is_some(),
            _ => true,
        }
    }
}

/// The callers, each with a token for `case`.
fn callers(server: &Server, case: Uuid) -> Vec<(&'static str, String)> {
    [
        "udi",
        "une",
        "iom",
        "system",
        "auditor",
        "applicant",
        "other applicant",
    ]
    .into_iter()
    .map(|caller| {
        let token = match caller {
            "applicant" => server.token("applicant", "applicant-abebe", &[case]),
            "other applicant" => server.token("applicant", "applicant-other", &[Uuid::now_v7()]),
            "system" => server.token("system", "deadline-scheduler", &[]),
            role => server.token(role, &format!("{role}-1"), &[]),
        };
        (caller, token)
    })
    .collect()
}

/// A GET with a bearer token (the API) or the session cookie (a page).
async fn get(server: &Server, token: &str, path: &str) -> (u16, String) {
    let request = server.client.get(format!("{}{path}", server.base));
    let request = if path.starts_with("/ui") {
        request.header("cookie", format!("retur_session={token}"))
    } else {
        request.bearer_auth(token)
    };
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The read routes and pages of a case, as it stands and as it stood at `position`.
fn reads(case: Uuid, position: u64) -> Vec<String> {
    vec![
        format!("/cases/{case}"),
        format!("/cases/{case}?as_of={position}"),
        format!("/cases/{case}/history"),
        format!("/cases/{case}/claim"),
        format!("/ui/cases/{case}"),
        format!("/ui/cases/{case}?at={position}"),
    ]
}

/// Checks every caller against every read of `case` in `state`, after the command at
/// `position`.
pub(crate) async fn check(server: &Server, case: Uuid, state: &str, position: u64, parts: Parts) {
    server
        .states_seen
        .lock()
        .expect("not poisoned")
        .insert(state.to_owned());
    let unknown = Uuid::now_v7();
    let mut wrong = Vec::new();
    for (caller, token) in callers(server, case) {
        for (path, unknown_path) in reads(case, position)
            .into_iter()
            .zip(reads(unknown, position))
        {
            let (status, body) = get(server, &token, &path).await;
            let claim = path.ends_with("/claim");
            let fine = if caller == "other applicant" {
                status == 403
            } else if caller == "applicant" && claim {
                // Who works on a case is the agencies' to know.
                status == 403
            } else if parts.sees(caller) {
                // A claim that nobody holds is a 404 of its own: nobody holds it.
                status == 200 || (claim && status == 404 && body.contains("nobody holds"))
            } else {
                // Exactly as an unknown case: the same status, and the same words but its id.
                let (unknown_status, unknown_body) = get(server, &token, &unknown_path).await;
                status == 404
                    && unknown_status == 404
                    && strip_ids(&body, case) == strip_ids(&unknown_body, unknown)
            };
            if !fine {
                wrong.push(format!(
                    "{caller} GET {path} in {state} gave {status}: {body}"
                ));
            }
        }
    }
    // The past: before the hand-over the case did not exist for IOM, nor for UNE before the
    // appeal reached it; from that event on, it did.
    for (caller, opened_at) in [
        ("iom", parts.handed_to_iom_at),
        ("une", parts.forwarded_to_une_at),
    ] {
        let Some(opened_at) = opened_at else { continue };
        let token = server.token(caller, &format!("{caller}-1"), &[]);
        for (at, expected) in [(opened_at - 1, 404), (opened_at, 200)] {
            for path in [
                format!("/cases/{case}?as_of={at}"),
                format!("/ui/cases/{case}?at={at}"),
            ] {
                let (status, body) = get(server, &token, &path).await;
                if status != expected {
                    wrong.push(format!(
                        "{caller} GET {path} in {state} gave {status}, not {expected}: {body}"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The answer with the case id taken out, to compare an answer about one case with the same
/// answer about another.
fn strip_ids(body: &str, case: Uuid) -> String {
    body.replace(&case.to_string(), "CASE")
}

/// After every path: each agency's statistics count only the cases in its part, its queue
/// holds none other, and every state a case can be in was checked.
pub(crate) async fn counts_and_queues_keep_to_each_part(server: &Server, cases: &[(Uuid, Parts)]) {
    crate::access::catch_up(server).await;
    let count = |caller: &str| cases.iter().filter(|(_, parts)| parts.sees(caller)).count() as u64;
    for caller in ["udi", "une", "iom", "auditor"] {
        let token = server.token(caller, &format!("{caller}-1"), &[]);
        let (status, stats) = server.get(&token, "/stats").await;
        assert_eq!(status, 200, "{stats}");
        assert_eq!(
            stats["cases"].as_u64(),
            Some(count(caller)),
            "{caller}'s statistics count the cases in its part: {stats}"
        );
        let counted: u64 = stats["by_state"]
            .as_object()
            .map(|by| by.values().filter_map(Value::as_u64).sum())
            .unwrap_or_default();
        assert_eq!(counted, count(caller), "{caller}: {stats}");
        let (status, page) = get(server, &token, "/ui/stats").await;
        assert_eq!(status, 200, "{caller}'s statistics page: {page}");
    }
    for agency in ["une", "iom"] {
        let token = server.token(agency, &format!("{agency}-1"), &[]);
        let (status, queue) = server
            .get(&token, &format!("/queues/{agency}?limit=1000"))
            .await;
        assert_eq!(status, 200, "{queue}");
        let listed: BTreeSet<String> = queue["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["case"].as_str().map(str::to_owned))
            .collect();
        for (case, parts) in cases {
            if !parts.sees(agency) {
                assert!(
                    !listed.contains(&case.to_string()),
                    "{agency}'s queue lists case {case}, not in its part: {queue}"
                );
            }
        }
    }
    let seen = server.states_seen.lock().expect("not poisoned").clone();
    let every: BTreeSet<String> = retur_domain::Status::ALL
        .iter()
        .filter(|s| **s != retur_domain::Status::New)
        .map(|s| s.name().to_owned())
        .collect();
    let missed: Vec<&String> = every.difference(&seen).collect();
    assert!(missed.is_empty(), "states never checked: {missed:?}");
}
