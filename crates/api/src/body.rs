//! Every request's body is read whole before the request is handled. A body over the limit is
//! read to its end and thrown away, so that the answer (413) is heard and the connection stays
//! fit for the client's next request: a server that answers before reading a body it does not
//! want leaves the rest of it on the wire, and must close the connection under the client.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::error::ApiError;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The largest letter accepted to be verified: a letter retur makes is far smaller.
pub const LETTER_LIMIT: usize = 1024 * 1024;

/// The path a letter is sent to, to be verified: its body may be a PDF up to [`LETTER_LIMIT`].
pub const LETTER_VERIFY_PATH: &str = "/letters/verify";

/// The largest body a request to `path` may carry.
fn limit_for(path: &str) -> usize {
    if path.ends_with(LETTER_VERIFY_PATH) {
        LETTER_LIMIT
    } else {
        BODY_LIMIT
    }
}

/// The most of an unwanted body read and thrown away to keep its connection; beyond it the
/// connection is closed after the answer.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// The API's middleware: reads the body, then hands the request on with it, or answers 413
/// as problem+json.
pub(crate) async fn read_whole(request: Request, next: Next) -> Response {
    read_whole_answering(request, next, |detail| {
        ApiError::PayloadTooLarge(detail.to_owned()).into_response()
    })
    .await
}

/// Reads the body whole, then hands the request on with it; a body over [`BODY_LIMIT`] is
/// answered by `too_large` (given what was too large) with 413. For a router of its own (the
/// pages answer with a page).
pub async fn read_whole_answering(
    request: Request,
    next: Next,
    too_large: fn(&str) -> Response,
) -> Response {
    let (parts, body) = request.into_parts();
    let limit = limit_for(parts.uri.path());
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<usize>().ok());
    if declared.is_some_and(|length| length > DRAIN_LIMIT) {
        return answer(too_large, limit, true);
    }
    let mut kept = Vec::new();
    let mut read = 0usize;
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let Ok(chunk) = chunk else {
            // The client stopped sending; nobody is left to answer.
            return ApiError::BadRequest("the body could not be read to its end".to_owned())
                .into_response();
        };
        read += chunk.len();
        if read > DRAIN_LIMIT {
            return answer(too_large, limit, true);
        }
        if read <= limit {
            kept.extend_from_slice(&chunk);
        }
    }
    if read > limit {
        return answer(too_large, limit, false);
    }
    next.run(Request::from_parts(parts, Body::from(Bytes::from(kept))))
        .await
}

fn answer(too_large: fn(&str) -> Response, limit: usize, close: bool) -> Response {
    let mut response = too_large(&format!("the body is over {limit} bytes"));
    if close {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
