//! What `kefu-lint serve` is told: where to listen, which configuration,
//! which browser origins may call it, and its limits.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use axum::http::uri::Authority;

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
    /// A connection that has not sent a whole request header within this
    /// time of opening (or of its previous answer) is closed.
    pub timeout: Duration,
    /// Most `replies` in one `POST /v1/check` ([`DEFAULT_MAX_REPLIES`]); more gets 400.
    pub max_replies: usize,
    /// Most findings one request is answered with, all its replies together
    /// ([`DEFAULT_MAX_FINDINGS`]), a finding whose fix has several edits
    /// counting once per edit; past that the answer lists those that fit,
    /// in order, and says `truncated` (counts still count them all).
    pub max_findings: usize,
    /// Most connections open at once ([`DEFAULT_MAX_CONNECTIONS`]); one more
    /// is closed as soon as it is accepted.
    pub max_connections: usize,
}

/// Default of [`Settings::max_body_bytes`]: 1 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Default of [`Settings::timeout`]: 10 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`Settings::max_replies`]: 1000.
pub const DEFAULT_MAX_REPLIES: usize = 1000;
/// Default of [`Settings::max_findings`]: 1000.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;
/// Default of [`Settings::max_connections`]: 512, half the usual limit of 1024 open files.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
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
            max_findings: DEFAULT_MAX_FINDINGS,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// A CORS origin as the header value a browser sends for it: `http://` or
/// `https://`, a host and an optional port, nothing after; scheme and host
/// in lower case and the scheme's default port left out
/// (`https://Console.Example.com:443` is `https://console.example.com`).
///
/// # Errors
/// What is wrong with `origin`: another scheme, a path, user info, a
/// wildcard, a port that is empty, zero or over 65535, a host not in ASCII.
pub fn cors_origin(origin: &str) -> Result<HeaderValue, String> {
    let (scheme, rest) = origin
        .split_once("://")
        .ok_or("an origin starts with http:// or https://, such as https://console.example.com")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return Err("an origin starts with http:// or https://, such as https://console.example.com".into()),
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ']) {
        return Err("an origin is a scheme, a host and an optional port, with no path and no wildcard".into());
    }
    if rest.contains('@') {
        return Err("an origin has no user name or password".into());
    }
    if !rest.is_ascii() {
        return Err(
            "an origin is plain ASCII (a host in punycode, as browsers send it: https://xn--fsqu00a.com)".into(),
        );
    }
    let authority: Authority = rest.parse().map_err(|_| "the host and port are not valid".to_owned())?;
    let host = authority.host().to_ascii_lowercase();
    let port = if authority.as_str().len() > authority.host().len() {
        match authority.port_u16() {
            Some(0) | None => return Err("the port is a number from 1 to 65535".into()),
            Some(port) if port == default_port => None,
            Some(port) => Some(port),
        }
    } else {
        None
    };
    let normal = match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    HeaderValue::from_str(&normal).map_err(|_| "an origin has no control characters".into())
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
        for bad in [
            "http://a.com:99999",
            "https://user@a.com",
            "https://a.com:",
            "https://a.com:0",
            "ftp://a.com",
        ] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
        let normal = |origin: &str| cors_origin(origin).map(|v| v.to_str().map(str::to_owned).ok());
        assert_eq!(
            normal("https://Console.Example.com"),
            Ok(Some("https://console.example.com".into()))
        );
        assert_eq!(normal("HTTPS://b.com:443"), Ok(Some("https://b.com".into())));
        assert_eq!(normal("http://b.com:80"), Ok(Some("http://b.com".into())));
        assert_eq!(normal("http://[::1]:3000"), Ok(Some("http://[::1]:3000".into())));
    }
}
