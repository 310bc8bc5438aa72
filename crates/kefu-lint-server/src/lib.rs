//! The kefu-lint HTTP service: `kefu-lint serve`.
//!
//! One [`kefu_lint::Linter`] is built at start from the configuration and
//! shared by every request; a request that names its own `mode`, `select`
//! or `ignore` gets a linter built through [`kefu_lint::Linter::builder`]
//! and cached by those options. Two APIs and a page:
//!
//! - the native JSON API (`POST /v1/check`, `POST /v1/fix`, `GET /v1/rules`,
//!   `GET /v1/rules/{id}`, `GET /healthz`, `GET /metrics`), described by
//!   the OpenAPI 3.1 document [`OPENAPI`] (served at `/openapi.json`), with
//!   offsets in bytes, code points and UTF-16 code units;
//! - a LanguageTool-compatible API (`POST /v2/check`, `GET /v2/languages`)
//!   for LanguageTool clients, offsets in UTF-16 code units;
//! - the playground page at `/`, where an agent sees the findings of a
//!   reply as they type it.
//!
//! Every error the service gives is JSON (`{"error": {"status", "code",
//! "field", "message"}}`; hyper answers a few malformed requests itself,
//! with no body). What one request can make the server hold is bounded:
//! bodies are limited, answers list at most [`Settings::max_findings`]
//! findings and fix edits, requests time out, connections that send their header too
//! slowly, stay idle or stop reading are closed, and at most
//! [`Settings::max_connections`] are open. SIGTERM (or Ctrl-C) stops the
//! server once the requests in flight are answered.
//!
//! # Example
//!
//! ```no_run
//! use kefu_lint_server::{Settings, run};
//!
//! let settings = Settings { bind: "127.0.0.1:0".parse()?, ..Settings::default() };
//! run(settings, |address| eprintln!("listening on http://{address}"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod annotation;
mod body;
mod connections;
mod error;
mod findings;
mod languagetool;
mod linters;
mod metrics;
mod native;
mod playground;
#[cfg(test)]
mod properties;
mod settings;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kefu_lint::config::ConfigError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use crate::error::ApiError;
pub use crate::settings::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_FINDINGS, DEFAULT_MAX_REPLIES, DEFAULT_PORT,
    DEFAULT_TIMEOUT, Settings, cors_origin,
};

/// The OpenAPI 3.1 document of the native API (`crates/kefu-lint-server/openapi.json`).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The configuration or a pack it names cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address cannot be listened on (in use, not this machine's, not allowed).
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// A CORS origin is not an origin.
    #[error("--cors-origin {origin:?}: {reason}")]
    Cors {
        /// The origin given.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// The runtime could not start, or accepting connections failed.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Limits every request is held to.
#[derive(Clone, Copy, Debug)]
struct Limits {
    max_replies: usize,
    max_findings: usize,
    max_body_bytes: usize,
    timeout: Duration,
}

/// What the handlers share: one reference per request (each clone is one
/// atomic increment, however many parts there are).
#[derive(Clone, Debug)]
struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
#[derive(Debug)]
struct Shared {
    linters: linters::Linters,
    metrics: metrics::Metrics,
    limits: Limits,
    /// Turns at checking: two per core, so that what requests hold in
    /// memory at once (an answer can be many times its request) is bounded
    /// and a burst queues instead of starting hundreds of threads.
    workers: Arc<tokio::sync::Semaphore>,
}

/// Builds the linter of `settings`, listens, calls `listening` with the
/// address bound (the port chosen, when `settings.bind` asked for port 0),
/// and serves until SIGTERM or SIGINT; then stops listening, answers the
/// requests in flight and returns, at most [`Settings::timeout`] and a
/// second later (a connection that has not sent a whole request by then
/// is dropped). Starts its own multi-threaded runtime. Connections are
/// served as [`Settings::timeout`] and [`Settings::max_connections`] say.
///
/// # Errors
/// [`ServeError`]: a configuration, an address or an origin that cannot be
/// used; the runtime failing.
pub fn run(settings: Settings, listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(serve(settings, listening));
    // A check still running past its request's time limit is not waited for.
    runtime.shutdown_timeout(GRACE);
    result
}

/// [`run`] on the caller's Tokio runtime.
///
/// # Errors
/// As [`run`].
pub async fn serve(settings: Settings, listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let app = router(&settings)?;
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .map_err(|source| ServeError::Bind {
            address: settings.bind,
            source,
        })?;
    let stop = stop_signal()?;
    listening(listener.local_addr()?);
    connections::accept(listener, app, &settings, stop).await;
    Ok(())
}

/// How long past the request time limit a stop waits for connections.
pub(crate) const GRACE: Duration = Duration::from_secs(1);

/// The application: routes, fallbacks and layers, with the linter of
/// `settings` built (this takes the configuration's time to load).
///
/// # Errors
/// [`ServeError::Config`] and [`ServeError::Cors`].
pub fn router(settings: &Settings) -> Result<Router, ServeError> {
    let state = AppState(Arc::new(Shared {
        linters: linters::Linters::new(settings.config.clone())?,
        metrics: metrics::Metrics::default(),
        limits: Limits {
            max_replies: settings.max_replies,
            max_findings: settings.max_findings,
            max_body_bytes: settings.max_body_bytes,
            timeout: settings.timeout,
        },
        workers: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get) * 2,
        )),
    }));
    let mut app = Router::new()
        .route("/v1/check", post(native::check))
        .route("/v1/fix", post(native::fix))
        .route("/v1/rules", get(native::rules))
        .route("/v1/rules/{id}", get(native::rule))
        .route(
            "/v2/check",
            post(languagetool::check_form).get(languagetool::check_query),
        )
        .route("/v2/languages", get(languagetool::languages))
        .route("/healthz", get(native::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(openapi))
        .merge(playground::routes())
        .fallback(error::no_such_path)
        .method_not_allowed_fallback(error::no_such_method)
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .layer(middleware::from_fn_with_state(state.clone(), body::declared_size));
    if !settings.cors_origins.is_empty() {
        let origins = settings
            .cors_origins
            .iter()
            .map(|origin| {
                cors_origin(origin).map_err(|reason| ServeError::Cors {
                    origin: origin.clone(),
                    reason,
                })
            })
            .collect::<Result<Vec<HeaderValue>, _>>()?;
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        );
    }
    Ok(app
        .layer(middleware::from_fn_with_state(state.clone(), metrics::record))
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(state))
}

/// The answer to a request whose handler panicked (a bug): 500 as JSON.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal().into_response()
}

/// How many bytes of text a request may bring and still be checked on the
/// async thread that read it: checking 4 KiB takes tens of microseconds,
/// less than handing the work to another thread and back (which costs
/// two context switches per request and halves the requests a small
/// check can be answered at).
const INLINE_BYTES: usize = 4096;

/// Runs CPU-bound work (building a linter, checking) on `bytes` bytes of
/// text: at once on this thread when it is quick (at most [`INLINE_BYTES`],
/// with the configuration's own linter, already built: `own_linter`), else
/// off the async threads, at most [`AppState::workers`] at once (a request
/// waits for its turn within its time limit). A panic in either is answered
/// 500 (on this thread by the router's `CatchPanicLayer`).
async fn compute<T: Send + 'static>(
    state: AppState,
    own_linter: bool,
    bytes: usize,
    work: impl FnOnce(AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    if own_linter && bytes <= INLINE_BYTES {
        return work(state);
    }
    let turn = Arc::clone(&state.workers)
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())?;
    tokio::task::spawn_blocking(move || {
        // Held until the work is done, even when its request has timed out.
        let _turn = turn;
        work(state)
    })
    .await
    .map_err(|_| ApiError::internal())?
}

/// `GET /openapi.json`.
async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// Middleware: a request not answered within the time limit gets 503.
async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.limits.timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => timed_out(limit).into_response(),
    }
}

/// The 503 answer of a request not answered within `limit`.
fn timed_out(limit: Duration) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        format!(
            "the request was not answered within {} s (--timeout-seconds)",
            limit.as_secs_f64()
        ),
    )
}

/// Registers for SIGTERM and SIGINT (Ctrl-C) now, so that a signal sent
/// once the address is printed is never missed, and resolves on the first.
fn stop_signal() -> io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        // Without a handler there is no signal to wait for.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_check_past_its_time_limit_stops_checking_the_rest_of_its_replies() {
        let replies = vec!["亲,这个我不能给您改价哦,但是可以送您运费险"; 100_000];
        let body = serde_json::json!({ "replies": replies }).to_string();
        // The limit: as long as reading the body and checking a third of the
        // replies take in this build, so the check starts within it and
        // cannot finish (a fixed limit passed in a release build).
        let started = std::time::Instant::now();
        let _: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        let linter = kefu_lint::Linter::builtin();
        replies[..30_000].iter().for_each(|r| drop(linter.check(r)));
        let app = router(&Settings {
            timeout: started.elapsed(),
            max_replies: 100_000,
            max_body_bytes: 8 << 20,
            ..Settings::default()
        })
        .expect("the built-in rules");
        let request = Request::post("/v1/check")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("a request");
        let response = app.clone().oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        // The check started within the limit, and the replies checked stop
        // growing well short of all of them (it went on in the background
        // before).
        let checked = || async {
            let request = Request::get("/metrics").body(Body::empty()).expect("a request");
            let response = app.clone().oneshot(request).await.expect("an answer");
            let text = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a body");
            let text = String::from_utf8(text.to_vec()).expect("UTF-8");
            text.lines()
                .find_map(|l| l.strip_prefix("kefu_lint_replies_checked_total "))
                .map_or(0, |n| n.parse::<u64>().expect("a count"))
        };
        let mut last = checked().await;
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = checked().await;
            if now == last {
                break;
            }
            last = now;
        }
        assert!(
            0 < last && last < 100_000,
            "{last} replies checked after the time limit"
        );
    }

    /// A handler with a bug.
    async fn boom() -> &'static str {
        std::panic::panic_any("a bug")
    }

    #[tokio::test]
    async fn checks_take_turns_and_a_panic_in_a_handler_or_a_check_is_answered_500() {
        let app = Router::new()
            .route("/boom", get(boom))
            .layer(CatchPanicLayer::custom(panicked));
        let request = Request::builder().uri("/boom").body(Body::empty()).expect("a request");
        let response = app.oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(body["error"]["code"], "internal");
        let state = AppState(Arc::new(Shared {
            linters: linters::Linters::new(None).expect("the built-in rules"),
            metrics: metrics::Metrics::default(),
            limits: Limits {
                max_replies: 1,
                max_findings: 1,
                max_body_bytes: 1,
                timeout: DEFAULT_TIMEOUT,
            },
            workers: Arc::new(tokio::sync::Semaphore::new(1)),
        }));
        let failed = compute(state.clone(), false, 0, |_| -> Result<(), ApiError> {
            std::panic::panic_any::<&str>("a bug")
        })
        .await;
        assert_eq!(failed, Err(ApiError::internal()));
        // The turn of the work that panicked is given back; one at a time.
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let work = |state: &AppState| {
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            compute(state.clone(), false, 0, move |_| {
                let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            })
        };
        let (a, b, c) = tokio::join!(work(&state), work(&state), work(&state));
        assert_eq!((a, b, c), (Ok(()), Ok(()), Ok(())));
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
