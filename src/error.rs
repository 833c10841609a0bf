//! The one error type every server function answers with. Its `Display` is the text the page
//! shows, so messages the spec fixes are spelled here exactly once.
use http::StatusCode;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// The two refusals the islands show on their own, as constants: naming them through
/// `AppError`'s `Display` would bring every message into the browser bundle.
pub const SLOT_UNAVAILABLE: &str = "This time is no longer available. Select another.";
pub const STUDENT_CONFLICT: &str = "You have another session at this time.";

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
    /// Weekly hours that cannot be saved, naming the day and the range.
    #[error("{0}")]
    Hours(HoursProblem),
    #[error("This request did not come from this site.")]
    CrossSite,
    #[error("Too many login attempts. Wait a minute and try again.")]
    TooManyAttempts,
    /// The slot is taken, outside the tutor's hours, or too soon or too far ahead.
    #[error("{}", SLOT_UNAVAILABLE)]
    SlotUnavailable,
    /// The student has another session overlapping the slot.
    #[error("{}", STUDENT_CONFLICT)]
    StudentConflict,
    /// A change to a session that has been cancelled.
    #[error("This session has been cancelled, so it can no longer be changed.")]
    AlreadyCancelled,
    /// A change to a session that has begun (or is over).
    #[error("This session has already started, so it can no longer be changed.")]
    AlreadyStarted,
    /// A change to a session whose payment never went through (or has not yet).
    #[error("This session's payment is not complete, so it cannot be changed.")]
    NotPaid,
    /// The student holds `booking.max_upcoming_sessions` sessions still ahead.
    #[error("You have as many upcoming sessions as you can book. Book again once one has taken place, or cancel one.")]
    TooManyUpcoming,
    /// Paying for a session whose hold has ended.
    #[error("The time held for your payment has run out. Choose a time again.")]
    HoldExpired,
    /// The card was refused; the session's time is released.
    #[error("Your card was declined, so the session is not booked. Choose a time again and try another card.")]
    CardDeclined,
    /// The session needs payment and this server takes none (no Stripe key), or Stripe failed.
    #[error("Payment is not available right now.")]
    PaymentUnavailable,
    /// Arguments that did not decode: a wrong type, a missing field, a body not a form.
    #[error("This request was not understood ({0}).")]
    Malformed(String),
    #[error("Something went wrong. Please try again.")]
    Internal,
    /// The request never reached our code (network down, server restarting, bad encoding).
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport(String),
}

/// Why a Student-Teacher's weekly hours were refused. Days are ISO (1 = Monday), times are
/// minutes after midnight (1440 is `24:00`), so that the message can name the range and a URL
/// can carry it without carrying words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoursProblem {
    /// Not written as ranges of times.
    Unreadable { day: u8 },
    /// A range that does not end after it starts.
    Empty { day: u8, range: (u16, u16) },
    /// Two ranges of one day that share time.
    Overlap { day: u8, first: (u16, u16), second: (u16, u16) },
}

/// ISO weekdays by number, 1 = Monday.
pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl HoursProblem {
    pub fn day(&self) -> u8 {
        match *self {
            Self::Unreadable { day } | Self::Empty { day, .. } | Self::Overlap { day, .. } => day,
        }
    }

    fn day_name(&self) -> &'static str {
        WEEKDAYS.get(usize::from(self.day()).wrapping_sub(1)).copied().unwrap_or("That day")
    }

    /// The numbers a URL code carries: the day, then each range's two ends.
    fn numbers(&self) -> Vec<u16> {
        let day = u16::from(self.day());
        match *self {
            Self::Unreadable { .. } => vec![day],
            Self::Empty { range, .. } => vec![day, range.0, range.1],
            Self::Overlap { first, second, .. } => vec![day, first.0, first.1, second.0, second.1],
        }
    }

    fn from_numbers(kind: &str, n: &[u16]) -> Option<Self> {
        let day = u8::try_from(*n.first()?).ok().filter(|d| (1..=7).contains(d))?;
        let ok = |m: u16| (m <= 1440).then_some(m);
        match (kind, n) {
            ("unreadable", [_]) => Some(Self::Unreadable { day }),
            ("empty", [_, a, b]) => Some(Self::Empty { day, range: (ok(*a)?, ok(*b)?) }),
            ("overlap", [_, a, b, c, d]) => Some(Self::Overlap { day, first: (ok(*a)?, ok(*b)?), second: (ok(*c)?, ok(*d)?) }),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "unreadable",
            Self::Empty { .. } => "empty",
            Self::Overlap { .. } => "overlap",
        }
    }
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn range_text((start, end): (u16, u16)) -> String {
    format!("{}–{}", clock(start), clock(end))
}

impl std::fmt::Display for HoursProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let day = self.day_name();
        match *self {
            Self::Unreadable { .. } => write!(f, "{day}: write hours as ranges such as 09:00–12:00, separated by commas."),
            Self::Empty { range, .. } => write!(f, "{day} {} is empty: a range must end after it starts.", range_text(range)),
            Self::Overlap { first, second, .. } => {
                write!(f, "{day} {} overlaps {}: join them into one range or move one.", range_text(first), range_text(second))
            }
        }
    }
}

/// What a `NotFound` could not find, as the message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Course,
    StudentTeacher,
    Session,
    ScheduleLaterRequest,
    ServerFunction,
    TimeOff,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Course => "Course",
            Self::StudentTeacher => "Student-Teacher",
            Self::Session => "Session",
            Self::ScheduleLaterRequest => "Schedule Later request",
            Self::ServerFunction => "Server function",
            Self::TimeOff => "Time off",
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
            Self::SlotUnavailable
            | Self::StudentConflict
            | Self::AlreadyCancelled
            | Self::AlreadyStarted
            | Self::NotPaid
            | Self::TooManyUpcoming
            | Self::HoldExpired => StatusCode::CONFLICT,
            Self::CardDeclined => StatusCode::PAYMENT_REQUIRED,
            Self::PaymentUnavailable => StatusCode::PAYMENT_REQUIRED,
            Self::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            // On the server, a request that never reached our code did not parse.
            Self::InvalidInput { .. } | Self::Hours(_) | Self::Malformed(_) | Self::Transport(_) => StatusCode::BAD_REQUEST,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `booking_failed` event's `error_type` (docs/booking-contract.md §2).
    pub fn booking_error_type(&self) -> &'static str {
        match self {
            Self::NotEnrolled => "not_enrolled",
            Self::SlotUnavailable => "slot_unavailable",
            Self::StudentConflict => "student_conflict",
            Self::TooManyUpcoming => "too_many_upcoming",
            Self::PaymentUnavailable => "payment_unavailable",
            Self::InvalidInput { .. } | Self::Malformed(_) | Self::Transport(_) | Self::NotFound(_) => "invalid_input",
            _ => "booking_failed",
        }
    }
}

/// The refusals of a single field the app makes, exactly as it words them: what an error's
/// code in a URL can stand for (`AppError::url_code`). A test keeps it in step with the code.
const FIELD_REFUSALS: [(&str, &str); 27] = [
    ("course_id", "Choose a course to book."),
    ("date", "Expected a date such as 2026-12-01."),
    ("email", "Enter a valid email address."),
    ("email", "Enter your email address."),
    ("end", "Expected a time such as 09:00."),
    ("end", "Give both times to keep some hours, or neither to take the whole day off."),
    ("end", "Hours kept on a day off are for one date: make the first and last dates the same."),
    ("end", "The end time must be after the start time."),
    ("from", "Expected a date such as 2026-12-01."),
    ("from", "Time off cannot start in the past."),
    ("idempotency_key", "Expected 8 to 64 visible ASCII characters."),
    ("month", "Expected a month such as 2026-12."),
    ("note", "A note can be at most 1000 characters."),
    ("note", "A note cannot contain control characters."),
    ("page", "Expected a booking page such as /courses/1/book."),
    ("password", "Enter your password."),
    ("reason", "A reason can be at most 500 characters."),
    ("reason", "A reason cannot contain control characters."),
    ("st_id", "You cannot book a session with yourself."),
    ("start", "Choose a time other than the session's current one."),
    ("start", "Expected a start time such as 2026-12-01T14:00:00Z."),
    ("start", "Expected a time such as 09:00."),
    ("timezone", "Choose a timezone from the list."),
    ("to", "Expected a date such as 2026-12-01."),
    ("to", "One entry of time off can last at most a year."),
    ("to", "The last day off cannot be before the first."),
    ("token", "Enter your card details."),
];

/// What a field refusal whose words are not in [`FIELD_REFUSALS`] says after a round trip.
const CHECK_THE_FIELD: &str = "Check this value and try again.";

const SUBJECTS: [Subject; 6] =
    [Subject::Course, Subject::StudentTeacher, Subject::Session, Subject::ScheduleLaterRequest, Subject::ServerFunction, Subject::TimeOff];

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
            Self::Hours(problem) => {
                let numbers: Vec<String> = problem.numbers().iter().map(u16::to_string).collect();
                format!("hours.{}.{}", problem.kind(), numbers.join("."))
            }
            Self::CrossSite => "cross_site".into(),
            Self::TooManyAttempts => "attempts".into(),
            Self::SlotUnavailable => "slot_unavailable".into(),
            Self::StudentConflict => "student_conflict".into(),
            Self::AlreadyCancelled => "already_cancelled".into(),
            Self::AlreadyStarted => "already_started".into(),
            Self::NotPaid => "not_paid".into(),
            Self::TooManyUpcoming => "too_many_upcoming".into(),
            Self::PaymentUnavailable => "payment_unavailable".into(),
            Self::HoldExpired => "hold_expired".into(),
            Self::CardDeclined => "card_declined".into(),
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
            "not_paid" => Self::NotPaid,
            "too_many_upcoming" => Self::TooManyUpcoming,
            "payment_unavailable" => Self::PaymentUnavailable,
            "hold_expired" => Self::HoldExpired,
            "card_declined" => Self::CardDeclined,
            "malformed" => Self::Malformed("a field was missing or of the wrong kind".into()),
            "internal" => Self::Internal,
            "transport" => Self::Transport(String::new()),
            _ => {
                let (kind, arg) = code.split_once('.')?;
                if kind == "hours" {
                    let (problem, numbers) = arg.split_once('.')?;
                    let numbers: Vec<u16> = numbers.split('.').map(str::parse).collect::<Result<_, _>>().ok()?;
                    return HoursProblem::from_numbers(problem, &numbers).map(Self::Hours);
                }
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
    fn an_hours_refusal_names_the_day_and_the_ranges() {
        let overlap = AppError::Hours(HoursProblem::Overlap { day: 1, first: (540, 720), second: (660, 1440) });
        assert_eq!(overlap.to_string(), "Monday 09:00–12:00 overlaps 11:00–24:00: join them into one range or move one.");
        let empty = AppError::Hours(HoursProblem::Empty { day: 5, range: (600, 600) });
        assert_eq!(empty.to_string(), "Friday 10:00–10:00 is empty: a range must end after it starts.");
    }

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
            AppError::NotPaid,
            AppError::TooManyUpcoming,
            AppError::PaymentUnavailable,
            AppError::HoldExpired,
            AppError::CardDeclined,
            AppError::Internal,
            AppError::NotFound(Subject::StudentTeacher),
            AppError::invalid("timezone", "Choose a timezone from the list."),
            AppError::NotFound(Subject::TimeOff),
            AppError::Hours(HoursProblem::Unreadable { day: 7 }),
            AppError::Hours(HoursProblem::Empty { day: 1, range: (720, 540) }),
            AppError::Hours(HoursProblem::Overlap { day: 3, first: (540, 720), second: (660, 1440) }),
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
        for made_up in [
            "",
            "invalid.99",
            "not_found.x",
            "field.anything",
            "Call +1 555 0100",
            "invalid",
            "hours.empty.8.1.2",
            "hours.overlap.1.2",
            "hours.empty.1.0.9999",
        ] {
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
