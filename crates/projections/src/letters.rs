//! The letter index: every letter retur has issued, by the SHA-256 of its PDF, so that a copy a
//! person holds can be checked against the log without knowing which case it is from.

use async_trait::async_trait;
use sqlx::{AnyConnection, AnyPool};

use crate::{Applied, Projection};

/// The event a letter's issue is recorded as (see `retur_app::LETTER_ISSUED`).
const LETTER_ISSUED: &str = "letter_issued";

/// The letter index projection.
#[derive(Clone, Copy, Debug, Default)]
pub struct LetterIndex;

/// A letter found by its hash.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct IssuedLetter {
    pub sha256: String,
    /// The letters stream it was recorded in (`letters-<case>`).
    pub stream_id: String,
    /// The position of the event the letter tells of.
    pub for_position: i64,
    pub kind: String,
    pub language: String,
    pub issued_at: String,
    /// The position of the issue itself in the log.
    pub position: i64,
}

#[async_trait]
impl Projection for LetterIndex {
    fn name(&self) -> &'static str {
        "letter_index"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["letter_index"]
    }

    fn create(&self, suffix: &str) -> Vec<String> {
        vec![format!(
            "CREATE TABLE IF NOT EXISTS letter_index{suffix} (
                sha256 TEXT PRIMARY KEY,
                stream_id TEXT NOT NULL,
                for_position BIGINT NOT NULL,
                kind TEXT NOT NULL,
                language TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                position BIGINT NOT NULL
            )"
        )]
    }

    async fn apply(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        page: &[Applied<'_>],
    ) -> Result<(), sqlx::Error> {
        for applied in page {
            let recorded = applied.recorded;
            if recorded.event_type != LETTER_ISSUED {
                continue;
            }
            let text = |field: &str| {
                recorded
                    .payload
                    .get(field)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default()
            };
            let for_position = recorded
                .payload
                .get("for_position")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or_default();
            // The same letter is issued once; should the same bytes ever be issued twice, the
            // first issue stands.
            sqlx::query(&format!(
                "INSERT INTO letter_index{suffix} \
                 (sha256, stream_id, for_position, kind, language, issued_at, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING"
            ))
            .bind(text("sha256"))
            .bind(recorded.stream_id.as_str())
            .bind(for_position)
            .bind(text("kind"))
            .bind(text("language"))
            .bind(text("issued_at"))
            .bind(i64::try_from(recorded.position).unwrap_or(i64::MAX))
            .execute(&mut *connection)
            .await?;
        }
        Ok(())
    }
}

impl LetterIndex {
    /// The letter issued with this SHA-256 (hex, lower case), if retur issued one.
    pub async fn find(pool: &AnyPool, sha256: &str) -> Result<Option<IssuedLetter>, sqlx::Error> {
        sqlx::query_as::<_, IssuedLetter>(
            "SELECT sha256, stream_id, for_position, kind, language, issued_at, position \
             FROM letter_index WHERE sha256 = $1",
        )
        .bind(sha256.to_ascii_lowercase())
        .fetch_optional(pool)
        .await
    }
}
