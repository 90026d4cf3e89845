//! Who may do what: each command belongs to one role, and every other role is refused with a
//! reason that names the owner. Checked for every command and every role.

use retur_domain::lifecycle::{self, TRANSITIONS};
use retur_domain::*;

use crate::support::*;

#[test]
fn every_command_is_refused_to_every_role_but_its_owner() {
    // A case in each state where the command is allowed, so the role is the only thing wrong.
    for kind in CommandKind::ALL {
        for role in Role::ALL.into_iter().filter(|role| *role != kind.owner()) {
            let refusal = story()
                .when(actor(role), sample_action(kind))
                .refused("wrong_role");
            assert_eq!(
                refusal,
                Refusal::WrongRole {
                    command: kind,
                    role,
                    owner: kind.owner()
                }
            );
            let sentence = refusal.to_string();
            assert!(
                sentence.contains(kind.owner().as_str()) && sentence.contains(role.as_str()),
                "the refusal names the owner and the caller: {sentence}"
            );
        }
    }
}

#[test]
fn the_role_is_checked_before_the_state_so_a_wrong_role_learns_nothing_of_the_case() {
    let approved = story().submitted(&application()).under_review().approved();
    approved
        .when(iom(), Action::approve())
        .refused("wrong_role");
    approved
        .when(applicant(), Action::HandOverToIom)
        .refused("wrong_role");
}

#[test]
fn the_auditor_changes_nothing() {
    assert!(
        CommandKind::ALL
            .iter()
            .all(|kind| kind.owner() != Role::Auditor)
    );
    let case = story().submitted(&application());
    for kind in CommandKind::ALL {
        case.when(actor(Role::Auditor), sample_action(kind))
            .refused("wrong_role");
    }
}

/// Each role's commands, written out in full as the process gives them (docs/domain.md): UDI
/// decides and keeps the case, UNE hears appeals, IOM arranges the return and pays, the system
/// marks time, the applicant applies, appeals and withdraws, and the auditor acts on nothing.
#[test]
fn each_agency_owns_its_part_of_the_process() {
    let owners = |role: Role| -> Vec<&str> {
        CommandKind::ALL
            .iter()
            .filter(|k| k.owner() == role)
            .map(|k| k.name())
            .collect()
    };
    assert_eq!(
        owners(Role::Applicant),
        ["submit", "lodge_appeal", "withdraw"]
    );
    assert_eq!(
        owners(Role::Udi),
        [
            "begin_review",
            "approve",
            "refuse",
            "accept_late_appeal",
            "reverse_decision",
            "dismiss_appeal",
            "forward_to_une",
            "hand_over_to_iom",
            "revoke_approval",
            "record_forced_return",
            "record_re_entry",
            "claim_repayment",
            "restrict_personal_data",
            "lift_restriction",
            "erase_personal_data",
        ]
    );
    assert_eq!(
        owners(Role::Une),
        [
            "allow_appeal",
            "reject_appeal",
            "quash_decision",
            "dismiss_appeal_at_une"
        ]
    );
    assert_eq!(
        owners(Role::Iom),
        [
            "request_travel_document",
            "record_travel_document",
            "book_departure",
            "reschedule_departure",
            "report_no_show",
            "rebook_departure",
            "confirm_departure",
            "confirm_arrival",
            "record_self_declaration",
            "pay_pocket_money",
            "pay_reintegration_tranche",
            "close_case",
        ]
    );
    assert_eq!(
        owners(Role::System),
        [
            "close_appeal_window",
            "flag_payout_overdue",
            "lapse_travel_deadline"
        ]
    );
    assert!(owners(Role::Auditor).is_empty());
}

#[test]
fn the_commands_offered_to_a_role_are_those_the_table_allows_it_in_that_state() {
    assert_eq!(
        lifecycle::commands_for(Role::Udi, Status::UnderReview),
        [
            CommandKind::Approve,
            CommandKind::Refuse,
            CommandKind::RecordForcedReturn,
            CommandKind::RestrictPersonalData,
            CommandKind::LiftRestriction,
            CommandKind::ErasePersonalData,
        ]
    );
    assert!(
        lifecycle::commands_in(Status::New) == [CommandKind::Submit],
        "nothing can be done about the personal data of a case that does not exist"
    );
    assert_eq!(
        lifecycle::commands_for(Role::Applicant, Status::Refused),
        [CommandKind::LodgeAppeal, CommandKind::Withdraw]
    );
    assert!(
        lifecycle::commands_for(Role::Iom, Status::Refused).is_empty(),
        "IOM has nothing to do with a refusal"
    );
    assert!(
        TRANSITIONS
            .iter()
            .all(|t| t.command.owner() != Role::Auditor)
    );
}
