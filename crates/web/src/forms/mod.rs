//! A form for each command. A form's fields are named by the path of the command's JSON field
//! (`booking.departs_on`, `household[1].full_name`), so what is sent is built into exactly the
//! body the API takes and read by the API's own parser: a value the API refuses is refused here,
//! in the page's language, beside the field it names. Then the command goes to the same
//! `Cases::handle` as the API's, with the version the page showed: if someone changed the case
//! in between, the page says what changed instead of losing what was typed.
//!
//! One file per job: [`fields`] says what each command's form asks, [`render`] draws it,
//! [`read`] turns what was sent into the command's JSON, and this module sends it and places
//! what the API's parser said beside the field it names.

mod fields;
mod read;
mod render;

use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use retur_app::{CommandError, CommandRequest, Rejection};
use retur_domain::CommandKind;
use uuid::Uuid;

use super::case::{self, Extra};
use super::i18n::{self, t};
use super::{PageError, SignedIn};
use retur_api::ApiState;
use retur_api::dto::{CommandDto, WireError, WireErrorKind};

pub(crate) use fields::{Input, fields};
pub(crate) use read::body;
pub(crate) use render::{Filled, Person, form};

/// Which field a wire error is about (the longest field name its path starts with:
/// `amount.minor_units` is about `amount`), and what to say there in the page's language: a
/// sentence for the error's kind naming the field, never the parser's English. An error about
/// no field of the form (a rule of the household's shape) is said of the form as a whole.
fn place_error(kind: CommandKind, error: &WireError) -> (Option<String>, String) {
    let path = error.path.as_str();
    let fields = fields(kind);
    let field = fields
        .iter()
        .filter(|f| f.input != Input::Hidden)
        .filter(|f| {
            let name = f.name.as_str();
            path == name
                || path.starts_with(&format!("{name}."))
                || path.starts_with(&format!("{name}["))
        })
        .max_by_key(|f| f.name.len());
    let Some(field) = field else {
        return (None, t!("apply-error-in-form"));
    };
    let label = field.label.as_str();
    let text = match &error.kind {
        WireErrorKind::Missing => t!("apply-error-required"),
        WireErrorKind::GivenTwice => t!("apply-error-given-twice", field = label),
        _ => t!("apply-error-invalid", field = label),
    };
    (Some(field.name.clone()), text)
}

/// A form sent: checked, then given to the case as the API would give it.
pub(crate) async fn send(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
    Path((case, command)): Path<(String, String)>,
    Form(values): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let case_id = super::case_id(&case)?;
    let kind = CommandKind::ALL
        .into_iter()
        .find(|k| k.name() == command)
        .ok_or_else(|| PageError::NotFound(t!("apply-no-such-command", command = &command)))?;
    let expected_version = values
        .iter()
        .find(|(k, _)| k == "_version")
        .and_then(|(_, v)| v.parse::<u64>().ok());
    let command_id = values
        .iter()
        .find(|(k, _)| k == "_command_id")
        .and_then(|(_, v)| Uuid::parse_str(v).ok())
        .unwrap_or_else(Uuid::now_v7);
    let again = |filled: Filled, status: StatusCode, conflict: Option<(u64, u64)>| {
        let state = Arc::clone(&state);
        let signed_in = &signed_in;
        async move {
            let extra = Extra {
                filled: Some(filled),
                conflict,
                ..Extra::default()
            };
            let mut response = case::render(&state, signed_in, case_id, extra).await?;
            *response.status_mut() = status;
            Ok::<Response, PageError>(response)
        }
    };
    let mut filled = Filled {
        command: Some(kind),
        values: values.clone(),
        ..Filled::default()
    };
    // "Add a person": the same form again, with room for one more member and nothing sent.
    if values.iter().any(|(key, _)| key == "_add_member") {
        let members = fields::extra_members(&values) + 1;
        filled
            .values
            .retain(|(key, _)| key != "_members" && key != "_add_member");
        filled
            .values
            .push(("_members".to_owned(), members.to_string()));
        return again(filled, StatusCode::OK, None).await;
    }
    let body = match body(kind, &values) {
        Ok(body) => body,
        Err(errors) => {
            filled.errors = errors;
            return again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
    let action = match CommandDto::from_value(body).and_then(CommandDto::into_action) {
        Ok(action) => action,
        Err(error) => {
            match place_error(kind, &error) {
                (Some(field), text) => {
                    filled.errors.insert(field, text);
                }
                (None, text) => filled.general = Some(text),
            }
            return again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
    // A form made against an older version goes straight on, to be told of the conflict: no
    // one should confirm what is about to be refused.
    let current = match expected_version {
        Some(_) => state
            .cases
            .status(&signed_in.caller, case_id)
            .await?
            .map(|status| status.version),
        None => None,
    };
    let stale = expected_version.is_some() && current.is_some() && current != expected_version;
    if super::confirm::irreversible(kind) && !stale {
        let asked = !super::confirm::confirmed(&values);
        // An approval is confirmed for the grant that was shown: if deciding it now would
        // record another (the day turned, a birthday passed), it is shown again, not recorded.
        let (names, preview) = if asked || kind == CommandKind::Approve {
            let entries = state.cases.history(&signed_in.caller, case_id).await?;
            let names = case::names(&entries);
            let preview = match kind {
                CommandKind::Approve => {
                    let preview = super::confirm::approval_preview(
                        &state,
                        &signed_in.caller,
                        case_id,
                        action.clone(),
                        &names,
                    )
                    .await;
                    // Asked to confirm an approval, UDI sees again whom retur's records show
                    // as helped home before.
                    let role = signed_in.caller.actor.role;
                    let declared = super::person::declared(&entries);
                    match (preview, asked) {
                        (Some(preview), true) => {
                            let warning =
                                super::person::earlier_returns(&state, role, case_id, declared)
                                    .await?;
                            Some(super::confirm::Preview {
                                shown: maud::html! { @if let Some(w) = warning { (w) } (preview.shown) },
                                digest: preview.digest,
                            })
                        }
                        (preview, _) => preview,
                    }
                }
                _ => None,
            };
            (names, preview)
        } else {
            Default::default()
        };
        let changed = !asked && super::confirm::changed(&values, preview.as_ref());
        if asked || changed {
            let page =
                super::confirm::page(&signed_in, case_id, kind, &values, preview, changed, &names);
            return Ok(page.into_response());
        }
    }
    let correlation_id = Uuid::now_v7();
    let request = CommandRequest {
        case_id,
        action,
        command_id,
        correlation_id,
        expected_version,
    };
    match state.cases.handle(&signed_in.caller, request).await {
        Ok(handled) => {
            tracing::info!(case = %case_id, command = %command_id, version = handled.version,
                already_handled = handled.already_handled, "command handled from a page");
            Ok(Redirect::to(&format!("/ui/cases/{case_id}?done={}", kind.name())).into_response())
        }
        Err(CommandError::Rejected(Rejection::VersionMismatch { expected, actual })) => {
            again(filled, StatusCode::CONFLICT, Some((expected, actual))).await
        }
        Err(CommandError::Rejected(Rejection::Refused(refusal))) => {
            filled.general = Some(t!(
                "apply-not-recorded-refused",
                reason = crate::i18n::refusal(&refusal),
                rule = refusal.code(),
            ));
            again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(CommandError::Rejected(
            rejection @ (Rejection::Held { .. }
            | Rejection::Contended { .. }
            | Rejection::CommandIdReused { .. }),
        )) => {
            filled.general = Some(not_recorded(&rejection));
            again(filled, StatusCode::CONFLICT, None).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Why a command was not recorded when others' work stood in its way.
fn not_recorded(rejection: &Rejection) -> String {
    match rejection {
        Rejection::Held { by, since } => t!(
            "apply-not-recorded-held",
            by = by.as_str(),
            since = i18n::time(*since),
        ),
        Rejection::CommandIdReused { .. } => t!("apply-not-recorded-form-reused"),
        _ => t!("apply-not-recorded-contended"),
    }
}

#[cfg(test)]
mod tests {
    use super::fields::*;
    use super::read::*;
    use super::render::*;
    use super::*;
    use crate::PageContext;
    use crate::i18n::Lang;
    use retur_domain::CaseId;
    use serde_json::Value;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn in_english<T>(f: impl FnOnce() -> T) -> T {
        PageContext::with_lang(Lang::En, f)
    }

    #[test]
    fn every_choice_is_a_value_the_api_reads_and_reads_as_words() {
        use retur_domain::application::Relation;
        use retur_domain::travel::{
            DismissalGround, LateAppealGround, PaymentMethod, RescheduleCause, TravelDocumentKind,
        };
        use retur_domain::{ImmigrationSituation, Role};
        fn reads<T: serde::de::DeserializeOwned>(options: &[&str], langs: &[Lang]) {
            for value in options {
                serde_json::from_value::<T>(Value::from(*value))
                    .unwrap_or_else(|e| panic!("{value}: {e}"));
                for lang in langs {
                    PageContext::with_lang(*lang, || {
                        assert!(
                            i18n::code(value).is_some(),
                            "{value} has no words in {lang:?}"
                        )
                    });
                }
            }
        }
        let at_work = [Lang::Nb, Lang::En];
        reads::<DismissalGround>(DISMISSAL_GROUNDS, &at_work);
        reads::<LateAppealGround>(LATE_APPEAL_GROUNDS, &at_work);
        reads::<RescheduleCause>(RESCHEDULE_CAUSES, &at_work);
        reads::<TravelDocumentKind>(DOCUMENTS, &at_work);
        reads::<PaymentMethod>(PAYMENT_METHODS, &at_work);
        // What an applicant chooses from has words in every language.
        reads::<ImmigrationSituation>(SITUATIONS, &Lang::ALL);
        reads::<Relation>(RELATIONS, &Lang::ALL);
        for role in ROLES {
            assert_eq!(
                serde_json::from_value::<Role>(Value::from(role.as_str())).ok(),
                Some(role)
            );
        }
    }

    #[test]
    fn every_command_a_caseworker_takes_has_a_form_the_api_reads() {
        // Filled with plausible values, each form's body parses as the API's command.
        for kind in CommandKind::ALL {
            if kind.owner() == retur_domain::Role::System {
                continue;
            }
            let mut values = Vec::new();
            for field in fields(kind) {
                let value = match field.input {
                    Input::Hidden => field.initial.clone(),
                    Input::Country => "ET".into(),
                    Input::Language => "ti".into(),
                    Input::Text if field.name.ends_with("phone") => "+47 912 34 567".into(),
                    Input::Text if field.name.ends_with("airport") => "OSL".into(),
                    Input::Text if field.name.ends_with("flight") => "TK1752".into(),
                    Input::Text if field.name.ends_with("currency") => "ETB".into(),
                    Input::Text if field.name.ends_with("per_usd") => "10.5".into(),
                    Input::Text if field.name.ends_with("duf_number") => "201912345601".into(),
                    Input::Text if field.name.ends_with("account") => "12345678903".into(),
                    Input::Text if field.name == "number" => "EP1234567".into(),
                    Input::Text | Input::LongText => "Some words".into(),
                    Input::Date => "2026-11-20".into(),
                    Input::Time => "07:30".into(),
                    Input::Choice(options) => {
                        if field.name == "payee.method" {
                            "cash".into()
                        } else {
                            options[0].into()
                        }
                    }
                    Input::Person | Input::People => Uuid::from_u128(1).to_string(),
                    Input::Roles => "udi".into(),
                    Input::Flag if field.name == "_confirm" => "true".into(),
                    Input::Flag => continue,
                    Input::Amount => {
                        values.push((format!("{}.currency", field.name), "NOK".to_owned()));
                        values.push((format!("{}.major", field.name), "1500.50".to_owned()));
                        continue;
                    }
                };
                values.push((field.name.clone(), value));
            }
            let body = body(kind, &values).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
            CommandDto::from_value(body.clone())
                .and_then(CommandDto::into_action)
                .unwrap_or_else(|e| panic!("{kind:?}: {e}: {body}"));
        }
    }

    #[test]
    fn missing_and_malformed_values_are_named_by_field() {
        let errors =
            in_english(|| body(CommandKind::Refuse, &pairs(&[("reasons", " ")]))).unwrap_err();
        assert_eq!(
            errors.get("reasons").map(String::as_str),
            Some("This is required.")
        );
        assert_eq!(
            errors.get("notified_on").map(String::as_str),
            Some("This is required.")
        );
        let errors = body(CommandKind::Refuse, &pairs(&[("reasons", "Nei.")])).unwrap_err();
        assert_eq!(errors["notified_on"], "Dette må fylles ut.");

        let booking = |day: &str, flight: &str| {
            body(
                CommandKind::BookDeparture,
                &pairs(&[
                    ("booking.departs_on", day),
                    ("booking.flight", flight),
                    ("booking.from_airport", "OSL"),
                    ("booking.to_airport", "ADD"),
                ]),
            )
        };
        let errors = booking("2026-02-30", "TK1752").unwrap_err();
        assert!(
            errors["booking.departs_on"].contains("2026-02-30"),
            "{errors:?}"
        );

        // What only the API's parser knows is placed by the path it names, and said in the
        // page's language of the field it names.
        let body = booking("2026-02-27", "not a flight").expect("all there");
        let error = CommandDto::from_value(body).unwrap_err();
        assert_eq!(error.path, "booking.flight", "{error}");
        let (field, text) = in_english(|| place_error(CommandKind::BookDeparture, &error));
        assert_eq!(field.as_deref(), Some("booking.flight"), "{error}");
        assert_eq!(
            text,
            "Flight number is not valid. Check what you have written."
        );
        let (_, text) = place_error(CommandKind::BookDeparture, &error);
        assert_eq!(
            text,
            "Flightnummer er ikke gyldig. Sjekk det du har skrevet."
        );
        let missing = CommandDto::from_value(serde_json::json!({
            "command": "refuse",
            "reasons": "No.",
        }))
        .unwrap_err();
        assert_eq!(
            missing,
            WireError {
                path: "notified_on".into(),
                kind: WireErrorKind::Missing
            }
        );
        let (field, text) = in_english(|| place_error(CommandKind::Refuse, &missing));
        assert_eq!(field.as_deref(), Some("notified_on"));
        assert_eq!(text, "This is required.");
        // A rule of the household's shape is about the form as a whole.
        let household = WireError {
            path: "household".into(),
            kind: WireErrorKind::Invalid("an unaccompanied minor travels alone".into()),
        };
        let (field, text) = place_error(CommandKind::Submit, &household);
        assert_eq!(field, None);
        assert!(!text.contains("unaccompanied"), "{text}");
    }

    fn drawn(kind: CommandKind, filled: Option<&Filled>) -> String {
        form(CaseId::from_uuid(Uuid::nil()), kind, &[], 0, filled, true).into_string()
    }

    #[test]
    fn each_member_of_a_household_is_asked_for_under_a_legend_of_its_own() {
        let fields = fields(CommandKind::Submit);
        let runs: Vec<Option<usize>> = by_member(&fields).iter().map(|(m, _)| *m).collect();
        assert_eq!(runs, [Some(0), Some(1), Some(2), None]);
        let english = in_english(|| drawn(CommandKind::Submit, None));
        assert!(english.contains("<legend>The principal applicant</legend>"));
        assert_eq!(english.matches("<fieldset class=\"member\">").count(), 3);
        assert!(drawn(CommandKind::Submit, None).contains("<legend>Hovedsøkeren</legend>"));
    }

    #[test]
    fn choices_and_countries_are_offered_by_name_and_sent_as_codes() {
        let english = in_english(|| drawn(CommandKind::Submit, None));
        assert!(english.contains(r#"<option value="ET">Ethiopia</option>"#));
        assert!(english.contains(r#"<option value="XK">Kosovo</option>"#));
        assert!(english.contains(r#"<option value="child">Child</option>"#));
        assert!(!english.contains(">ET<") && !english.contains(">child<"));
        let bokmal = drawn(CommandKind::Submit, None);
        assert!(bokmal.contains(r#"<option value="ET">Etiopia</option>"#));
        assert!(bokmal.contains(r#"<option value="child">Barn</option>"#));
        let arabic = PageContext::with_lang(Lang::Ar, || drawn(CommandKind::Submit, None));
        assert!(arabic.contains(r#"<option value="ET">إثيوبيا</option>"#));
        // Sorted by name in the page's language: Tyskland (DE) after Etiopia (ET) in bokmål.
        let at = |code: &str| bokmal.find(&format!("value=\"{code}\"")).unwrap();
        assert!(at("ET") < at("DE"));
        // What was chosen is chosen again when the form comes back.
        let filled = Filled {
            command: Some(CommandKind::RequestTravelDocument),
            values: pairs(&[("issuing_country", "ET"), ("document", "passport")]),
            ..Filled::default()
        };
        let again = drawn(CommandKind::RequestTravelDocument, Some(&filled));
        assert!(again.contains(r#"<option value="ET" selected>Etiopia</option>"#));
        assert!(again.contains(r#"<option value="passport" selected>Pass</option>"#));
    }

    #[test]
    fn the_error_summary_names_each_field_in_the_pages_language() {
        let filled = |lang| {
            PageContext::with_lang(lang, || {
                let mut filled = Filled {
                    command: Some(CommandKind::Refuse),
                    ..Filled::default()
                };
                filled.errors = body(CommandKind::Refuse, &[]).unwrap_err();
                drawn(CommandKind::Refuse, Some(&filled))
            })
        };
        let english = filled(Lang::En);
        assert!(english.contains("Please correct:"), "{english}");
        assert!(english.contains("Applicant notified on: This is required."));
        let bokmal = filled(Lang::Nb);
        assert!(bokmal.contains("Rett opp dette:"), "{bokmal}");
        assert!(bokmal.contains("Søkeren underrettet den: Dette må fylles ut."));
    }

    #[test]
    fn amounts_are_exact_in_minor_units() {
        assert_eq!(minor_units("NOK", "1 500,50"), Ok(150_050));
        assert_eq!(minor_units("NOK", "20000"), Ok(2_000_000));
        in_english(|| {
            assert!(
                minor_units("NOK", "1.005")
                    .unwrap_err()
                    .contains("more decimals")
            );
            assert!(
                minor_units("NOK", "lots")
                    .unwrap_err()
                    .contains("not an amount")
            );
        });
        assert_eq!(
            minor_units("NOK", "lots").unwrap_err(),
            "«lots» er ikke et beløp. Skriv for eksempel 1 500,50."
        );
        assert!(minor_units("XXQ", "1").is_err());
    }

    #[test]
    fn an_empty_extra_member_is_not_sent_and_a_half_filled_one_is_named() {
        let mut values = pairs(&[
            ("household[0].full_name", "Abebe Bekele"),
            ("household[0].date_of_birth", "1985-05-20"),
            ("household[1].full_name", "Hana Bekele"),
        ]);
        for field in fields(CommandKind::Submit) {
            if field.input == Input::Hidden {
                values.push((field.name.clone(), field.initial.clone()));
            }
        }
        let errors = body(CommandKind::Submit, &values).unwrap_err();
        assert!(
            errors.contains_key("household[1].date_of_birth"),
            "{errors:?}"
        );
        assert!(errors.contains_key("household[1].relation"), "{errors:?}");
        assert!(
            !errors.keys().any(|k| k.starts_with("household[2]")),
            "{errors:?}"
        );
    }

    /// Every language an applicant may choose has its name from CLDR, in each language.
    #[test]
    fn every_language_offered_is_named() {
        for lang in crate::i18n::Lang::ALL {
            crate::PageContext::with_lang(lang, || {
                for code in super::fields::LANGUAGES {
                    let name = crate::i18n::language(code);
                    assert_ne!(name, *code, "{} has no name for {code}", lang.code());
                }
            });
        }
    }

    /// A member left blank between two that are filled in leaves no gap: the household the
    /// API reads is the people typed, in order.
    #[test]
    fn a_blank_member_between_two_leaves_no_gap() {
        let mut values = pairs(&[
            ("_members", "3"),
            ("household[0].full_name", "Selam Tesfaye"),
            ("household[0].date_of_birth", "1990-01-15"),
            ("household[3].relation", "child"),
            ("household[3].full_name", "Yonas Tesfaye"),
            ("household[3].date_of_birth", "2019-06-02"),
        ]);
        for field in super::fields::fields_for(CommandKind::Submit, &values.clone()) {
            if field.input == Input::Hidden {
                values.push((field.name.clone(), field.initial.clone()));
            }
        }
        for (name, value) in [
            ("nationality", "ET"),
            ("return_country", "ET"),
            ("final_destination", "Addis Ababa"),
            ("situation", "asylum_refused"),
            ("contact.phone", "+47 912 34 567"),
            ("contact.language", "ti"),
        ] {
            values.push((name.to_owned(), value.to_owned()));
        }
        let body = body(CommandKind::Submit, &values).expect("a body");
        let household = body["household"].as_array().expect("a household");
        assert_eq!(household.len(), 2, "{household:?}");
        assert_eq!(household[1]["full_name"], "Yonas Tesfaye");
        let action = CommandDto::from_value(body).and_then(CommandDto::into_action);
        assert!(action.is_ok(), "{action:?}");
    }
}
