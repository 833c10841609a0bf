use leptos::prelude::*;

use crate::{dto::UserView, error::AppError};

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
    use crate::server::{
        auth,
        request::{app_state, client_ip},
    };

    let state = app_state()?;
    let asked = next.filter(|n| !n.is_empty());
    let next = crate::urls::safe_next(asked.as_deref());
    let now = chrono::Utc::now();
    match auth::authenticate(&state, client_ip(), &email, &password, now).await {
        Ok(user) => {
            let token = auth::start_session(&state.db, user.id, now).await?;
            set_session_cookie(Some(&token), state.settings.server.secure_cookies);
            // Without a page to return to, each account goes to its own start page.
            leptos_axum::redirect(if asked.is_some() { next } else { user.role.home() });
            Ok(())
        }
        Err(error) => {
            // A form posted without JavaScript shows the login page again, with the message.
            if matches!(error, AppError::InvalidCredentials | AppError::TooManyAttempts) {
                leptos_axum::redirect(&format!("/login?error={}&next={}", error.url_code(), crate::urls::urlencode(next)));
            }
            Err(error)
        }
    }
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, request::app_state};
    let state = app_state()?;
    let secure = state.settings.server.secure_cookies;
    if let Some(token) = use_context::<http::request::Parts>().and_then(|p| auth::token_from_headers(&p.headers, secure)) {
        auth::end_session(&state.db, &token).await?;
    }
    set_session_cookie(None, state.settings.server.secure_cookies);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Whether the login page may offer the demo's accounts: only where their password works.
#[server(endpoint = "demo_login")]
pub async fn demo_login() -> Result<bool, AppError> {
    Ok(crate::server::request::app_state()?.demo_login)
}

#[server(endpoint = "get_current_user")]
pub async fn get_current_user() -> Result<Option<UserView>, AppError> {
    use crate::server::{presentation::user_view, request::current_user};
    Ok(current_user()?.as_ref().map(user_view))
}
