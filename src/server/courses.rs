//! The course page: the course, whether the student is enrolled, and its Student-Teachers.
use sea_orm::DatabaseConnection;

use super::{catalog::Catalog, enrollment::is_enrolled, presentation::course_summary};
use crate::{dto::courses::CoursePage, entities::user, error::AppError};

pub async fn course_page(
    db: &DatabaseConnection,
    catalog: &Catalog,
    student: &user::Model,
    course_id: i32,
) -> Result<CoursePage, AppError> {
    let entry = catalog.course(db, course_id).await?;
    Ok(CoursePage {
        enrolled: is_enrolled(db, student.id, course_id).await?,
        teachers: entry.teachers_for(student.id),
        description: entry.course.description.clone(),
        course: course_summary(&entry.course),
    })
}
