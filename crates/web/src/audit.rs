//! The auditor's page: the whole log verified (the hash chain, and every case decided again),
//! the head to keep as a checkpoint, a signed checkpoint checked against the log, and a case
//! looked at as it stood on a day.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use retur_app::{
    AuditOptions, AuditReport, Checkpoint, DerivedTable, Extends, verifying_key_from_pem,
};
use serde::Deserialize;

use super::i18n::{count, t};
use super::{PageError, SignedIn, layout, today};
use retur_api::ApiState;

fn auditors_only(signed_in: &SignedIn) -> Result<(), PageError> {
    Ok(retur_app::authorize_read_of(
        &signed_in.caller,
        retur_app::Read::Audit,
    )?)
}

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    auditors_only(&signed_in)?;
    let report = state.cases.verify(|_| {}).await?;
    render(
        &state,
        &signed_in,
        &report,
        &CheckpointForm::default(),
        BTreeMap::new(),
    )
    .await
}

#[derive(Default, Deserialize)]
pub(crate) struct CheckpointForm {
    checkpoint: String,
    public_key: String,
}

/// The log verified against a checkpoint the auditor kept, signed with their key.
pub(crate) async fn against(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Form(form): Form<CheckpointForm>,
) -> Result<Response, PageError> {
    auditors_only(&signed_in)?;
    let mut problems = BTreeMap::new();
    let key = match verifying_key_from_pem(form.public_key.trim()) {
        Ok(key) => Some(key),
        Err(error) => {
            problems.insert("public_key", error.to_string());
            None
        }
    };
    let checkpoint = key.and_then(|key| match Checkpoint::read(form.checkpoint.trim(), &key) {
        Ok(checkpoint) => Some(checkpoint),
        Err(error) => {
            problems.insert("checkpoint", error.to_string());
            None
        }
    });
    let options = AuditOptions {
        against: checkpoint,
        ..AuditOptions::default()
    };
    let report = state.cases.verify_with(options, |_| {}).await?;
    let mut response = render(&state, &signed_in, &report, &form, problems.clone()).await?;
    if !problems.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn render(
    state: &ApiState,
    signed_in: &SignedIn,
    report: &AuditReport,
    form: &CheckpointForm,
    problems: BTreeMap<&str, String>,
) -> Result<Response, PageError> {
    let head = state
        .cases
        .store()
        .head()
        .await
        .map_err(|e| PageError::Failed(e.to_string()))?;
    let chain = &report.chain;
    let derived = &report.derived;
    let title = t!("audit-title");
    let body = html! {
        h1 { (title) }
        section aria-labelledby="verdict" {
            h2 id="verdict" { (t!("audit-the-log")) }
            @if report.is_clean() {
                (layout::banner("notice", html! { strong data-testid="verdict" { (t!("audit-verifies")) } " " (t!("audit-verifies-detail")) }))
            } @else {
                (layout::banner("error", html! { strong data-testid="verdict" { (t!("audit-does-not-verify")) } " " (t!("audit-does-not-verify-detail")) }))
            }
            dl.facts {
                dt { (t!("audit-events-checked")) } dd { (count(chain.checked)) }
                dt { (t!("audit-last-good-position")) } dd { (chain.last) }
                dt { (t!("audit-hash-there")) } dd { code.hash { (chain.last_hash.to_hex()) } }
                dt { (t!("audit-chain")) } dd {
                    @match &chain.broken {
                        None => (t!("audit-chain-whole")),
                        Some(b) => { strong { (t!("audit-chain-broken-at", position = b.position.to_string())) } ": " (b.problem) },
                    }
                }
                dt { (t!("audit-cases-replayed")) } dd { (count(report.streams)) }
                dt { (t!("audit-commands-replayed")) } dd { (count(report.commands_replayed)) }
                dt { (t!("audit-not-replayable")) } dd {
                    (t!("audit-not-replayable-count", shown = count(report.not_replayable)))
                }
                dt { (t!("audit-first-illegal")) } dd {
                    @match &report.first_illegal {
                        None => (t!("audit-first-illegal-none")),
                        Some(i) => {
                            strong { (t!("audit-first-illegal-at", position = i.position.to_string(), stream = i.stream_id.as_str())) }
                            ": " (i.problem)
                        },
                    }
                }
                dt { (t!("audit-derived")) } dd data-testid="derived" {
                    (t!("audit-derived-checked",
                        statuses = derived.statuses_checked, statuses_shown = count(derived.statuses_checked),
                        records = derived.commands_checked, records_shown = count(derived.commands_checked)))
                    " "
                    @if derived.mismatch_count == 0 { (t!("audit-derived-agree")) }
                    @else { strong { (t!("audit-derived-differ", count = derived.mismatch_count, shown = count(derived.mismatch_count))) } }
                }
                @if let Some(extends) = &report.against {
                    dt { (t!("audit-against")) } dd data-testid="against" { (extends_words(extends)) }
                }
            }
        }
        @if !derived.mismatches.is_empty() {
            section aria-labelledby="mismatches" {
                h2 id="mismatches" { (t!("audit-mismatches")) }
                p { (t!("audit-mismatches-why")) }
                div.scroll tabindex="0" role="region" aria-labelledby="mismatches" {
                table data-testid="mismatches" {
                    thead { tr {
                        th scope="col" { (t!("audit-table")) }
                        th scope="col" { (t!("audit-case")) }
                        th scope="col" { (t!("audit-position")) }
                        th scope="col" { (t!("audit-what-differs")) }
                    } }
                    tbody {
                        @for m in &derived.mismatches {
                            tr {
                                td { (match m.table { DerivedTable::Status => t!("audit-table-status"), DerivedTable::CommandRecord => t!("audit-table-command-record") }) }
                                td { code { (m.stream_id) } }
                                td { (m.position) }
                                td { (m.problem) }
                            }
                        }
                    }
                }
                }
                @let more = derived.mismatch_count.saturating_sub(derived.mismatches.len() as u64);
                @if more > 0 {
                    p { (t!("audit-more", count = more, shown = count(more))) }
                }
            }
        }
        section aria-labelledby="head" {
            h2 id="head" { (t!("audit-head")) }
            p { (t!("audit-head-keep")) }
            p { (t!("audit-head-sign")) " " code { "retur checkpoint" } }
            dl.facts {
                dt { (t!("audit-position")) } dd data-testid="head-position" { (head.position) }
                dt { (t!("audit-hash")) } dd { code.hash data-testid="head-hash" { (head.hash.to_hex()) } }
            }
        }
        section aria-labelledby="check" {
            h2 id="check" { (t!("audit-check")) }
            form.card method="post" action="/ui/audit" {
                (area("checkpoint", &t!("audit-checkpoint"), &form.checkpoint, problems.get("checkpoint")))
                (area("public_key", &t!("audit-public-key"), &form.public_key, problems.get("public_key")))
                button type="submit" { (t!("audit-verify-against")) }
            }
        }
        section aria-labelledby="travel" {
            h2 id="travel" { (t!("audit-travel")) }
            form.card.filters method="get" action="/ui/time-travel" {
                div.field { label for="travel-case" { (t!("audit-travel-case")) } input id="travel-case" name="case" required size="38"; }
                div.field { label for="travel-day" { (t!("audit-travel-day")) } input id="travel-day" type="date" name="as_of" required value=(today(state)); }
                button type="submit" { (t!("audit-travel-show")) }
            }
        }
    };
    Ok(layout::page(&title, Some(signed_in), body).into_response())
}

fn area(name: &str, label: &str, value: &str, problem: Option<&String>) -> Markup {
    html! {
        div.field.invalid[problem.is_some()] {
            label for=(name) { (label) }
            @if let Some(problem) = problem { p.error id={ (name) "-error" } { (problem) } }
            textarea id=(name) name=(name) rows="6" spellcheck="false" required
                aria-invalid=[problem.map(|_| "true")]
                aria-describedby=[problem.map(|_| format!("{name}-error"))] { (value) }
        }
    }
}

fn extends_words(extends: &Extends) -> String {
    match extends {
        Extends::Yes => t!("audit-extends"),
        Extends::Truncated { head } => t!("audit-extends-truncated", head = head.to_string()),
        Extends::Rewritten { found } => t!("audit-extends-rewritten", found = found.to_hex()),
        Extends::ChainBroken => t!("audit-extends-chain-broken"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_is_said_to_hold_or_not_in_the_pages_language() {
        let english =
            crate::PageContext::with_lang(crate::i18n::Lang::En, || extends_words(&Extends::Yes));
        assert_eq!(
            english,
            "the log reaches the checkpoint's position with the hash it signed"
        );
        assert_eq!(
            extends_words(&Extends::Truncated { head: 41 }),
            "loggen slutter ved posisjon 41, før kontrollpunktet: den er blitt avkortet"
        );
    }
}
