//! Whom a student may book: an active Student-Teacher of a course they are enrolled in, not
//! themself, read fresh (a transaction's); pages find them in the catalog (`Catalog::bookable_for`).
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{
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
