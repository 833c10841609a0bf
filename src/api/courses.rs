//! The course page, enrolling, and the Student-Teacher profile.
use leptos::prelude::*;

use crate::{
    dto::{
        courses::{CoursePage, TeacherProfile},
        StId,
    },
    error::AppError,
};

#[server(endpoint = "load_course_page")]
pub async fn load_course_page(course_id: i32) -> Result<CoursePage, AppError> {
    use crate::server::{
        courses::course_page,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    course_page(&state.db, &state.catalog, &student, course_id).await
}

/// Enrolls the logged-in student (again is harmless) and goes on to book.
#[server(endpoint = "enroll")]
pub async fn enroll(course_id: i32) -> Result<(), AppError> {
    use crate::server::{
        enrollment,
        request::{app_state, require_student},
    };
    let (state, student) = (app_state()?, require_student()?);
    enrollment::enroll(&state.db, &student, course_id, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/courses/{course_id}/book"));
    Ok(())
}

#[server(endpoint = "load_teacher_profile")]
pub async fn load_teacher_profile(st_id: StId) -> Result<TeacherProfile, AppError> {
    use crate::server::{
        profile::teacher_profile,
        request::{app_state, require_student},
    };
    let state = app_state()?;
    require_student()?;
    teacher_profile(&state.db, st_id).await
}
