//! A case: its status, where it stands in the lifecycle, the household, the money, what the
//! signed-in role may do next, and its timeline, all as the role may see them. With `as_of`,
//! the case as it stood at the end of a day (by the time the log recorded its events); with
//! `at`, as it stood at a position of the log (each event of the timeline links there).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone};
use maud::{Markup, html};
use retur_app::{AsOf, CaseAccess, CaseStatus, CommandError, HistoryEntry, Rejection};
use retur_domain::lifecycle::commands_for;
use retur_domain::{CaseId, CommandKind, Money, Role, Status};
use serde::Deserialize;
use serde_json::Value;

use super::diagram::state_diagram;
use super::forms::{self, Filled, Person};
use super::queues::{deadline, short};
use super::{PageError, SignedIn, case_id, layout, local_time, phrase, role_label, today, words};
use retur_api::ApiState;

/// What a case page shows beside the case itself.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    /// The case as it stood at a past moment.
    pub(crate) as_of: Option<Moment>,
    /// A command just recorded.
    pub(crate) done: Option<CommandKind>,
    /// A form that came back.
    pub(crate) filled: Option<Filled>,
    /// The version the form was made against, and the version the case is at now.
    pub(crate) conflict: Option<(u64, u64)>,
}

/// A past moment to see a case at.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Moment {
    /// The end of this day, in Norway.
    EndOf(NaiveDate),
    /// Just after the event at this position of the log.
    Position(u64),
}

#[derive(Deserialize)]
pub(crate) struct CaseQuery {
    as_of: Option<String>,
    at: Option<String>,
    done: Option<String>,
}

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path(case): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, PageError> {
    let case_id = case_id(&case)?;
    let as_of = match (
        query.as_of.as_deref().filter(|d| !d.is_empty()),
        query.at.as_deref().filter(|p| !p.is_empty()),
    ) {
        (Some(text), _) => Some(Moment::EndOf(parse_day(text)?)),
        (None, Some(text)) => Some(Moment::Position(text.parse().map_err(|_| {
            PageError::BadRequest(format!("{text:?} is not a position of the log"))
        })?)),
        (None, None) => None,
    };
    let done = query
        .done
        .and_then(|name| CommandKind::ALL.into_iter().find(|k| k.name() == name));
    render(
        &state,
        &signed_in,
        case_id,
        Extra {
            as_of,
            done,
            ..Extra::default()
        },
    )
    .await
}

fn parse_day(text: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| PageError::BadRequest(format!("{text:?} is not a date (YYYY-MM-DD)")))
}

#[derive(Deserialize)]
pub(crate) struct TravelQuery {
    case: String,
    as_of: String,
}

/// The auditor's form: to a case as of a day.
pub(crate) async fn time_travel(
    _signed_in: SignedIn,
    Query(query): Query<TravelQuery>,
) -> Result<Response, PageError> {
    let case_id = case_id(&query.case)?;
    let day = parse_day(&query.as_of)?;
    Ok(Redirect::to(&format!("/ui/cases/{case_id}?as_of={day}")).into_response())
}

/// The end of `day` in Norway, as an instant.
fn end_of(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let last = day
        .and_hms_micro_opt(23, 59, 59, 999_999)
        .expect("a time of day");
    chrono_tz::Europe::Oslo
        .from_local_datetime(&last)
        .latest()
        .map_or_else(|| last.and_utc(), |at| at.to_utc())
}

/// One member of the household as the role sees them.
struct Member {
    id: String,
    relation: String,
    /// The personal data, or `"restricted"` / `"erased"`.
    details: Value,
}

impl Member {
    fn name(&self) -> Option<&str> {
        self.details.get("full_name").and_then(Value::as_str)
    }

    fn label(&self) -> String {
        match (self.name(), self.details.as_str()) {
            (Some(name), _) => format!("{name} ({})", phrase(&self.relation)),
            (None, Some(withheld)) => format!(
                "{} ({}, {withheld})",
                short(&self.id),
                phrase(&self.relation)
            ),
            _ => format!("{} ({})", short(&self.id), phrase(&self.relation)),
        }
    }
}

/// The household, from the application as the role sees it.
fn household(entries: &[HistoryEntry]) -> Vec<Member> {
    let Some(submitted) = entries
        .iter()
        .find(|e| e.event_type == "application_submitted")
    else {
        return Vec::new();
    };
    let personal = submitted.data.get("personal");
    submitted
        .data
        .get("household")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|member| {
            let id = member.get("person_id")?.as_str()?.to_owned();
            let relation = member.get("relation")?.as_str()?.to_owned();
            let details = personal
                .and_then(|p| p.get(&id))
                .cloned()
                .unwrap_or(Value::Null);
            Some(Member {
                id,
                relation,
                details,
            })
        })
        .collect()
}

pub(crate) async fn render(
    state: &ApiState,
    signed_in: &SignedIn,
    case_id: CaseId,
    extra: Extra,
) -> Result<Response, PageError> {
    let caller = &signed_in.caller;
    let role = caller.actor.role;
    let Some(now) = state.cases.status(caller, case_id).await? else {
        if role == Role::Applicant {
            return Ok(application(signed_in, case_id, extra.filled.as_ref()).into_response());
        }
        return Err(PageError::NotFound(format!("there is no case {case_id}")));
    };
    let mut entries = state.cases.history(caller, case_id).await?;
    let (status, past) = match extra.as_of {
        None => (now, false),
        Some(moment) => {
            let at = match moment {
                Moment::EndOf(day) => AsOf::Time(end_of(day)),
                Moment::Position(position) => AsOf::Position(position),
            };
            let then =
                state
                    .cases
                    .as_of(caller, case_id, at)
                    .await
                    .map_err(|error| match error {
                        CommandError::Rejected(Rejection::NoSuchCase { .. }) => {
                            PageError::NotFound(format!(
                                "case {case_id} did not exist for you at that moment yet"
                            ))
                        }
                        other => other.into(),
                    })?;
            entries.retain(|e| e.version <= then.version);
            (
                CaseStatus::of(case_id, &then.case, then.version, state.cases.rules()),
                true,
            )
        }
    };
    let holder = if past {
        None
    } else {
        state
            .cases
            .holder_in(caller, case_id, status.status)
            .await?
    };
    let members = household(&entries);
    let people: Vec<Person> = members
        .iter()
        .map(|m| Person {
            id: m.id.clone(),
            label: m.label(),
        })
        .collect();
    let names: BTreeMap<String, String> = members
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                m.name()
                    .map_or_else(|| short(&m.id).to_owned(), str::to_owned),
            )
        })
        .collect();
    let commands = if past {
        Vec::new()
    } else {
        commands_for(role, status.status)
    };
    let today = today(state);
    let me = caller.actor.id.as_str();
    let title = format!("Case {}", short(&case_id.to_string()));
    let body = html! {
        h1 { "Case " code data-testid="case-id" { (case_id) } }
        @if let Some(moment) = extra.as_of {
            (layout::banner("notice", html! {
                "You are looking at the case as it stood "
                @match moment {
                    Moment::EndOf(day) => { "at the end of " strong { (day) } }
                    Moment::Position(position) => { "at position " strong { (position) } " of the log" }
                }
                " (version " (status.version) "). "
                a href={ "/ui/cases/" (case_id) } { "Back to the case as it is now" }
            }))
        }
        @if let Some(done) = extra.done {
            (layout::banner("notice", html! { strong { "Recorded: " (words(done.name())) "." } }))
        }
        @if let Some((expected, actual)) = extra.conflict {
            (conflict(&entries, expected, actual, extra.filled.as_ref(), &commands, status.status, &names))
        }
        div.overview {
            section aria-labelledby="status-heading" {
                h2 id="status-heading" { "Status" }
                dl.facts {
                    dt { "State" } dd { span.state data-testid="state" { (words(status.status.name())) } }
                    dt { "Whose move" } dd { (status.owner.map_or_else(|| "nobody's: the case has ended or waits".to_owned(), role_label)) }
                    dt { "Next deadline" } dd {
                        @match &status.next_deadline {
                            Some(d) => (deadline(d.kind.name(), d.on, today)),
                            None => "none",
                        }
                    }
                    dt { "Version" } dd data-testid="version" { (status.version) }
                    @if let Some(on) = status.detail.submitted_on { dt { "Applied on" } dd { (on) } }
                    @if let Some(country) = status.detail.nationality { dt { "Nationality" } dd { (country) } }
                    @if let Some(country) = status.detail.return_country { dt { "Returns to" } dd { (country) } }
                    @if retur_app::may_know_holder(role) && !past {
                        dt { "Held by" } dd {
                            @match &holder {
                                Some(h) => { (h.actor) " (" (phrase(&h.queue)) ", since " (local_time(h.since)) ")" }
                                None => "nobody",
                            }
                            @if status.status.owner() == Some(role) {
                                @let back = format!("/ui/cases/{case_id}");
                                @match &holder {
                                    None => form.inline method="post" action={ "/ui/cases/" (case_id) "/claim" } {
                                        input type="hidden" name="back" value=(back);
                                        button type="submit" { "Claim" }
                                    },
                                    Some(h) if h.actor == me => form.inline method="post" action={ "/ui/cases/" (case_id) "/release" } {
                                        input type="hidden" name="back" value=(back);
                                        button type="submit" { "Release" }
                                    },
                                    Some(_) => {},
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="money-heading" {
                h2 id="money-heading" { "Money" }
                dl.facts {
                    dt { "Approved in cash" } dd data-testid="approved-cash" { (money(status.detail.approved_cash)) }
                    dt { "Approved in kind" } dd {
                        @for (i, amount) in status.detail.approved_in_kind.iter().enumerate() {
                            @if i > 0 { ", " }
                            (money(*amount))
                        }
                        @if status.detail.approved_in_kind.is_empty() { "none" }
                    }
                    dt { "Reintegration paid" } dd data-testid="paid" { (money(status.detail.paid)) }
                    dt { "Pocket money paid" } dd {
                        @match status.detail.pocket_money_paid { Some(m) => (money(m)), None => "not yet" }
                    }
                    @if status.detail.payout_flagged_overdue {
                        dt { "Payout" } dd { strong.deadline.overdue { "Flagged as overdue" } }
                    }
                }
            }
        }
        section aria-labelledby="household-heading" {
            h2 id="household-heading" { "Household" }
            (household_table(&members))
        }
        @if !commands.is_empty() {
            section.actions aria-labelledby="actions-heading" {
                h2 id="actions-heading" { "What you can do" }
                @for kind in &commands {
                    @let filled = extra.filled.as_ref().filter(|f| f.command == Some(*kind));
                    (forms::form(case_id, *kind, &people, status.version, filled, false))
                }
            }
        }
        section aria-labelledby="diagram-heading" {
            h2 id="diagram-heading" { "Where the case stands" }
            (state_diagram(status.status))
        }
        section aria-labelledby="travel-heading" {
            h2 id="travel-heading" { "The case on an earlier day" }
            form.filters method="get" action={ "/ui/cases/" (case_id) } {
                div.field {
                    label for="as_of" { "As it stood at the end of" }
                    input type="date" id="as_of" name="as_of" value=(match extra.as_of { Some(Moment::EndOf(day)) => day.to_string(), _ => String::new() });
                }
                button type="submit" { "Show" }
            }
        }
        section aria-labelledby="timeline-heading" {
            h2 id="timeline-heading" { "Timeline" }
            p.hint { "Each event links to the case as it stood just after it." }
            (timeline(case_id, &entries, &names))
        }
    };
    Ok(layout::page(&title, Some(signed_in), body).into_response())
}

fn money(amount: Money) -> String {
    crate::i18n::money(amount)
}

fn household_table(members: &[Member]) -> Markup {
    html! {
        @if members.is_empty() {
            p.empty { "No application yet." }
        } @else {
            table.household {
                thead { tr {
                    th scope="col" { "Name" }
                    th scope="col" { "Relation" }
                    th scope="col" { "Born" }
                    th scope="col" { "DUF number" }
                    th scope="col" { "Notes" }
                } }
                tbody {
                    @for member in members {
                        tr {
                            @match member.details.as_str() {
                                Some(withheld) => {
                                    th scope="row" { span.withheld { (words(withheld)) } }
                                    td { (words(&member.relation)) }
                                    td colspan="3" { span.withheld { (withheld_words(withheld)) } }
                                }
                                None => {
                                    th scope="row" { (member.name().unwrap_or("—")) }
                                    td { (words(&member.relation)) }
                                    td { (member.details.get("date_of_birth").and_then(Value::as_str).unwrap_or("—")) }
                                    td { (member.details.get("duf_number").and_then(Value::as_str).unwrap_or("—")) }
                                    td {
                                        @if member.details.get("unaccompanied_minor") == Some(&Value::Bool(true)) { "Unaccompanied minor. " }
                                        @if member.details.get("possible_trafficking_victim") == Some(&Value::Bool(true)) { "Possible victim of trafficking. " }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn withheld_words(withheld: &str) -> &'static str {
    match withheld {
        retur_app::ERASED => "This person's personal data has been erased.",
        _ => "This person's personal data is restricted from your role.",
    }
}

/// The events, newest first: when, who, what, and the data the role may see.
fn timeline(case_id: CaseId, entries: &[HistoryEntry], names: &BTreeMap<String, String>) -> Markup {
    html! {
        ol.timeline reversed {
            @for entry in entries.iter().rev() {
                li data-event=(entry.event_type) {
                    div.when {
                        (local_time(entry.decided_at.unwrap_or(entry.recorded_at))) " · "
                        a href={ "/ui/cases/" (case_id) "?at=" (entry.position) } { "version " (entry.version) }
                    }
                    div.what { strong { (words(&entry.event_type)) } " by " (entry.actor) " (" (entry.role) ")" }
                    @if entry.redacted {
                        p.withheld data-testid="withheld" { "Parts of this event are withheld from your role." }
                    }
                    @let rows = flatten(&entry.data, names);
                    @if !rows.is_empty() {
                        dl.data {
                            @for (key, value) in rows {
                                dt { (key) } dd { (value) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An event's data as label and value rows: nested objects by path, people by name, and the
/// bookkeeping of rules and times left to the audit.
fn flatten(data: &Value, names: &BTreeMap<String, String>) -> Vec<(String, String)> {
    fn walk(
        prefix: &str,
        value: &Value,
        names: &BTreeMap<String, String>,
        out: &mut Vec<(String, String)>,
    ) {
        match value {
            Value::Null => {}
            Value::Object(map) if as_money(map).is_some() => {
                out.push((prefix.to_owned(), as_money(map).unwrap_or_default()));
            }
            Value::Object(map) => {
                for (key, inner) in map {
                    if prefix.is_empty() && matches!(key.as_str(), "rules" | "household") {
                        continue;
                    }
                    let label = match names.get(key) {
                        Some(name) => name.clone(),
                        None if key == "personal" => String::new(),
                        None => phrase(key),
                    };
                    let path = match (prefix.is_empty(), label.is_empty()) {
                        (true, _) => capital(&label),
                        (false, true) => prefix.to_owned(),
                        (false, false) => format!("{prefix}, {label}"),
                    };
                    walk(&path, inner, names, out);
                }
            }
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                let text: Vec<String> = items.iter().map(|i| scalar(i, names)).collect();
                out.push((prefix.to_owned(), text.join(", ")));
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{prefix} {}", i + 1), item, names, out);
                }
            }
            other => out.push((prefix.to_owned(), scalar(other, names))),
        }
    }
    /// `{"currency": "NOK", "minor_units": 150000}` reads as `NOK 1500.00`.
    fn as_money(map: &serde_json::Map<String, Value>) -> Option<String> {
        if map.len() != 2 {
            return None;
        }
        let currency = retur_domain::Currency::parse(map.get("currency")?.as_str()?).ok()?;
        let minor = map.get("minor_units")?.as_i64()?;
        Some(crate::i18n::money(Money::new(currency, minor)))
    }
    /// A person's id reads as their name, where the role may see it.
    fn scalar(value: &Value, names: &BTreeMap<String, String>) -> String {
        match value {
            Value::String(text) => names.get(text).unwrap_or(text).clone(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            other => other.to_string(),
        }
    }
    fn capital(text: &str) -> String {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
    let mut out = Vec::new();
    walk("", data, names, &mut out);
    out
}

/// Someone changed the case between the page and the form: what changed, and what happens to
/// what was typed.
fn conflict(
    entries: &[HistoryEntry],
    expected: u64,
    actual: u64,
    filled: Option<&Filled>,
    commands: &[CommandKind],
    now: Status,
    names: &BTreeMap<String, String>,
) -> Markup {
    let command = filled.and_then(|f| f.command);
    let still_possible = command.is_some_and(|c| commands.contains(&c));
    let changes: Vec<&HistoryEntry> = entries.iter().filter(|e| e.version > expected).collect();
    layout::banner(
        "conflict",
        html! {
            h2 data-testid="conflict" { "Someone changed this case while you had it open" }
            p {
                @if let Some(command) = command { "Your “" strong { (words(command.name())) } "” was not recorded. " }
                "The case was at version " (expected) " when you opened it and is at version " (actual) " now. This is what changed:"
            }
            ol.changes {
                @for entry in &changes {
                    li {
                        strong { (words(&entry.event_type)) } " by " (entry.actor) " (" (entry.role) "), "
                        (local_time(entry.decided_at.unwrap_or(entry.recorded_at)))
                        @let rows = flatten(&entry.data, names);
                        @if !rows.is_empty() {
                            dl.data { @for (key, value) in rows { dt { (key) } dd { (value) } } }
                        }
                    }
                }
            }
            @match (command, still_possible) {
                (Some(_), true) => p { "What you typed is kept in the form below. Check it against the case as it is now, and send it again if it still holds." },
                (Some(command), false) => {
                    p { strong { (words(command.name())) " is no longer possible: the case is now " (phrase(now.name())) "." } }
                    @if let Some(filled) = filled {
                        @let typed: Vec<_> = filled.values.iter().filter(|(k, v)| !k.starts_with('_') && !v.trim().is_empty()).collect();
                        @if !typed.is_empty() {
                            p { "What you typed, so that it is not lost:" }
                            dl.data { @for (key, value) in typed { dt { (key) } dd { (value) } } }
                        }
                    }
                }
                (None, _) => {},
            }
        },
    )
}

/// A new application: the applicant's form for a case that has no events yet.
fn application(signed_in: &SignedIn, case_id: CaseId, filled: Option<&Filled>) -> Markup {
    let body = html! {
        h1 { "Apply for assisted return" }
        p { "Case " code { (case_id) } " has no application yet. Fill in the household, the principal applicant first." }
        (forms::form(case_id, CommandKind::Submit, &[], 0, filled, true))
    };
    layout::page("Apply", Some(signed_in), body)
}

/// An applicant's own cases.
pub(crate) async fn own_cases(
    state: &ApiState,
    signed_in: &SignedIn,
) -> Result<Response, PageError> {
    let cases: Vec<CaseId> = match &signed_in.caller.cases {
        CaseAccess::Only(cases) => cases.iter().copied().collect(),
        CaseAccess::All => Vec::new(),
    };
    let mut rows = Vec::new();
    for case_id in cases {
        let status = state.cases.status(&signed_in.caller, case_id).await?;
        rows.push((case_id, status));
    }
    let body = html! {
        h1 { "My cases" }
        @if rows.is_empty() {
            p.empty { "Your token names no cases." }
        } @else {
            table {
                thead { tr { th scope="col" { "Case" } th scope="col" { "State" } } }
                tbody {
                    @for (case_id, status) in &rows {
                        tr {
                            td { a href={ "/ui/cases/" (case_id) } { code { (case_id) } } }
                            td { @match status { Some(s) => (words(s.status.name())), None => "Not yet applied" } }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page("My cases", Some(signed_in), body).into_response())
}
