//! The axum server around the Leptos app. Compiled only with the `ssr` feature.
pub mod analytics;
pub mod auth;
pub mod availability;
pub mod booking;
pub mod calendar_file;
pub mod catalog;
pub mod config;
pub mod db;
pub mod request;
pub mod seed;
pub mod state;
pub mod views;
pub mod wizard;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
};

use crate::app::{shell, App};
use analytics::Analytics;
use config::Settings;
use request::CurrentUser;
use state::AppState;

/// The app's routes, generated once per process. Generating them sets a process-global flag
/// that leaves any resource first polled meanwhile pending forever (leptos issue #4773), so no
/// page may render while it runs: later callers wait here until the first generation is done.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application over a database that is already migrated.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    // `leptos_routes_with_context` also mounts every server function at its endpoint, with the
    // same context, so they need no route of their own.
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/sessions/{session_id}/calendar", get(calendar_download))
        .nest_service("/pkg", static_bundle(&state.leptos_options))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_session))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(honest_status))
        .layer(middleware::map_response(revalidate_pages))
        .layer(middleware::map_response_with_state(state.settings.server.secure_cookies, security_headers))
        // Compresses what is made per request (pages, server-function answers); the bundle
        // is served precompressed and passes through untouched. Level 4: brotli's default (11)
        // halved the booking page's throughput for a few hundred bytes.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .with_state(state)
}

/// The JS, wasm and CSS, as `cargo leptos build --release -P` wrote them: brotli or gzip files
/// beside each one are sent to browsers that accept them. Release builds name the files by
/// their content hash, so a browser may keep them for a year without asking again.
fn static_bundle(options: &LeptosOptions) -> axum::routing::MethodRouter {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
    axum::routing::get_service(
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(cache)))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
}

/// The `.ics` file of a booked session, for its own student (Apple Calendar and the rest).
async fn calendar_download(
    State(state): State<AppState>,
    axum::extract::Path(session_id): axum::extract::Path<String>,
    axum::Extension(CurrentUser(user)): axum::Extension<CurrentUser>,
) -> Response {
    let error = |e: crate::error::AppError| {
        (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string()).into_response()
    };
    let Some(student) = user else { return error(crate::error::AppError::NotAuthenticated) };
    let Ok(session_id) = session_id.parse() else { return error(crate::error::AppError::NotFound("Session".into())) };
    match wizard::calendar_file(&state.db, &student, session_id, chrono::Utc::now()).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"session.ics\""),
                (header::CACHE_CONTROL, "private, no-cache"),
            ],
            ics,
        )
            .into_response(),
        Err(e) => error(e),
    }
}

/// Leptos answers every server-function error with 500. The error itself says whose fault it
/// was (`AppError::status`): a client's mistake answers 4xx, and only our own faults 5xx.
async fn honest_status(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !(is_server_fn && is_json && response.status() == StatusCode::INTERNAL_SERVER_ERROR) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are a few hundred bytes; anything larger is not one of ours.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Headers every answer carries: no framing (clickjacking), no MIME sniffing, no full URLs
/// (which hold booking details) sent to other sites, and HTTPS-only once cookies are.
async fn security_headers(State(https): State<bool>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static("frame-ancestors 'none'"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// Pages are made for one person and change with every booking: a browser may keep one but
/// must ask again before showing it.
async fn revalidate_pages(mut response: Response) -> Response {
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if is_html && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    response
}

async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) && is_cross_site(&request) {
        return (StatusCode::FORBIDDEN, crate::error::AppError::CrossSite.to_string()).into_response();
    }
    next.run(request).await
}

/// Leptos server functions have no CSRF protection of their own. Browsers mark requests from
/// other sites (`Sec-Fetch-Site`, `Origin`); refuse those. Non-browser clients send neither and
/// carry no ambient cookie worth forging.
fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), headers.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host != host
        }
        (Some(_), None) => true,
        _ => false,
    }
}

/// Pages behind login. A visit without a session goes to the login page and comes back after.
fn needs_login(path: &str) -> bool {
    const PRIVATE: [&str; 5] = ["/courses/", "/book/", "/student-teachers/", "/sessions/", "/settings"];
    path == "/" || path == "/dashboard" || PRIVATE.iter().any(|prefix| path.starts_with(prefix))
}

/// Static files (`/pkg/…`, `/favicon.svg`) and the health check belong to no one.
fn is_anonymous(path: &str) -> bool {
    path == "/health" || path.rsplit('/').next().is_some_and(|name| name.contains('.'))
}

/// Finds who is logged in, once per request, and hands it on in the request's extensions
/// (`request::current_user` reads it there); sends visitors of private pages to log in first.
async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_anonymous(path) {
        return next.run(request).await;
    }
    let user = match auth::token_from_headers(request.headers()) {
        Some(token) => match auth::user_for_token(&state.db, &token, chrono::Utc::now()).await {
            Ok(user) => user,
            Err(error) => {
                tracing::error!(%error, "cannot look up the login session");
                return (StatusCode::SERVICE_UNAVAILABLE, crate::error::AppError::Internal.to_string()).into_response();
            }
        },
        None => None,
    };
    if user.is_none() && request.method() == Method::GET && needs_login(path) {
        let target = request.uri().path_and_query().map_or(path, |pq| pq.as_str());
        let location = format!("/login?next={}", urlencode(target));
        return Redirect::to(&location).into_response();
    }
    request.extensions_mut().insert(CurrentUser(user));
    next.run(request).await
}

pub use crate::components::urlencode;

/// Connects, migrates, seeds an empty database, and builds the state.
pub async fn prepare(settings: Settings, leptos_options: LeptosOptions) -> anyhow_free::Result<AppState> {
    let db = db::connect(&settings.server.database_url).await?;
    db::migrate(&db).await?;
    if seed::seed_if_empty(&db, chrono::Utc::now()).await? {
        tracing::info!("seeded the demo data (password: {})", seed::DEMO_PASSWORD);
    }
    let login_attempts = state::login_attempt_limiter(settings.server.login_attempts_per_minute);
    let analytics = Analytics::start(db.clone());
    Ok(AppState { leptos_options, db, settings: Arc::new(settings), login_attempts, analytics, catalog: Default::default() })
}

pub async fn serve(settings: Settings) -> anyhow_free::Result<()> {
    let mut leptos_options = leptos::config::get_configuration(None)?.leptos_options;
    leptos_options.site_addr = settings.server.site_addr;
    // cargo-leptos tells a server it starts that file names are hashed; a release binary started
    // on its own (the end-to-end tests, a deployment) finds out from the hash file beside it.
    let hash_file = std::env::current_exe()?.with_file_name(leptos_options.hash_file.as_ref());
    leptos_options.hash_files |= hash_file.exists();
    let addr = settings.server.site_addr;
    let state = prepare(settings, leptos_options).await?;
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    // Without TCP_NODELAY, Nagle plus delayed ACK held a streamed SSR response ~40 ms.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a process manager or a deploy: stop accepting, finish what is in
/// flight, then exit.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// A boxed error for the binary's entry points; the library's own functions use typed errors.
pub mod anyhow_free {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = Request::post("/api/login");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn refuses_posts_from_other_sites() {
        assert!(is_cross_site(&request(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&request(&[("origin", "https://evil.test"), ("host", "127.0.0.1:3000")])));
        assert!(!is_cross_site(&request(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!is_cross_site(&request(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&request(&[])));
    }

    #[test]
    fn login_redirect_keeps_the_whole_target() {
        assert_eq!(urlencode("/courses/1/book?st=2&x=a b"), "/courses/1/book%3Fst%3D2%26x%3Da%20b");
        assert!(needs_login("/courses/1/book") && needs_login("/book/3") && needs_login("/dashboard"));
        assert!(!needs_login("/login") && !needs_login("/pkg/session-booking.js"));
    }
}
