//! What each command's form asks, field by field, in the order it is asked: each field named by
//! the path of the command's JSON field it fills.

use retur_domain::{CommandKind, Role};
use uuid::Uuid;

use crate::i18n::t;

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    Text,
    LongText,
    Date,
    /// A time of day, `HH:MM`.
    Time,
    /// One of these codes, each shown as its words.
    Choice(&'static [&'static str]),
    /// A country, shown by its name and sent as its ISO code.
    Country,
    /// A language, shown by its name and sent as its ISO 639 code.
    Language,
    /// One person of the household.
    Person,
    /// Any of the household.
    People,
    /// Any of [`ROLES`].
    Roles,
    /// A tick: `true` when ticked.
    Flag,
    /// A currency and an amount in its major units, sent as exact minor units.
    Amount,
    /// A hidden value, set when the form is made.
    Hidden,
}

/// One field of a form, its words in the page's language.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) input: Input,
    pub(crate) required: bool,
    pub(crate) hint: Option<String>,
    /// What the field holds when the form is first shown.
    pub(crate) initial: String,
}

fn field(name: &str, label: String, input: Input) -> Field {
    Field {
        name: name.to_owned(),
        label,
        input,
        required: !matches!(input, Input::Flag | Input::People | Input::Roles),
        hint: None,
        initial: String::new(),
    }
}

/// A field the page fills in itself.
fn hidden(name: &str, value: impl Into<String>) -> Field {
    field(name, String::new(), Input::Hidden).initial(value)
}

impl Field {
    fn optional(mut self) -> Field {
        self.required = false;
        self
    }

    fn hint(mut self, hint: String) -> Field {
        self.hint = Some(hint);
        self
    }

    fn initial(mut self, value: impl Into<String>) -> Field {
        self.initial = value.into();
        self
    }
}

pub(super) const DISMISSAL_GROUNDS: &[&str] = &["late", "not_a_party", "other_formal_defect"];
pub(super) const LATE_APPEAL_GROUNDS: &[&str] = &["not_to_blame", "special_reasons"];
pub(super) const RESCHEDULE_CAUSES: &[&str] = &["medical_certificate", "iom_or_airline"];
pub(super) const DOCUMENTS: &[&str] = &["passport", "emergency_travel_document", "laissez_passer"];
pub(super) const SITUATIONS: &[&str] = &[
    "asylum_pending",
    "asylum_refused",
    "asylum_appeal_refused",
    "asylum_withdrawn",
    "residence_refused",
    "dublin_transfer",
    "temporary_residence_until18",
    "no_legal_residence_not_in_duf",
    "non_protection_permit_expired",
    "legal_residence",
];
pub(super) const RELATIONS: &[&str] = &[
    "spouse",
    "partner",
    "child",
    "parent",
    "sibling",
    "other_relative",
];
pub(super) const PAYMENT_METHODS: &[&str] = &["cash", "bank_transfer"];
/// Who may be left to see personal data that is restricted.
pub(super) const ROLES: [Role; 5] = [
    Role::Udi,
    Role::Une,
    Role::Iom,
    Role::Auditor,
    Role::Applicant,
];

/// Members of the household a new application has room for at first, after the principal
/// applicant; "Add a person" makes room for one more each time.
pub(super) const MORE_MEMBERS: usize = 2;

/// The most members after the principal applicant one form takes (a household larger than
/// any the programme has seen, and a bound on what one request may ask the page to draw).
pub(super) const MOST_MEMBERS: usize = 40;

/// The languages an applicant may ask to be contacted in: those most returnees from Norway
/// speak, and Norwegian and English. Their names come from CLDR.
pub(super) const LANGUAGES: &[&str] = &[
    "am", "ar", "en", "fa", "fr", "ku", "nb", "ps", "ru", "so", "sq", "ti", "tr", "uk", "ur",
];

/// How many members after the principal applicant a form that came back holds: as many as it
/// showed (`_members`), or as many as were typed, whichever is more.
pub(crate) fn extra_members(values: &[(String, String)]) -> usize {
    let shown = values
        .iter()
        .find(|(key, _)| key == "_members")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(MORE_MEMBERS);
    let typed = values
        .iter()
        .filter_map(|(key, _)| super::read::member_index(key))
        .max()
        .unwrap_or(0);
    shown.max(typed).min(MOST_MEMBERS)
}

fn booking(fields: &mut Vec<Field>) {
    use Input::*;
    fields.push(field("booking.departs_on", t!("form-departs-on"), Date));
    fields.push(field("booking.flight", t!("form-flight"), Text).hint(t!("form-flight-hint")));
    fields.push(
        field("booking.from_airport", t!("form-from-airport"), Text)
            .hint(t!("form-airport-hint", example = "OSL")),
    );
    fields.push(
        field("booking.to_airport", t!("form-to-airport"), Text)
            .hint(t!("form-airport-hint", example = "ADD")),
    );
    fields.push(
        field("booking.meet_at", t!("form-meet-at"), Time)
            .optional()
            .hint(t!("form-meet-at-hint")),
    );
}

/// The fields of a command's form, in the order they are asked, in the page's language.
pub(crate) fn fields(kind: CommandKind) -> Vec<Field> {
    fields_with(kind, MORE_MEMBERS)
}

/// [`fields`], for a form that came back with `values` (a household may have grown).
pub(crate) fn fields_for(kind: CommandKind, values: &[(String, String)]) -> Vec<Field> {
    fields_with(kind, extra_members(values))
}

fn fields_with(kind: CommandKind, more_members: usize) -> Vec<Field> {
    use CommandKind as C;
    use Input::*;
    let reasoning = || field("reasoning", t!("form-reasoning"), LongText);
    let mut fields = Vec::new();
    match kind {
        C::Submit => {
            fields.push(hidden("household[0].person_id", Uuid::now_v7().to_string()));
            fields.push(hidden("household[0].relation", "principal_applicant"));
            member(&mut fields, 0);
            for index in 1..=more_members {
                let at = |name: &str| format!("household[{index}].{name}");
                fields.push(hidden(&at("person_id"), Uuid::now_v7().to_string()));
                fields.push(
                    field(&at("relation"), t!("apply-relation"), Choice(RELATIONS)).optional(),
                );
                member(&mut fields, index);
            }
            fields.push(field("nationality", t!("apply-nationality"), Country));
            fields.push(field("return_country", t!("apply-return-country"), Country));
            fields.push(field(
                "final_destination",
                t!("apply-final-destination"),
                Text,
            ));
            fields.push(field(
                "situation",
                t!("apply-situation"),
                Choice(SITUATIONS),
            ));
            fields
                .push(field("departure_deadline", t!("apply-departure-deadline"), Date).optional());
            fields.push(field(
                "previously_assisted_and_reimmigrated",
                t!("apply-assisted-before"),
                Flag,
            ));
            fields.push(field(
                "refused_for_status_in_other_eea_country",
                t!("apply-status-in-other-eea-country"),
                Flag,
            ));
            fields
                .push(field("contact.phone", t!("apply-phone"), Text).hint(t!("apply-phone-hint")));
            fields.push(field(
                "contact.language",
                t!("apply-contact-language"),
                Language,
            ));
            fields.push(field(
                "contact.needs_interpreter",
                t!("apply-needs-interpreter"),
                Flag,
            ));
        }
        C::Refuse | C::RevokeApproval => {
            fields.push(field("reasons", t!("form-reasons"), LongText));
            fields.push(field("notified_on", t!("form-notified-on"), Date));
        }
        C::LodgeAppeal => {
            fields.push(field("grounds", t!("apply-appeal-grounds"), LongText));
            fields.push(
                field("posted_on", t!("apply-appeal-posted-on"), Date)
                    .optional()
                    .hint(t!("apply-appeal-posted-on-hint")),
            );
        }
        C::AcceptLateAppeal => {
            fields.push(
                field(
                    "ground",
                    t!("form-late-appeal-ground"),
                    Choice(LATE_APPEAL_GROUNDS),
                )
                .hint(t!("form-late-appeal-ground-hint")),
            );
            fields.push(reasoning());
        }
        C::ReverseDecision | C::AllowAppeal => {
            fields.push(reasoning());
            fields.push(vulnerable());
        }
        C::RejectAppeal | C::QuashDecision => fields.push(reasoning()),
        C::Approve => fields.push(vulnerable()),
        C::DismissAppeal | C::DismissAppealAtUne => {
            fields.push(field(
                "ground",
                t!("form-dismissal-ground"),
                Choice(DISMISSAL_GROUNDS),
            ));
            fields.push(reasoning());
        }
        C::ForwardToUne => fields.push(field("assessment", t!("form-udi-assessment"), LongText)),
        C::RequestTravelDocument => {
            fields.push(field("persons", t!("form-document-for"), People));
            fields.push(field("document", t!("form-document"), Choice(DOCUMENTS)));
            fields.push(field(
                "issuing_country",
                t!("form-issuing-country"),
                Country,
            ));
        }
        C::RecordTravelDocument => {
            fields.push(field("person_id", t!("form-document-for"), Person));
            fields.push(field("document", t!("form-document"), Choice(DOCUMENTS)));
            fields.push(field("number", t!("form-document-number"), Text));
            fields.push(field("valid_until", t!("form-valid-until"), Date));
        }
        C::BookDeparture | C::RebookDeparture => booking(&mut fields),
        C::RescheduleDeparture => {
            fields.push(field(
                "cause",
                t!("form-reschedule-cause"),
                Choice(RESCHEDULE_CAUSES),
            ));
            booking(&mut fields);
        }
        C::ConfirmDeparture => fields.push(field("departed_on", t!("form-departed-on"), Date)),
        C::ConfirmArrival => fields.push(field("arrived_on", t!("form-arrived-on"), Date)),
        C::RecordSelfDeclaration => fields.push(field("signed_on", t!("form-signed-on"), Date)),
        C::PayReintegrationTranche => {
            fields.push(field("amount", t!("form-amount"), Amount));
            fields.push(
                field("rates.nok_per_usd", t!("form-nok-per-usd"), Text)
                    .hint(t!("form-nok-per-usd-hint")),
            );
            fields.push(
                field("rates.local_currency", t!("form-local-currency"), Text)
                    .hint(t!("form-local-currency-hint")),
            );
            fields.push(field("rates.local_per_usd", t!("form-local-per-usd"), Text));
            fields.push(field(
                "payee.method",
                t!("form-payment-method"),
                Choice(PAYMENT_METHODS),
            ));
            fields.push(
                field("payee.person_id", t!("form-payee"), Person)
                    .optional()
                    .hint(t!("form-payee-hint")),
            );
            fields.push(field("payee.account", t!("form-account"), Text).optional());
            fields.push(field("payee.holder", t!("form-account-holder"), Text).optional());
        }
        C::RecordForcedReturn => fields.push(field("returned_on", t!("form-returned-on"), Date)),
        C::RecordReEntry => fields.push(field("re_entered_on", t!("form-re-entered-on"), Date)),
        C::ClaimRepayment => fields.push(field("amount", t!("form-amount-to-repay"), Amount)),
        C::RestrictPersonalData => {
            fields.push(whose_data());
            fields.push(
                field("visible_to", t!("form-visible-to"), Roles).hint(t!("form-visible-to-hint")),
            );
        }
        C::LiftRestriction => fields.push(whose_data()),
        C::ErasePersonalData => {
            fields.push(whose_data());
            fields.push(
                field("_confirm", t!("form-erase-confirm"), Flag)
                    .hint(t!("form-erase-confirm-hint")),
            );
        }
        C::BeginReview
        | C::CloseAppealWindow
        | C::HandOverToIom
        | C::ReportNoShow
        | C::PayPocketMoney
        | C::FlagPayoutOverdue
        | C::CloseCase
        | C::Withdraw
        | C::LapseTravelDeadline => {}
    }
    fields
}

/// Who the deciding body judges particularly vulnerable, on the decisions that approve.
fn vulnerable() -> Field {
    field(
        "particularly_vulnerable",
        t!("form-particularly-vulnerable"),
        Input::People,
    )
    .hint(t!("form-particularly-vulnerable-hint"))
}

fn whose_data() -> Field {
    field("person_id", t!("form-whose-data"), Input::Person)
}

fn member(fields: &mut Vec<Field>, index: usize) {
    use Input::*;
    let at = |name: &str| format!("household[{index}].{name}");
    let optional = index > 0;
    let mut push = |field: Field| fields.push(if optional { field.optional() } else { field });
    push(field(&at("full_name"), t!("apply-full-name"), Text));
    push(field(&at("date_of_birth"), t!("apply-date-of-birth"), Date));
    push(
        field(&at("duf_number"), t!("apply-duf-number"), Text)
            .optional()
            .hint(t!("apply-duf-number-hint")),
    );
    push(field(
        &at("unaccompanied_minor"),
        t!("apply-unaccompanied-minor"),
        Flag,
    ));
    push(field(
        &at("possible_trafficking_victim"),
        t!("apply-possible-trafficking-victim"),
        Flag,
    ));
}
