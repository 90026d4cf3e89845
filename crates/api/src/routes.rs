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

async fn status(
    State(state): State<Arc<ApiState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<StatusDto>, ApiError> {
    let case_id = case_id(&id)?;
    let status = state
        .cases
        .status(&caller, case_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no case {case_id}")))?;
    Ok(Json(status.into()))
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
