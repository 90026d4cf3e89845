//! The routes.

use std::sync::Arc;

use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use retur_app::CommandRequest;
use retur_domain::CaseId;
use uuid::Uuid;

use crate::ApiState;
use crate::auth::Authenticated;
use crate::dto::{CommandDto, HandledDto, HistoryEntryDto, StatusDto};
use crate::error::ApiError;

/// The largest request body accepted.
const BODY_LIMIT: usize = 64 * 1024;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

pub(crate) fn router(state: Arc<ApiState>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/cases/{case_id}", get(status))
        .route("/cases/{case_id}/history", get(history))
        .route("/cases/{case_id}/commands", post(command))
        .route("/cases/{case_id}/claim", post(claim).delete(release))
        .route("/queues/{agency}", get(queues))
        .route("/stats", get(stats))
        .route("/audit/verify", get(verify))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Ready when the store answers.
async fn health(State(state): State<Arc<ApiState>>) -> Response {
    match state.cases.store().head().await {
        Ok(head) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready", "head": head.position })),
        )
            .into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check: the store does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "the store does not answer" })),
            )
                .into_response()
        }
    }
}

fn case_id(text: &str) -> Result<CaseId, ApiError> {
    text.parse()
        .map_err(|e: retur_domain::InvalidValue| ApiError::BadRequest(e.to_string()))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusQuery {
    /// An RFC 3339 time or a log position: the case as it stood then.
    as_of: Option<String>,
}

async fn status(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    query: Result<axum::extract::Query<StatusQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    let axum::extract::Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    if let Some(text) = query.as_of {
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
        let body = serde_json::json!({ "case_id": case_id.to_string(), "as_of": text, "status": past.case.status.name(), "version": past.version });
        return Ok(Json(body).into_response());
    }
    let status = state
        .cases
        .status(&caller, case_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no case {case_id}")))?;
    Ok(Json(StatusDto::from(status)).into_response())
}

async fn claim(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let case_id = case_id(&id)?;
    let holder = state.cases.claim(&caller, case_id).await?;
    Ok(Json(
        serde_json::json!({ "held_by": holder.actor, "queue": holder.queue, "since": holder.since }),
    ))
}

async fn release(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.cases.release(&caller, case_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueParams {
    queue: Option<String>,
    due_on_or_before: Option<chrono::NaiveDate>,
    departs_on_or_before: Option<chrono::NaiveDate>,
    held_by: Option<String>,
    #[serde(default)]
    by_due_date: bool,
    limit: Option<u32>,
    offset: Option<u32>,
}

/// An agency's queues: for its own caseworkers and for auditors.
async fn queues(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(agency): Path<String>,
    params: Result<axum::extract::Query<QueueParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let axum::extract::Query(params) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let role = caller.actor.role;
    if role.as_str() != agency && role != retur_domain::Role::Auditor {
        return Err(ApiError::Command(retur_app::CommandError::Rejected(
            retur_app::Rejection::Forbidden(retur_app::Forbidden {
                role,
                command: None,
                reason: format!("{role} may not see {agency}'s queues"),
            }),
        )));
    }
    let query = retur_projections::QueueQuery {
        queue: params.queue,
        due_on_or_before: params.due_on_or_before,
        departs_on_or_before: params.departs_on_or_before,
        claimed_by: params.held_by,
        by_due_date: params.by_due_date,
        limit: params.limit.unwrap_or(100).min(1000),
        offset: params.offset.unwrap_or(0),
    };
    let items = retur_projections::CaseIndex::queue(state.projector.pool(), &agency, &query)
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading the queues: {e}")))?;
    let items: Vec<serde_json::Value> = items
        .into_iter()
        .map(|item| {
            serde_json::json!({
                "case": item.stream_id.strip_prefix("case-").unwrap_or(&item.stream_id),
                "queue": item.queue, "status": item.status,
                "in_queue_since_micros": item.in_queue_since_micros,
                "due_on": item.due_on, "due_kind": item.due_kind, "departs_on": item.departs_on,
                "held_by": item.claimed_by,
            })
        })
        .collect();
    Ok(Json(
        serde_json::json!({ "agency": agency, "items": items }),
    ))
}

/// Statistics: for the agencies and auditors, never an applicant.
async fn stats(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<serde_json::Value>, ApiError> {
    if caller.actor.role == retur_domain::Role::Applicant {
        return Err(forbidden(
            &caller,
            "statistics are for the agencies and auditors",
        ));
    }
    let s = retur_projections::CaseIndex::statistics(state.projector.pool())
        .await
        .map_err(|e| ApiError::ReadModel(format!("reading statistics: {e}")))?;
    Ok(Json(serde_json::json!({
        "cases": s.cases, "by_state": s.by_state, "by_nationality": s.by_nationality,
        "by_return_country": s.by_return_country, "by_month": s.by_month,
        "median_days_application_to_decision": s.median_days_application_to_decision,
        "median_days_decision_to_departure": s.median_days_decision_to_departure,
        "median_days_arrival_to_payout": s.median_days_arrival_to_payout,
    })))
}

/// The audit of the whole log: for auditors.
async fn verify(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<serde_json::Value>, ApiError> {
    if caller.actor.role != retur_domain::Role::Auditor {
        return Err(forbidden(&caller, "verifying the log is an auditor's task"));
    }
    let report = state.cases.verify(|_| {}).await?;
    Ok(Json(serde_json::json!({
        "clean": report.is_clean(),
        "chain": { "checked": report.chain.checked, "last": report.chain.last, "head_hash": report.chain.last_hash.to_hex(),
                   "broken": report.chain.broken.as_ref().map(|b| serde_json::json!({ "position": b.position, "problem": b.problem })) },
        "cases": report.streams, "commands_replayed": report.commands_replayed, "not_replayable": report.not_replayable,
        "first_illegal": report.first_illegal.as_ref().map(|i| serde_json::json!({ "position": i.position, "case": i.stream_id, "problem": i.problem })),
    })))
}

fn forbidden(caller: &retur_app::Caller, reason: &str) -> ApiError {
    ApiError::Command(retur_app::CommandError::Rejected(
        retur_app::Rejection::Forbidden(retur_app::Forbidden {
            role: caller.actor.role,
            command: None,
            reason: reason.to_owned(),
        }),
    ))
}

async fn history(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<HistoryEntryDto>>, ApiError> {
    let case_id = case_id(&id)?;
    let entries = state.cases.history(&caller, case_id).await?;
    if entries.is_empty() {
        return Err(ApiError::NotFound(format!("no case {case_id}")));
    }
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

async fn command(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let case_id = case_id(&id)?;
    let body = body
        .map_err(|_| ApiError::PayloadTooLarge(format!("the body is over {BODY_LIMIT} bytes")))?;
    let dto = CommandDto::parse(&body).map_err(ApiError::BadRequest)?;
    let action = dto.into_action().map_err(ApiError::BadRequest)?;
    let command_id = uuid_header(&headers, &IDEMPOTENCY_KEY)?.unwrap_or_else(Uuid::now_v7);
    let correlation_id = uuid_header(&headers, &REQUEST_ID)?.unwrap_or_else(Uuid::now_v7);
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
    let version = handled.version;
    let mut response = (StatusCode::OK, Json(HandledDto::from(handled))).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    if let Ok(request_id) = HeaderValue::from_str(&correlation_id.to_string()) {
        response
            .headers_mut()
            .insert(REQUEST_ID.clone(), request_id);
    }
    Ok(response)
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
