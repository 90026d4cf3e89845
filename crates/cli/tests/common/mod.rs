//! What the tests of the `retur` binary share: starting `retur serve`, tokens, reading the log.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::BufRead as _;
use std::process::{Child, Stdio};

use retur_store::{EventStore, RecordedEvent};
use uuid::Uuid;

/// A `retur serve` process, killed when dropped, whatever happens to the test.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` (a `retur … serve` with its environment set) and waits until it says where
/// it serves; returns the process and the base URL.
pub(crate) fn spawn_server(mut command: std::process::Command) -> (Server, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("retur serve starts");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().expect("its output"))
        .read_line(&mut first)
        .expect("a line");
    let base = first
        .trim()
        .strip_prefix("retur serves on ")
        .unwrap_or_else(|| panic!("it says where it serves: {first:?}"))
        .to_owned();
    (Server(child), base)
}

/// The body of a submission of a household of one, `person`.
pub(crate) fn submit_body(person: Uuid) -> serde_json::Value {
    serde_json::json!({
        "command": "submit",
        "household": [{
            "person_id": person, "relation": "principal_applicant",
            "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20"
        }],
        "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
        "situation": "asylum_refused"
    })
}

/// Sends a command to a case as the agencies' systems do: JSON, a bearer token and an
/// idempotency key (the same key on every retry of one command).
pub(crate) async fn send_command(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    case: Uuid,
    body: &str,
    key: Uuid,
) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{base}/cases/{case}/commands"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("idempotency-key", key.to_string())
        .body(body.to_owned())
        .send()
        .await
}

/// A token signed with `secret`, valid for an hour.
pub(crate) fn token(secret: &str, role: &str, actor: &str, cases: Vec<Uuid>) -> String {
    retur_api::Keys::from_secret(secret.as_bytes())
        .expect("keys")
        .issue(&retur_api::TokenClaims {
            sub: actor.into(),
            role: role.into(),
            cases,
            exp: chrono::Utc::now().timestamp() + 3600,
            nbf: None,
        })
        .expect("a token")
}

/// Every event of the log.
pub(crate) async fn everything(store: &dyn EventStore) -> Vec<RecordedEvent> {
    let mut all: Vec<RecordedEvent> = Vec::new();
    loop {
        let after = all.last().map_or(0, |e| e.position);
        let page = store.read_all(after, 1_000).await.expect("read");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

/// For each command id, how many separate runs of events it has in the log: one for a command
/// written once.
pub(crate) fn command_runs(all: &[RecordedEvent]) -> HashMap<Uuid, usize> {
    let mut runs: HashMap<Uuid, usize> = HashMap::new();
    for (i, e) in all.iter().enumerate() {
        if i == 0 || all[i - 1].command_id != e.command_id {
            *runs.entry(e.command_id).or_default() += 1;
        }
    }
    runs
}
