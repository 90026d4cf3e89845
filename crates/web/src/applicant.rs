//! The applicant's own pages, in plain language and in the applicant's language: where my case
//! stands, what happens next and by when, what I must do; my flight once it is booked; a
//! refusal's reasons and how to appeal. Nothing internal: no versions, no rate tables, no
//! diagram of the process.

use chrono::NaiveDate;
use maud::{Markup, html};
use retur_app::{CaseAccess, CaseStatus, HistoryEntry};
use retur_domain::{CaseId, CommandKind, Status};
use serde_json::Value;

use super::case::Extra;
use super::forms::{self, Filled};
use super::i18n::{self, t};
use super::{PageError, SignedIn, layout, words};
use retur_api::ApiState;

/// Where a case stands, for the person it is about: (what has happened, what happens next,
/// what I must do). One message each per state, so each reads as a whole sentence.
fn standing(status: Status) -> (String, String, Option<String>) {
    let key = status.name().replace('_', "-");
    let now = i18n::message(&format!("you-now-{key}"));
    let next = i18n::message(&format!("you-next-{key}"));
    let todo = i18n::try_message(&format!("you-todo-{key}"));
    (now, next, todo)
}

/// The newest event of one of these types, if the applicant may see it.
fn latest<'a>(entries: &'a [HistoryEntry], types: &[&str]) -> Option<&'a HistoryEntry> {
    entries
        .iter()
        .rev()
        .find(|e| types.contains(&e.event_type.as_str()))
}

fn day(data: &Value, pointer: &str) -> Option<NaiveDate> {
    data.pointer(pointer)?.as_str()?.parse().ok()
}

/// The reasons given for a refusal: what the principal applicant was told.
fn reasons(refusal: &HistoryEntry) -> Option<String> {
    refusal
        .data
        .get("personal")?
        .as_object()?
        .values()
        .find_map(|written| written.get("text")?.as_str().map(str::to_owned))
}

/// The applicant's page of one case.
pub(crate) fn case_page(
    commands: Vec<CommandKind>,
    signed_in: &SignedIn,
    case_id: CaseId,
    status: &CaseStatus,
    entries: &[HistoryEntry],
    letters: &[retur_app::LetterRef],
    extra: &Extra,
) -> Markup {
    let (now, next, todo) = standing(status.status);
    let booking = matches!(status.status, Status::DepartureBooked)
        .then(|| {
            latest(
                entries,
                &[
                    "departure_booked",
                    "departure_rebooked",
                    "departure_rescheduled",
                ],
            )
        })
        .flatten();
    let refusal = matches!(status.status, Status::Refused)
        .then(|| latest(entries, &["application_refused"]))
        .flatten();
    let body = html! {
        h1 { (t!("you-case-title")) }
        p.reference {
            (t!("you-case-number")) " "
            @match super::timeline::reference_of(entries) {
                // Digits and a hyphen read left to right on a right-to-left page too.
                Some(reference) => strong data-testid="reference" dir="ltr" { (reference) },
                None => code data-testid="case-id" { (case_id) },
            }
        }
        @if let Some(done) = extra.done {
            (layout::banner("notice", html! { strong data-testid="recorded" { (t!("you-recorded", command = words(done.name()))) } }))
        }
        section.standing aria-labelledby="standing-heading" {
            h2 id="standing-heading" { (t!("you-where-it-stands")) }
            p.state data-testid="state" data-state=(status.status.name()) { (now) }
            h3 { (t!("you-what-happens-next")) }
            p { (next) }
            @if let Some(deadline) = &status.next_deadline {
                p.deadline data-testid="deadline" {
                    (i18n::text_with(
                        &format!("you-deadline-{}", deadline.kind.name().replace('_', "-")),
                        vec![("date", i18n::date(deadline.on).into())],
                    ))
                }
            }
            @if let Some(todo) = todo {
                h3 { (t!("you-what-you-must-do")) }
                p { (todo) }
            }
        }
        @if let Some(booked) = booking {
            section.flight aria-labelledby="flight-heading" data-testid="flight" {
                h2 id="flight-heading" { (t!("you-flight")) }
                dl.facts {
                    dt { (t!("you-flight-number")) } dd { bdi { (booked.data.pointer("/booking/flight").and_then(Value::as_str).unwrap_or("—")) } }
                    dt { (t!("you-flight-date")) } dd { (day(&booked.data, "/booking/departs_on").map_or_else(|| "—".to_owned(), i18n::date)) }
                    dt { (t!("you-flight-from")) } dd { bdi { (booked.data.pointer("/booking/from_airport").and_then(Value::as_str).unwrap_or("—")) } }
                    dt { (t!("you-flight-meet")) } dd data-testid="meet-at" {
                        @match booked.data.pointer("/booking/meet_at").and_then(Value::as_str) {
                            Some(time) => (t!("you-flight-meet-at", time = time.to_owned())),
                            None => (t!("you-flight-meet-when")),
                        }
                    }
                }
            }
        }
        @if let Some(refusal) = refusal {
            section.refusal aria-labelledby="refusal-heading" {
                h2 id="refusal-heading" { (t!("you-refusal")) }
                @if let Some(reasons) = reasons(refusal) {
                    h3 { (t!("you-refusal-reasons")) }
                    blockquote data-testid="reasons" { (reasons) }
                }
                h3 { (t!("you-appeal-right")) }
                p {
                    @match day(&refusal.data, "/appeal_deadline") {
                        Some(last) => (t!("you-appeal-until", date = i18n::date(last))),
                        None => (t!("you-appeal-three-weeks")),
                    }
                }
                p { (t!("you-appeal-how")) }
            }
        }
        @if !letters.is_empty() {
            (super::letters::section(case_id, letters))
        }
        @if !commands.is_empty() {
            section.actions aria-labelledby="actions-heading" {
                h2 id="actions-heading" { (t!("you-what-you-can-do")) }
                @for kind in &commands {
                    @let filled = extra.filled.as_ref().filter(|f| f.command == Some(*kind));
                    (forms::form(case_id, *kind, &[], status.version, filled, false))
                }
            }
        }
        p { a href="/ui" { (t!("you-all-my-cases")) } }
    };
    layout::page(&t!("you-case-title"), Some(signed_in), body)
}

/// A new application: the applicant's form for a case that has no events yet.
pub(crate) fn application(
    signed_in: &SignedIn,
    case_id: CaseId,
    filled: Option<&Filled>,
) -> Markup {
    let body = html! {
        h1 { (t!("you-apply-title")) }
        p { (t!("you-apply-intro")) }
        p.reference { (t!("you-case-number")) " " code { (case_id) } }
        (forms::form(case_id, CommandKind::Submit, &[], 0, filled, true))
    };
    layout::page(&t!("you-apply-title"), Some(signed_in), body)
}

/// An applicant's own cases.
pub(crate) async fn own_cases(
    state: &ApiState,
    signed_in: &SignedIn,
) -> Result<maud::Markup, PageError> {
    let cases: Vec<CaseId> = match &signed_in.caller.cases {
        CaseAccess::Only(cases) => cases.iter().copied().collect(),
        CaseAccess::All => Vec::new(),
    };
    let mut rows = Vec::new();
    for case_id in &cases {
        let status = state.cases.status(&signed_in.caller, *case_id).await?;
        rows.push((*case_id, status));
    }
    // A case's reference is no personal data: it names the case, not the people in it.
    let streams: Vec<String> = cases.iter().map(|c| format!("case-{c}")).collect();
    let references = retur_projections::PersonIndex::references(state.projector.pool(), &streams)
        .await
        .map_err(|e| PageError::Failed(format!("reading case references: {e}")))?;
    let body = html! {
        h1 { (t!("nav-my-cases")) }
        @if rows.is_empty() {
            p.empty { (t!("you-no-cases")) }
        } @else {
            ul.cases {
                @for (case_id, status) in &rows {
                    li {
                        a href={ "/ui/cases/" (case_id) } {
                            @match status {
                                Some(s) => (words(s.status.name())),
                                None => (t!("you-not-yet-applied")),
                            }
                        }
                        " · "
                        @match references.get(&format!("case-{case_id}")) {
                            Some(reference) => span dir="ltr" { (reference) },
                            None => code { (case_id) },
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&t!("nav-my-cases"), Some(signed_in), body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, has_plain};

    /// Every state tells the applicant where the case stands and what happens next, in every
    /// language an applicant reads.
    #[test]
    fn every_state_is_explained_in_every_language() {
        for lang in Lang::ALL {
            for status in Status::ALL {
                let key = status.name().replace('_', "-");
                for part in ["now", "next"] {
                    let id = format!("you-{part}-{key}");
                    assert!(has_plain(lang, &id), "{} has no {id}", lang.code());
                }
            }
        }
    }

    #[test]
    fn a_refusal_gives_its_reasons() {
        let refusal = HistoryEntry {
            position: 4,
            version: 3,
            event_type: "application_refused".into(),
            recorded_at: chrono::Utc::now(),
            decided_at: None,
            actor: "udi-kari".into(),
            role: "udi".into(),
            data: serde_json::json!({
                "appeal_deadline": "2026-12-16",
                "personal": { "0191a0c0-0000-7000-8000-000000000001": { "text": "No identity shown." } },
            }),
            redacted: false,
        };
        assert_eq!(reasons(&refusal).as_deref(), Some("No identity shown."));
        assert_eq!(
            day(&refusal.data, "/appeal_deadline"),
            NaiveDate::from_ymd_opt(2026, 12, 16)
        );
    }
}
