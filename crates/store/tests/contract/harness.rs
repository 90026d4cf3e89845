//! A fresh store for each test, on a fresh database from `retur-testkit`, with raw access for
//! tampering.

use std::sync::Arc;

use retur_store::{EventStore, Upcasters};
pub(crate) use retur_testkit::TestDatabase as Database;

pub(crate) struct Fixture {
    pub(crate) store: Arc<dyn EventStore>,
    pub(crate) database: Database,
}

impl Fixture {
    pub(crate) async fn sqlite() -> Fixture {
        let database = Database::sqlite();
        Fixture {
            store: database.store(Upcasters::new()).await,
            database,
        }
    }

    /// A store in a fresh database, or `None` (after saying so) when no PostgreSQL is at hand.
    pub(crate) async fn postgres() -> Option<Fixture> {
        let database = Database::postgres().await?;
        Some(Fixture {
            store: database.store(Upcasters::new()).await,
            database,
        })
    }

    /// Another store on the same database: what a second process would see.
    pub(crate) async fn reopen(&self, upcasters: Upcasters) -> Arc<dyn EventStore> {
        self.database.store(upcasters).await
    }

    /// Runs SQL on the database directly, past the store: what a careless or hostile operator can do.
    pub(crate) async fn raw(&self, sql: &str) -> Result<(), String> {
        self.database.raw(sql).await
    }

    /// Runs SQL with the append-only triggers out of the way, as an attacker would.
    pub(crate) async fn tamper(&self, sql: &str) {
        self.database.tamper(sql).await;
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.database.is_postgres()
    }
}
