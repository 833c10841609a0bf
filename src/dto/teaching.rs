//! A Student-Teacher's own page (`/teach`): whom they teach, and when.
use serde::{Deserialize, Serialize};

/// One session as its Student-Teacher sees it, in their own timezone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaughtSession {
    pub id: i32,
    pub course_title: String,
    pub student_name: String,
    pub date_label: String,
    pub time_label: String,
    /// The same time on the student's clock, when it differs.
    pub student_time: Option<String>,
    pub note: String,
    pub video_url: Option<String>,
    /// Begun already: it can no longer be cancelled.
    pub started: bool,
    /// Inside time off the Student-Teacher took after it was booked: theirs to cancel or keep.
    pub in_time_off: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Teaching {
    pub name: String,
    pub timezone_label: String,
    /// Not over yet (one under way first), soonest first.
    pub upcoming: Vec<TaughtSession>,
    /// The last four weeks, latest first.
    pub recent: Vec<TaughtSession>,
}
