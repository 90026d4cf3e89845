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
use retur_app::{AsOf, CaseStatus, CommandError, HistoryEntry, Rejection};
use retur_domain::{CaseId, CommandKind, Money, Role, Status};
use serde::Deserialize;
use serde_json::Value;

use super::diagram::state_diagram;
use super::forms::{self, Filled, Person};
use super::i18n::{self, t};
use super::queues::{deadline, short, short_person};
use super::timeline::{flatten, timeline};
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
    /// A note just written.
    pub(crate) noted: bool,
    /// A note that came back: what was typed, and what is wrong with it.
    pub(crate) note: Option<(String, String)>,
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
    noted: Option<String>,
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
        (None, Some(text)) => {
            Some(Moment::Position(text.parse().map_err(|_| {
                PageError::BadRequest(t!("case-not-a-position", text = text))
            })?))
        }
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
            noted: query.noted.is_some(),
            ..Extra::default()
        },
    )
    .await
}

fn parse_day(text: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| PageError::BadRequest(t!("case-not-a-date", text = text)))
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
                "{} ({}, {})",
                short_person(&self.id),
                phrase(&self.relation),
                phrase(withheld)
            ),
            _ => format!("{} ({})", short_person(&self.id), phrase(&self.relation)),
        }
    }
}

/// Each member's name by their person id, where the role may see it (else a short id).
fn names_of(members: &[Member]) -> BTreeMap<String, String> {
    members
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                m.name()
                    .map_or_else(|| short_person(&m.id).to_owned(), str::to_owned),
            )
        })
        .collect()
}

/// The names of a case's people, from its history as the role sees it.
pub(crate) fn names(entries: &[HistoryEntry]) -> BTreeMap<String, String> {
    names_of(&household(entries))
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
            return Ok(
                super::applicant::application(signed_in, case_id, extra.filled.as_ref())
                    .into_response(),
            );
        }
        return Err(PageError::NotFound(t!(
            "case-none",
            case = case_id.to_string()
        )));
    };
    let mut entries = state.cases.history(caller, case_id).await?;
    if role == Role::Applicant {
        let commands = state.cases.offered(caller, case_id, &now).await?;
        let letters = state.cases.letters(caller, case_id).await?;
        let page = super::applicant::case_page(
            commands, signed_in, case_id, &now, &entries, &letters, &extra,
        );
        return Ok(page.into_response());
    }
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
                            PageError::NotFound(t!("case-not-yet", case = case_id.to_string()))
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
    let names = names_of(&members);
    let commands = if past {
        Vec::new()
    } else {
        state.cases.offered(caller, case_id, &status).await?
    };
    let preview = if commands.contains(&CommandKind::Approve) {
        let approve = retur_domain::Action::Approve {
            particularly_vulnerable: Default::default(),
        };
        super::confirm::approval_preview(state, caller, case_id, approve, &names).await
    } else {
        None
    };
    // Those who decide see whom retur's own records show as helped home before.
    let earlier_returns = if matches!(role, Role::Udi | Role::Une) && !past {
        let declared = super::person::declared(&entries);
        super::person::earlier_returns(state, role, case_id, declared).await?
    } else {
        None
    };
    let notes = if retur_app::keeps_notes(role) {
        let mut notes = state.cases.notes(caller, case_id).await?;
        if past {
            let last = entries.last().map_or(0, |e| e.position);
            notes.retain(|note| note.position <= last);
        }
        notes
    } else {
        Vec::new()
    };
    let letters = if past || role == Role::System {
        Vec::new()
    } else {
        state.cases.letters(caller, case_id).await?
    };
    let today = today(state);
    let me = caller.actor.id.as_str();
    let title = t!(
        "case-title",
        case = super::timeline::reference_of(&entries)
            .unwrap_or_else(|| short(&case_id.to_string()).to_owned())
    );
    let body = html! {
        h1 {
            (t!("case-heading")) " "
            @match super::timeline::reference_of(&entries) {
                Some(reference) => span data-testid="reference" { (reference) },
                None => code { (short(&case_id.to_string())) },
            }
        }
        p.case-id { (t!("case-id")) " " code data-testid="case-id" { (case_id) } }
        @if let Some(moment) = extra.as_of {
            (layout::banner("notice", html! {
                @match moment {
                    Moment::EndOf(day) => (t!("case-as-of-day", day = i18n::date(day), version = status.version)),
                    Moment::Position(position) => (t!("case-as-of-position", position = position, version = status.version)),
                }
                " "
                a href={ "/ui/cases/" (case_id) } { (t!("case-back-to-now")) }
            }))
        }
        @if extra.noted {
            (layout::banner("notice", html! { strong data-testid="noted" { (t!("note-written")) } }))
        }
        @if let Some(done) = extra.done {
            (layout::banner("notice", html! { strong data-testid="recorded" { (t!("case-recorded", command = words(done.name()))) } }))
        }
        @if let Some((expected, actual)) = extra.conflict {
            (conflict(&entries, expected, actual, extra.filled.as_ref(), &commands, status.status, &names))
        }
        @if let Some(warning) = &earlier_returns { (warning) }
        div.overview {
            section aria-labelledby="status-heading" {
                h2 id="status-heading" { (t!("case-status")) }
                dl.facts {
                    dt { (t!("case-state")) } dd { span.state data-testid="state" data-state=(status.status.name()) { (words(status.status.name())) } }
                    dt { (t!("case-whose-move")) } dd { (status.owner.map_or_else(|| t!("case-nobodys-move"), role_label)) }
                    dt { (t!("case-next-deadline")) } dd {
                        @match &status.next_deadline {
                            Some(d) => (deadline(d.kind.name(), d.on, today)),
                            None => (t!("none")),
                        }
                    }
                    dt { (t!("case-version")) } dd data-testid="version" { (status.version) }
                    @if let Some(on) = status.detail.submitted_on { dt { (t!("case-applied-on")) } dd { (i18n::date(on)) } }
                    @if let Some(country) = &status.detail.nationality { dt { (t!("case-nationality")) } dd { (i18n::country(country)) } }
                    @if let Some(country) = &status.detail.return_country { dt { (t!("case-returns-to")) } dd { (i18n::country(country)) } }
                    @if let Some(contact) = members.first().and_then(|m| m.details.get("contact")) {
                        dt { (t!("case-contact")) } dd data-testid="contact" {
                            bdi { (contact.get("phone").and_then(Value::as_str).unwrap_or("—")) }
                            @if let Some(language) = contact.get("language").and_then(Value::as_str) {
                                ", " (i18n::language(language))
                            }
                            @if contact.get("needs_interpreter") == Some(&Value::Bool(true)) {
                                ", " (t!("case-needs-interpreter"))
                            }
                        }
                    }
                    @if retur_app::may_know_holder(role) && !past {
                        dt { (t!("case-held-by")) } dd {
                            @match &holder {
                                Some(h) => { (h.actor) " (" (phrase(&h.queue)) ", " (t!("case-since")) " " (local_time(h.since)) ")" }
                                None => (t!("case-nobody")),
                            }
                            @if status.status.owner() == Some(role) {
                                @let back = format!("/ui/cases/{case_id}");
                                @match &holder {
                                    None => form.inline method="post" action={ "/ui/cases/" (case_id) "/claim" } {
                                        input type="hidden" name="back" value=(back);
                                        button type="submit" { (t!("case-claim")) }
                                    },
                                    Some(h) if h.actor == me => form.inline method="post" action={ "/ui/cases/" (case_id) "/release" } {
                                        input type="hidden" name="back" value=(back);
                                        button type="submit" { (t!("case-release")) }
                                    },
                                    Some(_) => {},
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="money-heading" {
                h2 id="money-heading" { (t!("case-money")) }
                dl.facts {
                    dt { (t!("case-approved-cash")) } dd data-testid="approved-cash" { (money(status.detail.approved_cash)) }
                    dt { (t!("case-approved-in-kind")) } dd {
                        @for (i, amount) in status.detail.approved_in_kind.iter().enumerate() {
                            @if i > 0 { ", " }
                            (money(*amount))
                        }
                        @if status.detail.approved_in_kind.is_empty() { (t!("none")) }
                    }
                    dt { (t!("case-reintegration-paid")) } dd data-testid="paid" { (money(status.detail.paid)) }
                    dt { (t!("case-pocket-money-paid")) } dd {
                        @match status.detail.pocket_money_paid { Some(m) => (money(m)), None => (t!("case-not-paid-yet")) }
                    }
                    @if status.detail.payout_flagged_overdue {
                        dt { (t!("case-payout")) } dd { strong.deadline.overdue { (t!("case-flagged-overdue")) } }
                    }
                }
            }
        }
        section aria-labelledby="household-heading" {
            h2 id="household-heading" { (t!("case-household")) }
            (household_table(&members, retur_app::authorize_read_of(caller, retur_app::Read::People).is_ok()))
        }
        @if !commands.is_empty() {
            section.actions aria-labelledby="actions-heading" {
                h2 id="actions-heading" { (t!("case-what-you-can-do")) }
                @if let Some(preview) = &preview { (preview.shown) }
                @for kind in commands.iter().filter(|k| **k != CommandKind::ErasePersonalData) {
                    @let filled = extra.filled.as_ref().filter(|f| f.command == Some(*kind));
                    (forms::form(case_id, *kind, &people, status.version, filled, false))
                }
                @if commands.contains(&CommandKind::ErasePersonalData) {
                    // Erasing cannot be undone by anyone: it stands apart, marked as dangerous.
                    div.dangerous data-testid="dangerous" {
                        h3 { (t!("case-dangerous")) }
                        p { (t!("case-dangerous-hint")) }
                        @let filled = extra.filled.as_ref().filter(|f| f.command == Some(CommandKind::ErasePersonalData));
                        (forms::form(case_id, CommandKind::ErasePersonalData, &people, status.version, filled, false))
                    }
                }
            }
        }
        section aria-labelledby="diagram-heading" {
            h2 id="diagram-heading" { (t!("case-where-it-stands")) }
            (state_diagram(status.status))
        }
        section aria-labelledby="travel-heading" {
            h2 id="travel-heading" { (t!("case-earlier-day")) }
            form.filters method="get" action={ "/ui/cases/" (case_id) } {
                div.field {
                    label for="as_of" { (t!("case-as-it-stood")) }
                    input type="date" id="as_of" name="as_of" value=(match extra.as_of { Some(Moment::EndOf(day)) => day.to_string(), _ => String::new() });
                }
                button type="submit" { (t!("case-show")) }
            }
        }
        @if !past && role != Role::System {
            (super::letters::section(case_id, &letters))
        }
        @if retur_app::keeps_notes(role) && !past {
            (super::notes::form(case_id, role, extra.note.as_ref()))
        }
        section aria-labelledby="timeline-heading" {
            h2 id="timeline-heading" { (t!("case-timeline")) }
            p.hint { (t!("case-timeline-hint")) }
            (timeline(case_id, &entries, &notes, &names))
        }
    };
    Ok(layout::page(&title, Some(signed_in), body).into_response())
}

fn money(amount: Money) -> String {
    crate::i18n::money(amount)
}

/// The household; with `linked`, each name leads to the person's page.
fn household_table(members: &[Member], linked: bool) -> Markup {
    html! {
        @if members.is_empty() {
            p.empty { (t!("case-no-application")) }
        } @else {
            table.household.stack {
                thead { tr {
                    th scope="col" { (t!("case-name")) }
                    th scope="col" { (t!("case-relation")) }
                    th scope="col" { (t!("case-born")) }
                    th scope="col" { (t!("case-duf-number")) }
                    th scope="col" { (t!("case-notes")) }
                } }
                tbody {
                    @for member in members {
                        tr {
                            @match member.details.as_str() {
                                Some(withheld) => {
                                    th scope="row" { span.withheld { (words(withheld)) } }
                                    td data-label=(t!("case-relation")) { (words(&member.relation)) }
                                    td colspan="3" { span.withheld { (withheld_words(withheld)) } }
                                }
                                None => {
                                    th scope="row" {
                                        @match member.name() {
                                            Some(name) if linked => a href={ "/ui/people/" (member.id) } { bdi { (name) } },
                                            Some(name) => bdi { (name) },
                                            None => "—",
                                        }
                                    }
                                    td data-label=(t!("case-relation")) { (words(&member.relation)) }
                                    td data-label=(t!("case-born")) { (member.details.get("date_of_birth").and_then(Value::as_str).and_then(|d| d.parse().ok()).map_or_else(|| "—".to_owned(), i18n::date)) }
                                    td data-label=(t!("case-duf-number")) { (member.details.get("duf_number").and_then(Value::as_str).unwrap_or("—")) }
                                    td data-label=(t!("case-notes")) {
                                        @if member.details.get("unaccompanied_minor") == Some(&Value::Bool(true)) { (t!("case-unaccompanied-minor")) " " }
                                        @if member.details.get("possible_trafficking_victim") == Some(&Value::Bool(true)) { (t!("case-trafficking")) }
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

fn withheld_words(withheld: &str) -> String {
    match withheld {
        retur_app::ERASED => t!("case-erased"),
        _ => t!("case-restricted"),
    }
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
            h2 data-testid="conflict" { (t!("conflict-heading")) }
            p {
                @if let Some(command) = command { (t!("conflict-not-recorded", command = words(command.name()))) " " }
                (t!("conflict-versions", expected = expected, actual = actual))
            }
            ol.changes {
                @for entry in &changes {
                    li {
                        (super::timeline::sentence(entry)) " "
                        (local_time(entry.decided_at.unwrap_or(entry.recorded_at)))
                        @let rows = flatten(&entry.data, names);
                        @if !rows.is_empty() {
                            dl.data { @for (key, value) in rows { dt { (key) } dd { (value) } } }
                        }
                    }
                }
            }
            @match (command, still_possible) {
                (Some(_), true) => p { (t!("conflict-kept")) },
                (Some(command), false) => {
                    p { strong { (t!("conflict-no-longer-possible", command = words(command.name()), state = phrase(now.name()))) } }
                    @if let Some(filled) = filled {
                        @let typed: Vec<_> = filled.values.iter().filter(|(k, v)| !k.starts_with('_') && !v.trim().is_empty()).collect();
                        @if !typed.is_empty() {
                            p { (t!("conflict-typed")) }
                            dl.data { @for (key, value) in typed { dt { (key) } dd { (value) } } }
                        }
                    }
                }
                (None, _) => {},
            }
        },
    )
}
