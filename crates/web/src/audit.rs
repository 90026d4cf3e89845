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
    let body = html! {
        h1 { "Audit" }
        section aria-labelledby="verdict" {
            h2 id="verdict" { "The log" }
            @if report.is_clean() {
                (layout::banner("notice", html! { strong data-testid="verdict" { "The log verifies." } " The hash chain is whole, every case's history obeys the rules, and every stored status and command record says what the log says." }))
            } @else {
                (layout::banner("error", html! { strong data-testid="verdict" { "The log does not verify." } " See what was found below." }))
            }
            dl.facts {
                dt { "Events checked in the chain" } dd { (chain.checked) }
                dt { "Last good position" } dd { (chain.last) }
                dt { "Hash there" } dd { code.hash { (chain.last_hash.to_hex()) } }
                dt { "Chain" } dd {
                    @match &chain.broken {
                        None => "whole",
                        Some(b) => { strong { "broken at position " (b.position) } ": " (b.problem) },
                    }
                }
                dt { "Cases replayed" } dd { (report.streams) }
                dt { "Commands decided again" } dd { (report.commands_replayed) }
                dt { "Commands that cannot be decided again" } dd {
                    (report.not_replayable)
                    " (no decision time recorded, or the personal data they need was erased)"
                }
                dt { "First event that breaks a case's rules" } dd {
                    @match &report.first_illegal {
                        None => "none",
                        Some(i) => { strong { "position " (i.position) } " in " (i.stream_id) ": " (i.problem) },
                    }
                }
                dt { "Stored statuses and command records compared with the log" } dd data-testid="derived" {
                    (report.derived.statuses_checked) " statuses, " (report.derived.commands_checked) " command records: "
                    @if report.derived.mismatch_count == 0 { "all as the log says" }
                    @else { strong { (report.derived.mismatch_count) " differ" } }
                }
                @if let Some(extends) = &report.against {
                    dt { "Against the checkpoint" } dd data-testid="against" { (extends_words(extends)) }
                }
            }
        }
        @if !report.derived.mismatches.is_empty() {
            section aria-labelledby="mismatches" {
                h2 id="mismatches" { "Derived tables that differ from the log" }
                p { "Every read of a case's status, every queue and the deadline scheduler go by the stored statuses; a retried command is answered from its record. These rows say something the log does not." }
                div.scroll tabindex="0" role="region" aria-labelledby="mismatches" {
                table data-testid="mismatches" {
                    thead { tr { th scope="col" { "Table" } th scope="col" { "Case" } th scope="col" { "Position" } th scope="col" { "What differs" } } }
                    tbody {
                        @for m in &report.derived.mismatches {
                            tr {
                                td { (match m.table { DerivedTable::Status => "stored status", DerivedTable::CommandRecord => "command record" }) }
                                td { code { (m.stream_id) } }
                                td { (m.position) }
                                td { (m.problem) }
                            }
                        }
                    }
                }
                }
                @if report.derived.mismatch_count > report.derived.mismatches.len() as u64 {
                    p { "And " (report.derived.mismatch_count - report.derived.mismatches.len() as u64) " more." }
                }
            }
        }
        section aria-labelledby="head" {
            h2 id="head" { "The head checkpoint" }
            p { "Keep these two figures outside the database (or sign them with " code { "retur checkpoint" } "): a log that later "
                "fails to reach this position with this hash has been cut short or rewritten." }
            dl.facts {
                dt { "Position" } dd data-testid="head-position" { (head.position) }
                dt { "Hash" } dd { code.hash data-testid="head-hash" { (head.hash.to_hex()) } }
            }
        }
        section aria-labelledby="check" {
            h2 id="check" { "Check a signed checkpoint" }
            form.card method="post" action="/ui/audit" {
                (area("checkpoint", "Checkpoint (the JSON retur checkpoint printed)", &form.checkpoint, problems.get("checkpoint")))
                (area("public_key", "Your public key (PEM)", &form.public_key, problems.get("public_key")))
                button type="submit" { "Verify against it" }
            }
        }
        section aria-labelledby="travel" {
            h2 id="travel" { "A case as it stood on a day" }
            form.card.filters method="get" action="/ui/time-travel" {
                div.field { label for="travel-case" { "Case id" } input id="travel-case" name="case" required size="38"; }
                div.field { label for="travel-day" { "As of the end of" } input id="travel-day" type="date" name="as_of" required value=(today(state)); }
                button type="submit" { "Show" }
            }
        }
    };
    Ok(layout::page("Audit", Some(signed_in), body).into_response())
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
        Extends::Yes => "the log reaches the checkpoint's position with the hash it signed".into(),
        Extends::Truncated { head } => {
            format!("the log ends at position {head}, before the checkpoint: it has been cut short")
        }
        Extends::Rewritten { found } => format!(
            "the hash at the checkpoint's position is {}, not the one signed: the history has been rewritten",
            found.to_hex()
        ),
        Extends::ChainBroken => {
            "the chain breaks before the checkpoint's position, so what the log holds there is unknown".into()
        }
    }
}
