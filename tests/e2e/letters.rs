//! Letters over HTTP: each decision's letter as a PDF whose text (read back by `pdftotext`)
//! says what was decided and how to appeal, in the applicant's language and in bokmål; issued
//! once, the same bytes each time; verified by its hash, a changed copy refused; and IOM never
//! given a refusal.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;

/// The text of a PDF, as a real PDF reader reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("retur-letter-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let file = dir.join("letter.pdf");
    std::fs::write(&file, pdf).expect("the letter written");
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().expect("a path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed: the letters are read back with it");
    assert!(output.status.success(), "pdftotext read the letter");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn get_pdf(server: &Server, token: &str, path: &str) -> (u16, Vec<u8>, Option<String>) {
    let response = server
        .client
        .get(format!("{}{path}", server.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_matches('"').to_owned());
    (
        status,
        response.bytes().await.expect("a body").to_vec(),
        etag,
    )
}

async fn verify(server: &Server, token: &str, pdf: Vec<u8>, content_type: &str) -> (u16, Value) {
    let response = server
        .client
        .post(format!("{}/letters/verify", server.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(pdf)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn a_refusal_letter_says_why_and_how_to_appeal_and_verifies(server: &Server) {
    let (case, spouse) = (Uuid::now_v7(), Uuid::now_v7());
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let udi = server.token("udi", "udi-kari", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
    let auditor = server.token("auditor", "auditor-1", &[]);
    let submit = json!({
        "command": "submit",
        "household": [{ "person_id": Uuid::now_v7(), "relation": "principal_applicant",
                        "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20" },
                      { "person_id": spouse, "relation": "spouse",
                        "full_name": "Hiwot Bekele", "date_of_birth": "1987-02-03" }],
        "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
        "situation": "asylum_refused",
        "contact": { "phone": "+47 912 34 567", "language": "en", "needs_interpreter": false },
    });
    let send = |token: String, body: Value| async move {
        let (status, answer) = server
            .send(Some(&token), case, &body.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{body}: {answer}");
        answer
    };
    send(applicant.clone(), submit).await;
    send(udi.clone(), json!({ "command": "begin_review" })).await;
    let today = retur_app::Clock::now(&*server.clock).date_naive();
    send(
        udi.clone(),
        json!({ "command": "refuse", "reasons": "The identity is not established.",
                "notified_on": today.to_string() }),
    )
    .await;

    // The applicant is given the refusal's letter.
    let (status, letters) = server
        .get(&applicant, &format!("/cases/{case}/letters"))
        .await;
    assert_eq!(status, 200, "{letters}");
    let refusal = letters
        .as_array()
        .and_then(|l| l.iter().find(|l| l["kind"] == "refusal"))
        .unwrap_or_else(|| panic!("a refusal letter: {letters}"))
        .clone();
    assert!(
        refusal["issued"].is_null(),
        "not issued until fetched: {refusal}"
    );
    let href = refusal["href"]
        .as_str()
        .expect("where to get it")
        .to_owned();
    let (status, pdf, etag) = get_pdf(server, &applicant, &href).await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let text = pdf_text(&pdf);
    let (_, history) = server.get(&udi, &format!("/cases/{case}/history")).await;
    let deadline: chrono::NaiveDate = history
        .as_array()
        .and_then(|h| h.iter().find(|e| e["event_type"] == "application_refused"))
        .and_then(|e| e["data"]["appeal_deadline"].as_str())
        .and_then(|d| d.parse().ok())
        .expect("the appeal deadline");
    for said in [
        "The identity is not established.",
        "Abebe Bekele",
        // The last day to appeal, in English and in bokmål.
        &deadline.format("%-d %b %Y").to_string(),
        &deadline.format("%d.%m.%Y").to_string(),
        "§ 29",
    ] {
        assert!(text.contains(said), "the letter says {said:?}: {text}");
    }
    // Issued: the hash recorded is the hash of the bytes, and fetched again it is the same.
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&pdf));
    assert_eq!(etag.as_deref(), Some(sha.as_str()));
    let (_, letters) = server.get(&udi, &format!("/cases/{case}/letters")).await;
    assert_eq!(letters[0]["issued"]["sha256"], sha.as_str(), "{letters}");
    let (_, again, _) = get_pdf(server, &udi, &href).await;
    assert_eq!(again, pdf, "the same letter, byte for byte");
    // The applicant's own page offers it to download, and gives the same bytes.
    let page_link = format!("/ui{href}");
    let page = server
        .client
        .get(format!("{}/ui/cases/{case}", server.base))
        .header("cookie", format!("retur_session={applicant}"))
        .send()
        .await
        .expect("the page")
        .text()
        .await
        .expect("a page");
    assert!(page.contains(&format!(r#"href="{page_link}""#)), "{page}");
    let from_page = server
        .client
        .get(format!("{}{page_link}", server.base))
        .header("cookie", format!("retur_session={applicant}"))
        .send()
        .await
        .expect("the letter");
    assert_eq!(
        from_page
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    assert_eq!(from_page.bytes().await.expect("a body").to_vec(), pdf);

    // The letter verifies; a copy changed in one byte does not; only UDI, UNE and auditors
    // verify, and only PDFs.
    server.catch_up().await;
    let (status, verified) = verify(server, &auditor, pdf.clone(), "application/pdf").await;
    assert_eq!(status, 200, "{verified}");
    assert_eq!(verified["case"], case.to_string());
    assert_eq!(verified["kind"], "refusal");
    let mut tampered = pdf.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x01;
    let (status, problem) = verify(server, &auditor, tampered, "application/pdf").await;
    assert_eq!(status, 404, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("no letter")),
        "{problem}"
    );
    for role in ["iom", "une"] {
        let token = server.token(role, &format!("{role}-1"), &[]);
        let (status, _) = verify(server, &token, pdf.clone(), "application/pdf").await;
        assert_eq!(status, 403, "{role}");
    }
    let (status, _) = verify(server, &auditor, pdf.clone(), "text/plain").await;
    assert_eq!(status, 415);
    // A letter may be larger than a command (up to 1 MiB); beyond that it is refused.
    let (status, problem) = verify(server, &auditor, vec![b'%'; 200_000], "application/pdf").await;
    assert_eq!(status, 404, "{problem}");
    let (status, problem) =
        verify(server, &auditor, vec![b'%'; 1_100_000], "application/pdf").await;
    assert_eq!(status, 413, "{problem}");

    // The applicant appeals, UDI reverses, hands over: IOM is given the approval's letter and
    // never the refusal's or the appeal's.
    send(
        applicant.clone(),
        json!({ "command": "lodge_appeal", "grounds": "A passport now proves who I am." }),
    )
    .await;
    send(udi.clone(), json!({ "command": "reverse_decision", "reasoning": "The passport establishes the identity." })).await;
    send(udi.clone(), json!({ "command": "hand_over_to_iom" })).await;
    let (status, letters) = server.get(&iom, &format!("/cases/{case}/letters")).await;
    assert_eq!(status, 200, "{letters}");
    let kinds: Vec<&str> = letters
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["approval"], "{letters}");
    let (status, _, _) = get_pdf(server, &iom, &href).await;
    assert_eq!(status, 404, "IOM is never given the refusal");
    let approval = letters[0]["href"]
        .as_str()
        .expect("the approval")
        .to_owned();
    let (status, pdf, _) = get_pdf(server, &iom, &approval).await;
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(!text.contains("identity is not established"), "{text}");
    assert!(text.contains("Abebe Bekele"), "{text}");
    // A letter naming someone restricted from a role is not given to that role at all.
    let restrict = json!({ "command": "restrict_personal_data", "person_id": spouse,
                           "visible_to": ["udi", "auditor"] });
    send(udi.clone(), restrict).await;
    let (_, letters) = server.get(&iom, &format!("/cases/{case}/letters")).await;
    assert_eq!(
        letters,
        json!([]),
        "the approval names the restricted spouse"
    );
    let (status, _, _) = get_pdf(server, &iom, &approval).await;
    assert_eq!(status, 404);
    // An event of the case that calls for no letter, a position that is no number: no letter.
    let submitted = history
        .as_array()
        .and_then(|h| {
            h.iter()
                .find(|e| e["event_type"] == "application_submitted")
        })
        .and_then(|e| e["position"].as_u64())
        .expect("the application's position");
    let (status, _, _) = get_pdf(server, &udi, &format!("/cases/{case}/letters/{submitted}")).await;
    assert_eq!(status, 404);
    let (status, _, _) = get_pdf(server, &udi, &format!("/cases/{case}/letters/x")).await;
    assert_eq!(status, 400);
}
