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
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

/// The most of an unwanted body read and thrown away to keep its connection; beyond it the
/// connection is closed after the answer.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// The middleware: reads the body, then hands the request on with it, or answers 413.
pub(crate) async fn read_whole(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<usize>().ok());
    let page = parts.uri.path().starts_with("/ui");
    if declared.is_some_and(|length| length > DRAIN_LIMIT) {
        return too_large(page, true);
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
            return too_large(page, true);
        }
        if read <= BODY_LIMIT {
            kept.extend_from_slice(&chunk);
        }
    }
    if read > BODY_LIMIT {
        return too_large(page, false);
    }
    next.run(Request::from_parts(parts, Body::from(Bytes::from(kept))))
        .await
}

fn too_large(page: bool, close: bool) -> Response {
    let detail = format!("the body is over {BODY_LIMIT} bytes");
    let mut response = if page {
        crate::web::too_large(&detail)
    } else {
        ApiError::PayloadTooLarge(detail).into_response()
    };
    if close {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
