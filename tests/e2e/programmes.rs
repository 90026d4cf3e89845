//! The country programmes over HTTP, as their sources say (rules/grants.toml, read
//! 2026-11-25): what UDI's approval grants a household returning to Somalia, Morocco and
//! Afghanistan, before and after the departure deadline, with adults and children; and an
//! instalment that is not due yet is neither payable nor overdue, moved by the clock.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;
use crate::clock::{clock, clock_to};

/// Applies for a household (an adult, and a child if `child`) returning to `country`, with the
/// departure deadline given; reviews and approves it as UDI, naming the particularly
/// vulnerable. Returns the case and its status as IOM reads it after the hand-over.
async fn approved(
    server: &Server,
    country: &str,
    child: bool,
    departure_deadline: Option<&str>,
    vulnerable: bool,
) -> (Uuid, Value) {
    let case = Uuid::now_v7();
    let principal = Uuid::now_v7();
    let mut household = vec![json!({
        "person_id": principal, "relation": "principal_applicant",
        "full_name": "Amina Yusuf", "date_of_birth": "1990-02-01"
    })];
    if child {
        household.push(json!({
            "person_id": Uuid::now_v7(), "relation": "child",
            "full_name": "Ali Yusuf", "date_of_birth": "2018-06-01"
        }));
    }
    let mut body = json!({
        "command": "submit", "household": household,
        "nationality": country, "return_country": country, "final_destination": "Home",
        "situation": "asylum_refused",
    });
    if let Some(deadline) = departure_deadline {
        body["departure_deadline"] = json!(deadline);
    }
    let applicant = server.token("applicant", "applicant-1", &[case]);
    let (status, answer) = server
        .send(Some(&applicant), case, &body.to_string(), &[])
        .await;
    assert_eq!(status, 200, "{country}: {answer}");
    let udi = server.token("udi", "udi-kari", &[]);
    let approve = if vulnerable {
        json!({ "command": "approve", "particularly_vulnerable": [principal] })
    } else {
        json!({ "command": "approve" })
    };
    for command in [
        json!({ "command": "begin_review" }),
        approve,
        json!({ "command": "hand_over_to_iom" }),
    ] {
        let (status, answer) = server
            .send(Some(&udi), case, &command.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{country} {command}: {answer}");
    }
    let iom = server.token("iom", "iom-amina", &[]);
    let (status, view) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(status, 200, "{view}");
    (case, view)
}

/// A household going to a country (with a child or not), under a departure deadline (or none),
/// with the principal applicant judged particularly vulnerable or not; then the cash in NOK and
/// the in-kind totals the approval must give.
type Expected = (
    &'static str,
    bool,
    Option<&'static str>,
    bool,
    i64,
    Vec<Value>,
);

fn money(currency: &str, units: i64) -> Value {
    json!({ "currency": currency, "minor_units": units * 100 })
}

pub(crate) async fn each_country_programme_pays_what_its_source_says(server: &Server) {
    // The corrected readings apply to applications from 2026-11-25.
    clock(server, json!({ "set": "2026-12-01T09:00:00+01:00" })).await;
    let before = None;
    let after = Some("2026-11-01");
    let expected: [Expected; 8] = [
        // Somalia: 15 000 per adult and 25 000 per child before the deadline, 5 000 each after;
        // NOK 30 000 of services per person through DRC, adults included.
        (
            "SO",
            true,
            before,
            false,
            40_000,
            vec![money("NOK", 60_000)],
        ),
        ("SO", true, after, false, 10_000, vec![money("NOK", 60_000)]),
        (
            "SO",
            false,
            before,
            false,
            15_000,
            vec![money("NOK", 30_000)],
        ),
        // Morocco: the ordinary cash grant, and EUR 2 000 in kind per person on top, EUR 4 000
        // for one UDI judges particularly vulnerable; euros stay euros.
        ("MA", true, before, false, 40_000, vec![money("EUR", 4_000)]),
        ("MA", true, before, true, 40_000, vec![money("EUR", 6_000)]),
        ("MA", false, after, false, 5_000, vec![money("EUR", 2_000)]),
        // Afghanistan: 15 000 before and 13 000 after the deadline, and 2 000 on arrival.
        ("AF", false, before, false, 17_000, vec![]),
        ("AF", false, after, false, 15_000, vec![]),
    ];
    for (country, child, deadline, vulnerable, cash, in_kind) in expected {
        let (_, view) = approved(server, country, child, deadline, vulnerable).await;
        let what =
            format!("{country}, child {child}, deadline {deadline:?}, vulnerable {vulnerable}");
        assert_eq!(view["approved_cash"], money("NOK", cash), "{what}: {view}");
        assert_eq!(view["approved_in_kind"], json!(in_kind), "{what}: {view}");
    }
}

pub(crate) async fn an_instalment_not_yet_due_is_neither_payable_nor_overdue(server: &Server) {
    clock(server, json!({ "set": "2026-12-01T09:00:00+01:00" })).await;
    let (case, _) = approved(server, "AF", false, None, false).await;
    let iom = server.token("iom", "iom-amina", &[]);
    let send = |body: Value| {
        let iom = iom.clone();
        async move { server.send(Some(&iom), case, &body.to_string(), &[]).await }
    };
    let booking = json!({ "departs_on": "2026-12-01", "flight": "TK1", "from_airport": "OSL",
                          "to_airport": "KBL" });
    for body in [
        json!({ "command": "book_departure", "booking": booking }),
        json!({ "command": "confirm_departure", "departed_on": "2026-12-01" }),
        json!({ "command": "confirm_arrival", "arrived_on": "2026-12-01" }),
        json!({ "command": "record_self_declaration", "signed_on": "2026-12-01" }),
    ] {
        let (status, answer) = send(body.clone()).await;
        assert_eq!(status, 200, "{body}: {answer}");
    }
    let tranche = |kroner: i64| {
        json!({ "command": "pay_reintegration_tranche",
                "amount": { "currency": "NOK", "minor_units": kroner * 100 },
                "rates": { "nok_per_usd": "10.62", "local_currency": "AFN", "local_per_usd": "70.5" },
                "payee": { "method": "cash" } })
    };
    // Due on arrival: half the grant and the 2 000 in Kabul. The rest is not due for 3 months.
    let (status, answer) = send(tranche(9_500)).await;
    assert_eq!(status, 200, "{answer}");
    let (status, problem) = send(tranche(7_500)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["rule"], "tranche_not_yet_due", "{problem}");

    // 22 days after arrival the first part is paid and the second not due: nothing overdue.
    let answer = clock(server, json!({ "advance": "P22D" })).await;
    let fired = answer["fired"].to_string();
    assert!(!fired.contains(&case.to_string()), "{answer}");
    let (_, view) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(view["payout_flagged_overdue"], false, "{view}");
    assert_eq!(view["next_deadline"]["on"], "2027-03-22", "{view}");

    // The second part falls due on 1 March; unpaid 21 days later, it is overdue.
    let answer = clock_to(
        server,
        chrono::NaiveDate::from_ymd_opt(2027, 3, 22).expect("a day"),
    )
    .await;
    assert!(
        !answer["fired"].to_string().contains(&case.to_string()),
        "{answer}"
    );
    let answer = clock_to(
        server,
        chrono::NaiveDate::from_ymd_opt(2027, 3, 23).expect("a day"),
    )
    .await;
    assert!(
        answer["fired"].to_string().contains(&case.to_string()),
        "the second part is due and unpaid: {answer}"
    );
    let (_, view) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(view["payout_flagged_overdue"], true, "{view}");
    let (status, answer) = send(tranche(7_500)).await;
    assert_eq!(status, 200, "{answer}");
    let (_, view) = server.get(&iom, &format!("/cases/{case}")).await;
    assert_eq!(
        (
            view["status"].clone(),
            view["payout_flagged_overdue"].clone()
        ),
        (json!("paid_out"), json!(false)),
        "{view}"
    );
}
