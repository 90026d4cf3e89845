//! A second step for what cannot be undone: approving, refusing, withdrawing, erasing and
//! closing are each confirmed on a page that says what will happen, with what was typed sent
//! again only when the person confirms it. Before approving, UDI sees what the approval would
//! grant, decided by the same `decide` without writing.

use std::collections::BTreeMap;

use maud::{Markup, html};
use retur_app::Caller;
use retur_domain::event::ApplicationApproved;
use retur_domain::{Action, CaseId, CommandKind, Event};

use super::i18n::{self, t};
use super::{SignedIn, layout, words};
use retur_api::ApiState;

/// The field a confirmed form carries.
pub(crate) const CONFIRMED: &str = "_confirmed";

/// The field that carries what the preview showed, so that what is confirmed is what was seen.
pub(crate) const PREVIEWED: &str = "_preview";

/// What was shown, before confirming: the preview's Markup and a digest of the events it was
/// made from.
pub(crate) struct Preview {
    pub(crate) shown: Markup,
    pub(crate) digest: String,
}

/// A digest of the events a preview was made from. Not a safeguard against anyone (the command
/// is decided again when it is given): it tells the person confirming that what they saw has
/// changed since (the day turned, a birthday passed, the rules changed).
fn digest(events: &[Event]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{events:?}").hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Whether a confirmed form's preview is no longer what the command would record.
pub(crate) fn changed(values: &[(String, String)], preview: Option<&Preview>) -> bool {
    let sent = values
        .iter()
        .find(|(k, _)| k == PREVIEWED)
        .map(|(_, v)| v.as_str());
    preview.is_some_and(|preview| sent != Some(preview.digest.as_str()))
}

/// Whether `kind` asks for a second step.
pub(crate) fn irreversible(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::Approve
            | CommandKind::Refuse
            | CommandKind::Withdraw
            | CommandKind::ErasePersonalData
            | CommandKind::CloseCase
            | CommandKind::RevokeApproval
            | CommandKind::DismissAppeal
            | CommandKind::DismissAppealAtUne
            | CommandKind::RejectAppeal
            | CommandKind::RecordForcedReturn
            | CommandKind::ClaimRepayment
    )
}

/// Whether the form was sent from the confirmation page.
pub(crate) fn confirmed(values: &[(String, String)]) -> bool {
    values.iter().any(|(k, v)| k == CONFIRMED && v == "yes")
}

/// The page that asks to confirm: what will happen, and the form again, hidden, to send.
pub(crate) fn page(
    signed_in: &SignedIn,
    case_id: CaseId,
    kind: CommandKind,
    values: &[(String, String)],
    preview: Option<Preview>,
    changed: bool,
    names: &BTreeMap<String, String>,
) -> Markup {
    let key = kind.name().replace('_', "-");
    let danger = kind == CommandKind::ErasePersonalData;
    let title = t!("confirm-title", command = words(kind.name()));
    let body = html! {
        h1 { (title) }
        div class={ "banner " (if danger { "error" } else { "notice" }) } role="alert" {
            p data-testid="confirm-what" { (i18n::message(&format!("confirm-what-{key}"))) }
            // Whom it is about, where the command names a person.
            @for (_, person) in values.iter().filter(|(k, _)| k == "person_id") {
                p data-testid="confirm-who" {
                    (t!("confirm-person")) " "
                    strong { bdi { (names.get(person).cloned().unwrap_or_else(|| person.clone())) } }
                }
            }
            p { strong { (t!("confirm-cannot-undo")) } }
        }
        @if changed {
            div.banner.conflict role="alert" data-testid="preview-changed" {
                strong { (t!("confirm-changed")) }
            }
        }
        @if let Some(preview) = &preview { (preview.shown) }
        form.confirm method="post" action={ "/ui/cases/" (case_id) "/commands/" (kind.name()) }
            data-confirm=(kind.name()) {
            @for (name, value) in values.iter().filter(|(k, _)| k != CONFIRMED && k != PREVIEWED) {
                input type="hidden" name=(name) value=(value);
            }
            @if let Some(preview) = &preview {
                input type="hidden" name=(PREVIEWED) value=(preview.digest);
            }
            input type="hidden" name=(CONFIRMED) value="yes";
            button type="submit" class=[danger.then_some("danger")] {
                (t!("confirm-yes", command = words(kind.name())))
            }
            " "
            a href={ "/ui/cases/" (case_id) } { (t!("confirm-back")) }
        }
    };
    layout::page(&title, Some(signed_in), body)
}

/// What approving the case now would grant, decided without writing; `None` when approval
/// would be refused (the page then offers no approval at all).
pub(crate) async fn approval_preview(
    state: &ApiState,
    caller: &Caller,
    case_id: CaseId,
    action: Action,
    names: &BTreeMap<String, String>,
) -> Option<Preview> {
    let events = state.cases.try_action(caller, case_id, action).await.ok()?;
    let approved = events.iter().find_map(|event| match event {
        Event::ApplicationApproved(approved) => Some(approved),
        _ => None,
    })?;
    Some(Preview {
        shown: grant(state, approved, names),
        digest: digest(&events),
    })
}

fn grant(
    state: &ApiState,
    approved: &ApplicationApproved,
    names: &BTreeMap<String, String>,
) -> Markup {
    let grant = &approved.grant;
    let rules = state.cases.rules();
    let sources = rules.amount_sources_on(
        approved.rules.effective_on,
        grant.country_programme.as_ref(),
    );
    let pocket = rules
        .in_force_on(approved.approved_on)
        .ok()
        .map(|r| r.pocket_money);
    html! {
        section.preview aria-labelledby="preview-heading" data-testid="approval-preview" {
            h2 id="preview-heading" { (t!("preview-heading")) }
            table {
                caption { (t!("preview-per-person")) }
                thead { tr {
                    th scope="col" { (t!("case-name")) }
                    th scope="col" { (t!("preview-age-group")) }
                    th scope="col" { (t!("preview-cash")) }
                    th scope="col" { (t!("preview-pocket-money")) }
                } }
                tbody {
                    @for person in &grant.persons {
                        @let id = person.person_id.to_string();
                        @let group = serde_json::to_value(person.age_group).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        tr {
                            th scope="row" { bdi { (names.get(&id).cloned().unwrap_or_else(|| super::queues::short_person(&id).to_owned())) } }
                            td { (words(&group)) }
                            td { (i18n::money(person.cash)) }
                            td {
                                @match (pocket, group.as_str()) {
                                    (Some(p), "child") => (i18n::money(p.child())),
                                    (Some(p), _) => (i18n::money(p.adult())),
                                    (None, _) => "—",
                                }
                            }
                        }
                    }
                }
            }
            dl.facts {
                dt { (t!("preview-total")) } dd data-testid="preview-total" { strong { (i18n::money(grant.cash)) } }
                dt { (t!("preview-rates")) } dd { (words(&grant.rate_table)) ", " (words(serde_json::to_value(grant.tier).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default().as_str()).to_lowercase()) }
                @if let Some(country) = &grant.country_programme {
                    dt { (t!("preview-programme")) } dd { (i18n::country(country)) }
                }
                @if !grant.in_kind.is_empty() {
                    dt { (t!("preview-in-kind")) } dd {
                        @for (i, item) in grant.in_kind.iter().enumerate() {
                            @if i > 0 { "; " }
                            (i18n::money(item.amount))
                            @if let Some(what) = &item.what { " (" (what) ")" }
                        }
                    }
                }
                dt { (t!("preview-schedule")) } dd {
                    @for (i, tranche) in grant.schedule.iter().enumerate() {
                        @if i > 0 { "; " }
                        (t!("preview-tranche", amount = i18n::money(tranche.amount), months = tranche.months_after_arrival))
                    }
                }
                dt { (t!("preview-travel-deadline")) } dd { (i18n::date(approved.travel_deadline)) }
            }
            h3 { (t!("preview-sources")) }
            ul.sources {
                @for source in sources {
                    li { (source) }
                }
            }
        }
    }
}
