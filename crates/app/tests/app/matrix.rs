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

/// Need-to-know, the role × event table, exhaustively: every role against every way IOM and UNE
/// may or may not have been given their parts. Written out here as the table itself, so the
/// rule is stated twice, once as code and once as expectations.
#[test]
fn a_case_exists_for_iom_from_the_hand_over_and_for_une_from_a_forwarded_appeal() {
    use retur_app::has_part;
    use retur_domain::case::Involvement;

    let on = chrono::NaiveDate::from_ymd_opt(2025, 3, 3);
    let neither = Involvement::default();
    let handed = Involvement {
        handed_to_iom_on: on,
        ..Involvement::default()
    };
    let forwarded = Involvement {
        forwarded_to_une_on: on,
        ..Involvement::default()
    };
    let both = Involvement {
        handed_to_iom_on: on,
        forwarded_to_une_on: on,
    };
    //                               neither handed forwarded both
    let table: [(Role, [bool; 4]); 6] = [
        (Role::Applicant, [true, true, true, true]),
        (Role::Udi, [true, true, true, true]),
        (Role::Une, [false, false, true, true]),
        (Role::Iom, [false, true, false, true]),
        (Role::Auditor, [true, true, true, true]),
        (Role::System, [true, true, true, true]),
    ];
    assert_eq!(table.len(), Role::ALL.len(), "every role is in the table");
    for (role, expected) in table {
        for (involvement, expected) in [neither, handed, forwarded, both].iter().zip(expected) {
            assert_eq!(
                has_part(role, involvement),
                expected,
                "{role} × {involvement:?}"
            );
        }
    }
}

/// What IOM may not see of an event, against every event type: the application's grounds and
/// the DUF number, and every statement; nothing is withheld from any other role.
#[test]
fn only_iom_has_fields_withheld_and_only_from_the_application_and_statements() {
    use retur_app::WITHHELD;
    use retur_domain::event::{EVENT_TYPES, STATEMENT_EVENT_TYPES};

    for withheld in WITHHELD {
        assert_eq!(withheld.role, Role::Iom);
        for event_type in withheld.event_types {
            assert!(EVENT_TYPES.contains(event_type), "{event_type} is an event");
        }
    }
    let from_iom: Vec<&str> = EVENT_TYPES
        .iter()
        .copied()
        .filter(|t| WITHHELD.iter().any(|w| w.event_types.contains(t)))
        .collect();
    let mut expected: Vec<&str> = STATEMENT_EVENT_TYPES.to_vec();
    expected.push("application_submitted");
    expected.sort_unstable();
    let mut found = from_iom.clone();
    found.sort_unstable();
    assert_eq!(found, expected);
}
