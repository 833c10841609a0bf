//! The booking page before its first step, and the "Schedule Later" confirmation.
use serde::{Deserialize, Serialize};

use super::{CourseSummary, TeacherCard};

/// What the booking page needs before the first step: the course, whether the student may
/// book it, and whom they can book with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingPage {
    pub course: CourseSummary,
    pub enrolled: bool,
    /// Active Student-Teachers of the course (empty when not enrolled).
    pub teachers: Vec<TeacherCard>,
    /// The Student-Teacher named by a `/book/{st_id}` link.
    pub preselected: Option<TeacherCard>,
    pub student_timezone: String,
    /// When rescheduling (`?reschedule=`): the session being moved.
    pub moving: Option<MovingSession>,
}

/// The student's session a reschedule moves: always with its own Student-Teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovingSession {
    pub session_id: i32,
    pub teacher: TeacherCard,
    /// Its time now, in the student's timezone.
    pub current: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleLaterConfirmation {
    pub course: CourseSummary,
}
