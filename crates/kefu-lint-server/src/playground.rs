//! The playground page at `/`: a reply box that calls `POST /v1/check` as
//! the agent types and underlines each finding. The page, its script and
//! its style sheet are embedded in the binary (no CDN, no external font:
//! it works offline inside a shop's network) and served with a strict
//! Content-Security-Policy: scripts, styles and requests from this origin
//! only, no inline script or style, no frames, no forms, no plugins.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// The policy every playground file is served with.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The files of the page: path, content type, content.
const ASSETS: [(&str, &str, &str); 4] = [
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("../assets/playground.html"),
    ),
    (
        "/playground.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/playground.js"),
    ),
    (
        "/playground.css",
        "text/css; charset=utf-8",
        include_str!("../assets/playground.css"),
    ),
    ("/favicon.svg", "image/svg+xml", include_str!("../assets/favicon.svg")),
];

/// `GET /` (the page), `GET /playground.js`, `GET /playground.css` and `GET /favicon.svg`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    ASSETS
        .iter()
        .fold(Router::new(), |router, &(path, content_type, content)| {
            router.route(path, get(move || async move { asset(content_type, content) }))
        })
}

/// One file with its content type and the page's security headers.
fn asset(content_type: &'static str, content: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        content,
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    async fn get_path(path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let request = Request::builder().uri(path).body(Body::empty()).expect("a request");
        let response = routes::<()>().oneshot(request).await.expect("an answer");
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20).await.expect("a body");
        (
            parts.status,
            parts.headers,
            String::from_utf8(body.to_vec()).expect("UTF-8"),
        )
    }

    #[tokio::test]
    async fn every_file_is_served_with_its_type_and_the_policy() {
        for (path, content_type, content) in ASSETS {
            let (status, headers, body) = get_path(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(headers[header::CONTENT_TYPE], content_type, "{path}");
            assert_eq!(
                headers[header::CONTENT_SECURITY_POLICY],
                CONTENT_SECURITY_POLICY,
                "{path}"
            );
            assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            assert_eq!(body, content, "{path}");
        }
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere_and_nothing_inline() {
        let page = ASSETS[0].2;
        for (_, _, content) in &ASSETS[..3] {
            assert!(!content.contains("http://") && !content.contains("https://") && !content.contains("//cdn"));
            assert!(
                !content.contains("@import") && !content.contains("url("),
                "no fonts or images fetched"
            );
        }
        // The policy allows no inline script, style or handler: the page has none.
        assert!(!page.contains("<style") && !page.contains(" style="));
        let handler = |word: &str| word.starts_with("on") && word.contains('=');
        assert!(!page.split_whitespace().any(handler), "no inline event handler");
        assert_eq!(page.matches("<script").count(), 1);
        for reference in [
            "src=\"/playground.js\"",
            "href=\"/playground.css\"",
            "href=\"/favicon.svg\"",
        ] {
            assert!(page.contains(reference), "{reference}");
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"));
    }

    #[test]
    fn the_script_never_writes_html() {
        let script = ASSETS[1].2;
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(!script.contains(sink), "{sink}");
        }
    }
}
