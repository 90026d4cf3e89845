//! Letters on the case page: each decision's letter, to download as a PDF. Which letters a role
//! is given, and issuing them, is the app's (`Cases::letters`, `Cases::letter`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use retur_app::{CommandError, LetterRef, Rejection};
use retur_domain::CaseId;

use super::i18n::{self, t};
use super::{PageError, SignedIn, case_id};
use retur_api::ApiState;

/// The case's letters, for its page.
pub(crate) fn section(case_id: CaseId, letters: &[LetterRef]) -> Markup {
    html! {
        section aria-labelledby="letters-heading" {
            h2 id="letters-heading" { (t!("letters-heading")) }
            @if letters.is_empty() {
                p.empty { (t!("letters-none")) }
            } @else {
                p.hint { (t!("letters-hint")) }
                ul.letters data-testid="letters" {
                    @for letter in letters {
                        li data-kind=(letter.kind.name()) {
                            a href={ "/ui/cases/" (case_id) "/letters/" (letter.position) } download {
                                (i18n::message(&format!("letters-kind-{}", letter.kind.name().replace('_', "-"))))
                            }
                            " · " (i18n::date(letter.dated))
                            " · "
                            @match &letter.issued {
                                Some(issued) => span.issued { (t!("letters-issued", at = i18n::time(issued.issued_at))) " " code.hash title="SHA-256" { (issued.sha256.get(..12).unwrap_or_default()) "…" } },
                                None => span { (t!("letters-not-issued")) },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The letter as a PDF: issued the first time it is fetched.
pub(crate) async fn download(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path((case, position)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let case_id = case_id(&case)?;
    let not_found = || PageError::NotFound(t!("letters-no-such", position = position.clone()));
    let position: u64 = position.parse().map_err(|_| not_found())?;
    let made = match state
        .cases
        .letter(&signed_in.caller, case_id, position)
        .await
    {
        Ok(made) => made,
        Err(CommandError::Rejected(Rejection::NoSuchLetter { .. })) => return Err(not_found()),
        Err(other) => return Err(other.into()),
    };
    let name = format!(
        "retur-{}-{}.pdf",
        made.case_reference,
        made.reference.kind.name()
    );
    let mut response = made.pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
