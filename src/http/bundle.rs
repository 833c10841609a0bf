//! What every page's head names, worked out once per process instead of on every render: the
//! bundle's hashed file names, and the script that starts the islands, served as a file of its
//! own (compressed once, cached by browsers) instead of inline in every page.
use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use leptos::{config::LeptosOptions, prelude::*, tachys::view::RenderHtml};
use std::{io::Write, sync::Arc};

use crate::app::BundleLinks;

/// The islands' start script: Leptos's own, as `HydrationScripts` writes it, with each
/// encoding made once.
pub struct BootScript {
    plain: Vec<u8>,
    brotli: Vec<u8>,
    gzip: Vec<u8>,
}

/// The head's links and the start script they name.
pub struct Bundle {
    pub links: BundleLinks,
    pub boot: Arc<BootScript>,
}

impl Bundle {
    /// Reads the hash file (if names are hashed) and renders Leptos's hydration scripts once.
    pub fn load(options: &LeptosOptions) -> anyhow::Result<Self> {
        let rendered =
            Owner::new().with(|| view! { <HydrationScripts options=options.clone() islands=true islands_router=true/> }.to_html());
        let HydrationParts { script, wasm, boot } = HydrationParts::parse(&rendered)?;
        let hash = short_hash(boot.as_bytes());
        let pkg = &options.site_pkg_dir;
        let css = match hashes(options)? {
            Some(hashes) => format!("/{pkg}/{}.{}.css", options.output_name, hashes.css),
            None => format!("/{pkg}/{}.css", options.output_name),
        };
        let links = BundleLinks {
            stylesheet: css.into(),
            script: script.into(),
            wasm: wasm.into(),
            boot: format!("/{pkg}/{BOOT_NAME}.{hash}.js").into(),
        };
        Ok(Self { links, boot: Arc::new(BootScript::new(boot.into_bytes())) })
    }
}

/// The start script's file name before its hash.
const BOOT_NAME: &str = "islands-start";

impl BootScript {
    fn new(plain: Vec<u8>) -> Self {
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
        brotli::BrotliCompress(&mut plain.as_slice(), &mut brotli, &params).expect("compressing into memory cannot fail");
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&plain).expect("compressing into memory cannot fail");
        let gzip = gzip.finish().expect("compressing into memory cannot fail");
        Self { plain, brotli, gzip }
    }

    /// The script in the best encoding the request accepts. Its name changes with its content,
    /// so a browser keeps it for a year.
    pub fn answer(&self, request: &HeaderMap) -> Response {
        let accepts = |coding: &str| {
            request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
                v.split(',').any(|c| {
                    let mut parts = c.split(';');
                    let refused = |q: &str| q.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0);
                    parts.next().is_some_and(|name| name.trim() == coding) && !parts.any(refused)
                })
            })
        };
        let (body, coding) = if accepts("br") {
            (&self.brotli, Some("br"))
        } else if accepts("gzip") {
            (&self.gzip, Some("gzip"))
        } else {
            (&self.plain, None)
        };
        let mut response = Body::from(body.clone()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(coding) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    }
}

/// What `HydrationScripts` wrote: the bundle's JS and wasm (its two preload links) and the
/// inline script that starts the islands.
struct HydrationParts {
    script: String,
    wasm: String,
    boot: String,
}

impl HydrationParts {
    fn parse(html: &str) -> anyhow::Result<Self> {
        let href = |rel: &str| -> anyhow::Result<String> {
            let tag = html.split('<').find(|tag| tag.starts_with("link") && tag.contains(&format!("rel=\"{rel}\"")));
            let value = tag.and_then(|t| t.split("href=\"").nth(1)).and_then(|v| v.split('"').next());
            value.map(str::to_owned).ok_or_else(|| anyhow::anyhow!("HydrationScripts wrote no {rel} link: {html}"))
        };
        let boot = html
            .split_once("<script type=\"module\">")
            .and_then(|(_, rest)| rest.split_once("</script>"))
            .map(|(script, _)| script.to_owned())
            .ok_or_else(|| anyhow::anyhow!("HydrationScripts wrote no module script: {html}"))?;
        Ok(Self { script: href("modulepreload")?, wasm: href("preload")?, boot })
    }
}

/// The hashes cargo-leptos wrote beside the binary, when it hashes file names.
struct Hashes {
    css: String,
}

fn hashes(options: &LeptosOptions) -> anyhow::Result<Option<Hashes>> {
    if !options.hash_files {
        return Ok(None);
    }
    let path = std::env::current_exe()?.with_file_name(options.hash_file.as_ref());
    if !path.exists() {
        // As `HydrationScripts` does: the names without hashes, and a word in the log.
        tracing::error!(path = %path.display(), "file names are hashed but there is no hash file");
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let css = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(file, _)| file.trim() == "css")
        .map(|(_, hash)| hash.trim().to_owned())
        .ok_or_else(|| anyhow::anyhow!("{} names no css hash", path.display()))?;
    Ok(Some(Hashes { css }))
}

/// A name-safe digest of the script, so that a new script gets a new name.
fn short_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(bytes)[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_names_and_script_hydration_scripts_writes() {
        let html = r#"<link rel="modulepreload" href="/pkg/app.abc.js" crossorigin=""><link rel="preload" href="/pkg/app.def.wasm" as="fetch" type="application/wasm" crossorigin=""><script type="module">((a) => { if (a && a < 2) {} })("", "pkg");</script>"#;
        let parts = HydrationParts::parse(html).unwrap();
        assert_eq!((parts.script.as_str(), parts.wasm.as_str()), ("/pkg/app.abc.js", "/pkg/app.def.wasm"));
        assert_eq!(parts.boot, r#"((a) => { if (a && a < 2) {} })("", "pkg");"#);
        assert!(HydrationParts::parse("<script>x</script>").is_err());
    }

    #[test]
    fn answers_the_encoding_the_browser_takes() {
        let script = BootScript::new(b"console.log('start'); ".repeat(50));
        let coding = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
            script.answer(&headers).headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(coding("gzip, deflate, br, zstd").as_deref(), Some("br"));
        assert_eq!(coding("gzip").as_deref(), Some("gzip"));
        assert_eq!(coding("br;q=0, gzip").as_deref(), Some("gzip"));
        assert_eq!(coding("identity"), None);
        assert!(script.brotli.len() < script.plain.len() && script.gzip.len() < script.plain.len());
    }
}
