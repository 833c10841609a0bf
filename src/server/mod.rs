//! The axum server around the Leptos app. Compiled only with the `ssr` feature.
pub mod analytics;
pub mod auth;
pub mod availability;
pub mod booking;
pub mod calendar_file;
pub mod catalog;
pub mod config;
pub mod db;
pub mod login_limits;
pub mod mail;
pub mod outbox;
pub mod request;
pub mod seed;
pub mod state;
pub mod video;
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
use request::{ClientIp, CurrentUser, LoginSessionId};
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
    // What every page and server function finds in its context.
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            send_page_security_policy();
        }
    };
    // `leptos_routes_with_context` also mounts every server function at its endpoint, with the
    // same context, so they need no route of their own.
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/sessions/{session_id}/calendar", get(calendar_download))
        .nest_service("/pkg", static_bundle(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_session))
        .layer(middleware::from_fn_with_state(state.settings.clone(), refuse_cross_site))
        .layer(middleware::from_fn(honest_status))
        // The largest body we take is a booking with a 1,000-character note: a few KB.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::map_response(revalidate_pages))
        .layer(middleware::map_response_with_state(state.settings.server.secure_cookies, security_headers))
        // Compresses what is made per request (pages, server-function answers); the bundle
        // is served precompressed and passes through untouched. Level 4: brotli's default (11)
        // halved the booking page's throughput for a few hundred bytes.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .with_state(state)
}

/// Request bodies larger than this are refused with 413 before anything reads them.
pub const BODY_LIMIT: usize = 64 * 1024;

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

/// The Content-Security-Policy: scripts only from this site or, on a page, inline with that
/// response's nonce (Leptos puts it on the hydration script it writes); wasm compiled from our
/// bundle, no plugins, no framing, forms posted only here. Inline `style` attributes stay
/// allowed: the avatars' colours are one, and styles cannot run code.
fn security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// leptos_axum makes a nonce for every page it renders; the policy that names it goes with
/// the page's response.
fn send_page_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else { return };
    if let Ok(policy) = HeaderValue::from_str(&security_policy(Some(&nonce))) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// Headers every answer carries: no framing (clickjacking), no MIME sniffing, no full URLs
/// (which hold booking details) sent to other sites, and HTTPS-only once cookies are.
async fn security_headers(State(https): State<bool>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A page carries the policy with its nonce; any other answer the same policy without one
    // (no inline script runs), made once.
    static WITHOUT_NONCE: std::sync::LazyLock<HeaderValue> =
        std::sync::LazyLock::new(|| HeaderValue::from_str(&security_policy(None)).expect("a valid header"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| WITHOUT_NONCE.clone());
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

async fn refuse_cross_site(State(settings): State<Arc<Settings>>, request: Request, next: Next) -> Response {
    let public_origin = settings.server.public_origin.as_deref();
    if !matches!(*request.method(), Method::GET | Method::HEAD) && is_cross_site(request.headers(), public_origin) {
        return (StatusCode::FORBIDDEN, crate::error::AppError::CrossSite.to_string()).into_response();
    }
    next.run(request).await
}

/// Leptos server functions have no CSRF protection of their own. Browsers mark requests from
/// other sites (`Sec-Fetch-Site`, `Origin`); refuse those. The `Origin` must be this site's:
/// the configured public origin behind a proxy, else the one `Host` names. Non-browser clients
/// send neither header and carry no ambient cookie worth forging.
fn is_cross_site(headers: &http::HeaderMap, public_origin: Option<&str>) -> bool {
    if headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return false };
    // An origin that is not text names no site of ours.
    let Ok(origin) = origin.to_str() else { return true };
    match public_origin {
        Some(public) => origin != public.trim_end_matches('/'),
        None => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            host != Some(origin_host)
        }
    }
}

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
        let last = request.headers().get_all("x-forwarded-for").iter().last()?.to_str().ok()?;
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
async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if belongs_to_no_one(path) {
        return next.run(request).await;
    }
    let server = &state.settings.server;
    let session = match auth::token_from_headers(request.headers()) {
        Some(token) => match auth::session_for_token(&state.db, &token, server.session_idle(), chrono::Utc::now()).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "cannot look up the login session");
                return (StatusCode::SERVICE_UNAVAILABLE, crate::error::AppError::Internal.to_string()).into_response();
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

pub use crate::components::urlencode;

/// Connects, migrates, seeds an empty database, and builds the state.
pub async fn prepare(settings: Settings, leptos_options: LeptosOptions) -> anyhow_free::Result<AppState> {
    let db = db::connect(&settings.server.database_url).await?;
    db::migrate(&db).await?;
    // Known-password accounts only where asked (`seeds_demo`); the password stays out of logs.
    let video = Arc::new(video::JitsiMeet::new(&settings.notifications.video_base_url));
    if settings.server.seeds_demo() && seed::seed_if_empty(&db, video.as_ref(), chrono::Utc::now()).await? {
        tracing::info!("seeded the demo data: accounts and password in the README's \"Demo accounts\"");
    }
    login_limits::start_forgetting(db.clone());
    let analytics = Analytics::start(db.clone());
    let mail = mail::MailWorker::start(db.clone(), &settings)?;
    Ok(AppState { leptos_options, db, settings: Arc::new(settings), analytics, catalog: Default::default(), video, mail })
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
    // The peer address feeds the per-address login limit.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
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

    fn headers(pairs: &[(&str, &[u8])]) -> http::HeaderMap {
        pairs.iter().map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_bytes(v).unwrap())).collect()
    }

    #[test]
    fn refuses_posts_from_other_sites() {
        let host = ("host", b"127.0.0.1:3000".as_slice());
        assert!(is_cross_site(&headers(&[("sec-fetch-site", b"cross-site")]), None));
        assert!(is_cross_site(&headers(&[("origin", b"https://evil.test"), host]), None));
        assert!(!is_cross_site(&headers(&[("origin", b"http://127.0.0.1:3000"), host]), None));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", b"same-origin")]), None));
        assert!(!is_cross_site(&headers(&[]), None));
        // An Origin that is not text, or with no Host to compare, is no site of ours.
        assert!(is_cross_site(&headers(&[("origin", b"http://127.0.0.1:3000\xff"), host]), None));
        assert!(is_cross_site(&headers(&[("origin", b"http://127.0.0.1:3000")]), None));
    }

    #[test]
    fn behind_a_proxy_the_public_origin_is_the_site() {
        let public = Some("https://book.example.org");
        let proxied = [("origin", b"https://book.example.org".as_slice()), ("host", b"10.0.0.5:3000")];
        assert!(!is_cross_site(&headers(&proxied), public));
        assert!(is_cross_site(&headers(&proxied), None), "without the setting, Host decides");
        assert!(is_cross_site(&headers(&[("origin", b"http://book.example.org"), ("host", b"book.example.org")]), public));
    }

    #[test]
    fn inline_scripts_need_the_nonce() {
        let policy = security_policy(Some("abc123"));
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'") && policy.contains("frame-ancestors 'none'"));
        assert!(HeaderValue::from_str(&policy).is_ok(), "one header line");
        assert!(security_policy(None).contains("script-src 'self' 'wasm-unsafe-eval';"), "without a nonce, no inline script");
    }

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

    #[test]
    fn login_redirect_keeps_the_whole_target() {
        assert_eq!(urlencode("/courses/1/book?st=2&x=a b"), "/courses/1/book%3Fst%3D2%26x%3Da%20b");
    }
}
