//! The student's settings: the timezone their times are shown in (docs/booking-contract.md §6),
//! and signing out other devices.
use leptos::prelude::*;

use crate::{dto::settings::Settings, error::AppError};

#[server(endpoint = "load_settings")]
pub async fn load_settings() -> Result<Settings, AppError> {
    use crate::server::{
        request::{app_state, login_session_id, require_student},
        settings::settings,
    };
    let (state, student) = (app_state()?, require_student()?);
    let keep = login_session_id().ok_or(AppError::NotAuthenticated)?;
    settings(&state.db, &state.settings.server, &student, keep, chrono::Utc::now()).await
}

/// Ends the student's login sessions on every other device (a lost phone, a shared computer)
/// and comes back to the settings page, which says how many ended.
#[server(endpoint = "sign_out_other_devices")]
pub async fn sign_out_other_devices(next: Option<String>) -> Result<(), AppError> {
    use crate::{
        server::{
            auth,
            request::{app_state, login_session_id, require_student},
        },
        urls::{safe_next, urlencode},
    };
    let (state, student) = (app_state()?, require_student()?);
    let keep = login_session_id().ok_or(AppError::NotAuthenticated)?;
    let ended = auth::end_other_sessions(&state.db, student.id, keep).await?;
    let next = urlencode(safe_next(next.as_deref()));
    leptos_axum::redirect(&format!("/settings?signed_out={ended}&next={next}"));
    Ok(())
}

/// Changes the student's timezone and returns them to `next` (a path on this site), such as
/// the booking step they came from.
#[server(endpoint = "update_timezone")]
pub async fn update_timezone(timezone: String, next: Option<String>) -> Result<(), AppError> {
    use crate::{
        server::{
            request::{app_state, require_student},
            settings::set_timezone,
        },
        urls::safe_next,
    };
    let (state, student) = (app_state()?, require_student()?);
    set_timezone(&state.db, &student, &timezone).await?;
    leptos_axum::redirect(safe_next(next.as_deref()));
    Ok(())
}
