//! Compression of what is made per request (pages, server-function answers), once the answer is
//! whole, and the choice of encoding that the islands' start script shares.
//!
//! Brotli's time on a page of a few KB goes mostly to allocating and clearing the tables of its
//! window, 4 MB by default, for every response. A window sized to the body (64 KB for any page
//! we make) gives the same bytes for a fraction of the time, and no general-purpose layer lets
//! us set it.
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use std::io::Write;

/// Brotli's quality for what is made per request; 11, the default, costs far more time per page
/// than the bytes it saves.
pub const PAGE_QUALITY: i32 = 4;
/// Answers shorter than this go as they are: compressing them saves less than it costs.
const MIN_SIZE: usize = 256;
/// The smallest window brotli takes, in bits, and the largest.
const WINDOW_BITS: (u32, u32) = (16, 24);

/// An encoding both sides speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    pub fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    /// `plain` in this encoding; `quality` is brotli's (0–11), gzip's level follows from it.
    pub fn encode(self, plain: &[u8], quality: i32) -> Vec<u8> {
        match self {
            Coding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality,
                    lgwin: window_bits(plain.len()),
                    size_hint: plain.len(),
                    ..Default::default()
                };
                let mut out = Vec::with_capacity(plain.len() / 4);
                brotli::BrotliCompress(&mut &plain[..], &mut out, &params).expect("compressing into memory cannot fail");
                out
            }
            Coding::Gzip => {
                let level = if quality >= 11 { flate2::Compression::best() } else { flate2::Compression::default() };
                let mut gzip = flate2::write::GzEncoder::new(Vec::with_capacity(plain.len() / 3), level);
                gzip.write_all(plain).expect("compressing into memory cannot fail");
                gzip.finish().expect("compressing into memory cannot fail")
            }
        }
    }
}

/// The window that holds all of `len` bytes, within what brotli allows.
fn window_bits(len: usize) -> i32 {
    let needed = usize::BITS - len.saturating_sub(1).leading_zeros();
    needed.clamp(WINDOW_BITS.0, WINDOW_BITS.1) as i32
}

/// The encoding a request's `Accept-Encoding` prefers of ours: brotli, then gzip; none when it
/// names neither or refuses them (`q=0`).
pub fn preferred(request: &HeaderMap) -> Option<Coding> {
    let accepts = |coding: Coding| {
        request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
            v.split(',').any(|c| {
                let mut parts = c.split(';');
                let refused = |q: &str| q.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0);
                parts.next().is_some_and(|name| name.trim().eq_ignore_ascii_case(coding.name())) && !parts.any(refused)
            })
        })
    };
    [Coding::Brotli, Coding::Gzip].into_iter().find(|c| accepts(*c))
}

/// Whether an answer should be compressed here: not one already encoded (the bundle's
/// precompressed files), not the live stream (which must flow, not wait for an end), not
/// images other than SVG.
fn compressible(response: &HeaderMap) -> bool {
    if response.contains_key(header::CONTENT_ENCODING) {
        return false;
    }
    let kind = response.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    !(kind.starts_with("text/event-stream") || kind.starts_with("image/") && !kind.starts_with("image/svg+xml"))
}

/// The middleware: compresses each compressible answer whole in the encoding the request
/// prefers. Everything that reaches it is made in memory (the bundle's files come encoded), so
/// holding an answer until its end costs nothing a stream would have saved.
pub async fn compress(request: Request, next: Next) -> Response {
    let coding = preferred(request.headers());
    let response = next.run(request).await;
    if !compressible(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let varies =
        parts.headers.get_all(header::VARY).iter().any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding")));
    if !varies {
        parts.headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let Some(coding) = coding else { return Response::from_parts(parts, body) };
    let plain = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(plain) => plain,
        Err(error) => {
            tracing::warn!(%error, "an answer's body failed before it was compressed");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if plain.len() < MIN_SIZE {
        return Response::from_parts(parts, Body::from(plain));
    }
    let encoded = coding.encode(&plain, PAGE_QUALITY);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding.name()));
    Response::from_parts(parts, Body::from(encoded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_request_chooses_among_the_encodings_we_speak() {
        assert_eq!(preferred(&accept("gzip, deflate, br, zstd")), Some(Coding::Brotli));
        assert_eq!(preferred(&accept("gzip")), Some(Coding::Gzip));
        assert_eq!(preferred(&accept("br;q=0, gzip")), Some(Coding::Gzip));
        assert_eq!(preferred(&accept("BR;q=0.5")), Some(Coding::Brotli));
        assert_eq!(preferred(&accept("identity")), None);
        assert_eq!(preferred(&HeaderMap::new()), None);
    }

    #[test]
    fn streams_images_and_encoded_answers_pass_through() {
        let kind = |content_type: &str, encoded: bool| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
            if encoded {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
            compressible(&headers)
        };
        assert!(kind("text/html; charset=utf-8", false) && kind("application/json", false) && kind("image/svg+xml", false));
        assert!(!kind("text/event-stream", false) && !kind("image/png", false) && !kind("application/wasm", true));
    }

    #[test]
    fn the_window_holds_the_whole_body() {
        assert_eq!(window_bits(0), 16);
        assert_eq!(window_bits(8_615), 16);
        assert_eq!(window_bits(65_536), 16);
        assert_eq!(window_bits(65_537), 17);
        assert_eq!(window_bits(usize::MAX), 24);
    }

    #[test]
    fn what_is_encoded_decodes_to_the_same_bytes() {
        let page: Vec<u8> = (0..3_000).flat_map(|i| format!("<li data-n=\"{i}\">{}</li>", i % 7).into_bytes()).collect();
        let brotli = Coding::Brotli.encode(&page, PAGE_QUALITY);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &brotli[..], &mut back).unwrap();
        assert_eq!(back, page);
        let gzip = Coding::Gzip.encode(&page, PAGE_QUALITY);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, page);
        assert!(brotli.len() < page.len() / 4 && gzip.len() < page.len() / 4);
    }
}
