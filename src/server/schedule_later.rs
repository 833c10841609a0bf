//! "Schedule Later": a student asks for a session in a course without choosing a
//! Student-Teacher or a time now.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::{
    analytics::{Analytics, Event},
    db::ignore_duplicate,
    enrollment::enrolled_course,
    presentation::course_summary,
    queries::{find_course, open_request},
};
use crate::{
    dto::booking::ScheduleLaterConfirmation,
    entities::{schedule_later_request as request, user, RequestStatus},
    error::{AppError, Subject},
};

/// Records the request and its `schedule_later` event. Posting it twice, even at once, keeps
/// one open request.
pub async fn request_later(
    db: &DatabaseConnection,
    analytics: &Analytics,
    student: &user::Model,
    course_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    enrolled_course(db, student, course_id).await?;
    // No check first: the partial unique index on open requests decides, so two posts at once
    // cannot both insert, and the one that loses has still got what it asked for.
    let row = request::ActiveModel {
        student_id: Set(student.id),
        course_id: Set(course_id),
        status: Set(RequestStatus::Open),
        created_at: Set(now),
        ..Default::default()
    };
    ignore_duplicate(row.insert(db).await)?;
    analytics.record(Some(student.id), Event::ScheduleLater { course_id }, now);
    Ok(())
}

/// The confirmation screen, shown only when the request exists.
pub async fn confirmation(db: &DatabaseConnection, student: &user::Model, course_id: i32) -> Result<ScheduleLaterConfirmation, AppError> {
    let course = find_course(db, course_id).await?;
    open_request(db, student.id, course_id).await?.ok_or(AppError::NotFound(Subject::ScheduleLaterRequest))?;
    Ok(ScheduleLaterConfirmation { course: course_summary(&course) })
}
