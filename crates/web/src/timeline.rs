//! A case's events as people read them: one sentence each in the page's language ("UDI
//! approved the application: 30 000 kr for 2 people"), with the event's data folded away
//! beneath it for whoever wants the detail.

use std::collections::BTreeMap;

use maud::{Markup, html};
use retur_app::HistoryEntry;
use retur_domain::{CaseId, Money};
use serde_json::Value;

use super::i18n::{self, t};
use super::{local_time, phrase};

/// Who did something, as a sentence names them: the agency, the applicant or the system.
fn who(role: &str) -> String {
    match role {
        "udi" => "UDI".to_owned(),
        "une" => "UNE".to_owned(),
        "iom" => "IOM".to_owned(),
        "applicant" => t!("timeline-who-applicant"),
        _ => t!("timeline-who-system"),
    }
}

fn text<'a>(data: &'a Value, pointer: &str) -> Option<&'a str> {
    data.pointer(pointer).and_then(Value::as_str)
}

fn day(data: &Value, pointer: &str) -> String {
    text(data, pointer)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map_or_else(String::new, i18n::date)
}

fn money(data: &Value, pointer: &str) -> String {
    data.pointer(pointer)
        .and_then(as_money)
        .map_or_else(String::new, i18n::money)
}

fn as_money(value: &Value) -> Option<Money> {
    let map = value.as_object().filter(|map| map.len() == 2)?;
    let currency = retur_domain::Currency::parse(map.get("currency")?.as_str()?).ok()?;
    Some(Money::new(currency, map.get("minor_units")?.as_i64()?))
}

fn count(data: &Value, pointer: &str) -> usize {
    data.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The sentence that says what an event was: a message per kind of event, with the figures
/// that matter in it; an event without one says who did what, in the event's words.
pub(crate) fn sentence(entry: &HistoryEntry) -> String {
    let data = &entry.data;
    let who = who(&entry.role);
    match entry.event_type.as_str() {
        "application_submitted" => t!(
            "timeline-application-submitted",
            people = count(data, "/household"),
            country = text(data, "/return_country")
                .and_then(|c| retur_domain::CountryCode::parse(c).ok())
                .map_or_else(String::new, |c| i18n::country(&c))
        ),
        "application_approved" => t!(
            "timeline-application-approved",
            who = who,
            amount = money(data, "/grant/cash"),
            people = count(data, "/grant/persons"),
            deadline = day(data, "/travel_deadline")
        ),
        "application_refused" => t!(
            "timeline-application-refused",
            who = who,
            deadline = day(data, "/appeal_deadline")
        ),
        "appeal_lodged" => t!("timeline-appeal-lodged", posted = day(data, "/posted_on")),
        "departure_booked" | "departure_rebooked" | "departure_rescheduled" => t!(
            "timeline-departure-booked",
            who = who,
            flight = text(data, "/booking/flight").unwrap_or_default(),
            on = day(data, "/booking/departs_on"),
            from = text(data, "/booking/from_airport").unwrap_or_default()
        ),
        "pocket_money_paid" | "reintegration_tranche_paid" => t!(
            "timeline-paid",
            who = who,
            what = phrase(&entry.event_type),
            amount = money(data, "/amount")
        ),
        other => t!("timeline-did", who = who, what = phrase(other)),
    }
}

/// The case's short reference, from its application (see `retur_projections::reference`).
pub(crate) fn reference_of(entries: &[HistoryEntry]) -> Option<String> {
    let submitted = entries
        .iter()
        .find(|e| e.event_type == "application_submitted")?;
    let at = submitted
        .data
        .get("submitted_at")
        .and_then(Value::as_str)
        .and_then(|at| at.parse::<chrono::DateTime<chrono::Utc>>().ok())?;
    Some(retur_projections::reference(submitted.position, at))
}

/// The events, newest first: when, the sentence, and the data the role may see, folded.
pub(crate) fn timeline(
    case_id: CaseId,
    entries: &[HistoryEntry],
    notes: &[retur_app::Note],
    names: &BTreeMap<String, String>,
) -> Markup {
    // The agency's own notes stand among the events, in the order the log has them.
    let mut items: Vec<(u64, Option<&HistoryEntry>, Option<&retur_app::Note>)> = entries
        .iter()
        .map(|e| (e.position, Some(e), None))
        .chain(notes.iter().map(|n| (n.position, None, Some(n))))
        .collect();
    items.sort_by_key(|(position, _, _)| std::cmp::Reverse(*position));
    html! {
        ol.timeline reversed {
            @for (_, entry, note) in &items {
                @if let Some(note) = note {
                    li.note data-event="note_written" {
                        div.when { (local_time(note.at)) " · " (t!("note-by", by = note.by.clone())) }
                        @match &note.text {
                            Some(text) => p.what.note-text { (text) },
                            None => p.withheld { (t!("note-erased")) },
                        }
                    }
                }
                @if let Some(entry) = entry {
                li data-event=(entry.event_type) {
                    div.when {
                        (local_time(entry.decided_at.unwrap_or(entry.recorded_at))) " · "
                        a href={ "/ui/cases/" (case_id) "?at=" (entry.position) } {
                            (t!("timeline-version", version = entry.version))
                        }
                    }
                    p.what { (sentence(entry)) }
                    @if entry.redacted {
                        p.withheld data-testid="withheld" { (t!("timeline-withheld")) }
                    }
                    @let rows = flatten(&entry.data, names);
                    @if !rows.is_empty() {
                        details {
                            summary { (t!("timeline-details", actor = entry.actor.clone())) }
                            dl.data {
                                @for (key, value) in rows {
                                    dt { (key) } dd { (value) }
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

/// An event's data as label and value rows: nested objects by path, people by name, and the
/// bookkeeping of rules and times left to the audit.
pub(crate) fn flatten(data: &Value, names: &BTreeMap<String, String>) -> Vec<(String, String)> {
    fn walk(
        prefix: &str,
        value: &Value,
        names: &BTreeMap<String, String>,
        out: &mut Vec<(String, String)>,
    ) {
        match value {
            Value::Null => {}
            Value::Object(_) if as_money(value).is_some() => {
                out.push((
                    prefix.to_owned(),
                    as_money(value).map(i18n::money).unwrap_or_default(),
                ));
            }
            Value::Object(map) => {
                for (key, inner) in map {
                    if prefix.is_empty() && matches!(key.as_str(), "rules" | "household") {
                        continue;
                    }
                    let label = match names.get(key) {
                        Some(name) => name.clone(),
                        None if key == "personal" => String::new(),
                        None => phrase(key),
                    };
                    let path = match (prefix.is_empty(), label.is_empty()) {
                        (true, _) => capital(&label),
                        (false, true) => prefix.to_owned(),
                        (false, false) => format!("{prefix}, {label}"),
                    };
                    match (key.as_str(), inner.as_str()) {
                        // A language reads by its name, not its ISO code.
                        ("language", Some(code)) => out.push((path, i18n::language(code))),
                        _ => walk(&path, inner, names, out),
                    }
                }
            }
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                let text: Vec<String> = items.iter().map(|i| scalar(i, names)).collect();
                out.push((prefix.to_owned(), text.join(", ")));
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{prefix} {}", i + 1), item, names, out);
                }
            }
            other => out.push((prefix.to_owned(), scalar(other, names))),
        }
    }
    /// A person's id reads as their name, where the role may see it; a date as a date.
    fn scalar(value: &Value, names: &BTreeMap<String, String>) -> String {
        match value {
            Value::String(text) => match (names.get(text), text.parse::<chrono::NaiveDate>()) {
                (Some(name), _) => name.clone(),
                (None, Ok(day)) => i18n::date(day),
                (None, Err(_)) if text.parse::<chrono::DateTime<chrono::Utc>>().is_ok() => text
                    .parse::<chrono::DateTime<chrono::Utc>>()
                    .map(i18n::time)
                    .unwrap_or_default(),
                // A code (a tier, a method, a role) reads as its words.
                (None, Err(_)) => i18n::code(text).unwrap_or_else(|| text.clone()),
            },
            Value::Bool(true) => t!("yes"),
            Value::Bool(false) => t!("no"),
            other => other.to_string(),
        }
    }
    fn capital(text: &str) -> String {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
    let mut out = Vec::new();
    walk("", data, names, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::PageContext;
    use crate::i18n::Lang;

    fn entry(event_type: &str, role: &str, data: Value) -> HistoryEntry {
        HistoryEntry {
            position: 7,
            version: 3,
            event_type: event_type.to_owned(),
            recorded_at: chrono::Utc::now(),
            decided_at: None,
            actor: "udi-kari".to_owned(),
            role: role.to_owned(),
            data,
            redacted: false,
        }
    }

    #[test]
    fn an_approval_reads_as_one_sentence_with_its_figures() {
        let approved = entry(
            "application_approved",
            "udi",
            json!({
                "travel_deadline": "2027-01-10",
                "grant": {
                    "cash": { "currency": "NOK", "minor_units": 3_000_000 },
                    "persons": [{}, {}],
                },
            }),
        );
        PageContext::with_lang(Lang::Nb, || {
            assert_eq!(
                sentence(&approved),
                "UDI innvilget søknaden: 30\u{a0}000\u{a0}kr for 2 personer. Utreisefrist 10.01.2027."
            );
        });
        PageContext::with_lang(Lang::En, || {
            assert_eq!(
                sentence(&approved),
                "UDI approved the application: NOK\u{a0}30,000 for 2 people. Travel deadline 10 Jan 2027."
            );
        });
    }

    /// The details beneath a sentence name their fields and codes in words, never raw.
    #[test]
    fn details_read_in_words() {
        let data = json!({
            "approved_on": "2026-03-02",
            "grant": { "tier": "before_deadline", "rate_table": "standard-2024" },
            "visible_to": ["udi", "auditor"],
            "contact": { "language": "ti" },
            "submitted_at": "2026-03-02T09:00:00Z",
        });
        let rows = PageContext::with_lang(Lang::Nb, || flatten(&data, &BTreeMap::new()));
        assert_eq!(
            rows,
            [
                ("Innvilget".to_owned(), "02.03.2026".to_owned()),
                ("Kontakt, språk".to_owned(), "tigrinja".to_owned()),
                (
                    "Støtte, satstabell".to_owned(),
                    "Standardsatser (2024)".to_owned()
                ),
                (
                    "Støtte, satsnivå".to_owned(),
                    "Før utreisefristen".to_owned()
                ),
                ("Søkt".to_owned(), "02.03.2026 10:00 CET".to_owned()),
                ("Synlig for".to_owned(), "UDI, Revisor".to_owned()),
            ]
        );
    }

    #[test]
    fn an_event_without_a_sentence_of_its_own_says_who_did_what() {
        let started = entry("review_started", "udi", json!({}));
        PageContext::with_lang(Lang::Nb, || {
            assert_eq!(sentence(&started), "UDI: behandling startet.");
        });
    }
}
