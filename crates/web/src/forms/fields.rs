//! What each command's form asks, field by field, in the order it is asked: each field named by
//! the path of the command's JSON field it fills.

use retur_domain::CommandKind;
use uuid::Uuid;

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

pub(super) const DISMISSAL_GROUNDS: &[(&str, &str)] = &[
    ("late", "Lodged after the appeal deadline"),
    ("not_a_party", "Lodged by someone who is not a party"),
    ("other_formal_defect", "Another formal condition is not met"),
];
pub(super) const LATE_APPEAL_GROUNDS: &[(&str, &str)] = &[
    (
        "not_to_blame",
        "The appellant cannot be blamed for the delay (fvl. § 31 a)",
    ),
    (
        "special_reasons",
        "There are special reasons to hear it (fvl. § 31 b)",
    ),
];
pub(super) const RESCHEDULE_CAUSES: &[(&str, &str)] = &[
    ("medical_certificate", "Medical certificate"),
    ("iom_or_airline", "IOM or the airline"),
];
pub(super) const DOCUMENTS: &[(&str, &str)] = &[
    ("passport", "Passport"),
    ("emergency_travel_document", "Emergency travel document"),
    ("laissez_passer", "Laissez-passer"),
];
pub(super) const SITUATIONS: &[(&str, &str)] = &[
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
pub(super) const RELATIONS: &[(&str, &str)] = &[
    ("spouse", "Spouse"),
    ("partner", "Partner"),
    ("child", "Child"),
    ("parent", "Parent"),
    ("sibling", "Sibling"),
    ("other_relative", "Other relative"),
];
pub(super) const PAYMENT_METHODS: &[(&str, &str)] =
    &[("cash", "Cash"), ("bank_transfer", "Bank transfer")];
pub(super) const ROLES: &[(&str, &str)] = &[
    ("udi", "UDI"),
    ("une", "UNE"),
    ("iom", "IOM"),
    ("auditor", "Auditors"),
    ("applicant", "The applicant"),
];

/// Members of the household a new application has room for, after the principal applicant.
pub(super) const MORE_MEMBERS: usize = 2;

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
