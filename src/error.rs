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
    #[error("This page is only for Student-Teachers.")]
    NotAStudentTeacher,
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
    /// A change to a session that has been cancelled.
    #[error("This session has been cancelled, so it can no longer be changed.")]
    AlreadyCancelled,
    /// A change to a session that has begun (or is over).
    #[error("This session has already started, so it can no longer be changed.")]
    AlreadyStarted,
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
    ServerFunction,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Course => "Course",
            Self::StudentTeacher => "Student-Teacher",
            Self::Session => "Session",
            Self::ScheduleLaterRequest => "Schedule Later request",
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
            Self::NotEnrolled | Self::NotAStudent | Self::NotAStudentTeacher | Self::CrossSite => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::SlotUnavailable | Self::StudentConflict | Self::AlreadyCancelled | Self::AlreadyStarted => StatusCode::CONFLICT,
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

/// The refusals of a single field the app makes, exactly as it words them: what an error's
/// code in a URL can stand for (`AppError::url_code`). A test keeps it in step with the code.
const FIELD_REFUSALS: [(&str, &str); 16] = [
    ("course_id", "Choose a course to book."),
    ("date", "Expected a date such as 2026-12-01."),
    ("email", "Enter a valid email address."),
    ("email", "Enter your email address."),
    ("idempotency_key", "Expected 8 to 64 visible ASCII characters."),
    ("month", "Expected a month such as 2026-12."),
    ("note", "A note cannot contain control characters."),
    ("note", "A note can be at most 1000 characters."),
    ("page", "Expected a booking page such as /courses/1/book."),
    ("password", "Enter your password."),
    ("reason", "A reason cannot contain control characters."),
    ("reason", "A reason can be at most 500 characters."),
    ("st_id", "You cannot book a session with yourself."),
    ("start", "Choose a time other than the session's current one."),
    ("start", "Expected a start time such as 2026-12-01T14:00:00Z."),
    ("timezone", "Choose a timezone from the list."),
];

/// What a field refusal whose words are not in [`FIELD_REFUSALS`] says after a round trip.
const CHECK_THE_FIELD: &str = "Check this value and try again.";

const SUBJECTS: [Subject; 5] =
    [Subject::Course, Subject::StudentTeacher, Subject::Session, Subject::ScheduleLaterRequest, Subject::ServerFunction];

impl AppError {
    /// A short code for this error in a URL (a form posted without JavaScript comes back to its
    /// page with it). Codes stand for fixed texts only, so a link someone else made can show
    /// nothing but the app's own messages.
    pub fn url_code(&self) -> String {
        match self {
            Self::NotAuthenticated => "login".into(),
            Self::InvalidCredentials => "credentials".into(),
            Self::NotEnrolled => "not_enrolled".into(),
            Self::NotAStudent => "not_a_student".into(),
            Self::NotAStudentTeacher => "not_a_student_teacher".into(),
            Self::NotFound(subject) => format!("not_found.{}", SUBJECTS.iter().position(|s| s == subject).unwrap_or_default()),
            Self::InvalidInput { field, message } => match FIELD_REFUSALS.iter().position(|(f, m)| f == field && m == message) {
                Some(index) => format!("invalid.{index}"),
                None => match FIELD_REFUSALS.iter().find(|(f, _)| f == field) {
                    Some((known, _)) => format!("field.{known}"),
                    None => "malformed".into(),
                },
            },
            Self::CrossSite => "cross_site".into(),
            Self::TooManyAttempts => "attempts".into(),
            Self::SlotUnavailable => "slot_unavailable".into(),
            Self::StudentConflict => "student_conflict".into(),
            Self::AlreadyCancelled => "already_cancelled".into(),
            Self::AlreadyStarted => "already_started".into(),
            Self::Malformed(_) => "malformed".into(),
            Self::Internal => "internal".into(),
            Self::Transport(_) => "transport".into(),
        }
    }

    /// The error a URL's code stands for; `None` for a code the app never makes.
    pub fn from_url_code(code: &str) -> Option<Self> {
        let fixed = match code {
            "login" => Self::NotAuthenticated,
            "credentials" => Self::InvalidCredentials,
            "not_enrolled" => Self::NotEnrolled,
            "not_a_student" => Self::NotAStudent,
            "not_a_student_teacher" => Self::NotAStudentTeacher,
            "cross_site" => Self::CrossSite,
            "attempts" => Self::TooManyAttempts,
            "slot_unavailable" => Self::SlotUnavailable,
            "student_conflict" => Self::StudentConflict,
            "already_cancelled" => Self::AlreadyCancelled,
            "already_started" => Self::AlreadyStarted,
            "malformed" => Self::Malformed("a field was missing or of the wrong kind".into()),
            "internal" => Self::Internal,
            "transport" => Self::Transport(String::new()),
            _ => {
                let (kind, arg) = code.split_once('.')?;
                return match kind {
                    "not_found" => SUBJECTS.get(arg.parse::<usize>().ok()?).map(|s| Self::NotFound(*s)),
                    "invalid" => FIELD_REFUSALS.get(arg.parse::<usize>().ok()?).map(|(f, m)| Self::invalid(f, *m)),
                    "field" => FIELD_REFUSALS.iter().find(|(f, _)| *f == arg).map(|(f, _)| Self::invalid(f, CHECK_THE_FIELD)),
                    _ => None,
                };
            }
        };
        Some(fixed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_survives_its_url_code_and_free_text_does_not() {
        let fixed = [
            AppError::NotAuthenticated,
            AppError::InvalidCredentials,
            AppError::NotEnrolled,
            AppError::NotAStudent,
            AppError::NotAStudentTeacher,
            AppError::CrossSite,
            AppError::TooManyAttempts,
            AppError::SlotUnavailable,
            AppError::StudentConflict,
            AppError::AlreadyCancelled,
            AppError::AlreadyStarted,
            AppError::Internal,
            AppError::NotFound(Subject::StudentTeacher),
            AppError::invalid("timezone", "Choose a timezone from the list."),
        ];
        for error in fixed {
            assert_eq!(AppError::from_url_code(&error.url_code()), Some(error.clone()), "{error:?}");
        }
        // Words the app did not write come back as its own.
        let spoof = AppError::invalid("note", "Your account is locked: call +1 555 0100");
        assert_eq!(AppError::from_url_code(&spoof.url_code()), Some(AppError::invalid("note", CHECK_THE_FIELD)));
        let spoof = AppError::invalid("Call us", "now");
        assert!(matches!(AppError::from_url_code(&spoof.url_code()), Some(AppError::Malformed(_))));
        let spoof = AppError::Malformed("Your account is locked".into());
        assert!(!AppError::from_url_code(&spoof.url_code()).unwrap().to_string().contains("locked"));
        for made_up in ["", "invalid.99", "not_found.x", "field.anything", "Call +1 555 0100", "invalid"] {
            assert_eq!(AppError::from_url_code(made_up), None, "{made_up}");
        }
    }

    /// Each literal `AppError::invalid(field, message)` in the source is one of the refusals a
    /// URL code can name.
    #[test]
    fn the_field_refusals_are_the_ones_the_code_makes() {
        let mut found = 0;
        for path in source_files(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))) {
            let text = std::fs::read_to_string(&path).unwrap();
            for call in text.split("AppError::invalid(\"").skip(1) {
                // A literal field and message: `field", "message")`; a formatted message is not one.
                let field_len = call.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(call.len());
                let (field, rest) = call.split_at(field_len);
                let Some(rest) = rest.strip_prefix("\", \"") else { continue };
                let Some((message, _)) = rest.split_once("\")") else { continue };
                found += 1;
                assert!(
                    FIELD_REFUSALS.contains(&(field, message)),
                    "{}: ({field:?}, {message:?}) missing from FIELD_REFUSALS",
                    path.display()
                );
            }
        }
        assert!(found >= 10, "the scan found the refusals ({found})");
    }

    fn source_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(source_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("error.rs") {
                files.push(path);
            }
        }
        files
    }
}
