//! The clock set by hand, over HTTP: only the system moves it, only forward, and only on a
//! server whose clock is set by hand; moving it fires what fell due at once; `/health` and every
//! page say so. Then every time limit of the process, reached by moving the clock.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;
use crate::lifecycle::Walk;

/// The server's time, as `/health` gives it.
async fn now(server: &Server) -> DateTime<Utc> {
    let health: Value = server
        .client
        .get(format!("{}/health", server.base))
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    health["now"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .expect("a time")
        .to_utc()
}

/// Today in Norway, by the server's clock.
async fn today(server: &Server) -> NaiveDate {
    retur_domain::calendar::oslo_date(now(server).await)
}

async fn post_clock(server: &Server, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = server
        .client
        .post(format!("{}/clock", server.base))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Moves the clock as the system; must be accepted. Returns what it fired.
pub(crate) async fn clock(server: &Server, body: Value) -> Value {
    let system = server.token("system", "training-clock", &[]);
    let (status, answer) = post_clock(server, Some(&system), body.clone()).await;
    assert_eq!(status, 200, "{body}: {answer}");
    answer
}

/// Moves the clock to the start of `day` (09:00 in Norway), as the system.
pub(crate) async fn clock_to(server: &Server, day: NaiveDate) -> Value {
    clock(server, json!({ "set": format!("{day}T09:00:00+01:00") })).await
}

/// The deadlines an answer of `POST /clock` says it fired for `case`.
fn fired_for(answer: &Value, case: Uuid) -> Vec<String> {
    answer["fired"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["case_id"] == case.to_string())
        .filter_map(|f| f["deadline"].as_str().map(str::to_owned))
        .collect()
}

pub(crate) async fn the_clock_set_by_hand_moves_only_forward_and_only_for_the_system(
    server: &Server,
) {
    let health: Value = server
        .client
        .get(format!("{}/health", server.base))
        .send()
        .await
        .expect("a response")
        .json()
        .await
        .expect("JSON");
    assert_eq!(health["clock"], "manual", "{health}");
    let start = now(server).await;

    // Only the system: another role, or none, meets no such route or no token.
    let udi = server.token("udi", "udi-kari", &[]);
    let (status, _) = post_clock(server, Some(&udi), json!({ "advance": "P1D" })).await;
    assert_eq!(status, 404);
    let (status, _) = post_clock(server, None, json!({ "advance": "P1D" })).await;
    assert_eq!(status, 401);
    let system = server.token("system", "training-clock", &[]);
    for body in [
        json!({}),
        json!({ "advance": "P1D", "set": "2030-01-01T00:00:00Z" }),
        json!({ "advance": "22 days" }),
        json!({ "advance": "-P1D" }),
        json!({ "advance": "PT0S" }),
        json!({ "set": "2020-01-01T00:00:00Z" }),
        json!({ "set": "tomorrow" }),
        json!({ "advance": "P1D", "when": "now" }),
    ] {
        let (status, problem) = post_clock(server, Some(&system), body.clone()).await;
        assert_eq!(status, 400, "{body}: {problem}");
        assert!(problem["detail"].is_string(), "{problem}");
    }
    assert_eq!(now(server).await, start, "nothing moved the clock");
    let response = server
        .client
        .post(format!("{}/clock", server.base))
        .bearer_auth(&system)
        .body(r#"{"advance":"P1D"}"#)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 415);

    // A day is a calendar day in Norway: 09:00 stays 09:00 across the change to summer time.
    let answer = clock(server, json!({ "set": "2026-03-28T09:00:00+01:00" })).await;
    assert_eq!(answer["now"], "2026-03-28T08:00:00Z", "{answer}");
    let answer = clock(server, json!({ "advance": "P1D" })).await;
    assert_eq!(
        answer["now_in_norway"], "2026-03-29T09:00:00+02:00",
        "{answer}"
    );
    assert_eq!(answer["now"], "2026-03-29T07:00:00Z", "{answer}");
    let answer = clock(server, json!({ "advance": "PT2H30M" })).await;
    assert_eq!(answer["now"], "2026-03-29T09:30:00Z", "{answer}");
    let answer = clock(server, json!({ "advance": "P1W" })).await;
    assert_eq!(answer["now"], "2026-04-05T09:30:00Z", "{answer}");
    assert_eq!(
        now(server).await.to_rfc3339(),
        "2026-04-05T09:30:00+00:00",
        "/health follows the clock"
    );

    // Every page says the clock is set by hand, and its time.
    for path in ["/ui/queues", "/ui/stats", "/ui/sign-in"] {
        let page = server
            .client
            .get(format!("{}{path}", server.base))
            .header("cookie", format!("retur_session={udi}"))
            .send()
            .await
            .expect("a response")
            .text()
            .await
            .expect("text");
        assert!(
            page.contains(r#"data-testid="manual-clock""#)
                && page.contains("05.04.2026 11:30 CEST"),
            "{path}: {page}"
        );
    }
}

pub(crate) async fn the_travel_deadline_lapses_when_the_clock_passes_it(server: &Server) {
    let mut accepted = Vec::new();
    let mut walk = Walk::submit(server, "lapsed by the clock", &mut accepted).await;
    walk.review_and_approve().await;
    let deadline: NaiveDate = walk.view("udi").await["next_deadline"]["on"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("a travel deadline");
    let answer = clock_to(server, deadline).await;
    assert!(
        fired_for(&answer, walk.case).is_empty(),
        "the last day: {answer}"
    );
    walk.expect("approved").await;
    let answer = clock_to(server, deadline + Duration::days(1)).await;
    assert_eq!(
        fired_for(&answer, walk.case),
        ["travel_deadline"],
        "{answer}"
    );
    walk.expect("lapsed").await;
}

pub(crate) async fn an_unpaid_grant_is_overdue_when_the_clock_passes_its_target(server: &Server) {
    let mut accepted = Vec::new();
    let mut walk = Walk::submit(server, "overdue by the clock", &mut accepted).await;
    walk.review_and_approve().await;
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    walk.ok(
        "iom",
        json!({ "command": "book_departure", "booking": walk.booking(0) }),
    )
    .await;
    walk.depart_and_arrive().await;
    let target: NaiveDate = walk.view("iom").await["next_deadline"]["on"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("a payout target");
    let answer = clock_to(server, target).await;
    assert!(fired_for(&answer, walk.case).is_empty(), "{answer}");
    assert_eq!(walk.view("iom").await["payout_flagged_overdue"], false);
    let answer = clock_to(server, target + Duration::days(1)).await;
    assert_eq!(fired_for(&answer, walk.case), ["payout_target"], "{answer}");
    assert_eq!(walk.view("iom").await["payout_flagged_overdue"], true);
}

pub(crate) async fn a_child_at_application_may_travel_as_an_adult(server: &Server) {
    // The child turns 18 in 40 days: a child on the application date (the grant's rule), an
    // adult on the departure date (pocket money's rule).
    let today = today(server).await;
    let born = NaiveDate::from_ymd_opt(today.year() - 18, today.month(), 1).expect("a date")
        + Duration::days(40);
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-abebe", &[case]);
    let body = json!({
        "command": "submit",
        "household": [
            { "person_id": Uuid::now_v7(), "relation": "principal_applicant",
              "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20" },
            { "person_id": Uuid::now_v7(), "relation": "child",
              "full_name": "Hana Abebe", "date_of_birth": born.to_string() },
        ],
        "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
        "situation": "asylum_refused",
    });
    let (status, answer) = server
        .send(Some(&applicant), case, &body.to_string(), &[])
        .await;
    assert_eq!(status, 200, "{answer}");
    let udi = server.token("udi", "udi-kari", &[]);
    let iom = server.token("iom", "iom-amina", &[]);
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
    let (_, status) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(
        status["approved_cash"]["minor_units"], 4_000_000,
        "an adult's NOK 15 000 and a child's 15 000 + 10 000: {status}"
    );

    // Past the 18th birthday, the family departs.
    let eighteenth = born.with_year(born.year() + 18).expect("a birthday");
    assert!(eighteenth > today, "a child on the application date");
    let departs = eighteenth + Duration::days(3);
    clock_to(server, departs).await;
    let booking = json!({ "departs_on": departs.to_string(), "flight": "TK1752",
                          "from_airport": "OSL", "to_airport": "ADD" });
    for command in [
        json!({ "command": "book_departure", "booking": booking }),
        json!({ "command": "confirm_departure", "departed_on": departs.to_string() }),
        json!({ "command": "pay_pocket_money" }),
    ] {
        let (status, answer) = server
            .send(Some(&iom), case, &command.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{command}: {answer}");
    }
    let (_, status) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(
        status["pocket_money_paid"],
        json!({ "currency": "USD", "minor_units": 16_000 }),
        "two adults at departure, USD 80 each: {status}"
    );
}

/// A case refused today (by the server's clock), the applicant notified today.
async fn refused_today(server: &Server) -> Uuid {
    let case = Uuid::now_v7();
    let applicant = server.token("applicant", "applicant-abebe", &[case]);
    let (status, answer) = server
        .send(Some(&applicant), case, &crate::submit_body(), &[])
        .await;
    assert_eq!(status, 200, "{answer}");
    let today = today(server).await.to_string();
    let udi = server.token("udi", "udi-kari", &[]);
    for command in [
        json!({ "command": "begin_review" }),
        json!({ "command": "refuse", "reasons": "The identity is not established.",
                "notified_on": today }),
    ] {
        let (status, answer) = server
            .send(Some(&udi), case, &command.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{command}: {answer}");
    }
    case
}

/// The case's status and its next deadline, as UDI reads them.
async fn standing(server: &Server, case: Uuid) -> (String, Value) {
    let udi = server.token("udi", "udi-kari", &[]);
    let (status, view) = server.get(&udi, &format!("/cases/{case}")).await;
    assert_eq!(status, 200, "{view}");
    (
        view["status"].as_str().unwrap_or_default().to_owned(),
        view["next_deadline"].clone(),
    )
}

/// The applicant lodges an appeal, posted on `posted_on` (the day it is registered when
/// `None`); returns the state it leads to.
async fn appeal(server: &Server, case: Uuid, posted_on: Option<&str>) -> String {
    let applicant = server.token("applicant", "applicant-abebe", &[case]);
    let mut body =
        json!({ "command": "lodge_appeal", "grounds": "A passport now proves who I am." });
    if let Some(posted_on) = posted_on {
        body["posted_on"] = json!(posted_on);
    }
    let (status, answer) = server
        .send(Some(&applicant), case, &body.to_string(), &[])
        .await;
    assert_eq!(status, 200, "{body}: {answer}");
    answer["status"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a day")
}

/// The appeal window as the Public Administration Act counts it, over HTTP: three weeks from
/// the notification; an appeal on the last day is in time and one the day after is late (and
/// UDI may hear it); a last day on a Saturday, a Sunday or a public holiday runs on to the
/// next working day (domstolloven § 149); an appeal posted in time and registered after the
/// window closed is in time (forvaltningsloven § 30).
pub(crate) async fn every_appeal_limit_as_the_clock_passes_it(server: &Server) {
    // Refused on Monday 7 December 2026: the window ends on Monday 28 December.
    clock_to(server, day("2026-12-07")).await;
    let (on_the_last_day, the_day_after, posted_in_time) = (
        refused_today(server).await,
        refused_today(server).await,
        refused_today(server).await,
    );
    for case in [on_the_last_day, the_day_after, posted_in_time] {
        let (state, deadline) = standing(server, case).await;
        assert_eq!(state, "refused");
        assert_eq!(
            deadline,
            json!({ "kind": "appeal_window_closes", "on": "2026-12-28" })
        );
    }
    // Refused on Saturday 12 December: three weeks end on Saturday 2 January, so the window
    // runs to Monday 4 January.
    clock_to(server, day("2026-12-12")).await;
    let (saturday, saturday_late) = (refused_today(server).await, refused_today(server).await);
    assert_eq!(
        standing(server, saturday).await.1,
        json!({ "kind": "appeal_window_closes", "on": "2027-01-04" })
    );

    let answer = clock_to(server, day("2026-12-28")).await;
    assert!(fired_for(&answer, on_the_last_day).is_empty(), "{answer}");
    assert_eq!(appeal(server, on_the_last_day, None).await, "appeal_lodged");

    let answer = clock_to(server, day("2026-12-29")).await;
    for case in [the_day_after, posted_in_time] {
        assert_eq!(
            fired_for(&answer, case),
            ["appeal_window_closes"],
            "{answer}"
        );
        assert_eq!(standing(server, case).await.0, "refused_final");
    }
    // Late: recorded as such, for UDI to hear (forvaltningsloven § 31) or dismiss.
    assert_eq!(
        appeal(server, the_day_after, None).await,
        "late_appeal_lodged"
    );
    let udi = server.token("udi", "udi-kari", &[]);
    let (status, problem) = server
        .send(
            Some(&udi),
            the_day_after,
            &json!({ "command": "forward_to_une", "assessment": "Maintained." }).to_string(),
            &[],
        )
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("late_appeal_not_accepted")),
        "{problem}"
    );
    let (status, answer) = server
        .send(
            Some(&udi),
            the_day_after,
            &json!({ "command": "accept_late_appeal", "ground": "not_to_blame",
                     "reasoning": "The applicant was in hospital." })
            .to_string(),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(standing(server, the_day_after).await.0, "appeal_lodged");

    // Posted on the last day, registered five days later, after the window closed: in time.
    clock_to(server, day("2027-01-02")).await;
    assert_eq!(
        appeal(server, posted_in_time, Some("2026-12-28")).await,
        "appeal_lodged"
    );

    // The Saturday case: nothing fires on the weekend, the appeal on Monday is in time, and
    // one registered on Tuesday and posted then is late.
    let answer = clock_to(server, day("2027-01-04")).await;
    assert!(fired_for(&answer, saturday).is_empty(), "{answer}");
    assert!(fired_for(&answer, saturday_late).is_empty(), "{answer}");
    assert_eq!(appeal(server, saturday, None).await, "appeal_lodged");
    let answer = clock_to(server, day("2027-01-05")).await;
    assert_eq!(
        fired_for(&answer, saturday_late),
        ["appeal_window_closes"],
        "{answer}"
    );
    assert_eq!(
        appeal(server, saturday_late, None).await,
        "late_appeal_lodged"
    );

    // Across Easter: refused on Thursday 4 March 2027, three weeks end on Maundy Thursday
    // (25 March); Good Friday, the weekend and Easter Monday follow, so the window runs to
    // Tuesday 30 March.
    clock_to(server, day("2027-03-04")).await;
    let (easter, easter_late) = (refused_today(server).await, refused_today(server).await);
    assert_eq!(
        standing(server, easter).await.1,
        json!({ "kind": "appeal_window_closes", "on": "2027-03-30" })
    );
    for holiday in ["2027-03-25", "2027-03-26", "2027-03-29"] {
        let answer = clock_to(server, day(holiday)).await;
        assert!(
            fired_for(&answer, easter_late).is_empty(),
            "{holiday}: {answer}"
        );
    }
    let answer = clock_to(server, day("2027-03-30")).await;
    assert!(fired_for(&answer, easter_late).is_empty(), "{answer}");
    assert_eq!(appeal(server, easter, None).await, "appeal_lodged");
    let answer = clock_to(server, day("2027-03-31")).await;
    assert_eq!(
        fired_for(&answer, easter_late),
        ["appeal_window_closes"],
        "{answer}"
    );
    assert_eq!(
        appeal(server, easter_late, None).await,
        "late_appeal_lodged"
    );

    // Across Constitution Day: refused on Monday 26 April 2027, three weeks end on Monday
    // 17 May, so the window runs to Tuesday 18 May.
    clock_to(server, day("2027-04-26")).await;
    let constitution = refused_today(server).await;
    assert_eq!(
        standing(server, constitution).await.1,
        json!({ "kind": "appeal_window_closes", "on": "2027-05-18" })
    );
    let answer = clock_to(server, day("2027-05-18")).await;
    assert!(fired_for(&answer, constitution).is_empty(), "{answer}");
    assert_eq!(appeal(server, constitution, None).await, "appeal_lodged");
}
