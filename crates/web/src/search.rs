//! Finding a person, not just a case: one search box on every caseworker's page, by name (any
//! part of it, without case or diacritics), DUF number, date of birth or case reference. The
//! person index answers; the app decides which cases the role may find (its part) and whose
//! data it may see, and an erased person is never shown, even before the index has caught up.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use retur_app::{Part, Read};
use retur_projections::{Findable, PersonHit, PersonIndex, Search};
use serde::Deserialize;

use super::i18n::{self, t};
use super::{PageError, SignedIn, layout, words};
use retur_api::ApiState;

/// The most people a search shows.
const LIMIT: u32 = 50;

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The search box, for the frame of a caseworker's or an auditor's page.
pub(crate) fn search_box() -> Markup {
    html! {
        form.search role="search" method="get" action="/ui/search" {
            label for="search-q" { (t!("search-label")) }
            input type="search" id="search-q" name="q" autocomplete="off"
                aria-describedby="search-hint";
            span.hint id="search-hint" { (t!("search-hint")) }
            button type="submit" { (t!("search-button")) }
        }
    }
}

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    retur_app::authorize_read_of(&signed_in.caller, Read::People)?;
    let role = signed_in.caller.actor.role;
    let typed = query.q.trim();
    let search = Search::read(typed);
    let hits = match &search {
        None => Vec::new(),
        Some(search) => {
            let findable = match retur_app::part(role) {
                Part::Every => Findable::All,
                Part::HandedToIom => Findable::HandedToIom,
                Part::ForwardedToUne => Findable::ForwardedToUne,
            };
            let sees_duf =
                retur_app::may_see_personal_field(role, "application_submitted", "duf_number");
            let hits = PersonIndex::search(
                state.projector.pool(),
                search,
                role,
                findable,
                sees_duf,
                LIMIT,
            )
            .await
            .map_err(|e| PageError::Failed(format!("searching the person index: {e}")))?;
            visible(&state, role, readable(&state, hits).await?).await?
        }
    };
    let body = html! {
        h1 { (t!("search-title")) }
        @if typed.is_empty() {
            p { (t!("search-hint")) }
        } @else {
            p { (t!("search-for", typed = typed)) }
        }
        @if typed.is_empty() {
        } @else if search.is_none() {
            p.error data-testid="search-problem" { (t!("search-too-short")) }
        } @else if hits.is_empty() {
            p.empty data-testid="search-none" { (t!("search-none", typed = typed)) }
        } @else {
            p { (t!("search-found", count = hits.len())) }
            @if hits.len() as u32 >= LIMIT { p.hint { (t!("search-first", count = LIMIT)) } }
            ul.hits data-testid="hits" {
                @for hit in &hits {
                    li data-reference=(hit.reference) {
                        a href={ "/ui/cases/" (hit.stream_id.trim_start_matches("case-")) } {
                            strong { bdi { (hit.full_name) } }
                        }
                        " · " (words(&hit.relation))
                        " · " (t!("search-born", date = hit.date_of_birth.parse().map_or_else(|_| hit.date_of_birth.clone(), i18n::date)))
                        @if let Some(duf) = &hit.duf_number { " · " (t!("search-duf", duf = duf.clone())) }
                        " · " (t!("search-reference", reference = hit.reference.clone()))
                    }
                }
            }
        }
    };
    Ok(layout::page(&t!("search-title"), Some(&signed_in), body).into_response())
}

/// The hits whose person the role may see in their case as it is now: the index may not yet
/// have caught up with a restriction.
async fn visible(
    state: &ApiState,
    role: retur_domain::Role,
    hits: Vec<PersonHit>,
) -> Result<Vec<PersonHit>, PageError> {
    let mut seen = std::collections::HashMap::new();
    let mut kept = Vec::with_capacity(hits.len());
    for hit in hits {
        let Some(case_id) = hit
            .stream_id
            .strip_prefix(retur_app::CASE_STREAM_PREFIX)
            .and_then(|id| id.parse::<retur_domain::CaseId>().ok())
        else {
            continue;
        };
        let people = match seen.entry(case_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(state.cases.visible_people(role, case_id).await?)
            }
        };
        let person = hit.person_id.parse::<retur_domain::PersonId>().ok();
        if person.is_some_and(|person| people.contains(&person)) {
            kept.push(hit);
        }
    }
    Ok(kept)
}

/// The hits whose person has not been erased since the index saw them.
async fn readable(state: &ApiState, hits: Vec<PersonHit>) -> Result<Vec<PersonHit>, PageError> {
    let people: Vec<uuid::Uuid> = hits
        .iter()
        .filter_map(|hit| hit.person_id.parse().ok())
        .collect();
    if people.is_empty() {
        return Ok(hits);
    }
    let readable = state.cases.readable_people(&people).await?;
    Ok(hits
        .into_iter()
        .filter(|hit| {
            hit.person_id
                .parse()
                .is_ok_and(|person| readable.contains(&person))
        })
        .collect())
}
