//! A form posted without JavaScript that fails comes back to its page with the error in the
//! URL. Leptos writes the whole error there (base64 JSON, free text included), which anyone
//! could forge into a link; this layer puts the error's code in its place, and the page shows
//! only the fixed text a code stands for (`AppError::from_url_code`).
use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::server_fn::error::ServerFnUrlError;

use crate::error::AppError;

pub async fn error_codes_in_redirects(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let rewritten = response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).and_then(with_error_code);
    if let Some(value) = rewritten.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `location` with its `__err` replaced by that error's code; `None` when it has none.
fn with_error_code(location: &str) -> Option<String> {
    let (path, query) = location.split_once('?')?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(name, _)| name == "__err") {
        return None;
    }
    let mut rebuilt = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &pairs {
        match name.as_str() {
            "__err" => rebuilt.append_pair(name, &ServerFnUrlError::<AppError>::decode_err(value).url_code()),
            _ => rebuilt.append_pair(name, value),
        };
    }
    Some(format!("{path}?{}", rebuilt.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_carries_the_code_not_the_text() {
        let url = ServerFnUrlError::new("/api/book_session", AppError::SlotUnavailable).to_url("http://x/book/2?st=2&date=2026-12-01");
        let rewritten = with_error_code(url.unwrap().as_str()).unwrap();
        assert!(rewritten.ends_with("&__path=%2Fapi%2Fbook_session&__err=slot_unavailable"), "{rewritten}");
        assert!(rewritten.starts_with("http://x/book/2?st=2&date=2026-12-01&"), "{rewritten}");
        let spoof = AppError::InvalidInput { field: "note".into(), message: "Call +1 555 0100".into() };
        let url = ServerFnUrlError::new("/api/book_session", spoof).to_url("http://x/book/2");
        let rewritten = with_error_code(url.unwrap().as_str()).unwrap();
        assert!(rewritten.ends_with("__err=field.note") && !rewritten.contains("555"), "{rewritten}");
        assert_eq!(with_error_code("/login?next=/dashboard"), None);
    }
}
