//! The course page: the course, whether the student is enrolled, and its Student-Teachers.
use sea_orm::DatabaseConnection;

use super::{allowance::allowance, catalog::Catalog, enrollment::is_enrolled, presentation::course_summary};
use crate::{dto::courses::CoursePage, entities::user, error::AppError};

pub async fn course_page(
    db: &DatabaseConnection,
    catalog: &Catalog,
    student: &user::Model,
    course_id: i32,
) -> Result<CoursePage, AppError> {
    let entry = catalog.course(db, course_id).await?;
    let enrolled = is_enrolled(db, student.id, course_id).await?;
    let allowance = if enrolled { Some(allowance(db, student.id, &entry.course).await?) } else { None };
    Ok(CoursePage {
        enrolled,
        allowance,
        teachers: entry.teachers_for(student.id),
        description: entry.course.description.clone(),
        course: course_summary(&entry.course),
    })
}
