//! The course page and the Student-Teacher profile.
use serde::{Deserialize, Serialize};

use super::{CourseSummary, TeacherCard};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub course: CourseSummary,
    pub description: String,
    pub enrolled: bool,
    pub teachers: Vec<TeacherCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// "Monday" … "Sunday"
    pub day: String,
    /// "17:00 – 21:00", in the Student-Teacher's own timezone.
    pub hours: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherProfile {
    pub card: TeacherCard,
    pub bio: String,
    pub course: CourseSummary,
    pub is_active: bool,
    pub weekly_hours: Vec<WeeklyHours>,
}
