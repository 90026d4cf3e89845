//! Catch-up projections: read models folded from the log after the fact, each at its own pace.
//!
//! A [`Projection`] names its tables and applies events to them. The [`Projector`] feeds it the
//! log page by page; each page's read-model writes and the projection's checkpoint are committed
//! in one transaction, so a restart resumes exactly where the last commit left off and nothing
//! is applied twice. [`Projector::rebuild`] replays the whole log into fresh tables and swaps
//! them in atomically, while the live projection keeps serving.
//!
//! Read models are written in one SQL dialect for both backends, through sqlx's `Any` driver:
//! dates as `YYYY-MM-DD` text, money as integer minor units, `$n` parameters in order.

mod case_index;
mod ledger;
mod letters;
mod people;

use std::sync::Arc;

use async_trait::async_trait;
use retur_domain::Event;
use retur_store::{EventStore, RecordedEvent, StoreError};
use sqlx::{AnyConnection, AnyPool, Row};

pub use case_index::{CaseIndex, QueueItem, QueueQuery, Statistics};
pub use ledger::{LedgerEntry, LedgerTotal, PayoutLedger};
pub use letters::{IssuedLetter, LetterIndex};
pub use people::{
    Appearance, EarlierReturn, Findable, MatchedBy, Opener, PersonHit, PersonIndex, Principal,
    Search, fold, position_of, reference,
};

/// Events read from the log per transaction, unless set otherwise.
const PAGE: usize = 500;

/// Events per transaction when rebuilding: a case's events lie spread over the log, and the
/// larger the page, the fewer times each case's row is read and written.
const REBUILD_PAGE: usize = 2000;

/// A read model folded from the log.
#[async_trait]
pub trait Projection: Send + Sync {
    /// The name its checkpoint is kept under.
    fn name(&self) -> &'static str;
    /// The tables it owns, by their live names.
    fn tables(&self) -> &'static [&'static str];
    /// The shape of its tables. When the tables a database holds were made for another
    /// version, they are dropped and the projection is rebuilt from the log as it is prepared:
    /// a read model is derived data, and its rows cannot be trusted to have the new shape.
    fn version(&self) -> u32 {
        1
    }
    /// The statements that create its tables, each table's name followed by `suffix`.
    fn create(&self, suffix: &str) -> Vec<String>;
    /// Applies a page of events, in log order, to the tables named with `suffix`, inside the
    /// page's transaction. A page costs its statements, not its events: read each row the page
    /// touches once, and write it once.
    async fn apply(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        page: &[Applied<'_>],
    ) -> Result<(), sqlx::Error>;
}

/// One event of a page: as recorded, and as the domain event when it is a case's (other
/// streams, such as claims, come as recorded only).
#[derive(Debug)]
pub struct Applied<'a> {
    pub recorded: &'a RecordedEvent,
    pub event: Option<Event>,
}

/// A projection could not be brought up to date. Nothing was half-applied: a failed page
/// leaves the checkpoint where it was.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error("the read-model database failed while {doing}: {source}")]
    Database {
        doing: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the event at position {position} cannot be read: {problem}")]
    Unreadable { position: u64, problem: String },
}

fn database(doing: &'static str) -> impl FnOnce(sqlx::Error) -> ProjectionError {
    move |source| ProjectionError::Database { doing, source }
}

/// How far a rebuild has come: events applied to the new tables, of how many in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RebuildProgress {
    pub done: u64,
    pub total: u64,
}

/// Feeds projections from the log.
#[derive(Clone)]
pub struct Projector {
    pool: AnyPool,
    store: Arc<dyn EventStore>,
    page: usize,
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projector").finish_non_exhaustive()
    }
}

impl Projector {
    /// Connects to the read-model database (the same one as the log, or another) at `url`.
    pub async fn connect(
        url: &str,
        store: Arc<dyn EventStore>,
    ) -> Result<Projector, ProjectionError> {
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(url)
            .await
            .map_err(database("connecting to the read-model database"))?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS projection_checkpoints (projection TEXT PRIMARY KEY, position BIGINT NOT NULL)",
        )
        .execute(&pool)
        .await
        .map_err(database("creating the checkpoint table"))?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS projection_versions (projection TEXT PRIMARY KEY, version BIGINT NOT NULL)",
        )
        .execute(&pool)
        .await
        .map_err(database("creating the projection version table"))?;
        Ok(Projector {
            pool,
            store,
            page: PAGE,
        })
    }

    /// The same projector, reading `page` events per transaction.
    pub fn with_page_size(self, page: usize) -> Projector {
        Projector {
            page: page.max(1),
            ..self
        }
    }

    /// The read-model pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The position the projection has applied up to.
    pub async fn checkpoint(&self, projection: &dyn Projection) -> Result<u64, ProjectionError> {
        let row = sqlx::query("SELECT position FROM projection_checkpoints WHERE projection = $1")
            .bind(projection.name())
            .fetch_optional(&self.pool)
            .await
            .map_err(database("reading a checkpoint"))?;
        Ok(row.map_or(0, |row| row.get::<i64, _>(0).max(0) as u64))
    }

    /// Every projection's checkpoint, by name: how far each has applied the log.
    pub async fn checkpoints(&self) -> Result<Vec<(String, u64)>, ProjectionError> {
        let rows = sqlx::query(
            "SELECT projection, position FROM projection_checkpoints ORDER BY projection",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(database("reading the checkpoints"))?;
        Ok(rows
            .iter()
            .map(|row| (row.get(0), row.get::<i64, _>(1).max(0) as u64))
            .collect())
    }

    /// Creates the projection's tables and checkpoint if they are missing; drops tables of
    /// another version and starts the projection again from the beginning of the log.
    pub async fn prepare(&self, projection: &dyn Projection) -> Result<(), ProjectionError> {
        let mut transaction = self
            .pool
            .begin()
            .await
            .map_err(database("starting to prepare a projection"))?;
        // A write first (see `lock_checkpoint`): the checkpoint row, created if missing.
        let created = sqlx::query(
            "INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) \
             ON CONFLICT (projection) DO NOTHING",
        )
        .bind(projection.name())
        .execute(&mut *transaction)
        .await
        .map_err(database("creating a checkpoint"))?
        .rows_affected()
            == 1;
        lock_checkpoint(&mut transaction, projection.name()).await?;
        let stored = sqlx::query("SELECT version FROM projection_versions WHERE projection = $1")
            .bind(projection.name())
            .fetch_optional(&mut *transaction)
            .await
            .map_err(database("reading a projection's version"))?
            .map(|row| row.get::<i64, _>(0));
        let current = i64::from(projection.version());
        // Tables older than their version's record were made at version 1.
        let stored = stored.unwrap_or(if created { current } else { 1 });
        if stored != current {
            tracing::warn!(
                projection = projection.name(),
                from = stored,
                to = current,
                "the read model's tables have another shape: rebuilding it from the log"
            );
            for table in projection.tables() {
                sqlx::query(&format!("DROP TABLE IF EXISTS {table}"))
                    .execute(&mut *transaction)
                    .await
                    .map_err(database("dropping a read model of another version"))?;
            }
            set_checkpoint(&mut transaction, projection.name(), 0).await?;
        }
        for statement in projection.create("") {
            sqlx::query(&statement)
                .execute(&mut *transaction)
                .await
                .map_err(database("creating read-model tables"))?;
        }
        set_version(&mut transaction, projection).await?;
        transaction
            .commit()
            .await
            .map_err(database("preparing a projection"))
    }

    /// Applies the log to the projection up to its head, at most `pages` pages (all when
    /// `None`); returns how many events were applied.
    pub async fn catch_up(
        &self,
        projection: &dyn Projection,
        pages: Option<usize>,
    ) -> Result<u64, ProjectionError> {
        self.prepare(projection).await?;
        let mut applied = 0;
        let mut done_pages = 0;
        while pages.is_none_or(|limit| done_pages < limit) {
            let page = self.apply_page(projection).await?;
            if page == 0 {
                break;
            }
            applied += page;
            done_pages += 1;
        }
        Ok(applied)
    }

    /// Keeps the projection up to date until `shutdown` turns true: catches up, then waits for
    /// the log to grow.
    pub async fn run(
        &self,
        projection: Arc<dyn Projection>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            if let Err(error) = self.catch_up(projection.as_ref(), None).await {
                tracing::error!(projection = projection.name(), %error, "a projection fell behind; retrying");
            }
            let after = self.checkpoint(projection.as_ref()).await.unwrap_or(0);
            let mut subscription = self.store.subscribe(after);
            tokio::select! {
                _ = subscription.next() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// One transaction: lock the checkpoint, apply the next page after it, move it.
    async fn apply_page(&self, projection: &dyn Projection) -> Result<u64, ProjectionError> {
        let mut transaction = self
            .pool
            .begin()
            .await
            .map_err(database("starting a page"))?;
        // Writing the checkpoint row first takes its lock (on SQLite, the database's write
        // lock), so a rebuild's swap and a second runner wait rather than interleave.
        let after = lock_checkpoint(&mut transaction, projection.name()).await?;
        let events = self.store.read_all(after, self.page).await?;
        let Some(last) = events.last().map(|e| e.position) else {
            transaction
                .commit()
                .await
                .map_err(database("ending an empty page"))?;
            return Ok(0);
        };
        apply(projection, &mut transaction, "", &decode(&events)?).await?;
        set_checkpoint(&mut transaction, projection.name(), last).await?;
        transaction
            .commit()
            .await
            .map_err(database("committing a page"))?;
        Ok(events.len() as u64)
    }

    /// Rebuilds the projection from position 0 into fresh tables, reporting progress, and
    /// swaps them in atomically. The live tables keep serving until the swap.
    pub async fn rebuild(
        &self,
        projection: &dyn Projection,
        progress: impl FnMut(RebuildProgress) + Send,
    ) -> Result<u64, ProjectionError> {
        self.rebuild_all(&[projection], progress).await
    }

    /// Rebuilds several projections in one reading of the log: each page is read and decoded
    /// once and applied to every projection's fresh tables; at the end all are swapped in, in
    /// one transaction.
    pub async fn rebuild_all(
        &self,
        projections: &[&dyn Projection],
        mut progress: impl FnMut(RebuildProgress) + Send,
    ) -> Result<u64, ProjectionError> {
        // A name of its own for each rebuild: index and constraint names stay unique.
        let suffix = format!("_rebuild_{}", std::process::id());
        for &projection in projections {
            self.prepare(projection).await?;
            let mut transaction = self
                .pool
                .begin()
                .await
                .map_err(database("starting a rebuild"))?;
            lock_checkpoint(&mut transaction, projection.name()).await?;
            for table in projection.tables() {
                sqlx::query(&format!("DROP TABLE IF EXISTS {table}{suffix}"))
                    .execute(&mut *transaction)
                    .await
                    .map_err(database("clearing an old rebuild"))?;
            }
            for statement in projection.create(&suffix) {
                sqlx::query(&statement)
                    .execute(&mut *transaction)
                    .await
                    .map_err(database("creating rebuild tables"))?;
            }
            transaction
                .commit()
                .await
                .map_err(database("starting a rebuild"))?;
        }

        let total = self.store.head().await?.position;
        let mut done = 0;
        loop {
            let events = self
                .store
                .read_all(done, self.page.max(REBUILD_PAGE))
                .await?;
            let Some(last) = events.last().map(|e| e.position) else {
                break;
            };
            let page = decode(&events)?;
            let mut transaction = self
                .pool
                .begin()
                .await
                .map_err(database("starting a rebuild page"))?;
            for &projection in projections {
                lock_checkpoint(&mut transaction, projection.name()).await?;
                apply(projection, &mut transaction, &suffix, &page).await?;
            }
            transaction
                .commit()
                .await
                .map_err(database("committing a rebuild page"))?;
            done = last;
            progress(RebuildProgress {
                done,
                total: total.max(done),
            });
        }

        // The swap: whatever was appended meanwhile, then the new tables take the live names.
        let mut transaction = self
            .pool
            .begin()
            .await
            .map_err(database("starting the swap"))?;
        for &projection in projections {
            lock_checkpoint(&mut transaction, projection.name()).await?;
        }
        loop {
            let events = self.store.read_all(done, self.page).await?;
            let Some(last) = events.last().map(|e| e.position) else {
                break;
            };
            let page = decode(&events)?;
            for &projection in projections {
                apply(projection, &mut transaction, &suffix, &page).await?;
            }
            done = last;
        }
        for &projection in projections {
            for table in projection.tables() {
                sqlx::query(&format!("DROP TABLE {table}"))
                    .execute(&mut *transaction)
                    .await
                    .map_err(database("dropping old tables"))?;
                sqlx::query(&format!("ALTER TABLE {table}{suffix} RENAME TO {table}"))
                    .execute(&mut *transaction)
                    .await
                    .map_err(database("swapping in the rebuilt tables"))?;
            }
            set_checkpoint(&mut transaction, projection.name(), done).await?;
            set_version(&mut transaction, projection).await?;
        }
        transaction
            .commit()
            .await
            .map_err(database("committing the swap"))?;
        progress(RebuildProgress {
            done,
            total: total.max(done),
        });
        Ok(done)
    }
}

async fn lock_checkpoint(
    connection: &mut AnyConnection,
    name: &str,
) -> Result<u64, ProjectionError> {
    sqlx::query("UPDATE projection_checkpoints SET position = position WHERE projection = $1")
        .bind(name)
        .execute(&mut *connection)
        .await
        .map_err(database("locking a checkpoint"))?;
    let row = sqlx::query("SELECT position FROM projection_checkpoints WHERE projection = $1")
        .bind(name)
        .fetch_one(&mut *connection)
        .await
        .map_err(database("reading a checkpoint"))?;
    Ok(row.get::<i64, _>(0).max(0) as u64)
}

async fn set_checkpoint(
    connection: &mut AnyConnection,
    name: &str,
    position: u64,
) -> Result<(), ProjectionError> {
    sqlx::query("UPDATE projection_checkpoints SET position = $1 WHERE projection = $2")
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(name)
        .execute(&mut *connection)
        .await
        .map_err(database("moving a checkpoint"))?;
    Ok(())
}

/// Records that the projection's live tables have its current shape.
async fn set_version(
    connection: &mut AnyConnection,
    projection: &dyn Projection,
) -> Result<(), ProjectionError> {
    sqlx::query(
        "INSERT INTO projection_versions (projection, version) VALUES ($1, $2) \
         ON CONFLICT (projection) DO UPDATE SET version = excluded.version",
    )
    .bind(projection.name())
    .bind(i64::from(projection.version()))
    .execute(&mut *connection)
    .await
    .map_err(database("recording a projection's version"))?;
    Ok(())
}

/// `count` placeholders for parameters `first`, `first + 1`, …, bound in that order: `$n` on
/// PostgreSQL, and on SQLite plain `?`, because SQLite finds a numbered parameter's name by a
/// linear search, which makes binding a statement of thousands of them quadratic.
pub(crate) fn placeholders(connection: &AnyConnection, first: usize, count: usize) -> String {
    let positional = connection.backend_name().eq_ignore_ascii_case("sqlite");
    (first..first + count)
        .map(|n| {
            if positional {
                "?".to_owned()
            } else {
                format!("${n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `VALUES` list of a multi-row insert: `rows` groups of `columns` placeholders, numbered
/// on from 1 in the order the rows' values are bound.
pub(crate) fn value_rows(connection: &AnyConnection, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(connection, row * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decodes a page of the log: case streams hold domain events, which must decode; other
/// streams (claims) come as recorded.
fn decode(events: &[RecordedEvent]) -> Result<Vec<Applied<'_>>, ProjectionError> {
    events
        .iter()
        .map(|recorded| {
            let version = u16::try_from(recorded.schema_version).unwrap_or(u16::MAX);
            let event = if recorded.stream_id.as_str().starts_with("case-") {
                Some(
                    Event::decode(&recorded.event_type, version, &recorded.payload).map_err(
                        |e| ProjectionError::Unreadable {
                            position: recorded.position,
                            problem: e.to_string(),
                        },
                    )?,
                )
            } else {
                None
            };
            Ok(Applied { recorded, event })
        })
        .collect()
}

/// Gives a decoded page to the projection.
async fn apply(
    projection: &dyn Projection,
    connection: &mut AnyConnection,
    suffix: &str,
    page: &[Applied<'_>],
) -> Result<(), ProjectionError> {
    projection
        .apply(connection, suffix, page)
        .await
        .map_err(database("applying events"))
}
