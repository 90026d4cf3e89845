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

/// Each role's commands are the ones the kit's table, written out as the process gives them,
/// names for it (UDI decides and keeps the case, UNE hears appeals, IOM arranges the return and
/// pays, the system marks time, the applicant applies, appeals and withdraws), and every
/// command is in the table once; the auditor acts on nothing.
#[test]
fn each_agency_owns_its_part_of_the_process() {
    let mut listed: Vec<&str> = OWNERS.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    let mut commands: Vec<&str> = CommandKind::ALL.iter().map(|k| k.name()).collect();
    commands.sort_unstable();
    assert_eq!(listed, commands, "the table lists every command once");
    for role in Role::ALL {
        let mut owned: Vec<&str> = CommandKind::ALL
            .iter()
            .filter(|k| k.owner() == role)
            .map(|k| k.name())
            .collect();
        let mut expected: Vec<&str> = OWNERS
            .iter()
            .filter(|(_, owner)| *owner == role)
            .map(|(name, _)| *name)
            .collect();
        owned.sort_unstable();
        expected.sort_unstable();
        assert_eq!(owned, expected, "{role}'s commands");
    }
    let count = |role: Role| OWNERS.iter().filter(|(_, owner)| *owner == role).count();
    assert_eq!(
        [
            Role::Applicant,
            Role::Udi,
            Role::Une,
            Role::Iom,
            Role::System,
            Role::Auditor
        ]
        .map(count),
        [3, 15, 4, 12, 3, 0],
        "each agency has its part"
    );
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
