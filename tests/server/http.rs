//! The HTTP shell around the pages: one session lookup per request, compression, caching.
use axum::body::Body;
use http::{header, Request, StatusCode};
use leptos::config::LeptosOptions;

use crate::harness::{body_text, Backend, TestApp, HOST};

fn is_session_lookup(sql: &str) -> bool {
    sql.contains("login_sessions")
}

async fn a_page_render_looks_up_the_session_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let algebra = app.course_id("Algebra I").await;
    let (res, queries) = app.counting_queries(app.get(&format!("/courses/{algebra}/book"), Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("Choose a Student-Teacher"));
    assert_eq!(queries.iter().filter(|q| is_session_lookup(q)).count(), 1, "{queries:#?}");
    // The session with its user; the page: the course, the tutors with their users, the
    // enrollment; each tutor's next time: the tutors with their users, their hours, their time
    // off, their sessions, the student's sessions, the others' holds (the course and the
    // enrollment, authorizing, come from the catalog). The page_view event is written later, in
    // a batch, off the request.
    assert_eq!(queries.len(), 12, "{queries:#?}");
    // Within a few seconds the course, its tutors and the enrollment come from the catalog, and
    // each tutor's next time from the calendar cache: the session lookup is all that is left.
    let (res, queries) = app.counting_queries(app.get(&format!("/courses/{algebra}/book"), Some(&cookie))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(queries.len(), 1, "{queries:#?}");

    // The header's user and the page's loader share that one lookup on every page.
    for path in ["/dashboard".to_owned(), format!("/courses/{algebra}")] {
        let (res, queries) = app.counting_queries(app.get(&path, Some(&cookie))).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(queries.iter().filter(|q| is_session_lookup(q)).count(), 1, "{path}: {queries:#?}");
    }
    assert_eq!(app.events("page_view").await.len(), 2);
}

async fn static_files_and_the_health_check_need_no_session(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (res, queries) = app.counting_queries(app.get("/health", Some("sb_session=whatever"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_text(res).await, "ok");
    assert_eq!(queries, Vec::<String>::new());
}

async fn pages_are_compressed_and_revalidated(backend: Backend) {
    let app = TestApp::new(backend).await;
    let request =
        Request::get("/login").header(header::HOST, HOST).header(header::ACCEPT_ENCODING, "br, gzip").body(Body::empty()).unwrap();
    let res = app.send(request).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-cache");
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(res.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    assert_eq!(res.headers()[header::REFERRER_POLICY], "strict-origin-when-cross-origin");
    assert!(res.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "HSTS only behind HTTPS");
}

/// A page runs only scripts of this site: its one script file is the islands' start script, and
/// every inline script carries the nonce its policy names, new for each page; an answer that is
/// not a page allows no inline script at all.
async fn pages_allow_only_their_own_scripts(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    let mut nonces = Vec::new();
    let mut starts = Vec::new();
    for path in ["/login", "/dashboard", "/book/2", "/no-such-page"] {
        let res = app.get(path, Some(&cookie)).await;
        let policy = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), "{path}: {policy}");
        let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_owned();
        let page = body_text(res).await;
        let scripts: Vec<&str> = page.split("<script").skip(1).map(|tag| tag.split('>').next().unwrap()).collect();
        let (files, inline): (Vec<&str>, Vec<&str>) = scripts.iter().partition(|tag| tag.contains("src="));
        assert_eq!(files.len(), 1, "{path}: {scripts:?}");
        let src = files[0].split("src=\"").nth(1).and_then(|v| v.split('"').next()).unwrap();
        assert!(src.starts_with("/pkg/islands-start.") && src.ends_with(".js"), "{path}: {src}");
        // Leptos's few bytes of resource state stay inline, with the nonce.
        assert!(inline.iter().all(|tag| tag.contains(&format!("nonce=\"{nonce}\""))), "{path}: {scripts:?}");
        assert!(!page.contains("hydrateIslands"), "{path}: the start script is not inline");
        starts.push(src.to_owned());
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a nonce per response");
    starts.dedup();
    assert_eq!(starts.len(), 1, "one start script for every page");
    let res = app.call("get_current_user", &[], Some(&cookie)).await;
    let policy = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';") && !policy.contains("nonce"), "{policy}");

    // The start script is Leptos's, compressed once, kept by the browser for good.
    let get = |encoding: &'static str| {
        Request::get(&starts[0]).header(header::HOST, HOST).header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).unwrap()
    };
    let res = app.send(get("gzip, deflate, br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    let res = app.send(get("identity")).await;
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
    let script = body_text(res).await;
    assert!(script.contains("hydrateIslands") && script.contains("Islands-Router"), "the islands' start and their router");
}

/// A page for something that does not exist says so with its status, not with a 200.
async fn unknown_things_are_404_pages(backend: Backend) {
    let app = TestApp::new(backend).await;
    let cookie = app.login("maya@student.test").await;
    for path in ["/courses/4242", "/courses/4242/book", "/book/4242", "/student-teachers/4242", "/sessions/4242/booked", "/no-such-page"] {
        let res = app.get(path, Some(&cookie)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(body_text(res).await.contains("not found"), "{path} says what is missing");
    }
}

/// The bundle is served from the files `cargo leptos build --release -P` writes: the brotli
/// file to a browser that takes brotli, the plain one to one that does not, cached for good
/// when the names carry content hashes.
async fn the_bundle_is_served_precompressed_and_immutable(backend: Backend) {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("app.0123abcd.js"), "console.log('plain');").unwrap();
    std::fs::write(pkg.join("app.0123abcd.js.br"), b"brotli bytes").unwrap();
    let options = LeptosOptions::builder().output_name("session-booking").site_root(site.path().to_str().unwrap()).hash_files(true).build();
    let app = TestApp::with_options(backend, options).await;
    let get = |encoding: &'static str| {
        Request::get("/pkg/app.0123abcd.js")
            .header(header::HOST, HOST)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap()
    };
    let res = app.send(get("gzip, deflate, br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(body_text(res).await, "brotli bytes");
    let res = app.send(get("identity")).await;
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body_text(res).await, "console.log('plain');");
}

crate::on_both_backends!(
    unknown_things_are_404_pages,
    pages_allow_only_their_own_scripts,
    a_page_render_looks_up_the_session_once,
    static_files_and_the_health_check_need_no_session,
    pages_are_compressed_and_revalidated,
    the_bundle_is_served_precompressed_and_immutable,
);
