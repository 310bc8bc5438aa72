#![no_main]
//! The HTTP service's request decoders on any bytes: the first byte picks a
//! route, the rest is its body (or the `data` annotations, or the query),
//! sent through the whole axum `Router` of `kefu-lint serve` (built-in rules,
//! default limits) with `tower::ServiceExt::oneshot` on a current-thread
//! runtime. Property: no panic (libFuzzer aborts on one, even one the
//! router's catch-panic layer would answer with 500) and a 2xx or 4xx status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use percent_encoding::{NON_ALPHANUMERIC, percent_encode};
use tower::ServiceExt;

/// The runtime, built once per process; `enable_all` because the router's
/// time limit needs the timer and its checks run on the blocking pool.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
});

/// The service's router with the built-in rules and the default settings, built once.
static ROUTER: LazyLock<Router> =
    LazyLock::new(|| kefu_lint_server::router(&kefu_lint_server::Settings::default()).expect("the built-in router"));

/// The request the fuzz input stands for: route selector byte, then payload;
/// `None` for a query no URI can carry (hyper refuses such a request itself).
fn request(data: &[u8]) -> Option<Request<Body>> {
    let (&route, payload) = data.split_first().unwrap_or((&0, &[]));
    let (method, uri, content_type, body): (Method, String, &str, Vec<u8>) = match route % 5 {
        0 => (Method::POST, "/v1/check".into(), "application/json", payload.to_vec()),
        1 => (Method::POST, "/v1/fix".into(), "application/json", payload.to_vec()),
        2 => (
            Method::POST,
            "/v2/check".into(),
            "application/x-www-form-urlencoded",
            payload.to_vec(),
        ),
        3 => {
            // The payload as the `data` annotation JSON, properly form-encoded.
            let mut form = b"language=zh-CN&data=".to_vec();
            form.extend(percent_encode(payload, NON_ALPHANUMERIC).to_string().bytes());
            (
                Method::POST,
                "/v2/check".into(),
                "application/x-www-form-urlencoded",
                form,
            )
        }
        _ => {
            // The payload as a query string; bytes a URI cannot hold are escaped.
            let query: String = percent_encode(payload, QUERY_UNSAFE).to_string();
            (Method::GET, format!("/v2/check?{query}"), "text/plain", Vec::new())
        }
    };
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .ok()
}

/// Bytes escaped in a query: controls, space, non-ASCII and those a URI forbids
/// (`%`, `&`, `=` and `+` are kept, so the fuzzer reaches the form decoder's cases).
const QUERY_UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(request) = request(data) else { return };
    let response = RUNTIME
        .block_on(ROUTER.clone().oneshot(request))
        .expect("the router is infallible");
    let status = response.status();
    assert!(
        status.is_success() || status.is_client_error(),
        "status {status} for input {data:?}"
    );
    // The answer body is read whole, so that serialising it runs too.
    RUNTIME
        .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
        .expect("the answer body reads");
});
