//! The student's dashboard: enrolled courses with the sessions booked in each, upcoming
//! sessions (and those ahead their Student-Teacher cancelled), and open "Schedule Later" requests.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use super::{
    allowance::allowances,
    presentation::{course_summary, session_labels},
    queries::users_by_id,
    timezones::parse_timezone,
};
use crate::{
    dto::dashboard::{Cancellation, Dashboard, DashboardCourse, OpenRequest, UpcomingSession},
    dto::StId,
    entities::{
        course, enrollment, schedule_later_request as request, session, session_change, student_teacher, user, Actor, ChangeKind,
        RequestStatus, SessionStatus,
    },
    error::AppError,
    urls::StepLinks,
};

/// The student's sessions still ahead that their Student-Teacher cancelled, with that cancel:
/// news to the student, unlike a cancel of their own, so the list keeps them until their time.
async fn cancelled_by_teacher(
    db: &impl ConnectionTrait,
    student: &user::Model,
    now: DateTime<Utc>,
) -> Result<Vec<(session::Model, session_change::Model)>, AppError> {
    let sessions = session::Entity::find()
        .filter(session::Column::StudentId.eq(student.id))
        .filter(session::Column::Status.eq(SessionStatus::Cancelled))
        .filter(session::Column::StartAt.gt(now))
        .all(db)
        .await?;
    let mut cancels: HashMap<i32, session_change::Model> = session_change::Entity::find()
        .filter(session_change::Column::SessionId.is_in(sessions.iter().map(|s| s.id).collect::<Vec<_>>()))
        .filter(session_change::Column::Kind.eq(ChangeKind::Cancelled))
        .filter(session_change::Column::Actor.eq(Actor::StudentTeacher))
        .all(db)
        .await?
        .into_iter()
        .map(|change| (change.session_id, change))
        .collect();
    Ok(sessions.into_iter().filter_map(|s| cancels.remove(&s.id).map(|change| (s, change))).collect())
}

pub async fn dashboard(db: &impl ConnectionTrait, student: &user::Model, now: DateTime<Utc>) -> Result<Dashboard, AppError> {
    let tz = parse_timezone(&student.timezone);
    let course_ids: Vec<i32> = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(student.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.course_id)
        .collect();
    let sessions = session::Entity::find()
        .filter(session::Column::StudentId.eq(student.id))
        .filter(session::Column::Status.eq(SessionStatus::Scheduled))
        .order_by_asc(session::Column::StartAt)
        .all(db)
        .await?;
    let cancelled_for_me = cancelled_by_teacher(db, student, now).await?;
    let requests = request::Entity::find()
        .filter(request::Column::StudentId.eq(student.id))
        .filter(request::Column::Status.eq(RequestStatus::Open))
        .order_by_asc(request::Column::CreatedAt)
        .all(db)
        .await?;
    // Every session the list shows: scheduled ones and those the Student-Teacher cancelled.
    let shown = || sessions.iter().chain(cancelled_for_me.iter().map(|(s, _)| s));
    let all_course_ids = course_ids.iter().copied().chain(shown().map(|s| s.course_id)).chain(requests.iter().map(|r| r.course_id));
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(all_course_ids.collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let teachers = users_by_id(db, shown().map(|s| s.teacher_id)).await?;
    // Each session's Student-Teacher row, for the wizard that moves it (active ones only).
    let st_ids: HashMap<(i32, i32), i32> = student_teacher::Entity::find()
        .filter(student_teacher::Column::UserId.is_in(sessions.iter().map(|s| s.teacher_id).collect::<Vec<_>>()))
        .filter(student_teacher::Column::IsActive.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|st| ((st.user_id, st.course_id), st.id))
        .collect();
    let enrolled: Vec<&course::Model> = course_ids.iter().filter_map(|id| courses.get(id)).collect();
    let allowances = allowances(db, student.id, &enrolled).await?;

    let mut dashboard_courses: Vec<DashboardCourse> = course_ids
        .iter()
        .filter_map(|id| courses.get(id))
        .filter_map(|c| Some(DashboardCourse { course: course_summary(c), allowance: *allowances.get(&c.id)? }))
        .collect();
    dashboard_courses.sort_by(|a, b| a.course.title.cmp(&b.course.title));
    let listed = |s: &session::Model, cancelled: Option<&session_change::Model>| {
        let (date_label, time_label) = session_labels(s.start_at, s.end_at, tz);
        let teacher_name = teachers.get(&s.teacher_id).map(|t| t.name.clone()).unwrap_or_default();
        UpcomingSession {
            id: s.id,
            course_title: courses.get(&s.course_id).map(|c| c.title.clone()).unwrap_or_default(),
            date_label,
            time_label,
            video_url: s.video_url.clone().filter(|_| cancelled.is_none()),
            reschedule_url: st_ids
                .get(&(s.teacher_id, s.course_id))
                .filter(|_| s.start_at > now && cancelled.is_none())
                .map(|st| StepLinks::to_reschedule(s.course_id, StId(*st), s.id)),
            started: s.start_at <= now,
            cancellation: cancelled.map(|change| Cancellation { by: teacher_name.clone(), reason: change.reason.clone() }),
            teacher_name,
        }
    };
    let mut upcoming: Vec<(DateTime<Utc>, UpcomingSession)> = sessions
        .iter()
        .filter(|s| s.end_at > now)
        .map(|s| (s.start_at, listed(s, None)))
        .chain(cancelled_for_me.iter().map(|(s, change)| (s.start_at, listed(s, Some(change)))))
        .collect();
    upcoming.sort_by_key(|(start, item)| (*start, item.id));
    let upcoming = upcoming.into_iter().map(|(_, item)| item).collect();
    let requests = requests
        .iter()
        .filter_map(|r| {
            courses.get(&r.course_id).map(|c| OpenRequest {
                course: course_summary(c),
                requested_on: r.created_at.with_timezone(&tz).format("%B %-d, %Y").to_string(),
            })
        })
        .collect();
    Ok(Dashboard { student_name: student.name.clone(), timezone: student.timezone.clone(), courses: dashboard_courses, upcoming, requests })
}
