//! What a login form may send, and the failures a reloaded login page can show.
use crate::error::AppError;

/// Longest email address (RFC 5321's limit for a path) and password accepted: anything longer
/// is refused before any work, so a megabyte "password" costs nothing to hash.
pub const MAX_EMAIL_CHARS: usize = 254;

pub const MAX_PASSWORD_CHARS: usize = 1024;

/// The login failures a page reload can show, as they travel in `/login?error=`.
pub struct LoginFailure;

impl LoginFailure {
    const CASES: [(&'static str, AppError); 2] = [("credentials", AppError::InvalidCredentials), ("attempts", AppError::TooManyAttempts)];

    pub fn code_of(error: &AppError) -> Option<&'static str> {
        Self::CASES.iter().find(|(_, e)| e == error).map(|(code, _)| *code)
    }

    pub fn from_code(code: &str) -> Option<AppError> {
        Self::CASES.iter().find(|(c, _)| *c == code).map(|(_, e)| e.clone())
    }
}
