//! Request bodies: the content type checked (415), the size limit (413),
//! and malformed JSON or form data refused with the field at fault (400).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body (`application/json`) read into `T`; errors name the field
/// at fault as a path (`replies[2]`, `mode`), or `body` when the JSON
/// itself is broken.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read(request, state, "application/json").await?;
        let deserializer = &mut serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut *deserializer).map_err(|e| {
            let message = e.inner().to_string();
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
        parse_form(&bytes).map(FormBody)
    }
}

/// The pairs of form data (a body or a query string); percent-decoded
/// bytes that are not UTF-8 are read as U+FFFD, as browsers read them.
///
/// # Errors
/// 400 naming `body` if the decoder refuses the data.
pub fn parse_form(bytes: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| ApiError::field("body", format!("malformed form data: {e}")))
}

/// The body of `request` once its content type is `expected` (parameters
/// such as `charset` aside).
async fn read<S: Send + Sync>(request: Request, state: &S, expected: &str) -> Result<Bytes, ApiError> {
    check_content_type(request.headers(), expected)?;
    Bytes::from_request(request, state).await.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                status,
                "payload_too_large",
                "the body is larger than this server takes (--max-body-bytes)",
            )
        } else {
            ApiError::new(status, "unreadable_body", rejection.body_text())
        }
    })
}

/// 415 unless the `Content-Type` is `expected`.
fn check_content_type(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let essence = given.map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    if essence.as_deref() == Some(expected) {
        return Ok(());
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
    }
}
