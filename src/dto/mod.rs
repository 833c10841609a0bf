//! The wire types: what server functions send to pages, the same on both targets. Plain
//! serde structs that know nothing of the database or the UI.
pub mod auth;
pub mod availability;
pub mod booking;
pub mod courses;
pub mod dashboard;
pub mod live;
pub mod schedule;
pub mod sessions;
pub mod settings;
pub mod teaching;
pub mod wizard;

use serde::{Deserialize, Serialize};

/// A `student_teachers` row: one person teaching one course. Not a user id (a person who
/// teaches two courses has two), so the two cannot be mixed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StId(pub i32);

impl std::fmt::Display for StId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Avatar {
    pub url: Option<String>,
    pub initials: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub timezone: String,
    pub avatar: Avatar,
    /// The account's own start page: `/dashboard` for a student, `/teach` for a Student-Teacher.
    pub home: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: i32,
    pub title: String,
    pub session_minutes: i32,
    pub sessions_included: i32,
    /// What a session beyond those included costs ("$25.00"); none: such sessions are free.
    pub session_price: Option<String>,
}

/// A Student-Teacher as a card shows them: one person teaching one course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherCard {
    pub st_id: StId,
    pub name: String,
    pub avatar: Avatar,
    pub timezone: String,
    pub students_taught: i32,
    pub rating: Option<f64>,
}
