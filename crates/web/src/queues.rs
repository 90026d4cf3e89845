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

use super::i18n::{self, t};
use super::session::encode;
use super::{PageError, SignedIn, case_id, layout, today, words};
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

    fn words(self) -> Option<String> {
        match self {
            Urgency::Overdue => Some(t!("queue-overdue")),
            Urgency::DueToday => Some(t!("queue-due-today")),
            Urgency::DueSoon => Some(t!("queue-due-soon")),
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
            time datetime=(on) { (t!("queue-deadline-on", kind = words(kind), date = i18n::date(on))) }
            @match (on - today).num_days() {
                0 => {},
                days if days > 0 => { " " (t!("queue-in-days", days = days)) },
                days => { " " (t!("queue-days-ago", days = -days)) },
            }
        }
    }
}

/// Claiming a case from a queue, or releasing one held.
#[derive(Clone, Copy)]
enum Hold {
    Claim,
    Release,
}

impl Hold {
    /// The last part of the path its form posts to.
    fn action(self) -> &'static str {
        match self {
            Hold::Claim => "claim",
            Hold::Release => "release",
        }
    }

    fn label(self) -> String {
        match self {
            Hold::Claim => t!("queue-claim"),
            Hold::Release => t!("queue-release"),
        }
    }

    /// The button's name for a screen reader, which hears it apart from the other rows'.
    fn label_for(self, case: &str) -> String {
        let case = short(case);
        match self {
            Hold::Claim => t!("queue-claim-case", case = case),
            Hold::Release => t!("queue-release-case", case = case),
        }
    }

    /// Why it did not happen: another caseworker holds the case.
    fn refused(self, holder: String, since: DateTime<Utc>) -> String {
        let since = i18n::time(since);
        match self {
            Hold::Claim => t!("queue-claim-refused", holder = holder, since = since),
            Hold::Release => t!("queue-release-refused", holder = holder, since = since),
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
        problems.insert(
            "queue",
            t!(
                "queue-no-such-queue",
                agency = agency_name(agency),
                queue = q.as_str()
            ),
        );
    }
    let due_by = match filters.due_by.as_deref().filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                problems.insert("due_by", t!("queue-not-a-date", text = text));
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
            problems.insert("held", t!("queue-not-a-choice", text = other));
            None
        }
    };
    let by_due_date = filters.sort.as_deref() == Some("due");
    let page_number = match filters.page.as_deref().filter(|p| !p.is_empty()) {
        None => 1,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                problems.insert("page", t!("queue-not-a-page", text = text));
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
    // Each case's reference and principal applicant, as the role may see them.
    let streams: Vec<String> = items.iter().map(|item| item.stream_id.clone()).collect();
    let principals = retur_projections::PersonIndex::principals(
        state.projector.pool(),
        &streams,
        signed_in.caller.actor.role,
    )
    .await
    .map_err(|e| PageError::Failed(format!("reading the person index: {e}")))?;
    // A principal erased since the index saw them is named nowhere, from the moment of erasure.
    let shown: Vec<uuid::Uuid> = principals
        .values()
        .filter_map(|p| p.person.as_deref()?.parse().ok())
        .collect();
    let readable = state.cases.readable_people(&shown).await?;
    let name_of = |principal: &retur_projections::Principal| -> Result<String, String> {
        let person = principal.person.as_deref().and_then(|p| p.parse().ok());
        match (person, &principal.name) {
            (Some(person), Some(name)) if readable.contains(&person) => Ok(name.clone()),
            (Some(_), Some(_)) => Err(t!("queue-name-erased")),
            _ => Err(t!("queue-name-withheld")),
        }
    };
    let now = state.cases.now();
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
    let queue_options: Vec<(&str, String)> = std::iter::once(("", t!("queue-all-queues")))
        .chain(queues.iter().map(|q| (*q, words(q))))
        .collect();
    let agencies = [Role::Udi, Role::Une, Role::Iom].map(|a| (a.as_str(), agency_name(a)));
    let title = t!("queue-title", agency = agency_name(agency));
    let body = html! {
        h1 { (title) }
        form.filters method="get" action="/ui/queues" aria-label=(t!("queue-filters")) {
            @if role == Role::Auditor {
                (select_field("agency", &t!("queue-agency"), agency.as_str(), &agencies, None))
            }
            (select_field("queue", &t!("queue-queue"), queue.as_deref().unwrap_or(""),
                &queue_options, problems.get("queue")))
            div.field.invalid[problems.contains_key("due_by")] {
                label for="due_by" { (t!("queue-due-by")) }
                input type="date" id="due_by" name="due_by"
                    value=(filters.due_by.clone().unwrap_or_default())
                    aria-invalid=[problems.get("due_by").map(|_| "true")]
                    aria-describedby=[problems.get("due_by").map(|_| "due_by-error")];
                @if let Some(problem) = problems.get("due_by") { p.error id="due_by-error" { (problem) } }
            }
            (select_field("held", &t!("queue-held-by"), &held,
                &[("", t!("queue-held-by-anyone")), ("me", t!("queue-held-by-me")),
                  ("nobody", t!("queue-held-by-nobody"))],
                problems.get("held")))
            (select_field("sort", &t!("queue-order"), if by_due_date { "due" } else { "waiting" },
                &[("waiting", t!("queue-order-waiting")), ("due", t!("queue-order-due"))], None))
            button type="submit" { (t!("queue-show")) }
        }
        @if let Some(problem) = problems.get("page") {
            (layout::banner("error", html! { (problem) }))
        }
        @if items.is_empty() {
            p.empty { (t!("queue-empty")) }
        } @else {
            table.queue.stack {
                caption { (t!("queue-caption", page = page_number)) }
                thead { tr {
                    th scope="col" { (t!("queue-case")) }
                    th scope="col" { (t!("queue-principal")) }
                    th scope="col" { (t!("queue-household")) }
                    th scope="col" { (t!("queue-nationality")) }
                    th scope="col" { (t!("queue-queue")) }
                    th scope="col" { (t!("queue-state")) }
                    th scope="col" { (t!("queue-waiting")) }
                    th scope="col" { (t!("queue-deadline")) }
                    th scope="col" { (t!("queue-departs")) }
                    th scope="col" { (t!("queue-held-by")) }
                    @if role != Role::Auditor { th scope="col" { span.visually-hidden { (t!("queue-claim")) } } }
                } }
                tbody {
                    @for item in items.iter().take(PAGE as usize) {
                        @let case = item.stream_id.strip_prefix(retur_app::CASE_STREAM_PREFIX).unwrap_or(&item.stream_id);
                        @let due = item.due_on.as_deref().and_then(day);
                        @let principal = principals.get(&item.stream_id);
                        tr.overdue[due.is_some_and(|d| Urgency::of(d, today) == Urgency::Overdue)] {
                            td data-label=(t!("queue-case")) {
                                a href={ "/ui/cases/" (case) } {
                                    @match principal {
                                        Some(principal) => (principal.reference),
                                        None => code { (short(case)) },
                                    }
                                }
                            }
                            td data-label=(t!("queue-principal")) {
                                @match principal.map(name_of) {
                                    Some(Ok(name)) => bdi { (name) },
                                    Some(Err(withheld)) => span.withheld { (withheld) },
                                    None => {},
                                }
                            }
                            td data-label=(t!("queue-household")) {
                                @if let Some(size) = item.household_size { (t!("queue-people", count = size)) }
                            }
                            td data-label=(t!("queue-nationality")) {
                                @if let Some(country) = item.nationality.as_deref().and_then(|c| retur_domain::CountryCode::parse(c).ok()) {
                                    (i18n::country(&country))
                                }
                            }
                            td data-label=(t!("queue-queue")) { (words(&item.queue)) }
                            td data-label=(t!("queue-state")) { (words(&item.status)) }
                            td data-label=(t!("queue-waiting")) { (waiting(item.in_queue_since_micros, now)) }
                            td data-label=(t!("queue-deadline")) {
                                @if let Some(on) = due {
                                    (deadline(item.due_kind.as_deref().unwrap_or("deadline"), on, today))
                                } @else { "—" }
                            }
                            td data-label=(t!("queue-departs")) {
                                @if let Some(on) = item.departs_on.as_deref().and_then(day) {
                                    time datetime=(on) { (i18n::date(on)) }
                                } @else { "—" }
                            }
                            td data-label=(t!("queue-held-by")) {
                                @match item.claimed_by.as_deref() {
                                    Some(holder) => (holder),
                                    None => (t!("queue-nobody")),
                                }
                            }
                            @if role != Role::Auditor {
                                td {
                                    @match item.claimed_by.as_deref() {
                                        None => (claim_button(case, Hold::Claim, &back)),
                                        Some(holder) if holder == me => (claim_button(case, Hold::Release, &back)),
                                        Some(_) => {},
                                    }
                                }
                            }
                        }
                    }
                }
            }
            nav.paging aria-label=(t!("queue-pages")) {
                @if page_number > 1 { a href=(here(page_number - 1)) rel="prev" { (t!("queue-previous-page")) } }
                @if more { a href=(here(page_number + 1)) rel="next" { (t!("queue-next-page")) } }
            }
        }
    };
    Ok(layout::page(&title, Some(&signed_in), body).into_response())
}

fn claim_button(case: &str, hold: Hold, back: &str) -> Markup {
    html! {
        form.inline method="post" action={ "/ui/cases/" (case) "/" (hold.action()) } {
            input type="hidden" name="back" value=(back);
            button type="submit" aria-label=(hold.label_for(case)) { (hold.label()) }
        }
    }
}

/// An agency as its people name it: `UDI`, in every language.
fn agency_name(agency: Role) -> String {
    agency.as_str().to_uppercase()
}

/// A day as the case index stores it (`YYYY-MM-DD`).
fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn select_field(
    name: &str,
    label: &str,
    chosen: &str,
    options: &[(&str, String)],
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

/// A person's id, shortened to tell the people of one household apart: its last twelve
/// characters (the first ones of a time-ordered id are its time, the same for all of them).
pub(crate) fn short_person(person: &str) -> &str {
    person
        .get(person.len().saturating_sub(12)..)
        .unwrap_or(person)
}

/// How long a case has waited in its queue, in days, with the moment it came in beneath.
fn waiting(micros: i64, now: DateTime<Utc>) -> Markup {
    match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(at) => {
            let days = (now - at).num_days().max(0);
            html! {
                span title=(i18n::time(at)) { (t!("queue-days-waiting", days = days)) }
            }
        }
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
        Err(error) => Err(claim_error(error, Hold::Claim)),
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
        Err(error) => Err(claim_error(error, Hold::Release)),
    }
}

/// Why a claim or a release did not happen.
fn claim_error(error: retur_app::CommandError, hold: Hold) -> PageError {
    use retur_app::{CommandError, Rejection};
    match error {
        CommandError::Rejected(Rejection::Held { by, since }) => {
            PageError::BadRequest(hold.refused(by.to_string(), since))
        }
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
        let shown = crate::PageContext::with_lang(crate::i18n::Lang::En, || {
            deadline("travel_deadline", day(21), today).into_string()
        });
        assert!(
            shown.contains("<strong>Overdue: </strong>"),
            "in words, not colour alone: {shown}"
        );
        assert!(
            shown.contains(r#"<time datetime="2026-11-21">Travel deadline by 21 Nov 2026</time>"#),
            "{shown}"
        );
        let shown = deadline("travel_deadline", day(22), today).into_string();
        assert!(
            shown.contains(
                "Fristen er i dag: </strong><time datetime=\"2026-11-22\">Utreisefrist 22.11.2026"
            ),
            "{shown}"
        );
    }

    #[test]
    fn a_refused_claim_says_who_holds_the_case_and_since_when() {
        let since = "2026-11-22T08:30:00Z".parse().unwrap();
        let said = crate::PageContext::with_lang(crate::i18n::Lang::En, || {
            Hold::Claim.refused("udi-per".to_owned(), since)
        });
        assert_eq!(
            said,
            "The case could not be claimed: udi-per holds it since 22 Nov 2026 09:30 CET."
        );
        assert_eq!(
            Hold::Release.refused("udi-per".to_owned(), since),
            "Du kunne ikke gi fra deg saken, fordi udi-per har hatt den siden 22.11.2026 09:30 CET."
        );
    }
}
