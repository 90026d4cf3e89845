//! The `retur` command for operators: run the demo, migrate, verify the log, rebuild
//! projections, and look at cases, queues and statistics. SQLite (`retur.db` in the working
//! directory) unless `--database-url` or `DATABASE_URL` names a PostgreSQL database.

// The command's whole purpose is to print reports for people.
#![allow(clippy::print_stdout)]

/// `println!` for a report that may be piped: when the reader has gone (`retur … | head`), the
/// command ends quietly, as a command does on a broken pipe, instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(error) = writeln!(std::io::stdout().lock(), $($arg)*) {
            $crate::stdout_failed(error);
        }
    }};
}

mod demo;
mod running;

/// Ends the command when its output cannot be written: quietly when the reader has gone.
#[doc(hidden)]
pub fn stdout_failed(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    #[allow(clippy::print_stderr)] // Standard output is gone; standard error is all there is.
    {
        eprintln!("retur: writing the output: {error}");
    }
    std::process::exit(1)
}

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use retur_app::{
    AsOf, AuditOptions, CASE_STREAM_PREFIX, Caller, Cases, Checkpoint, Clock, Extends, SystemClock,
};
use retur_domain::{Actor, ActorId, CaseId, Money, Role, RuleBook};
use retur_projections::{
    CaseIndex, LetterIndex, PayoutLedger, PersonIndex, Projection, Projector, QueueQuery,
};
use retur_store::{
    EventStore, PostgresStore, RecordedEvent, SqlKeys, SqliteStore, StoreConfig, StreamId,
    Upcasters,
};

pub use running::{Running, Serving, spawn_app};

#[derive(Debug, Parser)]
#[command(
    name = "retur",
    version,
    about = "Cases of Norway's assisted return programme, kept as an append-only, verifiable log."
)]
pub struct Cli {
    /// The database: `sqlite://FILE` (the default, `retur.db` in the working directory) or
    /// `postgres://…` for the production store.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://retur.db",
        global = true
    )]
    pub database_url: String,
    /// How log lines are written to standard error: `text` for people, `json` for a log
    /// collector. `RUST_LOG` chooses which (`info` when serving, `warn` otherwise).
    #[arg(
        long,
        env = "RETUR_LOG_FORMAT",
        default_value = "text",
        value_enum,
        global = true
    )]
    pub log_format: LogFormat,
    /// Where the keys that seal personal data are kept: the log's own database unless another
    /// is named here (keep it apart, with its own backups, for erasure to reach them too).
    #[arg(long, env = "RETUR_KEYS_URL", global = true)]
    pub keys_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// An agency with work queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Agency {
    Udi,
    Une,
    Iom,
}

impl Agency {
    pub const ALL: [Agency; 3] = [Agency::Udi, Agency::Une, Agency::Iom];

    /// As the queues and the API name it: `udi`, `une`, `iom`.
    pub fn as_str(self) -> &'static str {
        match self {
            Agency::Udi => "udi",
            Agency::Une => "une",
            Agency::Iom => "iom",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Sends `tracing`'s spans and events to standard error. Every line written while serving a
/// request carries the request's span, and with it the request id.
pub fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let default = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = match cli.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create about fifty realistic cases across the whole lifecycle, then print each agency's
    /// queues, the status of every case, the payout ledger and the audit, and a token for each
    /// role to sign in to the web pages with.
    Demo {
        /// The secret the tokens are signed with, as `retur serve` will be given it; a fresh one
        /// is made (and printed) when none is given.
        #[arg(long, env = "RETUR_TOKEN_SECRET", hide_env_values = true)]
        token_secret: Option<String>,
    },
    /// Make the database if there is none, and bring its schema up to date (every other
    /// command brings the schema up to date too, but only `demo`, `serve` and `migrate` make
    /// a SQLite file that is not there).
    Migrate,
    /// Verify the log: the hash chain, then every case decided again; with `--against`, also
    /// that the log still extends a signed checkpoint.
    Verify {
        /// A checkpoint written by `retur checkpoint`: the log must still reach its position
        /// with the hash it signed.
        #[arg(long, requires = "public_key")]
        against: Option<PathBuf>,
        /// The public key the checkpoint must be signed with (PEM, as `openssl pkey -pubout`
        /// writes it).
        #[arg(long, requires = "against")]
        public_key: Option<PathBuf>,
    },
    /// Print the log's head position and hash, signed with an Ed25519 key, for keeping outside
    /// the database (the hash chain is checked first). `retur verify --against` checks a log
    /// against it later.
    Checkpoint {
        /// The private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it).
        #[arg(long, env = "RETUR_CHECKPOINT_KEY")]
        key: PathBuf,
    },
    /// Rebuild a projection (or all) from the start of the log and swap it in.
    Rebuild {
        /// `case_index` or `payout_ledger`; all when left out.
        projection: Option<String>,
    },
    /// Look at one case.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Letters retur issued.
    #[command(subcommand)]
    Letter(LetterCommand),
    /// An agency's work queues: each case's reference and id, its queue and state, its next
    /// deadline and how near it is, and who holds it.
    Queues {
        /// The agency, in any case: `udi`, `une` or `iom`.
        #[arg(long, value_enum, ignore_case = true)]
        agency: Agency,
    },
    /// Cases by state, nationality and month, and median processing times.
    Stats,
    /// Serve the HTTP API (and run the deadline scheduler and the projections) until stopped.
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The secret tokens are signed with (at least 32 bytes); keep it out of the shell history.
        #[arg(long, env = "RETUR_TOKEN_SECRET", hide_env_values = true)]
        token_secret: String,
        /// How often the deadline scheduler looks for deadlines that have passed, in seconds.
        /// Any number of servers may run one on the same database: each deadline fires once.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        deadline_every: u64,
        /// For tests and training, never production: the case system's clock stands still at
        /// this RFC 3339 time (such as 2026-03-02T09:00:00+01:00) instead of following the
        /// machine's, and `POST /clock` (the system role's) moves it forward. Every page and
        /// `/health` say so.
        #[arg(long, value_parser = parse_time)]
        manual_clock: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Erase a person's personal data: destroy the key it is sealed with and record the
    /// erasure in every case they appear in. Cannot be undone. The log and its hash chain stay
    /// as they are; every read shows the person's data as erased.
    Erase {
        /// The person's id, as in the application's household.
        person: String,
        /// The UDI caseworker or officer who erases (recorded with the erasure).
        #[arg(long)]
        actor: String,
    },
    /// Issue API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Print the API's OpenAPI 3 document (also served at `/openapi.json`).
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a signed token for a caller.
    Issue {
        /// `udi`, `une`, `iom`, `applicant`, `system` or `auditor`.
        #[arg(long)]
        role: String,
        /// Who acts: a caseworker's or a system's id.
        #[arg(long)]
        actor: String,
        /// For an applicant: a case they may reach (repeat for more): its UUID, `case-UUID`,
        /// or its reference such as 2026-000123 (a reference is looked up in the database).
        #[arg(long = "case")]
        cases: Vec<String>,
        /// Hours until the token expires.
        #[arg(long, default_value_t = 8)]
        hours: i64,
        #[arg(long, env = "RETUR_TOKEN_SECRET", hide_env_values = true)]
        token_secret: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// A case's current status, or as it stood at a past time or position.
    Show {
        /// The case: its UUID, `case-UUID`, or its reference such as 2026-000123 (as `retur
        /// queues` prints them).
        id: String,
        /// An RFC 3339 time (`2025-03-10T12:00:00Z`) or a log position.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// A case's events, as a role may see them (IOM sees no reasons for refusals): one line
    /// each, with the time in Norway, who, what happened and its main figures.
    History {
        /// The case: its UUID, `case-UUID`, or its reference such as 2026-000123.
        id: String,
        /// The role whose view is shown: `udi`, `une`, `iom`, `applicant`, `system` or
        /// `auditor`.
        #[arg(long, default_value = "auditor")]
        as_role: String,
        /// Print the entries as a JSON array, one object per event with the fields of the
        /// API's `GET /cases/{id}/history`.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LetterCommand {
    /// Check that a letter someone holds is one retur issued, unchanged: its SHA-256 must be
    /// one the log recorded when a letter was issued. Exits with 1 when it is not.
    Verify {
        /// The letter, as the PDF file.
        file: PathBuf,
    },
}

/// The person index's way to open personal data: the application's keys and cipher.
#[derive(Debug)]
struct Opening(Cases);

#[async_trait::async_trait]
impl retur_projections::Opener for Opening {
    async fn open(&self, events: Vec<RecordedEvent>) -> Result<Vec<RecordedEvent>, String> {
        self.0.opened(events).await.map_err(|e| e.to_string())
    }
}

/// The case system on one database.
pub struct System {
    pub store: Arc<dyn EventStore>,
    pub cases: Cases,
    pub projector: Projector,
    pub rules: Arc<RuleBook>,
}

impl std::fmt::Debug for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("System")
            .field("cases", &self.cases)
            .finish_non_exhaustive()
    }
}

impl System {
    /// Opens the store at `url` (migrating it), with `clock` for decisions, and the key vault
    /// in the same database.
    pub async fn open(url: &str, clock: Arc<dyn Clock>) -> anyhow::Result<System> {
        System::open_with_keys(url, None, clock).await
    }

    /// [`open`](Self::open), with the key vault at `keys_url` when given.
    pub async fn open_with_keys(
        url: &str,
        keys_url: Option<&str>,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<System> {
        let rules = Arc::new(RuleBook::builtin().context("loading the rule files")?);
        let config = StoreConfig::default();
        let store: Arc<dyn EventStore> =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                Arc::new(
                    PostgresStore::connect(url, config, Upcasters::new())
                        .await
                        .context("opening the PostgreSQL store")?,
                )
            } else if let Some(path) = sqlite_file(url) {
                Arc::new(
                    SqliteStore::open(&path, config, Upcasters::new())
                        .await
                        .with_context(|| format!("opening {}", path.display()))?,
                )
            } else {
                bail!("the database URL {url:?} is neither sqlite://FILE nor postgres://…");
            };
        let projector = Projector::connect(url, Arc::clone(&store))
            .await
            .context("opening the read models")?;
        let keys = SqlKeys::connect(keys_url.unwrap_or(url))
            .await
            .context("opening the key vault")?;
        let cases = Cases::new(
            Arc::clone(&store),
            Arc::new(keys),
            Arc::clone(&rules),
            clock,
        );
        Ok(System {
            store,
            cases,
            projector,
            rules,
        })
    }

    pub fn projections(&self) -> Vec<Arc<dyn Projection>> {
        vec![
            Arc::new(CaseIndex::new(Arc::clone(&self.rules))),
            Arc::new(PayoutLedger),
            Arc::new(PersonIndex::new(Arc::new(Opening(self.cases.clone())))),
            Arc::new(LetterIndex),
        ]
    }

    /// Brings every projection up to the head of the log.
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        for projection in self.projections() {
            self.projector
                .catch_up(projection.as_ref(), None)
                .await
                .with_context(|| format!("updating {}", projection.name()))?;
        }
        Ok(())
    }
}

/// The SQLite file a database URL names, if it names one (`sqlite://FILE`, options after `?`).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// Fails, making nothing, when the database or the key vault is a SQLite file that is not
/// there: only `demo`, `serve` and `migrate` make one, so that a command run in the wrong
/// directory does not leave an empty database behind. PostgreSQL URLs are not checked here.
fn must_exist(url: &str, keys_url: Option<&str>) -> anyhow::Result<()> {
    if let Some(path) = sqlite_file(url).filter(|path| !path.exists()) {
        bail!(
            "there is no database at {} ({url}); make one with `retur demo` (about fifty \
             example cases) or `retur migrate` (an empty one), or name another with \
             --database-url or DATABASE_URL",
            path.display()
        );
    }
    if let Some(keys) = keys_url
        && let Some(path) = sqlite_file(keys).filter(|path| !path.exists())
    {
        bail!(
            "there is no key vault at {} ({keys}): name the vault the database's personal data \
             was sealed with, or make a new database and vault with `retur demo` or `retur \
             migrate`",
            path.display()
        );
    }
    Ok(())
}

/// Runs one command. Only those that read or write the log open the database; only `demo`,
/// `serve` and `migrate` make a SQLite database that is not there.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Openapi => {
            say!("{}", retur_api::openapi().to_pretty_json()?);
            Ok(())
        }
        Command::Token(TokenCommand::Issue {
            role,
            actor,
            cases,
            hours,
            token_secret,
        }) => {
            // UUIDs need no database; a reference is looked up in the log.
            let cases = match cases
                .iter()
                .map(|c| case_id_in(c))
                .collect::<Option<Vec<_>>>()
            {
                Some(ids) => ids,
                None => {
                    must_exist(&cli.database_url, cli.keys_url.as_deref())?;
                    let system = System::open_with_keys(
                        &cli.database_url,
                        cli.keys_url.as_deref(),
                        Arc::new(SystemClock),
                    )
                    .await?;
                    let mut ids = Vec::with_capacity(cases.len());
                    for case in &cases {
                        ids.push(resolve_case(system.store.as_ref(), case).await?);
                    }
                    ids
                }
            };
            issue_token(&role, actor, &cases, hours, &token_secret)
        }
        command => {
            if !matches!(
                command,
                Command::Demo { .. } | Command::Serve { .. } | Command::Migrate
            ) {
                must_exist(&cli.database_url, cli.keys_url.as_deref())?;
            }
            let manual_clock = match &command {
                Command::Serve {
                    manual_clock: Some(at),
                    ..
                } => Some(Arc::new(retur_app::ManualClock::new(*at))),
                _ => None,
            };
            let clock: Arc<dyn retur_app::Clock> = match &manual_clock {
                Some(manual) => manual.clone(),
                None => Arc::new(SystemClock),
            };
            let system =
                System::open_with_keys(&cli.database_url, cli.keys_url.as_deref(), clock).await?;
            run_on(system, &cli.database_url, command, manual_clock).await
        }
    }
}

/// A signed token for a role, an actor and (for an applicant) cases, printed.
fn issue_token(
    role: &str,
    actor: String,
    cases: &[CaseId],
    hours: i64,
    token_secret: &str,
) -> anyhow::Result<()> {
    let keys = retur_api::Keys::from_secret(token_secret.as_bytes()).map_err(anyhow::Error::msg)?;
    let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    ActorId::parse(&actor).map_err(|e| anyhow::anyhow!("--actor: {e}"))?;
    let cases = cases.iter().map(CaseId::as_uuid).collect();
    let claims = retur_api::TokenClaims {
        sub: actor,
        role: role.as_str().to_owned(),
        cases,
        exp: (chrono::Utc::now() + chrono::Duration::hours(hours)).timestamp(),
        nbf: None,
    };
    say!("{}", keys.issue(&claims).map_err(anyhow::Error::msg)?);
    Ok(())
}

/// Runs a command that needs the log, on the system opened for it.
async fn run_on(
    system: System,
    database_url: &str,
    command: Command,
    manual_clock: Option<Arc<retur_app::ManualClock>>,
) -> anyhow::Result<()> {
    match command {
        Command::Migrate => say!("the schema of {database_url} is up to date"),
        Command::Demo { token_secret } => {
            let cases = demo::run(database_url).await?;
            print_demo_tokens(token_secret, &cases)?;
        }
        Command::Verify {
            against,
            public_key,
        } => {
            let against = match (against, public_key) {
                (Some(checkpoint), Some(key)) => Some(read_checkpoint(&checkpoint, &key)?),
                _ => None,
            };
            verify(&system, against).await?
        }
        Command::Checkpoint { key } => checkpoint(&system, &key).await?,
        Command::Rebuild { projection } => rebuild(&system, projection.as_deref()).await?,
        Command::Case(CaseCommand::Show { id, as_of }) => {
            show(&system, &id, as_of.as_deref()).await?
        }
        Command::Case(CaseCommand::History { id, as_role, json }) => {
            history(&system, &id, &as_role, json).await?
        }
        Command::Letter(LetterCommand::Verify { file }) => {
            system.catch_up().await?;
            verify_letter(&system, &file).await?;
        }
        Command::Queues { agency } => {
            system.catch_up().await?;
            print_queues(&system, agency).await?;
        }
        Command::Stats => {
            system.catch_up().await?;
            print_stats(&system).await?;
        }
        Command::Serve {
            listen,
            token_secret,
            deadline_every,
            manual_clock: _,
        } => {
            let deadline_every = std::time::Duration::from_secs(deadline_every);
            serve(system, &listen, &token_secret, deadline_every, manual_clock).await?
        }
        Command::Erase { person, actor } => erase(&system, &person, &actor).await?,
        Command::Openapi | Command::Token(_) => {
            anyhow::bail!("this command needs no database and is run without one")
        }
    }
    Ok(())
}

/// For local use: a token per role, signed with `secret` (or a fresh one, printed), and how to
/// serve the pages with it.
fn print_demo_tokens(secret: Option<String>, cases: &[(CaseId, String)]) -> anyhow::Result<()> {
    let fresh = secret.is_none();
    let secret = secret.unwrap_or_else(|| {
        format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        )
    });
    let tokens = demo_tokens(&secret, cases)?;
    say!();
    say!("serve the web pages and the API on these cases:");
    if fresh {
        say!("  RETUR_TOKEN_SECRET={secret} retur serve");
    } else {
        say!("  retur serve   (with the same RETUR_TOKEN_SECRET)");
    }
    say!("then open http://127.0.0.1:8080/ui and sign in with one of these (valid 8 hours):");
    for (role, actor, token) in tokens {
        say!("  {:<10} {actor:<15} {token}", role.as_str());
    }
    Ok(())
}

/// A token for each role, valid for eight hours. The applicant reaches the demo's first case,
/// and one not yet applied for.
fn demo_tokens(
    secret: &str,
    cases: &[(CaseId, String)],
) -> anyhow::Result<Vec<(Role, &'static str, String)>> {
    let keys = retur_api::Keys::from_secret(secret.as_bytes()).map_err(anyhow::Error::msg)?;
    let applicant_cases: Vec<uuid::Uuid> = cases
        .iter()
        .take(1)
        .map(|(case, _)| case.as_uuid())
        .chain([uuid::Uuid::now_v7()])
        .collect();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(8)).timestamp();
    [
        (Role::Udi, "udi-kari", Vec::new()),
        (Role::Une, "une-ola", Vec::new()),
        (Role::Iom, "iom-amina", Vec::new()),
        (Role::Auditor, "auditor-eva", Vec::new()),
        (Role::Applicant, "applicant-demo", applicant_cases),
    ]
    .into_iter()
    .map(|(role, actor, cases)| {
        let token = keys
            .issue(&retur_api::TokenClaims {
                sub: actor.to_owned(),
                role: role.as_str().to_owned(),
                cases,
                exp: expires,
                nbf: None,
            })
            .map_err(anyhow::Error::msg)?;
        Ok((role, actor, token))
    })
    .collect()
}

/// Serves the API, with the deadline scheduler and the projections running beside it, until
/// Ctrl-C.
async fn serve(
    system: System,
    listen: &str,
    secret: &str,
    deadline_every: std::time::Duration,
    manual_clock: Option<Arc<retur_app::ManualClock>>,
) -> anyhow::Result<()> {
    let keys =
        Arc::new(retur_api::Keys::from_secret(secret.as_bytes()).map_err(anyhow::Error::msg)?);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    if let Some(manual) = &manual_clock {
        tracing::warn!(
            now = %retur_app::Clock::now(manual.as_ref()),
            "the clock is set by hand: this server is for tests and training, not production"
        );
    }
    let serving = Serving {
        manual_clock,
        ..Serving::production(keys, deadline_every)
    };
    let running = system.start(listener, serving).await?;
    say!("retur serves on {}", running.base);
    running
        .until(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// An RFC 3339 time, such as 2026-03-02T09:00:00+01:00.
fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .map_err(|_| format!("{text:?} is not an RFC 3339 time such as 2026-03-02T09:00:00+01:00"))
}

fn auditor() -> Caller {
    Caller::agency(Actor::new(
        Role::Auditor,
        ActorId::parse("retur-cli").expect("a valid actor id"),
    ))
}

fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_owned());
    bar
}

fn read_file(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {what} {}", path.display()))
}

/// A checkpoint whose signature is checked against the public key in `key`.
fn read_checkpoint(checkpoint: &Path, key: &Path) -> anyhow::Result<Checkpoint> {
    let key = retur_app::verifying_key_from_pem(&read_file(key, "the public key")?)
        .with_context(|| format!("reading the public key {}", key.display()))?;
    Checkpoint::read(&read_file(checkpoint, "the checkpoint")?, &key)
        .with_context(|| format!("reading the checkpoint {}", checkpoint.display()))
}

/// Prints a signed checkpoint of the head, once the chain up to it is found intact.
async fn checkpoint(system: &System, key: &Path) -> anyhow::Result<()> {
    let signing = retur_app::signing_key_from_pem(&read_file(key, "the key")?)
        .with_context(|| format!("reading the key {}", key.display()))?;
    let chain = system.store.verify_chain(1, None).await?;
    if let Some(broken) = chain.broken {
        bail!("{broken}: a log that does not verify is not signed");
    }
    let checkpoint = Checkpoint::sign(chain.last, chain.last_hash, chrono::Utc::now(), &signing);
    say!("{}", checkpoint.to_json());
    Ok(())
}

pub async fn verify(system: &System, against: Option<Checkpoint>) -> anyhow::Result<()> {
    let head = system.store.head().await?.position;
    let bar = progress_bar(head, "verifying");
    let options = AuditOptions {
        against: against.clone(),
        ..AuditOptions::default()
    };
    let report = system
        .cases
        .verify_with(options, |progress| {
            bar.set_position(progress.read.min(head))
        })
        .await?;
    bar.finish_and_clear();
    say!(
        "hash chain: {} events checked, head hash {}",
        report.chain.checked,
        report.chain.last_hash
    );
    if let Some(broken) = &report.chain.broken {
        say!(
            "  BROKEN at position {}: {}",
            broken.position,
            broken.problem()
        );
    }
    say!(
        "replay: {} cases, {} commands decided again, {} not replayable, {} events outside cases",
        report.streams,
        report.commands_replayed,
        report.not_replayable,
        report.events_outside_cases
    );
    if let Some(illegal) = &report.first_illegal {
        say!(
            "  ILLEGAL at position {} ({}): {}",
            illegal.position,
            illegal.stream_id,
            illegal.problem()
        );
    }
    let derived = &report.derived;
    say!(
        "derived tables: {} stored statuses and {} command records compared with the log, {} mismatches",
        derived.statuses_checked,
        derived.commands_checked,
        derived.mismatch_count
    );
    for mismatch in &derived.mismatches {
        say!(
            "  MISMATCH in {} at position {} ({}): {}",
            mismatch.table.name(),
            mismatch.position,
            mismatch.stream_id,
            mismatch.problem()
        );
    }
    if derived.mismatch_count > derived.mismatches.len() as u64 {
        say!(
            "  and {} more",
            derived.mismatch_count - derived.mismatches.len() as u64
        );
    }
    if let (Some(checkpoint), Some(extends)) = (&against, &report.against) {
        let signed = format!(
            "position {} (hash {}, signed {})",
            checkpoint.position,
            checkpoint.hash,
            checkpoint
                .made_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        match extends {
            Extends::Yes => say!("checkpoint: the log extends {signed}"),
            Extends::Truncated { head } => {
                say!("checkpoint: CUT SHORT: the log ends at position {head}, before {signed}")
            }
            Extends::Rewritten { found } => say!(
                "checkpoint: REWRITTEN: the log's hash at position {} is {found}, not the one signed at {signed}",
                checkpoint.position
            ),
            Extends::ChainBroken => say!(
                "checkpoint: the hash chain breaks before {signed}, so the log cannot be shown to extend it"
            ),
        }
    }
    if report.is_clean() {
        say!("the log verifies");
        Ok(())
    } else {
        bail!("the log does not verify")
    }
}

async fn rebuild(system: &System, only: Option<&str>) -> anyhow::Result<()> {
    let projections = system.projections();
    let chosen: Vec<_> = projections
        .iter()
        .filter(|p| only.is_none_or(|name| name == p.name()))
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = projections.iter().map(|p| p.name()).collect();
        bail!(
            "no projection is called {:?}; there are {}",
            only.unwrap_or_default(),
            names.join(", ")
        );
    }
    // All chosen projections in one reading of the log.
    let names: Vec<&str> = chosen.iter().map(|p| p.name()).collect();
    let chosen: Vec<&dyn Projection> = chosen.iter().map(|p| p.as_ref()).collect();
    let bar = progress_bar(system.store.head().await?.position, "rebuild");
    let position = system
        .projector
        .rebuild_all(&chosen, |progress| {
            bar.set_length(progress.total);
            bar.set_position(progress.done);
        })
        .await?;
    bar.finish_and_clear();
    say!("{} rebuilt to position {position}", names.join(" and "));
    Ok(())
}

/// The case a text names without looking in the log: its UUID, or its stream id `case-UUID`.
fn case_id_in(text: &str) -> Option<CaseId> {
    let text = text.trim();
    text.strip_prefix(CASE_STREAM_PREFIX)
        .unwrap_or(text)
        .parse::<CaseId>()
        .ok()
}

/// The case a text names: its UUID, its stream id `case-UUID`, or its reference
/// (`2026-000123`: the year its application was submitted in Norway, and the application's
/// position in the log). A reference is read from the log itself, exactly and without any
/// projection: the event at its position must be an application submitted in its year.
pub async fn resolve_case(store: &dyn EventStore, text: &str) -> anyhow::Result<CaseId> {
    if let Some(case) = case_id_in(text) {
        return Ok(case);
    }
    let text = text.trim();
    let Some((year, position)) = retur_projections::position_of(text) else {
        bail!(
            "{text:?} names no case: give the case's UUID (as `retur queues` prints it), \
             case-UUID, or its reference such as 2026-000123"
        );
    };
    let event = match position {
        0 => None,
        _ => store.read_all(position - 1, 1).await?.into_iter().next(),
    };
    event
        .filter(|e| e.position == position && e.event_type == "application_submitted")
        .filter(|e| {
            retur_projections::position_of(&application_reference(e)) == Some((year, position))
        })
        .and_then(|e| case_id_in(e.stream_id.as_str()))
        .with_context(|| {
            format!(
                "no case has the reference {text}: no application submitted in {year} is at \
                 position {position} of the log"
            )
        })
}

/// The reference of the case whose application `submitted` is (an `application_submitted`
/// event as the log holds it), as the person index gives it.
fn application_reference(submitted: &RecordedEvent) -> String {
    let at = submitted
        .payload
        .get("submitted_at")
        .and_then(serde_json::Value::as_str)
        .and_then(|at| at.parse::<chrono::DateTime<chrono::Utc>>().ok())
        .unwrap_or(submitted.recorded_at);
    retur_projections::reference(submitted.position, at)
}

/// A case's reference, from its application in the log; none for a stream without one.
async fn reference_of(system: &System, stream: &str) -> anyhow::Result<Option<String>> {
    let id = StreamId::parse(stream).map_err(|e| anyhow::anyhow!("{e}"))?;
    let first = system
        .store
        .read_stream(&id, 1, 1)
        .await?
        .into_iter()
        .next();
    Ok(first
        .filter(|e| e.event_type == "application_submitted")
        .map(|e| application_reference(&e)))
}

/// The references of these cases (by stream id): from the person index, and for a case it
/// holds nobody of (everyone in it erased), from the case's application in the log.
pub(crate) async fn references(
    system: &System,
    streams: &[String],
) -> anyhow::Result<HashMap<String, String>> {
    let mut found = PersonIndex::references(system.projector.pool(), streams).await?;
    for stream in streams {
        if !found.contains_key(stream)
            && let Some(reference) = reference_of(system, stream).await?
        {
            found.insert(stream.clone(), reference);
        }
    }
    Ok(found)
}

/// How near a deadline on `on` is, seen on `today`: "today", "in 3 days", "overdue by 1 day".
pub(crate) fn nearness(on: NaiveDate, today: NaiveDate) -> String {
    match (on - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "overdue by 1 day".to_owned(),
        days if days > 0 => format!("in {days} days"),
        days => format!("overdue by {} days", -days),
    }
}

/// "1 case", "2 cases".
fn count_of(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// "1 person", "3 people".
fn people(n: usize) -> String {
    match n {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    }
}

/// Today in Norway, by the case system's clock.
fn today(system: &System) -> NaiveDate {
    retur_domain::calendar::oslo_date(system.cases.now())
}

async fn show(system: &System, id: &str, as_of: Option<&str>) -> anyhow::Result<()> {
    let case_id = resolve_case(system.store.as_ref(), id).await?;
    let stream = retur_app::stream_id(case_id);
    let reference = reference_of(system, stream.as_str())
        .await?
        .map_or_else(String::new, |r| format!(" ({r})"));
    match as_of {
        None => {
            let status = system
                .cases
                .status(&auditor(), case_id)
                .await?
                .with_context(|| format!("no case {case_id}"))?;
            say!("case {case_id}{reference}");
            say!(
                "  status:          {} (version {})",
                status.status,
                status.version
            );
            say!(
                "  whose move:      {}",
                status
                    .owner
                    .map_or("nobody's".to_owned(), |r| r.to_string())
            );
            if let Some(deadline) = status.next_deadline {
                say!(
                    "  next deadline:   {} on {} ({})",
                    deadline.kind.name(),
                    deadline.on,
                    nearness(deadline.on, today(system))
                );
            }
            let detail = &status.detail;
            say!(
                "  household:       {}",
                people(detail.household_size as usize)
            );
            let in_kind: Vec<String> = detail
                .approved_in_kind
                .iter()
                .map(ToString::to_string)
                .collect();
            say!(
                "  approved (cash): {}   in kind: {}",
                detail.approved_cash,
                if in_kind.is_empty() {
                    "none".to_owned()
                } else {
                    in_kind.join(", ")
                }
            );
            say!("  paid:            {}", detail.paid);
        }
        Some(text) => {
            let as_of = match text.parse::<u64>() {
                Ok(position) => AsOf::Position(position),
                Err(_) => AsOf::Time(
                    chrono::DateTime::parse_from_rfc3339(text)
                        .with_context(|| {
                            format!("--as-of {text:?} is neither a position nor an RFC 3339 time")
                        })?
                        .to_utc(),
                ),
            };
            let past = system.cases.as_of(&auditor(), case_id, as_of).await?;
            say!(
                "case {case_id}{reference} as of {text}: {} (version {})",
                past.case.status,
                past.version
            );
        }
    }
    Ok(())
}

async fn history(system: &System, id: &str, role: &str, json: bool) -> anyhow::Result<()> {
    let case_id = resolve_case(system.store.as_ref(), id).await?;
    let role: Role = role
        .parse()
        .map_err(|e| anyhow::anyhow!("--as-role: {e}"))?;
    let caller = match role {
        Role::Applicant => Caller::applicant(
            Actor::new(role, ActorId::parse("retur-cli").expect("valid")),
            [case_id],
        ),
        _ => Caller::agency(Actor::new(
            role,
            ActorId::parse("retur-cli").expect("valid"),
        )),
    };
    let entries = system.cases.history(&caller, case_id).await?;
    if json {
        let entries: Vec<retur_api::dto::HistoryEntryDto> =
            entries.into_iter().map(Into::into).collect();
        say!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(());
    }
    let stream = retur_app::stream_id(case_id);
    let reference = reference_of(system, stream.as_str())
        .await?
        .map_or_else(String::new, |r| format!(" ({r})"));
    say!(
        "case {case_id}{reference} as {} sees it: {}",
        role_name(role.as_str()),
        count_of(entries.len(), "event")
    );
    for entry in &entries {
        say!("{}", history_line(entry));
    }
    Ok(())
}

/// An agency by its name, anyone else by their role.
fn role_name(role: &str) -> String {
    match role {
        "udi" | "une" | "iom" => role.to_uppercase(),
        other => other.to_owned(),
    }
}

/// One event as a line for people: when (in Norway, with the zone), the version it made, who,
/// and what happened with its main figures.
fn history_line(entry: &retur_app::HistoryEntry) -> String {
    let at = entry
        .decided_at
        .unwrap_or(entry.recorded_at)
        .with_timezone(&chrono_tz::Europe::Oslo);
    let who = format!("{} ({})", entry.actor, role_name(&entry.role));
    let withheld = if entry.redacted {
        " [parts withheld from this role]"
    } else {
        ""
    };
    format!(
        "{:<22} v{:<3} {:<30} {}{withheld}",
        at.format("%Y-%m-%d %H:%M %Z").to_string(),
        entry.version,
        who,
        what_happened(&entry.event_type, &entry.data)
    )
}

/// What an event says happened, in words, with its main figures; an event without words of
/// its own is named by its type.
fn what_happened(event_type: &str, data: &serde_json::Value) -> String {
    use serde_json::Value;
    let text = |pointer: &str| {
        data.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .replace('_', " ")
    };
    let money = |pointer: &str| {
        data.pointer(pointer)
            .and_then(|value| {
                let currency = retur_domain::Currency::parse(value.get("currency")?.as_str()?);
                Some(Money::new(
                    currency.ok()?,
                    value.get("minor_units")?.as_i64()?,
                ))
            })
            .map_or_else(|| "?".to_owned(), |money| money.to_string())
    };
    let count = |pointer: &str| {
        data.pointer(pointer)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let people = |pointer: &str| people(count(pointer));
    let booking = |pointer: &str| {
        format!(
            "flight {} {}–{} on {}",
            text(&format!("{pointer}/flight")),
            text(&format!("{pointer}/from_airport")),
            text(&format!("{pointer}/to_airport")),
            text(&format!("{pointer}/departs_on"))
        )
    };
    match event_type {
        "application_submitted" => {
            let principal = data
                .get("household")
                .and_then(Value::as_array)
                .and_then(|members| {
                    members
                        .iter()
                        .find(|m| m["relation"] == "principal_applicant")
                })
                .and_then(|m| m["person_id"].as_str());
            let destination = principal
                .and_then(|id| data.pointer(&format!("/personal/{id}/final_destination")))
                .and_then(Value::as_str)
                .map_or_else(String::new, |place| format!(", final destination {place}"));
            let situation = data
                .get("situation")
                .and_then(Value::as_str)
                .map_or_else(String::new, |s| format!(" ({})", s.replace('_', " ")));
            format!(
                "applied for assisted return to {} for {}{situation}{destination}",
                text("/return_country"),
                people("/household"),
            )
        }
        "review_started" => "began the review".to_owned(),
        "application_approved" => format!(
            "approved the application: {} in cash for {}; travel deadline {}",
            money("/grant/cash"),
            people("/grant/persons"),
            text("/travel_deadline")
        ),
        "application_refused" => format!(
            "refused the application, notified {}; appeal deadline {}",
            text("/notified_on"),
            text("/appeal_deadline")
        ),
        "appeal_lodged" => {
            let late = data
                .get("missed_deadline")
                .and_then(Value::as_str)
                .map_or_else(String::new, |d| format!(", after the deadline of {d}"));
            format!("lodged an appeal posted {}{late}", text("/posted_on"))
        }
        "late_appeal_accepted" => {
            format!("accepted the late appeal for hearing ({})", text("/ground"))
        }
        "decision_reversed" => "reversed its decision on the appeal".to_owned(),
        "appeal_dismissed" => format!(
            "dismissed the appeal at {} ({})",
            text("/by").to_uppercase(),
            text("/ground")
        ),
        "appeal_forwarded_to_une" => "kept the decision and sent the appeal to UNE".to_owned(),
        "appeal_allowed" => "allowed the appeal".to_owned(),
        "appeal_rejected" => "rejected the appeal".to_owned(),
        "decision_quashed" => "quashed the decision and sent the case back to UDI".to_owned(),
        "appeal_window_closed" => format!(
            "closed the appeal window: the deadline {} passed without an appeal",
            text("/appeal_deadline")
        ),
        "handed_over_to_iom" => "handed the case over to IOM".to_owned(),
        "travel_document_requested" => format!(
            "requested {} for {} from {}",
            text("/document"),
            people("/persons"),
            text("/issuing_country")
        ),
        "travel_document_obtained" => format!(
            "obtained {}, valid until {}",
            text("/document"),
            text("/valid_until")
        ),
        "departure_booked" => format!("booked {}", booking("/booking")),
        "departure_rebooked" => format!("rebooked: {}", booking("/booking")),
        "departure_rescheduled" => {
            format!("rescheduled ({}): {}", text("/cause"), booking("/booking"))
        }
        "no_show_reported" => format!("reported a no-show for {}", booking("/missed")),
        "self_declaration_signed" => {
            format!(
                "recorded the self-declaration signed {}",
                text("/signed_on")
            )
        }
        "departure_confirmed" => format!(
            "confirmed the departure on {}; pocket money due {}",
            text("/departed_on"),
            money("/pocket_money/amount")
        ),
        "pocket_money_paid" => format!("paid pocket money: {}", money("/amount")),
        "arrival_confirmed" => format!("confirmed the arrival on {}", text("/arrived_on")),
        "reintegration_tranche_paid" => format!(
            "paid {} of the reintegration grant ({}, {})",
            money("/amount"),
            money("/local"),
            text("/method")
        ),
        "payout_flagged_overdue" => format!(
            "flagged the payout overdue: {} was due by {}",
            money("/outstanding"),
            text("/target_date")
        ),
        "case_closed" => "closed the case".to_owned(),
        "application_withdrawn" => "withdrew the application".to_owned(),
        "approval_revoked" => format!(
            "revoked the approval, notified {}; appeal deadline {}",
            text("/notified_on"),
            text("/appeal_deadline")
        ),
        "travel_deadline_lapsed" => format!(
            "lapsed the approval: the travel deadline {} passed",
            text("/travel_deadline")
        ),
        "forced_return_recorded" => {
            format!("recorded a forced return on {}", text("/returned_on"))
        }
        "re_entry_recorded" => {
            let window = if data["within_repayment_window"] == true {
                ", within the repayment window"
            } else {
                ""
            };
            format!(
                "recorded a re-entry to Norway on {}{window}",
                text("/re_entered_on")
            )
        }
        "repayment_claimed" => format!(
            "claimed repayment of {} ({})",
            money("/amount"),
            text("/extent")
        ),
        "personal_data_restricted" => {
            let roles: Vec<String> = data
                .get("visible_to")
                .and_then(Value::as_array)
                .map(|roles| {
                    roles
                        .iter()
                        .filter_map(Value::as_str)
                        .map(role_name)
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "restricted a person's data to {}",
                if roles.is_empty() {
                    "nobody".to_owned()
                } else {
                    roles.join(", ")
                }
            )
        }
        "restriction_lifted" => "lifted the restriction on a person's data".to_owned(),
        "personal_data_erased" => "erased a person's personal data".to_owned(),
        other => other.replace('_', " "),
    }
}

pub async fn print_queues(system: &System, agency: Agency) -> anyhow::Result<()> {
    let items = CaseIndex::queue(
        system.projector.pool(),
        agency.as_str(),
        &QueueQuery {
            limit: 1000,
            ..QueueQuery::default()
        },
    )
    .await?;
    let streams: Vec<String> = items.iter().map(|item| item.stream_id.clone()).collect();
    let references = references(system, &streams).await?;
    let today = today(system);
    say!(
        "{} queues ({})",
        agency.as_str().to_uppercase(),
        count_of(items.len(), "case")
    );
    if items.is_empty() {
        return Ok(());
    }
    say!(
        "  {:<12} {:<36} {:<25} {:<24} {:<46} held by",
        "reference",
        "case",
        "queue",
        "state",
        "next deadline"
    );
    for item in &items {
        let case = item
            .stream_id
            .strip_prefix(CASE_STREAM_PREFIX)
            .unwrap_or(&item.stream_id);
        let deadline = match item.due_on.as_deref() {
            Some(on) => {
                let near = on.parse::<NaiveDate>().map_or_else(
                    |_| String::new(),
                    |day| format!(" ({})", nearness(day, today)),
                );
                format!("{} {on}{near}", item.due_kind.as_deref().unwrap_or("due"))
            }
            None => "-".to_owned(),
        };
        say!(
            "  {:<12} {:<36} {:<25} {:<24} {:<46} {}",
            references.get(&item.stream_id).map_or("-", String::as_str),
            case,
            item.queue,
            item.status,
            deadline,
            item.claimed_by.as_deref().unwrap_or("nobody")
        );
    }
    Ok(())
}

pub async fn print_stats(system: &System) -> anyhow::Result<()> {
    let statistics = CaseIndex::statistics(system.projector.pool(), |_| true).await?;
    say!("{} cases", statistics.cases);
    for (state, count) in &statistics.by_state {
        say!("  {state:<26} {count}");
    }
    let median = |m: Option<i64>| m.map_or("-".to_owned(), |d| format!("{d} days"));
    say!(
        "median application to decision: {}",
        median(statistics.median_days_application_to_decision)
    );
    say!(
        "median decision to departure:   {}",
        median(statistics.median_days_decision_to_departure)
    );
    say!(
        "median arrival to payout:       {}",
        median(statistics.median_days_arrival_to_payout)
    );
    Ok(())
}

/// Erases a person's personal data everywhere, and says what was done in each case.
async fn erase(system: &System, person: &str, actor: &str) -> anyhow::Result<()> {
    let person: retur_domain::PersonId = person
        .parse()
        .map_err(|_| anyhow::anyhow!("{person:?} is not a person id (a UUID)"))?;
    let actor = ActorId::parse(actor).map_err(|e| anyhow::anyhow!("--actor: {e}"))?;
    let caller = Caller::agency(Actor::new(Role::Udi, actor));
    let erased = system
        .cases
        .erase_person(&caller, person)
        .await
        .with_context(|| format!("erasing person {person}"))?;
    say!("the key of person {person} is destroyed");
    for (case, outcome) in erased {
        match outcome {
            retur_app::Erased::Recorded { version } => {
                say!("  case {case}: erasure recorded (version {version})")
            }
            retur_app::Erased::Already => say!("  case {case}: erasure recorded before"),
        }
    }
    Ok(())
}

/// `retur letter verify FILE`: the letter is found by its SHA-256 among those the log records
/// as issued, or it is not one of retur's letters (or it was changed since).
async fn verify_letter(system: &System, file: &Path) -> anyhow::Result<()> {
    use sha2::Digest as _;
    let bytes =
        std::fs::read(file).with_context(|| format!("reading the letter {}", file.display()))?;
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let Some(found) = retur_projections::LetterIndex::find(system.projector.pool(), &sha256)
        .await
        .context("reading the letter index")?
    else {
        bail!(
            "{} is not a letter retur issued: no letter with SHA-256 {sha256} is in the log (it is another file, or it was changed since it was issued)",
            file.display()
        );
    };
    let case = found
        .stream_id
        .strip_prefix(retur_app::LETTERS_STREAM_PREFIX)
        .unwrap_or(&found.stream_id);
    say!("{} is a letter retur issued, unchanged", file.display());
    say!("  SHA-256   {sha256}");
    say!("  case      {case}");
    say!(
        "  letter    {} (the event at position {})",
        found.kind,
        found.for_position
    );
    say!("  language  {} and nb", found.language);
    say!(
        "  issued    {} (position {} of the log)",
        found.issued_at,
        found.position
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_gives_each_role_a_token_the_server_accepts() {
        let secret = "a secret of the demo, long enough for HS256";
        let first = CaseId::from_uuid(uuid::Uuid::now_v7());
        let tokens = demo_tokens(secret, &[(first, "approved".to_owned())]).expect("tokens");
        let keys = retur_api::Keys::from_secret(secret.as_bytes()).expect("keys");
        let roles: Vec<Role> = tokens.iter().map(|(role, _, _)| *role).collect();
        assert_eq!(
            roles,
            [
                Role::Udi,
                Role::Une,
                Role::Iom,
                Role::Auditor,
                Role::Applicant
            ]
        );
        for (role, actor, token) in &tokens {
            let claims = keys.check(token).expect("a token the server accepts");
            assert_eq!(
                (claims.role.as_str(), claims.sub.as_str()),
                (role.as_str(), *actor)
            );
            let cases = claims.cases;
            if *role == Role::Applicant {
                assert_eq!(cases.len(), 2, "the first case and a new one");
                assert_eq!(cases[0], first.as_uuid());
            } else {
                assert!(cases.is_empty());
            }
        }
        let other = retur_api::Keys::from_secret(b"another secret, just as long as the first")
            .expect("keys");
        assert!(
            other.check(&tokens[0].2).is_err(),
            "signed with the secret given"
        );
    }
}
