//! The person index: one row per person in each case, to find a case by the people in it (by
//! name, DUF number, date of birth) or by its reference. Names are indexed folded
//! (`deunicode`: no case, no diacritics, any script in Latin letters), so "odegard" finds
//! "Ødegård" and "Ødegård" finds "Odegard".
//!
//! Personal data is sealed in the log; this read model is the one place it is kept open, so
//! it keeps what a search needs and nothing more, and follows the log's protection of it: a
//! person whose data is erased leaves the index with the erasure, and a restricted person is
//! found only by the roles the restriction names. Which cases a role may find (need-to-know)
//! is the application's rule; the index keeps the facts it is decided on.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use retur_domain::event::ApplicantDetails;
use retur_domain::{Event, Role};
use retur_store::RecordedEvent;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::{Applied, Projection};

/// Opens the sealed personal data of stored events, for the read model that indexes people.
/// The application holds the keys and the cipher; the projections know neither.
#[async_trait]
pub trait Opener: Send + Sync + fmt::Debug {
    /// The events with every entry of personal data opened whose person still has a key;
    /// entries of erased people stay sealed.
    async fn open(&self, events: Vec<RecordedEvent>) -> Result<Vec<RecordedEvent>, String>;
}

/// A case's short reference: see [`retur_domain::case_reference`].
pub fn reference(position: u64, applied_at: DateTime<Utc>) -> String {
    retur_domain::case_reference(position, applied_at)
}

/// The position a reference names, if the text is one (`2026-000123`, `2026-123`).
pub fn position_of(reference: &str) -> Option<(i32, u64)> {
    let (year, position) = reference.trim().split_once('-')?;
    if year.len() != 4 || position.is_empty() {
        return None;
    }
    Some((year.parse().ok()?, position.parse().ok()?))
}

/// A name as the index compares it: in Latin letters, without diacritics or case, its words
/// separated by single spaces.
pub fn fold(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The person index projection.
#[derive(Clone, Debug)]
pub struct PersonIndex {
    opener: Arc<dyn Opener>,
}

impl PersonIndex {
    pub fn new(opener: Arc<dyn Opener>) -> PersonIndex {
        PersonIndex { opener }
    }
}

/// Which cases a search may find, as the application decides it for the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Findable {
    /// Every case (UDI, the auditor).
    All,
    /// Cases handed over to IOM.
    HandedToIom,
    /// Cases with an appeal forwarded to UNE.
    ForwardedToUne,
}

/// One person found.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonHit {
    pub stream_id: String,
    pub person_id: String,
    pub reference: String,
    pub relation: String,
    pub full_name: String,
    pub date_of_birth: String,
    pub duf_number: Option<String>,
}

/// What was typed into the search box, read as what it most likely is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    Reference(String),
    DateOfBirth(NaiveDate),
    /// The digits of a DUF number, or of its start.
    Duf(String),
    /// A name or part of one, folded.
    Name(String),
}

impl Search {
    /// Reads a search: a reference (`2026-000123`), a date of birth (`20.05.1985` or
    /// `1985-05-20`), a DUF number (digits, in groups by spaces or hyphens), else a name.
    /// `None` for nothing worth searching for (less than two letters or digits).
    pub fn read(text: &str) -> Option<Search> {
        let text = text.trim();
        // A reference has one hyphen; a DUF number written in groups (`2018-654321-02`) more.
        let one_hyphen = text.matches('-').count() == 1 && !text.contains(' ');
        if let Some((year, position)) = position_of(text).filter(|_| one_hyphen) {
            return Some(Search::Reference(format!("{year}-{position:06}")));
        }
        for format in ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"] {
            if let Ok(day) = NaiveDate::parse_from_str(text, format) {
                return Some(Search::DateOfBirth(day));
            }
        }
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            return (digits.len() >= 4).then_some(Search::Duf(digits));
        }
        let name = fold(text);
        (name.chars().filter(|c| c.is_alphanumeric()).count() >= 2).then_some(Search::Name(name))
    }
}

#[async_trait]
impl Projection for PersonIndex {
    fn name(&self) -> &'static str {
        "person_index"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["person_index", "case_reference"]
    }

    fn create(&self, suffix: &str) -> Vec<String> {
        vec![
            format!(
                "CREATE TABLE IF NOT EXISTS person_index{suffix} (
                stream_id TEXT NOT NULL,
                person_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                position BIGINT NOT NULL,
                relation TEXT NOT NULL,
                full_name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                date_of_birth TEXT NOT NULL,
                duf_number TEXT,
                duf_key TEXT,
                visible_to TEXT,
                handed_to_iom INTEGER NOT NULL,
                forwarded_to_une INTEGER NOT NULL,
                PRIMARY KEY (stream_id, person_id)
            )"
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS person_index{suffix}_person ON person_index{suffix} (person_id)"
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS person_index{suffix}_reference ON person_index{suffix} (reference)"
            ),
            format!(
                "CREATE INDEX IF NOT EXISTS person_index{suffix}_duf ON person_index{suffix} (duf_key)"
            ),
            // The same person in another case: by date of birth, then the name.
            format!(
                "CREATE INDEX IF NOT EXISTS person_index{suffix}_born ON person_index{suffix} (date_of_birth, name_key)"
            ),
            // A case's reference names the case, not a person: it stays when its people are
            // erased.
            format!(
                "CREATE TABLE IF NOT EXISTS case_reference{suffix} (
                    stream_id TEXT PRIMARY KEY,
                    reference TEXT NOT NULL UNIQUE,
                    position BIGINT NOT NULL
                )"
            ),
        ]
    }

    async fn apply(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        page: &[Applied<'_>],
    ) -> Result<(), sqlx::Error> {
        // Only applications carry people's data: those of the page are opened together, with
        // one look-up of their keys.
        let applications: Vec<RecordedEvent> = page
            .iter()
            .filter(|a| matches!(a.event, Some(Event::ApplicationSubmitted(_))))
            .map(|a| a.recorded.clone())
            .collect();
        let opened: HashMap<u64, Event> = if applications.is_empty() {
            HashMap::new()
        } else {
            self.opener
                .open(applications)
                .await
                .map_err(sqlx::Error::Protocol)?
                .into_iter()
                .filter_map(|recorded| {
                    let version = u16::try_from(recorded.schema_version).ok()?;
                    let event =
                        Event::decode(&recorded.event_type, version, &recorded.payload).ok()?;
                    Some((recorded.position, event))
                })
                .collect()
        };
        let table = format!("person_index{suffix}");
        for applied in page {
            let (Some(event), stream) = (&applied.event, applied.recorded.stream_id.as_str())
            else {
                continue;
            };
            match event {
                Event::ApplicationSubmitted(_) => {
                    let Some(Event::ApplicationSubmitted(submitted)) =
                        opened.get(&applied.recorded.position)
                    else {
                        continue;
                    };
                    let position = applied.recorded.position;
                    let reference = reference(position, submitted.submitted_at);
                    sqlx::query(&format!(
                        "INSERT INTO case_reference{suffix} (stream_id, reference, position) \
                         VALUES ($1, $2, $3)"
                    ))
                    .bind(stream)
                    .bind(&reference)
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .execute(&mut *connection)
                    .await?;
                    for member in &submitted.household {
                        // A person erased before the index saw them is not indexed.
                        let Some(details) = submitted.personal.get(&member.person_id) else {
                            continue;
                        };
                        let at = (stream, reference.as_str(), position);
                        insert(connection, &table, at, member, details).await?;
                    }
                }
                // The facts that give IOM and UNE their part in the case.
                Event::HandedOverToIom(_) | Event::AppealForwardedToUne(_) => {
                    let part = match event {
                        Event::HandedOverToIom(_) => "handed_to_iom",
                        _ => "forwarded_to_une",
                    };
                    sqlx::query(&format!(
                        "UPDATE {table} SET {part} = 1 WHERE stream_id = $1"
                    ))
                    .bind(stream)
                    .execute(&mut *connection)
                    .await?;
                }
                // Whom a restriction leaves to see the person: `,udi,auditor,`, or everyone.
                Event::PersonalDataRestricted(e) => {
                    let roles: String = e
                        .visible_to
                        .iter()
                        .map(|r| format!(",{}", r.as_str()))
                        .collect();
                    let visible_to = Some(roles + ",");
                    set_visible_to(connection, &table, stream, e.person, visible_to).await?;
                }
                Event::RestrictionLifted(e) => {
                    set_visible_to(connection, &table, stream, e.person, None).await?;
                }
                Event::PersonalDataErased(e) => {
                    // Their key is gone in every case they appear in: so are they, here.
                    sqlx::query(&format!("DELETE FROM {table} WHERE person_id = $1"))
                        .bind(e.person.to_string())
                        .execute(&mut *connection)
                        .await?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

async fn set_visible_to(
    connection: &mut AnyConnection,
    table: &str,
    stream: &str,
    person: retur_domain::PersonId,
    visible_to: Option<String>,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "UPDATE {table} SET visible_to = $1 WHERE stream_id = $2 AND person_id = $3"
    ))
    .bind(visible_to)
    .bind(stream)
    .bind(person.to_string())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

async fn insert(
    connection: &mut AnyConnection,
    table: &str,
    (stream, reference, position): (&str, &str, u64),
    member: &retur_domain::HouseholdMember,
    details: &ApplicantDetails,
) -> Result<(), sqlx::Error> {
    let person = &details.person;
    let duf = person.duf_number.as_ref().map(|d| d.as_str().to_owned());
    let duf_key = duf
        .as_ref()
        .map(|d| d.chars().filter(char::is_ascii_digit).collect::<String>());
    let relation = serde_json::to_value(member.relation)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    sqlx::query(&format!(
        "INSERT INTO {table} (stream_id, person_id, reference, position, relation, full_name, \
         name_key, date_of_birth, duf_number, duf_key, visible_to, handed_to_iom, forwarded_to_une) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, 0, 0)"
    ))
    .bind(stream)
    .bind(member.person_id.to_string())
    .bind(reference)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .bind(relation)
    .bind(person.full_name.as_str())
    .bind(fold(person.full_name.as_str()))
    .bind(person.date_of_birth.to_string())
    .bind(duf)
    .bind(duf_key)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

impl PersonIndex {
    /// The people `search` finds among the cases `findable` lets the caller find, and whose
    /// data `role` may see: the principal applicant of each case first, at most `limit`.
    pub async fn search(
        pool: &AnyPool,
        search: &Search,
        role: Role,
        findable: Findable,
        sees_duf: bool,
        limit: u32,
    ) -> Result<Vec<PersonHit>, sqlx::Error> {
        let (condition, value) = match search {
            Search::Reference(reference) => ("reference = $1", reference.clone()),
            Search::DateOfBirth(day) => ("date_of_birth = $1", day.to_string()),
            // A role that may not see DUF numbers may not find people by them either.
            Search::Duf(_) if !sees_duf => return Ok(Vec::new()),
            Search::Duf(digits) => ("duf_key LIKE $1", format!("{digits}%")),
            Search::Name(name) => ("name_key LIKE $1", format!("%{}%", without_wildcards(name))),
        };
        let need_to_know = match findable {
            Findable::All => "",
            Findable::HandedToIom => " AND handed_to_iom = 1",
            Findable::ForwardedToUne => " AND forwarded_to_une = 1",
        };
        let duf = if sees_duf {
            "duf_number"
        } else {
            "NULL AS duf_number"
        };
        let sql = format!(
            "SELECT stream_id, person_id, reference, relation, full_name, date_of_birth, {duf} \
             FROM person_index WHERE {condition}{need_to_know} \
             AND (visible_to IS NULL OR visible_to LIKE $2) \
             ORDER BY position DESC, relation = 'principal_applicant' DESC, full_name \
             LIMIT $3"
        );
        sqlx::query_as::<_, PersonHit>(&sql)
            .bind(value)
            .bind(format!("%,{},%", role.as_str()))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
    }

    /// Each of these cases' reference and, where `role` may see it, its principal applicant's
    /// name and person id: what a queue row shows of a case.
    pub async fn principals(
        pool: &AnyPool,
        streams: &[String],
        role: Role,
    ) -> Result<HashMap<String, Principal>, sqlx::Error> {
        let mut found = HashMap::new();
        let mine = format!(",{},", role.as_str());
        for chunk in streams.chunks(500) {
            let list = numbered(chunk.len());
            let sql = format!(
                "SELECT r.stream_id, r.reference, p.person_id, p.full_name, p.visible_to \
                 FROM case_reference r LEFT JOIN person_index p \
                 ON p.stream_id = r.stream_id AND p.relation = 'principal_applicant' \
                 WHERE r.stream_id IN ({list})"
            );
            type Row = (
                String,
                String,
                Option<String>,
                Option<String>,
                Option<String>,
            );
            let mut query = sqlx::query_as::<_, Row>(&sql);
            for stream in chunk {
                query = query.bind(stream);
            }
            for (stream, reference, person, name, visible_to) in query.fetch_all(pool).await? {
                let visible = visible_to
                    .as_ref()
                    .is_none_or(|roles| roles.contains(&mine));
                let person = person.filter(|_| visible);
                let name = name.filter(|_| visible);
                found.insert(
                    stream,
                    Principal {
                        reference,
                        person,
                        name,
                    },
                );
            }
        }
        Ok(found)
    }

    /// The reference of each of these cases that the index holds.
    pub async fn references(
        pool: &AnyPool,
        streams: &[String],
    ) -> Result<HashMap<String, String>, sqlx::Error> {
        let mut found = HashMap::new();
        for chunk in streams.chunks(500) {
            let list = numbered(chunk.len());
            let sql = format!(
                "SELECT stream_id, reference FROM case_reference WHERE stream_id IN ({list})"
            );
            let mut query = sqlx::query_as::<_, (String, String)>(&sql);
            for stream in chunk {
                query = query.bind(stream);
            }
            found.extend(query.fetch_all(pool).await?);
        }
        Ok(found)
    }
}

impl PersonIndex {
    /// Every case a person appears in that `findable` lets the caller find and whose person
    /// `role` may see: the person's own row, and the rows of other cases with the same DUF
    /// number (where the caller may see DUF numbers) or the same name and date of birth.
    /// Newest case first; `None` when the caller may not find the person at all.
    pub async fn appearances(
        pool: &AnyPool,
        person_id: &str,
        role: Role,
        findable: Findable,
        sees_duf: bool,
    ) -> Result<Option<(PersonHit, Vec<Appearance>)>, sqlx::Error> {
        let found = Self::rows(
            pool,
            "p.person_id = $1",
            person_id.to_owned(),
            None,
            role,
            findable,
            sees_duf,
        )
        .await?;
        let Some(own) = found.into_iter().next() else {
            return Ok(None);
        };
        let anchor = sqlx::query_as::<_, (String, Option<String>)>(
            "SELECT name_key, duf_key FROM person_index WHERE person_id = $1 AND stream_id = $2",
        )
        .bind(person_id)
        .bind(&own.hit.stream_id)
        .fetch_one(pool)
        .await?;
        let (name_key, duf_key) = anchor;
        let duf_key = duf_key.filter(|_| sees_duf);
        let all = Self::rows(
            pool,
            "(p.person_id = $1 OR (p.name_key = $2 AND p.date_of_birth = $3) \
             OR (p.duf_key IS NOT NULL AND p.duf_key = $4))",
            person_id.to_owned(),
            Some((name_key, own.hit.date_of_birth.clone(), duf_key.clone())),
            role,
            findable,
            sees_duf,
        )
        .await?;
        let appearances = all
            .into_iter()
            .map(|mut row| {
                row.matched_by = if row.hit.person_id == person_id {
                    MatchedBy::Same
                } else if duf_key.is_some() && row.duf_key == duf_key {
                    MatchedBy::DufNumber
                } else {
                    MatchedBy::NameAndBirth
                };
                row.into()
            })
            .collect();
        Ok(Some((own.hit, appearances)))
    }

    /// The people of each of these cases whose data `role` may see (restrictions as the index
    /// holds them), principal applicant first.
    pub async fn households(
        pool: &AnyPool,
        streams: &[String],
        role: Role,
        sees_duf: bool,
    ) -> Result<Vec<PersonHit>, sqlx::Error> {
        let duf = if sees_duf {
            "duf_number"
        } else {
            "NULL AS duf_number"
        };
        let mut found = Vec::new();
        for chunk in streams.chunks(500) {
            let list = numbered(chunk.len());
            let visible = chunk.len() + 1;
            let sql = format!(
                "SELECT stream_id, person_id, reference, relation, full_name, date_of_birth, {duf} \
                 FROM person_index WHERE stream_id IN ({list}) \
                 AND (visible_to IS NULL OR visible_to LIKE ${visible}) \
                 ORDER BY position DESC, relation = 'principal_applicant' DESC, full_name"
            );
            let mut query = sqlx::query_as::<_, PersonHit>(&sql);
            for stream in chunk {
                query = query.bind(stream);
            }
            found.extend(
                query
                    .bind(format!("%,{},%", role.as_str()))
                    .fetch_all(pool)
                    .await?,
            );
        }
        Ok(found)
    }

    /// The people of case `stream` whom retur's own records show as helped home before: each
    /// case applied for earlier, with a departure, in which someone with the same DUF number,
    /// or the same name and date of birth, appears. Only people `role` may see, in both cases.
    pub async fn earlier_returns(
        pool: &AnyPool,
        stream: &str,
        role: Role,
        findable: Findable,
    ) -> Result<Vec<EarlierReturn>, sqlx::Error> {
        // The earlier case must be in the caller's part too.
        let need_to_know = match findable {
            Findable::All => "",
            Findable::HandedToIom => " AND other.handed_to_iom = 1",
            Findable::ForwardedToUne => " AND other.forwarded_to_une = 1",
        };
        let sql = format!(
            "SELECT me.stream_id, me.person_id, me.reference, me.relation, me.full_name, \
             me.date_of_birth, other.stream_id, other.person_id, other.reference, other.relation, \
             other.full_name, other.date_of_birth, c.departed_on, c.return_country, \
             CAST(CASE WHEN me.duf_key IS NOT NULL AND other.duf_key = me.duf_key THEN 1 ELSE 0 END AS BIGINT) \
             FROM person_index me \
             JOIN person_index other ON other.position < me.position \
              AND ((me.duf_key IS NOT NULL AND other.duf_key = me.duf_key) \
                   OR (other.name_key = me.name_key AND other.date_of_birth = me.date_of_birth)) \
             JOIN case_index c ON c.stream_id = other.stream_id AND c.departed_on IS NOT NULL \
             WHERE me.stream_id = $1 \
             AND (me.visible_to IS NULL OR me.visible_to LIKE $2) \
             AND (other.visible_to IS NULL OR other.visible_to LIKE $2){need_to_know} \
             ORDER BY c.departed_on, other.reference"
        );
        let rows = sqlx::query(&sql)
            .bind(stream)
            .bind(format!("%,{},%", role.as_str()))
            .fetch_all(pool)
            .await?;
        let hit = |row: &sqlx::any::AnyRow, at: usize| -> Result<PersonHit, sqlx::Error> {
            Ok(PersonHit {
                stream_id: row.try_get(at)?,
                person_id: row.try_get(at + 1)?,
                reference: row.try_get(at + 2)?,
                relation: row.try_get(at + 3)?,
                full_name: row.try_get(at + 4)?,
                date_of_birth: row.try_get(at + 5)?,
                duf_number: None,
            })
        };
        rows.iter()
            .map(|row| {
                let by_duf: i64 = row.try_get(14)?;
                Ok(EarlierReturn {
                    this: hit(row, 0)?,
                    earlier: hit(row, 6)?,
                    departed_on: row.try_get(12)?,
                    return_country: row.try_get(13)?,
                    matched_by: if by_duf == 1 {
                        MatchedBy::DufNumber
                    } else {
                        MatchedBy::NameAndBirth
                    },
                })
            })
            .collect()
    }

    /// The index's rows that match `condition` (over `p`, the index, and `c`, the case index;
    /// `$1` is `first`, and `$2`–`$4` the name key, date of birth and DUF key of `anchor`), in
    /// the cases `findable` lets the caller find, of people `role` may see.
    async fn rows(
        pool: &AnyPool,
        condition: &str,
        first: String,
        anchor: Option<(String, String, Option<String>)>,
        role: Role,
        findable: Findable,
        sees_duf: bool,
    ) -> Result<Vec<AppearanceRow>, sqlx::Error> {
        let need_to_know = match findable {
            Findable::All => "",
            Findable::HandedToIom => " AND p.handed_to_iom = 1",
            Findable::ForwardedToUne => " AND p.forwarded_to_une = 1",
        };
        let duf = if sees_duf {
            "p.duf_number"
        } else {
            "NULL AS duf_number"
        };
        let next = if anchor.is_some() { 5 } else { 2 };
        let sql = format!(
            "SELECT p.stream_id, p.person_id, p.reference, p.relation, p.full_name, p.date_of_birth, \
             {duf}, p.duf_key, c.status, c.return_country, c.submitted_on, c.departed_on \
             FROM person_index p LEFT JOIN case_index c ON c.stream_id = p.stream_id \
             WHERE {condition}{need_to_know} \
             AND (p.visible_to IS NULL OR p.visible_to LIKE ${next}) \
             ORDER BY p.position DESC"
        );
        let mut query = sqlx::query_as::<_, AppearanceRow>(&sql).bind(first);
        if let Some((name_key, date_of_birth, duf_key)) = anchor {
            query = query.bind(name_key).bind(date_of_birth).bind(duf_key);
        }
        query
            .bind(format!("%,{},%", role.as_str()))
            .fetch_all(pool)
            .await
    }
}

/// How a case was found to be a person's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchedBy {
    /// The person's own row.
    #[default]
    Same,
    /// The same DUF number: the same person in the immigration records.
    DufNumber,
    /// The same name and date of birth: possibly the same person.
    NameAndBirth,
}

/// One case a person appears in, with where the case stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appearance {
    pub hit: PersonHit,
    pub matched_by: MatchedBy,
    /// The case's state, as the case index holds it (`None` before it has caught up).
    pub status: Option<String>,
    pub return_country: Option<String>,
    pub submitted_on: Option<String>,
    pub departed_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AppearanceRow {
    #[sqlx(flatten)]
    hit: PersonHit,
    duf_key: Option<String>,
    status: Option<String>,
    return_country: Option<String>,
    submitted_on: Option<String>,
    departed_on: Option<String>,
    #[sqlx(skip)]
    matched_by: MatchedBy,
}

impl From<AppearanceRow> for Appearance {
    fn from(row: AppearanceRow) -> Appearance {
        Appearance {
            hit: row.hit,
            matched_by: row.matched_by,
            status: row.status,
            return_country: row.return_country,
            submitted_on: row.submitted_on,
            departed_on: row.departed_on,
        }
    }
}

/// A person of a case whom retur's records show as helped home before, in another case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EarlierReturn {
    /// The person in the case asked about.
    pub this: PersonHit,
    /// The same person, or possibly the same, in the earlier case.
    pub earlier: PersonHit,
    pub departed_on: String,
    pub return_country: Option<String>,
    pub matched_by: MatchedBy,
}

/// `$1, $2, …, $count`, for an `IN` list read through a pool.
fn numbered(count: usize) -> String {
    (1..=count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A case's reference and, where the role may see them, its principal applicant's id and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub reference: String,
    pub person: Option<String>,
    pub name: Option<String>,
}

/// `text` without LIKE's wildcards (a folded name holds none, but a search must never widen
/// itself).
fn without_wildcards(text: &str) -> String {
    text.replace(['%', '_'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_without_case_or_diacritics() {
        assert_eq!(fold("Ødegård, Åse"), "odegard ase");
        assert_eq!(fold("  ABEBE   Bekele "), "abebe bekele");
        assert_eq!(fold("Müller-Lüdenscheidt"), "muller ludenscheidt");
    }

    #[test]
    fn a_search_reads_as_what_it_most_likely_is() {
        assert_eq!(
            Search::read("2026-123"),
            Some(Search::Reference("2026-000123".into()))
        );
        assert_eq!(Search::read("20.05.1985"), Search::read("1985-05-20"));
        assert!(matches!(
            Search::read("20.05.1985"),
            Some(Search::DateOfBirth(_))
        ));
        assert_eq!(
            Search::read("2019 1234"),
            Some(Search::Duf("20191234".into()))
        );
        assert_eq!(
            Search::read("2018-654321-02"),
            Some(Search::Duf("201865432102".into()))
        );
        assert_eq!(Search::read("Bekele"), Some(Search::Name("bekele".into())));
        assert_eq!(Search::read("Ødeg"), Some(Search::Name("odeg".into())));
        assert_eq!(Search::read(" a "), None);
        assert_eq!(Search::read("12"), None);
        // Wildcards typed in are not wildcards.
        assert_eq!(without_wildcards("a%b_c"), "abc");
    }

    #[test]
    fn a_reference_is_the_year_in_norway_and_the_position() {
        let new_year = "2026-12-31T23:30:00Z".parse().unwrap();
        assert_eq!(reference(123, new_year), "2027-000123");
        assert_eq!(position_of("2027-000123"), Some((2027, 123)));
        assert_eq!(position_of("x-1"), None);
    }
}
