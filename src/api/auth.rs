use leptos::prelude::*;

use super::UserView;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn set_session_cookie(token: Option<&str>, secure: bool) {
    use http::{header::SET_COOKIE, HeaderValue};
    let cookie = crate::server::auth::session_cookie(token, secure);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        expect_context::<leptos_axum::ResponseOptions>().append_header(SET_COOKIE, value);
    }
}

/// Checks the credentials, starts a login session and goes to `next` (a path on this site).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::{entities::user, server::{auth, request::app_state}};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::invalid("email", "Enter your email address."));
    }
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    let state = app_state()?;
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.db).await?;
    // Verify even for an unknown email, so response time does not reveal which emails exist.
    let hash: &str = match &found {
        Some(user) => &user.password_hash,
        None => auth::unknown_user_hash(),
    };
    let verified = auth::verify_password(&password, hash);
    let user = match (verified, found) {
        (true, Some(user)) => user,
        _ => {
            // A form posted without JavaScript shows the page again, with the message.
            let next = auth::safe_next(next.as_deref());
            leptos_axum::redirect(&format!("/login?error=credentials&next={}", crate::server::urlencode(next)));
            return Err(AppError::InvalidCredentials);
        }
    };
    let token = auth::start_session(&state.db, user.id, chrono::Utc::now()).await?;
    set_session_cookie(Some(&token), state.settings.server.secure_cookies);
    leptos_axum::redirect(auth::safe_next(next.as_deref()));
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, request::app_state};
    let state = app_state()?;
    if let Some(token) = use_context::<http::request::Parts>().and_then(|p| auth::token_from_headers(&p.headers)) {
        auth::end_session(&state.db, &token).await?;
    }
    set_session_cookie(None, state.settings.server.secure_cookies);
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(endpoint = "get_current_user")]
pub async fn get_current_user() -> Result<Option<UserView>, AppError> {
    use crate::server::{request::{app_state, current_user}, views::user_view};
    let state = app_state()?;
    Ok(current_user(&state).await?.as_ref().map(user_view))
}
