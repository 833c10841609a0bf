//! The course page and the Student-Teacher profile.
use serde::{Deserialize, Serialize};

use super::{CourseSummary, TeacherCard};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub course: CourseSummary,
    pub description: String,
    pub enrolled: bool,
    /// The student's sessions of the course, once enrolled.
    pub allowance: Option<Allowance>,
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

/// A student's sessions in one course: those the enrollment includes, those used (booked, or
/// cancelled late), and those left; past them, a session costs the course's price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    pub included: i32,
    pub used: i32,
    pub left: i32,
}

impl Allowance {
    /// "3 of 8 included sessions left", and what comes after: "then $25.00 each".
    pub fn words(&self, price: Option<&str>) -> String {
        let left = format!("{} of {} included sessions left", self.left, self.included);
        match price {
            Some(price) if self.left == 0 => format!("{left} · {price} per session"),
            Some(price) => format!("{left}, then {price} each"),
            None => left,
        }
    }
}
