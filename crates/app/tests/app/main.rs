//! The application's tests: commands through `Cases::handle` on a real store, SQLite and
//! PostgreSQL, one module per backend generated from one list.

mod derived;
mod erasure;
mod fixture;
mod matrix;
mod notes;
mod offered;
mod suite;

macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let database = retur_testkit::TestDatabase::sqlite();
                    let app = crate::fixture::App::on(&database).await;
                    crate::suite::$test(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let Some(database) = retur_testkit::TestDatabase::postgres().await else { return };
                    let app = crate::fixture::App::on(&database).await;
                    crate::suite::$test(&app).await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_case_runs_from_application_to_closure_and_its_status_is_read_at_once,
    a_caller_outside_their_part_is_forbidden_and_nothing_is_written,
    an_applicant_reaches_only_their_own_cases,
    a_refusal_by_a_rule_writes_nothing_and_is_not_a_failure,
    a_retried_command_gets_its_first_outcome_after_the_case_moved_on,
    a_command_id_used_for_another_case_is_rejected,
    a_stale_expected_version_is_rejected_with_the_current_one,
    of_two_conflicting_decisions_one_wins_and_the_other_is_refused_cleanly,
    compatible_commands_racing_on_one_case_all_land,
    the_inline_status_equals_the_status_folded_from_the_stream,
    each_role_sees_its_part_of_the_history_and_iom_no_reasons,
    a_case_can_be_seen_as_it_stood_at_a_past_position_or_time,
    each_kind_of_deadline_fires_once_its_day_has_passed,
    two_schedulers_at_once_fire_each_deadline_once,
    a_clean_history_verifies_every_command_by_deciding_it_again,
    a_forged_event_with_a_perfect_chain_is_found_by_replay,
    the_log_is_verified_against_signed_checkpoints,
    a_running_scheduler_fires_as_time_passes_and_stops_on_request,
    another_handler_writing_to_a_case_does_not_mislead_this_one,
    personal_data_is_sealed_in_the_log_and_opened_for_its_readers,
    an_erased_person_reads_as_erased_and_the_log_still_verifies,
    nothing_more_is_recorded_about_an_erased_person,
    a_restricted_persons_data_is_shown_only_to_the_roles_named,
    sealed_data_altered_or_moved_is_refused_not_misread,
    every_tampered_status_and_command_record_is_named_by_case_and_position,
    an_audit_while_commands_land_finds_nothing_amiss,
    trying_an_approval_writes_nothing_and_gives_what_approving_gives,
    only_commands_that_can_succeed_are_offered,
    a_command_that_needs_input_is_offered_only_if_the_case_allows_it,
    each_agency_reads_only_its_own_sealed_notes,
);
