//! The API end to end: a real server on port 0, spoken to over HTTP, on SQLite and PostgreSQL;
//! and the web pages' sessions, over HTTP beneath the browser.

mod access;
mod clock;
mod contract;
mod letters;
mod lifecycle;
mod need_to_know;
mod openapi;
mod pages;
mod programmes;
mod requests;
mod telemetry;

use std::sync::Arc;

use chrono::{NaiveTime, Utc};
use retur_api::{Keys, TokenClaims};
use retur_app::{Cases, ManualClock};
use retur_testkit::TestDatabase;
use serde_json::{Value, json};
use uuid::Uuid;

const SECRET: &[u8] = b"a test secret that is long enough for HS256 signing";

struct Server {
    base: String,
    keys: Keys,
    client: reqwest::Client,
    projector: retur_projections::Projector,
    /// The server's clock: tests move it to pass deadlines.
    clock: Arc<ManualClock>,
    /// The server's own command handling, to look into the log beneath the API.
    cases: Cases,
    /// The system the server runs, for its read models.
    system: retur::System,
    /// The database's URL, for tampering with it past the server.
    database_url: String,
    /// Whether every command a walk sends is followed by every caller reading the case.
    check_need_to_know: std::sync::atomic::AtomicBool,
    /// The states the need-to-know check has seen cases in.
    states_seen: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// Every case walked, with when it entered IOM's and UNE's parts.
    walked: std::sync::Mutex<Vec<(Uuid, need_to_know::Parts)>>,
    _running: retur::Running,
}

async fn server(database: &TestDatabase) -> Server {
    let now = chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
        .expect("date")
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
        .and_utc();
    let clock = Arc::new(ManualClock::new(now));
    let system = retur::System::open(&database.url(), clock.clone())
        .await
        .expect("the system");
    // The API alone, as a client sees it: the tests fire deadlines and catch the read models
    // up themselves, at the moments they check.
    let serving = retur::Serving {
        keys: Arc::new(Keys::from_secret(SECRET).expect("keys")),
        manual_clock: Some(clock.clone()),
        deadlines_every: None,
        projections: false,
    };
    let running = retur::spawn_app(&system, serving)
        .await
        .expect("the server");
    Server {
        base: running.base.clone(),
        keys: Keys::from_secret(SECRET).expect("keys"),
        client: reqwest::Client::new(),
        projector: system.projector.clone(),
        clock,
        cases: system.cases.clone(),
        system,
        database_url: database.url(),
        check_need_to_know: Default::default(),
        states_seen: Default::default(),
        walked: Default::default(),
        _running: running,
    }
}

impl Server {
    fn token(&self, role: &str, actor: &str, cases: &[Uuid]) -> String {
        self.keys
            .issue(&TokenClaims {
                sub: actor.into(),
                role: role.into(),
                cases: cases.to_vec(),
                exp: Utc::now().timestamp() + 3600,
                nbf: None,
            })
            .expect("a token")
    }

    async fn send(
        &self,
        token: Option<&str>,
        case: Uuid,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/cases/{case}/commands", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("a response");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Brings every read model (the queues, the ledger) up to the log, as the running
    /// server's projections would.
    async fn catch_up(&self) {
        self.system.catch_up().await.expect("catch up");
    }

    async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("a response");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn submit_body() -> String {
    json!({
        "command": "submit",
        "household": [{
            "person_id": Uuid::from_u128(1), "relation": "principal_applicant",
            "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20"
        }],
        "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
        "situation": "asylum_refused"
    })
    .to_string()
}

macro_rules! on_both_backends {
    ($($module:ident :: $test:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $test() {
            let database = retur_testkit::TestDatabase::sqlite();
            crate::$module::$test(&crate::server(&database).await).await;
        } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 4)] async fn $test() {
            let Some(database) = retur_testkit::TestDatabase::postgres().await else { return };
            crate::$module::$test(&crate::server(&database).await).await;
        } )* }
    };
}

on_both_backends!(
    access::every_caller_against_every_endpoint,
    access::iom_never_learns_why_a_case_was_refused,
    requests::a_case_moves_through_the_api_and_each_role_sees_its_part,
    requests::missing_expired_malformed_and_forged_tokens_are_401,
    requests::bad_input_gets_a_4xx_that_names_the_problem_and_writes_nothing,
    requests::if_match_and_idempotency_key_work_as_promised,
    requests::queues_claims_time_travel_statistics_and_the_audit,
    requests::no_input_gets_a_500_and_a_refused_one_writes_nothing,
    openapi::every_route_is_documented_and_every_documented_route_answers,
    telemetry::request_ids_reach_the_events_the_logs_and_the_response,
    telemetry::metrics_count_requests_appends_and_projection_lag,
    lifecycle::every_lifecycle_path_over_http,
    lifecycle::conflicting_and_retried_requests_at_once,
    pages::pages_keep_the_session_strict_and_refuse_other_sites,
    pages::the_audit_page_checks_a_signed_checkpoint,
    pages::a_stored_status_that_is_not_the_logs_fails_the_audit,
    pages::the_pages_and_the_api_allow_the_same_reads,
    pages::a_path_nothing_serves_is_answered_in_its_own_kind,
    pages::a_case_claimed_by_another_is_explained,
    pages::pages_speak_the_readers_language,
    pages::people_are_found_by_name_number_birth_and_reference,
    pages::a_confirmed_approval_is_the_one_that_was_shown,
    pages::a_persons_page_shows_their_cases_and_an_earlier_return,
    pages::internal_notes_are_each_agencys_own,
    letters::a_refusal_letter_says_why_and_how_to_appeal_and_verifies,
    contract::one_idempotency_key_is_one_command,
    contract::bodies_name_each_field_once_and_dates_are_iso,
    contract::tokens_hold_from_nbf_until_exp_and_not_a_second_longer,
    contract::commands_come_as_json,
    contract::a_413_leaves_the_connection_fit_for_the_next_request,
    contract::a_form_that_names_a_line_break_is_refused_before_it_writes,
    contract::queues_know_their_names_and_unknown_cases_are_404,
    clock::the_clock_set_by_hand_moves_only_forward_and_only_for_the_system,
    clock::the_travel_deadline_lapses_when_the_clock_passes_it,
    clock::an_unpaid_grant_is_overdue_when_the_clock_passes_its_target,
    clock::a_child_at_application_may_travel_as_an_adult,
    clock::every_appeal_limit_as_the_clock_passes_it,
    programmes::each_country_programme_pays_what_its_source_says,
    programmes::an_instalment_not_yet_due_is_neither_payable_nor_overdue,
);
