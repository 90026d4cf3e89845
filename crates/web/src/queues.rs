//! An agency's work queues, from the case index: filtered, sorted and paged, with claim and
//! release, and deadlines that are due or overdue standing out.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};
use retur_app::Read;
use retur_domain::{Role, Status};
use serde::Deserialize;

use super::session::encode;
use super::{PageError, SignedIn, case_id, layout, local_time, today, words};
use retur_api::ApiState;

/// Rows on a page of a queue.
const PAGE: u32 = 25;

/// The queues of an agency, in the order its cases move through them.
pub(crate) fn queues_of(agency: Role) -> Vec<&'static str> {
    Status::queues_of(agency)
}

/// What the filters ask for, as typed: each is checked, and a bad one is said beside it.
#[derive(Default, Deserialize)]
pub(crate) struct Filters {
    agency: Option<String>,
    queue: Option<String>,
    due_by: Option<String>,
    held: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// How near a deadline is: what makes it stand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Urgency {
    Overdue,
    DueToday,
    DueSoon,
    Later,
}

impl Urgency {
    /// Due within a week counts as soon.
    pub(crate) fn of(on: NaiveDate, today: NaiveDate) -> Urgency {
        let days = (on - today).num_days();
        match days {
            ..0 => Urgency::Overdue,
            0 => Urgency::DueToday,
            1..=7 => Urgency::DueSoon,
            _ => Urgency::Later,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Urgency::Overdue => "deadline overdue",
            Urgency::DueToday => "deadline due",
            Urgency::DueSoon => "deadline soon",
            Urgency::Later => "deadline",
        }
    }

    fn words(self) -> Option<&'static str> {
        match self {
            Urgency::Overdue => Some("Overdue"),
            Urgency::DueToday => Some("Due today"),
            Urgency::DueSoon => Some("Due soon"),
            Urgency::Later => None,
        }
    }
}

/// A deadline as it shows: its kind, its date, and in words (not colour alone) how near it is.
pub(crate) fn deadline(kind: &str, on: NaiveDate, today: NaiveDate) -> Markup {
    let urgency = Urgency::of(on, today);
    html! {
        span class=(urgency.class()) {
            @if let Some(label) = urgency.words() { strong { (label) ": " } }
            (words(kind)) " by " time datetime=(on) { (on) }
        }
    }
}

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let role = signed_in.caller.actor.role;
    // An agency's caseworker sees its own queues; others choose whose.
    let agency = match role {
        Role::Udi | Role::Une | Role::Iom => role,
        _ => match filters.agency.as_deref().unwrap_or("udi") {
            "une" => Role::Une,
            "iom" => Role::Iom,
            _ => Role::Udi,
        },
    };
    retur_app::authorize_read_of(&signed_in.caller, Read::Queues(agency))?;
    let me = signed_in.caller.actor.id.as_str().to_owned();
    let queues = queues_of(agency);
    let mut problems: BTreeMap<&str, String> = BTreeMap::new();
    let queue = filters.queue.clone().filter(|q| !q.is_empty());
    if let Some(q) = &queue
        && !queues.contains(&q.as_str())
    {
        problems.insert("queue", format!("{agency} has no queue called {q:?}"));
    }
    let due_by = match filters.due_by.as_deref().filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                problems.insert("due_by", format!("{text:?} is not a date (YYYY-MM-DD)"));
                None
            }
        },
    };
    let held = filters.held.clone().unwrap_or_default();
    let claimed_by = match held.as_str() {
        "" => None,
        "me" => Some(me.clone()),
        "nobody" => Some(String::new()),
        other => {
            problems.insert("held", format!("{other:?} is not a choice"));
            None
        }
    };
    let by_due_date = filters.sort.as_deref() == Some("due");
    let page_number = match filters.page.as_deref().filter(|p| !p.is_empty()) {
        None => 1,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                problems.insert("page", format!("{text:?} is not a page number"));
                1
            }
        },
    };
    let items = if problems.is_empty() {
        let query = retur_projections::QueueQuery {
            queue: queue.clone(),
            due_on_or_before: due_by,
            departs_on_or_before: None,
            claimed_by,
            by_due_date,
            limit: PAGE + 1,
            offset: (page_number - 1).saturating_mul(PAGE),
        };
        retur_projections::CaseIndex::queue(state.projector.pool(), agency.as_str(), &query)
            .await
            .map_err(|e| PageError::Failed(format!("reading the queues: {e}")))?
    } else {
        Vec::new()
    };
    let more = items.len() > PAGE as usize;
    let today = today(&state);
    let here = |page: u32| {
        let mut link = format!("/ui/queues?page={page}");
        for (key, value) in [
            (
                "agency",
                (role == Role::Auditor).then(|| agency.as_str().to_owned()),
            ),
            ("queue", queue.clone()),
            ("due_by", due_by.map(|d| d.to_string())),
            ("held", Some(held.clone()).filter(|h| !h.is_empty())),
            ("sort", by_due_date.then(|| "due".to_owned())),
        ] {
            if let Some(value) = value {
                link.push_str(&format!("&{key}={}", encode(&value)));
            }
        }
        link
    };
    let back = here(page_number);
    let queue_options: Vec<(&str, String)> = std::iter::once(("", "All queues".to_owned()))
        .chain(queues.iter().map(|q| (*q, words(q))))
        .collect();
    let title = format!("{} work queues", agency.as_str().to_uppercase());
    let body = html! {
        h1 { (title) }
        form.filters method="get" action="/ui/queues" aria-label="Filter the queue" {
            @if role == Role::Auditor {
                (select_field("agency", "Agency", agency.as_str(),
                    &[("udi", "UDI"), ("une", "UNE"), ("iom", "IOM")], None))
            }
            (select_field("queue", "Queue", queue.as_deref().unwrap_or(""),
                &queue_options.iter().map(|(v, l)| (*v, l.as_str())).collect::<Vec<_>>(),
                problems.get("queue")))
            div.field.invalid[problems.contains_key("due_by")] {
                label for="due_by" { "Due on or before" }
                input type="date" id="due_by" name="due_by"
                    value=(filters.due_by.clone().unwrap_or_default())
                    aria-invalid=[problems.get("due_by").map(|_| "true")]
                    aria-describedby=[problems.get("due_by").map(|_| "due_by-error")];
                @if let Some(problem) = problems.get("due_by") { p.error id="due_by-error" { (problem) } }
            }
            (select_field("held", "Held by", &held,
                &[("", "Anyone or nobody"), ("me", "Me"), ("nobody", "Nobody")], problems.get("held")))
            (select_field("sort", "Order", if by_due_date { "due" } else { "waiting" },
                &[("waiting", "Longest waiting first"), ("due", "Soonest deadline first")], None))
            button type="submit" { "Show" }
        }
        @if let Some(problem) = problems.get("page") {
            (layout::banner("error", html! { "Page: " (problem) }))
        }
        @if items.is_empty() {
            p.empty { "No cases here." }
        } @else {
            table.queue {
                caption { "Cases waiting, page " (page_number) }
                thead { tr {
                    th scope="col" { "Case" }
                    th scope="col" { "Queue" }
                    th scope="col" { "State" }
                    th scope="col" { "Waiting since" }
                    th scope="col" { "Deadline" }
                    th scope="col" { "Departs" }
                    th scope="col" { "Held by" }
                    @if role != Role::Auditor { th scope="col" { span.visually-hidden { "Claim" } } }
                } }
                tbody {
                    @for item in items.iter().take(PAGE as usize) {
                        @let case = item.stream_id.strip_prefix(retur_app::CASE_STREAM_PREFIX).unwrap_or(&item.stream_id);
                        @let due = item.due_on.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                        tr.overdue[due.is_some_and(|d| Urgency::of(d, today) == Urgency::Overdue)] {
                            td { a href={ "/ui/cases/" (case) } { code { (short(case)) } } }
                            td { (words(&item.queue)) }
                            td { (words(&item.status)) }
                            td { (since(item.in_queue_since_micros)) }
                            td {
                                @if let Some(on) = due {
                                    (deadline(item.due_kind.as_deref().unwrap_or("deadline"), on, today))
                                } @else { "—" }
                            }
                            td { (item.departs_on.as_deref().unwrap_or("—")) }
                            td { (item.claimed_by.as_deref().unwrap_or("nobody")) }
                            @if role != Role::Auditor {
                                td {
                                    @match item.claimed_by.as_deref() {
                                        None => (claim_button(case, "claim", "Claim", &back)),
                                        Some(holder) if holder == me => (claim_button(case, "release", "Release", &back)),
                                        Some(_) => {},
                                    }
                                }
                            }
                        }
                    }
                }
            }
            nav.paging aria-label="Pages" {
                @if page_number > 1 { a href=(here(page_number - 1)) rel="prev" { "← Previous page" } }
                @if more { a href=(here(page_number + 1)) rel="next" { "Next page →" } }
            }
        }
    };
    Ok(layout::page(&title, Some(&signed_in), body).into_response())
}

fn claim_button(case: &str, action: &str, label: &str, back: &str) -> Markup {
    html! {
        form.inline method="post" action={ "/ui/cases/" (case) "/" (action) } {
            input type="hidden" name="back" value=(back);
            button type="submit" aria-label={ (label) " case " (short(case)) } { (label) }
        }
    }
}

pub(crate) fn select_field(
    name: &str,
    label: &str,
    chosen: &str,
    options: &[(&str, &str)],
    problem: Option<&String>,
) -> Markup {
    html! {
        div.field.invalid[problem.is_some()] {
            label for=(name) { (label) }
            select id=(name) name=(name)
                aria-invalid=[problem.map(|_| "true")]
                aria-describedby=[problem.map(|_| format!("{name}-error"))] {
                @for (value, text) in options {
                    option value=(value) selected[*value == chosen] { (text) }
                }
            }
            @if let Some(problem) = problem { p.error id={ (name) "-error" } { (problem) } }
        }
    }
}

/// The first part of a case id: enough to tell cases apart on a page; the full id is the link.
pub(crate) fn short(case: &str) -> &str {
    case.get(..13).unwrap_or(case)
}

fn since(micros: i64) -> Markup {
    match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(at) => local_time(at),
        None => html! { "—" },
    }
}

#[derive(Deserialize)]
pub(crate) struct Back {
    back: Option<String>,
}

/// Where to go after a claim or a release: the page it came from, if it is one of ours, or the
/// case. Read before anything is done, so that a bad one writes nothing.
fn back_to(back: Option<String>, case: &str) -> Result<String, PageError> {
    let back = super::local_path("back", back.as_deref())?;
    Ok(back
        .filter(|b| b.starts_with("/ui/"))
        .map_or_else(|| format!("/ui/cases/{case}"), str::to_owned))
}

pub(crate) async fn claim(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path(case): Path<String>,
    Form(form): Form<Back>,
) -> Result<Response, PageError> {
    let case_id = case_id(&case)?;
    let back = back_to(form.back, &case)?;
    match state.cases.claim(&signed_in.caller, case_id).await {
        Ok(_) => Ok(Redirect::to(&back).into_response()),
        Err(error) => Err(claim_error(error, "claimed")),
    }
}

pub(crate) async fn release(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path(case): Path<String>,
    Form(form): Form<Back>,
) -> Result<Response, PageError> {
    let case_id = case_id(&case)?;
    let back = back_to(form.back, &case)?;
    match state.cases.release(&signed_in.caller, case_id).await {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(error) => Err(claim_error(error, "released")),
    }
}

/// Why a claim or a release (`done`: "claimed", "released") did not happen.
fn claim_error(error: retur_app::CommandError, done: &str) -> PageError {
    use retur_app::{CommandError, Rejection};
    match error {
        CommandError::Rejected(Rejection::Held { by, since }) => PageError::BadRequest(format!(
            "The case could not be {done}: {by} holds it since {}.",
            since.format("%Y-%m-%d %H:%M UTC")
        )),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_agency_has_its_queues() {
        assert_eq!(
            queues_of(Role::Udi),
            [
                "to_decide",
                "late_appeals_to_consider",
                "appeals_to_reconsider",
                "to_hand_over",
                "no_shows"
            ]
        );
        assert_eq!(queues_of(Role::Une), ["appeals_to_decide"]);
        assert!(queues_of(Role::Iom).contains(&"to_book"));
        assert!(queues_of(Role::Auditor).is_empty());
    }

    #[test]
    fn deadlines_stand_out_by_how_near_they_are() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(Urgency::of(day(21), today), Urgency::Overdue);
        assert_eq!(Urgency::of(day(22), today), Urgency::DueToday);
        assert_eq!(Urgency::of(day(29), today), Urgency::DueSoon);
        assert_eq!(Urgency::of(day(30), today), Urgency::Later);
        let shown = deadline("appeal_window", day(21), today).into_string();
        assert!(shown.contains("Overdue"), "{shown}");
        assert!(shown.contains("Appeal window by"), "{shown}");
    }
}
