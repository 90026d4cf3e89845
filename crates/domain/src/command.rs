//! Commands: what an acting party asks of a case. Every value in a command is already parsed
//! into a domain type, so `decide` checks rules, never shapes.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::application::{Application, Statement};
use crate::country::CountryCode;
use crate::ids::{Actor, PersonId, Role};
use crate::money::{ExchangeRates, Money};
use crate::travel::{
    BankAccount, Booking, DismissalGround, DocumentNumber, LateAppealGround, RescheduleCause,
    TravelDocumentKind,
};

/// A command: who acts, and what they ask for.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub actor: Actor,
    pub action: Action,
}

impl Command {
    pub fn new(actor: Actor, action: Action) -> Self {
        Command { actor, action }
    }
}

/// What is asked for. Dates in a command are facts from outside the system (when the applicant
/// was notified, when the flight left); the date of the decision itself is taken from the clock
/// in the context.
#[derive(Clone, Debug, PartialEq, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(CommandKind),
    doc = "Every command, without its data: what the transition table and the role matrix speak of.",
    derive(
        PartialOrd,
        Ord,
        Hash,
        serde::Serialize,
        serde::Deserialize,
        strum::IntoStaticStr,
        strum::VariantArray,
        strum::EnumCount
    ),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case")
)]
pub enum Action {
    Submit(Box<Application>),
    BeginReview,
    /// UDI approves. `particularly_vulnerable` is UDI's judgement of who in the household is
    /// particularly vulnerable, where a country programme gives them more (Morocco); usually
    /// no one.
    Approve {
        particularly_vulnerable: BTreeSet<PersonId>,
    },
    Refuse {
        reasons: Statement,
        notified_on: NaiveDate,
    },
    LodgeAppeal {
        grounds: Statement,
        /// The day the appeal was posted or handed in, which decides whether it is in time
        /// (forvaltningsloven § 30); `None` for today, as for an appeal sent the day it is
        /// registered.
        posted_on: Option<NaiveDate>,
    },
    /// UDI hears a late appeal all the same (forvaltningsloven § 31).
    AcceptLateAppeal {
        ground: LateAppealGround,
        reasoning: Statement,
    },
    /// UDI reconsiders and approves: with its judgement of who is particularly vulnerable.
    ReverseDecision {
        reasoning: Statement,
        particularly_vulnerable: BTreeSet<PersonId>,
    },
    DismissAppeal {
        ground: DismissalGround,
        reasoning: Statement,
    },
    ForwardToUne {
        assessment: Statement,
    },
    /// UNE allows the appeal and approves: with its judgement of who is particularly vulnerable.
    AllowAppeal {
        reasoning: Statement,
        particularly_vulnerable: BTreeSet<PersonId>,
    },
    RejectAppeal {
        reasoning: Statement,
    },
    QuashDecision {
        reasoning: Statement,
    },
    DismissAppealAtUne {
        ground: DismissalGround,
        reasoning: Statement,
    },
    CloseAppealWindow,
    HandOverToIom,
    RequestTravelDocument {
        persons: Vec<PersonId>,
        document: TravelDocumentKind,
        issuing_country: CountryCode,
    },
    RecordTravelDocument {
        person_id: PersonId,
        document: TravelDocumentKind,
        number: DocumentNumber,
        valid_until: NaiveDate,
    },
    BookDeparture(Booking),
    RescheduleDeparture {
        cause: RescheduleCause,
        booking: Booking,
    },
    ReportNoShow,
    RebookDeparture(Booking),
    ConfirmDeparture {
        departed_on: NaiveDate,
    },
    ConfirmArrival {
        arrived_on: NaiveDate,
    },
    RecordSelfDeclaration {
        signed_on: NaiveDate,
    },
    PayPocketMoney,
    PayReintegrationTranche {
        amount: Money,
        rates: ExchangeRates,
        payee: Payee,
    },
    FlagPayoutOverdue,
    CloseCase,
    Withdraw,
    RevokeApproval {
        reasons: Statement,
        notified_on: NaiveDate,
    },
    LapseTravelDeadline,
    RecordForcedReturn {
        returned_on: NaiveDate,
    },
    RecordReEntry {
        re_entered_on: NaiveDate,
    },
    ClaimRepayment {
        amount: Money,
    },
    /// From now on only `visible_to` may see the person's personal data.
    RestrictPersonalData {
        person: PersonId,
        visible_to: BTreeSet<Role>,
    },
    LiftRestriction {
        person: PersonId,
    },
    /// Records that the person's key is destroyed; the app destroys it before it appends.
    ErasePersonalData {
        person: PersonId,
    },
}

/// Who a tranche is paid to and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payee {
    /// Paid by bank transfer to this account, held by this person of the household.
    BankTransfer {
        person_id: PersonId,
        account: BankAccount,
    },
    /// Paid in cash at IOM's office.
    Cash,
}

impl Action {
    /// UDI's approval with no one judged particularly vulnerable.
    pub fn approve() -> Action {
        Action::Approve {
            particularly_vulnerable: BTreeSet::new(),
        }
    }

    pub fn kind(&self) -> CommandKind {
        self.into()
    }
}
