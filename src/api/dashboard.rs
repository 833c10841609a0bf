use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::CourseSummary;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardCourse {
    pub course: CourseSummary,
    pub sessions_booked: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpcomingSession {
    pub id: i32,
    pub course_title: String,
    pub teacher_name: String,
    pub date_label: String,
    pub time_label: String,
    pub video_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub course: CourseSummary,
    pub requested_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub student_name: String,
    pub timezone: String,
    pub courses: Vec<DashboardCourse>,
    pub upcoming: Vec<UpcomingSession>,
    pub requests: Vec<OpenRequest>,
}

#[server(endpoint = "load_dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::{
        entities::{course, enrollment, request_status, schedule_later_request as request, session, session_status},
        server::{
            request::{app_state, require_student},
            views,
        },
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use std::collections::HashMap;

    let state = app_state()?;
    let student = require_student()?;
    let db = &state.db;
    let tz = views::parse_timezone(&student.timezone);

    let course_ids: Vec<i32> = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(student.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.course_id)
        .collect();
    let sessions = session::Entity::find()
        .filter(session::Column::StudentId.eq(student.id))
        .filter(session::Column::Status.eq(session_status::SCHEDULED))
        .order_by_asc(session::Column::StartAt)
        .all(db)
        .await?;
    let requests = request::Entity::find()
        .filter(request::Column::StudentId.eq(student.id))
        .filter(request::Column::Status.eq(request_status::OPEN))
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
    let teachers = views::users_by_id(db, sessions.iter().map(|s| s.teacher_id)).await?;

    let now = chrono::Utc::now();
    let mut dashboard_courses: Vec<DashboardCourse> = course_ids
        .iter()
        .filter_map(|id| courses.get(id))
        .map(|c| DashboardCourse {
            course: views::course_summary(c),
            sessions_booked: sessions.iter().filter(|s| s.course_id == c.id).count() as i32,
        })
        .collect();
    dashboard_courses.sort_by(|a, b| a.course.title.cmp(&b.course.title));
    let upcoming = sessions
        .iter()
        .filter(|s| s.end_at > now)
        .map(|s| {
            let (date_label, time_label) = views::session_labels(s.start_at, s.end_at, tz);
            UpcomingSession {
                id: s.id,
                course_title: courses.get(&s.course_id).map(|c| c.title.clone()).unwrap_or_default(),
                teacher_name: teachers.get(&s.teacher_id).map(|t| t.name.clone()).unwrap_or_default(),
                date_label,
                time_label,
                video_url: s.video_url.clone(),
            }
        })
        .collect();
    let requests = requests
        .iter()
        .filter_map(|r| {
            courses.get(&r.course_id).map(|c| OpenRequest {
                course: views::course_summary(c),
                requested_on: r.created_at.with_timezone(&tz).format("%B %-d, %Y").to_string(),
            })
        })
        .collect();
    Ok(Dashboard { student_name: student.name.clone(), timezone: student.timezone.clone(), courses: dashboard_courses, upcoming, requests })
}
