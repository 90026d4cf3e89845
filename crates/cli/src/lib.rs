//! The `retur` command for operators: run the demo, migrate, verify the log, rebuild
//! projections, and look at cases, queues and statistics. SQLite (`retur.db` in the working
//! directory) unless `--database-url` or `DATABASE_URL` names a PostgreSQL database.

// The command's whole purpose is to print reports for people.
#![allow(clippy::print_stdout)]

mod demo;
mod running;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use retur_app::{AsOf, AuditOptions, Caller, Cases, Checkpoint, Clock, Extends, SystemClock};
use retur_domain::{Actor, ActorId, CaseId, Role, RuleBook};
use retur_projections::{CaseIndex, PayoutLedger, PersonIndex, Projection, Projector, QueueQuery};
use retur_store::{
    EventStore, PostgresStore, RecordedEvent, SqlKeys, SqliteStore, StoreConfig, Upcasters,
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
    /// Bring the database's schema up to date (also done by every other command).
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
    /// An agency's work queues.
    Queues {
        /// `udi`, `une` or `iom`.
        #[arg(long)]
        agency: String,
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
        /// For an applicant: a case they may reach (repeat for more).
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
        id: String,
        /// An RFC 3339 time (`2025-03-10T12:00:00Z`) or a log position.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// A case's events, as a role may see them (IOM sees no reasons for refusals).
    History {
        id: String,
        #[arg(long, default_value = "auditor")]
        as_role: String,
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
            } else if let Some(path) = url.strip_prefix("sqlite://") {
                let path = PathBuf::from(path.split('?').next().unwrap_or(path));
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

/// Runs one command. Only those that read or write the log open the database.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Openapi => {
            println!("{}", retur_api::openapi().to_pretty_json()?);
            Ok(())
        }
        Command::Token(TokenCommand::Issue {
            role,
            actor,
            cases,
            hours,
            token_secret,
        }) => issue_token(&role, actor, &cases, hours, &token_secret),
        command => {
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
    cases: &[String],
    hours: i64,
    token_secret: &str,
) -> anyhow::Result<()> {
    let keys = retur_api::Keys::from_secret(token_secret.as_bytes()).map_err(anyhow::Error::msg)?;
    let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    ActorId::parse(&actor).map_err(|e| anyhow::anyhow!("--actor: {e}"))?;
    let cases = cases
        .iter()
        .map(|c| case_id(c).map(|id| id.as_uuid()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let claims = retur_api::TokenClaims {
        sub: actor,
        role: role.as_str().to_owned(),
        cases,
        exp: (chrono::Utc::now() + chrono::Duration::hours(hours)).timestamp(),
        nbf: None,
    };
    println!("{}", keys.issue(&claims).map_err(anyhow::Error::msg)?);
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
        Command::Migrate => println!("the schema of {database_url} is up to date"),
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
        Command::Case(CaseCommand::History { id, as_role }) => {
            history(&system, &id, &as_role).await?
        }
        Command::Queues { agency } => {
            system.catch_up().await?;
            print_queues(&system, &agency).await?;
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
    println!();
    println!("serve the web pages and the API on these cases:");
    if fresh {
        println!("  RETUR_TOKEN_SECRET={secret} retur serve");
    } else {
        println!("  retur serve   (with the same RETUR_TOKEN_SECRET)");
    }
    println!("then open http://127.0.0.1:8080/ui and sign in with one of these (valid 8 hours):");
    for (role, actor, token) in tokens {
        println!("  {:<10} {actor:<15} {token}", role.as_str());
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
    println!("retur serves on {}", running.base);
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
    println!("{}", checkpoint.to_json());
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
    println!(
        "hash chain: {} events checked, head hash {}",
        report.chain.checked, report.chain.last_hash
    );
    if let Some(broken) = &report.chain.broken {
        println!(
            "  BROKEN at position {}: {}",
            broken.position, broken.problem
        );
    }
    println!(
        "replay: {} cases, {} commands decided again, {} not replayable, {} events outside cases",
        report.streams,
        report.commands_replayed,
        report.not_replayable,
        report.events_outside_cases
    );
    if let Some(illegal) = &report.first_illegal {
        println!(
            "  ILLEGAL at position {} ({}): {}",
            illegal.position, illegal.stream_id, illegal.problem
        );
    }
    let derived = &report.derived;
    println!(
        "derived tables: {} stored statuses and {} command records compared with the log, {} mismatches",
        derived.statuses_checked, derived.commands_checked, derived.mismatch_count
    );
    for mismatch in &derived.mismatches {
        println!(
            "  MISMATCH in {} at position {} ({}): {}",
            mismatch.table.name(),
            mismatch.position,
            mismatch.stream_id,
            mismatch.problem
        );
    }
    if derived.mismatch_count > derived.mismatches.len() as u64 {
        println!(
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
            Extends::Yes => println!("checkpoint: the log extends {signed}"),
            Extends::Truncated { head } => {
                println!("checkpoint: CUT SHORT: the log ends at position {head}, before {signed}")
            }
            Extends::Rewritten { found } => println!(
                "checkpoint: REWRITTEN: the log's hash at position {} is {found}, not the one signed at {signed}",
                checkpoint.position
            ),
            Extends::ChainBroken => println!(
                "checkpoint: the hash chain breaks before {signed}, so the log cannot be shown to extend it"
            ),
        }
    }
    if report.is_clean() {
        println!("the log verifies");
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
    println!("{} rebuilt to position {position}", names.join(" and "));
    Ok(())
}

fn case_id(id: &str) -> anyhow::Result<CaseId> {
    id.parse::<CaseId>().map_err(|e| anyhow::anyhow!("{e}"))
}

async fn show(system: &System, id: &str, as_of: Option<&str>) -> anyhow::Result<()> {
    let case_id = case_id(id)?;
    match as_of {
        None => {
            let status = system
                .cases
                .status(&auditor(), case_id)
                .await?
                .with_context(|| format!("no case {case_id}"))?;
            println!("case {case_id}");
            println!(
                "  status:          {} (version {})",
                status.status, status.version
            );
            println!(
                "  whose move:      {}",
                status
                    .owner
                    .map_or("nobody's".to_owned(), |r| r.to_string())
            );
            if let Some(deadline) = status.next_deadline {
                println!(
                    "  next deadline:   {} on {}",
                    deadline.kind.name(),
                    deadline.on
                );
            }
            let detail = &status.detail;
            println!("  household:       {} people", detail.household_size);
            let in_kind: Vec<String> = detail
                .approved_in_kind
                .iter()
                .map(ToString::to_string)
                .collect();
            println!(
                "  approved (cash): {}   in kind: {}",
                detail.approved_cash,
                if in_kind.is_empty() {
                    "none".to_owned()
                } else {
                    in_kind.join(", ")
                }
            );
            println!("  paid:            {}", detail.paid);
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
            println!(
                "case {case_id} as of {text}: {} (version {})",
                past.case.status, past.version
            );
        }
    }
    Ok(())
}

async fn history(system: &System, id: &str, role: &str) -> anyhow::Result<()> {
    let case_id = case_id(id)?;
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
    for entry in system.cases.history(&caller, case_id).await? {
        let marker = if entry.redacted { " (redacted)" } else { "" };
        println!(
            "{:>6}  v{:<3} {}  {:<28} by {} ({}){marker}",
            entry.position,
            entry.version,
            entry.recorded_at.format("%Y-%m-%d %H:%M:%S"),
            entry.event_type,
            entry.actor,
            entry.role
        );
        println!("        {}", entry.data);
    }
    Ok(())
}

pub async fn print_queues(system: &System, agency: &str) -> anyhow::Result<()> {
    let items = CaseIndex::queue(
        system.projector.pool(),
        agency,
        &QueueQuery {
            limit: 1000,
            ..QueueQuery::default()
        },
    )
    .await?;
    println!("{} queues ({} cases)", agency.to_uppercase(), items.len());
    for item in items {
        println!(
            "  {:<26} {:<44} {:<22} due {:<10} held by {}",
            item.queue,
            item.stream_id,
            item.status,
            item.due_on.as_deref().unwrap_or("-"),
            item.claimed_by.as_deref().unwrap_or("nobody")
        );
    }
    Ok(())
}

pub async fn print_stats(system: &System) -> anyhow::Result<()> {
    let statistics = CaseIndex::statistics(system.projector.pool(), |_| true).await?;
    println!("{} cases", statistics.cases);
    for (state, count) in &statistics.by_state {
        println!("  {state:<26} {count}");
    }
    let median = |m: Option<i64>| m.map_or("-".to_owned(), |d| format!("{d} days"));
    println!(
        "median application to decision: {}",
        median(statistics.median_days_application_to_decision)
    );
    println!(
        "median decision to departure:   {}",
        median(statistics.median_days_decision_to_departure)
    );
    println!(
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
    println!("the key of person {person} is destroyed");
    for (case, outcome) in erased {
        match outcome {
            retur_app::Erased::Recorded { version } => {
                println!("  case {case}: erasure recorded (version {version})")
            }
            retur_app::Erased::Already => println!("  case {case}: erasure recorded before"),
        }
    }
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
