//! What a server function knows about the request it serves: the app state and who is asking.
use leptos::prelude::use_context;

use super::state::AppState;
use crate::{
    entities::{user, Role},
    error::AppError,
};

/// The logged-in user of a request (or `None`), resolved once by the session middleware and
/// carried in the request's extensions to every page and server function it reaches.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub Option<user::Model>);

/// The login session the request came with, when it names a live one.
#[derive(Clone, Copy, Debug)]
pub struct LoginSessionId(pub i32);

/// The client's address as the session middleware found it (see `trust_forwarded_for`).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

fn extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<T>().cloned())
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The logged-in user, if any, as the session middleware found it: no query.
pub fn current_user() -> Result<Option<user::Model>, AppError> {
    extension::<CurrentUser>().map(|CurrentUser(user)| user).ok_or_else(|| {
        tracing::error!("the session middleware did not run for this request");
        AppError::Internal
    })
}

/// The logged-in user of any role: a session's two people act on it (`server::changes`).
pub fn require_user() -> Result<user::Model, AppError> {
    current_user()?.ok_or(AppError::NotAuthenticated)
}

/// The logged-in student; every booking action acts for this user and no other.
pub fn require_student() -> Result<user::Model, AppError> {
    let user = require_user()?;
    if user.role != Role::Student {
        return Err(AppError::NotAStudent);
    }
    Ok(user)
}

/// The logged-in Student-Teacher, acting on their own teaching only.
pub fn require_teacher() -> Result<user::Model, AppError> {
    let user = require_user()?;
    if user.role != Role::Teacher {
        return Err(AppError::NotAStudentTeacher);
    }
    Ok(user)
}

pub fn login_session_id() -> Option<i32> {
    extension::<LoginSessionId>().map(|LoginSessionId(id)| id)
}

pub fn client_ip() -> Option<std::net::IpAddr> {
    extension::<ClientIp>().and_then(|ClientIp(ip)| ip)
}
