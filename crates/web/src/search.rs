//! Finding a person, not just a case: one search box on every caseworker's page, by name (any
//! part of it, without case or diacritics), DUF number, date of birth or case reference. The
//! person index answers; the app decides which cases the role may find (its part) and whose
//! data it may see, and an erased person is never shown, even before the index has caught up.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use retur_app::{Part, Read};
use retur_domain::{CaseId, PersonId, Role};
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
    // On the search's own page, the box keeps what was searched for.
    let path = crate::PageContext::current().path;
    let typed = path
        .starts_with("/ui/search?")
        .then(|| path.parse::<axum::http::Uri>().ok())
        .flatten()
        .and_then(|uri| Query::<SearchQuery>::try_from_uri(&uri).ok())
        .map(|Query(query)| query.q)
        .unwrap_or_default();
    html! {
        form.search role="search" method="get" action="/ui/search" {
            label for="search-q" { (t!("search-label")) }
            input type="search" id="search-q" name="q" autocomplete="off" value=(typed)
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
            let hits = PersonIndex::search(
                state.projector.pool(),
                search,
                role,
                findable(role),
                sees_duf(role),
                LIMIT,
            )
            .await
            .map_err(|e| PageError::Failed(format!("searching the person index: {e}")))?;
            held_to_log(&state, role, hits, |hit| hit).await?
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
                        a href={ "/ui/people/" (hit.person_id) } {
                            strong { bdi { (hit.full_name) } }
                        }
                        " · " (words(&hit.relation))
                        " · " (t!("search-born", date = hit.date_of_birth.parse().map_or_else(|_| hit.date_of_birth.clone(), i18n::date)))
                        @if let Some(duf) = &hit.duf_number { " · " (t!("search-duf", duf = duf.clone())) }
                        " · " a href={ "/ui/cases/" (hit.stream_id.trim_start_matches(retur_app::CASE_STREAM_PREFIX)) } { (t!("search-reference", reference = hit.reference.clone())) }
                    }
                }
            }
        }
    };
    Ok(layout::page(&t!("search-title"), Some(&signed_in), body).into_response())
}

/// Which cases `role` may find: its part.
pub(crate) fn findable(role: Role) -> Findable {
    match retur_app::part(role) {
        Part::Every => Findable::All,
        Part::HandedToIom => Findable::HandedToIom,
        Part::ForwardedToUne => Findable::ForwardedToUne,
    }
}

/// Whether `role` may see, and so find people by, DUF numbers.
pub(crate) fn sees_duf(role: Role) -> bool {
    retur_app::may_see_personal_field(role, "application_submitted", "duf_number")
}

/// Of `items`, those whose person (`hit` of each) is neither erased nor restricted from
/// `role` in their case as the log holds it now: the index may not have caught up yet.
pub(crate) async fn held_to_log<T>(
    state: &ApiState,
    role: Role,
    items: Vec<T>,
    hit: impl Fn(&T) -> &PersonHit,
) -> Result<Vec<T>, PageError> {
    let people: Vec<uuid::Uuid> = items
        .iter()
        .filter_map(|item| hit(item).person_id.parse().ok())
        .collect();
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let readable = state.cases.readable_people(&people).await?;
    let mut seen = HashMap::new();
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let found = hit(&item);
        let (Some(case_id), Ok(person)) = (
            found
                .stream_id
                .strip_prefix(retur_app::CASE_STREAM_PREFIX)
                .and_then(|id| id.parse::<CaseId>().ok()),
            found.person_id.parse::<uuid::Uuid>(),
        ) else {
            continue;
        };
        if !readable.contains(&person) {
            continue;
        }
        let visible = match seen.entry(case_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(state.cases.visible_people(role, case_id).await?),
        };
        if visible.contains(&PersonId::from_uuid(person)) {
            kept.push(item);
        }
    }
    Ok(kept)
}
