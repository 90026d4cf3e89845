//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database on the
//! server at `DATABASE_URL` (or in a testcontainers container when Docker is available). When
//! neither PostgreSQL is at hand, the PostgreSQL tests say plainly that they were skipped, and
//! fail instead when `RETUR_REQUIRE_POSTGRES=1`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use retur_store::{EventStore, PostgresStore, SqliteStore, StoreConfig, Upcasters};
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

/// Where a test's data lives. Dropping it removes the file or drops the database.
#[derive(Debug)]
pub enum TestDatabase {
    Sqlite { path: PathBuf, _dir: TempDir },
    Postgres { url: String, _cleanup: DropDatabase },
}

/// The store configuration tests use: short polls, small pages, so paging is exercised.
pub fn test_config() -> StoreConfig {
    StoreConfig {
        poll_interval: Duration::from_millis(100),
        page_size: 7,
        ..StoreConfig::default()
    }
}

impl TestDatabase {
    pub fn sqlite() -> TestDatabase {
        let dir = temp_dir();
        let path = dir.path().join("retur.db");
        TestDatabase::Sqlite { path, _dir: dir }
    }

    /// A fresh PostgreSQL database, or `None` (after saying so) when no server is at hand.
    pub async fn postgres() -> Option<TestDatabase> {
        let server = server_url().await?;
        let name = format!("retur_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server)
            .await
            .expect("connect to PostgreSQL");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        let url = with_database(&server, &name);
        Some(TestDatabase::Postgres {
            url,
            _cleanup: DropDatabase { server, name },
        })
    }

    /// A store on this database, with the given upcasters.
    pub async fn store(&self, upcasters: Upcasters) -> Arc<dyn EventStore> {
        match self {
            TestDatabase::Sqlite { path, .. } => Arc::new(
                SqliteStore::open(path, test_config(), upcasters)
                    .await
                    .expect("open SQLite"),
            ),
            TestDatabase::Postgres { url, .. } => Arc::new(
                PostgresStore::connect(url, test_config(), upcasters)
                    .await
                    .expect("connect PostgreSQL"),
            ),
        }
    }

    /// The SQLite file, for a test that looks at the bytes on disk.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            TestDatabase::Sqlite { path, .. } => Some(path),
            TestDatabase::Postgres { .. } => None,
        }
    }

    /// The key vault on this database, beside the log.
    pub async fn keys(&self) -> Arc<dyn retur_store::KeyVault> {
        Arc::new(
            retur_store::SqlKeys::connect(&self.url())
                .await
                .expect("open the key vault"),
        )
    }

    /// Runs SQL on the database directly, past the store.
    pub async fn raw(&self, sql: &str) -> Result<(), String> {
        raw(&self.url(), sql).await
    }

    /// Runs SQL with the log's append-only triggers out of the way, as an attacker with full
    /// access to the database would.
    pub async fn tamper(&self, sql: &str) {
        tamper(&self.url(), sql).await;
    }

    /// The database's URL, for clients of its own (the read-model pool).
    pub fn url(&self) -> String {
        match self {
            TestDatabase::Sqlite { path, .. } => format!("sqlite://{}", path.display()),
            TestDatabase::Postgres { url, .. } => url.clone(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDatabase::Postgres { .. })
    }
}

/// The PostgreSQL server to create test databases on, once per test process.
async fn server_url() -> Option<String> {
    static SERVER: OnceCell<Option<String>> = OnceCell::const_new();
    SERVER
        .get_or_init(|| async {
            if let Ok(url) = std::env::var("DATABASE_URL") {
                return Some(url);
            }
            if let Some(url) = container_url().await {
                return Some(url);
            }
            let message = "the PostgreSQL tests were SKIPPED: set DATABASE_URL, or make Docker available \
                           and build with --features retur-testkit/containers";
            if std::env::var("RETUR_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("RETUR_REQUIRE_POSTGRES=1, but {message}");
            }
            // Straight to the terminal: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(std::io::stderr(), "NOTE: {message}");
            None
        })
        .await
        .clone()
}

/// Without the `containers` feature, no container is started.
#[cfg(not(feature = "containers"))]
async fn container_url() -> Option<String> {
    None
}

/// Starts PostgreSQL in a container when Docker answers; it lives as long as the test process.
#[cfg(feature = "containers")]
async fn container_url() -> Option<String> {
    use testcontainers::runners::AsyncRunner;
    use testcontainers_modules::postgres::Postgres;
    static CONTAINER: OnceCell<testcontainers::ContainerAsync<Postgres>> = OnceCell::const_new();
    let docker_answers = std::process::Command::new("docker")
        .args(["info", "--format", "{{.ServerVersion}}"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !docker_answers {
        return None;
    }
    let container = CONTAINER
        .get_or_try_init(|| async { Postgres::default().start().await })
        .await
        .map_err(|error| {
            let _ = writeln!(
                std::io::stderr(),
                "NOTE: Docker answered but PostgreSQL did not start in it: {error}"
            );
        })
        .ok()?;
    let port = container.get_host_port_ipv4(5432).await.ok()?;
    Some(format!(
        "postgres://postgres:postgres@127.0.0.1:{port}/postgres"
    ))
}

/// The server URL with another database name in its path.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server
        .split_once('?')
        .map_or((server, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Drops a test database when the test ends, passed or not.
#[derive(Debug)]
pub struct DropDatabase {
    server: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop runs outside async; a thread of its own with a small runtime does the async work.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server).await.ok()?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// A directory removed when the test ends (tempfile's).
pub use tempfile::TempDir;

/// A directory of a test's own, removed when it is dropped.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("retur-test-")
        .tempdir()
        .expect("a temporary directory")
}

/// A seeded generator (rand's `StdRng`) for tests that choose at random but must be able to
/// repeat a run from its seed.
pub fn choices(seed: u64) -> rand::rngs::StdRng {
    rand::SeedableRng::seed_from_u64(seed)
}

/// Runs SQL directly on the database at `url` (SQLite or PostgreSQL), past the store.
pub async fn raw(url: &str, sql: &str) -> Result<(), String> {
    if url.starts_with("sqlite:") {
        execute::<sqlx::SqliteConnection>(url, sql).await
    } else {
        execute::<PgConnection>(url, sql).await
    }
}

async fn execute<C>(url: &str, sql: &str) -> Result<(), String>
where
    C: Connection,
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
{
    let mut connection = C::connect(url).await.map_err(|e| e.to_string())?;
    connection
        .execute(sql)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Runs SQL on the database at `url` with the append-only triggers of the log and of the
/// command records out of the way, as an attacker with full access to the database would, and
/// puts them back.
pub async fn tamper(url: &str, sql: &str) {
    let wrapped = if url.starts_with("sqlite:") {
        let triggers = [
            ("events", "UPDATE"),
            ("events", "DELETE"),
            ("commands", "UPDATE"),
            ("commands", "DELETE"),
        ];
        let drop: String = triggers
            .iter()
            .map(|(table, op)| format!("DROP TRIGGER {table}_no_{}; ", op.to_lowercase()))
            .collect();
        let create: String = triggers
            .iter()
            .map(|(table, op)| {
                format!(
                    "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, 'append-only'); END; ",
                    op.to_lowercase()
                )
            })
            .collect();
        format!("PRAGMA foreign_keys = OFF; {drop}{sql}; {create}")
    } else {
        format!(
            "ALTER TABLE commands DISABLE TRIGGER ALL; ALTER TABLE events DISABLE TRIGGER ALL; {sql}; \
             ALTER TABLE events ENABLE TRIGGER ALL; ALTER TABLE commands ENABLE TRIGGER ALL;"
        )
    };
    raw(url, &wrapped).await.expect("tampering runs");
}
