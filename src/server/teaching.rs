//! A Student-Teacher's own page: their scheduled sessions in every course they teach, upcoming
//! and of the last weeks, each in their timezone with the student's time beside it.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use super::{
    presentation::session_labels,
    queries::users_by_id,
    time_off::time_off_spans,
    timezones::{parse_timezone, same_clock_differs, timezone_label},
};
use crate::{
    dto::teaching::{TaughtSession, Teaching},
    entities::{course, session, user, SessionStatus},
    error::AppError,
    slots::Interval,
};

/// How far back the page lists past sessions.
const RECENT: Duration = Duration::weeks(4);

pub async fn teaching(db: &impl ConnectionTrait, teacher: &user::Model, now: DateTime<Utc>) -> Result<Teaching, AppError> {
    let sessions = scheduled(db, teacher, now - RECENT).await?;
    let over: Vec<bool> = sessions.iter().map(|s| s.end_at <= now).collect();
    // One presentation (one read of students, courses and time off) for both lists.
    let (past, upcoming): (Vec<_>, Vec<_>) = present(db, teacher, sessions, now).await?.into_iter().zip(over).partition(|(_, over)| *over);
    Ok(Teaching {
        name: teacher.name.clone(),
        timezone_label: timezone_label(&teacher.timezone),
        upcoming: upcoming.into_iter().map(|(s, _)| s).collect(),
        recent: past.into_iter().rev().map(|(s, _)| s).collect(),
    })
}

/// Scheduled sessions the Student-Teacher teaches that end after `after`, soonest first.
pub async fn scheduled(db: &impl ConnectionTrait, teacher: &user::Model, after: DateTime<Utc>) -> Result<Vec<session::Model>, AppError> {
    Ok(session::Entity::find()
        .filter(session::Column::TeacherId.eq(teacher.id))
        .filter(session::Column::Status.eq(SessionStatus::Scheduled))
        .filter(session::Column::EndAt.gt(after))
        .order_by_asc(session::Column::StartAt)
        .all(db)
        .await?)
}

/// Sessions as their Student-Teacher reads them, in this order: in their timezone with the
/// student's time beside it, and whether each falls in their time off.
pub async fn present(
    db: &impl ConnectionTrait,
    teacher: &user::Model,
    sessions: Vec<session::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<TaughtSession>, AppError> {
    let (Some(first), Some(last)) = (sessions.iter().map(|s| s.start_at).min(), sessions.iter().map(|s| s.end_at).max()) else {
        return Ok(Vec::new());
    };
    let students = users_by_id(db, sessions.iter().map(|s| s.student_id)).await?;
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(sessions.iter().map(|s| s.course_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let off = time_off_spans(db, vec![teacher.id], (first.date_naive(), last.date_naive())).await?;
    let zone = parse_timezone(&teacher.timezone);
    let taught = |s: session::Model| {
        let student = students.get(&s.student_id);
        let (date_label, time_label) = session_labels(s.start_at, s.end_at, zone);
        let student_time =
            student.map(|st| parse_timezone(&st.timezone)).filter(|theirs| same_clock_differs(zone, *theirs, s.start_at)).map(|theirs| {
                let (date, time) = session_labels(s.start_at, s.end_at, theirs);
                format!("{time} for the student ({date})")
            });
        // Inside time off and not inside the hours the same entry keeps.
        let within = |span: &Interval| span.start <= s.start_at && s.end_at <= span.end;
        let overlaps = |span: &Interval| s.start_at < span.end && span.start < s.end_at;
        let in_time_off = off.iter().any(|(_, time_off, extra)| overlaps(time_off) && !extra.as_ref().is_some_and(within));
        TaughtSession {
            id: s.id,
            course_title: courses.get(&s.course_id).map(|c| c.title.clone()).unwrap_or_default(),
            student_name: student.map(|st| st.name.clone()).unwrap_or_default(),
            date_label,
            time_label,
            student_time,
            note: s.note,
            video_url: s.video_url,
            started: s.start_at <= now,
            in_time_off,
        }
    };
    Ok(sessions.into_iter().map(taught).collect())
}
