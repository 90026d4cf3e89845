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
    a_letter_verifies_from_the_command_line(&system, &url).await;
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
/// `retur letter verify FILE`: a letter retur issued verifies, naming its case; the same file
/// changed in one byte does not, and the command fails saying so.
async fn a_letter_verifies_from_the_command_line(system: &System, url: &str) {
    let log = system.store.read_all(0, 100_000).await.expect("the log");
    let refused = log
        .iter()
        .find(|e| e.event_type == "application_refused")
        .expect("the demo refuses an application");
    let case: retur_domain::CaseId = refused
        .stream_id
        .as_str()
        .strip_prefix("case-")
        .and_then(|id| id.parse().ok())
        .expect("a case");
    // Fetched by UDI, which sends it: that issues it (an auditor's reading would not).
    let udi = retur_app::Caller::agency(retur_domain::Actor::new(
        retur_domain::Role::Udi,
        retur_domain::ActorId::parse("udi-cli").expect("an actor"),
    ));
    let letter = system
        .cases
        .letter(&udi, case, refused.position)
        .await
        .expect("the refusal's letter");
    let dir = std::env::temp_dir().join(format!("retur-letter-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let file = dir.join("letter.pdf");
    std::fs::write(&file, &letter.pdf).expect("written");
    let (ok, said, complaint) =
        retur_on(url, &["letter", "verify", file.to_str().expect("a path")]);
    assert!(ok, "{complaint}");
    assert!(
        said.contains("is a letter retur issued") && said.contains(&case.to_string()),
        "{said}"
    );
    assert!(said.contains("refusal"), "{said}");
    let mut changed = letter.pdf.clone();
    let last = changed.len() - 10;
    changed[last] ^= 0x20;
    std::fs::write(&file, &changed).expect("written");
    let (ok, _, complaint) = retur_on(url, &["letter", "verify", file.to_str().expect("a path")]);
    assert!(!ok, "a changed letter does not verify");
    assert!(
        complaint.contains("is not a letter retur issued"),
        "{complaint}"
    );
}

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
    let personal = |output: std::process::Output| {
        let entries: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("the history as JSON");
        entries[0]["data"]["personal"][&person].clone()
    };
    let before = personal(retur(&[
        "case",
        "history",
        &case,
        "--as-role",
        "udi",
        "--json",
    ]));
    assert!(before["full_name"].is_string(), "{before}");

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

    let after = personal(retur(&[
        "case",
        "history",
        &case,
        "--as-role",
        "udi",
        "--json",
    ]));
    assert_eq!(after, "erased");
    let lines = retur(&["case", "history", &case, "--as-role", "udi"]);
    let lines = String::from_utf8_lossy(&lines.stdout).into_owned();
    assert!(
        lines
            .lines()
            .last()
            .is_some_and(|line| line.contains("udi-kari (UDI)")
                && line.ends_with("erased a person's personal data")),
        "{lines}"
    );

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

/// Runs the binary with `DATABASE_URL` set to `url`; returns whether it succeeded, what it
/// printed and what it said on standard error.
fn retur_on(url: &str, args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("RETUR_KEYS_URL")
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The cases an agency's queue lists, as `retur queues` prints them: (reference, UUID).
fn queued(said: &str) -> Vec<(String, String)> {
    said.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let reference = words.next()?;
            let case = words.next()?;
            let shaped = retur_projections::position_of(reference).is_some()
                && uuid::Uuid::parse_str(case).is_ok();
            shaped.then(|| (reference.to_owned(), case.to_owned()))
        })
        .collect()
}

/// `retur queues --agency` takes the agency in any case, and names the choices for one it does
/// not know; the ids it prints (the UUID, `case-UUID` and the reference) are each taken by
/// `retur case show` and `retur case history`, for the same case; other text is refused as
/// naming no case.
async fn ids_round_trip(url: String) {
    run_on(url.clone(), Command::Demo { token_secret: None })
        .await
        .expect("the demo runs");
    for (agency, heading) in [
        ("UDI", "UDI queues ("),
        ("udi", "UDI queues ("),
        ("Udi", "UDI queues ("),
        ("une", "UNE queues ("),
        ("IOM", "IOM queues ("),
    ] {
        let (ok, said, complaint) = retur_on(&url, &["queues", "--agency", agency]);
        assert!(ok, "--agency {agency}: {complaint}");
        assert!(said.starts_with(heading), "--agency {agency}: {said}");
        assert!(!queued(&said).is_empty(), "--agency {agency}: {said}");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .args(["queues", "--agency", "nav"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("the binary runs");
    let complaint = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{complaint}");
    assert!(
        complaint.contains("'nav'")
            && complaint.contains("udi")
            && complaint.contains("une")
            && complaint.contains("iom"),
        "an unknown agency is named, with the choices: {complaint}"
    );

    // Piped into a reader that has gone (`retur queues … | head`), the command ends quietly.
    let mut piped = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .args(["queues", "--agency", "udi"])
        .env("DATABASE_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(piped.stdout.take());
    let ended = piped.wait_with_output().expect("it ends");
    let complaint = String::from_utf8_lossy(&ended.stderr);
    assert!(ended.status.success(), "{:?}: {complaint}", ended.status);
    assert!(!complaint.contains("panicked"), "{complaint}");

    let (_, said, _) = retur_on(&url, &["queues", "--agency", "iom"]);
    let cases = queued(&said);
    assert!(cases.len() >= 5, "{said}");
    for (reference, case) in cases.iter().take(3) {
        let mut shown = Vec::new();
        for id in [case.clone(), format!("case-{case}"), reference.clone()] {
            let (ok, said, complaint) = retur_on(&url, &["case", "show", &id]);
            assert!(ok, "case show {id}: {complaint}");
            assert!(
                said.starts_with(&format!("case {case} ({reference})\n")),
                "case show {id}: {said}"
            );
            let (ok, history, complaint) =
                retur_on(&url, &["case", "history", &id, "--as-role", "iom"]);
            assert!(ok, "case history {id}: {complaint}");
            assert!(
                history.starts_with(&format!("case {case} ({reference}) as IOM sees it")),
                "{history}"
            );
            shown.push((said, history));
        }
        assert!(
            shown.windows(2).all(|pair| pair[0] == pair[1]),
            "each form of the id shows the same case: {shown:?}"
        );
    }

    let (reference, case) = &cases[0];
    let (year, position) = retur_projections::position_of(reference).expect("a reference");
    for (id, says) in [
        ("not-a-case".to_owned(), "names no case"),
        ("case-12345".to_owned(), "names no case"),
        (
            format!("{year}-{:06}", position + 1),
            "no case has the reference",
        ),
        (
            format!("{}-{position:06}", year - 1),
            "no case has the reference",
        ),
        ("2026-999999".to_owned(), "no case has the reference"),
    ] {
        for command in ["show", "history"] {
            let (ok, _, complaint) = retur_on(&url, &["case", command, &id]);
            assert!(!ok, "case {command} {id}");
            assert!(
                complaint.starts_with("retur: ") && complaint.contains(says),
                "case {command} {id}: {complaint}"
            );
        }
    }

    // A token for the applicant of a case named by its reference: the case's UUID in it.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .args([
            "token",
            "issue",
            "--role",
            "applicant",
            "--actor",
            "applicant-1",
        ])
        .args(["--case", reference, "--case", &format!("case-{case}")])
        .env("DATABASE_URL", &url)
        .env(
            "RETUR_TOKEN_SECRET",
            "a secret for this test, long enough for HS256",
        )
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("text");
    let claims = retur_api::Keys::from_secret(b"a secret for this test, long enough for HS256")
        .expect("keys")
        .check(token.trim())
        .expect("a valid token");
    let uuid = uuid::Uuid::parse_str(case).expect("a UUID");
    assert_eq!(claims.cases, [uuid, uuid]);

    history_reads_as_lines_and_as_json(&url, reference).await;
}

/// `retur case history` prints one line per event (the time in Norway with its zone, who,
/// what happened); `--json` prints the same events as the API's history entries.
async fn history_reads_as_lines_and_as_json(url: &str, reference: &str) {
    let (ok, lines, complaint) = retur_on(url, &["case", "history", reference, "--as-role", "udi"]);
    assert!(ok, "{complaint}");
    let (ok, json, complaint) = retur_on(
        url,
        &["case", "history", reference, "--as-role", "udi", "--json"],
    );
    assert!(ok, "{complaint}");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&json).expect("a JSON array");
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(
        lines.len(),
        entries.len() + 1,
        "a heading and a line per event"
    );
    assert!(
        lines[0].ends_with(&format!("as UDI sees it: {} events", entries.len())),
        "{}",
        lines[0]
    );
    for (line, entry) in lines[1..].iter().zip(&entries) {
        let at = entry["decided_at"]
            .as_str()
            .or(entry["recorded_at"].as_str())
            .and_then(|at| at.parse::<chrono::DateTime<chrono::Utc>>().ok())
            .expect("a time");
        let local = at
            .with_timezone(&chrono_tz::Europe::Oslo)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string();
        assert!(
            line.starts_with(&local) && (local.ends_with("CET") || local.ends_with("CEST")),
            "the time in Norway, with its zone ({local}): {line}"
        );
        let actor = entry["actor"].as_str().expect("an actor");
        assert!(line.contains(actor), "who: {line}");
        let event_type = entry["event_type"].as_str().expect("a type");
        assert!(
            !line.contains(event_type),
            "what happened in words, not as the event's type: {line}"
        );
    }
    assert!(
        lines[1].contains("applied for assisted return to ")
            && lines[1].contains("final destination "),
        "{}",
        lines[1]
    );

    // The fields of the API's history entries, as its OpenAPI document names them.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
        .arg("openapi")
        .output()
        .expect("the binary runs");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut fields: Vec<&String> =
        document["components"]["schemas"]["HistoryEntryDto"]["properties"]
            .as_object()
            .expect("the history entry's schema")
            .keys()
            .collect();
    fields.sort();
    assert!(fields.len() >= 8, "{fields:?}");
    for entry in &entries {
        let mut keys: Vec<&String> = entry.as_object().expect("an object").keys().collect();
        keys.sort();
        assert_eq!(keys, fields, "{entry}");
    }
    assert_eq!(entries[0]["event_type"], "application_submitted");
    assert_eq!(entries[0]["version"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ids_printed_are_taken_on_sqlite() {
    let database = retur_testkit::TestDatabase::sqlite();
    ids_round_trip(database.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ids_printed_are_taken_on_postgres() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    ids_round_trip(database.url()).await;
}

/// Only `demo`, `serve` and `migrate` make a SQLite database: any other command run where
/// there is none says so, says how to make one, and leaves no file behind.
#[test]
fn a_command_where_there_is_no_database_makes_none() {
    let dir = retur_testkit::temp_dir();
    let retur = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_retur"))
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("RETUR_KEYS_URL")
            .env(
                "RETUR_TOKEN_SECRET",
                "a secret for this test, long enough for HS256",
            )
            .args(args)
            .output()
            .expect("the binary runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let files = || {
        std::fs::read_dir(dir.path())
            .expect("the directory")
            .map(|entry| entry.expect("an entry").file_name())
            .collect::<Vec<_>>()
    };
    for args in [
        &["verify"][..],
        &["stats"],
        &["queues", "--agency", "udi"],
        &["case", "show", "2026-000001"],
        &["case", "history", "00000000-0000-0000-0000-000000000001"],
        &["rebuild"],
        &[
            "erase",
            "00000000-0000-0000-0000-000000000001",
            "--actor",
            "udi-kari",
        ],
        &[
            "token",
            "issue",
            "--role",
            "applicant",
            "--actor",
            "a-1",
            "--case",
            "2026-000001",
        ],
        &["--database-url", "sqlite://elsewhere.db", "verify"],
        &["--keys-url", "sqlite://keys.db", "verify"],
    ] {
        let (ok, said) = retur(args);
        assert!(!ok, "{args:?}: {said}");
        assert!(
            said.starts_with("retur: there is no ")
                && said.contains("retur demo")
                && said.contains("retur migrate"),
            "{args:?}: {said}"
        );
        assert!(files().is_empty(), "{args:?} made nothing: {:?}", files());
    }
    let (_, said) = retur(&["stats"]);
    assert!(
        said.contains("there is no database at retur.db (sqlite://retur.db)"),
        "{said}"
    );
    let (_, said) = retur(&["--database-url", "sqlite://elsewhere.db", "verify"]);
    assert!(said.contains("no database at elsewhere.db"), "{said}");

    // `retur migrate` makes one; then the same commands run on it.
    let (ok, said) = retur(&["migrate"]);
    assert!(ok, "{said}");
    assert!(dir.path().join("retur.db").exists());
    let (ok, said) = retur(&["verify"]);
    assert!(ok && said.contains("the log verifies"), "{said}");
    let (ok, said) = retur(&["queues", "--agency", "une"]);
    assert!(ok && said.starts_with("UNE queues (0 cases)"), "{said}");
    // A key vault elsewhere that is not there is not made either.
    let (ok, said) = retur(&["--keys-url", "sqlite://keys.db", "verify"]);
    assert!(!ok, "{said}");
    assert!(
        said.starts_with("retur: there is no key vault at keys.db"),
        "{said}"
    );
    assert!(!dir.path().join("keys.db").exists());
}

/// The dates a payload says something happened on (its fields `…_on`), but for the day a
/// booked flight leaves, which may be ahead.
fn days_happened(value: &serde_json::Value, out: &mut Vec<(String, chrono::NaiveDate)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                if key.ends_with("_on")
                    && key != "departs_on"
                    && let Some(day) = inner.as_str().and_then(|d| d.parse().ok())
                {
                    out.push((key.clone(), day));
                }
                days_happened(inner, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| days_happened(i, out)),
        _ => {}
    }
}

/// The demo's story: nothing decided or recorded after now, nor said to have happened after
/// today; deadlines in the queues overdue, due today and due within a week; applicants with
/// names and home towns, not placeholders.
async fn the_demo_tells_a_story_up_to_today(url: String) {
    run_on(url.clone(), Command::Demo { token_secret: None })
        .await
        .expect("the demo runs");
    let now = chrono::Utc::now();
    let today = retur_domain::calendar::oslo_date(now);
    let system = System::open(&url, std::sync::Arc::new(retur_app::SystemClock))
        .await
        .expect("open");
    let log = common::everything(system.store.as_ref()).await;
    assert!(log.len() > 300, "{} events", log.len());
    for event in &log {
        let decided = event.metadata.decided_at.expect("a decision time");
        assert!(
            decided <= now && event.recorded_at <= now && decided <= event.recorded_at,
            "{} at position {} decided at {decided}, recorded at {}",
            event.event_type,
            event.position,
            event.recorded_at
        );
        let mut days = Vec::new();
        days_happened(&event.payload, &mut days);
        for (field, day) in days {
            assert!(
                day <= today,
                "{} at position {}: {field} {day} is after today",
                event.event_type,
                event.position
            );
        }
    }
    assert!(
        log.iter().any(|e| e
            .metadata
            .decided_at
            .is_some_and(|d| d.date_naive() < today - chrono::Duration::days(300))),
        "the story goes back more than a year"
    );

    // The queues: an overdue deadline, one due today, one within a week.
    system.catch_up().await.expect("catch up");
    let mut due = Vec::new();
    for agency in ["udi", "une", "iom"] {
        let items = retur_projections::CaseIndex::queue(
            system.projector.pool(),
            agency,
            &retur_projections::QueueQuery {
                limit: 1000,
                ..Default::default()
            },
        )
        .await
        .expect("the queue");
        due.extend(
            items
                .iter()
                .filter_map(|item| item.due_on.as_deref()?.parse::<chrono::NaiveDate>().ok()),
        );
    }
    assert!(due.iter().any(|d| *d < today), "overdue: {due:?}");
    assert!(due.contains(&today), "due today: {due:?}");
    assert!(
        due.iter()
            .any(|d| *d > today && *d <= today + chrono::Duration::days(7)),
        "due within a week: {due:?}"
    );
    let (ok, said, _) = retur_on(&url, &["queues", "--agency", "iom"]);
    assert!(ok);
    assert!(
        said.contains("(overdue by 1 day)") && said.contains("(today)") && said.contains("(in "),
        "{said}"
    );

    // The applicants: real-looking names, each household's its own, and real home towns.
    let udi = retur_app::Caller::agency(retur_domain::Actor::new(
        retur_domain::Role::Udi,
        retur_domain::ActorId::parse("udi-test").expect("an actor"),
    ));
    let mut principals = std::collections::BTreeSet::new();
    let mut towns = std::collections::BTreeSet::new();
    let mut countries = std::collections::BTreeSet::new();
    let applications: Vec<_> = log
        .iter()
        .filter(|e| e.event_type == "application_submitted")
        .collect();
    assert!(applications.len() >= 48, "{}", applications.len());
    for submitted in &applications {
        let case: retur_domain::CaseId = submitted
            .stream_id
            .as_str()
            .strip_prefix("case-")
            .expect("a case")
            .parse()
            .expect("a case id");
        let history = system.cases.history(&udi, case).await.expect("history");
        let data = &history[0].data;
        countries.insert(data["nationality"].as_str().expect("a country").to_owned());
        let principal = data["household"][0]["person_id"].as_str().expect("an id");
        for (person, details) in data["personal"].as_object().expect("personal data") {
            let name = details["full_name"].as_str().expect("a name");
            let words: Vec<&str> = name.split(' ').collect();
            assert!(
                words.len() >= 2
                    && words.iter().all(|w| w.starts_with(char::is_uppercase))
                    && !name.chars().any(|c| c.is_ascii_digit())
                    && !name.to_lowercase().contains("person"),
                "a name, not a placeholder: {name:?}"
            );
            if person == principal {
                principals.insert(name.to_owned());
                let town = details["final_destination"].as_str().expect("a town");
                assert!(
                    town != "Home town" && town.starts_with(char::is_uppercase),
                    "{town:?}"
                );
                towns.insert(town.to_owned());
            }
        }
    }
    assert_eq!(
        principals.len(),
        applications.len(),
        "every principal applicant has a name of their own: {principals:?}"
    );
    assert!(towns.len() >= 25, "{towns:?}");
    assert!(countries.len() >= 8, "{countries:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_demo_tells_a_story_up_to_today_on_sqlite() {
    let database = retur_testkit::TestDatabase::sqlite();
    the_demo_tells_a_story_up_to_today(database.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_demo_tells_a_story_up_to_today_on_postgres() {
    let Some(database) = retur_testkit::TestDatabase::postgres().await else {
        return;
    };
    the_demo_tells_a_story_up_to_today(database.url()).await;
}
