//! A person's page: every case they appear in, with the family in each linked, and whether
//! retur's own records show them helped home before. A person has an id in each case they
//! apply in; the same person in another case is found by their DUF number (the immigration
//! records' own) or, possibly, by the same name and date of birth, and the page says which.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use retur_app::Read;
use retur_projections::{Appearance, MatchedBy, PersonHit, PersonIndex};

use super::i18n::{self, t};
use super::search::{findable, held_to_log, sees_duf};
use super::{PageError, SignedIn, layout, phrase, words};
use retur_api::ApiState;

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path(person): Path<String>,
) -> Result<Response, PageError> {
    retur_app::authorize_read_of(&signed_in.caller, Read::People)?;
    let role = signed_in.caller.actor.role;
    let unknown = || PageError::NotFound(t!("person-none"));
    let person: uuid::Uuid = person.trim().parse().map_err(|_| unknown())?;
    let pool = state.projector.pool();
    let Some((_, appearances)) = PersonIndex::appearances(
        pool,
        &person.to_string(),
        role,
        findable(role),
        sees_duf(role),
    )
    .await
    .map_err(failed)?
    else {
        return Err(unknown());
    };
    let appearances = held_to_log(&state, role, appearances, |a| &a.hit).await?;
    // The person as they are in their own case, as the log holds them now.
    let Some(own) = appearances
        .iter()
        .find(|a| a.matched_by == MatchedBy::Same)
        .map(|a| a.hit.clone())
    else {
        return Err(unknown());
    };
    let streams: Vec<String> = appearances
        .iter()
        .map(|a| a.hit.stream_id.clone())
        .collect();
    let family = PersonIndex::households(pool, &streams, role, sees_duf(role))
        .await
        .map_err(failed)?;
    let family = held_to_log(&state, role, family, |hit| hit).await?;
    let helped_home: Vec<&Appearance> = appearances
        .iter()
        .filter(|a| a.departed_on.is_some())
        .collect();
    let body = html! {
        h1 data-testid="person" { bdi { (own.full_name) } }
        dl.facts {
            dt { (t!("person-born")) } dd { (day(&Some(own.date_of_birth.clone())).unwrap_or_else(|| own.date_of_birth.clone())) }
            @if let Some(duf) = &own.duf_number { dt { (t!("case-duf-number")) } dd { (duf) } }
            dt { (t!("person-cases")) } dd { (i18n::count(appearances.len() as u64)) }
        }
        @if !helped_home.is_empty() {
            (layout::banner("warning", html! {
                strong data-testid="helped-home-before" { (t!("person-helped-home-before")) }
                ul {
                    @for a in &helped_home {
                        li { (departure(a)) }
                    }
                }
            }))
        }
        section aria-labelledby="cases-heading" {
            h2 id="cases-heading" { (t!("person-cases-heading")) }
            ol.appearances data-testid="appearances" {
                @for a in &appearances {
                    li data-reference=(a.hit.reference) {
                        h3 {
                            a href={ "/ui/cases/" (case_of(&a.hit)) } { (t!("search-reference", reference = a.hit.reference.clone())) }
                            " · " (words(&a.hit.relation))
                            @if let Some(status) = &a.status { " · " span.state data-state=(status) { (words(status)) } }
                        }
                        p.matched data-matched=(matched_code(a.matched_by)) {
                            @match a.matched_by {
                                MatchedBy::Same => (t!("person-matched-same")),
                                MatchedBy::DufNumber => (t!("person-matched-duf")),
                                MatchedBy::NameAndBirth => { strong { (t!("person-matched-name")) } },
                            }
                        }
                        dl.facts {
                            @if let Some(on) = day(&a.submitted_on) { dt { (t!("case-applied-on")) } dd { (on) } }
                            @if let Some(country) = &a.return_country { dt { (t!("case-returns-to")) } dd { (i18n::country_named(country)) } }
                            @if let Some(on) = day(&a.departed_on) { dt { (t!("person-departed")) } dd { (on) } }
                        }
                        @let others: Vec<&PersonHit> = family.iter().filter(|m| m.stream_id == a.hit.stream_id && m.person_id != a.hit.person_id).collect();
                        @if !others.is_empty() {
                            p { (t!("person-family")) }
                            ul.family {
                                @for member in others {
                                    li { a href={ "/ui/people/" (member.person_id) } { bdi { (member.full_name) } } " (" (phrase(&member.relation)) ", " (born(member)) ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&own.full_name, Some(&signed_in), body).into_response())
}

/// What UDI must see before deciding a case: who in it retur's records show as helped home
/// before, and how sure that is. `None` when nobody is.
pub(crate) async fn earlier_returns(
    state: &ApiState,
    role: retur_domain::Role,
    case_id: retur_domain::CaseId,
    declared: Option<bool>,
) -> Result<Option<Markup>, PageError> {
    let stream = format!("{}{case_id}", retur_app::CASE_STREAM_PREFIX);
    let found = PersonIndex::earlier_returns(state.projector.pool(), &stream, role, findable(role))
        .await
        .map_err(failed)?;
    if found.is_empty() {
        return Ok(None);
    }
    // Both people, this case's and the earlier one's, as the log holds them now.
    let found = held_to_log(state, role, found, |r| &r.this).await?;
    let found = held_to_log(state, role, found, |r| &r.earlier).await?;
    if found.is_empty() {
        return Ok(None);
    }
    Ok(Some(layout::banner(
        "warning",
        html! {
            h2 data-testid="earlier-returns" { (t!("person-earlier-returns")) }
            ul {
                @for r in &found {
                    li {
                        a href={ "/ui/people/" (r.this.person_id) } { bdi { (r.this.full_name) } } ": "
                        (t!("person-departed-on", date = day(&Some(r.departed_on.clone())).unwrap_or_default(),
                            country = r.return_country.as_deref().map(i18n::country_named).unwrap_or_default()))
                        " (" a href={ "/ui/cases/" (case_of(&r.earlier)) } { (t!("search-reference", reference = r.earlier.reference.clone())) } ")"
                        @if r.matched_by == MatchedBy::NameAndBirth { " " strong { (t!("person-matched-name")) } }
                    }
                }
            }
            @if declared == Some(false) {
                p data-testid="declared-not-before" { (t!("person-declared-not-before")) }
            }
            p { (t!("person-earlier-returns-hint")) }
            @if let Some(source) = state.cases.rules().exclusion_source_on(
                super::today(state),
                retur_domain::rules::Exclusion::ReimmigratedToDublinState,
            ) {
                p.hint { (t!("person-rule-source")) " " (source) }
            }
        },
    )))
}

/// What the application declares about an earlier return, where the role may see it.
pub(crate) fn declared(entries: &[retur_app::HistoryEntry]) -> Option<bool> {
    entries
        .iter()
        .find(|e| e.event_type == "application_submitted")
        .and_then(|e| e.data.get("previously_assisted_and_reimmigrated"))
        .and_then(serde_json::Value::as_bool)
}

fn case_of(hit: &PersonHit) -> &str {
    hit.stream_id
        .strip_prefix(retur_app::CASE_STREAM_PREFIX)
        .unwrap_or(&hit.stream_id)
}

fn born(hit: &PersonHit) -> String {
    t!(
        "search-born",
        date = day(&Some(hit.date_of_birth.clone())).unwrap_or_else(|| hit.date_of_birth.clone())
    )
}

fn day(text: &Option<String>) -> Option<String> {
    text.as_deref().and_then(|d| d.parse().ok()).map(i18n::date)
}

fn departure(a: &Appearance) -> String {
    t!(
        "person-departed-on",
        date = day(&a.departed_on).unwrap_or_default(),
        country = a
            .return_country
            .as_deref()
            .map(i18n::country_named)
            .unwrap_or_default()
    ) + &format!(
        " ({})",
        t!("search-reference", reference = a.hit.reference.clone())
    )
}

fn matched_code(matched: MatchedBy) -> &'static str {
    match matched {
        MatchedBy::Same => "same",
        MatchedBy::DufNumber => "duf_number",
        MatchedBy::NameAndBirth => "name_and_birth",
    }
}

fn failed(error: impl std::fmt::Display) -> PageError {
    PageError::Failed(format!("reading the person index: {error}"))
}
