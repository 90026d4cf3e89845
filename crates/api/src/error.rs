//! Every error as RFC 9457 problem+json: a type, a title, the status, a sentence saying what was
//! wrong, and for a refusal the rule that refused.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use retur_app::{CommandError, Failure, Rejection};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Failure(#[from] Failure),
    /// A read model could not be read.
    #[error("{0}")]
    ReadModel(String),
}

/// An RFC 9457 problem: every error the API gives, as `application/problem+json`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `/problems/{code}`: the rule that refused, or the kind of problem.
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    /// A sentence saying what was wrong.
    detail: String,
    /// For a refusal, the rule that refused (`wrong_state`, `appeal_window_closed`, …; the
    /// document lists every one).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    /// For a version mismatch (412), the case's version now.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<u64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let detail = self.to_string();
        let (status, title, code, rule, current_version) = match &self {
            ApiError::Unauthorized(_) => (
                StatusCode::UNAUTHORIZED,
                "Not authenticated",
                "unauthenticated",
                None,
                None,
            ),
            ApiError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "The request is not valid",
                "bad_request",
                None,
                None,
            ),
            ApiError::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "The body is too large",
                "too_large",
                None,
                None,
            ),
            ApiError::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "The body is not of the type this endpoint takes",
                "unsupported_media_type",
                None,
                None,
            ),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found", "not_found", None, None),
            ApiError::Command(CommandError::Rejected(rejection)) => match rejection {
                Rejection::Forbidden(_) => (
                    StatusCode::FORBIDDEN,
                    "Not your part",
                    "forbidden",
                    None,
                    None,
                ),
                Rejection::Refused(refusal) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Refused by a rule",
                    "refused",
                    Some(refusal.code()),
                    None,
                ),
                Rejection::VersionMismatch { actual, .. } => (
                    StatusCode::PRECONDITION_FAILED,
                    "The case has changed",
                    "version_mismatch",
                    None,
                    Some(*actual),
                ),
                Rejection::Contended { .. } => (
                    StatusCode::CONFLICT,
                    "The case kept changing",
                    "contended",
                    None,
                    None,
                ),
                Rejection::CommandIdReused { .. } | Rejection::CommandIdReusedOtherwise { .. } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Idempotency key reused",
                    "idempotency_key_reused",
                    None,
                    None,
                ),
                Rejection::NoSuchCase { .. } | Rejection::NoSuchLetter { .. } => {
                    (StatusCode::NOT_FOUND, "Not found", "not_found", None, None)
                }
                Rejection::Held { .. } | Rejection::NotHeld => {
                    (StatusCode::CONFLICT, "Claimed", "claim", None, None)
                }
            },
            ApiError::Command(CommandError::Failed(_))
            | ApiError::Failure(_)
            | ApiError::ReadModel(_) => {
                tracing::error!(error = %detail, "a request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The system failed",
                    "failure",
                    None,
                    None,
                )
            }
        };
        let problem = Problem {
            kind: format!("/problems/{}", rule.unwrap_or(code)),
            title,
            status: status.as_u16(),
            detail,
            rule,
            current_version,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
