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
    /// Live login sessions of this student other than the one asking.
    pub other_devices: u64,
}

#[server(endpoint = "load_settings")]
pub async fn load_settings() -> Result<Settings, AppError> {
    use crate::server::{
        auth,
        request::{app_state, login_session_id, require_student},
        wizard::timezone_choices,
    };
    let (state, student) = (app_state()?, require_student()?);
    let keep = login_session_id().ok_or(AppError::NotAuthenticated)?;
    let other_devices =
        auth::count_other_sessions(&state.db, student.id, keep, state.settings.server.session_idle(), chrono::Utc::now()).await?;
    Ok(Settings { choices: timezone_choices(&student.timezone), timezone: student.timezone, other_devices })
}

/// Ends the student's login sessions on every other device (a lost phone, a shared computer)
/// and comes back to the settings page, which says how many ended.
#[server(endpoint = "sign_out_other_devices")]
pub async fn sign_out_other_devices(next: Option<String>) -> Result<(), AppError> {
    use crate::server::{
        auth,
        request::{app_state, login_session_id, require_student},
        urlencode,
    };
    let (state, student) = (app_state()?, require_student()?);
    let keep = login_session_id().ok_or(AppError::NotAuthenticated)?;
    let ended = auth::end_other_sessions(&state.db, student.id, keep).await?;
    let next = urlencode(auth::safe_next(next.as_deref()));
    leptos_axum::redirect(&format!("/settings?signed_out={ended}&next={next}"));
    Ok(())
}

/// Changes the student's timezone and returns them to `next` (a path on this site), such as
/// the booking step they came from.
#[server(endpoint = "update_timezone")]
pub async fn update_timezone(timezone: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::{
        auth::safe_next,
        request::{app_state, require_student},
        wizard::set_timezone,
    };
    let (state, student) = (app_state()?, require_student()?);
    set_timezone(&state.db, &student, &timezone).await?;
    leptos_axum::redirect(safe_next(next.as_deref()));
    Ok(())
}
