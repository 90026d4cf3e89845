//! The keys that personal data in the log is sealed with: one per person, kept apart from the
//! log, in a table of their own that is never hashed, never chained and never read by the log's
//! read paths. Destroying a person's key erases their data from the log without changing a
//! byte of it (crypto-shredding).
//!
//! The keys live in the log's database by default and may live in another one: [`SqlKeys`]
//! connects to any URL the store accepts. The store keeps key material and nothing else; the
//! cipher, and the drawing of new keys, are the caller's.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use uuid::Uuid;

use crate::envelope::StreamId;
use crate::error::StoreError;

/// Key material: 32 bytes.
pub type KeyBytes = [u8; 32];

/// A person's key as the vault holds it.
#[derive(Clone, PartialEq, Eq)]
pub enum Held {
    Key(KeyBytes),
    /// The key was destroyed at this time: the person's data can never be read again.
    Destroyed(DateTime<Utc>),
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Held::Key(_) => f.write_str("Key(..)"),
            Held::Destroyed(at) => write!(f, "Destroyed({at})"),
        }
    }
}

/// Where the keys of people's personal data are kept.
#[async_trait]
pub trait KeyVault: Send + Sync {
    /// The keys to seal these people's data with for `stream`. A person without a key gets the
    /// one offered beside them; a person whose key was destroyed gets [`Held::Destroyed`].
    /// Records that each person appears in `stream`.
    async fn keys_for_sealing(
        &self,
        stream: &StreamId,
        offered: &[(Uuid, KeyBytes)],
    ) -> Result<HashMap<Uuid, Held>, StoreError>;

    /// The keys of these people that still exist. A person whose key was destroyed, or who
    /// never had one, is left out.
    async fn keys_for_opening(
        &self,
        people: &[Uuid],
    ) -> Result<HashMap<Uuid, KeyBytes>, StoreError>;

    /// Destroys a person's key (again, harmlessly, if it is gone already) and names the
    /// streams the person appears in; `None` for a person the vault has never seen.
    async fn destroy(
        &self,
        person: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<Vec<StreamId>>, StoreError>;

    /// The streams a person appears in, and whether their key is destroyed; `None` for a
    /// person the vault has never seen.
    async fn person(&self, person: Uuid) -> Result<Option<(Vec<StreamId>, bool)>, StoreError>;
}

/// The key vault in an SQL database (PostgreSQL or SQLite), in the tables `person_keys` and
/// `person_streams`.
#[derive(Clone, Debug)]
pub struct SqlKeys {
    pool: AnyPool,
    sqlite: bool,
}

/// At most this many people are asked for in one statement.
const CHUNK: usize = 500;

impl SqlKeys {
    /// Connects to the database at `url` and creates the tables if they are missing.
    pub async fn connect(url: &str) -> Result<SqlKeys, StoreError> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .connect(url)
            .await
            .map_err(StoreError::database("connecting to the key vault"))?;
        for statement in [
            "CREATE TABLE IF NOT EXISTS person_keys (person_id TEXT PRIMARY KEY, secret TEXT, \
             created_at TEXT NOT NULL, destroyed_at TEXT)",
            "CREATE TABLE IF NOT EXISTS person_streams (person_id TEXT NOT NULL, \
             stream_id TEXT NOT NULL, PRIMARY KEY (person_id, stream_id))",
        ] {
            sqlx::query(statement)
                .execute(&pool)
                .await
                .map_err(StoreError::database("creating the key vault's tables"))?;
        }
        Ok(SqlKeys { pool, sqlite })
    }

    async fn read(
        &self,
        stream: Option<&StreamId>,
        people: &[Uuid],
    ) -> Result<Vec<Stored>, StoreError> {
        let mut found = Vec::with_capacity(people.len());
        for chunk in people.chunks(CHUNK) {
            let list = placeholders(2, chunk.len());
            let sql = format!(
                "SELECT k.person_id, k.secret, k.destroyed_at, s.stream_id \
                 FROM person_keys k LEFT JOIN person_streams s \
                 ON s.person_id = k.person_id AND s.stream_id = $1 \
                 WHERE k.person_id IN ({list})"
            );
            let mut query =
                sqlx::query(&sql).bind(stream.map_or(String::new(), |s| s.as_str().to_owned()));
            for person in chunk {
                query = query.bind(person.to_string());
            }
            let rows = query
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::database("reading keys"))?;
            for row in rows {
                found.push(Stored::from_row(&row)?);
            }
        }
        Ok(found)
    }
}

/// One person's row, as read.
struct Stored {
    person: Uuid,
    held: Held,
    in_stream: bool,
}

impl Stored {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Stored, StoreError> {
        let unreadable = |problem: String| StoreError::Config(format!("the key vault: {problem}"));
        let person: String = row.get(0);
        let person = Uuid::parse_str(&person)
            .map_err(|_| unreadable(format!("{person:?} is not a person id")))?;
        let secret: Option<String> = row.get(1);
        let destroyed_at: Option<String> = row.get(2);
        let held = match (secret, destroyed_at) {
            (Some(secret), None) => {
                let mut key = [0u8; 32];
                hex::decode_to_slice(&secret, &mut key).map_err(|_| {
                    unreadable(format!("the key of {person} is not 32 bytes of hex"))
                })?;
                Held::Key(key)
            }
            (_, Some(at)) => Held::Destroyed(
                DateTime::parse_from_rfc3339(&at)
                    .map_err(|_| unreadable(format!("{at:?} is not a time")))?
                    .with_timezone(&Utc),
            ),
            (None, None) => {
                return Err(unreadable(format!("{person} has neither key nor erasure")));
            }
        };
        Ok(Stored {
            person,
            held,
            in_stream: row.get::<Option<String>, _>(3).is_some(),
        })
    }
}

#[async_trait]
impl KeyVault for SqlKeys {
    async fn keys_for_sealing(
        &self,
        stream: &StreamId,
        offered: &[(Uuid, KeyBytes)],
    ) -> Result<HashMap<Uuid, Held>, StoreError> {
        let people: Vec<Uuid> = offered.iter().map(|(person, _)| *person).collect();
        let known = self.read(Some(stream), &people).await?;
        // The common case, a person known and seen in this stream before, writes nothing.
        if known.len() == people.len() && known.iter().all(|stored| stored.in_stream) {
            return Ok(known.into_iter().map(|s| (s.person, s.held)).collect());
        }
        let now = Utc::now().to_rfc3339();
        let mut transaction = self
            .pool
            .begin()
            .await
            .map_err(StoreError::database("starting to store keys"))?;
        for chunk in offered.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO person_keys (person_id, secret, created_at) VALUES {} \
                 ON CONFLICT (person_id) DO NOTHING",
                rows_of(chunk.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (person, key) in chunk {
                query = query
                    .bind(person.to_string())
                    .bind(hex::encode(key))
                    .bind(now.clone());
            }
            query
                .execute(&mut *transaction)
                .await
                .map_err(StoreError::database("storing new keys"))?;
            let sql = format!(
                "INSERT INTO person_streams (person_id, stream_id) VALUES {} \
                 ON CONFLICT (person_id, stream_id) DO NOTHING",
                rows_of(chunk.len(), 2)
            );
            let mut query = sqlx::query(&sql);
            for (person, _) in chunk {
                query = query
                    .bind(person.to_string())
                    .bind(stream.as_str().to_owned());
            }
            query
                .execute(&mut *transaction)
                .await
                .map_err(StoreError::database("recording where people appear"))?;
        }
        transaction
            .commit()
            .await
            .map_err(StoreError::database("committing new keys"))?;
        let stored = self.read(Some(stream), &people).await?;
        Ok(stored.into_iter().map(|s| (s.person, s.held)).collect())
    }

    async fn keys_for_opening(
        &self,
        people: &[Uuid],
    ) -> Result<HashMap<Uuid, KeyBytes>, StoreError> {
        Ok(self
            .read(None, people)
            .await?
            .into_iter()
            .filter_map(|stored| match stored.held {
                Held::Key(key) => Some((stored.person, key)),
                Held::Destroyed(_) => None,
            })
            .collect())
    }

    async fn destroy(
        &self,
        person: Uuid,
        at: DateTime<Utc>,
    ) -> Result<Option<Vec<StreamId>>, StoreError> {
        let mut connection = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::database("connecting to destroy a key"))?;
        if self.sqlite {
            // Overwrite the freed bytes rather than leave the key in a free page.
            sqlx::query("PRAGMA secure_delete = ON")
                .execute(&mut *connection)
                .await
                .map_err(StoreError::database(
                    "asking SQLite to overwrite deleted data",
                ))?;
        }
        let destroyed = sqlx::query(
            "UPDATE person_keys SET secret = NULL, \
             destroyed_at = COALESCE(destroyed_at, $2) WHERE person_id = $1",
        )
        .bind(person.to_string())
        .bind(at.to_rfc3339())
        .execute(&mut *connection)
        .await
        .map_err(StoreError::database("destroying a key"))?;
        if destroyed.rows_affected() == 0 {
            return Ok(None);
        }
        // The old row must not outlive the update where it can be reached: SQLite's write-ahead
        // log is emptied into the zeroed page, PostgreSQL's dead row version is vacuumed away.
        let purge = if self.sqlite {
            "PRAGMA wal_checkpoint(TRUNCATE)"
        } else {
            "VACUUM person_keys"
        };
        sqlx::query(purge)
            .execute(&mut *connection)
            .await
            .map_err(StoreError::database("purging a destroyed key"))?;
        drop(connection);
        Ok(self.person(person).await?.map(|(streams, _)| streams))
    }

    async fn person(&self, person: Uuid) -> Result<Option<(Vec<StreamId>, bool)>, StoreError> {
        let Some(stored) = self.read(None, &[person]).await?.pop() else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT stream_id FROM person_streams WHERE person_id = $1 ORDER BY stream_id",
        )
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::database("reading where a person appears"))?;
        let streams = rows
            .iter()
            .map(|row| {
                StreamId::parse(&row.get::<String, _>(0))
                    .map_err(|e| StoreError::Config(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((streams, matches!(stored.held, Held::Destroyed(_)))))
    }
}

/// `$first, $first+1, …`: `count` placeholders.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, $2), ($3, $4), …`: `rows` rows of `width` placeholders.
fn rows_of(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(1 + row * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}
