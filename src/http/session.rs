//! Who is asking: the login session looked up once per request, the client's address, and the
//! rule that every page but a few needs a login.
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};

use crate::{
    error::AppError,
    server::{
        auth,
        request::{ClientIp, CurrentUser, LoginSessionId},
        state::AppState,
    },
    urls::urlencode,
};

/// The paths anyone may open. Everything else needs a login: a page added later is private
/// unless it is listed here. Server functions (`/api/…`) answer 401 themselves, as data.
fn is_public(path: &str) -> bool {
    path == "/login" || path.starts_with("/api/") || belongs_to_no_one(path)
}

/// Static files (`/pkg/…`, `/favicon.svg`) and the health check: no session lookup for them.
fn belongs_to_no_one(path: &str) -> bool {
    path == "/health" || path.starts_with("/pkg/") || path.rsplit('/').next().is_some_and(|name| name.contains('.'))
}

/// The client's address: the connection's peer, or behind a trusted proxy the address it
/// appended last to `X-Forwarded-For` (earlier entries are whatever the client sent).
fn client_ip(request: &Request, trust_forwarded_for: bool) -> Option<std::net::IpAddr> {
    let forwarded = || {
        let last = request.headers().get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
        last.rsplit(',').next()?.trim().parse().ok()
    };
    let peer = || request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    if trust_forwarded_for {
        forwarded().or_else(peer)
    } else {
        peer()
    }
}

/// Finds who is logged in, once per request, and hands it on in the request's extensions
/// (`request::current_user` reads it there); sends visitors of private pages to log in first.
pub async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if belongs_to_no_one(path) {
        return next.run(request).await;
    }
    let server = &state.settings.server;
    let session = match auth::token_from_headers(request.headers(), server.secure_cookies) {
        Some(token) => match auth::session_for_token(&state.db, &token, server.session_idle(), chrono::Utc::now()).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "cannot look up the login session");
                return (StatusCode::SERVICE_UNAVAILABLE, AppError::Internal.to_string()).into_response();
            }
        },
        None => None,
    };
    if session.is_none() && request.method() == Method::GET && !is_public(path) {
        let target = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
        let location = format!("/login?next={}", urlencode(target));
        return Redirect::to(&location).into_response();
    }
    let ip = client_ip(&request, server.trust_forwarded_for);
    let extensions = request.extensions_mut();
    extensions.insert(ClientIp(ip));
    if let Some((login, _)) = &session {
        extensions.insert(LoginSessionId(login.id));
    }
    extensions.insert(CurrentUser(session.map(|(_, user)| user)));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_private_unless_listed() {
        assert!(!is_public("/") && !is_public("/dashboard") && !is_public("/courses/1/book") && !is_public("/a-page-added-later"));
        assert!(is_public("/login") && is_public("/health") && is_public("/api/login") && is_public("/pkg/session-booking.js"));
        assert!(is_public("/favicon.svg"));
    }

    #[test]
    fn client_address_from_a_trusted_proxy_is_its_last_entry() {
        let mut request = Request::get("/").header("x-forwarded-for", "203.0.113.9, 198.51.100.7").body(axum::body::Body::empty()).unwrap();
        assert_eq!(client_ip(&request, true), Some("198.51.100.7".parse().unwrap()));
        assert_eq!(client_ip(&request, false), None, "without trust, the header is ignored");
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 1], 4000))));
        assert_eq!(client_ip(&request, false), Some("192.0.2.1".parse().unwrap()));
    }
}
