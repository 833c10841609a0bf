//! Whom a student may book: an active Student-Teacher of a course they are enrolled in, not
//! themself; and, when rescheduling, the same one as the session being moved.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};

use super::{
    catalog::Catalog,
    change_rules::movable,
    enrollment::require_enrolled,
    presentation::teacher_card,
    queries::{find_course, teacher_of_another},
};
use crate::{
    dto::{StId, TeacherCard},
    entities::{course, session, student_teacher, user},
    error::{AppError, Subject},
};

/// A Student-Teacher the student may book: active, in a course the student is enrolled in.
pub struct Bookable {
    pub st: student_teacher::Model,
    pub teacher: user::Model,
    pub course: course::Model,
    /// The student's session being rescheduled with them, left out of both people's busy times.
    pub moving: Option<session::Model>,
}

impl Bookable {
    pub fn st_id(&self) -> StId {
        StId(self.st.id)
    }

    pub fn card(&self) -> TeacherCard {
        teacher_card(&self.st, &self.teacher)
    }

    pub fn moving_id(&self) -> Option<i32> {
        self.moving.as_ref().map(|s| s.id)
    }
}

pub async fn bookable(db: &impl ConnectionTrait, student: &user::Model, st_id: StId) -> Result<Bookable, AppError> {
    let st = teacher_of_another(db, student, st_id).await?;
    require_enrolled(db, student, st.course_id).await?;
    let teacher = user::Entity::find_by_id(st.user_id).one(db).await?.ok_or(AppError::NotFound(Subject::StudentTeacher))?;
    let course = find_course(db, st.course_id).await?;
    Ok(Bookable { st, teacher, course, moving: None })
}

/// The Student-Teacher to book with, as pages show them (from the catalog), or, when
/// `reschedule` names one of the student's sessions, the same one as that session's, with the
/// session to be moved.
pub async fn bookable_for(
    db: &DatabaseConnection,
    catalog: &Catalog,
    student: &user::Model,
    st_id: StId,
    reschedule: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Bookable, AppError> {
    let b = catalog.bookable(db, student, st_id).await?;
    let Some(session_id) = reschedule else { return Ok(b) };
    let moving = movable(db, student, session_id, now).await?;
    if moving.teacher_id != b.teacher.id || moving.course_id != b.course.id {
        return Err(AppError::NotFound(Subject::Session));
    }
    Ok(Bookable { moving: Some(moving), ..b })
}
