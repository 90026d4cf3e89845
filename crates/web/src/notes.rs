//! Internal notes on a case page: a caseworker writes one for their own agency, and it stands
//! in that agency's timeline only. What may be written and who reads it is the app's
//! (`Cases::write_note`, `Cases::notes`).

use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use retur_app::{CommandError, Rejection};
use retur_domain::{CaseId, Role};
use serde::Deserialize;
use uuid::Uuid;

use super::case::{self, Extra};
use super::i18n::{self, t};
use super::{PageError, SignedIn, case_id};
use retur_api::ApiState;

#[derive(Deserialize)]
pub(crate) struct NoteForm {
    #[serde(default)]
    text: String,
    #[serde(rename = "_command_id")]
    command_id: Option<Uuid>,
}

/// The form to write a note, with what came back and why, if it did.
pub(crate) fn form(case_id: CaseId, role: Role, came_back: Option<&(String, String)>) -> Markup {
    let (typed, problem) = match came_back {
        Some((typed, problem)) => (typed.as_str(), Some(problem.as_str())),
        None => ("", None),
    };
    html! {
        section.notes aria-labelledby="notes-heading" {
            h2 id="notes-heading" { (t!("note-heading")) }
            p.hint id="note-hint" { (t!("note-hint", agency = role.as_str().to_uppercase())) }
            form.card method="post" action={ "/ui/cases/" (case_id) "/notes" } data-command="write_note" {
                input type="hidden" name="_command_id" value=(Uuid::now_v7());
                div.field.invalid[problem.is_some()] {
                    label for="note-text" { (t!("note-label")) }
                    @if let Some(problem) = problem { p.error id="note-text-error" { (problem) } }
                    textarea id="note-text" name="text" rows="3" required
                        aria-invalid=[problem.map(|_| "true")]
                        aria-describedby={ "note-hint" @if problem.is_some() { " note-text-error" } } { (typed) }
                }
                button type="submit" { (t!("note-write")) }
            }
        }
    }
}

pub(crate) async fn write(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path(case): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, PageError> {
    let case_id = case_id(&case)?;
    let came_back = |problem: String| Extra {
        note: Some((form.text.clone(), problem)),
        ..Extra::default()
    };
    if form.text.trim().is_empty() {
        let extra = came_back(t!("note-empty"));
        return case::render(&state, &signed_in, case_id, extra).await;
    }
    let command_id = form.command_id.unwrap_or_else(Uuid::now_v7);
    match state
        .cases
        .write_note(&signed_in.caller, case_id, &form.text, command_id)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/ui/cases/{case_id}?noted=1#notes-heading")).into_response())
        }
        Err(CommandError::Rejected(Rejection::Refused(refusal))) => {
            let extra = came_back(i18n::refusal(&refusal));
            case::render(&state, &signed_in, case_id, extra).await
        }
        Err(other) => Err(other.into()),
    }
}
