//! The states of a case and the one table of transitions between them.
//!
//! [`TRANSITIONS`] is the source of truth three times over: `decide` refuses a command whose
//! (state, command) pair is not in it; a property test checks that every accepted command moves
//! the case along a row of it; and a test renders it as the Mermaid diagram and the table in
//! `docs/domain.md`, so the document cannot drift from the code.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::command::CommandKind;
use crate::ids::Role;

/// Every variant of an enum as an array (strum's `VARIANTS` is a slice), so that `for x in ALL`
/// goes over values.
const fn every<T: Copy, const N: usize>(variants: &[T]) -> [T; N] {
    let mut all = [variants[0]; N];
    let mut i = 0;
    while i < N {
        all[i] = variants[i];
        i += 1;
    }
    all
}

/// Where a case stands.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumCount,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// No application yet: the stream is empty.
    #[default]
    New,
    Submitted,
    UnderReview,
    /// Refused by UDI; the appeal window is open.
    Refused,
    /// An appeal posted after the deadline: UDI accepts it for hearing (forvaltningsloven § 31)
    /// or dismisses it as late, and may do nothing else with it before.
    LateAppealLodged,
    AppealLodged,
    ForwardedToUne,
    /// Refused for good: an appeal was decided, or none came before the window closed (then an
    /// appeal posted in time and registered later, or a late one, can still be lodged).
    RefusedFinal,
    Approved,
    HandedToIom,
    TravelDocumentsPending,
    /// Travel documents obtained; IOM can book.
    ReadyToBook,
    DepartureBooked,
    NoShow,
    Departed,
    Arrived,
    PayoutInProgress,
    PaidOut,
    Closed,
    Withdrawn,
    /// Approval revoked by UDI; the appeal window is open.
    Revoked,
    /// Revoked for good, as `RefusedFinal` is refused for good.
    RevokedFinal,
    /// The travel deadline passed before departure.
    Lapsed,
    /// The police carried out a forced return; recorded as an outside fact.
    ForcedReturn,
    RepaymentClaimed,
}

impl Status {
    /// Every state, in the order of the variants.
    pub const ALL: [Status; <Status as strum::EnumCount>::COUNT] =
        every(<Status as strum::VariantArray>::VARIANTS);

    /// The name used in events, the API and the documentation.
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// The agency whose move it is, if any.
    pub fn owner(&self) -> Option<Role> {
        match self {
            Status::Submitted
            | Status::UnderReview
            | Status::LateAppealLodged
            | Status::AppealLodged
            | Status::Approved
            | Status::NoShow => Some(Role::Udi),
            Status::Refused | Status::Revoked => Some(Role::Applicant),
            Status::ForwardedToUne => Some(Role::Une),
            Status::HandedToIom
            | Status::TravelDocumentsPending
            | Status::ReadyToBook
            | Status::DepartureBooked
            | Status::Departed
            | Status::Arrived
            | Status::PayoutInProgress
            | Status::PaidOut => Some(Role::Iom),
            Status::New
            | Status::RefusedFinal
            | Status::Closed
            | Status::Withdrawn
            | Status::RevokedFinal
            | Status::Lapsed
            | Status::ForcedReturn
            | Status::RepaymentClaimed => None,
        }
    }

    /// The work queue a case in this state stands in, named within its owner's queues: what an
    /// agency's caseworkers have to do next. `None` where no agency has a move (the applicant's
    /// turn, or the case has ended).
    pub fn queue(&self) -> Option<&'static str> {
        match self {
            Status::Submitted | Status::UnderReview => Some("to_decide"),
            Status::LateAppealLodged => Some("late_appeals_to_consider"),
            Status::AppealLodged => Some("appeals_to_reconsider"),
            Status::Approved => Some("to_hand_over"),
            Status::NoShow => Some("no_shows"),
            Status::ForwardedToUne => Some("appeals_to_decide"),
            Status::HandedToIom => Some("handed_over"),
            Status::TravelDocumentsPending => Some("awaiting_travel_documents"),
            Status::ReadyToBook => Some("to_book"),
            Status::DepartureBooked => Some("booked"),
            Status::Departed => Some("in_transit"),
            Status::Arrived | Status::PayoutInProgress => Some("payouts_due"),
            Status::PaidOut => Some("to_close"),
            _ => None,
        }
    }

    /// The work queues of `agency`, in the order a case moves through them; none for a role
    /// that owns no state.
    pub fn queues_of(agency: Role) -> Vec<&'static str> {
        let mut queues = Vec::new();
        for status in Status::ALL {
            if let Some(queue) = status.queue().filter(|_| status.owner() == Some(agency))
                && !queues.contains(&queue)
            {
                queues.push(queue);
            }
        }
        queues
    }

    /// A terminal state ends the case: it accepts only the commands its rows in
    /// [`TRANSITIONS`] name (a closed case can still record a re-entry and claim repayment).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Status::RefusedFinal
                | Status::Closed
                | Status::Withdrawn
                | Status::RevokedFinal
                | Status::Lapsed
                | Status::ForcedReturn
                | Status::RepaymentClaimed
        )
    }

    /// Before the household has left Norway, while the case is still open.
    pub fn is_before_departure(&self) -> bool {
        matches!(
            self,
            Status::Submitted
                | Status::UnderReview
                | Status::Refused
                | Status::LateAppealLodged
                | Status::AppealLodged
                | Status::ForwardedToUne
                | Status::Approved
                | Status::HandedToIom
                | Status::TravelDocumentsPending
                | Status::ReadyToBook
                | Status::DepartureBooked
                | Status::NoShow
                | Status::Revoked
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl CommandKind {
    /// The commands about a person's personal data rather than the case's progress: UDI, the
    /// controller of the data, may give them in every state but `new`, and they leave the state
    /// as it is. They stand outside [`TRANSITIONS`], which is the workflow alone.
    pub const DATA_PROTECTION: [CommandKind; 3] = [
        CommandKind::RestrictPersonalData,
        CommandKind::LiftRestriction,
        CommandKind::ErasePersonalData,
    ];

    pub fn is_data_protection(&self) -> bool {
        CommandKind::DATA_PROTECTION.contains(self)
    }

    /// Every command, in the order of [`Action`](crate::Action)'s variants.
    pub const ALL: [CommandKind; <CommandKind as strum::EnumCount>::COUNT] =
        every(<CommandKind as strum::VariantArray>::VARIANTS);

    /// The only role that may give this command. A lawyer or guardian acts in the applicant's
    /// role; deadlines that pass are fired by the system.
    pub fn owner(&self) -> Role {
        use CommandKind::*;
        match self {
            Submit | LodgeAppeal | Withdraw => Role::Applicant,
            BeginReview | Approve | Refuse | AcceptLateAppeal | ReverseDecision | DismissAppeal
            | ForwardToUne | HandOverToIom | RevokeApproval | RecordForcedReturn
            | RecordReEntry | ClaimRepayment | RestrictPersonalData | LiftRestriction
            | ErasePersonalData => Role::Udi,
            AllowAppeal | RejectAppeal | QuashDecision | DismissAppealAtUne => Role::Une,
            RequestTravelDocument
            | RecordTravelDocument
            | BookDeparture
            | RescheduleDeparture
            | ReportNoShow
            | RebookDeparture
            | ConfirmDeparture
            | ConfirmArrival
            | RecordSelfDeclaration
            | PayPocketMoney
            | PayReintegrationTranche
            | CloseCase => Role::Iom,
            CloseAppealWindow | FlagPayoutOverdue | LapseTravelDeadline => Role::System,
        }
    }

    /// The command's name on the wire and in the log (`begin_review`).
    pub fn name(&self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of the lifecycle: in state `from`, command `command` may lead to state `to`.
/// A command with several rows from one state leads to one of them, depending on its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Transition {
    pub from: Status,
    pub command: CommandKind,
    pub to: Status,
}

const fn row(from: Status, command: CommandKind, to: Status) -> Transition {
    Transition { from, command, to }
}

use CommandKind as C;
use Status as S;

/// The whole lifecycle. Withdrawal, forced return, revocation and lapse apply from many states
/// and are listed state by state, so that every row is explicit.
pub const TRANSITIONS: &[Transition] = &[
    // Application and UDI's decision.
    row(S::New, C::Submit, S::Submitted),
    row(S::Submitted, C::BeginReview, S::UnderReview),
    row(S::UnderReview, C::Approve, S::Approved),
    row(S::UnderReview, C::Refuse, S::Refused),
    // Appeal against a refusal or a revocation. An appeal is judged by the day it was posted
    // (forvaltningsloven § 30): in time, it is lodged; late, it waits for UDI to accept it
    // (§ 31) or dismiss it. A decision made final only by its window closing still takes an
    // appeal, posted in time and registered after, or late; `decide` refuses one against a
    // decision made final by an appeal's outcome.
    row(S::Refused, C::LodgeAppeal, S::AppealLodged),
    row(S::Refused, C::LodgeAppeal, S::LateAppealLodged),
    row(S::Refused, C::CloseAppealWindow, S::RefusedFinal),
    row(S::Revoked, C::LodgeAppeal, S::AppealLodged),
    row(S::Revoked, C::LodgeAppeal, S::LateAppealLodged),
    row(S::Revoked, C::CloseAppealWindow, S::RevokedFinal),
    row(S::RefusedFinal, C::LodgeAppeal, S::AppealLodged),
    row(S::RefusedFinal, C::LodgeAppeal, S::LateAppealLodged),
    row(S::RevokedFinal, C::LodgeAppeal, S::AppealLodged),
    row(S::RevokedFinal, C::LodgeAppeal, S::LateAppealLodged),
    row(S::LateAppealLodged, C::AcceptLateAppeal, S::AppealLodged),
    row(S::LateAppealLodged, C::DismissAppeal, S::RefusedFinal),
    row(S::LateAppealLodged, C::DismissAppeal, S::RevokedFinal),
    row(S::AppealLodged, C::ReverseDecision, S::Approved),
    row(S::AppealLodged, C::DismissAppeal, S::RefusedFinal),
    row(S::AppealLodged, C::DismissAppeal, S::RevokedFinal),
    row(S::AppealLodged, C::ForwardToUne, S::ForwardedToUne),
    row(S::ForwardedToUne, C::AllowAppeal, S::Approved),
    row(S::ForwardedToUne, C::RejectAppeal, S::RefusedFinal),
    row(S::ForwardedToUne, C::RejectAppeal, S::RevokedFinal),
    row(S::ForwardedToUne, C::QuashDecision, S::UnderReview),
    row(S::ForwardedToUne, C::QuashDecision, S::Approved),
    row(S::ForwardedToUne, C::DismissAppealAtUne, S::RefusedFinal),
    row(S::ForwardedToUne, C::DismissAppealAtUne, S::RevokedFinal),
    // Hand-over and travel.
    row(S::Approved, C::HandOverToIom, S::HandedToIom),
    row(
        S::HandedToIom,
        C::RequestTravelDocument,
        S::TravelDocumentsPending,
    ),
    row(
        S::ReadyToBook,
        C::RequestTravelDocument,
        S::TravelDocumentsPending,
    ),
    row(
        S::TravelDocumentsPending,
        C::RequestTravelDocument,
        S::TravelDocumentsPending,
    ),
    row(
        S::TravelDocumentsPending,
        C::RecordTravelDocument,
        S::TravelDocumentsPending,
    ),
    row(
        S::TravelDocumentsPending,
        C::RecordTravelDocument,
        S::ReadyToBook,
    ),
    row(S::HandedToIom, C::BookDeparture, S::DepartureBooked),
    row(S::ReadyToBook, C::BookDeparture, S::DepartureBooked),
    row(
        S::DepartureBooked,
        C::RescheduleDeparture,
        S::DepartureBooked,
    ),
    row(S::DepartureBooked, C::ReportNoShow, S::NoShow),
    row(S::NoShow, C::RebookDeparture, S::DepartureBooked),
    row(S::DepartureBooked, C::ConfirmDeparture, S::Departed),
    row(S::Departed, C::ConfirmArrival, S::Arrived),
    // Self-declaration: signed once, at any time from hand-over until the grant is paid.
    row(S::HandedToIom, C::RecordSelfDeclaration, S::HandedToIom),
    row(
        S::TravelDocumentsPending,
        C::RecordSelfDeclaration,
        S::TravelDocumentsPending,
    ),
    row(S::ReadyToBook, C::RecordSelfDeclaration, S::ReadyToBook),
    row(
        S::DepartureBooked,
        C::RecordSelfDeclaration,
        S::DepartureBooked,
    ),
    row(S::NoShow, C::RecordSelfDeclaration, S::NoShow),
    row(S::Departed, C::RecordSelfDeclaration, S::Departed),
    row(S::Arrived, C::RecordSelfDeclaration, S::Arrived),
    // Payouts.
    row(S::Departed, C::PayPocketMoney, S::Departed),
    row(S::Arrived, C::PayPocketMoney, S::Arrived),
    row(S::PayoutInProgress, C::PayPocketMoney, S::PayoutInProgress),
    row(S::PaidOut, C::PayPocketMoney, S::PaidOut),
    row(S::Arrived, C::PayReintegrationTranche, S::PayoutInProgress),
    row(S::Arrived, C::PayReintegrationTranche, S::PaidOut),
    row(
        S::PayoutInProgress,
        C::PayReintegrationTranche,
        S::PayoutInProgress,
    ),
    row(S::PayoutInProgress, C::PayReintegrationTranche, S::PaidOut),
    row(S::Arrived, C::FlagPayoutOverdue, S::Arrived),
    row(
        S::PayoutInProgress,
        C::FlagPayoutOverdue,
        S::PayoutInProgress,
    ),
    row(S::PaidOut, C::CloseCase, S::Closed),
    row(S::Arrived, C::CloseCase, S::Closed),
    // Re-entry to Norway within the repayment window, after departure.
    row(S::Departed, C::RecordReEntry, S::Departed),
    row(S::Arrived, C::RecordReEntry, S::Arrived),
    row(S::PayoutInProgress, C::RecordReEntry, S::PayoutInProgress),
    row(S::PaidOut, C::RecordReEntry, S::PaidOut),
    row(S::Closed, C::RecordReEntry, S::Closed),
    row(S::PayoutInProgress, C::ClaimRepayment, S::RepaymentClaimed),
    row(S::PaidOut, C::ClaimRepayment, S::RepaymentClaimed),
    row(S::Closed, C::ClaimRepayment, S::RepaymentClaimed),
    // Withdrawal by the applicant, at any time before departure.
    row(S::Submitted, C::Withdraw, S::Withdrawn),
    row(S::UnderReview, C::Withdraw, S::Withdrawn),
    row(S::Refused, C::Withdraw, S::Withdrawn),
    row(S::LateAppealLodged, C::Withdraw, S::Withdrawn),
    row(S::AppealLodged, C::Withdraw, S::Withdrawn),
    row(S::ForwardedToUne, C::Withdraw, S::Withdrawn),
    row(S::Approved, C::Withdraw, S::Withdrawn),
    row(S::HandedToIom, C::Withdraw, S::Withdrawn),
    row(S::TravelDocumentsPending, C::Withdraw, S::Withdrawn),
    row(S::ReadyToBook, C::Withdraw, S::Withdrawn),
    row(S::DepartureBooked, C::Withdraw, S::Withdrawn),
    row(S::NoShow, C::Withdraw, S::Withdrawn),
    row(S::Revoked, C::Withdraw, S::Withdrawn),
    // Revocation of an approval by UDI, at any time before departure.
    row(S::Approved, C::RevokeApproval, S::Revoked),
    row(S::HandedToIom, C::RevokeApproval, S::Revoked),
    row(S::TravelDocumentsPending, C::RevokeApproval, S::Revoked),
    row(S::ReadyToBook, C::RevokeApproval, S::Revoked),
    row(S::DepartureBooked, C::RevokeApproval, S::Revoked),
    row(S::NoShow, C::RevokeApproval, S::Revoked),
    // The travel deadline passing before departure.
    row(S::Approved, C::LapseTravelDeadline, S::Lapsed),
    row(S::HandedToIom, C::LapseTravelDeadline, S::Lapsed),
    row(S::TravelDocumentsPending, C::LapseTravelDeadline, S::Lapsed),
    row(S::ReadyToBook, C::LapseTravelDeadline, S::Lapsed),
    row(S::DepartureBooked, C::LapseTravelDeadline, S::Lapsed),
    row(S::NoShow, C::LapseTravelDeadline, S::Lapsed),
    // A forced return by the police ends any case still open before departure.
    row(S::Submitted, C::RecordForcedReturn, S::ForcedReturn),
    row(S::UnderReview, C::RecordForcedReturn, S::ForcedReturn),
    row(S::Refused, C::RecordForcedReturn, S::ForcedReturn),
    row(S::LateAppealLodged, C::RecordForcedReturn, S::ForcedReturn),
    row(S::AppealLodged, C::RecordForcedReturn, S::ForcedReturn),
    row(S::ForwardedToUne, C::RecordForcedReturn, S::ForcedReturn),
    row(S::Approved, C::RecordForcedReturn, S::ForcedReturn),
    row(S::HandedToIom, C::RecordForcedReturn, S::ForcedReturn),
    row(
        S::TravelDocumentsPending,
        C::RecordForcedReturn,
        S::ForcedReturn,
    ),
    row(S::ReadyToBook, C::RecordForcedReturn, S::ForcedReturn),
    row(S::DepartureBooked, C::RecordForcedReturn, S::ForcedReturn),
    row(S::NoShow, C::RecordForcedReturn, S::ForcedReturn),
    row(S::Revoked, C::RecordForcedReturn, S::ForcedReturn),
    row(S::RefusedFinal, C::RecordForcedReturn, S::ForcedReturn),
    row(S::RevokedFinal, C::RecordForcedReturn, S::ForcedReturn),
];

/// Whether `command` may be given in state `from` at all.
pub fn is_allowed(from: Status, command: CommandKind) -> bool {
    if command.is_data_protection() {
        return from != Status::New;
    }
    TRANSITIONS
        .iter()
        .any(|t| t.from == from && t.command == command)
}

/// Whether `command` in state `from` may lead to `to`.
pub fn is_transition(from: Status, command: CommandKind, to: Status) -> bool {
    if command.is_data_protection() {
        return from != Status::New && from == to;
    }
    TRANSITIONS.contains(&row(from, command, to))
}

/// The commands anyone may give in a state, each once, in the table's order.
pub fn commands_in(from: Status) -> Vec<CommandKind> {
    let mut commands: Vec<CommandKind> = TRANSITIONS
        .iter()
        .filter(|t| t.from == from)
        .map(|t| t.command)
        .collect();
    commands.dedup();
    if from != Status::New {
        commands.extend(CommandKind::DATA_PROTECTION);
    }
    commands
}

/// The commands a role may give in a state: what a caseworker's screen offers.
pub fn commands_for(role: Role, from: Status) -> Vec<CommandKind> {
    let mut commands = commands_in(from);
    commands.retain(|command| command.owner() == role);
    commands
}

/// The state diagram as Mermaid: every row that changes the state, one edge per row.
pub fn mermaid_state_diagram() -> String {
    let mut text = String::from("stateDiagram-v2\n    [*] --> new\n");
    for t in TRANSITIONS.iter().filter(|t| t.from != t.to) {
        text.push_str(&format!("    {} --> {} : {}\n", t.from, t.to, t.command));
    }
    for status in Status::ALL.iter().filter(|s| s.is_terminal()) {
        text.push_str(&format!("    {status} --> [*]\n"));
    }
    text
}

/// The rows that keep the state, as a Markdown table: state, then the commands it accepts.
pub fn markdown_commands_keeping_state() -> String {
    let mut text = String::from("| state | commands that keep the state |\n|---|---|\n");
    for status in Status::ALL {
        let commands: Vec<&str> = TRANSITIONS
            .iter()
            .filter(|t| t.from == status && t.to == status)
            .map(|t| t.command.name())
            .collect();
        if !commands.is_empty() {
            text.push_str(&format!("| {} | {} |\n", status, commands.join(", ")));
        }
    }
    text
}

/// Who gives each command, as a Markdown table.
pub fn markdown_command_owners() -> String {
    let mut text = String::from("| command | given by |\n|---|---|\n");
    for command in CommandKind::ALL {
        text.push_str(&format!("| {} | {} |\n", command, command.owner()));
    }
    text
}
