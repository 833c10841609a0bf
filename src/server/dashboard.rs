//! The student's dashboard: enrolled courses with the sessions booked in each, upcoming
//! sessions, and open "Schedule Later" requests.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use super::{
    presentation::{course_summary, session_labels},
    queries::users_by_id,
    timezones::parse_timezone,
};
use crate::{
    dto::dashboard::{Dashboard, DashboardCourse, OpenRequest, UpcomingSession},
    dto::StId,
    entities::{course, enrollment, schedule_later_request as request, session, student_teacher, user, RequestStatus, SessionStatus},
    error::AppError,
    urls::StepLinks,
};

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
    let requests = request::Entity::find()
        .filter(request::Column::StudentId.eq(student.id))
        .filter(request::Column::Status.eq(RequestStatus::Open))
        .order_by_asc(request::Column::CreatedAt)
        .all(db)
        .await?;
    let all_course_ids = course_ids.iter().copied().chain(sessions.iter().map(|s| s.course_id)).chain(requests.iter().map(|r| r.course_id));
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(all_course_ids.collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let teachers = users_by_id(db, sessions.iter().map(|s| s.teacher_id)).await?;
    // Each session's Student-Teacher row, for the wizard that moves it (active ones only).
    let st_ids: HashMap<(i32, i32), i32> = student_teacher::Entity::find()
        .filter(student_teacher::Column::UserId.is_in(sessions.iter().map(|s| s.teacher_id).collect::<Vec<_>>()))
        .filter(student_teacher::Column::IsActive.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|st| ((st.user_id, st.course_id), st.id))
        .collect();

    let mut dashboard_courses: Vec<DashboardCourse> = course_ids
        .iter()
        .filter_map(|id| courses.get(id))
        .map(|c| DashboardCourse {
            course: course_summary(c),
            sessions_booked: sessions.iter().filter(|s| s.course_id == c.id).count() as i32,
        })
        .collect();
    dashboard_courses.sort_by(|a, b| a.course.title.cmp(&b.course.title));
    let upcoming = sessions
        .iter()
        .filter(|s| s.end_at > now)
        .map(|s| {
            let (date_label, time_label) = session_labels(s.start_at, s.end_at, tz);
            UpcomingSession {
                id: s.id,
                course_title: courses.get(&s.course_id).map(|c| c.title.clone()).unwrap_or_default(),
                teacher_name: teachers.get(&s.teacher_id).map(|t| t.name.clone()).unwrap_or_default(),
                date_label,
                time_label,
                video_url: s.video_url.clone(),
                reschedule_url: st_ids
                    .get(&(s.teacher_id, s.course_id))
                    .filter(|_| s.start_at > now)
                    .map(|st| StepLinks::to_reschedule(s.course_id, StId(*st), s.id)),
                started: s.start_at <= now,
            }
        })
        .collect();
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
