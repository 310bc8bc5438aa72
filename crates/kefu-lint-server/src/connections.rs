//! Connections: accepted up to a cap, each served by hyper's HTTP/1 with a
//! time limit on reading a request's header (which also closes a
//! connection left idle) and on a client that stops reading its answer,
//! and stopped gracefully.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;

use crate::{GRACE, Settings};

/// Most header lines a request may have; more is answered 431 by hyper.
const MAX_HEADERS: usize = 100;

/// How long accepting pauses after the system refused a connection (out
/// of file descriptors, say) before it tries again.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// How long after a stop a connection opened just before it has to begin
/// its request, before connections with none begun are closed.
const SETTLE: Duration = Duration::from_millis(250);

/// Serves `app` on `listener` until `stop` resolves; then stops accepting,
/// lets the connections finish their requests in flight (a request sent
/// on a connection opened before the stop, within [`SETTLE`] of it, is one),
/// and returns at most [`SETTLE`], [`Settings::timeout`] and [`GRACE`] later.
///
/// At most [`Settings::max_connections`] connections are open at once: one
/// more is closed as soon as it is accepted. A connection that has not sent
/// a whole request header within [`Settings::timeout`] of connecting (or of
/// its previous answer) is closed, and so is one whose client has read
/// nothing of its answer for [`Settings::timeout`] (the answer it held is
/// freed).
pub async fn accept(listener: TcpListener, app: Router, settings: &Settings, stop: impl Future<Output = ()>) {
    let open = Arc::new(Semaphore::new(settings.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.timeout)
        .max_headers(MAX_HEADERS);
    let serve = |stream: tokio::net::TcpStream| {
        // Over the cap: dropped, which closes it.
        let Ok(place) = Arc::clone(&open).try_acquire_owned() else {
            return;
        };
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(settings.timeout));
        let connection = http.serve_connection(TokioIo::new(Box::pin(stream)), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's errors (a client gone, a header too slow) end it; nothing to answer.
            let _ = connection.await;
            drop(place);
        });
    };
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => serve(stream),
                Err(_) => tokio::time::sleep(ACCEPT_PAUSE).await,
            },
            () = &mut stop => break,
        }
    }
    // Connections the system accepted before the stop are served too (a
    // zero timeout still polls the accept once), and each has a moment to
    // begin the request it was opened for: a connection with no request
    // begun is closed at once by the graceful stop.
    while let Ok(Ok((stream, _))) = tokio::time::timeout(Duration::ZERO, listener.accept()).await {
        serve(stream);
    }
    drop(listener);
    tokio::time::sleep(SETTLE).await;
    // Requests in flight end within their time limit; a connection still
    // open after that is not waited for.
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(settings.timeout + GRACE) => {}
    }
}
