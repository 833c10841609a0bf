//! The one error type every server function answers with. Its `Display` is the text the page
//! shows, so messages the spec fixes are spelled here exactly once.
use http::StatusCode;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    NotAuthenticated,
    #[error("Incorrect email or password.")]
    InvalidCredentials,
    #[error("You must be enrolled to book.")]
    NotEnrolled,
    #[error("This page is only for students.")]
    NotAStudent,
    #[error("{0} not found.")]
    NotFound(Subject),
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
    #[error("This request did not come from this site.")]
    CrossSite,
    #[error("Too many login attempts. Wait a minute and try again.")]
    TooManyAttempts,
    /// The slot is taken, outside the tutor's hours, or too soon or too far ahead.
    #[error("This time is no longer available. Select another.")]
    SlotUnavailable,
    /// The student has another session overlapping the slot.
    #[error("You have another session at this time.")]
    StudentConflict,
    /// Arguments that did not decode: a wrong type, a missing field, a body not a form.
    #[error("This request was not understood ({0}).")]
    Malformed(String),
    #[error("Something went wrong. Please try again.")]
    Internal,
    /// The request never reached our code (network down, server restarting, bad encoding).
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport(String),
}

/// What a `NotFound` could not find, as the message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Course,
    StudentTeacher,
    Session,
    ScheduleLaterRequest,
    Page,
    ServerFunction,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Course => "Course",
            Self::StudentTeacher => "Student-Teacher",
            Self::Session => "Session",
            Self::ScheduleLaterRequest => "Schedule Later request",
            Self::Page => "Page",
            Self::ServerFunction => "Server function",
        })
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.to_owned(), message: message.into() }
    }

    /// The HTTP status that says whose fault it is: 4xx for the client's, 5xx only for ours.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::NotEnrolled | Self::NotAStudent | Self::CrossSite => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::SlotUnavailable | Self::StudentConflict => StatusCode::CONFLICT,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            // On the server, a request that never reached our code did not parse.
            Self::InvalidInput { .. } | Self::Malformed(_) | Self::Transport(_) => StatusCode::BAD_REQUEST,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `booking_failed` event's `error_type` (docs/booking-contract.md §2).
    pub fn booking_error_type(&self) -> &'static str {
        match self {
            Self::NotEnrolled => "not_enrolled",
            Self::SlotUnavailable => "slot_unavailable",
            Self::StudentConflict => "student_conflict",
            Self::InvalidInput { .. } | Self::Malformed(_) | Self::Transport(_) | Self::NotFound(_) => "invalid_input",
            _ => "booking_failed",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(problem) => Self::Malformed(problem),
            ServerFnErrorErr::MissingArg(name) => Self::Malformed(format!("{name} is missing")),
            // On the server, what fails to decode is the request (its body, or a body too long).
            ServerFnErrorErr::Deserialization(problem) if cfg!(feature = "ssr") => Self::Malformed(problem),
            ServerFnErrorErr::Registration(_) => Self::NotFound(Subject::ServerFunction),
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        // Details stay in the server log; the page gets a message a person can act on.
        tracing::error!(error = %err, "database error");
        Self::Internal
    }
}

/// An error answered outside a server function (a download, a middleware's refusal): its status
/// and its message as plain text.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status(), self.to_string()).into_response()
    }
}
