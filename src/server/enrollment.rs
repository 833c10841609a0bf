//! Who is enrolled in what: the check every booking action makes, and enrolling.
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{db::ignore_duplicate, queries::find_course};
use crate::{
    entities::{course, enrollment, user},
    error::AppError,
};

pub async fn is_enrolled(db: &impl ConnectionTrait, student_id: i32, course_id: i32) -> Result<bool, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(student_id))
        .filter(enrollment::Column::CourseId.eq(course_id))
        .one(db)
        .await?
        .is_some())
}

/// The course, if the student is enrolled in it; else `NotEnrolled`.
pub async fn enrolled_course(db: &impl ConnectionTrait, student: &user::Model, course_id: i32) -> Result<course::Model, AppError> {
    let course = find_course(db, course_id).await?;
    require_enrolled(db, student, course_id).await?;
    Ok(course)
}

/// `NotEnrolled` unless the student is enrolled in the course.
pub async fn require_enrolled(db: &impl ConnectionTrait, student: &user::Model, course_id: i32) -> Result<(), AppError> {
    if is_enrolled(db, student.id, course_id).await? {
        Ok(())
    } else {
        Err(AppError::NotEnrolled)
    }
}

/// Enrolls the student in an existing course; again, or twice at once, is harmless (the unique
/// index on student and course decides).
pub async fn enroll(
    db: &impl ConnectionTrait,
    student: &user::Model,
    course_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    find_course(db, course_id).await?;
    let row =
        enrollment::ActiveModel { student_id: Set(student.id), course_id: Set(course_id), created_at: Set(now), ..Default::default() };
    ignore_duplicate(row.insert(db).await)?;
    Ok(())
}
