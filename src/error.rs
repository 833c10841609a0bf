//! The one error type every server function answers with. Its `Display` is the text the page
//! shows, so messages the spec fixes are spelled here exactly once.
use leptos::server_fn::{codec::JsonEncoding, error::{FromServerFnError, ServerFnErrorErr}};
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
    NotFound(String),
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
    #[error("This request did not come from this site.")]
    CrossSite,
    #[error("Too many login attempts. Wait a minute and try again.")]
    TooManyAttempts,
    #[error("Something went wrong. Please try again.")]
    Internal,
    /// The request never reached our code (network down, server restarting, bad encoding).
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::InvalidInput { field: field.to_owned(), message: message.into() }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
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
