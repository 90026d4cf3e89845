//! The running system, wired in one place: the HTTP surface (the API and the pages) over a
//! [`System`], with the projections and the deadline scheduler beside it. `retur serve` starts
//! it on its address; the end-to-end tests, the browser tests and the bench start it on a free
//! port with [`spawn_app`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use retur_api::{ApiState, Keys};
use retur_app::ManualClock;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::System;

/// What a system is served with, beside the system itself.
#[derive(Clone, Debug)]
pub struct Serving {
    /// The keys that sign and check tokens.
    pub keys: Arc<Keys>,
    /// The case system's clock, when it is set by hand (tests and training): `POST /clock`
    /// moves it, and every page says so. It must be the clock the system was opened with.
    pub manual_clock: Option<Arc<ManualClock>>,
    /// How often the deadline scheduler looks for what fell due; `None` runs no scheduler
    /// beside the server (a test fires deadlines itself).
    pub deadlines_every: Option<Duration>,
    /// Whether the projections run beside the server, as `retur serve` runs them; without,
    /// their tables are made, and whoever reads them catches them up.
    pub projections: bool,
}

impl Serving {
    /// As `retur serve` runs: the projections and the scheduler beside the server, every
    /// `deadlines_every`.
    pub fn production(keys: Arc<Keys>, deadlines_every: Duration) -> Serving {
        Serving {
            keys,
            manual_clock: None,
            deadlines_every: Some(deadlines_every),
            projections: true,
        }
    }
}

/// A system being served, until [`stop`](Running::stop) or [`until_stopped`](Running::until_stopped).
#[derive(Debug)]
pub struct Running {
    /// The address it answers on.
    pub address: SocketAddr,
    /// `http://` and the address.
    pub base: String,
    stop: watch::Sender<bool>,
    served: JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops serving, the projections and the scheduler, and waits for the server to finish
    /// the requests it has begun.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        (&mut self.served)
            .await
            .context("the server")?
            .context("serving")
    }

    /// Serves until `signal` completes, then stops.
    pub async fn until(self, signal: impl std::future::Future<Output = ()>) -> anyhow::Result<()> {
        signal.await;
        self.stop().await
    }
}

/// Dropped without [`stop`](Running::stop) (a test's end), it still says stop: the scheduler and
/// the projections end instead of waiting on a signal that can no longer come.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl System {
    /// The HTTP surface over this system: the API (JSON) and the pages (HTML), one router.
    pub fn router(&self, serving: &Serving) -> axum::Router {
        let state = Arc::new(ApiState {
            cases: self.cases.clone(),
            keys: Arc::clone(&serving.keys),
            projector: self.projector.clone(),
            manual_clock: serving.manual_clock.clone(),
        });
        retur_api::router(Arc::clone(&state))
            .merge(retur_web::router(state))
            .fallback(no_route)
    }

    /// Starts serving on `listener`: the projections' tables are made before the first request
    /// can read them, then what `serving` asks for runs beside the server.
    pub async fn start(&self, listener: TcpListener, serving: Serving) -> anyhow::Result<Running> {
        let address = listener.local_addr().context("the listener's address")?;
        for projection in self.projections() {
            self.projector
                .prepare(projection.as_ref())
                .await
                .with_context(|| format!("preparing {}", projection.name()))?;
        }
        let (stop, stopped) = watch::channel(false);
        if let Some(every) = serving.deadlines_every {
            let scheduler = retur_app::Scheduler::new(self.cases.clone());
            tokio::spawn(scheduler.run(every, stopped.clone()));
        }
        if serving.projections {
            for projection in self.projections() {
                let projector = self.projector.clone();
                let stopped = stopped.clone();
                tokio::spawn(async move { projector.run(projection, stopped).await });
            }
        }
        let mut stopping = stopped;
        let served = tokio::spawn(retur_api::serve(
            listener,
            self.router(&serving),
            async move {
                let _ = stopping.changed().await;
            },
        ));
        Ok(Running {
            address,
            base: format!("http://{address}"),
            stop,
            served,
        })
    }
}

/// Starts `system` on a free port of 127.0.0.1, as the tests and the bench do (zero2prod's
/// `spawn_app`).
pub async fn spawn_app(system: &System, serving: Serving) -> anyhow::Result<Running> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("a free port")?;
    system.start(listener, serving).await
}

/// A path no route has: a page saying so under `/ui`, problem+json elsewhere.
async fn no_route(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    let detail = format!("there is nothing at {}", uri.path());
    if uri.path().starts_with("/ui") {
        retur_web::not_found(&detail)
    } else {
        retur_api::ApiError::NotFound(detail).into_response()
    }
}
