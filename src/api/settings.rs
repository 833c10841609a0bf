//! The student's settings: the timezone their times are shown in (booking contract §6).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimezoneChoice {
    /// IANA name
    pub name: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub timezone: String,
    pub choices: Vec<TimezoneChoice>,
}

#[server(endpoint = "load_settings")]
pub async fn load_settings() -> Result<Settings, AppError> {
    use crate::server::{request::require_student, wizard::timezone_choices};
    let student = require_student()?;
    Ok(Settings { choices: timezone_choices(&student.timezone), timezone: student.timezone })
}

/// Changes the student's timezone and returns them to `next` (a path on this site), such as
/// the booking step they came from.
#[server(endpoint = "update_timezone")]
pub async fn update_timezone(timezone: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{auth::safe_next, request::{app_state, require_student}, wizard::set_timezone};
    let (state, student) = (app_state()?, require_student()?);
    set_timezone(&state.db, &student, &timezone).await?;
    leptos_axum::redirect(safe_next(next.as_deref()));
    Ok(())
}
