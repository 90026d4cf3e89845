//! The command a group of events came from. Every command's events carry what the command
//! said (dates, amounts, statements under `personal`), so an auditor can rebuild the command
//! and decide it again: if `decide`, on the case as it stood and with the time it was decided
//! at, gives exactly the stored events, the history is one the rules allowed.

use crate::application::{Application, Household, Statement};
use crate::command::{Action, Payee};
use crate::event::{AppealBody, Event, Personal, Written};
use crate::travel::PaymentMethod;

/// Why a group of events is not the output of any one command.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotACommand {
    #[error("no command records the events {0:?} together")]
    UnknownShape(Vec<&'static str>),
    #[error("the {0} needed to rebuild the command is missing or erased")]
    Missing(&'static str),
}

/// The action whose decision recorded exactly `events`.
pub fn command_of(events: &[Event]) -> Result<Action, NotACommand> {
    use Event as E;
    let action = match events {
        [E::ApplicationSubmitted(e)] => {
            let mut people = e.household.iter().map(|member| {
                let details = e
                    .personal
                    .get(&member.person_id)
                    .ok_or(NotACommand::Missing("personal data of the household"))?;
                Ok((member.clone(), details.person.clone()))
            });
            let principal = people
                .next()
                .ok_or(NotACommand::Missing("principal applicant"))??;
            let members = people.collect::<Result<Vec<_>, NotACommand>>()?;
            let final_destination = e
                .personal
                .get(&principal.0.person_id)
                .and_then(|d| d.final_destination.clone())
                .ok_or(NotACommand::Missing("final destination"))?;
            let household = Household::new(principal, members)
                .map_err(|_| NotACommand::Missing("a valid household"))?;
            Action::Submit(Box::new(Application {
                household,
                nationality: e.nationality,
                return_country: e.return_country,
                final_destination,
                situation: e.situation,
                departure_deadline: e.departure_deadline,
                previously_assisted_and_reimmigrated: e.previously_assisted_and_reimmigrated,
                refused_for_status_in_other_eea_country: e.refused_for_status_in_other_eea_country,
            }))
        }
        [E::ReviewStarted(_)] => Action::BeginReview,
        [E::ApplicationApproved(e)] => Action::Approve {
            particularly_vulnerable: e.particularly_vulnerable.clone(),
        },
        [E::ApplicationRefused(e)] => Action::Refuse {
            reasons: said(&e.personal)?,
            notified_on: e.notified_on,
        },
        [E::AppealLodged(e)] => Action::LodgeAppeal {
            grounds: said(&e.personal)?,
            posted_on: Some(e.posted_on),
        },
        [E::LateAppealAccepted(e)] => Action::AcceptLateAppeal {
            ground: e.ground,
            reasoning: said(&e.personal)?,
        },
        [E::DecisionReversed(e), E::ApplicationApproved(a)] => Action::ReverseDecision {
            reasoning: said(&e.personal)?,
            particularly_vulnerable: a.particularly_vulnerable.clone(),
        },
        [E::AppealDismissed(e)] => {
            let reasoning = said(&e.personal)?;
            match e.by {
                AppealBody::Udi => Action::DismissAppeal {
                    ground: e.ground,
                    reasoning,
                },
                AppealBody::Une => Action::DismissAppealAtUne {
                    ground: e.ground,
                    reasoning,
                },
            }
        }
        [E::AppealForwardedToUne(e)] => Action::ForwardToUne {
            assessment: said(&e.personal)?,
        },
        [E::AppealAllowed(e), E::ApplicationApproved(a)] => Action::AllowAppeal {
            reasoning: said(&e.personal)?,
            particularly_vulnerable: a.particularly_vulnerable.clone(),
        },
        [E::AppealRejected(e)] => Action::RejectAppeal {
            reasoning: said(&e.personal)?,
        },
        [E::DecisionQuashed(e)] | [E::DecisionQuashed(e), E::ApplicationApproved(_)] => {
            Action::QuashDecision {
                reasoning: said(&e.personal)?,
            }
        }
        [E::AppealWindowClosed(_)] => Action::CloseAppealWindow,
        [E::HandedOverToIom(_)] => Action::HandOverToIom,
        [E::TravelDocumentRequested(e)] => Action::RequestTravelDocument {
            persons: e.persons.clone(),
            document: e.document,
            issuing_country: e.issuing_country,
        },
        [E::TravelDocumentObtained(e)] => Action::RecordTravelDocument {
            person_id: e.person_id,
            document: e.document,
            number: e
                .personal
                .get(&e.person_id)
                .cloned()
                .ok_or(NotACommand::Missing("document number"))?,
            valid_until: e.valid_until,
        },
        [E::DepartureBooked(e)] => Action::BookDeparture(e.booking.clone()),
        [E::DepartureRescheduled(e)] => Action::RescheduleDeparture {
            cause: e.cause,
            booking: e.booking.clone(),
        },
        [E::NoShowReported(_)] => Action::ReportNoShow,
        [E::DepartureRebooked(e)] => Action::RebookDeparture(e.booking.clone()),
        [E::DepartureConfirmed(e)] => Action::ConfirmDeparture {
            departed_on: e.departed_on,
        },
        [E::ArrivalConfirmed(e)] => Action::ConfirmArrival {
            arrived_on: e.arrived_on,
        },
        [E::SelfDeclarationSigned(e)] => Action::RecordSelfDeclaration {
            signed_on: e.signed_on,
        },
        [E::PocketMoneyPaid(_)] => Action::PayPocketMoney,
        [E::ReintegrationTranchePaid(e)] => {
            let payee = match e.method {
                PaymentMethod::Cash => Payee::Cash,
                PaymentMethod::BankTransfer => {
                    let (person_id, account) = e
                        .personal
                        .0
                        .iter()
                        .next()
                        .ok_or(NotACommand::Missing("bank account"))?;
                    Payee::BankTransfer {
                        person_id: *person_id,
                        account: account.clone(),
                    }
                }
            };
            Action::PayReintegrationTranche {
                amount: e.amount,
                rates: e.rates,
                payee,
            }
        }
        [E::PayoutFlaggedOverdue(_)] => Action::FlagPayoutOverdue,
        [E::CaseClosed(_)] => Action::CloseCase,
        [E::ApplicationWithdrawn(_)] => Action::Withdraw,
        [E::ApprovalRevoked(e)] => Action::RevokeApproval {
            reasons: said(&e.personal)?,
            notified_on: e.notified_on,
        },
        [E::TravelDeadlineLapsed(_)] => Action::LapseTravelDeadline,
        [E::ForcedReturnRecorded(e)] => Action::RecordForcedReturn {
            returned_on: e.returned_on,
        },
        [E::ReEntryRecorded(e)] => Action::RecordReEntry {
            re_entered_on: e.re_entered_on,
        },
        [E::RepaymentClaimed(e)] => Action::ClaimRepayment { amount: e.amount },
        [E::PersonalDataRestricted(e)] => Action::RestrictPersonalData {
            person: e.person,
            visible_to: e.visible_to.clone(),
        },
        [E::RestrictionLifted(e)] => Action::LiftRestriction { person: e.person },
        [E::PersonalDataErased(e)] => Action::ErasePersonalData { person: e.person },
        other => {
            return Err(NotACommand::UnknownShape(
                other.iter().map(Event::event_type).collect(),
            ));
        }
    };
    Ok(action)
}

/// The statement kept under the principal applicant (the only person statements are about).
fn said(personal: &Personal<Written>) -> Result<Statement, NotACommand> {
    personal
        .0
        .values()
        .next()
        .map(|written| written.text.clone())
        .ok_or(NotACommand::Missing("statement"))
}
