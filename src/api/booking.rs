use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CourseSummary, TeacherCard};
use crate::error::AppError;

/// What the booking page needs before the first step: the course, whether the student may
/// book it, and whom they can book with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingPage {
    pub course: CourseSummary,
    pub enrolled: bool,
    /// Active Student-Teachers of the course (empty when not enrolled).
    pub teachers: Vec<TeacherCard>,
    /// The Student-Teacher named by a `/book/{st_id}` link.
    pub preselected: Option<TeacherCard>,
    pub student_timezone: String,
}

/// Loads the booking page for a course (`/courses/{course_id}/book`) or for one
/// Student-Teacher (`/book/{st_id}`); `arrived` (the page opened, not a step within it)
/// records the `page_view`.
#[server(endpoint = "load_booking_page")]
pub async fn load_booking_page(
    course_id: Option<i32>,
    st_id: Option<i32>,
    #[server(default)] arrived: bool,
) -> Result<BookingPage, AppError> {
    use crate::server::{
        analytics::Event,
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let page = wizard::booking_page(&state.db, &state.catalog, &student, course_id, st_id).await?;
    if arrived {
        let st_preselected = st_id.is_some();
        state.analytics.record(Some(student.id), Event::PageView { course_id: page.course.id, st_preselected }, chrono::Utc::now());
    }
    Ok(page)
}

/// Step 1's choice of a Student-Teacher: records `st_selected` and goes on to step 2.
#[server(endpoint = "select_student_teacher")]
pub async fn select_student_teacher(st_id: i32) -> Result<(), AppError> {
    use crate::{
        entities::student_teacher,
        server::{
            analytics::Event,
            request::{app_state, require_student},
        },
    };
    use sea_orm::EntityTrait;

    let state = app_state()?;
    let student = require_student()?;
    let st = student_teacher::Entity::find_by_id(st_id)
        .one(&state.db)
        .await?
        .filter(|st| st.is_active)
        .ok_or_else(|| AppError::NotFound("Student-Teacher".into()))?;
    if !crate::server::views::is_enrolled(&state.db, student.id, st.course_id).await? {
        return Err(AppError::NotEnrolled);
    }
    state.analytics.record(Some(student.id), Event::StSelected { st_id }, chrono::Utc::now());
    leptos_axum::redirect(&format!("/courses/{}/book?st={st_id}", st.course_id));
    Ok(())
}

/// "Schedule Later": records that the student wants a session without choosing a
/// Student-Teacher or time now. Posting it twice, even at once, keeps one open request.
#[server(endpoint = "schedule_later")]
pub async fn schedule_later(course_id: i32) -> Result<(), AppError> {
    use crate::{
        entities::{request_status, schedule_later_request as request},
        server::{
            analytics::Event,
            db::ignore_duplicate,
            request::{app_state, require_student},
            views,
        },
    };
    use sea_orm::{ActiveModelTrait, Set};

    let state = app_state()?;
    let student = require_student()?;
    views::find_course(&state.db, course_id).await?;
    if !views::is_enrolled(&state.db, student.id, course_id).await? {
        return Err(AppError::NotEnrolled);
    }
    // No check first: the partial unique index on open requests decides, so two posts at once
    // cannot both insert, and the one that loses has still got what it asked for.
    ignore_duplicate(
        request::ActiveModel {
            student_id: Set(student.id),
            course_id: Set(course_id),
            status: Set(request_status::OPEN.to_owned()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&state.db)
        .await,
    )?;
    state.analytics.record(Some(student.id), Event::ScheduleLater { course_id }, chrono::Utc::now());
    leptos_axum::redirect(&format!("/courses/{course_id}/book/later"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleLaterConfirmation {
    pub course: CourseSummary,
}

/// The confirmation screen of "Schedule Later", shown only when the request exists.
#[server(endpoint = "load_schedule_later")]
pub async fn load_schedule_later(course_id: i32) -> Result<ScheduleLaterConfirmation, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        views,
    };

    let state = app_state()?;
    let student = require_student()?;
    let course = views::find_course(&state.db, course_id).await?;
    views::open_request(&state.db, student.id, course_id).await?.ok_or_else(|| AppError::NotFound("Schedule Later request".into()))?;
    Ok(ScheduleLaterConfirmation { course: views::course_summary(&course) })
}
