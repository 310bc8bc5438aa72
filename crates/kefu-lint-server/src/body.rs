//! Request bodies: the content type checked (415), the size limit (413),
//! and malformed JSON or form data refused with the field at fault (400).

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::AppState;
use crate::error::ApiError;

/// A JSON body (`application/json`) read into `T`; errors name the field
/// at fault as a path (`replies[2]`, `mode`), or `body` when the JSON
/// itself is broken.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let read = read(request, state, "application/json").await?;
        let bytes = without_bom(&read);
        // UTF-16 has zero bytes in its ASCII characters; JSON text never has one.
        if bytes.contains(&0) || read.starts_with(b"\xFF\xFE") || read.starts_with(b"\xFE\xFF") {
            return Err(ApiError::field(
                "body",
                "the body is not UTF-8 (it has UTF-16's byte-order mark or zero bytes): send the JSON as UTF-8 (RFC 8259, 8.1)",
            ));
        }
        if bytes.trim_ascii_start().first().is_some_and(|&b| b != b'{') {
            return Err(ApiError::field(
                "body",
                "the body is a JSON object, such as {\"text\": \"…\"}",
            ));
        }
        // The path of the field at fault is tracked only to explain a body
        // already found wrong: tracking it costs every request.
        if let Ok(value) = serde_json::from_slice(bytes) {
            return Ok(JsonBody(value));
        }
        let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
        let value: T = serde_path_to_error::deserialize(&mut *deserializer).map_err(|e| {
            let message = explained(e.inner());
            ApiError::field(field_of(&e.path().to_string(), &message), message)
        })?;
        deserializer
            .end()
            .map_err(|e| ApiError::field("body", format!("{e} (after the JSON value)")))?;
        Ok(JsonBody(value))
    }
}

/// The pairs of an `application/x-www-form-urlencoded` body, in order.
#[derive(Debug)]
pub struct FormBody(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read(request, state, "application/x-www-form-urlencoded").await?;
        parse_form(without_bom(&bytes)).map(FormBody)
    }
}

/// `body` without a UTF-8 byte-order mark before it, which RFC 8259 (8.1)
/// lets a JSON parser pass over, and which a form's first name never holds.
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The pairs of form data (a body or a query string), `+` read as a
/// space and `%XX` decoded.
///
/// # Errors
/// 400 naming the field whose name or value is not UTF-8 once decoded
/// (`body` for a name), or a field given twice.
pub fn parse_form(bytes: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    let mut seen = HashSet::new();
    let mut pairs = Vec::new();
    for piece in bytes.split(|&b| b == b'&').filter(|piece| !piece.is_empty()) {
        let (key, value) = match piece.iter().position(|&b| b == b'=') {
            Some(at) => (&piece[..at], &piece[at + 1..]),
            None => (piece, &b""[..]),
        };
        let key = form_decoded(key).ok_or_else(|| ApiError::field("body", NOT_UTF8))?;
        let value = form_decoded(value).ok_or_else(|| ApiError::field(key.clone(), NOT_UTF8))?;
        if !seen.insert(key.clone()) {
            return Err(ApiError::field(key, "given twice: give each field once"));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Why percent-decoded form data is refused.
const NOT_UTF8: &str = "not UTF-8 once percent-decoded: send the text as UTF-8";

/// A form name or value decoded (`+` a space, `%XX` a byte); `None` unless UTF-8.
fn form_decoded(bytes: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = bytes.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
    String::from_utf8(percent_decode(&spaced).collect()).ok()
}

/// For `#[serde(default, deserialize_with = "not_null")]`: an optional
/// field that, when given, is a value (JSON `null` is refused, as the
/// OpenAPI document types it).
///
/// # Errors
/// The deserializer's, such as `invalid type: null, expected a string`.
pub fn not_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A JSON error in words for the API's callers: a lone UTF-16 surrogate
/// escape (as `JSON.stringify` writes half an emoji) said as such.
fn explained(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if message.contains("hex escape") || message.contains("surrogate") {
        return format!(
            "a \\uD800-\\uDFFF escape that is half a surrogate pair (half an emoji), at line {} column {}: send whole characters",
            error.line(),
            error.column()
        );
    }
    message
}

/// The answer to a body larger than the limit.
fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the body is larger than this server takes (--max-body-bytes)",
    )
}

/// Middleware: a request whose `Content-Length` is over the body limit is
/// answered 413 at once, before its body is read (and, with `Expect:
/// 100-continue`, without inviting it).
pub async fn declared_size(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = u64::try_from(state.limits.max_body_bytes).unwrap_or(u64::MAX);
    if declared.is_some_and(|n| n > limit) {
        return too_large().into_response();
    }
    next.run(request).await
}

/// The body of `request` once its content type is `expected` (parameters
/// such as `charset` aside).
async fn read<S: Send + Sync>(request: Request, state: &S, expected: &str) -> Result<Bytes, ApiError> {
    check_content_type(request.headers(), expected)?;
    Bytes::from_request(request, state).await.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(status, "unreadable_body", rejection.body_text())
        }
    })
}

/// 415 unless the `Content-Type` is `expected`, its `charset` (if given,
/// every one if given twice) is UTF-8, and the body is not compressed (a `Content-Encoding` other
/// than `identity`).
fn check_content_type(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()));
    if let Some(encoding) = encoding.filter(|e| !e.trim().eq_ignore_ascii_case("identity")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the body uncompressed, without Content-Encoding (not {encoding:?})"),
        ));
    }
    let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let essence = given.map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    if essence.as_deref() == Some(expected) {
        let other = given
            .into_iter()
            .flat_map(|v| v.split(';').skip(1))
            .filter_map(|p| p.split_once('='))
            .filter(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, value)| value.trim().trim_matches('"'))
            .find(|c| !c.eq_ignore_ascii_case("utf-8") && !c.eq_ignore_ascii_case("utf8"));
        return match other {
            Some(c) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send the body as UTF-8 (charset=utf-8): charset={c:?} is not read"),
            )),
            None => Ok(()),
        };
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!(
            "send the body as Content-Type: {expected}, not {}",
            given.map_or_else(|| "without a Content-Type".to_owned(), |g| format!("{g:?}"))
        ),
    ))
}

/// The field a deserialisation error is about: its path, or at the top
/// level (or where the JSON broke off, `?`) the field serde names
/// (`missing field `text``, `unknown field `txt``), else `body`.
fn field_of(path: &str, message: &str) -> String {
    if path != "." && !path.contains('?') {
        return path.to_owned();
    }
    ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix)?.split('`').next())
        .unwrap_or("body")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_the_path_or_the_name_serde_gives() {
        assert_eq!(field_of("replies[2]", "invalid type"), "replies[2]");
        assert_eq!(field_of(".", "missing field `text`"), "text");
        assert_eq!(field_of(".", "unknown field `txt`, expected one of `text`"), "txt");
        assert_eq!(field_of(".", "expected value at line 1 column 2"), "body");
        assert_eq!(field_of("?", "EOF while parsing an object"), "body");
    }

    #[test]
    fn content_types_are_compared_without_parameters() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            check_content_type(&headers, "application/json").map_err(|e| e.status),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        headers.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().expect("a header"),
        );
        assert_eq!(check_content_type(&headers, "application/json"), Ok(()));
        assert!(check_content_type(&headers, "application/x-www-form-urlencoded").is_err());
        for other in [
            "application/json; charset=gbk",
            "application/json;charset=\"Big5\"",
            "application/json; charset=utf-8; charset=gbk",
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, other.parse().expect("a header"));
            let refused = check_content_type(&headers, "application/json").expect_err(other);
            assert_eq!(refused.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
            assert!(refused.message.contains("UTF-8"), "{}", refused.message);
        }
        headers.insert(header::CONTENT_ENCODING, "gzip".parse().expect("a header"));
        assert_eq!(
            check_content_type(&headers, "application/json").map_err(|e| e.status),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        headers.insert(header::CONTENT_ENCODING, "Identity".parse().expect("a header"));
        assert_eq!(check_content_type(&headers, "application/json"), Ok(()));
    }
}
