//! The role × command matrix, exhaustively: every role against every command.

use retur_app::may_give;
use retur_domain::{CommandKind, Role};

#[test]
fn each_command_is_given_by_its_owner_and_by_no_other_role() {
    let mut allowed = 0;
    for role in Role::ALL {
        for command in CommandKind::ALL {
            let expected = command.owner() == role;
            assert_eq!(may_give(role, command), expected, "{role} × {command}");
            allowed += usize::from(expected);
        }
    }
    assert_eq!(
        allowed,
        CommandKind::ALL.len(),
        "every command has exactly one role that may give it"
    );
    assert!(
        CommandKind::ALL
            .iter()
            .all(|c| !may_give(Role::Auditor, *c)),
        "an auditor gives no command"
    );
}
