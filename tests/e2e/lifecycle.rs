//! Every path of the lifecycle, over HTTP, the way the agencies' systems drive it: approval to
//! payout; refusal, appeal and reversal at UDI; forwarded to UNE and allowed, rejected, quashed
//! and decided again, dismissed; withdrawal; revocation; no-show and rebooking; the travel
//! deadline lapsing; forced return and re-entry. Then conflicting and retried requests at once.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use retur_app::Clock as _;
use retur_domain::lifecycle::CommandKind;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Server;

const PRINCIPAL: Uuid = Uuid::from_u128(1);
const CHILD: Uuid = Uuid::from_u128(2);

/// One case, walked along one path. Every command it sends must be accepted; each accepted
/// body is kept, to be checked against the published schema.
pub(crate) struct Walk<'a> {
    server: &'a Server,
    path: &'static str,
    pub(crate) case: Uuid,
    accepted: &'a mut Vec<Value>,
    /// When the case entered IOM's and UNE's parts.
    parts: crate::need_to_know::Parts,
}

impl<'a> Walk<'a> {
    /// Submits a household of a principal applicant and a child from Ethiopia.
    pub(crate) async fn submit(
        server: &'a Server,
        path: &'static str,
        accepted: &'a mut Vec<Value>,
    ) -> Walk<'a> {
        Walk::submit_family(server, path, accepted, PRINCIPAL, CHILD).await
    }

    /// [`submit`](Self::submit), with the people's ids given: a person id names one person in
    /// every case it appears in.
    pub(crate) async fn submit_family(
        server: &'a Server,
        path: &'static str,
        accepted: &'a mut Vec<Value>,
        principal: Uuid,
        child: Uuid,
    ) -> Walk<'a> {
        let mut walk = Walk {
            server,
            path,
            case: Uuid::now_v7(),
            accepted,
            parts: Default::default(),
        };
        walk.ok(
            "applicant",
            json!({
                "command": "submit",
                "household": [
                    { "person_id": principal, "relation": "principal_applicant",
                      "full_name": "Abebe Bekele", "date_of_birth": "1985-05-20",
                      "duf_number": "2019 123456 01" },
                    { "person_id": child, "relation": "child",
                      "full_name": "Hana Abebe", "date_of_birth": "2015-01-11" },
                ],
                "nationality": "ET", "return_country": "ET", "final_destination": "Addis Ababa",
                "situation": "asylum_refused",
            }),
        )
        .await;
        walk.expect("submitted").await;
        walk
    }

    pub(crate) fn token(&self, role: &str) -> String {
        let actor = match role {
            "applicant" => "applicant-abebe",
            "udi" => "udi-kari",
            "une" => "une-per",
            "iom" => "iom-amina",
            "system" => "deadline-scheduler",
            _ => "auditor-1",
        };
        self.server.token(role, actor, &[self.case])
    }

    /// Sends a command as `role`; it must be accepted.
    pub(crate) async fn ok(&mut self, role: &str, body: Value) -> Value {
        let (status, answer) = self
            .server
            .send(Some(&self.token(role)), self.case, &body.to_string(), &[])
            .await;
        assert_eq!(status, 200, "{}: {role} sends {body}: {answer}", self.path);
        self.accepted.push(body);
        self.parts.note(&answer);
        if self
            .server
            .check_need_to_know
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            let state = answer["status"]["status"].as_str().unwrap_or_default();
            let position = answer["last_position"].as_u64().unwrap_or_default();
            crate::need_to_know::check(self.server, self.case, state, position, self.parts).await;
            let mut walked = self.server.walked.lock().expect("not poisoned");
            match walked.iter_mut().find(|(case, _)| *case == self.case) {
                Some((_, parts)) => *parts = self.parts,
                None => walked.push((self.case, self.parts)),
            }
        }
        answer
    }

    /// Sends a command as `role` that must be refused; returns the status and the problem.
    pub(crate) async fn refused(&self, role: &str, body: Value) -> (u16, Value) {
        let (status, answer) = self
            .server
            .send(Some(&self.token(role)), self.case, &body.to_string(), &[])
            .await;
        assert_ne!(status, 200, "{}: {role} sends {body}: {answer}", self.path);
        (status, answer)
    }

    pub(crate) async fn view(&self, role: &str) -> Value {
        let (status, view) = self
            .server
            .get(&self.token(role), &format!("/cases/{}", self.case))
            .await;
        assert_eq!(status, 200, "{}: {view}", self.path);
        view
    }

    pub(crate) async fn expect(&self, status: &str) {
        let view = self.view("auditor").await;
        assert_eq!(view["status"], status, "{}: {view}", self.path);
    }

    pub(crate) async fn history(&self, role: &str) -> String {
        let (status, history) = self
            .server
            .get(&self.token(role), &format!("/cases/{}/history", self.case))
            .await;
        assert_eq!(status, 200, "{}: {history}", self.path);
        history.to_string()
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.server.clock.now().date_naive()
    }

    pub(crate) fn later(&self, days: i64) {
        self.server.clock.advance(Duration::days(days));
    }

    /// Moves the clock to the day after the case's next deadline, which must be of `kind`.
    pub(crate) async fn pass_deadline(&self, kind: &str) {
        let view = self.view("auditor").await;
        assert_eq!(view["next_deadline"]["kind"], kind, "{}: {view}", self.path);
        let on: NaiveDate = view["next_deadline"]["on"]
            .as_str()
            .and_then(|d| d.parse().ok())
            .expect("a date");
        self.later((on - self.today()).num_days() + 1);
    }

    pub(crate) fn booking(&self, in_days: i64) -> Value {
        json!({
            "departs_on": (self.today() + Duration::days(in_days)).to_string(),
            "flight": "TK1752", "from_airport": "OSL", "to_airport": "ADD",
        })
    }

    pub(crate) async fn review_and_approve(&mut self) {
        self.later(3);
        self.ok("udi", json!({ "command": "begin_review" })).await;
        self.later(7);
        self.ok("udi", json!({ "command": "approve" })).await;
        self.expect("approved").await;
    }

    pub(crate) async fn refuse(&mut self, reasons: &str) {
        self.later(3);
        self.ok("udi", json!({ "command": "begin_review" })).await;
        self.later(7);
        let today = self.today().to_string();
        self.ok(
            "udi",
            json!({ "command": "refuse", "reasons": reasons, "notified_on": today }),
        )
        .await;
        self.expect("refused").await;
    }

    pub(crate) async fn appeal(&mut self) {
        self.later(10);
        self.ok(
            "applicant",
            json!({ "command": "lodge_appeal", "grounds": "GROUNDS: a passport now proves who I am." }),
        )
        .await;
        self.expect("appeal_lodged").await;
    }

    pub(crate) async fn forward(&mut self) {
        self.later(5);
        self.ok(
            "udi",
            json!({ "command": "forward_to_une", "assessment": "ASSESSMENT: UDI maintains the refusal." }),
        )
        .await;
        self.expect("forwarded_to_une").await;
    }

    pub(crate) async fn depart_and_arrive(&mut self) {
        let today = self.today().to_string();
        self.ok(
            "iom",
            json!({ "command": "confirm_departure", "departed_on": today }),
        )
        .await;
        self.expect("departed").await;
        self.ok("iom", json!({ "command": "pay_pocket_money" }))
            .await;
        self.later(1);
        let today = self.today().to_string();
        self.ok(
            "iom",
            json!({ "command": "confirm_arrival", "arrived_on": today }),
        )
        .await;
        self.expect("arrived").await;
    }
}

fn rates() -> Value {
    json!({ "nok_per_usd": "10.62", "local_currency": "ETB", "local_per_usd": "57.25" })
}

/// Approved, handed over, documents obtained, booked, moved, departed, arrived, the payout
/// flagged overdue, paid in two tranches (to a bank account, then in cash), closed.
async fn approval_to_payout(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "approval to payout", accepted).await;
    walk.review_and_approve().await;
    walk.later(1);
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    walk.expect("handed_to_iom").await;
    walk.later(1);
    walk.ok(
        "iom",
        json!({ "command": "request_travel_document", "persons": [PRINCIPAL, CHILD],
                "document": "emergency_travel_document", "issuing_country": "ET" }),
    )
    .await;
    walk.expect("travel_documents_pending").await;
    let (status, problem) = walk
        .refused(
            "iom",
            json!({ "command": "book_departure", "booking": walk.booking(14) }),
        )
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("wrong_state")),
        "not before the documents: {problem}"
    );
    walk.later(12);
    for (n, person) in [PRINCIPAL, CHILD].into_iter().enumerate() {
        let valid_until = (walk.today() + Duration::days(180)).to_string();
        walk.ok(
            "iom",
            json!({ "command": "record_travel_document", "person_id": person,
                    "document": "emergency_travel_document", "number": format!("ETD-{n}"),
                    "valid_until": valid_until }),
        )
        .await;
    }
    walk.expect("ready_to_book").await;
    let booking = walk.booking(14);
    walk.ok(
        "iom",
        json!({ "command": "book_departure", "booking": booking }),
    )
    .await;
    walk.expect("departure_booked").await;
    let moved = walk.booking(16);
    walk.ok(
        "iom",
        json!({ "command": "reschedule_departure", "cause": "iom_or_airline", "booking": moved }),
    )
    .await;
    let today = walk.today().to_string();
    walk.ok(
        "iom",
        json!({ "command": "record_self_declaration", "signed_on": today }),
    )
    .await;
    walk.later(16);
    walk.depart_and_arrive().await;

    walk.pass_deadline("payout_target").await;
    walk.ok("system", json!({ "command": "flag_payout_overdue" }))
        .await;
    let view = walk.view("iom").await;
    assert_eq!(view["payout_flagged_overdue"], true, "{view}");
    let approved = view["approved_cash"]["minor_units"]
        .as_i64()
        .expect("an amount");
    assert!(approved > 0, "a cash grant: {view}");
    let first = approved / 2;
    walk.ok(
        "iom",
        json!({ "command": "pay_reintegration_tranche",
                "amount": { "currency": "NOK", "minor_units": first }, "rates": rates(),
                "payee": { "method": "bank_transfer", "person_id": PRINCIPAL,
                           "account": "1234 56 78903", "holder": "Abebe Bekele" } }),
    )
    .await;
    let (status, problem) = walk
        .refused(
            "iom",
            json!({ "command": "pay_reintegration_tranche",
                    "amount": { "currency": "NOK", "minor_units": approved }, "rates": rates(),
                    "payee": { "method": "cash" } }),
        )
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("payout_exceeds_approved")),
        "more than remains: {problem}"
    );
    walk.ok(
        "iom",
        json!({ "command": "pay_reintegration_tranche",
                "amount": { "currency": "NOK", "minor_units": approved - first }, "rates": rates(),
                "payee": { "method": "cash" } }),
    )
    .await;
    walk.expect("paid_out").await;
    let view = walk.view("iom").await;
    assert_eq!(view["paid"]["minor_units"], approved, "{view}");
    walk.ok("iom", json!({ "command": "close_case" })).await;
    walk.expect("closed").await;

    // The payout ledger, as the running server's projector would have it.
    server.catch_up().await;
    let path = format!("/payouts?case={}", walk.case);
    let (status, ledger) = server.get(&walk.token("iom"), &path).await;
    assert_eq!(status, 200, "{ledger}");
    let totals = ledger["totals"].as_array().expect("totals");
    let reintegration = totals
        .iter()
        .find(|t| t["kind"] == "reintegration")
        .expect("the grant");
    assert_eq!(
        (
            &reintegration["currency"],
            &reintegration["minor_units"],
            &reintegration["entries"]
        ),
        (&json!("NOK"), &json!(approved), &json!(2)),
        "{ledger}"
    );
    assert!(
        totals.iter().any(|t| t["kind"] == "pocket_money"),
        "{ledger}"
    );
    assert!(
        totals.iter().all(|t| t["case"] == walk.case.to_string()),
        "only this case: {ledger}"
    );
    assert_eq!(server.get(&walk.token("une"), &path).await.0, 403);
}

/// Refused, appealed, and the refusal reversed by UDI itself; then the travel deadline lapses.
async fn reversed_at_udi_then_lapsed(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "reversed at UDI", accepted).await;
    walk.refuse("REASONS: the identity is not established.")
        .await;
    walk.appeal().await;
    walk.later(5);
    walk.ok(
        "udi",
        json!({ "command": "reverse_decision", "reasoning": "The passport establishes the identity." }),
    )
    .await;
    walk.expect("approved").await;
    let (status, problem) = walk
        .refused("system", json!({ "command": "lapse_travel_deadline" }))
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("travel_deadline_not_passed")),
        "{problem}"
    );
    walk.pass_deadline("travel_deadline").await;
    walk.ok("system", json!({ "command": "lapse_travel_deadline" }))
        .await;
    walk.expect("lapsed").await;
}

/// Refused, appealed, forwarded to UNE, which decides as `outcome`.
async fn at_une(server: &Server, accepted: &mut Vec<Value>, outcome: &'static str) {
    let mut walk = Walk::submit(server, outcome, accepted).await;
    walk.refuse("REASONS: a residence permit in Sweden.").await;
    walk.appeal().await;
    walk.forward().await;
    walk.later(30);
    let reasoning = "UNE has weighed the passport.";
    match outcome {
        "allow_appeal" | "reject_appeal" => {
            walk.ok("une", json!({ "command": outcome, "reasoning": reasoning }))
                .await;
        }
        "quash_decision" => {
            walk.ok("une", json!({ "command": outcome, "reasoning": reasoning }))
                .await;
            walk.expect("under_review").await;
            walk.later(5);
            walk.ok("udi", json!({ "command": "approve" })).await;
        }
        _ => {
            walk.ok(
                "une",
                json!({ "command": "dismiss_appeal_at_une", "ground": "late", "reasoning": reasoning }),
            )
            .await;
        }
    }
    let expected = match outcome {
        "allow_appeal" | "quash_decision" => "approved",
        _ => "refused_final",
    };
    walk.expect(expected).await;
    if expected == "approved" {
        walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
            .await;
        // Each role's view of the same case: IOM never learns why it was refused, nor the
        // appeal's grounds or UDI's assessment; UDI, UNE and the auditor see them.
        let iom = walk.history("iom").await;
        for secret in ["REASONS", "GROUNDS", "ASSESSMENT"] {
            assert!(!iom.contains(secret), "IOM sees {secret}: {iom}");
        }
        assert!(iom.contains("\"redacted\":true"), "{iom}");
        for role in ["udi", "une", "auditor"] {
            let history = walk.history(role).await;
            for secret in ["REASONS", "GROUNDS", "ASSESSMENT"] {
                assert!(history.contains(secret), "{role} sees {secret}: {history}");
            }
        }
        let applicant = walk.history("applicant").await;
        assert!(
            applicant.contains("GROUNDS"),
            "their own appeal: {applicant}"
        );
    }
}

/// Refused, appealed by someone not a party, dismissed by UDI; the window then closes on a
/// second refusal, which then takes a late appeal that UDI hears all the same, and on a third,
/// which takes an appeal posted on its last day and registered after.
async fn dismissed_at_udi_and_window_closed(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "dismissed at UDI", accepted).await;
    walk.refuse("REASONS: the identity is not established.")
        .await;
    walk.appeal().await;
    walk.later(3);
    walk.ok(
        "udi",
        json!({ "command": "dismiss_appeal", "ground": "not_a_party", "reasoning": "Lodged by someone not a party." }),
    )
    .await;
    walk.expect("refused_final").await;

    let mut walk = Walk::submit(server, "appeal window closed", walk.accepted).await;
    walk.refuse("REASONS: a residence permit in Sweden.").await;
    let (status, problem) = walk
        .refused("system", json!({ "command": "close_appeal_window" }))
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("appeal_window_open")),
        "{problem}"
    );
    walk.pass_deadline("appeal_window_closes").await;
    walk.ok("system", json!({ "command": "close_appeal_window" }))
        .await;
    walk.expect("refused_final").await;

    // Posted two days after the deadline: recorded as late, for UDI to hear or dismiss.
    walk.later(1);
    let (status, problem) = walk
        .refused(
            "applicant",
            json!({ "command": "lodge_appeal", "grounds": "Too late.", "posted_on": "2025-4-1" }),
        )
        .await;
    assert_eq!(status, 400, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("posted_on:")),
        "dates are YYYY-MM-DD: {problem}"
    );
    walk.ok(
        "applicant",
        json!({ "command": "lodge_appeal", "grounds": "GROUNDS: the letter was lost." }),
    )
    .await;
    walk.expect("late_appeal_lodged").await;
    let view = walk.view("udi").await;
    assert_eq!(view["owner"], "udi", "UDI's move: {view}");
    let (status, problem) = walk
        .refused(
            "udi",
            json!({ "command": "forward_to_une", "assessment": "Maintained." }),
        )
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("late_appeal_not_accepted")),
        "{problem}"
    );
    walk.later(3);
    walk.ok(
        "udi",
        json!({ "command": "accept_late_appeal", "ground": "not_to_blame",
                "reasoning": "LATE-REASON: the refusal was sent to an old address." }),
    )
    .await;
    walk.expect("appeal_lodged").await;
    // Heard, the appeal wins at UDI and the case goes to IOM, which never sees why the late
    // appeal was heard.
    walk.later(2);
    walk.ok(
        "udi",
        json!({ "command": "reverse_decision", "reasoning": "The letter explains it." }),
    )
    .await;
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    let iom = walk.history("iom").await;
    assert!(iom.contains("late_appeal_accepted"), "{iom}");
    assert!(
        !iom.contains("LATE-REASON") && !iom.contains("not_to_blame"),
        "IOM never sees why a late appeal is heard: {iom}"
    );
    assert!(walk.history("udi").await.contains("LATE-REASON"));

    let mut walk = Walk::submit(
        server,
        "appeal registered after the window closed",
        walk.accepted,
    )
    .await;
    walk.refuse("REASONS: a residence permit in Sweden.").await;
    walk.pass_deadline("appeal_window_closes").await;
    let last_day = (walk.today() - Duration::days(1)).to_string();
    walk.ok("system", json!({ "command": "close_appeal_window" }))
        .await;
    walk.later(4);
    walk.ok(
        "applicant",
        json!({ "command": "lodge_appeal", "grounds": "GROUNDS: posted in time.", "posted_on": last_day }),
    )
    .await;
    walk.expect("appeal_lodged").await;
}

/// Withdrawn by the applicant after approval.
async fn withdrawn(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "withdrawn", accepted).await;
    walk.review_and_approve().await;
    walk.later(4);
    walk.ok("applicant", json!({ "command": "withdraw" })).await;
    walk.expect("withdrawn").await;
    let (status, _) = walk
        .refused("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    assert_eq!(status, 422, "nothing follows a withdrawal");
}

/// Approved, then the approval revoked; nobody appeals.
async fn revoked(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "revoked", accepted).await;
    walk.review_and_approve().await;
    walk.later(5);
    let today = walk.today().to_string();
    walk.ok(
        "udi",
        json!({ "command": "revoke_approval", "reasons": "Legal residence in Italy.", "notified_on": today }),
    )
    .await;
    walk.expect("revoked").await;
    walk.pass_deadline("appeal_window_closes").await;
    walk.ok("system", json!({ "command": "close_appeal_window" }))
        .await;
    walk.expect("revoked_final").await;
}

/// Booked, not at the airport, rebooked, departed; later found back in Norway, and the grant
/// claimed back.
async fn no_show_rebooked_and_re_entered(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "no-show and rebooking", accepted).await;
    walk.review_and_approve().await;
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    let booking = walk.booking(10);
    walk.ok(
        "iom",
        json!({ "command": "book_departure", "booking": booking }),
    )
    .await;
    let (status, problem) = walk
        .refused("iom", json!({ "command": "report_no_show" }))
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("before_departure_date")),
        "{problem}"
    );
    walk.later(10);
    walk.ok("iom", json!({ "command": "report_no_show" })).await;
    walk.expect("no_show").await;
    let rebooked = walk.booking(7);
    walk.ok(
        "iom",
        json!({ "command": "rebook_departure", "booking": rebooked }),
    )
    .await;
    walk.expect("departure_booked").await;
    let today = walk.today().to_string();
    walk.ok(
        "iom",
        json!({ "command": "record_self_declaration", "signed_on": today }),
    )
    .await;
    walk.later(7);
    walk.depart_and_arrive().await;
    walk.later(120);
    let approved = walk.view("iom").await["approved_cash"]["minor_units"]
        .as_i64()
        .expect("an amount");
    walk.ok(
        "iom",
        json!({ "command": "pay_reintegration_tranche",
                "amount": { "currency": "NOK", "minor_units": approved }, "rates": rates(),
                "payee": { "method": "cash" } }),
    )
    .await;
    walk.expect("paid_out").await;
    walk.later(80);
    let today = walk.today().to_string();
    walk.ok(
        "udi",
        json!({ "command": "record_re_entry", "re_entered_on": today }),
    )
    .await;
    let (status, problem) = walk
        .refused(
            "udi",
            json!({ "command": "claim_repayment", "amount": { "currency": "NOK", "minor_units": approved + 1 } }),
        )
        .await;
    assert_eq!(
        (status, problem["rule"].as_str()),
        (422, Some("repayment_exceeds_paid")),
        "{problem}"
    );
    walk.ok(
        "udi",
        json!({ "command": "claim_repayment", "amount": { "currency": "NOK", "minor_units": approved } }),
    )
    .await;
    walk.expect("repayment_claimed").await;
}

/// Returned by the police before any decision.
async fn forced_return(server: &Server, accepted: &mut Vec<Value>) {
    let mut walk = Walk::submit(server, "forced return", accepted).await;
    walk.later(5);
    let today = walk.today().to_string();
    walk.ok(
        "udi",
        json!({ "command": "record_forced_return", "returned_on": today }),
    )
    .await;
    walk.expect("forced_return").await;
}

pub(crate) async fn every_lifecycle_path_over_http(server: &Server) {
    // After every command of every path, every caller reads the case everywhere.
    server
        .check_need_to_know
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let mut accepted = Vec::new();
    approval_to_payout(server, &mut accepted).await;
    reversed_at_udi_then_lapsed(server, &mut accepted).await;
    for outcome in [
        "allow_appeal",
        "reject_appeal",
        "quash_decision",
        "dismiss_appeal_at_une",
    ] {
        at_une(server, &mut accepted, outcome).await;
    }
    dismissed_at_udi_and_window_closed(server, &mut accepted).await;
    withdrawn(server, &mut accepted).await;
    revoked(server, &mut accepted).await;
    no_show_rebooked_and_re_entered(server, &mut accepted).await;
    forced_return(server, &mut accepted).await;
    restricted_then_erased(server, &mut accepted).await;

    let walked = server.walked.lock().expect("not poisoned").clone();
    crate::need_to_know::counts_and_queues_keep_to_each_part(server, &walked).await;

    // Every command the domain knows was accepted over HTTP, in the form the document gives.
    let sent: BTreeSet<&str> = accepted
        .iter()
        .filter_map(|body| body["command"].as_str())
        .collect();
    let known: BTreeSet<&str> = CommandKind::ALL.iter().map(CommandKind::name).collect();
    assert_eq!(sent, known, "every command, accepted over HTTP");
    let document = serde_json::to_value(retur_api::openapi()).expect("the document");
    let schema = json!({
        "$ref": "#/components/schemas/CommandDto",
        "components": document["components"],
    });
    let validator = jsonschema::validator_for(&schema).expect("the command's schema compiles");
    for body in &accepted {
        let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{body} is not valid by the document: {errors:?}"
        );
    }
    assert!(
        !validator.is_valid(&json!({ "command": "approve", "surprise": 1 })),
        "the schema refuses what the server refuses"
    );

    // And the auditor, replaying the whole log, finds every history lawful.
    let auditor = server.token("auditor", "auditor-1", &[]);
    let (status, audit) = server.get(&auditor, "/audit/verify").await;
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit["clean"], true, "{audit}");
    assert_eq!(audit["chain"]["broken"], Value::Null, "{audit}");
    // Except the two commands that needed data erased since: the submission and the approval
    // (the grant counts the children) of the family whose child was erased.
    assert_eq!(audit["not_replayable"], 2, "{audit}");
    assert_eq!(audit["commands_replayed"], accepted.len() - 2, "{audit}");
}

/// Two caseworkers decide the same case at once, both against the version they saw: one wins,
/// the other is told the case changed. Without `If-Match`, the loser's command is decided again
/// on the new state, and the rules refuse it. Retries of one command, sent at once, all get its
/// one outcome.
pub(crate) async fn conflicting_and_retried_requests_at_once(server: &Server) {
    let mut accepted = Vec::new();
    let mut walk = Walk::submit(server, "conflict", &mut accepted).await;
    walk.later(1);
    walk.ok("udi", json!({ "command": "begin_review" })).await;
    let version = walk.view("udi").await["version"]
        .as_u64()
        .expect("a version");
    let refuse =
        json!({ "command": "refuse", "reasons": "Not established.", "notified_on": walk.today() })
            .to_string();
    let approve = json!({ "command": "approve" }).to_string();
    let udi = walk.token("udi");
    let if_match = format!("\"{version}\"");
    let if_match = [("If-Match", if_match.as_str())];
    let (a, b) = tokio::join!(
        server.send(Some(&udi), walk.case, &approve, &if_match),
        server.send(Some(&udi), walk.case, &refuse, &if_match),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412], "one wins, one is told: {a:?} {b:?}");
    let loser = if a.0 == 412 { &a.1 } else { &b.1 };
    assert_eq!(loser["current_version"], version + 1, "{loser}");
    let decided = walk.view("udi").await;
    assert!(
        ["approved", "refused"].contains(&decided["status"].as_str().unwrap_or_default()),
        "{decided}"
    );

    // Without If-Match: on another case, both are decided in turn; the second is refused by
    // the rule that a decided case cannot be decided again.
    let mut walk = Walk::submit(server, "conflict without If-Match", &mut accepted).await;
    walk.ok("udi", json!({ "command": "begin_review" })).await;
    let (a, b) = tokio::join!(
        server.send(Some(&udi), walk.case, &approve, &[]),
        server.send(Some(&udi), walk.case, &refuse, &[]),
    );
    let mut outcomes = [(a.0, a.1["rule"].clone()), (b.0, b.1["rule"].clone())];
    outcomes.sort_by_key(|(status, _)| *status);
    assert_eq!(
        outcomes,
        [(200, Value::Null), (422, json!("wrong_state"))],
        "{a:?} {b:?}"
    );

    // Eight retries of one command at once: one outcome, one event.
    let mut walk = Walk::submit(server, "retries at once", &mut accepted).await;
    walk.review_and_approve().await;
    let before = walk.view("udi").await["version"]
        .as_u64()
        .expect("a version");
    let key = Uuid::now_v7().to_string();
    let hand_over = json!({ "command": "hand_over_to_iom" }).to_string();
    let idempotency = [("Idempotency-Key", key.as_str())];
    let retries = (0..8).map(|_| server.send(Some(&udi), walk.case, &hand_over, &idempotency));
    let answers = futures::future::join_all(retries).await;
    for (code, answer) in &answers {
        assert_eq!(*code, 200, "{answer}");
        assert_eq!(answer["version"], before + 1, "one outcome: {answer}");
    }
    assert_eq!(
        answers
            .iter()
            .filter(|(_, answer)| answer["already_handled"] == false)
            .count(),
        1,
        "one of them wrote: {answers:?}"
    );
    let view = walk.view("udi").await;
    assert_eq!(
        (view["status"].as_str(), view["version"].as_u64()),
        (Some("handed_to_iom"), Some(before + 1)),
        "one event: {view}"
    );
}

/// A child's personal data restricted to UDI and auditors, the restriction lifted, then the
/// data erased: each read over HTTP as the role may see it.
async fn restricted_then_erased(server: &Server, accepted: &mut Vec<Value>) {
    let (principal, child) = (Uuid::now_v7(), Uuid::now_v7());
    let mut walk =
        Walk::submit_family(server, "restricted then erased", accepted, principal, child).await;
    // Handed over, so that IOM, whom the restriction does not name, reads the case.
    walk.review_and_approve().await;
    walk.ok("udi", json!({ "command": "hand_over_to_iom" }))
        .await;
    walk.ok(
        "udi",
        json!({ "command": "restrict_personal_data", "person_id": child,
                "visible_to": ["udi", "auditor"] }),
    )
    .await;
    for role in ["udi", "auditor"] {
        assert!(walk.history(role).await.contains("Hana Abebe"), "{role}");
    }
    for role in ["iom", "applicant"] {
        let history = walk.history(role).await;
        assert!(!history.contains("Hana Abebe"), "{role}: {history}");
        assert!(
            history.contains(&format!("\"{child}\":\"restricted\"")),
            "{role}: {history}"
        );
        assert!(
            history.contains("Abebe Bekele"),
            "only the child is restricted"
        );
    }
    let (status, problem) = walk
        .refused(
            "udi",
            json!({ "command": "restrict_personal_data", "person_id": child,
                    "visible_to": ["udi", "everyone"] }),
        )
        .await;
    assert_eq!(status, 400, "{problem}");
    assert!(problem.to_string().contains("everyone"), "{problem}");
    let (status, _) = walk
        .refused(
            "une",
            json!({ "command": "lift_restriction", "person_id": child }),
        )
        .await;
    assert_eq!(status, 403, "restriction is UDI's to lift");
    walk.ok(
        "udi",
        json!({ "command": "lift_restriction", "person_id": child }),
    )
    .await;
    assert!(walk.history("iom").await.contains("Hana Abebe"));

    walk.ok(
        "udi",
        json!({ "command": "erase_personal_data", "person_id": child }),
    )
    .await;
    walk.expect("handed_to_iom").await;
    for role in ["udi", "auditor", "iom", "applicant"] {
        let history = walk.history(role).await;
        assert!(
            !history.contains("Hana Abebe") && !history.contains("2015-01-11"),
            "{role}"
        );
        assert!(
            history.contains(&format!("\"{child}\":\"erased\"")),
            "{role}: {history}"
        );
    }
    let (status, problem) = walk
        .refused(
            "udi",
            json!({ "command": "erase_personal_data", "person_id": child }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["rule"], "person_erased", "{problem}");

    // The read models hold no copy of anyone's personal data, before or after an erasure:
    // the queues and the statistics need none.
    server.catch_up().await;
    let states: Vec<String> = sqlx::query_scalar("SELECT state FROM case_index")
        .fetch_all(server.projector.pool())
        .await
        .expect("the case index");
    assert!(!states.is_empty());
    for state in states {
        for personal in ["Abebe Bekele", "Hana Abebe", "1985-05-20", "Addis Ababa"] {
            assert!(
                !state.contains(personal),
                "{personal} in the case index: {state}"
            );
        }
    }
}
