//! What an operator watches: request ids on responses, in the events and in the log lines;
//! Prometheus metrics.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use uuid::Uuid;

use crate::{Server, submit_body};

/// Every log line the test process writes, from the first call on.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("retur_api=info")
            .with_ansi(false)
            .with_writer(move || Capture(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        logs
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("the log buffer")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(crate) async fn request_ids_reach_the_events_the_logs_and_the_response(server: &Server) {
    let logs = captured_logs();
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let request_id = Uuid::now_v7();
    let response = server
        .client
        .post(format!("{}/cases/{case}/commands", server.base))
        .bearer_auth(&applicant)
        .header("content-type", "application/json")
        .header("x-request-id", request_id.to_string())
        .body(submit_body())
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["x-request-id"].to_str().ok(),
        Some(request_id.to_string().as_str()),
        "the caller's id comes back"
    );

    let events = server
        .cases
        .store()
        .read_stream(
            &retur_app::stream_id(case.to_string().parse().expect("a case id")),
            1,
            10,
        )
        .await
        .expect("the case's events");
    assert!(!events.is_empty());
    for event in &events {
        assert_eq!(
            event.metadata.correlation_id, request_id,
            "{}",
            event.event_type
        );
    }

    let text = String::from_utf8(logs.lock().expect("logs").clone()).expect("text");
    let handled: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("command handled") && line.contains(&case.to_string()))
        .collect();
    assert_eq!(handled.len(), 1, "one line for the command: {text}");
    assert!(
        handled[0].contains(&format!("request_id={request_id}")),
        "the line is in the request's span: {}",
        handled[0]
    );

    // Without an id, one is made and returned; a malformed one is refused by name.
    let response = server
        .client
        .get(format!("{}/health", server.base))
        .send()
        .await
        .expect("a response");
    let made = response.headers()["x-request-id"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(Uuid::parse_str(&made).is_ok(), "a UUID: {made}");
    let response = server
        .client
        .get(format!("{}/health", server.base))
        .header("x-request-id", "not-a-uuid")
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 400);
    let problem: serde_json::Value = response.json().await.expect("a problem");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("x-request-id")),
        "{problem}"
    );
}

pub(crate) async fn metrics_count_requests_appends_and_projection_lag(server: &Server) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let udi = server.token("udi", "udi-kari", &[]);
    assert_eq!(
        server
            .send(Some(&applicant), case, &submit_body(), &[])
            .await
            .0,
        200
    );
    server.catch_up().await;
    // One more event that the case index has not applied.
    let (status, body) = server
        .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &[])
        .await;
    assert_eq!(status, 200, "{body}");
    let events_since = body["events"].as_array().expect("events").len();

    let response = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.expect("text");
    for series in [
        "retur_http_requests_total{method=\"POST\",route=\"/cases/{case_id}/commands\",status=\"200\"}",
        "retur_http_request_seconds_bucket{method=\"POST\",route=\"/cases/{case_id}/commands\",le=",
        "retur_store_append_seconds_bucket{le=",
        "retur_store_batch_commit_seconds_bucket{le=",
        "retur_store_batch_appends_bucket{le=\"1\"}",
    ] {
        assert!(text.contains(series), "{series} in {text}");
    }
    let lag = text
        .lines()
        .find(|line| line.starts_with("retur_projection_lag_events{projection=\"case_index\"}"))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse::<f64>().ok());
    assert_eq!(
        lag,
        Some(events_since as f64),
        "the case index is behind by the last command's events"
    );
}

/// Ready only while the store answers: with its database gone, `/health` says so with a 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn health_is_503_when_the_store_does_not_answer() {
    use sqlx::Connection as _;
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    let server = crate::server(&database).await;
    let health = || async {
        let response = server
            .client
            .get(format!("{}/health", server.base))
            .send()
            .await
            .expect("a response");
        let status = response.status().as_u16();
        (
            status,
            response.json::<serde_json::Value>().await.expect("JSON"),
        )
    };
    let (status, body) = health().await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")));

    let url = database.url();
    let (server_url, name) = url.rsplit_once('/').expect("a database name");
    let mut admin = sqlx::PgConnection::connect(&format!("{server_url}/postgres"))
        .await
        .expect("the server");
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop the store's database");
    let (status, body) = health().await;
    assert_eq!(
        (status, body["status"].as_str()),
        (503, Some("the store does not answer")),
        "{body}"
    );
}
