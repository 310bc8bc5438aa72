//! The one shape of every error answer, of both APIs:
//! `{"error": {"status": 400, "code": "invalid_field", "field": "replies[1]", "message": "…"}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer: its status, a stable code, the request field at fault
/// (when there is one) and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code, such as `invalid_field`.
    pub code: &'static str,
    /// The request field at fault, as a path (`replies[1]`, `select`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    status: u16,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: &'a str,
}

impl ApiError {
    /// A 400 answer naming `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_field",
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// An answer with no field at fault.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            field: None,
            message: message.into(),
        }
    }

    /// 404: no such path (or rule).
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 500: a bug of the server (a panic caught, a task lost); never a request's fault.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed on this request (a bug); it keeps running",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                status: self.status.as_u16(),
                code: self.code,
                field: self.field.as_deref(),
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// The fallback of unknown paths: 404 as JSON.
pub async fn no_such_path() -> ApiError {
    ApiError::not_found("no such path; GET /openapi.json lists them")
}

/// The fallback of known paths asked with another method: 405 as JSON.
pub async fn no_such_method() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not answer this method; GET /openapi.json lists what it answers",
    )
}
