//! What protects every answer: the Content-Security-Policy and other security headers, and the
//! refusal of state-changing requests from other sites (CSRF).
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::prelude::use_context;
use std::sync::Arc;

use crate::{error::AppError, server::config::Settings};

/// The Content-Security-Policy: scripts only from this site or, on a page, inline with that
/// response's nonce (Leptos puts it on the hydration script it writes); wasm compiled from our
/// bundle, no plugins, no framing, forms posted only here. Inline `style` attributes stay
/// allowed: the avatars' colours are one, and styles cannot run code. Where payments are on,
/// Stripe.js may load from its origin, frame its card fields and call Stripe's API.
fn security_policy(nonce: Option<&str>, stripe: Option<&StripeOrigins>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let (script, frame, connect) = match stripe {
        Some(o) => (format!(" {}", o.js), format!("frame-src {} https://hooks.stripe.com; ", o.js), format!(" {} {}", o.js, o.api)),
        None => Default::default(),
    };
    format!(
        "default-src 'self'; script-src 'self'{inline}{script} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'{connect}; {frame}object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Where Stripe.js and Stripe's API live, as CSP sources.
struct StripeOrigins {
    js: String,
    api: String,
}

impl StripeOrigins {
    fn of(settings: &Settings) -> Option<Self> {
        let payments = &settings.payments;
        payments.stripe_publishable_key.as_ref()?;
        let origin = |url: &str| {
            let uri = url.parse::<http::Uri>().ok()?;
            Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?))
        };
        Some(Self { js: origin(&payments.stripe_js_url)?, api: origin(&payments.stripe_api_base)? })
    }
}

/// leptos_axum makes a nonce for every page it renders; the policy that names it goes with
/// the page's response.
pub fn send_page_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else { return };
    let stripe = use_context::<crate::server::state::AppState>().and_then(|state| StripeOrigins::of(&state.settings));
    if let Ok(policy) = HeaderValue::from_str(&security_policy(Some(&nonce), stripe.as_ref())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// What [`headers`] adds to every answer, made once from the settings.
#[derive(Clone)]
pub struct AnswerHeaders {
    https: bool,
    policy_without_nonce: HeaderValue,
}

impl AnswerHeaders {
    pub fn new(settings: &Settings) -> Self {
        let policy = security_policy(None, StripeOrigins::of(settings).as_ref());
        Self { https: settings.server.secure_cookies, policy_without_nonce: HeaderValue::from_str(&policy).expect("a valid header") }
    }
}

/// Headers every answer carries: no framing (clickjacking), no MIME sniffing, no full URLs
/// (which hold booking details) sent to other sites, and HTTPS-only once cookies are.
pub async fn headers(State(answer): State<AnswerHeaders>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A page carries the policy with its nonce; any other answer the same policy without one
    // (no inline script runs).
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| answer.policy_without_nonce.clone());
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if answer.https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

pub async fn refuse_cross_site(State(settings): State<Arc<Settings>>, request: Request, next: Next) -> Response {
    let public_origin = settings.server.public_origin.as_deref();
    if !matches!(*request.method(), Method::GET | Method::HEAD) && is_cross_site(request.headers(), public_origin) {
        return AppError::CrossSite.into_response();
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
        let policy = security_policy(Some("abc123"), None);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'") && policy.contains("frame-ancestors 'none'"));
        assert!(HeaderValue::from_str(&policy).is_ok(), "one header line");
        assert!(security_policy(None, None).contains("script-src 'self' 'wasm-unsafe-eval';"), "without a nonce, no inline script");
        let stripe = StripeOrigins { js: "https://js.stripe.com".into(), api: "https://api.stripe.com".into() };
        let paying = security_policy(None, Some(&stripe));
        assert!(paying.contains("script-src 'self' https://js.stripe.com 'wasm-unsafe-eval';"), "{paying}");
        assert!(paying.contains("connect-src 'self' https://js.stripe.com https://api.stripe.com;"), "{paying}");
        assert!(paying.contains("frame-src https://js.stripe.com https://hooks.stripe.com;"), "{paying}");
    }
}
