//! A fresh database for each measurement, dropped afterwards.

use std::path::PathBuf;

use sqlx::{Connection as _, Executor as _};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug)]
pub(crate) enum Place {
    Sqlite { dir: PathBuf },
    Postgres { server: String, name: String },
}

impl Place {
    /// A new, empty database: a file in a temporary directory, or a database of its own on the
    /// PostgreSQL server at `server`.
    pub(crate) async fn new(backend: Backend, server: Option<&str>) -> anyhow::Result<Place> {
        Ok(match backend {
            Backend::Sqlite => {
                let dir =
                    std::env::temp_dir().join(format!("retur-bench-{}", Uuid::now_v7().simple()));
                std::fs::create_dir_all(&dir)?;
                Place::Sqlite { dir }
            }
            Backend::Postgres => {
                let server = server
                    .ok_or_else(|| anyhow::anyhow!("no PostgreSQL server: set DATABASE_URL"))?
                    .to_owned();
                let name = format!("retur_bench_{}", Uuid::now_v7().simple());
                let mut admin = sqlx::PgConnection::connect(&server).await?;
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await?;
                Place::Postgres { server, name }
            }
        })
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Place::Sqlite { .. } => Backend::Sqlite,
            Place::Postgres { .. } => Backend::Postgres,
        }
    }

    pub(crate) fn url(&self) -> String {
        match self {
            Place::Sqlite { dir } => {
                format!("sqlite://{}?mode=rwc", dir.join("retur.db").display())
            }
            Place::Postgres { server, name } => {
                let base = server
                    .rsplit_once('/')
                    .map_or(server.as_str(), |(base, _)| base);
                format!("{base}/{name}")
            }
        }
    }

    pub(crate) async fn finish(self) {
        match self {
            Place::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Place::Postgres { server, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
        }
    }
}
