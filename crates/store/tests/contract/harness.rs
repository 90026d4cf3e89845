//! Fresh stores for each test: a temporary SQLite file, or a new PostgreSQL database on the
//! server at `DATABASE_URL` (or in a testcontainers container when Docker is available).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use retur_store::{EventStore, PostgresStore, SqliteStore, StoreConfig, Upcasters};
use sqlx::{Connection, Executor, PgConnection};
use tokio::sync::OnceCell;

/// Where a test's data lives, and raw access to it for tampering.
pub(crate) enum Database {
    Sqlite { path: PathBuf, _dir: TempDir },
    Postgres { url: String, _cleanup: DropDatabase },
}

pub(crate) struct Fixture {
    pub(crate) store: Arc<dyn EventStore>,
    pub(crate) database: Database,
}

pub(crate) fn config() -> StoreConfig {
    StoreConfig {
        poll_interval: Duration::from_millis(100),
        page_size: 7,
        ..StoreConfig::default()
    }
}

impl Fixture {
    pub(crate) async fn sqlite() -> Fixture {
        let dir = TempDir::new();
        let path = dir.0.join("retur.db");
        let store = SqliteStore::open(&path, config(), Upcasters::new())
            .await
            .expect("open SQLite");
        Fixture {
            store: Arc::new(store),
            database: Database::Sqlite { path, _dir: dir },
        }
    }

    /// A store in a fresh database, or `None` (after saying so) when no PostgreSQL is at hand.
    pub(crate) async fn postgres() -> Option<Fixture> {
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
        let store = PostgresStore::connect(&url, config(), Upcasters::new())
            .await
            .expect("connect the store");
        Some(Fixture {
            store: Arc::new(store),
            database: Database::Postgres {
                url,
                _cleanup: DropDatabase { server, name },
            },
        })
    }

    /// Another store on the same database: what a second process would see.
    pub(crate) async fn reopen(&self, upcasters: Upcasters) -> Arc<dyn EventStore> {
        match &self.database {
            Database::Sqlite { path, .. } => Arc::new(
                SqliteStore::open(path, config(), upcasters)
                    .await
                    .expect("reopen"),
            ),
            Database::Postgres { url, .. } => Arc::new(
                PostgresStore::connect(url, config(), upcasters)
                    .await
                    .expect("reconnect"),
            ),
        }
    }

    /// Runs SQL on the database directly, past the store: what a careless or hostile operator can do.
    pub(crate) async fn raw(&self, sql: &str) -> Result<(), String> {
        match &self.database {
            Database::Sqlite { path, .. } => {
                let url = format!("sqlite://{}", path.display());
                let mut connection = sqlx::SqliteConnection::connect(&url)
                    .await
                    .map_err(|e| e.to_string())?;
                connection
                    .execute(sql)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Database::Postgres { url, .. } => {
                let mut connection = PgConnection::connect(url)
                    .await
                    .map_err(|e| e.to_string())?;
                connection
                    .execute(sql)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Runs SQL with the append-only triggers and foreign keys out of the way, as an attacker
    /// with full access to the database would.
    pub(crate) async fn tamper(&self, sql: &str) {
        let wrapped = match &self.database {
            Database::Sqlite { .. } => format!(
                "PRAGMA foreign_keys = OFF; DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; {sql}; \
                 CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'append-only'); END; \
                 CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
            ),
            Database::Postgres { .. } => format!(
                "ALTER TABLE commands DISABLE TRIGGER ALL; ALTER TABLE events DISABLE TRIGGER ALL; {sql}; \
                 ALTER TABLE events ENABLE TRIGGER ALL; ALTER TABLE commands ENABLE TRIGGER ALL;"
            ),
        };
        self.raw(&wrapped).await.expect("tampering runs");
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.database, Database::Postgres { .. })
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
            let message = "the PostgreSQL contract suite was SKIPPED: set DATABASE_URL, or make Docker available \
                           for testcontainers";
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

/// Starts PostgreSQL in a container when Docker answers; the container lives as long as the
/// test process.
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
pub(crate) struct DropDatabase {
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

/// A directory removed when the test ends.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let path =
            std::env::temp_dir().join(format!("retur-store-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
