//! Who can be approved: every excluded nationality with and without each exception, the other
//! exclusions, and the rules in force on the submission date.

use retur_domain::application::Relation;
use retur_domain::rules::Exclusion;
use retur_domain::*;

use crate::support::*;

/// The excluded nationalities of seed 003, as the rule file lists them.
const EXCLUDED: [&str; 19] = [
    "AL", "AM", "BA", "BW", "GE", "GH", "IN", "IL", "XK", "HR", "ME", "MN", "NA", "MK", "RO", "RS",
    "ZA", "TZ", "UA",
];

fn approve(application: &ApplicationSpec) -> Result<Vec<retur_domain::Event>, Refusal> {
    let review = story().submitted(application).under_review();
    let command = Command::new(udi(), Action::approve());
    decide(
        &review.case,
        &command,
        &Context {
            now: noon("2025-03-03"),
            rules: rules(),
        },
    )
}

#[test]
fn the_rule_file_lists_exactly_the_excluded_nationalities_of_the_source() {
    let rules = rules().in_force_on(date("2025-03-03")).expect("rules");
    let listed: Vec<String> = rules
        .excluded_nationalities
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut expected: Vec<String> = EXCLUDED.iter().map(|c| (*c).to_owned()).collect();
    expected.sort();
    assert_eq!(listed, expected);
}

#[test]
fn every_excluded_nationality_is_refused_without_an_exception() {
    for nationality in EXCLUDED {
        let refusal = approve(&application().nationality(nationality)).expect_err(nationality);
        assert_eq!(
            refusal.code(),
            "excluded_nationality",
            "{nationality}: {refusal}"
        );
        assert!(
            refusal.to_string().contains(&person(1).to_string()),
            "the refusal names the person"
        );
    }
}

#[test]
fn every_excluded_nationality_is_approved_for_an_unaccompanied_minor() {
    for nationality in EXCLUDED {
        let minor = application()
            .nationality(nationality)
            .principal(adult(1).born("2010-06-01").unaccompanied_minor());
        let events = approve(&minor).unwrap_or_else(|r| panic!("{nationality}: {r}"));
        assert_eq!(
            events[0].event_type(),
            "application_approved",
            "{nationality}"
        );
    }
}

#[test]
fn every_excluded_nationality_is_approved_for_a_possible_trafficking_victim() {
    for nationality in EXCLUDED {
        let victim = application()
            .nationality(nationality)
            .principal(adult(1).trafficking_victim());
        let events = approve(&victim).unwrap_or_else(|r| panic!("{nationality}: {r}"));
        assert_eq!(
            events[0].event_type(),
            "application_approved",
            "{nationality}"
        );
    }
}

#[test]
fn members_travelling_with_an_excepted_principal_share_the_exception() {
    let family = application()
        .nationality("GE")
        .principal(adult(1).trafficking_victim())
        .with(adult(2).as_(Relation::Child).born("2016-01-01"));
    assert!(approve(&family).is_ok());
}

#[test]
fn an_excepted_member_does_not_lift_the_exclusion_for_the_principal() {
    let family = application()
        .nationality("GE")
        .with(adult(2).as_(Relation::Sibling).trafficking_victim());
    let refusal = approve(&family).expect_err("the principal is not excepted");
    assert_eq!(
        refusal,
        Refusal::Ineligible(retur_domain::grant::Ineligibility {
            person_id: person(1),
            exclusion: Exclusion::ExcludedNationality
        })
    );
}

#[test]
fn visa_exempt_nationals_are_refused_unless_excepted() {
    for nationality in ["BR", "JP", "US", "CO", "MD"] {
        let refusal = approve(&application().nationality(nationality)).expect_err(nationality);
        assert_eq!(refusal.code(), "visa_exempt_nationality", "{nationality}");
        assert!(
            approve(
                &application()
                    .nationality(nationality)
                    .principal(adult(1).trafficking_victim())
            )
            .is_ok()
        );
    }
}

#[test]
fn kosovo_is_excluded_from_10_july_2013_and_visa_exempt_from_2024() {
    let book = rules();
    let before = book.in_force_on(date("2013-07-09"));
    assert!(
        before.is_err(),
        "retur holds no rate table before 2024: {before:?}"
    );
    let rules_2025 = book.in_force_on(date("2025-01-01")).expect("rules");
    assert!(rules_2025.excluded_nationalities.contains(&country("XK")));
    assert!(
        rules_2025
            .visa_exempt_nationalities
            .contains(&country("XK"))
    );
}

#[test]
fn a_returnee_who_came_back_cannot_return_to_a_dublin_state_with_support() {
    let to_sweden = application()
        .nationality("ET")
        .returning_to("SE")
        .reimmigrated();
    assert_eq!(
        approve(&to_sweden).expect_err("excluded").code(),
        "reimmigrated_to_dublin_state"
    );
    let home = application().reimmigrated();
    assert!(
        approve(&home).is_ok(),
        "returning home again is not excluded"
    );
    let first_time = application().returning_to("SE");
    assert!(approve(&first_time).is_ok());
    let minor = to_sweden
        .clone()
        .principal(adult(1).born("2012-01-01").unaccompanied_minor());
    assert!(approve(&minor).is_ok());
}

#[test]
fn the_united_kingdom_stopped_being_a_dublin_state_in_2021() {
    let rules = rules().in_force_on(date("2025-03-03")).expect("rules");
    assert!(!rules.dublin_states.contains(&country("GB")));
    assert!(
        rules.dublin_states.contains(&country("NO"))
            && rules.dublin_states.contains(&country("CH"))
    );
}

#[test]
fn an_expired_non_protection_permit_is_excluded_unless_excepted() {
    let expired = application().situation(ImmigrationSituation::NonProtectionPermitExpired);
    assert_eq!(
        approve(&expired).expect_err("excluded").code(),
        "non_protection_permit_expired"
    );
    assert!(approve(&expired.principal(adult(1).trafficking_victim())).is_ok());
}

#[test]
fn status_in_another_eea_country_is_excluded_unless_excepted() {
    let elsewhere = application().status_in_other_eea_country();
    assert_eq!(
        approve(&elsewhere).expect_err("excluded").code(),
        "status_in_other_eea_country"
    );
    assert!(
        approve(&elsewhere.principal(adult(1).born("2011-01-01").unaccompanied_minor())).is_ok()
    );
}

#[test]
fn legal_residence_is_excluded_and_no_exception_lifts_it() {
    let resident = application().situation(ImmigrationSituation::LegalResidence);
    assert_eq!(
        approve(&resident).expect_err("excluded").code(),
        "legal_residence"
    );
    let victim = resident.principal(adult(1).trafficking_victim());
    assert_eq!(
        approve(&victim).expect_err("still excluded").code(),
        "legal_residence"
    );
}

#[test]
fn every_eligible_situation_is_approved() {
    for situation in [
        ImmigrationSituation::AsylumPending,
        ImmigrationSituation::AsylumRefused,
        ImmigrationSituation::AsylumAppealRefused,
        ImmigrationSituation::AsylumWithdrawn,
        ImmigrationSituation::ResidenceRefused,
        ImmigrationSituation::TemporaryResidenceUntil18,
        ImmigrationSituation::NoLegalResidenceNotInDuf,
    ] {
        assert!(
            approve(&application().situation(situation)).is_ok(),
            "{situation:?}"
        );
    }
}

#[test]
fn an_application_is_judged_by_the_rules_in_force_on_its_submission_date() {
    // Submitted on 3 March 2025; approving on another date does not change the rules used.
    let review = story().submitted(&application()).under_review();
    let approved = review.on("2026-06-01").approved();
    let retur_domain::Event::ApplicationApproved(approval) = approved.last() else {
        panic!("approval")
    };
    assert_eq!(approval.rules.effective_on, date("2025-03-03"));
    let submitted_rules = rules()
        .in_force_on(date("2025-03-03"))
        .expect("rules")
        .reference();
    assert_eq!(
        approval.rules, submitted_rules,
        "the approval records the digest of the rules it used"
    );
}

#[test]
fn an_application_before_the_rules_begin_is_refused_plainly() {
    let early = story()
        .on("2023-12-31")
        .when(applicant(), Action::Submit(Box::new(application().build())));
    let refusal = early.refused("no_rules_in_force");
    assert!(refusal.to_string().contains("2023-12-31"), "{refusal}");
}

#[test]
fn an_unaccompanied_minor_must_be_under_18_and_travel_alone() {
    let grown = application().principal(adult(1).born("2000-01-01").unaccompanied_minor());
    story()
        .when(applicant(), Action::Submit(Box::new(grown.build())))
        .refused("invalid_application");
    let with_sibling = application()
        .principal(adult(1).born("2012-01-01").unaccompanied_minor())
        .with(adult(2).as_(Relation::Sibling).born("2014-01-01"));
    let household = with_sibling.household();
    let error = household.expect_err("an unaccompanied minor travels alone");
    assert!(error.to_string().contains("unaccompanied minor"), "{error}");
}

#[test]
fn dates_of_birth_in_the_future_are_refused() {
    let unborn = application().principal(adult(1).born("2025-03-04"));
    story()
        .when(applicant(), Action::Submit(Box::new(unborn.build())))
        .refused("invalid_application");
}
