//! Caseworkers, applicants and auditors at work in the browser.

use std::collections::BTreeSet;

use retur_api::Keys;
use retur_api::dto::CommandDto;
use retur_app::{Caller, CommandRequest};
use retur_domain::{Actor, ActorId, CaseId, Role};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Browser, Server, browser, driver, server};

fn caller(role: Role, name: &str) -> Caller {
    let actor = Actor::new(role, ActorId::parse(name).expect("an actor id"));
    Caller::agency(actor)
}

/// Gives a command beneath the pages, as another caseworker's screen (or the API) would.
async fn behind_the_page(server: &Server, caller: &Caller, case: Uuid, body: Value) -> u64 {
    let action = CommandDto::from_value(body)
        .and_then(CommandDto::into_action)
        .expect("a command");
    server
        .cases
        .handle(
            caller,
            CommandRequest {
                case_id: CaseId::from_uuid(case),
                action,
                command_id: Uuid::now_v7(),
                correlation_id: Uuid::now_v7(),
                expected_version: None,
            },
        )
        .await
        .expect("handled")
        .version
}

/// A new case's id, and the application for it.
fn submit(name: &str) -> (Uuid, Value) {
    (
        Uuid::now_v7(),
        json!({
            "command": "submit",
            "household": [{ "person_id": Uuid::now_v7(), "relation": "principal_applicant",
                            "full_name": name, "date_of_birth": "1985-05-20" }],
            "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
            "situation": "asylum_refused"
        }),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_case_goes_from_application_to_payout_across_the_three_agencies() {
    let Some(driver) = driver().await else { return };
    let server = server().await;
    let page = browser(&driver, &server.base).await;
    let case = Uuid::now_v7();

    // The applicant applies; a field left empty is named, and nothing is recorded.
    page.sign_in(&server.token("applicant", "applicant-abebe", &[case]))
        .await;
    let text = page.text().await;
    assert!(
        text.contains("Signed in as applicant-abebe (Applicant)"),
        "{text}"
    );
    assert!(text.contains("Not yet applied"), "{text}");
    // The server runs on a clock set by hand, and every page says so, with its time.
    let banner = page
        .find("[data-testid=manual-clock]")
        .await
        .text()
        .await
        .expect("the banner");
    assert!(
        banner.contains("the clock is set by hand") && banner.contains("3 Mar 2025 10:00 CET"),
        "{banner}"
    );
    page.open(&format!("/ui/cases/{case}")).await;
    page.check_page("apply").await;
    let application = [
        ("household[0].date_of_birth", "1985-05-20"),
        ("nationality", "ET"),
        ("return_country", "ET"),
        ("final_destination", "Addis Ababa"),
        ("situation", "asylum_refused"),
        ("contact.phone", "+47 912 34 567"),
        ("contact.language", "am"),
        ("contact.needs_interpreter", "true"),
    ];
    page.give("submit", &application).await;
    let text = page.wait_for_text("Please correct:", false).await;
    assert!(text.contains("Full name: This is required."), "{text}");
    let error = page
        .find("#submit-household-0--full-name-error")
        .await
        .text()
        .await
        .expect("the message");
    assert_eq!(error, "This is required.");
    assert_eq!(
        page.find("#submit-household-0--full-name")
            .await
            .attr("aria-invalid")
            .await
            .expect("attr")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        page.find("[name=final_destination]")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Addis Ababa"),
        "what was typed is kept"
    );
    page.check_page("validation-error").await;
    page.record("submit", &[("household[0].full_name", "Abebe Bekele")])
        .await;
    assert_eq!(page.state().await, "submitted");
    page.sign_out().await;

    // UDI finds it in its queue, claims it, and reviews it.
    server.later(3);
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    assert_eq!(page.path().await, "/ui/queues");
    page.wait_for_case(case).await;
    page.find(&format!("form[action='/ui/cases/{case}/claim'] button"))
        .await
        .click()
        .await
        .expect("claim");
    page.wait_for_text("udi-kari", true).await;
    page.check_page("queues").await;
    page.open(&format!("/ui/cases/{case}")).await;
    let text = page.text().await;
    assert!(
        text.contains("Held by\nudi-kari (to decide, since"),
        "{text}"
    );
    assert!(
        text.contains("Abebe Bekele"),
        "UDI sees the household: {text}"
    );
    page.record("begin_review", &[]).await;
    assert_eq!(page.state().await, "under_review");
    // A note for UDI alone: it stands in UDI's timeline.
    page.find("#note-text")
        .await
        .send_keys("NOTE: ask for the birth certificate.")
        .await
        .expect("type the note");
    page.find("form[data-command=write_note] button")
        .await
        .click()
        .await
        .expect("save the note");
    let text = page.wait_for_text("The note is saved.", false).await;
    assert!(
        text.contains("note by udi-kari") && text.contains("NOTE: ask for the birth certificate."),
        "{text}"
    );

    // While the refusal is being written, a colleague changes the case: the page says what
    // changed and keeps what was typed.
    server.later(7);
    let reasons = "REASONS: the identity is not established.";
    let principal = principal(&server, case).await;
    page.give("refuse", &[("reasons", reasons)]).await; // no date yet: refused by the page
    page.wait_for_text("Applicant notified on: This is required.", false)
        .await;
    behind_the_page(
        &server,
        &caller(Role::Udi, "udi-per"),
        case,
        json!({ "command": "restrict_personal_data", "person_id": principal,
                "visible_to": ["udi", "une", "iom", "auditor", "applicant"] }),
    )
    .await;
    let today = server.today();
    page.give("refuse", &[("notified_on", &today)]).await;
    let text = page
        .wait_for_text("Someone changed this case while you had it open", false)
        .await;
    assert!(text.contains("Your “Refuse” was not recorded"), "{text}");
    assert!(text.contains("UDI: personal data restricted."), "{text}");
    assert_eq!(
        page.find("form[data-command=refuse] [name=reasons]")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some(reasons),
        "the reasons typed are kept"
    );
    page.check_page("conflict").await;
    page.record("refuse", &[]).await;
    assert_eq!(page.state().await, "refused");
    page.sign_out().await;

    // The applicant appeals; UDI forwards it; UNE allows it.
    server.later(5);
    page.sign_in(&server.token("applicant", "applicant-abebe", &[case]))
        .await;
    page.open(&format!("/ui/cases/{case}")).await;
    assert!(
        page.text().await.contains(reasons),
        "the applicant reads why"
    );
    page.record(
        "lodge_appeal",
        &[("grounds", "GROUNDS: a passport now proves who I am.")],
    )
    .await;
    page.sign_out().await;
    // Before UDI forwards the appeal, the case does not exist for UNE, nor, before the
    // hand-over, for IOM.
    for (role, actor) in [("une", "une-ola"), ("iom", "iom-amina")] {
        page.sign_in(&server.token(role, actor, &[])).await;
        page.open(&format!("/ui/cases/{case}")).await;
        let text = page.text().await;
        assert!(
            text.contains(&format!("There is no case {case}")),
            "{role}: {text}"
        );
        assert!(!text.contains("Abebe"), "{role}: {text}");
        page.sign_out().await;
    }
    server.later(5);
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    page.open(&format!("/ui/cases/{case}")).await;
    page.record(
        "forward_to_une",
        &[("assessment", "ASSESSMENT: UDI maintains the refusal.")],
    )
    .await;
    page.sign_out().await;
    server.later(10);
    page.sign_in(&server.token("une", "une-ola", &[])).await;
    page.wait_for_case(case).await;
    assert!(page.text().await.contains("Appeals to decide"));
    page.open(&format!("/ui/cases/{case}")).await;
    page.record(
        "allow_appeal",
        &[("reasoning", "REASONING: the passport settles it.")],
    )
    .await;
    assert_eq!(page.state().await, "approved");
    page.sign_out().await;
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    page.open(&format!("/ui/cases/{case}")).await;
    page.record("hand_over_to_iom", &[]).await;
    assert_eq!(page.state().await, "handed_to_iom");
    page.sign_out().await;

    // IOM sees the case, but never why it was refused or what the appeal said.
    page.sign_in(&server.token("iom", "iom-amina", &[])).await;
    page.wait_for_case(case).await;
    page.open(&format!("/ui/cases/{case}")).await;
    let text = page.text().await;
    assert!(text.contains("UDI refused the application."), "{text}");
    assert!(
        text.contains("Parts of this event are withheld from your role."),
        "{text}"
    );
    let source = page.source().await;
    for secret in ["REASONS:", "GROUNDS:", "ASSESSMENT:", "REASONING:", "NOTE:"] {
        assert!(!source.contains(secret), "IOM reads {secret}: {source}");
    }
    assert!(
        !page
            .find("body")
            .await
            .html(false)
            .await
            .expect("html")
            .contains("REASONS:")
    );
    assert!(
        !page.exists("form[data-command=approve]").await,
        "no UDI forms for IOM"
    );
    page.check_page("case-iom").await;

    // IOM books (a malformed airport is named), the household leaves and arrives, and is paid.
    page.record("record_self_declaration", &[("signed_on", &server.today())])
        .await;
    let departs = (chrono::NaiveDate::parse_from_str(&server.today(), "%Y-%m-%d").expect("day")
        + chrono::Duration::days(7))
    .to_string();
    page.give(
        "book_departure",
        &[
            ("booking.departs_on", &departs),
            ("booking.flight", "TK1752"),
            ("booking.from_airport", "O5L"),
            ("booking.to_airport", "ADD"),
            ("booking.meet_at", "07:30"),
        ],
    )
    .await;
    let error = page.wait_for_text("From airport", false).await;
    assert!(
        page.exists("#book_departure-booking-from-airport-error")
            .await,
        "the airport is named: {error}"
    );
    page.record("book_departure", &[("booking.from_airport", "OSL")])
        .await;
    assert_eq!(page.state().await, "departure_booked");
    page.sign_out().await;
    // The applicant sees the flight at once: number, date, airport and when to be there.
    page.sign_in(&server.token("applicant", "applicant-abebe", &[case]))
        .await;
    page.open(&format!("/ui/cases/{case}")).await;
    let flight = page
        .find("[data-testid=flight]")
        .await
        .text()
        .await
        .expect("the flight");
    assert!(
        flight.contains("TK1752") && flight.contains("OSL"),
        "{flight}"
    );
    assert!(flight.contains("Be at the airport at 07:30"), "{flight}");
    page.sign_out().await;
    page.sign_in(&server.token("iom", "iom-amina", &[])).await;
    server.later(7);
    page.open(&format!("/ui/cases/{case}")).await;
    page.record("confirm_departure", &[("departed_on", &server.today())])
        .await;
    page.record("pay_pocket_money", &[]).await;
    server.later(1);
    page.open(&format!("/ui/cases/{case}")).await;
    page.record("confirm_arrival", &[("arrived_on", &server.today())])
        .await;
    let approved = page
        .find("[data-testid=approved-cash]")
        .await
        .text()
        .await
        .expect("the approved amount");
    // As an English page writes it, `NOK 30,000`: the grouping comma is not typed.
    let major = approved
        .replace('\u{a0}', " ")
        .strip_prefix("NOK ")
        .expect("in NOK")
        .replace(',', "");
    assert_ne!(major, "0", "a grant was approved");
    page.record(
        "pay_reintegration_tranche",
        &[
            ("amount.major", &major),
            ("rates.nok_per_usd", "10.62"),
            ("rates.local_currency", "ETB"),
            ("rates.local_per_usd", "57.25"),
            ("payee.method", "cash"),
        ],
    )
    .await;
    assert_eq!(page.state().await, "paid_out");
    assert_eq!(
        page.find("[data-testid=paid]")
            .await
            .text()
            .await
            .expect("paid"),
        approved
    );
    page.record("close_case", &[]).await;
    assert_eq!(page.state().await, "closed");
    page.sign_out().await;

    // UDI reads what IOM may not.
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    page.open(&format!("/ui/cases/{case}")).await;
    page.check_page("case-udi").await;
    let reference = page
        .find("[data-testid=reference]")
        .await
        .text()
        .await
        .expect("a reference");

    // Abebe comes back and applies again: deciding it, UDI is told he was helped home before,
    // possibly (the same name and date of birth; no DUF number to be sure by).
    let (again, body) = submit("Abebe Bekele");
    let applicant = Caller::applicant(
        Actor::new(
            Role::Applicant,
            ActorId::parse("applicant-abebe").expect("id"),
        ),
        [CaseId::from_uuid(again)],
    );
    behind_the_page(&server, &applicant, again, body).await;
    page.open(&format!("/ui/cases/{again}")).await;
    let text = page.wait_for_text("Helped home before", true).await;
    assert!(
        text.contains(&format!("case {reference}")) && text.contains("possibly the same person"),
        "{text}"
    );
    assert!(text.contains("left Norway on"), "{text}");
    page.check_page("earlier-return").await;
    page.open(&format!("/ui/cases/{case}")).await;
    // Folded under each event's details, but on the page.
    let source = page.source().await;
    assert!(
        source.contains(reasons) && source.contains("ASSESSMENT:"),
        "{source}"
    );
    page.sign_out().await;

    // The auditor: the log verifies, the head is shown, and the case can be seen as it was.
    page.sign_in(&server.token("auditor", "auditor-eva", &[]))
        .await;
    assert_eq!(page.path().await, "/ui/audit");
    let verdict = page
        .find("[data-testid=verdict]")
        .await
        .text()
        .await
        .expect("verdict");
    assert_eq!(verdict, "The log verifies.");
    let head = server.cases.store().head().await.expect("head");
    assert_eq!(
        page.find("[data-testid=head-position]")
            .await
            .text()
            .await
            .expect("head"),
        head.position.to_string()
    );
    assert_eq!(
        page.find("[data-testid=head-hash]")
            .await
            .text()
            .await
            .expect("hash"),
        head.hash.to_hex()
    );
    page.check_page("audit").await;
    // As of a day, by the case system's clock: the day before the application, the case did
    // not exist yet.
    let yesterday = "2025-03-02".to_owned();
    page.find("#travel-case")
        .await
        .send_keys(&case.to_string())
        .await
        .expect("type");
    page.client
        .execute(
            "document.getElementById('travel-day').value = arguments[0];",
            vec![json!(yesterday)],
        )
        .await
        .expect("set the day");
    page.find("form[action='/ui/time-travel'] button")
        .await
        .click()
        .await
        .expect("travel");
    let text = page
        .wait_for_text("did not exist for you at that moment yet", false)
        .await;
    assert!(text.contains(&case.to_string()), "{text}");
    // As of an event: the refusal, from the link in the timeline.
    page.open(&format!("/ui/cases/{case}")).await;
    page.find("li[data-event=application_refused] .when a")
        .await
        .click()
        .await
        .expect("to the refusal");
    let text = page.wait_for_text("of the log", false).await;
    assert_eq!(page.state().await, "refused", "{text}");
    assert!(
        !page.exists("section.actions").await,
        "no actions on the past"
    );
    assert!(
        !page.exists("li[data-event=appeal_lodged]").await,
        "nothing after it: {text}"
    );
    page.open("/ui/stats").await;
    page.wait_for_text("Cases by state", false).await;
    assert!(page.exists("svg.chart").await);
    page.check_page("stats").await;
    page.close().await;
}

async fn principal(server: &Server, case: Uuid) -> String {
    let history = server
        .cases
        .history(
            &caller(Role::Auditor, "auditor-test"),
            CaseId::from_uuid(case),
        )
        .await
        .expect("history");
    history[0].data["household"][0]["person_id"]
        .as_str()
        .expect("a person id")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_out_and_what_each_role_reaches() {
    let Some(driver) = driver().await else { return };
    let server = server().await;
    let page = browser(&driver, &server.base).await;

    // A page asked for before signing in leads to the sign-in, and back after it.
    page.open("/ui/stats").await;
    assert!(page.path().await.starts_with("/ui/sign-in?next=/ui/stats"));
    page.check_page("sign-in").await;
    page.paste_token("not a token").await;
    let text = page.wait_for_text("This token cannot be used", false).await;
    assert!(text.contains("malformed"), "{text}");
    page.paste_token(&server.token("auditor", "auditor-eva", &[]))
        .await;
    page.wait_for_text("Cases by state", false).await;
    assert_eq!(page.path().await, "/ui/stats", "back to the page asked for");
    page.sign_out().await;
    let forged = Keys::from_secret(b"another secret, also long enough for HS256")
        .expect("keys")
        .issue(&retur_api::TokenClaims {
            sub: "udi-kari".into(),
            role: "udi".into(),
            cases: vec![],
            exp: chrono::Utc::now().timestamp() + 3600,
            nbf: None,
        })
        .expect("a token");
    page.sign_in_expecting_error(&forged, "not issued by this server")
        .await;

    for (role, actor, label, home) in [
        ("udi", "udi-kari", "UDI caseworker", "/ui/queues"),
        ("une", "une-ola", "UNE caseworker", "/ui/queues"),
        ("iom", "iom-amina", "IOM caseworker", "/ui/queues"),
        ("auditor", "auditor-eva", "Auditor", "/ui/audit"),
        ("applicant", "applicant-abebe", "Applicant", "/ui"),
    ] {
        page.sign_in(&server.token(role, actor, &[])).await;
        assert_eq!(page.path().await, home, "{role}");
        let who = page
            .find("[data-testid=who]")
            .await
            .text()
            .await
            .expect("who");
        assert_eq!(who, format!("Signed in as {actor} ({label})"));
        page.open("/ui/audit").await;
        let audit = page.text().await;
        assert_eq!(
            audit.contains("Not yours to see"),
            role != "auditor",
            "{role} at the audit: {audit}"
        );
        page.sign_out().await;
        page.open(home).await;
        assert!(
            page.path().await.starts_with("/ui/sign-in"),
            "{role} is signed out"
        );
    }

    // Keyboard: the first Tab reaches the link that skips to the content.
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    page.client
        .execute("document.activeElement.blur();", vec![])
        .await
        .expect("blur");
    page.find("body")
        .await
        .send_keys("\u{E004}")
        .await
        .expect("tab");
    let focused = page.client.active_element().await.expect("focus");
    assert_eq!(focused.text().await.expect("text"), "Skip to the content");
    page.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_queue_filters_pages_and_marks_overdue_deadlines() {
    let Some(driver) = driver().await else { return };
    let server = server().await;
    let udi = caller(Role::Udi, "udi-kari");
    let mut cases = BTreeSet::new();
    for n in 0..27 {
        let (case, body) = submit(&format!("Person {n}"));
        let applicant = Caller::applicant(
            Actor::new(Role::Applicant, ActorId::parse("applicant").expect("id")),
            [CaseId::from_uuid(case)],
        );
        behind_the_page(&server, &applicant, case, body).await;
        cases.insert(case);
    }
    // One is approved: its travel deadline comes and passes.
    let approved = *cases.iter().next().expect("a case");
    behind_the_page(
        &server,
        &udi,
        approved,
        json!({ "command": "begin_review" }),
    )
    .await;
    behind_the_page(&server, &udi, approved, json!({ "command": "approve" })).await;
    let status = server
        .cases
        .status(&udi, CaseId::from_uuid(approved))
        .await
        .expect("status")
        .expect("a case");
    let due = status.next_deadline.expect("a travel deadline").on;
    let due_shown = due.format("%-d %b %Y");
    server.clock.set(
        due.succ_opt()
            .expect("a day")
            .and_hms_opt(9, 0, 0)
            .expect("a time")
            .and_utc(),
    );

    let page = browser(&driver, &server.base).await;
    page.sign_in(&server.token("udi", "udi-kari", &[])).await;
    page.wait_for_text("Next page", true).await;
    let rows = page
        .client
        .find_all(fantoccini::Locator::Css("table.queue tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 25, "a page holds 25");
    page.find("a[rel=next]")
        .await
        .click()
        .await
        .expect("next page");
    page.wait_for_text("page 2", false).await;
    let rows = page
        .client
        .find_all(fantoccini::Locator::Css("table.queue tbody tr"))
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2, "27 in all");
    assert!(page.exists("a[rel=prev]").await);

    // Only the cases to hand over: the approved one, overdue.
    page.open("/ui/queues?queue=to_hand_over").await;
    let text = page.text().await;
    assert!(
        text.contains(&format!("Overdue: Travel deadline by {due_shown}")),
        "{text}"
    );
    assert!(page.exists("tr.overdue").await);
    // Soonest deadline first puts it at the top of all the queues.
    page.find("#sort")
        .await
        .select_by_value("due")
        .await
        .expect("sort");
    page.find("#queue")
        .await
        .select_by_value("")
        .await
        .expect("all queues");
    page.find("form.filters button")
        .await
        .click()
        .await
        .expect("show");
    page.wait_for_text("Soonest deadline first", false).await;
    let first = page
        .find("table.queue tbody tr:first-child td:first-child a")
        .await
        .attr("href")
        .await
        .expect("href");
    assert_eq!(
        first.as_deref(),
        Some(format!("/ui/cases/{approved}").as_str())
    );

    // Claimed by me, then released.
    page.find("table.queue tbody tr:first-child form button")
        .await
        .click()
        .await
        .expect("claim");
    // The claim's own answer (back to the queue) lands before the next page is asked for, or it
    // would replace it; the queue offers the release once the index has the claim.
    page.wait_for_text("Release", true).await;
    page.open("/ui/queues?held=me").await;
    page.wait_for_text("udi-kari", true).await;
    assert_eq!(
        page.client
            .find_all(fantoccini::Locator::Css("table.queue tbody tr"))
            .await
            .expect("rows")
            .len(),
        1
    );
    page.find("table.queue tbody tr form button")
        .await
        .click()
        .await
        .expect("release");
    page.wait_for_text("No cases here.", true).await;

    // A filter that is not a date is said beside it.
    page.open("/ui/queues?due_by=soon").await;
    assert_eq!(
        page.find("#due_by-error")
            .await
            .text()
            .await
            .expect("error"),
        "\"soon\" is not a date (YYYY-MM-DD)"
    );
    page.close().await;
}

impl Browser {
    async fn sign_in_expecting_error(&self, token: &str, says: &str) {
        self.send_token(token).await;
        let text = self.wait_for_text(says, false).await;
        assert!(self.path().await.starts_with("/ui/sign-in"), "{text}");
    }
}
