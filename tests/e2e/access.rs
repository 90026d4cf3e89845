//! Access control over HTTP: every caller against every endpoint, and IOM asking for the reasons
//! of a refusal everywhere they could leak.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;
use crate::lifecycle::Walk;

/// The callers: each agency, the deadline scheduler, an auditor, the case's applicant and
/// another applicant.
const CALLERS: [&str; 7] = [
    "udi",
    "une",
    "iom",
    "system",
    "auditor",
    "applicant",
    "other applicant",
];

fn token(server: &Server, caller: &str, case: Uuid) -> String {
    match caller {
        "applicant" => server.token("applicant", "applicant-abebe", &[case]),
        "other applicant" => server.token("applicant", "applicant-other", &[Uuid::now_v7()]),
        "system" => server.token("system", "deadline-scheduler", &[]),
        role => server.token(role, &format!("{role}-1"), &[]),
    }
}

async fn call(server: &Server, token: Option<&str>, method: &str, path: &str) -> (u16, String) {
    let url = format!("{}{path}", server.base);
    let mut request = match method {
        "GET" => server.client.get(url),
        "POST" => server.client.post(url),
        "DELETE" => server.client.delete(url),
        other => panic!("no method {other}"),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

pub(crate) async fn catch_up(server: &Server) {
    server.catch_up().await;
}

/// Each endpoint that needs a token, with the status each caller must get, in the order of
/// [`CALLERS`]. A case submitted and waiting for UDI: its queue is UDI's, so only UDI claims it,
/// and only the holder releases it (the scheduler and the auditor, who may see who holds it, are
/// told; an applicant is not). It is in neither UNE's part nor IOM's yet: for them it does not
/// exist, on any route (need-to-know is tested in every state in `need_to_know.rs`).
fn matrix(case: Uuid) -> Vec<(&'static str, String, [u16; 7])> {
    let case_path = format!("/cases/{case}");
    vec![
        //                                               udi  une  iom  sys  aud  own  other
        (
            "GET",
            case_path.clone(),
            [200, 404, 404, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("{case_path}?as_of=1"),
            [200, 404, 404, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("{case_path}/history"),
            [200, 404, 404, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("{case_path}/claim"),
            [404, 404, 404, 404, 404, 403, 403],
        ),
        (
            "POST",
            format!("{case_path}/claim"),
            [200, 404, 404, 403, 403, 403, 403],
        ),
        (
            "GET",
            format!("{case_path}/claim"),
            [200, 404, 404, 200, 200, 403, 403],
        ),
        (
            "DELETE",
            format!("{case_path}/claim"),
            [204, 404, 404, 409, 409, 403, 403],
        ),
        // Letters: the applicant and the agencies in their part; not the system.
        (
            "GET",
            format!("{case_path}/letters"),
            [200, 404, 404, 403, 200, 200, 403],
        ),
        // Internal notes: each agency its own, in its part; nobody else keeps any.
        (
            "GET",
            format!("{case_path}/notes"),
            [200, 404, 404, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/queues/udi".into(),
            [200, 403, 403, 403, 200, 403, 403],
        ),
        (
            "GET",
            "/queues/une".into(),
            [403, 200, 403, 403, 200, 403, 403],
        ),
        (
            "GET",
            "/queues/iom".into(),
            [403, 403, 200, 403, 200, 403, 403],
        ),
        (
            "GET",
            "/payouts".into(),
            [200, 403, 200, 403, 200, 403, 403],
        ),
        ("GET", "/stats".into(), [200, 200, 200, 200, 200, 403, 403]),
        (
            "GET",
            "/audit/verify".into(),
            [403, 403, 403, 403, 200, 403, 403],
        ),
    ]
}

pub(crate) async fn every_caller_against_every_endpoint(server: &Server) {
    let mut accepted = Vec::new();
    let walk = Walk::submit(server, "access matrix", &mut accepted).await;
    let case = walk.case;
    catch_up(server).await;

    // Every route that needs a token refuses a request without one, and the open ones answer.
    for (method, path, _) in matrix(case) {
        let (status, body) = call(server, None, method, &path).await;
        assert_eq!(status, 401, "{method} {path} without a token: {body}");
    }
    for path in ["/health", "/openapi.json", "/metrics"] {
        assert_eq!(call(server, None, "GET", path).await.0, 200, "{path}");
    }

    // Row by row, in order: the claim rows claim, look, and release.
    let mut wrong = Vec::new();
    for (method, path, expected) in matrix(case) {
        // The holder acts last, so the others meet the claim as it stands.
        let mut order: Vec<usize> = (0..CALLERS.len()).collect();
        if method != "GET" {
            order.rotate_left(1);
        }
        for i in order {
            let caller = CALLERS[i];
            let (status, body) =
                call(server, Some(&token(server, caller, case)), method, &path).await;
            if status != expected[i] {
                wrong.push(format!(
                    "{caller}: {method} {path} gave {status}, not {}: {body}",
                    expected[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Commands: only the role whose step it is may take it (the whole role × command table is
    // tested in the application's tests), and a refused caller writes nothing.
    let before = walk.view("auditor").await["version"].clone();
    for caller in CALLERS.iter().filter(|c| **c != "udi") {
        let (status, body) = server
            .send(
                Some(&token(server, caller, case)),
                case,
                r#"{"command":"begin_review"}"#,
                &[],
            )
            .await;
        assert_eq!(status, 403, "{caller} begins a review: {body}");
    }
    assert_eq!(
        walk.view("auditor").await["version"],
        before,
        "nothing was written"
    );
    let (status, body) = server
        .send(
            Some(&token(server, "udi", case)),
            case,
            r#"{"command":"begin_review"}"#,
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The statements IOM must never see: a refusal's reasons, the appeal's grounds, UDI's
/// assessment, UNE's reasoning and a revocation's reasons.
const SECRETS: [&str; 5] = [
    "REASONS",
    "GROUNDS",
    "ASSESSMENT",
    "UNE-REASONING",
    "REVOCATION",
];

pub(crate) async fn iom_never_learns_why_a_case_was_refused(server: &Server) {
    let mut accepted = Vec::new();
    let mut walk = Walk::submit(server, "refused, appealed, allowed", &mut accepted).await;
    walk.refuse("REASONS: the identity is not established.")
        .await;
    let refused_at = retur_app::Clock::now(server.clock.as_ref());
    walk.appeal().await;
    walk.forward().await;
    walk.later(30);
    walk.ok(
        "une",
        json!({ "command": "allow_appeal", "reasoning": "UNE-REASONING: the passport settles it." }),
    )
    .await;
    walk.later(1);
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    walk.expect("handed_to_iom").await;
    // A second case, handed to IOM and then revoked: the revocation's reasons are IOM's to
    // hear of no more than a refusal's.
    let mut more = Vec::new();
    let mut revoked_walk = Walk::submit(server, "handed over, revoked", &mut more).await;
    revoked_walk.review_and_approve().await;
    revoked_walk
        .ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    let today = revoked_walk.today().to_string();
    revoked_walk
        .ok(
            "udi",
            json!({ "command": "revoke_approval", "reasons": "REVOCATION: residence in Italy.", "notified_on": today }),
        )
        .await;
    revoked_walk.expect("revoked").await;
    let revoked = revoked_walk.case;
    catch_up(server).await;
    let case = walk.case;
    let iom = walk.token("iom");
    let udi = walk.token("udi");

    let mut seen: Vec<(String, u16, String)> = Vec::new();
    let mut look = |what: String, (status, body): (u16, String)| seen.push((what, status, body));
    let as_of = refused_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for path in [
        format!("/cases/{case}"),
        format!("/cases/{case}?as_of={as_of}"),
        format!("/cases/{case}/history"),
        format!("/cases/{case}/claim"),
        "/queues/iom".to_owned(),
        "/queues/iom?queue=to_prepare".to_owned(),
        "/payouts".to_owned(),
        format!("/payouts?case={case}"),
        "/stats".to_owned(),
        "/queues/udi".to_owned(),
        "/audit/verify".to_owned(),
        format!("/cases/{revoked}"),
        format!("/cases/{revoked}/history"),
        format!("/payouts?case={revoked}"),
    ] {
        look(
            format!("GET {path}"),
            call(server, Some(&iom), "GET", &path).await,
        );
    }
    look(
        format!("POST /cases/{case}/claim"),
        call(server, Some(&iom), "POST", &format!("/cases/{case}/claim")).await,
    );
    // Errors: a step that is not IOM's, one its state does not allow, bad input, a stale version.
    for (body, headers) in [
        (
            r#"{"command":"refuse","reasons":"x","notified_on":"2025-03-03"}"#,
            vec![],
        ),
        (
            r#"{"command":"confirm_departure","departed_on":"2025-03-03"}"#,
            vec![],
        ),
        (r#"{"command":"book_departure","booking":{}}"#, vec![]),
        (
            r#"{"command":"pay_pocket_money"}"#,
            vec![("if-match", "\"1\"")],
        ),
    ] {
        let (status, answer) = server.send(Some(&iom), case, body, &headers).await;
        look(
            format!("POST commands {body}"),
            (status, answer.to_string()),
        );
    }
    let history = call(server, Some(&iom), "GET", &format!("/cases/{case}/history")).await;

    let mut leaks = Vec::new();
    for (what, status, body) in &seen {
        for secret in SECRETS {
            if body.contains(secret) {
                leaks.push(format!("{what} ({status}) shows {secret}: {body}"));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    // IOM's answers are real answers, not empty refusals that hide nothing by saying nothing.
    assert_eq!(history.0, 200);
    assert!(
        history.1.contains("application_refused") && history.1.contains("\"redacted\":true"),
        "{}",
        history.1
    );
    let queue: Value =
        serde_json::from_str(&call(server, Some(&iom), "GET", "/queues/iom").await.1)
            .expect("JSON");
    assert!(
        queue.to_string().contains(&case.to_string()),
        "the case is in IOM's queue: {queue}"
    );
    // Of the application, IOM reads the household, not the grounds it was made on nor the DUF
    // number; UDI reads them all.
    let submitted = |history: &str| -> Value {
        serde_json::from_str::<Value>(history).expect("JSON")[0]["data"].clone()
    };
    let for_iom = submitted(&history.1);
    let for_udi = submitted(
        &call(server, Some(&udi), "GET", &format!("/cases/{case}/history"))
            .await
            .1,
    );
    for field in [
        "situation",
        "departure_deadline",
        "previously_assisted_and_reimmigrated",
        "refused_for_status_in_other_eea_country",
    ] {
        assert!(for_iom.get(field).is_none(), "IOM reads {field}: {for_iom}");
        assert!(for_udi.get(field).is_some(), "UDI reads {field}: {for_udi}");
    }
    let principal = |data: &Value| data["personal"][Uuid::from_u128(1).to_string()].clone();
    assert_eq!(principal(&for_iom)["full_name"], "Abebe Bekele");
    assert_eq!(principal(&for_iom)["final_destination"], "Addis Ababa");
    assert_eq!(principal(&for_iom)["unaccompanied_minor"], false);
    assert!(principal(&for_iom).get("duf_number").is_none(), "{for_iom}");
    assert_eq!(principal(&for_udi)["duf_number"], "201912345601");

    // The same places show UDI the statements: the secrets are there to be leaked.
    let udi_history = call(server, Some(&udi), "GET", &format!("/cases/{case}/history"))
        .await
        .1
        + &call(
            server,
            Some(&udi),
            "GET",
            &format!("/cases/{revoked}/history"),
        )
        .await
        .1;
    for secret in SECRETS {
        assert!(
            udi_history.contains(secret),
            "UDI sees {secret}: {udi_history}"
        );
    }
}
