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
    AuditOptions, AuditReport, BreakKind, Checkpoint, CheckpointError, DerivedTable, Extends,
    IllegalKind, KeyProblem, MismatchKind, NotACheckpoint, Span, Unreadable, Unsealing,
    verifying_key_from_pem,
};
use serde::Deserialize;

use super::i18n::{self, count, t};
use super::{PageError, SignedIn, layout, phrase, today, words};
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
            problems.insert("public_key", checkpoint_error(&error));
            None
        }
    };
    let checkpoint = key.and_then(|key| match Checkpoint::read(form.checkpoint.trim(), &key) {
        Ok(checkpoint) => Some(checkpoint),
        Err(error) => {
            problems.insert("checkpoint", checkpoint_error(&error));
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
                        Some(b) => { strong { (t!("audit-chain-broken-at", position = b.position.to_string())) } ": " (chain_break(&b.kind)) },
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
                            ": " (illegal(&i.kind))
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
                                td { (mismatch(&m.kind)) }
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

/// How the hash chain breaks, in the page's language.
fn chain_break(kind: &BreakKind) -> String {
    match kind {
        BreakKind::Missing { position } => {
            t!("audit-break-missing", position = position.to_string())
        }
        BreakKind::Skipped { missing, next } => t!(
            "audit-break-skipped",
            missing = missing.to_string(),
            next = next.to_string()
        ),
        BreakKind::HashDiffers { stored, computed } => t!(
            "audit-break-hash-differs",
            stored = stored.to_hex(),
            computed = computed.to_hex()
        ),
    }
}

/// Why a command in a case's history is illegal, in the page's language.
fn illegal(kind: &IllegalKind) -> String {
    match kind {
        IllegalKind::Unreadable { position, why } => t!(
            "audit-illegal-unreadable",
            position = position.to_string(),
            why = unreadable(why)
        ),
        IllegalKind::NotACommand { events } => {
            let events: Vec<String> = events
                .iter()
                .map(|event| t!("audit-quoted", text = words(event)))
                .collect();
            t!("audit-illegal-not-a-command", events = events.join(", "))
        }
        IllegalKind::InvalidActor { actor, role } => t!(
            "audit-illegal-invalid-actor",
            actor = actor.as_str(),
            role = role.as_str()
        ),
        IllegalKind::OtherEvents => t!("audit-illegal-other-events"),
        IllegalKind::Refused(refusal) => {
            // The domain's own sentence names its figures; the rule's sentence is in words.
            let refusal = i18n::in_page_language(refusal.to_string(), || i18n::refusal(refusal));
            t!("audit-illegal-refused", refusal = refusal)
        }
    }
}

/// Why an event cannot be read, in the page's language. An event type this build knows is
/// named in words; an unknown one as it is stored.
fn unreadable(why: &Unreadable) -> String {
    match why {
        Unreadable::SchemaVersion(version) => {
            t!(
                "audit-unreadable-schema-version",
                version = version.to_string()
            )
        }
        Unreadable::UnknownType(event_type) => {
            t!(
                "audit-unreadable-unknown-type",
                event_type = event_type.as_str()
            )
        }
        Unreadable::UnknownVersion {
            event_type,
            version,
            newest,
        } => t!(
            "audit-unreadable-unknown-version",
            event_type = words(event_type),
            version = version.to_string(),
            newest = newest.to_string()
        ),
        Unreadable::Payload { event_type, detail } => t!(
            "audit-unreadable-payload",
            event_type = words(event_type),
            detail = detail.as_str()
        ),
        Unreadable::Sealed { person, why } => {
            let why = match why {
                Unsealing::NotBase64 => t!("audit-unsealing-not-base64"),
                Unsealing::TooShort => t!("audit-unsealing-too-short"),
                Unsealing::DoesNotOpen => t!("audit-unsealing-does-not-open"),
                Unsealing::NotJson(detail) => {
                    t!("audit-unsealing-not-json", detail = detail.as_str())
                }
            };
            t!(
                "audit-unreadable-sealed",
                person = person.to_string(),
                why = why
            )
        }
    }
}

/// How a row of a derived table differs from the log, in the page's language: states, roles
/// and deadlines in words, dates as the page writes them.
fn mismatch(kind: &MismatchKind) -> String {
    let deadline = |deadline: &Option<retur_app::Deadline>| match deadline {
        Some(d) => t!(
            "audit-deadline",
            kind = words(d.kind.name()),
            date = i18n::date(d.on)
        ),
        None => t!("audit-no-deadline"),
    };
    let span = |span: &Span| {
        t!(
            "audit-span",
            stream = span.stream_id.as_str(),
            first = span.first_version.to_string(),
            last = span.last_version.to_string(),
            from = span.first_position.to_string(),
            to = span.last_position.to_string()
        )
    };
    match kind {
        MismatchKind::NoStatus => t!("audit-mismatch-no-status"),
        MismatchKind::StatusBehind {
            version,
            position,
            log_version,
        } => t!(
            "audit-mismatch-status-behind",
            version = version.to_string(),
            position = position.to_string(),
            log_version = log_version.to_string()
        ),
        MismatchKind::StatusElsewhere {
            position,
            version,
            log_position,
        } => t!(
            "audit-mismatch-status-elsewhere",
            position = position.to_string(),
            version = version.to_string(),
            log_position = log_position.to_string()
        ),
        MismatchKind::StatusUnreadable { state, log } => t!(
            "audit-mismatch-status-unreadable",
            state = state.as_str(),
            log = phrase(log.name())
        ),
        MismatchKind::OtherState { stored, log } => t!(
            "audit-mismatch-other-state",
            stored = phrase(stored.name()),
            log = phrase(log.name())
        ),
        MismatchKind::OtherOwner { stored, log } => {
            let nobody = || t!("audit-nobody");
            t!(
                "audit-mismatch-other-owner",
                stored = stored.as_deref().map_or_else(nobody, phrase),
                log = log.map_or_else(nobody, |role| phrase(role.as_str()))
            )
        }
        MismatchKind::OtherDeadline { stored, log } => t!(
            "audit-mismatch-other-deadline",
            stored = deadline(stored),
            log = deadline(log)
        ),
        MismatchKind::OtherFigures { stored, log } => t!(
            "audit-mismatch-other-figures",
            stored = stored.as_str(),
            log = log.as_str()
        ),
        MismatchKind::NoRecord { command } => {
            t!("audit-mismatch-no-record", command = command.to_string())
        }
        MismatchKind::OtherRecord {
            command,
            record,
            log,
        } => t!(
            "audit-mismatch-other-record",
            command = command.to_string(),
            record = span(record),
            log = span(log)
        ),
        MismatchKind::StatusUnbacked { version, position } => t!(
            "audit-mismatch-status-unbacked",
            version = version.to_string(),
            position = position.to_string()
        ),
        MismatchKind::RecordUnbacked { command, position } => t!(
            "audit-mismatch-record-unbacked",
            command = command.to_string(),
            position = position.to_string()
        ),
    }
}

/// Why a pasted checkpoint or public key cannot be used, in the page's language.
fn checkpoint_error(error: &CheckpointError) -> String {
    match error {
        CheckpointError::Malformed(wrong) => match wrong {
            NotACheckpoint::NotJson { line, column, .. } => t!(
                "audit-checkpoint-not-json",
                line = line.to_string(),
                column = column.to_string()
            ),
            NotACheckpoint::NotAnObject => t!("audit-checkpoint-not-an-object"),
            NotACheckpoint::MissingField(field) => {
                t!("audit-checkpoint-missing-field", field = *field)
            }
            NotACheckpoint::UnknownField(field) => {
                t!("audit-checkpoint-unknown-field", field = field.as_str())
            }
            NotACheckpoint::WrongType { field } => {
                t!("audit-checkpoint-wrong-type", field = *field)
            }
            NotACheckpoint::OtherVersion { found } => {
                t!("audit-checkpoint-other-version", found = found.as_str())
            }
            NotACheckpoint::NotHex { field, digits } => t!(
                "audit-checkpoint-not-hex",
                field = *field,
                digits = digits.to_string()
            ),
        },
        CheckpointError::OtherKey { found, expected } => t!(
            "audit-checkpoint-other-key",
            found = found.as_str(),
            expected = expected.as_str()
        ),
        CheckpointError::BadSignature => t!("audit-checkpoint-bad-signature"),
        CheckpointError::Key { why, .. } => match why {
            KeyProblem::NotPem => t!("audit-key-not-pem"),
            KeyProblem::OtherKind { expected } => t!("audit-key-other-kind", expected = *expected),
            KeyProblem::OtherAlgorithm => t!("audit-key-other-algorithm"),
            KeyProblem::Malformed => t!("audit-key-malformed"),
        },
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
    use std::collections::BTreeSet;

    use retur_app::{Deadline, DeadlineKind, Hash, Illegal};
    use retur_domain::{CommandKind, Refusal, Role, Status};

    use super::*;
    use crate::i18n::Lang;

    /// One finding of each kind, and each reason a pasted checkpoint or key is refused, as the
    /// page says them; with the figures in each (hashes, ids, JSON, text as it was stored),
    /// which are the log's and in no language.
    fn every_finding() -> Vec<(String, Vec<String>)> {
        let person = uuid::Uuid::from_u128(7);
        let command = uuid::Uuid::from_u128(9);
        let (stored, computed) = (Hash([1; 32]), Hash([2; 32]));
        let hashes = vec![stored.to_hex(), computed.to_hex()];
        let none = Vec::new;
        let mut said = vec![
            (chain_break(&BreakKind::Missing { position: 9 }), none()),
            (
                chain_break(&BreakKind::Skipped {
                    missing: 9,
                    next: 11,
                }),
                none(),
            ),
            (
                chain_break(&BreakKind::HashDiffers { stored, computed }),
                hashes,
            ),
        ];
        let unreadable = [
            Unreadable::SchemaVersion(70_000),
            Unreadable::UnknownType("xq_zv".to_owned()),
            Unreadable::UnknownVersion {
                event_type: "review_started".to_owned(),
                version: 9,
                newest: 1,
            },
            Unreadable::Payload {
                event_type: "application_refused".to_owned(),
                detail: "missing field `reasons`".to_owned(),
            },
            Unreadable::Sealed {
                person,
                why: Unsealing::NotBase64,
            },
            Unreadable::Sealed {
                person,
                why: Unsealing::TooShort,
            },
            Unreadable::Sealed {
                person,
                why: Unsealing::DoesNotOpen,
            },
            Unreadable::Sealed {
                person,
                why: Unsealing::NotJson("expected value".to_owned()),
            },
        ];
        let illegal_kinds = unreadable
            .into_iter()
            .map(|why| IllegalKind::Unreadable { position: 5, why })
            .chain([
                IllegalKind::NotACommand {
                    events: vec!["review_started", "case_closed"],
                },
                IllegalKind::InvalidActor {
                    actor: "xq-1".to_owned(),
                    role: "zv".to_owned(),
                },
                IllegalKind::OtherEvents,
                IllegalKind::Refused(Refusal::WrongState {
                    command: CommandKind::CloseCase,
                    status: Status::UnderReview,
                }),
            ]);
        for kind in illegal_kinds {
            let figures = vec![
                person.to_string(),
                "xq_zv".to_owned(),
                "xq-1".to_owned(),
                "zv".to_owned(),
            ];
            said.push((illegal(&kind), figures));
        }
        let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("a day");
        let span = |stream: &str, first| Span {
            stream_id: stream.to_owned(),
            first_version: 1,
            last_version: 2,
            first_position: first,
            last_position: first + 1,
        };
        let figures = r#"{"household_size":9}"#.to_owned();
        let mismatches = [
            MismatchKind::NoStatus,
            MismatchKind::StatusBehind {
                version: 1,
                position: 3,
                log_version: 2,
            },
            MismatchKind::StatusElsewhere {
                position: 3,
                version: 2,
                log_position: 4,
            },
            MismatchKind::StatusUnreadable {
                state: "xq".to_owned(),
                log: Status::Refused,
            },
            MismatchKind::OtherState {
                stored: Status::Approved,
                log: Status::UnderReview,
            },
            MismatchKind::OtherOwner {
                stored: None,
                log: Some(Role::Applicant),
            },
            MismatchKind::OtherOwner {
                stored: Some("udi".to_owned()),
                log: None,
            },
            MismatchKind::OtherDeadline {
                stored: Some(Deadline {
                    kind: DeadlineKind::AppealWindowCloses,
                    on,
                }),
                log: None,
            },
            MismatchKind::OtherFigures {
                stored: figures.clone(),
                log: figures.clone(),
            },
            MismatchKind::NoRecord { command },
            MismatchKind::OtherRecord {
                command,
                record: span("case-a", 3),
                log: span("case-b", 5),
            },
            MismatchKind::StatusUnbacked {
                version: 4,
                position: 8,
            },
            MismatchKind::RecordUnbacked {
                command,
                position: 8,
            },
        ];
        for kind in mismatches {
            let figures = vec![
                command.to_string(),
                figures.clone(),
                "case-a".to_owned(),
                "case-b".to_owned(),
                "xq".to_owned(),
            ];
            said.push((mismatch(&kind), figures));
        }
        let malformed = [
            NotACheckpoint::NotJson {
                line: 2,
                column: 17,
                detail: "EOF while parsing a value at line 2 column 17".to_owned(),
            },
            NotACheckpoint::NotAnObject,
            NotACheckpoint::MissingField("made_at"),
            NotACheckpoint::UnknownField("xq".to_owned()),
            NotACheckpoint::WrongType { field: "position" },
            NotACheckpoint::WrongType { field: "made_at" },
            NotACheckpoint::WrongType { field: "hash" },
            NotACheckpoint::OtherVersion {
                found: "v0".to_owned(),
            },
            NotACheckpoint::NotHex {
                field: "signature",
                digits: 128,
            },
        ];
        let key = |why| CheckpointError::Key {
            why,
            detail: "PEM error".to_owned(),
        };
        let refused = malformed
            .into_iter()
            .map(CheckpointError::Malformed)
            .chain([
                CheckpointError::OtherKey {
                    found: "ab".repeat(32),
                    expected: "cd".repeat(32),
                },
                CheckpointError::BadSignature,
                key(KeyProblem::NotPem),
                key(KeyProblem::OtherKind {
                    expected: "PUBLIC KEY",
                }),
                key(KeyProblem::OtherAlgorithm),
                key(KeyProblem::Malformed),
            ]);
        for error in refused {
            // A checkpoint's fields are named as they are written in it, and a command and a
            // PEM text's first line as they are typed.
            let figures = [
                "made_at",
                "position",
                "hash",
                "signature",
                "xq",
                "v0",
                "retur-checkpoint-v1",
                "-----BEGIN PUBLIC KEY-----",
                "openssl pkey -pubout",
            ]
            .into_iter()
            .map(str::to_owned)
            .chain(["ab".repeat(32), "cd".repeat(32)])
            .collect();
            said.push((checkpoint_error(&error), figures));
        }
        said
    }

    /// The words of `text` once its figures are taken out, in lower case.
    fn words_of(text: &str, figures: &[String]) -> BTreeSet<String> {
        let mut text = text.to_owned();
        for figure in figures {
            text = text.replace(figure.as_str(), " ");
        }
        text.split(|c: char| !c.is_alphabetic())
            .filter(|word| word.chars().count() > 1)
            .map(str::to_lowercase)
            .collect()
    }

    /// Every kind of finding is said in bokmål on a bokmål page: no word of the English
    /// sentence is left in it (a message missing in bokmål would fall back to English, and
    /// the domain's own sentence for a refusal is English), and no message id shows.
    #[test]
    fn every_finding_is_said_in_bokmal_with_no_english_left() {
        let english = crate::PageContext::with_lang(Lang::En, every_finding);
        let bokmal = crate::PageContext::with_lang(Lang::Nb, every_finding);
        assert_eq!(english.len(), bokmal.len());
        // Words written alike in both languages: names, formats and the log's own terms.
        let alike: BTreeSet<&str> = [
            "udi", "json", "base", "nonce", "pem", "rfc", "ed", "person", "for", "status", "under",
            "form",
        ]
        .into();
        let mut english_left = Vec::new();
        for ((english, figures), (bokmal, _)) in english.iter().zip(&bokmal) {
            assert!(!bokmal.contains("audit-"), "{bokmal}");
            let (theirs, ours) = (words_of(english, figures), words_of(bokmal, figures));
            let left: Vec<&String> = ours
                .iter()
                .filter(|word| theirs.contains(*word) && !alike.contains(word.as_str()))
                .collect();
            if !left.is_empty() {
                english_left.push(format!("{left:?} in {bokmal:?} (English: {english:?})"));
            }
        }
        assert!(english_left.is_empty(), "{english_left:#?}");
        // The figures are in the bokmål too, with the states, roles and deadlines in words.
        let all: String = bokmal.iter().map(|(said, _)| said.as_str()).collect();
        for shown in [
            "den lagrede tilstanden er innvilget; ifølge loggen er den under behandling",
            "ifølge den lagrede statusen er det ingen som skal handle; ifølge loggen er det søker",
            "«Klagefristen går ut» 25.11.2026",
            "reglene avviser denne kommandoen: Dette kan ikke gjøres i tilstanden saken er i nå.",
            "«Behandling startet», «Sak avsluttet»",
            r#"{"household_size":9}"#,
            "case-a, versjon 1–2, posisjon 3–4",
        ] {
            assert!(all.contains(shown), "{shown:?} in {all}");
        }
    }

    /// On an English page a finding reads as the app's own sentence, with codes in words.
    #[test]
    fn an_english_page_says_a_finding_as_the_app_does() {
        let found = Illegal::new(
            5,
            "case-x".to_owned(),
            IllegalKind::Refused(Refusal::WrongState {
                command: CommandKind::CloseCase,
                status: Status::UnderReview,
            }),
        );
        let said = crate::PageContext::with_lang(Lang::En, || illegal(&found.kind));
        assert_eq!(said, found.problem());
        let kind = MismatchKind::OtherState {
            stored: Status::Approved,
            log: Status::Refused,
        };
        let said = crate::PageContext::with_lang(Lang::En, || mismatch(&kind));
        assert_eq!(said, kind.to_string());
    }

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
