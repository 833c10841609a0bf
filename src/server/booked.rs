//! A booked session as its own student sees it: the confirmation screen and the `.ics` file.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{calendar_file::CalendarEntry, presentation::session_summary, queries::find_course, timezones::parse_timezone};
use crate::{
    dto::wizard::BookedView,
    entities::{course, session, user},
    error::{AppError, Subject},
};

/// A session with its tutor and course, found only for its own student.
async fn own_session(
    db: &impl ConnectionTrait,
    student: &user::Model,
    session_id: i32,
) -> Result<(session::Model, user::Model, course::Model), AppError> {
    let not_found = || AppError::NotFound(Subject::Session);
    let s = session::Entity::find_by_id(session_id).one(db).await?.filter(|s| s.student_id == student.id).ok_or_else(not_found)?;
    let teacher = user::Entity::find_by_id(s.teacher_id).one(db).await?.ok_or_else(not_found)?;
    let course = find_course(db, s.course_id).await?;
    Ok((s, teacher, course))
}

pub fn calendar_entry<'a>(s: &'a session::Model, title: &'a str) -> CalendarEntry<'a> {
    CalendarEntry { session_id: s.id, title, start: s.start_at, end: s.end_at, details: &s.note, location: s.video_url.as_deref() }
}

/// The confirmation screen of a session, for its own student only.
pub async fn booked_view(db: &impl ConnectionTrait, student: &user::Model, session_id: i32) -> Result<BookedView, AppError> {
    let (s, teacher, course) = own_session(db, student, session_id).await?;
    let title = format!("{} with {}", course.title, teacher.name);
    let entry = calendar_entry(&s, &title);
    Ok(BookedView {
        session_id: s.id,
        summary: session_summary(&course, &teacher, (s.start_at, s.end_at), parse_timezone(&student.timezone)),
        course_id: course.id,
        google_url: entry.google_link(),
        outlook_url: entry.outlook_link(),
        video_url: s.video_url.clone(),
    })
}

/// The session's `.ics` file, for its own student.
pub async fn calendar_file(
    db: &impl ConnectionTrait,
    student: &user::Model,
    session_id: i32,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (s, teacher, course) = own_session(db, student, session_id).await?;
    let title = format!("{} with {}", course.title, teacher.name);
    Ok(calendar_entry(&s, &title).ics(now))
}
