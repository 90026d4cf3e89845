//! The role × command matrix, exhaustively: every role against every command.

use retur_app::{Read, may_give, may_read};
use retur_domain::testing::OWNERS;
use retur_domain::{CommandKind, Role};

#[test]
fn each_command_is_given_by_its_owner_and_by_no_other_role() {
    let mut listed: Vec<&str> = OWNERS.iter().map(|(name, _)| *name).collect();
    let mut commands: Vec<&str> = CommandKind::ALL.iter().map(|c| c.name()).collect();
    listed.sort_unstable();
    commands.sort_unstable();
    assert_eq!(listed, commands, "the table lists every command once");
    for (name, owner) in OWNERS {
        let command = *CommandKind::ALL
            .iter()
            .find(|c| c.name() == name)
            .expect("listed");
        for role in Role::ALL {
            assert_eq!(
                may_give(role, command),
                role == owner,
                "{role} × {name}: only {owner} gives it"
            );
        }
    }
}

/// Reads across cases, role by role, written out: queues are each agency's own (an auditor
/// reads them all), the payout ledger is for who pays (IOM), who claims back (UDI) and the
/// auditor, statistics for everyone but an applicant, the audit for the auditor alone; finding
/// people by name is for the agencies' caseworkers and the auditor (within their part).
#[test]
fn reads_across_cases_follow_the_role_by_read_table() {
    //            queues: udi   une    iom    payouts stats  audit  people
    let table: [(Role, [bool; 7]); 6] = [
        (
            Role::Applicant,
            [false, false, false, false, false, false, false],
        ),
        (Role::Udi, [true, false, false, true, true, false, true]),
        (Role::Une, [false, true, false, false, true, false, true]),
        (Role::Iom, [false, false, true, true, true, false, true]),
        (Role::Auditor, [true, true, true, true, true, true, true]),
        (
            Role::System,
            [false, false, false, false, true, false, false],
        ),
    ];
    let reads = [
        Read::Queues(Role::Udi),
        Read::Queues(Role::Une),
        Read::Queues(Role::Iom),
        Read::Payouts,
        Read::Statistics,
        Read::Audit,
        Read::People,
    ];
    for role in Role::ALL {
        assert_eq!(
            table.iter().filter(|(r, _)| *r == role).count(),
            1,
            "{role} is in the table once"
        );
    }
    for (role, expected) in table {
        for (read, expected) in reads.iter().zip(expected) {
            assert_eq!(may_read(role, *read), expected, "{role} × {read:?}");
        }
        for nobody in [Role::Applicant, Role::Auditor, Role::System] {
            assert!(
                !may_read(role, Read::Queues(nobody)),
                "{nobody} has no queues for {role} to read"
            );
        }
    }
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

/// Who may know who works on a case (its claim), and who may move a clock set by hand, role by
/// role, written out.
#[test]
fn the_holder_is_the_agencies_to_know_and_the_clock_the_systems_to_move() {
    use retur_app::{may_know_holder, may_move_clock};
    //                    knows the holder, moves the clock
    let table: [(Role, bool, bool); 6] = [
        (Role::Applicant, false, false),
        (Role::Udi, true, false),
        (Role::Une, true, false),
        (Role::Iom, true, false),
        (Role::Auditor, true, false),
        (Role::System, true, true),
    ];
    for role in Role::ALL {
        let (_, knows, moves) = table
            .iter()
            .find(|(r, _, _)| *r == role)
            .copied()
            .unwrap_or_else(|| panic!("{role} is in the table"));
        assert_eq!(may_know_holder(role), knows, "{role} knows the holder");
        assert_eq!(may_move_clock(role), moves, "{role} moves the clock");
    }
}
