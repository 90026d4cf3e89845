//! The web pages' sessions over plain HTTP: what a browser test cannot see, such as headers,
//! and what a browser would never send, such as a form from another site.

use reqwest::redirect::Policy;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;

/// A new case, applied for over the API.
async fn submitted_case(server: &Server) -> Uuid {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let (status, _) = server
        .send(Some(&applicant), case, &crate::submit_body(), &[])
        .await;
    assert_eq!(status, 200);
    case
}

/// A browser that asks for English pages (the assertions below read English).
fn client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("en-GB,en;q=0.8"),
    );
    reqwest::Client::builder()
        .redirect(Policy::none())
        .default_headers(headers)
        .build()
        .expect("a client")
}

pub(crate) async fn pages_keep_the_session_strict_and_refuse_other_sites(server: &Server) {
    let http = client();
    let base = &server.base;

    // Without a session, a page leads to the sign-in, which comes back to it.
    let response = http
        .get(format!("{base}/ui/queues"))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/ui/sign-in?next=/ui/queues"
    );

    // Every page is sent uncached, unframed, with only our own stylesheet allowed.
    let response = http
        .get(format!("{base}/ui/sign-in"))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");

    // Signing in sets the token as a strict, script-proof cookie, and leads back.
    let token = server.token("udi", "udi-kari", &[]);
    let response = http
        .post(format!("{base}/ui/sign-in"))
        .header("origin", base.as_str())
        .form(&[("token", token.as_str()), ("next", "/ui/stats")])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/ui/stats");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with(&format!("retur_session={token};")),
        "{cookie}"
    );
    for part in ["HttpOnly", "SameSite=Strict", "Path=/ui"] {
        assert!(cookie.contains(part), "{part}: {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "served over plain HTTP: {cookie}"
    );
    let session = format!("retur_session={token}");
    let behind_tls = http
        .post(format!("{base}/ui/sign-in"))
        .header("x-forwarded-proto", "https")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("a response");
    let cookie = behind_tls.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.ends_with("; Secure"),
        "behind a proxy ending TLS: {cookie}"
    );

    // Never back to another site.
    let response = http
        .post(format!("{base}/ui/sign-in"))
        .form(&[
            ("token", token.as_str()),
            ("next", "https://elsewhere.example/"),
        ])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.headers()["location"], "/ui");

    // A form sent from another site changes nothing.
    let case = Uuid::now_v7();
    for (name, value) in [
        ("origin", "https://elsewhere.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = http
            .post(format!("{base}/ui/cases/{case}/commands/begin_review"))
            .header("cookie", &session)
            .header(name, value)
            .form(&[("_version", "1")])
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), 403, "{name}: {value}");
    }
    let (status, _) = server.get(&token, &format!("/cases/{case}")).await;
    assert_eq!(status, 404, "nothing was written");

    // A token that no longer holds leads to the sign-in, and the cookie is cleared.
    let forged = format!("{}x", &token[..token.len() - 1]);
    let response = http
        .get(format!("{base}/ui/queues"))
        .header("cookie", format!("retur_session={forged}"))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("expired=1")
    );
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // An API bearer token is not a session, and a session cookie is not an API token.
    let response = http
        .get(format!("{base}/ui/queues"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 303);
    let response = http
        .get(format!("{base}/stats"))
        .header("cookie", &session)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 401);

    // Signing out clears the cookie.
    let response = http
        .post(format!("{base}/ui/sign-out"))
        .header("cookie", &session)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

/// The auditor checks a signed checkpoint on the audit page: one the log extends, and one
/// signed by another key than the auditor's.
pub(crate) async fn the_audit_page_checks_a_signed_checkpoint(server: &Server) {
    use ed25519_dalek::pkcs8::EncodePublicKey;
    use retur_app::Checkpoint;

    let http = client();
    let base = &server.base;
    submitted_case(server).await;
    let head = server.cases.store().head().await.expect("head");
    let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
    let public = key
        .verifying_key()
        .to_public_key_pem(Default::default())
        .expect("a PEM");
    let checkpoint = Checkpoint::sign(head.position, head.hash, chrono::Utc::now(), &key).to_json();
    let session = format!(
        "retur_session={}",
        server.token("auditor", "auditor-eva", &[])
    );
    let check = |public: String| {
        let checkpoint = checkpoint.clone();
        let http = http.clone();
        let session = session.clone();
        async move {
            let response = http
                .post(format!("{base}/ui/audit"))
                .header("cookie", session)
                .form(&[("checkpoint", checkpoint), ("public_key", public)])
                .send()
                .await
                .expect("a response");
            (
                response.status().as_u16(),
                response.text().await.expect("a page"),
            )
        }
    };
    let (status, page) = check(public).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("the log reaches the checkpoint's position with the hash it signed"),
        "{page}"
    );
    let other = ed25519_dalek::SigningKey::from_bytes(&[6; 32])
        .verifying_key()
        .to_public_key_pem(Default::default())
        .expect("a PEM");
    let (status, page) = check(other).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("not by the key given"), "{page}");
    assert!(
        page.contains("id=\"checkpoint-error\""),
        "said beside the field: {page}"
    );
    // A key that is not one, on a bokmål page: said in bokmål beside its field.
    let response = http
        .post(format!("{base}/ui/audit"))
        .header("cookie", format!("{session}; retur_lang=nb"))
        .form(&[
            ("checkpoint", checkpoint.as_str()),
            ("public_key", "min nøkkel"),
        ])
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("a page");
    let said = "Nøkkelen er ikke i PEM-form, slik openssl pkey -pubout skriver den ut.";
    assert!(
        page.contains("id=\"public_key-error\"") && page.contains(said),
        "{page}"
    );
}

/// A stored status set by hand in the database (a refused case made to read as approved): every
/// role reads what was set, and the audit, over the API and on its page, names the case and the
/// position where the log says otherwise.
pub(crate) async fn a_stored_status_that_is_not_the_logs_fails_the_audit(server: &Server) {
    let case = submitted_case(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let auditor = server.token("auditor", "auditor-eva", &[]);
    for body in [
        r#"{"command":"begin_review"}"#,
        r#"{"command":"refuse","reasons":"Holds a permit in Sweden.","notified_on":"2025-03-03"}"#,
    ] {
        let (status, answer) = server.send(Some(&udi), case, body, &[]).await;
        assert_eq!(status, 200, "{answer}");
    }
    let (_, audit) = server.get(&auditor, "/audit/verify").await;
    assert_eq!(audit["clean"], true, "{audit}");
    assert_eq!(audit["derived"]["mismatch_count"], 0, "{audit}");
    let head = server.cases.store().head().await.expect("head").position;

    retur_testkit::tamper(
        &server.database_url,
        &format!("UPDATE stream_summaries SET state = 'approved' WHERE stream_id = 'case-{case}'"),
    )
    .await;
    let (_, read) = server.get(&udi, &format!("/cases/{case}")).await;
    assert_eq!(read["status"], "approved", "the tampering took: {read}");

    let (status, audit) = server.get(&auditor, "/audit/verify").await;
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit["clean"], false, "{audit}");
    assert_eq!(audit["chain"]["broken"], serde_json::Value::Null, "{audit}");
    assert_eq!(audit["derived"]["mismatch_count"], 1, "{audit}");
    let mismatch = &audit["derived"]["mismatches"][0];
    assert_eq!(
        (
            mismatch["table"].as_str(),
            mismatch["case"].as_str(),
            mismatch["position"].as_u64()
        ),
        (
            Some("status"),
            Some(format!("case-{case}").as_str()),
            Some(head)
        ),
        "{audit}"
    );
    assert!(
        mismatch["problem"]
            .as_str()
            .is_some_and(|p| p.contains("the stored state is approved; the log says refused")),
        "{audit}"
    );

    let audit_page = |cookie: String| async move {
        client()
            .get(format!("{}/ui/audit", server.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("a response")
            .text()
            .await
            .expect("a page")
    };
    let in_english = format!("retur_session={auditor}");
    let page = audit_page(in_english.clone()).await;
    assert!(page.contains("The log does not verify."), "{page}");
    assert!(
        page.contains(&format!("case-{case}"))
            && page.contains("the stored state is approved; the log says refused"),
        "the page names the case and what differs: {page}"
    );
    // In bokmål it says so in bokmål, the states in words.
    let in_bokmal = format!("retur_session={auditor}; retur_lang=nb");
    let page = audit_page(in_bokmal.clone()).await;
    assert!(page.contains("Loggen er ikke i orden."), "{page}");
    assert!(
        page.contains(&format!("case-{case}"))
            && page.contains("den lagrede tilstanden er innvilget; ifølge loggen er den avslått")
            && !page.contains("the stored state"),
        "the page names what differs in bokmål: {page}"
    );

    // The last event altered in the log itself: the chain breaks there, with both hashes.
    retur_testkit::tamper(
        &server.database_url,
        &format!("UPDATE events SET payload = payload || ' ' WHERE position = {head}"),
    )
    .await;
    let page = audit_page(in_bokmal).await;
    assert!(
        page.contains(&format!("brutt ved posisjon {head}"))
            && page.contains("er ikke hashen av den lagrede hendelsen, som er"),
        "the break is said in bokmål: {page}"
    );
    assert!(!page.contains("the stored hash"), "{page}");
    let page = audit_page(in_english).await;
    assert!(
        page.contains("is not the hash of the stored event"),
        "{page}"
    );
}

/// The pages allow exactly the reads across cases that the API allows, role by role: both ask
/// the app (`may_read`), so they cannot disagree.
pub(crate) async fn the_pages_and_the_api_allow_the_same_reads(server: &Server) {
    let http = client();
    let case = submitted_case(server).await;
    let callers = [
        ("udi", "udi-kari", vec![]),
        ("une", "une-ola", vec![]),
        ("iom", "iom-amina", vec![]),
        ("system", "system", vec![]),
        ("auditor", "auditor-eva", vec![]),
        ("applicant", "applicant-1", vec![case]),
    ];
    let mut forbidden = 0;
    for (role, actor, cases) in callers {
        let token = server.token(role, actor, &cases);
        let mut pairs = vec![("/stats", "/ui/stats"), ("/audit/verify", "/ui/audit")];
        if !matches!(role, "udi" | "une" | "iom") {
            // A caseworker's queue page shows their own agency's; others choose whose.
            pairs.extend([
                ("/queues/udi", "/ui/queues?agency=udi"),
                ("/queues/une", "/ui/queues?agency=une"),
                ("/queues/iom", "/ui/queues?agency=iom"),
            ]);
        }
        for (api, page) in pairs {
            let (from_api, _) = server.get(&token, api).await;
            let from_page = http
                .get(format!("{}{page}", server.base))
                .header("cookie", format!("retur_session={token}"))
                .send()
                .await
                .expect("a response")
                .status()
                .as_u16();
            assert_eq!(from_page, from_api, "{role}: {page} beside {api}");
            forbidden += usize::from(from_api == 403);
        }
    }
    assert!(forbidden >= 8, "the table refuses somewhere: {forbidden}");
}

/// A path no route has is answered in the kind of its part: a page (with every page's headers)
/// under `/ui`, problem+json elsewhere.
pub(crate) async fn a_path_nothing_serves_is_answered_in_its_own_kind(server: &Server) {
    let http = client();
    let page = http
        .get(format!("{}/ui/no-such-page", server.base))
        .send()
        .await
        .expect("a response");
    assert_eq!(page.status().as_u16(), 404);
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .is_ok_and(|csp| csp.contains("default-src 'none'")),
        "{:?}",
        page.headers()
    );
    let text = page.text().await.expect("a page");
    assert!(
        text.contains("there is nothing at /ui/no-such-page"),
        "{text}"
    );

    let api = http
        .get(format!("{}/no-such-route", server.base))
        .send()
        .await
        .expect("a response");
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = api.json().await.expect("problem+json");
    assert_eq!(problem["status"], 404, "{problem}");
}

/// Two caseworkers reach for the same case: the second is told who has it.
pub(crate) async fn a_case_claimed_by_another_is_explained(server: &Server) {
    let http = client();
    let base = &server.base;
    let case = submitted_case(server).await;
    let claim = |actor: &'static str| {
        let http = http.clone();
        let session = format!("retur_session={}", server.token("udi", actor, &[]));
        async move {
            let response = http
                .post(format!("{base}/ui/cases/{case}/claim"))
                .header("cookie", session)
                .form(&[("back", "/ui/queues")])
                .send()
                .await
                .expect("a response");
            (
                response.status().as_u16(),
                response.text().await.expect("a page"),
            )
        }
    };
    let (status, _) = claim("udi-per").await;
    assert_eq!(status, 303, "the first takes it");
    let (status, page) = claim("udi-kari").await;
    assert_eq!(status, 400, "{page}");
    assert!(
        page.contains("The case could not be claimed: udi-per holds it since"),
        "{page}"
    );
}

/// The pages speak the reader's language: bokmål for caseworkers by default, the browser's
/// language where the pages have it, the reader's own choice above both, remembered; Arabic,
/// right to left, only on the pages an applicant reads.
pub(crate) async fn pages_speak_the_readers_language(server: &Server) {
    let case = submitted_case(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let applicant = server.token("applicant", "applicant-abebe", &[case]);
    let get = |path: String,
               token: String,
               language: Option<&'static str>,
               cookie: Option<&'static str>| {
        let base = server.base.clone();
        async move {
            let mut request = reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .expect("a client")
                .get(format!("{base}{path}"));
            let mut cookies = format!("retur_session={token}");
            if let Some(cookie) = cookie {
                cookies.push_str("; ");
                cookies.push_str(cookie);
            }
            request = request.header("cookie", cookies);
            if let Some(language) = language {
                request = request.header("accept-language", language);
            }
            let response = request.send().await.expect("the page");
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.expect("a body")
        }
    };
    let queues = "/ui/queues".to_owned();
    let page = get(queues.clone(), udi.clone(), None, None).await;
    assert!(page.contains(r#"<html lang="nb" dir="ltr">"#), "{page}");
    assert!(
        page.contains("Arbeidskøer") && page.contains("Logg ut"),
        "{page}"
    );
    let page = get(queues.clone(), udi.clone(), Some("en-US,en;q=0.9"), None).await;
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#) && page.contains("Work queues"));
    // The switch is remembered above what the browser asks for.
    let page = get(
        queues.clone(),
        udi.clone(),
        Some("en"),
        Some("retur_lang=nb"),
    )
    .await;
    assert!(page.contains("Arbeidskøer"), "{page}");
    // A caseworker's pages have no Arabic: the next language the browser asks for.
    let page = get(queues.clone(), udi.clone(), Some("ar,en;q=0.5"), None).await;
    assert!(
        page.contains(r#"lang="en""#) && !page.contains(r#"dir="rtl""#),
        "{page}"
    );
    let page = get(queues.clone(), udi.clone(), None, Some("retur_lang=ar")).await;
    assert!(page.contains(r#"<html lang="nb""#), "{page}");
    // The applicant reads their case in Arabic, right to left, without a code in sight.
    let mine = format!("/ui/cases/{case}");
    let page = get(mine.clone(), applicant.clone(), Some("ar"), None).await;
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    assert!(page.contains("لقد استلمنا طلبك"), "{page}");
    assert!(
        !page.contains("Submitted") && !page.contains("Version"),
        "{page}"
    );
    let page = get(mine, applicant, Some("nb"), None).await;
    assert!(page.contains("Vi har mottatt søknaden din"), "{page}");

    // Choosing a language sets the cookie and goes back to the page.
    let response = client()
        .post(format!("{}/ui/language", server.base))
        .header("cookie", format!("retur_session={udi}"))
        .form(&[("lang", "en"), ("back", "/ui/queues")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/ui/queues");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("retur_lang=en;"), "{cookie}");
    // A language the pages are not written in is refused, with nothing set.
    let response = client()
        .post(format!("{}/ui/language", server.base))
        .form(&[("lang", "xx"), ("back", "/ui/queues")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("set-cookie").is_none());
}

/// Finding people: by any part of a name without case or diacritics, by DUF number, date of
/// birth and case reference; IOM only among cases handed over to it; a restricted person only
/// by the roles the restriction names; an erased person never, from the moment of erasure.
pub(crate) async fn people_are_found_by_name_number_birth_and_reference(server: &Server) {
    let case = Uuid::now_v7();
    let (principal, child) = (Uuid::now_v7(), Uuid::now_v7());
    let applicant = server.token("applicant", "applicant-asa", &[case]);
    let submit = json!({
        "command": "submit",
        "household": [
            { "person_id": principal, "relation": "principal_applicant",
              "full_name": "Åse Ødegård Haile", "date_of_birth": "1981-03-04",
              "duf_number": "2018 654321 02" },
            { "person_id": child, "relation": "child",
              "full_name": "Selam Haile", "date_of_birth": "2016-07-08" },
        ],
        "nationality": "ER", "return_country": "ER", "final_destination": "Asmara",
        "situation": "asylum_refused",
    });
    let (status, answer) = server
        .send(Some(&applicant), case, &submit.to_string(), &[])
        .await;
    assert_eq!(status, 200, "{answer}");
    server.catch_up().await;

    let find = |role, actor, typed| find(server, role, actor, typed);
    let found = |page: &str, name: &str| page.contains(&format!("<bdi>{name}</bdi>"));

    // UDI finds both people by any part of a name, whatever the case and the diacritics.
    for typed in ["odegard", "ØDEGÅRD", "åse", "haile"] {
        let (status, page) = find("udi", "udi-kari", typed).await;
        assert_eq!(status, 200);
        assert!(found(&page, "Åse Ødegård Haile"), "{typed}: {page}");
    }
    let (_, page) = find("udi", "udi-kari", "selam").await;
    assert!(found(&page, "Selam Haile") && !found(&page, "Åse Ødegård Haile"));
    assert!(
        page.contains(r#"value="selam""#),
        "the box keeps what was typed: {page}"
    );
    // A DUF number in hyphenated groups is a DUF number, not a reference.
    let (_, page) = find("udi", "udi-kari", "2018-654321-02").await;
    assert!(found(&page, "Åse Ødegård Haile"), "{page}");
    // By DUF number (spaces or none, a start of it), by date of birth, by reference.
    for typed in ["2018 654321 02", "2018654321", "04.03.1981", "1981-03-04"] {
        let (_, page) = find("udi", "udi-kari", typed).await;
        assert!(found(&page, "Åse Ødegård Haile"), "{typed}: {page}");
    }
    // The reference is the year of application and the application's position in the log.
    let (_, page) = find("udi", "udi-kari", "selam").await;
    let reference = page
        .split(r#"data-reference=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a reference")
        .to_owned();
    let position = answer["last_position"].as_u64().expect("a position");
    assert!(
        reference.ends_with(&format!("-{position:06}")),
        "{reference}"
    );
    let (_, page) = find("udi", "udi-kari", &reference).await;
    assert!(
        found(&page, "Åse Ødegård Haile") && found(&page, "Selam Haile"),
        "{page}"
    );
    assert!(page.contains(&reference), "{page}");
    // Too little to search for is said so; nothing found is said so.
    let (status, page) = find("udi", "udi-kari", "a").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-testid="search-problem""#), "{page}");
    let (_, page) = find("udi", "udi-kari", "nobody-by-this-name").await;
    assert!(page.contains(r#"data-testid="search-none""#), "{page}");

    // Need-to-know: IOM and UNE find nothing of a case that is not in their part.
    for (role, actor) in [("iom", "iom-amina"), ("une", "une-per")] {
        let (status, page) = find(role, actor, "haile").await;
        assert_eq!(status, 200);
        assert!(!found(&page, "Selam Haile"), "{role}: {page}");
    }
    // Applicants and the system do not search.
    let (status, _) = find("applicant", "applicant-asa", "haile").await;
    assert_eq!(status, 403);

    // Handed over, the case is IOM's to find.
    let udi = server.token("udi", "udi-kari", &[]);
    for command in [
        json!({ "command": "begin_review" }),
        json!({ "command": "approve" }),
        json!({ "command": "hand_over_to_iom" }),
    ] {
        let (status, answer) = server
            .send(Some(&udi), case, &command.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{command}: {answer}");
    }
    server.catch_up().await;
    let (_, page) = find("iom", "iom-amina", "haile").await;
    assert!(
        found(&page, "Selam Haile") && found(&page, "Åse Ødegård Haile"),
        "{page}"
    );
    // IOM is never given DUF numbers, so it neither sees nor finds people by them.
    assert!(!page.contains("654321"), "{page}");
    let (_, page) = find("iom", "iom-amina", "2018 654321 02").await;
    assert!(!found(&page, "Åse Ødegård Haile"), "{page}");

    // Restricted to UDI, the child is no longer found by IOM; still by UDI.
    let restrict = json!({ "command": "restrict_personal_data", "person_id": child,
                           "visible_to": ["udi", "auditor"] });
    let (status, answer) = server
        .send(Some(&udi), case, &restrict.to_string(), &[])
        .await;
    assert_eq!(status, 200, "{answer}");
    // At once: the case is asked, not only the index.
    let (_, page) = find("iom", "iom-amina", "haile").await;
    assert!(!found(&page, "Selam Haile"), "before catching up: {page}");
    server.catch_up().await;
    let (_, page) = find("iom", "iom-amina", "haile").await;
    assert!(
        !found(&page, "Selam Haile") && found(&page, "Åse Ødegård Haile"),
        "{page}"
    );
    let (_, page) = find("udi", "udi-kari", "selam").await;
    assert!(found(&page, "Selam Haile"), "{page}");

    // Erased, the child is gone for everyone at once: before the index has caught up.
    let erase = json!({ "command": "erase_personal_data", "person_id": child });
    let (status, answer) = server.send(Some(&udi), case, &erase.to_string(), &[]).await;
    assert_eq!(status, 200, "{answer}");
    let (_, page) = find("udi", "udi-kari", "selam").await;
    assert!(!found(&page, "Selam Haile"), "before catching up: {page}");
    server.catch_up().await;
    let (_, page) = find("auditor", "auditor-1", "haile").await;
    assert!(
        !found(&page, "Selam Haile") && found(&page, "Åse Ødegård Haile"),
        "{page}"
    );
}

/// The search page for `typed`, as `role`.
async fn find(server: &Server, role: &str, actor: &str, typed: &str) -> (u16, String) {
    let token = server.token(role, actor, &[]);
    let url =
        reqwest::Url::parse_with_params(&format!("{}/ui/search", server.base), [("q", typed)])
            .expect("an address");
    let response = client()
        .get(url)
        .header("cookie", format!("retur_session={token}"))
        .send()
        .await
        .expect("the search page");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}

/// What is confirmed is what was shown: an approval confirmed for a grant other than the one
/// approving would now record is shown again, and nothing is recorded until it is confirmed.
pub(crate) async fn a_confirmed_approval_is_the_one_that_was_shown(server: &Server) {
    let case = submitted_case(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let (status, answer) = server
        .send(
            Some(&udi),
            case,
            &json!({ "command": "begin_review" }).to_string(),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let version = answer["version"].as_u64().expect("a version").to_string();
    let command_id = Uuid::now_v7().to_string();
    let approve = |extra: Vec<(&'static str, String)>| {
        let mut form = vec![
            ("_version", version.clone()),
            ("_command_id", command_id.clone()),
        ];
        form.extend(extra);
        client()
            .post(format!("{}/ui/cases/{case}/commands/approve", server.base))
            .header("cookie", format!("retur_session={udi}"))
            .header("origin", server.base.as_str())
            .form(&form)
            .send()
    };
    let state = || async {
        let (_, view) = server.get(&udi, &format!("/cases/{case}")).await;
        view["status"].as_str().unwrap_or_default().to_owned()
    };
    // Asked first, with what approval would give and a digest of it.
    let page = approve(vec![]).await.expect("an answer");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("a page");
    assert!(page.contains(r#"data-testid="approval-preview""#), "{page}");
    let shown = page
        .split(r#"name="_preview" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the preview's digest")
        .to_owned();
    assert_eq!(state().await, "under_review", "asking records nothing");
    // Confirmed for another grant than approving would now record: shown again, unrecorded.
    let page = approve(vec![("_confirmed", "yes".into()), ("_preview", "0".into())])
        .await
        .expect("an answer");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("a page");
    assert!(page.contains(r#"data-testid="preview-changed""#), "{page}");
    assert_eq!(state().await, "under_review");
    // Confirmed for what was shown: recorded.
    let done = approve(vec![("_confirmed", "yes".into()), ("_preview", shown)])
        .await
        .expect("an answer");
    assert_eq!(done.status(), 303);
    assert_eq!(state().await, "approved");
}

/// A person's page lists every case they appear in, with the family in each linked; a person
/// helped home before is shown to UDI when it decides their new application, by their DUF
/// number or, as a possibility, by their name and date of birth. IOM finds only its part.
pub(crate) async fn a_persons_page_shows_their_cases_and_an_earlier_return(server: &Server) {
    let udi = server.token("udi", "udi-kari", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
    let send = |token: String, case: Uuid, body: Value| async move {
        let (status, answer) = server
            .send(Some(&token), case, &body.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{body}: {answer}");
        answer
    };
    let submit = |principal: Uuid, duf: Option<&str>, partner: Option<Uuid>, declared: bool| {
        let mut household = vec![json!({
            "person_id": principal, "relation": "principal_applicant",
            "full_name": "Yonas Tesfay Gebre", "date_of_birth": "1979-01-02",
            "duf_number": duf,
        })];
        if let Some(partner) = partner {
            household.push(json!({ "person_id": partner, "relation": "spouse",
                "full_name": "Hiwet Abraha", "date_of_birth": "1983-06-07" }));
        }
        json!({ "command": "submit", "household": household,
                "nationality": "ET", "return_country": "ET", "final_destination": "Mekelle",
                "situation": "asylum_refused",
                "previously_assisted_and_reimmigrated": declared })
    };

    // The first time: Yonas and his wife are helped home.
    let (first, yonas, hiwet) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let applicant = server.token("applicant", "applicant-yonas", &[first]);
    send(
        applicant,
        first,
        submit(yonas, Some("2015 111222 03"), Some(hiwet), false),
    )
    .await;
    for command in ["begin_review", "approve", "hand_over_to_iom"] {
        send(udi.clone(), first, json!({ "command": command })).await;
    }
    let today = retur_app::Clock::now(&*server.clock)
        .date_naive()
        .to_string();
    let booking = json!({ "departs_on": today, "flight": "ET715",
                          "from_airport": "OSL", "to_airport": "ADD" });
    send(
        iom.clone(),
        first,
        json!({ "command": "book_departure", "booking": booking }),
    )
    .await;
    send(
        iom.clone(),
        first,
        json!({ "command": "confirm_departure", "departed_on": today }),
    )
    .await;

    // He comes back and applies again, saying he has not been helped before; and a third
    // application names him without a DUF number.
    let (second, again) = (Uuid::now_v7(), Uuid::now_v7());
    let applicant = server.token("applicant", "applicant-yonas", &[second]);
    send(
        applicant,
        second,
        submit(again, Some("2015111222 03"), None, false),
    )
    .await;
    let (third, namesake) = (Uuid::now_v7(), Uuid::now_v7());
    let applicant = server.token("applicant", "applicant-yonas", &[third]);
    send(applicant, third, submit(namesake, None, None, false)).await;
    server.catch_up().await;

    let page = |token: String, path: String| async move {
        let response = client()
            .get(format!("{}{path}", server.base))
            .header("cookie", format!("retur_session={token}"))
            .header("accept-language", "nb")
            .send()
            .await
            .expect("a page");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a page"))
    };
    let reference = |case: Uuid| async move {
        let (_, status) = server
            .get(
                &server.token("udi", "udi-kari", &[]),
                &format!("/cases/{case}"),
            )
            .await;
        status["reference"]
            .as_str()
            .expect("a reference on the API")
            .to_owned()
    };
    let (first_ref, second_ref, third_ref) = (
        reference(first).await,
        reference(second).await,
        reference(third).await,
    );
    // The API's queues name each case by its reference too.
    let (status, queues) = server.get(&udi, "/queues/udi").await;
    assert_eq!(status, 200, "{queues}");
    let item = queues["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["case"] == second.to_string()))
        .unwrap_or_else(|| panic!("the second case in UDI's queues: {queues}"));
    assert_eq!(item["reference"], second_ref.as_str(), "{item}");

    // UDI, deciding the second application, is told of the first return, by DUF number, and
    // that the application says otherwise.
    let (status, case_page) = page(udi.clone(), format!("/ui/cases/{second}")).await;
    assert_eq!(status, 200);
    assert!(
        case_page.contains(r#"data-testid="earlier-returns""#),
        "{case_page}"
    );
    assert!(case_page.contains(&first_ref), "{case_page}");
    assert!(
        case_page.contains(r#"data-testid="declared-not-before""#),
        "{case_page}"
    );
    assert!(
        !case_page.contains("kanskje samme person"),
        "matched by DUF: {case_page}"
    );
    // The third, by name and date of birth only, is a possibility and says so.
    let (_, case_page) = page(udi.clone(), format!("/ui/cases/{third}")).await;
    assert!(
        case_page.contains(&first_ref) && case_page.contains("kanskje samme person"),
        "{case_page}"
    );
    // The first case itself has no earlier return.
    let (_, case_page) = page(udi.clone(), format!("/ui/cases/{first}")).await;
    assert!(
        !case_page.contains(r#"data-testid="earlier-returns""#),
        "{case_page}"
    );
    assert!(
        case_page.contains(&format!(r#"href="/ui/people/{hiwet}""#)),
        "the household links to people: {case_page}"
    );

    // His page lists all three cases, how each was found, and his wife in the first, linked.
    let (status, person) = page(udi.clone(), format!("/ui/people/{again}")).await;
    assert_eq!(status, 200, "{person}");
    for (reference, matched) in [
        (&first_ref, "duf_number"),
        (&second_ref, "same"),
        (&third_ref, "name_and_birth"),
    ] {
        let item = person
            .split(&format!(r#"data-reference="{reference}""#))
            .nth(1)
            .unwrap_or_else(|| panic!("{reference} on the page: {person}"));
        let item = item.split("</li>").next().unwrap_or_default();
        assert!(
            item.contains(&format!(r#"data-matched="{matched}""#)),
            "{reference}: {item}"
        );
    }
    assert!(
        person.contains(r#"data-testid="helped-home-before""#),
        "{person}"
    );
    assert!(
        person.contains(&format!(r#"href="/ui/people/{hiwet}""#)),
        "{person}"
    );
    assert!(person.contains("Hiwet Abraha"), "{person}");

    // IOM sees only its part: the first case, handed over, with no DUF numbers; the others
    // are not in its part, and their people are unknown to it.
    let (status, person) = page(iom.clone(), format!("/ui/people/{yonas}")).await;
    assert_eq!(status, 200, "{person}");
    assert!(
        person.contains(&first_ref)
            && !person.contains(&second_ref)
            && !person.contains(&third_ref),
        "{person}"
    );
    assert!(!person.contains("111222"), "{person}");
    let (status, _) = page(iom.clone(), format!("/ui/people/{again}")).await;
    assert_eq!(status, 404);
    // Not an id, or nobody's: the same answer.
    let (status, _) = page(udi.clone(), "/ui/people/not-an-id".to_owned()).await;
    assert_eq!(status, 404);
    let (status, _) = page(udi.clone(), format!("/ui/people/{}", Uuid::now_v7())).await;
    assert_eq!(status, 404);
    // Applicants have no person pages.
    let applicant = server.token("applicant", "applicant-yonas", &[second]);
    let (status, _) = page(applicant, format!("/ui/people/{again}")).await;
    assert_eq!(status, 403);

    // Asked to confirm approving the second application, UDI is told again.
    let answer = send(udi.clone(), second, json!({ "command": "begin_review" })).await;
    let version = answer["version"].as_u64().expect("a version").to_string();
    let confirm = client()
        .post(format!(
            "{}/ui/cases/{second}/commands/approve",
            server.base
        ))
        .header("cookie", format!("retur_session={udi}"))
        .header("origin", server.base.as_str())
        .header("accept-language", "nb")
        .form(&[
            ("_version", version),
            ("_command_id", Uuid::now_v7().to_string()),
        ])
        .send()
        .await
        .expect("the confirmation")
        .text()
        .await
        .expect("a page");
    assert!(
        confirm.contains(r#"data-testid="approval-preview""#),
        "{confirm}"
    );
    assert!(
        confirm.contains(r#"data-testid="earlier-returns""#) && confirm.contains(&first_ref),
        "{confirm}"
    );

    // Erased in the first case, Yonas's earlier return is no longer shown, at once.
    send(
        udi.clone(),
        first,
        json!({ "command": "erase_personal_data", "person_id": yonas }),
    )
    .await;
    let (_, case_page) = page(udi.clone(), format!("/ui/cases/{second}")).await;
    assert!(
        !case_page.contains(r#"data-testid="earlier-returns""#),
        "before catching up: {case_page}"
    );
    let (status, _) = page(udi.clone(), format!("/ui/people/{yonas}")).await;
    assert_eq!(status, 404);
    server.catch_up().await;
    let (_, person) = page(udi.clone(), format!("/ui/people/{again}")).await;
    assert!(!person.contains(&first_ref), "{person}");
}

/// Internal notes over the API and on the pages: each agency writes and reads its own, in its
/// own timeline; bad notes are refused with a reason and write nothing.
pub(crate) async fn internal_notes_are_each_agencys_own(server: &Server) {
    let case = submitted_case(server).await;
    let udi = server.token("udi", "udi-kari", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
    let post = |token: String, body: String, content_type: &'static str| async move {
        let response = client()
            .post(format!("{}/cases/{case}/notes", server.base))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("an answer");
        let status = response.status().as_u16();
        (
            status,
            response.json::<Value>().await.unwrap_or(Value::Null),
        )
    };
    let (status, note) = post(
        udi.clone(),
        json!({ "text": "Søkeren ba om kvinnelig tolk." }).to_string(),
        "application/json",
    )
    .await;
    assert_eq!(status, 201, "{note}");
    assert_eq!(note["by"], "udi-kari");
    // Bad notes: each refused with what is wrong, and none written.
    for (body, content_type, expected) in [
        (json!({ "text": "" }).to_string(), "application/json", 422),
        (json!({ "txt": "x" }).to_string(), "application/json", 400),
        ("not json".to_owned(), "application/json", 400),
        (json!({ "text": "x" }).to_string(), "text/plain", 415),
    ] {
        let (status, problem) = post(udi.clone(), body.clone(), content_type).await;
        assert_eq!(status, expected, "{body}: {problem}");
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
    }
    let (status, notes) = server.get(&udi, &format!("/cases/{case}/notes")).await;
    assert_eq!(status, 200);
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
    assert_eq!(notes[0]["text"], "Søkeren ba om kvinnelig tolk.");
    // Not an agency: no notes to read or write; IOM has no part in the case yet.
    let applicant = server.token("applicant", "applicant-1", &[case]);
    for (token, expected) in [
        (server.token("auditor", "auditor-1", &[]), 403),
        (applicant, 403),
        (iom.clone(), 404),
    ] {
        let (status, _) = server.get(&token, &format!("/cases/{case}/notes")).await;
        assert_eq!(status, expected);
        let (status, _) = post(
            token,
            json!({ "text": "x" }).to_string(),
            "application/json",
        )
        .await;
        assert_eq!(status, expected);
    }

    // Handed over, IOM writes its own on the page; neither sees the other's.
    for command in ["begin_review", "approve", "hand_over_to_iom"] {
        let (status, answer) = server
            .send(
                Some(&udi),
                case,
                &json!({ "command": command }).to_string(),
                &[],
            )
            .await;
        assert_eq!(status, 200, "{command}: {answer}");
    }
    let form = |token: String, text: &'static str| async move {
        client()
            .post(format!("{}/ui/cases/{case}/notes", server.base))
            .header("cookie", format!("retur_session={token}"))
            .header("origin", server.base.as_str())
            .header("accept-language", "nb")
            .form(&[("text", text), ("_command_id", &Uuid::now_v7().to_string())])
            .send()
            .await
            .expect("an answer")
    };
    let written = form(iom.clone(), "Passet er bestilt.").await;
    assert_eq!(written.status().as_u16(), 303);
    let empty = form(iom.clone(), "  ").await;
    assert_eq!(empty.status().as_u16(), 200);
    let page = empty.text().await.expect("a page");
    assert!(page.contains("Skriv notatet før du lagrer det."), "{page}");
    let read = |token: String| async move {
        client()
            .get(format!("{}/ui/cases/{case}", server.base))
            .header("cookie", format!("retur_session={token}"))
            .send()
            .await
            .expect("a page")
            .text()
            .await
            .expect("a page")
    };
    let iom_page = read(iom.clone()).await;
    assert!(iom_page.contains("Passet er bestilt."), "{iom_page}");
    assert!(!iom_page.contains("kvinnelig tolk"), "{iom_page}");
    let udi_page = read(udi.clone()).await;
    assert!(udi_page.contains("kvinnelig tolk"), "{udi_page}");
    assert!(!udi_page.contains("Passet er bestilt."), "{udi_page}");
    let (_, notes) = server.get(&iom, &format!("/cases/{case}/notes")).await;
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
}
