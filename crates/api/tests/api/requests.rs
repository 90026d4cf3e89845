//! Requests one at a time: tokens, bad input, versions and idempotency, queues and claims.

use std::sync::Arc;

use chrono::Utc;
use retur_api::{Keys, TokenClaims};
use retur_domain::RuleBook;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Server, submit_body};

pub(crate) async fn queues_claims_time_travel_statistics_and_the_audit(server: &Server) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let udi = server.token("udi", "udi-kari", &[]);
    let other_udi = server.token("udi", "udi-ola", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
    let auditor = server.token("auditor", "auditor-1", &[]);
    assert_eq!(
        server
            .send(Some(&applicant), case, &submit_body(), &[])
            .await
            .0,
        200
    );
    let (_, reviewed) = server
        .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &[])
        .await;

    // The queues are a catch-up projection; bring it up to date as the running server would.
    let index = retur_projections::CaseIndex::new(Arc::new(RuleBook::builtin().expect("rules")));
    server
        .projector
        .catch_up(&index, None)
        .await
        .expect("catch up");
    let (status, queue) = server.get(&udi, "/queues/udi?queue=to_decide").await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["items"][0]["case"], case.to_string());
    assert_eq!(
        server.get(&iom, "/queues/udi").await.0,
        403,
        "IOM does not see UDI's queues"
    );
    assert_eq!(
        server.get(&udi, "/queues/udi?sort=sideways").await.0,
        400,
        "an unknown parameter is named"
    );

    let claim = server
        .client
        .post(format!("{}/cases/{case}/claim", server.base))
        .bearer_auth(&udi)
        .send()
        .await
        .expect("claim");
    assert_eq!(claim.status().as_u16(), 200);
    let taken = server
        .client
        .post(format!("{}/cases/{case}/claim", server.base))
        .bearer_auth(&other_udi)
        .send()
        .await
        .expect("claim");
    assert_eq!(taken.status().as_u16(), 409);
    let body: Value = taken.json().await.expect("problem");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("udi-kari"),
        "who holds it: {body}"
    );
    let released = server
        .client
        .delete(format!("{}/cases/{case}/claim", server.base))
        .bearer_auth(&udi)
        .send()
        .await
        .expect("release");
    assert_eq!(released.status().as_u16(), 204);

    let position = reviewed["last_position"].as_u64().expect("a position");
    let (status, past) = server
        .get(&udi, &format!("/cases/{case}?as_of={}", position - 1))
        .await;
    assert_eq!(
        (status, past["status"].as_str()),
        (200, Some("submitted")),
        "{past}"
    );
    assert_eq!(
        server
            .get(&udi, &format!("/cases/{case}?as_of=yesterday"))
            .await
            .0,
        400
    );

    let (status, stats) = server.get(&udi, "/stats").await;
    assert_eq!((status, stats["cases"].as_u64()), (200, Some(1)), "{stats}");
    assert_eq!(server.get(&applicant, "/stats").await.0, 403);
    assert_eq!(
        server.get(&udi, "/audit/verify").await.0,
        403,
        "verifying is the auditor's"
    );
    let (status, audit) = server.get(&auditor, "/audit/verify").await;
    assert_eq!(
        (status, audit["clean"].as_bool()),
        (200, Some(true)),
        "{audit}"
    );
}

pub(crate) async fn a_case_moves_through_the_api_and_each_role_sees_its_part(server: &Server) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let udi = server.token("udi", "udi-kari", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
    let (status, body) = server
        .send(Some(&applicant), case, &submit_body(), &[])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["events"], json!(["application_submitted"]));
    assert_eq!(body["status"]["status"], "submitted");

    let (status, body) = server
        .send(Some(&iom), case, r#"{"command":"begin_review"}"#, &[])
        .await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["detail"].as_str().unwrap_or_default().contains("udi"),
        "the reason names the owner: {body}"
    );
    assert_eq!(body["type"], "/problems/forbidden");

    assert_eq!(
        server
            .send(Some(&udi), case, r#"{"command":"begin_review"}"#, &[])
            .await
            .0,
        200
    );
    let (status, body) = server.send(Some(&udi), case, r#"{"command":"refuse","reasons":"SECRET-REASON: a permit in Sweden","notified_on":"2025-03-03"}"#, &[]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = server
        .send(Some(&udi), case, r#"{"command":"approve"}"#, &[])
        .await;
    assert_eq!(status, 422, "a refusal by a rule: {body}");
    assert_eq!(body["rule"], "wrong_state");

    let (status, view) = server.get(&udi, &format!("/cases/{case}")).await;
    assert_eq!((status, view["status"].as_str()), (200, Some("refused")));
    let (_, udi_history) = server.get(&udi, &format!("/cases/{case}/history")).await;
    assert!(udi_history.to_string().contains("SECRET-REASON"));
    let (status, iom_history) = server.get(&iom, &format!("/cases/{case}/history")).await;
    assert_eq!(status, 200);
    assert!(
        !iom_history.to_string().contains("SECRET-REASON"),
        "IOM never sees a refusal's reasons: {iom_history}"
    );
    let stranger = server.token("applicant", "applicant-2", &[Uuid::now_v7()]);
    assert_eq!(
        server.get(&stranger, &format!("/cases/{case}")).await.0,
        403,
        "another applicant's case"
    );
}

pub(crate) async fn missing_expired_malformed_and_forged_tokens_are_401(server: &Server) {
    let case = Uuid::now_v7();
    let expired = server
        .keys
        .issue(&TokenClaims {
            sub: "udi-kari".into(),
            role: "udi".into(),
            cases: vec![],
            exp: Utc::now().timestamp() - 120,
        })
        .expect("token");
    let forged = Keys::from_secret(b"another secret, also long enough for HS256 use")
        .expect("keys")
        .issue(&TokenClaims {
            sub: "udi-kari".into(),
            role: "udi".into(),
            cases: vec![],
            exp: Utc::now().timestamp() + 3600,
        })
        .expect("token");
    for (token, expected) in [
        (None, "no Authorization"),
        (Some(expired.as_str()), "expired"),
        (Some("not.a.token"), "malformed"),
        (Some(forged.as_str()), "signature"),
    ] {
        let (status, body) = server
            .send(token, case, r#"{"command":"begin_review"}"#, &[])
            .await;
        assert_eq!(status, 401, "{body}");
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(expected),
            "{expected}: {body}"
        );
    }
}

pub(crate) async fn bad_input_gets_a_4xx_that_names_the_problem_and_writes_nothing(
    server: &Server,
) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let submit: Value = serde_json::from_str(&submit_body()).expect("json");
    let with = |field: &str, value: Value| {
        let mut body = submit.clone();
        body[field] = value;
        body.to_string()
    };
    let cases = [
        ("{not json".to_owned(), 400, ""),
        (with("nationality", json!("QQ")), 400, "QQ"),
        (with("surprise", json!(1)), 400, "surprise"),
        (
            with("departure_deadline", json!("2025-02-30")),
            400,
            "2025-02-30",
        ),
        (with("household", json!([])), 400, "principal"),
        (with("situation", json!(42)), 400, "situation"),
        (
            format!(
                "{{\"command\":\"submit\",\"x\":\"{}\"}}",
                "y".repeat(70 * 1024)
            ),
            413,
            "bytes",
        ),
    ];
    for (body, expected, mention) in cases {
        let (status, problem) = server.send(Some(&applicant), case, &body, &[]).await;
        assert_eq!(status, expected, "{problem}");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(mention),
            "names {mention:?}: {problem}"
        );
    }
    let (status, _) = server
        .get(
            &server.token("udi", "udi-kari", &[]),
            &format!("/cases/{case}"),
        )
        .await;
    assert_eq!(status, 404, "nothing was written");
}

pub(crate) async fn if_match_and_idempotency_key_work_as_promised(server: &Server) {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let udi = server.token("udi", "udi-kari", &[]);
    let key = Uuid::now_v7().to_string();
    let (first_status, first) = server
        .send(
            Some(&applicant),
            case,
            &submit_body(),
            &[("Idempotency-Key", key.as_str())],
        )
        .await;
    let (again_status, again) = server
        .send(
            Some(&applicant),
            case,
            &submit_body(),
            &[("Idempotency-Key", key.as_str())],
        )
        .await;
    assert_eq!((first_status, again_status), (200, 200));
    assert_eq!(
        (again["version"].clone(), again["already_handled"].clone()),
        (first["version"].clone(), json!(true))
    );

    let (status, body) = server
        .send(
            Some(&udi),
            case,
            r#"{"command":"begin_review"}"#,
            &[("If-Match", "\"0\"")],
        )
        .await;
    assert_eq!(status, 412, "{body}");
    assert_eq!(body["current_version"], 1);
    let (status, body) = server
        .send(
            Some(&udi),
            case,
            r#"{"command":"begin_review"}"#,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!((status, body["version"].clone()), (200, json!(2)));
    let (status, body) = server
        .send(
            Some(&udi),
            case,
            r#"{"command":"approve"}"#,
            &[("If-Match", "soon")],
        )
        .await;
    assert_eq!(status, 400, "{body}");
}
