//! The routes, each with its OpenAPI description beside it: the router and the document are
//! made from the same list, so neither can name a route the other lacks.

use std::sync::{Arc, LazyLock};

use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json, Router};
use retur_app::{CommandRequest, Read};
use retur_domain::CaseId;
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::ApiState;
use crate::auth::Authenticated;
use crate::dto::{
    AuditDto, ClaimDto, ClockAnswerDto, ClockDto, CommandDto, Day, HandledDto, HealthDto,
    HistoryEntryDto, LetterDto, NoteBody, NoteDto, PastStatusDto, PayoutsDto, QueueDto, StatsDto,
    StatusAnswer, StatusDto, VerifiedLetterDto,
};
use crate::error::{ApiError, Problem};
use crate::telemetry::{self, RequestId};

use crate::body::BODY_LIMIT;

static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

pub(crate) fn router(state: Arc<ApiState>) -> Router {
    let (router, _) = routes().split_for_parts();
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::body::read_whole))
        .layer(axum::middleware::from_fn(telemetry::request_context))
        .with_state(state)
}

/// Every route, with its description.
fn routes() -> OpenApiRouter<Arc<ApiState>> {
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(clock))
        .routes(routes!(metrics))
        .routes(routes!(openapi))
        .routes(routes!(status))
        .routes(routes!(history))
        .routes(routes!(command))
        .routes(routes!(holder, claim, release))
        .routes(routes!(notes, write_note))
        .routes(routes!(letters))
        .routes(routes!(letter))
        .routes(routes!(verify_letter))
        .routes(routes!(payouts))
        .routes(routes!(queues))
        .routes(routes!(stats))
        .routes(routes!(verify))
}

/// The OpenAPI document of every route.
pub(crate) fn document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = routes().split_for_parts();
    crate::openapi::wire_form(&mut document);
    document
}

/// Ready when the store answers.
#[utoipa::path(get, path = "/health", tag = "operations", security(()),
    responses(
        (status = 200, description = "The store answers", body = HealthDto),
        (status = 503, description = "The store does not answer", body = HealthDto),
    ))]
async fn health(State(state): State<Arc<ApiState>>) -> (StatusCode, Json<HealthDto>) {
    let clock = if state.manual_clock.is_some() {
        "manual"
    } else {
        "system"
    };
    let now = state.cases.now();
    match state.cases.store().head().await {
        Ok(head) => (
            StatusCode::OK,
            Json(HealthDto {
                status: "ready".to_owned(),
                head: Some(head.position),
                clock,
                now,
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check: the store does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(HealthDto {
                    status: "the store does not answer".to_owned(),
                    head: None,
                    clock,
                    now,
                }),
            )
        }
    }
}

/// Moves a clock set by hand (a server started with `--manual-clock`, for tests and
/// training), and fires at once the deadlines that fell due. Only the `system` role may; on a
/// server that runs on the machine's clock there is no such route.
#[utoipa::path(post, path = "/clock", tag = "operations",
    request_body(content = ClockDto, content_type = "application/json"),
    responses(
        (status = 200, description = "The clock's new time, and the deadlines fired", body = ClockAnswerDto),
        (status = 400, description = "Not exactly one of `advance` and `set`, a malformed one, or a move backwards", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The server runs on the machine's clock, or the caller is not the system", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as `application/json`", body = Problem, content_type = "application/problem+json"),
    ))]
async fn clock(
    State(state): State<Arc<ApiState>>,
    caller: Result<Authenticated, ApiError>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<ClockAnswerDto>, ApiError> {
    let no_clock = || ApiError::NotFound("no clock is set by hand on this server".to_owned());
    let manual = state.manual_clock.as_ref().ok_or_else(no_clock)?;
    let Authenticated(caller) = caller?;
    if !retur_app::may_move_clock(caller.actor.role) {
        return Err(no_clock());
    }
    json_content(&headers)?;
    let asked: ClockDto = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("the body: {e}")))?;
    let now = match (asked.advance, asked.set) {
        (Some(advance), None) => {
            let step = retur_app::ClockStep::parse(&advance)
                .map_err(|e| ApiError::BadRequest(format!("advance: {e}")))?;
            manual
                .step(&step)
                .map_err(|e| ApiError::BadRequest(format!("advance: {e}")))?
        }
        (None, Some(set)) => {
            let to = chrono::DateTime::parse_from_rfc3339(&set)
                .map_err(|_| {
                    ApiError::BadRequest(format!(
                        "set: {set:?} is not an RFC 3339 time such as 2026-03-24T09:00:00+01:00"
                    ))
                })?
                .to_utc();
            manual
                .set_forward(to)
                .map_err(|e| ApiError::BadRequest(format!("set: {e}")))?
        }
        _ => {
            return Err(ApiError::BadRequest(
                "give exactly one of advance (an ISO 8601 duration) and set (an RFC 3339 time)"
                    .to_owned(),
            ));
        }
    };
    tracing::info!(%now, "the clock set by hand was moved");
    let fired = retur_app::Scheduler::new(state.cases.clone())
        .fire_due()
        .await?;
    Ok(Json(ClockAnswerDto::new(now, fired)))
}

/// Prometheus metrics: requests, their latency, the store's appends and batches, and each
/// projection's lag behind the log.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(()),
    responses((status = 200, description = "The Prometheus text format", body = String, content_type = "text/plain; version=0.0.4")))]
async fn metrics(State(state): State<Arc<ApiState>>) -> Response {
    match state.cases.store().head().await {
        Ok(head) => {
            metrics::gauge!(telemetry::LOG_HEAD).set(head.position as f64);
            match state.projector.checkpoints().await {
                Ok(checkpoints) => {
                    for (projection, position) in checkpoints {
                        let lag = head.position.saturating_sub(position);
                        metrics::gauge!(telemetry::PROJECTION_LAG, "projection" => projection)
                            .set(lag as f64);
                    }
                }
                Err(error) => tracing::warn!(%error, "metrics: the checkpoints cannot be read"),
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: the store does not answer"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        telemetry::prometheus().render(),
    )
        .into_response()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", security(()),
    responses((status = 200, description = "The OpenAPI 3 document of this API", content_type = "application/json")))]
async fn openapi() -> Response {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| document().to_pretty_json().expect("the document is JSON"));
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

fn case_id(text: &str) -> Result<CaseId, ApiError> {
    text.parse()
        .map_err(|e: retur_domain::InvalidValue| ApiError::BadRequest(e.to_string()))
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    query
        .map(|Query(query)| query)
        .map_err(|e| ApiError::BadRequest(e.body_text()))
}

#[derive(serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct StatusQuery {
    /// An RFC 3339 time or a log position: the case as it stood then.
    as_of: Option<String>,
}

/// A case's status now, or as it stood at a past time or log position (`as_of`).
#[utoipa::path(get, path = "/cases/{case_id}", tag = "cases",
    params(("case_id" = Uuid, Path, description = "The case"), StatusQuery),
    responses(
        (status = 200, description = "The case now (a `StatusDto`), or, with `as_of`, as it stood then (a `PastStatusDto`)", body = StatusAnswer),
        (status = 400, description = "A malformed case id or `as_of`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's case", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or none in the caller's part: IOM's before the hand-over, UNE's before an appeal is forwarded", body = Problem, content_type = "application/problem+json"),
    ))]
async fn status(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    params: Result<Query<StatusQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    if let Some(text) = query(params)?.as_of {
        let as_of = match text.parse::<u64>() {
            Ok(position) => retur_app::AsOf::Position(position),
            Err(_) => retur_app::AsOf::Time(
                chrono::DateTime::parse_from_rfc3339(&text)
                    .map_err(|_| {
                        ApiError::BadRequest(format!(
                            "as_of {text:?} is neither a log position nor an RFC 3339 time"
                        ))
                    })?
                    .to_utc(),
            ),
        };
        let past = state.cases.as_of(&caller, case_id, as_of).await?;
        return Ok(Json(StatusAnswer::Past(PastStatusDto {
            case_id: case_id.to_string(),
            as_of: text,
            status: past.case.status.name(),
            version: past.version,
        }))
        .into_response());
    }
    let status = state
        .cases
        .status(&caller, case_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no case {case_id}")))?;
    let stream = format!("{}{case_id}", retur_app::CASE_STREAM_PREFIX);
    let mut answer = StatusDto::from(status);
    answer.reference = references(&state, &[stream]).await?.into_values().next();
    Ok(Json(StatusAnswer::Now(Box::new(answer))).into_response())
}

/// Who holds a case: for the agencies and auditors, never an applicant.
#[utoipa::path(get, path = "/cases/{case_id}/claim", tag = "queues",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "Who holds the case, in which queue, since when", body = ClaimDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An applicant", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Nobody holds it, or no such case in the caller's part", body = Problem, content_type = "application/problem+json"),
    ))]
async fn holder(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ClaimDto>, ApiError> {
    let case_id = case_id(&id)?;
    let holder = state.cases.holder(&caller, case_id).await?;
    holder
        .map(|holder| Json(holder.into()))
        .ok_or_else(|| ApiError::NotFound(format!("nobody holds case {case_id}")))
}

/// Takes a case from its queue, so that no other caseworker works on it at once.
#[utoipa::path(post, path = "/cases/{case_id}/claim", tag = "queues",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The caller holds the case", body = ClaimDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's agency's queue", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's part", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another caseworker holds it", body = Problem, content_type = "application/problem+json"),
    ))]
async fn claim(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ClaimDto>, ApiError> {
    let case_id = case_id(&id)?;
    Ok(Json(state.cases.claim(&caller, case_id).await?.into()))
}

/// Gives a claimed case back to its queue.
#[utoipa::path(delete, path = "/cases/{case_id}/claim", tag = "queues",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 204, description = "Released"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's part", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller does not hold it", body = Problem, content_type = "application/problem+json"),
    ))]
async fn release(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.cases.release(&caller, case_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The letters a case's history calls for that the caller may be given: the applicant and
/// the deciding agencies every one; IOM the approval and the travel letter only.
#[utoipa::path(get, path = "/cases/{case_id}/letters", tag = "letters",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The letters, oldest first", body = Vec<LetterDto>),
        (status = 400, description = "A malformed case id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's case, or the system", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's part", body = Problem, content_type = "application/problem+json"),
    ))]
async fn letters(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<LetterDto>>, ApiError> {
    let case_id = case_id(&id)?;
    let letters = state.cases.letters(&caller, case_id).await?;
    Ok(Json(
        letters
            .into_iter()
            .map(|letter| LetterDto::of(case_id, letter))
            .collect(),
    ))
}

/// A letter as a PDF, in the applicant's language and in bokmål. The first time it is fetched
/// it is issued: its SHA-256 is recorded in the log (and given in `ETag`).
#[utoipa::path(get, path = "/cases/{case_id}/letters/{position}", tag = "letters",
    params(
        ("case_id" = Uuid, Path, description = "The case"),
        ("position" = u64, Path, description = "The position of the event the letter tells of"),
    ),
    responses(
        (status = 200, description = "The letter", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "A malformed case id or position", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's case, or the system", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or no letter the caller is given at that position", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The applicant's data the letter needs is erased", body = Problem, content_type = "application/problem+json"),
    ))]
async fn letter(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path((id, position)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    let position: u64 = position.parse().map_err(|_| {
        ApiError::BadRequest(format!("position {position:?} is not a log position"))
    })?;
    let made = state.cases.letter(&caller, case_id, position).await?;
    let sha256 = made
        .reference
        .issued
        .as_ref()
        .map(|issued| issued.sha256.clone())
        .unwrap_or_default();
    let name = format!(
        "retur-{}-{}.pdf",
        made.case_reference,
        made.reference.kind.name()
    );
    let mut response = (StatusCode::OK, made.pdf).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// Checks a letter someone holds against the log: sent as the PDF itself, it is found by its
/// SHA-256 among the letters retur issued. A copy changed in any byte is not found.
#[utoipa::path(post, path = "/letters/verify", tag = "letters",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The letter, as the PDF file's bytes (sent as `application/pdf` or `application/octet-stream`)"),
    responses(
        (status = 200, description = "retur issued this letter", body = VerifiedLetterDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor or UDI", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "retur issued no letter with these bytes: not one of its letters, or changed since", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as `application/pdf` or `application/octet-stream`", body = Problem, content_type = "application/problem+json"),
    ))]
async fn verify_letter(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Json<VerifiedLetterDto>, ApiError> {
    retur_app::authorize_read_of(&caller, Read::Letters).map_err(forbidden)?;
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase());
    if !matches!(
        given.as_deref(),
        Some("application/pdf" | "application/octet-stream")
    ) {
        return Err(ApiError::UnsupportedMediaType(
            "a letter is sent as the PDF file's bytes, Content-Type: application/pdf (or application/octet-stream)".to_owned(),
        ));
    }
    // Read here rather than by an extractor: a letter may be larger than a command's body.
    let body = axum::body::to_bytes(body, crate::body::LETTER_LIMIT)
        .await
        .map_err(|_| {
            ApiError::PayloadTooLarge(format!(
                "a letter is at most {} bytes",
                crate::body::LETTER_LIMIT
            ))
        })?;
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body));
    let found = retur_projections::LetterIndex::find(state.projector.pool(), &sha256)
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading the letter index: {e}")))?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "retur issued no letter with SHA-256 {sha256}: this is not one of its letters, or it was changed since it was issued"
            ))
        })?;
    Ok(Json(VerifiedLetterDto {
        issued: true,
        sha256: found.sha256,
        case: found
            .stream_id
            .strip_prefix(retur_app::LETTERS_STREAM_PREFIX)
            .unwrap_or(&found.stream_id)
            .to_owned(),
        position: u64::try_from(found.for_position).unwrap_or_default(),
        kind: found.kind,
        language: found.language,
        issued_at: found.issued_at,
    }))
}

/// The internal notes the caller's agency has written on a case, oldest first. Each agency
/// reads only its own.
#[utoipa::path(get, path = "/cases/{case_id}/notes", tag = "cases",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The agency's notes, oldest first", body = Vec<NoteDto>),
        (status = 400, description = "A malformed case id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an agency (UDI, UNE, IOM)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's part", body = Problem, content_type = "application/problem+json"),
    ))]
async fn notes(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<NoteDto>>, ApiError> {
    let case_id = case_id(&id)?;
    let notes = state.cases.notes(&caller, case_id).await?;
    Ok(Json(notes.into_iter().map(Into::into).collect()))
}

/// Writes an internal note on a case, for the caller's own agency: sealed like personal data.
#[utoipa::path(post, path = "/cases/{case_id}/notes", tag = "cases",
    params(
        ("case_id" = Uuid, Path, description = "The case"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "The note's id: a retry with the same key writes once"),
    ),
    request_body(content = NoteBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Written", body = NoteDto),
        (status = 400, description = "A malformed case id or body: the detail says how", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an agency (UDI, UNE, IOM)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in the caller's part", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty or too long note, or the applicant's data is erased", body = Problem, content_type = "application/problem+json"),
    ))]
async fn write_note(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    json_content(&headers)?;
    let body = body
        .map_err(|_| ApiError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")))?;
    let note: NoteBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("a note is {{\"text\": \"…\"}}: {e}")))?;
    let command_id = uuid_header(&headers, &IDEMPOTENCY_KEY)?.unwrap_or_else(Uuid::now_v7);
    let written = state
        .cases
        .write_note(&caller, case_id, &note.text, command_id)
        .await?;
    Ok((StatusCode::CREATED, Json(NoteDto::from(written))).into_response())
}

#[derive(serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct QueueParams {
    /// One queue of the agency (`to_decide`, `to_book`, …); all of them when absent.
    queue: Option<String>,
    /// Only cases with a deadline on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    due_on_or_before: Option<Day>,
    /// Only cases departing on or before this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    departs_on_or_before: Option<Day>,
    /// Only cases held by this caseworker.
    held_by: Option<String>,
    /// Soonest deadline first, rather than longest waiting first.
    #[serde(default)]
    by_due_date: bool,
    /// At most this many (100 by default, 1000 at most).
    limit: Option<u32>,
    offset: Option<u32>,
}

/// An agency's queues: for its own caseworkers and for auditors.
#[utoipa::path(get, path = "/queues/{agency}", tag = "queues",
    params(("agency" = String, Path, description = "`udi`, `une` or `iom`"), QueueParams),
    responses(
        (status = 200, description = "The cases waiting", body = QueueDto),
        (status = 400, description = "An unknown or malformed parameter, or a queue the agency does not have", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another agency's queues", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agency", body = Problem, content_type = "application/problem+json"),
    ))]
async fn queues(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(agency): Path<String>,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Result<Json<QueueDto>, ApiError> {
    let (role, queues) = agency
        .parse::<retur_domain::Role>()
        .ok()
        .map(|role| (role, retur_domain::Status::queues_of(role)))
        .filter(|(_, queues)| !queues.is_empty())
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no agency {agency:?} has queues: udi, une and iom do"
            ))
        })?;
    let params = query(params)?;
    retur_app::authorize_read_of(&caller, Read::Queues(role)).map_err(forbidden)?;
    if let Some(queue) = params.queue.as_deref().filter(|q| !queues.contains(q)) {
        return Err(ApiError::BadRequest(format!(
            "queue: {agency} has no queue {queue:?}; its queues are {}",
            queues.join(", ")
        )));
    }
    let query = retur_projections::QueueQuery {
        queue: params.queue,
        due_on_or_before: params.due_on_or_before.map(|day| day.0),
        departs_on_or_before: params.departs_on_or_before.map(|day| day.0),
        claimed_by: params.held_by,
        by_due_date: params.by_due_date,
        limit: params.limit.unwrap_or(100).min(1000),
        offset: params.offset.unwrap_or(0),
    };
    let items = retur_projections::CaseIndex::queue(state.projector.pool(), &agency, &query)
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading the queues: {e}")))?;
    let streams: Vec<String> = items.iter().map(|item| item.stream_id.clone()).collect();
    let mut references = references(&state, &streams).await?;
    Ok(Json(QueueDto {
        agency,
        items: items
            .into_iter()
            .map(|item| {
                let reference = references.remove(&item.stream_id);
                crate::dto::QueueItemDto {
                    reference,
                    ..item.into()
                }
            })
            .collect(),
    }))
}

/// The short references of these cases, as far as the read models hold them.
async fn references(
    state: &ApiState,
    streams: &[String],
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    retur_projections::PersonIndex::references(state.projector.pool(), streams)
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading the case references: {e}")))
}

#[derive(serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PayoutParams {
    /// Only this case's payouts.
    case: Option<Uuid>,
}

/// What has been paid and claimed back, summed per case, kind and currency: for IOM, which
/// pays; UDI, which claims repayments; and auditors.
#[utoipa::path(get, path = "/payouts", tag = "queues",
    params(PayoutParams),
    responses(
        (status = 200, description = "The payout ledger's totals", body = PayoutsDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither IOM, UDI nor an auditor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn payouts(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    params: Result<Query<PayoutParams>, QueryRejection>,
) -> Result<Json<PayoutsDto>, ApiError> {
    let params = query(params)?;
    retur_app::authorize_read_of(&caller, Read::Payouts).map_err(forbidden)?;
    let stream = params
        .case
        .map(|case| format!("{}{case}", retur_app::CASE_STREAM_PREFIX));
    let totals =
        retur_projections::PayoutLedger::totals_of(state.projector.pool(), stream.as_deref())
            .await
            .map_err(|e| ApiError::ReadModel(format!("reading the payout ledger: {e}")))?;
    Ok(Json(PayoutsDto {
        totals: totals.into_iter().map(Into::into).collect(),
    }))
}

/// Statistics over the cases the caller's role has a part in: for the agencies, auditors and
/// the system, never an applicant.
#[utoipa::path(get, path = "/stats", tag = "queues",
    responses(
        (status = 200, description = "Counts and medians over all cases", body = StatsDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An applicant", body = Problem, content_type = "application/problem+json"),
    ))]
async fn stats(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<StatsDto>, ApiError> {
    retur_app::authorize_read_of(&caller, Read::Statistics).map_err(forbidden)?;
    let statistics =
        retur_projections::CaseIndex::statistics(state.projector.pool(), |involvement| {
            retur_app::has_part(caller.actor.role, involvement)
        })
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading statistics: {e}")))?;
    Ok(Json(statistics.into()))
}

/// The audit of the whole log: the hash chain checked and every case's commands decided
/// again. For auditors.
#[utoipa::path(get, path = "/audit/verify", tag = "audit",
    responses(
        (status = 200, description = "What the audit found", body = AuditDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor", body = Problem, content_type = "application/problem+json"),
    ))]
async fn verify(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<AuditDto>, ApiError> {
    retur_app::authorize_read_of(&caller, Read::Audit).map_err(forbidden)?;
    Ok(Json(state.cases.verify(|_| {}).await?.into()))
}

fn forbidden(forbidden: retur_app::Forbidden) -> ApiError {
    ApiError::Command(retur_app::CommandError::Rejected(
        retur_app::Rejection::Forbidden(forbidden),
    ))
}

/// A case's events, as the caller's role may see them: IOM never sees why an application was
/// refused.
#[utoipa::path(get, path = "/cases/{case_id}/history", tag = "cases",
    params(("case_id" = Uuid, Path, description = "The case")),
    responses(
        (status = 200, description = "The events, oldest first", body = Vec<HistoryEntryDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's case", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or none in the caller's part: IOM's before the hand-over, UNE's before an appeal is forwarded", body = Problem, content_type = "application/problem+json"),
    ))]
async fn history(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryEntryDto>>, ApiError> {
    let case_id = case_id(&id)?;
    let entries = state.cases.history(&caller, case_id).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

/// Gives a case a command. The rules decide; a refusal names the rule that refused.
#[utoipa::path(post, path = "/cases/{case_id}/commands", tag = "cases",
    params(
        ("case_id" = Uuid, Path, description = "The case; a `submit` creates it"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "The command's id: a retry with the same key gets the first answer"),
        ("If-Match" = Option<String>, Header, description = "The case version the command was made against, such as `\"3\"`"),
        ("X-Request-Id" = Option<Uuid>, Header, description = "The correlation id recorded with the events; made when absent"),
    ),
    request_body(content = CommandDto, content_type = "application/json"),
    responses(
        (status = 200, description = "Handled (or, for a retried key, handled before)", body = HandledDto),
        (status = 400, description = "The body or a header is malformed: the detail names the field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the caller's part", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case (only `submit` creates one), or none in the caller's part", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case kept changing, or another caseworker holds it", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The case is no longer at the `If-Match` version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as `application/json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused by a rule, named in `rule`, or an `Idempotency-Key` used before for another command", body = Problem, content_type = "application/problem+json"),
    ))]
async fn command(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Extension(RequestId(correlation_id)): Extension<RequestId>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    json_content(&headers)?;
    let body = body
        .map_err(|_| ApiError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")))?;
    let action = CommandDto::read(&body).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let command_id = uuid_header(&headers, &IDEMPOTENCY_KEY)?.unwrap_or_else(Uuid::now_v7);
    let expected_version = if_match(&headers)?;
    let handled = state
        .cases
        .handle(
            &caller,
            CommandRequest {
                case_id,
                action,
                command_id,
                correlation_id,
                expected_version,
            },
        )
        .await?;
    tracing::info!(
        case = %case_id, command = %command_id, version = handled.version,
        events = handled.events.len(), already_handled = handled.already_handled,
        "command handled"
    );
    let version = handled.version;
    let mut response = (StatusCode::OK, Json(HandledDto::from(handled))).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// A command's body must say it is JSON (`application/json`, parameters such as a charset
/// allowed), as a form or a text would be read otherwise by anything in between.
fn json_content(headers: &HeaderMap) -> Result<(), ApiError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("(not text)"));
    let essence = given
        .and_then(|value| value.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some("application/json") => Ok(()),
        _ => Err(ApiError::UnsupportedMediaType(format!(
            "a command is sent as Content-Type: application/json, not {}",
            given.map_or("without one".to_owned(), |value| format!("{value:?}"))
        ))),
    }
}

fn uuid_header(headers: &HeaderMap, name: &HeaderName) -> Result<Option<Uuid>, ApiError> {
    headers
        .get(name)
        .map(|value| {
            value
                .to_str()
                .ok()
                .and_then(|text| Uuid::parse_str(text.trim()).ok())
                .ok_or_else(|| ApiError::BadRequest(format!("the {name} header must be a UUID")))
        })
        .transpose()
}

/// `If-Match: "3"` (or `3`, or a weak `W/"3"`): the version the command was made against.
fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    headers
        .get(header::IF_MATCH)
        .map(|value| {
            value
                .to_str()
                .ok()
                .map(|text| text.trim().trim_start_matches("W/").trim_matches('"'))
                .and_then(|text| text.parse::<u64>().ok())
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "the If-Match header must be a case version, such as \"3\"".to_owned(),
                    )
                })
        })
        .transpose()
}
