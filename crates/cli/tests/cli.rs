//! The `retur` command on real databases: the demo runs, and what it made verifies.

mod common;

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

/// `retur token issue` and `retur openapi` need no database, and open none: they work with a
/// database URL that nothing answers at, and leave no `retur.db` behind.
#[test]
fn commands_without_the_log_open_no_database() {
    let dir = std::env::temp_dir().join(format!("retur-token-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("a directory");
    for url in [None, Some("postgres://nobody@127.0.0.1:1/nowhere")] {
        for args in [
            &["token", "issue", "--role", "iom", "--actor", "iom-amina"][..],
            &["openapi"][..],
        ] {
            let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_retur"));
            command.current_dir(&dir).env_remove("DATABASE_URL").env(
                "RETUR_TOKEN_SECRET",
                "a secret for this test, long enough for HS256",
            );
            if let Some(url) = url {
                command.args(["--database-url", url]);
            }
            command.args(args);
            let output = command.output().expect("the binary runs");
            assert!(
                output.status.success(),
                "{args:?} with {url:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!output.stdout.is_empty());
        }
    }
    assert!(!dir.join("retur.db").exists(), "no database was made");
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs one `retur` command on the database at `url`, as the binary would.
async fn run_on(url: String, command: Command) -> anyhow::Result<()> {
    retur::run(Cli {
        keys_url: None,
        log_format: retur::LogFormat::Text,
        database_url: url,
        command,
    })
    .await
}

async fn demo_then_verify(url: String) {
    run_on(url.clone(), Command::Demo { token_secret: None })
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
    run_on(url.clone(), Command::Rebuild { projection: None })
        .await
        .expect("rebuild");
    run_on(
        url.clone(),
        Command::Rebuild {
            projection: Some("nothing".into()),
        },
    )
    .await
    .expect_err("an unknown projection is named as such");
    erase_a_person_of_the_demo(&system, &url).await;
    derived_tables_set_by_hand_fail_verify(&system, &url).await;
}

/// `retur verify` compares the stored statuses and the command records with the log: a status
/// and a record changed in the database are each named, and the log does not verify.
async fn derived_tables_set_by_hand_fail_verify(system: &System, url: &str) {
    let verify = || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
            .arg("verify")
            .env("DATABASE_URL", url)
            .output()
            .expect("the binary runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (ok, said) = verify();
    assert!(ok, "{said}");
    assert!(said.contains(", 0 mismatches"), "{said}");

    let log = system.store.read_all(0, 10_000).await.expect("the log");
    let last = log.last().expect("events");
    let stream = last.stream_id.as_str();
    let stored = system
        .store
        .read_summary(&last.stream_id)
        .await
        .expect("read")
        .expect("the case's status");
    let set = if stored.summary.state == "closed" {
        "submitted"
    } else {
        "closed"
    };
    retur_testkit::tamper(
        url,
        &format!("UPDATE stream_summaries SET state = '{set}' WHERE stream_id = '{stream}'"),
    )
    .await;
    let first = &log[0];
    let id = if url.starts_with("sqlite:") {
        format!("x'{}'", first.command_id.simple())
    } else {
        format!("'{}'", first.command_id)
    };
    retur_testkit::tamper(
        url,
        &format!("UPDATE commands SET last_position = last_position + 7 WHERE command_id = {id}"),
    )
    .await;
    let (ok, said) = verify();
    assert!(!ok, "{said}");
    assert!(said.contains(", 2 mismatches"), "{said}");
    assert!(
        said.contains(&format!(
            "MISMATCH in status at position {} ({stream}): the stored state is {set}; the log says {}",
            last.position, stored.summary.state
        )),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "MISMATCH in command_record at position 1 ({}): the record of command {}",
            first.stream_id.as_str(),
            first.command_id
        )),
        "{said}"
    );
    assert!(
        said.contains("hash chain: ") && !said.contains("BROKEN"),
        "{said}"
    );
}

/// `retur erase` on the demo's first applicant: the erasure is recorded, their data reads as
/// erased, and the log still verifies.
async fn erase_a_person_of_the_demo(system: &System, url: &str) {
    let log = system.store.read_all(0, 1000).await.expect("the log");
    let submitted = log
        .iter()
        .find(|e| e.event_type == "application_submitted")
        .expect("a submission");
    let case = submitted
        .stream_id
        .as_str()
        .strip_prefix("case-")
        .expect("a case")
        .to_owned();
    let person = submitted.payload["household"][0]["person_id"]
        .as_str()
        .expect("a person id")
        .to_owned();
    let retur = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
            .args(args)
            .env("DATABASE_URL", url)
            .output()
            .expect("the binary runs")
    };
    let before = retur(&["case", "history", &case, "--as-role", "udi"]);
    let before = String::from_utf8_lossy(&before.stdout).into_owned();
    assert!(
        before.contains("full_name") && !before.contains("\"erased\""),
        "{before}"
    );

    let erased = retur(&["erase", &person, "--actor", "udi-kari"]);
    let said = String::from_utf8_lossy(&erased.stdout);
    assert!(
        erased.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert!(
        said.contains(&format!("case {case}: erasure recorded")),
        "{said}"
    );

    let after = retur(&["case", "history", &case, "--as-role", "udi"]);
    let after = String::from_utf8_lossy(&after.stdout).into_owned();
    assert!(
        after.contains(&format!("\"{person}\":\"erased\"")),
        "{after}"
    );
    assert!(after.contains("personal_data_erased"), "{after}");

    let verify = retur(&["verify"]);
    assert!(
        verify.status.success(),
        "the log verifies after an erasure: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let again = retur(&["erase", &person, "--actor", "udi-kari"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("erasure recorded before"));
    let unknown = retur(&[
        "erase",
        "00000000-0000-0000-0000-00000000abcd",
        "--actor",
        "udi-kari",
    ]);
    assert!(!unknown.status.success());
    let complaint = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        complaint.contains("00000000-0000-0000-0000-00000000abcd"),
        "{complaint}"
    );
    let malformed = retur(&["erase", "not-a-person", "--actor", "udi-kari"]);
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("is not a person id"));
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
    let (server, base) = common::spawn_server(command(&["serve", "--listen", "127.0.0.1:0"]));

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
    drop(server);
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

/// `retur checkpoint` and `retur verify --against` as an auditor uses them, with keys as
/// `openssl` writes them: the log grows and still extends the checkpoint; a log whose end was
/// cut off, or a whole other history with every hash computed anew, is found; a checkpoint that
/// was altered or signed with another key is refused.
async fn checkpoints_find_a_cut_short_or_rewritten_log(
    database: retur_testkit::TestDatabase,
    other: retur_testkit::TestDatabase,
) {
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding};
    let dir = retur_testkit::temp_dir();
    let write_keys = |name: &str, seed: u8| {
        let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let private = dir.path().join(format!("{name}.pem"));
        let public = dir.path().join(format!("{name}.pub.pem"));
        let pem = key.to_pkcs8_pem(LineEnding::LF).expect("pem");
        std::fs::write(&private, pem.as_bytes()).expect("write");
        let pem = key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem");
        std::fs::write(&public, pem).expect("write");
        (private, public)
    };
    let (private, public) = write_keys("auditor", 1);
    let (_, stranger) = write_keys("stranger", 2);
    let retur = |url: &str, args: &[&std::path::Path]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
            .env_remove("DATABASE_URL")
            .env_remove("RETUR_CHECKPOINT_KEY")
            .arg("--database-url")
            .arg(url)
            .args(args)
            .output()
            .expect("the binary runs");
        let said = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.success(), said)
    };
    let path = std::path::Path::new;
    let url = database.url();
    for target in [&database, &other] {
        run_on(target.url(), Command::Demo { token_secret: None })
            .await
            .expect("the demo runs");
    }

    let (signed, said) = retur(&url, &[path("checkpoint"), path("--key"), &private]);
    assert!(signed, "{said}");
    let checkpoint = dir.path().join("checkpoint.json");
    std::fs::write(&checkpoint, &said).expect("write");
    let document: serde_json::Value = serde_json::from_str(&said).expect("JSON");
    let position = document["position"].as_u64().expect("a position");
    let verify = |url: &str, checkpoint: &std::path::Path, key: &std::path::Path| {
        retur(
            url,
            &[
                path("verify"),
                path("--against"),
                checkpoint,
                path("--public-key"),
                key,
            ],
        )
    };

    // The log grows past the checkpoint (a second demo): it still extends it.
    run_on(url.clone(), Command::Demo { token_secret: None })
        .await
        .expect("the demo runs again");
    let (ok, said) = verify(&url, &checkpoint, &public);
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!("checkpoint: the log extends position {position}")),
        "{said}"
    );

    // Another history of at least as many events, every hash in it computed anew.
    let system = System::open(&other.url(), std::sync::Arc::new(retur_app::SystemClock))
        .await
        .expect("open");
    let other_head = system.store.head().await.expect("head").position;
    assert!(other_head >= position, "{other_head} < {position}");
    let (ok, said) = verify(&other.url(), &checkpoint, &public);
    assert!(!ok, "{said}");
    assert!(!said.contains("the log verifies"), "{said}");
    assert!(
        said.contains(&format!(
            "checkpoint: REWRITTEN: the log's hash at position {position} is"
        )),
        "{said}"
    );
    assert!(
        said.contains("hash chain: ") && !said.contains("BROKEN"),
        "{said}"
    );

    // An altered checkpoint, or one checked with another key, is refused before any reading.
    let altered = dir.path().join("altered.json");
    let text = std::fs::read_to_string(&checkpoint).expect("read");
    let moved = text.replace(
        &format!("\"position\": {position}"),
        &format!("\"position\": {}", position - 1),
    );
    assert_ne!(moved, text);
    std::fs::write(&altered, moved).expect("write");
    let (ok, said) = verify(&url, &altered, &public);
    assert!(!ok && said.contains("signature does not match"), "{said}");
    let (ok, said) = verify(&url, &checkpoint, &stranger);
    assert!(!ok && said.contains("not by the key given"), "{said}");
    let (ok, said) = retur(&url, &[path("verify"), path("--against"), &checkpoint]);
    assert!(!ok && said.contains("--public-key"), "{said}");

    // The log cut off before the checkpoint's position: the chain of what is left is intact.
    database
        .tamper(&format!(
            "DELETE FROM events WHERE position >= {}",
            position - 2
        ))
        .await;
    let (ok, said) = verify(&url, &checkpoint, &public);
    assert!(!ok, "{said}");
    assert!(
        said.contains(&format!(
            "checkpoint: CUT SHORT: the log ends at position {}, before position {position}",
            position - 3
        )),
        "{said}"
    );

    // A log that does not verify is not signed.
    database
        .tamper("UPDATE events SET payload = '{}' WHERE position = 5")
        .await;
    let (signed, said) = retur(&url, &[path("checkpoint"), path("--key"), &private]);
    assert!(!signed, "{said}");
    assert!(
        said.contains("the hash chain breaks at position 5") && said.contains("is not signed"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checkpoints_find_a_cut_short_or_rewritten_log_on_sqlite() {
    checkpoints_find_a_cut_short_or_rewritten_log(
        retur_testkit::TestDatabase::sqlite(),
        retur_testkit::TestDatabase::sqlite(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checkpoints_find_a_cut_short_or_rewritten_log_on_postgres() {
    let (Some(database), Some(other)) = (
        retur_testkit::TestDatabase::postgres().await,
        retur_testkit::TestDatabase::postgres().await,
    ) else {
        return;
    };
    checkpoints_find_a_cut_short_or_rewritten_log(database, other).await;
}

/// `retur serve --manual-clock` as a trainer starts it: the clock stands still at the time
/// given, `/health` says so, and the system's `POST /clock` moves it; without the flag the
/// server runs on the machine's clock and has no such route.
async fn serve_with_a_clock_set_by_hand(database_url: String) {
    const SECRET: &str = "a secret for this test, long enough for HS256";
    let dir = retur_testkit::temp_dir();
    let binary = env!("CARGO_BIN_EXE_retur");
    let command = |args: &[&str]| {
        let mut command = std::process::Command::new(binary);
        command
            .current_dir(dir.path())
            .env("DATABASE_URL", &database_url)
            .env("RETUR_TOKEN_SECRET", SECRET)
            .args(args);
        command
    };
    let issue = |role: &str| {
        let output = command(&["token", "issue", "--role", role, "--actor", "trainer"])
            .output()
            .expect("retur token issue runs");
        String::from_utf8(output.stdout)
            .expect("text")
            .trim()
            .to_owned()
    };
    let (system, udi) = (issue("system"), issue("udi"));
    let client = reqwest::Client::new();

    let (server, base) = common::spawn_server(command(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--manual-clock",
        "2026-03-02T09:00:00+01:00",
    ]));
    let health: serde_json::Value = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        (health["clock"].as_str(), health["now"].as_str()),
        (Some("manual"), Some("2026-03-02T08:00:00Z")),
        "{health}"
    );
    let moved = |token: String, body: &'static str| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let response = client
                .post(format!("{base}/clock"))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("an answer");
            let status = response.status().as_u16();
            (
                status,
                response
                    .json::<serde_json::Value>()
                    .await
                    .unwrap_or_default(),
            )
        }
    };
    let (status, answer) = moved(system.clone(), r#"{"advance":"P22D"}"#).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["now_in_norway"], "2026-03-24T09:00:00+01:00",
        "{answer}"
    );
    assert_eq!(moved(udi.clone(), r#"{"advance":"P1D"}"#).await.0, 404);
    let page = client
        .get(format!("{base}/ui/sign-in"))
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("text");
    // A browser that asks for no language gets bokmål, and Norwegian dates.
    assert!(page.contains("24.03.2026 09:00 CET"), "{page}");
    drop(server);

    let (server, base) = common::spawn_server(command(&["serve", "--listen", "127.0.0.1:0"]));
    let health: serde_json::Value = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(health["clock"], "system", "{health}");
    let response = client
        .post(format!("{base}/clock"))
        .bearer_auth(&system)
        .header("content-type", "application/json")
        .body(r#"{"advance":"P1D"}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 404, "no clock to move");
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_on_a_clock_set_by_hand_on_sqlite() {
    let database = retur_testkit::TestDatabase::sqlite();
    serve_with_a_clock_set_by_hand(database.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_on_a_clock_set_by_hand_on_postgres() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    serve_with_a_clock_set_by_hand(database.url()).await;
}
