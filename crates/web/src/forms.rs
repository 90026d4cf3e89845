//! A form for each command. A form's fields are named by the path of the command's JSON field
//! (`booking.departs_on`, `household[1].full_name`), so what is sent is built into exactly the
//! body the API takes and read by the API's own parser: a value the API refuses is refused here
//! with the same words, shown beside the field it names. Then the command goes to the same
//! `Cases::handle` as the API's, with the version the page showed: if someone changed the case
//! in between, the page says what changed instead of losing what was typed.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use retur_app::{CommandError, CommandRequest, Rejection};
use retur_domain::{CaseId, CommandKind, Currency};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::case::{self, Extra};
use super::{PageError, SignedIn, words};
use retur_api::ApiState;
use retur_api::dto::CommandDto;

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    Text,
    LongText,
    Date,
    /// One of these `(value, label)`.
    Choice(&'static [(&'static str, &'static str)]),
    /// One person of the household.
    Person,
    /// Any of the household.
    People,
    /// Any of the roles.
    Roles,
    /// A tick: `true` when ticked.
    Flag,
    /// A currency and an amount in its major units, sent as exact minor units.
    Amount,
    /// A hidden value, set when the form is made.
    Hidden,
}

/// One field of a form.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) input: Input,
    pub(crate) required: bool,
    pub(crate) hint: Option<&'static str>,
    /// What the field holds when the form is first shown.
    pub(crate) initial: String,
}

fn field(name: &str, label: &str, input: Input) -> Field {
    Field {
        name: name.to_owned(),
        label: label.to_owned(),
        input,
        required: !matches!(input, Input::Flag | Input::People | Input::Roles),
        hint: None,
        initial: String::new(),
    }
}

impl Field {
    fn optional(mut self) -> Field {
        self.required = false;
        self
    }

    fn hint(mut self, hint: &'static str) -> Field {
        self.hint = Some(hint);
        self
    }

    fn initial(mut self, value: impl Into<String>) -> Field {
        self.initial = value.into();
        self
    }
}

const DISMISSAL_GROUNDS: &[(&str, &str)] = &[
    ("late", "Lodged after the appeal deadline"),
    ("not_a_party", "Lodged by someone who is not a party"),
    ("other_formal_defect", "Another formal condition is not met"),
];
const LATE_APPEAL_GROUNDS: &[(&str, &str)] = &[
    (
        "not_to_blame",
        "The appellant cannot be blamed for the delay (fvl. § 31 a)",
    ),
    (
        "special_reasons",
        "There are special reasons to hear it (fvl. § 31 b)",
    ),
];
const RESCHEDULE_CAUSES: &[(&str, &str)] = &[
    ("medical_certificate", "Medical certificate"),
    ("iom_or_airline", "IOM or the airline"),
];
const DOCUMENTS: &[(&str, &str)] = &[
    ("passport", "Passport"),
    ("emergency_travel_document", "Emergency travel document"),
    ("laissez_passer", "Laissez-passer"),
];
const SITUATIONS: &[(&str, &str)] = &[
    ("asylum_pending", "Asylum application under consideration"),
    ("asylum_refused", "Asylum application refused"),
    ("asylum_appeal_refused", "Asylum appeal refused"),
    ("asylum_withdrawn", "Asylum application withdrawn"),
    ("residence_refused", "Another residence application refused"),
    ("dublin_transfer", "Dublin transfer decided"),
    (
        "temporary_residence_until18",
        "Temporary residence until 18",
    ),
    (
        "no_legal_residence_not_in_duf",
        "No legal residence, not registered in DUF",
    ),
    (
        "non_protection_permit_expired",
        "Permit on other grounds expired or revoked",
    ),
    ("legal_residence", "Legal residence in Norway"),
];
const RELATIONS: &[(&str, &str)] = &[
    ("spouse", "Spouse"),
    ("partner", "Partner"),
    ("child", "Child"),
    ("parent", "Parent"),
    ("sibling", "Sibling"),
    ("other_relative", "Other relative"),
];
const PAYMENT_METHODS: &[(&str, &str)] = &[("cash", "Cash"), ("bank_transfer", "Bank transfer")];
const ROLES: &[(&str, &str)] = &[
    ("udi", "UDI"),
    ("une", "UNE"),
    ("iom", "IOM"),
    ("auditor", "Auditors"),
    ("applicant", "The applicant"),
];

/// Members of the household a new application has room for, after the principal applicant.
const MORE_MEMBERS: usize = 2;

fn booking(fields: &mut Vec<Field>) {
    fields.push(field("booking.departs_on", "Departs on", Input::Date));
    fields.push(field("booking.flight", "Flight number", Input::Text).hint("Such as TK1752"));
    fields.push(
        field("booking.from_airport", "From airport", Input::Text).hint("IATA code, such as OSL"),
    );
    fields.push(
        field("booking.to_airport", "To airport", Input::Text).hint("IATA code, such as ADD"),
    );
}

/// The fields of a command's form, in the order they are asked.
pub(crate) fn fields(kind: CommandKind) -> Vec<Field> {
    use CommandKind as C;
    use Input::*;
    let statement = |name: &str, label: &str| field(name, label, LongText);
    let mut fields = Vec::new();
    match kind {
        C::Submit => {
            fields.push(
                field("household[0].person_id", "", Hidden).initial(Uuid::now_v7().to_string()),
            );
            fields.push(field("household[0].relation", "", Hidden).initial("principal_applicant"));
            member(&mut fields, 0);
            for index in 1..=MORE_MEMBERS {
                fields.push(
                    field(&format!("household[{index}].person_id"), "", Hidden)
                        .initial(Uuid::now_v7().to_string()),
                );
                fields.push(
                    field(
                        &format!("household[{index}].relation"),
                        "Relation to the principal applicant",
                        Choice(RELATIONS),
                    )
                    .optional(),
                );
                member(&mut fields, index);
            }
            fields.push(field("nationality", "Nationality", Text).hint("Country code, such as ET"));
            fields.push(
                field("return_country", "Country of return", Text).hint("Country code, such as ET"),
            );
            fields.push(field("final_destination", "Final destination", Text));
            fields.push(field(
                "situation",
                "Immigration situation",
                Choice(SITUATIONS),
            ));
            fields.push(field("departure_deadline", "Departure deadline", Date).optional());
            fields.push(field(
                "previously_assisted_and_reimmigrated",
                "Has been assisted to return before and came back",
                Flag,
            ));
            fields.push(field(
                "refused_for_status_in_other_eea_country",
                "Refused because of status in another EEA country",
                Flag,
            ));
        }
        C::Refuse | C::RevokeApproval => {
            fields.push(statement("reasons", "Reasons"));
            fields.push(field("notified_on", "Applicant notified on", Date));
        }
        C::LodgeAppeal => {
            fields.push(statement("grounds", "Grounds of appeal"));
            fields.push(
                field("posted_on", "Posted or handed in on", Date)
                    .optional()
                    .hint("Leave empty if it was sent today"),
            );
        }
        C::AcceptLateAppeal => {
            fields.push(field(
                "ground",
                "Why it is heard",
                Choice(LATE_APPEAL_GROUNDS),
            ));
            fields.push(statement("reasoning", "Reasoning"));
        }
        C::ReverseDecision | C::AllowAppeal => {
            fields.push(statement("reasoning", "Reasoning"));
            fields.push(vulnerable());
        }
        C::RejectAppeal | C::QuashDecision => fields.push(statement("reasoning", "Reasoning")),
        C::Approve => fields.push(vulnerable()),
        C::DismissAppeal | C::DismissAppealAtUne => {
            fields.push(field("ground", "Ground", Choice(DISMISSAL_GROUNDS)));
            fields.push(statement("reasoning", "Reasoning"));
        }
        C::ForwardToUne => fields.push(statement("assessment", "UDI's assessment")),
        C::RequestTravelDocument => {
            fields.push(field("persons", "For", People));
            fields.push(field("document", "Document", Choice(DOCUMENTS)));
            fields.push(
                field("issuing_country", "Issuing country", Text).hint("Country code, such as ET"),
            );
        }
        C::RecordTravelDocument => {
            fields.push(field("person_id", "For", Person));
            fields.push(field("document", "Document", Choice(DOCUMENTS)));
            fields.push(field("number", "Document number", Text));
            fields.push(field("valid_until", "Valid until", Date));
        }
        C::BookDeparture | C::RebookDeparture => booking(&mut fields),
        C::RescheduleDeparture => {
            fields.push(field("cause", "Why", Choice(RESCHEDULE_CAUSES)));
            booking(&mut fields);
        }
        C::ConfirmDeparture => fields.push(field("departed_on", "Departed on", Date)),
        C::ConfirmArrival => fields.push(field("arrived_on", "Arrived on", Date)),
        C::RecordSelfDeclaration => fields.push(field("signed_on", "Signed on", Date)),
        C::PayReintegrationTranche => {
            fields.push(field("amount", "Amount", Amount));
            fields.push(
                field("rates.nok_per_usd", "NOK per USD", Text)
                    .hint("The UN operational rate, such as 10.52"),
            );
            fields.push(field("rates.local_currency", "Local currency", Text).hint("Such as ETB"));
            fields.push(field("rates.local_per_usd", "Local currency per USD", Text));
            fields.push(field("payee.method", "Paid", Choice(PAYMENT_METHODS)));
            fields.push(
                field("payee.person_id", "To (bank transfer)", Person)
                    .optional()
                    .hint("For a bank transfer"),
            );
            fields.push(field("payee.account", "Account number", Text).optional());
            fields.push(field("payee.holder", "Account holder", Text).optional());
        }
        C::RecordForcedReturn => fields.push(field("returned_on", "Returned on", Date)),
        C::RecordReEntry => fields.push(field("re_entered_on", "Came back to Norway on", Date)),
        C::ClaimRepayment => fields.push(field("amount", "Amount to repay", Amount)),
        C::RestrictPersonalData => {
            fields.push(field("person_id", "Whose data", Person));
            fields.push(
                field("visible_to", "Who may still see it", Roles)
                    .hint("Every role not ticked sees \u{201c}restricted\u{201d}"),
            );
        }
        C::LiftRestriction => fields.push(field("person_id", "Whose data", Person)),
        C::ErasePersonalData => {
            fields.push(field("person_id", "Whose data", Person));
            fields.push(
                field(
                    "_confirm",
                    "I understand that erasure destroys the data for good",
                    Flag,
                )
                .hint("It cannot be undone"),
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
        "Particularly vulnerable",
        Input::People,
    )
    .hint("Only where a country programme gives more for it (Morocco); usually no one")
}

fn member(fields: &mut Vec<Field>, index: usize) {
    let at = |name: &str| format!("household[{index}].{name}");
    let optional = index > 0;
    let mut push = |field: Field| fields.push(if optional { field.optional() } else { field });
    push(field(&at("full_name"), "Full name", Input::Text));
    push(field(&at("date_of_birth"), "Date of birth", Input::Date));
    push(
        field(&at("duf_number"), "DUF number", Input::Text)
            .optional()
            .hint("Twelve digits, if registered"),
    );
    push(field(
        &at("unaccompanied_minor"),
        "Unaccompanied minor",
        Input::Flag,
    ));
    push(field(
        &at("possible_trafficking_victim"),
        "Possible victim of trafficking",
        Input::Flag,
    ));
}

/// A person a form can name: their id, and how the page shows them to this role.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub(crate) id: String,
    pub(crate) label: String,
}

/// What was sent in a form that could not be recorded: shown again, with what is wrong.
#[derive(Debug, Default)]
pub(crate) struct Filled {
    pub(crate) command: Option<CommandKind>,
    pub(crate) values: Vec<(String, String)>,
    /// By field name.
    pub(crate) errors: BTreeMap<String, String>,
    /// About the command as a whole: a rule refused it, another caseworker holds the case.
    pub(crate) general: Option<String>,
}

impl Filled {
    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// The form for `kind` on a case at `version`; `filled` when it comes back with problems. A
/// form with fields folds away unless it is `open` (or came back).
pub(crate) fn form(
    case: CaseId,
    kind: CommandKind,
    people: &[Person],
    version: u64,
    filled: Option<&Filled>,
    open: bool,
) -> Markup {
    let name = kind.name();
    let fields = fields(kind);
    let open = open || filled.is_some();
    let visible = fields.iter().filter(|f| f.input != Input::Hidden).count();
    let value = |field: &Field| -> String {
        match filled {
            Some(filled) => filled.value(&field.name).unwrap_or_default().to_owned(),
            None => field.initial.clone(),
        }
    };
    let error = |field: &str| filled.and_then(|f| f.errors.get(field));
    let body = html! {
        form.command method="post" action={ "/ui/cases/" (case) "/commands/" (name) }
            data-command=(name) novalidate {
            input type="hidden" name="_version" value=(version);
            input type="hidden" name="_command_id" value=(Uuid::now_v7());
            @if let Some(general) = filled.and_then(|f| f.general.as_ref()) {
                p.error.general role="alert" { (general) }
            }
            @if let Some(errors) = filled.map(|f| &f.errors).filter(|e| !e.is_empty()) {
                div.error-summary role="alert" {
                    p { strong { "Please correct:" } }
                    ul {
                        @for (field, problem) in errors {
                            li { a href={ "#" (id(name, field)) } { (label_of(&fields, field)) ": " (problem) } }
                        }
                    }
                }
            }
            @for (member, group) in by_member(&fields) {
                @match member {
                    Some(index) => fieldset.member {
                        legend { (member_legend(index)) }
                        @for field in group {
                            (input(name, field, &value(field), filled, error(&field.name), people))
                        }
                    },
                    None => @for field in group {
                        (input(name, field, &value(field), filled, error(&field.name), people))
                    },
                }
            }
            button type="submit" { (words(name)) }
        }
    };
    if visible == 0 {
        return html! { div.action.quick { (body) } };
    }
    html! {
        details.action open[open] {
            summary { (words(name)) }
            (body)
        }
    }
}

/// The fields in runs: each member of a household together, under a legend of its own, so that
/// the same labels in each are told apart.
fn by_member(fields: &[Field]) -> Vec<(Option<usize>, Vec<&Field>)> {
    let mut runs: Vec<(Option<usize>, Vec<&Field>)> = Vec::new();
    for field in fields {
        let member = member_index(&field.name);
        match runs.last_mut() {
            Some((last, run)) if *last == member => run.push(field),
            _ => runs.push((member, vec![field])),
        }
    }
    runs
}

fn member_legend(index: usize) -> String {
    match index {
        0 => "The principal applicant".to_owned(),
        n => format!("Another member of the household ({n} of {MORE_MEMBERS}, if any)"),
    }
}

fn id(command: &str, field: &str) -> String {
    let mut id = format!("{command}-");
    id.extend(
        field
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

fn label_of(fields: &[Field], name: &str) -> String {
    fields
        .iter()
        .find(|f| f.name == name)
        .map_or_else(|| words(name), |f| f.label.clone())
}

fn input(
    command: &str,
    field: &Field,
    value: &str,
    filled: Option<&Filled>,
    problem: Option<&String>,
    people: &[Person],
) -> Markup {
    let chosen = filled.map(|f| f.all(&field.name)).unwrap_or_default();
    let id = id(command, &field.name);
    let name = field.name.as_str();
    let described = {
        let mut ids = Vec::new();
        if field.hint.is_some() {
            ids.push(format!("{id}-hint"));
        }
        if problem.is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = problem.map(|_| "true");
    let hint = html! {
        @if let Some(hint) = field.hint { p.hint id={ (id) "-hint" } { (hint) } }
        @if let Some(problem) = problem { p.error id={ (id) "-error" } { (problem) } }
    };
    let label = html! {
        (field.label)
        @if !field.required && !matches!(field.input, Input::Flag | Input::People | Input::Roles) {
            span.optional { " (optional)" }
        }
    };
    match field.input {
        Input::Hidden => html! { input type="hidden" name=(name) value=(value); },
        Input::Flag => html! {
            div.field.flag.invalid[problem.is_some()] {
                input type="checkbox" id=(id) name=(name) value="true" checked[!value.is_empty()]
                    aria-invalid=[invalid] aria-describedby=[described.as_deref()];
                label for=(id) { (field.label) }
                (hint)
            }
        },
        Input::People | Input::Roles => {
            let options: Vec<(String, String)> = if field.input == Input::People {
                people
                    .iter()
                    .map(|p| (p.id.clone(), p.label.clone()))
                    .collect()
            } else {
                ROLES
                    .iter()
                    .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
                    .collect()
            };
            html! {
                fieldset.field.invalid[problem.is_some()] id=(id) aria-describedby=[described.as_deref()] {
                    legend { (field.label) }
                    (hint)
                    @for (i, (value, text)) in options.iter().enumerate() {
                        div.flag {
                            input type="checkbox" id={ (id) "-" (i) } name=(name) value=(value)
                                checked[chosen.contains(&value.as_str())];
                            label for={ (id) "-" (i) } { (text) }
                        }
                    }
                }
            }
        }
        Input::Amount => {
            let currency_name = format!("{name}.currency");
            let major_name = format!("{name}.major");
            let part = |name: &str| filled.and_then(|f| f.value(name)).unwrap_or_default();
            let currency = match filled {
                Some(_) => part(&currency_name),
                None => "NOK",
            };
            let major = part(&major_name);
            html! {
                fieldset.field.amount.invalid[problem.is_some()] id=(id) aria-describedby=[described.as_deref()] {
                    legend { (field.label) }
                    (hint)
                    label for={ (id) "-currency" } { "Currency" }
                    input id={ (id) "-currency" } name=(currency_name) size="4" maxlength="3"
                        value=(currency);
                    label for={ (id) "-major" } { "Amount" }
                    input id={ (id) "-major" } name=(major_name) inputmode="decimal"
                        value=(major)
                        aria-invalid=[invalid];
                }
            }
        }
        Input::Text | Input::LongText | Input::Date | Input::Choice(_) | Input::Person => html! {
            div.field.invalid[problem.is_some()] {
                label for=(id) { (label) }
                (hint)
                @match field.input {
                    Input::LongText => textarea id=(id) name=(name) rows="4" required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] { (value) },
                    Input::Date => input type="date" id=(id) name=(name) value=(value) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()];,
                    Input::Choice(options) => select id=(id) name=(name) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] {
                        option value="" { "Choose…" }
                        @for (option, text) in options {
                            option value=(option) selected[*option == value] { (text) }
                        }
                    },
                    Input::Person => select id=(id) name=(name) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()] {
                        option value="" { "Choose…" }
                        @for person in people {
                            option value=(person.id) selected[person.id == value] { (person.label) }
                        }
                    },
                    _ => input type="text" id=(id) name=(name) value=(value) required[field.required]
                        aria-invalid=[invalid] aria-describedby=[described.as_deref()];,
                }
            }
        },
    }
}

/// The form's values as the command's JSON body, or what is wrong with them by field.
pub(crate) fn body(
    kind: CommandKind,
    values: &[(String, String)],
) -> Result<Value, BTreeMap<String, String>> {
    let fields = fields(kind);
    let get = |name: &str| {
        values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut root = Value::Object(Map::new());
    set(&mut root, "command", Value::from(kind.name()));
    let mut errors = BTreeMap::new();
    // Household members after the principal with nothing typed are not sent.
    let blank_member = |name: &str| -> bool {
        let Some(index) = member_index(name).filter(|i| *i > 0) else {
            return false;
        };
        ["full_name", "date_of_birth", "duf_number"]
            .iter()
            .all(|part| get(&format!("household[{index}].{part}")).is_none())
    };
    for field in &fields {
        let name = field.name.as_str();
        if blank_member(name) {
            continue;
        }
        match field.input {
            Input::Flag => {
                if name == "_confirm" {
                    if get(name).is_none() {
                        errors.insert(name.to_owned(), "Tick this to go on.".to_owned());
                    }
                } else {
                    set(&mut root, name, Value::Bool(get(name).is_some()));
                }
            }
            Input::People | Input::Roles => {
                let chosen: Vec<Value> = values
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, v)| Value::from(v.trim()))
                    .collect();
                set(&mut root, name, Value::Array(chosen));
            }
            Input::Amount => {
                let currency = get(&format!("{name}.currency"));
                let major = get(&format!("{name}.major"));
                match (currency, major) {
                    (Some(currency), Some(major)) => match minor_units(currency, major) {
                        Ok(minor) => set(
                            &mut root,
                            name,
                            serde_json::json!({ "currency": currency, "minor_units": minor }),
                        ),
                        Err(problem) => {
                            errors.insert(name.to_owned(), problem);
                        }
                    },
                    _ => {
                        errors.insert(
                            name.to_owned(),
                            "Give both the currency and the amount.".to_owned(),
                        );
                    }
                }
            }
            _ => match get(name) {
                Some(value)
                    if field.input == Input::Date
                        && NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() =>
                {
                    errors.insert(
                        name.to_owned(),
                        format!("{value:?} is not a date that exists (YYYY-MM-DD)."),
                    );
                }
                Some(value) => set(&mut root, name, Value::from(value)),
                None if field.required || is_member_essential(name) => {
                    errors.insert(name.to_owned(), "This is required.".to_owned());
                }
                None => {}
            },
        }
    }
    // A payee paid in cash has no account.
    if kind == CommandKind::PayReintegrationTranche
        && get("payee.method") == Some("cash")
        && let Some(payee) = root.get_mut("payee").and_then(Value::as_object_mut)
    {
        payee.retain(|key, _| key == "method");
    }
    if errors.is_empty() {
        Ok(root)
    } else {
        Err(errors)
    }
}

/// What a household member after the principal, once any of it is typed, must have.
fn is_member_essential(name: &str) -> bool {
    member_index(name).is_some_and(|i| i > 0)
        && [".full_name", ".date_of_birth", ".relation"]
            .iter()
            .any(|part| name.ends_with(part))
}

fn member_index(name: &str) -> Option<usize> {
    let rest = name.strip_prefix("household[")?;
    rest.split_once(']')?.0.parse().ok()
}

/// An amount typed in major units (`1 500,50` or `1500.50`), exactly in minor units.
fn minor_units(currency: &str, major: &str) -> Result<i64, String> {
    let currency = Currency::parse(currency).map_err(|e| e.to_string())?;
    let text: String = major
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let amount = Decimal::from_str_exact(&text)
        .map_err(|_| format!("{major:?} is not an amount, such as 1500.50"))?;
    let digits = currency.minor_digits();
    if amount.scale() > digits {
        return Err(format!(
            "{major:?} has more decimals than {currency} has ({digits})"
        ));
    }
    let minor = amount
        .checked_mul(Decimal::from(10_i64.pow(digits)))
        .and_then(|m| i64::try_from(m.trunc()).ok())
        .ok_or_else(|| format!("{major:?} is too large"))?;
    Ok(minor)
}

/// Puts `value` at a path such as `booking.flight` or `household[1].full_name`.
fn set(root: &mut Value, path: &str, value: Value) {
    let mut at = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*part, None),
        };
        let object = match at {
            Value::Object(object) => object,
            other => {
                *other = Value::Object(Map::new());
                other.as_object_mut().expect("an object")
            }
        };
        match index {
            None if last => {
                object.insert(key.to_owned(), value);
                return;
            }
            None => {
                at = object
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()))
            }
            Some(index) => {
                let array = object
                    .entry(key)
                    .or_insert_with(|| Value::Array(Vec::new()));
                if !array.is_array() {
                    *array = Value::Array(Vec::new());
                }
                let items = array.as_array_mut().expect("an array");
                while items.len() <= index {
                    items.push(Value::Object(Map::new()));
                }
                if last {
                    items[index] = value;
                    return;
                }
                at = &mut items[index];
            }
        }
    }
}

/// Which field an error of the API's parser is about, and what to say there.
fn place_error(kind: CommandKind, message: &str) -> (Option<String>, String) {
    let fields = fields(kind);
    let (path, inner) = match message.split_once(": ") {
        Some((path, inner)) if !path.contains(' ') => (path.to_owned(), inner.to_owned()),
        _ => (String::new(), message.to_owned()),
    };
    let (path, inner) = match inner
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
    {
        Some((missing, _)) if path.is_empty() => (missing.to_owned(), "This is required.".into()),
        Some((missing, _)) => (format!("{path}.{missing}"), "This is required.".into()),
        None => (path, inner),
    };
    // The longest field name the path starts with: `amount.minor_units` is about `amount`.
    let field = fields
        .iter()
        .filter(|f| f.input != Input::Hidden)
        .map(|f| f.name.as_str())
        .filter(|name| {
            path == *name
                || path.starts_with(&format!("{name}."))
                || path.starts_with(&format!("{name}["))
        })
        .max_by_key(|name| name.len())
        .map(str::to_owned);
    (field, capitalized(&inner))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
        .ok_or_else(|| PageError::NotFound(format!("there is no command {command:?}")))?;
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
    let body = match body(kind, &values) {
        Ok(body) => body,
        Err(errors) => {
            filled.errors = errors;
            return again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
    let parsed = CommandDto::parse(body.to_string().as_bytes()).and_then(CommandDto::into_action);
    let action = match parsed {
        Ok(action) => action,
        Err(message) => {
            match place_error(kind, &message) {
                (Some(field), text) => {
                    filled.errors.insert(field, text);
                }
                (None, text) => filled.general = Some(text),
            }
            return again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
    };
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
            filled.general = Some(format!(
                "Not recorded: {} (rule: {}).",
                capitalized(&refusal.to_string()),
                refusal.code()
            ));
            again(filled, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(CommandError::Rejected(
            rejection @ (Rejection::Held { .. }
            | Rejection::Contended { .. }
            | Rejection::CommandIdReused { .. }),
        )) => {
            filled.general = Some(format!("Not recorded: {}.", rejection));
            again(filled, StatusCode::CONFLICT, None).await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_choice_is_a_value_the_api_reads() {
        use retur_domain::application::Relation;
        use retur_domain::travel::{
            DismissalGround, LateAppealGround, RescheduleCause, TravelDocumentKind,
        };
        use retur_domain::{ImmigrationSituation, Role};
        fn reads<T: serde::de::DeserializeOwned>(options: &[(&str, &str)]) {
            for (value, _) in options {
                serde_json::from_value::<T>(Value::from(*value))
                    .unwrap_or_else(|e| panic!("{value}: {e}"));
            }
        }
        reads::<DismissalGround>(DISMISSAL_GROUNDS);
        reads::<LateAppealGround>(LATE_APPEAL_GROUNDS);
        reads::<RescheduleCause>(RESCHEDULE_CAUSES);
        reads::<TravelDocumentKind>(DOCUMENTS);
        reads::<ImmigrationSituation>(SITUATIONS);
        reads::<Relation>(RELATIONS);
        reads::<Role>(ROLES);
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
                    Input::Text if field.name.ends_with("airport") => "OSL".into(),
                    Input::Text if field.name.ends_with("flight") => "TK1752".into(),
                    Input::Text
                        if field.name.contains("country") || field.name == "nationality" =>
                    {
                        "ET".into()
                    }
                    Input::Text if field.name.ends_with("currency") => "ETB".into(),
                    Input::Text if field.name.ends_with("per_usd") => "10.5".into(),
                    Input::Text if field.name.ends_with("duf_number") => "201912345601".into(),
                    Input::Text if field.name.ends_with("account") => "12345678903".into(),
                    Input::Text if field.name == "number" => "EP1234567".into(),
                    Input::Text | Input::LongText => "Some words".into(),
                    Input::Date => "2026-11-20".into(),
                    Input::Choice(options) => {
                        if field.name == "payee.method" {
                            "cash".into()
                        } else {
                            options[0].0.into()
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
            CommandDto::parse(body.to_string().as_bytes())
                .and_then(CommandDto::into_action)
                .unwrap_or_else(|e| panic!("{kind:?}: {e}: {body}"));
        }
    }

    #[test]
    fn missing_and_malformed_values_are_named_by_field() {
        let errors = body(CommandKind::Refuse, &pairs(&[("reasons", " ")])).unwrap_err();
        assert_eq!(
            errors.get("reasons").map(String::as_str),
            Some("This is required.")
        );
        assert_eq!(
            errors.get("notified_on").map(String::as_str),
            Some("This is required.")
        );

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

        // What only the API's parser knows is placed by the path it names.
        let body = booking("2026-02-27", "not a flight").expect("all there");
        let message = CommandDto::parse(body.to_string().as_bytes()).unwrap_err();
        let (field, text) = place_error(CommandKind::BookDeparture, &message);
        assert_eq!(field.as_deref(), Some("booking.flight"), "{message}");
        assert!(text.contains("not a flight"), "{text}");
        let (field, text) = place_error(CommandKind::Refuse, "missing field `notified_on`");
        assert_eq!(field.as_deref(), Some("notified_on"));
        assert_eq!(text, "This is required.");
    }

    #[test]
    fn each_member_of_a_household_is_asked_for_under_a_legend_of_its_own() {
        let fields = fields(CommandKind::Submit);
        let runs: Vec<Option<usize>> = by_member(&fields).iter().map(|(m, _)| *m).collect();
        assert_eq!(runs, [Some(0), Some(1), Some(2), None]);
        let drawn = form(
            CaseId::from_uuid(Uuid::nil()),
            CommandKind::Submit,
            &[],
            0,
            None,
            true,
        )
        .into_string();
        assert!(drawn.contains("<legend>The principal applicant</legend>"));
        assert_eq!(drawn.matches("<fieldset class=\"member\">").count(), 3);
    }

    #[test]
    fn amounts_are_exact_in_minor_units() {
        assert_eq!(minor_units("NOK", "1 500,50"), Ok(150_050));
        assert_eq!(minor_units("NOK", "20000"), Ok(2_000_000));
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
}
