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

/// `retur serve` as an operator starts it: migrations at start, the API on the address given,
/// tokens from `retur token issue` accepted, none refused. On SQLite it uses `retur.db` in the
/// working directory unless told otherwise.
async fn serve_answers(database_url: Option<String>) {
    use std::io::BufRead as _;
    const SECRET: &str = "a secret for this test, long enough for HS256";
    let dir = std::env::temp_dir().join(format!("retur-serve-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let binary = env!("CARGO_BIN_EXE_retur");
    let command = |args: &[&str]| {
        let mut command = std::process::Command::new(binary);
        command
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env("RETUR_TOKEN_SECRET", SECRET)
            .args(args);
        if let Some(url) = &database_url {
            command.env("DATABASE_URL", url);
        }
        command
    };
    let mut server = command(&["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("retur serve starts");
    let mut first = String::new();
    std::io::BufReader::new(server.stdout.take().expect("its output"))
        .read_line(&mut first)
        .expect("a line");
    let base = first
        .trim()
        .strip_prefix("retur serves on ")
        .unwrap_or_else(|| panic!("it says where it serves: {first:?}"))
        .to_owned();

    let token = command(&["token", "issue", "--role", "udi", "--actor", "udi-kari"])
        .output()
        .expect("retur token issue runs");
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).expect("text");
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("an answer");
    let queues = client
        .get(format!("{base}/queues/udi"))
        .bearer_auth(token.trim())
        .send()
        .await
        .expect("an answer");
    let unauthenticated = client
        .get(format!("{base}/queues/udi"))
        .send()
        .await
        .expect("an answer");
    let _ = server.kill();
    let _ = server.wait();
    let default_file = dir.join("retur.db").exists();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(
        queues.status().as_u16(),
        200,
        "the issued token is accepted"
    );
    assert_eq!(unauthenticated.status().as_u16(), 401);
    assert_eq!(
        default_file,
        database_url.is_none(),
        "retur.db in the working directory is the default, and only the default"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_on_the_default_sqlite_file() {
    serve_answers(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_on_postgres() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    serve_answers(Some(database.url())).await;
}
