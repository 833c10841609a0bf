//! The HTTP shell around the app: the axum router and its layers, the downloads, and starting
//! and stopping the server. Only `main.rs` and the tests import it; it calls services and the
//! app, never the other way round.
mod bundle;
mod calendar;
mod form_errors;
mod live;
mod security;
mod serve;
mod session;
mod status;
mod webhooks;

pub use serve::{prepare, serve};

use axum::{
    http::{header, HeaderValue, StatusCode},
    middleware,
    response::Response,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
};

use crate::{
    app::{shell, App},
    server::state::AppState,
};

/// The app's routes, generated once per process. Generating them sets a process-global flag
/// that leaves any resource first polled meanwhile pending forever (leptos issue #4773), so no
/// page may render while it runs: later callers wait here until the first generation is done.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application over a database that is already migrated.
pub fn router(state: AppState) -> anyhow::Result<Router> {
    let routes = route_list();
    let bundle::Bundle { links, boot } = bundle::Bundle::load(&state.leptos_options)?;
    // What every page and server function finds in its context.
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            security::send_page_policy();
        }
    };
    // `leptos_routes_with_context` also mounts every server function at its endpoint, with the
    // same context, so they need no route of their own.
    Ok(Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(&links.boot, get(move |headers: axum::http::HeaderMap| async move { boot.answer(&headers) }))
        .route("/sessions/{session_id}/calendar", get(calendar::download))
        .route("/webhooks/stripe", axum::routing::post(webhooks::stripe))
        .route("/api/live/times", get(live::times))
        .nest_service("/pkg", static_bundle(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let (options, links) = (state.leptos_options.clone(), links.clone());
            move || shell(options.clone(), links.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, move |options| shell(options, links.clone())))
        .layer(middleware::from_fn_with_state(state.clone(), session::resolve_session))
        .layer(middleware::from_fn_with_state(state.settings.clone(), security::refuse_cross_site))
        .layer(middleware::from_fn(status::honest_status))
        .layer(middleware::from_fn(form_errors::error_codes_in_redirects))
        // The largest body we take is a booking with a 1,000-character note: a few KB.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::map_response(revalidate_pages))
        .layer(middleware::map_response_with_state(security::AnswerHeaders::new(&state.settings), security::headers))
        // Compresses what is made per request (pages, server-function answers); the bundle
        // is served precompressed and passes through untouched.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(PAGE_BROTLI_QUALITY)))
        .layer(time_limit())
        .with_state(state))
}

/// No request may keep the server working on it (and its connection open) without end: past
/// [`REQUEST_TIMEOUT`] it is answered 503, our fault, not the client's.
fn time_limit() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT)
}

/// The longest a request may take before it is answered 503; our pages take milliseconds.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Brotli's quality for what is made per request. The default, 11, costs far more time per
/// page than the bytes it saves; 2 measured no faster than 4 here (BENCHMARKS.md).
const PAGE_BROTLI_QUALITY: i32 = 4;

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

/// Pages are made for one person and change with every booking: a browser may keep one but
/// must ask again before showing it.
async fn revalidate_pages(mut response: Response) -> Response {
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if is_html && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, ServiceExt};

    #[tokio::test(start_paused = true)]
    async fn a_request_that_never_ends_is_answered_503_at_the_limit() {
        let never = tower::service_fn(|_: axum::extract::Request| {
            std::future::pending::<Result<axum::response::Response, std::convert::Infallible>>()
        });
        let started = tokio::time::Instant::now();
        let response = time_limit().layer(never).oneshot(axum::extract::Request::new(axum::body::Body::empty())).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(started.elapsed(), REQUEST_TIMEOUT);
    }
}
