//! The HTTP API: JSON in and out through the DTOs of [`dto`] (the wire format, which the pages
//! read their forms through too), bearer tokens carrying the caller's role, actor and (for an
//! applicant) cases, `If-Match` for the version a command was made against, `Idempotency-Key`
//! for its command id, and RFC 9457 problem+json for every error. It knows no HTML: the pages
//! are a crate of their own (`retur-web`) beside it.

mod auth;
pub mod body;
pub mod dto;
mod error;
mod openapi;
mod routes;
mod telemetry;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use retur_app::Cases;
use tokio::net::TcpListener;

pub use auth::{Keys, TokenClaims};
pub use error::{ApiError, Problem};
pub use telemetry::{
    HTTP_REQUESTS, HTTP_SECONDS, LOG_HEAD, PROJECTION_LAG, prometheus, request_context,
};

/// The OpenAPI 3 document of the API, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::document()
}

/// What every request handler shares.
#[derive(Clone)]
pub struct ApiState {
    pub cases: Cases,
    pub keys: Arc<Keys>,
    /// The read models (queues, statistics), kept up to date by a running projector.
    pub projector: retur_projections::Projector,
    /// The case system's clock when it is set by hand (tests and training), which `POST
    /// /clock` moves; `None` on a server that runs on the machine's clock.
    pub manual_clock: Option<Arc<retur_app::ManualClock>>,
}

impl std::fmt::Debug for ApiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiState")
            .field("cases", &self.cases)
            .finish_non_exhaustive()
    }
}

/// The API's routes, without a socket.
pub fn router(state: Arc<ApiState>) -> Router {
    routes::router(state)
}

/// Serves `router` on `listener` until `shutdown` completes, keeping the metrics' histograms
/// drained meanwhile.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Histograms are drained into their buckets on upkeep; without it they grow until scraped.
    let metrics = prometheus();
    let upkeep = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            metrics.run_upkeep();
        }
    });
    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await;
    upkeep.abort();
    served
}
