//! What `kefu-lint serve` is told: where to listen, which configuration,
//! which browser origins may call it, and its limits.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;

/// The server's settings; [`Settings::default`] gives every default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Address and port to listen on (port 0: any free port). Default
    /// `127.0.0.1:8080`: loopback, reachable from this machine only.
    pub bind: SocketAddr,
    /// The `kefu-lint.toml` to build the linter from; `None`: the built-in
    /// rules, all of them, in draft mode.
    pub config: Option<PathBuf>,
    /// Browser origins allowed to call the server (CORS), such as
    /// `https://console.example.com`. Empty (the default): no CORS headers,
    /// so browsers let no other origin's page read the answers.
    pub cors_origins: Vec<String>,
    /// Largest request body, bytes ([`DEFAULT_MAX_BODY_BYTES`]); a larger one gets 413.
    pub max_body_bytes: usize,
    /// Longest a request may take, body read included ([`DEFAULT_TIMEOUT`]); then 503.
    pub timeout: Duration,
    /// Most `replies` in one `POST /v1/check` ([`DEFAULT_MAX_REPLIES`]); more gets 400.
    pub max_replies: usize,
}

/// Default of [`Settings::max_body_bytes`]: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Default of [`Settings::timeout`]: 10 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`Settings::max_replies`]: 1000.
pub const DEFAULT_MAX_REPLIES: usize = 1000;
/// Default port of [`Settings::bind`].
pub const DEFAULT_PORT: u16 = 8080;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
            config: None,
            cors_origins: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeout: DEFAULT_TIMEOUT,
            max_replies: DEFAULT_MAX_REPLIES,
        }
    }
}

/// A CORS origin as a header value: `http://` or `https://`, a host and
/// an optional port, nothing after.
///
/// # Errors
/// What is wrong with `origin`.
pub fn cors_origin(origin: &str) -> Result<HeaderValue, String> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or("an origin starts with http:// or https://, such as https://console.example.com")?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ']) {
        return Err("an origin is a scheme, a host and an optional port, with no path and no wildcard".into());
    }
    if !origin.is_ascii() {
        return Err(
            "an origin is plain ASCII (a host in punycode, as browsers send it: https://xn--fsqu00a.com)".into(),
        );
    }
    HeaderValue::from_str(origin).map_err(|_| "an origin has no control characters".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port() {
        assert!(cors_origin("https://console.example.com").is_ok());
        assert!(cors_origin("http://localhost:3000").is_ok());
        assert!(cors_origin("*").is_err());
        assert!(cors_origin("https://example.com/path").is_err());
        assert!(cors_origin("example.com").is_err());
        assert!(cors_origin("https://例子.com").is_err());
    }
}
