//! The student's dashboard.
use serde::{Deserialize, Serialize};

use super::CourseSummary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardCourse {
    pub course: CourseSummary,
    pub allowance: super::courses::Allowance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpcomingSession {
    pub id: i32,
    pub course_title: String,
    pub teacher_name: String,
    pub date_label: String,
    pub time_label: String,
    pub video_url: Option<String>,
    /// The wizard moving this session, while it can still move to another time.
    pub reschedule_url: Option<String>,
    /// Begun already: nothing can change.
    pub started: bool,
    /// Set when the Student-Teacher cancelled it.
    pub cancellation: Option<Cancellation>,
}

/// A cancel the student did not make themself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cancellation {
    /// Who cancelled: the Student-Teacher's name.
    pub by: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub course: CourseSummary,
    pub requested_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub student_name: String,
    pub timezone: String,
    pub courses: Vec<DashboardCourse>,
    pub upcoming: Vec<UpcomingSession>,
    pub requests: Vec<OpenRequest>,
}
