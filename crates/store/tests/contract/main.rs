//! The contract every event store keeps, run against each backend: SQLite on a fresh file and
//! PostgreSQL in a fresh database. One test module per backend, generated from one list.

mod harness;
mod suite;
mod vault;

/// Runs each named test of `suite` against both backends.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let fixture = crate::harness::Fixture::sqlite().await;
                    crate::suite::$test(&fixture).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let Some(fixture) = crate::harness::Fixture::postgres().await else { return };
                    crate::suite::$test(&fixture).await;
                }
            )*
        }
    };
}

contract!(
    appended_events_read_back_with_their_envelopes,
    an_empty_append_is_refused,
    a_stale_expected_version_is_a_conflict,
    thirty_two_writers_on_one_stream_write_each_version_once,
    thirty_two_writers_on_separate_streams_give_dense_positions_and_a_subscriber_sees_each_once,
    a_repeated_command_returns_its_first_outcome_and_writes_nothing,
    racing_attempts_of_one_command_write_once,
    an_event_id_already_in_the_log_is_refused,
    the_database_refuses_to_change_or_remove_history,
    a_row_altered_behind_the_store_is_found_at_its_position,
    a_removed_or_reordered_row_is_found_at_its_position,
    a_checked_reading_gives_the_log_and_the_chain_in_one_pass,
    a_payload_that_no_longer_parses_names_its_position,
    large_payloads_round_trip_and_oversized_ones_are_refused,
    old_payloads_are_upcast_on_every_read_path,
    the_log_reads_in_pages_and_streams_from_a_version,
    a_subscription_catches_up_from_any_position_then_follows,
    a_second_process_sees_the_log_and_wakes_its_subscribers,
    verify_chain_checks_a_range_from_the_middle,
    a_summary_is_written_with_its_append_and_read_back_at_once,
    concurrent_appends_leave_the_summary_of_the_last_version,
    summaries_list_by_prefix_in_pages,
    due_summaries_come_in_due_date_order_in_pages,
    a_persons_key_is_made_once_kept_and_destroyed_for_good,
);
