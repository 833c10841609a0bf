//! Downloads that are not pages.
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
    Extension,
};

use crate::{
    error::{AppError, Subject},
    server::{booked, request::CurrentUser, state::AppState},
};

/// The `.ics` file of a booked session, for its own student (Apple Calendar and the rest).
pub async fn download(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Response {
    let Some(student) = user else { return AppError::NotAuthenticated.into_response() };
    let Ok(session_id) = session_id.parse() else { return AppError::NotFound(Subject::Session).into_response() };
    match booked::calendar_file(&state.db, &student, session_id, chrono::Utc::now()).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"session.ics\""),
                (header::CACHE_CONTROL, "private, no-cache"),
            ],
            ics,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
