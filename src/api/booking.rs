//! The booking page before its first step: the page itself, choosing a Student-Teacher, and
//! "Schedule Later".
use leptos::prelude::*;

use crate::{
    dto::{
        booking::{BookingPage, ScheduleLaterConfirmation},
        StId,
    },
    error::AppError,
};

/// Loads the booking page for a course (`/courses/{course_id}/book`) or for one
/// Student-Teacher (`/book/{st_id}`); `arrived` (the page opened, not a step within it)
/// records the `page_view`.
#[server(endpoint = "load_booking_page")]
pub async fn load_booking_page(
    course_id: Option<i32>,
    st_id: Option<StId>,
    #[server(default)] arrived: bool,
    reschedule: Option<i32>,
) -> Result<BookingPage, AppError> {
    use crate::server::{
        analytics::Event,
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let page = wizard::booking_page(&state.db, &state.catalog, &student, (course_id, st_id, reschedule), chrono::Utc::now()).await?;
    if arrived {
        let st_preselected = st_id.is_some();
        state.analytics.record(Some(student.id), Event::PageView { course_id: page.course.id, st_preselected }, chrono::Utc::now());
    }
    Ok(page)
}

/// Step 1's choice of a Student-Teacher: records `st_selected` and goes on to step 2.
#[server(endpoint = "select_student_teacher")]
pub async fn select_student_teacher(st_id: StId) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_student},
        wizard,
    };
    let (state, student) = (app_state()?, require_student()?);
    let next = wizard::select_student_teacher(&state.db, &state.analytics, &student, st_id, chrono::Utc::now()).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// "Schedule Later": records that the student wants a session without choosing a
/// Student-Teacher or time now.
#[server(endpoint = "schedule_later")]
pub async fn schedule_later(course_id: i32) -> Result<(), AppError> {
    use crate::server::{
        request::{app_state, require_student},
        schedule_later::request_later,
    };
    let (state, student) = (app_state()?, require_student()?);
    request_later(&state.db, &state.analytics, &student, course_id, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/courses/{course_id}/book/later"));
    Ok(())
}

/// The confirmation screen of "Schedule Later", shown only when the request exists.
#[server(endpoint = "load_schedule_later")]
pub async fn load_schedule_later(course_id: i32) -> Result<ScheduleLaterConfirmation, AppError> {
    use crate::server::{
        request::{app_state, require_student},
        schedule_later::confirmation,
    };
    let (state, student) = (app_state()?, require_student()?);
    confirmation(&state.db, &student, course_id).await
}
