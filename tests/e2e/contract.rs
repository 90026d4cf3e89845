//! The API's small promises, each as an outside client meets it: one key is one command, a body
//! names each field once, dates are `YYYY-MM-DD`, tokens hold exactly from `nbf` to `exp`,
//! commands come as JSON, an oversized body leaves its connection usable, forms that would
//! redirect to a line break are refused before they write, and the queues know their names.

use std::io::{Read, Write};

use chrono::Utc;
use retur_api::TokenClaims;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Server, submit_body};

/// The case's version, as an auditor reads it.
async fn version(server: &Server, case: Uuid) -> Value {
    let auditor = server.token("auditor", "auditor-1", &[]);
    server.get(&auditor, &format!("/cases/{case}")).await.1["version"].clone()
}

async fn submitted(server: &Server) -> (Uuid, String) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let (status, body) = server
        .send(Some(&applicant), case, &submit_body(), &[])
        .await;
    assert_eq!(status, 200, "{body}");
    (case, applicant)
}

pub(crate) async fn one_idempotency_key_is_one_command(server: &Server) {
    let (case, applicant) = submitted(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let key = Uuid::now_v7().to_string();
    let with_key = [("Idempotency-Key", key.as_str())];
    let (status, first) = server
        .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &with_key)
        .await;
    assert_eq!(status, 200, "{first}");

    // A true retry: the first outcome, nothing written.
    let (status, again) = server
        .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &with_key)
        .await;
    assert_eq!(
        (status, again["already_handled"].clone()),
        (200, json!(true))
    );
    assert_eq!(again["version"], first["version"]);

    // The same key for another command is not a retry: it is refused, naming the first.
    let before = version(server, case).await;
    let (status, problem) = server
        .send(
            Some(&applicant),
            case,
            r#"{"command":"withdraw"}"#,
            &with_key,
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["type"], "/problems/idempotency_key_reused");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("begin_review"),
        "{problem}"
    );
    assert_eq!(
        version(server, case).await,
        before,
        "the withdrawal did not happen"
    );

    // Nor for the same command with other values.
    let key = Uuid::now_v7().to_string();
    let with_key = [("Idempotency-Key", key.as_str())];
    let refuse = |reasons: &str| {
        json!({ "command": "refuse", "reasons": reasons, "notified_on": "2025-03-03" }).to_string()
    };
    let (status, body) = server
        .send(
            Some(&udi),
            case,
            &refuse("The identity is not established."),
            &with_key,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, problem) = server
        .send(
            Some(&udi),
            case,
            &refuse("Another reason altogether."),
            &with_key,
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["type"], "/problems/idempotency_key_reused");
    let (status, again) = server
        .send(
            Some(&udi),
            case,
            &refuse("The identity is not established."),
            &with_key,
        )
        .await;
    assert_eq!(
        (status, again["already_handled"].clone()),
        (200, json!(true))
    );
}

pub(crate) async fn bodies_name_each_field_once_and_dates_are_iso(server: &Server) {
    let (case, _) = submitted(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    server
        .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &[])
        .await;
    let before = version(server, case).await;
    for (body, names) in [
        (r#"{"command":"refuse","command":"approve"}"#, "command"),
        (
            r#"{"command":"refuse","reasons":"No.","reasons":"Yes.","notified_on":"2025-03-03"}"#,
            "reasons",
        ),
        (
            r#"{"command":"book_departure","booking":{"departs_on":"2025-04-01","departs_on":"2025-04-02","flight":"TK1","from_airport":"OSL","to_airport":"ADD"}}"#,
            "booking.departs_on",
        ),
    ] {
        let (status, problem) = server.send(Some(&udi), case, body, &[]).await;
        assert_eq!(status, 400, "{body}: {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .starts_with(names),
            "{body}: {problem}"
        );
    }
    for date in [
        "2025-3-3",
        "2025-03-3",
        "25-03-03",
        "2025-03-03T00:00:00Z",
        "2025-02-30",
        " 2025-03-03",
    ] {
        let body =
            json!({ "command": "refuse", "reasons": "No.", "notified_on": date }).to_string();
        let (status, problem) = server.send(Some(&udi), case, &body, &[]).await;
        assert_eq!(status, 400, "{date}: {problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("notified_on"),
            "{date}: {problem}"
        );
    }
    crate::access::catch_up(server).await;
    let (status, problem) = server
        .get(&udi, "/queues/udi?due_on_or_before=2025-3-3")
        .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(version(server, case).await, before, "nothing was written");
}

fn claims(exp: i64, nbf: Option<i64>) -> TokenClaims {
    TokenClaims {
        sub: "udi-kari".into(),
        role: "udi".into(),
        cases: vec![],
        exp,
        nbf,
    }
}

pub(crate) async fn tokens_hold_from_nbf_until_exp_and_not_a_second_longer(server: &Server) {
    crate::access::catch_up(server).await;
    let now = Utc::now().timestamp();
    for (what, claims, expected) in [
        ("expired a second ago", claims(now - 1, None), 401),
        ("expiring this second", claims(now, None), 401),
        ("valid for an hour", claims(now + 3600, None), 200),
        (
            "not valid for another minute",
            claims(now + 3600, Some(now + 60)),
            401,
        ),
        (
            "valid since a minute",
            claims(now + 3600, Some(now - 60)),
            200,
        ),
    ] {
        let token = server.keys.issue(&claims).expect("a token");
        let (status, body) = server.get(&token, "/queues/udi").await;
        assert_eq!(status, expected, "{what}: {body}");
    }
}

pub(crate) async fn commands_come_as_json(server: &Server) {
    let (case, _) = submitted(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let before = version(server, case).await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = server
            .client
            .post(format!("{}/cases/{case}/commands", server.base))
            .bearer_auth(&udi)
            .body(r#"{"command":"begin_review"}"#);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("a response");
        assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
    }
    let response = server
        .client
        .post(format!("{}/cases/{case}/commands", server.base))
        .bearer_auth(&udi)
        .header("content-type", "application/json; charset=utf-8")
        .body(r#"{"command":"begin_review"}"#)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 200, "a charset is fine");
    assert_ne!(version(server, case).await, before);
}

/// Sends raw HTTP/1.1 on one connection and reads one answer, by its Content-Length.
fn exchange(stream: &mut std::net::TcpStream, request: &[u8]) -> (u16, String) {
    stream.write_all(request).expect("sent");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("an answer");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let status = head[9..12].parse().expect("a status");
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the body");
    (status, head + &String::from_utf8_lossy(&body))
}

pub(crate) async fn a_413_leaves_the_connection_fit_for_the_next_request(server: &Server) {
    let address = server.base.trim_start_matches("http://").to_owned();
    let token = server.token("udi", "udi-kari", &[]);
    let case = Uuid::now_v7();
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).expect("connected");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("a timeout");
        let body = vec![b' '; 200 * 1024];
        let mut request = format!(
            "POST /cases/{case}/commands HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(&body);
        let (status, answer) = exchange(&mut stream, &request);
        assert_eq!(status, 413, "{answer}");
        let (status, answer) = exchange(
            &mut stream,
            format!("GET /health HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status, 200, "the same connection answers again: {answer}");
        // An early refusal (no token) reads the body too, and keeps the connection.
        let mut request = format!(
            "POST /cases/{case}/commands HTTP/1.1\r\nHost: {address}\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        )
        .into_bytes();
        request.extend_from_slice(&[b' '; 1000]);
        let (status, answer) = exchange(&mut stream, &request);
        assert_eq!(status, 401, "{answer}");
        let (status, answer) = exchange(
            &mut stream,
            format!("GET /health HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status, 200, "{answer}");
    })
    .await
    .expect("the exchange");
}

pub(crate) async fn a_form_that_names_a_line_break_is_refused_before_it_writes(server: &Server) {
    let (case, _) = submitted(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let claim_path = format!("/cases/{case}/claim");
    for back in [
        "/ui/queues\r\nSet-Cookie: x=1",
        "/ui/queues\n",
        "/ui/\u{1}queues",
    ] {
        let response = client
            .post(format!("{}/ui/cases/{case}/claim", server.base))
            .header("cookie", format!("retur_session={udi}"))
            .header("origin", server.base.as_str())
            .form(&[("back", back)])
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status().as_u16(), 400, "{back:?}");
        assert_eq!(
            server.get(&udi, &claim_path).await.0,
            404,
            "{back:?}: nobody holds the case"
        );
    }
    let response = client
        .post(format!("{}/ui/sign-in", server.base))
        .header("origin", server.base.as_str())
        .form(&[("token", udi.as_str()), ("next", "/ui/queues\r\nX: y")])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 400);
    assert!(
        response.headers().get("set-cookie").is_none(),
        "not signed in"
    );
    // A good one still works.
    let response = client
        .post(format!("{}/ui/cases/{case}/claim", server.base))
        .header("cookie", format!("retur_session={udi}"))
        .header("origin", server.base.as_str())
        .form(&[("back", "/ui/queues")])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(server.get(&udi, &claim_path).await.0, 200);
}

pub(crate) async fn queues_know_their_names_and_unknown_cases_are_404(server: &Server) {
    crate::access::catch_up(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let auditor = server.token("auditor", "auditor-1", &[]);
    for (token, path, expected) in [
        (&udi, "/queues/udi?queue=to_decide", 200),
        (&udi, "/queues/udi?queue=to_book", 400),
        (&udi, "/queues/udi?queue=nonsense", 400),
        (&udi, "/queues/police", 404),
        (&auditor, "/queues/police", 404),
        (&auditor, "/queues/system", 404),
        (&udi, "/queues/iom", 403),
    ] {
        let (status, body) = server.get(token, path).await;
        assert_eq!(status, expected, "{path}: {body}");
    }
    let unknown = Uuid::now_v7();
    for path in [
        format!("/cases/{unknown}"),
        format!("/cases/{unknown}?as_of=1"),
        format!("/cases/{unknown}?as_of=2025-03-03T12:00:00Z"),
        format!("/cases/{unknown}/history"),
    ] {
        let (status, body) = server.get(&udi, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let (status, body) = server
        .send(Some(&udi), unknown, r#"{"command":"begin_review"}"#, &[])
        .await;
    assert_eq!(status, 404, "a command names no case: {body}");
}
