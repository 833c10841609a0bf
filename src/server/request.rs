//! What a server function knows about the request it serves: the app state and who is asking.
use chrono::Utc;
use leptos::prelude::use_context;

use super::{auth, state::AppState};
use crate::{entities::{role, user}, error::AppError};

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The logged-in user, if any.
pub async fn current_user(state: &AppState) -> Result<Option<user::Model>, AppError> {
    let Some(token) = use_context::<http::request::Parts>().and_then(|parts| auth::token_from_headers(&parts.headers))
    else {
        return Ok(None);
    };
    Ok(auth::user_for_token(&state.db, &token, Utc::now()).await?)
}

/// The logged-in student; every booking action acts for this user and no other.
pub async fn require_student(state: &AppState) -> Result<user::Model, AppError> {
    let user = current_user(state).await?.ok_or(AppError::NotAuthenticated)?;
    if user.role != role::STUDENT {
        return Err(AppError::NotAStudent);
    }
    Ok(user)
}
