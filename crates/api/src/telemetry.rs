//! What an operator watches: every request in a `tracing` span that carries its request id,
//! and Prometheus metrics (requests, their latency, the store's append latency and batch
//! sizes, each projection's lag behind the log).

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::Instrument;
use uuid::Uuid;

use crate::error::ApiError;

pub(crate) static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id: the caller's `X-Request-Id`, or one made for it. It is returned on the
/// response, recorded as the correlation id of the events a command writes, and carried by the
/// request's span, so every log line written while serving it names it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestId(pub(crate) Uuid);

/// Requests answered, by method, route and status.
pub const HTTP_REQUESTS: &str = "retur_http_requests_total";
/// Seconds from a request's arrival to its answer, by method and route.
pub const HTTP_SECONDS: &str = "retur_http_request_seconds";
/// Events in the log that a projection has not yet applied, by projection.
pub const PROJECTION_LAG: &str = "retur_projection_lag_events";
/// The log's head position.
pub const LOG_HEAD: &str = "retur_log_head_position";

const SECONDS: [f64; 14] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
];
const BATCH_SIZES: [f64; 10] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// The process's Prometheus recorder, installed on first use. The store and the API record
/// through the `metrics` facade; this renders what they recorded.
pub fn prometheus() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &SECONDS)
                .and_then(|builder| {
                    builder.set_buckets_for_metric(
                        Matcher::Full(retur_store::writer::metric::BATCH_APPENDS.to_owned()),
                        &BATCH_SIZES,
                    )
                })
                .expect("the bucket lists are not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder is installed; /metrics shows none of it");
            }
            handle
        })
        .clone()
}

/// Gives each request its id and span, and counts and times it.
pub async fn request_context(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    // The route's template, never the path itself: a case id in a label would make one
    // series per case.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let given = match request.headers().get(&REQUEST_ID) {
        None => Some(Uuid::now_v7()),
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|text| Uuid::parse_str(text.trim()).ok()),
    };
    let (id, mut response) = match given {
        None => (
            Uuid::now_v7(),
            ApiError::BadRequest("the x-request-id header must be a UUID".to_owned())
                .into_response(),
        ),
        Some(id) => {
            request.extensions_mut().insert(RequestId(id));
            let span = tracing::info_span!("request", request_id = %id, %method, %route);
            let response = next.run(request).instrument(span.clone()).await;
            span.in_scope(|| {
                tracing::info!(
                    status = response.status().as_u16(),
                    micros = started.elapsed().as_micros() as u64,
                    "answered"
                );
            });
            (id, response)
        }
    };
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    let status = response.status().as_u16().to_string();
    metrics::counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(HTTP_SECONDS, "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
