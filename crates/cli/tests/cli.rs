//! The `retur` command on real databases: the demo runs, and what it made verifies.

use clap::CommandFactory;
use retur::{Cli, Command, System};

#[test]
fn every_subcommand_has_help_and_the_arguments_are_consistent() {
    Cli::command().debug_assert();
    let mut command = Cli::command();
    for sub in command.get_subcommands_mut() {
        let help = sub.render_help().to_string();
        assert!(help.contains("Usage"), "{} has help", sub.get_name());
    }
}

#[test]
fn the_binary_prints_the_openapi_document_and_fails_with_a_sentence() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .arg("openapi")
        .output()
        .expect("the binary runs");
    assert!(output.status.success());
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the document is JSON");
    assert!(
        document["paths"]["/cases/{case_id}/commands"]["post"].is_object(),
        "{document}"
    );

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .args(["--database-url", "mysql://nowhere/retur", "verify"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.starts_with("retur: the database URL") && !said.contains("backtrace"),
        "{said}"
    );
}

async fn demo_then_verify(url: String) {
    retur::run(Cli {
        log_format: retur::LogFormat::Text,
        database_url: url.clone(),
        command: Command::Demo,
    })
    .await
    .expect("the demo runs");
    let system = System::open(&url, std::sync::Arc::new(retur_app::SystemClock))
        .await
        .expect("open");
    let report = system.cases.verify(|_| {}).await.expect("verify");
    assert!(report.is_clean(), "{report:?}");
    assert!(
        report.streams >= 48,
        "about fifty cases: {}",
        report.streams
    );
    assert_eq!(report.not_replayable, 0);
    retur::run(Cli {
        log_format: retur::LogFormat::Text,
        database_url: url.clone(),
        command: Command::Rebuild { projection: None },
    })
    .await
    .expect("rebuild");
    retur::run(Cli {
        log_format: retur::LogFormat::Text,
        database_url: url,
        command: Command::Rebuild {
            projection: Some("nothing".into()),
        },
    })
    .await
    .expect_err("an unknown projection is named as such");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_demo_runs_on_sqlite_and_its_log_verifies() {
    let database = retur_testkit::TestDatabase::sqlite();
    demo_then_verify(database.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_demo_runs_on_postgres_and_its_log_verifies() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    demo_then_verify(database.url()).await;
}
