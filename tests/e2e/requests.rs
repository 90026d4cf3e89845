//! Requests one at a time: tokens, bad input, versions and idempotency, queues and claims.

use chrono::Utc;
use retur_api::{Keys, TokenClaims};
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
    server.catch_up().await;
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
    let (status, held) = server
        .get(&other_udi, &format!("/cases/{case}/claim"))
        .await;
    assert_eq!(
        (status, held["held_by"].as_str()),
        (200, Some("udi-kari")),
        "{held}"
    );
    assert_eq!(
        server
            .get(&applicant, &format!("/cases/{case}/claim"))
            .await
            .0,
        403,
        "who works on it is not the applicant's to know"
    );
    let released = server
        .client
        .delete(format!("{}/cases/{case}/claim", server.base))
        .bearer_auth(&udi)
        .send()
        .await
        .expect("release");
    assert_eq!(released.status().as_u16(), 204);
    assert_eq!(
        server.get(&udi, &format!("/cases/{case}/claim")).await.0,
        404,
        "nobody holds it now"
    );

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
    // A refused case never reached IOM: for IOM it does not exist.
    let (status, iom_history) = server.get(&iom, &format!("/cases/{case}/history")).await;
    assert_eq!(status, 404, "{iom_history}");
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
            nbf: None,
        })
        .expect("token");
    let forged = Keys::from_secret(b"another secret, also long enough for HS256 use")
        .expect("keys")
        .issue(&TokenClaims {
            sub: "udi-kari".into(),
            role: "udi".into(),
            cases: vec![],
            exp: Utc::now().timestamp() + 3600,
            nbf: None,
        })
        .expect("token");
    // A token whose claims were swapped for an auditor's, its signature kept.
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let auditor = server.token("auditor", "auditor-1", &[]);
    let part = |token: &str, i: usize| token.split('.').nth(i).expect("three parts").to_owned();
    let tampered = [part(&applicant, 0), part(&auditor, 1), part(&applicant, 2)].join(".");
    for (token, expected) in [
        (None, "no Authorization"),
        (Some(expired.as_str()), "expired"),
        (Some("not.a.token"), "malformed"),
        (Some(forged.as_str()), "signature"),
        (Some(tampered.as_str()), "signature"),
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

/// Hostile and broken bodies, generated: fields dropped, values of every JSON type put where
/// another belongs, strings with control characters and of every length, unknown fields,
/// unknown commands, bytes that are not UTF-8, bodies too large; and, among them, well-formed
/// commands that the rules judge. None gets a 500; each gets an answer that names
/// a problem, and a refused one writes nothing.
pub(crate) async fn no_input_gets_a_500_and_a_refused_one_writes_nothing(server: &Server) {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree as _;
    use proptest::test_runner::TestRunner;

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
    let seeds: Vec<Value> = vec![
        serde_json::from_str(&submit_body()).expect("json"),
        json!({ "command": "refuse", "reasons": "Not established.", "notified_on": "2025-03-03" }),
        json!({ "command": "book_departure", "booking": { "departs_on": "2025-04-01",
                "flight": "TK1752", "from_airport": "OSL", "to_airport": "ADD" } }),
        json!({ "command": "pay_reintegration_tranche",
                "amount": { "currency": "NOK", "minor_units": 100 },
                "rates": { "nok_per_usd": "10.62", "local_currency": "ETB", "local_per_usd": "57.25" },
                "payee": { "method": "bank_transfer", "person_id": Uuid::from_u128(1),
                           "account": "12345678903", "holder": "A B" } }),
        json!({ "command": "request_travel_document", "persons": [Uuid::from_u128(1)],
                "document": "passport", "issuing_country": "ET" }),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[A-Z]{2,3}".prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::from),
        (0usize..100_000).prop_map(|n| Value::from("x".repeat(n))),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    // (which seed, which field, what to do with it, a value, raw bytes)
    let mutation = (
        0..seeds.len(),
        any::<prop::sample::Index>(),
        0u8..6,
        value,
        prop::collection::vec(any::<u8>(), 0..64),
    );
    let mut runner = TestRunner::deterministic();
    let mut version = 1;
    let mut seen = std::collections::BTreeMap::<u16, u32>::new();
    for _ in 0..300 {
        let (seed, field, action, value, bytes) = mutation
            .new_tree(&mut runner)
            .expect("a mutation")
            .current();
        let mut body = seeds[seed].clone();
        let object = body.as_object_mut().expect("an object");
        let keys: Vec<String> = object.keys().cloned().collect();
        let key = field.get(&keys).clone();
        let sent = match action {
            0 => {
                object.remove(&key);
                body.to_string().into_bytes()
            }
            1 => {
                object.insert(key, value);
                body.to_string().into_bytes()
            }
            2 => {
                object.insert("unexpected".to_owned(), value);
                body.to_string().into_bytes()
            }
            3 => {
                object.insert("command".to_owned(), value);
                body.to_string().into_bytes()
            }
            4 => bytes,
            // Now and then a well-formed command, for the rules to judge.
            _ => body.to_string().into_bytes(),
        };
        let token = if seed == 0 { &applicant } else { &udi };
        let response = server
            .client
            .post(format!("{}/cases/{case}/commands", server.base))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(sent.clone())
            .send()
            .await
            .expect("a response");
        let status = response.status().as_u16();
        *seen.entry(status).or_default() += 1;
        let problem: Value = response.json().await.unwrap_or(Value::Null);
        let shown = String::from_utf8_lossy(&sent);
        assert!(
            [200, 400, 403, 409, 413, 422].contains(&status),
            "{status} for {shown}: {problem}"
        );
        let (_, view) = server.get(&udi, &format!("/cases/{case}")).await;
        let now = view["version"].as_u64().expect("a version");
        if status == 200 {
            assert!(now > version, "{shown}");
        } else {
            assert!(
                problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
                "{status} names its problem for {shown}: {problem}"
            );
            assert_eq!(now, version, "refused, and nothing written: {shown}");
        }
        version = now;
    }
    assert!(
        [400, 413, 422]
            .iter()
            .all(|status| seen.contains_key(status)),
        "the bodies reach the parser, the size limit and the rules: {seen:?}"
    );
}
