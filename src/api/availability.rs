use crate::{
    dto::{availability::MonthAvailability, StId},
    error::AppError,
};
use leptos::prelude::*;

/// Slots of `month` (`YYYY-MM`, in the student's timezone) with one Student-Teacher, or with
/// all of the course's active ones when `st_id` is absent ("Next Available").
#[server(endpoint = "load_availability")]
pub async fn load_availability(course_id: i32, st_id: Option<StId>, month: String) -> Result<MonthAvailability, AppError> {
    use crate::server::{
        availability::month_availability,
        request::{app_state, require_student},
    };
    let state = app_state()?;
    let student = require_student()?;
    month_availability(&state.db, &state.settings.booking, &student, course_id, st_id, &month, chrono::Utc::now()).await
}
